/* bench-legacy.c — 10,000 legacy draws on a generated pool of 2,000 people
 * with 6 features and a panel of 200; prints the median over three runs
 * and the peak memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define RUNS 3
#define DRAWS 10000

int
main (int    argc,
      char **argv)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  KlGeneratorOptions options;
  double times[RUNS];
  guint failures = 0;
  struct rusage usage;
  KlSummary summary;

  kl_generator_options_init (&options);
  options.n_people = 2000;
  options.n_features = 6;
  options.panel_size = 200;
  options.household_share = 0.1;
  kl_test_inputs_generate (&in, &options);

  for (int r = 0; r < RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(KlAnalysis) analysis = kl_analyse_legacy (in.pool, 200, 100, DRAWS, 1 + r * DRAWS,
                                                          NULL, NULL, &error);
      if (analysis == NULL)
        g_error ("%s", error->message);
      times[r] = (g_get_monotonic_time () - start) / 1e6;
      failures += analysis->failures;
    }

  getrusage (RUSAGE_SELF, &usage);
  kl_summary_compute (times, RUNS, &summary);
  printf ("legacy: %d draws, 2000 people, 6 features, panel 200, households on:\n", DRAWS);
  printf ("  median %.2f s (min %.2f, max %.2f over %d runs), %u draws gave up, peak memory %.1f MB\n",
          summary.median, summary.min, summary.max, RUNS, failures, usage.ru_maxrss / 1024.0);
  kl_test_inputs_clear (&in);
  return 0;
}
