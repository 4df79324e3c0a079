/* test-check.c — `kleroterion-cli check` as the whole pre-flight of select
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <json-glib/json-glib.h>

static const char *settings_toml = "id_column = \"id\"\n";

/* Each quota can be met alone, not both: the two women are young and the
 * two old people are men. Only the committee model sees it. */
static const char *joint_quotas =
  "feature,value,min,max\n"
  "gender,female,2,2\ngender,male,0,2\n"
  "age,young,0,2\nage,old,2,2\n";

static const char *small_pool =
  "id,gender,age\n1,female,young\n2,female,young\n3,male,old\n4,male,old\n5,male,young\n";

typedef struct {
  char *settings;
  char *quotas;
  char *pool;
} Files;

static void
files_clear (Files *files)
{
  g_free (files->settings);
  g_free (files->quotas);
  g_free (files->pool);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Files, files_clear)

static void
files_write (Files      *files,
             const char *quotas,
             const char *pool)
{
  files->settings = kl_test_write_file ("settings.toml", settings_toml);
  files->quotas = kl_test_write_file ("quotas.csv", quotas);
  files->pool = kl_test_write_file ("pool.csv", pool);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* The same relaxation lines and exit status 4 as select. */
static void
test_joint_infeasibility (void)
{
  g_auto(Files) files = { 0 };
  g_auto(KlTestCli) check = { 0 };
  g_auto(KlTestCli) select = { 0 };
  g_autofree char *selected = g_build_filename (kl_test_dir (), "selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "remaining.csv", NULL);
  const char *relax = "lower the minimum of “old” of “age” from 2 to 0";

  files_write (&files, joint_quotas, small_pool);
  kl_test_cli (&check, NULL, NULL, "check", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "2", NULL);
  kl_test_cli (&select, NULL, NULL, "select", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "2", "-s", selected, "-r", remaining, "--progress", "none", NULL);

  g_assert_cmpint (check.status, ==, 4);
  g_assert_cmpint (select.status, ==, 4);
  g_assert_nonnull (strstr (check.err, relax));
  g_assert_nonnull (strstr (select.err, relax));
  g_assert_null (strstr (check.out, "ready"));
  g_assert_false (g_file_test (selected, G_FILE_TEST_EXISTS));
}

/* A panel larger than the pool is one problem with one status in both. */
static void
test_pool_smaller_than_panel (void)
{
  g_auto(Files) files = { 0 };
  g_auto(KlTestCli) check = { 0 };
  g_auto(KlTestCli) select = { 0 };
  g_autofree char *selected = g_build_filename (kl_test_dir (), "selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (kl_test_dir (), "remaining.csv", NULL);

  files_write (&files, "feature,value,min,max\ngender,female,0,9\ngender,male,0,9\n",
               "id,gender\n1,female\n2,male\n3,male\n");
  kl_test_cli (&check, NULL, NULL, "check", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "5", NULL);
  kl_test_cli (&select, NULL, NULL, "select", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "5", "-s", selected, "-r", remaining, "--progress", "none", NULL);
  g_assert_cmpint (check.status, ==, select.status);
  g_assert_cmpint (check.status, ==, 4);
  g_assert_nonnull (strstr (check.err, "only 3 people"));
}

static void
test_panel_size_validated (void)
{
  g_auto(Files) files = { 0 };
  const char *sizes[] = { "0", "-3" };

  files_write (&files, joint_quotas, small_pool);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_auto(KlTestCli) check = { 0 };

      kl_test_cli (&check, NULL, NULL, "check", "-S", files.settings, "-f", files.quotas,
                   "-p", files.pool, "-n", sizes[i], NULL);
      g_assert_cmpint (check.status, ==, 2);
      g_assert_nonnull (strstr (check.err, "--number-wanted must be 1 or more"));
    }
}

/* A feasible panel size: ready, with the summary. */
static void
test_ready (void)
{
  g_auto(Files) files = { 0 };
  g_auto(KlTestCli) check = { 0 };

  files_write (&files, "feature,value,min,max\ngender,female,1,2\ngender,male,1,2\n", small_pool);
  kl_test_cli (&check, NULL, NULL, "check", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "3", NULL);
  g_assert_cmpint (check.status, ==, 0);
  g_assert_nonnull (strstr (check.out, "Pool: 5 people"));
  g_assert_nonnull (strstr (check.out, "a panel of 3 people meets every quota"));
}

/* A duplicate id no longer hides the other problems of the pool, and the
 * count is in the right grammatical number. */
static void
test_every_problem_in_one_pass (void)
{
  g_auto(Files) files = { 0 };
  g_auto(KlTestCli) check = { 0 };

  files_write (&files, joint_quotas,
               "id,gender,age\n1,female,young\n1,male,old\n2,alien,young\n3,male,\n");
  kl_test_cli (&check, NULL, NULL, "check", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "2", NULL);
  g_assert_cmpint (check.status, ==, 3);
  g_assert_nonnull (strstr (check.err, "1 id is used for people with different data"));
  g_assert_nonnull (strstr (check.err, "pool.csv:4"));
  g_assert_nonnull (strstr (check.err, "“alien”"));
  g_assert_nonnull (strstr (check.err, "pool.csv:5"));
}

static void
test_json (void)
{
  g_auto(Files) files = { 0 };
  g_auto(KlTestCli) bad = { 0 };
  g_auto(KlTestCli) infeasible = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *problems;
  gboolean found_alien = FALSE;

  files_write (&files, joint_quotas, "id,gender,age\n1,female,young\n2,alien,young\n");
  kl_test_cli (&bad, NULL, NULL, "check", "--json", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, NULL);
  g_assert_cmpint (bad.status, ==, 3);
  g_assert_cmpstr (bad.err, ==, "");
  root = parse_object (parser, bad.out);
  g_assert_cmpint (json_object_get_int_member (root, "exit_status"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (root, "outcome"), ==, "bad_input");
  problems = json_object_get_array_member (root, "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *problem = json_array_get_object_element (problems, i);

      if (g_str_equal (json_object_get_string_member (problem, "code"), "value_not_in_feature"))
        {
          found_alien = TRUE;
          g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "error");
          g_assert_cmpint (json_object_get_int_member (problem, "line"), ==, 3);
          g_assert_cmpstr (json_object_get_string_member (problem, "column"), ==, "gender");
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (problem, "params"),
                                                          "value"), ==, "alien");
        }
    }
  g_assert_true (found_alien);

  g_clear_pointer (&files.pool, g_free);
  files.pool = kl_test_write_file ("pool.csv", small_pool);
  kl_test_cli (&infeasible, NULL, NULL, "check", "--json", "-S", files.settings, "-f", files.quotas,
               "-p", files.pool, "-n", "2", NULL);
  g_assert_cmpint (infeasible.status, ==, 4);
  root = parse_object (parser, infeasible.out);
  g_assert_cmpstr (json_object_get_string_member (root, "outcome"), ==, "infeasible");
  g_assert_cmpint (json_object_get_int_member (root, "people"), ==, 5);
  g_assert_true (json_object_has_member (root, "report"));
  g_assert_nonnull (strstr (infeasible.out, "relax_min"));
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/check/joint-infeasibility", test_joint_infeasibility);
  g_test_add_func ("/check/pool-smaller-than-panel", test_pool_smaller_than_panel);
  g_test_add_func ("/check/panel-size-validated", test_panel_size_validated);
  g_test_add_func ("/check/ready", test_ready);
  g_test_add_func ("/check/every-problem-in-one-pass", test_every_problem_in_one_pass);
  g_test_add_func ("/check/json", test_json);

  return g_test_run ();
}
