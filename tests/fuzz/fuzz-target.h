/* fuzz-target.h — what every fuzz target shares
 *
 * Each target is built twice: with libFuzzer (-Dfuzzing=true, clang) to
 * search for crashes, and with replay.c as an ordinary program that
 * `meson test` runs over the target's corpus, so every input that once
 * crashed stays a regression test on every build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kl-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Messages are rendered as the CLI and the window would, so the templates
 * and the quoting of hostile values are exercised as well. */
static inline void
fuzz_render_messages (GPtrArray *messages)
{
  for (guint i = 0; i < messages->len; i++)
    {
      KlMessage *message = g_ptr_array_index (messages, i);
      g_autofree char *located = kl_message_to_located_string (message);
      g_autofree char *diagnostic = kl_message_to_diagnostic (message);

      g_assert_nonnull (located);
      g_assert_nonnull (diagnostic);
    }
}
