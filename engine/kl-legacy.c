/* kl-legacy.c — the greedy stratified draw with retries (spec 4.8)
 *
 * One attempt fills the panel one person at a time, always from the value
 * whose minimum is most at risk, and may run into a dead end; then it starts
 * again. It gives no fairness guarantee, which is why it is not the default.
 *
 * Unlike the library, a person counts as selected before the "nobody left
 * to meet this minimum" test is made: choosing the last woman when one woman
 * is needed is a success, not a failed attempt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"
#include "kl-algorithm-private.h"

/* The library starts the search for the most urgent value below any ratio. */
#define INITIAL_BEST_RATIO (-100.0)

typedef struct {
  KlAlgorithmContext *ctx;
  guint n;
  guint n_features;
  guint n_slots;
  guint *slot_of;            /* n × n_features: slot of each person's value */
  guint *member_start;       /* per slot, into members (CSR), n_slots + 1 */
  guint *members;            /* people of each slot, in pool order */
  guint *position;           /* n × n_features: place in the slot's list */
  guint *household_start;    /* per household, into housemates (CSR) */
  guint *housemates;
  int *lo, *hi;
  /* per attempt */
  int *tree;                 /* Fenwick trees over each slot's members */
  int *remaining;
  int *selected;
  gboolean *alive;
  guint n_alive;
  KlReport *lines;           /* this attempt's lines, kept if it succeeds */
  GPtrArray *failure;        /* why this attempt failed */
} Legacy;

/* ---- order statistics on each slot's remaining people ------------------ */

static void
tree_reset (Legacy *self)
{
  /* An all-ones Fenwick tree holds the lowest set bit of each index. */
  for (guint s = 0; s < self->n_slots; s++)
    {
      guint size = self->member_start[s + 1] - self->member_start[s];
      int *tree = self->tree + self->member_start[s];

      for (guint i = 1; i <= size; i++)
        tree[i - 1] = i & -i;
    }
}

static void
tree_remove (Legacy *self,
             guint   slot,
             guint   position)
{
  guint size = self->member_start[slot + 1] - self->member_start[slot];
  int *tree = self->tree + self->member_start[slot];

  for (guint i = position + 1; i <= size; i += i & -i)
    tree[i - 1]--;
}

/* The q-th (1-based) remaining person of a slot, in pool order. */
static guint
tree_find (Legacy *self,
           guint   slot,
           int     q)
{
  guint size = self->member_start[slot + 1] - self->member_start[slot];
  int *tree = self->tree + self->member_start[slot];
  guint at = 0;

  for (guint step = size ? 1u << g_bit_nth_msf (size, -1) : 0; step > 0; step >>= 1)
    if (at + step <= size && tree[at + step - 1] < q)
      {
        at += step;
        q -= tree[at - 1];
      }

  return self->members[self->member_start[slot] + at];
}

/* ---- set-up ----------------------------------------------------------- */

