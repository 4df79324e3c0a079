/* kl-null-reporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

struct _KlNullReporter {
  GObject parent_instance;
};

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlNullReporter, kl_null_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  /* Every method left NULL: the interface treats that as success. */
}

static void
kl_null_reporter_class_init (KlNullReporterClass *klass)
{
}

static void
kl_null_reporter_init (KlNullReporter *self)
{
}

KlProgressReporter *
kl_null_reporter_new (void)
{
  return g_object_new (KL_TYPE_NULL_REPORTER, NULL);
}
