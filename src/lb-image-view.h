/* lb-image-view.h: one image, fitted or zoomed, panned and animated
 *
 * Shows a rendition of an LbImageSource (the thumbnail stands in until
 * it comes). Zoomed past the rendition's resolution, it renders the
 * visible region from the source on a worker thread, tile by tile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-image-source.h"

G_BEGIN_DECLS

#define LB_TYPE_IMAGE_VIEW (lb_image_view_get_type ())

G_DECLARE_FINAL_TYPE (LbImageView, lb_image_view, LB, IMAGE_VIEW, GtkWidget)

GtkWidget     *lb_image_view_new             (void);

/* Forgets the image, back to fit. */
void           lb_image_view_clear           (LbImageView   *self);
/* Shown, stretched to the image's size, until a rendition is set. */
void           lb_image_view_set_placeholder (LbImageView   *self,
                                              GdkTexture    *texture);
/* The image: its size, and where zoomed regions come from. */
void           lb_image_view_set_source      (LbImageView   *self,
                                              LbImageSource *source);
LbImageSource *lb_image_view_get_source      (LbImageView   *self);
/* The whole image at some scale (all frames of an animation). */
void           lb_image_view_set_rendition   (LbImageView   *self,
                                              LbRendition   *rendition);
gboolean       lb_image_view_get_has_rendition (LbImageView *self);

/* Device pixels per image pixel: 1 shows the image 1:1. */
double         lb_image_view_get_zoom        (LbImageView   *self);
/* Zooms around the centre of the view. */
void           lb_image_view_set_zoom        (LbImageView   *self,
                                              double         zoom);
void           lb_image_view_zoom_in         (LbImageView   *self);
void           lb_image_view_zoom_out        (LbImageView   *self);
/* Fitting, the zoom follows the view's size (never above 1:1). */
gboolean       lb_image_view_get_fit         (LbImageView   *self);
void           lb_image_view_set_fit         (LbImageView   *self,
                                              gboolean       fit);
/* Moves the view by a fraction of its size; FALSE when it cannot move
 * that way (the image fits, or an edge is reached). */
gboolean       lb_image_view_pan             (LbImageView   *self,
                                              double         dx,
                                              double         dy);
/* TRUE when the image is larger than the view. */
gboolean       lb_image_view_get_can_pan     (LbImageView   *self);

/* Tiles of the visible region at the zoom's scale, for the tests. */
guint          lb_image_view_get_n_tiles     (LbImageView   *self);
int            lb_image_view_get_frame       (LbImageView   *self);

G_END_DECLS
