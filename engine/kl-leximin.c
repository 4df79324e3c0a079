/* kl-leximin.c — the distribution over panels that raises the lowest
 * chance, then the next lowest, and so on (spec 4.6)
 *
 * People of one profile group (kl_committee_model_get_group) are
 * interchangeable, so the leximin optimum, which is unique, gives them all
 * the same chance. Everything therefore works on groups: a panel is known
 * by how many members of each group sit on it (a "count vector"), and group
 * g's chance under a distribution x is p_g = Σ_B x_B c_gB / s_g. On real
 * pools a few hundred count vectors and groups stand for millions of panels
 * and thousands of people.
 *
 * Outer loop. Round after round, the master LP
 *
 *     maximise z   s.t.  p_g ≥ z (g unfixed),  p_g ≥ q_g (g fixed),  Σ x_B = 1
 *
 * is solved by column generation: its dual prices Y_g, spread over the
 * members (Y_g / s_g each), price panels with the panel model; a panel worth
 * more than the price μ of "Σ x_B = 1" enters. When none does, Y is an
 * optimal dual of the full problem.
 *
 * Which groups to fix. Complementary slackness holds between every primal
 * optimum and every dual optimum, so a group with Y_g > 0 in ANY optimal
 * dual has p_g = z* in EVERY primal optimum: it is fixed, exactly, without
 * needing a strictly complementary ("interior") solution. Since the unfixed
 * Y_g add up to 1, at least one is positive: every round fixes at least one
 * group, so there are at most as many rounds as groups (never more than n).
 * A fixable group that the simplex vertex happens to price at 0 is not
 * lost: the next round has the same optimum z* and fixes it then, at the
 * cost of one LP and one pricing solve.
 *
 * Measured. With GLPK's simplex vertex alone, rounds exceed levels only
 * rarely (bench-leximin: 11 rounds for 11 levels on the library's fixture,
 * 9 for 9 on a tight pool, 11 for 11 on a biased 1,200/80 pool, 3 for 2 on
 * a 300/45 pool), so a missed group costs little. GLPK's interior point
 * (glp_interior, no crossover), tried on the converged master to fix more
 * per round (its duals taken only once a pricing solve had shown that no
 * panel violates them), fixed no extra group in 21 tries on three
 * generated pools (tight, biased, with households), each try costing a
 * full solve plus a pricing solve. The spec's exact test (maximise p_i for
 * each candidate) costs at least one column generation per candidate
 * group, more than the extra round costs for all of them at once. Neither
 * is used.
 *
 * Each iteration first tries maximin's cheap pricing step: local search
 * from the known panels worth most under the duals
 * (kl_committees_search_near_best). Branch and bound runs only when it
 * finds nothing, which leaves one exact pricing per level, the one that
 * proves the level optimal: on 2,000/200 the branch-and-bound solves fell
 * from 289 to 2. What it costs (bench-leximin, CPU seconds from the start
 * of leximin_outer, the panel search before it excluded): 0.35 s on
 * 500/75 (0.6 s before the local search), 3.0 s on 2,000/200 (11 s),
 * 4.0 s on the biased 1,200/80 pool (6.4 s).
 *
 * Fixed values are the master's primal z (less 1e-9), which the current
 * distribution attains, so the next master stays feasible; should rounding
 * still make it infeasible, the primal simplex is asked again and only
 * then the library's remedy (lower every fixed value by 0.0001) applied,
 * logged and counted in the report. At z = 1 everyone left is fixed (no
 * chance exceeds 1; the duals may all be 0 there). A round where no dual
 * is clearly positive otherwise (never seen in the benchmark) fixes the
 * group with the largest, and is counted.
 *
 * The final primal minimises ε subject to p_g ≥ q_g − ε. Count vectors
 * then become real panels (kl_seat_counts_expand), each member getting
 * exactly their group's chance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-committees-private.h"
#include "kl-seat-counts-private.h"

#include <math.h>
#include <stdlib.h>

#define EPS 0.0005                /* spec 4.10: the library's stopping tolerance, shown in gaps */
#define PRICING_TOL 1e-7          /* a panel must beat the price μ by this to enter */
#define POSITIVE_DUAL 1e-6        /* Y_g above this counts as positive */
#define REDUCTION 0.0001          /* spec 4.10 */
#define SAME_LEVEL 1e-7           /* two fixed values this close are one level */
#define FIX_SLACK 1e-9            /* fixed values sit this far below the level attained */
#define LOCAL_SEARCH_STARTS 8     /* known panels the cheap pricing step starts from */

