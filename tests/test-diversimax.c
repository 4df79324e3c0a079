/* test-diversimax.c — the one most diverse panel (spec 4.7, Appendix A,
 * 10.8): which combinations of features are balanced, the optimum against
 * enumeration on small pools, households, infeasible quotas, progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-algorithm-private.h"
#include "kl-diversimax-private.h"

#include <math.h>
#include <stdlib.h>

static const char *address_settings =
  "id_column = \"id\"\ncheck_same_address = true\ncheck_same_address_columns = [\"home\", \"street\"]\n";

static KlRun *
run_diversimax (KlTestInputs *in,
                guint         k,
                gint64        seed,
                GError      **error)
{
  return kl_test_run (in, KL_ALGORITHM_DIVERSIMAX, k, seed, NULL, NULL, error);
}

/* One panel, no distribution, meeting every quota and the household rule. */
static const guint *
assert_one_valid_panel (KlRun *run,
                        guint  k)
{
  g_autoptr(GPtrArray) breaches = kl_messages_new ();
  const guint *panel;
  guint n_people;

  g_assert_cmpuint (kl_run_get_n_panels (run), ==, 1);
  g_assert_null (kl_run_get_probabilities (run));
  panel = kl_run_get_panel (run, 0, &n_people);
  g_assert_cmpuint (n_people, ==, k);
  g_assert_true (kl_panel_check (kl_run_get_pool (run), panel, n_people, k, breaches));
  return panel;
}

/* ---- which combinations of features ------------------------------------ */

static GArray *
choose (KlTestInputs *in,
        guint         k,
        gint64        seed)
{
  g_autoptr(KlRandom) random = kl_random_new (seed);

  return kl_diversimax_choose_subsets (in->pool, k, random);
}

static gboolean
has_subset (GArray  *subsets,
            guint32  features,
            guint    n_profiles)
{
  for (guint s = 0; s < subsets->len; s++)
    if (g_array_index (subsets, KlFeatureSubset, s).features == features)
      {
        g_assert_cmpuint (g_array_index (subsets, KlFeatureSubset, s).n_profiles, ==, n_profiles);
        return TRUE;
      }
  return FALSE;
}

static void
assert_sizes_ascending (GArray *subsets)
{
  for (guint s = 1; s < subsets->len; s++)
    g_assert_cmpint (__builtin_popcount (g_array_index (subsets, KlFeatureSubset, s - 1).features), <=,
                     __builtin_popcount (g_array_index (subsets, KlFeatureSubset, s).features));
}

/* f1 has 2 values, f2 3 (a fourth in the quotas that nobody has), f3 2.
 * Profiles: f1 2, f2 3, f3 2, f1×f2 6, f1×f3 4, f2×f3 6, all three 12. */
static const char *three_features =
  "feature,value,min,max\nf1,a,0,6\nf1,b,0,6\nf2,x,0,6\nf2,y,0,6\nf2,z,0,6\nf2,nobody,0,6\n"
  "f3,p,0,6\nf3,q,0,6\n";

static char *
three_feature_pool (guint n)
{
  GString *pool = g_string_new ("id,f1,f2,f3\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (pool, "p%u,%s,%s,%s\n", i, i % 2 ? "b" : "a",
                            (const char *[]) { "x", "y", "z" }[i % 3], (i / 6) % 2 ? "q" : "p");
  return g_string_free (pool, FALSE);
}

static void
test_subsets_skip_rules (void)
{
  g_autofree char *pool12 = three_feature_pool (12);
  g_autofree char *pool11 = three_feature_pool (11);
  KlTestInputs twelve = { 0 }, eleven = { 0 };
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) c = NULL;

  kl_test_inputs_load (&twelve, three_features, pool12, NULL);
  kl_test_inputs_load (&eleven, three_features, pool11, NULL);

  /* k = 6, n = 12: the triple has 12 profiles > 6 seats; every pair and
   * single is kept (12 / 6 = 2 people per profile is enough). The value
   * nobody has makes no profile. */
  a = choose (&twelve, 6, 7);
  g_assert_cmpuint (a->len, ==, 6);
  g_assert_true (has_subset (a, 0x1, 2));
  g_assert_true (has_subset (a, 0x2, 3));
  g_assert_true (has_subset (a, 0x4, 2));
  g_assert_true (has_subset (a, 0x3, 6));
  g_assert_true (has_subset (a, 0x5, 4));
  g_assert_true (has_subset (a, 0x6, 6));
  assert_sizes_ascending (a);

  /* n = 11: 11 / 6 < 2 people per profile rules out both 6-profile pairs. */
  b = choose (&eleven, 6, 7);
  g_assert_cmpuint (b->len, ==, 4);
  g_assert_false (has_subset (b, 0x3, 6));
  g_assert_false (has_subset (b, 0x6, 6));
  g_assert_true (has_subset (b, 0x5, 4));

  /* k = 3: only combinations with at most 3 profiles. */
  c = choose (&twelve, 3, 7);
  g_assert_cmpuint (c->len, ==, 3);
  g_assert_true (has_subset (c, 0x1, 2));
  g_assert_true (has_subset (c, 0x2, 3));
  g_assert_true (has_subset (c, 0x4, 2));

  kl_test_inputs_clear (&twelve);
  kl_test_inputs_clear (&eleven);
}

