/* test-thumbnail-render.c: decoding every format into thumbnails
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <stdlib.h>

#include "lb-jpeg-dc-stream.h"
#include "lb-premultiplied-shrink.h"
#include "lb-test-fixtures.h"
#include "lb-thumbnail-render.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

#define WIDTH   600
#define HEIGHT  400
#define BUCKET  256


static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  ck_assert_msg (g_file_get_contents (path, &contents, &len, &error),
                 "%s", error ? error->message : "");

  return g_bytes_new_take (contents, len);
}

static VipsImage *
render_file (const char    *path,
             guint64        max_pixels,
             int           *image_width,
             int           *image_height,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GBytes) bytes = read_bytes (path);

  return lb_thumbnail_render (bytes, BUCKET, max_pixels, image_width, image_height,
                              cancellable, error);
}

typedef struct {
  double red;
  double green;
  double blue;
} Rgb;

static Rgb
get_pixel (VipsImage *image,
           int        x,
           int        y)
{
  g_autofree double *vector = NULL;
  int n = 0;
  Rgb rgb;

  ck_assert_int_eq (vips_getpoint (image, &vector, &n, x, y, NULL), 0);
  ck_assert_int_ge (n, 3);
  rgb.red = vector[0];
  rgb.green = vector[1];
  rgb.blue = vector[2];

  return rgb;
}

/* Lossy formats and colour management blur the exact values. */
static gboolean
is_marker (Rgb rgb)
{
  return rgb.red > 180 && rgb.green < 90 && rgb.blue < 90;
}

/* A pixel well inside the given corner: 0 top-left, 1 top-right,
 * 2 bottom-right, 3 bottom-left. */
static Rgb
get_corner (VipsImage *image,
            int        corner)
{
  int inset_x = image->Xsize / 16;
  int inset_y = image->Ysize / 16;
  int x = (corner == 1 || corner == 2) ? image->Xsize - 1 - inset_x : inset_x;
  int y = (corner == 2 || corner == 3) ? image->Ysize - 1 - inset_y : inset_y;

  return get_pixel (image, x, y);
}

static void
assert_thumbnail_shape (VipsImage *image,
                        int        source_width,
                        int        source_height)
{
  int expected_short = (int) (BUCKET * (double) MIN (source_width, source_height) /
                              MAX (source_width, source_height) + 0.5);
  int long_side = MAX (image->Xsize, image->Ysize);
  int short_side = MIN (image->Xsize, image->Ysize);

  ck_assert_int_eq (image->BandFmt, VIPS_FORMAT_UCHAR);
  ck_assert_int_eq (image->Type, VIPS_INTERPRETATION_sRGB);
  ck_assert (image->Bands == 3 || image->Bands == 4);
  ck_assert_int_eq (long_side, BUCKET);
  ck_assert_int_le (abs (short_side - expected_short), 1);
  ck_assert_int_eq (image->Xsize > image->Ysize, source_width > source_height);
}

START_TEST (test_render_format)
{
  LbTestFormat format = _i;
  const char *name = lb_test_format_get_name (format);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  int width = 0;
  int height = 0;

  if (lb_test_format_is_skipped (format))
    return;

  path = lb_test_write_image (lb_test_tmp_dir, name, format, WIDTH, HEIGHT, 1);
  image = render_file (path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, &width, &height, NULL, &error);
  ck_assert_msg (image != NULL, "%s: %s", name, error ? error->message : "");

  ck_assert_int_eq (width, WIDTH);
  ck_assert_int_eq (height, HEIGHT);
  assert_thumbnail_shape (image, WIDTH, HEIGHT);

  if (format == LB_TEST_FORMAT_PNG_ALPHA)
    ck_assert_int_eq (image->Bands, 4);
  if (format == LB_TEST_FORMAT_JPEG || format == LB_TEST_FORMAT_JPEG_CMYK ||
      format == LB_TEST_FORMAT_JPEG_GREY || format == LB_TEST_FORMAT_PNG_16)
    ck_assert_int_eq (image->Bands, 3);

  /* The marker survives in colour (CMYK and 16-bit converted right), in
   * its corner; the grey JPEG has no colour to keep. */
  if (format != LB_TEST_FORMAT_JPEG_GREY)
    {
      ck_assert_msg (is_marker (get_corner (image, 0)), "%s: no marker top-left", name);
      ck_assert_msg (!is_marker (get_corner (image, 2)), "%s: marker bottom-right", name);
    }
  else
    {
      Rgb rgb = get_corner (image, 0);

      ck_assert (rgb.red == rgb.green && rgb.green == rgb.blue);
    }
}
END_TEST

/* Tags @image with libvips' built-in profile @profile_name. */
static void
set_builtin_profile (VipsImage  *image,
                     const char *profile_name)
{
  VipsBlob *profile = NULL;
  const void *data;
  size_t size;

  ck_assert_int_eq (vips_profile_load (profile_name, &profile, NULL), 0);
  data = vips_blob_get (profile, &size);
  vips_image_set_blob_copy (image, VIPS_META_ICC_NAME, data, size);
  vips_area_unref (VIPS_AREA (profile));
}

/* A flat green PNG, tagged with libvips' built-in profile @profile_name
 * ("srgb", "p3") or with none (NULL). */
