/* test-export.c — a run's result set: its own inputs, written all or nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *quotas_csv =
  "feature,value,min,max\ngender,male,1,2\ngender,female,1,2\nage,young,1,2\nage,old,1,2\n";
static const char *pool_csv =
  "id,name,gender,age,home\n1,Ann,male,young,a\n2,Bo,male,old,b\n3,Cy,female,young,c\n"
  "4,Di,female,old,d\n5,Ed,male,young,e\n6,Fa,male,old,f\n7,Gu,female,young,g\n8,Ho,female,old,h\n";
static const char *other_pool_csv =
  "id,name,gender,age,home\n11,Ik,male,young,i\n12,Jo,male,old,j\n13,Ka,female,young,k\n"
  "14,Lu,female,old,l\n15,Mo,male,young,m\n16,Ny,female,old,n\n";
static const char *settings_toml =
  "id_column = \"id\"\ncolumns_to_keep = [\"name\"]\ncheck_same_address = true\n"
  "check_same_address_columns = [\"home\"]\n";

typedef struct {
  char *folder;
  char *quotas;
  char *pool;
  char *settings;
  KlSettings *loaded_settings;
  KlQuotas *loaded_quotas;
} Files;

static void
files_write (Files      *files,
             const char *tag,
             const char *pool_text)
{
  g_autofree char *q = g_strdup_printf ("%s-quotas.csv", tag);
  g_autofree char *p = g_strdup_printf ("%s-pool.csv", tag);
  g_autofree char *s = g_strdup_printf ("%s-settings.toml", tag);
  g_autoptr(GError) error = NULL;

  files->folder = g_dir_make_tmp ("kleroterion-export-XXXXXX", NULL);
  files->quotas = kl_test_write_file (q, quotas_csv);
  files->pool = kl_test_write_file (p, pool_text);
  files->settings = kl_test_write_file (s, settings_toml);
  files->loaded_settings = kl_settings_load_file (files->settings, NULL, &error);
  g_assert_no_error (error);
  files->loaded_quotas = kl_quotas_load_file (files->quotas, 0, NULL, &error);
  g_assert_no_error (error);
}

static void
files_clear (Files *files)
{
  g_free (files->folder);
  g_free (files->quotas);
  g_free (files->pool);
  g_free (files->settings);
  kl_settings_free (files->loaded_settings);
  kl_quotas_unref (files->loaded_quotas);
}

static KlRun *
run_on (KlPool           *pool,
        const KlSettings *settings,
        KlAlgorithm       algorithm,
        int               k,
        int               n_panels)
{
  g_autoptr(GError) error = NULL;
  KlRunParams params;
  KlRun *run;

  kl_run_params_init (&params, settings);
  params.number_wanted = k;
  params.algorithm = algorithm;
  params.seed = 7;
  params.number_selections = n_panels;
  run = kl_run_new (pool, settings, NULL, &params);
  kl_run_execute (run, NULL, NULL, &error);
  g_assert_no_error (error);
  return run;
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static char *
read_text (const char *folder,
           const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static JsonObject *
load_record (JsonParser *parser,
             const char *folder)
{
  g_autofree char *path = g_build_filename (folder, "report.json", NULL);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Nothing but @names (and no hidden leftovers) in @folder. */
static void
assert_folder_holds (const char         *folder,
                     const char * const *names)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_true (g_strv_contains (names, name));
      n++;
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) names));
}

/* Run, then open another pool, then export: the export is the first run's,
 * with its own inputs and the hashes of the bytes it read. */
