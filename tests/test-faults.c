/* test-faults.c: a cache that cannot be written, damaged cache entries,
 * writers killed mid-write
 *
 * Thumbnails keep coming whatever happens to the cache; the scheduler
 * says once that it cannot keep them; nothing in the cache is ever taken
 * for a thumbnail that is not one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* unshare() */
#define _GNU_SOURCE

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <zlib.h>

#include "lb-test-fixtures.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

/* Per test, inside lb_test_base_dir */
static char *tmp_dir;

static void
setup (void)
{
  tmp_dir = lb_test_make_dir_in_base_dir ();
}

static void
teardown (void)
{
  g_clear_pointer (&tmp_dir, g_free);
}

/* --- requests ------------------------------------------------------------ */

typedef struct {
  gboolean      done;
  LbThumbnail  *thumbnail;
  GError       *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->thumbnail);
  g_clear_error (&result->error);
  result->done = FALSE;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
on_loaded (GObject      *object,
           GAsyncResult *async_result,
           gpointer      user_data)
{
  Result *result = user_data;

  result->thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object),
                                                          async_result, &result->error);
  result->done = TRUE;
}

static void
load_with_flags (LbThumbnailScheduler *scheduler,
                 const char           *path,
                 LbThumbnailFlags      flags,
                 Result               *result)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  result_clear (result);
  lb_thumbnail_scheduler_load_async (scheduler, file, LB_THUMBNAIL_SIZE_LARGE,
                                     flags, G_PRIORITY_DEFAULT, NULL,
                                     on_loaded, result);
  lb_test_spin_until (&result->done);
}

static void
load (LbThumbnailScheduler *scheduler,
      const char           *path,
      Result               *result)
{
  load_with_flags (scheduler, path, LB_THUMBNAIL_FLAGS_NONE, result);
}

static void
load_no_pixels (LbThumbnailScheduler *scheduler,
                const char           *path,
                Result               *result)
{
  load_with_flags (scheduler, path, LB_THUMBNAIL_FLAGS_NO_PIXELS, result);
}

static void
assert_thumbnail (const Result      *result,
                  LbThumbnailOrigin  origin)
{
  ck_assert_msg (result->thumbnail != NULL, "%s",
                 result->error != NULL ? result->error->message : "no thumbnail");
  ck_assert_ptr_nonnull (lb_thumbnail_get_pixels (result->thumbnail));
  ck_assert_int_eq (lb_thumbnail_get_origin (result->thumbnail), origin);
}

static void
on_cache_error (LbThumbnailScheduler *scheduler,
                const GError         *error,
                GError              **first)
{
  ck_assert_ptr_nonnull (error);
  /* Said once: a second emission is a failure. */
  ck_assert_msg (*first == NULL, "cache-error emitted twice");
  *first = g_error_copy (error);
}

static void
write_photos (guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%02u.jpg", i);

      g_free (lb_test_write_image (tmp_dir, name, LB_TEST_FORMAT_JPEG, 400 + i, 300, 1));
    }
}

/* Makes @n images (if not there yet) and thumbnails them one by one with a scheduler on
 * @root: all must arrive. Returns the cache error said, if any. */
static GError *
thumbnail_images (const char *root,
                  guint       n)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_autoptr(LbThumbnailScheduler) scheduler = lb_thumbnail_scheduler_new (cache, 2);
  GError *cache_error = NULL;

  g_signal_connect (scheduler, "cache-error", G_CALLBACK (on_cache_error), &cache_error);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%02u.jpg", i);
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_auto(Result) result = { 0, };

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_free (lb_test_write_image (tmp_dir, name, LB_TEST_FORMAT_JPEG, 400 + i, 300, 1));
      load (scheduler, path, &result);
      assert_thumbnail (&result, LB_THUMBNAIL_ORIGIN_GENERATED);
    }

  /* The signal comes through the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return cache_error;
}

/* Files below @dir that are neither folders nor temporary files. */
static guint
count_files (const char *dir,
             guint      *n_temporary)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (listing == NULL)
    return 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_files (path, n_temporary);
      else if (g_str_has_prefix (name, ".lightbox-") && n_temporary != NULL)
        (*n_temporary)++;
      else
        n++;
    }

  return n;
}

