/* kl-quotas.c — the quota table (spec 2.2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

struct _KlQuotas {
  gatomicrefcount ref_count;
  GPtrArray *features;        /* of KlFeature */
  GHashTable *feature_index;  /* folded name → index + 1 */
  GHashTable *value_index;    /* "feature index:folded value" → index + 1 */
  char *file;
  char *feature_column;       /* "feature" or "category", as the file spells it */
  char *value_column;         /* "value" or "name" */
  guint *slot_offsets;        /* first slot of each feature, then the total */
  char *sha256;               /* of the file's bytes, NULL if built in code */
  int *file_bounds;           /* min and max of each slot as the file gave them */
};

G_DEFINE_BOXED_TYPE (KlQuotas, kl_quotas, kl_quotas_ref, kl_quotas_unref)

static void
quota_value_free (gpointer data)
{
  KlQuotaValue *value = data;

  g_free (value->name);
  g_free (value);
}

static void
feature_free (gpointer data)
{
  KlFeature *feature = data;

  g_free (feature->name);
  g_ptr_array_unref (feature->values);
  g_free (feature);
}

KlQuotas *
kl_quotas_new (void)
{
  KlQuotas *self = g_new0 (KlQuotas, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->features = g_ptr_array_new_with_free_func (feature_free);
  self->feature_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->value_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->feature_column = g_strdup ("feature");
  self->value_column = g_strdup ("value");
  return self;
}

KlQuotas *
kl_quotas_ref (KlQuotas *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
kl_quotas_unref (KlQuotas *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->features);
  g_hash_table_unref (self->feature_index);
  g_hash_table_unref (self->value_index);
  g_free (self->file);
  g_free (self->feature_column);
  g_free (self->value_column);
  g_free (self->slot_offsets);
  g_free (self->sha256);
  g_free (self->file_bounds);
  g_free (self);
}

static char *
value_key (guint       feature,
           const char *value)
{
  g_autofree char *folded = kl_text_fold (value);

  return g_strdup_printf ("%u:%s", feature, folded);
}

int
kl_quotas_find_feature (const KlQuotas *self,
                        const char     *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  folded = kl_text_fold (name);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->feature_index, folded)) - 1;
}

int
kl_quotas_find_value (const KlQuotas *self,
                      guint           feature,
                      const char     *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  key = value_key (feature, name);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->value_index, key)) - 1;
}

static KlQuotaValue *
add_value (KlQuotas   *self,
           const char *feature_name,
           const char *value_name,
           int         line)
{
  KlFeature *feature;
  KlQuotaValue *value;
  int f = kl_quotas_find_feature (self, feature_name);

  if (f < 0)
    {
      feature = g_new0 (KlFeature, 1);
      feature->name = g_strdup (feature_name);
      feature->values = g_ptr_array_new_with_free_func (quota_value_free);
      feature->line = line;
      g_ptr_array_add (self->features, feature);
      f = self->features->len - 1;
      g_hash_table_insert (self->feature_index, kl_text_fold (feature_name), GINT_TO_POINTER (f + 1));
    }
  feature = g_ptr_array_index (self->features, f);

  value = g_new0 (KlQuotaValue, 1);
  value->name = g_strdup (value_name);
  value->line = line;
  value->max_flex = KL_FLEX_UNSET;
  g_ptr_array_add (feature->values, value);
  g_hash_table_insert (self->value_index, value_key (f, value_name),
                       GINT_TO_POINTER (feature->values->len));

  g_clear_pointer (&self->slot_offsets, g_free);
  return value;
}

/**
 * kl_quotas_add_value:
 *
 * Adds a value in code (tests, relaxations, the GUI's editor). Returns %FALSE
 * if the pair is already there. @max_flex may be %KL_FLEX_UNSET; call
 * kl_quotas_finish() once every value is in.
 */
gboolean
kl_quotas_add_value (KlQuotas   *self,
                     const char *feature,
                     const char *value,
                     int         min,
                     int         max,
                     int         min_flex,
                     int         max_flex)
{
  KlQuotaValue *record;
  int f;

  g_return_val_if_fail (self != NULL, FALSE);

  f = kl_quotas_find_feature (self, feature);
  if (f >= 0 && kl_quotas_find_value (self, f, value) >= 0)
    return FALSE;

  record = add_value (self, feature, value, 0);
  record->min = min;
  record->max = max;
  record->min_flex = min_flex;
  record->max_flex = max_flex;
  return TRUE;
}

