/* kl-nash.c — the distribution over panels that maximises the product of
 * everyone's chances (spec 4.5)
 *
 * Column generation, as for maximin: a restricted problem over the panels
 * known so far, then a search for a panel that would improve it. Two
 * differences from the library:
 *
 *  - The restricted problem is solved where it is small. People of one
 *    group of the panel model (same values, no housemate in the pool) are
 *    interchangeable, and Σ log p_i is concave, so averaging any
 *    distribution over the ways of swapping them never lowers the welfare:
 *    some optimum gives every member of a group the same chance. A panel
 *    then matters only by how many members of each group it seats, and
 *    the problem has one row per group and one column per distinct count
 *    vector (kl-nash-solver.c solves it). At the end each count vector is
 *    turned back into panels of people by rotating seats within each group
 *    (see expand_column), which gives every member exactly the group's chance.
 *
 *  - Every iteration carries a certificate. For the current chances p and
 *    the panel B* heaviest under weights 1/p_i (the pricing solve), concavity
 *    gives  f(opt) − f(p) ≤ Σ_{i∈B*} 1/p_i − |covered|  for f = Σ log p_i.
 *    The pricing solve's bound makes this a proven bound on how far the
 *    welfare is from the best possible, reported as the certified gap; the
 *    loop stops when it is below min(10⁻³·|covered|, 0.1), which is at least
 *    as strict as the library's stopping rule (its 0.1 on the same quantity
 *    measured against the restricted problem's largest gradient).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-committees-private.h"
#include "kl-nash-solver-private.h"

#include <math.h>
#include <stdlib.h>

/* The library's stopping tolerance (spec 4.10, EPS_NASH). */
#define EPS_NASH 0.1
#define RELATIVE_TOLERANCE 1e-3

typedef struct {
  guint group;
  guint count;
} Seats;

typedef struct {
  KlCommitteeModel *model;
  guint n_groups;
  guint *group_of;        /* per person */
  guint *group_size;      /* per group */
  int *row_of_group;      /* -1 for a group nobody of which can sit */
  guint n_rows;
  GPtrArray *columns;     /* of GArray of Seats, sorted by group */
  GHashTable *index;      /* GBytes of the Seats → column + 1 */
  KlNashSolver *solver;
} Aggregate;

static void
aggregate_init (Aggregate    *self,
                KlCommitteeModel *model,
                KlCommittees *committees)
{
  g_autofree double *row_weights = NULL;

  self->model = model;
  self->n_groups = kl_committee_model_get_n_groups (model);
  self->group_of = g_new (guint, MAX (committees->n, 1));
  self->group_size = g_new (guint, MAX (self->n_groups, 1));
  self->row_of_group = g_new (int, MAX (self->n_groups, 1));
  row_weights = g_new (double, MAX (self->n_groups, 1));
  self->n_rows = 0;

  for (guint g = 0; g < self->n_groups; g++)
    {
      const guint *members;
      guint size = kl_committee_model_get_group (model, g, &members);

      self->group_size[g] = size;
      for (guint m = 0; m < size; m++)
        self->group_of[members[m]] = g;
      /* One member covered means all are: swap them on the same panel. */
      self->row_of_group[g] = committees->covered[members[0]] ? (int) self->n_rows : -1;
      if (self->row_of_group[g] >= 0)
        row_weights[self->n_rows++] = size;
    }

  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->index = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  self->solver = kl_nash_solver_new (self->n_rows, row_weights);
}

static void
aggregate_clear (Aggregate *self)
{
  g_free (self->group_of);
  g_free (self->group_size);
  g_free (self->row_of_group);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->solver, kl_nash_solver_free);
}

static int
compare_seats (gconstpointer a,
               gconstpointer b)
{
  guint x = ((const Seats *) a)->group, y = ((const Seats *) b)->group;
  return (x > y) - (x < y);
}

