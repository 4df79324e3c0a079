/* kl-output.h — the selected and remaining tables (spec 3.7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include "kl-pool.h"
#include "kl-run.h"
#include "kl-settings.h"

G_BEGIN_DECLS

/**
 * KlOutputFlags:
 * @KL_OUTPUT_DROP_HOUSEMATES: leave out of the remaining table everyone who
 *   shares an address with a panel member or an already-selected person
 * @KL_OUTPUT_MARK_SHARED_ADDRESS: add a `shares_address` column to the
 *   remaining table (spec 3.7.3), so nobody is dropped silently
 */
typedef enum {
  KL_OUTPUT_NONE = 0,
  KL_OUTPUT_DROP_HOUSEMATES = 1 << 0,
  KL_OUTPUT_MARK_SHARED_ADDRESS = 1 << 1,
} KlOutputFlags;

char      **kl_output_get_header     (const KlPool *pool);
char      **kl_output_get_row        (const KlPool *pool, guint person);
void        kl_output_build_tables   (const KlPool *pool, const KlSettings *settings,
                                      const guint *selected, guint n_selected,
                                      const KlPool *already_selected, KlOutputFlags flags,
                                      GPtrArray **selected_rows, GPtrArray **remaining_rows);
GArray     *kl_output_find_shared_addresses (const KlPool *pool, const guint *selected,
                                             guint n_selected, const KlPool *already_selected);

/* Tables of a run's result; rows are string vectors, header first. */
GPtrArray  *kl_output_probability_rows  (KlRun *run);
GPtrArray  *kl_output_panel_rows        (KlRun *run);

typedef void (*KlOutputLineFunc) (const char *line, gsize length, gpointer data);
gboolean    kl_output_distribution_csv  (KlRun *run, KlOutputLineFunc func, gpointer data);

char       *kl_output_neutralise_cell    (const char *cell);

G_END_DECLS
