/* bench-algorithms.c — Nash welfare and diversimax on generated pools of
 * the library's benchmark sizes, a tight-quota pool, a self-selection-
 * biased pool, and the reference instances in ../shared/instances when
 * they are there. Each run is a child process; the table gives the median
 * CPU seconds of the run and of the algorithm's own phase (nash_optimization
 * or diversimax; the rest is the search for starting panels), the peak
 * memory, the objective (Σ log p_i for nash, the sum of deviations for
 * diversimax), the certified gap, and the Python library's value on the
 * reference instances. Then the time from Cancel to the run's return.
 *
 * KL_BENCH_RUNS sets the runs per case (default 3); KL_BENCH_ONLY a
 * substring of the case labels to run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 9

typedef struct {
  const char *label;
  guint n;
  guint k;
  double tightness;
  double bias;
  const char *instance;      /* a folder of ../shared/instances, or NULL */
  double nash_reference;     /* the library's Σ log p_i, NAN if unknown */
  double diversimax_reference;
} Case;

static const Case cases[] = {
  { "150/22", 150, 22, 0.3, 0, NULL, NAN, NAN },
  { "300/45", 300, 45, 0.3, 0, NULL, NAN, NAN },
  { "500/75", 500, 75, 0.3, 0, NULL, NAN, NAN },
  { "750/112", 750, 112, 0.3, 0, NULL, NAN, NAN },
  { "2000/200", 2000, 200, 0.3, 0, NULL, NAN, NAN },
  { "300/45 tight", 300, 45, 0.9, 0, NULL, NAN, NAN },
  { "1200/80 biased", 1200, 80, 0.3, 0.8, NULL, NAN, NAN },
  { "fixtures_150_22", 0, 0, 0, 0, "fixtures_150_22", -292.8919, 28.0 },
  { "pgoelz_small_20", 0, 0, 0, 0, "pgoelz_example_small_20", -460.51702, 20.0 },
  { "pgoelz_large_200", 0, 0, 0, 0, "pgoelz_example_large_200", NAN, 200.0 },
  { "synth_150_22", 0, 0, 0, 0, "synth_150_22", -287.93893, 28.0 },
  { "synth_300_45", 0, 0, 0, 0, "synth_300_45", -569.13600, 76.875 },
  { "synth_500_75", 0, 0, 0, 0, "synth_500_75", -948.55999, 163.594 },
  { "synth_750_112", 0, 0, 0, 0, "synth_750_112", -1426.18075, 224.0 },
};

/* ---- CPU time spent inside one phase ------------------------------------ */

#define BENCH_TYPE_PHASE_CLOCK (bench_phase_clock_get_type ())
G_DECLARE_FINAL_TYPE (BenchPhaseClock, bench_phase_clock, BENCH, PHASE_CLOCK, GObject)

struct _BenchPhaseClock {
  GObject parent_instance;
  const char *phase;
  double started;
  double seconds;
};

static double
cpu_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

static gboolean
clock_start_phase (KlProgressReporter  *reporter,
                   const char          *name,
                   gint64               total,
                   const char          *message,
                   GError             **error)
{
  BenchPhaseClock *self = BENCH_PHASE_CLOCK (reporter);

  self->started = g_str_equal (name, self->phase) ? cpu_seconds () : -1;
  return TRUE;
}

static gboolean
clock_update (KlProgressReporter  *reporter,
              gint64               current,
              const char          *message,
              GError             **error)
{
  return TRUE;
}

static gboolean
clock_end_phase (KlProgressReporter  *reporter,
                 GError             **error)
{
  BenchPhaseClock *self = BENCH_PHASE_CLOCK (reporter);

  if (self->started >= 0)
    self->seconds += cpu_seconds () - self->started;
  self->started = -1;
  return TRUE;
}

static void
bench_phase_clock_reporter_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = clock_start_phase;
  iface->update = clock_update;
  iface->end_phase = clock_end_phase;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BenchPhaseClock, bench_phase_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER,
                                                      bench_phase_clock_reporter_init))

static void
bench_phase_clock_class_init (BenchPhaseClockClass *klass)
{
}

