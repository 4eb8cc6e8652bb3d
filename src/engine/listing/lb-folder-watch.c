/* lb-folder-watch.c: whether the kernel really watches a local folder
 *
 * See the header. A watch is told by the folder's file handle where the
 * filesystem has them (on btrfs, stat()'s device is the subvolume's, not
 * the one the kernel prints), else by its inode number alone: a match by
 * chance only ever hides a refusal, never makes one up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-folder-watch"

#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lb-folder-watch.h"

typedef struct {
  guint64 inode;
  char   *handle;  /* as fdinfo prints it: "<type>:<hex bytes>", or NULL */
} FolderId;

static char *
handle_of (const char *path)
{
  g_autofree struct file_handle *handle = g_malloc (sizeof *handle + MAX_HANDLE_SZ);
  GString *text;
  int mount_id;

  handle->handle_bytes = MAX_HANDLE_SZ;
  if (name_to_handle_at (AT_FDCWD, path, handle, &mount_id, 0) != 0)
    return NULL;

  text = g_string_new (NULL);
  g_string_append_printf (text, "%x:", (unsigned) handle->handle_type);
  for (unsigned i = 0; i < handle->handle_bytes; i++)
    g_string_append_printf (text, "%02x", handle->f_handle[i]);

  return g_string_free (text, FALSE);
}

/* The value of "key:" in an fdinfo line, up to the next space. */
static char *
fdinfo_field (const char *line,
              const char *key)
{
  const char *start = strstr (line, key);

  if (start == NULL)
    return NULL;
  start += strlen (key);

  return g_strndup (start, strcspn (start, " \n"));
}

static gboolean
watch_matches (const char     *line,
               const FolderId *folder)
{
  g_autofree char *inode = fdinfo_field (line, " ino:");
  g_autofree char *type = fdinfo_field (line, " fhandle-type:");
  g_autofree char *bytes = fdinfo_field (line, " f_handle:");

  if (folder->handle != NULL && type != NULL && bytes != NULL)
    {
      g_autofree char *handle = g_strdup_printf ("%s:%s", type, bytes);

      return g_ascii_strcasecmp (handle, folder->handle) == 0;
    }

  return inode != NULL && g_ascii_strtoull (inode, NULL, 16) == folder->inode;
}

/* Whether inotify descriptor @fd (its number, as text) watches @folder. */
static gboolean
descriptor_watches (const char     *fd,
                    const FolderId *folder)
{
  g_autofree char *path = g_build_filename ("/proc/self/fdinfo", fd, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "inotify wd:") && watch_matches (lines[i], folder))
      return TRUE;

  return FALSE;
}

/* TRUE when some inotify descriptor of this process watches @folder;
 * *could_tell is FALSE when /proc cannot be read. */
static gboolean
process_watches (const FolderId *folder,
                 gboolean       *could_tell)
{
  g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *fd;

  *could_tell = fds != NULL;
  if (fds == NULL)
    return FALSE;

  while ((fd = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/proc/self/fd", fd, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (g_strcmp0 (target, "anon_inode:inotify") == 0 && descriptor_watches (fd, folder))
        return TRUE;
    }

  return FALSE;
}

gboolean
lb_folder_watch_is_refused (GFile        *folder,
                            GFileMonitor *monitor)
{
  g_autofree char *path = NULL;
  FolderId id = { 0 };
  struct stat info;
  gboolean could_tell;
  gboolean watched;

  g_return_val_if_fail (G_IS_FILE (folder), FALSE);
  g_return_val_if_fail (monitor == NULL || G_IS_FILE_MONITOR (monitor), FALSE);

  /* A missing or unreadable folder gets its own message (inotify needs
   * read permission); remote ones have monitors of their own. */
  path = g_file_get_path (folder);
  if (path == NULL || stat (path, &info) != 0 || !S_ISDIR (info.st_mode)
      || access (path, R_OK) != 0)
    return FALSE;
  if (monitor == NULL)
    return TRUE;
  /* Other kinds (GIO_USE_FILE_MONITOR, NFS) keep their own account. */
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (monitor), "GInotifyFileMonitor") != 0)
    return FALSE;

  id.inode = info.st_ino;
  id.handle = handle_of (path);
  watched = process_watches (&id, &could_tell);
  g_free (id.handle);

  return could_tell && !watched;
}
