/* lb-thumbnail-cache.c
 *
 * The Thumbnail Managing Standard: thumbnails are PNGs named after the MD5
 * of the file's URI, one folder per size, valid while their Thumb::URI and
 * Thumb::MTime match the file; failures are recorded per application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-cache"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <png.h>

#include "lb-thumbnail-cache.h"
#include "lb-vips.h"
#include "lb-thumbnail-file.h"
#include "lb-thumbnail.h"

#define FAIL_DIR_NAME "lightbox-" PACKAGE_VERSION

/* Temporary files are named TEMP_PREFIX + six random characters + ".png".
 * One left by a process killed while writing is removed once it is
 * older than any write could take, so a live writer never loses it. */
#define TEMP_PREFIX "lightbox-"
#define STALE_TEMP_AGE_SECONDS (60 * 60)

struct _LbThumbnailCache
{
  GObject  parent_instance;

  /* Immutable after construction, hence thread-safe. */
  char    *root;
  GFile   *root_file;
  GFile   *real_root_file;  /* with symlinks resolved; NULL if the same */

  /* Folders already swept of stale temporary files, under the lock */
  GMutex      lock;
  GHashTable *swept_dirs;
};

G_DEFINE_FINAL_TYPE (LbThumbnailCache, lb_thumbnail_cache, G_TYPE_OBJECT)

static void
lb_thumbnail_cache_finalize (GObject *object)
{
  LbThumbnailCache *self = LB_THUMBNAIL_CACHE (object);

  g_clear_pointer (&self->root, g_free);
  g_clear_object (&self->root_file);
  g_clear_object (&self->real_root_file);
  g_clear_pointer (&self->swept_dirs, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lb_thumbnail_cache_parent_class)->finalize (object);
}

static void
lb_thumbnail_cache_class_init (LbThumbnailCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_thumbnail_cache_finalize;
}

static void
lb_thumbnail_cache_init (LbThumbnailCache *self)
{
  g_mutex_init (&self->lock);
  self->swept_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The root may not exist yet (the first thumbnail creates it), but its
 * parent, typically ~/.cache, may well be a symlink. */
static char *
resolve_path (const char *path)
{
  g_autofree char *parent = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *real_parent = NULL;
  char *real = realpath (path, NULL);

  if (real != NULL)
    return real;

  parent = g_path_get_dirname (path);
  basename = g_path_get_basename (path);
  real_parent = realpath (parent, NULL);
  if (real_parent == NULL)
    return NULL;

  return g_build_filename (real_parent, basename, NULL);
}

/* The desktop's shared cache. In a Flatpak sandbox XDG_CACHE_HOME is the
 * app's private folder; the host's, which the manifest grants, is passed
 * in HOST_XDG_CACHE_HOME (and defaults to ~/.cache like anywhere else). */
static char *
get_default_root (void)
{
  const char *host_cache = g_getenv ("HOST_XDG_CACHE_HOME");

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      if (host_cache != NULL && g_path_is_absolute (host_cache))
        return g_build_filename (host_cache, "thumbnails", NULL);
      return g_build_filename (g_get_home_dir (), ".cache", "thumbnails", NULL);
    }

  return g_build_filename (g_get_user_cache_dir (), "thumbnails", NULL);
}

LbThumbnailCache *
lb_thumbnail_cache_new (const char *root)
{
  LbThumbnailCache *self;
  g_autofree char *real_root = NULL;

  self = g_object_new (LB_TYPE_THUMBNAIL_CACHE, NULL);

  if (root != NULL)
    self->root = g_canonicalize_filename (root, NULL);
  else
    self->root = get_default_root ();
  self->root_file = g_file_new_for_path (self->root);

  real_root = resolve_path (self->root);
  if (real_root != NULL && !g_str_equal (real_root, self->root))
    self->real_root_file = g_file_new_for_path (real_root);

  return self;
}

const char *
lb_thumbnail_cache_get_root (LbThumbnailCache *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), NULL);

  return self->root;
}

char *
lb_thumbnail_cache_get_uri (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* Escaped as the spec (and GLib's own thumbnail check) expects. */
  return g_file_get_uri (file);
}

static char *
get_basename (const char *uri)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

  g_checksum_update (checksum, (const guchar *) uri, strlen (uri));

  return g_strconcat (g_checksum_get_string (checksum), ".png", NULL);
}

char *
lb_thumbnail_cache_get_path (LbThumbnailCache *self,
                             const char       *uri,
                             LbThumbnailSize   size)
{
  g_autofree char *basename = NULL;

  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, NULL);

  basename = get_basename (uri);

  return g_build_filename (self->root, lb_thumbnail_size_get_name (size),
                           basename, NULL);
}

