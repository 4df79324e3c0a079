/* kl-seat-counts-private.h — panels known by how many members of each
 * group of interchangeable people they seat
 *
 * The column-generation algorithms (maximin, nash, leximin) work in this
 * space: some optimum of each gives every member of a group the same
 * chance, so a panel matters only by its seat counts. A few hundred
 * groups and count vectors stand for thousands of people and panels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-algorithm-private.h"
#include "kl-committee-model-private.h"

G_BEGIN_DECLS

/* @count members of group @group; a count vector lists its groups in
 * increasing order. */
typedef struct {
  guint group;
  guint count;
} KlSeats;

typedef struct _KlSeatCounts KlSeatCounts;

KlSeatCounts   *kl_seat_counts_new            (KlCommitteeModel *model, guint n, guint k,
                                               const gboolean *covered);
void            kl_seat_counts_free           (KlSeatCounts *counts);
guint           kl_seat_counts_get_n_groups   (KlSeatCounts *counts);
guint           kl_seat_counts_get_group_size (KlSeatCounts *counts, guint group);
guint           kl_seat_counts_get_group_of   (KlSeatCounts *counts, guint person);
gboolean        kl_seat_counts_is_covered     (KlSeatCounts *counts, guint group);
guint           kl_seat_counts_get_n_covered_groups (KlSeatCounts *counts);
gboolean        kl_seat_counts_add            (KlSeatCounts *counts, const guint *committee,
                                               guint *position);
guint           kl_seat_counts_get_n_vectors  (KlSeatCounts *counts);
const KlSeats  *kl_seat_counts_get_vector     (KlSeatCounts *counts, guint position,
                                               guint *n_entries);
void            kl_seat_counts_spread         (KlSeatCounts *counts, const double *group_values,
                                               double *person_values);
KlDistribution *kl_seat_counts_expand         (KlSeatCounts *counts, const double *x,
                                               KlProgress *progress, GCancellable *cancellable,
                                               GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlSeatCounts, kl_seat_counts_free)

G_END_DECLS
