/* test-sort-date-taken.c: the folder model sorted by when photos were taken
 *
 * Headless. Photos carry their date in EXIF; other files fall back to
 * their modification time. No test asserts how long anything takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <locale.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "lb-browser-test-utils.h"
#include "lb-folder-model.h"
#include "lb-test-fixtures.h"
#include "lb-vips.h"

/* 1 June 2020, 00:00 UTC, and 1 January 2018. */
#define MTIME_2020 1590969600
#define MTIME_2018 1514764800


static void
write_photo (const char *name,
             const char *date_taken)
{
  const char * const fields[] = { "exif-ifd2-DateTimeOriginal", date_taken, NULL };
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, name, LB_TEST_FORMAT_JPEG,
                                                           64, 48, fields);

  ck_assert (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
set_mtime (const char *name,
           gint64      mtime)
{
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, name, NULL);
  struct utimbuf times = { mtime, mtime };

  ck_assert_int_eq (g_utime (path, &times), 0);
}

/* A folder, two photos, a picture without EXIF from 2020, a text file
 * from 2018. */
static void
make_folder (void)
{
  g_autofree char *folder = lb_test_make_folder (lb_test_tmp_dir, "zz-folder");
  g_autofree char *png = lb_test_write_image (lb_test_tmp_dir, "c.png", LB_TEST_FORMAT_PNG, 64, 48, 1);
  g_autofree char *text = lb_test_write_file (lb_test_tmp_dir, "d.txt", 10, MTIME_2018);

  write_photo ("a.jpg", "2021:07:14 16:30:05");
  write_photo ("b.jpg", "2019:03:02 08:15:00");
  set_mtime ("c.png", MTIME_2020);
}

static gboolean
is_ready (gpointer data)
{
  return !lb_folder_model_get_loading (data) && !lb_folder_model_get_sorting (data);
}

static void
assert_order (LbFolderModel *model,
              const char    *expected)
{
  g_auto(GStrv) names = lb_test_model_names (G_LIST_MODEL (model));
  g_autofree char *joined = g_strjoinv (" ", names);

  ck_assert_str_eq (joined, expected);
}

static LbFolderModel *
new_model (LbSortKey sort_key)
{
  LbFolderModel *model = lb_folder_model_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (lb_test_tmp_dir);

  lb_folder_model_set_sort_key (model, sort_key);
  lb_folder_model_set_folder (model, folder);
  ck_assert (lb_test_wait_for (is_ready, model));

  return model;
}

/* Switched to once listed: the dates are read on a thread, then the order
 * lands; folders stay first. */
START_TEST (test_sort_by_date_taken)
{
  g_autoptr(LbFolderModel) model = NULL;

  make_folder ();
  model = new_model (LB_SORT_KEY_NAME);
  assert_order (model, "zz-folder a.jpg b.jpg c.png d.txt");

  lb_folder_model_set_sort_key (model, LB_SORT_KEY_DATE_TAKEN);
  ck_assert (lb_folder_model_get_sorting (model));
  ck_assert (lb_test_wait_for (is_ready, model));
  assert_order (model, "zz-folder d.txt b.jpg c.png a.jpg");

  lb_folder_model_set_sort_descending (model, TRUE);
  ck_assert (lb_test_wait_for (is_ready, model));
  assert_order (model, "zz-folder a.jpg c.png b.jpg d.txt");
}
END_TEST

/* Already the order when the folder is listed: the listing reads them. */
START_TEST (test_list_by_date_taken)
{
  g_autoptr(LbFolderModel) model = NULL;

  make_folder ();
  model = new_model (LB_SORT_KEY_DATE_TAKEN);
  assert_order (model, "zz-folder d.txt b.jpg c.png a.jpg");
}
END_TEST

static gboolean
has_six_items (gpointer data)
{
  return g_list_model_get_n_items (data) == 6 && is_ready (data);
}

/* A photo that arrives later goes where its date puts it. */
START_TEST (test_new_photo_by_date_taken)
{
  g_autoptr(LbFolderModel) model = NULL;

  make_folder ();
  model = new_model (LB_SORT_KEY_DATE_TAKEN);
  write_photo ("e.jpg", "2020:01:01 12:00:00");
  ck_assert (lb_test_wait_for (has_six_items, model));
  assert_order (model, "zz-folder d.txt b.jpg e.jpg c.png a.jpg");
}
END_TEST

static Suite *
sort_date_taken_suite (void)
{
  Suite *suite = suite_create ("sort-date-taken");
  TCase *tcase = tcase_create ("sort-date-taken");

  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_add_test (tcase, test_sort_by_date_taken);
  tcase_add_test (tcase, test_list_by_date_taken);
  tcase_add_test (tcase, test_new_photo_by_date_taken);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{

  setlocale (LC_ALL, "");
  lb_vips_init (argv[0]);

  return lb_test_run_suite (sort_date_taken_suite (), CK_FORK_GETENV);
}
