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
 *    vector (kl-nash-solver.c solves it). At the end the count vectors
 *    become panels of people (kl_seat_counts_expand), which gives every
 *    member exactly the group's chance.
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
#include "kl-seat-counts-private.h"

#include <math.h>
#include <stdlib.h>

/* The library's stopping tolerance (spec 4.10, EPS_NASH). */
#define EPS_NASH 0.1
#define RELATIVE_TOLERANCE 1e-3

typedef struct {
  KlSeatCounts *counts;   /* the solver's columns, in its order */
  int *row_of_group;      /* -1 for a group nobody of which can sit */
  guint n_rows;
  KlNashSolver *solver;
} Aggregate;

static void
aggregate_init (Aggregate        *self,
                KlCommitteeModel *model,
                KlCommittees     *committees)
{
  guint n_groups = kl_committee_model_get_n_groups (model);
  g_autofree double *row_weights = g_new (double, MAX (n_groups, 1));

  self->counts = kl_seat_counts_new (model, committees->n, committees->k, committees->covered);
  self->row_of_group = g_new (int, MAX (n_groups, 1));
  self->n_rows = 0;
  for (guint g = 0; g < n_groups; g++)
    {
      self->row_of_group[g] = kl_seat_counts_is_covered (self->counts, g) ? (int) self->n_rows : -1;
      if (self->row_of_group[g] >= 0)
        row_weights[self->n_rows++] = kl_seat_counts_get_group_size (self->counts, g);
    }
  self->solver = kl_nash_solver_new (self->n_rows, row_weights);
}

static void
aggregate_clear (Aggregate *self)
{
  g_clear_pointer (&self->counts, kl_seat_counts_free);
  g_free (self->row_of_group);
  g_clear_pointer (&self->solver, kl_nash_solver_free);
}

/* The panel's seats per group as a column; FALSE if that column exists. */
static gboolean
aggregate_add (Aggregate   *self,
               const guint *committee)
{
  guint position, n_entries;
  const KlSeats *seats;
  g_autofree guint *rows = NULL;
  g_autofree double *values = NULL;

  if (!kl_seat_counts_add (self->counts, committee, &position))
    return FALSE;
  seats = kl_seat_counts_get_vector (self->counts, position, &n_entries);
  rows = g_new (guint, MAX (n_entries, 1));
  values = g_new (double, MAX (n_entries, 1));
  for (guint e = 0; e < n_entries; e++)
    {
      rows[e] = self->row_of_group[seats[e].group];
      values[e] = (double) seats[e].count / kl_seat_counts_get_group_size (self->counts, seats[e].group);
    }
  kl_nash_solver_add_column (self->solver, n_entries, rows, values);
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
      int row = self->row_of_group[kl_seat_counts_get_group_of (self->counts, i)];
      chances[i] = row >= 0 ? q[row] : 0;
    }
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
    aggregate_add (&aggregate, g_ptr_array_index (committees->list, c));

  kl_progress_start (ctx->progress, KL_PHASE_NASH_OPTIMIZATION, KL_PROGRESS_UNKNOWN_TOTAL,
                     _("Optimising the Nash welfare distribution"));

  for (t = 1; ; t++)
    {
      KlMipParams params;
      KlPricing pricing;

      beat.iteration = t;
      beat.n_columns = kl_seat_counts_get_n_vectors (aggregate.counts);
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
                          t, kl_seat_counts_get_n_vectors (aggregate.counts), welfare, certified);
      g_debug ("Nash iteration %u: welfare %.6f, best panel worth %.6f for %u covered, restricted gap %.3g",
               t, welfare, pricing.value, committees->n_covered, kl_nash_solver_get_gap (aggregate.solver));

      if (pricing.status == KL_LP_BOUND_REACHED || certified <= tolerance)
        {
          ok = TRUE;
          break;
        }
      if (!aggregate_add (&aggregate, committee))
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
      distribution = kl_seat_counts_expand (aggregate.counts, kl_nash_solver_get_weights (aggregate.solver),
                                            ctx->progress, ctx->cancellable, error);
      if (distribution != NULL)
        report_result (ctx, welfare, certified, t, distribution->committees->len);
    }
  aggregate_clear (&aggregate);
  return distribution;
}
