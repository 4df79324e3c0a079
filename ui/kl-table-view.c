/* kl-table-view.c
 *
 * A column view needs a list model and a factory per column. The rows
 * here are plain indices: a model of n rows whose items ("0", "1", …) are
 * made only when a row with widgets asks for one, and each column's
 * factory asks the view's current data for the text. The model is lazy,
 * so a view holds every row of its data, a 100,000-person pool included.
 *
 * What costs time in GTK 4.8's column view is its cells, not its rows:
 * it keeps widgets for some 200 rows around the scroll position, seen or
 * not (GtkListView's GTK_LIST_VIEW_MAX_LIST_ITEMS), a cell per column in
 * each, and a frame that makes them all held the main loop for 0.1 s with
 * 13 columns and 0.3 s with 41 (bench-ui). So a cell is one
 * GtkInscription, which is not measured by its text, and the columns come
 * a few a frame, so that no frame makes more than CELLS_PER_FRAME cells;
 * when the columns change, or the number of rows with widgets does, the
 * old columns go the same way first. Rows without cells cost little
 * (they come all at once), and a scroll to anywhere in 100,000 rows only
 * rebinds the cells there are (bench-ui: under 20 ms a frame).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "kl-table-view.h"

/* A frame makes at most this many cells: one column of the rows that
 * have widgets, or a few of a short table. Measured in bench-ui, a frame
 * that adds a column of 200 rows takes some 14 ms of the main thread (the
 * cells made, laid out and painted), growing with the columns already
 * there (all of them are laid out again): 17 ms at the 41st column on a
 * quiet machine, 30 ms on a busy one, and some 45 ms at the 80th. */
#define CELLS_PER_FRAME 300

/* A column is as wide as the longest of its header and a few times
 * SAMPLE_ROWS cells, up to MAX_COLUMN_CHARS. */
#define SAMPLE_ROWS 200
#define MAX_COLUMN_CHARS 28

/* The rows GTK 4.8's list view keeps widgets for, at most (200 around
 * the scroll position and a few more above and below). */
#define ROWS_WITH_WIDGETS 204

/* ---- n rows, each item made when asked for --------------------------------------- */

#define KL_TYPE_ROW_LIST (kl_row_list_get_type ())
G_DECLARE_FINAL_TYPE (KlRowList, kl_row_list, KL, ROW_LIST, GObject)

struct _KlRowList {
  GObject parent_instance;
  guint n_rows;
};

static GType
kl_row_list_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
kl_row_list_get_n_items (GListModel *model)
{
  return KL_ROW_LIST (model)->n_rows;
}

static gpointer
kl_row_list_get_item (GListModel *model,
                      guint       position)
{
  char index[16];

  if (position >= KL_ROW_LIST (model)->n_rows)
    return NULL;
  g_snprintf (index, sizeof index, "%u", position);
  return gtk_string_object_new (index);
}

static void
kl_row_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kl_row_list_get_item_type;
  iface->get_n_items = kl_row_list_get_n_items;
  iface->get_item = kl_row_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (KlRowList, kl_row_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, kl_row_list_model_init))

static void
kl_row_list_class_init (KlRowListClass *klass)
{
}

static void
kl_row_list_init (KlRowList *self)
{
}

static void
kl_row_list_set_n_rows (KlRowList *self,
                        guint      n_rows)
{
  guint before = self->n_rows;

  self->n_rows = n_rows;
  if (n_rows > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, n_rows - before);
  else if (n_rows < before)
    g_list_model_items_changed (G_LIST_MODEL (self), n_rows, before - n_rows, 0);
}

/* ---- what a view shows ------------------------------------------------------------ */

typedef struct {
  char **headers;
  guint n_columns;
  guint n_rows;
  KlCellFunc cell;
  gpointer data;
  GDestroyNotify destroy;
  GHashTable *marked_rows;   /* row index + 1 → anything: highlighted */
} Source;

static void
source_free (Source *source)
{
  if (source->destroy)
    source->destroy (source->data);
  g_strfreev (source->headers);
  g_clear_pointer (&source->marked_rows, g_hash_table_unref);
  g_free (source);
}

