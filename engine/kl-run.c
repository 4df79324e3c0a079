/* kl-run.c — the run (spec 3.3, 3.4): checks, randomness, dispatch, report
 *
 * Every caller — the desktop application, the command line, the tests —
 * selects through here, so they all check, draw and report alike. Every
 * failure becomes a GError and a fatal error in the report; nothing
 * escapes as a crash, and a cancelled run returns G_IO_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-algorithm-private.h"
#include "kl-committee-model-private.h"
#include "kl-lottery-private.h"
#include "kl-lp-private.h"

struct _KlRun {
  grefcount ref_count;
  KlPool *pool;
  KlPool *working;
  KlPool *already_selected;
  KlSettings *settings;
  KlRunParams params;
  KlReport *report;
  GPtrArray *panels;           /* of GArray of guint, indices into pool */
  GPtrArray *committees;       /* of GArray of guint: the distribution, indices into pool */
  GArray *committee_probabilities;
  double *probabilities;       /* per person of pool, NULL without a distribution */
  guint *pool_index;           /* per person of working: their index in pool */
  char *distribution_digest;   /* SHA-256 of distribution.csv, NULL without one */
  KlQuotas *suggested_quotas;
  GArray *inputs;              /* of KlRunInput, strings owned by input_strings */
  GPtrArray *input_strings;
  gboolean secure;
  gboolean started;
  GDateTime *time;             /* when the run started, UTC */
};

G_DEFINE_BOXED_TYPE (KlRun, kl_run, kl_run_ref, kl_run_unref)

static const char *
keep_string (KlRun      *self,
             const char *text)
{
  char *copy = g_strdup (text);

  g_ptr_array_add (self->input_strings, copy);
  return copy;
}

static void
add_input (KlRun      *self,
           const char *role,
           const char *name,
           const char *sha256)
{
  KlRunInput input;

  if (name == NULL || *name == '\0' || sha256 == NULL)
    return;
  input.role = role;
  input.name = keep_string (self, name);
  input.sha256 = keep_string (self, sha256);
  g_array_append_val (self->inputs, input);
}

/* What the loaders recorded when they read each file: its name and the
 * SHA-256 of the exact bytes parsed. Kept here so the run's audit record
 * names its own inputs, whatever the caller opens afterwards. */
static void
record_inputs (KlRun *self)
{
  KlQuotas *quotas = kl_pool_get_quotas (self->pool);

  self->inputs = g_array_new (FALSE, FALSE, sizeof (KlRunInput));
  self->input_strings = g_ptr_array_new_with_free_func (g_free);
  add_input (self, "settings", self->settings->file, self->settings->sha256);
  if (quotas != NULL)
    add_input (self, "features", kl_quotas_get_file (quotas), kl_quotas_get_sha256 (quotas));
  add_input (self, "people", kl_pool_get_file (self->pool), kl_pool_get_sha256 (self->pool));
  if (self->already_selected != NULL)
    add_input (self, "already_selected", kl_pool_get_file (self->already_selected),
               kl_pool_get_sha256 (self->already_selected));
}

void
kl_run_params_init (KlRunParams      *params,
                    const KlSettings *settings)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->number_wanted = 0;
  params->algorithm = settings ? settings->selection_algorithm : KL_ALGORITHM_MAXIMIN;
  params->seed = settings ? settings->random_number_seed : 0;
  params->test_selection = FALSE;
  params->number_selections = 1;
  params->max_seconds = settings ? settings->diversimax_max_seconds : 30;
  params->max_attempts = settings ? settings->max_attempts : 100;
}

KlRun *
kl_run_new (KlPool            *pool,
            const KlSettings  *settings,
            KlPool            *already_selected,
            const KlRunParams *params)
{
  KlRun *self;

  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  self = g_new0 (KlRun, 1);
  g_ref_count_init (&self->ref_count);
  self->pool = kl_pool_ref (pool);
  self->already_selected = already_selected ? kl_pool_ref (already_selected) : NULL;
  self->settings = kl_settings_copy (settings);
  self->params = *params;
  self->report = kl_report_new ();
  self->panels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->committees = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->committee_probabilities = g_array_new (FALSE, FALSE, sizeof (double));
  record_inputs (self);
  return self;
}

