/* kl-quotas.h — features, their values, and the min/max of each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib-object.h>

#include "kl-table.h"

G_BEGIN_DECLS

/* max_flex before kl_quotas_finish() gives it the default of spec 2.2.6 */
#define KL_FLEX_UNSET (-1)

typedef struct {
  char *name;
  int min;
  int max;
  int min_flex;
  int max_flex;
  int line;          /* line in the quota file, 0 if built in code */
} KlQuotaValue;

typedef struct {
  char *name;
  GPtrArray *values; /* of KlQuotaValue, in file order */
  int line;
} KlFeature;

typedef struct _KlQuotas KlQuotas;

GType        kl_quotas_get_type            (void) G_GNUC_CONST;
KlQuotas    *kl_quotas_new                 (void);
KlQuotas    *kl_quotas_ref                 (KlQuotas *quotas);
void         kl_quotas_unref               (KlQuotas *quotas);
KlQuotas    *kl_quotas_copy                (const KlQuotas *quotas);
gboolean     kl_quotas_equal               (const KlQuotas *a, const KlQuotas *b);

KlQuotas    *kl_quotas_load                (KlTable *table, int number_to_select,
                                            GPtrArray *messages, GError **error);
KlQuotas    *kl_quotas_load_file           (const char *path, int number_to_select,
                                            GPtrArray *messages, GError **error);

gboolean     kl_quotas_add_value           (KlQuotas *quotas, const char *feature,
                                            const char *value, int min, int max,
                                            int min_flex, int max_flex);
void         kl_quotas_finish              (KlQuotas *quotas);

const char  *kl_quotas_get_file            (const KlQuotas *quotas);
const char  *kl_quotas_get_sha256          (const KlQuotas *quotas);
gboolean     kl_quotas_get_file_bounds     (const KlQuotas *quotas, guint feature, guint value,
                                            int *min, int *max);
const char  *kl_quotas_get_feature_column  (const KlQuotas *quotas);
const char  *kl_quotas_get_value_column    (const KlQuotas *quotas);
guint        kl_quotas_get_n_features      (const KlQuotas *quotas);
const KlFeature *kl_quotas_get_feature     (const KlQuotas *quotas, guint feature);
KlQuotaValue *kl_quotas_get_value          (const KlQuotas *quotas, guint feature,
                                            guint value);
int          kl_quotas_find_feature        (const KlQuotas *quotas, const char *name);
int          kl_quotas_find_value          (const KlQuotas *quotas, guint feature,
                                            const char *name);
guint        kl_quotas_get_n_slots         (const KlQuotas *quotas);
guint        kl_quotas_get_slot            (const KlQuotas *quotas, guint feature,
                                            guint value);

int          kl_quotas_get_minimum_selection (const KlQuotas *quotas);
int          kl_quotas_get_maximum_selection (const KlQuotas *quotas);
int          kl_quotas_get_default_max_flex  (const KlQuotas *quotas);
gboolean     kl_quotas_check               (const KlQuotas *quotas, int number_to_select,
                                            GPtrArray *messages);

char        *kl_quotas_to_csv              (const KlQuotas *quotas);
gboolean     kl_quotas_save                (const KlQuotas *quotas, const char *path,
                                            const char * const *inputs, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlQuotas, kl_quotas_unref)

G_END_DECLS
