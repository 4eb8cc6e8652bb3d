/* lb-properties-pane.h: what there is to know about one file
 *
 * Name, folder, size, dates and format, and for photos what the camera
 * recorded: date taken, camera, lens, exposure, location… Read
 * asynchronously whenever the pane is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LB_TYPE_PROPERTIES_PANE (lb_properties_pane_get_type ())

G_DECLARE_FINAL_TYPE (LbPropertiesPane, lb_properties_pane, LB, PROPERTIES_PANE, AdwBin)

GtkWidget *lb_properties_pane_new         (void);
void       lb_properties_pane_set_file    (LbPropertiesPane *self,
                                           GFile            *file);
GFile     *lb_properties_pane_get_file    (LbPropertiesPane *self);
/* TRUE while what is shown is still being read. */
gboolean   lb_properties_pane_get_loading (LbPropertiesPane *self);

G_END_DECLS
