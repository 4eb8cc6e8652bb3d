/* lb-image-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-image-source"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "lb-image-file.h"
#include "lb-image-source.h"
#include "lb-thumbnail.h"
#include "lb-thumbnail-render.h"
#include "lb-vips.h"

struct _LbImageSource
{
  GObject      parent_instance;

  GFile       *file;
  LbImageInfo *info;

  /* As stored, before orientation; of one frame. */
  int          stored_width;
  int          stored_height;
  int          orientation;
  int          n_frames;
  gboolean     needs_profile_transform;
};

G_DEFINE_FINAL_TYPE (LbImageSource, lb_image_source, G_TYPE_OBJECT)

typedef struct
{
  gboolean region;
  double   scale;
  int      x;
  int      y;
  int      width;
  int      height;
} RenderJob;

static void
lb_image_source_finalize (GObject *object)
{
  LbImageSource *self = LB_IMAGE_SOURCE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (lb_image_source_parent_class)->finalize (object);
}

static void
lb_image_source_class_init (LbImageSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_image_source_finalize;
}

static void
lb_image_source_init (LbImageSource *self)
{
}

static gboolean
lb_image_source_swaps_axes (LbImageSource *self)
{
  return self->orientation > 4;
}

static LbImageSource *
lb_image_source_open (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(LbImageSource) self = NULL;
  g_autoptr(VipsSource) source = NULL;
  g_autoptr(VipsImage) header = NULL;
  const char *loader = NULL;

  source = lb_image_file_open_source (file, cancellable, error);
  if (source == NULL)
    return NULL;

  header = lb_image_file_load_header (source, &loader, error);
  if (header == NULL)
    return NULL;

  self = g_object_new (LB_TYPE_IMAGE_SOURCE, NULL);
  self->file = g_object_ref (file);
  self->info = lb_image_info_new_from_header (header, loader);
  self->stored_width = vips_image_get_width (header);
  self->stored_height = vips_image_get_page_height (header);
  self->orientation = lb_image_info_get_orientation (self->info);
  self->needs_profile_transform = lb_vips_image_needs_profile_transform (header);
  self->n_frames = lb_image_info_get_is_animated (self->info)
                   ? lb_image_info_get_n_pages (self->info) : 1;

  /* Decompression bombs are refused before any pixel is decoded. */
  if ((guint64) self->stored_width * (guint64) self->stored_height > LB_IMAGE_SOURCE_MAX_PIXELS)
    {
      g_set_error (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE,
                   _("The image is too large (%d × %d pixels)"),
                   self->stored_width, self->stored_height);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  LbImageSource *self = lb_image_source_open (task_data, cancellable, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
lb_image_source_open_async (GFile               *file,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_image_source_open_async);
  /* GTask's thread pool takes jobs by priority: the image on screen
   * before the prefetched neighbours. */
  g_task_set_priority (task, io_priority);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, open_thread);
}

LbImageSource *
lb_image_source_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_image_source_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
lb_image_source_get_file (LbImageSource *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_SOURCE (self), NULL);

  return self->file;
}

LbImageInfo *
lb_image_source_get_info (LbImageSource *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_SOURCE (self), NULL);

  return self->info;
}

int
lb_image_source_get_width (LbImageSource *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_SOURCE (self), 0);

  return lb_image_source_swaps_axes (self) ? self->stored_height : self->stored_width;
}

int
lb_image_source_get_height (LbImageSource *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_SOURCE (self), 0);

  return lb_image_source_swaps_axes (self) ? self->stored_width : self->stored_height;
}

/* A lazy pipeline: the file shrunk on load to @width × @height as stored
 * (not yet rotated); nothing is decoded until it is computed. */
