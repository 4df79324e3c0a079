/* test-nash.c — maximum Nash welfare (spec 4.5, Appendix A, 10.8): the
 * convex solver on its own, the worked examples, brute force over every
 * panel of small pools, the certificate, progress and cancellation, and
 * the library's reference values when the reference instances are present
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-algorithm-private.h"
#include "kl-nash-solver-private.h"

#include <math.h>
#include <stdlib.h>

static const char *address_settings =
  "id_column = \"id\"\ncheck_same_address = true\ncheck_same_address_columns = [\"home\", \"street\"]\n";

/* ---- the solver on its own ---------------------------------------------- */

/* Every column's gradient at most Σ w + tolerance; the columns that carry
 * weight at the average (complementary slackness). */
static void
assert_optimal (KlNashSolver *solver,
                guint         n_rows,
                const double *w,
                GPtrArray    *columns,
                double        tolerance)
{
  const double *q = kl_nash_solver_get_row_values (solver);
  const double *lambda = kl_nash_solver_get_weights (solver);
  double total = 0, weight_sum = 0, objective = 0;

  for (guint r = 0; r < n_rows; r++)
    {
      total += w[r];
      g_assert_cmpfloat (q[r], >, 0);
      objective += w[r] * log (q[r]);
    }
  g_assert_cmpfloat_with_epsilon (objective, kl_nash_solver_get_objective (solver), 1e-9);
  for (guint c = 0; c < columns->len; c++)
    {
      const double *column = g_ptr_array_index (columns, c);  /* dense, n_rows */
      double d = 0;

      g_assert_cmpfloat (lambda[c], >=, 0);
      weight_sum += lambda[c];
      for (guint r = 0; r < n_rows; r++)
        d += w[r] * column[r] / q[r];
      g_assert_cmpfloat (d, <=, total + tolerance);
      if (lambda[c] > 1e-6)
        g_assert_cmpfloat (d, >=, total - 1e-4);
    }
  g_assert_cmpfloat_with_epsilon (weight_sum, 1, 1e-9);
}

static void
add_dense_column (KlNashSolver *solver,
                  GPtrArray    *columns,
                  const double *column,
                  guint         n_rows)
{
  g_autofree guint *rows = g_new (guint, n_rows);
  g_autofree double *values = g_new (double, n_rows);
  guint n = 0;

  for (guint r = 0; r < n_rows; r++)
    if (column[r] > 0)
      {
        rows[n] = r;
        values[n++] = column[r];
      }
  kl_nash_solver_add_column (solver, n, rows, values);
  g_ptr_array_add (columns, g_memdup2 (column, n_rows * sizeof (double)));
}

/* Two people, two panels of one: each gets 1/2. A third panel seating
 * both (k = 2 for a moment) beats both: all weight goes to it. */
