/* kl-terminal-reporter.c — one live line on a terminal
 *
 * ⠹ Optimising the maximin distribution  [##########----------]  12/40  3.4 s
 *
 * The line is redrawn in place and left on screen when the phase ends.
 * Wrap it in a throttle reporter: a terminal does not need more than a
 * few redraws a second.
 *
 * Where a line cannot be redrawn — the stream is not a terminal (a file, a
 * pipe, a CI log) or TERM=dumb — each phase is written once, as a plain
 * line, when it ends. NO_COLOR (https://no-color.org) drops the styling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 24

struct _KlTerminalReporter {
  GObject parent_instance;
  FILE *stream;
  char *message;
  gint64 total;
  gint64 current;
  gint64 phase_started;
  guint frame;
  gboolean in_phase;
  gboolean live;             /* the line can be redrawn in place */
  gboolean styled;           /* bold text is welcome */
};

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlTerminalReporter, kl_terminal_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static const char * const spinner[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };

static gboolean
draw (KlTerminalReporter  *self,
      gboolean             done,
      GError             **error)
{
  g_autoptr(GString) line = g_string_new (self->live ? "\r\033[K" : "");
  double elapsed = (g_get_monotonic_time () - self->phase_started) / 1e6;

  if (!self->live && !done)
    return TRUE;

  g_string_append (line, done ? "✓" : spinner[self->frame++ % G_N_ELEMENTS (spinner)]);
  if (self->styled)
    g_string_append_printf (line, " \033[1m%s\033[0m", self->message);
  else
    g_string_append_printf (line, " %s", self->message);

  if (self->total > 0)
    {
      gint64 filled = MIN (self->current, self->total) * BAR_WIDTH / self->total;

      g_string_append (line, "  [");
      for (gint64 i = 0; i < BAR_WIDTH; i++)
        g_string_append_c (line, i < filled ? '#' : '-');
      g_string_append_printf (line, "]  %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                              self->current, self->total);
    }
  else if (self->current > 0)
    g_string_append_printf (line, "  %" G_GINT64_FORMAT, self->current);

  g_string_append_printf (line, "  %.1f s", elapsed);
  if (done)
    g_string_append_c (line, '\n');

  if (fputs (line->str, self->stream) < 0 || fflush (self->stream) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write to the terminal");
      return FALSE;
    }
  return TRUE;
}

static gboolean
terminal_start_phase (KlProgressReporter  *reporter,
                      const char          *name,
                      gint64               total,
                      const char          *message,
                      GError             **error)
{
  KlTerminalReporter *self = KL_TERMINAL_REPORTER (reporter);

  g_free (self->message);
  self->message = g_strdup (message ? message : name);
  self->total = total;
  self->current = 0;
  self->phase_started = g_get_monotonic_time ();
  self->in_phase = TRUE;
  return draw (self, FALSE, error);
}

static gboolean
terminal_update (KlProgressReporter  *reporter,
                 gint64               current,
                 const char          *message,
                 GError             **error)
{
  KlTerminalReporter *self = KL_TERMINAL_REPORTER (reporter);

  if (!self->in_phase)
    return TRUE;
  self->current = current;
  return draw (self, FALSE, error);
}

static gboolean
terminal_end_phase (KlProgressReporter  *reporter,
                    GError             **error)
{
  KlTerminalReporter *self = KL_TERMINAL_REPORTER (reporter);

  if (!self->in_phase)
    return TRUE;
  if (self->total > 0)
    self->current = self->total;
  self->in_phase = FALSE;
  return draw (self, TRUE, error);
}

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = terminal_start_phase;
  iface->update = terminal_update;
  iface->end_phase = terminal_end_phase;
}

static void
kl_terminal_reporter_finalize (GObject *object)
{
  g_free (KL_TERMINAL_REPORTER (object)->message);
  G_OBJECT_CLASS (kl_terminal_reporter_parent_class)->finalize (object);
}

static void
kl_terminal_reporter_class_init (KlTerminalReporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_terminal_reporter_finalize;
}

static void
kl_terminal_reporter_init (KlTerminalReporter *self)
{
}

KlProgressReporter *
kl_terminal_reporter_new (FILE *stream)
{
  KlTerminalReporter *self = g_object_new (KL_TYPE_TERMINAL_REPORTER, NULL);

  const char *term = g_getenv ("TERM");
  const char *no_color = g_getenv ("NO_COLOR");

  self->stream = stream;
  self->live = isatty (fileno (stream)) && g_strcmp0 (term, "dumb") != 0;
  self->styled = self->live && (no_color == NULL || *no_color == '\0');
  return KL_PROGRESS_REPORTER (self);
}
