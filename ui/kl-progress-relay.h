/* kl-progress-relay.h — progress from a worker thread to the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <kleroterion.h>

G_BEGIN_DECLS

/* Called on the main thread. @phase is NULL once a phase has ended. */
typedef void (*KlProgressFunc) (const char *phase,
                                gint64      total,
                                gint64      current,
                                const char *message,
                                gpointer    user_data);

#define KL_TYPE_PROGRESS_RELAY (kl_progress_relay_get_type ())
G_DECLARE_FINAL_TYPE (KlProgressRelay, kl_progress_relay, KL, PROGRESS_RELAY, GObject)

KlProgressRelay *kl_progress_relay_new        (KlProgressFunc func, gpointer user_data);
void             kl_progress_relay_flush      (KlProgressRelay *self);
void             kl_progress_relay_disconnect (KlProgressRelay *self);
guint            kl_progress_relay_get_n_dispatches (KlProgressRelay *self);

G_END_DECLS
