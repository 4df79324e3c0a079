/* kl-export.c — the result set of a run, written all or nothing
 *
 * The window and the command line export through here, from the run
 * alone: its own inputs and hashes, settings, quotas and already-selected
 * people, whatever files the caller has opened since. So every caller
 * writes the same files with the same columns, and an export can never mix
 * one run's panel with another's inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-export.h"
#include "kl-spreadsheet.h"

static const char * const file_names[KL_EXPORT_N_FILES] = {
  [KL_EXPORT_SELECTED] = "selected.csv",
  [KL_EXPORT_REMAINING] = "remaining.csv",
  [KL_EXPORT_PANELS] = "panels.csv",
  [KL_EXPORT_PROBABILITIES] = "probabilities.csv",
  [KL_EXPORT_DISTRIBUTION] = "distribution.csv",
  [KL_EXPORT_QUOTAS_USED] = "quotas-used.csv",
  [KL_EXPORT_REPORT_HTML] = "report.html",
  [KL_EXPORT_REPORT_TEXT] = "report.txt",
  [KL_EXPORT_RECORD] = "report.json",
  [KL_EXPORT_WORKBOOK] = "selection.xlsx",
};

/* The role of each file in the audit record. */
static const char * const file_roles[KL_EXPORT_N_FILES] = {
  [KL_EXPORT_SELECTED] = "selected",
  [KL_EXPORT_REMAINING] = "remaining",
  [KL_EXPORT_PANELS] = "panels",
  [KL_EXPORT_PROBABILITIES] = "probabilities",
  [KL_EXPORT_DISTRIBUTION] = "distribution",
  [KL_EXPORT_QUOTAS_USED] = "quotas_used",
  [KL_EXPORT_REPORT_HTML] = "report_html",
  [KL_EXPORT_REPORT_TEXT] = "report_text",
  [KL_EXPORT_RECORD] = "record",
  [KL_EXPORT_WORKBOOK] = "workbook",
};

struct _KlExport {
  KlRun *run;
  KlExportFlags flags;
  char *paths[KL_EXPORT_N_FILES];    /* NULL: not written */
};

KlExport *
kl_export_new (KlRun         *run,
               KlExportFlags  flags)
{
  KlExport *self;

  g_return_val_if_fail (run != NULL, NULL);

  self = g_new0 (KlExport, 1);
  self->run = kl_run_ref (run);
  self->flags = flags;
  return self;
}

void
kl_export_free (KlExport *self)
{
  if (self == NULL)
    return;
  kl_run_unref (self->run);
  for (guint f = 0; f < KL_EXPORT_N_FILES; f++)
    g_free (self->paths[f]);
  g_free (self);
}

const char *
kl_export_get_file_name (KlExportFile file)
{
  g_return_val_if_fail (file < KL_EXPORT_N_FILES, NULL);
  return file_names[file];
}

/* Whether the run has anything to write as @file. A lottery of N panels
 * has no "selected" people: the public draw picks one later. */
