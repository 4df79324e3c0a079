/* kl-cli.c — command dispatch, shared option handling and printing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>

#include "kl-cli.h"

#include <json-glib/json-glib.h>

/* Set by --progress jsonl: see kl_cli_print_text(). */
static gboolean messages_as_json;

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "check", kl_cli_check, N_("Check settings, quotas and pool, and report every problem") },
  { "select", kl_cli_select, N_("Select a panel and write the selected and remaining people") },
  { "csv", kl_cli_select, N_("The same as select (the Python tool's name for it)") },
  { "draw", kl_cli_draw, N_("Pick one panel of a lottery with a number drawn in public") },
  { "verify", kl_cli_verify, N_("Check an audit record against the files it names") },
  { "analyse", kl_cli_analyse, N_("Estimate each person's chance under the legacy algorithm") },
  { "gen-sample", kl_cli_gen_sample, N_("Write a simple random pool that matches a quota file") },
  { "generate", kl_cli_generate, N_("Write a realistic synthetic pool, quotas and settings") },
  { "default-settings", kl_cli_default_settings, N_("Write a settings file with the defaults") },
};

static void
print_help (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: kleroterion-cli COMMAND [OPTION…]"));
  fprintf (stream, "%s\n\n", _("Select citizens' assemblies by lot, from CSV files."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-18s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “kleroterion-cli COMMAND --help” for the options of a command."));
}

int
kl_cli_main (int    argc,
             char **argv)
{
  /* A reader that closes its end of a pipe early (`… -s - | head`) makes
   * the write fail with EPIPE, which the outputs report and undo, instead
   * of killing the process halfway through a set. */
  signal (SIGPIPE, SIG_IGN);

  if (argc < 2)
    {
      print_help (stderr);
      return KL_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return KL_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("kleroterion-cli %s\n", PACKAGE_VERSION);
      return KL_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        /* GOption names the program after argv[0] in "Usage:" lines:
         * "kleroterion-cli check", not "check". */
        g_autofree char *name = g_strdup_printf ("kleroterion-cli %s", commands[i].name);
        g_autofree char **command_argv = g_new0 (char *, argc);
        int status;

        command_argv[0] = name;
        for (int a = 2; a < argc; a++)
          command_argv[a - 1] = argv[a];
        status = commands[i].run (argc - 1, command_argv);
        return status;
      }

  fprintf (stderr, _("kleroterion-cli: “%s” is not a command.\n\n"), argv[1]);
  print_help (stderr);
  return KL_EXIT_USAGE;
}

int
kl_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  if (messages_as_json)
    {
      g_autofree char *line = g_strdup_printf ("kleroterion-cli %s: %s", command, text);
      kl_cli_print_text (KL_SEVERITY_ERROR, line);
      return KL_EXIT_USAGE;
    }

  fprintf (stderr, "kleroterion-cli %s: %s\n", command, text);
  fprintf (stderr, _("Run “kleroterion-cli %s --help” for its options.\n"), command);
  return KL_EXIT_USAGE;
}

int
kl_cli_parse (GOptionContext   *context,
              int              *argc,
              char           ***argv,
              const char       *command)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    return kl_cli_usage_error (command, "%s", error->message);

  if (*argc > 1)
    return kl_cli_usage_error (command, _("unexpected argument “%s”"), (*argv)[1]);

  return KL_EXIT_OK;
}

