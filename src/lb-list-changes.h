/* lb-list-changes.h: announcing a new array of a GListModel in few runs
 *
 * A list model that exposes a GPtrArray replaces it with another and
 * emits items-changed: a few exact runs, each once the array looks as
 * it says, or one run spanning them all when they are scattered, so that
 * a view never gets thousands of signals for one change.
 *
 * GTK-free (GIO only). Call it on the thread that owns the model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replaces *@items, the array @model exposes, with @new_items (taken) and
 * emits the difference on @model: exact runs when there are @max_runs or
 * fewer, else one spanning them. @reference holds every item of both
 * arrays in their common order. */
void lb_list_changes_apply (GListModel  *model,
                            GPtrArray  **items,
                            GPtrArray   *new_items,
                            GPtrArray   *reference,
                            guint        max_runs);

G_END_DECLS
