/* kl-window-private.h — the window's parts, for its action glue and tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <kleroterion.h>

#include "kl-files-page.h"
#include "kl-loader.h"
#include "kl-progress-relay.h"
#include "kl-results-page.h"
#include "kl-run-progress.h"
#include "kl-selection-page.h"
#include "kl-window.h"

G_BEGIN_DECLS

struct _KlWindow {
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay *toasts;
  AdwViewStack *stack;
  KlFilesPage *files_page;
  KlSelectionPage *selection_page;
  KlResultsPage *results_page;
  GtkRevealer *progress_revealer;
  KlRunProgress *progress;
  GtkMenuButton *main_menu_button;

  /* what is open */
  KlInputs *inputs;
  guint load_generation;       /* a load's result counts only if still the latest */
  guint loads_pending;
  GPtrArray *pending_files;    /* asked for since the inputs last shown */
  GArray *pending_roles;
  KlQuotas *pending_quotas;
  GCancellable *load_cancellable;
  guint spinning;              /* rows with a spinner, one bit per input */
  KlQuotas *suggested;         /* what would make infeasible quotas work */

  /* the run, and the result of the last one with what it was drawn from */
  KlRun *run;
  KlInputs *run_inputs;
  GCancellable *cancellable;
  KlProgressRelay *relay;
  KlRun *result;
  KlInputs *result_inputs;
  char *last_error;

  GSettings *gsettings;
  gboolean disposed;
};

/* kl-window.c */
void            kl_window_load             (KlWindow *self, GFile **files, const KlInput *roles,
                                            guint n_files, KlQuotas *quotas);
void            kl_window_set_input        (KlWindow *self, KlInput input, GFile *file);
void            kl_window_open_files       (KlWindow *self, GFile **files, guint n_files);
gboolean        kl_window_apply_suggested_quotas (KlWindow *self);
void            kl_window_show_error       (KlWindow *self, const char *heading,
                                            const char *details, gboolean can_apply);
void            kl_window_run              (KlWindow *self);
void            kl_window_cancel           (KlWindow *self);

/* kl-window-actions.c */
void            kl_window_class_add_actions (GtkWidgetClass *widget_class);
void            kl_window_add_drop_target  (KlWindow *self);
gboolean        kl_window_export_to_folder (KlWindow *self, GFile *folder, gboolean replace,
                                            GError **error);
AdwMessageDialog *kl_window_export_with_confirmation (KlWindow *self, GFile *folder);
gboolean        kl_window_draw_panel       (KlWindow *self, const char *public_number, GFile *folder,
                                            GError **error);
AdwMessageDialog *kl_window_ask_public_number (KlWindow *self);

/* for the tests */
gboolean        kl_window_is_running       (KlWindow *self);
gboolean        kl_window_is_loading       (KlWindow *self);
KlRun          *kl_window_get_result       (KlWindow *self);
GPtrArray      *kl_window_get_messages     (KlWindow *self);
GtkProgressBar *kl_window_get_progress_bar (KlWindow *self);
GtkLabel       *kl_window_get_phase_label  (KlWindow *self);
guint           kl_window_get_progress_moves (KlWindow *self);
const char     *kl_window_get_last_error   (KlWindow *self);
KlFilesPage    *kl_window_get_files_page   (KlWindow *self);
KlSelectionPage *kl_window_get_selection_page (KlWindow *self);
KlResultsPage  *kl_window_get_results_page (KlWindow *self);

G_END_DECLS
