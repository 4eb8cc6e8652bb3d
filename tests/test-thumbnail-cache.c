/* test-thumbnail-cache.c: the freedesktop thumbnail cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-thumbnail-cache.h"
#include "lb-thumbnail-render.h"
#include "lb-thumbnail-scheduler.h"
#include "lb-vips.h"

/* XDG_CACHE_HOME, set at the start of main() so GLib picks it up. */
static char *cache_home;
static char *root;

static void
setup (void)
{
  lb_test_tmp_dir_setup ();
  root = g_build_filename (lb_test_tmp_dir, "thumbnails", NULL);
}

static void
teardown (void)
{
  lb_test_tmp_dir_teardown ();
  g_clear_pointer (&root, g_free);
}

static char *
compute_basename (const char *uri)
{
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);

  return g_strconcat (md5, ".png", NULL);
}

/* A source image, its thumbnail and the metadata the cache records. */
typedef struct {
  char            *path;
  GFile           *file;
  char            *uri;
  char            *mime_type;
  VipsImage       *thumbnail;
  LbThumbnailMeta  meta;
} Source;

static void
source_clear (Source *source)
{
  g_clear_pointer (&source->path, g_free);
  g_clear_object (&source->file);
  g_clear_pointer (&source->uri, g_free);
  g_clear_pointer (&source->mime_type, g_free);
  g_clear_object (&source->thumbnail);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

static void
source_init (Source          *source,
             const char      *dir,
             const char      *name,
             LbThumbnailSize  size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  GStatBuf st;

  source->path = lb_test_write_image (dir, name, LB_TEST_FORMAT_JPEG, 600, 400, 1);
  source->file = g_file_new_for_path (source->path);
  source->uri = lb_thumbnail_cache_get_uri (source->file);
  source->mime_type = g_strdup ("image/jpeg");

  ck_assert (g_file_get_contents (source->path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  ck_assert_int_eq (g_stat (source->path, &st), 0);

  source->meta.uri = source->uri;
  source->meta.mtime = st.st_mtime;
  source->meta.size = st.st_size;
  source->meta.mime_type = source->mime_type;
  source->thumbnail = lb_thumbnail_render (bytes, lb_thumbnail_size_get_pixels (size),
                                           LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                                           &source->meta.image_width,
                                           &source->meta.image_height,
                                           NULL, &error);
  ck_assert_msg (source->thumbnail != NULL, "%s", error ? error->message : "");
}

/* @loaded holds exactly @expected's 8-bit pixels. */
static void
assert_same_pixels (LbThumbnail *loaded,
                    VipsImage   *expected)
{
  g_autofree void *pixels = NULL;
  GBytes *loaded_pixels = lb_thumbnail_get_pixels (loaded);
  gsize len = 0;

  ck_assert_int_eq (expected->BandFmt, VIPS_FORMAT_UCHAR);
  ck_assert_int_eq (lb_thumbnail_get_width (loaded), expected->Xsize);
  ck_assert_int_eq (lb_thumbnail_get_height (loaded), expected->Ysize);
  ck_assert_int_eq (lb_thumbnail_get_has_alpha (loaded) ? 4 : 3, expected->Bands);
  ck_assert_uint_eq (lb_thumbnail_get_stride (loaded), (gsize) expected->Xsize * expected->Bands);
  pixels = vips_image_write_to_memory (expected, &len);
  ck_assert_ptr_nonnull (loaded_pixels);
  ck_assert_uint_eq (g_bytes_get_size (loaded_pixels), len);
  ck_assert (memcmp (g_bytes_get_data (loaded_pixels, NULL), pixels, len) == 0);
}

/* The example in the Thumbnail Managing Standard. */
START_TEST (test_cache_spec_example)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  const char *uri = "file:///home/jens/photos/me.png";

  for (LbThumbnailSize size = 0; size < LB_THUMBNAIL_N_SIZES; size++)
    {
      g_autofree char *path = lb_thumbnail_cache_get_path (cache, uri, size);
      g_autofree char *expected = g_build_filename (root, lb_thumbnail_size_get_name (size),
                                                    "c6ee772d9e49320e97ec29a7eb5b1697.png",
                                                    NULL);

      ck_assert_str_eq (path, expected);
    }

  ck_assert_str_eq (lb_thumbnail_cache_get_root (cache), root);
}
END_TEST

static const char * const awkward_names[] = {
  "with space.jpg",
  "ünïcödé ✓.jpg",
  "100%.jpg",
  "a#b?c.jpg",
  "\xff\xfe not utf-8.jpg",
};

START_TEST (test_cache_uri_escaping)
{
  const char *name = awkward_names[_i];
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = lb_thumbnail_cache_get_uri (file);
  g_autofree char *expected_uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *thumbnail_path = NULL;
  g_autofree char *thumbnail_name = NULL;
  g_autofree char *expected_name = NULL;

  /* What GLib itself hashes when it looks for thumbnails. */
  ck_assert_str_eq (uri, expected_uri);
  ck_assert (g_str_is_ascii (uri));
  ck_assert_ptr_null (strchr (uri, ' '));
  ck_assert_ptr_null (strchr (uri, '#'));
  ck_assert_ptr_null (strchr (uri, '?'));
  if (strchr (name, '%') != NULL)
    ck_assert_ptr_nonnull (strstr (uri, "%25"));

  thumbnail_path = lb_thumbnail_cache_get_path (cache, uri, LB_THUMBNAIL_SIZE_LARGE);
  thumbnail_name = g_path_get_basename (thumbnail_path);
  expected_name = compute_basename (expected_uri);
  ck_assert_str_eq (thumbnail_name, expected_name);
}
END_TEST

static const char *
get_text (VipsImage  *image,
          const char *key)
{
  g_auto(GStrv) fields = vips_image_get_fields (image);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *suffix = g_strconcat ("-", key, NULL);
      const char *value = NULL;

      if (g_str_has_prefix (fields[i], "png-comment-") &&
          g_str_has_suffix (fields[i], suffix) &&
          vips_image_get_string (image, fields[i], &value) == 0)
        return value;
    }

  return NULL;
}

START_TEST (test_cache_round_trip)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_auto(Source) source = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnail) loaded = NULL;
  g_autoptr(VipsImage) png = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mtime = NULL;
  g_autofree char *size = NULL;

  source_init (&source, lb_test_tmp_dir, "photo.jpg", LB_THUMBNAIL_SIZE_LARGE);

  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_LARGE, TRUE, &error);
  ck_assert_ptr_null (loaded);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_clear_error (&error);

  ck_assert_msg (lb_thumbnail_cache_save (cache, source.thumbnail, &source.meta,
                                          LB_THUMBNAIL_SIZE_LARGE, &error),
                 "%s", error ? error->message : "");

  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_LARGE, TRUE, &error);
  ck_assert_msg (loaded != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (lb_thumbnail_get_origin (loaded), LB_THUMBNAIL_ORIGIN_CACHE);
  ck_assert (g_file_equal (lb_thumbnail_get_file (loaded), source.file));
  assert_same_pixels (loaded, source.thumbnail);

  /* Every key of the spec, as written. */
  path = lb_thumbnail_cache_get_path (cache, source.uri, LB_THUMBNAIL_SIZE_LARGE);
  ck_assert_int_eq (vips_pngload (path, &png, NULL), 0);
  mtime = g_strdup_printf ("%" G_GINT64_FORMAT, lb_test_get_mtime (source.path));
  size = g_strdup_printf ("%" G_GOFFSET_FORMAT, source.meta.size);
  ck_assert_str_eq (get_text (png, "Thumb::URI"), source.uri);
  ck_assert_str_eq (get_text (png, "Thumb::MTime"), mtime);
  ck_assert_str_eq (get_text (png, "Thumb::Size"), size);
  ck_assert_str_eq (get_text (png, "Thumb::Mime"), "image/jpeg");
  ck_assert_str_eq (get_text (png, "Thumb::Image::Width"), "600");
  ck_assert_str_eq (get_text (png, "Thumb::Image::Height"), "400");
}
END_TEST

