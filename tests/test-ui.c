/* test-ui.c — the real window, driven as a person would, under Xvfb
 *
 * Every test gets a fresh window and checks at its end that the window is
 * finalized (nothing kept it alive). Tests wait for conditions — a load
 * done, a run finished, a frame drawn — with a time limit, never for a
 * fixed time. Screenshots of every page, light and dark, wide and narrow,
 * land in the build folder (tests/screenshots/) for a person to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-window-private.h"
#include "kl-table-view.h"
#include "kl-progress-relay.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#define WIDE 1100
#define NARROW 360

typedef struct {
  KlWindow *window;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done, failing the test after @timeout_s. The
 * timeout is a guard against a hang, not a measurement. */
static void
wait_until (Condition  done,
            gpointer   data,
            double     timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  guint timer = g_timeout_add (20, wake_up, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %.0f s (width %d)", timeout_s, GTK_IS_WIDGET (data) ? gtk_widget_get_width (data) : -1);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timer);
}

static gboolean
is_idle (gpointer data)
{
  KlWindow *window = data;
  return !kl_window_is_loading (window) && !kl_window_is_running (window);
}

static gboolean
is_loaded (gpointer data)
{
  return !kl_window_is_loading (data);
}

static gboolean
is_not_running (gpointer data)
{
  return !kl_window_is_running (data);
}

static gboolean frame_painted;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  frame_painted = TRUE;
}

static gboolean
was_painted (gpointer data)
{
  return frame_painted;
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

/* Waits until @widget's window has drawn a frame with everything queued
 * so far in it. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gulong handler;

  wait_until (has_size, widget, 10);
  clock = gtk_widget_get_frame_clock (widget);
  frame_painted = FALSE;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (widget);
  wait_until (was_painted, NULL, 10);
  g_signal_handler_disconnect (clock, handler);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = g_object_ref_sink (kl_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), WIDE, 900);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wait_until (is_idle, fixture->window, 60);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
}

/* Whether every table on screen under @widget has all its rows. */
static gboolean
tables_settled (gpointer data)
{
  GtkWidget *widget = data;

  if (GTK_IS_COLUMN_VIEW (widget) && gtk_widget_get_mapped (widget) &&
      !kl_table_view_is_settled (GTK_COLUMN_VIEW (widget)))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!tables_settled (child))
      return FALSE;
  return TRUE;
}

/* Saves what @widget shows, once its tables have their rows. Under load,
 * a widget whose window has not yet drawn it gives no render node: wait
 * for a frame and try again. */
static void
screenshot_widget (GtkWidget  *widget,
                   const char *name)
{
  g_autofree char *folder = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = g_strdup_printf ("%s/%s.png", folder, name);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = 0, height = 0;

  wait_until (tables_settled, widget, 30);
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      /* Two frames: some widgets (the view switcher) follow a change
       * only in the frame after it. */
      wait_for_frame (widget);
      wait_for_frame (widget);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (folder, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
show_page (KlWindow   *window,
           const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
}

static gboolean
width_is (gpointer data)
{
  GtkWidget *window = data;
  int wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "wanted-width"));

  /* Client-side decorations take a few pixels of the size asked for. */
  return gtk_widget_get_mapped (window) && ABS (gtk_widget_get_width (window) - wanted) <= 16;
}

