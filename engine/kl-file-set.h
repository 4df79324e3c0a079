/* kl-file-set.h — several output files written together, all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <gio/gio.h>

#include "kl-progress-reporter.h"

G_BEGIN_DECLS

typedef struct _KlFileSet KlFileSet;

KlFileSet  *kl_file_set_new          (const char * const *inputs);
void        kl_file_set_free         (KlFileSet *set);
void        kl_file_set_add          (KlFileSet *set, const char *path, GBytes *contents);
void        kl_file_set_add_text     (KlFileSet *set, const char *path, char *text);
guint       kl_file_set_get_n_files  (KlFileSet *set);
const char *kl_file_set_get_path     (KlFileSet *set, guint index);
GBytes     *kl_file_set_get_contents (KlFileSet *set, guint index);

gboolean    kl_file_set_check_paths  (const char * const *paths, const char * const *inputs,
                                      gboolean replace, GError **error);
char      **kl_file_set_find_existing (const char * const *paths);
gboolean    kl_file_set_commit       (KlFileSet *set, gboolean replace,
                                      KlProgressReporter *reporter,
                                      GCancellable *cancellable, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlFileSet, kl_file_set_free)

G_END_DECLS
