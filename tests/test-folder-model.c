/* test-folder-model.c: listing, sorting, filtering and watching folders
 *
 * Headless: the model is GIO only. Every folder is made here, at test
 * time; no test asserts how long anything takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <locale.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lb-browser-test-utils.h"
#include "lb-folder-model.h"
#include "lb-test-fixtures.h"

#define BIG_FOLDER_SIZE 3000
/* Above the size the model re-sorts in place: sorted on a thread. */
#define HUGE_FOLDER_SIZE 5000


static void
setup (void)
{
  lb_test_tmp_dir_setup ();
}

static void
teardown (void)
{
  lb_test_regain_privileges ();
  lb_test_tmp_dir_teardown ();
}

static gboolean
is_listed (gpointer data)
{
  return !lb_folder_model_get_loading (data);
}

static gboolean
is_listed_by_worker (gpointer data)
{
  return lb_folder_model_get_listed (data);
}

static gboolean
is_sorted (gpointer data)
{
  return !lb_folder_model_get_sorting (data);
}

static LbFolderModel *
list_folder (const char *path)
{
  LbFolderModel *model = lb_folder_model_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (path);

  lb_folder_model_set_folder (model, folder);
  ck_assert (lb_folder_model_get_loading (model));
  ck_assert (lb_test_wait_for (is_listed, model));

  return model;
}

static void
assert_names (LbFolderModel *model,
              const char    *first,
              ...)
{
  g_auto(GStrv) names = lb_test_model_names (G_LIST_MODEL (model));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *wanted = NULL;
  va_list args;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    g_strv_builder_add (builder, name);
  va_end (args);
  expected = g_strv_builder_end (builder);

  got = g_strjoinv (", ", names);
  wanted = g_strjoinv (", ", expected);
  ck_assert_str_eq (got, wanted);
}

typedef struct {
  LbFolderModel *model;
  const char    *name;
} Lookup;

static gboolean
is_shown (gpointer data)
{
  Lookup *lookup = data;

  return lb_folder_model_find (lookup->model, lookup->name, NULL);
}

static gboolean
is_gone (gpointer data)
{
  return !is_shown (data);
}

/* --- listing ------------------------------------------------------------- */

typedef struct {
  LbFolderModel *model;
  guint          n_at_first;
  gboolean       loading_at_first;
} FirstBatch;

static void
first_items_cb (GListModel *list,
                guint       position,
                guint       removed,
                guint       added,
                FirstBatch *first)
{
  if (first->n_at_first > 0 || added == 0)
    return;

  first->n_at_first = g_list_model_get_n_items (list);
  first->loading_at_first = lb_folder_model_get_loading (first->model);
}

START_TEST (test_listing_in_batches)
{
  g_autoptr(LbFolderModel) model = lb_folder_model_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (lb_test_tmp_dir);
  g_autoptr(LbTestMirror) mirror = NULL;
  g_auto(GStrv) names = NULL;
  FirstBatch first = { model, 0, FALSE };

  for (guint i = 0; i < BIG_FOLDER_SIZE; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u.txt", i);
      g_autofree char *path = lb_test_write_file (lb_test_tmp_dir, name, 0, 0);
    }

  mirror = lb_test_mirror_new (G_LIST_MODEL (model));
  g_signal_connect (model, "items-changed", G_CALLBACK (first_items_cb), &first);
  lb_folder_model_set_folder (model, folder);
  ck_assert (lb_test_wait_for (is_listed, model));

  /* The first files came while the folder was still being listed. */
  ck_assert (first.loading_at_first);
  ck_assert_uint_gt (first.n_at_first, 0);
  ck_assert_uint_lt (first.n_at_first, BIG_FOLDER_SIZE);
  ck_assert_uint_gt (lb_test_mirror_get_n_signals (mirror), 1);

  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (model)), BIG_FOLDER_SIZE);
  ck_assert_uint_eq (lb_folder_model_get_n_unfiltered (model), BIG_FOLDER_SIZE);
  lb_test_mirror_check (mirror);

  /* Merged batches still make one natural order. */
  names = lb_test_model_names (G_LIST_MODEL (model));
  for (guint i = 0; i < BIG_FOLDER_SIZE; i++)
    {
      g_autofree char *expected = g_strdup_printf ("file-%u.txt", i);

      ck_assert_str_eq (names[i], expected);
    }
}
END_TEST

