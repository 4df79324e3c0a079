/* kleroterion.c — the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kl-application.h"

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
  return g_application_run (G_APPLICATION (application), argc, argv);
}
