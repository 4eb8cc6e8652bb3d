/* lb-test-fixtures.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"

/* Anything a test waits for finishes in seconds; this only stops hangs. */
#define SPIN_SAFETY_SECONDS 120

static const char * const format_names[LB_TEST_N_FORMATS] = {
  [LB_TEST_FORMAT_JPEG]             = "jpeg",
  [LB_TEST_FORMAT_JPEG_PROGRESSIVE] = "jpeg-progressive",
  [LB_TEST_FORMAT_JPEG_CMYK]        = "jpeg-cmyk",
  [LB_TEST_FORMAT_JPEG_GREY]        = "jpeg-grey",
  [LB_TEST_FORMAT_PNG]              = "png",
  [LB_TEST_FORMAT_PNG_16]           = "png-16",
  [LB_TEST_FORMAT_PNG_ALPHA]        = "png-alpha",
  [LB_TEST_FORMAT_PNG_PALETTE]      = "png-palette",
  [LB_TEST_FORMAT_PNG_INTERLACED]   = "png-interlaced",
  [LB_TEST_FORMAT_WEBP]             = "webp",
  [LB_TEST_FORMAT_WEBP_LOSSLESS]    = "webp-lossless",
  [LB_TEST_FORMAT_GIF]              = "gif",
  [LB_TEST_FORMAT_TIFF]             = "tiff",
  [LB_TEST_FORMAT_TIFF_PYRAMID]     = "tiff-pyramid",
  [LB_TEST_FORMAT_HEIC]             = "heic",
  [LB_TEST_FORMAT_AVIF]             = "avif",
  [LB_TEST_FORMAT_JXL]              = "jxl",
  [LB_TEST_FORMAT_JP2]              = "jp2",
  [LB_TEST_FORMAT_SVG]              = "svg",
  [LB_TEST_FORMAT_PDF]              = "pdf",
};

const char *
lb_test_format_get_name (LbTestFormat format)
{
  ck_assert_int_lt (format, LB_TEST_N_FORMATS);

  return format_names[format];
}

/* Formats left out so far, counted in memory shared with the processes
 * check forks for the tests, so that lb_test_run_suite() sees them. */
static int *n_format_skips;

gboolean
lb_test_format_is_skipped (LbTestFormat format)
{
  g_auto(GStrv) skipped = g_strsplit (g_getenv ("LIGHTBOX_TEST_SKIP_FORMATS") ?: "", ",", -1);

  ck_assert_int_lt (format, LB_TEST_N_FORMATS);

  if (!g_strv_contains ((const char * const *) skipped, format_names[format]))
    return FALSE;

  g_printerr ("%s skipped: LIGHTBOX_TEST_SKIP_FORMATS\n", format_names[format]);
  if (n_format_skips != NULL)
    g_atomic_int_inc (n_format_skips);
  return TRUE;
}

char *
lb_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("lightbox-test-XXXXXX", &error);

  /* Not ck_assert(): this also runs in main(), outside any test. */
  if (path == NULL)
    g_error ("g_dir_make_tmp: %s", error->message);

  return path;
}

