/* kl-analysis.c — empirical selection frequencies of the legacy algorithm
 *
 * Legacy gives no probabilities of its own; drawing it many times with
 * consecutive seeds shows who it favours and who it almost never picks,
 * which is the case for the fair algorithms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-algorithm-private.h"

void
kl_analysis_free (KlAnalysis *self)
{
  if (self == NULL)
    return;
  g_free (self->counts);
  g_free (self);
}

/**
 * kl_analyse_legacy:
 * @first_seed: draw r uses seed @first_seed + r, so any single draw can be
 *   repeated with `select --seed`
 */
KlAnalysis *
kl_analyse_legacy (KlPool              *pool,
                   guint                k,
                   int                  max_attempts,
                   guint                runs,
                   gint64               first_seed,
                   KlProgressReporter  *reporter,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(KlAnalysis) self = g_new0 (KlAnalysis, 1);
  g_autofree guint *panel = g_new0 (guint, MAX (k, 1));
  KlProgress progress;
  gboolean ok = TRUE;

  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (first_seed != 0, NULL);

  self->n_people = kl_pool_get_n_people (pool);
  self->runs = runs;
  self->counts = g_new0 (guint, MAX (self->n_people, 1));

  kl_progress_init (&progress, reporter);
  kl_progress_start (&progress, KL_PHASE_ANALYSIS, runs, _("Drawing %u panels"), runs);

  for (guint r = 0; r < runs && ok; r++)
    {
      g_autoptr(KlRandom) random = kl_random_new (first_seed + r);
      g_autoptr(GError) local_error = NULL;
      KlAlgorithmContext ctx = { 0 };

      ctx.pool = pool;
      ctx.quotas = kl_pool_get_quotas (pool);
      ctx.k = k;
      ctx.random = random;
      ctx.cancellable = cancellable;

      if (kl_legacy_select (&ctx, max_attempts, panel, &local_error))
        {
          for (guint i = 0; i < k; i++)
            self->counts[panel[i]]++;
        }
      else if (g_error_matches (local_error, KL_ERROR, KL_ERROR_SELECTION_FAILED))
        self->failures++;
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }

      if ((r + 1) % 100 == 0 || r + 1 == runs)
        kl_progress_update (&progress, r + 1, _("%u of %u panels drawn"), r + 1, runs);
    }

  kl_progress_clear (&progress);
  return ok ? g_steal_pointer (&self) : NULL;
}
