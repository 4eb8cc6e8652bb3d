/* test-window.c: the real Lightbox window, driven under Xvfb
 *
 * The tests act as a user would through the window's actions (what its
 * keys, buttons and menus trigger), its entries and its grid, and look
 * at what the window shows. Every folder is made at test time; no test
 * asserts how long anything takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sched.h>
#include <unistd.h>

#include "lb-application.h"
#include "lb-browser-test-utils.h"
#include "lb-location-entry.h"
#include "lb-path-bar.h"
#include "lb-test-fixtures.h"
#include "lb-test-ui.h"
#include "lb-thumbnail-cell.h"
#include "lb-thumbnail-picture.h"
#include "lb-vips.h"
#include "lb-window.h"
#include "lb-window-test-utils.h"

static void
setup (void)
{
  lb_test_tmp_dir_setup ();
}

static void
teardown (void)
{
  lb_test_regain_privileges ();
  lb_test_tmp_dir_teardown ();
}

/* --- showing a folder ---------------------------------------------------- */

START_TEST (test_window_shows_folder)
{
  g_autofree char *folder = g_build_filename (lb_test_tmp_dir, "Holiday 2026", NULL);
  g_autofree char *subfolder = g_build_filename (folder, "zz-raw", NULL);
  g_autoptr(LbApplication) app = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *last = NULL;
  g_autofree char *cached = NULL;
  g_autofree char *cache_home = g_strdup (g_get_user_cache_dir ());
  LbThumbnailCell *cell;
  LbWindow *window;
  LbTestExpect seven = { NULL, NULL, 7 };
  LbTestExpect six = { NULL, NULL, 6 };

  ck_assert_int_eq (g_mkdir_with_parents (subfolder, 0700), 0);
  lb_test_write_photo (folder, "img-10.jpg", 640, 480);
  lb_test_write_photo (folder, "img-2.jpg", 480, 640);
  lb_test_write_photo (folder, "img-1.png", 300, 200);
  lb_test_write_photo (folder, "beach.webp", 800, 450);
  lb_test_write_photo (folder, "sunset.tif", 500, 500);
  lb_test_write_photo (folder, "Zebra.jpg", 256, 256);
  lb_test_write_photo (folder, ".hidden.jpg", 64, 64);

  app = lb_test_start_application ();
  window = lb_test_open_window (app, folder);
  seven.window = six.window = window;

  /* Title: the folder's name; subtitle: its path. */
  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (window)), "Holiday 2026");
  ck_assert_str_eq (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (lb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE))),
                    folder);
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &seven));

  /* The keys go to the grid from the start, not to a header button
   * (Enter would go up a folder). */
  ck_assert (lb_test_wait_for (lb_test_focus_in_grid, &seven));

  /* Folders first, then natural order; the hidden file stays hidden. */
  first = lb_test_name_at (window, 0);
  second = lb_test_name_at (window, 2);
  third = lb_test_name_at (window, 3);
  last = lb_test_name_at (window, 6);
  ck_assert_str_eq (first, "zz-raw");
  ck_assert_str_eq (second, "img-1.png");
  ck_assert_str_eq (third, "img-2.jpg");
  ck_assert_str_eq (last, "Zebra.jpg");

  /* Every image ends up as a real thumbnail in its cell, made by the
   * engine at the size the zoom asks for and written to the cache. */
  ck_assert (lb_test_wait_for (lb_test_has_n_thumbnails, &six));
  ck_assert_uint_eq (lb_thumbnail_loader_get_size (lb_window_get_loader (window)), LB_THUMBNAIL_SIZE_LARGE);
  cached = g_build_filename (cache_home, "thumbnails", "large", NULL);
  ck_assert (g_file_test (cached, G_FILE_TEST_IS_DIR));
  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));

  /* Cells are named for assistive technologies; the folder is one too. */
  cell = lb_test_cell_named (window, "beach.webp");
  ck_assert_ptr_nonnull (cell);
  ck_assert (gtk_test_accessible_has_role (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_ROLE_GROUP));
  gtk_test_accessible_assert_property (cell, GTK_ACCESSIBLE_PROPERTY_LABEL, "beach.webp");
  ck_assert (gtk_widget_get_has_tooltip (GTK_WIDGET (cell)));
  cell = lb_test_cell_named (window, "zz-raw");
  ck_assert_ptr_nonnull (cell);
  ck_assert_ptr_null (lb_thumbnail_picture_get_texture (lb_test_picture_of (cell)));
  ck_assert_str_eq (g_themed_icon_get_names (G_THEMED_ICON (lb_thumbnail_picture_get_icon (lb_test_picture_of (cell))))[0],
                    "folder");
  gtk_test_accessible_assert_property (cell, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Folder");

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_broken_image)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  g_autofree char *bad = lb_test_write_bad_file (lb_test_tmp_dir, "broken.jpg", LB_TEST_BAD_TRUNCATED_JPEG);
  LbWindow *window;
  LbThumbnailCell *cell;
  LbTestExpect expect = { NULL, "broken.jpg", 0 };
  g_autoptr(LbFileItem) item = NULL;

  lb_test_write_photo (lb_test_tmp_dir, "good.jpg", 320, 240);
  window = lb_test_open_window (app, lb_test_tmp_dir);
  expect.window = window;
  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));
  ck_assert (lb_test_wait_for (lb_test_has_cell, &expect));

  /* A clear broken-image icon, not a thumbnail. */
  item = g_list_model_get_item (lb_test_window_items (window), 0);
  ck_assert_str_eq (lb_file_item_get_name (item), "broken.jpg");
  ck_assert_int_eq (lb_file_item_get_thumbnail_state (item), LB_THUMBNAIL_STATE_FAILED);
  cell = lb_test_cell_named (window, "broken.jpg");
  ck_assert_ptr_null (lb_thumbnail_picture_get_texture (lb_test_picture_of (cell)));
  {
    GIcon *icon = lb_thumbnail_picture_get_icon (lb_test_picture_of (cell));

    ck_assert (G_IS_THEMED_ICON (icon));
    ck_assert_str_eq (g_themed_icon_get_names (G_THEMED_ICON (icon))[0], "image-missing");
  }
  ck_assert (lb_thumbnail_cell_get_complete (cell));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* The texture of the first texture node under @node, if any. */
