/* kl-diversimax-private.h — which combinations of features diversimax
 * balances (spec 4.7), open to the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-pool.h"
#include "kl-random.h"

G_BEGIN_DECLS

/* The library's cap on balanced combinations, and the most features whose
 * combinations are enumerated (2^30 subsets is already far beyond any
 * real quota table). */
#define KL_DIVERSIMAX_MAX_SUBSETS 50
#define KL_DIVERSIMAX_MAX_FEATURES 30

/* A combination of features: bit f set when feature f (quota order) is in it. */
typedef struct {
  guint32 features;
  guint n_profiles;   /* combined categories: product of the values present in the pool */
} KlFeatureSubset;

GArray *kl_diversimax_choose_subsets (KlPool *pool, guint k, KlRandom *random);

G_END_DECLS