typedef struct {
  KlAlgorithmContext *ctx;
  KlCommitteeModel *model;
  guint n;                      /* people */
  guint n_groups;
  double *fixed;                /* per group: q_g, or < 0 while unfixed */
  guint n_unfixed;              /* covered groups not yet fixed */

  KlSeatCounts *counts;         /* the groups, and the master's columns */
  KlCommittees *committees;     /* the panels behind them, where local search starts */
  guint *found;                 /* LOCAL_SEARCH_STARTS panels: what it found */

  KlLp *lp;
  int z_col;
  int *group_row;               /* per group: master row, -1 if not covered */
  int sum_row;

  double *prices;               /* per person */
  double *duals;                /* per group: Y_g */

  /* figures for the report and the benchmark */
  guint rounds;
  guint lp_solves;
  guint pricing_solves;
  guint local_searches;         /* iterations where local search found panels */
  guint reductions;
  guint forced_fixes;           /* rounds where no dual was clearly positive */
  GArray *level_values;         /* double */
  GArray *level_counts;         /* guint: people fixed at that value */
} Leximin;

/* ---- progress ----------------------------------------------------------- */

static guint
n_people_fixed (Leximin *self)
{
  guint count = 0;

  for (guint g = 0; g < self->n_groups; g++)
    if (!kl_seat_counts_is_covered (self->counts, g) || self->fixed[g] >= 0)
      count += kl_seat_counts_get_group_size (self->counts, g);
  return count;
}

/* Long solves report from inside, so the bar moves at least once a second. */
static void
on_pricing_progress (gpointer data,
                     double   elapsed_seconds,
                     double   incumbent,
                     double   bound)
{
  Leximin *self = data;

  kl_progress_update (self->ctx->progress, n_people_fixed (self),
                      _("Level %u: searching for a better panel (%.0f s)"), self->rounds, elapsed_seconds);
}

static void
on_master_progress (gpointer data,
                    double   elapsed_seconds,
                    double   incumbent,
                    double   bound)
{
  Leximin *self = data;

  kl_progress_update (self->ctx->progress, n_people_fixed (self),
                      _("Level %u: solving the master problem (%.0f s)"), self->rounds, elapsed_seconds);
}

/* ---- the master LP ------------------------------------------------------ */

static void
master_add_column (Leximin *self,
                   guint    position)
{
  guint n_entries;
  const KlSeats *seats = kl_seat_counts_get_vector (self->counts, position, &n_entries);
  g_autofree int *rows = g_new (int, n_entries + 1);
  g_autofree double *values = g_new (double, n_entries + 1);
  int col = kl_lp_add_col (self->lp, KL_LP_CONTINUOUS, 0, 1, 0);
  guint n = 0;

  for (guint e = 0; e < n_entries; e++)
    if (self->group_row[seats[e].group] >= 0)
      {
        rows[n] = self->group_row[seats[e].group];
        values[n++] = (double) seats[e].count / kl_seat_counts_get_group_size (self->counts, seats[e].group);
      }
  rows[n] = self->sum_row;
  values[n++] = 1;
  kl_lp_set_col_coefficients (self->lp, col, n, rows, values);
  /* A new column keeps the basis primal feasible. */
  kl_lp_set_warm_method (self->lp, KL_LP_METHOD_PRIMAL);
}

/* Adds a panel's count vector if it is new. */
static gboolean
add_committee (Leximin     *self,
               const guint *committee)
{
  guint position;

  kl_committees_add (self->committees, committee);
  if (!kl_seat_counts_add (self->counts, committee, &position))
    return FALSE;
  if (self->lp != NULL)
    master_add_column (self, position);
  return TRUE;
}

