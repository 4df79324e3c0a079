/* kl-composite-reporter.c — one event, many sinks
 *
 * A child that fails does not keep the others from hearing the event; the
 * first failure is passed up, where the engine logs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

struct _KlCompositeReporter {
  GObject parent_instance;
  GPtrArray *children;
};

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlCompositeReporter, kl_composite_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static gboolean
keep_first_error (gboolean   ok,
                  GError   **error,
                  GError    *child_error)
{
  if (ok)
    return TRUE;
  if (error != NULL && *error == NULL)
    *error = child_error;
  else
    g_clear_error (&child_error);
  return FALSE;
}

static gboolean
composite_start_phase (KlProgressReporter  *reporter,
                       const char          *name,
                       gint64               total,
                       const char          *message,
                       GError             **error)
{
  KlCompositeReporter *self = KL_COMPOSITE_REPORTER (reporter);
  gboolean ok = TRUE;

  for (guint i = 0; i < self->children->len; i++)
    {
      GError *child_error = NULL;
      gboolean child_ok = kl_progress_reporter_start_phase (g_ptr_array_index (self->children, i),
                                                            name, total, message, &child_error);
      ok = keep_first_error (child_ok, error, child_error) && ok;
    }
  return ok;
}

static gboolean
composite_update (KlProgressReporter  *reporter,
                  gint64               current,
                  const char          *message,
                  GError             **error)
{
  KlCompositeReporter *self = KL_COMPOSITE_REPORTER (reporter);
  gboolean ok = TRUE;

  for (guint i = 0; i < self->children->len; i++)
    {
      GError *child_error = NULL;
      gboolean child_ok = kl_progress_reporter_update (g_ptr_array_index (self->children, i),
                                                       current, message, &child_error);
      ok = keep_first_error (child_ok, error, child_error) && ok;
    }
  return ok;
}

static gboolean
composite_end_phase (KlProgressReporter  *reporter,
                     GError             **error)
{
  KlCompositeReporter *self = KL_COMPOSITE_REPORTER (reporter);
  gboolean ok = TRUE;

  for (guint i = 0; i < self->children->len; i++)
    {
      GError *child_error = NULL;
      gboolean child_ok = kl_progress_reporter_end_phase (g_ptr_array_index (self->children, i),
                                                          &child_error);
      ok = keep_first_error (child_ok, error, child_error) && ok;
    }
  return ok;
}

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = composite_start_phase;
  iface->update = composite_update;
  iface->end_phase = composite_end_phase;
}

static void
kl_composite_reporter_finalize (GObject *object)
{
  KlCompositeReporter *self = KL_COMPOSITE_REPORTER (object);

  g_ptr_array_unref (self->children);
  G_OBJECT_CLASS (kl_composite_reporter_parent_class)->finalize (object);
}

static void
kl_composite_reporter_class_init (KlCompositeReporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_composite_reporter_finalize;
}

static void
kl_composite_reporter_init (KlCompositeReporter *self)
{
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
}

void
kl_composite_reporter_add (KlCompositeReporter *self,
                           KlProgressReporter  *child)
{
  g_return_if_fail (KL_IS_COMPOSITE_REPORTER (self));
  g_return_if_fail (KL_IS_PROGRESS_REPORTER (child));

  g_ptr_array_add (self->children, g_object_ref (child));
}

KlProgressReporter *
kl_composite_reporter_new (KlProgressReporter *first,
                           ...)
{
  KlCompositeReporter *self = g_object_new (KL_TYPE_COMPOSITE_REPORTER, NULL);
  va_list args;

  va_start (args, first);
  for (KlProgressReporter *child = first; child != NULL; child = va_arg (args, KlProgressReporter *))
    kl_composite_reporter_add (self, child);
  va_end (args);

  return KL_PROGRESS_REPORTER (self);
}