static void
test_solver_small (void)
{
  const double w[2] = { 1, 1 };
  g_autoptr(KlNashSolver) solver = kl_nash_solver_new (2, w);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  add_dense_column (solver, columns, (double[]) { 1, 0 }, 2);
  add_dense_column (solver, columns, (double[]) { 0, 1 }, 2);
  g_assert_true (kl_nash_solver_solve (solver, 1e-10, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (kl_nash_solver_get_weights (solver)[0], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (kl_nash_solver_get_objective (solver), 2 * log (0.5), 1e-9);
  assert_optimal (solver, 2, w, columns, 1e-10);

  add_dense_column (solver, columns, (double[]) { 1, 1 }, 2);
  g_assert_true (kl_nash_solver_solve (solver, 1e-10, NULL, &error));
  g_assert_cmpfloat_with_epsilon (kl_nash_solver_get_weights (solver)[2], 1, 1e-6);
  g_assert_cmpfloat_with_epsilon (kl_nash_solver_get_objective (solver), 0, 1e-6);
}

/* Random problems, columns added a few at a time as column generation
 * does: optimal at every solve, the objective never falling. */
static void
test_solver_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);

  for (guint instance = 0; instance < 30; instance++)
    {
      guint n_rows = g_rand_int_range (rand, 2, 40);
      guint n_columns = g_rand_int_range (rand, 1, 120);
      g_autofree double *w = g_new (double, n_rows);
      g_autoptr(KlNashSolver) solver = NULL;
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
      g_autofree double *column = g_new (double, n_rows);
      double last = -INFINITY;

      for (guint r = 0; r < n_rows; r++)
        w[r] = g_rand_int_range (rand, 1, 6);
      solver = kl_nash_solver_new (n_rows, w);

      /* First, columns covering every row. */
      for (guint r = 0; r < n_rows; r++)
        {
          for (guint s = 0; s < n_rows; s++)
            column[s] = s == r || g_rand_double (rand) < 0.2 ? g_rand_double_range (rand, 0.05, 1) : 0;
          add_dense_column (solver, columns, column, n_rows);
        }
      for (guint c = 0; c < n_columns; c++)
        {
          g_autoptr(GError) error = NULL;

          for (guint s = 0; s < n_rows; s++)
            column[s] = g_rand_double (rand) < 0.3 ? g_rand_double_range (rand, 0.05, 1) : 0;
          add_dense_column (solver, columns, column, n_rows);
          if (c % 10 != 9 && c + 1 < n_columns)
            continue;
          g_assert_true (kl_nash_solver_solve (solver, 1e-9, NULL, &error));
          g_assert_no_error (error);
          assert_optimal (solver, n_rows, w, columns, 1e-9);
          g_assert_cmpfloat (kl_nash_solver_get_objective (solver), >=, last - 1e-9);
          last = kl_nash_solver_get_objective (solver);
        }
    }
}

static void
test_solver_cancelled (void)
{
  const double w[2] = { 1, 1 };
  g_autoptr(KlNashSolver) solver = kl_nash_solver_new (2, w);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  kl_nash_solver_add_column (solver, 1, (guint[]) { 0 }, (double[]) { 1 });
  kl_nash_solver_add_column (solver, 1, (guint[]) { 1 }, (double[]) { 1 });
  g_cancellable_cancel (cancellable);
  g_assert_false (kl_nash_solver_solve (solver, 1e-9, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- runs ---------------------------------------------------------------- */

static KlRun *
run_nash (KlTestInputs *in,
          guint         k,
          GError      **error)
{
  return kl_test_run (in, KL_ALGORITHM_NASH, k, 42, NULL, NULL, error);
}

static double
welfare_of (KlRun *run)
{
  const double *p = kl_run_get_probabilities (run);
  double welfare = 0;

  for (guint i = 0; i < kl_pool_get_n_people (kl_run_get_pool (run)); i++)
    if (p[i] > 0)
      welfare += log (p[i]);
  return welfare;
}

static void
test_example4_cannot_relax (void)
{
  kl_test_assert_example4_cannot_relax (KL_ALGORITHM_NASH);
}

/* Grace's panel with weight 3/7: male liberals 6/7, frank and elinor 4/7. */
static void
test_example5 (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  run = run_nash (&in, 5, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 5);
  for (const char *const *id = (const char *[]) { "adam", "brian", "cameron", "dave", NULL }; *id; id++)
    g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, *id), 6.0 / 7, 1e-3);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "frank"), 4.0 / 7, 1e-3);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "elinor"), 4.0 / 7, 1e-3);
  g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, "grace"), 3.0 / 7, 1e-3);
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "using_nash_algorithm"));
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "scaled_nash_welfare"));
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "nash_welfare"));

  /* The audit record carries the welfare and its certified gap. */
  {
    g_autoptr(JsonNode) record = kl_run_to_json (run, NULL, 0);
    g_autofree char *text = json_to_string (record, FALSE);
    const char *line = strstr (text, "\"nash_welfare\"");

    g_assert_nonnull (strstr (text, "\"algorithm\":\"nash\""));
    g_assert_nonnull (line);
    g_assert_nonnull (strstr (line, "\"welfare\""));
    g_assert_nonnull (strstr (line, "\"gap\""));
  }
  kl_test_inputs_clear (&in);
}

static void
test_example6 (void)
{
  const char *kinds[6][3] = {
    { "v1", "v1", "v3" }, { "v1", "v3", "v1" }, { "v3", "v1", "v1" },
    { "v2", "v2", "v3" }, { "v2", "v3", "v2" }, { "v3", "v2", "v2" },
  };
  g_autoptr(GString) pool = g_string_new ("id,f1,f2,f3\n");
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  for (guint kind = 0; kind < 6; kind++)
    for (guint i = 0; i < 10; i++)
      g_string_append_printf (pool, "p%u,%s,%s,%s\n", kind * 10 + i + 1, kinds[kind][0], kinds[kind][1], kinds[kind][2]);
  g_string_append (pool, "p61,v3,v3,v3\n");

  kl_test_inputs_load (&in, "feature,value,min,max\nf1,v1,15,46\nf1,v2,15,46\nf1,v3,0,46\n"
                            "f2,v1,15,46\nf2,v2,15,46\nf2,v3,0,46\nf3,v1,15,46\nf3,v2,15,46\nf3,v3,0,46\n",
                       pool->str, NULL);
  run = run_nash (&in, 46, &error);
  g_assert_no_error (error);
  kl_test_assert_valid_distribution (run, 46);
  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *id = g_strdup_printf ("p%u", i);
      g_assert_cmpfloat_with_epsilon (kl_test_probability_of (run, id), 46.0 / 60, 1e-2);
    }
  g_assert_cmpfloat (kl_test_probability_of (run, "p61"), ==, 0);
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "agent_not_in_feasible_committee"));
  kl_test_inputs_clear (&in);
}

