/* kl-application.c — application actions and windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-application.h"
#include "kl-window-private.h"

struct _KlApplication {
  AdwApplication parent_instance;
  gboolean load_example;
};

G_DEFINE_FINAL_TYPE (KlApplication, kl_application, ADW_TYPE_APPLICATION)

static KlWindow *
ensure_window (KlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (kl_window_new (GTK_APPLICATION (self)));
  return KL_WINDOW (window);
}

static void
kl_application_activate (GApplication *application)
{
  KlApplication *self = KL_APPLICATION (application);
  KlWindow *window = ensure_window (self);

  if (self->load_example)
    kl_window_load_example (window);
  self->load_example = FALSE;
  gtk_window_present (GTK_WINDOW (window));
}

static int
kl_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "example"))
    KL_APPLICATION (application)->load_example = TRUE;
  return -1;
}

static void
kl_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  KlWindow *window = ensure_window (KL_APPLICATION (application));

  kl_window_open_files (window, files, n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Kleroterion developers", NULL };
  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", gtk_application_get_active_window (application),
                                   "application-name", _("Kleroterion"),
                                   "application-icon", APP_ID,
                                   "version", PACKAGE_VERSION,
                                   "developer-name", _("The Kleroterion developers"),
                                   "developers", developers,
                                   "comments", _("Select citizens' assemblies by lot: every quota met, every "
                                                 "volunteer given the largest possible guaranteed chance, and "
                                                 "a report anyone can audit."),
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   "translator-credits", _("translator-credits"),
                                   NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closing each window cancels its run first. */
  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
kl_application_startup (GApplication *application)
{
  G_APPLICATION_CLASS (kl_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
}

static void
kl_application_class_init (KlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = kl_application_activate;
  app_class->open = kl_application_open;
  app_class->startup = kl_application_startup;
  app_class->handle_local_options = kl_application_handle_local_options;
}

static void
kl_application_init (KlApplication *self)
{
  const GOptionEntry options[] = {
    { "example", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the bundled example, ready to select a panel"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

KlApplication *
kl_application_new (void)
{
  return g_object_new (KL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/kleroterion/Kleroterion",
                       NULL);
}
