/* kl-window.c — the organiser's path: files → selection → results
 *
 * The window owns what is open and the run's life: it starts loads (read
 * and checked in a worker, see kl-loader.c) and hands what they found to
 * the pages; it starts the selection in a worker, shows its progress above
 * every page, and gives the Results page what the run produced together
 * with the inputs it was drawn from. Actions and dialogs are glued on in
 * kl-window-actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-window-private.h"

#define EXAMPLE_URI "resource:///org/kleroterion/Kleroterion/examples/"

G_DEFINE_FINAL_TYPE (KlWindow, kl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What can be done now follows from what is loaded and running. */
static void
update_actions (KlWindow *self)
{
  gboolean running = self->cancellable != NULL;
  gboolean ready = self->inputs->pool != NULL && self->loads_pending == 0 &&
                   kl_messages_count (self->inputs->messages, KL_SEVERITY_ERROR) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", ready && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", self->result != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.draw",
                                 self->result != NULL && kl_run_get_n_panels (self->result) > 1 && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-quotas", self->inputs->quotas != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-settings", self->inputs->settings != NULL);
}

/* ---- loading ---------------------------------------------------------------- */

static gboolean
same_files (const KlInputs *a,
            const KlInputs *b)
{
  for (guint i = 0; i < KL_N_INPUTS; i++)
    {
      if ((a->files[i] == NULL) != (b->files[i] == NULL))
        return FALSE;
      if (a->files[i] != NULL && !g_file_equal (a->files[i], b->files[i]))
        return FALSE;
    }
  return a->applied_quotas == b->applied_quotas;
}

typedef struct {
  KlWindow *window;
  guint generation;
} LoadCall;

static void
set_spinners (KlWindow *self,
              guint     spinning)
{
  for (guint i = 0; i < KL_N_INPUTS; i++)
    kl_files_page_set_loading (self->files_page, i, (spinning & (1u << i)) != 0);
}

static void
clear_pending (KlWindow *self)
{
  g_ptr_array_set_size (self->pending_files, 0);
  g_array_set_size (self->pending_roles, 0);
  g_clear_pointer (&self->pending_quotas, kl_quotas_unref);
  self->spinning = 0;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadCall *call = user_data;
  g_autoptr(KlWindow) self = call->window;
  g_autoptr(KlInputs) inputs = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = call->generation;

  g_free (call);
  inputs = kl_inputs_load_finish (result, &error);
  self->loads_pending--;

  /* A newer load started since, with everything this one was asked for:
   * its result replaces this one, which may have stopped early. */
  if (self->disposed || generation != self->load_generation)
    return;

  clear_pending (self);
  set_spinners (self, 0);
  g_clear_object (&self->load_cancellable);
  if (inputs == NULL)
    {
      update_actions (self);
      return;
    }

  g_clear_pointer (&self->inputs, kl_inputs_unref);
  self->inputs = g_steal_pointer (&inputs);
  kl_selection_page_show_inputs (self->selection_page, self->inputs);
  kl_files_page_show_inputs (self->files_page, self->inputs);
  if (self->result_inputs != NULL)
    kl_results_page_set_stale (self->results_page, !same_files (self->inputs, self->result_inputs));
  update_actions (self);
}

static guint
spinner_bit (GFile   *file,
             KlInput  role)
{
  if (role == KL_INPUT_GUESS)
    {
      g_autofree char *name = g_file_get_basename (file);
      role = g_str_has_suffix (name, ".toml") || g_str_has_suffix (name, ".json")
             ? KL_INPUT_SETTINGS : KL_INPUT_POOL;
    }
  return 1u << role;
}

/**
 * kl_window_load:
 * @files: (array length=n_files): files to read, each with its role in @roles
 * @quotas: (nullable): quotas that replace the file's for this session
 *
 * Reads @files and checks everything again in a worker, with the column
 * choices of the Selection page unless a new pool or settings file resets
 * them. Without files, only checks again.
 *
 * Loads do not queue: a load asked for while another runs stops that one
 * and does its work too, from the inputs last shown. Only the latest
 * load's result is taken (the generation counter).
 */
