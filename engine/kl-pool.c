/* kl-pool.c — the pool table and the already-selected table (spec 2.3, 2.4, 5.1)
 *
 * A pool keeps a reference to the table it was read from and points into
 * its cells instead of copying them: a 100,000-person file is held once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

struct _KlPool {
  gatomicrefcount ref_count;
  KlTable *table;
  KlQuotas *quotas;          /* NULL for an already-selected table */
  guint n_features;
  guint n_people;
  guint *rows;               /* table row of each person */
  int *values;               /* n_people × n_features value indices */
  int id_column;
  char *id_name;             /* as the settings spell it */
  int *feature_columns;
  guint n_kept;
  char **kept_names;         /* as the settings spell them */
  int *kept_columns;
  guint n_address;
  int *address_columns;
  char **address_keys;       /* folded address of each person, NULL if blank */
  int *households;
  guint n_households;
  guint *household_sizes;
  GHashTable *id_index;      /* id → person + 1 */
};

G_DEFINE_BOXED_TYPE (KlPool, kl_pool, kl_pool_ref, kl_pool_unref)

KlPool *
kl_pool_ref (KlPool *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
kl_pool_unref (KlPool *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  kl_table_unref (self->table);
  g_clear_pointer (&self->quotas, kl_quotas_unref);
  g_free (self->rows);
  g_free (self->values);
  g_free (self->feature_columns);
  g_free (self->id_name);
  g_strfreev (self->kept_names);
  g_free (self->kept_columns);
  g_free (self->address_columns);
  if (self->address_keys != NULL)
    for (guint i = 0; i < self->n_people; i++)
      g_free (self->address_keys[i]);
  g_free (self->address_keys);
  g_free (self->households);
  g_free (self->household_sizes);
  g_clear_pointer (&self->id_index, g_hash_table_unref);
  g_free (self);
}

/* ---- columns ---------------------------------------------------------- */

typedef enum {
  LABEL_UNIQUE_ID,
  LABEL_FEATURE,
  LABEL_TO_KEEP,
  LABEL_ADDRESS,
} ColumnLabel;

static int
require_column (KlTable     *table,
                const char  *name,
                ColumnLabel  label,
                GPtrArray   *messages)
{
  static const char * const codes[] = {
    "missing_id_column", "missing_feature_column", "missing_kept_column", "missing_address_column",
  };
  guint n_found;
  int column = kl_table_find_column (table, name, &n_found);
  KlMessage *m;

  if (n_found == 1)
    return column;

  if (n_found == 0)
    {
      m = kl_messages_add (messages, KL_SEVERITY_ERROR, codes[label]);
      kl_message_set_location (m, table->file, 1, 1, NULL, -1);
    }
  else
    {
      m = kl_messages_add (messages, KL_SEVERITY_ERROR, "duplicate_column");
      kl_message_set_location (m, table->file, 1, 1, table->header[column], column);
      kl_message_set_param_int (m, "count", n_found);
    }

  kl_message_set_param (m, "column", name);
  kl_message_set_param (m, "error_label", (const char *[]) { "unique id", "feature", "to keep", "address" }[label]);
  kl_message_set_param (m, "data_container", table->file);
  {
    g_autofree char *headers = g_strjoinv (", ", table->header);
    kl_message_set_param (m, "headers", headers);
  }
  return -1;
}

static gboolean
find_columns (KlPool              *self,
              const char          *id_column,
              const char * const  *kept,
              const char * const  *address,
              GPtrArray           *messages)
{
  KlTable *table = self->table;
  guint first = messages->len;

  self->id_column = require_column (table, id_column, LABEL_UNIQUE_ID, messages);
  self->id_name = g_strdup (id_column);

  self->feature_columns = g_new (int, self->n_features);
  for (guint f = 0; f < self->n_features; f++)
    self->feature_columns[f] = require_column (table, kl_quotas_get_feature (self->quotas, f)->name,
                                               LABEL_FEATURE, messages);

  self->n_kept = kept ? g_strv_length ((char **) kept) : 0;
  self->kept_names = g_strdupv ((char **) kept);
  self->kept_columns = g_new (int, self->n_kept);
  for (guint k = 0; k < self->n_kept; k++)
    {
      gboolean is_address = address && g_strv_contains (address, kept[k]);
      self->kept_columns[k] = require_column (table, kept[k],
                                              is_address ? LABEL_ADDRESS : LABEL_TO_KEEP, messages);
    }

  self->n_address = address ? g_strv_length ((char **) address) : 0;
  self->address_columns = g_new (int, self->n_address);
  for (guint a = 0; a < self->n_address; a++)
    self->address_columns[a] = kl_table_find_column (table, address[a], NULL);

  return messages->len == first;
}

/* Built with the pool, never later: a finished pool is never written to,
 * so a run's worker thread and the window can read it at once. */
static void
index_ids (KlPool *self)
{
  self->id_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->n_people; i++)
    g_hash_table_insert (self->id_index, (gpointer) kl_pool_get_id (self, i), GUINT_TO_POINTER (i + 1));
}

