/* kl-window-actions.c — the window's actions, dialogs and drop target
 *
 * Every command is a "win." action, so the menus, the buttons, the keyboard
 * shortcuts and the tests all go through the same code. The window
 * (kl-window.c) keeps the state; this file asks the person for files and
 * folders and shows what went wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-window-private.h"

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
      g_autoptr(GListModel) chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree KlInput *roles = g_new (KlInput, MAX (g_list_model_get_n_items (chosen), 1));

      for (guint i = 0; i < g_list_model_get_n_items (chosen); i++)
        {
          g_ptr_array_add (files, g_list_model_get_item (chosen, i));
          roles[i] = input;
        }
      if (files->len > 0)
        {
          remember_folder (self, g_ptr_array_index (files, 0));
          kl_window_load (self, (GFile **) files->pdata, roles, files->len, NULL);
          adw_view_stack_set_visible_child_name (self->stack, "files");
        }
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

  if (input == KL_INPUT_SETTINGS || input == KL_INPUT_GUESS)
    {
      gtk_file_filter_add_suffix (filter, "toml");
      gtk_file_filter_add_suffix (filter, "json");
    }
  if (input != KL_INPUT_SETTINGS)
    {
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_filter_add_suffix (filter, "txt");
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_filter_set_name (filter, input == KL_INPUT_SETTINGS ? _("Settings files")
                                    : input == KL_INPUT_GUESS ? _("CSV and settings files")
                                    : _("CSV files"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), input == KL_INPUT_GUESS);
  set_start_folder (self, GTK_FILE_CHOOSER (dialog));
  g_object_set_data (G_OBJECT (dialog), "input", GINT_TO_POINTER (input));
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_files_action (GtkWidget  *widget,
                   const char *action,
                   GVariant   *parameter)
{
  open_input (KL_WINDOW (widget), KL_INPUT_GUESS, _("Open the Pool, the Quotas and Settings"));
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

static void
run_action (GtkWidget  *widget,
            const char *action,
            GVariant   *parameter)
{
  kl_window_run (KL_WINDOW (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action,
               GVariant   *parameter)
{
  kl_window_cancel (KL_WINDOW (widget));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  KlWindow *self = KL_WINDOW (user_data);
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  kl_window_open_files (self, (GFile **) files->pdata, files->len);
  adw_view_stack_set_visible_child_name (self->stack, "files");
  return files->len > 0;
}

void
kl_window_add_drop_target (KlWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
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

void
kl_window_show_error (KlWindow   *self,
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
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_object_set_data_full (G_OBJECT (dialog), "details", g_strdup (details), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_error_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- export ----------------------------------------------------------------------- */

static const char * const *
input_paths (KlInputs *inputs,
             char     *paths[KL_N_INPUTS + 1])
{
  guint n = 0;

  for (guint i = 0; i < KL_N_INPUTS; i++)
    if (inputs->files[i] != NULL && g_file_is_native (inputs->files[i]))
      paths[n++] = g_file_get_path (inputs->files[i]);
  paths[n] = NULL;
  return (const char * const *) paths;
}

/**
 * kl_window_export_to_folder:
 * @replace: whether files of an earlier export may be replaced
 *
 * Writes the last result's whole set into @folder, all or nothing, as the
 * engine assembles it from the run itself: whatever is open now, the
 * files and hashes are those the panel was drawn from.
 */
gboolean
kl_window_export_to_folder (KlWindow  *self,
                            GFile     *folder,
                            gboolean   replace,
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
  return kl_export_to_folder (self->result, path, KL_EXPORT_EXCEL_SAFE | (replace ? KL_EXPORT_REPLACE : 0),
                              NULL, NULL, error);
}

static void
export_now (KlWindow *self,
            GFile    *folder,
            gboolean  replace)
{
  g_autoptr(GError) error = NULL;

  if (kl_window_export_to_folder (self, folder, replace, &error))
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Results exported")));
  else
    kl_window_show_error (self, _("The Results Could Not Be Exported"), error->message, FALSE);
}

static void
on_replace_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  if (g_str_equal (response, "replace"))
    export_now (self, g_object_get_data (G_OBJECT (dialog), "folder"), TRUE);
}

/**
 * kl_window_export_with_confirmation:
 *
 * Exports into @folder; if that would replace files of an earlier export
 * (perhaps an official draw's), first asks, naming them, with Cancel as
 * the answer Enter and Escape give.
 *
 * Returns: (transfer none) (nullable): the question, if one was asked
 */
