/* lb-thumbnail-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-loader"

#include "lb-texture.h"
#include "lb-thumbnail-loader.h"

/* Engine priorities: lower is sooner. */
#define PRIORITY_BOUND     G_PRIORITY_HIGH
#define PRIORITY_DETACHED  G_PRIORITY_DEFAULT_IDLE
#define PRIORITY_PREFETCH  G_PRIORITY_LOW

/* Prefetch requests outstanding at once: enough to keep every reader and
 * decoder busy, few enough that leaving a folder drops little. */
#define MAX_PREFETCH       24
/* While cells wait for theirs: a couple, which the scheduler serves only
 * when no cell's request is queued, so that a decoder the last waiting
 * cells leave idle has work (the prefetches are read and queued by then). */
#define MAX_PREFETCH_WHILE_WAITING 2
/* Requests of cells scrolled away that are kept, lowered, before the
 * oldest are dropped (a fast scroll through thousands binds them all). */
#define MAX_DETACHED       64
/* Counting is a pass over the model: not more often than this, and
 * this many items per turn of the main loop. */
#define COUNT_INTERVAL_MS  200
#define COUNT_SLICE        8192

/* What the loader knows of one item while a cell shows it or a request
 * for it runs. */
typedef struct {
  LbFileItem            *item;
  GCancellable          *pixels;        /* a request with pixels, running */
  LbThumbnailSize        pixels_size;
  gint64                 pixels_modified;
  GCancellable          *prefetch;      /* a prefetch, running */
  gboolean               bound;
  gboolean               wants_pixels;  /* bound, waiting for its prefetch */
  LbThumbnailLoaderFunc  func;
  gpointer               user_data;
  gulong                 notify_id;
  gboolean               detached;      /* unbound, pixels still coming */
  GList                  detached_link;
} Entry;

typedef struct {
  LbThumbnailLoader *loader;
  LbFileItem        *item;
  GCancellable      *cancellable;
  guint              generation;
  LbThumbnailSize    size;
  gint64             modified;
} Request;

struct _LbThumbnailLoader
{
  GObject               parent_instance;

  LbThumbnailScheduler *scheduler;
  LbTextureCache       *textures;
  GListModel           *model;
  LbThumbnailSize       size;
  gboolean              prefetch;

  guint                 generation;    /* bumped by every reset */
  GHashTable           *entries;       /* LbFileItem → Entry */
  GQueue                detached;      /* Entry, oldest first */
  GHashTable           *touched;       /* items whose state we set */
  guint                 n_prefetching;
  guint                 cursor;        /* where prefetching goes on */
  gboolean              counted_at_end; /* since the cursor last moved back */

  guint                 n_images;
  guint                 n_done;
  gboolean              counting;
  guint                 count_position;  /* of the count under way */
  guint                 count_images;
  guint                 count_done;
  guint                 n_waiting;
  guint                 n_delivered;
  guint                 n_unanswered;  /* requests whose callback has not run */
  gboolean              complete;
  guint                 count_source;
};