/* ---- households ------------------------------------------------------- */

static char *
make_address_key (KlPool *self,
                  guint   row)
{
  GString *key = g_string_new (NULL);
  gboolean blank = TRUE;

  for (guint a = 0; a < self->n_address; a++)
    {
      const char *cell = kl_table_get_cell (self->table, row, self->address_columns[a]);
      g_autofree char *folded = kl_text_fold (cell);

      if (*cell != '\0')
        blank = FALSE;
      if (a > 0)
        g_string_append_c (key, '\x1f');
      g_string_append (key, folded);
    }

  if (blank)
    return (g_string_free (key, TRUE), NULL);
  return g_string_free (key, FALSE);
}

/* People with an entirely blank address are not one big household, as in
 * the library, but each their own: a missing address says nothing about who
 * lives together. */
static void
build_households (KlPool *self)
{
  g_autoptr(GHashTable) first_at = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) sizes = g_array_new (FALSE, TRUE, sizeof (guint));

  g_clear_pointer (&self->households, g_free);
  g_clear_pointer (&self->household_sizes, g_free);
  self->households = g_new (int, self->n_people);
  self->n_households = 0;

  for (guint i = 0; i < self->n_people; i++)
    {
      const char *key = self->address_keys ? self->address_keys[i] : NULL;
      gpointer found;

      self->households[i] = KL_NO_HOUSEHOLD;
      if (key == NULL)
        continue;

      if (g_hash_table_lookup_extended (first_at, key, NULL, &found))
        {
          guint first = GPOINTER_TO_UINT (found);
          guint one = 1;

          if (self->households[first] == KL_NO_HOUSEHOLD)
            {
              self->households[first] = sizes->len;
              g_array_append_val (sizes, one);
            }
          self->households[i] = self->households[first];
          g_array_index (sizes, guint, self->households[i])++;
        }
      else
        g_hash_table_insert (first_at, (gpointer) key, GUINT_TO_POINTER (i));
    }

  self->n_households = sizes->len;
  self->household_sizes = (guint *) g_array_free (g_steal_pointer (&sizes), FALSE);
}

static void
compute_addresses (KlPool    *self,
                   GPtrArray *messages)
{
  guint n_blank = 0;
  guint largest = 0, largest_household = 0;

  if (self->n_address == 0)
    {
      build_households (self);
      return;
    }

  self->address_keys = g_new0 (char *, self->n_people);
  for (guint i = 0; i < self->n_people; i++)
    {
      self->address_keys[i] = make_address_key (self, self->rows[i]);
      if (self->address_keys[i] == NULL)
        n_blank++;
    }

  build_households (self);

  if (messages == NULL)
    return;

  if (n_blank > 0)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_WARNING, "blank_addresses");
      kl_message_set_location (m, self->table->file, 0, 0, NULL, -1);
      kl_message_set_param_int (m, "count", n_blank);
    }

  for (guint h = 0; h < self->n_households; h++)
    if (self->household_sizes[h] > largest)
      largest = self->household_sizes[h], largest_household = h;

  /* One address shared by a tenth of the pool is almost always an address
   * column that holds something else (a town, a country). */
  if (largest >= 3 && largest * 10 >= self->n_people)
    {
      for (guint i = 0; i < self->n_people; i++)
        if (self->households[i] == (int) largest_household)
          {
            KlMessage *m = kl_messages_add (messages, KL_SEVERITY_WARNING, "large_household");
            kl_message_set_location (m, self->table->file, kl_table_get_line (self->table, self->rows[i]),
                                     KL_TABLE_ROW_NUMBER (self->rows[i]), NULL, -1);
            kl_message_set_param_int (m, "size", largest);
            kl_message_set_param_int (m, "pool_size", self->n_people);
            break;
          }
    }
}

