/* bench-ui.c — the desktop application's responsiveness, under Xvfb
 *
 *  - main-loop latency while a worker thread reports progress as fast as it
 *    can through the window's relay (the longest wait of a 5 ms timer);
 *  - startup: from creating the window to its first frame;
 *  - previewing a 10,000-person pool: from choosing the file to the frame
 *    that shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <kleroterion.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "kl-progress-relay.h"
#include "kl-window-private.h"

#define FLOOD_SECONDS 3

static GtkProgressBar *bar;
static volatile gboolean flooding;
static guint64 updates_sent, updates_shown;

static void
on_progress (const char *phase,
             gint64      total,
             gint64      current,
             const char *message,
             gpointer    user_data)
{
  updates_shown++;
  if (phase != NULL && total > 0)
    gtk_progress_bar_set_fraction (bar, (double) (current % total) / total);
}

static gpointer
flood (gpointer data)
{
  KlProgressReporter *reporter = data;
  gint64 i = 0;

  kl_progress_reporter_start_phase (reporter, KL_PHASE_MULTIPLICATIVE_WEIGHTS, 1000, "flood", NULL);
  while (flooding)
    {
      kl_progress_reporter_update (reporter, ++i, "round", NULL);
      if (i % 100000 == 0)
        {
          kl_progress_reporter_end_phase (reporter, NULL);
          kl_progress_reporter_start_phase (reporter, KL_PHASE_MAXIMIN_OPTIMIZATION, -1, "again", NULL);
        }
    }
  kl_progress_reporter_end_phase (reporter, NULL);
  updates_sent = i;
  return NULL;
}

typedef struct {
  gint64 last;
  gint64 worst;
} Tick;

static gboolean
on_tick (gpointer data)
{
  Tick *tick = data;
  gint64 now = g_get_monotonic_time ();

  if (tick->last != 0)
    tick->worst = MAX (tick->worst, now - tick->last);
  tick->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean frame_seen;

static void
on_frame (GdkFrameClock *clock,
          gpointer       data)
{
  frame_seen = TRUE;
}

static double
wait_for_frame (GtkWidget *widget,
                gint64     since)
{
  GdkFrameClock *clock;
  gulong handler;

  while (gtk_widget_get_frame_clock (widget) == NULL)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (widget);
  frame_seen = FALSE;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_frame), NULL);
  gtk_widget_queue_draw (widget);
  while (!frame_seen)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  return (g_get_monotonic_time () - since) / 1e3;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(KlProgressRelay) relay = NULL;
  g_autofree char *pool_csv = NULL, *quotas_csv = NULL, *toml = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kleroterion-bench-ui-XXXXXX", NULL);
  g_autofree char *pool_path = g_build_filename (dir, "pool.csv", NULL);
  g_autofree char *quotas_path = g_build_filename (dir, "quotas.csv", NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.toml", NULL);
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(GFile) pool_file = NULL, quotas_file = NULL, settings_file = NULL;
  KlGeneratorOptions options;
  GThread *thread;
  GtkWidget *window;
  Tick tick = { 0 };
  gint64 start;
  guint timer;
  double startup_ms, preview_ms, checked_ms, load_ms;

  start = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();
  window = GTK_WIDGET (kl_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  startup_ms = wait_for_frame (window, start);

  /* 10,000 people, previewed */
  kl_generator_options_init (&options);
  options.n_people = 10000;
  options.panel_size = 100;
  options.n_kept = 8;
  g_assert_true (kl_generate (&options, &pool_csv, &quotas_csv, &settings, NULL));
  toml = kl_settings_to_toml (settings);
  g_file_set_contents (pool_path, pool_csv, -1, NULL);
  g_file_set_contents (quotas_path, quotas_csv, -1, NULL);
  g_file_set_contents (settings_path, toml, -1, NULL);
  settings_file = g_file_new_for_path (settings_path);
  quotas_file = g_file_new_for_path (quotas_path);
  pool_file = g_file_new_for_path (pool_path);
  kl_window_set_input (KL_WINDOW (window), KL_INPUT_SETTINGS, settings_file);
  kl_window_set_input (KL_WINDOW (window), KL_INPUT_QUOTAS, quotas_file);
  start = g_get_monotonic_time ();
  kl_window_set_input (KL_WINDOW (window), KL_INPUT_POOL, pool_file);
  checked_ms = (g_get_monotonic_time () - start) / 1e3;
  /* The preview's rows arrive once the view has its size; then one more
   * frame draws them. */
  while (gtk_column_view_get_model (kl_window_get_preview_view (KL_WINDOW (window))) == NULL)
    g_main_context_iteration (NULL, TRUE);
  load_ms = (g_get_monotonic_time () - start) / 1e3;
  preview_ms = wait_for_frame (window, start);

  /* a flood of progress */
  bar = kl_window_get_progress_bar (KL_WINDOW (window));
  relay = kl_progress_relay_new (on_progress, NULL);
  flooding = TRUE;
  thread = g_thread_new ("flood", flood, relay);
  timer = g_timeout_add (5, on_tick, &tick);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < FLOOD_SECONDS * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  flooding = FALSE;
  g_thread_join (thread);
  g_source_remove (timer);

  printf ("startup to first frame: %.0f ms\n", startup_ms);
  printf ("10,000-person pool: loaded and checked %.0f ms, rows handed to the preview %.0f ms, "
          "first frame showing them %.0f ms\n", checked_ms, load_ms, preview_ms);
  printf ("progress flood: %" G_GUINT64_FORMAT " updates sent in %d s, %" G_GUINT64_FORMAT
          " shown in %u idle dispatches; main loop's longest wait %.1f ms (timer every 5 ms)\n",
          updates_sent, FLOOD_SECONDS, updates_shown, kl_progress_relay_get_n_dispatches (relay),
          tick.worst / 1e3);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (pool_path);
  g_unlink (quotas_path);
  g_unlink (settings_path);
  g_rmdir (dir);
  return 0;
}
