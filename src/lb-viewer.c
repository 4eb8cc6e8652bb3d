/* lb-viewer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-viewer"

#include <glib/gi18n.h>

#include "lb-file-actions.h"
#include "lb-image-view.h"
#include "lb-properties-pane.h"
#include "lb-texture.h"
#include "lb-viewer.h"

/* When the monitor is unknown (not shown yet), renditions are made for
 * a screen this big. */
#define DEFAULT_SCREEN_WIDTH  1920
#define DEFAULT_SCREEN_HEIGHT 1080
/* Arrow keys pan by this fraction of the view. */
#define PAN_STEP 0.1

/* One image being decoded or decoded: the one shown and its neighbours. */
typedef struct
{
  GFile         *file;
  GCancellable  *cancellable;
  LbImageSource *source;
  LbRendition   *rendition;
  GError        *error;
  LbViewer      *viewer;
} Slot;

struct _LbViewer
{
  GtkWidget             parent_instance;

  GtkRevealer          *header_revealer;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *menu_button;
  LbImageView          *image_view;
  AdwStatusPage        *error_page;
  GtkWidget            *previous_button;
  GtkWidget            *next_button;
  GtkWidget            *zoom_box;
  GtkLabel             *zoom_label;
  GtkRevealer          *details_revealer;
  LbPropertiesPane     *properties_pane;

  GSettings            *settings;
  LbFileActions        *file_actions;
  LbThumbnailScheduler *scheduler;
  LbTextureCache       *textures;
  GCancellable         *thumbnail_cancellable;
  GdkTexture           *thumbnail;

  GListModel           *items;
  guint                 position;
  LbFileItem           *item;
  char                 *title;
  /* The current image was renamed to this: show it when it reappears. */
  GFile                *follow;
  /* Slot: the current image first, then its neighbours. */
  GPtrArray            *slots;

  gboolean              show_details;
  GtkWindow            *window;   /* weak, while rooted */
};

G_DEFINE_FINAL_TYPE (LbViewer, lb_viewer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_TITLE,
  PROP_SHOW_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void lb_viewer_show_current (LbViewer *self,
                                    gboolean  keep_pixels);

GtkWidget *
lb_viewer_new (void)
{
  return g_object_new (LB_TYPE_VIEWER, NULL);
}

/* The next image from @position in @direction (+1, -1), @position itself
 * excluded, or GTK_INVALID_LIST_POSITION. */
static guint
lb_viewer_find_image (LbViewer *self,
                      guint     position,
                      int       direction)
{
  guint n_items = g_list_model_get_n_items (self->items);

  for (gint64 i = (gint64) position + direction; i >= 0 && i < n_items; i += direction)
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (self->items, i);

      if (lb_file_item_get_is_image (item))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* --- slots --------------------------------------------------------------- */

static void
slot_free (Slot *slot)
{
  g_cancellable_cancel (slot->cancellable);
  g_clear_object (&slot->cancellable);
  g_clear_object (&slot->file);
  g_clear_object (&slot->source);
  g_clear_object (&slot->rendition);
  g_clear_error (&slot->error);
  g_free (slot);
}

static gboolean
lb_viewer_slot_is_current (LbViewer *self,
                           Slot     *slot)
{
  return self->slots->len > 0 && g_ptr_array_index (self->slots, 0) == slot;
}

static void
lb_viewer_show_error (LbViewer     *self,
                      const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_page), TRUE);
  gtk_widget_set_visible (self->zoom_box, FALSE);
}

static void
slot_rendered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LbRendition) rendition = NULL;
  Slot *slot;

  rendition = lb_image_source_render_finish (LB_IMAGE_SOURCE (object), result, &error);
  /* Cancelled: the slot is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  slot = user_data;
  if (rendition == NULL)
    {
      slot->error = g_steal_pointer (&error);
      if (lb_viewer_slot_is_current (slot->viewer, slot))
        lb_viewer_show_error (slot->viewer, slot->error);
      return;
    }

  slot->rendition = g_steal_pointer (&rendition);
  if (lb_viewer_slot_is_current (slot->viewer, slot))
    lb_image_view_set_rendition (slot->viewer->image_view, slot->rendition);
}

/* Renditions are screen-sized: a window can grow to its screen without
 * another decode. */
