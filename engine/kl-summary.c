/* kl-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <stdlib.h>

/* All zeros for an empty set; @values is left as it was. */
void
kl_summary_compute (const double *values,
                    gsize         n,
                    KlSummary    *summary)
{
  g_autofree double *sorted = NULL;
  double total = 0;

  memset (summary, 0, sizeof *summary);
  if (n == 0)
    return;

  sorted = g_memdup2 (values, n * sizeof (double));
  qsort (sorted, n, sizeof (double), kl_compare_double);
  for (gsize i = 0; i < n; i++)
    total += sorted[i];

  summary->min = sorted[0];
  summary->max = sorted[n - 1];
  summary->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  summary->mean = total / n;
}