static void
legacy_init (Legacy             *self,
             KlAlgorithmContext *ctx)
{
  KlPool *pool = ctx->pool;
  KlQuotas *quotas = ctx->quotas;
  g_autofree guint *fill = NULL;
  guint n_households = kl_pool_get_n_households (pool);

  memset (self, 0, sizeof *self);
  self->ctx = ctx;
  self->n = kl_pool_get_n_people (pool);
  self->n_features = kl_quotas_get_n_features (quotas);
  self->n_slots = kl_quotas_get_n_slots (quotas);

  self->lo = g_new (int, self->n_slots);
  self->hi = g_new (int, self->n_slots);
  for (guint f = 0; f < self->n_features; f++)
    for (guint v = 0; v < kl_quotas_get_feature (quotas, f)->values->len; v++)
      {
        guint s = kl_quotas_get_slot (quotas, f, v);
        self->lo[s] = kl_quotas_get_value (quotas, f, v)->min;
        self->hi[s] = kl_quotas_get_value (quotas, f, v)->max;
      }

  self->slot_of = g_new (guint, (gsize) self->n * MAX (self->n_features, 1));
  self->position = g_new (guint, (gsize) self->n * MAX (self->n_features, 1));
  self->member_start = g_new0 (guint, self->n_slots + 1);
  for (guint i = 0; i < self->n; i++)
    for (guint f = 0; f < self->n_features; f++)
      {
        guint s = kl_quotas_get_slot (quotas, f, kl_pool_get_value (pool, i, f));
        self->slot_of[(gsize) i * self->n_features + f] = s;
        self->member_start[s + 1]++;
      }
  for (guint s = 0; s < self->n_slots; s++)
    self->member_start[s + 1] += self->member_start[s];

  fill = g_new0 (guint, self->n_slots);
  self->members = g_new (guint, MAX (self->member_start[self->n_slots], 1));
  for (guint i = 0; i < self->n; i++)
    for (guint f = 0; f < self->n_features; f++)
      {
        guint s = self->slot_of[(gsize) i * self->n_features + f];
        self->position[(gsize) i * self->n_features + f] = fill[s];
        self->members[self->member_start[s] + fill[s]++] = i;
      }

  self->household_start = g_new0 (guint, n_households + 1);
  for (guint i = 0; i < self->n; i++)
    if (kl_pool_get_household (pool, i) != KL_NO_HOUSEHOLD)
      self->household_start[kl_pool_get_household (pool, i) + 1]++;
  for (guint h = 0; h < n_households; h++)
    self->household_start[h + 1] += self->household_start[h];
  self->housemates = g_new (guint, MAX (self->household_start[n_households], 1));
  g_clear_pointer (&fill, g_free);
  fill = g_new0 (guint, MAX (n_households, 1));
  for (guint i = 0; i < self->n; i++)
    {
      int h = kl_pool_get_household (pool, i);
      if (h != KL_NO_HOUSEHOLD)
        self->housemates[self->household_start[h] + fill[h]++] = i;
    }

  self->tree = g_new (int, MAX (self->member_start[self->n_slots], 1));
  self->remaining = g_new (int, self->n_slots);
  self->selected = g_new (int, self->n_slots);
  self->alive = g_new (gboolean, MAX (self->n, 1));
}

static void
legacy_clear (Legacy *self)
{
  g_free (self->slot_of);
  g_free (self->position);
  g_free (self->member_start);
  g_free (self->members);
  g_free (self->household_start);
  g_free (self->housemates);
  g_free (self->lo);
  g_free (self->hi);
  g_free (self->tree);
  g_free (self->remaining);
  g_free (self->selected);
  g_free (self->alive);
  g_clear_pointer (&self->lines, kl_report_unref);
  g_clear_pointer (&self->failure, g_ptr_array_unref);
}

/* ---- one attempt ------------------------------------------------------ */

static void
slot_names (Legacy      *self,
            guint        slot,
            const char **feature,
            const char **value)
{
  KlQuotas *quotas = self->ctx->quotas;

  for (guint f = 0; f < self->n_features; f++)
    {
      const KlFeature *feat = kl_quotas_get_feature (quotas, f);
      guint first = kl_quotas_get_slot (quotas, f, 0);

      if (slot >= first && slot < first + feat->values->len)
        {
          *feature = feat->name;
          *value = kl_quotas_get_value (quotas, f, slot - first)->name;
          return;
        }
    }
  g_assert_not_reached ();
}

static KlMessage *
name_slot (Legacy    *self,
           KlMessage *m,
           int        slot)
{
  const char *feature, *value;

  if (slot < 0)
    return m;
  slot_names (self, slot, &feature, &value);
  kl_message_set_param (m, "feature", feature);
  kl_message_set_param (m, "value", value);
  return m;
}