/* Seven features with one value each: all 127 subsets have one profile
 * and qualify. The first 50 by size are the 7 singles, the 21 pairs and
 * 22 of the 35 triples; which triples depends on the seed alone. */
static void
test_subsets_cap_and_seeded_order (void)
{
  g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\n");
  g_autoptr(GString) pool = g_string_new ("id,f0,f1,f2,f3,f4,f5,f6\n");
  g_autoptr(GHashTable) orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  KlTestInputs in = { 0 };

  for (guint f = 0; f < 7; f++)
    g_string_append_printf (quotas, "f%u,v,0,4\n", f);
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (pool, "p%u,v,v,v,v,v,v,v\n", i);
  kl_test_inputs_load (&in, quotas->str, pool->str, NULL);

  for (gint64 seed = 1; seed <= 8; seed++)
    {
      g_autoptr(GArray) subsets = choose (&in, 4, seed);
      g_autoptr(GArray) again = choose (&in, 4, seed);
      g_autoptr(GString) order = g_string_new (NULL);
      guint per_size[8] = { 0 };

      g_assert_cmpuint (subsets->len, ==, KL_DIVERSIMAX_MAX_SUBSETS);
      assert_sizes_ascending (subsets);
      for (guint s = 0; s < subsets->len; s++)
        {
          guint32 features = g_array_index (subsets, KlFeatureSubset, s).features;

          per_size[__builtin_popcount (features)]++;
          g_assert_cmpuint (g_array_index (subsets, KlFeatureSubset, s).n_profiles, ==, 1);
          g_assert_cmpuint (features, ==, g_array_index (again, KlFeatureSubset, s).features);
          g_string_append_printf (order, "%x,", features);
        }
      g_assert_cmpuint (per_size[1], ==, 7);
      g_assert_cmpuint (per_size[2], ==, 21);
      g_assert_cmpuint (per_size[3], ==, 22);
      g_hash_table_add (orders, g_string_free (g_steal_pointer (&order), FALSE));
    }
  /* Shuffled: eight seeds do not all give one order. */
  g_assert_cmpuint (g_hash_table_size (orders), >, 1);
  kl_test_inputs_clear (&in);
}

/* ---- Appendix A --------------------------------------------------------- */

static void
test_appendix_examples (void)
{
  const char *kinds[6][3] = {
    { "v1", "v1", "v3" }, { "v1", "v3", "v1" }, { "v3", "v1", "v1" },
    { "v2", "v2", "v3" }, { "v2", "v3", "v2" }, { "v3", "v2", "v2" },
  };
  g_autoptr(GString) pool6 = g_string_new ("id,f1,f2,f3\n");
  struct {
    const char *quotas;
    const char *pool;
    const char *settings;
    guint k;
  } examples[] = {
    { kl_test_example1_quotas, kl_test_example1_pool, NULL, 2 },
    { kl_test_example1_quotas, kl_test_example1_pool, address_settings, 2 },
    { "feature,value,min,max\nf1,v1,1,2\nf1,v2,0,2\nf2,v1,1,2\nf2,v2,0,2\nf3,v1,1,2\nf3,v2,0,2\n",
      kl_test_example3_pool, NULL, 2 },
    { kl_test_example5_quotas, kl_test_example5_pool, NULL, 5 },
    { "feature,value,min,max\nf1,v1,15,46\nf1,v2,15,46\nf1,v3,0,46\n"
      "f2,v1,15,46\nf2,v2,15,46\nf2,v3,0,46\nf3,v1,15,46\nf3,v2,15,46\nf3,v3,0,46\n", NULL, NULL, 46 },
  };

  for (guint kind = 0; kind < 6; kind++)
    for (guint i = 0; i < 10; i++)
      g_string_append_printf (pool6, "p%u,%s,%s,%s\n", kind * 10 + i + 1, kinds[kind][0], kinds[kind][1], kinds[kind][2]);
  g_string_append (pool6, "p61,v3,v3,v3\n");
  examples[4].pool = pool6->str;

  for (guint e = 0; e < G_N_ELEMENTS (examples); e++)
    {
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;

      kl_test_inputs_load (&in, examples[e].quotas, examples[e].pool, examples[e].settings);
      run = run_diversimax (&in, examples[e].k, 3, &error);
      g_assert_no_error (error);
      assert_one_valid_panel (run, examples[e].k);
      g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "using_diversimax_algorithm"));
      g_assert_true (kl_report_find_line (kl_run_get_report (run), "diversimax_optimal") != NULL ||
                     kl_report_find_line (kl_run_get_report (run), "diversimax_feasible") != NULL);
      kl_test_inputs_clear (&in);
    }
}