typedef struct {
  GtkColumnView *view;        /* (unowned) the state lives as long as the view */
  KlRowList *rows;
  GtkSingleSelection *selection;
  Source *source;             /* what the rows show */
  Source *next;               /* new data, waiting for the old columns to go */
  GHashTable *bound;          /* cell → its row and column, packed */
  int focus_row;              /* the cell a problem points at, or -1 */
  int focus_column;
  guint step_id;
  guint tick_id;
  guint scroll_id;
  guint scroll_frames;
  gboolean attached;          /* the view has the model */
} State;

static void
state_free (State *state)
{
  g_clear_pointer (&state->source, source_free);
  g_clear_pointer (&state->next, source_free);
  g_clear_pointer (&state->bound, g_hash_table_unref);
  g_clear_object (&state->selection);
  g_clear_object (&state->rows);
  g_free (state);
}

typedef struct {
  State *state;
  guint column;
} Column;

#define PACK(row, column) GUINT_TO_POINTER (((row) << 10) | ((column) & 0x3ff))
#define PACKED_ROW(packed) (GPOINTER_TO_UINT (packed) >> 10)
#define PACKED_COLUMN(packed) (GPOINTER_TO_UINT (packed) & 0x3ff)

/* The full text of a truncated cell, asked for only when hovered: setting
 * a tooltip on every cell up front made showing a table take a second. */
static gboolean
on_query_tooltip (GtkWidget  *cell,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));

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
  GtkWidget *cell = gtk_inscription_new (NULL);
  guint chars = GPOINTER_TO_UINT (user_data);

  /* Wide enough to read without hovering; the view scrolls sideways
   * rather than squeezing every column to an ellipsis. */
  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), chars);
  gtk_widget_set_has_tooltip (cell, TRUE);
  g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_list_item_set_child (item, cell);
}

static void
show_cell (State     *state,
           GtkWidget *cell,
           guint      row,
           guint      column)
{
  Source *source = state->source;
  const char *text = source != NULL && row < source->n_rows && column < source->n_columns
                     ? source->cell (source->data, row, column) : NULL;

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text ? text : "");
  if (source != NULL && source->marked_rows != NULL &&
      g_hash_table_contains (source->marked_rows, GUINT_TO_POINTER (row + 1)))
    gtk_widget_add_css_class (cell, "problem-cell");
  else
    gtk_widget_remove_css_class (cell, "problem-cell");

  if ((int) row == state->focus_row && (int) column == state->focus_column)
    gtk_widget_add_css_class (cell, "focused-cell");
  else
    gtk_widget_remove_css_class (cell, "focused-cell");
}

static guint
item_row (GtkListItem *item)
{
  GtkStringObject *index = gtk_list_item_get_item (item);

  return (guint) strtoul (gtk_string_object_get_string (index), NULL, 10);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  Column *column = user_data;
  GtkWidget *cell = gtk_list_item_get_child (item);
  guint row = item_row (item);

  g_hash_table_insert (column->state->bound, cell, PACK (row, column->column));
  show_cell (column->state, cell, row, column->column);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column *column = user_data;

  g_hash_table_remove (column->state->bound, gtk_list_item_get_child (item));
}

/* The cells on screen show the current data again. */
static void
refresh_bound (State *state)
{
  GHashTableIter iter;
  gpointer cell, packed;

  g_hash_table_iter_init (&iter, state->bound);
  while (g_hash_table_iter_next (&iter, &cell, &packed))
    show_cell (state, cell, PACKED_ROW (packed), PACKED_COLUMN (packed));
}

static gboolean
same_headers (const Source *a,
              const Source *b)
{
  return a != NULL && b != NULL && g_strv_equal ((const char * const *) a->headers,
                                                 (const char * const *) b->headers);
}

static guint
n_view_columns (State *state)
{
  return g_list_model_get_n_items (gtk_column_view_get_columns (state->view));
}

/* How many columns a frame may add or take away: each has a cell in
 * every row with widgets. */
