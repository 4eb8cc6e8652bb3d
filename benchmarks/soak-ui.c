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
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include "lb-application.h"
#include "lb-thumbnail-render.h"
#include "lb-window.h"

/* A hang guard: a round takes well under a second. */
#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

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

/* Iterates the main context until the window has listed its folder and
 * shown every thumbnail it wants. */
static void
wait_until_idle (LbWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  /* Let the change start before asking whether it is over. */
  for (int i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);

  while (lb_window_get_busy (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the window stayed busy for %d s", (int) (WAIT_LIMIT_US / G_USEC_PER_SEC));
      g_main_context_iteration (NULL, TRUE);
    }
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
scroll_to_bottom (LbWindow *window)
{
  GtkWidget *scrolled = find_widget (GTK_WIDGET (window), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  if (scrolled == NULL)
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
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
  int rounds = 1000;
  int sample_every = 10;
  glong warm = 0;
  glong peak = 0;
  glong last = 0;
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
  app = lb_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  window = lb_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gtk_window_present (GTK_WINDOW (window));

  for (int i = 1; i <= rounds; i++)
    {
      struct mallinfo2 info;
      glong rss;

      lb_window_set_folder (window, folder);
      wait_until_idle (window);
      scroll_to_bottom (window);
      wait_until_idle (window);
      if (i % 4 == 0)
        {
          gtk_widget_activate_action (GTK_WIDGET (window), i % 8 == 0 ? "win.zoom-out" : "win.zoom-in",
                                      NULL);
          wait_until_idle (window);
        }
      lb_window_set_folder (window, parent);
      wait_until_idle (window);

      if (i % sample_every != 0)
        continue;

      rss = resident_kib ();
      if (i <= rounds / 10 || warm == 0)
        warm = rss;
      peak = MAX (peak, rss);
      last = rss;
      info = mallinfo2 ();
      printf ("%d %ld %zu\n", i, rss, (info.uordblks + info.hblkhd) / 1024);
      fflush (stdout);
    }

  printf ("summary rounds=%d files=%u warm_kib=%ld last_kib=%ld peak_kib=%ld growth_kib=%ld\n",
          rounds, 0u, warm, last, peak, last - warm);

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