/* ---- rows ------------------------------------------------------------- */

static KlMessage *
add_row_message (KlPool     *self,
                 GPtrArray  *messages,
                 KlSeverity  severity,
                 const char *code,
                 guint       row,
                 int         column)
{
  KlMessage *m = kl_messages_add (messages, severity, code);

  kl_message_set_location (m, self->table->file, kl_table_get_line (self->table, row),
                           KL_TABLE_ROW_NUMBER (row),
                           column >= 0 ? self->table->header[column] : NULL, column);
  return m;
}

static gboolean
rows_identical (KlTable *table,
                guint    a,
                guint    b)
{
  for (guint c = 0; c < table->n_columns; c++)
    if (!g_str_equal (kl_table_get_cell (table, a, c), kl_table_get_cell (table, b, c)))
      return FALSE;
  return TRUE;
}

static char *
format_rows (GArray *rows)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, g_strdup_printf ("%d", KL_TABLE_ROW_NUMBER (g_array_index (rows, guint, i))));
  return kl_text_join_and (items);
}

/* Blank ids are skipped first, so trailing spreadsheet junk rows are not
 * reported as duplicates of each other (spec 2.3.2). Returns the rows to
 * keep; when differing duplicates make the file unusable, *@unusable is
 * set and every row with an id is returned, so the caller can still check
 * them all and report every problem in one pass. */
static GArray *
select_rows (KlPool    *self,
             GPtrArray *messages,
             gboolean  *unusable)
{
  KlTable *table = self->table;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_array_unref);
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) repeated = g_ptr_array_new ();
  g_autoptr(GArray) with_id = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_differing = 0;

  *unusable = FALSE;

  for (guint row = 0; row < table->n_rows; row++)
    {
      const char *id = kl_table_get_cell (table, row, self->id_column);
      GArray *rows;

      if (*id == '\0')
        {
          KlMessage *m = add_row_message (self, messages, KL_SEVERITY_WARNING, "blank_id_skipped",
                                          row, self->id_column);
          kl_message_set_param_int (m, "row", KL_TABLE_ROW_NUMBER (row));
          continue;
        }

      g_array_append_val (with_id, row);
      rows = g_hash_table_lookup (by_id, id);
      if (rows == NULL)
        {
          rows = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_id, (gpointer) id, rows);
          g_array_append_val (keep, row);
        }
      else if (rows->len == 1)
        g_ptr_array_add (repeated, (gpointer) id);
      g_array_append_val (rows, row);
    }

  if (repeated->len == 0)
    return g_steal_pointer (&keep);

  for (guint i = 0; i < repeated->len; i++)
    {
      const char *id = g_ptr_array_index (repeated, i);
      GArray *rows = g_hash_table_lookup (by_id, id);
      g_autofree char *row_list = format_rows (rows);
      gboolean identical = TRUE;
      guint first_row = g_array_index (rows, guint, 0);
      KlMessage *m;

      for (guint r = 1; r < rows->len; r++)
        identical = identical && rows_identical (table, first_row, g_array_index (rows, guint, r));

      /* The rows' contents are deliberately left out: they are personal data. */
      m = add_row_message (self, messages, identical ? KL_SEVERITY_WARNING : KL_SEVERITY_ERROR,
                           identical ? "duplicate_id_identical" : "duplicate_id_differing",
                           g_array_index (rows, guint, 1), self->id_column);
      kl_message_set_param (m, "id", id);
      kl_message_set_param (m, "rows", row_list);
      if (!identical)
        n_differing++;
    }

  {
    KlMessage *m = kl_messages_add (messages, n_differing ? KL_SEVERITY_ERROR : KL_SEVERITY_WARNING,
                                    n_differing ? "duplicate_ids_differing_found" : "duplicate_rows_identical");
    kl_message_set_location (m, table->file, 0, 0, NULL, -1);
    kl_message_set_param_int (m, "count", n_differing ? n_differing : repeated->len);
  }

  *unusable = n_differing > 0;
  return n_differing ? g_steal_pointer (&with_id) : g_steal_pointer (&keep);
}

