/* kl-pool.h — the people a panel is drawn from
 *
 * People are indices 0..n-1 in file order; each has one value index per
 * feature of the quotas, so algorithms work on dense arrays and strings stay
 * at the edges.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib-object.h>

#include "kl-quotas.h"
#include "kl-settings.h"
#include "kl-table.h"

G_BEGIN_DECLS

typedef struct _KlPool KlPool;

/* kl_pool_get_household() of someone who shares an address with nobody */
#define KL_NO_HOUSEHOLD (-1)

GType        kl_pool_get_type             (void) G_GNUC_CONST;
KlPool      *kl_pool_ref                  (KlPool *pool);
void         kl_pool_unref                (KlPool *pool);

KlPool      *kl_pool_load                 (KlTable *table, KlQuotas *quotas,
                                           const KlSettings *settings,
                                           GPtrArray *messages, GError **error);
KlPool      *kl_pool_load_file            (const char *path, KlQuotas *quotas,
                                           const KlSettings *settings,
                                           GPtrArray *messages, GError **error);
KlPool      *kl_pool_load_already_selected      (KlTable *table, const KlSettings *settings,
                                                 GPtrArray *messages, GError **error);
KlPool      *kl_pool_load_already_selected_file (const char *path,
                                                 const KlSettings *settings,
                                                 GPtrArray *messages, GError **error);
KlPool      *kl_pool_subset               (KlPool *pool, const guint *people, guint n_people);
KlPool      *kl_pool_exclude_already_selected (KlPool *pool, const KlPool *already_selected,
                                               GPtrArray *messages);

guint        kl_pool_get_n_people         (const KlPool *pool);
KlQuotas    *kl_pool_get_quotas           (const KlPool *pool);
const char  *kl_pool_get_file             (const KlPool *pool);
const char  *kl_pool_get_sha256           (const KlPool *pool);
const char  *kl_pool_get_id               (const KlPool *pool, guint person);
int          kl_pool_find_person          (const KlPool *pool, const char *id);
int          kl_pool_get_line             (const KlPool *pool, guint person);
guint        kl_pool_get_value            (const KlPool *pool, guint person, guint feature);
const int   *kl_pool_get_values           (const KlPool *pool, guint person);
const char  *kl_pool_get_value_text       (const KlPool *pool, guint person, guint feature);
guint        kl_pool_get_n_kept           (const KlPool *pool);
const char  *kl_pool_get_kept_name        (const KlPool *pool, guint column);
const char  *kl_pool_get_kept             (const KlPool *pool, guint person, guint column);

gboolean     kl_pool_has_addresses        (const KlPool *pool);
const char  *kl_pool_get_address_key      (const KlPool *pool, guint person);
int          kl_pool_get_household        (const KlPool *pool, guint person);
guint        kl_pool_get_n_households     (const KlPool *pool);
guint        kl_pool_get_household_size   (const KlPool *pool, guint household);

guint       *kl_pool_count_per_value      (const KlPool *pool);
gboolean     kl_pool_check_enough_people  (const KlPool *pool, GPtrArray *messages);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlPool, kl_pool_unref)

G_END_DECLS
