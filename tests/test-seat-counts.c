/* test-seat-counts.c — count vectors back to panels of people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-seat-counts-private.h"
#include "kl-test-utils.h"

#include <math.h>

/* Random panels (the quotas play no part here) with weights spread over
 * ten orders of magnitude, as a master LP's duals are: each member of a
 * group must get exactly the group's chance, and the panels must stay few
 * (equal shares c/s would cut every count vector at almost every member). */
static void
test_expand_exact_and_sparse (void)
{
  KlGeneratorOptions options;
  KlTestInputs in = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(KlCommitteeModel) model = NULL;
  g_autoptr(KlSeatCounts) counts = NULL;
  g_autoptr(KlDistribution) distribution = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *covered = NULL;
  g_autofree guint *committee = NULL;
  g_autofree double *x = NULL;
  g_autofree double *group_chance = NULL;
  g_autofree double *chance = NULL;
  guint n, k = 40, n_vectors, n_groups;
  double total = 0, sum = 0;

  kl_generator_options_init (&options);
  options.n_people = 800;
  options.n_features = 2;
  options.panel_size = k;
  options.household_share = 0;
  kl_test_inputs_generate (&in, &options);
  n = kl_pool_get_n_people (in.pool);

  model = kl_committee_model_new (in.pool, k);
  covered = g_new (gboolean, n);
  for (guint i = 0; i < n; i++)
    covered[i] = TRUE;
  counts = kl_seat_counts_new (model, n, k, covered);
  n_groups = kl_seat_counts_get_n_groups (counts);
  g_assert_cmpuint (n_groups, <, n / 20);   /* large groups, where shares are hard */

  committee = g_new (guint, k);
  for (guint c = 0; c < 400; c++)
    {
      /* k distinct people */
      for (guint m = 0; m < k; m++)
        {
          gboolean again;

          do
            {
              committee[m] = g_rand_int_range (rand, 0, n);
              again = FALSE;
              for (guint l = 0; l < m; l++)
                again |= committee[l] == committee[m];
            }
          while (again);
        }
      kl_seat_counts_add (counts, committee, NULL);
    }
  n_vectors = kl_seat_counts_get_n_vectors (counts);
  g_assert_cmpuint (n_vectors, ==, 400);

  x = g_new (double, n_vectors);
  for (guint c = 0; c < n_vectors; c++)
    {
      x[c] = pow (10, -g_rand_double_range (rand, 0, 10));
      total += x[c];
    }
  for (guint c = 0; c < n_vectors; c++)
    x[c] /= total;

  group_chance = g_new0 (double, n_groups);
  for (guint c = 0; c < n_vectors; c++)
    {
      guint n_entries;
      const KlSeats *seats = kl_seat_counts_get_vector (counts, c, &n_entries);

      for (guint e = 0; e < n_entries; e++)
        group_chance[seats[e].group] += x[c] * seats[e].count / kl_seat_counts_get_group_size (counts, seats[e].group);
    }

  distribution = kl_seat_counts_expand (counts, x, NULL, NULL, &error);
  g_assert_no_error (error);

  chance = g_new0 (double, n);
  for (guint p = 0; p < distribution->committees->len; p++)
    {
      const guint *panel = g_ptr_array_index (distribution->committees, p);
      double probability = g_array_index (distribution->probabilities, double, p);

      g_assert_cmpfloat (probability, >, 0);
      sum += probability;
      for (guint m = 0; m < k; m++)
        {
          if (m > 0)
            g_assert_cmpuint (panel[m - 1], <, panel[m]);
          chance[panel[m]] += probability;
        }
    }
  g_assert_cmpfloat_with_epsilon (sum, 1, 1e-9);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (chance[i], group_chance[kl_seat_counts_get_group_of (counts, i)], 1e-9);

  /* About one fractional share per count vector and group: a few panels
   * per count vector. */
  g_test_message ("%u count vectors, %u groups: %u panels", n_vectors, n_groups, distribution->committees->len);
  g_assert_cmpuint (distribution->committees->len, <=, 10 * n_vectors);
  kl_test_inputs_clear (&in);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);
  g_test_add_func ("/seat-counts/expand-exact-and-sparse", test_expand_exact_and_sparse);
  return g_test_run ();
}
