/* test-writer.c — output tables and safe file writes (spec 3.7, 10.10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>

static KlPool *
make_pool (const char *quotas_csv,
           const char *pool_csv,
           KlSettings *settings)
{
  g_autoptr(KlTable) quota_table = kl_test_table (quotas_csv);
  g_autoptr(KlTable) pool_table = kl_test_table (pool_csv);
  g_autoptr(KlQuotas) quotas = kl_quotas_load (quota_table, 0, NULL, NULL);
  g_autoptr(GError) error = NULL;
  KlPool *pool = kl_pool_load (pool_table, quotas, settings, NULL, &error);

  g_assert_no_error (error);
  return pool;
}

static KlSettings *
settings_with (const char *id,
               const char *keep,
               const char *address)
{
  KlSettings *s = kl_settings_new ();

  g_free (s->id_column);
  s->id_column = g_strdup (id);
  g_strfreev (s->columns_to_keep);
  s->columns_to_keep = g_strsplit (keep, ",", -1);
  if (address != NULL)
    {
      s->check_same_address = TRUE;
      g_strfreev (s->check_same_address_columns);
      s->check_same_address_columns = g_strsplit (address, ",", -1);
    }
  return s;
}

/* The fixture's layout (spec 3.7.1): kept columns in settings order, the
 * address columns after them, then features not already kept. */
static void
test_header (void)
{
  g_autoptr(KlSettings) s = settings_with ("nationbuilder_id", "first_name,gender,nationbuilder_id",
                                           "primary_address1,primary_zip");
  g_autoptr(KlPool) pool = make_pool ("feature,value,min,max\nGender,Male,0,1\nage_bracket,old,0,1\n"
                                      "edu_level,high,0,1\ngeo_bucket,north,0,1\n",
                                      "nationbuilder_id,first_name,primary_address1,primary_zip,gender,"
                                      "age_bracket,edu_level,geo_bucket,email\n"
                                      "p0,Ann,1 High St,AB1,male,old,high,north,x\n", s);
  g_auto(GStrv) header = kl_output_get_header (pool);
  g_auto(GStrv) row = kl_output_get_row (pool, 0);
  const char *expected[] = { "nationbuilder_id", "first_name", "gender", "primary_address1",
                             "primary_zip", "age_bracket", "edu_level", "geo_bucket", NULL };
  const char *expected_row[] = { "p0", "Ann", "male", "1 High St", "AB1", "old", "high", "north", NULL };

  g_assert_cmpstrv (header, expected);
  g_assert_cmpstrv (row, expected_row);
}

static const char *households_pool =
  "id,street,postcode,f\n"
  "Alice,33 Acacia,W1A,a\n"
  "Bob,31 Acacia,W1A,a\n"
  "Charlotte,33 ACACIA,w1a,a\n"
  "David,33 Acacia,W1B,a\n"
  "Edward,33 Zoological,Z1Z,a\n"
  "Zoe,33 Zoological,Z1Z,a\n"
  "Yan,9 Elm,E1,a\n";

static void
test_selected_and_remaining (void)
{
  g_autoptr(KlSettings) s = settings_with ("id", "", "street,postcode");
  g_autoptr(KlPool) pool = make_pool ("feature,value,min,max\nf,a,0,7\n", households_pool, s);
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) remaining = NULL;
  const guint panel[] = { 5, 1 };  /* Zoe and Bob, out of pool order */

  kl_output_build_tables (pool, s, panel, 2, NULL, KL_OUTPUT_NONE, &selected, &remaining);
  g_assert_cmpuint (selected->len - 1 + remaining->len - 1, ==, kl_pool_get_n_people (pool));
  /* Pool order, whatever order the panel came in. */
  g_assert_cmpstr (((char **) g_ptr_array_index (selected, 1))[0], ==, "Bob");
  g_assert_cmpstr (((char **) g_ptr_array_index (selected, 2))[0], ==, "Zoe");
  g_assert_cmpstr (((char **) g_ptr_array_index (remaining, 1))[0], ==, "Alice");
  g_assert_cmpstr (((char **) g_ptr_array_index (remaining, 5))[0], ==, "Yan");
  g_clear_pointer (&selected, g_ptr_array_unref);
  g_clear_pointer (&remaining, g_ptr_array_unref);

  kl_output_build_tables (pool, s, panel, 2, NULL, KL_OUTPUT_DROP_HOUSEMATES, &selected, &remaining);
  /* Edward lives with Zoe; Bob lives alone. */
  g_assert_cmpuint (remaining->len - 1, ==, 4);
  for (guint i = 1; i < remaining->len; i++)
    g_assert_cmpstr (((char **) g_ptr_array_index (remaining, i))[0], !=, "Edward");
}

