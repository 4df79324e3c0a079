/* test-pool.c — the pool and already-selected tables (spec 2.3, 2.4, 3.2, 5.1;
 * 10.2–10.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

static const char *quotas_csv =
  "feature,value,min,max\n"
  "gender,male,1,2\ngender,female,1,2\n"
  "age,young,1,2\nage,old,1,2\n";

typedef struct {
  KlQuotas *quotas;
  KlSettings *settings;
  GPtrArray *messages;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlTable) table = kl_test_table (quotas_csv);

  f->quotas = kl_quotas_load (table, 0, NULL, NULL);
  f->settings = kl_settings_new ();
  g_free (f->settings->id_column);
  f->settings->id_column = g_strdup ("id");
  g_strfreev (f->settings->columns_to_keep);
  f->settings->columns_to_keep = g_strsplit ("name,email", ",", -1);
  f->messages = kl_messages_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kl_quotas_unref (f->quotas);
  kl_settings_free (f->settings);
  g_ptr_array_unref (f->messages);
}

static void
use_addresses (Fixture    *f,
               const char *columns)
{
  f->settings->check_same_address = TRUE;
  g_strfreev (f->settings->check_same_address_columns);
  f->settings->check_same_address_columns = g_strsplit (columns, ",", -1);
}

static KlPool *
load_ok (Fixture    *f,
         const char *csv)
{
  g_autoptr(KlTable) table = kl_test_table (csv);
  g_autoptr(GError) error = NULL;
  KlPool *pool = kl_pool_load (table, f->quotas, f->settings, f->messages, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pool);
  return pool;
}

static void
load_fails (Fixture    *f,
            const char *csv)
{
  g_autoptr(KlTable) table = kl_test_table (csv);
  g_autoptr(GError) error = NULL;
  KlPool *pool = kl_pool_load (table, f->quotas, f->settings, f->messages, &error);

  g_assert_null (pool);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_DATA);
}

static void
test_happy_path (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlPool) pool = load_ok (f, "id,name,email,gender,age,unused\n"
                                       "1, Ann ,a@x,Female,young,zz\n"
                                       "2,Bob,b@x,MALE,old,zz\n"
                                       "3,Cy,c@x,male,Young,zz\n");

  g_assert_cmpuint (kl_pool_get_n_people (pool), ==, 3);
  g_assert_cmpstr (kl_pool_get_id (pool, 0), ==, "1");
  g_assert_cmpstr (kl_pool_get_kept (pool, 0, 0), ==, "Ann");
  g_assert_cmpstr (kl_pool_get_kept_name (pool, 1), ==, "email");
  g_assert_cmpuint (kl_pool_get_value (pool, 1, 0), ==, 0);
  g_assert_cmpuint (kl_pool_get_value (pool, 0, 0), ==, 1);
  g_assert_cmpuint (kl_pool_get_value (pool, 2, 1), ==, 0);
  /* The person's own spelling is what the outputs show. */
  g_assert_cmpstr (kl_pool_get_value_text (pool, 1, 0), ==, "MALE");
  g_assert_cmpint (kl_pool_find_person (pool, "3"), ==, 2);
  g_assert_cmpint (kl_pool_get_line (pool, 2), ==, 4);
  g_assert_cmpuint (kl_messages_count (f->messages, KL_SEVERITY_WARNING), ==, 0);
  g_assert_cmpuint (kl_messages_count (f->messages, KL_SEVERITY_ERROR), ==, 0);
}

static void
test_blank_ids (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KlPool) pool = load_ok (f, "id,name,email,gender,age,formula\n"
                                       "1,A,a,male,young,\n"
                                       "2,B,b,female,old,\n"
                                       "3,C,c,male,old,\n"
                                       ",D,d,female,young,\n"
                                       ",,,,,=SUM(A1)\n"
                                       ",,,,,=SUM(A1)\n");
  KlMessage *m;

  g_assert_cmpuint (kl_pool_get_n_people (pool), ==, 3);
  m = kl_assert_message (f->messages, "blank_id_skipped", 5, "id");
  g_assert_cmpstr (kl_message_get_param (m, "row"), ==, "5");
  kl_assert_message (f->messages, "blank_id_skipped", 6, "id");
  kl_assert_message (f->messages, "blank_id_skipped", 7, "id");
  /* Junk rows with blank ids are not duplicates of each other. */
  g_assert_null (kl_test_find_message (f->messages, "duplicate_rows_identical", 0));
}

