/* fuzz-quotas.c — libFuzzer target: the quota loader, through the CSV reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-target.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlTable) table = kl_table_read_data ((const char *) data, size, "quotas.csv", messages, NULL);
  g_autoptr(KlQuotas) quotas = NULL;

  if (table != NULL)
    {
      /* The panel size comes from the first byte, so checks against it run too. */
      quotas = kl_quotas_load (table, size > 0 ? data[0] % 40 : 0, messages, NULL);
      if (quotas != NULL)
        {
          g_autofree char *csv = kl_quotas_to_csv (quotas);

          g_assert_nonnull (csv);
          (void) kl_quotas_get_minimum_selection (quotas);
          (void) kl_quotas_get_maximum_selection (quotas);
        }
    }
  fuzz_render_messages (messages);
  return 0;
}
