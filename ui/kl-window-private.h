/* kl-window-private.h — what the UI tests look at and drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <kleroterion.h>

#include "kl-probability-chart.h"
#include "kl-window.h"

G_BEGIN_DECLS

typedef enum {
  KL_INPUT_POOL,
  KL_INPUT_QUOTAS,
  KL_INPUT_SETTINGS,
  KL_INPUT_ALREADY,
} KlInput;

void            kl_window_set_input        (KlWindow *self, KlInput input, GFile *file);
gboolean        kl_window_is_running       (KlWindow *self);
KlRun          *kl_window_get_result       (KlWindow *self);
GPtrArray      *kl_window_get_messages     (KlWindow *self);
GtkProgressBar *kl_window_get_progress_bar (KlWindow *self);
GtkLabel       *kl_window_get_phase_label  (KlWindow *self);
GtkColumnView  *kl_window_get_panel_view   (KlWindow *self);
GtkColumnView  *kl_window_get_preview_view (KlWindow *self);
GtkListBox     *kl_window_get_problems_list (KlWindow *self);
KlProbabilityChart *kl_window_get_chart    (KlWindow *self);
void            kl_window_set_algorithm    (KlWindow *self, KlAlgorithm algorithm);
KlAlgorithm     kl_window_get_algorithm    (KlWindow *self);
void            kl_window_set_panel_size   (KlWindow *self, int size);
void            kl_window_set_seed         (KlWindow *self, const char *seed);
gboolean        kl_window_export_to_folder (KlWindow *self, GFile *folder, GError **error);
const char     *kl_window_get_last_error   (KlWindow *self);
gboolean        kl_window_apply_suggested_quotas (KlWindow *self);

G_END_DECLS
