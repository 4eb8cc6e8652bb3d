/* fuzz-image-info.c: libFuzzer harness for the metadata reader
 *
 * The viewer's properties read an image's header and its EXIF and XMP
 * (lb-image-info.c). The fuzz input is the file, opened from memory as
 * lb_image_info_new_for_file() opens it from disk: the loader's header,
 * libexif's entries and the XMP packet then reach read_exif() and
 * read_xmp() through lb_image_info_new_from_header(), and every text
 * the properties show is made from what they found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-harness.h"
#include "lb-image-file.h"
#include "lb-image-info.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_vips ((*argv)[0]);

  return 0;
}

static gboolean
is_text_or_null (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

/* Every text the properties show: UTF-8, whatever the file held. */
static void
make_texts (LbImageInfo *info)
{
  char *(*const dup_text[]) (LbImageInfo *) = {
    lb_image_info_dup_camera_text,
    lb_image_info_dup_exposure_text,
    lb_image_info_dup_aperture_text,
    lb_image_info_dup_focal_length_text,
    lb_image_info_dup_location_text,
    lb_image_info_dup_location_uri,
  };
  GDateTime *date_taken = lb_image_info_get_date_taken (info);

  for (gsize i = 0; i < G_N_ELEMENTS (dup_text); i++)
    {
      g_autofree char *text = dup_text[i] (info);

      g_assert_true (is_text_or_null (text));
    }

  if (date_taken != NULL)
    {
      g_autofree char *date = g_date_time_format_iso8601 (date_taken);

      g_assert_nonnull (date);
    }

  lb_image_info_get_orientation_text (info);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(VipsSource) source = vips_source_new_from_memory (data, size);
  g_autoptr(VipsImage) header = NULL;
  g_autoptr(LbImageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *loader = NULL;

  g_assert_nonnull (source);
  header = lb_image_file_load_header (source, &loader, &error);
  if (header == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  info = lb_image_info_new_from_header (header, loader);

  /* What the properties rely on. */
  g_assert_cmpint (lb_image_info_get_orientation (info), >=, 1);
  g_assert_cmpint (lb_image_info_get_orientation (info), <=, 8);
  g_assert_cmpint (lb_image_info_get_width (info), >, 0);
  g_assert_cmpint (lb_image_info_get_height (info), >, 0);
  g_assert_cmpint (lb_image_info_get_n_pages (info), >=, 1);
  g_assert_true (is_text_or_null (lb_image_info_get_camera_make (info)));
  g_assert_true (is_text_or_null (lb_image_info_get_camera_model (info)));
  g_assert_true (is_text_or_null (lb_image_info_get_lens (info)));

  make_texts (info);

  return 0;
}
