/* test-viewer.c: the viewer, its details and file actions, driven by keys under Xvfb
 *
 * The viewer is hosted in a window of its own, on a list of folder items
 * made here, so that its tests need no folder model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "lb-application.h"
#include "lb-image-view.h"
#include "lb-properties-pane.h"
#include "lb-test-fixtures.h"
#include "lb-thumbnail-cell.h"
#include "lb-test-ui.h"
#include "lb-vips.h"
#include "lb-viewer.h"
#include "lb-window.h"

/* --- fixtures ------------------------------------------------------------ */

static char *tmp_dir;

static void
setup (void)
{
  tmp_dir = lb_test_make_tmp_dir ();
  /* Here, in the test's own process: GTK's threads would not survive
   * the fork that check makes for each test. */
  adw_init ();
}

static void
teardown (void)
{
  lb_test_remove_dir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

typedef struct
{
  GtkWindow    *window;
  LbViewer     *viewer;
  LbImageView  *view;
  GListStore   *items;
  gboolean      closed;
} Fixture;

static void
add_item (Fixture    *fixture,
          const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, LB_FILE_ITEM_ATTRIBUTES,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr(LbFileItem) item = NULL;

  ck_assert_ptr_nonnull (info);
  item = lb_file_item_new (file, info);
  g_list_store_append (fixture->items, item);
}

static void
closed_cb (LbViewer *viewer,
           Fixture  *fixture)
{
  fixture->closed = TRUE;
}

static void
fixture_open (Fixture *fixture,
              guint    position)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 700);
  fixture->viewer = LB_VIEWER (lb_viewer_new ());
  fixture->view = LB_IMAGE_VIEW (lb_test_find_widget (GTK_WIDGET (fixture->viewer),
                                                      LB_TYPE_IMAGE_VIEW));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (fixture->viewer));
  adw_window_set_content (ADW_WINDOW (fixture->window), overlay);
  g_signal_connect (fixture->viewer, "close", G_CALLBACK (closed_cb), fixture);
  gtk_window_present (fixture->window);

  lb_viewer_show (fixture->viewer, G_LIST_MODEL (fixture->items), position);
}

static void
fixture_close (Fixture *fixture)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->items);
}

static gboolean
press (Fixture         *fixture,
       guint            keyval,
       GdkModifierType  modifiers)
{
  return lb_test_press_key (fixture->window, keyval, modifiers);
}

static gboolean
has_rendition (gpointer data)
{
  Fixture *fixture = data;

  return lb_image_view_get_has_rendition (fixture->view);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Four items: two images, a folder, an image. */
static void
make_folder (Fixture *fixture)
{
  g_autofree char *a = lb_test_write_image (tmp_dir, "a.jpg", LB_TEST_FORMAT_JPEG, 640, 480, 1);
  g_autofree char *b = lb_test_write_image (tmp_dir, "b.png", LB_TEST_FORMAT_PNG, 480, 640, 1);
  g_autofree char *folder = lb_test_write_bad_file (tmp_dir, "folder", LB_TEST_BAD_DIRECTORY);
  g_autofree char *c = lb_test_write_image (tmp_dir, "c.webp", LB_TEST_FORMAT_WEBP, 800, 450, 1);

  fixture->items = g_list_store_new (LB_TYPE_FILE_ITEM);
  add_item (fixture, a);
  add_item (fixture, b);
  add_item (fixture, folder);
  add_item (fixture, c);
}

/* --- tests --------------------------------------------------------------- */

START_TEST (test_viewer_navigation)
{
  Fixture fixture = { 0 };

  make_folder (&fixture);
  fixture_open (&fixture, 1);

  ck_assert_str_eq (lb_viewer_get_title (fixture.viewer), "b.png");
  ck_assert (lb_test_wait_for (has_rendition, &fixture));
  ck_assert_int_eq (lb_image_source_get_width (lb_image_view_get_source (fixture.view)), 480);

  /* Right skips the folder; the neighbours were decoded ahead. */
  ck_assert (press (&fixture, GDK_KEY_Right, 0));
  ck_assert_uint_eq (lb_viewer_get_position (fixture.viewer), 3);
  ck_assert_str_eq (lb_viewer_get_title (fixture.viewer), "c.webp");
  ck_assert (lb_test_wait_for (has_rendition, &fixture));
  ck_assert_int_eq (lb_image_source_get_width (lb_image_view_get_source (fixture.view)), 800);

  /* The last image: Right has nowhere to go, and leaves the focus on the
   * image rather than move it to the header bar. */
  ck_assert (press (&fixture, GDK_KEY_Right, 0));
  ck_assert_uint_eq (lb_viewer_get_position (fixture.viewer), 3);
  ck_assert_ptr_eq (gtk_root_get_focus (GTK_ROOT (fixture.window)), fixture.view);
  ck_assert (press (&fixture, GDK_KEY_Up, 0));
  ck_assert_ptr_eq (gtk_root_get_focus (GTK_ROOT (fixture.window)), fixture.view);

  ck_assert (press (&fixture, GDK_KEY_Page_Up, 0));
  ck_assert_str_eq (lb_viewer_get_title (fixture.viewer), "b.png");
  ck_assert (press (&fixture, GDK_KEY_Left, 0));
  ck_assert_str_eq (lb_viewer_get_title (fixture.viewer), "a.jpg");
  ck_assert (press (&fixture, GDK_KEY_End, 0));
  ck_assert_str_eq (lb_viewer_get_title (fixture.viewer), "c.webp");
  ck_assert (press (&fixture, GDK_KEY_Home, 0));
  ck_assert_str_eq (lb_viewer_get_title (fixture.viewer), "a.jpg");

  ck_assert (!fixture.closed);
  ck_assert (press (&fixture, GDK_KEY_Escape, 0));
  ck_assert (fixture.closed);

  fixture_close (&fixture);
}
END_TEST

/* Set when GTK draws a widget it has not allocated: it is left blank. */
static gboolean drawn_unallocated;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "without a current allocation") != NULL)
      drawn_unallocated = TRUE;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gboolean
