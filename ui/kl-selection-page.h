/* kl-selection-page.h — panel size, algorithm, randomness and columns
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kl-loader.h"

G_BEGIN_DECLS

#define KL_TYPE_SELECTION_PAGE (kl_selection_page_get_type ())
G_DECLARE_FINAL_TYPE (KlSelectionPage, kl_selection_page, KL, SELECTION_PAGE, AdwBin)

void        kl_selection_page_show_inputs  (KlSelectionPage *self, KlInputs *inputs);
KlSettings *kl_selection_page_get_settings (KlSelectionPage *self, const KlSettings *base);
gboolean    kl_selection_page_get_params   (KlSelectionPage *self, const KlSettings *settings,
                                            KlRunParams *params, GError **error);
void        kl_selection_page_remember     (KlSelectionPage *self);
KlAlgorithm kl_selection_page_get_algorithm (KlSelectionPage *self);
void        kl_selection_page_set_algorithm (KlSelectionPage *self, KlAlgorithm algorithm);
void        kl_selection_page_set_time_limit (KlSelectionPage *self, int seconds);
gboolean    kl_selection_page_get_time_limit_shown (KlSelectionPage *self);
void        kl_selection_page_set_panel_size (KlSelectionPage *self, int size);
void        kl_selection_page_set_seed      (KlSelectionPage *self, const char *seed);
void        kl_selection_page_set_test_selection (KlSelectionPage *self, gboolean test);
void        kl_selection_page_set_number_selections (KlSelectionPage *self, int n);
gboolean    kl_selection_page_get_lottery_enabled (KlSelectionPage *self);

G_END_DECLS
