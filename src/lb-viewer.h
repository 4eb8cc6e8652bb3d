/* lb-viewer.h: the images of a folder, one at a time
 *
 * Shows the item at a position of a list model of LbFileItem, goes to the
 * previous and next images in the model's order with both neighbours
 * decoded ahead, and follows the model as it changes. Emits "close" when
 * the person asks to go back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-file-item.h"
#include "lb-texture-cache.h"
#include "lb-thumbnail-scheduler.h"

G_BEGIN_DECLS

#define LB_TYPE_VIEWER (lb_viewer_get_type ())

G_DECLARE_FINAL_TYPE (LbViewer, lb_viewer, LB, VIEWER, GtkWidget)

GtkWidget   *lb_viewer_new           (void);
/* Where the thumbnails that stand in for images still decoding come
 * from: the textures the grid holds, else the thumbnail cache. */
void         lb_viewer_set_thumbnails (LbViewer             *self,
                                       LbThumbnailScheduler *scheduler,
                                       LbTextureCache       *textures);
/* Shows the item at @position of @items; NULL @items stops showing. */
void         lb_viewer_show          (LbViewer             *self,
                                      GListModel           *items,
                                      guint                 position);
/* The position of the image shown, or GTK_INVALID_LIST_POSITION. */
guint        lb_viewer_get_position  (LbViewer             *self);
/* The shown image's name, for the window title. */
const char  *lb_viewer_get_title     (LbViewer             *self);

G_END_DECLS
