/* test-cli.c — kleroterion-cli end to end, on files, as scripts use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-test-files.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

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

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static void
test_select_legacy (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *selected = g_build_filename (kl_test_dir (), "sel.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "rem.csv", NULL);
  g_autofree char *selected2 = g_build_filename (kl_test_dir (), "sel2.csv", NULL);
  g_autofree char *remaining2 = g_build_filename (kl_test_dir (), "rem2.csv", NULL);
  g_autofree char *report = g_build_filename (kl_test_dir (), "report.json", NULL);
  g_autofree char *html = g_build_filename (kl_test_dir (), "report.html", NULL);
  g_autofree char *first = NULL, *second = NULL, *json = NULL, *page = NULL;
  g_autoptr(KlTable) selected_table = NULL;
  g_autoptr(KlTable) remaining_table = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  run_cli (&run, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
           "--algorithm", "legacy", "--seed", "7", "-s", selected, "-r", remaining,
           "--report", report, "--progress", "none", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "SUCCESS"));
  g_assert_nonnull (strstr (run.out, "Randomness: seed 7"));

  selected_table = kl_table_read_file (selected, NULL, NULL);
  remaining_table = kl_table_read_file (remaining, NULL, NULL);
  g_assert_cmpuint (selected_table->n_rows, ==, 30);
  g_assert_cmpuint (remaining_table->n_rows, ==, 270);
  {
    g_autofree char *header = g_strjoinv (",", selected_table->header);
    g_assert_cmpstr (header, ==, "id,first_name,last_name,email,phone,address1,postcode,gender,age,region,education");
  }
  /* Pool order: ids rise. */
  for (guint i = 1; i < selected_table->n_rows; i++)
    g_assert_cmpstr (kl_table_get_cell (selected_table, i - 1, 0), <, kl_table_get_cell (selected_table, i, 0));
  /* CRLF, as the Python tool writes. */
  first = read_text (selected);
  g_assert_nonnull (strstr (first, "education\r\n"));

  /* The same seed gives the same panel: the draw can be repeated by anyone. */
  run_cli (&again, "csv", "--settings", settings, "--features-csv", quotas, "--people-csv", pool,
           "--number-wanted", "30", "--algorithm", "legacy", "--seed", "7",
           "--selected-csv", selected2, "--remaining-csv", remaining2, "--no-progress",
           "--report", html, NULL);
  g_assert_cmpint (again.status, ==, 0);
  second = read_text (selected2);
  g_assert_cmpstr (first, ==, second);
  page = read_text (html);
  g_assert_true (g_str_has_prefix (page, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (page, "<table>"));

  /* The JSON report is an audit record: inputs with checksums, the seed,
   * and the panel. */
  json = read_text (report);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "algorithm"), ==, "legacy");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "random"), "seed"), ==, 7);
  g_assert_cmpuint (strlen (json_object_get_string_member (
      json_object_get_object_member (json_object_get_object_member (root, "inputs"), "people"), "sha256")), ==, 64);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (
      json_object_get_array_member (root, "panels"), 0)), ==, 30);
  g_assert_nonnull (json_object_get_object_member (root, "report"));
}

