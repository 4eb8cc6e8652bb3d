/* test-hostile.c: files nobody should point a thumbnailer at
 *
 * Every case goes through the real LbThumbnailScheduler, in a folder with
 * a good image beside it: the hostile file must end as an error (and a
 * fail-cache entry where it is a file the cache can describe), the good
 * one as a thumbnail, all within the hang guard of lb_test_spin_until().
 * When run as root, each test drops to uid/gid 65534 once its files are
 * in place, so that permissions mean something.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* SEEK_HOLE */
#define _GNU_SOURCE

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

/* Per test, inside lb_test_base_dir */
static char *tmp_dir;
static char *cache_root;

/* Peak resident memory allowed after the bombs: well under 1 GB. */
#define MAX_PEAK_RSS_KIB (768 * 1024)

static void
setup (void)
{
  tmp_dir = lb_test_make_dir_in_base_dir ();
  /* Writable by the unprivileged user the tests become. */
  cache_root = g_build_filename (tmp_dir, "thumbnails", NULL);
  ck_assert_int_eq (g_mkdir (cache_root, 0777), 0);
  ck_assert_int_eq (chmod (cache_root, 0777), 0);
}

static void
teardown (void)
{
  g_clear_pointer (&cache_root, g_free);
  g_clear_pointer (&tmp_dir, g_free);
}

/* --- requests ------------------------------------------------------------ */

typedef struct {
  char         *path;
  gboolean      done;
  LbThumbnail  *thumbnail;
  GError       *error;
} Request;

static void
request_free (Request *request)
{
  g_free (request->path);
  g_clear_object (&request->thumbnail);
  g_clear_error (&request->error);
  g_free (request);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;

  ck_assert (!request->done);
  request->thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object),
                                                           result, &request->error);
  ck_assert ((request->thumbnail == NULL) != (request->error == NULL));
  request->done = TRUE;
}

static Request *
request_new (LbThumbnailScheduler *scheduler,
             const char           *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Request *request = g_new0 (Request, 1);

  request->path = g_strdup (path);
  lb_thumbnail_scheduler_load_async (scheduler, file, LB_THUMBNAIL_SIZE_LARGE,
                                     LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_DEFAULT,
                                     NULL, on_loaded, request);
  return request;
}

/* Requests every path of @paths at once and waits for all of them. */
static GPtrArray *
load_all (LbThumbnailScheduler *scheduler,
          GPtrArray            *paths)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);

  for (guint i = 0; i < paths->len; i++)
    g_ptr_array_add (requests, request_new (scheduler, g_ptr_array_index (paths, i)));

  for (guint i = 0; i < requests->len; i++)
    lb_test_spin_until (&((Request *) g_ptr_array_index (requests, i))->done);

  return requests;
}

static LbThumbnailScheduler *
new_scheduler (LbThumbnailCache **cache_out)
{
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (cache_root);
  LbThumbnailScheduler *scheduler = lb_thumbnail_scheduler_new (cache, 2);

  if (cache_out != NULL)
    *cache_out = g_object_ref (cache);

  return scheduler;
}

static gboolean
has_fail_entry (LbThumbnailCache *cache,
                const char       *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *fail_path = lb_thumbnail_cache_get_fail_path (cache, uri);

  return g_file_test (fail_path, G_FILE_TEST_IS_REGULAR);
}

static void
assert_thumbnail (const Request *request)
{
  ck_assert_msg (request->thumbnail != NULL, "%s: %s", request->path,
                 request->error != NULL ? request->error->message : "no thumbnail");
  ck_assert_int_le (lb_thumbnail_get_width (request->thumbnail), 256);
  ck_assert_int_le (lb_thumbnail_get_height (request->thumbnail), 256);
}

/* --- the cases ------------------------------------------------------------ */

typedef char *(*MakeFunc) (const char *dir);

typedef struct {
  const char *name;
  MakeFunc    make;         /* returns the path to request, NULL to skip */
  GQuark    (*domain) (void);
  int         code;
  gboolean    recorded;     /* leaves a fail-cache entry */
} HostileCase;

static char *
make_fifo (const char *dir)
{
  char *path = g_build_filename (dir, "fifo.jpg", NULL);

  ck_assert_int_eq (mkfifo (path, 0644), 0);
  return path;
}

static char *
make_link_to_fifo (const char *dir)
{
  g_autofree char *fifo = g_build_filename (dir, "hidden-fifo", NULL);
  char *path = g_build_filename (dir, "link-to-fifo.png", NULL);

  ck_assert_int_eq (mkfifo (fifo, 0644), 0);
  ck_assert_int_eq (symlink (fifo, path), 0);
  return path;
}

/* A symbolic link @dir/@name to @target, which may be relative. */
static char *
make_link (const char *dir,
           const char *name,
           const char *target)
{
  char *path = g_build_filename (dir, name, NULL);

  ck_assert_int_eq (symlink (target, path), 0);
  return path;
}

static char *
make_link_to_zero (const char *dir)
{
  return make_link (dir, "zero.jpg", "/dev/zero");
}

