/* kl-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>

static char *test_dir;

static void
remove_test_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (test_dir == NULL)
    return;
  dir = g_dir_open (test_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (test_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (test_dir);
  g_clear_pointer (&test_dir, g_free);
}

void
kl_test_init (int    *argc,
              char ***argv)
{
  /* Messages are compared in English whatever the machine's language. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (argc, argv, NULL);
  atexit (remove_test_dir);
}

const char *
kl_test_dir (void)
{
  if (test_dir == NULL)
    test_dir = g_dir_make_tmp ("kleroterion-test-XXXXXX", NULL);
  g_assert_nonnull (test_dir);
  return test_dir;
}

char *
kl_test_write_file (const char *name,
                    const char *contents)
{
  char *path = g_build_filename (kl_test_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

KlTable *
kl_test_table (const char *csv)
{
  g_autoptr(GError) error = NULL;
  KlTable *table = kl_table_read_data (csv, -1, "test.csv", NULL, &error);

  g_assert_no_error (error);
  return table;
}

KlMessage *
kl_test_find_message (GPtrArray  *messages,
                      const char *code,
                      int         line)
{
  for (guint i = 0; i < messages->len; i++)
    {
      KlMessage *m = g_ptr_array_index (messages, i);

      if (g_str_equal (m->code, code) && (line == 0 || m->line == line))
        return m;
    }
  return NULL;
}

KlMessage *
kl_test_assert_message (const char *file,
                        int         where,
                        GPtrArray  *messages,
                        const char *code,
                        int         line,
                        const char *column)
{
  KlMessage *m = NULL;

  for (guint i = 0; i < messages->len && m == NULL; i++)
    {
      KlMessage *candidate = g_ptr_array_index (messages, i);

      if (g_str_equal (candidate->code, code) && (line == 0 || candidate->line == line) &&
          (column == NULL || g_strcmp0 (candidate->column, column) == 0))
        m = candidate;
    }

  if (m == NULL)
    {
      g_autoptr(GString) all = g_string_new (NULL);

      for (guint i = 0; i < messages->len; i++)
        {
          KlMessage *other = g_ptr_array_index (messages, i);
          g_string_append_printf (all, "\n  %s line %d column %s", other->code, other->line,
                                  other->column ? other->column : "-");
        }
      g_error ("%s:%d: no message %s on line %d, column %s; messages:%s", file, where, code,
               line, column ? column : "-", all->str);
    }

  /* Every message must render: an unknown code would print its code. */
  {
    g_autofree char *text = kl_message_to_string (m);
    g_assert_cmpstr (text, !=, m->code);
  }
  return m;
}

void
kl_test_inputs_load (KlTestInputs *inputs,
                     const char   *quotas_csv,
                     const char   *pool_csv,
                     const char   *settings_toml)
{
  g_autoptr(KlTable) quota_table = kl_test_table (quotas_csv);
  g_autoptr(KlTable) pool_table = kl_test_table (pool_csv);
  g_autoptr(GError) error = NULL;

  inputs->settings = kl_settings_load_data (settings_toml ? settings_toml : "id_column = \"id\"\n",
                                            "settings.toml", NULL, &error);
  g_assert_no_error (error);
  inputs->quotas = kl_quotas_load (quota_table, 0, NULL, &error);
  g_assert_no_error (error);
  inputs->pool = kl_pool_load (pool_table, inputs->quotas, inputs->settings, NULL, &error);
  g_assert_no_error (error);
}

/* A reference instance read in place: features.csv, candidates.csv and
 * settings.json (with its panel_size) in @folder. FALSE if it is absent. */
gboolean
kl_test_inputs_load_instance (KlTestInputs *inputs,
                              const char   *folder,
                              guint        *k)
{
  g_autofree char *quotas_path = g_build_filename (folder, "features.csv", NULL);
  g_autofree char *pool_path = g_build_filename (folder, "candidates.csv", NULL);
  g_autofree char *settings_path = g_build_filename (folder, "settings.json", NULL);
  g_autofree char *quotas_csv = NULL;
  g_autofree char *pool_csv = NULL;
  g_autofree char *settings_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlTable) quota_table = NULL;
  g_autoptr(KlTable) pool_table = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (quotas_path, &quotas_csv, NULL, NULL) ||
      !g_file_get_contents (pool_path, &pool_csv, NULL, NULL) ||
      !g_file_get_contents (settings_path, &settings_json, NULL, NULL))
    return FALSE;

  g_assert_true (json_parser_load_from_data (parser, settings_json, -1, NULL));
  *k = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "panel_size");
  inputs->settings = kl_settings_load_data (settings_json, "settings.json", messages, &error);
  g_assert_no_error (error);
  quota_table = kl_test_table (quotas_csv);
  pool_table = kl_test_table (pool_csv);
  inputs->quotas = kl_quotas_load (quota_table, 0, NULL, &error);
  g_assert_no_error (error);
  inputs->pool = kl_pool_load (pool_table, inputs->quotas, inputs->settings, NULL, &error);
  g_assert_no_error (error);
  return TRUE;
}

