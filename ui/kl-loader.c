/* kl-loader.c — read and check the input files in a worker thread
 *
 * A 100,000-person pool takes a good part of a second to parse and check,
 * so none of it happens on the main thread. Each file is read and parsed
 * once; a later check (another id column, another address column) starts
 * from the tables already in memory. A load never changes the inputs it
 * starts from: it returns new ones, which the window takes only if no
 * newer load has started since (the window's generation counter).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kl-loader.h"

KlInputs *
kl_inputs_new (void)
{
  KlInputs *inputs = g_new0 (KlInputs, 1);

  g_ref_count_init (&inputs->ref_count);
  inputs->messages = kl_messages_new ();
  return inputs;
}

KlInputs *
kl_inputs_ref (KlInputs *inputs)
{
  g_ref_count_inc (&inputs->ref_count);
  return inputs;
}

void
kl_inputs_unref (KlInputs *inputs)
{
  if (!g_ref_count_dec (&inputs->ref_count))
    return;

  for (guint i = 0; i < KL_N_INPUTS; i++)
    {
      g_clear_object (&inputs->files[i]);
      g_clear_pointer (&inputs->tables[i], kl_table_unref);
      g_clear_pointer (&inputs->read_messages[i], g_ptr_array_unref);
    }
  g_clear_pointer (&inputs->base_settings, kl_settings_free);
  g_clear_pointer (&inputs->applied_quotas, kl_quotas_unref);
  g_clear_pointer (&inputs->settings, kl_settings_free);
  g_clear_pointer (&inputs->quotas, kl_quotas_unref);
  g_clear_pointer (&inputs->pool, kl_pool_unref);
  g_clear_pointer (&inputs->already, kl_pool_unref);
  g_clear_pointer (&inputs->messages, g_ptr_array_unref);
  g_free (inputs);
}

gboolean
kl_inputs_is_empty (const KlInputs *inputs)
{
  for (guint i = 0; i < KL_N_INPUTS; i++)
    if (inputs->files[i] != NULL)
      return FALSE;
  return TRUE;
}

/* The name messages and rows show: the path, or the example's own name. */
char *
kl_inputs_display_name (GFile *file)
{
  if (g_file_has_uri_scheme (file, "resource"))
    {
      g_autofree char *base = g_file_get_basename (file);
      return g_strdup_printf (_("%s (example)"), base);
    }
  return g_file_get_parse_name (file);
}

/* The next inputs start as the previous ones: same files, same tables. */
static KlInputs *
inputs_follow (const KlInputs *previous)
{
  KlInputs *next = kl_inputs_new ();

  for (guint i = 0; previous != NULL && i < KL_N_INPUTS; i++)
    {
      next->files[i] = previous->files[i] ? g_object_ref (previous->files[i]) : NULL;
      next->tables[i] = previous->tables[i] ? kl_table_ref (previous->tables[i]) : NULL;
      next->read_messages[i] = previous->read_messages[i] ? g_ptr_array_ref (previous->read_messages[i]) : NULL;
    }
  if (previous != NULL && previous->base_settings != NULL)
    next->base_settings = kl_settings_copy (previous->base_settings);
  if (previous != NULL && previous->applied_quotas != NULL)
    next->applied_quotas = kl_quotas_ref (previous->applied_quotas);
  return next;
}

/* Which input a CSV file is, when the person did not say: quotas have a
 * feature (or category) column and a min column; anything else is people. */
static KlInput
guess_table (const KlTable *table)
{
  guint n;
  gboolean has_min = kl_table_find_column (table, "min", &n) >= 0;
  gboolean has_feature = kl_table_find_column (table, "feature", &n) >= 0 ||
                         kl_table_find_column (table, "category", &n) >= 0;

  return has_min && has_feature ? KL_INPUT_QUOTAS : KL_INPUT_POOL;
}

static gboolean
is_settings_name (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return g_str_has_suffix (name, ".toml") || g_str_has_suffix (name, ".json");
}

static void
read_one (KlInputs     *next,
          GFile        *file,
          KlInput       role,
          GCancellable *cancellable)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = kl_inputs_display_name (file);
  g_autofree char *contents = NULL;
  g_autoptr(KlTable) table = NULL;
  gsize length = 0;

  if (role == KL_INPUT_GUESS && is_settings_name (file))
    role = KL_INPUT_SETTINGS;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR,
                                      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                                        ? "file_not_found" : "file_unreadable");
      kl_message_set_location (m, name, 0, 0, NULL, -1);
      kl_message_set_param (m, "reason", error->message);
      if (role == KL_INPUT_GUESS)
        role = KL_INPUT_POOL;
    }
  else if (role == KL_INPUT_SETTINGS)
    {
      g_clear_pointer (&next->base_settings, kl_settings_free);
      next->base_settings = kl_settings_load_data (contents, name, messages, NULL);
    }
  else
    {
      table = kl_table_read_data (contents, length, name, messages, NULL);
      if (role == KL_INPUT_GUESS)
        role = table ? guess_table (table) : KL_INPUT_POOL;
    }

  g_set_object (&next->files[role], file);
  g_clear_pointer (&next->tables[role], kl_table_unref);
  next->tables[role] = g_steal_pointer (&table);
  g_clear_pointer (&next->read_messages[role], g_ptr_array_unref);
  next->read_messages[role] = g_steal_pointer (&messages);

  if (role == KL_INPUT_SETTINGS)
    next->settings_changed = TRUE;
  if (role == KL_INPUT_POOL)
    next->pool_changed = TRUE;
  if (role == KL_INPUT_QUOTAS)
    g_clear_pointer (&next->applied_quotas, kl_quotas_unref);
}

