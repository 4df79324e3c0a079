/* test-ui.c — the real window, driven as a person would, under Xvfb
 *
 * Each test leaves a screenshot in the build folder (tests/screenshots/)
 * for a person to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-window-private.h"
#include "kl-table-view.h"
#include "kl-progress-relay.h"

#include <adwaita.h>

static KlWindow *window;

static void
wait_until (gboolean (*done) (void),
            double     timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);

  while (!done ())
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %.0f s", timeout_s);
      g_usleep (1000);
    }
}

static gboolean
idle_for_a_moment (void)
{
  static gint64 until;

  if (until == 0)
    until = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  if (g_get_monotonic_time () < until)
    return FALSE;
  until = 0;
  return TRUE;
}

static void
settle (void)
{
  wait_until (idle_for_a_moment, 5);
}

static void
screenshot_widget (GtkWidget  *widget,
                   const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *folder = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  settle ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (folder, 0755);
  path = g_strdup_printf ("%s/%s.png", folder, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
screenshot (const char *name)
{
  screenshot_widget (GTK_WIDGET (window), name);
}

static void
show_page (const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name);
  settle ();
}

/* Progress seen during a run: the bar's fraction and the phase label. */
static guint fraction_changes, phase_changes;

static void
on_fraction (GObject *object, GParamSpec *pspec, gpointer data)
{
  fraction_changes++;
}

static void
on_phase (GObject *object, GParamSpec *pspec, gpointer data)
{
  phase_changes++;
}

static gboolean
not_running (void)
{
  return !kl_window_is_running (window);
}

static void
run_and_wait (void)
{
  GPtrArray *messages = kl_window_get_messages (window);

  for (guint i = 0; i < messages->len; i++)
    if (((KlMessage *) g_ptr_array_index (messages, i))->severity == KL_SEVERITY_ERROR)
      {
        g_autofree char *text = kl_message_to_located_string (g_ptr_array_index (messages, i));
        g_error ("the inputs have a problem: %s", text);
      }
  fraction_changes = phase_changes = 0;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  g_assert_true (kl_window_is_running (window));
  wait_until (not_running, 120);
  settle ();
}

static void
test_load_example (void)
{
  GtkListBoxRow *first;

  kl_window_load_example (window);
  settle ();
  g_assert_cmpuint (kl_table_view_get_n_rows (kl_window_get_preview_view (window)), ==, 300);
  g_assert_cmpuint (kl_messages_count (kl_window_get_messages (window), KL_SEVERITY_ERROR), ==, 0);
  first = gtk_list_box_get_row_at_index (kl_window_get_problems_list (window), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                   "No problems found: ready to select a panel");
  screenshot ("files-example");
  show_page ("selection");
  screenshot ("selection");
}

static void
test_run_legacy (void)
{
  KlRun *result;

  kl_window_load_example (window);
  kl_window_set_algorithm (window, KL_ALGORITHM_LEGACY);
  kl_window_set_panel_size (window, 30);
  kl_window_set_seed (window, "7");
  run_and_wait ();

  result = kl_window_get_result (window);
  g_assert_nonnull (result);
  g_assert_cmpint (kl_run_get_params (result)->algorithm, ==, KL_ALGORITHM_LEGACY);
  g_assert_cmpuint (phase_changes, >, 0);
  g_assert_cmpuint (fraction_changes, >, 0);
  /* One row per selected person. */
  g_assert_cmpuint (kl_table_view_get_n_rows (kl_window_get_panel_view (window)), ==, 30);
  screenshot ("results-legacy");
}