static GdkTexture *
find_texture (GskRenderNode *node)
{
  GdkTexture *found = NULL;

  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      return gsk_texture_node_get_texture (node);
    case GSK_CONTAINER_NODE:
      for (guint i = 0; found == NULL && i < gsk_container_node_get_n_children (node); i++)
        found = find_texture (gsk_container_node_get_child (node, i));
      return found;
    case GSK_TRANSFORM_NODE:
      return find_texture (gsk_transform_node_get_child (node));
    case GSK_OPACITY_NODE:
      return find_texture (gsk_opacity_node_get_child (node));
    case GSK_CLIP_NODE:
      return find_texture (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return find_texture (gsk_rounded_clip_node_get_child (node));
    case GSK_DEBUG_NODE:
      return find_texture (gsk_debug_node_get_child (node));
    default:
      return NULL;
    }
}

/* The texture @widget draws, as the window would draw it now. */
static GdkTexture *
texture_drawn_by (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;

  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  ck_assert_ptr_nonnull (node);
  texture = find_texture (node);

  return texture != NULL ? g_object_ref (texture) : NULL;
}

START_TEST (test_window_icon_scaled_once)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  g_autofree char *icons = lb_test_make_folder (lb_test_tmp_dir, "icons");
  g_autofree char *photos = lb_test_make_folder (lb_test_tmp_dir, "photos");
  g_autoptr(GIcon) icon = g_themed_icon_new ("lb-test-huge-icon");
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) second = NULL;
  g_autoptr(GdkTexture) undimmed = NULL;
  LbThumbnailPicture *pictures[2];
  LbTestExpect two = { NULL, NULL, 2 };
  LbWindow *window;
  int side;

  /* A theme icon far bigger than a cell draws it, as Adwaita's
   * full-colour image-x-generic (512 pixels) is. */
  lb_test_write_photo (icons, "lb-test-huge-icon.png", 512, 512);
  lb_test_write_photo (photos, "a.jpg", 320, 240);
  lb_test_write_photo (photos, "b.jpg", 320, 240);
  window = lb_test_open_window (app, photos);
  two.window = window;
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window))),
                                  icons);
  ck_assert (lb_test_wait_for (lb_test_has_n_thumbnails, &two));
  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));

  /* Faded, as while a thumbnail is being made: drawn from a texture of
   * the icon's own size, made once and shared by every cell. */
  pictures[0] = lb_test_picture_of (lb_test_cell_named (window, "a.jpg"));
  pictures[1] = lb_test_picture_of (lb_test_cell_named (window, "b.jpg"));
  lb_thumbnail_picture_set_icon (pictures[0], icon, 0.5, TRUE);
  lb_thumbnail_picture_set_icon (pictures[1], icon, 0.5, TRUE);
  side = (int) (lb_thumbnail_picture_get_size (pictures[0]) * 0.5) * gtk_widget_get_scale_factor (GTK_WIDGET (window));
  first = texture_drawn_by (GTK_WIDGET (pictures[0]));
  second = texture_drawn_by (GTK_WIDGET (pictures[1]));
  ck_assert_ptr_nonnull (first);
  ck_assert_int_eq (gdk_texture_get_width (first), side);
  ck_assert_int_eq (gdk_texture_get_height (first), side);
  ck_assert_ptr_eq (first, second);

  /* Not faded: a texture of its own, of the same size. */
  lb_thumbnail_picture_set_icon (pictures[1], icon, 0.5, FALSE);
  undimmed = texture_drawn_by (GTK_WIDGET (pictures[1]));
  ck_assert_ptr_nonnull (undimmed);
  ck_assert_ptr_ne (undimmed, first);
  ck_assert_int_eq (gdk_texture_get_width (undimmed), side);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* --- navigating ---------------------------------------------------------- */

START_TEST (test_window_navigation)
{
  g_autofree char *top = lb_test_make_folder (lb_test_tmp_dir, "top");
  g_autofree char *sub = lb_test_make_folder (top, "Sub");
  g_autoptr(LbApplication) app = lb_test_start_application ();
  g_autoptr(GtkBitset) selected = NULL;
  LbWindow *window;
  LbTestExpect expect = { NULL, NULL, 0 };
  GtkSelectionModel *selection;
  int position;

  lb_test_write_photo (top, "a.jpg", 64, 48);
  lb_test_write_photo (sub, "inside.jpg", 64, 48);
  window = lb_test_open_window (app, top);
  expect.window = window;
  expect.name = "top";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  /* Nowhere to go back or forward yet. */
  ck_assert (!gtk_widget_get_sensitive (lb_test_button_for (window, "win.go-back")));
  ck_assert (!gtk_widget_get_sensitive (lb_test_button_for (window, "win.go-forward")));
  ck_assert (gtk_widget_get_sensitive (lb_test_button_for (window, "win.go-up")));

  /* Enter (or a double click) on a folder goes into it. */
  position = lb_test_model_find (lb_test_window_items (window), "Sub");
  ck_assert_int_eq (position, 0);
  g_signal_emit_by_name (lb_test_grid_of (window), "activate", (guint) position);
  expect.name = "Sub";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (window)), "Sub");
  expect.name = "inside.jpg";
  ck_assert (lb_test_wait_for (lb_test_shows_name, &expect));

  /* Back, forward, up. */
  ck_assert (gtk_widget_get_sensitive (lb_test_button_for (window, "win.go-back")));
  lb_test_activate (window, "win.go-back");
  expect.name = "top";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  lb_test_activate (window, "win.go-forward");
  expect.name = "Sub";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  lb_test_activate (window, "win.go-up");
  expect.name = "top";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  /* Going up selects the folder we came from. */
  selection = gtk_grid_view_get_model (GTK_GRID_VIEW (lb_test_grid_of (window)));
  selected = gtk_selection_model_get_selection (selection);
  ck_assert_uint_eq (gtk_bitset_get_size (selected), 1);
  ck_assert_uint_eq (gtk_bitset_get_nth (selected, 0), (guint) lb_test_model_find (lb_test_window_items (window), "Sub"));

  /* The path bar keeps the way down. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *path_bar = lb_test_find_widget (GTK_WIDGET (window), LB_TYPE_PATH_BAR);
    GtkWidget *sub_button = NULL;

    lb_test_collect_widgets (path_bar, GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      {
        GtkWidget *label = lb_test_find_widget (g_ptr_array_index (buttons, i), GTK_TYPE_LABEL);

        if (label != NULL && g_str_equal (gtk_label_get_text (GTK_LABEL (label)), "Sub"))
          sub_button = g_ptr_array_index (buttons, i);
      }
    ck_assert_ptr_nonnull (sub_button);
    g_signal_emit_by_name (sub_button, "clicked");
    expect.name = "Sub";
    ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_mouse_back_forward)
{
  g_autofree char *top = lb_test_make_folder (lb_test_tmp_dir, "top");
  g_autofree char *sub = lb_test_make_folder (top, "Sub");
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window;
  LbTestExpect expect = { NULL, "top", 0 };

  lb_test_write_photo (sub, "inside.jpg", 64, 48);
  window = lb_test_open_window (app, top);
  expect.window = window;
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));
  g_signal_emit_by_name (lb_test_grid_of (window), "activate", (guint) lb_test_model_find (lb_test_window_items (window), "Sub"));
  expect.name = "Sub";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));

  /* The back and forward buttons of a mouse over the grid, through the
   * X server: X numbers them 8 and 9. */
  ck_assert (lb_test_click_button (lb_test_grid_of (window), 8));
  expect.name = "top";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert (lb_test_click_button (lb_test_grid_of (window), 9));
  expect.name = "Sub";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* A toplevel of the window's titled @data, e.g. its folder chooser. */
