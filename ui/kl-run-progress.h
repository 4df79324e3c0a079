/* kl-run-progress.h — a running selection: phase, message, bar, time, Cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_RUN_PROGRESS (kl_run_progress_get_type ())
G_DECLARE_FINAL_TYPE (KlRunProgress, kl_run_progress, KL, RUN_PROGRESS, AdwBin)

void            kl_run_progress_start     (KlRunProgress *self);
void            kl_run_progress_stop      (KlRunProgress *self);
void            kl_run_progress_update    (const char *phase, gint64 total, gint64 current,
                                           const char *message, gpointer self);
GtkProgressBar *kl_run_progress_get_bar   (KlRunProgress *self);
GtkLabel       *kl_run_progress_get_phase_label (KlRunProgress *self);
guint           kl_run_progress_get_n_moves (KlRunProgress *self);

G_END_DECLS
