/* kl-committee-model.c — which k people can form a panel (spec 4.1)
 *
 * Volunteers with the same values for every feature, who share a household
 * with nobody in the pool, are interchangeable: any panel stays valid when
 * one is swapped for another. The model therefore chooses how many people
 * of each such group sit on the panel (one integer each) rather than who
 * (one binary each): on real pools a few hundred groups stand for a
 * thousand people, and branch and bound no longer wanders through
 * symmetric copies of the same panel. People who share a household keep a
 * binary of their own, for the household rule.
 *
 * The objective "maximise the weights of the members" stays exact: within a
 * group the model's continuous shares y_i go to the heaviest members first,
 * and the panel is read as the heaviest n_g members of each group.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-committee-model-private.h"

#include <math.h>
#include <stdlib.h>

struct _KlCommitteeModel {
  KlPool *pool;
  guint k;
  guint n;
  KlLp *lp;
  guint n_groups;
  guint *group_start;      /* CSR: members of each group, in pool order */
  guint *group_members;
  int *count_col;          /* per group: integer column n_g */
  int *share_col;          /* per agent: continuous y_i, or -1 in a group of one */
  guint *group_of;         /* per agent */
};

static inline guint
group_size (const KlCommitteeModel *self,
            guint                   g)
{
  return self->group_start[g + 1] - self->group_start[g];
}

/* Groups people by profile, keeping household members apart. */
static void
make_groups (KlCommitteeModel *self)
{
  KlQuotas *quotas = kl_pool_get_quotas (self->pool);
  guint nf = kl_quotas_get_n_features (quotas);
  g_autoptr(GHashTable) by_profile = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                            (GDestroyNotify) g_bytes_unref, NULL);
  g_autofree guint *fill = NULL;
  g_autofree guint *sizes = g_new0 (guint, MAX (self->n, 1));

  self->group_of = g_new (guint, MAX (self->n, 1));
  self->n_groups = 0;

  for (guint i = 0; i < self->n; i++)
    {
      if (kl_pool_get_household (self->pool, i) != KL_NO_HOUSEHOLD)
        self->group_of[i] = self->n_groups++;
      else
        {
          g_autoptr(GBytes) key = g_bytes_new (kl_pool_get_values (self->pool, i), nf * sizeof (int));
          gpointer found;

          if (g_hash_table_lookup_extended (by_profile, key, NULL, &found))
            self->group_of[i] = GPOINTER_TO_UINT (found);
          else
            {
              self->group_of[i] = self->n_groups++;
              g_hash_table_insert (by_profile, g_bytes_ref (key), GUINT_TO_POINTER (self->group_of[i]));
            }
        }
      sizes[self->group_of[i]]++;
    }

  self->group_start = g_new0 (guint, self->n_groups + 1);
  for (guint g = 0; g < self->n_groups; g++)
    self->group_start[g + 1] = self->group_start[g] + sizes[g];
  self->group_members = g_new (guint, MAX (self->n, 1));
  fill = g_new0 (guint, MAX (self->n_groups, 1));
  for (guint i = 0; i < self->n; i++)
    {
      guint g = self->group_of[i];
      self->group_members[self->group_start[g] + fill[g]++] = i;
    }
}

/* The rules of a valid panel over the groups' counts, in any model whose
 * columns @count_col hold them: k seats, every quota, one per household. */
