/* test-image-info.c: metadata read from headers, EXIF and XMP (headless)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "lb-image-info.h"
#include "lb-test-fixtures.h"
#include "lb-thumbnail.h"
#include "lb-vips.h"


static LbImageInfo *
info_for_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  LbImageInfo *info = lb_image_info_new_for_file (file, NULL, &error);

  ck_assert_msg (info != NULL, "%s: %s", path, error ? error->message : "");

  return info;
}

/* Everything a camera writes, as libvips names EXIF entries. */
static const char * const camera_fields[] = {
  "exif-ifd0-Make", "Canon",
  "exif-ifd0-Model", "Canon EOS 5D Mark II",
  "exif-ifd2-DateTimeOriginal", "2021:07:14 16:30:05",
  "exif-ifd2-OffsetTimeOriginal", "+02:00",
  "exif-ifd2-ExposureTime", "1/250",
  "exif-ifd2-FNumber", "28/10",
  "exif-ifd2-ISOSpeedRatings", "400",
  "exif-ifd2-FocalLength", "50/1",
  "exif-ifd2-FocalLengthIn35mmFilm", "75",
  "exif-ifd2-LensModel", "EF 50mm f/1.4 USM",
  "exif-ifd3-GPSLatitudeRef", "N",
  "exif-ifd3-GPSLatitude", "52/1 31/1 1234/100",
  "exif-ifd3-GPSLongitudeRef", "W",
  "exif-ifd3-GPSLongitude", "13/1 24/1 0/1",
  NULL
};

START_TEST (test_info_exif)
{
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "photo.jpg",
                                                           LB_TEST_FORMAT_JPEG, 320, 240,
                                                           camera_fields);
  g_autoptr(LbImageInfo) info = info_for_path (path);
  g_autofree char *date = NULL;
  g_autofree char *camera = NULL;
  g_autofree char *exposure = NULL;
  g_autofree char *aperture = NULL;
  g_autofree char *focal = NULL;
  g_autofree char *location = NULL;
  g_autofree char *uri = NULL;
  double latitude = 0;
  double longitude = 0;

  ck_assert_int_eq (lb_image_info_get_width (info), 320);
  ck_assert_int_eq (lb_image_info_get_height (info), 240);
  ck_assert_str_eq (lb_image_info_get_format (info), "JPEG");
  ck_assert_int_eq (lb_image_info_get_n_pages (info), 1);
  ck_assert (!lb_image_info_get_is_animated (info));
  ck_assert_int_eq (lb_image_info_get_orientation (info), 1);
  ck_assert_ptr_null (lb_image_info_get_orientation_text (info));

  /* The offset is kept: the instant is right wherever the test runs. */
  ck_assert_ptr_nonnull (lb_image_info_get_date_taken (info));
  date = g_date_time_format_iso8601 (lb_image_info_get_date_taken (info));
  ck_assert_str_eq (date, "2021-07-14T16:30:05+02");

  ck_assert_str_eq (lb_image_info_get_camera_make (info), "Canon");
  ck_assert_str_eq (lb_image_info_get_camera_model (info), "Canon EOS 5D Mark II");
  ck_assert_str_eq (lb_image_info_get_lens (info), "EF 50mm f/1.4 USM");
  ck_assert_double_eq_tol (lb_image_info_get_exposure_time (info), 1.0 / 250, 1e-9);
  ck_assert_double_eq_tol (lb_image_info_get_f_number (info), 2.8, 1e-9);
  ck_assert_int_eq (lb_image_info_get_iso (info), 400);
  ck_assert_double_eq_tol (lb_image_info_get_focal_length (info), 50, 1e-9);
  ck_assert_int_eq (lb_image_info_get_focal_length_35mm (info), 75);
  ck_assert (lb_image_info_get_location (info, &latitude, &longitude));
  ck_assert_double_eq_tol (latitude, 52 + 31 / 60.0 + 12.34 / 3600, 1e-9);
  ck_assert_double_eq_tol (longitude, -(13 + 24 / 60.0), 1e-9);

  camera = lb_image_info_dup_camera_text (info);
  exposure = lb_image_info_dup_exposure_text (info);
  aperture = lb_image_info_dup_aperture_text (info);
  focal = lb_image_info_dup_focal_length_text (info);
  location = lb_image_info_dup_location_text (info);
  uri = lb_image_info_dup_location_uri (info);
  ck_assert_str_eq (camera, "Canon EOS 5D Mark II");
  ck_assert_str_eq (exposure, "1/250 s");
  ck_assert_str_eq (aperture, "ƒ/2.8");
  ck_assert_str_eq (focal, "50 mm (75 mm in 35 mm terms)");
  ck_assert_str_eq (location, "52.52009° N, 13.40000° W");
  ck_assert_str_eq (uri, "geo:52.520094,-13.400000");
}
END_TEST

