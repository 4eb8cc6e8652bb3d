/* lb-thumbnail-render.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <lcms2.h>
#include <png.h>
#include <zlib.h>

#include "lb-jpeg-dc-stream.h"
#include "lb-premultiplied-shrink.h"
#include "lb-thumbnail-render.h"

/* Loaders an image folder never needs. Each is a parser of formats that
 * are rare on desktops, some of them large attack surfaces (ImageMagick)
 * or able to read other files (raw, vips, OpenSlide). SVG, PDF, JPEG XL,
 * HEIF and JPEG 2000 stay although libvips calls them "untrusted": they
 * are ordinary picture formats. Netpbm is blocked too: we always decode
 * from memory and 8.14 has no ppmload_buffer, so allowing it would only
 * make the supported formats depend on the libvips version. */
static const char * const blocked_loaders[] = {
  "VipsForeignLoadMagick",
  "VipsForeignLoadCsv",
  "VipsForeignLoadMatrix",
  "VipsForeignLoadRaw",
  "VipsForeignLoadVips",
  "VipsForeignLoadFits",
  "VipsForeignLoadMat",
  "VipsForeignLoadOpenslide",
  "VipsForeignLoadAnalyze",
  "VipsForeignLoadRad",
  "VipsForeignLoadOpenexr",
  "VipsForeignLoadPpm",
};

/* libpng's defaults (zlib level 6, every row filter tried on every
 * row) are slow for no visible gain on images this small; the cache is
 * written far more often than it is read. The Sub filter leaves runs
 * that zlib's run-length strategy packs without searching for matches:
 * an eighth of the default's time for files 14 % bigger (the corpus'
 * thumbnails at 256 px). */
#define PNG_COMPRESSION_LEVEL    2
#define PNG_ROW_FILTER           PNG_FILTER_SUB
#define PNG_COMPRESSION_STRATEGY Z_RLE

/* sRGB's primaries as ICC profiles store them (adapted to D50), and how
 * far a profile's may stray, or its tone curves from sRGB's (in linear
 * light, where errors near black weigh most), for its pixels to be sRGB:
 * less than one step of an 8-bit channel. The sRGB profiles met in real
 * photos (HP's IEC61966-2.1, GIMP's built-in, Elle Stone's) all pass. */
static const cmsCIEXYZ srgb_colorants[3] = {
  { 0.4361, 0.2225, 0.0139 },
  { 0.3851, 0.7169, 0.0971 },
  { 0.1431, 0.0606, 0.7141 },
};
#define SRGB_COLORANT_TOLERANCE 0.001
#define SRGB_CURVE_TOLERANCE    0.0002
#define SRGB_CURVE_SAMPLES      64

/* libvips warns about every oddity of every file (unknown EXIF units,
 * extra bytes after the image…); a thumbnailer of other people's files
 * meets them all the time, and failures are reported as errors anyway. */
static void
log_vips_warning (const char     *log_domain,
                  GLogLevelFlags  log_level,
                  const char     *message,
                  gpointer        user_data)
{
  g_debug ("%s: %s", log_domain, message);
}

void
lb_vips_init (const char *argv0)
{
  static gsize initialized = 0;

  if (!g_once_init_enter (&initialized))
    return;

  if (VIPS_INIT (argv0 != NULL ? argv0 : "lightbox") != 0)
    g_warning ("Could not start libvips: %s", vips_error_buffer ());

  g_log_set_handler ("VIPS", G_LOG_LEVEL_WARNING, log_vips_warning, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (blocked_loaders); i++)
    vips_operation_block_set (blocked_loaders[i], TRUE);

  /* External resources: librsvg only resolves references relative to
   * a base file and never uses the network; svgload_buffer gives it
   * none, so every href other than data: fails. Poppler renders PDFs
   * without fetching anything either. */

  /* Our thread pool already runs one decode per core, and every image
   * is decoded once, so libvips' threads and operation cache would only
   * compete for the same cores and memory. */
  vips_concurrency_set (1);
  vips_cache_set_max (0);

  lb_vips_tune_heap ();

  g_once_init_leave (&initialized, 1);
}

void
lb_vips_tune_heap (void)
{
  /* Every decode allocates and frees buffers of a few to a few tens of
   * MB (a progressive JPEG's coefficients) from several threads. In one
   * heap per thread, glibc's default, fragmentation grows the process by
   * a third. In one shared heap, the buffers of a decode that ends serve
   * the next, where memory mapped afresh for each one (glibc's default
   * for big blocks) costs a page fault per 4 KiB: a tenth of the
   * engine's time. The scheduler gives the heap's free memory back once
   * a burst of work is over. */
  mallopt (M_ARENA_MAX, 1);
  mallopt (M_MMAP_THRESHOLD, 64 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 128 * 1024 * 1024);
}

