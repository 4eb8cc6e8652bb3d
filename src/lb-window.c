/* lb-window.c: a window showing the thumbnails of one folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "lb-window.h"

#define FILE_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN "," \
  G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_SYMBOLIC_ICON "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED

/* Kept on each GFileInfo so that sorting computes it once per file. */
#define COLLATE_KEY_ATTRIBUTE "lightbox::collate-key"

struct _LbWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkGridView          *grid_view;
  AdwStatusPage        *status_page;

  GSettings            *settings;
  GFile                *folder;
  GtkDirectoryList     *directory_list;
  GtkCustomFilter      *hidden_filter;
  GCancellable         *folder_cancellable;

  /* URI → GdkTexture of the thumbnails made for this folder */
  GHashTable           *textures;
  /* URI → GtkImage of the cells bound right now */
  GHashTable           *bound_images;
};

G_DEFINE_FINAL_TYPE (LbWindow, lb_window, ADW_TYPE_APPLICATION_WINDOW)

LbWindow *
lb_window_new (LbApplication *application)
{
  return g_object_new (LB_TYPE_WINDOW, "application", application, NULL);
}

GFile *
lb_window_get_folder (LbWindow *self)
{
  g_return_val_if_fail (LB_IS_WINDOW (self), NULL);

  return self->folder;
}

static GFile *
file_info_get_file (GFileInfo *info)
{
  return G_FILE (g_file_info_get_attribute_object (info, "standard::file"));
}

static gboolean
file_info_is_image (GFileInfo *info)
{
  const char *content_type = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE);
  g_autofree char *mime_type = NULL;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR || content_type == NULL)
    return FALSE;

  mime_type = g_content_type_get_mime_type (content_type);

  return mime_type != NULL &&
         (g_str_has_prefix (mime_type, "image/") || g_str_equal (mime_type, "application/pdf"));
}

static const char *
file_info_get_collate_key (GFileInfo *info)
{
  const char *key = g_file_info_get_attribute_string (info, COLLATE_KEY_ATTRIBUTE);

  if (key == NULL)
    {
      g_autofree char *computed = g_utf8_collate_key_for_filename (g_file_info_get_display_name (info), -1);

      g_file_info_set_attribute_string (info, COLLATE_KEY_ATTRIBUTE, computed);
      key = g_file_info_get_attribute_string (info, COLLATE_KEY_ATTRIBUTE);
    }

  return key;
}

/* Folders first, then the natural order of names ("img2" before "img10"). */
static int
compare_file_infos (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  GFileInfo *info_a = G_FILE_INFO ((gpointer) a);
  GFileInfo *info_b = G_FILE_INFO ((gpointer) b);
  gboolean dir_a = g_file_info_get_file_type (info_a) == G_FILE_TYPE_DIRECTORY;
  gboolean dir_b = g_file_info_get_file_type (info_b) == G_FILE_TYPE_DIRECTORY;

  if (dir_a != dir_b)
    return dir_a ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;

  return gtk_ordering_from_cmpfunc (strcmp (file_info_get_collate_key (info_a),
                                            file_info_get_collate_key (info_b)));
}

static gboolean
filter_hidden (gpointer item,
               gpointer user_data)
{
  LbWindow *self = LB_WINDOW (user_data);

  return g_settings_get_boolean (self->settings, "show-hidden") ||
         !g_file_info_get_is_hidden (G_FILE_INFO (item));
}

static guint
lb_window_get_cell_size (LbWindow *self)
{
  return g_settings_get_int (self->settings, "thumbnail-size");
}

static void
lb_window_show_thumbnail (LbWindow   *self,
                          GtkImage   *image,
                          GdkTexture *texture)
{
  if (texture != NULL)
    gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
  else
    gtk_image_set_from_icon_name (image, "image-missing-symbolic");
}

