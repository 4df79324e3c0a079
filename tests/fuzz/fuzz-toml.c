/* fuzz-toml.c — libFuzzer target: the TOML subset settings files use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-target.h"
#include "kl-toml-private.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GPtrArray) entries = NULL;

  /* The parser takes text the settings loader has checked is UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    return 0;
  entries = kl_toml_parse (text, "settings.toml", messages);
  fuzz_render_messages (messages);
  return 0;
}
