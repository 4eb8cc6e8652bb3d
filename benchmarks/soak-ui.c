/* soak-ui.c: the real window, sent into a folder and out again over and over
 *
 *   soak-ui [--rounds=N] [--sample-every=N] FOLDER
 *
 * Runs under a display (benchmarks/soak uses Xvfb). Each round opens
 * FOLDER in the window, waits until its thumbnails are shown, scrolls to
 * the bottom and waits again, zooms in or out every fourth round, then
 * goes up to the parent folder and waits for that too: the browser's
 * whole life cycle of a folder, from listing to cancelled thumbnails.
 * Output as soak-engine's: "round rss_kib heap_kib" lines, a summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lb-soak-sampler.h"
#include "lb-test-ui.h"
#include "lb-vips.h"

/* Waits until the window has listed its folder and shown every
 * thumbnail it wants. */
static void
wait_until_idle (LbWindow *window)
{
  if (!lb_test_wait_until_idle (window))
    g_error ("the window stayed busy");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FOLDER");
  g_autoptr(GError) error = NULL;
  g_autoptr(LbApplication) app = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) parent = NULL;
  LbWindow *window;
  LbSoakSampler sampler;
  int rounds = 1000;
  int sample_every = 10;
  const GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Visits of the folder (1000)", "N" },
    { "sample-every", 0, 0, G_OPTION_ARG_INT, &sample_every, "Rounds between samples (10)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 ||
      rounds < 20 || sample_every < 1)
    {
      g_printerr ("usage: soak-ui [--rounds=N≥20] [--sample-every=N] FOLDER\n");
      return 2;
    }

  gtk_init ();
  adw_init ();
  lb_vips_init (argv[0]);

  folder = g_file_new_for_commandline_arg (argv[1]);
  parent = g_file_get_parent (folder);

  /* Never hand the work to a Lightbox the user is running. */
  app = lb_test_application_new (&error);
  if (app == NULL)
    g_error ("%s", error->message);

  window = lb_application_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_present (GTK_WINDOW (window));

  lb_soak_sampler_init (&sampler, rounds, sample_every);
  for (int i = 1; i <= rounds; i++)
    {
      lb_window_set_folder (window, folder);
      wait_until_idle (window);
      lb_test_scroll_to_bottom (GTK_WIDGET (window));
      wait_until_idle (window);
      if (i % 4 == 0)
        {
          gtk_widget_activate_action (GTK_WIDGET (window), i % 8 == 0 ? "win.zoom-out" : "win.zoom-in",
                                      NULL);
          wait_until_idle (window);
        }
      lb_window_set_folder (window, parent);
      wait_until_idle (window);
      lb_soak_sampler_after_round (&sampler, i);
    }
  lb_soak_sampler_print_summary (&sampler, 0);

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