void
lb_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        lb_test_remove_dir (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

char *lb_test_tmp_dir;

void
lb_test_tmp_dir_setup (void)
{
  lb_test_tmp_dir = lb_test_make_tmp_dir ();
}

void
lb_test_tmp_dir_teardown (void)
{
  lb_test_remove_dir (lb_test_tmp_dir);
  g_clear_pointer (&lb_test_tmp_dir, g_free);
}

char *lb_test_base_dir;

void
lb_test_base_dir_setup (void)
{
  lb_test_base_dir = lb_test_make_tmp_dir ();
  ck_assert_int_eq (chmod (lb_test_base_dir, 0777), 0);
}

void
lb_test_base_dir_teardown (void)
{
  lb_test_remove_dir (lb_test_base_dir);
  g_clear_pointer (&lb_test_base_dir, g_free);
}

char *
lb_test_make_dir_in_base_dir (void)
{
  g_autofree char *template = g_build_filename (lb_test_base_dir, "test-XXXXXX", NULL);
  char *path = g_mkdtemp (g_steal_pointer (&template));

  ck_assert_ptr_nonnull (path);

  return path;
}

int
lb_test_run_suite (Suite            *suite,
                   enum fork_status  fork_status)
{
  SRunner *runner = srunner_create (suite);
  int n_failed;
  int n_skips;

  n_format_skips = mmap (NULL, sizeof *n_format_skips, PROT_READ | PROT_WRITE,
                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  g_assert (n_format_skips != MAP_FAILED);

  srunner_set_fork_status (runner, fork_status);
  srunner_run_all (runner, CK_ENV);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  n_skips = g_atomic_int_get (n_format_skips);
  munmap (n_format_skips, sizeof *n_format_skips);
  n_format_skips = NULL;

  if (n_failed > 0)
    return EXIT_FAILURE;
  if (n_skips > 0)
    return lb_test_skip ("checks left formats out (LIGHTBOX_TEST_SKIP_FORMATS)");

  return EXIT_SUCCESS;
}

int
lb_test_skip (const char *why)
{
  g_printerr ("SKIP: %s\n", why);

  return LB_TEST_EXIT_SKIP;
}

static void
check_vips (int         result,
            const char *what)
{
  ck_assert_msg (result == 0, "%s: %s", what, vips_error_buffer ());
}

/* A gradient (red grows to the right, green downwards, blue constant)
 * with a solid marker over the top-left quarter of each dimension. */
static VipsImage *
make_picture (int width,
              int height)
{
  g_autoptr(VipsImage) xyz = NULL;
  g_autoptr(VipsImage) x = NULL;
  g_autoptr(VipsImage) y = NULL;
  g_autoptr(VipsImage) red = NULL;
  g_autoptr(VipsImage) green = NULL;
  g_autoptr(VipsImage) blue = NULL;
  g_autoptr(VipsImage) joined = NULL;
  g_autoptr(VipsImage) cast = NULL;
  g_autoptr(VipsImage) srgb = NULL;
  VipsImage *bands[3];
  VipsImage *picture;
  double marker[3] = { LB_TEST_MARKER_RED, LB_TEST_MARKER_GREEN, LB_TEST_MARKER_BLUE };

  check_vips (vips_xyz (&xyz, width, height, NULL), "xyz");
  check_vips (vips_extract_band (xyz, &x, 0, NULL), "extract_band");
  check_vips (vips_extract_band (xyz, &y, 1, NULL), "extract_band");
  check_vips (vips_linear1 (x, &red, 255.0 / width, 0, NULL), "linear");
  check_vips (vips_linear1 (y, &green, 255.0 / height, 0, NULL), "linear");
  check_vips (vips_linear1 (x, &blue, 0, LB_TEST_BACKGROUND_BLUE, NULL), "linear");
  bands[0] = red;
  bands[1] = green;
  bands[2] = blue;
  check_vips (vips_bandjoin (bands, &joined, 3, NULL), "bandjoin");
  check_vips (vips_cast_uchar (joined, &cast, NULL), "cast");
  check_vips (vips_copy (cast, &srgb,
                         "interpretation", VIPS_INTERPRETATION_sRGB,
                         NULL), "copy");

  picture = vips_image_copy_memory (srgb);
  ck_assert_msg (picture != NULL, "copy_memory: %s", vips_error_buffer ());
  check_vips (vips_draw_rect (picture, marker, 3, 0, 0,
                              MAX (width / 4, 1), MAX (height / 4, 1),
                              "fill", TRUE,
                              NULL), "draw_rect");

  return picture;
}

static VipsImage *
add_alpha (VipsImage *in)
{
  g_autoptr(VipsImage) xyz = NULL;
  g_autoptr(VipsImage) x = NULL;
  g_autoptr(VipsImage) fade = NULL;
  g_autoptr(VipsImage) alpha = NULL;
  VipsImage *out = NULL;

  check_vips (vips_xyz (&xyz, in->Xsize, in->Ysize, NULL), "xyz");
  check_vips (vips_extract_band (xyz, &x, 0, NULL), "extract_band");
  check_vips (vips_linear1 (x, &fade, -128.0 / in->Xsize, 255, NULL), "linear");
  check_vips (vips_cast_uchar (fade, &alpha, NULL), "cast");
  check_vips (vips_bandjoin2 (in, alpha, &out, NULL), "bandjoin");

  return out;
}

static char *
make_svg (int width,
          int height)
{
  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
    " viewBox=\"0 0 %d %d\">\n"
    "  <defs>\n"
    "    <linearGradient id=\"g\">\n"
    "      <stop offset=\"0\" stop-color=\"#0000c8\"/>\n"
    "      <stop offset=\"1\" stop-color=\"#ffffc8\"/>\n"
    "    </linearGradient>\n"
    "  </defs>\n"
    "  <rect width=\"%d\" height=\"%d\" fill=\"url(#g)\"/>\n"
    "  <rect width=\"%d\" height=\"%d\" fill=\"#ff0000\"/>\n"
    "</svg>\n",
    width, height, width, height, width, height,
    MAX (width / 4, 1), MAX (height / 4, 1));
}

/* One page of @width × @height points, which pdfload renders at 72 dpi
 * as as many pixels: a blue background and the red marker. */
static GBytes *
make_pdf (int width,
          int height)
{
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *content = NULL;
  gsize offsets[4];
  gsize xref;

  content = g_strdup_printf ("0 0 0.8 rg 0 0 %d %d re f\n"
                             "1 0 0 rg 0 %d %d %d re f\n",
                             width, height,
                             height - MAX (height / 4, 1),
                             MAX (width / 4, 1), MAX (height / 4, 1));

  g_ptr_array_add (objects, g_strdup ("<< /Type /Catalog /Pages 2 0 R >>"));
  g_ptr_array_add (objects, g_strdup ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
  g_ptr_array_add (objects, g_strdup_printf ("<< /Type /Page /Parent 2 0 R"
                                             " /MediaBox [0 0 %d %d] /Contents 4 0 R"
                                             " /Resources << >> >>", width, height));
  g_ptr_array_add (objects, g_strdup_printf ("<< /Length %zu >>\nstream\n%sendstream",
                                             strlen (content), content));
  g_assert (objects->len == G_N_ELEMENTS (offsets));

  for (guint i = 0; i < objects->len; i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1,
                              (char *) g_ptr_array_index (objects, i));
    }

  /* Every xref entry is exactly 20 bytes, the end of line included. */
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", objects->len + 1);
  for (guint i = 0; i < objects->len; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\n"
                          "startxref\n%zu\n%%%%EOF\n",
                          objects->len + 1, xref);

  return g_string_free_to_bytes (g_steal_pointer (&pdf));
}

static GBytes *
save_picture (VipsImage    *picture,
              LbTestFormat  format)
{
  g_autoptr(VipsImage) converted = NULL;
  g_autoptr(VipsImage) cmyk = NULL;
  void *buf = NULL;
  size_t len = 0;
  int result = -1;

  switch (format)
    {
    case LB_TEST_FORMAT_JPEG:
      result = vips_jpegsave_buffer (picture, &buf, &len, "Q", 90, NULL);
      break;
    case LB_TEST_FORMAT_JPEG_PROGRESSIVE:
      result = vips_jpegsave_buffer (picture, &buf, &len, "interlace", TRUE, NULL);
      break;
    case LB_TEST_FORMAT_JPEG_CMYK:
      /* icc_export attaches the profile, which jpegsave embeds. */
      check_vips (vips_icc_export (picture, &cmyk, "output_profile", "cmyk", NULL),
                  "icc_export");
      result = vips_jpegsave_buffer (cmyk, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_JPEG_GREY:
      check_vips (vips_colourspace (picture, &converted, VIPS_INTERPRETATION_B_W, NULL),
                  "colourspace");
      result = vips_jpegsave_buffer (converted, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_PNG:
      result = vips_pngsave_buffer (picture, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_PNG_16:
      check_vips (vips_colourspace (picture, &converted, VIPS_INTERPRETATION_RGB16, NULL),
                  "colourspace");
      result = vips_pngsave_buffer (converted, &buf, &len, "bitdepth", 16, NULL);
      break;
    case LB_TEST_FORMAT_PNG_ALPHA:
      converted = add_alpha (picture);
      result = vips_pngsave_buffer (converted, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_PNG_PALETTE:
      result = vips_pngsave_buffer (picture, &buf, &len, "palette", TRUE, NULL);
      break;
    case LB_TEST_FORMAT_PNG_INTERLACED:
      result = vips_pngsave_buffer (picture, &buf, &len, "interlace", TRUE, NULL);
      break;
    case LB_TEST_FORMAT_WEBP:
      result = vips_webpsave_buffer (picture, &buf, &len, "Q", 80, NULL);
      break;
    case LB_TEST_FORMAT_WEBP_LOSSLESS:
      result = vips_webpsave_buffer (picture, &buf, &len, "lossless", TRUE, NULL);
      break;
    case LB_TEST_FORMAT_GIF:
      result = vips_gifsave_buffer (picture, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_TIFF:
      result = vips_tiffsave_buffer (picture, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_TIFF_PYRAMID:
      result = vips_tiffsave_buffer (picture, &buf, &len,
                                     "tile", TRUE, "pyramid", TRUE, NULL);
      break;
    case LB_TEST_FORMAT_HEIC:
      result = vips_heifsave_buffer (picture, &buf, &len,
                                     "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC,
                                     NULL);
      break;
    case LB_TEST_FORMAT_AVIF:
      result = vips_heifsave_buffer (picture, &buf, &len,
                                     "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1,
                                     NULL);
      break;
    case LB_TEST_FORMAT_JXL:
      result = vips_jxlsave_buffer (picture, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_JP2:
      result = vips_jp2ksave_buffer (picture, &buf, &len, NULL);
      break;
    case LB_TEST_FORMAT_SVG:
    case LB_TEST_FORMAT_PDF:
    case LB_TEST_N_FORMATS:
      g_assert_not_reached ();
    }

  ck_assert_msg (result == 0, "saving %s: %s", format_names[format], vips_error_buffer ());

  return g_bytes_new_take (buf, len);
}

char *
lb_test_write_bytes (const char *dir,
                     const char *name,
                     GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  ck_assert_msg (g_file_set_contents (path, data, len, &error),
                 "writing %s: %s", path, error ? error->message : "");

  return path;
}

/* @fields: NULL-terminated pairs of libvips metadata names and values,
 * set before saving; "xmp-data" as a blob, any other as a string. */
static GBytes *
make_image_bytes_with_fields (LbTestFormat        format,
                              int                 width,
                              int                 height,
                              int                 orientation,
                              const char * const *fields)
{
  g_autoptr(VipsImage) picture = NULL;

  ck_assert_int_lt (format, LB_TEST_N_FORMATS);
  ck_assert_int_gt (width, 0);
  ck_assert_int_gt (height, 0);
  ck_assert_int_ge (orientation, 1);
  ck_assert_int_le (orientation, 8);

  if (format == LB_TEST_FORMAT_SVG)
    {
      char *svg = make_svg (width, height);

      return g_bytes_new_take (svg, strlen (svg));
    }

  if (format == LB_TEST_FORMAT_PDF)
    return make_pdf (width, height);

  picture = make_picture (width, height);
  /* The savers turn this into the EXIF orientation tag. */
  if (orientation != 1)
    vips_image_set_int (picture, VIPS_META_ORIENTATION, orientation);

  for (gsize i = 0; fields != NULL && fields[i] != NULL; i += 2)
    {
      ck_assert_ptr_nonnull (fields[i + 1]);
      if (g_str_equal (fields[i], VIPS_META_XMP_NAME))
        vips_image_set_blob_copy (picture, fields[i], fields[i + 1], strlen (fields[i + 1]));
      else
        vips_image_set_string (picture, fields[i], fields[i + 1]);
    }

  return save_picture (picture, format);
}

GBytes *
lb_test_make_image_bytes (LbTestFormat format,
                          int          width,
                          int          height,
                          int          orientation)
{
  return make_image_bytes_with_fields (format, width, height, orientation, NULL);
}

char *
lb_test_write_image (const char   *dir,
                     const char   *name,
                     LbTestFormat  format,
                     int           width,
                     int           height,
                     int           orientation)
{
  g_autoptr(GBytes) bytes = lb_test_make_image_bytes (format, width, height, orientation);

  return lb_test_write_bytes (dir, name, bytes);
}

char *
lb_test_write_blank_image (const char   *dir,
                           const char   *name,
                           LbTestFormat  format,
                           int           width,
                           int           height)
{
  g_autoptr(VipsImage) black = NULL;
  g_autoptr(VipsImage) cast = NULL;
  g_autoptr(VipsImage) srgb = NULL;
  g_autoptr(GBytes) bytes = NULL;

  ck_assert_msg (format != LB_TEST_FORMAT_SVG && format != LB_TEST_FORMAT_PDF,
                 "blank images are raster images");
  check_vips (vips_black (&black, width, height, "bands", 3, NULL), "black");
  check_vips (vips_cast_uchar (black, &cast, NULL), "cast");
  check_vips (vips_copy (cast, &srgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL),
              "copy");
  bytes = save_picture (srgb, format);

  return lb_test_write_bytes (dir, name, bytes);
}

char *
lb_test_write_image_with_fields (const char         *dir,
                                 const char         *name,
                                 LbTestFormat        format,
                                 int                 width,
                                 int                 height,
                                 const char * const *fields)
{
  g_autoptr(GBytes) bytes = make_image_bytes_with_fields (format, width, height, 1, fields);

  return lb_test_write_bytes (dir, name, bytes);
}

void
lb_test_frame_color (int     frame,
                     guint8  rgb[3])
{
  rgb[0] = (frame * 80) % 256;
  rgb[1] = 255 - (frame * 60) % 256;
  rgb[2] = 40;
}

char *
lb_test_write_animation (const char   *dir,
                         const char   *name,
                         LbTestFormat  format,
                         int           width,
                         int           height,
                         int           n_frames,
                         const int    *delays)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(VipsImage) strip = NULL;
  g_autoptr(VipsImage) black = NULL;
  g_autoptr(GBytes) bytes = NULL;

  ck_assert (format == LB_TEST_FORMAT_GIF || format == LB_TEST_FORMAT_WEBP);
  ck_assert_int_gt (n_frames, 1);

  check_vips (vips_black (&black, width, height, "bands", 3, NULL), "black");
  for (int i = 0; i < n_frames; i++)
    {
      guint8 rgb[3];
      double add[3];
      double times[3] = { 1, 1, 1 };
      VipsImage *frame = NULL;

      lb_test_frame_color (i, rgb);
      for (int band = 0; band < 3; band++)
        add[band] = rgb[band];
      check_vips (vips_linear (black, &frame, times, add, 3, "uchar", TRUE, NULL), "linear");
      g_ptr_array_add (frames, frame);
    }

  /* Frames stacked top to bottom with their page height: how libvips
   * keeps animations and how its savers take them. */
  check_vips (vips_arrayjoin ((VipsImage **) frames->pdata, &strip, n_frames,
                              "across", 1, NULL), "arrayjoin");
  vips_image_set_int (strip, VIPS_META_PAGE_HEIGHT, height);
  vips_image_set_array_int (strip, "delay", delays, n_frames);
  vips_image_set_int (strip, "loop", 0);
  strip->Type = VIPS_INTERPRETATION_sRGB;

  bytes = save_picture (strip, format);

  return lb_test_write_bytes (dir, name, bytes);
}

char *
lb_test_write_large_jpeg (const char *dir,
                          const char *name,
                          int         width,
                          int         height)
{
  g_autoptr(VipsImage) xyz = NULL;
  g_autoptr(VipsImage) band = NULL;
  g_autoptr(VipsImage) ramp = NULL;
  g_autoptr(VipsImage) cast = NULL;
  g_autoptr(VipsImage) srgb = NULL;
  char *path = g_build_filename (dir, name, NULL);

  /* Lazy from end to end: libvips streams it into the file a few rows
   * at a time, so making it takes no more memory than reading it should. */
  check_vips (vips_xyz (&xyz, width, height, NULL), "xyz");
  check_vips (vips_extract_band (xyz, &band, 0, NULL), "extract_band");
  check_vips (vips_remainder_const1 (band, &ramp, 256, NULL), "remainder");
  check_vips (vips_cast_uchar (ramp, &cast, NULL), "cast");
  check_vips (vips_colourspace (cast, &srgb, VIPS_INTERPRETATION_sRGB,
                                "source_space", VIPS_INTERPRETATION_B_W, NULL), "colourspace");
  check_vips (vips_jpegsave (srgb, path, "Q", 50, NULL), "jpegsave");

  return path;
}

/* The CRC-32 of PNG chunks (ISO 3309), bit by bit: it only ever runs
 * over 17 bytes here. */
static guint32
png_crc (const guint8 *data,
         gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }

  return crc ^ 0xffffffff;
}

/* Patches the IHDR of a real PNG to claim @width × @height pixels. */
static GBytes *
make_png_bomb (guint32 width,
               guint32 height)
{
  g_autoptr(GBytes) png = lb_test_make_image_bytes (LB_TEST_FORMAT_PNG, 64, 64, 1);
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&png), &len);
  /* 8 signature bytes, then the IHDR length (4) and type (4). */
  guint8 *ihdr = data + 12;
  guint32 be;

  ck_assert (memcmp (ihdr, "IHDR", 4) == 0);
  be = GUINT32_TO_BE (width);
  memcpy (ihdr + 4, &be, 4);
  be = GUINT32_TO_BE (height);
  memcpy (ihdr + 8, &be, 4);
  be = GUINT32_TO_BE (png_crc (ihdr, 4 + 13));
  memcpy (ihdr + 4 + 13, &be, 4);

  return g_bytes_new_take (data, len);
}

/* Finds the first @len bytes of @needle in @data, failing the test if
 * they are not there. */
static gsize
find_bytes (const guint8 *data,
            gsize         data_len,
            const char   *needle,
            gsize         len)
{
  for (gsize i = 0; i + len <= data_len; i++)
    if (memcmp (data + i, needle, len) == 0)
      return i;

  ck_abort_msg ("marker not found in the generated image");
  return 0;
}

/* Patches the frame header (SOF) of a real JPEG to claim @width × @height. */
static GBytes *
make_jpeg_bomb (guint16 width,
                guint16 height)
{
  g_autoptr(GBytes) jpeg = lb_test_make_image_bytes (LB_TEST_FORMAT_JPEG, 64, 64, 1);
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&jpeg), &len);
  /* Baseline SOF0: marker (2), length (2), precision (1), height, width. */
  gsize sof = find_bytes (data, len, "\xff\xc0", 2);
  guint16 be;

  be = GUINT16_TO_BE (height);
  memcpy (data + sof + 5, &be, 2);
  be = GUINT16_TO_BE (width);
  memcpy (data + sof + 7, &be, 2);

  return g_bytes_new_take (data, len);
}

/* Patches the logical screen and the first image descriptor of a real
 * GIF to claim @width × @height. */
static GBytes *
make_gif_bomb (guint16 width,
               guint16 height)
{
  g_autoptr(GBytes) gif = lb_test_make_image_bytes (LB_TEST_FORMAT_GIF, 64, 64, 1);
  gsize len;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&gif), &len);
  guint16 le_width = GUINT16_TO_LE (width);
  guint16 le_height = GUINT16_TO_LE (height);
  gsize descriptor;

  memcpy (data + 6, &le_width, 2);
  memcpy (data + 8, &le_height, 2);
  /* ',' then left (2), top (2), width (2), height (2); the palette comes
   * first, so look past it for a descriptor at the origin. */
  descriptor = find_bytes (data, len, ",\0\0\0\0", 5);
  memcpy (data + descriptor + 5, &le_width, 2);
  memcpy (data + descriptor + 7, &le_height, 2);

  return g_bytes_new_take (data, len);
}