static GtkWindow *
dialog_titled (LbWindow   *window,
               const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* GTK's own */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          g_strcmp0 (gtk_window_get_title (toplevel), title) == 0)
        return toplevel;
    }

  return NULL;
}

static gboolean
shows_open_folder_dialog (gpointer data)
{
  return dialog_titled (data, "Open Folder") != NULL;
}

static gboolean
lacks_open_folder_dialog (gpointer data)
{
  return !shows_open_folder_dialog (data);
}

static gboolean
shows_help_overlay (gpointer data)
{
  GtkShortcutsWindow *help = gtk_application_window_get_help_overlay (data);

  return help != NULL && gtk_widget_get_mapped (GTK_WIDGET (help));
}

static gboolean
edits_location (gpointer data)
{
  return gtk_widget_get_mapped (lb_test_find_widget (data, LB_TYPE_LOCATION_ENTRY));
}

static gboolean
searches (gpointer data)
{
  return gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (lb_test_find_widget (data, GTK_TYPE_SEARCH_BAR)));
}

static int
window_zoom (LbWindow *window)
{
  int zoom;

  g_object_get (window, "zoom", &zoom, NULL);

  return zoom;
}

static void
press (LbWindow        *window,
       guint            keyval,
       GdkModifierType  modifiers)
{
  g_autofree char *name = gtk_accelerator_name (keyval, modifiers);

  ck_assert_msg (lb_test_press_key (GTK_WINDOW (window), keyval, modifiers), "%s did nothing", name);
}

/* Every shortcut pressed, and what it is for seen done. */
START_TEST (test_window_keyboard_shortcuts)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  g_autofree char *parent = lb_test_make_folder (lb_test_tmp_dir, "parent");
  g_autofree char *child = lb_test_make_folder (parent, "child");
  g_autofree char *tmp_name = g_path_get_basename (lb_test_tmp_dir);
  LbWindow *window;
  LbTestExpect expect = { NULL, "child", 0 };
  gboolean show_hidden, now;
  GtkWindow *chooser;
  int zoom;

  lb_test_write_photo (child, "photo.jpg", 32, 32);
  window = lb_test_open_window (app, child);
  expect.window = window;
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  /* Up, back, forward, up again. */
  press (window, GDK_KEY_BackSpace, 0);
  expect.name = "parent";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  press (window, GDK_KEY_Left, GDK_ALT_MASK);
  expect.name = "child";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  press (window, GDK_KEY_Right, GDK_ALT_MASK);
  expect.name = "parent";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  press (window, GDK_KEY_Up, GDK_ALT_MASK);
  expect.name = tmp_name;
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  /* Zoom in, out, back to the default. */
  zoom = window_zoom (window);
  press (window, GDK_KEY_plus, GDK_CONTROL_MASK);
  ck_assert_int_gt (window_zoom (window), zoom);
  press (window, GDK_KEY_minus, GDK_CONTROL_MASK);
  press (window, GDK_KEY_minus, GDK_CONTROL_MASK);
  ck_assert_int_lt (window_zoom (window), zoom);
  press (window, GDK_KEY_0, GDK_CONTROL_MASK);
  ck_assert_int_eq (window_zoom (window), 192);

  /* Hidden files, shown and hidden again. */
  g_object_get (window, "show-hidden", &show_hidden, NULL);
  press (window, GDK_KEY_h, GDK_CONTROL_MASK);
  g_object_get (window, "show-hidden", &now, NULL);
  ck_assert (now != show_hidden);
  press (window, GDK_KEY_h, GDK_CONTROL_MASK);
  g_object_get (window, "show-hidden", &now, NULL);
  ck_assert (now == show_hidden);

  /* The location entry, then the search bar (each takes the focus). */
  press (window, GDK_KEY_l, GDK_CONTROL_MASK);
  ck_assert (lb_test_wait_for (edits_location, window));
  press (window, GDK_KEY_f, GDK_CONTROL_MASK);
  ck_assert (lb_test_wait_for (searches, window));

  /* The shortcuts window, and the folder chooser. */
  press (window, GDK_KEY_question, GDK_CONTROL_MASK);
  ck_assert (lb_test_wait_for (shows_help_overlay, window));
  gtk_widget_set_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), FALSE);
  press (window, GDK_KEY_o, GDK_CONTROL_MASK);
  ck_assert (lb_test_wait_for (shows_open_folder_dialog, window));
  chooser = dialog_titled (window, "Open Folder");
  ck_assert (lb_test_press_key (chooser, GDK_KEY_Escape, 0));
  ck_assert (lb_test_wait_for (lacks_open_folder_dialog, window));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* The shortcuts window is built when asked for, and is the same one the
 * second time. */