/* Example 1 with addresses: lisa and scrooge share a home, so do louie and
 * dewey; every panel is marge with one of louie and dewey. */
static void
test_households_respected (void)
{
  KlTestInputs in = { 0 };

  kl_test_inputs_load (&in, kl_test_example1_quotas, kl_test_example1_pool, address_settings);
  for (gint64 seed = 1; seed <= 6; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = run_diversimax (&in, 2, seed, &error);
      KlPool *pool = kl_run_get_pool (run);
      const guint *panel;

      g_assert_no_error (error);
      panel = assert_one_valid_panel (run, 2);
      g_assert_cmpint (kl_pool_get_household (pool, panel[0]), !=, kl_pool_get_household (pool, panel[1]));
      g_assert_true (g_str_equal (kl_pool_get_id (pool, panel[0]), "marge") ||
                     g_str_equal (kl_pool_get_id (pool, panel[1]), "marge"));
    }
  kl_test_inputs_clear (&in);
}

static void
test_example4_cannot_relax (void)
{
  kl_test_assert_example4_cannot_relax (KL_ALGORITHM_DIVERSIMAX);
}

/* Jointly infeasible quotas: the relaxation of spec 4.2, as for maximin. */
static void
test_infeasible_suggests_relaxation (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, "feature,value,min,max\ngender,f,3,3\ngender,m,1,1\nage,young,1,1\nage,old,3,3\n",
                       "id,gender,age\n1,f,young\n2,f,young\n3,f,young\n4,m,old\n5,m,old\n6,m,old\n", NULL);
  run = run_diversimax (&in, 4, 1, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INFEASIBLE);
  g_assert_nonnull (kl_run_get_suggested_quotas (run));
  kl_test_inputs_clear (&in);
}

static void
test_several_panels_refused (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  KlRunParams params;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  kl_run_params_init (&params, in.settings);
  params.algorithm = KL_ALGORITHM_DIVERSIMAX;
  params.number_wanted = 5;
  params.number_selections = 3;
  run = kl_run_new (in.pool, in.settings, NULL, &params);
  g_assert_false (kl_run_execute (run, NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "Diversimax makes one panel"));
  kl_test_inputs_clear (&in);
}

static void
test_phase (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  run = kl_test_run (&in, KL_ALGORITHM_DIVERSIMAX, 5, 1, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);
  /* One phase, diversimax, no other: no committees, no lottery. */
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start"), ==, 1);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start diversimax 30 |"), ==, 1);
  g_assert_cmpstr (kl_recording_reporter_event (reporter, reporter->events->len - 1), ==, "end");

  /* The audit record carries the objective and whether it is optimal. */
  {
    g_autoptr(JsonNode) record = kl_run_to_json (run, NULL, 0);
    g_autofree char *text = json_to_string (record, FALSE);

    g_assert_nonnull (strstr (text, "\"algorithm\":\"diversimax\""));
    g_assert_nonnull (strstr (text, "\"diversimax_optimal\""));
    g_assert_nonnull (strstr (text, "\"objective\""));
  }
  kl_test_inputs_clear (&in);
}

/* The time limit is a setting, read from TOML and JSON, refused below 1 s,
 * and the progress phase counts up to it. */
