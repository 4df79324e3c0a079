/* test-writer.c — output tables and safe file writes (spec 3.7, 10.10)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-test-files.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

static char *
make_folder (const char *name)
{
  char *folder = g_build_filename (kl_test_dir (), name, NULL);

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  return folder;
}

static char *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_refuses_hard_link (void)
{
  g_autofree char *folder = make_folder ("hard-link");
  g_autofree char *input = g_build_filename (folder, "people.csv", NULL);
  g_autofree char *other_name = g_build_filename (folder, "out.csv", NULL);
  const char *inputs[] = { input, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (input, "id\n1\n", -1, NULL));
  g_assert_cmpint (link (input, other_name), ==, 0);

  g_assert_false (kl_file_check_writable (other_name, inputs, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_clear_error (&error);
  g_assert_false (kl_file_write_atomic (other_name, "x", 1, inputs, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "out.csv"));
  g_assert_nonnull (strstr (error->message, "will not be written over"));

  contents = read_file (input);
  g_assert_cmpstr (contents, ==, "id\n1\n");
}

/* The link stays a link, and the file it names gets the new contents. */
static void
test_follows_symlink (void)
{
  g_autofree char *folder = make_folder ("follow");
  g_autofree char *elsewhere = make_folder ("follow-target");
  g_autofree char *target = g_build_filename (elsewhere, "panel.csv", NULL);
  g_autofree char *link = g_build_filename (folder, "panel.csv", NULL);
  g_autofree char *dangling = g_build_filename (folder, "later.csv", NULL);
  g_autofree char *later = g_build_filename (elsewhere, "later.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  struct stat link_stat;

  g_assert_true (g_file_set_contents (target, "old\n", -1, NULL));
  g_assert_cmpint (symlink ("../follow-target/panel.csv", link), ==, 0);
  g_assert_true (kl_file_write_atomic (link, "new\n", 4, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (link, &link_stat), ==, 0);
  g_assert_true (S_ISLNK (link_stat.st_mode));
  contents = read_file (target);
  g_assert_cmpstr (contents, ==, "new\n");
  g_clear_pointer (&contents, g_free);

  /* A link to a file not made yet makes it where the link points. */
  g_assert_cmpint (symlink (later, dangling), ==, 0);
  g_assert_true (kl_file_write_atomic (dangling, "made\n", 5, NULL, &error));
  g_assert_no_error (error);
  contents = read_file (later);
  g_assert_cmpstr (contents, ==, "made\n");

  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "later.csv panel.csv");
  g_clear_pointer (&listing, g_free);
  listing = kl_test_folder_listing (elsewhere);
  g_assert_cmpstr (listing, ==, "later.csv panel.csv");
}

static void
test_symlink_loop (void)
{
  g_autofree char *folder = make_folder ("loop");
  g_autofree char *a = g_build_filename (folder, "a.csv", NULL);
  g_autofree char *b = g_build_filename (folder, "b.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink (b, a), ==, 0);
  g_assert_cmpint (symlink (a, b), ==, 0);
  g_assert_false (kl_file_write_atomic (a, "x", 1, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "a.csv"));
  g_assert_nonnull (strstr (error->message, g_strerror (ELOOP)));
}

/* A 0600 list of names stays 0600 when it is written again. */
static void
test_keeps_permissions (void)
{
  g_autofree char *folder = make_folder ("modes");
  g_autofree char *private = g_build_filename (folder, "private.csv", NULL);
  g_autofree char *fresh = g_build_filename (folder, "fresh.csv", NULL);
  g_autoptr(GError) error = NULL;
  struct stat file_stat;
  mode_t mask = umask (022);

  g_assert_true (g_file_set_contents (private, "old\n", -1, NULL));
  g_assert_cmpint (chmod (private, 0600), ==, 0);
  g_assert_true (kl_file_write_atomic (private, "new\n", 4, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (private, &file_stat), ==, 0);
  g_assert_cmpuint (file_stat.st_mode & 07777, ==, 0600);

  g_assert_true (kl_file_write_atomic (fresh, "new\n", 4, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (fresh, &file_stat), ==, 0);
  g_assert_cmpuint (file_stat.st_mode & 07777, ==, 0644);
  umask (mask);
}

/* As root a write to /dev/full once replaced the device node by a file. */
static void
test_device_written_in_place (void)
{
  g_autoptr(GError) error = NULL;
  struct stat device_stat;

  g_assert_true (kl_file_write_atomic ("/dev/null", "x\n", 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat ("/dev/null", &device_stat), ==, 0);
  g_assert_true (S_ISCHR (device_stat.st_mode));

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full here");
      return;
    }
  g_assert_false (kl_file_write_atomic ("/dev/full", "x\n", 2, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "/dev/full"));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_assert_cmpint (stat ("/dev/full", &device_stat), ==, 0);
  g_assert_true (S_ISCHR (device_stat.st_mode));
}

/* A link to /dev/full: the link is followed, the device written in place,
 * and the link is neither replaced nor removed. */
static void
test_link_to_device (void)
{
  g_autofree char *folder = make_folder ("device-link");
  g_autofree char *link = g_build_filename (folder, "out.csv", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  struct stat link_stat;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full here");
      return;
    }
  g_assert_cmpint (symlink ("/dev/full", link), ==, 0);
  g_assert_false (kl_file_write_atomic (link, "x\n", 2, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_cmpint (lstat (link, &link_stat), ==, 0);
  g_assert_true (S_ISLNK (link_stat.st_mode));
  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "out.csv");
}

static void
test_fifo_written_in_place (void)
{
  g_autofree char *folder = make_folder ("fifo");
  g_autofree char *path = g_build_filename (folder, "pipe", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *received = NULL;
  KlTestPipeReader *reader;
  struct stat fifo_stat;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  reader = kl_test_pipe_reader_start (path);
  g_assert_true (kl_file_write_atomic (path, "id\r\n1\r\n", 7, NULL, &error));
  g_assert_no_error (error);
  received = kl_test_pipe_reader_finish (reader);

  g_assert_cmpstr (received, ==, "id\r\n1\r\n");
  g_assert_cmpint (lstat (path, &fifo_stat), ==, 0);
  g_assert_true (S_ISFIFO (fifo_stat.st_mode));
  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "pipe");
}

static void
test_dash_is_standard_output (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (kl_file_check_writable ("-", NULL, &error));
      g_assert_true (kl_file_write_atomic ("-", "id\r\n7\r\n", 7, NULL, &error));
      g_assert_no_error (error);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("id\r\n7\r\n");
  g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
}

/* The folder is there when the run starts and gone when it ends. */
static void
test_vanished_folder (void)
{
  g_autofree char *folder = make_folder ("vanishing");
  g_autofree char *path = g_build_filename (folder, "out.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_file_check_writable (path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_rmdir (folder), ==, 0);

  g_assert_false (kl_file_write_atomic (path, "x", 1, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "out.csv"));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}

/* Permission is refused before the run (the check) and at the write; the
 * old file stays and nothing is left beside it. Root may write anywhere,
 * so as root the writing half runs as the unprivileged "nobody". */
static void
test_read_only_folder (void)
{
  const char *folder = g_getenv ("KL_TEST_READ_ONLY_FOLDER");

  if (g_test_subprocess ())
    {
      g_autofree char *path = g_build_filename (folder, "out.csv", NULL);
      g_autoptr(GError) error = NULL;

      if (geteuid () == 0)
        {
          struct passwd *nobody = getpwnam ("nobody");

          g_assert_cmpint (setgid (nobody->pw_gid), ==, 0);
          g_assert_cmpint (setuid (nobody->pw_uid), ==, 0);
        }

      g_assert_false (kl_file_check_writable (path, NULL, &error));
      g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
      g_clear_error (&error);
      g_assert_false (kl_file_write_atomic (path, "new\n", 4, NULL, &error));
      g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
      g_printerr ("%s", error->message);
      return;
    }

  /* A build sandbox may run as root and know no other user. */
  if (geteuid () == 0 && getpwnam ("nobody") == NULL)
    {
      g_test_skip ("root, and no unprivileged user to write as");
      return;
    }

  {
    g_autofree char *made = g_dir_make_tmp ("kleroterion-read-only-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (made, "out.csv", NULL);
    g_autofree char *contents = NULL;
    g_autofree char *listing = NULL;

    g_assert_nonnull (made);
    g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));
    g_assert_cmpint (chmod (path, 0666), ==, 0);
    g_assert_cmpint (chmod (made, 0555), ==, 0);
    g_setenv ("KL_TEST_READ_ONLY_FOLDER", made, TRUE);

    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stderr ("*out.csv*may not write in the folder*");

    contents = read_file (path);
    g_assert_cmpstr (contents, ==, "old\n");
    listing = kl_test_folder_listing (made);
    g_assert_cmpstr (listing, ==, "out.csv");

    g_assert_cmpint (chmod (made, 0755), ==, 0);
    g_unlink (path);
    g_rmdir (made);
  }
}

/* Killed at any moment of a write, the process leaves the old file or the
 * whole new one, and never a partial or temporary file: the new contents
 * live in an unnamed file until they are complete. */
static void
test_killed_while_writing (void)
{
  g_autofree char *folder = make_folder ("killed");
  g_autofree char *path = g_build_filename (folder, "out.csv", NULL);
  gsize length = 32 * 1024 * 1024;
  char *contents = g_malloc (length);

  memset (contents, 'x', length);
  g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));

  for (guint attempt = 0; attempt < 6; attempt++)
    {
      g_autofree char *listing = NULL;
      g_autofree char *now = NULL;
      gsize now_length;
      int status;
      pid_t child = fork ();

      g_assert_cmpint (child, >=, 0);
      if (child == 0)
        {
          kl_file_write_atomic (path, contents, length, NULL, NULL);
          _exit (0);
        }
      g_usleep (attempt * 4000);
      kill (child, SIGKILL);
      g_assert_cmpint (waitpid (child, &status, 0), ==, child);

      listing = kl_test_folder_listing (folder);
      g_assert_cmpstr (listing, ==, "out.csv");
      g_assert_true (g_file_get_contents (path, &now, &now_length, NULL));
      g_assert_true (g_str_equal (now, "old\n") || now_length == length);
    }
  g_free (contents);
}

static KlFileSet *
set_of (const char * const *paths,
        const char * const *contents)
{
  KlFileSet *set = kl_file_set_new (NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    kl_file_set_add_text (set, paths[i], g_strdup (contents[i]));
  return set;
}

/* A set whose last output fails after the files are renamed into place
 * (a device written in place comes last): every replaced file is put
 * back, every new one removed, nothing hidden left. */
static void
test_set_restores_on_failure (void)
{
  g_autofree char *folder = make_folder ("set-restore");
  g_autofree char *a = g_build_filename (folder, "a.csv", NULL);
  g_autofree char *b = g_build_filename (folder, "b.csv", NULL);
  g_autofree char *fresh = g_build_filename (folder, "fresh.csv", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(KlFileSet) set = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full here");
      return;
    }
  g_assert_true (g_file_set_contents (a, "old a\n", -1, NULL));
  g_assert_true (g_file_set_contents (b, "old b\n", -1, NULL));
  g_assert_cmpint (chmod (b, 0600), ==, 0);

  set = set_of ((const char *[]) { a, "/dev/full", fresh, b, NULL },
                (const char *[]) { "new a\n", "device\n", "fresh\n", "new b\n" });
  g_assert_false (kl_file_set_commit (set, TRUE, NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "/dev/full"));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));

  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "a.csv b.csv");
  contents = read_file (a);
  g_assert_cmpstr (contents, ==, "old a\n");
  g_clear_pointer (&contents, g_free);
  contents = read_file (b);
  g_assert_cmpstr (contents, ==, "old b\n");
  g_clear_pointer (&error, g_error_free);

  /* Without the device the same set goes through, modes kept. */
  g_clear_pointer (&set, kl_file_set_free);
  set = set_of ((const char *[]) { a, fresh, b, NULL },
                (const char *[]) { "new a\n", "fresh\n", "new b\n" });
  g_assert_true (kl_file_set_commit (set, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&listing, g_free);
  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "a.csv b.csv fresh.csv");
  g_clear_pointer (&contents, g_free);
  contents = read_file (b);
  g_assert_cmpstr (contents, ==, "new b\n");
  {
    struct stat b_stat;

    g_assert_cmpint (stat (b, &b_stat), ==, 0);
    g_assert_cmpuint (b_stat.st_mode & 07777, ==, 0600);
  }
}

/* One output on one file: by name, symbolic link, hard link, or standard
 * output twice; the null device may take several. */
static void
test_set_refuses_one_file_twice (void)
{
  g_autofree char *folder = make_folder ("set-twice");
  g_autofree char *a = g_build_filename (folder, "a.csv", NULL);
  g_autofree char *a_again = g_build_filename (folder, ".", "a.csv", NULL);
  g_autofree char *soft = g_build_filename (folder, "soft.csv", NULL);
  g_autofree char *hard = g_build_filename (folder, "hard.csv", NULL);
  g_autofree char *listing = NULL;
  const char *pairs[][2] = { { a, a_again }, { a, soft }, { hard, a }, { "-", "-" } };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (a, "old\n", -1, NULL));
  g_assert_cmpint (symlink ("a.csv", soft), ==, 0);
  g_assert_cmpint (link (a, hard), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_assert_false (kl_file_set_check_paths ((const char *[]) { pairs[i][0], pairs[i][1], NULL },
                                               NULL, TRUE, &error));
      g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
      g_clear_error (&error);
    }
  g_assert_true (kl_file_set_check_paths ((const char *[]) { "/dev/null", "/dev/null", NULL }, NULL, TRUE, &error));
  g_assert_no_error (error);

  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "a.csv hard.csv soft.csv");
}

