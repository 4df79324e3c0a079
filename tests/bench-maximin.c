/* bench-maximin.c — maximin where users' pools are: generated pools from a
 * thousand to twenty thousand volunteers, tight quotas, strong
 * self-selection bias, the pool that once stalled, and the public
 * 2,000-person example when it is at hand. Each pool runs in a child
 * process (several times for the smaller ones); the table gives the
 * median CPU seconds, the peak memory, the maximin value, the certified
 * gap and the size of the column generation. Then the time from Cancel
 * to the run's return at moments spread over a run of a large pool.
 *
 *   bench-maximin            every pool
 *   bench-maximin LABEL…     only these (e.g. "tight-600/60")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  const char *label;
  guint n;
  guint k;
  guint features;
  double tightness;
  double bias;
  double households;
  const char *instance;   /* a folder of ../shared/instances instead */
  int runs;
} Pool;

static const Pool pools[] = {
  { "750/112",          750,  112, 4, 0.3, 0.3, 0.0, NULL, 3 },
  { "500/50",           500,   50, 4, 0.3, 0.3, 0.1, NULL, 3 },
  { "1000/100",        1000,  100, 4, 0.3, 0.3, 0.1, NULL, 3 },
  { "tight-600/60",     600,   60, 5, 0.9, 0.8, 0.1, NULL, 3 },
  { "tight-1200/80",   1200,   80, 5, 0.9, 0.8, 0.1, NULL, 3 },
  { "biased-1200/80",  1200,   80, 4, 0.3, 0.9, 0.1, NULL, 3 },
  { "2500/150",        2500,  150, 4, 0.3, 0.3, 0.1, NULL, 3 },
  { "biased-2500/150", 2500,  150, 4, 0.3, 0.9, 0.1, NULL, 3 },
  { "5000/250",        5000,  250, 4, 0.3, 0.3, 0.1, NULL, 1 },
  { "10000/500",      10000,  500, 4, 0.3, 0.3, 0.1, NULL, 1 },
  { "20000/1000",     20000, 1000, 4, 0.3, 0.3, 0.1, NULL, 1 },
  /* narrow bands, no bias: the pool of /lp/stalling-master, whose
   * per-person master stalls GLPK's primal simplex */
  { "narrow-750/112",   750,  112, 5, 1.0, 0.0, 0.0, NULL, 3 },
  { "pgoelz-large-200", 2000, 200, 0, 0, 0, 0, "pgoelz_example_large_200", 3 },
  { "synth-750-112",     750, 112, 0, 0, 0, 0, "synth_750_112", 3 },
};

typedef struct {
  double value;
  double bound;
  double committees;
  double distribution_size;
} Outcome;

static char *
instance_file (const Pool *pool,
               const char *name)
{
  return g_build_filename (g_getenv ("KL_SOURCE_ROOT") ? g_getenv ("KL_SOURCE_ROOT") : ".",
                           "..", "shared", "instances", pool->instance, name, NULL);
}

static gboolean
load (const Pool   *pool,
      KlTestInputs *in)
{
  KlGeneratorOptions options;
  g_autofree char *quotas = NULL, *people = NULL, *settings = NULL;
  g_autofree char *quotas_path = NULL, *people_path = NULL, *settings_path = NULL;
  g_autoptr(GError) error = NULL;

  if (pool->instance == NULL)
    {
      kl_generator_options_init (&options);
      options.n_people = pool->n;
      options.panel_size = pool->k;
      options.n_features = pool->features;
      options.tightness = pool->tightness;
      options.bias = pool->bias;
      options.household_share = pool->households;
      options.seed = 1;
      kl_test_inputs_generate (in, &options);
      return TRUE;
    }

  quotas_path = instance_file (pool, "features.csv");
  people_path = instance_file (pool, "candidates.csv");
  settings_path = instance_file (pool, "settings.json");
  if (!g_file_get_contents (quotas_path, &quotas, NULL, NULL) ||
      !g_file_get_contents (people_path, &people, NULL, NULL) ||
      !g_file_get_contents (settings_path, &settings, NULL, NULL))
    return FALSE;
  {
    g_autoptr(KlTable) quota_table = kl_test_table (quotas);
    g_autoptr(KlTable) pool_table = kl_test_table (people);

    in->settings = kl_settings_load_data (settings, "settings.json", NULL, &error);
    g_assert_no_error (error);
    in->quotas = kl_quotas_load (quota_table, 0, NULL, &error);
    g_assert_no_error (error);
    in->pool = kl_pool_load (pool_table, in->quotas, in->settings, NULL, &error);
    g_assert_no_error (error);
  }
  return TRUE;
}

static KlRun *
new_run (const Pool   *pool,
         KlTestInputs *in)
{
  KlRunParams params;

  kl_run_params_init (&params, in->settings);
  params.algorithm = KL_ALGORITHM_MAXIMIN;
  params.number_wanted = pool->k;
  params.seed = 1;
  return kl_run_new (in->pool, in->settings, NULL, &params);
}

