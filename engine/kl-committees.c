/* kl-committees.c — distinct valid panels, and a diverse first set of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-committees-private.h"

/* spec 4.3 and 4.10 */
#define INITIAL_WEIGHT_LOW 0.99
#define INITIAL_WEIGHT_HIGH 1.0
#define DECAY_NEW 0.8
#define MIX_REPEAT 0.9
/* Multiplicative weights only needs good panels, not proven-best ones: a
 * round stops at 1 % from the best (a 0.1 % gap made single rounds run
 * for minutes on self-selected pools) or after ROUND_NODE_LIMIT nodes of
 * branch and bound with the best panel found. */
#define ROUND_GAP 1e-2
#define ROUND_NODE_LIMIT 2000
/* The rounds exist to put everyone coverable on some panel and to give
 * column generation a diverse start; once this many rounds in a row bring
 * nobody new onto a panel, more rounds are mostly repeats of the same
 * mix, and the pricing step finds whatever panels are still missing. */
#define PATIENCE_ROUNDS 40
/* Covering the rest in batches: each solve looks for the panel with the
 * most people still without one. */
#define COVER_GAP 0.1

KlDistribution *
kl_distribution_new (void)
{
  KlDistribution *self = g_new0 (KlDistribution, 1);

  self->committees = g_ptr_array_new_with_free_func (g_free);
  self->probabilities = g_array_new (FALSE, FALSE, sizeof (double));
  return self;
}

void
kl_distribution_free (KlDistribution *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->committees);
  g_array_unref (self->probabilities);
  g_free (self);
}

KlCommittees *
kl_committees_new (guint n,
                   guint k)
{
  KlCommittees *self = g_new0 (KlCommittees, 1);

  self->n = n;
  self->k = k;
  self->list = g_ptr_array_new_with_free_func (g_free);
  self->index = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  self->covered = g_new0 (gboolean, MAX (n, 1));
  return self;
}

void
kl_committees_free (KlCommittees *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->list);
  g_hash_table_unref (self->index);
  g_free (self->covered);
  g_free (self);
}

gboolean
kl_committees_contains (KlCommittees *self,
                        const guint  *committee)
{
  g_autoptr(GBytes) key = g_bytes_new_static (committee, self->k * sizeof (guint));

  return g_hash_table_contains (self->index, key);
}

/* Returns FALSE if the committee was already in the set. */
gboolean
kl_committees_add (KlCommittees *self,
                   const guint  *committee)
{
  guint *copy;

  if (kl_committees_contains (self, committee))
    return FALSE;

  copy = g_memdup2 (committee, self->k * sizeof (guint));
  g_ptr_array_add (self->list, copy);
  g_hash_table_insert (self->index, g_bytes_new (copy, self->k * sizeof (guint)),
                       GUINT_TO_POINTER (self->list->len));
  for (guint m = 0; m < self->k; m++)
    if (!self->covered[copy[m]])
      {
        self->covered[copy[m]] = TRUE;
        self->n_covered++;
      }
  return TRUE;
}

/**
 * kl_committees_build_model:
 * @first_committee: (out): a valid panel, k entries
 *
 * Builds the panel model and makes sure a panel exists at all (spec 4.1's
 * feasibility probe); if none does, proposes how to relax the quotas.
 */
KlCommitteeModel *
kl_committees_build_model (KlAlgorithmContext  *ctx,
                           guint               *first_committee,
                           GError             **error)
{
  g_autoptr(KlCommitteeModel) model = kl_committee_model_new (ctx->pool, ctx->k);
  KlMipParams params;
  KlPricing probe;

  kl_mip_params_init (&params);
  if (!kl_committee_model_find (model, NULL, &params, first_committee, &probe, ctx->cancellable, error))
    return NULL;

  if (probe.status == KL_LP_INFEASIBLE)
    {
      if (ctx->problems == NULL)
        ctx->problems = kl_messages_new ();
      kl_relax_quotas (ctx, model, &ctx->suggested_quotas, ctx->problems, error);
      return NULL;
    }

  return g_steal_pointer (&model);
}

static void
rescale (double *weights,
         guint   n)
{
  double total = 0;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  for (guint i = 0; i < n; i++)
    weights[i] *= n / total;
}

/**
 * kl_solve_progress_func:
 *
 * A #KlLpProgressFunc for a #KlSolveProgress: keeps the phase's message
 * moving during one long solve ("what (for 3 s)"), so a progress bar
 * never looks frozen.
 */
void
kl_solve_progress_func (gpointer data,
                        double   elapsed,
                        double   incumbent,
                        double   bound)
{
  KlSolveProgress *progress = data;

  kl_progress_update (progress->progress, progress->current, _("%s (for %.0f s)"),
                      progress->what, elapsed);
}

