/* test-image-source.c: the viewer's renditions, regions and animations (headless)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <stdlib.h>

#include "lb-image-source.h"
#include "lb-test-fixtures.h"
#include "lb-thumbnail.h"
#include "lb-vips.h"


typedef struct {
  GObject  *object;
  GError   *error;
  gboolean  done;
} Result;

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *open = user_data;

  open->object = G_OBJECT (lb_image_source_open_finish (result, &open->error));
  open->done = TRUE;
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Result *render = user_data;

  render->object = G_OBJECT (lb_image_source_render_finish (LB_IMAGE_SOURCE (object),
                                                            result, &render->error));
  render->done = TRUE;
}

static LbImageSource *
open_source_or_error (const char  *path,
                      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Result open = { 0 };

  lb_image_source_open_async (file, G_PRIORITY_DEFAULT, NULL, opened_cb, &open);
  lb_test_spin_until (&open.done);
  if (open.error != NULL)
    g_propagate_error (error, open.error);

  return LB_IMAGE_SOURCE (open.object);
}

static LbImageSource *
open_source (const char *path)
{
  g_autoptr(GError) error = NULL;
  LbImageSource *source = open_source_or_error (path, &error);

  ck_assert_msg (source != NULL, "%s: %s", path, error ? error->message : "");

  return source;
}

static LbRendition *
render_fit_or_error (LbImageSource  *source,
                     int             max_width,
                     int             max_height,
                     GError        **error)
{
  Result render = { 0 };

  lb_image_source_render_async (source, max_width, max_height, G_PRIORITY_DEFAULT,
                                NULL, rendered_cb, &render);
  lb_test_spin_until (&render.done);
  if (render.error != NULL)
    g_propagate_error (error, render.error);

  return LB_RENDITION (render.object);
}

static LbRendition *
render_fit (LbImageSource *source,
            int            max_width,
            int            max_height)
{
  g_autoptr(GError) error = NULL;
  LbRendition *rendition = render_fit_or_error (source, max_width, max_height, &error);

  ck_assert_msg (rendition != NULL, "%s", error ? error->message : "");

  return rendition;
}

static LbRendition *
render_region (LbImageSource *source,
               double         scale,
               int            x,
               int            y,
               int            width,
               int            height)
{
  Result render = { 0 };

  lb_image_source_render_region_async (source, scale, x, y, width, height,
                                       G_PRIORITY_DEFAULT, NULL, rendered_cb, &render);
  lb_test_spin_until (&render.done);
  ck_assert_msg (render.object != NULL, "%s", render.error ? render.error->message : "");

  return LB_RENDITION (render.object);
}

typedef struct {
  int red;
  int green;
  int blue;
} Rgb;

static Rgb
get_pixel (LbRendition *rendition,
           int          frame,
           int          x,
           int          y)
{
  g_autoptr(GBytes) pixels = lb_rendition_dup_frame_pixels (rendition, frame);
  const guint8 *data = g_bytes_get_data (pixels, NULL);
  int bpp = lb_rendition_get_has_alpha (rendition) ? 4 : 3;
  const guint8 *p;
  Rgb rgb;

  ck_assert_int_lt (x, lb_rendition_get_width (rendition));
  ck_assert_int_lt (y, lb_rendition_get_height (rendition));
  ck_assert_uint_eq (g_bytes_get_size (pixels),
                     lb_rendition_get_stride (rendition) * lb_rendition_get_height (rendition));

  p = data + y * lb_rendition_get_stride (rendition) + x * bpp;
  rgb.red = p[0];
  rgb.green = p[1];
  rgb.blue = p[2];

  return rgb;
}

static gboolean
is_marker (Rgb rgb)
{
  return rgb.red > 180 && rgb.green < 90 && rgb.blue < 90;
}

/* 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left */
static Rgb
get_corner (LbRendition *rendition,
            int          corner)
{
  int width = lb_rendition_get_width (rendition);
  int height = lb_rendition_get_height (rendition);
  int x = (corner == 1 || corner == 2) ? width - 1 - width / 16 : width / 16;
  int y = (corner == 2 || corner == 3) ? height - 1 - height / 16 : height / 16;

  return get_pixel (rendition, 0, x, y);
}

