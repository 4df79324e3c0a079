/* kl-file-set.c — several output files written together, all or nothing
 *
 * A panel, the people left over and the audit record that names both must
 * never disagree on disk: after a failure, a cancel or a crash the organiser
 * finds either the whole new set or the files that were there before. One
 * file alone (kl_file_write_atomic()) is a set of one.
 *
 * Each output is one of three kinds:
 *  - a file, new or regular (a symbolic link is followed: its target is
 *    the file), replaced atomically in its own folder;
 *  - an existing device, pipe or terminal, written in place, never
 *    replaced (as root, a rename over /dev/full would swap the device node
 *    for a file);
 *  - `-`, standard output, for one output at most.
 *
 * How:
 *  1. every file is written and flushed as an unnamed file (O_TMPFILE) in
 *     the folder of its target, so nothing is visible yet and a process
 *     killed while writing, even by SIGKILL, leaves nothing behind;
 *  2. each is given a hidden name, and each file it will replace a hidden
 *     second name (a hard link) to restore it from;
 *  3. each is renamed over its target;
 *  4. the devices, pipes and standard output are written: they cannot be
 *     taken back, so they come last, when only they can still fail.
 * A failure or a cancel before the end of step 4 moves the old files back
 * and removes the new ones (what a pipe has read cannot be taken back).
 * Hidden names start with ".kleroterion-PID-"; the rare ones a process
 * killed during steps 2–4 leaves are removed by the next write into that
 * folder. Where the file system has no unnamed files, step 1 writes to a
 * hidden name directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE            /* O_TMPFILE */

#include "kl-private.h"
#include "kl-file-set.h"
#include "kl-progress-private.h"
#include "kl-writer-private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define HIDDEN_PREFIX ".kleroterion-"
#define CHUNK (1 << 20)

typedef enum {
  OUTPUT_REPLACED,     /* a new or regular file */
  OUTPUT_IN_PLACE,     /* an existing device, pipe or terminal */
  OUTPUT_STANDARD,     /* "-" */
} OutputKind;

typedef struct {
  char *path;          /* as the caller named it */
  char *target;        /* where it is written: a symlink's target */
  OutputKind kind;
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

/* kl_file_check_writable()'s own located message, as one of the set's. */
static void
add_refusal (GPtrArray    *messages,
             const GError *refusal)
{
  KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "output_refused");

  kl_message_set_param (m, "reason", refusal->message);
}

static gboolean
is_standard_output (const char *path)
{
  return g_str_equal (path, "-");
}

/* What @target (links already followed) is, or would be once written. */
static OutputKind
output_kind (const char *path,
             const char *target)
{
  struct stat target_stat;

  if (is_standard_output (path))
    return OUTPUT_STANDARD;
  if (target != NULL && stat (target, &target_stat) == 0 &&
      !S_ISREG (target_stat.st_mode) && !S_ISDIR (target_stat.st_mode))
    return OUTPUT_IN_PLACE;
  return OUTPUT_REPLACED;
}

/* Two outputs written to the null device lose nothing. */
static gboolean
is_null_device (const struct stat *file_stat)
{
  struct stat null_stat;

  return S_ISCHR (file_stat->st_mode) && stat ("/dev/null", &null_stat) == 0 &&
         file_stat->st_rdev == null_stat.st_rdev;
}

static gboolean
stat_output (const char  *target,
             struct stat *target_stat)
{
  if (target == NULL)
    return fstat (STDOUT_FILENO, target_stat) == 0;
  return stat (target, target_stat) == 0;
}

/* The same file by name once links are followed, or by device and inode
 * (a hard link, or /dev/stdout and `-`). A %NULL target is standard
 * output. */
static gboolean
same_output (const char *target_a,
             const char *target_b)
{
  struct stat stat_a, stat_b;

  if (stat_output (target_a, &stat_a) && stat_output (target_b, &stat_b))
    return stat_a.st_dev == stat_b.st_dev && stat_a.st_ino == stat_b.st_ino &&
           !is_null_device (&stat_a);
  return target_a != NULL && target_b != NULL && g_str_equal (target_a, target_b);
}