/* ---- brute force ------------------------------------------------------- */

/* The optimum over every valid panel, solved at the level of people, and
 * proved optimal by enumeration: no panel's Σ 1/p_i exceeds |covered| by
 * more than 1e-7. Returns -INFINITY when no panel exists. */
static double
brute_force_nash (KlPool *pool,
                  guint   k)
{
  guint n = kl_pool_get_n_people (pool);
  g_autoptr(GPtrArray) valid = g_ptr_array_new_with_free_func (g_free);
  g_autofree int *row = g_new (int, n);
  g_autofree guint *pick = g_new (guint, k);
  g_autofree double *w = NULL;
  g_autoptr(KlNashSolver) solver = NULL;
  const double *q;
  guint n_rows = 0;
  double welfare = 0;

  for (guint i = 0; i < n; i++)
    row[i] = -1;
  for (guint mask = 0; mask < (1u << n); mask++)
    {
      g_autoptr(GPtrArray) breaches = kl_messages_new ();
      guint m = 0;

      if ((guint) __builtin_popcount (mask) != k)
        continue;
      for (guint i = 0; i < n; i++)
        if (mask & (1u << i))
          pick[m++] = i;
      if (kl_panel_check (pool, pick, k, k, breaches))
        g_ptr_array_add (valid, g_memdup2 (pick, k * sizeof (guint)));
    }
  if (valid->len == 0)
    return -INFINITY;

  for (guint c = 0; c < valid->len; c++)
    for (guint m = 0; m < k; m++)
      if (row[((guint *) g_ptr_array_index (valid, c))[m]] < 0)
        row[((guint *) g_ptr_array_index (valid, c))[m]] = n_rows++;
  w = g_new (double, n_rows);
  for (guint r = 0; r < n_rows; r++)
    w[r] = 1;
  solver = kl_nash_solver_new (n_rows, w);
  for (guint c = 0; c < valid->len; c++)
    {
      g_autofree guint *rows = g_new (guint, k);
      g_autofree double *ones = g_new (double, k);

      for (guint m = 0; m < k; m++)
        {
          rows[m] = row[((guint *) g_ptr_array_index (valid, c))[m]];
          ones[m] = 1;
        }
      kl_nash_solver_add_column (solver, k, rows, ones);
    }
  g_assert_true (kl_nash_solver_solve (solver, 1e-10, NULL, NULL));

  q = kl_nash_solver_get_row_values (solver);
  for (guint c = 0; c < valid->len; c++)
    {
      double value = 0;
      for (guint m = 0; m < k; m++)
        value += 1.0 / q[row[((guint *) g_ptr_array_index (valid, c))[m]]];
      g_assert_cmpfloat (value, <=, n_rows + 1e-7);
    }
  for (guint r = 0; r < n_rows; r++)
    welfare += log (q[r]);
  return welfare;
}

/* The welfare and certified gap of every progress update. */
static void
certified_bounds (KlRecordingReporter *reporter,
                  GArray              *welfare,
                  GArray              *gap)
{
  for (guint e = 0; e < reporter->events->len; e++)
    {
      const char *event = kl_recording_reporter_event (reporter, e);
      const char *w = strstr (event, "Nash welfare ");
      const char *g = strstr (event, "certified gap ");
      double value;

      if (!g_str_has_prefix (event, "update") || w == NULL || g == NULL)
        continue;
      value = g_ascii_strtod (w + strlen ("Nash welfare "), NULL);
      g_array_append_val (welfare, value);
      value = g_ascii_strtod (g + strlen ("certified gap "), NULL);
      g_array_append_val (gap, value);
    }
}