static void
test_select_exit_codes (void)
{
  g_auto(Run) usage = { 0 };
  g_auto(Run) bad_input = { 0 };
  g_auto(Run) infeasible = { 0 };
  g_auto(Run) gave_up = { 0 };
  g_auto(Run) over_input = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *out = g_build_filename (kl_test_dir (), "x-sel.csv", NULL);
  g_autofree char *rem = g_build_filename (kl_test_dir (), "x-rem.csv", NULL);
  g_autofree char *hard_settings = kl_test_write_file ("hard.toml", "id_column = \"id\"\nmax_attempts = 20\n"
                                                       "check_same_address = true\n"
                                                       "check_same_address_columns = [\"home\"]\n");
  g_autofree char *hard_quotas = kl_test_write_file ("hard-quotas.csv", "feature,value,min,max\ng,m,2,2\ng,f,2,2\n");
  g_autofree char *hard_pool = kl_test_write_file ("hard-pool.csv", "id,g,home\n1,m,a\n2,f,a\n3,m,b\n4,f,b\n5,m,c\n");
  g_autofree char *original = read_text (quotas);
  g_autofree char *changed = NULL;
  g_autofree char *short_quotas = NULL;

  {
    g_auto(GStrv) parts = g_strsplit (original, "gender,Non-binary,0,2,", 2);
    g_assert_nonnull (parts[1]);
    changed = g_strconcat (parts[0], "gender,Non-binary,5,6,", parts[1], NULL);
    short_quotas = kl_test_write_file ("short-quotas.csv", changed);
  }

  run_cli (&usage, "select", "-S", settings, "-f", quotas, "-p", pool, "-s", out, "-r", rem, NULL);
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_nonnull (strstr (usage.err, "--number-wanted"));

  run_cli (&bad_input, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "300",
           "--algorithm", "legacy", "-s", out, "-r", rem, NULL);
  g_assert_cmpint (bad_input.status, ==, 3);
  g_assert_nonnull (strstr (bad_input.err, "fewer than the 300 people to select"));

  /* The files are fine, but the pool has 2 non-binary people where 5 are
   * needed: infeasible quotas. */
  run_cli (&infeasible, "select", "-S", settings, "-f", short_quotas, "-p", pool, "-n", "30",
           "--algorithm", "legacy", "-s", out, "-r", rem, NULL);
  g_assert_cmpint (infeasible.status, ==, 4);
  g_assert_nonnull (strstr (infeasible.err, "needs at least 5 people, but the pool has only 2"));

  /* Feasible by the counts, impossible with the households: legacy gives up. */
  run_cli (&gave_up, "select", "-S", hard_settings, "-f", hard_quotas, "-p", hard_pool, "-n", "4",
           "--algorithm", "legacy", "-s", out, "-r", rem, NULL);
  g_assert_cmpint (gave_up.status, ==, 1);
  g_assert_nonnull (strstr (gave_up.err, "failed 20 times"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (rem, G_FILE_TEST_EXISTS));

  /* Writing over an input is refused before anything runs. */
  run_cli (&over_input, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
           "--algorithm", "legacy", "-s", out, "-r", pool, NULL);
  g_assert_cmpint (over_input.status, ==, 2);
  g_assert_nonnull (strstr (over_input.err, "will not be written over"));
}

static void
test_select_jsonl_progress (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *out = g_build_filename (kl_test_dir (), "j-sel.csv", NULL);
  g_autofree char *rem = g_build_filename (kl_test_dir (), "j-rem.csv", NULL);
  g_auto(GStrv) lines = NULL;
  guint events = 0, writes = 0, notes = 0;

  run_cli (&run, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30", "--algorithm", "legacy",
           "--seed", "3", "-s", out, "-r", rem, "--progress", "jsonl", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.err, "\n", -1);
  for (guint i = 0; lines[i] && *lines[i]; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *event;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      event = json_node_get_object (json_parser_get_root (parser));
      /* The notes of the outcome come last, as events too. */
      if (g_str_equal (json_object_get_string_member (event, "event"), "message"))
        {
          g_assert_cmpstr (json_object_get_string_member (event, "severity"), ==, "info");
          notes++;
          continue;
        }
      g_assert_cmpuint (notes, ==, 0);
      /* The selection, then the writing of its outputs. */
      if (g_str_equal (json_object_get_string_member (event, "phase"), "write_files"))
        writes++;
      else
        g_assert_cmpstr (json_object_get_string_member (event, "phase"), ==, "legacy_attempt");
      g_assert_true (writes == 0 || g_str_equal (json_object_get_string_member (event, "phase"), "write_files"));
      events++;
    }
  g_assert_cmpuint (events - writes, >=, 3);
  g_assert_cmpuint (writes, >=, 2);
  /* "Selected 30 people." and one "Wrote …" per file. */
  g_assert_cmpuint (notes, ==, 3);
  g_assert_nonnull (strstr (run.err, "Selected 30 people"));
  g_assert_nonnull (strstr (run.err, "Wrote "));
  g_assert_null (strstr (run.out, "Wrote "));
}

/* Ctrl-C cancels the run: status 130, no output files. */
static void
test_select_interrupted (void)
{
  g_autofree char *settings = kl_test_write_file ("forever.toml", "id_column = \"id\"\nmax_attempts = 2000000000\n"
                                                  "check_same_address = true\n"
                                                  "check_same_address_columns = [\"home\"]\n");
  g_autofree char *quotas = kl_test_write_file ("forever-quotas.csv", "feature,value,min,max\ng,m,2,2\ng,f,2,2\n");
  g_autofree char *pool = kl_test_write_file ("forever-pool.csv", "id,g,home\n1,m,a\n2,f,a\n3,m,b\n4,f,b\n5,m,c\n");
  g_autofree char *out = g_build_filename (kl_test_dir (), "i-sel.csv", NULL);
  g_autofree char *rem = g_build_filename (kl_test_dir (), "i-rem.csv", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("KL_CLI"), "select", "-S", settings, "-f", quotas, "-p", pool,
                              "-n", "4", "--algorithm", "legacy", "-s", out, "-r", rem, NULL);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC / 2);
  start = g_get_monotonic_time ();
  g_subprocess_send_signal (process, SIGINT);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  /* Promptly: well under a second (a generous bound for loaded machines). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (rem, G_FILE_TEST_EXISTS));
}

static void
test_select_maximin (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) lottery = { 0 };
  g_auto(Run) infeasible = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *selected = g_build_filename (kl_test_dir (), "m-sel.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "m-rem.csv", NULL);
  g_autofree char *probabilities = g_build_filename (kl_test_dir (), "m-prob.csv", NULL);
  g_autofree char *panels = g_build_filename (kl_test_dir (), "l-sel.csv", NULL);
  g_autofree char *distribution = g_build_filename (kl_test_dir (), "l-dist.csv", NULL);
  g_autofree char *suggested = g_build_filename (kl_test_dir (), "suggested.csv", NULL);
  g_autofree char *bad_quotas = kl_test_write_file ("joint.csv", "feature,value,min,max\ngender,f,3,3\n"
                                                    "gender,m,1,1\nage,young,1,1\nage,old,3,3\n");
  g_autofree char *bad_pool = kl_test_write_file ("joint-pool.csv", "id,gender,age\n1,f,young\n2,f,young\n"
                                                  "3,f,young\n4,m,old\n5,m,old\n6,m,old\n");
  g_autofree char *bad_settings = kl_test_write_file ("joint.toml", "id_column = \"id\"\n");
  g_autoptr(KlTable) table = NULL;
  g_autoptr(KlTable) panel_table = NULL;
  g_autoptr(KlTable) dist_table = NULL;
  g_autoptr(KlQuotas) relaxed = NULL;
  double total = 0, dist_total = 0;

  run_cli (&run, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30", "--algorithm", "maximin",
           "--seed", "5", "-s", selected, "-r", remaining, "--probabilities-csv", probabilities, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Every person who can sit on a panel has a chance of at least"));
  table = kl_table_read_file (probabilities, NULL, NULL);
  g_assert_cmpuint (table->n_rows, ==, 300);
  for (guint i = 0; i < table->n_rows; i++)
    total += g_ascii_strtod (kl_table_get_cell (table, i, 1), NULL);
  g_assert_cmpfloat_with_epsilon (total, 30, 1e-5);

  /* A transparent lottery: N panels, one column each, and the distribution
   * with its checksum. */
  run_cli (&lottery, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30", "--algorithm", "maximin",
           "--seed", "5", "--number-selections", "5", "--panels-csv", panels,
           "--distribution-csv", distribution, NULL);
  g_assert_cmpint (lottery.status, ==, 0);
  g_assert_nonnull (strstr (lottery.err, "The distribution's SHA-256 is "));
  panel_table = kl_table_read_file (panels, NULL, NULL);
  g_assert_cmpuint (panel_table->n_columns, ==, 5);
  g_assert_cmpstr (panel_table->header[4], ==, "Panel 5");
  g_assert_cmpuint (panel_table->n_rows, ==, 30);
  dist_table = kl_table_read_file (distribution, NULL, NULL);
  g_assert_cmpuint (dist_table->n_columns, ==, 31);
  for (guint i = 0; i < dist_table->n_rows; i++)
    dist_total += g_ascii_strtod (kl_table_get_cell (dist_table, i, 0), NULL);
  g_assert_cmpfloat_with_epsilon (dist_total, 1, 1e-9);

  {
    g_auto(Run) test = { 0 };

    run_cli (&test, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30", "--test-selection",
             "-s", selected, "-r", remaining, NULL);
    g_assert_cmpint (test.status, ==, 0);
    g_assert_nonnull (strstr (test.out, "TEST SELECTION: this panel is NOT chosen at random"));
    g_assert_nonnull (strstr (test.err, "NOT chosen at random"));
  }

  /* Quotas no panel can meet: exit 4, the suggestion, and the relaxed
   * quotas written out for the organiser to review. */
  run_cli (&infeasible, "select", "-S", bad_settings, "-f", bad_quotas, "-p", bad_pool, "-n", "4",
           "-s", selected, "-r", remaining, "--suggested-quotas-csv", suggested, NULL);
  g_assert_cmpint (infeasible.status, ==, 4);
  g_assert_nonnull (strstr (infeasible.err, "No panel can meet all the quotas"));
  relaxed = kl_quotas_load_file (suggested, 4, NULL, NULL);
  g_assert_nonnull (relaxed);
}

