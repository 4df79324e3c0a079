/* test-maximin.c — maximin, infeasible quotas, test selection and the
 * lottery (spec 3.5, 3.6, 4.1–4.4, 4.9, Appendix A, 10.8, 10.17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-algorithm-private.h"
#include "kl-lottery-private.h"
#include "kl-lp-private.h"
#include "kl-committee-model-private.h"

#include <math.h>
#include <stdlib.h>

static const char *address_settings =
  "id_column = \"id\"\ncheck_same_address = true\ncheck_same_address_columns = [\"home\", \"street\"]\n";

/* 600/60, tight quotas on five features, strong self-selection: the
 * optimum is far below k/n, so column generation runs many iterations. */
static void
generate_tight_biased (KlTestInputs *in)
{
  KlGeneratorOptions options;

  kl_generator_options_init (&options);
  options.n_people = 600;
  options.panel_size = 60;
  options.n_features = 5;
  options.tightness = 0.9;
  options.bias = 0.8;
  kl_test_inputs_generate (in, &options);
}

static KlRun *
run_maximin (KlTestInputs *in,
             guint         k,
             GError      **error)
{
  return kl_test_run (in, KL_ALGORITHM_MAXIMIN, k, 42, NULL, NULL, error);
}

static void
test_example1 (void)
{
  KlTestInputs plain = { 0 }, households = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) a = NULL;
  g_autoptr(KlRun) b = NULL;

  kl_test_inputs_load (&plain, kl_test_example1_quotas, kl_test_example1_pool, NULL);
  a = run_maximin (&plain, 2, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (a, 2);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "lisa"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "scrooge"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "louie"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "dewey"), 1.0 / 3, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (a, "marge"), 2.0 / 3, 1e-5);

  /* Lisa and Scrooge share a home, as do Louie and Dewey: any panel with
   * Lisa or Scrooge would need the other, so both are out. */
  kl_test_inputs_load (&households, kl_test_example1_quotas, kl_test_example1_pool, address_settings);
  b = run_maximin (&households, 2, &error);
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

  kl_test_inputs_load (&in, "feature,value,min,max\nf1,v1,1,2\nf1,v2,0,2\nf2,v1,1,2\nf2,v2,0,2\n"
                            "f3,v1,1,2\nf3,v2,0,2\n", kl_test_example3_pool, NULL);
  run = run_maximin (&in, 2, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 2);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "a"), 1, 1e-5);
  for (const char *id = "b"; *id <= 'd'; id = (const char *[]) { "c", "d", "e" }[*id - 'b'])
    g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, id), 1.0 / 3, 1e-5);
  kl_test_inputs_clear (&in);
}

/* Quotas built in code with flex bounds of 0 that no relaxation can move:
 * no pair meets them, and the relaxation is itself infeasible. */
static void
test_example4_cannot_relax (void)
{
  kl_test_assert_example4_cannot_relax (KL_ALGORITHM_MAXIMIN);
}

static void
test_example5 (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  const double *p;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  run = run_maximin (&in, 5, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 5);
  p = kl_run_get_probabilities (run);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpfloat (p[i], >=, 0.5 - 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "elinor"), 0.5, 1e-5);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "grace"), 0.5, 1e-5);
  kl_test_inputs_clear (&in);
}

