/* vips-floor.c: the least time any libvips thumbnailer can take
 *
 * Reads every file into memory first (not timed), then thumbnails them
 * all from memory on one thread per core, each thread taking the next
 * file as soon as it is free. The pixels are computed into memory and
 * dropped: no file is read or written while the clock runs.
 *
 *   vips-floor [--size PIXELS] [--threads N] FILE…
 *
 * Prints one line: wall seconds, CPU seconds (user + system) of the
 * timed part, thumbnails made, files that failed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>
#include <vips/vips.h>

typedef struct {
  GBytes **files;
  char   **names;
  guint    n_files;
  guint    pixels;
  guint    next;      /* atomic: the index of the next file to take */
  guint    n_failed;  /* atomic */
} FloorRun;

/* libvips' own defaults (shrink-on-load, auto-rotation): the least work
 * any libvips thumbnailer does. Lightbox's engine does at least this,
 * plus the sRGB conversion of images with an embedded profile. */
static gboolean
thumbnail_one (GBytes *bytes,
               guint   pixels)
{
  VipsImage *thumbnail = NULL;
  gsize len;
  const void *buf = g_bytes_get_data (bytes, &len);
  void *pixels_out;
  size_t out_len;

  if (vips_thumbnail_buffer ((void *) buf, len, &thumbnail, pixels,
                             "height", pixels,
                             NULL) != 0)
    return FALSE;

  /* Nothing is decoded until the pixels are asked for. */
  pixels_out = vips_image_write_to_memory (thumbnail, &out_len);
  g_object_unref (thumbnail);
  g_free (pixels_out);

  return pixels_out != NULL;
}

static gpointer
worker (gpointer data)
{
  FloorRun *run = data;
  guint i;

  while ((i = g_atomic_int_add (&run->next, 1)) < run->n_files)
    {
      if (!thumbnail_one (run->files[i], run->pixels))
        {
          g_printerr ("vips-floor: %s: %s", run->names[i], vips_error_buffer ());
          vips_error_clear ();
          g_atomic_int_inc (&run->n_failed);
        }
    }

  vips_thread_shutdown ();

  return NULL;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  int size = 256;
  int threads = 0;
  GOptionEntry entries[] = {
    { "size", 's', 0, G_OPTION_ARG_INT, &size, "Largest side in pixels", "PIXELS" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &threads, "Threads, 0 for one per core", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE…");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) threads_array = g_ptr_array_new ();
  FloorRun run = { 0 };
  gint64 start;
  double cpu_start;
  double wall;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2 || size < 1)
    {
      g_printerr ("usage: vips-floor [--size PIXELS] [--threads N] FILE…%s%s\n",
                  error != NULL ? ": " : "", error != NULL ? error->message : "");
      return 2;
    }

  if (VIPS_INIT (argv[0]) != 0)
    vips_error_exit (NULL);

  /* As in the engine: our threads already fill the cores, and each image
   * is decoded once. */
  vips_concurrency_set (1);
  vips_cache_set_max (0);

  if (threads <= 0)
    threads = g_get_num_processors ();

  run.pixels = size;
  run.n_files = argc - 1;
  run.names = argv + 1;
  run.files = g_new0 (GBytes *, run.n_files);
  for (guint i = 0; i < run.n_files; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (run.names[i], &contents, &length, &error))
        {
          g_printerr ("vips-floor: %s\n", error->message);
          return 1;
        }
      run.files[i] = g_bytes_new_take (g_steal_pointer (&contents), length);
    }

  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();

  for (int t = 0; t < threads; t++)
    g_ptr_array_add (threads_array, g_thread_new ("floor", worker, &run));
  for (guint t = 0; t < threads_array->len; t++)
    g_thread_join (g_ptr_array_index (threads_array, t));

  wall = (g_get_monotonic_time () - start) / 1e6;

  g_print ("%.3f %.3f %u %u\n", wall, cpu_seconds () - cpu_start,
           run.n_files - run.n_failed, run.n_failed);

  for (guint i = 0; i < run.n_files; i++)
    g_bytes_unref (run.files[i]);
  g_free (run.files);
  vips_shutdown ();

  return EXIT_SUCCESS;
}