START_TEST (test_cache_stale)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_auto(Source) source = { NULL, };
  g_auto(Source) other = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnail) loaded = NULL;
  g_autofree char *path = NULL;
  g_autofree char *other_path = NULL;

  source_init (&source, lb_test_tmp_dir, "photo.jpg", LB_THUMBNAIL_SIZE_NORMAL);
  ck_assert (lb_thumbnail_cache_save (cache, source.thumbnail, &source.meta,
                                      LB_THUMBNAIL_SIZE_NORMAL, NULL));

  /* The file changed since. */
  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime + 1,
                                    LB_THUMBNAIL_SIZE_NORMAL, TRUE, &error);
  ck_assert_ptr_null (loaded);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_clear_error (&error);

  /* Another size is another file. */
  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_LARGE, TRUE, &error);
  ck_assert_ptr_null (loaded);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_clear_error (&error);

  /* A thumbnail of another file at this file's name. */
  source_init (&other, lb_test_tmp_dir, "other.jpg", LB_THUMBNAIL_SIZE_NORMAL);
  path = lb_thumbnail_cache_get_path (cache, source.uri, LB_THUMBNAIL_SIZE_NORMAL);
  other_path = lb_thumbnail_cache_get_path (cache, other.uri, LB_THUMBNAIL_SIZE_NORMAL);
  ck_assert_int_eq (g_rename (path, other_path), 0);
  loaded = lb_thumbnail_cache_load (cache, other.file, other.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_NORMAL, TRUE, &error);
  ck_assert_ptr_null (loaded);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
}
END_TEST

