/* lb-location-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-location-entry"

#include <glib/gi18n.h>

#include "lb-location-entry.h"

#define MAX_COMPLETIONS   8
/* A folder with more subfolders than this completes from the first ones. */
#define MAX_LISTED        10000
#define LIST_BATCH        256

struct _LbLocationEntry
{
  GtkWidget     parent_instance;

  GtkEntry     *entry;
  GtkPopover   *popover;
  GtkListBox   *list;

  GFile        *listed;        /* the folder whose subfolders are known */
  GPtrArray    *subfolders;    /* display names, sorted */
  GCancellable *listing;
  char         *folder_text;   /* the text up to the last slash */
  char         *prefix;        /* what follows it */
  GStrv         completions;   /* offered now */
  gboolean      setting_text;
};

G_DEFINE_FINAL_TYPE (LbLocationEntry, lb_location_entry, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_LOCATION,
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GFile *
file_for_text (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (stripped[0] == '\0')
    return NULL;

  if (stripped[0] == '~' && (stripped[1] == '\0' || stripped[1] == '/'))
    {
      g_autofree char *path = g_build_filename (g_get_home_dir (), stripped + 1, NULL);

      return g_file_new_for_path (path);
    }

  return g_file_parse_name (stripped);
}

GFile *
lb_location_entry_get_file (LbLocationEntry *self)
{
  g_return_val_if_fail (LB_IS_LOCATION_ENTRY (self), NULL);

  return file_for_text (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

GStrv
lb_location_entry_get_completions (LbLocationEntry *self)
{
  g_return_val_if_fail (LB_IS_LOCATION_ENTRY (self), NULL);

  return self->completions;
}

static void
lb_location_entry_hide_completions (LbLocationEntry *self)
{
  g_clear_pointer (&self->completions, g_strfreev);
  gtk_popover_popdown (self->popover);
}

/* Offers the known subfolders that start with the typed prefix. */
static void
lb_location_entry_show_completions (LbLocationEntry *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *folded_prefix = NULL;
  GtkWidget *row;
  guint n = 0;

  g_clear_pointer (&self->completions, g_strfreev);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, row);

  if (self->subfolders == NULL || self->prefix == NULL)
    {
      gtk_popover_popdown (self->popover);
      return;
    }

  folded_prefix = g_utf8_casefold (self->prefix, -1);
  for (guint i = 0; i < self->subfolders->len && n < MAX_COMPLETIONS; i++)
    {
      const char *name = g_ptr_array_index (self->subfolders, i);
      g_autofree char *folded = g_utf8_casefold (name, -1);
      GtkWidget *label;

      /* Hidden folders only for a prefix that asks for them. */
      if (name[0] == '.' && self->prefix[0] != '.')
        continue;
      if (!g_str_has_prefix (folded, folded_prefix) || g_str_equal (name, self->prefix))
        continue;

      g_strv_builder_add (builder, name);
      label = gtk_label_new (name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_list_box_append (self->list, label);
      /* The focus stays in the entry, where typing goes on. */
      gtk_widget_set_focusable (gtk_widget_get_parent (label), FALSE);
      n++;
    }

  self->completions = g_strv_builder_end (builder);
  if (n == 0)
    {
      gtk_popover_popdown (self->popover);
      return;
    }

  gtk_widget_set_size_request (GTK_WIDGET (self->popover),
                               gtk_widget_get_width (GTK_WIDGET (self->entry)), -1);
  gtk_popover_popup (self->popover);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

typedef struct {
  LbLocationEntry *self;
  GPtrArray       *names;
  GCancellable    *cancellable;
} Listing;

static void
listing_free (Listing *listing)
{
  g_object_unref (listing->self);
  g_ptr_array_unref (listing->names);
  g_object_unref (listing->cancellable);
  g_free (listing);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Listing, listing_free)

static void
next_files_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Listing) listing = user_data;
  GFileEnumerator *enumerator = G_FILE_ENUMERATOR (object);
  LbLocationEntry *self = listing->self;
  g_autoptr(GError) error = NULL;
  GList *infos;

  infos = g_file_enumerator_next_files_finish (enumerator, result, &error);
  if (g_cancellable_is_cancelled (listing->cancellable))
    {
      g_list_free_full (infos, g_object_unref);
      return;
    }

  for (GList *l = infos; l != NULL; l = l->next)
    {
      GFileInfo *info = l->data;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        g_ptr_array_add (listing->names, g_strdup (g_file_info_get_display_name (info)));
    }

  if (infos != NULL && listing->names->len < MAX_LISTED)
    {
      GCancellable *cancellable = listing->cancellable;

      g_list_free_full (infos, g_object_unref);
      g_file_enumerator_next_files_async (enumerator, LIST_BATCH, G_PRIORITY_DEFAULT,
                                          cancellable, next_files_cb, g_steal_pointer (&listing));
      return;
    }

  g_list_free_full (infos, g_object_unref);
  g_ptr_array_sort (listing->names, compare_names);
  g_clear_pointer (&self->subfolders, g_ptr_array_unref);
  self->subfolders = g_ptr_array_ref (listing->names);
  lb_location_entry_show_completions (self);
}

static void
enumerate_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Listing) listing = user_data;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);
  if (enumerator == NULL)
    {
      /* Not a folder (yet): nothing to offer. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        lb_location_entry_hide_completions (listing->self);
      return;
    }

  cancellable = listing->cancellable;
  g_file_enumerator_next_files_async (enumerator, LIST_BATCH, G_PRIORITY_DEFAULT,
                                      cancellable, next_files_cb, g_steal_pointer (&listing));
}

static void
lb_location_entry_list (LbLocationEntry *self,
                        GFile           *folder)
{
  Listing *listing = g_new0 (Listing, 1);

  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  self->listing = g_cancellable_new ();
  g_set_object (&self->listed, folder);
  g_clear_pointer (&self->subfolders, g_ptr_array_unref);

  listing->self = g_object_ref (self);
  listing->names = g_ptr_array_new_with_free_func (g_free);
  listing->cancellable = g_object_ref (self->listing);
  g_file_enumerate_children_async (folder,
                                   G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                   G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                   G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                                   listing->cancellable, enumerate_cb, listing);
}

static void
text_changed_cb (LbLocationEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  const char *slash = strrchr (text, '/');
  g_autoptr(GFile) folder = NULL;

  if (self->setting_text)
    return;

  g_clear_pointer (&self->folder_text, g_free);
  g_clear_pointer (&self->prefix, g_free);
  if (slash == NULL)
    {
      lb_location_entry_hide_completions (self);
      return;
    }

  self->folder_text = g_strndup (text, slash - text + 1);
  self->prefix = g_strdup (slash + 1);
  folder = file_for_text (self->folder_text);
  if (folder == NULL)
    {
      lb_location_entry_hide_completions (self);
      return;
    }

  if (self->listed != NULL && g_file_equal (folder, self->listed))
    lb_location_entry_show_completions (self);
  else
    lb_location_entry_list (self, folder);
}

static void
lb_location_entry_accept (LbLocationEntry *self,
                          guint            index)
{
  g_autofree char *text = NULL;

  if (self->completions == NULL || index >= g_strv_length (self->completions))
    return;

  /* Into the folder: its subfolders are offered next. */
  text = g_strconcat (self->folder_text, self->completions[index], "/", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

static int
selected_index (LbLocationEntry *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);

  return row != NULL ? gtk_list_box_row_get_index (row) : -1;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LbLocationEntry       *self)
{
  gboolean offering = gtk_widget_get_visible (GTK_WIDGET (self->popover)) &&
                      self->completions != NULL && self->completions[0] != NULL;
  int n = offering ? (int) g_strv_length (self->completions) : 0;
  int index = selected_index (self);

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_Up:
      if (!offering)
        return FALSE;
      index = keyval == GDK_KEY_Down ? (index + 1) % n : (index <= 0 ? n : index) - 1;
      gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
      return TRUE;

    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      if (!offering)
        return FALSE;
      lb_location_entry_accept (self, MAX (index, 0));
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (!offering || index < 0)
        return FALSE;
      lb_location_entry_accept (self, index);
      return TRUE;

    case GDK_KEY_Escape:
      if (offering)
        lb_location_entry_hide_completions (self);
      else
        g_signal_emit (self, signals[SIGNAL_CANCEL], 0);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
activate_cb (LbLocationEntry *self)
{
  g_autoptr(GFile) file = lb_location_entry_get_file (self);

  lb_location_entry_hide_completions (self);
  if (file != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_LOCATION], 0, file);
}

static void
row_activated_cb (LbLocationEntry *self,
                  GtkListBoxRow   *row)
{
  lb_location_entry_accept (self, gtk_list_box_row_get_index (row));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
focus_leave_cb (LbLocationEntry *self)
{
  lb_location_entry_hide_completions (self);
}

void
lb_location_entry_set_location (LbLocationEntry *self,
                                GFile           *location)
{
  g_autofree char *parse_name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (LB_IS_LOCATION_ENTRY (self));
  g_return_if_fail (G_IS_FILE (location));

  parse_name = g_file_get_parse_name (location);
  text = g_str_has_suffix (parse_name, "/") ? g_strdup (parse_name) : g_strconcat (parse_name, "/", NULL);

  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  self->setting_text = FALSE;
  lb_location_entry_hide_completions (self);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static gboolean
lb_location_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (LB_LOCATION_ENTRY (widget)->entry));
}

static void
lb_location_entry_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (LB_LOCATION_ENTRY (widget)->entry), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
lb_location_entry_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  LbLocationEntry *self = LB_LOCATION_ENTRY (widget);

  gtk_widget_allocate (GTK_WIDGET (self->entry), width, height, baseline, NULL);
  /* A popover follows its parent only when told so. */
  gtk_popover_present (self->popover);
}

