/* lb-timings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-timings"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "lb-timings.h"

/* How often the main loop is pinged. */
#define PING_INTERVAL_US 5000

static gboolean enabled;
static gint64 start_us;       /* on CLOCK_BOOTTIME */
static GHashTable *marked;

static GThread *watcher;
static gint stop_watching;
static GMutex lock;
static GCond cond;
static gboolean ping_done;
static gint64 max_stall_us;   /* under lock */

static gint64
boottime_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_BOOTTIME, &now);

  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* When the kernel started the process: field 22 of /proc/self/stat, in
 * clock ticks since boot, so that the time the dynamic linker and the
 * libraries' constructors take counts too. */
static gboolean
read_process_start (gint64 *start)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  long ticks = sysconf (_SC_CLK_TCK);

  if (ticks <= 0 || !g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return FALSE;

  /* The name, field 2, is in parentheses and may hold spaces. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return FALSE;

  /* Fields from the 3rd on; the start time is the 22nd. */
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 20)
    return FALSE;

  *start = g_ascii_strtoll (fields[19], NULL, 10) * G_USEC_PER_SEC / ticks;

  return TRUE;
}

void
lb_timings_init (void)
{
  if (!read_process_start (&start_us))
    start_us = boottime_us ();
}

void
lb_timings_enable (void)
{
  enabled = TRUE;
  if (marked == NULL)
    marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

gboolean
lb_timings_get_enabled (void)
{
  return enabled;
}

static void
print_timing (const char *name,
              gint64      us)
{
  g_print ("timing %s %" G_GINT64_FORMAT "\n", name, us / 1000);
  fflush (stdout);
}

void
lb_timings_mark (const char *name)
{
  g_return_if_fail (name != NULL);

  if (!enabled || g_hash_table_contains (marked, name))
    return;

  g_hash_table_add (marked, g_strdup (name));
  print_timing (name, boottime_us () - start_us);
}

static gboolean
ping_cb (gpointer user_data)
{
  gint64 *posted = user_data;
  gint64 late = g_get_monotonic_time () - *posted;

  g_mutex_lock (&lock);
  max_stall_us = MAX (max_stall_us, late);
  ping_done = TRUE;
  g_cond_signal (&cond);
  g_mutex_unlock (&lock);

  return G_SOURCE_REMOVE;
}

static gpointer
watch_thread (gpointer user_data)
{
  while (!g_atomic_int_get (&stop_watching))
    {
      gint64 *posted = g_new (gint64, 1);

      g_mutex_lock (&lock);
      ping_done = FALSE;
      g_mutex_unlock (&lock);

      /* Above every GTK priority: it runs as soon as the loop is free. */
      *posted = g_get_monotonic_time ();
      g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, ping_cb, posted, g_free);

      g_mutex_lock (&lock);
      while (!ping_done && !g_atomic_int_get (&stop_watching))
        g_cond_wait_until (&cond, &lock, g_get_monotonic_time () + G_USEC_PER_SEC);
      g_mutex_unlock (&lock);

      g_usleep (PING_INTERVAL_US);
    }

  return NULL;
}

void
lb_timings_watch_stalls (void)
{
  if (!enabled || watcher != NULL)
    return;

  watcher = g_thread_new ("lightbox-stalls", watch_thread, NULL);
}

void
lb_timings_finish (void)
{
  gint64 max_stall;

  if (!enabled || watcher == NULL)
    return;

  g_atomic_int_set (&stop_watching, TRUE);
  g_mutex_lock (&lock);
  g_cond_signal (&cond);
  g_mutex_unlock (&lock);
  g_clear_pointer (&watcher, g_thread_join);

  g_mutex_lock (&lock);
  max_stall = max_stall_us;
  g_mutex_unlock (&lock);

  print_timing ("max-stall", max_stall);
}
