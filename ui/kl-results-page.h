/* kl-results-page.h — the panel, its quotas, everyone's chances, the report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <kleroterion.h>

#include "kl-probability-chart.h"

G_BEGIN_DECLS

#define KL_TYPE_RESULTS_PAGE (kl_results_page_get_type ())
G_DECLARE_FINAL_TYPE (KlResultsPage, kl_results_page, KL, RESULTS_PAGE, AdwBin)

void                kl_results_page_show_run      (KlResultsPage *self, KlRun *run,
                                                   const KlSettings *settings, KlPool *already,
                                                   const char *drawn_from);
void                kl_results_page_show_drawn    (KlResultsPage *self, KlRun *run,
                                                   const KlSettings *settings, KlPool *already,
                                                   guint panel_number, const char *public_number);
const char         *kl_results_page_get_panel_title (KlResultsPage *self);
void                kl_results_page_set_stale     (KlResultsPage *self, gboolean stale);
gboolean            kl_results_page_get_stale     (KlResultsPage *self);
void                kl_results_page_set_running   (KlResultsPage *self, gboolean running);
const char         *kl_results_page_get_state     (KlResultsPage *self);
char               *kl_results_page_summarize     (KlRun *run);
const char         *kl_results_page_get_summary   (KlResultsPage *self);
GtkColumnView      *kl_results_page_get_panel_view (KlResultsPage *self);
KlProbabilityChart *kl_results_page_get_chart     (KlResultsPage *self);

G_END_DECLS
