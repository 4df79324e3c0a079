/* kl-table.c — CSV reading over libcsv
 *
 * libcsv knows nothing of lines, and people fix files in editors that show
 * line numbers, so the reader feeds libcsv one physical line at a time and
 * remembers where each row began. A quoted cell with a newline inside still
 * makes one row, numbered by the line it starts on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <csv.h>

G_DEFINE_BOXED_TYPE (KlTable, kl_table, kl_table_ref, kl_table_unref)

/* Files with more invalid lines than this get one summary line for the rest. */
#define MAX_ENCODING_ERRORS 10

/* Limits that keep a hostile or broken file from taking all memory or time,
 * far above any real pool (100,000 people, 100 features, a few hundred bytes
 * a cell). Documented in kleroterion-cli(1). */
#define KL_TABLE_MAX_CELL_BYTES (1024 * 1024)          /* 1 MiB */
#define KL_TABLE_MAX_LINE_BYTES (16 * 1024 * 1024)     /* 16 MiB */
#define KL_TABLE_MAX_COLUMNS    16384                  /* a spreadsheet's widest row */
#define KL_TABLE_MAX_ROWS       10000000
#define KL_TABLE_MAX_CELLS      32000000               /* rows × columns */

/* libcsv grows a cell's buffer by this much at a time (128 bytes by default,
 * which makes a long cell many reallocations). */
#define CSV_BLOCK_BYTES (64 * 1024)

typedef struct {
  KlTable *table;
  GPtrArray *messages;
  GPtrArray *row;            /* cells of the row being read */
  GPtrArray *cells;          /* all data cells, n_columns per row */
  GArray *lines;             /* first line of each data row */
  gboolean header_done;
  gboolean in_row;
  int line;                  /* line being fed */
  int row_line;              /* line the current row began on */
  int pending_line;          /* first non-blank line fed outside a row */
  int first_width_mismatch;  /* line of the first row of another width */
  guint n_width_mismatches;
  guint n_extra_cells;       /* cells of this row beyond the header, not kept */
  gboolean extra_has_text;   /* … and whether any of them holds something */
  gboolean over_limit;       /* a limit was passed: stop reading */
} Reader;

static void
add_limit_error (Reader     *reader,
                 const char *code,
                 int         line,
                 gint64      limit)
{
  KlMessage *m = kl_messages_add (reader->messages, KL_SEVERITY_ERROR, code);

  kl_message_set_location (m, reader->table->file, line, 0, NULL, -1);
  kl_message_set_param_int (m, "limit", limit);
  reader->over_limit = TRUE;
}

static void
on_cell (void   *data,
         size_t  len,
         void   *user_data)
{
  Reader *reader = user_data;
  gsize stripped_len;
  const char *stripped;

  if (reader->over_limit)
    return;

  if (!reader->in_row)
    {
      reader->in_row = TRUE;
      reader->row_line = reader->pending_line > 0 ? reader->pending_line : reader->line;
      reader->pending_line = 0;
    }

  if (data != NULL && len > KL_TABLE_MAX_CELL_BYTES)
    {
      add_limit_error (reader, "cell_too_long", reader->row_line, KL_TABLE_MAX_CELL_BYTES);
      return;
    }

  stripped = kl_text_strip (data ? data : "", data ? len : 0, &stripped_len);

  /* Past the limit a header may only go on with empty cells (a sheet's
   * width of trailing commas after real columns), which are counted and
   * not kept. */
  if (!reader->header_done && reader->row->len + reader->n_extra_cells >= KL_TABLE_MAX_COLUMNS)
    {
      if (stripped_len > 0)
        add_limit_error (reader, "too_many_columns", reader->row_line, KL_TABLE_MAX_COLUMNS);
      else
        reader->n_extra_cells++;
      return;
    }

  /* Cells beyond the header are not kept: a row of 16,000 trailing commas
   * costs nothing. */
  if (reader->header_done && reader->row->len >= reader->table->n_columns)
    {
      reader->n_extra_cells++;
      reader->extra_has_text |= stripped_len > 0;
      return;
    }

  g_ptr_array_add (reader->row,
                   g_string_chunk_insert_len (reader->table->chunk, stripped, stripped_len));
}

