/* bench-load.c — load and validate a generated pool of 100,000 people with
 * 8 features and 10 kept columns; prints the median time over several runs
 * and the peak memory of one load.
 *
 * Each load runs in its own child process, so the peak resident size
 * measured is that of loading alone, not of generating the files.
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

static void
load_once (const char *settings_path,
           const char *quotas_path,
           const char *pool_path,
           int         out_fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  gint64 start = g_get_monotonic_time ();
  g_autoptr(KlSettings) settings = kl_settings_load_file (settings_path, messages, &error);
  g_autoptr(KlQuotas) quotas = kl_quotas_load_file (quotas_path, 1000, messages, &error);
  g_autoptr(KlPool) pool = kl_pool_load_file (pool_path, quotas, settings, messages, &error);
  double seconds;

  if (pool == NULL || !kl_pool_check_enough_people (pool, messages))
    {
      fprintf (stderr, "load failed: %s\n", error ? error->message : "not enough people");
      _exit (1);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (write (out_fd, &seconds, sizeof seconds) != sizeof seconds)
    _exit (1);
  _exit (0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("kleroterion-bench-XXXXXX", NULL);
  g_autofree char *pool_path = g_build_filename (dir, "pool.csv", NULL);
  g_autofree char *quotas_path = g_build_filename (dir, "quotas.csv", NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.toml", NULL);
  g_autofree char *pool_csv = NULL, *quotas_csv = NULL, *toml = NULL;
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  KlGeneratorOptions options;
  double times[RUNS];
  struct rusage usage;
  KlSummary summary;

  kl_generator_options_init (&options);
  options.n_people = 100000;
  options.n_features = 8;
  options.n_kept = 10;
  options.panel_size = 1000;
  if (!kl_generate (&options, &pool_csv, &quotas_csv, &settings, &error))
    g_error ("%s", error->message);
  toml = kl_settings_to_toml (settings);
  g_file_set_contents (pool_path, pool_csv, -1, NULL);
  g_file_set_contents (quotas_path, quotas_csv, -1, NULL);
  g_file_set_contents (settings_path, toml, -1, NULL);
  g_clear_pointer (&pool_csv, g_free);

  for (int r = 0; r < RUNS; r++)
    {
      int fds[2];
      pid_t child;
      int status;

      if (pipe (fds) != 0)
        g_error ("pipe failed");
      child = fork ();
      if (child == 0)
        load_once (settings_path, quotas_path, pool_path, fds[1]);
      close (fds[1]);
      if (read (fds[0], &times[r], sizeof times[r]) != sizeof times[r])
        g_error ("a load failed");
      close (fds[0]);
      waitpid (child, &status, 0);
    }

  getrusage (RUSAGE_CHILDREN, &usage);
  kl_summary_compute (times, RUNS, &summary);
  printf ("load+validate 100000 people, 8 features, 10 kept columns:\n");
  printf ("  median %.3f s (min %.3f, max %.3f over %d runs), peak memory %.1f MB\n",
          summary.median, summary.min, summary.max, RUNS, usage.ru_maxrss / 1024.0);

  g_unlink (pool_path);
  g_unlink (quotas_path);
  g_unlink (settings_path);
  g_rmdir (dir);
  return 0;
}