void
kl_window_load (KlWindow       *self,
                GFile         **files,
                const KlInput  *roles,
                guint           n_files,
                KlQuotas       *quotas)
{
  g_autoptr(KlSettings) choices = NULL;
  LoadCall *call = g_new0 (LoadCall, 1);

  for (guint i = 0; i < n_files; i++)
    {
      g_ptr_array_add (self->pending_files, g_object_ref (files[i]));
      g_array_append_val (self->pending_roles, roles[i]);
      self->spinning |= spinner_bit (files[i], roles[i]);
    }
  if (quotas != NULL)
    {
      g_clear_pointer (&self->pending_quotas, kl_quotas_unref);
      self->pending_quotas = kl_quotas_ref (quotas);
    }
  set_spinners (self, self->spinning);

  if (self->inputs->settings != NULL)
    choices = kl_selection_page_get_settings (self->selection_page, self->inputs->settings);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  call->window = g_object_ref (self);
  call->generation = ++self->load_generation;
  self->loads_pending++;
  update_actions (self);
  kl_inputs_load_async (self->inputs, (GFile **) self->pending_files->pdata,
                        (const KlInput *) self->pending_roles->data, self->pending_files->len,
                        choices, self->pending_quotas, self->load_cancellable, on_loaded, call);
}

void
kl_window_set_input (KlWindow *self,
                     KlInput   input,
                     GFile    *file)
{
  g_return_if_fail (KL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  kl_window_load (self, &file, &input, 1, NULL);
}

/**
 * kl_window_open_files:
 *
 * Opens files whose role is not known (dropped, or given on the command
 * line): each is sorted into pool, quotas or settings by what it holds.
 */
void
kl_window_open_files (KlWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_autofree KlInput *roles = g_new (KlInput, MAX (n_files, 1));

  g_return_if_fail (KL_IS_WINDOW (self));

  for (guint i = 0; i < n_files; i++)
    roles[i] = KL_INPUT_GUESS;
  kl_window_load (self, files, roles, n_files, NULL);
}

void
kl_window_open_file (KlWindow *self,
                     GFile    *file)
{
  kl_window_open_files (self, &file, 1);
}

void
kl_window_load_example (KlWindow *self)
{
  g_autoptr(GFile) settings = g_file_new_for_uri (EXAMPLE_URI "settings.toml");
  g_autoptr(GFile) quotas = g_file_new_for_uri (EXAMPLE_URI "quotas.csv");
  g_autoptr(GFile) pool = g_file_new_for_uri (EXAMPLE_URI "pool.csv");
  GFile *files[] = { settings, quotas, pool };
  const KlInput roles[] = { KL_INPUT_SETTINGS, KL_INPUT_QUOTAS, KL_INPUT_POOL };

  g_return_if_fail (KL_IS_WINDOW (self));

  /* The example replaces everything, the people already selected too,
   * and whatever was still being read. */
  g_clear_pointer (&self->inputs, kl_inputs_unref);
  self->inputs = kl_inputs_new ();
  clear_pending (self);
  kl_window_load (self, files, roles, G_N_ELEMENTS (files), NULL);
}

static void
on_columns_changed (KlWindow *self)
{
  kl_window_load (self, NULL, NULL, 0, NULL);
}

/* Takes the quotas the engine suggested for infeasible ones, for this
 * session: the file is untouched until the organiser exports them. */
gboolean
kl_window_apply_suggested_quotas (KlWindow *self)
{
  g_autoptr(KlQuotas) quotas = NULL;

  if (self->suggested == NULL)
    return FALSE;

  quotas = g_steal_pointer (&self->suggested);
  kl_window_load (self, NULL, NULL, 0, quotas);
  adw_toast_overlay_add_toast (self->toasts,
                               adw_toast_new (_("Suggested quotas applied; export them to keep them")));
  return TRUE;
}

/* ---- the run -------------------------------------------------------------------- */

static void
set_running (KlWindow *self,
             gboolean  running)
{
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (running)
    kl_run_progress_start (self->progress);
  else
    kl_run_progress_stop (self->progress);
  kl_results_page_set_running (self->results_page, running);
}

/* "Drawn from pool.csv, quotas.csv, settings.toml at 14:05." — the time
 * the run started, as its audit record gives it. */
static char *
drawn_from (KlInputs *inputs,
            KlRun    *run)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) local = kl_run_get_time (run) ? g_date_time_to_local (kl_run_get_time (run))
                                                      : g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (local, "%H:%M");
  g_autofree char *list = NULL;

  for (guint i = 0; i < KL_N_INPUTS; i++)
    if (inputs->files[i] != NULL)
      {
        g_autofree char *base = g_file_get_basename (inputs->files[i]);
        g_ptr_array_add (names, g_file_has_uri_scheme (inputs->files[i], "resource")
                                  ? g_strdup_printf (_("%s (example)"), base) : g_steal_pointer (&base));
      }
  if (inputs->applied_quotas != NULL)
    g_ptr_array_add (names, g_strdup (_("the suggested quotas")));
  g_ptr_array_add (names, NULL);
  list = g_strjoinv (", ", (char **) names->pdata);
  return g_strdup_printf (_("Drawn from %s at %s."), list, time);
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
  g_autoptr(KlRun) run = g_steal_pointer (&self->run);
  g_autoptr(KlInputs) inputs = g_steal_pointer (&self->run_inputs);
  g_autoptr(GError) error = NULL;
  gboolean ok = kl_run_execute_finish (run, result, &error);

  kl_progress_relay_flush (self->relay);
  kl_progress_relay_disconnect (self->relay);
  g_clear_object (&self->relay);
  g_clear_object (&self->cancellable);

  /* The window was closed during the run: the run only had to stop. */
  if (self->disposed)
    return;

  set_running (self, FALSE);

  if (ok)
    {
      g_autofree char *from = drawn_from (inputs, run);

      g_clear_pointer (&self->result, kl_run_unref);
      g_clear_pointer (&self->result_inputs, kl_inputs_unref);
      self->result = kl_run_ref (run);
      self->result_inputs = kl_inputs_ref (inputs);
      kl_results_page_show_run (self->results_page, run, inputs->settings, inputs->already, from);
      kl_results_page_set_stale (self->results_page, !same_files (self->inputs, inputs));
      adw_view_stack_set_visible_child_name (self->stack, "results");
      notify_if_away (self, _("Panel selected"), _("The selection finished."));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelling is what the organiser asked for, never an error. */
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Selection cancelled")));
    }
  else
    {
      gboolean infeasible = g_error_matches (error, KL_ERROR, KL_ERROR_INFEASIBLE) &&
                            kl_run_get_suggested_quotas (run) != NULL;

      g_clear_pointer (&self->suggested, kl_quotas_unref);
      if (infeasible)
        self->suggested = kl_quotas_ref (kl_run_get_suggested_quotas (run));
      kl_window_show_error (self, infeasible ? _("The Quotas Cannot Be Met") : _("The Selection Failed"),
                            error->message, infeasible);
      notify_if_away (self, _("The selection failed"), error->message);
    }
  update_actions (self);
}