/* --- an unwritable cache --------------------------------------------------- */

START_TEST (test_faults_read_only_cache)
{
  g_autofree char *root = g_build_filename (tmp_dir, "thumbnails", NULL);
  g_autoptr(GError) cache_error = NULL;

  ck_assert_int_eq (g_mkdir (root, 0555), 0);
  ck_assert_int_eq (chmod (root, 0555), 0);
  write_photos (4);
  lb_test_become_unprivileged (tmp_dir);

  cache_error = thumbnail_images (root, 4);
  ck_assert_msg (g_error_matches (cache_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED),
                 "%s", cache_error ? cache_error->message : "no cache-error");
  ck_assert_uint_eq (count_files (root, NULL), 0);
}
END_TEST

/* A cache folder that is not there is made; one deleted while in use is
 * made again; one that cannot be made is said once. */
START_TEST (test_faults_missing_cache)
{
  g_autofree char *root = g_build_filename (tmp_dir, "not", "there", "yet", "thumbnails", NULL);
  g_autofree char *blocked = g_build_filename (tmp_dir, "a-file", "thumbnails", NULL);
  g_autofree char *in_the_way = g_build_filename (tmp_dir, "a-file", NULL);
  g_autoptr(GError) cache_error = NULL;
  GStatBuf st;

  cache_error = thumbnail_images (root, 3);
  ck_assert_ptr_null (cache_error);
  ck_assert_uint_eq (count_files (root, NULL), 3);
  ck_assert_int_eq (g_stat (root, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0700);

  /* Deleted between two sessions, or by a cleaner during one. */
  lb_test_remove_dir (root);
  cache_error = thumbnail_images (root, 5);
  ck_assert_ptr_null (cache_error);
  ck_assert_uint_eq (count_files (root, NULL), 5);

  ck_assert (g_file_set_contents (in_the_way, "not a folder", -1, NULL));
  cache_error = thumbnail_images (blocked, 3);
  ck_assert_msg (cache_error != NULL && cache_error->domain == G_IO_ERROR,
                 "%s", cache_error ? cache_error->message : "no cache-error");
}
END_TEST

/* Somewhere small to fill: a 256 KiB tmpfs in a mount namespace of our
 * own (root, or an unprivileged user namespace), which goes with the
 * test process. FALSE if neither is allowed here. */
static gboolean
mount_small_tmpfs (const char *dir)
{
  uid_t uid = geteuid ();
  gid_t gid = getegid ();

  if (uid != 0)
    {
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (guint) uid);
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (guint) gid);

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0 ||
          !g_file_set_contents ("/proc/self/setgroups", "deny", -1, NULL) ||
          !g_file_set_contents ("/proc/self/uid_map", uid_map, -1, NULL) ||
          !g_file_set_contents ("/proc/self/gid_map", gid_map, -1, NULL))
        return FALSE;
    }
  else if (unshare (CLONE_NEWNS) != 0)
    {
      return FALSE;
    }

  /* Keep the mount from leaking into the namespace we came from. */
  if (mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return FALSE;

  return mount ("lightbox-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=256k,mode=0777") == 0;
}

static void
fill_up (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "filler", NULL);
  char block[4096] = { 0, };
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  ck_assert_int_ge (fd, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  ck_assert_int_eq (errno, ENOSPC);
  close (fd);
}

/* Thumbnails arrive although nothing can be kept in @root: the failure
 * is said, and no partial file stays behind. Returns the cache-error. */