static KlMessage *
fail (Legacy     *self,
      const char *code,
      int         slot)
{
  return name_slot (self, kl_messages_add (self->failure, KL_SEVERITY_ERROR, code), slot);
}

static KlMessage *
line (Legacy     *self,
      KlLevel     level,
      const char *code,
      int         slot)
{
  if (self->lines == NULL)
    return NULL;
  return name_slot (self, kl_report_add_line (self->lines, level, code), slot);
}

static gboolean
take_remaining (Legacy *self,
                guint   slot)
{
  if (--self->remaining[slot] == 0 && self->selected[slot] < self->lo[slot])
    {
      KlMessage *m = fail (self, "legacy_value_ran_short", slot);
      kl_message_set_param_int (m, "min", self->lo[slot]);
      kl_message_set_param_int (m, "selected", self->selected[slot]);
      return FALSE;
    }
  return TRUE;
}

static void
remove_person (Legacy *self,
               guint   person)
{
  self->alive[person] = FALSE;
  self->n_alive--;
  for (guint f = 0; f < self->n_features; f++)
    tree_remove (self, self->slot_of[(gsize) person * self->n_features + f],
                 self->position[(gsize) person * self->n_features + f]);
}

/* Everyone still in the pool with this value leaves it (spec 4.8.1). */
static gboolean
delete_all (Legacy *self,
            guint   slot,
            guint  *n_deleted)
{
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint m = self->member_start[slot]; m < self->member_start[slot + 1]; m++)
    {
      guint person = self->members[m];

      if (!self->alive[person])
        continue;
      for (guint f = 0; f < self->n_features; f++)
        if (!take_remaining (self, self->slot_of[(gsize) person * self->n_features + f]))
          return FALSE;
      g_array_append_val (doomed, person);
    }

  for (guint i = 0; i < doomed->len; i++)
    remove_person (self, g_array_index (doomed, guint, i));
  *n_deleted = doomed->len;
  return TRUE;
}

static gboolean
prune_full_values (Legacy *self)
{
  for (guint s = 0; s < self->n_slots; s++)
    {
      guint deleted;
      KlMessage *m;

      if (self->hi[s] != 0)
        continue;
      if (!delete_all (self, s, &deleted))
        return FALSE;

      m = line (self, KL_LEVEL_NORMAL, "legacy_pruned", s);
      if (m != NULL)
        {
          kl_message_set_param_int (m, "deleted", deleted);
          kl_message_set_param_int (m, "left", self->n_alive);
        }
      /* A value already full at the start usually means a replacement round,
       * in which case the remaining list is of little use. */
      if (deleted > 0 && deleted >= self->n_alive)
        line (self, KL_LEVEL_IMPORTANT, "legacy_pruned_many", s);
    }
  return TRUE;
}

static gboolean
pick_value (Legacy *self,
            guint   iteration,
            guint  *slot,
            int    *position)
{
  double best = INITIAL_BEST_RATIO;
  int chosen = -1;

  for (guint s = 0; s < self->n_slots; s++)
    {
      int needed = self->lo[s] - self->selected[s];
      double ratio;

      if (needed > 0 && self->remaining[s] < needed)
        {
          KlMessage *m = fail (self, "legacy_not_enough_remaining", s);
          kl_message_set_param_int (m, "iteration", iteration + 1);
          kl_message_set_param_int (m, "needed", needed);
          kl_message_set_param_int (m, "left", self->remaining[s]);
          return FALSE;
        }
      if (self->remaining[s] == 0 || self->hi[s] == 0)
        continue;

      ratio = (double) MAX (needed, 0) / self->remaining[s];
      if (ratio > best)
        {
          best = ratio;
          chosen = s;
          /* A draw at every improvement, as the library does, so a seeded
           * run reproduces its panels. */
          *position = (int) kl_random_below (self->ctx->random, self->remaining[s]) + 1;
        }
    }

  if (chosen < 0)
    {
      KlMessage *m = fail (self, "legacy_no_valid_values", -1);
      kl_message_set_param_int (m, "iteration", iteration + 1);
      return FALSE;
    }

  *slot = chosen;
  return TRUE;
}