void
kl_window_run (KlWindow *self)
{
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  KlRunParams params;

  if (self->inputs->pool == NULL || self->run != NULL)
    return;

  /* The settings the pool was checked with: the page's column choices. */
  settings = kl_selection_page_get_settings (self->selection_page, self->inputs->settings);
  if (!kl_selection_page_get_params (self->selection_page, settings, &params, &error))
    {
      adw_view_stack_set_visible_child_name (self->stack, "selection");
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
      return;
    }
  kl_selection_page_remember (self->selection_page);

  /* The result belongs to the inputs of this moment, whatever is opened
   * while it runs. */
  self->run_inputs = kl_inputs_ref (self->inputs);
  self->run = kl_run_new (self->inputs->pool, settings, self->inputs->already, &params);
  self->cancellable = g_cancellable_new ();
  self->relay = kl_progress_relay_new (kl_run_progress_update, self->progress);
  set_running (self, TRUE);
  kl_run_execute_async (self->run, KL_PROGRESS_REPORTER (self->relay), self->cancellable,
                        on_run_done, g_object_ref (self));
}

void
kl_window_cancel (KlWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* ---- life cycle ------------------------------------------------------------------ */

static gboolean
kl_window_close_request (GtkWindow *window)
{
  KlWindow *self = KL_WINDOW (window);

  /* Closing during a run cancels it; the worker ends on its own. */
  kl_window_cancel (self);
  g_settings_set_int (self->gsettings, "window-width", gtk_widget_get_width (GTK_WIDGET (self)));
  g_settings_set_int (self->gsettings, "window-height", gtk_widget_get_height (GTK_WIDGET (self)));
  return GTK_WINDOW_CLASS (kl_window_parent_class)->close_request (window);
}

static void
kl_window_dispose (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  self->disposed = TRUE;
  kl_window_cancel (self);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->relay != NULL)
    kl_progress_relay_disconnect (self->relay);
  gtk_widget_dispose_template (GTK_WIDGET (self), KL_TYPE_WINDOW);
  G_OBJECT_CLASS (kl_window_parent_class)->dispose (object);
}

