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
} KlAlgorithmContext;

/* One panel of ctx->k people, as indices into ctx->pool. */
gboolean kl_legacy_select (KlAlgorithmContext *ctx, int max_attempts,
                           guint *panel, GError **error);

G_END_DECLS