KlRun *
kl_run_ref (KlRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
kl_run_unref (KlRun *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;
  kl_pool_unref (self->pool);
  g_clear_pointer (&self->working, kl_pool_unref);
  g_clear_pointer (&self->already_selected, kl_pool_unref);
  kl_settings_free (self->settings);
  kl_report_unref (self->report);
  g_ptr_array_unref (self->panels);
  g_ptr_array_unref (self->committees);
  g_array_unref (self->committee_probabilities);
  g_free (self->probabilities);
  g_free (self->pool_index);
  g_free (self->distribution_digest);
  g_clear_pointer (&self->suggested_quotas, kl_quotas_unref);
  g_array_unref (self->inputs);
  g_ptr_array_unref (self->input_strings);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self);
}

/* ---- pieces ------------------------------------------------------------ */

static gboolean
fail_with (KlRun      *self,
           GPtrArray  *messages,
           int         code,
           GError    **error)
{
  kl_report_add_error (self->report, messages, TRUE);
  kl_messages_fail (messages, 0, KL_ERROR, code, error);
  return FALSE;
}

static gboolean
fail_one (KlRun      *self,
          int         code,
          const char *message_code,
          GError    **error)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();

  kl_messages_add (messages, KL_SEVERITY_ERROR, message_code);
  return fail_with (self, messages, code, error);
}

/* Spec 3.4.1: combinations that cannot work, refused before anything runs. */
static gboolean
check_params (KlRun   *self,
              GError **error)
{
  const KlRunParams *p = &self->params;

  if (p->number_wanted < 1)
    return fail_one (self, KL_ERROR_CONFIGURATION, "number_wanted_too_small", error);
  if (p->number_selections < 1)
    return fail_one (self, KL_ERROR_CONFIGURATION, "number_selections_too_small", error);
  if (p->test_selection && p->number_selections != 1)
    return fail_one (self, KL_ERROR_CONFIGURATION, "test_selection_multiple_selections", error);
  if (!p->test_selection && p->algorithm == KL_ALGORITHM_LEGACY && p->number_selections != 1)
    return fail_one (self, KL_ERROR_CONFIGURATION, "legacy_multiple_selections", error);
  if (!p->test_selection && p->algorithm == KL_ALGORITHM_DIVERSIMAX && p->number_selections != 1)
    return fail_one (self, KL_ERROR_CONFIGURATION, "diversimax_multiple_selections", error);

  /* Never fake an algorithm: say plainly what this build cannot do. */
  if (!p->test_selection && !kl_algorithm_is_available (p->algorithm))
    {
      g_autoptr(GPtrArray) messages = kl_messages_new ();
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "algorithm_not_available");

      kl_message_set_param (m, "algorithm", kl_algorithm_to_string (p->algorithm));
      return fail_with (self, messages, KL_ERROR_CONFIGURATION, error);
    }
  return TRUE;
}

/* Spec 3.2: the checks that need no solver. Passing them does not promise
 * a panel exists (households and combinations of values are not looked at). */
static gboolean
pre_checks (KlRun   *self,
            GError **error)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  guint k = self->params.number_wanted;

  self->working = kl_pool_exclude_already_selected (self->pool, self->already_selected, messages);
  /* looked up once: a distribution over thousands of panels of a thousand
   * would otherwise look up millions of ids */
  self->pool_index = g_new (guint, MAX (kl_pool_get_n_people (self->working), 1));
  for (guint i = 0; i < kl_pool_get_n_people (self->working); i++)
    self->pool_index[i] = kl_pool_find_person (self->pool, kl_pool_get_id (self->working, i));
  for (guint i = 0; i < messages->len; i++)
    kl_report_add_message (self->report, KL_LEVEL_NORMAL, g_ptr_array_index (messages, i));
  g_ptr_array_set_size (messages, 0);

  /* The quotas contradicting themselves or the panel size is a problem in
   * the files; a pool that cannot fill them is infeasibility. */
  if (!kl_quotas_check (kl_pool_get_quotas (self->working), k, messages))
    return fail_with (self, messages, KL_ERROR_BAD_DATA, error);

  if (k > kl_pool_get_n_people (self->working))
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "pool_smaller_than_panel");
      kl_message_set_param_int (m, "count", kl_pool_get_n_people (self->working));
      kl_message_set_param_int (m, "number_wanted", k);
    }
  kl_pool_check_enough_people (self->working, messages);

  if (messages->len > 0)
    return fail_with (self, messages, KL_ERROR_INFEASIBLE, error);
  return TRUE;
}