/* z's column: −1 in the row of every unfixed group. */
static void
master_set_z_column (Leximin *self)
{
  g_autofree int *rows = g_new (int, MAX (self->n_groups, 1));
  g_autofree double *values = g_new (double, MAX (self->n_groups, 1));
  int n = 0;

  for (guint g = 0; g < self->n_groups; g++)
    if (kl_seat_counts_is_covered (self->counts, g) && self->fixed[g] < 0)
      {
        rows[n] = self->group_row[g];
        values[n++] = -1;
      }
  kl_lp_set_col_coefficients (self->lp, self->z_col, n, rows, values);
}

static void
master_init (Leximin *self)
{
  self->lp = kl_lp_new (TRUE);
  kl_lp_set_progress (self->lp, on_master_progress, self);
  self->z_col = kl_lp_add_col (self->lp, KL_LP_CONTINUOUS, 0, 1, 1);
  self->group_row = g_new (int, MAX (self->n_groups, 1));

  for (guint g = 0; g < self->n_groups; g++)
    self->group_row[g] = kl_seat_counts_is_covered (self->counts, g) ? kl_lp_add_row (self->lp, 0, KL_LP_INF, 0, NULL, NULL) : -1;
  self->sum_row = kl_lp_add_row (self->lp, 1, 1, 0, NULL, NULL);
  master_set_z_column (self);

  for (guint c = 0; c < kl_seat_counts_get_n_vectors (self->counts); c++)
    master_add_column (self, c);
}

/* The level is attained by the current distribution up to the simplex
 * tolerance; the fixed value sits a hair below, so that rounding cannot make
 * the next master infeasible. */
static void
fix_group (Leximin *self,
           guint    g,
           double   value)
{
  self->fixed[g] = MAX (value - FIX_SLACK, 0);
  self->n_unfixed--;
  kl_lp_set_row_bounds (self->lp, self->group_row[g], self->fixed[g], KL_LP_INF);
  /* A changed bound keeps the basis dual feasible. */
  kl_lp_set_warm_method (self->lp, KL_LP_METHOD_DUAL);
}

/* ---- report ------------------------------------------------------------- */

static void
report_iteration (Leximin *self,
                  double   at_most,
                  double   dual_objective,
                  double   gap)
{
  g_autofree char *at_most_text = kl_percent_string (at_most);
  g_autofree char *dual_text = kl_percent_string (dual_objective);
  g_autofree char *gap_text = g_strdup_printf ("%.2f%% %s %.6f%%", gap * 100, gap <= EPS ? "≤" : ">", EPS * 100);
  KlMessage *m;

  if (self->ctx->report == NULL)
    return;
  m = kl_report_add_line (self->ctx->report, KL_LEVEL_NORMAL, "leximin_is_at_most");
  kl_message_set_param (m, "at_most", at_most_text);
  kl_message_set_param (m, "dual_obj_str", dual_text);
  kl_message_set_param_int (m, "num_committees", kl_seat_counts_get_n_vectors (self->counts));
  kl_message_set_param (m, "gap_str", gap_text);
}

static void
record_level (Leximin *self,
              double   value,
              guint    people)
{
  guint last = self->level_values->len;

  if (last > 0 && fabs (g_array_index (self->level_values, double, last - 1) - value) <= SAME_LEVEL)
    g_array_index (self->level_counts, guint, last - 1) += people;
  else
    {
      g_array_append_val (self->level_values, value);
      g_array_append_val (self->level_counts, people);
    }
}