/* Without a settings file, the defaults, with the pool's first column as
 * its id. */
static void
ensure_base_settings (KlInputs *next)
{
  KlTable *pool = next->tables[KL_INPUT_POOL];

  if (next->files[KL_INPUT_SETTINGS] != NULL && next->base_settings != NULL)
    return;
  if (next->base_settings != NULL && !next->pool_changed)
    return;

  g_clear_pointer (&next->base_settings, kl_settings_free);
  next->base_settings = kl_settings_new ();
  if (pool != NULL && pool->n_columns > 0)
    {
      g_free (next->base_settings->id_column);
      next->base_settings->id_column = g_strdup (pool->header[0]);
    }
  next->settings_changed = TRUE;
}

static void
check (KlInputs         *next,
       const KlSettings *choices)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();

  if (choices != NULL && !next->settings_changed && !next->pool_changed)
    next->settings = kl_settings_copy (choices);
  else
    next->settings = kl_settings_copy (next->base_settings);

  if (next->applied_quotas != NULL)
    next->quotas = kl_quotas_ref (next->applied_quotas);
  else if (next->tables[KL_INPUT_QUOTAS] != NULL)
    next->quotas = kl_quotas_load (next->tables[KL_INPUT_QUOTAS], 0, messages, NULL);

  if (next->tables[KL_INPUT_POOL] != NULL && next->quotas != NULL)
    next->pool = kl_pool_load (next->tables[KL_INPUT_POOL], next->quotas, next->settings, messages, NULL);
  if (next->tables[KL_INPUT_ALREADY] != NULL)
    next->already = kl_pool_load_already_selected (next->tables[KL_INPUT_ALREADY], next->settings, messages, NULL);
  if (next->pool != NULL)
    kl_pool_check_enough_people (next->pool, messages);

  /* Reading's problems first, in the order of the Files page. */
  for (guint i = 0; i < KL_N_INPUTS; i++)
    if (next->read_messages[i] != NULL)
      kl_messages_append (next->messages, next->read_messages[i]);
  kl_messages_append (next->messages, messages);
}

typedef struct {
  KlInputs *previous;
  GPtrArray *files;
  GArray *roles;
  KlSettings *choices;
  KlQuotas *quotas;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_clear_pointer (&job->previous, kl_inputs_unref);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_pointer (&job->roles, g_array_unref);
  g_clear_pointer (&job->choices, kl_settings_free);
  g_clear_pointer (&job->quotas, kl_quotas_unref);
  g_free (job);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr(KlInputs) next = inputs_follow (job->previous);

  for (guint i = 0; i < job->files->len; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      read_one (next, g_ptr_array_index (job->files, i), g_array_index (job->roles, KlInput, i), cancellable);
    }
  if (job->quotas != NULL)
    {
      g_clear_pointer (&next->applied_quotas, kl_quotas_unref);
      next->applied_quotas = kl_quotas_ref (job->quotas);
    }
  ensure_base_settings (next);
  if (g_task_return_error_if_cancelled (task))
    return;
  check (next, job->choices);
  g_task_return_pointer (task, g_steal_pointer (&next), (GDestroyNotify) kl_inputs_unref);
}

void
kl_inputs_load_async (KlInputs            *previous,
                      GFile              **files,
                      const KlInput       *roles,
                      guint                n_files,
                      const KlSettings    *settings,
                      KlQuotas            *quotas,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadJob *job = g_new0 (LoadJob, 1);

  job->previous = previous ? kl_inputs_ref (previous) : NULL;
  job->files = g_ptr_array_new_with_free_func (g_object_unref);
  job->roles = g_array_new (FALSE, FALSE, sizeof (KlInput));
  for (guint i = 0; i < n_files; i++)
    {
      g_ptr_array_add (job->files, g_object_ref (files[i]));
      g_array_append_val (job->roles, roles[i]);
    }
  job->choices = settings ? kl_settings_copy (settings) : NULL;
  job->quotas = quotas ? kl_quotas_ref (quotas) : NULL;

  g_task_set_source_tag (task, kl_inputs_load_async);
  g_task_set_task_data (task, job, load_job_free);
  g_task_run_in_thread (task, load_worker);
}

KlInputs *
kl_inputs_load_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_inputs_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
