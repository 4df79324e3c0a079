/* kl-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <stdlib.h>

G_DEFINE_BOXED_TYPE (KlMessage, kl_message, kl_message_ref, kl_message_unref)

KlMessage *
kl_message_new (KlSeverity  severity,
                const char *code)
{
  KlMessage *self;

  g_return_val_if_fail (code != NULL, NULL);

  self = g_new0 (KlMessage, 1);
  g_ref_count_init (&self->ref_count);
  self->severity = severity;
  self->code = g_strdup (code);
  self->column_index = -1;
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->values = g_ptr_array_new_with_free_func (g_free);
  return self;
}

KlMessage *
kl_message_ref (KlMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
kl_message_unref (KlMessage *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  g_free (self->code);
  g_free (self->file);
  g_free (self->column);
  g_free (self->column2);
  g_ptr_array_unref (self->keys);
  g_ptr_array_unref (self->values);
  g_free (self);
}

void
kl_message_set_location (KlMessage  *self,
                         const char *file,
                         int         line,
                         int         row,
                         const char *column,
                         int         column_index)
{
  g_return_if_fail (self != NULL);

  g_free (self->file);
  self->file = g_strdup (file);
  self->line = line;
  self->row = row;
  g_free (self->column);
  self->column = column ? kl_text_cut (column) : NULL;
  self->column_index = column_index;
}

void
kl_message_set_column2 (KlMessage  *self,
                        const char *column2)
{
  g_return_if_fail (self != NULL);
  g_free (self->column2);
  self->column2 = column2 ? kl_text_cut (column2) : NULL;
}

void
kl_message_set_param (KlMessage  *self,
                      const char *key,
                      const char *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  for (guint i = 0; i < self->keys->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->keys, i), key))
        {
          g_free (self->values->pdata[i]);
          self->values->pdata[i] = kl_text_cut (value ? value : "");
          return;
        }
    }

  g_ptr_array_add (self->keys, g_strdup (key));
  g_ptr_array_add (self->values, kl_text_cut (value ? value : ""));
}

void
kl_message_set_param_int (KlMessage  *self,
                          const char *key,
                          gint64      value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  kl_message_set_param (self, key, buf);
}

const char *
kl_message_get_param (const KlMessage *self,
                      const char      *key)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->keys->len; i++)
    if (g_str_equal (g_ptr_array_index (self->keys, i), key))
      return g_ptr_array_index (self->values, i);

  return NULL;
}

guint
kl_message_get_n_params (const KlMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->keys->len;
}

const char *
kl_message_get_param_key (const KlMessage *self,
                          guint            i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->keys->len, NULL);
  return g_ptr_array_index (self->keys, i);
}

/* Named placeholders ({feature}) rather than printf positions, so that a
 * translation may put the parameters in any order. */
static char *
substitute (const KlMessage *self,
            const char      *template)
{
  GString *out = g_string_sized_new (strlen (template) + 32);
  const char *p = template;

  while (*p)
    {
      const char *close;

      if (*p == '{' && (close = strchr (p + 1, '}')) != NULL)
        {
          g_autofree char *key = g_strndup (p + 1, close - p - 1);
          const char *value = kl_message_get_param (self, key);

          if (value != NULL)
            {
              g_string_append (out, value);
              p = close + 1;
              continue;
            }
        }
      g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

char *
kl_message_to_string (const KlMessage *self)
{
  const KlCatalogueEntry *entry;

  g_return_val_if_fail (self != NULL, NULL);

  entry = kl_catalogue_lookup (self->code);
  if (entry == NULL)
    {
      /* An unknown code is a programming error, but the person still deserves
       * to see something useful rather than nothing. */
      g_critical ("No message template for code “%s”", self->code);
      return g_strdup (self->code);
    }

  if (entry->plural != NULL)
    {
      const char *count = kl_message_get_param (self, "count");
      gulong n = count ? strtoul (count, NULL, 10) : 0;

      return substitute (self, g_dngettext (GETTEXT_PACKAGE, entry->text, entry->plural, n));
    }

  return substitute (self, g_dgettext (GETTEXT_PACKAGE, entry->text));
}

char *
kl_message_get_hint (const KlMessage *self)
{
  const KlCatalogueEntry *entry;

  g_return_val_if_fail (self != NULL, NULL);

  entry = kl_catalogue_lookup (self->code);
  if (entry == NULL || entry->hint == NULL)
    return NULL;

  return substitute (self, g_dgettext (GETTEXT_PACKAGE, entry->hint));
}

const char *
kl_message_get_template (const char *code)
{
  const KlCatalogueEntry *entry = kl_catalogue_lookup (code);

  return entry ? entry->text : NULL;
}

/* "pool.csv:7: column “age”: “200” is not one of … — Fix: …", the shape
 * compilers use, so editors and terminals can jump to the place. */
static char *
format_located (const KlMessage *self,
                gboolean         with_severity)
{
  GString *out = g_string_new (NULL);
  g_autofree char *text = kl_message_to_string (self);
  g_autofree char *hint = kl_message_get_hint (self);

  if (self->file != NULL)
    {
      g_string_append (out, self->file);
      if (self->line > 0)
        g_string_append_printf (out, ":%d", self->line);
      if (self->line > 0 && self->character > 0)
        g_string_append_printf (out, ":%d", self->character);
      g_string_append (out, ": ");
    }

  if (with_severity)
    g_string_append (out, self->severity == KL_SEVERITY_ERROR ? _("error: ")
                          : self->severity == KL_SEVERITY_WARNING ? _("warning: ")
                          : _("note: "));

  if (self->column != NULL && self->column2 != NULL)
    /* Translators: the two names of spreadsheet columns a problem is about */
    g_string_append_printf (out, _("columns “%s” and “%s”: "), self->column, self->column2);
  else if (self->column != NULL)
    /* Translators: the name of the spreadsheet column a problem is about */
    g_string_append_printf (out, _("column “%s”: "), self->column);

  g_string_append (out, text);

  /* A terminal prints the fix on its own line, and only once per kind. */
  if (hint != NULL && !with_severity)
    {
      g_string_append (out, "\n    ");
      g_string_append (out, hint);
    }

  return g_string_free (out, FALSE);
}

char *
kl_message_to_located_string (const KlMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return format_located (self, FALSE);
}

/* The place, "error:", "warning:" or "note:", and the text, as compilers
 * print it, for terminals; the fix (kl_message_get_hint()) is left to the
 * caller. */
char *
kl_message_to_diagnostic (const KlMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return format_located (self, TRUE);
}

GPtrArray *
kl_messages_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) kl_message_unref);
}