static GBytes *
make_tagged_png (const char *profile_name)
{
  static const double green[] = { 40, 200, 40 };
  g_autoptr(VipsImage) black = NULL;
  g_autoptr(VipsImage) flat = NULL;
  g_autoptr(VipsImage) tagged = NULL;
  void *buf = NULL;
  size_t len = 0;

  ck_assert_int_eq (vips_black (&black, 64, 48, "bands", 3, NULL), 0);
  ck_assert_int_eq (vips_linear (black, &flat, (double[]) { 1, 1, 1 }, (double *) green, 3,
                                 "uchar", TRUE, NULL), 0);
  ck_assert_int_eq (vips_copy (flat, &tagged, "interpretation", VIPS_INTERPRETATION_sRGB, NULL), 0);
  if (profile_name != NULL)
    set_builtin_profile (tagged, profile_name);
  ck_assert_int_eq (vips_pngsave_buffer (tagged, &buf, &len, NULL), 0);

  return g_bytes_new_take (buf, len);
}

/* Pixels of sRGB-tagged and untagged images are sRGB already and come
 * out as they are, without the cost of a transform; other profiles are
 * converted (a wide-gamut green is a deeper green than sRGB's). */
START_TEST (test_render_profile)
{
  static const char * const profiles[] = { NULL, "srgb", "p3" };
  const char *profile_name = profiles[_i];
  gboolean converted = profile_name != NULL && g_str_equal (profile_name, "p3");
  g_autoptr(GBytes) png = make_tagged_png (profile_name);
  g_autoptr(VipsImage) header = NULL;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const void *buf = g_bytes_get_data (png, &len);
  Rgb rgb;

  header = vips_image_new_from_buffer (buf, len, "", NULL);
  ck_assert_ptr_nonnull (header);
  ck_assert_int_eq (vips_image_get_typeof (header, VIPS_META_ICC_NAME) != 0, profile_name != NULL);
  ck_assert_int_eq (lb_vips_image_needs_profile_transform (header), converted);

  image = lb_thumbnail_render (png, BUCKET, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL,
                               NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  rgb = get_pixel (image, 10, 10);
  if (converted)
    {
      ck_assert_double_lt (rgb.red, 20);
      ck_assert_double_ge (rgb.green, 200);
    }
  else
    {
      ck_assert_double_eq (rgb.red, 40);
      ck_assert_double_eq (rgb.green, 200);
      ck_assert_double_eq (rgb.blue, 40);
    }
}
END_TEST

/* Profiles of other colour spaces, and blobs that are no profile at
 * all, still go through libvips' transform. */
START_TEST (test_profile_not_srgb)
{
  g_autoptr(VipsImage) image = NULL;

  ck_assert_int_eq (vips_black (&image, 8, 8, "bands", 3, NULL), 0);
  ck_assert (!lb_vips_image_needs_profile_transform (image));

  set_builtin_profile (image, "cmyk");
  ck_assert (lb_vips_image_needs_profile_transform (image));

  /* Not a profile at all: libvips decides what to make of it. */
  vips_image_set_blob_copy (image, VIPS_META_ICC_NAME, "not a profile", 13);
  ck_assert (lb_vips_image_needs_profile_transform (image));
}
END_TEST

/* LbThumbnail packs the rows tightly, alpha last, as GdkMemoryTexture
 * expects. */
START_TEST (test_thumbnail_pixels)
{
  gboolean alpha = _i;
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "packed", alpha ?
                                               LB_TEST_FORMAT_PNG_ALPHA : LB_TEST_FORMAT_JPEG,
                                               WIDTH, HEIGHT, 1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(LbThumbnail) no_pixels = NULL;
  const guint8 *data;
  gsize len;
  gsize stride;
  int x = 200;
  int y = 100;
  Rgb rgb;

  image = render_file (path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");

  thumbnail = lb_thumbnail_new_from_image (file, LB_THUMBNAIL_SIZE_LARGE,
                                           LB_THUMBNAIL_ORIGIN_GENERATED,
                                           image, TRUE, &error);
  ck_assert_msg (thumbnail != NULL, "%s", error ? error->message : "");
  ck_assert (lb_thumbnail_get_file (thumbnail) == file);
  ck_assert_int_eq (lb_thumbnail_get_size (thumbnail), LB_THUMBNAIL_SIZE_LARGE);
  ck_assert_int_eq (lb_thumbnail_get_origin (thumbnail), LB_THUMBNAIL_ORIGIN_GENERATED);
  ck_assert_int_eq (lb_thumbnail_get_width (thumbnail), image->Xsize);
  ck_assert_int_eq (lb_thumbnail_get_height (thumbnail), image->Ysize);
  ck_assert_int_eq (lb_thumbnail_get_has_alpha (thumbnail), alpha);

  stride = lb_thumbnail_get_stride (thumbnail);
  ck_assert_uint_eq (stride, (gsize) image->Xsize * (alpha ? 4 : 3));
  data = g_bytes_get_data (lb_thumbnail_get_pixels (thumbnail), &len);
  ck_assert_uint_eq (len, stride * image->Ysize);

  rgb = get_pixel (image, x, y);
  ck_assert_int_eq (data[y * stride + x * image->Bands + 0], (int) rgb.red);
  ck_assert_int_eq (data[y * stride + x * image->Bands + 1], (int) rgb.green);
  ck_assert_int_eq (data[y * stride + x * image->Bands + 2], (int) rgb.blue);

  no_pixels = lb_thumbnail_new_from_image (file, LB_THUMBNAIL_SIZE_LARGE,
                                           LB_THUMBNAIL_ORIGIN_CACHE,
                                           image, FALSE, &error);
  ck_assert_ptr_nonnull (no_pixels);
  ck_assert_ptr_null (lb_thumbnail_get_pixels (no_pixels));
  ck_assert_int_eq (lb_thumbnail_get_width (no_pixels), image->Xsize);
}
END_TEST

/* Where the stored top-left corner ends up once EXIF orientation
 * @orientation is applied (see get_corner()). */
static int
expected_marker_corner (int orientation)
{
  static const int corners[] = { 0, 0, 1, 2, 3, 0, 1, 2, 3 };

  return corners[orientation];
}

START_TEST (test_render_orientation)
{
  int orientation = _i;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  gboolean swapped = orientation >= 5;
  int width = 0;
  int height = 0;
  int corner;

  path = lb_test_write_image (lb_test_tmp_dir, "oriented.jpg", LB_TEST_FORMAT_JPEG,
                              WIDTH, HEIGHT, orientation);
  image = render_file (path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, &width, &height, NULL, &error);
  ck_assert_msg (image != NULL, "%d: %s", orientation, error ? error->message : "");

  ck_assert_int_eq (width, swapped ? HEIGHT : WIDTH);
  ck_assert_int_eq (height, swapped ? WIDTH : HEIGHT);
  assert_thumbnail_shape (image, width, height);

  corner = expected_marker_corner (orientation);
  for (int c = 0; c < 4; c++)
    ck_assert_msg (is_marker (get_corner (image, c)) == (c == corner),
                   "orientation %d: corner %d", orientation, c);
}
END_TEST

/* Five by three RGBA pixels, shrunk 2 × 2: every block's average is
 * weighted by alpha, and the blocks at the right and bottom edges
 * average only the pixels they have. */
START_TEST (test_shrink_premultiplied_values)
{
  static const guint8 top_row[5][4] = {
    { 255, 0, 0, 255 }, { 0, 255, 0, 0 }, { 0, 0, 255, 128 }, { 255, 255, 255, 255 },
    { 10, 20, 30, 200 },
  };
  static const float expected[2][3][4] = {
    { { 127.5f, 0, 0, 127.5f }, { 127.5f, 127.5f, 191.5f, 191.5f },
      { 7.843137f, 15.686275f, 23.529412f, 200 } },
    { { 20, 20, 20, 51 }, { 20, 20, 20, 51 }, { 20, 20, 20, 51 } },
  };
  guint8 pixels[3][5][4];
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(VipsImage) shrunk = NULL;
  g_autoptr(GError) error = NULL;
  const float *out;

  /* Rows 0 and 1 alike; row 2 grey at alpha 51. */
  memcpy (pixels[0], top_row, sizeof top_row);
  memcpy (pixels[1], top_row, sizeof top_row);
  for (int x = 0; x < 5; x++)
    memcpy (pixels[2][x], (guint8[4]) { 100, 100, 100, 51 }, 4);

  image = vips_image_new_from_memory_copy (pixels, sizeof pixels, 5, 3, 4, VIPS_FORMAT_UCHAR);
  shrunk = lb_vips_shrink_premultiplied (image, 2, 2, NULL, &error);

  ck_assert_msg (shrunk != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (shrunk->Xsize, 3);
  ck_assert_int_eq (shrunk->Ysize, 2);
  ck_assert_int_eq (shrunk->Bands, 4);
  ck_assert_int_eq (shrunk->BandFmt, VIPS_FORMAT_FLOAT);
  for (int y = 0; y < 2; y++)
    for (int x = 0; x < 3; x++)
      {
        out = (const float *) VIPS_IMAGE_ADDR (shrunk, x, y);
        for (int band = 0; band < 4; band++)
          ck_assert_msg (fabsf (out[band] - expected[y][x][band]) < 1e-3f,
                         "pixel %d,%d band %d: %f, expected %f", x, y, band,
                         out[band], expected[y][x][band]);
      }
}
END_TEST

START_TEST (test_shrink_premultiplied_cancelled)
{
  g_autoptr(VipsImage) black = NULL;
  g_autoptr(VipsImage) shrunk = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  ck_assert_int_eq (vips_black (&black, 64, 64, "bands", 4, NULL), 0);
  g_cancellable_cancel (cancellable);
  shrunk = lb_vips_shrink_premultiplied (black, 4, 4, cancellable, &error);

  ck_assert_ptr_null (shrunk);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}
END_TEST

/* An RGBA PNG big enough to be shrunk as it is decoded: opaque red
 * that fades with height, a half-transparent band, then fully
 * transparent pixels whose colour is green. */
#define RGBA_WIDTH  1200
#define RGBA_HEIGHT 800

static GBytes *
make_rgba_png (void)
{
  g_autofree guint8 *pixels = g_malloc ((gsize) RGBA_WIDTH * RGBA_HEIGHT * 4);
  g_autoptr(VipsImage) image = NULL;
  void *png = NULL;
  size_t len = 0;

  for (int y = 0; y < RGBA_HEIGHT; y++)
    for (int x = 0; x < RGBA_WIDTH; x++)
      {
        guint8 *pixel = pixels + ((gsize) y * RGBA_WIDTH + x) * 4;
        guint8 red = 120 + y * 120 / RGBA_HEIGHT;

        if (x < 500)
          memcpy (pixel, (guint8[4]) { red, 0, 0, 255 }, 4);
        else if (x < 700)
          memcpy (pixel, (guint8[4]) { red, 0, 0, 96 }, 4);
        else
          memcpy (pixel, (guint8[4]) { 0, 255, 0, 0 }, 4);
      }

  image = vips_image_new_from_memory_copy (pixels, (gsize) RGBA_WIDTH * RGBA_HEIGHT * 4,
                                           RGBA_WIDTH, RGBA_HEIGHT, 4, VIPS_FORMAT_UCHAR);
  image->Type = VIPS_INTERPRETATION_sRGB;
  ck_assert_int_eq (vips_pngsave_buffer (image, &png, &len, "compression", 1, NULL), 0);

  return g_bytes_new_take (png, len);
}

/* Lightbox decodes some formats its own way: the thumbnail must still
 * be the one vips_thumbnail() makes, within a level on average. */
static void
assert_like_vips_thumbnail (VipsImage *image,
                            GBytes    *bytes)
{
  g_autoptr(VipsImage) reference = NULL;
  g_autoptr(VipsImage) difference = NULL;
  g_autoptr(VipsImage) absolute = NULL;
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);
  double mean_difference;

  ck_assert_int_eq (vips_thumbnail_buffer ((void *) data, len, &reference, BUCKET,
                                           "height", BUCKET, NULL), 0);
  ck_assert_int_eq (reference->Xsize, image->Xsize);
  ck_assert_int_eq (reference->Ysize, image->Ysize);
  ck_assert_int_eq (reference->Bands, image->Bands);
  ck_assert_int_eq (vips_subtract (image, reference, &difference, NULL), 0);
  ck_assert_int_eq (vips_abs (difference, &absolute, NULL), 0);
  ck_assert_int_eq (vips_avg (absolute, &mean_difference, NULL), 0);
  ck_assert_msg (mean_difference < 1.0, "differs from vips_thumbnail() by %f on average",
                 mean_difference);
}

/* The same thumbnail as vips_thumbnail() would make, and no colour of
 * transparent pixels in it. */
START_TEST (test_render_rgba_png)
{
  g_autoptr(GBytes) bytes = make_rgba_png ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  image = lb_thumbnail_render (bytes, BUCKET, LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                               NULL, NULL, NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  assert_thumbnail_shape (image, RGBA_WIDTH, RGBA_HEIGHT);
  ck_assert_int_eq (image->Bands, 4);

  for (int y = 0; y < image->Ysize; y++)
    for (int x = 0; x < image->Xsize; x++)
      {
        const guint8 *pixel = VIPS_IMAGE_ADDR (image, x, y);

        if (pixel[3] >= 8)
          ck_assert_msg (pixel[1] < 16, "green at %d,%d: %d %d %d %d", x, y,
                         pixel[0], pixel[1], pixel[2], pixel[3]);
      }

  assert_like_vips_thumbnail (image, bytes);
}
END_TEST

/* JPEGs shrink on load further than vips_thumbnail() lets them: 1/4
 * here, where it would take 1/2. */
START_TEST (test_render_jpeg_shrunk_on_load)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               2000, 1500, 1);
  g_autoptr(GBytes) bytes = read_bytes (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  image = lb_thumbnail_render (bytes, BUCKET, LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                               NULL, NULL, NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  assert_thumbnail_shape (image, 2000, 1500);
  ck_assert (is_marker (get_corner (image, 0)));
  assert_like_vips_thumbnail (image, bytes);
}
END_TEST

/* Progressive JPEGs cut down to their DC scans (lb-jpeg-dc-stream.h),
 * of noise so that every AC coefficient counts, with partial blocks at
 * the right and bottom edges. */
#define NOISE_WIDTH  1211
#define NOISE_HEIGHT 807

typedef enum {
  NOISE_JPEG_SUBSAMPLED,     /* YCbCr 4:2:0 */
  NOISE_JPEG_RESTARTS,       /* 4:2:0 with restart markers */
  NOISE_JPEG_FULL_CHROMA,    /* YCbCr 4:4:4 */
  NOISE_JPEG_GREY,
  NOISE_JPEG_CMYK,
  N_NOISE_JPEGS
} NoiseJpeg;

static VipsImage *
make_noise (int bands)
{
  g_autoptr(VipsImage) joined = NULL;
  g_autoptr(VipsImage) cast = NULL;
  VipsImage *noise[3] = { NULL, };
  VipsImage *out = NULL;

  for (int i = 0; i < bands; i++)
    ck_assert_int_eq (vips_gaussnoise (&noise[i], NOISE_WIDTH, NOISE_HEIGHT,
                                       "sigma", 50.0, "mean", 128.0, "seed", i + 1,
                                       NULL), 0);
  ck_assert_int_eq (vips_bandjoin (noise, &joined, bands, NULL), 0);
  for (int i = 0; i < bands; i++)
    g_object_unref (noise[i]);
  ck_assert_int_eq (vips_cast_uchar (joined, &cast, NULL), 0);
  ck_assert_int_eq (vips_copy (cast, &out,
                               "interpretation", bands == 1 ? VIPS_INTERPRETATION_B_W
                                                            : VIPS_INTERPRETATION_sRGB,
                               NULL), 0);

  return out;
}

static GBytes *
make_noise_jpeg (NoiseJpeg kind)
{
  g_autoptr(VipsImage) noise = make_noise (kind == NOISE_JPEG_GREY ? 1 : 3);
  g_autoptr(VipsImage) cmyk = NULL;
  void *buf = NULL;
  size_t len = 0;
  int result = -1;

  switch (kind)
    {
    case NOISE_JPEG_SUBSAMPLED:
    case NOISE_JPEG_GREY:
      result = vips_jpegsave_buffer (noise, &buf, &len, "interlace", TRUE, "Q", 85, NULL);
      break;
    case NOISE_JPEG_RESTARTS:
      result = vips_jpegsave_buffer (noise, &buf, &len, "interlace", TRUE, "Q", 85,
                                     "restart_interval", 7, NULL);
      break;
    case NOISE_JPEG_FULL_CHROMA:
      result = vips_jpegsave_buffer (noise, &buf, &len, "interlace", TRUE, "Q", 85,
                                     "subsample_mode", VIPS_FOREIGN_SUBSAMPLE_OFF, NULL);
      break;
    case NOISE_JPEG_CMYK:
      ck_assert_int_eq (vips_icc_export (noise, &cmyk, "output_profile", "cmyk", NULL), 0);
      result = vips_jpegsave_buffer (cmyk, &buf, &len, "interlace", TRUE, "Q", 85, NULL);
      break;
    case N_NOISE_JPEGS:
      g_assert_not_reached ();
    }
  ck_assert_msg (result == 0, "jpegsave: %s", vips_error_buffer ());

  return g_bytes_new_take (buf, len);
}

/* Decoded at 1/8 scale; libjpeg's warnings fail it too. */
static VipsImage *
load_eighth (GBytes *jpeg)
{
  gsize len;
  const void *data = g_bytes_get_data (jpeg, &len);
  g_autoptr(VipsImage) image = NULL;

  ck_assert_msg (vips_jpegload_buffer ((void *) data, len, &image,
                                       "shrink", 8, "fail_on", VIPS_FAIL_ON_WARNING,
                                       NULL) == 0,
                 "jpegload: %s", vips_error_buffer ());

  return vips_image_copy_memory (image);
}

START_TEST (test_jpeg_dc_stream_same_pixels)
{
  g_autoptr(GBytes) jpeg = make_noise_jpeg (_i);
  g_autoptr(GBytes) dc_stream = NULL;
  g_autoptr(VipsImage) whole = NULL;
  g_autoptr(VipsImage) cut = NULL;
  g_autoptr(VipsImage) difference = NULL;
  g_autoptr(VipsImage) absolute = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  double max_difference = -1;

  dc_stream = lb_jpeg_dc_stream_new (data, len);
  ck_assert_ptr_nonnull (dc_stream);
  /* The luma's AC scans are most of the file. */
  ck_assert_uint_lt (g_bytes_get_size (dc_stream), len / 2);

  whole = load_eighth (jpeg);
  cut = load_eighth (dc_stream);
  ck_assert_int_eq (cut->Xsize, whole->Xsize);
  ck_assert_int_eq (cut->Ysize, whole->Ysize);
  ck_assert_int_eq (cut->Xsize, NOISE_WIDTH / 8);
  ck_assert_int_eq (cut->Bands, whole->Bands);
  ck_assert_int_eq (vips_subtract (whole, cut, &difference, NULL), 0);
  ck_assert_int_eq (vips_abs (difference, &absolute, NULL), 0);
  ck_assert_int_eq (vips_max (absolute, &max_difference, NULL), 0);
  ck_assert_msg (max_difference == 0, "pixels differ by up to %g", max_difference);
}
END_TEST

/* Scan headers at the very end of a file, after the frame header. */
static const struct {
  guint8 bytes[5];
  gsize  len;
} short_scans[] = {
  { { 0xFF, 0xDA, 0x00, 0x03, 0xFF }, 5 },
  { { 0xFF, 0xDA, 0x00, 0x02 }, 4 },
  { { 0xFF, 0xDA, 0x00 }, 3 },
};

/* Anything but a whole, well-formed progressive JPEG is left as it is. */
START_TEST (test_jpeg_dc_stream_refused)
{
  g_autoptr(GBytes) baseline = lb_test_make_image_bytes (LB_TEST_FORMAT_JPEG, 640, 480, 1);
  g_autoptr(GBytes) png = lb_test_make_image_bytes (LB_TEST_FORMAT_PNG, 64, 64, 1);
  g_autoptr(GBytes) progressive = make_noise_jpeg (NOISE_JPEG_SUBSAMPLED);
  gsize len;
  const guint8 *data = g_bytes_get_data (progressive, &len);
  g_autoptr(GBytes) whole = lb_jpeg_dc_stream_new (data, len);
  gsize head = 0;   /* where the first scan header starts */

  ck_assert_ptr_nonnull (whole);
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (g_bytes_get_data (baseline, NULL),
                                             g_bytes_get_size (baseline)));
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (g_bytes_get_data (png, NULL), g_bytes_get_size (png)));
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (data, 0));
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (data, 3));
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (data, 600));
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (data, len / 2));
  ck_assert_ptr_null (lb_jpeg_dc_stream_new (data, len - 1));

  /* Scan headers at the very end of the file: one that claims 255
   * components in its one byte, one with no byte at all, one cut inside
   * its length. Nothing is read past the end (the checked builds would
   * see it). */
  while (head + 1 < len && !(data[head] == 0xFF && data[head + 1] == 0xDA))
    head++;
  ck_assert_uint_lt (head + 1, len);

  for (guint i = 0; i < G_N_ELEMENTS (short_scans); i++)
    {
      g_autofree guint8 *cut = g_malloc (head + short_scans[i].len);

      memcpy (cut, data, head);
      memcpy (cut + head, short_scans[i].bytes, short_scans[i].len);
      ck_assert_ptr_null (lb_jpeg_dc_stream_new (cut, head + short_scans[i].len));
    }
}
END_TEST

