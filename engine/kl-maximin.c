/* kl-maximin.c — the distribution over panels that gives every volunteer
 * the largest guaranteed chance (spec 4.4)
 *
 * Column generation: the master LP chooses probabilities for the panels
 * known so far to maximise the smallest chance z; its dual prices say
 * which people are short of chance; the panel model then looks for the
 * panel whose members' prices add up to more than z. None exists when
 * the distribution is optimal; the last bound proves it.
 *
 * Everything works on groups of interchangeable people (kl-seat-counts.c):
 * averaging any distribution over the ways of swapping members of a group
 * keeps the smallest chance, so some optimum gives a group's members one
 * chance, and a panel matters only by its seat counts. The master then has
 * one variable per group and one row per count vector instead of one per
 * person and per panel. Measured (CPU seconds of the whole run): the
 * generated 5,000/250 pool went from 237 s to 11 s, biased 2,500/150 from
 * 10.1 s to 3.0 s, and the public pool synth_750_112, whose optimum is
 * exactly k/n and whose per-person master was degenerate, from about 120 s
 * to 0.6 s.
 *
 * Three things keep GLPK fast here. The pricing solve does not need the
 * best panel: any panel worth more than z + EPS improves the master, and a
 * search bound at or below z + EPS proves none exists, so branch and bound
 * stops at whichever comes first. Before it, a local search from the best
 * known panels (kl_committee_model_improve) usually finds an improving
 * panel without branch and bound; it searches first under smoothed prices
 * (an exponential average of the duals, SMOOTHING), which damps the swings
 * of degenerate duals from one solve to the next: on 10,000/500 it cut the
 * iterations from 331 to 183 and the run from 66 to 30 CPU s. And no
 * minimum can exceed k divided by the number of people who can sit at
 * all, which stops the loop at once when that is reached (degenerate
 * duals would otherwise keep it going).
 *
 * The upper bound comes first, from the LP relaxation of the panel model
 * (kl_committee_model_relax_maximin): on every generated and public pool
 * measured it equals the optimum to six decimals, so the run knows at once
 * how far it has to go, and its duals are the centre of a stabilised
 * exact pricing (every EXACT_EVERY iterations, at prices between the centre
 * and the duals) whose bound only improves. The run ends when the gap is
 * GAP_GOAL, or when the spec's test holds and the last TAIL iterations
 * gained next to nothing. Before, the bound came only from pricing at the
 * master's duals, which are far from optimal on large pools: 20,000/1,000
 * still had "at most 5 %" after 13.7 CPU minutes and 444 iterations, with
 * an ill-conditioned master of 3,228 rows. It now ends after about 100
 * iterations, 0.00002 below the bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-committees-private.h"
#include "kl-seat-counts-private.h"

#include <math.h>

#define EPS 0.0005
/* The run ends as soon as a bound proves the distribution this close to
 * the optimum; the spec's test (no panel beats the master's duals by EPS)
 * still ends it too. */
#define GAP_GOAL 1e-6
/* Once the spec's certificate holds (gap at most EPS), the run also ends
 * when the lowest chance gained less than GAP_GOAL over the last TAIL
 * iterations: on 20,000/1,000 the last 0.00003 would take hundreds of
 * iterations of a master with thousands of rows. */
#define TAIL 20
/* How many of the best known panels the local search starts from. */
#define LOCAL_SEARCH_STARTS 8
#define SMOOTHING 0.7
/* Weight of the centre in the prices the exact search checks. */
#define STABILITY 0.7
/* While the local search keeps finding panels, the bound is checked
 * exactly every so many iterations. */
#define EXACT_EVERY 10

/* The master is the dual of spec 4.4 (as the library solves it), over
 * groups: minimise ẑ s.t. Σ_g (c_gB / s_g) Y_g ≤ ẑ for every count vector
 * B, Σ Y_g = 1, Y ≥ 0. One row per count vector, so a new panel is a new
 * row, which the dual simplex takes from the last basis. The count
 * vectors' probabilities are the rows' dual values. */
typedef struct {
  KlLp *lp;
  int z_col;                 /* ẑ */
  int *group_col;            /* per group: Y_g, -1 if nobody of it can sit */
  int sum_row;
  GArray *vector_rows;       /* master row of each count vector */
} Master;

