/* kl-algorithm.c — the algorithms, described once for every caller
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-algorithm.h"

typedef struct {
  KlAlgorithm algorithm;
  gboolean available;
  gboolean has_probabilities;  /* a distribution over panels, hence chances */
  const char *title;
  const char *explanation;
  const char *caveat;          /* NULL, or what a user must know before choosing it */
} AlgorithmInfo;

/* In the order a chooser lists them: the recommended one first. */
static const AlgorithmInfo algorithms[] = {
  { KL_ALGORITHM_MAXIMIN, TRUE, TRUE, N_("Maximin"),
    N_("Gives every volunteer the largest possible guaranteed chance of selection"), NULL },
  { KL_ALGORITHM_NASH, TRUE, TRUE, N_("Nash welfare"),
    N_("Balances everyone's chances by maximising their product"), NULL },
  { KL_ALGORITHM_LEXIMIN, TRUE, TRUE, N_("Leximin"),
    N_("Raises the lowest chance, then the next lowest, and so on"), NULL },
  { KL_ALGORITHM_DIVERSIMAX, TRUE, FALSE, N_("Diversimax"),
    N_("Picks the one panel that mixes combinations of features most evenly"),
    N_("An optimiser, not a lottery: the same files give nearly the same panel every time.") },
  { KL_ALGORITHM_LEGACY, TRUE, FALSE, N_("Legacy"),
    N_("The old greedy draw: meets the quotas, but some volunteers get far lower chances"), NULL },
};

static const AlgorithmInfo *
info (KlAlgorithm algorithm)
{
  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    if (algorithms[i].algorithm == algorithm)
      return &algorithms[i];
  g_return_val_if_reached (&algorithms[0]);
}

/**
 * kl_algorithm_list_available:
 * @n_algorithms: (out): how many
 *
 * The algorithms this build can run, in the order a chooser shows them.
 */
const KlAlgorithm *
kl_algorithm_list_available (guint *n_algorithms)
{
  static KlAlgorithm list[G_N_ELEMENTS (algorithms)];
  static gsize n;

  if (g_once_init_enter (&n))
    {
      gsize count = 0;

      for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
        if (algorithms[i].available)
          list[count++] = algorithms[i].algorithm;
      g_once_init_leave (&n, count);
    }
  *n_algorithms = (guint) n;
  return list;
}

gboolean
kl_algorithm_is_available (KlAlgorithm algorithm)
{
  return info (algorithm)->available;
}

/* Translated, for a chooser. */
const char *
kl_algorithm_get_title (KlAlgorithm algorithm)
{
  return _(info (algorithm)->title);
}

/* One translated sentence saying what the algorithm gives the volunteers. */
const char *
kl_algorithm_get_explanation (KlAlgorithm algorithm)
{
  return _(info (algorithm)->explanation);
}

/* A translated warning to show beside the explanation, or NULL. */
const char *
kl_algorithm_get_caveat (KlAlgorithm algorithm)
{
  const char *caveat = info (algorithm)->caveat;

  return caveat ? _(caveat) : NULL;
}

/* Whether a run computes a distribution over panels (and so chances). */
gboolean
kl_algorithm_has_probabilities (KlAlgorithm algorithm)
{
  return info (algorithm)->has_probabilities;
}
