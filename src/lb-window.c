/* lb-window.c
 *
 * The window owns a folder model (listing, sorting, filtering: see
 * lb-folder-model.c) and a thumbnail loader (requests and textures: see
 * lb-thumbnail-loader.c), shown by the grid (zoom, cells, context menu:
 * see lb-thumbnail-grid.c); here are the navigation, the header, the
 * status and progress, and the settings that tie them together. The
 * engine (scheduler, texture cache) is given by whoever makes the
 * window: the window never asks the application for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-window"

#include <glib/gi18n.h>

#include "lb-desktop.h"
#include "lb-file-actions.h"
#include "lb-location-entry.h"
#include "lb-path-bar.h"
#include "lb-thumbnail-grid.h"
#include "lb-timings.h"
#include "lb-viewer.h"
#include "lb-window.h"

/* The progress pill only shows for work that takes a while. */
#define PROGRESS_DELAY_MS 600

struct _LbWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *page_stack;
  GtkWidget            *browser_page;
  LbViewer             *viewer;   /* in page_stack, once an image opened */
  AdwWindowTitle       *window_title;
  GtkToggleButton      *search_button;
  GtkStack             *location_stack;
  LbPathBar            *path_bar;
  LbLocationEntry      *location_entry;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *stack;
  LbThumbnailGrid      *grid;
  AdwStatusPage        *status_page;
  GtkWidget            *status_up_button;
  GtkWidget            *status_home_button;
  GtkWidget            *status_open_button;
  GtkRevealer          *progress_revealer;
  GtkRevealer          *unwatched_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkMenuButton        *main_menu_button;
  GtkMenuButton        *view_button;

  GSettings            *settings;
  LbThumbnailScheduler *scheduler;
  LbTextureCache       *textures;
  LbFolderModel        *model;
  GtkMultiSelection    *selection;
  LbThumbnailLoader    *loader;
  /* On the selection of the grid; the viewer has its own. */
  LbFileActions        *file_actions;

  GFile                *folder;
  GPtrArray            *back;          /* GFile, most recent last */
  GPtrArray            *forward;       /* GFile, most recent last */
  char                 *select_name;   /* to select once it is listed */
  GCancellable         *cancellable;   /* of the folder's side requests */
  gboolean              mount_tried;

  guint                 progress_source;
  gboolean              busy;

  /* What was drawn of the folder: the first frame after listing ended,
   * then the first screen with every thumbnail. */
  gboolean              listing_drawn;
  gboolean              visible_drawn;

  /* A new folder takes the keyboard focus once it has an item: until
   * then the empty grid cannot, and it would stay on the Up button. */
  gboolean              focus_grid_when_listed;

};

G_DEFINE_FINAL_TYPE (LbWindow, lb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SCHEDULER,
  PROP_TEXTURE_CACHE,
  PROP_ZOOM,
  PROP_SHOW_HIDDEN,
  PROP_IMAGES_ONLY,
  PROP_SORT_KEY,
  PROP_SORT_DESCENDING,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void lb_window_load (LbWindow   *self,
                            GFile      *folder,
                            const char *select_name);
static void viewer_close_cb (LbWindow *self);
static void viewer_title_cb (LbWindow *self);

LbWindow *
lb_window_new (GtkApplication       *application,
               LbThumbnailScheduler *scheduler,
               LbTextureCache       *textures)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LB_IS_THUMBNAIL_SCHEDULER (scheduler), NULL);
  g_return_val_if_fail (LB_IS_TEXTURE_CACHE (textures), NULL);

  return g_object_new (LB_TYPE_WINDOW,
                       "application", application,
                       "scheduler", scheduler,
                       "texture-cache", textures,
                       NULL);
}

GFile *
lb_window_get_folder (LbWindow *self)
{
  g_return_val_if_fail (LB_IS_WINDOW (self), NULL);

  return self->folder;
}

LbFolderModel *
lb_window_get_model (LbWindow *self)
{
  g_return_val_if_fail (LB_IS_WINDOW (self), NULL);

  return self->model;
}

LbThumbnailLoader *
lb_window_get_loader (LbWindow *self)
{
  g_return_val_if_fail (LB_IS_WINDOW (self), NULL);

  return self->loader;
}

gboolean
lb_window_get_busy (LbWindow *self)
{
  g_return_val_if_fail (LB_IS_WINDOW (self), FALSE);

  return self->busy;
}

