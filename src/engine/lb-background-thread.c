/* lb-background-thread.c: helper threads that give way to the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-background-thread"

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>

#include "lb-background-thread.h"

void
lb_background_thread_enter (int niceness)
{
  static GPrivate entered;
  struct sched_param param = { 0 };

  g_return_if_fail (niceness >= 0 && niceness <= 19);

  if (g_private_get (&entered) != NULL)
    return;
  g_private_set (&entered, GINT_TO_POINTER (TRUE));

  /* On Linux both act on the calling thread alone (0 names it), and
   * the policy keeps the niceness: set it first or after, the same. */
  if (sched_setscheduler (0, SCHED_BATCH, &param) != 0)
    g_debug ("Could not make the thread a background one: %s", g_strerror (errno));
  if (niceness > 0 && setpriority (PRIO_PROCESS, 0, niceness) != 0)
    g_debug ("Could not lower the thread's priority: %s", g_strerror (errno));
}
