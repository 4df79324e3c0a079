/* kl-cli-verify.c — `kleroterion-cli verify`: anyone can check a selection
 *
 * Given an audit record (report.json of a selection, or draw.json of a
 * public draw) and the files beside it, checks what can be checked without
 * trusting the organiser: every file's SHA-256, that every panel meets the
 * recorded quotas with at most one person per household, that the exported
 * panel is the recorded one, the distribution's SHA-256, that the public
 * number picks the drawn panel, and — when the run had a seed — that
 * running it again gives the same panel, byte for byte.
 *
 * Exit 0: verified. 1: something does not match (each printed). 3: the
 * record or a file it names cannot be read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "kl-cli.h"

typedef struct {
  char *people_path;
  char *already_selected_path;
  char *distribution_path;
  gboolean no_rerun;
} VerifyOptions;

typedef struct {
  KlCliRecord record;
  KlCliInputs loaded;
  GPtrArray *problems;     /* lines: what does not match */
  GPtrArray *unreadable;   /* lines: what could not be read */
  GPtrArray *checked;      /* lines: what was verified */
  gboolean excel_safe;
} Verification;

static void
problem (Verification *v,
         const char   *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Verification *v,
         const char   *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (v->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* The ids of a recorded panel. */
static GPtrArray *
json_ids (JsonArray *array)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_ptr_array_add (ids, g_strdup (json_array_get_string_element (array, i)));
  return ids;
}

/* An id as the exported CSV spells it. */
static char *
exported_id (Verification *v,
             const char   *id)
{
  return v->excel_safe ? kl_output_neutralise_cell (id) : g_strdup (id);
}

static gboolean
same_recorded_ids (GPtrArray *a,
                   GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* The ids of the record against those of an exported CSV. */
static gboolean
same_ids (Verification *v,
          GPtrArray    *recorded,
          GPtrArray    *exported)
{
  if (recorded->len != exported->len)
    return FALSE;
  for (guint i = 0; i < recorded->len; i++)
    {
      g_autofree char *expected = exported_id (v, g_ptr_array_index (recorded, i));

      if (!g_str_equal (expected, g_ptr_array_index (exported, i)))
        return FALSE;
    }
  return TRUE;
}

/* Every panel meets the recorded quotas, one person per household. */
static void
check_panel (Verification *v,
             const char   *what,
             GPtrArray    *ids,
             guint         k)
{
  KlPool *pool = v->loaded.pool;
  g_autoptr(GArray) people = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) breaches = kl_messages_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      int person = kl_pool_find_person (pool, g_ptr_array_index (ids, i));

      if (person < 0)
        {
          problem (v, _("%s names “%s”, who is not in the pool."), what, (char *) g_ptr_array_index (ids, i));
          return;
        }
      g_array_append_val (people, person);
    }
  if (!kl_panel_check (pool, (guint *) people->data, people->len, k, breaches))
    for (guint i = 0; i < breaches->len; i++)
      {
        g_autofree char *text = kl_message_to_string (g_ptr_array_index (breaches, i));
        problem (v, "%s: %s", what, text);
      }
}

/* The first column of a people table: the panel as exported. */
static GPtrArray *
read_selected_ids (Verification *v,
                   const char   *role)
{
  const char *name = kl_cli_record_get (&v->record, "files", role, "name");
  g_autofree char *path = kl_cli_record_locate (&v->record, name, NULL);
  g_autoptr(KlTable) table = path ? kl_table_read_file (path, NULL, NULL) : NULL;
  GPtrArray *ids;

  if (table == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; r < table->n_rows; r++)
    g_ptr_array_add (ids, g_strdup (kl_table_get_cell (table, r, 0)));
  return ids;
}

/* The pool's id behind an id as an --excel-safe CSV spells it. */
static GPtrArray *
pool_ids (Verification *v,
          GPtrArray    *exported)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < exported->len; i++)
    {
      const char *id = g_ptr_array_index (exported, i);
      g_autofree char *unquoted = id[0] == '\'' ? g_strdup (id + 1) : NULL;
      g_autofree char *again = unquoted ? kl_output_neutralise_cell (unquoted) : NULL;

      /* Only an apostrophe the export added is taken off. */
      g_ptr_array_add (ids, g_strdup (v->excel_safe && again && g_str_equal (again, id) ? unquoted : id));
    }
  return ids;
}

