/* kl-seat-counts.c — panels known by how many members of each group of
 * interchangeable people they seat
 *
 * People of one group of the panel model (same values, no housemate in the
 * pool) can swap seats on any valid panel. For maximin and leximin, whose
 * objectives depend only on the chances, and for nash, whose objective is
 * concave, averaging an optimal distribution over those swaps keeps it
 * optimal and gives every member of a group the same chance. So the
 * restricted problems have one row per group and one column per distinct
 * count vector, and only at the end (kl_seat_counts_expand) are count
 * vectors turned back into panels of people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-seat-counts-private.h"

#include <math.h>
#include <stdlib.h>

struct _KlSeatCounts {
  KlCommitteeModel *model;
  guint n;
  guint k;
  guint n_groups;
  guint n_covered_groups;
  guint *group_of;        /* per person */
  guint *group_size;      /* per group */
  gboolean *covered;      /* per group: some member can sit */
  GPtrArray *vectors;     /* of GArray of KlSeats, by group */
  GHashTable *index;      /* GBytes of the KlSeats → position + 1 */
  guint *scratch;         /* per group: seats while a panel is counted */
};

/**
 * kl_seat_counts_new:
 * @covered: per person, whether some known panel seats them
 *
 * One member of a group on a panel means every member can sit on one (swap
 * them in), so a group is covered when any member is.
 */
KlSeatCounts *
kl_seat_counts_new (KlCommitteeModel *model,
                    guint             n,
                    guint             k,
                    const gboolean   *covered)
{
  KlSeatCounts *self = g_new0 (KlSeatCounts, 1);

  self->model = model;
  self->n = n;
  self->k = k;
  self->n_groups = kl_committee_model_get_n_groups (model);
  self->group_of = g_new (guint, MAX (n, 1));
  self->group_size = g_new (guint, MAX (self->n_groups, 1));
  self->covered = g_new0 (gboolean, MAX (self->n_groups, 1));
  self->scratch = g_new0 (guint, MAX (self->n_groups, 1));
  self->vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->index = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);

  for (guint g = 0; g < self->n_groups; g++)
    {
      const guint *members;
      guint size = kl_committee_model_get_group (model, g, &members);

      self->group_size[g] = size;
      for (guint m = 0; m < size; m++)
        {
          self->group_of[members[m]] = g;
          self->covered[g] |= covered[members[m]];
        }
      if (self->covered[g])
        self->n_covered_groups++;
    }
  return self;
}

void
kl_seat_counts_free (KlSeatCounts *self)
{
  if (self == NULL)
    return;
  g_free (self->group_of);
  g_free (self->group_size);
  g_free (self->covered);
  g_free (self->scratch);
  g_ptr_array_unref (self->vectors);
  g_hash_table_unref (self->index);
  g_free (self);
}

guint
kl_seat_counts_get_n_groups (KlSeatCounts *self)
{
  return self->n_groups;
}

guint
kl_seat_counts_get_group_size (KlSeatCounts *self,
                               guint         group)
{
  return self->group_size[group];
}

guint
kl_seat_counts_get_group_of (KlSeatCounts *self,
                             guint         person)
{
  return self->group_of[person];
}

gboolean
kl_seat_counts_is_covered (KlSeatCounts *self,
                           guint         group)
{
  return self->covered[group];
}

guint
kl_seat_counts_get_n_covered_groups (KlSeatCounts *self)
{
  return self->n_covered_groups;
}

/**
 * kl_seat_counts_add:
 * @committee: k pool indices
 * @position: (out) (optional): where the panel's count vector is
 *
 * Returns %TRUE if the count vector is new.
 */
gboolean
kl_seat_counts_add (KlSeatCounts *self,
                    const guint  *committee,
                    guint        *position)
{
  g_autoptr(GArray) seats = g_array_new (FALSE, FALSE, sizeof (KlSeats));
  g_autofree guint *groups = g_new (guint, MAX (self->k, 1));
  g_autoptr(GBytes) key = NULL;
  gpointer found;
  guint n_groups = 0;

  for (guint m = 0; m < self->k; m++)
    {
      guint g = self->group_of[committee[m]];

      g_assert (self->covered[g]);
      if (self->scratch[g]++ == 0)
        groups[n_groups++] = g;
    }
  qsort (groups, n_groups, sizeof (guint), kl_compare_uint);
  for (guint e = 0; e < n_groups; e++)
    {
      KlSeats seat = { groups[e], self->scratch[groups[e]] };

      g_array_append_val (seats, seat);
      self->scratch[groups[e]] = 0;
    }

  key = g_bytes_new (seats->data, seats->len * sizeof (KlSeats));
  if (g_hash_table_lookup_extended (self->index, key, NULL, &found))
    {
      if (position != NULL)
        *position = GPOINTER_TO_UINT (found) - 1;
      return FALSE;
    }
  g_ptr_array_add (self->vectors, g_steal_pointer (&seats));
  g_hash_table_insert (self->index, g_steal_pointer (&key), GUINT_TO_POINTER (self->vectors->len));
  if (position != NULL)
    *position = self->vectors->len - 1;
  return TRUE;
}

