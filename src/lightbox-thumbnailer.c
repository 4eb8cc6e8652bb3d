/* lightbox-thumbnailer.c: fills the shared thumbnail cache from the command line
 *
 *   lightbox-thumbnailer [--size=SIZE] [--jobs=N] [--recursive] [--force] PATH…
 *   lightbox-thumbnailer -s PIXELS INPUT-URI OUTPUT-PNG     (thumbnailer spec)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-thumbnailer"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "lb-folder-enumerate.h"
#include "lb-thumbnail-file.h"
#include "lb-thumbnail-png.h"
#include "lb-thumbnail-render.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

#define EXIT_USAGE            1
#define EXIT_UNREADABLE       2
#define EXIT_CACHE_UNWRITABLE 3

#define ENUMERATE_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE

/* Redraw the progress bar at most this often. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

typedef struct {
  LbThumbnailScheduler *scheduler;
  LbThumbnailSize       size;
  LbThumbnailFlags      flags;
  gboolean              recursive;
  gboolean              show_progress;

  GPtrArray            *files;       /* GFile, to thumbnail */
  gboolean              unreadable;  /* a path could not be read */
  gboolean              unwritable;  /* the cache could not be written */

  guint                 n_done;
  guint                 n_made;
  guint                 n_valid;
  guint                 n_failed;
  gint64                last_progress;
} Run;

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("lightbox-thumbnailer: %s\n", message);
}

/* Folders hold all sorts of files; only those named like an image (or a
 * PDF) are worth a thumbnail. Files named on the command line always are. */
static gboolean
content_type_is_image (const char *content_type)
{
  g_autofree char *mime_type = NULL;

  if (content_type == NULL)
    return FALSE;

  mime_type = g_content_type_get_mime_type (content_type);

  return mime_type != NULL &&
         (g_str_has_prefix (mime_type, "image/") ||
          g_str_equal (mime_type, "application/pdf"));
}

static void collect_folder (Run   *run,
                            GFile *folder);

static void
collect_child (GFile     *child,
               GFileInfo *info,
               gpointer   user_data)
{
  Run *run = user_data;

  /* Links to folders are not followed, so trees with loops end. */
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      if (run->recursive)
        collect_folder (run, child);
    }
  else if (content_type_is_image (g_file_info_get_attribute_string (info,
             G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE)))
    {
      g_ptr_array_add (run->files, g_object_ref (child));
    }
}

static void
collect_folder (Run   *run,
                GFile *folder)
{
  g_autoptr(GError) error = NULL;
  LbThumbnailCache *cache = lb_thumbnail_scheduler_get_cache (run->scheduler);

  /* The cache is full of PNGs, none of them to be thumbnailed. */
  if (lb_thumbnail_cache_contains (cache, folder))
    return;

  if (!lb_folder_enumerate (folder, ENUMERATE_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                            NULL, collect_child, run, &error))
    {
      g_autofree char *name = g_file_get_parse_name (folder);

      print_error (_("Cannot read the folder “%s”: %s"), name, error->message);
      run->unreadable = TRUE;
    }
}

static void
collect_path (Run        *run,
              const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  GFileType type;

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL);
  if (type == G_FILE_TYPE_DIRECTORY)
    {
      collect_folder (run, file);
    }
  else if (type == G_FILE_TYPE_UNKNOWN)
    {
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, &error);

      print_error (_("Cannot read “%s”: %s"), path,
                   info == NULL ? error->message : _("Unknown file type"));
      run->unreadable = TRUE;
    }
  else
    {
      g_ptr_array_add (run->files, g_steal_pointer (&file));
    }
}

static void
draw_progress (Run      *run,
               gboolean  final)
{
  const int width = 30;
  guint total = run->files->len;
  int filled = total > 0 ? (int) ((guint64) run->n_done * width / total) : width;
  gint64 now = g_get_monotonic_time ();

  if (!run->show_progress ||
      (!final && now - run->last_progress < PROGRESS_INTERVAL_US))
    return;
  run->last_progress = now;

  g_printerr ("\r[%.*s%*s] %u/%u ", filled,
              "##############################", width - filled, "",
              run->n_done, total);
  if (final)
    g_printerr ("\n");
}

typedef struct {
  Run   *run;
  GFile *file;
} Request;

