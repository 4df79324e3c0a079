/* kl-table-view.c
 *
 * A column view needs a list model and a factory per column. The rows
 * here are plain indices: a model of n rows whose items ("0", "1", …) are
 * made only when a visible row asks for one, and each column's factory
 * asks the view's current data for the text.
 *
 * GTK 4.8's column view spends time in proportion to the rows of its
 * model whenever rows come or go, and whenever columns come or go (some
 * 15–20 µs a row: a 100,000-person pool held the main loop for over a
 * second). So a view keeps one row list for good; new data with the same
 * columns is swapped in under the rows that are shown, and new columns
 * are put in only once the old rows have gone, a slice of rows per
 * main-loop turn each way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "kl-table-view.h"

#define ROWS_PER_SLICE 2048
#define FIRST_SLICE 64

/* And even added in slices, each frame of a GTK 4.8 list view lays out all
 * its rows again (a 100,000-row view took a fifth of a second a frame):
 * a view holds this many rows of its data at most, a window that moves to
 * wherever a focused cell is. */
#define MAX_SHOWN_ROWS 10000

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
  Source *next;               /* new columns, waiting for the old rows to go */
  GHashTable *bound;          /* label → its row and column, packed */
  guint offset;               /* the data row shown in the view's first row */
  int focus_row;              /* the cell (a data row) a problem points at, or -1 */
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

/* The rows of @source a view holds. */
static guint
shown_rows (const Source *source)
{
  return source != NULL ? MIN (source->n_rows, MAX_SHOWN_ROWS) : 0;
}

static void
show_cell (State     *state,
           GtkWidget *label,
           guint      view_row,
           guint      column)
{
  Source *source = state->source;
  guint row = view_row + state->offset;
  const char *text = source != NULL && row < source->n_rows ? source->cell (source->data, row, column) : NULL;

  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  if (source != NULL && source->marked_rows != NULL &&
      g_hash_table_contains (source->marked_rows, GUINT_TO_POINTER (row + 1)))
    gtk_widget_add_css_class (label, "problem-cell");
  else
    gtk_widget_remove_css_class (label, "problem-cell");

  if ((int) row == state->focus_row && (int) column == state->focus_column)
    gtk_widget_add_css_class (label, "focused-cell");
  else
    gtk_widget_remove_css_class (label, "focused-cell");
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

  g_hash_table_insert (column->state->bound, label, PACK (row, column->column));
  show_cell (column->state, label, row, column->column);
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
  gpointer label, packed;

  g_hash_table_iter_init (&iter, state->bound);
  while (g_hash_table_iter_next (&iter, &label, &packed))
    show_cell (state, label, PACKED_ROW (packed), PACKED_COLUMN (packed));
}

static gboolean
same_headers (const Source *a,
              const Source *b)
{
  return a != NULL && b != NULL && g_strv_equal ((const char * const *) a->headers,
                                                 (const char * const *) b->headers);
}

static void
put_columns (State *state)
{
  GListModel *columns = gtk_column_view_get_columns (state->view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) old = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (state->view, old);
    }

  for (guint c = 0; state->source->headers[c] != NULL; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      Column *column = g_new0 (Column, 1);
      g_autoptr(GtkColumnViewColumn) view_column = NULL;

      column->state = state;
      column->column = c;
      g_signal_connect (factory, "setup", G_CALLBACK (on_setup),
                        GUINT_TO_POINTER (g_utf8_strlen (state->source->headers[c], -1)));
      g_signal_connect_data (factory, "bind", G_CALLBACK (on_bind), column,
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), column);
      view_column = gtk_column_view_column_new (state->source->headers[c], factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_append_column (state->view, view_column);
    }
}

/* One slice of rows towards what the data needs, once a frame (the
 * frame lays out the rows: several slices in one frame would add up):
 * first the old rows go, if the columns change, then the new ones come. */
