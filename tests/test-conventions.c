/* test-conventions.c — what scripts and terminals expect of both programs:
 * --version, usage lines, "-" for standard output, one format on standard
 * error with --progress jsonl, every 64-bit seed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kl-test-utils.h"
#include "kl-test-files.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

static char *
example (const char *name)
{
  return g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", name, NULL);
}

static void
test_cli_version (void)
{
  g_auto(KlTestCli) run = { 0 };
  g_autofree char *expected = g_strdup_printf ("kleroterion-cli %s\n", PACKAGE_VERSION);

  kl_test_cli (&run, NULL, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
}

/* The window's program answers --version without a display. */
static void
test_app_version (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf ("kleroterion %s\n", PACKAGE_VERSION);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("KL_APP"), "--version", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

/* "Usage:" and errors name the program and the command. */
static void
test_usage_names_program (void)
{
  const char *commands[] = { "check", "select", "analyse", "gen-sample", "generate", "default-settings" };
  /* "…" prints as "?" where the locale is not UTF-8 (a build sandbox). */
  const char *utf8[] = { "LC_ALL=C.UTF-8", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(KlTestCli) help = { 0 };
      g_auto(KlTestCli) wrong = { 0 };
      g_autofree char *usage = g_strdup_printf ("kleroterion-cli %s [OPTION…]", commands[i]);
      g_autofree char *named = g_strdup_printf ("kleroterion-cli %s: ", commands[i]);

      kl_test_cli (&help, utf8, NULL, commands[i], "--help", NULL);
      g_assert_cmpint (help.status, ==, 0);
      g_assert_nonnull (strstr (help.out, usage));

      kl_test_cli (&wrong, NULL, NULL, commands[i], "--no-such-option", NULL);
      g_assert_cmpint (wrong.status, ==, 2);
      g_assert_true (g_str_has_prefix (wrong.err, named));
    }
}

static void
test_default_settings_to_stdout (void)
{
  g_auto(KlTestCli) run = { 0 };
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
  kl_test_cli (&run, NULL, NULL, "default-settings", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
  settings = kl_settings_load_data (run.out, "stdout", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->id_column, ==, "id");
}

/* Asserts that every line of @text is a JSON event; returns how many are
 * messages. */
static guint
count_json_events (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n_messages = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *event;

      if (lines[i][0] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      event = json_node_get_object (json_parser_get_root (parser));
      g_assert_nonnull (event);
      g_assert_true (json_object_has_member (event, "event"));
      if (g_str_equal (json_object_get_string_member (event, "event"), "message"))
        n_messages++;
    }
  return n_messages;
}

/* Every line on standard error is a JSON event, warnings and the failure
 * included. */
static void
test_jsonl_one_format (void)
{
  g_auto(KlTestCli) run = { 0 };
  g_autofree char *settings = kl_test_write_file ("settings.toml", "id_column = \"id\"\n");
  g_autofree char *quotas = kl_test_write_file ("quotas.csv", "feature,value,min,max\n"
                                                "gender,female,2,2\ngender,male,0,2\n"
                                                "age,young,0,2\nage,old,2,2\n");
  g_autofree char *pool = kl_test_write_file ("pool.csv", "id,gender,age\n1,female,young\n"
                                              "2,female,young\n3,male,old\n4,male,old,extra\n");
  g_autofree char *selected = g_build_filename (kl_test_dir (), "selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "remaining.csv", NULL);
  guint n_messages;

  kl_test_cli (&run, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "2",
               "-s", selected, "-r", remaining, "--progress", "jsonl", NULL);
  g_assert_cmpint (run.status, ==, 4);

  n_messages = count_json_events (run.err);
  /* the settings warning, the row of another width, the infeasibility, "nothing was written" */
  g_assert_cmpuint (n_messages, >=, 4);
  g_assert_nonnull (strstr (run.err, "\"code\":\"row_width_mismatch\""));
  g_assert_nonnull (strstr (run.err, "lower the minimum"));
}

/* The smallest 64-bit number is a seed like any other, not "no seed". */
static void
test_every_seed_is_a_seed (void)
{
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *selected = g_build_filename (kl_test_dir (), "seed-selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "seed-remaining.csv", NULL);
  const char *seeds[] = { "--seed=-9223372036854775808", "--seed=9223372036854775807" };

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_auto(KlTestCli) run = { 0 };
      const char *value = strchr (seeds[i], '=') + 1;
      g_autofree char *said = g_strdup_printf ("seed %s", value);

      kl_test_cli (&run, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
                   "--algorithm", "legacy", seeds[i], "-s", selected, "-r", remaining,
                   "--progress", "none", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, said));
    }

  {
    g_auto(KlTestCli) run = { 0 };

    kl_test_cli (&run, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
                 "--seed=9223372036854775808", "-s", selected, "-r", remaining, NULL);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--seed"));
  }
}

/* Every option a command takes is in the manual page and in the bash
 * completion: adding an option without documenting it fails here. */
static void
test_options_documented (void)
{
  const char *commands[] = { "check", "select", "draw", "verify", "analyse", "gen-sample", "generate",
                             "default-settings" };
  g_autofree char *man_path = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "doc", "kleroterion-cli.1", NULL);
  g_autofree char *completion_path = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "doc",
                                                       "kleroterion-cli.bash-completion", NULL);
  g_autofree char *man = NULL;
  g_autofree char *completion = NULL;
  g_autoptr(GRegex) option = g_regex_new ("^  (?:-[a-zA-Z], )?--([a-z-]+)", G_REGEX_MULTILINE, 0, NULL);

  g_assert_true (g_file_get_contents (man_path, &man, NULL, NULL));
  g_assert_true (g_file_get_contents (completion_path, &completion, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(KlTestCli) help = { 0 };
      g_autoptr(GMatchInfo) match = NULL;
      g_auto(GStrv) parts = g_strsplit (commands[i], "-", -1);
      g_autofree char *escaped_command = g_strjoinv ("\\-", parts);
      g_autofree char *as_b = g_strdup_printf ("\n.B %s", escaped_command);
      g_autofree char *as_br = g_strdup_printf ("\n.BR %s", escaped_command);
      guint n = 0;

      kl_test_cli (&help, NULL, NULL, commands[i], "--help-all", NULL);
      g_assert_cmpint (help.status, ==, 0);
      g_assert_true (strstr (man, as_b) != NULL || strstr (man, as_br) != NULL);
      g_assert_nonnull (strstr (completion, commands[i]));

      for (g_regex_match (option, help.out, 0, &match); g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          g_autoptr(GString) escaped = g_string_new ("\\-\\-");
          g_autofree char *dashed = g_strconcat ("--", name, NULL);

          if (g_str_has_prefix (name, "help"))
            continue;
          for (const char *p = name; *p; p++)
            g_string_append (escaped, *p == '-' ? "\\-" : (char[]) { *p, '\0' });
          if (strstr (man, escaped->str) == NULL)
            g_error ("%s %s is not in the manual page", commands[i], dashed);
          if (strstr (completion, dashed) == NULL)
            g_error ("%s %s is not in the bash completion", commands[i], dashed);
          n++;
        }
      if (!g_str_equal (commands[i], "default-settings"))
        g_assert_cmpuint (n, >, 0);
    }
}

/* The desktop file claims no MIME type (see the comment in it) and has one
 * main category. */
static void
test_desktop_file (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data",
                                            "org.kleroterion.Kleroterion.desktop.in.in", NULL);
  const char *main_categories[] = { "AudioVideo", "Audio", "Video", "Development", "Education", "Game",
                                    "Graphics", "Network", "Office", "Science", "Settings", "System",
                                    "Utility" };
  g_autoptr(GKeyFile) desktop = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) categories = NULL;
  guint n_main = 0;

  g_assert_true (g_key_file_load_from_file (desktop, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_false (g_key_file_has_key (desktop, "Desktop Entry", "MimeType", NULL));
  categories = g_key_file_get_string_list (desktop, "Desktop Entry", "Categories", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; categories[i] != NULL; i++)
    for (guint m = 0; m < G_N_ELEMENTS (main_categories); m++)
      n_main += g_str_equal (categories[i], main_categories[m]);
  g_assert_cmpuint (n_main, ==, 1);
}

/* "-" for one output: standard output holds that file and nothing else. */
static void
test_select_to_stdout (void)
{
  g_auto(KlTestCli) run = { 0 };
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "stdout-remaining.csv", NULL);
  g_autofree char *record = g_build_filename (kl_test_dir (), "stdout-report.json", NULL);
  g_autoptr(KlTable) panel = NULL;
  g_autoptr(GError) error = NULL;

  kl_test_cli (&run, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
               "--algorithm", "legacy", "--seed", "1", "-s", "-", "-r", remaining, "--report", record,
               "--progress", "none", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_false (g_file_test ("-", G_FILE_TEST_EXISTS));
  panel = kl_table_read_data (run.out, -1, "stdout", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (panel->n_rows, ==, 30);
  g_assert_cmpstr (panel->header[0], ==, "id");
  g_assert_nonnull (strstr (run.err, "Selected 30 people"));

  /* The audit record names standard output "-", with the hash of what
   * was written there. */
  kl_test_assert_record_names_stdout (record, "selected", run.out);

  /* A device is written in place: /dev/null stays a device. */
  {
    g_auto(KlTestCli) discard = { 0 };
    g_autofree char *selected = g_build_filename (kl_test_dir (), "device-selected.csv", NULL);
    struct stat device_stat;

    kl_test_cli (&discard, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
                 "--algorithm", "legacy", "--seed", "1", "-s", selected, "-r", "/dev/null",
                 "--progress", "none", NULL);
    g_assert_cmpint (discard.status, ==, 0);
    g_assert_true (g_file_test (selected, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint (stat ("/dev/null", &device_stat), ==, 0);
    g_assert_true (S_ISCHR (device_stat.st_mode));
  }

  /* Standard output once. */
  {
    g_auto(KlTestCli) twice = { 0 };

    kl_test_cli (&twice, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
                 "-s", "-", "-r", "-", "--progress", "none", NULL);
    g_assert_cmpint (twice.status, ==, 2);
    g_assert_nonnull (strstr (twice.err, "Only one output can be “-”"));
  }
}

/* Standard output is for data: "Wrote …" and the other notes go to
 * standard error, as JSON events with --progress jsonl. */
static void
test_notes_on_standard_error (void)
{
  g_autofree char *settings = example ("settings.toml");
  g_autofree char *quotas = example ("quotas.csv");
  g_autofree char *pool = example ("pool.csv");
  g_autofree char *sample = g_build_filename (kl_test_dir (), "notes-sample.csv", NULL);
  g_autofree char *made_quotas = g_build_filename (kl_test_dir (), "notes-quotas.csv", NULL);
  g_autofree char *made_settings = g_build_filename (kl_test_dir (), "notes-settings.toml", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "notes-remaining.csv", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_auto(KlTestCli) run = { 0 };

    kl_test_cli (&run, NULL, NULL, "gen-sample", "-S", settings, "-f", quotas, "-p", sample, "-n", "10", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "Wrote "));
    g_assert_nonnull (strstr (run.err, "notes-sample.csv"));
  }

  /* The pool on standard output, alone; the other two files noted. */
  {
    g_auto(KlTestCli) run = { 0 };
    g_autoptr(KlTable) table = NULL;

    kl_test_cli (&run, NULL, NULL, "generate", "--people", "50", "-p", "-", "-f", made_quotas,
                 "-S", made_settings, NULL);
    g_assert_cmpint (run.status, ==, 0);
    table = kl_table_read_data (run.out, -1, "stdout", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (table->n_rows, ==, 50);
    g_assert_nonnull (strstr (run.err, "notes-quotas.csv"));
    g_assert_nonnull (strstr (run.err, "notes-settings.toml"));
    g_assert_null (strstr (run.err, "Wrote -"));
  }

  {
    g_auto(KlTestCli) run = { 0 };
    g_autofree char *path = g_build_filename (kl_test_dir (), "notes-default.toml", NULL);

    kl_test_cli (&run, NULL, NULL, "default-settings", path, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "notes-default.toml"));
  }

  /* A successful select with the panel on standard output: the report
   * and the notes are events on standard error, the CSV alone on
   * standard output. */
  {
    g_auto(KlTestCli) run = { 0 };
    g_autoptr(KlTable) panel = NULL;

    kl_test_cli (&run, NULL, NULL, "select", "-S", settings, "-f", quotas, "-p", pool, "-n", "30",
                 "--algorithm", "legacy", "--seed", "2", "-s", "-", "-r", remaining, "--progress", "jsonl", NULL);
    g_assert_cmpint (run.status, ==, 0);
    panel = kl_table_read_data (run.out, -1, "stdout", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (panel->n_rows, ==, 30);
    g_assert_cmpuint (count_json_events (run.err), >=, 3);
    g_assert_nonnull (strstr (run.err, "Selected 30 people"));
    g_assert_nonnull (strstr (run.err, "SUCCESS"));
    g_assert_nonnull (strstr (run.err, "notes-remaining.csv"));
  }
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/conventions/cli-version", test_cli_version);
  g_test_add_func ("/conventions/app-version", test_app_version);
  g_test_add_func ("/conventions/usage-names-program", test_usage_names_program);
  g_test_add_func ("/conventions/default-settings-to-stdout", test_default_settings_to_stdout);
  g_test_add_func ("/conventions/jsonl-one-format", test_jsonl_one_format);
  g_test_add_func ("/conventions/every-seed-is-a-seed", test_every_seed_is_a_seed);
  g_test_add_func ("/conventions/options-documented", test_options_documented);
  g_test_add_func ("/conventions/desktop-file", test_desktop_file);
  g_test_add_func ("/conventions/select-to-stdout", test_select_to_stdout);
  g_test_add_func ("/conventions/notes-on-standard-error", test_notes_on_standard_error);

  return g_test_run ();
}
