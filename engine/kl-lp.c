/* kl-lp.c — GLPK behind a small, safe interface (spec 4.11)
 *
 * GLPK keeps its environment per thread (Debian builds it with thread-local
 * storage), so a run in a worker thread has its own. Three things are made
 * safe here:
 *
 *  - fatal errors: GLPK calls its error hook and then abort(); the hook
 *    jumps back to the call that failed instead, which frees the thread's
 *    environment (all its problems with it) and reports a solver error;
 *  - output: GLPK's terminal output goes to the debug log;
 *  - cancellation and progress: GLPK prints its progress lines every
 *    OUTPUT_INTERVAL_MS into the terminal hook, which polls the
 *    GCancellable there and, when it is cancelled, jumps back out of the
 *    solve and frees the thread's environment, as after a fatal error
 *    (the run is over anyway). The branch-and-bound callback polls it at
 *    every event. Both report progress (kl_lp_set_progress,
 *    KlMipParams.progress) about four times a second.
 *  - reproducibility: nothing that changes a result depends on the clock.
 *    A solve is never cut into time slices (a resumed simplex starts its
 *    pricing afresh, so where the cuts fell would change the path); its
 *    budgets count iterations and branch-and-bound nodes, not seconds.
 *    The same seed gives the same panels on any machine under any load.
 *
 * How LPs are solved, and why (measured on generated pools, CPU seconds):
 *
 *  - Column generation's master is solved in its dual form, one row per
 *    panel (kl-maximin.c), warm-started with the dual simplex after rows
 *    are added. Its basis has as many rows as there are panels (hundreds)
 *    instead of one per volunteer: on 1,000/100 the primal form took 14 s
 *    for 320 solves, the dual form 2.9 s for 191. Since then the master
 *    has moved to groups of interchangeable people and count vectors
 *    (kl-seat-counts.c), which shrinks it further: on 5,000/250, 102
 *    solves took 1.6 s where the per-person master took minutes.
 *  - A warm start can still stall on degenerate masters (a repeated-panel
 *    master stalled for 580 s where a cold solve took 0.13 s), so every
 *    attempt has a budget of iterations — ATTEMPT_BUDGET_FACTOR times the
 *    running mean of this problem's solves, at least MIN_ATTEMPT_ITERATIONS
 *    — after which the other simplex method starts over from an advanced
 *    basis, with the budget doubled. A stall then costs a bounded factor.
 *  - Presolve is off: the problems here are solved warm many times.
 *  - The interior-point method is the last resort when the simplex method
 *    fails outright: GLPK's cannot be interrupted.
 *  - Branch and bound starts from the relaxation's last basis; it looks for
 *    its best open node (a scan of all of them) every BOUND_CHECK_NODES
 *    selections instead of on every callback, which was 37–77 % of the CPU
 *    time of long pricing solves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-lp-private.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <glpk.h>
#include <setjmp.h>
#include <time.h>
#include <stdlib.h>

/* Per thread, like GLPK's own state. A problem made before a fatal error
 * was freed with the environment and must not be touched again. */
typedef struct {
  jmp_buf *jump;
  guint generation;
  gboolean hooks_installed;
  /* the solve under way, for the terminal hook */
  GCancellable *cancellable;
  gboolean cancelled;
  struct _KlLp *solving;
  gint64 solve_start;
  gint64 last_report;
} ThreadState;

static GPrivate thread_state_key = G_PRIVATE_INIT (g_free);

/* How often GLPK prints a progress line into the terminal hook, where
 * Cancel is noticed. */
#define OUTPUT_INTERVAL_MS 100
#define PROGRESS_INTERVAL_US (250 * 1000)
/* How many iterations a simplex attempt may take before the next one
 * starts over: this many times what solves of the problem usually take,
 * and at least MIN_ATTEMPT_ITERATIONS (each later attempt twice as many). */
#define ATTEMPT_BUDGET_FACTOR 8
#define MIN_ATTEMPT_ITERATIONS 5000
/* How often branch and bound looks for its best open node. */
#define BOUND_CHECK_NODES 16

typedef enum {
  SOLUTION_NONE,
  SOLUTION_SIMPLEX,
  SOLUTION_INTERIOR,
} SolutionKind;

