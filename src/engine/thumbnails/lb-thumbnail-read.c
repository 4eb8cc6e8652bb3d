/* lb-thumbnail-read.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-read"

#include <glib/gi18n.h>

#include "lb-thumbnail-file.h"
#include "lb-thumbnail-read.h"

/* A non-local file's bytes, read into this. */
typedef struct {
  guint8 *buffer;
  gsize   size;
} RemoteRead;

static void
remote_read_free (RemoteRead *read)
{
  g_free (read->buffer);
  g_free (read);
}

/* Local files are read on a GIO worker thread, so that reads of several
 * files overlap each other and the decodes. (A GUnixInputStream would
 * claim to be pollable and read on the caller's thread, one file at a
 * time.) The open never blocks on a FIFO or device put in place after
 * the lookup; see lb_thumbnail_file_open(). */
static void
read_local_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *path = g_file_get_path (G_FILE (source_object));
  GError *error = NULL;
  GBytes *data;

  data = lb_thumbnail_file_read (path, G_MAXOFFSET, cancellable, &error);
  if (data == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, data, (GDestroyNotify) g_bytes_unref);
}

static void
on_remote_read_all (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoteRead *read = g_task_get_task_data (task);
  GError *error = NULL;
  gsize n_read = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n_read, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_input_stream_close_async (G_INPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&read->buffer), n_read),
                         (GDestroyNotify) g_bytes_unref);
}

static void
on_remote_opened (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoteRead *read = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read_finish (G_FILE (object), result, &error);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Up to max-file-size at once: not worth aborting the process over. */
  read->buffer = g_try_malloc (MAX (read->size, 1));
  if (read->buffer == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("Not enough memory to read the file"));
      return;
    }

  g_input_stream_read_all_async (G_INPUT_STREAM (stream), read->buffer, read->size,
                                 g_task_get_priority (task), g_task_get_cancellable (task),
                                 on_remote_read_all, g_object_ref (task));
}

void
lb_thumbnail_read_async (GFile               *file,
                         gsize                size,
                         int                  priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoteRead *read;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_thumbnail_read_async);
  g_task_set_priority (task, priority);

  if (g_file_is_native (file))
    {
      g_task_run_in_thread (task, read_local_thread);
      return;
    }

  read = g_new0 (RemoteRead, 1);
  read->size = size;
  g_task_set_task_data (task, read, (GDestroyNotify) remote_read_free);
  g_file_read_async (file, priority, cancellable, on_remote_opened, g_steal_pointer (&task));
}

GBytes *
lb_thumbnail_read_finish (GFile         *file,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, file), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_thumbnail_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
