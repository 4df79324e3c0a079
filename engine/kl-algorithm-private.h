/* kl-algorithm-private.h — what every selection algorithm is given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kl-pool.h"
#include "kl-progress-private.h"
#include "kl-random.h"
#include "kl-report.h"

G_BEGIN_DECLS

typedef struct {
  KlPool *pool;              /* the working pool */
  KlQuotas *quotas;
  guint k;
  KlRandom *random;
  KlProgress *progress;
  KlReport *report;          /* NULL when nobody reads the details */
  GCancellable *cancellable;

  /* out */
  GPtrArray *problems;       /* messages explaining a failure, for the report */
  KlQuotas *suggested_quotas;/* quotas that would make a panel possible */
} KlAlgorithmContext;

/* A lottery over panels: committees (each k sorted pool indices) and the
 * probability of each. */
typedef struct {
  GPtrArray *committees;
  GArray *probabilities;
} KlDistribution;

KlDistribution *kl_distribution_new  (void);
void            kl_distribution_free (KlDistribution *distribution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlDistribution, kl_distribution_free)

/* One panel of ctx->k people, as indices into ctx->pool. */
gboolean kl_legacy_select (KlAlgorithmContext *ctx, int max_attempts,
                           guint *panel, GError **error);

typedef struct _KlCommitteeModel KlCommitteeModel;

gboolean kl_relax_quotas  (KlAlgorithmContext *ctx, KlCommitteeModel *model,
                           KlQuotas **suggested, GPtrArray *messages, GError **error);
KlCommitteeModel *kl_committees_build_model (KlAlgorithmContext *ctx, guint *first_committee,
                                             GError **error);
KlDistribution *kl_maximin_run (KlAlgorithmContext *ctx, GError **error);
KlDistribution *kl_nash_run    (KlAlgorithmContext *ctx, GError **error);
KlDistribution *kl_leximin_run (KlAlgorithmContext *ctx, GError **error);

/* One panel of ctx->k people; no lottery. */
gboolean kl_diversimax_select (KlAlgorithmContext *ctx, double max_seconds,
                               guint *panel, GError **error);

G_END_DECLS
