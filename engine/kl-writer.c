/* kl-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-writer-private.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Links followed by hand, so a dangling link still names the file it would
 * create; the same bound on hops as the kernel's. */
#define MAX_LINK_HOPS 40

/* Replacing the link itself would silently cut it from its target, which
 * is what the person who made the link relies on. */
char *
kl_file_resolve_links (const char *path,
                       int        *saved_errno)
{
  g_autofree char *current = g_canonicalize_filename (path, NULL);

  for (guint hop = 0; hop < MAX_LINK_HOPS; hop++)
    {
      g_autofree char *target = NULL;
      g_autofree char *folder = NULL;
      struct stat link_stat;

      if (lstat (current, &link_stat) != 0 || !S_ISLNK (link_stat.st_mode))
        return g_steal_pointer (&current);

      target = g_file_read_link (current, NULL);
      if (target == NULL)
        return g_steal_pointer (&current);
      folder = g_path_get_dirname (current);

      /* /dev/stdout on a pipe is /proc/self/fd/1 → "pipe:[…]": a name that
       * only the kernel can follow, so the link is where the write goes. */
      {
        g_autofree char *next = g_canonicalize_filename (target, folder);
        struct stat next_stat, current_stat;

        if (lstat (next, &next_stat) != 0 && stat (current, &current_stat) == 0)
          return g_steal_pointer (&current);
        g_free (current);
        current = g_steal_pointer (&next);
      }
    }

  *saved_errno = ELOOP;
  return NULL;
}

static gboolean
is_standard_output (const char *path)
{
  return g_str_equal (path, "-");
}

/* By name, or by device and inode: catches `./in.csv`, a symbolic link to
 * the input and a hard link to it alike. */
static gboolean
same_file (const char        *a,
           const struct stat *a_stat,
           const char        *b)
{
  struct stat b_stat;
  g_autofree char *canon_a = g_canonicalize_filename (a, NULL);
  g_autofree char *canon_b = g_canonicalize_filename (b, NULL);

  if (g_str_equal (canon_a, canon_b))
    return TRUE;

  return a_stat != NULL && stat (b, &b_stat) == 0 &&
         a_stat->st_dev == b_stat.st_dev && a_stat->st_ino == b_stat.st_ino;
}

static gboolean
is_an_input (const char         *path,
             const struct stat  *path_stat,
             const char * const *inputs)
{
  for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++)
    if (same_file (path, path_stat, inputs[i]))
      return TRUE;
  return FALSE;
}

/**
 * kl_file_check_writable:
 * @path: an output file name, or `-` for standard output
 * @inputs: (nullable): files the run reads, which must never be written over
 *
 * The checks kl_file_write_atomic() makes before writing, for callers that
 * want to refuse a bad output path before a long run rather than after it:
 * not an input (by name, symbolic link or hard link), not a folder, in a
 * folder that exists and may be written in.
 */
gboolean
kl_file_check_writable (const char          *path,
                        const char * const  *inputs,
                        GError             **error)
{
  g_autofree char *target = NULL;
  g_autofree char *folder = NULL;
  struct stat target_stat;
  gboolean exists;
  int saved_errno = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (is_standard_output (path))
    {
      /* Standard output redirected into an input (`… -s - >> pool.csv`)
       * would write into the pool: refused like any output over an input. */
      if (fstat (STDOUT_FILENO, &target_stat) == 0 && S_ISREG (target_stat.st_mode))
        for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++)
          {
            struct stat input_stat;

            if (stat (inputs[i], &input_stat) == 0 &&
                input_stat.st_dev == target_stat.st_dev && input_stat.st_ino == target_stat.st_ino)
              {
                set_file_error (error, "output_is_input", path, NULL);
                return FALSE;
              }
          }
      return TRUE;
    }

  target = kl_file_resolve_links (path, &saved_errno);
  if (target == NULL)
    {
      set_file_error (error, "write_failed", path, g_strerror (saved_errno));
      return FALSE;
    }

  exists = stat (target, &target_stat) == 0;
  if (is_an_input (target, exists ? &target_stat : NULL, inputs) ||
      is_an_input (path, exists ? &target_stat : NULL, inputs))
    {
      set_file_error (error, "output_is_input", path, NULL);
      return FALSE;
    }

  if (exists && S_ISDIR (target_stat.st_mode))
    {
      set_file_error (error, "output_is_folder", path, NULL);
      return FALSE;
    }

  /* A device, a pipe or a terminal is written where it is. */
  if (exists && !S_ISREG (target_stat.st_mode))
    {
      if (access (target, W_OK) != 0)
        {
          saved_errno = errno;
          set_file_error (error, "write_failed", path, g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  folder = g_path_get_dirname (target);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      set_file_error (error, "output_folder_missing", path, folder);
      return FALSE;
    }

  /* access() sees a read-only mount and, for a normal user, the folder's
   * permissions: the two ways a folder refuses the temporary file. */
  if (access (folder, W_OK | X_OK) != 0)
    {
      saved_errno = errno;
      set_file_error (error, "write_failed", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * kl_file_write_atomic:
 * @path: the output file, or `-` for standard output
 * @inputs: (nullable): files this run read, which must never be written over
 *
 * Writes one output file so that nothing is lost:
 *
 * - a regular file (or a new one) is written to a temporary file in the
 *   same folder and renamed into place, so a reader sees the old file or
 *   the whole new one, and a failure (full disk, read-only folder, folder
 *   gone) leaves the old file and no partial or temporary file; the
 *   replaced file's permissions are kept;
 * - a symbolic link is followed and the file it points to is replaced in
 *   that file's own folder; the link stays a link;
 * - a device, a pipe or a terminal is written in place, never replaced;
 * - `-` is standard output;
 * - a file that is one of @inputs, by name, link or hard link, is refused,
 *   and so is a write-protected file.
 *
 * It is kl_file_set_commit() for a set of one file, which says how. Every
 * failure names the file and the reason (KL_ERROR_FILE).
 */
gboolean
kl_file_write_atomic (const char          *path,
                      const char          *contents,
                      gsize                length,
                      const char * const  *inputs,
                      GError             **error)
{
  g_autoptr(KlFileSet) set = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  /* One file is a set of one: the same rules, the same code. */
  set = kl_file_set_new (inputs);
  bytes = g_bytes_new_static (contents, length);
  kl_file_set_add (set, path, bytes);
  return kl_file_set_commit (set, TRUE, NULL, NULL, error);
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