static void
add_panel_rows (KlCommitteeModel *self,
                KlLp             *lp,
                const int        *count_col)
{
  KlQuotas *quotas = kl_pool_get_quotas (self->pool);
  guint nf = kl_quotas_get_n_features (quotas);
  g_autofree int *cols = g_new (int, MAX (self->n_groups, 1));
  g_autofree double *ones = g_new (double, MAX (self->n_groups, 1));
  guint n_households = kl_pool_get_n_households (self->pool);

  for (guint g = 0; g < self->n_groups; g++)
    {
      cols[g] = count_col[g];
      ones[g] = 1.0;
    }
  kl_lp_add_row (lp, self->k, self->k, self->n_groups, cols, ones);

  /* A value nobody has gives an empty row; with bounds that exclude 0 it
   * makes the model infeasible, as it should. */
  for (guint f = 0; f < nf; f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        guint n = 0;

        for (guint g = 0; g < self->n_groups; g++)
          if (kl_pool_get_value (self->pool, self->group_members[self->group_start[g]], f) == v)
            cols[n++] = count_col[g];
        kl_lp_add_row (lp, quota->min, quota->max, n, cols, ones);
      }

  /* Household members are groups of one: Σ x ≤ 1 over each household. */
  if (n_households > 0)
    {
      g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

      for (guint h = 0; h < n_households; h++)
        g_ptr_array_add (members, g_array_new (FALSE, FALSE, sizeof (int)));
      for (guint i = 0; i < self->n; i++)
        {
          int h = kl_pool_get_household (self->pool, i);
          if (h != KL_NO_HOUSEHOLD)
            g_array_append_val (g_ptr_array_index (members, h), count_col[self->group_of[i]]);
        }
      for (guint h = 0; h < n_households; h++)
        {
          GArray *list = g_ptr_array_index (members, h);
          kl_lp_add_row (lp, -KL_LP_INF, 1, list->len, (int *) list->data, ones);
        }
    }
}

static void
build_lp (KlCommitteeModel *self)
{
  g_autofree int *cols = g_new (int, self->n + 1);
  g_autofree double *ones = g_new (double, self->n + 1);

  for (guint i = 0; i < self->n + 1; i++)
    ones[i] = 1.0;

  self->lp = kl_lp_new (TRUE);
  self->count_col = g_new (int, MAX (self->n_groups, 1));
  self->share_col = g_new (int, MAX (self->n, 1));

  for (guint g = 0; g < self->n_groups; g++)
    {
      guint size = group_size (self, g);

      self->count_col[g] = kl_lp_add_col (self->lp, size == 1 ? KL_LP_BINARY : KL_LP_INTEGER, 0, size, 0);
      if (size == 1)
        {
          self->share_col[self->group_members[self->group_start[g]]] = -1;
          continue;
        }

      /* Σ y_i − n_g = 0 over the group's members */
      for (guint m = 0; m < size; m++)
        {
          guint agent = self->group_members[self->group_start[g] + m];
          self->share_col[agent] = kl_lp_add_col (self->lp, KL_LP_CONTINUOUS, 0, 1, 0);
          cols[m] = self->share_col[agent];
        }
      cols[size] = self->count_col[g];
      ones[size] = -1.0;
      kl_lp_add_row (self->lp, 0, 0, size + 1, cols, ones);
      ones[size] = 1.0;
    }

  add_panel_rows (self, self->lp, self->count_col);
}

KlCommitteeModel *
kl_committee_model_new (KlPool *pool,
                        guint   k)
{
  KlCommitteeModel *self = g_new0 (KlCommitteeModel, 1);

  self->pool = kl_pool_ref (pool);
  self->k = k;
  self->n = kl_pool_get_n_people (pool);
  make_groups (self);
  build_lp (self);
  return self;
}

void
kl_committee_model_free (KlCommitteeModel *self)
{
  if (self == NULL)
    return;
  kl_pool_unref (self->pool);
  kl_lp_free (self->lp);
  g_free (self->group_start);
  g_free (self->group_members);
  g_free (self->count_col);
  g_free (self->share_col);
  g_free (self->group_of);
  g_free (self);
}

