/* kl-lottery.c — the final draw (spec 4.9)
 *
 * Pipage rounding turns fractional shares into whole panels while keeping
 * every committee's chance exactly what the distribution says: for N
 * panels, committee j appears floor(N p_j) or ceil(N p_j) times, and
 * N p_j times on average, so drawing one of the N uniformly (in public,
 * with dice) reproduces the distribution as closely as N allows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-lottery-private.h"

#include <math.h>

#define EPS2 1e-8

/* Drops committees below 1e-8 and renormalises (spec 4.9.1). */
void
kl_distribution_standardise (KlDistribution *self)
{
  double total = 0;

  for (guint c = self->committees->len; c > 0; c--)
    if (g_array_index (self->probabilities, double, c - 1) < EPS2)
      {
        g_ptr_array_remove_index (self->committees, c - 1);
        g_array_remove_index (self->probabilities, c - 1);
      }
  for (guint c = 0; c < self->probabilities->len; c++)
    total += g_array_index (self->probabilities, double, c);
  for (guint c = 0; c < self->probabilities->len; c++)
    g_array_index (self->probabilities, double, c) /= total;
}

/* Each person's chance of selection: the total probability of the
 * committees they sit on. */
double *
kl_distribution_marginals (KlDistribution *self,
                           guint           n_people,
                           guint           k)
{
  double *marginals = g_new0 (double, MAX (n_people, 1));

  for (guint c = 0; c < self->committees->len; c++)
    {
      const guint *committee = g_ptr_array_index (self->committees, c);
      double p = g_array_index (self->probabilities, double, c);

      for (guint m = 0; m < k; m++)
        marginals[committee[m]] += p;
    }
  return marginals;
}

/**
 * kl_pipage_round:
 * @items: (element-type KlShare): shares in [0, 1] summing to (about) a
 *   whole number
 *
 * Returns the indices chosen: each with probability equal to its share,
 * and as many as the shares add up to (spec 4.9.4).
 */
GArray *
kl_pipage_round (GArray   *items,
                 KlRandom *random)
{
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) work = g_array_copy (items);

  while (work->len > 0)
    {
      KlShare *a = &g_array_index (work, KlShare, 0);
      KlShare *b;
      double up, down;

      if (work->len == 1)
        {
          if (kl_random_double (random) < a->share)
            g_array_append_val (chosen, a->index);
          break;
        }
      if (a->share > 1 - EPS2)
        {
          g_array_append_val (chosen, a->index);
          g_array_remove_index (work, 0);
          continue;
        }
      if (a->share < EPS2)
        {
          g_array_remove_index (work, 0);
          continue;
        }
      b = &g_array_index (work, KlShare, 1);
      if (b->share > 1 - EPS2)
        {
          g_array_append_val (chosen, b->index);
          g_array_remove_index (work, 1);
          continue;
        }
      if (b->share < EPS2)
        {
          g_array_remove_index (work, 1);
          continue;
        }

      /* Move mass between the two so that one reaches 0 or 1, in the
       * direction that keeps both expectations unchanged. */
      up = MIN (1 - a->share, b->share);
      down = MIN (a->share, 1 - b->share);
      if (kl_random_double (random) < down / (up + down))
        {
          a->share += up;
          b->share -= up;
        }
      else
        {
          a->share -= down;
          b->share += down;
        }
    }

  return chosen;
}

/**
 * kl_lottery_draw:
 *
 * @n_panels panels (committee indices, in committee order, repeats
 * allowed) such that drawing one of them uniformly reproduces the
 * distribution (spec 4.9.3). With one panel this is a plain draw.
 */
GArray *
kl_lottery_draw (KlDistribution *self,
                 guint           n_panels,
                 KlRandom       *random)
{
  g_autoptr(GArray) residuals = g_array_new (FALSE, FALSE, sizeof (KlShare));
  g_autoptr(GArray) extra = NULL;
  g_autofree guint *copies = g_new0 (guint, MAX (self->committees->len, 1));
  GArray *panels = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint c = 0; c < self->committees->len; c++)
    {
      double expected = n_panels * g_array_index (self->probabilities, double, c);
      KlShare share;

      copies[c] = (guint) floor (expected);
      share.index = c;
      share.share = expected - copies[c];
      g_array_append_val (residuals, share);
    }

  extra = kl_pipage_round (residuals, random);
  for (guint e = 0; e < extra->len; e++)
    copies[g_array_index (extra, guint, e)]++;

  for (guint c = 0; c < self->committees->len; c++)
    for (guint r = 0; r < copies[c]; r++)
      g_array_append_val (panels, c);

  return panels;
}