/* Flipped bits anywhere: a cut-down stream or none, and whatever comes
 * out decodes or fails like any damaged JPEG (the checked builds watch
 * the memory). */
START_TEST (test_jpeg_dc_stream_damaged)
{
  g_autoptr(GBytes) progressive = make_noise_jpeg (NOISE_JPEG_SUBSAMPLED);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xdc);
  gsize len;
  const guint8 *data = g_bytes_get_data (progressive, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);

  for (int i = 0; i < 48; i++)
    {
      /* Most flips in the headers, where the structure is. */
      gsize at = i % 3 ? (gsize) g_rand_int_range (rand, 0, 1024) : (gsize) g_rand_int_range (rand, 0, len);
      guint8 bit = 1 << g_rand_int_range (rand, 0, 8);
      g_autoptr(GBytes) dc_stream = NULL;

      copy[at] ^= bit;
      dc_stream = lb_jpeg_dc_stream_new (copy, len);
      if (dc_stream != NULL)
        {
          gsize cut_len;
          const guint8 *cut = g_bytes_get_data (dc_stream, &cut_len);
          g_autoptr(VipsImage) image = NULL;
          g_autoptr(VipsImage) memory = NULL;

          ck_assert_uint_ge (cut_len, 4);
          ck_assert (cut[0] == 0xFF && cut[1] == 0xD8);
          ck_assert (cut[cut_len - 2] == 0xFF && cut[cut_len - 1] == 0xD9);
          if (vips_jpegload_buffer ((void *) cut, cut_len, &image, "shrink", 8,
                                    "fail_on", VIPS_FAIL_ON_ERROR, NULL) == 0)
            memory = vips_image_copy_memory (image);
          vips_error_clear ();
        }
      copy[at] ^= bit;
    }
}
END_TEST