void
lb_vips_set_error (GError           **error,
                   LbThumbnailError   code)
{
  g_autofree char *message = vips_error_buffer_copy ();

  g_strstrip (message);

  /* Another thread may have taken the message from the shared buffer. */
  if (message[0] == '\0')
    g_set_error_literal (error, LB_THUMBNAIL_ERROR, code,
                         _("The image could not be decoded"));
  else
    g_set_error_literal (error, LB_THUMBNAIL_ERROR, code, message);
}

VipsImage *
lb_vips_image_to_srgb (VipsImage  *image,
                       GError    **error)
{
  g_autoptr(VipsImage) srgb = NULL;
  g_autoptr(VipsImage) cast = NULL;
  VipsImage *in = image;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Grey gains three bands, 16-bit drops to 8, alpha stays last. */
  if (vips_image_guess_interpretation (in) != VIPS_INTERPRETATION_sRGB)
    {
      if (vips_colourspace (in, &srgb, VIPS_INTERPRETATION_sRGB, NULL) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }
      in = srgb;
    }

  if (in->BandFmt != VIPS_FORMAT_UCHAR)
    {
      if (vips_cast_uchar (in, &cast, NULL) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }
      in = cast;
    }

  if (in->Bands != 3 && in->Bands != 4)
    {
      g_set_error (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED,
                   g_dngettext (GETTEXT_PACKAGE, "Images with %d channel are not supported",
                                "Images with %d channels are not supported", in->Bands),
                   in->Bands);
      return NULL;
    }

  return g_object_ref (in);
}

VipsImage *
lb_thumbnail_image_to_srgb (VipsImage  *image,
                            GError    **error)
{
  g_autoptr(VipsImage) srgb = NULL;
  VipsImage *out;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  srgb = lb_vips_image_to_srgb (image, error);
  if (srgb == NULL)
    return NULL;

  out = vips_image_copy_memory (srgb);
  if (out == NULL)
    lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);

  return out;
}

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

/* The loaders a file may meet, in libvips' order of priority, each as
 * a NAME_buffer and a NAME_source operation. Sniffing asks only these:
 * vips_foreign_find_load_buffer() and _source() ask every loader,
 * blocked ones included, and for bytes nobody else claims that means
 * ImageMagick's detector, the very code the block list keeps away. */
static const char * const allowed_loaders[] = {
  "pngload",
  "webpload",
  "jpegload",
  "gifload",
  "tiffload",
  "heifload",
  "jxlload",
  "jp2kload",
  "pdfload",
  "svgload",
};

/* "pngload" and "buffer" make "pngload_buffer", for good. */
static const char *
allowed_loader_name (gsize       i,
                     const char *kind)
{
  g_autofree char *name = g_strconcat (allowed_loaders[i], "_", kind, NULL);

  if (vips_type_find ("VipsOperation", name) == 0)
    return NULL;

  return g_intern_string (name);
}

/* The nickname of the allowed loader for @buf, or NULL. */
static const char *
find_allowed_loader (const void *buf,
                     gsize       len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (allowed_loaders); i++)
    {
      const char *loader = allowed_loader_name (i, "buffer");

      if (loader != NULL && vips_foreign_is_a_buffer (loader, buf, len))
        return loader;
    }

  return NULL;
}

const char *
lb_vips_find_loader_source (VipsSource *source)
{
  g_return_val_if_fail (VIPS_IS_SOURCE (source), NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (allowed_loaders); i++)
    {
      const char *loader = allowed_loader_name (i, "source");

      if (loader != NULL && vips_foreign_is_a_source (loader, source))
        return loader;
    }

  return NULL;
}

/* Runs on the thread that computes @image, once per finished tile. */
static void
on_eval (VipsImage    *image,
         VipsProgress *progress,
         GCancellable *cancellable)
{
  if (g_cancellable_is_cancelled (cancellable))
    vips_image_set_kill (image, TRUE);
}