AdwMessageDialog *
kl_window_export_with_confirmation (KlWindow *self,
                                    GFile    *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  g_auto(GStrv) existing = NULL;
  g_autofree char *list = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  guint n;

  if (self->result == NULL || path == NULL ||
      (existing = kl_export_find_existing (self->result, path)) == NULL || existing[0] == NULL)
    {
      export_now (self, folder, FALSE);
      return NULL;
    }

  /* The files by name: the person chose the folder they are in. */
  n = g_strv_length (existing);
  for (guint i = 0; i < n; i++)
    {
      char *name = g_path_get_basename (existing[i]);

      g_free (existing[i]);
      existing[i] = name;
    }
  list = g_strjoinv ("\n", existing);
  body = g_strdup_printf (ngettext ("This folder already holds %u file of an earlier export, which would be "
                                    "replaced:\n\n%s",
                                    "This folder already holds %u files of an earlier export, which would be "
                                    "replaced:\n\n%s", n),
                          n, list);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Replace Earlier Results?"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "replace", _("_Replace"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "folder", g_object_ref (folder), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_replace_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
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

      kl_window_export_with_confirmation (self, folder);
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

/* ---- the public draw ---------------------------------------------------------------- */

/**
 * kl_window_draw_panel:
 * @public_number: the number drawn in public, in decimal digits
 *
 * The public draw of a lottery run: the panel @public_number picks, with
 * everyone else, and the draw's record, into @folder, all or nothing; the
 * Results page then shows that panel as the one selected.
 */
gboolean
kl_window_draw_panel (KlWindow    *self,
                      const char  *public_number,
                      GFile       *folder,
                      GError     **error)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autofree char *done = NULL;
  guint panel_number = 0;

  if (self->result == NULL || kl_run_get_n_panels (self->result) < 2)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_CONFIGURATION, _("Only a lottery of several panels has a public draw."));
      return FALSE;
    }
  if (path == NULL)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_FILE, _("Results can only be exported to a local folder."));
      return FALSE;
    }
  if (!kl_draw_run_to_folder (self->result, public_number, path, KL_EXPORT_EXCEL_SAFE, &panel_number, NULL, error))
    return FALSE;

  kl_results_page_show_drawn (self->results_page, self->result, kl_run_get_settings (self->result),
                              kl_run_get_already_selected (self->result), panel_number, public_number);
  done = g_strdup_printf (_("Panel %u drawn; its people are in selected.csv"), panel_number);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (done));
  return TRUE;
}

static void
on_draw_folder_response (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  KlWindow *self = KL_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!kl_window_draw_panel (self, g_object_get_data (G_OBJECT (dialog), "number"), folder, &error))
        kl_window_show_error (self, _("The Panel Could Not Be Drawn"), error->message, FALSE);
    }
  g_object_unref (dialog);
}

static void
on_public_number_response (AdwMessageDialog *dialog,
                           const char       *response,
                           gpointer          user_data)
{
  KlWindow *self = KL_WINDOW (user_data);
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *number = gtk_editable_get_text (entry);
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *chooser;

  if (!g_str_equal (response, "draw") || self->result == NULL)
    return;
  if (kl_draw_panel_number (number, kl_run_get_n_panels (self->result), &error) == 0)
    {
      kl_window_show_error (self, _("Not a Public Number"), error->message, FALSE);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Write the Drawn Panel to a Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Draw"), _("_Cancel"));
  set_start_folder (self, GTK_FILE_CHOOSER (chooser));
  g_object_set_data_full (G_OBJECT (chooser), "number", g_strdup (number), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_draw_folder_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * kl_window_ask_public_number:
 *
 * The first step of the public draw: the number, from dice or a national
 * lottery, that picks one of the equally likely panels.
 *
 * Returns: (transfer none): the question
 */
AdwMessageDialog *
kl_window_ask_public_number (KlWindow *self)
{
  guint n = self->result ? kl_run_get_n_panels (self->result) : 0;
  g_autofree char *body = g_strdup_printf (_("Enter the number drawn in public, for example with dice or by a "
                                             "national lottery. It picks one of the %u equally likely panels: "
                                             "the remainder of the number divided by %u, where 0 means panel %u."),
                                           n, n, n);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Draw a Panel"), body);
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Public number"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Public number"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "draw", _("_Draw…"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "draw", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "draw");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_public_number_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
draw_action (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  kl_window_ask_public_number (KL_WINDOW (widget));
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
      char *paths[KL_N_INPUTS + 1] = { NULL };
      const char * const *inputs = input_paths (self->inputs, paths);
      g_autoptr(KlSettings) settings = kl_selection_page_get_settings (self->selection_page,
                                                                       self->inputs->settings);
      gboolean ok;

      ok = quotas ? kl_quotas_save (self->inputs->quotas, path, inputs, &error)
                  : kl_settings_save (settings, path, inputs, &error);
      for (guint i = 0; paths[i]; i++)
        g_free (paths[i]);
      if (ok)
        adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Saved")));
      else
        kl_window_show_error (self, _("The File Could Not Be Saved"), error->message, FALSE);
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


/* ---- the actions and their keys ------------------------------------------------------- */

void
kl_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-files", NULL, open_files_action);
  gtk_widget_class_install_action (widget_class, "win.open-pool", NULL, open_pool_action);
  gtk_widget_class_install_action (widget_class, "win.open-quotas", NULL, open_quotas_action);
  gtk_widget_class_install_action (widget_class, "win.open-settings", NULL, open_settings_action);
  gtk_widget_class_install_action (widget_class, "win.open-already", NULL, open_already_action);
  gtk_widget_class_install_action (widget_class, "win.load-example", NULL, load_example_action);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.draw", NULL, draw_action);
  gtk_widget_class_install_action (widget_class, "win.export-settings", NULL, export_settings_action);
  gtk_widget_class_install_action (widget_class, "win.export-quotas", NULL, export_quotas_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);

  /* The shortcuts window (gtk/help-overlay.ui) lists these same keys. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.open-pool", NULL);
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