G_DEFINE_FINAL_TYPE (LbThumbnailLoader, lb_thumbnail_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIZE,
  PROP_N_IMAGES,
  PROP_N_DONE,
  PROP_N_WAITING,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void lb_thumbnail_loader_refill (LbThumbnailLoader *self);
static void lb_thumbnail_loader_rewind (LbThumbnailLoader *self,
                                        guint              position);

/* --- counting ------------------------------------------------------------ */

static void
set_uint (LbThumbnailLoader *self,
          guint             *field,
          guint              value,
          int                prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
lb_thumbnail_loader_publish_count (LbThumbnailLoader *self,
                                   guint              n_images,
                                   guint              n_done)
{
  gboolean complete = self->prefetch && n_done == n_images && self->n_waiting == 0;

  g_object_freeze_notify (G_OBJECT (self));
  set_uint (self, &self->n_images, n_images, PROP_N_IMAGES);
  set_uint (self, &self->n_done, n_done, PROP_N_DONE);
  if (self->complete != complete)
    {
      self->complete = complete;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* One slice of the count per turn of the main loop. */
static gboolean
count_slice_cb (gpointer user_data)
{
  LbThumbnailLoader *self = user_data;
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  guint end = MIN (n, self->count_position + COUNT_SLICE);

  for (; self->count_position < end; self->count_position++)
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (self->model, self->count_position);
      LbThumbnailState state;

      if (!lb_file_item_get_is_image (item))
        continue;

      self->count_images++;
      state = lb_file_item_get_thumbnail_state (item);
      if (state == LB_THUMBNAIL_STATE_READY || state == LB_THUMBNAIL_STATE_FAILED)
        self->count_done++;
    }

  if (self->count_position < n)
    return G_SOURCE_CONTINUE;

  self->count_source = 0;
  self->counting = FALSE;
  lb_thumbnail_loader_publish_count (self, self->count_images, self->count_done);

  return G_SOURCE_REMOVE;
}

/* Counts the images of the model and those done, in slices: a pass over
 * 100,000 items would block for a good part of a frame. */
static void
lb_thumbnail_loader_count (LbThumbnailLoader *self)
{
  g_clear_handle_id (&self->count_source, g_source_remove);
  self->counting = TRUE;
  self->count_position = 0;
  self->count_images = 0;
  self->count_done = 0;
  self->count_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, count_slice_cb, self, NULL);
}

static gboolean
count_cb (gpointer user_data)
{
  LbThumbnailLoader *self = user_data;

  self->count_source = 0;
  lb_thumbnail_loader_count (self);

  return G_SOURCE_REMOVE;
}

/* Not more often than every COUNT_INTERVAL_MS; a count under way goes on. */
static void
lb_thumbnail_loader_queue_count (LbThumbnailLoader *self)
{
  if (self->count_source == 0)
    self->count_source = g_timeout_add (COUNT_INTERVAL_MS, count_cb, self);
}

static void
lb_thumbnail_loader_update_waiting (LbThumbnailLoader *self)
{
  GHashTableIter iter;
  Entry *entry;
  guint n_waiting = 0;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->bound && (entry->pixels != NULL || entry->wants_pixels))
      n_waiting++;

  set_uint (self, &self->n_waiting, n_waiting, PROP_N_WAITING);
}

/* --- entries and states -------------------------------------------------- */

static void
set_state (LbThumbnailLoader *self,
           LbFileItem        *item,
           LbThumbnailState   state)
{
  if (state != LB_THUMBNAIL_STATE_NONE)
    g_hash_table_add (self->touched, g_object_ref (item));
  lb_file_item_set_thumbnail_state (item, state);
}

static void
entry_free (Entry *entry)
{
  g_assert (entry->pixels == NULL && entry->prefetch == NULL);

  if (entry->notify_id != 0)
    g_signal_handler_disconnect (entry->item, entry->notify_id);
  g_object_unref (entry->item);
  g_free (entry);
}

/* Forgets @entry once nothing needs it. */
static void
lb_thumbnail_loader_release (LbThumbnailLoader *self,
                             Entry             *entry)
{
  if (!entry->bound && entry->pixels == NULL && entry->prefetch == NULL)
    g_hash_table_remove (self->entries, entry->item);
}

static Entry *
lb_thumbnail_loader_get_entry (LbThumbnailLoader *self,
                               LbFileItem        *item)
{
  Entry *entry = g_hash_table_lookup (self->entries, item);

  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->item = g_object_ref (item);
      entry->detached_link.data = entry;
      g_hash_table_insert (self->entries, item, entry);
    }

  return entry;
}

static void
lb_thumbnail_loader_attach (LbThumbnailLoader *self,
                            Entry             *entry)
{
  if (entry->detached)
    g_queue_unlink (&self->detached, &entry->detached_link);
  entry->detached = FALSE;
}

static gboolean
has_current_texture (LbThumbnailLoader *self,
                     LbFileItem        *item)
{
  gboolean exact = FALSE;

  lb_thumbnail_loader_lookup (self, item, NULL, &exact);

  return exact;
}

static void
entry_changed (LbThumbnailLoader *self,
               Entry             *entry)
{
  if (!entry->bound || entry->func == NULL)
    return;

  entry->func (entry->item, entry->user_data);
  if (has_current_texture (self, entry->item))
    self->n_delivered++;
}

/* --- requests ------------------------------------------------------------ */

