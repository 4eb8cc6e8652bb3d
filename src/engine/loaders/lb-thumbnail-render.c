/* lb-thumbnail-render.c
 *
 * The decode of one image into a thumbnail: the allowed loader, shrink
 * on load (libjpeg's DCT scaling, a premultiplied row shrink for RGBA
 * PNGs), a memory budget for the formats that decode whole frames, and
 * the result upright in 8-bit sRGB. Blocks; the scheduler calls it on
 * its decode threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-render"

#include <glib/gi18n.h>

#include "lb-jpeg-dc-stream.h"
#include "lb-premultiplied-shrink.h"
#include "lb-thumbnail-render.h"
#include "lb-vips.h"

/* What decoding the first frame of @header costs in memory beyond the
 * thumbnail, in bytes, for loaders that decode whole frames at once; 0
 * for those that stream rows or shrink on load (baseline JPEG, plain
 * PNG, TIFF strips and tiles, still WebP, JPEG 2000, SVG, PDF). The
 * factors are peak resident sizes measured with libvips 8.14 on Debian
 * 12, rounded up: libheif and libjxl keep planes and an interleaved
 * copy, libnsgif a 32-bit frame and libvips a copy of it, libjpeg a
 * 16-bit coefficient per sample of a progressive scan, libpng the whole
 * of an interlaced image. */
static guint64
estimate_frame_bytes (const char *loader,
                      VipsImage  *header,
                      guint64     pixels)
{
  guint64 sample_bytes = (guint64) header->Bands * vips_format_sizeof (header->BandFmt);
  int interlaced = 0;

  if (vips_image_get_typeof (header, "interlaced") != 0)
    vips_image_get_int (header, "interlaced", &interlaced);

  if (g_str_equal (loader, "heifload_buffer") || g_str_equal (loader, "jxlload_buffer"))
    return pixels * 10;
  if (g_str_equal (loader, "gifload_buffer"))
    return pixels * 8;
  if (g_str_equal (loader, "webpload_buffer") && vips_image_get_n_pages (header) > 1)
    return pixels * 8;
  if (g_str_equal (loader, "jpegload_buffer") && interlaced)
    return pixels * header->Bands * 2;
  if (g_str_equal (loader, "pngload_buffer") && interlaced)
    return pixels * sample_bytes * 3;

  return 0;
}

/* Whole-frame decodes share a quarter of the budget: beyond it they take
 * turns, so that two big ones never add up (progressive JPEGs of
 * wallpapers need 50–110 MB each); one bigger than the share runs alone.
 * With the default limit: one whole-frame decode of up to 512 MiB, or
 * several that fit in 128 MiB together, and any number of streaming ones. */
static GMutex frame_memory_lock;
static GCond frame_memory_freed;
static guint64 frame_memory_in_use;

static void
frame_memory_acquire (guint64 bytes,
                      guint64 share)
{
  g_mutex_lock (&frame_memory_lock);
  while (frame_memory_in_use > 0 && frame_memory_in_use + bytes > share)
    g_cond_wait (&frame_memory_freed, &frame_memory_lock);
  frame_memory_in_use += bytes;
  g_mutex_unlock (&frame_memory_lock);
}

static void
frame_memory_release (guint64 bytes)
{
  g_mutex_lock (&frame_memory_lock);
  frame_memory_in_use -= bytes;
  g_cond_broadcast (&frame_memory_freed);
  g_mutex_unlock (&frame_memory_lock);
}

/* vips_thumbnail() premultiplies an image with alpha into float at full
 * size before it shrinks it, which for an RGBA PNG costs more than the
 * decode itself. Shrinking the 8-bit rows of @image (the sequential
 * header load, not yet decoded) as they are decoded, weighted
 * by alpha, comes to the same thumbnail for a fraction of that; libvips
 * then does the rest as vips_thumbnail() would. Returns NULL, without
 * setting @error, where that shrink would not help (less than 2×) or
 * would hold more than PREMULTIPLIED_SHRINK_MAX_BYTES. */
#define PREMULTIPLIED_SHRINK_MAX_BYTES (32 * 1024 * 1024)

