/* lb-thumbnail-picture.h: a thumbnail texture, or an icon, in a square box
 *
 * Textures are made at device pixels (cell size × scale factor, rounded
 * up to a cache bucket) and drawn at logical size, so they stay sharp on
 * HiDPI screens. A texture of another bucket (a stand-in while zooming)
 * is scaled to take the place the right one will.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LB_TYPE_THUMBNAIL_PICTURE (lb_thumbnail_picture_get_type ())

G_DECLARE_FINAL_TYPE (LbThumbnailPicture, lb_thumbnail_picture, LB, THUMBNAIL_PICTURE, GtkWidget)

GtkWidget  *lb_thumbnail_picture_new         (void);

/* @bucket_pixels: the size of the bucket @texture was made for, which
 * maps to the whole box. */
void        lb_thumbnail_picture_set_texture (LbThumbnailPicture *self,
                                              GdkTexture         *texture,
                                              guint               bucket_pixels);
GdkTexture *lb_thumbnail_picture_get_texture (LbThumbnailPicture *self);

/* Shows @icon instead, @fraction of the box wide, faded with @dim. One
 * widget for both keeps cells light: a grid binds hundreds at once. */
void        lb_thumbnail_picture_set_icon    (LbThumbnailPicture *self,
                                              GIcon              *icon,
                                              double              fraction,
                                              gboolean            dim);
GIcon      *lb_thumbnail_picture_get_icon    (LbThumbnailPicture *self);

/* The side of the box, in logical pixels. */
void        lb_thumbnail_picture_set_size    (LbThumbnailPicture *self,
                                              int                 size);
int         lb_thumbnail_picture_get_size    (LbThumbnailPicture *self);

/* Where the texture is drawn, in the widget's coordinates. */
gboolean    lb_thumbnail_picture_get_texture_bounds (LbThumbnailPicture *self,
                                                     graphene_rect_t    *bounds);

G_END_DECLS