START_TEST (test_source_fit)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "wide.jpg", LB_TEST_FORMAT_JPEG,
                                               1200, 800, 1);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) rendition = NULL;

  ck_assert_int_eq (lb_image_source_get_width (source), 1200);
  ck_assert_int_eq (lb_image_source_get_height (source), 800);
  ck_assert_str_eq (lb_image_info_get_format (lb_image_source_get_info (source)), "JPEG");

  rendition = render_fit (source, 300, 300);
  ck_assert_int_eq (lb_rendition_get_width (rendition), 300);
  ck_assert_int_eq (lb_rendition_get_height (rendition), 200);
  ck_assert_double_eq_tol (lb_rendition_get_scale (rendition), 0.25, 1e-9);
  ck_assert_int_eq (lb_rendition_get_n_frames (rendition), 1);
  ck_assert_int_eq (lb_rendition_get_x (rendition), 0);
  ck_assert_int_eq (lb_rendition_get_y (rendition), 0);
  ck_assert (is_marker (get_corner (rendition, 0)));
  ck_assert (!is_marker (get_corner (rendition, 2)));
}
END_TEST

START_TEST (test_source_fit_never_enlarges)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "small.png", LB_TEST_FORMAT_PNG_ALPHA,
                                               200, 100, 1);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) rendition = render_fit (source, 1920, 1080);

  ck_assert_int_eq (lb_rendition_get_width (rendition), 200);
  ck_assert_int_eq (lb_rendition_get_height (rendition), 100);
  ck_assert_double_eq_tol (lb_rendition_get_scale (rendition), 1, 1e-9);
  ck_assert (lb_rendition_get_has_alpha (rendition));
  ck_assert_uint_eq (lb_rendition_get_stride (rendition), 200 * 4);
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

START_TEST (test_source_fit_orientation)
{
  int orientation = _i;
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "turned.jpg", LB_TEST_FORMAT_JPEG,
                                               480, 320, orientation);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) rendition = render_fit (source, 240, 240);
  gboolean swapped = orientation > 4;

  ck_assert_int_eq (lb_image_source_get_width (source), swapped ? 320 : 480);
  ck_assert_int_eq (lb_image_source_get_height (source), swapped ? 480 : 320);
  ck_assert_int_eq (lb_rendition_get_width (rendition), swapped ? 160 : 240);
  ck_assert_int_eq (lb_rendition_get_height (rendition), swapped ? 240 : 160);
  for (int corner = 0; corner < 4; corner++)
    ck_assert_msg (is_marker (get_corner (rendition, corner)) ==
                   (corner == expected_marker_corner (orientation)),
                   "orientation %d: corner %d", orientation, corner);
}
END_TEST

/* The mean difference over a region, between a region rendition and the
 * same rectangle of a whole rendition at the same scale. */
static double
mean_difference (LbRendition *region,
                 LbRendition *whole)
{
  double sum = 0;
  int width = lb_rendition_get_width (region);
  int height = lb_rendition_get_height (region);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        Rgb a = get_pixel (region, 0, x, y);
        Rgb b = get_pixel (whole, 0,
                           lb_rendition_get_x (region) + x,
                           lb_rendition_get_y (region) + y);

        sum += abs (a.red - b.red) + abs (a.green - b.green) + abs (a.blue - b.blue);
      }

  return sum / (3.0 * width * height);
}

/* Regions are cut in stored coordinates and turned upright afterwards:
 * each orientation must map the rectangle back to the same pixels. */
