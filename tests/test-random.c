/* test-random.c — seeded and secure randomness (spec 6)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

/* Values CPython prints for random.seed(s); random.random(): the seeded
 * generator is the same Mersenne Twister, seeded the same way. */
static void
test_cpython_vectors (void)
{
  g_autoptr(KlRandom) r42 = kl_random_new (42);
  g_autoptr(KlRandom) r1 = kl_random_new (1);
  g_autoptr(KlRandom) minus1 = kl_random_new (-1);

  g_assert_cmpfloat (kl_random_double (r42), ==, 0.6394267984578837);
  g_assert_cmpfloat (kl_random_double (r42), ==, 0.025010755222666936);
  g_assert_cmpfloat (kl_random_double (r1), ==, 0.13436424411240122);
  /* A negative seed behaves like its absolute value. */
  g_assert_cmpfloat (kl_random_double (minus1), ==, 0.13436424411240122);
}

static void
test_same_seed_same_stream (void)
{
  g_autoptr(KlRandom) a = kl_random_new (1234567890123LL);
  g_autoptr(KlRandom) b = kl_random_new (1234567890123LL);

  g_assert_false (kl_random_is_secure (a));
  g_assert_cmpint (kl_random_get_seed (a), ==, 1234567890123LL);
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (kl_random_below (a, 1000 + i), ==, kl_random_below (b, 1000 + i));
}

/* Every value of a small range comes up about equally often: no modulo
 * bias, in either mode. */
static void
check_uniform (KlRandom *random)
{
  guint counts[7] = { 0 };
  const guint draws = 70000;
  double chi2 = 0;

  for (guint i = 0; i < draws; i++)
    counts[kl_random_below (random, 7)]++;
  for (guint v = 0; v < 7; v++)
    chi2 += (counts[v] - draws / 7.0) * (counts[v] - draws / 7.0) / (draws / 7.0);
  /* 6 degrees of freedom: above 33 happens about once in 100,000 runs. */
  g_assert_cmpfloat (chi2, <, 33.0);

  for (guint i = 0; i < 1000; i++)
    {
      double x = kl_random_double (random);
      g_assert_cmpfloat (x, >=, 0.0);
      g_assert_cmpfloat (x, <, 1.0);
    }
}

static void
test_uniform (void)
{
  g_autoptr(KlRandom) seeded = kl_random_new (7);
  g_autoptr(KlRandom) secure = kl_random_new (0);

  check_uniform (seeded);
  check_uniform (secure);
}

static void
test_secure_differs (void)
{
  g_autoptr(KlRandom) a = kl_random_new (0);
  g_autoptr(KlRandom) b = kl_random_new (0);
  guint same = 0;

  g_assert_true (kl_random_is_secure (a));
  for (int i = 0; i < 64; i++)
    same += kl_random_u32 (a) == kl_random_u32 (b);
  g_assert_cmpuint (same, <, 2);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/random/cpython-vectors", test_cpython_vectors);
  g_test_add_func ("/random/same-seed-same-stream", test_same_seed_same_stream);
  g_test_add_func ("/random/uniform", test_uniform);
  g_test_add_func ("/random/secure-differs", test_secure_differs);

  return g_test_run ();
}