typedef struct {
  KlFileSet *set;
  GCancellable *cancellable;
  GError *error;
  gboolean ok;
} CommitJob;

static gpointer
commit_in_thread (gpointer data)
{
  CommitJob *job = data;

  job->ok = kl_file_set_commit (job->set, TRUE, NULL, job->cancellable, &job->error);
  return NULL;
}

/* A pipe nobody reads must not make a cancel (Ctrl-C) wait forever: the
 * commit stops, and the file already in place is put back. */
static void
test_set_cancel_waiting_for_reader (void)
{
  g_autofree char *folder = make_folder ("set-cancel");
  g_autofree char *a = g_build_filename (folder, "a.csv", NULL);
  g_autofree char *pipe_path = g_build_filename (folder, "pipe", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlFileSet) set = NULL;
  CommitJob job = { 0 };
  GThread *thread;

  g_assert_true (g_file_set_contents (a, "old\n", -1, NULL));
  g_assert_cmpint (mkfifo (pipe_path, 0600), ==, 0);
  set = set_of ((const char *[]) { a, pipe_path, NULL }, (const char *[]) { "new\n", "x\n" });
  job.set = set;
  job.cancellable = cancellable;
  thread = g_thread_new ("commit", commit_in_thread, &job);
  /* However long it has waited, the cancel is heard. */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);

  g_assert_false (job.ok);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job.error);
  contents = read_file (a);
  g_assert_cmpstr (contents, ==, "old\n");
  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "a.csv pipe");
}

