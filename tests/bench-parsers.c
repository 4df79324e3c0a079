/* bench-parsers.c — the parsers stay linear and bounded on hostile but
 * valid input, and take realistic big files:
 *
 *   fold-1MB-accented      kl_text_fold() on a 1 MB cell of "é" (was seconds:
 *                          g_utf8_normalize is quadratic on such a string)
 *   pool-5000-plain        a 5,000-person pool, as generated
 *   pool-5000-wide-header  the same with 16,383 trailing commas on every line,
 *                          as a spreadsheet exports it (was 648 MB)
 *   pool-100000x100        100,000 people with 100 features: not refused
 *
 * Each case runs in its own child process, RUNS times; printed are the
 * median CPU seconds (user + system) and the largest peak resident size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <glib/gstdio.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 3

typedef struct {
  char *settings;
  char *quotas;
  char *pool;
} Files;

typedef void (*Work) (gconstpointer data);

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
measure (const char    *name,
         Work           work,
         gconstpointer  data)
{
  double cpu[RUNS];
  long peak_kb = 0;

  for (int r = 0; r < RUNS; r++)
    {
      struct rusage usage;
      int status;
      pid_t child = fork ();

      if (child == 0)
        {
          work (data);
          _exit (0);
        }
      if (wait4 (child, &status, 0, &usage) != child || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("%s failed", name);
      cpu[r] = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
               usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
      peak_kb = MAX (peak_kb, usage.ru_maxrss);
    }

  qsort (cpu, RUNS, sizeof cpu[0], compare_doubles);
  printf ("%-24s median %.3f s CPU (min %.3f, max %.3f over %d runs), peak memory %.1f MB\n",
          name, cpu[RUNS / 2], cpu[0], cpu[RUNS - 1], RUNS, peak_kb / 1024.0);
  fflush (stdout);
}

static void
fold_accented (gconstpointer data)
{
  const char *text = data;
  g_autofree char *folded = kl_text_fold (text);

  if (strlen (folded) != strlen (text))
    _exit (1);
}

static void
load_pool (gconstpointer data)
{
  const Files *files = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) settings = kl_settings_load_file (files->settings, NULL, &error);
  g_autoptr(KlQuotas) quotas = kl_quotas_load_file (files->quotas, 0, NULL, &error);
  g_autoptr(KlPool) pool = quotas ? kl_pool_load_file (files->pool, quotas, settings, NULL, &error) : NULL;

  if (pool == NULL)
    {
      fprintf (stderr, "load failed: %s\n", error ? error->message : "?");
      _exit (1);
    }
}

static void
generate (const char *dir,
          const char *prefix,
          guint       n_people,
          guint       n_features,
          guint       trailing_commas,
          Files      *files)
{
  g_autofree char *pool_csv = NULL, *quotas_csv = NULL, *toml = NULL;
  g_autofree char *pool_name = g_strconcat (prefix, "-pool.csv", NULL);
  g_autofree char *quotas_name = g_strconcat (prefix, "-quotas.csv", NULL);
  g_autofree char *settings_name = g_strconcat (prefix, "-settings.toml", NULL);
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  KlGeneratorOptions options;

  kl_generator_options_init (&options);
  options.n_people = n_people;
  options.n_features = n_features;
  options.panel_size = MAX (n_people / 100, 10);
  if (!kl_generate (&options, &pool_csv, &quotas_csv, &settings, &error))
    g_error ("%s", error->message);
  toml = kl_settings_to_toml (settings);

  if (trailing_commas > 0)
    {
      g_autofree char *commas = g_strnfill (trailing_commas, ',');
      g_auto(GStrv) lines = g_strsplit (pool_csv, "\n", -1);
      GString *wide = g_string_new (NULL);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          gsize len = strlen (lines[i]);

          if (len == 0)
            continue;
          if (lines[i][len - 1] == '\r')
            lines[i][len - 1] = '\0';
          g_string_append_printf (wide, "%s%s\r\n", lines[i], commas);
        }
      g_free (pool_csv);
      pool_csv = g_string_free (wide, FALSE);
    }

  files->pool = g_build_filename (dir, pool_name, NULL);
  files->quotas = g_build_filename (dir, quotas_name, NULL);
  files->settings = g_build_filename (dir, settings_name, NULL);
  if (!g_file_set_contents (files->pool, pool_csv, -1, &error) ||
      !g_file_set_contents (files->quotas, quotas_csv, -1, &error) ||
      !g_file_set_contents (files->settings, toml, -1, &error))
    g_error ("%s", error->message);
}

/* 100 features are more than the generator's realistic correlations are
 * made for: a plain uniform pool, four values a feature, loose quotas. */
static void
write_wide_pool (const char *dir,
                 guint       n_people,
                 guint       n_features,
                 Files      *files)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(GString) pool = g_string_new ("id");
  g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\r\n");
  g_autoptr(GError) error = NULL;

  for (guint f = 0; f < n_features; f++)
    {
      g_string_append_printf (pool, ",feature%u", f);
      for (guint v = 0; v < 4; v++)
        g_string_append_printf (quotas, "feature%u,value%u,0,%u\r\n", f, v, n_people);
    }
  g_string_append (pool, "\r\n");
  for (guint i = 0; i < n_people; i++)
    {
      g_string_append_printf (pool, "P%06u", i);
      for (guint f = 0; f < n_features; f++)
        g_string_append_printf (pool, ",value%u", g_rand_int_range (rand, 0, 4));
      g_string_append (pool, "\r\n");
    }

  files->pool = g_build_filename (dir, "big-pool.csv", NULL);
  files->quotas = g_build_filename (dir, "big-quotas.csv", NULL);
  files->settings = g_build_filename (dir, "big-settings.toml", NULL);
  if (!g_file_set_contents (files->pool, pool->str, pool->len, &error) ||
      !g_file_set_contents (files->quotas, quotas->str, quotas->len, &error) ||
      !g_file_set_contents (files->settings, "id_column = \"id\"\n", -1, &error))
    g_error ("%s", error->message);
}

static void
remove_files (Files *files)
{
  g_unlink (files->pool);
  g_unlink (files->quotas);
  g_unlink (files->settings);
  g_free (files->pool);
  g_free (files->quotas);
  g_free (files->settings);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("kleroterion-bench-XXXXXX", NULL);
  GString *accented = g_string_sized_new (1024 * 1024);
  Files plain, wide, big;

  while (accented->len < 1024 * 1024)
    g_string_append (accented, "é");
  measure ("fold-1MB-accented", fold_accented, accented->str);
  g_string_free (accented, TRUE);

  generate (dir, "plain", 5000, 4, 0, &plain);
  generate (dir, "wide", 5000, 4, 16383, &wide);
  measure ("pool-5000-plain", load_pool, &plain);
  measure ("pool-5000-wide-header", load_pool, &wide);
  remove_files (&plain);
  remove_files (&wide);

  write_wide_pool (dir, 100000, 100, &big);
  measure ("pool-100000x100", load_pool, &big);
  remove_files (&big);

  g_rmdir (dir);
  return 0;
}
