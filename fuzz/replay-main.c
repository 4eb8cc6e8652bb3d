/* replay-main.c: runs a fuzz harness over files, without libFuzzer
 *
 *   fuzz-NAME-replay [--make-seeds] [--regressions DIR] [FILE|DIR…]
 *
 * Linked with one harness (fuzz-NAME.c) in place of libFuzzer: calls
 * its LLVMFuzzerTestOneInput() once for each FILE and for each file in
 * each DIR; with --make-seeds, first for each of the harness' seeds,
 * made in a temporary folder (fuzz-seeds.h); with --regressions, for
 * each file of DIR if it exists (fuzz/regressions/NAME/: inputs that
 * once failed). The test suite runs it with both, so that the seeds and
 * the regressions are a regression test in every build, and a real one
 * under AddressSanitizer; by hand it replays a crash found by libFuzzer
 * in a gcc build. Fails when there was nothing to replay; a failing
 * input fails it by the harness' own assertion or crash, its path
 * printed just before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-harness.h"
#include "fuzz-seeds.h"
#include "lb-vips.h"

/* Optional, as for libFuzzer. */
#pragma weak LLVMFuzzerInitialize

static guint n_replayed;

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *input = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("replay: %s", error->message);

  /* A copy of exactly the input's size, as libFuzzer passes it, so that
   * AddressSanitizer sees a read one byte past the end. */
  input = g_memdup2 (contents, length);
  /* Unbuffered: a crash must not swallow which input it was. */
  g_printerr ("replay: %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput (input, length);
  n_replayed++;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Files of @dir in name order, for runs that compare. */
static void
replay_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    g_error ("replay: %s", error->message);

  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        replay_file (path);
    }
}

static void
replay_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    replay_dir (path);
  else
    replay_file (path);
}

int
main (int   argc,
      char *argv[])
{
  gboolean make_seeds = FALSE;
  g_autofree char *regressions = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "make-seeds", 0, 0, G_OPTION_ARG_NONE, &make_seeds,
      "Replay the seeds of fuzz-" FUZZ_HARNESS ", made in a temporary folder", NULL },
    { "regressions", 0, 0, G_OPTION_ARG_FILENAME, &regressions,
      "Replay every file of DIR, if it exists", "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "[FILE|DIR…]" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Runs the fuzz harness fuzz-" FUZZ_HARNESS
                                         " over files, as libFuzzer would once each.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  if (make_seeds)
    {
      g_autofree char *dir = lb_test_make_tmp_dir ();
      gboolean made;

      lb_vips_init (argv[0]);
      made = fuzz_seeds_write (FUZZ_HARNESS, dir);
      if (made)
        replay_dir (dir);
      lb_test_remove_dir (dir);
      if (!made)
        return 1;
    }

  if (regressions != NULL && g_file_test (regressions, G_FILE_TEST_IS_DIR))
    replay_dir (regressions);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    replay_path (paths[i]);

  if (n_replayed == 0)
    {
      g_printerr ("replay: no input to replay\n");
      return 1;
    }
  g_print ("replay: fuzz-%s took %u inputs\n", FUZZ_HARNESS, n_replayed);

  return 0;
}