static void
report_certificate (Leximin *self,
                    double   epsilon,
                    guint    n_panels)
{
  KlReport *report = self->ctx->report;
  g_autofree char *epsilon_text = g_strdup_printf ("%.3g", epsilon);
  g_autofree char *minimum_text = NULL;
  KlMessage *m;

  if (report == NULL)
    return;

  for (guint l = 0; l < self->level_values->len; l++)
    {
      g_autofree char *value = g_strdup_printf ("%.6f", g_array_index (self->level_values, double, l));

      m = kl_report_add_line (report, KL_LEVEL_NORMAL, "leximin_level");
      kl_message_set_param_int (m, "level", l + 1);
      kl_message_set_param (m, "value", value);
      kl_message_set_param_int (m, "count", g_array_index (self->level_counts, guint, l));
    }

  minimum_text = g_strdup_printf ("%.6f", self->level_values->len > 0
                                            ? g_array_index (self->level_values, double, 0) : 0.0);
  m = kl_report_add_line (report, KL_LEVEL_IMPORTANT, "leximin_value");
  kl_message_set_param (m, "minimum", minimum_text);
  kl_message_set_param_int (m, "levels", self->level_values->len);
  kl_message_set_param_int (m, "rounds", self->rounds);
  kl_message_set_param (m, "epsilon", epsilon_text);
  kl_message_set_param_int (m, "reductions", self->reductions);
  kl_message_set_param_int (m, "forced_fixes", self->forced_fixes);
  kl_message_set_param_int (m, "lp_solves", self->lp_solves);
  kl_message_set_param_int (m, "pricing_solves", self->pricing_solves);
  kl_message_set_param_int (m, "groups", self->n_groups);
  kl_message_set_param_int (m, "count_vectors", kl_seat_counts_get_n_vectors (self->counts));
  kl_message_set_param_int (m, "panels", n_panels);
}

/* ---- one round ---------------------------------------------------------- */

/* The duals of the master as group prices Y_g and person prices Y_g / s_g. */
static void
read_prices (Leximin *self)
{
  for (guint g = 0; g < self->n_groups; g++)
    {
      double dual = 0;

      if (kl_seat_counts_is_covered (self->counts, g))
        dual = kl_lp_get_row_dual (self->lp, self->group_row[g]);
      /* A "≥" row of a maximisation has a dual ≤ 0 in GLPK's sign. */
      self->duals[g] = MAX (-dual, 0);
    }
  kl_seat_counts_spread (self->counts, self->duals, self->prices);
}

/* Σ_g c_gB Y_g / s_g of the best panel, or a bound on it. */
static gboolean
price (Leximin   *self,
       double     threshold,
       guint     *committee,
       KlPricing *pricing,
       GError   **error)
{
  KlMipParams params;

  kl_mip_params_init (&params);
  params.stop_above = threshold;
  params.stop_if_bound_below = threshold;
  params.progress = on_pricing_progress;
  params.progress_data = self;
  self->pricing_solves++;
  return kl_committee_model_find (self->model, self->prices, &params, committee, pricing,
                                  self->ctx->cancellable, error);
}

/* Panels worth more than @threshold under the prices join the master.
 * TRUE if any did. */
static gboolean
add_by_local_search (Leximin *self,
                     double   threshold)
{
  guint added = 0;
  guint n_found = kl_committees_search_near_best (self->committees, self->model, self->prices, self->prices,
                                                  threshold, LOCAL_SEARCH_STARTS, self->found,
                                                  self->ctx->cancellable);

  for (guint f = 0; f < n_found; f++)
    if (add_committee (self, &self->found[f * self->ctx->k]))
      added++;
  return added > 0;
}

static double
fixed_term (Leximin *self)
{
  double total = 0;

  for (guint g = 0; g < self->n_groups; g++)
    if (kl_seat_counts_is_covered (self->counts, g) && self->fixed[g] >= 0)
      total += self->fixed[g] * self->duals[g];
  return total;
}

