/* kl-text.c — trimming, case folding and number parsing shared by the readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <errno.h>
#include <stdlib.h>

/* Spreadsheets pad cells with no-break spaces as often as with plain ones,
 * so white space here is Unicode white space, not just ASCII. */
static gboolean
is_space_at (const char *p,
             const char *end,
             const char **next)
{
  gunichar c;

  if ((guchar) *p < 0x80)
    {
      *next = p + 1;
      return g_ascii_isspace (*p);
    }

  c = g_utf8_get_char_validated (p, end - p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return FALSE;

  *next = g_utf8_next_char (p);
  return g_unichar_isspace (c) || c == 0xFEFF;
}

const char *
kl_text_strip (const char *text,
               gsize       len,
               gsize      *out_len)
{
  const char *start = text;
  const char *end = text + len;
  const char *next;

  while (start < end && is_space_at (start, end, &next))
    start = next;

  while (end > start)
    {
      const char *p = g_utf8_find_prev_char (start, end);

      if (p == NULL || !is_space_at (p, end, &next))
        break;
      end = p;
    }

  *out_len = end - start;
  return start;
}

gboolean
kl_text_is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* Where NFC of a text may be cut in two and each half normalised alone:
 * before a character that never combines with what precedes it. Marks
 * (combining and spacing vowel signs) and the Hangul vowels and final
 * consonants that compose with a preceding syllable are the characters
 * that do. */
static gboolean
starts_a_segment (gunichar c)
{
  if (c < 0x80)
    return TRUE;
  if (g_unichar_combining_class (c) != 0 || g_unichar_ismark (c))
    return FALSE;
  if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2))
    return FALSE;
  return TRUE;
}

/* Segments of about this many bytes keep g_utf8_normalize(), which is
 * quadratic in the length of what it is given (a 1 MB cell of "é" took
 * seconds), to linear time overall. */
#define FOLD_SEGMENT_BYTES 256

/* The key two spellings share when they differ only in letter case or in
 * Unicode composition: feature, value, column and address matching all use
 * it. ASCII, by far the most common, is lowered byte by byte; other text is
 * composed (NFC) and case-folded in short segments, in time linear in its
 * length. */
char *
kl_text_fold (const char *text)
{
  GString *folded;
  const char *segment;
  const char *p;

  if (kl_text_is_ascii (text))
    return g_ascii_strdown (text, -1);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      return kl_text_fold (valid);
    }

  folded = g_string_sized_new (strlen (text));
  segment = text;
  p = text;
  while (*p)
    {
      const char *next = g_utf8_next_char (p);

      if (*next == '\0' ||
          (next - segment >= FOLD_SEGMENT_BYTES && starts_a_segment (g_utf8_get_char (next))))
        {
          g_autofree char *normal = g_utf8_normalize (segment, next - segment, G_NORMALIZE_NFC);
          g_autofree char *casefolded = g_utf8_casefold (normal, -1);

          g_string_append (folded, casefolded);
          segment = next;
        }
      p = next;
    }

  return g_string_free (folded, FALSE);
}

/**
 * kl_text_cut:
 * @text: a value to quote in a message
 *
 * A 1 MB cell quoted whole would bury the message around it: values longer
 * than %KL_TEXT_MAX_QUOTED characters are cut there, on a character
 * boundary, and end with an ellipsis.
 *
 * Returns: (transfer full): @text, or its beginning and "…"
 */
char *
kl_text_cut (const char *text)
{
  const char *p = text;

  for (guint n = 0; *p; n++)
    {
      if (n == KL_TEXT_MAX_QUOTED)
        {
          g_autofree char *start = g_strndup (text, p - text);

          return g_strconcat (start, "…", NULL);
        }
      p = g_utf8_find_next_char (p, NULL);
      if (p == NULL)
        break;
    }
  return g_strdup (text);
}

/* Quota counts: plain decimal digits with an optional sign. Python's int()
 * also takes "1_0"; we do not, since no spreadsheet writes that on purpose. */
KlCountStatus
kl_text_parse_count (const char *text,
                     int        *out)
{
  const char *p = text;
  gboolean negative = FALSE;
  gint64 value = 0;

  *out = 0;

  if (*p == '\0')
    return KL_COUNT_EMPTY;

  if (*p == '+' || *p == '-')
    negative = (*p++ == '-');

  if (*p == '\0')
    return KL_COUNT_NOT_A_NUMBER;

  for (; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return KL_COUNT_NOT_A_NUMBER;
      value = value * 10 + (*p - '0');
      if (value > G_MAXINT)
        return KL_COUNT_NOT_A_NUMBER;
    }

  if (negative && value != 0)
    return KL_COUNT_NEGATIVE;

  *out = (int) value;
  return KL_COUNT_OK;
}

/* "a", "a and b", "a, b and c" — for lists of rows in messages. */
char *
kl_text_join_and (GPtrArray *items)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0 && i == items->len - 1)
        /* Translators: joins the last item of a list, "rows 3, 4 and 5" */
        g_string_append (out, _(" and "));
      else if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (items, i));
    }

  return g_string_free (out, FALSE);
}

/* Reads a whole input file. A failure becomes a located message (with
 * @missing_code when the file does not exist) and a KL_ERROR_FILE. */
char *
kl_text_read_file (const char  *path,
                   const char  *missing_code,
                   gsize       *length,
                   GPtrArray   *messages,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) local_messages = NULL;
  char *contents = NULL;
  KlMessage *m;
  guint first;

  if (g_file_get_contents (path, &contents, length, &local_error))
    return contents;

  if (messages == NULL)
    messages = local_messages = kl_messages_new ();
  first = messages->len;
  m = kl_messages_add (messages, KL_SEVERITY_ERROR,
                       g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                         ? missing_code : "file_unreadable");
  kl_message_set_location (m, path, 0, 0, NULL, -1);
  kl_message_set_param (m, "reason", local_error->message);
  kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_FILE, error);
  return NULL;
}