guint
kl_quotas_get_n_features (const KlQuotas *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->features->len;
}

const KlFeature *
kl_quotas_get_feature (const KlQuotas *self,
                       guint           feature)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (feature < self->features->len, NULL);
  return g_ptr_array_index (self->features, feature);
}

KlQuotaValue *
kl_quotas_get_value (const KlQuotas *self,
                     guint           feature,
                     guint           value)
{
  const KlFeature *f = kl_quotas_get_feature (self, feature);

  g_return_val_if_fail (f != NULL, NULL);
  g_return_val_if_fail (value < f->values->len, NULL);
  return g_ptr_array_index (f->values, value);
}

static void
ensure_slots (KlQuotas *self)
{
  guint total = 0;

  if (self->slot_offsets != NULL)
    return;

  self->slot_offsets = g_new (guint, self->features->len + 1);
  for (guint f = 0; f < self->features->len; f++)
    {
      self->slot_offsets[f] = total;
      total += ((KlFeature *) g_ptr_array_index (self->features, f))->values->len;
    }
  self->slot_offsets[self->features->len] = total;
}

/* Algorithms index (feature, value) pairs densely: slot = offset + value. */
guint
kl_quotas_get_n_slots (const KlQuotas *self)
{
  g_return_val_if_fail (self != NULL, 0);
  ensure_slots ((KlQuotas *) self);
  return self->slot_offsets[self->features->len];
}

guint
kl_quotas_get_slot (const KlQuotas *self,
                    guint           feature,
                    guint           value)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (feature < self->features->len, 0);
  ensure_slots ((KlQuotas *) self);
  return self->slot_offsets[feature] + value;
}

const char *
kl_quotas_get_file (const KlQuotas *self)
{
  return self->file;
}

/* SHA-256 of the quota file's bytes; %NULL for quotas built in code. */
const char *
kl_quotas_get_sha256 (const KlQuotas *self)
{
  return self->sha256;
}

/**
 * kl_quotas_get_file_bounds:
 *
 * The minimum and maximum of a value as the quota file gave them, before
 * any change (an applied relaxation). %FALSE for quotas built in code.
 */
gboolean
kl_quotas_get_file_bounds (const KlQuotas *self,
                           guint           feature,
                           guint           value,
                           int            *min,
                           int            *max)
{
  guint slot;

  if (self->file_bounds == NULL)
    return FALSE;
  slot = kl_quotas_get_slot (self, feature, value);
  *min = self->file_bounds[2 * slot];
  *max = self->file_bounds[2 * slot + 1];
  return TRUE;
}

const char *
kl_quotas_get_feature_column (const KlQuotas *self)
{
  return self->feature_column;
}

const char *
kl_quotas_get_value_column (const KlQuotas *self)
{
  return self->value_column;
}

/* In 64 bits: a hundred values with maxima near 10^9 (a way of writing "no
 * limit") add up to more than an int holds. */
static gint64
feature_sum (const KlFeature *feature,
             gboolean         of_max)
{
  gint64 sum = 0;

  for (guint v = 0; v < feature->values->len; v++)
    {
      const KlQuotaValue *value = g_ptr_array_index (feature->values, v);
      sum += of_max ? value->max : value->min;
    }
  return sum;
}

/* A panel size is an int: a bound beyond G_MAXINT says no more than
 * G_MAXINT does. */
static int
clamp_to_int (gint64 value)
{
  return (int) CLAMP (value, G_MININT, G_MAXINT);
}

static gint64
minimum_selection (const KlQuotas *self)
{
  gint64 best = 0;

  for (guint f = 0; f < self->features->len; f++)
    best = MAX (best, feature_sum (g_ptr_array_index (self->features, f), FALSE));
  return best;
}

static gint64
maximum_selection (const KlQuotas *self)
{
  gint64 best = 0;

  for (guint f = 0; f < self->features->len; f++)
    {
      gint64 sum = feature_sum (g_ptr_array_index (self->features, f), TRUE);
      best = f == 0 ? sum : MIN (best, sum);
    }
  return best;
}