static char *
list_values (const KlFeature *feature)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint v = 0; v < feature->values->len; v++)
    g_ptr_array_add (names, ((KlQuotaValue *) g_ptr_array_index (feature->values, v))->name);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static gboolean
read_values (KlPool    *self,
             GPtrArray *messages)
{
  guint first = messages->len;
  g_autofree char **valid = g_new0 (char *, self->n_features);

  self->values = g_new (int, (gsize) self->n_people * MAX (self->n_features, 1));

  for (guint i = 0; i < self->n_people; i++)
    for (guint f = 0; f < self->n_features; f++)
      {
        guint row = self->rows[i];
        int column = self->feature_columns[f];
        const char *cell = kl_table_get_cell (self->table, row, column);
        const KlFeature *feature = kl_quotas_get_feature (self->quotas, f);
        int value = *cell ? kl_quotas_find_value (self->quotas, f, cell) : -1;
        KlMessage *m;

        self->values[(gsize) i * self->n_features + f] = value;
        if (value >= 0)
          continue;

        m = add_row_message (self, messages, KL_SEVERITY_ERROR,
                             *cell ? "value_not_in_feature" : "empty_value_in_feature", row, column);
        if (valid[f] == NULL)
          valid[f] = list_values (feature);
        kl_message_set_param (m, "value", cell);
        kl_message_set_param (m, "feature_column_name", kl_quotas_get_feature_column (self->quotas));
        kl_message_set_param (m, "feature_name", feature->name);
        kl_message_set_param (m, "valid_values", valid[f]);
        kl_message_set_param (m, "id", kl_table_get_cell (self->table, row, self->id_column));
      }

  for (guint f = 0; f < self->n_features; f++)
    g_free (valid[f]);

  return messages->len == first;
}

static KlPool *
load (KlTable             *table,
      KlQuotas            *quotas,
      const char          *id_column,
      const char * const  *kept,
      const char * const  *address,
      GPtrArray           *messages,
      GError             **error)
{
  g_autoptr(GPtrArray) local_messages = NULL;
  g_autoptr(KlPool) self = g_new0 (KlPool, 1);
  g_autoptr(GArray) rows = NULL;
  gboolean ids_unusable;
  guint first;

  if (messages == NULL)
    messages = local_messages = kl_messages_new ();
  first = messages->len;

  g_atomic_ref_count_init (&self->ref_count);
  self->table = kl_table_ref (table);
  self->quotas = quotas ? kl_quotas_ref (quotas) : NULL;
  self->n_features = quotas ? kl_quotas_get_n_features (quotas) : 0;

  if (!find_columns (self, id_column, kept, address, messages))
    goto failed;

  rows = select_rows (self, messages, &ids_unusable);

  self->n_people = rows->len;
  self->rows = (guint *) g_array_free (g_steal_pointer (&rows), FALSE);

  /* Values are checked even when the ids are unusable: an unknown value
   * and a blank cell are reported now, not after the ids are fixed. */
  if (!read_values (self, messages) || ids_unusable)
    goto failed;

  compute_addresses (self, messages);
  index_ids (self);
  return g_steal_pointer (&self);

failed:
  kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_DATA, error);
  return NULL;
}

