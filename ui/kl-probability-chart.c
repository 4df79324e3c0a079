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

#include <stdlib.h>

#define MARGIN_LEFT 56
#define MARGIN_BOTTOM 22
#define MARGIN_TOP 12

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

static void
add_text (GtkSnapshot   *snapshot,
          GtkWidget     *widget,
          const char    *text,
          float          x,
          float          y,
          const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

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
      gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, 1.5));
      return;
    }
  for (float dash = x; dash < x + width; dash += 10)
    gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (dash, y, MIN (5, x + width - dash), 1.5));
}

static void
kl_probability_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  KlProbabilityChart *self = KL_PROBABILITY_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float plot_w = width - MARGIN_LEFT - 8;
  float plot_h = height - MARGIN_BOTTOM - MARGIN_TOP;
  GdkRGBA foreground, bar = { 0.21, 0.52, 0.89, 1 }, accent = { 0.88, 0.11, 0.14, 1 };
  GdkRGBA grid;
  double top;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  grid = foreground;
  grid.alpha = 0.2;

  if (self->n == 0 || plot_w <= 0 || plot_h <= 0)
    return;

  top = MAX (self->summary.max, (double) self->k / self->n) * 1.1;
  if (top <= 0)
    top = 1;

  /* axis and scale */
  horizontal_line (snapshot, MARGIN_LEFT, MARGIN_TOP + plot_h, plot_w, &grid, FALSE);
  for (int tick = 0; tick <= 4; tick++)
    {
      double value = top * tick / 4;
      float y = MARGIN_TOP + plot_h - (float) (value / top) * plot_h;
      g_autofree char *text = g_strdup_printf ("%.0f%%", value * 100);

      horizontal_line (snapshot, MARGIN_LEFT, y, plot_w, &grid, FALSE);
      add_text (snapshot, widget, text, 4, y - 8, &foreground);
    }

  /* one bar per person */
  for (guint i = 0; i < self->n; i++)
    {
      float x0 = MARGIN_LEFT + plot_w * i / self->n;
      float x1 = MARGIN_LEFT + plot_w * (i + 1) / self->n;
      float h = (float) (self->sorted[i] / top) * plot_h;

      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (x0, MARGIN_TOP + plot_h - h, MAX (x1 - x0 - 0.5f, 0.5f), h));
    }

  /* equal chances: k/n */
  {
    float y = MARGIN_TOP + plot_h - (float) ((double) self->k / self->n / top) * plot_h;
    g_autofree char *text = g_strdup_printf (_("equal chance %.1f%%"), 100.0 * self->k / self->n);

    horizontal_line (snapshot, MARGIN_LEFT, y, plot_w, &foreground, TRUE);
    add_text (snapshot, widget, text, MARGIN_LEFT + plot_w - 150, y - 18, &foreground);
  }

  /* minimum, median, maximum */
  {
    const double marks[3] = { self->summary.min, self->summary.median, self->summary.max };
    const char *names[3] = { _("min"), _("median"), _("max") };
    const float where[3] = { 0.0f, 0.5f, 1.0f };

    for (guint m = 0; m < 3; m++)
      {
        float x = MARGIN_LEFT + plot_w * where[m];
        float y = MARGIN_TOP + plot_h - (float) (marks[m] / top) * plot_h;
        g_autofree char *text = g_strdup_printf ("%s %.2f%%", names[m], marks[m] * 100);

        gtk_snapshot_append_color (snapshot, &accent, &GRAPHENE_RECT_INIT (x - 3, y - 3, 6, 6));
        add_text (snapshot, widget, text, CLAMP (x - 40, MARGIN_LEFT, width - 130), MARGIN_TOP + plot_h + 3, &accent);
      }
  }
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
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 180;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 700 : 220;
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
      description = g_strdup_printf (_("Selection probabilities of %u people: lowest %.2f%%, median %.2f%%, highest %.2f%%"),
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
