/* test-terminal.c — the terminal progress bar honours where it writes:
 * a terminal, TERM=dumb, NO_COLOR, or no terminal at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE   /* posix_openpt, ptsname */

#include "kl-test-utils.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Two phases, as a run reports them. */
static void
report_two_phases (FILE *stream)
{
  g_autoptr(KlProgressReporter) bar = kl_terminal_reporter_new (stream);
  g_autoptr(GError) error = NULL;

  g_assert_true (kl_progress_reporter_start_phase (bar, "legacy_attempt", 3, "Drawing a panel", &error));
  g_assert_true (kl_progress_reporter_update (bar, 1, "Drawing a panel", &error));
  g_assert_true (kl_progress_reporter_update (bar, 2, "Drawing a panel", &error));
  g_assert_true (kl_progress_reporter_end_phase (bar, &error));
  g_assert_true (kl_progress_reporter_start_phase (bar, "maximin_optimization", -1, "Optimising", &error));
  g_assert_true (kl_progress_reporter_end_phase (bar, &error));
  g_assert_no_error (error);
  fflush (stream);
}

static char *
drain (int fd)
{
  GString *out = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  g_assert_true (g_unix_set_fd_nonblocking (fd, TRUE, NULL));
  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (out, buffer, n);
  return g_string_free (out, FALSE);
}

/* What the bar writes to a pseudo-terminal with TERM and NO_COLOR set so. */
static char *
bar_on_terminal (const char *term,
                 const char *no_color)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  int slave;
  FILE *stream;
  char *written;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);
  stream = fdopen (slave, "w");

  g_setenv ("TERM", term, TRUE);
  if (no_color != NULL)
    g_setenv ("NO_COLOR", no_color, TRUE);
  else
    g_unsetenv ("NO_COLOR");

  report_two_phases (stream);
  written = drain (master);
  fclose (stream);
  close (master);
  return written;
}

static void
test_terminal (void)
{
  g_autofree char *written = bar_on_terminal ("xterm-256color", NULL);

  g_assert_nonnull (strstr (written, "\r\033[K"));
  g_assert_nonnull (strstr (written, "\033[1mDrawing a panel\033[0m"));
  g_assert_nonnull (strstr (written, "2/3"));
}

static void
test_no_color (void)
{
  g_autofree char *written = bar_on_terminal ("xterm-256color", "1");

  g_assert_nonnull (strstr (written, "\r\033[K"));
  g_assert_null (strstr (written, "\033[1m"));
  g_assert_nonnull (strstr (written, "✓ Drawing a panel"));
}

/* An empty NO_COLOR does not count, as no-color.org says. */
static void
test_empty_no_color (void)
{
  g_autofree char *written = bar_on_terminal ("xterm-256color", "");

  g_assert_nonnull (strstr (written, "\033[1m"));
}

static void
test_dumb_terminal (void)
{
  g_autofree char *written = bar_on_terminal ("dumb", NULL);

  g_assert_null (strchr (written, '\033'));
  g_assert_null (strstr (written, "2/3  "));
  g_assert_nonnull (strstr (written, "✓ Drawing a panel  [########################]  3/3"));
  g_assert_nonnull (strstr (written, "✓ Optimising"));
}

/* A file or a pipe gets one plain line per phase. */
static void
test_not_a_terminal (void)
{
  int fds[2];
  FILE *stream;
  g_autofree char *written = NULL;
  g_auto(GStrv) lines = NULL;

  g_setenv ("TERM", "xterm-256color", TRUE);
  g_unsetenv ("NO_COLOR");
  g_assert_cmpint (pipe (fds), ==, 0);
  stream = fdopen (fds[1], "w");
  report_two_phases (stream);
  fclose (stream);
  written = drain (fds[0]);
  close (fds[0]);

  g_assert_null (strchr (written, '\033'));
  g_assert_null (strchr (written, '\r'));
  lines = g_strsplit (written, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "✓ Drawing a panel"));
  g_assert_true (g_str_has_prefix (lines[1], "✓ Optimising"));
  g_assert_cmpstr (lines[2], ==, "");
}

int
main (int    argc,
      char **argv)
{
  kl_test_init (&argc, &argv);

  g_test_add_func ("/terminal/terminal", test_terminal);
  g_test_add_func ("/terminal/no-color", test_no_color);
  g_test_add_func ("/terminal/empty-no-color", test_empty_no_color);
  g_test_add_func ("/terminal/dumb-terminal", test_dumb_terminal);
  g_test_add_func ("/terminal/not-a-terminal", test_not_a_terminal);

  return g_test_run ();
}