static void
test_value_problems (Fixture       *f,
                     gconstpointer  data)
{
  KlMessage *m;

  load_fails (f, "id,name,email,gender,age\n"
                 "1,A,a,other,young\n"
                 "2,B,b,male,\n"
                 "3,C,c,female,old\n");

  m = kl_assert_message (f->messages, "value_not_in_feature", 2, "gender");
  g_assert_cmpint (m->column_index, ==, 3);
  g_assert_cmpint (m->row, ==, 2);
  g_assert_cmpstr (kl_message_get_param (m, "value"), ==, "other");
  g_assert_cmpstr (kl_message_get_param (m, "valid_values"), ==, "male, female");
  m = kl_assert_message (f->messages, "empty_value_in_feature", 3, "age");
  g_assert_cmpstr (kl_message_get_param (m, "id"), ==, "2");
}

static void
test_column_problems (Fixture       *f,
                      gconstpointer  data)
{
  KlMessage *m;

  load_fails (f, "name,email,gender,age\nA,a,male,young\n");
  m = kl_assert_message (f->messages, "missing_id_column", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "error_label"), ==, "unique id");

  g_ptr_array_set_size (f->messages, 0);
  load_fails (f, "id,name,email,age\n1,A,a,young\n");
  m = kl_assert_message (f->messages, "missing_feature_column", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "column"), ==, "gender");

  g_ptr_array_set_size (f->messages, 0);
  load_fails (f, "id,name,gender,age\n1,A,male,young\n");
  m = kl_assert_message (f->messages, "missing_kept_column", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "column"), ==, "email");

  /* Every missing or repeated column at once, not one per attempt. */
  g_ptr_array_set_size (f->messages, 0);
  load_fails (f, "ID,Id,name,gender,GENDER\n1,1,A,male,male\n");
  kl_assert_message (f->messages, "duplicate_column", 1, "ID");
  kl_assert_message (f->messages, "duplicate_column", 1, "gender");
  kl_assert_message (f->messages, "missing_feature_column", 1, NULL);
  kl_assert_message (f->messages, "missing_kept_column", 1, NULL);

  g_ptr_array_set_size (f->messages, 0);
  use_addresses (f, "street,postcode");
  load_fails (f, "id,name,email,gender,age,street\n1,A,a,male,young,x\n");
  m = kl_assert_message (f->messages, "missing_address_column", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "column"), ==, "postcode");
}

static void
test_empty_body (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlPool) pool = load_ok (f, "id,name,email,gender,age\n");

  g_assert_cmpuint (kl_pool_get_n_people (pool), ==, 0);
  g_assert_cmpuint (f->messages->len, ==, 0);
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlPool) pool = load_ok (f, "id,name,email,gender,age\n"
                                       "1,A,a,male,young\n"
                                       "2,B,b,female,old\n"
                                       "2,B,b,female,old\n");
  KlMessage *m;

  g_assert_cmpuint (kl_pool_get_n_people (pool), ==, 2);
  m = kl_assert_message (f->messages, "duplicate_id_identical", 4, "id");
  g_assert_cmpstr (kl_message_get_param (m, "rows"), ==, "3 and 4");
  kl_assert_message (f->messages, "duplicate_rows_identical", 0, NULL);

  g_ptr_array_set_size (f->messages, 0);
  load_fails (f, "id,name,email,gender,age\n"
                 "1,A,a,male,young\n"
                 "2,B,b,female,old\n"
                 "2,B,b,female,old\n"
                 "3,C,secret@x,male,old\n"
                 "3,C,other@x,male,old\n"
                 "3,C,third@x,male,old\n");
  m = kl_assert_message (f->messages, "duplicate_id_differing", 6, "id");
  g_assert_cmpstr (kl_message_get_param (m, "rows"), ==, "5, 6 and 7");
  m = kl_assert_message (f->messages, "duplicate_ids_differing_found", 0, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "count"), ==, "1");
  /* Personal data stays out of error messages. */
  for (guint i = 0; i < f->messages->len; i++)
    {
      g_autofree char *text = kl_message_to_located_string (g_ptr_array_index (f->messages, i));
      g_assert_null (strstr (text, "secret"));
    }
}

