/* lb-test-fixtures.h: images and helpers the tests make at test time
 *
 * Every fixture is generated with libvips (or written as text for SVG and
 * PDF) into a temporary folder, so the tests need no checked-in data.
 * Failures inside these helpers fail the running check test; the folder
 * and environment helpers may also be called from main().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <check.h>
#include <gio/gio.h>
#include <vips/vips.h>

#include "lb-thumbnail.h"

G_BEGIN_DECLS

typedef enum {
  LB_TEST_FORMAT_JPEG,
  LB_TEST_FORMAT_JPEG_PROGRESSIVE,
  LB_TEST_FORMAT_JPEG_CMYK,         /* with an embedded CMYK profile */
  LB_TEST_FORMAT_JPEG_GREY,
  LB_TEST_FORMAT_PNG,
  LB_TEST_FORMAT_PNG_16,            /* 16 bits per channel */
  LB_TEST_FORMAT_PNG_ALPHA,         /* RGBA, alpha fading to the right */
  LB_TEST_FORMAT_PNG_PALETTE,
  LB_TEST_FORMAT_PNG_INTERLACED,
  LB_TEST_FORMAT_WEBP,
  LB_TEST_FORMAT_WEBP_LOSSLESS,
  LB_TEST_FORMAT_GIF,
  LB_TEST_FORMAT_TIFF,
  LB_TEST_FORMAT_TIFF_PYRAMID,
  LB_TEST_FORMAT_HEIC,
  LB_TEST_FORMAT_AVIF,
  LB_TEST_FORMAT_JXL,
  LB_TEST_FORMAT_JP2,
  LB_TEST_FORMAT_SVG,
  LB_TEST_FORMAT_PDF,
  LB_TEST_N_FORMATS
} LbTestFormat;

typedef enum {
  LB_TEST_BAD_EMPTY,
  LB_TEST_BAD_TRUNCATED_JPEG,       /* the first third of a JPEG */
  LB_TEST_BAD_TRUNCATED_PNG,        /* the first third of a PNG */
  LB_TEST_BAD_RANDOM,               /* 4 KiB of (seeded) random bytes */
  LB_TEST_BAD_TEXT,                 /* plain text, whatever the name says */
  LB_TEST_BAD_HEADER_ONLY_PNG,      /* signature and IHDR, no pixels */
  LB_TEST_BAD_PNG_BOMB,             /* tiny PNG claiming 100000 × 100000 */
  LB_TEST_BAD_DIRECTORY,            /* a folder, e.g. named x.jpg */
  LB_TEST_BAD_JPEG_BOMB,            /* tiny JPEG claiming 65000 × 65000 */
  LB_TEST_BAD_GIF_BOMB,             /* tiny GIF claiming 65535 × 65535 */
  LB_TEST_BAD_TIFF_BOMB,            /* tiny TIFF claiming 10⁶ × 10⁶ */
  LB_TEST_BAD_SVG_BOMB,             /* SVG of 200000 × 200000 user units */
  LB_TEST_BAD_SVG_LAUGHS,           /* nested XML entities ("billion laughs") */
  LB_TEST_BAD_SVG_NESTED_USE,       /* <use> of <use> of … , exponentially */
} LbTestBadKind;

/* The colour of the square that fills the top-left quarter (in both
 * directions) of every generated image, as stored, before orientation.
 * The rest is a gradient whose blue channel stays at LB_TEST_BACKGROUND_BLUE. */
#define LB_TEST_MARKER_RED   255
#define LB_TEST_MARKER_GREEN 0
#define LB_TEST_MARKER_BLUE  0
#define LB_TEST_BACKGROUND_BLUE 200

/* A new empty temporary folder; remove it with lb_test_remove_dir(). */
char       *lb_test_make_tmp_dir        (void);
/* Deletes @path and everything below it; a missing @path is fine. */
void        lb_test_remove_dir          (const char   *path);

/* The folder of the running test where a checked fixture of
 * lb_test_tmp_dir_setup() and lb_test_tmp_dir_teardown() (alone or
 * called from a test's own setup and teardown) makes it new and empty
 * for each test and removes it afterwards. */
extern char *lb_test_tmp_dir;
void        lb_test_tmp_dir_setup       (void);
void        lb_test_tmp_dir_teardown    (void);

/* For tests that give up root: made by the unchecked fixture of
 * lb_test_base_dir_setup() and lb_test_base_dir_teardown() in the
 * runner (root, if it is root), open to everyone, and removed by it
 * with whatever the tests left there. */
extern char *lb_test_base_dir;
void        lb_test_base_dir_setup      (void);
void        lb_test_base_dir_teardown   (void);
/* A new folder of the running test inside lb_test_base_dir. */
char       *lb_test_make_dir_in_base_dir (void);

/* Runs @suite with the output CK_VERBOSITY asks for (normal by default)
 * and frees it. @fork_status: CK_FORK_GETENV to do as CK_FORK says (a
 * process per test unless it says no), CK_FORK for tests that need a
 * process of their own whatever it says. Returns main()'s exit status:
 * a failure if any check failed, else a skip (77) if any check left a
 * format out (lb_test_format_is_skipped()): not a full pass. */
/* The exit status by which meson counts a test as skipped. */
#define LB_TEST_EXIT_SKIP 77

int         lb_test_run_suite           (Suite            *suite,
                                         enum fork_status  fork_status);
