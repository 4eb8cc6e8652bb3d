/* test-translation.c: every catalogue the build makes is loaded and used
 *
 * The real window under Xvfb, in each language Lightbox ships: it must
 * say what an empty folder is in that language. The catalogues are those
 * of the build folder ($LIGHTBOX_LOCALEDIR); a catalogue this test does
 * not know fails it, so that a new language comes with its check. The
 * language is chosen with LANGUAGE over the suite's C.UTF-8 locale,
 * which gettext honours without any locale of that language installed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "lb-application.h"
#include "lb-browser-test-utils.h"
#include "lb-test-fixtures.h"
#include "lb-test-ui.h"
#include "lb-vips.h"
#include "lb-window.h"

/* What the window says of an empty folder, in each shipped language. */
static const struct {
  const char *language;
  const char *empty_folder;
} translations[] = {
  { "de", "Der Ordner ist leer" },
  { "fr", "Le dossier est vide" },
};

static gboolean
shows_status (gpointer data)
{
  GtkWidget *status = lb_test_find_widget (GTK_WIDGET (data), ADW_TYPE_STATUS_PAGE);
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (status, GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "status") == 0;
}

START_TEST (test_translation_empty_folder)
{
  g_autofree char *empty = g_build_filename (lb_test_tmp_dir, "empty", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (empty);
  g_autoptr(LbApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *status;
  LbWindow *window;

  g_setenv ("LANGUAGE", translations[_i].language, TRUE);
  ck_assert_int_eq (g_mkdir_with_parents (empty, 0700), 0);
  app = lb_test_application_new (&error);
  ck_assert_msg (app != NULL, "%s", error ? error->message : "");

  window = lb_application_new_window (app);
  lb_window_set_folder (window, folder);
  gtk_window_present (GTK_WINDOW (window));

  ck_assert (lb_test_wait_for (shows_status, window));
  status = lb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  ck_assert_str_eq (adw_status_page_get_title (ADW_STATUS_PAGE (status)),
                    translations[_i].empty_folder);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* Every catalogue built is one of those checked above, and the other
 * way round. */
START_TEST (test_translation_every_catalogue)
{
  const char *localedir = g_getenv ("LIGHTBOX_LOCALEDIR");
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_found = 0;

  ck_assert_ptr_nonnull (localedir);
  dir = g_dir_open (localedir, 0, &error);
  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *catalogue = g_build_filename (localedir, name, "LC_MESSAGES",
                                                     GETTEXT_PACKAGE ".mo", NULL);
      gboolean known = FALSE;

      if (!g_file_test (catalogue, G_FILE_TEST_IS_REGULAR))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (translations); i++)
        known = known || g_str_equal (translations[i].language, name);
      ck_assert_msg (known, "no check for the catalogue %s", catalogue);
      n_found++;
    }

  ck_assert_uint_eq (n_found, G_N_ELEMENTS (translations));
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = lb_test_set_cache_home ();
  Suite *suite = suite_create ("translation");
  TCase *tcase = tcase_create ("window");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LIGHTBOX_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  lb_vips_init (argv[0]);

  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_set_timeout (tcase, 300);
  tcase_add_loop_test (tcase, test_translation_empty_folder, 0, G_N_ELEMENTS (translations));
  tcase_add_test (tcase, test_translation_every_catalogue);
  suite_add_tcase (suite, tcase);

  status = lb_test_run_suite (suite, CK_FORK_GETENV);
  lb_test_remove_dir (cache_home);

  return status;
}