START_TEST (test_info_exif_texts)
{
  static const char * const fields[] = {
    "exif-ifd0-Make", "NIKON CORPORATION",
    /* Brackets and commas inside a value: libvips' own suffix has both. */
    "exif-ifd0-Model", "NIKON D750 (EU), body",
    "exif-ifd2-ExposureTime", "4/10",
    "exif-ifd2-FNumber", "8/1",
    "exif-ifd2-FocalLength", "35/2",
    /* Written by cameras whose clock was never set. */
    "exif-ifd2-DateTimeOriginal", "0000:00:00 00:00:00",
    NULL
  };
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "nikon.jpg",
                                                           LB_TEST_FORMAT_JPEG, 64, 48,
                                                           fields);
  g_autoptr(LbImageInfo) info = info_for_path (path);
  g_autofree char *camera = lb_image_info_dup_camera_text (info);
  g_autofree char *exposure = lb_image_info_dup_exposure_text (info);
  g_autofree char *aperture = lb_image_info_dup_aperture_text (info);
  g_autofree char *focal = lb_image_info_dup_focal_length_text (info);

  ck_assert_str_eq (lb_image_info_get_camera_model (info), "NIKON D750 (EU), body");
  ck_assert_str_eq (camera, "NIKON D750 (EU), body");
  ck_assert_str_eq (exposure, "0.4 s");
  ck_assert_str_eq (aperture, "ƒ/8");
  ck_assert_str_eq (focal, "17.5 mm");
  ck_assert_ptr_null (lb_image_info_get_date_taken (info));
  ck_assert_ptr_null (lb_image_info_get_lens (info));
  ck_assert_int_eq (lb_image_info_get_iso (info), 0);
  ck_assert (!lb_image_info_get_location (info, NULL, NULL));
  ck_assert_ptr_null (lb_image_info_dup_location_uri (info));
}
END_TEST

START_TEST (test_info_camera_make_not_in_model)
{
  static const char * const fields[] = {
    "exif-ifd0-Make", "Nokia",
    "exif-ifd0-Model", "N9",
    NULL
  };
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "nokia.jpg",
                                                           LB_TEST_FORMAT_JPEG, 64, 48,
                                                           fields);
  g_autoptr(LbImageInfo) info = info_for_path (path);
  g_autofree char *camera = lb_image_info_dup_camera_text (info);

  ck_assert_str_eq (camera, "Nokia N9");
}
END_TEST

