/* lb-thumbnail-scheduler.h: the pipeline in which reads and decodes interleave
 *
 * Requests go through: cache lookup (worker thread) → asynchronous GIO read
 * (a bounded number of files and bytes in flight) → a GThreadPool of libvips
 * workers that decode, write the cache and hand back pixels. Results are
 * delivered on the thread-default GMainContext of the caller of
 * lb_thumbnail_scheduler_load_async().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lb-thumbnail.h"
#include "lb-thumbnail-cache.h"

G_BEGIN_DECLS

typedef enum {
  LB_THUMBNAIL_FLAGS_NONE      = 0,
  LB_THUMBNAIL_FLAGS_FORCE     = 1 << 0,  /* ignore valid thumbnails and failure records */
  LB_THUMBNAIL_FLAGS_NO_PIXELS = 1 << 1,  /* only fill the cache; the result has no pixels */
} LbThumbnailFlags;

#define LB_THUMBNAIL_DEFAULT_MAX_FILE_SIZE (512 * 1024 * 1024)
#define LB_THUMBNAIL_DEFAULT_MAX_PIXELS    ((guint64) 256 * 1024 * 1024)

#define LB_TYPE_THUMBNAIL_SCHEDULER (lb_thumbnail_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (LbThumbnailScheduler, lb_thumbnail_scheduler, LB, THUMBNAIL_SCHEDULER, GObject)

/* @n_workers: decode threads, 0 for one per core */
LbThumbnailScheduler *lb_thumbnail_scheduler_new          (LbThumbnailCache      *cache,
                                                           guint                  n_workers);
LbThumbnailCache     *lb_thumbnail_scheduler_get_cache    (LbThumbnailScheduler  *self);

/* @priority: as for GLib I/O, lower values first (G_PRIORITY_HIGH for
 * visible items, G_PRIORITY_LOW for prefetching). Requests of equal
 * priority are served in the order they came. */
void                  lb_thumbnail_scheduler_load_async   (LbThumbnailScheduler  *self,
                                                           GFile                 *file,
                                                           LbThumbnailSize        size,
                                                           LbThumbnailFlags       flags,
                                                           int                    priority,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
LbThumbnail          *lb_thumbnail_scheduler_load_finish  (LbThumbnailScheduler  *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);

/* Moves the queued requests for @file at @size to @priority; no effect
 * once they are being read or decoded. */
void                  lb_thumbnail_scheduler_set_priority (LbThumbnailScheduler  *self,
                                                           GFile                 *file,
                                                           LbThumbnailSize        size,
                                                           int                    priority);

/* Properties (also GObject properties of the same names):
 * "max-reads"      files being read at once (default 8)
 * "max-read-bytes" bytes read ahead of the decoders: being read, or read
 *                  and waiting for a decoder (default 32 MiB)
 * "max-file-size"  larger files fail as TOO_LARGE (default 512 MiB)
 * "max-pixels"     images promising more pixels fail as TOO_LARGE, and
 *                  so do those whose format decodes whole frames at once
 *                  and would need more than 2 bytes per allowed pixel
 *                  (512 MiB by default; see lb_thumbnail_render())
 * "serial"         read then decode one file at a time: the baseline that
 *                  shows what interleaving buys (benchmarks only) */
void                  lb_thumbnail_scheduler_set_serial   (LbThumbnailScheduler  *self,
                                                           gboolean               serial);
void                  lb_thumbnail_scheduler_set_max_file_size (LbThumbnailScheduler *self,
                                                                goffset               max_file_size);
void                  lb_thumbnail_scheduler_set_max_pixels    (LbThumbnailScheduler *self,
                                                                guint64               max_pixels);

G_END_DECLS
