/* fuzz-render.c: libFuzzer harness for lb_thumbnail_render()
 *
 * The engine's entry point for untrusted bytes: the fuzz input is the
 * content of a file as read from disk. A small pixel limit keeps every
 * run short; the decoders behind it are the ones Lightbox allows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-harness.h"
#include "lb-thumbnail-render.h"

/* 1024 × 1024: big enough for every code path, small enough to be fast. */
#define FUZZ_MAX_PIXELS (1024 * 1024)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init_vips ((*argv)[0]);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0;
  int height = 0;

  image = lb_thumbnail_render (bytes, 128, FUZZ_MAX_PIXELS, &width, &height, NULL, &error);

  /* What the engine promises of a success. */
  if (image != NULL)
    {
      g_assert_cmpint (vips_image_get_width (image), <=, 128);
      g_assert_cmpint (vips_image_get_height (image), <=, 128);
      g_assert_true (image->Bands == 3 || image->Bands == 4);
      g_assert_true (image->BandFmt == VIPS_FORMAT_UCHAR);
      g_assert_cmpuint ((guint64) width * (guint64) height, <=, FUZZ_MAX_PIXELS);
    }
  else
    {
      g_assert_nonnull (error);
    }

  return 0;
}