static void
resize (KlWindow *window,
        int       width,
        int       height)
{
  GLogLevelFlags fatal;

  /* Without a window manager, a mapped window keeps its size: map it
   * again at the new one. Meanwhile GTK 4.8 may lay the window out once
   * before the new size arrives and warn about it (seen under
   * AddressSanitizer's slower timing): warnings are not fatal for this
   * step, which is the test's doing, and fatal again after it. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  g_object_set_data (G_OBJECT (window), "wanted-width", GINT_TO_POINTER (width));
  wait_until (width_is, window, 10);
  wait_for_frame (GTK_WIDGET (window));
  g_log_set_always_fatal (fatal);
}

/* Every page, light and dark, at 1,100 px and at 360 px. */
static void
screenshot_pages (KlWindow   *window,
                  const char *prefix)
{
  const char *pages[] = { "files", "selection", "results" };
  const struct { int width, height; const char *name; } sizes[] = {
    { WIDE, 900, "wide" }, { NARROW, 700, "narrow" },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      resize (window, sizes[s].width, sizes[s].height);
      for (guint dark = 0; dark < 2; dark++)
        {
          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
          for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
            {
              g_autofree char *name = g_strdup_printf ("%s-%s-%s-%s", prefix, pages[p], sizes[s].name,
                                                       dark ? "dark" : "light");
              show_page (window, pages[p]);
              screenshot_widget (GTK_WIDGET (window), name);
            }
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  resize (window, WIDE, 900);
}

static void
load_example (KlWindow *window)
{
  kl_window_load_example (window);
  g_assert_true (kl_window_is_loading (window));
  wait_until (is_loaded, window, 30);
}

static void
open_inputs (KlWindow   *window,
             const char *settings,
             const char *quotas,
             const char *pool)
{
  g_autoptr(GFile) settings_file = g_file_new_for_path (settings);
  g_autoptr(GFile) quotas_file = g_file_new_for_path (quotas);
  g_autoptr(GFile) pool_file = g_file_new_for_path (pool);
  GFile *files[] = { settings_file, quotas_file, pool_file };
  const KlInput roles[] = { KL_INPUT_SETTINGS, KL_INPUT_QUOTAS, KL_INPUT_POOL };

  kl_window_load (window, files, roles, G_N_ELEMENTS (files), NULL);
  wait_until (is_loaded, window, 30);
}

static KlSelectionPage *
selection (KlWindow *window)
{
  return kl_window_get_selection_page (window);
}

static GtkColumnView *
panel_view (KlWindow *window)
{
  return kl_results_page_get_panel_view (kl_window_get_results_page (window));
}

static GtkColumnView *
preview_view (KlWindow *window)
{
  return kl_files_page_get_preview_view (kl_window_get_files_page (window));
}

static void
assert_no_errors (KlWindow *window)
{
  GPtrArray *messages = kl_window_get_messages (window);

  for (guint i = 0; i < messages->len; i++)
    if (((KlMessage *) g_ptr_array_index (messages, i))->severity == KL_SEVERITY_ERROR)
      {
        g_autofree char *text = kl_message_to_located_string (g_ptr_array_index (messages, i));
        g_error ("the inputs have a problem: %s", text);
      }
}

static void
run_and_wait (KlWindow *window)
{
  assert_no_errors (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (kl_window_is_running (window));
  wait_until (is_not_running, window, 120);
}

/* A generated pool of @n people with quotas for @k, as files — large
 * enough that a maximin run takes a while. */
static void
open_generated (KlWindow   *window,
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

  kl_generator_options_init (&options);
  options.n_people = n;
  options.panel_size = k;
  options.household_share = 0;
  g_assert_true (kl_generate (&options, &pool_csv, &quotas_csv, &settings, NULL));
  toml = kl_settings_to_toml (settings);
  pool = kl_test_write_file (pool_name, pool_csv);
  quotas = kl_test_write_file (quotas_name, quotas_csv);
  settings_path = kl_test_write_file (settings_name, toml);
  open_inputs (window, settings_path, quotas, pool);
  kl_selection_page_set_algorithm (selection (window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (selection (window), k);
}

/* ---- files ------------------------------------------------------------------------- */

/* A cell under @widget that shows @text, or NULL. */
static GtkInscription *
find_cell (GtkWidget  *widget,
           const char *text)
{
  GtkInscription *found = NULL;

  if (GTK_IS_INSCRIPTION (widget) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    return GTK_INSCRIPTION (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child && !found; child = gtk_widget_get_next_sibling (child))
    found = find_cell (child, text);
  return found;
}

static gboolean
preview_settled (gpointer data)
{
  return kl_table_view_is_settled (preview_view (data));
}

/* The title of the column the view shows at @position, once all its
 * columns are there. */
static const char *
column_title (GtkColumnView *view,
              guint          position)
{
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (view), position);

  g_assert_nonnull (column);
  return gtk_column_view_column_get_title (column);
}

static AdwActionRow *
panel_size_row (KlWindow *window)
{
  return ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (selection (window)), KL_TYPE_SELECTION_PAGE,
                                                        "panel_size_row"));
}

/* Before any file: an invitation with two ways in, no green check. */
static void
test_empty_state (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (kl_files_page_get_problems_list (kl_window_get_files_page (fixture->window)), 0);

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                   "Open the pool and its quotas to check them");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.run", NULL) &&
                  kl_window_is_running (fixture->window));
  /* The Selection page says why nothing can be selected yet. */
  g_assert_cmpstr (adw_action_row_get_subtitle (panel_size_row (fixture->window)), ==,
                   "Open a pool and its quotas on the Files page first");
  screenshot_pages (fixture->window, "empty");
}

static void
test_load_example (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkListBoxRow *first;

  load_example (fixture->window);
  g_assert_cmpuint (kl_table_view_get_n_rows (preview_view (fixture->window)), ==, 300);
  g_assert_cmpuint (kl_messages_count (kl_window_get_messages (fixture->window), KL_SEVERITY_ERROR), ==, 0);
  first = gtk_list_box_get_row_at_index (kl_files_page_get_problems_list (kl_window_get_files_page (fixture->window)), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                   "No problems found: ready to select a panel");
  g_assert_cmpstr (adw_action_row_get_subtitle (panel_size_row (fixture->window)), ==,
                   "The quotas allow 20 to 41 people");

  /* The preview shows the id, then the quotas' features, then the rest. */
  show_page (fixture->window, "files");
  wait_until (preview_settled, fixture->window, 30);
  g_assert_cmpstr (column_title (preview_view (fixture->window), 0), ==, "id");
  g_assert_cmpstr (column_title (preview_view (fixture->window), 1), ==, "gender");
  g_assert_cmpstr (column_title (preview_view (fixture->window), 4), ==, "education");
  g_assert_cmpstr (column_title (preview_view (fixture->window), 5), ==, "first_name");
}

/* Reading happens in a worker: the call returns at once with a spinner on
 * the row, the result arrives later. Files opened one after the other
 * before the first is read all count; a load made stale by a newer one
 * is dropped, whatever order the workers finish in. */
static void
test_background_load (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *pool = kl_test_write_file ("quick-pool.csv", "id,gender\n1,f\n2,m\n3,f\n4,m\n");
  g_autofree char *quotas = kl_test_write_file ("quick-quotas.csv", "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\n");
  g_autofree char *settings = kl_test_write_file ("quick.toml", "id_column = \"id\"\n");
  g_autoptr(GFile) pool_file = g_file_new_for_path (pool);
  g_autoptr(GFile) quotas_file = g_file_new_for_path (quotas);
  g_autoptr(GFile) settings_file = g_file_new_for_path (settings);

  kl_window_set_input (fixture->window, KL_INPUT_SETTINGS, settings_file);
  g_assert_true (kl_window_is_loading (fixture->window));
  kl_window_set_input (fixture->window, KL_INPUT_QUOTAS, quotas_file);
  kl_window_set_input (fixture->window, KL_INPUT_POOL, pool_file);
  wait_until (is_loaded, fixture->window, 30);
  g_assert_true (g_file_equal (fixture->window->inputs->files[KL_INPUT_SETTINGS], settings_file));
  g_assert_true (g_file_equal (fixture->window->inputs->files[KL_INPUT_QUOTAS], quotas_file));
  g_assert_true (g_file_equal (fixture->window->inputs->files[KL_INPUT_POOL], pool_file));
  g_assert_nonnull (fixture->window->inputs->pool);
  assert_no_errors (fixture->window);

  /* The example, asked for right after another pool, replaces it. */
  kl_window_set_input (fixture->window, KL_INPUT_POOL, quotas_file);
  kl_window_load_example (fixture->window);
  wait_until (is_loaded, fixture->window, 30);
  g_assert_cmpuint (kl_table_view_get_n_rows (preview_view (fixture->window)), ==, 300);
  assert_no_errors (fixture->window);
}

/* A column choice checks the pool again from the table in memory: the
 * file is not read again (here it is gone by then). */
static void
test_recheck_without_reading (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *pool = kl_test_write_file ("recheck-pool.csv",
                                              "id,email,gender\n1,a@x,f\n2,b@x,m\n3,c@x,f\n4,d@x,m\n");
  g_autofree char *quotas = kl_test_write_file ("recheck-quotas.csv",
                                                "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\n");
  g_autofree char *settings = kl_test_write_file ("recheck.toml", "id_column = \"id\"\n");
  KlInputs *before;

  open_inputs (fixture->window, settings, quotas, pool);
  assert_no_errors (fixture->window);
  before = fixture->window->inputs;
  g_assert_cmpint (g_unlink (pool), ==, 0);

  g_signal_emit_by_name (selection (fixture->window), "columns-changed");
  g_assert_true (kl_window_is_loading (fixture->window));
  wait_until (is_loaded, fixture->window, 30);
  g_assert_true (fixture->window->inputs != before);
  g_assert_nonnull (fixture->window->inputs->pool);
  g_assert_true (fixture->window->inputs->tables[KL_INPUT_POOL] != NULL);
  assert_no_errors (fixture->window);
}

static gboolean
focus_visible (gpointer data)
{
  guint row, column;
  gboolean visible = FALSE;

  return kl_table_view_get_focus_cell (data, &row, &column, &visible) && visible;
}

/* A problem is a button: it brings the bad cell into view, even near the
 * end of a 100,000-person pool and far to the right (in the last of 30
 * features, which the preview shows after the id and before the other
 * columns), and selects its row (the preview holds every row). */
static void
test_problem_shows_cell (Fixture       *fixture,
                         gconstpointer  data)
{
  const guint n_people = 100000, bad_row = 99500, n_features = 30;
  GString *csv = g_string_new ("id,note");
  GString *quota_csv = g_string_new ("feature,value,min,max\n");
  g_autofree char *pool = NULL, *quotas = NULL;
  g_autofree char *settings = kl_test_write_file ("cell.toml", "id_column = \"id\"\n");
  g_autofree char *last_feature = g_strdup_printf ("f%u", n_features - 1);
  KlFilesPage *page = kl_window_get_files_page (fixture->window);
  GtkListBox *problems = kl_files_page_get_problems_list (page);
  GtkListBoxRow *row;
  GtkSelectionModel *model;
  guint focus_row, focus_column;
  gboolean visible;

  for (guint f = 0; f < n_features; f++)
    {
      g_string_append_printf (csv, ",f%u", f);
      g_string_append_printf (quota_csv, "f%u,a,1,5\nf%u,b,1,5\n", f, f);
    }
  g_string_append_c (csv, '\n');
  for (guint r = 0; r < n_people; r++)
    {
      g_string_append_printf (csv, "%u,w", r + 1);
      for (guint f = 0; f + 1 < n_features; f++)
        g_string_append (csv, (r + f) % 2 ? ",a" : ",b");
      g_string_append (csv, r == bad_row ? ",unknown\n" : r % 2 ? ",a\n" : ",b\n");
    }
  pool = kl_test_write_file ("cell-pool.csv", csv->str);
  quotas = kl_test_write_file ("cell-quotas.csv", quota_csv->str);
  g_string_free (csv, TRUE);
  g_string_free (quota_csv, TRUE);

  open_inputs (fixture->window, settings, quotas, pool);
  show_page (fixture->window, "files");
  g_assert_cmpuint (kl_table_view_get_n_rows (preview_view (fixture->window)), ==, n_people);
  /* The one problem about a cell; the others (about the settings) are
   * not buttons. */
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (problems, i)) != NULL; i++)
    if (gtk_list_box_row_get_activatable (row))
      break;
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "“unknown”"));
  g_signal_emit_by_name (row, "activate");
  wait_until (focus_visible, preview_view (fixture->window), 30);

  g_assert_true (kl_table_view_get_focus_cell (preview_view (fixture->window), &focus_row, &focus_column, &visible));
  g_assert_cmpuint (focus_row, ==, bad_row);
  wait_until (preview_settled, fixture->window, 30);
  g_assert_cmpuint (focus_column, ==, n_features);
  g_assert_cmpstr (column_title (preview_view (fixture->window), focus_column), ==, last_feature);
  g_assert_cmpstr (column_title (preview_view (fixture->window), n_features + 1), ==, "note");
  /* Far to the right: the view scrolled sideways to show it. */
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (preview_view (fixture->window)))), >, 0);
  /* The column is wide enough for the bad value, not only the good ones. */
  g_assert_nonnull (find_cell (GTK_WIDGET (preview_view (fixture->window)), "unknown"));
  g_assert_cmpuint (gtk_inscription_get_min_chars (find_cell (GTK_WIDGET (preview_view (fixture->window)), "unknown")), >,
                    strlen ("unknown"));
  model = gtk_column_view_get_model (preview_view (fixture->window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n_people);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model)), ==, bad_row);
  screenshot_widget (GTK_WIDGET (fixture->window), "problem-cell");
}

