/* lb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "lb-application.h"
#include "lb-window.h"

struct _LbApplication
{
  AdwApplication        parent_instance;

  LbThumbnailScheduler *scheduler;
};

G_DEFINE_FINAL_TYPE (LbApplication, lb_application, ADW_TYPE_APPLICATION)

LbApplication *
lb_application_new (void)
{
  return g_object_new (LB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/lightbox/Lightbox",
                       NULL);
}

/* One scheduler for the whole process: every window shares the decode
 * threads, so two windows never oversubscribe the cores. */
LbThumbnailScheduler *
lb_application_get_scheduler (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);

  if (self->scheduler == NULL)
    {
      g_autoptr(LbThumbnailCache) cache = lb_thumbnail_cache_new (NULL);

      self->scheduler = lb_thumbnail_scheduler_new (cache, 0);
    }

  return self->scheduler;
}

/* The user's Pictures folder, else home. */
GFile *
lb_application_get_default_folder (void)
{
  const char *pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);

  if (pictures != NULL && g_file_test (pictures, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (pictures);

  return g_file_new_for_path (g_get_home_dir ());
}

static void
lb_application_open_window (LbApplication *self,
                            GFile         *folder)
{
  LbWindow *window = lb_window_new (self);

  lb_window_set_folder (window, folder);
  gtk_window_present (GTK_WINDOW (window));
}

static void
lb_application_activate (GApplication *app)
{
  g_autoptr(GFile) folder = lb_application_get_default_folder ();

  lb_application_open_window (LB_APPLICATION (app), folder);
}

/* A folder opens as itself, any other file opens its folder; files of
 * one folder share a window. */
static void
lb_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  g_autoptr(GHashTable) folders = g_hash_table_new (g_file_hash, (GEqualFunc) g_file_equal);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func (g_object_unref);

  for (int i = 0; i < n_files; i++)
    {
      GFileType type = g_file_query_file_type (files[i], G_FILE_QUERY_INFO_NONE, NULL);
      g_autoptr(GFile) folder = NULL;

      if (type == G_FILE_TYPE_DIRECTORY || type == G_FILE_TYPE_MOUNTABLE)
        folder = g_object_ref (files[i]);
      else
        folder = g_file_get_parent (files[i]);

      if (folder == NULL)
        folder = g_object_ref (files[i]);

      if (!g_hash_table_contains (folders, folder))
        {
          g_hash_table_add (folders, folder);
          g_ptr_array_add (ordered, g_steal_pointer (&folder));
        }
    }

  for (guint i = 0; i < ordered->len; i++)
    lb_application_open_window (LB_APPLICATION (app), g_ptr_array_index (ordered, i));
}

static int
lb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "lightbox", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
lb_application_about (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  static const char *developers[] = { "Lightbox developers", NULL };

#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new ();

  g_object_set (about,
#else
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), window);
  g_object_set (about,
#endif
                "application-name", _("Lightbox"),
                "application-icon", APP_ID,
                "developer-name", _("Lightbox developers"),
                "version", PACKAGE_VERSION,
                "comments", _("Browse big image folders with every thumbnail there before you scroll"),
                "website", "https://github.com/lightbox/lightbox",
                "issue-url", "https://github.com/lightbox/lightbox/issues",
                "license-type", GTK_LICENSE_GPL_3_0,
                "developers", developers,
                /* Translators: put your names here, one per line */
                "translator-credits", _("translator-credits"),
                NULL);

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (about, GTK_WIDGET (window));
#else
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static void
lb_application_new_window (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  g_autoptr(GFile) folder = lb_application_get_default_folder ();

  lb_application_open_window (LB_APPLICATION (user_data), folder);
}

static void
lb_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closing each window lets it save its state first. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (GTK_WINDOW (windows->data));
      windows = next;
    }
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = lb_application_about },
  { .name = "new-window", .activate = lb_application_new_window },
  { .name = "quit", .activate = lb_application_quit },
};

static void
lb_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (lb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window", new_window_accels);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
lb_application_dispose (GObject *object)
{
  LbApplication *self = LB_APPLICATION (object);

  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (lb_application_parent_class)->dispose (object);
}

static void
lb_application_class_init (LbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lb_application_dispose;

  app_class->activate = lb_application_activate;
  app_class->open = lb_application_open;
  app_class->startup = lb_application_startup;
  app_class->handle_local_options = lb_application_handle_local_options;
}

static void
lb_application_init (LbApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[FOLDER|FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Browse the thumbnails of an image folder. "
                                              "Without an argument, opens your Pictures folder."));
}