static void
test_example6 (void)
{
  const char *kinds[6][3] = {
    { "v1", "v1", "v3" }, { "v1", "v3", "v1" }, { "v3", "v1", "v1" },
    { "v2", "v2", "v3" }, { "v2", "v3", "v2" }, { "v3", "v2", "v2" },
  };
  g_autoptr(GString) pool = g_string_new ("id,f1,f2,f3\n");
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  KlMessage *excluded;

  for (guint kind = 0; kind < 6; kind++)
    for (guint i = 0; i < 10; i++)
      g_string_append_printf (pool, "p%u,%s,%s,%s\n", kind * 10 + i + 1, kinds[kind][0], kinds[kind][1], kinds[kind][2]);
  g_string_append (pool, "p61,v3,v3,v3\n");

  kl_test_inputs_load (&in, "feature,value,min,max\nf1,v1,15,46\nf1,v2,15,46\nf1,v3,0,46\n"
                            "f2,v1,15,46\nf2,v2,15,46\nf2,v3,0,46\nf3,v1,15,46\nf3,v2,15,46\nf3,v3,0,46\n",
                       pool->str, NULL);
  run = run_maximin (&in, 46, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 46);
  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, id), 46.0 / 60, 1e-5);
    }
  g_assert_cmpfloat (kl_test_probability_of (run, "p61"), ==, 0);
  excluded = kl_report_find_line (kl_run_get_report (run), "agent_not_in_feasible_committee");
  g_assert_nonnull (excluded);
  g_assert_cmpstr (kl_message_get_param (excluded, "agent_id"), ==, "p61");
  kl_test_inputs_clear (&in);
}

/* Jointly infeasible, though every value has people enough: three women
 * all young and three men all old cannot give 3 women and 3 old people in
 * a panel of 4. The suggestion is the cheapest change, and it works. */
static void
test_infeasible_suggests_relaxation (void)
{
  KlTestInputs in = { 0 };
  KlTestInputs relaxed_in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(KlRun) again = NULL;
  const KlReportElement *failure;
  KlQuotas *suggested;
  g_autofree char *relaxed_csv = NULL;
  const char *pool = "id,gender,age\n1,f,young\n2,f,young\n3,f,young\n4,m,old\n5,m,old\n6,m,old\n";
  double cost = 0;

  kl_test_inputs_load (&in, "feature,value,min,max\ngender,f,3,3\ngender,m,1,1\nage,young,1,1\nage,old,3,3\n",
                       pool, NULL);
  run = run_maximin (&in, 4, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INFEASIBLE);
  g_assert_nonnull (strstr (error->message, "No panel can meet all the quotas"));

  failure = kl_report_get_last_error (kl_run_get_report (run));
  g_assert_nonnull (failure);
  g_assert_cmpstr (((KlMessage *) g_ptr_array_index (failure->messages, 0))->code, ==, "infeasible_quotas_header");
  g_assert_cmpuint (failure->messages->len, >, 1);
  for (guint i = 1; i < failure->messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (failure->messages, i);
      int old_bound = atoi (kl_message_get_param (m, "old"));
      int new_bound = atoi (kl_message_get_param (m, "new"));

      g_assert_true (g_str_equal (m->code, "relax_min") || g_str_equal (m->code, "relax_max"));
      if (g_str_equal (m->code, "relax_min"))
        cost += (old_bound - new_bound) * (1 + 2.0 / old_bound);
      else
        cost += new_bound - old_bound;
    }
  /* Every way out costs 16/3 here (e.g. lower the women's minimum by 2 and
   * raise the men's maximum by 2). */
  g_assert_cmpfloat_with_epsilon (cost, 16.0 / 3, 1e-9);

  suggested = kl_run_get_suggested_quotas (run);
  g_assert_nonnull (suggested);
  relaxed_csv = kl_quotas_to_csv (suggested);
  kl_test_inputs_load (&relaxed_in, relaxed_csv, pool, NULL);
  g_clear_error (&error);
  again = run_maximin (&relaxed_in, 4, &error);
  g_assert_no_error (error);

  kl_test_inputs_clear (&in);
  kl_test_inputs_clear (&relaxed_in);
}

/* A pool with fewer distinct households than seats cannot make a panel. */
static void
test_too_few_households (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, "feature,value,min,max\ng,a,0,3\n",
                       "id,g,home,street\n1,a,x,s\n2,a,x,s\n3,a,y,s\n4,a,y,s\n", address_settings);
  run = run_maximin (&in, 3, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_CANNOT_RELAX);
  kl_test_inputs_clear (&in);
}

