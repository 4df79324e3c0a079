/* kl-test-utils.h — helpers shared by the test suites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <kleroterion.h>

#include "kl-recording-reporter.h"

G_BEGIN_DECLS

void       kl_test_init          (int *argc, char ***argv);
KlMessage *kl_test_find_message  (GPtrArray *messages, const char *code, int line);
char      *kl_test_write_file    (const char *name, const char *contents);
const char *kl_test_dir          (void);
KlTable   *kl_test_table         (const char *csv);

typedef struct {
  KlSettings *settings;
  KlQuotas *quotas;
  KlPool *pool;
} KlTestInputs;

void       kl_test_inputs_load   (KlTestInputs *inputs, const char *quotas_csv,
                                  const char *pool_csv, const char *settings_toml);
gboolean   kl_test_inputs_load_instance (KlTestInputs *inputs, const char *folder, guint *k);
void       kl_test_inputs_generate (KlTestInputs *inputs, const KlGeneratorOptions *options);
void       kl_test_inputs_clear  (KlTestInputs *inputs);
KlRun     *kl_test_run           (KlTestInputs *inputs, KlAlgorithm algorithm, int k,
                                  gint64 seed, KlProgressReporter *reporter,
                                  GCancellable *cancellable, GError **error);

extern const char *const kl_test_example1_quotas;
extern const char *const kl_test_example1_pool;
extern const char *const kl_test_example3_pool;
extern const char *const kl_test_example5_quotas;
extern const char *const kl_test_example5_pool;

double     kl_test_probability_of (KlRun *run, const char *id);
void       kl_test_assert_example4_cannot_relax (KlAlgorithm algorithm);
double     kl_bench_cancel_latency (KlRun *run, KlProgressReporter *reporter, guint delay_ms);
void       kl_test_assert_valid_distribution (KlRun *run, guint k);
void       kl_test_assert_cancel_in_phase (KlTestInputs *in, KlAlgorithm algorithm, int k,
                                           const char *phase);

/* Asserts that @messages holds @code on @line (0: any line) and, when
 * @column is not NULL, that it names that column. Returns the message. */
#define kl_assert_message(messages, code, line, column) \
  kl_test_assert_message (__FILE__, __LINE__, messages, code, line, column)

KlMessage *kl_test_assert_message (const char *file, int where, GPtrArray *messages,
                                   const char *code, int line, const char *column);

/* kleroterion-cli run to completion: its exit status and both streams. */
typedef struct {
  int status;
  char *out;
  char *err;
} KlTestCli;

void       kl_test_cli_clear     (KlTestCli *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KlTestCli, kl_test_cli_clear)

/* Runs $KL_CLI with the NULL-terminated arguments; @env_overrides is a
 * NULL-terminated list of "NAME=value" (or "NAME" to unset) or NULL, and
 * @stdin_text, when not NULL, is fed to its standard input. */
void       kl_test_cli           (KlTestCli *run, const char * const *env_overrides,
                                  const char *stdin_text, const char *first, ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