static gboolean
solve_master (Leximin  *self,
              GError  **error)
{
  gboolean retried = FALSE;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      KlLpStatus status;

      self->lp_solves++;
      status = kl_lp_solve (self->lp, self->ctx->cancellable, &local_error);
      if (status == KL_LP_OPTIMAL)
        return TRUE;
      if (status != KL_LP_INFEASIBLE)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                         _("The leximin master problem could not be solved (%s)."), kl_lp_status_to_string (status));
          return FALSE;
        }

      /* The fixed chances are attained by the last distribution, so only
       * rounding can get here. The dual simplex is the method most easily
       * fooled by it: ask the primal first, then use the library's remedy,
       * never silently. */
      if (!retried)
        {
          retried = TRUE;
          kl_lp_set_warm_method (self->lp, KL_LP_METHOD_PRIMAL);
          continue;
        }
      self->reductions++;
      g_debug ("Leximin: fixed chances unattainable; lowering them by %g (reduction %u)",
               REDUCTION, self->reductions);
      if (self->ctx->report)
        kl_message_set_param_int (kl_report_add_line (self->ctx->report, KL_LEVEL_NORMAL, "leximin_reduction"),
                                  "count", self->reductions);
      for (guint g = 0; g < self->n_groups; g++)
        if (kl_seat_counts_is_covered (self->counts, g) && self->fixed[g] > 0)
          {
            self->fixed[g] = MAX (self->fixed[g] - REDUCTION, 0);
            kl_lp_set_row_bounds (self->lp, self->group_row[g], self->fixed[g], KL_LP_INF);
          }
      if (self->reductions > self->n_groups + 10)
        {
          g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                               _("The leximin master problem stayed infeasible after lowering the fixed chances."));
          return FALSE;
        }
    }
}

/* Column generation until no panel prices above μ; returns the level z. */
static gboolean
optimise_level (Leximin  *self,
                guint    *committee,
                double   *level,
                GError  **error)
{
  for (guint t = 1; ; t++)
    {
      KlPricing pricing;
      double z, mu, dual_objective, gap;

      if (g_cancellable_set_error_if_cancelled (self->ctx->cancellable, error))
        return FALSE;
      if (!solve_master (self, error))
        return FALSE;

      z = kl_lp_get_objective (self->lp);
      mu = kl_lp_get_row_dual (self->lp, self->sum_row);
      read_prices (self);
      dual_objective = mu - fixed_term (self);

      /* The cheap step first: local search from the panels worth most
       * under these prices; the exact search only when it finds none,
       * which also proves the level optimal. */
      if (add_by_local_search (self, mu + PRICING_TOL))
        {
          self->local_searches++;
          kl_progress_update (self->ctx->progress, n_people_fixed (self), _("Level %u, iteration %u: %u panels"),
                              self->rounds, t, kl_seat_counts_get_n_vectors (self->counts));
          continue;
        }

      if (!price (self, mu + PRICING_TOL, committee, &pricing, error))
        return FALSE;
      /* A search stopped at the first panel good enough knows no bound:
       * the panel's own worth is then what the gap is known to reach. */
      gap = MAX (MIN (pricing.bound < KL_LP_INF ? pricing.bound : pricing.value, 1.0) - mu, 0);
      report_iteration (self, MIN (dual_objective + gap, 1.0), dual_objective, gap);
      kl_progress_update (self->ctx->progress, n_people_fixed (self),
                          _("Level %u, iteration %u: %u panels, gap %.4f%%"),
                          self->rounds, t, kl_seat_counts_get_n_vectors (self->counts), gap * 100);

      if (pricing.status == KL_LP_BOUND_REACHED || pricing.value <= mu + PRICING_TOL)
        {
          *level = z;
          return TRUE;
        }
      if (!add_committee (self, committee))
        {
          /* Only rounding can price a known panel above μ. */
          g_debug ("Leximin pricing returned a known panel; taking the level as optimal");
          *level = z;
          return TRUE;
        }
    }
}