static void
test_export_names_the_runs_own_inputs (void)
{
  Files a = { 0 }, b = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPool) pool_a = NULL;
  g_autoptr(KlPool) pool_b = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *sha_pool = NULL, *sha_quotas = NULL, *sha_settings = NULL;
  g_autofree char *selected = NULL;
  JsonObject *record, *inputs, *files;
  GList *roles;

  files_write (&a, "a", pool_csv);
  pool_a = kl_pool_load_file (a.pool, a.loaded_quotas, a.loaded_settings, NULL, &error);
  g_assert_no_error (error);
  run = run_on (pool_a, a.loaded_settings, KL_ALGORITHM_LEGACY, 4, 1);

  /* The organiser opens other files; the run keeps its own. */
  files_write (&b, "b", other_pool_csv);
  pool_b = kl_pool_load_file (b.pool, b.loaded_quotas, b.loaded_settings, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&pool_a, kl_pool_unref);

  g_assert_true (kl_export_to_folder (run, b.folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_no_error (error);

  sha_pool = file_sha256 (a.pool);
  sha_quotas = file_sha256 (a.quotas);
  sha_settings = file_sha256 (a.settings);
  record = load_record (parser, b.folder);
  inputs = json_object_get_object_member (record, "inputs");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (inputs, "people"), "name"), ==, a.pool);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (inputs, "people"), "sha256"), ==, sha_pool);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (inputs, "features"), "sha256"), ==, sha_quotas);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (inputs, "settings"), "sha256"), ==, sha_settings);

  /* The panel is the first pool's people. */
  selected = read_text (b.folder, "selected.csv");
  g_assert_true (g_str_has_prefix (selected, "id,name,home,gender,age\r\n"));
  g_assert_null (strstr (selected, "\r\n1" "1,"));

  /* Every other file of the set is named with the hash of its bytes. */
  files = json_object_get_object_member (record, "files");
  roles = json_object_get_members (files);
  g_assert_cmpuint (g_list_length (roles), ==, 5);   /* selected, remaining, quotas, html, workbook */
  for (GList *l = roles; l != NULL; l = l->next)
    {
      JsonObject *file = json_object_get_object_member (files, l->data);
      g_autofree char *path = g_build_filename (b.folder, json_object_get_string_member (file, "name"), NULL);
      g_autofree char *sha = file_sha256 (path);

      g_assert_cmpstr (json_object_get_string_member (file, "sha256"), ==, sha);
    }
  g_list_free (roles);

  files_clear (&a);
  files_clear (&b);
}

