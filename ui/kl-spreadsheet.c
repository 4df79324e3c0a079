/* kl-spreadsheet.c — XLSX through libxlsxwriter
 *
 * Every cell is written as a string, never as a formula: a volunteer who
 * typed "=HYPERLINK(…)" or "+44 …" into a form must not make the
 * organiser's spreadsheet run anything when it is opened. The workbook is
 * written to a temporary file and renamed into place, like every output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <kleroterion.h>
#include <xlsxwriter.h>
#include <errno.h>
#include <unistd.h>

#include "kl-spreadsheet.h"

gboolean
kl_spreadsheet_write (const char          *path,
                      const char * const  *sheet_names,
                      GPtrArray * const   *sheets,
                      guint                n_sheets,
                      GError             **error)
{
  g_autofree char *temporary = g_strdup_printf ("%s.XXXXXX", path);
  lxw_workbook *workbook;
  lxw_format *bold;
  lxw_error result;
  int fd;

  if (!kl_file_check_writable (path, NULL, error))
    return FALSE;

  fd = g_mkstemp (temporary);
  if (fd < 0)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write %s: %s"), path, g_strerror (errno));
      return FALSE;
    }
  close (fd);

  workbook = workbook_new (temporary);
  if (workbook == NULL)
    {
      g_unlink (temporary);
      g_set_error (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write %s."), path);
      return FALSE;
    }
  bold = workbook_add_format (workbook);
  format_set_bold (bold);

  for (guint s = 0; s < n_sheets; s++)
    {
      lxw_worksheet *sheet = workbook_add_worksheet (workbook, sheet_names[s]);
      GPtrArray *rows = sheets[s];

      for (guint r = 0; r < rows->len; r++)
        {
          char **cells = g_ptr_array_index (rows, r);
          for (guint c = 0; cells[c] != NULL; c++)
            worksheet_write_string (sheet, r, c, cells[c], r == 0 ? bold : NULL);
        }
      worksheet_freeze_panes (sheet, 1, 0);
    }

  result = workbook_close (workbook);
  if (result != LXW_NO_ERROR)
    {
      g_unlink (temporary);
      g_set_error (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write %s: %s"), path, lxw_strerror (result));
      return FALSE;
    }
  if (g_rename (temporary, path) != 0)
    {
      int saved = errno;
      g_unlink (temporary);
      g_set_error (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
