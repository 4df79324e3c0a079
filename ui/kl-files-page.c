/* kl-files-page.c — the inputs, their problems and the pool's preview
 *
 * The first page an organiser sees. Before any file is open it is an
 * invitation (open files, or try the example); then it lists the four
 * inputs, every problem the check found, and the pool itself. A problem
 * in the pool is a button: it scrolls the preview to the bad cell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-files-page.h"
#include "kl-table-view.h"

struct _KlFilesPage {
  AdwBin parent_instance;

  GtkStack *stack;
  GtkScrolledWindow *scroller;
  AdwActionRow *pool_row;
  AdwActionRow *quotas_row;
  AdwActionRow *settings_row;
  AdwActionRow *already_row;
  GtkSpinner *pool_spinner;
  GtkSpinner *quotas_spinner;
  GtkSpinner *settings_spinner;
  GtkSpinner *already_spinner;
  GtkListBox *problems_list;
  GtkWidget *preview_box;
  GtkLabel *preview_description;
  GtkColumnView *preview_view;

  KlInputs *inputs;
  KlTable *previewed;       /* the table the preview shows */
  guint *shown_at;          /* a column of it → where the preview shows it */
  guint loading;            /* a bit per input being read */
  guint reveal_id;
  guint reveal_frames;
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KlFilesPage, kl_files_page, ADW_TYPE_BIN)

/* The preview shows the pool's columns in this order: the id column, the
 * quotas' features (what an organiser checks a pool by), then the others
 * as in the file; in a wide pool the features would be far to the right. */
typedef struct {
  KlTable *table;
  guint *order;             /* a column of the preview → the table's column */
} Preview;

static void
preview_free (Preview *preview)
{
  kl_table_unref (preview->table);
  g_free (preview->order);
  g_free (preview);
}

static const char *
preview_cell (gpointer data,
              guint    row,
              guint    column)
{
  Preview *preview = data;

  return kl_table_get_cell (preview->table, row, preview->order[column]);
}

static guint *
preview_order (KlTable  *table,
               KlInputs *inputs)
{
  g_autofree gboolean *placed = g_new0 (gboolean, table->n_columns);
  guint *order = g_new (guint, table->n_columns);
  guint n = 0, ignored;
  int column;

#define PLACE(c) G_STMT_START { if (!placed[c]) { placed[c] = TRUE; order[n++] = (c); } } G_STMT_END
  if (inputs->settings != NULL && inputs->settings->id_column != NULL &&
      (column = kl_table_find_column (table, inputs->settings->id_column, &ignored)) >= 0)
    PLACE ((guint) column);
  for (guint f = 0; inputs->quotas != NULL && f < kl_quotas_get_n_features (inputs->quotas); f++)
    if ((column = kl_table_find_column (table, kl_quotas_get_feature (inputs->quotas, f)->name, &ignored)) >= 0)
      PLACE ((guint) column);
  for (guint c = 0; c < table->n_columns; c++)
    PLACE (c);
#undef PLACE
  return order;
}

static GtkSpinner *
spinner_for (KlFilesPage *self,
             KlInput      input)
{
  GtkSpinner *spinners[KL_N_INPUTS] = { self->pool_spinner, self->quotas_spinner,
                                        self->settings_spinner, self->already_spinner };
  return spinners[input];
}


static void
update_stack (KlFilesPage *self)
{
  gboolean empty = (self->inputs == NULL || kl_inputs_is_empty (self->inputs)) && self->loading == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "files");
}

/**
 * kl_files_page_set_loading:
 *
 * Shows a spinner on @input's row while it is read.
 */