static void
kl_window_finalize (GObject *object)
{
  KlWindow *self = KL_WINDOW (object);

  g_clear_pointer (&self->inputs, kl_inputs_unref);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);
  g_clear_pointer (&self->pending_roles, g_array_unref);
  g_clear_pointer (&self->pending_quotas, kl_quotas_unref);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->suggested, kl_quotas_unref);
  g_clear_pointer (&self->run, kl_run_unref);
  g_clear_pointer (&self->run_inputs, kl_inputs_unref);
  g_clear_pointer (&self->result, kl_run_unref);
  g_clear_pointer (&self->result_inputs, kl_inputs_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->relay);
  g_clear_object (&self->gsettings);
  g_free (self->last_error);
  G_OBJECT_CLASS (kl_window_parent_class)->finalize (object);
}

static void
kl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KlWindow *self = KL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kl_window_class_init (KlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kl_window_get_property;
  object_class->dispose = kl_window_dispose;
  object_class->finalize = kl_window_finalize;

  /**
   * KlWindow:running:
   *
   * Whether a selection is running; the progress area shows while it is.
   */
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  GTK_WINDOW_CLASS (klass)->close_request = kl_window_close_request;

  g_type_ensure (KL_TYPE_FILES_PAGE);
  g_type_ensure (KL_TYPE_RUN_PROGRESS);
  g_type_ensure (KL_TYPE_SELECTION_PAGE);
  g_type_ensure (KL_TYPE_RESULTS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kleroterion/Kleroterion/kl-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, KlWindow, name)
  CHILD (toasts);
  CHILD (stack);
  CHILD (files_page);
  CHILD (selection_page);
  CHILD (results_page);
  CHILD (progress_revealer);
  CHILD (progress);
  CHILD (main_menu_button);
#undef CHILD

  kl_window_class_add_actions (widget_class);
}

static void
kl_window_init (KlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->inputs = kl_inputs_new ();
  self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_roles = g_array_new (FALSE, FALSE, sizeof (KlInput));
  self->gsettings = g_settings_new ("org.kleroterion.Kleroterion");
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->gsettings, "window-width"),
                               g_settings_get_int (self->gsettings, "window-height"));

  g_signal_connect_swapped (self->selection_page, "columns-changed", G_CALLBACK (on_columns_changed), self);
  kl_window_add_drop_target (self);
  kl_files_page_show_inputs (self->files_page, self->inputs);
  update_actions (self);
}

KlWindow *
kl_window_new (GtkApplication *application)
{
  return g_object_new (KL_TYPE_WINDOW, "application", application, NULL);
}

/* ---- for the tests ---------------------------------------------------------------- */

gboolean
kl_window_is_running (KlWindow *self)
{
  return self->run != NULL;
}

gboolean
kl_window_is_loading (KlWindow *self)
{
  return self->loads_pending > 0;
}

KlRun *
kl_window_get_result (KlWindow *self)
{
  return self->result;
}

GPtrArray *
kl_window_get_messages (KlWindow *self)
{
  return self->inputs->messages;
}

GtkProgressBar *
kl_window_get_progress_bar (KlWindow *self)
{
  return kl_run_progress_get_bar (self->progress);
}

GtkLabel *
kl_window_get_phase_label (KlWindow *self)
{
  return kl_run_progress_get_phase_label (self->progress);
}

guint
kl_window_get_progress_moves (KlWindow *self)
{
  return kl_run_progress_get_n_moves (self->progress);
}

const char *
kl_window_get_last_error (KlWindow *self)
{
  return self->last_error;
}

KlFilesPage *
kl_window_get_files_page (KlWindow *self)
{
  return self->files_page;
}

KlSelectionPage *
kl_window_get_selection_page (KlWindow *self)
{
  return self->selection_page;
}

KlResultsPage *
kl_window_get_results_page (KlWindow *self)
{
  return self->results_page;
}
