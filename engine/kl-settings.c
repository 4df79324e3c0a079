/* kl-settings.c — settings and their TOML file (spec 2.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-toml-private.h"

#include <json-glib/json-glib.h>

G_DEFINE_BOXED_TYPE (KlSettings, kl_settings, kl_settings_copy, kl_settings_free)

static const char * const algorithm_names[KL_N_ALGORITHMS] = {
  "legacy", "maximin", "nash", "leximin", "diversimax",
};

/* The Python tool's backends are accepted so its files load unchanged; the
 * engine has one solver. */
static const char * const solver_backends[] = {
  "glpk", "highspy", "mip", "mip-cbc", "mip-highs", "mip-gurobi", NULL,
};

#define DEFAULT_BACKEND "glpk"

const char *
kl_algorithm_to_string (KlAlgorithm algorithm)
{
  g_return_val_if_fail (algorithm < KL_N_ALGORITHMS, NULL);
  return algorithm_names[algorithm];
}

gboolean
kl_algorithm_from_string (const char  *name,
                          KlAlgorithm *algorithm)
{
  for (guint i = 0; i < KL_N_ALGORITHMS; i++)
    if (g_str_equal (name, algorithm_names[i]))
      {
        *algorithm = i;
        return TRUE;
      }
  return FALSE;
}

KlSettings *
kl_settings_new (void)
{
  KlSettings *self = g_new0 (KlSettings, 1);

  self->id_column = g_strdup ("id");
  self->columns_to_keep = g_new0 (char *, 1);
  self->check_same_address = FALSE;
  self->check_same_address_columns = g_new0 (char *, 1);
  self->max_attempts = 100;
  self->selection_algorithm = KL_ALGORITHM_MAXIMIN;
  self->solver_backend = g_strdup (DEFAULT_BACKEND);
  self->random_number_seed = 0;
  self->diversimax_max_seconds = 30;
  return self;
}

KlSettings *
kl_settings_copy (const KlSettings *self)
{
  KlSettings *copy = g_new0 (KlSettings, 1);

  *copy = *self;
  copy->id_column = g_strdup (self->id_column);
  copy->columns_to_keep = g_strdupv (self->columns_to_keep);
  copy->check_same_address_columns = g_strdupv (self->check_same_address_columns);
  copy->solver_backend = g_strdup (self->solver_backend);
  copy->file = g_strdup (self->file);
  copy->sha256 = g_strdup (self->sha256);
  return copy;
}

void
kl_settings_free (KlSettings *self)
{
  if (self == NULL)
    return;

  g_free (self->id_column);
  g_strfreev (self->columns_to_keep);
  g_strfreev (self->check_same_address_columns);
  g_free (self->solver_backend);
  g_free (self->file);
  g_free (self->sha256);
  g_free (self);
}

/* The address columns the algorithms see: none when checking is off. */
const char * const *
kl_settings_get_address_columns (const KlSettings *self)
{
  static const char * const none[] = { NULL };

  if (!self->check_same_address || self->check_same_address_columns == NULL)
    return none;
  return (const char * const *) self->check_same_address_columns;
}

static void
add_unique_column (GPtrArray  *columns,
                   const char *name)
{
  g_autofree char *folded = kl_text_fold (name);

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *existing = kl_text_fold (g_ptr_array_index (columns, i));
      if (g_str_equal (existing, folded))
        return;
    }
  g_ptr_array_add (columns, g_strdup (name));
}

/* columns_to_keep, then each address column not already in it. Unlike the
 * library, names compare in any letter case, since pool headers do too. */
char **
kl_settings_get_full_columns_to_keep (const KlSettings *self)
{
  GPtrArray *columns = g_ptr_array_new ();
  const char * const *address = kl_settings_get_address_columns (self);

  for (guint i = 0; self->columns_to_keep[i] != NULL; i++)
    add_unique_column (columns, self->columns_to_keep[i]);
  for (guint i = 0; address[i] != NULL; i++)
    add_unique_column (columns, address[i]);

  g_ptr_array_add (columns, NULL);
  return (char **) g_ptr_array_free (columns, FALSE);
}