static void
master_add_vector (Master       *master,
                   KlSeatCounts *counts,
                   guint         position)
{
  guint n_entries;
  const KlSeats *seats = kl_seat_counts_get_vector (counts, position, &n_entries);
  g_autofree int *cols = g_new (int, n_entries + 1);
  g_autofree double *values = g_new (double, n_entries + 1);
  int row;

  for (guint e = 0; e < n_entries; e++)
    {
      cols[e] = master->group_col[seats[e].group];
      values[e] = (double) seats[e].count / kl_seat_counts_get_group_size (counts, seats[e].group);
    }
  cols[n_entries] = master->z_col;
  values[n_entries] = -1;
  row = kl_lp_add_row (master->lp, -KL_LP_INF, 0, n_entries + 1, cols, values);
  g_assert ((guint) position == master->vector_rows->len);
  g_array_append_val (master->vector_rows, row);
}

static void
master_init (Master       *master,
             KlSeatCounts *counts)
{
  guint n_groups = kl_seat_counts_get_n_groups (counts);
  g_autofree int *cols = g_new (int, MAX (n_groups, 1));
  g_autofree double *ones = g_new (double, MAX (n_groups, 1));
  guint n = 0;

  master->lp = kl_lp_new (FALSE);
  kl_lp_set_warm_method (master->lp, KL_LP_METHOD_DUAL);
  master->z_col = kl_lp_add_col (master->lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
  master->group_col = g_new (int, MAX (n_groups, 1));
  master->vector_rows = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint g = 0; g < n_groups; g++)
    {
      master->group_col[g] = -1;
      if (!kl_seat_counts_is_covered (counts, g))
        continue;
      master->group_col[g] = kl_lp_add_col (master->lp, KL_LP_CONTINUOUS, 0, 1, 0);
      cols[n] = master->group_col[g];
      ones[n++] = 1;
    }
  master->sum_row = kl_lp_add_row (master->lp, 1, 1, n, cols, ones);
  for (guint c = 0; c < kl_seat_counts_get_n_vectors (counts); c++)
    master_add_vector (master, counts, c);
}

static void
master_clear (Master *master)
{
  kl_lp_free (master->lp);
  g_free (master->group_col);
  g_array_unref (master->vector_rows);
}

/* The count vectors' probabilities: the duals of their rows. */
static double *
master_get_weights (Master *master)
{
  guint n_rows = master->vector_rows->len;
  double *weights = g_new0 (double, MAX (n_rows, 1));
  double total = 0;

  for (guint c = 0; c < n_rows; c++)
    {
      weights[c] = MAX (-kl_lp_get_row_dual (master->lp, g_array_index (master->vector_rows, int, c)), 0);
      total += weights[c];
    }
  for (guint c = 0; c < n_rows && total > 0; c++)
    weights[c] /= total;
  return weights;
}

static void
report_iteration (KlAlgorithmContext *ctx,
                  double              at_most,
                  double              upper,
                  guint               n_committees)
{
  g_autofree char *at_most_text = kl_percent_string (at_most);
  g_autofree char *upper_text = kl_percent_string (upper);
  g_autofree char *gap = g_strdup_printf ("%.2f%% %s %.6f%%", (at_most - upper) * 100,
                                          at_most - upper <= EPS ? "≤" : ">", EPS * 100);
  KlMessage *m;

  if (ctx->report == NULL)
    return;
  m = kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "maximin_is_at_most");
  kl_message_set_param (m, "at_most", at_most_text);
  kl_message_set_param (m, "upper_str", upper_text);
  kl_message_set_param_int (m, "num_committees", n_committees);
  kl_message_set_param (m, "gap_str", gap);
}

/* A panel found by pricing: a new row if its count vector is new. */
static gboolean
add_panel (Master       *master,
           KlSeatCounts *counts,
           KlCommittees *committees,
           const guint  *committee)
{
  guint position;

  kl_committees_add (committees, committee);
  if (!kl_seat_counts_add (counts, committee, &position))
    return FALSE;
  master_add_vector (master, counts, position);
  return TRUE;
}

static double
committee_value (const double *prices,
                 const guint  *committee,
                 guint         k)
{
  double value = 0;

  for (guint m = 0; m < k; m++)
    value += prices[committee[m]];
  return value;
}

/* The cheap pricing step: local search from the panels worth most under
 * @search_prices. Every new count vector worth more than @threshold under
 * @prices joins the master (several per solve of the master). TRUE if any
 * did. */