static void
test_analyse (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) refused = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *out = g_build_filename (kl_test_dir (), "freq.csv", NULL);
  g_autoptr(KlTable) table = NULL;
  guint total = 0;

  run_cli (&run, "analyse", "-S", settings, "-f", quotas, "-p", pool, "-n", "30", "--algorithm", "legacy",
           "--runs", "200", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "200 panels drawn"));
  g_assert_nonnull (strstr (run.out, "equal chances would be 0.1000"));
  table = kl_table_read_file (out, NULL, NULL);
  g_assert_cmpuint (table->n_rows, ==, 300);
  for (guint i = 0; i < table->n_rows; i++)
    total += atoi (kl_table_get_cell (table, i, 1));
  /* Every draw fills 30 seats. */
  g_assert_cmpuint (total, ==, 200 * 30);

  run_cli (&refused, "analyse", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
           "--algorithm", "maximin", NULL);
  g_assert_cmpint (refused.status, ==, 2);
}

/* ---- export sets, the public draw and verify ----------------------------- */

static char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static char *
in_folder (const char *folder,
           const char *name)
{
  return g_build_filename (folder, name, NULL);
}

/* A small pool in its own folder, so the record finds it beside itself. */
typedef struct {
  char *folder;
  char *settings;
  char *quotas;
  char *pool;
} Inputs;

static void
inputs_clear (Inputs *in)
{
  g_free (in->folder);
  g_free (in->settings);
  g_free (in->quotas);
  g_free (in->pool);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Inputs, inputs_clear)