static char *
quota_range (const KlQuotaValue *value)
{
  return g_strdup_printf ("[%d,%d]", value->min, value->max);
}

static void
add_initial_table (KlRun *self)
{
  static const char * const headers[] = { "table_category", "table_category_value",
                                          "table_initially", "table_want", NULL };
  KlQuotas *quotas = kl_pool_get_quotas (self->working);
  g_autofree guint *counts = kl_pool_count_per_value (self->working);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        char **row = g_new0 (char *, 5);
        row[0] = g_strdup (kl_quotas_get_feature (quotas, f)->name);
        row[1] = g_strdup (kl_quotas_get_value (quotas, f, v)->name);
        row[2] = g_strdup_printf ("%u", counts[kl_quotas_get_slot (quotas, f, v)]);
        row[3] = quota_range (kl_quotas_get_value (quotas, f, v));
        g_ptr_array_add (rows, row);
      }

  kl_report_add_line (self->report, KL_LEVEL_IMPORTANT, "initial_state");
  kl_report_add_table (self->report, headers, rows);
}

static void
add_final_table (KlRun       *self,
                 const guint *panel,
                 guint        k)
{
  static const char * const headers[] = { "table_category", "table_category_value",
                                          "table_selected", "table_want", NULL };
  KlQuotas *quotas = kl_pool_get_quotas (self->working);
  g_autofree guint *counts = g_new0 (guint, MAX (kl_quotas_get_n_slots (quotas), 1));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; i < k; i++)
    for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
      counts[kl_quotas_get_slot (quotas, f, kl_pool_get_value (self->working, panel[i], f))]++;

  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        guint count = counts[kl_quotas_get_slot (quotas, f, v)];
        char **row = g_new0 (char *, 5);

        row[0] = g_strdup (kl_quotas_get_feature (quotas, f)->name);
        row[1] = g_strdup (kl_quotas_get_value (quotas, f, v)->name);
        row[2] = g_strdup_printf ("%u (%.2f%%)", count, count * 100.0 / k);
        row[3] = quota_range (kl_quotas_get_value (quotas, f, v));
        g_ptr_array_add (rows, row);
      }

  kl_report_add_line (self->report, KL_LEVEL_IMPORTANT, "selection_success");
  kl_report_add_table (self->report, headers, rows);
}

/**
 * kl_panel_check:
 * @panel: indices into @pool
 *
 * What an auditor would check of a panel: @k distinct people, every quota
 * met, at most one person per household. Appends one message per breach.
 */
gboolean
kl_panel_check (KlPool      *pool,
                const guint *panel,
                guint        n_people,
                guint        k,
                GPtrArray   *messages)
{
  KlQuotas *quotas = kl_pool_get_quotas (pool);
  guint n_slots = kl_quotas_get_n_slots (quotas);
  g_autofree guint *counts = g_new0 (guint, MAX (n_slots, 1));
  g_autofree gboolean *seen = g_new0 (gboolean, MAX (kl_pool_get_n_people (pool), 1));
  g_autofree gboolean *household_taken = g_new0 (gboolean, MAX (kl_pool_get_n_households (pool), 1));
  guint first = messages->len;

  if (n_people != k)
    {
      KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "panel_wrong_size");
      kl_message_set_param_int (m, "count", n_people);
      kl_message_set_param_int (m, "number_wanted", k);
    }

  for (guint i = 0; i < n_people; i++)
    {
      int household = kl_pool_get_household (pool, panel[i]);

      if (seen[panel[i]])
        kl_message_set_param (kl_messages_add (messages, KL_SEVERITY_ERROR, "panel_repeats_person"),
                              "id", kl_pool_get_id (pool, panel[i]));
      seen[panel[i]] = TRUE;

      if (household != KL_NO_HOUSEHOLD && household_taken[household])
        kl_message_set_param (kl_messages_add (messages, KL_SEVERITY_ERROR, "panel_shares_household"),
                              "id", kl_pool_get_id (pool, panel[i]));
      if (household != KL_NO_HOUSEHOLD)
        household_taken[household] = TRUE;

      for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
        counts[kl_quotas_get_slot (quotas, f, kl_pool_get_value (pool, panel[i], f))]++;
    }

  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *quota = kl_quotas_get_value (quotas, f, v);
        guint count = counts[kl_quotas_get_slot (quotas, f, v)];

        if (count < (guint) quota->min || count > (guint) quota->max)
          {
            KlMessage *m = kl_messages_add (messages, KL_SEVERITY_ERROR, "panel_misses_quota");
            kl_message_set_param (m, "feature", kl_quotas_get_feature (quotas, f)->name);
            kl_message_set_param (m, "value", quota->name);
            kl_message_set_param_int (m, "count", count);
            kl_message_set_param_int (m, "min", quota->min);
            kl_message_set_param_int (m, "max", quota->max);
          }
      }

  return messages->len == first;
}