/* The panel's seats per group as a column; FALSE if that column exists. */
static gboolean
aggregate_add (Aggregate   *self,
               const guint *committee,
               guint        k)
{
  g_autoptr(GArray) seats = g_array_new (FALSE, FALSE, sizeof (Seats));
  g_autoptr(GBytes) key = NULL;
  g_autofree guint *rows = NULL;
  g_autofree double *values = NULL;
  guint n = 0;

  for (guint m = 0; m < k; m++)
    {
      Seats seat = { self->group_of[committee[m]], 1 };
      g_array_append_val (seats, seat);
    }
  g_array_sort (seats, compare_seats);
  for (guint s = 0; s < seats->len; s++)
    {
      Seats *seat = &g_array_index (seats, Seats, s);
      if (n > 0 && g_array_index (seats, Seats, n - 1).group == seat->group)
        g_array_index (seats, Seats, n - 1).count++;
      else
        g_array_index (seats, Seats, n++) = *seat;
    }
  g_array_set_size (seats, n);

  key = g_bytes_new (seats->data, seats->len * sizeof (Seats));
  if (g_hash_table_contains (self->index, key))
    return FALSE;

  rows = g_new (guint, MAX (n, 1));
  values = g_new (double, MAX (n, 1));
  for (guint s = 0; s < n; s++)
    {
      const Seats *seat = &g_array_index (seats, Seats, s);

      g_assert (self->row_of_group[seat->group] >= 0);
      rows[s] = self->row_of_group[seat->group];
      values[s] = (double) seat->count / self->group_size[seat->group];
    }
  kl_nash_solver_add_column (self->solver, n, rows, values);
  g_hash_table_insert (self->index, g_steal_pointer (&key), GUINT_TO_POINTER (self->columns->len + 1));
  g_ptr_array_add (self->columns, g_steal_pointer (&seats));
  return TRUE;
}

/* Each person's chance under the current solution (0 if they cannot sit). */
static void
aggregate_chances (Aggregate *self,
                   guint      n,
                   double    *chances)
{
  const double *q = kl_nash_solver_get_row_values (self->solver);

  for (guint i = 0; i < n; i++)
    {
      int row = self->row_of_group[self->group_of[i]];
      chances[i] = row >= 0 ? q[row] : 0;
    }
}

/* How many windows a group of @size with @seats needs (see expand_column). */
static guint
window_period (guint seats,
               guint size)
{
  guint a = seats, b = size;

  if (seats == 0 || seats >= size)
    return 1;
  while (b != 0)
    {
      guint r = a % b;
      a = b;
      b = r;
    }
  return size / a;
}

/* Panels of people for one count vector, with weight @weight in all.
 *
 * A group of s members with a seats: put the members on a circle and let
 * window j be the a members from position j·a on. The first s/gcd(a, s)
 * windows wrap around the circle exactly a/gcd(a, s) times, so each member
 * is in that many of them: drawing one of them uniformly gives everyone
 * a/s. All groups draw with one uniform u (window ⌊u·period⌋), so the
 * panels change only where some j/period is crossed: tens of panels per
 * vector, not a product over groups. */
static void
expand_column (Aggregate  *self,
               GArray     *seats,
               double      weight,
               guint       k,
               GHashTable *found,
               KlDistribution *distribution)
{
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *committee = g_new (guint, MAX (k, 1));
  g_autoptr(GHashTable) periods = g_hash_table_new (NULL, NULL);
  double zero = 0, one = 1;
  guint n_cuts = 0;

  g_array_append_val (cuts, zero);
  g_array_append_val (cuts, one);
  for (guint s = 0; s < seats->len; s++)
    {
      const Seats *seat = &g_array_index (seats, Seats, s);
      guint period = window_period (seat->count, self->group_size[seat->group]);

      if (period == 1 || g_hash_table_contains (periods, GUINT_TO_POINTER (period)))
        continue;
      g_hash_table_add (periods, GUINT_TO_POINTER (period));
      for (guint j = 1; j < period; j++)
        {
          double cut = (double) j / period;
          g_array_append_val (cuts, cut);
        }
    }
  g_array_sort (cuts, kl_compare_double);
  /* j/p and j'/p' of one value are the same double: keep one */
  for (guint c = 0; c < cuts->len; c++)
    if (n_cuts == 0 || g_array_index (cuts, double, c) > g_array_index (cuts, double, n_cuts - 1))
      g_array_index (cuts, double, n_cuts++) = g_array_index (cuts, double, c);
  g_array_set_size (cuts, n_cuts);

  for (guint c = 0; c + 1 < cuts->len; c++)
    {
      double low = g_array_index (cuts, double, c), high = g_array_index (cuts, double, c + 1);
      double u = (low + high) / 2, probability = weight * (high - low);
      g_autoptr(GBytes) key = NULL;
      gpointer position;
      guint taken = 0;

      if (high <= low)
        continue;
      for (guint s = 0; s < seats->len; s++)
        {
          const Seats *seat = &g_array_index (seats, Seats, s);
          const guint *members;
          guint size = kl_committee_model_get_group (self->model, seat->group, &members);
          guint window = (guint) floor (u * window_period (seat->count, size));

          for (guint t = 0; t < seat->count; t++)
            committee[taken++] = members[((gsize) window * seat->count + t) % size];
        }
      g_assert (taken == k);
      qsort (committee, k, sizeof (guint), kl_compare_uint);

      key = g_bytes_new (committee, k * sizeof (guint));
      if (g_hash_table_lookup_extended (found, key, NULL, &position))
        g_array_index (distribution->probabilities, double, GPOINTER_TO_UINT (position)) += probability;
      else
        {
          g_hash_table_insert (found, g_steal_pointer (&key), GUINT_TO_POINTER (distribution->committees->len));
          g_ptr_array_add (distribution->committees, g_memdup2 (committee, k * sizeof (guint)));
          g_array_append_val (distribution->probabilities, probability);
        }
    }
}