static void
test_remaining_marks_shared_addresses (void)
{
  static const char *shared_pool =
    "id,name,gender,age,home\n1,Ann,male,young,a\n2,Bo,male,old,a\n3,Cy,female,young,c\n"
    "4,Di,female,old,d\n5,Ed,male,young,e\n6,Fa,male,old,f\n7,Gu,female,young,g\n8,Ho,female,old,h\n";
  Files a = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autofree char *remaining = NULL;

  files_write (&a, "shared", shared_pool);
  pool = kl_pool_load_file (a.pool, a.loaded_quotas, a.loaded_settings, NULL, &error);
  g_assert_no_error (error);
  run = run_on (pool, a.loaded_settings, KL_ALGORITHM_LEGACY, 4, 1);
  g_assert_true (kl_export_to_folder (run, a.folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_no_error (error);

  remaining = read_text (a.folder, "remaining.csv");
  g_assert_true (g_str_has_prefix (remaining, "id,name,home,gender,age,shares_address\r\n"));
  files_clear (&a);
}

/* Quotas relaxed after an infeasible run: the record gives both bounds of
 * every changed value, and quotas-used.csv is what the panel was drawn with. */
static void
test_relaxation_recorded (void)
{
  /* Each bound alone can be met, together they cannot: every man is young. */
  static const char *tight =
    "feature,value,min,max\ngender,male,3,3\ngender,female,1,1\nage,young,1,1\nage,old,3,3\n";
  static const char *split =
    "id,name,gender,age,home\n1,Ann,male,young,a\n2,Bo,male,young,b\n3,Cy,male,young,c\n"
    "4,Di,male,young,d\n5,Ed,female,old,e\n6,Fa,female,old,f\n7,Gu,female,old,g\n8,Ho,female,old,h\n";
  g_autofree char *quotas_path = kl_test_write_file ("tight-quotas.csv", tight);
  g_autofree char *pool_path = kl_test_write_file ("split-pool.csv", split);
  g_autofree char *folder = g_dir_make_tmp ("kleroterion-relax-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *settings_path = kl_test_write_file ("relax-settings.toml", "id_column = \"id\"\n");
  g_autoptr(KlSettings) settings = kl_settings_load_file (settings_path, NULL, NULL);
  g_autoptr(KlQuotas) quotas = kl_quotas_load_file (quotas_path, 4, NULL, &error);
  g_autoptr(KlPool) pool = kl_pool_load_file (pool_path, quotas, settings, NULL, &error);
  g_autoptr(KlPool) relaxed_pool = NULL;
  g_autoptr(KlRun) failed = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *quotas_used = NULL;
  g_autofree char *expected_csv = NULL;
  g_autofree char *quotas_sha = NULL;
  KlQuotas *suggested;
  KlRunParams params;
  JsonObject *record, *used;
  JsonArray *changed;

  g_assert_no_error (error);
  kl_run_params_init (&params, settings);
  params.number_wanted = 4;
  params.algorithm = KL_ALGORITHM_MAXIMIN;
  params.seed = 3;
  failed = kl_run_new (pool, settings, NULL, &params);
  g_assert_false (kl_run_execute (failed, NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_INFEASIBLE);
  g_clear_error (&error);
  suggested = kl_run_get_suggested_quotas (failed);
  g_assert_nonnull (suggested);

  relaxed_pool = kl_pool_load_file (pool_path, suggested, settings, NULL, &error);
  g_assert_no_error (error);
  run = kl_run_new (relaxed_pool, settings, NULL, &params);
  g_assert_true (kl_run_execute (run, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kl_run_get_quotas (run) == suggested);
  g_assert_true (kl_export_to_folder (run, folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_no_error (error);

  record = load_record (parser, folder);
  /* The input is still the file as read, with its own hash. */
  quotas_sha = file_sha256 (quotas_path);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (record, "inputs"), "features"), "sha256"), ==, quotas_sha);

  used = json_object_get_object_member (record, "quotas_used");
  changed = json_object_get_array_member (used, "changed");
  g_assert_cmpuint (json_array_get_length (changed), >, 0);
  for (guint i = 0; i < json_array_get_length (changed); i++)
    {
      JsonObject *change = json_array_get_object_element (changed, i);
      JsonObject *original = json_object_get_object_member (change, "original");
      JsonObject *applied = json_object_get_object_member (change, "applied");
      int f = kl_quotas_find_feature (suggested, json_object_get_string_member (change, "feature"));
      int v = kl_quotas_find_value (suggested, f, json_object_get_string_member (change, "value"));
      const KlQuotaValue *in_file = kl_quotas_get_value (quotas, f, v);
      const KlQuotaValue *applied_value = kl_quotas_get_value (suggested, f, v);

      g_assert_cmpint (json_object_get_int_member (original, "min"), ==, in_file->min);
      g_assert_cmpint (json_object_get_int_member (original, "max"), ==, in_file->max);
      g_assert_cmpint (json_object_get_int_member (applied, "min"), ==, applied_value->min);
      g_assert_cmpint (json_object_get_int_member (applied, "max"), ==, applied_value->max);
      g_assert_true (in_file->min != applied_value->min || in_file->max != applied_value->max);
    }

  /* verify agrees, and notices a change the record keeps quiet about. */
  {
    g_autofree char *record_path = g_build_filename (folder, "report.json", NULL);
    g_autofree char *out = NULL;
    g_autofree char *text = NULL;
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    int status;

    g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) g_getenv ("KL_CLI"), (char *) "verify", record_path, NULL },
                                 NULL, 0, NULL, NULL, &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_clear_pointer (&out, g_free);

    json_object_set_array_member (used, "changed", json_array_new ());
    json_generator_set_root (generator, json_parser_get_root (parser));
    text = json_generator_to_data (generator, NULL);
    g_assert_true (g_file_set_contents (record_path, text, -1, NULL));
    g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) g_getenv ("KL_CLI"), (char *) "verify", record_path, NULL },
                                 NULL, 0, NULL, NULL, &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
    g_assert_nonnull (strstr (out, "and the record does not say so"));
  }

  quotas_used = read_text (folder, "quotas-used.csv");
  expected_csv = kl_quotas_to_csv (suggested);
  g_assert_cmpstr (quotas_used, ==, expected_csv);
  {
    g_autofree char *path = g_build_filename (folder, "quotas-used.csv", NULL);
    g_autofree char *sha = file_sha256 (path);
    g_assert_cmpstr (json_object_get_string_member (used, "sha256"), ==, sha);
  }
}

static KlRun *
small_run (Files   *files,
           KlPool **pool)
{
  g_autoptr(GError) error = NULL;

  files_write (files, "set", pool_csv);
  *pool = kl_pool_load_file (files->pool, files->loaded_quotas, files->loaded_settings, NULL, &error);
  g_assert_no_error (error);
  return run_on (*pool, files->loaded_settings, KL_ALGORITHM_MAXIMIN, 4, 1);
}

static const char * const maximin_set[] = {
  "selected.csv", "remaining.csv", "probabilities.csv", "distribution.csv", "quotas-used.csv",
  "report.html", "report.json", "selection.xlsx", NULL
};