static void
append_tiff_entry (GByteArray *tiff,
                   guint16     tag,
                   guint16     type,
                   guint32     value)
{
  guint16 le16;
  guint32 le32;

  le16 = GUINT16_TO_LE (tag);
  g_byte_array_append (tiff, (guint8 *) &le16, 2);
  le16 = GUINT16_TO_LE (type);
  g_byte_array_append (tiff, (guint8 *) &le16, 2);
  le32 = GUINT32_TO_LE (1);
  g_byte_array_append (tiff, (guint8 *) &le32, 4);
  /* SHORTs sit in the first two bytes of the value field. */
  if (type == 3)
    {
      le16 = GUINT16_TO_LE (value);
      g_byte_array_append (tiff, (guint8 *) &le16, 2);
      g_byte_array_append (tiff, (const guint8 *) "\0\0", 2);
    }
  else
    {
      le32 = GUINT32_TO_LE (value);
      g_byte_array_append (tiff, (guint8 *) &le32, 4);
    }
}

/* A little-endian TIFF with one IFD claiming @width × @height 8-bit grey
 * pixels in a single uncompressed strip of 16 bytes. */
static GBytes *
make_tiff_bomb (guint32 width,
                guint32 height)
{
  GByteArray *tiff = g_byte_array_new ();
  const guint16 n_entries = 8;
  guint32 strip_offset = 8 + 2 + n_entries * 12 + 4;
  guint16 le16 = GUINT16_TO_LE (n_entries);
  guint32 le32 = 0;

  g_byte_array_append (tiff, (const guint8 *) "II*\0\x08\0\0\0", 8);
  g_byte_array_append (tiff, (guint8 *) &le16, 2);
  append_tiff_entry (tiff, 256, 4, width);         /* ImageWidth */
  append_tiff_entry (tiff, 257, 4, height);        /* ImageLength */
  append_tiff_entry (tiff, 258, 3, 8);             /* BitsPerSample */
  append_tiff_entry (tiff, 259, 3, 1);             /* Compression: none */
  append_tiff_entry (tiff, 262, 3, 1);             /* Photometric: black is zero */
  append_tiff_entry (tiff, 273, 4, strip_offset);  /* StripOffsets */
  append_tiff_entry (tiff, 278, 4, height);        /* RowsPerStrip */
  append_tiff_entry (tiff, 279, 4, 16);            /* StripByteCounts */
  g_byte_array_append (tiff, (guint8 *) &le32, 4); /* no next IFD */
  for (int i = 0; i < 16; i++)
    g_byte_array_append (tiff, (const guint8 *) "\x80", 1);

  return g_byte_array_free_to_bytes (tiff);
}

