/* kl-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

G_DEFINE_QUARK (kl-error-quark, kl_error)
