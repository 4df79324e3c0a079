/* kl-cli-select.c — `kleroterion-cli select` (also `csv`): files in, panel out
 *
 * Flags follow the Python tool's `csv` command, so its scripts port over.
 * Outputs are checked before the run and written after it as one set, all
 * or nothing (kl_file_set_commit(), which also writes "-", devices and
 * pipes), never over an input; Ctrl-C or SIGTERM until the last output is
 * written cancels and leaves the old files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

typedef struct {
  KlCliInputOptions inputs;
  char *selected_path;
  char *remaining_path;
  char *panels_path;
  char *report_path;
  char *probabilities_path;
  char *distribution_path;
  char *xlsx_path;
  char *output_dir;
  char *suggested_path;
  char *algorithm;
  char *progress;
  char *seed;                 /* as given: every gint64 is a seed, NULL means the settings' */
  gboolean no_progress;
  gboolean test_selection;
  gboolean force;
  gboolean excel_safe;
  int number_selections;
} SelectOptions;

/* The run and the writing of its outputs, in one worker: Ctrl-C or SIGTERM
 * stays handled until the last output is in place. */
typedef struct {
  SelectOptions *options;
  KlRun *run;
  KlProgressReporter *reporter;
  gboolean ran;
} SelectJob;

static gboolean
computes_probabilities (const KlRunParams *params)
{
  return !params->test_selection && params->algorithm != KL_ALGORITHM_LEGACY &&
         params->algorithm != KL_ALGORITHM_DIVERSIMAX;
}

/* The report option writes text, HTML or the JSON audit record, by the
 * file's extension. */
static KlExportFile
report_kind (const char *path)
{
  if (g_str_has_suffix (path, ".json"))
    return KL_EXPORT_RECORD;
  if (g_str_has_suffix (path, ".html") || g_str_has_suffix (path, ".htm"))
    return KL_EXPORT_REPORT_HTML;
  return KL_EXPORT_REPORT_TEXT;
}

/* The run report is data, for standard output, unless an output is
 * written there: then it is a note on standard error, with the others. */
static void
print_report (const SelectOptions *options,
              const char          *text)
{
  const char *named[] = { options->selected_path, options->remaining_path, options->panels_path,
                          options->probabilities_path, options->distribution_path, options->xlsx_path,
                          options->report_path };

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_strcmp0 (named[i], "-") == 0)
      {
        g_autofree char *trimmed = g_strchomp (g_strdup (text));

        kl_cli_print_text (KL_SEVERITY_INFO, trimmed);
        return;
      }
  fputs (text, stdout);
}

/* Where each output goes: the folder's usual names first, then each
 * file named on the command line (which may move one elsewhere). */
static KlExport *
plan_outputs (SelectOptions *options,
              KlRun         *run)
{
  KlExportFlags flags = options->excel_safe ? KL_EXPORT_EXCEL_SAFE : KL_EXPORT_NONE;
  KlExport *export = kl_export_new (run, flags);

  if (options->output_dir != NULL)
    kl_export_set_folder (export, options->output_dir);
  if (options->selected_path != NULL)
    kl_export_set_path (export, KL_EXPORT_SELECTED, options->selected_path);
  if (options->remaining_path != NULL)
    kl_export_set_path (export, KL_EXPORT_REMAINING, options->remaining_path);
  if (options->panels_path != NULL)
    kl_export_set_path (export, KL_EXPORT_PANELS, options->panels_path);
  if (options->probabilities_path != NULL)
    kl_export_set_path (export, KL_EXPORT_PROBABILITIES, options->probabilities_path);
  if (options->distribution_path != NULL)
    kl_export_set_path (export, KL_EXPORT_DISTRIBUTION, options->distribution_path);
  if (options->xlsx_path != NULL)
    kl_export_set_path (export, KL_EXPORT_WORKBOOK, options->xlsx_path);
  if (options->report_path != NULL)
    kl_export_set_path (export, report_kind (options->report_path), options->report_path);
  return export;
}

