/* lb-desktop.h: what the desktop does for Lightbox: choosing a folder,
 * opening a file in its application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Asks the user for a folder, starting at @initial (may be NULL). A
 * dismissed dialog ends with G_IO_ERROR_CANCELLED. */
void     lb_desktop_choose_folder        (GtkWindow           *parent,
                                          GFile               *initial,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GFile   *lb_desktop_choose_folder_finish (GAsyncResult        *result,
                                          GError             **error);

/* Hands @file to the application the desktop opens it with. A choice
 * of application dismissed ends with G_IO_ERROR_CANCELLED. */
void     lb_desktop_launch               (GtkWindow           *parent,
                                          GFile               *file,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean lb_desktop_launch_finish        (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
