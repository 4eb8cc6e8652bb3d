/* lb-rendition.h: an image decoded at some scale, ready to become textures
 *
 * The whole image or one region of it, after orientation, as 8-bit sRGB;
 * for an animation, every frame with its delay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

G_BEGIN_DECLS

#define LB_TYPE_RENDITION (lb_rendition_get_type ())

G_DECLARE_FINAL_TYPE (LbRendition, lb_rendition, LB, RENDITION, GObject)

/* @image: 8-bit sRGB, 3 or 4 bands, in memory; @n_frames frames of equal
 * height stacked top to bottom. @delays: @n_frames milliseconds, or NULL.
 * @scale: rendition pixels per pixel of the full image. @x, @y: where the
 * rendition starts in the full image scaled by @scale. */
LbRendition *lb_rendition_new            (VipsImage    *image,
                                          int           n_frames,
                                          const int    *delays,
                                          double        scale,
                                          int           x,
                                          int           y,
                                          GError      **error);

int          lb_rendition_get_x          (LbRendition  *self);
int          lb_rendition_get_y          (LbRendition  *self);
/* Of one frame. */
int          lb_rendition_get_width      (LbRendition  *self);
int          lb_rendition_get_height     (LbRendition  *self);
double       lb_rendition_get_scale      (LbRendition  *self);
int          lb_rendition_get_n_frames   (LbRendition  *self);
/* Milliseconds; 0 when the file gives none. */
int          lb_rendition_get_frame_delay (LbRendition *self,
                                           int          frame);
/* Tightly packed R8G8B8 or R8G8B8A8 rows of @frame, as GdkMemoryTexture
 * takes them, sharing the rendition's memory. */
GBytes      *lb_rendition_dup_frame_pixels (LbRendition *self,
                                            int          frame);
gsize        lb_rendition_get_stride     (LbRendition  *self);
gboolean     lb_rendition_get_has_alpha  (LbRendition  *self);

G_END_DECLS