struct _KlLp {
  glp_prob *prob;
  guint generation;
  gboolean is_mip;
  double mip_bound;
  SolutionKind solution;
  KlLpMethod warm_method;
  KlLpProgressFunc progress;
  gpointer progress_data;
  KlLpStats stats;
  int typical_iterations;  /* a running mean of the iterations of a solve */
};

typedef struct {
  GCancellable *cancellable;
  const KlMipParams *params;
  double best_bound;
  gint64 start;
  gint64 last_report;
  guint selections;
  gboolean cancelled;
  gboolean bound_reached;
} MipCallback;

static G_GNUC_NO_INLINE ThreadState *
thread_state (void)
{
  ThreadState *state = g_private_get (&thread_state_key);

  if (state == NULL)
    {
      state = g_new0 (ThreadState, 1);
      g_private_set (&thread_state_key, state);
    }
  return state;
}

static void report_progress (struct _KlLp *self, gint64 start, gint64 *last_report,
                             double incumbent, double bound);

/* GLPK's output, and the moment to notice Cancel inside a long solve. */
static int
on_terminal_output (void       *info,
                    const char *text)
{
  ThreadState *state = thread_state ();
  char *line = g_strchomp (g_strdup (text));

  /* Freed before any jump: a jump skips cleanups. */
  if (*line)
    g_debug ("GLPK: %s", line);
  g_free (line);
  if (state->jump != NULL && state->cancellable != NULL && g_cancellable_is_cancelled (state->cancellable))
    {
      state->cancelled = TRUE;
      longjmp (*state->jump, 1);
    }
  if (state->solving != NULL)
    report_progress (state->solving, state->solve_start, &state->last_report, NAN, NAN);
  return 1;  /* handled: GLPK prints nothing itself */
}

static void
on_fatal_error (void *info)
{
  ThreadState *state = thread_state ();

  if (state->jump != NULL)
    longjmp (*state->jump, 1);
  /* Not inside a guarded call: nothing can be done but let GLPK abort. */
}

static void
ensure_hooks (void)
{
  ThreadState *state = thread_state ();

  if (state->hooks_installed)
    return;
  glp_term_hook (on_terminal_output, NULL);
  glp_error_hook (on_fatal_error, NULL);
  state->hooks_installed = TRUE;
}

/* After a fatal error, or a jump out of a cancelled solve, GLPK's state is
 * undefined: free all of it. */
static void
recover_from_fatal_error (GError **error)
{
  ThreadState *state = thread_state ();
  gboolean cancelled = state->cancelled;
  GCancellable *cancellable = state->cancellable;

  state->jump = NULL;
  state->cancelled = FALSE;
  state->solving = NULL;
  state->cancellable = NULL;
  glp_free_env ();
  state->generation++;
  state->hooks_installed = FALSE;
  if (cancelled)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  else
    g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                         _("The GLPK solver stopped with an internal error; the details are in the debug log."));
}

typedef int (*GuardedCall) (glp_prob *prob, gpointer data);

/* Runs one GLPK call that may hit a fatal error. Kept out of line and free
 * of locals that change after setjmp(), so the jump back cannot clobber
 * anything. */
static G_GNUC_NO_INLINE gboolean
guarded (GuardedCall   call,
         glp_prob     *prob,
         gpointer      data,
         int          *result,
         GError      **error)
{
  jmp_buf jump;
  ThreadState *volatile state = thread_state ();

  if (setjmp (jump) != 0)
    {
      recover_from_fatal_error (error);
      return FALSE;
    }
  state->jump = &jump;
  *result = call (prob, data);
  state->jump = NULL;
  return TRUE;
}

static int
call_simplex (glp_prob *prob,
              gpointer  data)
{
  return glp_simplex (prob, data);
}

static int
call_intopt (glp_prob *prob,
             gpointer  data)
{
  return glp_intopt (prob, data);
}

/**
 * kl_lp_thread_cleanup:
 *
 * Frees this thread's GLPK environment. Call when a run ends, in the thread
 * it ran in, once every KlLp of the run is freed.
 */
