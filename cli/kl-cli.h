/* kl-cli.h — the commands of kleroterion-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <kleroterion.h>

G_BEGIN_DECLS

/* Exit statuses scripts can rely on. */
typedef enum {
  KL_EXIT_OK = 0,
  KL_EXIT_FAILED = 1,
  KL_EXIT_USAGE = 2,
  KL_EXIT_BAD_INPUT = 3,
  KL_EXIT_INFEASIBLE = 4,
  KL_EXIT_INTERRUPTED = 130,
} KlExit;

/* The input files every selecting or checking command takes. */
typedef struct {
  char *settings_path;
  char *features_path;
  char *people_path;
  char *already_selected_path;
  int number_wanted;
  gboolean verbose;
} KlCliInputOptions;

typedef struct {
  KlSettings *settings;
  KlQuotas *quotas;
  KlPool *pool;
  KlPool *already_selected;
} KlCliInputs;

int         kl_cli_main                (int argc, char **argv);
int         kl_cli_check               (int argc, char **argv);
int         kl_cli_gen_sample          (int argc, char **argv);
int         kl_cli_generate            (int argc, char **argv);
int         kl_cli_default_settings    (int argc, char **argv);
int         kl_cli_select              (int argc, char **argv);
int         kl_cli_analyse             (int argc, char **argv);
int         kl_cli_draw                (int argc, char **argv);
int         kl_cli_verify              (int argc, char **argv);

KlProgressReporter *kl_cli_make_reporter (const char *mode, const char *command, int *status);
gboolean    kl_cli_run_in_thread       (GTaskThreadFunc func, gpointer data,
                                        GCancellable *cancellable, GError **error);
int         kl_cli_exit_for_error      (const GError *error);
int         kl_cli_parse_algorithm     (const char *name, const char *command, KlAlgorithm *algorithm);

GOptionGroup *kl_cli_input_option_group (KlCliInputOptions *options);
void        kl_cli_input_options_clear (KlCliInputOptions *options);
int         kl_cli_require_inputs      (KlCliInputOptions *options, const char *command);
int         kl_cli_load_inputs         (const KlCliInputOptions *options, KlCliInputs *inputs);
int         kl_cli_load_inputs_quietly (const KlCliInputOptions *options, KlCliInputs *inputs,
                                        GPtrArray *messages);
void        kl_cli_inputs_clear        (KlCliInputs *inputs);
void        kl_cli_print_messages      (GPtrArray *messages, gboolean verbose);
void        kl_cli_print_text          (KlSeverity severity, const char *text);
void        kl_cli_add_message_json    (JsonBuilder *builder, const KlMessage *message);
int         kl_cli_parse               (GOptionContext *context, int *argc, char ***argv,
                                        const char *command);
int         kl_cli_usage_error         (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* An audit record read back, for `draw` and `verify`. */
typedef struct {
  char *path;
  char *folder;
  char *sha256;       /* of the record file's bytes */
  JsonParser *parser;
  JsonObject *root;
} KlCliRecord;

gboolean    kl_cli_record_load         (KlCliRecord *record, const char *path, GError **error);
void        kl_cli_record_clear        (KlCliRecord *record);
const char *kl_cli_record_get          (KlCliRecord *record, const char *object,
                                        const char *member, const char *field);
char       *kl_cli_record_locate       (KlCliRecord *record, const char *name, const char *given);
char       *kl_cli_record_check_file   (KlCliRecord *record, const char *what, const char *name,
                                        const char *expected, const char *given,
                                        GPtrArray *problems, GPtrArray *unreadable);
int         kl_cli_record_load_inputs  (KlCliRecord *record, const char *people_given,
                                        const char *already_given, KlCliInputs *loaded,
                                        GPtrArray *problems, GPtrArray *unreadable);
char       *kl_cli_file_sha256         (const char *path);

G_END_DECLS
