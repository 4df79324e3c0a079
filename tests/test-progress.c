/* test-progress.c — the progress-reporting contract (seed document; spec 7,
 * 10.12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"

#include <json-glib/json-glib.h>

/* 4 of 8, every value limited to 1–2 (spec 10.7). */
static const char *quotas_csv =
  "feature,value,min,max\n"
  "gender,male,1,2\ngender,female,1,2\n"
  "age,young,1,2\nage,old,1,2\n";
static const char *pool_csv =
  "id,gender,age\n"
  "1,male,young\n2,male,old\n3,female,young\n4,female,old\n"
  "5,male,young\n6,male,old\n7,female,young\n8,female,old\n";

static void
test_phase_names (void)
{
  /* Part of the public API: the names must never change. */
  g_assert_cmpstr (KL_PHASE_LEGACY_ATTEMPT, ==, "legacy_attempt");
  g_assert_cmpstr (KL_PHASE_MULTIPLICATIVE_WEIGHTS, ==, "multiplicative_weights");
  g_assert_cmpstr (KL_PHASE_MAXIMIN_OPTIMIZATION, ==, "maximin_optimization");
  g_assert_cmpstr (KL_PHASE_NASH_OPTIMIZATION, ==, "nash_optimization");
  g_assert_cmpstr (KL_PHASE_LEXIMIN_OUTER, ==, "leximin_outer");
  g_assert_cmpstr (KL_PHASE_DIVERSIMAX, ==, "diversimax");
  g_assert_cmpint (KL_PROGRESS_UNKNOWN_TOTAL, ==, -1);
}

static void
test_legacy_phases (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run = NULL;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, "id_column = \"id\"\nmax_attempts = 5\n");
  run = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 3, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_assert_no_error (error);

  /* Exactly one phase, legacy_attempt with total max_attempts, its first
   * update 1 "attempt 1 of 5", one end, nothing nested. */
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "start"), ==, 1);
  g_assert_cmpstr (kl_recording_reporter_event (reporter, 0), ==,
                   "start legacy_attempt 5 |Legacy algorithm: up to 5 attempts");
  g_assert_cmpstr (kl_recording_reporter_event (reporter, 1), ==, "update 1 |Attempt 1 of 5");
  g_assert_cmpuint (kl_recording_reporter_count (reporter, "end"), ==, 1);
  g_assert_cmpstr (kl_recording_reporter_event (reporter, reporter->events->len - 1), ==, "end");
  kl_test_inputs_clear (&in);
}

/* A reporter failing in every method is logged and ignored: the panel is
 * still drawn, and drawn the same as without it. */
static void
test_failing_reporter (void)
{
  KlTestInputs in = { 0 };
  g_autoptr(KlRecordingReporter) reporter = kl_recording_reporter_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) failing = NULL;
  g_autoptr(KlRun) quiet = NULL;
  const guint *a, *b;
  guint n;

  kl_test_inputs_load (&in, quotas_csv, pool_csv, NULL);
  reporter->fail = TRUE;

  g_test_expect_message ("Kleroterion", G_LOG_LEVEL_WARNING, "*failed in start_phase (phase legacy_attempt)*deliberate*");
  g_test_expect_message ("Kleroterion", G_LOG_LEVEL_WARNING, "*failed in update (phase legacy_attempt, current 1)*");
  g_test_expect_message ("Kleroterion", G_LOG_LEVEL_WARNING, "*failed in end_phase*");
  failing = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 11, KL_PROGRESS_REPORTER (reporter), NULL, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  quiet = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 11, NULL, NULL, &error);
  g_assert_no_error (error);
  a = kl_run_get_panel (failing, 0, &n);
  b = kl_run_get_panel (quiet, 0, NULL);
  g_assert_cmpmem (a, n * sizeof (guint), b, n * sizeof (guint));
  kl_test_inputs_clear (&in);
}

