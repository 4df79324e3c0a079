/* kl-results-page.c — the panel, its quotas, everyone's chances, the report
 *
 * Written for an organiser, not a statistician: chances in percentages,
 * the optimality gap in words, what the panel was drawn from, and a test
 * selection never described as random. The page belongs to one run; when
 * other files are opened afterwards, a banner says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-results-page.h"
#include "kl-table-view.h"

struct _KlResultsPage {
  AdwBin parent_instance;

  GtkStack *stack;
  GtkRevealer *stale_revealer;
  GtkLabel *test_banner;
  GtkLabel *summary_label;
  GtkLabel *drawn_from_label;
  AdwPreferencesGroup *chart_group;
  AdwPreferencesGroup *panel_group;
  KlProbabilityChart *chart;
  GtkColumnView *panel_view;
  GtkColumnView *quota_view;
  GtkTextView *report_view;
  GtkWidget *draw_button;
  GtkWidget *export_button;
};

G_DEFINE_FINAL_TYPE (KlResultsPage, kl_results_page, ADW_TYPE_BIN)

/* "9.5 %", with more digits only where they are needed to differ. */
static char *
percent (double probability)
{
  double value = probability * 100;

  if (value != 0 && value < 0.1)
    return g_strdup_printf (_("%.2f %%"), value);
  return g_strdup_printf (_("%.1f %%"), value);
}

static void
append_chances (GString *out,
                KlRun   *run)
{
  const double *probabilities = kl_run_get_probabilities (run);
  KlPool *pool = kl_run_get_pool (run);
  guint n = kl_pool_get_n_people (pool);
  int k = kl_run_get_params (run)->number_wanted;
  KlMessage *line = kl_report_find_line (kl_run_get_report (run), "maximin_value");
  double lowest = 1;
  guint excluded = 0;
  g_autofree char *lowest_text = NULL;
  g_autofree char *equal_text = NULL;

  if (probabilities == NULL || n == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      /* Nobody can choose to sit on no panel at all: those the quotas
       * leave out are counted apart. */
      if (probabilities[i] < 1e-9)
        excluded++;
      else
        lowest = MIN (lowest, probabilities[i]);
    }
  lowest_text = percent (lowest);
  equal_text = percent ((double) k / n);

  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Every volunteer has at least a %s chance; equal chances would give %s."),
                          lowest_text, equal_text);
  if (excluded > 0)
    {
      g_string_append_c (out, ' ');
      g_string_append_printf (out, ngettext ("%u person cannot sit on any panel that meets the quotas.",
                                             "%u people cannot sit on any panel that meets the quotas.",
                                             excluded),
                              excluded);
    }

  if (line != NULL && kl_message_get_param (line, "gap") != NULL)
    {
      double gap = g_ascii_strtod (kl_message_get_param (line, "gap"), NULL) * 100;

      g_string_append_c (out, ' ');
      if (gap < 0.005)
        g_string_append (out, _("This lowest chance is proved optimal: no selection under these quotas "
                                "could give everyone more."));
      else
        {
          g_autofree char *points = g_strdup_printf (gap < 0.1 ? "%.2f" : "%.1f", gap);
          g_string_append_printf (out, _("This lowest chance is within %s percentage points of the best possible."),
                                  points);
        }
    }
}

/**
 * kl_results_page_summarize:
 *
 * What a run did, in sentences: how many people, by lot or not, how, the
 * chances, the randomness (never claimed for a test selection) and, for a
 * lottery, the public draw still to come.
 */
char *
kl_results_page_summarize (KlRun *run)
{
  const KlRunParams *params = kl_run_get_params (run);
  GString *out = g_string_new (NULL);

  if (params->test_selection)
    {
      g_string_append_printf (out, ngettext ("Test selection of %d person. It was not drawn by lot.",
                                             "Test selection of %d people. It was not drawn by lot.",
                                             params->number_wanted),
                              params->number_wanted);
      return g_string_free (out, FALSE);
    }

  if (kl_run_get_n_panels (run) > 1)
    {
      g_autofree char *digest = kl_run_get_distribution_digest (run);

      g_string_append_printf (out, _("%u equally likely panels of %d people, made with “%s”, wait for a public "
                                     "draw; the SHA-256 of their list is %s. No panel is selected until that "
                                     "draw."),
                              kl_run_get_n_panels (run), params->number_wanted,
                              kl_algorithm_get_title (params->algorithm), digest);
    }
  else
    g_string_append_printf (out, ngettext ("%d person selected by lot with “%s”.",
                                           "%d people selected by lot with “%s”.", params->number_wanted),
                            params->number_wanted, kl_algorithm_get_title (params->algorithm));

  append_chances (out, run);

  g_string_append_c (out, '\n');
  if (kl_run_is_secure (run))
    g_string_append (out, _("Randomness: the operating system's secure generator."));
  else
    {
      g_autofree char *seed = g_strdup_printf ("%" G_GINT64_FORMAT, params->seed);
      g_string_append_printf (out, _("Randomness: seed %s, so anyone can repeat this draw."), seed);
    }
  return g_string_free (out, FALSE);
}