static void
test_test_selection (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) first = NULL;
  g_autoptr(KlRun) second = NULL;
  KlRunParams params;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  kl_run_params_init (&params, in.settings);
  params.number_wanted = 5;
  params.test_selection = TRUE;
  params.algorithm = KL_ALGORITHM_LEGACY;  /* ignored: a test selection always uses the model */
  first = kl_run_new (in.pool, in.settings, NULL, &params);
  g_assert_true (kl_run_execute (first, KL_PROGRESS_REPORTER (reporter), NULL, &error));
  g_assert_no_error (error);
  second = kl_run_new (in.pool, in.settings, NULL, &params);
  g_assert_true (kl_run_execute (second, NULL, NULL, &error));

  /* Not random: the same panel every time, said loudly, with no phases. */
  g_assert_cmpmem (kl_run_get_panel (first, 0, NULL), 5 * sizeof (guint),
                   kl_run_get_panel (second, 0, NULL), 5 * sizeof (guint));
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (first), "test_selection_warning"));
  g_assert_cmpuint (reporter->events->len, ==, 0);
  g_assert_null (kl_run_get_probabilities (first));

  params.number_selections = 2;
  g_clear_pointer (&second, kl_run_unref);
  second = kl_run_new (in.pool, in.settings, NULL, &params);
  g_assert_false (kl_run_execute (second, NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFIGURATION);
  kl_test_inputs_clear (&in);
}

static void
test_maximin_phases (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  run = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, 5, 1, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);
  /* multiplicative_weights with total n (a budget: the rounds stop once
   * everyone is on a panel, and the phase then ends at its total), then
   * maximin_optimization with no total, then building_panels counting
   * groups and seat counts to its total; three starts, three ends. */
  g_assert_true (g_str_has_prefix (kl_recording_reporter_event (reporter, 0), "start multiplicative_weights 7 |"));
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start"), ==, 3);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start maximin_optimization -1 |"), ==, 1);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start building_panels "), ==, 1);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "end"), ==, 3);
  /* building_panels ends at its total, the last thing the run reports */
  for (guint e = 0; e < reporter->events->len; e++)
    {
      const char *event = kl_recording_reporter_event (reporter, e);
      g_autofree char *last_update = NULL;

      if (!g_str_has_prefix (event, "start building_panels "))
        continue;
      g_assert_cmpuint (e + 2, <, reporter->events->len);
      last_update = g_strdup_printf ("update %" G_GINT64_FORMAT " |",
                                     g_ascii_strtoll (event + strlen ("start building_panels "), NULL, 10));
      g_assert_true (g_str_has_prefix (kl_recording_reporter_event (reporter, reporter->events->len - 2),
                                       last_update));
      g_assert_cmpstr (kl_recording_reporter_event (reporter, reporter->events->len - 1), ==, "end");
    }
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "update 7 |"), >=, 1);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "update"), >=, 3);
  kl_test_inputs_clear (&in);
}

/* Cancelling in either phase stops the run with G_IO_ERROR_CANCELLED and
 * ends the phase; under AddressSanitizer it also proves nothing leaks. */
static void
test_cancel_in_each_phase (void)
{
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  const char *phases[] = { "multiplicative_weights", "maximin_optimization", "building_panels" };

  kl_generator_options_init (&options);
  options.n_people = 300;
  options.panel_size = 30;
  kl_test_inputs_generate (&in, &options);

  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    kl_test_assert_cancel_in_phase (&in, KL_ALGORITHM_MAXIMIN, 30, phases[p]);
  kl_test_inputs_clear (&in);
}

/* Random small pools: every valid panel enumerated, the maximin LP solved
 * over all of them directly, and its optimum compared with the engine's. */
