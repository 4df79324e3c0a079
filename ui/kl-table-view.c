/* kl-table-view.c
 *
 * A column view needs a list model and a factory per column. The rows
 * here are plain indices (a GtkStringList of "0", "1", …, cheap even for
 * 10,000 rows, and only visible rows get widgets), and each column's
 * factory asks a cell function for the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "kl-table-view.h"

typedef struct {
  KlCellFunc cell;
  gpointer data;
  GDestroyNotify destroy;
  GHashTable *marked_rows;   /* row index + 1 → anything: highlighted */
  GtkStringList *rows;       /* (unowned) the view's rows */
  int focus_row;             /* the cell a problem points at, or -1 */
  int focus_column;
  GtkWidget *focus_label;    /* (weak) its label, once bound */
  grefcount ref_count;
} Source;

typedef struct {
  Source *source;
  guint column;
} Column;

static Source *
source_ref (Source *source)
{
  g_ref_count_inc (&source->ref_count);
  return source;
}

static void
source_unref (gpointer data)
{
  Source *source = data;

  if (!g_ref_count_dec (&source->ref_count))
    return;
  if (source->destroy)
    source->destroy (source->data);
  g_clear_weak_pointer (&source->focus_label);
  g_clear_pointer (&source->marked_rows, g_hash_table_unref);
  g_free (source);
}

static void
column_free (gpointer data)
{
  Column *column = data;

  source_unref (column->source);
  g_free (column);
}

/* The full text of a truncated cell, asked for only when hovered: setting
 * a tooltip on every cell up front made showing a table take a second. */
static gboolean
on_query_tooltip (GtkWidget  *label,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  guint header_length = GPOINTER_TO_UINT (user_data);

  /* Wide enough to read without hovering; the view scrolls sideways
   * rather than squeezing every column to an ellipsis. */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), CLAMP (header_length + 2, 8, 16));
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_list_item_set_child (item, label);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  Column *column = user_data;
  GtkWidget *label = gtk_list_item_get_child (item);
  GtkStringObject *index = gtk_list_item_get_item (item);
  guint row = (guint) strtoul (gtk_string_object_get_string (index), NULL, 10);
  const char *text = column->source->cell (column->source->data, row, column->column);

  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  if (column->source->marked_rows != NULL &&
      g_hash_table_contains (column->source->marked_rows, GUINT_TO_POINTER (row + 1)))
    gtk_widget_add_css_class (label, "problem-cell");
  else
    gtk_widget_remove_css_class (label, "problem-cell");

  if ((int) row == column->source->focus_row && (int) column->column == column->source->focus_column)
    {
      gtk_widget_add_css_class (label, "focused-cell");
      g_set_weak_pointer (&column->source->focus_label, label);
    }
  else
    {
      gtk_widget_remove_css_class (label, "focused-cell");
      if (column->source->focus_label == label)
        g_clear_weak_pointer (&column->source->focus_label);
    }
}

static gboolean
set_pending_model (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (widget);
  GtkSelectionModel *pending;

  if (gtk_widget_get_height (widget) <= 0)
    return G_SOURCE_CONTINUE;

  g_object_set_data (G_OBJECT (view), "tick", NULL);
  pending = g_object_steal_data (G_OBJECT (view), "pending-model");
  if (pending != NULL)
    {
      gtk_column_view_set_model (view, pending);
      g_object_unref (pending);
    }
  return G_SOURCE_REMOVE;
}

/* GTK 4.8 builds a widget for every row of a model given to a column view
 * that has no size yet (it cannot tell how many rows are visible). Until
 * the view has been given its size, the model waits. */
static void
wait_for_size (GtkColumnView *view)
{
  /* A tick callback keeps the frame clock running until the view has its
   * size; it needs the clock of a realized, mapped widget to do that. */
  if (g_object_get_data (G_OBJECT (view), "tick") == NULL)
    {
      guint id = gtk_widget_add_tick_callback (GTK_WIDGET (view), set_pending_model, NULL, NULL);
      g_object_set_data (G_OBJECT (view), "tick", GUINT_TO_POINTER (id));
    }
}

