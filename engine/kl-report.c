/* kl-report.c — the run report (spec 3.8)
 *
 * Elements keep codes and parameters, never only rendered text, so a report
 * can be shown in the reader's language and saved as JSON that means the
 * same in any language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

struct _KlReport {
  grefcount ref_count;
  GPtrArray *elements;
};

G_DEFINE_BOXED_TYPE (KlReport, kl_report, kl_report_ref, kl_report_unref)

static void
element_free (gpointer data)
{
  KlReportElement *element = data;

  g_clear_pointer (&element->message, kl_message_unref);
  g_clear_pointer (&element->messages, g_ptr_array_unref);
  g_strfreev (element->headers);
  g_clear_pointer (&element->rows, g_ptr_array_unref);
  g_free (element);
}

KlReport *
kl_report_new (void)
{
  KlReport *self = g_new0 (KlReport, 1);

  g_ref_count_init (&self->ref_count);
  self->elements = g_ptr_array_new_with_free_func (element_free);
  return self;
}

KlReport *
kl_report_ref (KlReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
kl_report_unref (KlReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->elements);
  g_free (self);
}

static KlReportElement *
add_element (KlReport            *self,
             KlReportElementType  type)
{
  KlReportElement *element = g_new0 (KlReportElement, 1);

  element->type = type;
  g_ptr_array_add (self->elements, element);
  return element;
}

void
kl_report_add_message (KlReport  *self,
                       KlLevel    level,
                       KlMessage *message)
{
  KlReportElement *element;

  g_return_if_fail (self != NULL);
  g_return_if_fail (message != NULL);

  element = add_element (self, KL_REPORT_LINE);
  element->level = level;
  element->message = kl_message_ref (message);
}

/* Returns the new line for its parameters to be set. */
KlMessage *
kl_report_add_line (KlReport   *self,
                    KlLevel     level,
                    const char *code)
{
  g_autoptr(KlMessage) message = kl_message_new (KL_SEVERITY_INFO, code);

  kl_report_add_message (self, level, message);
  return message;
}

/* Takes a reference on @rows (rows are string vectors). */
void
kl_report_add_table (KlReport           *self,
                     const char * const *header_codes,
                     GPtrArray          *rows)
{
  KlReportElement *element = add_element (self, KL_REPORT_TABLE);

  element->headers = g_strdupv ((char **) header_codes);
  element->rows = g_ptr_array_ref (rows);
}

void
kl_report_add_error (KlReport  *self,
                     GPtrArray *messages,
                     gboolean   fatal)
{
  KlReportElement *element = add_element (self, KL_REPORT_ERROR);

  element->messages = kl_messages_new ();
  kl_messages_append (element->messages, messages);
  element->fatal = fatal;
}

void
kl_report_append (KlReport *self,
                  KlReport *other)
{
  for (guint i = 0; i < other->elements->len; i++)
    {
      const KlReportElement *from = g_ptr_array_index (other->elements, i);
      KlReportElement *to = add_element (self, from->type);

      to->level = from->level;
      to->fatal = from->fatal;
      to->message = from->message ? kl_message_ref (from->message) : NULL;
      to->messages = from->messages ? g_ptr_array_ref (from->messages) : NULL;
      to->headers = g_strdupv (from->headers);
      to->rows = from->rows ? g_ptr_array_ref (from->rows) : NULL;
    }
}

guint
kl_report_get_n_elements (KlReport *self)
{
  return self->elements->len;
}

const KlReportElement *
kl_report_get_element (KlReport *self,
                       guint     i)
{
  g_return_val_if_fail (i < self->elements->len, NULL);
  return g_ptr_array_index (self->elements, i);
}

const KlReportElement *
kl_report_get_last_error (KlReport *self)
{
  for (guint i = self->elements->len; i > 0; i--)
    {
      const KlReportElement *element = g_ptr_array_index (self->elements, i - 1);
      if (element->type == KL_REPORT_ERROR)
        return element;
    }
  return NULL;
}

gboolean
kl_report_has_content (KlReport *self)
{
  return self->elements->len > 0;
}

KlMessage *
kl_report_find_line (KlReport   *self,
                     const char *code)
{
  for (guint i = 0; i < self->elements->len; i++)
    {
      const KlReportElement *element = g_ptr_array_index (self->elements, i);
      if (element->type == KL_REPORT_LINE && g_str_equal (element->message->code, code))
        return element->message;
    }
  return NULL;
}

/* ---- text ------------------------------------------------------------- */

static char *
header_text (const char *code)
{
  const char *template = kl_message_get_template (code);

  return g_strdup (template ? g_dgettext (GETTEXT_PACKAGE, template) : code);
}