static void
test_households (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KlPool) pool = NULL;
  KlMessage *m;

  use_addresses (f, "street,postcode");
  pool = load_ok (f, "id,name,email,gender,age,street,postcode\n"
                     "1,A,a,male,young,1 High St,AB1\n"
                     "2,B,b,female,old, 1 HIGH st ,ab1\n"
                     "3,C,c,male,old,1 High St,AB2\n"
                     "4,D,d,female,young,,\n"
                     "5,E,e,female,young,,\n"
                     "6,F,f,male,old,1 high st,AB1\n");

  g_assert_true (kl_pool_has_addresses (pool));
  g_assert_cmpuint (kl_pool_get_n_households (pool), ==, 1);
  g_assert_cmpint (kl_pool_get_household (pool, 0), ==, 0);
  g_assert_cmpint (kl_pool_get_household (pool, 1), ==, 0);
  g_assert_cmpint (kl_pool_get_household (pool, 5), ==, 0);
  g_assert_cmpuint (kl_pool_get_household_size (pool, 0), ==, 3);
  /* Differing in one of two columns is another address. */
  g_assert_cmpint (kl_pool_get_household (pool, 2), ==, KL_NO_HOUSEHOLD);
  /* Blank addresses are not one big household; a warning says so. */
  g_assert_cmpint (kl_pool_get_household (pool, 3), ==, KL_NO_HOUSEHOLD);
  g_assert_cmpint (kl_pool_get_household (pool, 4), ==, KL_NO_HOUSEHOLD);
  m = kl_assert_message (f->messages, "blank_addresses", 0, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "count"), ==, "2");
  /* Three of six at one address: probably a wrong column. */
  kl_assert_message (f->messages, "large_household", 2, NULL);
  /* Address columns are kept for the outputs. */
  g_assert_cmpuint (kl_pool_get_n_kept (pool), ==, 4);
}

static void
test_already_selected (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPool) none = NULL;
  g_autoptr(KlPool) empty = NULL;
  g_autoptr(KlPool) earlier = NULL;
  g_autoptr(KlPool) missing = NULL;
  g_autofree char *empty_path = kl_test_write_file ("empty.csv", "  \n");
  g_autofree char *path = kl_test_write_file ("already.csv",
                                              "id,street,postcode,email_address\n"
                                              "9,1 High St,AB1,x\n"
                                              "8,2 Low St,CD2,y\n");

  use_addresses (f, "street,postcode");

  none = kl_pool_load_already_selected_file (NULL, f->settings, f->messages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kl_pool_get_n_people (none), ==, 0);
  kl_assert_message (f->messages, "no_already_selected_file", 0, NULL);

  empty = kl_pool_load_already_selected_file (empty_path, f->settings, f->messages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kl_pool_get_n_people (empty), ==, 0);
  kl_assert_message (f->messages, "already_selected_file_empty", 0, NULL);

  /* Other columns may differ from the pool's; addresses come back folded. */
  earlier = kl_pool_load_already_selected_file (path, f->settings, f->messages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kl_pool_get_n_people (earlier), ==, 2);
  g_assert_cmpstr (kl_pool_get_address_key (earlier, 0), ==, "1 high st\x1f" "ab1");

  /* The library would take a mistyped path for "nobody". */
  missing = kl_pool_load_already_selected_file ("/nonexistent/already.csv", f->settings,
                                                f->messages, &error);
  g_assert_null (missing);
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
}

