/* kl-cli-check.c — `kleroterion-cli check`: the whole pre-flight of a
 * selection, every problem in one pass
 *
 * check loads the files as select does, then, given a panel size, makes the
 * run's own checks and solves the same feasibility problem a run starts
 * with (a test selection: the committee model's first panel). So a clean
 * check means select will not stop before it draws, and a problem gives the
 * same lines and the same exit status as select: 3 for the files, 4 for
 * quotas this pool cannot meet, with the suggested relaxation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "kl-cli.h"

/* -n not given: the files are checked, the panel size is not. */
#define NUMBER_NOT_GIVEN G_MININT

typedef struct {
  KlCliInputOptions inputs;
  gboolean json;
} CheckOptions;

typedef struct {
  KlRun *run;
} CheckJob;

static void
probe_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CheckJob *job = task_data;
  GError *error = NULL;

  if (kl_run_execute (job->run, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* A test selection finds the model's first panel or proves there is none:
 * the feasibility probe every selecting algorithm starts with (spec 4.1). */
static KlRun *
probe_feasibility (const KlCliInputs  *inputs,
                   int                 number_wanted,
                   GError            **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlRun) run = NULL;
  KlRunParams params;
  CheckJob job;

  kl_run_params_init (&params, inputs->settings);
  params.number_wanted = number_wanted;
  params.test_selection = TRUE;
  params.number_selections = 1;

  run = kl_run_new (inputs->pool, inputs->settings, inputs->already_selected, &params);
  job.run = run;
  kl_cli_run_in_thread (probe_in_thread, &job, cancellable, error);
  return g_steal_pointer (&run);
}

static void
print_summary (const KlCliInputs *inputs,
               int                number_wanted)
{
  KlQuotas *quotas = inputs->quotas;
  KlPool *pool = inputs->pool;
  int lowest = kl_quotas_get_minimum_selection (quotas);
  int highest = kl_quotas_get_maximum_selection (quotas);
  guint n_features = kl_quotas_get_n_features (quotas);
  guint n_people = kl_pool_get_n_people (pool);
  guint n_shared = 0;

  printf (ngettext ("Pool: %u person (%s)\n", "Pool: %u people (%s)\n", n_people),
          n_people, kl_pool_get_file (pool));
  printf (_("Features: %u —"), n_features);
  for (guint f = 0; f < n_features; f++)
    {
      const KlFeature *feature = kl_quotas_get_feature (quotas, f);
      printf (" %s (%u)%s", feature->name, feature->values->len, f + 1 < n_features ? "," : "");
    }
  printf ("\n");

  if (n_features > 0)
    printf (_("Panel size: the quotas allow %d to %d people.\n"), lowest, MIN (highest, (int) n_people));

  if (kl_pool_has_addresses (pool))
    {
      guint n_households = kl_pool_get_n_households (pool);

      for (guint h = 0; h < n_households; h++)
        n_shared += kl_pool_get_household_size (pool, h);
      printf (ngettext ("Households: %u person shares an address with someone else in the pool",
                        "Households: %u people share an address with someone else in the pool",
                        n_shared), n_shared);
      printf (ngettext (" (%u address).\n", " (%u addresses).\n", n_households), n_households);
    }

  if (kl_pool_get_n_people (inputs->already_selected) > 0)
    {
      guint n = kl_pool_get_n_people (inputs->already_selected);
      printf (ngettext ("Already selected: %u person.\n", "Already selected: %u people.\n", n), n);
    }

  if (number_wanted > 0)
    printf (ngettext ("No problems found: a panel of %d person meets every quota, and the files are ready for a selection.\n",
                      "No problems found: a panel of %d people meets every quota, and the files are ready for a selection.\n",
                      number_wanted), number_wanted);
  else
    printf ("%s\n", _("No problems found in the files. Give --number-wanted to check as well "
                      "that a panel of that size can meet the quotas."));
}

/* One object on standard output: the exit status, every problem with its
 * code, place and parameters, and for a feasibility failure the run's
 * report (with the suggested relaxation) as select --report writes it. */
static void
print_json (int         status,
            GPtrArray  *messages,
            KlRun      *run,
            int         number_wanted,
            const KlCliInputs *inputs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  static const char * const outcomes[] = {
    [KL_EXIT_OK] = "ready", [KL_EXIT_FAILED] = "failed", [KL_EXIT_USAGE] = "usage",
    [KL_EXIT_BAD_INPUT] = "bad_input", [KL_EXIT_INFEASIBLE] = "infeasible",
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "exit_status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, status < (int) G_N_ELEMENTS (outcomes) ? outcomes[status]
                                                                                  : "interrupted");
  if (number_wanted > 0)
    {
      json_builder_set_member_name (builder, "number_wanted");
      json_builder_add_int_value (builder, number_wanted);
    }
  if (inputs->pool != NULL && inputs->quotas != NULL)
    {
      json_builder_set_member_name (builder, "people");
      json_builder_add_int_value (builder, kl_pool_get_n_people (inputs->pool));
      json_builder_set_member_name (builder, "features");
      json_builder_add_int_value (builder, kl_quotas_get_n_features (inputs->quotas));
      json_builder_set_member_name (builder, "minimum_selection");
      json_builder_add_int_value (builder, kl_quotas_get_minimum_selection (inputs->quotas));
      json_builder_set_member_name (builder, "maximum_selection");
      json_builder_add_int_value (builder, kl_quotas_get_maximum_selection (inputs->quotas));
    }
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    {
      json_builder_begin_object (builder);
      kl_cli_add_message_json (builder, g_ptr_array_index (messages, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (run != NULL && status == KL_EXIT_INFEASIBLE)
    {
      json_builder_set_member_name (builder, "report");
      json_builder_add_value (builder, kl_report_to_json (kl_run_get_report (run)));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static int
check_main (CheckOptions *options)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  KlCliInputs inputs = { 0 };
  int number_wanted = options->inputs.number_wanted;
  int status;

  if (number_wanted == NUMBER_NOT_GIVEN)
    options->inputs.number_wanted = number_wanted = 0;
  else if (number_wanted < 1)
    return kl_cli_usage_error ("check", _("--number-wanted must be 1 or more"));

  status = kl_cli_require_inputs (&options->inputs, "check");
  if (status != KL_EXIT_OK)
    return status;

  status = kl_cli_load_inputs_quietly (&options->inputs, &inputs, messages);

  if (status == KL_EXIT_OK && number_wanted > 0)
    {
      run = probe_feasibility (&inputs, number_wanted, &error);
      if (error != NULL)
        status = kl_cli_exit_for_error (error);
    }

  if (options->json)
    print_json (status, messages, run, number_wanted, &inputs);
  else
    {
      kl_cli_print_messages (messages, options->inputs.verbose);
      if (error != NULL && status == KL_EXIT_INTERRUPTED)
        kl_cli_print_text (KL_SEVERITY_ERROR, _("Interrupted: the check was cancelled."));
      else if (error != NULL)
        kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
      else if (status == KL_EXIT_OK)
        print_summary (&inputs, number_wanted);
    }

  kl_cli_inputs_clear (&inputs);
  return status;
}

int
kl_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  CheckOptions options = { 0 };
  GOptionGroup *main_group;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("Print the outcome and every problem as one JSON object on standard output"), NULL },
    { NULL }
  };

  options.inputs.number_wanted = NUMBER_NOT_GIVEN;
  g_option_context_set_summary (context, _("Check settings, quotas and pool, and report every problem "
                                           "with its file, line and column. With --number-wanted, also "
                                           "check that a panel of that size can meet every quota, as "
                                           "select would before it draws."));
  main_group = kl_cli_input_option_group (&options.inputs);
  g_option_group_add_entries (main_group, entries);
  g_option_group_set_translation_domain (main_group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, main_group);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  status = kl_cli_parse (context, &argc, &argv, "check");
  if (status == KL_EXIT_OK)
    status = check_main (&options);

  kl_cli_input_options_clear (&options.inputs);
  return status;
}