/* Old files in the folder stay as they were, byte for byte. */
static void
write_old_set_but (const char *folder,
                   const char *missing)
{
  for (guint i = 0; maximin_set[i] != NULL; i++)
    if (g_strcmp0 (maximin_set[i], missing) != 0)
    {
      g_autofree char *path = g_build_filename (folder, maximin_set[i], NULL);
      g_autofree char *text = g_strdup_printf ("old %s\n", maximin_set[i]);

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
    }
}

static void
assert_old_set_but (const char *folder,
                    const char *missing)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; maximin_set[i] != NULL; i++)
    if (g_strcmp0 (maximin_set[i], missing) != 0)
      {
        g_autofree char *text = read_text (folder, maximin_set[i]);
        g_autofree char *expected = g_strdup_printf ("old %s\n", maximin_set[i]);

        g_assert_cmpstr (text, ==, expected);
        g_ptr_array_add (names, (gpointer) maximin_set[i]);
      }
  g_ptr_array_add (names, NULL);
  assert_folder_holds (folder, (const char * const *) names->pdata);
}

#define write_old_set(folder) write_old_set_but (folder, NULL)
#define assert_old_set(folder) assert_old_set_but (folder, NULL)

static void
test_overwrite_refused_then_forced (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) existing = NULL;
  g_autofree char *probabilities = NULL;
  g_auto(GStrv) lines = NULL;
  double sum = 0;

  write_old_set (files.folder);
  g_assert_false (kl_export_to_folder (run, files.folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "selected.csv"));
  assert_old_set (files.folder);

  existing = kl_export_find_existing (run, files.folder);
  g_assert_cmpuint (g_strv_length (existing), ==, g_strv_length ((char **) maximin_set));

  g_clear_error (&error);
  g_assert_true (kl_export_to_folder (run, files.folder, KL_EXPORT_REPLACE, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_folder_holds (files.folder, maximin_set);

  /* Probabilities to every digit: they sum to the panel size. */
  probabilities = read_text (files.folder, "probabilities.csv");
  lines = g_strsplit (probabilities, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    sum += g_ascii_strtod (strchr (lines[i], ',') + 1, NULL);
  g_assert_cmpfloat_with_epsilon (sum, 4.0, 1e-9);
  files_clear (&files);
}

/* One file of the set cannot be replaced: nothing new is written and the
 * old files stay, even those that could have been replaced. */
static void
test_read_only_file_stops_the_whole_set (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(GError) error = NULL;
  g_autofree char *protected = NULL;

  write_old_set (files.folder);
  protected = g_build_filename (files.folder, "report.json", NULL);
  g_assert_cmpint (g_chmod (protected, 0444), ==, 0);

  g_assert_false (kl_export_to_folder (run, files.folder, KL_EXPORT_REPLACE, NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "report.json"));
  assert_old_set (files.folder);
  g_chmod (protected, 0644);
  files_clear (&files);
}

/* A reporter that, once the files are being written, makes the last one
 * impossible to put in place: the failure comes after other files were
 * already renamed over the old ones, which must come back. */
#define TEST_TYPE_SABOTEUR (test_saboteur_get_type ())
G_DECLARE_FINAL_TYPE (TestSaboteur, test_saboteur, TEST, SABOTEUR, GObject)

struct _TestSaboteur {
  GObject parent_instance;
  char *blocked;
};

static gboolean
saboteur_start (KlProgressReporter *reporter, const char *name, gint64 total,
                const char *message, GError **error)
{
  return TRUE;
}

static gboolean
saboteur_update (KlProgressReporter *reporter, gint64 current, const char *message, GError **error)
{
  TestSaboteur *self = TEST_SABOTEUR (reporter);
  g_autofree char *inside = g_build_filename (self->blocked, "x", NULL);

  /* A folder (not empty) where the last file goes: rename() cannot replace it. */
  if (!g_file_test (self->blocked, G_FILE_TEST_IS_DIR))
    {
      g_assert_cmpint (g_mkdir (self->blocked, 0755), ==, 0);
      g_assert_true (g_file_set_contents (inside, "x", -1, NULL));
    }
  return TRUE;
}

static gboolean
saboteur_end (KlProgressReporter *reporter, GError **error)
{
  return TRUE;
}

static void
saboteur_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = saboteur_start;
  iface->update = saboteur_update;
  iface->end_phase = saboteur_end;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSaboteur, test_saboteur, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, saboteur_iface_init))

