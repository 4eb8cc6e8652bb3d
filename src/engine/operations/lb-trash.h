/* lb-trash.h: putting trashed files back where they were
 *
 * GIO moves files to the trash but cannot take them out again. Local
 * files are found through the trash folders' *.trashinfo records (the
 * freedesktop.org Trash specification), others through GVfs' trash:///.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Moves each of @files (GFile, as they were before g_file_trash()) back
 * from the trash, the most recently trashed copy when there are several;
 * all that can come back do, and the first failure is returned. Blocking
 * I/O, on a worker thread. */
void      lb_trash_restore_async  (GPtrArray           *files,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  lb_trash_restore_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
