/* test-thumbnailer-cli.c: lightbox-thumbnailer as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "lb-test-fixtures.h"
#include "lb-vips.h"

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

typedef struct {
  int   status;
  char *out;
  char *err;
} Output;

static void
output_clear (Output *output)
{
  g_clear_pointer (&output->out, g_free);
  g_clear_pointer (&output->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Output, output_clear)

/* Runs lightbox-thumbnailer with @args in the C locale, with the test's
 * own cache and @name set to @value in its environment (unless NULL). */
static void
run_valist (Output     *output,
            gboolean    checked,
            const char *name,
            const char *value,
            const char *first_arg,
            va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_auto(GStrv) wrapper = NULL;
  const char *wrapper_line = g_getenv ("LIGHTBOX_THUMBNAILER_WRAPPER");
  int wait_status = 0;

  /* A checked run goes through the wrapper tests/run-checked-builds
   * gives (valgrind): one with an error exits non-zero. */
  if (checked && wrapper_line != NULL && *wrapper_line != '\0')
    {
      ck_assert_msg (g_shell_parse_argv (wrapper_line, NULL, &wrapper, &error),
                     "%s", error ? error->message : "");
      for (guint i = 0; wrapper[i] != NULL; i++)
        g_ptr_array_add (argv, wrapper[i]);
    }
  g_ptr_array_add (argv, (char *) g_getenv ("LIGHTBOX_THUMBNAILER"));
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache_home, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  if (name != NULL)
    envp = g_environ_setenv (envp, name, value, TRUE);

  ck_assert_ptr_nonnull (g_getenv ("LIGHTBOX_THUMBNAILER"));
  ck_assert_msg (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &output->out, &output->err, &wait_status, &error),
                 "%s", error ? error->message : "");
  ck_assert (WIFEXITED (wait_status));
  output->status = WEXITSTATUS (wait_status);
}

/* @args: NULL-terminated */
static void
run (Output     *output,
     const char *first_arg,
     ...)
{
  va_list args;

  va_start (args, first_arg);
  run_valist (output, FALSE, NULL, NULL, first_arg, args);
  va_end (args);
}

/* run(), under $LIGHTBOX_THUMBNAILER_WRAPPER when set. */
static void
run_checked (Output     *output,
             const char *first_arg,
             ...)
{
  va_list args;

  va_start (args, first_arg);
  run_valist (output, TRUE, NULL, NULL, first_arg, args);
  va_end (args);
}

/* run_checked(), with @name set to @value in its environment. */
static void
run_with_env (Output     *output,
              const char *name,
              const char *value,
              const char *first_arg,
              ...)
{
  va_list args;

  va_start (args, first_arg);
  run_valist (output, TRUE, name, value, first_arg, args);
  va_end (args);
}

