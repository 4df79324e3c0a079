/* test-quotas.c — reading and writing the quota table (spec 2.2, 2.7, 10.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

static KlQuotas *
load_ok (const char *csv,
         int         k)
{
  g_autoptr(KlTable) table = kl_test_table (csv);
  g_autoptr(GError) error = NULL;
  KlQuotas *quotas = kl_quotas_load (table, k, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (quotas);
  return quotas;
}

static GPtrArray *
load_fails (const char *csv,
            int         k)
{
  g_autoptr(KlTable) table = kl_test_table (csv);
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = kl_messages_new ();
  KlQuotas *quotas = kl_quotas_load (table, k, messages, &error);

  g_assert_null (quotas);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_DATA);
  return messages;
}

static void
test_one_feature (void)
{
  g_autoptr(KlQuotas) q = load_ok ("feature,value,min,max\ngender,male,4,6\ngender,female,4,6\n"
                                   "gender,non-binary-other,0,1\n", 0);

  g_assert_cmpuint (kl_quotas_get_n_features (q), ==, 1);
  g_assert_cmpint (kl_quotas_get_minimum_selection (q), ==, 8);
  g_assert_cmpint (kl_quotas_get_maximum_selection (q), ==, 13);
  g_assert_cmpstr (kl_quotas_get_feature_column (q), ==, "feature");
  g_assert_cmpstr (kl_quotas_get_value_column (q), ==, "value");
}

static void
test_old_names_with_flex (void)
{
  g_autoptr(KlQuotas) q = load_ok ("category,name,min,max,min_flex,max_flex\n"
                                   "gender,male,4,6,0,7\ngender,female,4,6,0,7\n"
                                   "gender,non-binary-other,0,1,0,2\n", 0);

  g_assert_cmpstr (kl_quotas_get_feature_column (q), ==, "category");
  g_assert_cmpstr (kl_quotas_get_value_column (q), ==, "name");
  g_assert_cmpint (kl_quotas_get_value (q, 0, 2)->max_flex, ==, 2);
}

static void
test_two_features (void)
{
  g_autoptr(KlQuotas) q = load_ok ("feature,value,min,max\ngender,male,2,4\ngender,female,2,4\n"
                                   "age,young,2,3\nage,middle,2,5\nage,old,1,2\n", 0);
  g_autoptr(KlQuotas) flex = load_ok ("feature,value,min,max,min_flex,max_flex\n"
                                      "gender,male,2,4,0,5\ngender,female,2,4,0,5\n"
                                      "education,low,1,3,0,4\neducation,high,2,4,1,5\n", 0);

  g_assert_cmpint (kl_quotas_get_minimum_selection (q), ==, 5);
  g_assert_cmpint (kl_quotas_get_maximum_selection (q), ==, 8);
  g_assert_cmpint (kl_quotas_get_minimum_selection (flex), ==, 4);
  g_assert_cmpint (kl_quotas_get_maximum_selection (flex), ==, 7);
  g_assert_cmpuint (kl_quotas_get_n_slots (q), ==, 5);
  g_assert_cmpuint (kl_quotas_get_slot (q, 1, 2), ==, 4);
}

static void
test_header_problems (void)
{
  g_autoptr(GPtrArray) missing = load_fails ("feature,value,min\ng,m,1\n", 0);
  g_autoptr(GPtrArray) twice = load_fails ("feature,value,min,min,max\ng,m,1,1,2\n", 0);
  g_autoptr(GPtrArray) mixed = load_fails ("feature,name,min,max\ng,m,1,2\n", 0);
  g_autoptr(GPtrArray) flex = load_fails ("feature,value,min,max,min_flex\ng,m,1,2,0\n", 0);
  g_autoptr(GPtrArray) old_missing = load_fails ("category,min,max\ng,1,2\n", 0);
  g_autoptr(KlQuotas) extra = load_ok ("feature,value,min,max,suggest min\ng,m,1,2,3\n", 0);
  g_autoptr(KlQuotas) any_case = load_ok (" Feature ,VALUE,Min,Max\ng,m,1,2\n", 0);
  KlMessage *m;

  m = kl_assert_message (missing, "missing_required_column", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "field_name"), ==, "max");
  m = kl_assert_message (twice, "duplicate_required_column", 1, "min");
  g_assert_cmpstr (kl_message_get_param (m, "count"), ==, "2");
  kl_assert_message (mixed, "quota_header_mixed_styles", 1, NULL);
  m = kl_assert_message (flex, "quota_header_flex_pair", 1, "min_flex");
  g_assert_cmpstr (kl_message_get_param (m, "missing"), ==, "max_flex");
  m = kl_assert_message (old_missing, "missing_required_column", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "field_name"), ==, "name");
  g_assert_cmpuint (kl_quotas_get_n_features (extra), ==, 1);
  /* The library only takes lower-case headers; people type capitals. */
  g_assert_cmpuint (kl_quotas_get_n_features (any_case), ==, 1);
}