static char *
make_link_to_urandom (const char *dir)
{
  return make_link (dir, "urandom.png", "/dev/urandom");
}

/* A real device node, which only root may make: else a link to one. */
static char *
make_device (const char *dir)
{
  char *path = g_build_filename (dir, "device.jpg", NULL);

  if (mknod (path, S_IFCHR | 0644, makedev (1, 5)) != 0)
    ck_assert_int_eq (symlink ("/dev/null", path), 0);
  return path;
}

static char *
make_socket (const char *dir)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "socket.png", NULL);

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, &error);
  ck_assert_msg (socket != NULL, "%s", error ? error->message : "");
  address = g_unix_socket_address_new (path);
  ck_assert_msg (g_socket_bind (socket, address, FALSE, &error), "%s",
                 error ? error->message : "");
  return path;
}

static char *
make_self_loop (const char *dir)
{
  return make_link (dir, "loop.jpg", "loop.jpg");
}

static char *
make_two_link_loop (const char *dir)
{
  g_free (make_link (dir, "loop-b.png", "loop-a.png"));
  return make_link (dir, "loop-a.png", "loop-b.png");
}

static char *
make_dangling_link (const char *dir)
{
  return make_link (dir, "dangling.jpg", "no-such-photo.jpg");
}

/* Bigger than the file size limit, but all hole. */
static char *
make_sparse_huge (const char *dir)
{
  char *path = g_build_filename (dir, "huge.png", NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (ftruncate (fd, (off_t) LB_THUMBNAIL_DEFAULT_MAX_FILE_SIZE + 4096), 0);
  close (fd);
  return path;
}

/* A real PNG at the start of 256 MiB of hole. */
static char *
make_sparse_png (const char *dir)
{
  g_autoptr(GBytes) png = lb_test_make_image_bytes (LB_TEST_FORMAT_PNG, 64, 64, 1);
  char *path = lb_test_write_bytes (dir, "sparse.png", png);
  int fd = g_open (path, O_WRONLY, 0);

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (ftruncate (fd, 256 * 1024 * 1024), 0);
  close (fd);
  return path;
}

static char *
make_unreadable_file (const char *dir)
{
  char *path = lb_test_write_image (dir, "secret.jpg", LB_TEST_FORMAT_JPEG, 100, 100, 1);

  ck_assert_int_eq (chmod (path, 0), 0);
  return path;
}

/* An image in the new folder @dir/@folder_name, whose mode then
 * becomes @folder_mode. */
static char *
make_in_folder (const char *dir,
                const char *folder_name,
                mode_t      folder_mode)
{
  g_autofree char *folder = g_build_filename (dir, folder_name, NULL);
  char *path;

  ck_assert_int_eq (g_mkdir (folder, 0755), 0);
  path = lb_test_write_image (folder, "inside.jpg", LB_TEST_FORMAT_JPEG, 100, 100, 1);
  ck_assert_int_eq (chmod (folder, folder_mode), 0);
  return path;
}

static char *
make_in_closed_folder (const char *dir)
{
  return make_in_folder (dir, "closed", 0);
}

/* Readable but not searchable: the name is listed, the file not reached. */
static char *
make_in_unsearchable_folder (const char *dir)
{
  return make_in_folder (dir, "listed", 0644);
}

#define BAD_FILE_MAKER(func, file_name, kind)            \
  static char *                                           \
  func (const char *dir)                                  \
  {                                                       \
    return lb_test_write_bad_file (dir, file_name, kind); \
  }

BAD_FILE_MAKER (make_png_bomb, "bomb.png", LB_TEST_BAD_PNG_BOMB)
BAD_FILE_MAKER (make_jpeg_bomb, "bomb.jpg", LB_TEST_BAD_JPEG_BOMB)
BAD_FILE_MAKER (make_gif_bomb, "bomb.gif", LB_TEST_BAD_GIF_BOMB)
BAD_FILE_MAKER (make_tiff_bomb, "bomb.tif", LB_TEST_BAD_TIFF_BOMB)
BAD_FILE_MAKER (make_svg_bomb, "bomb.svg", LB_TEST_BAD_SVG_BOMB)
BAD_FILE_MAKER (make_svg_laughs, "laughs.svg", LB_TEST_BAD_SVG_LAUGHS)
BAD_FILE_MAKER (make_svg_nested_use, "nested-use.svg", LB_TEST_BAD_SVG_NESTED_USE)
BAD_FILE_MAKER (make_directory, "folder.jpg", LB_TEST_BAD_DIRECTORY)
BAD_FILE_MAKER (make_empty, "empty.jpg", LB_TEST_BAD_EMPTY)
BAD_FILE_MAKER (make_random, "random.webp", LB_TEST_BAD_RANDOM)

static const HostileCase cases[] = {
  { "fifo", make_fifo, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  { "link to fifo", make_link_to_fifo, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  { "link to /dev/zero", make_link_to_zero, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  { "link to /dev/urandom", make_link_to_urandom, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  { "device", make_device, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  { "socket", make_socket, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  { "folder", make_directory, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_NOT_REGULAR, TRUE },
  /* Links that lead nowhere are no file to describe: nothing recorded. */
  { "link to itself", make_self_loop, g_io_error_quark, G_IO_ERROR_TOO_MANY_LINKS, FALSE },
  { "two-link loop", make_two_link_loop, g_io_error_quark, G_IO_ERROR_TOO_MANY_LINKS, FALSE },
  { "dangling link", make_dangling_link, g_io_error_quark, G_IO_ERROR_NOT_FOUND, FALSE },
  { "sparse, over the size limit", make_sparse_huge, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_TOO_LARGE, TRUE },
  /* TOO_LARGE where holes can be seen, else CORRUPT once read. */
  { "sparse PNG", make_sparse_png, lb_thumbnail_error_quark, -1, TRUE },
  { "PNG bomb", make_png_bomb, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_TOO_LARGE, TRUE },
  { "JPEG bomb", make_jpeg_bomb, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_TOO_LARGE, TRUE },
  { "GIF bomb", make_gif_bomb, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_TOO_LARGE, TRUE },
  { "TIFF bomb", make_tiff_bomb, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_TOO_LARGE, TRUE },
  { "SVG bomb", make_svg_bomb, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_TOO_LARGE, TRUE },
  { "SVG billion laughs", make_svg_laughs, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_CORRUPT, TRUE },
  { "SVG nested use", make_svg_nested_use, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_CORRUPT, TRUE },
  { "empty", make_empty, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_UNSUPPORTED, TRUE },
  { "random bytes", make_random, lb_thumbnail_error_quark, LB_THUMBNAIL_ERROR_UNSUPPORTED, TRUE },
  { "unreadable file", make_unreadable_file, g_io_error_quark, G_IO_ERROR_PERMISSION_DENIED, TRUE },
  /* Unreachable files have no mtime to record a failure against. */
  { "file in a closed folder", make_in_closed_folder, g_io_error_quark, G_IO_ERROR_PERMISSION_DENIED, FALSE },
  { "file in an unsearchable folder", make_in_unsearchable_folder, g_io_error_quark, G_IO_ERROR_PERMISSION_DENIED, FALSE },
};

/* The filesystem under @path reports holes (tmpfs, ext4, XFS, Btrfs…). */
static gboolean
holes_are_visible (const char *path)
{
  int fd = g_open (path, O_RDONLY, 0);
  GStatBuf st;
  off_t hole;

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (fstat (fd, &st), 0);
  hole = lseek (fd, 0, SEEK_HOLE);
  close (fd);

  return hole >= 0 && hole < st.st_size;
}

static void
assert_case (const HostileCase *hostile,
             LbThumbnailCache  *cache,
             const Request     *request)
{
  const GError *error = request->error;
  int code = hostile->code;

  ck_assert_msg (error != NULL, "%s: made a thumbnail", hostile->name);

  if (code == -1)
    code = holes_are_visible (request->path) ? LB_THUMBNAIL_ERROR_TOO_LARGE
                                             : LB_THUMBNAIL_ERROR_CORRUPT;

  /* Root reads everything: permissions only count for others. */
  if (geteuid () == 0 && hostile->domain == g_io_error_quark &&
      code == G_IO_ERROR_PERMISSION_DENIED)
    return;

  ck_assert_msg (error->domain == hostile->domain () && error->code == code,
                 "%s: expected %s %d, got %s %d: %s", hostile->name,
                 g_quark_to_string (hostile->domain ()), code,
                 g_quark_to_string (error->domain), error->code, error->message);
  ck_assert_msg (has_fail_entry (cache, request->path) == hostile->recorded,
                 "%s: fail entry %s", hostile->name,
                 hostile->recorded ? "missing" : "unexpected");
}

/* One hostile file and a good image, side by side. */
START_TEST (test_hostile_case)
{
  const HostileCase *hostile = &cases[_i];
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;

  g_ptr_array_add (paths, hostile->make (tmp_dir));
  g_ptr_array_add (paths, lb_test_write_image (tmp_dir, "good.jpg", LB_TEST_FORMAT_JPEG,
                                               300, 200, 1));
  lb_test_become_unprivileged (tmp_dir);

  scheduler = new_scheduler (&cache);
  requests = load_all (scheduler, paths);

  assert_case (hostile, cache, g_ptr_array_index (requests, 0));
  assert_thumbnail (g_ptr_array_index (requests, 1));
}
END_TEST

/* All of them in one folder with good images between them, requested at
 * once: the rest of the folder is unaffected. */
START_TEST (test_hostile_folder)
{
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;

  /* The good images have names as awkward as names get. */
  static const char * const prefixes[] = {
    "good ", "new\nline ", "100% ", "%41 ", "a#b?c ", "file:%2F%2F ", "http:",
    "\xc3\x28 not UTF-8 ", ".lightbox-GOOD", "-",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s%02u.png", prefixes[i % G_N_ELEMENTS (prefixes)], i);

      g_ptr_array_add (paths, cases[i].make (tmp_dir));
      g_ptr_array_add (paths, lb_test_write_image (tmp_dir, name, LB_TEST_FORMAT_PNG,
                                                   120 + i, 90, 1));
    }
  lb_test_become_unprivileged (tmp_dir);

  scheduler = new_scheduler (&cache);
  requests = load_all (scheduler, paths);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_case (&cases[i], cache, g_ptr_array_index (requests, 2 * i));
      assert_thumbnail (g_ptr_array_index (requests, 2 * i + 1));
    }

  /* Asked again, the failures stand (those recorded are not read again)
   * and the good images come from the cache. */
  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = load_all (scheduler, paths);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Request *request = g_ptr_array_index (requests, 2 * i);
      const Request *good = g_ptr_array_index (requests, 2 * i + 1);

      ck_assert_msg (request->error != NULL, "%s: made a thumbnail", cases[i].name);
      /* What the lookup finds (type, size) it finds again; the rest is
       * answered from the fail cache. */
      if (cases[i].recorded && cases[i].code != LB_THUMBNAIL_ERROR_NOT_REGULAR &&
          !g_str_has_suffix (cases[i].name, "over the size limit"))
        ck_assert_msg (g_error_matches (request->error, LB_THUMBNAIL_ERROR,
                                        LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED),
                       "%s: %s", cases[i].name, request->error->message);
      assert_thumbnail (good);
      ck_assert_int_eq (lb_thumbnail_get_origin (good->thumbnail), LB_THUMBNAIL_ORIGIN_CACHE);
    }
}
END_TEST

/* --- damaged images ------------------------------------------------------- */

/* Cut short or with bits flipped, every format fails cleanly or yields a
 * thumbnail (a flipped bit in entropy-coded data is often just noise),
 * never crashes or hangs; failures are recorded. Files cut in half must
 * fail, except where the format can do without its end. */
START_TEST (test_hostile_damaged)
{
  LbTestFormat format = _i;
  g_autoptr(GBytes) whole = lb_test_make_image_bytes (format, 320, 240, 1);
  gsize len = g_bytes_get_size (whole);
  const guint8 *data = g_bytes_get_data (whole, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed + format);
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  const gsize cuts[] = { 1, 8, 16, 64, len / 4, len / 2, len - len / 8, len - 2 };
  guint n_cuts = 0;
  /* PDF readers rebuild a lost cross-reference table from the objects. */
  gboolean half_may_render = format == LB_TEST_FORMAT_PDF;

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autofree char *name = g_strdup_printf ("cut-%06zu.%s", cuts[i],
                                               lb_test_format_get_name (format));
      g_autoptr(GBytes) prefix = NULL;

      if (cuts[i] == 0 || cuts[i] >= len)
        continue;
      prefix = g_bytes_new_from_bytes (whole, 0, cuts[i]);
      g_ptr_array_add (paths, lb_test_write_bytes (tmp_dir, name, prefix));
      n_cuts++;
    }

  /* Flips in the header, where the structure is, and anywhere. */
  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *name = g_strdup_printf ("flip-%02u.%s", i,
                                               lb_test_format_get_name (format));
      guint8 *copy = g_memdup2 (data, len);
      gsize at = i < 12 ? (gsize) g_rand_int_range (rand, 0, MIN (len, 256))
                        : (gsize) g_rand_int_range (rand, 0, len);
      g_autoptr(GBytes) flipped = NULL;

      copy[at] ^= 1 << g_rand_int_range (rand, 0, 8);
      flipped = g_bytes_new_take (copy, len);
      g_ptr_array_add (paths, lb_test_write_bytes (tmp_dir, name, flipped));
    }

  g_ptr_array_add (paths, lb_test_write_image (tmp_dir, "good.jpg", LB_TEST_FORMAT_JPEG,
                                               300, 200, 1));
  scheduler = new_scheduler (&cache);
  requests = load_all (scheduler, paths);

  for (guint i = 0; i + 1 < requests->len; i++)
    {
      const Request *request = g_ptr_array_index (requests, i);
      g_autofree char *name = g_path_get_basename (request->path);

      if (request->thumbnail != NULL)
        {
          assert_thumbnail (request);
          ck_assert_msg (i >= n_cuts || !g_str_has_prefix (name, "cut-") ||
                         half_may_render || strtoul (name + 4, NULL, 10) > len / 2,
                         "%s of %zu bytes made a thumbnail", name, len);
          continue;
        }

      ck_assert_msg (request->error->domain == LB_THUMBNAIL_ERROR,
                     "%s: %s", name, request->error->message);
      ck_assert_msg (has_fail_entry (cache, request->path), "%s: no fail entry", name);
    }
  assert_thumbnail (g_ptr_array_index (requests, requests->len - 1));
}
END_TEST

/* --- memory ---------------------------------------------------------------- */

typedef struct {
  const char   *name;
  LbTestFormat  format;
  int           width;
  int           height;
  gboolean      fits;   /* within the whole-frame budget at default limits */
} BigImage;

/* With the default limits the budget for formats that decode whole frames
 * is 512 MiB: these are real images just under it, and just over it. */
static const BigImage big_images[] = {
  { "under.jpg", LB_TEST_FORMAT_JPEG_PROGRESSIVE, 9000, 9000, TRUE },
  { "over.jpg", LB_TEST_FORMAT_JPEG_PROGRESSIVE, 9600, 9600, FALSE },
  { "under.png", LB_TEST_FORMAT_PNG_INTERLACED, 7600, 7600, TRUE },
  { "over.png", LB_TEST_FORMAT_PNG_INTERLACED, 7800, 7800, FALSE },
  { "under.gif", LB_TEST_FORMAT_GIF, 8000, 8000, TRUE },
  { "over.gif", LB_TEST_FORMAT_GIF, 8300, 8300, FALSE },
};

static void
write_big_images (const char *dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (big_images); i++)
    g_free (lb_test_write_blank_image (dir, big_images[i].name, big_images[i].format,
                                       big_images[i].width, big_images[i].height));
}

/* Decompression bombs of every kind, with two decode threads: the peak
 * resident size of the process stays well under 1 GB. The images are
 * made by a child process, whose memory does not count. */
START_TEST (test_hostile_memory)
{
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  struct rusage usage;
  int status;
  pid_t pid;

  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      write_big_images (tmp_dir);
      _exit (0);
    }
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "making the images failed");

  for (guint i = 0; i < G_N_ELEMENTS (big_images); i++)
    g_ptr_array_add (paths, g_build_filename (tmp_dir, big_images[i].name, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (g_str_has_suffix (cases[i].name, "bomb"))
      g_ptr_array_add (paths, cases[i].make (tmp_dir));
  g_ptr_array_add (paths, lb_test_write_image (tmp_dir, "good.jpg", LB_TEST_FORMAT_JPEG,
                                               300, 200, 1));

  scheduler = new_scheduler (&cache);
  requests = load_all (scheduler, paths);

  for (guint i = 0; i < G_N_ELEMENTS (big_images); i++)
    {
      const Request *request = g_ptr_array_index (requests, i);

      if (big_images[i].fits)
        assert_thumbnail (request);
      else
        ck_assert_msg (g_error_matches (request->error, LB_THUMBNAIL_ERROR,
                                        LB_THUMBNAIL_ERROR_TOO_LARGE),
                       "%s: %s", big_images[i].name,
                       request->error ? request->error->message : "made a thumbnail");
    }
  for (guint i = G_N_ELEMENTS (big_images); i + 1 < requests->len; i++)
    ck_assert (g_error_matches (((Request *) g_ptr_array_index (requests, i))->error,
                                LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE));
  assert_thumbnail (g_ptr_array_index (requests, requests->len - 1));

  ck_assert_int_eq (getrusage (RUSAGE_SELF, &usage), 0);
  g_printerr ("test_hostile_memory: peak RSS %ld MiB\n", usage.ru_maxrss / 1024);
#ifndef LB_TEST_UNDER_SANITIZER
  ck_assert_int_le (usage.ru_maxrss, MAX_PEAK_RSS_KIB);
#endif
}
END_TEST

/* Formats that decode whole frames have a budget of their own, here
 * scaled down with the pixel limit so that small images exercise it:
 * 10⁶ pixels allow 2 MB, so HEIF, AVIF and JPEG XL (about 10 bytes a
 * pixel) stop near 200 000 pixels where a baseline JPEG goes on. */
START_TEST (test_hostile_frame_budget)
{
  static const LbTestFormat whole_frame[] = {
    LB_TEST_FORMAT_HEIC, LB_TEST_FORMAT_AVIF, LB_TEST_FORMAT_JXL, LB_TEST_FORMAT_GIF,
  };
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler (NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  guint n = G_N_ELEMENTS (whole_frame);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *small = g_strdup_printf ("small-%s", lb_test_format_get_name (whole_frame[i]));
      g_autofree char *big = g_strdup_printf ("big-%s", lb_test_format_get_name (whole_frame[i]));

      g_ptr_array_add (paths, lb_test_write_image (tmp_dir, small, whole_frame[i], 400, 400, 1));
      g_ptr_array_add (paths, lb_test_write_image (tmp_dir, big, whole_frame[i], 520, 520, 1));
    }
  g_ptr_array_add (paths, lb_test_write_image (tmp_dir, "big.jpg", LB_TEST_FORMAT_JPEG,
                                               900, 900, 1));

  lb_thumbnail_scheduler_set_max_pixels (scheduler, 1000000);
  requests = load_all (scheduler, paths);

  for (guint i = 0; i < n; i++)
    {
      const Request *big = g_ptr_array_index (requests, 2 * i + 1);

      assert_thumbnail (g_ptr_array_index (requests, 2 * i));
      ck_assert_msg (g_error_matches (big->error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE),
                     "%s: %s", big->path, big->error ? big->error->message : "made a thumbnail");
    }
  assert_thumbnail (g_ptr_array_index (requests, 2 * n));
}
END_TEST

/* --- SVG references --------------------------------------------------------- */

/* SVG that points at local files and at a server on the loopback
 * interface: nothing is fetched, nothing is read, nothing is drawn. */
START_TEST (test_hostile_svg_references)
{
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *private = g_build_filename (tmp_dir, "private", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *secret_svg = NULL;
  g_autofree char *secret_uri = NULL;
  g_autofree char *secret_svg_uri = NULL;
  g_autofree char *http = NULL;
  g_auto(GStrv) bodies = NULL;
  guint port;

  server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  ck_assert_msg (server != NULL, "%s", error ? error->message : "");
  ck_assert (g_socket_bind (server, address, TRUE, &error));
  ck_assert (g_socket_listen (server, &error));
  g_socket_set_blocking (server, FALSE);
  bound = g_socket_get_local_address (server, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  http = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* Its red marker must never show up. */
  ck_assert_int_eq (g_mkdir (private, 0700), 0);
  secret = lb_test_write_image (private, "secret.png", LB_TEST_FORMAT_PNG, 64, 64, 1);
  secret_svg = g_build_filename (private, "secret.svg", NULL);
  ck_assert (g_file_set_contents (secret_svg,
                                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\">"
                                  "<rect id=\"r\" width=\"64\" height=\"64\" fill=\"#ff0000\"/></svg>",
                                  -1, NULL));
  secret_uri = g_filename_to_uri (secret, NULL, NULL);
  secret_svg_uri = g_filename_to_uri (secret_svg, NULL, NULL);

  bodies = g_new0 (char *, 12);
  bodies[0] = g_strdup_printf ("<image href=\"%s\" width=\"64\" height=\"64\"/>", secret_uri);
  bodies[1] = g_strdup ("<image href=\"private/secret.png\" width=\"64\" height=\"64\"/>");
  bodies[2] = g_strdup_printf ("<image href=\"%s\" width=\"64\" height=\"64\"/>", secret);
  bodies[3] = g_strdup_printf ("<image href=\"%s/image.png\" width=\"64\" height=\"64\"/>", http);
  bodies[4] = g_strdup_printf ("<use href=\"%s#r\"/>", secret_svg_uri);
  bodies[5] = g_strdup_printf ("<use href=\"%s/sprite.svg#r\"/>", http);
  bodies[6] = g_strdup_printf ("<style>@import url(\"%s/style.css\");</style>", http);
  bodies[7] = g_strdup_printf ("<filter id=\"f\"><feImage href=\"%s\"/></filter>"
                               "<rect width=\"64\" height=\"64\" filter=\"url(#f)\"/>", secret_uri);
  bodies[8] = g_strdup_printf ("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\""
                               " href=\"%s/include.svg\"/>", http);
  bodies[9] = g_strdup_printf ("<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\""
                               " href=\"%s\"/>", secret_svg_uri);
  bodies[10] = g_strdup ("<text x=\"0\" y=\"32\">&remote;&local;</text>");

  for (guint i = 0; bodies[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("refers-%02u.svg", i);
      g_autofree char *svg = g_strdup_printf (
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE svg [\n"
        "  <!ENTITY remote SYSTEM \"%s/entity\">\n"
        "  <!ENTITY local SYSTEM \"%s\">\n"
        "]>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
        " width=\"64\" height=\"64\">\n"
        "  <rect width=\"64\" height=\"64\" fill=\"#ffffff\"/>\n"
        "  %s\n"
        "</svg>\n", http, secret_svg_uri, bodies[i]);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&svg), strlen (svg));

      g_ptr_array_add (paths, lb_test_write_bytes (tmp_dir, name, bytes));
    }

  scheduler = new_scheduler (NULL);
  requests = load_all (scheduler, paths);

  for (guint i = 0; i < requests->len; i++)
    {
      const Request *request = g_ptr_array_index (requests, i);
      GBytes *pixels;
      const guint8 *p;
      gsize n_bytes;
      guint bpp;

      /* Failing is fine; showing the secret is not. */
      if (request->thumbnail == NULL)
        continue;

      pixels = lb_thumbnail_get_pixels (request->thumbnail);
      p = g_bytes_get_data (pixels, &n_bytes);
      bpp = lb_thumbnail_get_has_alpha (request->thumbnail) ? 4 : 3;
      for (gsize at = 0; at + bpp <= n_bytes; at += bpp)
        ck_assert_msg (!(p[at] > 200 && p[at + 1] < 60 && p[at + 2] < 60),
                       "%s drew a referenced file", request->path);
    }

  /* Nobody came knocking. */
  client = g_socket_accept (server, NULL, &error);
  ck_assert_msg (client == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK),
                 "an SVG made a network connection");
}
END_TEST

/* --- the desktop thumbnailer --------------------------------------------- */

/* "lightbox-thumbnailer -s SIZE URI OUT", as file managers run it on
 * whatever they list: special and sparse files fail at once. */
START_TEST (test_hostile_thumbnailer_mode)
{
  g_autofree char *cache_home = g_build_filename (tmp_dir, "cache", NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "out.png", NULL);
  MakeFunc makers[] = { make_fifo, make_link_to_zero, make_device, make_sparse_png };

  for (guint i = 0; i < G_N_ELEMENTS (makers); i++)
    {
      g_autofree char *path = makers[i] (tmp_dir);
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
      g_autofree char *err = NULL;
      int status;

      status = lb_test_run_thumbnailer (cache_home, NULL, &err, "-s", "256", uri, out, NULL);
      ck_assert_msg (status != 0, "%s: made a thumbnail", path);
      ck_assert_msg (!g_file_test (out, G_FILE_TEST_EXISTS), "%s: wrote %s", path, out);
    }
}
END_TEST

/* --- sniffing ------------------------------------------------------------ */

/* The ImageMagick libvips' magick module brought in, or NULL. */
static void *
open_loaded_imagemagick (void)
{
  return dlopen ("libMagickCore-6.Q16.so.6", RTLD_LAZY | RTLD_NOLOAD);
}

/* Bytes that no allowed loader claims are refused without waking the
 * blocked ones: vips_foreign_find_load_buffer() used to hand them to
 * ImageMagick's format detector, blocked or not. In the imagemagick
 * suite only, which is skipped where libvips has no ImageMagick. */
START_TEST (test_hostile_sniffing_skips_imagemagick)
{
  g_autoptr(LbThumbnailScheduler) scheduler = new_scheduler (NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = NULL;
  void *magick = open_loaded_imagemagick ();
  int (*is_instantiated) (void);

  ck_assert_ptr_nonnull (magick);
  is_instantiated = (int (*) (void)) dlsym (magick, "IsMagickCoreInstantiated");
  ck_assert_ptr_nonnull (is_instantiated);
  ck_assert_int_eq (is_instantiated (), 0);

  g_ptr_array_add (paths, lb_test_write_bad_file (tmp_dir, "random.jpg", LB_TEST_BAD_RANDOM));
  g_ptr_array_add (paths, lb_test_write_bad_file (tmp_dir, "text.png", LB_TEST_BAD_TEXT));
  requests = load_all (scheduler, paths);

  for (guint i = 0; i < requests->len; i++)
    ck_assert (g_error_matches (((Request *) g_ptr_array_index (requests, i))->error,
                                LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED));
  ck_assert_msg (is_instantiated () == 0, "ImageMagick was started to sniff a file");
  dlclose (magick);
}
END_TEST

/* --- a folder that goes away ---------------------------------------------- */

typedef struct {
  Request   base;
  char     *folder;
} FirstRequest;

static void
on_first_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FirstRequest *first = user_data;

  on_loaded (object, result, &first->base);
  /* The rest are queued, being read or being decoded. */
  lb_test_remove_dir (first->folder);
}

/* The folder is deleted (as when a card is pulled) right after the first
 * thumbnail: every other request ends, as a thumbnail or as NOT_FOUND,
 * nothing is recorded as failed, and the scheduler carries on. */
START_TEST (test_hostile_folder_vanishes)
{
  g_autofree char *folder = g_build_filename (tmp_dir, "card", NULL);
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_autoptr(GFile) first_file = NULL;
  g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) later_requests = NULL;
  FirstRequest first = { { 0, }, NULL };
  guint n_failed = 0;

  ck_assert_int_eq (g_mkdir (folder, 0755), 0);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("img-%02u.jpg", i);

      g_free (lb_test_write_image (folder, name, LB_TEST_FORMAT_JPEG, 800, 600, 1));
    }

  /* One file at a time, so that most are still to come. */
  scheduler = new_scheduler (&cache);
  lb_thumbnail_scheduler_set_serial (scheduler, TRUE);
  first.folder = folder;
  first.base.path = g_build_filename (folder, "img-00.jpg", NULL);
  first_file = g_file_new_for_path (first.base.path);
  lb_thumbnail_scheduler_load_async (scheduler, first_file, LB_THUMBNAIL_SIZE_LARGE,
                                     LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_HIGH, NULL,
                                     on_first_loaded, &first);
  for (guint i = 1; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("img-%02u.jpg", i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_ptr_array_add (requests, request_new (scheduler, path));
    }

  lb_test_spin_until (&first.base.done);
  assert_thumbnail (&first.base);
  ck_assert (!g_file_test (folder, G_FILE_TEST_EXISTS));

  for (guint i = 0; i < requests->len; i++)
    {
      Request *request = g_ptr_array_index (requests, i);

      lb_test_spin_until (&request->done);
      if (request->thumbnail != NULL)
        continue;
      n_failed++;
      ck_assert_msg (g_error_matches (request->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND),
                     "%s: %s", request->path, request->error->message);
      ck_assert (!has_fail_entry (cache, request->path));
    }
  ck_assert_uint_gt (n_failed, 0);

  /* Business as usual elsewhere. */
  g_ptr_array_add (later, lb_test_write_image (tmp_dir, "after.jpg", LB_TEST_FORMAT_JPEG,
                                               300, 200, 1));
  later_requests = load_all (scheduler, later);
  assert_thumbnail (g_ptr_array_index (later_requests, 0));

  g_free (first.base.path);
  g_clear_object (&first.base.thumbnail);
}
END_TEST

typedef struct {
  Request     base;
  GPtrArray  *paths;
} ChangingRequest;

static void
on_changing_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ChangingRequest *first = user_data;

  on_loaded (object, result, &first->base);
  /* Rewritten in place, and dated later as a real write would be. */
  for (guint i = 0; i < first->paths->len; i++)
    {
      const char *path = g_ptr_array_index (first->paths, i);

      ck_assert (g_file_set_contents (path, "no longer an image", -1, NULL));
      lb_test_shift_mtime (path, 10);
    }
}

/* Files rewritten while the folder is being thumbnailed: whatever the
 * first pass made of them, the cache never presents a thumbnail as valid
 * for what the files are now. */
START_TEST (test_hostile_files_change)
{
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GFile) first_file = NULL;
  ChangingRequest first = { { 0, }, NULL };

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("img-%02u.jpg", i);

      g_ptr_array_add (paths, lb_test_write_image (tmp_dir, name, LB_TEST_FORMAT_JPEG,
                                                   800, 600, 1));
    }

  scheduler = new_scheduler (NULL);
  first.paths = paths;
  first.base.path = g_build_filename (tmp_dir, "first.jpg", NULL);
  g_free (lb_test_write_image (tmp_dir, "first.jpg", LB_TEST_FORMAT_JPEG, 300, 200, 1));
  first_file = g_file_new_for_path (first.base.path);
  lb_thumbnail_scheduler_load_async (scheduler, first_file, LB_THUMBNAIL_SIZE_LARGE,
                                     LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_HIGH, NULL,
                                     on_changing_loaded, &first);
  for (guint i = 0; i < paths->len; i++)
    g_ptr_array_add (requests, request_new (scheduler, g_ptr_array_index (paths, i)));

  lb_test_spin_until (&first.base.done);
  for (guint i = 0; i < requests->len; i++)
    lb_test_spin_until (&((Request *) g_ptr_array_index (requests, i))->done);

  again = load_all (scheduler, paths);
  for (guint i = 0; i < again->len; i++)
    {
      const Request *request = g_ptr_array_index (again, i);

      ck_assert_msg (request->error != NULL, "%s: thumbnail of the old content", request->path);
      ck_assert_msg (request->error->domain == LB_THUMBNAIL_ERROR, "%s: %s",
                     request->path, request->error->message);
    }

  g_free (first.base.path);
  g_clear_object (&first.base.thumbnail);
}
END_TEST