static KlDistribution *
aggregate_expand (Aggregate     *self,
                  guint          k,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(KlDistribution) distribution = kl_distribution_new ();
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                       (GDestroyNotify) g_bytes_unref, NULL);
  const double *lambda = kl_nash_solver_get_weights (self->solver);

  for (guint c = 0; c < self->columns->len; c++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (lambda[c] > 0)
        expand_column (self, g_ptr_array_index (self->columns, c), lambda[c], k, found, distribution);
    }
  return g_steal_pointer (&distribution);
}

/* Keeps the bar moving during a long inner solve or pricing search. */
typedef struct {
  KlProgress *progress;
  guint iteration;
  guint n_columns;
} Heartbeat;

static void
on_solver_progress (gpointer data,
                    guint    steps,
                    double   gap)
{
  Heartbeat *beat = data;

  kl_progress_update (beat->progress, beat->iteration,
                      _("Iteration %u: %u panels, balancing chances (%u steps so far)"),
                      beat->iteration, beat->n_columns, steps);
}

static void
on_pricing_progress (gpointer data,
                     double   elapsed_seconds,
                     double   incumbent,
                     double   bound)
{
  Heartbeat *beat = data;

  kl_progress_update (beat->progress, beat->iteration,
                      _("Iteration %u: %u panels, looking for a better panel (%.0f s)"),
                      beat->iteration, beat->n_columns, elapsed_seconds);
}

static void
report_welfare (KlAlgorithmContext *ctx,
                double              welfare,
                guint               n_covered)
{
  g_autofree char *scaled = NULL;

  if (ctx->report == NULL)
    return;
  scaled = g_strdup_printf ("%.6f", welfare - n_covered * log ((double) ctx->k / n_covered));
  kl_message_set_param (kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "scaled_nash_welfare"),
                        "scaled_welfare", scaled);
}

static void
report_result (KlAlgorithmContext *ctx,
               double              welfare,
               double              gap,
               guint               iterations,
               guint               n_committees)
{
  g_autofree char *welfare_text = g_strdup_printf ("%.6f", welfare);
  g_autofree char *bound_text = g_strdup_printf ("%.6f", welfare + gap);
  g_autofree char *gap_text = g_strdup_printf ("%.6f", gap);
  KlMessage *m;

  if (ctx->report == NULL)
    return;
  m = kl_report_add_line (ctx->report, KL_LEVEL_IMPORTANT, "nash_welfare");
  kl_message_set_param (m, "welfare", welfare_text);
  kl_message_set_param (m, "bound", bound_text);
  kl_message_set_param (m, "gap", gap_text);
  kl_message_set_param_int (m, "iterations", iterations);
  kl_message_set_param_int (m, "num_committees", n_committees);
}

/**
 * kl_nash_run:
 *
 * The maximum-Nash-welfare distribution over valid panels, with the
 * certified gap in the report. Fails with %KL_ERROR_INFEASIBLE or
 * %KL_ERROR_CANNOT_RELAX when no panel meets the quotas.
 */
