/* test-leximin.c — leximin against brute force, the spec's examples, its
 * certificate, progress and cancellation (spec 4.6, Appendix A, 10.8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-lp-private.h"

#include <math.h>
#include <stdlib.h>

static const char *address_settings =
  "id_column = \"id\"\ncheck_same_address = true\ncheck_same_address_columns = [\"home\", \"street\"]\n";

static KlRun *
run_leximin (KlTestInputs *in,
             guint         k,
             GError      **error)
{
  return kl_test_run (in, KL_ALGORITHM_LEXIMIN, k, 42, NULL, NULL, error);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double *
sorted_probabilities (KlRun *run)
{
  guint n = kl_pool_get_n_people (kl_run_get_pool (run));
  double *sorted = g_memdup2 (kl_run_get_probabilities (run), n * sizeof (double));

  qsort (sorted, n, sizeof (double), compare_double);
  return sorted;
}

/* ---- brute force -------------------------------------------------------- */

/* Every valid panel of a small pool, k indices each. */
static GPtrArray *
all_valid_panels (KlPool *pool,
                  guint   k)
{
  guint n = kl_pool_get_n_people (pool);
  GPtrArray *panels = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *panel = g_new (guint, k);

  for (guint i = 0; i < k; i++)
    panel[i] = i;
  for (;;)
    {
      g_autoptr(GPtrArray) breaches = kl_messages_new ();
      int i;

      if (kl_panel_check (pool, panel, k, k, breaches))
        g_ptr_array_add (panels, g_memdup2 (panel, k * sizeof (guint)));

      /* next k-subset in lexicographic order */
      for (i = (int) k - 1; i >= 0 && panel[i] == n - k + (guint) i; i--)
        ;
      if (i < 0)
        break;
      panel[i]++;
      for (guint j = (guint) i + 1; j < k; j++)
        panel[j] = panel[j - 1] + 1;
    }
  return panels;
}

/* Over all panels: maximise (objective_person < 0) z or (else) that
 * person's probability, with p_j ≥ z for the unfixed and p_j ≥ q_j for the
 * fixed; when z_value ≥ 0, z is fixed at that value. */
static double
textbook_lp (GPtrArray    *panels,
             guint         n,
             guint         k,
             const double *fixed,
             double        z_value,
             int           objective_person)
{
  g_autoptr(KlLp) lp = kl_lp_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree int *row = g_new (int, n);
  int z_col = kl_lp_add_col (lp, KL_LP_CONTINUOUS, z_value >= 0 ? z_value : 0, z_value >= 0 ? z_value : 1,
                             objective_person < 0 ? 1 : 0);
  int minus_col[1] = { z_col }, sum_row;
  double minus[1] = { -1 };
  KlLpStatus status;

  for (guint i = 0; i < n; i++)
    row[i] = fixed[i] >= 0 ? kl_lp_add_row (lp, fixed[i] - 1e-9, KL_LP_INF, 0, NULL, NULL)
                           : kl_lp_add_row (lp, -1e-9, KL_LP_INF, 1, minus_col, minus);
  sum_row = kl_lp_add_row (lp, 1, 1, 0, NULL, NULL);

  for (guint c = 0; c < panels->len; c++)
    {
      const guint *panel = g_ptr_array_index (panels, c);
      g_autofree int *rows = g_new (int, k + 1);
      g_autofree double *ones = g_new (double, k + 1);
      gboolean counts = FALSE;
      int col = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 0);

      for (guint m = 0; m < k; m++)
        {
          rows[m] = row[panel[m]];
          ones[m] = 1;
          counts |= (int) panel[m] == objective_person;
        }
      rows[k] = sum_row;
      ones[k] = 1;
      kl_lp_set_col_coefficients (lp, col, k + 1, rows, ones);
      if (counts)
        kl_lp_set_objective (lp, col, 1);
    }

  status = kl_lp_solve (lp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, KL_LP_OPTIMAL);
  return kl_lp_get_objective (lp);
}