/* Files dropped on the window (or given on the command line) are sorted
 * into pool, quotas and settings by what they hold. */
static void
test_open_files_by_content (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *settings = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", "settings.toml", NULL);
  g_autofree char *quotas = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", "quotas.csv", NULL);
  g_autofree char *pool = g_build_filename (g_getenv ("KL_SOURCE_ROOT"), "data", "examples", "pool.csv", NULL);
  g_autoptr(GFile) pool_file = g_file_new_for_path (pool);
  g_autoptr(GFile) quotas_file = g_file_new_for_path (quotas);
  g_autoptr(GFile) settings_file = g_file_new_for_path (settings);
  GFile *files[] = { pool_file, quotas_file, settings_file };

  kl_window_open_files (fixture->window, files, G_N_ELEMENTS (files));
  wait_until (is_loaded, fixture->window, 30);
  g_assert_true (g_file_equal (fixture->window->inputs->files[KL_INPUT_POOL], pool_file));
  g_assert_true (g_file_equal (fixture->window->inputs->files[KL_INPUT_QUOTAS], quotas_file));
  g_assert_true (g_file_equal (fixture->window->inputs->files[KL_INPUT_SETTINGS], settings_file));
  g_assert_cmpuint (kl_table_view_get_n_rows (preview_view (fixture->window)), ==, 300);
  run_and_wait (fixture->window);
  g_assert_nonnull (kl_window_get_result (fixture->window));
}

