/* lb-file-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-file-actions"

#include <string.h>

#include <gio/gfiledescriptorbased.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>

#include "lb-file-actions.h"
#include "lb-image-source.h"
#include "lb-texture.h"
#include "lb-trash.h"

/* The clipboard's image of a single file is at most this big: copying a
 * photo should not put hundreds of megabytes on the clipboard. */
#define CLIPBOARD_IMAGE_SIZE 4096

#define PORTAL_BUS_NAME     "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH  "/org/freedesktop/portal/desktop"
#define WALLPAPER_INTERFACE "org.freedesktop.portal.Wallpaper"

/* The rename dialog: AdwAlertDialog where there is one, else its
 * predecessor AdwMessageDialog, which has the same calls. */
#if ADW_CHECK_VERSION (1, 5, 0)
# define RENAME_DIALOG(d)                        ADW_ALERT_DIALOG (d)
# define rename_dialog_add_responses             adw_alert_dialog_add_responses
# define rename_dialog_set_response_enabled      adw_alert_dialog_set_response_enabled
# define rename_dialog_set_response_appearance   adw_alert_dialog_set_response_appearance
# define rename_dialog_set_default_response      adw_alert_dialog_set_default_response
# define rename_dialog_set_close_response        adw_alert_dialog_set_close_response
# define rename_dialog_set_extra_child           adw_alert_dialog_set_extra_child
#else
# define RENAME_DIALOG(d)                        ADW_MESSAGE_DIALOG (d)
# define rename_dialog_add_responses             adw_message_dialog_add_responses
# define rename_dialog_set_response_enabled      adw_message_dialog_set_response_enabled
# define rename_dialog_set_response_appearance   adw_message_dialog_set_response_appearance
# define rename_dialog_set_default_response      adw_message_dialog_set_default_response
# define rename_dialog_set_close_response        adw_message_dialog_set_close_response
# define rename_dialog_set_extra_child           adw_message_dialog_set_extra_child
#endif

struct _LbFileActions
{
  GObject             parent_instance;

  GSimpleActionGroup *group;
  GtkWidget          *widget;   /* weak */
  GPtrArray          *files;
  GMenuModel         *menu;
  gboolean            can_set_wallpaper;
};

G_DEFINE_FINAL_TYPE (LbFileActions, lb_file_actions, G_TYPE_OBJECT)

enum {
  RENAMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- helpers ------------------------------------------------------------- */

static GtkWindow *
lb_file_actions_get_window (LbFileActions *self)
{
  GtkRoot *root = self->widget != NULL ? gtk_widget_get_root (self->widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* The toast overlay around what has the focus, else around the widget. */
static void
lb_file_actions_add_toast (LbFileActions *self,
                           AdwToast      *toast)
{
  GtkRoot *root = self->widget != NULL ? gtk_widget_get_root (self->widget) : NULL;
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *overlay = NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, self->widget))
    overlay = gtk_widget_get_ancestor (focus, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL && self->widget != NULL)
    overlay = gtk_widget_get_ancestor (self->widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      g_message ("%s", adw_toast_get_title (toast));
      g_object_unref (g_object_ref_sink (toast));
    }
}

static char *
file_get_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename != NULL ? basename : "");
}

typedef enum
{
  FAILED_OPEN,
  FAILED_SHOW,
  FAILED_RENAME,
  FAILED_TRASH,
  FAILED_WALLPAPER,
} Failure;

/* Tells that @failure happened to @file, unless the person cancelled it. */
static void
lb_file_actions_report (LbFileActions *self,
                        Failure        failure,
                        GFile         *file,
                        const GError  *error)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) ||
      g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    return;
#endif

  name = file_get_display_name (file);
  switch (failure)
    {
    case FAILED_OPEN:
      title = g_strdup_printf (_("Could not open “%s”"), name);
      break;
    case FAILED_SHOW:
      title = g_strdup_printf (_("Could not show “%s” in Files"), name);
      break;
    case FAILED_RENAME:
      title = g_strdup_printf (_("Could not rename “%s”: %s"), name, error->message);
      break;
    case FAILED_TRASH:
      title = g_strdup_printf (_("Could not move “%s” to the trash: %s"), name, error->message);
      break;
    case FAILED_WALLPAPER:
      title = g_strdup_printf (_("Could not set “%s” as wallpaper"), name);
      break;
    default:
      g_assert_not_reached ();
    }

  g_debug ("%s: %s", title, error->message);
  lb_file_actions_add_toast (self, adw_toast_new (title));
}