START_TEST (test_window_help_overlay)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window = lb_test_open_window (app, lb_test_tmp_dir);
  GtkShortcutsWindow *help_overlay;

  ck_assert_ptr_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  ck_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  ck_assert_ptr_nonnull (help_overlay);
  ck_assert (gtk_widget_get_visible (GTK_WIDGET (help_overlay)));
  ck_assert_ptr_eq (gtk_window_get_transient_for (GTK_WINDOW (help_overlay)), window);

  gtk_window_close (GTK_WINDOW (help_overlay));
  ck_assert (!gtk_widget_get_visible (GTK_WIDGET (help_overlay)));
  ck_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  ck_assert_ptr_eq (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)), help_overlay);
  ck_assert (gtk_widget_get_visible (GTK_WIDGET (help_overlay)));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

static gboolean
offers_completion (gpointer data)
{
  GStrv completions = lb_location_entry_get_completions (data);

  return completions != NULL && g_strv_length (completions) == 1 &&
         g_str_equal (completions[0], "Summer");
}

START_TEST (test_window_location_entry)
{
  g_autofree char *summer = lb_test_make_folder (lb_test_tmp_dir, "Summer");
  g_autofree char *typed = g_build_filename (lb_test_tmp_dir, "Su", NULL);
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window = lb_test_open_window (app, lb_test_tmp_dir);
  GtkWidget *location;
  GtkEditable *entry;
  LbTestExpect expect = { window, "Summer", 0 };

  g_free (lb_test_make_folder (lb_test_tmp_dir, "Autumn"));
  ck_assert (lb_test_wait_for (lb_test_window_is_listed, window));

  /* Ctrl+L: the path, all selected, ready to be typed over. */
  lb_test_activate (window, "win.edit-location");
  location = lb_test_find_widget (GTK_WIDGET (window), LB_TYPE_LOCATION_ENTRY);
  entry = GTK_EDITABLE (lb_test_find_widget (location, GTK_TYPE_TEXT));
  ck_assert_ptr_eq (gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (location))), location);
  ck_assert (gtk_widget_has_focus (GTK_WIDGET (entry)));

  /* Typing offers the matching subfolders. */
  gtk_editable_set_text (entry, typed);
  ck_assert (lb_test_wait_for (offers_completion, location));

  /* Enter goes there. */
  gtk_editable_set_text (entry, summer);
  g_signal_emit_by_name (lb_test_find_widget (location, GTK_TYPE_ENTRY), "activate");
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert_ptr_ne (gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (location))), location);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

static gboolean
selects_name (gpointer data)
{
  LbTestExpect *expect = data;
  GtkSelectionModel *selection = gtk_grid_view_get_model (GTK_GRID_VIEW (lb_test_grid_of (expect->window)));
  int position = lb_test_model_find (lb_test_window_items (expect->window), expect->name);

  return position >= 0 && gtk_selection_model_is_selected (selection, position);
}

/* An "album" folder in the test folder with a.jpg and b.jpg; b.jpg. */
static GFile *
make_album (void)
{
  g_autofree char *album = lb_test_make_folder (lb_test_tmp_dir, "album");
  g_autofree char *photo = g_build_filename (album, "b.jpg", NULL);

  lb_test_write_photo (album, "a.jpg", 32, 32);
  lb_test_write_photo (album, "b.jpg", 32, 32);

  return g_file_new_for_path (photo);
}

/* Waits until @window shows the album of make_album(), b.jpg selected. */
static void
assert_shows_album_photo (LbWindow *window)
{
  LbTestExpect expect = { window, "album", 0 };

  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  expect.name = "b.jpg";
  ck_assert (lb_test_wait_for (selects_name, &expect));
}

START_TEST (test_window_open_file_location)
{
  g_autoptr(GFile) photo = make_album ();
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window = lb_test_open_window (app, lb_test_tmp_dir);

  /* What a dropped file or a typed path does: its folder, it selected. */
  lb_window_open_location (window, photo);
  assert_shows_album_photo (window);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* The window's drop target, as GTK hands it what is dropped. */
static gboolean
drop_files (LbWindow   *window,
            GFile      *file)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GSList files = { file, NULL };

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      g_auto(GValue) value = G_VALUE_INIT;
      gboolean accepted = FALSE;

      if (!GTK_IS_DROP_TARGET (controller))
        continue;

      ck_assert (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (GTK_DROP_TARGET (controller)),
                                                    GDK_TYPE_FILE_LIST));
      g_value_init (&value, GDK_TYPE_FILE_LIST);
      g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
      g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &accepted);

      return accepted;
    }

  ck_abort_msg ("no drop target");

  return FALSE;
}

START_TEST (test_window_drop)
{
  g_autofree char *other = lb_test_make_folder (lb_test_tmp_dir, "other");
  g_autoptr(GFile) photo = make_album ();
  g_autoptr(GFile) album = g_file_get_parent (photo);
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window = lb_test_open_window (app, other);
  LbTestExpect expect = { window, "other", 0 };

  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  /* A folder dropped on the window opens in it... */
  ck_assert (drop_files (window, album));
  expect.name = "album";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));

  /* ...and a file opens its folder with it selected. */
  lb_test_activate (window, "win.go-back");
  expect.name = "other";
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert (drop_files (window, photo));
  assert_shows_album_photo (window);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* --- viewing ------------------------------------------------------------- */

typedef struct {
  LbWindow  *window;
  const char *name;
  int        texture_width;
} TextureWidth;

static gboolean
shows_texture_width (gpointer data)
{
  TextureWidth *wanted = data;
  LbThumbnailCell *cell = lb_test_cell_named (wanted->window, wanted->name);
  GdkTexture *texture = cell != NULL ? lb_thumbnail_picture_get_texture (lb_test_picture_of (cell)) : NULL;

  return texture != NULL && gdk_texture_get_width (texture) == wanted->texture_width;
}

