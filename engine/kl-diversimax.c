/* kl-diversimax.c — the one panel that spreads its members most evenly
 * over combinations of features (spec 4.7)
 *
 * For up to 50 combinations of features (gender × age, gender × age ×
 * region, …) the ideal panel has k / P members in each of the P combined
 * categories ("profiles"); one MIP minimises the sum of the absolute
 * deviations from that ideal, under the quotas and the household rule.
 *
 * The MIP counts people per group of interchangeable volunteers (same
 * values for every feature, no housemate in the pool; the groups of
 * kl-committee-model.c) instead of deciding about each person: a person's
 * profile under every combination depends only on their values, so the
 * objective cannot tell two members of a group apart, and branch and bound
 * is spared their symmetric copies. Which members of a group sit is then
 * drawn with the run's random generator, so that no row of the pool file is
 * favoured; that is the only randomness besides the order of combinations.
 *
 * One more row per profile, the chord of |count − ideal| between the two
 * whole counts around the ideal (add_chord), changes no panel's objective
 * but makes GLPK's relaxation strong enough to prove optimality at once on
 * the library's benchmark pools, where without it the search ran into the
 * time limit with a 60 % gap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-algorithm-private.h"
#include "kl-committee-model-private.h"
#include "kl-diversimax-private.h"

#include <math.h>
#include <stdlib.h>

#define MIP_GAP 0.1

/* Per feature: how many distinct values the pool has, and each value's
 * rank among them in order of first occurrence. */
typedef struct {
  guint n_features;
  guint *n_present;
  guint **rank;        /* [feature][quota value index] */
} PresentValues;

static void
present_values_init (PresentValues *self,
                     KlPool        *pool)
{
  KlQuotas *quotas = kl_pool_get_quotas (pool);
  guint n = kl_pool_get_n_people (pool);

  self->n_features = kl_quotas_get_n_features (quotas);
  self->n_present = g_new0 (guint, MAX (self->n_features, 1));
  self->rank = g_new0 (guint *, MAX (self->n_features, 1));
  for (guint f = 0; f < self->n_features; f++)
    {
      guint n_values = kl_quotas_get_feature (quotas, f)->values->len;

      self->rank[f] = g_new (guint, MAX (n_values, 1));
      for (guint v = 0; v < n_values; v++)
        self->rank[f][v] = G_MAXUINT;
      for (guint i = 0; i < n; i++)
        {
          guint v = kl_pool_get_value (pool, i, f);
          if (self->rank[f][v] == G_MAXUINT)
            self->rank[f][v] = self->n_present[f]++;
        }
    }
}

static void
present_values_clear (PresentValues *self)
{
  for (guint f = 0; f < self->n_features; f++)
    g_free (self->rank[f]);
  g_free (self->rank);
  g_free (self->n_present);
}

/* The person's profile under @features, in 0 .. n_profiles − 1. */
static guint
profile_of (const PresentValues *values,
            KlPool              *pool,
            guint                person,
            guint32              features)
{
  guint profile = 0;

  for (guint f = 0; f < values->n_features; f++)
    if (features & (1u << f))
      profile = profile * values->n_present[f] + values->rank[f][kl_pool_get_value (pool, person, f)];
  return profile;
}

/* All subsets of size 1 … F in the order itertools.combinations lists
 * them: by size, then lexicographically by feature index. */
static GArray *
all_subsets (guint n_features)
{
  GArray *subsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint index[KL_DIVERSIMAX_MAX_FEATURES];

  for (guint size = 1; size <= n_features; size++)
    {
      for (guint j = 0; j < size; j++)
        index[j] = j;
      for (;;)
        {
          guint32 mask = 0;
          int j;

          for (guint m = 0; m < size; m++)
            mask |= 1u << index[m];
          g_array_append_val (subsets, mask);

          /* the next combination: bump the rightmost index that can move */
          for (j = (int) size - 1; j >= 0 && index[j] == n_features - size + (guint) j; j--)
            ;
          if (j < 0)
            break;
          index[j]++;
          for (guint m = (guint) j + 1; m < size; m++)
            index[m] = index[m - 1] + 1;
        }
    }
  return subsets;
}