static void
inputs_write (Inputs *in)
{
  in->folder = g_dir_make_tmp ("kleroterion-set-XXXXXX", NULL);
  in->settings = in_folder (in->folder, "settings.toml");
  in->quotas = in_folder (in->folder, "quotas.csv");
  in->pool = in_folder (in->folder, "pool.csv");
  g_assert_true (g_file_set_contents (in->settings, "id_column = \"id\"\ncolumns_to_keep = [\"name\"]\n"
                                      "check_same_address = true\ncheck_same_address_columns = [\"home\"]\n", -1, NULL));
  g_assert_true (g_file_set_contents (in->quotas, "feature,value,min,max\ng,m,2,2\ng,f,2,2\n"
                                      "a,young,1,3\na,old,1,3\n", -1, NULL));
  g_assert_true (g_file_set_contents (in->pool, "id,name,g,a,home\n1,Ann,m,young,h1\n2,Bo,m,old,h2\n"
                                      "3,Cy,f,young,h3\n4,Di,f,old,h4\n5,Ed,m,young,h5\n6,Fa,f,old,h6\n"
                                      "7,Gu,m,old,h7\n8,Ho,f,young,h8\n9,Io,m,young,h1\n10,Ju,f,old,h10\n", -1, NULL));
}

static void
copy_folder (const char *from,
             const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = in_folder (from, name);
      g_autofree char *target = in_folder (to, name);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
        continue;
      g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (target, contents, length, NULL));
    }
}

static void
replace_in_file (const char *path,
                 const char *from,
                 const char *to)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, from));
  parts = g_strsplit (contents, from, 2);
  joined = g_strjoinv (to, parts);
  g_assert_true (g_file_set_contents (path, joined, -1, NULL));
}

/* --output-dir writes the window's set; the record names each file with
 * the hash of its bytes, and verify agrees, re-running the seeded draw. */
static void
test_output_dir_and_verify (void)
{
  g_auto(Inputs) in = { 0 };
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) forced = { 0 };
  g_auto(Run) verified = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *record_path = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *selected_before = NULL;
  g_autofree char *selected_after = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *record;
  g_autoptr(GList) roles = NULL;

  inputs_write (&in);
  out = in_folder (in.folder, "out");
  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  run_cli (&run, "select", "-S", in.settings, "-f", in.quotas, "-p", in.pool, "-n", "4",
           "--algorithm", "maximin", "--seed", "11", "--output-dir", out, "--no-progress", NULL);
  g_assert_cmpint (run.status, ==, 0);

  record_path = in_folder (out, "report.json");
  g_assert_true (json_parser_load_from_file (parser, record_path, NULL));
  record = json_node_get_object (json_parser_get_root (parser));
  {
    g_autofree char *pool_sha = sha256_of (in.pool);
    JsonObject *people = json_object_get_object_member (json_object_get_object_member (record, "inputs"), "people");
    g_assert_cmpstr (json_object_get_string_member (people, "sha256"), ==, pool_sha);
  }
  roles = json_object_get_members (json_object_get_object_member (record, "files"));
  g_assert_cmpuint (g_list_length (roles), ==, 7);
  for (GList *l = roles; l != NULL; l = l->next)
    {
      JsonObject *file = json_object_get_object_member (json_object_get_object_member (record, "files"), l->data);
      g_autofree char *path = in_folder (out, json_object_get_string_member (file, "name"));
      g_autofree char *sha = sha256_of (path);

      g_assert_cmpstr (json_object_get_string_member (file, "sha256"), ==, sha);
    }

  /* The same folder again: refused before the run, old files untouched. */
  selected = in_folder (out, "selected.csv");
  g_assert_true (g_file_get_contents (selected, &selected_before, NULL, NULL));
  run_cli (&again, "select", "-S", in.settings, "-f", in.quotas, "-p", in.pool, "-n", "4",
           "--algorithm", "maximin", "--seed", "12", "--output-dir", out, "--no-progress", NULL);
  g_assert_cmpint (again.status, ==, 2);
  g_assert_nonnull (strstr (again.err, "--force"));
  g_assert_true (g_file_get_contents (selected, &selected_after, NULL, NULL));
  g_assert_cmpstr (selected_before, ==, selected_after);

  run_cli (&forced, "select", "-S", in.settings, "-f", in.quotas, "-p", in.pool, "-n", "4",
           "--algorithm", "maximin", "--seed", "11", "--output-dir", out, "--force", "--no-progress", NULL);
  g_assert_cmpint (forced.status, ==, 0);

  run_cli (&verified, "verify", record_path, NULL);
  g_assert_cmpint (verified.status, ==, 0);
  g_assert_nonnull (strstr (verified.out, "byte for byte"));
  g_assert_nonnull (strstr (verified.out, "Verified"));
}