/* Says why on stderr and returns the status that makes meson count the
 * test as skipped, for main() when a precondition is missing. */
int         lb_test_skip                (const char       *why);

/* Writes a @width × @height image in @format to @dir/@name (the name
 * need not match the format) and returns its path. @orientation (1–8) is
 * stored as the EXIF orientation where the format has EXIF; the marker
 * is in the top-left corner of the stored pixels. */
char       *lb_test_write_image         (const char   *dir,
                                         const char   *name,
                                         LbTestFormat  format,
                                         int           width,
                                         int           height,
                                         int           orientation);
/* As lb_test_write_image(), upright, with the libvips metadata @fields
 * (NULL-terminated pairs of name and value) set before saving: EXIF as
 * libvips names it ("exif-ifd0-Make", "exif-ifd2-FNumber" = "28/10"…),
 * which the savers write, and "xmp-data" for an XMP packet. */
char       *lb_test_write_image_with_fields (const char         *dir,
                                             const char         *name,
                                             LbTestFormat        format,
                                             int                 width,
                                             int                 height,
                                             const char * const *fields);
/* An animated GIF or WebP of @n_frames solid frames, each of the colour
 * lb_test_frame_color() gives, shown for @delays[i] milliseconds. */
char       *lb_test_write_animation     (const char   *dir,
                                         const char   *name,
                                         LbTestFormat  format,
                                         int           width,
                                         int           height,
                                         int           n_frames,
                                         const int    *delays);
void        lb_test_frame_color         (int           frame,
                                         guint8        rgb[3]);
/* A JPEG of @width × @height (a grey ramp), streamed to disk so that
 * even hundreds of megapixels take little memory to make. */
char       *lb_test_write_large_jpeg    (const char   *dir,
                                         const char   *name,
                                         int           width,
                                         int           height);
/* Writes a black @width × @height image in @format, made without ever
 * holding it whole where the saver allows: for big "bombs" that are
 * real images. */
char       *lb_test_write_blank_image   (const char   *dir,
                                         const char   *name,
                                         LbTestFormat  format,
                                         int           width,
                                         int           height);
/* The bytes lb_test_write_image() would write. */
GBytes     *lb_test_make_image_bytes    (LbTestFormat  format,
                                         int           width,
                                         int           height,
                                         int           orientation);
/* Writes @bytes to @dir/@name and returns its path. */
char       *lb_test_write_bytes         (const char   *dir,
                                         const char   *name,
                                         GBytes       *bytes);
/* Writes a broken file (or folder) at @dir/@name and returns its path. */
char       *lb_test_write_bad_file      (const char   *dir,
                                         const char   *name,
                                         LbTestBadKind kind);
const char *lb_test_format_get_name     (LbTestFormat  format);
/* TRUE when $LIGHTBOX_TEST_SKIP_FORMATS, a comma-separated list of the
 * names above ("jxl,pdf"), names @format: a test that goes through every
 * format then leaves it out, as under valgrind (tests/run-checked-builds).
 * Said on stderr, and the whole test then reports a skip, not a pass
 * (see lb_test_run_suite()). */
gboolean    lb_test_format_is_skipped   (LbTestFormat  format);

/* The file's mtime in seconds, as the thumbnail cache records it. */
gint64      lb_test_get_mtime           (const char   *path);
/* Moves the file's mtime by @delta seconds. */
void        lb_test_shift_mtime         (const char   *path,
                                         gint64        delta);

/* Points XDG_CACHE_HOME at a new temporary folder, which it returns.
 * GLib reads the variable once, so call this at the start of main(),
 * before anything asks for g_get_user_cache_dir(). */
char       *lb_test_set_cache_home      (void);

/* Runs $LIGHTBOX_THUMBNAILER with the arguments after @cache_home (up to
 * a NULL) in the C locale, XDG_CACHE_HOME set to @cache_home, and
 * returns its exit status; @out and @err (may be NULL) get its output. */
int         lb_test_run_thumbnailer     (const char   *cache_home,
                                         char        **out,
                                         char        **err,
                                         ...) G_GNUC_NULL_TERMINATED;
/* Starts the same without waiting, output discarded; reap it yourself. */
GPid        lb_test_spawn_thumbnailer   (const char   *cache_home,
                                         const char * const *args);

/* When running as root, switches the (forked) test process to uid and
 * gid 65534, so that file permissions apply; @tmp_dir is opened up so
 * that the unprivileged process can still use it. */
void        lb_test_become_unprivileged (const char   *tmp_dir);

/* A user's folder of every format (old dates, mixed permissions), bad
 * files, a subfolder, links to files, folders and nowhere, a FIFO, a
 * read-only file and a text file, at @folder (which must not exist). */
void        lb_test_make_user_folder    (const char   *folder);
/* One sorted line per entry below @root, links not followed: type, mode,
 * owner, inode, size, mtime and ctime to the nanosecond, the SHA-256 of
 * every readable file, the target of every link; and @root's own times. */
GPtrArray  *lb_test_fingerprint         (const char   *root);
/* Fails the test on the first line that differs. */
void        lb_test_assert_same_fingerprint (GPtrArray *before,
                                             GPtrArray *after);

/* Iterates the thread-default main context until *@flag is TRUE. Fails
 * the test if that takes absurdly long: a hang guard, not a timing test. */
void        lb_test_spin_until          (const gboolean *flag);

G_END_DECLS