static void
lb_viewer_get_screen_size (LbViewer *self,
                           int      *width,
                           int      *height)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;
  GdkMonitor *monitor = NULL;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  *width = DEFAULT_SCREEN_WIDTH * scale;
  *height = DEFAULT_SCREEN_HEIGHT * scale;

  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  surface);
  if (monitor != NULL)
    {
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      scale = gdk_monitor_get_scale_factor (monitor);
      *width = geometry.width * scale;
      *height = geometry.height * scale;
    }
}

static void
slot_opened_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LbImageSource) source = lb_image_source_open_finish (result, &error);
  Slot *slot;
  LbViewer *self;
  int width, height;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  slot = user_data;
  self = slot->viewer;
  if (source == NULL)
    {
      slot->error = g_steal_pointer (&error);
      if (lb_viewer_slot_is_current (self, slot))
        lb_viewer_show_error (self, slot->error);
      return;
    }

  slot->source = g_steal_pointer (&source);
  if (lb_viewer_slot_is_current (self, slot))
    lb_image_view_set_source (self->image_view, slot->source);

  lb_viewer_get_screen_size (self, &width, &height);
  lb_image_source_render_async (slot->source, width, height,
                                lb_viewer_slot_is_current (self, slot) ? G_PRIORITY_DEFAULT
                                                                       : G_PRIORITY_LOW,
                                slot->cancellable, slot_rendered_cb, slot);
}

static Slot *
lb_viewer_take_slot (LbViewer  *self,
                     GPtrArray *old_slots,
                     GFile     *file,
                     int        priority)
{
  Slot *slot;

  for (guint i = 0; i < old_slots->len; i++)
    {
      slot = g_ptr_array_index (old_slots, i);
      if (g_file_equal (slot->file, file))
        return g_ptr_array_steal_index (old_slots, i);
    }

  slot = g_new0 (Slot, 1);
  slot->viewer = self;
  slot->file = g_object_ref (file);
  slot->cancellable = g_cancellable_new ();
  lb_image_source_open_async (file, priority, slot->cancellable, slot_opened_cb, slot);

  return slot;
}

/* The current image and both neighbours; other slots are dropped, which
 * cancels whatever they were decoding. */
static void
lb_viewer_update_slots (LbViewer *self)
{
  g_autoptr(GPtrArray) old_slots = g_steal_pointer (&self->slots);
  guint neighbours[2];

  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  if (self->item == NULL)
    return;

  g_ptr_array_add (self->slots, lb_viewer_take_slot (self, old_slots,
                                                     lb_file_item_get_file (self->item),
                                                     G_PRIORITY_DEFAULT));

  neighbours[0] = lb_viewer_find_image (self, self->position, 1);
  neighbours[1] = lb_viewer_find_image (self, self->position, -1);
  for (guint i = 0; i < G_N_ELEMENTS (neighbours); i++)
    {
      g_autoptr(LbFileItem) item = NULL;

      if (neighbours[i] == GTK_INVALID_LIST_POSITION)
        continue;

      item = g_list_model_get_item (self->items, neighbours[i]);
      g_ptr_array_add (self->slots, lb_viewer_take_slot (self, old_slots,
                                                         lb_file_item_get_file (item),
                                                         G_PRIORITY_LOW));
    }
}

/* --- the image shown ----------------------------------------------------- */

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  LbViewer *self;

  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LB_VIEWER (user_data);
  g_clear_object (&self->thumbnail_cancellable);
  if (thumbnail == NULL)
    return;

  self->thumbnail = lb_texture_new_for_thumbnail (thumbnail);
  if (!lb_image_view_get_has_rendition (self->image_view))
    lb_image_view_set_placeholder (self->image_view, self->thumbnail);
}

static void
lb_viewer_update_navigation (LbViewer *self)
{
  gboolean has_previous = FALSE;
  gboolean has_next = FALSE;

  if (self->item != NULL)
    {
      has_previous = lb_viewer_find_image (self, self->position, -1) != GTK_INVALID_LIST_POSITION;
      has_next = lb_viewer_find_image (self, self->position, 1) != GTK_INVALID_LIST_POSITION;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", has_previous);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.first", has_previous);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", has_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.last", has_next);
  gtk_widget_set_visible (self->previous_button, has_previous);
  gtk_widget_set_visible (self->next_button, has_next);
}

/* Shows self->item, from its slot when it is decoded already, else with
 * its thumbnail standing in. With @keep_pixels, what is on screen stays
 * until the new rendition comes: the same picture under a new name. */