/* What the model said was settled, each time the loop came back. */
typedef struct {
  LbFolderModel *model;
  GPtrArray     *prefixes;  /* GStrv: the first n_settled names */
} Settling;

static gboolean
record_settled (gpointer data)
{
  Settling *settling = data;
  guint n_settled = lb_folder_model_get_n_settled (settling->model);
  GStrvBuilder *builder;

  if (!lb_folder_model_get_loading (settling->model))
    return TRUE;

  ck_assert_uint_le (n_settled, g_list_model_get_n_items (G_LIST_MODEL (settling->model)));
  if (n_settled == 0)
    return FALSE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n_settled; i++)
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (G_LIST_MODEL (settling->model), i);

      g_strv_builder_add (builder, lb_file_item_get_name (item));
    }
  g_ptr_array_add (settling->prefixes, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);

  return FALSE;
}

START_TEST (test_settled_first_items)
{
  g_autoptr(LbFolderModel) model = lb_folder_model_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (lb_test_tmp_dir);
  g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  Settling settling = { model, prefixes };
  g_auto(GStrv) names = NULL;

  /* Enough for the first screens to go in by slices. */
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.jpg", (i * 37) % 150);
      g_autofree char *path = lb_test_write_file (lb_test_tmp_dir, name, 0, 0);
    }

  lb_folder_model_set_folder (model, folder);
  /* The loop held back until the worker has sent the whole listing: its
   * slices can then settle as they go in. */
  ck_assert (lb_test_block_until (is_listed_by_worker, model));
  ck_assert (lb_test_wait_for (record_settled, &settling));

  /* Settled while loading, and the settled ones did not move after. */
  ck_assert_uint_gt (prefixes->len, 0);
  names = lb_test_model_names (G_LIST_MODEL (model));
  ck_assert_uint_eq (g_strv_length (names), 150);
  for (guint i = 0; i < prefixes->len; i++)
    {
      GStrv prefix = g_ptr_array_index (prefixes, i);

      for (guint j = 0; prefix[j] != NULL; j++)
        ck_assert_str_eq (prefix[j], names[j]);
    }
  ck_assert_uint_eq (lb_folder_model_get_n_settled (model), 150);
}
END_TEST

/* A source at GTK's redrawing priority, added when the first items come:
 * it sees how many there are when it runs. */
typedef struct {
  LbFolderModel *model;
  guint          source;
  guint          n_first;
  guint          n_at_redraw;
} Redraw;

static gboolean
redraw_cb (gpointer data)
{
  Redraw *redraw = data;

  redraw->source = 0;
  redraw->n_at_redraw = g_list_model_get_n_items (G_LIST_MODEL (redraw->model));

  return G_SOURCE_REMOVE;
}

static void
schedule_redraw_cb (GListModel *list,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Redraw     *redraw)
{
  if (redraw->source != 0 || redraw->n_at_redraw > 0 || added == 0)
    return;

  /* GDK_PRIORITY_REDRAW, which the model has no business knowing. */
  redraw->n_first = g_list_model_get_n_items (list);
  redraw->source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, redraw_cb, redraw, NULL);
}

