/* test-lp.c — the GLPK layer (spec 4.11, 10.16)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-lp-private.h"
#include "kl-algorithm-private.h"

#include <glpk.h>

static void
test_lps (void)
{
  int xy[2];
  double ones[2] = { 1, 1 };

  /* maximise x + y with x + y ≤ 5 → 5 */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    xy[0] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
    xy[1] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
    kl_lp_add_row (lp, -KL_LP_INF, 5, 2, xy, ones);
    g_assert_cmpint (kl_lp_solve (lp, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat_with_epsilon (kl_lp_get_objective (lp), 5, 1e-9);
  }
  /* minimise x with x ≥ 3 → 3 */
  {
    g_autoptr(KlLp) lp = kl_lp_new (FALSE);
    int x = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 3, KL_LP_INF, 1);
    g_assert_cmpint (kl_lp_solve (lp, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat_with_epsilon (kl_lp_get_value (lp, x), 3, 1e-9);
  }
  /* maximise x + y with x + 2y ≤ 14, 3x + y ≤ 14, 0 ≤ x, y ≤ 10 → 8.4 */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    double a[2] = { 1, 2 }, b[2] = { 3, 1 };
    xy[0] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 10, 1);
    xy[1] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 10, 1);
    kl_lp_add_row (lp, -KL_LP_INF, 14, 2, xy, a);
    kl_lp_add_row (lp, -KL_LP_INF, 14, 2, xy, b);
    g_assert_cmpint (kl_lp_solve (lp, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat_with_epsilon (kl_lp_get_objective (lp), 8.4, 1e-9);
  }
  /* maximise 2x + 3y with x + y ≤ 5 → 15 */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    xy[0] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 2);
    xy[1] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 3);
    kl_lp_add_row (lp, -KL_LP_INF, 5, 2, xy, ones);
    g_assert_cmpint (kl_lp_solve (lp, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat_with_epsilon (kl_lp_get_objective (lp), 15, 1e-9);
  }
}

static void
test_ilps (void)
{
  KlMipParams params;
  double ones[5] = { 1, 1, 1, 1, 1 };
  int x[5];

  kl_mip_params_init (&params);

  /* maximise x1 + 2 x2 + 3 x3 with x1 + x2 + x3 ≤ 2, binary → 5 */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    for (int i = 0; i < 3; i++)
      x[i] = kl_lp_add_col (lp, KL_LP_BINARY, 0, 1, i + 1);
    kl_lp_add_row (lp, -KL_LP_INF, 2, 3, x, ones);
    g_assert_cmpint (kl_lp_solve_mip (lp, &params, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat_with_epsilon (kl_lp_get_objective (lp), 5, 1e-9);
  }
  /* five binaries summing to 3, of which at least one of the first three */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    double total = 0, first = 0;
    for (int i = 0; i < 5; i++)
      x[i] = kl_lp_add_col (lp, KL_LP_BINARY, 0, 1, 0);
    kl_lp_add_row (lp, 3, 3, 5, x, ones);
    kl_lp_add_row (lp, 1, KL_LP_INF, 3, x, ones);
    g_assert_cmpint (kl_lp_solve_mip (lp, &params, NULL, NULL), ==, KL_LP_OPTIMAL);
    for (int i = 0; i < 5; i++)
      {
        total += kl_lp_get_value (lp, x[i]);
        first += i < 3 ? kl_lp_get_value (lp, x[i]) : 0;
      }
    g_assert_cmpfloat_with_epsilon (total, 3, 1e-9);
    g_assert_cmpfloat (first, >=, 1);
  }
  /* x ≤ 5 by its bound, x ≥ 10 by a row → infeasible */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    x[0] = kl_lp_add_col (lp, KL_LP_INTEGER, 0, 5, 1);
    kl_lp_add_row (lp, 10, KL_LP_INF, 1, x, ones);
    g_assert_cmpint (kl_lp_solve_mip (lp, &params, NULL, NULL), ==, KL_LP_INFEASIBLE);
    g_assert_cmpint (kl_lp_solve (lp, NULL, NULL), ==, KL_LP_INFEASIBLE);
  }
}

