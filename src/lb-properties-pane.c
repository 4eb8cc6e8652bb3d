/* lb-properties-pane.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-properties-pane"

#include <glib/gi18n.h>

#include "lb-image-info.h"
#include "lb-properties-pane.h"

#define FILE_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
  G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED

struct _LbPropertiesPane
{
  AdwBin                parent_instance;

  AdwPreferencesGroup  *file_group;
  AdwActionRow         *name_row;
  AdwActionRow         *folder_row;
  AdwActionRow         *size_row;
  AdwActionRow         *modified_row;
  AdwActionRow         *format_row;
  AdwPreferencesGroup  *image_group;
  AdwActionRow         *dimensions_row;
  AdwActionRow         *pages_row;
  AdwActionRow         *orientation_row;
  AdwPreferencesGroup  *photo_group;
  AdwActionRow         *date_taken_row;
  AdwActionRow         *camera_row;
  AdwActionRow         *lens_row;
  AdwActionRow         *exposure_row;
  AdwActionRow         *aperture_row;
  AdwActionRow         *iso_row;
  AdwActionRow         *focal_length_row;
  AdwActionRow         *location_row;
  GtkLinkButton        *location_button;

  GFile                *file;
  /* What is shown is for this file; NULL when it must be read again. */
  GFile                *shown_file;
  GCancellable         *cancellable;
  GFileInfo            *file_info;
  LbImageInfo          *image_info;
  guint                 n_pending;
};

G_DEFINE_FINAL_TYPE (LbPropertiesPane, lb_properties_pane, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_FILE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
lb_properties_pane_new (void)
{
  return g_object_new (LB_TYPE_PROPERTIES_PANE, NULL);
}

static void
set_row (AdwActionRow *row,
         const char   *text)
{
  gtk_widget_set_visible (GTK_WIDGET (row), text != NULL);
  adw_action_row_set_subtitle (row, text != NULL ? text : "");
}

/* Wall-clock time, as the clock of the camera or of the computer said. */
static char *
format_date_time (GDateTime *date_time)
{
  /* Translators: a date and time, as in g_date_time_format() */
  return g_date_time_format (date_time, _("%-d %B %Y, %H:%M"));
}

static void
lb_properties_pane_show_file_info (LbPropertiesPane *self)
{
  GFileInfo *info = self->file_info;
  g_autoptr(GFile) parent = g_file_get_parent (self->file);
  g_autofree char *folder = parent != NULL ? g_file_get_parse_name (parent) : NULL;
  g_autofree char *size = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *type = NULL;
  const char *format = NULL;

  if (info == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->file);

      set_row (self->name_row, name);
      set_row (self->folder_row, folder);
      set_row (self->size_row, NULL);
      set_row (self->modified_row, NULL);
      set_row (self->format_row, NULL);
      return;
    }

  set_row (self->name_row, g_file_info_get_display_name (info));
  set_row (self->folder_row, folder);

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    size = g_format_size_full (g_file_info_get_size (info), G_FORMAT_SIZE_LONG_FORMAT);
  set_row (self->size_row, size);

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    {
      g_autoptr(GDateTime) utc = g_file_info_get_modification_date_time (info);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

      if (local != NULL)
        modified = format_date_time (local);
    }
  set_row (self->modified_row, modified);

  /* What the content really is, else what its type says. */
  if (self->image_info != NULL)
    format = lb_image_info_get_format (self->image_info);
  if (format == NULL && g_file_info_get_content_type (info) != NULL)
    format = type = g_content_type_get_description (g_file_info_get_content_type (info));
  set_row (self->format_row, format);
}

static void
lb_properties_pane_show_image_info (LbPropertiesPane *self)
{
  LbImageInfo *info = self->image_info;
  g_autofree char *dimensions = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *date_taken = NULL;
  g_autofree char *camera = NULL;
  g_autofree char *exposure = NULL;
  g_autofree char *aperture = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *focal_length = NULL;
  g_autofree char *location = NULL;
  g_autofree char *location_uri = NULL;
  int width, height, n_pages;

  gtk_widget_set_visible (GTK_WIDGET (self->photo_group), FALSE);
  if (info == NULL)
    {
      set_row (self->dimensions_row, NULL);
      set_row (self->pages_row, NULL);
      set_row (self->orientation_row, NULL);
      return;
    }

  width = lb_image_info_get_width (info);
  height = lb_image_info_get_height (info);
  /* Translators: width × height in pixels, then megapixels */
  dimensions = g_strdup_printf (_("%d × %d pixels (%.1f MP)"), width, height,
                                (double) width * height / 1e6);
  set_row (self->dimensions_row, dimensions);

  /* An animation's pages are its frames. */
  n_pages = lb_image_info_get_n_pages (info);
  if (n_pages > 1)
    pages = g_strdup_printf ("%d", n_pages);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pages_row),
                                 lb_image_info_get_is_animated (info) ? C_("properties", "Frames")
                                                                      : C_("properties", "Pages"));
  set_row (self->pages_row, pages);
  set_row (self->orientation_row, lb_image_info_get_orientation_text (info));

  if (lb_image_info_get_date_taken (info) != NULL)
    date_taken = format_date_time (lb_image_info_get_date_taken (info));
  camera = lb_image_info_dup_camera_text (info);
  exposure = lb_image_info_dup_exposure_text (info);
  aperture = lb_image_info_dup_aperture_text (info);
  if (lb_image_info_get_iso (info) > 0)
    iso = g_strdup_printf ("%d", lb_image_info_get_iso (info));
  focal_length = lb_image_info_dup_focal_length_text (info);
  location = lb_image_info_dup_location_text (info);
  location_uri = lb_image_info_dup_location_uri (info);

  set_row (self->date_taken_row, date_taken);
  set_row (self->camera_row, camera);
  set_row (self->lens_row, lb_image_info_get_lens (info));
  set_row (self->exposure_row, exposure);
  set_row (self->aperture_row, aperture);
  set_row (self->iso_row, iso);
  set_row (self->focal_length_row, focal_length);

  gtk_widget_set_visible (GTK_WIDGET (self->location_row), location != NULL);
  if (location != NULL)
    {
      gtk_button_set_label (GTK_BUTTON (self->location_button), location);
      gtk_link_button_set_uri (self->location_button, location_uri);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->photo_group),
                          date_taken != NULL || camera != NULL ||
                          lb_image_info_get_lens (info) != NULL || exposure != NULL ||
                          aperture != NULL || iso != NULL || focal_length != NULL ||
                          location != NULL);
}

