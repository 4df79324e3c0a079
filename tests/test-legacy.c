/* test-legacy.c — the legacy algorithm (spec 4.8, 10.6, 10.7, 10.17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

static const char *eight_quotas =
  "feature,value,min,max\ngender,male,1,2\ngender,female,1,2\nage,young,1,2\nage,old,1,2\n";
static const char *eight_pool =
  "id,gender,age\n1,male,young\n2,male,old\n3,female,young\n4,female,old\n"
  "5,male,young\n6,male,old\n7,female,young\n8,female,old\n";

static GStrv
panel_ids (KlRun *run)
{
  guint n;
  const guint *panel = kl_run_get_panel (run, 0, &n);
  GStrv ids = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup (kl_pool_get_id (kl_run_get_pool (run), panel[i]));
  return ids;
}

/* The library fails every attempt here: choosing the only woman, who is
 * needed, left "nobody remaining" for a minimum it had just met. */
static void
test_last_needed_person_regression (void)
{
  KlTestInputs in = { 0 };

  kl_test_inputs_load (&in, "feature,value,min,max\ngender,woman,1,3\ngender,man,1,3\n",
                       "id,gender\nw,woman\nm1,man\nm2,man\nm3,man\nm4,man\nm5,man\n", NULL);
  for (gint64 seed = 1; seed <= 200; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 3, seed, NULL, NULL, &error);
      g_auto(GStrv) ids = NULL;

      g_assert_no_error (error);
      ids = panel_ids (run);
      g_assert_true (g_strv_contains ((const char * const *) ids, "w"));
      /* First attempt, every time. */
      g_assert_null (kl_report_get_last_error (kl_run_get_report (run)));
    }
  kl_test_inputs_clear (&in);
}

static void
test_small_draws (void)
{
  KlTestInputs in = { 0 };
  KlTestInputs six = { 0 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  kl_test_inputs_load (&in, eight_quotas, eight_pool, NULL);
  for (gint64 seed = 1; seed <= 5; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, seed, NULL, NULL, &error);
      g_autoptr(GPtrArray) breaches = kl_messages_new ();
      guint n;
      const guint *panel;

      g_assert_no_error (error);
      panel = kl_run_get_panel (run, 0, &n);
      g_assert_true (kl_panel_check (kl_run_get_pool (run), panel, n, 4, breaches));
      g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "using_legacy_algorithm"));
      g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "trial_number"));
    }

  /* 2 of 6 with loose quotas, drawn ten times in secure mode: not always
   * the same pair. */
  kl_test_inputs_load (&six, "feature,value,min,max\ng,a,0,2\ng,b,0,2\n",
                       "id,g\n1,a\n2,a\n3,a\n4,b\n5,b\n6,b\n", NULL);
  for (int i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = kl_test_run (&six, KL_ALGORITHM_LEGACY, 2, 0, NULL, NULL, &error);
      g_auto(GStrv) ids = NULL;

      g_assert_no_error (error);
      g_assert_true (kl_run_is_secure (run));
      ids = panel_ids (run);
      g_hash_table_add (seen, g_strjoinv (",", ids));
    }
  g_assert_cmpuint (g_hash_table_size (seen), >, 1);

  kl_test_inputs_clear (&in);
  kl_test_inputs_clear (&six);
}

static void
test_impossible (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) too_many = NULL;
  g_autoptr(KlRun) too_few_men = NULL;

  kl_test_inputs_load (&in, "feature,value,min,max\ng,m,0,10\ng,f,0,10\n",
                       "id,g\n1,m\n2,m\n3,f\n4,f\n5,f\n6,f\n", NULL);
  too_many = kl_test_run (&in, KL_ALGORITHM_LEGACY, 10, 1, NULL, NULL, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INFEASIBLE);
  g_assert_nonnull (strstr (error->message, "fewer than the 10 to select"));
  g_clear_error (&error);
  kl_test_inputs_clear (&in);

  kl_test_inputs_load (&in, "feature,value,min,max\ng,m,3,3\ng,f,0,3\n",
                       "id,g\n1,m\n2,m\n3,f\n4,f\n5,f\n", NULL);
  too_few_men = kl_test_run (&in, KL_ALGORITHM_LEGACY, 3, 1, NULL, NULL, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_INFEASIBLE);
  g_assert_nonnull (strstr (error->message, "needs at least 3 people, but the pool has only 2"));
  kl_test_inputs_clear (&in);
}