static gboolean
step (GtkWidget     *widget,
      GdkFrameClock *clock,
      gpointer       data)
{
  State *state = data;
  guint n = state->rows->n_rows;

  if (!state->attached)
    {
      state->step_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (state->next != NULL)
    {
      if (n > 0)
        {
          kl_row_list_set_n_rows (state->rows, n - MIN (n, ROWS_PER_SLICE));
          return G_SOURCE_CONTINUE;
        }
      g_clear_pointer (&state->source, source_free);
      state->source = g_steal_pointer (&state->next);
      put_columns (state);
    }

  /* An empty view knows no row height yet and makes a widget for every
   * row it is given: the first slice is only a screenful. */
  if (state->source != NULL && n < shown_rows (state->source))
    kl_row_list_set_n_rows (state->rows, MIN (shown_rows (state->source), n + (n == 0 ? FIRST_SLICE : ROWS_PER_SLICE)));
  else if (state->source != NULL && n > shown_rows (state->source))
    kl_row_list_set_n_rows (state->rows, MAX (shown_rows (state->source), n - MIN (n, ROWS_PER_SLICE)));

  if (state->source == NULL || state->rows->n_rows != shown_rows (state->source))
    return G_SOURCE_CONTINUE;
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
  state->selection = gtk_single_selection_new (G_LIST_MODEL (state->rows));
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
 * Replaces what the view shows. With the same columns the rows on screen
 * change at once; other columns wait until the old rows have gone.
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
  source->n_rows = n_rows;
  source->cell = cell;
  source->data = data;
  source->destroy = destroy;
  source->marked_rows = marked_rows ? g_hash_table_ref (marked_rows) : NULL;

  state->focus_row = -1;
  state->focus_column = -1;
  state->offset = 0;
  gtk_single_selection_set_selected (state->selection, GTK_INVALID_LIST_POSITION);
  g_clear_pointer (&state->next, source_free);

  if (same_headers (state->source, source) || state->rows->n_rows == 0)
    {
      gboolean new_columns = !same_headers (state->source, source);

      g_clear_pointer (&state->source, source_free);
      state->source = source;
      if (new_columns)
        put_columns (state);
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

/* The data rows the view holds now: @first, and @n from it. */
void
kl_table_view_get_window (GtkColumnView *view,
                          guint         *first,
                          guint         *n)
{
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");

  *first = state ? state->offset : 0;
  *n = state ? shown_rows (state->next ? state->next : state->source) : 0;
}

/* Whether the view holds all the rows it is to hold (false while rows are
 * still coming, or while the view waits for its size). */
gboolean
kl_table_view_is_settled (GtkColumnView *view)
{
  State *state = g_object_get_data (G_OBJECT (view), "kl-table-view");

  return state == NULL || (state->attached && state->next == NULL &&
                           (state->source == NULL || state->rows->n_rows == shown_rows (state->source)));
}

static GtkWidget *
focus_label (State *state)
{
  GHashTableIter iter;
  gpointer label, packed;

  g_hash_table_iter_init (&iter, state->bound);
  while (g_hash_table_iter_next (&iter, &label, &packed))
    if ((int) (PACKED_ROW (packed) + state->offset) == state->focus_row &&
        (int) PACKED_COLUMN (packed) == state->focus_column)
      return label;
  return NULL;
}

/* Scrolls so that the focused cell's label is in view: first the rows (an
 * estimate from the row height), then, once that row is bound, exactly. */
static gboolean
scroll_to_focus (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  State *state = user_data;
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (widget));
  GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  GtkWidget *label;
  graphene_rect_t bounds;
  guint view_row;

  if (state->focus_row < 0 || ++state->scroll_frames > 600)
    {
      state->scroll_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* The rows may still wait for the view's size, or for old rows to go. */
  if (!state->attached || state->next != NULL)
    return G_SOURCE_CONTINUE;
  view_row = state->focus_row - state->offset;
  if (state->rows->n_rows <= view_row)
    kl_row_list_set_n_rows (state->rows, view_row + 1);
  if (gtk_single_selection_get_selected (state->selection) != view_row)
    gtk_single_selection_set_selected (state->selection, view_row);

  label = focus_label (state);
  if (label == NULL || !gtk_widget_get_mapped (label) || !gtk_widget_compute_bounds (label, widget, &bounds))
    {
      double row_height = state->rows->n_rows > 0 ? gtk_adjustment_get_upper (v) / state->rows->n_rows : 0;
      double target = row_height * view_row - gtk_adjustment_get_page_size (v) / 2;

      gtk_adjustment_set_value (v, MAX (target, 0));
      return G_SOURCE_CONTINUE;
    }

  /* Bounds are in the view's coordinates: the visible area starts at 0. */
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > gtk_widget_get_width (widget))
    gtk_adjustment_set_value (h, gtk_adjustment_get_value (h) + bounds.origin.x - 24);
  if (bounds.origin.y < 60 || bounds.origin.y + bounds.size.height > gtk_widget_get_height (widget) - 40)
    gtk_adjustment_set_value (v, gtk_adjustment_get_value (v) + bounds.origin.y - gtk_widget_get_height (widget) / 2.0);

  /* Rows still coming can move the rows shown: keep the cell in view
   * until they have all come. */
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

  /* A row beyond the view's window moves the window to it: the same rows
   * of the view show other rows of the data. */
  if (state->next == NULL && (row < state->offset || row >= state->offset + shown_rows (source)))
    state->offset = MIN (row - MIN (row, shown_rows (source) / 2), source->n_rows - shown_rows (source));
  refresh_bound (state);

  /* The row must exist to be selected: the rows up to it come now. */
  if (state->next == NULL && state->attached && state->rows->n_rows <= row - state->offset)
    kl_row_list_set_n_rows (state->rows, row - state->offset + 1);
  if (state->next == NULL && state->rows->n_rows > row - state->offset)
    gtk_single_selection_set_selected (state->selection, row - state->offset);

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
  GtkWidget *label, *root;
  graphene_rect_t bounds;

  if (state == NULL || state->focus_row < 0)
    return FALSE;
  *row = state->focus_row;
  *column = state->focus_column;
  label = focus_label (state);
  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (view)));

  /* In the view's visible area, and in the window's. */
  *visible = label != NULL && gtk_widget_get_mapped (label) && state->scroll_id == 0 &&
             gtk_widget_compute_bounds (label, GTK_WIDGET (view), &bounds) &&
             bounds.origin.x >= 0 && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (GTK_WIDGET (view)) &&
             bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (GTK_WIDGET (view)) &&
             gtk_widget_compute_bounds (label, root, &bounds) &&
             bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (root);
  return TRUE;
}
