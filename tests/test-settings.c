/* test-settings.c — settings and their TOML files (spec 2.5, 10.15)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

static const char *complete =
  "# written for the Python tool\n"
  "id_column = \"nationbuilder_id\"\n"
  "columns_to_keep = [\n"
  "  \"first_name\",   # a comment inside the list\n"
  "  'last_name',\n"
  "  \"email\",\n"
  "]\n"
  "check_same_address = true\n"
  "check_same_address_columns = [\"primary_address1\", \"zip_royal_mail\"]\n"
  "max_attempts = 1_00\n"
  "selection_algorithm = \"leximin\"\n"
  "solver_backend = \"mip\"\n"
  "random_number_seed = -42\n";

static KlSettings *
load_ok (const char *text,
         GPtrArray  *messages)
{
  g_autoptr(GError) error = NULL;
  KlSettings *settings = kl_settings_load_data (text, "settings.toml", messages, &error);

  g_assert_no_error (error);
  g_assert_nonnull (settings);
  return settings;
}

static GPtrArray *
load_fails (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = kl_messages_new ();
  KlSettings *settings = kl_settings_load_data (text, "settings.toml", messages, &error);

  g_assert_null (settings);
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_SETTINGS);
  return messages;
}

static void
test_complete_file (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlSettings) s = load_ok (complete, messages);
  const char *keep[] = { "first_name", "last_name", "email", NULL };
  const char *address[] = { "primary_address1", "zip_royal_mail", NULL };

  g_assert_cmpstr (s->id_column, ==, "nationbuilder_id");
  g_assert_cmpstrv (s->columns_to_keep, keep);
  g_assert_true (s->check_same_address);
  g_assert_cmpstrv (s->check_same_address_columns, address);
  g_assert_cmpint (s->max_attempts, ==, 100);
  g_assert_cmpint (s->selection_algorithm, ==, KL_ALGORITHM_LEXIMIN);
  g_assert_cmpstr (s->solver_backend, ==, "mip");
  g_assert_cmpint (s->random_number_seed, ==, -42);
  /* The library's backends are read, and it is said that GLPK is used. */
  kl_assert_message (messages, "solver_backend_ignored", 12, NULL);
  g_assert_cmpuint (kl_messages_count (messages, KL_SEVERITY_WARNING), ==, 0);
}

static void
test_algorithms_and_backends (void)
{
  const char *algorithms[] = { "legacy", "maximin", "nash", "leximin", "diversimax" };
  const char *backends[] = { "highspy", "mip", "mip-cbc", "mip-highs", "mip-gurobi", "glpk" };
  g_autoptr(GPtrArray) bad_algorithm = load_fails ("id_column = \"id\"\nselection_algorithm = \"unknown\"\n");
  g_autoptr(GPtrArray) bad_backend = load_fails ("id_column = \"id\"\nsolver_backend = \"unknown\"\n");
  g_autoptr(KlSettings) defaults = kl_settings_new ();
  KlMessage *m;

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      g_autofree char *text = g_strdup_printf ("id_column = \"id\"\nselection_algorithm = \"%s\"\n", algorithms[i]);
      g_autoptr(KlSettings) s = load_ok (text, NULL);
      g_assert_cmpint (s->selection_algorithm, ==, (int) i);
      g_assert_cmpstr (kl_algorithm_to_string (s->selection_algorithm), ==, algorithms[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    {
      g_autofree char *text = g_strdup_printf ("id_column = \"id\"\nsolver_backend = \"%s\"\n", backends[i]);
      g_autoptr(KlSettings) s = load_ok (text, NULL);
      g_assert_cmpstr (s->solver_backend, ==, backends[i]);
    }

  m = kl_assert_message (bad_algorithm, "invalid_selection_algorithm", 2, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "valid_algorithms"), ==,
                   "legacy, maximin, nash, leximin, diversimax");
  kl_assert_message (bad_backend, "invalid_solver_backend", 0, NULL);
  g_assert_cmpstr (defaults->solver_backend, ==, "glpk");
  g_assert_cmpint (defaults->max_attempts, ==, 100);
  g_assert_cmpint (defaults->selection_algorithm, ==, KL_ALGORITHM_MAXIMIN);
  g_assert_cmpint (defaults->random_number_seed, ==, 0);
}

static void
test_types (void)
{
  g_autoptr(GPtrArray) messages = load_fails ("id_column = 7\n"
                                              "columns_to_keep = \"email\"\n"
                                              "check_same_address = \"yes\"\n"
                                              "check_same_address_columns = \"street\"\n"
                                              "max_attempts = \"ten\"\n"
                                              "random_number_seed = 1.5\n");
  KlMessage *m;

  m = kl_assert_message (messages, "setting_wrong_type", 1, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "key"), ==, "id_column");
  g_assert_cmpint (m->character, ==, 13);
  for (int line = 2; line <= 6; line++)
    kl_assert_message (messages, "setting_wrong_type", line, NULL);
  {
    g_autoptr(GPtrArray) not_strings = load_fails ("id_column = \"id\"\ncolumns_to_keep = [\"a\", 3]\n");
    m = kl_assert_message (not_strings, "toml_array_not_strings", 2, NULL);
    g_assert_cmpint (m->character, ==, 25);
  }
}