START_TEST (test_first_slice_yields_to_redraw)
{
  g_autoptr(LbFolderModel) model = lb_folder_model_new ();
  g_autoptr(GFile) folder = g_file_new_for_path (lb_test_tmp_dir);
  Redraw redraw = { model, 0, 0, 0 };

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.jpg", i);
      g_autofree char *path = lb_test_write_file (lb_test_tmp_dir, name, 0, 0);
    }

  g_signal_connect (model, "items-changed", G_CALLBACK (schedule_redraw_cb), &redraw);
  lb_folder_model_set_folder (model, folder);
  ck_assert (lb_test_wait_for (is_listed, model));

  /* The first slice went in at once; the next ones waited for the frame
   * that shows it. */
  ck_assert_uint_eq (redraw.source, 0);
  ck_assert_uint_gt (redraw.n_first, 0);
  ck_assert_uint_lt (redraw.n_first, 150);
  ck_assert_uint_eq (redraw.n_at_redraw, redraw.n_first);
}
END_TEST

START_TEST (test_item_properties)
{
  g_autofree char *path = lb_test_write_file (lb_test_tmp_dir, "photo.JPG", 1234, 1700000000);
  g_autofree char *folder_path = lb_test_make_folder (lb_test_tmp_dir, "album");
  g_autofree char *text_path = lb_test_write_file (lb_test_tmp_dir, "notes.txt", 10, 0);
  g_autofree char *pdf_path = lb_test_write_file (lb_test_tmp_dir, "scan.pdf", 10, 0);
  g_autoptr(LbFolderModel) model = list_folder (lb_test_tmp_dir);
  g_autoptr(LbFileItem) album = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_autoptr(LbFileItem) photo = g_list_model_get_item (G_LIST_MODEL (model), 2);
  g_autoptr(LbFileItem) pdf = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *file_path = NULL;
  guint64 size;
  gint64 modified;
  gboolean is_folder, is_image;
  LbThumbnailState state;

  assert_names (model, "album", "notes.txt", "photo.JPG", "scan.pdf", NULL);

  /* Through the properties, as the viewer reads them. */
  g_object_get (photo,
                "file", &file, "name", &name, "display-name", &display_name,
                "size", &size, "modified", &modified, "content-type", &content_type,
                "is-folder", &is_folder, "is-image", &is_image, "thumbnail-state", &state,
                NULL);
  file_path = g_file_get_path (file);
  ck_assert_str_eq (file_path, path);
  ck_assert_str_eq (name, "photo.JPG");
  ck_assert_str_eq (display_name, "photo.JPG");
  ck_assert_uint_eq (size, 1234);
  ck_assert_int_eq (modified, 1700000000);
  ck_assert_str_eq (content_type, "image/jpeg");
  ck_assert (!is_folder);
  ck_assert (is_image);
  ck_assert_int_eq (state, LB_THUMBNAIL_STATE_NONE);

  ck_assert (lb_file_item_get_is_folder (album));
  ck_assert (!lb_file_item_get_is_image (album));
  ck_assert (lb_file_item_get_is_image (pdf));
}
END_TEST

START_TEST (test_missing_folder)
{
  g_autofree char *missing = g_build_filename (lb_test_tmp_dir, "gone", NULL);
  g_autoptr(LbFolderModel) model = list_folder (missing);

  ck_assert (g_error_matches (lb_folder_model_get_error (model), G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (model)), 0);
}
END_TEST

START_TEST (test_permission_denied)
{
  g_autofree char *locked = lb_test_make_folder (lb_test_tmp_dir, "locked");
  g_autofree char *inside = lb_test_write_file (locked, "secret.jpg", 10, 0);
  g_autoptr(LbFolderModel) model = NULL;

  /* Root reads anything: as root, the test runs as nobody. */
  ck_assert_int_eq (g_chmod (lb_test_tmp_dir, 0755), 0);
  ck_assert_int_eq (g_chmod (locked, 0), 0);
  ck_assert_msg (lb_test_drop_privileges (), "cannot switch to an unprivileged user");

  model = list_folder (locked);
  ck_assert (g_error_matches (lb_folder_model_get_error (model), G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (model)), 0);

  lb_test_regain_privileges ();
  ck_assert_int_eq (g_chmod (locked, 0755), 0);
}
END_TEST

/* --- sorting ------------------------------------------------------------- */