static void
test_against_brute_force (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  guint compared = 0;

  for (guint instance = 0; instance < 40; instance++)
    {
      guint n = g_rand_int_range (rand, 6, 12);
      guint k = g_rand_int_range (rand, 2, 5);
      gboolean households = g_rand_boolean (rand);
      g_autoptr(GString) pool = g_string_new ("id,a,b,home,street\n");
      g_autoptr(GString) quotas = g_string_new ("feature,value,min,max\n");
      g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
      g_autoptr(GArray) welfare = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) gap = g_array_new (FALSE, FALSE, sizeof (double));
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;
      double expected;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (pool, "p%u,a%d,b%d,h%d,s\n", i, g_rand_int_range (rand, 0, 2),
                                g_rand_int_range (rand, 0, 3),
                                households ? g_rand_int_range (rand, 0, n - 1) : (int) i);
      g_string_append_printf (quotas, "a,a0,%d,%u\na,a1,%d,%u\n", g_rand_int_range (rand, 0, 2), k,
                              g_rand_int_range (rand, 0, 2), k);
      g_string_append_printf (quotas, "b,b0,0,%d\nb,b1,%d,%u\nb,b2,0,%u\n", g_rand_int_range (rand, 1, 3),
                              g_rand_int_range (rand, 0, 2), k, k);

      kl_test_inputs_load (&in, quotas->str, pool->str, households ? address_settings : NULL);
      expected = brute_force_nash (in.pool, k);
      run = kl_test_run (&in, KL_ALGORITHM_NASH, k, instance + 1, KL_PROGRESS_REPORTER (reporter), NULL, &error);
      if (expected == -INFINITY)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == KL_ERROR);
          kl_test_inputs_clear (&in);
          continue;
        }
      g_assert_no_error (error);
      kl_test_assert_valid_distribution (run, k);
      g_assert_cmpfloat (fabs (welfare_of (run) - expected), <=, 1e-4);

      /* At every iteration the welfare plus the certified gap is at least
       * the optimum (printed to 4 decimals, hence the slack). */
      certified_bounds (reporter, welfare, gap);
      g_assert_cmpuint (welfare->len, >=, 1);
      for (guint t = 0; t < welfare->len; t++)
        g_assert_cmpfloat (g_array_index (welfare, double, t) + g_array_index (gap, double, t), >=, expected - 1e-4);
      compared++;
      kl_test_inputs_clear (&in);
    }
  g_assert_cmpuint (compared, >=, 20);
}

/* ---- progress and cancellation ----------------------------------------- */

static void
test_phases (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, kl_test_example5_quotas, kl_test_example5_pool, NULL);
  run = kl_test_run (&in, KL_ALGORITHM_NASH, 5, 1, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);
  /* multiplicative weights over 2n rounds, then the optimisation. */
  g_assert_true (g_str_has_prefix (kl_recording_reporter_event (reporter, 0), "start multiplicative_weights 14 |"));
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start nash_optimization -1 |"), ==, 1);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start"), ==, kl_recording_reporter_count (reporter, "end"));
  g_assert_cmpstr (kl_recording_reporter_event (reporter, reporter->events->len - 1), ==, "end");
  kl_test_inputs_clear (&in);
}

static void
test_cancel_in_each_phase (void)
{
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  const char *phases[] = { "multiplicative_weights", "nash_optimization", "building_panels" };

  kl_generator_options_init (&options);
  options.n_people = 200;
  options.panel_size = 20;
  kl_test_inputs_generate (&in, &options);

  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    kl_test_assert_cancel_in_phase (&in, KL_ALGORITHM_NASH, 20, phases[p]);
  kl_test_inputs_clear (&in);
}

/* ---- the library's reference values ------------------------------------- */

static char *
instance_folder (const char *name)
{
  const char *root = g_getenv ("KL_SOURCE_ROOT");

  return g_build_filename (root ? root : ".", "..", "shared", "instances", name, NULL);
}

/* Σ log p_i from the Python library on the same inputs: ours must be as
 * high within 1e-3 relative (the small instances; the benchmark has all). */
static void
test_reference_values (void)
{
  const struct {
    const char *name;
    double welfare;
  } references[] = {
    { "fixtures_150_22", -292.8919 },
    { "synth_150_22", -287.93893 },
    { "pgoelz_example_small_20", -460.51702 },
  };
  guint found = 0;

  for (guint r = 0; r < G_N_ELEMENTS (references); r++)
    {
      g_autofree char *folder = instance_folder (references[r].name);
      KlTestInputs in = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(KlRun) run = NULL;
      guint k;

      if (!kl_test_inputs_load_instance (&in, folder, &k))
        continue;
      found++;
      run = run_nash (&in, k, &error);
      g_assert_no_error (error);
      kl_test_assert_valid_distribution (run, k);
      g_test_message ("%s: Σ log p = %.6f (library %.6f)", references[r].name, welfare_of (run), references[r].welfare);
      g_assert_cmpfloat (welfare_of (run), >=, references[r].welfare - 1e-3 * fabs (references[r].welfare));
      kl_test_inputs_clear (&in);
    }
  if (found == 0)
    g_test_skip ("the reference instances are not next to the source tree");
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/nash/solver/small", test_solver_small);
  g_test_add_func ("/nash/solver/random", test_solver_random);
  g_test_add_func ("/nash/solver/cancelled", test_solver_cancelled);
  g_test_add_func ("/nash/example4-cannot-relax", test_example4_cannot_relax);
  g_test_add_func ("/nash/example5", test_example5);
  g_test_add_func ("/nash/example6", test_example6);
  g_test_add_func ("/nash/against-brute-force", test_against_brute_force);
  g_test_add_func ("/nash/phases", test_phases);
  g_test_add_func ("/nash/cancel-in-each-phase", test_cancel_in_each_phase);
  g_test_add_func ("/nash/reference-values", test_reference_values);

  return g_test_run ();
}
