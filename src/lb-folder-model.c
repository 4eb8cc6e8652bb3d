/* lb-folder-model.c
 *
 * Two arrays: every item of the folder ("all"), sorted, and the items
 * that pass the filters ("shown"), a subsequence of it in the same order,
 * which is what the GListModel exposes. Nothing costs more than a linear
 * pass on the main thread:
 *
 *  - Jobs on a worker thread enumerate the folder (or query the files a
 *    monitor event named), make the items, compute their collation keys
 *    and sort each batch; the main thread merges the sorted batch.
 *  - A new sort order sorts a snapshot of the keys on a worker thread
 *    (small folders are sorted in place); items that came or changed in
 *    the meantime are merged into the result when it lands.
 *  - Filtering is a scan of flags and precomputed search keys.
 *
 * Changes are announced as a few exact items-changed runs, or as one run
 * spanning them all when they are scattered, so that a view never gets
 * thousands of signals for one batch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gi18n.h>

#include "lb-background-thread.h"
#include "lb-folder-model.h"
#include "lb-folder-watch.h"
#include "lb-image-info.h"

/* The first batch is small so that the first files show at once; later
 * ones grow, so that a huge folder costs few merges. */
#define FIRST_BATCH_SIZE     64
#define MAX_BATCH_SIZE       4096
/* A batch is also sent when it has waited this long (slow storage). */
#define BATCH_INTERVAL_US    (40 * 1000)
/* The first screens fill by slices, one per main loop turn: GtkGridView
 * makes a cell for each of the first ~150 items at once, ~1 ms each, and
 * lays them all out in the next frame. A slice is about a screen of big
 * thumbnails, so that the first frame comes soon; the rest of a listing
 * that is complete cannot move it (see n_settled). */
#define FIRST_SCREEN_ITEMS   192
#define FIRST_SCREEN_SLICE   24
/* Monitor events are gathered this long, so that storms cost one job. */
#define MONITOR_DELAY_MS     50
/* More runs than this are announced as one spanning change. A grid view
 * rebinds the cells on screen after every change that lands before
 * them: 32 runs in one turn rebound some 900 cells (30 ms), where one
 * spanning change rebinds each once. */
#define MAX_CHANGE_RUNS      4
/* GtkMultiSelection looks at every item a change adds (~0.4 µs each, a
 * cache miss apiece): a batch spread over a 100,000-file list, announced
 * as one change over all of it, blocked the main loop for 50 ms. A batch
 * goes in by stretches of the list this long, one per turn. */
#define MAX_CHANGE_SPAN      8192
/* Smaller folders are re-sorted in place, bigger ones on a thread. */
#define THREADED_SORT_MIN    4096
/* Listing yields the CPU to the main thread, not to the decoders (10). */
#define LISTING_NICENESS     5
/* Bigger arrays of old items are released on a thread. */
#define THREADED_FREE_MIN    2048

G_DEFINE_ENUM_TYPE (LbSortKey, lb_sort_key,
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_NAME, "name"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_MODIFIED, "modified"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_SIZE, "size"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_TYPE, "type"),
  G_DEFINE_ENUM_VALUE (LB_SORT_KEY_DATE_TAKEN, "date-taken"))

/* A sort order packed in an int, so that workers can read it atomically. */
#define SORT_SPEC(key, descending) ((int) (key) | ((descending) ? 0x100 : 0))
#define SORT_SPEC_KEY(spec)        ((LbSortKey) ((spec) & 0xff))
#define SORT_SPEC_DESCENDING(spec) (((spec) & 0x100) != 0)

typedef enum {
  MESSAGE_MONITOR,
  MESSAGE_BATCH,   /* merged by job_drain() */
  MESSAGE_DONE,
} MessageType;

typedef struct {
  MessageType   type;
  GPtrArray    *items;    /* BATCH: LbFileItem, sorted by spec */
  GPtrArray    *full;     /* BATCH of an enumeration: all it listed so far, sorted */
  gboolean      rest;     /* BATCH: what a turn left of a bigger one */
  int           spec;
  GFileMonitor *monitor;  /* MONITOR, or NULL */
  gboolean      refused;  /* MONITOR: the kernel would not watch the folder */
  GError       *error;    /* DONE */
} Message;

/* One run of the worker: the enumeration of a folder, or the query of
 * the files named by monitor events. Shared by the worker and the main
 * thread; the model pointer is only used on the main thread, and only
 * while the job is not cancelled (the model cancels its jobs before it
 * goes away). */
typedef struct {
  gatomicrefcount  ref_count;
  LbFolderModel   *model;
  GFile           *folder;
  GStrv            names;        /* NULL: enumerate the whole folder */
  GCancellable    *cancellable;
  GMainContext    *context;
  guint64          serial;       /* the model's event serial at the start */
  int              sort_spec;    /* atomic */
  int              n_shown;      /* atomic: the model's, after the last drain */
  guint            foreign_at_start;
  GPtrArray       *sorted;       /* worker only: everything listed so far */
  int              sorted_spec;

  GMutex           lock;
  GQueue           inbox;        /* Message */
  gboolean         drain_scheduled;
  int              posted_all;   /* atomic: DONE is in the inbox */
} Job;

struct _LbFolderModel
{
  GObject       parent_instance;

  GFile        *folder;
  GCancellable *cancellable;    /* of everything of this folder */
  Job          *enumeration;
  GFileMonitor *monitor;
  gboolean      watched;        /* FALSE: the kernel refused the monitor */
  guint         n_jobs;
  gboolean      loading;
  guint         n_settled;      /* while loading: see lb_folder_model_get_n_settled() */
  GError       *error;

  GPtrArray    *all;            /* LbFileItem, owned, sorted by applied_spec */
  GPtrArray    *shown;          /* borrowed from all, same order */
  GHashTable   *by_name;        /* name → item of all */

  int           sort_spec;      /* the order asked for */
  int           applied_spec;   /* the order of all */
  gboolean      show_hidden;
  gboolean      images_only;
  char         *filter_text;
  char         *filter_key;     /* folded filter_text, NULL for none */

  /* A re-sort on a worker thread, while it runs */
  guint         sort_serial;
  gboolean      sorting;
  GHashTable   *added_while_sorting;  /* item → item, owned */

  /* Monitor events not yet acted on */
  GHashTable   *pending_queries;      /* name set */
  GHashTable   *pending_removals;     /* name set */
  guint         monitor_source;
  guint64       event_serial;
  guint         foreign_changes;      /* to all, other than by the enumeration */
  GHashTable   *removed_at;           /* name → serial, while jobs run */
};

static void lb_folder_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LbFolderModel, lb_folder_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      lb_folder_model_list_model_init))

