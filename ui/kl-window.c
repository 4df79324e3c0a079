/* kl-window.c — the organiser's path: files → selection → results
 *
 * The window owns what was loaded and the run in progress. Loading is
 * cheap, so any change (a file, a column choice) reloads everything and
 * lists every problem again; the selection runs in a worker thread and
 * reports through a KlProgressRelay, so the window keeps drawing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-probability-chart.h"
#include "kl-progress-relay.h"
#include "kl-table-view.h"
#include "kl-window-private.h"

#define EXAMPLE_URI "resource:///org/kleroterion/Kleroterion/examples/"

/* Only huge files are cut short; every problem, wherever its row, is in
 * the list above the preview with its line number. */
#define PREVIEW_ROWS 100000

struct _KlWindow {
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay *toasts;
  AdwViewStack *stack;
  AdwActionRow *pool_row;
  AdwActionRow *quotas_row;
  AdwActionRow *settings_row;
  AdwActionRow *already_row;
  AdwPreferencesGroup *problems_group;
  GtkListBox *problems_list;
  AdwPreferencesGroup *preview_group;
  GtkColumnView *preview_view;
  AdwActionRow *panel_size_row;
  GtkSpinButton *panel_size;
  AdwComboRow *algorithm_row;
  GtkSpinButton *panels_spin;
  AdwEntryRow *seed_row;
  GtkSwitch *test_switch;
  AdwComboRow *id_row;
  AdwExpanderRow *keep_row;
  AdwExpanderRow *address_row;
  AdwPreferencesGroup *progress_group;
  GtkLabel *phase_label;
  GtkLabel *message_label;
  GtkProgressBar *progress_bar;
  GtkLabel *elapsed_label;
  GtkStack *results_stack;
  GtkLabel *test_banner;
  GtkLabel *summary_label;
  AdwPreferencesGroup *chart_group;
  GtkColumnView *panel_view;
  GtkColumnView *quota_view;
  KlProbabilityChart *chart;
  GtkTextView *report_view;

  /* inputs */
  GFile *inputs[4];
  KlSettings *base_settings;   /* from the settings file, or defaults */
  KlSettings *settings;        /* with the Selection page's choices */
  KlQuotas *quotas;
  KlTable *pool_table;
  KlPool *pool;
  KlPool *already;
  GPtrArray *messages;
  GPtrArray *keep_checks;      /* GtkCheckButton per pool column */
  GPtrArray *address_checks;
  gboolean updating;

  /* the run */
  KlRun *run;
  KlRun *result;
  KlQuotas *suggested;          /* what would make infeasible quotas work */
  GCancellable *cancellable;
  KlProgressRelay *relay;
  gint64 started;
  guint clock_id;
  char *last_error;

  GSettings *gsettings;
  gboolean disposed;
};

G_DEFINE_FINAL_TYPE (KlWindow, kl_window, ADW_TYPE_APPLICATION_WINDOW)

static void reload (KlWindow *self);

/* Phase names are the engine's stable identifiers; people read these. */
static const struct {
  const char *phase;
  const char *label;
} phase_labels[] = {
  { KL_PHASE_LEGACY_ATTEMPT, N_("Drawing with the legacy algorithm") },
  { KL_PHASE_MULTIPLICATIVE_WEIGHTS, N_("Finding diverse panels") },
  { KL_PHASE_MAXIMIN_OPTIMIZATION, N_("Making the lowest chance as high as possible") },
  { KL_PHASE_NASH_OPTIMIZATION, N_("Balancing everyone's chances") },
  { KL_PHASE_LEXIMIN_OUTER, N_("Fixing chances, lowest first") },
  { KL_PHASE_DIVERSIMAX, N_("Making the panel as diverse as possible") },
};

static const char *
phase_label (const char *phase)
{
  for (guint i = 0; i < G_N_ELEMENTS (phase_labels); i++)
    if (g_str_equal (phase, phase_labels[i].phase))
      return _(phase_labels[i].label);
  return phase;
}

static KlAlgorithm
selected_algorithm (KlWindow *self)
{
  guint n;
  const KlAlgorithm *algorithms = kl_algorithm_list_available (&n);
  guint i = adw_combo_row_get_selected (self->algorithm_row);

  return algorithms[MIN (i, n - 1)];
}

static void
select_algorithm (KlWindow    *self,
                  KlAlgorithm  algorithm)
{
  guint n;
  const KlAlgorithm *algorithms = kl_algorithm_list_available (&n);

  for (guint i = 0; i < n; i++)
    if (algorithms[i] == algorithm)
      adw_combo_row_set_selected (self->algorithm_row, i);
}

static void
fill_algorithm_row (KlWindow *self)
{
  guint n;
  const KlAlgorithm *algorithms = kl_algorithm_list_available (&n);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (titles, kl_algorithm_get_title (algorithms[i]));
  adw_combo_row_set_model (self->algorithm_row, G_LIST_MODEL (titles));
}

/* ---- loading -------------------------------------------------------------- */

static char *
display_name (GFile *file)
{
  if (g_file_has_uri_scheme (file, "resource"))
    {
      g_autofree char *base = g_file_get_basename (file);
      return g_strdup_printf (_("%s (example)"), base);
    }
  return g_file_get_parse_name (file);
}

