/* kl-generator.h — synthetic pools for examples, tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include "kl-quotas.h"
#include "kl-settings.h"

G_BEGIN_DECLS

/**
 * KlGeneratorOptions:
 * @n_people: pool size
 * @n_features: number of features (demographic dimensions)
 * @panel_size: the panel the quotas are made for
 * @n_kept: other columns per person (names, contact details)
 * @bias: 0 for a pool that looks like the population; up to 1 for strong
 *   self-selection, where some groups volunteer far more than others
 * @household_share: share of people living with someone else in the pool
 * @tightness: 0 for loose quotas, up to 1 for quotas that leave little room
 * @seed: the same seed gives the same files
 *
 * Initialise with kl_generator_options_init().
 */
typedef struct {
  guint n_people;
  guint n_features;
  guint panel_size;
  guint n_kept;
  double bias;
  double household_share;
  double tightness;
  guint32 seed;
} KlGeneratorOptions;

void      kl_generator_options_init (KlGeneratorOptions *options);
gboolean  kl_generate               (const KlGeneratorOptions *options,
                                     char **pool_csv, char **quotas_csv,
                                     KlSettings **settings, GError **error);
char     *kl_generate_sample        (const KlQuotas *quotas, const KlSettings *settings,
                                     guint n_people, guint32 seed, GError **error);

G_END_DECLS