static guint
count_files (const char *size_name)
{
  g_autofree char *path = g_build_filename (cache_home, "thumbnails", size_name, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* A folder of three images, a broken one, a text file and a subfolder
 * with one more image. */
static char *
make_folder (void)
{
  g_autofree char *folder = g_build_filename (lb_test_tmp_dir, "photos", NULL);
  g_autofree char *sub = g_build_filename (folder, "sub", NULL);

  ck_assert_int_eq (g_mkdir_with_parents (sub, 0700), 0);
  g_free (lb_test_write_image (folder, "a.jpg", LB_TEST_FORMAT_JPEG, 600, 400, 1));
  g_free (lb_test_write_image (folder, "b.png", LB_TEST_FORMAT_PNG, 300, 300, 1));
  g_free (lb_test_write_image (folder, "c.webp", LB_TEST_FORMAT_WEBP, 400, 600, 1));
  g_free (lb_test_write_bad_file (folder, "broken.jpg", LB_TEST_BAD_TRUNCATED_JPEG));
  g_free (lb_test_write_bad_file (folder, "notes.txt", LB_TEST_BAD_TEXT));
  g_free (lb_test_write_image (sub, "d.jpg", LB_TEST_FORMAT_JPEG, 600, 400, 1));

  return g_steal_pointer (&folder);
}

START_TEST (test_cli_fills_cache)
{
  g_autofree char *folder = make_folder ();
  g_auto(Output) first = { 0, };
  g_auto(Output) second = { 0, };
  g_auto(Output) forced = { 0, };

  run_checked (&first, folder, NULL);
  ck_assert_msg (first.status == 0, "%s", first.err);
  ck_assert_msg (g_str_has_prefix (first.out, "3 made, 0 already valid, 1 failed in "),
                 "%s", first.out);
  ck_assert (strstr (first.out, "thumbnails/s") != NULL);
  /* The broken file is named, with the reason; the text file is skipped. */
  ck_assert_msg (strstr (first.err, "broken.jpg") != NULL, "%s", first.err);
  ck_assert (strstr (first.err, "notes.txt") == NULL);
  ck_assert_uint_eq (count_files ("large"), 3);
  ck_assert_uint_eq (count_files ("fail/lightbox-" PACKAGE_VERSION), 1);

  run (&second, folder, NULL);
  ck_assert_int_eq (second.status, 0);
  ck_assert_msg (g_str_has_prefix (second.out, "0 made, 3 already valid, 1 failed in "),
                 "%s", second.out);
  /* A failure recorded earlier is counted, not reported again. */
  ck_assert (strstr (second.err, "broken.jpg") == NULL);

  run (&forced, "--force", folder, NULL);
  ck_assert_int_eq (forced.status, 0);
  ck_assert_msg (g_str_has_prefix (forced.out, "3 made, 0 already valid, 1 failed in "),
                 "%s", forced.out);
}
END_TEST

START_TEST (test_cli_options)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *single = g_build_filename (folder, "a.jpg", NULL);
  g_auto(Output) recursive = { 0, };
  g_auto(Output) normal = { 0, };
  g_auto(Output) file = { 0, };

  run (&recursive, "--recursive", "--jobs=1", "--size=x-large", folder, NULL);
  ck_assert_msg (recursive.status == 0, "%s", recursive.err);
  ck_assert_msg (g_str_has_prefix (recursive.out, "4 made, 0 already valid, 1 failed"),
                 "%s", recursive.out);
  ck_assert_uint_eq (count_files ("x-large"), 4);

  run (&normal, "--size=normal", folder, NULL);
  ck_assert_int_eq (normal.status, 0);
  ck_assert_uint_eq (count_files ("normal"), 3);

  /* A file named on the command line, whatever its folder. */
  run (&file, "--size=xx-large", single, NULL);
  ck_assert_int_eq (file.status, 0);
  ck_assert_msg (g_str_has_prefix (file.out, "1 made, 0 already valid, 0 failed"), "%s", file.out);
  ck_assert_uint_eq (count_files ("xx-large"), 1);
}
END_TEST

START_TEST (test_cli_bad_arguments)
{
  g_autofree char *folder = make_folder ();
  g_autofree char *missing = g_build_filename (lb_test_tmp_dir, "no-such-folder", NULL);
  g_auto(Output) bad_size = { 0, };
  g_auto(Output) bad_jobs = { 0, };
  g_auto(Output) no_paths = { 0, };
  g_auto(Output) bad_option = { 0, };
  g_auto(Output) unreadable = { 0, };

  run (&bad_size, "--size=huge", folder, NULL);
  ck_assert_int_eq (bad_size.status, 1);
  ck_assert_msg (strstr (bad_size.err, "huge") != NULL, "%s", bad_size.err);

  run (&bad_jobs, "--jobs=-3", folder, NULL);
  ck_assert_int_eq (bad_jobs.status, 1);
  ck_assert (strstr (bad_jobs.err, "--jobs") != NULL);

  run (&no_paths, NULL);
  ck_assert_int_eq (no_paths.status, 1);
  ck_assert (strstr (no_paths.err, "--help") != NULL);

  run (&bad_option, "--frobnicate", folder, NULL);
  ck_assert_int_eq (bad_option.status, 1);
  ck_assert (strstr (bad_option.err, "frobnicate") != NULL);

  /* The readable folder is still done, the missing one is reported. */
  run (&unreadable, missing, folder, NULL);
  ck_assert_int_eq (unreadable.status, 2);
  ck_assert_msg (strstr (unreadable.err, "no-such-folder") != NULL, "%s", unreadable.err);
  ck_assert_msg (g_str_has_prefix (unreadable.out, "3 made"), "%s", unreadable.out);
  ck_assert_uint_eq (count_files ("large"), 3);
}
END_TEST

/* The desktop-thumbnailer form, as file managers call it. */
START_TEST (test_cli_thumbnailer_mode)
{
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "photo 1.jpg", LB_TEST_FORMAT_JPEG,
                                               600, 400, 6);
  g_autofree char *broken = lb_test_write_bad_file (lb_test_tmp_dir, "broken.png", LB_TEST_BAD_TRUNCATED_PNG);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *broken_uri = g_filename_to_uri (broken, NULL, NULL);
  g_autofree char *out = g_build_filename (lb_test_tmp_dir, "out.png", NULL);
  g_autofree char *broken_out = g_build_filename (lb_test_tmp_dir, "broken-out.png", NULL);
  g_autoptr(VipsImage) image = NULL;
  g_auto(Output) ok = { 0, };
  g_auto(Output) failed = { 0, };
  g_auto(Output) usage = { 0, };

  run_checked (&ok, "-s", "128", uri, out, NULL);
  ck_assert_msg (ok.status == 0, "%s", ok.err);
  image = vips_image_new_from_file (out, NULL);
  ck_assert_ptr_nonnull (image);
  /* Orientation 6 turns the 600 × 400 landscape into a portrait. */
  ck_assert_int_eq (vips_image_get_width (image), 85);
  ck_assert_int_eq (vips_image_get_height (image), 128);
  /* Nothing goes into the cache in this mode. */
  ck_assert_uint_eq (count_files ("large"), 0);

  run (&failed, "-s", "128", broken_uri, broken_out, NULL);
  ck_assert_int_ne (failed.status, 0);
  ck_assert (!g_file_test (broken_out, G_FILE_TEST_EXISTS));

  run (&usage, "-s", "128", uri, NULL);
  ck_assert_int_eq (usage.status, 1);
}
END_TEST