/* The texture table keeps NULL for thumbnails that failed. */
static void
texture_unref (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static GdkTexture *
texture_new_for_thumbnail (LbThumbnail *thumbnail)
{
  return gdk_memory_texture_new (lb_thumbnail_get_width (thumbnail),
                                 lb_thumbnail_get_height (thumbnail),
                                 lb_thumbnail_get_has_alpha (thumbnail) ? GDK_MEMORY_R8G8B8A8
                                                                        : GDK_MEMORY_R8G8B8,
                                 lb_thumbnail_get_pixels (thumbnail),
                                 lb_thumbnail_get_stride (thumbnail));
}

typedef struct
{
  LbWindow *window;
  char     *uri;
} ThumbnailRequest;

static void
thumbnail_request_free (ThumbnailRequest *request)
{
  g_object_unref (request->window);
  g_free (request->uri);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThumbnailRequest, thumbnail_request_free)

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ThumbnailRequest) request = user_data;
  LbWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkImage *image;

  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (thumbnail != NULL)
    texture = texture_new_for_thumbnail (thumbnail);
  else
    g_debug ("No thumbnail for %s: %s", request->uri, error->message);

  /* A failed thumbnail is remembered as NULL: the cell shows it as broken. */
  g_hash_table_replace (self->textures, g_strdup (request->uri),
                        texture != NULL ? g_object_ref (texture) : NULL);

  image = g_hash_table_lookup (self->bound_images, request->uri);
  if (image != NULL)
    lb_window_show_thumbnail (self, image, texture);
}

static void
lb_window_request_thumbnail (LbWindow   *self,
                             GFile      *file,
                             const char *uri)
{
  LbApplication *app = LB_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  guint pixels = lb_window_get_cell_size (self) * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  ThumbnailRequest *request = g_new0 (ThumbnailRequest, 1);

  request->window = g_object_ref (self);
  request->uri = g_strdup (uri);

  lb_thumbnail_scheduler_load_async (lb_application_get_scheduler (app),
                                     file,
                                     lb_thumbnail_size_for_pixels (pixels),
                                     LB_THUMBNAIL_FLAGS_NONE,
                                     G_PRIORITY_HIGH,
                                     self->folder_cancellable,
                                     thumbnail_loaded_cb,
                                     request);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               LbWindow                 *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  guint size = lb_window_get_cell_size (self);

  gtk_widget_add_css_class (box, "lb-thumbnail-cell");
  gtk_image_set_pixel_size (GTK_IMAGE (image), size);
  gtk_widget_set_size_request (image, size, size);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 1);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              LbWindow                 *self)
{
  GFileInfo *info = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkImage *image = GTK_IMAGE (gtk_widget_get_first_child (box));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_last_child (box));
  const char *name = g_file_info_get_display_name (info);
  GFile *file = file_info_get_file (info);
  g_autofree char *uri = g_file_get_uri (file);
  gpointer texture;

  gtk_label_set_text (label, name);
  gtk_widget_set_tooltip_text (box, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);

  if (!file_info_is_image (info))
    {
      gtk_image_set_from_gicon (image, g_file_info_get_symbolic_icon (info));
      return;
    }

  g_hash_table_replace (self->bound_images, g_strdup (uri), image);

  if (g_hash_table_lookup_extended (self->textures, uri, NULL, &texture))
    {
      lb_window_show_thumbnail (self, image, texture);
      return;
    }

  gtk_image_set_from_gicon (image, g_file_info_get_symbolic_icon (info));
  lb_window_request_thumbnail (self, file, uri);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                LbWindow                 *self)
{
  GFileInfo *info = gtk_list_item_get_item (list_item);
  g_autofree char *uri = g_file_get_uri (file_info_get_file (info));
  GtkWidget *box = gtk_list_item_get_child (list_item);

  if (g_hash_table_lookup (self->bound_images, uri) == gtk_widget_get_first_child (box))
    g_hash_table_remove (self->bound_images, uri);
}

static void
lb_window_update_status (LbWindow *self)
{
  const GError *error = gtk_directory_list_get_error (self->directory_list);
  GListModel *model = G_LIST_MODEL (gtk_grid_view_get_model (self->grid_view));
  gboolean loading = gtk_directory_list_is_loading (self->directory_list);

  if (error != NULL)
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        adw_status_page_set_title (self->status_page, _("Folder Not Found"));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        adw_status_page_set_title (self->status_page, _("No Permission to Open This Folder"));
      else
        adw_status_page_set_title (self->status_page, _("Could Not Open This Folder"));
      adw_status_page_set_description (self->status_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "status");
    }
  else if (!loading && g_list_model_get_n_items (model) == 0)
    {
      adw_status_page_set_icon_name (self->status_page, "folder-symbolic");
      adw_status_page_set_title (self->status_page, _("Folder Is Empty"));
      adw_status_page_set_description (self->status_page, NULL);
      gtk_stack_set_visible_child_name (self->stack, "status");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "grid");
    }
}

