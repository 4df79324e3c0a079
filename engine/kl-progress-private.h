/* kl-progress-private.h — how the engine calls a reporter safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-progress-reporter.h"

G_BEGIN_DECLS

typedef struct {
  KlProgressReporter *reporter;  /* NULL: report nothing */
  char *phase;                   /* the open phase, or NULL */
  gint64 total;                  /* the open phase's total */
} KlProgress;

void kl_progress_init   (KlProgress *progress, KlProgressReporter *reporter);
void kl_progress_clear  (KlProgress *progress);
void kl_progress_start  (KlProgress *progress, const char *name, gint64 total,
                         const char *format, ...) G_GNUC_PRINTF (4, 5);
void kl_progress_update (KlProgress *progress, gint64 current,
                         const char *format, ...) G_GNUC_PRINTF (3, 4);
void kl_progress_end    (KlProgress *progress);
gint64 kl_progress_get_total (KlProgress *progress);

G_END_DECLS
