/* kl-output.c — the selected and remaining tables (spec 3.7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

/* A kept column or feature is written once even when the settings name it
 * twice (the id among columns_to_keep, a feature kept as well): the pool
 * knows which file column each name found, so compare those. */
static gboolean
kept_is_repeat (const KlPool *pool,
                guint         kept)
{
  int column = kl_pool_get_kept_column (pool, kept);

  if (column == kl_pool_get_id_column (pool))
    return TRUE;
  for (guint k = 0; k < kept; k++)
    if (kl_pool_get_kept_column (pool, k) == column)
      return TRUE;
  return FALSE;
}

static gboolean
feature_is_kept (const KlPool *pool,
                 guint         feature)
{
  int column = kl_pool_get_feature_column (pool, feature);

  if (column == kl_pool_get_id_column (pool))
    return TRUE;
  for (guint k = 0; k < kl_pool_get_n_kept (pool); k++)
    if (kl_pool_get_kept_column (pool, k) == column)
      return TRUE;
  return FALSE;
}

static guint
n_features (const KlPool *pool)
{
  KlQuotas *quotas = kl_pool_get_quotas (pool);

  return quotas ? kl_quotas_get_n_features (quotas) : 0;
}

/* id column, the full columns to keep, then the features not already kept
 * (spec 3.7.1). Names as the settings and quota file spell them. */
char **
kl_output_get_header (const KlPool *pool)
{
  GPtrArray *header = g_ptr_array_new ();

  g_ptr_array_add (header, g_strdup (kl_pool_get_id_name (pool)));
  for (guint k = 0; k < kl_pool_get_n_kept (pool); k++)
    if (!kept_is_repeat (pool, k))
      g_ptr_array_add (header, g_strdup (kl_pool_get_kept_name (pool, k)));
  for (guint f = 0; f < n_features (pool); f++)
    if (!feature_is_kept (pool, f))
      g_ptr_array_add (header, g_strdup (kl_quotas_get_feature (kl_pool_get_quotas (pool), f)->name));

  g_ptr_array_add (header, NULL);
  return (char **) g_ptr_array_free (header, FALSE);
}

char **
kl_output_get_row (const KlPool *pool,
                   guint         person)
{
  GPtrArray *row = g_ptr_array_new ();

  g_ptr_array_add (row, g_strdup (kl_pool_get_id (pool, person)));
  for (guint k = 0; k < kl_pool_get_n_kept (pool); k++)
    if (!kept_is_repeat (pool, k))
      g_ptr_array_add (row, g_strdup (kl_pool_get_kept (pool, person, k)));
  for (guint f = 0; f < n_features (pool); f++)
    if (!feature_is_kept (pool, f))
      g_ptr_array_add (row, g_strdup (kl_pool_get_value_text (pool, person, f)));

  g_ptr_array_add (row, NULL);
  return (char **) g_ptr_array_free (row, FALSE);
}

static GHashTable *
address_set (const KlPool *pool,
             const guint  *people,
             guint         n_people)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; pool != NULL && i < (people ? n_people : kl_pool_get_n_people (pool)); i++)
    {
      const char *key = kl_pool_get_address_key (pool, people ? people[i] : i);
      if (key != NULL)
        g_hash_table_add (set, (gpointer) key);
    }
  return set;
}

static gboolean *
selected_mask (const KlPool *pool,
               const guint  *selected,
               guint         n_selected)
{
  gboolean *mask = g_new0 (gboolean, MAX (kl_pool_get_n_people (pool), 1));

  for (guint i = 0; i < n_selected; i++)
    mask[selected[i]] = TRUE;
  return mask;
}

/**
 * kl_output_find_shared_addresses:
 *
 * The 1-based positions, in the remaining table, of people who share an
 * address with another remaining person, a panel member or an
 * already-selected person (spec 3.7.3). Empty without address checking.
 */