static GFile *
lb_file_actions_get_single_file (LbFileActions *self)
{
  return self->files->len == 1 ? g_ptr_array_index (self->files, 0) : NULL;
}

static void
lb_file_actions_update (LbFileActions *self)
{
  static const char * const any[] = { "open", "show-in-files", "copy", "copy-path", "trash" };
  static const char * const single[] = { "open-with", "rename" };
  guint n = self->files->len;
  GAction *action;

  for (gsize i = 0; i < G_N_ELEMENTS (any); i++)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (self->group), any[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), n > 0);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (single); i++)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (self->group), single[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), n == 1);
    }

  action = g_action_map_lookup_action (G_ACTION_MAP (self->group), "set-wallpaper");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), n == 1 && self->can_set_wallpaper);
}

/* --- open ---------------------------------------------------------------- */

typedef struct
{
  LbFileActions *self;
  GFile         *file;
} FileOperation;

static FileOperation *
file_operation_new (LbFileActions *self,
                    GFile         *file)
{
  FileOperation *operation = g_new0 (FileOperation, 1);

  operation->self = g_object_ref (self);
  operation->file = g_object_ref (file);

  return operation;
}

static void
file_operation_free (FileOperation *operation)
{
  g_object_unref (operation->self);
  g_object_unref (operation->file);
  g_free (operation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileOperation, file_operation_free)

#if GTK_CHECK_VERSION (4, 10, 0)
static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error))
    lb_file_actions_report (operation->self, FAILED_OPEN, operation->file, error);
}

static void
lb_file_actions_launch (LbFileActions *self,
                        GFile         *file,
                        gboolean       always_ask)
{
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_file_launcher_set_always_ask (launcher, always_ask);
#endif
  gtk_file_launcher_launch (launcher, lb_file_actions_get_window (self), NULL,
                            launched_cb, file_operation_new (self, file));
}
#else
static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    lb_file_actions_report (operation->self, FAILED_OPEN, operation->file, error);
}

static void
lb_file_actions_launch (LbFileActions *self,
                        GFile         *file,
                        gboolean       always_ask)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autofree char *uri = g_file_get_uri (file);

  if (self->widget != NULL)
    context = gdk_display_get_app_launch_context (gtk_widget_get_display (self->widget));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           launched_cb, file_operation_new (self, file));
}
#endif

static void
open_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LbFileActions *self = user_data;

  for (guint i = 0; i < self->files->len; i++)
    lb_file_actions_launch (self, g_ptr_array_index (self->files, i), FALSE);
}

#if !GTK_CHECK_VERSION (4, 12, 0)
/* Before GtkFileLauncher could always ask: GtkAppChooserDialog, which
 * GTK 4.10 deprecated in favour of exactly that. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
app_launched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_uris_finish (G_APP_INFO (object), result, &error))
    lb_file_actions_report (operation->self, FAILED_OPEN, operation->file, error);
}

static void
app_chosen_cb (GtkDialog     *dialog,
               int            response,
               FileOperation *operation)
{
  if (response == GTK_RESPONSE_OK)
    {
      g_autoptr(GAppInfo) app = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));
      g_autoptr(GdkAppLaunchContext) context = NULL;
      g_autofree char *uri = g_file_get_uri (operation->file);
      GList uris = { .data = uri };

      context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (dialog)));
      if (app != NULL)
        g_app_info_launch_uris_async (app, &uris, G_APP_LAUNCH_CONTEXT (context), NULL,
                                      app_launched_cb,
                                      file_operation_new (operation->self, operation->file));
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
  file_operation_free (operation);
}

static void
content_type_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  GtkWidget *dialog;

  if (info == NULL)
    {
      lb_file_actions_report (operation->self, FAILED_OPEN, operation->file, error);
      return;
    }

  dialog = gtk_app_chooser_dialog_new_for_content_type (lb_file_actions_get_window (operation->self),
                                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                        g_file_info_get_content_type (info));
  g_signal_connect (dialog, "response", G_CALLBACK (app_chosen_cb), g_steal_pointer (&operation));
  gtk_window_present (GTK_WINDOW (dialog));
}

G_GNUC_END_IGNORE_DEPRECATIONS
#endif

static void
open_with_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  LbFileActions *self = user_data;
  GFile *file = lb_file_actions_get_single_file (self);

  g_return_if_fail (file != NULL);

#if GTK_CHECK_VERSION (4, 12, 0)
  lb_file_actions_launch (self, file, TRUE);
#else
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, NULL, content_type_cb,
                           file_operation_new (self, file));
#endif
}

/* --- show in files ------------------------------------------------------- */