static void
lb_viewer_show_current (LbViewer *self,
                        gboolean  keep_pixels)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  GFile *file;
  Slot *slot;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail);
  g_clear_pointer (&self->title, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->error_page), FALSE);
  gtk_widget_set_visible (self->zoom_box, TRUE);

  lb_viewer_update_slots (self);
  lb_viewer_update_navigation (self);

  if (self->item == NULL)
    {
      lb_image_view_clear (self->image_view);
      lb_properties_pane_set_file (self->properties_pane, NULL);
      lb_file_actions_set_files (self->file_actions, files);
      adw_window_title_set_title (self->window_title, "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
      return;
    }

  file = lb_file_item_get_file (self->item);
  self->title = g_strdup (lb_file_item_get_display_name (self->item));
  adw_window_title_set_title (self->window_title, self->title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->image_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  -1);
  g_ptr_array_add (files, file);
  lb_file_actions_set_files (self->file_actions, files);
  lb_properties_pane_set_file (self->properties_pane, file);

  slot = g_ptr_array_index (self->slots, 0);
  if (slot->rendition != NULL)
    {
      lb_image_view_clear (self->image_view);
      lb_image_view_set_source (self->image_view, slot->source);
      lb_image_view_set_rendition (self->image_view, slot->rendition);
    }
  else if (!keep_pixels)
    {
      lb_image_view_clear (self->image_view);
      if (slot->source != NULL)
        lb_image_view_set_source (self->image_view, slot->source);
      if (slot->error != NULL)
        lb_viewer_show_error (self, slot->error);
    }

  /* The grid's texture, at once (also the drag icon); else the
   * thumbnail from the disk cache, there in an instant too. */
  if (self->textures != NULL)
    g_set_object (&self->thumbnail, lb_texture_cache_lookup (self->textures, file, NULL, NULL));
  if (slot->rendition == NULL && slot->error == NULL)
    {
      if (self->thumbnail != NULL && !keep_pixels)
        lb_image_view_set_placeholder (self->image_view, self->thumbnail);
      else if (self->thumbnail == NULL && self->scheduler != NULL)
        {
          self->thumbnail_cancellable = g_cancellable_new ();
          lb_thumbnail_scheduler_load_async (self->scheduler, file, LB_THUMBNAIL_SIZE_LARGE,
                                             LB_THUMBNAIL_FLAGS_NONE, G_PRIORITY_HIGH,
                                             self->thumbnail_cancellable, thumbnail_cb, self);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
lb_viewer_set_position (LbViewer *self,
                        guint     position)
{
  g_clear_object (&self->item);
  g_clear_object (&self->follow);
  self->position = position;
  if (position != GTK_INVALID_LIST_POSITION)
    self->item = g_list_model_get_item (self->items, position);

  lb_viewer_show_current (self, FALSE);
}

static gboolean
item_has_file (LbFileItem *item,
               GFile      *file)
{
  return g_file_equal (lb_file_item_get_file (item), file);
}

/* Keeps showing the same item as the model changes; when it is gone, shows
 * the image that took its place (or the one before, at the end). */
static void
items_changed_cb (GListModel *items,
                  guint       position,
                  guint       removed,
                  guint       added,
                  LbViewer   *self)
{
  GFile *file;
  guint replacement;

  if (self->item == NULL && self->follow == NULL)
    return;

  /* A renamed image comes back under its new name. */
  if (self->follow != NULL)
    for (guint i = position; i < position + added; i++)
      {
        g_autoptr(LbFileItem) item = g_list_model_get_item (items, i);

        if (item_has_file (item, self->follow))
          {
            g_clear_object (&self->follow);
            g_set_object (&self->item, item);
            self->position = i;
            lb_viewer_show_current (self, TRUE);
            return;
          }
      }

  if (self->item == NULL)
    return;

  if (self->position < position)
    {
      lb_viewer_update_navigation (self);
      return;
    }

  if (self->position >= position + removed)
    {
      self->position = self->position + added - removed;
      lb_viewer_update_navigation (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
      return;
    }

  /* Removed, maybe added back elsewhere in the range (a new sort order). */
  file = lb_file_item_get_file (self->item);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (items, i);

      if (item == self->item || item_has_file (item, file))
        {
          g_set_object (&self->item, item);
          self->position = i;
          lb_viewer_update_navigation (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
          return;
        }
    }

  /* Renamed: keep the picture up until the new name shows up. */
  if (self->follow != NULL)
    {
      g_clear_object (&self->item);
      self->position = MIN (position, g_list_model_get_n_items (items));
      return;
    }

  /* Gone: the image that took its place, else the one before. */
  replacement = GTK_INVALID_LIST_POSITION;
  if (position < g_list_model_get_n_items (items))
    {
      g_autoptr(LbFileItem) item = g_list_model_get_item (items, position);

      replacement = lb_file_item_get_is_image (item) ? position
                                                     : lb_viewer_find_image (self, position, 1);
    }
  if (replacement == GTK_INVALID_LIST_POSITION)
    replacement = lb_viewer_find_image (self, position, -1);

  if (replacement == GTK_INVALID_LIST_POSITION)
    {
      lb_viewer_set_position (self, GTK_INVALID_LIST_POSITION);
      g_signal_emit (self, signals[CLOSE], 0);
      return;
    }

  lb_viewer_set_position (self, replacement);
}

static void
renamed_cb (LbViewer      *self,
            GFile         *old_file,
            GFile         *new_file,
            LbFileActions *actions)
{
  if (self->item != NULL && item_has_file (self->item, old_file))
    g_set_object (&self->follow, new_file);
}

/* --- actions ------------------------------------------------------------- */

static void
lb_viewer_go (LbViewer *self,
              guint     position)
{
  if (position != GTK_INVALID_LIST_POSITION)
    lb_viewer_set_position (self, position);
}

static void
next_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);

  lb_viewer_go (self, lb_viewer_find_image (self, self->position, 1));
}

static void
previous_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);

  lb_viewer_go (self, lb_viewer_find_image (self, self->position, -1));
}

