/* kl-nash-solver-private.h — maximise Σ_r w_r log (Aλ)_r over the simplex
 *
 * The restricted problem of Nash welfare's column generation (spec 4.5):
 * rows are groups of interchangeable people (w_r of them), columns are
 * panels, A[r][c] the chance a member of row r has of sitting when panel
 * type c is drawn. Sizes: tens to a few thousand rows and columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _KlNashSolver KlNashSolver;

/* Called about four times a second during a long solve, with the steps
 * taken so far and the current gap (see kl_nash_solver_get_gap()). */
typedef void (*KlNashSolverProgress) (gpointer data, guint steps, double gap);

KlNashSolver *kl_nash_solver_new          (guint n_rows, const double *row_weights);
void          kl_nash_solver_free         (KlNashSolver *solver);
guint         kl_nash_solver_add_column   (KlNashSolver *solver, guint n, const guint *rows,
                                           const double *values);
guint         kl_nash_solver_get_n_columns (KlNashSolver *solver);
gboolean      kl_nash_solver_solve        (KlNashSolver *solver, double tolerance,
                                           GCancellable *cancellable, GError **error);
double        kl_nash_solver_get_objective (KlNashSolver *solver);
double        kl_nash_solver_get_gap      (KlNashSolver *solver);
const double *kl_nash_solver_get_weights  (KlNashSolver *solver);
const double *kl_nash_solver_get_row_values (KlNashSolver *solver);
guint         kl_nash_solver_get_n_steps  (KlNashSolver *solver);
void          kl_nash_solver_set_progress (KlNashSolver *solver, KlNashSolverProgress func,
                                           gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlNashSolver, kl_nash_solver_free)

G_END_DECLS