static void
shown_in_files_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object),
                                                             result, &error);
  g_autoptr(GFile) folder = NULL;

  if (reply != NULL)
    return;

  /* No file manager speaks FileManager1: open the folder at least. */
  g_debug ("ShowItems: %s", error->message);
  folder = g_file_get_parent (operation->file);
  if (folder != NULL)
    lb_file_actions_launch (operation->self, folder, FALSE);
}

static void
session_bus_for_show_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  LbFileActions *self = operation->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);
  g_autoptr(GVariantBuilder) uris = g_variant_builder_new (G_VARIANT_TYPE ("as"));

  if (bus == NULL)
    {
      lb_file_actions_report (self, FAILED_SHOW, operation->file, error);
      return;
    }

  for (guint i = 0; i < self->files->len; i++)
    {
      g_autofree char *uri = g_file_get_uri (g_ptr_array_index (self->files, i));

      g_variant_builder_add (uris, "s", uri);
    }

  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(ass)", uris, ""),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          shown_in_files_cb, g_steal_pointer (&operation));
}

static void
show_in_files_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  LbFileActions *self = user_data;

  g_return_if_fail (self->files->len > 0);

  g_bus_get (G_BUS_TYPE_SESSION, NULL, session_bus_for_show_cb,
             file_operation_new (self, g_ptr_array_index (self->files, 0)));
}

/* --- copy ---------------------------------------------------------------- */

GdkContentProvider *
lb_file_actions_create_content (LbFileActions *self)
{
  g_autoptr(GString) copied = g_string_new ("copy");
  g_autoptr(GBytes) copied_bytes = NULL;
  GdkContentProvider *providers[2];
  GdkFileList *list;

  g_return_val_if_fail (LB_IS_FILE_ACTIONS (self), NULL);

  for (guint i = 0; i < self->files->len; i++)
    {
      g_autofree char *uri = g_file_get_uri (g_ptr_array_index (self->files, i));

      g_string_append_printf (copied, "\n%s", uri);
    }
  copied_bytes = g_string_free_to_bytes (g_steal_pointer (&copied));

  list = gdk_file_list_new_from_array ((GFile **) self->files->pdata, self->files->len);
  providers[0] = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, list);
  providers[1] = gdk_content_provider_new_for_bytes ("x-special/gnome-copied-files", copied_bytes);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);

  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

typedef struct
{
  LbFileActions      *self;
  GdkClipboard       *clipboard;
  GdkContentProvider *files;
} ClipboardImage;

static void
clipboard_image_free (ClipboardImage *copy)
{
  g_object_unref (copy->self);
  g_object_unref (copy->clipboard);
  g_object_unref (copy->files);
  g_free (copy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClipboardImage, clipboard_image_free)

static void
clipboard_image_rendered_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(ClipboardImage) copy = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LbRendition) rendition = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkContentProvider *providers[2];

  rendition = lb_image_source_render_finish (LB_IMAGE_SOURCE (object), result, &error);
  /* Something else was copied meanwhile: leave it. */
  if (rendition == NULL || gdk_clipboard_get_content (copy->clipboard) != copy->files)
    return;

  texture = lb_texture_new_for_rendition (rendition, 0);

  /* Files first: a file manager pastes the file, an editor the picture. */
  providers[0] = g_object_ref (copy->files);
  providers[1] = gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, texture);
  gdk_clipboard_set_content (copy->clipboard,
                             gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers)));
}