enum {
  PROP_0,
  PROP_FOLDER,
  PROP_LOADING,
  PROP_WATCHED,
  PROP_ERROR,
  PROP_N_ITEMS,
  PROP_N_UNFILTERED,
  PROP_SORT_KEY,
  PROP_SORT_DESCENDING,
  PROP_SORTING,
  PROP_SHOW_HIDDEN,
  PROP_IMAGES_ONLY,
  PROP_FILTER_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_job (LbFolderModel *self,
                       GStrv          names);
static void lb_folder_model_resort (LbFolderModel *self);

/* --- ordering ------------------------------------------------------------ */

static int
compare_keys (const LbFileItemSortKeys *a,
              const LbFileItemSortKeys *b,
              int                       spec)
{
  int result = 0;

  /* Folders first, whatever the order. */
  if (a->is_folder != b->is_folder)
    return a->is_folder ? -1 : 1;

  switch (SORT_SPEC_KEY (spec))
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

  return SORT_SPEC_DESCENDING (spec) ? -result : result;
}

static int
compare_items (LbFileItem *a,
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
  return compare_items (*(LbFileItem **) a, *(LbFileItem **) b, GPOINTER_TO_INT (user_data));
}

static void
sort_items (GPtrArray *items,
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

static gboolean
item_needs_date_taken (LbFileItem *item)
{
  return lb_file_item_get_is_image (item) && !lb_file_item_get_has_date_taken (item);
}

/* Items not yet handed to the main thread, so still the worker's to set. */
static void
read_dates_taken (GPtrArray    *items,
                  GCancellable *cancellable)
{
  for (guint i = 0; i < items->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      LbFileItem *item = g_ptr_array_index (items, i);

      if (item_needs_date_taken (item))
        lb_file_item_set_date_taken (item, read_date_taken (lb_file_item_get_file (item), cancellable));
    }
}

/* Sorting by date taken, with images whose date is still unread. */
static gboolean
lb_folder_model_needs_dates_taken (LbFolderModel *self)
{
  if (SORT_SPEC_KEY (self->sort_spec) != LB_SORT_KEY_DATE_TAKEN)
    return FALSE;

  for (guint i = 0; i < self->all->len; i++)
    if (item_needs_date_taken (g_ptr_array_index (self->all, i)))
      return TRUE;

  return FALSE;
}

static gpointer
copy_item (gconstpointer item,
           gpointer      user_data)
{
  return g_object_ref ((gpointer) item);
}

/* A copy of @items that owns them. */
static GPtrArray *
copy_items (GPtrArray *items)
{
  GPtrArray *copy = g_ptr_array_copy (items, copy_item, NULL);

  g_ptr_array_set_free_func (copy, g_object_unref);

  return copy;
}

/* The first position of @array (sorted by @spec) not before @item. */
static guint
lower_bound (GPtrArray  *array,
             LbFileItem *item,
             int         spec,
             guint       start)
{
  guint low = start;
  guint high = array->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (compare_items (g_ptr_array_index (array, mid), item, spec) < 0)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

/* A new array with the items of the sorted arrays @a and @b, in order,
 * borrowed: callers that own items move references over themselves. */
static GPtrArray *
merge_sorted (GPtrArray *a,
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
          guint end = lower_bound (a, item, spec, i);

          for (; i < end; i++)
            g_ptr_array_add (merged, g_ptr_array_index (a, i));
          g_ptr_array_add (merged, item);
        }
    }
  else
    {
      while (i < a->len && j < b->len)
        {
          if (compare_items (g_ptr_array_index (a, i), g_ptr_array_index (b, j), spec) < 0)
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

/* Merges @b into @a, both owning their items, into one that owns them
 * all, without touching a reference: 100,000 of them add up. */
static GPtrArray *
merge_owned (GPtrArray *a,
             GPtrArray *b,
             int        spec)
{
  GPtrArray *merged = merge_sorted (a, b, spec);

  g_ptr_array_set_free_func (merged, g_object_unref);
  g_ptr_array_set_free_func (a, NULL);
  g_ptr_array_set_free_func (b, NULL);
  g_ptr_array_unref (a);
  g_ptr_array_unref (b);

  return merged;
}

/* --- releasing big arrays off the main thread ---------------------------- */

static void
release_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  /* Finalizing 100,000 items takes a good part of a second. */
  g_ptr_array_set_size (task_data, 0);
}

static void
release_items (GPtrArray *items)
{
  g_autoptr(GTask) task = NULL;

  if (items->len < THREADED_FREE_MIN)
    {
      g_ptr_array_unref (items);
      return;
    }

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, release_items);
  g_task_set_task_data (task, items, (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, release_thread);
}

/* --- announcing changes -------------------------------------------------- */

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

/* Replaces the shown items with @new_shown and emits the difference.
 * @reference holds every item of both lists in their common order, so
 * that the walk needs no comparisons: it stays right even while an
 * item's keys are being changed. */
static void
lb_folder_model_set_shown (LbFolderModel *self,
                           GPtrArray     *new_shown,
                           GPtrArray     *reference)
{
  GPtrArray *old_shown = self->shown;
  guint n_old = old_shown->len;
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (Run));
  guint i = 0, j = 0;
  Run run = { 0, 0, 0 };
  gboolean in_run = FALSE;

  /* Only a slice of a complete listing settles anything, once it is in. */
  self->n_settled = 0;

  for (guint k = 0; k < reference->len; k++)
    {
      gpointer item = g_ptr_array_index (reference, k);
      gboolean in_old = i < n_old && g_ptr_array_index (old_shown, i) == item;
      gboolean in_new = j < new_shown->len && g_ptr_array_index (new_shown, j) == item;

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
  g_assert (i == n_old && j == new_shown->len);

  if (runs->len <= MAX_CHANGE_RUNS)
    {
      /* Exact runs, each emitted once the list looks as it says. */
      for (guint r = 0; r < runs->len; r++)
        {
          Run *each = &g_array_index (runs, Run, r);

          ptr_array_splice (self->shown, each->position, each->removed,
                            new_shown->pdata + each->position, each->added);
          g_list_model_items_changed (G_LIST_MODEL (self), each->position,
                                      each->removed, each->added);
        }
      g_ptr_array_unref (self->shown);
      self->shown = new_shown;
    }
  else
    {
      Run *first = &g_array_index (runs, Run, 0);
      Run *last = &g_array_index (runs, Run, runs->len - 1);
      guint tail = new_shown->len - (last->position + last->added);

      g_ptr_array_unref (self->shown);
      self->shown = new_shown;
      g_list_model_items_changed (G_LIST_MODEL (self), first->position,
                                  n_old - first->position - tail,
                                  new_shown->len - first->position - tail);
    }

  if (n_old != new_shown->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* --- filtering ----------------------------------------------------------- */

static gboolean
lb_folder_model_filter (LbFolderModel *self,
                        LbFileItem    *item)
{
  if (!self->show_hidden && lb_file_item_get_is_hidden (item))
    return FALSE;
  if (self->images_only && !lb_file_item_get_is_folder (item) && !lb_file_item_get_is_image (item))
    return FALSE;
  if (self->filter_key != NULL && strstr (lb_file_item_get_search_key (item), self->filter_key) == NULL)
    return FALSE;

  return TRUE;
}

static GPtrArray *
lb_folder_model_filter_all (LbFolderModel *self,
                            GPtrArray     *items)
{
  GPtrArray *shown = g_ptr_array_sized_new (items->len);

  for (guint i = 0; i < items->len; i++)
    if (lb_folder_model_filter (self, g_ptr_array_index (items, i)))
      g_ptr_array_add (shown, g_ptr_array_index (items, i));

  return shown;
}

static void
lb_folder_model_refilter (LbFolderModel *self)
{
  lb_folder_model_set_shown (self, lb_folder_model_filter_all (self, self->all), self->all);
}

/* --- adding and removing ------------------------------------------------- */

static void
lb_folder_model_set_all (LbFolderModel *self,
                         GPtrArray     *all)
{
  gboolean count_changed = all->len != self->all->len;

  g_ptr_array_unref (self->all);
  self->all = all;
  if (count_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNFILTERED]);
}

/* Adds @items (sorted by the applied order, not yet in the model). */
static void
lb_folder_model_insert_sorted (LbFolderModel *self,
                               GPtrArray     *items)
{
  g_autoptr(GPtrArray) shown_items = lb_folder_model_filter_all (self, items);

  for (guint i = 0; i < items->len; i++)
    {
      LbFileItem *item = g_ptr_array_index (items, i);

      g_hash_table_insert (self->by_name, (gpointer) lb_file_item_get_name (item), item);
      /* The re-sort under way knows nothing of it: merged when it lands. */
      if (self->sorting)
        g_hash_table_add (self->added_while_sorting, g_object_ref (item));
    }

  lb_folder_model_set_all (self, merge_owned (g_ptr_array_ref (self->all), copy_items (items),
                                             self->applied_spec));
  lb_folder_model_set_shown (self, merge_sorted (self->shown, shown_items, self->applied_spec),
                             self->all);
}

/* Everything still to come of a complete listing sorts after @last: the
 * shown items up to it are where they stay. */
static void
lb_folder_model_settle (LbFolderModel *self,
                        LbFileItem    *last)
{
  guint n = lower_bound (self->shown, last, self->applied_spec, 0);

  if (n < self->shown->len && g_ptr_array_index (self->shown, n) == last)
    n++;
  self->n_settled = n;
}

/* Takes the items of @removed (a set) out; they stay alive while the
 * set holds them. */
static void
lb_folder_model_remove_set (LbFolderModel *self,
                            GHashTable    *removed)
{
  GPtrArray *all;
  GPtrArray *shown;
  GHashTableIter iter;
  LbFileItem *item;

  if (g_hash_table_size (removed) == 0)
    return;

  self->foreign_changes++;
  g_hash_table_iter_init (&iter, removed);
  while (g_hash_table_iter_next (&iter, (gpointer *) &item, NULL))
    {
      g_hash_table_remove (self->by_name, lb_file_item_get_name (item));
      if (self->added_while_sorting != NULL)
        g_hash_table_remove (self->added_while_sorting, item);
    }

  all = g_ptr_array_new_full (self->all->len, g_object_unref);
  for (guint i = 0; i < self->all->len; i++)
    if (!g_hash_table_contains (removed, g_ptr_array_index (self->all, i)))
      g_ptr_array_add (all, g_object_ref (g_ptr_array_index (self->all, i)));

  shown = g_ptr_array_sized_new (self->shown->len);
  for (guint i = 0; i < self->shown->len; i++)
    if (!g_hash_table_contains (removed, g_ptr_array_index (self->shown, i)))
      g_ptr_array_add (shown, g_ptr_array_index (self->shown, i));

  /* The shown list borrows from all: announce before the old all goes. */
  lb_folder_model_set_shown (self, shown, self->all);
  lb_folder_model_set_all (self, all);
}

/* The enumeration merged its batches into @full, everything it listed
 * so far: when the model holds just what it listed before, @full simply
 * takes the place of all, and only filtering is left to do here. */
static gboolean
lb_folder_model_take_full (LbFolderModel *self,
                           Job           *job,
                           GPtrArray     *batch,
                           int            batch_spec,
                           GPtrArray    **full)
{
  GPtrArray *old_all;

  if (full == NULL || *full == NULL || job != self->enumeration || batch_spec != self->applied_spec ||
      self->sorting || self->foreign_changes != job->foreign_at_start ||
      self->all->len + batch->len != (*full)->len)
    return FALSE;

  for (guint i = 0; i < batch->len; i++)
    {
      LbFileItem *item = g_ptr_array_index (batch, i);

      g_hash_table_insert (self->by_name, (gpointer) lb_file_item_get_name (item), item);
    }

  old_all = self->all;
  self->all = g_steal_pointer (full);
  lb_folder_model_set_shown (self, lb_folder_model_filter_all (self, self->all), self->all);
  release_items (old_all);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNFILTERED]);

  return TRUE;
}

/* A batch from a job: new files are merged, known ones updated. */
static void
lb_folder_model_add_batch (LbFolderModel *self,
                           Job           *job,
                           GPtrArray     *batch,
                           int            batch_spec,
                           GPtrArray    **full)
{
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GPtrArray) changed = NULL;  /* known, newer, known, newer… */
  gboolean sorted = batch_spec == self->applied_spec;

  if (lb_folder_model_take_full (self, job, batch, batch_spec, full))
    return;

  if (job != self->enumeration)
    self->foreign_changes++;

  added = g_ptr_array_new_with_free_func (g_object_unref);
  changed = g_ptr_array_new ();

  for (guint i = 0; i < batch->len; i++)
    {
      LbFileItem *item = g_ptr_array_index (batch, i);
      const char *name = lb_file_item_get_name (item);
      LbFileItem *known = g_hash_table_lookup (self->by_name, name);
      gpointer removed_at;

      /* Removed after the job looked at it: the item is stale. */
      if (g_hash_table_lookup_extended (self->removed_at, name, NULL, &removed_at) &&
          *(guint64 *) removed_at > job->serial)
        continue;

      if (known == NULL)
        {
          g_ptr_array_add (added, g_object_ref (item));
        }
      else if (lb_file_item_differs (known, item))
        {
          g_ptr_array_add (changed, known);
          g_ptr_array_add (changed, item);
        }
    }

  if (changed->len > 0)
    {
      g_autoptr(GHashTable) moved = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

      /* Known already and changed: taken out, updated in place (views
       * that hold the item see it), and put back where it now belongs. */
      for (guint i = 0; i < changed->len; i += 2)
        g_hash_table_add (moved, g_object_ref (g_ptr_array_index (changed, i)));
      lb_folder_model_remove_set (self, moved);
      for (guint i = 0; i < changed->len; i += 2)
        {
          lb_file_item_update (g_ptr_array_index (changed, i), g_ptr_array_index (changed, i + 1));
          g_ptr_array_add (added, g_object_ref (g_ptr_array_index (changed, i)));
        }
      sorted = FALSE;
    }

  if (added->len == 0)
    return;

  if (!sorted)
    sort_items (added, self->applied_spec);
  lb_folder_model_insert_sorted (self, added);

  /* Came from a job that was not sorting by date: read theirs. */
  if (!self->sorting && lb_folder_model_needs_dates_taken (self))
    lb_folder_model_resort (self);
}

/* --- the worker ---------------------------------------------------------- */

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref_count);

  return job;
}

