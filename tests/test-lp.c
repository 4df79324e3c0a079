/* test-lp.c — the GLPK layer (spec 4.11, 10.16)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-lp-private.h"

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

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/lp/lps", test_lps);
  g_test_add_func ("/lp/ilps", test_ilps);
  g_test_add_func ("/lp/fatal-error-is-an-error", test_fatal_error_is_an_error);
  g_test_add_func ("/lp/cancelled", test_cancelled);

  return g_test_run ();
}
