/* test-thumbnail-loader.c: what the window asks of the engine, and when
 *
 * Headless: a folder model and a loader over the real engine, on images
 * made at test time. No test asserts how long anything takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <locale.h>

#include "lb-browser-test-utils.h"
#include "lb-folder-model.h"
#include "lb-test-fixtures.h"
#include "lb-thumbnail-loader.h"
#include "lb-vips.h"

#define N_IMAGES 120
/* The loader's bounds on prefetches outstanding at once, and while cells
 * wait for their thumbnails. */
#define MAX_PREFETCH 24
#define MAX_PREFETCH_WHILE_WAITING 2

static char *photos;
static char *cache_root;

typedef struct {
  LbFolderModel        *model;
  LbThumbnailScheduler *scheduler;
  LbTextureCache       *textures;
  LbThumbnailLoader    *loader;
  guint                 most_loading;
} Fixture;

/* A folder of photos, and a thumbnail cache of each test's own. */
static void
setup (void)
{
  lb_test_tmp_dir_setup ();
  photos = lb_test_make_folder (lb_test_tmp_dir, "photos");
  cache_root = g_build_filename (lb_test_tmp_dir, "thumbnails", NULL);
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%03u.jpg", i);

      g_free (lb_test_write_image (photos, name, LB_TEST_FORMAT_JPEG, 64, 48, 1));
    }
}

static void
teardown (void)
{
  lb_test_tmp_dir_teardown ();
  g_clear_pointer (&photos, g_free);
  g_clear_pointer (&cache_root, g_free);
}

static gboolean
is_listed (gpointer data)
{
  return !lb_folder_model_get_loading (data);
}

static void
fixture_init (Fixture *fixture)
{
  g_autoptr(GFile) folder = g_file_new_for_path (photos);
  g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (cache_root);

  fixture->model = lb_folder_model_new ();
  fixture->scheduler = lb_thumbnail_scheduler_new (cache, 0);
  fixture->textures = lb_texture_cache_new (64 * 1024 * 1024);
  fixture->loader = lb_thumbnail_loader_new (fixture->scheduler, fixture->textures);
  lb_thumbnail_loader_set_model (fixture->loader, G_LIST_MODEL (fixture->model));
  lb_folder_model_set_folder (fixture->model, folder);
  ck_assert (lb_test_wait_for (is_listed, fixture->model));
  ck_assert_uint_eq (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), N_IMAGES);
}

static void
fixture_clear (Fixture *fixture)
{
  lb_thumbnail_loader_set_model (fixture->loader, NULL);
  g_clear_object (&fixture->loader);
  g_clear_object (&fixture->textures);
  g_clear_object (&fixture->scheduler);
  g_clear_object (&fixture->model);
}

static LbFileItem *
item_at (Fixture *fixture,
         guint    position)
{
  return g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
}

/* How many items wait for the engine now; the most seen so far. */
static guint
count_loading (Fixture *fixture)
{
  guint n = 0;

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(LbFileItem) item = item_at (fixture, i);

      if (lb_file_item_get_thumbnail_state (item) == LB_THUMBNAIL_STATE_LOADING)
        n++;
    }

  fixture->most_loading = MAX (fixture->most_loading, n);

  return n;
}

static gboolean
is_complete (gpointer data)
{
  Fixture *fixture = data;

  count_loading (fixture);

  return lb_thumbnail_loader_get_complete (fixture->loader);
}

/* Every request the loader made has called back, cancelled or not. */
static gboolean
is_unanswered_none (gpointer data)
{
  Fixture *fixture = data;

  return lb_thumbnail_loader_get_n_unanswered (fixture->loader) == 0;
}

typedef struct {
  Fixture *fixture;
  guint    n;
} Bound;

/* What cells do as they come into view, and as they go. */
static void
bound_bind (Bound *bound)
{
  for (guint i = 0; i < bound->n; i++)
    {
      g_autoptr(LbFileItem) item = item_at (bound->fixture, i);

      lb_thumbnail_loader_bind (bound->fixture->loader, item, NULL, NULL);
    }
}

static void
bound_unbind (Bound *bound)
{
  for (guint i = 0; i < bound->n; i++)
    {
      g_autoptr(LbFileItem) item = item_at (bound->fixture, i);

      lb_thumbnail_loader_unbind (bound->fixture->loader, item);
    }
}

static gboolean
has_textures (gpointer data)
{
  Bound *bound = data;

  for (guint i = 0; i < bound->n; i++)
    {
      g_autoptr(LbFileItem) item = item_at (bound->fixture, i);
      gboolean exact = FALSE;

      if (lb_thumbnail_loader_lookup (bound->fixture->loader, item, NULL, &exact) == NULL || !exact)
        return FALSE;
    }

  return TRUE;
}