static GBytes *
make_text_bytes (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}

/* Ten levels of ten references each: 10¹⁰ "lol"s if expanded. */
static GBytes *
make_svg_laughs (void)
{
  g_autoptr(GString) svg = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n"
                                          "  <!ENTITY lol0 \"lol\">\n");

  for (int level = 1; level <= 10; level++)
    {
      g_string_append_printf (svg, "  <!ENTITY lol%d \"", level);
      for (int i = 0; i < 10; i++)
        g_string_append_printf (svg, "&lol%d;", level - 1);
      g_string_append (svg, "\">\n");
    }
  g_string_append (svg, "]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\">\n"
                        "  <text x=\"0\" y=\"32\">&lol10;</text>\n</svg>\n");

  return g_string_free_to_bytes (g_steal_pointer (&svg));
}

/* Each level draws the previous one twice: 2³⁰ rectangles if followed. */
static GBytes *
make_svg_nested_use (void)
{
  g_autoptr(GString) svg = g_string_new ("<svg xmlns=\"http://www.w3.org/2000/svg\""
                                          " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                                          " width=\"64\" height=\"64\">\n<defs>\n"
                                          "  <rect id=\"l0\" width=\"1\" height=\"1\"/>\n");

  for (int level = 1; level <= 30; level++)
    g_string_append_printf (svg, "  <g id=\"l%d\"><use xlink:href=\"#l%d\"/>"
                            "<use xlink:href=\"#l%d\" x=\"1\"/></g>\n",
                            level, level - 1, level - 1);
  g_string_append (svg, "</defs>\n<use xlink:href=\"#l30\"/>\n</svg>\n");

  return g_string_free_to_bytes (g_steal_pointer (&svg));
}

