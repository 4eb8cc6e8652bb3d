/* lb-image-file.h: image files opened for libvips without reading them whole
 *
 * The viewer and the metadata reader open images as libvips sources, so
 * that a header costs a few kilobytes and a huge image streams through a
 * pipeline. These functions block: call them on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

#include "lb-thumbnail.h"

G_BEGIN_DECLS

/* A source reading @file: straight from the disk for local files, through
 * GIO (GVfs mounts, portals' document store…) for the others. */
VipsSource *lb_image_file_open_source   (GFile         *file,
                                         GCancellable  *cancellable,
                                         GError       **error);

/* The header of @source (no pixels decoded) with the loader that content
 * sniffing picked, or LB_THUMBNAIL_ERROR_UNSUPPORTED for formats no
 * allowed loader reads. @loader (optional) receives a static string. */
VipsImage  *lb_image_file_load_header   (VipsSource    *source,
                                         const char   **loader,
                                         GError       **error);

G_END_DECLS