/* Every file the record lists has the bytes it had when written. */
static void
check_files (Verification *v)
{
  JsonNode *node = json_object_get_member (v->record.root, "files");
  g_autoptr(GList) roles = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  roles = json_object_get_members (json_node_get_object (node));
  for (GList *l = roles; l != NULL; l = l->next)
    {
      g_autofree char *path = kl_cli_record_check_file (&v->record, l->data,
                                                        kl_cli_record_get (&v->record, "files", l->data, "name"),
                                                        kl_cli_record_get (&v->record, "files", l->data, "sha256"),
                                                        NULL, v->problems, v->unreadable);
      (void) path;
    }
}

static void
check_inputs (Verification *v,
              VerifyOptions *options)
{
  const char *roles[] = { "settings", "features", "people", "already_selected" };
  const char *given[] = { NULL, NULL, options->people_path, options->already_selected_path };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      const char *name = kl_cli_record_get (&v->record, "inputs", roles[i], "name");
      g_autofree char *path = NULL;

      if (name == NULL)
        continue;
      path = kl_cli_record_check_file (&v->record, roles[i], name,
                                       kl_cli_record_get (&v->record, "inputs", roles[i], "sha256"),
                                       given[i], v->problems, v->unreadable);
    }
}

static gint64
recorded_bound (JsonObject *change,
                const char *which,
                const char *bound)
{
  JsonNode *node = json_object_get_member (change, which);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return G_MININT64;
  return json_object_get_int_member_with_default (json_node_get_object (node), bound, G_MININT64);
}

/* The record's list of changed quotas is the whole difference between the
 * quota file and the quotas the panel was drawn with: a relaxation cannot
 * hide in quotas-used.csv. */