/* Two outputs on one path: refused before the run, nothing written. */
static void
test_outputs_on_one_path (void)
{
  g_auto(Inputs) in = { 0 };
  g_auto(Run) run = { 0 };
  g_autofree char *same = NULL;

  inputs_write (&in);
  same = in_folder (in.folder, "same.csv");
  run_cli (&run, "select", "-S", in.settings, "-f", in.quotas, "-p", in.pool, "-n", "4",
           "--algorithm", "legacy", "-s", same, "-r", same, "--no-progress", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "Two outputs"));
  g_assert_false (g_file_test (same, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (run.out, ==, "");
}

static guint
count_lines_with (const char *text,
                  const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

/* The lottery, the public draw, and verify failing with a clear line for
 * each kind of tampering. */
static void
test_public_draw_and_tampering (void)
{
  g_auto(Inputs) in = { 0 };
  g_auto(Run) lottery = { 0 };
  g_auto(Run) draw = { 0 };
  g_auto(Run) verified = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *distribution = NULL;
  g_autofree char *draw_record = NULL;
  g_autofree char *distribution_sha = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KlTable) panels = NULL;
  g_autoptr(KlTable) selected = NULL;
  g_autofree char *panels_path = NULL;
  g_autofree char *selected_path = NULL;
  JsonObject *record;

  inputs_write (&in);
  out = in_folder (in.folder, "lottery");
  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  run_cli (&lottery, "select", "-S", in.settings, "-f", in.quotas, "-p", in.pool, "-n", "4",
           "--algorithm", "maximin", "--seed", "4", "--number-selections", "5",
           "--output-dir", out, "--no-progress", NULL);
  g_assert_cmpint (lottery.status, ==, 0);
  selected_path = in_folder (out, "selected.csv");
  g_assert_false (g_file_test (selected_path, G_FILE_TEST_EXISTS));   /* nobody selected yet */
  distribution = in_folder (out, "distribution.csv");
  distribution_sha = sha256_of (distribution);
  g_assert_nonnull (strstr (lottery.err, distribution_sha));

  /* 7 mod 5 = 2: the second panel. */
  run_cli (&draw, "draw", "--distribution", distribution, "--public-number", "7", NULL);
  g_assert_cmpint (draw.status, ==, 0);
  g_assert_nonnull (strstr (draw.err, "picks panel 2 of 5"));

  panels_path = in_folder (out, "panels.csv");
  panels = kl_table_read_file (panels_path, NULL, NULL);
  selected = kl_table_read_file (selected_path, NULL, NULL);
  g_assert_cmpuint (selected->n_rows, ==, 4);
  for (guint r = 0; r < 4; r++)
    {
      gboolean found = FALSE;

      for (guint p = 0; p < 4; p++)
        found |= g_str_equal (kl_table_get_cell (selected, r, 0), kl_table_get_cell (panels, p, 1));
      g_assert_true (found);
    }

  draw_record = in_folder (out, "draw.json");
  g_assert_true (json_parser_load_from_file (parser, draw_record, NULL));
  record = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (record, "distribution_sha256"), ==, distribution_sha);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "draw"), "public_number"), ==, "7");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (record, "draw"), "panel_number"), ==, 2);

  run_cli (&verified, "verify", draw_record, NULL);
  g_assert_cmpint (verified.status, ==, 0);

  /* An earlier draw is not replaced by accident. */
  {
    g_auto(Run) again = { 0 };

    run_cli (&again, "draw", "--distribution", distribution, "--public-number", "8", NULL);
    g_assert_cmpint (again.status, ==, 2);
  }

  /* Each kind of tampering, on a copy of the published folder. */
  {
    struct {
      const char *file;
      const char *from;
      const char *to;
      const char *expected;
    } cases[] = {
      { "pool.csv", "3,Cy,f,young", "3,Cy,m,young", "MISMATCH: people" },
      { "selected.csv", NULL, NULL, "MISMATCH: selected" },
      { "distribution.csv", NULL, NULL, "MISMATCH: The distribution" },
      { "draw.json", "\"public_number\" : \"7\"", "\"public_number\" : \"8\"", "MISMATCH: The public number 8 picks panel 3 of 5" },
    };

    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_auto(Run) tampered = { 0 };
        g_autofree char *name = g_strdup_printf ("tampered-%u", c);
        g_autofree char *copy = in_folder (in.folder, name);
        g_autofree char *copy_record = in_folder (copy, "draw.json");
        g_autofree char *target = in_folder (copy, cases[c].file);

        copy_folder (out, copy);
        {
          g_autofree char *pool_copy = in_folder (copy, "pool.csv");
          g_autofree char *contents = NULL;
          g_assert_true (g_file_get_contents (in.pool, &contents, NULL, NULL));
          g_assert_true (g_file_set_contents (pool_copy, contents, -1, NULL));
        }
        if (cases[c].from != NULL)
          replace_in_file (target, cases[c].from, cases[c].to);
        else
          {
            /* The last line: one person swapped, or a probability edited. */
            g_autofree char *contents = NULL;
            g_autofree char *edited = NULL;
            g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
            edited = g_strconcat (contents, g_str_equal (cases[c].file, "selected.csv")
                                            ? "10,Ju,h10,f,old\r\n" : "0,1,2,3,4\r\n", NULL);
            g_assert_true (g_file_set_contents (target, edited, -1, NULL));
          }

        run_cli (&tampered, "verify", copy_record, NULL);
        g_assert_cmpint (tampered.status, ==, 1);
        if (count_lines_with (tampered.out, cases[c].expected) == 0)
          g_error ("no line “%s” in:\n%s", cases[c].expected, tampered.out);
      }
  }

  /* An unreadable record. */
  {
    g_auto(Run) unreadable = { 0 };
    g_autofree char *garbage = in_folder (in.folder, "garbage.json");

    g_assert_true (g_file_set_contents (garbage, "{ not json", -1, NULL));
    run_cli (&unreadable, "verify", garbage, NULL);
    g_assert_cmpint (unreadable.status, ==, 3);
  }
}

/* The draw's outputs follow the rules of every output: "-", a pipe and a
 * device written in place, a failing device undoing the whole set, two
 * outputs on one file refused before anything is drawn. */