static void
message_free (Message *message)
{
  if (message->full != NULL)
    release_items (g_steal_pointer (&message->full));
  g_clear_pointer (&message->items, g_ptr_array_unref);
  g_clear_object (&message->monitor);
  g_clear_error (&message->error);
  g_free (message);
}

static void
job_unref (Job *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  g_queue_clear_full (&job->inbox, (GDestroyNotify) message_free);
  g_mutex_clear (&job->lock);
  g_object_unref (job->folder);
  g_strfreev (job->names);
  g_object_unref (job->cancellable);
  g_main_context_unref (job->context);
  g_free (job);
}

static void
job_closure_unref (gpointer  data,
                   GClosure *closure)
{
  job_unref (data);
}

static void lb_folder_model_handle_message (LbFolderModel *self,
                                            Job           *job,
                                            Message       *message);

/* Merges the sorted @batch into @into, both sorted by @spec. */
static GPtrArray *
merge_batches (GPtrArray *into,
               GPtrArray *batch,
               int        spec)
{
  GPtrArray *merged;

  if (into == NULL)
    return g_ptr_array_ref (batch);

  merged = merge_owned (into, copy_items (batch), spec);

  return merged;
}

static void job_schedule_drain (Job *job);

/* For the worker: whether the model shows anything yet decides how soon
 * the next turn comes (see job_schedule_drain()). */