/**
 * kl_committee_model_relax_maximin:
 * @covered: per group, whether its members must get the chance z
 * @group_prices: (out): per group, the dual price of its chance (0 for
 *   groups not covered), summing to 1
 * @bound: (out): the largest z
 *
 * The maximin of the panels' LP relaxation: the largest z such that some
 * fractional panel (seats per group between 0 and the group's size, every
 * quota and household kept) gives each covered group at least z seats per
 * member. Every distribution over valid panels is such a fractional panel
 * on average, so @bound is an upper bound on the maximin; the prices are
 * the duals that prove it, and usually lie near the maximin's own.
 */
gboolean
kl_committee_model_relax_maximin (KlCommitteeModel  *self,
                                  const gboolean    *covered,
                                  double            *group_prices,
                                  double            *bound,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  g_autoptr(KlLp) lp = kl_lp_new (TRUE);
  g_autofree int *count_col = g_new (int, MAX (self->n_groups, 1));
  g_autofree int *chance_row = g_new (int, MAX (self->n_groups, 1));
  int z_col = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 1);
  KlLpStatus status;
  double total = 0;

  for (guint g = 0; g < self->n_groups; g++)
    count_col[g] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, group_size (self, g), 0);
  add_panel_rows (self, lp, count_col);
  for (guint g = 0; g < self->n_groups; g++)
    {
      int cols[2] = { count_col[g], z_col };
      double values[2] = { 1, -(double) group_size (self, g) };

      chance_row[g] = covered[g] ? kl_lp_add_row (lp, 0, KL_LP_INF, 2, cols, values) : -1;
    }

  status = kl_lp_solve (lp, cancellable, error);
  if (status != KL_LP_OPTIMAL)
    {
      if (status != KL_LP_ERROR)
        g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                     _("The relaxation of the panel model could not be solved (%s)."), kl_lp_status_to_string (status));
      return FALSE;
    }

  for (guint g = 0; g < self->n_groups; g++)
    {
      group_prices[g] = chance_row[g] >= 0
        ? fabs (kl_lp_get_row_dual (lp, chance_row[g])) * group_size (self, g)
        : 0;
      total += group_prices[g];
    }
  for (guint g = 0; g < self->n_groups && total > 0; g++)
    group_prices[g] /= total;
  *bound = kl_lp_get_objective (lp);
  return total > 0;
}

/* What the model's solves cost so far. */
const KlLpStats *
kl_committee_model_get_stats (KlCommitteeModel *self)
{
  return kl_lp_get_stats (self->lp);
}

guint
kl_committee_model_get_n_groups (KlCommitteeModel *self)
{
  return self->n_groups;
}

/* The members of a group, and how many there are. */
guint
kl_committee_model_get_group (KlCommitteeModel  *self,
                              guint              group,
                              const guint      **members)
{
  g_return_val_if_fail (group < self->n_groups, 0);

  *members = &self->group_members[self->group_start[group]];
  return group_size (self, group);
}

static int
compare_by_weight (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const double *w = user_data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (w[x] != w[y])
    return w[x] > w[y] ? -1 : 1;
  return (x > y) - (x < y);
}

typedef struct {
  const double *weights;
  const guint *group_of;
} OutsiderOrder;

/* Heaviest first; equal weights by group, so that a group's outsiders
 * stand together and a refused group is skipped in one step. */
static int
compare_outsiders (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const OutsiderOrder *order = user_data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (order->weights[x] != order->weights[y])
    return order->weights[x] > order->weights[y] ? -1 : 1;
  if (order->group_of[x] != order->group_of[y])
    return order->group_of[x] < order->group_of[y] ? -1 : 1;
  return (x > y) - (x < y);
}

/**
 * kl_committee_model_find:
 * @weights: one per person; %NULL for all equal
 * @committee: (out): k pool indices, sorted
 *
 * Solves "maximise the members' total weight over all valid panels".
 * Returns %FALSE with @error on a solver error or cancellation, and with
 * @pricing->status %KL_LP_INFEASIBLE (no error) when no panel exists, or
 * %KL_LP_BOUND_REACHED when no panel beats @params->stop_if_bound_below
 * (then @committee is left as it was).
 */
