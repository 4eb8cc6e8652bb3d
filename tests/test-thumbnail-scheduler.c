/* test-thumbnail-scheduler.c: the pipeline from request to thumbnail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

/* XDG_CACHE_HOME, set at the start of main() so that GLib's own
 * thumbnail check looks where the scheduler writes. */
static char *cache_home;

static void
remove_cache (void)
{
  g_autofree char *root = g_build_filename (cache_home, "thumbnails", NULL);

  lb_test_remove_dir (root);
}

static void
setup (void)
{
  lb_test_tmp_dir_setup ();
  remove_cache ();
}

static void
teardown (void)
{
  lb_test_tmp_dir_teardown ();
}

/* One finished request. */
typedef struct {
  gboolean      done;
  LbThumbnail  *thumbnail;
  GError       *error;
  guint         order;      /* position among the finished requests */
  guint        *n_finished; /* shared counter, may be NULL */
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->thumbnail);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
on_loaded (GObject      *object,
           GAsyncResult *async_result,
           gpointer      user_data)
{
  Result *result = user_data;

  ck_assert (!result->done);
  result->thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object),
                                                          async_result, &result->error);
  ck_assert ((result->thumbnail == NULL) != (result->error == NULL));
  if (result->n_finished != NULL)
    result->order = (*result->n_finished)++;
  result->done = TRUE;
}

static void
request_file (LbThumbnailScheduler *scheduler,
              GFile                *file,
              LbThumbnailFlags      flags,
              int                   priority,
              GCancellable         *cancellable,
              Result               *result)
{
  lb_thumbnail_scheduler_load_async (scheduler, file, LB_THUMBNAIL_SIZE_LARGE, flags,
                                     priority, cancellable, on_loaded, result);
}

static void
request (LbThumbnailScheduler *scheduler,
         const char           *path,
         LbThumbnailFlags      flags,
         int                   priority,
         GCancellable         *cancellable,
         Result               *result)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  request_file (scheduler, file, flags, priority, cancellable, result);
}

/* Requests @path at size large and waits for the outcome. */
static void
load (LbThumbnailScheduler *scheduler,
      const char           *path,
      LbThumbnailFlags      flags,
      Result               *result)
{
  request (scheduler, path, flags, G_PRIORITY_DEFAULT, NULL, result);
  lb_test_spin_until (&result->done);
}

static LbThumbnailScheduler *
new_scheduler (void)
{
  return lb_thumbnail_scheduler_new (NULL, 2);
}

static char *
thumbnail_path_for (const char      *path,
                    LbThumbnailSize  size)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *name = g_strconcat (md5, ".png", NULL);

  return g_build_filename (cache_home, "thumbnails", lb_thumbnail_size_get_name (size),
                           name, NULL);
}

static char *
fail_path_for (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *name = g_strconcat (md5, ".png", NULL);

  return g_build_filename (cache_home, "thumbnails", "fail",
                           "lightbox-" PACKAGE_VERSION, name, NULL);
}

static gboolean
fail_path_test (const char   *path,
                GFileTest     test)
{
  g_autofree char *fail_path = fail_path_for (path);

  return g_file_test (fail_path, test);
}

/* What GLib itself (and so Nautilus and every GIO user) thinks. */
static gboolean
glib_says_valid (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  ck_assert_msg (info != NULL, "%s", error ? error->message : "");

  return g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID) &&
         g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_THUMBNAIL_IS_VALID);
}

static void
assert_generated (const Result *result,
                  int           width,
                  int           height)
{
  ck_assert_msg (result->thumbnail != NULL, "%s", result->error ? result->error->message : "");
  ck_assert_int_eq (lb_thumbnail_get_origin (result->thumbnail), LB_THUMBNAIL_ORIGIN_GENERATED);
  ck_assert_int_eq (lb_thumbnail_get_width (result->thumbnail), width);
  ck_assert_int_eq (lb_thumbnail_get_height (result->thumbnail), height);
}

START_TEST (test_scheduler_generates_then_reuses)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_autofree char *thumbnail_path = thumbnail_path_for (path, LB_THUMBNAIL_SIZE_LARGE);
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  GBytes *pixels;
  GStatBuf st;

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &first);
  assert_generated (&first, 256, 171);
  pixels = lb_thumbnail_get_pixels (first.thumbnail);
  ck_assert_ptr_nonnull (pixels);
  ck_assert_uint_eq (g_bytes_get_size (pixels),
                     lb_thumbnail_get_stride (first.thumbnail) * 171);

  /* Written where the spec says, private, and accepted by GLib. */
  ck_assert_int_eq (g_stat (thumbnail_path, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);
  ck_assert (glib_says_valid (path));

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &second);
  ck_assert_ptr_nonnull (second.thumbnail);
  ck_assert_int_eq (lb_thumbnail_get_origin (second.thumbnail), LB_THUMBNAIL_ORIGIN_CACHE);
  ck_assert_int_eq (lb_thumbnail_get_width (second.thumbnail), 256);
  ck_assert_int_eq (lb_thumbnail_get_height (second.thumbnail), 171);
  ck_assert (g_bytes_equal (lb_thumbnail_get_pixels (second.thumbnail), pixels));
}
END_TEST

/* Counts the threads of this process that are background ones (see
 * lb-background-thread.h): SCHED_BATCH, at @niceness, and, when @name is
 * not NULL, called so. */
