/* kl-test-files.h — what the output tests look at: folders and pipes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The names in @folder, sorted and joined by spaces: what a person listing
 * it would see, hidden temporary files included. */
char *kl_test_folder_listing (const char *folder);

/* A thread that reads a named pipe to its end, as another program would. */
typedef struct _KlTestPipeReader KlTestPipeReader;

KlTestPipeReader *kl_test_pipe_reader_start  (const char *path);
char             *kl_test_pipe_reader_finish (KlTestPipeReader *reader);

/* Asserts that the audit record at @record_path names the file of @role
 * "-" (standard output), with the SHA-256 of @written. */
void kl_test_assert_record_names_stdout (const char *record_path, const char *role, const char *written);

G_END_DECLS