gboolean
kl_committee_model_find (KlCommitteeModel   *self,
                         const double       *weights,
                         const KlMipParams  *params,
                         guint              *committee,
                         KlPricing          *pricing,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autofree guint *order = NULL;
  guint taken = 0;

  for (guint i = 0; i < self->n; i++)
    {
      double w = weights ? weights[i] : 1.0;
      int col = self->share_col[i] >= 0 ? self->share_col[i] : self->count_col[self->group_of[i]];
      kl_lp_set_objective (self->lp, col, w);
    }

  pricing->status = kl_lp_solve_mip (self->lp, params, cancellable, error);
  pricing->value = 0;
  pricing->bound = KL_LP_INF;
  if (pricing->status == KL_LP_INFEASIBLE)
    return TRUE;
  if (pricing->status == KL_LP_BOUND_REACHED)
    {
      /* No panel is worth more than the caller's threshold: that is the
       * answer, and there is no panel to read. */
      pricing->value = -KL_LP_INF;
      pricing->bound = kl_lp_get_mip_bound (self->lp);
      return TRUE;
    }
  if (pricing->status != KL_LP_OPTIMAL && pricing->status != KL_LP_FEASIBLE)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                     _("No panel was found; the solver's status is “%s”."),
                     kl_lp_status_to_string (pricing->status));
      return FALSE;
    }

  /* The heaviest n_g members of each group; ties go to pool order, so the
   * same weights always give the same panel. */
  order = g_new (guint, MAX (self->n, 1));
  for (guint g = 0; g < self->n_groups; g++)
    {
      guint size = group_size (self, g);
      guint count = (guint) lround (kl_lp_get_value (self->lp, self->count_col[g]));

      memcpy (order, &self->group_members[self->group_start[g]], size * sizeof (guint));
      if (weights != NULL && size > 1)
        g_qsort_with_data (order, size, sizeof (guint), compare_by_weight, (gpointer) weights);
      for (guint m = 0; m < MIN (count, size) && taken < self->k; m++)
        committee[taken++] = order[m];
    }

  if (taken != self->k)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                   _("The solver returned a panel of %u people instead of %u."), taken, self->k);
      return FALSE;
    }

  qsort (committee, self->k, sizeof (guint), kl_compare_uint);
  for (guint m = 0; m < self->k; m++)
    pricing->value += weights ? weights[committee[m]] : 1.0;
  pricing->bound = pricing->status == KL_LP_OPTIMAL ? pricing->value
                                                    : MAX (pricing->value, kl_lp_get_mip_bound (self->lp));
  return TRUE;
}

/**
 * kl_committee_model_swap_in:
 *
 * A valid panel with @agent on it, made from @committee by swapping @agent
 * for someone interchangeable with them, without a solve. %FALSE if
 * @agent has nobody interchangeable on @committee.
 */
gboolean
kl_committee_model_swap_in (KlCommitteeModel *self,
                            const guint      *committee,
                            guint             agent,
                            guint            *result)
{
  guint g = self->group_of[agent];

  for (guint m = 0; m < self->k; m++)
    if (committee[m] == agent)
      return FALSE;

  for (guint m = 0; m < self->k; m++)
    if (self->group_of[committee[m]] == g)
      {
        memcpy (result, committee, self->k * sizeof (guint));
        result[m] = agent;
        qsort (result, self->k, sizeof (guint), kl_compare_uint);
        return TRUE;
      }
  return FALSE;
}

typedef struct {
  KlCommitteeModel *model;
  const double *weights;
  guint n_features;
  int *count;            /* per (feature, value) slot: members on the panel */
  int *low, *high;       /* per slot: the quota */
  guint *slot_start;     /* per feature: first slot */
  int *household_member; /* per household: the member on the panel, or -1 */
} Swapper;