KlPool *
kl_pool_load (KlTable           *table,
              KlQuotas          *quotas,
              const KlSettings  *settings,
              GPtrArray         *messages,
              GError           **error)
{
  g_auto(GStrv) kept = NULL;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (quotas != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  kept = kl_settings_get_full_columns_to_keep (settings);
  return load (table, quotas, settings->id_column, (const char * const *) kept,
               kl_settings_get_address_columns (settings), messages, error);
}

KlPool *
kl_pool_load_file (const char        *path,
                   KlQuotas          *quotas,
                   const KlSettings  *settings,
                   GPtrArray         *messages,
                   GError           **error)
{
  g_autoptr(KlTable) table = kl_table_read_file (path, messages, error);

  if (table == NULL)
    return NULL;
  return kl_pool_load (table, quotas, settings, messages, error);
}

/* Only the id and the address columns are needed: the file may otherwise
 * differ from the pool's (spec 2.4). */
KlPool *
kl_pool_load_already_selected (KlTable           *table,
                               const KlSettings  *settings,
                               GPtrArray         *messages,
                               GError           **error)
{
  const char * const *address = kl_settings_get_address_columns (settings);

  g_return_val_if_fail (table != NULL, NULL);

  return load (table, NULL, settings->id_column, address, address, messages, error);
}

static KlPool *
empty_already_selected (const KlSettings *settings)
{
  const char * const *address = kl_settings_get_address_columns (settings);
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  g_autoptr(KlTable) table = NULL;

  g_ptr_array_add (cells, settings->id_column);
  for (guint a = 0; address[a] != NULL; a++)
    g_ptr_array_add (cells, (gpointer) address[a]);
  kl_csv_append_row (header, (const char * const *) cells->pdata, cells->len);

  table = kl_table_read_data (header->str, header->len, "", NULL, NULL);
  return kl_pool_load_already_selected (table, settings, NULL, NULL);
}

/**
 * kl_pool_load_already_selected_file:
 * @path: (nullable): the file, or %NULL for none
 *
 * Unlike the library, a path that does not exist is an error: a mistyped
 * name must not quietly mean "nobody was selected before".
 */
KlPool *
kl_pool_load_already_selected_file (const char        *path,
                                    const KlSettings  *settings,
                                    GPtrArray         *messages,
                                    GError           **error)
{
  g_autoptr(KlTable) table = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (path == NULL)
    {
      if (messages)
        kl_messages_add (messages, KL_SEVERITY_INFO, "no_already_selected_file");
      return empty_already_selected (settings);
    }

  if (g_file_get_contents (path, &contents, &length, NULL))
    {
      gsize stripped;

      kl_text_strip (contents, length, &stripped);
      if (stripped == 0)
        {
          if (messages)
            {
              KlMessage *m = kl_messages_add (messages, KL_SEVERITY_INFO, "already_selected_file_empty");
              kl_message_set_location (m, path, 0, 0, NULL, -1);
            }
          return empty_already_selected (settings);
        }
    }

  table = kl_table_read_file (path, messages, error);
  if (table == NULL)
    return NULL;
  return kl_pool_load_already_selected (table, settings, messages, error);
}

/* The working pool of a run: some of the people, same columns. */
KlPool *
kl_pool_subset (KlPool      *pool,
                const guint *people,
                guint        n_people)
{
  KlPool *self = g_new0 (KlPool, 1);
  guint nf = pool->n_features;

  g_atomic_ref_count_init (&self->ref_count);
  self->table = kl_table_ref (pool->table);
  self->quotas = pool->quotas ? kl_quotas_ref (pool->quotas) : NULL;
  self->n_features = nf;
  self->n_people = n_people;
  self->rows = g_new (guint, n_people);
  self->values = g_new (int, (gsize) n_people * MAX (nf, 1));
  self->id_column = pool->id_column;
  self->id_name = g_strdup (pool->id_name);
  self->feature_columns = g_memdup2 (pool->feature_columns, sizeof (int) * nf);
  self->n_kept = pool->n_kept;
  self->kept_names = g_strdupv (pool->kept_names);
  self->kept_columns = g_memdup2 (pool->kept_columns, sizeof (int) * pool->n_kept);
  self->n_address = pool->n_address;
  self->address_columns = g_memdup2 (pool->address_columns, sizeof (int) * pool->n_address);
  if (pool->address_keys != NULL)
    self->address_keys = g_new0 (char *, n_people);

  for (guint i = 0; i < n_people; i++)
    {
      g_return_val_if_fail (people[i] < pool->n_people, self);
      self->rows[i] = pool->rows[people[i]];
      memcpy (&self->values[(gsize) i * nf], &pool->values[(gsize) people[i] * nf], sizeof (int) * nf);
      if (pool->address_keys != NULL)
        self->address_keys[i] = g_strdup (pool->address_keys[people[i]]);
    }

  build_households (self);
  index_ids (self);
  return self;
}

/**
 * kl_pool_exclude_already_selected:
 * @already_selected: (nullable): people chosen in an earlier round
 *
 * The working pool of a replacement round (spec 3.2): everyone except the
 * people already selected and, with address checking on, everyone living
 * at their addresses. Unlike the library, already-selected people are
 * removed even when addresses are not checked: nobody sits twice. Returns a
 * new reference; the caller's pool is never changed.
 */
KlPool *
kl_pool_exclude_already_selected (KlPool       *pool,
                                  const KlPool *already_selected,
                                  GPtrArray    *messages)
{
  g_autoptr(GHashTable) addresses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_same_person = 0, n_same_address = 0;

  g_return_val_if_fail (pool != NULL, NULL);

  if (already_selected == NULL || already_selected->n_people == 0)
    return kl_pool_ref (pool);

  for (guint i = 0; i < already_selected->n_people; i++)
    {
      const char *key = kl_pool_get_address_key (already_selected, i);
      if (key != NULL && pool->n_address > 0)
        g_hash_table_add (addresses, (gpointer) key);
    }

  for (guint i = 0; i < pool->n_people; i++)
    {
      const char *key = kl_pool_get_address_key (pool, i);

      if (kl_pool_find_person (already_selected, kl_pool_get_id (pool, i)) >= 0)
        n_same_person++;
      else if (key != NULL && g_hash_table_contains (addresses, key))
        n_same_address++;
      else
        g_array_append_val (keep, i);
    }

  if (messages != NULL && n_same_person > 0)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_INFO, "already_selected_removed");
      kl_message_set_param_int (m, "count", n_same_person);
    }
  if (messages != NULL && n_same_address > 0)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_INFO, "dropped_at_already_selected_address");
      kl_message_set_param_int (m, "count", n_same_address);
    }

  if (keep->len == pool->n_people)
    return kl_pool_ref (pool);
  return kl_pool_subset (pool, (const guint *) keep->data, keep->len);
}