static void
test_draw_outputs (void)
{
  g_auto(Inputs) in = { 0 };
  g_auto(Run) lottery = { 0 };
  g_auto(Run) to_stdout = { 0 };
  g_autofree char *lottery_folder = NULL;
  g_autofree char *distribution = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(KlTable) panel = NULL;
  g_autoptr(GError) error = NULL;

  inputs_write (&in);
  lottery_folder = in_folder (in.folder, "lottery");
  g_assert_cmpint (g_mkdir (lottery_folder, 0755), ==, 0);
  run_cli (&lottery, "select", "-S", in.settings, "-f", in.quotas, "-p", in.pool, "-n", "4",
           "--algorithm", "maximin", "--seed", "4", "--number-selections", "5",
           "--output-dir", lottery_folder, "--no-progress", NULL);
  g_assert_cmpint (lottery.status, ==, 0);
  distribution = in_folder (lottery_folder, "distribution.csv");

  /* "-": standard output holds the panel and nothing else; the rest of
   * the set goes to the folder. */
  {
    g_autofree char *folder = in_folder (in.folder, "to-stdout");

    g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
    run_cli (&to_stdout, "draw", "-d", distribution, "--public-number", "7", "-o", folder, "-s", "-", NULL);
    g_assert_cmpint (to_stdout.status, ==, 0);
    panel = kl_table_read_data (to_stdout.out, -1, "stdout", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (panel->n_rows, ==, 4);
    g_assert_cmpstr (panel->header[0], ==, "id");
    g_assert_nonnull (strstr (to_stdout.err, "picks panel 2 of 5"));
    listing = kl_test_folder_listing (folder);
    g_assert_cmpstr (listing, ==, "draw.json remaining.csv");
    g_clear_pointer (&listing, g_free);
    g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));

    /* The record says where the panel went, with the hash of its bytes. */
    {
      g_autofree char *record = in_folder (folder, "draw.json");

      kl_test_assert_record_names_stdout (record, "selected", to_stdout.out);
    }
  }

  /* A named pipe: written in place, the same bytes, still a pipe. */
  {
    g_autofree char *folder = in_folder (in.folder, "to-fifo");
    g_autofree char *pipe_path = in_folder (folder, "panel.pipe");
    g_autofree char *received = NULL;
    g_auto(Run) run = { 0 };
    KlTestPipeReader *reader;
    struct stat fifo_stat;

    g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
    g_assert_cmpint (mkfifo (pipe_path, 0600), ==, 0);
    reader = kl_test_pipe_reader_start (pipe_path);
    run_cli (&run, "draw", "-d", distribution, "--public-number", "7", "-o", folder, "-s", pipe_path, NULL);
    received = kl_test_pipe_reader_finish (reader);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (received, ==, to_stdout.out);
    g_assert_cmpint (lstat (pipe_path, &fifo_stat), ==, 0);
    g_assert_true (S_ISFIFO (fifo_stat.st_mode));
    listing = kl_test_folder_listing (folder);
    g_assert_cmpstr (listing, ==, "draw.json panel.pipe remaining.csv");
    g_clear_pointer (&listing, g_free);
  }

  /* /dev/full fails last, when the files are in place: they are put back
   * as they were, the device stays a device, exit 1 naming it. */
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_autofree char *folder = in_folder (in.folder, "to-full");
      g_autofree char *remaining = in_folder (folder, "remaining.csv");
      g_autofree char *record = in_folder (folder, "draw.json");
      g_autofree char *contents = NULL;
      g_auto(Run) fresh = { 0 };
      g_auto(Run) again = { 0 };
      struct stat device_stat;

      g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
      run_cli (&fresh, "draw", "-d", distribution, "--public-number", "7", "-o", folder, "-s", "/dev/full", NULL);
      g_assert_cmpint (fresh.status, ==, 1);
      g_assert_nonnull (strstr (fresh.err, "/dev/full"));
      g_assert_nonnull (strstr (fresh.err, g_strerror (ENOSPC)));
      listing = kl_test_folder_listing (folder);
      g_assert_cmpstr (listing, ==, "");
      g_clear_pointer (&listing, g_free);

      g_assert_true (g_file_set_contents (remaining, "old remaining\n", -1, NULL));
      g_assert_true (g_file_set_contents (record, "{}\n", -1, NULL));
      run_cli (&again, "draw", "-d", distribution, "--public-number", "7", "-o", folder, "-s", "/dev/full",
               "--force", NULL);
      g_assert_cmpint (again.status, ==, 1);
      g_assert_nonnull (strstr (again.err, "Nothing was written"));
      listing = kl_test_folder_listing (folder);
      g_assert_cmpstr (listing, ==, "draw.json remaining.csv");
      g_clear_pointer (&listing, g_free);
      g_assert_true (g_file_get_contents (remaining, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old remaining\n");
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (record, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "{}\n");
      g_assert_cmpint (stat ("/dev/full", &device_stat), ==, 0);
      g_assert_true (S_ISCHR (device_stat.st_mode));
    }

  /* Refused before the draw: two outputs on one file, "-" twice, an
   * output over the pool the draw reads. */
  {
    g_autofree char *folder = in_folder (in.folder, "refused");
    g_autofree char *same = in_folder (folder, "same.csv");
    g_auto(Run) twice = { 0 };
    g_auto(Run) stdout_twice = { 0 };
    g_auto(Run) over_input = { 0 };

    g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
    run_cli (&twice, "draw", "-d", distribution, "--public-number", "7", "-o", folder,
             "-s", same, "-r", same, NULL);
    g_assert_cmpint (twice.status, ==, 2);
    g_assert_nonnull (strstr (twice.err, "Two outputs"));
    run_cli (&stdout_twice, "draw", "-d", distribution, "--public-number", "7", "-o", folder,
             "-s", "-", "-r", "-", NULL);
    g_assert_cmpint (stdout_twice.status, ==, 2);
    g_assert_nonnull (strstr (stdout_twice.err, "Only one output can be “-”"));
    g_assert_cmpstr (stdout_twice.out, ==, "");
    run_cli (&over_input, "draw", "-d", distribution, "--public-number", "7", "-o", folder,
             "-r", in.pool, NULL);
    g_assert_cmpint (over_input.status, ==, 2);
    g_assert_nonnull (strstr (over_input.err, "will not be written over"));
    listing = kl_test_folder_listing (folder);
    g_assert_cmpstr (listing, ==, "");
  }
}