static void
job_note_n_shown (Job *job)
{
  if (!g_cancellable_is_cancelled (job->cancellable))
    g_atomic_int_set (&job->n_shown, job->model->shown->len);
}

/* Puts @messages back in front of what came meanwhile, for the next turn. */
static void
job_requeue (Job    *job,
             GQueue *messages)
{
  Message *message;

  /* Before the next turn is scheduled, which then yields to redrawing
   * once anything is shown. */
  job_note_n_shown (job);

  g_mutex_lock (&job->lock);
  while ((message = g_queue_pop_tail (messages)) != NULL)
    g_queue_push_head (&job->inbox, message);
  g_mutex_unlock (&job->lock);

  job_schedule_drain (job);
}

/* How many items of @batch (sorted by @spec) go in this turn. While the
 * first screens fill: a slice, so that cells are made a few at a time.
 * Then those that land in one stretch of the list, so that the change
 * announced stays short (see MAX_CHANGE_SPAN). */
static guint
batch_slice_length (LbFolderModel *self,
                    GPtrArray     *batch,
                    int            spec)
{
  guint start, length;

  if (self->shown->len < FIRST_SCREEN_ITEMS)
    return MIN (batch->len, FIRST_SCREEN_SLICE);

  /* Not in the order of the list: added as a whole, as re-sorted. A
   * query of files gone meanwhile may find none. */
  if (spec != self->applied_spec || self->sorting || batch->len == 0)
    return batch->len;

  /* Each item that lands among the first screens while they are looked
   * at costs a cell made, and one pushed off the screen dropped, in this
   * turn (a few dozen of them blocked the main loop for 50 ms): there
   * too, a slice per turn. */
  if (self->loading &&
      lower_bound (batch, g_ptr_array_index (self->shown, FIRST_SCREEN_ITEMS - 1), spec, 0) > FIRST_SCREEN_SLICE)
    return FIRST_SCREEN_SLICE;

  length = MIN (batch->len, MAX_CHANGE_SPAN);
  start = lower_bound (self->shown, g_ptr_array_index (batch, 0), spec, 0);
  if (start + MAX_CHANGE_SPAN < self->shown->len)
    length = MIN (length, lower_bound (batch, g_ptr_array_index (self->shown, start + MAX_CHANGE_SPAN), spec, 0));

  /* At least one item, so that every turn gets on. */
  return MAX (1, length);
}

/* Takes the slice of @batch that goes in this turn; the rest becomes a
 * message of its own for the next turn. When it splits @batch, which
 * the caller must hold alone, the two parts take over its references:
 * a rest of 100,000 items is not referenced anew on every turn. */
static GPtrArray *
split_batch (LbFolderModel *self,
             GPtrArray     *batch,
             int            spec,
             Message      **rest)
{
  guint length = batch_slice_length (self, batch, spec);
  GPtrArray *slice;

  *rest = NULL;
  if (length == batch->len)
    return g_ptr_array_ref (batch);

  slice = g_ptr_array_new_full (length, g_object_unref);
  g_ptr_array_set_size (slice, length);
  memcpy (slice->pdata, batch->pdata, length * sizeof (gpointer));

  *rest = g_new0 (Message, 1);
  (*rest)->type = MESSAGE_BATCH;
  (*rest)->rest = TRUE;
  (*rest)->items = g_ptr_array_new_full (batch->len - length, g_object_unref);
  g_ptr_array_set_size ((*rest)->items, batch->len - length);
  memcpy ((*rest)->items->pdata, batch->pdata + length, (batch->len - length) * sizeof (gpointer));

  g_ptr_array_set_free_func (batch, NULL);
  g_ptr_array_set_size (batch, 0);

  return slice;
}

/* Whether the enumeration has nothing more to send than @messages, the
 * ones of this turn that are still to be handled. */
static gboolean
job_listed_all (Job    *job,
                GQueue *messages)
{
  Message *next = g_queue_peek_head (messages);

  return job == job->model->enumeration && next != NULL && next->type == MESSAGE_DONE;
}

/* Adds @batch, or its first slice; FALSE when the rest must wait. */
static gboolean
job_add_batch (Job        *job,
               GPtrArray  *batch,
               int         spec,
               GPtrArray **full,
               GQueue     *messages)
{
  g_autoptr(GPtrArray) now = NULL;
  Message *rest = NULL;

  if (batch == NULL || g_cancellable_is_cancelled (job->cancellable))
    return TRUE;

  now = split_batch (job->model, batch, spec, &rest);
  if (rest == NULL)
    {
      lb_folder_model_add_batch (job->model, job, now, spec, full);
      return TRUE;
    }

  /* The full list goes on with the rest, which it still describes. */
  lb_folder_model_add_batch (job->model, job, now, spec, NULL);
  if (job_listed_all (job, messages) && spec == job->model->applied_spec)
    lb_folder_model_settle (job->model, g_ptr_array_index (now, now->len - 1));
  rest->spec = spec;
  rest->full = g_steal_pointer (full);
  g_queue_push_head (messages, rest);
  job_requeue (job, messages);

  return FALSE;
}