static void
clipboard_image_opened_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(ClipboardImage) copy = user_data;
  g_autoptr(LbImageSource) source = lb_image_source_open_finish (result, NULL);

  /* Not an image: the file alone is on the clipboard. */
  if (source == NULL)
    return;

  lb_image_source_render_async (source, CLIPBOARD_IMAGE_SIZE, CLIPBOARD_IMAGE_SIZE,
                                G_PRIORITY_DEFAULT, NULL,
                                clipboard_image_rendered_cb, g_steal_pointer (&copy));
}

static void
copy_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  LbFileActions *self = user_data;
  g_autoptr(GdkContentProvider) content = NULL;
  GdkClipboard *clipboard;
  GFile *file;

  g_return_if_fail (self->widget != NULL && self->files->len > 0);

  clipboard = gtk_widget_get_clipboard (self->widget);
  content = lb_file_actions_create_content (self);
  gdk_clipboard_set_content (clipboard, content);

  /* One image is also copied as a picture, once decoded. */
  file = lb_file_actions_get_single_file (self);
  if (file != NULL)
    {
      ClipboardImage *copy = g_new0 (ClipboardImage, 1);

      copy->self = g_object_ref (self);
      copy->clipboard = g_object_ref (clipboard);
      copy->files = g_object_ref (content);
      lb_image_source_open_async (file, G_PRIORITY_DEFAULT, NULL, clipboard_image_opened_cb, copy);
    }

  lb_file_actions_add_toast (self, adw_toast_new (g_dngettext (GETTEXT_PACKAGE,
                                                               "File copied",
                                                               "Files copied",
                                                               self->files->len)));
}

static void
copy_path_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  LbFileActions *self = user_data;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (self->widget != NULL && self->files->len > 0);

  for (guint i = 0; i < self->files->len; i++)
    {
      g_autofree char *name = g_file_get_parse_name (g_ptr_array_index (self->files, i));

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, name);
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (self->widget), text->str);
  lb_file_actions_add_toast (self, adw_toast_new (g_dngettext (GETTEXT_PACKAGE,
                                                               "Path copied",
                                                               "Paths copied",
                                                               self->files->len)));
}

/* --- rename -------------------------------------------------------------- */

typedef struct
{
  LbFileActions *self;
  GFile         *file;
  char          *name;          /* as shown now */
  GtkWidget     *dialog;
  GtkEditable   *entry;
  GtkLabel      *error_label;
  GCancellable  *check;         /* the running check for an existing file */
} Rename;

static void
rename_free (Rename *rename)
{
  g_cancellable_cancel (rename->check);
  g_clear_object (&rename->check);
  g_object_unref (rename->self);
  g_object_unref (rename->file);
  g_free (rename->name);
  g_free (rename);
}

static void
rename_show_problem (Rename     *rename,
                     const char *problem)
{
  gtk_label_set_text (rename->error_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (rename->error_label), problem != NULL);
}

static void
rename_existing_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  Rename *rename;

  /* Cancelled: the name changed again, or the dialog is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  rename = user_data;
  g_clear_object (&rename->check);

  if (info != NULL)
    {
      rename_show_problem (rename, g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY
                                   ? _("A folder with this name already exists")
                                   : _("A file with this name already exists"));
      return;
    }

  rename_dialog_set_response_enabled (RENAME_DIALOG (rename->dialog), "rename", TRUE);
}

static void
rename_entry_changed_cb (GtkEditable *entry,
                         Rename      *rename)
{
  const char *name = gtk_editable_get_text (entry);
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GFile) target = NULL;
  const char *problem = NULL;
  gboolean valid = TRUE;

  g_cancellable_cancel (rename->check);
  g_clear_object (&rename->check);
  rename_dialog_set_response_enabled (RENAME_DIALOG (rename->dialog), "rename", FALSE);

  if (name[0] == '\0' || g_str_equal (name, rename->name))
    valid = FALSE;
  else if (strchr (name, '/') != NULL)
    {
      problem = _("Names cannot contain “/”");
      valid = FALSE;
    }
  else if (g_str_equal (name, ".") || g_str_equal (name, ".."))
    {
      problem = _("“.” and “..” are not allowed as names");
      valid = FALSE;
    }
  else if (name[0] == '.' && rename->name[0] != '.')
    {
      /* Allowed, but it surprises: said without refusing. */
      problem = _("Names starting with “.” are hidden");
    }

  rename_show_problem (rename, problem);
  if (!valid)
    return;

  /* Whether the name is taken is for the disk to say, asynchronously. */
  parent = g_file_get_parent (rename->file);
  target = parent != NULL ? g_file_get_child_for_display_name (parent, name, NULL) : NULL;
  if (target == NULL)
    return;

  rename->check = g_cancellable_new ();
  g_file_query_info_async (target, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                           rename->check, rename_existing_cb, rename);
}

