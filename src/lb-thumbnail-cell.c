/* lb-thumbnail-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-cell"

#include <glib/gi18n.h>

#include "lb-thumbnail-cell.h"
#include "lb-thumbnail-picture.h"

struct _LbThumbnailCell
{
  GtkWidget          parent_instance;

  LbThumbnailPicture *picture;
  GtkLabel          *label;

  LbThumbnailLoader *loader;
  LbFileItem        *item;
  int                size;
};

G_DEFINE_FINAL_TYPE (LbThumbnailCell, lb_thumbnail_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Icons are made once per content type (interned: a pointer is a key),
 * not on every bind. */
static GIcon *
icon_for_content_type (const char *content_type)
{
  static GHashTable *icons;
  GIcon *icon;

  if (icons == NULL)
    icons = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);

  icon = g_hash_table_lookup (icons, content_type);
  if (icon == NULL)
    {
      icon = g_content_type_get_icon (content_type);
      g_hash_table_insert (icons, (gpointer) content_type, icon);
    }

  return icon;
}

static GIcon *
named_icon (const char *name,
            const char *fallback)
{
  const char *names[] = { name, fallback, NULL };

  return g_themed_icon_new_from_names ((char **) names, -1);
}

/* Shows what there is for the item now: its thumbnail, a stand-in of
 * another size while the right one loads, or an icon. */
static void
lb_thumbnail_cell_update (LbThumbnailCell *self)
{
  static GIcon *folder_icon;
  static GIcon *broken_icon;
  LbThumbnailState state;
  LbThumbnailSize size;
  GdkTexture *texture;
  gboolean exact;

  if (self->item == NULL)
    return;

  if (folder_icon == NULL)
    {
      folder_icon = named_icon ("folder", "folder-symbolic");
      broken_icon = named_icon ("image-missing", "image-missing-symbolic");
    }

  if (lb_file_item_get_is_folder (self->item))
    {
      lb_thumbnail_picture_set_icon (self->picture, folder_icon, 0.75, FALSE);
      return;
    }

  if (!lb_file_item_get_is_image (self->item))
    {
      lb_thumbnail_picture_set_icon (self->picture,
                                     icon_for_content_type (lb_file_item_get_content_type (self->item)),
                                     0.5, FALSE);
      return;
    }

  texture = lb_thumbnail_loader_lookup (self->loader, self->item, &size, &exact);
  state = lb_file_item_get_thumbnail_state (self->item);

  /* A texture of another size or an older version stands in while the
   * right one loads, unless the right one failed. */
  if (texture != NULL && (exact || state != LB_THUMBNAIL_STATE_FAILED))
    lb_thumbnail_picture_set_texture (self->picture, texture, lb_thumbnail_size_get_pixels (size));
  else if (state == LB_THUMBNAIL_STATE_FAILED)
    lb_thumbnail_picture_set_icon (self->picture, broken_icon, 0.5, FALSE);
  else if (state == LB_THUMBNAIL_STATE_READY)
    /* On disk, pixels a moment away: an icon would only flash. */
    lb_thumbnail_picture_set_texture (self->picture, NULL, 0);
  else
    lb_thumbnail_picture_set_icon (self->picture, icon_for_content_type (lb_file_item_get_content_type (self->item)),
                                   0.5, TRUE);
}

/* The full name, asked for when the pointer rests: setting a tooltip on
 * every bind costs more than all the rest of binding. */
static gboolean
query_tooltip_cb (LbThumbnailCell *self,
                  int              x,
                  int              y,
                  gboolean         keyboard,
                  GtkTooltip      *tooltip)
{
  if (self->item == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, lb_file_item_get_display_name (self->item));

  return TRUE;
}

static void
thumbnail_changed_cb (LbFileItem *item,
                      gpointer    user_data)
{
  lb_thumbnail_cell_update (LB_THUMBNAIL_CELL (user_data));
}

