/* lb-window-test-utils.c
 *
 * See the header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>

#include "lb-browser-test-utils.h"
#include "lb-test-fixtures.h"
#include "lb-test-ui.h"
#include "lb-window-test-utils.h"

void
lb_test_write_photo (const char *folder,
                     const char *name,
                     int         width,
                     int         height)
{
  LbTestFormat format = LB_TEST_FORMAT_JPEG;
  g_autofree char *path = NULL;

  if (g_str_has_suffix (name, ".png"))
    format = LB_TEST_FORMAT_PNG;
  else if (g_str_has_suffix (name, ".webp"))
    format = LB_TEST_FORMAT_WEBP;
  else if (g_str_has_suffix (name, ".tif"))
    format = LB_TEST_FORMAT_TIFF;

  path = lb_test_write_image (folder, name, format, width, height, 1);
  ck_assert (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

LbApplication *
lb_test_start_application (void)
{
  g_autoptr(GError) error = NULL;
  LbApplication *app = lb_test_application_new (&error);

  ck_assert (app != NULL);

  return app;
}

LbWindow *
lb_test_open_window (LbApplication *app,
                     const char    *path)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  LbWindow *window = lb_application_new_window (app);

  lb_window_set_folder (window, folder);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

GListModel *
lb_test_window_items (LbWindow *window)
{
  return G_LIST_MODEL (lb_window_get_model (window));
}

void
lb_test_collect_widgets (GtkWidget *root,
                         GType      type,
                         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    lb_test_collect_widgets (child, type, found);
}

GtkWidget *
lb_test_grid_of (LbWindow *window)
{
  GtkWidget *grid = lb_test_find_widget (GTK_WIDGET (window), GTK_TYPE_GRID_VIEW);

  ck_assert_ptr_nonnull (grid);

  return grid;
}

/* The cell showing @name, if one is bound to it. */
LbThumbnailCell *
lb_test_cell_named (LbWindow   *window,
                    const char *name)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  lb_test_collect_widgets (lb_test_grid_of (window), LB_TYPE_THUMBNAIL_CELL, cells);
  for (guint i = 0; i < cells->len; i++)
    {
      LbFileItem *item = lb_thumbnail_cell_get_item (g_ptr_array_index (cells, i));

      if (item != NULL && g_str_equal (lb_file_item_get_name (item), name))
        return g_ptr_array_index (cells, i);
    }

  return NULL;
}

LbThumbnailPicture *
lb_test_picture_of (LbThumbnailCell *cell)
{
  return LB_THUMBNAIL_PICTURE (lb_test_find_widget (GTK_WIDGET (cell), LB_TYPE_THUMBNAIL_PICTURE));
}

/* The number of cells that show a thumbnail made for the size shown. */
guint
lb_test_count_thumbnails (LbWindow *window)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  LbThumbnailLoader *loader = lb_window_get_loader (window);
  guint n = 0;

  lb_test_collect_widgets (lb_test_grid_of (window), LB_TYPE_THUMBNAIL_CELL, cells);
  for (guint i = 0; i < cells->len; i++)
    {
      LbThumbnailCell *cell = g_ptr_array_index (cells, i);
      LbFileItem *item = lb_thumbnail_cell_get_item (cell);
      GdkTexture *texture = lb_thumbnail_picture_get_texture (lb_test_picture_of (cell));
      gboolean exact = FALSE;

      if (item != NULL && texture != NULL &&
          lb_thumbnail_loader_lookup (loader, item, NULL, &exact) == texture && exact)
        n++;
    }

  return n;
}

gboolean
lb_test_window_is_listed (gpointer data)
{
  return !lb_folder_model_get_loading (lb_window_get_model (data));
}

gboolean
lb_test_window_is_idle (gpointer data)
{
  return !lb_window_get_busy (data) && gtk_widget_get_mapped (data);
}

const char *
lb_test_visible_page (LbWindow *window)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (lb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE),
                                                        GTK_TYPE_STACK));

  return gtk_stack_get_visible_child_name (stack);
}

gboolean
lb_test_shows_status (gpointer data)
{
  return g_strcmp0 (lb_test_visible_page (data), "status") == 0;
}

const char *
lb_test_status_title (LbWindow *window)
{
  return adw_status_page_get_title (ADW_STATUS_PAGE (lb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE)));
}

char *
lb_test_name_at (LbWindow *window,
                 guint     position)
{
  g_autoptr(LbFileItem) item = g_list_model_get_item (lb_test_window_items (window), position);

  ck_assert_ptr_nonnull (item);

  return g_strdup (lb_file_item_get_name (item));
}

gboolean
lb_test_has_n_thumbnails (gpointer data)
{
  LbTestExpect *expect = data;

  return lb_test_count_thumbnails (expect->window) >= expect->n;
}

gboolean
lb_test_has_n_items (gpointer data)
{
  LbTestExpect *expect = data;

  return lb_test_window_is_listed (expect->window) &&
         g_list_model_get_n_items (lb_test_window_items (expect->window)) == expect->n;
}

gboolean
lb_test_focus_in_grid (gpointer data)
{
  LbTestExpect *expect = data;
  GtkWidget *grid = lb_test_find_widget (GTK_WIDGET (expect->window), GTK_TYPE_GRID_VIEW);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (expect->window));

  return focus != NULL && (focus == grid || gtk_widget_is_ancestor (focus, grid));
}

gboolean
lb_test_shows_name (gpointer data)
{
  LbTestExpect *expect = data;

  return lb_test_model_find (lb_test_window_items (expect->window), expect->name) >= 0;
}

gboolean
lb_test_lacks_name (gpointer data)
{
  return !lb_test_shows_name (data);
}

gboolean
lb_test_has_cell (gpointer data)
{
  LbTestExpect *expect = data;

  return lb_test_cell_named (expect->window, expect->name) != NULL;
}

gboolean
lb_test_shows_folder_named (gpointer data)
{
  LbTestExpect *expect = data;
  g_autofree char *basename = g_file_get_basename (lb_window_get_folder (expect->window));

  return g_str_equal (basename, expect->name) && lb_test_window_is_listed (expect->window);
}

/* The header bar's widget of @type whose string @property is @value. */
GtkWidget *
lb_test_header_widget (LbWindow   *window,
                       GType       type,
                       const char *property,
                       const char *value)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  lb_test_collect_widgets (lb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR), type, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      g_autofree char *found = NULL;

      g_object_get (g_ptr_array_index (widgets, i), property, &found, NULL);
      if (g_strcmp0 (found, value) == 0)
        return g_ptr_array_index (widgets, i);
    }

  ck_abort_msg ("no %s with %s %s", g_type_name (type), property, value);

  return NULL;
}

/* The header bar button that triggers @action. */
GtkWidget *
lb_test_button_for (LbWindow   *window,
                    const char *action)
{
  return lb_test_header_widget (window, GTK_TYPE_BUTTON, "action-name", action);
}

void
lb_test_activate (LbWindow   *window,
                  const char *action)
{
  ck_assert_msg (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL), "%s", action);
}