/* The leximin vector by the textbook sequence of LPs over all panels:
 * maximise the minimum of the unfixed; fix everyone who cannot exceed it;
 * repeat. People on no panel are fixed at 0 first. */
static double *
brute_force_leximin (KlPool *pool,
                     guint   k)
{
  guint n = kl_pool_get_n_people (pool);
  g_autoptr(GPtrArray) panels = all_valid_panels (pool, k);
  double *fixed = g_new (double, n);
  guint n_fixed = 0;

  g_assert_cmpuint (panels->len, >, 0);
  for (guint i = 0; i < n; i++)
    {
      gboolean on_some = FALSE;

      for (guint c = 0; c < panels->len && !on_some; c++)
        for (guint m = 0; m < k; m++)
          on_some |= ((const guint *) g_ptr_array_index (panels, c))[m] == i;
      fixed[i] = on_some ? -1 : 0;
      n_fixed += !on_some;
    }

  while (n_fixed < n)
    {
      double z = textbook_lp (panels, n, k, fixed, -1, -1);
      g_autofree gboolean *fix = g_new0 (gboolean, n);
      guint before = n_fixed;

      for (guint i = 0; i < n; i++)
        if (fixed[i] < 0 && textbook_lp (panels, n, k, fixed, z, i) <= z + 1e-7)
          fix[i] = TRUE;
      for (guint i = 0; i < n; i++)
        if (fix[i])
          {
            fixed[i] = z;
            n_fixed++;
          }
      g_assert_cmpuint (n_fixed, >, before);
    }

  qsort (fixed, n, sizeof (double), compare_double);
  return fixed;
}

/* A random small pool with two or three features and quotas that some
 * panel meets; with households when @households. */
static void
random_instance (GRand        *rand,
                 gboolean      households,
                 KlTestInputs *in,
                 guint        *k_out)
{
  const char *values[3][3] = { { "a", "b", "c" }, { "x", "y", "z" }, { "r", "s", "t" } };
  guint n = g_rand_int_range (rand, 6, 10);
  guint k = g_rand_int_range (rand, 2, MIN (n - 2, 5) + 1);
  guint n_features = g_rand_int_range (rand, 2, 4);
  guint n_values[3];
  g_autofree guint *value = g_new (guint, n * 3);
  g_autofree guint *home = g_new (guint, n);
  g_autofree gboolean *on_panel = g_new0 (gboolean, n);
  g_autofree gboolean *home_taken = g_new0 (gboolean, n);
  g_autoptr(GString) pool = g_string_new ("id");
  g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\n");
  guint chosen = 0;

  for (guint f = 0; f < n_features; f++)
    {
      n_values[f] = g_rand_int_range (rand, 2, 4);
      g_string_append_printf (pool, ",f%u", f);
    }
  g_string_append (pool, ",home,street\n");
  for (guint i = 0; i < n; i++)
    {
      home[i] = households ? (guint) g_rand_int_range (rand, 0, n - 2) : i;
      g_string_append_printf (pool, "p%u", i);
      for (guint f = 0; f < n_features; f++)
        {
          value[i * 3 + f] = g_rand_int_range (rand, 0, n_values[f]);
          g_string_append_printf (pool, ",%s", values[f][value[i * 3 + f]]);
        }
      g_string_append_printf (pool, ",%u,main\n", home[i]);
    }

  /* A panel of people from different homes, then quotas around it. */
  for (guint i = 0; i < n && chosen < k; i++)
    if (!home_taken[home[i]] && g_rand_boolean (rand))
      {
        on_panel[i] = home_taken[home[i]] = TRUE;
        chosen++;
      }
  for (guint i = 0; i < n && chosen < k; i++)
    if (!home_taken[home[i]])
      {
        on_panel[i] = home_taken[home[i]] = TRUE;
        chosen++;
      }
  k = chosen;

  for (guint f = 0; f < n_features; f++)
    for (guint v = 0; v < n_values[f]; v++)
      {
        guint count = 0, below = g_rand_int_range (rand, 0, 2), above = g_rand_int_range (rand, 0, 3);
        guint lo, hi;

        for (guint i = 0; i < n; i++)
          count += on_panel[i] && value[i * 3 + f] == v;
        lo = count - MIN (count, below);
        hi = MIN (count + above, k);
        g_string_append_printf (quotas, "f%u,%s,%u,%u\n", f, values[f][v], lo, hi);
      }

  kl_test_inputs_load (in, quotas->str, pool->str, households ? address_settings : NULL);
  *k_out = k;
}