static double
brute_force_maximin (KlPool    *pool,
                     guint      k,
                     gboolean  *coverable)
{
  guint n = kl_pool_get_n_people (pool);
  g_autoptr(GPtrArray) valid = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KlLp) lp = kl_lp_new (TRUE);
  guint *pick = g_new (guint, k);
  int z, sum_row;
  g_autofree int *rows = g_new (int, n);

  for (guint mask = 0; mask < (1u << n); mask++)
    {
      g_autoptr(GPtrArray) breaches = kl_messages_new ();
      guint m = 0;

      if ((guint) __builtin_popcount (mask) != k)
        continue;
      for (guint i = 0; i < n; i++)
        if (mask & (1u << i))
          pick[m++] = i;
      if (kl_panel_check (pool, pick, k, k, breaches))
        {
          g_ptr_array_add (valid, g_memdup2 (pick, k * sizeof (guint)));
          for (guint i = 0; i < k; i++)
            coverable[pick[i]] = TRUE;
        }
    }
  g_free (pick);
  if (valid->len == 0)
    return -1;

  z = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 1);
  for (guint i = 0; i < n; i++)
    rows[i] = coverable[i] ? kl_lp_add_row (lp, 0, KL_LP_INF, 1, &z, (double[]) { -1 }) : -1;
  sum_row = kl_lp_add_row (lp, 1, 1, 0, NULL, NULL);
  for (guint c = 0; c < valid->len; c++)
    {
      const guint *committee = g_ptr_array_index (valid, c);
      int col = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 0);
      g_autofree int *idx = g_new (int, k + 1);
      g_autofree double *ones = g_new (double, k + 1);

      for (guint i = 0; i < k; i++)
        {
          idx[i] = rows[committee[i]];
          ones[i] = 1;
        }
      idx[k] = sum_row;
      ones[k] = 1;
      kl_lp_set_col_coefficients (lp, col, k + 1, idx, ones);
    }
  g_assert_cmpint (kl_lp_solve (lp, NULL, NULL), ==, KL_LP_OPTIMAL);
  return kl_lp_get_objective (lp);
}

/* The relaxation of the panel model bounds the maximin from above, and its
 * prices are a distribution over the covered groups. */
static void
assert_relaxation_bounds (KlPool         *pool,
                          guint           k,
                          const gboolean *coverable,
                          double          expected)
{
  g_autoptr(KlCommitteeModel) model = kl_committee_model_new (pool, k);
  guint n_groups = kl_committee_model_get_n_groups (model);
  g_autofree gboolean *covered = g_new0 (gboolean, n_groups);
  g_autofree double *prices = g_new (double, n_groups);
  g_autoptr(GError) error = NULL;
  double bound, total = 0;

  for (guint g = 0; g < n_groups; g++)
    {
      const guint *members;
      guint size = kl_committee_model_get_group (model, g, &members);

      for (guint m = 0; m < size; m++)
        covered[g] |= coverable[members[m]];
    }
  g_assert_true (kl_committee_model_relax_maximin (model, covered, prices, &bound, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (bound, >=, expected - 1e-9);
  if (bound > expected + 1e-6)
    g_test_message ("relaxation %.6f above the maximin %.6f", bound, expected);
  for (guint g = 0; g < n_groups; g++)
    {
      g_assert_cmpfloat (prices[g], >=, 0);
      if (!covered[g])
        g_assert_cmpfloat (prices[g], ==, 0);
      total += prices[g];
    }
  g_assert_cmpfloat_with_epsilon (total, 1, 1e-9);
}

static void
test_against_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);
  guint compared = 0;

  for (guint instance = 0; instance < 40; instance++)
    {
      guint n = g_rand_int_range (rand, 6, 11);
      guint k = g_rand_int_range (rand, 2, 5);
      gboolean households = g_rand_boolean (rand);
      g_autoptr(GString) pool = g_string_new ("id,a,b,home,street\n");
      g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\n");
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;
      double expected, smallest = 1;
      const double *p;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (pool, "p%u,a%d,b%d,h%d,s\n", i, g_rand_int_range (rand, 0, 2),
                                g_rand_int_range (rand, 0, 3),
                                households ? g_rand_int_range (rand, 0, n - 1) : (int) i);
      g_string_append_printf (quotas, "a,a0,%d,%u\na,a1,%d,%u\n", g_rand_int_range (rand, 0, 2), k,
                              g_rand_int_range (rand, 0, 2), k);
      g_string_append_printf (quotas, "b,b0,0,%d\nb,b1,%d,%u\nb,b2,0,%u\n", g_rand_int_range (rand, 1, 3),
                              g_rand_int_range (rand, 0, 2), k, k);

      kl_test_inputs_load (&in, quotas->str, pool->str, households ? address_settings : NULL);
      g_autofree gboolean *coverable = g_new0 (gboolean, n);

      expected = brute_force_maximin (in.pool, k, coverable);
      run = run_maximin (&in, k, &error);
      if (expected < 0)
        {
          /* No valid panel: the engine must say so, not invent one. */
          g_assert_nonnull (error);
          g_assert_true (error->domain == KL_ERROR);
          kl_test_inputs_clear (&in);
          continue;
        }
      g_assert_no_error (error);
      kl_test_assert_valid_distribution (run, k);
      p = kl_run_get_probabilities (run);
      for (guint i = 0; i < n; i++)
        if (p[i] > 1e-9)
          smallest = MIN (smallest, p[i]);
      g_assert_cmpfloat_with_epsilon (smallest, expected, 1e-4);
      assert_relaxation_bounds (in.pool, k, coverable, expected);
      /* the certificate the report gives is a true upper bound */
      g_assert_cmpfloat (g_ascii_strtod (kl_message_get_param (kl_report_find_line (kl_run_get_report (run),
                                                                                    "maximin_value"), "bound"), NULL),
                         >=, expected - 1e-6);
      compared++;
      kl_test_inputs_clear (&in);
    }
  g_assert_cmpuint (compared, >=, 20);
}

