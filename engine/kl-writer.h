/* kl-writer.h — CSV text and atomic, input-safe file writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

void     kl_csv_append_row    (GString *out, const char * const *cells, guint n_cells);
char    *kl_csv_from_rows     (GPtrArray *rows);
gboolean kl_file_check_writable (const char *path, const char * const *inputs, GError **error);
gboolean kl_file_write_atomic (const char *path, const char *contents, gsize length,
                               const char * const *inputs, GError **error);
gboolean kl_csv_write_rows    (const char *path, GPtrArray *rows,
                               const char * const *inputs, GError **error);

G_END_DECLS