static void
first_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);
  g_autoptr(LbFileItem) first = g_list_model_get_item (self->items, 0);

  lb_viewer_go (self, first != NULL && lb_file_item_get_is_image (first)
                      ? 0 : lb_viewer_find_image (self, 0, 1));
}

static void
last_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);
  guint n_items = g_list_model_get_n_items (self->items);
  g_autoptr(LbFileItem) last = n_items > 0 ? g_list_model_get_item (self->items, n_items - 1) : NULL;

  lb_viewer_go (self, last != NULL && lb_file_item_get_is_image (last)
                      ? n_items - 1 : lb_viewer_find_image (self, n_items - 1, -1));
}

static gboolean
lb_viewer_is_fullscreen (LbViewer *self)
{
  return self->window != NULL && gtk_window_is_fullscreen (self->window);
}

static void
close_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);

  /* Escape first leaves fullscreen, as everywhere else. */
  if (lb_viewer_is_fullscreen (self))
    gtk_window_unfullscreen (self->window);
  else
    g_signal_emit (self, signals[CLOSE], 0);
}

static void
fullscreen_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);

  if (self->window == NULL)
    return;

  if (lb_viewer_is_fullscreen (self))
    gtk_window_unfullscreen (self->window);
  else
    gtk_window_fullscreen (self->window);
}

static void
zoom_in_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  lb_image_view_zoom_in (LB_VIEWER (widget)->image_view);
}

static void
zoom_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  lb_image_view_zoom_out (LB_VIEWER (widget)->image_view);
}

static void
zoom_fit_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  lb_image_view_set_fit (LB_VIEWER (widget)->image_view, TRUE);
}

static void
zoom_original_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  lb_image_view_set_zoom (LB_VIEWER (widget)->image_view, 1);
}

static void
zoom_toggle_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LbImageView *view = LB_VIEWER (widget)->image_view;

  if (lb_image_view_get_fit (view) && lb_image_view_get_zoom (view) < 1)
    lb_image_view_set_zoom (view, 1);
  else
    lb_image_view_set_fit (view, TRUE);
}

static void
menu_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LbViewer *self = LB_VIEWER (widget);
  GtkWidget *view = GTK_WIDGET (self->image_view);

  if (self->item != NULL)
    lb_file_actions_popup_menu (self->file_actions, view,
                                gtk_widget_get_width (view) / 2.0,
                                gtk_widget_get_height (view) / 2.0);
}

/* Arrows pan a zoomed image; at its edge, or fitted, Left and Right go to
 * the previous and next image. Taken even when there is nowhere to go:
 * GTK would move the focus from the image to the header bar's buttons. */