static guint
count_background_threads (const char *name,
                          int         niceness)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;
  guint n = 0;

  ck_assert_ptr_nonnull (tasks);
  while ((task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", task, "comm", NULL);
      g_autofree char *comm = NULL;
      pid_t tid = (pid_t) g_ascii_strtoll (task, NULL, 10);

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      g_strchomp (comm);
      errno = 0;
      if ((name == NULL || g_str_equal (comm, name)) &&
          sched_getscheduler (tid) == SCHED_BATCH &&
          getpriority (PRIO_PROCESS, tid) == niceness && errno == 0)
        n++;
    }

  return n;
}

START_TEST (test_scheduler_threads_give_way)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_auto(Result) result = { 0, };

  /* Nothing here has made a thread a background one yet. */
  ck_assert_uint_eq (count_background_threads (NULL, 10), 0);

  /* Once a thumbnail was made, the I/O thread, a lookup thread and a
   * decoder have each worked: none may preempt the main thread. */
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  assert_generated (&result, 256, 171);
  ck_assert_uint_eq (count_background_threads ("lightbox-io", 0), 1);
  ck_assert_uint_ge (count_background_threads (NULL, 10), 1);
  ck_assert_int_eq (sched_getscheduler (0), SCHED_OTHER);
}
END_TEST

START_TEST (test_scheduler_no_pixels)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.png", LB_TEST_FORMAT_PNG,
                                               300, 500, 1);
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NO_PIXELS, &first);
  assert_generated (&first, 154, 256);
  ck_assert_ptr_null (lb_thumbnail_get_pixels (first.thumbnail));
  ck_assert (glib_says_valid (path));

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NO_PIXELS, &second);
  ck_assert_int_eq (lb_thumbnail_get_origin (second.thumbnail), LB_THUMBNAIL_ORIGIN_CACHE);
  ck_assert_int_eq (lb_thumbnail_get_width (second.thumbnail), 154);
  ck_assert_ptr_null (lb_thumbnail_get_pixels (second.thumbnail));
}
END_TEST

/* Names that need escaping in the URI the cache is keyed by. */
static const char * const awkward_names[] = {
  "with space.jpg",
  "ünïcödé ✓.jpg",
  "100%.jpg",
  "a#b?c.jpg",
  "\xff\xfe not utf-8.jpg",
  "new\nline.jpg",
  "file:looks-like-a-uri.jpg",
};

START_TEST (test_scheduler_awkward_names)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, awkward_names[_i], LB_TEST_FORMAT_JPEG,
                                               200, 100, 1);
  g_autofree char *thumbnail_path = thumbnail_path_for (path, LB_THUMBNAIL_SIZE_LARGE);
  g_auto(Result) result = { 0, };

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  /* Never upscaled: the image is smaller than the bucket. */
  assert_generated (&result, 200, 100);
  ck_assert (g_file_test (thumbnail_path, G_FILE_TEST_IS_REGULAR));
  ck_assert (glib_says_valid (path));
}
END_TEST

START_TEST (test_scheduler_every_format)
{
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autofree char *name = g_strdup_printf ("image.%s", lb_test_format_get_name (_i));
  g_autofree char *path = NULL;
  g_auto(Result) result = { 0, };

  if (lb_test_format_is_skipped (_i))
    return;

  scheduler = new_scheduler ();
  path = lb_test_write_image (lb_test_tmp_dir, name, _i, 600, 400, 1);
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  ck_assert_msg (result.thumbnail != NULL, "%s: %s", name, result.error->message);
  ck_assert_int_eq (lb_thumbnail_get_width (result.thumbnail), 256);
  ck_assert_int_eq (lb_thumbnail_get_height (result.thumbnail), 171);
  ck_assert_msg (glib_says_valid (path), "%s", name);
}
END_TEST

/* Orientations 5–8 turn the stored landscape into a portrait. */
START_TEST (test_scheduler_orientation)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "oriented.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, _i);
  g_auto(Result) result = { 0, };

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  if (_i >= 5)
    assert_generated (&result, 171, 256);
  else
    assert_generated (&result, 256, 171);
}
END_TEST

START_TEST (test_scheduler_stale_is_regenerated)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) third = { 0, };

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &first);
  assert_generated (&first, 256, 171);

  lb_test_shift_mtime (path, 10);
  ck_assert (!glib_says_valid (path));

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &second);
  assert_generated (&second, 256, 171);
  ck_assert (glib_says_valid (path));

  /* --force makes a new one even though it is valid. */
  load (scheduler, path, LB_THUMBNAIL_FLAGS_FORCE, &third);
  assert_generated (&third, 256, 171);
}
END_TEST

static const LbTestBadKind bad_kinds[] = {
  LB_TEST_BAD_EMPTY,
  LB_TEST_BAD_TRUNCATED_JPEG,
  LB_TEST_BAD_TRUNCATED_PNG,
  LB_TEST_BAD_RANDOM,
  LB_TEST_BAD_TEXT,
  LB_TEST_BAD_HEADER_ONLY_PNG,
  LB_TEST_BAD_PNG_BOMB,
};

/* Bad files fail cleanly, are recorded, and are not tried again until
 * they change. */
