/* lb-premultiplied-shrink.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-premultiplied-shrink"

#include "lb-premultiplied-shrink.h"
#include "lb-vips.h"

/* Adds one row of @width RGBA pixels into @sums, four per block of
 * @xshrink columns: colour × alpha, and alpha. */
static void
accumulate_row (const guint8 *pixel,
                int           width,
                int           xshrink,
                guint64      *sums)
{
  for (int block_start = 0; block_start < width; block_start += xshrink, sums += 4)
    {
      int block_end = MIN (block_start + xshrink, width);
      /* Local sums: stores through @sums could alias @pixel. */
      guint64 red = 0, green = 0, blue = 0, alpha_sum = 0;

      for (int x = block_start; x < block_end; x++, pixel += 4)
        {
          guint32 alpha = pixel[3];

          red += pixel[0] * alpha;
          green += pixel[1] * alpha;
          blue += pixel[2] * alpha;
          alpha_sum += alpha;
        }

      sums[0] += red;
      sums[1] += green;
      sums[2] += blue;
      sums[3] += alpha_sum;
    }
}

/* Turns the sums of one row of blocks, @rows input rows high, into
 * premultiplied averages. */
static void
average_row (const guint64 *sums,
             int            width,
             int            xshrink,
             int            rows,
             float         *out,
             int            out_width)
{
  for (int x = 0; x < out_width; x++, sums += 4, out += 4)
    {
      int columns = MIN (xshrink, width - x * xshrink);
      double scale = 1.0 / ((double) columns * rows);

      out[0] = sums[0] * scale / 255.0;
      out[1] = sums[1] * scale / 255.0;
      out[2] = sums[2] * scale / 255.0;
      out[3] = sums[3] * scale;
    }
}

VipsImage *
lb_vips_shrink_premultiplied (VipsImage     *image,
                              int            xshrink,
                              int            yshrink,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(VipsImage) out = NULL;
  g_autoptr(VipsRegion) region = NULL;
  g_autofree guint64 *sums = NULL;
  g_autofree float *line = NULL;
  int width;
  int height;
  int out_width;
  int out_height;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), NULL);
  g_return_val_if_fail (image->Bands == 4 && image->BandFmt == VIPS_FORMAT_UCHAR, NULL);
  g_return_val_if_fail (xshrink >= 1 && yshrink >= 1, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  width = image->Xsize;
  height = image->Ysize;
  out_width = (width + xshrink - 1) / xshrink;
  out_height = (height + yshrink - 1) / yshrink;

  out = vips_image_new_memory ();
  if (vips_image_pipelinev (out, VIPS_DEMAND_STYLE_THINSTRIP, image, NULL) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }
  out->Xsize = out_width;
  out->Ysize = out_height;
  out->BandFmt = VIPS_FORMAT_FLOAT;
  /* "eval" after every row, as libvips' own pipelines report theirs:
   * whoever watches a render sees this stage run too. */
  vips_image_set_progress (out, TRUE);
  if (vips_image_write_prepare (out) != 0)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return NULL;
    }
  region = vips_region_new (image);
  sums = g_new (guint64, (gsize) out_width * 4);
  line = g_new (float, (gsize) out_width * 4);

  for (int out_y = 0; out_y < out_height; out_y++)
    {
      VipsRect rows = { 0, out_y * yshrink, width, MIN (yshrink, height - out_y * yshrink) };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (vips_region_prepare (region, &rows) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }

      memset (sums, 0, sizeof (guint64) * out_width * 4);
      for (int y = rows.top; y < VIPS_RECT_BOTTOM (&rows); y++)
        accumulate_row (VIPS_REGION_ADDR (region, 0, y), width, xshrink, sums);

      average_row (sums, width, xshrink, rows.height, line, out_width);
      if (vips_image_write_line (out, out_y, (VipsPel *) line) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return NULL;
        }
    }

  return g_steal_pointer (&out);
}