static int
compare_uint64 (gconstpointer a,
                gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return (x > y) - (x < y);
}

/**
 * kl_diversimax_choose_subsets:
 * @random: the run's generator; exactly one number is drawn from it
 *
 * The combinations of features diversimax balances, in the spec's order:
 * every non-empty subset, shuffled (by a generator seeded with one number
 * drawn from @random), then stably sorted by size; a subset is skipped when
 * it has more profiles than seats (most cells would hold 0 or 1 member) or
 * fewer than two pool members per profile; at most 50 are kept.
 *
 * Returns: (transfer full): a #GArray of #KlFeatureSubset
 */
GArray *
kl_diversimax_choose_subsets (KlPool   *pool,
                              guint     k,
                              KlRandom *random)
{
  guint n = kl_pool_get_n_people (pool);
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (KlFeatureSubset));
  g_autoptr(GArray) subsets = NULL;
  g_autoptr(KlRandom) shuffle = NULL;
  g_autofree guint64 *keyed = NULL;
  PresentValues values;

  present_values_init (&values, pool);
  g_return_val_if_fail (values.n_features <= KL_DIVERSIMAX_MAX_FEATURES, chosen);
  subsets = all_subsets (values.n_features);

  /* A generator of its own: the run's stream advances by one number
   * however many subsets there are. Seed 0 would mean "secure". */
  shuffle = kl_random_new (1 + (gint64) kl_random_below (random, G_MAXINT32));
  for (guint i = subsets->len; i > 1; i--)
    {
      guint j = kl_random_below (shuffle, i);
      guint32 swap = g_array_index (subsets, guint32, i - 1);

      g_array_index (subsets, guint32, i - 1) = g_array_index (subsets, guint32, j);
      g_array_index (subsets, guint32, j) = swap;
    }
  /* A stable sort by size: sort (size, position) keys, all distinct. */
  keyed = g_new (guint64, MAX (subsets->len, 1));
  for (guint i = 0; i < subsets->len; i++)
    keyed[i] = ((guint64) __builtin_popcount (g_array_index (subsets, guint32, i)) << 32) | i;
  qsort (keyed, subsets->len, sizeof (guint64), compare_uint64);

  for (guint s = 0; s < subsets->len; s++)
    {
      KlFeatureSubset subset = { g_array_index (subsets, guint32, keyed[s] & G_MAXUINT32), 1 };

      for (guint f = 0; f < values.n_features; f++)
        if (subset.features & (1u << f))
          subset.n_profiles = (guint) MIN ((guint64) subset.n_profiles * values.n_present[f], (guint64) k + 1);

      if (subset.n_profiles > k || n < 2 * (guint64) subset.n_profiles)
        continue;
      if (chosen->len == KL_DIVERSIMAX_MAX_SUBSETS)
        break;
      g_array_append_val (chosen, subset);
    }

  present_values_clear (&values);
  return chosen;
}

/* The MIP of spec 4.7 over the model's groups of interchangeable people. */
typedef struct {
  KlLp *lp;
  int *count_col;        /* per group */
  double constant;       /* deviations of profiles nobody in the pool has */
  guint n_deviations;
} DiversityMip;

static void
add_row_over (KlLp       *lp,
              double      lower,
              double      upper,
              GArray     *cols,
              GArray     *coefs)
{
  kl_lp_add_row (lp, lower, upper, cols->len, (const int *) cols->data, (const double *) coefs->data);
}

/* A count is a whole number, so its deviation |count − ideal| never falls
 * below the chord joining the two whole counts around the ideal:
 *   dev ≥ (ideal − lo) + (hi + lo − 2·ideal) · (count − lo),  lo = ⌊ideal⌋, hi = lo + 1
 * holds at every whole count (the deviation is convex over them) and is
 * tight at lo and hi. Without it the relaxation puts fractional counts on
 * the ideal and proves nothing; with it branch and bound closes the gap in
 * a fraction of the time. The integer optimum is unchanged.
 * @coefs holds 1 for dev, then 1 per count column; it is left that way. */
