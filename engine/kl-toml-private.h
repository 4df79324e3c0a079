/* kl-toml-private.h — the small part of TOML that settings files use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KL_TOML_STRING,
  KL_TOML_INTEGER,
  KL_TOML_FLOAT,
  KL_TOML_BOOLEAN,
  KL_TOML_ARRAY,     /* of strings: the only arrays settings need */
} KlTomlType;

typedef struct {
  char *key;
  KlTomlType type;
  char *string;
  gint64 integer;
  double number;
  gboolean boolean;
  char **strings;
  int line;
  int column;        /* of the value, 1-based, in characters */
} KlTomlEntry;

/* Appends one message per syntax error (with line and column) and returns
 * NULL, or returns the entries in file order. */
GPtrArray *kl_toml_parse (const char *text, const char *file, GPtrArray *messages);

const char *kl_toml_type_name (KlTomlType type);

G_END_DECLS