static void
test_saboteur_finalize (GObject *object)
{
  g_free (TEST_SABOTEUR (object)->blocked);
  G_OBJECT_CLASS (test_saboteur_parent_class)->finalize (object);
}

static void
test_saboteur_class_init (TestSaboteurClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_saboteur_finalize;
}

static void
test_saboteur_init (TestSaboteur *self)
{
}

static void
test_failure_after_renames_restores_old_files (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(TestSaboteur) saboteur = g_object_new (TEST_TYPE_SABOTEUR, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *inside = NULL;

  /* The workbook is the last file of the set to be put in place; it is new,
   * the others replace old ones. */
  write_old_set_but (files.folder, "selection.xlsx");
  saboteur->blocked = g_build_filename (files.folder, "selection.xlsx", NULL);

  g_assert_false (kl_export_to_folder (run, files.folder, KL_EXPORT_REPLACE,
                                       KL_PROGRESS_REPORTER (saboteur), NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);

  /* Everything else is back as it was; the sabotage is all that changed. */
  inside = g_build_filename (saboteur->blocked, "x", NULL);
  g_assert_cmpint (g_unlink (inside), ==, 0);
  g_assert_cmpint (g_rmdir (saboteur->blocked), ==, 0);
  assert_old_set_but (files.folder, "selection.xlsx");
  files_clear (&files);
}

static void
test_cancel_while_writing (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  write_old_set (files.folder);
  reporter->cancel_at_update = g_object_ref (cancellable);
  reporter->cancel_after = 1;
  reporter->cancel_in_phase = g_strdup ("write_files");

  g_assert_false (kl_export_to_folder (run, files.folder, KL_EXPORT_REPLACE,
                                       KL_PROGRESS_REPORTER (reporter), cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_old_set (files.folder);
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start write_files"), ==, 1);
  files_clear (&files);
}

/* Two outputs on one path, or an output that is an input: refused before
 * anything is written. */
static void
test_paths_refused_before_writing (void)
{
  g_autofree char *folder = g_dir_make_tmp ("kleroterion-paths-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (folder, "a.csv", NULL);
  g_autofree char *a_again = g_build_filename (folder, ".", "a.csv", NULL);
  g_autofree char *input = kl_test_write_file ("an-input.csv", "x\n");
  g_autofree char *missing = g_build_filename (folder, "no-such-folder", "b.csv", NULL);
  g_autoptr(GError) error = NULL;
  const char *inputs[] = { input, NULL };

  g_assert_false (kl_file_set_check_paths ((const char *[]) { a, a_again, NULL }, inputs, FALSE, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "Two outputs"));
  g_clear_error (&error);

  g_assert_false (kl_file_set_check_paths ((const char *[]) { a, input, NULL }, inputs, TRUE, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_clear_error (&error);

  g_assert_false (kl_file_set_check_paths ((const char *[]) { missing, NULL }, inputs, TRUE, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_clear_error (&error);

  g_assert_true (kl_file_set_check_paths ((const char *[]) { a, NULL }, inputs, FALSE, &error));
  g_assert_no_error (error);
}

/* A lottery of N panels: the panels and the distribution, whose SHA-256 in
 * the record is that of distribution.csv's bytes; nobody is "selected". */
static void
test_lottery_set (void)
{
  Files files = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *distribution = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *panels = NULL;
  JsonObject *record;
  const char * const lottery_set[] = {
    "panels.csv", "probabilities.csv", "distribution.csv", "quotas-used.csv",
    "report.html", "report.json", "selection.xlsx", NULL
  };

  files_write (&files, "lottery", pool_csv);
  pool = kl_pool_load_file (files.pool, files.loaded_quotas, files.loaded_settings, NULL, &error);
  g_assert_no_error (error);
  run = run_on (pool, files.loaded_settings, KL_ALGORITHM_MAXIMIN, 4, 6);
  g_assert_true (kl_export_to_folder (run, files.folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_folder_holds (files.folder, lottery_set);

  distribution = g_build_filename (files.folder, "distribution.csv", NULL);
  digest = file_sha256 (distribution);
  record = load_record (parser, files.folder);
  g_assert_cmpstr (json_object_get_string_member (record, "distribution_sha256"), ==, digest);
  {
    g_autofree char *from_run = kl_run_get_distribution_digest (run);
    g_assert_cmpstr (from_run, ==, digest);
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "panels")), ==, 6);
  panels = read_text (files.folder, "panels.csv");
  g_assert_true (g_str_has_prefix (panels, "Panel 1,Panel 2,Panel 3,Panel 4,Panel 5,Panel 6\r\n"));
  files_clear (&files);
}

static void
test_excel_safe (void)
{
  g_autofree char *a = kl_output_neutralise_cell ("=HYPERLINK(\"x\")");
  g_autofree char *b = kl_output_neutralise_cell ("+44 7700");
  g_autofree char *c = kl_output_neutralise_cell ("@SUM(A1)");
  g_autofree char *d = kl_output_neutralise_cell ("-1+2");
  g_autofree char *e = kl_output_neutralise_cell ("Ann");
  g_autofree char *f = kl_output_neutralise_cell ("");

  g_assert_cmpstr (a, ==, "'=HYPERLINK(\"x\")");
  g_assert_cmpstr (b, ==, "'+44 7700");
  g_assert_cmpstr (c, ==, "'@SUM(A1)");
  g_assert_cmpstr (d, ==, "'-1+2");
  g_assert_cmpstr (e, ==, "Ann");
  g_assert_cmpstr (f, ==, "");
}

/* Panel (number mod N), a remainder of 0 meaning panel N; numbers of any
 * length, digit by digit. */
static void
test_draw_panel_number (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (kl_draw_panel_number ("1", 6, NULL), ==, 1);
  g_assert_cmpuint (kl_draw_panel_number ("6", 6, NULL), ==, 6);
  g_assert_cmpuint (kl_draw_panel_number ("7", 6, NULL), ==, 1);
  g_assert_cmpuint (kl_draw_panel_number ("0", 6, NULL), ==, 6);
  g_assert_cmpuint (kl_draw_panel_number (" 2026 ", 10, NULL), ==, 6);
  /* 10^30 + 7 ≡ 10^30 ≡ 1 (mod 7): panel 1 of 7. */
  g_assert_cmpuint (kl_draw_panel_number ("1000000000000000000000000000007", 7, NULL), ==, 1);
  g_assert_cmpuint (kl_draw_panel_number ("12a", 6, &error), ==, 0);
  g_assert_error (error, KL_ERROR, KL_ERROR_CONFIGURATION);
}

/* The window's "Draw a Panel" step: the drawn panel is the one the number
 * picks, the record names the number and the distribution's hash, and an
 * earlier draw is not replaced unless asked. */
static void
test_draw_run_to_folder (void)
{
  Files files = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *record_path = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(KlTable) selected = NULL;
  g_autofree char *selected_path = NULL;
  JsonObject *record, *draw;
  guint number = 0, k;
  const guint *panel;

  files_write (&files, "draw", pool_csv);
  pool = kl_pool_load_file (files.pool, files.loaded_quotas, files.loaded_settings, NULL, &error);
  g_assert_no_error (error);
  run = run_on (pool, files.loaded_settings, KL_ALGORITHM_MAXIMIN, 4, 5);

  g_assert_true (kl_draw_run_to_folder (run, "13", files.folder, KL_EXPORT_NONE, &number, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (number, ==, 3);

  selected_path = g_build_filename (files.folder, "selected.csv", NULL);
  selected = kl_table_read_file (selected_path, NULL, NULL);
  panel = kl_run_get_panel (run, 2, &k);
  g_assert_cmpuint (selected->n_rows, ==, k);
  for (guint i = 0; i < k; i++)
    g_assert_cmpstr (kl_table_get_cell (selected, i, 0), ==, kl_pool_get_id (pool, panel[i]));

  record_path = g_build_filename (files.folder, "draw.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, record_path, NULL));
  record = json_node_get_object (json_parser_get_root (parser));
  draw = json_object_get_object_member (record, "draw");
  digest = kl_run_get_distribution_digest (run);
  g_assert_cmpstr (json_object_get_string_member (record, "distribution_sha256"), ==, digest);
  g_assert_cmpstr (json_object_get_string_member (draw, "public_number"), ==, "13");
  g_assert_cmpint (json_object_get_int_member (draw, "panel_number"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (draw, "number_of_panels"), ==, 5);

  g_assert_false (kl_draw_run_to_folder (run, "14", files.folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (kl_draw_run_to_folder (run, "14", files.folder, KL_EXPORT_REPLACE, &number, NULL, &error));
  g_assert_cmpuint (number, ==, 4);
  files_clear (&files);
}

/* Hidden files a killed writer left are removed by the next write into
 * the folder; those of a live writer are not touched. */
static void
test_leftovers_swept (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(GError) error = NULL;
  g_autofree char *dead = NULL;
  g_autofree char *alive = NULL;
  g_autofree char *dead_name = NULL;
  g_autofree char *alive_name = g_strdup_printf (".kleroterion-%d-0.new", (int) getppid ());
  int pid = 4000000;

  /* A process id nobody has. */
  while (kill (pid, 0) == 0 || errno != ESRCH)
    pid--;
  dead_name = g_strdup_printf (".kleroterion-%d-3.old", pid);
  dead = g_build_filename (files.folder, dead_name, NULL);
  alive = g_build_filename (files.folder, alive_name, NULL);
  g_assert_true (g_file_set_contents (dead, "left by a killed writer", -1, NULL));
  g_assert_true (g_file_set_contents (alive, "being written", -1, NULL));

  g_assert_true (kl_export_to_folder (run, files.folder, KL_EXPORT_NONE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alive, G_FILE_TEST_EXISTS));
  g_assert_nonnull (kl_run_get_time (run));
  files_clear (&files);
}

/* A replaced file keeps its permissions: a panel kept private stays so. */
static void
test_permissions_kept (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = g_build_filename (files.folder, "selected.csv", NULL);
  g_autofree char *remaining = g_build_filename (files.folder, "remaining.csv", NULL);
  GStatBuf st;

  g_assert_true (g_file_set_contents (selected, "old", -1, NULL));
  g_assert_cmpint (g_chmod (selected, 0600), ==, 0);
  g_assert_true (kl_export_to_folder (run, files.folder, KL_EXPORT_REPLACE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (selected, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (remaining, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  files_clear (&files);
}

/* The window's export follows the rules of every output: a link in the
 * folder to a device is followed and the device written in place, and
 * when it fails (a full disk), every replaced file is put back. */
static void
test_device_in_folder (void)
{
  Files files = { 0 };
  g_autoptr(KlPool) pool = NULL;
  g_autoptr(KlRun) run = small_run (&files, &pool);
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  struct stat link_stat;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full here");
      files_clear (&files);
      return;
    }
  write_old_set_but (files.folder, "selected.csv");
  link = g_build_filename (files.folder, "selected.csv", NULL);
  g_assert_cmpint (symlink ("/dev/full", link), ==, 0);

  g_assert_false (kl_export_to_folder (run, files.folder, KL_EXPORT_EXCEL_SAFE | KL_EXPORT_REPLACE,
                                       NULL, NULL, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "selected.csv"));
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_assert_cmpint (lstat (link, &link_stat), ==, 0);
  g_assert_true (S_ISLNK (link_stat.st_mode));
  g_assert_cmpint (g_unlink (link), ==, 0);
  assert_old_set_but (files.folder, "selected.csv");
  files_clear (&files);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/export/own-inputs", test_export_names_the_runs_own_inputs);
  g_test_add_func ("/export/shares-address", test_remaining_marks_shared_addresses);
  g_test_add_func ("/export/relaxation-recorded", test_relaxation_recorded);
  g_test_add_func ("/export/overwrite-refused-then-forced", test_overwrite_refused_then_forced);
  g_test_add_func ("/export/read-only-file", test_read_only_file_stops_the_whole_set);
  g_test_add_func ("/export/failure-after-renames", test_failure_after_renames_restores_old_files);
  g_test_add_func ("/export/cancel-while-writing", test_cancel_while_writing);
  g_test_add_func ("/export/paths-refused", test_paths_refused_before_writing);
  g_test_add_func ("/export/lottery", test_lottery_set);
  g_test_add_func ("/export/excel-safe", test_excel_safe);
  g_test_add_func ("/export/leftovers-swept", test_leftovers_swept);
  g_test_add_func ("/export/permissions-kept", test_permissions_kept);
  g_test_add_func ("/export/draw-panel-number", test_draw_panel_number);
  g_test_add_func ("/export/draw-run-to-folder", test_draw_run_to_folder);
  g_test_add_func ("/export/device-in-folder", test_device_in_folder);

  return g_test_run ();
}
