/* bench-ui.c — the desktop application's responsiveness, under Xvfb
 *
 *  - startup: from creating the window to its first frame;
 *  - a pool opened in a fresh window, five times each (a 100,000-person
 *    pool with 13 columns, a 2,000-person one with 41): the main loop's
 *    largest block, in the main thread's CPU time (the goal is never more
 *    than 50 ms) and in wall time, from choosing the files until the
 *    preview has all its rows and columns and two frames have shown them,
 *    and the time until the window is ready to select (the goal is under
 *    2 s); median and worst of the five;
 *  - other pools in a window that has shown one (the same columns with
 *    more rows, other columns);
 *  - the whole 100,000-row preview scrolled through, and a jump to a cell
 *    near its end as a problem makes;
 *  - a maximin run on 2,000 people: the longest the progress bar stood
 *    still (the goal is under a second), and how soon Cancel ends the
 *    same run at five moments of it;
 *  - main-loop latency while a worker thread reports progress as fast as
 *    it can through the window's relay (the longest wait of a 5 ms timer).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <kleroterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <time.h>

#include "kl-progress-relay.h"
#include "kl-table-view.h"
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

/* The main loop's longest wait between two turns of a 5 ms timer, in wall
 * time, and the main thread's CPU time over that gap: on a busy machine a
 * long wall gap with little CPU is the scheduler, not the window. */
typedef struct {
  gint64 last;
  gint64 worst;
  gint64 last_cpu;
  gint64 worst_cpu;
} Tick;

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* The main loop is blocked from the moment it leaves poll() to the moment
 * it comes back to it: everything dispatched in between runs without a
 * chance for input or drawing. A poll function that times that gives the
 * longest block in wall time, and the largest in the main thread's CPU
 * time: on a busy machine (two cores shared by many jobs) the first also
 * counts the time the scheduler gave other processes, the second only
 * the window's own work. */
static GPollFunc default_poll;
static gint64 busy_since, busy_cpu_since;
static gint64 longest_block, longest_block_cpu;

static int
timed_poll (GPollFD *fds,
            guint    n_fds,
            int      timeout)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  int result;

  if (busy_since != 0)
    {
      longest_block = MAX (longest_block, now - busy_since);
      longest_block_cpu = MAX (longest_block_cpu, cpu - busy_cpu_since);
    }
  result = default_poll (fds, n_fds, timeout);
  busy_since = g_get_monotonic_time ();
  busy_cpu_since = thread_cpu_us ();
  return result;
}

