/* kl-toml.c — a strict parser for the TOML that settings files are made of
 *
 * Debian 12 has no C TOML library, and settings files only ever hold
 * `key = value` lines with strings, integers, booleans and arrays of
 * strings. Anything else in TOML (tables, dates, inline tables) is rejected
 * with its position rather than misread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-toml-private.h"

#include <stdlib.h>

typedef struct {
  const char *text;
  const char *p;
  const char *line_start;
  int line;
  const char *file;
  GPtrArray *messages;
  gboolean failed;
} Parser;

static void
entry_free (gpointer data)
{
  KlTomlEntry *entry = data;

  g_free (entry->key);
  g_free (entry->string);
  g_strfreev (entry->strings);
  g_free (entry);
}

const char *
kl_toml_type_name (KlTomlType type)
{
  switch (type)
    {
    case KL_TOML_STRING: return _("text in quotes");
    case KL_TOML_INTEGER: return _("a whole number");
    case KL_TOML_FLOAT: return _("a number");
    case KL_TOML_BOOLEAN: return _("true or false");
    case KL_TOML_ARRAY: return _("a list of texts in quotes");
    default: g_assert_not_reached ();
    }
}

static int
column_of (Parser     *parser,
           const char *at)
{
  return (int) g_utf8_strlen (parser->line_start, at - parser->line_start) + 1;
}

static void
syntax_error (Parser     *parser,
              const char *at,
              const char *code)
{
  KlMessage *m = kl_messages_add (parser->messages, KL_SEVERITY_ERROR, code);

  kl_message_set_location (m, parser->file, parser->line, 0, NULL, -1);
  m->character = column_of (parser, at);
  parser->failed = TRUE;
}

static void
skip_blanks (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t')
    parser->p++;
}

/* Blanks, comments and newlines: what may sit between array items. */
static void
skip_blanks_and_newlines (Parser *parser)
{
  for (;;)
    {
      skip_blanks (parser);
      if (*parser->p == '#')
        while (*parser->p && *parser->p != '\n')
          parser->p++;
      if (*parser->p == '\r' && parser->p[1] == '\n')
        parser->p++;
      if (*parser->p != '\n')
        return;
      parser->p++;
      parser->line++;
      parser->line_start = parser->p;
    }
}

static gboolean
is_bare_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static char *
parse_basic_string (Parser *parser)
{
  GString *out = g_string_new (NULL);
  const char *start = parser->p;

  parser->p++;  /* opening quote */
  for (;;)
    {
      char c = *parser->p;

      if (c == '\0' || c == '\n' || c == '\r')
        {
          syntax_error (parser, start, "toml_unterminated_string");
          return (g_string_free (out, TRUE), NULL);
        }
      if (c == '"')
        {
          parser->p++;
          return g_string_free (out, FALSE);
        }
      if (c == '\\')
        {
          const char *escape = parser->p;

          parser->p++;
          switch (*parser->p)
            {
            case '"': g_string_append_c (out, '"'); break;
            case '\\': g_string_append_c (out, '\\'); break;
            case 'n': g_string_append_c (out, '\n'); break;
            case 't': g_string_append_c (out, '\t'); break;
            case 'r': g_string_append_c (out, '\r'); break;
            case 'b': g_string_append_c (out, '\b'); break;
            case 'f': g_string_append_c (out, '\f'); break;
            case 'u':
            case 'U':
              {
                int digits = *parser->p == 'u' ? 4 : 8;
                gunichar ch = 0;

                for (int i = 1; i <= digits; i++)
                  {
                    int d = g_ascii_xdigit_value (parser->p[i]);
                    if (d < 0)
                      {
                        syntax_error (parser, escape, "toml_bad_escape");
                        return (g_string_free (out, TRUE), NULL);
                      }
                    ch = ch * 16 + d;
                  }
                if (!g_unichar_validate (ch))
                  {
                    syntax_error (parser, escape, "toml_bad_escape");
                    return (g_string_free (out, TRUE), NULL);
                  }
                g_string_append_unichar (out, ch);
                parser->p += digits;
                break;
              }
            default:
              syntax_error (parser, escape, "toml_bad_escape");
              return (g_string_free (out, TRUE), NULL);
            }
          parser->p++;
          continue;
        }
      g_string_append_c (out, c);
      parser->p++;
    }
}