static void
test_address_rules (void)
{
  g_autoptr(GPtrArray) empty_on = load_fails ("id_column = \"id\"\ncheck_same_address = true\n"
                                              "check_same_address_columns = []\n");
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlSettings) off = load_ok ("id_column = \"id\"\ncheck_same_address = false\n"
                                       "check_same_address_columns = [\"street\"]\n", messages);
  g_autoptr(KlSettings) missing_key = load_ok ("id_column = \"id\"\n", NULL);

  kl_assert_message (empty_on, "check_same_address_empty", 0, NULL);
  kl_assert_message (messages, "address_checking_disabled_warning", 0, NULL);
  g_assert_cmpuint (g_strv_length (off->check_same_address_columns), ==, 0);
  g_assert_null (kl_settings_get_address_columns (off)[0]);
  /* The library crashes on a file without the key; absent means off. */
  g_assert_false (missing_key->check_same_address);
}

static void
test_full_columns_to_keep (void)
{
  g_autoptr(KlSettings) s = kl_settings_new ();
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  const char *abcde[] = { "a", "b", "c", "d", "e", NULL };
  const char *abcd[] = { "a", "b", "c", "d", NULL };

  g_strfreev (s->columns_to_keep);
  s->columns_to_keep = g_strsplit ("a,b,c", ",", -1);
  s->check_same_address = TRUE;
  g_strfreev (s->check_same_address_columns);
  s->check_same_address_columns = g_strsplit ("d,e", ",", -1);
  first = kl_settings_get_full_columns_to_keep (s);
  g_assert_cmpstrv (first, abcde);

  g_strfreev (s->check_same_address_columns);
  s->check_same_address_columns = g_strsplit ("d,C", ",", -1);
  second = kl_settings_get_full_columns_to_keep (s);
  g_assert_cmpstrv (second, abcd);
}

static void
test_grouped_errors (void)
{
  g_autoptr(GPtrArray) messages = load_fails ("id_column = \"id\"\n"
                                              "selection_algorithm = \"best\"\n"
                                              "check_same_address = true\n"
                                              "max_attempts = 0\n");

  kl_assert_message (messages, "invalid_selection_algorithm", 2, NULL);
  kl_assert_message (messages, "check_same_address_empty", 0, NULL);
  kl_assert_message (messages, "max_attempts_too_small", 0, NULL);
}

static void
test_syntax_errors (void)
{
  struct {
    const char *text;
    const char *code;
    int line;
    int character;
  } cases[] = {
    { "id_column = \"id\nx = 1\n", "toml_unterminated_string", 1, 13 },
    { "id_column \"id\"\n", "toml_expected_equals", 1, 11 },
    { "id_column = id\n", "toml_unquoted_text", 1, 13 },
    { "id_column = \"id\" extra\n", "toml_trailing_text", 1, 18 },
    { "[selection]\nid_column = \"id\"\n", "toml_table_unsupported", 1, 1 },
    { "id_column = \"id\"\nid_column = \"x\"\n", "toml_duplicate_key", 2, 1 },
    { "id_column = \"id\"\ncolumns_to_keep = [\"a\"\n\"b\"]\n", "toml_expected_comma", 3, 1 },
    { "id_column = \"id\"\ncolumns_to_keep = [\"a\",\n", "toml_unterminated_array", 3, 1 },
    { "id_column = \"a\\qb\"\n", "toml_bad_escape", 1, 15 },
    { "id_column =\n", "toml_expected_value", 1, 12 },
    { "= 3\n", "toml_expected_key", 1, 1 },
    { "a.b = 3\n", "toml_unsupported", 1, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) messages = load_fails (cases[i].text);
      KlMessage *m = kl_assert_message (messages, cases[i].code, cases[i].line, NULL);
      g_autofree char *located = kl_message_to_located_string (m);
      g_autofree char *place = g_strdup_printf ("settings.toml:%d:%d: ", cases[i].line, cases[i].character);

      g_assert_cmpint (m->character, ==, cases[i].character);
      g_assert_true (g_str_has_prefix (located, place));
    }
}

