/* lb-image-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-image-file"

#include <unistd.h>

#include <glib/gi18n.h>

#include "lb-image-file.h"
#include "lb-thumbnail.h"
#include "lb-thumbnail-file.h"
#include "lb-vips.h"

VipsSource *
lb_image_file_open_source (GFile         *file,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  VipsSource *source;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Where the viewer and the properties start with libvips. */
  lb_vips_init (NULL);

  path = g_file_get_path (file);
  if (path != NULL)
    {
      /* Never blocks on a FIFO or a device, whatever the file became. */
      int fd = lb_thumbnail_file_open (path, G_MAXOFFSET, NULL, error);

      if (fd < 0)
        return NULL;

      /* libvips keeps a duplicate of the descriptor. */
      source = vips_source_new_from_descriptor (fd);
      close (fd);
      if (source == NULL)
        lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);

      return source;
    }

  /* Elsewhere only GIO can tell: a FIFO there would block the read. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_NOT_REGULAR,
                           _("Not a regular file"));
      return NULL;
    }

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  return VIPS_SOURCE (vips_source_g_input_stream_new (G_INPUT_STREAM (stream)));
}

VipsImage *
lb_image_file_load_header (VipsSource  *source,
                           const char **loader,
                           GError     **error)
{
  const char *found;
  VipsImage *header;

  g_return_val_if_fail (VIPS_IS_SOURCE (source), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Sniff the content: file names and extensions lie. */
  found = lb_vips_find_loader_source (source);
  if (found == NULL)
    {
      vips_error_clear ();
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED,
                           _("Unknown or unsupported image format"));
      return NULL;
    }

  header = vips_image_new_from_source (source, "",
                                       "access", VIPS_ACCESS_SEQUENTIAL,
                                       "fail_on", VIPS_FAIL_ON_ERROR,
                                       NULL);
  if (header == NULL)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }

  if (loader != NULL)
    *loader = found;

  return header;
}
