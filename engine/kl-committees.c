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
/* Multiplicative weights only needs good panels, not proven-best ones. */
#define ROUND_GAP 1e-2

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

/* Every uncovered person gets a panel of their own if one exists: by
 * swapping them for someone interchangeable on a known panel when
 * possible, else by asking the model for any panel with them on it. */
static gboolean
cover_everyone (KlAlgorithmContext  *ctx,
                KlCommitteeModel    *model,
                KlCommittees        *committees,
                GError             **error)
{
  g_autofree double *weights = g_new0 (double, MAX (committees->n, 1));
  g_autofree guint *committee = g_new (guint, MAX (committees->k, 1));
  KlMipParams params;
  guint n_unreachable = 0;

  kl_mip_params_init (&params);
  params.stop_above = 0.5;

  for (guint i = 0; i < committees->n; i++)
    {
      KlPricing pricing;
      gboolean swapped = FALSE;

      if (committees->covered[i])
        continue;
      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return FALSE;

      for (guint c = 0; c < committees->list->len && !swapped; c++)
        swapped = kl_committee_model_swap_in (model, g_ptr_array_index (committees->list, c), i, committee);
      if (swapped)
        {
          kl_committees_add (committees, committee);
          continue;
        }

      weights[i] = 1.0;
      if (!kl_committee_model_find (model, weights, &params, committee, &pricing, ctx->cancellable, error))
        return FALSE;
      weights[i] = 0.0;

      if (pricing.status != KL_LP_INFEASIBLE && pricing.status != KL_LP_BOUND_REACHED && pricing.value > 0.5)
        kl_committees_add (committees, committee);
      else
        {
          n_unreachable++;
          if (ctx->report)
            kl_message_set_param (kl_report_add_line (ctx->report, KL_LEVEL_NORMAL,
                                                      "agent_not_in_feasible_committee"),
                                  "agent_id", kl_pool_get_id (ctx->pool, i));
        }
    }

  if (n_unreachable == 0 && ctx->report)
    kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "all_agents_in_feasible_committees");
  return TRUE;
}

/**
 * kl_committees_initial:
 * @rounds: n for maximin, 2n for nash, 3n for leximin
 *
 * Multiplicative weights (spec 4.3): each round finds the panel heaviest
 * under the current weights and makes its members lighter, so later rounds
 * find different panels; then everyone no panel covers yet is covered if
 * anyone can be.
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
  KlMipParams params;
  gboolean ok = TRUE;

  for (guint i = 0; i < n; i++)
    weights[i] = kl_random_uniform (ctx->random, INITIAL_WEIGHT_LOW, INITIAL_WEIGHT_HIGH);

  kl_mip_params_init (&params);
  params.gap = ROUND_GAP;

  kl_progress_start (ctx->progress, KL_PHASE_MULTIPLICATIVE_WEIGHTS, rounds,
                     _("Searching for diverse panels: %u rounds"), rounds);
  for (guint t = 1; t <= rounds && ok; t++)
    {
      KlPricing pricing;
      gboolean is_new;

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

      kl_progress_update (ctx->progress, t, _("Round %u of %u: %u different panels so far"),
                          t, rounds, committees->list->len);
      g_debug ("Multiplicative weights round %u of %u: %u panels", t, rounds, committees->list->len);
    }
  kl_progress_end (ctx->progress);

  if (ok && ctx->report)
    {
      KlMessage *m = kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "initial_committees_found");
      kl_message_set_param_int (m, "count", committees->list->len);
      kl_message_set_param_int (m, "rounds", rounds);
    }

  if (!ok || !cover_everyone (ctx, model, committees, error))
    return NULL;
  return g_steal_pointer (&committees);
}