int
kl_quotas_get_minimum_selection (const KlQuotas *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return clamp_to_int (minimum_selection (self));
}

int
kl_quotas_get_maximum_selection (const KlQuotas *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return clamp_to_int (maximum_selection (self));
}

/* The largest feature total of maxima: the default ceiling a relaxation may
 * raise any maximum to (spec 2.2.6). */
int
kl_quotas_get_default_max_flex (const KlQuotas *self)
{
  gint64 best = 0;

  for (guint f = 0; f < self->features->len; f++)
    best = MAX (best, feature_sum (g_ptr_array_index (self->features, f), TRUE));
  return clamp_to_int (best);
}

void
kl_quotas_finish (KlQuotas *self)
{
  int default_flex = kl_quotas_get_default_max_flex (self);

  for (guint f = 0; f < self->features->len; f++)
    {
      KlFeature *feature = g_ptr_array_index (self->features, f);

      for (guint v = 0; v < feature->values->len; v++)
        {
          KlQuotaValue *value = g_ptr_array_index (feature->values, v);
          if (value->max_flex == KL_FLEX_UNSET)
            value->max_flex = default_flex;
        }
    }
}

KlQuotas *
kl_quotas_copy (const KlQuotas *self)
{
  KlQuotas *copy = kl_quotas_new ();

  g_return_val_if_fail (self != NULL, NULL);

  copy->file = g_strdup (self->file);
  copy->sha256 = g_strdup (self->sha256);
  g_free (copy->feature_column);
  copy->feature_column = g_strdup (self->feature_column);
  g_free (copy->value_column);
  copy->value_column = g_strdup (self->value_column);

  for (guint f = 0; f < self->features->len; f++)
    {
      const KlFeature *feature = g_ptr_array_index (self->features, f);

      for (guint v = 0; v < feature->values->len; v++)
        {
          const KlQuotaValue *value = g_ptr_array_index (feature->values, v);
          KlQuotaValue *record = add_value (copy, feature->name, value->name, value->line);

          record->min = value->min;
          record->max = value->max;
          record->min_flex = value->min_flex;
          record->max_flex = value->max_flex;
        }
      ((KlFeature *) g_ptr_array_index (copy->features, f))->line = feature->line;
    }

  /* A copy remembers the file it came from, so changes made to it (an
   * applied relaxation) can be told apart from what the file said. */
  if (self->file_bounds != NULL)
    copy->file_bounds = g_memdup2 (self->file_bounds, 2 * sizeof (int) * MAX (kl_quotas_get_n_slots (self), 1));

  return copy;
}

/* Equal features, values (by name, in order) and bounds; file and line
 * positions do not count. */
gboolean
kl_quotas_equal (const KlQuotas *a,
                 const KlQuotas *b)
{
  if (a->features->len != b->features->len)
    return FALSE;

  for (guint f = 0; f < a->features->len; f++)
    {
      const KlFeature *fa = g_ptr_array_index (a->features, f);
      const KlFeature *fb = g_ptr_array_index (b->features, f);

      if (!g_str_equal (fa->name, fb->name) || fa->values->len != fb->values->len)
        return FALSE;

      for (guint v = 0; v < fa->values->len; v++)
        {
          const KlQuotaValue *va = g_ptr_array_index (fa->values, v);
          const KlQuotaValue *vb = g_ptr_array_index (fb->values, v);

          if (!g_str_equal (va->name, vb->name) || va->min != vb->min || va->max != vb->max ||
              va->min_flex != vb->min_flex || va->max_flex != vb->max_flex)
            return FALSE;
        }
    }

  return TRUE;
}

/* ---- reading ---------------------------------------------------------- */

enum { COL_FEATURE, COL_VALUE, COL_CATEGORY, COL_NAME, COL_MIN, COL_MAX,
       COL_MIN_FLEX, COL_MAX_FLEX, N_KNOWN };

static const char * const known_columns[N_KNOWN] = {
  "feature", "value", "category", "name", "min", "max", "min_flex", "max_flex",
};

typedef struct {
  KlTable *table;
  GPtrArray *messages;
  int index[N_KNOWN];    /* column of each known name, -1 if absent */
  guint count[N_KNOWN];
  int feature_col;
  int value_col;
  gboolean has_flex;
} QuotaReader;