START_TEST (test_window_zoom)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window;
  LbThumbnailCell *cell;
  graphene_rect_t bounds;
  TextureWidth wanted = { NULL, "wide.jpg", 256 };
  int zoom;

  lb_test_write_photo (lb_test_tmp_dir, "wide.jpg", 1600, 1200);
  window = lb_test_open_window (app, lb_test_tmp_dir);
  wanted.window = window;

  /* Default: 192 px cells from the 256 px (large) cache. */
  ck_assert (lb_test_wait_for (shows_texture_width, &wanted));
  cell = lb_test_cell_named (window, "wide.jpg");
  ck_assert_int_eq (lb_thumbnail_cell_get_size (cell), 192);
  ck_assert (lb_thumbnail_picture_get_texture_bounds (lb_test_picture_of (cell), &bounds));
  ck_assert_float_eq (bounds.size.width, 192);
  ck_assert_float_eq (bounds.size.height, 144);

  /* Zooming in: at once, the old thumbnail stands in, scaled up... */
  lb_test_activate (window, "win.zoom-in");
  lb_test_activate (window, "win.zoom-in");
  lb_test_activate (window, "win.zoom-in");
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq (zoom, 384);
  ck_assert_int_eq (lb_thumbnail_cell_get_size (cell), 384);
  ck_assert_uint_eq (lb_thumbnail_loader_get_size (lb_window_get_loader (window)), LB_THUMBNAIL_SIZE_X_LARGE);
  ck_assert_int_eq (gdk_texture_get_width (lb_thumbnail_picture_get_texture (lb_test_picture_of (cell))), 256);
  ck_assert (lb_thumbnail_picture_get_texture_bounds (lb_test_picture_of (cell), &bounds));
  ck_assert_float_eq (bounds.size.width, 384);

  /* ...until the 512 px (x-large) one is there. */
  wanted.texture_width = 512;
  ck_assert (lb_test_wait_for (shows_texture_width, &wanted));
  cell = lb_test_cell_named (window, "wide.jpg");
  ck_assert (lb_thumbnail_picture_get_texture_bounds (lb_test_picture_of (cell), &bounds));
  ck_assert_float_eq (bounds.size.width, 384);
  ck_assert_float_eq (bounds.size.height, 288);

  /* Bounded: never past the largest, back with Ctrl+0. */
  for (guint i = 0; i < 10; i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq (zoom, 512);
  lb_test_activate (window, "win.zoom-reset");
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq (zoom, 192);
  lb_test_activate (window, "win.zoom-out");
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq (zoom, 160);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

static gboolean
first_is (gpointer data)
{
  LbTestExpect *expect = data;
  g_autoptr(LbFileItem) item = g_list_model_get_item (lb_test_window_items (expect->window), 0);

  return item != NULL && g_str_equal (lb_file_item_get_name (item), expect->name) &&
         !lb_folder_model_get_sorting (lb_window_get_model (expect->window));
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

START_TEST (test_window_menus)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window = lb_test_open_window (app, lb_test_tmp_dir);
  GtkMenuButton *view_button = GTK_MENU_BUTTON (lb_test_header_widget (window, GTK_TYPE_MENU_BUTTON, "icon-name",
                                                                       "view-grid-symbolic"));
  GtkMenuButton *main_button = GTK_MENU_BUTTON (lb_test_header_widget (window, GTK_TYPE_MENU_BUTTON, "icon-name",
                                                                       "open-menu-symbolic"));
  GtkWidget *popover;
  GtkRange *slider;
  GMenuModel *menu;
  int zoom;

  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));

  /* Built when first opened, not with the window. */
  ck_assert_ptr_null (gtk_menu_button_get_popover (view_button));
  ck_assert_ptr_null (gtk_menu_button_get_menu_model (main_button));
  ck_assert (gtk_widget_get_sensitive (GTK_WIDGET (view_button)));

  /* The View menu's slider is the zoom, both ways. */
  gtk_menu_button_popup (view_button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (view_button));
  ck_assert_ptr_nonnull (popover);
  ck_assert (lb_test_wait_for (is_mapped, popover));
  slider = GTK_RANGE (lb_test_find_widget (popover, GTK_TYPE_SCALE));
  ck_assert_ptr_nonnull (slider);
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq ((int) gtk_range_get_value (slider), zoom);
  lb_test_activate (window, "win.zoom-in");
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq ((int) gtk_range_get_value (slider), zoom);
  gtk_range_set_value (slider, 320);
  g_object_get (window, "zoom", &zoom, NULL);
  ck_assert_int_eq (zoom, 320);
  gtk_menu_button_popdown (view_button);

  /* The main menu, once opened: New Window and the rest, then Shortcuts
   * and About; opening it again builds nothing new. */
  gtk_menu_button_popup (main_button);
  menu = gtk_menu_button_get_menu_model (main_button);
  ck_assert_ptr_nonnull (menu);
  ck_assert_int_eq (g_menu_model_get_n_items (menu), 2);
  ck_assert (lb_test_wait_for (is_mapped, gtk_menu_button_get_popover (main_button)));
  gtk_menu_button_popdown (main_button);
  gtk_menu_button_popup (view_button);
  ck_assert_ptr_eq (gtk_menu_button_get_popover (view_button), popover);
  ck_assert_ptr_eq (gtk_menu_button_get_menu_model (main_button), menu);
  gtk_menu_button_popdown (view_button);

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_sort)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window;
  LbTestExpect expect = { NULL, "a.txt", 0 };

  g_free (lb_test_write_file (lb_test_tmp_dir, "a.txt", 300, 1500000000));
  g_free (lb_test_write_file (lb_test_tmp_dir, "b.txt", 100, 1700000000));
  g_free (lb_test_write_file (lb_test_tmp_dir, "c.txt", 200, 1600000000));
  window = lb_test_open_window (app, lb_test_tmp_dir);
  expect.window = window;
  ck_assert (lb_test_wait_for (first_is, &expect));

  /* What the View menu's Sort By items do. */
  ck_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-key", "s", "size"));
  expect.name = "b.txt";
  ck_assert (lb_test_wait_for (first_is, &expect));
  ck_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-key", "s", "modified"));
  expect.name = "a.txt";
  ck_assert (lb_test_wait_for (first_is, &expect));
  lb_test_activate (window, "win.sort-descending");
  expect.name = "b.txt";
  ck_assert (lb_test_wait_for (first_is, &expect));

  /* Kept as a setting. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *key = g_settings_get_string (settings, "sort-key");

    ck_assert_str_eq (key, "modified");
    ck_assert (g_settings_get_boolean (settings, "sort-descending"));
  }

  /* Every Sort By item can be kept, the date taken too. */
  ck_assert (gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-key", "s", "date-taken"));
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *key = g_settings_get_string (settings, "sort-key");

    ck_assert_str_eq (key, "date-taken");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_type_ahead)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window;
  GtkSearchBar *search_bar;
  GtkEditable *search_entry;
  LbTestExpect three = { NULL, NULL, 3 };
  LbTestExpect one = { NULL, NULL, 1 };

  g_free (lb_test_write_file (lb_test_tmp_dir, "sunrise.jpg", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "Sunset.jpg", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "beach.jpg", 1, 0));
  window = lb_test_open_window (app, lb_test_tmp_dir);
  three.window = one.window = window;
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &three));

  /* Ctrl+F, or typing, opens the filter with the focus in it. */
  lb_test_activate (window, "win.search");
  search_bar = GTK_SEARCH_BAR (lb_test_find_widget (GTK_WIDGET (window), GTK_TYPE_SEARCH_BAR));
  search_entry = GTK_EDITABLE (lb_test_find_widget (GTK_WIDGET (search_bar), GTK_TYPE_SEARCH_ENTRY));
  ck_assert (gtk_search_bar_get_search_mode (search_bar));
  ck_assert (gtk_widget_has_focus (lb_test_find_widget (GTK_WIDGET (search_entry), GTK_TYPE_TEXT)));

  gtk_editable_set_text (search_entry, "SUNS");
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &one));
  {
    g_autofree char *name = lb_test_name_at (window, 0);

    ck_assert_str_eq (name, "Sunset.jpg");
  }

  /* Escape: the filter goes, everything is back. */
  g_signal_emit_by_name (search_entry, "stop-search");
  ck_assert (!gtk_search_bar_get_search_mode (search_bar));
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &three));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_hidden_and_images_only)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window;
  LbTestExpect expect = { NULL, NULL, 3 };

  g_free (lb_test_write_file (lb_test_tmp_dir, ".secret.jpg", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "notes.txt", 1, 0));
  g_free (lb_test_write_file (lb_test_tmp_dir, "photo.jpg", 1, 0));
  g_free (lb_test_make_folder (lb_test_tmp_dir, "trips"));
  window = lb_test_open_window (app, lb_test_tmp_dir);
  expect.window = window;
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &expect));

  /* Ctrl+H */
  lb_test_activate (window, "win.show-hidden");
  expect.n = 4;
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &expect));
  lb_test_activate (window, "win.show-hidden");

  lb_test_activate (window, "win.images-only");
  expect.n = 2;
  ck_assert (lb_test_wait_for (lb_test_has_n_items, &expect));
  expect.name = "notes.txt";
  ck_assert (lb_test_lacks_name (&expect));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* --- a live folder ------------------------------------------------------- */

