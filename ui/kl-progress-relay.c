/* kl-progress-relay.c — a reporter that hands events to the main loop
 *
 * The engine calls reporters from its worker thread, as often as it likes
 * (thousands of times a second in a fast solver loop). Widgets may only be
 * touched on the main thread, and a main loop flooded with idles stops
 * drawing. So the relay keeps the latest update under a lock and schedules
 * one idle at a time; phase starts and ends are queued and always
 * delivered, in order, before the latest update.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kl-progress-relay.h"

#include <string.h>

typedef struct {
  char *phase;      /* NULL: the phase ended */
  gint64 total;
  gint64 current;
  char *message;
} Event;

struct _KlProgressRelay {
  GObject parent_instance;

  GMutex lock;
  GQueue phase_events;     /* of Event: starts and ends, never dropped */
  Event latest;            /* the newest update, if has_latest */
  gboolean has_latest;
  char *phase;             /* the phase updates belong to */
  gint64 total;
  guint idle_id;
  guint n_dispatches;

  /* main thread only */
  KlProgressFunc func;
  gpointer user_data;
};

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlProgressRelay, kl_progress_relay, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static void
event_clear (Event *event)
{
  g_clear_pointer (&event->phase, g_free);
  g_clear_pointer (&event->message, g_free);
}

static void
event_free (gpointer data)
{
  event_clear (data);
  g_free (data);
}

static gboolean
dispatch (gpointer data)
{
  KlProgressRelay *self = data;
  GQueue events = G_QUEUE_INIT;
  Event latest = { 0 };
  gboolean has_latest;

  g_mutex_lock (&self->lock);
  events = self->phase_events;
  g_queue_init (&self->phase_events);
  has_latest = self->has_latest;
  latest = self->latest;
  memset (&self->latest, 0, sizeof self->latest);
  self->has_latest = FALSE;
  self->idle_id = 0;
  self->n_dispatches++;
  g_mutex_unlock (&self->lock);

  for (GList *l = events.head; l != NULL; l = l->next)
    {
      Event *event = l->data;
      if (self->func)
        self->func (event->phase, event->total, event->current, event->message, self->user_data);
    }
  if (has_latest && self->func)
    self->func (latest.phase, latest.total, latest.current, latest.message, self->user_data);

  g_queue_clear_full (&events, event_free);
  event_clear (&latest);
  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
schedule (KlProgressRelay *self)
{
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, dispatch, g_object_ref (self), g_object_unref);
}

static void
queue_phase_event (KlProgressRelay *self,
                   const char      *phase,
                   gint64           total,
                   const char      *message)
{
  Event *event = g_new0 (Event, 1);

  event->phase = g_strdup (phase);
  event->total = total;
  event->message = g_strdup (message);

  g_mutex_lock (&self->lock);
  /* An update of the phase before this event must not arrive after it. */
  if (self->has_latest)
    {
      Event *update = g_new0 (Event, 1);
      *update = self->latest;
      memset (&self->latest, 0, sizeof self->latest);
      self->has_latest = FALSE;
      g_queue_push_tail (&self->phase_events, update);
    }
  g_queue_push_tail (&self->phase_events, event);
  g_free (self->phase);
  self->phase = g_strdup (phase);
  self->total = total;
  schedule (self);
  g_mutex_unlock (&self->lock);
}

static gboolean
relay_start_phase (KlProgressReporter  *reporter,
                   const char          *name,
                   gint64               total,
                   const char          *message,
                   GError             **error)
{
  queue_phase_event (KL_PROGRESS_RELAY (reporter), name, total, message);
  return TRUE;
}

static gboolean
relay_update (KlProgressReporter  *reporter,
              gint64               current,
              const char          *message,
              GError             **error)
{
  KlProgressRelay *self = KL_PROGRESS_RELAY (reporter);

  g_mutex_lock (&self->lock);
  event_clear (&self->latest);
  self->latest.phase = g_strdup (self->phase);
  self->latest.total = self->total;
  self->latest.current = current;
  self->latest.message = g_strdup (message);
  self->has_latest = TRUE;
  schedule (self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
relay_end_phase (KlProgressReporter  *reporter,
                 GError             **error)
{
  queue_phase_event (KL_PROGRESS_RELAY (reporter), NULL, KL_PROGRESS_UNKNOWN_TOTAL, NULL);
  return TRUE;
}

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = relay_start_phase;
  iface->update = relay_update;
  iface->end_phase = relay_end_phase;
}

static void
kl_progress_relay_finalize (GObject *object)
{
  KlProgressRelay *self = KL_PROGRESS_RELAY (object);

  g_queue_clear_full (&self->phase_events, event_free);
  event_clear (&self->latest);
  g_free (self->phase);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (kl_progress_relay_parent_class)->finalize (object);
}

static void
kl_progress_relay_class_init (KlProgressRelayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_progress_relay_finalize;
}

static void
kl_progress_relay_init (KlProgressRelay *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->phase_events);
  self->total = KL_PROGRESS_UNKNOWN_TOTAL;
}

KlProgressRelay *
kl_progress_relay_new (KlProgressFunc func,
                       gpointer       user_data)
{
  KlProgressRelay *self = g_object_new (KL_TYPE_PROGRESS_RELAY, NULL);

  self->func = func;
  self->user_data = user_data;
  return self;
}

/* Main thread: delivers whatever is pending now, so a run that ends before
 * an idle came round still shows its phases. */
void
kl_progress_relay_flush (KlProgressRelay *self)
{
  guint pending;

  g_mutex_lock (&self->lock);
  pending = self->idle_id;
  self->idle_id = 0;
  g_mutex_unlock (&self->lock);

  if (pending != 0)
    {
      g_source_remove (pending);
      dispatch (self);
    }
}

/* Main thread: no more callbacks, for a window that goes away while its
 * run finishes in the background. */
void
kl_progress_relay_disconnect (KlProgressRelay *self)
{
  self->func = NULL;
  self->user_data = NULL;
}

/* How many idles ran: the flood the relay spared the main loop. */
guint
kl_progress_relay_get_n_dispatches (KlProgressRelay *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_dispatches;
  g_mutex_unlock (&self->lock);
  return n;
}