/* ---- accessors -------------------------------------------------------- */

guint
kl_pool_get_n_people (const KlPool *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_people;
}

KlQuotas *
kl_pool_get_quotas (const KlPool *self)
{
  return self->quotas;
}

const char *
kl_pool_get_file (const KlPool *self)
{
  return self->table->file;
}

/* SHA-256 of the bytes the pool was read from. */
const char *
kl_pool_get_sha256 (const KlPool *self)
{
  return self->table ? kl_table_get_sha256 (self->table) : NULL;
}

const char *
kl_pool_get_id (const KlPool *self,
                guint         person)
{
  g_return_val_if_fail (person < self->n_people, NULL);
  return kl_table_get_cell (self->table, self->rows[person], self->id_column);
}

int
kl_pool_find_person (const KlPool *self,
                     const char   *id)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->id_index, id)) - 1;
}

int
kl_pool_get_line (const KlPool *self,
                  guint         person)
{
  g_return_val_if_fail (person < self->n_people, 0);
  return kl_table_get_line (self->table, self->rows[person]);
}

guint
kl_pool_get_value (const KlPool *self,
                   guint         person,
                   guint         feature)
{
  g_return_val_if_fail (person < self->n_people, 0);
  g_return_val_if_fail (feature < self->n_features, 0);
  return self->values[(gsize) person * self->n_features + feature];
}

const int *
kl_pool_get_values (const KlPool *self,
                    guint         person)
{
  g_return_val_if_fail (person < self->n_people, NULL);
  return &self->values[(gsize) person * self->n_features];
}