void
lb_thumbnail_cell_set_item (LbThumbnailCell *self,
                            LbFileItem      *item)
{
  const char *name;

  g_return_if_fail (LB_IS_THUMBNAIL_CELL (self));
  g_return_if_fail (item == NULL || LB_IS_FILE_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    lb_thumbnail_loader_unbind (self->loader, self->item);
  g_set_object (&self->item, item);

  if (item == NULL)
    {
      gtk_label_set_text (self->label, NULL);
      lb_thumbnail_picture_set_texture (self->picture, NULL, 0);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
      return;
    }

  name = lb_file_item_get_display_name (item);
  gtk_label_set_text (self->label, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  if (lb_file_item_get_is_folder (item))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Folder"),
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  lb_thumbnail_loader_bind (self->loader, item, thumbnail_changed_cb, self);
  lb_thumbnail_cell_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

LbFileItem *
lb_thumbnail_cell_get_item (LbThumbnailCell *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_CELL (self), NULL);

  return self->item;
}

void
lb_thumbnail_cell_set_size (LbThumbnailCell *self,
                            int              size)
{
  g_return_if_fail (LB_IS_THUMBNAIL_CELL (self));

  if (self->size == size)
    return;

  self->size = size;
  lb_thumbnail_picture_set_size (self->picture, size);
  lb_thumbnail_cell_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

gboolean
lb_thumbnail_cell_get_complete (LbThumbnailCell *self)
{
  LbThumbnailState state;
  gboolean exact = FALSE;

  g_return_val_if_fail (LB_IS_THUMBNAIL_CELL (self), FALSE);

  if (self->item == NULL || !lb_file_item_get_is_image (self->item))
    return TRUE;

  state = lb_file_item_get_thumbnail_state (self->item);
  lb_thumbnail_loader_lookup (self->loader, self->item, NULL, &exact);

  return state == LB_THUMBNAIL_STATE_FAILED ||
         (exact && lb_thumbnail_picture_get_texture (self->picture) != NULL);
}

int
lb_thumbnail_cell_get_size (LbThumbnailCell *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_CELL (self), 0);

  return self->size;
}

static void
lb_thumbnail_cell_dispose (GObject *object)
{
  LbThumbnailCell *self = LB_THUMBNAIL_CELL (object);

  if (self->item != NULL)
    lb_thumbnail_loader_unbind (self->loader, self->item);
  g_clear_object (&self->item);
  g_clear_object (&self->loader);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_THUMBNAIL_CELL);

  G_OBJECT_CLASS (lb_thumbnail_cell_parent_class)->dispose (object);
}

static void
lb_thumbnail_cell_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LbThumbnailCell *self = LB_THUMBNAIL_CELL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_cell_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LbThumbnailCell *self = LB_THUMBNAIL_CELL (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      lb_thumbnail_cell_set_item (self, g_value_get_object (value));
      break;
    case PROP_SIZE:
      lb_thumbnail_cell_set_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_cell_class_init (LbThumbnailCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_thumbnail_cell_dispose;
  object_class->get_property = lb_thumbnail_cell_get_property;
  object_class->set_property = lb_thumbnail_cell_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, LB_TYPE_FILE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LB_TYPE_THUMBNAIL_PICTURE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-thumbnail-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, LbThumbnailCell, picture);
  gtk_widget_class_bind_template_child (widget_class, LbThumbnailCell, label);

  gtk_widget_class_set_css_name (widget_class, "thumbnail-cell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lb_thumbnail_cell_init (LbThumbnailCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

GtkWidget *
lb_thumbnail_cell_new (LbThumbnailLoader *loader)
{
  LbThumbnailCell *self;

  g_return_val_if_fail (LB_IS_THUMBNAIL_LOADER (loader), NULL);

  self = g_object_new (LB_TYPE_THUMBNAIL_CELL, NULL);
  self->loader = g_object_ref (loader);

  return GTK_WIDGET (self);
}
