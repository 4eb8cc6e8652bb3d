/* test-nothing-lost.c: Lightbox writes only to its cache
 *
 * A user folder of every format, bad files, links, special files, odd
 * permissions and old dates is fingerprinted (type, mode, owner, size,
 * mtime and ctime to the nanosecond, SHA-256 of every file, the target
 * of every link, the listing of every folder) before and after a session
 * of thumbnailing through the scheduler and lightbox-thumbnailer, at
 * every size, forced, cancelled and not: nothing may differ.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-thumbnail-render.h"
#include "lb-thumbnail-scheduler.h"

static char *tmp_dir;
static char *cache_home;

static void
setup (void)
{
  tmp_dir = lb_test_make_tmp_dir ();
  cache_home = g_build_filename (tmp_dir, "cache", NULL);
}

static void
teardown (void)
{
  lb_test_remove_dir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&cache_home, g_free);
}

/* --- the fingerprint ---------------------------------------------------- */

static char *
hash_file (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) error = NULL;

  mapped = g_mapped_file_new (path, FALSE, &error);
  ck_assert_msg (mapped != NULL, "%s: %s", path, error ? error->message : "");
  g_checksum_update (checksum, (const guchar *) g_mapped_file_get_contents (mapped),
                     g_mapped_file_get_length (mapped));

  return g_strdup (g_checksum_get_string (checksum));
}

/* One line per entry below @dir, sorted, links not followed. */
static void
fingerprint_dir (const char *root,
                 const char *dir,
                 GPtrArray  *lines)
{
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  listing = g_dir_open (dir, 0, &error);
  ck_assert_msg (listing != NULL, "%s: %s", dir, error ? error->message : "");

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *content = NULL;
      g_autofree char *relative = g_strescape (path + strlen (root), NULL);
      struct stat st;

      ck_assert_msg (lstat (path, &st) == 0, "%s: %s", path, g_strerror (errno));

      if (S_ISREG (st.st_mode) && (st.st_mode & S_IRUSR))
        content = hash_file (path);
      else if (S_ISLNK (st.st_mode))
        content = g_file_read_link (path, NULL);
      else if (S_ISDIR (st.st_mode))
        content = g_strdup ("folder");

      g_ptr_array_add (lines, g_strdup_printf (
        "%s mode=%o uid=%u gid=%u ino=%lu nlink=%lu size=%lld "
        "mtime=%lld.%09ld ctime=%lld.%09ld %s",
        relative, (guint) st.st_mode, (guint) st.st_uid, (guint) st.st_gid,
        (gulong) st.st_ino, (gulong) st.st_nlink, (long long) st.st_size,
        (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
        (long long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
        content != NULL ? content : "-"));

      if (S_ISDIR (st.st_mode))
        fingerprint_dir (root, path, lines);
    }
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
fingerprint (const char *root)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  struct stat st;

  ck_assert_int_eq (lstat (root, &st), 0);
  g_ptr_array_add (lines, g_strdup_printf (". mode=%o mtime=%lld.%09ld ctime=%lld.%09ld",
                                           (guint) st.st_mode,
                                           (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                                           (long long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec));
  fingerprint_dir (root, root, lines);
  g_ptr_array_sort (lines, compare_lines);

  return lines;
}

static void
assert_same (GPtrArray *before,
             GPtrArray *after)
{
  for (guint i = 0; i < MAX (before->len, after->len); i++)
    {
      const char *a = i < before->len ? g_ptr_array_index (before, i) : "(none)";
      const char *b = i < after->len ? g_ptr_array_index (after, i) : "(none)";

      ck_assert_msg (g_str_equal (a, b), "changed:\n  before: %s\n  after:  %s", a, b);
    }
}

/* --- the user's folder ------------------------------------------------- */

static void
make_user_folder (const char *folder)
{
  g_autofree char *sub = g_build_filename (folder, "2019 holidays", NULL);
  g_autofree char *read_only = NULL;
  g_autofree char *fifo = g_build_filename (folder, "pipe.jpg", NULL);
  g_autofree char *link = g_build_filename (folder, "link.jpg", NULL);
  g_autofree char *folder_link = g_build_filename (folder, "link to holidays", NULL);
  g_autofree char *dangling = g_build_filename (folder, "dangling.png", NULL);
  g_autofree char *notes = g_build_filename (folder, "notes.txt", NULL);

  ck_assert_int_eq (g_mkdir (folder, 0755), 0);
  ck_assert_int_eq (g_mkdir (sub, 0750), 0);

  for (int format = 0; format < LB_TEST_N_FORMATS; format++)
    {
      g_autofree char *name = g_strdup_printf ("image.%s", lb_test_format_get_name (format));
      g_autofree char *path = lb_test_write_image (format % 2 ? folder : sub, name, format,
                                                   300, 200, 1 + format % 8);

      /* Old dates, as on a camera card. */
      lb_test_shift_mtime (path, -86400 * (format + 1));
    }

  g_free (lb_test_write_bad_file (folder, "truncated.jpg", LB_TEST_BAD_TRUNCATED_JPEG));
  g_free (lb_test_write_bad_file (folder, "random.png", LB_TEST_BAD_RANDOM));
  g_free (lb_test_write_bad_file (folder, "empty.gif", LB_TEST_BAD_EMPTY));
  g_free (lb_test_write_bad_file (sub, "bomb.png", LB_TEST_BAD_PNG_BOMB));
  g_free (lb_test_write_bad_file (folder, ".hidden.png", LB_TEST_BAD_TEXT));
  g_free (lb_test_write_bad_file (folder, "folder.jpg", LB_TEST_BAD_DIRECTORY));

  read_only = lb_test_write_image (folder, "read-only.jpg", LB_TEST_FORMAT_JPEG, 320, 240, 1);
  ck_assert_int_eq (chmod (read_only, 0444), 0);
  ck_assert (g_file_set_contents (notes, "not an image\n", -1, NULL));
  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  ck_assert_int_eq (symlink ("image.jpeg-progressive", link), 0);
  ck_assert_int_eq (symlink ("2019 holidays", folder_link), 0);
  ck_assert_int_eq (symlink ("gone.png", dangling), 0);
}

/* Every entry below @dir, links and all. */
static void
collect_files (const char *dir,
               GPtrArray  *files)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  ck_assert_ptr_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_ptr_array_add (files, g_file_new_for_path (path));
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        collect_files (path, files);
    }
}

/* --- the session --------------------------------------------------------- */

typedef struct {
  guint    n_pending;
  gboolean done;
} Pending;

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;

  /* Successes and failures alike: only the files matter here. */
  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);
  pending->done = --pending->n_pending == 0;
}

