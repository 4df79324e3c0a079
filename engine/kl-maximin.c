/* kl-maximin.c — the distribution over panels that gives every volunteer
 * the largest guaranteed chance (spec 4.4)
 *
 * Column generation: the master LP chooses probabilities for the panels
 * known so far to maximise the smallest chance z; its dual prices y_i say
 * which people are short of chance; the panel model then looks for the
 * panel whose members' prices add up to more than z. None exists when
 * the distribution is optimal; the last bound proves it.
 *
 * Two things keep GLPK fast here. The pricing solve does not need the best
 * panel: any panel worth more than z + EPS improves the master, and a
 * search bound at or below z + EPS proves none exists, so branch and bound
 * stops at whichever comes first. And no minimum can exceed k divided by
 * the number of people who can sit at all, which stops the loop at once
 * when that is reached (degenerate duals would otherwise keep it going).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-committees-private.h"

#include <math.h>

#define EPS 0.0005
/* From this many covered people on, the master starts with a quarter of
 * them (see master_init). */
#define ACTIVE_SET_MIN_POOL 2000
/* How many of the best known panels the local search starts from. */
#define LOCAL_SEARCH_STARTS 8

/* The master is the dual of spec 4.4 (as the library solves it): one
 * row per panel, so its basis grows with the panels found (hundreds), not
 * with the pool (thousands), and a new panel is a new row, which the dual
 * simplex takes from the last basis. The panels' probabilities are the
 * rows' dual values. */
typedef struct {
  KlLp *lp;
  int z_col;                 /* ẑ */
  int *agent_col;            /* per person: y_i, -1 if not (yet) in the master */
  int sum_row;
  GArray *committee_rows;    /* master row of each committee */
  guint n_active;
} Master;

static void master_activate (Master *master, KlCommittees *committees, guint agent);

/* Σ_{i∈B} y_i − ẑ ≤ 0 */
static void
master_add_committee (Master      *master,
                      const guint *committee,
                      guint        k)
{
  g_autofree int *cols = g_new (int, k + 1);
  g_autofree double *values = g_new (double, k + 1);
  guint n = 0;
  int row;

  for (guint m = 0; m < k; m++)
    if (master->agent_col[committee[m]] >= 0)
      {
        cols[n] = master->agent_col[committee[m]];
        values[n++] = 1;
      }
  cols[n] = master->z_col;
  values[n++] = -1;
  row = kl_lp_add_row (master->lp, -KL_LP_INF, 0, n, cols, values);
  g_array_append_val (master->committee_rows, row);
}

/* minimise ẑ  s.t.  Σ_{i∈B} y_i ≤ ẑ (every panel B),  Σ y_i = 1 (covered i in
 * the master). On large pools the master starts with the covered people
 * least often on the first panels only; the others join when a solution
 * would give them less than ẑ (master_add_short). Leaving a person out
 * only drops their constraint p_i ≥ z from the primal, so once nobody left
 * out is short the master's optimum is the whole problem's; and any prices
 * summing to one bound the optimum, so pricing stays exact throughout. */
