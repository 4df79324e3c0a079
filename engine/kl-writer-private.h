/* kl-writer-private.h — the single-path rules kl-file-set.c builds on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a write to @path lands: @path, or the end of its chain of symbolic
 * links (dangling or not), as an absolute name; NULL with @saved_errno set
 * (ELOOP) when the chain does not end. */
char *kl_file_resolve_links (const char *path, int *saved_errno);

G_END_DECLS