static gboolean
job_drain (gpointer user_data)
{
  Job *job = user_data;
  GQueue messages;
  Message *message;
  g_autoptr(GPtrArray) batch = NULL;
  GPtrArray *full = NULL;
  int spec = 0;

  /* Scheduled early by the worker, which had not yet seen the first
   * items go in: now that they are, this turn waits for the frame that
   * shows them too. */
  if (g_source_get_priority (g_main_current_source ()) < G_PRIORITY_DEFAULT_IDLE &&
      !g_cancellable_is_cancelled (job->cancellable) && job->model->shown->len > 0)
    {
      g_mutex_lock (&job->lock);
      job->drain_scheduled = FALSE;
      g_mutex_unlock (&job->lock);
      job_note_n_shown (job);
      job_schedule_drain (job);

      return G_SOURCE_REMOVE;
    }

  g_mutex_lock (&job->lock);
  messages = job->inbox;
  g_queue_init (&job->inbox);
  job->drain_scheduled = FALSE;
  g_mutex_unlock (&job->lock);

  /* Everything that came since the last turn, batches merged into one:
   * a view redraws once per turn, however fast the worker is. The last
   * full list of an enumeration holds all the ones before. */
  while ((message = g_queue_pop_head (&messages)) != NULL)
    {
      if (g_cancellable_is_cancelled (job->cancellable))
        {
          message_free (message);
          continue;
        }

      /* What a turn left goes in alone, first: merging new batches into a
       * big rest would cost a pass over all of it, turn after turn. */
      if (message->type == MESSAGE_BATCH && message->rest)
        {
          g_assert (batch == NULL);
          batch = g_ptr_array_ref (message->items);
          spec = message->spec;
          full = g_steal_pointer (&message->full);
          message_free (message);
          if (job_add_batch (job, batch, spec, &full, &messages))
            job_requeue (job, &messages);
          if (full != NULL)
            release_items (full);
          return G_SOURCE_REMOVE;
        }

      if (message->type == MESSAGE_BATCH && (batch == NULL || message->spec == spec))
        {
          batch = merge_batches (batch, message->items, message->spec);
          spec = message->spec;
          if (message->full != NULL)
            {
              if (full != NULL)
                release_items (full);
              full = g_steal_pointer (&message->full);
            }
          message_free (message);
          continue;
        }

      g_queue_push_head (&messages, message);
      if (!job_add_batch (job, batch, spec, &full, &messages))
        return G_SOURCE_REMOVE;
      g_clear_pointer (&batch, g_ptr_array_unref);
      if (full != NULL)
        release_items (g_steal_pointer (&full));

      message = g_queue_pop_head (&messages);
      if (message->type == MESSAGE_BATCH)
        {
          batch = g_ptr_array_ref (message->items);
          spec = message->spec;
          full = g_steal_pointer (&message->full);
        }
      else
        {
          lb_folder_model_handle_message (job->model, job, message);
        }
      message_free (message);
    }

  job_add_batch (job, batch, spec, &full, &messages);
  if (full != NULL)
    release_items (full);
  job_note_n_shown (job);

  return G_SOURCE_REMOVE;
}

static void
job_schedule_drain (Job *job)
{
  g_autoptr(GSource) source = NULL;
  gboolean schedule;

  g_mutex_lock (&job->lock);
  schedule = !job->drain_scheduled && !g_queue_is_empty (&job->inbox);
  if (schedule)
    job->drain_scheduled = TRUE;
  g_mutex_unlock (&job->lock);

  if (!schedule)
    return;

  /* Below redrawing, so that a flood of batches never starves it; but
   * the very first files go in before the window's first frame. */
  source = g_idle_source_new ();
  g_source_set_priority (source, g_atomic_int_get (&job->n_shown) == 0 ? G_PRIORITY_DEFAULT
                                                                      : G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, job_drain, job_ref (job), (GDestroyNotify) job_unref);
  g_source_set_static_name (source, "[lightbox] folder batches");
  g_source_attach (source, job->context);
}

static void
job_post (Job     *job,
          Message *message)
{
  g_mutex_lock (&job->lock);
  g_queue_push_tail (&job->inbox, message);
  g_mutex_unlock (&job->lock);

  job_schedule_drain (job);
}

static void
job_post_batch (Job       *job,
                GPtrArray *items)
{
  Message *message = g_new0 (Message, 1);

  message->type = MESSAGE_BATCH;
  message->spec = g_atomic_int_get (&job->sort_spec);
  if (SORT_SPEC_KEY (message->spec) == LB_SORT_KEY_DATE_TAKEN)
    read_dates_taken (items, job->cancellable);
  sort_items (items, message->spec);
  message->items = items;

  /* An enumeration also merges here, off the main thread, into the list
   * of all it found so far: the main thread then only swaps it in. */
  if (job->names == NULL)
    {
      if (job->sorted == NULL)
        job->sorted = g_ptr_array_new_with_free_func (g_object_unref);
      else if (job->sorted_spec != message->spec)
        sort_items (job->sorted, message->spec);
      job->sorted_spec = message->spec;
      job->sorted = merge_owned (job->sorted, copy_items (items), message->spec);
      message->full = copy_items (job->sorted);
    }

  job_post (job, message);
}

static void on_monitor_changed (GFileMonitor      *monitor,
                                GFile             *file,
                                GFile             *other_file,
                                GFileMonitorEvent  event,
                                gpointer           user_data);

static void
job_watch (Job *job)
{
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor;
  Message *message;

  /* Created here, not on the main thread: for GVfs locations this is a
   * blocking call to the daemon. Reports on the default main context.
   * Connected here too, so that no event falls between two threads. */
  monitor = g_file_monitor_directory (job->folder, G_FILE_MONITOR_WATCH_MOVES,
                                      job->cancellable, &error);
  if (monitor == NULL)
    g_debug ("Not watching the folder: %s", error->message);
  else
    g_signal_connect_data (monitor, "changed", G_CALLBACK (on_monitor_changed),
                           job_ref (job), job_closure_unref, 0);

  message = g_new0 (Message, 1);
  message->type = MESSAGE_MONITOR;
  message->monitor = monitor;
  message->refused = lb_folder_watch_is_refused (job->folder, monitor);
  job_post (job, message);
}

static gboolean
job_enumerate (Job     *job,
               GError **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  guint batch_size = FIRST_BATCH_SIZE;
  gint64 last_post = g_get_monotonic_time ();

  enumerator = g_file_enumerate_children (job->folder, LB_FILE_ITEM_ATTRIBUTES,
                                          G_FILE_QUERY_INFO_NONE, job->cancellable, error);
  if (enumerator == NULL)
    return FALSE;

  batch = g_ptr_array_new_with_free_func (g_object_unref);
  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, job->cancellable, error))
        return FALSE;
      if (info == NULL)
        break;

      g_ptr_array_add (batch, lb_file_item_new (child, info));

      if (batch->len >= batch_size ||
          g_get_monotonic_time () - last_post >= BATCH_INTERVAL_US)
        {
          job_post_batch (job, g_steal_pointer (&batch));
          batch = g_ptr_array_new_with_free_func (g_object_unref);
          batch_size = MIN (batch_size * 2, MAX_BATCH_SIZE);
          last_post = g_get_monotonic_time ();
        }
    }

  if (batch->len > 0)
    job_post_batch (job, g_steal_pointer (&batch));

  return TRUE;
}

static void
job_query (Job *job)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; job->names[i] != NULL; i++)
    {
      g_autoptr(GFile) child = g_file_get_child (job->folder, job->names[i]);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      info = g_file_query_info (child, LB_FILE_ITEM_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                                job->cancellable, &error);
      /* Gone already: its removal event follows. */
      if (info != NULL)
        g_ptr_array_add (batch, lb_file_item_new (child, info));
      else
        g_debug ("Cannot query %s: %s", job->names[i], error->message);
    }

  job_post_batch (job, batch);
}

static gpointer
job_thread (gpointer data)
{
  Job *job = data;
  Message *done = g_new0 (Message, 1);

  /* Below the main thread, which on two cores would otherwise wait for
   * the CPU as long as it works on a batch: above the decoders. Its own
   * thread, since a thread cannot take its priority back. */
  lb_background_thread_enter (LISTING_NICENESS);

  done->type = MESSAGE_DONE;
  if (job->names != NULL)
    {
      job_query (job);
    }
  else
    {
      job_watch (job);
      job_enumerate (job, &done->error);
      /* Here: dropping 100,000 references takes a while. */
      g_clear_pointer (&job->sorted, g_ptr_array_unref);
    }
  job_post (job, done);
  g_atomic_int_set (&job->posted_all, TRUE);
  job_unref (job);

  return NULL;
}