void
lb_window_add_toast (LbWindow   *self,
                     const char *message)
{
  g_return_if_fail (LB_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* --- zoom ---------------------------------------------------------------- */

static void
lb_window_update_thumbnail_size (LbWindow *self)
{
  guint pixels = lb_thumbnail_grid_get_zoom (self->grid) * gtk_widget_get_scale_factor (GTK_WIDGET (self));

  /* Device pixels: sharp on HiDPI screens. */
  lb_thumbnail_loader_set_size (self->loader, lb_thumbnail_size_for_pixels (pixels));
}

/* The grid's zoom is the window's, and sets the thumbnails' size. */
static void
grid_zoom_changed_cb (LbWindow *self)
{
  int zoom = lb_thumbnail_grid_get_zoom (self->grid);

  lb_window_update_thumbnail_size (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", zoom < LB_THUMBNAIL_GRID_ZOOM_MAX);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", zoom > LB_THUMBNAIL_GRID_ZOOM_MIN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static void
lb_window_zoom_in (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  lb_thumbnail_grid_zoom_step (LB_WINDOW (widget)->grid, 1);
}

static void
lb_window_zoom_out (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  lb_thumbnail_grid_zoom_step (LB_WINDOW (widget)->grid, -1);
}

static void
lb_window_zoom_reset (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  g_settings_reset (self->settings, "thumbnail-size");
}

/* --- status and progress ------------------------------------------------- */

static void
lb_window_show_status (LbWindow   *self,
                       const char *icon_name,
                       const char *title,
                       const char *description,
                       gboolean    offer_up,
                       gboolean    offer_home)
{
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (self->status_up_button, offer_up);
  gtk_widget_set_visible (self->status_home_button, offer_home);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
lb_window_update_status (LbWindow *self)
{
  const GError *error = lb_folder_model_get_error (self->model);
  gboolean has_parent = self->folder != NULL && g_file_has_parent (self->folder, NULL);
  g_autofree char *name = self->folder != NULL ? g_file_get_parse_name (self->folder) : NULL;
  g_autofree char *description = NULL;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      description = g_strdup_printf (_("There is no folder “%s”. It may have been moved or deleted."), name);
      lb_window_show_status (self, "folder-symbolic", _("Folder Not Found"), description,
                             has_parent, TRUE);
    }
  else if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      description = g_strdup_printf (_("You are not allowed to see what is in “%s”."), name);
      lb_window_show_status (self, "dialog-password-symbolic", _("No Permission to Open This Folder"),
                             description, has_parent, TRUE);
    }
  else if (error != NULL)
    {
      lb_window_show_status (self, "dialog-error-symbolic", _("Could Not Open This Folder"),
                             error->message, has_parent, TRUE);
    }
  else if (!lb_folder_model_get_loading (self->model) &&
           g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      const char *filter = lb_folder_model_get_filter_text (self->model);

      if (lb_folder_model_get_n_unfiltered (self->model) == 0)
        lb_window_show_status (self, "folder-symbolic", _("Folder Is Empty"), NULL, has_parent, FALSE);
      else if (filter != NULL)
        {
          description = g_strdup_printf (_("No file name here contains “%s”."), filter);
          lb_window_show_status (self, "edit-find-symbolic", _("No Results"), description, FALSE, FALSE);
        }
      else if (lb_folder_model_get_images_only (self->model))
        lb_window_show_status (self, "image-x-generic-symbolic", _("No Images"),
                               _("This folder has files, but no images."), has_parent, FALSE);
      else
        lb_window_show_status (self, "folder-symbolic", _("Folder Is Empty"),
                               _("This folder only has hidden files."), has_parent, FALSE);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "grid");
    }
}

static gboolean
show_progress_cb (gpointer user_data)
{
  LbWindow *self = user_data;

  self->progress_source = 0;
  gtk_revealer_set_reveal_child (self->progress_revealer, self->busy);

  return G_SOURCE_REMOVE;
}

static void
lb_window_update_progress (LbWindow *self)
{
  gboolean loading = lb_folder_model_get_loading (self->model);
  guint n_images = lb_thumbnail_loader_get_n_images (self->loader);
  guint n_done = lb_thumbnail_loader_get_n_done (self->loader);
  gboolean busy = loading || !lb_thumbnail_loader_get_complete (self->loader) || !self->visible_drawn;
  g_autofree char *text = NULL;

  if (loading)
    {
      guint n = lb_folder_model_get_n_unfiltered (self->model);

      /* Translators: while a big folder is being read */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Listing… %'u file", "Listing… %'u files", n), n);
      gtk_progress_bar_pulse (self->progress_bar);
    }
  else if (n_images > 0)
    {
      /* Translators: thumbnails made so far, of all the folder's images */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u of %'u thumbnail",
                                           "%'u of %'u thumbnails", n_images),
                              n_done, n_images);
      gtk_progress_bar_set_fraction (self->progress_bar, (double) n_done / n_images);
    }

  if (text != NULL)
    gtk_label_set_text (self->progress_label, text);

  if (busy && text != NULL)
    {
      if (!gtk_revealer_get_reveal_child (self->progress_revealer) && self->progress_source == 0)
        self->progress_source = g_timeout_add (PROGRESS_DELAY_MS, show_progress_cb, self);
    }
  else
    {
      g_clear_handle_id (&self->progress_source, g_source_remove);
      gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
    }

  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  if (!busy && self->folder != NULL)
    lb_timings_mark ("folder-complete");
}

