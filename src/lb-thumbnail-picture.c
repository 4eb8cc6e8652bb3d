/* lb-thumbnail-picture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-picture"

#include <math.h>

#include "lb-thumbnail-picture.h"

#define CORNER_RADIUS 4.f
/* An icon faded while its thumbnail is being made. */
#define DIM_OPACITY 0.55f

struct _LbThumbnailPicture
{
  GtkWidget   parent_instance;

  GdkTexture   *texture;
  guint         bucket_pixels;
  int           size;

  GIcon        *icon;
  double        icon_fraction;
  gboolean      icon_dim;
  GdkPaintable *icon_paintable;  /* looked up for icon_pixels */
  int           icon_pixels;
};

G_DEFINE_FINAL_TYPE (LbThumbnailPicture, lb_thumbnail_picture, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
lb_thumbnail_picture_get_texture_bounds (LbThumbnailPicture *self,
                                         graphene_rect_t    *bounds)
{
  float width, height, scale;

  g_return_val_if_fail (LB_IS_THUMBNAIL_PICTURE (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  if (self->texture == NULL || self->bucket_pixels == 0)
    return FALSE;

  width = gdk_texture_get_width (self->texture);
  height = gdk_texture_get_height (self->texture);

  /* The bucket maps to the box, whatever the scale factor: a small
   * image stays small, a stand-in of another bucket takes the place of
   * the right one. Never more than the box. */
  scale = MIN ((float) self->size / self->bucket_pixels, self->size / MAX (width, height));
  width = roundf (width * scale);
  height = roundf (height * scale);

  /* Centred, on the bottom of the box: next to the name under it. */
  graphene_rect_init (bounds,
                      roundf ((gtk_widget_get_width (GTK_WIDGET (self)) - width) / 2),
                      gtk_widget_get_height (GTK_WIDGET (self)) - height,
                      width, height);

  return TRUE;
}

/* A theme's full-colour icon can be far bigger than a cell draws it
 * (Adwaita's image-x-generic is 512 pixels): drawn as it is, it would
 * be scaled down for every cell in every frame, in software with the
 * cairo renderer, where the first screen of a folder paid some 25 ms
 * for it. It is scaled once per size, faded or not, and kept with the
 * theme's paintable for that size, which the theme caches and drops.
 * Symbolic icons follow the style's colours and are drawn as they are. */
static GdkTexture *
lb_thumbnail_picture_get_icon_texture (LbThumbnailPicture *self,
                                       int                 pixels)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkIconPaintable *icon = GTK_ICON_PAINTABLE (self->icon_paintable);
  int device_pixels = pixels * gtk_widget_get_scale_factor (widget);
  /* The paintable is the theme's for this size already. */
  const char *key = self->icon_dim ? "lb-icon-texture-dim" : "lb-icon-texture";
  GtkNative *native;
  GskRenderer *renderer;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;

  if (gtk_icon_paintable_is_symbolic (icon))
    return NULL;

  texture = g_object_get_data (G_OBJECT (icon), key);
  if (texture != NULL && gdk_texture_get_width (texture) == device_pixels)
    return texture;

  native = gtk_widget_get_native (widget);
  renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  if (renderer == NULL)
    return NULL;

  snapshot = gtk_snapshot_new ();
  if (self->icon_dim)
    gtk_snapshot_push_opacity (snapshot, DIM_OPACITY);
  gdk_paintable_snapshot (GDK_PAINTABLE (icon), snapshot, device_pixels, device_pixels);
  if (self->icon_dim)
    gtk_snapshot_pop (snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, device_pixels, device_pixels));
  g_object_set_data_full (G_OBJECT (icon), key, texture, g_object_unref);

  return texture;
}

/* Looked up again only when the size changes; the theme caches too.
 * The theme reads the image on a thread of its own meanwhile. */
static void
lb_thumbnail_picture_look_up_icon (LbThumbnailPicture *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int pixels = MAX (1, (int) (self->size * self->icon_fraction));
  GtkIconTheme *theme;

  if (self->icon_paintable != NULL && self->icon_pixels == pixels)
    return;

  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_clear_object (&self->icon_paintable);
  self->icon_paintable = GDK_PAINTABLE (gtk_icon_theme_lookup_by_gicon (theme, self->icon, pixels,
                                                                        gtk_widget_get_scale_factor (widget),
                                                                        gtk_widget_get_direction (widget),
                                                                        GTK_ICON_LOOKUP_PRELOAD));
  self->icon_pixels = pixels;
}

static void
lb_thumbnail_picture_snapshot_icon (LbThumbnailPicture *self,
                                    GtkSnapshot        *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int pixels = MAX (1, (int) (self->size * self->icon_fraction));
  GdkTexture *texture;

  lb_thumbnail_picture_look_up_icon (self);
  texture = lb_thumbnail_picture_get_icon_texture (self, pixels);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((gtk_widget_get_width (widget) - pixels) / 2,
                                                gtk_widget_get_height (widget) - pixels));
  if (texture != NULL)
    {
      gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (0, 0, pixels, pixels));
    }
  else
    {
      if (self->icon_dim)
        gtk_snapshot_push_opacity (snapshot, DIM_OPACITY);
      gdk_paintable_snapshot (self->icon_paintable, snapshot, pixels, pixels);
      if (self->icon_dim)
        gtk_snapshot_pop (snapshot);
    }
  gtk_snapshot_restore (snapshot);
}