static gboolean
add_by_local_search (KlCommitteeModel *model,
                     KlSeatCounts     *counts,
                     KlCommittees     *committees,
                     Master           *master,
                     const double     *search_prices,
                     const double     *prices,
                     double            threshold,
                     guint            *found,
                     GCancellable     *cancellable)
{
  guint added = 0;
  guint n_found = kl_committees_search_near_best (committees, model, search_prices, prices, threshold,
                                                  LOCAL_SEARCH_STARTS, found, cancellable);

  for (guint f = 0; f < n_found; f++)
    if (add_panel (master, counts, committees, &found[f * committees->k]))
      added++;
  return added > 0;
}

static void
report_value (KlAlgorithmContext *ctx,
              double              value,
              double              certified)
{
  g_autofree char *value_text = g_strdup_printf ("%.6f", value);
  g_autofree char *bound = g_strdup_printf ("%.6f", certified);
  g_autofree char *gap = g_strdup_printf ("%.6f", MAX (certified - value, 0));
  KlMessage *m;

  if (ctx->report == NULL)
    return;
  m = kl_report_add_line (ctx->report, KL_LEVEL_IMPORTANT, "maximin_value");
  kl_message_set_param (m, "value", value_text);
  kl_message_set_param (m, "bound", bound);
  kl_message_set_param (m, "gap", gap);
}

/* Exact pricing under @search_prices (one per person, summing to 1 over
 * the covered): by weak duality no distribution gives everyone more than
 * the best panel's value under any such prices, so the search's bound is
 * an upper bound on the optimum. It stops as soon as that bound proves the
 * master's value @upper optimal (within @tolerance), or, when
 * @first_improving, as soon as a panel beats @upper by EPS; otherwise it
 * closes the gap to a quarter of EPS, to give a bound worth keeping. */
static gboolean
price_exactly (KlCommitteeModel   *model,
               const double       *search_prices,
               double              upper,
               double              tolerance,
               gboolean            first_improving,
               KlSolveProgress    *solve_progress,
               guint              *committee,
               KlPricing          *pricing,
               GCancellable       *cancellable,
               GError            **error)
{
  KlMipParams params;

  kl_mip_params_init (&params);
  params.stop_if_bound_below = upper + tolerance;
  if (first_improving)
    params.stop_above = upper + EPS;
  else
    params.gap = EPS / 4 / MAX (upper, EPS);
  params.progress = kl_solve_progress_func;
  params.progress_data = solve_progress;
  return kl_committee_model_find (model, search_prices, &params, committee, pricing, cancellable, error);
}


/* What the solve under way is, for the messages it reports from inside. */
static void G_GNUC_PRINTF (3, 4)
describe_solve (KlSolveProgress *solve_progress,
                char           **what,
                const char      *format,
                ...)
{
  va_list args;

  g_free (*what);
  va_start (args, format);
  *what = g_strdup_vprintf (format, args);
  va_end (args);
  solve_progress->what = *what;
}

/* The smallest upper bound proved so far, and the prices (per group) that
 * proved it: the centre of the stabilised pricing. */
typedef struct {
  double value;
  double *center;
  guint n_groups;
} Bound;

/* An exact pricing under @group_prices bounded the optimum by @bound. */
static void
bound_offer (Bound        *best,
             double        bound,
             double        upper,
             const double *group_prices)
{
  if (bound >= best->value)
    return;
  best->value = MAX (bound, upper);
  memcpy (best->center, group_prices, best->n_groups * sizeof (double));
}