static int
compare_by_probability (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  const double *p = user_data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (p[x] != p[y])
    return p[x] < p[y] ? -1 : 1;
  return (x > y) - (x < y);
}

/* Indices into the caller's pool, whose rows the outputs are made of, in
 * pool order so every listing of a panel reads the same. */
static GArray *
to_pool_indices (KlRun       *self,
                 const guint *working_panel,
                 guint        k)
{
  GArray *panel = g_array_sized_new (FALSE, FALSE, sizeof (guint), k);

  for (guint i = 0; i < k; i++)
    {
      g_array_append_val (panel, self->pool_index[working_panel[i]]);
    }
  g_array_sort (panel, kl_compare_uint);
  return panel;
}

static void
keep_panel (KlRun       *self,
            const guint *working_panel,
            guint        k)
{
  g_ptr_array_add (self->panels, to_pool_indices (self, working_panel, k));
}

/* Spec 4.9.2: how many panels carry the distribution, and each person's
 * chance, lowest first. */
static void
report_distribution (KlRun          *self,
                     KlDistribution *distribution,
                     const double   *marginals)
{
  static const char * const headers[] = { "table_agent_id", "table_probability",
                                          "table_included_in", NULL };
  guint n = kl_pool_get_n_people (self->working);
  guint k = self->params.number_wanted;
  g_autofree guint *inclusions = g_new0 (guint, MAX (n, 1));
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  KlMessage *m;

  m = kl_report_add_line (self->report, KL_LEVEL_NORMAL, "distribution_stats");
  kl_message_set_param_int (m, "total_committees", distribution->committees->len);
  kl_message_set_param_int (m, "non_zero_committees", distribution->committees->len);

  if (distribution->committees->len > n)
    {
      g_autofree char *smallest = NULL;
      double low = 1;

      for (guint c = 0; c < distribution->probabilities->len; c++)
        low = MIN (low, g_array_index (distribution->probabilities, double, c));
      smallest = g_strdup_printf ("%g", low);
      m = kl_report_add_line (self->report, KL_LEVEL_NORMAL, "basic_solution_warning");
      kl_message_set_param (m, "algorithm", kl_algorithm_to_string (self->params.algorithm));
      kl_message_set_param_int (m, "num_panels", distribution->committees->len);
      kl_message_set_param_int (m, "num_agents", n);
      kl_message_set_param (m, "min_probs", smallest);
    }

  for (guint c = 0; c < distribution->committees->len; c++)
    for (guint i = 0; i < k; i++)
      inclusions[((guint *) g_ptr_array_index (distribution->committees, c))[i]]++;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), compare_by_probability, (gpointer) marginals);
  for (guint r = 0; r < n; r++)
    {
      char **row = g_new0 (char *, 4);
      row[0] = g_strdup (kl_pool_get_id (self->working, order[r]));
      row[1] = g_strdup_printf ("%.4f%%", marginals[order[r]] * 100);
      row[2] = g_strdup_printf ("%u", inclusions[order[r]]);
      g_ptr_array_add (rows, row);
    }
  kl_report_add_table (self->report, headers, rows);
}

static void
checksum_line (const char *line,
               gsize       length,
               gpointer    checksum)
{
  g_checksum_update (checksum, (const guchar *) line, length);
}

/* Hashes the distribution's text once, when the run records it: on a
 * national pool that is 16,000 panels of 1,000 ids and half a second. */
