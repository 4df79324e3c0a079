/* kl-cli-draw.c — `kleroterion-cli draw`: the public draw of a lottery
 *
 * After `select --number-selections N` has published N equally likely
 * panels and the distribution's SHA-256, a number drawn in public picks
 * one: panel (number mod N), a remainder of 0 meaning panel N. The draw
 * refuses a distribution whose bytes are not the ones the lottery's record
 * names, and a pool that is not the one the lottery ran on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

typedef struct {
  char *distribution_path;
  char *public_number;
  char *record_path;
  char *people_path;
  char *already_selected_path;
  char *output_dir;
  char *selected_path;
  char *remaining_path;
  char *draw_record_path;
  gboolean force;
  gboolean excel_safe;
} DrawOptions;

typedef struct {
  KlFileSet *set;
  gboolean replace;
} CommitJob;

static void
commit_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CommitJob *job = task_data;
  GError *error = NULL;

  if (kl_file_set_commit (job->set, job->replace, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
print_lines (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    fprintf (stderr, "%s\n", (char *) g_ptr_array_index (lines, i));
}

static int
draw_main (DrawOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) unreadable = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KlFileSet) set = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *record_path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *selected = NULL, *remaining = NULL, *draw_record = NULL;
  g_autofree char *distribution_sha = NULL;
  KlCliRecord record = { 0 };
  KlCliInputs loaded = { 0 };
  KlDrawRequest request = { 0 };
  CommitJob job;
  const char *expected;
  guint panel_number = 0;
  int status;

  if (options->distribution_path == NULL || options->public_number == NULL)
    return kl_cli_usage_error ("draw", _("--distribution and --public-number are required"));

  folder = g_path_get_dirname (options->distribution_path);
  record_path = options->record_path ? g_strdup (options->record_path)
                                     : g_build_filename (folder, "report.json", NULL);
  if (!kl_cli_record_load (&record, record_path, &error))
    {
      fprintf (stderr, _("Cannot read the lottery's audit record %s: %s\n"), record_path, error->message);
      return KL_EXIT_BAD_INPUT;
    }

  /* The distribution must be the very one published. */
  expected = kl_cli_record_get (&record, NULL, "distribution_sha256", NULL);
  distribution_sha = kl_cli_file_sha256 (options->distribution_path);
  if (distribution_sha == NULL)
    {
      fprintf (stderr, _("Cannot read the distribution %s.\n"), options->distribution_path);
      status = KL_EXIT_BAD_INPUT;
      goto out;
    }
  if (expected == NULL || !g_str_equal (expected, distribution_sha))
    {
      fprintf (stderr, _("The distribution %s has the SHA-256 %s, but the lottery's record says %s: "
                         "it is not the distribution that was published. Nothing was drawn.\n"),
               options->distribution_path, distribution_sha, expected ? expected : "(nothing)");
      status = KL_EXIT_FAILED;
      goto out;
    }

  status = kl_cli_record_load_inputs (&record, options->people_path, options->already_selected_path,
                                      &loaded, problems, unreadable);
  if (status != KL_EXIT_OK)
    {
      print_lines (problems);
      print_lines (unreadable);
      fprintf (stderr, "%s\n", _("These are not the files the lottery ran on. Nothing was drawn."));
      goto out;
    }

  if (options->output_dir != NULL)
    {
      g_free (folder);
      folder = g_strdup (options->output_dir);
    }
  /* Each may be named apart: another file, a device, a pipe or "-". */
  selected = options->selected_path ? g_strdup (options->selected_path)
                                    : g_build_filename (folder, "selected.csv", NULL);
  remaining = options->remaining_path ? g_strdup (options->remaining_path)
                                      : g_build_filename (folder, "remaining.csv", NULL);
  draw_record = options->draw_record_path ? g_strdup (options->draw_record_path)
                                          : g_build_filename (folder, "draw.json", NULL);

  /* Refused before anything is drawn: two outputs on one file, an output
   * over a file the draw reads, and an earlier draw without --force. */
  {
    const char *outputs[] = { selected, remaining, draw_record, NULL };
    const char *inputs[] = { options->distribution_path, record_path, kl_pool_get_file (loaded.pool),
                             loaded.already_selected ? kl_pool_get_file (loaded.already_selected) : NULL,
                             NULL };

    if (!kl_file_set_check_paths (outputs, inputs, options->force, &error))
      {
        kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
        if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
          kl_cli_print_text (KL_SEVERITY_ERROR, _("A panel was drawn here before. Give --force to replace its files, "
                                                  "or choose another --output-dir."));
        status = KL_EXIT_USAGE;
        goto out;
      }
  }

  request.lottery = record.root;
  request.lottery_name = record_path;
  request.lottery_sha256 = record.sha256;
  request.public_number = options->public_number;
  request.pool = loaded.pool;
  request.settings = loaded.settings;
  request.already_selected = loaded.already_selected;
  request.selected_path = selected;
  request.remaining_path = remaining;
  request.record_path = draw_record;
  request.flags = options->excel_safe ? KL_EXPORT_EXCEL_SAFE : KL_EXPORT_NONE;

  set = kl_draw_to_file_set (&request, &panel_number, &error);
  if (set == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      status = g_error_matches (error, KL_ERROR, KL_ERROR_CONFIGURATION) ? KL_EXIT_USAGE : KL_EXIT_BAD_INPUT;
      goto out;
    }

  /* An earlier official draw is never replaced by accident. */
  job.set = set;
  job.replace = options->force;
  if (!kl_cli_run_in_thread (commit_in_thread, &job, cancellable, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        fprintf (stderr, "%s\n", _("A panel was drawn here before. Give --force to replace its files, "
                                   "or choose another --output-dir."));
      else
        fprintf (stderr, "%s\n", _("Nothing was written, and files that were there are unchanged."));
      status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? KL_EXIT_INTERRUPTED
               : g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS) ? KL_EXIT_USAGE : KL_EXIT_FAILED;
      goto out;
    }

  /* Notes, not data: standard output may be one of the files. */
  {
    g_autofree char *picked = g_strdup_printf (_("The public number %s picks panel %u of %u."),
                                               options->public_number, panel_number,
                                               json_array_get_length (json_object_get_array_member (record.root,
                                                                                                    "panels")));
    g_autofree char *wrote = g_strdup_printf (_("Wrote %s, %s and the draw's record %s."),
                                              selected, remaining, draw_record);

    kl_cli_print_text (KL_SEVERITY_INFO, picked);
    kl_cli_print_text (KL_SEVERITY_INFO, wrote);
  }
  status = KL_EXIT_OK;

