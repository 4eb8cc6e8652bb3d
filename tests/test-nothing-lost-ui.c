/* test-nothing-lost-ui.c: the window writes only to its cache, too
 *
 * The user folder of test-nothing-lost, fingerprinted before and after a
 * session in the real window under Xvfb: browse into it and its
 * subfolder and back, scroll, zoom in and out at every step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <locale.h>

#include "lb-test-fixtures.h"
#include "lb-test-ui.h"
#include "lb-vips.h"


static void
wait_until_idle (LbWindow *window)
{
  ck_assert_msg (lb_test_wait_until_idle (window), "the window stayed busy");
}

/* Scrolls, zooms in twice and out twice, waiting each time. */
static void
look_around (LbWindow *window)
{
  static const char * const zooms[] = {
    "win.zoom-in", "win.zoom-in", "win.zoom-out", "win.zoom-out",
  };

  wait_until_idle (window);
  if (lb_test_scroll_to_bottom (GTK_WIDGET (window)))
    wait_until_idle (window);
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), zooms[i], NULL);
      wait_until_idle (window);
    }
}

static guint
count_pngs (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_pngs (path);
      else if (g_str_has_suffix (name, ".png"))
        n++;
    }

  return n;
}

START_TEST (test_nothing_lost_in_the_window)
{
  g_autofree char *folder = g_build_filename (lb_test_tmp_dir, "Pictures", NULL);
  g_autofree char *sub = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(LbApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) subfolder = NULL;
  g_autoptr(GFile) parent = NULL;
  LbWindow *window;

  lb_test_make_user_folder (folder);
  sub = g_build_filename (folder, "2019 holidays", NULL);
  file = g_file_new_for_path (folder);
  subfolder = g_file_new_for_path (sub);
  parent = g_file_get_parent (file);
  before = lb_test_fingerprint (folder);

  app = lb_test_application_new (&error);
  ck_assert (app != NULL);
  window = lb_application_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));

  lb_window_set_folder (window, file);
  look_around (window);
  lb_window_set_folder (window, subfolder);
  look_around (window);
  lb_window_set_folder (window, parent);
  look_around (window);
  lb_window_set_folder (window, file);
  look_around (window);

  gtk_window_destroy (GTK_WINDOW (window));
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);

  after = lb_test_fingerprint (folder);
  lb_test_assert_same_fingerprint (before, after);

  /* The session did happen: the window filled the cache. */
  ck_assert_uint_gt (count_pngs (g_get_user_cache_dir ()), 0);
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite = suite_create ("nothing-lost-ui");
  TCase *tcase = tcase_create ("window");
  int status;
  /* Thumbnails go to a private cache, never the user's. */
  g_autofree char *cache_home = lb_test_set_cache_home ();

  setlocale (LC_ALL, "");
  lb_vips_init (argv[0]);

  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_add_test (tcase, test_nothing_lost_in_the_window);
  suite_add_tcase (suite, tcase);

  status = lb_test_run_suite (suite, CK_FORK_GETENV);
  lb_test_remove_dir (cache_home);

  return status;
}
