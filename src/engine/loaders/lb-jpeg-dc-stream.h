/* lb-jpeg-dc-stream.h: progressive JPEGs cut down to what 1/8 scale reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Scaled to 1/8 as it decodes, a JPEG component at full resolution is
 * made of the first (DC) coefficient of each 8 × 8 block alone. A
 * progressive JPEG codes those in scans of their own, apart from the
 * scans of the 63 other (AC) coefficients, which hold most of its bytes
 * and of its decoding time.
 *
 * Returns a copy of the progressive JPEG @data without the AC scans of
 * its full-resolution components (subsampled chroma keeps them), ending
 * with one AC scan for each of those that says "all zero" in a few
 * bytes; or NULL when @data is not a whole, well-formed progressive
 * Huffman-coded JPEG. Decoded at 1/8 scale, the copy gives the same
 * pixels as @data. (Without the zero scans, libjpeg-turbo would take the
 * AC coefficients as unknown and smooth the DC ones across blocks.) */
GBytes *lb_jpeg_dc_stream_new (const guint8 *data,
                               gsize         len);

G_END_DECLS
