/* lb-background-thread.h: helper threads that give way to the window
 *
 * On two cores, every helper thread that wakes up while the main thread
 * draws takes the CPU from it: a grid rebinding its cells sends the
 * thumbnail scheduler's I/O thread one message per cell, and each one
 * woke that thread and preempted the main thread (some 300 switches in
 * one 36 ms stall of a 10,000-file listing).
 *
 * Linux; GTK-free. Call from the thread itself, as it starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes the calling thread a background one: SCHED_BATCH, which still
 * gets its fair share of the CPU but never preempts another thread on
 * waking up (the next scheduler tick decides), at @niceness (0–19;
 * higher yields more). Once per thread; failures are only logged, as
 * the thread works the same, only less politely. */
void lb_background_thread_enter (int niceness);

G_END_DECLS
