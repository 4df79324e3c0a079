/* kl-selection-page.c — panel size, algorithm, randomness and columns
 *
 * The form offers only combinations that make sense: a test selection is
 * not drawn by lot, so while it is on the lottery count and the seed are
 * off, and a sentence says why. The algorithm chooser is built from the
 * engine's own descriptions (kl-algorithm.h), caveat included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-selection-page.h"

struct _KlSelectionPage {
  AdwBin parent_instance;

  AdwActionRow *panel_size_row;
  GtkSpinButton *panel_size;
  AdwComboRow *algorithm_row;
  GtkLabel *algorithm_explanation;
  AdwActionRow *time_limit_row;
  GtkSpinButton *time_limit_spin;
  AdwPreferencesGroup *draw_group;
  AdwActionRow *test_row;
  GtkSwitch *test_switch;
  AdwActionRow *panels_row;
  GtkSpinButton *panels_spin;
  AdwEntryRow *seed_row;
  AdwComboRow *id_row;
  AdwExpanderRow *keep_row;
  AdwExpanderRow *address_row;

  GPtrArray *keep_checks;      /* GtkCheckButton per pool column */
  GPtrArray *address_checks;
  GSettings *gsettings;
  gboolean filling;            /* the page changes itself: not a choice */
};

enum {
  COLUMNS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KlSelectionPage, kl_selection_page, ADW_TYPE_BIN)

KlAlgorithm
kl_selection_page_get_algorithm (KlSelectionPage *self)
{
  guint n;
  const KlAlgorithm *algorithms = kl_algorithm_list_available (&n);
  guint i = adw_combo_row_get_selected (self->algorithm_row);

  g_return_val_if_fail (KL_IS_SELECTION_PAGE (self), KL_ALGORITHM_MAXIMIN);

  return algorithms[MIN (i, n - 1)];
}

void
kl_selection_page_set_algorithm (KlSelectionPage *self,
                                 KlAlgorithm      algorithm)
{
  guint n;
  const KlAlgorithm *algorithms = kl_algorithm_list_available (&n);

  g_return_if_fail (KL_IS_SELECTION_PAGE (self));

  for (guint i = 0; i < n; i++)
    if (algorithms[i] == algorithm)
      adw_combo_row_set_selected (self->algorithm_row, i);
}

static void
fill_algorithm_row (KlSelectionPage *self)
{
  guint n;
  const KlAlgorithm *algorithms = kl_algorithm_list_available (&n);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (titles, kl_algorithm_get_title (algorithms[i]));
  adw_combo_row_set_model (self->algorithm_row, G_LIST_MODEL (titles));
}

/* The explanation, and the caveat where there is one, under the list. */
static void
on_algorithm_changed (KlSelectionPage *self)
{
  KlAlgorithm algorithm = kl_selection_page_get_algorithm (self);
  const char *caveat = kl_algorithm_get_caveat (algorithm);
  g_autofree char *subtitle = caveat ? g_strdup_printf ("%s. %s", kl_algorithm_get_explanation (algorithm), caveat)
                                     : g_strdup (kl_algorithm_get_explanation (algorithm));

  gtk_label_set_text (self->algorithm_explanation, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->algorithm_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle, -1);
  /* Only diversimax searches against the clock. */
  gtk_widget_set_visible (GTK_WIDGET (self->time_limit_row), algorithm == KL_ALGORITHM_DIVERSIMAX);
}

/* A test selection has no randomness to seed and no lottery to hold. */
static void
on_test_changed (KlSelectionPage *self)
{
  gboolean test = gtk_switch_get_active (self->test_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->panels_row), !test);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seed_row), !test);
  adw_preferences_group_set_description (self->draw_group,
                                         test ? _("A test selection is not drawn by lot, so it has no seed "
                                                  "and no lottery. Switch it off for a real draw.")
                                              : NULL);
}

static void
on_columns_changed (KlSelectionPage *self)
{
  if (!self->filling)
    g_signal_emit (self, signals[COLUMNS_CHANGED], 0);
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

/* The pool's own columns, checked as the settings say. */
static void
fill_column_choices (KlSelectionPage *self,
                     KlInputs        *inputs)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  KlTable *table = inputs->tables[KL_INPUT_POOL];
  const KlSettings *settings = inputs->settings;
  guint id_index = 0;

  clear_checks (self->keep_row, self->keep_checks);
  clear_checks (self->address_row, self->address_checks);

  for (guint c = 0; table && c < table->n_columns; c++)
    {
      const char *name = table->header[c];

      gtk_string_list_append (names, name);
      if (g_ascii_strcasecmp (name, settings->id_column) == 0)
        id_index = c;

      if (inputs->quotas != NULL && kl_quotas_find_feature (inputs->quotas, name) >= 0)
        continue;

      for (guint list = 0; list < 2; list++)
        {
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *check = gtk_check_button_new ();
          gboolean active = list == 0 ? strv_has_folded (settings->columns_to_keep, name)
                                      : strv_has_folded (settings->check_same_address_columns, name);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          g_object_set_data_full (G_OBJECT (check), "column", g_strdup (name), g_free);
          g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_columns_changed), self);
          adw_expander_row_add_row (list == 0 ? self->keep_row : self->address_row, row);
          g_ptr_array_add (list == 0 ? self->keep_checks : self->address_checks, check);
        }
    }

  adw_combo_row_set_model (self->id_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->id_row, id_index);
  adw_expander_row_set_enable_expansion (self->address_row, settings->check_same_address);
}

