/* test-table.c — the CSV dialect (spec 2.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

static KlTable *
read_ok (const char *csv,
         GPtrArray  *messages)
{
  g_autoptr(GError) error = NULL;
  KlTable *table = kl_table_read_data (csv, -1, "t.csv", messages, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static void
read_fails (const char *csv,
            gssize      length,
            const char *code,
            int         line)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;
  KlTable *table = kl_table_read_data (csv, length, "t.csv", messages, &error);

  g_assert_null (table);
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  kl_assert_message (messages, code, line, NULL);
  /* The GError carries the located text, so callers that only show it
   * still name the place. */
  g_assert_true (g_str_has_prefix (error->message, "t.csv"));
}

static void
test_bom_and_crlf (void)
{
  g_autoptr(KlTable) table = read_ok ("\xEF\xBB\xBF" "id,name\r\n1,Ann\r\n2,Bob\r\n", NULL);

  g_assert_cmpuint (table->n_columns, ==, 2);
  g_assert_cmpstr (table->header[0], ==, "id");
  g_assert_cmpuint (table->n_rows, ==, 2);
  g_assert_cmpstr (kl_table_get_cell (table, 1, 1), ==, "Bob");
  g_assert_cmpint (kl_table_get_line (table, 1), ==, 3);
}

static void
test_quoted_cells_and_lines (void)
{
  g_autoptr(KlTable) table = read_ok ("id,note\n"
                                      "1,\"a, b\"\n"
                                      "\n"
                                      "2,\"two\nlines\"\n"
                                      "3,\"say \"\"hi\"\"\"\n", NULL);

  g_assert_cmpuint (table->n_rows, ==, 3);
  g_assert_cmpstr (kl_table_get_cell (table, 0, 1), ==, "a, b");
  g_assert_cmpstr (kl_table_get_cell (table, 1, 1), ==, "two\nlines");
  g_assert_cmpstr (kl_table_get_cell (table, 2, 1), ==, "say \"hi\"");
  /* Physical lines, as an editor shows them: the blank line and the line
   * inside the quoted cell both count. */
  g_assert_cmpint (kl_table_get_line (table, 0), ==, 2);
  g_assert_cmpint (kl_table_get_line (table, 1), ==, 4);
  g_assert_cmpint (kl_table_get_line (table, 2), ==, 6);
}

static void
test_unicode_trim (void)
{
  g_autoptr(KlTable) table = read_ok (" id ,\xC2\xA0name\xC2\xA0\n  7 ,\xE2\x80\x83Zo\xC3\xAB \n", NULL);

  g_assert_cmpstr (table->header[1], ==, "name");
  g_assert_cmpstr (kl_table_get_cell (table, 0, 0), ==, "7");
  g_assert_cmpstr (kl_table_get_cell (table, 0, 1), ==, "Zo\xC3\xAB");
}

static void
test_short_and_long_rows (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlTable) table = read_ok ("a,b,c\n1,2,3\n4\n5,6,7,8\n", messages);
  KlMessage *m;

  g_assert_cmpstr (kl_table_get_cell (table, 1, 2), ==, "");
  g_assert_cmpstr (kl_table_get_cell (table, 2, 2), ==, "7");
  m = kl_assert_message (messages, "row_width_mismatch", 3, NULL);
  g_assert_cmpstr (kl_message_get_param (m, "count"), ==, "2");
  g_assert_cmpint (m->severity, ==, KL_SEVERITY_WARNING);
}

static void
test_semicolons_and_tabs (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlTable) semi = read_ok ("id;name\n1;\"Smith; J\"\n", messages);
  g_autoptr(KlTable) tabs = read_ok ("id\tname\n1\tAnn Lee\n", messages);

  g_assert_cmpint (semi->delimiter, ==, ';');
  g_assert_cmpstr (kl_table_get_cell (semi, 0, 1), ==, "Smith; J");
  kl_assert_message (messages, "semicolon_separated", 0, NULL);
  g_assert_cmpint (tabs->delimiter, ==, '\t');
  g_assert_cmpstr (kl_table_get_cell (tabs, 0, 1), ==, "Ann Lee");
  kl_assert_message (messages, "tab_separated", 0, NULL);
}

static void
test_bad_files (void)
{
  read_fails ("id,name\n1,Ann\n2,Jos\xE9\n3,Bob\n4,Ren\xE9\n", -1, "invalid_utf8", 3);
  read_fails ("id,name\n1,Ann\n2,Jos\xE9\n3,Bob\n4,Ren\xE9\n", -1, "invalid_utf8", 5);
  read_fails ("\xFF\xFEi\0d\0", 6, "file_is_utf16", 1);
  read_fails ("id,name\n1,An\0n\n", 14, "file_not_text", 2);
  read_fails ("id,name\n1,Ann\n2,Bo\"b\n", -1, "misplaced_quote", 3);
  read_fails ("id,name\n1,Ann\n2,\"Bob\n3,Cy\n", -1, "unterminated_quote", 3);
  read_fails ("", -1, "file_empty", 0);
  read_fails ("\n\n", -1, "file_empty", 0);
}

static void
test_missing_file (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlTable) table = kl_table_read_file ("/nonexistent/pool.csv", messages, &error);

  g_assert_null (table);
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  kl_assert_message (messages, "file_not_found", 0, NULL);
}

static void
test_find_column (void)
{
  g_autoptr(KlTable) table = read_ok ("Id,GENDER,gender ,Age\n1,a,b,c\n", NULL);
  guint n;

  g_assert_cmpint (kl_table_find_column (table, "id", &n), ==, 0);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (kl_table_find_column (table, "Gender", &n), ==, 1);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (kl_table_find_column (table, "email", &n), ==, -1);
  g_assert_cmpuint (n, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/table/bom-and-crlf", test_bom_and_crlf);
  g_test_add_func ("/table/quoted-cells-and-lines", test_quoted_cells_and_lines);
  g_test_add_func ("/table/unicode-trim", test_unicode_trim);
  g_test_add_func ("/table/short-and-long-rows", test_short_and_long_rows);
  g_test_add_func ("/table/semicolons-and-tabs", test_semicolons_and_tabs);
  g_test_add_func ("/table/bad-files", test_bad_files);
  g_test_add_func ("/table/missing-file", test_missing_file);
  g_test_add_func ("/table/find-column", test_find_column);

  return g_test_run ();
}
