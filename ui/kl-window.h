/* kl-window.h — the main window: files, selection, results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KL_TYPE_WINDOW (kl_window_get_type ())
G_DECLARE_FINAL_TYPE (KlWindow, kl_window, KL, WINDOW, AdwApplicationWindow)

KlWindow *kl_window_new          (GtkApplication *application);
void      kl_window_open_file    (KlWindow *self, GFile *file);
void      kl_window_load_example (KlWindow *self);

G_END_DECLS