void
kl_lp_thread_cleanup (void)
{
  ThreadState *state = thread_state ();

  glp_free_env ();
  state->generation++;
  state->hooks_installed = FALSE;
}

void
kl_mip_params_init (KlMipParams *params)
{
  params->time_limit_ms = 0;
  params->node_limit = 0;
  params->gap = 0;
  params->stop_above = KL_LP_INF;
  params->stop_if_bound_below = -KL_LP_INF;
  params->progress = NULL;
  params->progress_data = NULL;
}

KlLp *
kl_lp_new (gboolean maximize)
{
  KlLp *self = g_new0 (KlLp, 1);

  ensure_hooks ();
  self->prob = glp_create_prob ();
  self->generation = thread_state ()->generation;
  glp_set_obj_dir (self->prob, maximize ? GLP_MAX : GLP_MIN);
  return self;
}

static gboolean
is_alive (KlLp *self)
{
  return self->prob != NULL && self->generation == thread_state ()->generation;
}

void
kl_lp_free (KlLp *self)
{
  if (self == NULL)
    return;
  if (is_alive (self))
    glp_delete_prob (self->prob);
  g_free (self);
}

static int
bound_type (double lower,
            double upper)
{
  gboolean has_lower = lower > -KL_LP_INF;
  gboolean has_upper = upper < KL_LP_INF;

  if (has_lower && has_upper)
    return lower == upper ? GLP_FX : GLP_DB;
  if (has_lower)
    return GLP_LO;
  if (has_upper)
    return GLP_UP;
  return GLP_FR;
}

static void
set_col_bounds (glp_prob *prob,
                int       col,
                double    lower,
                double    upper)
{
  glp_set_col_bnds (prob, col, bound_type (lower, upper),
                    lower > -KL_LP_INF ? lower : 0, upper < KL_LP_INF ? upper : 0);
}

int
kl_lp_add_cols (KlLp     *self,
                int       n,
                KlLpKind  kind,
                double    lower,
                double    upper)
{
  int first = glp_add_cols (self->prob, n);

  for (int j = first; j < first + n; j++)
    {
      if (kind == KL_LP_BINARY)
        glp_set_col_kind (self->prob, j, GLP_BV);
      else
        {
          glp_set_col_kind (self->prob, j, kind == KL_LP_INTEGER ? GLP_IV : GLP_CV);
          set_col_bounds (self->prob, j, lower, upper);
        }
    }
  if (kind != KL_LP_CONTINUOUS)
    self->is_mip = TRUE;
  return first - 1;
}

int
kl_lp_add_col (KlLp     *self,
               KlLpKind  kind,
               double    lower,
               double    upper,
               double    objective)
{
  int col = kl_lp_add_cols (self, 1, kind, lower, upper);

  glp_set_obj_coef (self->prob, col + 1, objective);
  return col;
}

/* GLPK wants 1-based index arrays with an unused slot 0. */
static void
one_based (int           n,
           const int    *indices,
           const double *values,
           int         **out_indices,
           double      **out_values)
{
  *out_indices = g_new (int, n + 1);
  *out_values = g_new (double, n + 1);
  for (int i = 0; i < n; i++)
    {
      (*out_indices)[i + 1] = indices[i] + 1;
      (*out_values)[i + 1] = values[i];
    }
}

int
kl_lp_add_row (KlLp         *self,
               double        lower,
               double        upper,
               int           n,
               const int    *cols,
               const double *values)
{
  g_autofree int *index = NULL;
  g_autofree double *value = NULL;
  int row = glp_add_rows (self->prob, 1);

  glp_set_row_bnds (self->prob, row, bound_type (lower, upper),
                    lower > -KL_LP_INF ? lower : 0, upper < KL_LP_INF ? upper : 0);
  one_based (n, cols, values, &index, &value);
  glp_set_mat_row (self->prob, row, n, index, value);
  return row - 1;
}

void
kl_lp_set_col_coefficients (KlLp         *self,
                            int           col,
                            int           n,
                            const int    *rows,
                            const double *values)
{
  g_autofree int *index = NULL;
  g_autofree double *value = NULL;

  one_based (n, rows, values, &index, &value);
  glp_set_mat_col (self->prob, col + 1, n, index, value);
}