static gboolean
arrow_cb (GtkWidget *widget,
          GVariant  *args,
          gpointer   user_data)
{
  LbViewer *self = LB_VIEWER (widget);
  double dx, dy;
  guint position;

  if (self->item == NULL)
    return FALSE;

  g_variant_get (args, "(dd)", &dx, &dy);
  if (lb_image_view_pan (self->image_view, dx * PAN_STEP, dy * PAN_STEP) || dx == 0)
    return TRUE;

  position = lb_viewer_find_image (self, self->position, dx > 0 ? 1 : -1);
  if (position != GTK_INVALID_LIST_POSITION)
    lb_viewer_set_position (self, position);

  return TRUE;
}

/* --- input on the image -------------------------------------------------- */

static void
context_click_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  LbViewer        *self)
{
  if (self->item == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  lb_file_actions_popup_menu (self->file_actions, GTK_WIDGET (self->image_view), x, y);
}

static void
long_press_cb (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               LbViewer            *self)
{
  if (self->item != NULL)
    lb_file_actions_popup_menu (self->file_actions, GTK_WIDGET (self->image_view), x, y);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 LbViewer      *self)
{
  /* A zoomed image is panned by dragging instead. */
  if (self->item == NULL || lb_image_view_get_can_pan (self->image_view))
    return NULL;

  if (self->thumbnail != NULL)
    gtk_drag_source_set_icon (source, GDK_PAINTABLE (self->thumbnail),
                              gdk_texture_get_width (self->thumbnail) / 2,
                              gdk_texture_get_height (self->thumbnail) / 2);

  return lb_file_actions_create_content (self->file_actions);
}

static void
zoom_changed_cb (LbViewer *self)
{
  /* Translators: the zoom level of the viewer, such as 100% */
  g_autofree char *text = g_strdup_printf (_("%.0f%%"), 100 * lb_image_view_get_zoom (self->image_view));

  gtk_label_set_text (self->zoom_label, text);
}

static void
fullscreen_changed_cb (LbViewer *self)
{
  gtk_revealer_set_reveal_child (self->header_revealer, !lb_viewer_is_fullscreen (self));
}

/* --- GObject ------------------------------------------------------------- */

static void
lb_viewer_root (GtkWidget *widget)
{
  LbViewer *self = LB_VIEWER (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (lb_viewer_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      g_set_weak_pointer (&self->window, GTK_WINDOW (root));
      g_signal_connect_object (root, "notify::fullscreened",
                               G_CALLBACK (fullscreen_changed_cb), self, G_CONNECT_SWAPPED);
      fullscreen_changed_cb (self);
    }
}

static void
lb_viewer_unroot (GtkWidget *widget)
{
  LbViewer *self = LB_VIEWER (widget);

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, fullscreen_changed_cb, self);
  g_clear_weak_pointer (&self->window);

  GTK_WIDGET_CLASS (lb_viewer_parent_class)->unroot (widget);
}

static void
lb_viewer_dispose (GObject *object)
{
  LbViewer *self = LB_VIEWER (object);
  GtkWidget *child;

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, items_changed_cb, self);
  g_clear_object (&self->items);
  g_clear_object (&self->item);
  g_clear_object (&self->follow);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->textures);
  g_clear_object (&self->file_actions);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->title, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_VIEWER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lb_viewer_parent_class)->dispose (object);
}