START_TEST (test_scheduler_failures_are_recorded)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_bad_file (lb_test_tmp_dir, "broken.jpg", bad_kinds[_i]);
  g_autofree char *fail_path = fail_path_for (path);
  g_autofree char *thumbnail_path = thumbnail_path_for (path, LB_THUMBNAIL_SIZE_LARGE);
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) forced = { 0, };
  g_auto(Result) changed = { 0, };

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &first);
  ck_assert_ptr_null (first.thumbnail);
  ck_assert_msg (first.error->domain == LB_THUMBNAIL_ERROR, "%s", first.error->message);
  ck_assert_int_ne (first.error->code, LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED);
  ck_assert (g_file_test (fail_path, G_FILE_TEST_IS_REGULAR));
  ck_assert (!g_file_test (thumbnail_path, G_FILE_TEST_EXISTS));

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &second);
  ck_assert (g_error_matches (second.error, LB_THUMBNAIL_ERROR,
                              LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED));

  load (scheduler, path, LB_THUMBNAIL_FLAGS_FORCE, &forced);
  ck_assert (g_error_matches (forced.error, LB_THUMBNAIL_ERROR, first.error->code));

  lb_test_shift_mtime (path, 10);
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &changed);
  ck_assert (g_error_matches (changed.error, LB_THUMBNAIL_ERROR, first.error->code));
}
END_TEST

/* A JPEG named .png, a PNG named .txt: the content decides. */
START_TEST (test_scheduler_misnamed)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *jpeg = lb_test_write_image (lb_test_tmp_dir, "really-a-jpeg.png", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_autofree char *png = lb_test_write_image (lb_test_tmp_dir, "really-a-png.txt", LB_TEST_FORMAT_PNG,
                                              600, 400, 1);
  g_auto(Result) jpeg_result = { 0, };
  g_auto(Result) png_result = { 0, };

  load (scheduler, jpeg, LB_THUMBNAIL_FLAGS_NONE, &jpeg_result);
  assert_generated (&jpeg_result, 256, 171);
  load (scheduler, png, LB_THUMBNAIL_FLAGS_NONE, &png_result);
  assert_generated (&png_result, 256, 171);
}
END_TEST

/* FIFOs and folders are never opened for reading; a read would block. */
START_TEST (test_scheduler_not_regular)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *fifo = g_build_filename (lb_test_tmp_dir, "fifo.jpg", NULL);
  g_autofree char *link = g_build_filename (lb_test_tmp_dir, "link-to-fifo.jpg", NULL);
  g_autofree char *folder = lb_test_write_bad_file (lb_test_tmp_dir, "folder.jpg", LB_TEST_BAD_DIRECTORY);
  const char *paths[] = { fifo, link, folder };

  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  ck_assert_int_eq (symlink (fifo, link), 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Result) result = { 0, };

      load (scheduler, paths[i], LB_THUMBNAIL_FLAGS_NONE, &result);
      ck_assert_msg (g_error_matches (result.error, LB_THUMBNAIL_ERROR,
                                      LB_THUMBNAIL_ERROR_NOT_REGULAR),
                     "%s: %s", paths[i], result.error ? result.error->message : "no error");
    }
}
END_TEST

START_TEST (test_scheduler_missing_file)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, "vanished.jpg", NULL);
  g_autofree char *dangling = g_build_filename (lb_test_tmp_dir, "dangling.jpg", NULL);
  g_auto(Result) result = { 0, };
  g_auto(Result) dangling_result = { 0, };
  g_auto(Result) mounted_result = { 0, };

  ck_assert_int_eq (symlink (path, dangling), 0);

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  ck_assert (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  /* Nothing to record: there is no file, hence no mtime. */
  ck_assert (!fail_path_test (path, G_FILE_TEST_EXISTS));

  /* Nor for a dangling link: recorded against the link's own mtime, the
   * failure would outlive the target's arrival (a drive mounted later). */
  load (scheduler, dangling, LB_THUMBNAIL_FLAGS_NONE, &dangling_result);
  ck_assert (g_error_matches (dangling_result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  ck_assert (!fail_path_test (dangling, G_FILE_TEST_EXISTS));

  g_free (lb_test_write_image (lb_test_tmp_dir, "vanished.jpg", LB_TEST_FORMAT_JPEG, 300, 200, 1));
  load (scheduler, dangling, LB_THUMBNAIL_FLAGS_NONE, &mounted_result);
  assert_generated (&mounted_result, 256, 171);
}
END_TEST

START_TEST (test_scheduler_unreadable)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "secret.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_autofree char *root = g_build_filename (lb_test_tmp_dir, "thumbnails", NULL);
  g_autofree char *fail_dir = g_build_filename (root, "fail", "lightbox-" PACKAGE_VERSION, NULL);
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *fail_path = NULL;
  g_auto(Result) result = { 0, };

  ck_assert_int_eq (g_mkdir (root, 0777), 0);
  ck_assert_int_eq (chmod (root, 0777), 0);
  ck_assert_int_eq (chmod (path, 0), 0);
  lb_test_become_unprivileged (lb_test_tmp_dir);

  cache = lb_thumbnail_cache_new (root);
  scheduler = lb_thumbnail_scheduler_new (cache, 2);
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  ck_assert_msg (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED),
                 "%s", result.error ? result.error->message : "no error");

  /* Recorded, so that it is not tried again until it changes. */
  fail_path = lb_thumbnail_cache_get_fail_path (cache, uri);
  ck_assert (g_str_has_prefix (fail_path, fail_dir));
  ck_assert (g_file_test (fail_path, G_FILE_TEST_IS_REGULAR));
}
END_TEST