static GError *
thumbnail_into_failing_cache (const char *root)
{
  GError *cache_error = thumbnail_images (root, 4);
  guint n_temporary = 0;

  ck_assert_msg (cache_error != NULL, "no cache-error");
  ck_assert_uint_eq (count_files (root, &n_temporary), 0);
  ck_assert_uint_eq (n_temporary, 0);

  return cache_error;
}

/* A full disk: the failure is said once, and once there is room again
 * caching resumes. In the full-disk suite only, which needs the tmpfs. */
START_TEST (test_faults_full_cache)
{
  g_autofree char *mount_point = g_build_filename (tmp_dir, "small", NULL);
  g_autofree char *root = g_build_filename (mount_point, "thumbnails", NULL);
  g_autofree char *filler = g_build_filename (mount_point, "filler", NULL);
  g_autoptr(GError) cache_error = NULL;

  ck_assert_int_eq (g_mkdir (mount_point, 0755), 0);
  ck_assert_msg (mount_small_tmpfs (mount_point), "mounting a tmpfs: %s", g_strerror (errno));
  ck_assert_int_eq (g_mkdir (root, 0700), 0);
  fill_up (mount_point);

  cache_error = thumbnail_into_failing_cache (root);
  ck_assert_msg (g_error_matches (cache_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE),
                 "%s", cache_error->message);

  g_clear_error (&cache_error);
  ck_assert_int_eq (g_unlink (filler), 0);
  cache_error = thumbnail_images (root, 4);
  ck_assert_ptr_null (cache_error);
  ck_assert_uint_eq (count_files (root, NULL), 4);
}
END_TEST

/* A file size limit fails writes as a full disk does, with EFBIG rather
 * than ENOSPC; it needs no privilege. */
START_TEST (test_faults_file_size_limit)
{
  g_autofree char *root = g_build_filename (tmp_dir, "thumbnails", NULL);
  struct rlimit limit = { 4096, 4096 };
  g_autoptr(GError) cache_error = NULL;

  write_photos (4);
  signal (SIGXFSZ, SIG_IGN);
  ck_assert_int_eq (setrlimit (RLIMIT_FSIZE, &limit), 0);

  cache_error = thumbnail_into_failing_cache (root);
}
END_TEST

/* Whether a process here may mount the small tmpfs: tried in a child,
 * whose mount namespace goes with it. */
static gboolean
can_mount_small_tmpfs (void)
{
  g_autofree char *dir = lb_test_make_tmp_dir ();
  pid_t pid = fork ();
  int status = 0;

  g_assert (pid >= 0);
  if (pid == 0)
    _exit (mount_small_tmpfs (dir) ? 0 : 1);

  g_assert (waitpid (pid, &status, 0) == pid);
  g_rmdir (dir);

  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* --- damaged entries ---------------------------------------------------------- */

static char *
cache_path_for (LbThumbnailCache *cache,
                const char       *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  return lb_thumbnail_cache_get_path (cache, uri, LB_THUMBNAIL_SIZE_LARGE);
}

/* The whole PNG decodes and says it is the thumbnail of @path as it is. */
static gboolean
is_valid_thumbnail (const char *png,
                    const char *path)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(VipsImage) pixels = NULL;
  const char *thumb_uri = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_test (png, G_FILE_TEST_IS_REGULAR) ||
      g_file_test (png, G_FILE_TEST_IS_SYMLINK) ||
      vips_pngload (png, &image, "fail_on", VIPS_FAIL_ON_WARNING, NULL) != 0)
    {
      vips_error_clear ();
      return FALSE;
    }

  pixels = vips_image_copy_memory (image);
  if (pixels == NULL)
    {
      vips_error_clear ();
      return FALSE;
    }

  fields = vips_image_get_fields (image);
  for (guint i = 0; fields[i] != NULL; i++)
    if (g_str_has_suffix (fields[i], "-Thumb::URI"))
      vips_image_get_string (image, fields[i], &thumb_uri);

  return g_strcmp0 (thumb_uri, uri) == 0;
}

