/* lb-image-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-image-view"

#include <math.h>

#include "lb-image-view.h"
#include "lb-texture.h"

#define MAX_ZOOM        20.0
#define ZOOM_STEP       1.25
/* Pixels of a region tile, at the tile's own scale. Tile keys pack 8 bits
 * of level and 28 bits each of column and row: even a 2^30-pixel-wide
 * image has fewer tiles than that. */
#define TILE_SIZE       512
/* 64 tiles of 512 × 512 RGBA: at most 64 MiB of region textures. */
#define MAX_TILES       64
/* Regions are rendered once zooming and panning pause this long, so a
 * pinch does not start a decode per frame. */
#define REGION_DELAY_MS 150
/* Frames that claim no delay, or an absurdly short one, are shown as long
 * as web browsers show them. */
#define MIN_FRAME_DELAY_MS     20
#define DEFAULT_FRAME_DELAY_MS 100
/* Scrolling pans by this many logical pixels per step. */
#define SCROLL_STEP     64

typedef struct
{
  GdkTexture *texture;
  guint64     last_used;
} Tile;

struct _LbImageView
{
  GtkWidget      parent_instance;

  LbImageSource *source;
  GdkTexture    *placeholder;
  LbRendition   *rendition;
  GPtrArray     *frames;         /* GdkTexture, one per frame */
  int            frame;
  guint          frame_timeout;

  double         zoom;
  gboolean       fit;
  /* The image point at the centre of the view. */
  double         center_x;
  double         center_y;

  double         drag_center_x;
  double         drag_center_y;
  double         gesture_zoom;
  double         pointer_x;
  double         pointer_y;

  /* (level, column, row) → Tile, level n holding the image at 2^-n. */
  GHashTable    *tiles;
  guint64        tile_clock;
  guint          region_timeout;
  GCancellable  *region_cancellable;
  gboolean       region_failed;

  guint          zoom_notify;    /* tick callback */
};

G_DEFINE_FINAL_TYPE (LbImageView, lb_image_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_FIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void lb_image_view_schedule_region (LbImageView *self);
static void lb_image_view_request_region (LbImageView *self);

GtkWidget *
lb_image_view_new (void)
{
  return g_object_new (LB_TYPE_IMAGE_VIEW, NULL);
}

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_object_unref (tile->texture);
  g_free (tile);
}

/* Tile keys pack 8 bits of level and 28 bits each of column and row:
 * even a 2^30-pixel-wide image has fewer tiles than that. */
static guint64
tile_key (int level,
          int column,
          int row)
{
  return ((guint64) level << 56) | ((guint64) column << 28) | (guint64) row;
}

static int
tile_key_get_level (guint64 key)
{
  return key >> 56;
}

static int
tile_key_get_column (guint64 key)
{
  return (key >> 28) & 0xfffffff;
}

static int
tile_key_get_row (guint64 key)
{
  return key & 0xfffffff;
}

/* --- geometry ------------------------------------------------------------ */

static int
lb_image_view_get_image_width (LbImageView *self)
{
  if (self->source != NULL)
    return lb_image_source_get_width (self->source);
  if (self->placeholder != NULL)
    return gdk_texture_get_width (self->placeholder);

  return 0;
}

static int
lb_image_view_get_image_height (LbImageView *self)
{
  if (self->source != NULL)
    return lb_image_source_get_height (self->source);
  if (self->placeholder != NULL)
    return gdk_texture_get_height (self->placeholder);

  return 0;
}

static double
lb_image_view_get_fit_zoom (LbImageView *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int image_width = lb_image_view_get_image_width (self);
  int image_height = lb_image_view_get_image_height (self);

  if (image_width <= 0 || image_height <= 0 || width <= 0 || height <= 0)
    return 1;

  /* Small images stay 1:1 rather than blur. */
  return MIN (1.0, MIN ((double) width * scale / image_width,
                        (double) height * scale / image_height));
}