static void
test_run_maximin_and_export (void)
{
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-export-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GError) error = NULL;
  const char *files[] = { "selected.csv", "remaining.csv", "report.html", "report.json",
                          "probabilities.csv", "selection.xlsx" };
  g_autofree char *xlsx_path = g_build_filename (folder_path, "selection.xlsx", NULL);
  g_autofree char *xlsx = NULL;
  gsize length;

  kl_window_load_example (window);
  kl_window_set_algorithm (window, KL_ALGORITHM_MAXIMIN);
  kl_window_set_panel_size (window, 30);
  kl_window_set_seed (window, "3");
  run_and_wait ();

  g_assert_nonnull (kl_window_get_result (window));
  g_assert_nonnull (kl_run_get_probabilities (kl_window_get_result (window)));
  g_assert_cmpuint (phase_changes, >, 1);   /* two phases */
  g_assert_cmpuint (kl_table_view_get_n_rows (kl_window_get_panel_view (window)), ==, 30);
  g_assert_cmpuint (kl_probability_chart_get_n (kl_window_get_chart (window)), ==, 300);
  screenshot ("results-maximin");
  screenshot_widget (GTK_WIDGET (kl_window_get_chart (window)), "chart-maximin");

  g_assert_true (kl_window_export_to_folder (window, folder, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (folder_path, files[i], NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_true (g_file_get_contents (xlsx_path, &xlsx, &length, NULL));
  g_assert_cmpmem (xlsx, 2, "PK", 2);

  /* The JSON report is the audit record: seed, inputs with checksums. */
  {
    g_autofree char *json_path = g_build_filename (folder_path, "report.json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root, *inputs;

    g_assert_true (json_parser_load_from_file (parser, json_path, NULL));
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "random"), "seed"), ==, 3);
    inputs = json_object_get_object_member (root, "inputs");
    g_assert_cmpuint (strlen (json_object_get_string_member (json_object_get_object_member (inputs, "people"), "sha256")), ==, 64);
    g_assert_cmpuint (json_array_get_length (json_array_get_array_element (json_object_get_array_member (root, "panels"), 0)), ==, 30);
  }
}

/* A cell that looks like a formula stays text in the workbook. */
static void
test_spreadsheet_formulas_stay_text (void)
{
  g_autofree char *pool = kl_test_write_file ("formula-pool.csv",
                                              "id,name,gender\n1,\"=HYPERLINK(\"\"http://x\"\")\",f\n2,+44 7700,m\n"
                                              "3,@SUM(A1),f\n4,-1+2,m\n");
  g_autofree char *quotas = kl_test_write_file ("formula-quotas.csv", "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\n");
  g_autofree char *settings = kl_test_write_file ("formula.toml", "id_column = \"id\"\ncolumns_to_keep = [\"name\"]\n");
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-formula-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (folder_path, "selection.xlsx", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GFile) pool_file = g_file_new_for_path (pool);
  g_autoptr(GFile) quotas_file = g_file_new_for_path (quotas);
  g_autoptr(GFile) settings_file = g_file_new_for_path (settings);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;
  const char *check =
    "import sys, zipfile\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "sheets = [n for n in z.namelist() if n.startswith('xl/worksheets/')]\n"
    "text = ''.join(z.read(n).decode() for n in sheets)\n"
    "strings = z.read('xl/sharedStrings.xml').decode()\n"
    "assert '<f>' not in text and '<f ' not in text, 'a formula cell'\n"
    "assert '=HYPERLINK' in strings and '+44 7700' in strings and '@SUM(A1)' in strings\n"
    "print('ok')\n";

  kl_window_set_input (window, KL_INPUT_SETTINGS, settings_file);
  kl_window_set_input (window, KL_INPUT_QUOTAS, quotas_file);
  kl_window_set_input (window, KL_INPUT_POOL, pool_file);
  kl_window_set_algorithm (window, KL_ALGORITHM_LEGACY);
  kl_window_set_panel_size (window, 4);
  run_and_wait ();
  g_assert_nonnull (kl_window_get_result (window));
  g_assert_true (kl_window_export_to_folder (window, folder, &error));
  g_assert_no_error (error);

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "python3", (char *) "-c", (char *) check, xlsx, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "ok\n");
}