static void
lb_thumbnail_picture_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  LbThumbnailPicture *self = LB_THUMBNAIL_PICTURE (widget);
  GskRoundedRect outline;
  graphene_rect_t bounds;
  const GdkRGBA edge = { 0, 0, 0, 0.15f };
  const GdkRGBA edges[4] = { edge, edge, edge, edge };
  const float widths[4] = { 1, 1, 1, 1 };

  if (self->icon != NULL)
    {
      lb_thumbnail_picture_snapshot_icon (self, snapshot);
      return;
    }

  if (!lb_thumbnail_picture_get_texture_bounds (self, &bounds))
    return;

  /* Rounded corners and a hairline edge, which keeps pale photos apart
   * from the page; no shadow, whose blur the cairo renderer would redo
   * for every cell on every frame. */
  gsk_rounded_rect_init_from_rect (&outline, &bounds, CORNER_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
#if GTK_CHECK_VERSION (4, 10, 0)
  /* Mipmapped, for stand-ins drawn much smaller than they are. */
  gtk_snapshot_append_scaled_texture (snapshot, self->texture, GSK_SCALING_FILTER_TRILINEAR, &bounds);
#else
  gtk_snapshot_append_texture (snapshot, self->texture, &bounds);
#endif
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &outline, widths, edges);
}

static void
lb_thumbnail_picture_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  LbThumbnailPicture *self = LB_THUMBNAIL_PICTURE (widget);

  *minimum = *natural = self->size;
}

static void
lb_thumbnail_picture_dispose (GObject *object)
{
  LbThumbnailPicture *self = LB_THUMBNAIL_PICTURE (object);

  g_clear_object (&self->texture);
  g_clear_object (&self->icon);
  g_clear_object (&self->icon_paintable);

  G_OBJECT_CLASS (lb_thumbnail_picture_parent_class)->dispose (object);
}

static void
lb_thumbnail_picture_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LbThumbnailPicture *self = LB_THUMBNAIL_PICTURE (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_picture_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LbThumbnailPicture *self = LB_THUMBNAIL_PICTURE (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      lb_thumbnail_picture_set_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_picture_class_init (LbThumbnailPictureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_thumbnail_picture_dispose;
  object_class->get_property = lb_thumbnail_picture_get_property;
  object_class->set_property = lb_thumbnail_picture_set_property;

  widget_class->snapshot = lb_thumbnail_picture_snapshot;
  widget_class->measure = lb_thumbnail_picture_measure;

  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "thumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
lb_thumbnail_picture_init (LbThumbnailPicture *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_VISIBLE);
}

void
lb_thumbnail_picture_set_texture (LbThumbnailPicture *self,
                                  GdkTexture         *texture,
                                  guint               bucket_pixels)
{
  g_return_if_fail (LB_IS_THUMBNAIL_PICTURE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (self->texture == texture && self->bucket_pixels == bucket_pixels && self->icon == NULL)
    return;

  g_set_object (&self->texture, texture);
  self->bucket_pixels = bucket_pixels;
  g_clear_object (&self->icon);
  g_clear_object (&self->icon_paintable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
lb_thumbnail_picture_set_icon (LbThumbnailPicture *self,
                               GIcon              *icon,
                               double              fraction,
                               gboolean            dim)
{
  g_return_if_fail (LB_IS_THUMBNAIL_PICTURE (self));
  g_return_if_fail (G_IS_ICON (icon));

  if (self->icon == icon && self->icon_fraction == fraction && self->icon_dim == dim)
    return;

  if (g_set_object (&self->icon, icon))
    g_clear_object (&self->icon_paintable);
  self->icon_fraction = fraction;
  self->icon_dim = dim;
  g_clear_object (&self->texture);
  /* In a window already (a cell being bound), the icon's image starts
   * loading now rather than when the frame draws it. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    lb_thumbnail_picture_look_up_icon (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GIcon *
lb_thumbnail_picture_get_icon (LbThumbnailPicture *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_PICTURE (self), NULL);

  return self->icon;
}

GdkTexture *
lb_thumbnail_picture_get_texture (LbThumbnailPicture *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_PICTURE (self), NULL);

  return self->texture;
}

void
lb_thumbnail_picture_set_size (LbThumbnailPicture *self,
                               int                 size)
{
  g_return_if_fail (LB_IS_THUMBNAIL_PICTURE (self));

  if (self->size == size)
    return;

  self->size = size;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

int
lb_thumbnail_picture_get_size (LbThumbnailPicture *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_PICTURE (self), 0);

  return self->size;
}