/* Spreadsheets export a header as wide as the widest row they ever held,
 * with empty cells on the right; those are not columns. */
static void
set_header (Reader *reader)
{
  KlTable *table = reader->table;
  guint width = reader->row->len;
  guint n_empty;

  while (width > 0 && *(const char *) g_ptr_array_index (reader->row, width - 1) == '\0')
    width--;
  n_empty = reader->row->len - width + reader->n_extra_cells;
  reader->n_extra_cells = 0;

  /* A header of nothing but empty cells has no columns: the readers then
   * say which columns they miss. */
  if (n_empty > 0 && width > 0)
    {
      KlMessage *m = kl_messages_add (reader->messages, KL_SEVERITY_WARNING, "header_empty_cells_ignored");

      kl_message_set_location (m, table->file, reader->row_line, 0, NULL, -1);
      kl_message_set_param_int (m, "count", n_empty);
    }

  table->n_columns = width;
  table->header = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < width; i++)
    table->header[i] = g_strdup (g_ptr_array_index (reader->row, i));
}

static void
on_row_end (int   terminator,
            void *user_data)
{
  Reader *reader = user_data;
  KlTable *table = reader->table;
  gboolean other_width;

  reader->in_row = FALSE;
  if (reader->over_limit)
    return;

  if (!reader->header_done)
    {
      set_header (reader);
      reader->header_done = TRUE;
      g_ptr_array_set_size (reader->row, 0);
      return;
    }

  if (reader->lines->len >= KL_TABLE_MAX_ROWS)
    {
      add_limit_error (reader, "too_many_rows", reader->row_line, KL_TABLE_MAX_ROWS);
      return;
    }
  /* Short rows are padded to the header's width, so the width times the
   * rows is what the table costs: bounded too, or a wide header over many
   * one-cell lines would take gigabytes. */
  if ((guint64) (reader->lines->len + 1) * table->n_columns > KL_TABLE_MAX_CELLS)
    {
      add_limit_error (reader, "too_many_cells", reader->row_line, KL_TABLE_MAX_CELLS);
      return;
    }

  /* Extra cells that are all empty are the same trailing commas as in the
   * header, not a sign of a shifted row. */
  other_width = reader->row->len < table->n_columns || reader->extra_has_text;
  reader->n_extra_cells = 0;
  reader->extra_has_text = FALSE;
  if (other_width)
    {
      if (reader->n_width_mismatches++ == 0)
        reader->first_width_mismatch = reader->row_line;
    }

  for (guint i = 0; i < table->n_columns; i++)
    g_ptr_array_add (reader->cells,
                     i < reader->row->len ? g_ptr_array_index (reader->row, i) : (gpointer) "");

  g_array_append_val (reader->lines, reader->row_line);
  g_ptr_array_set_size (reader->row, 0);
}

/* The end of the physical line at @p, just after its "\n", "\r\n" or a
 * lone "\r" (old Mac files, some exports): what an editor counts as a line. */
static const char *
next_line_end (const char *p,
               const char *end)
{
  for (; p < end; p++)
    {
      if (*p == '\n')
        return p + 1;
      if (*p == '\r')
        return (p + 1 < end && p[1] == '\n') ? p + 2 : p + 1;
    }
  return end;
}

static gboolean
line_is_blank (const char *p,
               const char *end,
               char        delimiter)
{
  for (; p < end; p++)
    if (!(*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') || *p == delimiter)
      return FALSE;
  return TRUE;
}

/* Spreadsheets in many European locales save "CSV" with semicolons, and some
 * tools with tabs. The header decides: commas win if there are any. */
static char
detect_delimiter (const char *data,
                  const char *end)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (const char *p = data; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '\n')
        {
          if (commas + semicolons + tabs > 0)
            break;
        }
      else if (*p == ',')
        commas++;
      else if (*p == ';')
        semicolons++;
      else if (*p == '\t')
        tabs++;
    }

  if (commas > 0 || (semicolons == 0 && tabs == 0))
    return ',';
  return semicolons >= tabs ? ';' : '\t';
}

