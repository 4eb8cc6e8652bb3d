/* lb-thumbnail-size.h: the freedesktop thumbnail size buckets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The four sizes of the Thumbnail Managing Standard, smallest first. */
typedef enum {
  LB_THUMBNAIL_SIZE_NORMAL,    /* 128 px, thumbnails/normal   */
  LB_THUMBNAIL_SIZE_LARGE,     /* 256 px, thumbnails/large    */
  LB_THUMBNAIL_SIZE_X_LARGE,   /* 512 px, thumbnails/x-large  */
  LB_THUMBNAIL_SIZE_XX_LARGE,  /* 1024 px, thumbnails/xx-large */
} LbThumbnailSize;

#define LB_THUMBNAIL_N_SIZES 4

guint            lb_thumbnail_size_get_pixels   (LbThumbnailSize  size);
const char      *lb_thumbnail_size_get_name     (LbThumbnailSize  size);
gboolean         lb_thumbnail_size_from_name    (const char      *name,
                                                 LbThumbnailSize *size);
LbThumbnailSize  lb_thumbnail_size_for_pixels   (guint            pixels);

G_END_DECLS
