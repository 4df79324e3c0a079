/* kl-random.c — seeded or secure randomness, one object per run
 *
 * Seeded runs use the Mersenne Twister seeded and sampled exactly as
 * CPython's `random` module does it, so a seeded legacy draw gives the same
 * panel as the Python tool on the same files. GLib's GRand is that
 * generator, and g_rand_new_with_seed_array() is MT's init_by_array().
 * Secure runs read the kernel's CSPRNG (getrandom), never GRand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "kl-private.h"

#include <errno.h>
#include <sys/random.h>

#define SECURE_BUFFER 256

struct _KlRandom {
  gint64 seed;
  GRand *rand;                 /* NULL in secure mode */
  guint8 buffer[SECURE_BUFFER];
  gsize available;
};

KlRandom *
kl_random_new (gint64 seed)
{
  KlRandom *self = g_new0 (KlRandom, 1);

  self->seed = seed;
  if (seed != 0)
    {
      /* CPython: the absolute value, split into 32-bit words, least
       * significant first. */
      guint64 magnitude = seed < 0 ? (guint64) -(seed + 1) + 1 : (guint64) seed;
      guint32 words[2] = { (guint32) magnitude, (guint32) (magnitude >> 32) };

      self->rand = g_rand_new_with_seed_array (words, words[1] ? 2 : 1);
    }
  return self;
}

void
kl_random_free (KlRandom *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rand, g_rand_free);
  explicit_bzero (self->buffer, sizeof self->buffer);
  g_free (self);
}

gboolean
kl_random_is_secure (const KlRandom *self)
{
  return self->rand == NULL;
}

gint64
kl_random_get_seed (const KlRandom *self)
{
  return self->seed;
}

static void
refill (KlRandom *self)
{
  gsize filled = 0;

  while (filled < SECURE_BUFFER)
    {
      ssize_t got = getrandom (self->buffer + filled, SECURE_BUFFER - filled, 0);

      if (got < 0 && errno == EINTR)
        continue;
      /* Without the kernel's randomness a secure draw is impossible, and a
       * weaker one must never pass for it. */
      if (got < 0)
        g_error ("getrandom failed: %s", g_strerror (errno));
      filled += got;
    }
  self->available = SECURE_BUFFER;
}

guint32
kl_random_u32 (KlRandom *self)
{
  guint32 value;

  if (self->rand != NULL)
    return g_rand_int (self->rand);

  if (self->available < sizeof value)
    refill (self);
  self->available -= sizeof value;
  memcpy (&value, self->buffer + self->available, sizeof value);
  explicit_bzero (self->buffer + self->available, sizeof value);
  return value;
}

/* Uniform on 0 … n-1 without bias: take as many top bits as n needs and
 * draw again when the result is too large (CPython's _randbelow). */
guint32
kl_random_below (KlRandom *self,
                 guint32   n)
{
  guint bits;
  guint32 r;

  g_return_val_if_fail (n > 0, 0);

  bits = g_bit_storage (n);
  do
    r = bits >= 32 ? kl_random_u32 (self) : kl_random_u32 (self) >> (32 - bits);
  while (r >= n);
  return r;
}

/* 53 random bits, as CPython's random(). */
double
kl_random_double (KlRandom *self)
{
  guint32 a = kl_random_u32 (self) >> 5;
  guint32 b = kl_random_u32 (self) >> 6;

  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double
kl_random_uniform (KlRandom *self,
                   double    a,
                   double    b)
{
  return a + (b - a) * kl_random_double (self);
}