static void
test_bad_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *quotas = kl_test_write_file ("bad-quotas.csv",
                                                "feature,value,min,max\ngender,Female,ten,20\n"
                                                "gender,Male,1,20\n");
  g_autoptr(GFile) file = g_file_new_for_path (quotas);
  GtkListBoxRow *row;
  const char *subtitle;

  load_example (fixture->window);
  kl_window_set_input (fixture->window, KL_INPUT_QUOTAS, file);
  wait_until (is_loaded, fixture->window, 30);
  kl_assert_message (kl_window_get_messages (fixture->window), "not_a_number", 2, "min");
  row = gtk_list_box_get_row_at_index (kl_files_page_get_problems_list (kl_window_get_files_page (fixture->window)), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "“ten” is not a whole number (min).");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (subtitle, "line 2, column “min”"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.run", NULL) &&
                  kl_window_is_running (fixture->window));
  show_page (fixture->window, "files");
  screenshot_widget (GTK_WIDGET (fixture->window), "bad-file");
}

/* ---- selection ---------------------------------------------------------------------- */

/* A test selection turns the lottery and the seed off, says why, and its
 * summary never speaks of randomness. */
static void
test_test_selection_form (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *summary;

  load_example (fixture->window);
  g_assert_true (kl_selection_page_get_lottery_enabled (selection (fixture->window)));
  kl_selection_page_set_test_selection (selection (fixture->window), TRUE);
  g_assert_false (kl_selection_page_get_lottery_enabled (selection (fixture->window)));
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  kl_selection_page_set_seed (selection (fixture->window), "not a number");
  show_page (fixture->window, "selection");
  screenshot_widget (GTK_WIDGET (fixture->window), "selection-test");

  run_and_wait (fixture->window);
  g_assert_nonnull (kl_window_get_result (fixture->window));
  g_assert_true (kl_run_get_params (kl_window_get_result (fixture->window))->test_selection);
  g_assert_cmpuint (kl_run_get_n_panels (kl_window_get_result (fixture->window)), ==, 1);
  summary = kl_results_page_get_summary (kl_window_get_results_page (fixture->window));
  g_assert_nonnull (strstr (summary, "not drawn by lot"));
  g_assert_null (strstr (summary, "andom"));
  kl_selection_page_set_test_selection (selection (fixture->window), FALSE);
  g_assert_true (kl_selection_page_get_lottery_enabled (selection (fixture->window)));
}

/* Diversimax's time limit is offered with diversimax only, and the run
 * takes it. */
static void
test_diversimax_time_limit (Fixture       *fixture,
                            gconstpointer  data)
{
  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  g_assert_false (kl_selection_page_get_time_limit_shown (selection (fixture->window)));
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_DIVERSIMAX);
  g_assert_true (kl_selection_page_get_time_limit_shown (selection (fixture->window)));
  kl_selection_page_set_time_limit (selection (fixture->window), 7);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);

  run_and_wait (fixture->window);
  g_assert_nonnull (kl_window_get_result (fixture->window));
  g_assert_cmpint (kl_run_get_params (kl_window_get_result (fixture->window))->algorithm, ==, KL_ALGORITHM_DIVERSIMAX);
  g_assert_cmpfloat (kl_run_get_params (kl_window_get_result (fixture->window))->max_seconds, ==, 7);
  g_assert_cmpuint (kl_run_get_n_panels (kl_window_get_result (fixture->window)), ==, 1);
}

/* The last choices come back in a new window. */
static void
test_remembers_choices (Fixture       *fixture,
                        gconstpointer  data)
{
  KlWindow *other;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_LEGACY);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  run_and_wait (fixture->window);

  other = g_object_ref_sink (kl_window_new (NULL));
  g_assert_cmpint (kl_selection_page_get_algorithm (selection (other)), ==, KL_ALGORITHM_LEGACY);
  gtk_window_destroy (GTK_WINDOW (other));
  g_assert_finalize_object (other);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_remember (selection (fixture->window));
}

/* ---- running ------------------------------------------------------------------------- */

static gboolean
progress_shown_and_moving (gpointer data)
{
  KlWindow *window = data;

  return !kl_window_is_running (window) ||
         (gtk_revealer_get_child_revealed (window->progress_revealer) &&
          kl_window_get_progress_moves (window) >= 3);
}