/* Where the image's top-left corner is, in widget coordinates. */
static void
lb_image_view_get_origin (LbImageView *self,
                          double      *x,
                          double      *y)
{
  double factor = self->zoom / gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double shown_width = lb_image_view_get_image_width (self) * factor;
  double shown_height = lb_image_view_get_image_height (self) * factor;

  *x = shown_width <= width ? (width - shown_width) / 2 : width / 2 - self->center_x * factor;
  *y = shown_height <= height ? (height - shown_height) / 2 : height / 2 - self->center_y * factor;
}

/* Keeps the image covering the view: no empty margin beside an image
 * larger than the view, and a smaller one centred. */
static void
lb_image_view_clamp_center (LbImageView *self)
{
  double factor = self->zoom / gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double half_width = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 / factor;
  double half_height = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 / factor;
  int image_width = lb_image_view_get_image_width (self);
  int image_height = lb_image_view_get_image_height (self);

  if (image_width <= 2 * half_width)
    self->center_x = image_width / 2.0;
  else
    self->center_x = CLAMP (self->center_x, half_width, image_width - half_width);

  if (image_height <= 2 * half_height)
    self->center_y = image_height / 2.0;
  else
    self->center_y = CLAMP (self->center_y, half_height, image_height - half_height);
}

static void
lb_image_view_update_cursor (LbImageView *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   lb_image_view_get_can_pan (self) ? "grab" : NULL);
}

/* Sets the zoom keeping the image point under @anchor_x, @anchor_y
 * (widget coordinates) where it is. */
static void
lb_image_view_zoom_at (LbImageView *self,
                       double       zoom,
                       double       anchor_x,
                       double       anchor_y)
{
  double fit_zoom = lb_image_view_get_fit_zoom (self);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double origin_x, origin_y;
  double image_x, image_y;
  gboolean fit;

  if (lb_image_view_get_image_width (self) <= 0)
    return;

  zoom = CLAMP (zoom, MIN (fit_zoom, 1.0), MAX_ZOOM);
  fit = zoom <= fit_zoom;

  lb_image_view_get_origin (self, &origin_x, &origin_y);
  image_x = (anchor_x - origin_x) * scale / self->zoom;
  image_y = (anchor_y - origin_y) * scale / self->zoom;

  self->zoom = fit ? fit_zoom : zoom;
  self->center_x = image_x - (anchor_x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) * scale / self->zoom;
  self->center_y = image_y - (anchor_y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) * scale / self->zoom;
  lb_image_view_clamp_center (self);

  if (self->fit != fit)
    {
      self->fit = fit;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);

  lb_image_view_update_cursor (self);
  lb_image_view_schedule_region (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- regions ------------------------------------------------------------- */

/* The scale regions are rendered at for @zoom: the next power of two up,
 * so a tile is never shrunk more than twice on screen, and never above
 * the image's own resolution. */
static int
level_for_zoom (double zoom)
{
  return zoom >= 1 ? 0 : (int) floor (-log2 (zoom));
}

static double
level_get_scale (int level)
{
  return ldexp (1.0, -level);
}

static gboolean
lb_image_view_needs_regions (LbImageView *self)
{
  if (self->source == NULL || self->rendition == NULL || self->region_failed ||
      lb_rendition_get_n_frames (self->rendition) > 1)
    return FALSE;

  /* The rendition is enough while it has as many pixels as are shown. */
  return level_get_scale (level_for_zoom (self->zoom)) > lb_rendition_get_scale (self->rendition) * 1.01;
}

static void
lb_image_view_cancel_region (LbImageView *self)
{
  g_clear_handle_id (&self->region_timeout, g_source_remove);
  g_cancellable_cancel (self->region_cancellable);
  g_clear_object (&self->region_cancellable);
}

static gboolean
region_timeout_cb (gpointer user_data)
{
  LbImageView *self = user_data;

  self->region_timeout = 0;
  lb_image_view_request_region (self);

  return G_SOURCE_REMOVE;
}

static void
lb_image_view_schedule_region (LbImageView *self)
{
  if (!lb_image_view_needs_regions (self))
    {
      lb_image_view_cancel_region (self);
      return;
    }

  g_clear_handle_id (&self->region_timeout, g_source_remove);
  self->region_timeout = g_timeout_add (REGION_DELAY_MS, region_timeout_cb, self);
}

static void
lb_image_view_evict_tiles (LbImageView *self)
{
  while (g_hash_table_size (self->tiles) > MAX_TILES)
    {
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest = NULL;
      guint64 oldest_use = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->tiles);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((Tile *) value)->last_used < oldest_use)
          {
            oldest = key;
            oldest_use = ((Tile *) value)->last_used;
          }

      g_hash_table_remove (self->tiles, oldest);
    }
}