/* --- what was drawn ----------------------------------------------------- */

/* Whether the first screen holds the items it keeps: the listing is
 * complete, or at the top of the view the cells in view are all settled
 * and one more settled item beyond them leaves no gap for later ones. */
static gboolean
lb_window_first_screen_settled (LbWindow *self,
                                guint     n_in_view)
{
  if (!lb_folder_model_get_loading (self->model))
    return TRUE;

  return lb_thumbnail_grid_is_at_top (self->grid) &&
         n_in_view < lb_folder_model_get_n_settled (self->model);
}

static void
after_paint_cb (GdkFrameClock *clock,
                LbWindow      *self)
{
  guint n_in_view, n_incomplete;

  lb_timings_mark ("window-shown");
  lb_timings_watch_stalls ();

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    lb_timings_mark ("first-items");
  if (lb_thumbnail_loader_get_n_delivered (self->loader) > 0)
    lb_timings_mark ("first-thumbnail");

  if (self->visible_drawn)
    return;

  /* A frame that lays out the settled first screen draws it; once its
   * cells all show their thumbnails, it is complete: in that frame
   * already when they all came from the caches. */
  n_in_view = lb_thumbnail_grid_count_cells_in_view (self->grid, &n_incomplete);
  if (!lb_window_first_screen_settled (self, n_in_view))
    return;

  if (n_incomplete == 0)
    {
      self->visible_drawn = TRUE;
      lb_timings_mark ("visible-complete");
      lb_window_update_progress (self);
    }
  else if (!self->listing_drawn)
    {
      /* Not every cell redraws once complete (an icon that stays): look again. */
      self->listing_drawn = TRUE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
realize_cb (LbWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), self, 0);
}

/* --- the folder ---------------------------------------------------------- */

static void
lb_window_update_title (LbWindow *self)
{
  g_autofree char *parse_name = g_file_get_parse_name (self->folder);
  g_autofree char *basename = g_file_get_basename (self->folder);
  g_autofree char *title = NULL;

  if (g_file_is_native (self->folder) && g_strcmp0 (basename, "/") == 0)
    title = g_strdup (_("Computer"));
  else if (basename != NULL && !g_str_equal (basename, "/"))
    title = g_filename_display_name (basename);
  else
    title = g_strdup (parse_name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, parse_name);
}

static gboolean
lb_window_is_viewing (LbWindow *self)
{
  return self->viewer != NULL &&
         gtk_stack_get_visible_child (self->page_stack) == GTK_WIDGET (self->viewer);
}

/* Going places is for the grid: in the viewer, Backspace or Alt+Left
 * must not change the folder behind the picture. */
static void
lb_window_update_navigation (LbWindow *self)
{
  gboolean browsing = !lb_window_is_viewing (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-back", browsing && self->back->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-forward", browsing && self->forward->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-up",
                                 browsing && self->folder != NULL &&
                                 g_file_has_parent (self->folder, NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.go-home", browsing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-location", browsing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", browsing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", browsing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.context-menu", browsing);
}

/* Selects the folder we came from, once it is listed. */
static void
lb_window_select_pending (LbWindow *self)
{
  guint position;

  if (self->select_name == NULL ||
      !lb_folder_model_find (self->model, self->select_name, &position))
    return;

  g_clear_pointer (&self->select_name, g_free);
  lb_thumbnail_grid_focus_position (self->grid, position);
}

static void
mount_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_mount_enclosing_volume_finish (G_FILE (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ALREADY_MOUNTED))
    {
      if (self->folder != NULL && g_file_equal (G_FILE (object), self->folder))
        lb_folder_model_reload (self->model);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lb_window_show_status (self, "network-server-symbolic", _("Could Not Connect"),
                             error->message, FALSE, TRUE);
      lb_thumbnail_loader_set_prefetch (self->loader, TRUE);
    }
}

static void
model_loading_changed_cb (LbWindow *self)
{
  const GError *error = lb_folder_model_get_error (self->model);

  if (lb_folder_model_get_loading (self->model))
    return;

  lb_timings_mark ("listing-complete");

  /* A GVfs location not mounted yet (sftp://, smb://): mount, retry. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_MOUNTED) && !self->mount_tried)
    {
      g_autoptr(GMountOperation) operation = gtk_mount_operation_new (GTK_WINDOW (self));

      self->mount_tried = TRUE;
      g_file_mount_enclosing_volume (self->folder, G_MOUNT_MOUNT_NONE, operation,
                                     self->cancellable, mount_cb, g_object_ref (self));
      return;
    }

  lb_window_select_pending (self);
  lb_thumbnail_loader_set_prefetch (self->loader, TRUE);
}

/* Whether the user is typing in the header: a new folder must not take
 * the focus away from there. */
static gboolean
lb_window_is_typing (LbWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL &&
         (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->location_entry)) ||
          gtk_widget_is_ancestor (focus, GTK_WIDGET (self->search_entry)));
}