static gboolean
on_tick (gpointer data)
{
  Tick *tick = data;
  gint64 now = g_get_monotonic_time ();

  gint64 cpu = thread_cpu_us ();

  if (tick->last != 0)
    {
      tick->worst = MAX (tick->worst, now - tick->last);
      tick->worst_cpu = MAX (tick->worst_cpu, cpu - tick->last_cpu);
    }
  tick->last = now;
  tick->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
is_loading (KlWindow *window)
{
  return kl_window_is_loading (window);
}

/* Opens a generated pool of @n people and waits until it is checked and
 * previewed, measuring the main loop's longest wait meanwhile. */
static void
open_pool (KlWindow   *window,
           const char *dir,
           guint       n,
           guint       n_features,
           guint       n_kept,
           double     *ready_ms,
           double     *preview_ms,
           double     *worst_block_ms,
           double     *worst_block_cpu_ms,
           double     *cpu_s);

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

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
open_pool (KlWindow   *window,
           const char *dir,
           guint       n,
           guint       n_features,
           guint       n_kept,
           double     *ready_ms,
           double     *preview_ms,
           double     *worst_block_ms,
           double     *worst_block_cpu_ms,
           double     *cpu_s)
{
  KlGeneratorOptions options;
  g_autofree char *pool_csv = NULL, *quotas_csv = NULL, *toml = NULL;
  g_autoptr(KlSettings) settings = NULL;
  g_autofree char *pool_path = g_build_filename (dir, "pool.csv", NULL);
  g_autofree char *quotas_path = g_build_filename (dir, "quotas.csv", NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.toml", NULL);
  g_autoptr(GFile) pool_file = g_file_new_for_path (pool_path);
  g_autoptr(GFile) quotas_file = g_file_new_for_path (quotas_path);
  g_autoptr(GFile) settings_file = g_file_new_for_path (settings_path);
  GFile *files[] = { settings_file, quotas_file, pool_file };
  const KlInput roles[] = { KL_INPUT_SETTINGS, KL_INPUT_QUOTAS, KL_INPUT_POOL };
  Tick tick = { 0 };
  double cpu_start;
  gint64 start;
  guint timer;

  kl_generator_options_init (&options);
  options.n_people = n;
  options.panel_size = 100;
  options.n_features = n_features;
  options.n_kept = n_kept;
  g_assert_true (kl_generate (&options, &pool_csv, &quotas_csv, &settings, NULL));
  toml = kl_settings_to_toml (settings);
  g_file_set_contents (pool_path, pool_csv, -1, NULL);
  g_file_set_contents (quotas_path, quotas_csv, -1, NULL);
  g_file_set_contents (settings_path, toml, -1, NULL);

  timer = g_timeout_add (5, on_tick, &tick);
  longest_block = longest_block_cpu = 0;
  busy_since = 0;
  cpu_start = cpu_seconds ();
  start = g_get_monotonic_time ();
  kl_window_load (window, files, roles, G_N_ELEMENTS (files), NULL);
  while (is_loading (window))
    g_main_context_iteration (NULL, TRUE);
  *ready_ms = (g_get_monotonic_time () - start) / 1e3;
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window)));
  g_assert_true (kl_window_get_messages (window)->len == 0 ||
                 kl_messages_count (kl_window_get_messages (window), KL_SEVERITY_ERROR) == 0);
  *preview_ms = wait_for_frame (GTK_WIDGET (window), start);
  g_source_remove (timer);

  /* The preview's rows and columns come a slice a frame; the measure
   * ends once they are all there and two frames have shown them (the
   * first lays them out). */
  while (!kl_table_view_is_settled (kl_files_page_get_preview_view (kl_window_get_files_page (window))))
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (GTK_WIDGET (window), start);
  wait_for_frame (GTK_WIDGET (window), start);
  *worst_block_ms = longest_block / 1e3;
  *worst_block_cpu_ms = longest_block_cpu / 1e3;
  *cpu_s = cpu_seconds () - cpu_start;

  g_unlink (pool_path);
  g_unlink (quotas_path);
  g_unlink (settings_path);
}

#define RUNS 5
#define SCROLL_STEPS 10

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
largest (const double *values,
         guint         n)
{
  double most = values[0];

  for (guint i = 1; i < n; i++)
    most = MAX (most, values[i]);
  return most;
}

static KlWindow *
new_window (void)
{
  KlWindow *window = g_object_ref_sink (kl_window_new (NULL));

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (GTK_WIDGET (window), g_get_monotonic_time ());
  return window;
}