/* The first @n_bytes of a 640 × 480 image, or its first third if 0. */
static GBytes *
make_prefix (LbTestFormat format,
             gsize        n_bytes)
{
  g_autoptr(GBytes) whole = lb_test_make_image_bytes (format, 640, 480, 1);

  if (n_bytes == 0)
    n_bytes = g_bytes_get_size (whole) / 3;
  ck_assert_uint_lt (n_bytes, g_bytes_get_size (whole));

  return g_bytes_new_from_bytes (whole, 0, n_bytes);
}

static GBytes *
make_bad_bytes (LbTestBadKind kind)
{
  g_autoptr(GRand) rand = NULL;
  guint8 *random;

  switch (kind)
    {
    case LB_TEST_BAD_EMPTY:
      return g_bytes_new_static ("", 0);

    case LB_TEST_BAD_TRUNCATED_JPEG:
      return make_prefix (LB_TEST_FORMAT_JPEG, 0);

    case LB_TEST_BAD_TRUNCATED_PNG:
      return make_prefix (LB_TEST_FORMAT_PNG, 0);

    case LB_TEST_BAD_RANDOM:
      rand = g_rand_new_with_seed (0x11b0c5);
      random = g_malloc (4096);
      for (gsize i = 0; i < 4096; i++)
        random[i] = g_rand_int_range (rand, 0, 256);
      return g_bytes_new_take (random, 4096);

    case LB_TEST_BAD_TEXT:
      return g_bytes_new_static ("This is not an image, whatever its name says.\n",
                                 strlen ("This is not an image, whatever its name says.\n"));

    case LB_TEST_BAD_HEADER_ONLY_PNG:
      /* Signature (8) and the whole IHDR chunk (4 + 4 + 13 + 4). */
      return make_prefix (LB_TEST_FORMAT_PNG, 8 + 25);

    case LB_TEST_BAD_PNG_BOMB:
      return make_png_bomb (100000, 100000);

    case LB_TEST_BAD_JPEG_BOMB:
      return make_jpeg_bomb (65000, 65000);

    case LB_TEST_BAD_GIF_BOMB:
      return make_gif_bomb (65535, 65535);

    case LB_TEST_BAD_TIFF_BOMB:
      return make_tiff_bomb (1000000, 1000000);

    case LB_TEST_BAD_SVG_BOMB:
      return make_text_bytes (g_strdup ("<svg xmlns=\"http://www.w3.org/2000/svg\""
                                        " width=\"200000\" height=\"200000\">"
                                        "<rect width=\"100%\" height=\"100%\" fill=\"red\"/>"
                                        "</svg>\n"));

    case LB_TEST_BAD_SVG_LAUGHS:
      return make_svg_laughs ();

    case LB_TEST_BAD_SVG_NESTED_USE:
      return make_svg_nested_use ();

    case LB_TEST_BAD_DIRECTORY:
      g_assert_not_reached ();
    }

  g_assert_not_reached ();
}

