/* lb-file-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-file-item"

#include "lb-file-item.h"

struct _LbFileItem
{
  GObject             parent_instance;

  GFile              *file;
  char               *name;
  char               *display_name;  /* NULL when it is the name */
  char               *collate_key;
  char               *search_key;
  LbFileItemSortKeys  keys;
  gboolean            is_hidden;
  gboolean            is_image;
  gboolean            has_date_taken;
  LbThumbnailState    thumbnail_state;
};

G_DEFINE_FINAL_TYPE (LbFileItem, lb_file_item, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LbThumbnailState, lb_thumbnail_state,
  G_DEFINE_ENUM_VALUE (LB_THUMBNAIL_STATE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (LB_THUMBNAIL_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (LB_THUMBNAIL_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (LB_THUMBNAIL_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_FILE,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_SIZE,
  PROP_MODIFIED,
  PROP_CONTENT_TYPE,
  PROP_IS_FOLDER,
  PROP_IS_IMAGE,
  PROP_THUMBNAIL_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lb_file_item_finalize (GObject *object)
{
  LbFileItem *self = LB_FILE_ITEM (object);

  g_clear_object (&self->file);
  g_free (self->name);
  g_free (self->display_name);
  g_free (self->collate_key);
  g_free (self->search_key);

  G_OBJECT_CLASS (lb_file_item_parent_class)->finalize (object);
}

static void
lb_file_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LbFileItem *self = LB_FILE_ITEM (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, lb_file_item_get_display_name (self));
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->keys.size);
      break;
    case PROP_MODIFIED:
      g_value_set_int64 (value, self->keys.modified);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->keys.content_type);
      break;
    case PROP_IS_FOLDER:
      g_value_set_boolean (value, self->keys.is_folder);
      break;
    case PROP_IS_IMAGE:
      g_value_set_boolean (value, self->is_image);
      break;
    case PROP_THUMBNAIL_STATE:
      g_value_set_enum (value, self->thumbnail_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_file_item_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LbFileItem *self = LB_FILE_ITEM (object);

  switch (prop_id)
    {
    case PROP_THUMBNAIL_STATE:
      lb_file_item_set_thumbnail_state (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_file_item_class_init (LbFileItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_file_item_finalize;
  object_class->get_property = lb_file_item_get_property;
  object_class->set_property = lb_file_item_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_int64 ("modified", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_FOLDER] =
    g_param_spec_boolean ("is-folder", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_IMAGE] =
    g_param_spec_boolean ("is-image", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAIL_STATE] =
    g_param_spec_enum ("thumbnail-state", NULL, NULL,
                       LB_TYPE_THUMBNAIL_STATE, LB_THUMBNAIL_STATE_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_file_item_init (LbFileItem *self)
{
}

char *
lb_file_item_fold_text (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *stripped;

  g_return_val_if_fail (text != NULL, NULL);

  /* Decomposed, so that accents become marks we can drop: "é" finds "e". */
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (decomposed, -1);
  stripped = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (stripped, c);
    }

  return g_string_free (stripped, FALSE);
}

static void
lb_file_item_set_from_info (LbFileItem *self,
                            GFileInfo  *info)
{
  const char *content_type = NULL;
  GFileType type = g_file_info_get_file_type (info);
  g_autofree char *mime_type = NULL;

  self->keys.is_folder = type == G_FILE_TYPE_DIRECTORY || type == G_FILE_TYPE_MOUNTABLE;

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE))
    content_type = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE);
  if (content_type != NULL)
    content_type = g_intern_string (content_type);
  else if (self->keys.is_folder)
    content_type = g_intern_static_string ("inode/directory");
  else
    {
      /* Some GVfs backends give no fast type: guess from the name, as
       * the local backend does, without reading the file. */
      g_autofree char *guessed = g_content_type_guess (self->name, NULL, 0, NULL);

      content_type = g_intern_string (guessed);
    }
  self->keys.content_type = content_type;

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    self->keys.modified = (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    self->keys.size = (guint64) g_file_info_get_size (info);

  mime_type = g_content_type_get_mime_type (content_type);
  self->is_image = !self->keys.is_folder && mime_type != NULL &&
                   (g_str_has_prefix (mime_type, "image/") ||
                    g_str_equal (mime_type, "application/pdf"));
}

LbFileItem *
lb_file_item_new (GFile     *file,
                  GFileInfo *info)
{
  LbFileItem *self;
  const char *display_name;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (G_IS_FILE_INFO (info), NULL);

  self = g_object_new (LB_TYPE_FILE_ITEM, NULL);
  self->file = g_object_ref (file);
  self->name = g_strdup (g_file_info_get_name (info));
  if (self->name == NULL)
    self->name = g_file_get_basename (file);

  display_name = g_file_info_get_display_name (info);
  if (display_name != NULL && g_strcmp0 (display_name, self->name) != 0)
    self->display_name = g_strdup (display_name);

  /* Computed once per item, here on the worker thread: "img2" < "img10",
   * and "Zebra" after "apple" even where the locale sorts by code point. */
  folded = g_utf8_casefold (lb_file_item_get_display_name (self), -1);
  self->collate_key = g_utf8_collate_key_for_filename (folded, -1);
  self->search_key = lb_file_item_fold_text (lb_file_item_get_display_name (self));
  self->is_hidden = g_file_info_get_is_hidden (info) || g_file_info_get_is_backup (info) ||
                    self->name[0] == '.';

  self->keys.name = self->name;
  self->keys.collate_key = self->collate_key;
  lb_file_item_set_from_info (self, info);

  return self;
}

GFile *
lb_file_item_get_file (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), NULL);

  return self->file;
}

const char *
lb_file_item_get_name (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), NULL);

  return self->name;
}

const char *
lb_file_item_get_display_name (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), NULL);

  return self->display_name != NULL ? self->display_name : self->name;
}