typedef enum {
  DAMAGE_GARBAGE,
  DAMAGE_TRUNCATED,
  DAMAGE_FOREIGN,       /* a PNG that is no thumbnail */
  DAMAGE_OTHER_FILE,    /* the thumbnail of another file */
  DAMAGE_BIGGER,        /* a PNG header bigger than the bucket */
  DAMAGE_FIFO,
  DAMAGE_LINK_OUT,      /* a link to a file of the user's */
  DAMAGE_HUGE_CHUNK,    /* a text chunk claiming 1.8 GB in a small file */
  DAMAGE_ZTXT_BOMB,     /* compressed text inflating to 64 MiB */
  N_DAMAGES
} Damage;

static const char * const damage_names[N_DAMAGES] = {
  "garbage", "truncated", "foreign", "other file", "bigger", "FIFO", "link out",
  "huge chunk", "zTXt bomb",
};

/* Inserts a chunk of @type and @data after the IHDR of the PNG at @path,
 * its length field saying @claimed bytes. */
static void
insert_chunk (const char   *path,
              const char   *type,
              const guint8 *data,
              gsize         len,
              guint32       claimed)
{
  g_autofree char *contents = NULL;
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  gsize size;
  guint32 be;
  uLong crc;
  /* Signature (8), then IHDR: length, type, 13 bytes, CRC. */
  const gsize after_ihdr = 8 + 4 + 4 + 13 + 4;

  ck_assert (g_file_get_contents (path, &contents, &size, NULL));
  ck_assert_uint_gt (size, after_ihdr);
  be = GUINT32_TO_BE (claimed);
  g_byte_array_append (chunk, (guint8 *) &be, 4);
  g_byte_array_append (chunk, (const guint8 *) type, 4);
  g_byte_array_append (chunk, data, len);
  crc = crc32 (crc32 (0, (const Bytef *) type, 4), data, len);
  be = GUINT32_TO_BE ((guint32) crc);
  g_byte_array_append (chunk, (guint8 *) &be, 4);

  g_byte_array_prepend (chunk, (const guint8 *) contents, after_ihdr);
  g_byte_array_append (chunk, (const guint8 *) contents + after_ihdr, size - after_ihdr);
  ck_assert (g_file_set_contents (path, (const char *) chunk->data, chunk->len, NULL));
}

/* "Comment", NUL, method 0, then 64 MiB of zeros deflated. */
static GBytes *
make_ztxt_bomb (void)
{
  gsize n_zeros = 64 * 1024 * 1024;
  g_autofree guint8 *zeros = g_malloc0 (n_zeros);
  uLongf n_compressed = compressBound (n_zeros);
  g_autoptr(GByteArray) ztxt = g_byte_array_new ();

  g_byte_array_append (ztxt, (const guint8 *) "Comment\0\0", 9);
  g_byte_array_set_size (ztxt, 9 + n_compressed);
  ck_assert_int_eq (compress2 (ztxt->data + 9, &n_compressed, zeros, n_zeros, 9), Z_OK);
  g_byte_array_set_size (ztxt, 9 + n_compressed);

  return g_byte_array_free_to_bytes (g_steal_pointer (&ztxt));
}

/* A corrupt or foreign entry is ignored and replaced by a good one; what
 * a link points to is left alone. */