START_TEST (test_natural_order)
{
  const char *names[] = { "img10.jpg", "img2.jpg", "IMG3.jpg", "img1.jpg", "Zebra.png", "apple.png",
                          "photo 9.png", "photo 10.png" };
  g_autoptr(LbFolderModel) model = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (lb_test_write_file (lb_test_tmp_dir, names[i], 1, 0));

  model = list_folder (lb_test_tmp_dir);
  assert_names (model, "apple.png", "img1.jpg", "img2.jpg", "IMG3.jpg", "img10.jpg",
                "photo 9.png", "photo 10.png", "Zebra.png", NULL);
}
END_TEST

START_TEST (test_folders_first)
{
  g_autoptr(LbFolderModel) model = NULL;

  g_free (lb_test_write_file (lb_test_tmp_dir, "a.jpg", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "c.txt", 1, 0));
  g_free (lb_test_make_folder (lb_test_tmp_dir, "z-folder"));
  g_free (lb_test_make_folder (lb_test_tmp_dir, "b-folder"));

  model = list_folder (lb_test_tmp_dir);
  assert_names (model, "b-folder", "z-folder", "a.jpg", "c.txt", NULL);

  /* Reversed, folders still come first. */
  lb_folder_model_set_sort_descending (model, TRUE);
  ck_assert (lb_test_wait_for (is_sorted, model));
  assert_names (model, "z-folder", "b-folder", "c.txt", "a.jpg", NULL);
}
END_TEST

START_TEST (test_sort_keys)
{
  g_autoptr(LbFolderModel) model = NULL;
  g_autoptr(LbTestMirror) mirror = NULL;

  /* Name, size and date each give another order. */
  g_free (lb_test_write_file (lb_test_tmp_dir, "a.txt", 300, 1600000000));
  g_free (lb_test_write_file (lb_test_tmp_dir, "b.png", 100, 1700000000));
  g_free (lb_test_write_file (lb_test_tmp_dir, "c.jpg", 200, 1500000000));
  g_free (lb_test_make_folder (lb_test_tmp_dir, "folder"));

  model = list_folder (lb_test_tmp_dir);
  mirror = lb_test_mirror_new (G_LIST_MODEL (model));
  assert_names (model, "folder", "a.txt", "b.png", "c.jpg", NULL);

  lb_folder_model_set_sort_key (model, LB_SORT_KEY_SIZE);
  ck_assert (lb_test_wait_for (is_sorted, model));
  assert_names (model, "folder", "b.png", "c.jpg", "a.txt", NULL);

  lb_folder_model_set_sort_key (model, LB_SORT_KEY_MODIFIED);
  ck_assert (lb_test_wait_for (is_sorted, model));
  assert_names (model, "folder", "c.jpg", "a.txt", "b.png", NULL);

  lb_folder_model_set_sort_descending (model, TRUE);
  ck_assert (lb_test_wait_for (is_sorted, model));
  assert_names (model, "folder", "b.png", "a.txt", "c.jpg", NULL);

  /* image/jpeg, image/png, text/plain */
  lb_folder_model_set_sort_descending (model, FALSE);
  lb_folder_model_set_sort_key (model, LB_SORT_KEY_TYPE);
  ck_assert (lb_test_wait_for (is_sorted, model));
  assert_names (model, "folder", "c.jpg", "b.png", "a.txt", NULL);

  lb_test_mirror_check (mirror);
}
END_TEST