static void
lb_viewer_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LbViewer *self = LB_VIEWER (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, lb_viewer_get_position (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SHOW_DETAILS:
      g_value_set_boolean (value, self->show_details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_viewer_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LbViewer *self = LB_VIEWER (object);

  switch (prop_id)
    {
    case PROP_SHOW_DETAILS:
      if (self->show_details != g_value_get_boolean (value))
        {
          self->show_details = g_value_get_boolean (value);
          gtk_revealer_set_reveal_child (self->details_revealer, self->show_details);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_viewer_class_init (LbViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_viewer_dispose;
  object_class->get_property = lb_viewer_get_property;
  object_class->set_property = lb_viewer_set_property;

  widget_class->root = lb_viewer_root;
  widget_class->unroot = lb_viewer_unroot;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_DETAILS] =
    g_param_spec_boolean ("show-details", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLOSE] = g_signal_new ("close",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  g_type_ensure (LB_TYPE_IMAGE_VIEW);
  g_type_ensure (LB_TYPE_PROPERTIES_PANE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, LbViewer, header_revealer);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, menu_button);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, image_view);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, previous_button);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, next_button);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, LbViewer, properties_pane);

  gtk_widget_class_install_action (widget_class, "viewer.close", NULL, close_activated);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, next_activated);
  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, previous_activated);
  gtk_widget_class_install_action (widget_class, "viewer.first", NULL, first_activated);
  gtk_widget_class_install_action (widget_class, "viewer.last", NULL, last_activated);
  gtk_widget_class_install_action (widget_class, "viewer.fullscreen", NULL, fullscreen_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_in_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_out_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit", NULL, zoom_fit_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-original", NULL, zoom_original_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-toggle", NULL, zoom_toggle_activated);
  gtk_widget_class_install_action (widget_class, "viewer.menu", NULL, menu_activated);
  gtk_widget_class_install_property_action (widget_class, "viewer.show-details", "show-details");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.close", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, arrow_cb, "(dd)", 1.0, 0.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, arrow_cb, "(dd)", -1.0, 0.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, arrow_cb, "(dd)", 0.0, 1.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, arrow_cb, "(dd)", 0.0, -1.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "viewer.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "viewer.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "viewer.first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "viewer.last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "viewer.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, 0, "viewer.fullscreen", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, 0, "viewer.zoom-original", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, 0, "viewer.zoom-original", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "viewer.show-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "viewer.show-details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "viewer.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "viewer.menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "lb-viewer");
}

static void
lb_viewer_init (LbViewer *self)
{
  GtkGesture *context_click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  GtkDragSource *drag_source = gtk_drag_source_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->position = GTK_INVALID_LIST_POSITION;
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);

  self->file_actions = lb_file_actions_new ();
  lb_file_actions_attach (self->file_actions, GTK_WIDGET (self));
  gtk_menu_button_set_menu_model (self->menu_button, lb_file_actions_get_menu (self->file_actions));
  g_signal_connect_object (self->file_actions, "renamed",
                           G_CALLBACK (renamed_cb), self, G_CONNECT_SWAPPED);

  /* Whether details are shown is remembered across images and sessions. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "show-details", self, "show-details", G_SETTINGS_BIND_DEFAULT);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (context_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (context_click, "pressed", G_CALLBACK (context_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->image_view), GTK_EVENT_CONTROLLER (context_click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_press_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->image_view), GTK_EVENT_CONTROLLER (long_press));

  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->image_view), GTK_EVENT_CONTROLLER (drag_source));

  g_signal_connect_object (self->image_view, "notify::zoom",
                           G_CALLBACK (zoom_changed_cb), self, G_CONNECT_SWAPPED);
  zoom_changed_cb (self);
  lb_viewer_update_navigation (self);
}

void
lb_viewer_set_thumbnails (LbViewer             *self,
                          LbThumbnailScheduler *scheduler,
                          LbTextureCache       *textures)
{
  g_return_if_fail (LB_IS_VIEWER (self));
  g_return_if_fail (scheduler == NULL || LB_IS_THUMBNAIL_SCHEDULER (scheduler));
  g_return_if_fail (textures == NULL || LB_IS_TEXTURE_CACHE (textures));

  g_set_object (&self->scheduler, scheduler);
  g_set_object (&self->textures, textures);
}

void
lb_viewer_show (LbViewer   *self,
                GListModel *items,
                guint       position)
{
  g_return_if_fail (LB_IS_VIEWER (self));
  g_return_if_fail (items == NULL || G_IS_LIST_MODEL (items));
  g_return_if_fail (items == NULL || position < g_list_model_get_n_items (items));

  if (self->items != items)
    {
      if (self->items != NULL)
        g_signal_handlers_disconnect_by_func (self->items, items_changed_cb, self);
      g_set_object (&self->items, items);
      if (items != NULL)
        g_signal_connect (items, "items-changed", G_CALLBACK (items_changed_cb), self);
    }

  lb_viewer_set_position (self, items != NULL ? position : GTK_INVALID_LIST_POSITION);
  if (items != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->image_view));
}

guint
lb_viewer_get_position (LbViewer *self)
{
  g_return_val_if_fail (LB_IS_VIEWER (self), GTK_INVALID_LIST_POSITION);

  return self->item != NULL ? self->position : GTK_INVALID_LIST_POSITION;
}

const char *
lb_viewer_get_title (LbViewer *self)
{
  g_return_val_if_fail (LB_IS_VIEWER (self), NULL);

  return self->title;
}