KlDistribution *
kl_maximin_run (KlAlgorithmContext  *ctx,
                GError             **error)
{
  g_autoptr(KlCommitteeModel) model = NULL;
  g_autoptr(KlCommittees) committees = NULL;
  g_autoptr(KlSeatCounts) counts = NULL;
  g_autoptr(KlDistribution) distribution = NULL;
  g_autofree guint *committee = g_new (guint, MAX (ctx->k, 1));
  g_autofree guint *found = g_new (guint, LOCAL_SEARCH_STARTS * MAX (ctx->k, 1));
  g_autofree double *prices = NULL;
  g_autofree double *group_prices = NULL;
  g_autofree double *center = NULL;
  g_autofree double *blend = NULL;
  g_autofree double *blend_prices = NULL;
  g_autofree double *smoothed = NULL;
  g_autofree double *smoothed_prices = NULL;
  g_autofree double *weights = NULL;
  double recent[TAIL] = { 0 };        /* the lowest chance, by iteration modulo TAIL */
  guint n = kl_pool_get_n_people (ctx->pool);
  Master master = { 0 };
  gboolean ok = FALSE;
  double ceiling, upper = 0, certified = 1;
  Bound best = { 0 };
  guint n_local = 0, n_groups, since_exact = 0;
  g_autofree char *what = NULL;
  KlSolveProgress solve_progress = { ctx->progress, 0, NULL };

  if (ctx->report)
    kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "using_maximin_algorithm");

  model = kl_committees_build_model (ctx, committee, error);
  if (model == NULL)
    return NULL;
  committees = kl_committees_initial (ctx, model, n, error);
  if (committees == NULL)
    return NULL;

  counts = kl_seat_counts_new (model, n, ctx->k, committees->covered);
  n_groups = kl_seat_counts_get_n_groups (counts);
  for (guint c = 0; c < committees->list->len; c++)
    kl_seat_counts_add (counts, g_ptr_array_index (committees->list, c), NULL);

  prices = g_new0 (double, MAX (n, 1));
  group_prices = g_new0 (double, MAX (n_groups, 1));
  center = g_new0 (double, MAX (n_groups, 1));
  best.center = center;
  best.n_groups = n_groups;
  blend = g_new0 (double, MAX (n_groups, 1));
  blend_prices = g_new0 (double, MAX (n, 1));
  smoothed = g_new0 (double, MAX (n_groups, 1));
  smoothed_prices = g_new0 (double, MAX (n, 1));

  /* Σ p_i = k, so the smallest of the covered can be at most their mean.
   * The relaxation of the panel model gives a bound that is often far
   * closer, and prices near the optimal duals: the first centre. */
  ceiling = (double) ctx->k / committees->n_covered;
  {
    g_autofree gboolean *covered = g_new (gboolean, MAX (n_groups, 1));
    double relaxed;

    for (guint g = 0; g < n_groups; g++)
      covered[g] = kl_seat_counts_is_covered (counts, g);
    if (!kl_committee_model_relax_maximin (model, covered, center, &relaxed, ctx->cancellable, error))
      return NULL;
    best.value = MIN (ceiling, relaxed);
    g_debug ("Maximin: at most %.6f by the relaxation, %.6f by the mean", relaxed, ceiling);
  }

  master_init (&master, counts);
  kl_lp_set_progress (master.lp, kl_solve_progress_func, &solve_progress);

  kl_progress_start (ctx->progress, KL_PHASE_MAXIMIN_OPTIMIZATION, KL_PROGRESS_UNKNOWN_TOTAL,
                     _("Optimising the maximin distribution"));

  for (guint t = 1; ; t++)
    {
      KlPricing pricing;
      KlLpStatus status;
      double price_total = 0;
      guint n_vectors = kl_seat_counts_get_n_vectors (counts);
      gboolean added, priced = FALSE, finished;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        break;

      solve_progress.current = t;
      describe_solve (&solve_progress, &what, _("Iteration %u: %u panels, solving the master problem"), t, n_vectors);
      status = kl_lp_solve (master.lp, ctx->cancellable, error);
      if (status != KL_LP_OPTIMAL)
        {
          if (status != KL_LP_ERROR)
            g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                         _("The maximin master problem could not be solved (%s)."), kl_lp_status_to_string (status));
          break;
        }
      upper = kl_lp_get_objective (master.lp);
      g_debug ("Maximin iteration %u: %u count vectors, lowest chance %.6f, at most %.6f, master %.2f s so far",
               t, n_vectors, upper, best.value, kl_lp_get_stats (master.lp)->seconds);

      for (guint g = 0; g < n_groups; g++)
        {
          group_prices[g] = master.group_col[g] >= 0 ? MAX (kl_lp_get_value (master.lp, master.group_col[g]), 0) : 0;
          price_total += group_prices[g];
        }
      if (price_total <= 0)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER, _("The maximin master problem gave no dual prices."));
          break;
        }
      for (guint g = 0; g < n_groups; g++)
        group_prices[g] /= price_total;
      kl_seat_counts_spread (counts, group_prices, prices);

      if (upper >= ceiling - 1e-9)
        {
          certified = ceiling;
          report_iteration (ctx, upper, upper, n_vectors);
          kl_progress_update (ctx->progress, t, _("Iteration %u: %u panels, optimal"), t, n_vectors);
          ok = TRUE;
          break;
        }

      /* Smoothed prices first (an average of the duals so far), which
       * damps the duals' swings between degenerate solutions; a panel
       * joins only if the current prices value it. */
      for (guint g = 0; g < n_groups; g++)
        smoothed[g] = t == 1 ? group_prices[g] : SMOOTHING * smoothed[g] + (1 - SMOOTHING) * group_prices[g];
      kl_seat_counts_spread (counts, smoothed, smoothed_prices);
      added = add_by_local_search (model, counts, committees, &master, smoothed_prices, prices, upper + GAP_GOAL, found,
                                   ctx->cancellable) ||
              add_by_local_search (model, counts, committees, &master, prices, prices, upper + GAP_GOAL, found,
                                   ctx->cancellable);
      if (added)
        n_local++;

      if (!added || ++since_exact >= EXACT_EVERY)
        {
          /* The bound at prices between the centre (the prices with the
           * best bound so far) and the duals: a better one moves the
           * centre there. It may end the run however well the local
           * search goes, and its panel may serve the master. */
          since_exact = 0;
          priced = TRUE;
          for (guint g = 0; g < n_groups; g++)
            blend[g] = STABILITY * best.center[g] + (1 - STABILITY) * group_prices[g];
          kl_seat_counts_spread (counts, blend, blend_prices);
          describe_solve (&solve_progress, &what, _("Iteration %u: %u panels, checking the bound"), t, n_vectors);
          if (!price_exactly (model, blend_prices, upper, GAP_GOAL, FALSE, &solve_progress, committee, &pricing,
                              ctx->cancellable, error))
            break;
          bound_offer (&best, pricing.bound, upper, blend);
          if (pricing.status != KL_LP_BOUND_REACHED && committee_value (prices, committee, ctx->k) > upper + GAP_GOAL &&
              add_panel (&master, counts, committees, committee))
            added = TRUE;
        }

      if (!added && best.value > upper + GAP_GOAL)
        {
          /* Neither search gave the duals a better panel: the exact
           * search under the duals themselves (spec 4.4) either finds
           * one or proves the master optimal. */
          describe_solve (&solve_progress, &what, _("Iteration %u: %u panels, searching for a better panel"),
                          t, n_vectors);
          if (!price_exactly (model, prices, upper, EPS, TRUE, &solve_progress, committee, &pricing,
                              ctx->cancellable, error))
            break;
          bound_offer (&best, pricing.bound, upper, group_prices);
          if (pricing.value > upper + EPS && !(added = add_panel (&master, counts, committees, committee)))
            {
              /* The master already holds this count vector: its price
               * cannot exceed z but for rounding. Converged. */
              g_debug ("Maximin pricing returned a known panel; taking the distribution as optimal");
            }
        }

      finished = best.value <= upper + GAP_GOAL || !added ||
                 (t > TAIL && best.value <= upper + EPS && upper - recent[t % TAIL] < GAP_GOAL);
      recent[t % TAIL] = upper;
      if (priced || finished)
        report_iteration (ctx, MIN (best.value, 1.0), upper, n_vectors);
      kl_progress_update (ctx->progress, t, _("Iteration %u: %u panels, lowest chance %.4f%%, at most %.4f%%"),
                          t, kl_seat_counts_get_n_vectors (counts), upper * 100, best.value * 100);
      if (finished)
        {
          /* No distribution gives everyone more than the bound (weak
           * duality), and this one is within EPS of it. */
          certified = MAX (MIN (best.value, 1.0), upper);
          ok = TRUE;
          break;
        }
    }

  kl_progress_end (ctx->progress);
  {
    const KlLpStats *master_stats = kl_lp_get_stats (master.lp);
    const KlLpStats *pricing_stats = kl_committee_model_get_stats (model);

    g_debug ("Maximin: %u groups, %u count vectors; master %u solves in %.2f s (%u slices, "
             "%u method switches); pricing %u solves in %.2f s; %u iterations ended by local search",
             n_groups, kl_seat_counts_get_n_vectors (counts), master_stats->solves, master_stats->seconds,
             master_stats->slices, master_stats->method_switches,
             pricing_stats->mip_solves, pricing_stats->mip_seconds, n_local);
  }

  if (ok)
    {
      weights = master_get_weights (&master);
      distribution = kl_seat_counts_expand (counts, weights, ctx->progress, ctx->cancellable, error);
      if (distribution != NULL)
        report_value (ctx, upper, certified);
    }

  master_clear (&master);
  return g_steal_pointer (&distribution);
}