/* A GLPK fatal error must never abort the process. */
static void
test_fatal_error_is_an_error (void)
{
  g_autoptr(GError) error = NULL;
  KlMipParams params;

  g_assert_false (kl_lp_provoke_fatal_error (&error));
  g_assert_error (error, KL_ERROR, KL_ERROR_SOLVER);

  /* … and the solver works again afterwards. */
  {
    g_autoptr(KlLp) lp = kl_lp_new (TRUE);
    int x = kl_lp_add_col (lp, KL_LP_BINARY, 0, 1, 1);
    kl_mip_params_init (&params);
    g_assert_cmpint (kl_lp_solve_mip (lp, &params, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat (kl_lp_get_value (lp, x), ==, 1);
  }
  kl_lp_thread_cleanup ();
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KlLp) lp = kl_lp_new (TRUE);
  g_autoptr(GError) error = NULL;
  KlMipParams params;

  kl_lp_add_col (lp, KL_LP_BINARY, 0, 1, 1);
  kl_mip_params_init (&params);
  g_cancellable_cancel (cancellable);
  g_assert_cmpint (kl_lp_solve_mip (lp, &params, cancellable, &error), ==, KL_LP_ERROR);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The dual of a maximin master (spec 4.4) over @n people and @n_rows
 * panels of @k members each. */
static KlLp *
degenerate_master (guint   n,
                   guint   k,
                   guint   n_rows,
                   guint   n_distinct,
                   guint32 seed,
                   int    *z)
{
  KlLp *lp = kl_lp_new (FALSE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree int *cols = g_new (int, n + 1);
  g_autofree double *values = g_new (double, n + 1);
  g_autofree int *y = g_new (int, n);
  g_autofree guint *panels = g_new (guint, (gsize) n_distinct * k);

  *z = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
  for (guint i = 0; i < n; i++)
    {
      y[i] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 0);
      cols[i] = y[i];
      values[i] = 1;
    }
  kl_lp_add_row (lp, 1, 1, n, cols, values);

  /* Panels: consecutive blocks until everyone is on one (as in a real
   * master, which holds only people some panel covers), then random
   * k-subsets (a partial shuffle each). */
  for (guint d = 0; d < n_distinct; d++)
    {
      g_autofree guint *order = g_new (guint, n);

      for (guint i = 0; i < n; i++)
        order[i] = (i + d * k) % n;
      if (d * k < n)
        {
          memcpy (&panels[d * k], order, k * sizeof (guint));
          continue;
        }
      for (guint m = 0; m < k; m++)
        {
          guint pick = m + g_rand_int_range (rand, 0, n - m);
          guint swap = order[m];
          order[m] = order[pick];
          order[pick] = swap;
          panels[d * k + m] = order[m];
        }
    }
  /* Σ_{i∈B} y_i − ẑ ≤ 0, each distinct panel repeated */
  for (guint r = 0; r < n_rows; r++)
    {
      const guint *panel = &panels[(r % n_distinct) * k];

      for (guint m = 0; m < k; m++)
        {
          cols[m] = y[panel[m]];
          values[m] = 1;
        }
      cols[k] = *z;
      values[k] = -1;
      kl_lp_add_row (lp, -KL_LP_INF, 0, k + 1, cols, values);
    }
  return lp;
}

/* A master whose rows are the same few panels many times over — the
 * degenerate shape that stalled the warm-started simplex — still solves,
 * to the optimum the distinct panels alone give. */
static void
test_degenerate_master (void)
{
  int z;
  g_autoptr(KlLp) many = degenerate_master (300, 30, 3000, 25, 7, &z);
  g_autoptr(KlLp) distinct = degenerate_master (300, 30, 25, 25, 7, &z);
  g_autoptr(GError) error = NULL;
  double total = 0;

  g_assert_cmpint (kl_lp_solve (distinct, NULL, &error), ==, KL_LP_OPTIMAL);
  g_assert_no_error (error);
  g_assert_cmpint (kl_lp_solve (many, NULL, &error), ==, KL_LP_OPTIMAL);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (kl_lp_get_objective (many), kl_lp_get_objective (distinct), 1e-9);

  /* The rows' duals are a distribution over the panels. */
  for (int r = 1; r < kl_lp_get_n_rows (many); r++)
    {
      g_assert_cmpfloat (kl_lp_get_row_dual (many, r), <=, 1e-9);
      total -= kl_lp_get_row_dual (many, r);
    }
  g_assert_cmpfloat_with_epsilon (total, 1, 1e-7);
}

typedef struct {
  GCancellable *cancellable;
  guint calls;
} CancelOnProgress;

static void
cancel_on_progress (gpointer data,
                    double   elapsed,
                    double   incumbent,
                    double   bound)
{
  CancelOnProgress *cancel = data;

  cancel->calls++;
  g_cancellable_cancel (cancel->cancellable);
}

/* Cancel pressed while GLPK is inside one long solve: the solve reports
 * progress from inside, notices the cancellation at GLPK's next progress
 * line and returns cancelled. */
static void
test_cancel_inside_solve (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelOnProgress cancel = { cancellable, 0 };
  g_autoptr(GError) error = NULL;
  int z;
  g_autoptr(KlLp) lp = degenerate_master (6000, 600, 3000, 3000, 11, &z);

  kl_lp_set_progress (lp, cancel_on_progress, &cancel);
  g_assert_cmpint (kl_lp_solve (lp, cancellable, &error), ==, KL_LP_ERROR);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cancel.calls, ==, 1);

  /* The thread's solver starts afresh: a new problem solves. */
  {
    g_autoptr(KlLp) fresh = kl_lp_new (TRUE);
    int x = kl_lp_add_col (fresh, KL_LP_CONTINUOUS, 0, 2, 1);

    g_assert_cmpint (kl_lp_solve (fresh, NULL, NULL), ==, KL_LP_OPTIMAL);
    g_assert_cmpfloat_with_epsilon (kl_lp_get_value (fresh, x), 2, 1e-9);
  }
}

/* A row of the stalling master, through the solver layer and to GLPK
 * alone, which counts from 1 and reads its arrays from index 1. */
static void
add_row_twice (KlLp         *lp,
               glp_prob     *raw,
               double        lower,
               double        upper,
               int           n,
               const int    *cols,
               const double *values)
{
  g_autofree int *raw_cols = g_new (int, n + 1);
  g_autofree double *raw_values = g_new (double, n + 1);
  int r = glp_add_rows (raw, 1);

  kl_lp_add_row (lp, lower, upper, n, cols, values);
  for (int e = 0; e < n; e++)
    {
      raw_cols[e + 1] = cols[e] + 1;
      raw_values[e + 1] = values[e];
    }
  glp_set_row_bnds (raw, r, lower == upper ? GLP_FX : GLP_LO, lower, upper < KL_LP_INF ? upper : 0);
  glp_set_mat_row (raw, r, n, raw_cols, raw_values);
}

/* A master on which GLPK's primal simplex stalls, made from the project's
 * own generator: random valid panels (400 legacy draws) of a 750/112 pool
 * whose quotas are narrow bands on five features, and the per-person
 * maximin master over them (maximise z s.t. Σ_{B∋i} x_B ≥ z for everyone
 * on some panel, Σ x_B = 1). Every vertex near the start has z = 0, and
 * the primal simplex without presolve (what the engine once used) is
 * still there after thousands of iterations: glpsol took over 138,000
 * iterations in 120 s without leaving z = 0, and with 300 draws instead
 * of 400 it solves at once. The dual simplex, which the solver layer
 * starts cold solves with, needs a few hundred. */
static void
test_stalling_master (void)
{
  enum { N_DRAWS = 400, PRIMAL_ITERATIONS = 5000 };
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  g_autoptr(KlLp) lp = kl_lp_new (TRUE);
  glp_prob *raw = glp_create_prob ();
  glp_smcp params;
  KlAlgorithmContext ctx = { 0 };
  g_autoptr(GError) error = NULL;
  guint n, k = 112;
  g_autofree guint *panel = g_new (guint, k);
  g_autofree int *cols = g_new (int, N_DRAWS + 2);
  g_autofree double *values = g_new (double, N_DRAWS + 2);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  int z;

  kl_generator_options_init (&options);
  options.n_people = 750;
  options.panel_size = k;
  options.n_features = 5;
  options.tightness = 1;
  options.bias = 0;
  options.household_share = 0;
  kl_test_inputs_generate (&in, &options);
  n = kl_pool_get_n_people (in.pool);

  /* who sits on which draw */
  ctx.pool = in.pool;
  ctx.quotas = kl_pool_get_quotas (in.pool);
  ctx.k = k;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (members, g_array_new (FALSE, FALSE, sizeof (int)));
  for (guint d = 0; d < N_DRAWS; d++)
    {
      ctx.random = kl_random_new (d + 1);
      g_assert_true (kl_legacy_select (&ctx, 100, panel, &error));
      g_assert_no_error (error);
      g_clear_pointer (&ctx.random, kl_random_free);
      for (guint m = 0; m < k; m++)
        g_array_append_val (g_ptr_array_index (members, panel[m]), d);
    }

  /* the same LP twice: through the solver layer, and as GLPK alone */
  z = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 1);
  kl_lp_add_cols (lp, N_DRAWS, KL_LP_CONTINUOUS, 0, 1);
  glp_set_obj_dir (raw, GLP_MAX);
  glp_add_cols (raw, N_DRAWS + 1);
  for (guint c = 1; c <= N_DRAWS + 1; c++)
    glp_set_col_bnds (raw, c, GLP_DB, 0, 1);
  glp_set_obj_coef (raw, z + 1, 1);
  for (guint i = 0; i < n; i++)
    {
      GArray *draws = g_ptr_array_index (members, i);

      if (draws->len == 0)
        continue;
      for (guint e = 0; e < draws->len; e++)
        {
          cols[e] = z + 1 + g_array_index (draws, int, e);
          values[e] = 1;
        }
      cols[draws->len] = z;
      values[draws->len] = -1;
      add_row_twice (lp, raw, 0, KL_LP_INF, draws->len + 1, cols, values);
    }
  for (guint d = 0; d < N_DRAWS; d++)
    {
      cols[d] = z + 1 + d;
      values[d] = 1;
    }
  add_row_twice (lp, raw, 1, 1, N_DRAWS, cols, values);

  g_assert_cmpint (kl_lp_solve (lp, NULL, &error), ==, KL_LP_OPTIMAL);
  g_assert_no_error (error);
  g_assert_cmpfloat (kl_lp_get_objective (lp), >, 0.05);

  glp_init_smcp (&params);
  params.msg_lev = GLP_MSG_OFF;
  params.meth = GLP_PRIMAL;
  params.presolve = GLP_OFF;
  params.it_lim = PRIMAL_ITERATIONS;
  g_assert_cmpint (glp_simplex (raw, &params), ==, GLP_EITLIM);
  g_test_message ("primal simplex after %d iterations: z = %g; the solver layer: z = %g",
                  PRIMAL_ITERATIONS, glp_get_obj_val (raw), kl_lp_get_objective (lp));
  g_assert_cmpfloat (glp_get_obj_val (raw), <, kl_lp_get_objective (lp) / 2);

  glp_delete_prob (raw);
  kl_test_inputs_clear (&in);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/lp/lps", test_lps);
  g_test_add_func ("/lp/ilps", test_ilps);
  g_test_add_func ("/lp/fatal-error-is-an-error", test_fatal_error_is_an_error);
  g_test_add_func ("/lp/cancelled", test_cancelled);
  g_test_add_func ("/lp/degenerate-master", test_degenerate_master);
  g_test_add_func ("/lp/cancel-inside-solve", test_cancel_inside_solve);
  g_test_add_func ("/lp/stalling-master", test_stalling_master);

  return g_test_run ();
}
