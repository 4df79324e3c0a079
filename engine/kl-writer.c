/* kl-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <errno.h>
#include <sys/stat.h>

/* Quoting only where needed and CRLF endings: what spreadsheets and Python's
 * csv module write, so outputs open the same everywhere. */
void
kl_csv_append_row (GString            *out,
                   const char * const *cells,
                   guint               n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      const char *cell = cells[i] ? cells[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');

      if (strpbrk (cell, ",\"\r\n") == NULL)
        {
          g_string_append (out, cell);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = cell; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}

/* Rows are NULL-terminated string vectors; the first is the header. */
char *
kl_csv_from_rows (GPtrArray *rows)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const char * const *row = g_ptr_array_index (rows, i);
      kl_csv_append_row (out, row, g_strv_length ((char **) row));
    }

  return g_string_free (out, FALSE);
}

static void
set_file_error (GError     **error,
                const char  *code,
                const char  *path,
                const char  *reason)
{
  g_autoptr(KlMessage) m = kl_message_new (KL_SEVERITY_ERROR, code);
  g_autofree char *text = NULL;

  kl_message_set_location (m, path, 0, 0, NULL, -1);
  if (reason != NULL)
    kl_message_set_param (m, "reason", reason);
  text = kl_message_to_located_string (m);
  g_set_error_literal (error, KL_ERROR, KL_ERROR_FILE, text);
}

static gboolean
same_file (const char  *a,
           struct stat *a_stat,
           const char  *b)
{
  struct stat b_stat;
  g_autofree char *canon_a = g_canonicalize_filename (a, NULL);
  g_autofree char *canon_b = g_canonicalize_filename (b, NULL);

  if (g_str_equal (canon_a, canon_b))
    return TRUE;

  return a_stat != NULL && stat (b, &b_stat) == 0 &&
         a_stat->st_dev == b_stat.st_dev && a_stat->st_ino == b_stat.st_ino;
}

/**
 * kl_file_write_atomic:
 * @inputs: (nullable): files this run read, which must never be written over
 *
 * Writes to a temporary file beside @path and renames it into place, so a
 * reader sees the old file or the whole new one and a failure (full disk,
 * missing folder) leaves no partial file behind.
 */
/**
 * kl_file_check_writable:
 *
 * The checks kl_file_write_atomic() makes before writing, for callers that
 * want to refuse a bad output path before a long run rather than after it.
 */
gboolean
kl_file_check_writable (const char          *path,
                        const char * const  *inputs,
                        GError             **error)
{
  g_autofree char *folder = NULL;
  struct stat target_stat;
  gboolean exists;

  g_return_val_if_fail (path != NULL, FALSE);

  exists = stat (path, &target_stat) == 0;

  for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++)
    if (same_file (path, exists ? &target_stat : NULL, inputs[i]))
      {
        set_file_error (error, "output_is_input", path, NULL);
        return FALSE;
      }

  if (exists && S_ISDIR (target_stat.st_mode))
    {
      set_file_error (error, "output_is_folder", path, NULL);
      return FALSE;
    }

  folder = g_path_get_dirname (path);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      set_file_error (error, "output_folder_missing", path, folder);
      return FALSE;
    }

  return TRUE;
}

gboolean
kl_file_write_atomic (const char          *path,
                      const char          *contents,
                      gsize                length,
                      const char * const  *inputs,
                      GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!kl_file_check_writable (path, inputs, error))
    return FALSE;

  if (!g_file_set_contents_full (path, contents, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local_error))
    {
      set_file_error (error, "write_failed", path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
kl_csv_write_rows (const char          *path,
                   GPtrArray           *rows,
                   const char * const  *inputs,
                   GError             **error)
{
  g_autofree char *csv = kl_csv_from_rows (rows);

  return kl_file_write_atomic (path, csv, strlen (csv), inputs, error);
}
