/* make-seeds.c: writes the seed corpora of the fuzzers
 *
 *   make-seeds DIR NAME…
 *
 * Writes the seeds of each harness fuzz-NAME into DIR/NAME (see
 * fuzz-seeds.h), for fuzz/run-fuzzers to start libFuzzer from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-seeds.h"
#include "lb-vips.h"

int
main (int   argc,
      char *argv[])
{
  if (argc < 3)
    {
      g_printerr ("usage: %s DIR NAME…\n", argv[0]);
      return 2;
    }

  lb_vips_init (argv[0]);
  for (int i = 2; i < argc; i++)
    {
      g_autofree char *dir = g_build_filename (argv[1], argv[i], NULL);

      if (!fuzz_seeds_write (argv[i], dir))
        return 1;
    }

  return 0;
}
