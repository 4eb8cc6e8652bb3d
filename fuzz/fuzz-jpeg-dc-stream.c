/* fuzz-jpeg-dc-stream.c: libFuzzer harness for lb_jpeg_dc_stream_new()
 *
 * The thumbnailer cuts every big progressive JPEG down to its DC scans
 * with its own marker parser before libjpeg sees it. The fuzz input is
 * the file. A copy it makes must itself be a stream that parser takes
 * whole: cut down again, it loses its zero AC scans and gets them back,
 * behind a second table and restart-interval segment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-harness.h"
#include "lb-jpeg-dc-stream.h"

/* What lb_jpeg_dc_stream_new() adds before its zero AC scans: a DHT
 * segment of 2 + 2 + 1 + 16 + 15 bytes and a DRI segment of 6. */
#define ADDED_SEGMENTS_SIZE (36 + 6)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) stream = lb_jpeg_dc_stream_new (data, size);
  g_autoptr(GBytes) again = NULL;
  const guint8 *bytes;
  gsize length;

  if (stream == NULL)
    return 0;

  bytes = g_bytes_get_data (stream, &length);
  g_assert_cmpuint (length, >=, 4);
  g_assert_true (bytes[0] == 0xFF && bytes[1] == 0xD8);
  g_assert_true (bytes[length - 2] == 0xFF && bytes[length - 1] == 0xD9);

  again = lb_jpeg_dc_stream_new (bytes, length);
  g_assert_nonnull (again);
  g_assert_cmpuint (g_bytes_get_size (again), ==, length + ADDED_SEGMENTS_SIZE);

  return 0;
}