static void
request_free (Request *request)
{
  request->loader->n_unanswered--;
  g_object_unref (request->loader);
  g_object_unref (request->item);
  g_object_unref (request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
request_new (LbThumbnailLoader *self,
             LbFileItem        *item)
{
  Request *request = g_new0 (Request, 1);

  request->loader = g_object_ref (self);
  self->n_unanswered++;
  request->item = g_object_ref (item);
  request->cancellable = g_cancellable_new ();
  request->generation = self->generation;
  request->size = self->size;
  request->modified = lb_file_item_get_modified (item);

  return request;
}

/* The state a finished request leaves its item in. */
static void
lb_thumbnail_loader_settle (LbThumbnailLoader *self,
                            Request           *request,
                            const GError      *error)
{
  LbFileItem *item = request->item;

  /* Made for another size or an older version of the file. */
  if (request->size != self->size || request->modified != lb_file_item_get_modified (item))
    return;

  if (error == NULL)
    set_state (self, item, LB_THUMBNAIL_STATE_READY);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, item, LB_THUMBNAIL_STATE_FAILED);
  else if (lb_file_item_get_thumbnail_state (item) == LB_THUMBNAIL_STATE_LOADING)
    set_state (self, item, LB_THUMBNAIL_STATE_NONE);
}

static void request_pixels (LbThumbnailLoader *self,
                            Entry             *entry);

static void
pixels_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  LbThumbnailLoader *self = request->loader;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;

  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);
  if (thumbnail != NULL)
    {
      g_autoptr(GdkTexture) texture = lb_texture_new_for_thumbnail (thumbnail);

      /* Kept even when it came too late: a stand-in for later. */
      lb_texture_cache_insert (self->textures, lb_file_item_get_file (request->item),
                               request->modified, request->size, texture);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("No thumbnail for %s: %s", lb_file_item_get_name (request->item), error->message);
    }

  if (request->generation != self->generation)
    return;

  entry = g_hash_table_lookup (self->entries, request->item);
  if (entry == NULL || entry->pixels != request->cancellable)
    return;

  g_clear_object (&entry->pixels);
  lb_thumbnail_loader_attach (self, entry);

  lb_thumbnail_loader_settle (self, request, error);
  /* The file changed while it was made: make it again. */
  if (entry->bound)
    request_pixels (self, entry);
  entry_changed (self, entry);
  lb_thumbnail_loader_release (self, entry);
  lb_thumbnail_loader_update_waiting (self);
  lb_thumbnail_loader_queue_count (self);
  lb_thumbnail_loader_refill (self);
}

static void
prefetched_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  LbThumbnailLoader *self = request->loader;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  Entry *entry;

  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);

  if (request->generation != self->generation)
    return;

  entry = g_hash_table_lookup (self->entries, request->item);
  if (entry == NULL || entry->prefetch != request->cancellable)
    return;

  g_clear_object (&entry->prefetch);
  self->n_prefetching--;
  lb_thumbnail_loader_settle (self, request, error);
  /* The file changed while it was made: look at it again. */
  if (lb_file_item_get_thumbnail_state (entry->item) == LB_THUMBNAIL_STATE_NONE)
    lb_thumbnail_loader_rewind (self, 0);

  /* A cell came for it meanwhile: now its pixels are a cache hit. */
  if (entry->wants_pixels)
    {
      entry->wants_pixels = FALSE;
      request_pixels (self, entry);
    }

  entry_changed (self, entry);
  lb_thumbnail_loader_release (self, entry);
  lb_thumbnail_loader_update_waiting (self);
  lb_thumbnail_loader_queue_count (self);
  lb_thumbnail_loader_refill (self);
}

/* Makes sure a bound @entry gets the pixels it shows. */
static void
request_pixels (LbThumbnailLoader *self,
                Entry             *entry)
{
  LbFileItem *item = entry->item;
  Request *request;

  if (!lb_file_item_get_is_image (item) ||
      lb_file_item_get_thumbnail_state (item) == LB_THUMBNAIL_STATE_FAILED)
    return;

  if (has_current_texture (self, item))
    {
      set_state (self, item, LB_THUMBNAIL_STATE_READY);
      return;
    }

  if (entry->pixels != NULL)
    {
      if (entry->pixels_size == self->size &&
          entry->pixels_modified == lb_file_item_get_modified (item))
        {
          lb_thumbnail_scheduler_set_priority (self->scheduler, lb_file_item_get_file (item),
                                               self->size, PRIORITY_BOUND);
          return;
        }
      g_cancellable_cancel (entry->pixels);
      g_clear_object (&entry->pixels);
    }

  /* Reading and decoding twice would be waste: the running prefetch
   * goes first, and its result is then a quick cache hit. */
  if (entry->prefetch != NULL)
    {
      lb_thumbnail_scheduler_set_priority (self->scheduler, lb_file_item_get_file (item),
                                           self->size, PRIORITY_BOUND);
      entry->wants_pixels = TRUE;
      return;
    }

  request = request_new (self, item);
  entry->pixels = g_object_ref (request->cancellable);
  entry->pixels_size = self->size;
  entry->pixels_modified = request->modified;
  if (lb_file_item_get_thumbnail_state (item) == LB_THUMBNAIL_STATE_NONE)
    set_state (self, item, LB_THUMBNAIL_STATE_LOADING);

  lb_thumbnail_scheduler_load_async (self->scheduler, lb_file_item_get_file (item), self->size,
                                     LB_THUMBNAIL_FLAGS_NONE, PRIORITY_BOUND,
                                     request->cancellable, pixels_loaded_cb, request);
}

