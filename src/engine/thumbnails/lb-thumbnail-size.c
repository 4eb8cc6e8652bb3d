/* lb-thumbnail-size.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-thumbnail-size"

#include "lb-thumbnail-size.h"

static const struct {
  const char *name;
  guint       pixels;
} sizes[LB_THUMBNAIL_N_SIZES] = {
  [LB_THUMBNAIL_SIZE_NORMAL]    = { "normal",   128 },
  [LB_THUMBNAIL_SIZE_LARGE]     = { "large",    256 },
  [LB_THUMBNAIL_SIZE_X_LARGE]   = { "x-large",  512 },
  [LB_THUMBNAIL_SIZE_XX_LARGE]  = { "xx-large", 1024 },
};

guint
lb_thumbnail_size_get_pixels (LbThumbnailSize size)
{
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, 0);

  return sizes[size].pixels;
}

/* Also the name of the cache subdirectory. */
const char *
lb_thumbnail_size_get_name (LbThumbnailSize size)
{
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, NULL);

  return sizes[size].name;
}

gboolean
lb_thumbnail_size_from_name (const char      *name,
                             LbThumbnailSize *size)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < LB_THUMBNAIL_N_SIZES; i++)
    {
      if (g_str_equal (name, sizes[i].name))
        {
          if (size != NULL)
            *size = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* The smallest bucket whose thumbnails are at least @pixels big, so that
 * a cell of that size is never drawn from an upscaled thumbnail. */
LbThumbnailSize
lb_thumbnail_size_for_pixels (guint pixels)
{
  for (guint i = 0; i < LB_THUMBNAIL_N_SIZES; i++)
    if (pixels <= sizes[i].pixels)
      return i;

  return LB_THUMBNAIL_SIZE_XX_LARGE;
}