static void
test_pipage (void)
{
  g_autoptr(KlRandom) random = kl_random_new (3);
  const double shares[] = { 0.3, 0.5, 0.2, 0.7, 0.3 };
  guint counts[5] = { 0 };
  const guint draws = 20000;

  for (guint d = 0; d < draws; d++)
    {
      g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (KlShare));
      g_autoptr(GArray) chosen = NULL;

      for (guint i = 0; i < 5; i++)
        g_array_append_val (items, ((KlShare) { i, shares[i] }));
      chosen = kl_pipage_round (items, random);
      g_assert_cmpuint (chosen->len, ==, 2);
      for (guint c = 0; c < chosen->len; c++)
        counts[g_array_index (chosen, guint, c)]++;
    }
  /* Each item is chosen with probability equal to its share. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat_with_epsilon ((double) counts[i] / draws, shares[i], 0.015);
}

static void
test_lottery (void)
{
  g_autoptr(KlRandom) random = kl_random_new (11);
  g_autoptr(KlDistribution) distribution = kl_distribution_new ();
  const double p[] = { 0.5, 0.3, 0.2 };
  guint counts[3] = { 0 };
  const guint draws = 20000;
  double chi2 = 0;

  for (guint c = 0; c < 3; c++)
    {
      guint *committee = g_new0 (guint, 1);
      committee[0] = c;
      g_ptr_array_add (distribution->committees, committee);
      g_array_append_val (distribution->probabilities, p[c]);
    }

  /* N panels: exactly N, each committee floor(Np) or ceil(Np) times. */
  for (guint n = 1; n <= 10; n++)
    {
      g_autoptr(GArray) panels = kl_lottery_draw (distribution, n, random);
      guint times[3] = { 0 };

      g_assert_cmpuint (panels->len, ==, n);
      for (guint i = 0; i < n; i++)
        times[g_array_index (panels, guint, i)]++;
      for (guint c = 0; c < 3; c++)
        {
          g_assert_cmpuint (times[c], >=, (guint) floor (n * p[c] + 1e-9));
          g_assert_cmpuint (times[c], <=, (guint) ceil (n * p[c] - 1e-9));
        }
    }

  for (guint d = 0; d < draws; d++)
    {
      g_autoptr(GArray) one = kl_lottery_draw (distribution, 1, random);
      counts[g_array_index (one, guint, 0)]++;
    }
  for (guint c = 0; c < 3; c++)
    chi2 += pow (counts[c] - draws * p[c], 2) / (draws * p[c]);
  /* 2 degrees of freedom: above 23 happens about once in 100,000 runs. */
  g_assert_cmpfloat (chi2, <, 23.0);
}

