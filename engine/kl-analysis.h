/* kl-analysis.h — how often each person is drawn, over many seeded draws
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <gio/gio.h>

#include "kl-pool.h"
#include "kl-progress-reporter.h"

G_BEGIN_DECLS

/* Phase of kl_analyse_legacy(), an addition to the six of the contract. */
#define KL_PHASE_ANALYSIS "analysis"

/**
 * KlAnalysis:
 * @n_people: size of the pool analysed
 * @runs: draws asked for
 * @failures: draws in which legacy gave up
 * @counts: for each person of the pool, the draws that selected them
 */
typedef struct {
  guint n_people;
  guint runs;
  guint failures;
  guint *counts;
} KlAnalysis;

KlAnalysis *kl_analyse_legacy  (KlPool *pool, guint k, int max_attempts, guint runs,
                                gint64 first_seed, KlProgressReporter *reporter,
                                GCancellable *cancellable, GError **error);
void        kl_analysis_free   (KlAnalysis *analysis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlAnalysis, kl_analysis_free)

G_END_DECLS