static KlMessage *
add_file_message (GPtrArray  *messages,
                  KlSeverity  severity,
                  const char *code,
                  const char *file,
                  int         line)
{
  KlMessage *message = kl_messages_add (messages, severity, code);

  kl_message_set_location (message, file, line, 0, NULL, -1);
  return message;
}

/* Every line that is not UTF-8 is named, so a person can find the one
 * accented name that a spreadsheet saved in another encoding. */
static gboolean
check_encoding (const char *data,
                gsize       length,
                const char *name,
                GPtrArray  *messages)
{
  const char *p = data;
  const char *end = data + length;
  guint n_bad = 0;
  int line = 1;
  int first_extra = 0;

  if (length >= 2 && ((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE))
    goto utf16;
  if (length >= 2 && ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF))
    goto utf16;

  while (p < end)
    {
      const char *next = next_line_end (p, end);
      const char *line_end = next;
      const char *bad;

      while (line_end > p && (line_end[-1] == '\n' || line_end[-1] == '\r'))
        line_end--;

      if (memchr (p, '\0', line_end - p) != NULL)
        {
          add_file_message (messages, KL_SEVERITY_ERROR, "file_not_text", name, line);
          return FALSE;
        }

      if (!g_utf8_validate (p, line_end - p, &bad))
        {
          if (n_bad < MAX_ENCODING_ERRORS)
            {
              KlMessage *m = add_file_message (messages, KL_SEVERITY_ERROR,
                                               "invalid_utf8", name, line);
              kl_message_set_param_int (m, "byte", (bad - p) + 1);
            }
          else if (first_extra == 0)
            first_extra = line;
          n_bad++;
        }

      p = next;
      line++;
    }

  if (n_bad > MAX_ENCODING_ERRORS)
    {
      KlMessage *m = add_file_message (messages, KL_SEVERITY_ERROR,
                                       "invalid_utf8_more", name, first_extra);
      kl_message_set_param_int (m, "count", n_bad - MAX_ENCODING_ERRORS);
    }

  return n_bad == 0;

utf16:
  add_file_message (messages, KL_SEVERITY_ERROR, "file_is_utf16", name, 1);
  return FALSE;
}