/* Lightroom's way: attributes and elements, lists, its own GPS syntax. */
static const char xmp_packet[] =
  "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
  " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
  "  <rdf:Description rdf:about=\"\"\n"
  "    xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"\n"
  "    xmlns:ex=\"http://ns.adobe.com/exif/1.0/\"\n"
  "    xmlns:aux=\"http://ns.adobe.com/exif/1.0/aux/\"\n"
  "    tiff:Make=\"FUJIFILM\"\n"
  "    tiff:Model=\"X-T3\"\n"
  "    ex:DateTimeOriginal=\"2019-03-02T08:15:00Z\"\n"
  "    ex:GPSLatitude=\"48,51.3N\"\n"
  "    ex:GPSLongitude=\"2,17,40.2E\">\n"
  "   <ex:FNumber>56/10</ex:FNumber>\n"
  "   <ex:ExposureTime>1/60</ex:ExposureTime>\n"
  "   <ex:ISOSpeedRatings>\n"
  "    <rdf:Seq>\n"
  "     <rdf:li>800</rdf:li>\n"
  "     <rdf:li>1600</rdf:li>\n"
  "    </rdf:Seq>\n"
  "   </ex:ISOSpeedRatings>\n"
  "   <aux:Lens>XF18-55mmF2.8-4 R LM OIS</aux:Lens>\n"
  "  </rdf:Description>\n"
  " </rdf:RDF>\n"
  "</x:xmpmeta>\n"
  "<?xpacket end=\"w\"?>";

START_TEST (test_info_xmp)
{
  static const char * const fields[] = { "xmp-data", xmp_packet, NULL };
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "xmp.png",
                                                           LB_TEST_FORMAT_PNG, 64, 48,
                                                           fields);
  g_autoptr(LbImageInfo) info = info_for_path (path);
  g_autofree char *date = NULL;
  g_autofree char *camera = NULL;
  double latitude = 0;
  double longitude = 0;

  ck_assert_str_eq (lb_image_info_get_format (info), "PNG");
  ck_assert_ptr_nonnull (lb_image_info_get_date_taken (info));
  date = g_date_time_format_iso8601 (lb_image_info_get_date_taken (info));
  ck_assert_str_eq (date, "2019-03-02T08:15:00Z");
  camera = lb_image_info_dup_camera_text (info);
  ck_assert_str_eq (camera, "FUJIFILM X-T3");
  ck_assert_str_eq (lb_image_info_get_lens (info), "XF18-55mmF2.8-4 R LM OIS");
  ck_assert_double_eq_tol (lb_image_info_get_f_number (info), 5.6, 1e-9);
  ck_assert_double_eq_tol (lb_image_info_get_exposure_time (info), 1.0 / 60, 1e-9);
  /* The first of a list. */
  ck_assert_int_eq (lb_image_info_get_iso (info), 800);
  ck_assert (lb_image_info_get_location (info, &latitude, &longitude));
  ck_assert_double_eq_tol (latitude, 48 + 51.3 / 60, 1e-9);
  ck_assert_double_eq_tol (longitude, 2 + 17 / 60.0 + 40.2 / 3600, 1e-9);
}
END_TEST

START_TEST (test_info_exif_wins_over_xmp)
{
  static const char * const fields[] = {
    "exif-ifd0-Make", "Canon",
    "exif-ifd0-Model", "Canon EOS R",
    "xmp-data", xmp_packet,
    NULL
  };
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "both.jpg",
                                                           LB_TEST_FORMAT_JPEG, 64, 48,
                                                           fields);
  g_autoptr(LbImageInfo) info = info_for_path (path);

  /* EXIF for what it has, XMP for the rest. */
  ck_assert_str_eq (lb_image_info_get_camera_make (info), "Canon");
  ck_assert_str_eq (lb_image_info_get_camera_model (info), "Canon EOS R");
  ck_assert_int_eq (lb_image_info_get_iso (info), 800);
}
END_TEST

/* Records the debug messages of the log domain in @user_data (a
 * GPtrArray whose first element is the domain): debug messages are
 * tagged per engine file, so that G_MESSAGES_DEBUG can pick them. */