has_tiles (gpointer data)
{
  return lb_image_view_get_n_tiles (LB_IMAGE_VIEW (data)) > 0;
}

START_TEST (test_viewer_zoom_and_pan)
{
  Fixture fixture = { 0 };
  g_autofree char *big = lb_test_write_image (tmp_dir, "big.jpg", LB_TEST_FORMAT_JPEG, 4000, 3000, 1);
  g_autofree char *next = lb_test_write_image (tmp_dir, "next.jpg", LB_TEST_FORMAT_JPEG, 64, 64, 1);
  double fit_zoom;

  fixture.items = g_list_store_new (LB_TYPE_FILE_ITEM);
  add_item (&fixture, big);
  add_item (&fixture, next);
  fixture_open (&fixture, 0);
  ck_assert (lb_test_wait_for (is_mapped, fixture.view));
  ck_assert (lb_test_wait_for (has_rendition, &fixture));

  fit_zoom = lb_image_view_get_zoom (fixture.view);
  ck_assert (lb_image_view_get_fit (fixture.view));
  ck_assert_double_lt (fit_zoom, 0.5);
  ck_assert (!lb_image_view_get_can_pan (fixture.view));

  ck_assert (press (&fixture, GDK_KEY_plus, 0));
  ck_assert_double_gt (lb_image_view_get_zoom (fixture.view), fit_zoom);
  ck_assert (!lb_image_view_get_fit (fixture.view));

  /* 1:1: far more pixels than the screen-sized rendition has, so the
   * visible region is rendered from the file. */
  ck_assert (press (&fixture, GDK_KEY_1, 0));
  ck_assert_double_eq (lb_image_view_get_zoom (fixture.view), 1);
  ck_assert (lb_image_view_get_can_pan (fixture.view));
  ck_assert (lb_test_wait_for (has_tiles, fixture.view));

  /* Zoomed, arrows pan rather than change images. */
  ck_assert (press (&fixture, GDK_KEY_Right, 0));
  ck_assert_uint_eq (lb_viewer_get_position (fixture.viewer), 0);
  ck_assert (press (&fixture, GDK_KEY_Down, 0));

  ck_assert (press (&fixture, GDK_KEY_minus, 0));
  ck_assert_double_lt (lb_image_view_get_zoom (fixture.view), 1);
  ck_assert (press (&fixture, GDK_KEY_0, 0));
  ck_assert (lb_image_view_get_fit (fixture.view));
  ck_assert_double_eq (lb_image_view_get_zoom (fixture.view), fit_zoom);

  /* Fitted again, Right goes on. */
  ck_assert (press (&fixture, GDK_KEY_Right, 0));
  ck_assert_uint_eq (lb_viewer_get_position (fixture.viewer), 1);

  fixture_close (&fixture);
}
END_TEST

static gboolean
animates (gpointer data)
{
  return lb_image_view_get_frame (LB_IMAGE_VIEW (data)) > 0;
}

START_TEST (test_viewer_animation)
{
  static const int delays[] = { 40, 40, 40 };
  Fixture fixture = { 0 };
  g_autofree char *gif = lb_test_write_animation (tmp_dir, "anim.gif", LB_TEST_FORMAT_GIF,
                                                  120, 80, 3, delays);

  fixture.items = g_list_store_new (LB_TYPE_FILE_ITEM);
  add_item (&fixture, gif);
  fixture_open (&fixture, 0);
  ck_assert (lb_test_wait_for (has_rendition, &fixture));

  /* The frames follow each other by themselves. */
  ck_assert (lb_test_wait_for (animates, fixture.view));

  fixture_close (&fixture);
}
END_TEST

static gboolean
pane_loaded (gpointer data)
{
  LbPropertiesPane *pane = data;

  return gtk_widget_get_mapped (GTK_WIDGET (pane)) &&
         lb_properties_pane_get_file (pane) != NULL &&
         !lb_properties_pane_get_loading (pane);
}

static const char *
row_value (GtkWidget  *root,
           const char *title)
{
  AdwActionRow *row = lb_test_find_row (root, title);

  ck_assert_msg (row != NULL, "no row %s", title);
  ck_assert_msg (gtk_widget_get_visible (GTK_WIDGET (row)), "row %s hidden", title);

  return adw_action_row_get_subtitle (row);
}