static void
renamed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) renamed = g_file_set_display_name_finish (G_FILE (object), result, &error);

  if (renamed == NULL)
    {
      lb_file_actions_report (operation->self, FAILED_RENAME, operation->file, error);
      return;
    }

  g_signal_emit (operation->self, signals[RENAMED], 0, operation->file, renamed);
}

static void
rename_response_cb (GtkWidget  *dialog,
                    const char *response,
                    Rename     *rename)
{
  if (g_str_equal (response, "rename"))
    g_file_set_display_name_async (rename->file, gtk_editable_get_text (rename->entry),
                                   G_PRIORITY_DEFAULT, NULL, renamed_cb,
                                   file_operation_new (rename->self, rename->file));
}

static void
rename_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LbFileActions *self = user_data;
  GFile *file = lb_file_actions_get_single_file (self);
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *label;
  const char *extension;
  Rename *rename;

  g_return_if_fail (file != NULL);

  rename = g_new0 (Rename, 1);
  rename->self = g_object_ref (self);
  rename->file = g_object_ref (file);
  rename->name = file_get_display_name (file);

#if ADW_CHECK_VERSION (1, 5, 0)
  rename->dialog = GTK_WIDGET (adw_alert_dialog_new (_("Rename"), NULL));
#else
  rename->dialog = adw_message_dialog_new (lb_file_actions_get_window (self), _("Rename"), NULL);
#endif
  rename_dialog_add_responses (RENAME_DIALOG (rename->dialog),
                               "cancel", _("_Cancel"),
                               "rename", _("_Rename"),
                               NULL);
  rename_dialog_set_response_appearance (RENAME_DIALOG (rename->dialog), "rename",
                                         ADW_RESPONSE_SUGGESTED);
  rename_dialog_set_default_response (RENAME_DIALOG (rename->dialog), "rename");
  rename_dialog_set_close_response (RENAME_DIALOG (rename->dialog), "cancel");
  rename_dialog_set_response_enabled (RENAME_DIALOG (rename->dialog), "rename", FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("New name"),
                                  -1);
  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), label);
  rename_dialog_set_extra_child (RENAME_DIALOG (rename->dialog), box);
  rename->entry = GTK_EDITABLE (entry);
  rename->error_label = GTK_LABEL (label);

  gtk_editable_set_text (rename->entry, rename->name);
  g_signal_connect (entry, "changed", G_CALLBACK (rename_entry_changed_cb), rename);
  g_signal_connect (rename->dialog, "response", G_CALLBACK (rename_response_cb), rename);
  /* The dialog owns the rename: freed when it goes. */
  g_object_set_data_full (G_OBJECT (rename->dialog), "lb-rename", rename,
                          (GDestroyNotify) rename_free);

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (rename->dialog), self->widget);
#else
  gtk_window_present (GTK_WINDOW (rename->dialog));
#endif

  /* The name without its extension, ready to be typed over. */
  gtk_widget_grab_focus (entry);
  extension = strrchr (rename->name, '.');
  gtk_editable_select_region (rename->entry, 0,
                              extension != NULL && extension != rename->name
                              ? (int) g_utf8_pointer_to_offset (rename->name, extension) : -1);
}

/* --- trash --------------------------------------------------------------- */

typedef struct
{
  LbFileActions *self;
  GPtrArray     *trashed;   /* GFile, as they were before */
  guint          n_pending;
  GFile         *failed;
  GError        *error;
} Trash;

