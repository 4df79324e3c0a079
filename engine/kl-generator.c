/* kl-generator.c — pools that behave like real recruitment
 *
 * Real pools are not uniform: features are correlated (age with employment,
 * region with housing) and people self-select, so some groups are
 * over-represented against the population the quotas are made from. A few
 * latent "kinds of people" give the correlation; a per-value propensity to
 * volunteer gives the bias.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <math.h>

#define N_CLASSES 4
#define MAX_VALUES 8

static const struct {
  const char *name;
  const char *values[MAX_VALUES + 1];
} known_features[] = {
  { "gender", { "Female", "Male", "Non-binary", NULL } },
  { "age", { "16-24", "25-34", "35-49", "50-64", "65+", NULL } },
  { "region", { "North", "South", "East", "West", "Central", "Coast", NULL } },
  { "education", { "None", "Secondary", "Vocational", "Degree", NULL } },
  { "housing", { "Owner", "Private renter", "Social renter", NULL } },
  { "employment", { "Employed", "Self-employed", "Unemployed", "Student", "Retired", NULL } },
  { "ethnicity", { "White", "Black", "Asian", "Mixed", "Other", NULL } },
  { "disability", { "Yes", "No", NULL } },
};

static const char * const first_names[] = {
  "Alex", "Sam", "Maria", "Ahmed", "Chloe", "Tomasz", "Aisha", "Liam", "Mei", "Olu",
  "Fatima", "Noah", "Grace", "Kofi", "Ines", "Jack", "Priya", "Ewan", "Zofia", "Yusuf",
};

static const char * const last_names[] = {
  "Smith", "Jones", "Khan", "Nowak", "Okafor", "Brown", "Garcia", "Murphy", "Chen", "Patel",
  "Wilson", "Evans", "Ali", "Rossi", "Campbell", "Singh", "Kowalski", "Byrne", "Taylor", "Hughes",
};

static const char * const streets[] = {
  "High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Victoria Street",
  "Green Lane", "Manor Road", "Kings Road", "Queen Street",
};

static const char * const kept_names[] = {
  "first_name", "last_name", "email", "phone", "address1", "postcode",
  "city", "date_of_birth", "notes", "source",
};

void
kl_generator_options_init (KlGeneratorOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_people = 300;
  options->n_features = 4;
  options->panel_size = 30;
  options->n_kept = 6;
  options->bias = 0.3;
  options->household_share = 0.1;
  options->tightness = 0.3;
  options->seed = 1;
}

typedef struct {
  char *name;
  guint n_values;
  char *values[MAX_VALUES];
  double share[MAX_VALUES];              /* in the population */
  double by_class[N_CLASSES][MAX_VALUES];
  double propensity[MAX_VALUES];         /* relative willingness to volunteer */
} Feature;

static guint
draw (GRand        *rand,
      const double *weights,
      guint         n)
{
  double total = 0, u;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  u = g_rand_double (rand) * total;
  for (guint i = 0; i < n; i++)
    {
      if (u < weights[i])
        return i;
      u -= weights[i];
    }
  return n - 1;
}

