/* soak-engine.c: one scheduler, a folder opened, scrolled and left over and over
 *
 *   soak-engine [--rounds=N] [--files=N] [--sample-every=N] FOLDER CACHE-ROOT
 *
 * FOLDER is made, with --files JPEGs of 1600 × 1200, if it does not exist.
 * Each round does what the browser does with a folder: asks for every
 * thumbnail of FOLDER (visible ones first), raises the priority of the
 * ones further down as if scrolled to, then leaves the folder, cancelling
 * whatever is still queued. Every fourth round forces new thumbnails, so
 * that decodes and cache writes churn too; the others are served from the
 * cache. Memory is sampled between rounds, and one line per sample is
 * printed: "round rss_kib heap_kib" (heap: what malloc has handed out);
 * the last line is a summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lb-soak-sampler.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

typedef struct {
  guint     n_pending;
  guint     n_finished;
  gboolean  done;
} Round;

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Round *round = user_data;
  g_autoptr(LbThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;

  thumbnail = lb_thumbnail_scheduler_load_finish (LB_THUMBNAIL_SCHEDULER (object), result, &error);
  round->n_finished++;
  round->done = --round->n_pending == 0;
}

/* Fills an empty @folder with @n JPEGs of 1600 × 1200, all different. */
static void
make_folder (const char *folder,
             guint       n)
{
  g_mkdir_with_parents (folder, 0755);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/soak-%03u.jpg", folder, i);
      g_autoptr(VipsImage) xyz = NULL;
      g_autoptr(VipsImage) tinted = NULL;
      g_autoptr(VipsImage) rgb = NULL;
      g_autoptr(VipsImage) cast = NULL;
      double scale[3] = { 0.1, 0.2, 0.05 };
      double offset[3] = { i * 4.0, 255 - i * 4.0, 128 };

      if (vips_xyz (&xyz, 1600, 1200, NULL) != 0 ||
          vips_bandjoin_const1 (xyz, &rgb, 0, NULL) != 0 ||
          vips_linear (rgb, &tinted, scale, offset, 3, NULL) != 0 ||
          vips_cast_uchar (tinted, &cast, NULL) != 0 ||
          vips_jpegsave (cast, path, NULL) != 0)
        g_error ("making %s: %s", path, vips_error_buffer ());
    }
}

static GPtrArray *
list_images (const char *folder,
             guint       max_files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *name;

  dir = g_dir_open (folder, 0, &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  while ((name = g_dir_read_name (dir)) != NULL && files->len < max_files)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_file_new_for_path (path));
    }

  return files;
}

/* One visit: open, scroll half-way, leave. */
static void
visit (LbThumbnailScheduler *scheduler,
       GPtrArray            *files,
       gboolean              force)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LbThumbnailFlags flags = force ? LB_THUMBNAIL_FLAGS_FORCE : LB_THUMBNAIL_FLAGS_NONE;
  Round round = { 0, };
  guint visible = MIN (files->len, 24u);

  for (guint i = 0; i < files->len; i++)
    {
      round.n_pending++;
      lb_thumbnail_scheduler_load_async (scheduler, g_ptr_array_index (files, i),
                                         LB_THUMBNAIL_SIZE_LARGE, flags,
                                         i < visible ? G_PRIORITY_HIGH : G_PRIORITY_LOW,
                                         cancellable, on_loaded, &round);
    }

  /* The first screenful arrives, then the user scrolls down. */
  while (round.n_finished < visible)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = visible; i < files->len; i++)
    lb_thumbnail_scheduler_set_priority (scheduler, g_ptr_array_index (files, i),
                                         LB_THUMBNAIL_SIZE_LARGE,
                                         i < 2 * visible ? G_PRIORITY_HIGH : G_PRIORITY_DEFAULT);
  while (round.n_finished < MIN (files->len, visible + visible / 2))
    g_main_context_iteration (NULL, TRUE);

  /* And leaves: every request ends, done or cancelled. */
  g_cancellable_cancel (cancellable);
  while (!round.done)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FOLDER CACHE-ROOT");
  g_autoptr(GError) error = NULL;
  g_autoptr(LbThumbnailCache) cache = NULL;
  g_autoptr(LbThumbnailScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) files = NULL;
  LbSoakSampler sampler;
  int rounds = 1000;
  int max_files = 60;
  int sample_every = 10;
  const GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Visits of the folder (1000)", "N" },
    { "files", 0, 0, G_OPTION_ARG_INT, &max_files, "Files of the folder to use (60)", "N" },
    { "sample-every", 0, 0, G_OPTION_ARG_INT, &sample_every, "Rounds between samples (10)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3 ||
      rounds < 20 || max_files < 1 || sample_every < 1)
    {
      g_printerr ("usage: soak-engine [--rounds=N≥20] [--files=N] FOLDER CACHE-ROOT\n");
      return 2;
    }

  lb_vips_init (argv[0]);
  if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
    make_folder (argv[1], max_files);
  files = list_images (argv[1], max_files);
  cache = lb_thumbnail_cache_new (argv[2]);
  scheduler = lb_thumbnail_scheduler_new (cache, 0);

  lb_soak_sampler_init (&sampler, rounds, sample_every);
  for (int i = 1; i <= rounds; i++)
    {
      visit (scheduler, files, i % 4 == 1);
      lb_soak_sampler_after_round (&sampler, i);
    }
  lb_soak_sampler_print_summary (&sampler, files->len);

  return 0;
}