guint
kl_seat_counts_get_n_vectors (KlSeatCounts *self)
{
  return self->vectors->len;
}

const KlSeats *
kl_seat_counts_get_vector (KlSeatCounts *self,
                           guint         position,
                           guint        *n_entries)
{
  GArray *seats = g_ptr_array_index (self->vectors, position);

  *n_entries = seats->len;
  return (const KlSeats *) seats->data;
}

/* A group's value shared equally by its members: prices for the panel
 * model from the duals of a restricted problem. */
void
kl_seat_counts_spread (KlSeatCounts *self,
                       const double *group_values,
                       double       *person_values)
{
  for (guint i = 0; i < self->n; i++)
    person_values[i] = group_values[self->group_of[i]] / self->group_size[self->group_of[i]];
}

/* ---- from count vectors to panels -------------------------------------- */

#define SHARE_SNAP 1e-9
#define PIECE_MIN 1e-12

/* Per group: for each count vector in the support, each member's share of
 * its seats (in [0, 1], summing to the count), such that every member's
 * chance Σ_B x_B share is the group's. A vertex of this transportation LP
 * keeps almost every share at 0 or 1, so a count vector becomes only a few
 * panels. Shares are stored per (support position, member position). */
static gboolean
group_shares (KlSeatCounts  *self,
              guint          g,
              const guint   *support,
              guint          n_support,
              const double  *x,
              const guint  **counts,
              double        *shares,
              GCancellable  *cancellable,
              GError       **error)
{
  guint s = self->group_size[g];
  gboolean trivial = TRUE;
  double need = 0;

  for (guint b = 0; b < n_support; b++)
    {
      guint c = counts[b][g];

      for (guint m = 0; m < s; m++)
        shares[b * s + m] = c == s ? 1 : 0;
      if (c > 0 && c < s)
        {
          trivial = FALSE;
          need += x[support[b]] * c / s;
        }
    }
  if (trivial)
    return TRUE;

  {
    g_autoptr(KlLp) lp = kl_lp_new (FALSE);
    g_autofree int *member_row = g_new (int, s);
    g_autofree int *cols = g_new (int, s);
    g_autofree double *ones = g_new (double, s);
    g_autofree int *col_of = g_new (int, n_support * s);
    KlLpStatus status;

    for (guint m = 0; m < s; m++)
      {
        member_row[m] = kl_lp_add_row (lp, need, need, 0, NULL, NULL);
        ones[m] = 1;
      }
    for (guint b = 0; b < n_support; b++)
      {
        guint c = counts[b][g];

        if (c == 0 || c == s)
          continue;
        for (guint m = 0; m < s; m++)
          {
            int row_index[1] = { member_row[m] };
            double weight[1] = { x[support[b]] };

            col_of[b * s + m] = kl_lp_add_col (lp, KL_LP_CONTINUOUS, 0, 1, 0);
            kl_lp_set_col_coefficients (lp, col_of[b * s + m], 1, row_index, weight);
            cols[m] = col_of[b * s + m];
          }
        kl_lp_add_row (lp, c, c, s, cols, ones);
      }

    status = kl_lp_solve (lp, cancellable, error);
    if (status != KL_LP_OPTIMAL)
      {
        if (status != KL_LP_ERROR || (error != NULL && *error == NULL))
          g_set_error (error, KL_ERROR, KL_ERROR_SOLVER,
                       _("The seats of a panel could not be shared out (%s)."),
                       kl_lp_status_to_string (status));
        return FALSE;
      }

    for (guint b = 0; b < n_support; b++)
      {
        guint c = counts[b][g];
        double total = 0;

        if (c == 0 || c == s)
          continue;
        for (guint m = 0; m < s; m++)
          {
            double share = CLAMP (kl_lp_get_value (lp, col_of[b * s + m]), 0, 1);

            if (share < SHARE_SNAP)
              share = 0;
            else if (share > 1 - SHARE_SNAP)
              share = 1;
            shares[b * s + m] = share;
            total += share;
          }
        /* Exactly c seats: absorb rounding in the cumulative sums. */
        for (guint m = 0; m < s && total > 0; m++)
          shares[b * s + m] *= c / total;
      }
  }
  return TRUE;
}

/* Systematic sampling: at u ∈ [0, 1), the members whose cumulative share
 * interval [S_m, S_m+1) holds one of u, u+1, …, u+c−1. */
static guint
pick_members (const guint  *members,
              guint         s,
              const double *share,
              guint         c,
              double        u,
              guint        *out)
{
  double cumulative = 0;
  guint taken = 0, j = 0;

  for (guint m = 0; m < s && j < c; m++)
    {
      double next = m + 1 == s ? c : cumulative + share[m];
      gboolean picked = FALSE;

      while (j < c && u + j < next)
        {
          if (u + j >= cumulative && !picked)
            {
              out[taken++] = members[m];
              picked = TRUE;
            }
          j++;
        }
      cumulative = next;
    }
  return taken;
}