/* The reader of a pipe goes away halfway: the write fails with EPIPE (no
 * SIGPIPE kills the process), and the file already in place is put back. */
static void
test_set_reader_gone (void)
{
  g_autofree char *folder = make_folder ("set-reader-gone");
  g_autofree char *a = g_build_filename (folder, "a.csv", NULL);
  g_autofree char *pipe_path = g_build_filename (folder, "pipe", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *big = g_strnfill (1 << 20, 'x');
  g_autoptr(KlFileSet) set = NULL;
  struct pollfd reader = { -1, POLLIN, 0 };
  CommitJob job = { 0 };
  GThread *thread;

  g_assert_true (g_file_set_contents (a, "old\n", -1, NULL));
  g_assert_cmpint (mkfifo (pipe_path, 0600), ==, 0);
  reader.fd = open (pipe_path, O_RDONLY | O_NONBLOCK);
  g_assert_cmpint (reader.fd, >=, 0);
  set = set_of ((const char *[]) { a, pipe_path, NULL }, (const char *[]) { "new\n", big });
  job.set = set;
  thread = g_thread_new ("commit", commit_in_thread, &job);
  /* Data has come: the writer is in the pipe, with most of a megabyte
   * still to write. */
  g_assert_cmpint (poll (&reader, 1, -1), ==, 1);
  close (reader.fd);
  g_thread_join (thread);

  g_assert_false (job.ok);
  g_assert_error (job.error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (job.error->message, g_strerror (EPIPE)));
  g_clear_error (&job.error);
  contents = read_file (a);
  g_assert_cmpstr (contents, ==, "old\n");
  listing = kl_test_folder_listing (folder);
  g_assert_cmpstr (listing, ==, "a.csv pipe");
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
  g_test_add_func ("/writer/refuses-hard-link", test_refuses_hard_link);
  g_test_add_func ("/writer/follows-symlink", test_follows_symlink);
  g_test_add_func ("/writer/symlink-loop", test_symlink_loop);
  g_test_add_func ("/writer/keeps-permissions", test_keeps_permissions);
  g_test_add_func ("/writer/device-written-in-place", test_device_written_in_place);
  g_test_add_func ("/writer/link-to-device", test_link_to_device);
  g_test_add_func ("/writer/fifo-written-in-place", test_fifo_written_in_place);
  g_test_add_func ("/writer/dash-is-standard-output", test_dash_is_standard_output);
  g_test_add_func ("/writer/vanished-folder", test_vanished_folder);
  g_test_add_func ("/writer/read-only-folder", test_read_only_folder);
  g_test_add_func ("/writer/killed-while-writing", test_killed_while_writing);
  g_test_add_func ("/writer/set-restores-on-failure", test_set_restores_on_failure);
  g_test_add_func ("/writer/set-refuses-one-file-twice", test_set_refuses_one_file_twice);
  g_test_add_func ("/writer/set-cancel-waiting-for-reader", test_set_cancel_waiting_for_reader);
  g_test_add_func ("/writer/set-reader-gone", test_set_reader_gone);
  g_test_add_func ("/writer/quotas-file-round-trip", test_quotas_file_round_trip);

  return g_test_run ();
}