START_TEST (test_viewer_details)
{
  static const char * const fields[] = {
    "exif-ifd0-Make", "Canon",
    "exif-ifd0-Model", "Canon EOS 5D Mark II",
    "exif-ifd2-DateTimeOriginal", "2021:07:14 16:30:05",
    "exif-ifd2-ExposureTime", "1/250",
    "exif-ifd2-FNumber", "28/10",
    "exif-ifd2-ISOSpeedRatings", "400",
    "exif-ifd2-FocalLength", "50/1",
    "exif-ifd2-LensModel", "EF 50mm f/1.4 USM",
    "exif-ifd3-GPSLatitudeRef", "N",
    "exif-ifd3-GPSLatitude", "52/1 31/1 1234/100",
    "exif-ifd3-GPSLongitudeRef", "E",
    "exif-ifd3-GPSLongitude", "13/1 24/1 0/1",
    NULL
  };
  Fixture fixture = { 0 };
  g_autofree char *photo = lb_test_write_image_with_fields (tmp_dir, "photo.jpg", LB_TEST_FORMAT_JPEG,
                                                            600, 400, fields);
  g_autofree char *plain = lb_test_write_image (tmp_dir, "plain.png", LB_TEST_FORMAT_PNG, 300, 200, 1);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *pane;
  GtkWidget *link;
  AdwActionRow *camera_row;

  fixture.items = g_list_store_new (LB_TYPE_FILE_ITEM);
  add_item (&fixture, photo);
  add_item (&fixture, plain);
  fixture_open (&fixture, 0);
  pane = lb_test_find_widget (GTK_WIDGET (fixture.viewer), LB_TYPE_PROPERTIES_PANE);
  ck_assert (!gtk_widget_get_mapped (pane));

  /* F9 shows the details, and the choice is remembered. */
  ck_assert (press (&fixture, GDK_KEY_F9, 0));
  ck_assert (g_settings_get_boolean (settings, "show-details"));
  ck_assert (lb_test_wait_for (pane_loaded, pane));

  ck_assert_str_eq (row_value (pane, "Name"), "photo.jpg");
  ck_assert_str_eq (row_value (pane, "Folder"), tmp_dir);
  ck_assert_str_eq (row_value (pane, "Format"), "JPEG");
  ck_assert_str_eq (row_value (pane, "Dimensions"), "600 × 400 pixels (0.2 MP)");
  ck_assert_str_eq (row_value (pane, "Date Taken"), "14 July 2021, 16:30");
  ck_assert_str_eq (row_value (pane, "Camera"), "Canon EOS 5D Mark II");
  ck_assert_str_eq (row_value (pane, "Lens"), "EF 50mm f/1.4 USM");
  ck_assert_str_eq (row_value (pane, "Exposure"), "1/250 s");
  ck_assert_str_eq (row_value (pane, "Aperture"), "ƒ/2.8");
  ck_assert_str_eq (row_value (pane, "ISO"), "400");
  ck_assert_str_eq (row_value (pane, "Focal Length"), "50 mm");
  link = lb_test_find_widget (GTK_WIDGET (lb_test_find_row (pane, "Location")), GTK_TYPE_LINK_BUTTON);
  ck_assert_str_eq (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)), "geo:52.520094,13.400000");
  ck_assert_str_eq (gtk_button_get_label (GTK_BUTTON (link)), "52.52009° N, 13.40000° E");
  ck_assert (!gtk_widget_get_visible (GTK_WIDGET (lb_test_find_row (pane, "Orientation"))));

  /* The next image has no camera data: those rows go. */
  camera_row = lb_test_find_row (pane, "Camera");
  ck_assert (press (&fixture, GDK_KEY_Right, 0));
  ck_assert (lb_test_wait_for (pane_loaded, pane));
  ck_assert_str_eq (row_value (pane, "Name"), "plain.png");
  ck_assert_str_eq (row_value (pane, "Format"), "PNG");
  ck_assert (!gtk_widget_get_visible (GTK_WIDGET (camera_row)));

  /* Alt+Return hides them again. */
  ck_assert (press (&fixture, GDK_KEY_Return, GDK_ALT_MASK));
  ck_assert (!g_settings_get_boolean (settings, "show-details"));

  fixture_close (&fixture);
}
END_TEST

static GtkWidget *
find_in_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found = lb_test_find_widget (window, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The rename dialog: an AdwAlertDialog inside the window from
 * libadwaita 1.5 on, an AdwMessageDialog window before. */
static GtkWidget *
find_rename_dialog (void)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  return find_in_toplevels (ADW_TYPE_ALERT_DIALOG);
#else
  return find_in_toplevels (ADW_TYPE_MESSAGE_DIALOG);
#endif
}

static gboolean
rename_enabled (gpointer data)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  return adw_alert_dialog_get_response_enabled (ADW_ALERT_DIALOG (data), "rename");
#else
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (data), "rename");
#endif
}

