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
/* groups or count vectors between two progress updates */
#define PROGRESS_EVERY 16
#define PIECE_MIN 1e-12

/* Per group, which members take the seats of each count vector in the
 * support: shares a_bm ∈ [0, 1] with Σ_m a_bm = c_b (the vector's seats)
 * and Σ_b x_b a_bm equal for every member (the group's chance). Equal
 * shares c_b/s would do, but every fractional share cuts its count vector
 * into more panels; so the shares are found as a flow of chance (mass
 * y_bm = x_b a_bm, at most x_b) from count vectors to members, first
 * greedily, which leaves almost every share at 0 or 1, then completed by
 * augmenting paths where the greedy order got stuck. */
typedef struct {
  guint s;                 /* members */
  guint n_vectors;         /* count vectors with 0 < c_b < s */
  guint *position;         /* per such vector: its place in the support */
  double *weight;          /* per vector: x_b, the most a member can take */
  double *supply;          /* per vector: mass still to place */
  double *need;            /* per member: mass still to receive */
  double *mass;            /* per (vector, member): y_bm */
} SeatFlow;

typedef struct {
  guint vector;
  guint seats;
  double weight;
} Order;

static int
compare_orders (gconstpointer a,
                gconstpointer b)
{
  const Order *x = a, *y = b;

  if (x->seats != y->seats)
    return x->seats > y->seats ? -1 : 1;
  if (x->weight != y->weight)
    return x->weight > y->weight ? -1 : 1;
  return (x->vector > y->vector) - (x->vector < y->vector);
}

typedef struct {
  guint member;
  double need;
} Need;

static int
compare_needs (gconstpointer a,
               gconstpointer b)
{
  const Need *x = a, *y = b;

  if (x->need != y->need)
    return x->need > y->need ? -1 : 1;
  return (x->member > y->member) - (x->member < y->member);
}

/* Count vectors with the most seats first (they need the most distinct
 * members), each seat to the members with the most chance still to
 * receive; what cannot be placed stays in supply. */
static void
seat_flow_greedy (SeatFlow *flow,
                  double    tiny)
{
  g_autofree Order *order = g_new (Order, MAX (flow->n_vectors, 1));
  g_autofree Need *needs = g_new (Need, flow->s);

  for (guint v = 0; v < flow->n_vectors; v++)
    order[v] = (Order) { v, (guint) lround (flow->supply[v] / flow->weight[v]), flow->weight[v] };
  qsort (order, flow->n_vectors, sizeof (Order), compare_orders);

  for (guint o = 0; o < flow->n_vectors; o++)
    {
      guint v = order[o].vector;
      double cap = flow->weight[v];

      for (guint m = 0; m < flow->s; m++)
        needs[m] = (Need) { m, flow->need[m] };
      qsort (needs, flow->s, sizeof (Need), compare_needs);
      for (guint r = 0; r < flow->s && flow->supply[v] > tiny && needs[r].need > tiny; r++)
        {
          guint m = needs[r].member;
          double given = MIN (MIN (cap, flow->need[m]), flow->supply[v]);

          flow->mass[v * flow->s + m] = given;
          flow->need[m] -= given;
          flow->supply[v] -= given;
        }
    }
}

/* Moves the supply left by the greedy order to the members still in
 * need along shortest augmenting paths (vector → member on a share below
 * 1, member → vector on a share above 0). FALSE if none is left while
 * more than @rounding of supply is. */
static gboolean
seat_flow_augment (SeatFlow *flow,
                   double    tiny,
                   double    rounding)
{
  guint n_nodes = flow->n_vectors + flow->s;   /* vectors, then members */
  g_autofree int *parent = g_new (int, n_nodes);
  g_autofree guint *queue = g_new (guint, n_nodes);

  for (;;)
    {
      guint head = 0, tail = 0;
      int end = -1;
      double left;

      for (guint node = 0; node < n_nodes; node++)
        parent[node] = -2;
      for (guint v = 0; v < flow->n_vectors; v++)
        if (flow->supply[v] > tiny)
          {
            parent[v] = -1;
            queue[tail++] = v;
          }
      if (tail == 0)
        return TRUE;
      left = 0;
      for (guint v = 0; v < flow->n_vectors; v++)
        left += flow->supply[v];
      if (left <= rounding)
        return TRUE;

      while (head < tail && end < 0)
        {
          guint node = queue[head++];

          if (node < flow->n_vectors)
            {
              for (guint m = 0; m < flow->s; m++)
                if (parent[flow->n_vectors + m] == -2 &&
                    flow->mass[node * flow->s + m] < flow->weight[node] - tiny)
                  {
                    parent[flow->n_vectors + m] = node;
                    if (flow->need[m] > tiny)
                      {
                        end = flow->n_vectors + m;
                        break;
                      }
                    queue[tail++] = flow->n_vectors + m;
                  }
            }
          else
            {
              guint m = node - flow->n_vectors;

              for (guint v = 0; v < flow->n_vectors; v++)
                if (parent[v] == -2 && flow->mass[v * flow->s + m] > tiny)
                  {
                    parent[v] = node;
                    queue[tail++] = v;
                  }
            }
        }
      if (end < 0)
        return FALSE;

      {
        double amount = flow->need[end - flow->n_vectors];
        guint node = end;

        /* the bottleneck */
        while (parent[node] != -1)
          {
            guint from = parent[node];

            if (from < flow->n_vectors)
              amount = MIN (amount, flow->weight[from] - flow->mass[from * flow->s + (node - flow->n_vectors)]);
            else
              amount = MIN (amount, flow->mass[node * flow->s + (from - flow->n_vectors)]);
            node = from;
          }
        amount = MIN (amount, flow->supply[node]);
        flow->supply[node] -= amount;
        flow->need[end - flow->n_vectors] -= amount;
        for (node = end; parent[node] != -1; node = parent[node])
          {
            guint from = parent[node];

            if (from < flow->n_vectors)
              flow->mass[from * flow->s + (node - flow->n_vectors)] += amount;
            else
              flow->mass[node * flow->s + (from - flow->n_vectors)] -= amount;
          }
      }
    }
}