/* Through lb_thumbnail_render(), a big progressive JPEG (decoded at 1/8
 * from its DC scans) makes the thumbnail vips_thumbnail() would. */
START_TEST (test_render_progressive_jpeg_at_eighth)
{
  g_autoptr(GBytes) bytes = lb_test_make_image_bytes (LB_TEST_FORMAT_JPEG_PROGRESSIVE,
                                                      2400, 1600, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  image = lb_thumbnail_render (bytes, BUCKET, LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                               NULL, NULL, NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  assert_thumbnail_shape (image, 2400, 1600);
  ck_assert (is_marker (get_corner (image, 0)));
  assert_like_vips_thumbnail (image, bytes);
}
END_TEST

/* Truncated, the PNG fails as every damaged file does. */
START_TEST (test_render_rgba_png_truncated)
{
  g_autoptr(GBytes) bytes = make_rgba_png ();
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) / 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  image = lb_thumbnail_render (half, BUCKET, LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                               NULL, NULL, NULL, &error);

  ck_assert_ptr_null (image);
  ck_assert_msg (g_error_matches (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_CORRUPT),
                 "%s", error ? error->message : "success");
}
END_TEST

static const struct {
  LbTestBadKind    kind;
  LbThumbnailError code;
} bad_files[] = {
  { LB_TEST_BAD_EMPTY,           LB_THUMBNAIL_ERROR_UNSUPPORTED },
  { LB_TEST_BAD_TRUNCATED_JPEG,  LB_THUMBNAIL_ERROR_CORRUPT },
  { LB_TEST_BAD_TRUNCATED_PNG,   LB_THUMBNAIL_ERROR_CORRUPT },
  { LB_TEST_BAD_RANDOM,          LB_THUMBNAIL_ERROR_UNSUPPORTED },
  { LB_TEST_BAD_TEXT,            LB_THUMBNAIL_ERROR_UNSUPPORTED },
  { LB_TEST_BAD_HEADER_ONLY_PNG, LB_THUMBNAIL_ERROR_CORRUPT },
  { LB_TEST_BAD_PNG_BOMB,        LB_THUMBNAIL_ERROR_TOO_LARGE },
};

START_TEST (test_render_bad_file)
{
  g_autofree char *path = lb_test_write_bad_file (lb_test_tmp_dir, "bad.png", bad_files[_i].kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  image = render_file (path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, NULL, &error);

  ck_assert_ptr_null (image);
  ck_assert_msg (g_error_matches (error, LB_THUMBNAIL_ERROR, bad_files[_i].code),
                 "kind %d: expected code %d, got %s", bad_files[_i].kind,
                 bad_files[_i].code, error ? error->message : "success");
  ck_assert_str_ne (error->message, "");
}
END_TEST

START_TEST (test_render_misnamed)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  path = lb_test_write_image (lb_test_tmp_dir, "really-webp.jpg", LB_TEST_FORMAT_WEBP,
                              WIDTH, HEIGHT, 1);
  image = render_file (path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, NULL, &error);

  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  assert_thumbnail_shape (image, WIDTH, HEIGHT);
}
END_TEST

START_TEST (test_render_max_pixels)
{
  g_autofree char *path = NULL;
  g_autofree char *svg_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  const char *huge_svg =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"100000\">"
    "<rect width=\"100000\" height=\"100000\" fill=\"red\"/></svg>";

  /* The limit is inclusive. */
  path = lb_test_write_image (lb_test_tmp_dir, "small.png", LB_TEST_FORMAT_PNG, WIDTH, HEIGHT, 1);
  image = render_file (path, WIDTH * HEIGHT, NULL, NULL, NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  g_clear_object (&image);

  image = render_file (path, WIDTH * HEIGHT - 1, NULL, NULL, NULL, &error);
  ck_assert_ptr_null (image);
  ck_assert (g_error_matches (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE));
  g_clear_error (&error);

  svg_path = g_build_filename (lb_test_tmp_dir, "huge.svg", NULL);
  ck_assert (g_file_set_contents (svg_path, huge_svg, -1, NULL));
  image = render_file (svg_path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, NULL, &error);
  ck_assert_ptr_null (image);
  ck_assert (g_error_matches (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE));
}
END_TEST

/* SVGs must not reach out: neither to the network (a local listener
 * must see no connection) nor to local files (a bright green PNG must
 * not show up in the render). */
START_TEST (test_render_svg_no_external)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(VipsImage) black = NULL;
  g_autoptr(VipsImage) green = NULL;
  double scale[] = { 1, 1, 1 };
  double offset[] = { 0, 255, 0 };
  g_autofree char *green_path = g_build_filename (lb_test_tmp_dir, "green.png", NULL);
  g_autofree char *green_uri = g_filename_to_uri (green_path, NULL, NULL);
  g_autofree char *svg = NULL;
  g_autofree char *svg_path = g_build_filename (lb_test_tmp_dir, "hostile.svg", NULL);
  guint16 port;
  Rgb rgb;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, &error);
  ck_assert_msg (listener != NULL, "%s", error ? error->message : "");
  ck_assert (g_socket_bind (listener, address, TRUE, NULL));
  ck_assert (g_socket_listen (listener, NULL));
  g_socket_set_blocking (listener, FALSE);
  bound = g_socket_get_local_address (listener, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  ck_assert_int_eq (vips_black (&black, 64, 64, "bands", 3, NULL), 0);
  ck_assert_int_eq (vips_linear (black, &green, scale, offset, 3, NULL), 0);
  ck_assert_int_eq (vips_pngsave (green, green_path, NULL), 0);

  svg = g_strdup_printf (
    "<svg xmlns=\"http://www.w3.org/2000/svg\""
    " xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"400\" height=\"200\">"
    "<rect width=\"400\" height=\"200\" fill=\"#0000ff\"/>"
    "<image x=\"0\" y=\"0\" width=\"200\" height=\"200\" xlink:href=\"%s\"/>"
    "<image x=\"200\" y=\"0\" width=\"200\" height=\"200\""
    " xlink:href=\"http://127.0.0.1:%u/image.png\"/>"
    "<image x=\"0\" y=\"0\" width=\"200\" height=\"200\" xlink:href=\"/etc/passwd\"/>"
    "</svg>", green_uri, port);
  ck_assert (g_file_set_contents (svg_path, svg, -1, NULL));

  /* librsvg skips the images it may not load and draws the rest. */
  image = render_file (svg_path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, NULL, &error);
  ck_assert_msg (image != NULL, "%s", error ? error->message : "");
  rgb = get_pixel (image, image->Xsize / 4, image->Ysize / 2);
  ck_assert_msg (rgb.green < 100 && rgb.blue > 150, "the local file was drawn");

  accepted = g_socket_accept (listener, NULL, &error);
  ck_assert_ptr_null (accepted);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
}
END_TEST

/* Formats libvips could read but lb_vips_init() blocks. */
START_TEST (test_render_blocked_loaders)
{
  g_autoptr(VipsImage) picture = NULL;
  g_autoptr(VipsImage) xyz = NULL;
  g_autofree char *rad_path = g_build_filename (lb_test_tmp_dir, "light.hdr", NULL);
  g_autofree char *bmp_path = g_build_filename (lb_test_tmp_dir, "old.bmp", NULL);
  g_autofree char *ppm_path = g_build_filename (lb_test_tmp_dir, "plain.ppm", NULL);
  const char *paths[] = { rad_path, bmp_path, ppm_path };

  ck_assert_int_eq (vips_xyz (&xyz, 64, 48, NULL), 0);
  ck_assert_int_eq (vips_cast_uchar (xyz, &picture, NULL), 0);
  ck_assert_int_eq (vips_radsave (picture, rad_path, NULL), 0);
  ck_assert_int_eq (vips_magicksave (picture, bmp_path, "format", "bmp", NULL), 0);
  ck_assert_int_eq (vips_ppmsave (picture, ppm_path, NULL), 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VipsImage) image = NULL;

      image = render_file (paths[i], LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, NULL, &error);
      ck_assert_ptr_null (image);
      ck_assert_msg (g_error_matches (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED),
                     "%s: %s", paths[i], error ? error->message : "success");
    }
}
END_TEST

