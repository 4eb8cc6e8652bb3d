/* lb-test-ui.h: driving widgets under Xvfb as a person would
 *
 * Free of check, so that benchmarks/soak-ui drives the window with the
 * same helpers as the UI tests; failures are returned, not asserted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lb-application.h"
#include "lb-browser-test-utils.h"
#include "lb-window.h"

G_BEGIN_DECLS

/* Presses @keyval with @modifiers in @window: the shortcuts of the focus
 * widget and its ancestors are tried in turn, as GTK dispatches them
 * (widget key bindings, shortcut controllers). FALSE if none took it. */
gboolean    lb_test_press_key         (GtkWindow       *window,
                                       guint            keyval,
                                       GdkModifierType  modifiers);

/* The first widget of @type in the tree under @root, depth first. */
/* Presses and releases mouse @button over the middle of @widget through
 * the X server (XTest), so that it takes GTK's whole way in; FALSE when
 * the display is no X11 one. */
gboolean    lb_test_click_button      (GtkWidget       *widget,
                                       guint            button);

GtkWidget  *lb_test_find_widget       (GtkWidget       *root,
                                       GType            type);
/* The visible button under @root whose label (or label child) is @label. */
GtkWidget  *lb_test_find_button       (GtkWidget       *root,
                                       const char      *label);
/* The AdwActionRow under @root titled @title. */
AdwActionRow *lb_test_find_row        (GtkWidget       *root,
                                       const char      *title);

/* Scrolls the first scrolled window under @root to its bottom. FALSE if
 * there is none. */
gboolean    lb_test_scroll_to_bottom  (GtkWidget       *root);

/* A new registered LbApplication that never hands its work to a
 * Lightbox the user is running (G_APPLICATION_NON_UNIQUE); NULL and
 * @error set if it cannot register. */
LbApplication *lb_test_application_new (GError         **error);
/* Iterates the default main context until @window has listed its folder
 * and shown every thumbnail it wants. Returns FALSE only after a very
 * long time: a hang guard, never a timing. */
gboolean    lb_test_wait_until_idle   (LbWindow        *window);

G_END_DECLS
