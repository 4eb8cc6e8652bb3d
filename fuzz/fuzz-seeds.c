/* fuzz-seeds.c: the seed corpora of the fuzz harnesses
 *
 * One writer per harness; fuzz_seeds_write() runs it as a check test,
 * since the fixtures report their failures through check. Single
 * threaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>

#include <check.h>
#include <glib/gstdio.h>

#include "fuzz-cache-seed.h"
#include "fuzz-seeds.h"
#include "lb-thumbnail-cache.h"
#include "lb-thumbnail-png.h"

GBytes *
fuzz_seeds_make_jpeg (LbTestFormat  format,
                      int           width,
                      int           height,
                      const char   *options)
{
  g_autoptr(GBytes) original = lb_test_make_image_bytes (format, width, height, 1);
  g_autoptr(VipsImage) image = NULL;
  g_autofree char *suffix = g_strdup_printf (".jpg[%s]", options);
  gsize len;
  const void *data = g_bytes_get_data (original, &len);
  void *jpeg = NULL;
  size_t jpeg_len = 0;

  image = vips_image_new_from_buffer (data, len, "", NULL);
  ck_assert_msg (image != NULL, "%s: %s", lb_test_format_get_name (format), vips_error_buffer ());
  ck_assert_msg (vips_image_write_to_buffer (image, suffix, &jpeg, &jpeg_len, NULL) == 0,
                 "%s: %s", suffix, vips_error_buffer ());

  return g_bytes_new_take (jpeg, jpeg_len);
}

/* Every format the fixtures make, upright and turned, and small. */
static void
write_format_seeds (const char *dir)
{
  for (int format = 0; format < LB_TEST_N_FORMATS; format++)
    {
      g_autofree char *rotated = g_strdup_printf ("%s-6", lb_test_format_get_name (format));

      if (lb_test_format_is_skipped (format))
        continue;
      g_free (lb_test_write_image (dir, lb_test_format_get_name (format), format, 40, 30, 1));
      g_free (lb_test_write_image (dir, rotated, format, 24, 36, 6));
    }
}

static void
write_bad_seeds (const char *dir)
{
  static const LbTestBadKind bad_kinds[] = {
    LB_TEST_BAD_TRUNCATED_JPEG, LB_TEST_BAD_TRUNCATED_PNG, LB_TEST_BAD_PNG_BOMB,
    LB_TEST_BAD_JPEG_BOMB, LB_TEST_BAD_GIF_BOMB, LB_TEST_BAD_TIFF_BOMB,
    LB_TEST_BAD_SVG_BOMB,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_kinds); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%u", i);

      g_free (lb_test_write_bad_file (dir, name, bad_kinds[i]));
    }
}

static void
write_render_seeds (const char *dir)
{
  write_format_seeds (dir);
  /* Shrunk 8 times on load to 128 px, so decoded from its DC scans; wide
   * enough for that, small enough for the harness' memory budget. */
  g_free (lb_test_write_image (dir, "jpeg-progressive-eighth", LB_TEST_FORMAT_JPEG_PROGRESSIVE,
                               1024, 256, 1));
  write_bad_seeds (dir);
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
      ck_assert_ptr_nonnull (image);
      ck_assert_msg (lb_thumbnail_write_png (image, path, &meta, &error),
                     "%s: %s", path, error ? error->message : "");
    }

  /* A fail entry, and a PNG that is no thumbnail at all. */
  {
    static const guint8 transparent[4] = { 0, 0, 0, 0 };
    g_autoptr(VipsImage) pixel = vips_image_new_from_memory (transparent, 4, 1, 1, 4,
                                                             VIPS_FORMAT_UCHAR);
    g_autofree char *path = g_build_filename (dir, "fail.png", NULL);
    g_autoptr(GError) error = NULL;

    ck_assert_msg (lb_thumbnail_write_png (pixel, path, &meta, &error),
                   "%s: %s", path, error ? error->message : "");
    g_free (lb_test_write_image (dir, "foreign.png", LB_TEST_FORMAT_PNG_PALETTE, 32, 32, 1));
  }
}

/* What the viewer opens: every format, animations, every orientation, a
 * tiled pyramid, and bombs it must refuse before decoding. */
static void
write_image_source_seeds (const char *dir)
{
  static const int delays[] = { 40, 100, 0 };

  write_format_seeds (dir);
  for (int orientation = 2; orientation <= 8; orientation++)
    {
      g_autofree char *name = g_strdup_printf ("jpeg-orientation-%d", orientation);

      g_free (lb_test_write_image (dir, name, LB_TEST_FORMAT_JPEG, 48, 32, orientation));
    }
  g_free (lb_test_write_animation (dir, "animated-gif", LB_TEST_FORMAT_GIF, 32, 24,
                                   G_N_ELEMENTS (delays), delays));
  g_free (lb_test_write_animation (dir, "animated-webp", LB_TEST_FORMAT_WEBP, 32, 24,
                                   G_N_ELEMENTS (delays), delays));
  g_free (lb_test_write_image (dir, "tiff-pyramid-large", LB_TEST_FORMAT_TIFF_PYRAMID,
                               600, 400, 1));
  write_bad_seeds (dir);
}

/* Progressive JPEGs of every layout the DC stream handles (4:2:0 and
 * 4:4:4 colour, grey, CMYK, restart intervals), a baseline one it must
 * refuse, and broken ones. */
