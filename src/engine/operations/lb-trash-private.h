/* lb-trash-private.h: lb-trash.c's reading of .trashinfo records
 *
 * For the fuzz harness (fuzz/fuzz-trashinfo.c) and lb-trash.c only.
 * Thread-safe: no state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The original path (unescaped: absolute, or relative to the top of its
 * file system) and the deletion date of the .trashinfo record loaded in
 * @info with G_KEY_FILE_NONE; FALSE, and both NULL, when it lacks either
 * or the path does not unescape. A key file, not bytes: lb-trash.c loads
 * it with g_key_file_load_from_file(), which refuses what is not a
 * regular file (a link to /dev/zero, say). */
gboolean lb_trash_info_read (GKeyFile  *info,
                             char     **original_path,
                             char     **deletion_date);

G_END_DECLS