static KlMessage *
add_setting_problem (GPtrArray         *messages,
                     KlSeverity         severity,
                     const char        *code,
                     const char        *file,
                     const KlTomlEntry *entry)
{
  KlMessage *m = kl_messages_add (messages, severity, code);

  kl_message_set_location (m, file, entry ? entry->line : 0, 0, NULL, -1);
  if (entry != NULL)
    {
      kl_message_set_param (m, "key", entry->key);
      m->character = entry->column;
    }
  return m;
}

static char *
join_names (const char * const *names)
{
  return g_strjoinv (", ", (char **) names);
}

/**
 * kl_settings_validate:
 * @file: (nullable): where the settings came from, for messages
 *
 * Checks the values that each have their own rule; every problem is
 * reported, not just the first.
 */
gboolean
kl_settings_validate (const KlSettings  *self,
                      const char        *file,
                      GPtrArray         *messages,
                      GError           **error)
{
  g_autoptr(GPtrArray) local_messages = NULL;
  guint first;

  if (messages == NULL)
    messages = local_messages = kl_messages_new ();
  first = messages->len;

  if (self->id_column == NULL || *self->id_column == '\0')
    {
      KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR, "setting_missing", file, NULL);
      kl_message_set_param (m, "key", "id_column");
    }

  if (!g_strv_contains ((const char * const *) solver_backends, self->solver_backend))
    {
      g_autofree char *valid = join_names (solver_backends);
      KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR, "invalid_solver_backend", file, NULL);
      kl_message_set_param (m, "backend", self->solver_backend);
      kl_message_set_param (m, "valid_backends", valid);
    }

  if (self->check_same_address &&
      (self->check_same_address_columns == NULL || self->check_same_address_columns[0] == NULL))
    add_setting_problem (messages, KL_SEVERITY_ERROR, "check_same_address_empty", file, NULL);

  if (self->max_attempts < 1)
    {
      KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR, "max_attempts_too_small", file, NULL);
      kl_message_set_param_int (m, "value", self->max_attempts);
    }

  if (self->diversimax_max_seconds < 1)
    {
      KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR, "diversimax_max_seconds_too_small", file, NULL);
      kl_message_set_param_int (m, "value", self->diversimax_max_seconds);
    }

  return !kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_SETTINGS, error);
}

typedef enum {
  KEY_ID_COLUMN,
  KEY_COLUMNS_TO_KEEP,
  KEY_CHECK_SAME_ADDRESS,
  KEY_CHECK_SAME_ADDRESS_COLUMNS,
  KEY_MAX_ATTEMPTS,
  KEY_SELECTION_ALGORITHM,
  KEY_SOLVER_BACKEND,
  KEY_RANDOM_NUMBER_SEED,
  KEY_DIVERSIMAX_MAX_SECONDS,
  N_KEYS
} Key;

static const struct {
  const char *name;
  KlTomlType type;
} keys[N_KEYS] = {
  { "id_column", KL_TOML_STRING },
  { "columns_to_keep", KL_TOML_ARRAY },
  { "check_same_address", KL_TOML_BOOLEAN },
  { "check_same_address_columns", KL_TOML_ARRAY },
  { "max_attempts", KL_TOML_INTEGER },
  { "selection_algorithm", KL_TOML_STRING },
  { "solver_backend", KL_TOML_STRING },
  { "random_number_seed", KL_TOML_INTEGER },
  { "diversimax_max_seconds", KL_TOML_INTEGER },
};

