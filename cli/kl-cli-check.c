/* kl-cli-check.c — `kleroterion-cli check`: every problem, or a summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

static void
print_summary (const KlCliInputs *inputs,
               int                number_wanted)
{
  KlQuotas *quotas = inputs->quotas;
  KlPool *pool = inputs->pool;
  int lowest = kl_quotas_get_minimum_selection (quotas);
  int highest = kl_quotas_get_maximum_selection (quotas);
  guint n_features = kl_quotas_get_n_features (quotas);
  guint n_shared = 0;

  printf (_("Pool: %u people (%s)\n"), kl_pool_get_n_people (pool), kl_pool_get_file (pool));
  printf (_("Features: %u —"), n_features);
  for (guint f = 0; f < n_features; f++)
    {
      const KlFeature *feature = kl_quotas_get_feature (quotas, f);
      printf (" %s (%u)%s", feature->name, feature->values->len, f + 1 < n_features ? "," : "");
    }
  printf ("\n");

  if (n_features > 0)
    printf (_("Panel size: the quotas allow %d to %d people.\n"), lowest, MIN (highest, (int) kl_pool_get_n_people (pool)));
  if (number_wanted > 0)
    printf (_("Panel size asked for: %d.\n"), number_wanted);

  if (kl_pool_has_addresses (pool))
    {
      for (guint h = 0; h < kl_pool_get_n_households (pool); h++)
        n_shared += kl_pool_get_household_size (pool, h);
      printf (_("Households: %u people share an address with someone else in the pool (%u addresses).\n"),
              n_shared, kl_pool_get_n_households (pool));
    }

  if (kl_pool_get_n_people (inputs->already_selected) > 0)
    printf (_("Already selected: %u people.\n"), kl_pool_get_n_people (inputs->already_selected));

  printf (_("No problems found: the files are ready for a selection.\n"));
}

int
kl_cli_check (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  KlCliInputOptions options = { 0 };
  KlCliInputs inputs = { 0 };
  int status;

  g_option_context_set_summary (context, _("Check settings, quotas and pool, and report every problem "
                                           "with its file, line and column."));
  g_option_context_set_main_group (context, kl_cli_input_option_group (&options));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  status = kl_cli_parse (context, &argc, &argv, "check");
  if (status == KL_EXIT_OK)
    status = kl_cli_require_inputs (&options, "check");
  if (status != KL_EXIT_OK)
    goto out;

  status = kl_cli_load_inputs (&options, &inputs);
  if (status != KL_EXIT_OK)
    goto out;

  /* The checks a run makes first (spec 3.2; quotas against the panel size
   * were made while loading), so a clean check means the run will not stop
   * before it starts. */
  if (options.number_wanted > 0)
    {
      if ((guint) options.number_wanted > kl_pool_get_n_people (inputs.pool))
        {
          KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "pool_smaller_than_panel");
          kl_message_set_location (m, kl_pool_get_file (inputs.pool), 0, 0, NULL, -1);
          kl_message_set_param_int (m, "count", kl_pool_get_n_people (inputs.pool));
          kl_message_set_param_int (m, "number_wanted", options.number_wanted);
        }
    }
  kl_pool_check_enough_people (inputs.pool, messages);
  kl_cli_print_messages (messages, options.verbose);

  if (kl_messages_count (messages, KL_SEVERITY_ERROR) > 0)
    {
      status = KL_EXIT_BAD_INPUT;
      goto out;
    }

  print_summary (&inputs, options.number_wanted);

out:
  kl_cli_inputs_clear (&inputs);
  kl_cli_input_options_clear (&options);
  return status;
}
