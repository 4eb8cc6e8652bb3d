/* lb-vips.c
 *
 * What the engine asks of libvips besides the decode itself: starting
 * it safely (blocked loaders, warnings, heap), finding the allowed
 * loader for some bytes, sRGB conversion and the ICC profile check,
 * computing a pipeline upright and cancellably, and its errors as
 * GErrors. Thread-safe: libvips' own rules apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-vips"

#include <malloc.h>
#include <math.h>

#include <glib/gi18n.h>
#include <lcms2.h>

#include "lb-vips.h"

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

const char *
lb_vips_find_loader_buffer (const void *buf,
                            gsize       len)
{
  g_return_val_if_fail (buf != NULL || len == 0, NULL);

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
