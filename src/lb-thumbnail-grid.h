/* lb-thumbnail-grid.h: the browser's grid of thumbnails, with its zoom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-file-actions.h"
#include "lb-thumbnail-loader.h"

G_BEGIN_DECLS

/* The side of a thumbnail, in logical pixels. */
#define LB_THUMBNAIL_GRID_ZOOM_MIN 96
#define LB_THUMBNAIL_GRID_ZOOM_MAX 512

#define LB_TYPE_THUMBNAIL_GRID (lb_thumbnail_grid_get_type ())
G_DECLARE_FINAL_TYPE (LbThumbnailGrid, lb_thumbnail_grid, LB, THUMBNAIL_GRID, AdwBin)

GtkWidget *lb_thumbnail_grid_new             (void);

/* What the grid shows: a selection over LbFileItem. */
void       lb_thumbnail_grid_set_model       (LbThumbnailGrid   *self,
                                              GtkSelectionModel *model);
/* Who loads the cells' thumbnails; set before the model has items. */
void       lb_thumbnail_grid_set_loader      (LbThumbnailGrid   *self,
                                              LbThumbnailLoader *loader);
/* What the context menu and dragging act on: the grid sets their files
 * to the one clicked, or the selection it is part of. */
void       lb_thumbnail_grid_set_file_actions (LbThumbnailGrid  *self,
                                               LbFileActions    *actions);

int        lb_thumbnail_grid_get_zoom        (LbThumbnailGrid   *self);
void       lb_thumbnail_grid_set_zoom        (LbThumbnailGrid   *self,
                                              int                zoom);
/* To the next bigger (@direction > 0) or smaller zoom step. */
void       lb_thumbnail_grid_zoom_step       (LbThumbnailGrid   *self,
                                              int                direction);

/* Scrolls to the item at @position, selects it and gives it the
 * keyboard focus. */
void       lb_thumbnail_grid_focus_position  (LbThumbnailGrid   *self,
                                              guint              position);
/* Gives the grid the keyboard focus, on the item it last had. */
void       lb_thumbnail_grid_grab_focus      (LbThumbnailGrid   *self);

/* The menu of the focused file (the Menu key, Shift+F10). */
void       lb_thumbnail_grid_popup_menu      (LbThumbnailGrid   *self);

/* The cells in view (not those the grid keeps ready above and below),
 * and how many of them do not show all they will yet. */
guint      lb_thumbnail_grid_count_cells_in_view (LbThumbnailGrid *self,
                                                  guint           *n_incomplete);
/* Whether the view is scrolled to the very top. */
gboolean   lb_thumbnail_grid_is_at_top       (LbThumbnailGrid   *self);

G_END_DECLS
