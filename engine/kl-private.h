/* kl-private.h — internals shared by the engine's files, never installed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "kleroterion.h"

G_BEGIN_DECLS

typedef struct {
  const char *code;
  const char *text;   /* English template with {named} parameters, N_() */
  const char *hint;   /* how to fix it, or NULL */
  const char *plural; /* the text for a {count} other than one, or NULL */
} KlCatalogueEntry;

/* A catalogue text with a plural form, chosen by the message's {count}
 * through ngettext. Used as `{ "code", KL_N_PLURAL (one, many), hint }`;
 * xgettext knows it as a plural keyword (po/meson.build). */
#define KL_N_PLURAL(singular, plural_form) .plural = (plural_form), .text = (singular)

const KlCatalogueEntry *kl_catalogue_lookup (const char *code);
gsize                   kl_catalogue_size   (void);
const KlCatalogueEntry *kl_catalogue_nth    (gsize i);

/* kl-text.c */
typedef enum {
  KL_COUNT_OK,
  KL_COUNT_EMPTY,
  KL_COUNT_NOT_A_NUMBER,
  KL_COUNT_NEGATIVE,
} KlCountStatus;

const char   *kl_text_strip         (const char *text, gsize len, gsize *out_len);
char         *kl_text_fold          (const char *text);
/* values quoted in messages are cut to this many characters */
#define KL_TEXT_MAX_QUOTED 200
char         *kl_text_cut           (const char *text);
gboolean      kl_text_is_ascii      (const char *text);
KlCountStatus kl_text_parse_count   (const char *text, int *out);
char         *kl_text_join_and      (GPtrArray *items);
char         *kl_text_read_file     (const char *path, const char *missing_code, gsize *length,
                                     GPtrArray *messages, GError **error);

/* kl-pool.c: table columns behind a pool, for the output tables */
int           kl_pool_get_id_column      (const KlPool *pool);
const char   *kl_pool_get_id_name        (const KlPool *pool);
int           kl_pool_get_kept_column    (const KlPool *pool, guint kept);
int           kl_pool_get_feature_column (const KlPool *pool, guint feature);

/* Ascending orders for qsort(), g_array_sort() and the like. */
static inline int
kl_compare_uint (gconstpointer a,
                 gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return (x > y) - (x < y);
}

static inline int
kl_compare_double (gconstpointer a,
                   gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A chance as the column-generation reports write it: "4.75%". */
static inline char *
kl_percent_string (double value)
{
  return g_strdup_printf ("%.2f%%", value * 100);
}

G_END_DECLS
