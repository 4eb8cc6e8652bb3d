/* lb-location-entry.h: a path to type, completed from the subfolders
 *
 * The folder being typed into is listed asynchronously and its subfolders
 * whose names start with what was typed are offered in a popover: arrows
 * pick one, Tab or Enter takes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LB_TYPE_LOCATION_ENTRY (lb_location_entry_get_type ())

G_DECLARE_FINAL_TYPE (LbLocationEntry, lb_location_entry, LB, LOCATION_ENTRY, GtkWidget)

/* Shows @location as text, all of it selected, ready to be typed over. */
void       lb_location_entry_set_location (LbLocationEntry *self,
                                           GFile           *location);
/* What the text names: a path, ~/…, or a URI; NULL when empty. */
GFile     *lb_location_entry_get_file     (LbLocationEntry *self);
/* The subfolder names offered for the text now. */
GStrv      lb_location_entry_get_completions (LbLocationEntry *self);

G_END_DECLS
