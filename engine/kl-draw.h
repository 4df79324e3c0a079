/* kl-draw.h — the public draw: one of N published panels, picked by a number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "kl-export.h"
#include "kl-pool.h"
#include "kl-settings.h"

G_BEGIN_DECLS

/**
 * KlDrawRequest:
 * @lottery: the audit record of the lottery run (kl_run_to_json()), which
 *   holds the N panels, the distribution's SHA-256, the inputs and settings
 * @lottery_name: (nullable): the file that record was read from
 * @lottery_sha256: (nullable): the SHA-256 of that file
 * @public_number: the number drawn in public, in decimal digits
 * @pool: the pool the lottery ran on
 * @settings: the settings it ran with
 * @already_selected: (nullable): people selected in an earlier round
 * @selected_path: where to write the drawn panel
 * @remaining_path: where to write everyone else
 * @record_path: where to write the draw's audit record
 * @flags: %KL_EXPORT_EXCEL_SAFE for the two people tables
 */
typedef struct {
  JsonObject *lottery;
  const char *lottery_name;
  const char *lottery_sha256;
  const char *public_number;
  KlPool *pool;
  const KlSettings *settings;
  KlPool *already_selected;
  const char *selected_path;
  const char *remaining_path;
  const char *record_path;
  KlExportFlags flags;
} KlDrawRequest;

guint      kl_draw_panel_number   (const char *public_number, guint n_panels, GError **error);
KlFileSet *kl_draw_to_file_set    (const KlDrawRequest *request, guint *panel_number, GError **error);
gboolean   kl_draw_run_to_folder  (KlRun *run, const char *public_number, const char *folder,
                                   KlExportFlags flags, guint *panel_number,
                                   GCancellable *cancellable, GError **error);

G_END_DECLS