START_TEST (test_source_region_orientation)
{
  int orientation = _i;
  g_autofree char *jpeg = lb_test_write_image (lb_test_tmp_dir, "turned.jpg", LB_TEST_FORMAT_JPEG,
                                               300, 200, orientation);
  g_autoptr(LbImageSource) source = open_source (jpeg);
  g_autoptr(LbRendition) whole = render_fit (source, 1000, 1000);
  g_autoptr(LbRendition) region = NULL;
  gboolean swapped = orientation > 4;
  int width = swapped ? 200 : 300;

  ck_assert_int_eq (lb_rendition_get_width (whole), width);
  ck_assert_double_eq_tol (lb_rendition_get_scale (whole), 1, 1e-9);

  /* Off-centre and partly outside the image: clipped. */
  region = render_region (source, 1, 20, 30, width, 70);
  ck_assert_int_eq (lb_rendition_get_x (region), 20);
  ck_assert_int_eq (lb_rendition_get_y (region), 30);
  ck_assert_int_eq (lb_rendition_get_width (region), width - 20);
  ck_assert_int_eq (lb_rendition_get_height (region), 70);
  ck_assert_double_eq_tol (lb_rendition_get_scale (region), 1, 1e-9);
  ck_assert_double_lt (mean_difference (region, whole), 2);
}
END_TEST

START_TEST (test_source_region_scaled)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "big.png", LB_TEST_FORMAT_PNG,
                                               800, 600, 1);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) whole = render_fit (source, 400, 400);
  g_autoptr(LbRendition) region = render_region (source, 0.5, 100, 150, 200, 150);

  ck_assert_double_eq_tol (lb_rendition_get_scale (whole), 0.5, 1e-9);
  ck_assert_int_eq (lb_rendition_get_width (region), 200);
  ck_assert_int_eq (lb_rendition_get_height (region), 150);
  ck_assert_double_lt (mean_difference (region, whole), 3);
}
END_TEST

/* 108 megapixels: 324 MB once decoded. The screen-sized view and a
 * region at full resolution must both come from streaming decodes. */
START_TEST (test_source_huge_image_streams)
{
  g_autofree char *path = lb_test_write_large_jpeg (lb_test_tmp_dir, "huge.jpg", 12000, 9000);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) fit = render_fit (source, 1920, 1080);
  g_autoptr(LbRendition) region = render_region (source, 1, 6000, 4500, 512, 512);
  Rgb rgb;

  ck_assert_int_eq (lb_rendition_get_width (fit), 1440);
  ck_assert_int_eq (lb_rendition_get_height (fit), 1080);
  ck_assert_int_eq (lb_rendition_get_width (region), 512);
  ck_assert_int_eq (lb_rendition_get_height (region), 512);

  /* The ramp is x modulo 256: the region starts at 6000 % 256 = 112. */
  rgb = get_pixel (region, 0, 0, 0);
  ck_assert_int_lt (abs (rgb.red - 112), 8);

  /* libvips' own count: the process's would also count the sanitizers'. */
  ck_assert_msg (vips_tracked_get_mem_highwater () < 64 * 1024 * 1024,
                 "libvips peak %zu bytes", vips_tracked_get_mem_highwater ());
}
END_TEST

START_TEST (test_source_animation)
{
  static const int delays[] = { 100, 250, 400 };
  LbTestFormat format = _i == 0 ? LB_TEST_FORMAT_GIF : LB_TEST_FORMAT_WEBP;
  g_autofree char *path = lb_test_write_animation (lb_test_tmp_dir, "anim", format, 60, 40, 3, delays);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) rendition = render_fit (source, 1000, 1000);

  ck_assert (lb_image_info_get_is_animated (lb_image_source_get_info (source)));
  ck_assert_int_eq (lb_image_source_get_width (source), 60);
  ck_assert_int_eq (lb_image_source_get_height (source), 40);
  ck_assert_int_eq (lb_rendition_get_n_frames (rendition), 3);
  ck_assert_int_eq (lb_rendition_get_width (rendition), 60);
  ck_assert_int_eq (lb_rendition_get_height (rendition), 40);

  for (int frame = 0; frame < 3; frame++)
    {
      Rgb rgb = get_pixel (rendition, frame, 30, 20);
      guint8 expected[3];

      lb_test_frame_color (frame, expected);
      ck_assert_int_eq (lb_rendition_get_frame_delay (rendition, frame), delays[frame]);
      ck_assert_msg (abs (rgb.red - expected[0]) < 12 &&
                     abs (rgb.green - expected[1]) < 12 &&
                     abs (rgb.blue - expected[2]) < 12,
                     "frame %d: %d %d %d", frame, rgb.red, rgb.green, rgb.blue);
    }
}
END_TEST