GOptionGroup *
kl_cli_input_option_group (KlCliInputOptions *options)
{
  const GOptionEntry entries[] = {
    { "settings", 'S', 0, G_OPTION_ARG_FILENAME, &options->settings_path,
      N_("Settings file (TOML), as for the Python sortition-algorithms tool"), N_("FILE") },
    { "features-csv", 'f', 0, G_OPTION_ARG_FILENAME, &options->features_path,
      N_("Quota table: feature, value, min, max [, min_flex, max_flex]"), N_("FILE") },
    { "people-csv", 'p', 0, G_OPTION_ARG_FILENAME, &options->people_path,
      N_("The pool of volunteers"), N_("FILE") },
    { "already-selected-csv", 'a', 0, G_OPTION_ARG_FILENAME, &options->already_selected_path,
      N_("People selected earlier, whose households are excluded"), N_("FILE") },
    { "number-wanted", 'n', 0, G_OPTION_ARG_INT, &options->number_wanted,
      N_("Panel size"), N_("N") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose,
      N_("Print debugging detail"), NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("inputs", _("Input files:"),
                                            _("Show the input options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

void
kl_cli_input_options_clear (KlCliInputOptions *options)
{
  g_clear_pointer (&options->settings_path, g_free);
  g_clear_pointer (&options->features_path, g_free);
  g_clear_pointer (&options->people_path, g_free);
  g_clear_pointer (&options->already_selected_path, g_free);
}

int
kl_cli_require_inputs (KlCliInputOptions *options,
                       const char        *command)
{
  if (options->settings_path == NULL && g_getenv ("SORTITION_SETTINGS") != NULL)
    options->settings_path = g_strdup (g_getenv ("SORTITION_SETTINGS"));

  if (options->settings_path == NULL)
    return kl_cli_usage_error (command, _("--settings is required (or set SORTITION_SETTINGS)"));
  if (options->features_path == NULL)
    return kl_cli_usage_error (command, _("--features-csv is required"));
  if (options->people_path == NULL)
    return kl_cli_usage_error (command, _("--people-csv is required"));
  if (options->number_wanted < 0)
    return kl_cli_usage_error (command, _("--number-wanted must be 1 or more"));
  return KL_EXIT_OK;
}

/* With --progress jsonl, standard error is one stream of JSON events: the
 * progress events, and every message, warning and error as
 * {"event":"message","severity":…,"code":…,"message":…,…}. */

static void
emit_json_event (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  fprintf (stderr, "%s\n", text);
  fflush (stderr);
}

/* A message's members in the JSON object @builder has open, with its
 * text and hint as the person reading the terminal would see them. */
void
kl_cli_add_message_json (JsonBuilder     *builder,
                         const KlMessage *message)
{
  g_autofree char *text = kl_message_to_string (message);
  g_autofree char *hint = kl_message_get_hint (message);

  kl_message_add_json_members (message, builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  if (hint != NULL)
    {
      json_builder_set_member_name (builder, "hint");
      json_builder_add_string_value (builder, hint);
    }
}

static void
print_message_json (const KlMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "message");
  kl_cli_add_message_json (builder, message);
  json_builder_end_object (builder);
  emit_json_event (builder);
}

/**
 * kl_cli_print_text:
 * @severity: how the line reads: an error, a warning or a note
 * @text: a line (or lines) for standard error
 *
 * A line for the person at the terminal, or with --progress jsonl the
 * same text as {"event":"message","severity":…,"message":…}.
 */
void
kl_cli_print_text (KlSeverity  severity,
                   const char *text)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (!messages_as_json)
    {
      fprintf (stderr, "%s\n", text);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, "message");
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, kl_severity_to_string (severity));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  emit_json_event (builder);
}

/* GLib's own warnings (a failing reporter, say) join the same stream. */
static GLogWriterOutput
write_log_as_json (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  const char *text = "";

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      text = fields[i].value;

  if ((log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0 &&
      g_log_writer_default_would_drop (log_level, NULL))
    return G_LOG_WRITER_HANDLED;

  kl_cli_print_text ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) ? KL_SEVERITY_ERROR
                     : (log_level & G_LOG_LEVEL_WARNING) ? KL_SEVERITY_WARNING
                     : KL_SEVERITY_INFO, text);
  return G_LOG_WRITER_HANDLED;
}

static void
use_json_messages (void)
{
  if (messages_as_json)
    return;
  messages_as_json = TRUE;
  g_log_set_writer_func (write_log_as_json, NULL, NULL);
}

/* Notes only with --verbose. A fix is printed once per kind of problem:
 * forty rows with the same unknown value need it explained once. */
void
kl_cli_print_messages (GPtrArray *messages,
                       gboolean   verbose)
{
  g_autoptr(GHashTable) hints_shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < messages->len; i++)
    {
      KlMessage *message = g_ptr_array_index (messages, i);
      g_autofree char *line = NULL;
      char *hint;

      if (message->severity == KL_SEVERITY_INFO && !verbose)
        continue;

      if (messages_as_json)
        {
          print_message_json (message);
          continue;
        }

      line = kl_message_to_diagnostic (message);
      fprintf (stderr, "%s\n", line);
      hint = kl_message_get_hint (message);
      if (hint != NULL && g_hash_table_add (hints_shown, hint))
        fprintf (stderr, "    %s\n", hint);
    }
}

/* Loads every input even after one fails, so a person fixing files sees all
 * that is wrong in one go, not one file per run. The problems are added to
 * @messages. */
int
kl_cli_load_inputs_quietly (const KlCliInputOptions *options,
                            KlCliInputs             *inputs,
                            GPtrArray               *messages)
{
  g_autoptr(GError) error = NULL;
  int status = KL_EXIT_OK;

  inputs->settings = kl_settings_load_file (options->settings_path, messages, &error);
  if (inputs->settings == NULL)
    status = KL_EXIT_BAD_INPUT;
  g_clear_error (&error);

  inputs->quotas = kl_quotas_load_file (options->features_path, options->number_wanted,
                                        messages, &error);
  if (inputs->quotas == NULL)
    status = KL_EXIT_BAD_INPUT;
  g_clear_error (&error);

  if (inputs->settings != NULL && inputs->quotas != NULL)
    {
      inputs->pool = kl_pool_load_file (options->people_path, inputs->quotas, inputs->settings,
                                        messages, &error);
      if (inputs->pool == NULL)
        status = KL_EXIT_BAD_INPUT;
      g_clear_error (&error);

      inputs->already_selected = kl_pool_load_already_selected_file (options->already_selected_path,
                                                                     inputs->settings, messages, &error);
      if (inputs->already_selected == NULL)
        status = KL_EXIT_BAD_INPUT;
      g_clear_error (&error);
    }

  return status;
}

int
kl_cli_load_inputs (const KlCliInputOptions *options,
                    KlCliInputs             *inputs)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  int status = kl_cli_load_inputs_quietly (options, inputs, messages);

  kl_cli_print_messages (messages, options->verbose);
  return status;
}

