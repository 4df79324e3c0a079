/* kl-cli-record.c — reading an audit record and the files it names
 *
 * A record names files by the name they had when it was written; they are
 * looked for, in order, at a path the user gives, beside the record (so a
 * published folder can be moved or downloaded), then at the name itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

gboolean
kl_cli_record_load (KlCliRecord  *record,
                    const char   *path,
                    GError      **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  JsonNode *root;

  memset (record, 0, sizeof *record);
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  record->parser = json_parser_new ();
  if (!json_parser_load_from_data (record->parser, contents, length, error))
    return FALSE;
  root = json_parser_get_root (record->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KL_ERROR, KL_ERROR_BAD_DATA, _("%s is not an audit record."), path);
      return FALSE;
    }
  record->root = json_node_get_object (root);
  record->path = g_strdup (path);
  record->folder = g_path_get_dirname (path);
  record->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  return TRUE;
}

void
kl_cli_record_clear (KlCliRecord *record)
{
  g_clear_object (&record->parser);
  g_clear_pointer (&record->path, g_free);
  g_clear_pointer (&record->folder, g_free);
  g_clear_pointer (&record->sha256, g_free);
  record->root = NULL;
}

/* A string member of an object member, or %NULL. */
const char *
kl_cli_record_get (KlCliRecord *record,
                   const char  *object,
                   const char  *member,
                   const char  *field)
{
  JsonObject *o = record->root;
  JsonNode *node;

  if (object != NULL)
    {
      node = json_object_get_member (o, object);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      o = json_node_get_object (node);
    }
  node = json_object_get_member (o, member);
  if (field != NULL)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), field);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Where the file the record calls @name is: @given, beside the record, or
 * @name itself. %NULL if none exists. */
char *
kl_cli_record_locate (KlCliRecord *record,
                      const char  *name,
                      const char  *given)
{
  g_autofree char *base = NULL;
  g_autofree char *beside = NULL;

  if (given != NULL)
    return g_strdup (given);
  if (name == NULL)
    return NULL;
  base = g_path_get_basename (name);
  beside = g_build_filename (record->folder, base, NULL);
  if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&beside);
  if (g_file_test (name, G_FILE_TEST_IS_REGULAR))
    return g_strdup (name);
  return NULL;
}

char *
kl_cli_file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (path == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Compares a file's SHA-256 with the record's. Appends a line to
 * @problems for a mismatch, and to @unreadable if the file is missing. */
char *
kl_cli_record_check_file (KlCliRecord *record,
                          const char  *what,
                          const char  *name,
                          const char  *expected,
                          const char  *given,
                          GPtrArray   *problems,
                          GPtrArray   *unreadable)
{
  g_autofree char *path = kl_cli_record_locate (record, name, given);
  g_autofree char *actual = kl_cli_file_sha256 (path);

  if (actual == NULL)
    {
      g_ptr_array_add (unreadable, g_strdup_printf (_("%s: cannot read %s (looked beside the record and at that name)."),
                                                    what, name ? name : "?"));
      return NULL;
    }
  if (expected == NULL || !g_str_equal (actual, expected))
    g_ptr_array_add (problems, g_strdup_printf (_("%s %s: its SHA-256 is %s, but the record says %s."),
                                                what, path, actual, expected ? expected : "(nothing)"));
  return g_steal_pointer (&path);
}

/* The settings the record holds, as a settings file would give them. */
static KlSettings *
record_settings (KlCliRecord  *record,
                 GError      **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  JsonNode *node = json_object_get_member (record->root, "settings");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_BAD_DATA, _("The record holds no settings."));
      return NULL;
    }
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return kl_settings_load_data (text, record->path, NULL, error);
}

/**
 * kl_cli_record_load_inputs:
 *
 * Loads what the recorded run used: its settings (from the record), the
 * quotas it used (quotas-used.csv) and its pool and already-selected
 * people, each checked against the record's SHA-256. Returns
 * %KL_EXIT_OK, %KL_EXIT_FAILED for a mismatch (lines in @problems) or
 * %KL_EXIT_BAD_INPUT when a file is missing or unreadable.
 */
int
kl_cli_record_load_inputs (KlCliRecord   *record,
                           const char    *people_given,
                           const char    *already_given,
                           KlCliInputs   *loaded,
                           GPtrArray     *problems,
                           GPtrArray     *unreadable)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *quotas_path = NULL;
  g_autofree char *people_path = NULL;
  g_autofree char *already_path = NULL;
  guint first_problem = problems->len;

  loaded->settings = record_settings (record, &error);
  if (loaded->settings == NULL)
    {
      g_ptr_array_add (unreadable, g_strdup (error->message));
      return KL_EXIT_BAD_INPUT;
    }

  quotas_path = kl_cli_record_check_file (record, _("Quotas used"),
                                          kl_cli_record_get (record, "files", "quotas_used", "name")
                                            ? kl_cli_record_get (record, "files", "quotas_used", "name")
                                            : "quotas-used.csv",
                                          kl_cli_record_get (record, NULL, "quotas_used", "sha256"),
                                          NULL, problems, unreadable);
  people_path = kl_cli_record_check_file (record, _("Pool"),
                                          kl_cli_record_get (record, "inputs", "people", "name"),
                                          kl_cli_record_get (record, "inputs", "people", "sha256"),
                                          people_given, problems, unreadable);
  if (kl_cli_record_get (record, "inputs", "already_selected", "name") != NULL || already_given != NULL)
    {
      already_path = kl_cli_record_check_file (record, _("Already selected"),
                                               kl_cli_record_get (record, "inputs", "already_selected", "name"),
                                               kl_cli_record_get (record, "inputs", "already_selected", "sha256"),
                                               already_given, problems, unreadable);
      if (already_path == NULL)
        return KL_EXIT_BAD_INPUT;
    }
  if (quotas_path == NULL || people_path == NULL)
    return KL_EXIT_BAD_INPUT;

  loaded->quotas = kl_quotas_load_file (quotas_path, 0, NULL, &error);
  if (loaded->quotas != NULL)
    loaded->pool = kl_pool_load_file (people_path, loaded->quotas, loaded->settings, NULL, &error);
  if (loaded->pool != NULL)
    loaded->already_selected = kl_pool_load_already_selected_file (already_path, loaded->settings, NULL, &error);
  if (loaded->already_selected == NULL)
    {
      g_ptr_array_add (unreadable, g_strdup (error->message));
      return KL_EXIT_BAD_INPUT;
    }
  return problems->len > first_problem ? KL_EXIT_FAILED : KL_EXIT_OK;
}
