/* kl-settings.h — the settings of a selection, compatible with the
 * `config.toml` files of the Python sortition-algorithms tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  KL_ALGORITHM_LEGACY,
  KL_ALGORITHM_MAXIMIN,
  KL_ALGORITHM_NASH,
  KL_ALGORITHM_LEXIMIN,
  KL_ALGORITHM_DIVERSIMAX,
} KlAlgorithm;

#define KL_N_ALGORITHMS 5

/**
 * KlSettings:
 * @id_column: the pool column holding each person's unique id
 * @columns_to_keep: pool columns copied into the outputs
 * @check_same_address: at most one person per household on a panel
 * @check_same_address_columns: the columns that together make an address
 * @max_attempts: how often the legacy algorithm may start again
 * @selection_algorithm: which algorithm runs
 * @solver_backend: kept as given so files round-trip; the engine always uses GLPK
 * @random_number_seed: 0 for the operating system's secure randomness,
 *   anything else for a reproducible run
 * @file: the file the settings were loaded from, %NULL if built in code
 * @sha256: the SHA-256 of that file's bytes, %NULL if built in code
 * @diversimax_max_seconds: the time limit of diversimax's search
 *
 * Create with kl_settings_new(), which sets the defaults, like GLPK's
 * glp_init_* functions.
 */
typedef struct {
  char *id_column;
  char **columns_to_keep;
  gboolean check_same_address;
  char **check_same_address_columns;
  int max_attempts;
  KlAlgorithm selection_algorithm;
  char *solver_backend;
  gint64 random_number_seed;
  char *file;
  char *sha256;
  int diversimax_max_seconds;
} KlSettings;

GType        kl_settings_get_type        (void) G_GNUC_CONST;
KlSettings  *kl_settings_new             (void);
KlSettings  *kl_settings_copy            (const KlSettings *settings);
void         kl_settings_free            (KlSettings *settings);

KlSettings  *kl_settings_load_file       (const char *path, GPtrArray *messages,
                                          GError **error);
KlSettings  *kl_settings_load_data       (const char *text, const char *name,
                                          GPtrArray *messages, GError **error);
gboolean     kl_settings_validate        (const KlSettings *settings, const char *file,
                                          GPtrArray *messages, GError **error);
char        *kl_settings_to_toml         (const KlSettings *settings);
gboolean     kl_settings_save            (const KlSettings *settings, const char *path,
                                          const char * const *inputs, GError **error);

const char * const *kl_settings_get_address_columns (const KlSettings *settings);
char       **kl_settings_get_full_columns_to_keep  (const KlSettings *settings);

const char  *kl_algorithm_to_string      (KlAlgorithm algorithm);
gboolean     kl_algorithm_from_string    (const char *name, KlAlgorithm *algorithm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSettings, kl_settings_free)

G_END_DECLS
