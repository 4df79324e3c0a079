/* kl-table.h — a CSV file read into memory, every row knowing its line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KlTable KlTable;

/**
 * KlTable:
 * @file: the name used in messages (the path as the user gave it)
 * @n_columns: number of header cells
 * @header: the header cells, trimmed
 * @n_rows: number of data rows (blank lines are not rows)
 * @delimiter: the cell separator the file uses
 *
 * Cells are trimmed of Unicode white space. Short rows are padded with empty
 * cells; cells beyond the header are dropped (and a warning says so).
 */
struct _KlTable {
  char *file;
  guint n_columns;
  char **header;
  guint n_rows;
  char delimiter;

  /*< private >*/
  gatomicrefcount ref_count;
  const char **cells;
  guint *lines;
  GStringChunk *chunk;
  char *sha256;
};

GType       kl_table_get_type    (void) G_GNUC_CONST;
KlTable    *kl_table_read_file   (const char *path, GPtrArray *messages,
                                  GError **error);
KlTable    *kl_table_read_data   (const char *data, gssize length,
                                  const char *name, GPtrArray *messages,
                                  GError **error);
KlTable    *kl_table_ref         (KlTable *table);
void        kl_table_unref       (KlTable *table);
const char *kl_table_get_sha256  (const KlTable *table);
const char *kl_table_get_cell    (const KlTable *table, guint row, guint column);
const char * const *kl_table_get_row (const KlTable *table, guint row);
int         kl_table_get_line    (const KlTable *table, guint row);
int         kl_table_find_column (const KlTable *table, const char *name,
                                  guint *n_found);

/* Spreadsheet row numbers: the header is row 1, data row 0 is row 2. */
#define KL_TABLE_ROW_NUMBER(i) ((int) (i) + 2)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlTable, kl_table_unref)

G_END_DECLS
