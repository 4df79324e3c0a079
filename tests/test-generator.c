/* test-generator.c — synthetic pools and gen-sample (spec 8.4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <math.h>

typedef struct {
  KlQuotas *quotas;
  KlPool *pool;
  KlSettings *settings;
} Generated;

static void
generated_clear (Generated *g)
{
  g_clear_pointer (&g->quotas, kl_quotas_unref);
  g_clear_pointer (&g->pool, kl_pool_unref);
  g_clear_pointer (&g->settings, kl_settings_free);
}

static void
generate_and_load (const KlGeneratorOptions *options,
                   Generated                *g)
{
  g_autofree char *pool_csv = NULL;
  g_autofree char *quotas_csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlTable) quota_table = NULL;
  g_autoptr(KlTable) pool_table = NULL;

  g_assert_true (kl_generate (options, &pool_csv, &quotas_csv, &g->settings, &error));
  g_assert_no_error (error);
  quota_table = kl_test_table (quotas_csv);
  pool_table = kl_test_table (pool_csv);
  g->quotas = kl_quotas_load (quota_table, options->panel_size, NULL, &error);
  g_assert_no_error (error);
  g->pool = kl_pool_load (pool_table, g->quotas, g->settings, NULL, &error);
  g_assert_no_error (error);
}

static void
test_generated_pool_is_valid (void)
{
  KlGeneratorOptions options;
  Generated g = { 0 };
  g_autoptr(GPtrArray) issues = kl_messages_new ();

  kl_generator_options_init (&options);
  options.n_people = 500;
  options.n_features = 6;
  options.panel_size = 50;
  options.n_kept = 10;
  generate_and_load (&options, &g);

  g_assert_cmpuint (kl_pool_get_n_people (g.pool), ==, 500);
  g_assert_cmpuint (kl_quotas_get_n_features (g.quotas), ==, 6);
  g_assert_cmpuint (kl_pool_get_n_kept (g.pool), ==, 10);
  g_assert_true (kl_pool_check_enough_people (g.pool, issues));
  g_assert_true (kl_quotas_check (g.quotas, 50, issues));
  g_assert_cmpint (kl_quotas_get_minimum_selection (g.quotas), <=, 50);
  g_assert_cmpint (kl_quotas_get_maximum_selection (g.quotas), >=, 50);
  /* About a tenth live with someone else. */
  g_assert_cmpuint (kl_pool_get_n_households (g.pool), >, 10);
  generated_clear (&g);
}