/* What the dialog says under the entry, or NULL. */
static const char *
rename_problem (GtkEditable *entry)
{
  GtkWidget *label = gtk_widget_get_next_sibling (gtk_widget_get_ancestor (GTK_WIDGET (entry),
                                                                          GTK_TYPE_ENTRY));

  ck_assert (GTK_IS_LABEL (label));

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static gboolean
name_is_taken (gpointer data)
{
  return g_strcmp0 (rename_problem (data), "A file with this name already exists") == 0;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
file_missing (gpointer data)
{
  return !g_file_test (data, G_FILE_TEST_EXISTS);
}

START_TEST (test_viewer_rename)
{
  Fixture fixture = { 0 };
  g_autofree char *old_path = g_build_filename (tmp_dir, "b.png", NULL);
  g_autofree char *new_path = g_build_filename (tmp_dir, "renamed.png", NULL);
  GtkWidget *dialog;
  GtkEditable *entry;
  int start, end;

  make_folder (&fixture);
  fixture_open (&fixture, 1);
  ck_assert (lb_test_wait_for (is_mapped, fixture.view));

  ck_assert (press (&fixture, GDK_KEY_F2, 0));
  dialog = find_rename_dialog ();
  ck_assert_ptr_nonnull (dialog);
  entry = GTK_EDITABLE (lb_test_find_widget (dialog, GTK_TYPE_TEXT));

  /* The name, its stem selected to be typed over. */
  ck_assert_str_eq (gtk_editable_get_text (entry), "b.png");
  ck_assert (gtk_editable_get_selection_bounds (entry, &start, &end));
  ck_assert_int_eq (start, 0);
  ck_assert_int_eq (end, 1);
  ck_assert (!rename_enabled (dialog));

  gtk_editable_set_text (entry, "");
  ck_assert (!rename_enabled (dialog));
  ck_assert_ptr_null (rename_problem (entry));
  gtk_editable_set_text (entry, "a/b.png");
  ck_assert (!rename_enabled (dialog));
  ck_assert_str_eq (rename_problem (entry), "Names cannot contain “/”");
  gtk_editable_set_text (entry, "..");
  ck_assert (!rename_enabled (dialog));
  ck_assert_str_eq (rename_problem (entry), "“.” and “..” are not allowed as names");

  /* Taken: only the disk knows, asked asynchronously. */
  gtk_editable_set_text (entry, "a.jpg");
  ck_assert (lb_test_wait_for (name_is_taken, entry));
  ck_assert (!rename_enabled (dialog));

  gtk_editable_set_text (entry, "renamed.png");
  ck_assert (lb_test_wait_for (rename_enabled, dialog));
  ck_assert_ptr_null (rename_problem (entry));

  /* Return in the entry renames: what GtkText does on Return. */
  g_signal_emit_by_name (entry, "activate");
  ck_assert (lb_test_wait_for (file_exists, new_path));
  ck_assert (!g_file_test (old_path, G_FILE_TEST_EXISTS));

  fixture_close (&fixture);
}
END_TEST

static gboolean
has_undo_button (gpointer data)
{
  return lb_test_find_button (data, "_Undo") != NULL;
}

START_TEST (test_viewer_trash_and_undo)
{
  Fixture fixture = { 0 };
  g_autofree char *path = g_build_filename (tmp_dir, "b.png", NULL);
  g_autofree char *trashed = g_build_filename (g_get_user_data_dir (), "Trash", "files", "b.png", NULL);
  g_autofree char *info = g_build_filename (g_get_user_data_dir (), "Trash", "info", "b.png.trashinfo", NULL);
  GtkWidget *undo;

  make_folder (&fixture);
  fixture_open (&fixture, 1);
  ck_assert (lb_test_wait_for (is_mapped, fixture.view));

  ck_assert (press (&fixture, GDK_KEY_Delete, 0));
  ck_assert (lb_test_wait_for (file_missing, path));
  ck_assert (g_file_test (trashed, G_FILE_TEST_EXISTS));
  ck_assert (g_file_test (info, G_FILE_TEST_EXISTS));

  /* The toast offers to undo, and undoing puts the file back. */
  ck_assert (lb_test_wait_for (has_undo_button, fixture.window));
  undo = lb_test_find_button (GTK_WIDGET (fixture.window), "_Undo");
  gtk_widget_activate (undo);
  ck_assert (lb_test_wait_for (file_exists, path));
  ck_assert (!g_file_test (trashed, G_FILE_TEST_EXISTS));
  /* The entry's description goes last, once the file is safely back. */
  ck_assert (lb_test_wait_for (file_missing, info));

  fixture_close (&fixture);
}
END_TEST

static gboolean
clipboard_has_texture (gpointer data)
{
  return gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (data), GDK_TYPE_TEXTURE);
}

typedef struct
{
  GValue   value;
  char    *text;
  gboolean done;
} ClipboardRead;

static void
value_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ClipboardRead *read = user_data;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, NULL);

  ck_assert_ptr_nonnull (value);
  g_value_init (&read->value, G_VALUE_TYPE (value));
  g_value_copy (value, &read->value);
  read->done = TRUE;
}

static void
text_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

