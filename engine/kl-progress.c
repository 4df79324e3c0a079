/* kl-progress.c — the engine's side of the reporter contract
 *
 * A reporter that fails is logged as a warning and the run carries on: a
 * broken progress bar must never cost an organiser a ten-minute selection.
 * A phase that is open is always ended, on every path out of a run. A NULL
 * KlProgress (an algorithm run for analysis) reports nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-progress-private.h"

void
kl_progress_init (KlProgress         *self,
                  KlProgressReporter *reporter)
{
  self->reporter = reporter ? g_object_ref (reporter) : NULL;
  self->phase = NULL;
}

void
kl_progress_clear (KlProgress *self)
{
  if (self == NULL)
    return;
  kl_progress_end (self);
  g_clear_object (&self->reporter);
}

static void
warn_failure (KlProgress *self,
              const char *method,
              gint64      current,
              GError     *error)
{
  if (current >= 0)
    g_warning ("Progress reporter failed in %s (phase %s, current %" G_GINT64_FORMAT "): %s; carrying on",
               method, self->phase ? self->phase : "none", current,
               error ? error->message : "no details");
  else
    g_warning ("Progress reporter failed in %s (phase %s): %s; carrying on",
               method, self->phase ? self->phase : "none", error ? error->message : "no details");
}

void
kl_progress_start (KlProgress *self,
                   const char *name,
                   gint64      total,
                   const char *format,
                   ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  if (self == NULL)
    return;

  kl_progress_end (self);
  self->phase = g_strdup (name);
  self->total = total;

  if (self->reporter == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (!kl_progress_reporter_start_phase (self->reporter, name, total, message, &error))
    warn_failure (self, "start_phase", -1, error);
}

void
kl_progress_update (KlProgress *self,
                    gint64      current,
                    const char *format,
                    ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  if (self == NULL || self->reporter == NULL || self->phase == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (!kl_progress_reporter_update (self->reporter, current, message, &error))
    warn_failure (self, "update", current, error);
}

void
kl_progress_end (KlProgress *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL || self->phase == NULL)
    return;

  if (self->reporter != NULL && !kl_progress_reporter_end_phase (self->reporter, &error))
    warn_failure (self, "end_phase", -1, error);

  g_clear_pointer (&self->phase, g_free);
}

/* The open phase's total, for a step that ends it wherever it started. */
gint64
kl_progress_get_total (KlProgress *self)
{
  return self != NULL ? self->total : 0;
}