static void
test_transparent_lottery (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(KlRun) again = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *digest_again = NULL;
  KlRunParams params;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  kl_run_params_init (&params, in.settings);
  params.number_wanted = 5;
  params.algorithm = KL_ALGORITHM_MAXIMIN;
  params.seed = 9;
  params.number_selections = 7;
  run = kl_run_new (in.pool, in.settings, NULL, &params);
  g_assert_true (kl_run_execute (run, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kl_run_get_n_panels (run), ==, 7);
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "no_category_info_multiple"));

  digest = kl_run_get_distribution_digest (run);
  g_assert_cmpuint (strlen (digest), ==, 64);
  again = kl_run_new (in.pool, in.settings, NULL, &params);
  g_assert_true (kl_run_execute (again, NULL, NULL, &error));
  digest_again = kl_run_get_distribution_digest (again);
  /* Reproducible: same seed, same distribution, same panels. */
  g_assert_cmpstr (digest, ==, digest_again);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpmem (kl_run_get_panel (run, i, NULL), 5 * sizeof (guint),
                     kl_run_get_panel (again, i, NULL), 5 * sizeof (guint));
  kl_test_inputs_clear (&in);
}

static gpointer
spin (gpointer data)
{
  volatile double x = 0;

  while (!g_atomic_int_get ((int *) data))
    x += 1;
  return NULL;
}

/* The same seed gives the same distribution whatever the machine is doing
 * meanwhile: no budget or stop inside the solver goes by the clock. The
 * second run shares the processor with a busy thread. */
static void
test_seeded_runs_repeat (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(KlRun) again = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *digest_again = NULL;
  GThread *busy[2];
  int stop = 0;

  generate_tight_biased (&in);

  run = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, 60, 3, NULL, NULL, &error);
  g_assert_no_error (error);
  digest = kl_run_get_distribution_digest (run);

  for (guint b = 0; b < G_N_ELEMENTS (busy); b++)
    busy[b] = g_thread_new ("busy", spin, &stop);
  again = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, 60, 3, NULL, NULL, &error);
  g_atomic_int_set (&stop, 1);
  for (guint b = 0; b < G_N_ELEMENTS (busy); b++)
    g_thread_join (busy[b]);
  g_assert_no_error (error);
  digest_again = kl_run_get_distribution_digest (again);

  g_assert_cmpstr (digest, ==, digest_again);
  g_assert_cmpmem (kl_run_get_panel (run, 0, NULL), 60 * sizeof (guint),
                   kl_run_get_panel (again, 0, NULL), 60 * sizeof (guint));
  kl_test_inputs_clear (&in);
}

/* On large pools the master starts with a quarter of the people and lets
 * the others join when they fall short: the distribution returned must
 * still give every covered person at least the optimum, and the optimum
 * must be certified. */
static void
test_large_pool_master (void)
{
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  const double *p;
  double lowest = 1, value, bound;
  KlMessage *line;
  guint n;

  kl_generator_options_init (&options);
  options.n_people = 2100;
  options.panel_size = 100;
  kl_test_inputs_generate (&in, &options);
  run = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, 100, 1, NULL, NULL, &error);
  g_assert_no_error (error);

  line = kl_report_find_line (kl_run_get_report (run), "maximin_value");
  g_assert_nonnull (line);
  value = g_ascii_strtod (kl_message_get_param (line, "value"), NULL);
  bound = g_ascii_strtod (kl_message_get_param (line, "bound"), NULL);
  g_assert_cmpfloat (bound - value, <=, 0.0005);

  p = kl_run_get_probabilities (run);
  n = kl_pool_get_n_people (kl_run_get_working_pool (run));
  for (guint i = 0; i < n; i++)
    if (p[i] > 1e-9)
      lowest = MIN (lowest, p[i]);
  g_assert_cmpfloat_with_epsilon (lowest, value, 2e-6);
  kl_test_inputs_clear (&in);
}

/* Cancel pressed while the solver is inside one long branch and bound (a
 * round of multiplicative weights on a national-size pool): the solve
 * reports progress from inside, and the run stops there, without another
 * round. */