char *
lb_test_write_bad_file (const char    *dir,
                        const char    *name,
                        LbTestBadKind  kind)
{
  g_autoptr(GBytes) bytes = NULL;

  if (kind == LB_TEST_BAD_DIRECTORY)
    {
      char *path = g_build_filename (dir, name, NULL);

      ck_assert_msg (g_mkdir (path, 0700) == 0, "mkdir %s: %s", path, g_strerror (errno));
      return path;
    }

  bytes = make_bad_bytes (kind);

  return lb_test_write_bytes (dir, name, bytes);
}

gint64
lb_test_get_mtime (const char *path)
{
  GStatBuf st;

  ck_assert_msg (g_stat (path, &st) == 0, "stat %s: %s", path, g_strerror (errno));

  return st.st_mtime;
}

void
lb_test_shift_mtime (const char *path,
                     gint64      delta)
{
  struct utimbuf times;
  gint64 mtime = lb_test_get_mtime (path);

  times.actime = mtime + delta;
  times.modtime = mtime + delta;
  ck_assert_msg (g_utime (path, &times) == 0, "utime %s: %s", path, g_strerror (errno));
}

char *
lb_test_set_cache_home (void)
{
  char *dir = lb_test_make_tmp_dir ();

  g_setenv ("XDG_CACHE_HOME", dir, TRUE);

  return dir;
}

