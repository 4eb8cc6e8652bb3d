/* lb-folder-enumerate.c
 *
 * Threads: any; blocking (see lb-folder-enumerate.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-folder-enumerate"

#include "lb-folder-enumerate.h"

gboolean
lb_folder_enumerate (GFile                *folder,
                     const char           *attributes,
                     GFileQueryInfoFlags   flags,
                     GCancellable         *cancellable,
                     LbFolderChildFunc     func,
                     gpointer              user_data,
                     GError              **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;

  g_return_val_if_fail (G_IS_FILE (folder), FALSE);
  g_return_val_if_fail (attributes != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  enumerator = g_file_enumerate_children (folder, attributes, flags, cancellable, error);
  if (enumerator == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        return TRUE;

      func (child, info, user_data);
    }
}
