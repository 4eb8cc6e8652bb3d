/* lb-path-bar.h: the folders from the top down to the one shown, as buttons
 *
 * Going up keeps the deeper buttons, so that one can go down again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LB_TYPE_PATH_BAR (lb_path_bar_get_type ())

G_DECLARE_FINAL_TYPE (LbPathBar, lb_path_bar, LB, PATH_BAR, GtkWidget)

void       lb_path_bar_set_location (LbPathBar *self,
                                     GFile     *location);
GFile     *lb_path_bar_get_location (LbPathBar *self);

G_END_DECLS