static void
trash_free (Trash *trash)
{
  g_object_unref (trash->self);
  g_ptr_array_unref (trash->trashed);
  g_clear_object (&trash->failed);
  g_clear_error (&trash->error);
  g_free (trash);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LbFileActions) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lb_trash_restore_finish (result, &error))
    {
      g_autofree char *title = g_strdup_printf (_("Could not restore from the trash: %s"),
                                                error->message);

      lb_file_actions_add_toast (self, adw_toast_new (title));
    }
}

static void
trash_closure_notify (gpointer  data,
                      GClosure *closure)
{
  trash_free (data);
}

static void
undo_trash_cb (AdwToast *toast,
               Trash    *trash)
{
  lb_trash_restore_async (trash->trashed, NULL, restored_cb, g_object_ref (trash->self));
}

static void
lb_file_actions_trash_done (Trash *trash)
{
  LbFileActions *self = trash->self;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (trash->failed != NULL)
    lb_file_actions_report (self, FAILED_TRASH, trash->failed, trash->error);

  if (trash->trashed->len == 0)
    {
      trash_free (trash);
      return;
    }

  if (trash->trashed->len == 1)
    {
      g_autofree char *name = file_get_display_name (g_ptr_array_index (trash->trashed, 0));

      title = g_strdup_printf (_("“%s” moved to the trash"), name);
    }
  else
    {
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u file moved to the trash",
                                            "%u files moved to the trash",
                                            trash->trashed->len),
                               trash->trashed->len);
    }

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_trash_cb), trash,
                         trash_closure_notify, 0);
  lb_file_actions_add_toast (self, toast);
}

typedef struct
{
  Trash *trash;
  GFile *file;
} TrashOne;

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TrashOne *one = user_data;
  Trash *trash = one->trash;
  g_autoptr(GError) error = NULL;

  if (g_file_trash_finish (G_FILE (object), result, &error))
    g_ptr_array_add (trash->trashed, g_object_ref (one->file));
  else if (trash->failed == NULL)
    {
      trash->failed = g_object_ref (one->file);
      trash->error = g_steal_pointer (&error);
    }

  g_object_unref (one->file);
  g_free (one);

  if (--trash->n_pending == 0)
    lb_file_actions_trash_done (trash);
}

static void
trash_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LbFileActions *self = user_data;
  Trash *trash;

  g_return_if_fail (self->files->len > 0);

  trash = g_new0 (Trash, 1);
  trash->self = g_object_ref (self);
  trash->trashed = g_ptr_array_new_with_free_func (g_object_unref);
  trash->n_pending = self->files->len;

  for (guint i = 0; i < self->files->len; i++)
    {
      TrashOne *one = g_new0 (TrashOne, 1);

      one->trash = trash;
      one->file = g_object_ref (g_ptr_array_index (self->files, i));
      g_file_trash_async (one->file, G_PRIORITY_DEFAULT, NULL, trashed_cb, one);
    }
}

/* --- wallpaper ----------------------------------------------------------- */

static void
wallpaper_set_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FileOperation) operation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), NULL,
                                                           result, &error);
  if (reply == NULL)
    lb_file_actions_report (operation->self, FAILED_WALLPAPER, operation->file, error);
}

static GVariant *
wallpaper_options (void)
{
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  /* The portal shows a preview and asks before anything changes. */
  g_variant_builder_add (&options, "{sv}", "show-preview", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&options, "{sv}", "set-on", g_variant_new_string ("background"));

  return g_variant_builder_end (&options);
}

typedef struct
{
  LbFileActions    *self;
  GFile            *file;
  GFileInputStream *stream;
} Wallpaper;

static void
wallpaper_free (Wallpaper *wallpaper)
{
  g_object_unref (wallpaper->self);
  g_object_unref (wallpaper->file);
  g_clear_object (&wallpaper->stream);
  g_free (wallpaper);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Wallpaper, wallpaper_free)