START_TEST (test_cache_failures)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, "broken.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = lb_thumbnail_cache_get_uri (file);
  g_autofree char *fail_path = lb_thumbnail_cache_get_fail_path (cache, uri);
  g_autofree char *basename = compute_basename (uri);
  g_autofree char *expected = g_build_filename (root, "fail", "lightbox-" PACKAGE_VERSION,
                                                basename, NULL);
  g_autoptr(GError) error = NULL;
  LbThumbnailMeta meta = { uri, 1700000000, 42, "image/jpeg", 0, 0 };

  ck_assert_str_eq (fail_path, expected);
  ck_assert (!lb_thumbnail_cache_has_failed (cache, uri, meta.mtime));

  ck_assert_msg (lb_thumbnail_cache_save_failure (cache, &meta, &error),
                 "%s", error ? error->message : "");
  ck_assert (g_file_test (fail_path, G_FILE_TEST_IS_REGULAR));
  ck_assert (lb_thumbnail_cache_has_failed (cache, uri, meta.mtime));

  /* A changed file deserves another try. */
  ck_assert (!lb_thumbnail_cache_has_failed (cache, uri, meta.mtime + 60));
  /* Failures are no thumbnails. */
  ck_assert_ptr_null (lb_thumbnail_cache_load (cache, file, uri, meta.mtime,
                                               LB_THUMBNAIL_SIZE_NORMAL, TRUE, NULL));
}
END_TEST

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  ck_assert_int_eq (g_stat (path, &st), 0);
  ck_assert_msg ((st.st_mode & 0777) == mode, "%s: %o", path, st.st_mode & 0777);
}

START_TEST (test_cache_atomic_write)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_auto(Source) source = { NULL, };
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnail) loaded = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *truncated = NULL;
  const char *name;
  gsize len;

  source_init (&source, lb_test_tmp_dir, "photo.jpg", LB_THUMBNAIL_SIZE_X_LARGE);
  path = lb_thumbnail_cache_get_path (cache, source.uri, LB_THUMBNAIL_SIZE_X_LARGE);
  dir_path = g_path_get_dirname (path);
  basename = g_path_get_basename (path);

  /* Damaged leftovers, say from a crashed tool, are not thumbnails. */
  ck_assert_int_eq (g_mkdir_with_parents (dir_path, 0700), 0);
  broken = lb_test_write_bad_file (dir_path, basename, LB_TEST_BAD_RANDOM);
  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_X_LARGE, TRUE, &error);
  ck_assert_ptr_null (loaded);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_clear_error (&error);

  ck_assert (lb_thumbnail_cache_save (cache, source.thumbnail, &source.meta,
                                      LB_THUMBNAIL_SIZE_X_LARGE, &error));
  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_X_LARGE, TRUE, &error);
  ck_assert_msg (loaded != NULL, "%s", error ? error->message : "");
  g_clear_object (&loaded);

  /* A valid header over missing pixels is damaged too. */
  ck_assert (g_file_get_contents (path, &truncated, &len, NULL));
  ck_assert (g_file_set_contents (path, truncated, len / 2, NULL));
  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_X_LARGE, TRUE, &error);
  ck_assert_ptr_null (loaded);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (lb_thumbnail_cache_save (cache, source.thumbnail, &source.meta,
                                      LB_THUMBNAIL_SIZE_X_LARGE, NULL));

  /* Nothing but the thumbnail: no temporary files left behind. */
  dir = g_dir_open (dir_path, 0, NULL);
  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    ck_assert_str_eq (name, basename);

  assert_mode (path, 0600);
  assert_mode (dir_path, 0700);
  assert_mode (root, 0700);
}
END_TEST

