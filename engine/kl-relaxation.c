/* kl-relaxation.c — the smallest change to the quotas that makes a panel
 * possible (spec 4.2)
 *
 * The same panel model, with the bounds allowed to move within the flex
 * columns, and a price for each move: lowering a small minimum costs more
 * than lowering a large one, since it removes a larger share of a group's
 * guaranteed seats. The panel size and households are never relaxed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-algorithm-private.h"
#include "kl-committee-model-private.h"

#include <math.h>

static double
lowering_cost (int min)
{
  return min == 0 ? 0 : 1.0 + 2.0 / min;
}

static KlMessage *
suggestion (GPtrArray          *messages,
            const char         *code,
            const char         *feature,
            const KlQuotaValue *value,
            int                 old_bound,
            int                 new_bound)
{
  KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, code);

  kl_message_set_param (m, "feature", feature);
  kl_message_set_param (m, "value", value->name);
  kl_message_set_param_int (m, "old", old_bound);
  kl_message_set_param_int (m, "new", new_bound);
  kl_message_set_param (m, "bound", g_str_equal (code, "relax_min") ? "min" : "max");
  return m;
}

/**
 * kl_relax_quotas:
 *
 * Called once the panel model is known to be infeasible. Fails with
 * %KL_ERROR_INFEASIBLE, one line per suggested change and the relaxed
 * quotas in @suggested; or with %KL_ERROR_CANNOT_RELAX when even the
 * widest quotas the flex columns allow admit no panel.
 */
gboolean
kl_relax_quotas (KlAlgorithmContext  *ctx,
                 KlCommitteeModel    *model,
                 KlQuotas           **suggested,
                 GPtrArray           *messages,
                 GError             **error)
{
  KlQuotas *quotas = ctx->quotas;
  guint nf = kl_quotas_get_n_features (quotas);
  guint n_slots = kl_quotas_get_n_slots (quotas);
  guint n_groups = kl_committee_model_get_n_groups (model);
  guint n_households = kl_pool_get_n_households (ctx->pool);
  g_autoptr(KlLp) lp = kl_lp_new (FALSE);
  g_autofree int *count_col = g_new (int, MAX (n_groups, 1));
  g_autofree int *lower_col = g_new (int, MAX (n_slots, 1));
  g_autofree int *raise_col = g_new (int, MAX (n_slots, 1));
  g_autofree int *cols = g_new (int, n_groups + 2);
  g_autofree double *coefs = g_new (double, n_groups + 2);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KlQuotas) relaxed = NULL;
  KlMipParams params;
  KlLpStatus status;
  gboolean flex_possible = TRUE;

  for (guint g = 0; g < n_groups; g++)
    {
      const guint *members;
      guint size = kl_committee_model_get_group (model, g, &members);
      count_col[g] = kl_lp_add_col (lp, size == 1 ? KL_LP_BINARY : KL_LP_INTEGER, 0, size, 0);
    }

  for (guint f = 0; f < nf; f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        guint s = kl_quotas_get_slot (quotas, f, v);

        /* Quotas built in code may have flex bounds the file rules forbid. */
        if (quota->min_flex > quota->min || quota->max_flex < quota->max)
          flex_possible = FALSE;
        lower_col[s] = kl_lp_add_col (lp, KL_LP_INTEGER, 0, MAX (quota->min - quota->min_flex, 0),
                                      lowering_cost (quota->min));
        raise_col[s] = kl_lp_add_col (lp, KL_LP_INTEGER, 0, MAX (quota->max_flex - quota->max, 0), 1.0);
      }

  for (guint g = 0; g < n_groups; g++)
    {
      cols[g] = count_col[g];
      coefs[g] = 1;
    }
  kl_lp_add_row (lp, ctx->k, ctx->k, n_groups, cols, coefs);

  for (guint f = 0; f < nf; f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        guint s = kl_quotas_get_slot (quotas, f, v);
        guint n = 0;

        for (guint g = 0; g < n_groups; g++)
          {
            const guint *members;
            kl_committee_model_get_group (model, g, &members);
            if (kl_pool_get_value (ctx->pool, members[0], f) == v)
              {
                cols[n] = count_col[g];
                coefs[n++] = 1;
              }
          }
        /* count + lowered ≥ min, count − raised ≤ max */
        cols[n] = lower_col[s];
        coefs[n] = 1;
        kl_lp_add_row (lp, quota->min, KL_LP_INF, n + 1, cols, coefs);
        cols[n] = raise_col[s];
        coefs[n] = -1;
        kl_lp_add_row (lp, -KL_LP_INF, quota->max, n + 1, cols, coefs);
      }

  if (n_households > 0)
    {
      for (guint h = 0; h < n_households; h++)
        {
          guint n = 0;
          for (guint g = 0; g < n_groups; g++)
            {
              const guint *members;
              if (kl_committee_model_get_group (model, g, &members) == 1 &&
                  kl_pool_get_household (ctx->pool, members[0]) == (int) h)
                {
                  cols[n] = count_col[g];
                  coefs[n++] = 1;
                }
            }
          kl_lp_add_row (lp, -KL_LP_INF, 1, n, cols, coefs);
        }
    }

  kl_mip_params_init (&params);
  status = flex_possible ? kl_lp_solve_mip (lp, &params, ctx->cancellable, &local_error) : KL_LP_INFEASIBLE;
  if (status == KL_LP_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (status != KL_LP_OPTIMAL)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR,
                                      status == KL_LP_INFEASIBLE ? "cannot_relax" : "relaxation_failed");
      kl_message_set_param (m, "status", kl_lp_status_to_string (status));
      kl_messages_fail (messages, 0, KL_ERROR,
                        status == KL_LP_INFEASIBLE ? KL_ERROR_CANNOT_RELAX : KL_ERROR_SOLVER, error);
      return FALSE;
    }

  relaxed = kl_quotas_copy (quotas);
  kl_messages_add (messages, KL_SEVERITY_ERROR, "infeasible_quotas_header");
  for (guint f = 0; f < nf; f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const char *feature = kl_quotas_get_feature (quotas, f)->name;
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        KlQuotaValue *changed = kl_quotas_get_value (relaxed, f, v);
        guint s = kl_quotas_get_slot (quotas, f, v);
        int lower = (int) lround (kl_lp_get_value (lp, lower_col[s]));
        int raise = (int) lround (kl_lp_get_value (lp, raise_col[s]));

        changed->min = quota->min - lower;
        changed->max = quota->max + raise;
        if (lower > 0)
          suggestion (messages, "relax_min", feature, quota, quota->min, changed->min);
        if (raise > 0)
          suggestion (messages, "relax_max", feature, quota, quota->max, changed->max);
      }

  *suggested = g_steal_pointer (&relaxed);
  kl_messages_fail (messages, 0, KL_ERROR, KL_ERROR_INFEASIBLE, error);
  return FALSE;
}
