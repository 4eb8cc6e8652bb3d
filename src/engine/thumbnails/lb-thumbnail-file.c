/* lb-thumbnail-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-thumbnail-file"

/* SEEK_DATA and SEEK_HOLE */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lb-thumbnail.h"
#include "lb-thumbnail-file.h"

/* Sparse files this big whose data covers less than an eighth of them
 * are refused unread. Smaller ones fit the scheduler's read budget. */
#define SPARSE_MIN_SIZE     (16 * 1024 * 1024)
#define SPARSE_MAX_EXTENTS  4096

/* TRUE if @fd, of @size bytes, is mostly holes. File systems that cannot
 * tell report one extent of data, so they never look sparse. */
static gboolean
is_mostly_holes (int   fd,
                 off_t size)
{
  off_t data = 0;
  off_t offset = 0;

  if (size < SPARSE_MIN_SIZE)
    return FALSE;

  for (guint i = 0; i < SPARSE_MAX_EXTENTS && offset < size; i++)
    {
      off_t start = lseek (fd, offset, SEEK_DATA);
      off_t end;

      /* ENXIO: only a hole is left. Anything else: the file system
       * cannot say, so take the file as it is. */
      if (start < 0)
        {
          if (errno != ENXIO)
            return FALSE;
          break;
        }
      end = lseek (fd, start, SEEK_HOLE);
      if (end < 0)
        return FALSE;
      data += end - start;
      offset = end;
    }

  return data < size / 8;
}

static void
set_error_from_errno (GError **error,
                      int      saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
}

int
lb_thumbnail_file_open (const char  *path,
                        goffset      max_size,
                        goffset     *size,
                        GError     **error)
{
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_error_from_errno (error, errno);
      return -1;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_NOT_REGULAR,
                           _("Not a regular file"));
      return -1;
    }

  if (st.st_size > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      close (fd);
      g_set_error (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE,
                   _("The file is larger than %s"), limit);
      return -1;
    }

  if (is_mostly_holes (fd, st.st_size))
    {
      close (fd);
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE,
                           _("The file is mostly empty space"));
      return -1;
    }

  /* The offset moved while looking for holes. */
  lseek (fd, 0, SEEK_SET);
  /* Regular files ignore O_NONBLOCK, but leave no doubt. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  if (size != NULL)
    *size = st.st_size;

  return fd;
}

/* Read in slices, so that a cancelled read of a big file on slow
 * storage stops soon. */
#define READ_SLICE (1024 * 1024)

GBytes *
lb_thumbnail_file_read (const char    *path,
                        goffset        max_size,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autofree guint8 *buffer = NULL;
  goffset size = 0;
  gsize length = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fd = lb_thumbnail_file_open (path, max_size, &size, error);
  if (fd < 0)
    return NULL;

  buffer = g_try_malloc (MAX (size, 1));
  if (buffer == NULL)
    {
      close (fd);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to read the file"));
      return NULL;
    }

  /* A file that shrank reads short and fails to decode; one that grew
   * is read up to the size it had. */
  while (length < (gsize) size)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }

      n = read (fd, buffer + length, MIN ((gsize) size - length, READ_SLICE));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          set_error_from_errno (error, saved_errno);
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }

  close (fd);

  return g_bytes_new_take (g_steal_pointer (&buffer), length);
}
