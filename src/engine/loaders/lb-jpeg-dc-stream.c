/* lb-jpeg-dc-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-jpeg-dc-stream"

#include <string.h>

#include "lb-jpeg-dc-stream.h"

/* Markers (ITU T.81, table B.1). */
#define MARKER_SOF2 0xC2
#define MARKER_DHT  0xC4
#define MARKER_RST0 0xD0
#define MARKER_RST7 0xD7
#define MARKER_SOI  0xD8
#define MARKER_EOI  0xD9
#define MARKER_SOS  0xDA
#define MARKER_DRI  0xDD

#define MAX_COMPONENTS 4
#define LAST_COEFFICIENT 63

/* The longest run of all-zero blocks one code can say: EOB14, then 14
 * bits, 2¹⁴ + 2¹⁴ - 1 blocks (T.81, G.1.2.2). */
#define MAX_EOB_RUN 32767

/* Huffman table 0 for AC coefficients with the 15 run codes EOB0 … EOB14
 * (symbol r << 4), each 4 bits long: EOBr's code is r. */
static const guint8 eob_run_table[] = {
  0xFF, MARKER_DHT, 0x00, 2 + 1 + 16 + 15,
  0x10,
  0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70,
  0x80, 0x90, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0,
};
#define EOB_RUN_CODE_BITS 4

static const guint8 end_of_image[] = { 0xFF, MARKER_EOI };

/* Restart markers are not needed, and a run must not cross them. */
static const guint8 no_restart_interval[] = { 0xFF, MARKER_DRI, 0x00, 0x04, 0x00, 0x00 };

typedef struct {
  guint8   id;
  guint    h_sampling;
  guint    v_sampling;
  gboolean has_dc;
  gboolean needs_ac;
} Component;

typedef struct {
  guint     width;
  guint     height;
  guint     h_max;
  guint     v_max;
  Component components[MAX_COMPONENTS];
  guint     n_components;
} Frame;

typedef struct {
  GByteArray *out;
  guint32     bits;
  guint       n_bits;
} BitWriter;

static void
bit_writer_put (BitWriter *writer,
                guint32    value,
                guint      n_bits)
{
  for (guint i = n_bits; i > 0; i--)
    {
      writer->bits = writer->bits << 1 | ((value >> (i - 1)) & 1);
      if (++writer->n_bits == 8)
        {
          static const guint8 stuffed_zero = 0x00;
          guint8 byte = writer->bits;

          g_byte_array_append (writer->out, &byte, 1);
          /* A 0xFF in coded data is followed by a zero, or it would be
           * read as a marker. */
          if (byte == 0xFF)
            g_byte_array_append (writer->out, &stuffed_zero, 1);
          writer->bits = 0;
          writer->n_bits = 0;
        }
    }
}

static void
bit_writer_flush (BitWriter *writer)
{
  /* Coded data ends padded with 1 bits. */
  if (writer->n_bits > 0)
    bit_writer_put (writer, 0xFF, 8 - writer->n_bits);
}

static gboolean
is_start_of_frame (guint8 marker)
{
  return marker >= 0xC0 && marker <= 0xCF &&
         marker != MARKER_DHT && marker != 0xC8 && marker != 0xCC;
}

/* Reads a frame header's parameters: 8-bit samples, known height. */
static gboolean
parse_frame (const guint8 *params,
             gsize         len,
             Frame        *frame)
{
  guint h_max = 1;
  guint v_max = 1;

  if (len < 6 || params[0] != 8)
    return FALSE;

  frame->height = params[1] << 8 | params[2];
  frame->width = params[3] << 8 | params[4];
  frame->n_components = params[5];
  if (frame->width == 0 || frame->height == 0 ||
      frame->n_components == 0 || frame->n_components > MAX_COMPONENTS ||
      len != 6 + 3 * (gsize) frame->n_components)
    return FALSE;

  for (guint i = 0; i < frame->n_components; i++)
    {
      Component *component = &frame->components[i];

      component->id = params[6 + 3 * i];
      component->h_sampling = params[7 + 3 * i] >> 4;
      component->v_sampling = params[7 + 3 * i] & 0x0F;
      component->has_dc = FALSE;
      if (component->h_sampling < 1 || component->h_sampling > 4 ||
          component->v_sampling < 1 || component->v_sampling > 4)
        return FALSE;
      h_max = MAX (h_max, component->h_sampling);
      v_max = MAX (v_max, component->v_sampling);
    }

  /* Only components at full resolution are scaled to one pixel a block:
   * libjpeg-turbo gives subsampled chroma a bigger inverse DCT instead of
   * upsampling it, and that one reads AC coefficients. */
  for (guint i = 0; i < frame->n_components; i++)
    frame->components[i].needs_ac = frame->components[i].h_sampling != h_max ||
                                    frame->components[i].v_sampling != v_max;
  frame->h_max = h_max;
  frame->v_max = v_max;

  return TRUE;
}

static Component *
find_component (Frame  *frame,
                guint8  id)
{
  for (guint i = 0; i < frame->n_components; i++)
    if (frame->components[i].id == id)
      return &frame->components[i];

  return NULL;
}

