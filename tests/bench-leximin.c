/* bench-leximin.c — leximin on generated pools from 150/22 to 2,000/200,
 * a tight-quota and a self-selection-biased pool, and the public reference
 * pools when ../shared/instances is there. Each pool runs several times,
 * each run in a child process; printed: median CPU seconds (user + system
 * of the child), peak memory, rounds, LP and panel (MIP) solves, the final
 * ε, the smallest chance and, for comparison, maximin's certified optimum
 * on the same pool (nan when maximin did not finish within two CPU
 * minutes). Then the time from Cancel to the run's return.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 3
#define MAXIMIN_CPU_LIMIT 120  /* CPU seconds for the comparison run */

typedef struct {
  const char *label;
  guint n;                /* 0: a reference instance */
  guint k;
  double tightness;
  double bias;
  const char *instance;   /* folder under ../shared/instances */
  double reference_min;   /* the Python library's minimum, or 0 */
} Pool;

static const Pool pools[] = {
  { "150/22", 150, 22, 0.3, 0.3, NULL, 0 },
  { "300/45", 300, 45, 0.3, 0.3, NULL, 0 },
  { "500/75", 500, 75, 0.3, 0.3, NULL, 0 },
  { "750/112", 750, 112, 0.3, 0.3, NULL, 0 },
  { "2000/200", 2000, 200, 0.3, 0.3, NULL, 0 },
  { "300/45 tight", 300, 45, 0.9, 0.3, NULL, 0 },
  { "1200/80 biased", 1200, 80, 0.3, 0.9, NULL, 0 },
  { "fixtures_150_22", 0, 0, 0, 0, "fixtures_150_22", 1.0 / 11 },
  { "synth_150_22", 0, 0, 0, 0, "synth_150_22", 0.14667 },
  { "synth_300_45", 0, 0, 0, 0, "synth_300_45", 0.15 },
  { "synth_500_75", 0, 0, 0, 0, "synth_500_75", 0.15 },
  { "synth_750_112", 0, 0, 0, 0, "synth_750_112", 0 },
  { "pgoelz_small_20", 0, 0, 0, 0, "pgoelz_example_small_20", 0.1 },
  { "pgoelz_large_200", 0, 0, 0, 0, "pgoelz_example_large_200", 0 },
};

/* What a child sends back. */
typedef struct {
  double minimum;
  double epsilon;
  double maximin_value;
  double maximin_bound;
  int rounds;
  int levels;
  int lp_solves;
  int pricing_solves;
  int panels;
  int reductions;
  int forced_fixes;
  double outer_seconds;   /* CPU seconds from leximin_outer's start */
  double longest_gap;     /* wall seconds between progress events in it */
  int ok;
} Result;

/* A reporter that notes the CPU time when leximin_outer starts (the panel
 * search before it is shared with maximin and nash) and the longest wall
 * time between two progress events inside it. */
#define BENCH_TYPE_CLOCK_REPORTER (bench_clock_reporter_get_type ())
G_DECLARE_FINAL_TYPE (BenchClockReporter, bench_clock_reporter, BENCH, CLOCK_REPORTER, GObject)

struct _BenchClockReporter {
  GObject parent_instance;
  double outer_start_cpu;
  gint64 last_event;
  double longest_gap;
  gboolean in_outer;
};

static double
cpu_now (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
clock_tick (BenchClockReporter *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->in_outer && self->last_event > 0)
    self->longest_gap = MAX (self->longest_gap, (now - self->last_event) / 1e6);
  self->last_event = now;
}

static gboolean
clock_start_phase (KlProgressReporter  *reporter,
                   const char          *name,
                   gint64               total,
                   const char          *message,
                   GError             **error)
{
  BenchClockReporter *self = BENCH_CLOCK_REPORTER (reporter);

  self->in_outer = g_strcmp0 (name, KL_PHASE_LEXIMIN_OUTER) == 0;
  if (self->in_outer)
    self->outer_start_cpu = cpu_now ();
  self->last_event = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
clock_update (KlProgressReporter  *reporter,
              gint64               current,
              const char          *message,
              GError             **error)
{
  clock_tick (BENCH_CLOCK_REPORTER (reporter));
  return TRUE;
}

static gboolean
clock_end_phase (KlProgressReporter  *reporter,
                 GError             **error)
{
  BenchClockReporter *self = BENCH_CLOCK_REPORTER (reporter);

  clock_tick (self);
  self->in_outer = FALSE;
  return TRUE;
}

static void
bench_clock_reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = clock_start_phase;
  iface->update = clock_update;
  iface->end_phase = clock_end_phase;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BenchClockReporter, bench_clock_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER,
                                                      bench_clock_reporter_iface_init))