/* Cuts @rendition, which starts on a tile boundary, into tiles that
 * share its memory. */
static void
lb_image_view_add_tiles (LbImageView *self,
                         int          level,
                         LbRendition *rendition)
{
  g_autoptr(GBytes) pixels = lb_rendition_dup_frame_pixels (rendition, 0);
  gsize stride = lb_rendition_get_stride (rendition);
  gboolean has_alpha = lb_rendition_get_has_alpha (rendition);
  int bpp = has_alpha ? 4 : 3;
  int x = lb_rendition_get_x (rendition);
  int y = lb_rendition_get_y (rendition);
  int width = lb_rendition_get_width (rendition);
  int height = lb_rendition_get_height (rendition);

  for (int top = 0; top < height; top += TILE_SIZE)
    for (int left = 0; left < width; left += TILE_SIZE)
      {
        int tile_width = MIN (TILE_SIZE, width - left);
        int tile_height = MIN (TILE_SIZE, height - top);
        gsize offset = top * stride + (gsize) left * bpp;
        gsize size = (tile_height - 1) * stride + (gsize) tile_width * bpp;
        g_autoptr(GBytes) bytes = g_bytes_new_from_bytes (pixels, offset, size);
        Tile *tile = g_new0 (Tile, 1);

        tile->texture = gdk_memory_texture_new (tile_width, tile_height,
                                                has_alpha ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                                bytes, stride);
        tile->last_used = ++self->tile_clock;
        g_hash_table_insert (self->tiles,
                             g_memdup2 (&(guint64) { tile_key (level, (x + left) / TILE_SIZE,
                                                               (y + top) / TILE_SIZE) },
                                        sizeof (guint64)),
                             tile);
      }

  lb_image_view_evict_tiles (self);
}

static void
region_rendered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LbRendition) rendition = NULL;
  LbImageView *self;

  rendition = lb_image_source_render_finish (LB_IMAGE_SOURCE (object), result, &error);
  /* Cancelled: the view may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LB_IMAGE_VIEW (user_data);
  g_clear_object (&self->region_cancellable);

  if (rendition == NULL)
    {
      /* The fitted rendition stays; asking again would fail again. */
      g_debug ("No region: %s", error->message);
      self->region_failed = TRUE;
      return;
    }

  lb_image_view_add_tiles (self, level_for_zoom (lb_rendition_get_scale (rendition)),
                           rendition);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* The view may have moved on meanwhile. */
  lb_image_view_request_region (self);
}

