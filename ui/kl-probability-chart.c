/* kl-probability-chart.c
 *
 * One bar per person, sorted from the lowest chance to the highest, with
 * the minimum, median and maximum marked and a dashed line at k/n, the
 * chance everyone would have if all were equal. Maximin lifts the left end
 * of the chart as high as the quotas allow; that is the picture of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <kleroterion.h>

#include "kl-probability-chart.h"

#include <math.h>
#include <stdlib.h>

#define MARGIN_RIGHT 12
#define LABEL_GAP 12

struct _KlProbabilityChart {
  GtkWidget parent_instance;
  double *sorted;
  guint n;
  guint k;
  KlSummary summary;
};

G_DEFINE_FINAL_TYPE (KlProbabilityChart, kl_probability_chart, GTK_TYPE_WIDGET)

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static PangoLayout *
text_layout (GtkWidget  *widget,
             const char *text,
             int        *width,
             int        *height)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  pango_layout_get_pixel_size (layout, width, height);
  return layout;
}

static void
add_layout (GtkSnapshot   *snapshot,
            PangoLayout   *layout,
            float          x,
            float          y,
            const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
horizontal_line (GtkSnapshot   *snapshot,
                 float          x,
                 float          y,
                 float          width,
                 const GdkRGBA *color,
                 gboolean       dashed)
{
  if (!dashed)
    {
      gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, 1));
      return;
    }
  for (float dash = x; dash < x + width; dash += 10)
    gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (dash, y - 0.5f, MIN (6, x + width - dash), 2));
}

/**
 * kl_probability_chart_nice_step:
 *
 * The step between ticks for a scale from 0 to @top: 1, 2, 2.5 or 5 times
 * a power of ten, so that there are between three and six ticks.
 */
double
kl_probability_chart_nice_step (double top)
{
  const double factors[] = { 1, 2, 2.5, 5 };
  double magnitude;

  if (top <= 0)
    return 1;
  magnitude = pow (10, floor (log10 (top)) - 1);
  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
        if (top / (factors[i] * magnitude) <= 5)
          return factors[i] * magnitude;
      magnitude *= 10;
    }
}

/* The theme's accent: its text colour for marks and words, its background
 * colour, lightened, for the bars. Both follow light and dark styles. */
static void
theme_colors (GtkWidget *widget,
              GdkRGBA   *foreground,
              GdkRGBA   *accent,
              GdkRGBA   *bar)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, foreground);
  if (!gtk_style_context_lookup_color (context, "accent_color", accent))
    gdk_rgba_parse (accent, "#1c71d8");
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", bar))
    gdk_rgba_parse (bar, "#3584e4");
  bar->alpha = 0.45f;
}

static char *
percent_text (double value)
{
  int digits = value * 100 < 1 ? 2 : 1;

  return g_strdup_printf ("%.*f %%", digits, value * 100);
}