static void
show_quota_table (KlResultsPage *self,
                  KlRun         *run)
{
  KlPool *pool = kl_run_get_pool (run);
  KlQuotas *quotas = kl_pool_get_quotas (pool);
  g_autofree guint *pool_counts = kl_pool_count_per_value (pool);
  g_autofree guint *selected = g_new0 (guint, MAX (kl_quotas_get_n_slots (quotas), 1));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n;
  const guint *panel = kl_run_get_panel (run, 0, &n);
  char **header = g_new0 (char *, 6);

  header[0] = g_strdup (_("Feature"));
  header[1] = g_strdup (_("Value"));
  header[2] = g_strdup (_("Target"));
  header[3] = g_strdup (_("In the pool"));
  header[4] = g_strdup (kl_run_get_n_panels (run) > 1 ? _("In panel 1") : _("Selected"));
  g_ptr_array_add (rows, header);

  for (guint i = 0; i < n; i++)
    for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
      selected[kl_quotas_get_slot (quotas, f, kl_pool_get_value (pool, panel[i], f))]++;

  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        guint s = kl_quotas_get_slot (quotas, f, v);
        char **row = g_new0 (char *, 6);

        row[0] = g_strdup (kl_quotas_get_feature (quotas, f)->name);
        row[1] = g_strdup (quota->name);
        row[2] = quota->min == quota->max ? g_strdup_printf ("%d", quota->min)
                                          : g_strdup_printf ("%d–%d", quota->min, quota->max);
        row[3] = g_strdup_printf ("%u", pool_counts[s]);
        row[4] = g_strdup_printf ("%u", selected[s]);
        g_ptr_array_add (rows, row);
      }
  kl_table_view_set_rows (self->quota_view, rows);
}

static void
show_panel (KlResultsPage    *self,
            KlRun            *run,
            const KlSettings *settings,
            KlPool           *already,
            guint             index)
{
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) remaining = NULL;
  guint n;
  const guint *panel = kl_run_get_panel (run, index, &n);

  kl_output_build_tables (kl_run_get_pool (run), settings, panel, n, already, KL_OUTPUT_NONE,
                          &selected, &remaining);
  kl_table_view_set_rows (self->panel_view, selected);
}

/**
 * kl_results_page_show_run:
 * @drawn_from: which files, and when, in a sentence
 *
 * Shows a finished run.
 */
void
kl_results_page_show_run (KlResultsPage    *self,
                          KlRun            *run,
                          const KlSettings *settings,
                          KlPool           *already,
                          const char       *drawn_from)
{
  g_autofree char *summary = NULL;
  g_autofree char *report = NULL;
  const double *probabilities;
  gboolean lottery;

  g_return_if_fail (KL_IS_RESULTS_PAGE (self));
  g_return_if_fail (run != NULL);

  summary = kl_results_page_summarize (run);
  report = kl_report_to_text (kl_run_get_report (run));
  probabilities = kl_run_get_probabilities (run);
  lottery = kl_run_get_n_panels (run) > 1;

  show_panel (self, run, settings, already, 0);
  show_quota_table (self, run);

  /* One suggested action: the public draw before a lottery's export. */
  gtk_widget_set_visible (self->draw_button, lottery);
  gtk_widget_add_css_class (self->draw_button, "suggested-action");
  if (lottery)
    gtk_widget_remove_css_class (self->export_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->export_button, "suggested-action");

  if (lottery)
    {
      g_autofree char *title = g_strdup_printf (_("Panel 1 of %u, before the public draw"), kl_run_get_n_panels (run));
      adw_preferences_group_set_title (self->panel_group, title);
    }
  else
    adw_preferences_group_set_title (self->panel_group, _("Panel"));

  gtk_label_set_text (self->summary_label, summary);
  gtk_label_set_text (self->drawn_from_label, drawn_from);
  gtk_widget_set_visible (GTK_WIDGET (self->test_banner), kl_run_get_params (run)->test_selection);
  kl_probability_chart_set (self->chart, probabilities, kl_pool_get_n_people (kl_run_get_pool (run)),
                            kl_run_get_params (run)->number_wanted);
  gtk_widget_set_visible (GTK_WIDGET (self->chart_group), probabilities != NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->report_view), report, -1);

  kl_results_page_set_stale (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "result");
}