/* The offset of the marker that ends the coded data from @pos on (0xFF
 * followed by anything but a stuffed zero or a restart marker), or @len. */
static gsize
find_end_of_coded_data (const guint8 *data,
                        gsize         len,
                        gsize         pos)
{
  const guint8 *ff;

  while (pos < len && (ff = memchr (data + pos, 0xFF, len - pos)) != NULL)
    {
      gsize at = ff - data;

      if (at + 1 < len &&
          (data[at + 1] == 0x00 || (data[at + 1] >= MARKER_RST0 && data[at + 1] <= MARKER_RST7)))
        pos = at + 2;
      else
        return at;
    }

  return len;
}

/* Appends, for each component whose AC scans were left out, a first AC
 * scan of coefficients 1–63 at full precision in which every block is
 * zero: runs of all-zero blocks, as many blocks as the component has in
 * a scan of its own. */
static void
append_zero_ac_scans (GByteArray  *out,
                      const Frame *frame)
{
  g_byte_array_append (out, eob_run_table, sizeof eob_run_table);
  g_byte_array_append (out, no_restart_interval, sizeof no_restart_interval);

  for (guint i = 0; i < frame->n_components; i++)
    {
      const Component *component = &frame->components[i];
      const guint8 header[] = {
        0xFF, MARKER_SOS, 0x00, 0x08,
        1, component->id, 0x00,      /* one component, AC table 0 */
        1, LAST_COEFFICIENT, 0x00,   /* coefficients 1–63, first pass, full precision */
      };
      guint64 blocks_across;
      guint64 blocks_down;
      BitWriter writer = { out, 0, 0 };

      if (component->needs_ac)
        continue;

      blocks_across = ((guint64) frame->width * component->h_sampling + 8 * frame->h_max - 1) /
                      (8 * frame->h_max);
      blocks_down = ((guint64) frame->height * component->v_sampling + 8 * frame->v_max - 1) /
                    (8 * frame->v_max);

      g_byte_array_append (out, header, sizeof header);
      for (guint64 left = blocks_across * blocks_down; left > 0;)
        {
          guint32 run = MIN (left, MAX_EOB_RUN);
          guint bits = g_bit_storage (run) - 1;

          bit_writer_put (&writer, bits, EOB_RUN_CODE_BITS);
          bit_writer_put (&writer, run - (1u << bits), bits);
          left -= run;
        }
      bit_writer_flush (&writer);
    }
}

GBytes *
lb_jpeg_dc_stream_new (const guint8 *data,
                       gsize         len)
{
  g_autoptr(GByteArray) out = NULL;
  Frame frame = { 0, };
  gsize pos = 2;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < 4 || data[0] != 0xFF || data[1] != MARKER_SOI)
    return NULL;

  /* The DC scans are a few percent of the file. */
  out = g_byte_array_sized_new (len / 16 + 1024);
  g_byte_array_append (out, data, 2);

  for (;;)
    {
      guint8 marker;
      gsize end;

      if (pos + 2 > len || data[pos] != 0xFF)
        return NULL;

      marker = data[pos + 1];
      if (marker == 0xFF)
        {
          /* A fill byte before a marker. */
          pos++;
          continue;
        }
      if (marker == MARKER_EOI)
        break;
      if (marker == 0x01 || (marker >= MARKER_RST0 && marker <= MARKER_SOI) || pos + 4 > len)
        return NULL;

      end = pos + 2 + (data[pos + 2] << 8 | data[pos + 3]);
      if (end < pos + 4 || end > len)
        return NULL;

      if (is_start_of_frame (marker))
        {
          /* One frame, progressive, Huffman-coded. */
          if (marker != MARKER_SOF2 || frame.n_components > 0 ||
              !parse_frame (data + pos + 4, end - pos - 4, &frame))
            return NULL;
        }
      else if (marker == MARKER_SOS)
        {
          const guint8 *params = data + pos + 4;
          gsize params_len = end - pos - 4;
          guint n_scan_components;
          gboolean is_dc;
          gboolean keep;
          gsize scan_end;

          if (frame.n_components == 0 || params_len < 1)
            return NULL;
          n_scan_components = params[0];
          if (n_scan_components == 0 || params_len != 4 + 2 * (gsize) n_scan_components)
            return NULL;

          /* Ss, the first coefficient of the scan: 0 for DC scans. */
          is_dc = params[1 + 2 * n_scan_components] == 0;
          keep = is_dc;

          for (guint i = 0; i < n_scan_components; i++)
            {
              Component *component = find_component (&frame, params[1 + 2 * i]);

              if (component == NULL)
                return NULL;
              component->has_dc |= is_dc;
              keep |= component->needs_ac;
            }

          scan_end = find_end_of_coded_data (data, len, end);
          if (keep)
            g_byte_array_append (out, data + pos, scan_end - pos);
          pos = scan_end;
          continue;
        }

      g_byte_array_append (out, data + pos, end - pos);
      pos = end;
    }

  if (frame.n_components == 0)
    return NULL;
  for (guint i = 0; i < frame.n_components; i++)
    if (!frame.components[i].has_dc)
      return NULL;

  append_zero_ac_scans (out, &frame);
  g_byte_array_append (out, end_of_image, sizeof end_of_image);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
