/* test-cli.c — kleroterion-cli end to end, on files, as scripts use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <gio/gio.h>

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("KL_CLI");
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static char *
example (const char *name)
{
  return g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", name, NULL);
}

static void
test_check_example (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");

  run_cli (&run, "check", "--settings", settings, "--features-csv", quotas,
           "--people-csv", pool, "--number-wanted", "30", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Pool: 300 people"));
  g_assert_nonnull (strstr (run.out, "No problems found"));
}

static void
test_check_bad_input (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *quotas = kl_test_write_file ("bad-quotas.csv",
                                                "feature,value,min,max\ngender,Female,ten,20\n"
                                                "gender,Male,1,20\ngender,Non-binary,0,2\n"
                                                "age,16-24,0,5\nage,25-34,0,5\nage,35-49,0,5\n"
                                                "age,50-64,0,5\nage,65+,0,5\nregion,North,0,30\n"
                                                "region,South,0,30\nregion,East,0,30\nregion,West,0,30\n"
                                                "region,Central,0,30\nregion,Coast,0,30\n"
                                                "education,None,0,30\neducation,Secondary,0,30\n"
                                                "education,Vocational,0,30\neducation,Degree,0,30\n");
  g_autofree char *expected = g_strdup_printf ("%s:2: error: column “min”: “ten” is not a whole number", quotas);

  run_cli (&run, "check", "-S", settings, "-f", quotas, "-p", pool, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, expected));
  g_assert_cmpstr (run.out, ==, "");
}

static void
test_check_bad_pool_reports_all (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool_path = example ("pool.csv");
  g_autofree char *contents = NULL;
  g_autofree char *bad = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (pool_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  /* Line 4 gets an unknown region, line 9 a blank gender. */
  {
    g_auto(GStrv) cells = g_strsplit (lines[3], ",", -1);
    g_free (cells[9]);
    cells[9] = g_strdup ("Atlantis");
    g_free (lines[3]);
    lines[3] = g_strjoinv (",", cells);
  }
  {
    g_auto(GStrv) cells = g_strsplit (lines[8], ",", -1);
    g_free (cells[7]);
    cells[7] = g_strdup ("");
    g_free (lines[8]);
    lines[8] = g_strjoinv (",", cells);
  }
  g_free (contents);
  contents = g_strjoinv ("\r\n", lines);
  bad = kl_test_write_file ("bad-pool.csv", contents);

  run_cli (&run, "check", "-S", settings, "-f", quotas, "-p", bad, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, ":4: error: column “region”: “Atlantis” is not a value"));
  g_assert_nonnull (strstr (run.err, ":9: error: column “gender”:"));
}

static void
test_usage_errors (void)
{
  g_auto(Run) none = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) help = { 0 };
  g_auto(Run) command_help = { 0 };
  g_auto(Run) version = { 0 };

  run_cli (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  run_cli (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "“frobnicate” is not a command"));
  run_cli (&missing, "check", "--settings", "x.toml", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "--features-csv is required"));
  run_cli (&bad_option, "check", "--number-wanted", "many", NULL);
  g_assert_cmpint (bad_option.status, ==, 2);
  run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "check"));
  run_cli (&command_help, "check", "--help", NULL);
  g_assert_cmpint (command_help.status, ==, 0);
  g_assert_nonnull (strstr (command_help.out, "--people-csv"));
  run_cli (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "kleroterion-cli "));
}

static void
test_missing_settings (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *path = g_build_filename (kl_test_dir (), "typo.toml", NULL);

  run_cli (&run, "check", "-S", path, "-f", quotas, "-p", pool, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "The settings file does not exist"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_gen_sample (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *out = g_build_filename (kl_test_dir (), "sample.csv", NULL);
  g_autoptr(KlTable) table = NULL;

  run_cli (&run, "gen-sample", "-S", settings, "-f", quotas, "-p", out, "--number-wanted=10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  table = kl_table_read_file (out, NULL, NULL);
  g_assert_nonnull (table);
  g_assert_cmpuint (table->n_rows, ==, 10);
}

static void
test_generate_then_check (void)
{
  g_auto(Run) generate = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) again = { 0 };
  g_autofree char *pool = g_build_filename (kl_test_dir (), "gen-pool.csv", NULL);
  g_autofree char *quotas = g_build_filename (kl_test_dir (), "gen-quotas.csv", NULL);
  g_autofree char *settings = g_build_filename (kl_test_dir (), "gen-settings.toml", NULL);

  run_cli (&generate, "generate", "--people", "1000", "--features", "5", "--panel", "60",
           "--seed", "3", "-p", pool, "-f", quotas, "-S", settings, NULL);
  g_assert_cmpint (generate.status, ==, 0);
  run_cli (&check, "check", "-S", settings, "-f", quotas, "-p", pool, "-n", "60", NULL);
  g_assert_cmpint (check.status, ==, 0);
  g_assert_nonnull (strstr (check.out, "Pool: 1000 people"));

  /* Outputs never overwrite the inputs of the same command. */
  run_cli (&again, "gen-sample", "-S", settings, "-f", quotas, "-p", quotas, "-n", "5", NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "will not be written over"));
}

static void
test_default_settings (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) twice = { 0 };
  g_autofree char *path = g_build_filename (kl_test_dir (), "default.toml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) settings = NULL;

  run_cli (&run, "default-settings", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  settings = kl_settings_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->id_column, ==, "id");
  run_cli (&twice, "default-settings", path, NULL);
  g_assert_cmpint (twice.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/cli/check-example", test_check_example);
  g_test_add_func ("/cli/check-bad-input", test_check_bad_input);
  g_test_add_func ("/cli/check-bad-pool-reports-all", test_check_bad_pool_reports_all);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/missing-settings", test_missing_settings);
  g_test_add_func ("/cli/gen-sample", test_gen_sample);
  g_test_add_func ("/cli/generate-then-check", test_generate_then_check);
  g_test_add_func ("/cli/default-settings", test_default_settings);

  return g_test_run ();
}
