/* kl-file-set.c — several output files written together, all or nothing
 *
 * A panel, the people left over and the audit record that names both must
 * never disagree on disk: after a failure, a cancel or a crash the organiser
 * finds either the whole new set or the files that were there before.
 *
 * How:
 *  1. every file is written and flushed as an unnamed file (O_TMPFILE) in
 *     the folder of its target, so nothing is visible yet and a process
 *     killed while writing, even by SIGKILL, leaves nothing behind;
 *  2. each is given a hidden name, and each file it will replace a hidden
 *     second name (a hard link) to restore it from;
 *  3. each is renamed over its target. A failure or a cancel before the last
 *     rename moves the old files back and removes the new ones.
 * Hidden names start with ".kleroterion-PID-"; the rare ones a process
 * killed during steps 2–3 leaves are removed by the next write into that
 * folder. Where the file system has no unnamed files, step 1 writes to a
 * hidden name directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE            /* O_TMPFILE */

#include "kl-private.h"
#include "kl-file-set.h"
#include "kl-progress-private.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define HIDDEN_PREFIX ".kleroterion-"
#define CHUNK (1 << 20)

typedef struct {
  char *path;          /* as the caller named it */
  char *target;        /* where it is written: a symlink's target */
  GBytes *contents;
  int fd;              /* the unnamed new file, or -1 */
  char *new_path;      /* the new file's hidden name, once it has one */
  char *old_path;      /* hidden second name of the file it replaces */
  gboolean placed;     /* renamed over the target */
} Entry;

struct _KlFileSet {
  GArray *entries;
  GStrv inputs;
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  if (entry->fd >= 0)
    close (entry->fd);
  g_free (entry->path);
  g_free (entry->target);
  g_bytes_unref (entry->contents);
  g_free (entry->new_path);
  g_free (entry->old_path);
}

/**
 * kl_file_set_new:
 * @inputs: (nullable): files the run read, never written over
 */
KlFileSet *
kl_file_set_new (const char * const *inputs)
{
  KlFileSet *self = g_new0 (KlFileSet, 1);

  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->inputs = g_strdupv ((char **) inputs);
  return self;
}

void
kl_file_set_free (KlFileSet *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_strfreev (self->inputs);
  g_free (self);
}

void
kl_file_set_add (KlFileSet  *self,
                 const char *path,
                 GBytes     *contents)
{
  Entry entry = { 0 };

  g_return_if_fail (self != NULL && path != NULL && contents != NULL);

  entry.path = g_strdup (path);
  entry.contents = g_bytes_ref (contents);
  entry.fd = -1;
  g_array_append_val (self->entries, entry);
}

/* Takes @text, a NUL-terminated string. */
void
kl_file_set_add_text (KlFileSet  *self,
                      const char *path,
                      char       *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

  kl_file_set_add (self, path, bytes);
}

guint
kl_file_set_get_n_files (KlFileSet *self)
{
  return self->entries->len;
}

const char *
kl_file_set_get_path (KlFileSet *self,
                      guint      index)
{
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_array_index (self->entries, Entry, index).path;
}

GBytes *
kl_file_set_get_contents (KlFileSet *self,
                          guint      index)
{
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_array_index (self->entries, Entry, index).contents;
}

/* ---- checks before anything is written ----------------------------------- */

static void
add_problem (GPtrArray  *messages,
             const char *code,
             const char *path,
             const char *reason)
{
  KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, code);

  kl_message_set_location (m, path, 0, 0, NULL, -1);
  if (reason != NULL)
    kl_message_set_param (m, "reason", reason);
}

/* A symlink is followed: its target is replaced, in the target's folder. */
static char *
resolve_target (const char *path)
{
  struct stat link_stat;
  char *resolved;

  if (lstat (path, &link_stat) == 0 && S_ISLNK (link_stat.st_mode) &&
      (resolved = realpath (path, NULL)) != NULL)
    {
      char *copy = g_strdup (resolved);
      free (resolved);
      return copy;
    }
  return g_strdup (path);
}

static gboolean
same_output (const char *a,
             const char *b)
{
  g_autofree char *target_a = resolve_target (a);
  g_autofree char *target_b = resolve_target (b);
  g_autofree char *canon_a = g_canonicalize_filename (target_a, NULL);
  g_autofree char *canon_b = g_canonicalize_filename (target_b, NULL);
  struct stat stat_a, stat_b;

  if (g_str_equal (canon_a, canon_b))
    return TRUE;
  return stat (a, &stat_a) == 0 && stat (b, &stat_b) == 0 &&
         stat_a.st_dev == stat_b.st_dev && stat_a.st_ino == stat_b.st_ino;
}

/**
 * kl_file_set_check_paths:
 * @paths: the outputs, %NULL-terminated
 * @inputs: (nullable): files that must never be written over
 * @replace: whether existing files may be replaced
 *
 * Everything that can be known about a set of outputs before a long run:
 * no output twice, none an input or a folder, every folder there and
 * writable, only regular files replaced, never a write-protected one,
 * and none replaced unless @replace. Fails with %G_IO_ERROR_EXISTS when
 * the only problem is files that exist (the caller may ask whether to
 * replace them), otherwise with %KL_ERROR_FILE; the message lists every
 * problem, one per line.
 */