static void
test_blank_rows (void)
{
  g_autoptr(KlQuotas) q = load_ok ("feature,value,min,max\n,x,1,2\n  ,y,1,2\n,,,\ng,m,1,2\n", 0);
  g_autoptr(GPtrArray) current = load_fails ("feature,value,min,max\ngender,,1,2\n", 0);
  g_autoptr(GPtrArray) old = load_fails ("category,name,min,max\ngender,,1,2\n", 0);
  KlMessage *m;
  g_autofree char *text = NULL;

  g_assert_cmpuint (kl_quotas_get_n_features (q), ==, 1);
  m = kl_assert_message (current, "empty_feature_value", 2, "value");
  g_assert_cmpint (m->row, ==, 2);
  g_assert_cmpint (m->column_index, ==, 1);
  text = kl_message_to_string (m);
  g_assert_cmpstr (text, ==, "The value of feature “gender” is empty.");
  g_clear_pointer (&text, g_free);
  m = kl_assert_message (old, "empty_feature_value", 2, "name");
  text = kl_message_to_string (m);
  g_assert_cmpstr (text, ==, "The name of category “gender” is empty.");
}

static void
test_cell_problems (void)
{
  g_autoptr(GPtrArray) messages = load_fails ("feature,value,min,max\n"
                                              "gender,,1,2\n"
                                              "gender,male,,2\n"
                                              "gender,female,1,\n"
                                              "gender,other,burble,2\n"
                                              "age,young,10,5\n"
                                              "age,old,1.0,2\n"
                                              "age,mid,-1,2\n"
                                              "age,x,1_0,20\n", 0);
  KlMessage *m;

  kl_assert_message (messages, "empty_feature_value", 2, "value");
  m = kl_assert_message (messages, "no_value_set", 3, "min");
  g_assert_cmpstr (kl_message_get_param (m, "feature"), ==, "gender");
  g_assert_cmpstr (kl_message_get_param (m, "value_name"), ==, "male");
  kl_assert_message (messages, "no_value_set", 4, "max");
  m = kl_assert_message (messages, "not_a_number", 5, "min");
  g_assert_cmpstr (kl_message_get_param (m, "value"), ==, "burble");
  m = kl_assert_message (messages, "min_greater_than_max", 6, "min");
  g_assert_cmpstr (m->column2, ==, "max");
  g_assert_cmpstr (kl_message_get_param (m, "min"), ==, "10");
  kl_assert_message (messages, "not_a_number", 7, "min");
  kl_assert_message (messages, "negative_number", 8, "min");
  kl_assert_message (messages, "not_a_number", 9, "min");
  g_assert_cmpuint (messages->len, ==, 8);
}

