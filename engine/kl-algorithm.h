/* kl-algorithm.h — what each selection algorithm is, in words people read
 *
 * The window and the command line describe the algorithms from here, so a
 * new algorithm is announced in one place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include "kl-settings.h"

G_BEGIN_DECLS

const KlAlgorithm *kl_algorithm_list_available (guint *n_algorithms);
gboolean     kl_algorithm_is_available      (KlAlgorithm algorithm);
const char  *kl_algorithm_get_title         (KlAlgorithm algorithm);
const char  *kl_algorithm_get_explanation   (KlAlgorithm algorithm);
const char  *kl_algorithm_get_caveat        (KlAlgorithm algorithm);
gboolean     kl_algorithm_has_probabilities (KlAlgorithm algorithm);

G_END_DECLS