VipsImage *
lb_vips_compute_upright (VipsImage     *thumbnail,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(VipsImage) srgb = NULL;
  g_autoptr(VipsImage) upright = NULL;
  gulong handler = 0;

  g_return_val_if_fail (VIPS_IS_IMAGE (thumbnail), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Nothing has been decoded yet: libvips computes the whole pipeline,
   * from the loader on, while it copies the result into memory. */
  if (cancellable != NULL)
    {
      vips_image_set_progress (thumbnail, TRUE);
      handler = g_signal_connect (thumbnail, "eval",
                                  G_CALLBACK (on_eval), cancellable);
    }

  srgb = lb_thumbnail_image_to_srgb (thumbnail, error);

  g_clear_signal_handler (&handler, thumbnail);

  if (srgb == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }

  /* Rotating here rather than in vips_thumbnail() keeps the decode lazy
   * (and so cancellable): libvips would copy to memory to rotate. */
  if (vips_image_get_orientation (srgb) == 1)
    return g_steal_pointer (&srgb);

  if (vips_autorot (srgb, &upright, NULL) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  return lb_thumbnail_image_to_srgb (upright, error);
}

static double
srgb_to_linear (double value)
{
  return value <= 0.04045 ? value / 12.92 : pow ((value + 0.055) / 1.055, 2.4);
}

static gboolean
profile_is_srgb (cmsHPROFILE profile)
{
  static const cmsTagSignature colorant_tags[3] = {
    cmsSigRedColorantTag, cmsSigGreenColorantTag, cmsSigBlueColorantTag,
  };
  static const cmsTagSignature curve_tags[3] = {
    cmsSigRedTRCTag, cmsSigGreenTRCTag, cmsSigBlueTRCTag,
  };

  /* lcms2 prefers lookup tables to the matrix and curves when both are
   * there, so only a plain matrix-shaper profile can be judged by them. */
  if (cmsGetColorSpace (profile) != cmsSigRgbData ||
      !cmsIsMatrixShaper (profile) ||
      cmsIsCLUT (profile, INTENT_RELATIVE_COLORIMETRIC, LCMS_USED_AS_INPUT))
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (colorant_tags); i++)
    {
      const cmsCIEXYZ *colorant = cmsReadTag (profile, colorant_tags[i]);
      const cmsToneCurve *curve = cmsReadTag (profile, curve_tags[i]);

      if (colorant == NULL || curve == NULL ||
          fabs (colorant->X - srgb_colorants[i].X) > SRGB_COLORANT_TOLERANCE ||
          fabs (colorant->Y - srgb_colorants[i].Y) > SRGB_COLORANT_TOLERANCE ||
          fabs (colorant->Z - srgb_colorants[i].Z) > SRGB_COLORANT_TOLERANCE)
        return FALSE;

      for (int j = 0; j <= SRGB_CURVE_SAMPLES; j++)
        {
          double value = (double) j / SRGB_CURVE_SAMPLES;

          if (fabs (cmsEvalToneCurveFloat (curve, value) - srgb_to_linear (value)) >
              SRGB_CURVE_TOLERANCE)
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
lb_vips_image_needs_profile_transform (VipsImage *image)
{
  const void *data;
  size_t len;
  cmsHPROFILE profile;
  gboolean srgb;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), FALSE);

  if (vips_image_get_typeof (image, VIPS_META_ICC_NAME) == 0 ||
      vips_image_get_blob (image, VIPS_META_ICC_NAME, &data, &len) != 0)
    return FALSE;

  /* Unreadable profiles go to libvips, which knows what to do with them. */
  profile = cmsOpenProfileFromMem (data, len);
  if (profile == NULL)
    return TRUE;

  srgb = profile_is_srgb (profile);
  cmsCloseProfile (profile);

  return !srgb;
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
  loader = find_allowed_loader (buf, len);
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

/* What libpng's callbacks need: where to write, and how it went. */
typedef struct {
  FILE    *fp;
  int      write_errno;  /* of the failed write, 0 if none */
  GError **error;
} PngWriter;

static void
on_png_error (png_structp      png,
              png_const_charp  message)
{
  PngWriter *writer = png_get_error_ptr (png);

  /* A full disk or a quota says so, rather than "Write Error". */
  if (writer->write_errno != 0)
    g_set_error (writer->error, G_IO_ERROR, g_io_error_from_errno (writer->write_errno),
                 _("Could not write the thumbnail: %s"), g_strerror (writer->write_errno));
  else
    g_set_error (writer->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("Could not write the thumbnail: %s"), message);
  png_longjmp (png, 1);
}

static void
on_png_write (png_structp png,
              png_bytep   data,
              size_t      length)
{
  PngWriter *writer = png_get_io_ptr (png);

  if (fwrite (data, 1, length, writer->fp) != length)
    {
      writer->write_errno = errno != 0 ? errno : EIO;
      png_error (png, "write");
    }
}

static void
on_png_flush (png_structp png)
{
  PngWriter *writer = png_get_io_ptr (png);

  if (fflush (writer->fp) != 0)
    {
      writer->write_errno = errno != 0 ? errno : EIO;
      png_error (png, "flush");
    }
}

static void
on_png_warning (png_structp      png,
                png_const_charp  message)
{
  g_debug ("libpng: %s", message);
}

/* zlib's run-length search reads up to 258 bytes past the input into its
 * window, then clamps what it found to the input. Zeroed memory keeps
 * that read defined, and valgrind quiet. */
static png_voidp
on_png_malloc (png_structp      png,
               png_alloc_size_t size)
{
  return g_try_malloc0 (size);
}

static void
on_png_free (png_structp png,
             png_voidp   block)
{
  g_free (block);
}

static void
add_text (GPtrArray  *keys,
          GPtrArray  *values,
          const char *key,
          char       *value)
{
  g_ptr_array_add (keys, (char *) key);
  g_ptr_array_add (values, value);
}

/* libvips 8.14 saves its png-comment fields as compressed zTXt chunks,
 * which GLib's thumbnail check (and other readers of the spec) skip:
 * they only look at plain tEXt. So the PNG is written with libpng, the
 * library libvips itself uses, asking for uncompressed text. */
static gboolean
write_png_file (FILE                  *fp,
                const guint8          *pixels,
                int                    width,
                int                    height,
                int                    bands,
                const LbThumbnailMeta *meta,
                GError               **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree png_text *text = NULL;
  g_autofree png_bytep *rows = NULL;
  PngWriter writer = { .fp = fp, .error = error };
  png_structp png;
  png_infop info;

  add_text (keys, values, "Thumb::URI", g_strdup (meta->uri));
  if (meta->mtime >= 0)
    add_text (keys, values, "Thumb::MTime",
              g_strdup_printf ("%" G_GINT64_FORMAT, meta->mtime));
  if (meta->size >= 0)
    add_text (keys, values, "Thumb::Size",
              g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) meta->size));
  if (meta->mime_type != NULL)
    add_text (keys, values, "Thumb::Mime", g_strdup (meta->mime_type));
  if (meta->image_width > 0 && meta->image_height > 0)
    {
      add_text (keys, values, "Thumb::Image::Width",
                g_strdup_printf ("%d", meta->image_width));
      add_text (keys, values, "Thumb::Image::Height",
                g_strdup_printf ("%d", meta->image_height));
    }
  add_text (keys, values, "Software", g_strdup ("Lightbox"));

  text = g_new0 (png_text, keys->len);
  for (guint i = 0; i < keys->len; i++)
    {
      text[i].compression = PNG_TEXT_COMPRESSION_NONE;
      text[i].key = g_ptr_array_index (keys, i);
      text[i].text = g_ptr_array_index (values, i);
      text[i].text_length = strlen (text[i].text);
    }

  rows = g_new (png_bytep, height);
  for (int y = 0; y < height; y++)
    rows[y] = (png_bytep) pixels + (gsize) y * width * bands;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &writer,
                                 on_png_error, on_png_warning);
  if (png == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not write the thumbnail"));
      return FALSE;
    }
  info = png_create_info_struct (png);

  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      return FALSE;
    }

  if (info == NULL)
    /* Translators: said after “Could not write the thumbnail: ” */
    png_error (png, _("out of memory"));

  png_set_mem_fn (png, NULL, on_png_malloc, on_png_free);
  png_set_write_fn (png, &writer, on_png_write, on_png_flush);
  png_set_compression_level (png, PNG_COMPRESSION_LEVEL);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_ROW_FILTER);
  png_set_compression_strategy (png, PNG_COMPRESSION_STRATEGY);
  png_set_IHDR (png, info, width, height, 8,
                bands == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  /* Before the pixels, so readers find the keys in the first page. */
  png_set_text (png, info, text, keys->len);
  png_write_info (png, info);
  png_write_image (png, rows);
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);

  return TRUE;
}

gboolean
lb_thumbnail_write_png (VipsImage             *image,
                        const char            *path,
                        const LbThumbnailMeta *meta,
                        GError               **error)
{
  g_autoptr(VipsImage) srgb = NULL;
  g_autofree guint8 *pixels = NULL;
  gsize n_bytes = 0;
  FILE *fp;
  gboolean ok;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (meta != NULL && meta->uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  srgb = lb_thumbnail_image_to_srgb (image, error);
  if (srgb == NULL)
    return FALSE;

  pixels = vips_image_write_to_memory (srgb, &n_bytes);
  if (pixels == NULL)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return FALSE;
    }

  fp = g_fopen (path, "wb");
  if (fp == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the thumbnail: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  ok = write_png_file (fp, pixels, srgb->Xsize, srgb->Ysize, srgb->Bands,
                       meta, error);

  if (fclose (fp) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the thumbnail: %s"), g_strerror (saved_errno));
      ok = FALSE;
    }

  return ok;
}
