/* lb-path-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-path-bar"

#include <glib/gi18n.h>

#include "lb-path-bar.h"

struct _LbPathBar
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkBox            *box;

  GFile             *location;
  GFile             *tip;       /* the deepest folder the buttons reach */
};

G_DEFINE_FINAL_TYPE (LbPathBar, lb_path_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOCATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_OPEN_LOCATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The label of one button; names only, so no I/O. */
static char *
crumb_label (GFile       *file,
             const char **icon_name)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *basename = NULL;

  *icon_name = NULL;

  if (g_file_equal (file, home))
    {
      *icon_name = "user-home-symbolic";
      return g_strdup (_("Home"));
    }

  if (parent == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

      if (g_file_is_native (file) || parsed == NULL || g_uri_get_host (parsed) == NULL)
        {
          *icon_name = "drive-harddisk-symbolic";
          return NULL;
        }

      *icon_name = "network-server-symbolic";
      return g_strdup (g_uri_get_host (parsed));
    }

  basename = g_file_get_basename (file);

  return g_filename_display_name (basename);
}

static void
crumb_clicked_cb (GtkButton *button,
                  LbPathBar *self)
{
  GFile *file = g_object_get_data (G_OBJECT (button), "lb-location");

  g_signal_emit (self, signals[SIGNAL_OPEN_LOCATION], 0, file);
}

static GtkWidget *
crumb_new (LbPathBar *self,
           GFile     *file)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *icon_name;
  g_autofree char *label = crumb_label (file, &icon_name);
  g_autofree char *tooltip = g_file_get_parse_name (file);

  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name (icon_name));
  if (label != NULL)
    gtk_box_append (GTK_BOX (content), gtk_label_new (label));

  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label != NULL ? label : _("Computer"),
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "lb-location", g_object_ref (file), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (crumb_clicked_cb), self, 0);

  return button;
}

static gboolean
scroll_to_current_cb (gpointer user_data)
{
  LbPathBar *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (self->scroller);

  /* The current folder is the one to see when the bar is too narrow. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (gtk_widget_has_css_class (child, "current") &&
          gtk_widget_compute_bounds (child, GTK_WIDGET (self->box), &bounds))
        gtk_adjustment_clamp_page (adjustment, bounds.origin.x,
                                   bounds.origin.x + bounds.size.width);
    }

  return G_SOURCE_REMOVE;
}

static void
lb_path_bar_rebuild (LbPathBar *self)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);

  if (self->tip == NULL)
    return;

  /* From the tip up to the top: home when inside it, else the root. */
  for (GFile *file = g_object_ref (self->tip); file != NULL; )
    {
      gboolean top = g_file_equal (file, home);

      g_ptr_array_insert (files, 0, file);
      file = top ? NULL : g_file_get_parent (file);
    }

  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      GtkWidget *crumb = crumb_new (self, file);

      if (i > 0)
        {
          GtkWidget *separator = gtk_label_new ("/");

          gtk_widget_add_css_class (separator, "dim-label");
          gtk_box_append (self->box, separator);
        }

      if (g_file_equal (file, self->location))
        gtk_widget_add_css_class (crumb, "current");
      gtk_box_append (self->box, crumb);
    }

  g_idle_add_full (G_PRIORITY_LOW, scroll_to_current_cb, g_object_ref (self), g_object_unref);
}

void
lb_path_bar_set_location (LbPathBar *self,
                          GFile     *location)
{
  g_return_if_fail (LB_IS_PATH_BAR (self));
  g_return_if_fail (location == NULL || G_IS_FILE (location));

  if (!g_set_object (&self->location, location))
    return;

  /* An ancestor of the tip keeps the deeper buttons. */
  if (location == NULL ||
      self->tip == NULL ||
      !(g_file_equal (location, self->tip) || g_file_has_prefix (self->tip, location)))
    g_set_object (&self->tip, location);

  lb_path_bar_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

GFile *
lb_path_bar_get_location (LbPathBar *self)
{
  g_return_val_if_fail (LB_IS_PATH_BAR (self), NULL);

  return self->location;
}

static void
lb_path_bar_dispose (GObject *object)
{
  LbPathBar *self = LB_PATH_BAR (object);

  g_clear_object (&self->location);
  g_clear_object (&self->tip);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_PATH_BAR);

  G_OBJECT_CLASS (lb_path_bar_parent_class)->dispose (object);
}

static void
lb_path_bar_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LbPathBar *self = LB_PATH_BAR (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_object (value, self->location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_path_bar_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LbPathBar *self = LB_PATH_BAR (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      lb_path_bar_set_location (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_path_bar_class_init (LbPathBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_path_bar_dispose;
  object_class->get_property = lb_path_bar_get_property;
  object_class->set_property = lb_path_bar_set_property;

  properties[PROP_LOCATION] =
    g_param_spec_object ("location", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LbPathBar::open-location:
   * @location: the folder of the button that was clicked
   */
  signals[SIGNAL_OPEN_LOCATION] =
    g_signal_new ("open-location", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-path-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LbPathBar, scroller);
  gtk_widget_class_bind_template_child (widget_class, LbPathBar, box);

  gtk_widget_class_set_css_name (widget_class, "pathbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lb_path_bar_init (LbPathBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