static void
lb_image_view_request_region (LbImageView *self)
{
  int level = level_for_zoom (self->zoom);
  double scale = level_get_scale (level);
  int factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int scaled_width = MAX (1, (int) round (lb_image_view_get_image_width (self) * scale));
  int scaled_height = MAX (1, (int) round (lb_image_view_get_image_height (self) * scale));
  double origin_x, origin_y;
  double left, top, right, bottom;
  int first_column, last_column, first_row, last_row;
  int missing_left = G_MAXINT, missing_top = G_MAXINT;
  int missing_right = -1, missing_bottom = -1;

  if (!lb_image_view_needs_regions (self) || self->region_cancellable != NULL)
    return;

  /* The visible part of the image, at the level's scale. */
  lb_image_view_get_origin (self, &origin_x, &origin_y);
  left = MAX (0, -origin_x * factor / self->zoom * scale);
  top = MAX (0, -origin_y * factor / self->zoom * scale);
  right = MIN (scaled_width, (gtk_widget_get_width (GTK_WIDGET (self)) - origin_x) * factor / self->zoom * scale);
  bottom = MIN (scaled_height, (gtk_widget_get_height (GTK_WIDGET (self)) - origin_y) * factor / self->zoom * scale);
  if (right <= left || bottom <= top)
    return;

  first_column = (int) left / TILE_SIZE;
  last_column = ((int) ceil (right) - 1) / TILE_SIZE;
  first_row = (int) top / TILE_SIZE;
  last_row = ((int) ceil (bottom) - 1) / TILE_SIZE;

  for (int row = first_row; row <= last_row; row++)
    for (int column = first_column; column <= last_column; column++)
      {
        guint64 key = tile_key (level, column, row);
        Tile *tile = g_hash_table_lookup (self->tiles, &key);

        if (tile != NULL)
          {
            tile->last_used = ++self->tile_clock;
            continue;
          }

        missing_left = MIN (missing_left, column);
        missing_right = MAX (missing_right, column);
        missing_top = MIN (missing_top, row);
        missing_bottom = MAX (missing_bottom, row);
      }

  if (missing_right < 0)
    return;

  /* One decode for all the missing tiles: each region decode reads the
   * file from its start. */
  self->region_cancellable = g_cancellable_new ();
  lb_image_source_render_region_async (self->source, scale,
                                       missing_left * TILE_SIZE,
                                       missing_top * TILE_SIZE,
                                       (missing_right + 1 - missing_left) * TILE_SIZE,
                                       (missing_bottom + 1 - missing_top) * TILE_SIZE,
                                       G_PRIORITY_DEFAULT,
                                       self->region_cancellable,
                                       region_rendered_cb, self);
}

/* --- animation ----------------------------------------------------------- */

static void lb_image_view_start_animation (LbImageView *self);

static gboolean
frame_timeout_cb (gpointer user_data)
{
  LbImageView *self = user_data;

  self->frame_timeout = 0;
  self->frame = (self->frame + 1) % self->frames->len;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  lb_image_view_start_animation (self);

  return G_SOURCE_REMOVE;
}

static void
lb_image_view_start_animation (LbImageView *self)
{
  int delay;

  if (self->frames == NULL || self->frames->len < 2 || self->frame_timeout != 0 ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  delay = lb_rendition_get_frame_delay (self->rendition, self->frame);
  if (delay < MIN_FRAME_DELAY_MS)
    delay = DEFAULT_FRAME_DELAY_MS;

  self->frame_timeout = g_timeout_add (delay, frame_timeout_cb, self);
}

/* --- drawing ------------------------------------------------------------- */

static void
append_texture (GtkSnapshot           *snapshot,
                GdkTexture            *texture,
                const graphene_rect_t *bounds,
                gboolean               nearest)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  /* Pixels stay sharp squares when zoomed in past 1:1. */
  gtk_snapshot_append_scaled_texture (snapshot, texture,
                                      nearest ? GSK_SCALING_FILTER_NEAREST
                                              : GSK_SCALING_FILTER_TRILINEAR,
                                      bounds);
#else
  gtk_snapshot_append_texture (snapshot, texture, bounds);
#endif
}

/* Rounded to device pixels, so that neighbouring tiles meet exactly. */
static graphene_rect_t
snap_rect (double x0,
           double y0,
           double x1,
           double y1,
           int    scale)
{
  graphene_rect_t rect;

  x0 = round (x0 * scale) / scale;
  y0 = round (y0 * scale) / scale;
  x1 = round (x1 * scale) / scale;
  y1 = round (y1 * scale) / scale;
  graphene_rect_init (&rect, x0, y0, x1 - x0, y1 - y0);

  return rect;
}

