/* kl-draw.c — the public draw: one of N published panels, picked by a number
 *
 * A lottery run publishes N equally likely panels and the SHA-256 of the
 * distribution they came from. Later, a number nobody controls (dice, a
 * national lottery) picks one: panel (number mod N), where a remainder of 0
 * means panel N, so that with N panels the numbers 1 … N pick themselves.
 * The draw's record names the distribution's hash, the lottery's record
 * and the number, so anyone can redo the arithmetic.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-draw.h"

#define DRAW_RULE "panel = public number mod N; a remainder of 0 means panel N"

/**
 * kl_draw_panel_number:
 * @public_number: decimal digits, as many as the public source gives
 *
 * The 1-based number of the panel @public_number picks among @n_panels.
 * Numbers of any length are taken exactly, digit by digit.
 */
guint
kl_draw_panel_number (const char  *public_number,
                      guint        n_panels,
                      GError     **error)
{
  g_autofree char *digits = g_strstrip (g_strdup (public_number ? public_number : ""));
  guint64 remainder = 0;

  g_return_val_if_fail (n_panels > 0, 0);

  if (*digits == '\0')
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_CONFIGURATION, _("The public number is empty."));
      return 0;
    }
  for (const char *p = digits; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, KL_ERROR, KL_ERROR_CONFIGURATION,
                       _("The public number “%s” is not a whole number: use the digits 0 to 9 only."), digits);
          return 0;
        }
      remainder = (remainder * 10 + (guint64) (*p - '0')) % n_panels;
    }
  return remainder == 0 ? n_panels : (guint) remainder;
}

static void
neutralise_rows (GPtrArray *rows)
{
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (guint c = 0; row[c] != NULL; c++)
        {
          char *safe = kl_output_neutralise_cell (row[c]);

          g_free (row[c]);
          row[c] = safe;
        }
    }
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *name)
{
  if (json_object_has_member (from, name))
    json_object_set_member (to, name, json_node_copy (json_object_get_member (from, name)));
}

static JsonObject *
file_entry (const char *path,
            const char *record_path,
            GBytes     *contents)
{
  JsonObject *entry = json_object_new ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *record_folder = g_path_get_dirname (record_path);
  g_autofree char *canon = g_canonicalize_filename (folder, NULL);
  g_autofree char *record_canon = g_canonicalize_filename (record_folder, NULL);
  /* Standard output ("-") has no file name to give. */
  g_autofree char *name = g_str_equal (path, "-") ? g_strdup (path)
                          : g_str_equal (canon, record_canon) ? g_path_get_basename (path)
                          : g_canonicalize_filename (path, NULL);
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, contents);

  json_object_set_string_member (entry, "name", name);
  json_object_set_string_member (entry, "sha256", digest);
  return entry;
}

static GBytes *
rows_bytes (GPtrArray *rows)
{
  char *csv = kl_csv_from_rows (rows);

  return g_bytes_new_take (csv, strlen (csv));
}

/**
 * kl_draw_to_file_set:
 * @panel_number: (out) (optional): the panel drawn, 1-based
 *
 * The drawn panel's selected and remaining tables and the draw's audit
 * record, ready to be written all or nothing.
 */