static void
test_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2021);
  guint multi_level = 0;

  for (guint t = 0; t < 40; t++)
    {
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;
      g_autofree double *expected = NULL;
      g_autofree double *got = NULL;
      guint k;

      random_instance (rand, t % 3 == 2, &in, &k);
      run = run_leximin (&in, k, &error);
      g_assert_no_error (error);
      kl_test_assert_valid_distribution (run, k);

      expected = brute_force_leximin (in.pool, k);
      got = sorted_probabilities (run);
      for (guint i = 0; i < kl_pool_get_n_people (in.pool); i++)
        g_assert_cmpfloat_with_epsilon (got[i], expected[i], 1e-5);
      for (guint i = 1, levels = 1; i < kl_pool_get_n_people (in.pool); i++)
        if (expected[i] > expected[i - 1] + 1e-6 && ++levels == 3)
          multi_level++;
      kl_test_inputs_clear (&in);
    }
  /* The instances are not all trivial: many have three levels or more. */
  g_assert_cmpuint (multi_level, >=, 10);
}

/* ---- the spec's examples (Appendix A) ----------------------------------- */

static void
test_example1 (void)
{
  KlTestInputs plain = { 0 }, households = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) a = NULL;
  g_autoptr(KlRun) b = NULL;

  kl_test_inputs_load (&plain, kl_test_example1_quotas, kl_test_example1_pool, NULL);
  a = run_leximin (&plain, 2, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (a, 2);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "lisa"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "scrooge"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "louie"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "dewey"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "marge"), 2.0 / 3, 1e-5);

  kl_test_inputs_load (&households, kl_test_example1_quotas, kl_test_example1_pool, address_settings);
  b = run_leximin (&households, 2, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (b, 2);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (b, "lisa"), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (b, "scrooge"), 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (b, "louie"), 0.5, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (b, "dewey"), 0.5, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (b, "marge"), 1, 1e-5);
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (b), "agent_not_in_feasible_committee"));

  kl_test_inputs_clear (&plain);
  kl_test_inputs_clear (&households);
}

static void
test_example3 (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  KlMessage *certificate;

  kl_test_inputs_load (&in, "feature,value,min,max\nf1,v1,1,2\nf1,v2,0,2\nf2,v1,1,2\nf2,v2,0,2\n"
                            "f3,v1,1,2\nf3,v2,0,2\n",
                       "id,f1,f2,f3\na,v1,v1,v1\nb,v1,v2,v2\nc,v2,v1,v2\nd,v2,v2,v1\n", NULL);
  run = run_leximin (&in, 2, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 2);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "a"), 1, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "b"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "c"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "d"), 1.0 / 3, 1e-5);
  /* "a" is on every panel: fixed at 1 because no chance exceeds 1, not by
   * the fallback for rounds without a positive dual. */
  certificate = kl_report_find_line (kl_run_get_report (run), "leximin_value");
  g_assert_nonnull (certificate);
  g_assert_cmpstr (kl_message_get_param (certificate, "forced_fixes"), ==, "0");
  g_assert_cmpstr (kl_message_get_param (certificate, "reductions"), ==, "0");
  kl_test_inputs_clear (&in);
}

/* Example 4: no pair meets the quotas and no relaxation can help. */
static void
test_example4_cannot_relax (void)
{
  kl_test_assert_example4_cannot_relax (KL_ALGORITHM_LEXIMIN);
}

