/* lb-texture-cache.h: thumbnail textures, least recently used out first
 *
 * Bounded in bytes, so that a folder of thousands of images never holds
 * more than a screenful or so of pixels; the disk cache has the rest.
 * One texture per file: the latest stored, at whatever size bucket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-thumbnail-size.h"

G_BEGIN_DECLS

#define LB_TYPE_TEXTURE_CACHE (lb_texture_cache_get_type ())

G_DECLARE_FINAL_TYPE (LbTextureCache, lb_texture_cache, LB, TEXTURE_CACHE, GObject)

LbTextureCache *lb_texture_cache_new           (gsize            max_bytes);

/* Keeps @texture for @file as it was at @modified, in bucket @size. */
void            lb_texture_cache_insert        (LbTextureCache  *self,
                                                GFile           *file,
                                                gint64           modified,
                                                LbThumbnailSize  size,
                                                GdkTexture      *texture);
/* The texture kept for @file, if any, and what it was made for: callers
 * may show a texture of another size or time while the right one loads. */
GdkTexture     *lb_texture_cache_lookup        (LbTextureCache  *self,
                                                GFile           *file,
                                                gint64          *modified,
                                                LbThumbnailSize *size);
gsize           lb_texture_cache_get_bytes     (LbTextureCache  *self);
gsize           lb_texture_cache_get_max_bytes (LbTextureCache  *self);

G_END_DECLS
