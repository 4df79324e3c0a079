/* kl-error.h — the engine's single error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

#define KL_ERROR (kl_error_quark ())

/**
 * KlErrorCode:
 * @KL_ERROR_FILE: a file could not be read or written (missing, unreadable,
 *   not UTF-8, full disk, would overwrite an input).
 * @KL_ERROR_BAD_DATA: a table's contents are invalid (quotas, pool,
 *   already-selected people). The structured problems are in the message list.
 * @KL_ERROR_BAD_SETTINGS: the settings are malformed or invalid.
 * @KL_ERROR_CONFIGURATION: the parameters of a run do not go together.
 * @KL_ERROR_INFEASIBLE: no panel can meet the quotas; a relaxation is proposed.
 * @KL_ERROR_CANNOT_RELAX: no panel exists even with quotas relaxed to their flex bounds.
 * @KL_ERROR_SELECTION_FAILED: the algorithm did not find a panel.
 * @KL_ERROR_SOLVER: the LP/MIP solver failed.
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED, as everywhere in GLib.
 * The codes are stable: callers switch on them.
 */
typedef enum {
  KL_ERROR_FILE,
  KL_ERROR_BAD_DATA,
  KL_ERROR_BAD_SETTINGS,
  KL_ERROR_CONFIGURATION,
  KL_ERROR_INFEASIBLE,
  KL_ERROR_CANNOT_RELAX,
  KL_ERROR_SELECTION_FAILED,
  KL_ERROR_SOLVER,
} KlErrorCode;

GQuark kl_error_quark (void);

G_END_DECLS
