/* lb-thumbnail-loader.h: asks the engine for the thumbnails a window needs
 *
 * Bound cells get theirs first (high priority, with pixels, kept as
 * textures); cells scrolled away have theirs lowered, and dropped once
 * too many pile up. When no cell waits, the rest of the model is
 * prefetched at low priority into the disk cache only, a bounded number
 * at a time. Item thumbnail states are kept for the current size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-file-item.h"
#include "lb-texture-cache.h"
#include "lb-thumbnail-scheduler.h"

G_BEGIN_DECLS

#define LB_TYPE_THUMBNAIL_LOADER (lb_thumbnail_loader_get_type ())

G_DECLARE_FINAL_TYPE (LbThumbnailLoader, lb_thumbnail_loader, LB, THUMBNAIL_LOADER, GObject)

/* Called when what a bound cell shows for its item may have changed. */
typedef void (*LbThumbnailLoaderFunc) (LbFileItem *item,
                                       gpointer    user_data);

LbThumbnailLoader *lb_thumbnail_loader_new          (LbThumbnailScheduler *scheduler,
                                                     LbTextureCache       *textures);

/* The items to prefetch and count (LbFileItem); drops all requests. */
void               lb_thumbnail_loader_set_model    (LbThumbnailLoader    *self,
                                                     GListModel           *model);
/* Cancels every request and forgets every state: a new folder. */
void               lb_thumbnail_loader_reset        (LbThumbnailLoader    *self);
/* Prefetching waits until the model is fully listed. */
void               lb_thumbnail_loader_set_prefetch (LbThumbnailLoader    *self,
                                                     gboolean              prefetch);

LbThumbnailSize    lb_thumbnail_loader_get_size     (LbThumbnailLoader    *self);
void               lb_thumbnail_loader_set_size     (LbThumbnailLoader    *self,
                                                     LbThumbnailSize       size);

void               lb_thumbnail_loader_bind         (LbThumbnailLoader    *self,
                                                     LbFileItem           *item,
                                                     LbThumbnailLoaderFunc func,
                                                     gpointer              user_data);
void               lb_thumbnail_loader_unbind       (LbThumbnailLoader    *self,
                                                     LbFileItem           *item);

/* The best texture there is for @item; *@exact tells whether it is the
 * current one at the current size, or a stand-in to show scaled. */
GdkTexture        *lb_thumbnail_loader_lookup       (LbThumbnailLoader    *self,
                                                     LbFileItem           *item,
                                                     LbThumbnailSize      *size,
                                                     gboolean             *exact);

/* Progress over the images of the model. */
guint              lb_thumbnail_loader_get_n_images (LbThumbnailLoader    *self);
guint              lb_thumbnail_loader_get_n_done   (LbThumbnailLoader    *self);
/* Bound cells still waiting for their thumbnail. */
guint              lb_thumbnail_loader_get_n_waiting (LbThumbnailLoader   *self);
/* How many textures were handed to bound cells so far. */
guint              lb_thumbnail_loader_get_n_delivered (LbThumbnailLoader *self);
/* Requests to the engine whose callback has not run yet, those a reset
 * cancelled included: at 0, nothing more can come back. */
guint              lb_thumbnail_loader_get_n_unanswered (LbThumbnailLoader *self);
/* Every image of the model is done, none waits. */
gboolean           lb_thumbnail_loader_get_complete (LbThumbnailLoader    *self);

G_END_DECLS