START_TEST (test_window_folder_appears_and_disappears)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  g_autofree char *appearing = g_build_filename (lb_test_tmp_dir, "New Folder", NULL);
  LbWindow *window;
  LbTestExpect expect = { NULL, "New Folder", 0 };

  lb_test_write_photo (lb_test_tmp_dir, "photo.jpg", 64, 64);
  window = lb_test_open_window (app, lb_test_tmp_dir);
  expect.window = window;
  ck_assert (lb_test_wait_for (lb_test_window_is_listed, window));

  ck_assert_int_eq (g_mkdir (appearing, 0755), 0);
  ck_assert (lb_test_wait_for (lb_test_has_cell, &expect));
  {
    g_autofree char *first = lb_test_name_at (window, 0);

    ck_assert_str_eq (first, "New Folder");
  }

  ck_assert_int_eq (g_rmdir (appearing), 0);
  ck_assert (lb_test_wait_for (lb_test_lacks_name, &expect));
  ck_assert_ptr_null (lb_test_cell_named (window, "New Folder"));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* The banner saying that the folder is not watched, NULL if none. */
static GtkWidget *
unwatched_banner (LbWindow *window)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *banner = NULL;

  lb_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (labels->pdata[i]), "This folder is not watched for changes") == 0)
      {
        ck_assert_msg (banner == NULL, "the window says it twice");
        banner = gtk_widget_get_ancestor (labels->pdata[i], GTK_TYPE_REVEALER);
      }

  return banner;
}

static gboolean
shows_unwatched_banner (gpointer data)
{
  GtkWidget *banner = unwatched_banner (data);

  return banner != NULL && gtk_revealer_get_child_revealed (GTK_REVEALER (banner))
         && gtk_widget_is_visible (banner);
}

START_TEST (test_window_watched_folder_has_no_banner)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window;

  lb_test_write_photo (lb_test_tmp_dir, "photo.jpg", 64, 64);
  window = lb_test_open_window (app, lb_test_tmp_dir);
  ck_assert (lb_test_wait_for (lb_test_window_is_listed, window));
  ck_assert (lb_test_wait_for (lb_test_window_is_idle, window));

  ck_assert (lb_folder_model_get_watched (lb_window_get_model (window)));
  ck_assert_ptr_nonnull (unwatched_banner (window));
  ck_assert (!gtk_revealer_get_reveal_child (GTK_REVEALER (unwatched_banner (window))));
  ck_assert (!shows_unwatched_banner (window));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

static void
write_proc_file (const char *path,
                 const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t written;

  ck_assert_msg (fd >= 0, "open %s: %s", path, g_strerror (errno));
  written = write (fd, text, strlen (text));
  ck_assert_msg (written == (ssize_t) strlen (text), "write %s to %s: %s",
                 text, path, g_strerror (errno));
  close (fd);
}

/* Makes the kernel refuse this test process every inotify instance, or
 * every watch (@limit, of /proc/sys/user/). The limits are lowered in a
 * user namespace of the process's own, with the same user inside, so that
 * the display, the bus and the files work as before and nothing else on
 * the machine notices. First thing in a test: unshare() wants a process
 * with one thread, as check's forked child still is then. */
