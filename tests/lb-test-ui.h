/* lb-test-ui.h: driving widgets under Xvfb as a person would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-browser-test-utils.h"

G_BEGIN_DECLS

/* Presses @keyval with @modifiers in @window: the shortcuts of the focus
 * widget and its ancestors are tried in turn, as GTK dispatches them
 * (widget key bindings, shortcut controllers). FALSE if none took it. */
gboolean    lb_test_press_key         (GtkWindow       *window,
                                       guint            keyval,
                                       GdkModifierType  modifiers);

/* The first widget of @type in the tree under @root, depth first. */
GtkWidget  *lb_test_find_widget       (GtkWidget       *root,
                                       GType            type);
/* The visible button under @root whose label (or label child) is @label. */
GtkWidget  *lb_test_find_button       (GtkWidget       *root,
                                       const char      *label);
/* The AdwActionRow under @root titled @title. */
AdwActionRow *lb_test_find_row        (GtkWidget       *root,
                                       const char      *title);

G_END_DECLS