char *
lb_thumbnail_cache_get_fail_path (LbThumbnailCache *self,
                                  const char       *uri)
{
  g_autofree char *basename = NULL;

  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  basename = get_basename (uri);

  return g_build_filename (self->root, "fail", FAIL_DIR_NAME, basename, NULL);
}

static gboolean
file_is_under (GFile *file,
               GFile *dir)
{
  return dir != NULL && (g_file_equal (file, dir) || g_file_has_prefix (file, dir));
}

gboolean
lb_thumbnail_cache_contains (LbThumbnailCache *self,
                             GFile            *file)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return file_is_under (file, self->root_file) ||
         file_is_under (file, self->real_root_file);
}

/* The cache is shared with every application of the desktop: its PNGs
 * are as untrusted as the images. Thumbnails are small, and so is their
 * text (compressed text is inflated whole by libpng). */
#define MAX_THUMBNAIL_FILE_SIZE   (16 * 1024 * 1024)
#define MAX_ZTXT_CHUNK_SIZE       (4 * 1024)
#define MAX_ITXT_CHUNK_SIZE       (64 * 1024)

/* TRUE if @data is a PNG signature, IHDR first, then whole chunks up to
 * an IEND. libpng allocates what a chunk's length claims before reading
 * it, so a few bytes that claim gigabytes would cost gigabytes; and a
 * file cut short would pass a header-only check. */
static gboolean
png_structure_is_sane (const guint8 *data,
                       gsize         len)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize at = sizeof signature;

  if (len < sizeof signature || memcmp (data, signature, sizeof signature) != 0)
    return FALSE;

  while (len - at >= 12)
    {
      const guint8 *type = data + at + 4;
      guint32 length;

      memcpy (&length, data + at, 4);
      length = GUINT32_FROM_BE (length);
      if (length > len - at - 12)
        return FALSE;
      if (at == sizeof signature && memcmp (type, "IHDR", 4) != 0)
        return FALSE;
      if ((memcmp (type, "zTXt", 4) == 0 && length > MAX_ZTXT_CHUNK_SIZE) ||
          (memcmp (type, "iTXt", 4) == 0 && length > MAX_ITXT_CHUNK_SIZE))
        return FALSE;
      if (memcmp (type, "IEND", 4) == 0)
        return TRUE;
      at += 12 + (gsize) length;
    }

  return FALSE;
}

/* A cached PNG, read with libpng rather than libvips: a folder whose
 * thumbnails are all cached never waits for libvips to start (tens of
 * milliseconds, on the first screen's path), and a read costs a third
 * less. */
typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         at;
  char         *uri;       /* Thumb::URI */
  char         *mtime;     /* Thumb::MTime */
  int           width;
  int           height;
  gboolean      has_alpha;
  guint8       *pixels;    /* 8-bit RGB or RGBA rows, tightly packed */
  png_bytep    *rows;
} CachedPng;