void
kl_files_page_set_loading (KlFilesPage *self,
                           KlInput      input,
                           gboolean     loading)
{
  GtkSpinner *spinner;
  guint before = self->loading;

  g_return_if_fail (KL_IS_FILES_PAGE (self));
  g_return_if_fail (input < KL_N_INPUTS);

  spinner = spinner_for (self, input);
  gtk_widget_set_visible (GTK_WIDGET (spinner), loading);
  gtk_spinner_set_spinning (spinner, loading);
  if (loading)
    self->loading |= 1u << input;
  else
    self->loading &= ~(1u << input);
  update_stack (self);
  if ((before != 0) != (self->loading != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_row_file (AdwActionRow *row,
              GFile        *file,
              const char   *summary)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (file == NULL)
    return;
  name = kl_inputs_display_name (file);
  text = summary ? g_strdup_printf ("%s — %s", name, summary) : NULL;
  adw_action_row_set_subtitle (row, text ? text : name);
}

static gboolean
is_in_preview (KlFilesPage     *self,
               const KlMessage *m)
{
  return self->previewed != NULL && m->row >= 2 && g_strcmp0 (m->file, self->previewed->file) == 0 &&
         (guint) (m->row - 2) < self->previewed->n_rows;
}

static void
show_problems (KlFilesPage *self)
{
  GPtrArray *messages = self->inputs->messages;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  for (guint i = 0; i < messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (messages, i);
      g_autofree char *text = NULL;
      g_autofree char *hint = NULL;
      g_autofree char *where = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *icon;

      if (m->severity == KL_SEVERITY_INFO)
        continue;

      text = kl_message_to_string (m);
      hint = kl_message_get_hint (m);
      if (m->file && m->line > 0 && m->column)
        where = g_strdup_printf (_("%s, line %d, column “%s”"), m->file, m->line, m->column);
      else if (m->file && m->line > 0)
        where = g_strdup_printf (_("%s, line %d"), m->file, m->line);
      else
        where = g_strdup (m->file ? m->file : "");
      subtitle = hint ? g_strdup_printf ("%s\n%s", where, hint) : g_steal_pointer (&where);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      icon = gtk_image_new_from_icon_name (m->severity == KL_SEVERITY_ERROR ? "dialog-error-symbolic"
                                                                           : "dialog-warning-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      m->severity == KL_SEVERITY_ERROR ? _("Error") : _("Warning"), -1);
      gtk_widget_add_css_class (icon, m->severity == KL_SEVERITY_ERROR ? "error" : "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      /* A problem in a previewed cell takes the person there. */
      if (is_in_preview (self, m))
        {
          GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (go), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Show in the preview"), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), go);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, _("Show this cell in the preview"));
        }
      g_object_set_data (G_OBJECT (row), "kl-message", GUINT_TO_POINTER (i + 1));
      gtk_list_box_append (self->problems_list, row);
      shown++;
    }

  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      gboolean ready = self->inputs->pool != NULL;
      GtkWidget *icon = gtk_image_new_from_icon_name (ready ? "emblem-ok-symbolic" : "dialog-information-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     ready ? _("No problems found: ready to select a panel")
                                           : _("Open the pool and its quotas to check them"));
      if (ready)
        gtk_widget_add_css_class (icon, "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      ready ? _("Ready") : _("Waiting for files"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->problems_list, row);
    }
}

static void
show_preview (KlFilesPage *self)
{
  KlTable *table = self->inputs->tables[KL_INPUT_POOL];
  g_autoptr(GHashTable) problem_rows = NULL;
  g_autofree const char **headers = NULL;
  GPtrArray *messages = self->inputs->messages;
  Preview *preview;

  gtk_widget_set_visible (self->preview_box, table != NULL);
  g_clear_pointer (&self->previewed, kl_table_unref);
  if (table == NULL)
    return;
  self->previewed = kl_table_ref (table);

  /* Rows with a problem are highlighted in the preview. */
  problem_rows = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (messages, i);
      if (m->severity == KL_SEVERITY_ERROR && is_in_preview (self, m))
        g_hash_table_add (problem_rows, GUINT_TO_POINTER (m->row - 2 + 1));
    }

  preview = g_new0 (Preview, 1);
  preview->table = kl_table_ref (table);
  preview->order = preview_order (table, self->inputs);
  headers = g_new0 (const char *, table->n_columns + 1);
  g_free (self->shown_at);
  self->shown_at = g_new (guint, table->n_columns);
  for (guint c = 0; c < table->n_columns; c++)
    {
      headers[c] = table->header[preview->order[c]];
      self->shown_at[preview->order[c]] = c;
    }
  kl_table_view_set (self->preview_view, headers, table->n_rows, preview_cell, preview,
                     (GDestroyNotify) preview_free, problem_rows);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("%'u person, %u columns, the id and the quotas’ features first. "
                                                       "Rows with a problem are in red.",
                                                       "%'u people, %u columns, the id and the quotas’ features first. "
                                                       "Rows with a problem are in red.",
                                                       table->n_rows),
                                             table->n_rows, table->n_columns);

    gtk_label_set_text (self->preview_description, text);
  }
}

/**
 * kl_files_page_show_inputs:
 *
 * Shows what a load found: the files, every problem, the pool.
 */
void
kl_files_page_show_inputs (KlFilesPage *self,
                           KlInputs    *inputs)
{
  g_return_if_fail (KL_IS_FILES_PAGE (self));
  g_return_if_fail (inputs != NULL);

  kl_inputs_ref (inputs);
  g_clear_pointer (&self->inputs, kl_inputs_unref);
  self->inputs = inputs;

  if (inputs->tables[KL_INPUT_POOL] != NULL)
    {
      guint n = inputs->tables[KL_INPUT_POOL]->n_rows;
      /* "%'u": the count grouped as the locale writes numbers (100,000). */
      g_autofree char *summary = g_strdup_printf (ngettext ("%'u person", "%'u people", n), n);
      set_row_file (self->pool_row, inputs->files[KL_INPUT_POOL], summary);
    }
  else
    set_row_file (self->pool_row, inputs->files[KL_INPUT_POOL], NULL);

  if (inputs->quotas != NULL)
    {
      guint n = kl_quotas_get_n_features (inputs->quotas);
      g_autofree char *summary = inputs->applied_quotas
        ? g_strdup (_("the suggested quotas, applied"))
        : g_strdup_printf (ngettext ("%u feature", "%u features", n), n);
      set_row_file (self->quotas_row, inputs->files[KL_INPUT_QUOTAS], summary);
    }
  else
    set_row_file (self->quotas_row, inputs->files[KL_INPUT_QUOTAS], NULL);
  set_row_file (self->settings_row, inputs->files[KL_INPUT_SETTINGS], NULL);
  set_row_file (self->already_row, inputs->files[KL_INPUT_ALREADY], NULL);

  /* Also for the same table: another id column marks other rows. */
  show_preview (self);
  show_problems (self);
  update_stack (self);
}

/* Scrolls the page so the whole preview shows, or its top if it is
 * taller than the page; for a few frames, as the layout settles. */
static gboolean
reveal_preview (GtkWidget     *scroller,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  KlFilesPage *self = user_data;
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_rect_t bounds;

  /* Bounds in the scrolled window are those of the part shown: add how
   * far it is scrolled. */
  if (gtk_widget_compute_bounds (self->preview_box, GTK_WIDGET (self->scroller), &bounds))
    {
      double page = gtk_adjustment_get_page_size (v);
      double y = bounds.origin.y + gtk_adjustment_get_value (v);
      double top = bounds.size.height <= page ? y + bounds.size.height - page : y;

      gtk_adjustment_set_value (v, MIN (top, gtk_adjustment_get_upper (v) - page));
    }
  if (++self->reveal_frames < 10)
    return G_SOURCE_CONTINUE;
  self->reveal_id = 0;
  return G_SOURCE_REMOVE;
}

/**
 * kl_files_page_show_problem:
 * @index: the problem's index in the inputs' messages
 *
 * Scrolls the preview to the cell a problem is about and selects it.
 */
void
kl_files_page_show_problem (KlFilesPage *self,
                            guint        index)
{
  KlMessage *m;
  int column;
  guint ignored;

  g_return_if_fail (KL_IS_FILES_PAGE (self));
  g_return_if_fail (self->inputs != NULL && index < self->inputs->messages->len);

  m = g_ptr_array_index (self->inputs->messages, index);
  if (!is_in_preview (self, m) || self->previewed->n_columns == 0)
    return;

  column = m->column_index;
  if (column < 0 && m->column != NULL)
    column = kl_table_find_column (self->previewed, m->column, &ignored);
  column = CLAMP (column, 0, (int) self->previewed->n_columns - 1);
  kl_table_view_focus_cell (self->preview_view, m->row - 2, self->shown_at[column]);

  /* The preview itself may be below the fold. */
  self->reveal_frames = 0;
  if (self->reveal_id == 0)
    self->reveal_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->scroller), reveal_preview, self, NULL);
}

