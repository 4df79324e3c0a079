/* kl-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <glib/gstdio.h>
#include <locale.h>

static char *test_dir;

static void
remove_test_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (test_dir == NULL)
    return;
  dir = g_dir_open (test_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (test_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (test_dir);
  g_clear_pointer (&test_dir, g_free);
}

void
kl_test_init (int    *argc,
              char ***argv)
{
  /* Messages are compared in English whatever the machine's language. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (argc, argv, NULL);
  atexit (remove_test_dir);
}

const char *
kl_test_dir (void)
{
  if (test_dir == NULL)
    test_dir = g_dir_make_tmp ("kleroterion-test-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  return test_dir;
}

char *
kl_test_write_file (const char *name,
                    const char *contents)
{
  char *path = g_build_filename (kl_test_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

KlTable *
kl_test_table (const char *csv)
{
  g_autoptr(GError) error = NULL;
  KlTable *table = kl_table_read_data (csv, -1, "test.csv", NULL, &error);

  g_assert_no_error (error);
  return table;
}

KlMessage *
kl_test_find_message (GPtrArray  *messages,
                      const char *code,
                      int         line)
{
  for (guint i = 0; i < messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (messages, i);

      if (g_str_equal (m->code, code) && (line == 0 || m->line == line))
        return m;
    }
  return NULL;
}

KlMessage *
kl_test_assert_message (const char *file,
                        int         where,
                        GPtrArray  *messages,
                        const char *code,
                        int         line,
                        const char *column)
{
  KlMessage *m = NULL;

  for (guint i = 0; i < messages->len && m == NULL; i++)
    {
      KlMessage *candidate = g_ptr_array_index (messages, i);

      if (g_str_equal (candidate->code, code) && (line == 0 || candidate->line == line) &&
          (column == NULL || g_strcmp0 (candidate->column, column) == 0))
        m = candidate;
    }

  if (m == NULL)
    {
      g_autoptr(GString) all = g_string_new (NULL);

      for (guint i = 0; i < messages->len; i++)
        {
          KlMessage *other = g_ptr_array_index (messages, i);
          g_string_append_printf (all, "\n  %s line %d column %s", other->code, other->line,
                                  other->column ? other->column : "-");
        }
      g_error ("%s:%d: no message %s on line %d, column %s; messages:%s", file, where, code,
               line, column ? column : "-", all->str);
    }

  /* Every message must render: an unknown code would print its code. */
  {
    g_autofree char *text = kl_message_to_string (m);
    g_assert_cmpstr (text, !=, m->code);
  }
  return m;
}
