/* bench-maximin.c — maximin on generated pools of the sizes the Python
 * library publishes benchmarks for, plus a 2,000-person pool and a
 * tight-quota variant. Each size runs three times, each run in a child
 * process, and the median time and the peak memory are printed. Then the
 * time from Cancel to the run's return, at several moments of a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 3

typedef struct {
  guint n;
  guint k;
  double tightness;
  const char *label;
} Size;

static const Size sizes[] = {
  { 150, 22, 0.3, "150/22" },
  { 300, 45, 0.3, "300/45" },
  { 500, 75, 0.3, "500/75" },
  { 750, 112, 0.3, "750/112" },
  { 2000, 200, 0.3, "2000/200" },
  { 300, 45, 0.9, "300/45 tight" },
};

static void
generate (const Size   *size,
          KlTestInputs *in)
{
  KlGeneratorOptions options;

  kl_generator_options_init (&options);
  options.n_people = size->n;
  options.panel_size = size->k;
  options.n_features = 4;
  options.tightness = size->tightness;
  options.household_share = 0;
  kl_test_inputs_generate (in, &options);
}

static KlRun *
new_run (KlPool     *pool,
         KlSettings *settings,
         guint       k)
{
  KlRunParams params;

  kl_run_params_init (&params, settings);
  params.algorithm = KL_ALGORITHM_MAXIMIN;
  params.number_wanted = k;
  params.seed = 1;
  return kl_run_new (pool, settings, NULL, &params);
}

/* In a child: one run; reports seconds and the maximin value. */
static void
run_once (const Size *size,
          int         out_fd)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  double result[2];
  gint64 start;
  const double *p;

  generate (size, &in);
  run = new_run (in.pool, in.settings, size->k);
  start = g_get_monotonic_time ();
  if (!kl_run_execute (run, NULL, NULL, &error))
    {
      fprintf (stderr, "%s: %s\n", size->label, error->message);
      _exit (1);
    }
  result[0] = (g_get_monotonic_time () - start) / 1e6;
  p = kl_run_get_probabilities (run);
  result[1] = 1;
  for (guint i = 0; i < kl_pool_get_n_people (in.pool); i++)
    if (p[i] > 1e-9)
      result[1] = MIN (result[1], p[i]);
  if (write (out_fd, result, sizeof result) != sizeof result)
    _exit (1);
  _exit (0);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gint64 *finished = user_data;
  KlRun *run = g_task_get_task_data (G_TASK (result));

  kl_run_execute_finish (run, result, NULL);
  *finished = g_get_monotonic_time ();
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static double
cancel_latency (const Size *size,
                guint       delay_ms)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 finished = 0, cancelled;

  generate (size, &in);
  run = new_run (in.pool, in.settings, size->k);
  kl_run_execute_async (run, NULL, cancellable, on_done, &finished);
  g_timeout_add (delay_ms, cancel_now, cancellable);
  while (!g_cancellable_is_cancelled (cancellable) && finished == 0)
    g_main_context_iteration (NULL, TRUE);
  cancelled = g_get_monotonic_time ();
  while (finished == 0)
    g_main_context_iteration (NULL, TRUE);
  kl_test_inputs_clear (&in);
  return finished > cancelled ? (finished - cancelled) / 1e3 : 0;
}

int
main (int    argc,
      char **argv)
{
  const guint delays[] = { 20, 200, 1000, 2500 };
  double worst = 0;

  printf ("maximin on generated pools (4 features, seed 1), %d runs each:\n", RUNS);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double times[RUNS], value = 0;
      KlSummary summary;
      struct rusage usage;
      long peak = 0;

      for (int r = 0; r < RUNS; r++)
        {
          int fds[2];
          double result[2];
          pid_t child;
          int status;

          if (pipe (fds) != 0)
            g_error ("pipe failed");
          child = fork ();
          if (child == 0)
            run_once (&sizes[s], fds[1]);
          close (fds[1]);
          if (read (fds[0], result, sizeof result) != sizeof result)
            g_error ("%s: the run failed", sizes[s].label);
          close (fds[0]);
          wait4 (child, &status, 0, &usage);
          peak = MAX (peak, usage.ru_maxrss);
          times[r] = result[0];
          value = result[1];
        }
      kl_summary_compute (times, RUNS, &summary);
      printf ("  %-13s median %6.2f s (min %.2f, max %.2f)  peak %5.1f MB  maximin %.6f\n",
              sizes[s].label, summary.median, summary.min, summary.max, peak / 1024.0, value);
      fflush (stdout);
    }

  printf ("time from Cancel to return, 750/112:");
  for (guint d = 0; d < G_N_ELEMENTS (delays); d++)
    {
      double latency = cancel_latency (&sizes[3], delays[d]);
      worst = MAX (worst, latency);
      printf (" %.1f ms (at %u ms)", latency, delays[d]);
    }
  printf ("; worst %.1f ms\n", worst);
  return 0;
}
