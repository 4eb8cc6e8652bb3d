/* lb-thumbnail-png.c
 *
 * Writes a thumbnail as the freedesktop cache wants it: an 8-bit RGB(A)
 * PNG with the Thumb::* keys as uncompressed tEXt chunks, through
 * libpng with settings chosen for speed. Blocks; any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-png"

#include <errno.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <png.h>
#include <zlib.h>

#include "lb-thumbnail-png.h"
#include "lb-vips.h"

/* libpng's defaults (zlib level 6, every row filter tried on every
 * row) are slow for no visible gain on images this small; the cache is
 * written far more often than it is read. The Sub filter leaves runs
 * that zlib's run-length strategy packs without searching for matches:
 * an eighth of the default's time for files 14 % bigger (the corpus'
 * thumbnails at 256 px). */
#define PNG_COMPRESSION_LEVEL    2
#define PNG_ROW_FILTER           PNG_FILTER_SUB
#define PNG_COMPRESSION_STRATEGY Z_RLE

/* What libpng's callbacks need: where to write, and how it went. */
typedef struct {
  FILE    *fp;
  int      write_errno;  /* of the failed write, 0 if none */
  GError **error;
} PngWriter;

static void
on_png_error (png_structp      png,
              png_const_charp  message)
{
  PngWriter *writer = png_get_error_ptr (png);

  /* A full disk or a quota says so, rather than "Write Error". */
  if (writer->write_errno != 0)
    g_set_error (writer->error, G_IO_ERROR, g_io_error_from_errno (writer->write_errno),
                 _("Could not write the thumbnail: %s"), g_strerror (writer->write_errno));
  else
    g_set_error (writer->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 _("Could not write the thumbnail: %s"), message);
  png_longjmp (png, 1);
}

static void
on_png_write (png_structp png,
              png_bytep   data,
              size_t      length)
{
  PngWriter *writer = png_get_io_ptr (png);

  if (fwrite (data, 1, length, writer->fp) != length)
    {
      writer->write_errno = errno != 0 ? errno : EIO;
      png_error (png, "write");
    }
}

static void
on_png_flush (png_structp png)
{
  PngWriter *writer = png_get_io_ptr (png);

  if (fflush (writer->fp) != 0)
    {
      writer->write_errno = errno != 0 ? errno : EIO;
      png_error (png, "flush");
    }
}

static void
on_png_warning (png_structp      png,
                png_const_charp  message)
{
  g_debug ("libpng: %s", message);
}

/* zlib's run-length search reads up to 258 bytes past the input into its
 * window, then clamps what it found to the input. Zeroed memory keeps
 * that read defined, and valgrind quiet. */
static png_voidp
on_png_malloc (png_structp      png,
               png_alloc_size_t size)
{
  return g_try_malloc0 (size);
}

static void
on_png_free (png_structp png,
             png_voidp   block)
{
  g_free (block);
}

static void
add_text (GPtrArray  *keys,
          GPtrArray  *values,
          const char *key,
          char       *value)
{
  g_ptr_array_add (keys, (char *) key);
  g_ptr_array_add (values, value);
}

/* libvips 8.14 saves its png-comment fields as compressed zTXt chunks,
 * which GLib's thumbnail check (and other readers of the spec) skip:
 * they only look at plain tEXt. So the PNG is written with libpng, the
 * library libvips itself uses, asking for uncompressed text. */
static gboolean
write_png_file (FILE                  *fp,
                const guint8          *pixels,
                int                    width,
                int                    height,
                int                    bands,
                const LbThumbnailMeta *meta,
                GError               **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree png_text *text = NULL;
  g_autofree png_bytep *rows = NULL;
  PngWriter writer = { .fp = fp, .error = error };
  png_structp png;
  png_infop info;

  add_text (keys, values, "Thumb::URI", g_strdup (meta->uri));
  if (meta->mtime >= 0)
    add_text (keys, values, "Thumb::MTime",
              g_strdup_printf ("%" G_GINT64_FORMAT, meta->mtime));
  if (meta->size >= 0)
    add_text (keys, values, "Thumb::Size",
              g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) meta->size));
  if (meta->mime_type != NULL)
    add_text (keys, values, "Thumb::Mime", g_strdup (meta->mime_type));
  if (meta->image_width > 0 && meta->image_height > 0)
    {
      add_text (keys, values, "Thumb::Image::Width",
                g_strdup_printf ("%d", meta->image_width));
      add_text (keys, values, "Thumb::Image::Height",
                g_strdup_printf ("%d", meta->image_height));
    }
  add_text (keys, values, "Software", g_strdup ("Lightbox"));

  text = g_new0 (png_text, keys->len);
  for (guint i = 0; i < keys->len; i++)
    {
      text[i].compression = PNG_TEXT_COMPRESSION_NONE;
      text[i].key = g_ptr_array_index (keys, i);
      text[i].text = g_ptr_array_index (values, i);
      text[i].text_length = strlen (text[i].text);
    }

  rows = g_new (png_bytep, height);
  for (int y = 0; y < height; y++)
    rows[y] = (png_bytep) pixels + (gsize) y * width * bands;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &writer,
                                 on_png_error, on_png_warning);
  if (png == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not write the thumbnail"));
      return FALSE;
    }
  info = png_create_info_struct (png);

  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      return FALSE;
    }

  if (info == NULL)
    /* Translators: said after “Could not write the thumbnail: ” */
    png_error (png, _("out of memory"));

  png_set_mem_fn (png, NULL, on_png_malloc, on_png_free);
  png_set_write_fn (png, &writer, on_png_write, on_png_flush);
  png_set_compression_level (png, PNG_COMPRESSION_LEVEL);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_ROW_FILTER);
  png_set_compression_strategy (png, PNG_COMPRESSION_STRATEGY);
  png_set_IHDR (png, info, width, height, 8,
                bands == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  /* Before the pixels, so readers find the keys in the first page. */
  png_set_text (png, info, text, keys->len);
  png_write_info (png, info);
  png_write_image (png, rows);
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);

  return TRUE;
}

gboolean
lb_thumbnail_write_png (VipsImage             *image,
                        const char            *path,
                        const LbThumbnailMeta *meta,
                        GError               **error)
{
  g_autoptr(VipsImage) srgb = NULL;
  g_autofree guint8 *pixels = NULL;
  gsize n_bytes = 0;
  FILE *fp;
  gboolean ok;

  g_return_val_if_fail (VIPS_IS_IMAGE (image), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (meta != NULL && meta->uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  srgb = lb_thumbnail_image_to_srgb (image, error);
  if (srgb == NULL)
    return FALSE;

  pixels = vips_image_write_to_memory (srgb, &n_bytes);
  if (pixels == NULL)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return FALSE;
    }

  fp = g_fopen (path, "wb");
  if (fp == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the thumbnail: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  ok = write_png_file (fp, pixels, srgb->Xsize, srgb->Ysize, srgb->Bands,
                       meta, error);

  if (fclose (fp) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the thumbnail: %s"), g_strerror (saved_errno));
      ok = FALSE;
    }

  return ok;
}
