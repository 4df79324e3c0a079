/* kl-reporters.h — the progress reporters the engine ships
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <gio/gio.h>
#include <stdio.h>

#include "kl-progress-reporter.h"

G_BEGIN_DECLS

/* Does nothing: what the engine uses when given no reporter. */
#define KL_TYPE_NULL_REPORTER (kl_null_reporter_get_type ())
G_DECLARE_FINAL_TYPE (KlNullReporter, kl_null_reporter, KL, NULL_REPORTER, GObject)
KlProgressReporter *kl_null_reporter_new (void);

/* Sends every event to each of its children. */
#define KL_TYPE_COMPOSITE_REPORTER (kl_composite_reporter_get_type ())
G_DECLARE_FINAL_TYPE (KlCompositeReporter, kl_composite_reporter, KL, COMPOSITE_REPORTER, GObject)
KlProgressReporter *kl_composite_reporter_new (KlProgressReporter *first, ...) G_GNUC_NULL_TERMINATED;
void                kl_composite_reporter_add (KlCompositeReporter *self, KlProgressReporter *child);

/* Drops updates that come within @interval_us of the last one it passed on;
 * phase starts and ends always pass, and so does the last update of a phase. */
#define KL_TYPE_THROTTLE_REPORTER (kl_throttle_reporter_get_type ())
G_DECLARE_FINAL_TYPE (KlThrottleReporter, kl_throttle_reporter, KL, THROTTLE_REPORTER, GObject)
KlProgressReporter *kl_throttle_reporter_new (KlProgressReporter *inner, gint64 interval_us);

/* One JSON object per event and per line, for scripts and other programs. */
#define KL_TYPE_JSONL_REPORTER (kl_jsonl_reporter_get_type ())
G_DECLARE_FINAL_TYPE (KlJsonlReporter, kl_jsonl_reporter, KL, JSONL_REPORTER, GObject)
KlProgressReporter *kl_jsonl_reporter_new (GOutputStream *stream);

/* A live line with the phase, a bar and the elapsed time, for terminals. */
#define KL_TYPE_TERMINAL_REPORTER (kl_terminal_reporter_get_type ())
G_DECLARE_FINAL_TYPE (KlTerminalReporter, kl_terminal_reporter, KL, TERMINAL_REPORTER, GObject)
KlProgressReporter *kl_terminal_reporter_new (FILE *stream);

G_END_DECLS