static char *
load_text (GFile      *file,
           gsize      *length,
           GPtrArray  *messages,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_load_contents (file, NULL, &contents, length, NULL, &error))
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR,
                                      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                                        ? "file_not_found" : "file_unreadable");
      kl_message_set_location (m, name, 0, 0, NULL, -1);
      kl_message_set_param (m, "reason", error->message);
      return NULL;
    }
  return contents;
}

static KlTable *
load_table (GFile     *file,
            GPtrArray *messages)
{
  g_autofree char *name = display_name (file);
  g_autofree char *contents = NULL;
  gsize length;

  contents = load_text (file, &length, messages, name);
  return contents ? kl_table_read_data (contents, length, name, messages, NULL) : NULL;
}

static void
clear_checks (AdwExpanderRow *row,
              GPtrArray      *checks)
{
  for (guint i = 0; i < checks->len; i++)
    adw_expander_row_remove (row, gtk_widget_get_ancestor (g_ptr_array_index (checks, i), ADW_TYPE_ACTION_ROW));
  g_ptr_array_set_size (checks, 0);
}

static gboolean
strv_has_folded (char       **list,
                 const char  *name)
{
  for (guint i = 0; list && list[i]; i++)
    if (g_ascii_strcasecmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

static void on_choice_changed (KlWindow *self);

/* The Selection page offers the pool's own columns. */
static void
fill_column_choices (KlWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  KlTable *table = self->pool_table;
  KlQuotas *quotas = self->quotas;
  guint id_index = 0;

  clear_checks (self->keep_row, self->keep_checks);
  clear_checks (self->address_row, self->address_checks);

  for (guint c = 0; table && c < table->n_columns; c++)
    {
      const char *name = table->header[c];

      gtk_string_list_append (names, name);
      if (g_ascii_strcasecmp (name, self->base_settings->id_column) == 0)
        id_index = c;

      if (quotas != NULL && kl_quotas_find_feature (quotas, name) >= 0)
        continue;

      for (guint list = 0; list < 2; list++)
        {
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *check = gtk_check_button_new ();
          gboolean active = list == 0 ? strv_has_folded (self->base_settings->columns_to_keep, name)
                                      : strv_has_folded (self->base_settings->check_same_address_columns, name);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          g_object_set_data_full (G_OBJECT (check), "column", g_strdup (name), g_free);
          g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_choice_changed), self);
          adw_expander_row_add_row (list == 0 ? self->keep_row : self->address_row, row);
          g_ptr_array_add (list == 0 ? self->keep_checks : self->address_checks, check);
        }
    }

  adw_combo_row_set_model (self->id_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->id_row, id_index);
  adw_expander_row_set_enable_expansion (self->address_row, self->base_settings->check_same_address);
}

static char **
checked_columns (GPtrArray *checks)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      g_ptr_array_add (names, g_strdup (g_object_get_data (g_ptr_array_index (checks, i), "column")));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* The settings the next run uses: the file's, as changed on the page. */
static KlSettings *
effective_settings (KlWindow *self)
{
  KlSettings *settings = kl_settings_copy (self->base_settings);
  GtkStringObject *id = adw_combo_row_get_selected_item (self->id_row);

  if (id != NULL)
    {
      g_free (settings->id_column);
      settings->id_column = g_strdup (gtk_string_object_get_string (id));
    }
  if (self->keep_checks->len > 0)
    {
      g_strfreev (settings->columns_to_keep);
      settings->columns_to_keep = checked_columns (self->keep_checks);
      g_strfreev (settings->check_same_address_columns);
      settings->check_same_address_columns = checked_columns (self->address_checks);
      settings->check_same_address = adw_expander_row_get_enable_expansion (self->address_row) &&
                                     settings->check_same_address_columns[0] != NULL;
    }
  settings->selection_algorithm = selected_algorithm (self);
  return settings;
}

static const char *
preview_cell (gpointer data,
              guint    row,
              guint    column)
{
  return kl_table_get_cell (data, row, column);
}

static void
show_problems (KlWindow *self)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);

  for (guint i = 0; i < self->messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (self->messages, i);
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
      gtk_widget_add_css_class (icon, m->severity == KL_SEVERITY_ERROR ? "error" : "warning");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->problems_list, row);
      shown++;
    }

  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     self->pool ? _("No problems found: ready to select a panel")
                                                : _("Open a pool and its quotas, or try the example"));
      gtk_widget_add_css_class (icon, "success");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->problems_list, row);
    }
}

static void
update_panel_size_bounds (KlWindow *self)
{
  int lowest, highest, current;
  g_autofree char *subtitle = NULL;

  if (self->quotas == NULL || self->pool == NULL)
    return;

  lowest = MAX (kl_quotas_get_minimum_selection (self->quotas), 1);
  highest = MIN (kl_quotas_get_maximum_selection (self->quotas), (int) kl_pool_get_n_people (self->pool));
  highest = MAX (highest, lowest);
  current = gtk_spin_button_get_value_as_int (self->panel_size);
  gtk_spin_button_set_range (self->panel_size, lowest, highest);
  if (current <= 1 || current < lowest || current > highest)
    gtk_spin_button_set_value (self->panel_size, (lowest + highest) / 2);
  subtitle = g_strdup_printf (_("The quotas allow %d to %d people"), lowest, highest);
  adw_action_row_set_subtitle (self->panel_size_row, subtitle);
}

