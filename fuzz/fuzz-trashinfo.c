/* fuzz-trashinfo.c: libFuzzer harness for reading .trashinfo records
 *
 * Restoring a file reads every *.trashinfo of the trash folders, which
 * any program of the user's (or, in a shared top-level .Trash, of other
 * users) may have written. The fuzz input is such a record, loaded as
 * lb-trash.c loads it and read by lb_trash_info_read().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-harness.h"
#include "lb-trash-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *original_path = NULL;
  g_autofree char *deletion_date = NULL;

  if (!g_key_file_load_from_data (info, (const char *) data, size, G_KEY_FILE_NONE, NULL))
    return 0;

  if (lb_trash_info_read (info, &original_path, &deletion_date))
    {
      g_assert_nonnull (original_path);
      g_assert_nonnull (deletion_date);
      /* Dates are compared as UTF-8 text. */
      g_assert_true (g_utf8_validate (deletion_date, -1, NULL));
    }
  else
    {
      g_assert_null (original_path);
      g_assert_null (deletion_date);
    }

  return 0;
}