START_TEST (test_cache_bucket_limit)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_auto(Source) source = { NULL, };
  g_autoptr(LbThumbnail) loaded = NULL;
  g_autoptr(VipsImage) saved = NULL;
  g_autofree char *path = NULL;

  /* A 512 px thumbnail given for the 128 px bucket is shrunk to fit. */
  source_init (&source, lb_test_tmp_dir, "photo.jpg", LB_THUMBNAIL_SIZE_X_LARGE);
  ck_assert_int_eq (source.thumbnail->Xsize, 512);
  ck_assert (lb_thumbnail_cache_save (cache, source.thumbnail, &source.meta,
                                      LB_THUMBNAIL_SIZE_NORMAL, NULL));

  path = lb_thumbnail_cache_get_path (cache, source.uri, LB_THUMBNAIL_SIZE_NORMAL);
  ck_assert_int_eq (vips_pngload (path, &saved, NULL), 0);
  ck_assert_int_eq (saved->Xsize, 128);
  ck_assert_int_le (saved->Ysize, 128);

  loaded = lb_thumbnail_cache_load (cache, source.file, source.uri, source.meta.mtime,
                                    LB_THUMBNAIL_SIZE_NORMAL, TRUE, NULL);
  ck_assert_ptr_nonnull (loaded);
  ck_assert_int_eq (lb_thumbnail_get_width (loaded), 128);
}
END_TEST

/* Another program's thumbnail: written by libvips itself (compressed zTXt
 * chunks), 16-bit grey, but valid, so it is used as it is. */