/* Everyone still without a panel gets one if any exists: first by swapping
 * them for someone interchangeable on a known panel (no solve), then in
 * batches, each solve asking for the panel with the most of them on it,
 * until a solve proves that none of the rest can sit on any panel. */
static gboolean
cover_everyone (KlAlgorithmContext  *ctx,
                KlCommitteeModel    *model,
                KlCommittees        *committees,
                gint64               current,
                GError             **error)
{
  g_autofree double *weights = g_new0 (double, MAX (committees->n, 1));
  g_autofree guint *committee = g_new (guint, MAX (committees->k, 1));
  g_autofree char *what = NULL;
  KlSolveProgress progress = { ctx->progress, current, NULL };
  KlMipParams params;
  guint n_unreachable = 0;

  for (guint i = 0; i < committees->n; i++)
    {
      gboolean swapped = FALSE;

      if (committees->covered[i])
        continue;
      for (guint c = 0; c < committees->list->len && !swapped; c++)
        swapped = kl_committee_model_swap_in (model, g_ptr_array_index (committees->list, c), i, committee);
      if (swapped)
        kl_committees_add (committees, committee);
    }

  kl_mip_params_init (&params);
  params.gap = COVER_GAP;
  params.node_limit = ROUND_NODE_LIMIT;
  params.stop_if_bound_below = 0.5;
  params.progress = kl_solve_progress_func;
  params.progress_data = &progress;

  /* Batches first; when a batch solve stops on its node limit without a
   * panel for anyone new, each remaining person is settled by an exact
   * solve of their own, so nobody is declared unreachable on a guess. */
  for (guint next = 0; committees->n_covered < committees->n && next < committees->n; )
    {
      KlPricing pricing;
      guint left = committees->n - committees->n_covered;
      gboolean batch = params.node_limit > 0;

      if (!batch && committees->covered[next])
        {
          next++;
          continue;
        }

      g_clear_pointer (&what, g_free);
      what = g_strdup_printf (ngettext ("Looking for a panel for the last person without one",
                                        "Looking for panels for %u people without one", left), left);
      progress.what = what;
      kl_progress_update (ctx->progress, current, "%s", what);

      for (guint i = 0; i < committees->n; i++)
        weights[i] = committees->covered[i] || (!batch && i != next) ? 0.0 : 1.0;
      if (!kl_committee_model_find (model, weights, &params, committee, &pricing, ctx->cancellable, error))
        return FALSE;
      if (pricing.status != KL_LP_INFEASIBLE && pricing.status != KL_LP_BOUND_REACHED && pricing.value >= 0.5)
        {
          kl_committees_add (committees, committee);
          continue;
        }
      if (batch && pricing.status == KL_LP_FEASIBLE)
        {
          params.node_limit = 0;
          params.gap = 0;
          continue;
        }
      if (batch)
        break;      /* proved: nobody left can sit on any panel */
      next++;       /* proved: this person cannot */
    }

  for (guint i = 0; i < committees->n; i++)
    if (!committees->covered[i])
      {
        n_unreachable++;
        if (ctx->report)
          kl_message_set_param (kl_report_add_line (ctx->report, KL_LEVEL_NORMAL,
                                                    "agent_not_in_feasible_committee"),
                                "agent_id", kl_pool_get_id (ctx->pool, i));
      }

  if (n_unreachable == 0 && ctx->report)
    kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "all_agents_in_feasible_committees");
  return TRUE;
}

/**
 * kl_committees_initial:
 * @rounds: at most n for maximin, 2n for nash, 3n for leximin
 *
 * Multiplicative weights (spec 4.3): each round finds the panel heaviest
 * under the current weights and makes its members lighter, so later rounds
 * find different panels; then everyone no panel covers yet is covered if
 * anyone can be. Unlike the library, the rounds stop early once they stop
 * putting anyone new on a panel (PATIENCE_ROUNDS): on pools of thousands
 * the full count would take hours, and the column generation that follows
 * adds every panel the optimum needs anyway.
 */