static void
set_row_file (AdwActionRow *row,
              GFile        *file,
              const char   *summary)
{
  g_autofree char *name = file ? display_name (file) : NULL;
  g_autofree char *text = name && summary ? g_strdup_printf ("%s — %s", name, summary) : NULL;

  if (file)
    adw_action_row_set_subtitle (row, text ? text : name);
}

/* What can be done now follows from what is loaded and running. */
static void
update_actions (KlWindow *self)
{
  gboolean running = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run",
                                 self->pool != NULL && !running &&
                                 kl_messages_count (self->messages, KL_SEVERITY_ERROR) == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", self->result != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-quotas", self->quotas != NULL);
}

static void
reload (KlWindow *self)
{
  g_autoptr(GHashTable) problem_rows = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  gboolean choices_known = self->keep_checks->len > 0;

  if (self->updating)
    return;
  self->updating = TRUE;

  g_clear_pointer (&self->pool, kl_pool_unref);
  g_clear_pointer (&self->already, kl_pool_unref);
  g_clear_pointer (&self->settings, kl_settings_free);

  /* Settings first: they name the columns the pool must have. */
  if (self->base_settings == NULL)
    {
      if (self->inputs[KL_INPUT_SETTINGS] != NULL)
        {
          g_autofree char *name = display_name (self->inputs[KL_INPUT_SETTINGS]);
          g_autofree char *text = load_text (self->inputs[KL_INPUT_SETTINGS], NULL, messages, name);
          self->base_settings = text ? kl_settings_load_data (text, name, messages, NULL) : NULL;
        }
      if (self->base_settings == NULL)
        {
          self->base_settings = kl_settings_new ();
          if (self->pool_table != NULL && self->pool_table->n_columns > 0)
            {
              g_free (self->base_settings->id_column);
              self->base_settings->id_column = g_strdup (self->pool_table->header[0]);
            }
        }
      choices_known = FALSE;
    }

  if (self->quotas == NULL && self->inputs[KL_INPUT_QUOTAS] != NULL)
    {
      g_autoptr(KlTable) table = load_table (self->inputs[KL_INPUT_QUOTAS], messages);
      self->quotas = table ? kl_quotas_load (table, 0, messages, NULL) : NULL;
    }

  if (self->pool_table == NULL && self->inputs[KL_INPUT_POOL] != NULL)
    {
      self->pool_table = load_table (self->inputs[KL_INPUT_POOL], messages);
      choices_known = FALSE;
    }

  if (!choices_known)
    fill_column_choices (self);
  self->settings = effective_settings (self);

  if (self->pool_table != NULL && self->quotas != NULL)
    self->pool = kl_pool_load (self->pool_table, self->quotas, self->settings, messages, NULL);

  if (self->inputs[KL_INPUT_ALREADY] != NULL)
    {
      g_autoptr(KlTable) table = load_table (self->inputs[KL_INPUT_ALREADY], messages);
      self->already = table ? kl_pool_load_already_selected (table, self->settings, messages, NULL) : NULL;
    }

  if (self->pool != NULL)
    kl_pool_check_enough_people (self->pool, messages);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  self->messages = g_steal_pointer (&messages);

  /* Rows with a problem are highlighted in the preview. */
  for (guint i = 0; i < self->messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (self->messages, i);
      if (m->severity == KL_SEVERITY_ERROR && m->row >= 2 && self->pool_table &&
          g_strcmp0 (m->file, self->pool_table->file) == 0)
        g_hash_table_add (problem_rows, GUINT_TO_POINTER (m->row - 2 + 1));
    }

  if (self->pool_table != NULL)
    {
      g_autofree char *summary = g_strdup_printf (ngettext ("%u person", "%u people", self->pool_table->n_rows),
                                                  self->pool_table->n_rows);
      g_autofree char *shown = NULL;

      kl_table_view_set (self->preview_view, (const char * const *) self->pool_table->header,
                         MIN (self->pool_table->n_rows, PREVIEW_ROWS), preview_cell,
                         kl_table_ref (self->pool_table), (GDestroyNotify) kl_table_unref, problem_rows);
      set_row_file (self->pool_row, self->inputs[KL_INPUT_POOL], summary);
      if (self->pool_table->n_rows > PREVIEW_ROWS)
        shown = g_strdup_printf (_("The first %u of %u people"), PREVIEW_ROWS, self->pool_table->n_rows);
      adw_preferences_group_set_description (self->preview_group, shown);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->preview_group), self->pool_table != NULL);

  if (self->quotas != NULL)
    {
      g_autofree char *summary = g_strdup_printf (ngettext ("%u feature", "%u features",
                                                            kl_quotas_get_n_features (self->quotas)),
                                                  kl_quotas_get_n_features (self->quotas));
      set_row_file (self->quotas_row, self->inputs[KL_INPUT_QUOTAS], summary);
    }
  else
    set_row_file (self->quotas_row, self->inputs[KL_INPUT_QUOTAS], NULL);
  set_row_file (self->settings_row, self->inputs[KL_INPUT_SETTINGS], NULL);
  set_row_file (self->already_row, self->inputs[KL_INPUT_ALREADY], NULL);

  show_problems (self);
  update_panel_size_bounds (self);
  update_actions (self);
  self->updating = FALSE;
}