static void
model_items_changed_cb (LbWindow *self)
{
  lb_window_select_pending (self);
  lb_window_update_status (self);

  if (self->focus_grid_when_listed &&
      g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      self->focus_grid_when_listed = FALSE;
      if (self->select_name == NULL && !lb_window_is_viewing (self) && !lb_window_is_typing (self))
        lb_thumbnail_grid_grab_focus (self->grid);
    }
}

static void
lb_window_load (LbWindow   *self,
                GFile      *folder,
                const char *select_name)
{
  g_autofree char *uri = g_file_get_uri (folder);

  g_set_object (&self->folder, folder);
  g_free (self->select_name);
  self->select_name = g_strdup (select_name);
  self->mount_tried = FALSE;
  self->listing_drawn = FALSE;
  self->visible_drawn = FALSE;
  self->focus_grid_when_listed = TRUE;

  /* Leaving a folder drops all of its queued and running work. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_stack_set_visible_child_name (self->location_stack, "path");
  lb_path_bar_set_location (self->path_bar, folder);
  lb_window_update_title (self);
  lb_window_update_navigation (self);

  lb_thumbnail_loader_set_prefetch (self->loader, FALSE);
  lb_folder_model_set_folder (self->model, folder);
  lb_thumbnail_loader_reset (self->loader);
  lb_window_update_status (self);
  lb_window_update_progress (self);

  g_settings_set_string (self->settings, "last-folder", uri);
}

static void
lb_window_navigate (LbWindow   *self,
                    GFile      *folder,
                    const char *select_name)
{
  if (self->folder != NULL)
    {
      if (g_file_equal (folder, self->folder))
        return;
      g_ptr_array_add (self->back, g_object_ref (self->folder));
    }
  g_ptr_array_set_size (self->forward, 0);

  lb_window_load (self, folder, select_name);
}

void
lb_window_set_folder (LbWindow *self,
                      GFile    *folder)
{
  g_return_if_fail (LB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));

  lb_window_navigate (self, folder, NULL);
}

static void
location_info_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LbWindow) self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) parent = NULL;
  GFile *location = G_FILE (object);
  GFileType type;

  info = g_file_query_info_finish (location, result, &error);
  if (info == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not mounted or not there: the folder view says why, with a way out. */
  type = info != NULL ? g_file_info_get_file_type (info) : G_FILE_TYPE_DIRECTORY;
  parent = g_file_get_parent (location);
  if (type == G_FILE_TYPE_DIRECTORY || type == G_FILE_TYPE_MOUNTABLE || parent == NULL)
    {
      lb_window_navigate (self, location, NULL);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (location);

      lb_window_navigate (self, parent, name);
      /* Already there: just select it. */
      if (self->select_name != NULL)
        lb_window_select_pending (self);
    }
}

void
lb_window_open_location (LbWindow *self,
                         GFile    *location)
{
  g_return_if_fail (LB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (location));

  g_file_query_info_async (location, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, self->cancellable, location_info_cb,
                           g_object_ref (self));
}

/* --- navigation actions -------------------------------------------------- */

static void
lb_window_go_up (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *name = NULL;

  if (self->folder == NULL || (parent = g_file_get_parent (self->folder)) == NULL)
    return;

  name = g_file_get_basename (self->folder);
  lb_window_navigate (self, parent, name);
}

static void
lb_window_go_home (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());

  lb_window_navigate (LB_WINDOW (widget), home, NULL);
}

static void
lb_window_go_through_history (LbWindow  *self,
                              GPtrArray *from,
                              GPtrArray *to)
{
  g_autoptr(GFile) folder = NULL;

  if (from->len == 0)
    return;

  folder = g_ptr_array_steal_index (from, from->len - 1);
  if (self->folder != NULL)
    g_ptr_array_add (to, g_object_ref (self->folder));
  lb_window_load (self, folder, NULL);
}

static void
lb_window_go_back (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  lb_window_go_through_history (self, self->back, self->forward);
}

static void
lb_window_go_forward (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  lb_window_go_through_history (self, self->forward, self->back);
}

static void
lb_window_reload (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  if (self->folder != NULL)
    lb_window_load (self, self->folder, NULL);
}