/* File managers hand the thumbnailer URIs (%u), not always file:// ones.
 * A location GIO reads itself is thumbnailed: here resource://, which
 * the thumbnailer process reads through GLib's G_RESOURCE_OVERLAYS (it
 * has no resources of its own), and which has no modification time. A
 * missing one and a scheme nobody handles fail with the URI and the
 * reason, and a non-zero status. */
START_TEST (test_cli_thumbnailer_mode_uris)
{
  g_autofree char *overlay = g_build_filename (lb_test_tmp_dir, "resources", NULL);
  g_autofree char *overlays = g_strconcat ("/io/github/lightbox/test=", overlay, NULL);
  g_autofree char *out = g_build_filename (lb_test_tmp_dir, "out.png", NULL);
  g_autofree char *missing_out = g_build_filename (lb_test_tmp_dir, "missing-out.png", NULL);
  g_autofree char *foreign_out = g_build_filename (lb_test_tmp_dir, "foreign-out.png", NULL);
  const char *uri = "resource:///io/github/lightbox/test/photo.jpg";
  const char *missing_uri = "resource:///io/github/lightbox/test/missing.jpg";
  const char *foreign_uri = "no-such-scheme://host/photo.jpg";
  g_autoptr(VipsImage) image = NULL;
  g_auto(Output) ok = { 0, };
  g_auto(Output) missing = { 0, };
  g_auto(Output) foreign = { 0, };
  const char *value = NULL;

  ck_assert_int_eq (g_mkdir_with_parents (overlay, 0700), 0);
  g_free (lb_test_write_image (overlay, "photo.jpg", LB_TEST_FORMAT_JPEG, 600, 400, 1));

  run_with_env (&ok, "G_RESOURCE_OVERLAYS", overlays, "-s", "128", uri, out, NULL);
  ck_assert_msg (ok.status == 0, "%s", ok.err);
  image = vips_image_new_from_file (out, NULL);
  ck_assert_ptr_nonnull (image);
  ck_assert_int_eq (vips_image_get_width (image), 128);
  ck_assert_int_eq (vips_image_get_height (image), 85);
  ck_assert_int_eq (vips_image_get_string (image, "png-comment-0-Thumb::URI", &value), 0);
  ck_assert_str_eq (value, uri);
  /* No modification time to record, so none is made up. */
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *field = g_strdup_printf ("png-comment-%d-Thumb::MTime", i);

      ck_assert (vips_image_get_typeof (image, field) == 0);
    }
  ck_assert_uint_eq (count_files ("large"), 0);

  run_with_env (&missing, "G_RESOURCE_OVERLAYS", overlays, "-s", "128", missing_uri, missing_out,
                NULL);
  ck_assert_int_ne (missing.status, 0);
  ck_assert_msg (strstr (missing.err, "lightbox-thumbnailer: resource:///io/github/lightbox/test/missing.jpg: ")
                 != NULL, "%s", missing.err);
  ck_assert (!g_file_test (missing_out, G_FILE_TEST_EXISTS));

  run (&foreign, "-s", "128", foreign_uri, foreign_out, NULL);
  ck_assert_int_ne (foreign.status, 0);
  ck_assert_msg (strstr (foreign.err, "lightbox-thumbnailer: no-such-scheme://host/photo.jpg: ")
                 != NULL, "%s", foreign.err);
  ck_assert (!g_file_test (foreign_out, G_FILE_TEST_EXISTS));
}
END_TEST