static void
session_bus_for_wallpaper_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(Wallpaper) wallpaper = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);
  g_autoptr(GUnixFDList) fds = NULL;
  g_autofree char *uri = NULL;
  FileOperation *operation;

  if (bus == NULL)
    {
      lb_file_actions_report (wallpaper->self, FAILED_WALLPAPER, wallpaper->file, error);
      return;
    }

  operation = file_operation_new (wallpaper->self, wallpaper->file);

  /* A file descriptor reaches the portal from inside a sandbox too. */
  if (wallpaper->stream != NULL && G_IS_FILE_DESCRIPTOR_BASED (wallpaper->stream))
    {
      int fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (wallpaper->stream));

      fds = g_unix_fd_list_new ();
      if (g_unix_fd_list_append (fds, fd, NULL) == 0)
        {
          g_dbus_connection_call_with_unix_fd_list (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                                                    WALLPAPER_INTERFACE, "SetWallpaperFile",
                                                    g_variant_new ("(sh@a{sv})", "", 0,
                                                                   wallpaper_options ()),
                                                    NULL, G_DBUS_CALL_FLAGS_NONE, -1, fds, NULL,
                                                    wallpaper_set_cb, operation);
          return;
        }
    }

  uri = g_file_get_uri (wallpaper->file);
  g_dbus_connection_call_with_unix_fd_list (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                                            WALLPAPER_INTERFACE, "SetWallpaperURI",
                                            g_variant_new ("(ss@a{sv})", "", uri, wallpaper_options ()),
                                            NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL,
                                            wallpaper_set_cb, operation);
}

static void
wallpaper_file_opened_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Wallpaper *wallpaper = user_data;

  /* Without a stream, the portal gets the URI. */
  wallpaper->stream = g_file_read_finish (G_FILE (object), result, NULL);
  g_bus_get (G_BUS_TYPE_SESSION, NULL, session_bus_for_wallpaper_cb, wallpaper);
}

static void
set_wallpaper_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  LbFileActions *self = user_data;
  GFile *file = lb_file_actions_get_single_file (self);
  Wallpaper *wallpaper;

  g_return_if_fail (file != NULL);

  wallpaper = g_new0 (Wallpaper, 1);
  wallpaper->self = g_object_ref (self);
  wallpaper->file = g_object_ref (file);
  g_file_read_async (file, G_PRIORITY_DEFAULT, NULL, wallpaper_file_opened_cb, wallpaper);
}

static void
wallpaper_version_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(LbFileActions) self = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object),
                                                             result, NULL);

  /* Only offered where a portal answers for wallpapers. */
  self->can_set_wallpaper = reply != NULL;
  lb_file_actions_update (self);
}

static void
session_bus_for_portal_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(LbFileActions) self = user_data;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, NULL);

  if (bus == NULL)
    return;

  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", WALLPAPER_INTERFACE, "version"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          wallpaper_version_cb, g_steal_pointer (&self));
}

/* --- GObject ------------------------------------------------------------- */

static const GActionEntry action_entries[] = {
  { .name = "open", .activate = open_activated },
  { .name = "open-with", .activate = open_with_activated },
  { .name = "show-in-files", .activate = show_in_files_activated },
  { .name = "copy", .activate = copy_activated },
  { .name = "copy-path", .activate = copy_path_activated },
  { .name = "rename", .activate = rename_activated },
  { .name = "trash", .activate = trash_activated },
  { .name = "set-wallpaper", .activate = set_wallpaper_activated },
};

static const struct {
  const char *trigger;
  const char *action;
} shortcuts[] = {
  { "<Control>Return", "file.open" },
  { "<Control><Shift>Return", "file.open-with" },
  { "<Control><Alt>o", "file.show-in-files" },
  { "<Control>c", "file.copy" },
  { "<Control><Shift>c", "file.copy-path" },
  { "F2", "file.rename" },
  { "Delete", "file.trash" },
  { "KP_Delete", "file.trash" },
  { "<Control>F8", "file.set-wallpaper" },
};

static void
lb_file_actions_dispose (GObject *object)
{
  LbFileActions *self = LB_FILE_ACTIONS (object);

  g_clear_weak_pointer (&self->widget);
  g_clear_object (&self->group);
  g_clear_object (&self->menu);
  g_clear_pointer (&self->files, g_ptr_array_unref);

  G_OBJECT_CLASS (lb_file_actions_parent_class)->dispose (object);
}