static void
lb_thumbnail_loader_prefetch (LbThumbnailLoader *self,
                              LbFileItem        *item)
{
  Entry *entry = lb_thumbnail_loader_get_entry (self, item);
  Request *request = request_new (self, item);

  entry->prefetch = g_object_ref (request->cancellable);
  self->n_prefetching++;
  set_state (self, item, LB_THUMBNAIL_STATE_LOADING);

  /* Only into the disk cache: no pixels, no texture. */
  lb_thumbnail_scheduler_load_async (self->scheduler, lb_file_item_get_file (item), self->size,
                                     LB_THUMBNAIL_FLAGS_NO_PIXELS, PRIORITY_PREFETCH,
                                     request->cancellable, prefetched_cb, request);
}

/* Starts prefetches while there is room: little of it while cells wait. */
static void
lb_thumbnail_loader_refill (LbThumbnailLoader *self)
{
  guint max_prefetching = self->n_waiting > 0 ? MAX_PREFETCH_WHILE_WAITING : MAX_PREFETCH;
  guint n;

  if (!self->prefetch || self->model == NULL)
    return;

  n = g_list_model_get_n_items (self->model);
  while (self->n_prefetching < max_prefetching && self->cursor < n)
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (self->model, self->cursor++);
      Entry *entry;

      if (!lb_file_item_get_is_image (item) ||
          lb_file_item_get_thumbnail_state (item) != LB_THUMBNAIL_STATE_NONE)
        continue;

      /* A request for an older version of the file still runs. */
      entry = g_hash_table_lookup (self->entries, item);
      if (entry != NULL && (entry->pixels != NULL || entry->prefetch != NULL))
        continue;

      lb_thumbnail_loader_prefetch (self, item);
    }

  /* Nothing left to start or to wait for: count now, not later; once,
   * as scrolling calls this for every cell. */
  if (self->cursor >= n && self->n_prefetching == 0 && !self->counted_at_end)
    {
      self->counted_at_end = TRUE;
      lb_thumbnail_loader_count (self);
    }
}

/* Prefetching looks at the model again from @position on. */
static void
lb_thumbnail_loader_rewind (LbThumbnailLoader *self,
                            guint              position)
{
  self->cursor = MIN (self->cursor, position);
  self->counted_at_end = FALSE;
}

static void
cancel_entry (LbThumbnailLoader *self,
              Entry             *entry)
{
  if (entry->pixels != NULL)
    g_cancellable_cancel (entry->pixels);
  g_clear_object (&entry->pixels);
  if (entry->prefetch != NULL)
    g_cancellable_cancel (entry->prefetch);
  g_clear_object (&entry->prefetch);
  entry->wants_pixels = FALSE;
}

/* --- binding ------------------------------------------------------------- */

static void
on_item_state_changed (LbFileItem        *item,
                       GParamSpec        *pspec,
                       LbThumbnailLoader *self)
{
  Entry *entry = g_hash_table_lookup (self->entries, item);

  if (entry == NULL || !entry->bound)
    return;

  /* Back to NONE: the file changed, so the cell needs new pixels. */
  if (lb_file_item_get_thumbnail_state (item) == LB_THUMBNAIL_STATE_NONE)
    {
      request_pixels (self, entry);
      lb_thumbnail_loader_update_waiting (self);
    }

  entry_changed (self, entry);
}

