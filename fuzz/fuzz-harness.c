/* fuzz-harness.c: set-up shared by the harnesses of fuzz/
 *
 * Called from LLVMFuzzerInitialize(), on the fuzzing thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "fuzz-harness.h"
#include "lb-test-fixtures.h"
#include "lb-vips.h"

static GPtrArray *tmp_dirs;

static void
ignore_log (const char     *log_domain,
            GLogLevelFlags  log_level,
            const char     *message,
            gpointer        user_data)
{
}

void
fuzz_init_vips (const char *argv0)
{
  lb_vips_init (argv0);
  g_log_set_handler ("VIPS", G_LOG_LEVEL_MASK, ignore_log, NULL);
  g_log_set_handler ("GLib-GObject", G_LOG_LEVEL_WARNING, ignore_log, NULL);
}

static void
remove_tmp_dirs (void)
{
  for (guint i = 0; i < tmp_dirs->len; i++)
    lb_test_remove_dir (g_ptr_array_index (tmp_dirs, i));
  g_clear_pointer (&tmp_dirs, g_ptr_array_unref);
}

char *
fuzz_make_tmp_dir (void)
{
  char *dir = lb_test_make_tmp_dir ();

  if (tmp_dirs == NULL)
    {
      tmp_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmp_dirs);
    }
  g_ptr_array_add (tmp_dirs, g_strdup (dir));

  return dir;
}
