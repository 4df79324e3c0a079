/* kl-progress-reporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

G_DEFINE_INTERFACE (KlProgressReporter, kl_progress_reporter, G_TYPE_OBJECT)

static void
kl_progress_reporter_default_init (KlProgressReporterInterface *iface)
{
}

gboolean
kl_progress_reporter_start_phase (KlProgressReporter  *self,
                                  const char          *name,
                                  gint64               total,
                                  const char          *message,
                                  GError             **error)
{
  KlProgressReporterInterface *iface;

  g_return_val_if_fail (KL_IS_PROGRESS_REPORTER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  iface = KL_PROGRESS_REPORTER_GET_IFACE (self);
  return iface->start_phase == NULL || iface->start_phase (self, name, total, message, error);
}

gboolean
kl_progress_reporter_update (KlProgressReporter  *self,
                             gint64               current,
                             const char          *message,
                             GError             **error)
{
  KlProgressReporterInterface *iface;

  g_return_val_if_fail (KL_IS_PROGRESS_REPORTER (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  iface = KL_PROGRESS_REPORTER_GET_IFACE (self);
  return iface->update == NULL || iface->update (self, current, message, error);
}

gboolean
kl_progress_reporter_end_phase (KlProgressReporter  *self,
                                GError             **error)
{
  KlProgressReporterInterface *iface;

  g_return_val_if_fail (KL_IS_PROGRESS_REPORTER (self), FALSE);

  iface = KL_PROGRESS_REPORTER_GET_IFACE (self);
  return iface->end_phase == NULL || iface->end_phase (self, error);
}
