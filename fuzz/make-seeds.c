/* make-seeds.c: writes the seed corpora of the fuzzers
 *
 *   make-seeds RENDER-DIR CACHE-DIR
 *
 * RENDER-DIR gets a small image of every format the tests know (and some
 * broken ones); CACHE-DIR gets thumbnails as the cache writes them for the
 * URI and mtime the cache harness asks for, so that fuzzing starts from
 * inputs that pass its checks and reach the pixels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-thumbnail-cache.h"
#include "lb-thumbnail-render.h"
#include "fuzz-cache-seed.h"

static void
write_render_seeds (const char *dir)
{
  static const LbTestBadKind bad_kinds[] = {
    LB_TEST_BAD_TRUNCATED_JPEG, LB_TEST_BAD_TRUNCATED_PNG, LB_TEST_BAD_PNG_BOMB,
    LB_TEST_BAD_JPEG_BOMB, LB_TEST_BAD_GIF_BOMB, LB_TEST_BAD_TIFF_BOMB,
    LB_TEST_BAD_SVG_BOMB,
  };

  for (int format = 0; format < LB_TEST_N_FORMATS; format++)
    {
      g_autofree char *name = g_strdup_printf ("%s", lb_test_format_get_name (format));
      g_autofree char *rotated = g_strdup_printf ("%s-6", lb_test_format_get_name (format));

      g_free (lb_test_write_image (dir, name, format, 40, 30, 1));
      g_free (lb_test_write_image (dir, rotated, format, 24, 36, 6));
    }

  /* Shrunk 8 times on load to 128 px, so decoded from its DC scans; wide
   * enough for that, small enough for the harness' memory budget. */
  g_free (lb_test_write_image (dir, "jpeg-progressive-eighth", LB_TEST_FORMAT_JPEG_PROGRESSIVE,
                               1024, 256, 1));

  for (guint i = 0; i < G_N_ELEMENTS (bad_kinds); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%u", i);

      g_free (lb_test_write_bad_file (dir, name, bad_kinds[i]));
    }
}

static void
write_cache_seeds (const char *dir)
{
  LbThumbnailMeta meta = {
    .uri = FUZZ_CACHE_URI,
    .mtime = FUZZ_CACHE_MTIME,
    .size = 12345,
    .mime_type = "image/jpeg",
    .image_width = 4000,
    .image_height = 3000,
  };
  static const LbTestFormat formats[] = {
    LB_TEST_FORMAT_PNG, LB_TEST_FORMAT_PNG_ALPHA, LB_TEST_FORMAT_PNG_16,
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GBytes) bytes = lb_test_make_image_bytes (formats[i], 128, 96, 1);
      g_autoptr(VipsImage) image = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/thumbnail-%u.png", dir, i);
      gsize len;
      const void *data = g_bytes_get_data (bytes, &len);

      image = vips_image_new_from_buffer (data, len, "", NULL);
      g_assert_nonnull (image);
      if (!lb_thumbnail_write_png (image, path, &meta, &error))
        g_error ("%s: %s", path, error->message);
    }

  /* A fail entry, and a PNG that is no thumbnail at all. */
  {
    static const guint8 transparent[4] = { 0, 0, 0, 0 };
    g_autoptr(VipsImage) pixel = vips_image_new_from_memory (transparent, 4, 1, 1, 4,
                                                             VIPS_FORMAT_UCHAR);
    g_autofree char *path = g_build_filename (dir, "fail.png", NULL);
    g_autoptr(GError) error = NULL;

    if (!lb_thumbnail_write_png (pixel, path, &meta, &error))
      g_error ("%s: %s", path, error->message);
    g_free (lb_test_write_image (dir, "foreign.png", LB_TEST_FORMAT_PNG_PALETTE, 32, 32, 1));
  }
}

/* The fixtures report through check, so the seeds are made as a test. */
static char **seed_dirs;

START_TEST (make_seeds)
{
  write_render_seeds (seed_dirs[0]);
  write_cache_seeds (seed_dirs[1]);
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite = suite_create ("seeds");
  TCase *tcase = tcase_create ("seeds");
  SRunner *runner;
  int n_failed;

  if (argc != 3)
    {
      g_printerr ("usage: %s RENDER-DIR CACHE-DIR\n", argv[0]);
      return 1;
    }

  lb_vips_init (argv[0]);
  g_mkdir_with_parents (argv[1], 0755);
  g_mkdir_with_parents (argv[2], 0755);
  seed_dirs = argv + 1;

  tcase_add_test (tcase, make_seeds);
  suite_add_tcase (suite, tcase);
  runner = srunner_create (suite);
  srunner_set_fork_status (runner, CK_NOFORK);
  srunner_run_all (runner, CK_SILENT);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);

  return n_failed == 0 ? 0 : 1;
}
