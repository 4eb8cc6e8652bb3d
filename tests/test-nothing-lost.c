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
#include <string.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

static char *cache_home;

static void
setup (void)
{
  lb_test_tmp_dir_setup ();
  cache_home = g_build_filename (lb_test_tmp_dir, "cache", NULL);
}

static void
teardown (void)
{
  lb_test_tmp_dir_teardown ();
  g_clear_pointer (&cache_home, g_free);
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
  g_autofree char *folder = g_build_filename (lb_test_tmp_dir, "Pictures", NULL);
  g_autofree char *out = g_build_filename (lb_test_tmp_dir, "spec-output.png", NULL);
  g_autofree char *input_uri = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *image = NULL;

  lb_test_make_user_folder (folder);
  collect_files (folder, files);
  before = lb_test_fingerprint (folder);

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

  after = lb_test_fingerprint (folder);
  lb_test_assert_same_fingerprint (before, after);

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
  int status;
  g_autofree char *xdg_cache_home = lb_test_set_cache_home ();

  lb_vips_init (argv[0]);

  status = lb_test_run_suite (nothing_lost_suite (), CK_FORK_GETENV);

  lb_test_remove_dir (xdg_cache_home);

  return status;
}