START_TEST (test_render_cancel_before)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "a.jpg", LB_TEST_FORMAT_JPEG,
                                               WIDTH, HEIGHT, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;

  g_cancellable_cancel (cancellable);
  image = render_file (path, LB_THUMBNAIL_DEFAULT_MAX_PIXELS, NULL, NULL, cancellable, &error);

  ck_assert_ptr_null (image);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}
END_TEST

/* Called for every "eval" of any image, on the thread that computes
 * it: libvips has decoded and computed a tile, so the render is under way.
 * Cancels it there and then. */
static gboolean
cancel_on_eval (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               data)
{
  GCancellable *cancellable = data;

  g_cancellable_cancel (cancellable);

  return TRUE;
}

/* A PNG of 10000 × 10000 pixels (all black, so the file stays small)
 * has no shrink-on-load: every row must be inflated. With 3 bands
 * libvips shrinks it, with 4 (RGBA) Lightbox does. It is cancelled once
 * libvips reports the first rows computed. */
START_TEST (test_render_cancel_during)
{
  g_autoptr(VipsImage) black = NULL;
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, "big.png", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint eval_signal;
  gulong hook;

  ck_assert_int_eq (vips_black (&black, 10000, 10000, "bands", _i, NULL), 0);
  ck_assert_int_eq (vips_pngsave (black, path, "compression", 1, NULL), 0);
  bytes = read_bytes (path);

  /* Looked up once the class exists, with the first image. */
  eval_signal = g_signal_lookup ("eval", VIPS_TYPE_IMAGE);
  hook = g_signal_add_emission_hook (eval_signal, 0, cancel_on_eval, cancellable, NULL);
  image = lb_thumbnail_render (bytes, BUCKET, LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                               NULL, NULL, cancellable, &error);
  g_signal_remove_emission_hook (eval_signal, hook);

  ck_assert (g_cancellable_is_cancelled (cancellable));
  ck_assert_ptr_null (image);
  ck_assert_msg (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED),
                 "%s", error ? error->message : "finished although cancelled");
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite;
  TCase *tcase;

  lb_vips_init (argv[0]);

  suite = suite_create ("thumbnail-render");

  tcase = tcase_create ("formats");
  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_add_loop_test (tcase, test_render_format, 0, LB_TEST_N_FORMATS);
  tcase_add_loop_test (tcase, test_render_orientation, 1, 9);
  tcase_add_test (tcase, test_render_misnamed);
  tcase_add_loop_test (tcase, test_thumbnail_pixels, 0, 2);
  tcase_add_loop_test (tcase, test_render_profile, 0, 3);
  tcase_add_test (tcase, test_profile_not_srgb);
  tcase_add_test (tcase, test_render_rgba_png);
  tcase_add_test (tcase, test_render_jpeg_shrunk_on_load);
  tcase_add_test (tcase, test_render_progressive_jpeg_at_eighth);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("jpeg-dc-stream");
  tcase_add_loop_test (tcase, test_jpeg_dc_stream_same_pixels, 0, N_NOISE_JPEGS);
  tcase_add_test (tcase, test_jpeg_dc_stream_refused);
  tcase_add_test (tcase, test_jpeg_dc_stream_damaged);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("premultiplied-shrink");
  tcase_add_test (tcase, test_shrink_premultiplied_values);
  tcase_add_test (tcase, test_shrink_premultiplied_cancelled);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("hostile");
  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_add_loop_test (tcase, test_render_bad_file, 0, G_N_ELEMENTS (bad_files));
  tcase_add_test (tcase, test_render_rgba_png_truncated);
  tcase_add_test (tcase, test_render_max_pixels);
  tcase_add_test (tcase, test_render_svg_no_external);
  tcase_add_test (tcase, test_render_blocked_loaders);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("cancel");
  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_add_test (tcase, test_render_cancel_before);
  tcase_add_loop_test (tcase, test_render_cancel_during, 3, 5);
  suite_add_tcase (suite, tcase);

  return lb_test_run_suite (suite, CK_FORK_GETENV);
}
