/* kl-lottery-private.h — from a distribution to panels (spec 4.9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-algorithm-private.h"

G_BEGIN_DECLS

typedef struct {
  guint index;
  double share;
} KlShare;

void     kl_distribution_standardise (KlDistribution *distribution);
double  *kl_distribution_marginals   (KlDistribution *distribution, guint n_people, guint k);
GArray  *kl_pipage_round             (GArray *items, KlRandom *random);
GArray  *kl_lottery_draw             (KlDistribution *distribution, guint n_panels, KlRandom *random);

G_END_DECLS