out:
  kl_cli_inputs_clear (&loaded);
  kl_cli_record_clear (&record);
  return status;
}

int
kl_cli_draw (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  DrawOptions options = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "distribution", 'd', 0, G_OPTION_ARG_FILENAME, &options.distribution_path,
      N_("The published distribution (distribution.csv of the lottery)"), N_("FILE") },
    { "public-number", 0, 0, G_OPTION_ARG_STRING, &options.public_number,
      N_("The number drawn in public; it picks panel (number mod N), 0 meaning panel N"), N_("NUMBER") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &options.record_path,
      N_("The lottery's audit record (default: report.json beside the distribution)"), N_("FILE") },
    { "people-csv", 'p', 0, G_OPTION_ARG_FILENAME, &options.people_path,
      N_("The pool, if it is not beside the record or where the record says"), N_("FILE") },
    { "already-selected-csv", 'a', 0, G_OPTION_ARG_FILENAME, &options.already_selected_path,
      N_("The already-selected people, if not beside the record"), N_("FILE") },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &options.output_dir,
      N_("Where to write selected.csv, remaining.csv and draw.json (default: the distribution's folder)"),
      N_("DIR") },
    { "selected-csv", 's', 0, G_OPTION_ARG_FILENAME, &options.selected_path,
      N_("Where to write the panel instead (“-” for standard output)"), N_("FILE") },
    { "remaining-csv", 'r', 0, G_OPTION_ARG_FILENAME, &options.remaining_path,
      N_("Where to write everyone else instead"), N_("FILE") },
    { "draw-record", 0, 0, G_OPTION_ARG_FILENAME, &options.draw_record_path,
      N_("Where to write the draw's record instead"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &options.force,
      N_("Replace the files of an earlier draw"), NULL },
    { "excel-safe", 0, 0, G_OPTION_ARG_NONE, &options.excel_safe,
      N_("Neutralise cells a spreadsheet would run as formulas"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Pick one of the lottery's N panels with a number drawn in public, "
                                           "and write the selected and the remaining people."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  status = kl_cli_parse (context, &argc, &argv, "draw");
  if (status == KL_EXIT_OK)
    status = draw_main (&options);

  g_free (options.distribution_path);
  g_free (options.public_number);
  g_free (options.record_path);
  g_free (options.people_path);
  g_free (options.already_selected_path);
  g_free (options.output_dir);
  g_free (options.selected_path);
  g_free (options.remaining_path);
  g_free (options.draw_record_path);
  return status;
}