START_TEST (test_sort_big_folder_on_thread)
{
  g_autoptr(LbFolderModel) model = NULL;
  g_autoptr(LbTestMirror) mirror = NULL;
  g_auto(GStrv) names = NULL;
  Lookup lookup = { NULL, "late" };

  /* Sizes against the order of the names. */
  for (guint i = 0; i < HUGE_FOLDER_SIZE; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);

      g_free (lb_test_write_file (lb_test_tmp_dir, name, (HUGE_FOLDER_SIZE - i) % 7, 0));
    }

  model = list_folder (lb_test_tmp_dir);
  mirror = lb_test_mirror_new (G_LIST_MODEL (model));
  lookup.model = model;

  /* Sorted off the main thread: the old order until the new one lands,
   * and files that come meanwhile land in the right place too. */
  lb_folder_model_set_sort_key (model, LB_SORT_KEY_SIZE);
  ck_assert (lb_folder_model_get_sorting (model));
  g_free (lb_test_write_file (lb_test_tmp_dir, "late", 3, 0));
  ck_assert (lb_test_wait_for (is_sorted, model));
  ck_assert (lb_test_wait_for (is_shown, &lookup));

  names = lb_test_model_names (G_LIST_MODEL (model));
  ck_assert_uint_eq (g_strv_length (names), HUGE_FOLDER_SIZE + 1);
  for (guint i = 1; i <= HUGE_FOLDER_SIZE; i++)
    {
      g_autoptr(LbFileItem) before = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
      g_autoptr(LbFileItem) after = g_list_model_get_item (G_LIST_MODEL (model), i);

      ck_assert_uint_le (lb_file_item_get_size (before), lb_file_item_get_size (after));
    }
  lb_test_mirror_check (mirror);
}
END_TEST

/* --- filtering ----------------------------------------------------------- */

START_TEST (test_filters)
{
  g_autoptr(LbFolderModel) model = NULL;
  g_autoptr(LbTestMirror) mirror = NULL;

  g_free (lb_test_write_file (lb_test_tmp_dir, ".hidden.jpg", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "backup.jpg~", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "Plage d’été.jpg", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "notes.txt", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "scan.pdf", 1, 0));
  g_free (lb_test_make_folder (lb_test_tmp_dir, "trips"));

  model = list_folder (lb_test_tmp_dir);
  mirror = lb_test_mirror_new (G_LIST_MODEL (model));
  assert_names (model, "trips", "notes.txt", "Plage d’été.jpg", "scan.pdf", NULL);
  ck_assert_uint_eq (lb_folder_model_get_n_unfiltered (model), 6);

  lb_folder_model_set_show_hidden (model, TRUE);
  assert_names (model, "trips", ".hidden.jpg", "backup.jpg~", "notes.txt",
                "Plage d’été.jpg", "scan.pdf", NULL);

  /* Folders stay, so that one can go on browsing. */
  lb_folder_model_set_show_hidden (model, FALSE);
  lb_folder_model_set_images_only (model, TRUE);
  assert_names (model, "trips", "Plage d’été.jpg", "scan.pdf", NULL);

  /* By name, ignoring case and accents. */
  lb_folder_model_set_images_only (model, FALSE);
  lb_folder_model_set_filter_text (model, "D’ETE");
  assert_names (model, "Plage d’été.jpg", NULL);
  lb_folder_model_set_filter_text (model, "t");
  assert_names (model, "trips", "notes.txt", "Plage d’été.jpg", NULL);
  lb_folder_model_set_filter_text (model, "");
  assert_names (model, "trips", "notes.txt", "Plage d’été.jpg", "scan.pdf", NULL);

  lb_test_mirror_check (mirror);
}
END_TEST

/* --- watching ------------------------------------------------------------ */

static LbFileItem *
get_item_named (LbFolderModel *model,
                const char    *name)
{
  guint position;

  ck_assert_msg (lb_folder_model_find (model, name, &position), "%s is not shown", name);

  return g_list_model_get_item (G_LIST_MODEL (model), position);
}

typedef struct {
  LbFileItem *item;
  gint64      modified;
} Change;

static gboolean
has_changed (gpointer data)
{
  Change *change = data;

  return lb_file_item_get_modified (change->item) != change->modified;
}