static void
make_feature (Feature                  *feature,
              guint                     index,
              const KlGeneratorOptions *options,
              GRand                    *rand)
{
  if (index < G_N_ELEMENTS (known_features))
    {
      feature->name = g_strdup (known_features[index].name);
      for (feature->n_values = 0; known_features[index].values[feature->n_values]; feature->n_values++)
        feature->values[feature->n_values] = g_strdup (known_features[index].values[feature->n_values]);
    }
  else
    {
      feature->name = g_strdup_printf ("feature%u", index + 1);
      feature->n_values = g_rand_int_range (rand, 2, 6);
      for (guint v = 0; v < feature->n_values; v++)
        feature->values[v] = g_strdup_printf ("Group %c", 'A' + v);
    }

  for (guint v = 0; v < feature->n_values; v++)
    feature->share[v] = 0.4 + g_rand_double (rand);
  /* Non-binary people are a small group in every census. */
  if (index == 0)
    feature->share[2] = 0.04;

  for (guint c = 0; c < N_CLASSES; c++)
    for (guint v = 0; v < feature->n_values; v++)
      feature->by_class[c][v] = feature->share[v] * exp (1.2 * (g_rand_double (rand) - 0.5));

  /* The population share is the mixture the classes make, so quotas built
   * from it are the ones a pool without bias would match. */
  for (guint v = 0; v < feature->n_values; v++)
    {
      feature->share[v] = 0;
      for (guint c = 0; c < N_CLASSES; c++)
        {
          double row = 0;
          for (guint w = 0; w < feature->n_values; w++)
            row += feature->by_class[c][w];
          feature->share[v] += feature->by_class[c][v] / row / N_CLASSES;
        }
    }

  for (guint v = 0; v < feature->n_values; v++)
    feature->propensity[v] = 1.0 + options->bias * (2.0 * g_rand_double (rand) - 1.0);
}

static void
feature_clear (Feature *feature)
{
  g_free (feature->name);
  for (guint v = 0; v < feature->n_values; v++)
    g_free (feature->values[v]);
}

static char *
kept_cell (const char *column,
           guint       person,
           GRand      *rand,
           const char *first,
           const char *last)
{
  if (g_str_equal (column, "first_name"))
    return g_strdup (first);
  if (g_str_equal (column, "last_name"))
    return g_strdup (last);
  if (g_str_equal (column, "email"))
    return g_strdup_printf ("%c.%s%u@example.org", g_ascii_tolower (first[0]), last, person + 1);
  if (g_str_equal (column, "phone"))
    return g_strdup_printf ("07700 %06u", g_rand_int_range (rand, 0, 999999));
  if (g_str_equal (column, "city"))
    return g_strdup ((const char *[]) { "Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast" }[g_rand_int_range (rand, 0, 5)]);
  if (g_str_equal (column, "date_of_birth"))
    return g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1940, 2008),
                            g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
  if (g_str_equal (column, "notes"))
    return g_strdup (g_rand_boolean (rand) ? "" : "Needs step-free access, \"ground floor\"");
  if (g_str_equal (column, "source"))
    return g_strdup ((const char *[]) { "letter", "web", "phone" }[g_rand_int_range (rand, 0, 3)]);
  return g_strdup_printf ("%s %u", column, person + 1);
}

