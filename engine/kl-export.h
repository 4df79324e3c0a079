/* kl-export.h — the result set of a run, written all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <gio/gio.h>

#include "kl-file-set.h"
#include "kl-progress-reporter.h"
#include "kl-run.h"

G_BEGIN_DECLS

/**
 * KlExportFlags:
 * @KL_EXPORT_REPLACE: replace files of the same names (default: refuse)
 * @KL_EXPORT_EXCEL_SAFE: in the selected and remaining CSVs, neutralise
 *   cells a spreadsheet would run as a formula (kl_output_neutralise_cell())
 */
typedef enum {
  KL_EXPORT_NONE = 0,
  KL_EXPORT_REPLACE = 1 << 0,
  KL_EXPORT_EXCEL_SAFE = 1 << 1,
} KlExportFlags;

/**
 * KlExportFile:
 * @KL_EXPORT_SELECTED: `selected.csv`, the panel (a single-panel run)
 * @KL_EXPORT_REMAINING: `remaining.csv`, everyone else, with `shares_address`
 * @KL_EXPORT_PANELS: `panels.csv`, the N equally likely panels of a lottery
 * @KL_EXPORT_PROBABILITIES: `probabilities.csv`, each person's chance
 * @KL_EXPORT_DISTRIBUTION: `distribution.csv`, the committees and their
 *   probabilities, whose SHA-256 the report gives
 * @KL_EXPORT_QUOTAS_USED: `quotas-used.csv`, the quotas the panel was drawn with
 * @KL_EXPORT_REPORT_HTML: `report.html`
 * @KL_EXPORT_REPORT_TEXT: the report as plain text (not part of a folder)
 * @KL_EXPORT_RECORD: `report.json`, the audit record, naming every other
 *   file written with its SHA-256
 * @KL_EXPORT_WORKBOOK: `selection.xlsx`, every table in one workbook
 */
typedef enum {
  KL_EXPORT_SELECTED,
  KL_EXPORT_REMAINING,
  KL_EXPORT_PANELS,
  KL_EXPORT_PROBABILITIES,
  KL_EXPORT_DISTRIBUTION,
  KL_EXPORT_QUOTAS_USED,
  KL_EXPORT_REPORT_HTML,
  KL_EXPORT_REPORT_TEXT,
  KL_EXPORT_RECORD,
  KL_EXPORT_WORKBOOK,
} KlExportFile;

#define KL_EXPORT_N_FILES 10

typedef struct _KlExport KlExport;

KlExport    *kl_export_new             (KlRun *run, KlExportFlags flags);
void         kl_export_free            (KlExport *export);
gboolean     kl_export_has             (KlExport *export, KlExportFile file);
const char  *kl_export_get_file_name   (KlExportFile file);
void         kl_export_set_path        (KlExport *export, KlExportFile file, const char *path);
void         kl_export_set_folder      (KlExport *export, const char *folder);
char       **kl_export_get_paths       (KlExport *export);
KlFileSet   *kl_export_to_file_set     (KlExport *export, GError **error);

gboolean     kl_export_to_folder       (KlRun *run, const char *folder, KlExportFlags flags,
                                        KlProgressReporter *reporter,
                                        GCancellable *cancellable, GError **error);
char       **kl_export_find_existing   (KlRun *run, const char *folder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlExport, kl_export_free)

G_END_DECLS