static gboolean
run_round (Leximin  *self,
           guint    *committee,
           double   *level,
           GError  **error)
{
  double best = -1;
  guint n_fixed = 0, argmax = 0;

  self->rounds++;
  if (!optimise_level (self, committee, level, error))
    return FALSE;

  /* A chance cannot exceed 1: at z = 1 (z at its bound, so every dual may
   * be 0) everyone left is fixed. */
  if (*level >= 1 - FIX_SLACK)
    {
      for (guint g = 0; g < self->n_groups; g++)
        if (kl_seat_counts_is_covered (self->counts, g) && self->fixed[g] < 0)
          fix_group (self, g, 1);
      master_set_z_column (self);
      return TRUE;
    }

  /* The simplex duals are optimal for every panel: each positive one fixes
   * its group exactly (complementary slackness). */
  read_prices (self);
  for (guint g = 0; g < self->n_groups; g++)
    if (kl_seat_counts_is_covered (self->counts, g) && self->fixed[g] < 0)
      {
        if (self->duals[g] > best)
          {
            best = self->duals[g];
            argmax = g;
          }
        if (self->duals[g] > POSITIVE_DUAL)
          {
            fix_group (self, g, *level);
            n_fixed++;
          }
      }

  /* Below z = 1 the unfixed duals add up to 1, so one of them is at least
   * 1/|U|: only a degenerate solver answer gets here. Progress is
   * guaranteed anyway. */
  if (n_fixed == 0)
    {
      g_debug ("Leximin: no positive dual; fixing the group with the largest (%g)", best);
      self->forced_fixes++;
      fix_group (self, argmax, *level);
      n_fixed++;
    }

  master_set_z_column (self);
  return TRUE;
}

/* ---- the final primal --------------------------------------------------- */

/* minimise ε  s.t.  p_g + ε ≥ q_g,  Σ x_B = 1 */
static gboolean
final_primal (Leximin  *self,
              double   *x,
              double   *epsilon,
              GError  **error)
{
  g_autoptr(KlLp) lp = kl_lp_new (FALSE);
  g_autofree int *row = g_new (int, MAX (self->n_groups, 1));
  g_autofree int *rows = g_new (int, MAX (self->n_groups, 1) + 1);
  g_autofree double *values = g_new (double, MAX (self->n_groups, 1) + 1);
  int epsilon_col = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, KL_LP_INF, 1);
  int sum_row, first_col = 0;
  double total = 0;
  KlLpStatus status;
  int one_col[1] = { epsilon_col };
  double one[1] = { 1 };

  for (guint g = 0; g < self->n_groups; g++)
    row[g] = kl_seat_counts_is_covered (self->counts, g) ? kl_lp_add_row (lp, self->fixed[g], KL_LP_INF, 1, one_col, one) : -1;
  sum_row = kl_lp_add_row (lp, 1, 1, 0, NULL, NULL);

  for (guint c = 0; c < kl_seat_counts_get_n_vectors (self->counts); c++)
    {
      guint n_entries;
      const KlSeats *seats = kl_seat_counts_get_vector (self->counts, c, &n_entries);
      int col = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 0);
      int n = 0;

      if (c == 0)
        first_col = col;
      for (guint e = 0; e < n_entries; e++)
        if (row[seats[e].group] >= 0)
          {
            rows[n] = row[seats[e].group];
            values[n++] = (double) seats[e].count / kl_seat_counts_get_group_size (self->counts, seats[e].group);
          }
      rows[n] = sum_row;
      values[n++] = 1;
      kl_lp_set_col_coefficients (lp, col, n, rows, values);
    }

  self->lp_solves++;
  status = kl_lp_solve (lp, self->ctx->cancellable, error);
  if (status != KL_LP_OPTIMAL)
    {
      if (status != KL_LP_ERROR || (error != NULL && *error == NULL))
        g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                     _("The leximin final problem could not be solved (%s)."), kl_lp_status_to_string (status));
      return FALSE;
    }

  *epsilon = MAX (kl_lp_get_objective (lp), 0);
  for (guint c = 0; c < kl_seat_counts_get_n_vectors (self->counts); c++)
    {
      x[c] = CLAMP (kl_lp_get_value (lp, first_col + (int) c), 0, 1);
      total += x[c];
    }
  for (guint c = 0; c < kl_seat_counts_get_n_vectors (self->counts); c++)
    x[c] /= total;
  return TRUE;
}

/* ---- the run ------------------------------------------------------------ */

static void
leximin_clear (Leximin *self)
{
  g_free (self->fixed);
  g_free (self->found);
  g_clear_pointer (&self->counts, kl_seat_counts_free);
  g_clear_pointer (&self->lp, kl_lp_free);
  g_free (self->group_row);
  g_free (self->prices);
  g_free (self->duals);
  g_clear_pointer (&self->level_values, g_array_unref);
  g_clear_pointer (&self->level_counts, g_array_unref);
}