START_TEST (test_scheduler_size_limit)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "big.png", LB_TEST_FORMAT_PNG,
                                               600, 400, 1);
  g_auto(Result) result = { 0, };

  lb_thumbnail_scheduler_set_max_file_size (scheduler, 1000);
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  ck_assert (g_error_matches (result.error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE));
  ck_assert (fail_path_test (path, G_FILE_TEST_IS_REGULAR));
}
END_TEST

START_TEST (test_scheduler_pixel_limit)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_auto(Result) result = { 0, };

  lb_thumbnail_scheduler_set_max_pixels (scheduler, 600 * 400 - 1);
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &result);
  ck_assert (g_error_matches (result.error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE));
}
END_TEST

/* The cache's own PNGs are never thumbnailed. */
START_TEST (test_scheduler_skips_cache_files)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_autofree char *thumbnail_path = thumbnail_path_for (path, LB_THUMBNAIL_SIZE_LARGE);
  g_autofree char *nested_path = thumbnail_path_for (thumbnail_path, LB_THUMBNAIL_SIZE_LARGE);
  g_auto(Result) first = { 0, };
  g_auto(Result) nested = { 0, };

  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &first);
  assert_generated (&first, 256, 171);

  load (scheduler, thumbnail_path, LB_THUMBNAIL_FLAGS_NONE, &nested);
  ck_assert (g_error_matches (nested.error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_IN_CACHE));
  ck_assert (!g_file_test (nested_path, G_FILE_TEST_EXISTS));
  ck_assert (!fail_path_test (thumbnail_path, G_FILE_TEST_EXISTS));
}
END_TEST

/* Requests for the same thumbnail share one job and one result. */
START_TEST (test_scheduler_merges_requests)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_auto(Result) a = { 0, };
  g_auto(Result) b = { 0, };

  request (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_LOW, NULL, &a);
  request (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_HIGH, NULL, &b);
  lb_test_spin_until (&a.done);
  lb_test_spin_until (&b.done);

  assert_generated (&a, 256, 171);
  ck_assert_ptr_eq (a.thumbnail, b.thumbnail);
}
END_TEST

#define N_BACKGROUND 24

/* Makes @n distinct images named prefix-N.jpg, smaller than the large
 * bucket so that their thumbnails keep their size. */
static GPtrArray *
write_images (const char *prefix,
              guint       n)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%02u.jpg", prefix, i);

      g_ptr_array_add (paths, lb_test_write_image (lb_test_tmp_dir, name, LB_TEST_FORMAT_JPEG,
                                                   200 + i, 150, 1));
    }

  return paths;
}

/* Asks for N_BACKGROUND new images at low priority, then for one more,
 * "urgent.jpg", raised to high priority while still queued; waits for
 * every answer. Each result records its place among the answers. */
static void
request_then_raise_urgent (LbThumbnailScheduler *scheduler,
                           Result               *results,
                           Result               *urgent_result)
{
  g_autoptr(GPtrArray) paths = write_images ("low", N_BACKGROUND);
  g_autofree char *urgent_path = lb_test_write_image (lb_test_tmp_dir, "urgent.jpg",
                                                      LB_TEST_FORMAT_JPEG, 200, 150, 1);
  g_autoptr(GFile) urgent = g_file_new_for_path (urgent_path);
  guint n_finished = 0;

  for (guint i = 0; i < N_BACKGROUND; i++)
    {
      results[i].n_finished = &n_finished;
      request (scheduler, g_ptr_array_index (paths, i), LB_THUMBNAIL_FLAGS_NONE,
               G_PRIORITY_LOW, NULL, &results[i]);
    }
  urgent_result->n_finished = &n_finished;
  request (scheduler, urgent_path, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_LOW, NULL,
           urgent_result);
  lb_thumbnail_scheduler_set_priority (scheduler, urgent, LB_THUMBNAIL_SIZE_LARGE,
                                       G_PRIORITY_HIGH);

  lb_test_spin_until (&urgent_result->done);
  for (guint i = 0; i < N_BACKGROUND; i++)
    lb_test_spin_until (&results[i].done);

  /* The shared counter goes out of scope here. */
  urgent_result->n_finished = NULL;
  for (guint i = 0; i < N_BACKGROUND; i++)
    results[i].n_finished = NULL;
}

static void
clear_results (Result *results,
               Result *urgent_result)
{
  result_clear (urgent_result);
  for (guint i = 0; i < N_BACKGROUND; i++)
    result_clear (&results[i]);
}

/* A request raised while queued is served before older low ones. In
 * serial mode only one file is in flight, so at most that one can still
 * come first. */
START_TEST (test_scheduler_raised_priority)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  Result results[N_BACKGROUND] = { { 0, }, };
  Result urgent_result = { 0, };

  lb_thumbnail_scheduler_set_serial (scheduler, TRUE);

  request_then_raise_urgent (scheduler, results, &urgent_result);

  ck_assert_ptr_nonnull (urgent_result.thumbnail);
  ck_assert_uint_le (urgent_result.order, 1);
  /* The others in the order they came. */
  for (guint i = 1; i < N_BACKGROUND; i++)
    ck_assert_uint_lt (results[i - 1].order, results[i].order);

  clear_results (results, &urgent_result);
}
END_TEST

/* With everything running in parallel, a raised request still overtakes
 * all the low ones that had not started. */
