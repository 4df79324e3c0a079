/* kleroterion.h — the selection engine's one public header
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define KLEROTERION_INSIDE
# include "kl-error.h"
# include "kl-message.h"
# include "kl-table.h"
# include "kl-quotas.h"
# include "kl-settings.h"
# include "kl-algorithm.h"
# include "kl-pool.h"
# include "kl-output.h"
# include "kl-writer.h"
# include "kl-generator.h"
# include "kl-random.h"
# include "kl-progress-reporter.h"
# include "kl-reporters.h"
# include "kl-report.h"
# include "kl-run.h"
# include "kl-file-set.h"
# include "kl-export.h"
# include "kl-draw.h"
# include "kl-spreadsheet.h"
# include "kl-analysis.h"
# include "kl-summary.h"
#undef KLEROTERION_INSIDE