static void
thumbnail_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree Request *request = user_data;
  Run *run = request->run;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;

  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);

  run->n_done++;
  if (thumbnail == NULL)
    {
      run->n_failed++;
      /* Nothing to write home about when it failed before. */
      if (!g_error_matches (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED))
        {
          g_autofree char *name = g_file_get_parse_name (request->file);

          if (run->show_progress)
            g_printerr ("\r\033[K");
          print_error ("%s: %s", name, error->message);
        }
    }
  else if (lb_thumbnail_get_origin (thumbnail) == LB_THUMBNAIL_ORIGIN_CACHE)
    {
      run->n_valid++;
    }
  else
    {
      run->n_made++;
    }

  draw_progress (run, run->n_done == run->files->len);
}

/* Emitted once per scheduler: say it once, and fail at the end, since
 * what was asked for, a filled cache, did not happen. */
static void
on_cache_error (LbThumbnailScheduler *scheduler,
                const GError         *error,
                Run                  *run)
{
  LbThumbnailCache *cache = lb_thumbnail_scheduler_get_cache (scheduler);
  g_autofree char *root = g_filename_display_name (lb_thumbnail_cache_get_root (cache));

  run->unwritable = TRUE;
  print_error (_("Thumbnails cannot be saved in %s: %s"), root, error->message);
}

static int
fill_cache (Run *run)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *made = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *summary = NULL;
  double seconds;

  for (guint i = 0; i < run->files->len; i++)
    {
      Request *request = g_new (Request, 1);

      request->run = run;
      request->file = g_ptr_array_index (run->files, i);
      /* In the order given: equal priorities are served first come. */
      lb_thumbnail_scheduler_load_async (run->scheduler, request->file, run->size, run->flags,
                                         G_PRIORITY_DEFAULT, NULL, thumbnail_done_cb, request);
    }

  draw_progress (run, run->files->len == 0);
  while (run->n_done < run->files->len)
    g_main_context_iteration (NULL, TRUE);

  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* Translators: the first count of the summary at the end of a run:
   * thumbnails made */
  made = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u made", "%u made", run->n_made),
                          run->n_made);
  /* Translators: the second count of the summary: thumbnails that were
   * in the cache already, and up to date */
  valid = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u already valid", "%u already valid",
                                        run->n_valid),
                           run->n_valid);
  /* Translators: the third count of the summary: images that could not
   * be thumbnailed */
  failed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", run->n_failed),
                            run->n_failed);
  /* Translators: the summary at the end of a run: the three counts above,
   * then the seconds it took and the thumbnails made or found per second */
  summary = g_strdup_printf (_("%s, %s, %s in %.2f s (%.1f thumbnails/s)"), made, valid, failed,
                             seconds, seconds > 0 ? (run->n_made + run->n_valid) / seconds : 0.0);
  g_print ("%s\n", summary);

  if (run->unwritable)
    return EXIT_CACHE_UNWRITABLE;

  return run->unreadable ? EXIT_UNREADABLE : EXIT_SUCCESS;
}

/* The thumbnailer-spec form: one thumbnail, written where asked. */
static int
thumbnail_one (const char *input,
               const char *output,
               int         pixels)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (input);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *mime_type = NULL;
  LbThumbnailMeta meta = { .uri = uri, .size = -1 };

  g_autofree char *path = g_file_get_path (file);
  const char *content_type;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    goto failed;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (&error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_NOT_REGULAR,
                           _("Not a regular file"));
      goto failed;
    }

  /* Locations such as resource:// have none; the caller, which keeps
   * the thumbnail, knows what it needs. */
  meta.mtime = -1;
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED))
    meta.mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  meta.size = g_file_info_get_size (info);
  content_type = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE);
  if (content_type != NULL)
    mime_type = g_content_type_get_mime_type (content_type);
  meta.mime_type = mime_type;

  /* Local files get the checks of the scheduler's reads: the file may
   * have become a FIFO since the query, or be mostly holes. */
  if (path != NULL)
    bytes = lb_thumbnail_file_read (path, LB_THUMBNAIL_DEFAULT_MAX_FILE_SIZE, NULL, &error);
  else if (meta.size > LB_THUMBNAIL_DEFAULT_MAX_FILE_SIZE)
    g_set_error_literal (&error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE,
                         _("The file is too large"));
  else
    bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes == NULL)
    goto failed;

  image = lb_thumbnail_render (bytes, pixels, LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                               &meta.image_width, &meta.image_height, NULL, &error);
  if (image == NULL || !lb_thumbnail_write_png (image, output, &meta, &error))
    goto failed;

  return EXIT_SUCCESS;

