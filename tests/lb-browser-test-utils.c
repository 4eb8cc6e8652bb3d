/* lb-browser-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <check.h>
#include <errno.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "lb-browser-test-utils.h"

/* Anything a test waits for comes in seconds; this only stops hangs. */
#define WAIT_LIMIT_US (120 * G_USEC_PER_SEC)
/* Conditions on the file system cause no main loop event: look again. */
#define POLL_MS 20

/* The nobody user of Debian; permissions bind it like anyone else. */
#define UNPRIVILEGED_UID 65534

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
lb_test_wait_for (LbTestCondition condition,
                  gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;
  guint wake_up = g_timeout_add (POLL_MS, wake_up_cb, NULL);
  gboolean met;

  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_up);

  return met;
}

gboolean
lb_test_block_until (LbTestCondition condition,
                     gpointer        data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;
  gboolean met;

  /* A poll: how long each look waits changes nothing but its cost. */
  while (!(met = condition (data)) && g_get_monotonic_time () < deadline)
    g_usleep (POLL_MS * 1000);

  return met;
}

char *
lb_test_write_file (const char *dir,
                    const char *name,
                    gsize       size,
                    gint64      mtime)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = g_malloc0 (MAX (size, 1));
  g_autoptr(GError) error = NULL;

  memset (contents, 'x', size);
  ck_assert_msg (g_file_set_contents (path, contents, size, &error), "%s", error ? error->message : "");

  if (mtime > 0)
    {
      struct utimbuf times = { .actime = mtime, .modtime = mtime };

      ck_assert_msg (g_utime (path, &times) == 0, "utime %s: %s", path, g_strerror (errno));
    }

  return path;
}

char *
lb_test_make_folder (const char *dir,
                     const char *name)
{
  char *path = g_build_filename (dir, name, NULL);

  ck_assert_msg (g_mkdir_with_parents (path, 0755) == 0, "mkdir %s: %s", path, g_strerror (errno));

  return path;
}

GStrv
lb_test_model_names (GListModel *model)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *name = NULL;

      g_object_get (item, "name", &name, NULL);
      g_strv_builder_add (builder, name);
    }

  return g_strv_builder_end (builder);
}

int
lb_test_model_find (GListModel *model,
                    const char *name)
{
  g_auto(GStrv) names = lb_test_model_names (model);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return (int) i;

  return -1;
}

struct _LbTestMirror
{
  GListModel *model;
  GPtrArray  *items;
  gulong      handler;
  guint       n_signals;
};

static void
mirror_items_changed_cb (GListModel   *model,
                         guint         position,
                         guint         removed,
                         guint         added,
                         LbTestMirror *mirror)
{
  mirror->n_signals++;

  ck_assert_uint_le (position + removed, mirror->items->len);
  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    {
      GObject *item = g_list_model_get_item (model, position + i);

      ck_assert_ptr_nonnull (item);
      g_ptr_array_insert (mirror->items, position + i, item);
    }

  /* The model must already look as the signal says. */
  ck_assert_uint_eq (mirror->items->len, g_list_model_get_n_items (model));
}

LbTestMirror *
lb_test_mirror_new (GListModel *model)
{
  LbTestMirror *mirror = g_new0 (LbTestMirror, 1);
  guint n = g_list_model_get_n_items (model);

  mirror->model = g_object_ref (model);
  mirror->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (mirror->items, g_list_model_get_item (model, i));
  mirror->handler = g_signal_connect (model, "items-changed", G_CALLBACK (mirror_items_changed_cb), mirror);

  return mirror;
}

void
lb_test_mirror_check (LbTestMirror *mirror)
{
  guint n = g_list_model_get_n_items (mirror->model);

  ck_assert_uint_eq (mirror->items->len, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (mirror->model, i);

      ck_assert_ptr_eq (item, g_ptr_array_index (mirror->items, i));
    }
}

guint
lb_test_mirror_get_n_signals (LbTestMirror *mirror)
{
  return mirror->n_signals;
}

void
lb_test_mirror_free (LbTestMirror *mirror)
{
  g_signal_handler_disconnect (mirror->model, mirror->handler);
  g_object_unref (mirror->model);
  g_ptr_array_unref (mirror->items);
  g_free (mirror);
}

gboolean
lb_test_drop_privileges (void)
{
  if (geteuid () != 0)
    return TRUE;

  /* Effective only, so that the test can switch back to clean up; glibc
   * switches every thread of the process. */
  return seteuid (UNPRIVILEGED_UID) == 0;
}

void
lb_test_regain_privileges (void)
{
  if (getuid () == 0 && geteuid () != 0)
    ck_assert_msg (seteuid (0) == 0, "seteuid: %s", g_strerror (errno));
}