static void
test_flex_problems (void)
{
  g_autoptr(GPtrArray) messages = load_fails ("feature,value,min,max,min_flex,max_flex\n"
                                              "g,a,1,2,,3\n"
                                              "g,b,2,5,3,6\n"
                                              "g,c,1,5,0,4\n"
                                              "g,d,1,5,-2,5\n", 0);
  KlMessage *m;

  m = kl_assert_message (messages, "no_value_set", 2, "min_flex");
  g_assert_cmpstr (kl_message_get_param (m, "field"), ==, "min_flex");
  m = kl_assert_message (messages, "min_flex_greater_than_min", 3, "min_flex");
  g_assert_cmpstr (m->column2, ==, "min");
  m = kl_assert_message (messages, "max_flex_less_than_max", 4, "max_flex");
  g_assert_cmpstr (m->column2, ==, "max");
  kl_assert_message (messages, "negative_number", 5, "min_flex");
}

static void
test_duplicate_value_rows (void)
{
  g_autoptr(GPtrArray) messages = load_fails ("feature,value,min,max\ng,Male,1,2\nG,male,3,4\n", 0);
  KlMessage *m = kl_assert_message (messages, "duplicate_quota_row", 3, "value");

  g_assert_cmpstr (kl_message_get_param (m, "first_line"), ==, "2");
}

static void
test_inconsistent_features (void)
{
  g_autoptr(GPtrArray) messages = load_fails ("feature,value,min,max\n"
                                              "gender,male,5,6\ngender,female,5,6\n"
                                              "age,young,1,2\nage,old,1,2\n", 0);
  KlMessage *m = kl_assert_message (messages, "inconsistent_min_max", 2, NULL);

  g_assert_cmpstr (kl_message_get_param (m, "smallest_maximum_feature"), ==, "age");
  g_assert_cmpstr (kl_message_get_param (m, "smallest_maximum_value"), ==, "4");
  g_assert_cmpstr (kl_message_get_param (m, "largest_minimum_feature"), ==, "gender");
  g_assert_cmpstr (kl_message_get_param (m, "largest_minimum_value"), ==, "10");
}

static void
test_panel_size (void)
{
  const char *csv = "feature,value,min,max\ngender,male,5,6\ngender,female,5,6\n";
  g_autoptr(GPtrArray) small = load_fails (csv, 8);
  g_autoptr(GPtrArray) large = load_fails (csv, 15);
  g_autoptr(KlQuotas) none = load_ok (csv, 0);
  g_autoptr(GPtrArray) issues = kl_messages_new ();
  KlMessage *m;

  m = kl_assert_message (small, "min_exceeds_number_to_select", 2, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "feature_sum"), ==, "10");
  g_assert_cmpstr (kl_message_get_param (m, "limit"), ==, "8");
  m = kl_assert_message (large, "max_below_number_to_select", 2, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "feature_sum"), ==, "12");

  /* The structured check a UI calls: one issue per problem, empty when fine. */
  g_assert_true (kl_quotas_check (none, 11, issues));
  g_assert_cmpuint (issues->len, ==, 0);
  g_assert_false (kl_quotas_check (none, 20, issues));
  g_assert_cmpuint (issues->len, ==, 1);
  g_assert_cmpstr (kl_message_get_param (g_ptr_array_index (issues, 0), "issue_type"), ==,
                   "max_below_number_to_select");
}

