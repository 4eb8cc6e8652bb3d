/* lb-image-info.h: what an image file says about itself
 *
 * Dimensions and format from the header, and the photo's metadata (date
 * taken, camera, exposure, location…) from its EXIF, completed from its
 * XMP. Only the header is read, never the pixels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <vips/vips.h>

G_BEGIN_DECLS

#define LB_TYPE_IMAGE_INFO (lb_image_info_get_type ())

G_DECLARE_FINAL_TYPE (LbImageInfo, lb_image_info, LB, IMAGE_INFO, GObject)

/* @header: an image as a loader opened it, pixels not decoded;
 * @loader: the nickname of the libvips loader that opened it
 * ("jpegload_source"), for the format's name. */
LbImageInfo *lb_image_info_new_from_header   (VipsImage     *header,
                                              const char    *loader);
/* Blocks on I/O: for worker threads. */
LbImageInfo *lb_image_info_new_for_file      (GFile         *file,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* Reads the header on a worker thread; the callback runs on the caller's
 * thread-default main context. */
void         lb_image_info_load_async        (GFile         *file,
                                              int            io_priority,
                                              GCancellable  *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer       user_data);
LbImageInfo *lb_image_info_load_finish       (GAsyncResult  *result,
                                              GError       **error);

/* As shown: after the EXIF orientation. */
int          lb_image_info_get_width         (LbImageInfo   *self);
int          lb_image_info_get_height        (LbImageInfo   *self);
/* A short name such as "JPEG" or "HEIC", not translated. */
const char  *lb_image_info_get_format        (LbImageInfo   *self);
/* Pages of a document or frames of an animation; 1 for most images. */
int          lb_image_info_get_n_pages       (LbImageInfo   *self);
gboolean     lb_image_info_get_is_animated   (LbImageInfo   *self);
/* The EXIF orientation, 1 (upright) to 8. */
int          lb_image_info_get_orientation   (LbImageInfo   *self);

/* Each NULL, 0 or FALSE when the file does not say. */
GDateTime   *lb_image_info_get_date_taken    (LbImageInfo   *self);
const char  *lb_image_info_get_camera_make   (LbImageInfo   *self);
const char  *lb_image_info_get_camera_model  (LbImageInfo   *self);
const char  *lb_image_info_get_lens          (LbImageInfo   *self);
double       lb_image_info_get_exposure_time (LbImageInfo   *self);  /* seconds */
double       lb_image_info_get_f_number      (LbImageInfo   *self);
int          lb_image_info_get_iso           (LbImageInfo   *self);
double       lb_image_info_get_focal_length  (LbImageInfo   *self);  /* mm */
int          lb_image_info_get_focal_length_35mm (LbImageInfo *self); /* mm */
gboolean     lb_image_info_get_location      (LbImageInfo   *self,
                                              double        *latitude,
                                              double        *longitude);

/* Texts for people, translated; NULL when the file does not say. */
char        *lb_image_info_dup_camera_text   (LbImageInfo   *self);
char        *lb_image_info_dup_exposure_text (LbImageInfo   *self);
char        *lb_image_info_dup_aperture_text (LbImageInfo   *self);
char        *lb_image_info_dup_focal_length_text (LbImageInfo *self);
char        *lb_image_info_dup_location_text (LbImageInfo   *self);
/* A geo: URI (RFC 5870) that map applications open. */
char        *lb_image_info_dup_location_uri  (LbImageInfo   *self);
/* NULL for upright images. */
const char  *lb_image_info_get_orientation_text (LbImageInfo *self);

G_END_DECLS