static gboolean
has_escape_for_cancel (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint s = 0; s < g_list_model_get_n_items (G_LIST_MODEL (controller)); s++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), s);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_str_equal (trigger, "Escape") && strstr (action, "win.cancel") != NULL)
            return TRUE;
        }
    }
  return FALSE;
}

/* While a run goes, its progress is above every page and keeps moving,
 * pulsing when the engine gives no fraction; Cancel (or Escape) stops it
 * without an error, and the previous result stays. */
static void
test_progress_and_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *pages[] = { "files", "selection", "results" };
  KlRun *before;

  open_generated (fixture->window, "big", 3000, 250);
  before = kl_window_get_result (fixture->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.run", NULL));
  wait_until (progress_shown_and_moving, fixture->window, 60);
  g_assert_true (kl_window_is_running (fixture->window));
  g_assert_cmpstr (gtk_label_get_text (kl_window_get_phase_label (fixture->window)), !=, "");
  /* no result yet: the Results page says one is coming, not how to start */
  g_assert_null (before);
  g_assert_cmpstr (kl_results_page_get_state (kl_window_get_results_page (fixture->window)), ==, "running");

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autofree char *name = g_strdup_printf ("running-%s", pages[p]);

      show_page (fixture->window, pages[p]);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kl_window_get_progress_bar (fixture->window))));
      screenshot_widget (GTK_WIDGET (fixture->window), name);
    }
  resize (fixture->window, NARROW, 700);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kl_window_get_progress_bar (fixture->window))));
  screenshot_widget (GTK_WIDGET (fixture->window), "running-narrow");
  resize (fixture->window, WIDE, 900);

  g_assert_true (has_escape_for_cancel (GTK_WIDGET (fixture->window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel", NULL));
  wait_until (is_not_running, fixture->window, 30);
  g_assert_null (kl_window_get_last_error (fixture->window));
  g_assert_true (kl_window_get_result (fixture->window) == before);
  g_assert_false (gtk_revealer_get_reveal_child (fixture->window->progress_revealer));
  g_assert_cmpstr (kl_results_page_get_state (kl_window_get_results_page (fixture->window)), ==, "empty");
}

typedef struct {
  KlRunProgress *progress;
  guint before;
} Moves;

static gboolean
bar_moved (gpointer data)
{
  Moves *moves = data;
  return kl_run_progress_get_n_moves (moves->progress) > moves->before;
}

/* The bar moves even when the engine says nothing: it pulses in a phase
 * without a total, and in a phase with one that stands still. */
static void
test_progress_pulses (void)
{
  KlRunProgress *progress = g_object_ref_sink (g_object_new (KL_TYPE_RUN_PROGRESS, NULL));
  GtkProgressBar *bar = kl_run_progress_get_bar (progress);
  Moves moves = { progress, 0 };

  kl_run_progress_start (progress);
  kl_run_progress_update (KL_PHASE_MAXIMIN_OPTIMIZATION, -1, 3, "no total", progress);
  g_assert_cmpstr (gtk_label_get_text (kl_run_progress_get_phase_label (progress)), ==,
                   "Making the lowest chance as high as possible");
  moves.before = kl_run_progress_get_n_moves (progress);
  wait_until (bar_moved, &moves, 10);

  /* A fraction, then silence: the bar still moves. */
  kl_run_progress_update (KL_PHASE_MULTIPLICATIVE_WEIGHTS, 200, 50, "a quarter", progress);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 0.25);
  moves.before = kl_run_progress_get_n_moves (progress);
  /* The same fraction again is no move. */
  kl_run_progress_update (KL_PHASE_MULTIPLICATIVE_WEIGHTS, 200, 50, "a quarter", progress);
  g_assert_cmpuint (kl_run_progress_get_n_moves (progress), ==, moves.before);
  wait_until (bar_moved, &moves, 10);

  kl_run_progress_stop (progress);
  g_assert_finalize_object (progress);
}

static gboolean closing_window_gone;

static void
on_closed_window_gone (gpointer  data,
                       GObject  *where)
{
  closing_window_gone = TRUE;
}

static gboolean
closed_window_finalized (gpointer data)
{
  return closing_window_gone;
}

/* Closing a window during a run cancels the run; the window goes away once
 * the worker has stopped, and nothing crashes or leaks on the way. */
static void
test_close_during_run (Fixture       *fixture,
                       gconstpointer  data)
{
  KlWindow *other = kl_window_new (NULL);

  gtk_window_present (GTK_WINDOW (other));
  open_generated (other, "close", 750, 112);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (other), "win.run", NULL));
  g_assert_true (kl_window_is_running (other));

  closing_window_gone = FALSE;
  g_object_weak_ref (G_OBJECT (other), on_closed_window_gone, NULL);
  gtk_window_close (GTK_WINDOW (other));
  wait_until (closed_window_finalized, NULL, 30);
}

/* Quotas no panel can meet: the error says why and proposes a change,
 * which one action applies; then the selection works. */
static void
test_apply_suggested_quotas (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *pool = kl_test_write_file ("joint-pool.csv", "id,gender,age\n1,f,young\n2,f,young\n"
                                              "3,f,young\n4,m,old\n5,m,old\n6,m,old\n");
  g_autofree char *quotas = kl_test_write_file ("joint-quotas.csv", "feature,value,min,max\ngender,f,3,3\n"
                                                "gender,m,1,1\nage,young,1,1\nage,old,3,3\n");
  g_autofree char *settings = kl_test_write_file ("joint.toml", "id_column = \"id\"\n");

  open_inputs (fixture->window, settings, quotas, pool);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (selection (fixture->window), 4);
  run_and_wait (fixture->window);
  g_assert_nonnull (kl_window_get_last_error (fixture->window));
  g_assert_nonnull (strstr (kl_window_get_last_error (fixture->window), "No panel can meet all the quotas"));
  g_assert_nonnull (strstr (kl_window_get_last_error (fixture->window), "lower the minimum"));
  screenshot_widget (GTK_WIDGET (fixture->window), "infeasible");

  g_assert_true (kl_window_apply_suggested_quotas (fixture->window));
  wait_until (is_loaded, fixture->window, 30);
  kl_selection_page_set_panel_size (selection (fixture->window), 4);
  run_and_wait (fixture->window);
  g_assert_nonnull (kl_window_get_result (fixture->window));
  g_assert_cmpuint (kl_table_view_get_n_rows (panel_view (fixture->window)), ==, 4);
}