static void
on_choice_changed (KlWindow *self)
{
  reload (self);
}

/* Which input a dropped or opened file is, when the user did not say. */
static KlInput
guess_input (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *contents = NULL;
  g_autoptr(KlTable) table = NULL;

  if (g_str_has_suffix (name, ".toml") || g_str_has_suffix (name, ".json"))
    return KL_INPUT_SETTINGS;

  if (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL))
    table = kl_table_read_data (contents, -1, name, NULL, NULL);
  if (table != NULL)
    {
      guint n;
      gboolean has_min = kl_table_find_column (table, "min", &n) >= 0;
      gboolean has_feature = kl_table_find_column (table, "feature", &n) >= 0 ||
                             kl_table_find_column (table, "category", &n) >= 0;

      if (has_min && has_feature)
        return KL_INPUT_QUOTAS;
    }
  return KL_INPUT_POOL;
}

void
kl_window_set_input (KlWindow *self,
                     KlInput   input,
                     GFile    *file)
{
  g_set_object (&self->inputs[input], file);

  switch (input)
    {
    case KL_INPUT_POOL:
      g_clear_pointer (&self->pool_table, kl_table_unref);
      break;
    case KL_INPUT_QUOTAS:
      g_clear_pointer (&self->quotas, kl_quotas_unref);
      break;
    case KL_INPUT_SETTINGS:
      g_clear_pointer (&self->base_settings, kl_settings_free);
      break;
    case KL_INPUT_ALREADY:
    default:
      break;
    }
  reload (self);

  /* A settings file brings its algorithm and seed; the page shows them. */
  if (input == KL_INPUT_SETTINGS && file != NULL && self->base_settings != NULL)
    {
      g_autofree char *seed = self->base_settings->random_number_seed != 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, self->base_settings->random_number_seed)
        : g_strdup ("");

      kl_window_set_algorithm (self, self->base_settings->selection_algorithm);
      gtk_editable_set_text (GTK_EDITABLE (self->seed_row), seed);
    }
}

void
kl_window_open_file (KlWindow *self,
                     GFile    *file)
{
  kl_window_set_input (self, guess_input (file), file);
}

void
kl_window_load_example (KlWindow *self)
{
  g_autoptr(GFile) settings = g_file_new_for_uri (EXAMPLE_URI "settings.toml");
  g_autoptr(GFile) quotas = g_file_new_for_uri (EXAMPLE_URI "quotas.csv");
  g_autoptr(GFile) pool = g_file_new_for_uri (EXAMPLE_URI "pool.csv");

  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->inputs); i++)
    g_clear_object (&self->inputs[i]);
  kl_window_set_input (self, KL_INPUT_SETTINGS, settings);
  kl_window_set_input (self, KL_INPUT_QUOTAS, quotas);
  self->updating = FALSE;
  kl_window_set_input (self, KL_INPUT_POOL, pool);
}

/* ---- file choosers ------------------------------------------------------------ */

static void
remember_folder (KlWindow *self,
                 GFile    *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);

  if (parent != NULL && g_file_is_native (parent))
    {
      g_autofree char *path = g_file_get_path (parent);
      g_settings_set_string (self->gsettings, "last-folder", path);
    }
}

static void
set_start_folder (KlWindow       *self,
                  GtkFileChooser *chooser)
{
  g_autofree char *folder = g_settings_get_string (self->gsettings, "last-folder");

  if (*folder)
    {
      g_autoptr(GFile) file = g_file_new_for_path (folder);
      gtk_file_chooser_set_current_folder (chooser, file, NULL);
    }
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  KlWindow *self = KL_WINDOW (user_data);
  KlInput input = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "input"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      remember_folder (self, file);
      kl_window_set_input (self, input, file);
      adw_view_stack_set_visible_child_name (self->stack, "files");
    }
  g_object_unref (dialog);
}

static void
open_input (KlWindow   *self,
            KlInput     input,
            const char *title)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN,
                                                              _("_Open"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (input == KL_INPUT_SETTINGS)
    {
      gtk_file_filter_set_name (filter, _("Settings files"));
      gtk_file_filter_add_suffix (filter, "toml");
      gtk_file_filter_add_suffix (filter, "json");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_filter_add_suffix (filter, "txt");
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  set_start_folder (self, GTK_FILE_CHOOSER (dialog));
  g_object_set_data (G_OBJECT (dialog), "input", GINT_TO_POINTER (input));
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_pool_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *parameter)
{
  open_input (KL_WINDOW (widget), KL_INPUT_POOL, _("Open the Pool of Volunteers"));
}

static void
open_quotas_action (GtkWidget  *widget,
                    const char *action,
                    GVariant   *parameter)
{
  open_input (KL_WINDOW (widget), KL_INPUT_QUOTAS, _("Open the Quotas"));
}

static void
open_settings_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *parameter)
{
  open_input (KL_WINDOW (widget), KL_INPUT_SETTINGS, _("Open a Settings File"));
}

static void
open_already_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *parameter)
{
  open_input (KL_WINDOW (widget), KL_INPUT_ALREADY, _("Open the People Already Selected"));
}