static KlMessage *
add_header_problem (QuotaReader *reader,
                    const char  *code,
                    int          column)
{
  KlMessage *m = kl_messages_add (reader->messages, KL_SEVERITY_ERROR, code);

  kl_message_set_location (m, reader->table->file, 1, 1,
                           column >= 0 ? reader->table->header[column] : NULL, column);
  return m;
}

static void
add_headers_param (QuotaReader *reader,
                   KlMessage   *m)
{
  g_autofree char *headers = g_strjoinv (", ", reader->table->header);

  kl_message_set_param (m, "headers", headers);
}

/* Spec 2.2.1, except that names match in any letter case and with spaces
 * around them, and that the confusing cases get their own messages. */
static gboolean
read_header (QuotaReader *reader)
{
  KlTable *table = reader->table;
  gboolean current, ok = TRUE;
  int required[4];

  for (guint k = 0; k < N_KNOWN; k++)
    reader->index[k] = -1;

  for (guint i = 0; i < table->n_columns; i++)
    {
      g_autofree char *folded = kl_text_fold (table->header[i]);

      for (guint k = 0; k < N_KNOWN; k++)
        if (g_str_equal (folded, known_columns[k]))
          {
            if (reader->count[k]++ == 0)
              reader->index[k] = i;
          }
    }

  if ((reader->count[COL_FEATURE] > 0 || reader->count[COL_VALUE] > 0) &&
      (reader->count[COL_CATEGORY] > 0 || reader->count[COL_NAME] > 0))
    {
      KlMessage *m = add_header_problem (reader, "quota_header_mixed_styles", -1);
      add_headers_param (reader, m);
      return FALSE;
    }

  current = reader->count[COL_FEATURE] > 0 || reader->count[COL_VALUE] > 0;
  required[0] = current ? COL_FEATURE : COL_CATEGORY;
  required[1] = current ? COL_VALUE : COL_NAME;
  required[2] = COL_MIN;
  required[3] = COL_MAX;

  for (guint r = 0; r < G_N_ELEMENTS (required); r++)
    {
      int k = required[r];

      if (reader->count[k] == 0)
        {
          KlMessage *m = add_header_problem (reader, "missing_required_column", -1);
          kl_message_set_param (m, "field_name", known_columns[k]);
          add_headers_param (reader, m);
          ok = FALSE;
        }
      else if (reader->count[k] > 1)
        {
          KlMessage *m = add_header_problem (reader, "duplicate_required_column", reader->index[k]);
          kl_message_set_param (m, "field_name", known_columns[k]);
          kl_message_set_param_int (m, "count", reader->count[k]);
          ok = FALSE;
        }
    }

  for (int k = COL_MIN_FLEX; k <= COL_MAX_FLEX; k++)
    if (reader->count[k] > 1)
      {
        KlMessage *m = add_header_problem (reader, "duplicate_required_column", reader->index[k]);
        kl_message_set_param (m, "field_name", known_columns[k]);
        kl_message_set_param_int (m, "count", reader->count[k]);
        ok = FALSE;
      }

  if ((reader->count[COL_MIN_FLEX] > 0) != (reader->count[COL_MAX_FLEX] > 0))
    {
      gboolean has_min = reader->count[COL_MIN_FLEX] > 0;
      KlMessage *m = add_header_problem (reader, "quota_header_flex_pair",
                                         reader->index[has_min ? COL_MIN_FLEX : COL_MAX_FLEX]);
      kl_message_set_param (m, "present", has_min ? "min_flex" : "max_flex");
      kl_message_set_param (m, "missing", has_min ? "max_flex" : "min_flex");
      ok = FALSE;
    }

  reader->feature_col = reader->index[required[0]];
  reader->value_col = reader->index[required[1]];
  reader->has_flex = reader->count[COL_MIN_FLEX] == 1 && reader->count[COL_MAX_FLEX] == 1;
  return ok;
}

static KlMessage *
add_cell_problem (QuotaReader *reader,
                  guint        row,
                  int          column,
                  const char  *code)
{
  KlMessage *m = kl_messages_add (reader->messages, KL_SEVERITY_ERROR, code);

  kl_message_set_location (m, reader->table->file, kl_table_get_line (reader->table, row),
                           KL_TABLE_ROW_NUMBER (row), reader->table->header[column], column);
  return m;
}

