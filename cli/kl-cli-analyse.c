/* kl-cli-analyse.c — `kleroterion-cli analyse`: who legacy favours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

typedef struct {
  KlPool *pool;
  guint k;
  int max_attempts;
  guint runs;
  gint64 seed;
  KlProgressReporter *reporter;
  KlAnalysis *result;
} AnalyseJob;

static void
analyse_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  AnalyseJob *job = task_data;
  GError *error = NULL;

  job->result = kl_analyse_legacy (job->pool, job->k, job->max_attempts, job->runs, job->seed,
                                   job->reporter, cancellable, &error);
  if (job->result != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

int
kl_cli_analyse (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlProgressReporter) reporter = NULL;
  g_autoptr(KlPool) working = NULL;
  g_autofree char *algorithm_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *progress = NULL;
  g_autofree double *frequencies = NULL;
  KlSummary summary;
  g_autofree char *text = NULL;
  KlCliInputOptions options = { 0 };
  KlCliInputs loaded = { 0 };
  KlAlgorithm algorithm = KL_ALGORITHM_LEGACY;
  AnalyseJob job = { 0 };
  gint64 seed = 1;
  int runs = 1000;
  int status;
  GOptionGroup *group;
  const GOptionEntry entries[] = {
    { "algorithm", 0, 0, G_OPTION_ARG_STRING, &algorithm_name, N_("Only legacy can be analysed this way"), N_("NAME") },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, N_("How many panels to draw (default 1000)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the first draw; the others follow it (default 1)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write each person's frequency (CSV)"), N_("FILE") },
    { "progress", 0, 0, G_OPTION_ARG_STRING, &progress, N_("auto, bar, jsonl or none"), N_("MODE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Draw many panels with the legacy algorithm and report how "
                                           "often each person was selected: the chances legacy gives "
                                           "to each volunteer, which it does not compute itself."));
  group = kl_cli_input_option_group (&options);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (context, group);

  status = kl_cli_parse (context, &argc, &argv, "analyse");
  if (status == KL_EXIT_OK)
    status = kl_cli_require_inputs (&options, "analyse");
  if (status == KL_EXIT_OK)
    status = kl_cli_parse_algorithm (algorithm_name, "analyse", &algorithm);
  if (status == KL_EXIT_OK && algorithm != KL_ALGORITHM_LEGACY)
    status = kl_cli_usage_error ("analyse", _("only legacy needs this: the other algorithms compute "
                                              "each person's probability exactly (select --probabilities-csv)"));
  if (status == KL_EXIT_OK && (runs < 1 || options.number_wanted < 1 || seed == 0))
    status = kl_cli_usage_error ("analyse", _("--runs and --number-wanted must be 1 or more, and --seed not 0"));
  if (status == KL_EXIT_OK)
    reporter = kl_cli_make_reporter (progress, "analyse", &status);
  if (status == KL_EXIT_OK && output != NULL &&
      !kl_file_check_writable (output, (const char *[]) { options.settings_path, options.features_path,
                                                          options.people_path, NULL }, &error))
    {
      kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
      status = KL_EXIT_USAGE;
    }
  if (status != KL_EXIT_OK)
    goto out;

  status = kl_cli_load_inputs (&options, &loaded);
  if (status != KL_EXIT_OK)
    goto out;

  working = kl_pool_exclude_already_selected (loaded.pool, loaded.already_selected, NULL);
  job.pool = working;
  job.k = options.number_wanted;
  job.max_attempts = loaded.settings->max_attempts;
  job.runs = runs;
  job.seed = seed;
  job.reporter = reporter;
  if (!kl_cli_run_in_thread (analyse_in_thread, &job, cancellable, &error))
    {
      kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
      status = kl_cli_exit_for_error (error);
      goto out;
    }

  {
    guint n = job.result->n_people;
    guint drawn = job.result->runs - job.result->failures;
    g_autoptr(GString) csv = g_string_new ("id,selected,frequency\r\n");

    frequencies = g_new0 (double, MAX (n, 1));
    for (guint i = 0; i < n; i++)
      {
        frequencies[i] = drawn ? (double) job.result->counts[i] / drawn : 0;
        g_string_append_printf (csv, "%s,%u,%.6f\r\n", kl_pool_get_id (working, i),
                                job.result->counts[i], frequencies[i]);
      }
    if (output != NULL && !kl_file_write_atomic (output, csv->str, csv->len, NULL, &error))
      {
        kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
        status = KL_EXIT_FAILED;
        goto out;
      }
    if (output == NULL)
      fputs (csv->str, stdout);

    kl_summary_compute (frequencies, n, &summary);
    text = g_strdup_printf (_("%u panels drawn (%u attempts gave up) from %u people, %u seats each.\n"
                              "Selection frequency: min %.4f, median %.4f, max %.4f (equal chances would be %.4f).\n"),
                            drawn, job.result->failures, n, job.k,
                            summary.min, summary.median, summary.max,
                            n ? (double) job.k / n : 0);
    /* With the table on standard output, the summary goes to standard
     * error, as a JSON event with --progress jsonl. */
    if (output != NULL)
      fputs (text, stdout);
    else
      {
        g_strchomp (text);
        kl_cli_print_text (KL_SEVERITY_INFO, text);
      }
  }

out:
  g_clear_pointer (&job.result, kl_analysis_free);
  kl_cli_inputs_clear (&loaded);
  kl_cli_input_options_clear (&options);
  return status;
}