static void
load_example_action (GtkWidget  *widget,
                     const char *action,
                     GVariant   *parameter)
{
  kl_window_load_example (KL_WINDOW (widget));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action,
                  GVariant   *parameter)
{
  adw_view_stack_set_visible_child_name (KL_WINDOW (widget)->stack, g_variant_get_string (parameter, NULL));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  KlWindow *self = KL_WINDOW (user_data);
  GSList *files = g_value_get_boxed (value);

  for (GSList *l = files; l != NULL; l = l->next)
    kl_window_open_file (self, l->data);
  adw_view_stack_set_visible_child_name (self->stack, "files");
  return files != NULL;
}

/* ---- errors ---------------------------------------------------------------------- */

static void
on_error_response (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  if (g_str_equal (response, "copy"))
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                            g_object_get_data (G_OBJECT (dialog), "details"));
  else if (g_str_equal (response, "apply"))
    kl_window_apply_suggested_quotas (self);
}

/* Takes the quotas the engine suggested for infeasible ones, for this
 * session: the file is untouched until the organiser exports them. */
gboolean
kl_window_apply_suggested_quotas (KlWindow *self)
{
  if (self->suggested == NULL)
    return FALSE;

  g_clear_pointer (&self->quotas, kl_quotas_unref);
  self->quotas = g_steal_pointer (&self->suggested);
  reload (self);
  adw_toast_overlay_add_toast (self->toasts,
                               adw_toast_new (_("Suggested quotas applied; export them to keep them")));
  return TRUE;
}

gboolean kl_window_apply_suggested_quotas (KlWindow *self);

static void
show_error (KlWindow   *self,
            const char *heading,
            const char *details,
            gboolean    can_apply)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, details);

  g_free (self->last_error);
  self->last_error = g_strdup (details);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "copy", _("_Copy Details"));
  if (can_apply)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "apply", _("_Apply Suggested Quotas"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "details", g_strdup (details), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the run ---------------------------------------------------------------------- */

static gboolean
tick_clock (gpointer user_data)
{
  KlWindow *self = KL_WINDOW (user_data);
  double seconds = (g_get_monotonic_time () - self->started) / 1e6;
  g_autofree char *text = g_strdup_printf (_("Elapsed: %.0f s"), seconds);

  gtk_label_set_text (self->elapsed_label, text);
  return G_SOURCE_CONTINUE;
}

static void
on_progress (const char *phase,
             gint64      total,
             gint64      current,
             const char *message,
             gpointer    user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  if (phase == NULL)
    return;

  gtk_label_set_text (self->phase_label, phase_label (phase));
  if (message != NULL)
    gtk_label_set_text (self->message_label, message);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) MIN (current, total) / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
set_running (KlWindow *self,
             gboolean  running)
{
  update_actions (self);
  if (running)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->progress_group), TRUE);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_label_set_text (self->phase_label, _("Checking the quotas"));
      gtk_label_set_text (self->message_label, "");
      self->started = g_get_monotonic_time ();
      tick_clock (self);
      self->clock_id = g_timeout_add (250, tick_clock, self);
    }
  else
    g_clear_handle_id (&self->clock_id, g_source_remove);
}

static char *
summary_text (KlRun *run)
{
  const KlRunParams *params = kl_run_get_params (run);
  GString *out = g_string_new (NULL);
  KlMessage *value = kl_report_find_line (kl_run_get_report (run), "maximin_value");

  if (params->test_selection)
    g_string_append_printf (out, _("Test selection of %d people."), params->number_wanted);
  else
    g_string_append_printf (out, _("%d people selected with the %s algorithm."), params->number_wanted,
                            kl_algorithm_to_string (params->algorithm));
  g_string_append_c (out, ' ');
  if (kl_run_is_secure (run))
    g_string_append (out, _("Randomness: the operating system's secure generator."));
  else
    {
      g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, params->seed);
      g_string_append_printf (out, _("Randomness: seed %s (repeatable)."), seed);
    }
  if (value != NULL)
    {
      g_autofree char *text = kl_message_to_string (value);
      g_string_append_printf (out, "\n%s", text);
    }
  if (kl_run_get_n_panels (run) > 1)
    {
      g_autofree char *digest = kl_run_get_distribution_digest (run);
      g_string_append_printf (out, _("\n%u equally likely panels for a public draw; the distribution's SHA-256 is %s."),
                              kl_run_get_n_panels (run), digest);
    }
  return g_string_free (out, FALSE);
}

static void
show_quota_table (KlWindow *self,
                  KlRun    *run)
{
  KlPool *pool = kl_run_get_pool (run);
  KlQuotas *quotas = kl_pool_get_quotas (pool);
  g_autofree guint *pool_counts = kl_pool_count_per_value (pool);
  g_autofree guint *selected = g_new0 (guint, MAX (kl_quotas_get_n_slots (quotas), 1));
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n;
  const guint *panel = kl_run_get_panel (run, 0, &n);
  char **header = g_new0 (char *, 6);

  header[0] = g_strdup (_("Feature"));
  header[1] = g_strdup (_("Value"));
  header[2] = g_strdup (_("Target"));
  header[3] = g_strdup (_("In the pool"));
  header[4] = g_strdup (_("Selected"));
  g_ptr_array_add (rows, header);

  for (guint i = 0; i < n; i++)
    for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
      selected[kl_quotas_get_slot (quotas, f, kl_pool_get_value (pool, panel[i], f))]++;

  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        guint s = kl_quotas_get_slot (quotas, f, v);
        char **row = g_new0 (char *, 6);

        row[0] = g_strdup (kl_quotas_get_feature (quotas, f)->name);
        row[1] = g_strdup (quota->name);
        row[2] = g_strdup_printf ("%d–%d", quota->min, quota->max);
        row[3] = g_strdup_printf ("%u", pool_counts[s]);
        row[4] = g_strdup_printf ("%u", selected[s]);
        g_ptr_array_add (rows, row);
      }
  kl_table_view_set_rows (self->quota_view, rows);
  g_ptr_array_unref (rows);
}