static char *
parse_literal_string (Parser *parser)
{
  const char *start = parser->p++;
  const char *end = parser->p;

  while (*end && *end != '\'' && *end != '\n')
    end++;

  if (*end != '\'')
    {
      syntax_error (parser, start, "toml_unterminated_string");
      return NULL;
    }

  parser->p = end + 1;
  return g_strndup (start + 1, end - start - 1);
}

static char *
parse_string (Parser *parser)
{
  if (g_str_has_prefix (parser->p, "\"\"\"") || g_str_has_prefix (parser->p, "'''"))
    {
      syntax_error (parser, parser->p, "toml_unsupported");
      return NULL;
    }
  return *parser->p == '"' ? parse_basic_string (parser) : parse_literal_string (parser);
}

static gboolean
parse_array (Parser      *parser,
             KlTomlEntry *entry)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  parser->p++;  /* [ */
  for (;;)
    {
      char *item;

      skip_blanks_and_newlines (parser);
      if (*parser->p == ']')
        break;

      if (*parser->p != '"' && *parser->p != '\'')
        {
          syntax_error (parser, parser->p, *parser->p == '\0' ? "toml_unterminated_array"
                                                              : "toml_array_not_strings");
          return FALSE;
        }

      item = parse_string (parser);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (items, item);

      skip_blanks_and_newlines (parser);
      if (*parser->p == ',')
        {
          parser->p++;
          continue;
        }
      if (*parser->p == ']')
        break;

      syntax_error (parser, parser->p, *parser->p == '\0' ? "toml_unterminated_array"
                                                          : "toml_expected_comma");
      return FALSE;
    }

  parser->p++;  /* ] */
  g_ptr_array_add (items, NULL);
  entry->type = KL_TOML_ARRAY;
  entry->strings = (char **) g_ptr_array_steal (items, NULL);
  return TRUE;
}

static gboolean
parse_number (Parser      *parser,
              KlTomlEntry *entry)
{
  const char *start = parser->p;
  const char *end = start;
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean is_float = FALSE;
  char *parsed_end;

  /* TOML allows underscores between digits: 1_000. */
  while (*end && (g_ascii_isalnum (*end) || strchr ("+-._", *end)))
    {
      if (*end == '.' || *end == 'e' || *end == 'E')
        is_float = TRUE;
      if (*end != '_')
        g_string_append_c (digits, *end);
      end++;
    }

  if (digits->len == 0)
    {
      syntax_error (parser, start, "toml_expected_value");
      return FALSE;
    }

  if (is_float)
    {
      entry->number = g_ascii_strtod (digits->str, &parsed_end);
      entry->type = KL_TOML_FLOAT;
    }
  else
    {
      errno = 0;
      entry->integer = g_ascii_strtoll (digits->str, &parsed_end, 10);
      entry->type = KL_TOML_INTEGER;
      if (errno != 0)
        parsed_end = digits->str;
    }

  if (*parsed_end != '\0')
    {
      syntax_error (parser, start, "toml_expected_value");
      return FALSE;
    }

  parser->p = end;
  return TRUE;
}

static gboolean
parse_value (Parser      *parser,
             KlTomlEntry *entry)
{
  const char *p = parser->p;

  entry->column = column_of (parser, p);

  if (*p == '"' || *p == '\'')
    {
      entry->string = parse_string (parser);
      entry->type = KL_TOML_STRING;
      return entry->string != NULL;
    }
  if (*p == '[')
    return parse_array (parser, entry);
  if (*p == '{')
    {
      syntax_error (parser, p, "toml_unsupported");
      return FALSE;
    }
  if (g_str_has_prefix (p, "true") && !is_bare_key_char (p[4]))
    {
      entry->type = KL_TOML_BOOLEAN;
      entry->boolean = TRUE;
      parser->p += 4;
      return TRUE;
    }
  if (g_str_has_prefix (p, "false") && !is_bare_key_char (p[5]))
    {
      entry->type = KL_TOML_BOOLEAN;
      entry->boolean = FALSE;
      parser->p += 5;
      return TRUE;
    }
  if (g_ascii_isdigit (*p) || *p == '+' || *p == '-')
    return parse_number (parser, entry);

  syntax_error (parser, p, *p == '\n' || *p == '\0' || *p == '\r' || *p == '#'
                             ? "toml_expected_value" : "toml_unquoted_text");
  return FALSE;
}