static gboolean
swap_keeps_quotas (Swapper *s,
                   guint    out,
                   guint    in)
{
  KlPool *pool = s->model->pool;
  int household = kl_pool_get_household (pool, in);
  const int *out_values = kl_pool_get_values (pool, out);
  const int *in_values = kl_pool_get_values (pool, in);

  if (household != KL_NO_HOUSEHOLD && s->household_member[household] >= 0 &&
      (guint) s->household_member[household] != out)
    return FALSE;
  for (guint f = 0; f < s->n_features; f++)
    {
      guint a = s->slot_start[f] + out_values[f];
      guint b = s->slot_start[f] + in_values[f];

      if (a != b && (s->count[a] - 1 < s->low[a] || s->count[b] + 1 > s->high[b]))
        return FALSE;
    }
  return TRUE;
}

static void
swap_apply (Swapper *s,
            guint    out,
            guint    in)
{
  KlPool *pool = s->model->pool;
  int h_out = kl_pool_get_household (pool, out), h_in = kl_pool_get_household (pool, in);
  const int *out_values = kl_pool_get_values (pool, out);
  const int *in_values = kl_pool_get_values (pool, in);

  for (guint f = 0; f < s->n_features; f++)
    {
      s->count[s->slot_start[f] + out_values[f]]--;
      s->count[s->slot_start[f] + in_values[f]]++;
    }
  if (h_out != KL_NO_HOUSEHOLD)
    s->household_member[h_out] = -1;
  if (h_in != KL_NO_HOUSEHOLD)
    s->household_member[h_in] = in;
}

/**
 * kl_committee_model_improve:
 * @committee: (inout): a valid panel, k sorted pool indices
 *
 * Local search for the pricing step: swaps one member for one outsider
 * while that keeps every quota and the household rule and adds weight,
 * best swap first, until no swap helps. Costs a few passes over the pool
 * instead of a branch and bound, and finds an improving panel in most
 * rounds of column generation; the exact model is then only needed when
 * it fails — in particular to prove at the end that no panel is better.
 * Returns the panel's weight.
 */