static void
show_result (KlWindow *self,
             KlRun    *run)
{
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) remaining = NULL;
  g_autofree char *summary = summary_text (run);
  g_autofree char *report = kl_report_to_text (kl_run_get_report (run));
  guint n;
  const guint *panel = kl_run_get_panel (run, 0, &n);
  const double *probabilities = kl_run_get_probabilities (run);

  kl_output_build_tables (kl_run_get_pool (run), self->settings, panel, n, self->already,
                          KL_OUTPUT_NONE, &selected, &remaining);
  kl_table_view_set_rows (self->panel_view, selected);
  show_quota_table (self, run);

  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->test_banner), kl_run_get_params (run)->test_selection);
  kl_probability_chart_set (self->chart, probabilities, kl_pool_get_n_people (kl_run_get_pool (run)),
                            kl_run_get_params (run)->number_wanted);
  gtk_widget_set_visible (GTK_WIDGET (self->chart_group), probabilities != NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->report_view), report, -1);

  gtk_stack_set_visible_child_name (self->results_stack, "result");
  adw_view_stack_set_visible_child_name (self->stack, "results");
}

static void
notify_if_away (KlWindow   *self,
                const char *title,
                const char *body)
{
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;

  if (application == NULL || gtk_window_is_active (GTK_WINDOW (self)))
    return;
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_application_send_notification (application, "selection-finished", notification);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KlWindow) self = user_data;
  KlRun *run = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = kl_run_execute_finish (run, result, &error);

  kl_progress_relay_flush (self->relay);
  kl_progress_relay_disconnect (self->relay);
  g_clear_object (&self->relay);
  g_clear_object (&self->cancellable);

  /* The window was closed during the run: the run only had to stop. */
  if (self->disposed)
    {
      g_clear_pointer (&self->run, kl_run_unref);
      return;
    }

  set_running (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_group), FALSE);

  if (ok)
    {
      g_clear_pointer (&self->result, kl_run_unref);
      self->result = kl_run_ref (run);
      g_clear_pointer (&self->run, kl_run_unref);
      show_result (self, self->result);
      notify_if_away (self, _("Panel selected"), _("The selection finished."));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelling is what the organiser asked for, never an error. */
      g_clear_pointer (&self->run, kl_run_unref);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Selection cancelled")));
    }
  else
    {
      gboolean infeasible = g_error_matches (error, KL_ERROR, KL_ERROR_INFEASIBLE) &&
                            kl_run_get_suggested_quotas (run) != NULL;

      g_clear_pointer (&self->suggested, kl_quotas_unref);
      if (infeasible)
        self->suggested = kl_quotas_ref (kl_run_get_suggested_quotas (run));
      g_clear_pointer (&self->run, kl_run_unref);
      show_error (self, infeasible ? _("The Quotas Cannot Be Met") : _("The Selection Failed"),
                  error->message, infeasible);
      notify_if_away (self, _("The selection failed"), error->message);
    }
  update_actions (self);
}

static gboolean
parse_seed (KlWindow *self,
            gint64   *seed)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->seed_row));
  char *end;

  *seed = 0;
  if (*text == '\0')
    return TRUE;
  *seed = g_ascii_strtoll (text, &end, 10);
  if (*end != '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->seed_row), "error");
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->seed_row), "error");
  return TRUE;
}

static void
run_action (GtkWidget  *widget,
            const char *action,
            GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  KlRunParams params;

  if (self->pool == NULL || self->run != NULL)
    return;

  kl_run_params_init (&params, self->settings);
  params.number_wanted = gtk_spin_button_get_value_as_int (self->panel_size);
  params.algorithm = selected_algorithm (self);
  params.test_selection = gtk_switch_get_active (self->test_switch);
  params.number_selections = gtk_spin_button_get_value_as_int (self->panels_spin);
  if (!parse_seed (self, &params.seed))
    {
      adw_view_stack_set_visible_child_name (self->stack, "selection");
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("The seed must be a whole number, or empty")));
      return;
    }

  g_settings_set_string (self->gsettings, "algorithm", kl_algorithm_to_string (params.algorithm));
  g_settings_set_int (self->gsettings, "number-selections", params.number_selections);
  g_settings_set_boolean (self->gsettings, "test-selection", params.test_selection);

  self->run = kl_run_new (self->pool, self->settings, self->already, &params);
  self->cancellable = g_cancellable_new ();
  self->relay = kl_progress_relay_new (on_progress, self);
  set_running (self, TRUE);
  adw_view_stack_set_visible_child_name (self->stack, "selection");
  kl_run_execute_async (self->run, KL_PROGRESS_REPORTER (self->relay), self->cancellable,
                        on_run_done, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---- export ----------------------------------------------------------------------- */

static const char * const *
input_paths (KlWindow *self,
             char     *paths[5])
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (self->inputs); i++)
    if (self->inputs[i] != NULL && g_file_is_native (self->inputs[i]))
      paths[n++] = g_file_get_path (self->inputs[i]);
  paths[n] = NULL;
  return (const char * const *) paths;
}