/* The person's own spelling ("male"), which outputs keep. */
const char *
kl_pool_get_value_text (const KlPool *self,
                        guint         person,
                        guint         feature)
{
  g_return_val_if_fail (person < self->n_people, NULL);
  g_return_val_if_fail (feature < self->n_features, NULL);
  return kl_table_get_cell (self->table, self->rows[person], self->feature_columns[feature]);
}

guint
kl_pool_get_n_kept (const KlPool *self)
{
  return self->n_kept;
}

const char *
kl_pool_get_kept_name (const KlPool *self,
                       guint         column)
{
  g_return_val_if_fail (column < self->n_kept, NULL);
  return self->kept_names[column];
}

const char *
kl_pool_get_kept (const KlPool *self,
                  guint         person,
                  guint         column)
{
  g_return_val_if_fail (person < self->n_people, NULL);
  g_return_val_if_fail (column < self->n_kept, NULL);
  return kl_table_get_cell (self->table, self->rows[person], self->kept_columns[column]);
}

gboolean
kl_pool_has_addresses (const KlPool *self)
{
  return self->n_address > 0;
}

/* NULL when the address columns are all blank, or there are none. */
const char *
kl_pool_get_address_key (const KlPool *self,
                         guint         person)
{
  g_return_val_if_fail (person < self->n_people, NULL);
  return self->address_keys ? self->address_keys[person] : NULL;
}

int
kl_pool_get_household (const KlPool *self,
                       guint         person)
{
  g_return_val_if_fail (person < self->n_people, KL_NO_HOUSEHOLD);
  return self->households[person];
}

guint
kl_pool_get_n_households (const KlPool *self)
{
  return self->n_households;
}

guint
kl_pool_get_household_size (const KlPool *self,
                            guint         household)
{
  g_return_val_if_fail (household < self->n_households, 0);
  return self->household_sizes[household];
}

/* ---- per-value counts and the enough-people check (spec 3.2) ----------- */

guint *
kl_pool_count_per_value (const KlPool *self)
{
  guint n_slots = kl_quotas_get_n_slots (self->quotas);
  guint *counts = g_new0 (guint, MAX (n_slots, 1));

  for (guint i = 0; i < self->n_people; i++)
    for (guint f = 0; f < self->n_features; f++)
      counts[kl_quotas_get_slot (self->quotas, f, kl_pool_get_value (self, i, f))]++;

  return counts;
}

gboolean
kl_pool_check_enough_people (const KlPool *self,
                             GPtrArray    *messages)
{
  g_autofree guint *counts = kl_pool_count_per_value (self);
  gboolean ok = TRUE;

  for (guint f = 0; f < self->n_features; f++)
    {
      const KlFeature *feature = kl_quotas_get_feature (self->quotas, f);

      for (guint v = 0; v < feature->values->len; v++)
        {
          const KlQuotaValue *value = g_ptr_array_index (feature->values, v);
          guint count = counts[kl_quotas_get_slot (self->quotas, f, v)];
          KlMessage *m;

          if (count >= (guint) value->min)
            continue;

          m = kl_messages_add (messages, KL_SEVERITY_ERROR, "not_enough_people");
          kl_message_set_location (m, kl_quotas_get_file (self->quotas), value->line, 0, NULL, -1);
          kl_message_set_param (m, "feature_name", feature->name);
          kl_message_set_param (m, "feature_value", value->name);
          kl_message_set_param_int (m, "min", value->min);
          kl_message_set_param_int (m, "count", count);
          ok = FALSE;
        }
    }

  return ok;
}

int
kl_pool_get_id_column (const KlPool *self)
{
  return self->id_column;
}

const char *
kl_pool_get_id_name (const KlPool *self)
{
  return self->id_name;
}

int
kl_pool_get_kept_column (const KlPool *self,
                         guint         kept)
{
  g_return_val_if_fail (kept < self->n_kept, -1);
  return self->kept_columns[kept];
}

int
kl_pool_get_feature_column (const KlPool *self,
                            guint         feature)
{
  g_return_val_if_fail (feature < self->n_features, -1);
  return self->feature_columns[feature];
}