static guint
columns_per_frame (State *state)
{
  guint rows = MIN (state->rows->n_rows, ROWS_WITH_WIDGETS);

  return MAX (1, CELLS_PER_FRAME / MAX (rows, 1));
}

static guint
cell_chars (const Source *source,
            guint         row,
            guint         column)
{
  const char *text = source->cell (source->data, row, column);

  return text ? g_utf8_strlen (text, -1) : 0;
}

/* A column's width in characters, from its header and a sample of its
 * cells (the first rows, some spread over the rest, and the highlighted
 * ones, whose bad value must show whole): wide enough to read most of
 * them, at most MAX_COLUMN_CHARS; the width is fixed so that no cell is
 * measured by its text. */
static guint
column_chars (const Source *source,
              guint         column)
{
  guint chars = g_utf8_strlen (source->headers[column], -1);
  guint stride = MAX (1, source->n_rows / SAMPLE_ROWS);

  for (guint row = 0; row < MIN (source->n_rows, SAMPLE_ROWS); row++)
    chars = MAX (chars, cell_chars (source, row, column));
  for (guint row = SAMPLE_ROWS; row < source->n_rows; row += stride)
    chars = MAX (chars, cell_chars (source, row, column));
  if (source->marked_rows != NULL)
    {
      GHashTableIter iter;
      gpointer key;
      guint n = 0;

      g_hash_table_iter_init (&iter, source->marked_rows);
      while (n++ < SAMPLE_ROWS && g_hash_table_iter_next (&iter, &key, NULL))
        if (GPOINTER_TO_UINT (key) - 1 < source->n_rows)
          chars = MAX (chars, cell_chars (source, GPOINTER_TO_UINT (key) - 1, column));
    }
  return CLAMP (chars + 1, 4, MAX_COLUMN_CHARS);
}

static void
append_column (State *state,
               guint  c)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Column *column = g_new0 (Column, 1);
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  column->state = state;
  column->column = c;
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), GUINT_TO_POINTER (column_chars (state->source, c)));
  g_signal_connect_data (factory, "bind", G_CALLBACK (on_bind), column,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), column);
  view_column = gtk_column_view_column_new (state->source->headers[c], factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (state->view, view_column);
}

static void
remove_last_column (State *state)
{
  GListModel *columns = gtk_column_view_get_columns (state->view);
  g_autoptr(GtkColumnViewColumn) last = g_list_model_get_item (columns, g_list_model_get_n_items (columns) - 1);

  gtk_column_view_remove_column (state->view, last);
}

/* One frame's share of the way to what the view is to show: old columns
 * go, the rows change, new columns come. */
