/* lb-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lb-test-ui.h"

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