static void
add_chord (KlLp   *lp,
           double  ideal,
           GArray *cols,
           GArray *coefs)
{
  double lo = floor (ideal), slope = 2 * lo + 1 - 2 * ideal;

  if (ideal - lo < 1e-9)
    return;  /* a whole ideal: the two rows above are already the hull */
  for (guint m = 1; m < coefs->len; m++)
    g_array_index (coefs, double, m) = -slope;
  add_row_over (lp, ideal - lo - slope * lo, KL_LP_INF, cols, coefs);
  for (guint m = 1; m < coefs->len; m++)
    g_array_index (coefs, double, m) = 1;
}

static void
diversity_mip_build (DiversityMip     *self,
                     KlAlgorithmContext *ctx,
                     KlCommitteeModel *model,
                     GArray           *subsets)
{
  KlPool *pool = ctx->pool;
  KlQuotas *quotas = ctx->quotas;
  guint n_groups = kl_committee_model_get_n_groups (model);
  guint n_households = kl_pool_get_n_households (pool);
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) coefs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *first = g_new (guint, MAX (n_groups, 1));
  PresentValues values;
  double one = 1;

  present_values_init (&values, pool);
  self->lp = kl_lp_new (FALSE);
  self->count_col = g_new (int, MAX (n_groups, 1));
  self->constant = 0;
  self->n_deviations = 0;

  for (guint g = 0; g < n_groups; g++)
    {
      const guint *members;
      guint size = kl_committee_model_get_group (model, g, &members);

      first[g] = members[0];
      self->count_col[g] = kl_lp_add_col (self->lp, size == 1 ? KL_LP_BINARY : KL_LP_INTEGER, 0, size, 0);
      g_array_append_val (cols, self->count_col[g]);
      g_array_append_val (coefs, one);
    }
  add_row_over (self->lp, ctx->k, ctx->k, cols, coefs);

  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);

        g_array_set_size (cols, 0);
        g_array_set_size (coefs, 0);
        for (guint g = 0; g < n_groups; g++)
          if (kl_pool_get_value (pool, first[g], f) == v)
            {
              g_array_append_val (cols, self->count_col[g]);
              g_array_append_val (coefs, one);
            }
        /* empty and excluding 0: infeasible, as it should be */
        add_row_over (self->lp, quota->min, quota->max, cols, coefs);
      }

  /* Housemates are groups of one each (see kl-committee-model.c). */
  for (guint h = 0; h < n_households; h++)
    {
      g_array_set_size (cols, 0);
      g_array_set_size (coefs, 0);
      for (guint g = 0; g < n_groups; g++)
        if (kl_pool_get_household (pool, first[g]) == (int) h)
          {
            g_array_append_val (cols, self->count_col[g]);
            g_array_append_val (coefs, one);
          }
      add_row_over (self->lp, -KL_LP_INF, 1, cols, coefs);
    }

  /* dev ≥ count − ideal and dev ≥ ideal − count, for each profile */
  for (guint s = 0; s < subsets->len; s++)
    {
      const KlFeatureSubset *subset = &g_array_index (subsets, KlFeatureSubset, s);
      double ideal = (double) ctx->k / subset->n_profiles;
      g_autofree guint *profile = g_new (guint, MAX (n_groups, 1));
      g_autofree gboolean *present = g_new0 (gboolean, subset->n_profiles);

      for (guint g = 0; g < n_groups; g++)
        {
          profile[g] = profile_of (&values, pool, first[g], subset->features);
          present[profile[g]] = TRUE;
        }

      for (guint c = 0; c < subset->n_profiles; c++)
        {
          int deviation;

          if (!present[c])
            {
              self->constant += ideal;
              continue;
            }
          deviation = kl_lp_add_col (self->lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
          self->n_deviations++;

          g_array_set_size (cols, 0);
          g_array_set_size (coefs, 0);
          g_array_append_val (cols, deviation);
          g_array_append_val (coefs, one);
          for (guint g = 0; g < n_groups; g++)
            if (profile[g] == c)
              {
                double minus_one = -1;
                g_array_append_val (cols, self->count_col[g]);
                g_array_append_val (coefs, minus_one);
              }
          add_row_over (self->lp, -ideal, KL_LP_INF, cols, coefs);
          for (guint m = 1; m < coefs->len; m++)
            g_array_index (coefs, double, m) = 1;
          add_row_over (self->lp, ideal, KL_LP_INF, cols, coefs);
          add_chord (self->lp, ideal, cols, coefs);
        }
    }

  present_values_clear (&values);
}

