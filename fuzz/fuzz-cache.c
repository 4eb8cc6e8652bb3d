/* fuzz-cache.c: libFuzzer harness for the thumbnail cache reader
 *
 * The cache is shared with every other application of the desktop, so
 * its PNGs are as untrusted as the images. The fuzz input is written as
 * the cached thumbnail, and as the fail entry, of one URI, after the CRC
 * of every chunk has been fixed up, so that mutations of the Thumb::
 * text chunks get past libpng's checksums; then the cache reads its
 * header, loads it and checks it as the scheduler would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <zlib.h>

#include "fuzz-cache-seed.h"
#include "fuzz-harness.h"
#include "lb-thumbnail-cache.h"

static LbThumbnailCache *cache;
static GFile *file;
static char *thumbnail_path;
static char *fail_path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = fuzz_make_tmp_dir ();
  g_autofree char *root = g_build_filename (dir, "thumbnails", NULL);

  cache = lb_thumbnail_cache_new (root);
  file = g_file_new_for_uri (FUZZ_CACHE_URI);
  thumbnail_path = lb_thumbnail_cache_get_path (cache, FUZZ_CACHE_URI, LB_THUMBNAIL_SIZE_NORMAL);
  fail_path = lb_thumbnail_cache_get_fail_path (cache, FUZZ_CACHE_URI);
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *parent = g_path_get_dirname (i == 0 ? thumbnail_path : fail_path);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
    }

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
  g_autoptr(LbThumbnail) header = NULL;
  g_autoptr(LbThumbnail) image = NULL;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(GError) load_error = NULL;

  fix_crcs (png, size);
  /* Plain writes: no fsync() per input. */
  g_assert_true (g_file_set_contents_full (thumbnail_path, (const char *) png, size,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (g_file_set_contents_full (fail_path, (const char *) png, size,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  header = lb_thumbnail_cache_load (cache, file, FUZZ_CACHE_URI, FUZZ_CACHE_MTIME,
                                    LB_THUMBNAIL_SIZE_NORMAL, FALSE, &open_error);
  g_assert_true ((header == NULL) == (open_error != NULL));
  if (header != NULL)
    {
      g_assert_cmpint (lb_thumbnail_get_width (header), <=, 128);
      g_assert_cmpint (lb_thumbnail_get_height (header), <=, 128);
      g_assert_null (lb_thumbnail_get_pixels (header));
    }

  image = lb_thumbnail_cache_load (cache, file, FUZZ_CACHE_URI, FUZZ_CACHE_MTIME,
                                   LB_THUMBNAIL_SIZE_NORMAL, TRUE, &load_error);
  g_assert_true ((image == NULL) == (load_error != NULL));
  if (image != NULL)
    {
      g_assert_cmpint (lb_thumbnail_get_width (image), <=, 128);
      g_assert_cmpint (lb_thumbnail_get_height (image), <=, 128);
      g_assert_cmpuint (g_bytes_get_size (lb_thumbnail_get_pixels (image)), ==,
                        lb_thumbnail_get_stride (image) * lb_thumbnail_get_height (image));
    }

  lb_thumbnail_cache_has_failed (cache, FUZZ_CACHE_URI, FUZZ_CACHE_MTIME);

  return 0;
}