KlTable *
kl_table_read_data (const char  *data,
                    gssize       length,
                    const char  *name,
                    GPtrArray   *messages,
                    GError     **error)
{
  g_autoptr(GPtrArray) local_messages = NULL;
  g_autoptr(KlTable) table = NULL;
  struct csv_parser parser;
  Reader reader = { 0 };
  const char *p, *end;
  guint first_message;
  gboolean parse_failed = FALSE;
  g_autofree char *sha256 = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (messages == NULL)
    messages = local_messages = kl_messages_new ();
  first_message = messages->len;

  if (length < 0)
    length = strlen (data);

  /* Of the exact bytes, before anything is stripped: an audit record names
   * this, and anyone can recompute it from the file. */
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);

  /* A UTF-8 byte-order mark would otherwise stick to the first header. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  table = g_new0 (KlTable, 1);
  g_atomic_ref_count_init (&table->ref_count);
  table->file = g_strdup (name);
  table->sha256 = g_steal_pointer (&sha256);
  table->chunk = g_string_chunk_new (64 * 1024);

  if (!check_encoding (data, length, name, messages))
    goto failed;

  end = data + length;
  table->delimiter = detect_delimiter (data, end);
  if (table->delimiter != ',')
    {
      KlMessage *m = add_file_message (messages, KL_SEVERITY_INFO,
                                       table->delimiter == ';' ? "semicolon_separated" : "tab_separated",
                                       name, 0);
      (void) m;
    }

  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
    g_error ("Out of memory");
  csv_set_delim (&parser, (unsigned char) table->delimiter);
  csv_set_blk_size (&parser, CSV_BLOCK_BYTES);

  reader.table = table;
  reader.messages = messages;
  reader.row = g_ptr_array_new ();
  reader.cells = g_ptr_array_new ();
  reader.lines = g_array_new (FALSE, FALSE, sizeof (guint));

  p = data;
  reader.line = 0;
  while (p < end)
    {
      const char *line_end = next_line_end (p, end);
      size_t fed;

      reader.line++;
      if (line_end - p > KL_TABLE_MAX_LINE_BYTES)
        {
          add_limit_error (&reader, "line_too_long", reader.line, KL_TABLE_MAX_LINE_BYTES);
          parse_failed = TRUE;
          break;
        }
      if (!reader.in_row && reader.pending_line == 0 && !line_is_blank (p, line_end, table->delimiter))
        reader.pending_line = reader.line;

      fed = csv_parse (&parser, p, line_end - p, on_cell, on_row_end, &reader);
      if (fed != (size_t) (line_end - p))
        {
          add_file_message (messages, KL_SEVERITY_ERROR,
                            csv_error (&parser) == CSV_EPARSE ? "misplaced_quote" : "csv_internal",
                            name, reader.line);
          parse_failed = TRUE;
          break;
        }
      if (reader.over_limit)
        {
          parse_failed = TRUE;
          break;
        }
      p = line_end;
    }

  if (!parse_failed && csv_fini (&parser, on_cell, on_row_end, &reader) != 0)
    {
      add_file_message (messages, KL_SEVERITY_ERROR, "unterminated_quote", name,
                        reader.row_line > 0 ? reader.row_line : reader.line);
      parse_failed = TRUE;
    }
  if (reader.over_limit)
    parse_failed = TRUE;

  csv_free (&parser);

  table->n_rows = reader.lines->len;
  table->lines = (guint *) g_array_free (reader.lines, FALSE);
  table->cells = (const char **) g_ptr_array_free (reader.cells, FALSE);
  g_ptr_array_unref (reader.row);

  if (parse_failed)
    goto failed;

  if (!reader.header_done)
    {
      add_file_message (messages, KL_SEVERITY_ERROR, "file_empty", name, 0);
      goto failed;
    }

  if (reader.n_width_mismatches > 0)
    {
      KlMessage *m = add_file_message (messages, KL_SEVERITY_WARNING, "row_width_mismatch",
                                       name, reader.first_width_mismatch);
      kl_message_set_param_int (m, "count", reader.n_width_mismatches);
      kl_message_set_param_int (m, "columns", table->n_columns);
    }

  return g_steal_pointer (&table);

failed:
  kl_messages_fail (messages, first_message, KL_ERROR, KL_ERROR_FILE, error);
  return NULL;
}

KlTable *
kl_table_read_file (const char  *path,
                    GPtrArray   *messages,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  contents = kl_text_read_file (path, "file_not_found", &length, messages, error);
  if (contents == NULL)
    return NULL;
  return kl_table_read_data (contents, length, path, messages, error);
}

KlTable *
kl_table_ref (KlTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
kl_table_unref (KlTable *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->file);
  g_strfreev (self->header);
  g_free (self->cells);
  g_free (self->lines);
  g_string_chunk_free (self->chunk);
  g_free (self->sha256);
  g_free (self);
}

/* SHA-256 of the bytes the table was read from, as lowercase hex. */
const char *
kl_table_get_sha256 (const KlTable *self)
{
  return self->sha256;
}

const char *
kl_table_get_cell (const KlTable *self,
                   guint          row,
                   guint          column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->cells[(gsize) row * self->n_columns + column];
}

const char * const *
kl_table_get_row (const KlTable *self,
                  guint          row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  return &self->cells[(gsize) row * self->n_columns];
}

int
kl_table_get_line (const KlTable *self,
                   guint          row)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  return self->lines[row];
}

/* Column names match case-insensitively, as organisers type "Gender" in one
 * file and "gender" in the other. Returns the first index, or -1. */
int
kl_table_find_column (const KlTable *self,
                      const char    *name,
                      guint         *n_found)
{
  g_autofree char *folded = kl_text_fold (name);
  int found = -1;
  guint n = 0;

  for (guint i = 0; i < self->n_columns; i++)
    {
      g_autofree char *header = kl_text_fold (self->header[i]);

      if (g_str_equal (header, folded))
        {
          if (found < 0)
            found = i;
          n++;
        }
    }

  if (n_found)
    *n_found = n;
  return found;
}