/* --excel-safe: cells a spreadsheet would run get an apostrophe in the
 * people tables, nowhere else, and verify still recognises the panel. */
static void
test_excel_safe_and_verify (void)
{
  g_autofree char *folder = g_dir_make_tmp ("kleroterion-excel-XXXXXX", NULL);
  g_autofree char *pool = in_folder (folder, "pool.csv");
  g_autofree char *quotas = in_folder (folder, "quotas.csv");
  g_autofree char *settings = in_folder (folder, "settings.toml");
  g_autofree char *out = in_folder (folder, "out");
  g_autofree char *record = in_folder (out, "report.json");
  g_autofree char *remaining_path = in_folder (out, "remaining.csv");
  g_autofree char *remaining = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) verified = { 0 };

  g_assert_true (g_file_set_contents (pool, "id,name,g\n+1,\"=HYPERLINK(\"\"x\"\")\",m\n+2,Bo,f\n"
                                      "+3,@SUM(A1),m\n+4,-1+2,f\n", -1, NULL));
  g_assert_true (g_file_set_contents (quotas, "feature,value,min,max\ng,m,1,1\ng,f,1,1\n", -1, NULL));
  g_assert_true (g_file_set_contents (settings, "id_column = \"id\"\ncolumns_to_keep = [\"name\"]\n", -1, NULL));
  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);

  run_cli (&run, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "2", "--algorithm", "legacy",
           "--seed", "3", "--output-dir", out, "--excel-safe", "--no-progress", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (remaining_path, &remaining, NULL, NULL));
  g_assert_true (g_str_has_prefix (remaining, "id,name,g\r\n'+"));
  g_assert_null (strstr (remaining, ",=HYPERLINK"));
  g_assert_null (strstr (remaining, ",-1+2"));
  g_assert_null (strstr (remaining, ",@SUM"));

  run_cli (&verified, "verify", record, NULL);
  g_assert_cmpint (verified.status, ==, 0);
}

/* ---- signals while a set of outputs is being written --------------------- */

/* A pool big enough that writing its remaining people takes a while, with
 * old outputs already in place. */
typedef struct {
  char *folder;
  char *settings;
  char *quotas;
  char *pool;
  char *outputs[3];
} BigSet;

static void
big_set_clear (BigSet *set)
{
  g_free (set->folder);
  g_free (set->settings);
  g_free (set->quotas);
  g_free (set->pool);
  for (guint i = 0; i < G_N_ELEMENTS (set->outputs); i++)
    g_free (set->outputs[i]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BigSet, big_set_clear)

static void
big_set_write (BigSet *set)
{
  static const char *names[] = { "selected.csv", "remaining.csv", "report.json" };
  g_autoptr(GString) pool = g_string_new ("id,g,notes\n");
  g_autofree char *notes = g_strnfill (250, 'n');

  set->folder = g_dir_make_tmp ("kleroterion-signal-XXXXXX", NULL);
  set->settings = in_folder (set->folder, "settings.toml");
  set->quotas = in_folder (set->folder, "quotas.csv");
  set->pool = in_folder (set->folder, "pool.csv");
  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (pool, "%u,%s,%s\n", i, i % 2 ? "m" : "f", notes);
  g_assert_true (g_file_set_contents (set->pool, pool->str, pool->len, NULL));
  g_assert_true (g_file_set_contents (set->settings, "id_column = \"id\"\ncolumns_to_keep = [\"notes\"]\n", -1, NULL));
  g_assert_true (g_file_set_contents (set->quotas, "feature,value,min,max\ng,m,2,2\ng,f,2,2\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      set->outputs[i] = in_folder (set->folder, names[i]);
      g_assert_true (g_file_set_contents (set->outputs[i], names[i], -1, NULL));
    }
}

/* Starts a selection and returns once it has begun writing its outputs. */
static GSubprocess *
start_writing (BigSet *set)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  g_autoptr(GDataInputStream) events = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("KL_CLI"), "select", "-S", set->settings, "-f", set->quotas,
                              "-p", set->pool, "-n", "4", "--algorithm", "legacy", "--seed", "1",
                              "-s", set->outputs[0], "-r", set->outputs[1], "--report", set->outputs[2],
                              "--progress", "jsonl", NULL);
  g_assert_no_error (error);
  events = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  /* The pipe stays open: a closed one would kill the writer with SIGPIPE. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (events), FALSE);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (events, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (strstr (line, "\"write_files\"") != NULL)
        break;
    }
  return process;
}

/* Nothing of a write in progress is left: no hidden file, and each output
 * is either all old or (the signal came after the last rename) all new. */
static gboolean
outputs_are_old (BigSet *set)
{
  g_autoptr(GDir) dir = g_dir_open (set->folder, 0, NULL);
  const char *name;
  guint old = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "."));
  for (guint i = 0; i < G_N_ELEMENTS (set->outputs); i++)
    {
      g_autofree char *contents = NULL;
      g_autofree char *base = g_path_get_basename (set->outputs[i]);

      g_assert_true (g_file_get_contents (set->outputs[i], &contents, NULL, NULL));
      old += g_str_equal (contents, base);
    }
  g_assert_true (old == 0 || old == G_N_ELEMENTS (set->outputs));
  return old > 0;
}

