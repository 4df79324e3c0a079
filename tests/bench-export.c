/* bench-export.c — write the whole result set of a run on a generated pool
 * of 100,000 people (8 features, 10 kept columns): selected, remaining,
 * quotas used, report, audit record and workbook, all or nothing.
 *
 * Prints the median CPU time of the export alone over several runs, the
 * bytes written and the peak memory of one process that loads, selects
 * and exports (each in its own child process).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <kleroterion.h>

#include <glib/gstdio.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 5
#define PANEL 100

typedef struct {
  double cpu_seconds;
  double megabytes;
} Measure;

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
folder_megabytes (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  double total = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        total += st.st_size;
    }
  return total / (1024.0 * 1024.0);
}

static void
export_once (const char *settings_path,
             const char *quotas_path,
             const char *pool_path,
             const char *folder,
             int         out_fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) settings = kl_settings_load_file (settings_path, NULL, &error);
  g_autoptr(KlQuotas) quotas = kl_quotas_load_file (quotas_path, PANEL, NULL, &error);
  g_autoptr(KlPool) pool = kl_pool_load_file (pool_path, quotas, settings, NULL, &error);
  g_autoptr(KlRun) run = NULL;
  KlRunParams params;
  Measure measure;
  double start;

  if (pool == NULL)
    g_error ("load failed: %s", error->message);
  kl_run_params_init (&params, settings);
  params.number_wanted = PANEL;
  params.algorithm = KL_ALGORITHM_LEGACY;
  params.seed = 1;
  run = kl_run_new (pool, settings, NULL, &params);
  if (!kl_run_execute (run, NULL, NULL, &error))
    g_error ("selection failed: %s", error->message);

  start = cpu_seconds ();
  if (!kl_export_to_folder (run, folder, KL_EXPORT_REPLACE, NULL, NULL, &error))
    g_error ("export failed: %s", error->message);
  measure.cpu_seconds = cpu_seconds () - start;
  measure.megabytes = folder_megabytes (folder);
  if (write (out_fd, &measure, sizeof measure) != sizeof measure)
    _exit (1);
  _exit (0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("kleroterion-bench-XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (dir, "out", NULL);
  g_autofree char *pool_path = g_build_filename (dir, "pool.csv", NULL);
  g_autofree char *quotas_path = g_build_filename (dir, "quotas.csv", NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.toml", NULL);
  g_autofree char *pool_csv = NULL, *quotas_csv = NULL, *toml = NULL;
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  KlGeneratorOptions options;
  double times[RUNS];
  Measure measure = { 0 };
  struct rusage usage;
  KlSummary summary;

  kl_generator_options_init (&options);
  options.n_people = 100000;
  options.n_features = 8;
  options.n_kept = 10;
  options.panel_size = PANEL;
  if (!kl_generate (&options, &pool_csv, &quotas_csv, &settings, &error))
    g_error ("%s", error->message);
  toml = kl_settings_to_toml (settings);
  g_file_set_contents (pool_path, pool_csv, -1, NULL);
  g_file_set_contents (quotas_path, quotas_csv, -1, NULL);
  g_file_set_contents (settings_path, toml, -1, NULL);
  g_clear_pointer (&pool_csv, g_free);
  g_mkdir (folder, 0755);

  for (int r = 0; r < RUNS; r++)
    {
      int fds[2];
      pid_t child;
      int status;

      if (pipe (fds) != 0)
        g_error ("pipe failed");
      child = fork ();
      if (child == 0)
        export_once (settings_path, quotas_path, pool_path, folder, fds[1]);
      close (fds[1]);
      if (read (fds[0], &measure, sizeof measure) != sizeof measure)
        g_error ("an export failed");
      times[r] = measure.cpu_seconds;
      close (fds[0]);
      waitpid (child, &status, 0);
    }

  getrusage (RUSAGE_CHILDREN, &usage);
  kl_summary_compute (times, RUNS, &summary);
  printf ("export the result set of a %d-person panel from 100000 people, 8 features, 10 kept columns:\n", PANEL);
  printf ("  median %.3f CPU s (min %.3f, max %.3f over %d runs), %.1f MB written, "
          "peak memory (load + select + export) %.1f MB\n",
          summary.median, summary.min, summary.max, RUNS, measure.megabytes, usage.ru_maxrss / 1024.0);

  {
    g_autoptr(GDir) out = g_dir_open (folder, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (out)) != NULL)
      {
        g_autofree char *path = g_build_filename (folder, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (folder);
  g_unlink (pool_path);
  g_unlink (quotas_path);
  g_unlink (settings_path);
  g_rmdir (dir);
  return 0;
}