START_TEST (test_faults_damaged_entry)
{
  Damage damage = _i;
  g_autofree char *root = g_build_filename (tmp_dir, "thumbnails", NULL);
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (root);
  g_autoptr(LbThumbnailScheduler) scheduler = lb_thumbnail_scheduler_new (cache, 2);
  g_autofree char *photo = lb_test_write_image (tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                                600, 400, 1);
  g_autofree char *other = lb_test_write_image (tmp_dir, "other.jpg", LB_TEST_FORMAT_JPEG,
                                                500, 400, 1);
  g_autofree char *precious = lb_test_write_image (tmp_dir, "precious.png", LB_TEST_FORMAT_PNG,
                                                   64, 64, 1);
  g_autofree char *entry = cache_path_for (cache, photo);
  g_autofree char *other_entry = cache_path_for (cache, other);
  g_autofree char *precious_before = NULL;
  g_autofree char *precious_after = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(Result) result = { 0, };
  gsize len;

  ck_assert (g_file_get_contents (precious, &precious_before, &len, NULL));
  /* Fill the other entry, and make the folder. */
  load (scheduler, other, &result);
  assert_thumbnail (&result, LB_THUMBNAIL_ORIGIN_GENERATED);

  switch (damage)
    {
    case DAMAGE_GARBAGE:
      ck_assert (g_file_set_contents (entry, "\x89PNG but not really", -1, NULL));
      break;
    case DAMAGE_TRUNCATED:
      load (scheduler, photo, &result);
      ck_assert (g_file_get_contents (entry, &contents, &len, NULL));
      ck_assert (g_file_set_contents (entry, contents, len / 2, NULL));
      break;
    case DAMAGE_FOREIGN:
      bytes = lb_test_make_image_bytes (LB_TEST_FORMAT_PNG, 64, 64, 1);
      ck_assert (g_file_set_contents (entry, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
      break;
    case DAMAGE_OTHER_FILE:
      ck_assert (g_file_get_contents (other_entry, &contents, &len, NULL));
      ck_assert (g_file_set_contents (entry, contents, len, NULL));
      break;
    case DAMAGE_BIGGER:
      g_free (lb_test_write_bad_file (root, "bomb.png", LB_TEST_BAD_PNG_BOMB));
      {
        g_autofree char *bomb = g_build_filename (root, "bomb.png", NULL);

        ck_assert_int_eq (g_rename (bomb, entry), 0);
      }
      break;
    case DAMAGE_FIFO:
      ck_assert_int_eq (mkfifo (entry, 0600), 0);
      break;
    case DAMAGE_LINK_OUT:
      ck_assert_int_eq (symlink (precious, entry), 0);
      break;
    case DAMAGE_HUGE_CHUNK:
      /* What fuzz-cache found: libpng allocated the claimed length. */
      load (scheduler, photo, &result);
      insert_chunk (entry, "tEXt", (const guint8 *) "Comment\0x", 9, 1869414423);
      break;
    case DAMAGE_ZTXT_BOMB:
      load (scheduler, photo, &result);
      bytes = make_ztxt_bomb ();
      insert_chunk (entry, "zTXt", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                    g_bytes_get_size (bytes));
      break;
    case N_DAMAGES:
    default:
      g_assert_not_reached ();
    }

  /* Even a look at the header only (lightbox-thumbnailer's "already
   * valid") sees through it. */
  load_no_pixels (scheduler, photo, &result);
  ck_assert_msg (result.thumbnail != NULL && lb_thumbnail_get_origin (result.thumbnail) ==
                 LB_THUMBNAIL_ORIGIN_GENERATED, "%s: taken as valid", damage_names[damage]);
  ck_assert_msg (is_valid_thumbnail (entry, photo), "%s: not replaced", damage_names[damage]);

  load (scheduler, photo, &result);
  assert_thumbnail (&result, LB_THUMBNAIL_ORIGIN_CACHE);

  load (scheduler, photo, &result);
  assert_thumbnail (&result, LB_THUMBNAIL_ORIGIN_CACHE);

  ck_assert (g_file_get_contents (precious, &precious_after, &len, NULL));
  ck_assert (memcmp (precious_before, precious_after, len) == 0);
}
END_TEST

/* --- killed writers ------------------------------------------------------------ */

#define N_KILLS 30

static const char * const size_names[] = { "normal", "large", "x-large", "xx-large" };

/* Every PNG of the cache decodes whole and belongs to one of the images;
 * anything else is a temporary file. Returns how many of those. */
static guint
check_cache_folder (const char *dir,
                    GPtrArray  *images)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_temporary = 0;

  if (listing == NULL)
    return 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gboolean valid = FALSE;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_temporary += check_cache_folder (path, images);
          continue;
        }
      if (g_str_has_prefix (name, ".lightbox-") && g_str_has_suffix (name, ".png") &&
          strlen (name) == strlen (".lightbox-XXXXXX.png"))
        {
          n_temporary++;
          continue;
        }

      ck_assert_msg (strlen (name) == 32 + 4 && g_str_has_suffix (name, ".png"),
                     "unexpected file %s in the cache", path);
      for (guint i = 0; i < images->len && !valid; i++)
        valid = is_valid_thumbnail (path, g_ptr_array_index (images, i));
      ck_assert_msg (valid, "%s is not a complete thumbnail", path);
    }

  return n_temporary;
}