/**
 * kl_window_export_to_folder:
 *
 * Writes everything about the last result into @folder: selected and
 * remaining people (CSV), a workbook with every table (XLSX), the report
 * (HTML and JSON), the probabilities and, for a lottery, the panels.
 */
gboolean
kl_window_export_to_folder (KlWindow  *self,
                            GFile     *folder,
                            GError   **error)
{
  g_autofree char *path = g_file_get_path (folder);

  if (self->result == NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_CONFIGURATION, _("There is no result to export yet."));
      return FALSE;
    }
  if (path == NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_FILE, _("Results can only be exported to a local folder."));
      return FALSE;
    }
  /* People open these CSVs in spreadsheets: formulas are neutralised. */
  return kl_export_to_folder (self->result, path, KL_EXPORT_EXCEL_SAFE, NULL, NULL, error);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (kl_window_export_to_folder (self, folder, &error))
        adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Results exported")));
      else
        show_error (self, _("The Results Could Not Be Exported"), error->message, FALSE);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  KlWindow *self = KL_WINDOW (widget);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Export Results to a Folder"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                              _("_Export"), _("_Cancel"));

  set_start_folder (self, GTK_FILE_CHOOSER (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  KlWindow *self = KL_WINDOW (user_data);
  gboolean quotas = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "quotas"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      char *paths[5] = { NULL };
      const char * const *inputs = input_paths (self, paths);
      gboolean ok;

      ok = quotas ? kl_quotas_save (self->quotas, path, inputs, &error)
                  : kl_settings_save (self->settings, path, inputs, &error);
      for (guint i = 0; paths[i]; i++)
        g_free (paths[i]);
      if (ok)
        adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Saved")));
      else
        show_error (self, _("The File Could Not Be Saved"), error->message, FALSE);
    }
  g_object_unref (dialog);
}

static void
save_file (KlWindow   *self,
           gboolean    quotas,
           const char *title,
           const char *name)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SAVE,
                                                              _("_Save"), _("_Cancel"));

  set_start_folder (self, GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "quotas", GINT_TO_POINTER (quotas));
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_settings_action (GtkWidget  *widget,
                        const char *action,
                        GVariant   *parameter)
{
  save_file (KL_WINDOW (widget), FALSE, _("Export the Settings"), "settings.toml");
}

static void
export_quotas_action (GtkWidget  *widget,
                      const char *action,
                      GVariant   *parameter)
{
  save_file (KL_WINDOW (widget), TRUE, _("Export the Quotas"), "quotas.csv");
}

/* ---- life cycle -------------------------------------------------------------------- */

static void
on_algorithm_changed (KlWindow *self)
{
  KlAlgorithm algorithm = selected_algorithm (self);
  const char *caveat = kl_algorithm_get_caveat (algorithm);
  g_autofree char *subtitle = caveat ? g_strdup_printf ("%s. %s", kl_algorithm_get_explanation (algorithm), caveat)
                                     : g_strdup (kl_algorithm_get_explanation (algorithm));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->algorithm_row), subtitle);
  if (self->base_settings != NULL && !self->updating)
    {
      g_clear_pointer (&self->settings, kl_settings_free);
      self->settings = effective_settings (self);
    }
}

