/* kl-message.h — a located, translatable problem or notice
 *
 * Every line the engine shows a person is a KlMessage: a stable code the
 * caller can switch on, named parameters, and where it applies (file, line
 * as an editor shows it, spreadsheet row, column). The English template is
 * looked up by code and translated only when the message is rendered, so a
 * report stays language-neutral until it is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(KLEROTERION_INSIDE) && !defined(KLEROTERION_COMPILATION)
# error "Only <kleroterion.h> can be included directly."
#endif

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  KL_SEVERITY_INFO,
  KL_SEVERITY_WARNING,
  KL_SEVERITY_ERROR,
} KlSeverity;

typedef struct _KlMessage KlMessage;

/**
 * KlMessage:
 * @code: stable identifier of the message (e.g. `not_a_number`)
 * @severity: whether it blocks the run
 * @file: the file it is about, as given by the caller, or %NULL
 * @line: the physical line in @file (1-based), or 0
 * @row: the spreadsheet row (header is row 1), or 0
 * @column: the column name as the file spells it, or %NULL
 * @column2: a second column for two-column problems, or %NULL
 * @column_index: the 0-based index of @column in the file, or -1
 * @character: the 1-based character position in @line, for text files, or 0
 *
 * Fields are read-only for callers; build messages with kl_message_new().
 */
struct _KlMessage {
  char *code;
  KlSeverity severity;
  char *file;
  int line;
  int row;
  char *column;
  char *column2;
  int column_index;
  int character;

  /*< private >*/
  grefcount ref_count;
  GPtrArray *keys;
  GPtrArray *values;
};

GType       kl_message_get_type      (void) G_GNUC_CONST;
KlMessage  *kl_message_new           (KlSeverity severity, const char *code);
KlMessage  *kl_message_ref           (KlMessage *message);
void        kl_message_unref         (KlMessage *message);
void        kl_message_set_location  (KlMessage *message, const char *file,
                                      int line, int row, const char *column,
                                      int column_index);
void        kl_message_set_column2   (KlMessage *message, const char *column2);
void        kl_message_set_param     (KlMessage *message, const char *key,
                                      const char *value);
void        kl_message_set_param_int (KlMessage *message, const char *key,
                                      gint64 value);
const char *kl_message_get_param     (const KlMessage *message, const char *key);
guint       kl_message_get_n_params  (const KlMessage *message);
const char *kl_message_get_param_key (const KlMessage *message, guint i);
char       *kl_message_to_string     (const KlMessage *message);
char       *kl_message_get_hint      (const KlMessage *message);
char       *kl_message_to_located_string (const KlMessage *message);
char       *kl_message_to_diagnostic (const KlMessage *message);
const char *kl_message_get_template  (const char *code);
const char *kl_severity_to_string    (KlSeverity severity);
void        kl_message_add_json_members (const KlMessage *message, JsonBuilder *builder);

/* A message list is a GPtrArray of KlMessage, owning its elements. */
GPtrArray  *kl_messages_new          (void);
KlMessage  *kl_messages_add          (GPtrArray *messages, KlSeverity severity,
                                      const char *code);
guint       kl_messages_count        (GPtrArray *messages, KlSeverity severity);
char       *kl_messages_to_string    (GPtrArray *messages, guint from);
void        kl_messages_append       (GPtrArray *messages, GPtrArray *more);
gboolean    kl_messages_fail         (GPtrArray *messages, guint from,
                                      GQuark domain, int code, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlMessage, kl_message_unref)

G_END_DECLS
