/* kl-test-files.c — what the output tests look at: folders and pipes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-files.h"

#include <json-glib/json-glib.h>
#include <string.h>

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
kl_test_folder_listing (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, (gpointer) entry);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

struct _KlTestPipeReader {
  char *path;
  char *received;
  GThread *thread;
};

static gpointer
read_pipe (gpointer data)
{
  KlTestPipeReader *reader = data;

  g_assert_true (g_file_get_contents (reader->path, &reader->received, NULL, NULL));
  return NULL;
}

KlTestPipeReader *
kl_test_pipe_reader_start (const char *path)
{
  KlTestPipeReader *reader = g_new0 (KlTestPipeReader, 1);

  reader->path = g_strdup (path);
  reader->thread = g_thread_new ("pipe-reader", read_pipe, reader);
  return reader;
}

/* Waits for the writer to close the pipe; returns all it read. */
char *
kl_test_pipe_reader_finish (KlTestPipeReader *reader)
{
  char *received;

  g_thread_join (reader->thread);
  received = reader->received;
  g_free (reader->path);
  g_free (reader);
  return received;
}

void
kl_test_assert_record_names_stdout (const char *record_path,
                                    const char *role,
                                    const char *written)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, written, -1);
  JsonObject *files;
  JsonObject *file;

  g_assert_true (json_parser_load_from_file (parser, record_path, NULL));
  files = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "files");
  file = json_object_get_object_member (files, role);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "-");
  g_assert_cmpstr (json_object_get_string_member (file, "sha256"), ==, digest);
}