/* In a child: one run; writes its outcome to @out_fd. */
static void G_GNUC_NORETURN
run_once (const Pool *pool,
          int         out_fd)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 1, 1, 0, 0 };
  const double *p;
  KlMessage *line;

  load (pool, &in);
  run = new_run (pool, &in);
  if (!kl_run_execute (run, NULL, NULL, &error))
    {
      fprintf (stderr, "%s: %s\n", pool->label, error->message);
      _exit (1);
    }
  p = kl_run_get_probabilities (run);
  for (guint i = 0; i < kl_pool_get_n_people (kl_run_get_working_pool (run)); i++)
    if (p[i] > 1e-9)
      outcome.value = MIN (outcome.value, p[i]);
  line = kl_report_find_line (kl_run_get_report (run), "maximin_value");
  if (line != NULL)
    outcome.bound = g_ascii_strtod (kl_message_get_param (line, "bound"), NULL);
  line = kl_report_find_line (kl_run_get_report (run), "maximin_is_at_most");
  outcome.distribution_size = kl_run_get_n_committees (run);
  for (guint e = 0; e < kl_report_get_n_elements (kl_run_get_report (run)); e++)
    {
      const KlReportElement *element = kl_report_get_element (kl_run_get_report (run), e);
      if (element->type == KL_REPORT_LINE && g_str_equal (element->message->code, "maximin_is_at_most"))
        outcome.committees = g_ascii_strtod (kl_message_get_param (element->message, "num_committees"), NULL);
    }
  if (write (out_fd, &outcome, sizeof outcome) != sizeof outcome)
    _exit (1);
  _exit (0);
}

typedef struct {
  KlRecordingReporter *reporter;
  guint count;
} EventCount;

static void
count_events (gpointer data)
{
  EventCount *n_events = data;

  n_events->count = n_events->reporter->events->len;
}

/* Milliseconds from Cancel to the run's return, cancelled @delay_ms
 * after it started; @phase is set to the phase it was in. */
static double
cancel_latency (const Pool  *pool,
                guint        delay_ms,
                char       **phase)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  EventCount n_events = { 0 };
  double latency;

  load (pool, &in);
  run = new_run (pool, &in);
  /* Attached before the run's own timer, so dispatched just before Cancel. */
  n_events.reporter = reporter;
  g_timeout_add_once (delay_ms, count_events, &n_events);
  latency = kl_bench_cancel_latency (run, KL_PROGRESS_REPORTER (reporter), delay_ms);
  *phase = g_strdup ("before the first phase");
  for (guint e = n_events.count; e > 0; e--)
    {
      const char *event = kl_recording_reporter_event (reporter, e - 1);
      const char *text = strchr (event, '|');

      g_free (*phase);
      if (g_str_has_prefix (event, "end"))
        *phase = g_strdup ("after the phases: count vectors to panels");
      else if (text != NULL)
        *phase = g_strdup_printf ("%.*s: %.60s", (int) strcspn (event, " "), event, text + 1);
      else
        continue;
      break;
    }
  kl_test_inputs_clear (&in);
  return latency;
}

static gboolean
wanted (const Pool *pool,
        int         argc,
        char      **argv)
{
  if (argc < 2)
    return TRUE;
  for (int a = 1; a < argc; a++)
    if (g_str_equal (argv[a], pool->label))
      return TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  /* 20000/1000, the largest pool: multiplicative weights until about
   * 15 s, then the relaxation and column generation until about 45 s,
   * then the count vectors become panels */
  const guint delays[] = { 100, 5000, 15000, 20000, 30000, 40000, 46000 };
  const Pool *large = &pools[10];
  double worst = 0;

  printf ("maximin, seed 1 (CPU seconds of the whole run, median over the runs)\n");
  printf ("%-17s %5s %9s %9s %10s %10s %9s %8s\n", "pool", "runs", "cpu s", "peak MB", "maximin",
          "bound", "gap", "panels");
  for (guint s = 0; s < G_N_ELEMENTS (pools); s++)
    {
      const Pool *pool = &pools[s];
      double times[8];
      Outcome outcome = { 0 };
      KlSummary summary;
      long peak = 0;
      int runs = 0;

      if (!wanted (pool, argc, argv))
        continue;
      if (pool->instance != NULL)
        {
          g_autofree char *path = instance_file (pool, "candidates.csv");
          if (!g_file_test (path, G_FILE_TEST_EXISTS))
            {
              printf ("%-17s (not at hand: %s)\n", pool->label, path);
              continue;
            }
        }

      for (int r = 0; r < pool->runs; r++)
        {
          struct rusage usage;
          int fds[2], status;
          pid_t child;

          if (pipe (fds) != 0)
            g_error ("pipe failed");
          fflush (stdout);
          child = fork ();
          if (child == 0)
            run_once (pool, fds[1]);
          close (fds[1]);
          if (read (fds[0], &outcome, sizeof outcome) != sizeof outcome)
            g_error ("%s: the run failed", pool->label);
          close (fds[0]);
          wait4 (child, &status, 0, &usage);
          peak = MAX (peak, usage.ru_maxrss);
          times[runs++] = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                          usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
        }
      kl_summary_compute (times, runs, &summary);
      printf ("%-17s %5d %9.2f %9.1f %10.6f %10.6f %9.6f %8.0f\n", pool->label, runs, summary.median,
              peak / 1024.0, outcome.value, outcome.bound, MAX (outcome.bound - outcome.value, 0),
              outcome.committees);
      fflush (stdout);
    }

  if (wanted (large, argc, argv))
    {
      printf ("time from Cancel to return, %s:\n", large->label);
      for (guint d = 0; d < G_N_ELEMENTS (delays); d++)
        {
          g_autofree char *phase = NULL;
          double latency = cancel_latency (large, delays[d], &phase);

          if (latency < 0)
            {
              printf ("  at %5u ms: the run had already finished\n", delays[d]);
              continue;
            }
          worst = MAX (worst, latency);
          printf ("  at %5u ms (%s): %.1f ms\n", delays[d], phase, latency);
        }
      printf ("  worst %.1f ms\n", worst);
    }
  return 0;
}
