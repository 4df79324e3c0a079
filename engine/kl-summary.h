/* kl-summary.h — minimum, median, maximum and mean of a set of numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double min;
  double median;
  double max;
  double mean;
} KlSummary;

void kl_summary_compute (const double *values, gsize n, KlSummary *summary);

G_END_DECLS
