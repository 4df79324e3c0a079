/* replay.c — runs a fuzz target over files, without libFuzzer
 *
 * `replay-TARGET FOLDER|FILE…` feeds every file to the target once: the
 * seed corpus and every input that once crashed it. A crash, a failed
 * assertion or (under the sanitizers) a memory error fails the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-target.h"

#include <locale.h>

static guint
replay_path (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      for (guint i = 0; i < names->len; i++)
        n += replay_path (g_ptr_array_index (names, i));
      return n;
    }

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  guint n = 0;

  setlocale (LC_ALL, "C.UTF-8");
  for (int i = 1; i < argc; i++)
    n += replay_path (argv[i]);
  if (n == 0)
    g_error ("No inputs to replay");
  g_print ("%u inputs replayed\n", n);
  return 0;
}