/* Example 5: grace, elinor and frank 1/2; each male liberal 7/8. */
static void
test_example5 (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, "feature,value,min,max\ngender,female,1,1\ngender,male,4,4\n"
                            "political,liberal,4,4\npolitical,conservative,1,1\n",
                       "id,gender,political\nadam,male,liberal\nbrian,male,liberal\ncameron,male,liberal\n"
                       "dave,male,liberal\nelinor,female,liberal\nfrank,male,conservative\n"
                       "grace,female,conservative\n", NULL);
  run = run_leximin (&in, 5, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "grace"), 0.5, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "elinor"), 0.5, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "frank"), 0.5, 1e-5);
  for (const char *const *id = (const char *const[]) { "adam", "brian", "cameron", "dave", NULL }; *id; id++)
    g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, *id), 7.0 / 8, 1e-5);
  kl_test_inputs_clear (&in);
}

/* Example 6: p61 is on no valid panel; everyone else 46/60. */
static void
test_example6 (void)
{
  const char *kinds[6][3] = { { "v1", "v1", "v3" }, { "v1", "v3", "v1" }, { "v3", "v1", "v1" },
                              { "v2", "v2", "v3" }, { "v2", "v3", "v2" }, { "v3", "v2", "v2" } };
  g_autoptr(GString) pool = g_string_new ("id,f1,f2,f3\n");
  g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\n");
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  const double *p;

  for (int f = 1; f <= 3; f++)
    g_string_append_printf (quotas, "f%d,v1,15,46\nf%d,v2,15,46\nf%d,v3,0,46\n", f, f, f);
  for (guint kind = 0; kind < 6; kind++)
    for (guint i = 0; i < 10; i++)
      g_string_append_printf (pool, "p%u,%s,%s,%s\n", kind * 10 + i + 1, kinds[kind][0], kinds[kind][1], kinds[kind][2]);
  g_string_append (pool, "p61,v3,v3,v3\n");

  kl_test_inputs_load (&in, quotas->str, pool->str, NULL);
  run = run_leximin (&in, 46, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 46);
  p = kl_run_get_probabilities (run);
  for (guint i = 0; i < 60; i++)
    g_assert_cmpfloat_with_epsilon (p[i], 46.0 / 60, 1e-5);
  g_assert_cmpfloat (kl_test_probability_of (run, "p61"), ==, 0);
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "agent_not_in_feasible_committee"));
  kl_test_inputs_clear (&in);
}

/* ---- certificate, maximin, progress, cancellation ----------------------- */

static void
generate (KlTestInputs *in,
          guint         n,
          guint         k,
          double        tightness,
          double        bias,
          guint32       seed)
{
  KlGeneratorOptions options;

  kl_generator_options_init (&options);
  options.n_people = n;
  options.panel_size = k;
  options.n_features = 4;
  options.tightness = tightness;
  options.bias = bias;
  options.household_share = 0;
  options.seed = seed;
  kl_test_inputs_generate (in, &options);
}

/* Leximin's first level is maximin: the same smallest chance, and the
 * certificate in the report says so, level by level. */