void
kl_lp_set_objective (KlLp   *self,
                     int     col,
                     double  coefficient)
{
  glp_set_obj_coef (self->prob, col + 1, coefficient);
}

void
kl_lp_set_col_bounds (KlLp   *self,
                      int     col,
                      double  lower,
                      double  upper)
{
  set_col_bounds (self->prob, col + 1, lower, upper);
}

int
kl_lp_get_n_cols (KlLp *self)
{
  return glp_get_num_cols (self->prob);
}

int
kl_lp_get_n_rows (KlLp *self)
{
  return glp_get_num_rows (self->prob);
}

static KlLpStatus
map_status (int status)
{
  switch (status)
    {
    case GLP_OPT: return KL_LP_OPTIMAL;
    case GLP_FEAS: return KL_LP_FEASIBLE;
    case GLP_NOFEAS:
    case GLP_INFEAS: return KL_LP_INFEASIBLE;
    case GLP_UNBND: return KL_LP_UNBOUNDED;
    default: return KL_LP_ERROR;
    }
}

static gboolean
check_alive (KlLp    *self,
             GError **error)
{
  if (is_alive (self))
    return TRUE;
  g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                       _("The GLPK solver was reset after an earlier error."));
  return FALSE;
}

/* CPU seconds this thread has used: solve statistics count work, not
 * waiting for a shared processor. */
static double
thread_cpu_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* Elapsed time in seconds since @start (monotonic microseconds). */
static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
report_progress (KlLp     *self,
                 gint64    start,
                 gint64   *last_report,
                 double    incumbent,
                 double    bound)
{
  gint64 now = g_get_monotonic_time ();

  if (self->progress == NULL || now - *last_report < PROGRESS_INTERVAL_US)
    return;
  *last_report = now;
  self->progress (self->progress_data, (now - start) / (double) G_USEC_PER_SEC, incumbent, bound);
}

static int
glpk_method (KlLpMethod method)
{
  return method == KL_LP_METHOD_DUAL ? GLP_DUALP : GLP_PRIMAL;
}

/* The simplex method, warm from the last basis when there is one.
 *
 * Column generation re-solves from the last basis, which is usually a few
 * pivots from the new optimum; but on degenerate masters (many panels
 * alike, many prices at zero) GLPK's warm start can stall for minutes
 * where a cold start takes a tenth of a second. So each attempt gets a
 * budget of iterations (a multiple of what solves of this problem usually
 * take); when it runs out, the other method starts over from an advanced
 * basis, with the budget doubled — a stall costs at most a constant factor
 * over the best attempt. */
static KlLpStatus
solve_simplex (KlLp          *self,
               KlLpMethod     first_method,
               gboolean       warm,
               gint64         start,
               GCancellable  *cancellable,
               GError       **error)
{
  ThreadState *state = thread_state ();
  glp_smcp params;
  KlLpMethod method = first_method;
  int budget = MAX (MIN_ATTEMPT_ITERATIONS, ATTEMPT_BUDGET_FACTOR * self->typical_iterations);
  int iterations_before = glp_get_it_cnt (self->prob);
  guint failures = 0;
  int result = 0;
  gboolean ok;

  glp_init_smcp (&params);
  params.msg_lev = GLP_MSG_ON;
  params.out_frq = OUTPUT_INTERVAL_MS;
  params.out_dly = 0;
  params.presolve = GLP_OFF;
  if (!warm)
    glp_adv_basis (self->prob, 0);

  for (;;)
    {
      params.meth = glpk_method (method);
      params.it_lim = budget;
      state->cancellable = cancellable;
      state->solving = self;
      state->solve_start = start;
      state->last_report = start;
      ok = guarded (call_simplex, self->prob, &params, &result, error);
      state->cancellable = NULL;
      state->solving = NULL;
      if (!ok)
        return KL_LP_ERROR;
      self->stats.slices++;

      if (result == 0)
        break;
      if (result == GLP_EITLIM)
        {
          method = method == KL_LP_METHOD_PRIMAL ? KL_LP_METHOD_DUAL : KL_LP_METHOD_PRIMAL;
          glp_adv_basis (self->prob, 0);
          budget = budget <= G_MAXINT / 2 ? budget * 2 : G_MAXINT;
          self->stats.method_switches++;
          g_debug ("LP: starting again with the %s simplex after %d iterations",
                   method == KL_LP_METHOD_DUAL ? "dual" : "primal",
                   glp_get_it_cnt (self->prob) - iterations_before);
          continue;
        }
      if (result == GLP_ENOPFS)
        return KL_LP_INFEASIBLE;
      if (result == GLP_ENODFS)
        return KL_LP_UNBOUNDED;

      /* A basis GLPK cannot work with: start again from an advanced one. */
      if (++failures > 2)
        {
          g_set_error (error, KL_ERROR, KL_ERROR_SOLVER, _("The GLPK simplex method failed (code %d)."), result);
          return KL_LP_ERROR;
        }
      self->stats.cold_restarts++;
      glp_adv_basis (self->prob, 0);
    }

  /* What a solve of this problem usually takes, for the next budget. */
  {
    int took = glp_get_it_cnt (self->prob) - iterations_before;
    self->typical_iterations = self->typical_iterations == 0 ? took : (3 * self->typical_iterations + took) / 4;
  }
  self->solution = SOLUTION_SIMPLEX;
  return map_status (glp_get_status (self->prob));
}