void
lb_thumbnail_loader_bind (LbThumbnailLoader     *self,
                          LbFileItem            *item,
                          LbThumbnailLoaderFunc  func,
                          gpointer               user_data)
{
  Entry *entry;

  g_return_if_fail (LB_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (LB_IS_FILE_ITEM (item));

  entry = lb_thumbnail_loader_get_entry (self, item);
  g_return_if_fail (!entry->bound);

  entry->bound = TRUE;
  entry->func = func;
  entry->user_data = user_data;
  entry->notify_id = g_signal_connect_object (item, "notify::thumbnail-state",
                                              G_CALLBACK (on_item_state_changed), self, 0);
  lb_thumbnail_loader_attach (self, entry);

  request_pixels (self, entry);
  lb_thumbnail_loader_update_waiting (self);
}

void
lb_thumbnail_loader_unbind (LbThumbnailLoader *self,
                            LbFileItem        *item)
{
  Entry *entry;

  g_return_if_fail (LB_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (LB_IS_FILE_ITEM (item));

  entry = g_hash_table_lookup (self->entries, item);
  if (entry == NULL || !entry->bound)
    return;

  entry->bound = FALSE;
  entry->func = NULL;
  entry->user_data = NULL;
  entry->wants_pixels = FALSE;
  g_clear_signal_handler (&entry->notify_id, item);

  if (entry->prefetch != NULL)
    lb_thumbnail_scheduler_set_priority (self->scheduler, lb_file_item_get_file (item),
                                         self->size, PRIORITY_PREFETCH);

  if (entry->pixels != NULL)
    {
      /* Lowered, not dropped: scrolling back soon costs nothing. */
      lb_thumbnail_scheduler_set_priority (self->scheduler, lb_file_item_get_file (item),
                                           entry->pixels_size, PRIORITY_DETACHED);
      g_queue_push_tail_link (&self->detached, &entry->detached_link);
      entry->detached = TRUE;

      if (self->detached.length > MAX_DETACHED)
        {
          Entry *oldest = g_queue_peek_head (&self->detached);

          lb_thumbnail_loader_attach (self, oldest);
          g_cancellable_cancel (oldest->pixels);
          g_clear_object (&oldest->pixels);
          if (lb_file_item_get_thumbnail_state (oldest->item) == LB_THUMBNAIL_STATE_LOADING &&
              oldest->prefetch == NULL)
            set_state (self, oldest->item, LB_THUMBNAIL_STATE_NONE);
          lb_thumbnail_loader_release (self, oldest);
        }
    }

  lb_thumbnail_loader_release (self, entry);
  lb_thumbnail_loader_update_waiting (self);
  lb_thumbnail_loader_refill (self);
}

GdkTexture *
lb_thumbnail_loader_lookup (LbThumbnailLoader *self,
                            LbFileItem        *item,
                            LbThumbnailSize   *size,
                            gboolean          *exact)
{
  GdkTexture *texture;
  LbThumbnailSize texture_size = LB_THUMBNAIL_SIZE_NORMAL;
  gint64 modified = 0;

  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), NULL);
  g_return_val_if_fail (LB_IS_FILE_ITEM (item), NULL);

  texture = lb_texture_cache_lookup (self->textures, lb_file_item_get_file (item),
                                     &modified, &texture_size);
  if (size != NULL)
    *size = texture_size;
  if (exact != NULL)
    *exact = texture != NULL && texture_size == self->size &&
             modified == lb_file_item_get_modified (item);

  return texture;
}

/* --- the model ----------------------------------------------------------- */

static void
on_items_changed (GListModel        *model,
                  guint              position,
                  guint              removed,
                  guint              added,
                  LbThumbnailLoader *self)
{
  /* New items before the cursor must not be skipped; a count under way
   * starts again. */
  lb_thumbnail_loader_rewind (self, position);
  if (self->complete || self->counting)
    lb_thumbnail_loader_count (self);
  else
    lb_thumbnail_loader_queue_count (self);
  lb_thumbnail_loader_refill (self);
}

void
lb_thumbnail_loader_reset (LbThumbnailLoader *self)
{
  GHashTableIter iter;
  Entry *entry;
  LbFileItem *item;

  g_return_if_fail (LB_IS_THUMBNAIL_LOADER (self));

  self->generation++;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      cancel_entry (self, entry);
      if (!entry->bound)
        g_hash_table_iter_remove (&iter);
    }
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    entry->detached = FALSE;
  g_queue_init (&self->detached);
  self->n_prefetching = 0;
  lb_thumbnail_loader_rewind (self, 0);

  g_hash_table_iter_init (&iter, self->touched);
  while (g_hash_table_iter_next (&iter, (gpointer *) &item, NULL))
    lb_file_item_set_thumbnail_state (item, LB_THUMBNAIL_STATE_NONE);
  g_hash_table_remove_all (self->touched);

  lb_thumbnail_loader_update_waiting (self);
  lb_thumbnail_loader_publish_count (self, 0, 0);
  lb_thumbnail_loader_count (self);
}

