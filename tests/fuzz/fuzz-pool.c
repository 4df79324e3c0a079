/* fuzz-pool.c — libFuzzer target: the pool loader, through the CSV reader,
 * against fixed quotas and settings that check addresses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-target.h"

static const char quotas_csv[] =
  "feature,value,min,max\n"
  "gender,female,1,3\ngender,male,1,3\ngender,other,0,1\n"
  "age,16-29,0,2\nage,30-59,1,3\nage,60+,0,2\n";

static const char settings_toml[] =
  "id_column = \"id\"\n"
  "columns_to_keep = [\"name\", \"email\"]\n"
  "check_same_address = true\n"
  "check_same_address_columns = [\"address\", \"postcode\"]\n";

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static KlQuotas *quotas;
  static KlSettings *settings;
  g_autoptr(GPtrArray) messages = kl_messages_new ();
  g_autoptr(KlTable) table = NULL;
  g_autoptr(KlPool) pool = NULL;

  if (quotas == NULL)
    {
      g_autoptr(KlTable) quota_table = kl_table_read_data (quotas_csv, -1, "quotas.csv", NULL, NULL);

      quotas = kl_quotas_load (quota_table, 0, NULL, NULL);
      settings = kl_settings_load_data (settings_toml, "settings.toml", NULL, NULL);
      g_assert_nonnull (quotas);
      g_assert_nonnull (settings);
    }

  table = kl_table_read_data ((const char *) data, size, "pool.csv", messages, NULL);
  if (table != NULL)
    pool = kl_pool_load (table, quotas, settings, messages, NULL);
  if (pool != NULL)
    kl_pool_check_enough_people (pool, messages);
  fuzz_render_messages (messages);
  return 0;
}