static void
test_cancel_inside_a_solve (void)
{
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  guint last_update = 0;

  kl_generator_options_init (&options);
  options.n_people = 20000;
  options.panel_size = 1000;
  kl_test_inputs_generate (&in, &options);

  reporter->cancel_at_update = g_object_ref (cancellable);
  reporter->cancel_after = G_MAXINT64;
  reporter->cancel_on_message = g_strdup ("(for ");
  run = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, 1000, 1, KL_PROGRESS_REPORTER (reporter), cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  for (guint e = 0; e < reporter->events->len; e++)
    if (g_str_has_prefix (kl_recording_reporter_event (reporter, e), "update"))
      last_update = e;
  g_assert_nonnull (strstr (kl_recording_reporter_event (reporter, last_update), "(for "));
  g_assert_cmpstr (kl_recording_reporter_event (reporter, reporter->events->len - 1), ==, "end");
  kl_test_inputs_clear (&in);
}

/* Each iteration's message brackets the optimum: the lowest chance so far
 * and the smallest upper bound proved so far, which never rises and never
 * falls below the final value. */
static void
test_progress_brackets_the_optimum (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  double value, last_upper = 1;
  guint n_brackets = 0;
  gboolean in_phase = FALSE;

  generate_tight_biased (&in);
  run = kl_test_run (&in, KL_ALGORITHM_MAXIMIN, 60, 1, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);
  value = g_ascii_strtod (kl_message_get_param (kl_report_find_line (kl_run_get_report (run), "maximin_value"),
                                                "value"), NULL);

  for (guint e = 0; e < reporter->events->len; e++)
    {
      const char *event = kl_recording_reporter_event (reporter, e);
      const char *text = strstr (event, "lowest chance ");
      double lower, upper;

      if (g_str_has_prefix (event, "start "))
        in_phase = g_str_has_prefix (event, "start maximin_optimization");
      if (!in_phase || !g_str_has_prefix (event, "update") || text == NULL)
        continue;
      g_assert_cmpint (sscanf (text, "lowest chance %lf%%, at most %lf%%", &lower, &upper), ==, 2);
      lower /= 100;
      upper /= 100;
      g_assert_cmpfloat (lower, <=, upper + 1e-6);
      g_assert_cmpfloat (upper, <=, last_upper + 1e-9);
      g_assert_cmpfloat (upper, >=, value - 1e-6);
      g_assert_cmpfloat (lower, <=, value + 1e-6);
      last_upper = upper;
      n_brackets++;
    }
  g_assert_cmpuint (n_brackets, >=, 2);
  /* the last exact pricing proves the optimum (certified gap 0) */
  g_assert_cmpfloat_with_epsilon (last_upper, value, 2e-6);
  kl_test_inputs_clear (&in);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/maximin/example1", test_example1);
  g_test_add_func ("/maximin/example3", test_example3);
  g_test_add_func ("/maximin/example4-cannot-relax", test_example4_cannot_relax);
  g_test_add_func ("/maximin/example5", test_example5);
  g_test_add_func ("/maximin/example6", test_example6);
  g_test_add_func ("/maximin/infeasible-suggests-relaxation", test_infeasible_suggests_relaxation);
  g_test_add_func ("/maximin/too-few-households", test_too_few_households);
  g_test_add_func ("/maximin/test-selection", test_test_selection);
  g_test_add_func ("/maximin/phases", test_maximin_phases);
  g_test_add_func ("/maximin/progress-brackets-the-optimum", test_progress_brackets_the_optimum);
  g_test_add_func ("/maximin/cancel-in-each-phase", test_cancel_in_each_phase);
  g_test_add_func ("/maximin/against-brute-force", test_against_brute_force);
  g_test_add_func ("/maximin/pipage", test_pipage);
  g_test_add_func ("/maximin/lottery", test_lottery);
  g_test_add_func ("/maximin/transparent-lottery", test_transparent_lottery);

  g_test_add_func ("/maximin/cancel-inside-a-solve", test_cancel_inside_a_solve);
  g_test_add_func ("/maximin/large-pool-master", test_large_pool_master);
  g_test_add_func ("/maximin/seeded-runs-repeat", test_seeded_runs_repeat);

  return g_test_run ();
}
