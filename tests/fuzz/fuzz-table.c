/* fuzz-table.c — libFuzzer target: the CSV table reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlTable) table = kl_table_read_data ((const char *) data, size, "fuzz.csv", messages, NULL);

  if (table != NULL)
    for (guint r = 0; r < table->n_rows; r++)
      for (guint c = 0; c < table->n_columns; c++)
        g_assert_nonnull (kl_table_get_cell (table, r, c));
  fuzz_render_messages (messages);
  return 0;
}