/* end_phase arrives on every way out: failure and cancellation too. */
static void
test_end_on_every_path (void)
{
  KlTestInputs in = { 0 };
  KlTestInputs impossible = { 0 };
  g_autoptr(KlRecordingReporter) failing = kl_recording_reporter_new ();
  g_autoptr(KlRecordingReporter) cancelled = kl_recording_reporter_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KlRun) run1 = NULL;
  g_autoptr(KlRun) run2 = NULL;

  /* Two women are needed and there are two, but each lives with a man who
   * is also needed: every attempt fails. */
  kl_test_inputs_load (&impossible,
                       "feature,value,min,max\ng,m,2,2\ng,f,2,2\n",
                       "id,g,home\n1,m,a\n2,f,a\n3,m,b\n4,f,b\n5,m,c\n",
                       "id_column = \"id\"\nmax_attempts = 3\ncheck_same_address = true\n"
                       "check_same_address_columns = [\"home\"]\n");
  run1 = kl_test_run (&impossible, KL_ALGORITHM_LEGACY, 4, 1, KL_PROGRESS_REPORTER (failing), NULL, &error);
  g_assert_error (error, KL_ERROR, KL_ERROR_SELECTION_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (kl_recording_reporter_count (failing, "update"), ==, 3);
  g_assert_cmpstr (kl_recording_reporter_event (failing, failing->events->len - 1), ==, "end");

  kl_test_inputs_load (&in, quotas_csv, pool_csv, NULL);
  cancelled->cancel_at_update = g_object_ref (cancellable);
  cancelled->cancel_after = 1;
  run2 = kl_test_run (&in, KL_ALGORITHM_LEGACY, 4, 1, KL_PROGRESS_REPORTER (cancelled), cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (kl_recording_reporter_event (cancelled, cancelled->events->len - 1), ==, "end");
  g_assert_cmpuint (kl_run_get_n_panels (run2), ==, 0);

  kl_test_inputs_clear (&in);
  kl_test_inputs_clear (&impossible);
}

static void
drive (KlProgressReporter *reporter,
       const char         *name,
       gint64              total,
       int                 updates)
{
  g_assert_true (kl_progress_reporter_start_phase (reporter, name, total, "starting", NULL));
  for (int i = 1; i <= updates; i++)
    {
      g_autofree char *message = g_strdup_printf ("step %d", i);
      g_assert_true (kl_progress_reporter_update (reporter, i, message, NULL));
    }
  g_assert_true (kl_progress_reporter_end_phase (reporter, NULL));
}

static void
test_throttle (void)
{
  g_autoptr(KlRecordingReporter) slow_sink = kl_recording_reporter_new ();
  g_autoptr(KlRecordingReporter) fast_sink = kl_recording_reporter_new ();
  g_autoptr(KlProgressReporter) hourly = kl_throttle_reporter_new (KL_PROGRESS_REPORTER (slow_sink),
                                                                   (gint64) G_USEC_PER_SEC * 3600);
  g_autoptr(KlProgressReporter) unthrottled = kl_throttle_reporter_new (KL_PROGRESS_REPORTER (fast_sink), 0);

  drive (hourly, "multiplicative_weights", 1000, 1000);
  drive (hourly, "maximin_optimization", -1, 50);
  /* Phase starts and ends always pass; of a burst of updates only the last
   * of each phase does, just before its end. */
  g_assert_cmpuint (slow_sink->events->len, ==, 6);
  g_assert_cmpstr (kl_recording_reporter_event (slow_sink, 0), ==, "start multiplicative_weights 1000 |starting");
  g_assert_cmpstr (kl_recording_reporter_event (slow_sink, 1), ==, "update 1000 |step 1000");
  g_assert_cmpstr (kl_recording_reporter_event (slow_sink, 2), ==, "end");
  g_assert_cmpstr (kl_recording_reporter_event (slow_sink, 3), ==, "start maximin_optimization -1 |starting");
  g_assert_cmpstr (kl_recording_reporter_event (slow_sink, 4), ==, "update 50 |step 50");

  drive (unthrottled, "legacy_attempt", 10, 10);
  g_assert_cmpuint (fast_sink->events->len, ==, 12);
}

static void
test_composite (void)
{
  g_autoptr(KlRecordingReporter) broken = kl_recording_reporter_new ();
  g_autoptr(KlRecordingReporter) healthy = kl_recording_reporter_new ();
  g_autoptr(KlProgressReporter) both = kl_composite_reporter_new (KL_PROGRESS_REPORTER (broken),
                                                                  KL_PROGRESS_REPORTER (healthy), NULL);
  g_autoptr(GError) error = NULL;

  broken->fail = TRUE;
  g_assert_false (kl_progress_reporter_start_phase (both, "diversimax", -1, "go", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_false (kl_progress_reporter_end_phase (both, NULL));
  /* A failing child does not keep the other from hearing the events. */
  g_assert_cmpuint (healthy->events->len, ==, 2);
  g_assert_cmpuint (broken->events->len, ==, 2);
}

static void
test_null_reporter (void)
{
  g_autoptr(KlProgressReporter) null = kl_null_reporter_new ();

  drive (null, "legacy_attempt", 3, 3);
}

static void
test_jsonl (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(KlProgressReporter) reporter = kl_jsonl_reporter_new (stream);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  const char *expected[] = { "start_phase", "update", "update", "end_phase" };

  drive (reporter, "maximin_optimization", -1, 2);
  g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL);
  text = g_strdup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);  /* four events and an empty tail */

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *event;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      event = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (event, "event"), ==, expected[i]);
      g_assert_cmpstr (json_object_get_string_member (event, "phase"), ==, "maximin_optimization");
      g_assert_true (json_object_get_null_member (event, "total"));
      if (i == 2)
        {
          g_assert_cmpint (json_object_get_int_member (event, "current"), ==, 2);
          g_assert_cmpstr (json_object_get_string_member (event, "message"), ==, "step 2");
        }
    }
}

static void
test_terminal (void)
{
  g_autofree char *path = g_build_filename (kl_test_dir (), "terminal.txt", NULL);
  FILE *stream = fopen (path, "w+");
  g_autoptr(KlProgressReporter) reporter = kl_terminal_reporter_new (stream);
  g_autofree char *text = NULL;

  /* Calls before any phase are ignored. */
  g_assert_true (kl_progress_reporter_update (reporter, 4, "early", NULL));
  g_assert_true (kl_progress_reporter_end_phase (reporter, NULL));
  drive (reporter, "legacy_attempt", 10, 3);
  drive (reporter, "maximin_optimization", -1, 2);
  fclose (stream);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_null (strstr (text, "early"));
  /* A file gets one plain line per phase (redraws are for terminals:
   * test-terminal.c), and the finished bar is full. */
  g_assert_null (strstr (text, "3/10"));
  g_assert_null (strchr (text, '\033'));
  g_assert_nonnull (strstr (text, "10/10"));
  g_assert_true (g_str_has_suffix (text, " s\n"));
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines) - 1, ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/progress/phase-names", test_phase_names);
  g_test_add_func ("/progress/legacy-phases", test_legacy_phases);
  g_test_add_func ("/progress/failing-reporter", test_failing_reporter);
  g_test_add_func ("/progress/end-on-every-path", test_end_on_every_path);
  g_test_add_func ("/progress/throttle", test_throttle);
  g_test_add_func ("/progress/composite", test_composite);
  g_test_add_func ("/progress/null", test_null_reporter);
  g_test_add_func ("/progress/jsonl", test_jsonl);
  g_test_add_func ("/progress/terminal", test_terminal);

  return g_test_run ();
}