static gboolean
select_person (Legacy *self,
               guint   person)
{
  KlPool *pool = self->ctx->pool;
  int household = kl_pool_get_household (pool, person);
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();

  for (guint f = 0; f < self->n_features; f++)
    {
      guint s = self->slot_of[(gsize) person * self->n_features + f];

      self->selected[s]++;
      if (!take_remaining (self, s))
        return FALSE;
    }
  remove_person (self, person);

  if (household == KL_NO_HOUSEHOLD)
    return TRUE;

  for (guint m = self->household_start[household]; m < self->household_start[household + 1]; m++)
    {
      guint mate = self->housemates[m];

      if (!self->alive[mate])
        continue;
      for (guint f = 0; f < self->n_features; f++)
        if (!take_remaining (self, self->slot_of[(gsize) mate * self->n_features + f]))
          return FALSE;
      remove_person (self, mate);
      g_ptr_array_add (removed, (gpointer) kl_pool_get_id (pool, mate));
    }

  if (removed->len > 0 && self->lines != NULL)
    {
      KlMessage *m = line (self, KL_LEVEL_NORMAL, "legacy_housemates_removed", -1);
      g_autofree char *ids = NULL;

      g_ptr_array_add (removed, NULL);
      ids = g_strjoinv (", ", (char **) removed->pdata);
      kl_message_set_param (m, "id", kl_pool_get_id (pool, person));
      kl_message_set_param (m, "removed", ids);
    }
  return TRUE;
}

static gboolean
close_full_values (Legacy *self,
                   guint   person)
{
  for (guint f = 0; f < self->n_features; f++)
    {
      guint s = self->slot_of[(gsize) person * self->n_features + f];
      guint deleted;

      if (self->selected[s] != self->hi[s])
        continue;
      if (!delete_all (self, s, &deleted))
        {
          KlMessage *m = fail (self, "legacy_closing_failed", s);
          kl_message_set_param (m, "id", kl_pool_get_id (self->ctx->pool, person));
          return FALSE;
        }
      if (deleted > 0)
        {
          KlMessage *m = line (self, KL_LEVEL_NORMAL, "legacy_value_full", s);
          if (m != NULL)
            {
              kl_message_set_param_int (m, "deleted", deleted);
              kl_message_set_param_int (m, "left", self->n_alive);
            }
        }
    }
  return TRUE;
}

static gboolean
check_quotas (Legacy *self)
{
  gboolean ok = TRUE;

  for (guint s = 0; s < self->n_slots; s++)
    if (self->selected[s] < self->lo[s] || self->selected[s] > self->hi[s])
      {
        KlMessage *m = fail (self, "legacy_quota_missed", s);
        kl_message_set_param_int (m, "count", self->selected[s]);
        kl_message_set_param_int (m, "min", self->lo[s]);
        kl_message_set_param_int (m, "max", self->hi[s]);
        ok = FALSE;
      }
  return ok;
}