void
lb_window_set_folder (LbWindow *self,
                      GFile    *folder)
{
  g_autofree char *parse_name = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (LB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  /* Leaving a folder drops all of its queued and running thumbnail work. */
  g_cancellable_cancel (self->folder_cancellable);
  g_clear_object (&self->folder_cancellable);
  self->folder_cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->textures);

  g_set_object (&self->folder, folder);
  gtk_directory_list_set_file (self->directory_list, folder);

  parse_name = g_file_get_parse_name (folder);
  basename = g_file_get_basename (folder);
  display_name = g_filename_display_name (basename != NULL ? basename : parse_name);
  if (g_file_has_uri_scheme (folder, "file") && g_strcmp0 (basename, "/") == 0)
    {
      g_free (display_name);
      display_name = g_strdup (_("Computer"));
    }

  gtk_window_set_title (GTK_WINDOW (self), display_name);
  adw_window_title_set_title (self->window_title, display_name);
  adw_window_title_set_subtitle (self->window_title, parse_name);

  uri = g_file_get_uri (folder);
  g_settings_set_string (self->settings, "last-folder", uri);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-up",
                                 g_file_has_parent (folder, NULL));
  lb_window_update_status (self);
}

static void
lb_window_go_up (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);
  g_autoptr(GFile) parent = g_file_get_parent (self->folder);

  if (parent != NULL)
    lb_window_set_folder (self, parent);
}

static void
grid_activate_cb (LbWindow    *self,
                  guint        position,
                  GtkGridView *grid_view)
{
  GListModel *model = G_LIST_MODEL (gtk_grid_view_get_model (grid_view));
  g_autoptr(GFileInfo) info = g_list_model_get_item (model, position);

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    lb_window_set_folder (self, file_info_get_file (info));
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
folder_selected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, &error);

  if (folder != NULL)
    lb_window_set_folder (self, folder);
  else if (!g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}
#else
static void
folder_chooser_response_cb (GtkNativeDialog *chooser,
                            int              response,
                            LbWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      lb_window_set_folder (self, folder);
    }

  g_object_unref (chooser);
}
#endif

static void
lb_window_open_folder (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Open Folder"));
  gtk_file_dialog_set_initial_folder (dialog, self->folder);
  gtk_file_dialog_select_folder (dialog, GTK_WINDOW (self), NULL,
                                 folder_selected_cb, g_object_ref (self));
#else
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
#endif
}

static void
show_hidden_changed_cb (LbWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->hidden_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
lb_window_close_request (GtkWindow *window)
{
  LbWindow *self = LB_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  g_cancellable_cancel (self->folder_cancellable);

  return GTK_WINDOW_CLASS (lb_window_parent_class)->close_request (window);
}

static void
lb_window_dispose (GObject *object)
{
  LbWindow *self = LB_WINDOW (object);

  g_cancellable_cancel (self->folder_cancellable);
  g_clear_object (&self->folder_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_WINDOW);

  g_clear_object (&self->directory_list);
  g_clear_object (&self->folder);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->bound_images, g_hash_table_unref);

  G_OBJECT_CLASS (lb_window_parent_class)->dispose (object);
}

static void
lb_window_class_init (LbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lb_window_dispose;
  window_class->close_request = lb_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, grid_view);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, status_page);

  gtk_widget_class_install_action (widget_class, "win.open-folder", NULL, lb_window_open_folder);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL, lb_window_go_up);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
lb_window_init (LbWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkMultiSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->folder_cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, texture_unref);
  self->bound_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* GtkDirectoryList enumerates asynchronously and adds files in batches;
   * the sort model sorts incrementally, so big folders never block. */
  self->directory_list = gtk_directory_list_new (FILE_ATTRIBUTES, NULL);
  gtk_directory_list_set_io_priority (self->directory_list, G_PRIORITY_DEFAULT);
  g_signal_connect_object (self->directory_list, "notify::loading",
                           G_CALLBACK (lb_window_update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->directory_list, "notify::error",
                           G_CALLBACK (lb_window_update_status), self, G_CONNECT_SWAPPED);

  self->hidden_filter = gtk_custom_filter_new (filter_hidden, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->directory_list)),
                                        GTK_FILTER (self->hidden_filter));
  gtk_filter_list_model_set_incremental (filtered, TRUE);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                    GTK_SORTER (gtk_custom_sorter_new (compare_file_infos, NULL, NULL)));
  gtk_sort_list_model_set_incremental (sorted, TRUE);
  selection = gtk_multi_selection_new (G_LIST_MODEL (sorted));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_signal_connect_object (self->grid_view, "activate",
                           G_CALLBACK (grid_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (selection, "items-changed",
                           G_CALLBACK (lb_window_update_status), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed::show-hidden",
                           G_CALLBACK (show_hidden_changed_cb), self, G_CONNECT_SWAPPED);
}
