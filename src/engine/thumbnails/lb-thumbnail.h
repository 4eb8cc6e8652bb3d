/* lb-thumbnail.h: a finished thumbnail, ready to become a texture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

#include "lb-thumbnail-size.h"

G_BEGIN_DECLS

/* libvips declares these itself from 8.16 on. */
#if VIPS_MAJOR_VERSION == 8 && VIPS_MINOR_VERSION < 16
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VipsImage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VipsSource, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VipsRegion, g_object_unref)
#endif

#define LB_THUMBNAIL_ERROR (lb_thumbnail_error_quark ())

typedef enum {
  LB_THUMBNAIL_ERROR_NOT_REGULAR,       /* FIFO, device, socket, folder… */
  LB_THUMBNAIL_ERROR_TOO_LARGE,         /* over the file size or pixel limit */
  LB_THUMBNAIL_ERROR_UNSUPPORTED,       /* no (allowed) loader knows the format */
  LB_THUMBNAIL_ERROR_CORRUPT,           /* a loader failed on the data */
  LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED, /* a valid fail-cache entry exists */
  LB_THUMBNAIL_ERROR_IN_CACHE,          /* the file is itself a cached thumbnail */
} LbThumbnailError;

/* Where a thumbnail came from, for the summary of lightbox-thumbnailer. */
typedef enum {
  LB_THUMBNAIL_ORIGIN_CACHE,      /* a valid thumbnail was already there */
  LB_THUMBNAIL_ORIGIN_GENERATED,  /* made now (and written to the cache) */
} LbThumbnailOrigin;

#define LB_TYPE_THUMBNAIL (lb_thumbnail_get_type ())

G_DECLARE_FINAL_TYPE (LbThumbnail, lb_thumbnail, LB, THUMBNAIL, GObject)

GQuark             lb_thumbnail_error_quark   (void);

/* With @with_pixels, @image must be 8-bit sRGB with 3 or 4 bands; without,
 * only its dimensions are kept and it may be a header not yet decoded. */
LbThumbnail       *lb_thumbnail_new_from_image (GFile             *file,
                                                LbThumbnailSize    size,
                                                LbThumbnailOrigin  origin,
                                                VipsImage         *image,
                                                gboolean           with_pixels,
                                                GError           **error);
/* @pixels: tightly packed 8-bit RGB or RGBA rows (see
 * lb_thumbnail_get_pixels()), or NULL for a header only. */
LbThumbnail       *lb_thumbnail_new            (GFile             *file,
                                                LbThumbnailSize    size,
                                                LbThumbnailOrigin  origin,
                                                int                width,
                                                int                height,
                                                gboolean           has_alpha,
                                                GBytes            *pixels);
GFile             *lb_thumbnail_get_file       (LbThumbnail       *self);
LbThumbnailSize    lb_thumbnail_get_size       (LbThumbnail       *self);
LbThumbnailOrigin  lb_thumbnail_get_origin     (LbThumbnail       *self);
int                lb_thumbnail_get_width      (LbThumbnail       *self);
int                lb_thumbnail_get_height     (LbThumbnail       *self);
/* Tightly packed R8G8B8 or R8G8B8A8 rows (GDK_MEMORY_R8G8B8[A8]);
 * NULL when the request asked for no pixels. */
GBytes            *lb_thumbnail_get_pixels     (LbThumbnail       *self);
gsize              lb_thumbnail_get_stride     (LbThumbnail       *self);
gboolean           lb_thumbnail_get_has_alpha  (LbThumbnail       *self);

G_END_DECLS