static void
back_forward_pressed_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         LbWindow        *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  /* The back and forward buttons of many mice; back leaves the viewer. */
  if (button == 8 && lb_window_is_viewing (self))
    gtk_widget_activate_action (GTK_WIDGET (self->viewer), "viewer.close", NULL);
  else if (button == 8)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.go-back", NULL);
  else if (button == 9)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.go-forward", NULL);
  else
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* --- the location bar ---------------------------------------------------- */

static void
lb_window_edit_location (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  if (self->folder != NULL)
    lb_location_entry_set_location (self->location_entry, self->folder);
  gtk_stack_set_visible_child_name (self->location_stack, "entry");
  gtk_widget_grab_focus (GTK_WIDGET (self->location_entry));
}

static void
path_bar_open_location_cb (LbWindow *self,
                           GFile    *location)
{
  lb_window_navigate (self, location, NULL);
}

static void
location_entry_open_location_cb (LbWindow *self,
                                 GFile    *location)
{
  gtk_stack_set_visible_child_name (self->location_stack, "path");
  lb_window_open_location (self, location);
  lb_thumbnail_grid_grab_focus (self->grid);
}

static void
location_entry_cancel_cb (LbWindow *self)
{
  gtk_stack_set_visible_child_name (self->location_stack, "path");
  lb_thumbnail_grid_grab_focus (self->grid);
}

/* --- the open folder dialog ---------------------------------------------- */

static void
folder_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = lb_desktop_choose_folder_finish (result, &error);

  if (folder != NULL)
    lb_window_navigate (self, folder, NULL);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    lb_window_add_toast (self, error->message);
}

static void
lb_window_open_folder (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  lb_desktop_choose_folder (GTK_WINDOW (self), self->folder, NULL, folder_chosen_cb, g_object_ref (self));
}

/* Built when first asked for, not by GtkApplication for every new window
 * (as it does with a gtk/help-overlay.ui resource): parsing it took a
 * tenth of the time to the first frame. */
static void
lb_window_show_help_overlay (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);
  GtkShortcutsWindow *help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self));

  if (help_overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/lightbox/Lightbox/help-overlay.ui");

      help_overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), help_overlay);
    }

  gtk_window_present (GTK_WINDOW (help_overlay));
}

/* --- menus --------------------------------------------------------------- */

/* Both menus are built when one is first opened: GtkBuilder work that
 * every window would otherwise do before its first frame. */
static void
lb_window_build_menus (GtkMenuButton *button,
                       gpointer       user_data)
{
  LbWindow *self = LB_WINDOW (user_data);
  g_autoptr(GtkBuilder) builder = NULL;

  if (gtk_menu_button_get_popover (self->view_button) != NULL)
    return;

  builder = gtk_builder_new_from_resource ("/io/github/lightbox/Lightbox/lb-window-menus.ui");
  gtk_menu_button_set_menu_model (self->main_menu_button,
                                  G_MENU_MODEL (gtk_builder_get_object (builder, "primary_menu")));
  gtk_menu_button_set_popover (self->view_button, GTK_WIDGET (gtk_builder_get_object (builder, "view_popover")));
  g_object_bind_property (self, "zoom", gtk_builder_get_object (builder, "zoom_adjustment"), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* --- dropping a folder --------------------------------------------------- */

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LbWindow      *self)
{
  GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

  if (files == NULL)
    return FALSE;

  lb_window_open_location (self, files->data);
  g_slist_free (files);

  return TRUE;
}

/* --- opening files ------------------------------------------------------- */

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lb_desktop_launch_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    lb_window_add_toast (self, error->message);
}

/* Hands @file to the application the desktop opens it with. */
static void
lb_window_launch (LbWindow *self,
                  GFile    *file)
{
  lb_desktop_launch (GTK_WINDOW (self), file, NULL, launched_cb, g_object_ref (self));
}

/* The viewer is built when the first image opens: it is a good part of
 * the window, which would otherwise build it before its first frame for
 * a page nobody may ask for. */
static void
lb_window_ensure_viewer (LbWindow *self)
{
  if (self->viewer != NULL)
    return;

  self->viewer = LB_VIEWER (lb_viewer_new ());
  lb_viewer_set_thumbnails (self->viewer, self->scheduler, self->textures);
  g_signal_connect_swapped (self->viewer, "close", G_CALLBACK (viewer_close_cb), self);
  g_signal_connect_swapped (self->viewer, "notify::title", G_CALLBACK (viewer_title_cb), self);
  gtk_stack_add_named (self->page_stack, GTK_WIDGET (self->viewer), "viewer");
}

