/* kl-cli-generate.c — `gen-sample`, `generate` and `default-settings`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

/* Every file of a command in one set, all or nothing, with a note per
 * file on standard error (standard output may be one of the files). */
static int
write_files (KlFileSet *set)
{
  g_autoptr(GError) error = NULL;

  if (!kl_file_set_commit (set, TRUE, NULL, NULL, &error))
    {
      kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
      return KL_EXIT_FAILED;
    }
  for (guint i = 0; i < kl_file_set_get_n_files (set); i++)
    {
      const char *path = kl_file_set_get_path (set, i);
      g_autofree char *text = NULL;

      if (g_str_equal (path, "-"))
        continue;
      text = g_strdup_printf (_("Wrote %s"), path);
      kl_cli_print_text (KL_SEVERITY_INFO, text);
    }
  return KL_EXIT_OK;
}

int
kl_cli_gen_sample (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) settings = NULL;
  g_autoptr(KlQuotas) quotas = NULL;
  g_autofree char *settings_path = NULL;
  g_autofree char *features_path = NULL;
  g_autofree char *people_path = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(KlFileSet) set = NULL;
  int number_wanted = 0;
  int seed = 1;
  int status;
  const GOptionEntry entries[] = {
    { "settings", 'S', 0, G_OPTION_ARG_FILENAME, &settings_path, N_("Settings file (TOML)"), N_("FILE") },
    { "features-csv", 'f', 0, G_OPTION_ARG_FILENAME, &features_path, N_("Quota table"), N_("FILE") },
    { "people-csv", 'p', 0, G_OPTION_ARG_FILENAME, &people_path, N_("Where to write the pool"), N_("FILE") },
    { "number-wanted", 'n', 0, G_OPTION_ARG_INT, &number_wanted, N_("How many people to generate"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed (default 1)"), N_("N") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Write a pool whose columns match the settings and whose "
                                           "values are drawn in proportion to each quota's maximum."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  status = kl_cli_parse (context, &argc, &argv, "gen-sample");
  if (status != KL_EXIT_OK)
    return status;

  if (settings_path == NULL || features_path == NULL || people_path == NULL)
    return kl_cli_usage_error ("gen-sample", _("--settings, --features-csv and --people-csv are required"));
  if (number_wanted < 1)
    return kl_cli_usage_error ("gen-sample", _("--number-wanted must be 1 or more"));

  settings = kl_settings_load_file (settings_path, messages, NULL);
  if (settings != NULL)
    quotas = kl_quotas_load_file (features_path, 0, messages, NULL);
  kl_cli_print_messages (messages, FALSE);
  if (settings == NULL || quotas == NULL)
    return KL_EXIT_BAD_INPUT;

  csv = kl_generate_sample (quotas, settings, number_wanted, (guint32) seed, &error);
  if (csv == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return KL_EXIT_BAD_INPUT;
    }

  set = kl_file_set_new ((const char *[]) { settings_path, features_path, NULL });
  kl_file_set_add_text (set, people_path, g_steal_pointer (&csv));
  return write_files (set);
}

int
kl_cli_generate (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KlSettings) settings = NULL;
  g_autofree char *settings_path = NULL;
  g_autofree char *features_path = NULL;
  g_autofree char *people_path = NULL;
  g_autofree char *pool_csv = NULL;
  g_autofree char *quotas_csv = NULL;
  g_autoptr(KlFileSet) set = NULL;
  KlGeneratorOptions options;
  int people, features, panel = 0, kept, seed;
  double bias, households, tightness;
  int status;

  kl_generator_options_init (&options);
  people = options.n_people;
  features = options.n_features;
  kept = options.n_kept;
  seed = options.seed;
  bias = options.bias;
  households = options.household_share;
  tightness = options.tightness;

  {
    const GOptionEntry entries[] = {
      { "people", 0, 0, G_OPTION_ARG_INT, &people, N_("Pool size (default 300)"), N_("N") },
      { "features", 0, 0, G_OPTION_ARG_INT, &features, N_("Number of features (default 4)"), N_("N") },
      { "panel", 0, 0, G_OPTION_ARG_INT, &panel, N_("Panel size the quotas are made for (default a tenth of the pool)"), N_("N") },
      { "kept-columns", 0, 0, G_OPTION_ARG_INT, &kept, N_("Columns besides id and features, 0–10 (default 6)"), N_("N") },
      { "bias", 0, 0, G_OPTION_ARG_DOUBLE, &bias, N_("Self-selection bias, 0–1 (default 0.3)"), N_("X") },
      { "households", 0, 0, G_OPTION_ARG_DOUBLE, &households, N_("Share of people living with another, 0–1 (default 0.1)"), N_("X") },
      { "tightness", 0, 0, G_OPTION_ARG_DOUBLE, &tightness, N_("How tight the quotas are, 0–1 (default 0.3)"), N_("X") },
      { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed (default 1)"), N_("N") },
      { "people-csv", 'p', 0, G_OPTION_ARG_FILENAME, &people_path, N_("Where to write the pool"), N_("FILE") },
      { "features-csv", 'f', 0, G_OPTION_ARG_FILENAME, &features_path, N_("Where to write the quotas"), N_("FILE") },
      { "settings", 'S', 0, G_OPTION_ARG_FILENAME, &settings_path, N_("Where to write the settings"), N_("FILE") },
      { NULL }
    };

    g_option_context_set_summary (context, _("Write a synthetic pool with correlated features and "
                                             "self-selection bias, quotas proportional to the population, "
                                             "and matching settings."));
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
    status = kl_cli_parse (context, &argc, &argv, "generate");
    if (status != KL_EXIT_OK)
      return status;
  }

  if (people_path == NULL)
    return kl_cli_usage_error ("generate", _("--people-csv is required"));
  if (people < 1 || features < 0 || kept < 0 || kept > 10 || panel < 0 || panel > people)
    return kl_cli_usage_error ("generate", _("the sizes are out of range"));
  if (bias < 0 || bias > 1 || households < 0 || households > 1 || tightness < 0 || tightness > 1)
    return kl_cli_usage_error ("generate", _("--bias, --households and --tightness take a number from 0 to 1"));

  options.n_people = people;
  options.n_features = features;
  options.panel_size = panel > 0 ? panel : MAX (1, people / 10);
  options.n_kept = kept;
  options.bias = bias;
  options.household_share = households;
  options.tightness = tightness;
  options.seed = (guint32) seed;

  if (!kl_generate (&options, &pool_csv, &quotas_csv, &settings, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return KL_EXIT_USAGE;
    }

  set = kl_file_set_new (NULL);
  kl_file_set_add_text (set, people_path, g_steal_pointer (&pool_csv));
  if (features_path != NULL)
    kl_file_set_add_text (set, features_path, g_steal_pointer (&quotas_csv));
  if (settings_path != NULL)
    kl_file_set_add_text (set, settings_path, kl_settings_to_toml (settings));
  return write_files (set);
}

int
kl_cli_default_settings (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(KlSettings) settings = kl_settings_new ();
  g_autofree char *toml = NULL;
  g_autoptr(GError) error = NULL;
  gboolean to_stdout;

  g_option_context_set_summary (context, _("Write a commented settings file with the defaults, to edit "
                                           "(“-” writes it to standard output)."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, NULL) || argc != 2)
    return kl_cli_usage_error ("default-settings", _("give the file to write"));

  /* "-" is standard output, which holds nothing but the settings. */
  to_stdout = g_str_equal (argv[1], "-");
  if (!to_stdout && g_file_test (argv[1], G_FILE_TEST_EXISTS))
    return kl_cli_usage_error ("default-settings", _("“%s” already exists; it is not written over"), argv[1]);

  toml = kl_settings_to_toml (settings);
  if (!kl_file_write_atomic (argv[1], toml, strlen (toml), NULL, &error))
    {
      kl_cli_print_text (KL_SEVERITY_ERROR, error->message);
      return KL_EXIT_FAILED;
    }
  if (!to_stdout)
    {
      g_autofree char *text = g_strdup_printf (_("Wrote %s: set id_column and columns_to_keep to your pool's columns."),
                                               argv[1]);
      kl_cli_print_text (KL_SEVERITY_INFO, text);
    }
  return KL_EXIT_OK;
}