double
kl_committee_model_improve (KlCommitteeModel *self,
                            const double     *weights,
                            guint            *committee)
{
  KlQuotas *quotas = kl_pool_get_quotas (self->pool);
  Swapper s = { self, weights, kl_quotas_get_n_features (quotas) };
  g_autofree guint *outsiders = g_new (guint, MAX (self->n, 1));
  g_autofree gboolean *on_panel = g_new0 (gboolean, MAX (self->n, 1));
  g_autofree guint *refused = g_new0 (guint, MAX (self->n_groups, 1));
  g_autofree guint *lightest = g_new (guint, MAX (self->n_groups, 1));
  g_autofree guint *run_end = g_new (guint, MAX (self->n, 1));
  OutsiderOrder outsider_order = { weights, self->group_of };
  guint n_slots = 0, n_outsiders = 0, stamp = 0;
  double value = 0;

  s.slot_start = g_new (guint, s.n_features + 1);
  for (guint f = 0; f < s.n_features; f++)
    {
      s.slot_start[f] = n_slots;
      n_slots += kl_quotas_get_feature (quotas, f)->values->len;
    }
  s.slot_start[s.n_features] = n_slots;
  s.count = g_new0 (int, MAX (n_slots, 1));
  s.low = g_new (int, MAX (n_slots, 1));
  s.high = g_new (int, MAX (n_slots, 1));
  for (guint f = 0; f < s.n_features; f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        s.low[s.slot_start[f] + v] = quota->min;
        s.high[s.slot_start[f] + v] = quota->max;
      }
  s.household_member = g_new (int, MAX (kl_pool_get_n_households (self->pool), 1));
  for (guint h = 0; h < kl_pool_get_n_households (self->pool); h++)
    s.household_member[h] = -1;

  for (guint m = 0; m < self->k; m++)
    {
      guint i = committee[m];
      int h = kl_pool_get_household (self->pool, i);

      on_panel[i] = TRUE;
      value += weights[i];
      for (guint f = 0; f < s.n_features; f++)
        s.count[s.slot_start[f] + kl_pool_get_value (self->pool, i, f)]++;
      if (h != KL_NO_HOUSEHOLD)
        s.household_member[h] = i;
    }
  for (guint i = 0; i < self->n; i++)
    if (!on_panel[i] && weights[i] > 0)
      outsiders[n_outsiders++] = i;
  g_qsort_with_data (outsiders, n_outsiders, sizeof (guint), compare_outsiders, &outsider_order);

  /* Each swap adds weight, so the search ends; the cap only bounds a
   * search through many tiny gains. Whether a swap keeps the quotas depends
   * only on the two people's groups (households are groups of one), so
   * each pass tries only the lightest member of each group on the panel,
   * and skips outsiders of a group already refused for that member. */
  for (guint pass = 0; pass < 4 * self->k; pass++)
    {
      double best_gain = 1e-12;
      guint best_m = 0, best_o = 0;

      /* run_end[o]: where the run of outsiders of o's group and weight ends */
      for (guint o = n_outsiders; o > 0; o--)
        {
          guint j = outsiders[o - 1];
          gboolean same = o < n_outsiders && self->group_of[outsiders[o]] == self->group_of[j] &&
                          weights[outsiders[o]] == weights[j];

          run_end[o - 1] = same ? run_end[o] : o;
        }
      for (guint m = 0; m < self->k; m++)
        lightest[self->group_of[committee[m]]] = G_MAXUINT;
      for (guint m = 0; m < self->k; m++)
        {
          guint g = self->group_of[committee[m]];

          if (lightest[g] == G_MAXUINT || weights[committee[m]] < weights[committee[lightest[g]]])
            lightest[g] = m;
        }

      for (guint m = 0; m < self->k; m++)
        {
          guint g = self->group_of[committee[m]];
          double w_out = weights[committee[m]];

          if (lightest[g] != m)
            continue;
          stamp++;
          /* Outsiders come heaviest first: once one cannot beat the best
           * gain, none after it can. */
          for (guint o = 0; o < n_outsiders; o++)
            {
              guint j = outsiders[o], h = self->group_of[j];

              if (weights[j] - w_out <= best_gain)
                break;
              if (refused[h] == stamp)
                {
                  o = run_end[o] - 1;
                  continue;
                }
              if (on_panel[j])
                continue;
              if (!swap_keeps_quotas (&s, committee[m], j))
                {
                  refused[h] = stamp;
                  o = run_end[o] - 1;
                  continue;
                }
              best_gain = weights[j] - w_out;
              best_m = m;
              best_o = o;
              break;
            }
        }
      if (best_gain <= 1e-12)
        break;

      {
        guint out = committee[best_m], in = outsiders[best_o];
        guint at;

        swap_apply (&s, out, in);
        on_panel[out] = FALSE;
        on_panel[in] = TRUE;
        committee[best_m] = in;
        value += best_gain;

        /* The outsiders stay sorted: the one who left the panel takes the
         * newcomer's place and moves down to where its weight belongs. */
        memmove (&outsiders[best_o], &outsiders[best_o + 1], (n_outsiders - best_o - 1) * sizeof (guint));
        for (at = best_o; at < n_outsiders - 1; at++)
          if (compare_outsiders (&out, &outsiders[at], &outsider_order) < 0)
            break;
        memmove (&outsiders[at + 1], &outsiders[at], (n_outsiders - 1 - at) * sizeof (guint));
        outsiders[at] = out;
      }
    }

  qsort (committee, self->k, sizeof (guint), kl_compare_uint);
  g_free (s.slot_start);
  g_free (s.count);
  g_free (s.low);
  g_free (s.high);
  g_free (s.household_member);
  return value;
}