static void
bench_phase_clock_init (BenchPhaseClock *self)
{
  self->started = -1;
}

/* ---- one run ------------------------------------------------------------ */

typedef struct {
  double cpu;
  double phase_cpu;
  double objective;
  double gap;
  guint n_committees;
} Outcome;

static gboolean
load (const Case   *c,
      KlTestInputs *in,
      guint        *k)
{
  KlGeneratorOptions options;
  g_autofree char *folder = NULL;

  if (c->instance != NULL)
    {
      const char *root = g_getenv ("KL_SOURCE_ROOT");

      folder = g_build_filename (root ? root : ".", "..", "shared", "instances", c->instance, NULL);
      return kl_test_inputs_load_instance (in, folder, k);
    }

  kl_generator_options_init (&options);
  options.n_people = c->n;
  options.panel_size = c->k;
  options.n_features = 4;
  options.tightness = c->tightness;
  options.bias = c->bias;
  options.household_share = 0;
  kl_test_inputs_generate (in, &options);
  *k = c->k;
  return TRUE;
}

static KlRun *
new_run (KlTestInputs *in,
         KlAlgorithm   algorithm,
         guint         k)
{
  KlRunParams params;

  kl_run_params_init (&params, in->settings);
  params.algorithm = algorithm;
  params.number_wanted = k;
  params.seed = 1;
  return kl_run_new (in->pool, in->settings, NULL, &params);
}

static double
param_double (KlRun      *run,
              const char *code,
              const char *key)
{
  KlMessage *line = kl_report_find_line (kl_run_get_report (run), code);
  const char *value = line ? kl_message_get_param (line, key) : NULL;

  return value ? g_ascii_strtod (value, NULL) : NAN;
}

static void
run_once (const Case  *c,
          KlAlgorithm  algorithm,
          int          out_fd)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchPhaseClock) clock = g_object_new (BENCH_TYPE_PHASE_CLOCK, NULL);
  Outcome outcome = { 0 };
  double start;
  guint k;

  if (!load (c, &in, &k))
    _exit (2);
  clock->phase = algorithm == KL_ALGORITHM_NASH ? KL_PHASE_NASH_OPTIMIZATION : KL_PHASE_DIVERSIMAX;
  run = new_run (&in, algorithm, k);
  start = cpu_seconds ();
  if (!kl_run_execute (run, KL_PROGRESS_REPORTER (clock), NULL, &error))
    {
      fprintf (stderr, "%s: %s\n", c->label, error->message);
      _exit (1);
    }
  outcome.cpu = cpu_seconds () - start;
  outcome.phase_cpu = clock->seconds;
  outcome.n_committees = kl_run_get_n_committees (run);

  if (algorithm == KL_ALGORITHM_NASH)
    {
      const double *p = kl_run_get_probabilities (run);

      for (guint i = 0; i < kl_pool_get_n_people (in.pool); i++)
        if (p[i] > 0)
          outcome.objective += log (p[i]);
      outcome.gap = param_double (run, "nash_welfare", "gap");
    }
  else
    {
      gboolean optimal = kl_report_find_line (kl_run_get_report (run), "diversimax_optimal") != NULL;
      const char *code = optimal ? "diversimax_optimal" : "diversimax_feasible";

      outcome.objective = param_double (run, code, "objective");
      outcome.gap = optimal ? 0 : param_double (run, code, "gap");  /* a percentage */
    }
  if (write (out_fd, &outcome, sizeof outcome) != sizeof outcome)
    _exit (1);
  _exit (0);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
