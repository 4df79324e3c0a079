/* kl-committees-private.h — a set of distinct valid panels, and how the
 * fair algorithms start theirs (spec 4.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-algorithm-private.h"
#include "kl-committee-model-private.h"

G_BEGIN_DECLS

typedef struct {
  guint n;
  guint k;
  GPtrArray *list;         /* of guint[k], sorted pool indices, in the order found */
  GHashTable *index;       /* GBytes of a committee → position + 1 */
  gboolean *covered;       /* per person: on some committee of the list */
  guint n_covered;
} KlCommittees;

/* Progress during one solve, as the message of the open phase. */
typedef struct {
  KlProgress *progress;
  gint64 current;       /* the phase's current value, unchanged */
  const char *what;     /* translated: what is being solved */
} KlSolveProgress;

void          kl_solve_progress_func (gpointer data, double elapsed, double incumbent, double bound);

KlCommittees *kl_committees_new      (guint n, guint k);
void          kl_committees_free     (KlCommittees *committees);
gboolean      kl_committees_add      (KlCommittees *committees, const guint *committee);
gboolean      kl_committees_contains (KlCommittees *committees, const guint *committee);
KlCommittees *kl_committees_initial  (KlAlgorithmContext *ctx, KlCommitteeModel *model,
                                      guint rounds, GError **error);
guint         kl_committees_search_near_best (KlCommittees *committees, KlCommitteeModel *model,
                                              const double *search_prices, const double *prices,
                                              double threshold, guint n_starts,
                                              guint *found, GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlCommittees, kl_committees_free)

G_END_DECLS
