/* empty-window.c: GTK and libadwaita alone, for run-browser-benchmarks
 *
 * A libadwaita window of Lightbox's default size, with a header bar and
 * an empty grid view, started as `lightbox --timings` starts: what any
 * libadwaita app pays before its first frame, on the same machine. Prints
 * "timing window-shown MS" (milliseconds since the process started, as
 * lb-timings.h measures them) after the first frame, and quits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

#include "lb-timings.h"

static void
after_paint_cb (GdkFrameClock *clock,
                GApplication  *app)
{
  lb_timings_mark ("window-shown");
  g_application_quit (app);
}

static void
realize_cb (GtkWidget    *window,
            GApplication *app)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (after_paint_cb), app, 0);
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), gtk_grid_view_new (NULL, NULL));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (content), scroller);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), content);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);

  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  lb_timings_init ();
  lb_timings_enable ();

  app = adw_application_new ("io.github.lightbox.EmptyWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