static gboolean
kl_window_close_request (GtkWindow *window)
{
  KlWindow *self = KL_WINDOW (window);

  /* Closing during a run cancels it; the worker ends on its own. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_settings_set_int (self->gsettings, "window-width", gtk_widget_get_width (GTK_WIDGET (self)));
  g_settings_set_int (self->gsettings, "window-height", gtk_widget_get_height (GTK_WIDGET (self)));
  return GTK_WINDOW_CLASS (kl_window_parent_class)->close_request (window);
}

static void
kl_window_dispose (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->relay != NULL)
    kl_progress_relay_disconnect (self->relay);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_WINDOW);
  G_OBJECT_CLASS (kl_window_parent_class)->dispose (object);
}

static void
kl_window_finalize (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->inputs); i++)
    g_clear_object (&self->inputs[i]);
  g_clear_pointer (&self->base_settings, kl_settings_free);
  g_clear_pointer (&self->settings, kl_settings_free);
  g_clear_pointer (&self->quotas, kl_quotas_unref);
  g_clear_pointer (&self->pool_table, kl_table_unref);
  g_clear_pointer (&self->pool, kl_pool_unref);
  g_clear_pointer (&self->already, kl_pool_unref);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->keep_checks, g_ptr_array_unref);
  g_clear_pointer (&self->address_checks, g_ptr_array_unref);
  g_clear_pointer (&self->run, kl_run_unref);
  g_clear_pointer (&self->result, kl_run_unref);
  g_clear_pointer (&self->suggested, kl_quotas_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->relay);
  g_clear_object (&self->gsettings);
  g_free (self->last_error);
  G_OBJECT_CLASS (kl_window_parent_class)->finalize (object);
}

static void
kl_window_class_init (KlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_window_dispose;
  object_class->finalize = kl_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = kl_window_close_request;

  g_type_ensure (KL_TYPE_PROBABILITY_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kleroterion/Kleroterion/kl-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, KlWindow, name)
  CHILD (toasts);
  CHILD (stack);
  CHILD (pool_row);
  CHILD (quotas_row);
  CHILD (settings_row);
  CHILD (already_row);
  CHILD (problems_group);
  CHILD (problems_list);
  CHILD (preview_group);
  CHILD (preview_view);
  CHILD (panel_size_row);
  CHILD (panel_size);
  CHILD (algorithm_row);
  CHILD (panels_spin);
  CHILD (seed_row);
  CHILD (test_switch);
  CHILD (id_row);
  CHILD (keep_row);
  CHILD (address_row);
  CHILD (progress_group);
  CHILD (phase_label);
  CHILD (message_label);
  CHILD (progress_bar);
  CHILD (elapsed_label);
  CHILD (results_stack);
  CHILD (test_banner);
  CHILD (summary_label);
  CHILD (chart_group);
  CHILD (panel_view);
  CHILD (quota_view);
  CHILD (chart);
  CHILD (report_view);
#undef CHILD

  gtk_widget_class_install_action (widget_class, "win.open-pool", NULL, open_pool_action);
  gtk_widget_class_install_action (widget_class, "win.open-quotas", NULL, open_quotas_action);
  gtk_widget_class_install_action (widget_class, "win.open-settings", NULL, open_settings_action);
  gtk_widget_class_install_action (widget_class, "win.open-already", NULL, open_already_action);
  gtk_widget_class_install_action (widget_class, "win.load-example", NULL, load_example_action);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-settings", NULL, export_settings_action);
  gtk_widget_class_install_action (widget_class, "win.export-quotas", NULL, export_quotas_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-pool", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.open-quotas", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.open-settings", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.load-example", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export-settings", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "files");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "selection");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "results");
}

static void
kl_window_init (KlWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_autofree char *algorithm = NULL;
  KlAlgorithm remembered;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->keep_checks = g_ptr_array_new ();
  self->address_checks = g_ptr_array_new ();
  self->messages = kl_messages_new ();
  self->gsettings = g_settings_new ("org.kleroterion.Kleroterion");

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->gsettings, "window-width"),
                               g_settings_get_int (self->gsettings, "window-height"));

  fill_algorithm_row (self);
  algorithm = g_settings_get_string (self->gsettings, "algorithm");
  if (kl_algorithm_from_string (algorithm, &remembered))
    select_algorithm (self, remembered);
  gtk_spin_button_set_value (self->panels_spin, g_settings_get_int (self->gsettings, "number-selections"));
  gtk_switch_set_active (self->test_switch, g_settings_get_boolean (self->gsettings, "test-selection"));
  on_algorithm_changed (self);

  g_signal_connect_swapped (self->algorithm_row, "notify::selected", G_CALLBACK (on_algorithm_changed), self);
  g_signal_connect_swapped (self->id_row, "notify::selected", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->address_row, "notify::enable-expansion", G_CALLBACK (on_choice_changed), self);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  reload (self);
}

KlWindow *
kl_window_new (GtkApplication *application)
{
  return g_object_new (KL_TYPE_WINDOW, "application", application, NULL);
}

/* ---- for the tests ------------------------------------------------------------------ */

gboolean
kl_window_is_running (KlWindow *self)
{
  return self->run != NULL && self->cancellable != NULL;
}

KlRun *
kl_window_get_result (KlWindow *self)
{
  return self->result;
}

GPtrArray *
kl_window_get_messages (KlWindow *self)
{
  return self->messages;
}

GtkProgressBar *
kl_window_get_progress_bar (KlWindow *self)
{
  return self->progress_bar;
}

GtkLabel *
kl_window_get_phase_label (KlWindow *self)
{
  return self->phase_label;
}

GtkColumnView *
kl_window_get_panel_view (KlWindow *self)
{
  return self->panel_view;
}

GtkColumnView *
kl_window_get_preview_view (KlWindow *self)
{
  return self->preview_view;
}

GtkListBox *
kl_window_get_problems_list (KlWindow *self)
{
  return self->problems_list;
}

KlProbabilityChart *
kl_window_get_chart (KlWindow *self)
{
  return self->chart;
}

void
kl_window_set_algorithm (KlWindow    *self,
                         KlAlgorithm  algorithm)
{
  select_algorithm (self, algorithm);
}

KlAlgorithm
kl_window_get_algorithm (KlWindow *self)
{
  return selected_algorithm (self);
}

void
kl_window_set_panel_size (KlWindow *self,
                          int       size)
{
  gtk_spin_button_set_value (self->panel_size, size);
}

void
kl_window_set_seed (KlWindow   *self,
                    const char *seed)
{
  gtk_editable_set_text (GTK_EDITABLE (self->seed_row), seed);
}

const char *
kl_window_get_last_error (KlWindow *self)
{
  return self->last_error;
}