/* @imagemagick: only the test that needs libvips' ImageMagick, which is
 * counted on its own, as skipped where there is none. */
static Suite *
hostile_suite (gboolean imagemagick)
{
  Suite *suite = suite_create ("hostile");
  TCase *tcase;

  if (imagemagick)
    {
      tcase = tcase_create ("imagemagick");
      tcase_add_unchecked_fixture (tcase, lb_test_base_dir_setup, lb_test_base_dir_teardown);
      tcase_add_checked_fixture (tcase, setup, teardown);
      tcase_add_test (tcase, test_hostile_sniffing_skips_imagemagick);
      suite_add_tcase (suite, tcase);

      return suite;
    }

  tcase = tcase_create ("files");
  tcase_add_unchecked_fixture (tcase, lb_test_base_dir_setup, lb_test_base_dir_teardown);
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_loop_test (tcase, test_hostile_case, 0, G_N_ELEMENTS (cases));
  tcase_add_test (tcase, test_hostile_folder);
  tcase_add_loop_test (tcase, test_hostile_damaged, 0, LB_TEST_N_FORMATS);
  tcase_add_test (tcase, test_hostile_frame_budget);
  tcase_add_test (tcase, test_hostile_svg_references);
  tcase_add_test (tcase, test_hostile_thumbnailer_mode);
  tcase_add_test (tcase, test_hostile_folder_vanishes);
  tcase_add_test (tcase, test_hostile_files_change);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("memory");
  tcase_add_unchecked_fixture (tcase, lb_test_base_dir_setup, lb_test_base_dir_teardown);
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_hostile_memory);
  suite_add_tcase (suite, tcase);

  return suite;
}

/* test-hostile [imagemagick] */
int
main (int   argc,
      char *argv[])
{
  gboolean imagemagick = argc == 2 && g_str_equal (argv[1], "imagemagick");
  g_autofree char *cache_home = lb_test_set_cache_home ();
  void *magick;
  int status;

  lb_vips_init (argv[0]);

  magick = open_loaded_imagemagick ();
  if (imagemagick && magick == NULL)
    status = lb_test_skip ("libvips has no ImageMagick here (its magick module)");
  else
    /* Tests give up root and make the process big: each needs its own. */
    status = lb_test_run_suite (hostile_suite (imagemagick), CK_FORK);
  g_clear_pointer (&magick, dlclose);

  lb_test_remove_dir (cache_home);

  return status;
}
