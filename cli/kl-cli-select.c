/* kl-cli-select.c — `kleroterion-cli select` (also `csv`): files in, panel out
 *
 * Flags follow the Python tool's `csv` command, so its scripts port over.
 * Outputs are written only after a successful run, each atomically, and
 * never over an input; Ctrl-C cancels the run and writes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "kl-cli.h"

/* --seed absent: the settings' seed applies */
#define SEED_NOT_GIVEN G_MININT64

typedef struct {
  KlCliInputOptions inputs;
  char *selected_path;
  char *remaining_path;
  char *report_path;
  char *probabilities_path;
  char *distribution_path;
  char *suggested_path;
  char *algorithm;
  char *progress;
  gint64 seed;
  gboolean no_progress;
  gboolean test_selection;
  int number_selections;
} SelectOptions;

typedef struct {
  KlRun *run;
  KlProgressReporter *reporter;
} SelectJob;

static void
select_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SelectJob *job = task_data;
  GError *error = NULL;

  if (kl_run_execute (job->run, job->reporter, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (path == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The audit record: the engine's, with the checksums of the files read. */
static char *
report_as_json (KlRun         *run,
                SelectOptions *options)
{
  const char *roles[] = { "settings", "features", "people", "already_selected" };
  const char *paths[] = { options->inputs.settings_path, options->inputs.features_path,
                          options->inputs.people_path, options->inputs.already_selected_path };
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) digests = g_new0 (char *, G_N_ELEMENTS (paths) + 1);
  KlRunInput inputs[G_N_ELEMENTS (paths)];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (paths[i] != NULL)
      {
        digests[n] = file_digest (paths[i]);
        inputs[n].role = roles[i];
        inputs[n].name = paths[i];
        inputs[n].sha256 = digests[n] ? digests[n] : "";
        n++;
      }

  root = kl_run_to_json (run, inputs, n);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static char *
report_contents (KlRun         *run,
                 SelectOptions *options)
{
  KlReport *report = kl_run_get_report (run);

  if (g_str_has_suffix (options->report_path, ".json"))
    return report_as_json (run, options);

  if (g_str_has_suffix (options->report_path, ".html") || g_str_has_suffix (options->report_path, ".htm"))
    return kl_report_to_html_page (report);

  return kl_report_to_text (report);
}

typedef struct {
  const char *path;
  char *contents;
  gboolean existed;
} Output;

/* Writes every output or, if one fails, removes those this run created:
 * a half-written set of files is worse than none. */
static gboolean
write_outputs (GArray              *outputs,
               const char * const  *inputs,
               GError             **error)
{
  for (guint i = 0; i < outputs->len; i++)
    {
      Output *out = &g_array_index (outputs, Output, i);

      if (!kl_file_write_atomic (out->path, out->contents, strlen (out->contents), inputs, error))
        {
          for (guint j = 0; j < i; j++)
            if (!g_array_index (outputs, Output, j).existed)
              g_unlink (g_array_index (outputs, Output, j).path);
          return FALSE;
        }
    }
  return TRUE;
}

static void
output_clear (gpointer data)
{
  g_free (((Output *) data)->contents);
}

static void
add_output (GArray     *outputs,
            const char *path,
            char       *contents)
{
  Output out = { path, contents, g_file_test (path, G_FILE_TEST_EXISTS) };

  g_array_append_val (outputs, out);
}

static char *
rows_csv (GPtrArray *rows)
{
  g_autoptr(GPtrArray) owned = rows;

  return kl_csv_from_rows (owned);
}

/* For a transparent lottery: one column of ids per panel ("Panel 1" …),
 * and as remaining, the people who are on none of the panels. */
/* For a transparent lottery: the panels, one column each, and as
 * remaining the people who are on none of them. */
static void
panels_tables (KlRun             *run,
               KlPool            *pool,
               const KlSettings  *settings,
               GPtrArray        **selected_rows,
               GPtrArray        **remaining_rows)
{
  g_autofree gboolean *on_a_panel = g_new0 (gboolean, MAX (kl_pool_get_n_people (pool), 1));
  g_autoptr(GArray) everyone_on_panels = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) unused = NULL;

  for (guint p = 0; p < kl_run_get_n_panels (run); p++)
    {
      guint n;
      const guint *panel = kl_run_get_panel (run, p, &n);

      for (guint m = 0; m < n; m++)
        on_a_panel[panel[m]] = TRUE;
    }
  for (guint i = 0; i < kl_pool_get_n_people (pool); i++)
    if (on_a_panel[i])
      g_array_append_val (everyone_on_panels, i);

  *selected_rows = kl_output_panel_rows (run);
  kl_output_build_tables (pool, settings, (guint *) everyone_on_panels->data, everyone_on_panels->len,
                          NULL, KL_OUTPUT_NONE, &unused, remaining_rows);
}

static int
select_main (SelectOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlProgressReporter) reporter = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GArray) outputs = g_array_new (FALSE, TRUE, sizeof (Output));
  g_autoptr(GPtrArray) selected_rows = NULL;
  g_autoptr(GPtrArray) remaining_rows = NULL;
  g_autofree char *report_text = NULL;
  const char *inputs[5] = { NULL };
  const char *outputs_to_check[5] = { NULL };
  KlCliInputs loaded = { 0 };
  KlAlgorithm algorithm;
  KlRunParams params;
  SelectJob job;
  int status;
  guint n = 0;

  g_array_set_clear_func (outputs, output_clear);

  status = kl_cli_require_inputs (&options->inputs, "select");
  if (status != KL_EXIT_OK)
    return status;
  if (options->selected_path == NULL || options->remaining_path == NULL)
    return kl_cli_usage_error ("select", _("--selected-csv and --remaining-csv are required"));
  if (options->inputs.number_wanted < 1)
    return kl_cli_usage_error ("select", _("--number-wanted must be 1 or more"));
  status = kl_cli_parse_algorithm (options->algorithm, "select", &algorithm);
  if (status != KL_EXIT_OK)
    return status;

  reporter = kl_cli_make_reporter (options->no_progress ? "none" : options->progress, "select", &status);
  if (status != KL_EXIT_OK)
    return status;

  /* Refuse a bad output path now, not after a long run. */
  inputs[0] = options->inputs.settings_path;
  inputs[1] = options->inputs.features_path;
  inputs[2] = options->inputs.people_path;
  inputs[3] = options->inputs.already_selected_path;
  outputs_to_check[0] = options->selected_path;
  outputs_to_check[1] = options->remaining_path;
  outputs_to_check[2] = options->report_path;
  for (guint i = 0; i < 3; i++)
    if (outputs_to_check[i] != NULL && !kl_file_check_writable (outputs_to_check[i], inputs, &error))
      {
        fprintf (stderr, "%s\n", error->message);
        return KL_EXIT_USAGE;
      }
  outputs_to_check[3] = options->probabilities_path ? options->probabilities_path : options->distribution_path;
  if (outputs_to_check[3] != NULL && !kl_file_check_writable (outputs_to_check[3], inputs, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return KL_EXIT_USAGE;
    }

  status = kl_cli_load_inputs (&options->inputs, &loaded);
  if (status != KL_EXIT_OK)
    goto out;

  kl_run_params_init (&params, loaded.settings);
  params.number_wanted = options->inputs.number_wanted;
  if (options->algorithm != NULL)
    params.algorithm = algorithm;
  if (options->seed != SEED_NOT_GIVEN)
    params.seed = options->seed;
  params.test_selection = options->test_selection;
  params.number_selections = options->number_selections;

  if ((options->probabilities_path != NULL || options->distribution_path != NULL) &&
      (params.test_selection || params.algorithm == KL_ALGORITHM_LEGACY || params.algorithm == KL_ALGORITHM_DIVERSIMAX))
    {
      status = kl_cli_usage_error ("select", _("this algorithm computes no selection probabilities "
                                               "(for legacy, “kleroterion-cli analyse” estimates them)"));
      goto out;
    }

  run = kl_run_new (loaded.pool, loaded.settings, loaded.already_selected, &params);
  job.run = run;
  job.reporter = reporter;
  if (!kl_cli_run_in_thread (select_in_thread, &job, cancellable, &error))
    {
      g_autofree char *text = kl_report_to_text (kl_run_get_report (run));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fprintf (stderr, "%s\n", _("Interrupted: the selection was cancelled and nothing was written."));
      else if (kl_run_get_suggested_quotas (run) != NULL && options->suggested_path != NULL)
        {
          g_autofree char *csv = kl_quotas_to_csv (kl_run_get_suggested_quotas (run));
          g_autoptr(GError) write_error = NULL;

          printf ("%s", text);
          fprintf (stderr, "%s\n", error->message);
          if (kl_file_write_atomic (options->suggested_path, csv, strlen (csv), inputs, &write_error))
            fprintf (stderr, _("The relaxed quotas are in %s.\n"), options->suggested_path);
          else
            fprintf (stderr, "%s\n", write_error->message);
        }
      else
        {
          printf ("%s", text);
          fprintf (stderr, "%s\n%s\n", error->message, _("The selection failed; nothing was written."));
        }
      status = kl_cli_exit_for_error (error);
      goto out;
    }

  report_text = kl_report_to_text (kl_run_get_report (run));
  printf ("%s", report_text);
  if (params.test_selection)
    fprintf (stderr, "%s\n", _("WARNING: this is a TEST selection. The panel was NOT chosen at random; "
                               "do not use it for an assembly."));

  if (kl_run_get_n_panels (run) == 1)
    {
      const guint *panel = kl_run_get_panel (run, 0, &n);

      kl_output_build_tables (loaded.pool, loaded.settings, panel, n, loaded.already_selected,
                              KL_OUTPUT_NONE, &selected_rows, &remaining_rows);
    }
  else
    panels_tables (run, loaded.pool, loaded.settings, &selected_rows, &remaining_rows);
  add_output (outputs, options->selected_path, kl_csv_from_rows (selected_rows));
  add_output (outputs, options->remaining_path, kl_csv_from_rows (remaining_rows));
  if (options->probabilities_path != NULL)
    add_output (outputs, options->probabilities_path, rows_csv (kl_output_probability_rows (run)));
  if (options->distribution_path != NULL)
    add_output (outputs, options->distribution_path, rows_csv (kl_output_distribution_rows (run)));
  if (options->report_path != NULL)
    add_output (outputs, options->report_path, report_contents (run, options));

  if (!write_outputs (outputs, inputs, &error))
    {
      fprintf (stderr, "%s\n%s\n", error->message, _("Nothing was written."));
      status = KL_EXIT_FAILED;
      goto out;
    }

  if (kl_run_get_n_panels (run) > 1)
    {
      g_autofree char *digest = kl_run_get_distribution_digest (run);

      printf (_("Wrote %u panels for a public draw to %s, and the %u people on none of them to %s.\n"
                "The distribution's SHA-256 is %s.\n"),
              kl_run_get_n_panels (run), options->selected_path, remaining_rows->len - 1,
              options->remaining_path, digest);
    }
  else
    printf (_("Wrote %u selected people to %s and %u remaining to %s.\n"),
            selected_rows->len - 1, options->selected_path,
            remaining_rows->len - 1, options->remaining_path);

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
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.seed,
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
    { "suggested-quotas-csv", 0, 0, G_OPTION_ARG_FILENAME, &options.suggested_path,
      N_("If the quotas cannot be met, write the relaxed quotas here"), N_("FILE") },
    { "progress", 0, 0, G_OPTION_ARG_STRING, &options.progress,
      N_("auto, bar, jsonl (to standard error) or none"), N_("MODE") },
    { "no-progress", 0, 0, G_OPTION_ARG_NONE, &options.no_progress,
      N_("The same as --progress=none"), NULL },
    { NULL }
  };

  options.number_selections = 1;
  options.seed = SEED_NOT_GIVEN;
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
  g_free (options.report_path);
  g_free (options.probabilities_path);
  g_free (options.distribution_path);
  g_free (options.suggested_path);
  g_free (options.algorithm);
  g_free (options.progress);
  return status;
}