static void
check_quota_changes (Verification *v)
{
  const char *name = kl_cli_record_get (&v->record, "inputs", "features", "name");
  g_autofree char *path = kl_cli_record_locate (&v->record, name, NULL);
  g_autoptr(KlQuotas) in_file = path ? kl_quotas_load_file (path, 0, NULL, NULL) : NULL;
  KlQuotas *used = v->loaded.quotas;
  JsonNode *node = json_object_get_member (v->record.root, "quotas_used");
  JsonArray *changed = NULL;
  guint listed = 0;

  if (in_file == NULL || used == NULL || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  if (json_object_has_member (json_node_get_object (node), "changed"))
    changed = json_object_get_array_member (json_node_get_object (node), "changed");

  for (guint f = 0; f < kl_quotas_get_n_features (used); f++)
    for (guint u = 0; u < kl_quotas_get_feature (used, f)->values->len; u++)
      {
        const char *feature = kl_quotas_get_feature (used, f)->name;
        const KlQuotaValue *applied = kl_quotas_get_value (used, f, u);
        int file_feature = kl_quotas_find_feature (in_file, feature);
        int file_value = file_feature >= 0 ? kl_quotas_find_value (in_file, file_feature, applied->name) : -1;
        const KlQuotaValue *original;
        JsonObject *entry = NULL;

        if (file_value < 0)
          {
            problem (v, _("quotas-used.csv has “%s” of “%s”, which the quota file does not."), applied->name, feature);
            continue;
          }
        original = kl_quotas_get_value (in_file, file_feature, file_value);
        for (guint c = 0; changed != NULL && c < json_array_get_length (changed); c++)
          {
            JsonObject *candidate = json_array_get_object_element (changed, c);

            if (g_strcmp0 (json_object_get_string_member_with_default (candidate, "feature", NULL), feature) == 0 &&
                g_strcmp0 (json_object_get_string_member_with_default (candidate, "value", NULL), applied->name) == 0)
              entry = candidate;
          }

        if (original->min == applied->min && original->max == applied->max)
          {
            if (entry != NULL)
              problem (v, _("The record lists a change to “%s” of “%s”, but its quota is as in the file."),
                       applied->name, feature);
            continue;
          }
        listed++;
        if (entry == NULL ||
            recorded_bound (entry, "original", "min") != original->min ||
            recorded_bound (entry, "original", "max") != original->max ||
            recorded_bound (entry, "applied", "min") != applied->min ||
            recorded_bound (entry, "applied", "max") != applied->max)
          problem (v, _("“%s” of “%s” was drawn with %d–%d where the quota file says %d–%d, "
                        "and the record does not say so."),
                   applied->name, feature, applied->min, applied->max, original->min, original->max);
      }
  if (changed != NULL && json_array_get_length (changed) > listed)
    problem (v, "%s", _("The record lists quota changes that quotas-used.csv does not have."));
}

static void
check_distribution (Verification  *v,
                    VerifyOptions *options)
{
  const char *expected = kl_cli_record_get (&v->record, NULL, "distribution_sha256", NULL);
  const char *name = kl_cli_record_get (&v->record, "files", "distribution", "name");
  g_autofree char *path = kl_cli_record_locate (&v->record, name ? name : "distribution.csv",
                                                options->distribution_path);
  g_autofree char *actual = kl_cli_file_sha256 (path);

  if (expected == NULL)
    return;
  if (actual == NULL)
    {
      g_ptr_array_add (v->unreadable, g_strdup (_("distribution: cannot read distribution.csv beside the record.")));
      return;
    }
  if (!g_str_equal (actual, expected))
    problem (v, _("The distribution %s has the SHA-256 %s, but the record says %s."), path, actual, expected);
}

/* draw.json: the public number picks the drawn panel, which is the one
 * exported as selected.csv. */
static void
check_draw (Verification *v,
            guint         k)
{
  JsonObject *draw = json_object_get_object_member (v->record.root, "draw");
  JsonArray *panels = json_object_get_array_member (v->record.root, "panels");
  const char *number = json_object_get_string_member_with_default (draw, "public_number", "");
  guint n = panels ? json_array_get_length (panels) : 0;
  guint recorded = (guint) json_object_get_int_member_with_default (draw, "panel_number", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) selected = json_ids (json_object_get_array_member (v->record.root, "selected"));
  g_autoptr(GPtrArray) exported = NULL;
  guint picked;

  if (n == 0)
    {
      problem (v, "%s", _("The draw's record lists no panels."));
      return;
    }
  picked = kl_draw_panel_number (number, n, &error);
  if (picked == 0)
    problem (v, "%s", error->message);
  else if (picked != recorded)
    problem (v, _("The public number %s picks panel %u of %u, but the record says panel %u was drawn."),
             number, picked, n, recorded);
  if (recorded >= 1 && recorded <= n)
    {
      g_autoptr(GPtrArray) drawn = json_ids (json_array_get_array_element (panels, recorded - 1));

      if (!same_recorded_ids (drawn, selected))
        problem (v, _("The drawn panel in the record is not panel %u of the lottery."), recorded);
    }

  exported = read_selected_ids (v, "selected");
  if (exported != NULL)
    {
      g_autoptr(GPtrArray) people = pool_ids (v, exported);

      if (!same_ids (v, selected, exported))
        problem (v, "%s", _("selected.csv does not hold the drawn panel."));
      check_panel (v, "selected.csv", people, k);
    }
}

/* The panels of a panels.csv, one per column. */
static GPtrArray *
read_panel_columns (Verification *v)
{
  const char *name = kl_cli_record_get (&v->record, "files", "panels", "name");
  g_autofree char *path = kl_cli_record_locate (&v->record, name, NULL);
  g_autoptr(KlTable) table = path ? kl_table_read_file (path, NULL, NULL) : NULL;
  GPtrArray *panels;

  if (table == NULL)
    return NULL;
  panels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint c = 0; c < table->n_columns; c++)
    {
      GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

      for (guint r = 0; r < table->n_rows; r++)
        g_ptr_array_add (ids, g_strdup (kl_table_get_cell (table, r, c)));
      g_ptr_array_add (panels, ids);
    }
  return panels;
}

/* report.json: every recorded panel meets the quotas, and the exported
 * files hold the recorded panels. */
