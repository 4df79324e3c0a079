/* kl-run-progress.c — a running selection: phase, message, bar, time, Cancel
 *
 * The phase in plain words, the engine's own message, the fraction when
 * the engine knows one, the time so far and a Cancel button. The bar
 * moves at least once a second whatever the engine says: it pulses when
 * the phase has no total, and when a determinate phase stands still.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <kleroterion.h>

#include "kl-run-progress.h"

/* How often the clock and the pulse move, and how long a determinate bar
 * may stand still before it pulses. */
#define CLOCK_INTERVAL_MS 250
#define STILL_LIMIT_US G_USEC_PER_SEC

struct _KlRunProgress {
  AdwBin parent_instance;

  GtkLabel *phase_label;
  GtkLabel *message_label;
  GtkLabel *elapsed_label;
  GtkProgressBar *progress_bar;

  gint64 started;
  gint64 last_move;
  gboolean determinate;
  guint n_moves;
  guint clock_id;
};

G_DEFINE_FINAL_TYPE (KlRunProgress, kl_run_progress, ADW_TYPE_BIN)

/* Phase names are the engine's stable identifiers; people read these. */
static const struct {
  const char *phase;
  const char *label;
} phase_labels[] = {
  { KL_PHASE_LEGACY_ATTEMPT, N_("Drawing with the legacy algorithm") },
  { KL_PHASE_MULTIPLICATIVE_WEIGHTS, N_("Finding diverse panels") },
  { KL_PHASE_MAXIMIN_OPTIMIZATION, N_("Making the lowest chance as high as possible") },
  { KL_PHASE_NASH_OPTIMIZATION, N_("Balancing everyone's chances") },
  { KL_PHASE_LEXIMIN_OUTER, N_("Fixing chances, lowest first") },
  { KL_PHASE_DIVERSIMAX, N_("Making the panel as diverse as possible") },
  { KL_PHASE_BUILDING_PANELS, N_("Making panels of people") },
};

static const char *
phase_label (const char *phase)
{
  for (guint i = 0; i < G_N_ELEMENTS (phase_labels); i++)
    if (g_str_equal (phase, phase_labels[i].phase))
      return _(phase_labels[i].label);
  return phase;
}

static void
moved (KlRunProgress *self)
{
  self->last_move = g_get_monotonic_time ();
  self->n_moves++;
}

static gboolean
tick_clock (gpointer user_data)
{
  KlRunProgress *self = KL_RUN_PROGRESS (user_data);
  gint64 now = g_get_monotonic_time ();
  int seconds = (int) ((now - self->started) / G_USEC_PER_SEC);
  g_autofree char *text = g_strdup_printf (_("%d:%02d elapsed"), seconds / 60, seconds % 60);

  gtk_label_set_text (self->elapsed_label, text);

  /* Without a fraction, or when the engine is quiet, the bar pulses so
   * the person sees the run is alive. */
  if (!self->determinate || now - self->last_move >= STILL_LIMIT_US)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      moved (self);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * kl_run_progress_start:
 *
 * Shows a run that has just started, and starts its clock.
 */
void
kl_run_progress_start (KlRunProgress *self)
{
  g_return_if_fail (KL_IS_RUN_PROGRESS (self));

  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->phase_label, _("Checking the quotas"));
  gtk_label_set_text (self->message_label, "");
  self->started = g_get_monotonic_time ();
  self->determinate = FALSE;
  self->n_moves = 0;
  g_clear_handle_id (&self->clock_id, g_source_remove);
  tick_clock (self);
  self->clock_id = g_timeout_add (CLOCK_INTERVAL_MS, tick_clock, self);
}

void
kl_run_progress_stop (KlRunProgress *self)
{
  g_return_if_fail (KL_IS_RUN_PROGRESS (self));

  g_clear_handle_id (&self->clock_id, g_source_remove);
}

/**
 * kl_run_progress_update: (skip)
 * @self: (type KlRunProgress): the progress area
 *
 * What a KlProgressRelay delivers on the main thread: @phase is %NULL
 * once a phase has ended.
 */
void
kl_run_progress_update (const char *phase,
                        gint64      total,
                        gint64      current,
                        const char *message,
                        gpointer    user_data)
{
  KlRunProgress *self = KL_RUN_PROGRESS (user_data);

  if (phase == NULL)
    return;

  gtk_label_set_text (self->phase_label, phase_label (phase));
  if (message != NULL)
    gtk_label_set_text (self->message_label, message);
  self->determinate = total > 0;
  if (total > 0)
    {
      double fraction = (double) MIN (current, total) / total;

      /* The same fraction again is no move: after a second of those the
       * bar pulses. */
      if (fraction != gtk_progress_bar_get_fraction (self->progress_bar))
        {
          gtk_progress_bar_set_fraction (self->progress_bar, fraction);
          moved (self);
        }
    }
}

GtkProgressBar *
kl_run_progress_get_bar (KlRunProgress *self)
{
  return self->progress_bar;
}

GtkLabel *
kl_run_progress_get_phase_label (KlRunProgress *self)
{
  return self->phase_label;
}

/* How often the bar has moved since the run started. */
guint
kl_run_progress_get_n_moves (KlRunProgress *self)
{
  return self->n_moves;
}

static void
kl_run_progress_dispose (GObject *object)
{
  KlRunProgress *self = KL_RUN_PROGRESS (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  /* AdwBin unparents its child, the template's top widget, itself. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  G_OBJECT_CLASS (kl_run_progress_parent_class)->dispose (object);
}

static void
kl_run_progress_class_init (KlRunProgressClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kl_run_progress_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kleroterion/Kleroterion/kl-run-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, KlRunProgress, phase_label);
  gtk_widget_class_bind_template_child (widget_class, KlRunProgress, message_label);
  gtk_widget_class_bind_template_child (widget_class, KlRunProgress, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, KlRunProgress, progress_bar);
}

static void
kl_run_progress_init (KlRunProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