static void
refuse_inotify (const char *limit)
{
  g_autofree char *uid_map = g_strdup_printf ("%u %u 1", getuid (), getuid ());
  g_autofree char *gid_map = g_strdup_printf ("%u %u 1", getgid (), getgid ());
  g_autofree char *path = g_build_filename ("/proc/sys/user", limit, NULL);

  ck_assert_msg (unshare (CLONE_NEWUSER) == 0, "unshare (CLONE_NEWUSER): %s", g_strerror (errno));
  write_proc_file ("/proc/self/setgroups", "deny");
  write_proc_file ("/proc/self/uid_map", uid_map);
  write_proc_file ("/proc/self/gid_map", gid_map);
  write_proc_file (path, "0");
}

static const char *inotify_limits[] = { "max_inotify_instances", "max_inotify_watches" };

START_TEST (test_window_says_folder_is_not_watched)
{
  g_autoptr(LbApplication) app = NULL;
  LbWindow *window;
  GtkWidget *reload;
  LbTestExpect later = { NULL, "later.txt", 0 };

  refuse_inotify (inotify_limits[_i]);
  app = lb_test_start_application ();
  lb_test_write_photo (lb_test_tmp_dir, "photo.jpg", 64, 64);
  window = lb_test_open_window (app, lb_test_tmp_dir);
  ck_assert (lb_test_wait_for (lb_test_window_is_listed, window));
  ck_assert (lb_test_wait_for (shows_unwatched_banner, window));
  ck_assert (!lb_folder_model_get_watched (lb_window_get_model (window)));

  /* Reload is the way to see what changed. */
  reload = lb_test_find_button (unwatched_banner (window), "_Reload");
  ck_assert_ptr_nonnull (reload);
  ck_assert_str_eq (gtk_actionable_get_action_name (GTK_ACTIONABLE (reload)), "win.reload");
  g_free (lb_test_write_file (lb_test_tmp_dir, "later.txt", 1, 0));
  later.window = window;
  ck_assert (lb_test_click_button (reload, 1));
  ck_assert (lb_test_wait_for (lb_test_shows_name, &later));

  /* Still not watched after the reload, and still said once. */
  ck_assert (lb_test_wait_for (shows_unwatched_banner, window));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

typedef struct {
  LbWindow   *window;
  GdkTexture *old;
} NewTexture;

static gboolean
shows_new_texture (gpointer data)
{
  NewTexture *wanted = data;
  LbThumbnailCell *cell = lb_test_cell_named (wanted->window, "changing.jpg");
  GdkTexture *texture = cell != NULL ? lb_thumbnail_picture_get_texture (lb_test_picture_of (cell)) : NULL;

  return texture != NULL && texture != wanted->old && gdk_texture_get_height (texture) == 256;
}

START_TEST (test_window_changed_file_gets_new_thumbnail)
{
  g_autoptr(LbApplication) app = lb_test_start_application ();
  g_autofree char *path = g_build_filename (lb_test_tmp_dir, "changing.jpg", NULL);
  LbWindow *window;
  TextureWidth wanted = { NULL, "changing.jpg", 256 };
  NewTexture changed = { NULL, NULL };

  lb_test_write_photo (lb_test_tmp_dir, "changing.jpg", 640, 480);
  window = lb_test_open_window (app, lb_test_tmp_dir);
  wanted.window = changed.window = window;
  ck_assert (lb_test_wait_for (shows_texture_width, &wanted));
  changed.old = g_object_ref (lb_thumbnail_picture_get_texture (lb_test_picture_of (lb_test_cell_named (window, "changing.jpg"))));
  ck_assert_int_eq (gdk_texture_get_height (changed.old), 192);

  /* Now portrait, and newer. */
  g_free (lb_test_write_image (lb_test_tmp_dir, "changing.jpg", LB_TEST_FORMAT_JPEG, 480, 640, 1));
  lb_test_shift_mtime (path, 10);
  ck_assert (lb_test_wait_for (shows_new_texture, &changed));

  g_object_unref (changed.old);
  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

/* --- when a folder cannot be shown --------------------------------------- */

START_TEST (test_window_missing_folder)
{
  g_autofree char *missing = g_build_filename (lb_test_tmp_dir, "gone", NULL);
  g_autoptr(LbApplication) app = lb_test_start_application ();
  LbWindow *window = lb_test_open_window (app, missing);
  LbTestExpect expect = { window, NULL, 0 };
  g_autofree char *parent_name = g_path_get_basename (lb_test_tmp_dir);
  GtkWidget *up;

  g_free (lb_test_write_file (lb_test_tmp_dir, "there.txt", 1, 0));

  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (window)), "gone");
  ck_assert (lb_test_wait_for (lb_test_shows_status, window));
  ck_assert_str_eq (lb_test_status_title (window), "Folder Not Found");

  /* A way out: up to the folder that is there. */
  up = lb_test_find_widget (lb_test_find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE), GTK_TYPE_BUTTON);
  ck_assert (gtk_widget_get_visible (up));
  ck_assert_str_eq (gtk_actionable_get_action_name (GTK_ACTIONABLE (up)), "win.go-up");
  g_signal_emit_by_name (up, "clicked");
  expect.name = parent_name;
  ck_assert (lb_test_wait_for (lb_test_shows_folder_named, &expect));
  ck_assert (!lb_test_shows_status (window));

  gtk_window_destroy (GTK_WINDOW (window));
}
END_TEST

START_TEST (test_window_permission_denied)
{
  g_autofree char *locked = lb_test_make_folder (lb_test_tmp_dir, "locked");
  g_autoptr(LbApplication) app = NULL;
  LbWindow *window;

  /* No accessibility tree here: once the test runs as nobody, GTK could not
   * reach the accessibility bus, which is root's. Every other test keeps it. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  app = lb_test_start_application ();

  lb_test_write_photo (locked, "secret.jpg", 32, 32);
  ck_assert_int_eq (g_chmod (lb_test_tmp_dir, 0755), 0);
  ck_assert_int_eq (g_chmod (locked, 0), 0);

  /* Root reads anything: as root, the window runs as nobody from here on
   * (its display connection is open already). */
  ck_assert_msg (lb_test_drop_privileges (), "cannot switch to an unprivileged user");

  window = lb_test_open_window (app, locked);
  ck_assert (lb_test_wait_for (lb_test_shows_status, window));
  ck_assert_str_eq (lb_test_status_title (window), "No Permission to Open This Folder");

  gtk_window_destroy (GTK_WINDOW (window));
  lb_test_regain_privileges ();
  ck_assert_int_eq (g_chmod (locked, 0755), 0);
}
END_TEST