static char *
compute_distribution_digest (KlRun *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  if (!kl_output_distribution_csv (self, checksum_line, checksum))
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

/* The last step of the building_panels phase, which it ends. */
static gboolean
use_distribution (KlRun           *self,
                  KlDistribution  *distribution,
                  KlProgress      *progress,
                  KlRandom        *random,
                  GError         **error)
{
  guint k = self->params.number_wanted;
  guint n = kl_pool_get_n_people (self->working);
  g_autofree double *marginals = NULL;
  g_autoptr(GArray) drawn = NULL;

  kl_distribution_standardise (distribution);
  marginals = kl_distribution_marginals (distribution, n, k);
  report_distribution (self, distribution, marginals);

  self->probabilities = g_new0 (double, MAX (kl_pool_get_n_people (self->pool), 1));
  for (guint i = 0; i < n; i++)
    self->probabilities[self->pool_index[i]] = marginals[i];
  for (guint c = 0; c < distribution->committees->len; c++)
    {
      g_ptr_array_add (self->committees, to_pool_indices (self, g_ptr_array_index (distribution->committees, c), k));
      g_array_append_val (self->committee_probabilities, g_array_index (distribution->probabilities, double, c));
    }

  kl_progress_update (progress, kl_progress_get_total (progress), _("Computing the distribution's SHA-256"));
  self->distribution_digest = compute_distribution_digest (self);
  kl_message_set_param (kl_report_add_line (self->report, KL_LEVEL_NORMAL, "distribution_digest"),
                        "sha256", self->distribution_digest);

  drawn = kl_lottery_draw (distribution, self->params.number_selections, random);
  if (drawn->len != (guint) self->params.number_selections)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_SELECTION_FAILED,
                   _("The lottery drew %u panels instead of %d."), drawn->len, self->params.number_selections);
      return FALSE;
    }
  for (guint d = 0; d < drawn->len; d++)
    keep_panel (self, g_ptr_array_index (distribution->committees, g_array_index (drawn, guint, d)), k);
  kl_progress_end (progress);
  return TRUE;
}

/* ---- the run ------------------------------------------------------------ */

/* Spec 3.4: each algorithm, then the lottery for the distributions. */
static gboolean
dispatch (KlRun               *self,
          KlAlgorithmContext  *ctx,
          KlRandom            *random,
          guint               *panel,
          GError             **error)
{
  g_autoptr(KlDistribution) distribution = NULL;

  if (self->params.test_selection)
    {
      /* The model's first feasible panel: quick and deliberately not random. */
      g_autoptr(KlCommitteeModel) model = kl_committees_build_model (ctx, panel, error);

      if (model == NULL)
        return FALSE;
      keep_panel (self, panel, ctx->k);
      return TRUE;
    }

  switch (self->params.algorithm)
    {
    case KL_ALGORITHM_LEGACY:
      if (!kl_legacy_select (ctx, self->params.max_attempts, panel, error))
        return FALSE;
      keep_panel (self, panel, ctx->k);
      return TRUE;

    case KL_ALGORITHM_MAXIMIN:
      distribution = kl_maximin_run (ctx, error);
      return distribution != NULL && use_distribution (self, distribution, ctx->progress, random, error);

    case KL_ALGORITHM_DIVERSIMAX:
      if (!kl_diversimax_select (ctx, self->params.max_seconds, panel, error))
        return FALSE;
      keep_panel (self, panel, ctx->k);
      return TRUE;

    case KL_ALGORITHM_NASH:
      distribution = kl_nash_run (ctx, error);
      return distribution != NULL && use_distribution (self, distribution, ctx->progress, random, error);

    case KL_ALGORITHM_LEXIMIN:
      distribution = kl_leximin_run (ctx, error);
      return distribution != NULL && use_distribution (self, distribution, ctx->progress, random, error);

    default:
      g_assert_not_reached ();
    }
}

