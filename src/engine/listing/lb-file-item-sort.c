/* lb-file-item-sort.c
 *
 * Comparison of items by their precomputed keys, and the sorted-array
 * operations the lister and the folder model build on: sort, merge,
 * binary search. A merge moves pointers only; references are moved, not
 * taken anew, where both arrays own their items.
 *
 * Threads: the array helpers run on whichever thread holds the arrays.
 * Releasing and re-sorting use GLib's thread pool; a re-sort reads a
 * snapshot of the keys there and touches the items again only in
 * lb_file_items_sort_finish(), on the thread that asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-file-item-sort"

#include <string.h>

#include "lb-file-item-sort.h"
#include "lb-image-info.h"

/* Bigger arrays of old items are released on a thread. */
#define THREADED_FREE_MIN    2048

G_DEFINE_ENUM_TYPE (LbSortKey, lb_sort_key,
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_NAME, "name"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_MODIFIED, "modified"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_SIZE, "size"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_TYPE, "type"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_DATE_TAKEN, "date-taken"))

static int
compare_keys (const LbFileItemSortKeys *a,
              const LbFileItemSortKeys *b,
              int                       spec)
{
  int result = 0;

  /* Folders first, whatever the order. */
  if (a->is_folder != b->is_folder)
    return a->is_folder ? -1 : 1;

  switch (LB_SORT_SPEC_KEY (spec))
    {
    case LB_SORT_KEY_MODIFIED:
      result = (a->modified > b->modified) - (a->modified < b->modified);
      break;
    case LB_SORT_KEY_SIZE:
      result = (a->size > b->size) - (a->size < b->size);
      break;
    case LB_SORT_KEY_TYPE:
      if (a->content_type != b->content_type)
        result = strcmp (a->content_type, b->content_type);
      break;
    case LB_SORT_KEY_DATE_TAKEN:
      {
        /* Files that do not say when they were taken go by when they
         * were last modified. */
        gint64 date_a = a->date_taken != 0 ? a->date_taken : a->modified;
        gint64 date_b = b->date_taken != 0 ? b->date_taken : b->modified;

        result = (date_a > date_b) - (date_a < date_b);
      }
      break;
    case LB_SORT_KEY_NAME:
    default:
      break;
    }

  /* Then the natural order of names; the raw name makes it total. */
  if (result == 0)
    result = strcmp (a->collate_key, b->collate_key);
  if (result == 0)
    result = strcmp (a->name, b->name);

  return LB_SORT_SPEC_DESCENDING (spec) ? -result : result;
}

int
lb_file_item_compare (LbFileItem *a,
                      LbFileItem *b,
                      int         spec)
{
  return compare_keys (lb_file_item_get_sort_keys (a), lb_file_item_get_sort_keys (b), spec);
}

static int
compare_item_pointers (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  return lb_file_item_compare (*(LbFileItem **) a, *(LbFileItem **) b, GPOINTER_TO_INT (user_data));
}

void
lb_file_items_sort (GPtrArray *items,
                    int        spec)
{
  g_ptr_array_sort_with_data (items, compare_item_pointers, GINT_TO_POINTER (spec));
}

/* When the photo in @file was taken, in seconds, or 0. Reads its header:
 * only on worker threads. */
static gint64
read_date_taken (GFile        *file,
                 GCancellable *cancellable)
{
  g_autoptr(LbImageInfo) info = lb_image_info_new_for_file (file, cancellable, NULL);

  if (info == NULL || lb_image_info_get_date_taken (info) == NULL)
    return 0;

  return g_date_time_to_unix (lb_image_info_get_date_taken (info));
}

gboolean
lb_file_item_needs_date_taken (LbFileItem *item)
{
  return lb_file_item_get_is_image (item) && !lb_file_item_get_has_date_taken (item);
}

gboolean
lb_file_items_need_dates_taken (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    if (lb_file_item_needs_date_taken (g_ptr_array_index (items, i)))
      return TRUE;

  return FALSE;
}

void
lb_file_items_read_dates_taken (GPtrArray    *items,
                                GCancellable *cancellable)
{
  for (guint i = 0; i < items->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      LbFileItem *item = g_ptr_array_index (items, i);

      if (lb_file_item_needs_date_taken (item))
        lb_file_item_set_date_taken (item, read_date_taken (lb_file_item_get_file (item), cancellable));
    }
}

static gpointer
copy_item (gconstpointer item,
           gpointer      user_data)
{
  return g_object_ref ((gpointer) item);
}

GPtrArray *
lb_file_items_copy (GPtrArray *items)
{
  GPtrArray *copy = g_ptr_array_copy (items, copy_item, NULL);

  g_ptr_array_set_free_func (copy, g_object_unref);

  return copy;
}

