/* lb-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-texture-cache.h"
#include "lb-thumbnail-scheduler.h"
#include "lb-window.h"

G_BEGIN_DECLS

#define LB_TYPE_APPLICATION (lb_application_get_type ())

G_DECLARE_FINAL_TYPE (LbApplication, lb_application, LB, APPLICATION, AdwApplication)

LbApplication        *lb_application_new           (void);
LbThumbnailScheduler *lb_application_get_scheduler (LbApplication *self);
LbTextureCache       *lb_application_get_texture_cache (LbApplication *self);
GFile                *lb_application_get_default_folder (void);
/* A new window on the application's engine, not shown yet. */
LbWindow             *lb_application_new_window    (LbApplication *self);

G_END_DECLS