static void
lb_image_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  LbImageView *self = LB_IMAGE_VIEW (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int image_width = lb_image_view_get_image_width (self);
  int image_height = lb_image_view_get_image_height (self);
  double factor = self->zoom / scale;
  int level = level_for_zoom (self->zoom);
  gboolean nearest = self->zoom >= 2;
  GdkTexture *texture = NULL;
  double origin_x, origin_y;
  GHashTableIter iter;
  gpointer key, value;
  graphene_rect_t bounds;

  if (image_width <= 0 || image_height <= 0)
    return;

  if (self->frames != NULL)
    texture = g_ptr_array_index (self->frames, self->frame);
  else
    texture = self->placeholder;

  lb_image_view_get_origin (self, &origin_x, &origin_y);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (texture != NULL)
    {
      bounds = snap_rect (origin_x, origin_y,
                          origin_x + image_width * factor, origin_y + image_height * factor,
                          scale);
      append_texture (snapshot, texture, &bounds,
                      nearest && self->rendition != NULL &&
                      lb_rendition_get_scale (self->rendition) >= 1);
    }

  /* Region tiles of the current level, on top of the rendition. */
  if (lb_image_view_needs_regions (self))
    {
      double tile_factor = factor / level_get_scale (level);

      g_hash_table_iter_init (&iter, self->tiles);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint64 tile_key_value = *(guint64 *) key;
          Tile *tile = value;
          double x0, y0;

          if (tile_key_get_level (tile_key_value) != level)
            continue;

          x0 = origin_x + tile_key_get_column (tile_key_value) * TILE_SIZE * tile_factor;
          y0 = origin_y + tile_key_get_row (tile_key_value) * TILE_SIZE * tile_factor;
          bounds = snap_rect (x0, y0,
                              x0 + gdk_texture_get_width (tile->texture) * tile_factor,
                              y0 + gdk_texture_get_height (tile->texture) * tile_factor,
                              scale);
          if (bounds.origin.x > width || bounds.origin.y > height ||
              bounds.origin.x + bounds.size.width < 0 || bounds.origin.y + bounds.size.height < 0)
            continue;

          append_texture (snapshot, tile->texture, &bounds, nearest && level == 0);
        }
    }

  gtk_snapshot_pop (snapshot);
}

static gboolean
zoom_notify_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  LbImageView *self = LB_IMAGE_VIEW (widget);

  self->zoom_notify = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);

  return G_SOURCE_REMOVE;
}

/* A new fitted zoom is announced at the start of the next frame: what
 * listens may resize widgets (a zoom label), which GTK 4.8 leaves
 * without an allocation, undrawn, when done during the layout. */
static void
lb_image_view_queue_zoom_notify (LbImageView *self)
{
  if (self->zoom_notify == 0)
    self->zoom_notify = gtk_widget_add_tick_callback (GTK_WIDGET (self), zoom_notify_cb, NULL, NULL);
}