static void
on_map (GtkColumnView *view)
{
  if (g_object_get_data (G_OBJECT (view), "pending-model") != NULL)
    wait_for_size (view);
}

/* GTK 4.8 builds a widget for every row of a model given to a column view
 * that has no size yet (it cannot tell how many rows are visible). Until
 * the view has been given its size, the model waits. */
static void
set_model_when_sized (GtkColumnView     *view,
                      GtkSelectionModel *model)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (view)) && gtk_widget_get_height (GTK_WIDGET (view)) > 0)
    {
      g_object_set_data (G_OBJECT (view), "pending-model", NULL);
      gtk_column_view_set_model (view, model);
      return;
    }

  g_object_set_data_full (G_OBJECT (view), "pending-model", g_object_ref (model), g_object_unref);
  if (g_object_get_data (G_OBJECT (view), "waits-for-map") == NULL)
    {
      g_signal_connect (view, "map", G_CALLBACK (on_map), NULL);
      g_object_set_data (G_OBJECT (view), "waits-for-map", GINT_TO_POINTER (TRUE));
    }
  if (gtk_widget_get_mapped (GTK_WIDGET (view)))
    wait_for_size (view);
}

/**
 * kl_table_view_set:
 * @marked_rows: (nullable): rows to highlight, as index + 1 keys
 *
 * Replaces the view's columns and rows.
 */
void
kl_table_view_set (GtkColumnView      *view,
                   const char * const *headers,
                   guint               n_rows,
                   KlCellFunc          cell,
                   gpointer            data,
                   GDestroyNotify      destroy,
                   GHashTable         *marked_rows)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  g_autoptr(GtkSelectionModel) selection = NULL;
  GtkSingleSelection *single;
  Source *source = g_new0 (Source, 1);

  g_ref_count_init (&source->ref_count);
  source->cell = cell;
  source->data = data;
  source->destroy = destroy;
  source->marked_rows = marked_rows ? g_hash_table_ref (marked_rows) : NULL;
  source->rows = rows;
  source->focus_row = -1;
  source->focus_column = -1;

  /* The old rows must go before new columns bind cells against new data. */
  gtk_column_view_set_model (view, NULL);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) old = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (view, old);
    }

  for (guint c = 0; headers[c] != NULL; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      Column *column = g_new0 (Column, 1);
      g_autoptr(GtkColumnViewColumn) view_column = NULL;

      column->source = source_ref (source);
      column->column = c;
      g_signal_connect (factory, "setup", G_CALLBACK (on_setup), GUINT_TO_POINTER (g_utf8_strlen (headers[c], -1)));
      g_signal_connect_data (factory, "bind", G_CALLBACK (on_bind), column,
                             (GClosureNotify) (void (*) (void)) column_free, 0);
      view_column = gtk_column_view_column_new (headers[c], factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_append_column (view, view_column);
    }
  /* The columns keep the source alive as long as the view shows it. */
  g_object_set_data (G_OBJECT (view), "kl-source", source);
  source_unref (source);

  for (guint r = 0; r < n_rows; r++)
    {
      char index[16];
      g_snprintf (index, sizeof index, "%u", r);
      gtk_string_list_append (rows, index);
    }
  single = gtk_single_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  gtk_single_selection_set_autoselect (single, FALSE);
  gtk_single_selection_set_can_unselect (single, TRUE);
  gtk_single_selection_set_selected (single, GTK_INVALID_LIST_POSITION);
  selection = GTK_SELECTION_MODEL (single);
  set_model_when_sized (view, selection);
}

static const char *
row_cell (gpointer data,
          guint    row,
          guint    column)
{
  GPtrArray *rows = data;
  char **cells = g_ptr_array_index (rows, row + 1);

  return column < g_strv_length (cells) ? cells[column] : "";
}

/* Rows as the engine's output tables give them: the first is the header. */
void
kl_table_view_set_rows (GtkColumnView *view,
                        GPtrArray     *rows)
{
  kl_table_view_set (view, (const char * const *) g_ptr_array_index (rows, 0), rows->len - 1,
                     row_cell, g_ptr_array_ref (rows), (GDestroyNotify) g_ptr_array_unref, NULL);
}

