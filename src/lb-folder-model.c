/* lb-folder-model.c
 *
 * Two arrays: every item of the folder ("all"), sorted, and the items
 * that pass the filters ("shown"), a subsequence of it in the same order,
 * which is what the GListModel exposes. Nothing costs more than a linear
 * pass on the main thread:
 *
 *  - Listings (lb-folder-listing.c) enumerate the folder on a worker
 *    thread (or query the files a monitor event named), make the items,
 *    compute their collation keys and sort each batch; here, on the main
 *    thread, the sorted batches are taken from the listing's inbox and
 *    merged, a slice per turn while the first screens fill.
 *  - A new sort order sorts a snapshot of the keys on a worker thread
 *    (lb_file_items_sort_async(); small folders are sorted in place);
 *    items that came or changed in the meantime are merged into the
 *    result when it lands.
 *  - Filtering is a scan of flags and precomputed search keys.
 *
 * Changes are announced as a few exact items-changed runs, or as one run
 * spanning them all when they are scattered (lb-list-changes.c), so that
 * a view never gets thousands of signals for one batch.
 *
 * Threads: the model lives on the thread of the default main context;
 * its listings report there, and never once it cancelled them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-folder-model"

#include <string.h>

#include <glib/gi18n.h>

#include "lb-folder-listing.h"
#include "lb-folder-model.h"
#include "lb-list-changes.h"

/* The first screens fill by slices, one per main loop turn: GtkGridView
 * makes a cell for each of the first ~150 items at once, ~1 ms each, and
 * lays them all out in the next frame. A slice is about a screen of big
 * thumbnails, so that the first frame comes soon; the rest of a listing
 * that is complete cannot move it (see n_settled). */
#define FIRST_SCREEN_ITEMS   192
#define FIRST_SCREEN_SLICE   24
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

/* The model's side of a listing, which owns it. The model pointer is
 * only used while the listing is not cancelled (the model cancels its
 * listings before it goes away). */
typedef struct {
  LbFolderModel   *model;
  LbFolderListing *listing;
  guint64          serial;       /* the model's event serial at the start */
  guint            foreign_at_start;
} Job;

struct _LbFolderModel
{
  GObject       parent_instance;

  GFile        *folder;
  GCancellable *cancellable;    /* of everything of this folder */
  LbFolderListing *enumeration;  /* owned, until it is done */
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