static void
test_shared_addresses (void)
{
  g_autoptr(KlSettings) s = settings_with ("id", "", "street,postcode");
  g_autoptr(KlSettings) one_column = settings_with ("id", "", "postcode");
  g_autoptr(KlSettings) off = settings_with ("id", "street,postcode", NULL);
  g_autoptr(KlPool) pool = make_pool ("feature,value,min,max\nf,a,0,7\n", households_pool, s);
  g_autoptr(KlPool) by_postcode = make_pool ("feature,value,min,max\nf,a,0,7\n", households_pool, one_column);
  g_autoptr(KlPool) unchecked = make_pool ("feature,value,min,max\nf,a,0,7\n", households_pool, off);
  g_autoptr(KlTable) earlier_table = kl_test_table ("id,street,postcode\nOld,9 ELM,e1\n");
  g_autoptr(KlPool) earlier = kl_pool_load_already_selected (earlier_table, s, NULL, NULL);
  const guint zoe[] = { 5 };
  g_autoptr(GArray) dupes = kl_output_find_shared_addresses (pool, zoe, 1, NULL);
  g_autoptr(GArray) with_earlier = kl_output_find_shared_addresses (pool, zoe, 1, earlier);
  g_autoptr(GArray) postcode_dupes = kl_output_find_shared_addresses (by_postcode, zoe, 1, NULL);
  g_autoptr(GArray) none = kl_output_find_shared_addresses (unchecked, zoe, 1, NULL);
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) remaining = NULL;

  /* Alice and Charlotte share 33 Acacia W1A; Edward lives with Zoe (selected);
   * Bob (31) and David (W1B) differ in one column. */
  g_assert_cmpuint (dupes->len, ==, 3);
  g_assert_cmpuint (g_array_index (dupes, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (dupes, guint, 1), ==, 3);
  g_assert_cmpuint (g_array_index (dupes, guint, 2), ==, 5);
  /* Yan lives where someone selected in an earlier round lives. */
  g_assert_cmpuint (with_earlier->len, ==, 4);
  g_assert_cmpuint (g_array_index (with_earlier, guint, 3), ==, 6);
  /* On the postcode alone, Alice, Bob and Charlotte match. */
  g_assert_cmpuint (postcode_dupes->len, ==, 4);
  g_assert_cmpuint (none->len, ==, 0);

  kl_output_build_tables (pool, s, zoe, 1, NULL, KL_OUTPUT_MARK_SHARED_ADDRESS, &selected, &remaining);
  g_assert_cmpstr (((char **) g_ptr_array_index (remaining, 0))[4], ==, "shares_address");
  g_assert_cmpstr (((char **) g_ptr_array_index (remaining, 1))[4], ==, "yes");
  g_assert_cmpstr (((char **) g_ptr_array_index (remaining, 2))[4], ==, "no");
  g_assert_cmpstr (((char **) g_ptr_array_index (remaining, 5))[4], ==, "yes");
}