static VipsImage *
thumbnail_rgba_png (VipsImage     *image,
                    guint          box,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(VipsImage) shrunk = NULL;
  g_autoptr(VipsImage) resized = NULL;
  g_autoptr(VipsImage) unpremultiplied = NULL;
  VipsImage *out;
  int width = image->Xsize;
  int height = image->Ysize;
  double shrink = MAX ((double) width / box, (double) height / box);
  int target_width = MAX (1, (int) rint (width / shrink));
  int target_height = MAX (1, (int) rint (height / shrink));
  /* libvips' reduce shrinks by whole blocks down to between 2 and 4
   * times the target size first ("gap" 2), then resamples the rest. */
  int xshrink = MAX (1, (int) floor ((double) width / target_width / 2));
  int yshrink = MAX (1, (int) floor ((double) height / target_height / 2));
  guint64 shrunk_bytes = (guint64) ((width + xshrink - 1) / xshrink) *
                         (guint64) ((height + yshrink - 1) / yshrink) * 4 * sizeof (float);

  if ((xshrink == 1 && yshrink == 1) || shrunk_bytes > PREMULTIPLIED_SHRINK_MAX_BYTES)
    return NULL;

  shrunk = lb_vips_shrink_premultiplied (image, xshrink, yshrink, cancellable, error);
  if (shrunk == NULL)
    return NULL;

  /* Scaled to the size vips_thumbnail() gives, whatever the partial
   * blocks at the edges added. */
  if (vips_resize (shrunk, &resized, (double) target_width / shrunk->Xsize,
                   "vscale", (double) target_height / shrunk->Ysize,
                   NULL) != 0 ||
      vips_unpremultiply (resized, &unpremultiplied, NULL) != 0 ||
      vips_cast_uchar (unpremultiplied, &out, NULL) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  return out;
}

/* libvips has libjpeg shrink a JPEG as it decodes only down to twice the
 * thumbnail's size, and resamples the rest for quality. Like gdk-pixbuf,
 * Lightbox has libjpeg shrink it as far as it can (1/2, 1/4 or 1/8)
 * without going below that size: a twentieth less work for the JPEGs of
 * the corpus, whose thumbnails then differ by half a level on average.
 * At 1/8, libjpeg reads only the DC coefficients of full-resolution
 * components, so a progressive JPEG is decoded without their other
 * scans: the same pixels, in half the time for a big wallpaper. */
static VipsImage *
thumbnail_jpeg (const void  *buf,
                gsize        len,
                int          width,
                int          height,
                guint        box,
                gboolean     needs_transform,
                GError     **error)
{
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GBytes) dc_stream = NULL;
  VipsImage *out;
  const void *jpeg = buf;
  gsize jpeg_len = len;
  double shrink = MAX ((double) width / box, (double) height / box);
  int load_shrink = 1;

  while (load_shrink < 8 && load_shrink * 2 <= shrink)
    load_shrink *= 2;

  if (load_shrink == 8)
    dc_stream = lb_jpeg_dc_stream_new (buf, len);
  if (dc_stream != NULL)
    jpeg = g_bytes_get_data (dc_stream, &jpeg_len);

  if (vips_jpegload_buffer ((void *) jpeg, jpeg_len, &image,
                            "shrink", load_shrink,
                            "access", VIPS_ACCESS_SEQUENTIAL,
                            "fail_on", VIPS_FAIL_ON_ERROR,
                            NULL) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  /* libvips reads the stream as the pipeline is computed, later. */
  if (dc_stream != NULL)
    g_object_set_data_full (G_OBJECT (image), "lb-jpeg-dc-stream",
                            g_steal_pointer (&dc_stream), (GDestroyNotify) g_bytes_unref);

  if (vips_thumbnail_image (image, &out, box,
                            "height", box,
                            "no_rotate", TRUE,
                            "export_profile", needs_transform ? "srgb" : NULL,
                            NULL) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  return out;
}

VipsImage *
lb_thumbnail_render (GBytes        *data,
                     guint          pixels,
                     guint64        max_pixels,
                     int           *image_width,
                     int           *image_height,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(VipsImage) header = NULL;
  g_autoptr(VipsImage) thumbnail = NULL;
  g_autoptr(GError) local_error = NULL;
  VipsImage *out;
  const char *loader;
  const void *buf;
  gsize len;
  int width;
  int height;
  guint box;
  guint64 frame_bytes;
  guint64 budget;
  gboolean swap;
  gboolean needs_transform;
  gboolean rgba_png;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (pixels > 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  buf = g_bytes_get_data (data, &len);
  if (len == 0)
    {
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED,
                           _("The file is empty"));
      return NULL;
    }

  /* Sniff the content: file names and extensions lie. */
  loader = lb_vips_find_loader_buffer (buf, len);
  if (loader == NULL)
    {
      vips_error_clear ();
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED,
                           _("Unknown or unsupported image format"));
      return NULL;
    }

  /* The header alone tells how big the image claims to be; refuse
   * decompression bombs before a single pixel is decoded. */
  header = vips_image_new_from_buffer (buf, len, "",
                                       "access", VIPS_ACCESS_SEQUENTIAL,
                                       "fail_on", VIPS_FAIL_ON_ERROR,
                                       NULL);
  if (header == NULL)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  /* Only the first page or frame is ever decoded. Formats that decode
   * it whole get a memory budget of two bytes per allowed pixel. */
  width = vips_image_get_width (header);
  height = vips_image_get_page_height (header);
  frame_bytes = estimate_frame_bytes (loader, header, (guint64) width * (guint64) height);
  budget = max_pixels > G_MAXUINT64 / 2 ? G_MAXUINT64 : max_pixels * 2;
  if ((guint64) width * (guint64) height > max_pixels || frame_bytes > budget)
    {
      g_set_error (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE,
                   _("The image is too large (%d × %d pixels)"), width, height);
      return NULL;
    }
  swap = vips_image_get_orientation_swap (header);
  needs_transform = lb_vips_image_needs_profile_transform (header);
  rgba_png = g_str_equal (loader, "pngload_buffer") && header->Bands == 4 &&
             header->BandFmt == VIPS_FORMAT_UCHAR && !needs_transform;

  /* VIPS_SIZE_DOWN would say "never upscale", but libvips 8.14 then picks
   * the smallest level of TIFF and JPEG 2000 pyramids; a box no bigger
   * than the image itself does the same without that bug. */
  box = MIN (pixels, (guint) MAX (width, height));

  /* In 8.14 the buffer variant only hands the option string, not
   * "fail_on", to the loader. Truncated and damaged files must fail
   * rather than come out half grey, so they land in the failure cache.
   * Only embedded profiles other than sRGB need a transform: images
   * without one are already taken as sRGB, and CMYK ones use libvips'
   * built-in profile. */
  if (frame_bytes > 0)
    frame_memory_acquire (frame_bytes, budget / 4);

  if (rgba_png)
    thumbnail = thumbnail_rgba_png (header, box, cancellable, &local_error);
  else if (g_str_equal (loader, "jpegload_buffer"))
    thumbnail = thumbnail_jpeg (buf, len, width, height, box, needs_transform, &local_error);
  g_clear_object (&header);

  if (thumbnail == NULL && local_error == NULL &&
      vips_thumbnail_buffer ((void *) buf, len, &thumbnail, box,
                             "height", box,
                             "no_rotate", TRUE,
                             "option_string", "fail_on=error",
                             "export_profile", needs_transform ? "srgb" : NULL,
                             NULL) != 0)
    lb_vips_set_error (&local_error, LB_THUMBNAIL_ERROR_CORRUPT);

  out = thumbnail != NULL ? lb_vips_compute_upright (thumbnail, cancellable, &local_error) : NULL;

  /* The frame is freed with the pipeline, not with the result. */
  g_clear_object (&thumbnail);
  if (frame_bytes > 0)
    frame_memory_release (frame_bytes);

  if (out == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (image_width != NULL)
    *image_width = swap ? height : width;
  if (image_height != NULL)
    *image_height = swap ? width : height;

  return out;
}
