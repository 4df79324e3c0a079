/* test-run.c — the run and its report (spec 3.3, 3.4, 3.8, 10.9, 10.13)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

static const char *quotas_csv =
  "feature,value,min,max\ngender,male,1,2\ngender,female,1,2\nage,young,1,2\nage,old,1,2\n";
static const char *pool_csv =
  "id,name,gender,age,home\n1,Ann,male,young,a\n2,Bo,male,old,b\n3,Cy,female,young,c\n"
  "4,Di,female,old,d\n5,Ed,male,young,e\n6,Fa,male,old,f\n7,Gu,female,young,g\n8,Ho,female,old,h\n";

static guint
index_of_line (KlReport   *report,
               const char *code)
{
  for (guint i = 0; i < kl_report_get_n_elements (report); i++)
    {
      const KlReportElement *e = kl_report_get_element (report, i);
      if (e->type == KL_REPORT_LINE && g_str_equal (e->message->code, code))
        return i;
    }
  g_error ("no line %s in the report", code);
}

static void
test_report_contents (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  KlReport *report;
  const KlReportElement *initial, *final;
  guint seed_line, initial_line, legacy_line, success_line;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, NULL);
  run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 42, NULL, NULL, &error);
  g_assert_no_error (error);
  report = kl_run_get_report (run);

  seed_line = index_of_line (report, "random_seed_set");
  initial_line = index_of_line (report, "initial_state");
  legacy_line = index_of_line (report, "using_legacy_algorithm");
  success_line = index_of_line (report, "selection_success");
  g_assert_cmpuint (seed_line, <, initial_line);
  g_assert_cmpuint (initial_line, <, legacy_line);
  g_assert_cmpuint (legacy_line, <, success_line);
  g_assert_cmpstr (kl_message_get_param (kl_report_find_line (report, "random_seed_set"), "seed"), ==, "42");

  initial = kl_report_get_element (report, initial_line + 1);
  g_assert_cmpint (initial->type, ==, KL_REPORT_TABLE);
  g_assert_cmpstr (initial->headers[2], ==, "table_initially");
  g_assert_cmpstr (((char **) g_ptr_array_index (initial->rows, 0))[2], ==, "4");
  g_assert_cmpstr (((char **) g_ptr_array_index (initial->rows, 0))[3], ==, "[1,2]");

  final = kl_report_get_element (report, success_line + 1);
  g_assert_cmpint (final->type, ==, KL_REPORT_TABLE);
  g_assert_cmpstr (final->headers[2], ==, "table_selected");
  g_assert_cmpstr (((char **) g_ptr_array_index (final->rows, 0))[2], ==, "2 (50.00%)");
  kl_test_inputs_clear (&in);
}

static void
test_refusals (void)
{
  KlTestInputs in = { 0 };
  KlRunParams params;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, NULL);

  /* Panel size outside a feature's range: refused before drawing. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 5, 1, NULL, NULL, &error);
    const KlReportElement *last = kl_report_get_last_error (kl_run_get_report (run));

    g_assert_error (error, KL_ERROR, KL_ERROR_BAD_DATA);
    g_assert_nonnull (last);
    g_assert_true (last->fatal);
    g_assert_cmpstr (((KlMessage *) g_ptr_array_index (last->messages, 0))->code, ==, "max_below_number_to_select");
    g_assert_cmpuint (kl_run_get_n_panels (run), ==, 0);
  }

  /* All five algorithms of the library are offered, each with words for
   * the chooser; the ones without a distribution say so. */
  {
    guint n_available;
    const KlAlgorithm *available = kl_algorithm_list_available (&n_available);

    g_assert_cmpuint (n_available, ==, KL_N_ALGORITHMS);
    g_assert_cmpint (available[0], ==, KL_ALGORITHM_MAXIMIN);
    for (guint i = 0; i < n_available; i++)
      {
        g_assert_true (kl_algorithm_is_available (available[i]));
        g_assert_cmpstr (kl_algorithm_get_title (available[i]), !=, "");
        g_assert_cmpstr (kl_algorithm_get_explanation (available[i]), !=, "");
      }
    g_assert_false (kl_algorithm_has_probabilities (KL_ALGORITHM_LEGACY));
    g_assert_false (kl_algorithm_has_probabilities (KL_ALGORITHM_DIVERSIMAX));
    g_assert_true (kl_algorithm_has_probabilities (KL_ALGORITHM_LEXIMIN));
    g_assert_nonnull (kl_algorithm_get_caveat (KL_ALGORITHM_DIVERSIMAX));
  }

  /* Legacy makes one panel only. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KlRun) run = NULL;

    kl_run_params_init (&params, in.settings);
    params.algorithm = KL_ALGORITHM_LEGACY;
    params.number_wanted = 4;
    params.number_selections = 3;
    run = kl_run_new (in.pool, in.settings, NULL, &params);
    g_assert_false (kl_run_execute (run, NULL, NULL, &error));
    g_assert_error (error, KL_ERROR, KL_ERROR_CONFIGURATION);
    g_assert_nonnull (strstr (error->message, "one panel"));
  }

  /* No panel of nobody. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KlRun) run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 0, 1, NULL, NULL, &error);
    g_assert_error (error, KL_ERROR, KL_ERROR_CONFIGURATION);
  }
  kl_test_inputs_clear (&in);
}

static void
test_already_selected (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlTable) earlier_table = kl_test_table ("id,home\n99,a\n3,x\n");
  g_autoptr(KlPool) earlier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;
  KlRunParams params;

  kl_test_inputs_load (&in, quotas_csv, pool_csv,
                       "id_column = \"id\"\ncheck_same_address = true\ncheck_same_address_columns = [\"home\"]\n");
  earlier = kl_pool_load_already_selected (earlier_table, in.settings, NULL, &error);
  g_assert_no_error (error);

  kl_run_params_init (&params, in.settings);
  params.algorithm = KL_ALGORITHM_LEGACY;
  params.number_wanted = 4;
  params.seed = 5;
  run = kl_run_new (in.pool, in.settings, earlier, &params);
  g_assert_true (kl_run_execute (run, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Person 1 lives at a (where 99 lives), person 3 was selected before. */
  g_assert_cmpuint (kl_pool_get_n_people (kl_run_get_working_pool (run)), ==, 6);
  g_assert_nonnull (kl_report_find_line (kl_run_get_report (run), "dropped_at_already_selected_address"));
  for (guint i = 0; i < 4; i++)
    {
      const char *id = kl_pool_get_id (in.pool, kl_run_get_panel (run, 0, NULL)[i]);
      g_assert_cmpstr (id, !=, "1");
      g_assert_cmpstr (id, !=, "3");
    }
  kl_test_inputs_clear (&in);
}