static int
call_interior (glp_prob *prob,
               gpointer  data)
{
  return glp_interior (prob, data);
}

/* GLPK's interior point cannot be interrupted: used only where the simplex
 * method failed, never as the first choice. */
static KlLpStatus
solve_interior (KlLp    *self,
                GError **error)
{
  glp_iptcp params;
  int result = 0;

  glp_init_iptcp (&params);
  params.msg_lev = GLP_MSG_OFF;
  if (!guarded (call_interior, self->prob, &params, &result, error))
    return KL_LP_ERROR;
  if (result != 0)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_SOLVER, _("The GLPK interior-point method failed (code %d)."), result);
      return KL_LP_ERROR;
    }
  self->solution = SOLUTION_INTERIOR;
  switch (glp_ipt_status (self->prob))
    {
    case GLP_OPT: return KL_LP_OPTIMAL;
    case GLP_NOFEAS: return KL_LP_INFEASIBLE;
    default: return KL_LP_ERROR;
    }
}

/**
 * kl_lp_solve:
 *
 * Solves the LP, warm-started from the last basis when there is one (column
 * generation adds a column or a row and solves again). Cancellable within
 * a slice; progress through kl_lp_set_progress().
 */
KlLpStatus
kl_lp_solve (KlLp          *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) simplex_error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu_start = thread_cpu_seconds ();
  KlLpStatus status;

  if (!check_alive (self, error))
    return KL_LP_ERROR;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return KL_LP_ERROR;

  self->stats.solves++;
  status = solve_simplex (self, self->solution == SOLUTION_SIMPLEX ? self->warm_method : KL_LP_METHOD_DUAL,
                          self->solution == SOLUTION_SIMPLEX, start, cancellable, &simplex_error);
  if (status == KL_LP_ERROR && !g_error_matches (simplex_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      is_alive (self))
    {
      g_debug ("LP: %s; trying the interior-point method", simplex_error->message);
      self->stats.interior_fallbacks++;
      g_clear_error (&simplex_error);
      status = solve_interior (self, &simplex_error);
    }
  self->stats.seconds += thread_cpu_seconds () - cpu_start;
  if (simplex_error != NULL)
    g_propagate_error (error, g_steal_pointer (&simplex_error));
  return status;
}

/* Which simplex method a warm solve starts with: primal after new columns
 * (the basis stays primal feasible), dual after new rows (it stays dual
 * feasible). */
void
kl_lp_set_warm_method (KlLp       *self,
                       KlLpMethod  method)
{
  self->warm_method = method;
}

/* Called about every PROGRESS_INTERVAL_US during long solves, in the
 * solving thread. */
void
kl_lp_set_progress (KlLp             *self,
                    KlLpProgressFunc  func,
                    gpointer          data)
{
  self->progress = func;
  self->progress_data = data;
}