START_TEST (test_bound_items_get_textures)
{
  Fixture fixture = { 0 };
  Bound bound = { &fixture, 6 };

  fixture_init (&fixture);
  lb_thumbnail_loader_set_size (fixture.loader, LB_THUMBNAIL_SIZE_NORMAL);

  /* What cells do: with pixels, kept as textures at the size shown. */
  bound_bind (&bound);
  ck_assert_uint_eq (lb_thumbnail_loader_get_n_waiting (fixture.loader), bound.n);
  ck_assert (lb_test_wait_for (has_textures, &bound));
  ck_assert_uint_eq (lb_thumbnail_loader_get_n_waiting (fixture.loader), 0);
  ck_assert_uint_gt (lb_texture_cache_get_bytes (fixture.textures), 0);

  /* Nothing else was asked for: no prefetching before it is allowed.
   * Anything the loader started would still be unanswered, or done. */
  ck_assert (lb_test_wait_for (is_unanswered_none, &fixture));
  for (guint i = bound.n; i < N_IMAGES; i++)
    {
      g_autoptr(LbFileItem) other = item_at (&fixture, i);

      ck_assert_int_eq (lb_file_item_get_thumbnail_state (other), LB_THUMBNAIL_STATE_NONE);
    }

  bound_unbind (&bound);
  fixture_clear (&fixture);
}
END_TEST

START_TEST (test_prefetch_is_bounded_and_fills_the_disk_cache)
{
  Fixture fixture = { 0 };
  g_autofree char *normal = g_build_filename (cache_root, "normal", NULL);
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;

  fixture_init (&fixture);
  lb_thumbnail_loader_set_size (fixture.loader, LB_THUMBNAIL_SIZE_NORMAL);
  lb_thumbnail_loader_set_prefetch (fixture.loader, TRUE);

  ck_assert (lb_test_wait_for (is_complete, &fixture));
  ck_assert_uint_eq (lb_thumbnail_loader_get_n_images (fixture.loader), N_IMAGES);
  ck_assert_uint_eq (lb_thumbnail_loader_get_n_done (fixture.loader), N_IMAGES);

  /* A bounded number at a time, into the disk cache only. */
  ck_assert_uint_gt (fixture.most_loading, 0);
  ck_assert_uint_le (fixture.most_loading, MAX_PREFETCH);
  ck_assert_uint_eq (lb_texture_cache_get_bytes (fixture.textures), 0);
  dir = g_dir_open (normal, 0, NULL);
  ck_assert_ptr_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  ck_assert_uint_eq (n_files, N_IMAGES);

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(LbFileItem) item = item_at (&fixture, i);

      ck_assert_int_eq (lb_file_item_get_thumbnail_state (item), LB_THUMBNAIL_STATE_READY);
    }

  fixture_clear (&fixture);
}
END_TEST

/* While cells wait, a couple of prefetches keep a decoder busy that the
 * last waiting cells would leave idle; the rest follow once they are in. */
START_TEST (test_prefetch_while_cells_wait)
{
  Fixture fixture = { 0 };
  Bound bound = { &fixture, 6 };

  fixture_init (&fixture);
  /* A size no other test fills, so that nothing is a cache hit. */
  lb_thumbnail_loader_set_size (fixture.loader, LB_THUMBNAIL_SIZE_X_LARGE);
  bound_bind (&bound);
  lb_thumbnail_loader_set_prefetch (fixture.loader, TRUE);
  ck_assert_uint_eq (count_loading (&fixture), bound.n + MAX_PREFETCH_WHILE_WAITING);

  ck_assert (lb_test_wait_for (has_textures, &bound));
  ck_assert (lb_test_wait_for (is_complete, &fixture));
  ck_assert_uint_eq (lb_thumbnail_loader_get_n_done (fixture.loader), N_IMAGES);

  bound_unbind (&bound);
  fixture_clear (&fixture);
}
END_TEST

START_TEST (test_leaving_cancels_everything)
{
  Fixture fixture = { 0 };

  fixture_init (&fixture);
  /* A size no other test fills, so that nothing is a cache hit. */
  lb_thumbnail_loader_set_size (fixture.loader, LB_THUMBNAIL_SIZE_XX_LARGE);
  lb_thumbnail_loader_set_prefetch (fixture.loader, TRUE);
  ck_assert_uint_gt (count_loading (&fixture), 0);

  /* A new folder: every request dropped, every state forgotten, and
   * nothing that was under way comes back. */
  lb_thumbnail_loader_reset (fixture.loader);
  lb_thumbnail_loader_set_prefetch (fixture.loader, FALSE);
  ck_assert_uint_eq (count_loading (&fixture), 0);
  ck_assert_uint_gt (lb_thumbnail_loader_get_n_unanswered (fixture.loader), 0);
  /* Every cancelled request has called back: whatever could come back did. */
  ck_assert (lb_test_wait_for (is_unanswered_none, &fixture));
  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autoptr(LbFileItem) item = item_at (&fixture, i);

      ck_assert_int_eq (lb_file_item_get_thumbnail_state (item), LB_THUMBNAIL_STATE_NONE);
    }

  fixture_clear (&fixture);
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite = suite_create ("thumbnail-loader");
  TCase *tcase = tcase_create ("thumbnail-loader");

  setlocale (LC_ALL, "");
  lb_vips_init (argv[0]);

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 300);
  tcase_add_test (tcase, test_bound_items_get_textures);
  tcase_add_test (tcase, test_prefetch_is_bounded_and_fills_the_disk_cache);
  tcase_add_test (tcase, test_prefetch_while_cells_wait);
  tcase_add_test (tcase, test_leaving_cancels_everything);
  suite_add_tcase (suite, tcase);

  return lb_test_run_suite (suite, CK_FORK_GETENV);
}