static void
test_cancel_before (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, NULL);
  g_cancellable_cancel (cancellable);
  run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 1, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelling is not a failure: the report holds no error. */
  g_assert_null (kl_report_get_last_error (kl_run_get_report (run)));
  g_assert_cmpuint (kl_run_get_n_panels (run), ==, 0);
  kl_test_inputs_clear (&in);
}

static void
on_finished (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  KlRun *run = g_task_get_task_data (G_TASK (result));

  kl_run_execute_finish (run, result, error);
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

/* The worker-thread variant the desktop application uses draws the same
 * panel as the synchronous one, for the same seed. */
static void
test_async (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) sync = NULL;
  g_autoptr(KlRun) run = NULL;
  KlRunParams params;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, NULL);
  sync = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 77, NULL, NULL, NULL);

  kl_run_params_init (&params, in.settings);
  params.algorithm = KL_ALGORITHM_LEGACY;
  params.number_wanted = 4;
  params.seed = 77;
  run = kl_run_new (in.pool, in.settings, NULL, &params);
  kl_run_execute_async (run, NULL, NULL, on_finished, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpmem (kl_run_get_panel (run, 0, NULL), 4 * sizeof (guint),
                   kl_run_get_panel (sync, 0, NULL), 4 * sizeof (guint));
  kl_test_inputs_clear (&in);
}

