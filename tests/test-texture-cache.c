/* test-texture-cache.c: the byte-bounded cache of thumbnail textures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>

#include "lb-test-fixtures.h"
#include "lb-texture-cache.h"

/* A texture of @width × @height pixels, as the loader makes them. */
static GdkTexture *
make_texture (int width,
              int height)
{
  g_autoptr(GBytes) pixels = g_bytes_new_take (g_malloc0 ((gsize) width * height * 3),
                                               (gsize) width * height * 3);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, pixels, width * 3);
}

static GFile *
file_named (const char *name)
{
  g_autofree char *path = g_build_filename ("/nowhere", name, NULL);

  return g_file_new_for_path (path);
}

START_TEST (test_lookup)
{
  g_autoptr(LbTextureCache) cache = lb_texture_cache_new (1024 * 1024);
  g_autoptr(GFile) file = file_named ("a.jpg");
  g_autoptr(GFile) other = file_named ("b.jpg");
  g_autoptr(GdkTexture) texture = make_texture (256, 192);
  g_autoptr(GdkTexture) bigger = make_texture (512, 384);
  LbThumbnailSize size;
  gint64 modified;

  ck_assert_ptr_null (lb_texture_cache_lookup (cache, file, NULL, NULL));

  lb_texture_cache_insert (cache, file, 1700000000, LB_THUMBNAIL_SIZE_LARGE, texture);
  ck_assert_ptr_eq (lb_texture_cache_lookup (cache, file, &modified, &size), texture);
  ck_assert_int_eq (modified, 1700000000);
  ck_assert_int_eq (size, LB_THUMBNAIL_SIZE_LARGE);
  ck_assert_ptr_null (lb_texture_cache_lookup (cache, other, NULL, NULL));

  /* One texture per file: the newest replaces the other size. */
  lb_texture_cache_insert (cache, file, 1700000000, LB_THUMBNAIL_SIZE_X_LARGE, bigger);
  ck_assert_ptr_eq (lb_texture_cache_lookup (cache, file, NULL, &size), bigger);
  ck_assert_int_eq (size, LB_THUMBNAIL_SIZE_X_LARGE);
  ck_assert_uint_eq (lb_texture_cache_get_bytes (cache), 512 * 384 * 4);
}
END_TEST

START_TEST (test_bounded_least_recently_used)
{
  /* Room for four 256 × 256 textures. */
  g_autoptr(LbTextureCache) cache = lb_texture_cache_new (4 * 256 * 256 * 4);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.jpg", i);
      g_autoptr(GdkTexture) texture = make_texture (256, 256);

      g_ptr_array_add (files, file_named (name));
      lb_texture_cache_insert (cache, g_ptr_array_index (files, i), 0, LB_THUMBNAIL_SIZE_LARGE, texture);

      /* Looked at again and again: the first stays while others come. */
      ck_assert_ptr_nonnull (lb_texture_cache_lookup (cache, g_ptr_array_index (files, 0), NULL, NULL));
      ck_assert_uint_le (lb_texture_cache_get_bytes (cache), lb_texture_cache_get_max_bytes (cache));
    }

  ck_assert_uint_eq (lb_texture_cache_get_bytes (cache), 4 * 256 * 256 * 4);
  ck_assert_ptr_nonnull (lb_texture_cache_lookup (cache, g_ptr_array_index (files, 0), NULL, NULL));
  ck_assert_ptr_nonnull (lb_texture_cache_lookup (cache, g_ptr_array_index (files, 99), NULL, NULL));
  ck_assert_ptr_nonnull (lb_texture_cache_lookup (cache, g_ptr_array_index (files, 97), NULL, NULL));
  ck_assert_ptr_null (lb_texture_cache_lookup (cache, g_ptr_array_index (files, 96), NULL, NULL));
  ck_assert_ptr_null (lb_texture_cache_lookup (cache, g_ptr_array_index (files, 1), NULL, NULL));
}
END_TEST

START_TEST (test_bigger_than_the_bound)
{
  g_autoptr(LbTextureCache) cache = lb_texture_cache_new (1000);
  g_autoptr(GFile) file = file_named ("huge.jpg");
  g_autoptr(GdkTexture) texture = make_texture (64, 64);

  /* The one being shown is kept even alone over the bound. */
  lb_texture_cache_insert (cache, file, 0, LB_THUMBNAIL_SIZE_NORMAL, texture);
  ck_assert_ptr_eq (lb_texture_cache_lookup (cache, file, NULL, NULL), texture);
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite = suite_create ("texture-cache");
  TCase *tcase = tcase_create ("texture-cache");

  tcase_add_test (tcase, test_lookup);
  tcase_add_test (tcase, test_bounded_least_recently_used);
  tcase_add_test (tcase, test_bigger_than_the_bound);
  suite_add_tcase (suite, tcase);

  return lb_test_run_suite (suite, CK_FORK_GETENV);
}