static void
test_time_limit_setting (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlSettings) json = NULL;
  g_autoptr(KlSettings) zero = NULL;
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autofree char *toml = NULL;
  KlTestInputs in = { 0 };
  KlRunParams params;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, "id_column = \"id\"\ndiversimax_max_seconds = 7\n");
  g_assert_cmpint (in.settings->diversimax_max_seconds, ==, 7);
  kl_run_params_init (&params, in.settings);
  g_assert_cmpfloat (params.max_seconds, ==, 7);
  toml = kl_settings_to_toml (in.settings);
  g_assert_nonnull (strstr (toml, "diversimax_max_seconds = 7"));

  run = kl_test_run (&in, KL_ALGORITHM_DIVERSIMAX, 5, 1, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start diversimax 7 |"), ==, 1);

  json = kl_settings_load_data ("{\"id_column\": \"id\", \"diversimax_max_seconds\": 12}", "settings.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json->diversimax_max_seconds, ==, 12);

  zero = kl_settings_load_data ("diversimax_max_seconds = 0\n", "settings.toml", messages, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_SETTINGS);
  kl_assert_message (messages, "diversimax_max_seconds_too_small", 0, NULL);
  kl_test_inputs_clear (&in);
}

/* ---- the optimum against enumeration ----------------------------------- */

/* Σ over the chosen combinations and their profiles of |members − k/P|,
 * counted from the people's values directly. */
static double
deviation (KlPool      *pool,
           GArray      *subsets,
           const guint *panel,
           guint        k)
{
  guint nf = kl_quotas_get_n_features (kl_pool_get_quotas (pool));
  double total = 0;

  for (guint s = 0; s < subsets->len; s++)
    {
      const KlFeatureSubset *subset = &g_array_index (subsets, KlFeatureSubset, s);
      double ideal = (double) k / subset->n_profiles;
      g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter iter;
      gpointer count;

      /* every profile someone in the pool has, at 0 members */
      for (guint i = 0; i < kl_pool_get_n_people (pool) + k; i++)
        {
          guint person = i < kl_pool_get_n_people (pool) ? i : panel[i - kl_pool_get_n_people (pool)];
          GString *key = g_string_new (NULL);

          for (guint f = 0; f < nf; f++)
            if (subset->features & (1u << f))
              g_string_append_printf (key, "%u,", kl_pool_get_value (pool, person, f));
          if (i < kl_pool_get_n_people (pool))
            g_hash_table_insert (counts, g_string_free (key, FALSE), GUINT_TO_POINTER (0));
          else
            {
              guint c = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key->str));
              g_hash_table_insert (counts, g_string_free (key, FALSE), GUINT_TO_POINTER (c + 1));
            }
        }
      g_hash_table_iter_init (&iter, counts);
      while (g_hash_table_iter_next (&iter, NULL, &count))
        total += fabs (GPOINTER_TO_UINT (count) - ideal);
      total += (subset->n_profiles - g_hash_table_size (counts)) * ideal;
    }
  return total;
}

static double
brute_force_diversimax (KlPool *pool,
                        GArray *subsets,
                        guint   k)
{
  guint n = kl_pool_get_n_people (pool);
  g_autofree guint *pick = g_new (guint, k);
  double best = -1;

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
          double value = deviation (pool, subsets, pick, k);
          if (best < 0 || value < best)
            best = value;
        }
    }
  return best;
}