/* Sets the mtime of every temporary file below @dir @age seconds back. */
static guint
age_temporaries (const char *dir,
                 gint64      age)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (listing == NULL)
    return 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += age_temporaries (path, age);
      else if (g_str_has_prefix (name, ".lightbox-"))
        {
          lb_test_shift_mtime (path, -age);
          n++;
        }
    }

  return n;
}

/* lightbox-thumbnailer killed at random moments, over and over, while it
 * writes big thumbnails: no reader ever finds a partial PNG under a
 * thumbnail's name. Left-over temporary files are swept once stale. */
START_TEST (test_faults_killed_writer)
{
  g_autofree char *cache_home = g_build_filename (tmp_dir, "cache", NULL);
  g_autofree char *root = g_build_filename (cache_home, "thumbnails", NULL);
  g_autofree char *folder = g_build_filename (tmp_dir, "photos", NULL);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xdead);
  guint n_temporary;

  ck_assert_int_eq (g_mkdir (folder, 0755), 0);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("big-%02u.jpg", i);

      g_ptr_array_add (images, lb_test_write_image (folder, name, LB_TEST_FORMAT_JPEG,
                                                    2400 + i, 1600, 1));
    }

  for (guint i = 0; i < N_KILLS; i++)
    {
      g_autofree char *size = g_strdup_printf ("--size=%s", size_names[i % G_N_ELEMENTS (size_names)]);
      const char *args[] = { "--force", size, folder, NULL };
      GPid pid = lb_test_spawn_thumbnailer (cache_home, args);
      int status;

      /* Not a wait for anything: a random moment to kill it at, so that
       * the kills land at every stage of its work. What the test proves
       * is checked after, whatever stage each kill hit. */
      g_usleep (g_rand_int_range (rand, 0, 400) * 1000);
      kill (pid, SIGKILL);
      ck_assert_int_eq (waitpid (pid, &status, 0), pid);
      g_spawn_close_pid (pid);
    }

  n_temporary = check_cache_folder (root, images);
  g_printerr ("test_faults_killed_writer: %u temporary files left by %d kills\n",
              n_temporary, N_KILLS);

  /* Plant a fresh and a stale one in every size folder, age what the
   * kills left; one full run sweeps the stale ones only. */
  for (guint i = 0; i < G_N_ELEMENTS (size_names); i++)
    {
      g_autofree char *dir = g_build_filename (root, size_names[i], NULL);
      g_autofree char *stale = g_build_filename (dir, ".lightbox-STALE1.png", NULL);

      ck_assert_int_eq (g_mkdir_with_parents (dir, 0700), 0);
      ck_assert (g_file_set_contents (stale, "half a PNG", -1, NULL));
    }
  ck_assert_uint_ge (age_temporaries (root, 2 * 60 * 60), G_N_ELEMENTS (size_names));
  for (guint i = 0; i < G_N_ELEMENTS (size_names); i++)
    {
      g_autofree char *fresh = g_build_filename (root, size_names[i], ".lightbox-FRESH1.png", NULL);

      ck_assert (g_file_set_contents (fresh, "being written", -1, NULL));
    }

  for (guint i = 0; i < G_N_ELEMENTS (size_names); i++)
    {
      g_autofree char *size = g_strdup_printf ("--size=%s", size_names[i]);
      g_autofree char *fresh = g_build_filename (root, size_names[i], ".lightbox-FRESH1.png", NULL);
      g_autofree char *stale = g_build_filename (root, size_names[i], ".lightbox-STALE1.png", NULL);

      ck_assert_int_eq (lb_test_run_thumbnailer (cache_home, NULL, NULL, "--force", size,
                                                 folder, NULL), 0);
      ck_assert_msg (!g_file_test (stale, G_FILE_TEST_EXISTS), "%s was not swept", stale);
      ck_assert_msg (g_file_test (fresh, G_FILE_TEST_EXISTS), "%s was swept", fresh);
      g_unlink (fresh);
    }

  ck_assert_uint_eq (check_cache_folder (root, images), 0);
}
END_TEST