/* ---- results ------------------------------------------------------------------------ */

static void
test_run_legacy (Fixture       *fixture,
                 gconstpointer  data)
{
  KlRun *result;
  const char *summary;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_LEGACY);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  kl_selection_page_set_seed (selection (fixture->window), "7");
  run_and_wait (fixture->window);

  result = kl_window_get_result (fixture->window);
  g_assert_nonnull (result);
  g_assert_cmpint (kl_run_get_params (result)->algorithm, ==, KL_ALGORITHM_LEGACY);
  g_assert_cmpuint (kl_table_view_get_n_rows (panel_view (fixture->window)), ==, 30);
  summary = kl_results_page_get_summary (kl_window_get_results_page (fixture->window));
  g_assert_nonnull (strstr (summary, "30 people selected by lot"));
  g_assert_nonnull (strstr (summary, "seed 7"));
}

/* Results in words and percentages; every page photographed. */
static void
test_run_maximin (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *summary;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  kl_selection_page_set_seed (selection (fixture->window), "3");
  run_and_wait (fixture->window);

  g_assert_nonnull (kl_window_get_result (fixture->window));
  g_assert_cmpuint (kl_table_view_get_n_rows (panel_view (fixture->window)), ==, 30);
  g_assert_cmpuint (kl_probability_chart_get_n (kl_results_page_get_chart (kl_window_get_results_page (fixture->window))), ==, 300);
  summary = kl_results_page_get_summary (kl_window_get_results_page (fixture->window));
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "Every volunteer has at least a "));
  g_assert_nonnull (strstr (summary, "equal chances would give 10.0 %"));
  g_assert_true (strstr (summary, "proved optimal") != NULL || strstr (summary, "percentage points of the best") != NULL);
  g_assert_null (strstr (summary, "0.0952"));
  screenshot_pages (fixture->window, "maximin");
  screenshot_widget (GTK_WIDGET (kl_results_page_get_chart (kl_window_get_results_page (fixture->window))),
                     "chart-maximin");
}

/* The chart's scale is round: steps of 1, 2, 2.5 or 5 times a power of
 * ten, three to six ticks. */
static void
test_chart_ticks (void)
{
  g_assert_cmpfloat_with_epsilon (kl_probability_chart_nice_step (0.15), 0.05, 1e-12);
  g_assert_cmpfloat_with_epsilon (kl_probability_chart_nice_step (0.105), 0.025, 1e-12);
  g_assert_cmpfloat_with_epsilon (kl_probability_chart_nice_step (0.9), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (kl_probability_chart_nice_step (0.011), 0.0025, 1e-12);
  for (double top = 0.001; top < 1; top *= 1.37)
    {
      double step = kl_probability_chart_nice_step (top);
      g_assert_cmpfloat (top / step, <=, 5 + 1e-9);
      g_assert_cmpfloat (top / step, >=, 1.9);
    }
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-export-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GError) error = NULL;
  const char *files[] = { "selected.csv", "remaining.csv", "report.html", "report.json",
                          "probabilities.csv", "selection.xlsx" };
  g_autofree char *xlsx_path = g_build_filename (folder_path, "selection.xlsx", NULL);
  g_autofree char *xlsx = NULL;
  gsize length;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  kl_selection_page_set_seed (selection (fixture->window), "3");
  run_and_wait (fixture->window);

  g_assert_true (kl_window_export_to_folder (fixture->window, folder, FALSE, &error));
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

/* Results belong to the files they were drawn from: opening another pool
 * marks them, and export still names the pool the panel came from. */
static void
test_results_keep_their_inputs (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *other = kl_test_write_file ("other-pool.csv", "id,gender\n1,f\n2,m\n");
  g_autoptr(GFile) other_file = g_file_new_for_path (other);
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-stale-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autofree char *json_path = g_build_filename (folder_path, "report.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  KlResultsPage *results = kl_window_get_results_page (fixture->window);
  JsonObject *people;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_LEGACY);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  run_and_wait (fixture->window);
  g_assert_false (kl_results_page_get_stale (results));

  kl_window_set_input (fixture->window, KL_INPUT_POOL, other_file);
  wait_until (is_loaded, fixture->window, 30);
  g_assert_true (kl_results_page_get_stale (results));
  show_page (fixture->window, "results");
  screenshot_widget (GTK_WIDGET (fixture->window), "results-stale");

  g_assert_true (kl_window_export_to_folder (fixture->window, folder, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json_path, NULL));
  people = json_object_get_object_member (json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                                         "inputs"), "people");
  g_assert_cmpstr (json_object_get_string_member (people, "name"), ==, "pool.csv (example)");
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

/* A second export into the same folder asks before it replaces anything,
 * naming the files; Cancel, the default, leaves the first export whole. */
static void
test_export_overwrite (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-replace-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *after_cancel = NULL, *after_replace = NULL;
  AdwMessageDialog *dialog;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_LEGACY);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  kl_selection_page_set_seed (selection (fixture->window), "7");
  run_and_wait (fixture->window);
  g_assert_true (kl_window_export_to_folder (fixture->window, folder, FALSE, &error));
  g_assert_no_error (error);
  first = read_text (folder_path, "selected.csv");

  kl_selection_page_set_seed (selection (fixture->window), "8");
  run_and_wait (fixture->window);
  g_assert_false (kl_window_export_to_folder (fixture->window, folder, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);

  dialog = kl_window_export_with_confirmation (fixture->window, folder);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "\nselected.csv\n"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), folder_path));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "report.json"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  screenshot_widget (GTK_WIDGET (dialog), "export-replace");
  adw_message_dialog_response (dialog, "cancel");
  after_cancel = read_text (folder_path, "selected.csv");
  g_assert_cmpstr (after_cancel, ==, first);

  dialog = kl_window_export_with_confirmation (fixture->window, folder);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "replace");
  after_replace = read_text (folder_path, "selected.csv");
  g_assert_cmpstr (after_replace, !=, first);
}