KlMessage *
kl_messages_add (GPtrArray  *messages,
                 KlSeverity  severity,
                 const char *code)
{
  KlMessage *message = kl_message_new (severity, code);

  g_ptr_array_add (messages, message);
  return message;
}

guint
kl_messages_count (GPtrArray  *messages,
                   KlSeverity  severity)
{
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    if (((KlMessage *) g_ptr_array_index (messages, i))->severity == severity)
      n++;

  return n;
}

void
kl_messages_append (GPtrArray *messages,
                    GPtrArray *more)
{
  for (guint i = 0; i < more->len; i++)
    g_ptr_array_add (messages, kl_message_ref (g_ptr_array_index (more, i)));
}

/* The errors among messages[from..], one located line each. */
char *
kl_messages_to_string (GPtrArray *messages,
                       guint      from)
{
  GString *out = g_string_new (NULL);

  for (guint i = from; i < messages->len; i++)
    {
      KlMessage *message = g_ptr_array_index (messages, i);
      g_autofree char *line = NULL;

      if (message->severity != KL_SEVERITY_ERROR)
        continue;

      line = kl_message_to_located_string (message);
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, line);
    }

  return g_string_free (out, FALSE);
}

/* Turns the errors collected since @from into one GError carrying all of
 * them, so that a caller that only looks at the GError still sees every
 * problem. Returns TRUE if there was an error. */
gboolean
kl_messages_fail (GPtrArray  *messages,
                  guint       from,
                  GQuark      domain,
                  int         code,
                  GError    **error)
{
  g_autofree char *text = NULL;

  for (guint i = from; i < messages->len; i++)
    {
      KlMessage *message = g_ptr_array_index (messages, i);

      if (message->severity == KL_SEVERITY_ERROR)
        {
          text = kl_messages_to_string (messages, from);
          g_set_error_literal (error, domain, code, text);
          return TRUE;
        }
    }

  return FALSE;
}

/* "info", "warning" or "error", as every machine-readable output says. */
const char *
kl_severity_to_string (KlSeverity severity)
{
  static const char * const names[] = { "info", "warning", "error" };

  g_return_val_if_fail ((guint) severity < G_N_ELEMENTS (names), NULL);
  return names[severity];
}

/**
 * kl_message_add_json_members:
 *
 * Adds what a message is to the JSON object @builder has open: its code,
 * severity, parameters and place (file, line, row, columns). The report,
 * `check --json` and the JSON progress events all describe a message this
 * way; each adds its own text members.
 */
void
kl_message_add_json_members (const KlMessage *self,
                             JsonBuilder     *builder)
{
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, self->code);
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, kl_severity_to_string (self->severity));
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  for (guint p = 0; p < kl_message_get_n_params (self); p++)
    {
      const char *key = kl_message_get_param_key (self, p);

      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, kl_message_get_param (self, key));
    }
  json_builder_end_object (builder);
  if (self->file)
    {
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, self->file);
    }
  if (self->line > 0)
    {
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, self->line);
    }
  if (self->row > 0)
    {
      json_builder_set_member_name (builder, "row");
      json_builder_add_int_value (builder, self->row);
    }
  if (self->column)
    {
      json_builder_set_member_name (builder, "column");
      json_builder_add_string_value (builder, self->column);
    }
  if (self->column2)
    {
      json_builder_set_member_name (builder, "column2");
      json_builder_add_string_value (builder, self->column2);
    }
}