static void
test_households (void)
{
  KlTestInputs in = { 0 };
  guint chosen_from_home = 0, housemate_lines = 0;
  const char *quotas = "feature,value,min,max\ng,a,0,3\n";
  const char *pool = "id,g,home\n1,a,x\n2,a,x\n3,a,x\n4,a,y\n5,a,z\n6,a,w\n";

  kl_test_inputs_load (&in, quotas, pool,
                       "id_column = \"id\"\ncheck_same_address = true\ncheck_same_address_columns = [\"home\"]\n");
  for (gint64 seed = 1; seed <= 60; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 3, seed, NULL, NULL, &error);
      g_auto(GStrv) ids = NULL;
      guint at_x = 0;

      g_assert_no_error (error);
      ids = panel_ids (run);
      for (guint i = 0; ids[i]; i++)
        at_x += g_str_equal (ids[i], "1") || g_str_equal (ids[i], "2") || g_str_equal (ids[i], "3");
      g_assert_cmpuint (at_x, <=, 1);
      chosen_from_home += at_x;
      housemate_lines += kl_report_find_line (kl_run_get_report (run), "legacy_housemates_removed") != NULL;
      /* The line is there exactly when someone from x was chosen. */
      g_assert_cmpuint (at_x, ==, kl_report_find_line (kl_run_get_report (run), "legacy_housemates_removed") != NULL);
    }
  g_assert_cmpuint (chosen_from_home, >, 0);
  g_assert_cmpuint (housemate_lines, ==, chosen_from_home);
  kl_test_inputs_clear (&in);

  /* Without the check, no such line. */
  kl_test_inputs_load (&in, quotas, pool, NULL);
  {
    g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 3, 5, NULL, NULL, NULL);
    g_assert_null (kl_report_find_line (kl_run_get_report (run), "legacy_housemates_removed"));
  }
  kl_test_inputs_clear (&in);
}

/* A value with maximum 0 (a replacement round where it is full) is removed
 * first, and the report says how many people that took. */
static void
test_max_zero (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_auto(GStrv) ids = NULL;
  KlMessage *pruned;

  kl_test_inputs_load (&in, "feature,value,min,max\ngender,male,0,2\ngender,female,0,0\n",
                       "id,gender\n1,male\n2,FEMALE\n3,female\n4,Male\n", NULL);
  run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 2, 9, NULL, NULL, &error);
  g_assert_no_error (error);
  ids = panel_ids (run);
  g_assert_true (g_strv_contains ((const char * const *) ids, "1"));
  g_assert_true (g_strv_contains ((const char * const *) ids, "4"));
  pruned = kl_report_find_line (kl_run_get_report (run), "legacy_pruned");
  g_assert_nonnull (pruned);
  g_assert_cmpstr (kl_message_get_param (pruned, "deleted"), ==, "2");
  g_assert_cmpstr (kl_message_get_param (pruned, "left"), ==, "2");
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "legacy_pruned_many"));
  kl_test_inputs_clear (&in);
}

/* Thousands of seeded draws on generated pools with households: every
 * panel meets every quota and holds at most one person per household, and
 * the same seed gives the same panel. */
static void
test_properties (void)
{
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  guint failures = 0;

  kl_generator_options_init (&options);
  options.n_people = 400;
  options.n_features = 4;
  options.panel_size = 40;
  options.household_share = 0.3;
  options.tightness = 0.5;
  kl_test_inputs_generate (&in, &options);
  g_assert_true (in.settings->check_same_address);

  for (gint64 seed = 1; seed <= 2000; seed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 40, seed, NULL, NULL, &error);
      g_autoptr(GPtrArray) breaches = kl_messages_new ();
      const guint *panel;
      guint n;

      if (error != NULL)
        {
          g_assert_error (error, KL_ERROR, KL_ERROR_SELECTION_FAILED);
          failures++;
          continue;
        }
      panel = kl_run_get_panel (run, 0, &n);
      g_assert_true (kl_panel_check (in.pool, panel, n, 40, breaches));

      if (seed % 100 == 0)
        {
          g_autoptr(KlRun) again = kl_test_run (&in, KL_ALGORITHM_LEGACY, 40, seed, NULL, NULL, NULL);
          g_autofree char *text_a = kl_report_to_text (kl_run_get_report (run));
          g_autofree char *text_b = kl_report_to_text (kl_run_get_report (again));

          g_assert_cmpmem (panel, n * sizeof (guint), kl_run_get_panel (again, 0, NULL), n * sizeof (guint));
          g_assert_cmpstr (text_a, ==, text_b);
        }
    }
  /* Legacy may give up, but not on a pool like this. */
  g_assert_cmpuint (failures, <, 20);
  kl_test_inputs_clear (&in);
}

/* Case: quota values in capitals, pool values in lower case. */
static void
test_case_insensitive_values (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GPtrArray) breaches = kl_messages_new ();
  const guint *panel;
  guint n;

  kl_test_inputs_load (&in, "feature,value,min,max\nGender,MALE,1,1\nGender,FEMALE,1,1\n",
                       "id,gender\n1,male\n2,Female\n3,female\n", NULL);
  run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 2, 4, NULL, NULL, &error);
  g_assert_no_error (error);
  panel = kl_run_get_panel (run, 0, &n);
  g_assert_true (kl_panel_check (in.pool, panel, n, 2, breaches));
  kl_test_inputs_clear (&in);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/legacy/last-needed-person-regression", test_last_needed_person_regression);
  g_test_add_func ("/legacy/small-draws", test_small_draws);
  g_test_add_func ("/legacy/impossible", test_impossible);
  g_test_add_func ("/legacy/households", test_households);
  g_test_add_func ("/legacy/max-zero", test_max_zero);
  g_test_add_func ("/legacy/properties", test_properties);
  g_test_add_func ("/legacy/case-insensitive-values", test_case_insensitive_values);

  return g_test_run ();
}