static void
cached_png_clear (CachedPng *png)
{
  g_clear_pointer (&png->uri, g_free);
  g_clear_pointer (&png->mtime, g_free);
  g_clear_pointer (&png->pixels, g_free);
  g_clear_pointer (&png->rows, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CachedPng, cached_png_clear)

static void
on_png_read_error (png_structp      png,
                   png_const_charp  message)
{
  png_longjmp (png, 1);
}

static void
on_png_read_warning (png_structp      png,
                     png_const_charp  message)
{
}

static void
on_png_read (png_structp png,
             png_bytep   out,
             png_size_t  length)
{
  CachedPng *cached = png_get_io_ptr (png);

  if (length > cached->len - cached->at)
    png_error (png, "truncated");
  memcpy (out, cached->data + cached->at, length);
  cached->at += length;
}

/* Takes the first Thumb::URI and Thumb::MTime of the text chunks read so
 * far (tEXt, zTXt and iTXt alike). */
static void
collect_text (png_structp  png,
              png_infop    info,
              CachedPng   *cached)
{
  png_textp text = NULL;
  int n_text = png_get_text (png, info, &text, NULL);

  for (int i = 0; i < n_text; i++)
    {
      if (cached->uri == NULL && g_str_equal (text[i].key, "Thumb::URI"))
        cached->uri = g_strdup (text[i].text);
      else if (cached->mtime == NULL && g_str_equal (text[i].key, "Thumb::MTime"))
        cached->mtime = g_strdup (text[i].text);
    }
}

/* Reads the header and the text of @cached's PNG, at most @max_side
 * pixels a side, and with @with_pixels (or when the text comes only
 * after the pixels) decodes them into 8-bit RGB or RGBA. FALSE when it
 * is damaged; what was allocated stays in @cached for its owner. */
static gboolean
read_cached_png (CachedPng *cached,
                 guint      max_side,
                 gboolean   with_pixels)
{
  png_structp png;
  png_infop info = NULL;
  int channels;

  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, cached, on_png_read_error, on_png_read_warning);
  if (png != NULL)
    info = png_create_info_struct (png);
  if (info == NULL)
    {
      png_destroy_read_struct (&png, NULL, NULL);
      return FALSE;
    }

  /* Every libpng error jumps back here; nothing on this frame changes
   * after setjmp(), the rest is in @cached. */
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_read_struct (&png, &info, NULL);
      return FALSE;
    }

  png_set_read_fn (png, cached, on_png_read);
  png_set_user_limits (png, max_side, max_side);
  png_read_info (png, info);
  collect_text (png, info, cached);
  cached->width = png_get_image_width (png, info);
  cached->height = png_get_image_height (png, info);
  cached->has_alpha = (png_get_color_type (png, info) & PNG_COLOR_MASK_ALPHA) != 0 ||
                      png_get_valid (png, info, PNG_INFO_tRNS);

  if (with_pixels || cached->uri == NULL || cached->mtime == NULL)
    {
      /* Palette, grey and 16-bit samples, transparency chunk and all. */
      png_set_expand (png);
      png_set_strip_16 (png);
      png_set_gray_to_rgb (png);
      png_set_interlace_handling (png);
      png_read_update_info (png, info);

      channels = png_get_channels (png, info);
      if ((channels != 3 && channels != 4) ||
          png_get_rowbytes (png, info) != (gsize) cached->width * channels)
        png_error (png, "unexpected layout");
      cached->has_alpha = channels == 4;

      cached->pixels = g_try_malloc ((gsize) cached->width * channels * cached->height);
      if (cached->pixels == NULL)
        png_error (png, "out of memory");
      cached->rows = g_new (png_bytep, cached->height);
      for (int y = 0; y < cached->height; y++)
        cached->rows[y] = cached->pixels + (gsize) y * cached->width * channels;

      png_read_image (png, cached->rows);
      png_read_end (png, info);
      collect_text (png, info, cached);
    }

  png_destroy_read_struct (&png, &info, NULL);

  return TRUE;
}

/* Reads the PNG at @path (never blocking on a FIFO put there), checks its
 * structure, its size and that it was made from @uri as it was at @mtime;
 * FALSE if not. */
static gboolean
read_if_valid (const char *path,
               const char *uri,
               gint64      mtime,
               guint       max_side,
               gboolean    with_pixels,
               CachedPng  *cached)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *mtime_string = NULL;

  /* The common case on a first visit; spare the open. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;

  bytes = lb_thumbnail_file_read (path, MAX_THUMBNAIL_FILE_SIZE, NULL, NULL);
  if (bytes == NULL)
    return FALSE;

  cached->data = g_bytes_get_data (bytes, &cached->len);
  if (!png_structure_is_sane (cached->data, cached->len) ||
      !read_cached_png (cached, max_side, with_pixels))
    return FALSE;

  mtime_string = g_strdup_printf ("%" G_GINT64_FORMAT, mtime);

  return g_strcmp0 (cached->uri, uri) == 0 && g_strcmp0 (cached->mtime, mtime_string) == 0;
}

static void
set_not_found (GError **error,
               const char *uri)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("No valid thumbnail for “%s”"), uri);
}

LbThumbnail *
lb_thumbnail_cache_load (LbThumbnailCache  *self,
                         GFile             *file,
                         const char        *uri,
                         gint64             mtime,
                         LbThumbnailSize    size,
                         gboolean           with_pixels,
                         GError           **error)
{
  g_autofree char *path = NULL;
  g_auto(CachedPng) cached = { NULL, };
  g_autoptr(GBytes) pixels = NULL;

  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A thumbnail bigger than its bucket breaks the spec; replace it. */
  path = lb_thumbnail_cache_get_path (self, uri, size);
  if (!read_if_valid (path, uri, mtime, lb_thumbnail_size_get_pixels (size), with_pixels, &cached))
    {
      set_not_found (error, uri);
      return NULL;
    }

  if (with_pixels)
    pixels = g_bytes_new_take (g_steal_pointer (&cached.pixels),
                               (gsize) cached.width * cached.height * (cached.has_alpha ? 4 : 3));

  return lb_thumbnail_new (file, size, LB_THUMBNAIL_ORIGIN_CACHE, cached.width, cached.height,
                           cached.has_alpha, pixels);
}