static void
check_run (Verification *v,
           guint         k)
{
  JsonArray *panels = json_object_get_array_member (v->record.root, "panels");
  guint n = panels ? json_array_get_length (panels) : 0;

  for (guint p = 0; p < n; p++)
    {
      g_autoptr(GPtrArray) ids = json_ids (json_array_get_array_element (panels, p));
      g_autofree char *what = g_strdup_printf (_("Panel %u of the record"), p + 1);

      check_panel (v, what, ids, k);
    }

  if (n == 1)
    {
      g_autoptr(GPtrArray) recorded = json_ids (json_array_get_array_element (panels, 0));
      g_autoptr(GPtrArray) exported = read_selected_ids (v, "selected");

      if (exported != NULL)
        {
          g_autoptr(GPtrArray) people = pool_ids (v, exported);

          if (!same_ids (v, recorded, exported))
            problem (v, "%s", _("selected.csv does not hold the recorded panel."));
          check_panel (v, "selected.csv", people, k);
        }
    }
  else if (n > 1)
    {
      g_autoptr(GPtrArray) columns = read_panel_columns (v);

      for (guint p = 0; columns != NULL && p < MAX (n, columns->len); p++)
        {
          g_autoptr(GPtrArray) recorded = p < n ? json_ids (json_array_get_array_element (panels, p)) : NULL;

          if (recorded == NULL || p >= columns->len ||
              !same_recorded_ids (recorded, g_ptr_array_index (columns, p)))
            problem (v, _("panels.csv: panel %u is not the recorded one."), p + 1);
          else
            {
              g_autofree char *what = g_strdup_printf (_("panels.csv, panel %u"), p + 1);
              check_panel (v, what, g_ptr_array_index (columns, p), k);
            }
        }
    }
}

/* With a seed, the run again: its panel must come out byte for byte. */
static void
check_rerun (Verification *v,
             guint         k)
{
  JsonObject *root = v->record.root;
  JsonObject *random = json_object_get_object_member (root, "random");
  const char *algorithm = json_object_get_string_member_with_default (root, "algorithm", "");
  gboolean lottery = json_object_get_int_member_with_default (root, "number_selections", 1) > 1;
  KlExportFile file = lottery ? KL_EXPORT_PANELS : KL_EXPORT_SELECTED;
  const char *name = kl_cli_record_get (&v->record, "files", lottery ? "panels" : "selected", "name");
  g_autofree char *path = kl_cli_record_locate (&v->record, name, NULL);
  g_autofree char *on_disk = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(KlExport) export = NULL;
  g_autoptr(KlFileSet) set = NULL;
  g_autoptr(GError) error = NULL;
  KlRunParams params;
  g_autofree char *seed = NULL;
  gsize length;

  if (random == NULL || json_object_get_boolean_member_with_default (random, "secure", TRUE) || path == NULL)
    return;

  kl_run_params_init (&params, v->loaded.settings);
  params.number_wanted = k;
  params.seed = json_object_get_int_member (random, "seed");
  seed = g_strdup_printf ("%" G_GINT64_FORMAT, params.seed);
  params.number_selections = json_object_get_int_member_with_default (root, "number_selections", 1);
  params.max_attempts = json_object_get_int_member_with_default (root, "max_attempts", params.max_attempts);
  params.test_selection = g_str_equal (algorithm, "test");
  if (!params.test_selection && !kl_algorithm_from_string (algorithm, &params.algorithm))
    {
      problem (v, _("The record names an unknown algorithm “%s”."), algorithm);
      return;
    }

  run = kl_run_new (v->loaded.pool, v->loaded.settings, v->loaded.already_selected, &params);
  if (!kl_run_execute (run, NULL, NULL, &error))
    {
      problem (v, _("Running the selection again with seed %s failed: %s"), seed, error->message);
      return;
    }
  export = kl_export_new (run, v->excel_safe ? KL_EXPORT_EXCEL_SAFE : KL_EXPORT_NONE);
  kl_export_set_path (export, file, path);
  set = kl_export_to_file_set (export, &error);
  if (set == NULL || !g_file_get_contents (path, &on_disk, &length, NULL))
    return;
  {
    GBytes *again = kl_file_set_get_contents (set, 0);
    gsize again_length;
    const char *again_data = g_bytes_get_data (again, &again_length);

    if (again_length != length || memcmp (again_data, on_disk, length) != 0)
      problem (v, _("Running the selection again with seed %s gives a different panel than %s."), seed, path);
    else
      g_ptr_array_add (v->checked, g_strdup_printf (_("Running the selection again with seed %s gives %s byte for byte."),
                                                    seed, path));
  }
}