static void
test_against_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  guint compared = 0, exact = 0;

  for (guint instance = 0; instance < 40; instance++)
    {
      guint n = g_rand_int_range (rand, 7, 13);
      guint k = g_rand_int_range (rand, 2, 6);
      gboolean households = g_rand_boolean (rand);
      gint64 seed = g_rand_int_range (rand, 1, 1000);
      g_autoptr(GString) pool = g_string_new ("id,a,b,c,home,street\n");
      g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\n");
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;
      g_autoptr(GArray) subsets = NULL;
      double expected, found;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (pool, "p%u,a%d,b%d,c%d,h%d,s\n", i, g_rand_int_range (rand, 0, 2),
                                g_rand_int_range (rand, 0, 3), g_rand_int_range (rand, 0, 2),
                                households ? g_rand_int_range (rand, 0, n - 2) : (int) i);
      g_string_append_printf (quotas, "a,a0,%d,%u\na,a1,%d,%u\n", g_rand_int_range (rand, 0, 2), k,
                              g_rand_int_range (rand, 0, 2), k);
      g_string_append_printf (quotas, "b,b0,0,%d\nb,b1,%d,%u\nb,b2,0,%u\n", g_rand_int_range (rand, 1, 3),
                              g_rand_int_range (rand, 0, 2), k, k);
      g_string_append_printf (quotas, "c,c0,0,%u\nc,c1,0,%u\n", k, k);

      kl_test_inputs_load (&in, quotas->str, pool->str, households ? address_settings : NULL);
      /* The run draws its first number for the same shuffle. */
      subsets = choose (&in, k, seed);
      expected = brute_force_diversimax (in.pool, subsets, k);
      run = run_diversimax (&in, k, seed, &error);
      if (expected < 0)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == KL_ERROR);
          kl_test_inputs_clear (&in);
          continue;
        }
      g_assert_no_error (error);
      found = deviation (in.pool, subsets, assert_one_valid_panel (run, k), k);

      /* Never better than the optimum; within the relative gap of 0.1 the
       * solver may stop at; and exactly optimal whenever it says so. */
      g_assert_cmpfloat (found, >=, expected - 1e-9);
      g_assert_cmpfloat (found * (1 - 0.1), <=, expected + 1e-9);
      if (kl_report_find_line (kl_run_get_report (run), "diversimax_optimal") != NULL)
        g_assert_cmpfloat_with_epsilon (found, expected, 1e-9);
      if (fabs (found - expected) < 1e-9)
        exact++;
      compared++;
      kl_test_inputs_clear (&in);
    }
  g_assert_cmpuint (compared, >=, 20);
  g_assert_cmpuint (exact, >=, compared * 9 / 10);
}

static char *
instance_folder (const char *name)
{
  const char *root = g_getenv ("KL_SOURCE_ROOT");

  return g_build_filename (root ? root : ".", "..", "shared", "instances", name, NULL);
}

/* The Python library's objective (CBC, the same gap and time limit) on
 * the reference instances: ours must be as low, within the time limit. */
static void
test_reference_values (void)
{
  const struct {
    const char *name;
    double objective;
  } references[] = {
    { "fixtures_150_22", 28.0 },
    { "pgoelz_example_small_20", 20.0 },
    { "pgoelz_example_large_200", 200.0 },
    { "synth_150_22", 28.0 },
    { "synth_300_45", 76.875 },
    { "synth_500_75", 163.594 },
    { "synth_750_112", 224.0 },
  };
  guint found = 0;

  for (guint r = 0; r < G_N_ELEMENTS (references); r++)
    {
      g_autofree char *folder = instance_folder (references[r].name);
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;
      KlMessage *line;
      guint k;

      if (!kl_test_inputs_load_instance (&in, folder, &k))
        continue;
      found++;
      run = run_diversimax (&in, k, 1, &error);
      g_assert_no_error (error);
      assert_one_valid_panel (run, k);
      line = kl_report_find_line (kl_run_get_report (run), "diversimax_optimal");
      if (line == NULL)
        line = kl_report_find_line (kl_run_get_report (run), "diversimax_feasible");
      g_assert_nonnull (line);
      g_test_message ("%s: deviation %s (library %.3f)", references[r].name,
                      kl_message_get_param (line, "objective"), references[r].objective);
      g_assert_cmpfloat (g_ascii_strtod (kl_message_get_param (line, "objective"), NULL), <=,
                         references[r].objective + 1e-3);
      kl_test_inputs_clear (&in);
    }
  if (found == 0)
    g_test_skip ("the reference instances are not next to the source tree");
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/diversimax/subsets/skip-rules", test_subsets_skip_rules);
  g_test_add_func ("/diversimax/subsets/cap-and-seeded-order", test_subsets_cap_and_seeded_order);
  g_test_add_func ("/diversimax/appendix-examples", test_appendix_examples);
  g_test_add_func ("/diversimax/households-respected", test_households_respected);
  g_test_add_func ("/diversimax/example4-cannot-relax", test_example4_cannot_relax);
  g_test_add_func ("/diversimax/infeasible-suggests-relaxation", test_infeasible_suggests_relaxation);
  g_test_add_func ("/diversimax/several-panels-refused", test_several_panels_refused);
  g_test_add_func ("/diversimax/phase", test_phase);
  g_test_add_func ("/diversimax/time-limit-setting", test_time_limit_setting);
  g_test_add_func ("/diversimax/against-brute-force", test_against_brute_force);
  g_test_add_func ("/diversimax/reference-values", test_reference_values);

  return g_test_run ();
}