static void
test_render (void)
{
  g_autoptr(KlReport) report = kl_report_new ();
  g_autoptr(KlReport) empty = kl_report_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) errors = kl_messages_new ();
  const char *headers[] = { "table_category", "table_want", NULL };
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *empty_text = kl_report_to_text (empty);
  KlMessage *m;

  g_assert_false (kl_report_has_content (empty));
  g_assert_cmpstr (empty_text, ==, "");

  kl_report_add_line (report, KL_LEVEL_NORMAL, "using_legacy_algorithm");
  kl_report_add_line (report, KL_LEVEL_IMPORTANT, "initial_state");
  kl_report_add_line (report, KL_LEVEL_CRITICAL, "test_selection_warning");
  g_ptr_array_add (rows, g_strsplit ("gender,[1,2]", ",", 2));
  g_ptr_array_add (rows, g_strsplit ("a <b> & c,19.99", ",", 2));
  kl_report_add_table (report, headers, rows);
  m = kl_messages_add (errors, KL_SEVERITY_ERROR, "selection_error");
  kl_message_set_param (m, "error", "x < y");
  kl_messages_add (errors, KL_SEVERITY_ERROR, "number_wanted_too_small");
  kl_report_add_error (report, errors, TRUE);

  text = kl_report_to_text (report);
  g_assert_true (g_str_has_prefix (text, "Using the legacy algorithm.\nBefore the selection:\n"));
  g_assert_nonnull (strstr (text, "\nCategory   Want\n"));
  g_assert_nonnull (strstr (text, "\na <b> & c  19.99\n\n"));
  g_assert_nonnull (strstr (text, "The selection failed: x < y\n"));

  html = kl_report_to_html (report);
  g_assert_nonnull (strstr (html, "<b>Before the selection:</b><br />\n"));
  g_assert_nonnull (strstr (html, "<b style=\"color: red\">TEST SELECTION"));
  g_assert_nonnull (strstr (html, "<td>a &lt;b&gt; &amp; c</td>"));
  g_assert_nonnull (strstr (html, "<b>The selection failed: x &lt; y<br />The panel must"));
  g_assert_true (kl_report_get_last_error (report)->fatal);
}

/* A report saved as JSON and read back renders identically: codes and
 * parameters survive, not only the English text. */
static void
test_json_round_trip (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRun) run = NULL;
  g_autoptr(KlRun) failed = NULL;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, "id_column = \"id\"\nmax_attempts = 3\n");
  run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 8, NULL, NULL, NULL);
  failed = kl_test_run (&in, KL_ALGORITHM_LEGACY, 7, 8, NULL, NULL, NULL);

  for (guint r = 0; r < 2; r++)
    {
      KlReport *report = kl_run_get_report (r ? failed : run);
      g_autoptr(JsonNode) node = kl_report_to_json (report);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(KlReport) again = NULL;
      g_autofree char *json = NULL;
      g_autofree char *before = kl_report_to_text (report);
      g_autofree char *after = NULL;
      g_autofree char *html_before = kl_report_to_html (report);
      g_autofree char *html_after = NULL;

      json_generator_set_root (generator, node);
      json = json_generator_to_data (generator, NULL);
      g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
      again = kl_report_from_json (json_parser_get_root (parser), &error);
      g_assert_no_error (error);
      after = kl_report_to_text (again);
      html_after = kl_report_to_html (again);
      g_assert_cmpstr (before, ==, after);
      g_assert_cmpstr (html_before, ==, html_after);
    }
  kl_test_inputs_clear (&in);
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/run/report-contents", test_report_contents);
  g_test_add_func ("/run/refusals", test_refusals);
  g_test_add_func ("/run/already-selected", test_already_selected);
  g_test_add_func ("/run/cancel-before", test_cancel_before);
  g_test_add_func ("/run/async", test_async);
  g_test_add_func ("/run/render", test_render);
  g_test_add_func ("/run/json-round-trip", test_json_round_trip);

  return g_test_run ();
}
