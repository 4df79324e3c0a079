/* test-message.c — message codes, templates and rendering (spec 9)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-test-utils.h"
#include "kl-private.h"

#include <libintl.h>

static void
test_catalogue (void)
{
  for (gsize i = 0; i < kl_catalogue_size (); i++)
    {
      const KlCatalogueEntry *entry = kl_catalogue_nth (i);

      /* Sorted, because lookups bisect; every text non-empty. */
      if (i > 0)
        g_assert_cmpstr (kl_catalogue_nth (i - 1)->code, <, entry->code);
      g_assert_cmpuint (strlen (entry->text), >, 0);
      g_assert_true (kl_catalogue_lookup (entry->code) == entry);
    }
  g_assert_null (kl_catalogue_lookup ("no_such_code"));
}

static void
test_render (void)
{
  g_autoptr(KlMessage) m = kl_message_new (KL_SEVERITY_ERROR, "min_greater_than_max");
  g_autofree char *text = NULL;
  g_autofree char *located = NULL;
  g_autofree char *diagnostic = NULL;

  kl_message_set_param_int (m, "min", 10);
  kl_message_set_param_int (m, "max", 5);
  kl_message_set_location (m, "quotas.csv", 7, 6, "min", 2);
  kl_message_set_column2 (m, "max");
  text = kl_message_to_string (m);
  g_assert_cmpstr (text, ==, "The minimum (10) is above the maximum (5).");
  located = kl_message_to_located_string (m);
  g_assert_cmpstr (located, ==, "quotas.csv:7: columns “min” and “max”: The minimum (10) is above the maximum (5).\n"
                                "    Swap the two numbers, or correct the one that is wrong.");
  diagnostic = kl_message_to_diagnostic (m);
  g_assert_true (g_str_has_prefix (diagnostic, "quotas.csv:7: error: columns"));
  g_assert_cmpuint (kl_message_get_n_params (m), ==, 2);
  g_assert_cmpstr (kl_message_get_param_key (m, 1), ==, "max");
}

static void
test_missing_parameter_kept (void)
{
  g_autoptr(KlMessage) m = kl_message_new (KL_SEVERITY_INFO, "features_found");
  g_autofree char *text = kl_message_to_string (m);

  /* A placeholder without a value stays visible rather than vanishing. */
  g_assert_cmpstr (text, ==, "Found {count} features.");
}

static void
test_fail_collects_errors (void)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;

  kl_messages_add (messages, KL_SEVERITY_WARNING, "no_features");
  g_assert_false (kl_messages_fail (messages, 0, KL_ERROR, KL_ERROR_BAD_DATA, &error));
  g_assert_no_error (error);
  kl_message_set_param (kl_messages_add (messages, KL_SEVERITY_ERROR, "file_unreadable"), "reason", "a");
  kl_message_set_param (kl_messages_add (messages, KL_SEVERITY_ERROR, "file_unreadable"), "reason", "b");
  g_assert_true (kl_messages_fail (messages, 0, KL_ERROR, KL_ERROR_BAD_DATA, &error));
  g_assert_error (error, KL_ERROR, KL_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==, "The file cannot be read: a\nThe file cannot be read: b");
}

static void
test_summary (void)
{
  const double odd[] = { 3, 1, 2 };
  const double even[] = { 4, 1, 3, 2 };
  KlSummary summary;

  kl_summary_compute (odd, 3, &summary);
  g_assert_cmpfloat (summary.min, ==, 1);
  g_assert_cmpfloat (summary.median, ==, 2);
  g_assert_cmpfloat (summary.max, ==, 3);
  g_assert_cmpfloat (summary.mean, ==, 2);
  kl_summary_compute (even, 4, &summary);
  g_assert_cmpfloat (summary.median, ==, 2.5);
  g_assert_cmpfloat (even[0], ==, 4);  /* the input is not reordered */
  kl_summary_compute (NULL, 0, &summary);
  g_assert_cmpfloat (summary.max, ==, 0);
}

/* glibc's gettext caches translations; this counter tells it the language
 * changed (documented in the GNU gettext manual). */
extern int _nl_msg_cat_cntr;

/* The French catalogue, as built: every message is translated at render
 * time, placeholders and all. */
static void
test_translated (void)
{
  g_autofree char *locale_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  g_autoptr(KlMessage) m = kl_message_new (KL_SEVERITY_ERROR, "min_greater_than_max");
  g_autofree char *french = NULL;
  g_autofree char *english = NULL;

  g_test_summary ("Messages render in the reader's language from the project's catalogue");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  kl_message_set_param_int (m, "min", 10);
  kl_message_set_param_int (m, "max", 5);

  g_setenv ("LANGUAGE", "fr", TRUE);
  ++_nl_msg_cat_cntr;
  french = kl_message_to_string (m);
  g_setenv ("LANGUAGE", "C", TRUE);
  ++_nl_msg_cat_cntr;
  english = kl_message_to_string (m);

  g_assert_cmpstr (french, ==, "Le minimum (10) est supérieur au maximum (5).");
  g_assert_cmpstr (english, ==, "The minimum (10) is above the maximum (5).");

  /* French plural forms: 0 and 1 are singular, 2 and more plural. */
  {
    g_autoptr(KlMessage) one = kl_message_new (KL_SEVERITY_ERROR, "duplicate_ids_differing_found");
    g_autoptr(KlMessage) two = kl_message_new (KL_SEVERITY_ERROR, "duplicate_ids_differing_found");
    g_autofree char *one_text = NULL;
    g_autofree char *two_text = NULL;

    kl_message_set_param_int (one, "count", 1);
    kl_message_set_param_int (two, "count", 2);
    g_setenv ("LANGUAGE", "fr", TRUE);
    ++_nl_msg_cat_cntr;
    one_text = kl_message_to_string (one);
    two_text = kl_message_to_string (two);
    g_setenv ("LANGUAGE", "C", TRUE);
    ++_nl_msg_cat_cntr;
    g_assert_cmpstr (one_text, ==, "1 identifiant est utilisé pour des personnes aux données différentes.");
    g_assert_cmpstr (two_text, ==, "2 identifiants sont utilisés pour des personnes aux données différentes.");
  }
}

/* Texts with a {count} take the grammatical number of the count. */
static void
test_plural_forms (void)
{
  const struct { const char *count, *text; } cases[] = {
    { "1", "1 id is used for people with different data." },
    { "0", "0 ids are used for people with different data." },
    { "3", "3 ids are used for people with different data." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KlMessage) message = kl_message_new (KL_SEVERITY_ERROR, "duplicate_ids_differing_found");
      g_autofree char *text = NULL;

      kl_message_set_param (message, "count", cases[i].count);
      text = kl_message_to_string (message);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/message/catalogue", test_catalogue);
  g_test_add_func ("/message/plural-forms", test_plural_forms);
  g_test_add_func ("/message/render", test_render);
  g_test_add_func ("/message/missing-parameter-kept", test_missing_parameter_kept);
  g_test_add_func ("/message/fail-collects-errors", test_fail_collects_errors);
  g_test_add_func ("/message/summary", test_summary);
  g_test_add_func ("/message/translated", test_translated);

  return g_test_run ();
}
