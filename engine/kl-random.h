/* kl-random.h — the randomness of one run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KlRandom KlRandom;

KlRandom *kl_random_new       (gint64 seed);
void      kl_random_free      (KlRandom *random);
gboolean  kl_random_is_secure (const KlRandom *random);
gint64    kl_random_get_seed  (const KlRandom *random);
guint32   kl_random_u32       (KlRandom *random);
guint32   kl_random_below     (KlRandom *random, guint32 n);
double    kl_random_double    (KlRandom *random);
double    kl_random_uniform   (KlRandom *random, double a, double b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlRandom, kl_random_free)

G_END_DECLS
