/* lb-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-application.h"

G_BEGIN_DECLS

#define LB_TYPE_WINDOW (lb_window_get_type ())

G_DECLARE_FINAL_TYPE (LbWindow, lb_window, LB, WINDOW, AdwApplicationWindow)

LbWindow *lb_window_new        (LbApplication *application);
GFile    *lb_window_get_folder (LbWindow      *self);
void      lb_window_set_folder (LbWindow      *self,
                                GFile         *folder);

G_END_DECLS
