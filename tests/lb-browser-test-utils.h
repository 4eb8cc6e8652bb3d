/* lb-browser-test-utils.h: helpers shared by the folder model and window tests
 *
 * Failures inside these helpers fail the running check test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*LbTestCondition) (gpointer data);

/* Iterates the default main context until @condition holds. Returns
 * FALSE only after a very long time: a hang guard, never a timing test. */
gboolean      lb_test_wait_for          (LbTestCondition  condition,
                                         gpointer         data);
/* Polls @condition without iterating any main loop, for a test that
 * holds the loop back while a thread works; a hang guard like
 * lb_test_wait_for(). */
gboolean      lb_test_block_until       (LbTestCondition  condition,
                                         gpointer         data);

/* Writes @size bytes to @dir/@name; with @mtime > 0, sets its time. */
char         *lb_test_write_file        (const char      *dir,
                                         const char      *name,
                                         gsize            size,
                                         gint64           mtime);
char         *lb_test_make_folder       (const char      *dir,
                                         const char      *name);

/* The "name" of every item of @model (any item type with that
 * property), in order. */
GStrv         lb_test_model_names       (GListModel      *model);
/* The position of the item called @name, or -1. */
int           lb_test_model_find        (GListModel      *model,
                                         const char      *name);

/* Keeps a copy of @model up to date from its items-changed signals
 * alone, checking at each signal that the model already looks as the
 * signal says; lb_test_mirror_check() compares the copy with @model. */
typedef struct _LbTestMirror LbTestMirror;

LbTestMirror *lb_test_mirror_new        (GListModel      *model);
void          lb_test_mirror_check      (LbTestMirror    *mirror);
guint         lb_test_mirror_get_n_signals (LbTestMirror *mirror);
void          lb_test_mirror_free       (LbTestMirror    *mirror);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbTestMirror, lb_test_mirror_free)

/* Makes permissions bind this process: as root (who may read anything),
 * switches the effective user to nobody; lb_test_regain_privileges()
 * switches back. Returns FALSE when that is not possible. */
gboolean      lb_test_drop_privileges   (void);
void          lb_test_regain_privileges (void);

G_END_DECLS
