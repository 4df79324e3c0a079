/* kl-probability-chart.h — everyone's chance of selection, lowest first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KL_TYPE_PROBABILITY_CHART (kl_probability_chart_get_type ())
G_DECLARE_FINAL_TYPE (KlProbabilityChart, kl_probability_chart, KL, PROBABILITY_CHART, GtkWidget)

GtkWidget *kl_probability_chart_new   (void);
void       kl_probability_chart_set   (KlProbabilityChart *self, const double *probabilities,
                                       guint n, guint k);
guint      kl_probability_chart_get_n (KlProbabilityChart *self);
double     kl_probability_chart_nice_step (double top);

G_END_DECLS