/* A lottery names no panel "selected" until a public number picks one;
 * the draw writes that panel, and the Results page shows it. */
static void
test_public_draw (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-draw-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *title = NULL;
  KlResultsPage *results = kl_window_get_results_page (fixture->window);
  AdwMessageDialog *dialog;
  guint expected;

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  kl_selection_page_set_number_selections (selection (fixture->window), 5);
  kl_selection_page_set_seed (selection (fixture->window), "3");
  run_and_wait (fixture->window);
  g_assert_cmpuint (kl_run_get_n_panels (kl_window_get_result (fixture->window)), ==, 5);
  g_assert_null (strstr (kl_results_page_get_panel_title (results), "Selected"));
  g_assert_nonnull (strstr (kl_results_page_get_summary (results), "No panel is selected until that draw"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.draw", NULL));
  show_page (fixture->window, "results");
  screenshot_widget (GTK_WIDGET (fixture->window), "results-lottery");

  dialog = kl_window_ask_public_number (fixture->window);
  screenshot_widget (GTK_WIDGET (dialog), "draw-public-number");
  adw_message_dialog_response (dialog, "cancel");

  expected = kl_draw_panel_number ("123457", 5, &error);
  g_assert_no_error (error);
  g_assert_true (kl_window_draw_panel (fixture->window, "123457", folder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (expected, ==, 2);
  title = g_strdup_printf ("Selected: panel %u of 5, drawn with the public number 123457", expected);
  g_assert_cmpstr (kl_results_page_get_panel_title (results), ==, title);
  selected = read_text (folder_path, "selected.csv");
  g_assert_cmpuint (kl_table_view_get_n_rows (panel_view (fixture->window)), ==, 30);
  {
    g_autofree char *record = g_build_filename (folder_path, "draw.json", NULL);
    g_assert_true (g_file_test (record, G_FILE_TEST_IS_REGULAR));
  }
  screenshot_widget (GTK_WIDGET (fixture->window), "results-drawn");
}

/* A cell that looks like a formula stays text in the workbook. */
static void
test_spreadsheet_formulas_stay_text (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *pool = kl_test_write_file ("formula-pool.csv",
                                              "id,name,gender\n1,\"=HYPERLINK(\"\"http://x\"\")\",f\n2,+44 7700,m\n"
                                              "3,@SUM(A1),f\n4,-1+2,m\n");
  g_autofree char *quotas = kl_test_write_file ("formula-quotas.csv", "feature,value,min,max\ngender,f,1,2\ngender,m,1,2\n");
  g_autofree char *settings = kl_test_write_file ("formula.toml", "id_column = \"id\"\ncolumns_to_keep = [\"name\"]\n");
  g_autofree char *folder_path = g_dir_make_tmp ("kleroterion-formula-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (folder_path, "selection.xlsx", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
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

  open_inputs (fixture->window, settings, quotas, pool);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_LEGACY);
  kl_selection_page_set_panel_size (selection (fixture->window), 4);
  run_and_wait (fixture->window);
  g_assert_nonnull (kl_window_get_result (fixture->window));
  g_assert_true (kl_window_export_to_folder (fixture->window, folder, FALSE, &error));
  g_assert_no_error (error);

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "python3", (char *) "-c", (char *) check, xlsx, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "ok\n");
}

/* ---- the window as a whole ----------------------------------------------------------------- */

static void
assert_icon_buttons_labelled (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    assert_icon_buttons_labelled (child);

  if ((GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL &&
       gtk_button_get_label (GTK_BUTTON (widget)) == NULL) ||
      (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL))
    {
      /* A spin button's + and − are its own parts, which GTK describes;
       * a hidden button is not there for anyone. */
      if (gtk_widget_get_ancestor (widget, GTK_TYPE_SPIN_BUTTON) != NULL || !gtk_widget_get_visible (widget))
        return;
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("an icon-only %s (%s) has no accessible label", G_OBJECT_TYPE_NAME (widget),
                 GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget))
                                        : gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)));
    }
}

static void
test_accessible_labels (Fixture       *fixture,
                        gconstpointer  data)
{
  KlProbabilityChart *chart = kl_results_page_get_chart (kl_window_get_results_page (fixture->window));
  GtkLabel *explanation;

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Chart of each person's chance of selection");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fixture->window->main_menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (kl_window_get_progress_bar (fixture->window)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Selection progress");

  load_example (fixture->window);
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
  kl_selection_page_set_panel_size (selection (fixture->window), 30);
  run_and_wait (fixture->window);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  assert_icon_buttons_labelled (GTK_WIDGET (fixture->window));

  /* The algorithm's explanation, shown below the list, describes its row. */
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_NASH);
  explanation = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (selection (fixture->window)),
                                                          KL_TYPE_SELECTION_PAGE, "algorithm_explanation"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (explanation), kl_algorithm_get_explanation (KL_ALGORITHM_NASH)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_widget_get_template_child (GTK_WIDGET (selection (fixture->window)),
                                                                                     KL_TYPE_SELECTION_PAGE, "algorithm_row")),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, gtk_label_get_text (explanation));
  kl_selection_page_set_algorithm (selection (fixture->window), KL_ALGORITHM_MAXIMIN);
}

