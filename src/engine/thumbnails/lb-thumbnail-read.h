/* lb-thumbnail-read.h: reading a file to thumbnail into memory, asynchronously
 *
 * Local files are opened and read on a GIO worker thread with the checks
 * of lb_thumbnail_file_read(); other files (GVfs, resource://) through
 * GIO's asynchronous streams. The callback runs on the thread-default
 * main context of the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* @size: what the lookup found; a non-local file is read up to that many
 * bytes (one that shrank since gives what is there, which the decoder
 * then reports as truncated). */
void    lb_thumbnail_read_async  (GFile                *file,
                                  gsize                 size,
                                  int                   priority,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
GBytes *lb_thumbnail_read_finish (GFile                *file,
                                  GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