static gboolean
read_count (QuotaReader *reader,
            guint        row,
            int          known,
            int         *out)
{
  int column = reader->index[known];
  const char *cell = kl_table_get_cell (reader->table, row, column);
  KlMessage *m;

  switch (kl_text_parse_count (cell, out))
    {
    case KL_COUNT_OK:
      return TRUE;
    case KL_COUNT_EMPTY:
      m = add_cell_problem (reader, row, column, "no_value_set");
      break;
    case KL_COUNT_NEGATIVE:
      m = add_cell_problem (reader, row, column, "negative_number");
      break;
    case KL_COUNT_NOT_A_NUMBER:
    default:
      m = add_cell_problem (reader, row, column, "not_a_number");
      break;
    }

  kl_message_set_param (m, "field", reader->table->header[column]);
  kl_message_set_param (m, "value", cell);
  return FALSE;
}

static void
set_pair_params (KlMessage  *m,
                 const char *feature,
                 const char *value)
{
  kl_message_set_param (m, "feature", feature);
  kl_message_set_param (m, "value_name", value);
}

static void
read_row (QuotaReader *reader,
          KlQuotas    *quotas,
          guint        row)
{
  KlTable *table = reader->table;
  const char *feature = kl_table_get_cell (table, row, reader->feature_col);
  const char *value = kl_table_get_cell (table, row, reader->value_col);
  int min, max, min_flex = 0, max_flex = KL_FLEX_UNSET;
  guint errors_before = reader->messages->len;
  gboolean ok;
  KlQuotaValue *record;
  int f, existing;

  if (*feature == '\0')
    return;

  if (*value == '\0')
    {
      KlMessage *m = add_cell_problem (reader, row, reader->value_col, "empty_feature_value");
      kl_message_set_param (m, "value_column_name", table->header[reader->value_col]);
      kl_message_set_param (m, "feature_column_name", table->header[reader->feature_col]);
      kl_message_set_param (m, "feature_name", feature);
      return;
    }

  ok = read_count (reader, row, COL_MIN, &min);
  ok = read_count (reader, row, COL_MAX, &max) && ok;
  if (!ok)
    goto tag_pair;

  if (min > max)
    {
      KlMessage *m = add_cell_problem (reader, row, reader->index[COL_MIN], "min_greater_than_max");
      kl_message_set_column2 (m, table->header[reader->index[COL_MAX]]);
      kl_message_set_param_int (m, "min", min);
      kl_message_set_param_int (m, "max", max);
      ok = FALSE;
    }

  if (reader->has_flex)
    {
      gboolean flex_ok = read_count (reader, row, COL_MIN_FLEX, &min_flex);
      flex_ok = read_count (reader, row, COL_MAX_FLEX, &max_flex) && flex_ok;

      if (ok && flex_ok && min_flex > min)
        {
          KlMessage *m = add_cell_problem (reader, row, reader->index[COL_MIN_FLEX],
                                           "min_flex_greater_than_min");
          kl_message_set_column2 (m, table->header[reader->index[COL_MIN]]);
          kl_message_set_param_int (m, "min_flex", min_flex);
          kl_message_set_param_int (m, "min", min);
          ok = FALSE;
        }
      if (ok && flex_ok && max_flex < max)
        {
          KlMessage *m = add_cell_problem (reader, row, reader->index[COL_MAX_FLEX],
                                           "max_flex_less_than_max");
          kl_message_set_column2 (m, table->header[reader->index[COL_MAX]]);
          kl_message_set_param_int (m, "max_flex", max_flex);
          kl_message_set_param_int (m, "max", max);
          ok = FALSE;
        }
      ok = ok && flex_ok;
    }

  /* The library lets a repeated pair silently replace the first; a quota that
   * changes without anyone noticing is worse than an error. */
  f = kl_quotas_find_feature (quotas, feature);
  existing = f >= 0 ? kl_quotas_find_value (quotas, f, value) : -1;
  if (existing >= 0)
    {
      KlMessage *m = add_cell_problem (reader, row, reader->value_col, "duplicate_quota_row");
      kl_message_set_param_int (m, "first_line", kl_quotas_get_value (quotas, f, existing)->line);
      ok = FALSE;
    }

  if (!ok)
    goto tag_pair;

  record = add_value (quotas, feature, value, kl_table_get_line (table, row));
  record->min = min;
  record->max = max;
  record->min_flex = min_flex;
  record->max_flex = max_flex;
  return;

tag_pair:
  for (guint i = errors_before; i < reader->messages->len; i++)
    set_pair_params (g_ptr_array_index (reader->messages, i), feature, value);
}