/* The installed thumbnailer entry calls the same form. */
START_TEST (test_cli_thumbnailer_entry)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *try_exec = NULL;
  g_auto(GStrv) mime_types = NULL;
  const char *entry_path = g_getenv ("LIGHTBOX_THUMBNAILER_ENTRY");

  ck_assert_ptr_nonnull (entry_path);
  ck_assert_msg (g_key_file_load_from_file (entry, entry_path, G_KEY_FILE_NONE, &error),
                 "%s", error ? error->message : "");

  try_exec = g_key_file_get_string (entry, "Thumbnailer Entry", "TryExec", NULL);
  exec = g_key_file_get_string (entry, "Thumbnailer Entry", "Exec", NULL);
  mime_types = g_key_file_get_string_list (entry, "Thumbnailer Entry", "MimeType", NULL, NULL);
  ck_assert (g_str_has_suffix (try_exec, "/lightbox-thumbnailer"));
  ck_assert (g_str_has_prefix (exec, try_exec));
  ck_assert_str_eq (exec + strlen (try_exec), " -s %s %u %o");
  ck_assert (g_strv_contains ((const char * const *) mime_types, "image/jpeg"));
  ck_assert (g_strv_contains ((const char * const *) mime_types, "image/webp"));
  ck_assert (g_strv_contains ((const char * const *) mime_types, "image/avif"));
}
END_TEST

int
main (int   argc,
      char *argv[])
{
  Suite *suite;
  TCase *tcase;

  lb_vips_init (argv[0]);

  suite = suite_create ("thumbnailer-cli");
  tcase = tcase_create ("cli");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_add_test (tcase, test_cli_fills_cache);
  tcase_add_test (tcase, test_cli_options);
  tcase_add_test (tcase, test_cli_bad_arguments);
  tcase_add_test (tcase, test_cli_thumbnailer_mode);
  tcase_add_test (tcase, test_cli_thumbnailer_mode_uris);
  tcase_add_test (tcase, test_cli_thumbnailer_entry);
  suite_add_tcase (suite, tcase);

  return lb_test_run_suite (suite, CK_FORK_GETENV);
}