GArray *
kl_output_find_shared_addresses (const KlPool *pool,
                                 const guint  *selected,
                                 guint         n_selected,
                                 const KlPool *already_selected)
{
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *is_selected = selected_mask (pool, selected, n_selected);
  g_autoptr(GHashTable) taken = address_set (pool, selected, n_selected);
  g_autoptr(GHashTable) earlier = address_set (already_selected, NULL, 0);
  g_autoptr(GHashTable) remaining_count = g_hash_table_new (g_str_hash, g_str_equal);
  guint position = 0;

  if (!kl_pool_has_addresses (pool))
    return positions;

  for (guint i = 0; i < kl_pool_get_n_people (pool); i++)
    {
      const char *key = kl_pool_get_address_key (pool, i);

      if (!is_selected[i] && key != NULL)
        g_hash_table_insert (remaining_count, (gpointer) key,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (remaining_count, key)) + 1));
    }

  for (guint i = 0; i < kl_pool_get_n_people (pool); i++)
    {
      const char *key = kl_pool_get_address_key (pool, i);

      if (is_selected[i])
        continue;
      position++;
      if (key == NULL)
        continue;
      if (GPOINTER_TO_UINT (g_hash_table_lookup (remaining_count, key)) > 1 ||
          g_hash_table_contains (taken, key) || g_hash_table_contains (earlier, key))
        g_array_append_val (positions, position);
    }

  return positions;
}

/**
 * kl_output_build_tables:
 * @selected: pool indices of the panel, in any order
 * @already_selected: (nullable): people chosen in an earlier round
 * @selected_rows: (out): header and one row per panel member, in pool order
 * @remaining_rows: (out): header and everyone else, in pool order
 *
 * Rows are NULL-terminated string vectors, ready for kl_csv_write_rows().
 */
void
kl_output_build_tables (const KlPool      *pool,
                        const KlSettings  *settings,
                        const guint       *selected,
                        guint              n_selected,
                        const KlPool      *already_selected,
                        KlOutputFlags      flags,
                        GPtrArray        **selected_rows,
                        GPtrArray        **remaining_rows)
{
  g_autofree gboolean *is_selected = selected_mask (pool, selected, n_selected);
  g_autoptr(GHashTable) taken = address_set (pool, selected, n_selected);
  g_autoptr(GHashTable) earlier = address_set (already_selected, NULL, 0);
  g_autoptr(GArray) shared = NULL;
  gboolean mark = (flags & KL_OUTPUT_MARK_SHARED_ADDRESS) && kl_pool_has_addresses (pool);
  guint position = 0, next_shared = 0;
  GPtrArray *chosen = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *rest = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  char **header = kl_output_get_header (pool);

  g_ptr_array_add (chosen, g_strdupv (header));
  if (mark)
    {
      guint n = g_strv_length (header);

      header = g_renew (char *, header, n + 2);
      header[n] = g_strdup ("shares_address");
      header[n + 1] = NULL;
      shared = kl_output_find_shared_addresses (pool, selected, n_selected, already_selected);
    }
  g_ptr_array_add (rest, header);

  for (guint i = 0; i < kl_pool_get_n_people (pool); i++)
    {
      const char *key = kl_pool_get_address_key (pool, i);
      char **row;

      if (is_selected[i])
        {
          g_ptr_array_add (chosen, kl_output_get_row (pool, i));
          continue;
        }

      position++;
      if ((flags & KL_OUTPUT_DROP_HOUSEMATES) && key != NULL &&
          (g_hash_table_contains (taken, key) || g_hash_table_contains (earlier, key)))
        continue;

      row = kl_output_get_row (pool, i);
      if (mark)
        {
          guint n = g_strv_length (row);
          gboolean flagged = next_shared < shared->len &&
                             g_array_index (shared, guint, next_shared) == position;

          if (flagged)
            next_shared++;
          row = g_renew (char *, row, n + 2);
          row[n] = g_strdup (flagged ? "yes" : "no");
          row[n + 1] = NULL;
        }
      g_ptr_array_add (rest, row);
    }

  *selected_rows = chosen;
  *remaining_rows = rest;
}

static GPtrArray *
new_rows (char **header)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_ptr_array_add (rows, header);
  return rows;
}

