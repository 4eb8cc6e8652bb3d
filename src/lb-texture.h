/* lb-texture.h: engine pixels as GDK textures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lb-rendition.h"
#include "lb-thumbnail.h"

G_BEGIN_DECLS

/* Both share the engine's memory rather than copy it. */
GdkTexture *lb_texture_new_for_thumbnail (LbThumbnail *thumbnail);
GdkTexture *lb_texture_new_for_rendition (LbRendition *rendition,
                                          int          frame);

G_END_DECLS
