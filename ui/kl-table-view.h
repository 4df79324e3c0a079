/* kl-table-view.h — show rows of text in a GtkColumnView
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Cell text of a row; the returned string belongs to the data. */
typedef const char *(*KlCellFunc) (gpointer data, guint row, guint column);

void  kl_table_view_set (GtkColumnView *view, const char * const *headers,
                         guint n_rows, KlCellFunc cell, gpointer data,
                         GDestroyNotify destroy, GHashTable *marked_rows);
void  kl_table_view_set_rows (GtkColumnView *view, GPtrArray *rows);
guint kl_table_view_get_n_rows (GtkColumnView *view);
gboolean kl_table_view_is_settled (GtkColumnView *view);
void  kl_table_view_focus_cell (GtkColumnView *view, guint row, guint column);
gboolean kl_table_view_get_focus_cell (GtkColumnView *view, guint *row, guint *column,
                                       gboolean *visible);

G_END_DECLS