guint64
lb_file_item_get_size (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), 0);

  return self->keys.size;
}

gint64
lb_file_item_get_modified (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), 0);

  return self->keys.modified;
}

const char *
lb_file_item_get_content_type (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), NULL);

  return self->keys.content_type;
}

gboolean
lb_file_item_get_is_folder (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), FALSE);

  return self->keys.is_folder;
}

gboolean
lb_file_item_get_is_image (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), FALSE);

  return self->is_image;
}

gboolean
lb_file_item_get_is_hidden (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), FALSE);

  return self->is_hidden;
}

LbThumbnailState
lb_file_item_get_thumbnail_state (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), LB_THUMBNAIL_STATE_NONE);

  return self->thumbnail_state;
}

void
lb_file_item_set_thumbnail_state (LbFileItem       *self,
                                  LbThumbnailState  state)
{
  g_return_if_fail (LB_IS_FILE_ITEM (self));
  g_return_if_fail (state <= LB_THUMBNAIL_STATE_FAILED);

  if (self->thumbnail_state == state)
    return;

  self->thumbnail_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL_STATE]);
}

const char *
lb_file_item_get_search_key (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), NULL);

  return self->search_key;
}

const LbFileItemSortKeys *
lb_file_item_get_sort_keys (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), NULL);

  return &self->keys;
}

gboolean
lb_file_item_differs (LbFileItem *self,
                      LbFileItem *newer)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), FALSE);
  g_return_val_if_fail (LB_IS_FILE_ITEM (newer), FALSE);

  return self->keys.modified != newer->keys.modified ||
         self->keys.size != newer->keys.size ||
         self->keys.content_type != newer->keys.content_type ||
         self->keys.is_folder != newer->keys.is_folder;
}

gboolean
lb_file_item_update (LbFileItem *self,
                     LbFileItem *newer)
{
  LbFileItemSortKeys old_keys;
  gboolean was_image;

  g_return_val_if_fail (LB_IS_FILE_ITEM (self), FALSE);
  g_return_val_if_fail (LB_IS_FILE_ITEM (newer), FALSE);

  if (!lb_file_item_differs (self, newer))
    return FALSE;

  old_keys = self->keys;
  was_image = self->is_image;
  self->keys.modified = newer->keys.modified;
  self->keys.size = newer->keys.size;
  self->keys.content_type = newer->keys.content_type;
  self->keys.is_folder = newer->keys.is_folder;
  self->keys.date_taken = newer->keys.date_taken;
  self->has_date_taken = newer->has_date_taken;
  self->is_image = newer->is_image;

  g_object_freeze_notify (G_OBJECT (self));
  if (old_keys.size != self->keys.size)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
  if (old_keys.modified != self->keys.modified)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  if (old_keys.content_type != self->keys.content_type)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT_TYPE]);
  if (old_keys.is_folder != self->keys.is_folder)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_FOLDER]);
  if (was_image != self->is_image)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_IMAGE]);
  /* The thumbnail shows the old content: views make a new one. */
  lb_file_item_set_thumbnail_state (self, LB_THUMBNAIL_STATE_NONE);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

gboolean
lb_file_item_get_has_date_taken (LbFileItem *self)
{
  g_return_val_if_fail (LB_IS_FILE_ITEM (self), FALSE);

  return self->has_date_taken;
}

void
lb_file_item_set_date_taken (LbFileItem *self,
                             gint64      date_taken)
{
  g_return_if_fail (LB_IS_FILE_ITEM (self));

  self->keys.date_taken = date_taken;
  self->has_date_taken = TRUE;
}