/* Adds @probability to @panel in @distribution, merging repeats. */
static void
distribution_add (KlDistribution *distribution,
                  GHashTable     *seen,
                  guint          *panel,
                  guint           k,
                  double          probability)
{
  g_autoptr(GBytes) key = NULL;
  gpointer position;

  qsort (panel, k, sizeof (guint), kl_compare_uint);
  key = g_bytes_new (panel, k * sizeof (guint));
  if (g_hash_table_lookup_extended (seen, key, NULL, &position))
    g_array_index (distribution->probabilities, double, GPOINTER_TO_UINT (position)) += probability;
  else
    {
      g_hash_table_insert (seen, g_steal_pointer (&key), GUINT_TO_POINTER (distribution->committees->len));
      g_ptr_array_add (distribution->committees, g_memdup2 (panel, k * sizeof (guint)));
      g_array_append_val (distribution->probabilities, probability);
    }
}

/**
 * kl_seat_counts_expand:
 * @x: per count vector, its probability
 *
 * The distribution over panels of people in which every member of a group
 * has exactly the group's chance Σ_B x_B c_gB / s_g. Per group, a small
 * transportation LP decides which members take the seats of each count
 * vector; systematic sampling turns the shares into panels, cutting a
 * count vector's weight only where some member's share is fractional.
 */
KlDistribution *
kl_seat_counts_expand (KlSeatCounts  *self,
                       const double  *x,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint k = self->k, n_vectors = self->vectors->len;
  g_autoptr(KlDistribution) distribution = kl_distribution_new ();
  g_autofree guint *support = g_new (guint, MAX (n_vectors, 1));
  g_autofree const guint **counts = NULL;
  g_autoptr(GPtrArray) count_storage = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shares = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                      (GDestroyNotify) g_bytes_unref, NULL);
  g_autofree guint *panel = g_new (guint, MAX (k, 1));
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_support = 0;

  for (guint c = 0; c < n_vectors; c++)
    if (x[c] > PIECE_MIN)
      support[n_support++] = c;

  counts = g_new (const guint *, MAX (n_support, 1));
  for (guint b = 0; b < n_support; b++)
    {
      GArray *seats = g_ptr_array_index (self->vectors, support[b]);
      guint *dense = g_new0 (guint, MAX (self->n_groups, 1));

      for (guint e = 0; e < seats->len; e++)
        dense[g_array_index (seats, KlSeats, e).group] = g_array_index (seats, KlSeats, e).count;
      g_ptr_array_add (count_storage, dense);
      counts[b] = dense;
    }

  for (guint g = 0; g < self->n_groups; g++)
    {
      double *group_share = g_new (double, MAX (n_support * self->group_size[g], 1));

      g_ptr_array_add (shares, group_share);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!group_shares (self, g, support, n_support, x, counts, group_share, cancellable, error))
        return NULL;
    }

  for (guint b = 0; b < n_support; b++)
    {
      double start = 0;

      /* Where some member's interval starts, the picked set changes. */
      g_array_set_size (cuts, 0);
      g_array_append_val (cuts, start);
      for (guint g = 0; g < self->n_groups; g++)
        {
          const double *share = (const double *) g_ptr_array_index (shares, g) + b * self->group_size[g];
          double cumulative = 0;

          if (counts[b][g] == 0 || counts[b][g] == self->group_size[g])
            continue;
          for (guint m = 0; m < self->group_size[g]; m++)
            {
              double cut = cumulative - floor (cumulative);

              if (cut > PIECE_MIN && cut < 1 - PIECE_MIN)
                g_array_append_val (cuts, cut);
              cumulative += share[m];
            }
        }
      g_array_sort (cuts, kl_compare_double);

      for (guint p = 0; p < cuts->len; p++)
        {
          double from = g_array_index (cuts, double, p);
          double to = p + 1 < cuts->len ? g_array_index (cuts, double, p + 1) : 1.0;
          double u = (from + to) / 2;
          guint taken = 0;

          if (to - from <= PIECE_MIN)
            continue;
          for (guint g = 0; g < self->n_groups; g++)
            {
              const guint *members;
              guint s = kl_committee_model_get_group (self->model, g, &members);
              guint c = counts[b][g];

              if (c == 0)
                continue;
              if (taken + c > k ||
                  pick_members (members, s, (const double *) g_ptr_array_index (shares, g) + b * s,
                                c, u, panel + taken) != c)
                break;
              taken += c;
            }
          if (taken != k)
            {
              g_set_error_literal (error, KL_ERROR, KL_ERROR_SOLVER,
                                   _("A panel could not be made from its seat counts."));
              return NULL;
            }
          distribution_add (distribution, seen, panel, k, x[support[b]] * (to - from));
        }
    }
  return g_steal_pointer (&distribution);
}