/* Typos like `check_same_adress` are the usual reason a key is unknown. */
static const char *
closest_key (const char *name)
{
  const char *best = NULL;
  guint best_distance = 3;

  for (guint k = 0; k < N_KEYS; k++)
    {
      const char *candidate = keys[k].name;
      gsize n = strlen (name), m = strlen (candidate);
      g_autofree guint *previous = g_new (guint, m + 1);
      g_autofree guint *current = g_new (guint, m + 1);

      for (gsize j = 0; j <= m; j++)
        previous[j] = j;
      for (gsize i = 1; i <= n; i++)
        {
          current[0] = i;
          for (gsize j = 1; j <= m; j++)
            {
              guint cost = g_ascii_tolower (name[i - 1]) == candidate[j - 1] ? 0 : 1;
              current[j] = MIN (MIN (previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
            }
          memcpy (previous, current, (m + 1) * sizeof (guint));
        }

      if (previous[m] < best_distance)
        {
          best_distance = previous[m];
          best = candidate;
        }
    }

  return best;
}

static void
apply_entry (KlSettings        *self,
             Key                key,
             const KlTomlEntry *entry)
{
  switch (key)
    {
    case KEY_ID_COLUMN:
      g_free (self->id_column);
      self->id_column = g_strdup (entry->string);
      break;
    case KEY_COLUMNS_TO_KEEP:
      g_strfreev (self->columns_to_keep);
      self->columns_to_keep = g_strdupv (entry->strings);
      break;
    case KEY_CHECK_SAME_ADDRESS:
      self->check_same_address = entry->boolean;
      break;
    case KEY_CHECK_SAME_ADDRESS_COLUMNS:
      g_strfreev (self->check_same_address_columns);
      self->check_same_address_columns = g_strdupv (entry->strings);
      break;
    case KEY_MAX_ATTEMPTS:
      self->max_attempts = (int) CLAMP (entry->integer, G_MININT, G_MAXINT);
      break;
    case KEY_RANDOM_NUMBER_SEED:
      self->random_number_seed = entry->integer;
      break;
    case KEY_DIVERSIMAX_MAX_SECONDS:
      self->diversimax_max_seconds = (int) CLAMP (entry->integer, G_MININT, G_MAXINT);
      break;
    case KEY_SELECTION_ALGORITHM:
    case KEY_SOLVER_BACKEND:
    case N_KEYS:
    default:
      g_assert_not_reached ();
    }
}

static void
toml_entry_free (gpointer data)
{
  KlTomlEntry *entry = data;

  g_free (entry->key);
  g_free (entry->string);
  g_strfreev (entry->strings);
  g_free (entry);
}

/* Settings are an object of scalars and lists: two levels. json-glib
 * parses by recursion, and 200 KB of "[" overflowed the stack, so deeper
 * nesting is refused before it parses (documented in kleroterion-cli(1)). */
#define JSON_MAX_DEPTH 32

static gboolean
json_depth_within (const char *text,
                   guint       limit)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (const char *p = text; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > limit)
            return FALSE;
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static gboolean
json_node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* The same settings as a JSON object, as other tools write them; values
 * map to the TOML types they correspond to. */
static GPtrArray *
parse_json (const char *text,
            const char *file,
            GPtrArray  *messages)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (toml_entry_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!json_depth_within (text, JSON_MAX_DEPTH))
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "json_too_deep");
      kl_message_set_location (m, file, 0, 0, NULL, -1);
      kl_message_set_param_int (m, "limit", JSON_MAX_DEPTH);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, text, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "json_syntax");
      kl_message_set_location (m, file, 0, 0, NULL, -1);
      kl_message_set_param (m, "reason", error ? error->message : _("not an object"));
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      KlTomlEntry *entry = g_new0 (KlTomlEntry, 1);

      entry->key = g_strdup (l->data);
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          guint n_strings = 0;

          /* A list with anything but strings in it (null, a number, a
           * list) is reported as a value of the wrong type. */
          entry->type = KL_TOML_ARRAY;
          entry->strings = g_new0 (char *, n + 1);
          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (json_node_is_string (item))
                entry->strings[n_strings++] = g_strdup (json_node_get_string (item));
              else
                entry->type = KL_TOML_FLOAT;
            }
        }
      else if (json_node_is_string (node))
        {
          entry->type = KL_TOML_STRING;
          entry->string = g_strdup (json_node_get_string (node));
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          entry->type = KL_TOML_BOOLEAN;
          entry->boolean = json_node_get_boolean (node);
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          entry->type = KL_TOML_INTEGER;
          entry->integer = json_node_get_int (node);
        }
      else
        entry->type = KL_TOML_FLOAT;
      g_ptr_array_add (entries, entry);
    }

  return g_steal_pointer (&entries);
}

