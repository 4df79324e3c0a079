/* kl-progress-reporter.h — what a long run tells its caller as it goes
 *
 * The contract of the Python sortition-algorithms library, in C: three
 * methods, flat phases with stable names, a total of -1 for convergence
 * loops, and a human-readable, translated message with every event. The
 * engine never throttles, and a reporter that fails is logged and ignored:
 * it never stops a selection. Stopping is the GCancellable's job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/* Phase names are public API: new ones may be added, none renamed. */
#define KL_PHASE_LEGACY_ATTEMPT         "legacy_attempt"
#define KL_PHASE_MULTIPLICATIVE_WEIGHTS "multiplicative_weights"
#define KL_PHASE_MAXIMIN_OPTIMIZATION   "maximin_optimization"
#define KL_PHASE_NASH_OPTIMIZATION      "nash_optimization"
#define KL_PHASE_LEXIMIN_OUTER          "leximin_outer"
#define KL_PHASE_DIVERSIMAX             "diversimax"
/* after maximin, nash or leximin: their distribution over seat counts
 * becomes panels of people, its digest and the panels drawn from it */
#define KL_PHASE_BUILDING_PANELS        "building_panels"

/* total of a phase that converges rather than counting to a known end */
#define KL_PROGRESS_UNKNOWN_TOTAL (-1)

#define KL_TYPE_PROGRESS_REPORTER (kl_progress_reporter_get_type ())
G_DECLARE_INTERFACE (KlProgressReporter, kl_progress_reporter, KL, PROGRESS_REPORTER, GObject)

struct _KlProgressReporterInterface {
  GTypeInterface parent_iface;

  gboolean (*start_phase) (KlProgressReporter  *self,
                           const char          *name,
                           gint64               total,
                           const char          *message,
                           GError             **error);
  gboolean (*update)      (KlProgressReporter  *self,
                           gint64               current,
                           const char          *message,
                           GError             **error);
  gboolean (*end_phase)   (KlProgressReporter  *self,
                           GError             **error);
};

gboolean kl_progress_reporter_start_phase (KlProgressReporter *self, const char *name,
                                           gint64 total, const char *message, GError **error);
gboolean kl_progress_reporter_update      (KlProgressReporter *self, gint64 current,
                                           const char *message, GError **error);
gboolean kl_progress_reporter_end_phase   (KlProgressReporter *self, GError **error);

G_END_DECLS