START_TEST (test_cache_foreign_thumbnail)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_autofree char *source_path = g_build_filename (lb_test_tmp_dir, "scan.tif", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (source_path);
  g_autofree char *uri = lb_thumbnail_cache_get_uri (file);
  g_autofree char *path = lb_thumbnail_cache_get_path (cache, uri, LB_THUMBNAIL_SIZE_NORMAL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(VipsImage) xyz = NULL;
  g_autoptr(VipsImage) grey = NULL;
  g_autoptr(VipsImage) scaled = NULL;
  g_autoptr(VipsImage) cast = NULL;
  g_autoptr(VipsImage) grey16 = NULL;
  g_autoptr(LbThumbnail) loaded = NULL;
  g_autoptr(GError) error = NULL;

  ck_assert_int_eq (vips_xyz (&xyz, 128, 96, NULL), 0);
  ck_assert_int_eq (vips_extract_band (xyz, &grey, 0, NULL), 0);
  ck_assert_int_eq (vips_linear1 (grey, &scaled, 500, 0, NULL), 0);
  ck_assert_int_eq (vips_cast_ushort (scaled, &cast, NULL), 0);
  ck_assert_int_eq (vips_copy (cast, &grey16,
                               "interpretation", VIPS_INTERPRETATION_GREY16,
                               NULL), 0);
  vips_image_set_string (grey16, "png-comment-0-Thumb::URI", uri);
  vips_image_set_string (grey16, "png-comment-1-Thumb::MTime", "1234567890");
  ck_assert_int_eq (g_mkdir_with_parents (dir, 0700), 0);
  ck_assert_int_eq (vips_pngsave (grey16, path, NULL), 0);

  loaded = lb_thumbnail_cache_load (cache, file, uri, 1234567890, LB_THUMBNAIL_SIZE_NORMAL, TRUE, &error);
  ck_assert_msg (loaded != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (lb_thumbnail_get_width (loaded), 128);
  ck_assert_int_eq (lb_thumbnail_get_height (loaded), 96);
  ck_assert (!lb_thumbnail_get_has_alpha (loaded));
  ck_assert_uint_eq (g_bytes_get_size (lb_thumbnail_get_pixels (loaded)), 128 * 96 * 3);

  g_clear_object (&loaded);
  loaded = lb_thumbnail_cache_load (cache, file, uri, 1234567891, LB_THUMBNAIL_SIZE_NORMAL, TRUE, NULL);
  ck_assert_ptr_null (loaded);
}
END_TEST

/* Moves every text chunk of the PNG @data after its last IDAT, where the
 * spec allows them too. */
static GByteArray *
move_text_after_pixels (const guint8 *data,
                        gsize         len)
{
  g_autoptr(GByteArray) text = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  gsize at = 8;

  g_byte_array_append (out, data, 8);
  while (at + 12 <= len)
    {
      guint32 length;
      const guint8 *type = data + at + 4;

      memcpy (&length, data + at, 4);
      length = GUINT32_FROM_BE (length);
      ck_assert_uint_le (length, len - at - 12);
      if (memcmp (type, "tEXt", 4) == 0 || memcmp (type, "zTXt", 4) == 0 || memcmp (type, "iTXt", 4) == 0)
        g_byte_array_append (text, data + at, 12 + length);
      else if (memcmp (type, "IEND", 4) == 0)
        g_byte_array_append (out, text->data, text->len);
      if (memcmp (type, "tEXt", 4) != 0 && memcmp (type, "zTXt", 4) != 0 && memcmp (type, "iTXt", 4) != 0)
        g_byte_array_append (out, data + at, 12 + length);
      at += 12 + length;
    }
  ck_assert_uint_gt (text->len, 0);

  return out;
}

/* Other programs write every kind of PNG: each comes out as 8-bit RGB or
 * RGBA with the right pixels, its text read wherever it is. */
START_TEST (test_cache_png_kinds)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_autofree char *source_path = g_build_filename (lb_test_tmp_dir, "kinds.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (source_path);
  g_autofree char *uri = lb_thumbnail_cache_get_uri (file);
  g_autofree char *path = lb_thumbnail_cache_get_path (cache, uri, LB_THUMBNAIL_SIZE_NORMAL);
  g_autofree char *dir = g_path_get_dirname (path);
  struct {
    const char           *name;
    VipsInterpretation    interpretation;
    int                   bands;
    gboolean              palette;
    gboolean              interlace;
    gboolean              text_last;
  } kinds[] = {
    { "RGB", VIPS_INTERPRETATION_sRGB, 3, FALSE, FALSE, FALSE },
    { "RGBA", VIPS_INTERPRETATION_sRGB, 4, FALSE, FALSE, FALSE },
    { "grey", VIPS_INTERPRETATION_B_W, 1, FALSE, FALSE, FALSE },
    { "grey and alpha", VIPS_INTERPRETATION_B_W, 2, FALSE, FALSE, FALSE },
    { "palette", VIPS_INTERPRETATION_sRGB, 3, TRUE, FALSE, FALSE },
    { "interlaced", VIPS_INTERPRETATION_sRGB, 3, FALSE, TRUE, FALSE },
    { "text after the pixels", VIPS_INTERPRETATION_sRGB, 4, FALSE, FALSE, TRUE },
  };

  ck_assert_int_eq (g_mkdir_with_parents (dir, 0700), 0);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      /* Flat colour, so that even the palette keeps it exactly. */
      const double colour[4] = { 200, 120, 40, 160 };
      g_autoptr(VipsImage) black = NULL;
      g_autoptr(VipsImage) flat = NULL;
      g_autoptr(VipsImage) tagged = NULL;
      g_autoptr(LbThumbnail) header = NULL;
      g_autoptr(LbThumbnail) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *png = NULL;
      const guint8 *pixels;
      gsize len = 0;
      int channels;

      ck_assert_int_eq (vips_black (&black, 100, 60, "bands", kinds[i].bands, NULL), 0);
      ck_assert_int_eq (vips_linear (black, &flat, (double[]) { 1, 1, 1, 1 },
                                     kinds[i].bands == 2 ? (double[]) { colour[0], colour[3] } : colour,
                                     kinds[i].bands, "uchar", TRUE, NULL), 0);
      ck_assert_int_eq (vips_copy (flat, &tagged, "interpretation", kinds[i].interpretation, NULL), 0);
      vips_image_set_string (tagged, "png-comment-0-Thumb::URI", uri);
      vips_image_set_string (tagged, "png-comment-1-Thumb::MTime", "1234567890");
      ck_assert_int_eq (vips_pngsave (tagged, path,
                                      "palette", kinds[i].palette,
                                      "interlace", kinds[i].interlace,
                                      NULL), 0);
      if (kinds[i].text_last)
        {
          g_autoptr(GByteArray) moved = NULL;

          ck_assert (g_file_get_contents (path, &png, &len, NULL));
          moved = move_text_after_pixels ((const guint8 *) png, len);
          ck_assert (g_file_set_contents (path, (const char *) moved->data, moved->len, NULL));
        }

      /* The header alone: its size, no pixels. */
      header = lb_thumbnail_cache_load (cache, file, uri, 1234567890, LB_THUMBNAIL_SIZE_NORMAL, FALSE, &error);
      ck_assert_msg (header != NULL, "%s: %s", kinds[i].name, error ? error->message : "");
      ck_assert_int_eq (lb_thumbnail_get_width (header), 100);
      ck_assert_int_eq (lb_thumbnail_get_height (header), 60);
      ck_assert_ptr_null (lb_thumbnail_get_pixels (header));

      loaded = lb_thumbnail_cache_load (cache, file, uri, 1234567890, LB_THUMBNAIL_SIZE_NORMAL, TRUE, &error);
      ck_assert_msg (loaded != NULL, "%s: %s", kinds[i].name, error ? error->message : "");
      channels = kinds[i].bands % 2 == 0 ? 4 : 3;
      ck_assert_msg (lb_thumbnail_get_has_alpha (loaded) == (channels == 4), "%s", kinds[i].name);
      pixels = g_bytes_get_data (lb_thumbnail_get_pixels (loaded), &len);
      ck_assert_uint_eq (len, 100 * 60 * channels);
      for (gsize at = 0; at < len; at += channels)
        for (int c = 0; c < channels; c++)
          {
            /* Grey repeats its one value in red, green and blue. */
            int expected = c == 3 ? colour[3] : kinds[i].bands <= 2 ? colour[0] : colour[c];

            ck_assert_msg (pixels[at + c] == expected, "%s: pixel %" G_GSIZE_FORMAT ", channel %d: %d, not %d",
                           kinds[i].name, at / channels, c, pixels[at + c], expected);
          }

      /* Stale for another time, whichever way it is read. */
      ck_assert_ptr_null (lb_thumbnail_cache_load (cache, file, uri, 1234567891, LB_THUMBNAIL_SIZE_NORMAL,
                                                   FALSE, NULL));
    }
}
END_TEST

START_TEST (test_cache_contains)
{
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailCache) linked_cache = NULL;
  g_autofree char *link_path = g_build_filename (lb_test_tmp_dir, "link", NULL);
  g_autofree char *inside = g_build_filename (root, "large", "x.png", NULL);
  g_autofree char *sibling = g_build_filename (lb_test_tmp_dir, "thumbnails2", "x.png", NULL);
  g_autofree char *outside = g_build_filename (lb_test_tmp_dir, "x.png", NULL);
  g_autoptr(GFile) root_file = g_file_new_for_path (root);
  g_autoptr(GFile) inside_file = g_file_new_for_path (inside);
  g_autoptr(GFile) sibling_file = g_file_new_for_path (sibling);
  g_autoptr(GFile) outside_file = g_file_new_for_path (outside);

  ck_assert_int_eq (g_mkdir_with_parents (root, 0700), 0);
  cache = lb_thumbnail_cache_new (root);
  ck_assert (lb_thumbnail_cache_contains (cache, root_file));
  ck_assert (lb_thumbnail_cache_contains (cache, inside_file));
  ck_assert (!lb_thumbnail_cache_contains (cache, sibling_file));
  ck_assert (!lb_thumbnail_cache_contains (cache, outside_file));

  /* The cache is reached through a symlink, the folder by its real path. */
  ck_assert_int_eq (symlink (root, link_path), 0);
  linked_cache = lb_thumbnail_cache_new (link_path);
  ck_assert (lb_thumbnail_cache_contains (linked_cache, inside_file));
  ck_assert (!lb_thumbnail_cache_contains (linked_cache, outside_file));
}
END_TEST

