/* kl-loader.h — read and check the input files in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <kleroterion.h>

G_BEGIN_DECLS

typedef enum {
  KL_INPUT_POOL,
  KL_INPUT_QUOTAS,
  KL_INPUT_SETTINGS,
  KL_INPUT_ALREADY,
  KL_N_INPUTS,
  KL_INPUT_GUESS = KL_N_INPUTS,   /* sorted by what the file holds */
} KlInput;

/**
 * KlInputs:
 * @files: the file of each input, or %NULL
 * @tables: each CSV input as read (pool, quotas, already selected)
 * @base_settings: from the settings file, or the defaults
 * @read_messages: what reading each file found; kept so a new check need
 *   not read the files again
 * @settings: the settings the check used (the page's choices)
 * @quotas: the quotas, or %NULL
 * @pool: the checked pool, or %NULL
 * @already: the people already selected, or %NULL
 * @messages: every problem: reading's and the check's
 * @applied_quotas: quotas that replace the quotas file's for this session
 *   (the engine's suggestion for infeasible ones), until a new quotas file
 * @settings_changed: the settings file was read again, so the Selection
 *   page takes its columns, algorithm and seed from it
 * @pool_changed: a new pool header, so the column choices start again
 *
 * Everything the window knows about its inputs, immutable once a load has
 * produced it: a load starts from the previous one and returns a new one.
 */
typedef struct {
  GFile *files[KL_N_INPUTS];
  KlTable *tables[KL_N_INPUTS];
  KlSettings *base_settings;
  KlQuotas *applied_quotas;
  GPtrArray *read_messages[KL_N_INPUTS];
  KlSettings *settings;
  KlQuotas *quotas;
  KlPool *pool;
  KlPool *already;
  GPtrArray *messages;
  gboolean settings_changed;
  gboolean pool_changed;

  /*< private >*/
  grefcount ref_count;
} KlInputs;

KlInputs *kl_inputs_new    (void);
KlInputs *kl_inputs_ref    (KlInputs *inputs);
void      kl_inputs_unref  (KlInputs *inputs);
gboolean  kl_inputs_is_empty (const KlInputs *inputs);
char     *kl_inputs_display_name (GFile *file);

/* Files to read, each with its input or KL_INPUT_GUESS; @settings NULL
 * keeps the choices the previous check made (or the settings file's);
 * @quotas, if given, replaces the quotas for this session. */
void      kl_inputs_load_async  (KlInputs            *previous,
                                 GFile              **files,
                                 const KlInput       *roles,
                                 guint                n_files,
                                 const KlSettings    *settings,
                                 KlQuotas            *quotas,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
KlInputs *kl_inputs_load_finish (GAsyncResult        *result,
                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KlInputs, kl_inputs_unref)

G_END_DECLS