guint
lb_file_items_lower_bound (GPtrArray  *array,
                           LbFileItem *item,
                           int         spec,
                           guint       start)
{
  guint low = start;
  guint high = array->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (lb_file_item_compare (g_ptr_array_index (array, mid), item, spec) < 0)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

GPtrArray *
lb_file_items_merge (GPtrArray *a,
                     GPtrArray *b,
                     int        spec)
{
  GPtrArray *merged = g_ptr_array_sized_new (a->len + b->len);
  guint i = 0, j = 0;

  /* A few items into many: binary search where each goes and copy the
   * stretches in between; otherwise one linear pass is fewer
   * comparisons. */
  if ((guint64) b->len * g_bit_storage (a->len) < a->len + b->len)
    {
      for (; j < b->len; j++)
        {
          LbFileItem *item = g_ptr_array_index (b, j);
          guint end = lb_file_items_lower_bound (a, item, spec, i);

          for (; i < end; i++)
            g_ptr_array_add (merged, g_ptr_array_index (a, i));
          g_ptr_array_add (merged, item);
        }
    }
  else
    {
      while (i < a->len && j < b->len)
        {
          if (lb_file_item_compare (g_ptr_array_index (a, i), g_ptr_array_index (b, j), spec) < 0)
            g_ptr_array_add (merged, g_ptr_array_index (a, i++));
          else
            g_ptr_array_add (merged, g_ptr_array_index (b, j++));
        }
    }

  for (; i < a->len; i++)
    g_ptr_array_add (merged, g_ptr_array_index (a, i));
  for (; j < b->len; j++)
    g_ptr_array_add (merged, g_ptr_array_index (b, j));

  return merged;
}

GPtrArray *
lb_file_items_merge_owned (GPtrArray *a,
                           GPtrArray *b,
                           int        spec)
{
  GPtrArray *merged = lb_file_items_merge (a, b, spec);

  g_ptr_array_set_free_func (merged, g_object_unref);
  g_ptr_array_set_free_func (a, NULL);
  g_ptr_array_set_free_func (b, NULL);
  g_ptr_array_unref (a);
  g_ptr_array_unref (b);

  return merged;
}

/* --- releasing big arrays off the calling thread ------------------------- */

static void
release_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_ptr_array_set_size (task_data, 0);
}

void
lb_file_items_release (GPtrArray *items)
{
  g_autoptr(GTask) task = NULL;

  if (items->len < THREADED_FREE_MIN)
    {
      g_ptr_array_unref (items);
      return;
    }

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, lb_file_items_release);
  g_task_set_task_data (task, items, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, release_thread);
}

/* --- sorting a snapshot on a thread -------------------------------------- */

typedef struct {
  LbFileItemSortKeys  keys;
  LbFileItem         *item;
  gboolean            read_date_taken;  /* the thread reads it into keys */
} SortEntry;

typedef struct {
  GArray       *entries;      /* SortEntry */
  int           spec;
  GCancellable *cancellable;  /* of reading dates only */
} SortData;

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return compare_keys (&((const SortEntry *) a)->keys, &((const SortEntry *) b)->keys,
                       GPOINTER_TO_INT (user_data));
}

static void
sort_data_free (SortData *data)
{
  /* Items that lb_file_items_sort_finish() took are NULL. */
  for (guint i = 0; i < data->entries->len; i++)
    g_clear_object (&g_array_index (data->entries, SortEntry, i).item);
  g_array_unref (data->entries);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
sort_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SortData *data = task_data;

  /* Into the snapshot only: the items are the asking thread's. */
  for (guint i = 0; i < data->entries->len && !g_cancellable_is_cancelled (data->cancellable); i++)
    {
      SortEntry *entry = &g_array_index (data->entries, SortEntry, i);

      if (entry->read_date_taken)
        entry->keys.date_taken = read_date_taken (lb_file_item_get_file (entry->item),
                                                  data->cancellable);
    }

  g_array_sort_with_data (data->entries, compare_entries, GINT_TO_POINTER (data->spec));
  g_task_return_boolean (task, TRUE);
}

void
lb_file_items_sort_async (GObject             *source_object,
                          GPtrArray           *items,
                          int                  spec,
                          gboolean             read_dates,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SortData *data;

  g_return_if_fail (items != NULL);

  /* A snapshot of the keys: the items may change while the thread sorts. */
  data = g_new0 (SortData, 1);
  data->spec = spec;
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  data->entries = g_array_sized_new (FALSE, FALSE, sizeof (SortEntry), items->len);
  for (guint i = 0; i < items->len; i++)
    {
      LbFileItem *item = g_ptr_array_index (items, i);
      SortEntry entry = { *lb_file_item_get_sort_keys (item), g_object_ref (item),
                          read_dates && lb_file_item_needs_date_taken (item) };

      g_array_append_val (data->entries, entry);
    }

  /* The task itself is not cancellable: its result always comes back,
   * and the caller decides whether it still wants it. */
  task = g_task_new (source_object, NULL, callback, user_data);
  g_task_set_source_tag (task, lb_file_items_sort_async);
  g_task_set_name (task, "[lightbox] sort folder");
  g_task_set_task_data (task, data, (GDestroyNotify) sort_data_free);
  g_task_run_in_thread (task, sort_thread);
}

GPtrArray *
lb_file_items_sort_finish (GAsyncResult *result)
{
  SortData *data;
  GPtrArray *sorted;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_file_items_sort_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  sorted = g_ptr_array_new_full (data->entries->len, g_object_unref);
  for (guint i = 0; i < data->entries->len; i++)
    {
      SortEntry *entry = &g_array_index (data->entries, SortEntry, i);

      if (entry->read_date_taken)
        lb_file_item_set_date_taken (entry->item, entry->keys.date_taken);
      /* Their references move over: 100,000 of them add up. */
      g_ptr_array_add (sorted, g_steal_pointer (&entry->item));
    }

  return sorted;
}