/* A generated pool of @n people with quotas for @k, as files opened in
 * @target — large enough that a maximin run takes a while. */
static void
open_generated (KlWindow   *target,
                const char *prefix,
                guint       n,
                guint       k)
{
  KlGeneratorOptions options;
  g_autofree char *pool_csv = NULL, *quotas_csv = NULL, *toml = NULL;
  g_autoptr(KlSettings) settings = NULL;
  g_autofree char *pool_name = g_strdup_printf ("%s-pool.csv", prefix);
  g_autofree char *quotas_name = g_strdup_printf ("%s-quotas.csv", prefix);
  g_autofree char *settings_name = g_strdup_printf ("%s.toml", prefix);
  g_autofree char *pool = NULL, *quotas = NULL, *settings_path = NULL;
  g_autoptr(GFile) pool_file = NULL;
  g_autoptr(GFile) quotas_file = NULL;
  g_autoptr(GFile) settings_file = NULL;

  kl_generator_options_init (&options);
  options.n_people = n;
  options.panel_size = k;
  options.household_share = 0;
  g_assert_true (kl_generate (&options, &pool_csv, &quotas_csv, &settings, NULL));
  toml = kl_settings_to_toml (settings);
  pool = kl_test_write_file (pool_name, pool_csv);
  quotas = kl_test_write_file (quotas_name, quotas_csv);
  settings_path = kl_test_write_file (settings_name, toml);
  pool_file = g_file_new_for_path (pool);
  quotas_file = g_file_new_for_path (quotas);
  settings_file = g_file_new_for_path (settings_path);

  kl_window_set_input (target, KL_INPUT_SETTINGS, settings_file);
  kl_window_set_input (target, KL_INPUT_QUOTAS, quotas_file);
  kl_window_set_input (target, KL_INPUT_POOL, pool_file);
  kl_window_set_algorithm (target, KL_ALGORITHM_MAXIMIN);
  kl_window_set_panel_size (target, k);
}

static gboolean
first_update_seen (void)
{
  return fraction_changes > 2 || !kl_window_is_running (window);
}

static void
test_cancel (void)
{
  KlRun *before;
  gint64 cancelled_at;

  open_generated (window, "big", 750, 112);
  before = kl_window_get_result (window);

  fraction_changes = phase_changes = 0;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (first_update_seen, 60);
  g_assert_true (kl_window_is_running (window));
  screenshot ("running");
  cancelled_at = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
  wait_until (not_running, 10);
  g_test_message ("stopped %.1f ms after Cancel", (g_get_monotonic_time () - cancelled_at) / 1e3);

  /* Cancelling is not an error, and the previous result stays. */
  g_assert_null (kl_window_get_last_error (window));
  g_assert_true (kl_window_get_result (window) == before);
}

/* Quotas no panel can meet: the error says why and proposes a change,
 * which one action applies; then the selection works. */
static void
test_apply_suggested_quotas (void)
{
  g_autofree char *pool = kl_test_write_file ("joint-pool.csv", "id,gender,age\n1,f,young\n2,f,young\n"
                                              "3,f,young\n4,m,old\n5,m,old\n6,m,old\n");
  g_autofree char *quotas = kl_test_write_file ("joint-quotas.csv", "feature,value,min,max\ngender,f,3,3\n"
                                                "gender,m,1,1\nage,young,1,1\nage,old,3,3\n");
  g_autofree char *settings = kl_test_write_file ("joint.toml", "id_column = \"id\"\n");
  g_autoptr(GFile) pool_file = g_file_new_for_path (pool);
  g_autoptr(GFile) quotas_file = g_file_new_for_path (quotas);
  g_autoptr(GFile) settings_file = g_file_new_for_path (settings);

  kl_window_set_input (window, KL_INPUT_SETTINGS, settings_file);
  kl_window_set_input (window, KL_INPUT_QUOTAS, quotas_file);
  kl_window_set_input (window, KL_INPUT_POOL, pool_file);
  kl_window_set_algorithm (window, KL_ALGORITHM_MAXIMIN);
  kl_window_set_panel_size (window, 4);
  run_and_wait ();
  g_assert_nonnull (kl_window_get_last_error (window));
  g_assert_nonnull (strstr (kl_window_get_last_error (window), "No panel can meet all the quotas"));
  g_assert_nonnull (strstr (kl_window_get_last_error (window), "lower the minimum"));
  screenshot ("infeasible");

  g_assert_true (kl_window_apply_suggested_quotas (window));
  kl_window_set_panel_size (window, 4);
  run_and_wait ();
  g_assert_nonnull (kl_window_get_result (window));
  g_assert_cmpuint (kl_table_view_get_n_rows (kl_window_get_panel_view (window)), ==, 4);
}