START_TEST (test_viewer_copy)
{
  Fixture fixture = { 0 };
  g_autofree char *path = g_build_filename (tmp_dir, "b.png", NULL);
  ClipboardRead files = { G_VALUE_INIT };
  ClipboardRead text = { G_VALUE_INIT };
  GdkClipboard *clipboard;
  GdkContentFormats *formats;
  GSList *list;

  make_folder (&fixture);
  fixture_open (&fixture, 1);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture.window));

  /* As a file manager copies files, and then as a picture too. */
  ck_assert (press (&fixture, GDK_KEY_c, GDK_CONTROL_MASK));
  formats = gdk_clipboard_get_formats (clipboard);
  ck_assert (gdk_content_formats_contain_mime_type (formats, "text/uri-list"));
  ck_assert (gdk_content_formats_contain_mime_type (formats, "x-special/gnome-copied-files"));
  ck_assert (lb_test_wait_for (clipboard_has_texture, clipboard));

  gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                  value_read_cb, &files);
  lb_test_spin_until (&files.done);
  list = gdk_file_list_get_files (g_value_get_boxed (&files.value));
  ck_assert_uint_eq (g_slist_length (list), 1);
  ck_assert_str_eq (g_file_peek_path (list->data), path);
  g_slist_free (list);
  g_value_unset (&files.value);

  ck_assert (press (&fixture, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  gdk_clipboard_read_text_async (clipboard, NULL, text_read_cb, &text);
  lb_test_spin_until (&text.done);
  ck_assert_str_eq (text.text, path);
  g_free (text.text);

  fixture_close (&fixture);
}
END_TEST

START_TEST (test_viewer_context_menu)
{
  Fixture fixture = { 0 };
  g_autofree char *path = g_build_filename (tmp_dir, "b.png", NULL);
  g_autofree char *label = NULL;
  g_autofree char *action = NULL;
  ClipboardRead text = { G_VALUE_INIT };
  GMenuModel *model;
  GtkWidget *menu;

  make_folder (&fixture);
  fixture_open (&fixture, 1);
  ck_assert (lb_test_wait_for (is_mapped, fixture.view));

  /* The Menu key pops the file menu up over the image. */
  ck_assert (press (&fixture, GDK_KEY_Menu, 0));
  menu = lb_test_find_widget (GTK_WIDGET (fixture.view), GTK_TYPE_POPOVER_MENU);
  ck_assert_ptr_nonnull (menu);
  ck_assert (lb_test_wait_for (is_mapped, menu));

  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu));
  ck_assert_int_eq (g_menu_model_get_n_items (model), 4);
  ck_assert (g_menu_model_get_item_attribute (g_menu_model_get_item_link (model, 2, G_MENU_LINK_SECTION),
                                              0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  ck_assert (g_menu_model_get_item_attribute (g_menu_model_get_item_link (model, 2, G_MENU_LINK_SECTION),
                                              0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  ck_assert_str_eq (label, "_Rename…");
  ck_assert_str_eq (action, "file.rename");

  /* Its items reach the actions of the image shown. */
  ck_assert (gtk_widget_activate_action (menu, "file.copy-path", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (menu), NULL, text_read_cb, &text);
  lb_test_spin_until (&text.done);
  ck_assert_str_eq (text.text, path);
  g_free (text.text);
  gtk_popover_popdown (GTK_POPOVER (menu));

  fixture_close (&fixture);
}
END_TEST

/* --- in the window -------------------------------------------------------- */

typedef struct
{
  LbApplication *app;
  LbWindow      *window;
  GtkWidget     *grid;
  const char    *name;     /* waited for */
  guint          n_items;  /* waited for */
} Browser;

static void
browser_open (Browser    *browser,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (path);

  browser->app = lb_application_new ();
  /* Tests must not hand their work to a Lightbox the user is running. */
  g_application_set_flags (G_APPLICATION (browser->app),
                           g_application_get_flags (G_APPLICATION (browser->app)) |
                           G_APPLICATION_NON_UNIQUE);
  ck_assert (g_application_register (G_APPLICATION (browser->app), NULL, &error));

  browser->window = lb_application_new_window (browser->app);
  lb_window_set_folder (browser->window, folder);
  gtk_window_present (GTK_WINDOW (browser->window));
  browser->grid = lb_test_find_widget (GTK_WIDGET (browser->window), GTK_TYPE_GRID_VIEW);
}

/* The window builds its viewer when the first image opens. */
static LbViewer *
browser_viewer (Browser *browser)
{
  return (LbViewer *) lb_test_find_widget (GTK_WIDGET (browser->window), LB_TYPE_VIEWER);
}

static void
browser_close (Browser *browser)
{
  gtk_window_destroy (GTK_WINDOW (browser->window));
  g_clear_object (&browser->app);
}

static GListModel *
browser_items (Browser *browser)
{
  return G_LIST_MODEL (lb_window_get_model (browser->window));
}

static guint
browser_find (Browser    *browser,
              const char *name)
{
  int position = lb_test_model_find (browser_items (browser), name);

  ck_assert_msg (position >= 0, "%s is not listed", name);

  return position;
}

static gboolean
has_n_items (gpointer data)
{
  Browser *browser = data;

  return !lb_folder_model_get_loading (lb_window_get_model (browser->window)) &&
         g_list_model_get_n_items (browser_items (browser)) == browser->n_items;
}

static gboolean
lists_name (gpointer data)
{
  Browser *browser = data;

  return lb_test_model_find (browser_items (browser), browser->name) >= 0;
}

static gboolean
lacks_name (gpointer data)
{
  return !lists_name (data);
}

static gboolean
is_viewing (Browser *browser)
{
  LbViewer *viewer = browser_viewer (browser);

  return viewer != NULL && gtk_widget_get_mapped (GTK_WIDGET (viewer)) &&
         !gtk_widget_get_mapped (browser->grid);
}

static gboolean
views_name (gpointer data)
{
  Browser *browser = data;

  return is_viewing (browser) &&
         g_strcmp0 (lb_viewer_get_title (browser_viewer (browser)), browser->name) == 0 &&
         g_strcmp0 (gtk_window_get_title (GTK_WINDOW (browser->window)), browser->name) == 0;
}

static gboolean
grid_has_focus (gpointer data)
{
  Browser *browser = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (browser->window));

  /* A popover of the grid is no focus in the grid. */
  return gtk_widget_get_mapped (browser->grid) && focus != NULL &&
         gtk_widget_is_ancestor (focus, browser->grid) &&
         gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) == NULL;
}

/* A folder first, then three images: a.jpg, b.png, c.webp. */
static void
browser_make_folder (Browser *browser)
{
  g_autofree char *folder = lb_test_write_bad_file (tmp_dir, "folder", LB_TEST_BAD_DIRECTORY);
  g_autofree char *a = lb_test_write_image (tmp_dir, "a.jpg", LB_TEST_FORMAT_JPEG, 640, 480, 1);
  g_autofree char *b = lb_test_write_image (tmp_dir, "b.png", LB_TEST_FORMAT_PNG, 480, 640, 1);
  g_autofree char *c = lb_test_write_image (tmp_dir, "c.webp", LB_TEST_FORMAT_WEBP, 800, 450, 1);

  browser_open (browser, tmp_dir);
  browser->n_items = 4;
  ck_assert (lb_test_wait_for (has_n_items, browser));
}

static GtkWidget *
find_cell (GtkWidget  *root,
           const char *name)
{
  if (LB_IS_THUMBNAIL_CELL (root))
    {
      LbFileItem *item = lb_thumbnail_cell_get_item (LB_THUMBNAIL_CELL (root));

      return item != NULL && g_str_equal (lb_file_item_get_name (item), name) ? root : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_cell (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The cell is there, laid out. */
static gboolean
has_cell (gpointer data)
{
  Browser *browser = data;
  GtkWidget *cell = find_cell (browser->grid, browser->name);

  return cell != NULL && gtk_widget_get_width (cell) > 0 && gtk_widget_get_width (browser->grid) > 0;
}

/* Selects @name and moves the focus to it, as a click would. */
static void
browser_focus (Browser    *browser,
               const char *name)
{
  GtkSelectionModel *selection = gtk_grid_view_get_model (GTK_GRID_VIEW (browser->grid));

  browser->name = name;
  ck_assert (lb_test_wait_for (has_cell, browser));
  gtk_selection_model_select_item (selection, browser_find (browser, name), TRUE);
  ck_assert (gtk_widget_grab_focus (gtk_widget_get_parent (find_cell (browser->grid, name))));
  ck_assert (lb_test_wait_for (grid_has_focus, browser));
}

/* Enter on an image: the viewer; Right on; Escape back to the grid, on
 * the image last shown. */
START_TEST (test_window_view_and_back)
{
  Browser browser = { 0 };
  g_autofree char *folder_name = NULL;
  GtkSelectionModel *selection;
  guint c_position;

  browser_make_folder (&browser);
  folder_name = g_strdup (gtk_window_get_title (GTK_WINDOW (browser.window)));
  /* Nothing of the viewer is built before an image opens. */
  ck_assert_ptr_null (browser_viewer (&browser));

  browser_focus (&browser, "b.png");
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Return, 0));
  browser.name = "b.png";
  ck_assert (lb_test_wait_for (views_name, &browser));
  ck_assert_uint_eq (lb_viewer_get_position (browser_viewer (&browser)), browser_find (&browser, "b.png"));

  /* While viewing, Backspace does not leave the folder behind. */
  lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_BackSpace, 0);
  ck_assert (is_viewing (&browser));

  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Right, 0));
  browser.name = "c.webp";
  ck_assert (lb_test_wait_for (views_name, &browser));

  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Escape, 0));
  ck_assert (lb_test_wait_for (grid_has_focus, &browser));
  ck_assert_str_eq (gtk_window_get_title (GTK_WINDOW (browser.window)), folder_name);
  selection = gtk_grid_view_get_model (GTK_GRID_VIEW (browser.grid));
  c_position = browser_find (&browser, "c.webp");
  ck_assert (gtk_selection_model_is_selected (selection, c_position));
  ck_assert (!gtk_selection_model_is_selected (selection, browser_find (&browser, "b.png")));

  /* Enter on the folder still goes into it. */
  browser_focus (&browser, "folder");
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Return, 0));
  ck_assert (!is_viewing (&browser));

  browser_close (&browser);
}
END_TEST