KlSettings *
kl_settings_load_data (const char  *text,
                       const char  *name,
                       GPtrArray   *messages,
                       GError     **error)
{
  g_autoptr(GPtrArray) local_messages = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(KlSettings) self = NULL;
  gboolean seen[N_KEYS] = { FALSE };
  guint first;

  g_return_val_if_fail (text != NULL, NULL);

  if (messages == NULL)
    messages = local_messages = kl_messages_new ();
  first = messages->len;

  if (!g_utf8_validate (text, -1, NULL))
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "invalid_utf8_file");
      kl_message_set_location (m, name, 0, 0, NULL, -1);
      kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_SETTINGS, error);
      return NULL;
    }

  {
    gsize length;
    const char *start = kl_text_strip (text, strlen (text), &length);

    entries = length > 0 && *start == '{' ? parse_json (text, name, messages)
                                          : kl_toml_parse (text, name, messages);
  }
  if (entries == NULL)
    {
      kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_SETTINGS, error);
      return NULL;
    }

  self = kl_settings_new ();

  for (guint i = 0; i < entries->len; i++)
    {
      const KlTomlEntry *entry = g_ptr_array_index (entries, i);
      Key key;

      for (key = 0; key < N_KEYS; key++)
        if (g_str_equal (entry->key, keys[key].name))
          break;

      if (key == N_KEYS)
        {
          const char *suggestion = closest_key (entry->key);
          KlMessage *m = add_setting_problem (messages, KL_SEVERITY_WARNING,
                                              suggestion ? "unknown_setting_suggest" : "unknown_setting",
                                              name, entry);
          if (suggestion)
            kl_message_set_param (m, "suggestion", suggestion);
          continue;
        }

      seen[key] = TRUE;

      if (entry->type != keys[key].type)
        {
          KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR, "setting_wrong_type",
                                              name, entry);
          kl_message_set_param (m, "expected", kl_toml_type_name (keys[key].type));
          kl_message_set_param (m, "found", kl_toml_type_name (entry->type));
          continue;
        }

      if (key == KEY_SELECTION_ALGORITHM)
        {
          if (!kl_algorithm_from_string (entry->string, &self->selection_algorithm))
            {
              g_autofree char *valid = join_names (algorithm_names);
              KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR,
                                                  "invalid_selection_algorithm", name, entry);
              kl_message_set_param (m, "algorithm", entry->string);
              kl_message_set_param (m, "valid_algorithms", valid);
            }
          continue;
        }

      if (key == KEY_SOLVER_BACKEND)
        {
          g_free (self->solver_backend);
          self->solver_backend = g_strdup (entry->string);
          if (g_strv_contains ((const char * const *) solver_backends, entry->string) &&
              !g_str_equal (entry->string, DEFAULT_BACKEND))
            {
              KlMessage *m = add_setting_problem (messages, KL_SEVERITY_INFO,
                                                  "solver_backend_ignored", name, entry);
              kl_message_set_param (m, "backend", entry->string);
            }
          continue;
        }

      apply_entry (self, key, entry);
    }

  if (!seen[KEY_ID_COLUMN])
    {
      KlMessage *m = add_setting_problem (messages, KL_SEVERITY_ERROR, "setting_missing", name, NULL);
      kl_message_set_param (m, "key", "id_column");
    }

  /* The library crashes when the key is missing; absent means off. */
  if (!self->check_same_address)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_WARNING,
                                      "address_checking_disabled_warning");
      kl_message_set_location (m, name, 0, 0, NULL, -1);
      g_strfreev (self->check_same_address_columns);
      self->check_same_address_columns = g_new0 (char *, 1);
    }

  /* Every problem at once: type errors and rule violations together. */
  kl_settings_validate (self, name, messages, NULL);
  if (kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_SETTINGS, error))
    return NULL;

  self->file = g_strdup (name);
  self->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, strlen (text));
  return g_steal_pointer (&self);
}