void
lb_window_open_item (LbWindow *self,
                     guint     position)
{
  g_autoptr(LbFileItem) item = NULL;

  g_return_if_fail (LB_IS_WINDOW (self));

  item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  g_return_if_fail (item != NULL);

  if (!lb_file_item_get_is_image (item))
    {
      lb_window_launch (self, lb_file_item_get_file (item));
      return;
    }

  lb_window_ensure_viewer (self);

  /* The grid stays as it is underneath, scrolled where it was. */
  gtk_stack_set_visible_child (self->page_stack, GTK_WIDGET (self->viewer));
  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
  lb_window_update_navigation (self);
  lb_viewer_show (self->viewer, G_LIST_MODEL (self->model), position);
}

/* Back from the viewer: the grid, at the image last shown. */
static void
viewer_close_cb (LbWindow *self)
{
  guint position = lb_viewer_get_position (self->viewer);

  gtk_stack_set_visible_child (self->page_stack, self->browser_page);
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  lb_window_update_navigation (self);
  lb_window_update_title (self);

  if (position != GTK_INVALID_LIST_POSITION)
    lb_thumbnail_grid_focus_position (self->grid, position);
  else
    lb_thumbnail_grid_grab_focus (self->grid);
}

/* The viewer lets go of its pictures once it is out of sight. */
static void
page_transition_cb (LbWindow *self)
{
  if (self->viewer != NULL && !gtk_stack_get_transition_running (self->page_stack) &&
      !lb_window_is_viewing (self))
    lb_viewer_show (self->viewer, NULL, 0);
}

static void
viewer_title_cb (LbWindow *self)
{
  if (lb_window_is_viewing (self) && lb_viewer_get_title (self->viewer) != NULL)
    gtk_window_set_title (GTK_WINDOW (self), lb_viewer_get_title (self->viewer));
}

