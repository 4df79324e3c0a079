/* kl-report.h — what a run says, in order, for people and for machines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "kl-message.h"

G_BEGIN_DECLS

typedef enum {
  KL_REPORT_LINE,
  KL_REPORT_TABLE,
  KL_REPORT_ERROR,
} KlReportElementType;

typedef enum {
  KL_LEVEL_NORMAL,
  KL_LEVEL_IMPORTANT,
  KL_LEVEL_CRITICAL,
} KlLevel;

/**
 * KlReportElement:
 * @message: a line (%KL_REPORT_LINE)
 * @messages: the lines of an error (%KL_REPORT_ERROR), one or more
 * @fatal: whether the error ended the run
 * @headers: message codes of the column headers (%KL_REPORT_TABLE)
 * @rows: the table's rows, each a %NULL-terminated string vector
 */
typedef struct {
  KlReportElementType type;
  KlLevel level;
  KlMessage *message;
  GPtrArray *messages;
  gboolean fatal;
  char **headers;
  GPtrArray *rows;
} KlReportElement;

typedef struct _KlReport KlReport;

GType      kl_report_get_type       (void) G_GNUC_CONST;
KlReport  *kl_report_new            (void);
KlReport  *kl_report_ref            (KlReport *report);
void       kl_report_unref          (KlReport *report);

KlMessage *kl_report_add_line       (KlReport *report, KlLevel level, const char *code);
void       kl_report_add_message    (KlReport *report, KlLevel level, KlMessage *message);
void       kl_report_add_table      (KlReport *report, const char * const *header_codes,
                                     GPtrArray *rows);
void       kl_report_add_error      (KlReport *report, GPtrArray *messages, gboolean fatal);
void       kl_report_append         (KlReport *report, KlReport *other);

guint      kl_report_get_n_elements (KlReport *report);
const KlReportElement *kl_report_get_element (KlReport *report, guint i);
const KlReportElement *kl_report_get_last_error (KlReport *report);
gboolean   kl_report_has_content    (KlReport *report);
KlMessage *kl_report_find_line      (KlReport *report, const char *code);

char      *kl_report_to_text        (KlReport *report);
char      *kl_report_to_html        (KlReport *report);
char      *kl_report_to_html_page   (KlReport *report);
JsonNode  *kl_report_to_json        (KlReport *report);
KlReport  *kl_report_from_json      (JsonNode *node, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlReport, kl_report_unref)

G_END_DECLS