static VipsImage *
lb_image_source_load_scaled (LbImageSource  *self,
                             int             width,
                             int             height,
                             VipsSize        size,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(VipsSource) source = NULL;
  VipsImage *scaled = NULL;

  source = lb_image_file_open_source (self->file, cancellable, error);
  if (source == NULL)
    return NULL;

  /* Damaged files fail rather than come out half grey, as thumbnails
   * do. Only embedded profiles need a transform (see
   * lb_thumbnail_render()). */
  if (vips_thumbnail_source (source, &scaled, width,
                             "height", height,
                             "size", size,
                             "no_rotate", TRUE,
                             "option_string", self->n_frames > 1 ? "n=-1,fail_on=error"
                                                                 : "fail_on=error",
                             "export_profile", self->needs_profile_transform ? "srgb" : NULL,
                             NULL) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  return scaled;
}

static LbRendition *
lb_image_source_render_fit (LbImageSource  *self,
                            int             max_width,
                            int             max_height,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(VipsImage) scaled = NULL;
  g_autoptr(VipsImage) flat = NULL;
  g_autoptr(VipsImage) upright = NULL;
  gboolean swap = lb_image_source_swaps_axes (self);
  int box_width = swap ? max_height : max_width;
  int box_height = swap ? max_width : max_height;
  double scale;
  int *delays = NULL;
  int n_delays = 0;
  int n_frames;

  scale = MIN (1.0, MIN ((double) box_width / self->stored_width,
                         (double) box_height / self->stored_height));
  if (self->n_frames > 1)
    {
      double bytes = 4.0 * self->stored_width * self->stored_height * self->n_frames;

      scale = MIN (scale, sqrt (LB_IMAGE_SOURCE_ANIMATION_BUDGET / bytes));
    }

  scaled = lb_image_source_load_scaled (self,
                                        MAX (1, (int) round (self->stored_width * scale)),
                                        MAX (1, (int) round (self->stored_height * scale)),
                                        VIPS_SIZE_BOTH, cancellable, error);
  if (scaled == NULL)
    return NULL;

  /* Frames are stacked: rotating the strip would scramble them. */
  if (self->n_frames > 1)
    {
      if (vips_copy (scaled, &flat, NULL) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }
      vips_image_remove (flat, VIPS_META_ORIENTATION);
    }

  upright = lb_vips_compute_upright (flat != NULL ? flat : scaled, cancellable, error);
  if (upright == NULL)
    return NULL;

  n_frames = upright->Ysize / vips_image_get_page_height (upright);
  if (n_frames > 1 &&
      (vips_image_get_typeof (upright, "delay") == 0 ||
       vips_image_get_array_int (upright, "delay", &delays, &n_delays) != 0 ||
       n_delays != n_frames))
    delays = NULL;

  return lb_rendition_new (upright, n_frames, delays,
                           (double) upright->Xsize / lb_image_source_get_width (self),
                           0, 0, error);
}

/* Where the point @x, @y of the upright image lands in the stored one,
 * both @width × @height as stored: the inverse of each EXIF orientation. */
static void
unorient_point (int     orientation,
                int     width,
                int     height,
                int     x,
                int     y,
                int    *stored_x,
                int    *stored_y)
{
  switch (orientation)
    {
    case 2: *stored_x = width - x;  *stored_y = y;          break;
    case 3: *stored_x = width - x;  *stored_y = height - y; break;
    case 4: *stored_x = x;          *stored_y = height - y; break;
    case 5: *stored_x = y;          *stored_y = x;          break;
    case 6: *stored_x = y;          *stored_y = height - x; break;
    case 7: *stored_x = width - y;  *stored_y = height - x; break;
    case 8: *stored_x = width - y;  *stored_y = x;          break;
    default: *stored_x = x;         *stored_y = y;          break;
    }
}

/* Rows pulled through the pipeline per step. */
#define STRIP_HEIGHT 64

/* Computes @area of @image into memory, pulling strips from the top of the
 * image down. Asking libvips for the area at once would make a sequential
 * loader hold every row above it, hundreds of megabytes for a big image;
 * strip by strip, the rows above are decoded and dropped. */
static VipsImage *
read_area (VipsImage     *image,
           VipsRect      *area,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(VipsRegion) region = vips_region_new (image);
  g_autoptr(VipsImage) out = NULL;
  gsize row_size = VIPS_IMAGE_SIZEOF_PEL (image) * area->width;
  guint8 *pixels;

  out = vips_image_new_memory ();
  vips_image_init_fields (out, area->width, area->height, image->Bands, image->BandFmt,
                          VIPS_CODING_NONE, image->Type, image->Xres, image->Yres);
  if (vips_image_write_prepare (out) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }
  pixels = VIPS_IMAGE_ADDR (out, 0, 0);

  for (int top = 0; top < area->top + area->height; top += STRIP_HEIGHT)
    {
      VipsRect strip = { area->left, top, area->width,
                         MIN (STRIP_HEIGHT, area->top + area->height - top) };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (vips_region_prepare (region, &strip) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }

      for (int y = MAX (top, area->top); y < strip.top + strip.height; y++)
        memcpy (pixels + (gsize) (y - area->top) * row_size,
                VIPS_REGION_ADDR (region, area->left, y), row_size);
    }

  return g_steal_pointer (&out);
}

static LbRendition *
lb_image_source_render_region (LbImageSource  *self,
                               const RenderJob *job,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(VipsImage) scaled = NULL;
  g_autoptr(VipsImage) srgb = NULL;
  g_autoptr(VipsImage) stored = NULL;
  g_autoptr(VipsImage) upright = NULL;
  gboolean swap = lb_image_source_swaps_axes (self);
  VipsRect area;
  int width = MAX (1, (int) round (self->stored_width * job->scale));
  int height = MAX (1, (int) round (self->stored_height * job->scale));
  int upright_width = swap ? height : width;
  int upright_height = swap ? width : height;
  int x0 = CLAMP (job->x, 0, upright_width);
  int y0 = CLAMP (job->y, 0, upright_height);
  int x1 = CLAMP (job->x + job->width, 0, upright_width);
  int y1 = CLAMP (job->y + job->height, 0, upright_height);
  int ax, ay, bx, by;

  if (x1 <= x0 || y1 <= y0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The region is outside the image"));
      return NULL;
    }

  unorient_point (self->orientation, width, height, x0, y0, &ax, &ay);
  unorient_point (self->orientation, width, height, x1, y1, &bx, &by);

  /* The exact size asked for: regions of one scale must tile. */
  scaled = lb_image_source_load_scaled (self, width, height, VIPS_SIZE_FORCE,
                                        cancellable, error);
  if (scaled == NULL)
    return NULL;

  srgb = lb_vips_image_to_srgb (scaled, error);
  if (srgb == NULL)
    return NULL;

  area.left = MIN (ax, bx);
  area.top = MIN (ay, by);
  area.width = ABS (bx - ax);
  area.height = ABS (by - ay);
  stored = read_area (srgb, &area, cancellable, error);
  if (stored == NULL)
    return NULL;
  vips_image_set_int (stored, VIPS_META_ORIENTATION, self->orientation);

  upright = lb_vips_compute_upright (stored, cancellable, error);
  if (upright == NULL)
    return NULL;

  return lb_rendition_new (upright, 1, NULL, job->scale, x0, y0, error);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LbImageSource *self = source_object;
  RenderJob *job = task_data;
  GError *error = NULL;
  LbRendition *rendition;

  if (job->region)
    rendition = lb_image_source_render_region (self, job, cancellable, &error);
  else
    rendition = lb_image_source_render_fit (self, job->width, job->height,
                                            cancellable, &error);

  if (rendition == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rendition, g_object_unref);
}

static void
lb_image_source_start_render (LbImageSource       *self,
                              RenderJob           *job,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lb_image_source_render_async);
  g_task_set_priority (task, io_priority);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, render_thread);
}

void
lb_image_source_render_async (LbImageSource       *self,
                              int                  max_width,
                              int                  max_height,
                              int                  io_priority,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RenderJob *job;

  g_return_if_fail (LB_IS_IMAGE_SOURCE (self));
  g_return_if_fail (max_width > 0 && max_height > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (RenderJob, 1);
  job->width = max_width;
  job->height = max_height;
  lb_image_source_start_render (self, job, io_priority, cancellable, callback, user_data);
}

void
lb_image_source_render_region_async (LbImageSource       *self,
                                     double               scale,
                                     int                  x,
                                     int                  y,
                                     int                  width,
                                     int                  height,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  RenderJob *job;

  g_return_if_fail (LB_IS_IMAGE_SOURCE (self));
  g_return_if_fail (scale > 0 && scale <= 1);
  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (RenderJob, 1);
  job->region = TRUE;
  job->scale = scale;
  job->x = x;
  job->y = y;
  job->width = width;
  job->height = height;
  lb_image_source_start_render (self, job, io_priority, cancellable, callback, user_data);
}

LbRendition *
lb_image_source_render_finish (LbImageSource  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (LB_IS_IMAGE_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_image_source_render_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