static void
lb_image_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  LbImageView *self = LB_IMAGE_VIEW (widget);

  if (self->fit)
    {
      double zoom = lb_image_view_get_fit_zoom (self);

      if (zoom != self->zoom)
        {
          self->zoom = zoom;
          lb_image_view_queue_zoom_notify (self);
        }
    }
  lb_image_view_clamp_center (self);
  lb_image_view_update_cursor (self);
  lb_image_view_schedule_region (self);

  /* Context menus are popovers parented here. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

static void
lb_image_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lb_image_view_parent_class)->map (widget);

  lb_image_view_start_animation (LB_IMAGE_VIEW (widget));
}

static void
lb_image_view_unmap (GtkWidget *widget)
{
  LbImageView *self = LB_IMAGE_VIEW (widget);

  g_clear_handle_id (&self->frame_timeout, g_source_remove);

  GTK_WIDGET_CLASS (lb_image_view_parent_class)->unmap (widget);
}

/* --- input --------------------------------------------------------------- */

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               LbImageView    *self)
{
  /* Leaves a drag of a fitted image to the drag source: a file drag. */
  if (!lb_image_view_get_can_pan (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                LbImageView    *self)
{
  double factor = self->zoom / gtk_widget_get_scale_factor (GTK_WIDGET (self));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->center_x = self->drag_center_x - offset_x / factor;
  self->center_y = self->drag_center_y - offset_y / factor;
  lb_image_view_clamp_center (self);
  lb_image_view_schedule_region (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             LbImageView    *self)
{
  lb_image_view_update_cursor (self);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               LbImageView      *self)
{
  self->gesture_zoom = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       LbImageView    *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  lb_image_view_zoom_at (self, self->gesture_zoom * scale, x, y);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  LbImageView     *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));

  /* A double click swaps between the whole image and its pixels 1:1. */
  if (n_press == 2)
    {
      if (self->fit && self->zoom < 1)
        lb_image_view_zoom_at (self, 1, x, y);
      else
        lb_image_view_set_fit (self, TRUE);
    }
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           LbImageView              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LbImageView              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (state & GDK_CONTROL_MASK)
    {
      lb_image_view_zoom_at (self, self->zoom * pow (ZOOM_STEP, -dy),
                             self->pointer_x, self->pointer_y);
      return GDK_EVENT_STOP;
    }

  if (!lb_image_view_get_can_pan (self))
    return GDK_EVENT_PROPAGATE;

  lb_image_view_pan (self,
                     dx * SCROLL_STEP / gtk_widget_get_width (GTK_WIDGET (self)),
                     dy * SCROLL_STEP / gtk_widget_get_height (GTK_WIDGET (self)));

  return GDK_EVENT_STOP;
}

/* --- GObject ------------------------------------------------------------- */

static void
lb_image_view_dispose (GObject *object)
{
  LbImageView *self = LB_IMAGE_VIEW (object);
  GtkWidget *child;

  lb_image_view_cancel_region (self);
  g_clear_handle_id (&self->frame_timeout, g_source_remove);
  if (self->zoom_notify != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->zoom_notify);
  self->zoom_notify = 0;
  g_clear_object (&self->source);
  g_clear_object (&self->placeholder);
  g_clear_object (&self->rendition);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lb_image_view_parent_class)->dispose (object);
}

static void
lb_image_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LbImageView *self = LB_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_image_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LbImageView *self = LB_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      lb_image_view_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_FIT:
      lb_image_view_set_fit (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_image_view_class_init (LbImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_image_view_dispose;
  object_class->get_property = lb_image_view_get_property;
  object_class->set_property = lb_image_view_set_property;

  widget_class->snapshot = lb_image_view_snapshot;
  widget_class->size_allocate = lb_image_view_size_allocate;
  widget_class->map = lb_image_view_map;
  widget_class->unmap = lb_image_view_unmap;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, MAX_ZOOM, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lb-image-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lb_image_view_init (LbImageView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  self->zoom = 1;
  self->fit = TRUE;
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, tile_free);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));
  gtk_gesture_group (zoom, drag);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

/* --- public -------------------------------------------------------------- */

static void
lb_image_view_clear_pixels (LbImageView *self)
{
  lb_image_view_cancel_region (self);
  g_clear_handle_id (&self->frame_timeout, g_source_remove);
  g_clear_object (&self->rendition);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_hash_table_remove_all (self->tiles);
  self->frame = 0;
  self->region_failed = FALSE;
}