/* The problems of a file that is, or will be, replaced. */
static void
check_replaced (const char          *path,
                const char          *target,
                const char * const  *inputs,
                gboolean             replace,
                GHashTable          *bad_folders,
                GPtrArray           *messages,
                GPtrArray           *existing)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = g_path_get_dirname (target);
  struct stat target_stat;

  /* A folder's problem is said once, not once per file in it. */
  if (g_hash_table_contains (bad_folders, folder))
    return;
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      add_problem (messages, "output_folder_missing", path, folder);
      g_hash_table_add (bad_folders, g_steal_pointer (&folder));
      return;
    }
  if (g_access (folder, W_OK) != 0)
    {
      add_problem (messages, "output_folder_read_only", path, folder);
      g_hash_table_add (bad_folders, g_steal_pointer (&folder));
      return;
    }

  if (!kl_file_check_writable (path, inputs, &local_error))
    {
      add_refusal (messages, local_error);
      return;
    }

  if (stat (target, &target_stat) == 0)
    {
      /* Write-protected, perhaps an official draw: never replaced, even
       * by a user the permissions would not stop. */
      if ((target_stat.st_mode & 0222) == 0)
        add_problem (messages, "output_read_only", path, NULL);
      else if (!replace)
        add_problem (existing, "output_exists", path, NULL);
    }
}

/**
 * kl_file_set_check_paths:
 * @paths: the outputs, %NULL-terminated; `-` is standard output
 * @inputs: (nullable): files that must never be written over
 * @replace: whether existing files may be replaced
 *
 * Everything that can be known about a set of outputs before a long run:
 * no output twice (by name, link or hard link; the null device excepted)
 * and `-` once at most, none an input or a folder, every folder of a file
 * to replace there and writable, never a write-protected file replaced,
 * and none replaced unless @replace. A device, pipe or terminal is written
 * in place, so it only has to be writable. Fails with %G_IO_ERROR_EXISTS
 * when the only problem is files that exist (the caller may ask whether
 * to replace them), otherwise with %KL_ERROR_FILE; the message lists
 * every problem, one per line.
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
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  gboolean standard_output_taken = FALSE;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      int saved_errno = 0;
      char *target = is_standard_output (paths[i]) ? NULL : kl_file_resolve_links (paths[i], &saved_errno);
      gboolean repeated = FALSE;

      g_ptr_array_add (targets, target);

      if (is_standard_output (paths[i]))
        {
          if (standard_output_taken)
            add_problem (messages, "output_standard_twice", paths[i], NULL);
          else if (!kl_file_check_writable (paths[i], inputs, &local_error))
            add_refusal (messages, local_error);
          standard_output_taken = TRUE;
          continue;
        }

      if (target == NULL)
        {
          add_problem (messages, "write_failed", paths[i], g_strerror (saved_errno));
          continue;
        }

      /* Also against "-" (a NULL target) before or after it. */
      for (guint j = 0; paths[j] != NULL && !repeated; j++)
        if (j < i || (is_standard_output (paths[j]) && j > i))
          repeated = same_output (target, j < i ? g_ptr_array_index (targets, j) : NULL);
      if (repeated)
        {
          add_problem (messages, "output_twice", paths[i], NULL);
          continue;
        }

      if (output_kind (paths[i], target) == OUTPUT_IN_PLACE)
        {
          /* Only written to: never an input, and open to us. */
          if (!kl_file_check_writable (paths[i], inputs, &local_error))
            add_refusal (messages, local_error);
          continue;
        }

      check_replaced (paths[i], target, inputs, replace, bad_folders, messages, existing);
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
    if (output_kind (paths[i], paths[i]) == OUTPUT_REPLACED && g_file_test (paths[i], G_FILE_TEST_EXISTS))
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

/* Waits until @fd takes more bytes or @cancellable (whose @cancel_fd is
 * polled with it, when there is one) is cancelled, so that a pipe nobody
 * reads does not make Ctrl-C wait. */
