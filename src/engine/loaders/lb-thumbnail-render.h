/* lb-thumbnail-render.h: the decode of one image into a thumbnail
 *
 * Blocks; the scheduler calls it on its worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

#include "lb-thumbnail.h"

G_BEGIN_DECLS

/* Decodes @data (any allowed format) into an 8-bit sRGB thumbnail of at
 * most @pixels × @pixels, shrink-on-load, EXIF auto-rotated, alpha kept.
 * Fails with LB_THUMBNAIL_ERROR_TOO_LARGE when the header promises more
 * than @max_pixels, or when a format that decodes whole frames at once
 * (HEIF, AVIF, JPEG XL, GIF, animated WebP, progressive JPEG, interlaced
 * PNG) would need more than 2 × @max_pixels bytes for it; and with G_IO_ERROR_CANCELLED when @cancellable
 * fires, stopping libvips early. On success @image_width and
 * @image_height are the source's dimensions (after orientation). */
VipsImage  *lb_thumbnail_render     (GBytes         *data,
                                     guint           pixels,
                                     guint64         max_pixels,
                                     int            *image_width,
                                     int            *image_height,
                                     GCancellable   *cancellable,
                                     GError        **error);

G_END_DECLS