static void
write_jpeg_dc_stream_seeds (const char *dir)
{
  static const struct {
    const char   *name;
    LbTestFormat  format;
    const char   *options;
  } flavours[] = {
    { "progressive-420", LB_TEST_FORMAT_PNG, "interlace,Q=75,subsample-mode=on,strip" },
    { "progressive-444", LB_TEST_FORMAT_PNG, "interlace,Q=95,subsample-mode=off,strip" },
    { "progressive-restart", LB_TEST_FORMAT_PNG, "interlace,restart-interval=2,strip" },
    { "progressive-optimized", LB_TEST_FORMAT_PNG, "interlace,optimize-coding,optimize-scans" },
    { "progressive-grey", LB_TEST_FORMAT_JPEG_GREY, "interlace,strip" },
    { "progressive-cmyk", LB_TEST_FORMAT_JPEG_CMYK, "interlace,strip" },
    { "baseline", LB_TEST_FORMAT_PNG, "Q=75,strip" },
  };
  g_autoptr(GBytes) progressive = NULL;
  gsize len;
  const guint8 *data;

  for (guint i = 0; i < G_N_ELEMENTS (flavours); i++)
    {
      g_autoptr(GBytes) jpeg = fuzz_seeds_make_jpeg (flavours[i].format, 72, 40,
                                                     flavours[i].options);

      g_free (lb_test_write_bytes (dir, flavours[i].name, jpeg));
    }
  g_free (lb_test_write_image (dir, "progressive-fixture", LB_TEST_FORMAT_JPEG_PROGRESSIVE,
                               64, 48, 6));

  /* Cut short in its scans, and cut right after its frame header. */
  progressive = fuzz_seeds_make_jpeg (LB_TEST_FORMAT_PNG, 72, 40, "interlace,strip");
  data = g_bytes_get_data (progressive, &len);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("progressive-truncated-%u", i);
      g_autoptr(GBytes) prefix = g_bytes_new (data, i == 0 ? len * 2 / 3 : len / 4);

      g_free (lb_test_write_bytes (dir, name, prefix));
    }
}

/* Records as GIO writes them (escaped paths, local time without a zone),
 * relative ones of a top-level trash folder, and a few odd ones. */
static void
write_trashinfo_seeds (const char *dir)
{
  static const char * const records[] = {
    "[Trash Info]\nPath=/home/ada/Pictures/holiday%20photo.jpg\n"
    "DeletionDate=2024-05-01T12:34:56\n",
    "[Trash Info]\nPath=/home/ada/Bilder/%C3%A9t%C3%A9%202023/caf%C3%A9%25%3B.png\n"
    "DeletionDate=2023-08-12T18:04:51\n",
    "[Trash Info]\nPath=Pictures/from%20the%20card/IMG_0001.JPG\n"
    "DeletionDate=2022-01-31T23:59:59\n",
    "# written by hand\n[Trash Info]\r\nPath=/tmp/a\\sb\\n%2Fc\r\n"
    "DeletionDate=2021-02-03T04:05:06\r\n[Other]\nPath=/elsewhere\n",
    "[Trash Info]\nPath[fr]=/localis%C3%A9\nPath=/x/%ZZ%00%\nDeletionDate=\n",
    "[Trash Info]\nDeletionDate=2020-01-01T00:00:00\nPath=/first\nPath=/second\n",
    "[Trash Info]\nPath=/no/date\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *name = g_strdup_printf ("record-%u.trashinfo", i);
      g_autoptr(GBytes) bytes = g_bytes_new_static (records[i], strlen (records[i]));

      g_free (lb_test_write_bytes (dir, name, bytes));
    }
}

static const struct {
  const char *name;
  void      (*write) (const char *dir);
} harnesses[] = {
  { "render", write_render_seeds },
  { "cache", write_cache_seeds },
  { "image-info", fuzz_seeds_image_info },
  { "image-source", write_image_source_seeds },
  { "jpeg-dc-stream", write_jpeg_dc_stream_seeds },
  { "trashinfo", write_trashinfo_seeds },
};

static guint current_harness;
static const char *current_dir;

START_TEST (write_seeds)
{
  harnesses[current_harness].write (current_dir);
}
END_TEST

gboolean
fuzz_seeds_write (const char *name,
                  const char *dir)
{
  Suite *suite;
  TCase *tcase;
  SRunner *runner;
  int n_failed;

  for (current_harness = 0; current_harness < G_N_ELEMENTS (harnesses); current_harness++)
    if (g_str_equal (harnesses[current_harness].name, name))
      break;
  if (current_harness == G_N_ELEMENTS (harnesses))
    {
      g_printerr ("fuzz: no harness is called %s\n", name);
      return FALSE;
    }

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_printerr ("fuzz: cannot make %s: %s\n", dir, g_strerror (errno));
      return FALSE;
    }
  current_dir = dir;

  /* In this process: the seeds are all the caller wants of it. */
  suite = suite_create ("seeds");
  tcase = tcase_create (name);
  tcase_add_test (tcase, write_seeds);
  suite_add_tcase (suite, tcase);
  runner = srunner_create (suite);
  srunner_set_fork_status (runner, CK_NOFORK);
  srunner_run_all (runner, CK_NORMAL);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);

  return n_failed == 0;
}