static void
select_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SelectJob *job = task_data;
  g_autoptr(KlExport) export = NULL;
  g_autoptr(KlFileSet) set = NULL;
  GError *error = NULL;

  if (!kl_run_execute (job->run, job->reporter, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->ran = TRUE;

  export = plan_outputs (job->options, job->run);
  set = kl_export_to_file_set (export, &error);
  if (set == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Files named on the command line are replaced, as the Python tool does;
   * an output folder's were checked against --force before the run. */
  if (!kl_file_set_commit (set, TRUE, job->reporter, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Whether the run will have @file, known before it from its parameters. */
static gboolean
will_have (KlExportFile       file,
           const KlRunParams *params)
{
  gboolean lottery = params->number_selections > 1;

  switch (file)
    {
    case KL_EXPORT_SELECTED:
    case KL_EXPORT_REMAINING:
      return !lottery;
    case KL_EXPORT_PANELS:
      return lottery;
    case KL_EXPORT_PROBABILITIES:
    case KL_EXPORT_DISTRIBUTION:
      return computes_probabilities (params);
    case KL_EXPORT_REPORT_TEXT:
      return FALSE;
    default:
      return TRUE;
    }
}

static int
refuse (const GError *error,
        const char   *advice)
{
  kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
  if (advice != NULL)
    kl_cli_print_text (KL_SEVERITY_ERROR, advice);
  return KL_EXIT_USAGE;
}

/* Refuse a bad output now, not after a long run: two outputs on one path,
 * an output over an input, a folder that is missing or not writable, and
 * files of an output folder that exist without --force. */
static int
check_outputs (SelectOptions      *options,
               const KlRunParams  *params,
               const char * const *inputs)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) in_folder = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *paths[KL_EXPORT_N_FILES] = { NULL };
  const char *named[KL_EXPORT_N_FILES] = { NULL };

  named[KL_EXPORT_SELECTED] = options->selected_path;
  named[KL_EXPORT_REMAINING] = options->remaining_path;
  named[KL_EXPORT_PANELS] = options->panels_path;
  named[KL_EXPORT_PROBABILITIES] = options->probabilities_path;
  named[KL_EXPORT_DISTRIBUTION] = options->distribution_path;
  named[KL_EXPORT_WORKBOOK] = options->xlsx_path;
  if (options->report_path != NULL)
    named[report_kind (options->report_path)] = options->report_path;

  for (KlExportFile f = 0; f < KL_EXPORT_N_FILES; f++)
    {
      if (named[f] != NULL)
        paths[f] = g_strdup (named[f]);
      else if (options->output_dir != NULL && will_have (f, params))
        {
          paths[f] = g_build_filename (options->output_dir, kl_export_get_file_name (f), NULL);
          g_ptr_array_add (in_folder, paths[f]);
        }
      if (paths[f] != NULL)
        g_ptr_array_add (all, paths[f]);
    }
  g_ptr_array_add (all, NULL);
  g_ptr_array_add (in_folder, NULL);

  if (!kl_file_set_check_paths ((const char * const *) all->pdata, inputs, TRUE, &error))
    return refuse (error, NULL);
  /* Files named on the command line are replaced, as the Python tool does;
   * a folder's earlier result only with --force. */
  if (!kl_file_set_check_paths ((const char * const *) in_folder->pdata, inputs, options->force, &error))
    return refuse (error, _("Nothing was run. Give --force to replace these files, "
                            "or choose another --output-dir."));
  return KL_EXIT_OK;
}

static void
print_outcome (SelectOptions *options,
               KlRun         *run)
{
  g_autoptr(KlExport) export = plan_outputs (options, run);
  g_auto(GStrv) paths = kl_export_get_paths (export);
  guint n_panels = kl_run_get_n_panels (run);

  /* Notes on standard error, where --progress jsonl makes them events. */
  if (n_panels > 1)
    {
      g_autofree char *digest = kl_run_get_distribution_digest (run);
      g_autofree char *text = g_strdup_printf (_("Wrote %u equally likely panels for a public draw; nobody is selected yet.\n"
                                                 "The distribution's SHA-256 is %s.\n"
                                                 "Publish it, then draw one panel with: kleroterion-cli draw --distribution FILE "
                                                 "--public-number NUMBER"),
                                               n_panels, digest);

      kl_cli_print_text (KL_SEVERITY_INFO, text);
    }
  else
    {
      g_autofree char *text = NULL;
      guint k;

      kl_run_get_panel (run, 0, &k);
      text = g_strdup_printf (ngettext ("Selected %u person.", "Selected %u people.", k), k);
      kl_cli_print_text (KL_SEVERITY_INFO, text);
    }
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *text = g_strdup_printf (_("Wrote %s"), paths[i]);

      kl_cli_print_text (KL_SEVERITY_INFO, text);
    }
}

static int
select_main (SelectOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlProgressReporter) reporter = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autofree char *report_text = NULL;
  const char *inputs[5] = { NULL };
  KlCliInputs loaded = { 0 };
  KlAlgorithm algorithm;
  KlRunParams params;
  gint64 seed = 0;
  SelectJob job = { 0 };
  int status;

  status = kl_cli_require_inputs (&options->inputs, "select");
  if (status != KL_EXIT_OK)
    return status;
  if (options->inputs.number_wanted < 1)
    return kl_cli_usage_error ("select", _("--number-wanted must be 1 or more"));
  if (options->number_selections > 1 && (options->selected_path != NULL || options->remaining_path != NULL))
    return kl_cli_usage_error ("select", _("a lottery of several panels selects nobody yet: write the panels "
                                           "with --output-dir or --panels-csv, publish the distribution, "
                                           "then pick one with “kleroterion-cli draw”"));
  if (options->number_selections > 1 && options->output_dir == NULL && options->panels_path == NULL)
    return kl_cli_usage_error ("select", _("--output-dir or --panels-csv is required for several panels"));
  if (options->number_selections <= 1 && options->output_dir == NULL &&
      (options->selected_path == NULL || options->remaining_path == NULL))
    return kl_cli_usage_error ("select", _("--output-dir, or --selected-csv and --remaining-csv, are required"));
  status = kl_cli_parse_algorithm (options->algorithm, "select", &algorithm);
  if (status != KL_EXIT_OK)
    return status;
  if (options->seed != NULL &&
      !g_ascii_string_to_signed (options->seed, 10, G_MININT64, G_MAXINT64, &seed, NULL))
    return kl_cli_usage_error ("select", _("--seed takes a whole number (64 bits), not “%s”"), options->seed);

  reporter = kl_cli_make_reporter (options->no_progress ? "none" : options->progress, "select", &status);
  if (status != KL_EXIT_OK)
    return status;

  inputs[0] = options->inputs.settings_path;
  inputs[1] = options->inputs.features_path;
  inputs[2] = options->inputs.people_path;
  inputs[3] = options->inputs.already_selected_path;

  /* The parameters first: which outputs exist depends on them. */
  kl_run_params_init (&params, NULL);
  params.number_selections = options->number_selections;
  params.test_selection = options->test_selection;
  params.algorithm = algorithm;
  if (options->algorithm == NULL)
    {
      g_autoptr(KlSettings) settings = kl_settings_load_file (options->inputs.settings_path, NULL, NULL);
      params.algorithm = settings ? settings->selection_algorithm : KL_ALGORITHM_MAXIMIN;
    }
  if ((options->probabilities_path != NULL || options->distribution_path != NULL) &&
      !computes_probabilities (&params))
    return kl_cli_usage_error ("select", _("this algorithm computes no selection probabilities "
                                           "(for legacy, “kleroterion-cli analyse” estimates them)"));

  status = check_outputs (options, &params, inputs);
  if (status != KL_EXIT_OK)
    return status;

  status = kl_cli_load_inputs (&options->inputs, &loaded);
  if (status != KL_EXIT_OK)
    goto out;

  kl_run_params_init (&params, loaded.settings);
  params.number_wanted = options->inputs.number_wanted;
  if (options->algorithm != NULL)
    params.algorithm = algorithm;
  if (options->seed != NULL)
    params.seed = seed;
  params.test_selection = options->test_selection;
  params.number_selections = options->number_selections;

  run = kl_run_new (loaded.pool, loaded.settings, loaded.already_selected, &params);
  job.options = options;
  job.run = run;
  job.reporter = reporter;
  if (!kl_cli_run_in_thread (select_in_thread, &job, cancellable, &error))
    {
      g_autofree char *text = kl_report_to_text (kl_run_get_report (run));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kl_cli_print_text (KL_SEVERITY_ERROR, _("Interrupted: nothing was written, and files that were there are unchanged."));
      else if (job.ran)
        {
          kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
          kl_cli_print_text (KL_SEVERITY_ERROR, _("Nothing was written, and files that were there are unchanged."));
        }
      else if (kl_run_get_suggested_quotas (run) != NULL && options->suggested_path != NULL)
        {
          g_autofree char *csv = kl_quotas_to_csv (kl_run_get_suggested_quotas (run));
          g_autoptr(GError) write_error = NULL;

          print_report (options, text);
          kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
          if (kl_file_write_atomic (options->suggested_path, csv, strlen (csv), inputs, &write_error))
            {
              g_autofree char *where = g_strdup_printf (_("The relaxed quotas are in %s."), options->suggested_path);
              kl_cli_print_text (KL_SEVERITY_INFO, where);
            }
          else
            kl_cli_print_text (KL_SEVERITY_ERROR, write_error->message);
        }
      else
        {
          print_report (options, text);
          kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
          kl_cli_print_text (KL_SEVERITY_ERROR, _("The selection failed; nothing was written."));
        }
      status = job.ran && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
               ? KL_EXIT_FAILED : kl_cli_exit_for_error (error);
      goto out;
    }

  report_text = kl_report_to_text (kl_run_get_report (run));
  print_report (options, report_text);
  if (params.test_selection)
    kl_cli_print_text (KL_SEVERITY_WARNING, _("WARNING: this is a TEST selection. The panel was NOT chosen at random; "
                                              "do not use it for an assembly."));
  print_outcome (options, run);

out:
  kl_cli_inputs_clear (&loaded);
  return status;
}

int
kl_cli_select (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  SelectOptions options = { 0 };
  GOptionGroup *main_group;
  int status;
  const GOptionEntry entries[] = {
    { "selected-csv", 's', 0, G_OPTION_ARG_FILENAME, &options.selected_path,
      N_("Where to write the panel"), N_("FILE") },
    { "remaining-csv", 'r', 0, G_OPTION_ARG_FILENAME, &options.remaining_path,
      N_("Where to write everyone else"), N_("FILE") },
    { "algorithm", 0, 0, G_OPTION_ARG_STRING, &options.algorithm,
      N_("legacy, maximin, nash, leximin or diversimax (default: the settings')"), N_("NAME") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options.seed,
      N_("A number for a reproducible draw; 0 for secure randomness (default: the settings')"), N_("N") },
    { "test-selection", 0, 0, G_OPTION_ARG_NONE, &options.test_selection,
      N_("A quick panel that is NOT random, to try the quotas"), NULL },
    { "number-selections", 0, 0, G_OPTION_ARG_INT, &options.number_selections,
      N_("Panels for a transparent lottery (default 1)"), N_("N") },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &options.report_path,
      N_("Write the report as text, HTML or JSON, by the file's extension"), N_("FILE") },
    { "probabilities-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.probabilities_path,
      N_("Write each person's selection probability"), N_("FILE") },
    { "distribution-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.distribution_path,
      N_("Write every panel of the distribution with its probability"), N_("FILE") },
    { "panels-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.panels_path,
      N_("For several panels: write them, one column each"), N_("FILE") },
    { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &options.xlsx_path,
      N_("Write every table in one workbook"), N_("FILE") },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &options.output_dir,
      N_("Write the whole result set into this folder, as the desktop application does"), N_("DIR") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &options.force,
      N_("Replace the files of an earlier result in --output-dir"), NULL },
    { "excel-safe", 0, 0, G_OPTION_ARG_NONE, &options.excel_safe,
      N_("In the selected and remaining CSVs, neutralise cells a spreadsheet would run as formulas"), NULL },
    { "suggested-quotas-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.suggested_path,
      N_("If the quotas cannot be met, write the relaxed quotas here"), N_("FILE") },
    { "progress", 0, 0, G_OPTION_ARG_STRING, &options.progress,
      N_("auto, bar, jsonl (to standard error) or none"), N_("MODE") },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &options.no_progress,
      N_("The same as --progress=none"), NULL },
    { NULL }
  };

  options.number_selections = 1;
  g_option_context_set_summary (context, _("Select a panel from the pool so that every quota is met, "
                                           "and write the selected and the remaining people."));
  main_group = kl_cli_input_option_group (&options.inputs);
  g_option_group_add_entries (main_group, entries);
  g_option_group_set_translation_domain (main_group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, main_group);

  status = kl_cli_parse (context, &argc, &argv, "select");
  if (status == KL_EXIT_OK)
    status = select_main (&options);

  kl_cli_input_options_clear (&options.inputs);
  g_free (options.selected_path);
  g_free (options.remaining_path);
  g_free (options.panels_path);
  g_free (options.xlsx_path);
  g_free (options.output_dir);
  g_free (options.report_path);
  g_free (options.probabilities_path);
  g_free (options.distribution_path);
  g_free (options.suggested_path);
  g_free (options.algorithm);
  g_free (options.progress);
  g_free (options.seed);
  return status;
}