gboolean
kl_run_execute (KlRun               *self,
                KlProgressReporter  *reporter,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(KlRandom) random = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint *panel = NULL;
  KlAlgorithmContext ctx = { 0 };
  KlProgress progress;
  guint k = MAX (self->params.number_wanted, 0);
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->started, FALSE);
  self->started = TRUE;
  self->time = g_date_time_new_now_utc ();

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!check_params (self, error) || !pre_checks (self, error))
    return FALSE;

  random = kl_random_new (self->params.seed);
  self->secure = kl_random_is_secure (random);
  if (self->secure)
    kl_report_add_line (self->report, KL_LEVEL_NORMAL, "random_secure");
  else
    kl_message_set_param_int (kl_report_add_line (self->report, KL_LEVEL_NORMAL, "random_seed_set"),
                              "seed", self->params.seed);

  if (self->params.test_selection)
    kl_report_add_line (self->report, KL_LEVEL_CRITICAL, "test_selection_warning");

  add_initial_table (self);

  kl_progress_init (&progress, reporter);
  ctx.pool = self->working;
  ctx.quotas = kl_pool_get_quotas (self->working);
  ctx.k = k;
  ctx.random = random;
  ctx.progress = &progress;
  ctx.report = self->report;
  ctx.cancellable = cancellable;
  panel = g_new0 (guint, MAX (k, 1));

  /* A Cancel that came while the last step finished still counts. */
  if (!dispatch (self, &ctx, random, panel, &local_error) ||
      g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    {
      g_ptr_array_set_size (self->panels, 0);
      if (ctx.suggested_quotas != NULL)
        self->suggested_quotas = kl_quotas_ref (ctx.suggested_quotas);
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GPtrArray) messages = ctx.problems ? g_ptr_array_ref (ctx.problems) : kl_messages_new ();

          if (messages->len == 0)
            kl_message_set_param (kl_messages_add (messages, KL_SEVERITY_ERROR, "selection_error"),
                                  "error", local_error->message);
          kl_report_add_error (self->report, messages, TRUE);
        }
      goto out;
    }

  /* Check every panel as an auditor would before anyone sees it. */
  for (guint p = 0; p < self->panels->len; p++)
    {
      g_autoptr(GPtrArray) breaches = kl_messages_new ();
      GArray *chosen = g_ptr_array_index (self->panels, p);

      if (!kl_panel_check (self->pool, (guint *) chosen->data, chosen->len, k, breaches))
        {
          g_ptr_array_set_size (self->panels, 0);
          fail_with (self, breaches, KL_ERROR_SELECTION_FAILED, &local_error);
          goto out;
        }
    }

  if (self->panels->len == 1)
    {
      g_autofree guint *working_panel = g_new (guint, MAX (k, 1));
      GArray *chosen = g_ptr_array_index (self->panels, 0);

      for (guint i = 0; i < k; i++)
        working_panel[i] = kl_pool_find_person (self->working, kl_pool_get_id (self->pool, g_array_index (chosen, guint, i)));
      add_final_table (self, working_panel, k);
    }
  else
    kl_report_add_line (self->report, KL_LEVEL_IMPORTANT, "no_category_info_multiple");
  ok = TRUE;