static void
test_csv_quoting (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const char *header[] = { "id", "note", NULL };
  const char *row[] = { "1", "said \"hi\", then\nleft", NULL };
  g_autofree char *csv = NULL;
  g_autoptr(KlTable) table = NULL;

  g_ptr_array_add (rows, header);
  g_ptr_array_add (rows, row);
  csv = kl_csv_from_rows (rows);
  g_assert_cmpstr (csv, ==, "id,note\r\n1,\"said \"\"hi\"\", then\nleft\"\r\n");
  table = kl_test_table (csv);
  g_assert_cmpstr (kl_table_get_cell (table, 0, 1), ==, row[1]);
}

static void
test_refuses_inputs (void)
{
  g_autofree char *input = kl_test_write_file ("input.csv", "id\n1\n");
  g_autofree char *folder = g_path_get_dirname (input);
  g_autofree char *dotted = g_build_filename (folder, ".", "input.csv", NULL);
  g_autofree char *link = g_build_filename (folder, "link.csv", NULL);
  const char *inputs[] = { input, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (kl_file_write_atomic (dotted, "x", 1, inputs, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "will not be written over"));
  g_clear_error (&error);

  g_assert_cmpint (symlink (input, link), ==, 0);
  g_assert_false (kl_file_write_atomic (link, "x", 1, inputs, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_clear_error (&error);
  unlink (link);

  g_assert_true (g_file_get_contents (input, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "id\n1\n");
}

static void
test_missing_folder (void)
{
  g_autofree char *path = g_build_filename (kl_test_dir (), "no-such-folder", "out.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (kl_file_write_atomic (path, "x", 1, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  g_assert_false (kl_file_write_atomic (kl_test_dir (), "x", 1, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
}

/* A full disk, simulated with a file-size limit: the write fails, the
 * earlier file is untouched and no temporary file is left behind. */
static void
test_full_disk (void)
{
  g_autofree char *name = g_strdup_printf ("kleroterion-full-%d.csv",
                                           g_test_subprocess () ? (int) getppid () : (int) getpid ());
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  if (g_test_subprocess ())
    {
      struct rlimit limit = { 1024, 1024 };
      g_autofree char *big = g_strnfill (64 * 1024, 'x');
      g_autoptr(GError) error = NULL;

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (kl_file_write_atomic (path, big, strlen (big), NULL, &error));
      g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
      g_printerr ("%s", error->message);
      return;
    }

  g_assert_true (g_file_set_contents (path, "old contents\n", -1, NULL));
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*could not be written*");

  {
    g_autofree char *contents = NULL;
    g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
    const char *entry;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "old contents\n");
    while ((entry = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (entry, name) && !g_str_equal (entry, name));
    g_unlink (path);
  }
}

static void
test_quotas_file_round_trip (void)
{
  g_autoptr(KlTable) table = kl_test_table ("feature,value,min,max,min_flex,max_flex\n"
                                            "gender,female,1,3,0,4\ngender,male,1,3,1,4\n");
  g_autoptr(KlQuotas) quotas = kl_quotas_load (table, 0, NULL, NULL);
  g_autofree char *path = g_build_filename (kl_test_dir (), "quotas-out.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlQuotas) again = NULL;

  g_assert_true (kl_quotas_save (quotas, path, NULL, &error));
  g_assert_no_error (error);
  again = kl_quotas_load_file (path, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kl_quotas_equal (quotas, again));
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/writer/header", test_header);
  g_test_add_func ("/writer/selected-and-remaining", test_selected_and_remaining);
  g_test_add_func ("/writer/shared-addresses", test_shared_addresses);
  g_test_add_func ("/writer/csv-quoting", test_csv_quoting);
  g_test_add_func ("/writer/refuses-inputs", test_refuses_inputs);
  g_test_add_func ("/writer/missing-folder", test_missing_folder);
  g_test_add_func ("/writer/full-disk", test_full_disk);
  g_test_add_func ("/writer/quotas-file-round-trip", test_quotas_file_round_trip);

  return g_test_run ();
}
