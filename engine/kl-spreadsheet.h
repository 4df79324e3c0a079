/* kl-spreadsheet.h — tables as an XLSX workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Each sheet: a name and its rows (string vectors, header first). */
GBytes  *kl_spreadsheet_to_bytes (const char * const *sheet_names, GPtrArray * const *sheets,
                                  guint n_sheets, GError **error);

G_END_DECLS