void
kl_cli_inputs_clear (KlCliInputs *inputs)
{
  g_clear_pointer (&inputs->settings, kl_settings_free);
  g_clear_pointer (&inputs->quotas, kl_quotas_unref);
  g_clear_pointer (&inputs->pool, kl_pool_unref);
  g_clear_pointer (&inputs->already_selected, kl_pool_unref);
}

/* auto: a live bar on a terminal, nothing otherwise, so logs stay clean. */
KlProgressReporter *
kl_cli_make_reporter (const char *mode,
                      const char *command,
                      int        *status)
{
  *status = KL_EXIT_OK;

  /* A bar needs a terminal that can redraw a line: not a file, not a
   * pipe, not TERM=dumb (Emacs shells, some CI logs). */
  if (mode == NULL || g_str_equal (mode, "auto"))
    mode = isatty (STDERR_FILENO) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0 ? "bar" : "none";

  if (g_str_equal (mode, "none"))
    return NULL;

  if (g_str_equal (mode, "bar"))
    {
      g_autoptr(KlProgressReporter) bar = kl_terminal_reporter_new (stderr);
      return kl_throttle_reporter_new (bar, G_USEC_PER_SEC / 10);
    }

  if (g_str_equal (mode, "jsonl"))
    {
      g_autoptr(GOutputStream) stream = g_unix_output_stream_new (STDERR_FILENO, FALSE);

      use_json_messages ();
      return kl_jsonl_reporter_new (stream);
    }

  *status = kl_cli_usage_error (command, _("--progress takes auto, bar, jsonl or none, not “%s”"), mode);
  return NULL;
}

typedef struct {
  GMainLoop *loop;
  GError *error;
  gboolean done;
} ThreadRun;

static void
on_thread_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ThreadRun *run = user_data;

  g_task_propagate_boolean (G_TASK (result), &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/* Runs @func in a worker thread while the main thread waits for Ctrl-C,
 * which cancels the work: the engine stops promptly and nothing is written.
 * @func must return a boolean through its GTask. */
gboolean
kl_cli_run_in_thread (GTaskThreadFunc   func,
                      gpointer          data,
                      GCancellable     *cancellable,
                      GError          **error)
{
  ThreadRun run = { 0 };
  GTask *task;
  guint interrupt, terminate;

  run.loop = g_main_loop_new (NULL, FALSE);
  task = g_task_new (NULL, cancellable, on_thread_done, &run);
  g_task_set_task_data (task, data, NULL);
  g_task_set_return_on_cancel (task, FALSE);
  /* What the worker returns stands: a signal after the last output is in
   * place must not turn a whole new set into "interrupted, nothing was
   * written". */
  g_task_set_check_cancellable (task, FALSE);

  interrupt = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
  terminate = g_unix_signal_add (SIGTERM, on_interrupt, cancellable);
  g_task_run_in_thread (task, func);
  g_object_unref (task);
  while (!run.done)
    g_main_loop_run (run.loop);
  g_source_remove (interrupt);
  g_source_remove (terminate);
  g_main_loop_unref (run.loop);

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }
  return TRUE;
}

int
kl_cli_exit_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return KL_EXIT_INTERRUPTED;
  if (error->domain != KL_ERROR)
    return KL_EXIT_FAILED;

  switch (error->code)
    {
    case KL_ERROR_FILE:
    case KL_ERROR_BAD_DATA:
    case KL_ERROR_BAD_SETTINGS:
      return KL_EXIT_BAD_INPUT;
    case KL_ERROR_CONFIGURATION:
      return KL_EXIT_USAGE;
    case KL_ERROR_INFEASIBLE:
    case KL_ERROR_CANNOT_RELAX:
      return KL_EXIT_INFEASIBLE;
    case KL_ERROR_SELECTION_FAILED:
    case KL_ERROR_SOLVER:
    default:
      return KL_EXIT_FAILED;
    }
}

int
kl_cli_parse_algorithm (const char  *name,
                        const char  *command,
                        KlAlgorithm *algorithm)
{
  if (name == NULL || kl_algorithm_from_string (name, algorithm))
    return KL_EXIT_OK;
  return kl_cli_usage_error (command, _("--algorithm takes legacy, maximin, nash, leximin or diversimax, not “%s”"), name);
}