/* Files dropped on the window (or given on the command line) are sorted
 * into pool, quotas and settings by what they hold. */
static void
test_open_files_by_content (void)
{
  g_autofree char *settings = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", "settings.toml", NULL);
  g_autofree char *quotas = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", "quotas.csv", NULL);
  g_autofree char *pool = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", "pool.csv", NULL);
  const char *order[] = { pool, quotas, settings };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (order[i]);
      kl_window_open_file (window, file);
    }
  settle ();
  g_assert_cmpuint (kl_messages_count (kl_window_get_messages (window), KL_SEVERITY_ERROR), ==, 0);
  g_assert_cmpuint (kl_table_view_get_n_rows (kl_window_get_preview_view (window)), ==, 300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (kl_window_is_running (window));
  wait_until (not_running, 120);
  g_assert_nonnull (kl_window_get_result (window));
}

static gboolean closing_run_done;

static void
on_closed_window_gone (gpointer  data,
                       GObject  *where)
{
  closing_run_done = TRUE;
}

static gboolean
closed_window_finalized (void)
{
  return closing_run_done;
}

/* Closing a window during a run cancels the run; the window goes away once
 * the worker has stopped, and nothing crashes or leaks on the way. */
static void
test_close_during_run (void)
{
  KlWindow *other = kl_window_new (NULL);

  gtk_window_present (GTK_WINDOW (other));
  open_generated (other, "close", 750, 112);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (other), "win.run", NULL));
  g_assert_true (kl_window_is_running (other));

  closing_run_done = FALSE;
  g_object_weak_ref (G_OBJECT (other), on_closed_window_gone, NULL);
  gtk_window_close (GTK_WINDOW (other));
  wait_until (closed_window_finalized, 10);
}

/* The last choices come back in a new window. */
static void
test_remembers_choices (void)
{
  KlWindow *other;

  kl_window_load_example (window);
  kl_window_set_algorithm (window, KL_ALGORITHM_LEGACY);
  kl_window_set_panel_size (window, 30);
  run_and_wait ();

  other = kl_window_new (NULL);
  g_assert_cmpint (kl_window_get_algorithm (other), ==, KL_ALGORITHM_LEGACY);
  gtk_window_destroy (GTK_WINDOW (other));
  kl_window_set_algorithm (window, KL_ALGORITHM_MAXIMIN);
}

static void
test_bad_file (void)
{
  g_autofree char *quotas = kl_test_write_file ("bad-quotas.csv",
                                                "feature,value,min,max\ngender,Female,ten,20\n"
                                                "gender,Male,1,20\n");
  g_autoptr(GFile) file = g_file_new_for_path (quotas);
  GtkListBoxRow *row;
  const char *subtitle;

  kl_window_load_example (window);
  kl_window_set_input (window, KL_INPUT_QUOTAS, file);
  settle ();
  kl_assert_message (kl_window_get_messages (window), "not_a_number", 2, "min");
  row = gtk_list_box_get_row_at_index (kl_window_get_problems_list (window), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "“ten” is not a whole number (min).");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "line 2, column “min”"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL) &&
                  kl_window_is_running (window));
  show_page ("files");
  screenshot ("bad-file");
}