static void
test_minimum_is_maximin (void)
{
  const struct { guint n, k; double tightness, bias; } pools[] = {
    { 60, 10, 0.3, 0 }, { 90, 15, 0.9, 0 }, { 80, 12, 0.5, 0.8 },
  };

  for (guint t = 0; t < G_N_ELEMENTS (pools); t++)
    {
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) lex = NULL;
      g_autoptr(KlRun) max = NULL;
      g_autofree double *sorted = NULL;
      KlMessage *certificate, *maximin;
      guint n, counted = 0;
      double maximin_value, maximin_bound, previous = -1;

      generate (&in, pools[t].n, pools[t].k, pools[t].tightness, pools[t].bias, 7 + t);
      n = kl_pool_get_n_people (in.pool);
      lex = run_leximin (&in, pools[t].k, &error);
      g_assert_no_error (error);
      kl_test_assert_valid_distribution (lex, pools[t].k);
      max = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, pools[t].k, 42, NULL, NULL, &error);
      g_assert_no_error (error);

      maximin = kl_report_find_line (kl_run_get_report (max), "maximin_value");
      g_assert_nonnull (maximin);
      maximin_value = g_ascii_strtod (kl_message_get_param (maximin, "value"), NULL);
      maximin_bound = g_ascii_strtod (kl_message_get_param (maximin, "bound"), NULL);

      /* Ignore those no panel can hold: both give them 0. */
      sorted = sorted_probabilities (lex);
      for (guint i = 0; i < n; i++)
        if (sorted[i] > 1e-9)
          {
            /* Leximin's minimum is exact; maximin's is within its gap. */
            g_assert_cmpfloat (sorted[i], >=, maximin_value - 1e-6);
            g_assert_cmpfloat (sorted[i], <=, maximin_bound + 1e-6);
            break;
          }

      certificate = kl_report_find_line (kl_run_get_report (lex), "leximin_value");
      g_assert_nonnull (certificate);
      g_assert_cmpfloat (g_ascii_strtod (kl_message_get_param (certificate, "epsilon"), NULL), <=, 1e-6);
      g_assert_cmpint (atoi (kl_message_get_param (certificate, "rounds")), <=, n);

      /* Levels rise, and every person is on exactly one. */
      for (guint l = 0; l < kl_report_get_n_elements (kl_run_get_report (lex)); l++)
        {
          const KlMessage *line = kl_report_get_element (kl_run_get_report (lex), l)->message;
          double value;

          if (line == NULL || g_strcmp0 (line->code, "leximin_level") != 0)
            continue;
          value = g_ascii_strtod (kl_message_get_param (line, "value"), NULL);
          g_assert_cmpfloat (value, >, previous);
          previous = value;
          counted += atoi (kl_message_get_param (line, "count"));
        }
      g_assert_cmpuint (counted, ==, n);
      kl_test_inputs_clear (&in);
    }
}

/* The same seed gives the same distribution, panel for panel. */
static void
test_reproducible (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) first = NULL;
  g_autoptr(KlRun) second = NULL;
  g_autofree char *first_digest = NULL;
  g_autofree char *second_digest = NULL;

  generate (&in, 120, 15, 0.7, 0.7, 5);
  first = run_leximin (&in, 15, &error);
  g_assert_no_error (error);
  second = run_leximin (&in, 15, &error);
  g_assert_no_error (error);
  first_digest = kl_run_get_distribution_digest (first);
  second_digest = kl_run_get_distribution_digest (second);
  g_assert_nonnull (first_digest);
  g_assert_cmpstr (first_digest, ==, second_digest);
  kl_test_inputs_clear (&in);
}

/* Phase leximin_outer with total n; current = people fixed, never going
 * back, ending at n; a message with every event. */
static void
test_progress (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autofree char *start = NULL;
  gint64 last = -1;
  gboolean inside = FALSE;
  guint updates = 0;

  generate (&in, 60, 10, 0.5, 0.5, 3);
  run = kl_test_run (&in, KL_ALGORITHM_LEXIMIN, 10, 42, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);

  start = g_strdup_printf ("start leximin_outer %u |", kl_pool_get_n_people (in.pool));
  for (guint e = 0; e < reporter->events->len; e++)
    {
      const char *event = kl_recording_reporter_event (reporter, e);

      if (g_str_has_prefix (event, "start "))
        {
          inside = g_str_has_prefix (event, start);
          g_assert_true (strlen (strchr (event, '|')) > 1);
          continue;
        }
      if (!inside || !g_str_has_prefix (event, "update "))
        continue;
      {
        gint64 current = g_ascii_strtoll (event + strlen ("update "), NULL, 10);

        g_assert_cmpint (current, >=, last);
        g_assert_cmpint (current, <=, kl_pool_get_n_people (in.pool));
        g_assert_true (strlen (strchr (event, '|')) > 1);
        last = current;
        updates++;
      }
    }
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start leximin_outer "), ==, 1);
  g_assert_cmpint (last, ==, kl_pool_get_n_people (in.pool));
  g_assert_cmpuint (updates, >=, 2);
  kl_test_inputs_clear (&in);
}

