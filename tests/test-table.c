/* test-table.c — the CSV dialect (spec 2.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-private.h"

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

/* A spreadsheet's export: the header as wide as the sheet ever was. The
 * empty header cells are dropped with one warning, rows are not padded to
 * them, and rows carrying the same empty cells are not "of another width". */
static void
test_trailing_empty_header_cells (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autofree char *commas = g_strnfill (16382, ',');
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(KlTable) table = NULL;

  g_string_append_printf (csv, "id,name%s\r\n", commas);
  for (guint i = 1; i <= 50; i++)
    g_string_append_printf (csv, "%u,Person %u%s\r\n", i, i, commas);
  g_string_append (csv, "51,Short\r\n");

  table = read_ok (csv->str, messages);
  g_assert_cmpuint (table->n_columns, ==, 2);
  g_assert_cmpuint (table->n_rows, ==, 51);
  g_assert_cmpstr (kl_table_get_cell (table, 49, 1), ==, "Person 50");
  g_assert_cmpstr (kl_message_get_param (kl_assert_message (messages, "header_empty_cells_ignored", 1, NULL),
                                         "count"), ==, "16382");
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpstr (((KlMessage *) g_ptr_array_index (messages, i))->code, !=, "row_width_mismatch");
}

/* Old Mac files and some exports end lines with a lone CR: each is a line. */
static void
test_cr_line_ends (void)
{
  g_autoptr(KlTable) table = read_ok ("id,name\r1,Ann\r\r2,Bob\r", NULL);

  g_assert_cmpuint (table->n_rows, ==, 2);
  g_assert_cmpint (kl_table_get_line (table, 0), ==, 2);
  g_assert_cmpint (kl_table_get_line (table, 1), ==, 4);
  read_fails ("id,name\r1,Ann\r2,Bo\"b\r", -1, "misplaced_quote", 3);
  read_fails ("id,name\r1,Ann\r2,Jos\xE9\r", -1, "invalid_utf8", 3);
}

static void
test_limits (void)
{
  g_autoptr(GString) csv = g_string_new ("id,note\n1,");
  g_autofree char *wide = NULL;

  /* A realistic long cell is read; one past the limit is refused. */
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (csv, 'x');
  {
    g_autoptr(KlTable) table = read_ok (csv->str, NULL);
    g_assert_cmpuint (strlen (kl_table_get_cell (table, 0, 1)), ==, 1024 * 1024);
  }
  g_string_append (csv, "x\n");
  read_fails (csv->str, csv->len, "cell_too_long", 2);

  g_string_assign (csv, "id");
  for (guint i = 1; i <= 16384; i++)
    g_string_append_printf (csv, ",c%u", i);
  g_string_append (csv, "\n1\n");
  read_fails (csv->str, csv->len, "too_many_columns", 1);

  /* Past the limit, more empty header cells are trailing commas, not
   * columns; another name is one column too many. */
  g_string_assign (csv, "id,name");
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (csv, ',');
  g_string_append (csv, "\n1,Ann\n");
  {
    g_autoptr(GPtrArray) messages = kl_messages_new ();
    g_autoptr(KlTable) table = read_ok (csv->str, messages);

    g_assert_cmpuint (table->n_columns, ==, 2);
    g_assert_cmpstr (kl_message_get_param (kl_assert_message (messages, "header_empty_cells_ignored", 1, NULL),
                                           "count"), ==, "20000");
  }
  g_string_truncate (csv, csv->len - strlen ("\n1,Ann\n"));
  g_string_append (csv, "late\n1\n");
  read_fails (csv->str, csv->len, "too_many_columns", 1);

  /* A wide header over many one-cell lines: the padded table is bounded. */
  g_string_assign (csv, "c1");
  for (guint i = 2; i <= 10000; i++)
    g_string_append_printf (csv, ",c%u", i);
  g_string_append_c (csv, '\n');
  for (guint i = 0; i < 3300; i++)
    g_string_append (csv, "x\n");
  read_fails (csv->str, csv->len, "too_many_cells", 3202);

  g_string_assign (csv, "id\n1\n");
  wide = g_strnfill (16 * 1024 * 1024 + 1, ',');
  g_string_append (csv, wide);
  read_fails (csv->str, csv->len, "line_too_long", 3);
}

/* Folding in segments gives what folding the whole text at once gives,
 * across segment ends that fall among combining marks and Hangul jamo. */
static void
test_fold_in_segments (void)
{
  const char *units[] = { "é", "e\xCC\x81", "Å\xCC\xA3\xCC\x81", "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB",
                          "ǅ", "ß", "a\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81", "İ", "Ω\xCD\x85" };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    for (guint repeat = 1; repeat < 400; repeat += 37)
      {
        g_autoptr(GString) text = g_string_new ("Zoë ");
        g_autofree char *normal = NULL;
        g_autofree char *expected = NULL;
        g_autofree char *folded = NULL;

        for (guint i = 0; i < repeat; i++)
          g_string_append (text, units[(u + i % 3) % G_N_ELEMENTS (units)]);
        normal = g_utf8_normalize (text->str, -1, G_NORMALIZE_NFC);
        expected = g_utf8_casefold (normal, -1);
        folded = kl_text_fold (text->str);
        g_assert_cmpstr (folded, ==, expected);
      }
}

static void
test_cut_quoted_values (void)
{
  g_autoptr(KlMessage) message = kl_message_new (KL_SEVERITY_ERROR, "value_not_in_feature");
  g_autofree char *long_value = g_strnfill (1024 * 1024, 'x');
  g_autoptr(GString) accented = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *cut = NULL;

  kl_message_set_param (message, "value", long_value);
  kl_message_set_param (message, "feature_name", "gender");
  kl_message_set_location (message, "pool.csv", 2, 2, long_value, 1);
  text = kl_message_to_located_string (message);
  g_assert_cmpuint (strlen (text), <, 1000);
  g_assert_nonnull (strstr (text, "xxx…"));

  for (guint i = 0; i < 300; i++)
    g_string_append (accented, "é");
  cut = kl_text_cut (accented->str);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (cut, -1), ==, KL_TEXT_MAX_QUOTED + 1);
  g_assert_true (g_str_has_suffix (cut, "é…"));
  g_clear_pointer (&cut, g_free);
  cut = kl_text_cut ("short");
  g_assert_cmpstr (cut, ==, "short");
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
  g_test_add_func ("/table/trailing-empty-header-cells", test_trailing_empty_header_cells);
  g_test_add_func ("/table/cr-line-ends", test_cr_line_ends);
  g_test_add_func ("/table/limits", test_limits);
  g_test_add_func ("/table/fold-in-segments", test_fold_in_segments);
  g_test_add_func ("/table/cut-quoted-values", test_cut_quoted_values);

  return g_test_run ();
}