static GLogWriterOutput
record_domain_debug (GLogLevelFlags   log_level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         user_data)
{
  GPtrArray *messages = user_data;
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;

  if ((log_level & G_LOG_LEVEL_DEBUG) != 0 && g_strcmp0 (domain, g_ptr_array_index (messages, 0)) == 0)
    {
      g_ptr_array_add (messages, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, NULL);
}

START_TEST (test_info_bad_xmp)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  static const char * const fields[] = {
    "xmp-data", "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"oops\"></x:xmpmeta><<<",
    NULL
  };
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "bad-xmp.png",
                                                           LB_TEST_FORMAT_PNG, 64, 48,
                                                           fields);
  g_autoptr(LbImageInfo) info = NULL;

  /* Forked per test: the writer goes with the test's process. */
  g_ptr_array_add (messages, g_strdup ("lightbox-image-info"));
  g_log_set_writer_func (record_domain_debug, messages, NULL);
  info = info_for_path (path);

  ck_assert_int_eq (lb_image_info_get_width (info), 64);
  ck_assert_ptr_null (lb_image_info_get_date_taken (info));
  ck_assert_ptr_null (lb_image_info_get_camera_make (info));
  ck_assert_uint_eq (messages->len, 2);
  ck_assert_str_eq (g_ptr_array_index (messages, 1), "Malformed XMP packet");
}
END_TEST

START_TEST (test_info_orientation)
{
  int orientation = _i + 1;
  g_autofree char *path = lb_test_write_image (lb_test_tmp_dir, "turned.jpg", LB_TEST_FORMAT_JPEG,
                                               320, 200, orientation);
  g_autoptr(LbImageInfo) info = info_for_path (path);
  gboolean swapped = orientation > 4;

  ck_assert_int_eq (lb_image_info_get_orientation (info), orientation);
  ck_assert_int_eq (lb_image_info_get_width (info), swapped ? 200 : 320);
  ck_assert_int_eq (lb_image_info_get_height (info), swapped ? 320 : 200);
  ck_assert_int_eq (lb_image_info_get_orientation_text (info) == NULL, orientation == 1);
}
END_TEST

static const struct {
  LbTestFormat format;
  const char  *name;
} format_names[] = {
  { LB_TEST_FORMAT_JPEG, "JPEG" },
  { LB_TEST_FORMAT_PNG_16, "PNG" },
  { LB_TEST_FORMAT_WEBP, "WebP" },
  { LB_TEST_FORMAT_GIF, "GIF" },
  { LB_TEST_FORMAT_TIFF, "TIFF" },
  { LB_TEST_FORMAT_HEIC, "HEIC" },
  { LB_TEST_FORMAT_AVIF, "AVIF" },
  { LB_TEST_FORMAT_JXL, "JPEG XL" },
  { LB_TEST_FORMAT_JP2, "JPEG 2000" },
  { LB_TEST_FORMAT_SVG, "SVG" },
  { LB_TEST_FORMAT_PDF, "PDF" },
};

START_TEST (test_info_formats)
{
  LbTestFormat format = format_names[_i].format;
  g_autofree char *path = NULL;
  g_autoptr(LbImageInfo) info = NULL;

  if (lb_test_format_is_skipped (format))
    return;

  /* A misleading name: the content decides. */
  path = lb_test_write_image (lb_test_tmp_dir, "image.bin", format, 200, 120, 1);
  info = info_for_path (path);
  ck_assert_str_eq (lb_image_info_get_format (info), format_names[_i].name);
  ck_assert_int_eq (lb_image_info_get_width (info), 200);
  ck_assert_int_eq (lb_image_info_get_height (info), 120);
  ck_assert_ptr_null (lb_image_info_get_camera_make (info));
  ck_assert_ptr_null (lb_image_info_get_date_taken (info));
}
END_TEST