static void
test_same_seed_same_files (void)
{
  KlGeneratorOptions options;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  kl_generator_options_init (&options);
  g_assert_true (kl_generate (&options, &a, NULL, NULL, NULL));
  g_assert_true (kl_generate (&options, &b, NULL, NULL, NULL));
  options.seed = 2;
  g_assert_true (kl_generate (&options, &c, NULL, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

/* Features are correlated: some pairs of values occur together far more or
 * less often than independence predicts. */
static double
largest_dependence (const KlPool *pool)
{
  KlQuotas *q = kl_pool_get_quotas (pool);
  guint n = kl_pool_get_n_people (pool);
  g_autofree guint *counts = kl_pool_count_per_value (pool);
  double worst = 0;

  for (guint v = 0; v < kl_quotas_get_feature (q, 1)->values->len; v++)
    for (guint w = 0; w < kl_quotas_get_feature (q, 3)->values->len; w++)
      {
        guint both = 0;
        double expected;

        for (guint i = 0; i < n; i++)
          both += kl_pool_get_value (pool, i, 1) == v && kl_pool_get_value (pool, i, 3) == w;
        expected = (double) counts[kl_quotas_get_slot (q, 1, v)] * counts[kl_quotas_get_slot (q, 3, w)] / n;
        if (expected > 50)
          worst = MAX (worst, fabs (both - expected) / expected);
      }
  return worst;
}

static void
test_correlation_and_bias (void)
{
  KlGeneratorOptions options;
  Generated fair = { 0 }, biased = { 0 };
  g_autofree guint *fair_counts = NULL, *biased_counts = NULL;
  double fair_gap = 0, biased_gap = 0;

  kl_generator_options_init (&options);
  options.n_people = 20000;
  options.panel_size = 100;
  options.bias = 0;
  generate_and_load (&options, &fair);
  options.bias = 1;
  generate_and_load (&options, &biased);

  g_assert_cmpfloat (largest_dependence (fair.pool), >, 0.1);

  /* Bias moves the pool away from the population the quotas describe. */
  fair_counts = kl_pool_count_per_value (fair.pool);
  biased_counts = kl_pool_count_per_value (biased.pool);
  for (guint f = 0; f < kl_quotas_get_n_features (fair.quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (fair.quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (fair.quotas, f, v);
        double target = (quota->min + quota->max) / 2.0 / 100;
        guint slot = kl_quotas_get_slot (fair.quotas, f, v);

        fair_gap = MAX (fair_gap, fabs (fair_counts[slot] / 20000.0 - target));
        biased_gap = MAX (biased_gap, fabs (biased_counts[slot] / 20000.0 - target));
      }
  g_assert_cmpfloat (biased_gap, >, fair_gap);
  generated_clear (&fair);
  generated_clear (&biased);
}

static void
test_gen_sample (void)
{
  g_autoptr(KlTable) quota_table = kl_test_table ("feature,value,min,max\nGender,Male,1,2\nGender,Female,1,2\n"
                                                  "Gender,Other,0,0\nage,young,0,3\n");
  g_autoptr(KlQuotas) quotas = kl_quotas_load (quota_table, 0, NULL, NULL);
  g_autoptr(KlSettings) settings = kl_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(KlTable) table = NULL;
  g_autoptr(KlPool) pool = NULL;
  const char *header[] = { "id", "name", "postcode", "Gender", "age", NULL };

  g_strfreev (settings->columns_to_keep);
  /* gender is also a feature: the header must not repeat it. */
  settings->columns_to_keep = g_strsplit ("name,gender", ",", -1);
  settings->check_same_address = TRUE;
  g_strfreev (settings->check_same_address_columns);
  settings->check_same_address_columns = g_strsplit ("postcode", ",", -1);

  csv = kl_generate_sample (quotas, settings, 10, 7, &error);
  g_assert_no_error (error);
  table = kl_test_table (csv);
  g_assert_cmpstrv (table->header, header);
  g_assert_cmpuint (table->n_rows, ==, 10);
  g_assert_cmpstr (kl_table_get_cell (table, 3, 0), ==, "p3");
  g_assert_cmpstr (kl_table_get_cell (table, 3, 1), ==, "name 3");
  pool = kl_pool_load (table, quotas, settings, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (kl_pool_get_value (pool, i, 0), !=, 2);
}

static void
test_gen_sample_impossible (void)
{
  g_autoptr(KlTable) quota_table = kl_test_table ("feature,value,min,max\ng,a,0,0\ng,b,0,0\n");
  g_autoptr(KlQuotas) quotas = kl_quotas_load (quota_table, 0, NULL, NULL);
  g_autoptr(KlSettings) settings = kl_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = kl_generate_sample (quotas, settings, 10, 7, &error);

  g_assert_null (csv);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_DATA);
}

/* Four maxima of 2^30 sum to 2^32, which an int total wrapped to 0
 * (undefined behaviour, then "every value has a maximum of 0"). The draw
 * must follow the maxima: the value with maximum 0 never drawn, the four
 * large ones about evenly. */
static void
test_gen_sample_huge_maxima (void)
{
  g_autoptr(KlTable) quota_table = kl_test_table ("feature,value,min,max\n"
                                                  "g,a,0,1073741824\ng,b,0,1073741824\n"
                                                  "g,c,0,1073741824\ng,d,0,1073741824\ng,e,0,0\n"
                                                  "h,x,0,2147483647\nh,y,0,2147483647\n");
  g_autoptr(KlQuotas) quotas = kl_quotas_load (quota_table, 0, NULL, NULL);
  g_autoptr(KlSettings) settings = kl_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(KlTable) table = NULL;
  g_autoptr(KlPool) pool = NULL;
  guint counts[5] = { 0 };

  g_assert_nonnull (quotas);
  csv = kl_generate_sample (quotas, settings, 1000, 7, &error);
  g_assert_no_error (error);
  table = kl_test_table (csv);
  pool = kl_pool_load (table, quotas, settings, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000; i++)
    counts[kl_pool_get_value (pool, i, 0)]++;
  g_assert_cmpuint (counts[4], ==, 0);
  for (guint v = 0; v < 4; v++)
    g_assert_cmpuint (counts[v], >, 150);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/generator/valid", test_generated_pool_is_valid);
  g_test_add_func ("/generator/same-seed", test_same_seed_same_files);
  g_test_add_func ("/generator/correlation-and-bias", test_correlation_and_bias);
  g_test_add_func ("/generator/gen-sample", test_gen_sample);
  g_test_add_func ("/generator/gen-sample-impossible", test_gen_sample_impossible);
  g_test_add_func ("/generator/gen-sample-huge-maxima", test_gen_sample_huge_maxima);

  return g_test_run ();
}