static void
bench_clock_reporter_class_init (BenchClockReporterClass *klass)
{
}

static void
bench_clock_reporter_init (BenchClockReporter *self)
{
}

static char *
instance_dir (const char *name)
{
  const char *root = g_getenv ("KL_SOURCE_ROOT");

  return g_build_filename (root ? root : ".", "..", "shared", "instances", name, NULL);
}

static gboolean
load (const Pool   *pool,
      KlTestInputs *in,
      guint        *k)
{
  g_autofree char *dir = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *features = NULL;
  g_autofree char *people = NULL;
  g_autofree char *settings_path = NULL;
  g_autofree char *features_path = NULL;
  g_autofree char *people_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KlTable) quota_table = NULL;
  g_autoptr(KlTable) pool_table = NULL;
  g_autoptr(GError) error = NULL;

  if (pool->instance == NULL)
    {
      KlGeneratorOptions options;

      kl_generator_options_init (&options);
      options.n_people = pool->n;
      options.panel_size = pool->k;
      options.n_features = 4;
      options.tightness = pool->tightness;
      options.bias = pool->bias;
      options.household_share = 0;
      kl_test_inputs_generate (in, &options);
      *k = pool->k;
      return TRUE;
    }

  dir = instance_dir (pool->instance);
  settings_path = g_build_filename (dir, "settings.json", NULL);
  features_path = g_build_filename (dir, "features.csv", NULL);
  people_path = g_build_filename (dir, "candidates.csv", NULL);
  if (!g_file_get_contents (settings_path, &settings, NULL, NULL) ||
      !g_file_get_contents (features_path, &features, NULL, NULL) ||
      !g_file_get_contents (people_path, &people, NULL, NULL) ||
      !json_parser_load_from_data (parser, settings, -1, NULL))
    return FALSE;
  *k = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "panel_size");
  quota_table = kl_test_table (features);
  pool_table = kl_test_table (people);
  in->settings = kl_settings_load_data (settings, "settings.json", NULL, &error);
  if (in->settings != NULL)
    in->quotas = kl_quotas_load (quota_table, 0, NULL, &error);
  if (in->quotas != NULL)
    in->pool = kl_pool_load (pool_table, in->quotas, in->settings, NULL, &error);
  if (in->pool == NULL)
    g_error ("%s: %s", pool->label, error->message);
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

static int
int_param (KlMessage  *line,
           const char *key)
{
  return atoi (kl_message_get_param (line, key));
}

/* In a child: one leximin run, or (@maximin) one maximin run. */
static void
run_once (const Pool *pool,
          gboolean    maximin,
          int         out_fd)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BenchClockReporter) clock = g_object_new (BENCH_TYPE_CLOCK_REPORTER, NULL);
  Result result = { 0 };
  guint k;

  if (maximin)
    {
      /* Only a comparison: it must not hold the benchmark up. */
      struct rlimit limit = { MAXIMIN_CPU_LIMIT, MAXIMIN_CPU_LIMIT };
      setrlimit (RLIMIT_CPU, &limit);
    }
  if (!load (pool, &in, &k))
    _exit (2);
  run = new_run (&in, maximin ? KL_ALGORITHM_MAXIMIN : KL_ALGORITHM_LEXIMIN, k);
  if (!kl_run_execute (run, KL_PROGRESS_REPORTER (clock), NULL, &error))
    {
      fprintf (stderr, "%s: %s\n", pool->label, error->message);
      _exit (1);
    }

  if (maximin)
    {
      KlMessage *line = kl_report_find_line (kl_run_get_report (run), "maximin_value");

      result.maximin_value = g_ascii_strtod (kl_message_get_param (line, "value"), NULL);
      result.maximin_bound = g_ascii_strtod (kl_message_get_param (line, "bound"), NULL);
    }
  else
    {
      KlMessage *line = kl_report_find_line (kl_run_get_report (run), "leximin_value");
      const double *p = kl_run_get_probabilities (run);

      result.minimum = 1;
      for (guint i = 0; i < kl_pool_get_n_people (in.pool); i++)
        if (p[i] > 1e-9)
          result.minimum = MIN (result.minimum, p[i]);
      result.epsilon = g_ascii_strtod (kl_message_get_param (line, "epsilon"), NULL);
      result.rounds = int_param (line, "rounds");
      result.levels = int_param (line, "levels");
      result.lp_solves = int_param (line, "lp_solves");
      result.pricing_solves = int_param (line, "pricing_solves");
      result.panels = int_param (line, "panels");
      result.reductions = int_param (line, "reductions");
      result.forced_fixes = int_param (line, "forced_fixes");
      result.outer_seconds = cpu_now () - clock->outer_start_cpu;
      result.longest_gap = clock->longest_gap;
    }
  result.ok = 1;
  if (write (out_fd, &result, sizeof result) != sizeof result)
    _exit (1);
  _exit (0);
}