bench_case (const Case  *c,
            KlAlgorithm  algorithm,
            int          runs)
{
  double cpu[MAX_RUNS], phase[MAX_RUNS];
  Outcome outcome = { 0 };
  long peak = 0;
  double reference = algorithm == KL_ALGORITHM_NASH ? c->nash_reference : c->diversimax_reference;
  g_autofree char *reference_text = isnan (reference) ? g_strdup ("") : g_strdup_printf ("%.5f", reference);

  for (int r = 0; r < runs; r++)
    {
      struct rusage usage;
      int fds[2], status;
      pid_t child;

      if (pipe (fds) != 0)
        g_error ("pipe failed");
      child = fork ();
      if (child == 0)
        {
          close (fds[0]);
          run_once (c, algorithm, fds[1]);
        }
      close (fds[1]);
      if (read (fds[0], &outcome, sizeof outcome) != sizeof outcome)
        {
          close (fds[0]);
          wait4 (child, &status, 0, &usage);
          if (WIFEXITED (status) && WEXITSTATUS (status) == 2)
            return;  /* the instance is not there */
          printf ("  %-18s %-10s FAILED\n", c->label, kl_algorithm_to_string (algorithm));
          return;
        }
      close (fds[0]);
      wait4 (child, &status, 0, &usage);
      peak = MAX (peak, usage.ru_maxrss);
      cpu[r] = outcome.cpu;
      phase[r] = outcome.phase_cpu;
    }
  qsort (cpu, runs, sizeof (double), compare_double);
  qsort (phase, runs, sizeof (double), compare_double);

  if (algorithm == KL_ALGORITHM_NASH)
    printf ("  %-18s %-10s %8.2f %8.2f %8.1f %14.5f %10.6f %14s %7u\n", c->label, "nash",
            cpu[runs / 2], phase[runs / 2], peak / 1024.0, outcome.objective, outcome.gap,
            reference_text, outcome.n_committees);
  else
    printf ("  %-18s %-10s %8.2f %8.2f %8.1f %14.3f %9.1f%% %14s\n", c->label, "diversimax",
            cpu[runs / 2], phase[runs / 2], peak / 1024.0, outcome.objective, outcome.gap,
            reference_text);
  fflush (stdout);
}

/* ---- Cancel ------------------------------------------------------------- */

static double
cancel_latency (const Case  *c,
                KlAlgorithm  algorithm,
                guint        delay_ms)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  double latency;
  guint k;

  load (c, &in, &k);
  run = new_run (&in, algorithm, k);
  /* -1: the run ended before Cancel */
  latency = kl_bench_cancel_latency (run, NULL, delay_ms);
  kl_test_inputs_clear (&in);
  return latency;
}

int
main (int    argc,
      char **argv)
{
  const char *only = g_getenv ("KL_BENCH_ONLY");
  int runs = CLAMP (atoi (g_getenv ("KL_BENCH_RUNS") ? g_getenv ("KL_BENCH_RUNS") : "3"), 1, MAX_RUNS);
  const guint delays[] = { 20, 200, 1000, 1800 };

  printf ("nash and diversimax (seed 1; generated pools: 4 features), median of %d runs:\n", runs);
  printf ("  %-18s %-10s %8s %8s %8s %14s %10s %14s %7s\n", "pool", "algorithm", "CPU s", "phase s",
          "peak MB", "objective", "cert. gap", "library", "panels");
  for (guint a = 0; a < 2; a++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      if (only == NULL || strstr (cases[i].label, only) != NULL)
        bench_case (&cases[i], a == 0 ? KL_ALGORITHM_NASH : KL_ALGORITHM_DIVERSIMAX, runs);

  if (only == NULL)
    {
      const struct {
        const Case *pool;
        KlAlgorithm algorithm;
      } runs_to_cancel[] = {
        { &cases[6], KL_ALGORITHM_NASH },
        { &cases[4], KL_ALGORITHM_DIVERSIMAX },
      };

      for (guint r = 0; r < G_N_ELEMENTS (runs_to_cancel); r++)
        {
          printf ("time from Cancel to return, %s on %s:", kl_algorithm_to_string (runs_to_cancel[r].algorithm),
                  runs_to_cancel[r].pool->label);
          for (guint d = 0; d < G_N_ELEMENTS (delays); d++)
            {
              double latency = cancel_latency (runs_to_cancel[r].pool, runs_to_cancel[r].algorithm, delays[d]);

              if (latency < 0)
                printf (" ended before Cancel at %u ms;", delays[d]);
              else
                printf (" %.1f ms (Cancel at %u ms);", latency, delays[d]);
            }
          printf ("\n");
        }
    }
  return 0;
}
