/* fuzz-seeds.h: the seed corpus of each fuzz harness, made at run time
 *
 * Seeds are inputs that each harness accepts and takes deep (images of
 * every format, EXIF and XMP as cameras and editors write them, trash
 * records as GIO writes them), plus a few broken ones; made with the
 * test fixtures (tests/lb-test-fixtures.h) and libvips, never read from
 * anywhere. Call from one thread, libvips started (lb_vips_init()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lb-test-fixtures.h"

G_BEGIN_DECLS

/* Writes the seeds of the harness fuzz-@name into @dir, which is made if
 * missing; FALSE, with the reason on stderr, for an unknown @name or
 * when a fixture could not be made. */
gboolean fuzz_seeds_write       (const char   *name,
                                 const char   *dir);

/* The two below are for fuzz-seeds*.c, inside the check test that
 * fuzz_seeds_write() runs (the fixtures report through check). */

/* The seeds of fuzz-image-info (fuzz-seeds-exif.c). */
void     fuzz_seeds_image_info  (const char   *dir);

/* An image of @format and @width × @height made with the test fixtures,
 * then saved by libvips as a JPEG with @options (an option string such
 * as "interlace,Q=90,strip"): for JPEGs of other flavours. */
GBytes  *fuzz_seeds_make_jpeg   (LbTestFormat  format,
                                 int           width,
                                 int           height,
                                 const char   *options);

G_END_DECLS
