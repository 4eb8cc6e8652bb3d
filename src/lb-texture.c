/* lb-texture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-texture"

#include "lb-texture.h"

GdkTexture *
lb_texture_new_for_thumbnail (LbThumbnail *thumbnail)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL (thumbnail), NULL);
  g_return_val_if_fail (lb_thumbnail_get_pixels (thumbnail) != NULL, NULL);

  return gdk_memory_texture_new (lb_thumbnail_get_width (thumbnail),
                                 lb_thumbnail_get_height (thumbnail),
                                 lb_thumbnail_get_has_alpha (thumbnail) ? GDK_MEMORY_R8G8B8A8
                                                                        : GDK_MEMORY_R8G8B8,
                                 lb_thumbnail_get_pixels (thumbnail),
                                 lb_thumbnail_get_stride (thumbnail));
}

GdkTexture *
lb_texture_new_for_rendition (LbRendition *rendition,
                              int          frame)
{
  g_autoptr(GBytes) pixels = NULL;

  g_return_val_if_fail (LB_IS_RENDITION (rendition), NULL);
  g_return_val_if_fail (frame >= 0 && frame < lb_rendition_get_n_frames (rendition), NULL);

  pixels = lb_rendition_dup_frame_pixels (rendition, frame);

  return gdk_memory_texture_new (lb_rendition_get_width (rendition),
                                 lb_rendition_get_height (rendition),
                                 lb_rendition_get_has_alpha (rendition) ? GDK_MEMORY_R8G8B8A8
                                                                        : GDK_MEMORY_R8G8B8,
                                 pixels,
                                 lb_rendition_get_stride (rendition));
}