  /* Changes that the listings under way may not know of */
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

/* Sorting by date taken, with images whose date is still unread. */
static gboolean
lb_folder_model_needs_dates_taken (LbFolderModel *self)
{
  return LB_SORT_SPEC_KEY (self->sort_spec) == LB_SORT_KEY_DATE_TAKEN &&
         lb_file_items_need_dates_taken (self->all);
}

/* --- announcing changes -------------------------------------------------- */

/* Replaces the shown items with @new_shown and emits the difference.
 * @reference holds every item of both lists in their common order. */
static void
lb_folder_model_set_shown (LbFolderModel *self,
                           GPtrArray     *new_shown,
                           GPtrArray     *reference)
{
  guint n_old = self->shown->len;

  /* Only a slice of a complete listing settles anything, once it is in. */
  self->n_settled = 0;
  lb_list_changes_apply (G_LIST_MODEL (self), &self->shown, new_shown, reference, MAX_CHANGE_RUNS);
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

  lb_folder_model_set_all (self, lb_file_items_merge_owned (g_ptr_array_ref (self->all),
                                                           lb_file_items_copy (items),
                                                           self->applied_spec));
  lb_folder_model_set_shown (self, lb_file_items_merge (self->shown, shown_items, self->applied_spec),
                             self->all);
}

/* Everything still to come of a complete listing sorts after @last: the
 * shown items up to it are where they stay. */
static void
lb_folder_model_settle (LbFolderModel *self,
                        LbFileItem    *last)
{
  guint n = lb_file_items_lower_bound (self->shown, last, self->applied_spec, 0);

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

  if (full == NULL || *full == NULL || job->listing != self->enumeration || batch_spec != self->applied_spec ||
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
  lb_file_items_release (old_all);
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

  if (job->listing != self->enumeration)
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
    lb_file_items_sort (added, self->applied_spec);
  lb_folder_model_insert_sorted (self, added);

  /* Came from a job that was not sorting by date: read theirs. */
  if (!self->sorting && lb_folder_model_needs_dates_taken (self))
    lb_folder_model_resort (self);
}

/* --- taking batches from the listings ------------------------------------ */

/* For the listing: whether the model shows anything yet decides how soon
 * the next turn comes (see lb_folder_listing_set_showing()). */
static void
job_note_n_shown (Job *job)
{
  if (!lb_folder_listing_is_cancelled (job->listing))
    lb_folder_listing_set_showing (job->listing, job->model->shown->len > 0);
}

/* Puts @messages back in front of what came meanwhile, for the next turn. */
static void
job_requeue (Job    *job,
             GQueue *messages)
{
  /* Before the next turn is scheduled, which then yields to redrawing
   * once anything is shown. */
  job_note_n_shown (job);
  lb_folder_listing_requeue (job->listing, messages);
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
      lb_file_items_lower_bound (batch, g_ptr_array_index (self->shown, FIRST_SCREEN_ITEMS - 1),
                                 spec, 0) > FIRST_SCREEN_SLICE)
    return FIRST_SCREEN_SLICE;

  length = MIN (batch->len, MAX_CHANGE_SPAN);
  start = lb_file_items_lower_bound (self->shown, g_ptr_array_index (batch, 0), spec, 0);
  if (start + MAX_CHANGE_SPAN < self->shown->len)
    length = MIN (length, lb_file_items_lower_bound (batch, g_ptr_array_index (self->shown,
                                                                               start + MAX_CHANGE_SPAN),
                                                     spec, 0));

  /* At least one item, so that every turn gets on. */
  return MAX (1, length);
}

/* Takes the slice of @batch that goes in this turn; the rest becomes a
 * message of its own for the next turn. When it splits @batch, which
 * the caller must hold alone, the two parts take over its references:
 * a rest of 100,000 items is not referenced anew on every turn. */
static GPtrArray *
split_batch (LbFolderModel     *self,
             GPtrArray         *batch,
             int                spec,
             LbListingMessage **rest)
{
  guint length = batch_slice_length (self, batch, spec);
  GPtrArray *slice;

  *rest = NULL;
  if (length == batch->len)
    return g_ptr_array_ref (batch);

  slice = g_ptr_array_new_full (length, g_object_unref);
  g_ptr_array_set_size (slice, length);
  memcpy (slice->pdata, batch->pdata, length * sizeof (gpointer));

  *rest = lb_listing_message_new (LB_LISTING_MESSAGE_BATCH);
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
  LbListingMessage *next = g_queue_peek_head (messages);

  return job->listing == job->model->enumeration && next != NULL &&
         next->type == LB_LISTING_MESSAGE_DONE;
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
  LbListingMessage *rest = NULL;

  if (batch == NULL || lb_folder_listing_is_cancelled (job->listing))
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

static void lb_folder_model_handle_message (LbFolderModel    *self,
                                            Job              *job,
                                            LbListingMessage *message);

static void
job_drain (LbFolderListing *listing,
           gboolean         before_redraw,
           gpointer         user_data)
{
  Job *job = user_data;
  GQueue messages;
  LbListingMessage *message;
  g_autoptr(GPtrArray) batch = NULL;
  GPtrArray *full = NULL;
  int spec = 0;

  lb_folder_listing_take_messages (listing, &messages);

  /* Scheduled early by the listing, which had not yet seen the first
   * items go in: now that they are, this turn waits for the frame that
   * shows them too. */
  if (before_redraw && job->model->shown->len > 0)
    {
      job_requeue (job, &messages);
      return;
    }

  /* Everything that came since the last turn, batches merged into one:
   * a view redraws once per turn, however fast the worker is. The last
   * full list of an enumeration holds all the ones before. */
  while ((message = g_queue_pop_head (&messages)) != NULL)
    {
      if (lb_folder_listing_is_cancelled (listing))
        {
          lb_listing_message_free (message);
          continue;
        }

      /* What a turn left goes in alone, first: merging new batches into a
       * big rest would cost a pass over all of it, turn after turn. */
      if (message->type == LB_LISTING_MESSAGE_BATCH && message->rest)
        {
          g_assert (batch == NULL);
          batch = g_ptr_array_ref (message->items);
          spec = message->spec;
          full = g_steal_pointer (&message->full);
          lb_listing_message_free (message);
          if (job_add_batch (job, batch, spec, &full, &messages))
            job_requeue (job, &messages);
          if (full != NULL)
            lb_file_items_release (full);
          return;
        }

      if (message->type == LB_LISTING_MESSAGE_BATCH && (batch == NULL || message->spec == spec))
        {
          batch = batch == NULL ? g_ptr_array_ref (message->items)
                                : lb_file_items_merge_owned (batch, lb_file_items_copy (message->items),
                                                             message->spec);
          spec = message->spec;
          if (message->full != NULL)
            {
              if (full != NULL)
                lb_file_items_release (full);
              full = g_steal_pointer (&message->full);
            }
          lb_listing_message_free (message);
          continue;
        }

      g_queue_push_head (&messages, message);
      if (!job_add_batch (job, batch, spec, &full, &messages))
        return;
      g_clear_pointer (&batch, g_ptr_array_unref);
      if (full != NULL)
        lb_file_items_release (g_steal_pointer (&full));

      message = g_queue_pop_head (&messages);
      if (message->type == LB_LISTING_MESSAGE_BATCH)
        {
          batch = g_ptr_array_ref (message->items);
          spec = message->spec;
          full = g_steal_pointer (&message->full);
        }
      else
        {
          lb_folder_model_handle_message (job->model, job, message);
        }
      lb_listing_message_free (message);
    }

  job_add_batch (job, batch, spec, &full, &messages);
  if (full != NULL)
    lb_file_items_release (full);
  job_note_n_shown (job);
}

static void on_files_changed (LbFolderListing    *listing,
                              const char * const *removed_names,
                              const char * const *changed_names,
                              gpointer            user_data);
static void on_folder_lost   (LbFolderListing    *listing,
                              gpointer            user_data);

static const LbFolderListingCallbacks job_callbacks = {
  .messages_ready = job_drain,
  .files_changed = on_files_changed,
  .folder_lost = on_folder_lost,
};

/* Lists the folder (@names NULL), or queries the files @names names. */
static void
start_job (LbFolderModel *self,
           GStrv          names)
{
  Job *job = g_new0 (Job, 1);
  LbFolderListing *listing;

  job->model = self;
  job->serial = self->event_serial;
  job->foreign_at_start = self->foreign_changes;
  self->n_jobs++;

  /* The listing holds no reference to the model: it must never be
   * finalized on the worker thread. */
  listing = lb_folder_listing_start (self->folder, names, self->applied_spec, self->cancellable,
                                     &job_callbacks, job, g_free);
  job->listing = listing;
  if (names == NULL)
    self->enumeration = listing;
  else
    lb_folder_listing_unref (listing);
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
lb_folder_model_handle_message (LbFolderModel    *self,
                                Job              *job,
                                LbListingMessage *message)
{
  switch (message->type)
    {
    case LB_LISTING_MESSAGE_MONITOR:
      g_clear_object (&self->monitor);
      self->monitor = g_steal_pointer (&message->monitor);
      lb_folder_model_set_watched (self, !message->refused);
      break;

    case LB_LISTING_MESSAGE_DONE:
      self->n_jobs--;
      if (self->n_jobs == 0)
        g_hash_table_remove_all (self->removed_at);

      if (job->listing == self->enumeration)
        {
          g_clear_pointer (&self->enumeration, lb_folder_listing_unref);
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

static void
on_files_changed (LbFolderListing    *listing,
                  const char * const *removed_names,
                  const char * const *changed_names,
                  gpointer            user_data)
{
  Job *job = user_data;
  LbFolderModel *self = job->model;
  g_autoptr(GHashTable) removed = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);

  /* Removals first: a file removed then made again is queried after. */
  for (guint i = 0; removed_names[i] != NULL; i++)
    {
      LbFileItem *item = g_hash_table_lookup (self->by_name, removed_names[i]);
      guint64 *serial = g_new (guint64, 1);

      *serial = ++self->event_serial;
      g_hash_table_replace (self->removed_at, g_strdup (removed_names[i]), serial);
      if (item != NULL)
        g_hash_table_add (removed, g_object_ref (item));
    }
  lb_folder_model_remove_set (self, removed);

  if (changed_names[0] != NULL)
    {
      self->event_serial++;
      start_job (self, g_strdupv ((GStrv) changed_names));
    }
}

static void
on_folder_lost (LbFolderListing *listing,
                gpointer         user_data)
{
  Job *job = user_data;
  LbFolderModel *self = job->model;
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

/* --- sorting ------------------------------------------------------------- */

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
    lb_folder_listing_set_sort_spec (self->enumeration, spec);

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
  g_autoptr(GPtrArray) late = NULL;
  GPtrArray *all;
  guint kept = 0;
  int spec;
  GHashTableIter iter;
  LbFileItem *item;

  /* A newer order was asked for, or the folder changed. */
  if (GPOINTER_TO_UINT (user_data) != self->sort_serial)
    return;

  /* The snapshot, less what went away or changed since, then what came. */
  all = lb_file_items_sort_finish (result);
  for (guint i = 0; i < all->len; i++)
    {
      item = g_ptr_array_index (all, i);
      if (g_hash_table_lookup (self->by_name, lb_file_item_get_name (item)) == item &&
          !g_hash_table_contains (self->added_while_sorting, item))
        all->pdata[kept++] = item;
      else
        g_object_unref (item);
    }
  /* Their references were dropped above, or moved. */
  g_ptr_array_set_free_func (all, NULL);
  g_ptr_array_set_size (all, kept);
  g_ptr_array_set_free_func (all, g_object_unref);

  /* Any change of the order since would have bumped the serial. */
  spec = self->sort_spec;
  late = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->added_while_sorting);
  while (g_hash_table_iter_next (&iter, (gpointer *) &item, NULL))
    g_ptr_array_add (late, item);
  if (late->len > 0)
    {
      lb_file_items_sort (late, spec);
      all = lb_file_items_merge_owned (all, lb_file_items_copy (late), spec);
    }

  lb_folder_model_set_sorting (self, FALSE);
  lb_folder_model_apply_order (self, all, spec);

  /* Files that came meanwhile have their dates read in turn. */
  if (lb_folder_model_needs_dates_taken (self))
    lb_folder_model_resort (self);
}

static void
lb_folder_model_resort (LbFolderModel *self)
{
  gboolean needs_dates = lb_folder_model_needs_dates_taken (self);

  self->sort_serial++;
  if (self->sort_spec == self->applied_spec && !needs_dates)
    {
      lb_folder_model_set_sorting (self, FALSE);
      return;
    }

  /* Dates taken are read from the files: never on this thread. */
  if (self->all->len < THREADED_SORT_MIN && !needs_dates)
    {
      GPtrArray *all = lb_file_items_copy (self->all);

      lb_file_items_sort (all, self->sort_spec);
      lb_folder_model_set_sorting (self, FALSE);
      lb_folder_model_apply_order (self, all, self->sort_spec);
      return;
    }

  /* Items added from now on are merged into the result. */
  if (self->sorting)
    g_hash_table_remove_all (self->added_while_sorting);
  lb_folder_model_set_sorting (self, TRUE);

  lb_file_items_sort_async (G_OBJECT (self), self->all, self->sort_spec, needs_dates,
                            self->cancellable, sort_done_cb, GUINT_TO_POINTER (self->sort_serial));
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
  g_clear_pointer (&self->enumeration, lb_folder_listing_unref);
  self->n_jobs = 0;
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
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

  lb_file_items_release (g_steal_pointer (&self->all));
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
  g_clear_pointer (&self->enumeration, lb_folder_listing_unref);
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
    lb_file_items_release (g_steal_pointer (&self->all));
  g_clear_pointer (&self->filter_text, g_free);
  g_clear_pointer (&self->filter_key, g_free);
  g_clear_pointer (&self->added_while_sorting, g_hash_table_unref);
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
      g_value_set_enum (value, LB_SORT_SPEC_KEY (self->sort_spec));
      break;
    case PROP_SORT_DESCENDING:
      g_value_set_boolean (value, LB_SORT_SPEC_DESCENDING (self->sort_spec));
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
  self->removed_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sort_spec = self->applied_spec = LB_SORT_SPEC (LB_SORT_KEY_NAME, FALSE);
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

  return self->enumeration == NULL || lb_folder_listing_get_posted_all (self->enumeration);
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

  return LB_SORT_SPEC_KEY (self->sort_spec);
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
  if (LB_SORT_SPEC_KEY (spec) == LB_SORT_KEY_DATE_TAKEN &&
      LB_SORT_SPEC_KEY (self->applied_spec) != LB_SORT_KEY_DATE_TAKEN &&
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
                                 LB_SORT_SPEC (sort_key, LB_SORT_SPEC_DESCENDING (self->sort_spec)),
                                 properties[PROP_SORT_KEY]);
}

gboolean
lb_folder_model_get_sort_descending (LbFolderModel *self)
{
  g_return_val_if_fail (LB_IS_FOLDER_MODEL (self), FALSE);

  return LB_SORT_SPEC_DESCENDING (self->sort_spec);
}

void
lb_folder_model_set_sort_descending (LbFolderModel *self,
                                     gboolean       descending)
{
  g_return_if_fail (LB_IS_FOLDER_MODEL (self));

  lb_folder_model_set_sort_spec (self,
                                 LB_SORT_SPEC (LB_SORT_SPEC_KEY (self->sort_spec), descending),
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

  found = lb_file_items_lower_bound (self->shown, item, self->applied_spec, 0);
  if (found >= self->shown->len || g_ptr_array_index (self->shown, found) != item)
    return FALSE;

  if (position != NULL)
    *position = found;

  return TRUE;
}