/* --- the command line ---------------------------------------------------- */

START_TEST (test_timings_and_quit_when_idle)
{
  const char *lightbox = g_getenv ("LIGHTBOX");
  const char *argv[] = { lightbox, "--timings", "--quit-when-idle", lb_test_tmp_dir, NULL };
  const char *help_argv[] = { lightbox, "--help", NULL };
  enum {
    TIMING_WINDOW_SHOWN,
    TIMING_FIRST_ITEMS,
    TIMING_LISTING_COMPLETE,
    TIMING_FIRST_THUMBNAIL,
    TIMING_VISIBLE_COMPLETE,
    TIMING_FOLDER_COMPLETE,
    TIMING_MAX_STALL,
    N_TIMINGS
  };
  const char *names[N_TIMINGS] = { "window-shown", "first-items", "listing-complete", "first-thumbnail",
                                   "visible-complete", "folder-complete", "max-stall" };
  gint64 values[N_TIMINGS] = { 0 };
  gint64 started, elapsed_ms;
  g_autofree char *out = NULL;
  g_autofree char *help = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  ck_assert_ptr_nonnull (lightbox);
  lb_test_write_photo (lb_test_tmp_dir, "a.jpg", 800, 600);
  lb_test_write_photo (lb_test_tmp_dir, "b.png", 600, 800);

  ck_assert (g_spawn_sync (NULL, (char **) help_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                           &help, NULL, &status, &error));
  ck_assert (g_spawn_check_wait_status (status, NULL));
  ck_assert (strstr (help, "--timings") != NULL);
  ck_assert (strstr (help, "--quit-when-idle") != NULL);

  /* It quits by itself once everything is done, having said when. */
  started = g_get_monotonic_time ();
  ck_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                           &out, NULL, &status, &error));
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  ck_assert_msg (g_spawn_check_wait_status (status, &error), "%s", error ? error->message : "");

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("timing %s ", names[i]);
      gboolean found = FALSE;

      for (guint j = 0; lines[j] != NULL; j++)
        if (g_str_has_prefix (lines[j], prefix))
          {
            char *end = NULL;

            values[i] = g_ascii_strtoll (lines[j] + strlen (prefix), &end, 10);
            ck_assert_msg (end != NULL && *end == '\0', "not a number: %s", lines[j]);
            ck_assert_msg (!found, "said twice: %s", names[i]);
            found = TRUE;
          }
      ck_assert_msg (found, "no %s in:\n%s", names[i], out);

      /* Milliseconds since the process started, which the kernel gives
       * in clock ticks (10 ms): within the run, as the test saw it. */
      ck_assert_msg (values[i] >= 0 && values[i] <= elapsed_ms + 20,
                     "%s is %" G_GINT64_FORMAT " ms in a run of %" G_GINT64_FORMAT " ms",
                     names[i], values[i], elapsed_ms);
    }

  /* The benchmarks read these: each comes in the order it can happen. */
  ck_assert_int_le (values[TIMING_WINDOW_SHOWN], values[TIMING_FIRST_ITEMS]);
  ck_assert_int_le (values[TIMING_FIRST_ITEMS], values[TIMING_FIRST_THUMBNAIL]);
  ck_assert_int_le (values[TIMING_FIRST_THUMBNAIL], values[TIMING_VISIBLE_COMPLETE]);
  ck_assert_int_le (values[TIMING_LISTING_COMPLETE], values[TIMING_FOLDER_COMPLETE]);
}
END_TEST

static Suite *
window_suite (void)
{
  Suite *suite = suite_create ("window");
  TCase *showing = tcase_create ("showing");
  TCase *navigating = tcase_create ("navigating");
  TCase *viewing = tcase_create ("viewing");
  TCase *live = tcase_create ("live");
  TCase *failing = tcase_create ("failing");
  TCase *command_line = tcase_create ("command-line");
  TCase *tcases[] = { showing, navigating, viewing, live, failing, command_line };

  for (guint i = 0; i < G_N_ELEMENTS (tcases); i++)
    {
      tcase_add_checked_fixture (tcases[i], setup, teardown);
      tcase_set_timeout (tcases[i], 300);
      suite_add_tcase (suite, tcases[i]);
    }

  tcase_add_test (showing, test_window_shows_folder);
  tcase_add_test (showing, test_window_broken_image);
  tcase_add_test (showing, test_window_icon_scaled_once);
  tcase_add_test (navigating, test_window_navigation);
  tcase_add_test (navigating, test_window_mouse_back_forward);
  tcase_add_test (navigating, test_window_drop);
  tcase_add_test (navigating, test_window_keyboard_shortcuts);
  tcase_add_test (navigating, test_window_help_overlay);
  tcase_add_test (navigating, test_window_location_entry);
  tcase_add_test (navigating, test_window_open_file_location);
  tcase_add_test (viewing, test_window_zoom);
  tcase_add_test (viewing, test_window_menus);
  tcase_add_test (viewing, test_window_sort);
  tcase_add_test (viewing, test_window_type_ahead);
  tcase_add_test (viewing, test_window_hidden_and_images_only);
  tcase_add_test (live, test_window_folder_appears_and_disappears);
  tcase_add_test (live, test_window_changed_file_gets_new_thumbnail);
  tcase_add_test (live, test_window_watched_folder_has_no_banner);
  tcase_add_loop_test (live, test_window_says_folder_is_not_watched, 0, G_N_ELEMENTS (inotify_limits));
  tcase_add_test (failing, test_window_missing_folder);
  tcase_add_test (failing, test_window_permission_denied);
  tcase_add_test (command_line, test_timings_and_quit_when_idle);

  return suite;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Thumbnails go to a private cache, never the user's. */
  g_autofree char *cache_home = lb_test_set_cache_home ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LIGHTBOX_LOCALEDIR"));
  textdomain (GETTEXT_PACKAGE);
  lb_vips_init (argv[0]);

  status = lb_test_run_suite (window_suite (), CK_FORK_GETENV);
  lb_test_remove_dir (cache_home);

  return status;
}