static void
kl_probability_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  KlProbabilityChart *self = KL_PROBABILITY_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  GdkRGBA foreground, accent, bar, grid;
  double equal, step, top;
  int n_ticks, text_w, text_h, margin_left = 0, rows_needed = 1;
  float plot_x, plot_w, plot_y, plot_h;
  g_autoptr(PangoLayout) legend = NULL;
  const double marks[3] = { self->summary.min, self->summary.median, self->summary.max };
  const char *names[3] = { _("lowest"), _("median"), _("highest") };
  PangoLayout *mark_layouts[3] = { NULL };
  float mark_x[3];
  int mark_w[3], mark_row[3];

  if (self->n == 0)
    return;

  theme_colors (widget, &foreground, &accent, &bar);
  grid = foreground;
  grid.alpha = 0.15f;
  equal = (double) self->k / self->n;

  /* A round scale: 0, 5, 10, 15 %, never 0, 4, 7, 11 %. */
  step = kl_probability_chart_nice_step (MAX (self->summary.max, equal) * 1.05);
  n_ticks = (int) ceil (MAX (self->summary.max, equal) * 1.05 / step - 1e-9);
  n_ticks = MAX (n_ticks, 1);
  top = step * n_ticks;

  for (int tick = 0; tick <= n_ticks; tick++)
    {
      g_autofree char *text = g_strdup_printf ("%g %%", step * tick * 100);
      g_autoptr(PangoLayout) layout = text_layout (widget, text, &text_w, &text_h);
      margin_left = MAX (margin_left, text_w + 8);
    }

  /* The legend has a line of its own above the bars, so it never covers
   * them; the marks' labels go below the axis, on as many rows as they
   * need not to overlap. */
  {
    g_autofree char *text = NULL;
    g_autofree char *value = percent_text (equal);
    text = g_strdup_printf (_("dashed line: equal chances, %s"), value);
    legend = text_layout (widget, text, &text_w, &text_h);
  }

  plot_x = margin_left;
  plot_w = width - margin_left - MARGIN_RIGHT;
  if (plot_w <= 0)
    return;

  for (guint m = 0; m < 3; m++)
    {
      g_autofree char *value = percent_text (marks[m]);
      g_autofree char *text = g_strdup_printf ("%s %s", names[m], value);
      float where = m == 0 ? 0.0f : m == 1 ? 0.5f : 1.0f;
      int h;

      mark_layouts[m] = text_layout (widget, text, &mark_w[m], &h);
      mark_x[m] = CLAMP (plot_x + plot_w * where - mark_w[m] / 2.0f, plot_x, width - MARGIN_RIGHT - mark_w[m]);
      mark_row[m] = 0;
      for (guint other = 0; other < m; other++)
        if (mark_row[other] == mark_row[m] && mark_x[m] < mark_x[other] + mark_w[other] + LABEL_GAP)
          mark_row[m]++;
      rows_needed = MAX (rows_needed, mark_row[m] + 1);
    }

  plot_y = text_h + 10;
  plot_h = height - plot_y - rows_needed * (text_h + 2) - 8;
  if (plot_h <= 0)
    goto out;

  /* scale */
  for (int tick = 0; tick <= n_ticks; tick++)
    {
      double value = step * tick;
      float y = plot_y + plot_h - (float) (value / top) * plot_h;
      g_autofree char *text = g_strdup_printf ("%g %%", value * 100);
      g_autoptr(PangoLayout) layout = text_layout (widget, text, &text_w, &text_h);

      horizontal_line (snapshot, plot_x, y, plot_w, &grid, FALSE);
      add_layout (snapshot, layout, plot_x - 6 - text_w, y - text_h / 2.0f, &foreground);
    }

  /* one bar per person */
  for (guint i = 0; i < self->n; i++)
    {
      float x0 = plot_x + plot_w * i / self->n;
      float x1 = plot_x + plot_w * (i + 1) / self->n;
      float h = (float) (self->sorted[i] / top) * plot_h;

      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (x0, plot_y + plot_h - h, MAX (x1 - x0 - 0.5f, 0.5f), h));
    }

  /* equal chances: k/n, with the legend above the plot */
  horizontal_line (snapshot, plot_x, plot_y + plot_h - (float) (equal / top) * plot_h, plot_w, &foreground, TRUE);
  add_layout (snapshot, legend, plot_x, 0, &foreground);

  /* lowest, median, highest: a dot on the bars, a label under the axis */
  for (guint m = 0; m < 3; m++)
    {
      float where = m == 0 ? 0.0f : m == 1 ? 0.5f : 1.0f;
      float x = plot_x + plot_w * where;
      float y = plot_y + plot_h - (float) (marks[m] / top) * plot_h;
      GskRoundedRect dot;

      gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8), 4);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &accent, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8));
      gtk_snapshot_pop (snapshot);
      add_layout (snapshot, mark_layouts[m], mark_x[m], plot_y + plot_h + 4 + mark_row[m] * (text_h + 2), &accent);
    }

out:
  for (guint m = 0; m < 3; m++)
    g_clear_object (&mark_layouts[m]);
}

static void
kl_probability_chart_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 700 : 260;
}

static void
kl_probability_chart_finalize (GObject *object)
{
  g_free (KL_PROBABILITY_CHART (object)->sorted);
  G_OBJECT_CLASS (kl_probability_chart_parent_class)->finalize (object);
}

static void
kl_probability_chart_class_init (KlProbabilityChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = kl_probability_chart_finalize;
  widget_class->snapshot = kl_probability_chart_snapshot;
  widget_class->measure = kl_probability_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "probabilitychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kl_probability_chart_init (KlProbabilityChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chart of each person's chance of selection"), -1);
}

GtkWidget *
kl_probability_chart_new (void)
{
  return g_object_new (KL_TYPE_PROBABILITY_CHART, NULL);
}

void
kl_probability_chart_set (KlProbabilityChart *self,
                          const double       *probabilities,
                          guint               n,
                          guint               k)
{
  g_autofree char *description = NULL;

  g_clear_pointer (&self->sorted, g_free);
  self->n = probabilities ? n : 0;
  self->k = k;
  if (self->n > 0)
    {
      self->sorted = g_memdup2 (probabilities, n * sizeof (double));
      qsort (self->sorted, n, sizeof (double), compare_double);
      kl_summary_compute (self->sorted, n, &self->summary);
      description = g_strdup_printf (_("Chances of selection of %u people: lowest %.2f %%, median %.2f %%, highest %.2f %%"),
                                     n, self->summary.min * 100, self->summary.median * 100,
                                     self->summary.max * 100);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      description, -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
kl_probability_chart_get_n (KlProbabilityChart *self)
{
  return self->n;
}
