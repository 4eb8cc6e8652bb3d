/* lb-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-thumbnail"

#include "lb-thumbnail.h"
#include "lb-vips.h"

struct _LbThumbnail
{
  GObject            parent_instance;

  GFile             *file;
  LbThumbnailSize    size;
  LbThumbnailOrigin  origin;
  int                width;
  int                height;
  gboolean           has_alpha;
  GBytes            *pixels;
};

G_DEFINE_FINAL_TYPE (LbThumbnail, lb_thumbnail, G_TYPE_OBJECT)

G_DEFINE_QUARK (lb-thumbnail-error-quark, lb_thumbnail_error)

static void
lb_thumbnail_finalize (GObject *object)
{
  LbThumbnail *self = LB_THUMBNAIL (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->pixels, g_bytes_unref);

  G_OBJECT_CLASS (lb_thumbnail_parent_class)->finalize (object);
}

static void
lb_thumbnail_class_init (LbThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_thumbnail_finalize;
}

static void
lb_thumbnail_init (LbThumbnail *self)
{
}

LbThumbnail *
lb_thumbnail_new (GFile             *file,
                  LbThumbnailSize    size,
                  LbThumbnailOrigin  origin,
                  int                width,
                  int                height,
                  gboolean           has_alpha,
                  GBytes            *pixels)
{
  LbThumbnail *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (pixels == NULL ||
                        g_bytes_get_size (pixels) == (gsize) width * height * (has_alpha ? 4 : 3), NULL);

  self = g_object_new (LB_TYPE_THUMBNAIL, NULL);
  self->file = g_object_ref (file);
  self->size = size;
  self->origin = origin;
  self->width = width;
  self->height = height;
  self->has_alpha = has_alpha;
  self->pixels = pixels != NULL ? g_bytes_ref (pixels) : NULL;

  return self;
}

LbThumbnail *
lb_thumbnail_new_from_image (GFile             *file,
                             LbThumbnailSize    size,
                             LbThumbnailOrigin  origin,
                             VipsImage         *image,
                             gboolean           with_pixels,
                             GError           **error)
{
  g_autoptr(GBytes) pixels = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, NULL);
  g_return_val_if_fail (VIPS_IS_IMAGE (image), NULL);
  g_return_val_if_fail (!with_pixels || image->BandFmt == VIPS_FORMAT_UCHAR, NULL);
  g_return_val_if_fail (!with_pixels || image->Bands == 3 || image->Bands == 4, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (with_pixels)
    {
      gsize n_bytes = 0;
      void *data;

      /* Writes rows back to back, which is exactly the tight packing
       * GdkMemoryTexture takes. */
      data = vips_image_write_to_memory (image, &n_bytes);
      if (data == NULL)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }
      pixels = g_bytes_new_take (data, n_bytes);
    }

  return lb_thumbnail_new (file, size, origin, vips_image_get_width (image), vips_image_get_height (image),
                           vips_image_hasalpha (image), pixels);
}

GFile *
lb_thumbnail_get_file (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), NULL);

  return self->file;
}

LbThumbnailSize
lb_thumbnail_get_size (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), LB_THUMBNAIL_SIZE_NORMAL);

  return self->size;
}

LbThumbnailOrigin
lb_thumbnail_get_origin (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), LB_THUMBNAIL_ORIGIN_GENERATED);

  return self->origin;
}

int
lb_thumbnail_get_width (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), 0);

  return self->width;
}

int
lb_thumbnail_get_height (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), 0);

  return self->height;
}

GBytes *
lb_thumbnail_get_pixels (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), NULL);

  return self->pixels;
}

gsize
lb_thumbnail_get_stride (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), 0);

  return (gsize) self->width * (self->has_alpha ? 4 : 3);
}

gboolean
lb_thumbnail_get_has_alpha (LbThumbnail *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (self), FALSE);

  return self->has_alpha;
}