failed:
  print_error ("%s: %s", input, error->message);
  return EXIT_FAILURE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autofree char *size_name = NULL;
  g_auto(GStrv) paths = NULL;
  gboolean force = FALSE;
  gboolean serial = FALSE;
  gboolean version = FALSE;
  int pixels = 0;
  int jobs = 0;
  Run run = { 0, };
  const char *localedir;
  int status;
  const GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_STRING, &size_name,
      /* Translators: the size names are the option's values, not to be translated */
      N_("Thumbnail size: normal, large (default), x-large or xx-large"), N_("SIZE") },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
      /* Translators: N is the option's argument, as in the next message */
      N_("Decode N images at once (default: one per core)"),
      /* Translators: the argument of --jobs, a number */
      N_("N") },
    { "recursive", 'r', 0, G_OPTION_ARG_NONE, &run.recursive,
      N_("Also thumbnail the images in subfolders"), NULL },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Make new thumbnails even where valid ones or failures are recorded"), NULL },
    { "serial", 0, 0, G_OPTION_ARG_NONE, &serial,
      N_("Read and decode one file at a time, for benchmarks"), NULL },
    { "pixels", 's', 0, G_OPTION_ARG_INT, &pixels,
      /* Translators: PIXELS as translated below, OUTPUT-PNG as in the
       * description of the program */
      N_("Thumbnailer mode: write one thumbnail of at most PIXELS to OUTPUT-PNG"),
      /* Translators: the argument of --pixels, a number */
      N_("PIXELS") },
    { "version", 'v', 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and quit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* Uninstalled runs and tests use the catalogues in the build folder. */
  localedir = g_getenv ("LIGHTBOX_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Translators: after “Usage: lightbox-thumbnailer [OPTION…]” */
  context = g_option_context_new (_("PATH… — fill the shared thumbnail cache"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    /* Translators: PIXELS as in the help of --pixels; $XDG_CACHE_HOME is
     * an environment variable, not to be translated */
    _("Makes freedesktop thumbnails for the given images and the images in the given "
      "folders, in $XDG_CACHE_HOME/thumbnails, where every desktop application finds them.\n\n"
      "With -s PIXELS INPUT-URI OUTPUT-PNG it works as a desktop thumbnailer instead, "
      "as file managers call it.\n\n"
      "Exit status: 0 when it ran (images that cannot be read are counted as failed), "
      "1 for bad arguments, 2 when a named file or folder could not be read, "
      "3 when the thumbnail cache could not be written."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (version)
    {
      g_print ("lightbox-thumbnailer %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  lb_vips_init (argv[0]);

  if (pixels != 0)
    {
      if (pixels < 1 || pixels > 4096 || paths == NULL || g_strv_length (paths) != 2)
        {
          /* Translators: PIXELS as in the help of --pixels */
          print_error (_("Usage: -s PIXELS INPUT-URI OUTPUT-PNG, with PIXELS from 1 to 4096"));
          return EXIT_USAGE;
        }
      return thumbnail_one (paths[0], paths[1], pixels);
    }

  run.size = LB_THUMBNAIL_SIZE_LARGE;
  if (size_name != NULL && !lb_thumbnail_size_from_name (size_name, &run.size))
    {
      /* Translators: the size names are the values of --size, not to be translated */
      print_error (_("Unknown size “%s”: use normal, large, x-large or xx-large"), size_name);
      return EXIT_USAGE;
    }

  if (jobs < 0 || jobs > 256)
    {
      print_error (_("--jobs takes a number from 1 to 256"));
      return EXIT_USAGE;
    }

  if (paths == NULL)
    {
      print_error (_("Name at least one file or folder (see --help)"));
      return EXIT_USAGE;
    }

  cache = lb_thumbnail_cache_new (NULL);
  run.scheduler = lb_thumbnail_scheduler_new (cache, jobs);
  lb_thumbnail_scheduler_set_serial (run.scheduler, serial);
  g_signal_connect (run.scheduler, "cache-error", G_CALLBACK (on_cache_error), &run);
  run.flags = LB_THUMBNAIL_FLAGS_NO_PIXELS | (force ? LB_THUMBNAIL_FLAGS_FORCE : 0);
  run.show_progress = isatty (STDERR_FILENO);
  run.files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; paths[i] != NULL; i++)
    collect_path (&run, paths[i]);

  status = fill_cache (&run);

  g_ptr_array_unref (run.files);
  g_object_unref (run.scheduler);

  return status;
}