/* A mistyped path is an error: the library would quietly write a default
 * file there and run with settings nobody chose. */
KlSettings *
kl_settings_load_file (const char  *path,
                       GPtrArray   *messages,
                       GError     **error)
{
  gsize length = 0;
  g_autofree char *contents = kl_text_read_file (path, "settings_not_found", &length, messages, error);
  KlSettings *self;

  if (contents == NULL)
    return NULL;
  self = kl_settings_load_data (contents, path, messages, error);
  if (self != NULL)
    {
      /* Of every byte read, even past a stray NUL the parser stopped at. */
      g_free (self->sha256);
      self->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
    }
  return self;
}

static void
append_toml_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_toml_list (GString            *out,
                  const char * const *items)
{
  g_string_append_c (out, '[');
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_string_append (out, i ? ", " : "");
      append_toml_string (out, items[i]);
    }
  g_string_append (out, "]\n");
}

/* Written with comments, as a person will open it in a text editor; the
 * Python tool reads it unchanged. */
char *
kl_settings_to_toml (const KlSettings *self)
{
  GString *out = g_string_new (NULL);

  g_string_append (out, "# Kleroterion selection settings (also read by the Python sortition-algorithms tool)\n\n");
  g_string_append (out, "# The pool column that holds each person's unique id.\n");
  g_string_append (out, "id_column = ");
  append_toml_string (out, self->id_column);
  g_string_append (out, "\n\n# Pool columns copied into the selected and remaining files.\ncolumns_to_keep = ");
  append_toml_list (out, (const char * const *) self->columns_to_keep);
  g_string_append (out, "\n# If true, at most one person per address is selected; the address is\n"
                        "# the combination of check_same_address_columns.\n");
  g_string_append_printf (out, "check_same_address = %s\n", self->check_same_address ? "true" : "false");
  g_string_append (out, "check_same_address_columns = ");
  append_toml_list (out, (const char * const *) self->check_same_address_columns);
  g_string_append (out, "\n# legacy, maximin, nash, leximin or diversimax.\n");
  g_string_append (out, "selection_algorithm = ");
  append_toml_string (out, algorithm_names[self->selection_algorithm]);
  g_string_append (out, "\n\n# Attempts the legacy algorithm makes before giving up.\n");
  g_string_append_printf (out, "max_attempts = %d\n", self->max_attempts);
  g_string_append (out, "\n# 0 draws from the operating system's secure randomness; any other number\n"
                        "# makes the run reproducible (for audits and tests).\n");
  g_string_append_printf (out, "random_number_seed = %" G_GINT64_FORMAT "\n", self->random_number_seed);
  g_string_append (out, "\n# The longest diversimax searches for the most diverse panel, in seconds;\n"
                        "# it then keeps the best panel found.\n");
  g_string_append_printf (out, "diversimax_max_seconds = %d\n", self->diversimax_max_seconds);
  if (!g_str_equal (self->solver_backend, DEFAULT_BACKEND))
    {
      g_string_append (out, "\n# Read by the Python tool; Kleroterion always uses GLPK.\nsolver_backend = ");
      append_toml_string (out, self->solver_backend);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

gboolean
kl_settings_save (const KlSettings   *self,
                  const char         *path,
                  const char * const *inputs,
                  GError            **error)
{
  g_autofree char *toml = kl_settings_to_toml (self);

  return kl_file_write_atomic (path, toml, strlen (toml), inputs, error);
}