gboolean
kl_file_set_check_paths (const char * const  *paths,
                         const char * const  *inputs,
                         gboolean             replace,
                         GError             **error)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GPtrArray) existing = kl_messages_new ();
  g_autoptr(GHashTable) bad_folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *target = resolve_target (paths[i]);
      g_autofree char *folder = g_path_get_dirname (target);
      struct stat target_stat;
      gboolean repeated = FALSE;

      for (guint j = 0; j < i && !repeated; j++)
        repeated = same_output (paths[i], paths[j]);
      if (repeated)
        {
          add_problem (messages, "output_twice", paths[i], NULL);
          continue;
        }

      /* A folder's problem is said once, not once per file in it. */
      if (g_hash_table_contains (bad_folders, folder))
        continue;
      if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
        {
          add_problem (messages, "output_folder_missing", paths[i], folder);
          g_hash_table_add (bad_folders, g_steal_pointer (&folder));
          continue;
        }
      if (g_access (folder, W_OK) != 0)
        {
          add_problem (messages, "output_folder_read_only", paths[i], folder);
          g_hash_table_add (bad_folders, g_steal_pointer (&folder));
          continue;
        }

      if (!kl_file_check_writable (target, inputs, &local_error) ||
          !kl_file_check_writable (paths[i], inputs, &local_error))
        {
          KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "output_refused");
          kl_message_set_param (m, "reason", local_error->message);
          continue;
        }

      if (stat (target, &target_stat) == 0)
        {
          if (!S_ISREG (target_stat.st_mode))
            add_problem (messages, "output_not_regular", paths[i], NULL);
          /* Write-protected, perhaps an official draw: never replaced, even
           * by a user the permissions would not stop. */
          else if ((target_stat.st_mode & 0222) == 0)
            add_problem (messages, "output_read_only", paths[i], NULL);
          else if (!replace)
            add_problem (existing, "output_exists", paths[i], NULL);
        }
    }

  if (messages->len > 0)
    {
      g_ptr_array_extend_and_steal (messages, g_steal_pointer (&existing));
      return !kl_messages_fail (messages, 0, KL_ERROR, KL_ERROR_FILE, error);
    }
  if (existing->len > 0)
    return !kl_messages_fail (existing, 0, G_IO_ERROR, G_IO_ERROR_EXISTS, error);
  return TRUE;
}

/* The outputs of @paths that exist already: what a confirmation names. */
char **
kl_file_set_find_existing (const char * const *paths)
{
  GPtrArray *existing = g_ptr_array_new ();

  for (guint i = 0; paths[i] != NULL; i++)
    if (g_file_test (paths[i], G_FILE_TEST_EXISTS))
      g_ptr_array_add (existing, g_strdup (paths[i]));
  g_ptr_array_add (existing, NULL);
  return (char **) g_ptr_array_free (existing, FALSE);
}

/* ---- writing --------------------------------------------------------------- */

static gboolean
fail_write (GError     **error,
            const char  *path,
            int          saved_errno)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();

  add_problem (messages, "write_failed", path, g_strerror (saved_errno));
  kl_messages_fail (messages, 0, KL_ERROR, KL_ERROR_FILE, error);
  return FALSE;
}

static gboolean
process_is_gone (const char *name)
{
  gint64 pid = g_ascii_strtoll (name + strlen (HIDDEN_PREFIX), NULL, 10);

  return pid > 0 && pid != getpid () && kill ((pid_t) pid, 0) != 0 && errno == ESRCH;
}

/* Hidden files a killed writer left in @folder. */
static void
sweep_leftovers (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, HIDDEN_PREFIX) && process_is_gone (name))
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_unlink (path);
      }
}

static char *
hidden_path (const char *target,
             guint       index,
             const char *kind)
{
  g_autofree char *folder = g_path_get_dirname (target);
  g_autofree char *name = g_strdup_printf (HIDDEN_PREFIX "%d-%u.%s", (int) getpid (), index, kind);

  return g_build_filename (folder, name, NULL);
}

static gboolean
write_all (int           fd,
           GBytes       *contents,
           KlProgress   *progress,
           gint64       *done,
           GCancellable *cancellable)
{
  gsize length;
  const char *data = g_bytes_get_data (contents, &length);
  gsize written = 0;

  while (written < length)
    {
      gssize n = write (fd, data + written, MIN (length - written, CHUNK));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      written += n;
      *done += n;
      kl_progress_update (progress, *done, _("Writing the files"));
      if (g_cancellable_is_cancelled (cancellable))
        {
          errno = ECANCELED;
          return FALSE;
        }
    }
  return TRUE;
}

/* Step 1: the new file, complete and flushed, with no name yet if the file
 * system allows. Permissions of a file it replaces are kept. */