static gboolean
query_glib_validity (const char  *path,
                     char       **thumbnail_path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID ","
                            G_FILE_ATTRIBUTE_THUMBNAIL_PATH,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  ck_assert_msg (info != NULL, "%s", error ? error->message : "");

  if (thumbnail_path != NULL)
    *thumbnail_path = g_strdup (g_file_info_get_attribute_byte_string (info,
                                G_FILE_ATTRIBUTE_THUMBNAIL_PATH));

  return g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID);
}

/* GLib (and so Nautilus and the GTK file chooser) must accept what we
 * write, both in this process and as the gio tool sees it. */
START_TEST (test_cache_glib_accepts)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (NULL);
  g_autofree char *expected_root = g_build_filename (cache_home, "thumbnails", NULL);
  g_auto(Source) source = { NULL, };
  g_autofree char *glib_path = NULL;
  g_autofree char *our_path = NULL;
  g_autofree char *gio = g_find_program_in_path ("gio");

  ck_assert_str_eq (lb_thumbnail_cache_get_root (cache), expected_root);

  source_init (&source, lb_test_tmp_dir, "photo with space.jpg", LB_THUMBNAIL_SIZE_LARGE);
  ck_assert (lb_thumbnail_cache_save (cache, source.thumbnail, &source.meta,
                                      LB_THUMBNAIL_SIZE_LARGE, NULL));

  our_path = lb_thumbnail_cache_get_path (cache, source.uri, LB_THUMBNAIL_SIZE_LARGE);
  ck_assert (query_glib_validity (source.path, &glib_path));
  ck_assert_str_eq (glib_path, our_path);

  if (gio != NULL)
    {
      const char *argv[] = { gio, "info", "-a", "thumbnail::is-valid", source.path, NULL };
      g_autofree char *output = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;

      /* The child inherits our XDG_CACHE_HOME. */
      ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT,
                                   NULL, NULL, &output, NULL, &status, &error),
                     "%s", error ? error->message : "");
      ck_assert (g_spawn_check_wait_status (status, NULL));
      ck_assert_msg (strstr (output, "thumbnail::is-valid: TRUE") != NULL, "%s", output);
    }

  /* And GLib agrees once the file has changed. */
  lb_test_shift_mtime (source.path, 10);
  ck_assert (!query_glib_validity (source.path, NULL));
  ck_assert_ptr_null (lb_thumbnail_cache_load (cache, source.file, source.uri,
                                               lb_test_get_mtime (source.path),
                                               LB_THUMBNAIL_SIZE_LARGE, TRUE, NULL));
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite;
  TCase *tcase;
  int status;

  /* Before anything makes GLib read it. */
  cache_home = lb_test_set_cache_home ();
  lb_vips_init (argv[0]);

  suite = suite_create ("thumbnail-cache");

  tcase = tcase_create ("names");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_cache_spec_example);
  tcase_add_loop_test (tcase, test_cache_uri_escaping, 0, G_N_ELEMENTS (awkward_names));
  tcase_add_test (tcase, test_cache_contains);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("files");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_cache_round_trip);
  tcase_add_test (tcase, test_cache_stale);
  tcase_add_test (tcase, test_cache_failures);
  tcase_add_test (tcase, test_cache_atomic_write);
  tcase_add_test (tcase, test_cache_bucket_limit);
  tcase_add_test (tcase, test_cache_foreign_thumbnail);
  tcase_add_test (tcase, test_cache_png_kinds);
  tcase_add_test (tcase, test_cache_glib_accepts);
  suite_add_tcase (suite, tcase);

  status = lb_test_run_suite (suite, CK_FORK_GETENV);

  lb_test_remove_dir (cache_home);
  g_free (cache_home);

  return status;
}