static void
start_job (LbFolderModel *self,
           GStrv          names)
{
  Job *job = g_new0 (Job, 1);

  g_atomic_ref_count_init (&job->ref_count);
  job->model = self;
  job->folder = g_object_ref (self->folder);
  job->names = names;
  job->cancellable = g_object_ref (self->cancellable);
  job->context = g_main_context_ref_thread_default ();
  job->serial = self->event_serial;
  job->sort_spec = self->applied_spec;
  job->foreign_at_start = self->foreign_changes;
  g_mutex_init (&job->lock);
  g_queue_init (&job->inbox);

  if (names == NULL)
    self->enumeration = job;
  self->n_jobs++;

  /* The job holds no reference to the model: it must never be
   * finalized on the worker thread. */
  g_thread_unref (g_thread_new ("lightbox-list", job_thread, job));
}

/* --- the main-thread side of jobs ---------------------------------------- */

static void
lb_folder_model_set_loading (LbFolderModel *self,
                             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
lb_folder_model_set_watched (LbFolderModel *self,
                             gboolean       watched)
{
  if (self->watched == watched)
    return;

  self->watched = watched;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHED]);
}

static void
lb_folder_model_handle_message (LbFolderModel *self,
                                Job           *job,
                                Message       *message)
{
  switch (message->type)
    {
    case MESSAGE_MONITOR:
      g_clear_object (&self->monitor);
      self->monitor = g_steal_pointer (&message->monitor);
      lb_folder_model_set_watched (self, !message->refused);
      break;

    case MESSAGE_DONE:
      self->n_jobs--;
      if (self->n_jobs == 0)
        g_hash_table_remove_all (self->removed_at);

      if (job == self->enumeration)
        {
          self->enumeration = NULL;
          if (message->error != NULL)
            {
              self->error = g_steal_pointer (&message->error);
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
            }
          lb_folder_model_set_loading (self, FALSE);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* --- monitoring ---------------------------------------------------------- */

static gboolean
lb_folder_model_flush_events (gpointer user_data)
{
  LbFolderModel *self = user_data;
  g_autoptr(GHashTable) removed = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  const char *name;

  self->monitor_source = 0;

  /* Removals first: a file removed then made again is queried after. */
  g_hash_table_iter_init (&iter, self->pending_removals);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      LbFileItem *item = g_hash_table_lookup (self->by_name, name);
      guint64 *serial = g_new (guint64, 1);

      *serial = ++self->event_serial;
      g_hash_table_replace (self->removed_at, g_strdup (name), serial);
      if (item != NULL)
        g_hash_table_add (removed, g_object_ref (item));
    }
  g_hash_table_remove_all (self->pending_removals);
  lb_folder_model_remove_set (self, removed);

  if (g_hash_table_size (self->pending_queries) > 0)
    {
      g_hash_table_iter_init (&iter, self->pending_queries);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
        {
          g_ptr_array_add (names, g_strdup (name));
          g_hash_table_iter_steal (&iter);
          g_free ((char *) name);
        }
      g_ptr_array_add (names, NULL);
      self->event_serial++;
      start_job (self, (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE));
    }

  return G_SOURCE_REMOVE;
}

static void
lb_folder_model_lose_folder (LbFolderModel *self)
{
  g_autoptr(GHashTable) removed = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  /* The folder itself went away: say so, as if listing it had failed. */
  for (guint i = 0; i < self->all->len; i++)
    g_hash_table_add (removed, g_object_ref (g_ptr_array_index (self->all, i)));
  lb_folder_model_remove_set (self, removed);

  g_clear_error (&self->error);
  self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                     _("The folder was deleted or moved away"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
lb_folder_model_queue_event (LbFolderModel *self,
                             GFile         *file,
                             gboolean       removal)
{
  g_autofree char *name = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (file);

  /* A move to or from another folder names files elsewhere. */
  if (parent == NULL || !g_file_equal (parent, self->folder))
    return;

  name = g_file_get_basename (file);
  if (removal)
    {
      g_hash_table_remove (self->pending_queries, name);
      g_hash_table_add (self->pending_removals, g_steal_pointer (&name));
    }
  else
    {
      g_hash_table_add (self->pending_queries, g_steal_pointer (&name));
    }

  if (self->monitor_source == 0)
    self->monitor_source = g_timeout_add_full (G_PRIORITY_DEFAULT, MONITOR_DELAY_MS,
                                               lb_folder_model_flush_events, self, NULL);
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  Job *job = user_data;
  LbFolderModel *self = job->model;

  if (g_cancellable_is_cancelled (job->cancellable))
    return;

  if (g_file_equal (file, self->folder))
    {
      if (event == G_FILE_MONITOR_EVENT_DELETED ||
          event == G_FILE_MONITOR_EVENT_MOVED_OUT ||
          event == G_FILE_MONITOR_EVENT_RENAMED ||
          event == G_FILE_MONITOR_EVENT_UNMOUNTED)
        lb_folder_model_lose_folder (self);
      return;
    }

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      lb_folder_model_queue_event (self, file, FALSE);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      lb_folder_model_queue_event (self, file, TRUE);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      lb_folder_model_queue_event (self, file, TRUE);
      if (other_file != NULL)
        lb_folder_model_queue_event (self, other_file, FALSE);
      break;

    case G_FILE_MONITOR_EVENT_CHANGED:
      /* CHANGES_DONE_HINT follows once the writer is done. */
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

/* --- sorting ------------------------------------------------------------- */

typedef struct {
  LbFileItemSortKeys  keys;
  LbFileItem         *item;
  gboolean            read_date_taken;  /* the thread reads it into keys */
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return compare_keys (&((const SortEntry *) a)->keys, &((const SortEntry *) b)->keys,
                       GPOINTER_TO_INT (user_data));
}

static void
sort_entries_free (GArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    g_object_unref (g_array_index (entries, SortEntry, i).item);
  g_array_unref (entries);
}

typedef struct {
  GArray       *entries;
  int           spec;
  guint         serial;
  GCancellable *cancellable;  /* the folder's */
} SortData;

static void
sort_data_free (SortData *data)
{
  g_clear_pointer (&data->entries, sort_entries_free);
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

  /* Into the snapshot only: the items are the main thread's. */
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

static void
lb_folder_model_apply_order (LbFolderModel *self,
                             GPtrArray     *all,
                             int            spec)
{
  guint n_shown = self->shown->len;
  GPtrArray *shown;

  self->applied_spec = spec;
  self->foreign_changes++;
  if (self->enumeration != NULL)
    g_atomic_int_set (&self->enumeration->sort_spec, spec);

  shown = lb_folder_model_filter_all (self, all);
  g_ptr_array_unref (self->shown);
  self->shown = shown;
  self->n_settled = 0;
  lb_folder_model_set_all (self, all);

  /* Everything moved: one change for the whole list. */
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_shown, shown->len);
  if (n_shown != shown->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
lb_folder_model_set_sorting (LbFolderModel *self,
                             gboolean       sorting)
{
  if (self->sorting == sorting)
    return;

  self->sorting = sorting;
  if (sorting)
    self->added_while_sorting = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  else
    g_clear_pointer (&self->added_while_sorting, g_hash_table_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORTING]);
}

static void
sort_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LbFolderModel *self = LB_FOLDER_MODEL (object);
  SortData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) late = NULL;
  GPtrArray *all;
  GHashTableIter iter;
  LbFileItem *item;

  /* A newer order was asked for, or the folder changed. */
  if (data->serial != self->sort_serial)
    return;

  for (guint i = 0; i < data->entries->len; i++)
    {
      SortEntry *entry = &g_array_index (data->entries, SortEntry, i);

      if (entry->read_date_taken)
        lb_file_item_set_date_taken (entry->item, entry->keys.date_taken);
    }

  /* The snapshot, less what went away or changed since, then what came. */
  all = g_ptr_array_new_full (self->all->len, g_object_unref);
  for (guint i = 0; i < data->entries->len; i++)
    {
      item = g_array_index (data->entries, SortEntry, i).item;
      if (g_hash_table_lookup (self->by_name, lb_file_item_get_name (item)) == item &&
          !g_hash_table_contains (self->added_while_sorting, item))
        g_ptr_array_add (all, g_object_ref (item));
    }

  late = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->added_while_sorting);
  while (g_hash_table_iter_next (&iter, (gpointer *) &item, NULL))
    g_ptr_array_add (late, item);
  if (late->len > 0)
    {
      GPtrArray *merged;

      sort_items (late, data->spec);
      merged = merge_owned (all, copy_items (late), data->spec);
      all = merged;
    }

  lb_folder_model_set_sorting (self, FALSE);
  lb_folder_model_apply_order (self, all, data->spec);

  /* Files that came meanwhile have their dates read in turn. */
  if (lb_folder_model_needs_dates_taken (self))
    lb_folder_model_resort (self);
}

static void
lb_folder_model_resort (LbFolderModel *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean needs_dates = lb_folder_model_needs_dates_taken (self);
  SortData *data;

  self->sort_serial++;
  if (self->sort_spec == self->applied_spec && !needs_dates)
    {
      lb_folder_model_set_sorting (self, FALSE);
      return;
    }

  /* Dates taken are read from the files: never on this thread. */
  if (self->all->len < THREADED_SORT_MIN && !needs_dates)
    {
      GPtrArray *all = g_ptr_array_copy (self->all, copy_item, NULL);

      g_ptr_array_set_free_func (all, g_object_unref);
      sort_items (all, self->sort_spec);
      lb_folder_model_set_sorting (self, FALSE);
      lb_folder_model_apply_order (self, all, self->sort_spec);
      return;
    }

  /* A snapshot of the keys: the items may change while the thread sorts. */
  data = g_new0 (SortData, 1);
  data->spec = self->sort_spec;
  data->serial = self->sort_serial;
  data->cancellable = g_object_ref (self->cancellable);
  data->entries = g_array_sized_new (FALSE, FALSE, sizeof (SortEntry), self->all->len);
  for (guint i = 0; i < self->all->len; i++)
    {
      LbFileItem *item = g_ptr_array_index (self->all, i);
      SortEntry entry = { *lb_file_item_get_sort_keys (item), g_object_ref (item),
                          needs_dates && item_needs_date_taken (item) };

      g_array_append_val (data->entries, entry);
    }

  /* Items added from now on are merged into the result. */
  if (self->sorting)
    g_hash_table_remove_all (self->added_while_sorting);
  lb_folder_model_set_sorting (self, TRUE);

  task = g_task_new (self, NULL, sort_done_cb, NULL);
  g_task_set_source_tag (task, lb_folder_model_resort);
  g_task_set_name (task, "[lightbox] sort folder");
  g_task_set_task_data (task, data, (GDestroyNotify) sort_data_free);
  g_task_run_in_thread (task, sort_thread);
}

/* --- the folder ---------------------------------------------------------- */

static void
lb_folder_model_clear (LbFolderModel *self)
{
  guint n_shown = self->shown->len;
  guint n_all = self->all->len;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->enumeration = NULL;
  self->n_jobs = 0;
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_handle_id (&self->monitor_source, g_source_remove);
  g_hash_table_remove_all (self->pending_queries);
  g_hash_table_remove_all (self->pending_removals);
  g_hash_table_remove_all (self->removed_at);

  /* A pending re-sort belongs to the old items. */
  self->sort_serial++;
  lb_folder_model_set_sorting (self, FALSE);
  self->applied_spec = self->sort_spec;

  g_hash_table_remove_all (self->by_name);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  self->shown = g_ptr_array_new ();
  self->n_settled = 0;
  if (n_shown > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_shown, 0);

  release_items (g_steal_pointer (&self->all));
  self->all = g_ptr_array_new_with_free_func (g_object_unref);

  if (n_shown > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (n_all > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNFILTERED]);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
}

static void
lb_folder_model_load (LbFolderModel *self)
{
  lb_folder_model_clear (self);
  lb_folder_model_set_loading (self, self->folder != NULL);
  if (self->folder != NULL)
    start_job (self, NULL);
}

void
lb_folder_model_set_folder (LbFolderModel *self,
                            GFile         *folder)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->folder, folder))
    {
      /* Until the new folder's monitor says otherwise; a reload keeps the
       * old verdict meanwhile, so that a banner about it does not flicker. */
      lb_folder_model_set_watched (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER]);
    }
  lb_folder_model_load (self);
  g_object_thaw_notify (G_OBJECT (self));
}