static void
lb_file_actions_class_init (LbFileActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_file_actions_dispose;

  /* (GFile *old, GFile *new): a rename went through. */
  signals[RENAMED] = g_signal_new ("renamed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_FILE);
}

static void
lb_file_actions_init (LbFileActions *self)
{
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->group = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->group), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  lb_file_actions_update (self);

  g_bus_get (G_BUS_TYPE_SESSION, NULL, session_bus_for_portal_cb, g_object_ref (self));
}

LbFileActions *
lb_file_actions_new (void)
{
  return g_object_new (LB_TYPE_FILE_ACTIONS, NULL);
}

void
lb_file_actions_attach (LbFileActions *self,
                        GtkWidget     *widget)
{
  GtkEventController *controller;

  g_return_if_fail (LB_IS_FILE_ACTIONS (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (self->widget == NULL);

  g_set_weak_pointer (&self->widget, widget);
  gtk_widget_insert_action_group (widget, "file", G_ACTION_GROUP (self->group));
  /* The actions run with the LbFileActions: it lives as long as they do. */
  g_object_set_data_full (G_OBJECT (widget), "lb-file-actions", g_object_ref (self), g_object_unref);

  /* Bubbling: a text entry inside keeps Delete and Ctrl+C for itself. */
  controller = gtk_shortcut_controller_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (shortcuts[i].trigger),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (widget, controller);
}

void
lb_file_actions_set_files (LbFileActions *self,
                           GPtrArray     *files)
{
  g_return_if_fail (LB_IS_FILE_ACTIONS (self));
  g_return_if_fail (files != NULL);

  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (self->files, g_object_ref (g_ptr_array_index (files, i)));

  lb_file_actions_update (self);
}

GPtrArray *
lb_file_actions_get_files (LbFileActions *self)
{
  g_return_val_if_fail (LB_IS_FILE_ACTIONS (self), NULL);

  return self->files;
}

GMenuModel *
lb_file_actions_get_menu (LbFileActions *self)
{
  g_return_val_if_fail (LB_IS_FILE_ACTIONS (self), NULL);

  if (self->menu == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/lightbox/Lightbox/lb-file-menu.ui");

      self->menu = g_object_ref (G_MENU_MODEL (gtk_builder_get_object (builder, "file_menu")));
    }

  return self->menu;
}

static void
unparent_popover (gpointer popover)
{
  gtk_widget_unparent (popover);
  g_object_unref (popover);
}

/* Parents that are not menu buttons (the grid) do not present their
 * popovers again as they grow: once the items know their actions, the
 * menu gets its size here, measured anew (the size measured at popup,
 * cached, left the last items cut off). */
static void
present_popover (gpointer popover)
{
  if (gtk_widget_get_parent (popover) != NULL && gtk_widget_get_visible (popover))
    {
      gtk_widget_queue_resize (popover);
      gtk_popover_present (popover);
    }
  g_object_unref (popover);
}

static void
parent_unrealized_cb (GtkWidget *popover)
{
  gtk_widget_unparent (popover);
}

static void
popover_closed_cb (GtkPopover *popover)
{
  /* After the menu item's action ran: unparenting first would lose it. */
  g_idle_add_once (unparent_popover, g_object_ref (popover));
}

void
lb_file_actions_popup_menu (LbFileActions *self,
                            GtkWidget     *parent,
                            double         x,
                            double         y)
{
  GtkWidget *popover;

  g_return_if_fail (LB_IS_FILE_ACTIONS (self));
  g_return_if_fail (GTK_IS_WIDGET (parent));

  popover = gtk_popover_menu_new_from_model (lb_file_actions_get_menu (self));
  gtk_widget_set_parent (popover, parent);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { x, y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed_cb), NULL);
  /* A window closed before the idle: no popover left on a dead widget. */
  g_signal_connect_object (parent, "unrealize", G_CALLBACK (parent_unrealized_cb),
                           popover, G_CONNECT_SWAPPED);
  gtk_popover_popup (GTK_POPOVER (popover));
  g_idle_add_once (present_popover, g_object_ref (popover));
}