gboolean
kl_generate (const KlGeneratorOptions  *options,
             char                     **pool_csv,
             char                     **quotas_csv,
             KlSettings               **settings,
             GError                   **error)
{
  g_autoptr(GRand) rand = NULL;
  g_autofree Feature *features = NULL;
  g_autoptr(GString) pool = g_string_new (NULL);
  g_autoptr(GString) quotas = g_string_new (NULL);
  g_autoptr(GPtrArray) header = g_ptr_array_new ();
  g_autofree guint *counts = NULL;
  g_autofree guint *values = NULL;
  g_autofree guint *household_of = NULL;
  guint n_kept, offset, n_slots = 0;
  double max_propensity = 1.0;

  g_return_val_if_fail (options != NULL, FALSE);

  if (options->n_people == 0 || options->panel_size == 0 || options->panel_size > options->n_people)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_CONFIGURATION,
                   _("The panel (%u) must have at least one person and no more than the pool (%u)."),
                   options->panel_size, options->n_people);
      return FALSE;
    }

  rand = g_rand_new_with_seed (options->seed);
  features = g_new0 (Feature, MAX (options->n_features, 1));
  for (guint f = 0; f < options->n_features; f++)
    {
      make_feature (&features[f], f, options, rand);
      n_slots += features[f].n_values;
    }
  for (guint f = 0; f < options->n_features; f++)
    {
      double top = 0;
      for (guint v = 0; v < features[f].n_values; v++)
        top = MAX (top, features[f].propensity[v]);
      max_propensity *= top;
    }

  /* Draw people from the population and keep each with their propensity to
   * volunteer, until the pool is full. */
  values = g_new (guint, (gsize) options->n_people * MAX (options->n_features, 1));
  counts = g_new0 (guint, MAX (n_slots, 1));
  for (guint i = 0; i < options->n_people; )
    {
      guint c = g_rand_int_range (rand, 0, N_CLASSES);
      double propensity = 1.0;

      for (guint f = 0; f < options->n_features; f++)
        {
          guint v = draw (rand, features[f].by_class[c], features[f].n_values);
          values[(gsize) i * options->n_features + f] = v;
          propensity *= features[f].propensity[v];
        }

      if (g_rand_double (rand) * max_propensity > propensity)
        continue;

      offset = 0;
      for (guint f = 0; f < options->n_features; f++)
        {
          counts[offset + values[(gsize) i * options->n_features + f]]++;
          offset += features[f].n_values;
        }
      i++;
    }

  n_kept = MIN (options->n_kept, G_N_ELEMENTS (kept_names));
  household_of = g_new (guint, options->n_people);

  g_ptr_array_add (header, (gpointer) "id");
  for (guint k = 0; k < n_kept; k++)
    g_ptr_array_add (header, (gpointer) kept_names[k]);
  for (guint f = 0; f < options->n_features; f++)
    g_ptr_array_add (header, features[f].name);
  kl_csv_append_row (pool, (const char * const *) header->pdata, header->len);

  for (guint i = 0; i < options->n_people; i++)
    {
      g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
      const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      guint home;

      household_of[i] = i;
      if (i > 0 && g_rand_double (rand) < options->household_share)
        household_of[i] = household_of[g_rand_int_range (rand, 0, i)];
      home = household_of[i];

      g_ptr_array_add (row, g_strdup_printf ("P%06u", i + 1));
      for (guint k = 0; k < n_kept; k++)
        {
          if (g_str_equal (kept_names[k], "address1"))
            g_ptr_array_add (row, g_strdup_printf ("%u %s", home / 10 + 1, streets[home % 10]));
          else if (g_str_equal (kept_names[k], "postcode"))
            g_ptr_array_add (row, g_strdup_printf ("KL%u %u%c%c", home % 97 + 1, home % 9 + 1,
                                                   'A' + home % 23, 'A' + (home / 23) % 26));
          else
            g_ptr_array_add (row, kept_cell (kept_names[k], i, rand, first, last));
        }
      for (guint f = 0; f < options->n_features; f++)
        g_ptr_array_add (row, g_strdup (features[f].values[values[(gsize) i * options->n_features + f]]));
      kl_csv_append_row (pool, (const char * const *) row->pdata, row->len);
    }

  /* Quotas around each value's population share of the panel: loose ones
   * leave the algorithms room, tight ones pin every value near its share. */
  g_string_append (quotas, "feature,value,min,max,min_flex,max_flex\r\n");
  offset = 0;
  for (guint f = 0; f < options->n_features; f++)
    {
      double total = 0;

      for (guint v = 0; v < features[f].n_values; v++)
        total += features[f].share[v];

      for (guint v = 0; v < features[f].n_values; v++)
        {
          double ideal = options->panel_size * features[f].share[v] / total;
          double slack = MAX (1.0, ideal * (0.4 - 0.35 * CLAMP (options->tightness, 0, 1)));
          int min = (int) floor (ideal - slack);
          int max = (int) ceil (ideal + slack);
          const char *cells[6];
          char numbers[4][16];

          min = CLAMP (min, 0, (int) counts[offset + v]);
          max = MAX (max, min);
          g_snprintf (numbers[0], 16, "%d", min);
          g_snprintf (numbers[1], 16, "%d", max);
          g_snprintf (numbers[2], 16, "%d", 0);
          g_snprintf (numbers[3], 16, "%u", options->panel_size);
          cells[0] = features[f].name;
          cells[1] = features[f].values[v];
          cells[2] = numbers[0];
          cells[3] = numbers[1];
          cells[4] = numbers[2];
          cells[5] = numbers[3];
          kl_csv_append_row (quotas, cells, 6);
        }
      offset += features[f].n_values;
    }

  if (settings != NULL)
    {
      KlSettings *s = kl_settings_new ();
      g_autoptr(GPtrArray) keep = g_ptr_array_new ();

      for (guint k = 0; k < n_kept; k++)
        if (!g_str_equal (kept_names[k], "address1") && !g_str_equal (kept_names[k], "postcode"))
          g_ptr_array_add (keep, (gpointer) kept_names[k]);
      g_ptr_array_add (keep, NULL);
      g_strfreev (s->columns_to_keep);
      s->columns_to_keep = g_strdupv ((char **) keep->pdata);

      if (n_kept > 5 && options->household_share > 0)
        {
          g_strfreev (s->check_same_address_columns);
          s->check_same_address = TRUE;
          s->check_same_address_columns = g_strsplit ("address1,postcode", ",", -1);
        }
      *settings = s;
    }

  for (guint f = 0; f < options->n_features; f++)
    feature_clear (&features[f]);

  if (pool_csv)
    *pool_csv = g_string_free (g_steal_pointer (&pool), FALSE);
  if (quotas_csv)
    *quotas_csv = g_string_free (g_steal_pointer (&quotas), FALSE);
  return TRUE;
}