static void
test_unknown_keys (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlSettings) s = load_ok ("id_column = \"id\"\ncheck_same_adress = true\nflavour = \"x\"\n", messages);
  KlMessage *m;
  g_autofree char *hint = NULL;

  m = kl_assert_message (messages, "unknown_setting_suggest", 2, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "suggestion"), ==, "check_same_address");
  hint = kl_message_get_hint (m);
  g_assert_cmpstr (hint, ==, "Did you mean check_same_address?");
  kl_assert_message (messages, "unknown_setting", 3, NULL);
  g_assert_false (s->check_same_address);
}

static void
test_missing_file_not_created (void)
{
  g_autofree char *path = g_build_filename (kl_test_dir (), "typo.toml", NULL);
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) s = kl_settings_load_file (path, messages, &error);

  g_assert_null (s);
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  kl_assert_message (messages, "settings_not_found", 0, NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_round_trip (void)
{
  g_autoptr(KlSettings) s = load_ok (complete, NULL);
  g_autofree char *path = g_build_filename (kl_test_dir (), "saved.toml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) again = NULL;

  g_free (s->id_column);
  s->id_column = g_strdup ("id \"quoted\" \\ back");
  g_assert_true (kl_settings_save (s, path, NULL, &error));
  g_assert_no_error (error);
  again = kl_settings_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->id_column, ==, s->id_column);
  g_assert_cmpstrv (again->columns_to_keep, s->columns_to_keep);
  g_assert_cmpstrv (again->check_same_address_columns, s->check_same_address_columns);
  g_assert_cmpint (again->check_same_address, ==, s->check_same_address);
  g_assert_cmpint (again->max_attempts, ==, s->max_attempts);
  g_assert_cmpint (again->selection_algorithm, ==, s->selection_algorithm);
  g_assert_cmpstr (again->solver_backend, ==, s->solver_backend);
  g_assert_cmpint (again->random_number_seed, ==, s->random_number_seed);
}

/* 200 KB of brackets once overflowed the stack of the JSON parser. */
static void
test_json_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"columns_to_keep\": ");
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) shallow_messages = kl_messages_new ();
  g_autoptr(KlSettings) shallow = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  messages = load_fails (deep->str);
  kl_assert_message (messages, "json_too_deep", 0, NULL);

  /* Brackets inside strings are text, not nesting. */
  shallow = load_ok ("{\"id_column\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[[\", "
                     "\"columns_to_keep\": [\"a\"]}", shallow_messages);
  g_assert_cmpstr (shallow->id_column, ==, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"[[[[[");
}

/* A list holding null or a number is a value of the wrong type: a clear
 * settings error (exit 3), and nothing leaks. */
static void
test_json_list_with_null (void)
{
  const char *texts[] = {
    "{\"columns_to_keep\": [\"a\", null, \"b\"]}",
    "{\"columns_to_keep\": [null]}",
    "{\"columns_to_keep\": [\"a\", 3, [\"b\"], {\"c\": 1}]}",
    "{\"id_column\": null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) messages = load_fails (texts[i]);
      kl_assert_message (messages, "setting_wrong_type", 0, NULL);
    }
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/settings/complete-file", test_complete_file);
  g_test_add_func ("/settings/algorithms-and-backends", test_algorithms_and_backends);
  g_test_add_func ("/settings/types", test_types);
  g_test_add_func ("/settings/address-rules", test_address_rules);
  g_test_add_func ("/settings/full-columns-to-keep", test_full_columns_to_keep);
  g_test_add_func ("/settings/grouped-errors", test_grouped_errors);
  g_test_add_func ("/settings/syntax-errors", test_syntax_errors);
  g_test_add_func ("/settings/unknown-keys", test_unknown_keys);
  g_test_add_func ("/settings/missing-file-not-created", test_missing_file_not_created);
  g_test_add_func ("/settings/round-trip", test_round_trip);
  g_test_add_func ("/settings/json-nesting", test_json_nesting);
  g_test_add_func ("/settings/json-list-with-null", test_json_list_with_null);

  return g_test_run ();
}