static void
test_signal_while_writing (gconstpointer data)
{
  int signal_number = GPOINTER_TO_INT (data);
  guint interrupted = 0;

  /* A signal may come after the last rename: the set is then whole and
   * new. It must never be mixed, partial or leave a temporary file, and
   * most tries land while the files are written (the first, on this
   * machine; up to four where writing is faster). */
  for (guint attempt = 0; attempt < 4 && interrupted == 0; attempt++)
    {
      g_auto(BigSet) set = { 0 };
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;

      big_set_write (&set);
      process = start_writing (&set);
      g_subprocess_send_signal (process, signal_number);
      g_assert_true (g_subprocess_wait (process, NULL, &error));
      g_assert_no_error (error);

      if (outputs_are_old (&set))
        {
          interrupted++;
          if (signal_number == SIGKILL)
            g_assert_true (g_subprocess_get_if_signaled (process));
          else
            g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
        }
      else
        g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }
  g_assert_cmpuint (interrupted, >, 0);
}

/* The panel goes to a pipe nobody reads: the run cannot finish, so the
 * signal always comes while the set is being written, after the files are
 * renamed into place. They must be put back, nothing hidden left. */
static void
test_signal_while_waiting_for_reader (gconstpointer data)
{
  int signal_number = GPOINTER_TO_INT (data);
  g_auto(BigSet) set = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  struct stat pipe_stat;

  big_set_write (&set);
  g_assert_cmpint (g_unlink (set.outputs[0]), ==, 0);
  g_assert_cmpint (mkfifo (set.outputs[0], 0600), ==, 0);
  process = start_writing (&set);
  g_subprocess_send_signal (process, signal_number);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);

  listing = kl_test_folder_listing (set.folder);
  g_assert_cmpstr (listing, ==, "pool.csv quotas.csv remaining.csv report.json selected.csv settings.toml");
  for (guint i = 1; i < G_N_ELEMENTS (set.outputs); i++)
    {
      g_autofree char *contents = NULL;
      g_autofree char *base = g_path_get_basename (set.outputs[i]);

      g_assert_true (g_file_get_contents (set.outputs[i], &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, base);
    }
  g_assert_cmpint (lstat (set.outputs[0], &pipe_stat), ==, 0);
  g_assert_true (S_ISFIFO (pipe_stat.st_mode));
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
  g_test_add_func ("/cli/select-legacy", test_select_legacy);
  g_test_add_func ("/cli/select-exit-codes", test_select_exit_codes);
  g_test_add_func ("/cli/select-jsonl-progress", test_select_jsonl_progress);
  g_test_add_func ("/cli/select-interrupted", test_select_interrupted);
  g_test_add_func ("/cli/select-maximin", test_select_maximin);
  g_test_add_func ("/cli/output-dir-and-verify", test_output_dir_and_verify);
  g_test_add_func ("/cli/outputs-on-one-path", test_outputs_on_one_path);
  g_test_add_func ("/cli/public-draw-and-tampering", test_public_draw_and_tampering);
  g_test_add_func ("/cli/draw-outputs", test_draw_outputs);
  g_test_add_func ("/cli/excel-safe-and-verify", test_excel_safe_and_verify);
  g_test_add_data_func ("/cli/sigint-while-writing", GINT_TO_POINTER (SIGINT), test_signal_while_writing);
  g_test_add_data_func ("/cli/sigterm-while-writing", GINT_TO_POINTER (SIGTERM), test_signal_while_writing);
  g_test_add_data_func ("/cli/sigkill-while-writing", GINT_TO_POINTER (SIGKILL), test_signal_while_writing);
  g_test_add_data_func ("/cli/sigint-waiting-for-reader", GINT_TO_POINTER (SIGINT),
                        test_signal_while_waiting_for_reader);
  g_test_add_data_func ("/cli/sigterm-waiting-for-reader", GINT_TO_POINTER (SIGTERM),
                        test_signal_while_waiting_for_reader);
  g_test_add_func ("/cli/analyse", test_analyse);

  return g_test_run ();
}