const KlLpStats *
kl_lp_get_stats (KlLp *self)
{
  return &self->stats;
}

static double
best_node_bound (glp_tree *tree)
{
  int best = glp_ios_best_node (tree);

  return best != 0 ? glp_ios_node_bound (tree, best) : NAN;
}

static void
on_mip_event (glp_tree *tree,
              void     *info)
{
  MipCallback *callback = info;
  const KlMipParams *params = callback->params;
  glp_prob *prob = glp_ios_get_prob (tree);
  int reason = glp_ios_reason (tree);
  gint64 now;

  if (g_cancellable_is_cancelled (callback->cancellable))
    {
      callback->cancelled = TRUE;
      glp_ios_terminate (tree);
      return;
    }
  if (reason != GLP_ISELECT && reason != GLP_IBINGO)
    return;

  /* The thresholds are for maximisation, the only use they have. */
  if (reason == GLP_IBINGO && glp_get_obj_dir (prob) == GLP_MAX &&
      params->stop_above < KL_LP_INF && glp_mip_obj_val (prob) > params->stop_above)
    {
      glp_ios_terminate (tree);
      return;
    }

  if (reason != GLP_ISELECT)
    return;
  callback->selections++;
  if (params->node_limit > 0 && callback->selections > params->node_limit &&
      glp_mip_status (prob) == GLP_FEAS)
    {
      glp_ios_terminate (tree);
      return;
    }

  /* Finding the best open node scans them all: on every selection that
   * is quadratic in the size of the tree, so it is done every
   * BOUND_CHECK_NODES selections (counted, so that where the search stops
   * never depends on the clock). */
  if (callback->selections % BOUND_CHECK_NODES != 1)
    return;
  callback->best_bound = best_node_bound (tree);
  now = g_get_monotonic_time ();

  if (glp_get_obj_dir (prob) == GLP_MAX && params->stop_if_bound_below > -KL_LP_INF &&
      !isnan (callback->best_bound) && callback->best_bound <= params->stop_if_bound_below)
    {
      callback->bound_reached = TRUE;
      glp_ios_terminate (tree);
      return;
    }

  if (params->progress != NULL && now - callback->last_report >= PROGRESS_INTERVAL_US)
    {
      callback->last_report = now;
      params->progress (params->progress_data, seconds_since (callback->start),
                        glp_mip_status (prob) == GLP_FEAS ? glp_mip_obj_val (prob) : NAN,
                        callback->best_bound);
    }
}

/**
 * kl_lp_solve_mip:
 *
 * Branch and bound, from the relaxation's optimal basis (presolve off:
 * re-solved with a new objective, the relaxation starts from the last
 * basis, far cheaper than presolving the model from scratch each time).
 * Returns %KL_LP_FEASIBLE when it stopped early (time, gap, or one of the
 * @params thresholds) with a solution in hand; kl_lp_get_mip_bound() then
 * tells how good a solution could be.
 */