static void
scheduler_session (GPtrArray *files)
{
  g_autoptr(LbThumbnailScheduler) scheduler = lb_thumbnail_scheduler_new (NULL, 2);
  static const LbThumbnailFlags flags[] = {
    LB_THUMBNAIL_FLAGS_NONE,
    LB_THUMBNAIL_FLAGS_NO_PIXELS,
    LB_THUMBNAIL_FLAGS_FORCE,
    LB_THUMBNAIL_FLAGS_NONE,
  };
  Pending pending = { 0, };

  for (guint round = 0; round < G_N_ELEMENTS (flags); round++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();

      for (LbThumbnailSize size = 0; size < LB_THUMBNAIL_N_SIZES; size++)
        for (guint i = 0; i < files->len; i++)
          {
            pending.n_pending++;
            lb_thumbnail_scheduler_load_async (scheduler, g_ptr_array_index (files, i), size,
                                               flags[round], G_PRIORITY_DEFAULT,
                                               i % 3 == 0 ? cancellable : NULL,
                                               on_loaded, &pending);
          }

      /* Leaving the folder half-way, as a user scrolling away does. */
      if (round == 2)
        g_cancellable_cancel (cancellable);
      pending.done = FALSE;
      lb_test_spin_until (&pending.done);
    }
}

START_TEST (test_nothing_lost)
{
  g_autofree char *folder = g_build_filename (tmp_dir, "Pictures", NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "spec-output.png", NULL);
  g_autofree char *input_uri = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *image = NULL;

  make_user_folder (folder);
  collect_files (folder, files);
  before = fingerprint (folder);

  /* The app's engine, with the cache in XDG_CACHE_HOME. */
  scheduler_session (files);

  /* The command-line tool, at every size, then forced, recursive. */
  for (LbThumbnailSize size = 0; size < LB_THUMBNAIL_N_SIZES; size++)
    {
      g_autofree char *option = g_strdup_printf ("--size=%s", lb_thumbnail_size_get_name (size));

      lb_test_run_thumbnailer (cache_home, NULL, NULL, "--recursive", option, folder, NULL);
      lb_test_run_thumbnailer (cache_home, NULL, NULL, "--recursive", "--force", option,
                               folder, NULL);
    }

  /* And as a desktop thumbnailer, writing where it is told. */
  image = g_build_filename (folder, "image.jpeg-progressive", NULL);
  input_uri = g_filename_to_uri (image, NULL, NULL);
  ck_assert_int_eq (lb_test_run_thumbnailer (cache_home, NULL, NULL, "-s", "256", input_uri,
                                             out, NULL), 0);

  after = fingerprint (folder);
  assert_same (before, after);

  /* The session did happen, and into the cache. */
  {
    g_autofree char *large = g_build_filename (g_get_user_cache_dir (), "thumbnails", "large", NULL);
    g_autofree char *cli_large = g_build_filename (cache_home, "thumbnails", "large", NULL);

    ck_assert (g_file_test (large, G_FILE_TEST_IS_DIR));
    ck_assert (g_file_test (cli_large, G_FILE_TEST_IS_DIR));
    ck_assert (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  }
}
END_TEST

static Suite *
nothing_lost_suite (void)
{
  Suite *suite = suite_create ("nothing-lost");
  TCase *tcase = tcase_create ("session");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_nothing_lost);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{
  SRunner *runner;
  int n_failed;
  g_autofree char *xdg_cache_home = lb_test_set_cache_home ();

  lb_vips_init (argv[0]);

  runner = srunner_create (nothing_lost_suite ());
  srunner_run_all (runner, CK_ENV);
  n_failed = srunner_ntests_failed (runner);
  srunner_free (runner);

  lb_test_remove_dir (xdg_cache_home);

  return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
