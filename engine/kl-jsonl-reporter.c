/* kl-jsonl-reporter.c — progress as JSON lines
 *
 * {"event":"start_phase","phase":"maximin_optimization","total":null,"message":"…","elapsed":0.012}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <json-glib/json-glib.h>

struct _KlJsonlReporter {
  GObject parent_instance;
  GOutputStream *stream;
  char *phase;
  gint64 total;
  gint64 started;
};

static void reporter_iface_init (KlProgressReporterInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KlJsonlReporter, kl_jsonl_reporter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KL_TYPE_PROGRESS_REPORTER, reporter_iface_init))

static gboolean
emit (KlJsonlReporter  *self,
      const char       *event,
      gboolean          with_current,
      gint64            current,
      const char       *message,
      GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "phase");
  if (self->phase)
    json_builder_add_string_value (builder, self->phase);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "total");
  if (self->total >= 0)
    json_builder_add_int_value (builder, self->total);
  else
    json_builder_add_null_value (builder);
  if (with_current)
    {
      json_builder_set_member_name (builder, "current");
      json_builder_add_int_value (builder, current);
    }
  if (message != NULL)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  json_builder_set_member_name (builder, "elapsed");
  json_builder_add_double_value (builder, (g_get_monotonic_time () - self->started) / 1e6);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  line = g_strconcat (text, "\n", NULL);

  return g_output_stream_write_all (self->stream, line, strlen (line), NULL, NULL, error) &&
         g_output_stream_flush (self->stream, NULL, error);
}

static gboolean
jsonl_start_phase (KlProgressReporter  *reporter,
                   const char          *name,
                   gint64               total,
                   const char          *message,
                   GError             **error)
{
  KlJsonlReporter *self = KL_JSONL_REPORTER (reporter);

  g_free (self->phase);
  self->phase = g_strdup (name);
  self->total = total;
  return emit (self, "start_phase", FALSE, 0, message, error);
}

static gboolean
jsonl_update (KlProgressReporter  *reporter,
              gint64               current,
              const char          *message,
              GError             **error)
{
  return emit (KL_JSONL_REPORTER (reporter), "update", TRUE, current, message, error);
}

static gboolean
jsonl_end_phase (KlProgressReporter  *reporter,
                 GError             **error)
{
  KlJsonlReporter *self = KL_JSONL_REPORTER (reporter);
  gboolean ok = emit (self, "end_phase", FALSE, 0, NULL, error);

  g_clear_pointer (&self->phase, g_free);
  self->total = KL_PROGRESS_UNKNOWN_TOTAL;
  return ok;
}

static void
reporter_iface_init (KlProgressReporterInterface *iface)
{
  iface->start_phase = jsonl_start_phase;
  iface->update = jsonl_update;
  iface->end_phase = jsonl_end_phase;
}

static void
kl_jsonl_reporter_finalize (GObject *object)
{
  KlJsonlReporter *self = KL_JSONL_REPORTER (object);

  g_clear_object (&self->stream);
  g_free (self->phase);
  G_OBJECT_CLASS (kl_jsonl_reporter_parent_class)->finalize (object);
}

static void
kl_jsonl_reporter_class_init (KlJsonlReporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kl_jsonl_reporter_finalize;
}

static void
kl_jsonl_reporter_init (KlJsonlReporter *self)
{
  self->total = KL_PROGRESS_UNKNOWN_TOTAL;
  self->started = g_get_monotonic_time ();
}

KlProgressReporter *
kl_jsonl_reporter_new (GOutputStream *stream)
{
  KlJsonlReporter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_object_new (KL_TYPE_JSONL_REPORTER, NULL);
  self->stream = g_object_ref (stream);
  return KL_PROGRESS_REPORTER (self);
}
