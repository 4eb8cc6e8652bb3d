/* lb-trash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-trash"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lb-folder-enumerate.h"
#include "lb-trash.h"
#include "lb-trash-private.h"

gboolean
lb_trash_info_read (GKeyFile  *info,
                    char     **original_path,
                    char     **deletion_date)
{
  g_autofree char *escaped = g_key_file_get_string (info, "Trash Info", "Path", NULL);
  g_autofree char *original = escaped != NULL ? g_uri_unescape_string (escaped, NULL) : NULL;
  g_autofree char *date = g_key_file_get_string (info, "Trash Info", "DeletionDate", NULL);

  *original_path = NULL;
  *deletion_date = NULL;
  if (original == NULL || date == NULL)
    return FALSE;

  *original_path = g_steal_pointer (&original);
  *deletion_date = g_steal_pointer (&date);

  return TRUE;
}

/* The newest trash entry for @path among the *.trashinfo of @trash_dir,
 * where paths are absolute or, under @top_dir, relative to it (the
 * freedesktop.org Trash specification). */
static gboolean
find_in_trash_dir (const char  *trash_dir,
                   const char  *top_dir,
                   const char  *path,
                   char       **found_info,
                   char       **found_date)
{
  g_autofree char *info_dir = g_build_filename (trash_dir, "info", NULL);
  g_autoptr(GDir) dir = g_dir_open (info_dir, 0, NULL);
  const char *relative = NULL;
  const char *name;
  gboolean found = FALSE;

  if (dir == NULL)
    return FALSE;

  if (top_dir != NULL && g_str_has_prefix (path, top_dir) && path[strlen (top_dir)] == '/')
    relative = path + strlen (top_dir) + 1;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();
      g_autofree char *info_path = NULL;
      g_autofree char *original = NULL;
      g_autofree char *date = NULL;

      if (!g_str_has_suffix (name, ".trashinfo"))
        continue;

      info_path = g_build_filename (info_dir, name, NULL);
      if (!g_key_file_load_from_file (key_file, info_path, G_KEY_FILE_NONE, NULL))
        continue;

      if (!lb_trash_info_read (key_file, &original, &date) ||
          !(g_str_equal (original, path) || g_strcmp0 (original, relative) == 0))
        continue;

      /* ISO 8601 dates in one zone sort as strings. */
      if (*found_date == NULL || strcmp (date, *found_date) > 0)
        {
          g_free (*found_info);
          g_free (*found_date);
          *found_info = g_steal_pointer (&info_path);
          *found_date = g_steal_pointer (&date);
          found = TRUE;
        }
    }

  return found;
}

/* The top of the file system @path is on, where other trash folders are. */
static char *
find_mount_top (const char *path)
{
  g_autofree char *top = g_strdup (path);
  GStatBuf st;
  dev_t device;

  if (g_stat (path, &st) != 0)
    return NULL;
  device = st.st_dev;

  for (;;)
    {
      g_autofree char *parent = g_path_get_dirname (top);

      if (g_str_equal (parent, top) || g_stat (parent, &st) != 0 || st.st_dev != device)
        return g_steal_pointer (&top);

      g_free (top);
      top = g_steal_pointer (&parent);
    }
}

/* Puts a local file back from the trash folders GLib uses for it: the
 * home trash, or the one at the top of its file system. */