START_TEST (test_scheduler_raised_priority_parallel)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  Result results[N_BACKGROUND] = { { 0, }, };
  Result urgent_result = { 0, };

  /* One read and one decode at a time keeps the pipeline short. */
  g_object_set (scheduler, "max-reads", 1, NULL);

  request_then_raise_urgent (scheduler, results, &urgent_result);

  /* At most the lookups, the read and the decodes already under way
   * when it was raised can finish first; unraised it would be last. */
  ck_assert_ptr_nonnull (urgent_result.thumbnail);
  ck_assert_uint_lt (urgent_result.order, N_BACKGROUND / 2);

  clear_results (results, &urgent_result);
}
END_TEST

/* Entries in @subdir of the thumbnail cache. */
static guint
count_cache_entries (const char *subdir)
{
  g_autofree char *dir_path = g_build_filename (cache_home, "thumbnails", subdir, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static guint
count_thumbnails (LbThumbnailSize size)
{
  return count_cache_entries (lb_thumbnail_size_get_name (size));
}

/* Cancelled requests end as cancelled, and queued work is dropped
 * without being read: in serial mode at most the one file in flight
 * gets a thumbnail. */
START_TEST (test_scheduler_cancel_queued)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autoptr(GPtrArray) paths = write_images ("queued", N_BACKGROUND);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result results[N_BACKGROUND] = { { 0, }, };
  g_auto(Result) after = { 0, };

  lb_thumbnail_scheduler_set_serial (scheduler, TRUE);

  for (guint i = 0; i < N_BACKGROUND; i++)
    request (scheduler, g_ptr_array_index (paths, i), LB_THUMBNAIL_FLAGS_NONE,
             G_PRIORITY_DEFAULT, cancellable, &results[i]);
  g_cancellable_cancel (cancellable);

  for (guint i = 0; i < N_BACKGROUND; i++)
    {
      lb_test_spin_until (&results[i].done);
      ck_assert (g_error_matches (results[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      result_clear (&results[i]);
    }
  ck_assert_uint_le (count_thumbnails (LB_THUMBNAIL_SIZE_LARGE), 1);

  /* The same files can be asked for again afterwards. */
  load (scheduler, g_ptr_array_index (paths, N_BACKGROUND - 1), LB_THUMBNAIL_FLAGS_NONE, &after);
  assert_generated (&after, 200 + N_BACKGROUND - 1, 150);
}
END_TEST

/* Cancelling one of two merged requests leaves the other served. */
START_TEST (test_scheduler_cancel_one_waiter)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) cancelled = { 0, };
  g_auto(Result) kept = { 0, };

  request (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, cancellable, &cancelled);
  request (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, NULL, &kept);
  g_cancellable_cancel (cancellable);

  lb_test_spin_until (&cancelled.done);
  lb_test_spin_until (&kept.done);
  ck_assert (g_error_matches (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_generated (&kept, 256, 171);
}
END_TEST

/* --- a decode caught running ------------------------------------------- */

/* libvips' own account of the decodes: the engine has it report the
 * progress of every decode (for a big RGBA PNG, one row at a time, on
 * the decoder's thread itself), and emission hooks see those reports for
 * every image. The first decode is held at its first report until the
 * test lets it go: caught running, whatever the machine's speed. */
static const char * const decode_events[] = { "preeval", "eval", "posteval" };

enum { DECODE_START, DECODE_PROGRESS, DECODE_END };

static struct {
  GMutex    lock;
  GCond     released_cond;
  gulong    hooks[G_N_ELEMENTS (decode_events)];
  gpointer  first_image;     /* the first decode's image; not a reference */
  int       first_percent;   /* how far it got, -1 before its first report */
  gboolean  first_ended;     /* it reported its last row */
  gboolean  released;
  guint     n_ended;         /* decodes that reported their last row */
  gboolean  first_running;   /* main thread only: the first decode is held */
} decode_watch;

static gboolean
on_first_decode_running (gpointer user_data)
{
  decode_watch.first_running = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs on the thread that decodes, before the engine's own handlers. */
static gboolean
on_decode_event (GSignalInvocationHint *hint,
                 guint                  n_params,
                 const GValue          *params,
                 gpointer               user_data)
{
  guint event = GPOINTER_TO_UINT (user_data);
  gpointer image = g_value_get_object (&params[0]);
  VipsProgress *progress = g_value_get_pointer (&params[1]);

  g_mutex_lock (&decode_watch.lock);
  if (event == DECODE_START && decode_watch.first_image == NULL)
    decode_watch.first_image = image;
  if (event == DECODE_END)
    decode_watch.n_ended++;

  if (image == decode_watch.first_image && event != DECODE_START && !decode_watch.first_ended)
    {
      if (event == DECODE_PROGRESS && decode_watch.first_percent < 0)
        {
          g_idle_add (on_first_decode_running, NULL);
          while (!decode_watch.released)
            g_cond_wait (&decode_watch.released_cond, &decode_watch.lock);
        }
      decode_watch.first_percent = MAX (decode_watch.first_percent, progress->percent);
      decode_watch.first_ended = event == DECODE_END;
    }
  g_mutex_unlock (&decode_watch.lock);

  return TRUE;
}

static void
decode_watch_start (void)
{
  memset (&decode_watch, 0, sizeof decode_watch);
  g_mutex_init (&decode_watch.lock);
  g_cond_init (&decode_watch.released_cond);
  decode_watch.first_percent = -1;
  for (guint i = 0; i < G_N_ELEMENTS (decode_events); i++)
    decode_watch.hooks[i] = g_signal_add_emission_hook (g_signal_lookup (decode_events[i],
                                                                         VIPS_TYPE_IMAGE),
                                                        0, on_decode_event,
                                                        GUINT_TO_POINTER (i), NULL);
}

static void
decode_watch_release (void)
{
  g_mutex_lock (&decode_watch.lock);
  decode_watch.released = TRUE;
  g_cond_broadcast (&decode_watch.released_cond);
  g_mutex_unlock (&decode_watch.lock);
}

static void
decode_watch_stop (void)
{
  decode_watch_release ();
  for (guint i = 0; i < G_N_ELEMENTS (decode_events); i++)
    g_signal_remove_emission_hook (g_signal_lookup (decode_events[i], VIPS_TYPE_IMAGE),
                                   decode_watch.hooks[i]);
  g_cond_clear (&decode_watch.released_cond);
  g_mutex_clear (&decode_watch.lock);
}

/* A big RGBA PNG cannot shrink on load: its decode goes through every
 * row. Cancelled while held at its first row, it stops before its last,
 * leaves nothing in the cache, and the file can be asked for again. */
START_TEST (test_scheduler_cancel_running)
{
  /* One decoder: what is asked for after the cancel is decoded only once
   * the cancelled decode has returned, with whatever it wrote. */
  g_autoptr(LbThumbnailScheduler) scheduler = lb_thumbnail_scheduler_new (NULL, 1);
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "large.png",
                                               LB_TEST_FORMAT_PNG_ALPHA, 4000, 3000, 1);
  g_autofree char *missing = g_build_filename (lb_test_tmp_dir, "missing.png", NULL);
  g_autofree char *small = lb_test_write_image (lb_test_tmp_dir, "small.jpg", LB_TEST_FORMAT_JPEG,
                                                200, 150, 1);
  g_autofree char *thumbnail_path = thumbnail_path_for (path, LB_THUMBNAIL_SIZE_LARGE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) cancelled = { 0, };
  g_auto(Result) barrier = { 0, };
  g_auto(Result) next = { 0, };
  g_auto(Result) again = { 0, };
  guint n_ended;

  decode_watch_start ();

  request (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, cancellable, &cancelled);
  lb_test_spin_until (&decode_watch.first_running);
  g_cancellable_cancel (cancellable);
  lb_test_spin_until (&cancelled.done);
  ck_assert (g_error_matches (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  /* The scheduler handles requests in order: once it has answered this
   * one, it has cancelled the decode's own cancellable too. */
  load (scheduler, missing, LB_THUMBNAIL_FLAGS_NONE, &barrier);
  ck_assert (g_error_matches (barrier.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  decode_watch_release ();

  load (scheduler, small, LB_THUMBNAIL_FLAGS_NONE, &next);
  assert_generated (&next, 200, 150);
  g_mutex_lock (&decode_watch.lock);
  ck_assert (!decode_watch.first_ended);
  ck_assert_int_ge (decode_watch.first_percent, 0);
  ck_assert_int_lt (decode_watch.first_percent, 100);
  n_ended = decode_watch.n_ended;
  g_mutex_unlock (&decode_watch.lock);
  ck_assert (!g_file_test (thumbnail_path, G_FILE_TEST_EXISTS));
  ck_assert (!fail_path_test (path, G_FILE_TEST_EXISTS));

  /* Asked for again, it is decoded to its last row. */
  load (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, &again);
  assert_generated (&again, 256, 192);
  ck_assert (g_file_test (thumbnail_path, G_FILE_TEST_IS_REGULAR));
  g_mutex_lock (&decode_watch.lock);
  ck_assert_uint_gt (decode_watch.n_ended, n_ended);
  g_mutex_unlock (&decode_watch.lock);

  decode_watch_stop ();
}
END_TEST

/* --- a location GIO reads itself: resource:// ----------------------------- */

#define RESOURCE_PREFIX "/io/github/lightbox/test"

/* Compiles @names (NULL-terminated, each with its @contents) into a
 * GResource under RESOURCE_PREFIX with glib-compile-resources, as an
 * application's are, and registers it. */
static GResource *
register_resource (const char * const *names,
                   GBytes * const     *contents)
{
  g_autofree char *xml_path = g_build_filename (lb_test_tmp_dir, "test.gresource.xml", NULL);
  g_autofree char *target = g_build_filename (lb_test_tmp_dir, "test.gresource", NULL);
  g_autoptr(GString) xml = g_string_new ("<gresources><gresource prefix=\"" RESOURCE_PREFIX "\">");
  g_autofree char *sourcedir_arg = g_strconcat ("--sourcedir=", lb_test_tmp_dir, NULL);
  g_autofree char *target_arg = g_strconcat ("--target=", target, NULL);
  const char *argv[] = { "glib-compile-resources", sourcedir_arg, target_arg, xml_path, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  GResource *resource;
  int status;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_free (lb_test_write_bytes (lb_test_tmp_dir, names[i], contents[i]));
      g_string_append_printf (xml, "<file>%s</file>", names[i]);
    }
  g_string_append (xml, "</gresource></gresources>");
  ck_assert (g_file_set_contents (xml_path, xml->str, -1, NULL));

  ck_assert_msg (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, &err, &status, &error),
                 "%s", error ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s", err);

  resource = g_resource_load (target, &error);
  ck_assert_msg (resource != NULL, "%s", error ? error->message : "");
  g_resources_register (resource);

  return resource;
}

static guint
count_failures (void)
{
  return count_cache_entries ("fail/lightbox-" PACKAGE_VERSION);
}

/* A location without a modification time: thumbnailed through GIO's
 * asynchronous reads, every time, since neither a thumbnail nor a
 * failure of it could be checked for validity later (Thumb::MTime);
 * nothing goes into the cache. */
START_TEST (test_scheduler_resource)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autoptr(GBytes) photo = lb_test_make_image_bytes (LB_TEST_FORMAT_JPEG, 600, 400, 1);
  g_autoptr(GBytes) text = g_bytes_new_static ("not an image\n", 13);
  const char * const names[] = { "photo.jpg", "notes.jpg", NULL };
  GBytes * const contents[] = { photo, text };
  g_autoptr(GResource) resource = register_resource (names, contents);
  g_autoptr(GFile) file = g_file_new_for_uri ("resource://" RESOURCE_PREFIX "/photo.jpg");
  g_autoptr(GFile) broken = g_file_new_for_uri ("resource://" RESOURCE_PREFIX "/notes.jpg");
  g_autoptr(GFile) missing = g_file_new_for_uri ("resource://" RESOURCE_PREFIX "/missing.jpg");
  g_auto(Result) first = { 0, };
  g_auto(Result) second = { 0, };
  g_auto(Result) broken_result = { 0, };
  g_auto(Result) missing_result = { 0, };
  const guint8 *pixels;

  ck_assert (!g_file_is_native (file));

  request_file (scheduler, file, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, NULL, &first);
  lb_test_spin_until (&first.done);
  assert_generated (&first, 256, 171);
  /* The marker fills the top-left quarter, the gradient's blue the rest. */
  pixels = g_bytes_get_data (lb_thumbnail_get_pixels (first.thumbnail), NULL);
  ck_assert_int_ge (pixels[0], LB_TEST_MARKER_RED - 16);
  ck_assert_int_le (pixels[1], LB_TEST_MARKER_GREEN + 16);
  ck_assert_int_le (pixels[2], LB_TEST_MARKER_BLUE + 16);
  ck_assert_int_ge (pixels[lb_thumbnail_get_stride (first.thumbnail) * 170 + 2],
                    LB_TEST_BACKGROUND_BLUE - 16);
  ck_assert_uint_eq (count_thumbnails (LB_THUMBNAIL_SIZE_LARGE), 0);

  request_file (scheduler, file, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, NULL, &second);
  lb_test_spin_until (&second.done);
  assert_generated (&second, 256, 171);

  request_file (scheduler, broken, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, NULL, &broken_result);
  lb_test_spin_until (&broken_result.done);
  ck_assert (g_error_matches (broken_result.error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED));
  ck_assert_uint_eq (count_failures (), 0);

  request_file (scheduler, missing, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, NULL, &missing_result);
  lb_test_spin_until (&missing_result.done);
  ck_assert_msg (g_error_matches (missing_result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND),
                 "%s", missing_result.error ? missing_result.error->message : "no error");
  ck_assert (strstr (missing_result.error->message, "missing.jpg") != NULL);
  ck_assert_uint_eq (count_thumbnails (LB_THUMBNAIL_SIZE_LARGE), 0);
  ck_assert_uint_eq (count_failures (), 0);

  g_resources_unregister (resource);
}
END_TEST

/* Queued requests for such a location end cancelled when cancelled, and
 * the location can be asked for again. */
START_TEST (test_scheduler_resource_cancel_queued)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler ();
  g_autoptr(GBytes) photo = lb_test_make_image_bytes (LB_TEST_FORMAT_PNG, 300, 200, 1);
  const char * const names[] = { "photo.png", NULL };
  GBytes * const contents[] = { photo };
  g_autoptr(GResource) resource = register_resource (names, contents);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result results[LB_THUMBNAIL_N_SIZES] = { { 0, }, };
  g_auto(Result) after = { 0, };
  g_autoptr(GFile) file = g_file_new_for_uri ("resource://" RESOURCE_PREFIX "/photo.png");

  lb_thumbnail_scheduler_set_serial (scheduler, TRUE);

  /* The same location at every size: one job each, queued one behind the other. */
  for (guint i = 0; i < LB_THUMBNAIL_N_SIZES; i++)
    lb_thumbnail_scheduler_load_async (scheduler, file, i, LB_THUMBNAIL_FLAGS_NONE,
                                       G_PRIORITY_DEFAULT, cancellable, on_loaded, &results[i]);
  g_cancellable_cancel (cancellable);

  for (guint i = 0; i < LB_THUMBNAIL_N_SIZES; i++)
    {
      lb_test_spin_until (&results[i].done);
      ck_assert (g_error_matches (results[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      result_clear (&results[i]);
    }

  request_file (scheduler, file, LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT, NULL, &after);
  lb_test_spin_until (&after.done);
  assert_generated (&after, 256, 171);

  g_resources_unregister (resource);
}
END_TEST

#define N_MANY 150

/* Many requests at once, of mixed priorities and flags, good and bad:
 * every one is answered, with the right outcome. */
START_TEST (test_scheduler_many_concurrent)
{
  g_autoptr(LbThumbnailScheduler) scheduler = lb_thumbnail_scheduler_new (NULL, 0);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  Result *results = g_new0 (Result, N_MANY);
  guint n_finished = 0;

  for (guint i = 0; i < N_MANY; i++)
    {
      g_autofree char *name = g_strdup_printf ("many-%03u.%s", i, i % 10 == 9 ? "jpg" : "png");

      if (i % 10 == 9)
        g_ptr_array_add (paths, lb_test_write_bad_file (lb_test_tmp_dir, name, LB_TEST_BAD_TRUNCATED_JPEG));
      else
        g_ptr_array_add (paths, lb_test_write_image (lb_test_tmp_dir, name, LB_TEST_FORMAT_PNG,
                                                     64 + i % 7, 48, 1));
    }

  /* Small budgets, so that the limits are exercised. */
  g_object_set (scheduler, "max-reads", 3, "max-read-bytes", (guint64) 8192, NULL);

  for (guint i = 0; i < N_MANY; i++)
    {
      results[i].n_finished = &n_finished;
      request (scheduler, g_ptr_array_index (paths, i),
               i % 3 == 0 ? LB_THUMBNAIL_FLAGS_NO_PIXELS : LB_THUMBNAIL_FLAGS_NONE,
               i % 2 == 0 ? G_PRIORITY_LOW : G_PRIORITY_HIGH, NULL, &results[i]);
    }

  for (guint i = 0; i < N_MANY; i++)
    {
      lb_test_spin_until (&results[i].done);
      if (i % 10 == 9)
        {
          ck_assert_msg (g_error_matches (results[i].error, LB_THUMBNAIL_ERROR,
                                          LB_THUMBNAIL_ERROR_CORRUPT),
                         "%u: %s", i, results[i].error ? results[i].error->message : "no error");
        }
      else
        {
          assert_generated (&results[i], 64 + i % 7, 48);
          ck_assert ((lb_thumbnail_get_pixels (results[i].thumbnail) == NULL) == (i % 3 == 0));
        }
      result_clear (&results[i]);
    }

  ck_assert_uint_eq (n_finished, N_MANY);
  ck_assert_uint_eq (count_thumbnails (LB_THUMBNAIL_SIZE_LARGE), N_MANY - N_MANY / 10);
  g_free (results);
}
END_TEST

static void
on_cache_error (LbThumbnailScheduler *scheduler,
                const GError         *error,
                guint                *n_errors)
{
  ck_assert_ptr_nonnull (error);
  (*n_errors)++;
}

/* An unwritable cache costs the cache, not the thumbnails, and is said
 * once. */
START_TEST (test_scheduler_unwritable_cache)
{
  g_autofree char *root = g_build_filename (lb_test_tmp_dir, "not-a-folder", NULL);
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = write_images ("photo", 3);
  guint n_errors = 0;

  ck_assert (g_file_set_contents (root, "in the way", -1, NULL));
  cache = lb_thumbnail_cache_new (root);
  scheduler = lb_thumbnail_scheduler_new (cache, 2);
  g_signal_connect (scheduler, "cache-error", G_CALLBACK (on_cache_error), &n_errors);

  for (guint i = 0; i < paths->len; i++)
    {
      g_auto(Result) result = { 0, };

      load (scheduler, g_ptr_array_index (paths, i), LB_THUMBNAIL_FLAGS_NONE, &result);
      assert_generated (&result, 200 + i, 150);
      ck_assert_ptr_nonnull (lb_thumbnail_get_pixels (result.thumbnail));
    }

  /* The signal comes through the main context, after the first result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  ck_assert_uint_eq (n_errors, 1);
}
END_TEST

static Suite *
scheduler_suite (void)
{
  Suite *suite = suite_create ("thumbnail-scheduler");
  TCase *tcase;

  tcase = tcase_create ("pipeline");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_scheduler_generates_then_reuses);
  tcase_add_test (tcase, test_scheduler_no_pixels);
  tcase_add_test (tcase, test_scheduler_threads_give_way);
  tcase_add_loop_test (tcase, test_scheduler_awkward_names, 0, G_N_ELEMENTS (awkward_names));
  tcase_add_loop_test (tcase, test_scheduler_every_format, 0, LB_TEST_N_FORMATS);
  tcase_add_loop_test (tcase, test_scheduler_orientation, 1, 9);
  tcase_add_test (tcase, test_scheduler_stale_is_regenerated);
  tcase_add_test (tcase, test_scheduler_merges_requests);
  tcase_add_test (tcase, test_scheduler_resource);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("failures");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_loop_test (tcase, test_scheduler_failures_are_recorded, 0, G_N_ELEMENTS (bad_kinds));
  tcase_add_test (tcase, test_scheduler_misnamed);
  tcase_add_test (tcase, test_scheduler_not_regular);
  tcase_add_test (tcase, test_scheduler_missing_file);
  tcase_add_test (tcase, test_scheduler_unreadable);
  tcase_add_test (tcase, test_scheduler_size_limit);
  tcase_add_test (tcase, test_scheduler_pixel_limit);
  tcase_add_test (tcase, test_scheduler_skips_cache_files);
  tcase_add_test (tcase, test_scheduler_unwritable_cache);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("scheduling");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_scheduler_raised_priority);
  tcase_add_test (tcase, test_scheduler_raised_priority_parallel);
  tcase_add_test (tcase, test_scheduler_cancel_queued);
  tcase_add_test (tcase, test_scheduler_cancel_one_waiter);
  tcase_add_test (tcase, test_scheduler_cancel_running);
  tcase_add_test (tcase, test_scheduler_resource_cancel_queued);
  tcase_add_test (tcase, test_scheduler_many_concurrent);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cache_home = lb_test_set_cache_home ();
  lb_vips_init (argv[0]);

  status = lb_test_run_suite (scheduler_suite (), CK_FORK_GETENV);

  lb_test_remove_dir (cache_home);
  g_free (cache_home);

  return status;
}