/* After a value only blanks and a comment may follow on the line. */
static gboolean
expect_line_end (Parser *parser)
{
  skip_blanks (parser);
  if (*parser->p == '#')
    while (*parser->p && *parser->p != '\n')
      parser->p++;
  if (*parser->p == '\r' && parser->p[1] == '\n')
    parser->p++;
  if (*parser->p == '\0' || *parser->p == '\n')
    return TRUE;

  syntax_error (parser, parser->p, "toml_trailing_text");
  return FALSE;
}

static void
skip_to_next_line (Parser *parser)
{
  while (*parser->p && *parser->p != '\n')
    parser->p++;
}

GPtrArray *
kl_toml_parse (const char *text,
               const char *file,
               GPtrArray  *messages)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Parser parser = { 0 };

  parser.text = text;
  parser.p = text;
  parser.line_start = text;
  parser.line = 1;
  parser.file = file;
  parser.messages = messages;

  if (g_str_has_prefix (parser.p, "\xEF\xBB\xBF"))
    parser.p += 3, parser.line_start = parser.p;

  while (*parser.p)
    {
      KlTomlEntry *entry;
      const char *key_start;
      int key_column;

      skip_blanks (&parser);

      if (*parser.p == '#' || *parser.p == '\n' || *parser.p == '\r' || *parser.p == '\0')
        goto next_line;

      if (*parser.p == '[')
        {
          syntax_error (&parser, parser.p, "toml_table_unsupported");
          goto skip_line;
        }

      key_start = parser.p;
      key_column = column_of (&parser, key_start);
      entry = g_new0 (KlTomlEntry, 1);
      entry->line = parser.line;

      if (*parser.p == '"' || *parser.p == '\'')
        entry->key = parse_string (&parser);
      else
        {
          while (is_bare_key_char (*parser.p))
            parser.p++;
          if (parser.p > key_start)
            entry->key = g_strndup (key_start, parser.p - key_start);
          else
            syntax_error (&parser, key_start, "toml_expected_key");
        }

      if (entry->key == NULL)
        {
          entry_free (entry);
          goto skip_line;
        }

      skip_blanks (&parser);
      if (*parser.p == '.')
        {
          syntax_error (&parser, parser.p, "toml_unsupported");
          entry_free (entry);
          goto skip_line;
        }
      if (*parser.p != '=')
        {
          syntax_error (&parser, parser.p, "toml_expected_equals");
          entry_free (entry);
          goto skip_line;
        }
      parser.p++;
      skip_blanks (&parser);

      if (!parse_value (&parser, entry) || !expect_line_end (&parser))
        {
          entry_free (entry);
          goto skip_line;
        }

      if (g_hash_table_contains (seen, entry->key))
        {
          KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "toml_duplicate_key");

          kl_message_set_location (m, file, entry->line, 0, NULL, -1);
          m->character = key_column;
          kl_message_set_param (m, "key", entry->key);
          parser.failed = TRUE;
          entry_free (entry);
          goto skip_line;
        }

      g_hash_table_add (seen, entry->key);
      g_ptr_array_add (entries, entry);
      goto next_line;

    skip_line:
      skip_to_next_line (&parser);
    next_line:
      skip_to_next_line (&parser);
      if (*parser.p == '\n')
        {
          parser.p++;
          parser.line++;
          parser.line_start = parser.p;
        }
    }

  if (parser.failed)
    return NULL;

  return g_steal_pointer (&entries);
}