KlFileSet *
kl_draw_to_file_set (const KlDrawRequest  *request,
                     guint                *panel_number,
                     GError              **error)
{
  JsonArray *panels;
  JsonArray *drawn;
  g_autoptr(GArray) people = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) remaining = NULL;
  g_autoptr(GBytes) selected_bytes = NULL;
  g_autoptr(GBytes) remaining_bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonObject *record, *draw, *files;
  KlFileSet *set;
  const char *inputs[] = { kl_pool_get_file (request->pool), NULL };
  guint n_panels, number;

  if (!json_object_has_member (request->lottery, "panels") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (request->lottery, "panels")))
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_BAD_DATA, _("The lottery's record lists no panels."));
      return NULL;
    }
  panels = json_object_get_array_member (request->lottery, "panels");
  n_panels = json_array_get_length (panels);
  if (n_panels < 2)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_CONFIGURATION,
                           _("The record holds a single panel: there is nothing to draw."));
      return NULL;
    }

  number = kl_draw_panel_number (request->public_number, n_panels, error);
  if (number == 0)
    return NULL;

  drawn = json_array_get_array_element (panels, number - 1);
  for (guint i = 0; drawn != NULL && i < json_array_get_length (drawn); i++)
    {
      const char *id = json_array_get_string_element (drawn, i);
      int person = id ? kl_pool_find_person (request->pool, id) : -1;

      if (person < 0)
        {
          g_set_error (error, KL_ERROR, KL_ERROR_BAD_DATA,
                       _("Panel %u names “%s”, who is not in the pool %s: these are not the lottery's files."),
                       number, id ? id : "", kl_pool_get_file (request->pool));
          return NULL;
        }
      g_array_append_val (people, person);
    }

  kl_output_build_tables (request->pool, request->settings, (guint *) people->data, people->len,
                          request->already_selected, KL_OUTPUT_MARK_SHARED_ADDRESS, &selected, &remaining);
  if (request->flags & KL_EXPORT_EXCEL_SAFE)
    {
      neutralise_rows (selected);
      neutralise_rows (remaining);
    }
  selected_bytes = rows_bytes (selected);
  remaining_bytes = rows_bytes (remaining);

  record = json_object_new ();
  json_object_set_string_member (record, "generator", "kleroterion " PACKAGE_VERSION);
  draw = json_object_new ();
  json_object_set_string_member (draw, "public_number", request->public_number);
  json_object_set_int_member (draw, "number_of_panels", n_panels);
  json_object_set_int_member (draw, "panel_number", number);
  json_object_set_string_member (draw, "rule", DRAW_RULE);
  json_object_set_object_member (record, "draw", draw);
  copy_member (record, request->lottery, "distribution_sha256");
  if (request->lottery_name != NULL)
    {
      JsonObject *lottery = json_object_new ();

      json_object_set_string_member (lottery, "name", request->lottery_name);
      if (request->lottery_sha256 != NULL)
        json_object_set_string_member (lottery, "sha256", request->lottery_sha256);
      json_object_set_object_member (record, "lottery_record", lottery);
    }
  copy_member (record, request->lottery, "algorithm");
  copy_member (record, request->lottery, "number_wanted");
  copy_member (record, request->lottery, "inputs");
  copy_member (record, request->lottery, "settings");
  copy_member (record, request->lottery, "quotas_used");
  copy_member (record, request->lottery, "panels");
  json_object_set_member (record, "selected", json_node_copy (json_array_get_element (panels, number - 1)));
  files = json_object_new ();
  json_object_set_object_member (files, "selected", file_entry (request->selected_path, request->record_path, selected_bytes));
  json_object_set_object_member (files, "remaining", file_entry (request->remaining_path, request->record_path, remaining_bytes));
  if (json_object_has_member (request->lottery, "files"))
    {
      JsonObject *lottery_files = json_object_get_object_member (request->lottery, "files");
      if (lottery_files != NULL && json_object_has_member (lottery_files, "quotas_used"))
        json_object_set_member (files, "quotas_used",
                                json_node_copy (json_object_get_member (lottery_files, "quotas_used")));
    }
  json_object_set_object_member (record, "files", files);
  json_object_set_boolean_member (record, "excel_safe", (request->flags & KL_EXPORT_EXCEL_SAFE) != 0);

  root = json_node_init_object (json_node_alloc (), record);
  json_object_unref (record);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  set = kl_file_set_new (inputs);
  kl_file_set_add (set, request->selected_path, selected_bytes);
  kl_file_set_add (set, request->remaining_path, remaining_bytes);
  kl_file_set_add_text (set, request->record_path, json_generator_to_data (generator, NULL));
  if (panel_number != NULL)
    *panel_number = number;
  return set;
}

/**
 * kl_draw_run_to_folder:
 * @run: a lottery run, with several panels
 * @panel_number: (out) (optional): the panel drawn, 1-based
 *
 * The draw for a run still in memory (the desktop application's "Draw a
 * Panel" step): `selected.csv`, `remaining.csv` and `draw.json` in
 * @folder, all or nothing. Without %KL_EXPORT_REPLACE, an earlier draw's
 * files are never replaced.
 */
gboolean
kl_draw_run_to_folder (KlRun          *run,
                       const char     *public_number,
                       const char     *folder,
                       KlExportFlags   flags,
                       guint          *panel_number,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(JsonNode) lottery = kl_run_to_json (run, NULL, 0);
  g_autofree char *selected = g_build_filename (folder, "selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (folder, "remaining.csv", NULL);
  g_autofree char *record = g_build_filename (folder, "draw.json", NULL);
  g_autoptr(KlFileSet) set = NULL;
  KlDrawRequest request = {
    .lottery = json_node_get_object (lottery),
    .public_number = public_number,
    .pool = kl_run_get_pool (run),
    .settings = kl_run_get_settings (run),
    .already_selected = kl_run_get_already_selected (run),
    .selected_path = selected,
    .remaining_path = remaining,
    .record_path = record,
    .flags = flags,
  };

  set = kl_draw_to_file_set (&request, panel_number, error);
  return set != NULL &&
         kl_file_set_commit (set, (flags & KL_EXPORT_REPLACE) != 0, NULL, cancellable, error);
}