static void
lb_properties_pane_finish_loading (LbPropertiesPane *self)
{
  if (--self->n_pending > 0)
    return;

  /* Everything at once: navigating images never flickers half-filled. */
  lb_properties_pane_show_file_info (self);
  lb_properties_pane_show_image_info (self);
  gtk_widget_set_visible (GTK_WIDGET (self->file_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->image_group),
                          self->file_info != NULL || self->image_info != NULL);
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
file_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  LbPropertiesPane *self;

  /* Cancelled: the pane may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LB_PROPERTIES_PANE (user_data);
  if (info == NULL)
    g_debug ("No file info: %s", error->message);
  g_set_object (&self->file_info, info);
  lb_properties_pane_finish_loading (self);
}

static void
image_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LbImageInfo) info = lb_image_info_load_finish (result, &error);
  LbPropertiesPane *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LB_PROPERTIES_PANE (user_data);
  /* Not an image, or a broken one: only the file's rows. */
  g_set_object (&self->image_info, info);
  lb_properties_pane_finish_loading (self);
}

static void
lb_properties_pane_cancel (LbPropertiesPane *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->n_pending = 0;
}

static void
lb_properties_pane_load (LbPropertiesPane *self)
{
  if (self->file == NULL || self->shown_file == self->file ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  lb_properties_pane_cancel (self);
  g_clear_object (&self->file_info);
  g_clear_object (&self->image_info);
  g_set_object (&self->shown_file, self->file);

  self->cancellable = g_cancellable_new ();
  self->n_pending = 2;
  g_file_query_info_async (self->file, FILE_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, self->cancellable, file_info_cb, self);
  lb_image_info_load_async (self->file, G_PRIORITY_DEFAULT, self->cancellable,
                            image_info_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
lb_properties_pane_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (lb_properties_pane_parent_class)->map (widget);

  lb_properties_pane_load (LB_PROPERTIES_PANE (widget));
}

static void
lb_properties_pane_dispose (GObject *object)
{
  LbPropertiesPane *self = LB_PROPERTIES_PANE (object);

  lb_properties_pane_cancel (self);
  g_clear_object (&self->file);
  g_clear_object (&self->shown_file);
  g_clear_object (&self->file_info);
  g_clear_object (&self->image_info);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_PROPERTIES_PANE);

  G_OBJECT_CLASS (lb_properties_pane_parent_class)->dispose (object);
}

static void
lb_properties_pane_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LbPropertiesPane *self = LB_PROPERTIES_PANE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, lb_properties_pane_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_properties_pane_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LbPropertiesPane *self = LB_PROPERTIES_PANE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      lb_properties_pane_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_properties_pane_class_init (LbPropertiesPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_properties_pane_dispose;
  object_class->get_property = lb_properties_pane_get_property;
  object_class->set_property = lb_properties_pane_set_property;

  widget_class->map = lb_properties_pane_map;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-properties-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, file_group);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, name_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, size_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, modified_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, format_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, image_group);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, dimensions_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, pages_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, orientation_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, photo_group);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, date_taken_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, camera_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, lens_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, exposure_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, aperture_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, iso_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, focal_length_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, location_row);
  gtk_widget_class_bind_template_child (widget_class, LbPropertiesPane, location_button);
}

static void
lb_properties_pane_init (LbPropertiesPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Nothing to show until a file is read. */
  gtk_widget_set_visible (GTK_WIDGET (self->file_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->image_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->photo_group), FALSE);

#if ADW_CHECK_VERSION (1, 3, 0)
  /* Names, paths and camera models are worth copying. */
  adw_action_row_set_subtitle_selectable (self->name_row, TRUE);
  adw_action_row_set_subtitle_selectable (self->folder_row, TRUE);
  adw_action_row_set_subtitle_selectable (self->camera_row, TRUE);
  adw_action_row_set_subtitle_selectable (self->lens_row, TRUE);
#endif
}

void
lb_properties_pane_set_file (LbPropertiesPane *self,
                             GFile            *file)
{
  g_return_if_fail (LB_IS_PROPERTIES_PANE (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  g_clear_object (&self->shown_file);
  lb_properties_pane_cancel (self);
  if (file == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->file_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->image_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->photo_group), FALSE);
    }
  lb_properties_pane_load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

GFile *
lb_properties_pane_get_file (LbPropertiesPane *self)
{
  g_return_val_if_fail (LB_IS_PROPERTIES_PANE (self), NULL);

  return self->file;
}

gboolean
lb_properties_pane_get_loading (LbPropertiesPane *self)
{
  g_return_val_if_fail (LB_IS_PROPERTIES_PANE (self), FALSE);

  return self->n_pending > 0;
}