static void
master_init (Master       *master,
             KlCommittees *committees)
{
  g_autofree guint *count = g_new0 (guint, MAX (committees->n, 1));
  g_autofree guint *sorted = NULL;
  guint threshold = G_MAXUINT, n_sorted = 0;

  master->lp = kl_lp_new (FALSE);
  kl_lp_set_warm_method (master->lp, KL_LP_METHOD_DUAL);
  master->z_col = kl_lp_add_col (master->lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
  master->agent_col = g_new (int, MAX (committees->n, 1));
  master->committee_rows = g_array_new (FALSE, FALSE, sizeof (int));
  master->sum_row = kl_lp_add_row (master->lp, 1, 1, 0, NULL, NULL);
  master->n_active = 0;

  if (committees->n_covered > ACTIVE_SET_MIN_POOL)
    {
      for (guint c = 0; c < committees->list->len; c++)
        for (guint m = 0; m < committees->k; m++)
          count[((const guint *) g_ptr_array_index (committees->list, c))[m]]++;
      sorted = g_new (guint, committees->n_covered);
      for (guint i = 0; i < committees->n; i++)
        if (committees->covered[i])
          sorted[n_sorted++] = count[i];
      qsort (sorted, n_sorted, sizeof (guint), kl_compare_uint);
      threshold = sorted[n_sorted / 4];
    }

  for (guint i = 0; i < committees->n; i++)
    {
      master->agent_col[i] = -1;
      if (committees->covered[i] && count[i] <= threshold)
        master_activate (master, committees, i);
    }
  for (guint c = 0; c < committees->list->len; c++)
    master_add_committee (master, g_ptr_array_index (committees->list, c), committees->k);
}

/* Adds y_i for @agent, in every panel row that holds them. */
static void
master_activate (Master       *master,
                 KlCommittees *committees,
                 guint         agent)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) ones = g_array_new (FALSE, FALSE, sizeof (double));
  double one = 1;

  master->agent_col[agent] = kl_lp_add_col (master->lp, KL_LP_CONTINUOUS, 0, 1, 0);
  master->n_active++;
  g_array_append_val (rows, master->sum_row);
  g_array_append_val (ones, one);
  for (guint c = 0; c < master->committee_rows->len; c++)
    {
      const guint *members = g_ptr_array_index (committees->list, c);

      for (guint m = 0; m < committees->k; m++)
        if (members[m] == agent)
          {
            g_array_append_val (rows, g_array_index (master->committee_rows, int, c));
            g_array_append_val (ones, one);
            break;
          }
    }
  kl_lp_set_col_coefficients (master->lp, master->agent_col[agent], rows->len,
                              (const int *) rows->data, (const double *) ones->data);
}

/* After a solve: everyone covered but left out of the master whom the
 * solution gives less than ẑ joins it. Returns how many joined. */
static guint
master_add_short (Master       *master,
                  KlCommittees *committees,
                  double        upper)
{
  g_autofree double *p = g_new0 (double, MAX (committees->n, 1));
  g_autofree guint *joining = g_new (guint, MAX (committees->n, 1));
  double total = 0;
  guint n_joining = 0;

  if (master->n_active == committees->n_covered)
    return 0;
  for (guint c = 0; c < master->committee_rows->len; c++)
    total += MAX (-kl_lp_get_row_dual (master->lp, g_array_index (master->committee_rows, int, c)), 0);
  for (guint c = 0; c < master->committee_rows->len; c++)
    {
      const guint *members = g_ptr_array_index (committees->list, c);
      double lambda = MAX (-kl_lp_get_row_dual (master->lp, g_array_index (master->committee_rows, int, c)), 0) / total;

      for (guint m = 0; m < committees->k; m++)
        p[members[m]] += lambda;
    }
  for (guint i = 0; i < committees->n; i++)
    if (committees->covered[i] && master->agent_col[i] < 0 && p[i] < upper - 1e-9)
      joining[n_joining++] = i;
  for (guint j = 0; j < n_joining; j++)
    master_activate (master, committees, joining[j]);
  return n_joining;
}

static void
master_clear (Master *master)
{
  kl_lp_free (master->lp);
  g_free (master->agent_col);
  g_array_unref (master->committee_rows);
}

static char *
percent (double value)
{
  return g_strdup_printf ("%.2f%%", value * 100);
}

