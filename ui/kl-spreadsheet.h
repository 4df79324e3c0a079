/* kl-spreadsheet.h — results as an XLSX workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each sheet: a name and its rows (string vectors, header first). */
gboolean kl_spreadsheet_write (const char *path, const char * const *sheet_names,
                               GPtrArray * const *sheets, guint n_sheets, GError **error);

G_END_DECLS
