/* lb-thumbnail-png.h: the PNG writer of the thumbnail cache
 *
 * Blocks; any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

G_BEGIN_DECLS

/* What a thumbnail PNG records about its source (the Thumb::* keys). */
typedef struct {
  const char *uri;           /* Thumb::URI, canonical */
  gint64      mtime;         /* Thumb::MTime, seconds; < 0 when unknown */
  goffset     size;          /* Thumb::Size, bytes; < 0 when unknown */
  const char *mime_type;     /* Thumb::Mime, or NULL */
  int         image_width;   /* Thumb::Image::Width, 0 when unknown */
  int         image_height;  /* Thumb::Image::Height, 0 when unknown */
} LbThumbnailMeta;

/* Writes @image as a PNG at @path carrying the Thumb::* keys of @meta.
 * Not atomic by itself: the cache writes to a temporary name. */
gboolean    lb_thumbnail_write_png  (VipsImage             *image,
                                     const char            *path,
                                     const LbThumbnailMeta *meta,
                                     GError               **error);

G_END_DECLS