/* Forks a child for one run; its CPU seconds and peak memory (KB). */
static gboolean
in_child (const Pool *pool,
          gboolean    maximin,
          Result     *result,
          double     *cpu_seconds,
          long       *peak_kb)
{
  struct rusage usage;
  int fds[2], status;
  pid_t child;
  gboolean ok;

  if (pipe (fds) != 0)
    g_error ("pipe failed");
  fflush (stdout);
  child = fork ();
  if (child == 0)
    {
      close (fds[0]);
      run_once (pool, maximin, fds[1]);
    }
  close (fds[1]);
  ok = read (fds[0], result, sizeof *result) == sizeof *result && result->ok;
  close (fds[0]);
  wait4 (child, &status, 0, &usage);
  *cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                 usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  *peak_kb = usage.ru_maxrss;
  return ok;
}

static double
cancel_latency (const Pool *pool,
                guint       delay_ms)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  double latency;
  guint k;

  load (pool, &in, &k);
  run = new_run (&in, KL_ALGORITHM_LEXIMIN, k);
  latency = kl_bench_cancel_latency (run, NULL, delay_ms);
  kl_test_inputs_clear (&in);
  return latency;
}

int
main (int    argc,
      char **argv)
{
  const guint delays[] = { 20, 200, 1000, 2000, 3000, 4000 };
  const char *only = argc > 1 ? argv[1] : NULL;
  double worst = 0;

  printf ("leximin, %d runs each in child processes (median CPU seconds, user + system):\n", RUNS);
  for (guint s = 0; s < G_N_ELEMENTS (pools); s++)
    {
      const Pool *pool = &pools[s];
      double times[RUNS];
      Result result = { 0 }, maximin = { 0 };
      KlSummary summary;
      long peak = 0;
      double seconds;
      gboolean ok = TRUE;

      if (only != NULL && strstr (pool->label, only) == NULL)
        continue;
      if (pool->instance != NULL)
        {
          g_autofree char *dir = instance_dir (pool->instance);

          if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
            {
              printf ("  %-17s skipped: %s is not here\n", pool->label, dir);
              continue;
            }
        }

      for (int r = 0; r < RUNS && ok; r++)
        {
          long run_peak;

          ok = in_child (pool, FALSE, &result, &times[r], &run_peak);
          peak = MAX (peak, run_peak);
        }
      if (!ok)
        {
          printf ("  %-17s FAILED\n", pool->label);
          continue;
        }
      if (!in_child (pool, TRUE, &maximin, &seconds, &(long) { 0 }))
        maximin.maximin_value = maximin.maximin_bound = NAN;

      kl_summary_compute (times, RUNS, &summary);
      printf ("  %-17s median %7.2f s (min %.2f, max %.2f; leximin_outer %.2f)  peak %6.1f MB  "
              "rounds %3d  levels %3d  LP %4d  MIP %4d  panels %5d  ε %.1e  reductions %d  forced %d  "
              "longest silence %.2f s  minimum %.6f  maximin [%.6f, %.6f]",
              pool->label, summary.median, summary.min, summary.max, result.outer_seconds, peak / 1024.0,
              result.rounds, result.levels, result.lp_solves, result.pricing_solves,
              result.panels, result.epsilon, result.reductions, result.forced_fixes,
              result.longest_gap, result.minimum, maximin.maximin_value, maximin.maximin_bound);
      if (pool->reference_min > 0)
        printf ("  library %.5f (%s)", pool->reference_min,
                result.minimum >= pool->reference_min - 1e-4 ? "≥" : "BELOW");
      printf ("\n");
      fflush (stdout);
    }

  if (only == NULL)
    {
      printf ("time from Cancel to return, 2000/200:");
      for (guint d = 0; d < G_N_ELEMENTS (delays); d++)
        {
          double latency = cancel_latency (&pools[4], delays[d]);

          if (latency < 0)
            {
              printf (" finished first (at %u ms)", delays[d]);
              continue;
            }
          worst = MAX (worst, latency);
          printf (" %.1f ms (at %u ms)", latency, delays[d]);
        }
      printf ("; worst %.1f ms\n", worst);
    }
  return 0;
}