START_TEST (test_monitor)
{
  g_autofree char *old_path = lb_test_write_file (lb_test_tmp_dir, "b.jpg", 10, 0);
  g_autofree char *new_path = g_build_filename (lb_test_tmp_dir, "c.jpg", NULL);
  g_autofree char *doomed = lb_test_write_file (lb_test_tmp_dir, "a.jpg", 10, 0);
  g_autofree char *changing = lb_test_write_file (lb_test_tmp_dir, "d.jpg", 10, 1600000000);
  g_autofree char *subfolder = NULL;
  g_autoptr(LbFolderModel) model = list_folder (lb_test_tmp_dir);
  g_autoptr(LbTestMirror) mirror = lb_test_mirror_new (G_LIST_MODEL (model));
  g_autoptr(LbFileItem) changed = NULL;
  Lookup lookup = { model, NULL };
  Change change;

  assert_names (model, "a.jpg", "b.jpg", "d.jpg", NULL);

  /* Added */
  g_free (lb_test_write_file (lb_test_tmp_dir, "new.jpg", 10, 0));
  lookup.name = "new.jpg";
  ck_assert (lb_test_wait_for (is_shown, &lookup));

  /* Removed */
  ck_assert_int_eq (g_unlink (doomed), 0);
  lookup.name = "a.jpg";
  ck_assert (lb_test_wait_for (is_gone, &lookup));

  /* Renamed */
  ck_assert_int_eq (g_rename (old_path, new_path), 0);
  lookup.name = "c.jpg";
  ck_assert (lb_test_wait_for (is_shown, &lookup));
  lookup.name = "b.jpg";
  ck_assert (lb_test_wait_for (is_gone, &lookup));

  /* Changed: the same item, updated, its thumbnail to be made again. */
  changed = get_item_named (model, "d.jpg");
  lb_file_item_set_thumbnail_state (changed, LB_THUMBNAIL_STATE_READY);
  change.item = changed;
  change.modified = lb_file_item_get_modified (changed);
  g_free (lb_test_write_file (lb_test_tmp_dir, "d.jpg", 5000, 1700000000));
  ck_assert (lb_test_wait_for (has_changed, &change));
  ck_assert_int_eq (lb_file_item_get_modified (changed), 1700000000);
  ck_assert_uint_eq (lb_file_item_get_size (changed), 5000);
  ck_assert_int_eq (lb_file_item_get_thumbnail_state (changed), LB_THUMBNAIL_STATE_NONE);
  {
    g_autoptr(LbFileItem) again = get_item_named (model, "d.jpg");

    ck_assert_ptr_eq (again, changed);
  }

  /* A folder appears, first in the list, and goes. */
  subfolder = lb_test_make_folder (lb_test_tmp_dir, "zz-folder");
  lookup.name = "zz-folder";
  ck_assert (lb_test_wait_for (is_shown, &lookup));
  assert_names (model, "zz-folder", "c.jpg", "d.jpg", "new.jpg", NULL);
  ck_assert_int_eq (g_rmdir (subfolder), 0);
  ck_assert (lb_test_wait_for (is_gone, &lookup));

  assert_names (model, "c.jpg", "d.jpg", "new.jpg", NULL);
  lb_test_mirror_check (mirror);
}
END_TEST

static gboolean
has_error (gpointer data)
{
  return lb_folder_model_get_error (data) != NULL;
}

START_TEST (test_folder_deleted_while_shown)
{
  g_autofree char *folder = lb_test_make_folder (lb_test_tmp_dir, "short-lived");
  g_autofree char *inside = lb_test_write_file (folder, "x.jpg", 10, 0);
  g_autoptr(LbFolderModel) model = list_folder (folder);

  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (model)), 1);

  ck_assert_int_eq (g_unlink (inside), 0);
  ck_assert_int_eq (g_rmdir (folder), 0);
  ck_assert (lb_test_wait_for (has_error, model));
  ck_assert (g_error_matches (lb_folder_model_get_error (model), G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (model)), 0);
}
END_TEST

/* Every item of the first folder that ever went into the model. */
static void
record_old_items_cb (GListModel *list,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  GPtrArray *old_items = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (list, i);
      const char *name = lb_file_item_get_name (item);

      if (g_str_has_prefix (name, "old-") || g_str_equal (name, "later"))
        g_ptr_array_add (old_items, g_strdup (name));
    }
}

