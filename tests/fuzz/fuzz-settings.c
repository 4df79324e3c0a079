/* fuzz-settings.c — libFuzzer target: the settings loader, JSON and TOML
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(KlSettings) settings = kl_settings_load_data (text, "settings.json", messages, NULL);

  if (settings != NULL)
    {
      g_autofree char *toml = kl_settings_to_toml (settings);

      g_assert_nonnull (toml);
    }
  fuzz_render_messages (messages);
  return 0;
}