/**
 * kl_output_probability_rows:
 *
 * id, probability: everyone in the run's pool, in pool order. %NULL for
 * runs that compute no probabilities (legacy, test selections).
 */
GPtrArray *
kl_output_probability_rows (KlRun *run)
{
  KlPool *pool = kl_run_get_pool (run);
  const double *p = kl_run_get_probabilities (run);
  GPtrArray *rows;

  if (p == NULL)
    return NULL;

  rows = new_rows (g_strsplit ("id,probability", ",", -1));
  for (guint i = 0; i < kl_pool_get_n_people (pool); i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      char **row = g_new0 (char *, 3);

      row[0] = g_strdup (kl_pool_get_id (pool, i));
      /* Every digit a double holds: the column sums to the panel size
       * as exactly as the engine computed it. */
      row[1] = g_strdup (g_ascii_formatd (number, sizeof number, "%.17g", p[i]));
      g_ptr_array_add (rows, row);
    }
  return rows;
}

/* For a transparent lottery: one column of ids per panel ("Panel 1" …). */
GPtrArray *
kl_output_panel_rows (KlRun *run)
{
  KlPool *pool = kl_run_get_pool (run);
  guint n_panels = kl_run_get_n_panels (run);
  guint k = kl_run_get_params (run)->number_wanted;
  char **header = g_new0 (char *, n_panels + 1);
  GPtrArray *rows;

  for (guint p = 0; p < n_panels; p++)
    header[p] = g_strdup_printf ("Panel %u", p + 1);
  rows = new_rows (header);

  for (guint m = 0; m < k; m++)
    {
      char **row = g_new0 (char *, n_panels + 1);

      for (guint p = 0; p < n_panels; p++)
        row[p] = g_strdup (kl_pool_get_id (pool, kl_run_get_panel (run, p, NULL)[m]));
      g_ptr_array_add (rows, row);
    }
  return rows;
}

/**
 * kl_output_distribution_csv:
 * @func: given each line of the CSV in turn, with its CRLF
 *
 * The distribution whose SHA-256 the report gives, so anyone can
 * recompute it: a header, then one line per committee (its probability
 * to 17 significant digits, its members' ids). Line by line, because a
 * distribution over thousands of panels of a thousand people is far
 * larger as text than the run itself: the digest never holds it whole.
 * %FALSE without a distribution.
 */
gboolean
kl_output_distribution_csv (KlRun           *run,
                            KlOutputLineFunc func,
                            gpointer         data)
{
  KlPool *pool = kl_run_get_pool (run);
  guint k = kl_run_get_params (run)->number_wanted;
  g_autofree const char **cells = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) line = g_string_new (NULL);

  if (kl_run_get_n_committees (run) == 0)
    return FALSE;

  g_ptr_array_add (header, g_strdup ("probability"));
  for (guint m = 0; m < k; m++)
    g_ptr_array_add (header, g_strdup_printf ("member %u", m + 1));
  kl_csv_append_row (line, (const char * const *) header->pdata, header->len);
  func (line->str, line->len, data);

  cells = g_new (const char *, k + 1);
  for (guint c = 0; c < kl_run_get_n_committees (run); c++)
    {
      double p;
      const guint *committee = kl_run_get_committee (run, c, &p);
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      cells[0] = g_ascii_formatd (number, sizeof number, "%.17g", p);
      for (guint m = 0; m < k; m++)
        cells[m + 1] = kl_pool_get_id (pool, committee[m]);
      g_string_truncate (line, 0);
      kl_csv_append_row (line, cells, k + 1);
      func (line->str, line->len, data);
    }
  return TRUE;
}

/**
 * kl_output_neutralise_cell:
 *
 * The cell as a spreadsheet should show it rather than run it: text that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
 * apostrophe, which spreadsheets read as "this is text" and do not display.
 * Everything else is unchanged. Returns a new string.
 */
char *
kl_output_neutralise_cell (const char *cell)
{
  if (cell != NULL && cell[0] != '\0' && strchr ("=+-@\t\r", cell[0]) != NULL)
    return g_strconcat ("'", cell, NULL);
  return g_strdup (cell);
}
