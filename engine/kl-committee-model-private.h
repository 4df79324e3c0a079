/* kl-committee-model-private.h — the feasible-committee ILP (spec 4.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-lp-private.h"
#include "kl-pool.h"

G_BEGIN_DECLS

typedef struct _KlCommitteeModel KlCommitteeModel;

/* What one pricing solve found. */
typedef struct {
  KlLpStatus status;
  double value;        /* Σ weights of the committee found */
  double bound;        /* no committee is worth more than this */
} KlPricing;

KlCommitteeModel *kl_committee_model_new   (KlPool *pool, guint k);
void              kl_committee_model_free  (KlCommitteeModel *model);
guint             kl_committee_model_get_n_groups (KlCommitteeModel *model);
const KlLpStats  *kl_committee_model_get_stats (KlCommitteeModel *model);
gboolean          kl_committee_model_find  (KlCommitteeModel *model, const double *weights,
                                            const KlMipParams *params, guint *committee,
                                            KlPricing *pricing, GCancellable *cancellable,
                                            GError **error);
gboolean          kl_committee_model_relax_maximin (KlCommitteeModel *model, const gboolean *covered,
                                                    double *group_prices, double *bound,
                                                    GCancellable *cancellable, GError **error);
guint             kl_committee_model_get_group (KlCommitteeModel *model, guint group,
                                                const guint **members);
double            kl_committee_model_improve (KlCommitteeModel *model, const double *weights,
                                              guint *committee);
gboolean          kl_committee_model_swap_in (KlCommitteeModel *model, const guint *committee,
                                              guint agent, guint *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlCommitteeModel, kl_committee_model_free)

G_END_DECLS