guint
kl_table_view_get_n_rows (GtkColumnView *view)
{
  GtkSelectionModel *model = g_object_get_data (G_OBJECT (view), "pending-model");

  if (model == NULL)
    model = gtk_column_view_get_model (view);

  return model ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

/* Scrolls so that the focused cell's label is in view: first the rows (an
 * estimate from the row height), then, once that row is bound, exactly. */
static gboolean
scroll_to_focus (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  Source *source = g_object_get_data (G_OBJECT (widget), "kl-source");
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (widget));
  GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  guint *frames = user_data;
  graphene_rect_t bounds;

  /* The rows may still wait for the view's size (see wait_for_size). */
  if (source == NULL || ++*frames > 600)
    return G_SOURCE_REMOVE;
  if (gtk_column_view_get_model (GTK_COLUMN_VIEW (widget)) == NULL)
    return G_SOURCE_CONTINUE;

  if (source->focus_label == NULL || !gtk_widget_get_mapped (source->focus_label) ||
      !gtk_widget_compute_bounds (source->focus_label, widget, &bounds))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (source->rows));
      double row_height = n > 0 ? gtk_adjustment_get_upper (v) / n : 0;
      double target = row_height * source->focus_row - gtk_adjustment_get_page_size (v) / 2;

      gtk_adjustment_set_value (v, MAX (target, 0));
      return G_SOURCE_CONTINUE;
    }

  /* Bounds are in the view's coordinates: the visible area starts at 0. */
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (widget))
    gtk_adjustment_set_value (h, gtk_adjustment_get_value (h) + bounds.origin.x - 24);
  if (bounds.origin.y < 40 || bounds.origin.y + bounds.size.height > gtk_widget_get_height (widget))
    gtk_adjustment_set_value (v, gtk_adjustment_get_value (v) + bounds.origin.y - gtk_widget_get_height (widget) / 2.0);
  gtk_widget_grab_focus (widget);
  return G_SOURCE_REMOVE;
}

/**
 * kl_table_view_focus_cell:
 *
 * Selects @row, marks the cell at @row and @column and scrolls both ways
 * until it is in view: where a problem is, the person sees it.
 */
void
kl_table_view_focus_cell (GtkColumnView *view,
                          guint          row,
                          guint          column)
{
  Source *source = g_object_get_data (G_OBJECT (view), "kl-source");
  GtkSelectionModel *model = g_object_get_data (G_OBJECT (view), "pending-model");
  int previous;
  char index[16];

  if (model == NULL)
    model = gtk_column_view_get_model (view);
  if (source == NULL || model == NULL || row >= g_list_model_get_n_items (G_LIST_MODEL (source->rows)))
    return;

  previous = source->focus_row;
  source->focus_row = row;
  source->focus_column = column;

  /* Rows are bound again only when they change: replace the two rows
   * whose look changes with themselves. */
  if (previous >= 0 && previous != (int) row)
    {
      g_snprintf (index, sizeof index, "%d", previous);
      gtk_string_list_splice (source->rows, previous, 1, (const char * const []) { index, NULL });
    }
  g_snprintf (index, sizeof index, "%u", row);
  gtk_string_list_splice (source->rows, row, 1, (const char * const []) { index, NULL });

  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), row);
  gtk_widget_add_tick_callback (GTK_WIDGET (view), scroll_to_focus, g_new0 (guint, 1), g_free);
}

/* The focused cell as (row, column), or FALSE if none. */
gboolean
kl_table_view_get_focus_cell (GtkColumnView *view,
                              guint         *row,
                              guint         *column,
                              gboolean      *visible)
{
  Source *source = g_object_get_data (G_OBJECT (view), "kl-source");
  graphene_rect_t bounds;

  if (source == NULL || source->focus_row < 0)
    return FALSE;
  *row = source->focus_row;
  *column = source->focus_column;
  *visible = source->focus_label != NULL && gtk_widget_get_mapped (source->focus_label) &&
             gtk_widget_compute_bounds (source->focus_label, GTK_WIDGET (view), &bounds) &&
             bounds.origin.x >= 0 && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (GTK_WIDGET (view)) &&
             bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (view));
  return TRUE;
}