/* Exactly c seats: the rounding left (@difference) goes to members with
 * room, so that no share leaves [0, 1] (systematic sampling would then
 * seat someone twice). */
static void
settle_seats (double *shares,
              guint   s,
              double  difference)
{
  for (guint m = 0; m < s && difference != 0; m++)
    {
      double change = difference > 0 ? MIN (1 - shares[m], difference) : -MIN (shares[m], -difference);

      shares[m] += change;
      difference -= change;
    }
}

/* Shares are stored per (support position, member position in group). */
static void
group_shares (KlSeatCounts  *self,
              guint          g,
              guint          n_support,
              const double  *x,
              const guint  **counts,
              double        *shares)
{
  guint s = self->group_size[g];
  SeatFlow flow = { s, 0 };
  double total = 0, tiny;
  gboolean complete;

  for (guint b = 0; b < n_support; b++)
    for (guint m = 0; m < s; m++)
      shares[b * s + m] = counts[b][g] == s ? 1 : 0;

  flow.position = g_new (guint, MAX (n_support, 1));
  flow.weight = g_new (double, MAX (n_support, 1));
  flow.supply = g_new (double, MAX (n_support, 1));
  for (guint b = 0; b < n_support; b++)
    if (counts[b][g] > 0 && counts[b][g] < s)
      {
        flow.position[flow.n_vectors] = b;
        flow.weight[flow.n_vectors] = x[b];
        flow.supply[flow.n_vectors++] = counts[b][g] * x[b];
        total += counts[b][g] * x[b];
      }
  if (flow.n_vectors > 0)
    {
      flow.need = g_new (double, s);
      flow.mass = g_new0 (double, (gsize) flow.n_vectors * s);
      for (guint m = 0; m < s; m++)
        flow.need[m] = total / s;
      /* Below these, mass is rounding: a piece, and what may be left in all. */
      tiny = 1e-13 * total / s;

      seat_flow_greedy (&flow, tiny);
      complete = seat_flow_augment (&flow, tiny, 1e-10 * total);
      if (!complete)
        g_debug ("Seat counts: group %u (%u members) took equal shares", g, s);

      for (guint v = 0; v < flow.n_vectors; v++)
        {
          guint b = flow.position[v], c = counts[b][g];
          double seated = 0;

          for (guint m = 0; m < s; m++)
            {
              /* Equal shares c/s are always exact; they only cut the
               * count vector into more panels. */
              double share = complete ? CLAMP (flow.mass[v * s + m] / flow.weight[v], 0, 1) : (double) c / s;

              if (share < SHARE_SNAP)
                share = 0;
              else if (share > 1 - SHARE_SNAP)
                share = 1;
              shares[b * s + m] = share;
              seated += share;
            }
          settle_seats (shares + b * s, s, c - seated);
        }
      g_free (flow.need);
      g_free (flow.mass);
    }
  g_free (flow.position);
  g_free (flow.weight);
  g_free (flow.supply);
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
 * has exactly the group's chance Σ_B x_B c_gB / s_g. Per group, a flow of
 * chance decides which members take the seats of each count vector
 * (group_shares); systematic sampling turns the shares into panels,
 * cutting a count vector's weight only where some member's share is
 * fractional. It starts the phase %KL_PHASE_BUILDING_PANELS and leaves its
 * last step, recording the distribution, to the run, which ends it.
 */
KlDistribution *
kl_seat_counts_expand (KlSeatCounts  *self,
                       const double  *x,
                       KlProgress    *progress,
                       GCancellable  *cancellable,
                       GError       **error)
{
  guint k = self->k, n_vectors = self->vectors->len;
  g_autoptr(KlDistribution) distribution = kl_distribution_new ();
  g_autofree guint *support = g_new (guint, MAX (n_vectors, 1));
  g_autofree double *weights = g_new (double, MAX (n_vectors, 1));
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
      {
        weights[n_support] = x[c];
        support[n_support++] = c;
      }

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

  /* one step per group's shares, one per count vector's panels, one for
   * the run to record the distribution */
  kl_progress_start (progress, KL_PHASE_BUILDING_PANELS, self->n_groups + n_support + 1,
                     _("Making panels of people from %u seat counts"), n_support);
  for (guint g = 0; g < self->n_groups; g++)
    {
      double *group_share = g_new (double, MAX (n_support * self->group_size[g], 1));

      g_ptr_array_add (shares, group_share);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      group_shares (self, g, n_support, weights, counts, group_share);
      if (g % PROGRESS_EVERY == 0)
        kl_progress_update (progress, g, _("Sharing the seats of group %u of %u"), g + 1, self->n_groups);
    }

  for (guint b = 0; b < n_support; b++)
    {
      double start = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (b % PROGRESS_EVERY == 0)
        kl_progress_update (progress, self->n_groups + b, _("Panels of seat count %u of %u: %u panels so far"),
                            b + 1, n_support, distribution->committees->len);

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
  g_debug ("Seat counts: %u count vectors became %u panels", n_support, distribution->committees->len);
  kl_progress_update (progress, self->n_groups + n_support, _("%u panels of people"), distribution->committees->len);
  return g_steal_pointer (&distribution);
}
