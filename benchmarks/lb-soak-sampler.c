/* lb-soak-sampler.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include "lb-soak-sampler.h"

static glong
resident_kib (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0;
  unsigned long resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return -1;

  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

void
lb_soak_sampler_init (LbSoakSampler *sampler,
                      int            rounds,
                      int            sample_every)
{
  *sampler = (LbSoakSampler) { .rounds = rounds, .sample_every = sample_every };
}

void
lb_soak_sampler_after_round (LbSoakSampler *sampler,
                             int            round)
{
  struct mallinfo2 info;
  glong rss;

  if (round % sampler->sample_every != 0)
    return;

  rss = resident_kib ();
  /* The first tenth warms up libvips, the caches and malloc's arenas. */
  if (round <= sampler->rounds / 10 || sampler->warm_kib == 0)
    sampler->warm_kib = rss;
  sampler->peak_kib = MAX (sampler->peak_kib, rss);
  sampler->last_kib = rss;
  /* Also what malloc has handed out and not got back: if that stays
   * flat while the resident size creeps, it is fragmentation. */
  info = mallinfo2 ();
  printf ("%d %ld %zu\n", round, rss, (info.uordblks + info.hblkhd) / 1024);
  fflush (stdout);
}

void
lb_soak_sampler_print_summary (LbSoakSampler *sampler,
                               guint          n_files)
{
  printf ("summary rounds=%d files=%u warm_kib=%ld last_kib=%ld peak_kib=%ld growth_kib=%ld\n",
          sampler->rounds, n_files, sampler->warm_kib, sampler->last_kib, sampler->peak_kib,
          sampler->last_kib - sampler->warm_kib);
}