static gboolean
attempt (Legacy *self,
         guint  *panel)
{
  guint k = self->ctx->k;

  for (guint s = 0; s < self->n_slots; s++)
    {
      self->remaining[s] = self->member_start[s + 1] - self->member_start[s];
      self->selected[s] = 0;
    }
  for (guint i = 0; i < self->n; i++)
    self->alive[i] = TRUE;
  self->n_alive = self->n;
  tree_reset (self);

  line (self, KL_LEVEL_NORMAL, "using_legacy_algorithm", -1);

  if (!prune_full_values (self))
    return FALSE;

  for (guint c = 0; c < k; c++)
    {
      guint slot = 0, person;
      int q = 0;

      /* Checked at every seat, so a large panel stops within milliseconds. */
      if (g_cancellable_is_cancelled (self->ctx->cancellable))
        return FALSE;

      if (self->n_slots > 0)
        {
          if (!pick_value (self, c, &slot, &q))
            return FALSE;
          person = tree_find (self, slot, q);
        }
      else
        {
          /* No features: a plain draw among everyone left. */
          guint nth = kl_random_below (self->ctx->random, self->n_alive);
          for (person = 0; !self->alive[person] || nth-- > 0; person++)
            ;
        }

      panel[c] = person;
      if (!select_person (self, person) || !close_full_values (self, person))
        return FALSE;

      if (c + 1 < k && self->n_alive == 0)
        {
          KlMessage *m = fail (self, "legacy_pool_exhausted", -1);
          kl_message_set_param_int (m, "selected", c + 1);
          kl_message_set_param_int (m, "wanted", k);
          return FALSE;
        }
    }

  return check_quotas (self);
}

/* ---- retries (spec 4.8.3) --------------------------------------------- */

gboolean
kl_legacy_select (KlAlgorithmContext  *ctx,
                  int                  max_attempts,
                  guint               *panel,
                  GError             **error)
{
  Legacy self;
  gboolean done = FALSE;

  if (max_attempts < 1)
    {
      g_set_error (error, KL_ERROR, KL_ERROR_CONFIGURATION,
                   _("max_attempts is %d; the legacy algorithm needs at least one attempt."), max_attempts);
      return FALSE;
    }

  if (ctx->k > kl_pool_get_n_people (ctx->pool))
    {
      g_set_error (error, KL_ERROR, KL_ERROR_SELECTION_FAILED,
                   _("The pool has only %u people, fewer than the %u to select."),
                   kl_pool_get_n_people (ctx->pool), ctx->k);
      return FALSE;
    }

  legacy_init (&self, ctx);
  kl_progress_start (ctx->progress, KL_PHASE_LEGACY_ATTEMPT, max_attempts,
                     _("Legacy algorithm: up to %d attempts"), max_attempts);

  for (int trial = 1; trial <= max_attempts && !done; trial++)
    {
      KlMessage *m;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        break;

      kl_progress_update (ctx->progress, trial, _("Attempt %d of %d"), trial, max_attempts);
      if (ctx->report != NULL)
        {
          m = kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "trial_number");
          kl_message_set_param_int (m, "trial", trial);
        }
      g_debug ("Legacy attempt %d of %d", trial, max_attempts);

      g_clear_pointer (&self.lines, kl_report_unref);
      g_clear_pointer (&self.failure, g_ptr_array_unref);
      self.lines = ctx->report ? kl_report_new () : NULL;
      self.failure = kl_messages_new ();

      if (attempt (&self, panel) && !g_cancellable_is_cancelled (ctx->cancellable))
        {
          if (ctx->report != NULL)
            kl_report_append (ctx->report, self.lines);
          done = TRUE;
          break;
        }

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        break;

      if (ctx->report != NULL)
        {
          g_autofree char *reason = kl_messages_to_string (self.failure, 0);

          kl_report_add_error (ctx->report, self.failure, FALSE);
          m = kl_report_add_line (ctx->report, KL_LEVEL_NORMAL, "retry_after_error");
          kl_message_set_param (m, "error", reason);
        }
    }

  if (!done && (error == NULL || *error == NULL))
    {
      g_autofree char *reason = kl_messages_to_string (self.failure, 0);

      if (ctx->report != NULL)
        kl_message_set_param_int (kl_report_add_line (ctx->report, KL_LEVEL_IMPORTANT, "selection_failed"),
                                  "attempts", max_attempts);
      g_set_error (error, KL_ERROR, KL_ERROR_SELECTION_FAILED,
                   _("The legacy algorithm failed %d times and gave up. The last attempt failed because:\n%s"),
                   max_attempts, reason);
    }

  kl_progress_end (ctx->progress);
  legacy_clear (&self);
  return done;
}