static gboolean
step (GtkWidget     *widget,
      GdkFrameClock *clock,
      gpointer       data)
{
  State *state = data;
  guint n_columns = n_view_columns (state);

  if (!state->attached)
    {
      state->step_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (state->next != NULL)
    {
      if (n_columns > 0)
        {
          for (guint i = columns_per_frame (state); i > 0 && n_columns > 0; i--, n_columns--)
            remove_last_column (state);
          return G_SOURCE_CONTINUE;
        }
      g_clear_pointer (&state->source, source_free);
      state->source = g_steal_pointer (&state->next);
    }

  if (state->source == NULL)
    {
      state->step_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* The rows all come at once: either there is no column yet, so no
   * cell to make, or the rows that have widgets stay the same (see
   * kl_table_view_set()). */
  if (state->rows->n_rows != state->source->n_rows)
    {
      kl_row_list_set_n_rows (state->rows, state->source->n_rows);
      if (n_columns == 0)
        return G_SOURCE_CONTINUE;
    }

  if (n_columns < state->source->n_columns)
    {
      for (guint i = columns_per_frame (state); i > 0 && n_columns < state->source->n_columns; i--)
        append_column (state, n_columns++);
      return G_SOURCE_CONTINUE;
    }

  state->step_id = 0;
  return G_SOURCE_REMOVE;
}

static void
start_steps (State *state)
{
  if (state->step_id == 0 && state->attached)
    state->step_id = gtk_widget_add_tick_callback (GTK_WIDGET (state->view), step, state, NULL);
}

/* GTK 4.8 builds a widget for every row of a model given to a column view
 * that has no size yet (it cannot tell how many rows are visible). Until
 * the view has been given its size, the model waits; so do the rows. */
static gboolean
attach_when_sized (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  State *state = user_data;

  if (gtk_widget_get_height (widget) <= 0)
    return G_SOURCE_CONTINUE;

  state->tick_id = 0;
  gtk_column_view_set_model (state->view, GTK_SELECTION_MODEL (state->selection));
  state->attached = TRUE;
  start_steps (state);
  return G_SOURCE_REMOVE;
}

static void
on_map (GtkWidget *view,
        State     *state)
{
  /* A tick callback keeps the frame clock running until the view has its
   * size; it needs the clock of a realized, mapped widget to do that. */
  if (!state->attached && state->tick_id == 0)
    state->tick_id = gtk_widget_add_tick_callback (view, attach_when_sized, state, NULL);
}

static State *
get_state (GtkColumnView *view)
{
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");

  if (state != NULL)
    return state;

  state = g_new0 (State, 1);
  state->view = view;
  state->rows = g_object_new (KL_TYPE_ROW_LIST, NULL);
  state->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (state->rows)));
  gtk_single_selection_set_autoselect (state->selection, FALSE);
  gtk_single_selection_set_can_unselect (state->selection, TRUE);
  gtk_single_selection_set_selected (state->selection, GTK_INVALID_LIST_POSITION);
  state->bound = g_hash_table_new (NULL, NULL);
  state->focus_row = -1;
  state->focus_column = -1;
  g_object_set_data_full (G_OBJECT (view), "kl-table-view", state, (GDestroyNotify) state_free);

  g_signal_connect (view, "map", G_CALLBACK (on_map), state);
  if (gtk_widget_get_mapped (GTK_WIDGET (view)))
    on_map (GTK_WIDGET (view), state);
  return state;
}

/**
 * kl_table_view_set:
 * @marked_rows: (nullable): rows to highlight, as index + 1 keys
 *
 * Replaces what the view shows. With the same columns (and rows enough)
 * the cells on screen change at once; otherwise new columns take the
 * place of the old a few a frame.
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
  State *state = get_state (view);
  Source *source = g_new0 (Source, 1);

  source->headers = g_strdupv ((char **) headers);
  source->n_columns = g_strv_length (source->headers);
  source->n_rows = n_rows;
  source->cell = cell;
  source->data = data;
  source->destroy = destroy;
  source->marked_rows = marked_rows ? g_hash_table_ref (marked_rows) : NULL;

  state->focus_row = -1;
  state->focus_column = -1;
  gtk_single_selection_set_selected (state->selection, GTK_INVALID_LIST_POSITION);
  g_clear_pointer (&state->next, source_free);

  /* The cells on screen can show other data at once if the columns stay
   * and so do the rows with widgets (a view holds widgets for its first
   * rows, up to ROWS_WITH_WIDGETS): more or fewer of those rows would
   * make or drop all their cells in one frame. */
  if ((same_headers (state->source, source) &&
       (state->rows->n_rows == n_rows || MIN (state->rows->n_rows, n_rows) >= ROWS_WITH_WIDGETS)) ||
      n_view_columns (state) == 0)
    {
      g_clear_pointer (&state->source, source_free);
      state->source = source;
      refresh_bound (state);
    }
  else
    state->next = source;
  start_steps (state);
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

/* The rows of the data set last, some perhaps still to come. */
guint
kl_table_view_get_n_rows (GtkColumnView *view)
{
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");

  if (state == NULL)
    return 0;
  return state->next ? state->next->n_rows : state->source ? state->source->n_rows : 0;
}

/* Whether the view shows all the rows and columns of its data (false
 * while columns are still coming or going, or while the view waits for
 * its size). */
gboolean
kl_table_view_is_settled (GtkColumnView *view)
{
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");

  return state == NULL || (state->attached && state->next == NULL &&
                           (state->source == NULL ||
                            (state->rows->n_rows == state->source->n_rows &&
                             n_view_columns (state) == state->source->n_columns)));
}

