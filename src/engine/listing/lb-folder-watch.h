/* lb-folder-watch.h: whether the kernel really watches a local folder
 *
 * GLib's inotify backend says nothing when the kernel refuses it: with the
 * user's inotify instances used up, g_file_monitor_directory() fails
 * ("Unable to find default local file monitor type"), and with the watches
 * used up it returns a monitor that silently waits for the folder to
 * "appear" and never reports a change. The kernel lists the watches of
 * every inotify descriptor in /proc/self/fdinfo: that tells which it is.
 *
 * Linux only, GTK-free. Any thread; blocking (stats the folder, reads
 * /proc), so call it on the thread that made the monitor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE when @folder is a local folder one may read and the kernel refused
 * to watch it: @monitor, from g_file_monitor_directory() on @folder, is
 * NULL, or is GLib's inotify monitor and no inotify descriptor of this
 * process watches the folder. FALSE whenever that cannot be told (remote
 * locations, other monitor kinds, no /proc). */
gboolean lb_folder_watch_is_refused (GFile        *folder,
                                     GFileMonitor *monitor);

G_END_DECLS
