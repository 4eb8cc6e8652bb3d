/* lb-texture-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-texture-cache"

#include "lb-texture-cache.h"

typedef struct {
  GFile           *file;
  gint64           modified;
  LbThumbnailSize  size;
  GdkTexture      *texture;
  gsize            bytes;
  GList            link;     /* in lru, most recent first */
} Entry;

struct _LbTextureCache
{
  GObject     parent_instance;

  gsize       max_bytes;
  gsize       bytes;
  GHashTable *entries;  /* GFile → Entry */
  GQueue      lru;
};

G_DEFINE_FINAL_TYPE (LbTextureCache, lb_texture_cache, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_object_unref (entry->file);
  g_object_unref (entry->texture);
  g_free (entry);
}

static void
lb_texture_cache_remove (LbTextureCache *self,
                         Entry          *entry)
{
  g_queue_unlink (&self->lru, &entry->link);
  self->bytes -= entry->bytes;
  g_hash_table_remove (self->entries, entry->file);
}

static void
lb_texture_cache_finalize (GObject *object)
{
  LbTextureCache *self = LB_TEXTURE_CACHE (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (lb_texture_cache_parent_class)->finalize (object);
}

static void
lb_texture_cache_class_init (LbTextureCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_texture_cache_finalize;
}

static void
lb_texture_cache_init (LbTextureCache *self)
{
  self->entries = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal,
                                         NULL, (GDestroyNotify) entry_free);
  g_queue_init (&self->lru);
}

LbTextureCache *
lb_texture_cache_new (gsize max_bytes)
{
  LbTextureCache *self = g_object_new (LB_TYPE_TEXTURE_CACHE, NULL);

  self->max_bytes = max_bytes;

  return self;
}

void
lb_texture_cache_insert (LbTextureCache  *self,
                         GFile           *file,
                         gint64           modified,
                         LbThumbnailSize  size,
                         GdkTexture      *texture)
{
  Entry *entry;

  g_return_if_fail (LB_IS_TEXTURE_CACHE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  entry = g_hash_table_lookup (self->entries, file);
  if (entry != NULL)
    lb_texture_cache_remove (self, entry);

  entry = g_new0 (Entry, 1);
  entry->file = g_object_ref (file);
  entry->modified = modified;
  entry->size = size;
  entry->texture = g_object_ref (texture);
  /* What the pixels take in memory; what cells show also lives on the GPU. */
  entry->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  entry->link.data = entry;
  g_hash_table_insert (self->entries, entry->file, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  self->bytes += entry->bytes;

  /* Cells showing an evicted texture keep it until they are reused. */
  while (self->bytes > self->max_bytes && self->lru.length > 1)
    lb_texture_cache_remove (self, g_queue_peek_tail (&self->lru));
}

GdkTexture *
lb_texture_cache_lookup (LbTextureCache  *self,
                         GFile           *file,
                         gint64          *modified,
                         LbThumbnailSize *size)
{
  Entry *entry;

  g_return_val_if_fail (LB_IS_TEXTURE_CACHE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  entry = g_hash_table_lookup (self->entries, file);
  if (entry == NULL)
    return NULL;

  g_queue_unlink (&self->lru, &entry->link);
  g_queue_push_head_link (&self->lru, &entry->link);

  if (modified != NULL)
    *modified = entry->modified;
  if (size != NULL)
    *size = entry->size;

  return entry->texture;
}

gsize
lb_texture_cache_get_bytes (LbTextureCache *self)
{
  g_return_val_if_fail (LB_IS_TEXTURE_CACHE (self), 0);

  return self->bytes;
}

gsize
lb_texture_cache_get_max_bytes (LbTextureCache *self)
{
  g_return_val_if_fail (LB_IS_TEXTURE_CACHE (self), 0);

  return self->max_bytes;
}