out:
  kl_progress_clear (&progress);
  g_clear_pointer (&ctx.problems, g_ptr_array_unref);
  g_clear_pointer (&ctx.suggested_quotas, kl_quotas_unref);
  /* GLPK keeps state per thread; a run leaves none behind. */
  kl_lp_thread_cleanup ();
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static void
execute_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  KlRun *self = g_task_get_task_data (task);
  KlProgressReporter *reporter = g_object_get_data (G_OBJECT (task), "reporter");
  GError *error = NULL;

  if (kl_run_execute (self, reporter, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * kl_run_execute_async:
 *
 * Runs the selection in a worker thread. The reporter is called from that
 * thread: marshal its events to the main loop before touching widgets.
 */
void
kl_run_execute_async (KlRun               *self,
                      KlProgressReporter  *reporter,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kl_run_execute_async);
  if (reporter != NULL)
    g_object_set_data_full (G_OBJECT (task), "reporter", g_object_ref (reporter), g_object_unref);
  g_task_set_task_data (task, kl_run_ref (self), (GDestroyNotify) kl_run_unref);
  /* A cancelled run still returns its own error; nothing is skipped. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, execute_in_thread);
}

gboolean
kl_run_execute_finish (KlRun         *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kl_run_execute_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

KlReport *
kl_run_get_report (KlRun *self)
{
  return self->report;
}

KlPool *
kl_run_get_pool (KlRun *self)
{
  return self->pool;
}

KlPool *
kl_run_get_working_pool (KlRun *self)
{
  return self->working;
}

const KlRunParams *
kl_run_get_params (KlRun *self)
{
  return &self->params;
}

guint
kl_run_get_n_panels (KlRun *self)
{
  return self->panels->len;
}

const guint *
kl_run_get_panel (KlRun *self,
                  guint  index,
                  guint *n_people)
{
  GArray *panel;

  g_return_val_if_fail (index < self->panels->len, NULL);

  panel = g_ptr_array_index (self->panels, index);
  if (n_people)
    *n_people = panel->len;
  return (const guint *) panel->data;
}

gboolean
kl_run_is_secure (KlRun *self)
{
  return self->secure;
}

/* Each person's chance of selection, indexed like the pool; NULL for
 * algorithms that compute none (legacy, test selections). */
const double *
kl_run_get_probabilities (KlRun *self)
{
  return self->probabilities;
}

guint
kl_run_get_n_committees (KlRun *self)
{
  return self->committees->len;
}

/* A committee of the distribution, as sorted pool indices. */
const guint *
kl_run_get_committee (KlRun  *self,
                      guint   index,
                      double *probability)
{
  g_return_val_if_fail (index < self->committees->len, NULL);

  if (probability)
    *probability = g_array_index (self->committee_probabilities, double, index);
  return (const guint *) ((GArray *) g_ptr_array_index (self->committees, index))->data;
}

/**
 * kl_run_get_distribution_digest:
 *
 * SHA-256 of the distribution exactly as written to `distribution.csv`
 * (kl_output_distribution_csv()): one row per committee, its probability
 * to 17 significant digits and its members' ids. Published before a public
 * draw, it lets anyone check afterwards, with any SHA-256 tool, that the N
 * panels came from this distribution. %NULL without one.
 */
char *
kl_run_get_distribution_digest (KlRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_strdup (self->distribution_digest);
}

/* Quotas that would make a panel possible, when the run found none. */
KlQuotas *
kl_run_get_suggested_quotas (KlRun *self)
{
  return self->suggested_quotas;
}

/* The settings the run used: its own copy, unchanged by later edits. */
const KlSettings *
kl_run_get_settings (KlRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->settings;
}

/* The quotas the run used, after any relaxation the organiser applied;
 * kl_quotas_get_file_bounds() gives what the file said. */
KlQuotas *
kl_run_get_quotas (KlRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return kl_pool_get_quotas (self->pool);
}

/* People chosen in an earlier round, or %NULL. */
KlPool *
kl_run_get_already_selected (KlRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->already_selected;
}

/* When the run started (UTC), %NULL before; the results page and the
 * audit record say when a panel was drawn. */
GDateTime *
kl_run_get_time (KlRun *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->time;
}

/**
 * kl_run_get_inputs:
 * @n_inputs: (out): how many
 *
 * Every file the run was given, with the SHA-256 the loaders computed of
 * the exact bytes they parsed. Settings, quotas and people built in code
 * have no file and are not listed.
 */
const KlRunInput *
kl_run_get_inputs (KlRun *self,
                   guint *n_inputs)
{
  g_return_val_if_fail (self != NULL, NULL);
  *n_inputs = self->inputs->len;
  return (const KlRunInput *) self->inputs->data;
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *name,
                  const char * const *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    json_builder_add_string_value (builder, strings[i]);
  json_builder_end_array (builder);
}

/* The settings as a settings file would give them, so a checker can load
 * them back with kl_settings_load_data() and repeat the run. */
static void
add_settings (JsonBuilder      *builder,
              const KlSettings *settings)
{
  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id_column");
  json_builder_add_string_value (builder, settings->id_column);
  add_string_array (builder, "columns_to_keep", (const char * const *) settings->columns_to_keep);
  json_builder_set_member_name (builder, "check_same_address");
  json_builder_add_boolean_value (builder, settings->check_same_address);
  add_string_array (builder, "check_same_address_columns",
                    (const char * const *) settings->check_same_address_columns);
  json_builder_set_member_name (builder, "max_attempts");
  json_builder_add_int_value (builder, settings->max_attempts);
  json_builder_set_member_name (builder, "selection_algorithm");
  json_builder_add_string_value (builder, kl_algorithm_to_string (settings->selection_algorithm));
  json_builder_set_member_name (builder, "solver_backend");
  json_builder_add_string_value (builder, settings->solver_backend);
  json_builder_set_member_name (builder, "random_number_seed");
  json_builder_add_int_value (builder, settings->random_number_seed);
  json_builder_end_object (builder);
}

static void
add_bounds (JsonBuilder *builder,
            const char  *name,
            int          min,
            int          max)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "min");
  json_builder_add_int_value (builder, min);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, max);
  json_builder_end_object (builder);
}

