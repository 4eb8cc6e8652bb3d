/* lb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-application"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "lb-application.h"
#include "lb-timings.h"
#include "lb-window.h"

/* Thumbnail textures kept in memory by all windows together. */
#define TEXTURE_CACHE_BYTES (160 * 1024 * 1024)

struct _LbApplication
{
  AdwApplication        parent_instance;

  LbThumbnailScheduler *scheduler;
  LbTextureCache       *textures;
  gboolean              quit_when_idle;
  guint                 sigint_source;
  guint                 sigterm_source;
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

static LbWindow *
lb_application_get_lb_window (LbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GList *windows;

  if (LB_IS_WINDOW (window))
    return LB_WINDOW (window);

  for (windows = gtk_application_get_windows (GTK_APPLICATION (self)); windows != NULL; windows = windows->next)
    if (LB_IS_WINDOW (windows->data))
      return LB_WINDOW (windows->data);

  return NULL;
}

/* Said once per run: thumbnails are still shown, only not kept. */
static void
cache_error_cb (LbApplication *self,
                const GError  *error)
{
  LbWindow *window = lb_application_get_lb_window (self);
  g_autofree char *message = g_strdup_printf (_("Thumbnails cannot be saved: %s"), error->message);

  if (window != NULL)
    lb_window_add_toast (window, message);
  else
    g_warning ("%s", message);
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
      g_signal_connect_object (self->scheduler, "cache-error",
                               G_CALLBACK (cache_error_cb), self, G_CONNECT_SWAPPED);
    }

  return self->scheduler;
}

/* Shared too, so that the memory bound holds for all windows. */
LbTextureCache *
lb_application_get_texture_cache (LbApplication *self)
{
  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);

  if (self->textures == NULL)
    self->textures = lb_texture_cache_new (TEXTURE_CACHE_BYTES);

  return self->textures;
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
window_busy_changed_cb (LbWindow      *window,
                        GParamSpec    *pspec,
                        LbApplication *self)
{
  /* --quit-when-idle: listed, and every thumbnail made. */
  if (!lb_window_get_busy (window))
    g_application_quit (G_APPLICATION (self));
}

LbWindow *
lb_application_new_window (LbApplication *self)
{
  LbWindow *window;

  g_return_val_if_fail (LB_IS_APPLICATION (self), NULL);

  window = lb_window_new (GTK_APPLICATION (self),
                          lb_application_get_scheduler (self),
                          lb_application_get_texture_cache (self));

  if (self->quit_when_idle)
    g_signal_connect_object (window, "notify::busy", G_CALLBACK (window_busy_changed_cb), self, 0);

  return window;
}

static void
lb_application_activate (GApplication *app)
{
  LbApplication *self = LB_APPLICATION (app);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *last = g_settings_get_string (settings, "last-folder");
  g_autoptr(GFile) folder = NULL;
  LbWindow *window;

  /* Where the user left off; a folder gone since says so, with a way out. */
  if (last[0] != '\0')
    folder = g_file_new_for_uri (last);
  else
    folder = lb_application_get_default_folder ();

  window = lb_application_new_window (self);
  lb_window_set_folder (window, folder);
  gtk_window_present (GTK_WINDOW (window));
}

/* Finding out which arguments are folders takes I/O: asynchronously. */
typedef struct {
  LbApplication *app;
  GPtrArray     *files;
  GFileType     *types;
  guint          n_pending;
} OpenJob;

static void
open_job_finish (OpenJob *job)
{
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal,
                                                         g_object_unref, NULL);

  /* A folder opens as itself, any other file in its folder, selected;
   * files of one folder share a window. */
  for (guint i = 0; i < job->files->len; i++)
    {
      GFile *file = g_ptr_array_index (job->files, i);
      gboolean is_folder = job->types[i] == G_FILE_TYPE_DIRECTORY ||
                           job->types[i] == G_FILE_TYPE_MOUNTABLE ||
                           job->types[i] == G_FILE_TYPE_UNKNOWN;
      g_autoptr(GFile) folder = is_folder ? g_object_ref (file) : g_file_get_parent (file);
      LbWindow *window;

      if (folder == NULL)
        folder = g_object_ref (file);
      if (g_hash_table_contains (folders, folder))
        continue;
      g_hash_table_add (folders, g_object_ref (folder));

      window = lb_application_new_window (job->app);
      if (is_folder)
        lb_window_set_folder (window, folder);
      else
        lb_window_open_location (window, file);
      gtk_window_present (GTK_WINDOW (window));
    }

  g_application_release (G_APPLICATION (job->app));
  g_object_unref (job->app);
  g_ptr_array_unref (job->files);
  g_free (job->types);
  g_free (job);
}

