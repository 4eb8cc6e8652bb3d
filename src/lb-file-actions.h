/* lb-file-actions.h: what can be done to the files at hand
 *
 * Open, Open With…, Show in Files, Copy, Copy Path, Rename…, Move to Trash
 * (with Undo) and Set as Wallpaper, as the "file.*" actions of a widget
 * with their shortcuts, for whatever files its host says are at hand:
 * the selection of the grid, the image of the viewer. Feedback goes to
 * the AdwToastOverlay around the focus, or around the widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LB_TYPE_FILE_ACTIONS (lb_file_actions_get_type ())

G_DECLARE_FINAL_TYPE (LbFileActions, lb_file_actions, LB, FILE_ACTIONS, GObject)

LbFileActions      *lb_file_actions_new            (void);
/* Installs the actions as the "file" group of @widget, and their
 * shortcuts on it; once per LbFileActions, which @widget then keeps
 * alive. */
void                lb_file_actions_attach         (LbFileActions *self,
                                                    GtkWidget     *widget);
/* @files: GFile, copied; the actions are enabled as they fit. */
void                lb_file_actions_set_files      (LbFileActions *self,
                                                    GPtrArray     *files);
GPtrArray          *lb_file_actions_get_files      (LbFileActions *self);
/* The menu of the actions, for context menus. */
GMenuModel         *lb_file_actions_get_menu       (LbFileActions *self);
/* Pops the menu up at @x, @y of @parent, which must be inside the
 * widget the actions are attached to. */
void                lb_file_actions_popup_menu     (LbFileActions *self,
                                                    GtkWidget     *parent,
                                                    double         x,
                                                    double         y);
/* The files for the clipboard or a drag: as a file list (text/uri-list)
 * and as GNOME file managers copy them (x-special/gnome-copied-files). */
GdkContentProvider *lb_file_actions_create_content (LbFileActions *self);

G_END_DECLS