static void
leximin_init (Leximin            *self,
              KlAlgorithmContext *ctx,
              KlCommitteeModel   *model,
              KlCommittees       *committees)
{
  self->ctx = ctx;
  self->model = model;
  self->committees = committees;
  self->found = g_new (guint, LOCAL_SEARCH_STARTS * MAX (ctx->k, 1));
  self->n = committees->n;
  self->n_groups = kl_committee_model_get_n_groups (model);
  self->fixed = g_new (double, MAX (self->n_groups, 1));
  self->counts = kl_seat_counts_new (model, self->n, ctx->k, committees->covered);
  self->prices = g_new0 (double, MAX (self->n, 1));
  self->duals = g_new0 (double, MAX (self->n_groups, 1));
  self->level_values = g_array_new (FALSE, FALSE, sizeof (double));
  self->level_counts = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint g = 0; g < self->n_groups; g++)
    {
      self->fixed[g] = -1;
      if (kl_seat_counts_is_covered (self->counts, g))
        self->n_unfixed++;
      else
        self->fixed[g] = 0;
    }

  for (guint c = 0; c < committees->list->len; c++)
    add_committee (self, g_ptr_array_index (committees->list, c));
}

/**
 * kl_leximin_run:
 *
 * The leximin distribution, with a certificate in the report: the value
 * and size of each level, the final ε, rounds and solves.
 */
KlDistribution *
kl_leximin_run (KlAlgorithmContext  *ctx,
                GError             **error)
{
  g_autoptr(KlCommitteeModel) model = NULL;
  g_autoptr(KlCommittees) committees = NULL;
  g_autoptr(KlDistribution) distribution = NULL;
  g_autofree guint *committee = g_new (guint, MAX (ctx->k, 1));
  g_autofree double *x = NULL;
  guint n = kl_pool_get_n_people (ctx->pool);
  Leximin self = { 0 };
  double epsilon = 0;
  gboolean ok = TRUE;

  if (ctx->report)
    kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "using_leximin_algorithm");

  model = kl_committees_build_model (ctx, committee, error);
  if (model == NULL)
    return NULL;
  committees = kl_committees_initial (ctx, model, 3 * n, error);
  if (committees == NULL)
    return NULL;

  leximin_init (&self, ctx, model, committees);
  if (n_people_fixed (&self) > 0)
    record_level (&self, 0, n_people_fixed (&self));
  master_init (&self);

  kl_progress_start (ctx->progress, KL_PHASE_LEXIMIN_OUTER, n,
                     _("Fixing the probabilities of %u people"), n);
  while (self.n_unfixed > 0 && ok)
    {
      guint before = n_people_fixed (&self);
      double level = 0;

      kl_progress_update (ctx->progress, before, _("%u of %u probabilities fixed"), before, n);
      g_debug ("Leximin: %u of %u probabilities fixed", before, n);
      /* Each round fixes a group: never more rounds than groups. */
      g_assert (self.rounds < self.n_groups);
      ok = run_round (&self, committee, &level, error);
      if (ok)
        record_level (&self, level, n_people_fixed (&self) - before);
    }
  if (ok)
    kl_progress_update (ctx->progress, n_people_fixed (&self), _("%u of %u probabilities fixed"),
                        n_people_fixed (&self), n);
  kl_progress_end (ctx->progress);

  if (ok)
    {
      x = g_new0 (double, MAX (kl_seat_counts_get_n_vectors (self.counts), 1));
      ok = final_primal (&self, x, &epsilon, error);
      if (ok)
        distribution = kl_seat_counts_expand (self.counts, x, ctx->progress, ctx->cancellable, error);
      ok = distribution != NULL;
    }
  if (ok)
    report_certificate (&self, epsilon, distribution->committees->len);

  leximin_clear (&self);
  return ok ? g_steal_pointer (&distribution) : NULL;
}