void
kl_test_inputs_generate (KlTestInputs             *inputs,
                         const KlGeneratorOptions *options)
{
  g_autofree char *pool_csv = NULL;
  g_autofree char *quotas_csv = NULL;
  g_autofree char *toml = NULL;
  g_autoptr(KlSettings) settings = NULL;

  g_assert_true (kl_generate (options, &pool_csv, &quotas_csv, &settings, NULL));
  toml = kl_settings_to_toml (settings);
  kl_test_inputs_load (inputs, quotas_csv, pool_csv, toml);
}

void
kl_test_inputs_clear (KlTestInputs *inputs)
{
  g_clear_pointer (&inputs->settings, kl_settings_free);
  g_clear_pointer (&inputs->quotas, kl_quotas_unref);
  g_clear_pointer (&inputs->pool, kl_pool_unref);
}

/* Runs and returns the run whether or not it succeeded. */
KlRun *
kl_test_run (KlTestInputs        *inputs,
             KlAlgorithm          algorithm,
             int                  k,
             gint64               seed,
             KlProgressReporter  *reporter,
             GCancellable        *cancellable,
             GError             **error)
{
  KlRunParams params;
  KlRun *run;

  kl_run_params_init (&params, inputs->settings);
  params.algorithm = algorithm;
  params.number_wanted = k;
  params.seed = seed;
  run = kl_run_new (inputs->pool, inputs->settings, NULL, &params);
  kl_run_execute (run, reporter, cancellable, error);
  return run;
}