static void
append_text_table (GString               *out,
                   const KlReportElement *element)
{
  guint n = g_strv_length (element->headers);
  g_autofree guint *widths = g_new0 (guint, n);
  g_auto(GStrv) headers = g_new0 (char *, n + 1);

  for (guint c = 0; c < n; c++)
    {
      headers[c] = header_text (element->headers[c]);
      widths[c] = g_utf8_strlen (headers[c], -1);
    }
  for (guint r = 0; r < element->rows->len; r++)
    {
      char **row = g_ptr_array_index (element->rows, r);
      for (guint c = 0; c < n && row[c]; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  g_string_append_c (out, '\n');
  for (guint r = 0; r <= element->rows->len; r++)
    {
      char **row = r == 0 ? headers : g_ptr_array_index (element->rows, r - 1);

      for (guint c = 0; c < n; c++)
        {
          const char *cell = row[c] ? row[c] : "";
          g_string_append (out, cell);
          if (c + 1 < n)
            for (guint pad = g_utf8_strlen (cell, -1); pad < widths[c] + 2; pad++)
              g_string_append_c (out, ' ');
        }
      g_string_append_c (out, '\n');
      if (r == 0)
        {
          for (guint c = 0; c < n; c++)
            for (guint pad = 0; pad < widths[c] + (c + 1 < n ? 2 : 0); pad++)
              g_string_append_c (out, '-');
          g_string_append_c (out, '\n');
        }
    }
}

char *
kl_report_to_text (KlReport *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->elements->len; i++)
    {
      const KlReportElement *element = g_ptr_array_index (self->elements, i);

      switch (element->type)
        {
        case KL_REPORT_LINE:
          {
            g_autofree char *text = kl_message_to_string (element->message);
            g_string_append (out, text);
            g_string_append_c (out, '\n');
            break;
          }
        case KL_REPORT_TABLE:
          append_text_table (out, element);
          g_string_append_c (out, '\n');
          break;
        case KL_REPORT_ERROR:
          for (guint m = 0; m < element->messages->len; m++)
            {
              g_autofree char *text = kl_message_to_located_string (g_ptr_array_index (element->messages, m));
              g_string_append (out, text);
              g_string_append_c (out, '\n');
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (out, FALSE);
}

/* ---- HTML ------------------------------------------------------------- */

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_string_append (out, escaped);
}

char *
kl_report_to_html (KlReport *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->elements->len; i++)
    {
      const KlReportElement *element = g_ptr_array_index (self->elements, i);

      if (i > 0)
        g_string_append (out, "<br />\n");

      switch (element->type)
        {
        case KL_REPORT_LINE:
          {
            g_autofree char *text = kl_message_to_string (element->message);
            const char *open = element->level == KL_LEVEL_CRITICAL ? "<b style=\"color: red\">"
                             : element->level == KL_LEVEL_IMPORTANT ? "<b>" : "";
            g_string_append (out, open);
            append_escaped (out, text);
            g_string_append (out, *open ? "</b>" : "");
            break;
          }
        case KL_REPORT_TABLE:
          g_string_append (out, "<table>\n<tr>");
          for (guint c = 0; element->headers[c]; c++)
            {
              g_autofree char *header = header_text (element->headers[c]);
              g_string_append (out, "<th>");
              append_escaped (out, header);
              g_string_append (out, "</th>");
            }
          g_string_append (out, "</tr>\n");
          for (guint r = 0; r < element->rows->len; r++)
            {
              char **row = g_ptr_array_index (element->rows, r);
              g_string_append (out, "<tr>");
              for (guint c = 0; row[c]; c++)
                {
                  g_string_append (out, "<td>");
                  append_escaped (out, row[c]);
                  g_string_append (out, "</td>");
                }
              g_string_append (out, "</tr>\n");
            }
          g_string_append (out, "</table>");
          break;
        case KL_REPORT_ERROR:
          if (element->fatal)
            g_string_append (out, "<b>");
          for (guint m = 0; m < element->messages->len; m++)
            {
              g_autofree char *text = kl_message_to_located_string (g_ptr_array_index (element->messages, m));
              if (m > 0)
                g_string_append (out, "<br />");
              append_escaped (out, text);
            }
          if (element->fatal)
            g_string_append (out, "</b>");
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return g_string_free (out, FALSE);
}

/* A whole document, to save and open in a browser. */
char *
kl_report_to_html_page (KlReport *self)
{
  g_autofree char *body = kl_report_to_html (self);
  g_autofree char *title = g_markup_escape_text (_("Selection report"), -1);

  return g_strdup_printf ("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>%s</title></head>\n"
                          "<body>\n%s\n</body>\n</html>\n", title, body);
}

/* ---- JSON ------------------------------------------------------------- */

static const char * const severity_names[] = { "info", "warning", "error" };
static const char * const level_names[] = { "normal", "important", "critical" };

static void
add_message_json (JsonBuilder     *builder,
                  const KlMessage *message)
{
  g_autofree char *text = kl_message_to_string (message);

  json_builder_begin_object (builder);
  kl_message_add_json_members (message, builder);
  /* The English text, for readers without the catalogue. */
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
}

JsonNode *
kl_report_to_json (KlReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "elements");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->elements->len; i++)
    {
      const KlReportElement *element = g_ptr_array_index (self->elements, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      switch (element->type)
        {
        case KL_REPORT_LINE:
          json_builder_add_string_value (builder, "line");
          json_builder_set_member_name (builder, "level");
          json_builder_add_string_value (builder, level_names[element->level]);
          json_builder_set_member_name (builder, "message");
          add_message_json (builder, element->message);
          break;
        case KL_REPORT_TABLE:
          json_builder_add_string_value (builder, "table");
          json_builder_set_member_name (builder, "headers");
          json_builder_begin_array (builder);
          for (guint c = 0; element->headers[c]; c++)
            json_builder_add_string_value (builder, element->headers[c]);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "rows");
          json_builder_begin_array (builder);
          for (guint r = 0; r < element->rows->len; r++)
            {
              char **row = g_ptr_array_index (element->rows, r);
              json_builder_begin_array (builder);
              for (guint c = 0; row[c]; c++)
                json_builder_add_string_value (builder, row[c]);
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
          break;
        case KL_REPORT_ERROR:
          json_builder_add_string_value (builder, "error");
          json_builder_set_member_name (builder, "fatal");
          json_builder_add_boolean_value (builder, element->fatal);
          json_builder_set_member_name (builder, "messages");
          json_builder_begin_array (builder);
          for (guint m = 0; m < element->messages->len; m++)
            add_message_json (builder, g_ptr_array_index (element->messages, m));
          json_builder_end_array (builder);
          break;
        default:
          g_assert_not_reached ();
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
index_of (const char * const *names,
          guint               n,
          const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return -1;
}

static KlMessage *
message_from_json (JsonObject *object)
{
  const char *code = json_object_get_string_member_with_default (object, "code", NULL);
  int severity = index_of (severity_names, 3,
                           json_object_get_string_member_with_default (object, "severity", "info"));
  KlMessage *message;
  JsonObject *params;

  if (code == NULL || kl_catalogue_lookup (code) == NULL || severity < 0)
    return NULL;

  message = kl_message_new (severity, code);
  kl_message_set_location (message,
                           json_object_get_string_member_with_default (object, "file", NULL),
                           json_object_get_int_member_with_default (object, "line", 0),
                           json_object_get_int_member_with_default (object, "row", 0),
                           json_object_get_string_member_with_default (object, "column", NULL), -1);
  if (json_object_has_member (object, "column2"))
    kl_message_set_column2 (message, json_object_get_string_member (object, "column2"));

  params = json_object_get_object_member (object, "params");
  if (params != NULL)
    {
      g_autoptr(GList) keys = json_object_get_members (params);
      for (GList *l = keys; l; l = l->next)
        kl_message_set_param (message, l->data, json_object_get_string_member (params, l->data));
    }
  return message;
}

KlReport *
kl_report_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(KlReport) self = kl_report_new ();
  JsonArray *elements;

  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      (elements = json_object_get_array_member (json_node_get_object (node), "elements")) == NULL)
    goto invalid;

  for (guint i = 0; i < json_array_get_length (elements); i++)
    {
      JsonObject *object = json_array_get_object_element (elements, i);
      const char *type = object ? json_object_get_string_member_with_default (object, "type", "") : "";

      if (g_str_equal (type, "line"))
        {
          int level = index_of (level_names, 3, json_object_get_string_member_with_default (object, "level", ""));
          g_autoptr(KlMessage) message = message_from_json (json_object_get_object_member (object, "message"));

          if (message == NULL || level < 0)
            goto invalid;
          kl_report_add_message (self, level, message);
        }
      else if (g_str_equal (type, "table"))
        {
          JsonArray *headers = json_object_get_array_member (object, "headers");
          JsonArray *rows = json_object_get_array_member (object, "rows");
          g_autoptr(GPtrArray) header_codes = g_ptr_array_new ();
          g_autoptr(GPtrArray) table = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

          if (headers == NULL || rows == NULL)
            goto invalid;
          for (guint c = 0; c < json_array_get_length (headers); c++)
            g_ptr_array_add (header_codes, (gpointer) json_array_get_string_element (headers, c));
          g_ptr_array_add (header_codes, NULL);
          for (guint r = 0; r < json_array_get_length (rows); r++)
            {
              JsonArray *row = json_array_get_array_element (rows, r);
              char **cells = g_new0 (char *, json_array_get_length (row) + 1);

              for (guint c = 0; c < json_array_get_length (row); c++)
                cells[c] = g_strdup (json_array_get_string_element (row, c));
              g_ptr_array_add (table, cells);
            }
          kl_report_add_table (self, (const char * const *) header_codes->pdata, table);
        }
      else if (g_str_equal (type, "error"))
        {
          JsonArray *list = json_object_get_array_member (object, "messages");
          g_autoptr(GPtrArray) messages = kl_messages_new ();

          if (list == NULL)
            goto invalid;
          for (guint m = 0; m < json_array_get_length (list); m++)
            {
              KlMessage *message = message_from_json (json_array_get_object_element (list, m));
              if (message == NULL)
                goto invalid;
              g_ptr_array_add (messages, message);
            }
          kl_report_add_error (self, messages,
                               json_object_get_boolean_member_with_default (object, "fatal", TRUE));
        }
      else
        goto invalid;
    }

  return g_steal_pointer (&self);

invalid:
  g_set_error_literal (error, KL_ERROR, KL_ERROR_BAD_DATA, _("This is not a Kleroterion report."));
  return NULL;
}