static gboolean
wait_writable (int            fd,
               const GPollFD *cancel_fd,
               GCancellable  *cancellable)
{
  GPollFD fds[2] = { { fd, G_IO_OUT, 0 } };

  if (cancel_fd != NULL)
    fds[1] = *cancel_fd;
  while (g_poll (fds, cancel_fd != NULL ? 2 : 1, -1) < 0)
    if (errno != EINTR)
      break;
  if (g_cancellable_is_cancelled (cancellable))
    {
      errno = ECANCELED;
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_all (int           fd,
           gboolean      stream,
           GBytes       *contents,
           KlProgress   *progress,
           gint64       *done,
           GCancellable *cancellable)
{
  gsize length;
  const char *data = g_bytes_get_data (contents, &length);
  gsize written = 0;
  /* A pipe that polls writable takes PIPE_BUF bytes without blocking. */
  gsize chunk = stream ? PIPE_BUF : CHUNK;
  GPollFD cancel_fd;
  gboolean polled = stream && g_cancellable_make_pollfd (cancellable, &cancel_fd);
  gboolean ok = TRUE;

  while (ok && written < length)
    {
      gssize n;

      if (stream && !wait_writable (fd, polled ? &cancel_fd : NULL, cancellable))
        ok = FALSE;
      else if ((n = write (fd, data + written, MIN (length - written, chunk))) < 0)
        ok = errno == EINTR || errno == EAGAIN;
      else
        {
          written += n;
          *done += n;
          kl_progress_update (progress, *done, _("Writing the files"));
          if (g_cancellable_is_cancelled (cancellable))
            {
              errno = ECANCELED;
              ok = FALSE;
            }
        }
    }

  if (polled)
    {
      int saved = errno;

      g_cancellable_release_fd (cancellable);
      errno = saved;
    }
  return ok;
}

static gboolean
fail_or_cancel (Entry        *entry,
                int           saved_errno,
                GCancellable *cancellable,
                GError      **error)
{
  if (saved_errno == ECANCELED && g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return fail_write (error, entry->path, saved_errno);
}

/* Step 1: the new file, complete and flushed, with no name yet if the file
 * system allows. A replaced file's permissions are kept, and its owner
 * where we may (as root); a new file gets the umask's. */
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
  gboolean replacing = stat (entry->target, &old_stat) == 0;

  entry->fd = open (folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (entry->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL))
    {
      /* Only "this file system cannot" falls back to a named file. */
      entry->new_path = hidden_path (entry->target, index, "new");
      entry->fd = open (entry->new_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    }
  if (entry->fd < 0)
    {
      int saved = errno;
      g_clear_pointer (&entry->new_path, g_free);
      return fail_write (error, entry->path, saved);
    }

  if (replacing &&
      (fchmod (entry->fd, old_stat.st_mode & 07777) != 0 ||
       ((old_stat.st_uid != geteuid () || old_stat.st_gid != getegid ()) &&
        fchown (entry->fd, old_stat.st_uid, old_stat.st_gid) != 0 && errno != EPERM)))
    return fail_write (error, entry->path, errno);

  /* Data on disk before a name points at it: a crash leaves the old file
   * or the whole new one, never an empty one. */
  if (!write_all (entry->fd, FALSE, entry->contents, progress, done, cancellable) || fsync (entry->fd) != 0)
    return fail_or_cancel (entry, errno, cancellable, error);
  return TRUE;
}

/* Step 2: hidden names for the new file and, when a later step could
 * still fail, for the one it replaces. */
static gboolean
name_entry (Entry    *entry,
            guint     index,
            gboolean  keep_old,
            GError  **error)
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
  if (keep_old && lstat (entry->target, &target_stat) == 0 && S_ISREG (target_stat.st_mode))
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

/* A reader that closes its end early would kill the whole process with
 * SIGPIPE, mid-set, with nothing put back: blocked in this thread, the
 * write fails with EPIPE instead, and the signal it left pending is taken
 * before the thread's mask is restored. */
static gboolean
write_to_pipe_safely (int           fd,
                      GBytes       *contents,
                      KlProgress   *progress,
                      gint64       *done,
                      GCancellable *cancellable)
{
  sigset_t pipe_signal, old_mask;
  const struct timespec no_wait = { 0, 0 };
  gboolean ok;
  int saved;

  sigemptyset (&pipe_signal);
  sigaddset (&pipe_signal, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_signal, &old_mask);
  ok = write_all (fd, TRUE, contents, progress, done, cancellable);
  saved = errno;
  if (!ok && saved == EPIPE && !sigismember (&old_mask, SIGPIPE))
    while (sigtimedwait (&pipe_signal, NULL, &no_wait) < 0 && errno == EINTR)
      ;
  pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
  errno = saved;
  return ok;
}

/* Step 4: a device, a pipe, a terminal or standard output, written where
 * it is. A pipe is opened without waiting for a reader, and waited on in
 * wait_writable(), so a cancel is heard. */
static gboolean
write_stream (Entry        *entry,
              KlProgress   *progress,
              gint64       *done,
              GCancellable *cancellable,
              GError      **error)
{
  int fd = STDOUT_FILENO;
  gboolean ok;
  int saved = 0;

  if (entry->kind == OUTPUT_STANDARD)
    fflush (stdout);
  else
    {
      struct stat target_stat;
      gboolean fifo = stat (entry->target, &target_stat) == 0 && S_ISFIFO (target_stat.st_mode);

      /* A pipe with no reader yet refuses a non-blocking open (ENXIO):
       * wait for one, a little at a time, listening for a cancel. */
      while ((fd = open (entry->target, O_WRONLY | O_NOCTTY | O_CLOEXEC | (fifo ? O_NONBLOCK : 0))) < 0 &&
             fifo && errno == ENXIO)
        {
          if (g_cancellable_is_cancelled (cancellable))
            return !g_cancellable_set_error_if_cancelled (cancellable, error);
          g_usleep (20 * G_TIME_SPAN_MILLISECOND);
        }
      if (fd < 0)
        return fail_write (error, entry->path, errno);
    }

  ok = write_to_pipe_safely (fd, entry->contents, progress, done, cancellable);
  saved = errno;
  if (fd != STDOUT_FILENO && close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved = errno;
    }
  return ok || fail_or_cancel (entry, saved, cancellable, error);
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
 * @cancellable: (nullable): a cancel before the last output is written
 *   leaves the old files as they were and returns %G_IO_ERROR_CANCELLED
 *
 * Writes every output of the set, or none: on any failure the files that
 * were there are back as they were and nothing new is left (see the top
 * of this file for devices, pipes and standard output).
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
  guint n_streams = 0;
  int last_replaced = -1;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (paths, g_array_index (self->entries, Entry, i).path);
  g_ptr_array_add (paths, NULL);

  if (!kl_file_set_check_paths ((const char * const *) paths->pdata,
                                (const char * const *) self->inputs, replace, error))
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);
      int saved_errno = 0;

      g_clear_pointer (&entry->target, g_free);
      if (!is_standard_output (entry->path) &&
          (entry->target = kl_file_resolve_links (entry->path, &saved_errno)) == NULL)
        return fail_write (error, entry->path, saved_errno);
      entry->kind = output_kind (entry->path, entry->target);
      total += g_bytes_get_size (entry->contents);
      if (entry->kind != OUTPUT_REPLACED)
        n_streams++;
      else
        {
          char *folder = g_path_get_dirname (entry->target);

          last_replaced = i;
          /* Once per folder. */
          if (g_hash_table_add (folders, folder))
            sweep_leftovers (folder);
        }
    }

  kl_progress_init (&progress, reporter);
  kl_progress_start (&progress, "write_files", total, _("Writing the files"));

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->kind == OUTPUT_REPLACED &&
          !write_entry (entry, i, &progress, &done, cancellable, error))
        goto out;
    }

  /* The last file replaced needs no way back when no stream follows it. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->kind == OUTPUT_REPLACED &&
          !name_entry (entry, i, n_streams > 0 || (int) i != last_replaced, error))
        goto out;
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->kind != OUTPUT_REPLACED)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (g_rename (entry->new_path, entry->target) != 0)
        {
          fail_write (error, entry->path, errno);
          goto out;
        }
      entry->placed = TRUE;
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->kind == OUTPUT_REPLACED)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !write_stream (entry, &progress, &done, cancellable, error))
        goto out;
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
