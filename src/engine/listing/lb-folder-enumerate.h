/* lb-folder-enumerate.h: the children of a folder, one call
 *
 * The one place that enumerates a folder synchronously, for the lister,
 * lightbox-thumbnailer and the trash: one error path for failing to open
 * the folder and failing halfway through.
 *
 * GTK-free (GIO only). Blocking: call it on a worker thread, or in a
 * command-line tool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* @child and @info are borrowed: valid until the function returns. */
typedef void (*LbFolderChildFunc) (GFile     *child,
                                   GFileInfo *info,
                                   gpointer   user_data);

/* Calls @func for each child of @folder, with @attributes queried as
 * @flags say. FALSE, with @error set, when the folder cannot be read
 * (then @func may have seen some of the children). */
gboolean lb_folder_enumerate (GFile                *folder,
                              const char           *attributes,
                              GFileQueryInfoFlags   flags,
                              GCancellable         *cancellable,
                              LbFolderChildFunc     func,
                              gpointer              user_data,
                              GError              **error);

G_END_DECLS
