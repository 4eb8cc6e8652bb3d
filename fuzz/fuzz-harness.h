/* fuzz-harness.h: what every harness of fuzz/ defines, and shares
 *
 * Each fuzz-NAME.c defines LLVMFuzzerTestOneInput(), and
 * LLVMFuzzerInitialize() when it has set-up to do. It is linked either
 * with libFuzzer (-Dfuzzing=true, clang) or with replay-main.c, which
 * runs it over its seeds in the test suite. Both call
 * LLVMFuzzerInitialize() once, then LLVMFuzzerTestOneInput() once an
 * input, from one thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int   LLVMFuzzerInitialize   (int            *argc,
                              char         ***argv);
int   LLVMFuzzerTestOneInput (const uint8_t  *data,
                              size_t          size);

/* Starts libvips as the engine does and silences the warnings every
 * broken input would print: the harnesses look for crashes, not words. */
void  fuzz_init_vips         (const char     *argv0);

/* A new temporary folder, removed with everything in it when the
 * process exits. */
char *fuzz_make_tmp_dir      (void);

G_END_DECLS
