/* lb-rendition.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-rendition"

#include "lb-rendition.h"
#include "lb-thumbnail.h"
#include "lb-vips.h"

struct _LbRendition
{
  GObject   parent_instance;

  int       x;
  int       y;
  int       width;
  int       height;
  double    scale;
  int       n_frames;
  int      *delays;
  gboolean  has_alpha;
  GBytes   *pixels;
};

G_DEFINE_FINAL_TYPE (LbRendition, lb_rendition, G_TYPE_OBJECT)

static void
lb_rendition_finalize (GObject *object)
{
  LbRendition *self = LB_RENDITION (object);

  g_clear_pointer (&self->delays, g_free);
  g_clear_pointer (&self->pixels, g_bytes_unref);

  G_OBJECT_CLASS (lb_rendition_parent_class)->finalize (object);
}

static void
lb_rendition_class_init (LbRenditionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_rendition_finalize;
}

static void
lb_rendition_init (LbRendition *self)
{
}

LbRendition *
lb_rendition_new (VipsImage  *image,
                  int         n_frames,
                  const int  *delays,
                  double      scale,
                  int         x,
                  int         y,
                  GError    **error)
{
  g_autoptr(LbRendition) self = NULL;
  gsize n_bytes = 0;
  void *pixels;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), NULL);
  g_return_val_if_fail (image->BandFmt == VIPS_FORMAT_UCHAR, NULL);
  g_return_val_if_fail (image->Bands == 3 || image->Bands == 4, NULL);
  g_return_val_if_fail (n_frames > 0 && image->Ysize % n_frames == 0, NULL);
  g_return_val_if_fail (scale > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Writes rows back to back, which is the packing textures take. */
  pixels = vips_image_write_to_memory (image, &n_bytes);
  if (pixels == NULL)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  self = g_object_new (LB_TYPE_RENDITION, NULL);
  self->pixels = g_bytes_new_take (pixels, n_bytes);
  self->x = x;
  self->y = y;
  self->width = image->Xsize;
  self->height = image->Ysize / n_frames;
  self->scale = scale;
  self->n_frames = n_frames;
  self->has_alpha = image->Bands == 4;
  if (delays != NULL)
    self->delays = g_memdup2 (delays, sizeof (int) * n_frames);

  return g_steal_pointer (&self);
}

int
lb_rendition_get_x (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 0);

  return self->x;
}

int
lb_rendition_get_y (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 0);

  return self->y;
}

int
lb_rendition_get_width (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 0);

  return self->width;
}

int
lb_rendition_get_height (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 0);

  return self->height;
}

double
lb_rendition_get_scale (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 1);

  return self->scale;
}

int
lb_rendition_get_n_frames (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 1);

  return self->n_frames;
}

int
lb_rendition_get_frame_delay (LbRendition *self,
                              int          frame)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 0);
  g_return_val_if_fail (frame >= 0 && frame < self->n_frames, 0);

  return self->delays != NULL ? self->delays[frame] : 0;
}

GBytes *
lb_rendition_dup_frame_pixels (LbRendition *self,
                               int          frame)
{
  gsize frame_size;

  g_return_val_if_fail (LB_IS_RENDITION (self), NULL);
  g_return_val_if_fail (frame >= 0 && frame < self->n_frames, NULL);

  if (self->n_frames == 1)
    return g_bytes_ref (self->pixels);

  frame_size = lb_rendition_get_stride (self) * self->height;

  return g_bytes_new_from_bytes (self->pixels, frame * frame_size, frame_size);
}

gsize
lb_rendition_get_stride (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), 0);

  return (gsize) self->width * (self->has_alpha ? 4 : 3);
}

gboolean
lb_rendition_get_has_alpha (LbRendition *self)
{
  g_return_val_if_fail (LB_IS_RENDITION (self), FALSE);

  return self->has_alpha;
}