static void
on_problem_activated (KlFilesPage   *self,
                      GtkListBoxRow *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "kl-message"));

  if (index > 0)
    kl_files_page_show_problem (self, index - 1);
}

GtkColumnView *
kl_files_page_get_preview_view (KlFilesPage *self)
{
  return self->preview_view;
}

GtkListBox *
kl_files_page_get_problems_list (KlFilesPage *self)
{
  return self->problems_list;
}

static void
kl_files_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KlFilesPage *self = KL_FILES_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_files_page_dispose (GObject *object)
{
  /* AdwBin unparents its child, the template's top widget, itself;
   * disposing the template too would unparent it twice. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  G_OBJECT_CLASS (kl_files_page_parent_class)->dispose (object);
}

static void
kl_files_page_finalize (GObject *object)
{
  KlFilesPage *self = KL_FILES_PAGE (object);

  g_clear_pointer (&self->inputs, kl_inputs_unref);
  g_clear_pointer (&self->previewed, kl_table_unref);
  g_clear_pointer (&self->shown_at, g_free);
  G_OBJECT_CLASS (kl_files_page_parent_class)->finalize (object);
}

static void
kl_files_page_class_init (KlFilesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_files_page_get_property;
  object_class->dispose = kl_files_page_dispose;
  object_class->finalize = kl_files_page_finalize;

  /**
   * KlFilesPage:loading:
   *
   * Whether a file is being read.
   */
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kleroterion/Kleroterion/kl-files-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, KlFilesPage, name)
  CHILD (stack);
  CHILD (scroller);
  CHILD (pool_row);
  CHILD (quotas_row);
  CHILD (settings_row);
  CHILD (already_row);
  CHILD (pool_spinner);
  CHILD (quotas_spinner);
  CHILD (settings_spinner);
  CHILD (already_spinner);
  CHILD (problems_list);
  CHILD (preview_box);
  CHILD (preview_description);
  CHILD (preview_view);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_problem_activated);
}

static void
kl_files_page_init (KlFilesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (self->preview_box, FALSE);
}
