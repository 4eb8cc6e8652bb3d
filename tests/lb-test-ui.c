/* lb-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <X11/extensions/XTest.h>
#include <gdk/x11/gdkx.h>

#include "lb-test-ui.h"

/* Anything the window does takes seconds; this only stops hangs. */
#define IDLE_LIMIT_US (120 * G_USEC_PER_SEC)

static gboolean
widget_activate_shortcuts (GtkWidget       *widget,
                           GtkShortcutTrigger *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      /* Managed and global shortcuts (menu accels, mnemonics) act on
       * other widgets than the one they hang on: not keys of the focus. */
      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) != GTK_SHORTCUT_SCOPE_LOCAL)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger) &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                            gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }

  return FALSE;
}

gboolean
lb_test_press_key (GtkWindow       *window,
                   guint            keyval,
                   GdkModifierType  modifiers)
{
  g_autoptr(GtkShortcutTrigger) trigger = gtk_keyval_trigger_new (keyval, modifiers);
  GtkWidget *widget = gtk_root_get_focus (GTK_ROOT (window));

  if (widget == NULL)
    widget = GTK_WIDGET (window);

  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (widget_activate_shortcuts (widget, trigger))
      return TRUE;

  return FALSE;
}

gboolean
lb_test_click_button (GtkWidget *widget,
                      guint      button)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkDisplay *display = gtk_widget_get_display (widget);
  graphene_point_t point;
  double dx, dy;
  Display *xdisplay;
  Window child;
  int x, y;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  if (native == NULL || !GDK_IS_X11_DISPLAY (display) ||
      !gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                 &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                       gtk_widget_get_height (widget) / 2.f),
                                 &point))
    return FALSE;

  /* From the widget's middle to the screen, through the surface. */
  gtk_native_get_surface_transform (native, &dx, &dy);
  xdisplay = gdk_x11_display_get_xdisplay (display);
  XTranslateCoordinates (xdisplay, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (xdisplay), point.x + dx, point.y + dy, &x, &y, &child);

  XTestFakeMotionEvent (xdisplay, -1, x, y, CurrentTime);
  XTestFakeButtonEvent (xdisplay, button, True, CurrentTime);
  XTestFakeButtonEvent (xdisplay, button, False, CurrentTime);
  XFlush (xdisplay);

  return TRUE;
}

GtkWidget *
lb_test_find_widget (GtkWidget *root,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lb_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
lb_test_find_button (GtkWidget  *root,
                     const char *label)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_visible (root))
    {
      const char *text = gtk_button_get_label (GTK_BUTTON (root));
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (root));

      if (text == NULL && GTK_IS_LABEL (child))
        text = gtk_label_get_label (GTK_LABEL (child));
      if (g_strcmp0 (text, label) == 0)
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = lb_test_find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

AdwActionRow *
lb_test_find_row (GtkWidget  *root,
                  const char *title)
{
  if (ADW_IS_ACTION_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return ADW_ACTION_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found = lb_test_find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
lb_test_scroll_to_bottom (GtkWidget *root)
{
  GtkWidget *scrolled = lb_test_find_widget (root, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  if (scrolled == NULL)
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));

  return TRUE;
}

LbApplication *
lb_test_application_new (GError **error)
{
  g_autoptr(LbApplication) app = lb_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, error))
    return NULL;

  return g_steal_pointer (&app);
}

gboolean
lb_test_wait_until_idle (LbWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + IDLE_LIMIT_US;

  /* Let the change start before asking whether it is over. */
  for (int i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);

  while (lb_window_get_busy (window))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }

  return TRUE;
}
