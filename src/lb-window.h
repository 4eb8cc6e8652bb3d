/* lb-window.h: the browser window: one folder as a live grid of thumbnails
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-texture-cache.h"
#include "lb-folder-model.h"
#include "lb-thumbnail-loader.h"

G_BEGIN_DECLS

#define LB_TYPE_WINDOW (lb_window_get_type ())

G_DECLARE_FINAL_TYPE (LbWindow, lb_window, LB, WINDOW, AdwApplicationWindow)

/* A window of @application showing thumbnails that @scheduler makes,
 * as textures kept in @textures (shared by every window). */
LbWindow          *lb_window_new         (GtkApplication       *application,
                                          LbThumbnailScheduler *scheduler,
                                          LbTextureCache       *textures);

GFile             *lb_window_get_folder  (LbWindow      *self);
/* Shows @folder; the folder shown before goes into the back history. */
void               lb_window_set_folder  (LbWindow      *self,
                                          GFile         *folder);
/* Shows @location if it is a folder, else the folder holding it with
 * it selected; finds out which without blocking. */
void               lb_window_open_location (LbWindow    *self,
                                            GFile       *location);

/* Opens the file (not a folder) shown at @position: an image in the
 * viewer, any other file in its default application. */
void               lb_window_open_item   (LbWindow      *self,
                                          guint          position);

/* Shows a transient message at the bottom of the window. */
void               lb_window_add_toast   (LbWindow      *self,
                                          const char    *message);

/* What the grid shows (LbFileItem), and who loads its thumbnails. */
LbFolderModel     *lb_window_get_model   (LbWindow      *self);
LbThumbnailLoader *lb_window_get_loader  (LbWindow      *self);
/* TRUE while the folder is being listed or its thumbnails made. */
gboolean           lb_window_get_busy    (LbWindow      *self);

G_END_DECLS