static gboolean
restore_local (GFile         *file,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *top = find_mount_top (folder);
  g_autofree char *home_trash = g_build_filename (g_get_user_data_dir (), "Trash", NULL);
  g_autofree char *uid = g_strdup_printf ("%u", (guint) getuid ());
  g_autofree char *top_trash = top != NULL ? g_build_filename (top, ".Trash", uid, NULL) : NULL;
  g_autofree char *uid_trash = NULL;
  g_autofree char *found_info = NULL;
  g_autofree char *found_date = NULL;
  g_autofree char *info_name = NULL;
  g_autofree char *trashed_path = NULL;
  g_autoptr(GFile) trashed = NULL;
  g_autoptr(GFile) parent = NULL;
  const char *trash_dir = home_trash;

  if (top != NULL)
    {
      g_autofree char *name = g_strdup_printf (".Trash-%s", uid);

      uid_trash = g_build_filename (top, name, NULL);
    }

  find_in_trash_dir (home_trash, NULL, path, &found_info, &found_date);
  if (top_trash != NULL && find_in_trash_dir (top_trash, top, path, &found_info, &found_date))
    trash_dir = top_trash;
  if (uid_trash != NULL && find_in_trash_dir (uid_trash, top, path, &found_info, &found_date))
    trash_dir = uid_trash;

  if (found_info == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The file is no longer in the trash"));
      return FALSE;
    }

  /* info/NAME.trashinfo describes files/NAME. */
  info_name = g_path_get_basename (found_info);
  info_name[strlen (info_name) - strlen (".trashinfo")] = '\0';
  trashed_path = g_build_filename (trash_dir, "files", info_name, NULL);
  trashed = g_file_new_for_path (trashed_path);

  parent = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (parent, cancellable, NULL) &&
      !g_file_query_exists (parent, cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The folder the file was in is gone"));
      return FALSE;
    }

  if (!g_file_move (trashed, file, G_FILE_COPY_NOFOLLOW_SYMLINKS, cancellable, NULL, NULL, error))
    return FALSE;

  if (g_unlink (found_info) != 0)
    g_debug ("Could not remove %s: %s", found_info, g_strerror (errno));

  return TRUE;
}

/* The entry of the trash that holds the file last trashed from a path. */
typedef struct {
  const char *original;
  GFile      *newest;
  char       *newest_date;
} TrashSearch;

static void
trash_search_child (GFile     *child,
                    GFileInfo *info,
                    gpointer   user_data)
{
  TrashSearch *search = user_data;
  const char *path = g_file_info_get_attribute_byte_string (info, G_FILE_ATTRIBUTE_TRASH_ORIG_PATH);
  const char *date = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_TRASH_DELETION_DATE);

  if (g_strcmp0 (path, search->original) != 0 || date == NULL ||
      (search->newest_date != NULL && strcmp (date, search->newest_date) <= 0))
    return;

  g_set_object (&search->newest, child);
  g_free (search->newest_date);
  search->newest_date = g_strdup (date);
}

/* Puts back a file of another kind of mount, as GVfs lists the trash. */
static gboolean
restore_through_gvfs (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GFile) trash = g_file_new_for_uri ("trash:///");
  g_autofree char *original = g_file_get_parse_name (file);
  TrashSearch search = { original, NULL, NULL };
  g_autoptr(GFile) newest = NULL;
  gboolean listed;

  listed = lb_folder_enumerate (trash,
                                G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                G_FILE_ATTRIBUTE_TRASH_ORIG_PATH ","
                                G_FILE_ATTRIBUTE_TRASH_DELETION_DATE,
                                G_FILE_QUERY_INFO_NONE, cancellable, trash_search_child, &search, error);
  newest = g_steal_pointer (&search.newest);
  g_free (search.newest_date);
  if (!listed)
    return FALSE;

  if (newest == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The file is no longer in the trash"));
      return FALSE;
    }

  return g_file_move (newest, file, G_FILE_COPY_NOFOLLOW_SYMLINKS, cancellable, NULL, NULL, error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GPtrArray *files = task_data;
  GError *first_error = NULL;

  /* Every file that can come back does; the first failure is told. */
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      GError *error = NULL;
      gboolean restored = g_file_is_native (file)
                          ? restore_local (file, cancellable, &error)
                          : restore_through_gvfs (file, cancellable, &error);

      if (!restored && first_error == NULL)
        first_error = error;
      else
        g_clear_error (&error);
    }

  if (first_error != NULL)
    g_task_return_error (task, first_error);
  else
    g_task_return_boolean (task, TRUE);
}

void
lb_trash_restore_async (GPtrArray           *files,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copy;

  g_return_if_fail (files != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  copy = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (files, i)));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_trash_restore_async);
  g_task_set_task_data (task, copy, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, restore_thread);
}

gboolean
lb_trash_restore_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_trash_restore_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