/**
 * kl_results_page_show_drawn:
 * @panel_number: the panel the public number picked, 1-based
 *
 * Shows the panel a lottery's public draw picked: now, and only now, the
 * selected people.
 */
void
kl_results_page_show_drawn (KlResultsPage    *self,
                            KlRun            *run,
                            const KlSettings *settings,
                            KlPool           *already,
                            guint             panel_number,
                            const char       *public_number)
{
  g_autofree char *title = NULL;
  g_autofree char *before = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (KL_IS_RESULTS_PAGE (self));
  g_return_if_fail (panel_number >= 1 && panel_number <= kl_run_get_n_panels (run));

  show_panel (self, run, settings, already, panel_number - 1);
  title = g_strdup_printf (_("Selected: panel %u of %u, drawn with the public number %s"), panel_number,
                           kl_run_get_n_panels (run), public_number);
  before = kl_results_page_summarize (run);
  summary = g_strdup_printf ("%s\n%s", before, title);
  gtk_label_set_text (self->summary_label, summary);
  adw_preferences_group_set_title (self->panel_group, title);
  gtk_widget_remove_css_class (self->draw_button, "suggested-action");
  gtk_widget_add_css_class (self->export_button, "suggested-action");
}

const char *
kl_results_page_get_panel_title (KlResultsPage *self)
{
  return adw_preferences_group_get_title (self->panel_group);
}

/**
 * kl_results_page_set_stale:
 *
 * Whether other files are open than the ones the results were drawn from.
 */
void
kl_results_page_set_stale (KlResultsPage *self,
                           gboolean       stale)
{
  g_return_if_fail (KL_IS_RESULTS_PAGE (self));

  gtk_revealer_set_reveal_child (self->stale_revealer, stale);
}

gboolean
kl_results_page_get_stale (KlResultsPage *self)
{
  return gtk_revealer_get_reveal_child (self->stale_revealer);
}

/**
 * kl_results_page_set_running:
 *
 * Whether a selection is running. Without a result to show, the page says
 * that one is on its way rather than how to start one.
 */
void
kl_results_page_set_running (KlResultsPage *self,
                             gboolean       running)
{
  const char *shown;

  g_return_if_fail (KL_IS_RESULTS_PAGE (self));

  shown = gtk_stack_get_visible_child_name (self->stack);
  if (running && g_str_equal (shown, "empty"))
    gtk_stack_set_visible_child_name (self->stack, "running");
  else if (!running && g_str_equal (shown, "running"))
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* "empty", "running" or "result". */
const char *
kl_results_page_get_state (KlResultsPage *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
kl_results_page_get_summary (KlResultsPage *self)
{
  return gtk_label_get_text (self->summary_label);
}

GtkColumnView *
kl_results_page_get_panel_view (KlResultsPage *self)
{
  return self->panel_view;
}

KlProbabilityChart *
kl_results_page_get_chart (KlResultsPage *self)
{
  return self->chart;
}

static void
kl_results_page_dispose (GObject *object)
{
  /* AdwBin unparents its child, the template's top widget, itself;
   * disposing the template too would unparent it twice. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  G_OBJECT_CLASS (kl_results_page_parent_class)->dispose (object);
}

static void
kl_results_page_class_init (KlResultsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kl_results_page_dispose;

  g_type_ensure (KL_TYPE_PROBABILITY_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kleroterion/Kleroterion/kl-results-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, KlResultsPage, name)
  CHILD (stack);
  CHILD (stale_revealer);
  CHILD (test_banner);
  CHILD (summary_label);
  CHILD (drawn_from_label);
  CHILD (chart_group);
  CHILD (panel_group);
  CHILD (chart);
  CHILD (panel_view);
  CHILD (quota_view);
  CHILD (report_view);
  CHILD (draw_button);
  CHILD (export_button);
#undef CHILD
}

static void
kl_results_page_init (KlResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