static void
remember_file_bounds (KlQuotas *self)
{
  guint n_slots = kl_quotas_get_n_slots (self);

  self->file_bounds = g_new (int, 2 * MAX (n_slots, 1));
  for (guint f = 0; f < self->features->len; f++)
    for (guint v = 0; v < kl_quotas_get_feature (self, f)->values->len; v++)
      {
        const KlQuotaValue *value = kl_quotas_get_value (self, f, v);
        guint slot = kl_quotas_get_slot (self, f, v);

        self->file_bounds[2 * slot] = value->min;
        self->file_bounds[2 * slot + 1] = value->max;
      }
}

KlQuotas *
kl_quotas_load (KlTable    *table,
                int         number_to_select,
                GPtrArray  *messages,
                GError    **error)
{
  g_autoptr(GPtrArray) local_messages = NULL;
  g_autoptr(KlQuotas) quotas = NULL;
  QuotaReader reader = { 0 };
  guint first;

  g_return_val_if_fail (table != NULL, NULL);

  if (messages == NULL)
    messages = local_messages = kl_messages_new ();
  first = messages->len;

  reader.table = table;
  reader.messages = messages;

  if (!read_header (&reader))
    {
      kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_DATA, error);
      return NULL;
    }

  quotas = kl_quotas_new ();
  quotas->file = g_strdup (table->file);
  quotas->sha256 = g_strdup (kl_table_get_sha256 (table));
  g_free (quotas->feature_column);
  quotas->feature_column = g_strdup (table->header[reader.feature_col]);
  g_free (quotas->value_column);
  quotas->value_column = g_strdup (table->header[reader.value_col]);

  for (guint row = 0; row < table->n_rows; row++)
    read_row (&reader, quotas, row);

  if (kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_DATA, error))
    return NULL;

  kl_quotas_finish (quotas);
  remember_file_bounds (quotas);

  if (quotas->features->len == 0)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_WARNING, "no_features");
      kl_message_set_location (m, table->file, 0, 0, NULL, -1);
    }
  else
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_INFO, "features_found");
      kl_message_set_location (m, table->file, 0, 0, NULL, -1);
      kl_message_set_param_int (m, "count", quotas->features->len);
    }

  if (!kl_quotas_check (quotas, number_to_select, messages))
    {
      kl_messages_fail (messages, first, KL_ERROR, KL_ERROR_BAD_DATA, error);
      return NULL;
    }

  return g_steal_pointer (&quotas);
}

KlQuotas *
kl_quotas_load_file (const char  *path,
                     int          number_to_select,
                     GPtrArray   *messages,
                     GError     **error)
{
  g_autoptr(KlTable) table = kl_table_read_file (path, messages, error);

  if (table == NULL)
    return NULL;

  return kl_quotas_load (table, number_to_select, messages, error);
}

/* ---- checks (spec 2.2.4) ---------------------------------------------- */

static KlMessage *
add_feature_issue (GPtrArray       *messages,
                   const KlQuotas  *self,
                   const char      *code,
                   const KlFeature *feature)
{
  KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, code);

  kl_message_set_location (m, self->file, feature->line, 0, NULL, -1);
  kl_message_set_param (m, "issue_type", code);
  kl_message_set_param (m, "feature_column_name", self->feature_column);
  return m;
}

/**
 * kl_quotas_check:
 * @number_to_select: the panel size, or 0 to check the features only
 *
 * Appends one structured issue per problem: `inconsistent_min_max` (the
 * features cannot agree on any panel size), `min_exceeds_number_to_select`
 * and `max_below_number_to_select`. Returns %TRUE if there are none.
 */