static void
update_panel_size_bounds (KlSelectionPage *self,
                          KlInputs        *inputs)
{
  int lowest, highest, current;
  g_autofree char *subtitle = NULL;

  /* Why Select Panel cannot be pressed yet. */
  if (inputs->quotas == NULL || inputs->pool == NULL)
    {
      adw_action_row_set_subtitle (self->panel_size_row, _("Open a pool and its quotas on the Files page first"));
      return;
    }

  lowest = MAX (kl_quotas_get_minimum_selection (inputs->quotas), 1);
  highest = MIN (kl_quotas_get_maximum_selection (inputs->quotas), (int) kl_pool_get_n_people (inputs->pool));
  highest = MAX (highest, lowest);
  current = gtk_spin_button_get_value_as_int (self->panel_size);
  gtk_spin_button_set_range (self->panel_size, lowest, highest);
  if (current <= 1 || current < lowest || current > highest)
    gtk_spin_button_set_value (self->panel_size, (lowest + highest) / 2);
  subtitle = g_strdup_printf (_("The quotas allow %d to %d people"), lowest, highest);
  adw_action_row_set_subtitle (self->panel_size_row, subtitle);
}

/**
 * kl_selection_page_show_inputs:
 *
 * Offers the columns of a new pool, takes the algorithm and seed of a new
 * settings file, and bounds the panel size by the quotas.
 */
void
kl_selection_page_show_inputs (KlSelectionPage *self,
                               KlInputs        *inputs)
{
  g_return_if_fail (KL_IS_SELECTION_PAGE (self));

  self->filling = TRUE;
  if (inputs->settings_changed || inputs->pool_changed)
    fill_column_choices (self, inputs);

  /* A settings file brings its algorithm and seed; the page shows them. */
  if (inputs->settings_changed && inputs->files[KL_INPUT_SETTINGS] != NULL && inputs->base_settings != NULL)
    {
      g_autofree char *seed = inputs->base_settings->random_number_seed != 0
        ? g_strdup_printf ("%" G_GINT64_FORMAT, inputs->base_settings->random_number_seed)
        : g_strdup ("");

      kl_selection_page_set_algorithm (self, inputs->base_settings->selection_algorithm);
      gtk_editable_set_text (GTK_EDITABLE (self->seed_row), seed);
      gtk_spin_button_set_value (self->time_limit_spin, inputs->base_settings->diversimax_max_seconds);
    }
  update_panel_size_bounds (self, inputs);
  self->filling = FALSE;
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

/**
 * kl_selection_page_get_settings:
 *
 * Returns: (transfer full): @base as changed on the page.
 */
KlSettings *
kl_selection_page_get_settings (KlSelectionPage  *self,
                                const KlSettings *base)
{
  KlSettings *settings = kl_settings_copy (base);
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
  settings->selection_algorithm = kl_selection_page_get_algorithm (self);
  return settings;
}

/**
 * kl_selection_page_get_params:
 *
 * Fills @params with the page's choices. A test selection has one panel
 * and no seed, whatever the disabled rows still hold.
 */
gboolean
kl_selection_page_get_params (KlSelectionPage   *self,
                              const KlSettings  *settings,
                              KlRunParams       *params,
                              GError           **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->seed_row));
  char *end = NULL;

  kl_run_params_init (params, settings);
  params->number_wanted = gtk_spin_button_get_value_as_int (self->panel_size);
  params->algorithm = kl_selection_page_get_algorithm (self);
  params->test_selection = gtk_switch_get_active (self->test_switch);
  params->number_selections = gtk_spin_button_get_value_as_int (self->panels_spin);
  params->max_seconds = gtk_spin_button_get_value_as_int (self->time_limit_spin);
  params->seed = 0;

  if (params->test_selection)
    {
      params->number_selections = 1;
      return TRUE;
    }

  if (*text != '\0')
    params->seed = g_ascii_strtoll (text, &end, 10);
  if (end != NULL && *end != '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->seed_row), "error");
      g_set_error_literal (error, KL_ERROR, KL_ERROR_CONFIGURATION, _("The seed must be a whole number, or empty"));
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->seed_row), "error");
  return TRUE;
}

