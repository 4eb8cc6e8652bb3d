/* fuzz-image-source.c: libFuzzer harness for the viewer's image source
 *
 * The viewer opens an image (lb-image-source.c) by its header, then
 * decodes renditions of it: the whole image fitted to a box, every frame
 * of an animation, and regions at a scale, turned upright by its EXIF
 * orientation. The fuzz input is the file, written to a temporary folder
 * (the source takes a GFile and reopens it for every rendition), then
 * opened and rendered both ways as the viewer does, on GTask's worker
 * threads, the harness waiting on the main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-harness.h"
#include "lb-image-source.h"

/* Bigger images are opened but not rendered: decoding them takes long
 * and tells nothing more. */
#define FUZZ_MAX_PIXELS (1024 * 1024)
#define BOX_WIDTH  200
#define BOX_HEIGHT 150

static char *path;
static GFile *file;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = NULL;

  fuzz_init_vips ((*argv)[0]);
  dir = fuzz_make_tmp_dir ();
  path = g_build_filename (dir, "image", NULL);
  file = g_file_new_for_path (path);

  return 0;
}

static void
store_result (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
check_rendition (LbRendition *rendition,
                 GError      *error,
                 int          max_width,
                 int          max_height)
{
  g_autoptr(GBytes) pixels = NULL;

  if (rendition == NULL)
    {
      g_assert_nonnull (error);
      return;
    }

  g_assert_cmpint (lb_rendition_get_width (rendition), >, 0);
  g_assert_cmpint (lb_rendition_get_height (rendition), >, 0);
  g_assert_cmpint (lb_rendition_get_width (rendition), <=, max_width);
  g_assert_cmpint (lb_rendition_get_height (rendition), <=, max_height);
  g_assert_cmpint (lb_rendition_get_n_frames (rendition), >=, 1);

  /* The last frame, as GTK would upload it: whole rows, back to back. */
  pixels = lb_rendition_dup_frame_pixels (rendition, lb_rendition_get_n_frames (rendition) - 1);
  g_assert_cmpuint (g_bytes_get_size (pixels), ==,
                    lb_rendition_get_stride (rendition) * lb_rendition_get_height (rendition));
}

static void
render_fitted (LbImageSource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LbRendition) rendition = NULL;
  g_autoptr(GError) error = NULL;

  lb_image_source_render_async (source, BOX_WIDTH, BOX_HEIGHT, G_PRIORITY_DEFAULT, NULL,
                                store_result, &result);
  rendition = lb_image_source_render_finish (source, wait_for_result (&result), &error);
  check_rendition (rendition, error, BOX_WIDTH, BOX_HEIGHT);
}

/* The middle of the image at half its size, as the viewer tiles a zoom. */
static void
render_region (LbImageSource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LbRendition) rendition = NULL;
  g_autoptr(GError) error = NULL;
  int width = MAX (1, lb_image_source_get_width (source) / 4);
  int height = MAX (1, lb_image_source_get_height (source) / 4);

  lb_image_source_render_region_async (source, 0.5, width / 2, height / 2, width, height,
                                       G_PRIORITY_DEFAULT, NULL, store_result, &result);
  rendition = lb_image_source_render_finish (source, wait_for_result (&result), &error);
  check_rendition (rendition, error, width, height);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LbImageSource) source = NULL;
  g_autoptr(GError) error = NULL;
  guint64 pixels;

  /* Plain writes: no fsync() per input. */
  g_assert_true (g_file_set_contents_full (path, (const char *) data, size,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  lb_image_source_open_async (file, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  source = lb_image_source_open_finish (wait_for_result (&result), &error);
  if (source == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  g_assert_cmpint (lb_image_source_get_width (source), >, 0);
  g_assert_cmpint (lb_image_source_get_height (source), >, 0);
  pixels = (guint64) lb_image_source_get_width (source) * lb_image_source_get_height (source);
  g_assert_cmpuint (pixels, <=, LB_IMAGE_SOURCE_MAX_PIXELS);
  if (pixels > FUZZ_MAX_PIXELS)
    return 0;

  render_fitted (source);
  render_region (source);

  return 0;
}