KlDistribution *
kl_nash_run (KlAlgorithmContext  *ctx,
             GError             **error)
{
  g_autoptr(KlCommitteeModel) model = NULL;
  g_autoptr(KlCommittees) committees = NULL;
  g_autofree guint *committee = g_new (guint, MAX (ctx->k, 1));
  g_autofree double *chances = NULL;
  g_autofree double *prices = NULL;
  guint n = kl_pool_get_n_people (ctx->pool);
  Aggregate aggregate = { 0 };
  Heartbeat beat = { ctx->progress, 0, 0 };
  KlDistribution *distribution = NULL;
  double tolerance, inner_tolerance, welfare = -INFINITY, certified = INFINITY;
  gboolean ok = FALSE;
  guint t;

  if (ctx->report)
    kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "using_nash_algorithm");

  model = kl_committees_build_model (ctx, committee, error);
  if (model == NULL)
    return NULL;
  committees = kl_committees_initial (ctx, model, 2 * n, error);
  if (committees == NULL)
    return NULL;

  tolerance = MIN (RELATIVE_TOLERANCE * committees->n_covered, EPS_NASH);
  inner_tolerance = MIN (1e-6 * committees->n_covered, 0.01 * tolerance);
  chances = g_new0 (double, MAX (n, 1));
  prices = g_new0 (double, MAX (n, 1));

  aggregate_init (&aggregate, model, committees);
  kl_nash_solver_set_progress (aggregate.solver, on_solver_progress, &beat);
  for (guint c = 0; c < committees->list->len; c++)
    aggregate_add (&aggregate, g_ptr_array_index (committees->list, c), ctx->k);

  kl_progress_start (ctx->progress, KL_PHASE_NASH_OPTIMIZATION, KL_PROGRESS_UNKNOWN_TOTAL,
                     _("Optimising the Nash welfare distribution"));

  for (t = 1; ; t++)
    {
      KlMipParams params;
      KlPricing pricing;

      beat.iteration = t;
      beat.n_columns = aggregate.columns->len;
      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        break;
      if (!kl_nash_solver_solve (aggregate.solver, inner_tolerance, ctx->cancellable, error))
        break;
      welfare = kl_nash_solver_get_objective (aggregate.solver);
      report_welfare (ctx, welfare, committees->n_covered);

      aggregate_chances (&aggregate, n, chances);
      for (guint i = 0; i < n; i++)
        {
          if (chances[i] > 0 && chances[i] <= 1e-8)
            {
              g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                           _("The Nash welfare solver left someone a chance of %g."), chances[i]);
              goto out;
            }
          prices[i] = chances[i] > 0 ? 1.0 / chances[i] : 0;
        }

      /* Branch and bound may stop as soon as no panel can beat the
       * tolerance: that proves convergence without finding the best. */
      kl_mip_params_init (&params);
      params.stop_if_bound_below = committees->n_covered + tolerance;
      params.progress = on_pricing_progress;
      params.progress_data = &beat;
      if (!kl_committee_model_find (model, prices, &params, committee, &pricing, ctx->cancellable, error))
        break;
      if (pricing.status == KL_LP_INFEASIBLE)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                               _("The solver found no panel in a round although one exists."));
          break;
        }
      certified = MAX (pricing.bound - committees->n_covered, 0);

      kl_progress_update (ctx->progress, t, _("Iteration %u: %u panels, Nash welfare %.4f, certified gap %.4f"),
                          t, aggregate.columns->len, welfare, certified);
      g_debug ("Nash iteration %u: welfare %.6f, best panel worth %.6f for %u covered, restricted gap %.3g",
               t, welfare, pricing.value, committees->n_covered, kl_nash_solver_get_gap (aggregate.solver));

      if (pricing.status == KL_LP_BOUND_REACHED || certified <= tolerance)
        {
          ok = TRUE;
          break;
        }
      if (!aggregate_add (&aggregate, committee, ctx->k))
        {
          /* Known already, so its gradient is within the inner tolerance:
           * only rounding can make the pricing disagree. */
          g_debug ("Nash pricing returned a known panel; taking the distribution as optimal");
          certified = MIN (certified, MAX (pricing.value - committees->n_covered, 0));
          ok = TRUE;
          break;
        }
    }

out:
  kl_progress_end (ctx->progress);

  if (ok)
    {
      distribution = aggregate_expand (&aggregate, ctx->k, ctx->cancellable, error);
      if (distribution != NULL)
        report_result (ctx, welfare, certified, t, distribution->committees->len);
    }
  aggregate_clear (&aggregate);
  return distribution;
}