GFile *
lb_folder_model_get_folder (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), NULL);

  return self->folder;
}

void
lb_folder_model_reload (LbFolderModel *self)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));

  g_object_freeze_notify (G_OBJECT (self));
  lb_folder_model_load (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- GListModel ---------------------------------------------------------- */

static GType
lb_folder_model_get_item_type (GListModel *list)
{
  return LB_TYPE_FILE_ITEM;
}

static guint
lb_folder_model_get_n_items (GListModel *list)
{
  return LB_FOLDER_MODEL (list)->shown->len;
}

static gpointer
lb_folder_model_get_item (GListModel *list,
                          guint       position)
{
  LbFolderModel *self = LB_FOLDER_MODEL (list);

  if (position >= self->shown->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->shown, position));
}

static void
lb_folder_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lb_folder_model_get_item_type;
  iface->get_n_items = lb_folder_model_get_n_items;
  iface->get_item = lb_folder_model_get_item;
}

/* --- the object ---------------------------------------------------------- */

static void
lb_folder_model_dispose (GObject *object)
{
  LbFolderModel *self = LB_FOLDER_MODEL (object);

  /* Jobs see the cancellation before they touch the model again. */
  g_cancellable_cancel (self->cancellable);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_handle_id (&self->monitor_source, g_source_remove);
  self->sort_serial++;

  G_OBJECT_CLASS (lb_folder_model_parent_class)->dispose (object);
}

static void
lb_folder_model_finalize (GObject *object)
{
  LbFolderModel *self = LB_FOLDER_MODEL (object);

  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  if (self->all != NULL)
    release_items (g_steal_pointer (&self->all));
  g_clear_pointer (&self->filter_text, g_free);
  g_clear_pointer (&self->filter_key, g_free);
  g_clear_pointer (&self->added_while_sorting, g_hash_table_unref);
  g_clear_pointer (&self->pending_queries, g_hash_table_unref);
  g_clear_pointer (&self->pending_removals, g_hash_table_unref);
  g_clear_pointer (&self->removed_at, g_hash_table_unref);

  G_OBJECT_CLASS (lb_folder_model_parent_class)->finalize (object);
}