KlLpStatus
kl_lp_solve_mip (KlLp               *self,
                 const KlMipParams  *params,
                 GCancellable       *cancellable,
                 GError            **error)
{
  MipCallback callback = { 0 };
  glp_iocp iocp;
  int result = 0, status;
  KlLpStatus relaxation;
  gint64 start = g_get_monotonic_time ();
  double cpu_start = thread_cpu_seconds ();

  if (!check_alive (self, error))
    return KL_LP_ERROR;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return KL_LP_ERROR;

  self->stats.mip_solves++;
  relaxation = solve_simplex (self, KL_LP_METHOD_PRIMAL, TRUE, start, cancellable, error);
  if (relaxation == KL_LP_INFEASIBLE)
    return KL_LP_INFEASIBLE;
  if (relaxation == KL_LP_ERROR)
    return KL_LP_ERROR;
  if (relaxation != KL_LP_OPTIMAL)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                   _("The GLPK simplex method failed on a relaxation (%s)."), kl_lp_status_to_string (relaxation));
      return KL_LP_ERROR;
    }

  callback.cancellable = cancellable;
  callback.params = params;
  callback.best_bound = NAN;
  callback.start = start;
  callback.last_report = start;

  glp_init_iocp (&iocp);
  iocp.msg_lev = GLP_MSG_OFF;
  iocp.presolve = GLP_OFF;
  iocp.mip_gap = params->gap;
  iocp.tm_lim = params->time_limit_ms > 0 ? params->time_limit_ms : INT_MAX;
  iocp.cb_func = on_mip_event;
  iocp.cb_info = &callback;

  if (!guarded (call_intopt, self->prob, &iocp, &result, error))
    return KL_LP_ERROR;
  self->stats.mip_seconds += thread_cpu_seconds () - cpu_start;

  if (callback.cancelled)
    {
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return KL_LP_ERROR;
    }

  if (result == GLP_ENOPFS)
    return KL_LP_INFEASIBLE;
  if (result == GLP_ENODFS)
    return KL_LP_UNBOUNDED;
  if (result != 0 && result != GLP_ETMLIM && result != GLP_EMIPGAP && result != GLP_ESTOP)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_SOLVER, _("The GLPK branch and bound failed (code %d)."), result);
      return KL_LP_ERROR;
    }

  status = glp_mip_status (self->prob);
  if (status == GLP_OPT)
    self->mip_bound = glp_mip_obj_val (self->prob);
  else
    self->mip_bound = isnan (callback.best_bound) ? KL_LP_INF : callback.best_bound;
  if (callback.bound_reached && status != GLP_OPT)
    return KL_LP_BOUND_REACHED;
  if (status == GLP_FEAS && result == 0)
    return KL_LP_OPTIMAL;
  if (status == GLP_UNDEF && (result == GLP_ETMLIM || result == GLP_ESTOP))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                           _("The GLPK branch and bound stopped before finding any solution."));
      return KL_LP_ERROR;
    }
  return map_status (status);
}

double
kl_lp_get_objective (KlLp *self)
{
  if (self->is_mip)
    return glp_mip_obj_val (self->prob);
  return self->solution == SOLUTION_INTERIOR ? glp_ipt_obj_val (self->prob) : glp_get_obj_val (self->prob);
}

double
kl_lp_get_value (KlLp *self,
                 int   col)
{
  if (self->is_mip)
    return glp_mip_col_val (self->prob, col + 1);
  return self->solution == SOLUTION_INTERIOR ? glp_ipt_col_prim (self->prob, col + 1)
                                             : glp_get_col_prim (self->prob, col + 1);
}

double
kl_lp_get_row_dual (KlLp *self,
                    int   row)
{
  return self->solution == SOLUTION_INTERIOR ? glp_ipt_row_dual (self->prob, row + 1)
                                             : glp_get_row_dual (self->prob, row + 1);
}

double
kl_lp_get_mip_bound (KlLp *self)
{
  return self->mip_bound;
}

const char *
kl_lp_status_to_string (KlLpStatus status)
{
  switch (status)
    {
    case KL_LP_OPTIMAL: return "optimal";
    case KL_LP_FEASIBLE: return "feasible";
    case KL_LP_INFEASIBLE: return "infeasible";
    case KL_LP_UNBOUNDED: return "unbounded";
    case KL_LP_ERROR: return "error";
    case KL_LP_BOUND_REACHED: return "bound reached";
    default: return "unknown";
    }
}

static int
call_invalid (glp_prob *prob,
              gpointer  data)
{
  /* Column 0 does not exist: GLPK reports a fatal error. */
  glp_set_col_bnds (prob, 0, GLP_FX, 1, 1);
  return 0;
}

/* For the tests: proves that a GLPK fatal error becomes a GError and that
 * the solver works again afterwards, instead of the process aborting. */
gboolean
kl_lp_provoke_fatal_error (GError **error)
{
  g_autoptr(KlLp) lp = kl_lp_new (TRUE);
  int result;

  return guarded (call_invalid, lp->prob, NULL, &result, error);
}

/* ---- for leximin: changing a row's bounds -------------------------------- */

void
kl_lp_set_row_bounds (KlLp   *self,
                      int     row,
                      double  lower,
                      double  upper)
{
  glp_set_row_bnds (self->prob, row + 1, bound_type (lower, upper),
                    lower > -KL_LP_INF ? lower : 0, upper < KL_LP_INF ? upper : 0);
}
