/* kl-lp-private.h — the engine's only door to GLPK
 *
 * Indices are 0-based here (GLPK's are 1-based). Every call that can run
 * long takes the run's GCancellable; a GLPK fatal error becomes a GError
 * instead of aborting the process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _KlLp KlLp;

typedef enum {
  KL_LP_CONTINUOUS,
  KL_LP_INTEGER,
  KL_LP_BINARY,
} KlLpKind;

typedef enum {
  KL_LP_OPTIMAL,
  KL_LP_FEASIBLE,      /* an integer solution, not proven optimal */
  KL_LP_INFEASIBLE,
  KL_LP_UNBOUNDED,
  KL_LP_ERROR,
  KL_LP_BOUND_REACHED, /* stopped: no solution can beat stop_if_bound_below */
} KlLpStatus;

/* Bound meaning "none" in kl_lp_add_col() and kl_lp_add_row(). */
#define KL_LP_INF G_MAXDOUBLE

typedef enum {
  KL_LP_METHOD_PRIMAL,
  KL_LP_METHOD_DUAL,
} KlLpMethod;

/* Called in the solving thread, about four times a second during a long
 * solve: the objective of the current point (for branch and bound the
 * best panel found, NAN if none yet) and, for branch and bound, the bound
 * no solution can beat (NAN if not known yet). */
typedef void (*KlLpProgressFunc) (gpointer data, double elapsed_seconds,
                                  double incumbent, double bound);

/* What a problem's solves cost, for benchmarks and the debug log. */
typedef struct {
  guint solves;
  guint mip_solves;
  guint slices;
  guint method_switches;
  guint cold_restarts;
  guint interior_fallbacks;
  double seconds;       /* CPU seconds in kl_lp_solve() */
  double mip_seconds;   /* CPU seconds in kl_lp_solve_mip() */
} KlLpStats;

/**
 * KlMipParams:
 * @time_limit_ms: 0 for none; a result that stopped on it depends on the
 *   machine, so only where the user asked for a time limit
 * @node_limit: stop after this many branch-and-bound nodes once a solution
 *   is in hand; 0 for none
 * @gap: relative gap at which a solution counts as good enough
 * @stop_above: stop as soon as an integer solution is better than this
 * @stop_if_bound_below: stop as soon as no solution can beat this
 * @progress: (nullable): called during the search
 *
 * The two thresholds apply to maximisation problems only.
 */
typedef struct {
  int time_limit_ms;
  guint node_limit;
  double gap;
  double stop_above;
  double stop_if_bound_below;
  KlLpProgressFunc progress;
  gpointer progress_data;
} KlMipParams;

void        kl_mip_params_init (KlMipParams *params);

KlLp       *kl_lp_new          (gboolean maximize);
void        kl_lp_free         (KlLp *lp);
int         kl_lp_add_col      (KlLp *lp, KlLpKind kind, double lower, double upper, double objective);
int         kl_lp_add_cols     (KlLp *lp, int n, KlLpKind kind, double lower, double upper);
int         kl_lp_add_row      (KlLp *lp, double lower, double upper, int n,
                                const int *cols, const double *values);
void        kl_lp_set_col_coefficients (KlLp *lp, int col, int n, const int *rows,
                                        const double *values);
void        kl_lp_set_objective (KlLp *lp, int col, double coefficient);
void        kl_lp_set_col_bounds (KlLp *lp, int col, double lower, double upper);
int         kl_lp_get_n_cols   (KlLp *lp);
int         kl_lp_get_n_rows   (KlLp *lp);

KlLpStatus  kl_lp_solve        (KlLp *lp, GCancellable *cancellable, GError **error);
void        kl_lp_set_warm_method (KlLp *lp, KlLpMethod method);
void        kl_lp_set_progress (KlLp *lp, KlLpProgressFunc func, gpointer data);
const KlLpStats *kl_lp_get_stats (KlLp *lp);
KlLpStatus  kl_lp_solve_mip    (KlLp *lp, const KlMipParams *params,
                                GCancellable *cancellable, GError **error);

double      kl_lp_get_objective (KlLp *lp);
double      kl_lp_get_value    (KlLp *lp, int col);
double      kl_lp_get_row_dual (KlLp *lp, int row);
double      kl_lp_get_mip_bound (KlLp *lp);
const char *kl_lp_status_to_string (KlLpStatus status);

void        kl_lp_thread_cleanup (void);
gboolean    kl_lp_provoke_fatal_error (GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlLp, kl_lp_free)

/* For leximin: changing a row's bounds. */
void        kl_lp_set_row_bounds (KlLp *lp, int row, double lower, double upper);

G_END_DECLS