/* The grid item that has the keyboard focus, or NULL. */
static const char *
focused_name (Browser *browser)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (browser->window));
  GtkWidget *cell;
  LbFileItem *item;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, browser->grid))
    return NULL;

  cell = LB_IS_THUMBNAIL_CELL (focus) ? focus : gtk_widget_get_first_child (focus);
  if (!LB_IS_THUMBNAIL_CELL (cell) || (item = lb_thumbnail_cell_get_item (LB_THUMBNAIL_CELL (cell))) == NULL)
    return NULL;

  return lb_file_item_get_name (item);
}

static gboolean
focuses_name (gpointer data)
{
  Browser *browser = data;

  return g_strcmp0 (focused_name (browser), browser->name) == 0;
}

/* Twenty images on in the viewer, far out of the grid's sight: Escape
 * brings the keyboard focus there too, so that the arrows go on from
 * the image last shown rather than from where the viewer was opened. */
START_TEST (test_window_back_from_far)
{
  Browser browser = { 0 };
  GtkSelectionModel *selection;

  for (int i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("img%02d.png", i);
      g_autofree char *path = lb_test_write_image (tmp_dir, name, LB_TEST_FORMAT_PNG, 32, 24, 1);
    }
  browser_open (&browser, tmp_dir);
  browser.n_items = 60;
  ck_assert (lb_test_wait_for (has_n_items, &browser));

  browser_focus (&browser, "img02.png");
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Return, 0));
  browser.name = "img02.png";
  ck_assert (lb_test_wait_for (views_name, &browser));
  for (int i = 0; i < 20; i++)
    ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Right, 0));
  browser.name = "img22.png";
  ck_assert (lb_test_wait_for (views_name, &browser));

  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Escape, 0));
  ck_assert (lb_test_wait_for (focuses_name, &browser));
  selection = gtk_grid_view_get_model (GTK_GRID_VIEW (browser.grid));
  ck_assert (gtk_selection_model_is_selected (selection, browser_find (&browser, "img22.png")));
  ck_assert (!gtk_selection_model_is_selected (selection, browser_find (&browser, "img02.png")));

  /* The keys go on from there. */
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Right, 0));
  browser.name = "img23.png";
  ck_assert (lb_test_wait_for (focuses_name, &browser));

  browser_close (&browser);
}
END_TEST