/* Every entry of the shortcuts window shows its keys. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/kleroterion/Kleroterion/gtk/help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  guint n = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *title = NULL;
        g_autofree char *accelerator = NULL;

        g_object_get (l->data, "title", &title, "accelerator", &accelerator, NULL);
        if (accelerator == NULL || *accelerator == '\0')
          g_error ("“%s” shows no keys", title);
        n++;
      }
  g_slist_free (objects);
  g_assert_cmpuint (n, >=, 11);
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

/* Down to GNOME's narrowest phone width. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  int minimum, natural;

  load_example (fixture->window);
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, NARROW);
  resize (fixture->window, NARROW, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, NARROW);
}

/* ---- the table view ------------------------------------------------------------------ */

static const char *
numbered_cell (gpointer data,
               guint    row,
               guint    column)
{
  static char text[32];

  g_snprintf (text, sizeof text, "%s%u:%u", (const char *) data, row, column);
  return text;
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  return find_cell (widget, text) != NULL;
}

static gboolean
view_settled (gpointer data)
{
  return kl_table_view_is_settled (data);
}

static void
set_numbered (GtkColumnView *view,
              const char    *prefix,
              guint          n_rows,
              guint          n_columns)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) headers = NULL;

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *header = g_strdup_printf ("column %u", c);
      g_strv_builder_add (builder, header);
    }
  headers = g_strv_builder_end (builder);
  kl_table_view_set (view, (const char * const *) headers, n_rows, numbered_cell, (gpointer) prefix, NULL, NULL);
}

/* A table view takes new data of every shape: more rows, fewer, other
 * columns; each time it ends with all the rows and columns, showing the
 * new data. */
static void
test_table_view_swaps (void)
{
  const struct { const char *prefix; guint rows, columns; } tables[] = {
    { "a", 50, 6 }, { "b", 3000, 6 }, { "c", 120000, 6 }, { "d", 20, 6 }, { "e", 500, 9 }, { "f", 0, 2 }, { "g", 7, 3 },
  };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));

  g_object_ref_sink (window);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_window_present (GTK_WINDOW (window));

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *first_cell = g_strdup_printf ("%s0:0", tables[t].prefix);

      set_numbered (view, tables[t].prefix, tables[t].rows, tables[t].columns);
      wait_until (view_settled, view, 30);
      wait_for_frame (GTK_WIDGET (view));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), ==, tables[t].rows);
      g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, tables[t].columns);
      g_assert_cmpuint (kl_table_view_get_n_rows (view), ==, tables[t].rows);
      g_assert_true (shows_text (GTK_WIDGET (view), first_cell) == (tables[t].rows > 0));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
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

/* Run from the build folder, as the README's first command does, the
 * application speaks the reader's language from the catalogue just built. */
static void
test_uninstalled_catalogue (void)
{
  g_autofree char *locale_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  env = g_environ_setenv (env, "KLEROTERION_LOCALEDIR", locale_dir, TRUE);
  env = g_environ_setenv (env, "LANGUAGE", "fr", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) g_getenv ("KL_APP"), (char *) "--help", NULL }, env,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "Ouvrir l’exemple fourni"));
}

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_autoptr(GtkCssProvider) style = NULL;

  kl_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  /* Screenshots show the end of every transition, not a frame of it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* GNOME's title bar buttons, whatever the virtual display's defaults. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  /* What the application loads from its resources, for the screenshots. */
  style = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (style, "/org/kleroterion/Kleroterion/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (style),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/ui/relay", test_relay);
  g_test_add_func ("/ui/chart-ticks", test_chart_ticks);
  g_test_add_func ("/ui/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/uninstalled-catalogue", test_uninstalled_catalogue);
  g_test_add_func ("/ui/progress-pulses", test_progress_pulses);
  g_test_add_func ("/ui/table-view-swaps", test_table_view_swaps);
  ADD ("/ui/empty-state", test_empty_state);
  ADD ("/ui/load-example", test_load_example);
  ADD ("/ui/background-load", test_background_load);
  ADD ("/ui/recheck-without-reading", test_recheck_without_reading);
  ADD ("/ui/problem-shows-cell", test_problem_shows_cell);
  ADD ("/ui/open-files-by-content", test_open_files_by_content);
  ADD ("/ui/bad-file", test_bad_file);
  ADD ("/ui/test-selection-form", test_test_selection_form);
  ADD ("/ui/remembers-choices", test_remembers_choices);
  ADD ("/ui/diversimax-time-limit", test_diversimax_time_limit);
  ADD ("/ui/progress-and-cancel", test_progress_and_cancel);
  ADD ("/ui/close-during-run", test_close_during_run);
  ADD ("/ui/apply-suggested-quotas", test_apply_suggested_quotas);
  ADD ("/ui/run-legacy", test_run_legacy);
  ADD ("/ui/run-maximin", test_run_maximin);
  ADD ("/ui/export", test_export);
  ADD ("/ui/results-keep-their-inputs", test_results_keep_their_inputs);
  ADD ("/ui/spreadsheet-formulas-stay-text", test_spreadsheet_formulas_stay_text);
  ADD ("/ui/export-overwrite", test_export_overwrite);
  ADD ("/ui/public-draw", test_public_draw);
  ADD ("/ui/accessible-labels", test_accessible_labels);
  ADD ("/ui/narrow", test_narrow);

  return g_test_run ();
}