static gboolean
write_entry (Entry        *entry,
             guint         index,
             KlProgress   *progress,
             gint64       *done,
             GCancellable *cancellable,
             GError      **error)
{
  g_autofree char *folder = g_path_get_dirname (entry->target);
  struct stat old_stat;
  mode_t mode = stat (entry->target, &old_stat) == 0 ? (old_stat.st_mode & 07777) : 0644;
  int saved;

  entry->fd = open (folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (entry->fd < 0)
    {
      entry->new_path = hidden_path (entry->target, index, "new");
      entry->fd = open (entry->new_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
  if (entry->fd < 0)
    {
      saved = errno;
      g_clear_pointer (&entry->new_path, g_free);
      return fail_write (error, entry->path, saved);
    }

  if (!write_all (entry->fd, entry->contents, progress, done, cancellable) ||
      fchmod (entry->fd, mode) != 0 || fsync (entry->fd) != 0)
    {
      if (errno == ECANCELED)
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      return fail_write (error, entry->path, errno);
    }
  return TRUE;
}

/* Step 2: hidden names for the new file and for the one it replaces. */
static gboolean
name_entry (Entry   *entry,
            guint    index,
            GError **error)
{
  struct stat target_stat;

  if (entry->new_path == NULL)
    {
      g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", entry->fd);
      char *path = hidden_path (entry->target, index, "new");

      if (linkat (AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0)
        {
          int saved = errno;
          g_free (path);
          return fail_write (error, entry->path, saved);
        }
      entry->new_path = path;
    }

  /* Only a regular file is replaced (the checks made sure); anything else
   * that appeared since makes the rename fail, and the set roll back. */
  if (lstat (entry->target, &target_stat) == 0 && S_ISREG (target_stat.st_mode))
    {
      char *path = hidden_path (entry->target, index, "old");

      if (link (entry->target, path) != 0)
        {
          int saved = errno;
          g_free (path);
          return fail_write (error, entry->path, saved);
        }
      entry->old_path = path;
    }
  return TRUE;
}

/* Puts back what was there: the old files, and no new one. */
static void
roll_back (KlFileSet *self)
{
  for (guint i = self->entries->len; i-- > 0;)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->placed && entry->old_path != NULL)
        g_rename (entry->old_path, entry->target);
      else if (entry->placed)
        g_unlink (entry->target);
      else if (entry->old_path != NULL)
        g_unlink (entry->old_path);
      if (entry->new_path != NULL && !entry->placed)
        g_unlink (entry->new_path);
      entry->placed = FALSE;
      g_clear_pointer (&entry->old_path, g_free);
      g_clear_pointer (&entry->new_path, g_free);
    }
}

/**
 * kl_file_set_commit:
 * @replace: whether existing files may be replaced
 * @reporter: (nullable): told of the bytes written (phase "write_files")
 * @cancellable: (nullable): a cancel before the last rename leaves the
 *   old files as they were and returns %G_IO_ERROR_CANCELLED
 *
 * Writes every file of the set, or none: on any failure the files that
 * were there are back as they were and nothing new is left.
 */
gboolean
kl_file_set_commit (KlFileSet           *self,
                    gboolean             replace,
                    KlProgressReporter  *reporter,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  KlProgress progress;
  gint64 total = 0, done = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      g_ptr_array_add (paths, entry->path);
      g_clear_pointer (&entry->target, g_free);
      entry->target = resolve_target (entry->path);
      total += g_bytes_get_size (entry->contents);
    }
  g_ptr_array_add (paths, NULL);

  if (!kl_file_set_check_paths ((const char * const *) paths->pdata,
                                (const char * const *) self->inputs, replace, error))
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      char *folder = g_path_get_dirname (g_array_index (self->entries, Entry, i).target);

      if (!g_hash_table_add (folders, folder))
        continue;
      sweep_leftovers (folder);
    }

  kl_progress_init (&progress, reporter);
  kl_progress_start (&progress, "write_files", total, _("Writing the files"));

  for (guint i = 0; i < self->entries->len; i++)
    if (!write_entry (&g_array_index (self->entries, Entry, i), i, &progress, &done, cancellable, error))
      goto out;

  for (guint i = 0; i < self->entries->len; i++)
    if (!name_entry (&g_array_index (self->entries, Entry, i), i, error))
      goto out;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (g_rename (entry->new_path, entry->target) != 0)
        {
          fail_write (error, entry->path, errno);
          goto out;
        }
      entry->placed = TRUE;
    }

  /* The set is in place: the old files' second names go. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->old_path != NULL)
        g_unlink (entry->old_path);
      g_clear_pointer (&entry->old_path, g_free);
      g_clear_pointer (&entry->new_path, g_free);
      entry->placed = FALSE;
    }
  ok = TRUE;

out:
  if (!ok)
    roll_back (self);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->fd >= 0)
        close (entry->fd);
      entry->fd = -1;
    }
  kl_progress_end (&progress);
  kl_progress_clear (&progress);
  return ok;
}