static gboolean
has_rendition_in (gpointer data)
{
  Browser *browser = data;

  return views_name (browser) &&
         lb_image_view_get_has_rendition (LB_IMAGE_VIEW (lb_test_find_widget (GTK_WIDGET (browser_viewer (browser)),
                                                                              LB_TYPE_IMAGE_VIEW)));
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;

  return G_SOURCE_CONTINUE;
}

static gboolean
three_frames (gpointer data)
{
  return *(guint *) data >= 3;
}

/* Keeps the frame clock of @widget going until it has run three frames:
 * then whatever a change makes GTK lay out and draw has been drawn. */
static void
wait_for_frames (GtkWidget *widget)
{
  guint n_frames = 0;
  guint tick = gtk_widget_add_tick_callback (widget, count_frame_cb, &n_frames, NULL);

  ck_assert (lb_test_wait_for (three_frames, &n_frames));
  gtk_widget_remove_tick_callback (widget, tick);
}

/* From a landscape image to a portrait one, the fitted zoom changes as
 * the view is laid out: the whole viewer is still drawn (GTK warns of
 * what it draws unallocated), and the zoom label tells the new zoom. */
START_TEST (test_window_new_shape_drawn)
{
  Browser browser = { 0 };
  g_autofree char *wide = lb_test_write_image (tmp_dir, "a-wide.jpg", LB_TEST_FORMAT_JPEG, 2000, 1500, 1);
  g_autofree char *tall = lb_test_write_image (tmp_dir, "b-tall.jpg", LB_TEST_FORMAT_JPEG, 1500, 2000, 1);
  g_autofree char *expected = NULL;
  LbImageView *view;
  GtkWidget *label;
  double wide_zoom;

  browser_open (&browser, tmp_dir);
  browser.n_items = 2;
  ck_assert (lb_test_wait_for (has_n_items, &browser));

  browser_focus (&browser, "a-wide.jpg");
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Return, 0));
  ck_assert (lb_test_wait_for (has_rendition_in, &browser));
  wait_for_frames (GTK_WIDGET (browser.window));
  view = LB_IMAGE_VIEW (lb_test_find_widget (GTK_WIDGET (browser_viewer (&browser)), LB_TYPE_IMAGE_VIEW));
  wide_zoom = lb_image_view_get_zoom (view);

  drawn_unallocated = FALSE;
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Right, 0));
  browser.name = "b-tall.jpg";
  ck_assert (lb_test_wait_for (has_rendition_in, &browser));
  wait_for_frames (GTK_WIDGET (browser.window));
  ck_assert_double_lt (lb_image_view_get_zoom (view), wide_zoom);
  ck_assert (!drawn_unallocated);

  expected = g_strdup_printf ("%.0f%%", 100 * lb_image_view_get_zoom (view));
  label = lb_test_find_button (GTK_WIDGET (browser_viewer (&browser)), expected);
  ck_assert_msg (label != NULL, "no zoom label %s", expected);
  ck_assert (gtk_widget_get_mapped (label));

  browser_close (&browser);
}
END_TEST

/* Trashed in the viewer: the next image takes its place; undone, it is
 * back in the folder. */
START_TEST (test_window_trash_in_viewer)
{
  Browser browser = { 0 };
  GtkWidget *undo;

  browser_make_folder (&browser);
  browser_focus (&browser, "b.png");
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Return, 0));
  browser.name = "b.png";
  ck_assert (lb_test_wait_for (views_name, &browser));

  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Delete, 0));
  ck_assert (lb_test_wait_for (lacks_name, &browser));
  browser.name = "c.webp";
  ck_assert (lb_test_wait_for (views_name, &browser));

  ck_assert (lb_test_wait_for (has_undo_button, browser.window));
  undo = lb_test_find_button (GTK_WIDGET (browser.window), "_Undo");
  gtk_widget_activate (undo);
  browser.name = "b.png";
  ck_assert (lb_test_wait_for (lists_name, &browser));

  browser_close (&browser);
}
END_TEST

/* F2 on what has the focus, a new name typed, Enter. */
static void
browser_rename (Browser    *browser,
                const char *new_name)
{
  GtkWidget *dialog;
  GtkEditable *entry;

  ck_assert (lb_test_press_key (GTK_WINDOW (browser->window), GDK_KEY_F2, 0));
  dialog = find_rename_dialog ();
  entry = GTK_EDITABLE (lb_test_find_widget (dialog, GTK_TYPE_TEXT));
  gtk_editable_set_text (entry, new_name);
  ck_assert (lb_test_wait_for (rename_enabled, dialog));
  g_signal_emit_by_name (entry, "activate");
}

