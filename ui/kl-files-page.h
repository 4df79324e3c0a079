/* kl-files-page.h — the inputs, their problems and the pool's preview
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kl-loader.h"

G_BEGIN_DECLS

#define KL_TYPE_FILES_PAGE (kl_files_page_get_type ())
G_DECLARE_FINAL_TYPE (KlFilesPage, kl_files_page, KL, FILES_PAGE, AdwBin)

void           kl_files_page_show_inputs      (KlFilesPage *self, KlInputs *inputs);
void           kl_files_page_set_loading      (KlFilesPage *self, KlInput input, gboolean loading);
void           kl_files_page_show_problem     (KlFilesPage *self, guint index);
GtkColumnView *kl_files_page_get_preview_view (KlFilesPage *self);
GtkListBox    *kl_files_page_get_problems_list (KlFilesPage *self);

G_END_DECLS
