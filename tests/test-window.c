/* test-window.c: the real Lightbox window, driven under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "lb-application.h"
#include "lb-test-fixtures.h"
#include "lb-thumbnail-render.h"
#include "lb-window.h"

/* Generous bound so a loaded CI machine cannot fail a correct build;
 * the tests assert what appears, never how fast. */
#define WAIT_LIMIT_US (120 * G_USEC_PER_SEC)

static char *tmp_dir;

static void
write_photo (const char *folder,
             const char *name,
             int         width,
             int         height)
{
  LbTestFormat format = LB_TEST_FORMAT_JPEG;
  g_autofree char *path = NULL;

  if (g_str_has_suffix (name, ".png"))
    format = LB_TEST_FORMAT_PNG;
  else if (g_str_has_suffix (name, ".webp"))
    format = LB_TEST_FORMAT_WEBP;
  else if (g_str_has_suffix (name, ".tif"))
    format = LB_TEST_FORMAT_TIFF;

  path = lb_test_write_image (folder, name, format, width, height, 1);
  ck_assert (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
setup (void)
{
  tmp_dir = lb_test_make_tmp_dir ();
}

static void
teardown (void)
{
  lb_test_remove_dir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

static LbApplication *
start_application (void)
{
  LbApplication *app = lb_application_new ();
  g_autoptr(GError) error = NULL;

  /* Tests must not hand their work to a Lightbox the user is running. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  ck_assert (g_application_register (G_APPLICATION (app), NULL, &error));

  return app;
}

static LbWindow *
open_folder (LbApplication *app,
             const char    *path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  GList *windows;

  g_application_open (G_APPLICATION (app), &folder, 1, "");
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  ck_assert_ptr_nonnull (windows);

  return LB_WINDOW (windows->data);
}

typedef gboolean (*Condition) (LbWindow *window);

static gboolean
wait_for (LbWindow  *window,
          Condition  condition)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!condition (window))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }

  return TRUE;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
collect_images (GtkWidget *root,
                GPtrArray *images)
{
  if (GTK_IS_IMAGE (root))
    g_ptr_array_add (images, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_images (child, images);
}

static GListModel *
window_get_items (LbWindow *window)
{
  GtkGridView *grid = GTK_GRID_VIEW (find_widget (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW));

  ck_assert_ptr_nonnull (grid);

  return G_LIST_MODEL (gtk_grid_view_get_model (grid));
}

static char *
item_name (GListModel *items,
           guint       position)
{
  g_autoptr(GFileInfo) info = g_list_model_get_item (items, position);

  return g_strdup (g_file_info_get_name (info));
}

/* The number of cells that show a thumbnail texture (not an icon). */
static guint
count_thumbnails (LbWindow *window)
{
  GtkWidget *grid = find_widget (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);
  g_autoptr(GPtrArray) images = g_ptr_array_new ();
  guint n = 0;

  collect_images (grid, images);
  for (guint i = 0; i < images->len; i++)
    {
      GtkImage *image = g_ptr_array_index (images, i);

      if (gtk_image_get_storage_type (image) == GTK_IMAGE_PAINTABLE &&
          GDK_IS_TEXTURE (gtk_image_get_paintable (image)))
        n++;
    }

  return n;
}

static gboolean
has_seven_items (LbWindow *window)
{
  return g_list_model_get_n_items (window_get_items (window)) == 7;
}

static gboolean
has_six_thumbnails (LbWindow *window)
{
  return count_thumbnails (window) == 6;
}

static gboolean
shows_status (LbWindow *window)
{
  GtkStack *stack = GTK_STACK (find_widget (GTK_WIDGET (window), GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "status") == 0;
}

static const char *
status_title (LbWindow *window)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE));

  return adw_status_page_get_title (page);
}

START_TEST (test_window_shows_folder)
{
  g_autofree char *folder = g_build_filename (tmp_dir, "Holiday 2026", NULL);
  g_autofree char *subfolder = g_build_filename (folder, "zz-raw", NULL);
  g_autoptr(LbApplication) app = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *last = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *cache_home = g_strdup (g_get_user_cache_dir ());
  LbWindow *window;
  GListModel *items;

  ck_assert_int_eq (g_mkdir_with_parents (subfolder, 0700), 0);
  write_photo (folder, "img-10.jpg", 640, 480);
  write_photo (folder, "img-2.jpg", 480, 640);
  write_photo (folder, "img-1.png", 300, 200);
  write_photo (folder, "beach.webp", 800, 450);
  write_photo (folder, "sunset.tif", 500, 500);
  write_photo (folder, "Zebra.jpg", 256, 256);
  write_photo (folder, ".hidden.jpg", 64, 64);

  app = start_application ();
  window = open_folder (app, folder);

  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (window)), "Holiday 2026");
  ck_assert (wait_for (window, has_seven_items));

  /* Folders first, then natural order; the hidden file stays hidden. */
  items = window_get_items (window);
  first = item_name (items, 0);
  second = item_name (items, 2);
  third = item_name (items, 3);
  last = item_name (items, 6);
  ck_assert_str_eq (first, "zz-raw");
  ck_assert_str_eq (second, "img-1.png");
  ck_assert_str_eq (third, "img-2.jpg");
  ck_assert_str_eq (last, "Zebra.jpg");

  /* Every image of the folder ends up as a real thumbnail in its cell,
   * made by the engine and written to the (private) shared cache. */
  ck_assert (wait_for (window, has_six_thumbnails));
  cached = g_build_filename (cache_home, "thumbnails", "large", NULL);
  ck_assert (g_file_test (cached, G_FILE_TEST_IS_DIR));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_missing_folder)
{
  g_autofree char *missing = g_build_filename (tmp_dir, "gone", NULL);
  g_autoptr(LbApplication) app = start_application ();
  LbWindow *window = open_folder (app, missing);

  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (window)), "gone");
  ck_assert (wait_for (window, shows_status));
  ck_assert_str_eq (status_title (window), "Folder Not Found");

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_empty_folder_in_german)
{
  g_autofree char *empty = g_build_filename (tmp_dir, "leer", NULL);
  g_autoptr(LbApplication) app = NULL;
  LbWindow *window;

  /* The freshly built catalogue, as `meson test` has it in the build dir. */
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LIGHTBOX_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  ck_assert_int_eq (g_mkdir_with_parents (empty, 0700), 0);
  app = start_application ();
  window = open_folder (app, empty);

  ck_assert (wait_for (window, shows_status));
  ck_assert_str_eq (status_title (window), "Der Ordner ist leer");

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

static Suite *
window_suite (void)
{
  Suite *suite = suite_create ("window");
  TCase *tcase = tcase_create ("window");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 300);
  tcase_add_test (tcase, test_window_shows_folder);
  tcase_add_test (tcase, test_window_missing_folder);
  tcase_add_test (tcase, test_window_empty_folder_in_german);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{
  SRunner *runner;
  int failed;

  /* Thumbnails go to a private cache, never the user's. */
  g_autofree char *cache_home = lb_test_set_cache_home ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LIGHTBOX_LOCALEDIR"));
  textdomain (GETTEXT_PACKAGE);
  lb_vips_init (argv[0]);

  runner = srunner_create (window_suite ());
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  lb_test_remove_dir (cache_home);

  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
