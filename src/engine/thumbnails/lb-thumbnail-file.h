/* lb-thumbnail-file.h: opening and reading the files to thumbnail
 *
 * Blocking; for worker threads and command-line tools.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Opens @path for reading without ever blocking on a FIFO or a device
 * (whatever the lookup saw before, the file may have been replaced), and
 * returns the descriptor, at offset 0 and in blocking mode, with its size
 * in @size. Fails with LB_THUMBNAIL_ERROR_NOT_REGULAR for anything but a
 * regular file, LB_THUMBNAIL_ERROR_TOO_LARGE for one over @max_size or
 * one that is mostly holes (a sparse file costs its full size in memory
 * for nothing but zeros), and a G_IO_ERROR from errno otherwise. */
int         lb_thumbnail_file_open    (const char  *path,
                                       goffset      max_size,
                                       goffset     *size,
                                       GError     **error);

/* lb_thumbnail_file_open(), then the whole file into memory. */
GBytes     *lb_thumbnail_file_read    (const char    *path,
                                       goffset        max_size,
                                       GCancellable  *cancellable,
                                       GError       **error);

G_END_DECLS