void
lb_image_view_clear (LbImageView *self)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));

  lb_image_view_clear_pixels (self);
  g_clear_object (&self->source);
  g_clear_object (&self->placeholder);
  lb_image_view_set_fit (self, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lb_image_view_set_placeholder (LbImageView *self,
                               GdkTexture  *texture)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (!g_set_object (&self->placeholder, texture))
    return;

  /* Without a source, the placeholder gives the image its shape. */
  if (self->source == NULL)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lb_image_view_set_source (LbImageView   *self,
                          LbImageSource *source)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));
  g_return_if_fail (source == NULL || LB_IS_IMAGE_SOURCE (source));

  if (source == self->source)
    return;

  lb_image_view_clear_pixels (self);
  g_set_object (&self->source, source);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

LbImageSource *
lb_image_view_get_source (LbImageView *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), NULL);

  return self->source;
}

void
lb_image_view_set_rendition (LbImageView *self,
                             LbRendition *rendition)
{
  int n_frames;

  g_return_if_fail (LB_IS_IMAGE_VIEW (self));
  g_return_if_fail (LB_IS_RENDITION (rendition));

  lb_image_view_clear_pixels (self);
  self->rendition = g_object_ref (rendition);

  n_frames = lb_rendition_get_n_frames (rendition);
  self->frames = g_ptr_array_new_full (n_frames, g_object_unref);
  for (int i = 0; i < n_frames; i++)
    g_ptr_array_add (self->frames, lb_texture_new_for_rendition (rendition, i));

  lb_image_view_start_animation (self);
  lb_image_view_schedule_region (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
lb_image_view_get_has_rendition (LbImageView *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), FALSE);

  return self->rendition != NULL;
}

double
lb_image_view_get_zoom (LbImageView *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), 1);

  return self->zoom;
}

void
lb_image_view_set_zoom (LbImageView *self,
                        double       zoom)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));

  lb_image_view_zoom_at (self, zoom,
                         gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
lb_image_view_zoom_in (LbImageView *self)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));

  lb_image_view_set_zoom (self, self->zoom * ZOOM_STEP);
}

void
lb_image_view_zoom_out (LbImageView *self)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));

  lb_image_view_set_zoom (self, self->zoom / ZOOM_STEP);
}

gboolean
lb_image_view_get_fit (LbImageView *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), TRUE);

  return self->fit;
}

void
lb_image_view_set_fit (LbImageView *self,
                       gboolean     fit)
{
  g_return_if_fail (LB_IS_IMAGE_VIEW (self));

  fit = !!fit;
  if (fit)
    {
      /* Zooming to the fitted size turns fitting on. */
      lb_image_view_set_zoom (self, lb_image_view_get_fit_zoom (self));
      if (!self->fit)
        {
          self->fit = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
        }
    }
  else if (self->fit)
    {
      self->fit = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
    }
}

gboolean
lb_image_view_pan (LbImageView *self,
                   double       dx,
                   double       dy)
{
  double factor;
  double old_x, old_y;

  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), FALSE);

  if (!lb_image_view_get_can_pan (self))
    return FALSE;

  factor = self->zoom / gtk_widget_get_scale_factor (GTK_WIDGET (self));
  old_x = self->center_x;
  old_y = self->center_y;
  self->center_x += dx * gtk_widget_get_width (GTK_WIDGET (self)) / factor;
  self->center_y += dy * gtk_widget_get_height (GTK_WIDGET (self)) / factor;
  lb_image_view_clamp_center (self);

  if (old_x == self->center_x && old_y == self->center_y)
    return FALSE;

  lb_image_view_schedule_region (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

gboolean
lb_image_view_get_can_pan (LbImageView *self)
{
  double factor;

  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), FALSE);

  factor = self->zoom / gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return lb_image_view_get_image_width (self) * factor > gtk_widget_get_width (GTK_WIDGET (self)) + 0.5 ||
         lb_image_view_get_image_height (self) * factor > gtk_widget_get_height (GTK_WIDGET (self)) + 0.5;
}

guint
lb_image_view_get_n_tiles (LbImageView *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), 0);

  return g_hash_table_size (self->tiles);
}

int
lb_image_view_get_frame (LbImageView *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_VIEW (self), 0);

  return self->frame;
}
