/* kl-run.h — one selection, start to finish: the engine's single entry point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <gio/gio.h>

#include "kl-pool.h"
#include "kl-progress-reporter.h"
#include "kl-report.h"
#include "kl-settings.h"

G_BEGIN_DECLS

/**
 * KlRunParams:
 * @number_wanted: the panel size
 * @algorithm: which algorithm to run
 * @seed: 0 for secure randomness, anything else for a reproducible run
 * @test_selection: a quick, deliberately non-random panel to try quotas
 * @number_selections: panels for a transparent lottery (1 for one panel)
 * @max_seconds: time limit of diversimax
 * @max_attempts: attempts of the legacy algorithm
 *
 * Set up with kl_run_params_init(), which takes the settings' values.
 */
typedef struct {
  int number_wanted;
  KlAlgorithm algorithm;
  gint64 seed;
  gboolean test_selection;
  int number_selections;
  double max_seconds;
  int max_attempts;

  /*< private >*/
  gpointer reserved[8];
} KlRunParams;

void kl_run_params_init (KlRunParams *params, const KlSettings *settings);

typedef struct _KlRun KlRun;

GType        kl_run_get_type          (void) G_GNUC_CONST;
KlRun       *kl_run_new               (KlPool *pool, const KlSettings *settings,
                                       KlPool *already_selected, const KlRunParams *params);
KlRun       *kl_run_ref               (KlRun *run);
void         kl_run_unref             (KlRun *run);

gboolean     kl_run_execute           (KlRun *run, KlProgressReporter *reporter,
                                       GCancellable *cancellable, GError **error);
void         kl_run_execute_async     (KlRun *run, KlProgressReporter *reporter,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean     kl_run_execute_finish    (KlRun *run, GAsyncResult *result, GError **error);

KlReport    *kl_run_get_report        (KlRun *run);
KlPool      *kl_run_get_pool          (KlRun *run);
KlPool      *kl_run_get_working_pool  (KlRun *run);
const KlRunParams *kl_run_get_params  (KlRun *run);
guint        kl_run_get_n_panels      (KlRun *run);
const guint *kl_run_get_panel         (KlRun *run, guint index, guint *n_people);
gboolean     kl_run_is_secure         (KlRun *run);
const double *kl_run_get_probabilities (KlRun *run);
guint        kl_run_get_n_committees  (KlRun *run);
const guint *kl_run_get_committee     (KlRun *run, guint index, double *probability);
char        *kl_run_get_distribution_digest (KlRun *run);
KlQuotas    *kl_run_get_suggested_quotas (KlRun *run);

/**
 * KlRunInput:
 * @role: "settings", "features", "people" or "already_selected"
 * @name: the path or name the organiser knows the file by
 * @sha256: the SHA-256 of the file's bytes, as the loader read them
 */
typedef struct {
  const char *role;
  const char *name;
  const char *sha256;
} KlRunInput;

const KlSettings *kl_run_get_settings (KlRun *run);
KlQuotas    *kl_run_get_quotas        (KlRun *run);
KlPool      *kl_run_get_already_selected (KlRun *run);
const KlRunInput *kl_run_get_inputs   (KlRun *run, guint *n_inputs);
GDateTime   *kl_run_get_time          (KlRun *run);

JsonNode    *kl_run_to_json           (KlRun *run, const KlRunInput *inputs, guint n_inputs);

gboolean     kl_panel_check           (KlPool *pool, const guint *panel, guint n_people,
                                       guint k, GPtrArray *messages);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlRun, kl_run_unref)

G_END_DECLS