static void
close_window (KlWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* A pool opened in a fresh window, @RUNS times: the preview's first rows
 * are made in each, as when an organiser opens their first pool. */
static void
measure_first_preview (const char *dir,
                       const char *title,
                       guint       n,
                       guint       n_features,
                       guint       n_kept)
{
  double ready[RUNS], block[RUNS], block_cpu[RUNS], cpu[RUNS];

  for (guint run = 0; run < RUNS; run++)
    {
      KlWindow *window = new_window ();
      double preview;

      open_pool (window, dir, n, n_features, n_kept, &ready[run], &preview, &block[run], &block_cpu[run], &cpu[run]);
      close_window (window);
    }

  printf ("%s, first preview in a fresh window (%d runs): main loop's largest block in main-thread CPU: "
          "median %.1f ms, worst %.1f ms (goal <= 50); in wall time median %.1f ms, worst %.1f ms; "
          "ready to select median %.0f ms, worst %.0f ms (goal < 2000); process CPU median %.2f s\n",
          title, RUNS, median (block_cpu, RUNS), largest (block_cpu, RUNS), median (block, RUNS),
          largest (block, RUNS), median (ready, RUNS), largest (ready, RUNS), median (cpu, RUNS));
}

static gboolean
focus_in_view (GtkColumnView *view)
{
  guint row, column;
  gboolean visible = FALSE;

  return kl_table_view_get_focus_cell (view, &row, &column, &visible) && visible;
}

static void
scroll_preview (KlWindow *window)
{
  GtkColumnView *view = kl_files_page_get_preview_view (kl_window_get_files_page (window));
  GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
  double frames[SCROLL_STEPS], largest_frame = 0, jump_ms, jump_block_cpu;
  gint64 start;

  for (guint i = 0; i < SCROLL_STEPS; i++)
    {
      double upper = gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v);

      longest_block_cpu = 0;
      gtk_adjustment_set_value (v, upper * (i + 1) / SCROLL_STEPS);
      wait_for_frame (GTK_WIDGET (window), g_get_monotonic_time ());
      wait_for_frame (GTK_WIDGET (window), g_get_monotonic_time ());
      frames[i] = longest_block_cpu / 1e3;
      largest_frame = MAX (largest_frame, frames[i]);
    }

  longest_block_cpu = 0;
  gtk_adjustment_set_value (v, 0);
  start = g_get_monotonic_time ();
  kl_table_view_focus_cell (view, n_rows - 500, 5);
  while (!focus_in_view (view))
    g_main_context_iteration (NULL, TRUE);
  jump_ms = (g_get_monotonic_time () - start) / 1e3;
  jump_block_cpu = longest_block_cpu / 1e3;

  printf ("%u-row preview scrolled in %d jumps: main loop's largest block in main-thread CPU median %.1f ms, "
          "worst %.1f ms; from the top to a cell in row %u: %.0f ms, largest block %.1f ms CPU\n",
          n_rows, SCROLL_STEPS, median (frames, SCROLL_STEPS), largest_frame, n_rows - 500, jump_ms, jump_block_cpu);
}

/* The progress area during a maximin run on a 2,000-person pool: the
 * longest the bar stood still, and how long Cancel took to end the run.
 * The bar is looked at every 10 ms. */
typedef struct {
  KlWindow *window;
  guint moves;
  gint64 last_move;
  gint64 longest_still;
} Watch;

static gboolean
watch_bar (gpointer data)
{
  Watch *watch = data;
  guint moves = kl_window_get_progress_moves (watch->window);
  gint64 now = g_get_monotonic_time ();

  if (moves != watch->moves)
    {
      watch->moves = moves;
      watch->last_move = now;
    }
  watch->longest_still = MAX (watch->longest_still, now - watch->last_move);
  return G_SOURCE_CONTINUE;
}