typedef struct {
  GCancellable *cancellable;
  gboolean done;
  gboolean ok;
  GError *error;
} Pending;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;
  KlRun *run = g_task_get_task_data (G_TASK (result));

  pending->ok = kl_run_execute_finish (run, result, &pending->error);
  pending->done = TRUE;
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* A Cancel while leximin runs, at several moments (inside its solves among
 * them), stops the run with the cancelled error and nothing kept. */
static void
test_cancel (void)
{
  const guint delays_ms[] = { 5, 60, 250 };
  KlTestInputs in = { 0 };
  guint n_cancelled = 0;

  generate (&in, 300, 45, 0.5, 0.5, 11);
  for (guint d = 0; d < G_N_ELEMENTS (delays_ms); d++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(KlRun) run = NULL;
      Pending pending = { cancellable, FALSE, FALSE, NULL };
      KlRunParams params;

      kl_run_params_init (&params, in.settings);
      params.algorithm = KL_ALGORITHM_LEXIMIN;
      params.number_wanted = 45;
      params.seed = 5;
      run = kl_run_new (in.pool, in.settings, NULL, &params);
      kl_run_execute_async (run, NULL, cancellable, on_done, &pending);
      g_timeout_add (delays_ms[d], cancel_now, cancellable);
      while (!pending.done)
        g_main_context_iteration (NULL, TRUE);
      /* A run may finish before the Cancel comes; a cancelled one keeps no
       * panel. */
      if (!pending.ok)
        {
          g_assert_error (pending.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpuint (kl_run_get_n_panels (run), ==, 0);
          n_cancelled++;
        }
      g_clear_error (&pending.error);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (n_cancelled, >=, 1);
  /* and while the distribution becomes panels, after the last level */
  kl_test_assert_cancel_in_phase (&in, KL_ALGORITHM_LEXIMIN, 45, "building_panels");
  kl_test_inputs_clear (&in);
}

/* The reporter cancels at the first leximin_outer update: the next solve
 * stops the run. */
static void
test_cancel_in_outer_loop (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  generate (&in, 60, 10, 0.5, 0.5, 3);
  reporter->cancel_at_update = g_object_ref (cancellable);
  reporter->cancel_after = 0;
  reporter->cancel_in_phase = g_strdup (KL_PHASE_LEXIMIN_OUTER);
  run = kl_test_run (&in, KL_ALGORITHM_LEXIMIN, 10, 42, KL_PROGRESS_REPORTER (reporter), cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (kl_run_get_n_panels (run), ==, 0);
  kl_test_inputs_clear (&in);
}

/* ---- the command line --------------------------------------------------- */

/* kleroterion-cli select --algorithm leximin on Example 5: the chances it
 * writes are leximin's, and the report carries the certificate. */
static void
test_cli (void)
{
  g_autofree char *settings = kl_test_write_file ("lex-settings.toml", "id_column = \"id\"\n");
  g_autofree char *quotas = kl_test_write_file ("lex-quotas.csv",
                                                "feature,value,min,max\ngender,female,1,1\ngender,male,4,4\n"
                                                "political,liberal,4,4\npolitical,conservative,1,1\n");
  g_autofree char *pool = kl_test_write_file ("lex-pool.csv",
                                              "id,gender,political\nadam,male,liberal\nbrian,male,liberal\n"
                                              "cameron,male,liberal\ndave,male,liberal\nelinor,female,liberal\n"
                                              "frank,male,conservative\ngrace,female,conservative\n");
  g_autofree char *selected = g_build_filename (kl_test_dir (), "lex-selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "lex-remaining.csv", NULL);
  g_autofree char *probabilities = g_build_filename (kl_test_dir (), "lex-probabilities.csv", NULL);
  g_autofree char *report = g_build_filename (kl_test_dir (), "lex-report.json", NULL);
  const char *argv[] = { g_getenv ("KL_CLI"), "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "5",
                         "--algorithm", "leximin", "--seed", "3", "-s", selected, "-r", remaining,
                         "--probabilities-csv", probabilities, "--report", report, "--progress", "none", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint checked = 0;

  if (argv[0] == NULL)
    {
      g_test_skip ("KL_CLI is not set (meson test sets it)");
      return;
    }
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (probabilities, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 1; lines[l] != NULL && *lines[l] != '\0'; l++)
    {
      g_auto(GStrv) cells = g_strsplit (g_strchomp (lines[l]), ",", -1);
      double expected = g_str_equal (cells[0], "grace") || g_str_equal (cells[0], "elinor") ||
                        g_str_equal (cells[0], "frank") ? 0.5 : 7.0 / 8;

      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cells[1], NULL), expected, 1e-5);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 7);

  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (report, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"leximin_value\""));
  g_assert_nonnull (strstr (text, "\"leximin_level\""));
}

/* ---- the public reference pools (skipped when absent) ------------------- */

static gboolean
load_instance (const char   *name,
               KlTestInputs *in,
               guint        *k)
{
  g_autofree char *dir = g_build_filename (g_getenv ("KL_SOURCE_ROOT") ? g_getenv ("KL_SOURCE_ROOT") : ".",
                                           "..", "shared", "instances", name, NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.json", NULL);
  g_autofree char *features_path = g_build_filename (dir, "features.csv", NULL);
  g_autofree char *people_path = g_build_filename (dir, "candidates.csv", NULL);
  g_autofree char *settings = NULL;
  g_autofree char *features = NULL;
  g_autofree char *people = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!g_file_get_contents (settings_path, &settings, NULL, NULL) ||
      !g_file_get_contents (features_path, &features, NULL, NULL) ||
      !g_file_get_contents (people_path, &people, NULL, NULL) ||
      !json_parser_load_from_data (parser, settings, -1, NULL))
    return FALSE;
  *k = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "panel_size");
  {
    g_autoptr(KlTable) quota_table = kl_test_table (features);
    g_autoptr(KlTable) pool_table = kl_test_table (people);
    g_autoptr(GError) error = NULL;

    in->settings = kl_settings_load_data (settings, "settings.json", NULL, &error);
    g_assert_no_error (error);
    in->quotas = kl_quotas_load (quota_table, 0, NULL, &error);
    g_assert_no_error (error);
    in->pool = kl_pool_load (pool_table, in->quotas, in->settings, NULL, &error);
    g_assert_no_error (error);
  }
  return TRUE;
}

/* The library's fixture: minimum exactly 1/11 (the library reaches 0.0905). */
static void
test_fixture_reference (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autofree double *sorted = NULL;
  guint k;

  if (!load_instance ("fixtures_150_22", &in, &k))
    {
      g_test_skip ("../shared/instances is not here");
      return;
    }
  run = run_leximin (&in, k, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, k);
  sorted = sorted_probabilities (run);
  g_assert_cmpfloat_with_epsilon (sorted[0], 1.0 / 11, 1e-6);
  kl_test_inputs_clear (&in);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/leximin/brute-force", test_brute_force);
  g_test_add_func ("/leximin/example1", test_example1);
  g_test_add_func ("/leximin/example3", test_example3);
  g_test_add_func ("/leximin/example4-cannot-relax", test_example4_cannot_relax);
  g_test_add_func ("/leximin/example5", test_example5);
  g_test_add_func ("/leximin/example6", test_example6);
  g_test_add_func ("/leximin/minimum-is-maximin", test_minimum_is_maximin);
  g_test_add_func ("/leximin/reproducible", test_reproducible);
  g_test_add_func ("/leximin/progress", test_progress);
  g_test_add_func ("/leximin/cancel", test_cancel);
  g_test_add_func ("/leximin/cancel-in-outer-loop", test_cancel_in_outer_loop);
  g_test_add_func ("/leximin/cli", test_cli);
  g_test_add_func ("/leximin/fixture-reference", test_fixture_reference);

  return g_test_run ();
}