static void
report_iteration (KlAlgorithmContext *ctx,
                  double              at_most,
                  double              upper,
                  guint               n_committees)
{
  g_autofree char *at_most_text = percent (at_most);
  g_autofree char *upper_text = percent (upper);
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

/* The cheap pricing step: local search from the panels that are worth
 * most under the current prices. Every distinct new panel worth more than
 * @threshold joins the master (several per solve of the master, which is
 * the expensive step on large pools). TRUE if any did. */
static gboolean
add_by_local_search (KlCommitteeModel *model,
                     KlCommittees     *committees,
                     Master           *master,
                     const double     *prices,
                     double            threshold,
                     guint            *committee)
{
  guint best[LOCAL_SEARCH_STARTS] = { 0 };
  guint added = 0;
  double best_value[LOCAL_SEARCH_STARTS];
  guint k = committees->k;

  for (guint s = 0; s < LOCAL_SEARCH_STARTS; s++)
    best_value[s] = -1;
  for (guint c = 0; c < committees->list->len; c++)
    {
      const guint *members = g_ptr_array_index (committees->list, c);
      double value = 0;
      guint s;

      for (guint m = 0; m < k; m++)
        value += prices[members[m]];
      for (s = LOCAL_SEARCH_STARTS; s > 0 && value > best_value[s - 1]; s--)
        if (s < LOCAL_SEARCH_STARTS)
          {
            best_value[s] = best_value[s - 1];
            best[s] = best[s - 1];
          }
      if (s < LOCAL_SEARCH_STARTS)
        {
          best_value[s] = value;
          best[s] = c;
        }
    }

  for (guint s = 0; s < LOCAL_SEARCH_STARTS && best_value[s] >= 0; s++)
    {
      memcpy (committee, g_ptr_array_index (committees->list, best[s]), k * sizeof (guint));
      if (kl_committee_model_improve (model, prices, committee) > threshold &&
          kl_committees_add (committees, committee))
        {
          master_add_committee (master, committee, k);
          added++;
        }
    }
  return added > 0;
}

KlDistribution *
kl_maximin_run (KlAlgorithmContext  *ctx,
                GError             **error)
{
  g_autoptr(KlCommitteeModel) model = NULL;
  g_autoptr(KlCommittees) committees = NULL;
  g_autoptr(KlDistribution) distribution = NULL;
  g_autofree guint *committee = g_new (guint, MAX (ctx->k, 1));
  g_autofree double *prices = NULL;
  guint n = kl_pool_get_n_people (ctx->pool);
  Master master = { 0 };
  gboolean ok = FALSE;
  double ceiling, upper = 0, total = 0, certified = 1;
  guint n_local = 0;
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

  /* Σ p_i = k, so the smallest of the covered can be at most their mean. */
  ceiling = (double) ctx->k / committees->n_covered;
  prices = g_new0 (double, MAX (n, 1));
  master_init (&master, committees);
  kl_lp_set_progress (master.lp, kl_solve_progress_func, &solve_progress);

  kl_progress_start (ctx->progress, KL_PHASE_MAXIMIN_OPTIMIZATION, KL_PROGRESS_UNKNOWN_TOTAL,
                     _("Optimising the maximin distribution"));

  for (guint t = 1; ; t++)
    {
      KlMipParams params;
      KlPricing pricing;
      KlLpStatus status;
      double price_total = 0;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        break;

      g_clear_pointer (&what, g_free);
      what = g_strdup_printf (_("Iteration %u: %u panels, solving the master problem"), t, committees->list->len);
      solve_progress.current = t;
      solve_progress.what = what;
      /* New rows since the last solve: the dual simplex; people joining:
       * new columns, the primal. */
      kl_lp_set_warm_method (master.lp, KL_LP_METHOD_DUAL);
      for (;;)
        {
          status = kl_lp_solve (master.lp, ctx->cancellable, error);
          if (status != KL_LP_OPTIMAL)
            break;
          upper = kl_lp_get_objective (master.lp);
          if (master_add_short (&master, committees, upper) == 0)
            break;
          kl_lp_set_warm_method (master.lp, KL_LP_METHOD_PRIMAL);
        }
      if (status != KL_LP_OPTIMAL)
        {
          if (status != KL_LP_ERROR)
            g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                         _("The maximin master problem could not be solved (%s)."), kl_lp_status_to_string (status));
          break;
        }

      for (guint i = 0; i < n; i++)
        {
          prices[i] = master.agent_col[i] >= 0 ? MAX (kl_lp_get_value (master.lp, master.agent_col[i]), 0) : 0;
          price_total += prices[i];
        }
      if (price_total <= 0)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER, _("The maximin master problem gave no dual prices."));
          break;
        }
      for (guint i = 0; i < n; i++)
        prices[i] /= price_total;

      if (upper >= ceiling - 1e-9)
        {
          certified = ceiling;
          report_iteration (ctx, upper, upper, committees->list->len);
          kl_progress_update (ctx->progress, t, _("Iteration %u: %u panels, optimal"), t, committees->list->len);
          ok = TRUE;
          break;
        }

      if (add_by_local_search (model, committees, &master, prices, upper + EPS, committee))
        {
          n_local++;
          kl_progress_update (ctx->progress, t, _("Iteration %u: %u panels, lowest chance %.4f%% so far"),
                              t, committees->list->len, upper * 100);
          continue;
        }

      g_clear_pointer (&what, g_free);
      what = g_strdup_printf (_("Iteration %u: %u panels, searching for a better panel"), t, committees->list->len);
      solve_progress.what = what;
      kl_mip_params_init (&params);
      params.stop_above = upper + EPS;
      params.stop_if_bound_below = upper + EPS;
      params.progress = kl_solve_progress_func;
      params.progress_data = &solve_progress;
      if (!kl_committee_model_find (model, prices, &params, committee, &pricing, ctx->cancellable, error))
        break;

      report_iteration (ctx, MIN (MAX (pricing.bound, upper), 1.0), upper, committees->list->len);
      kl_progress_update (ctx->progress, t, _("Iteration %u: %u panels, gap %.4f%%"),
                          t, committees->list->len, MAX (pricing.bound - upper, 0) * 100);

      if (pricing.value <= upper + EPS)
        {
          /* Every panel is worth at most the bound under prices y, so no
           * distribution gives everyone more than it (weak duality). */
          certified = MAX (MIN (pricing.bound, 1.0), upper);
          ok = TRUE;
          break;
        }
      if (!kl_committees_add (committees, committee))
        {
          /* The master already holds this panel: its price cannot exceed z
           * but for rounding. Converged. */
          g_debug ("Maximin pricing returned a known panel; taking the distribution as optimal");
          certified = MAX (MIN (pricing.bound, 1.0), upper);
          ok = TRUE;
          break;
        }
      master_add_committee (&master, committee, ctx->k);
    }

  kl_progress_end (ctx->progress);
  {
    const KlLpStats *master_stats = kl_lp_get_stats (master.lp);
    const KlLpStats *pricing_stats = kl_committee_model_get_stats (model);

    g_debug ("Maximin: master %u solves in %.2f s (%u slices, %u method switches); "
             "pricing %u solves in %.2f s", master_stats->solves, master_stats->seconds,
             master_stats->slices, master_stats->method_switches,
             pricing_stats->mip_solves, pricing_stats->mip_seconds);
    g_debug ("Maximin: %u panels found by local search; %u of %u people in the master", n_local, master.n_active, committees->n_covered);
  }

  if (ok)
    {
      distribution = kl_distribution_new ();
      for (guint c = 0; c < committees->list->len; c++)
        {
          double p = MAX (-kl_lp_get_row_dual (master.lp, g_array_index (master.committee_rows, int, c)), 0);
          total += p;
        }
      for (guint c = 0; c < committees->list->len; c++)
        {
          double p = MAX (-kl_lp_get_row_dual (master.lp, g_array_index (master.committee_rows, int, c)), 0) / total;

          g_ptr_array_add (distribution->committees, g_memdup2 (g_ptr_array_index (committees->list, c),
                                                                ctx->k * sizeof (guint)));
          g_array_append_val (distribution->probabilities, p);
        }
      if (ctx->report)
        {
          g_autofree char *value = g_strdup_printf ("%.6f", upper);
          g_autofree char *bound = g_strdup_printf ("%.6f", certified);
          g_autofree char *gap = g_strdup_printf ("%.6f", MAX (certified - upper, 0));
          KlMessage *m = kl_report_add_line (ctx->report, KL_LEVEL_IMPORTANT, "maximin_value");

          kl_message_set_param (m, "value", value);
          kl_message_set_param (m, "bound", bound);
          kl_message_set_param (m, "gap", gap);
        }
    }

  master_clear (&master);
  return g_steal_pointer (&distribution);
}
