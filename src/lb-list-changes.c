/* lb-list-changes.c
 *
 * The walk that finds the runs: both arrays are subsequences of one
 * reference array, in its order, so the walk compares pointers only and
 * stays right even while an item's sort keys are being changed.
 *
 * Threads: the thread that owns the list model (it emits its signals).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-list-changes"

#include <string.h>

#include "lb-list-changes.h"

typedef struct {
  guint position;  /* in the new list */
  guint removed;
  guint added;
} Run;

/* Replaces @n_removed pointers at @position by the @n_added at @added. */
static void
ptr_array_splice (GPtrArray *array,
                  guint      position,
                  guint      n_removed,
                  gpointer  *added,
                  guint      n_added)
{
  guint old_len = array->len;
  guint tail = old_len - position - n_removed;

  if (n_added > n_removed)
    g_ptr_array_set_size (array, old_len + n_added - n_removed);
  memmove (array->pdata + position + n_added, array->pdata + position + n_removed,
           tail * sizeof (gpointer));
  memcpy (array->pdata + position, added, n_added * sizeof (gpointer));
  if (n_added < n_removed)
    g_ptr_array_set_size (array, old_len + n_added - n_removed);
}

void
lb_list_changes_apply (GListModel *model,
                       GPtrArray **items,
                       GPtrArray  *new_items,
                       GPtrArray  *reference,
                       guint       max_runs)
{
  GPtrArray *old_items = *items;
  guint n_old = old_items->len;
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (Run));
  guint i = 0, j = 0;
  Run run = { 0, 0, 0 };
  gboolean in_run = FALSE;

  for (guint k = 0; k < reference->len; k++)
    {
      gpointer item = g_ptr_array_index (reference, k);
      gboolean in_old = i < n_old && g_ptr_array_index (old_items, i) == item;
      gboolean in_new = j < new_items->len && g_ptr_array_index (new_items, j) == item;

      if (in_old && in_new)
        {
          if (in_run)
            g_array_append_val (runs, run);
          in_run = FALSE;
          i++, j++;
        }
      else if (in_old || in_new)
        {
          if (!in_run)
            {
              run.position = j;
              run.removed = run.added = 0;
              in_run = TRUE;
            }
          if (in_old)
            run.removed++, i++;
          else
            run.added++, j++;
        }
    }
  if (in_run)
    g_array_append_val (runs, run);
  g_assert (i == n_old && j == new_items->len);

  if (runs->len <= max_runs)
    {
      /* Exact runs, each emitted once the list looks as it says. */
      for (guint r = 0; r < runs->len; r++)
        {
          Run *each = &g_array_index (runs, Run, r);

          ptr_array_splice (*items, each->position, each->removed,
                            new_items->pdata + each->position, each->added);
          g_list_model_items_changed (model, each->position, each->removed, each->added);
        }
      g_ptr_array_unref (*items);
      *items = new_items;
    }
  else
    {
      Run *first = &g_array_index (runs, Run, 0);
      Run *last = &g_array_index (runs, Run, runs->len - 1);
      guint tail = new_items->len - (last->position + last->added);

      g_ptr_array_unref (*items);
      *items = new_items;
      g_list_model_items_changed (model, first->position,
                                  n_old - first->position - tail,
                                  new_items->len - first->position - tail);
    }
}