static void
test_counts_and_enough_people (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(KlPool) balanced = load_ok (f, "id,name,email,gender,age\n"
                                           "1,A,a,male,young\n2,B,b,male,old\n"
                                           "3,C,c,female,young\n4,D,d,female,old\n");
  g_autoptr(KlPool) all_male = load_ok (f, "id,name,email,gender,age\n"
                                           "1,A,a,male,young\n2,B,b,male,old\n"
                                           "3,C,c,male,young\n4,D,d,male,old\n");
  g_autofree guint *counts = kl_pool_count_per_value (balanced);
  g_autofree guint *male_counts = kl_pool_count_per_value (all_male);
  g_autoptr(GPtrArray) issues = kl_messages_new ();
  KlMessage *m;

  for (guint s = 0; s < 4; s++)
    g_assert_cmpuint (counts[s], ==, 2);
  g_assert_cmpuint (male_counts[0], ==, 4);
  g_assert_cmpuint (male_counts[1], ==, 0);

  g_assert_true (kl_pool_check_enough_people (balanced, issues));
  g_assert_cmpuint (issues->len, ==, 0);
  g_assert_false (kl_pool_check_enough_people (all_male, issues));
  g_assert_cmpuint (issues->len, ==, 1);
  m = kl_assert_message (issues, "not_enough_people", 3, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "feature_value"), ==, "female");
  g_assert_cmpstr (kl_message_get_param (m, "min"), ==, "1");
  g_assert_cmpstr (kl_message_get_param (m, "count"), ==, "0");
}

static void
test_subset (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlPool) part = NULL;
  const guint keep[] = { 2, 0 };

  use_addresses (f, "street,postcode");
  pool = load_ok (f, "id,name,email,gender,age,street,postcode\n"
                     "1,A,a,male,young,s,p\n2,B,b,female,old,s,p\n3,C,c,female,young,s,p\n");
  part = kl_pool_subset (pool, keep, 2);

  g_assert_cmpuint (kl_pool_get_n_people (part), ==, 2);
  g_assert_cmpstr (kl_pool_get_id (part, 0), ==, "3");
  g_assert_cmpuint (kl_pool_get_value (part, 0, 0), ==, 1);
  g_assert_cmpuint (kl_pool_get_household_size (part, 0), ==, 2);
  g_assert_cmpuint (kl_pool_get_n_people (pool), ==, 3);
}

static void
test_exclude_already_selected (Fixture       *f,
                               gconstpointer  data)
{
  const char *csv = "id,name,email,gender,age,street,postcode\n"
                    "1,A,a,male,young,123 Main St,X1\n"
                    "2,B,b,female,old,123 MAIN ST,x1\n"
                    "3,C,c,female,young,9 Side Rd,X2\n"
                    "4,D,d,male,old,5 Hill,X3\n";
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlTable) earlier_table = NULL;
  g_autoptr(KlPool) earlier = NULL;
  g_autoptr(KlPool) working = NULL;
  g_autoptr(KlPool) unchanged = NULL;

  use_addresses (f, "street,postcode");
  pool = load_ok (f, csv);

  /* Someone selected before at 123 Main St: both residents leave the pool,
   * and so does person 4, who was selected before. */
  earlier_table = kl_test_table ("id,street,postcode\n77,123 main st,X1\n4,5 Hill,X3\n");
  earlier = kl_pool_load_already_selected (earlier_table, f->settings, NULL, NULL);
  working = kl_pool_exclude_already_selected (pool, earlier, f->messages);
  g_assert_cmpuint (kl_pool_get_n_people (working), ==, 1);
  g_assert_cmpstr (kl_pool_get_id (working, 0), ==, "3");
  g_assert_cmpstr (kl_message_get_param (kl_assert_message (f->messages, "dropped_at_already_selected_address", 0, NULL),
                                         "count"), ==, "2");
  kl_assert_message (f->messages, "already_selected_removed", 0, NULL);
  /* The caller's pool is never changed. */
  g_assert_cmpuint (kl_pool_get_n_people (pool), ==, 4);

  unchanged = kl_pool_exclude_already_selected (pool, NULL, NULL);
  g_assert_true (unchanged == pool);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pool/happy-path", test_happy_path);
  ADD ("/pool/blank-ids", test_blank_ids);
  ADD ("/pool/value-problems", test_value_problems);
  ADD ("/pool/column-problems", test_column_problems);
  ADD ("/pool/empty-body", test_empty_body);
  ADD ("/pool/duplicates", test_duplicates);
  ADD ("/pool/households", test_households);
  ADD ("/pool/already-selected", test_already_selected);
  ADD ("/pool/counts-and-enough-people", test_counts_and_enough_people);
  ADD ("/pool/subset", test_subset);
  ADD ("/pool/exclude-already-selected", test_exclude_already_selected);
#undef ADD

  return g_test_run ();
}