/* Renamed in the viewer: it keeps showing the picture, under its new name. */
START_TEST (test_window_rename_in_viewer)
{
  Browser browser = { 0 };

  browser_make_folder (&browser);
  browser_focus (&browser, "b.png");
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Return, 0));
  browser.name = "b.png";
  ck_assert (lb_test_wait_for (views_name, &browser));

  browser_rename (&browser, "zebra.png");

  browser.name = "zebra.png";
  ck_assert (lb_test_wait_for (views_name, &browser));
  ck_assert_uint_eq (lb_viewer_get_position (browser_viewer (&browser)), browser_find (&browser, "zebra.png"));

  browser_close (&browser);
}
END_TEST

/* Renamed in the grid: the file stays selected and focused under its
 * new name, so that the next action (Delete) is on it. */
START_TEST (test_window_rename_in_grid)
{
  Browser browser = { 0 };
  GtkSelectionModel *selection;

  browser_make_folder (&browser);
  browser_focus (&browser, "b.png");
  browser_rename (&browser, "zebra.png");

  browser.name = "zebra.png";
  ck_assert (lb_test_wait_for (lists_name, &browser));
  ck_assert (lb_test_wait_for (focuses_name, &browser));
  selection = gtk_grid_view_get_model (GTK_GRID_VIEW (browser.grid));
  ck_assert (gtk_selection_model_is_selected (selection, browser_find (&browser, "zebra.png")));

  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Delete, 0));
  ck_assert (lb_test_wait_for (lacks_name, &browser));
  browser.n_items = 3;
  ck_assert (lb_test_wait_for (has_n_items, &browser));

  browser_close (&browser);
}
END_TEST

/* The file actions act on the grid's selection: all of it. */
START_TEST (test_window_selection_actions)
{
  Browser browser = { 0 };
  g_autofree char *a = g_build_filename (tmp_dir, "a.jpg", NULL);
  g_autofree char *b = g_build_filename (tmp_dir, "b.png", NULL);
  g_autofree char *expected = g_strdup_printf ("%s\n%s", a, b);
  ClipboardRead text = { G_VALUE_INIT };
  GtkSelectionModel *selection;
  GtkWidget *menu;
  GtkWidget *undo;

  browser_make_folder (&browser);
  browser_focus (&browser, "a.jpg");
  selection = gtk_grid_view_get_model (GTK_GRID_VIEW (browser.grid));
  gtk_selection_model_select_item (selection, browser_find (&browser, "b.png"), FALSE);

  /* The Menu key: the file menu, for both. */
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Menu, 0));
  menu = lb_test_find_widget (browser.grid, GTK_TYPE_POPOVER_MENU);
  ck_assert_ptr_nonnull (menu);
  ck_assert (lb_test_wait_for (is_mapped, menu));
  ck_assert (gtk_widget_activate_action (menu, "file.copy-path", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (menu), NULL, text_read_cb, &text);
  lb_test_spin_until (&text.done);
  ck_assert_str_eq (text.text, expected);
  g_free (text.text);
  gtk_popover_popdown (GTK_POPOVER (menu));
  ck_assert (lb_test_wait_for (grid_has_focus, &browser));

  /* Delete trashes both; one Undo brings both back. */
  ck_assert (lb_test_press_key (GTK_WINDOW (browser.window), GDK_KEY_Delete, 0));
  browser.n_items = 2;
  ck_assert (lb_test_wait_for (has_n_items, &browser));
  ck_assert (lb_test_wait_for (has_undo_button, browser.window));
  undo = lb_test_find_button (GTK_WIDGET (browser.window), "_Undo");
  gtk_widget_activate (undo);
  browser.n_items = 4;
  ck_assert (lb_test_wait_for (has_n_items, &browser));

  browser_close (&browser);
}
END_TEST

static Suite *
viewer_suite (void)
{
  Suite *suite = suite_create ("viewer");
  TCase *tcase = tcase_create ("viewer");

  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 300);
  tcase_add_test (tcase, test_viewer_navigation);
  tcase_add_test (tcase, test_viewer_zoom_and_pan);
  tcase_add_test (tcase, test_viewer_animation);
  tcase_add_test (tcase, test_viewer_details);
  tcase_add_test (tcase, test_viewer_rename);
  tcase_add_test (tcase, test_viewer_trash_and_undo);
  tcase_add_test (tcase, test_viewer_copy);
  tcase_add_test (tcase, test_viewer_context_menu);
  suite_add_tcase (suite, tcase);

  tcase = tcase_create ("window");
  tcase_add_checked_fixture (tcase, setup, teardown);
  tcase_set_timeout (tcase, 300);
  tcase_add_test (tcase, test_window_view_and_back);
  tcase_add_test (tcase, test_window_back_from_far);
  tcase_add_test (tcase, test_window_new_shape_drawn);
  tcase_add_test (tcase, test_window_trash_in_viewer);
  tcase_add_test (tcase, test_window_rename_in_viewer);
  tcase_add_test (tcase, test_window_rename_in_grid);
  tcase_add_test (tcase, test_window_selection_actions);
  suite_add_tcase (suite, tcase);

  return suite;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = lb_test_set_cache_home ();
  g_autofree char *data_home = lb_test_make_tmp_dir ();
  SRunner *runner;
  int failed;

  /* A private trash, which GLib finds through XDG_DATA_HOME. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  setlocale (LC_ALL, "");
  lb_vips_init (argv[0]);
  g_log_set_writer_func (log_writer, NULL, NULL);

  runner = srunner_create (viewer_suite ());
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  lb_test_remove_dir (cache_home);
  lb_test_remove_dir (data_home);

  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
