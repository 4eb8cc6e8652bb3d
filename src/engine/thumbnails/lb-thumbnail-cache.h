/* lb-thumbnail-cache.h: the freedesktop thumbnail cache
 *
 * Thread-safe: every method may be called from any thread, and most block
 * on disk I/O, so the scheduler calls them on its worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

#include "lb-thumbnail.h"
#include "lb-thumbnail-png.h"
#include "lb-thumbnail-size.h"

G_BEGIN_DECLS

#define LB_TYPE_THUMBNAIL_CACHE (lb_thumbnail_cache_get_type ())

G_DECLARE_FINAL_TYPE (LbThumbnailCache, lb_thumbnail_cache, LB, THUMBNAIL_CACHE, GObject)

/* @root: NULL for the desktop's shared cache, $XDG_CACHE_HOME/thumbnails
 * (the host's, in a Flatpak sandbox) */
LbThumbnailCache *lb_thumbnail_cache_new            (const char             *root);
const char       *lb_thumbnail_cache_get_root       (LbThumbnailCache       *self);

/* The canonical URI of @file, as the spec hashes it. */
char             *lb_thumbnail_cache_get_uri        (GFile                  *file);
char             *lb_thumbnail_cache_get_path       (LbThumbnailCache       *self,
                                                     const char             *uri,
                                                     LbThumbnailSize         size);
char             *lb_thumbnail_cache_get_fail_path  (LbThumbnailCache       *self,
                                                     const char             *uri);
/* TRUE for files inside the cache, which are never thumbnailed. */
gboolean          lb_thumbnail_cache_contains       (LbThumbnailCache       *self,
                                                     GFile                  *file);

/* The cached thumbnail of @file (whose canonical URI is @uri) if it is
 * valid for @mtime (URI and MTime match, no bigger than its bucket):
 * with @with_pixels decoded into 8-bit RGB or RGBA, else its header only;
 * NULL with G_IO_ERROR_NOT_FOUND when it is missing, stale or damaged.
 * Read with libpng: it needs no libvips. */
LbThumbnail      *lb_thumbnail_cache_load           (LbThumbnailCache       *self,
                                                     GFile                  *file,
                                                     const char             *uri,
                                                     gint64                  mtime,
                                                     LbThumbnailSize         size,
                                                     gboolean                with_pixels,
                                                     GError                **error);
/* TRUE when a failure was recorded for @uri at @mtime. */
gboolean          lb_thumbnail_cache_has_failed     (LbThumbnailCache       *self,
                                                     const char             *uri,
                                                     gint64                  mtime);
/* Both write atomically (a temporary file in the same folder, then a
 * rename), creating folders 0700 and files 0600. */
gboolean          lb_thumbnail_cache_save           (LbThumbnailCache       *self,
                                                     VipsImage              *image,
                                                     const LbThumbnailMeta  *meta,
                                                     LbThumbnailSize         size,
                                                     GError                **error);
gboolean          lb_thumbnail_cache_save_failure   (LbThumbnailCache       *self,
                                                     const LbThumbnailMeta  *meta,
                                                     GError                **error);

G_END_DECLS
