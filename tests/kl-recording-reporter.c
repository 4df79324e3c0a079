/* kl-recording-reporter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-recording-reporter.h"

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlRecordingReporter, kl_recording_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static gboolean
result (KlRecordingReporter  *self,
        const char           *method,
        GError              **error)
{
  if (!self->fail)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "deliberate failure in %s", method);
  return FALSE;
}

static gboolean
recording_start_phase (KlProgressReporter  *reporter,
                       const char          *name,
                       gint64               total,
                       const char          *message,
                       GError             **error)
{
  KlRecordingReporter *self = KL_RECORDING_REPORTER (reporter);

  g_ptr_array_add (self->events, g_strdup_printf ("start %s %" G_GINT64_FORMAT " |%s", name, total, message));
  g_free (self->phase);
  self->phase = g_strdup (name);
  return result (self, "start_phase", error);
}

static gboolean
recording_update (KlProgressReporter  *reporter,
                  gint64               current,
                  const char          *message,
                  GError             **error)
{
  KlRecordingReporter *self = KL_RECORDING_REPORTER (reporter);

  g_ptr_array_add (self->events, g_strdup_printf ("update %" G_GINT64_FORMAT " |%s", current, message));
  if (self->cancel_at_update != NULL && current >= self->cancel_after &&
      (self->cancel_in_phase == NULL || g_strcmp0 (self->cancel_in_phase, self->phase) == 0))
    g_cancellable_cancel (self->cancel_at_update);
  if (self->cancel_at_update != NULL && self->cancel_on_message != NULL && strstr (message, self->cancel_on_message))
    g_cancellable_cancel (self->cancel_at_update);
  return result (self, "update", error);
}

static gboolean
recording_end_phase (KlProgressReporter  *reporter,
                     GError             **error)
{
  KlRecordingReporter *self = KL_RECORDING_REPORTER (reporter);

  g_ptr_array_add (self->events, g_strdup ("end"));
  return result (self, "end_phase", error);
}

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = recording_start_phase;
  iface->update = recording_update;
  iface->end_phase = recording_end_phase;
}

static void
kl_recording_reporter_finalize (GObject *object)
{
  KlRecordingReporter *self = KL_RECORDING_REPORTER (object);

  g_ptr_array_unref (self->events);
  g_clear_object (&self->cancel_at_update);
  g_free (self->cancel_in_phase);
  g_free (self->cancel_on_message);
  g_free (self->phase);
  G_OBJECT_CLASS (kl_recording_reporter_parent_class)->finalize (object);
}

static void
kl_recording_reporter_class_init (KlRecordingReporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_recording_reporter_finalize;
}

static void
kl_recording_reporter_init (KlRecordingReporter *self)
{
  self->events = g_ptr_array_new_with_free_func (g_free);
}

KlRecordingReporter *
kl_recording_reporter_new (void)
{
  return g_object_new (KL_TYPE_RECORDING_REPORTER, NULL);
}

guint
kl_recording_reporter_count (KlRecordingReporter *self,
                             const char          *prefix)
{
  guint n = 0;

  for (guint i = 0; i < self->events->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (self->events, i), prefix);
  return n;
}

const char *
kl_recording_reporter_event (KlRecordingReporter *self,
                             guint                i)
{
  g_assert_cmpuint (i, <, self->events->len);
  return g_ptr_array_index (self->events, i);
}