/* The quota table the panel was drawn with (its SHA-256 is that of
 * `quotas-used.csv`) and every bound that differs from the quota file,
 * such as an applied relaxation, with both values. */
static void
add_quotas (JsonBuilder *builder,
            KlQuotas    *quotas)
{
  g_autofree char *csv = kl_quotas_to_csv (quotas);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, csv, -1);

  json_builder_set_member_name (builder, "quotas_used");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, digest);
  json_builder_set_member_name (builder, "changed");
  json_builder_begin_array (builder);
  for (guint f = 0; f < kl_quotas_get_n_features (quotas); f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        const KlQuotaValue *used = kl_quotas_get_value (quotas, f, v);
        int min, max;

        if (!kl_quotas_get_file_bounds (quotas, f, v, &min, &max) ||
            (min == used->min && max == used->max))
          continue;
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "feature");
        json_builder_add_string_value (builder, kl_quotas_get_feature (quotas, f)->name);
        json_builder_set_member_name (builder, "value");
        json_builder_add_string_value (builder, used->name);
        add_bounds (builder, "original", min, max);
        add_bounds (builder, "applied", used->min, used->max);
        json_builder_end_object (builder);
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * kl_run_to_json:
 * @inputs: (nullable): the inputs to name; %NULL for the run's own
 *   (kl_run_get_inputs()), which is what callers should pass
 *
 * The audit record of a run: what went in (with checksums, the settings
 * and the quotas actually used), how it was drawn (algorithm, seed or
 * secure randomness), what came out (the panels, the distribution's
 * checksum) and every line of the report.
 */
JsonNode *
kl_run_to_json (KlRun            *self,
                const KlRunInput *inputs,
                guint             n_inputs)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *digest = kl_run_get_distribution_digest (self);

  if (inputs == NULL)
    inputs = kl_run_get_inputs (self, &n_inputs);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "generator");
  json_builder_add_string_value (builder, "kleroterion " PACKAGE_VERSION);
  if (self->time != NULL)
    {
      g_autofree char *when = g_date_time_format_iso8601 (self->time);

      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, when);
    }
  json_builder_set_member_name (builder, "algorithm");
  json_builder_add_string_value (builder, self->params.test_selection ? "test"
                                          : kl_algorithm_to_string (self->params.algorithm));
  json_builder_set_member_name (builder, "number_wanted");
  json_builder_add_int_value (builder, self->params.number_wanted);
  json_builder_set_member_name (builder, "number_selections");
  json_builder_add_int_value (builder, self->params.number_selections);
  json_builder_set_member_name (builder, "max_attempts");
  json_builder_add_int_value (builder, self->params.max_attempts);
  json_builder_set_member_name (builder, "random");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "secure");
  json_builder_add_boolean_value (builder, self->secure);
  if (!self->secure)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, self->params.seed);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n_inputs; i++)
    {
      json_builder_set_member_name (builder, inputs[i].role);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, inputs[i].name);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, inputs[i].sha256);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  add_settings (builder, self->settings);
  if (kl_run_get_quotas (self) != NULL)
    add_quotas (builder, kl_run_get_quotas (self));

  json_builder_set_member_name (builder, "panels");
  json_builder_begin_array (builder);
  for (guint p = 0; p < self->panels->len; p++)
    {
      GArray *panel = g_ptr_array_index (self->panels, p);

      json_builder_begin_array (builder);
      for (guint i = 0; i < panel->len; i++)
        json_builder_add_string_value (builder, kl_pool_get_id (self->pool, g_array_index (panel, guint, i)));
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);

  if (digest != NULL)
    {
      json_builder_set_member_name (builder, "distribution_sha256");
      json_builder_add_string_value (builder, digest);
    }

  json_builder_set_member_name (builder, "report");
  json_builder_add_value (builder, kl_report_to_json (self->report));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
