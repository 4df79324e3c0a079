/* kleroterion.c — the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kl-application.h"

/* `kleroterion --version` answers without opening a window or talking to
 * a running instance, as every GNOME application's does. */
static int
on_handle_local_options (GApplication *application,
                         GVariantDict *options,
                         gpointer      user_data)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("kleroterion %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(KlApplication) application = NULL;
  const char *localedir = g_getenv ("KLEROTERION_LOCALEDIR");

  /* An uninstalled build (meson devenv) points at its own catalogues. */
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = kl_application_new ();
  g_application_add_main_option (G_APPLICATION (application), "version", 0, 0, G_OPTION_ARG_NONE,
                                 _("Print the version and exit"), NULL);
  g_signal_connect (application, "handle-local-options", G_CALLBACK (on_handle_local_options), NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