/* The Python tool's gen-sample (spec 8.4): ids p0…, kept columns "<name> <x>",
 * and each feature drawn in proportion to its maximum. */
char *
kl_generate_sample (const KlQuotas    *quotas,
                    const KlSettings  *settings,
                    guint              n_people,
                    guint32            seed,
                    GError           **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) header = g_ptr_array_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_auto(GStrv) full_kept = kl_settings_get_full_columns_to_keep (settings);
  guint n_features = kl_quotas_get_n_features (quotas);

  for (guint f = 0; f < n_features; f++)
    {
      const KlFeature *feature = kl_quotas_get_feature (quotas, f);
      /* Maxima reach G_MAXINT each (a quota table may say "no limit" so):
       * their sum needs 64 bits. */
      gint64 total = 0;

      for (guint v = 0; v < feature->values->len; v++)
        total += ((KlQuotaValue *) g_ptr_array_index (feature->values, v))->max;
      if (total == 0)
        {
          g_set_error (error, KL_ERROR, KL_ERROR_BAD_DATA,
                       _("Every value of “%s” has a maximum of 0, so no one can be generated for it."),
                       feature->name);
          return NULL;
        }
    }

  /* A kept column that is also a feature would make the header repeat it. */
  g_ptr_array_add (header, settings->id_column);
  for (guint k = 0; full_kept[k] != NULL; k++)
    if (kl_quotas_find_feature (quotas, full_kept[k]) < 0)
      {
        g_ptr_array_add (header, full_kept[k]);
        g_ptr_array_add (kept, full_kept[k]);
      }
  for (guint f = 0; f < n_features; f++)
    g_ptr_array_add (header, kl_quotas_get_feature (quotas, f)->name);
  kl_csv_append_row (out, (const char * const *) header->pdata, header->len);

  for (guint x = 0; x < n_people; x++)
    {
      g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (row, g_strdup_printf ("p%u", x));
      for (guint k = 0; k < kept->len; k++)
        g_ptr_array_add (row, g_strdup_printf ("%s %u", (char *) g_ptr_array_index (kept, k), x));

      for (guint f = 0; f < n_features; f++)
        {
          const KlFeature *feature = kl_quotas_get_feature (quotas, f);
          g_autofree double *weights = g_new (double, feature->values->len);

          for (guint v = 0; v < feature->values->len; v++)
            weights[v] = ((KlQuotaValue *) g_ptr_array_index (feature->values, v))->max;
          g_ptr_array_add (row, g_strdup (((KlQuotaValue *) g_ptr_array_index (
              feature->values, draw (rand, weights, feature->values->len)))->name));
        }
      kl_csv_append_row (out, (const char * const *) row->pdata, row->len);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