gboolean
kl_export_has (KlExport     *self,
               KlExportFile  file)
{
  KlRun *run = self->run;
  guint n_panels = kl_run_get_n_panels (run);

  switch (file)
    {
    case KL_EXPORT_SELECTED:
    case KL_EXPORT_REMAINING:
      return n_panels == 1;
    case KL_EXPORT_PANELS:
      return n_panels > 1;
    case KL_EXPORT_PROBABILITIES:
      return kl_run_get_probabilities (run) != NULL;
    case KL_EXPORT_DISTRIBUTION:
      return kl_run_get_n_committees (run) > 0;
    case KL_EXPORT_QUOTAS_USED:
      return kl_run_get_quotas (run) != NULL;
    case KL_EXPORT_REPORT_HTML:
    case KL_EXPORT_REPORT_TEXT:
    case KL_EXPORT_RECORD:
      return TRUE;
    case KL_EXPORT_WORKBOOK:
      return n_panels > 0;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* @path: (nullable): where to write @file; %NULL not to write it */
void
kl_export_set_path (KlExport     *self,
                    KlExportFile  file,
                    const char   *path)
{
  g_return_if_fail (file < KL_EXPORT_N_FILES);

  g_free (self->paths[file]);
  self->paths[file] = g_strdup (path);
}

/* Every file the run has, under its usual name in @folder (the plain-text
 * report aside: the HTML one and the record say the same). */
void
kl_export_set_folder (KlExport   *self,
                      const char *folder)
{
  for (KlExportFile f = 0; f < KL_EXPORT_N_FILES; f++)
    {
      g_autofree char *path = NULL;

      if (f != KL_EXPORT_REPORT_TEXT && kl_export_has (self, f))
        path = g_build_filename (folder, file_names[f], NULL);
      kl_export_set_path (self, f, path);
    }
}

/* The paths that will be written, %NULL-terminated. */
char **
kl_export_get_paths (KlExport *self)
{
  GPtrArray *paths = g_ptr_array_new ();

  for (guint f = 0; f < KL_EXPORT_N_FILES; f++)
    if (self->paths[f] != NULL && kl_export_has (self, f))
      g_ptr_array_add (paths, g_strdup (self->paths[f]));
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (paths, FALSE);
}

/* ---- contents ------------------------------------------------------------- */

static GBytes *
csv_bytes (GPtrArray *rows)
{
  char *csv = kl_csv_from_rows (rows);

  return g_bytes_new_take (csv, strlen (csv));
}

static void
append_line (const char *line,
             gsize       length,
             gpointer    out)
{
  g_string_append_len (out, line, length);
}

/* A table of people's own words, as a CSV a spreadsheet may open. The
 * workbook needs none of this: its cells are always text. */
static GBytes *
people_csv_bytes (KlExport  *self,
                  GPtrArray *rows)
{
  g_autoptr(GPtrArray) safe = NULL;

  if (!(self->flags & KL_EXPORT_EXCEL_SAFE))
    return csv_bytes (rows);

  safe = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      guint n = g_strv_length (row);
      char **copy = g_new0 (char *, n + 1);

      for (guint c = 0; c < n; c++)
        copy[c] = kl_output_neutralise_cell (row[c]);
      g_ptr_array_add (safe, copy);
    }
  return csv_bytes (safe);
}

static GBytes *
text_bytes (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}

typedef struct {
  GPtrArray *selected;
  GPtrArray *remaining;
  GPtrArray *panels;
  GPtrArray *probabilities;
  GPtrArray *quotas;
} Tables;

static void
tables_clear (Tables *tables)
{
  g_clear_pointer (&tables->selected, g_ptr_array_unref);
  g_clear_pointer (&tables->remaining, g_ptr_array_unref);
  g_clear_pointer (&tables->panels, g_ptr_array_unref);
  g_clear_pointer (&tables->probabilities, g_ptr_array_unref);
  g_clear_pointer (&tables->quotas, g_ptr_array_unref);
}

static GPtrArray *
quota_rows (KlQuotas *quotas)
{
  g_autofree char *csv = kl_quotas_to_csv (quotas);
  g_autoptr(KlTable) table = kl_table_read_data (csv, -1, "quotas-used.csv", NULL, NULL);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_ptr_array_add (rows, g_strdupv (table->header));
  for (guint r = 0; r < table->n_rows; r++)
    {
      char **row = g_new0 (char *, table->n_columns + 1);

      for (guint c = 0; c < table->n_columns; c++)
        row[c] = g_strdup (kl_table_get_cell (table, r, c));
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static void
build_tables (KlExport *self,
              Tables   *tables)
{
  KlRun *run = self->run;

  if (kl_export_has (self, KL_EXPORT_SELECTED))
    {
      guint n;
      const guint *panel = kl_run_get_panel (run, 0, &n);

      kl_output_build_tables (kl_run_get_pool (run), kl_run_get_settings (run), panel, n,
                              kl_run_get_already_selected (run), KL_OUTPUT_MARK_SHARED_ADDRESS,
                              &tables->selected, &tables->remaining);
    }
  if (kl_export_has (self, KL_EXPORT_PANELS))
    tables->panels = kl_output_panel_rows (run);
  tables->probabilities = kl_output_probability_rows (run);
  if (kl_run_get_quotas (run) != NULL)
    tables->quotas = quota_rows (kl_run_get_quotas (run));
}

static GBytes *
workbook_bytes (Tables   *tables,
                GError  **error)
{
  const char *names[4];
  GPtrArray *sheets[4];
  guint n = 0;

  if (tables->selected != NULL)
    {
      names[n] = "Selected";
      sheets[n++] = tables->selected;
      names[n] = "Remaining";
      sheets[n++] = tables->remaining;
    }
  if (tables->panels != NULL)
    {
      names[n] = "Panels";
      sheets[n++] = tables->panels;
    }
  if (tables->probabilities != NULL)
    {
      names[n] = "Probabilities";
      sheets[n++] = tables->probabilities;
    }
  return kl_spreadsheet_to_bytes (names, sheets, n, error);
}

/* How the record names another file of the set: by its name alone when
 * they share a folder (the set can be moved together), else by full path. */
static char *
name_from_record (const char *path,
                  const char *record_path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *record_folder = record_path ? g_path_get_dirname (record_path) : NULL;
  g_autofree char *canon = g_canonicalize_filename (folder, NULL);
  g_autofree char *record_canon = record_folder ? g_canonicalize_filename (record_folder, NULL) : NULL;

  /* Standard output has no file name: "-" says where the bytes went. */
  if (g_str_equal (path, "-"))
    return g_strdup (path);
  if (record_canon != NULL && g_str_equal (canon, record_canon))
    return g_path_get_basename (path);
  return g_canonicalize_filename (path, NULL);
}

static GBytes *
record_bytes (KlExport *self,
              GBytes   *contents[KL_EXPORT_N_FILES])
{
  g_autoptr(JsonNode) root = kl_run_to_json (self->run, NULL, 0);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *files = json_object_new ();

  for (guint f = 0; f < KL_EXPORT_N_FILES; f++)
    {
      JsonObject *entry;
      g_autofree char *name = NULL;
      g_autofree char *digest = NULL;

      if (f == KL_EXPORT_RECORD || contents[f] == NULL)
        continue;
      digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, contents[f]);
      name = name_from_record (self->paths[f], self->paths[KL_EXPORT_RECORD]);
      entry = json_object_new ();
      json_object_set_string_member (entry, "name", name);
      json_object_set_string_member (entry, "sha256", digest);
      json_object_set_object_member (files, file_roles[f], entry);
    }
  json_object_set_object_member (json_node_get_object (root), "files", files);
  json_object_set_boolean_member (json_node_get_object (root), "excel_safe",
                                  (self->flags & KL_EXPORT_EXCEL_SAFE) != 0);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return text_bytes (json_generator_to_data (generator, NULL));
}

/**
 * kl_export_to_file_set:
 *
 * Every file given a path, built in memory and ready to be written all or
 * nothing with kl_file_set_commit(). The audit record lists every other
 * file of the set with its SHA-256.
 */
KlFileSet *
kl_export_to_file_set (KlExport  *self,
                       GError   **error)
{
  KlRun *run = self->run;
  g_autoptr(KlFileSet) set = NULL;
  GBytes *contents[KL_EXPORT_N_FILES] = { NULL };
  Tables tables = { NULL };
  guint n_inputs;
  const KlRunInput *inputs = kl_run_get_inputs (run, &n_inputs);
  g_autoptr(GPtrArray) input_paths = g_ptr_array_new ();
  gboolean ok = FALSE;

  for (guint i = 0; i < n_inputs; i++)
    g_ptr_array_add (input_paths, (gpointer) inputs[i].name);
  g_ptr_array_add (input_paths, NULL);
  set = kl_file_set_new ((const char * const *) input_paths->pdata);

  build_tables (self, &tables);
  if (self->paths[KL_EXPORT_SELECTED] && tables.selected)
    contents[KL_EXPORT_SELECTED] = people_csv_bytes (self, tables.selected);
  if (self->paths[KL_EXPORT_REMAINING] && tables.remaining)
    contents[KL_EXPORT_REMAINING] = people_csv_bytes (self, tables.remaining);
  if (self->paths[KL_EXPORT_PANELS] && tables.panels)
    contents[KL_EXPORT_PANELS] = csv_bytes (tables.panels);
  if (self->paths[KL_EXPORT_PROBABILITIES] && tables.probabilities)
    contents[KL_EXPORT_PROBABILITIES] = csv_bytes (tables.probabilities);
  if (self->paths[KL_EXPORT_DISTRIBUTION])
    {
      GString *distribution = g_string_new (NULL);

      if (kl_output_distribution_csv (run, append_line, distribution))
        contents[KL_EXPORT_DISTRIBUTION] = g_string_free_to_bytes (distribution);
      else
        g_string_free (distribution, TRUE);
    }
  if (self->paths[KL_EXPORT_QUOTAS_USED] && kl_run_get_quotas (run) != NULL)
    contents[KL_EXPORT_QUOTAS_USED] = text_bytes (kl_quotas_to_csv (kl_run_get_quotas (run)));
  if (self->paths[KL_EXPORT_REPORT_HTML])
    contents[KL_EXPORT_REPORT_HTML] = text_bytes (kl_report_to_html_page (kl_run_get_report (run)));
  if (self->paths[KL_EXPORT_REPORT_TEXT])
    contents[KL_EXPORT_REPORT_TEXT] = text_bytes (kl_report_to_text (kl_run_get_report (run)));
  if (self->paths[KL_EXPORT_WORKBOOK] && kl_export_has (self, KL_EXPORT_WORKBOOK) &&
      (contents[KL_EXPORT_WORKBOOK] = workbook_bytes (&tables, error)) == NULL)
    goto out;
  if (self->paths[KL_EXPORT_RECORD])
    contents[KL_EXPORT_RECORD] = record_bytes (self, contents);

  for (guint f = 0; f < KL_EXPORT_N_FILES; f++)
    if (contents[f] != NULL)
      kl_file_set_add (set, self->paths[f], contents[f]);
  ok = TRUE;

out:
  for (guint f = 0; f < KL_EXPORT_N_FILES; f++)
    g_clear_pointer (&contents[f], g_bytes_unref);
  tables_clear (&tables);
  return ok ? g_steal_pointer (&set) : NULL;
}

/**
 * kl_export_to_folder:
 * @flags: %KL_EXPORT_REPLACE to replace files of an earlier export
 * @reporter: (nullable): told how the writing goes
 * @cancellable: (nullable): a cancel before the last file is in place
 *   leaves the folder as it was
 *
 * Writes the whole result set of @run into @folder, or nothing: on any
 * failure the folder holds what it held before. Without
 * %KL_EXPORT_REPLACE, fails with %G_IO_ERROR_EXISTS if any of the files
 * exists (kl_export_find_existing() names them, for a confirmation).
 */
gboolean
kl_export_to_folder (KlRun               *run,
                     const char          *folder,
                     KlExportFlags        flags,
                     KlProgressReporter  *reporter,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(KlExport) export = NULL;
  g_autoptr(KlFileSet) set = NULL;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  if (kl_run_get_n_panels (run) == 0)
    {
      g_set_error_literal (error, KL_ERROR, KL_ERROR_CONFIGURATION, _("There is no result to export yet."));
      return FALSE;
    }

  export = kl_export_new (run, flags);
  kl_export_set_folder (export, folder);
  set = kl_export_to_file_set (export, error);
  return set != NULL &&
         kl_file_set_commit (set, (flags & KL_EXPORT_REPLACE) != 0, reporter, cancellable, error);
}

/* The files of @run's set that already exist in @folder. */
char **
kl_export_find_existing (KlRun      *run,
                         const char *folder)
{
  g_autoptr(KlExport) export = kl_export_new (run, KL_EXPORT_NONE);
  g_auto(GStrv) paths = NULL;

  kl_export_set_folder (export, folder);
  paths = kl_export_get_paths (export);
  return kl_file_set_find_existing ((const char * const *) paths);
}