static char **
thumbnailer_environ (const char *cache_home)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache_home, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  return g_environ_unsetenv (envp, "LANGUAGE");
}

int
lb_test_run_thumbnailer (const char  *cache_home,
                         char       **out,
                         char       **err,
                         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = thumbnailer_environ (cache_home);
  g_autofree char *ignored_out = NULL;
  g_autofree char *ignored_err = NULL;
  const char *arg;
  va_list args;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("LIGHTBOX_THUMBNAILER"));
  ck_assert_msg (argv->pdata[0] != NULL, "LIGHTBOX_THUMBNAILER is not set");
  va_start (args, err);
  for (arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               out != NULL ? out : &ignored_out,
                               err != NULL ? err : &ignored_err,
                               &wait_status, &error),
                 "%s", error ? error->message : "");
  ck_assert_msg (WIFEXITED (wait_status), "lightbox-thumbnailer died: %d", wait_status);

  return WEXITSTATUS (wait_status);
}

GPid
lb_test_spawn_thumbnailer (const char         *cache_home,
                           const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = thumbnailer_environ (cache_home);
  GPid pid = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("LIGHTBOX_THUMBNAILER"));
  ck_assert_msg (argv->pdata[0] != NULL, "LIGHTBOX_THUMBNAILER is not set");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  ck_assert_msg (g_spawn_async (NULL, (char **) argv->pdata, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error),
                 "%s", error ? error->message : "");

  return pid;
}

void
lb_test_become_unprivileged (const char *tmp_dir)
{
  if (geteuid () != 0)
    return;

  ck_assert_int_eq (chmod (tmp_dir, 0755), 0);
  ck_assert_int_eq (setgroups (0, NULL), 0);
  ck_assert_int_eq (setgid (65534), 0);
  ck_assert_int_eq (setuid (65534), 0);
}

static gboolean
on_spin_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

void
lb_test_spin_until (const gboolean *flag)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (SPIN_SAFETY_SECONDS);
  gboolean timed_out = FALSE;

  g_source_set_callback (timeout, on_spin_timeout, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!*flag && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_main_context_unref (context);

  ck_assert_msg (*flag, "gave up waiting after %d s", SPIN_SAFETY_SECONDS);
}