KlCommittees *
kl_committees_initial (KlAlgorithmContext  *ctx,
                       KlCommitteeModel    *model,
                       guint                rounds,
                       GError             **error)
{
  guint n = kl_pool_get_n_people (ctx->pool);
  g_autoptr(KlCommittees) committees = kl_committees_new (n, ctx->k);
  g_autofree double *weights = g_new (double, MAX (n, 1));
  g_autofree guint *committee = g_new (guint, MAX (ctx->k, 1));
  g_autofree char *what = NULL;
  KlSolveProgress progress = { ctx->progress, 0, NULL };
  KlMipParams params;
  guint t, rounds_run, rounds_without_news = 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    weights[i] = kl_random_uniform (ctx->random, INITIAL_WEIGHT_LOW, INITIAL_WEIGHT_HIGH);

  kl_mip_params_init (&params);
  params.gap = ROUND_GAP;
  params.node_limit = ROUND_NODE_LIMIT;
  params.progress = kl_solve_progress_func;
  params.progress_data = &progress;

  kl_progress_start (ctx->progress, KL_PHASE_MULTIPLICATIVE_WEIGHTS, rounds,
                     _("Searching for diverse panels: up to %u rounds"), rounds);
  for (t = 1; t <= rounds && ok; t++)
    {
      KlPricing pricing;
      guint covered_before = committees->n_covered;
      gboolean is_new;

      g_clear_pointer (&what, g_free);
      what = g_strdup_printf (_("Round %u of at most %u"), t, rounds);
      progress.current = t - 1;
      progress.what = what;
      if (!kl_committee_model_find (model, weights, &params, committee, &pricing, ctx->cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (pricing.status == KL_LP_INFEASIBLE)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                               _("The solver found no panel in a round although one exists."));
          ok = FALSE;
          break;
        }

      is_new = kl_committees_add (committees, committee);
      if (is_new)
        for (guint m = 0; m < ctx->k; m++)
          weights[committee[m]] *= DECAY_NEW;
      else
        for (guint i = 0; i < n; i++)
          weights[i] = MIX_REPEAT * weights[i] + (1.0 - MIX_REPEAT);
      rescale (weights, n);
      rounds_without_news = committees->n_covered > covered_before ? 0 : rounds_without_news + 1;

      kl_progress_update (ctx->progress, t,
                          ngettext ("Round %u of at most %u: %u different panel so far",
                                    "Round %u of at most %u: %u different panels so far",
                                    committees->list->len),
                          t, rounds, committees->list->len);
      g_debug ("Multiplicative weights round %u of %u: %u panels, %u people covered",
               t, rounds, committees->list->len, committees->n_covered);
      if (rounds_without_news >= PATIENCE_ROUNDS)
        break;
    }
  rounds_run = MIN (t, rounds);

  if (ok && ctx->report)
    {
      KlMessage *m = kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "initial_committees_found");
      kl_message_set_param_int (m, "count", committees->list->len);
      kl_message_set_param_int (m, "rounds", rounds_run);
    }

  ok = ok && cover_everyone (ctx, model, committees, rounds, error);
  if (ok)
    kl_progress_update (ctx->progress, rounds,
                        ngettext ("%u different panel found", "%u different panels found", committees->list->len),
                        committees->list->len);
  kl_progress_end (ctx->progress);
  if (!ok)
    return NULL;
  return g_steal_pointer (&committees);
}

/**
 * kl_committees_search_near_best:
 * @search_prices: per person, what the search maximises
 * @prices: per person, what a panel must be worth to be kept
 * @threshold: more than this under @prices
 * @n_starts: how many of the known panels it starts from
 * @found: (out caller-allocates): room for @n_starts panels of k people
 *
 * The cheap pricing step of column generation: local search
 * (kl_committee_model_improve) from the known panels worth most under
 * @search_prices, which usually finds a panel the master lacks without
 * branch and bound. Returns how many panels worth more than @threshold
 * under @prices @found holds (none after Cancel); some may be known
 * already.
 */
guint
kl_committees_search_near_best (KlCommittees     *self,
                                KlCommitteeModel *model,
                                const double     *search_prices,
                                const double     *prices,
                                double            threshold,
                                guint             n_starts,
                                guint            *found,
                                GCancellable     *cancellable)
{
  g_autofree guint *best = g_new0 (guint, MAX (n_starts, 1));
  g_autofree double *best_value = g_new (double, MAX (n_starts, 1));
  guint k = self->k, n_best = 0, n_found = 0;

  /* the n_starts most valuable, in order, by insertion */
  for (guint c = 0; c < self->list->len; c++)
    {
      const guint *members = g_ptr_array_index (self->list, c);
      double value = 0;
      guint s;

      for (guint m = 0; m < k; m++)
        value += search_prices[members[m]];
      if (n_best == n_starts && value <= best_value[n_starts - 1])
        continue;
      if (n_best < n_starts)
        n_best++;
      for (s = n_best - 1; s > 0 && value > best_value[s - 1]; s--)
        {
          best_value[s] = best_value[s - 1];
          best[s] = best[s - 1];
        }
      best_value[s] = value;
      best[s] = c;
    }

  for (guint s = 0; s < n_best && !g_cancellable_is_cancelled (cancellable); s++)
    {
      guint *panel = &found[n_found * k];
      double value = 0;

      memcpy (panel, g_ptr_array_index (self->list, best[s]), k * sizeof (guint));
      kl_committee_model_improve (model, search_prices, panel);
      for (guint m = 0; m < k; m++)
        value += prices[panel[m]];
      if (value > threshold)
        n_found++;
    }
  return n_found;
}