typedef struct {
  OpenJob *job;
  guint    index;
} OpenQuery;

static void
open_query_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  OpenQuery *query = user_data;
  OpenJob *job = query->job;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, NULL);

  /* Missing or unreadable: shown as a folder, whose page says why. */
  job->types[query->index] = info != NULL ? g_file_info_get_file_type (info) : G_FILE_TYPE_UNKNOWN;
  g_free (query);

  if (--job->n_pending == 0)
    open_job_finish (job);
}

static void
lb_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  OpenJob *job;

  if (n_files <= 0)
    return;

  job = g_new0 (OpenJob, 1);
  job->app = g_object_ref (LB_APPLICATION (app));
  job->files = g_ptr_array_new_with_free_func (g_object_unref);
  job->types = g_new0 (GFileType, n_files);
  job->n_pending = n_files;
  g_application_hold (app);

  for (int i = 0; i < n_files; i++)
    {
      OpenQuery *query = g_new0 (OpenQuery, 1);

      query->job = job;
      query->index = i;
      g_ptr_array_add (job->files, g_object_ref (files[i]));
      g_file_query_info_async (files[i], G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_HIGH, NULL, open_query_cb, query);
    }
}

static int
lb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  LbApplication *self = LB_APPLICATION (app);
  gboolean timings = g_variant_dict_contains (options, "timings");

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "lightbox", PACKAGE_VERSION);
      return 0;
    }

  self->quit_when_idle = g_variant_dict_contains (options, "quit-when-idle");
  if (timings)
    lb_timings_enable ();

  /* Measuring runs in its own process: handed to a running instance,
   * it would time that one, and quit it. */
  if (timings || self->quit_when_idle)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
lb_application_about (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  const char *developers[] = { _("Lightbox developers"), NULL };

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
lb_application_new_window_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  LbApplication *self = LB_APPLICATION (user_data);
  LbWindow *active = lb_application_get_lb_window (self);
  g_autoptr(GFile) folder = NULL;
  LbWindow *window;

  /* The folder of the window it was asked from, as other file managers do. */
  if (active != NULL && lb_window_get_folder (active) != NULL)
    folder = g_object_ref (lb_window_get_folder (active));
  else
    folder = lb_application_get_default_folder ();

  window = lb_application_new_window (self);
  lb_window_set_folder (window, folder);
  gtk_window_present (GTK_WINDOW (window));
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
  { .name = "new-window", .activate = lb_application_new_window_action },
  { .name = "quit", .activate = lb_application_quit },
};

/* Ctrl+C in a terminal, or a benchmark stopping a run: quit properly,
 * saving state and printing what --timings has to say at exit. */
static gboolean
quit_on_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

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

  LB_APPLICATION (app)->sigint_source = g_unix_signal_add (SIGINT, quit_on_signal_cb, app);
  LB_APPLICATION (app)->sigterm_source = g_unix_signal_add (SIGTERM, quit_on_signal_cb, app);
}

static void
lb_application_shutdown (GApplication *app)
{
  LbApplication *self = LB_APPLICATION (app);

  /* Before the windows go: their teardown is no stall of the browsing. */
  lb_timings_finish ();
  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_handle_id (&self->sigterm_source, g_source_remove);

  G_APPLICATION_CLASS (lb_application_parent_class)->shutdown (app);
}

static void
lb_application_dispose (GObject *object)
{
  LbApplication *self = LB_APPLICATION (object);

  g_clear_object (&self->scheduler);
  g_clear_object (&self->textures);

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
  app_class->shutdown = lb_application_shutdown;
  app_class->handle_local_options = lb_application_handle_local_options;
}

static void
lb_application_init (LbApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and quit"), NULL },
    { "timings", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Print “timing NAME MILLISECONDS” lines on standard output: when the window was shown, "
         "the first files listed, the listing complete, the first thumbnail, the first screen of "
         "thumbnails, every thumbnail; at exit the longest stall of the main loop"), NULL },
    { "quit-when-idle", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Quit once the folder is listed and all its thumbnails are made"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[FOLDER|FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Browse the thumbnails of an image folder. Without an "
                                              "argument, opens the folder shown last, else your "
                                              "Pictures folder."));
}