static void
diversity_mip_clear (DiversityMip *self)
{
  g_clear_pointer (&self->lp, kl_lp_free);
  g_clear_pointer (&self->count_col, g_free);
}

/* n_g members of each group, chosen uniformly within the group. */
static void
read_panel (KlAlgorithmContext *ctx,
            KlCommitteeModel   *model,
            DiversityMip       *mip,
            guint              *panel,
            guint              *taken)
{
  guint n_groups = kl_committee_model_get_n_groups (model);
  g_autofree guint *order = g_new (guint, MAX (kl_pool_get_n_people (ctx->pool), 1));

  *taken = 0;
  for (guint g = 0; g < n_groups; g++)
    {
      const guint *members;
      guint size = kl_committee_model_get_group (model, g, &members);
      guint count = (guint) MAX (lround (kl_lp_get_value (mip->lp, mip->count_col[g])), 0);

      memcpy (order, members, size * sizeof (guint));
      for (guint m = 0; m < MIN (count, size) && *taken < ctx->k; m++)
        {
          guint pick = m + kl_random_below (ctx->random, size - m);
          guint swap = order[m];

          order[m] = order[pick];
          order[pick] = swap;
          panel[(*taken)++] = order[m];
        }
    }
}

static void
report_success (KlAlgorithmContext *ctx,
                KlLpStatus          status,
                double              objective,
                double              gap,
                guint               n_subsets)
{
  g_autofree char *objective_text = g_strdup_printf ("%.3f", objective);
  g_autofree char *gap_text = g_strdup_printf ("%.1f%%", gap * 100);
  KlMessage *m;

  if (ctx->report == NULL)
    return;
  m = kl_report_add_line (ctx->report, KL_LEVEL_IMPORTANT,
                          status == KL_LP_OPTIMAL ? "diversimax_optimal" : "diversimax_feasible");
  kl_message_set_param_int (m, "count", ctx->k);
  kl_message_set_param (m, "objective", objective_text);
  kl_message_set_param (m, "gap", gap_text);
  kl_message_set_param_int (m, "subsets", n_subsets);
}

typedef struct {
  KlProgress *progress;
  double constant;
  double max_seconds;
} SearchProgress;

/* From branch and bound, about four times a second: time spent against
 * the limit, the best deviation so far and how far from proven best. */
static void
on_search_progress (gpointer data,
                    double   elapsed_seconds,
                    double   incumbent,
                    double   bound)
{
  SearchProgress *search = data;
  gint64 second = (gint64) MIN (floor (elapsed_seconds), ceil (search->max_seconds));

  if (isnan (incumbent))
    kl_progress_update (search->progress, second, _("%.0f s of %.0f s: no panel yet"),
                        elapsed_seconds, search->max_seconds);
  else if (isnan (bound))
    kl_progress_update (search->progress, second, _("%.0f s of %.0f s: best deviation %.3f"),
                        elapsed_seconds, search->max_seconds, incumbent + search->constant);
  else
    {
      double value = incumbent + search->constant;
      double gap = value > 1e-9 ? MAX (value - bound - search->constant, 0) / value : 0;

      kl_progress_update (search->progress, second,
                          _("%.0f s of %.0f s: best deviation %.3f, within %.1f%% of the least possible"),
                          elapsed_seconds, search->max_seconds, value, gap * 100);
    }
}