static GtkWidget *
focus_cell (State *state)
{
  GHashTableIter iter;
  gpointer cell, packed;

  g_hash_table_iter_init (&iter, state->bound);
  while (g_hash_table_iter_next (&iter, &cell, &packed))
    if ((int) PACKED_ROW (packed) == state->focus_row && (int) PACKED_COLUMN (packed) == state->focus_column)
      return cell;
  return NULL;
}

/* Scrolls so that the focused cell is in view: first the rows (an
 * estimate from the row height), then, once that row has its cells,
 * exactly. */
static gboolean
scroll_to_focus (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  State *state = user_data;
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (widget));
  GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  GtkWidget *cell;
  graphene_rect_t bounds;

  if (state->focus_row < 0 || ++state->scroll_frames > 600)
    {
      state->scroll_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* The rows may still wait for the view's size, or the columns for the
   * old ones to go. */
  if (!state->attached || state->next != NULL || state->rows->n_rows <= (guint) state->focus_row)
    return G_SOURCE_CONTINUE;
  if (gtk_single_selection_get_selected (state->selection) != (guint) state->focus_row)
    gtk_single_selection_set_selected (state->selection, state->focus_row);

  cell = focus_cell (state);
  if (cell == NULL || !gtk_widget_get_mapped (cell) || !gtk_widget_compute_bounds (cell, widget, &bounds))
    {
      double row_height = state->rows->n_rows > 0 ? gtk_adjustment_get_upper (v) / state->rows->n_rows : 0;
      double target = row_height * state->focus_row - gtk_adjustment_get_page_size (v) / 2;

      gtk_adjustment_set_value (v, MAX (target, 0));
      return G_SOURCE_CONTINUE;
    }

  /* Bounds are in the view's coordinates: the visible area starts at 0. */
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (widget))
    gtk_adjustment_set_value (h, gtk_adjustment_get_value (h) + bounds.origin.x - 24);
  if (bounds.origin.y < 60 || bounds.origin.y + bounds.size.height > gtk_widget_get_height (widget) - 40)
    gtk_adjustment_set_value (v, gtk_adjustment_get_value (v) + bounds.origin.y - gtk_widget_get_height (widget) / 2.0);

  /* Columns still coming can move the cell: keep it in view until they
   * have all come. */
  if (state->step_id != 0)
    return G_SOURCE_CONTINUE;
  state->scroll_id = 0;
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
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");
  Source *source;

  if (state == NULL)
    return;
  source = state->next ? state->next : state->source;
  if (source == NULL || row >= source->n_rows)
    return;

  state->focus_row = row;
  state->focus_column = column;
  refresh_bound (state);
  if (state->next == NULL && state->rows->n_rows > row)
    gtk_single_selection_set_selected (state->selection, row);

  state->scroll_frames = 0;
  if (state->scroll_id == 0)
    state->scroll_id = gtk_widget_add_tick_callback (GTK_WIDGET (view), scroll_to_focus, state, NULL);
}

/* The focused cell as (row, column), or FALSE if none. */
gboolean
kl_table_view_get_focus_cell (GtkColumnView *view,
                              guint         *row,
                              guint         *column,
                              gboolean      *visible)
{
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");
  GtkWidget *cell, *root;
  graphene_rect_t bounds;

  if (state == NULL || state->focus_row < 0)
    return FALSE;
  *row = state->focus_row;
  *column = state->focus_column;
  cell = focus_cell (state);
  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (view)));

  /* In the view's visible area, and in the window's. */
  *visible = cell != NULL && gtk_widget_get_mapped (cell) && state->scroll_id == 0 &&
             gtk_widget_compute_bounds (cell, GTK_WIDGET (view), &bounds) &&
             bounds.origin.x >= 0 && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (GTK_WIDGET (view)) &&
             bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (view)) &&
             gtk_widget_compute_bounds (cell, root, &bounds) &&
             bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (root);
  return TRUE;
}
