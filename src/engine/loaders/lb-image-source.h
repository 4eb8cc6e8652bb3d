/* lb-image-source.h: one image opened for viewing
 *
 * Opening reads the header only. Renditions are then decoded on worker
 * threads straight from the file, each through its own libvips pipeline:
 * the whole image shrunk on load to fit a box (a screen), or one region
 * at a given scale, so that even an image of hundreds of megapixels is
 * never decoded into memory at once. Callbacks run on the thread-default
 * main context of the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lb-image-info.h"
#include "lb-rendition.h"

G_BEGIN_DECLS

/* Larger images fail to open as LB_THUMBNAIL_ERROR_TOO_LARGE. */
#define LB_IMAGE_SOURCE_MAX_PIXELS ((guint64) 1 << 30)
/* The frames of an animation together take at most this many bytes:
 * bigger ones are shrunk further. */
#define LB_IMAGE_SOURCE_ANIMATION_BUDGET (128 * 1024 * 1024)

#define LB_TYPE_IMAGE_SOURCE (lb_image_source_get_type ())

G_DECLARE_FINAL_TYPE (LbImageSource, lb_image_source, LB, IMAGE_SOURCE, GObject)

void           lb_image_source_open_async          (GFile               *file,
                                                    int                  io_priority,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
LbImageSource *lb_image_source_open_finish         (GAsyncResult        *result,
                                                    GError             **error);

GFile         *lb_image_source_get_file            (LbImageSource       *self);
/* What the header says: dimensions (after orientation), format, EXIF… */
LbImageInfo   *lb_image_source_get_info            (LbImageSource       *self);
/* Full resolution, after orientation; of one frame for animations. */
int            lb_image_source_get_width           (LbImageSource       *self);
int            lb_image_source_get_height          (LbImageSource       *self);

/* The whole image within @max_width × @max_height, never enlarged; every
 * frame of an animation. */
void           lb_image_source_render_async        (LbImageSource       *self,
                                                    int                  max_width,
                                                    int                  max_height,
                                                    int                  io_priority,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* The rectangle @x, @y, @width, @height of the image scaled by @scale
 * (0 < @scale ≤ 1), upright coordinates, clipped to the image. The first
 * frame only. */
void           lb_image_source_render_region_async (LbImageSource       *self,
                                                    double               scale,
                                                    int                  x,
                                                    int                  y,
                                                    int                  width,
                                                    int                  height,
                                                    int                  io_priority,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* For both renders. */
LbRendition   *lb_image_source_render_finish       (LbImageSource       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