static void
test_several_feature_issues (void)
{
  g_autoptr(KlQuotas) q = kl_quotas_new ();
  g_autoptr(KlQuotas) empty = kl_quotas_new ();
  g_autoptr(GPtrArray) issues = kl_messages_new ();
  KlMessage *m;

  /* a: [3,4], b: [1,10], c: [6,9] → inconsistent (6 > 4), and k = 5 is
   * above a's maximum and below c's minimum. */
  kl_quotas_add_value (q, "a", "x", 3, 4, 0, KL_FLEX_UNSET);
  kl_quotas_add_value (q, "b", "y", 1, 10, 0, KL_FLEX_UNSET);
  kl_quotas_add_value (q, "c", "z", 6, 9, 0, KL_FLEX_UNSET);
  kl_quotas_finish (q);

  g_assert_false (kl_quotas_check (q, 5, issues));
  g_assert_cmpuint (issues->len, ==, 3);
  m = kl_assert_message (issues, "inconsistent_min_max", 0, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "largest_minimum_feature"), ==, "c");
  m = kl_assert_message (issues, "max_below_number_to_select", 0, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "feature_name"), ==, "a");
  m = kl_assert_message (issues, "min_exceeds_number_to_select", 0, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "feature_name"), ==, "c");
  g_assert_true (kl_quotas_check (empty, 5, issues));
}

static void
test_text_cells (void)
{
  g_autoptr(KlQuotas) q = load_ok ("feature,value,min,max\n  gender  ,  male ,1,2\n123,456,0,1\n", 0);

  g_assert_cmpstr (kl_quotas_get_feature (q, 0)->name, ==, "gender");
  g_assert_cmpstr (kl_quotas_get_value (q, 0, 0)->name, ==, "male");
  g_assert_cmpint (kl_quotas_find_value (q, 1, "456"), ==, 0);
}

static void
test_default_flex (void)
{
  g_autoptr(KlQuotas) q = load_ok ("feature,value,min,max\ng,a,1,2\ng,b,1,3\nage,x,0,9\n", 0);
  g_autoptr(KlQuotas) built = kl_quotas_new ();

  /* The largest feature total of maxima: g 2+3 = 5, age 9. */
  g_assert_cmpint (kl_quotas_get_value (q, 0, 0)->min_flex, ==, 0);
  g_assert_cmpint (kl_quotas_get_value (q, 0, 0)->max_flex, ==, 9);

  kl_quotas_add_value (built, "g", "a", 1, 2, 0, KL_FLEX_UNSET);
  kl_quotas_add_value (built, "g", "b", 1, 3, 0, 4);
  g_assert_cmpint (kl_quotas_get_value (built, 0, 0)->max_flex, ==, KL_FLEX_UNSET);
  kl_quotas_finish (built);
  g_assert_cmpint (kl_quotas_get_value (built, 0, 0)->max_flex, ==, 5);
  g_assert_cmpint (kl_quotas_get_value (built, 0, 1)->max_flex, ==, 4);
}

static void
test_case_insensitive (void)
{
  g_autoptr(KlQuotas) q = load_ok ("feature,value,min,max\nGender,Male,1,2\ngender,FEMALE,1,2\n"
                                   "GENDER,Stra\xC3\x9F" "e,0,1\n", 0);

  g_assert_cmpuint (kl_quotas_get_n_features (q), ==, 1);
  g_assert_cmpstr (kl_quotas_get_feature (q, 0)->name, ==, "Gender");
  g_assert_cmpint (kl_quotas_find_feature (q, "gEnDeR"), ==, 0);
  g_assert_cmpint (kl_quotas_find_value (q, 0, "male"), ==, 0);
  g_assert_cmpint (kl_quotas_find_value (q, 0, "female"), ==, 1);
  g_assert_cmpint (kl_quotas_find_value (q, 0, "STRASSE"), ==, 2);
  g_assert_cmpint (kl_quotas_find_value (q, 0, "other"), ==, -1);
}