void
kl_test_cli_clear (KlTestCli *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
kl_test_cli (KlTestCli          *run,
             const char * const *env_overrides,
             const char         *stdin_text,
             const char         *first,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("KL_CLI");
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  if (stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  for (guint i = 0; env_overrides != NULL && env_overrides[i] != NULL; i++)
    {
      const char *eq = strchr (env_overrides[i], '=');

      if (eq == NULL)
        g_subprocess_launcher_unsetenv (launcher, env_overrides[i]);
      else
        {
          g_autofree char *name = g_strndup (env_overrides[i], eq - env_overrides[i]);
          g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
        }
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

/* The worked examples of the specification's Appendix A. */
const char *const kl_test_example1_quotas =
  "feature,value,min,max\nage,child,1,2\nage,adult,1,2\nfranchise,simpsons,1,2\nfranchise,ducktales,1,2\n";
const char *const kl_test_example1_pool =
  "id,age,franchise,home,street\nlisa,child,simpsons,1,A\nmarge,adult,simpsons,3,A\n"
  "louie,child,ducktales,2,A\ndewey,child,ducktales,2,A\nscrooge,adult,ducktales,1,A\n";
const char *const kl_test_example3_pool =
  "id,f1,f2,f3,home,street\na,v1,v1,v1,1,x\nb,v1,v2,v2,2,x\nc,v2,v1,v2,3,x\nd,v2,v2,v1,3,x\n";
const char *const kl_test_example5_quotas =
  "feature,value,min,max\ngender,female,1,1\ngender,male,4,4\npolitics,liberal,4,4\npolitics,conservative,1,1\n";
const char *const kl_test_example5_pool =
  "id,gender,politics\nadam,male,liberal\nbrian,male,liberal\ncameron,male,liberal\ndave,male,liberal\n"
  "elinor,female,liberal\nfrank,male,conservative\ngrace,female,conservative\n";

/* The chance of the person with @id in @run. */
double
kl_test_probability_of (KlRun      *run,
                        const char *id)
{
  int person = kl_pool_find_person (kl_run_get_pool (run), id);

  g_assert_cmpint (person, >=, 0);
  return kl_run_get_probabilities (run)[person];
}

/* A run's distribution is sound: every panel valid, panel weights summing
 * to 1, each chance in [0, 1] and equal to the weight of the panels that
 * hold the person, chances summing to k. */
void
kl_test_assert_valid_distribution (KlRun *run,
                                   guint  k)
{
  KlPool *pool = kl_run_get_pool (run);
  guint n = kl_pool_get_n_people (pool);
  const double *p = kl_run_get_probabilities (run);
  g_autofree double *from_committees = g_new0 (double, MAX (n, 1));
  double total = 0, committee_total = 0;

  g_assert_nonnull (p);
  for (guint c = 0; c < kl_run_get_n_committees (run); c++)
    {
      double probability;
      const guint *committee = kl_run_get_committee (run, c, &probability);
      g_autoptr(GPtrArray) breaches = kl_messages_new ();

      g_assert_true (kl_panel_check (pool, committee, k, k, breaches));
      g_assert_cmpfloat (probability, >=, 0);
      committee_total += probability;
      for (guint m = 0; m < k; m++)
        from_committees[committee[m]] += probability;
    }
  g_assert_cmpfloat_with_epsilon (committee_total, 1, 1e-9);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (p[i], >=, -1e-9);
      g_assert_cmpfloat (p[i], <=, 1 + 1e-9);
      g_assert_cmpfloat_with_epsilon (p[i], from_committees[i], 1e-7);
      total += p[i];
    }
  g_assert_cmpfloat_with_epsilon (total, k, 1e-6);
}

/* A run of @algorithm on @in cancelled at the first update of @phase
 * stops with G_IO_ERROR_CANCELLED, ends its phases, returns no panel and
 * reports no error. */
void
kl_test_assert_cancel_in_phase (KlTestInputs *in,
                                KlAlgorithm   algorithm,
                                int           k,
                                const char   *phase)
{
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  reporter->cancel_at_update = g_object_ref (cancellable);
  reporter->cancel_after = 1;
  reporter->cancel_in_phase = g_strdup (phase);
  run = kl_test_run (in, algorithm, k, 5, KL_PROGRESS_REPORTER (reporter), cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (kl_recording_reporter_event (reporter, reporter->events->len - 1), ==, "end");
  g_assert_cmpuint (kl_run_get_n_panels (run), ==, 0);
  g_assert_null (kl_report_get_last_error (kl_run_get_report (run)));
}

static void
on_cancel_run_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gint64 *finished = user_data;
  KlRun *run = g_task_get_task_data (G_TASK (result));

  kl_run_execute_finish (run, result, NULL);
  *finished = g_get_monotonic_time ();
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * kl_bench_cancel_latency:
 *
 * Runs @run in the background, presses Cancel @delay_ms after the start,
 * and returns the milliseconds from Cancel to the run's return; -1 if the
 * run ended before Cancel (that tells nothing about cancelling).
 */
double
kl_bench_cancel_latency (KlRun              *run,
                         KlProgressReporter *reporter,
                         guint               delay_ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 finished = 0, cancelled;
  guint source;

  kl_run_execute_async (run, reporter, cancellable, on_cancel_run_done, &finished);
  source = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, cancel_now,
                               g_object_ref (cancellable), g_object_unref);
  while (!g_cancellable_is_cancelled (cancellable) && finished == 0)
    g_main_context_iteration (NULL, TRUE);
  cancelled = g_get_monotonic_time ();
  while (finished == 0)
    g_main_context_iteration (NULL, TRUE);
  if (!g_cancellable_is_cancelled (cancellable))
    {
      g_source_remove (source);
      return -1;
    }
  return (finished - cancelled) / 1e3;
}

/* Appendix A, example 4: quotas with flex bounds of 0 that no relaxation
 * can move; no pair meets them, and @algorithm must say so, with no
 * suggested quotas and no panel. */
void
kl_test_assert_example4_cannot_relax (KlAlgorithm algorithm)
{
  g_autoptr(KlQuotas) quotas = kl_quotas_new ();
  g_autoptr(KlSettings) settings = kl_settings_new ();
  g_autoptr(KlTable) table = kl_test_table (kl_test_example3_pool);
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  KlRunParams params;

  for (int f = 1; f <= 3; f++)
    {
      g_autofree char *name = g_strdup_printf ("f%d", f);
      kl_quotas_add_value (quotas, name, "v1", 1, 1, 0, 0);
      kl_quotas_add_value (quotas, name, "v2", 0, 2, 0, 0);
    }
  pool = kl_pool_load (table, quotas, settings, NULL, &error);
  g_assert_no_error (error);

  kl_run_params_init (&params, settings);
  params.number_wanted = 2;
  params.algorithm = algorithm;
  params.seed = 1;
  run = kl_run_new (pool, settings, NULL, &params);
  g_assert_false (kl_run_execute (run, NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_CANNOT_RELAX);
  g_assert_null (kl_run_get_suggested_quotas (run));
  g_assert_cmpuint (kl_run_get_n_panels (run), ==, 0);
}
