/* kl-throttle-reporter.c — at most one update per interval
 *
 * A solver can report thousands of updates a second; a database row, a
 * terminal or a network socket wants a few. Phase changes always pass at
 * once, and the last update of a phase is delivered before its end, so the
 * sink never shows a stale count for a finished phase.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

struct _KlThrottleReporter {
  GObject parent_instance;
  KlProgressReporter *inner;
  gint64 interval_us;
  gint64 last_passed;
  gboolean pending;
  gint64 pending_current;
  char *pending_message;
};

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlThrottleReporter, kl_throttle_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static void
drop_pending (KlThrottleReporter *self)
{
  self->pending = FALSE;
  g_clear_pointer (&self->pending_message, g_free);
}

static gboolean
throttle_start_phase (KlProgressReporter  *reporter,
                      const char          *name,
                      gint64               total,
                      const char          *message,
                      GError             **error)
{
  KlThrottleReporter *self = KL_THROTTLE_REPORTER (reporter);

  drop_pending (self);
  self->last_passed = g_get_monotonic_time ();
  return kl_progress_reporter_start_phase (self->inner, name, total, message, error);
}

static gboolean
throttle_update (KlProgressReporter  *reporter,
                 gint64               current,
                 const char          *message,
                 GError             **error)
{
  KlThrottleReporter *self = KL_THROTTLE_REPORTER (reporter);
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_passed < self->interval_us)
    {
      self->pending = TRUE;
      self->pending_current = current;
      g_free (self->pending_message);
      self->pending_message = g_strdup (message);
      return TRUE;
    }

  drop_pending (self);
  self->last_passed = now;
  return kl_progress_reporter_update (self->inner, current, message, error);
}

static gboolean
throttle_end_phase (KlProgressReporter  *reporter,
                    GError             **error)
{
  KlThrottleReporter *self = KL_THROTTLE_REPORTER (reporter);
  gboolean ok = TRUE;

  if (self->pending)
    {
      ok = kl_progress_reporter_update (self->inner, self->pending_current,
                                        self->pending_message, error);
      drop_pending (self);
    }

  if (!ok)
    {
      g_autoptr(GError) ignored = NULL;
      kl_progress_reporter_end_phase (self->inner, &ignored);
      return FALSE;
    }
  return kl_progress_reporter_end_phase (self->inner, error);
}

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = throttle_start_phase;
  iface->update = throttle_update;
  iface->end_phase = throttle_end_phase;
}

static void
kl_throttle_reporter_finalize (GObject *object)
{
  KlThrottleReporter *self = KL_THROTTLE_REPORTER (object);

  drop_pending (self);
  g_clear_object (&self->inner);
  G_OBJECT_CLASS (kl_throttle_reporter_parent_class)->finalize (object);
}

static void
kl_throttle_reporter_class_init (KlThrottleReporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_throttle_reporter_finalize;
}

static void
kl_throttle_reporter_init (KlThrottleReporter *self)
{
}

KlProgressReporter *
kl_throttle_reporter_new (KlProgressReporter *inner,
                          gint64              interval_us)
{
  KlThrottleReporter *self;

  g_return_val_if_fail (KL_IS_PROGRESS_REPORTER (inner), NULL);
  g_return_val_if_fail (interval_us >= 0, NULL);

  self = g_object_new (KL_TYPE_THROTTLE_REPORTER, NULL);
  self->inner = g_object_ref (inner);
  self->interval_us = interval_us;
  return KL_PROGRESS_REPORTER (self);
}