/* Diversimax's time limit, in seconds. */
void
kl_selection_page_set_time_limit (KlSelectionPage *self,
                                  int              seconds)
{
  gtk_spin_button_set_value (self->time_limit_spin, seconds);
}

/* Whether the time limit is offered (it is, for diversimax only). */
gboolean
kl_selection_page_get_time_limit_shown (KlSelectionPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->time_limit_row));
}

void
kl_selection_page_set_panel_size (KlSelectionPage *self,
                                  int              size)
{
  gtk_spin_button_set_value (self->panel_size, size);
}

void
kl_selection_page_set_seed (KlSelectionPage *self,
                            const char      *seed)
{
  gtk_editable_set_text (GTK_EDITABLE (self->seed_row), seed);
}

void
kl_selection_page_set_number_selections (KlSelectionPage *self,
                                         int              n)
{
  gtk_spin_button_set_value (self->panels_spin, n);
}

void
kl_selection_page_set_test_selection (KlSelectionPage *self,
                                      gboolean         test)
{
  gtk_switch_set_active (self->test_switch, test);
}

/* Whether the lottery count and the seed can be changed. */
gboolean
kl_selection_page_get_lottery_enabled (KlSelectionPage *self)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (self->panels_row)) &&
         gtk_widget_is_sensitive (GTK_WIDGET (self->seed_row));
}

/* The next window starts from the last run's choices. */
void
kl_selection_page_remember (KlSelectionPage *self)
{
  g_settings_set_string (self->gsettings, "algorithm",
                         kl_algorithm_to_string (kl_selection_page_get_algorithm (self)));
  g_settings_set_int (self->gsettings, "number-selections", gtk_spin_button_get_value_as_int (self->panels_spin));
}

static void
kl_selection_page_dispose (GObject *object)
{
  /* AdwBin unparents its child, the template's top widget, itself;
   * disposing the template too would unparent it twice. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  G_OBJECT_CLASS (kl_selection_page_parent_class)->dispose (object);
}

static void
kl_selection_page_finalize (GObject *object)
{
  KlSelectionPage *self = KL_SELECTION_PAGE (object);

  g_clear_pointer (&self->keep_checks, g_ptr_array_unref);
  g_clear_pointer (&self->address_checks, g_ptr_array_unref);
  g_clear_object (&self->gsettings);
  G_OBJECT_CLASS (kl_selection_page_parent_class)->finalize (object);
}

static void
kl_selection_page_class_init (KlSelectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kl_selection_page_dispose;
  object_class->finalize = kl_selection_page_finalize;

  /**
   * KlSelectionPage::columns-changed:
   *
   * The person chose another id, kept or address column: the pool needs
   * checking again (not reading again).
   */
  signals[COLUMNS_CHANGED] = g_signal_new ("columns-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kleroterion/Kleroterion/kl-selection-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, KlSelectionPage, name)
  CHILD (panel_size_row);
  CHILD (panel_size);
  CHILD (algorithm_row);
  CHILD (algorithm_explanation);
  CHILD (time_limit_row);
  CHILD (time_limit_spin);
  CHILD (draw_group);
  CHILD (test_row);
  CHILD (test_switch);
  CHILD (panels_row);
  CHILD (panels_spin);
  CHILD (seed_row);
  CHILD (id_row);
  CHILD (keep_row);
  CHILD (address_row);
#undef CHILD
}

static void
kl_selection_page_init (KlSelectionPage *self)
{
  g_autofree char *algorithm = NULL;
  KlAlgorithm remembered;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->keep_checks = g_ptr_array_new ();
  self->address_checks = g_ptr_array_new ();
  self->gsettings = g_settings_new ("org.kleroterion.Kleroterion");

  fill_algorithm_row (self);
  algorithm = g_settings_get_string (self->gsettings, "algorithm");
  if (kl_algorithm_from_string (algorithm, &remembered))
    kl_selection_page_set_algorithm (self, remembered);
  gtk_spin_button_set_value (self->panels_spin, g_settings_get_int (self->gsettings, "number-selections"));
  g_settings_bind (self->gsettings, "test-selection", self->test_switch, "active", G_SETTINGS_BIND_DEFAULT);
  on_algorithm_changed (self);
  on_test_changed (self);

  g_signal_connect_swapped (self->algorithm_row, "notify::selected", G_CALLBACK (on_algorithm_changed), self);
  g_signal_connect_swapped (self->test_switch, "notify::active", G_CALLBACK (on_test_changed), self);
  g_signal_connect_swapped (self->id_row, "notify::selected", G_CALLBACK (on_columns_changed), self);
  g_signal_connect_swapped (self->address_row, "notify::enable-expansion", G_CALLBACK (on_columns_changed), self);
}