/* lightbox-thumbnailer says once that it could not keep anything, and
 * fails. */
START_TEST (test_faults_thumbnailer_unwritable)
{
  g_autofree char *cache_home = g_build_filename (tmp_dir, "cache", NULL);
  g_autofree char *in_the_way = g_build_filename (cache_home, "thumbnails", NULL);
  g_autofree char *folder = g_build_filename (tmp_dir, "photos", NULL);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  const char *second;
  int status;

  ck_assert_int_eq (g_mkdir_with_parents (cache_home, 0700), 0);
  ck_assert (g_file_set_contents (in_the_way, "not a folder", -1, NULL));
  ck_assert_int_eq (g_mkdir (folder, 0755), 0);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.jpg", i);

      g_free (lb_test_write_image (folder, name, LB_TEST_FORMAT_JPEG, 300, 200, 1));
    }

  status = lb_test_run_thumbnailer (cache_home, &out, &err, folder, NULL);
  ck_assert_int_eq (status, 3);
  second = strstr (err, "cannot be saved");
  ck_assert_msg (second != NULL, "stderr: %s", err);
  ck_assert_msg (strstr (second + 1, "cannot be saved") == NULL, "said twice: %s", err);
}
END_TEST

/* @full_disk: only the test that needs a tmpfs, which is counted on its
 * own, as skipped where no tmpfs can be mounted. */
static Suite *
faults_suite (gboolean full_disk)
{
  Suite *suite = suite_create ("faults");
  TCase *tcase;

  tcase = tcase_create (full_disk ? "full-disk" : "cache");
  tcase_add_unchecked_fixture (tcase, lb_test_base_dir_setup, lb_test_base_dir_teardown);
  tcase_add_checked_fixture (tcase, setup, teardown);
  if (full_disk)
    {
      tcase_add_test (tcase, test_faults_full_cache);
    }
  else
    {
      tcase_add_test (tcase, test_faults_read_only_cache);
      tcase_add_test (tcase, test_faults_missing_cache);
      tcase_add_test (tcase, test_faults_file_size_limit);
      tcase_add_loop_test (tcase, test_faults_damaged_entry, 0, N_DAMAGES);
      tcase_add_test (tcase, test_faults_killed_writer);
      tcase_add_test (tcase, test_faults_thumbnailer_unwritable);
    }
  suite_add_tcase (suite, tcase);

  return suite;
}

/* test-faults [full-disk] */
int
main (int   argc,
      char *argv[])
{
  gboolean full_disk = argc == 2 && g_str_equal (argv[1], "full-disk");
  g_autofree char *cache_home = NULL;
  int status;

  if (full_disk && !can_mount_small_tmpfs ())
    return lb_test_skip ("cannot mount a small tmpfs here (needs root or user namespaces)");

  cache_home = lb_test_set_cache_home ();
  lb_vips_init (argv[0]);

  /* Tests give up root, mount and set limits: each needs its own process. */
  status = lb_test_run_suite (faults_suite (full_disk), CK_FORK);

  lb_test_remove_dir (cache_home);

  return status;
}