/* Enter or a double click: into a folder, else open the file. */
static void
grid_activate_cb (LbWindow *self,
                  guint     position)
{
  g_autoptr(LbFileItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (item == NULL)
    return;

  if (lb_file_item_get_is_folder (item))
    lb_window_navigate (self, lb_file_item_get_file (item), NULL);
  else if (lb_file_item_get_is_image (item))
    lb_window_open_item (self, position);
  else
    lb_window_launch (self, lb_file_item_get_file (item));
}

/* --- filtering by name --------------------------------------------------- */

static void
lb_window_search (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LbWindow *self = LB_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_changed_cb (LbWindow *self)
{
  lb_folder_model_set_filter_text (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Enter: on to the matches, where the arrows and Enter work. */
static void
search_activate_cb (LbWindow *self)
{
  search_changed_cb (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    lb_thumbnail_grid_focus_position (self->grid, 0);
}

static void
search_stop_cb (LbWindow *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_mode_changed_cb (LbWindow *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  lb_folder_model_set_filter_text (self->model, NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (self->grid)))
    lb_thumbnail_grid_grab_focus (self->grid);
}

/* --- file actions on the selection ---------------------------------------- */

static void
lb_window_update_selection (LbWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (item != NULL)
        g_ptr_array_add (files, g_object_ref (lb_file_item_get_file (item)));
    }

  lb_file_actions_set_files (self->file_actions, files);
}

/* A renamed file stays selected and focused under its new name, once
 * the folder lists it: the focus would otherwise fall out of the grid
 * with the cell of the old name. */
static void
file_renamed_cb (LbWindow      *self,
                 GFile         *old_file,
                 GFile         *new_file,
                 LbFileActions *actions)
{
  g_autoptr(GFile) parent = g_file_get_parent (new_file);

  if (self->folder == NULL || parent == NULL || !g_file_equal (parent, self->folder))
    return;

  g_free (self->select_name);
  self->select_name = g_file_get_basename (new_file);
  lb_window_select_pending (self);
}

/* The Menu key and Shift+F10: the menu of the focused file. */
static void
lb_window_context_menu (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  lb_thumbnail_grid_popup_menu (LB_WINDOW (widget)->grid);
}

/* --- the object ---------------------------------------------------------- */

static void
scale_factor_changed_cb (LbWindow *self)
{
  lb_window_update_thumbnail_size (self);
}

static gboolean
lb_window_close_request (GtkWindow *window)
{
  LbWindow *self = LB_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (lb_window_parent_class)->close_request (window);
}

static void
lb_window_dispose (GObject *object)
{
  LbWindow *self = LB_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  if (self->grid != NULL)
    lb_thumbnail_grid_set_model (self->grid, NULL);
  if (self->loader != NULL)
    lb_thumbnail_loader_set_model (self->loader, NULL);
  if (self->model != NULL)
    lb_folder_model_set_folder (self->model, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_WINDOW);

  g_clear_object (&self->file_actions);
  g_clear_object (&self->selection);
  g_clear_object (&self->loader);
  g_clear_object (&self->textures);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->folder);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->back, g_ptr_array_unref);
  g_clear_pointer (&self->forward, g_ptr_array_unref);
  g_clear_pointer (&self->select_name, g_free);

  G_OBJECT_CLASS (lb_window_parent_class)->dispose (object);
}

/* The model goes last: the property actions ask for its state until
 * the very end of the window's dispose. */
static void
lb_window_finalize (GObject *object)
{
  LbWindow *self = LB_WINDOW (object);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (lb_window_parent_class)->finalize (object);
}

static void
lb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LbWindow *self = LB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_int (value, lb_thumbnail_grid_get_zoom (self->grid));
      break;
    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, lb_folder_model_get_show_hidden (self->model));
      break;
    case PROP_IMAGES_ONLY:
      g_value_set_boolean (value, lb_folder_model_get_images_only (self->model));
      break;
    case PROP_SORT_KEY:
      g_value_set_enum (value, lb_folder_model_get_sort_key (self->model));
      break;
    case PROP_SORT_DESCENDING:
      g_value_set_boolean (value, lb_folder_model_get_sort_descending (self->model));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LbWindow *self = LB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SCHEDULER:
      self->scheduler = g_value_dup_object (value);
      break;
    case PROP_TEXTURE_CACHE:
      self->textures = g_value_dup_object (value);
      break;
    case PROP_ZOOM:
      lb_thumbnail_grid_set_zoom (self->grid, g_value_get_int (value));
      break;
    case PROP_SHOW_HIDDEN:
      lb_folder_model_set_show_hidden (self->model, g_value_get_boolean (value));
      break;
    case PROP_IMAGES_ONLY:
      lb_folder_model_set_images_only (self->model, g_value_get_boolean (value));
      break;
    case PROP_SORT_KEY:
      lb_folder_model_set_sort_key (self->model, g_value_get_enum (value));
      break;
    case PROP_SORT_DESCENDING:
      lb_folder_model_set_sort_descending (self->model, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The window's view properties are the model's, notified as the window's. */
static void
model_property_changed_cb (LbWindow   *self,
                           GParamSpec *pspec)
{
  GParamSpec *own = g_object_class_find_property (G_OBJECT_GET_CLASS (self), pspec->name);

  if (own != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), own);
}

static void
lb_window_constructed (GObject *object)
{
  LbWindow *self = LB_WINDOW (object);

  G_OBJECT_CLASS (lb_window_parent_class)->constructed (object);

  /* Made without an engine (gtk4-builder-tool checking the template):
   * one of its own, which nothing will ask anything of. */
  if (self->scheduler == NULL)
    self->scheduler = lb_thumbnail_scheduler_new (NULL, 1);
  if (self->textures == NULL)
    self->textures = lb_texture_cache_new (0);

  self->loader = lb_thumbnail_loader_new (self->scheduler, self->textures);
  lb_thumbnail_loader_set_model (self->loader, G_LIST_MODEL (self->model));
  lb_thumbnail_grid_set_loader (self->grid, self->loader);

  /* The model's view properties, as the window's (for the actions) and
   * as settings (kept across runs, shared by windows). */
  g_signal_connect_object (self->model, "notify", G_CALLBACK (model_property_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "thumbnail-size", self, "zoom", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-hidden", self, "show-hidden", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "images-only", self, "images-only", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sort-key", self, "sort-key", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sort-descending", self, "sort-descending", G_SETTINGS_BIND_DEFAULT);

  /* Bound to the setting, which may equal the grid's default. */
  grid_zoom_changed_cb (self);

  g_signal_connect_object (self->loader, "notify::n-done",
                           G_CALLBACK (lb_window_update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "notify::n-images",
                           G_CALLBACK (lb_window_update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->loader, "notify::complete",
                           G_CALLBACK (lb_window_update_progress), self, G_CONNECT_SWAPPED);
}

static void
lb_window_class_init (LbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lb_window_constructed;
  object_class->dispose = lb_window_dispose;
  object_class->finalize = lb_window_finalize;
  object_class->get_property = lb_window_get_property;
  object_class->set_property = lb_window_set_property;
  window_class->close_request = lb_window_close_request;

  properties[PROP_SCHEDULER] =
    g_param_spec_object ("scheduler", NULL, NULL, LB_TYPE_THUMBNAIL_SCHEDULER,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXTURE_CACHE] =
    g_param_spec_object ("texture-cache", NULL, NULL, LB_TYPE_TEXTURE_CACHE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_int ("zoom", NULL, NULL, LB_THUMBNAIL_GRID_ZOOM_MIN, LB_THUMBNAIL_GRID_ZOOM_MAX, 192,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGES_ONLY] =
    g_param_spec_boolean ("images-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_KEY] =
    g_param_spec_enum ("sort-key", NULL, NULL, LB_TYPE_SORT_KEY, LB_SORT_KEY_NAME,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_DESCENDING] =
    g_param_spec_boolean ("sort-descending", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LB_TYPE_PATH_BAR);
  g_type_ensure (LB_TYPE_THUMBNAIL_GRID);
  g_type_ensure (LB_TYPE_LOCATION_ENTRY);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, browser_page);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, location_stack);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, path_bar);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, location_entry);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, status_up_button);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, status_home_button);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, status_open_button);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, unwatched_revealer);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, main_menu_button);
  gtk_widget_class_bind_template_child (widget_class, LbWindow, view_button);

  gtk_widget_class_install_action (widget_class, "win.open-folder", NULL, lb_window_open_folder);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, lb_window_go_back);
  gtk_widget_class_install_action (widget_class, "win.go-forward", NULL, lb_window_go_forward);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL, lb_window_go_up);
  gtk_widget_class_install_action (widget_class, "win.go-home", NULL, lb_window_go_home);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, lb_window_reload);
  gtk_widget_class_install_action (widget_class, "win.edit-location", NULL, lb_window_edit_location);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, lb_window_search);
  gtk_widget_class_install_action (widget_class, "win.context-menu", NULL, lb_window_context_menu);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, lb_window_zoom_in);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, lb_window_zoom_out);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, lb_window_zoom_reset);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, lb_window_show_help_overlay);
  gtk_widget_class_install_property_action (widget_class, "win.show-hidden", "show-hidden");
  gtk_widget_class_install_property_action (widget_class, "win.images-only", "images-only");
  gtk_widget_class_install_property_action (widget_class, "win.sort-key", "sort-key");
  gtk_widget_class_install_property_action (widget_class, "win.sort-descending", "sort-descending");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.go-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Forward, 0, "win.go-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.go-home", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.edit-location", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "win.show-hidden", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "win.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "win.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