static void
lb_folder_model_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LbFolderModel *self = LB_FOLDER_MODEL (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      g_value_set_object (value, self->folder);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_WATCHED:
      g_value_set_boolean (value, self->watched);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->shown->len);
      break;
    case PROP_N_UNFILTERED:
      g_value_set_uint (value, self->all->len);
      break;
    case PROP_SORT_KEY:
      g_value_set_enum (value, SORT_SPEC_KEY (self->sort_spec));
      break;
    case PROP_SORT_DESCENDING:
      g_value_set_boolean (value, SORT_SPEC_DESCENDING (self->sort_spec));
      break;
    case PROP_SORTING:
      g_value_set_boolean (value, self->sorting);
      break;
    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, self->show_hidden);
      break;
    case PROP_IMAGES_ONLY:
      g_value_set_boolean (value, self->images_only);
      break;
    case PROP_FILTER_TEXT:
      g_value_set_string (value, self->filter_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_folder_model_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LbFolderModel *self = LB_FOLDER_MODEL (object);

  switch (prop_id)
    {
    case PROP_FOLDER:
      lb_folder_model_set_folder (self, g_value_get_object (value));
      break;
    case PROP_SORT_KEY:
      lb_folder_model_set_sort_key (self, g_value_get_enum (value));
      break;
    case PROP_SORT_DESCENDING:
      lb_folder_model_set_sort_descending (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_HIDDEN:
      lb_folder_model_set_show_hidden (self, g_value_get_boolean (value));
      break;
    case PROP_IMAGES_ONLY:
      lb_folder_model_set_images_only (self, g_value_get_boolean (value));
      break;
    case PROP_FILTER_TEXT:
      lb_folder_model_set_filter_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_folder_model_class_init (LbFolderModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lb_folder_model_dispose;
  object_class->finalize = lb_folder_model_finalize;
  object_class->get_property = lb_folder_model_get_property;
  object_class->set_property = lb_folder_model_set_property;

  properties[PROP_FOLDER] =
    g_param_spec_object ("folder", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WATCHED] =
    g_param_spec_boolean ("watched", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_UNFILTERED] =
    g_param_spec_uint ("n-unfiltered", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_KEY] =
    g_param_spec_enum ("sort-key", NULL, NULL, LB_TYPE_SORT_KEY, LB_SORT_KEY_NAME,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_DESCENDING] =
    g_param_spec_boolean ("sort-descending", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORTING] =
    g_param_spec_boolean ("sorting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGES_ONLY] =
    g_param_spec_boolean ("images-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER_TEXT] =
    g_param_spec_string ("filter-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lb_folder_model_init (LbFolderModel *self)
{
  self->cancellable = g_cancellable_new ();
  self->all = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_ptr_array_new ();
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->pending_queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_removals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->removed_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sort_spec = self->applied_spec = SORT_SPEC (LB_SORT_KEY_NAME, FALSE);
  self->watched = TRUE;
}

LbFolderModel *
lb_folder_model_new (void)
{
  return g_object_new (LB_TYPE_FOLDER_MODEL, NULL);
}

gboolean
lb_folder_model_get_loading (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);

  return self->loading;
}

gboolean
lb_folder_model_get_watched (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), TRUE);

  return self->watched;
}

gboolean
lb_folder_model_get_listed (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), TRUE);

  return self->enumeration == NULL || g_atomic_int_get (&self->enumeration->posted_all);
}

guint
lb_folder_model_get_n_settled (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), 0);

  return self->loading ? self->n_settled : self->shown->len;
}

const GError *
lb_folder_model_get_error (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), NULL);

  return self->error;
}

guint
lb_folder_model_get_n_unfiltered (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), 0);

  return self->all->len;
}

LbSortKey
lb_folder_model_get_sort_key (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), LB_SORT_KEY_NAME);

  return SORT_SPEC_KEY (self->sort_spec);
}

static void
lb_folder_model_set_sort_spec (LbFolderModel *self,
                               int            spec,
                               GParamSpec    *pspec)
{
  if (self->sort_spec == spec)
    return;

  self->sort_spec = spec;
  /* The listing under way shares its items with its worker, which would
   * be reading their dates as they were set here: list again instead,
   * the worker reading each new file's date. */
  if (SORT_SPEC_KEY (spec) == LB_SORT_KEY_DATE_TAKEN &&
      SORT_SPEC_KEY (self->applied_spec) != LB_SORT_KEY_DATE_TAKEN &&
      self->enumeration != NULL)
    lb_folder_model_reload (self);
  else
    lb_folder_model_resort (self);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

void
lb_folder_model_set_sort_key (LbFolderModel *self,
                              LbSortKey      sort_key)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));
  g_return_if_fail (sort_key <= LB_SORT_KEY_DATE_TAKEN);

  lb_folder_model_set_sort_spec (self,
                                 SORT_SPEC (sort_key, SORT_SPEC_DESCENDING (self->sort_spec)),
                                 properties[PROP_SORT_KEY]);
}

gboolean
lb_folder_model_get_sort_descending (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);

  return SORT_SPEC_DESCENDING (self->sort_spec);
}

void
lb_folder_model_set_sort_descending (LbFolderModel *self,
                                     gboolean       descending)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));

  lb_folder_model_set_sort_spec (self,
                                 SORT_SPEC (SORT_SPEC_KEY (self->sort_spec), descending),
                                 properties[PROP_SORT_DESCENDING]);
}

gboolean
lb_folder_model_get_sorting (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);

  return self->sorting;
}

gboolean
lb_folder_model_get_show_hidden (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);

  return self->show_hidden;
}

void
lb_folder_model_set_show_hidden (LbFolderModel *self,
                                 gboolean       show_hidden)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));

  show_hidden = !!show_hidden;
  if (self->show_hidden == show_hidden)
    return;

  self->show_hidden = show_hidden;
  lb_folder_model_refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HIDDEN]);
}

gboolean
lb_folder_model_get_images_only (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);

  return self->images_only;
}

void
lb_folder_model_set_images_only (LbFolderModel *self,
                                 gboolean       images_only)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));

  images_only = !!images_only;
  if (self->images_only == images_only)
    return;

  self->images_only = images_only;
  lb_folder_model_refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGES_ONLY]);
}

const char *
lb_folder_model_get_filter_text (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), NULL);

  return self->filter_text;
}

void
lb_folder_model_set_filter_text (LbFolderModel *self,
                                 const char    *text)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (self->filter_text, text) == 0)
    return;

  g_free (self->filter_text);
  self->filter_text = g_strdup (text);
  g_clear_pointer (&self->filter_key, g_free);
  if (text != NULL)
    self->filter_key = lb_file_item_fold_text (text);

  lb_folder_model_refilter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_TEXT]);
}

gboolean
lb_folder_model_find (LbFolderModel *self,
                      const char    *name,
                      guint         *position)
{
  LbFileItem *item;
  guint found;

  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  item = g_hash_table_lookup (self->by_name, name);
  if (item == NULL)
    return FALSE;

  found = lower_bound (self->shown, item, self->applied_spec, 0);
  if (found >= self->shown->len || g_ptr_array_index (self->shown, found) != item)
    return FALSE;

  if (position != NULL)
    *position = found;

  return TRUE;
}