/**
 * kl_diversimax_select:
 * @max_seconds: the solver's time limit; the best panel found by then is kept
 * @panel: (out): ctx->k pool indices, sorted
 *
 * One panel meeting the quotas (and the household rule) whose members are
 * spread as evenly as possible over combinations of features. Fails with
 * %KL_ERROR_INFEASIBLE and a suggested relaxation when no panel meets the
 * quotas, or %KL_ERROR_CANNOT_RELAX.
 */
gboolean
kl_diversimax_select (KlAlgorithmContext  *ctx,
                      double               max_seconds,
                      guint               *panel,
                      GError             **error)
{
  g_autoptr(KlCommitteeModel) model = NULL;
  g_autoptr(GArray) subsets = NULL;
  DiversityMip mip = { 0 };
  SearchProgress search;
  KlMipParams params;
  KlLpStatus status;
  gboolean ok = FALSE;
  guint taken = 0;

  if (ctx->report)
    kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "using_diversimax_algorithm");

  if (kl_quotas_get_n_features (ctx->quotas) > KL_DIVERSIMAX_MAX_FEATURES)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_CONFIGURATION,
                   _("Diversimax can balance combinations of at most %d features."),
                   KL_DIVERSIMAX_MAX_FEATURES);
      return FALSE;
    }

  model = kl_committee_model_new (ctx->pool, ctx->k);
  subsets = kl_diversimax_choose_subsets (ctx->pool, ctx->k, ctx->random);
  if (ctx->report)
    {
      KlMessage *m = kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "diversimax_subsets");
      kl_message_set_param_int (m, "count", subsets->len);
    }
  diversity_mip_build (&mip, ctx, model, subsets);

  search.progress = ctx->progress;
  search.constant = mip.constant;
  search.max_seconds = max_seconds;
  kl_mip_params_init (&params);
  params.gap = MIP_GAP;
  params.time_limit_ms = (int) CLAMP (max_seconds * 1000, 1, G_MAXINT);
  params.progress = on_search_progress;
  params.progress_data = &search;

  /* The total is the time limit in seconds, so a bar shows the time used;
   * the search usually ends well before. */
  kl_progress_start (ctx->progress, KL_PHASE_DIVERSIMAX, (gint64) ceil (max_seconds),
                     _("Searching for the most diverse panel (at most %.0f s)"), max_seconds);
  status = kl_lp_solve_mip (mip.lp, &params, ctx->cancellable, error);
  kl_progress_end (ctx->progress);

  switch (status)
    {
    case KL_LP_OPTIMAL:
    case KL_LP_FEASIBLE:
      {
        double objective = kl_lp_get_objective (mip.lp) + mip.constant;
        double bound = status == KL_LP_OPTIMAL ? objective : kl_lp_get_mip_bound (mip.lp) + mip.constant;
        double gap = objective > 1e-9 ? MAX (objective - bound, 0) / objective : 0;

        /* A search that reached the gap tolerance within moments may end
         * before any bound was read: the tolerance is then the gap. */
        if (status == KL_LP_FEASIBLE && (!isfinite (bound) || fabs (bound) >= 1e300 || bound > objective))
          gap = MIP_GAP;

        read_panel (ctx, model, &mip, panel, &taken);
        if (taken != ctx->k)
          {
            g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                         _("The solver returned a panel of %u people instead of %u."), taken, ctx->k);
            break;
          }
        qsort (panel, ctx->k, sizeof (guint), kl_compare_uint);
        report_success (ctx, status, objective, gap, subsets->len);
        ok = TRUE;
      }
      break;

    case KL_LP_INFEASIBLE:
      if (ctx->problems == NULL)
        ctx->problems = kl_messages_new ();
      kl_relax_quotas (ctx, model, &ctx->suggested_quotas, ctx->problems, error);
      break;

    case KL_LP_ERROR:
      break;

    case KL_LP_UNBOUNDED:
    case KL_LP_BOUND_REACHED:
    default:
      g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                   _("No diverse panel was found; the solver's status is “%s”."),
                   kl_lp_status_to_string (status));
      break;
    }

  diversity_mip_clear (&mip);
  return ok;
}