static void
test_export (void)
{
  g_autoptr(KlQuotas) plain = load_ok ("feature,value,min,max\ng,a,1,2\ng,b,1,3\n", 0);
  g_autoptr(KlQuotas) flex = load_ok ("feature,value,min,max,min_flex,max_flex\n"
                                      "g,a,1,2,0,5\ng,b,1,3,1,5\nage,\"x, y\",0,4,0,9\n", 0);
  g_autoptr(KlQuotas) empty = kl_quotas_new ();
  g_autofree char *plain_csv = kl_quotas_to_csv (plain);
  g_autofree char *flex_csv = kl_quotas_to_csv (flex);
  g_autofree char *empty_csv = kl_quotas_to_csv (empty);
  g_autoptr(KlQuotas) plain_again = load_ok (plain_csv, 0);
  g_autoptr(KlQuotas) flex_again = load_ok (flex_csv, 0);

  g_assert_cmpstr (plain_csv, ==, "feature,value,min,max\r\ng,a,1,2\r\ng,b,1,3\r\n");
  g_assert_true (g_str_has_prefix (flex_csv, "feature,value,min,max,min_flex,max_flex\r\n"));
  g_assert_nonnull (strstr (flex_csv, "age,\"x, y\",0,4,0,9\r\n"));
  g_assert_cmpstr (empty_csv, ==, "feature,value,min,max\r\n");
  g_assert_true (kl_quotas_equal (plain, plain_again));
  g_assert_true (kl_quotas_equal (flex, flex_again));
  g_assert_false (kl_quotas_equal (plain, flex));
}

static void
test_file_heading (void)
{
  g_autofree char *path = kl_test_write_file ("quotas.csv", "feature,value,min,max\ng,a,5,3\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(KlQuotas) q = kl_quotas_load_file (path, 0, NULL, &error);

  g_assert_null (q);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_DATA);
  /* The error names the file, the line and the column. */
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, ":2: "));
  g_assert_nonnull (strstr (error->message, "The minimum (5) is above the maximum (3)."));
}

/* Maxima near 2^31 ("no limit" written as a big number) add up in 64 bits:
 * a valid file is not rejected with a negative total. */
static void
test_huge_maxima (void)
{
  g_autoptr(KlQuotas) quotas = load_ok ("feature,value,min,max\n"
                                        "gender,female,1,2147483647\ngender,male,1,2147483647\n"
                                        "age,young,0,999999999\nage,old,1,999999999\nage,mid,0,999999999\n", 10);
  g_autoptr(GPtrArray) messages = NULL;

  g_assert_cmpint (kl_quotas_get_minimum_selection (quotas), ==, 2);
  g_assert_cmpint (kl_quotas_get_maximum_selection (quotas), ==, G_MAXINT);

  /* Minima that add up past 2^31 are more than any panel, said with the
   * true sum. */
  messages = load_fails ("feature,value,min,max\n"
                         "gender,female,2147483647,2147483647\ngender,male,2147483647,2147483647\n", 10);
  g_assert_cmpstr (kl_message_get_param (kl_assert_message (messages, "min_exceeds_number_to_select", 0, NULL),
                                         "feature_sum"), ==, "4294967294");
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/quotas/one-feature", test_one_feature);
  g_test_add_func ("/quotas/old-names-with-flex", test_old_names_with_flex);
  g_test_add_func ("/quotas/two-features", test_two_features);
  g_test_add_func ("/quotas/header-problems", test_header_problems);
  g_test_add_func ("/quotas/blank-rows", test_blank_rows);
  g_test_add_func ("/quotas/cell-problems", test_cell_problems);
  g_test_add_func ("/quotas/flex-problems", test_flex_problems);
  g_test_add_func ("/quotas/duplicate-value-rows", test_duplicate_value_rows);
  g_test_add_func ("/quotas/inconsistent-features", test_inconsistent_features);
  g_test_add_func ("/quotas/panel-size", test_panel_size);
  g_test_add_func ("/quotas/several-feature-issues", test_several_feature_issues);
  g_test_add_func ("/quotas/text-cells", test_text_cells);
  g_test_add_func ("/quotas/default-flex", test_default_flex);
  g_test_add_func ("/quotas/case-insensitive", test_case_insensitive);
  g_test_add_func ("/quotas/export", test_export);
  g_test_add_func ("/quotas/file-heading", test_file_heading);
  g_test_add_func ("/quotas/huge-maxima", test_huge_maxima);

  return g_test_run ();
}
