/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox"

#include <glib/gi18n.h>
#include <locale.h>

#include "lb-application.h"
#include "lb-vips.h"
#include "lb-timings.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LbApplication) app = NULL;
  const char *localedir;

  lb_timings_init ();
  setlocale (LC_ALL, "");
  /* Uninstalled runs and tests use the catalogues in the build folder. */
  localedir = g_getenv ("LIGHTBOX_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* libvips itself starts when a thumbnail first needs it. */
  lb_vips_tune_heap ();

  app = lb_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