/* Writes @name into @folder and waits for the model to show it: what was
 * on its way to the model before it has come by then. */
static void
show_marker (LbFolderModel *model,
             const char    *folder,
             const char    *name)
{
  Lookup lookup = { model, name };

  g_free (lb_test_write_file (folder, name, 0, 0));
  ck_assert (lb_test_wait_for (is_shown, &lookup));
}

START_TEST (test_changing_folder_drops_the_old_one)
{
  g_autofree char *first = lb_test_make_folder (lb_test_tmp_dir, "first");
  g_autofree char *second = lb_test_make_folder (lb_test_tmp_dir, "second");
  g_autoptr(GPtrArray) old_items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LbFolderModel) model = lb_folder_model_new ();
  g_autoptr(GFile) first_file = g_file_new_for_path (first);
  g_autoptr(GFile) second_file = g_file_new_for_path (second);

  for (guint i = 0; i < BIG_FOLDER_SIZE; i++)
    {
      g_autofree char *name = g_strdup_printf ("old-%u", i);

      g_free (lb_test_write_file (first, name, 0, 0));
    }
  g_free (lb_test_write_file (second, "new", 0, 0));
  g_signal_connect (model, "items-changed", G_CALLBACK (record_old_items_cb), old_items);

  /* Straight on to the next folder: nothing of the first may arrive, not
   * even after a file of the second made once it was listed. */
  lb_folder_model_set_folder (model, first_file);
  lb_folder_model_set_folder (model, second_file);
  ck_assert (lb_test_wait_for (is_listed, model));
  show_marker (model, second, "marker-1");
  assert_names (model, "marker-1", "new", NULL);

  /* Nor from its monitor: its event is read before that of a file made
   * in the second folder after it. */
  g_free (lb_test_write_file (first, "later", 0, 0));
  show_marker (model, second, "marker-2");
  assert_names (model, "marker-1", "marker-2", "new", NULL);

  ck_assert_msg (old_items->len == 0, "%s of the old folder arrived",
                 old_items->len > 0 ? (char *) g_ptr_array_index (old_items, 0) : "");
  g_signal_handlers_disconnect_by_func (model, record_old_items_cb, old_items);
}
END_TEST

static Suite *
folder_model_suite (void)
{
  Suite *suite = suite_create ("folder-model");
  TCase *listing = tcase_create ("listing");
  TCase *sorting = tcase_create ("sorting");
  TCase *filtering = tcase_create ("filtering");
  TCase *watching = tcase_create ("watching");
  TCase *tcases[] = { listing, sorting, filtering, watching };

  for (guint i = 0; i < G_N_ELEMENTS (tcases); i++)
    {
      tcase_add_checked_fixture (tcases[i], setup, teardown);
      tcase_set_timeout (tcases[i], 300);
      suite_add_tcase (suite, tcases[i]);
    }

  tcase_add_test (listing, test_listing_in_batches);
  tcase_add_test (listing, test_settled_first_items);
  tcase_add_test (listing, test_first_slice_yields_to_redraw);
  tcase_add_test (listing, test_item_properties);
  tcase_add_test (listing, test_missing_folder);
  tcase_add_test (listing, test_permission_denied);
  tcase_add_test (listing, test_changing_folder_drops_the_old_one);
  tcase_add_test (sorting, test_natural_order);
  tcase_add_test (sorting, test_folders_first);
  tcase_add_test (sorting, test_sort_keys);
  tcase_add_test (sorting, test_sort_big_folder_on_thread);
  tcase_add_test (filtering, test_filters);
  tcase_add_test (watching, test_monitor);
  tcase_add_test (watching, test_folder_deleted_while_shown);

  return suite;
}

int
main (int   argc,
      char *argv[])
{

  setlocale (LC_ALL, "");

  return lb_test_run_suite (folder_model_suite (), CK_FORK_GETENV);
}