lb_window_init (LbWindow *self)
{
  GtkGesture *click;
  GtkDropTarget *drop;

  /* The property actions read the model's state from the start. */
  self->model = lb_folder_model_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  self->back = g_ptr_array_new_with_free_func (g_object_unref);
  self->forward = g_ptr_array_new_with_free_func (g_object_unref);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  lb_thumbnail_grid_set_model (self->grid, GTK_SELECTION_MODEL (self->selection));

  /* On the window, whose action muxer the grid's already looks up to (a
   * group inserted on a box in between would not be seen); the
   * viewer's own file actions come first while it is shown. */
  self->file_actions = lb_file_actions_new ();
  lb_file_actions_attach (self->file_actions, GTK_WIDGET (self));
  g_signal_connect_object (self->file_actions, "renamed",
                           G_CALLBACK (file_renamed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (lb_window_update_selection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (lb_window_update_selection), self, G_CONNECT_SWAPPED);

  lb_thumbnail_grid_set_file_actions (self->grid, self->file_actions);

  gtk_menu_button_set_create_popup_func (self->main_menu_button, lb_window_build_menus, self, NULL);
  gtk_menu_button_set_create_popup_func (self->view_button, lb_window_build_menus, self, NULL);

  g_signal_connect_swapped (self->page_stack, "notify::transition-running",
                            G_CALLBACK (page_transition_cb), self);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (model_loading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (model_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (lb_window_update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error",
                           G_CALLBACK (lb_window_update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (lb_window_update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::n-unfiltered",
                           G_CALLBACK (lb_window_update_progress), self, G_CONNECT_SWAPPED);
  /* Said once, in place, for as long as it holds: the list would go stale. */
  g_object_bind_property (self->model, "watched", self->unwatched_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  /* Connected here rather than in the template, which then validates
   * without the type being registered. */
  g_signal_connect_swapped (self->path_bar, "open-location", G_CALLBACK (path_bar_open_location_cb), self);
  g_signal_connect_swapped (self->location_entry, "open-location",
                            G_CALLBACK (location_entry_open_location_cb), self);
  g_signal_connect_swapped (self->location_entry, "cancel", G_CALLBACK (location_entry_cancel_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (search_stop_cb), self);
  g_signal_connect_swapped (self->grid, "activate", G_CALLBACK (grid_activate_cb), self);

  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_changed_cb), self, G_CONNECT_SWAPPED);
  /* Typing anywhere in the window filters: type-ahead. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  g_signal_connect_object (self->grid, "notify::zoom", G_CALLBACK (grid_zoom_changed_cb),
                           self, G_CONNECT_SWAPPED);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (back_forward_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);

  lb_window_update_navigation (self);
  lb_window_update_status (self);
}