START_TEST (test_info_animation)
{
  static const int delays[] = { 100, 200, 300 };
  g_autofree char *path = lb_test_write_animation (lb_test_tmp_dir, "anim.gif", LB_TEST_FORMAT_GIF,
                                                   40, 30, 3, delays);
  g_autoptr(LbImageInfo) info = info_for_path (path);

  ck_assert_str_eq (lb_image_info_get_format (info), "GIF");
  ck_assert (lb_image_info_get_is_animated (info));
  ck_assert_int_eq (lb_image_info_get_n_pages (info), 3);
  /* Of one frame. */
  ck_assert_int_eq (lb_image_info_get_width (info), 40);
  ck_assert_int_eq (lb_image_info_get_height (info), 30);
}
END_TEST

typedef struct {
  LbImageInfo *info;
  GError      *error;
  gboolean     done;
} LoadResult;

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadResult *load = user_data;

  ck_assert_ptr_null (object);
  load->info = lb_image_info_load_finish (result, &load->error);
  load->done = TRUE;
}

static void
load_async (const char *path,
            LoadResult *load)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  lb_image_info_load_async (file, G_PRIORITY_DEFAULT, NULL, loaded_cb, load);
  lb_test_spin_until (&load->done);
}

START_TEST (test_info_async)
{
  g_autofree char *path = lb_test_write_image_with_fields (lb_test_tmp_dir, "photo.jpg",
                                                           LB_TEST_FORMAT_JPEG, 320, 240,
                                                           camera_fields);
  LoadResult load = { 0 };

  load_async (path, &load);
  ck_assert_ptr_null (load.error);
  ck_assert_ptr_nonnull (load.info);
  ck_assert_int_eq (lb_image_info_get_iso (load.info), 400);
  g_object_unref (load.info);
}
END_TEST

START_TEST (test_info_async_errors)
{
  g_autofree char *text = lb_test_write_bad_file (lb_test_tmp_dir, "text.jpg", LB_TEST_BAD_TEXT);
  g_autofree char *folder = lb_test_write_bad_file (lb_test_tmp_dir, "folder.jpg", LB_TEST_BAD_DIRECTORY);
  g_autofree char *missing = g_build_filename (lb_test_tmp_dir, "missing.jpg", NULL);
  LoadResult load_text = { 0 };
  LoadResult load_folder = { 0 };
  LoadResult load_missing = { 0 };

  load_async (text, &load_text);
  ck_assert_ptr_null (load_text.info);
  ck_assert (g_error_matches (load_text.error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_UNSUPPORTED));

  load_async (folder, &load_folder);
  ck_assert_ptr_null (load_folder.info);
  ck_assert (g_error_matches (load_folder.error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_NOT_REGULAR));

  load_async (missing, &load_missing);
  ck_assert_ptr_null (load_missing.info);
  ck_assert (g_error_matches (load_missing.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));

  g_error_free (load_text.error);
  g_error_free (load_folder.error);
  g_error_free (load_missing.error);
}
END_TEST

static Suite *
image_info_suite (void)
{
  Suite *suite = suite_create ("image-info");
  TCase *tcase = tcase_create ("image-info");

  tcase_add_checked_fixture (tcase, lb_test_tmp_dir_setup, lb_test_tmp_dir_teardown);
  tcase_add_test (tcase, test_info_exif);
  tcase_add_test (tcase, test_info_exif_texts);
  tcase_add_test (tcase, test_info_camera_make_not_in_model);
  tcase_add_test (tcase, test_info_xmp);
  tcase_add_test (tcase, test_info_exif_wins_over_xmp);
  tcase_add_test (tcase, test_info_bad_xmp);
  tcase_add_loop_test (tcase, test_info_orientation, 0, 8);
  tcase_add_loop_test (tcase, test_info_formats, 0, G_N_ELEMENTS (format_names));
  tcase_add_test (tcase, test_info_animation);
  tcase_add_test (tcase, test_info_async);
  tcase_add_test (tcase, test_info_async_errors);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{

  setlocale (LC_ALL, "");
  lb_vips_init (argv[0]);

  return lb_test_run_suite (image_info_suite (), CK_FORK_GETENV);
}
