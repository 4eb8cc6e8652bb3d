/* lb-premultiplied-shrink.h: box-shrinking 8-bit RGBA rows as they are decoded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

G_BEGIN_DECLS

/* Shrinks the 8-bit, 4-band @image by @xshrink × @yshrink, averaging each
 * block with its pixels weighted by their alpha, so that the colour of
 * transparent pixels never bleeds into the result. @image's rows are read
 * once, top to bottom, so a sequential loader decodes it once.
 *
 * Returns a float image in memory, premultiplied (colour × alpha / 255,
 * alpha 0–255) as vips_premultiply() makes it, of ceil (width / @xshrink)
 * × ceil (height / @yshrink) pixels: the blocks at the right and bottom
 * edges average the pixels they have. Metadata is @image's. Fails with
 * G_IO_ERROR_CANCELLED when @cancellable fires between rows, and with
 * LB_THUMBNAIL_ERROR_CORRUPT when @image cannot be decoded. */
VipsImage *lb_vips_shrink_premultiplied (VipsImage     *image,
                                         int            xshrink,
                                         int            yshrink,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