/* All frames are kept decoded: beyond the budget they are shrunk. */
START_TEST (test_source_animation_budget)
{
  static const int delays[] = { 50, 50, 50, 50, 50, 50, 50, 50, 50, 50 };
  g_autofree char *path = lb_test_write_animation (lb_test_tmp_dir, "big.webp", LB_TEST_FORMAT_WEBP,
                                                   2000, 2000, 10, delays);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(LbRendition) rendition = render_fit (source, 4000, 4000);
  gsize bytes = lb_rendition_get_stride (rendition) * lb_rendition_get_height (rendition) * 10;

  ck_assert_int_eq (lb_rendition_get_n_frames (rendition), 10);
  ck_assert_int_lt (lb_rendition_get_width (rendition), 2000);
  ck_assert_uint_le (bytes, LB_IMAGE_SOURCE_ANIMATION_BUDGET);
  ck_assert_int_eq (lb_rendition_get_width (rendition), lb_rendition_get_height (rendition));
}
END_TEST

START_TEST (test_source_errors)
{
  g_autofree char *text = lb_test_write_bad_file (lb_test_tmp_dir, "text.png", LB_TEST_BAD_TEXT);
  g_autofree char *bomb = lb_test_write_bad_file (lb_test_tmp_dir, "bomb.png", LB_TEST_BAD_PNG_BOMB);
  g_autofree char *truncated = lb_test_write_bad_file (lb_test_tmp_dir, "cut.jpg", LB_TEST_BAD_TRUNCATED_JPEG);
  g_autoptr(GError) text_error = NULL;
  g_autoptr(GError) bomb_error = NULL;
  g_autoptr(GError) render_error = NULL;
  g_autoptr(LbImageSource) source = NULL;
  g_autoptr(LbRendition) rendition = NULL;

  ck_assert_ptr_null (open_source_or_error (text, &text_error));
  ck_assert (g_error_matches (text_error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED));

  ck_assert_ptr_null (open_source_or_error (bomb, &bomb_error));
  ck_assert (g_error_matches (bomb_error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE));

  /* The header is whole: the damage shows when the pixels are decoded. */
  source = open_source (truncated);
  rendition = render_fit_or_error (source, 100, 100, &render_error);
  ck_assert_ptr_null (rendition);
  ck_assert (g_error_matches (render_error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_CORRUPT));
}
END_TEST

START_TEST (test_source_cancelled)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               640, 480, 1);
  g_autoptr(LbImageSource) source = open_source (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result render = { 0 };

  g_cancellable_cancel (cancellable);
  lb_image_source_render_async (source, 100, 100, G_PRIORITY_DEFAULT, cancellable,
                                rendered_cb, &render);
  lb_test_spin_until (&render.done);
  ck_assert_ptr_null (render.object);
  ck_assert (g_error_matches (render.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_error_free (render.error);
}
END_TEST

static Suite *
image_source_suite (void)
{
  Suite *suite = suite_create ("image-source");
  TCase *tcase = tcase_create ("image-source");

  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_set_timeout (tcase, 120);
  tcase_add_test (tcase, test_source_fit);
  tcase_add_test (tcase, test_source_fit_never_enlarges);
  tcase_add_loop_test (tcase, test_source_fit_orientation, 1, 9);
  tcase_add_loop_test (tcase, test_source_region_orientation, 1, 9);
  tcase_add_test (tcase, test_source_region_scaled);
  tcase_add_test (tcase, test_source_huge_image_streams);
  tcase_add_loop_test (tcase, test_source_animation, 0, 2);
  tcase_add_test (tcase, test_source_animation_budget);
  tcase_add_test (tcase, test_source_errors);
  tcase_add_test (tcase, test_source_cancelled);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{

  lb_vips_init (argv[0]);

  return lb_test_run_suite (image_source_suite (), CK_FORK_GETENV);
}