static int
verify_main (const char    *record_path,
             VerifyOptions *options)
{
  g_autoptr(GError) error = NULL;
  Verification v = { 0 };
  gboolean is_draw;
  guint k;
  int status;

  if (!kl_cli_record_load (&v.record, record_path, &error))
    {
      fprintf (stderr, _("Cannot read the audit record %s: %s\n"), record_path, error->message);
      return KL_EXIT_BAD_INPUT;
    }
  v.problems = g_ptr_array_new_with_free_func (g_free);
  v.unreadable = g_ptr_array_new_with_free_func (g_free);
  v.checked = g_ptr_array_new_with_free_func (g_free);
  v.excel_safe = json_object_get_boolean_member_with_default (v.record.root, "excel_safe", FALSE);
  is_draw = json_object_has_member (v.record.root, "draw");
  k = (guint) json_object_get_int_member_with_default (v.record.root, "number_wanted", 0);

  check_inputs (&v, options);
  check_files (&v);
  check_distribution (&v, options);
  if (json_object_has_member (v.record.root, "lottery_record"))
    {
      g_autofree char *path = kl_cli_record_check_file (&v.record, _("The lottery's record"),
                                                        kl_cli_record_get (&v.record, "lottery_record", "name", NULL),
                                                        kl_cli_record_get (&v.record, "lottery_record", "sha256", NULL),
                                                        NULL, v.problems, v.unreadable);
    }

  {
    g_autoptr(GPtrArray) ignored = g_ptr_array_new_with_free_func (g_free);

    /* Mismatches of these files were reported above. */
    status = kl_cli_record_load_inputs (&v.record, options->people_path, options->already_selected_path,
                                        &v.loaded, ignored, v.unreadable);
  }
  check_quota_changes (&v);
  if (v.loaded.pool != NULL)
    {
      if (is_draw)
        check_draw (&v, k);
      else
        check_run (&v, k);
      if (!is_draw && !options->no_rerun)
        check_rerun (&v, k);
    }

  for (guint i = 0; i < v.problems->len; i++)
    printf ("MISMATCH: %s\n", (char *) g_ptr_array_index (v.problems, i));
  for (guint i = 0; i < v.unreadable->len; i++)
    printf ("UNREADABLE: %s\n", (char *) g_ptr_array_index (v.unreadable, i));
  for (guint i = 0; i < v.checked->len; i++)
    printf ("%s\n", (char *) g_ptr_array_index (v.checked, i));

  if (v.problems->len > 0)
    status = KL_EXIT_FAILED;
  else if (v.unreadable->len > 0 || status != KL_EXIT_OK)
    status = KL_EXIT_BAD_INPUT;
  else
    {
      printf (_("Verified: %s and every file it names match.\n"), record_path);
      status = KL_EXIT_OK;
    }

  kl_cli_inputs_clear (&v.loaded);
  kl_cli_record_clear (&v.record);
  g_ptr_array_unref (v.problems);
  g_ptr_array_unref (v.unreadable);
  g_ptr_array_unref (v.checked);
  return status;
}

int
kl_cli_verify (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("RECORD"));
  g_autoptr(GError) error = NULL;
  VerifyOptions options = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "people-csv", 'p', 0, G_OPTION_ARG_FILENAME, &options.people_path,
      N_("The pool, if it is not beside the record or where the record says"), N_("FILE") },
    { "already-selected-csv", 'a', 0, G_OPTION_ARG_FILENAME, &options.already_selected_path,
      N_("The already-selected people, if not beside the record"), N_("FILE") },
    { "distribution", 'd', 0, G_OPTION_ARG_FILENAME, &options.distribution_path,
      N_("The published distribution, if not beside the record"), N_("FILE") },
    { "no-rerun", 0, 0, G_OPTION_ARG_NONE, &options.no_rerun,
      N_("Do not run a seeded selection again"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Check an audit record (report.json or draw.json) against the "
                                           "files it names. Exit 0: verified; 1: a mismatch; 3: unreadable."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = kl_cli_usage_error ("verify", "%s", error->message);
  else if (argc != 2)
    status = kl_cli_usage_error ("verify", "%s", _("give one audit record, e.g. report.json"));
  else
    status = verify_main (argv[1], &options);

  g_free (options.people_path);
  g_free (options.already_selected_path);
  g_free (options.distribution_path);
  return status;
}
