/* lb-timings.h: `lightbox --timings`: when things happened, and stalls
 *
 * Prints "timing NAME MS" lines on stdout, MS being milliseconds since
 * the process started (as /proc says, else since lb_timings_init()),
 * each name once. The stall monitor measures how late the main loop
 * runs a high-priority callback posted every few milliseconds by a
 * helper thread: the longest wait is "max-stall".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first thing in main(): the fallback start time. */
void      lb_timings_init          (void);
void      lb_timings_enable        (void);
gboolean  lb_timings_get_enabled   (void);
/* Prints @name once, with the time now; nothing when not enabled. */
void      lb_timings_mark          (const char *name);
/* Starts watching the default main context for stalls. */
void      lb_timings_watch_stalls  (void);
/* Stops watching and prints max-stall. */
void      lb_timings_finish        (void);

G_END_DECLS