static char *
hash_file (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) error = NULL;

  mapped = g_mapped_file_new (path, FALSE, &error);
  ck_assert_msg (mapped != NULL, "%s: %s", path, error ? error->message : "");
  g_checksum_update (checksum, (const guchar *) g_mapped_file_get_contents (mapped),
                     g_mapped_file_get_length (mapped));

  return g_strdup (g_checksum_get_string (checksum));
}

/* One line per entry below @dir, sorted, links not followed. */
static void
fingerprint_dir (const char *root,
                 const char *dir,
                 GPtrArray  *lines)
{
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  listing = g_dir_open (dir, 0, &error);
  ck_assert_msg (listing != NULL, "%s: %s", dir, error ? error->message : "");

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *content = NULL;
      g_autofree char *relative = g_strescape (path + strlen (root), NULL);
      struct stat st;

      ck_assert_msg (lstat (path, &st) == 0, "%s: %s", path, g_strerror (errno));

      if (S_ISREG (st.st_mode) && (st.st_mode & S_IRUSR))
        content = hash_file (path);
      else if (S_ISLNK (st.st_mode))
        content = g_file_read_link (path, NULL);
      else if (S_ISDIR (st.st_mode))
        content = g_strdup ("folder");

      g_ptr_array_add (lines, g_strdup_printf (
        "%s mode=%o uid=%u gid=%u ino=%lu nlink=%lu size=%lld "
        "mtime=%lld.%09ld ctime=%lld.%09ld %s",
        relative, (guint) st.st_mode, (guint) st.st_uid, (guint) st.st_gid,
        (gulong) st.st_ino, (gulong) st.st_nlink, (long long) st.st_size,
        (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
        (long long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
        content != NULL ? content : "-"));

      if (S_ISDIR (st.st_mode))
        fingerprint_dir (root, path, lines);
    }
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
lb_test_fingerprint (const char *root)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  struct stat st;

  ck_assert_int_eq (lstat (root, &st), 0);
  g_ptr_array_add (lines, g_strdup_printf (". mode=%o mtime=%lld.%09ld ctime=%lld.%09ld",
                                           (guint) st.st_mode,
                                           (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                                           (long long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec));
  fingerprint_dir (root, root, lines);
  g_ptr_array_sort (lines, compare_lines);

  return lines;
}

void
lb_test_assert_same_fingerprint (GPtrArray *before,
                                 GPtrArray *after)
{
  for (guint i = 0; i < MAX (before->len, after->len); i++)
    {
      const char *a = i < before->len ? g_ptr_array_index (before, i) : "(none)";
      const char *b = i < after->len ? g_ptr_array_index (after, i) : "(none)";

      ck_assert_msg (g_str_equal (a, b), "changed:\n  before: %s\n  after:  %s", a, b);
    }
}

void
lb_test_make_user_folder (const char *folder)
{
  g_autofree char *sub = g_build_filename (folder, "2019 holidays", NULL);
  g_autofree char *read_only = NULL;
  g_autofree char *fifo = g_build_filename (folder, "pipe.jpg", NULL);
  g_autofree char *link = g_build_filename (folder, "link.jpg", NULL);
  g_autofree char *folder_link = g_build_filename (folder, "link to holidays", NULL);
  g_autofree char *dangling = g_build_filename (folder, "dangling.png", NULL);
  g_autofree char *notes = g_build_filename (folder, "notes.txt", NULL);

  ck_assert_int_eq (g_mkdir (folder, 0755), 0);
  ck_assert_int_eq (g_mkdir (sub, 0750), 0);

  for (int format = 0; format < LB_TEST_N_FORMATS; format++)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (lb_test_format_is_skipped (format))
        continue;
      name = g_strdup_printf ("image.%s", lb_test_format_get_name (format));
      path = lb_test_write_image (format % 2 ? folder : sub, name, format,
                                  300, 200, 1 + format % 8);

      /* Old dates, as on a camera card. */
      lb_test_shift_mtime (path, -86400 * (format + 1));
    }

  g_free (lb_test_write_bad_file (folder, "truncated.jpg", LB_TEST_BAD_TRUNCATED_JPEG));
  g_free (lb_test_write_bad_file (folder, "random.png", LB_TEST_BAD_RANDOM));
  g_free (lb_test_write_bad_file (folder, "empty.gif", LB_TEST_BAD_EMPTY));
  g_free (lb_test_write_bad_file (sub, "bomb.png", LB_TEST_BAD_PNG_BOMB));
  g_free (lb_test_write_bad_file (folder, ".hidden.png", LB_TEST_BAD_TEXT));
  g_free (lb_test_write_bad_file (folder, "folder.jpg", LB_TEST_BAD_DIRECTORY));

  read_only = lb_test_write_image (folder, "read-only.jpg", LB_TEST_FORMAT_JPEG, 320, 240, 1);
  ck_assert_int_eq (chmod (read_only, 0444), 0);
  ck_assert (g_file_set_contents (notes, "not an image\n", -1, NULL));
  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  ck_assert_int_eq (symlink ("image.jpeg-progressive", link), 0);
  ck_assert_int_eq (symlink ("2019 holidays", folder_link), 0);
  ck_assert_int_eq (symlink ("gone.png", dangling), 0);
}