static GPtrArray *relayed;

static void
record_relayed (const char *phase,
                gint64      total,
                gint64      current,
                const char *message,
                gpointer    user_data)
{
  g_ptr_array_add (relayed, phase ? g_strdup_printf ("%s %" G_GINT64_FORMAT, phase, current)
                                  : g_strdup ("end"));
}

static gpointer
report_from_thread (gpointer data)
{
  KlProgressReporter *reporter = data;

  kl_progress_reporter_start_phase (reporter, "multiplicative_weights", 1000, "a", NULL);
  for (int i = 1; i <= 1000; i++)
    kl_progress_reporter_update (reporter, i, "a", NULL);
  kl_progress_reporter_end_phase (reporter, NULL);
  kl_progress_reporter_start_phase (reporter, "maximin_optimization", -1, "b", NULL);
  for (int i = 1; i <= 10; i++)
    kl_progress_reporter_update (reporter, i, "b", NULL);
  kl_progress_reporter_end_phase (reporter, NULL);
  return NULL;
}

/* Phase changes always arrive, in order, with the last update of each
 * phase before its end; the updates in between are coalesced. */
static void
test_relay (void)
{
  g_autoptr(KlProgressRelay) relay = NULL;
  GThread *thread;
  guint starts = 0, ends = 0;
  int a_end = -1, b_start = -1;

  relayed = g_ptr_array_new_with_free_func (g_free);
  relay = kl_progress_relay_new (record_relayed, NULL);
  thread = g_thread_new ("reporter", report_from_thread, relay);
  g_thread_join (thread);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  for (guint i = 0; i < relayed->len; i++)
    {
      const char *event = g_ptr_array_index (relayed, i);

      if (g_str_equal (event, "end"))
        {
          ends++;
          if (a_end < 0)
            a_end = i;
        }
      if (g_str_equal (event, "multiplicative_weights 0") || g_str_equal (event, "maximin_optimization 0"))
        starts++;
      if (g_str_equal (event, "maximin_optimization 0"))
        b_start = i;
    }
  g_assert_cmpuint (starts, ==, 2);
  g_assert_cmpuint (ends, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (relayed, 0), ==, "multiplicative_weights 0");
  g_assert_cmpstr (g_ptr_array_index (relayed, a_end - 1), ==, "multiplicative_weights 1000");
  g_assert_cmpint (b_start, ==, a_end + 1);
  g_assert_cmpstr (g_ptr_array_index (relayed, relayed->len - 2), ==, "maximin_optimization 10");
  /* Far fewer idles than the 1,014 events. */
  g_assert_cmpuint (kl_progress_relay_get_n_dispatches (relay), <, 10);
  g_ptr_array_unref (relayed);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  window = kl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (kl_window_get_progress_bar (window), "notify::fraction", G_CALLBACK (on_fraction), NULL);
  g_signal_connect (kl_window_get_phase_label (window), "notify::label", G_CALLBACK (on_phase), NULL);

  g_test_add_func ("/ui/relay", test_relay);
  g_test_add_func ("/ui/load-example", test_load_example);
  g_test_add_func ("/ui/run-legacy", test_run_legacy);
  g_test_add_func ("/ui/run-maximin-and-export", test_run_maximin_and_export);
  g_test_add_func ("/ui/spreadsheet-formulas-stay-text", test_spreadsheet_formulas_stay_text);
  g_test_add_func ("/ui/cancel", test_cancel);
  g_test_add_func ("/ui/apply-suggested-quotas", test_apply_suggested_quotas);
  g_test_add_func ("/ui/open-files-by-content", test_open_files_by_content);
  g_test_add_func ("/ui/remembers-choices", test_remembers_choices);
  g_test_add_func ("/ui/close-during-run", test_close_during_run);
  g_test_add_func ("/ui/bad-file", test_bad_file);

  return g_test_run ();
}
