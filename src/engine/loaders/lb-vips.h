/* lb-vips.h: starting libvips, and the helpers every decode uses
 *
 * Thread-safe, as libvips is; lb_vips_init() before anything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

#include "lb-thumbnail.h"

G_BEGIN_DECLS

/* Starts libvips once per process (safe to call again, from any thread):
 * blocks the loaders no image folder needs, keeps SVG and PDF from
 * fetching external resources, and sizes libvips' own caches and
 * threads for many small independent jobs. The engine calls it on the
 * threads where it first needs libvips, so that an app's window can
 * come up without it: loading libvips' modules (some 30 ms) would
 * otherwise hold the locks GTK needs while it starts. */
void        lb_vips_init            (const char     *argv0);
/* Sets the heap up for decoding (see lb_vips_init(), which does it too):
 * in a process that starts libvips late, before its threads start. */
void        lb_vips_tune_heap       (void);

/* Converts @image to 8-bit sRGB with 3 or 4 bands (alpha kept), as a
 * lazy pipeline: nothing is computed yet. */
VipsImage  *lb_vips_image_to_srgb   (VipsImage      *image,
                                     GError        **error);

/* lb_vips_image_to_srgb(), computed into memory; for decoded and cached
 * thumbnails alike. */
VipsImage  *lb_thumbnail_image_to_srgb (VipsImage      *image,
                                        GError        **error);

/* TRUE when @image carries an ICC profile that its pixels must be
 * transformed from to be sRGB: FALSE without a profile, and for the sRGB
 * profiles most cameras and editors embed, since building a transform
 * costs more than a whole small thumbnail. */
gboolean    lb_vips_image_needs_profile_transform (VipsImage *image);

/* The nickname ("jpegload_source"…) of the allowed loader that knows
 * @source, or NULL: only the loaders images need are asked. */
const char *lb_vips_find_loader_source (VipsSource *source);
/* The same for bytes in memory ("jpegload_buffer"…). */
const char *lb_vips_find_loader_buffer (const void *buf,
                                        gsize       len);

/* Computes the lazy pipeline @image into memory as 8-bit sRGB, then turns
 * it upright by its "orientation"; libvips stops early with
 * G_IO_ERROR_CANCELLED when @cancellable fires. Rotating after the
 * decode keeps the decode itself sequential and cancellable. */
VipsImage  *lb_vips_compute_upright (VipsImage    *image,
                                     GCancellable *cancellable,
                                     GError      **error);

/* Moves libvips' error buffer into @error as LB_THUMBNAIL_ERROR @code.
 * The buffer is shared by the whole process, so it is always cleared. */
void        lb_vips_set_error       (GError         **error,
                                     LbThumbnailError code);

G_END_DECLS