void
lb_thumbnail_loader_set_model (LbThumbnailLoader *self,
                               GListModel        *model)
{
  g_return_if_fail (LB_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed), self, 0);

  lb_thumbnail_loader_reset (self);
}

void
lb_thumbnail_loader_set_prefetch (LbThumbnailLoader *self,
                                  gboolean           prefetch)
{
  g_return_if_fail (LB_IS_THUMBNAIL_LOADER (self));

  self->prefetch = !!prefetch;
  lb_thumbnail_loader_count (self);
  lb_thumbnail_loader_refill (self);
}

LbThumbnailSize
lb_thumbnail_loader_get_size (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), LB_THUMBNAIL_SIZE_LARGE);

  return self->size;
}

void
lb_thumbnail_loader_set_size (LbThumbnailLoader *self,
                              LbThumbnailSize    size)
{
  g_autoptr(GPtrArray) bound = g_ptr_array_new ();
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (LB_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (size < LB_THUMBNAIL_N_SIZES);

  if (self->size == size)
    return;

  /* States were for the old size; textures stay, as stand-ins. */
  lb_thumbnail_loader_reset (self);
  self->size = size;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    g_ptr_array_add (bound, entry);
  for (guint i = 0; i < bound->len; i++)
    {
      entry = g_ptr_array_index (bound, i);
      request_pixels (self, entry);
      entry_changed (self, entry);
    }

  lb_thumbnail_loader_update_waiting (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

guint
lb_thumbnail_loader_get_n_images (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), 0);

  return self->n_images;
}

guint
lb_thumbnail_loader_get_n_done (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), 0);

  return self->n_done;
}

guint
lb_thumbnail_loader_get_n_waiting (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), 0);

  return self->n_waiting;
}

guint
lb_thumbnail_loader_get_n_unanswered (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), 0);

  return self->n_unanswered;
}

guint
lb_thumbnail_loader_get_n_delivered (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), 0);

  return self->n_delivered;
}

gboolean
lb_thumbnail_loader_get_complete (LbThumbnailLoader *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (self), FALSE);

  return self->complete;
}

/* --- the object ---------------------------------------------------------- */

static void
lb_thumbnail_loader_dispose (GObject *object)
{
  LbThumbnailLoader *self = LB_THUMBNAIL_LOADER (object);
  GHashTableIter iter;
  Entry *entry;

  self->generation++;
  if (self->entries != NULL)
    {
      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
        cancel_entry (self, entry);
      g_clear_pointer (&self->entries, g_hash_table_unref);
    }
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_handle_id (&self->count_source, g_source_remove);
  self->counting = FALSE;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->textures);

  G_OBJECT_CLASS (lb_thumbnail_loader_parent_class)->dispose (object);
}

static void
lb_thumbnail_loader_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LbThumbnailLoader *self = LB_THUMBNAIL_LOADER (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      g_value_set_uint (value, self->size);
      break;
    case PROP_N_IMAGES:
      g_value_set_uint (value, self->n_images);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_WAITING:
      g_value_set_uint (value, self->n_waiting);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_loader_class_init (LbThumbnailLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_thumbnail_loader_dispose;
  object_class->get_property = lb_thumbnail_loader_get_property;

  properties[PROP_SIZE] =
    g_param_spec_uint ("size", NULL, NULL, 0, LB_THUMBNAIL_N_SIZES - 1, LB_THUMBNAIL_SIZE_LARGE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_IMAGES] =
    g_param_spec_uint ("n-images", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_WAITING] =
    g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_thumbnail_loader_init (LbThumbnailLoader *self)
{
  self->size = LB_THUMBNAIL_SIZE_LARGE;
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entry_free);
  self->touched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  g_queue_init (&self->detached);
}

LbThumbnailLoader *
lb_thumbnail_loader_new (LbThumbnailScheduler *scheduler,
                         LbTextureCache       *textures)
{
  LbThumbnailLoader *self;

  g_return_val_if_fail (LB_IS_THUMBNAIL_SCHEDULER (scheduler), NULL);
  g_return_val_if_fail (LB_IS_TEXTURE_CACHE (textures), NULL);

  self = g_object_new (LB_TYPE_THUMBNAIL_LOADER, NULL);
  self->scheduler = g_object_ref (scheduler);
  self->textures = g_object_ref (textures);

  return self;
}
