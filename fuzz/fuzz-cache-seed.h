/* fuzz-cache-seed.h: what the cache harness asks for, and its seeds say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define FUZZ_CACHE_URI   "file:///fuzz/photo.jpg"
#define FUZZ_CACHE_MTIME 1700000000
