/* lb-thumbnail-cell.h: one file in the grid: its thumbnail and its name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-file-item.h"
#include "lb-thumbnail-loader.h"

G_BEGIN_DECLS

#define LB_TYPE_THUMBNAIL_CELL (lb_thumbnail_cell_get_type ())

G_DECLARE_FINAL_TYPE (LbThumbnailCell, lb_thumbnail_cell, LB, THUMBNAIL_CELL, GtkWidget)

GtkWidget  *lb_thumbnail_cell_new      (LbThumbnailLoader *loader);

/* Binding an item asks the loader for its thumbnail; NULL unbinds. */
void        lb_thumbnail_cell_set_item (LbThumbnailCell   *self,
                                        LbFileItem        *item);
LbFileItem *lb_thumbnail_cell_get_item (LbThumbnailCell   *self);

/* Whether the cell shows all it ever will for its item: a folder or
 * file icon, its thumbnail at the size asked for, or a broken image. */
gboolean    lb_thumbnail_cell_get_complete (LbThumbnailCell *self);

/* The side of the thumbnail, in logical pixels. */
void        lb_thumbnail_cell_set_size (LbThumbnailCell   *self,
                                        int                size);
int         lb_thumbnail_cell_get_size (LbThumbnailCell   *self);

G_END_DECLS
