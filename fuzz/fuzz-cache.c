/* fuzz-cache.c: libFuzzer harness for the thumbnail cache reader
 *
 * The cache is shared with every other application of the desktop, so
 * its PNGs are as untrusted as the images. The fuzz input is written as
 * the cached thumbnail, and as the fail entry, of one URI, after the CRC
 * of every chunk has been fixed up, so that mutations of the Thumb::
 * text chunks get past libpng's checksums; then the cache opens, loads
 * and checks it as the scheduler would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "lb-thumbnail-cache.h"
#include "fuzz-cache-seed.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static LbThumbnailCache *cache;
static char *thumbnail_path;
static char *fail_path;

static void
ignore_log (const char     *log_domain,
            GLogLevelFlags  log_level,
            const char     *message,
            gpointer        user_data)
{
}

static void
remove_cache (void)
{
  g_autofree char *root = g_strdup (lb_thumbnail_cache_get_root (cache));

  g_unlink (thumbnail_path);
  g_unlink (fail_path);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *dir = g_path_get_dirname (i == 0 ? thumbnail_path : fail_path);

      g_rmdir (dir);
    }
  {
    g_autofree char *fail_parent = g_build_filename (root, "fail", NULL);

    g_rmdir (fail_parent);
  }
  g_rmdir (root);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *root = NULL;
  g_autoptr(GError) error = NULL;
  char *dir;

  lb_vips_init ((*argv)[0]);
  g_log_set_handler ("VIPS", G_LOG_LEVEL_MASK, ignore_log, NULL);

  dir = g_dir_make_tmp ("lightbox-fuzz-cache-XXXXXX", &error);
  g_assert_nonnull (dir);
  root = g_build_filename (dir, "thumbnails", NULL);
  g_free (dir);

  cache = lb_thumbnail_cache_new (root);
  thumbnail_path = lb_thumbnail_cache_get_path (cache, FUZZ_CACHE_URI, LB_THUMBNAIL_SIZE_NORMAL);
  fail_path = lb_thumbnail_cache_get_fail_path (cache, FUZZ_CACHE_URI);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *parent = g_path_get_dirname (i == 0 ? thumbnail_path : fail_path);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
    }
  atexit (remove_cache);

  return 0;
}

/* Rewrites the CRC of every whole chunk after the PNG signature. */
static void
fix_crcs (guint8 *data,
          gsize   size)
{
  gsize at = 8;

  while (at + 12 <= size)
    {
      guint32 length;
      guint32 crc;

      memcpy (&length, data + at, 4);
      length = GUINT32_FROM_BE (length);
      if (length > size - at - 12)
        break;
      crc = crc32 (0, data + at + 4, 4 + length);
      crc = GUINT32_TO_BE (crc);
      memcpy (data + at + 8 + length, &crc, 4);
      at += 12 + length;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree guint8 *png = g_memdup2 (data, size);
  g_autoptr(VipsImage) header = NULL;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(GError) load_error = NULL;

  fix_crcs (png, size);
  /* Plain writes: no fsync() per input. */
  g_assert_true (g_file_set_contents_full (thumbnail_path, (const char *) png, size,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (g_file_set_contents_full (fail_path, (const char *) png, size,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  header = lb_thumbnail_cache_open (cache, FUZZ_CACHE_URI, FUZZ_CACHE_MTIME,
                                    LB_THUMBNAIL_SIZE_NORMAL, &open_error);
  g_assert_true ((header == NULL) == (open_error != NULL));
  if (header != NULL)
    {
      g_assert_cmpint (vips_image_get_width (header), <=, 128);
      g_assert_cmpint (vips_image_get_height (header), <=, 128);
    }

  image = lb_thumbnail_cache_load (cache, FUZZ_CACHE_URI, FUZZ_CACHE_MTIME,
                                   LB_THUMBNAIL_SIZE_NORMAL, &load_error);
  g_assert_true ((image == NULL) == (load_error != NULL));
  if (image != NULL)
    {
      g_assert_true (image->Bands == 3 || image->Bands == 4);
      g_assert_true (image->BandFmt == VIPS_FORMAT_UCHAR);
      g_assert_cmpint (image->Xsize, <=, 128);
      g_assert_cmpint (image->Ysize, <=, 128);
    }

  lb_thumbnail_cache_has_failed (cache, FUZZ_CACHE_URI, FUZZ_CACHE_MTIME);

  return 0;
}
