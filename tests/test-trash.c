/* test-trash.c: putting trashed files back (headless)
 *
 * XDG_DATA_HOME points at a temporary folder on the same file system as
 * the test files, so GLib trashes into a private home trash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "lb-test-fixtures.h"
#include "lb-trash.h"


static void
setup (void)
{
  g_autofree char *trash_dir = g_build_filename (g_get_user_data_dir (), "Trash", NULL);

  /* Each test starts with an empty trash. */
  lb_test_remove_dir (trash_dir);
  lb_test_tmp_dir_setup ();
}

static void
teardown (void)
{
  lb_test_tmp_dir_teardown ();
}

static GFile *
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, name, NULL);

  ck_assert (g_file_set_contents (path, contents, -1, NULL));

  return g_file_new_for_path (path);
}

static void
trash (GFile *file)
{
  g_autoptr(GError) error = NULL;

  ck_assert_msg (g_file_trash (file, NULL, &error), "%s", error ? error->message : "");
  ck_assert (!g_file_query_exists (file, NULL));
}

typedef struct {
  gboolean  restored;
  GError   *error;
  gboolean  done;
} Restore;

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Restore *restore = user_data;

  restore->restored = lb_trash_restore_finish (result, &restore->error);
  restore->done = TRUE;
}

static void
restore (GPtrArray *files,
         Restore   *result)
{
  lb_trash_restore_async (files, NULL, restored_cb, result);
  lb_test_spin_until (&result->done);
}

static char *
read_file (GFile *file)
{
  char *contents = NULL;

  ck_assert (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));

  return contents;
}

static guint
count_trash_entries (void)
{
  g_autofree char *info = g_build_filename (g_get_user_data_dir (), "Trash", "info", NULL);
  g_autoptr(GDir) dir = g_dir_open (info, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

START_TEST (test_trash_restore)
{
  g_autoptr(GFile) photo = write_file ("photo.jpg", "photo");
  g_autoptr(GFile) other = write_file ("other name.png", "other");
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autofree char *photo_contents = NULL;
  g_autofree char *other_contents = NULL;
  Restore result = { 0 };

  trash (photo);
  trash (other);
  ck_assert_uint_eq (count_trash_entries (), 2);

  g_ptr_array_add (files, photo);
  g_ptr_array_add (files, other);
  restore (files, &result);
  ck_assert_msg (result.restored, "%s", result.error ? result.error->message : "");

  photo_contents = read_file (photo);
  other_contents = read_file (other);
  ck_assert_str_eq (photo_contents, "photo");
  ck_assert_str_eq (other_contents, "other");
  /* The trash forgets them: no stale entry is left behind. */
  ck_assert_uint_eq (count_trash_entries (), 0);
}
END_TEST

/* Trashed twice under one name: the undo is for the latest. */
START_TEST (test_trash_restore_latest)
{
  g_autoptr(GFile) first = write_file ("same.txt", "first");
  g_autoptr(GFile) second = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autofree char *contents = NULL;
  g_autofree char *info = NULL;
  g_autofree char *info_path = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  Restore result = { 0 };

  trash (first);

  /* Make the first deletion older than any the clock can give now. */
  info_path = g_build_filename (g_get_user_data_dir (), "Trash", "info", "same.txt.trashinfo", NULL);
  ck_assert (g_key_file_load_from_file (key_file, info_path, G_KEY_FILE_KEEP_COMMENTS, NULL));
  g_key_file_set_string (key_file, "Trash Info", "DeletionDate", "2001-01-01T00:00:00");
  ck_assert (g_key_file_save_to_file (key_file, info_path, NULL));

  second = write_file ("same.txt", "second");
  trash (second);
  ck_assert_uint_eq (count_trash_entries (), 2);

  g_ptr_array_add (files, second);
  restore (files, &result);
  ck_assert (result.restored);
  contents = read_file (second);
  ck_assert_str_eq (contents, "second");
  ck_assert_uint_eq (count_trash_entries (), 1);
}
END_TEST

START_TEST (test_trash_restore_missing)
{
  g_autoptr(GFile) gone = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, "gone.txt", NULL);
  Restore result = { 0 };

  gone = g_file_new_for_path (path);
  g_ptr_array_add (files, gone);
  restore (files, &result);
  ck_assert (!result.restored);
  ck_assert (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  g_error_free (result.error);
}
END_TEST

/* Something new took the name meanwhile: it is kept, the restore fails. */
START_TEST (test_trash_restore_taken)
{
  g_autoptr(GFile) photo = write_file ("photo.jpg", "old");
  g_autoptr(GFile) replacement = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autofree char *contents = NULL;
  Restore result = { 0 };

  trash (photo);
  replacement = write_file ("photo.jpg", "new");

  g_ptr_array_add (files, photo);
  restore (files, &result);
  ck_assert (!result.restored);
  ck_assert (g_error_matches (result.error, G_IO_ERROR, G_IO_ERROR_EXISTS));
  contents = read_file (replacement);
  ck_assert_str_eq (contents, "new");
  ck_assert_uint_eq (count_trash_entries (), 1);
  g_error_free (result.error);
}
END_TEST

static Suite *
trash_suite (void)
{
  Suite *suite = suite_create ("trash");
  TCase *tcase = tcase_create ("trash");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_trash_restore);
  tcase_add_test (tcase, test_trash_restore_latest);
  tcase_add_test (tcase, test_trash_restore_missing);
  tcase_add_test (tcase, test_trash_restore_taken);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = lb_test_make_tmp_dir ();
  int status;

  /* Before anything asks GLib for it: read once per process. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  status = lb_test_run_suite (trash_suite (), CK_FORK_GETENV);
  lb_test_remove_dir (data_home);

  return status;
}
