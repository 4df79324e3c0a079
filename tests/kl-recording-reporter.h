/* kl-recording-reporter.h — a reporter for tests: records every event, and
 * can fail or cancel on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <kleroterion.h>

G_BEGIN_DECLS

#define KL_TYPE_RECORDING_REPORTER (kl_recording_reporter_get_type ())
G_DECLARE_FINAL_TYPE (KlRecordingReporter, kl_recording_reporter, KL, RECORDING_REPORTER, GObject)

struct _KlRecordingReporter {
  GObject parent_instance;
  GPtrArray *events;          /* "start legacy_attempt 5 |message", "update 1 |message", "end" */
  gboolean fail;              /* every method fails after recording */
  GCancellable *cancel_at_update;
  gint64 cancel_after;        /* cancel when an update's current reaches this */
  char *cancel_in_phase;      /* … in this phase only, if set */
  char *cancel_on_message;    /* … or when an update's message contains this */
  char *phase;
};

KlRecordingReporter *kl_recording_reporter_new    (void);
guint                kl_recording_reporter_count  (KlRecordingReporter *self, const char *prefix);
const char          *kl_recording_reporter_event  (KlRecordingReporter *self, guint i);

G_END_DECLS