static void
measure_run (const char *dir)
{
  KlWindow *window = new_window ();
  Watch watch = { window, 0, 0, 0 };
  const double cancel_at[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
  double ready, preview, block, block_cpu, cpu, run_s, worst_cancel_ms = 0;
  guint timer, n_cancelled = 0;
  gint64 start;

  open_pool (window, dir, 2000, 4, 6, &ready, &preview, &block, &block_cpu, &cpu);
  kl_selection_page_set_algorithm (kl_window_get_selection_page (window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (kl_window_get_selection_page (window), 100);

  /* a whole run, watched */
  longest_block = longest_block_cpu = 0;
  busy_since = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (kl_window_is_running (window));
  start = watch.last_move = g_get_monotonic_time ();
  timer = g_timeout_add (10, watch_bar, &watch);
  while (kl_window_is_running (window))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  run_s = (g_get_monotonic_time () - start) / 1e6;
  printf ("maximin on 2,000 people, panel of 100, done in %.1f s: the bar moved %u times, stood still at most "
          "%.0f ms (goal < 1000); main loop's largest block %.1f ms CPU\n",
          run_s, watch.moves, watch.longest_still / 1e3, longest_block_cpu / 1e3);

  /* the same run again, cancelled at a tenth of that time, three tenths…:
   * how long until the window is ready again */
  for (guint i = 0; i < G_N_ELEMENTS (cancel_at); i++)
    {
      gint64 cancelled;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
      start = g_get_monotonic_time ();
      while (kl_window_is_running (window) && g_get_monotonic_time () - start < cancel_at[i] * run_s * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, FALSE);
      if (!kl_window_is_running (window))
        continue;
      cancelled = g_get_monotonic_time ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL));
      while (kl_window_is_running (window))
        g_main_context_iteration (NULL, TRUE);
      worst_cancel_ms = MAX (worst_cancel_ms, (g_get_monotonic_time () - cancelled) / 1e3);
      n_cancelled++;
    }
  printf ("the same run cancelled at 10, 30, 50, 70 and 90 %% of that time: %u of %u were still going and "
          "ended at most %.0f ms after Cancel\n", n_cancelled, (guint) G_N_ELEMENTS (cancel_at), worst_cancel_ms);
  close_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(KlProgressRelay) relay = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kleroterion-bench-ui-XXXXXX", NULL);
  GThread *thread;
  KlWindow *window;
  Tick tick = { 0 };
  gint64 start;
  guint timer;
  double startup_ms, ready_ms, preview_ms, wait_ms, busy_ms, cpu_s;

  start = g_get_monotonic_time ();
  default_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  gtk_init ();
  adw_init ();
  window = new_window ();
  startup_ms = (g_get_monotonic_time () - start) / 1e3;
  printf ("startup to first frame: %.0f ms\n", startup_ms);

  /* the pools organisers open first */
  measure_first_preview (dir, "100,000 people, 13 columns", 100000, 4, 8);
  measure_first_preview (dir, "2,000 people, 41 columns", 2000, 30, 10);

  /* another pool in a window that has shown one: with the same columns
   * but more rows with widgets, or with other columns, the old columns go
   * first; with the same columns and rows enough, the cells are reused */
  open_pool (window, dir, 100, 30, 10, &ready_ms, &preview_ms, &wait_ms, &busy_ms, &cpu_s);
  open_pool (window, dir, 2000, 30, 10, &ready_ms, &preview_ms, &wait_ms, &busy_ms, &cpu_s);
  printf ("2,000 people after 100 with the same 41 columns: ready to select %.0f ms, "
          "main loop's largest block %.1f ms wall, %.1f ms CPU\n", ready_ms, wait_ms, busy_ms);
  open_pool (window, dir, 10000, 4, 8, &ready_ms, &preview_ms, &wait_ms, &busy_ms, &cpu_s);
  printf ("10,000 people, 13 columns, after 2,000 people with 41: ready to select %.0f ms, "
          "main loop's largest block %.1f ms wall, %.1f ms CPU\n", ready_ms, wait_ms, busy_ms);
  open_pool (window, dir, 100000, 4, 8, &ready_ms, &preview_ms, &wait_ms, &busy_ms, &cpu_s);
  printf ("100,000 people after 10,000 with the same columns: ready to select %.0f ms, "
          "main loop's largest block %.1f ms wall, %.1f ms CPU\n", ready_ms, wait_ms, busy_ms);

  /* the whole 100,000-row preview, scrolled through and jumped to a cell
   * near its end as a problem does */
  scroll_preview (window);

  /* a run, watched, then cancelled */
  measure_run (dir);

  /* a flood of progress */
  bar = kl_window_get_progress_bar (window);
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

  printf ("progress flood: %" G_GUINT64_FORMAT " updates sent in %d s, %" G_GUINT64_FORMAT
          " shown in %u idle dispatches; main loop's longest wait %.1f ms (timer every 5 ms)\n",
          updates_sent, FLOOD_SECONDS, updates_shown, kl_progress_relay_get_n_dispatches (relay),
          tick.worst / 1e3);

  close_window (window);
  g_rmdir (dir);

  {
    struct rusage usage;

    getrusage (RUSAGE_SELF, &usage);
    printf ("peak memory of the whole benchmark: %.0f MB\n", usage.ru_maxrss / 1024.0);
  }
  return 0;
}
