/* lb-soak-sampler.h: the memory samples and summary of the soak programs
 *
 * One line per sample, "round rss_kib heap_kib" (heap: what malloc has
 * handed out and not got back), then a summary line, as benchmarks/soak
 * reads them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int   rounds;
  int   sample_every;
  glong warm_kib;   /* the last sample of the first tenth: the warm-up */
  glong peak_kib;
  glong last_kib;
} LbSoakSampler;

void  lb_soak_sampler_init          (LbSoakSampler *sampler,
                                     int            rounds,
                                     int            sample_every);
/* Samples and prints the memory after round @round, when it is one of
 * every sample_every rounds. */
void  lb_soak_sampler_after_round   (LbSoakSampler *sampler,
                                     int            round);
void  lb_soak_sampler_print_summary (LbSoakSampler *sampler,
                                     guint          n_files);

G_END_DECLS