gboolean
lb_thumbnail_cache_has_failed (LbThumbnailCache *self,
                               const char       *uri,
                               gint64            mtime)
{
  g_autofree char *path = NULL;
  g_auto(CachedPng) cached = { NULL, };

  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  path = lb_thumbnail_cache_get_fail_path (self, uri);

  return read_if_valid (path, uri, mtime, lb_thumbnail_size_get_pixels (LB_THUMBNAIL_SIZE_XX_LARGE), FALSE,
                        &cached);
}

static gboolean
set_error_from_errno (GError     **error,
                      const char  *path)
{
  int saved_errno = errno;
  g_autofree char *display_name = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), display_name,
               g_strerror (saved_errno));

  return FALSE;
}

static gboolean
is_temp_name (const char *name)
{
  gsize len = strlen (name);

  return len == strlen ("." TEMP_PREFIX "XXXXXX.png") &&
         g_str_has_prefix (name, "." TEMP_PREFIX) &&
         g_str_has_suffix (name, ".png");
}

/* Removes the temporary files that writers killed mid-write left in
 * @dir, once per folder and cache object: the first write of a session. */
static void
sweep_stale_temporaries (LbThumbnailCache *self,
                         const char       *dir)
{
  g_autoptr(GDir) listing = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;
  gboolean first;

  g_mutex_lock (&self->lock);
  first = g_hash_table_add (self->swept_dirs, g_strdup (dir));
  g_mutex_unlock (&self->lock);
  if (!first)
    return;

  listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL)
    return;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!is_temp_name (name))
        continue;

      path = g_build_filename (dir, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) &&
          now - st.st_mtime > STALE_TEMP_AGE_SECONDS)
        g_unlink (path);
    }
}

/* Readers never see a half-written PNG: it is written under a temporary
 * name in the same folder, then renamed over the old one. */
static gboolean
save_atomically (LbThumbnailCache       *self,
                 VipsImage              *image,
                 const char             *path,
                 const LbThumbnailMeta  *meta,
                 GError                **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp_path = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_error_from_errno (error, dir);

  sweep_stale_temporaries (self, dir);

  tmp_path = g_build_filename (dir, "." TEMP_PREFIX "XXXXXX.png", NULL);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_error_from_errno (error, tmp_path);
  close (fd);

  if (!lb_thumbnail_write_png (image, tmp_path, meta, error))
    {
      g_unlink (tmp_path);
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      set_error_from_errno (error, path);
      g_unlink (tmp_path);
      return FALSE;
    }

  return TRUE;
}

gboolean
lb_thumbnail_cache_save (LbThumbnailCache       *self,
                         VipsImage              *image,
                         const LbThumbnailMeta  *meta,
                         LbThumbnailSize         size,
                         GError                **error)
{
  g_autofree char *path = NULL;
  g_autoptr(VipsImage) shrunk = NULL;
  guint pixels;

  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), FALSE);
  g_return_val_if_fail (VIPS_IS_IMAGE (image), FALSE);
  g_return_val_if_fail (meta != NULL && meta->uri != NULL, FALSE);
  g_return_val_if_fail (size < LB_THUMBNAIL_N_SIZES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The spec's buckets are upper bounds that other readers rely on. */
  pixels = lb_thumbnail_size_get_pixels (size);
  if (vips_image_get_width (image) > (int) pixels ||
      vips_image_get_height (image) > (int) pixels)
    {
      if (vips_thumbnail_image (image, &shrunk, pixels,
                                "height", pixels,
                                "size", VIPS_SIZE_DOWN,
                                NULL) != 0)
        {
          lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
          return FALSE;
        }
      image = shrunk;
    }

  path = lb_thumbnail_cache_get_path (self, meta->uri, size);

  return save_atomically (self, image, path, meta, error);
}

gboolean
lb_thumbnail_cache_save_failure (LbThumbnailCache       *self,
                                 const LbThumbnailMeta  *meta,
                                 GError                **error)
{
  static const guint8 transparent[4] = { 0, 0, 0, 0 };
  g_autofree char *path = NULL;
  g_autoptr(VipsImage) pixel = NULL;

  g_return_val_if_fail (LB_IS_THUMBNAIL_CACHE (self), FALSE);
  g_return_val_if_fail (meta != NULL && meta->uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  pixel = vips_image_new_from_memory (transparent, sizeof transparent,
                                      1, 1, 4, VIPS_FORMAT_UCHAR);
  if (pixel == NULL)
    {
      lb_vips_set_error (error, LB_THUMBNAIL_ERROR_CORRUPT);
      return FALSE;
    }

  path = lb_thumbnail_cache_get_fail_path (self, meta->uri);

  return save_atomically (self, pixel, path, meta, error);
}