gboolean
kl_quotas_check (const KlQuotas *self,
                 int             number_to_select,
                 GPtrArray      *messages)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (messages != NULL, FALSE);

  if (self->features->len == 0)
    return TRUE;

  if (minimum_selection (self) > maximum_selection (self))
    {
      const KlFeature *smallest_max = NULL, *largest_min = NULL;
      gint64 smallest_max_sum = G_MAXINT64, largest_min_sum = -1;
      KlMessage *m;

      for (guint f = 0; f < self->features->len; f++)
        {
          const KlFeature *feature = g_ptr_array_index (self->features, f);
          gint64 max_sum = feature_sum (feature, TRUE);
          gint64 min_sum = feature_sum (feature, FALSE);

          if (max_sum < smallest_max_sum)
            smallest_max = feature, smallest_max_sum = max_sum;
          if (min_sum > largest_min_sum)
            largest_min = feature, largest_min_sum = min_sum;
        }

      m = add_feature_issue (messages, self, "inconsistent_min_max", largest_min);
      kl_message_set_param (m, "smallest_maximum_feature", smallest_max->name);
      kl_message_set_param_int (m, "smallest_maximum_value", smallest_max_sum);
      kl_message_set_param (m, "largest_minimum_feature", largest_min->name);
      kl_message_set_param_int (m, "largest_minimum_value", largest_min_sum);
      ok = FALSE;
    }

  if (number_to_select > 0)
    {
      for (guint f = 0; f < self->features->len; f++)
        {
          const KlFeature *feature = g_ptr_array_index (self->features, f);
          gint64 min_sum = feature_sum (feature, FALSE);
          gint64 max_sum = feature_sum (feature, TRUE);
          KlMessage *m;

          if (min_sum > number_to_select)
            {
              m = add_feature_issue (messages, self, "min_exceeds_number_to_select", feature);
              kl_message_set_param (m, "feature_name", feature->name);
              kl_message_set_param_int (m, "feature_sum", min_sum);
              kl_message_set_param_int (m, "limit", number_to_select);
              ok = FALSE;
            }
          if (max_sum < number_to_select)
            {
              m = add_feature_issue (messages, self, "max_below_number_to_select", feature);
              kl_message_set_param (m, "feature_name", feature->name);
              kl_message_set_param_int (m, "feature_sum", max_sum);
              kl_message_set_param_int (m, "limit", number_to_select);
              ok = FALSE;
            }
        }
    }

  return ok;
}

/* ---- writing (spec 2.2.7) --------------------------------------------- */

char *
kl_quotas_to_csv (const KlQuotas *self)
{
  GString *out = g_string_new (NULL);
  int default_flex = kl_quotas_get_default_max_flex (self);
  gboolean with_flex = FALSE;
  const char *header[] = { "feature", "value", "min", "max", "min_flex", "max_flex" };

  for (guint f = 0; f < self->features->len && !with_flex; f++)
    {
      const KlFeature *feature = g_ptr_array_index (self->features, f);

      for (guint v = 0; v < feature->values->len; v++)
        {
          const KlQuotaValue *value = g_ptr_array_index (feature->values, v);

          if (value->min_flex != 0 ||
              (value->max_flex != KL_FLEX_UNSET && value->max_flex != default_flex))
            with_flex = TRUE;
        }
    }

  kl_csv_append_row (out, header, with_flex ? 6 : 4);

  for (guint f = 0; f < self->features->len; f++)
    {
      const KlFeature *feature = g_ptr_array_index (self->features, f);

      for (guint v = 0; v < feature->values->len; v++)
        {
          const KlQuotaValue *value = g_ptr_array_index (feature->values, v);
          char numbers[4][16];
          const char *row[6] = { feature->name, value->name, numbers[0], numbers[1],
                                 numbers[2], numbers[3] };

          g_snprintf (numbers[0], sizeof numbers[0], "%d", value->min);
          g_snprintf (numbers[1], sizeof numbers[1], "%d", value->max);
          g_snprintf (numbers[2], sizeof numbers[2], "%d", value->min_flex);
          g_snprintf (numbers[3], sizeof numbers[3], "%d",
                      value->max_flex == KL_FLEX_UNSET ? default_flex : value->max_flex);
          kl_csv_append_row (out, row, with_flex ? 6 : 4);
        }
    }

  return g_string_free (out, FALSE);
}

gboolean
kl_quotas_save (const KlQuotas     *self,
                const char         *path,
                const char * const *inputs,
                GError            **error)
{
  g_autofree char *csv = kl_quotas_to_csv (self);

  return kl_file_write_atomic (path, csv, strlen (csv), inputs, error);
}