static void
lb_location_entry_dispose (GObject *object)
{
  LbLocationEntry *self = LB_LOCATION_ENTRY (object);

  g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_clear_object (&self->listed);
  g_clear_pointer (&self->subfolders, g_ptr_array_unref);
  g_clear_pointer (&self->folder_text, g_free);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->completions, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_LOCATION_ENTRY);

  G_OBJECT_CLASS (lb_location_entry_parent_class)->dispose (object);
}

static void
lb_location_entry_class_init (LbLocationEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_location_entry_dispose;

  widget_class->grab_focus = lb_location_entry_grab_focus;
  widget_class->measure = lb_location_entry_measure;
  widget_class->size_allocate = lb_location_entry_size_allocate;

  /**
   * LbLocationEntry::open-location:
   * @location: what the text names when Enter was pressed
   */
  signals[SIGNAL_OPEN_LOCATION] =
    g_signal_new ("open-location", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);
  /**
   * LbLocationEntry::cancel:
   *
   * Escape was pressed with nothing offered.
   */
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/lightbox/Lightbox/lb-location-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, LbLocationEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, LbLocationEntry, popover);
  gtk_widget_class_bind_template_child (widget_class, LbLocationEntry, list);
}

static void
lb_location_entry_init (LbLocationEntry *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Connected here rather than in the template, which then validates
   * without the type being registered. */
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (text_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);

  /* Before the entry moves focus with Tab and the arrows. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);

  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
}
