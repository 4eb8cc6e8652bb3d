/* lb-folder-listing.c
 *
 * The worker of one listing, its inbox, and the scheduling of the turns
 * that hand the inbox to the consumer.
 *
 * Threads: the worker (a thread of its own, below the main thread's
 * priority) makes and sorts the items, creates the folder monitor and
 * posts messages; the inbox is shared under a lock; everything else runs
 * on the main context of the thread that started the listing, but for
 * the monitor's events, on the global default one. The worker, a pending
 * turn, the monitor's handler and the events' timer each hold a
 * reference.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-folder-listing"

#include "lb-background-thread.h"
#include "lb-file-item-sort.h"
#include "lb-folder-enumerate.h"
#include "lb-folder-listing.h"
#include "lb-folder-watch.h"

/* The first batch is small so that the first files show at once; later
 * ones grow, so that a huge folder costs few merges. */
#define FIRST_BATCH_SIZE     64
#define MAX_BATCH_SIZE       4096
/* A batch is also sent when it has waited this long (slow storage). */
#define BATCH_INTERVAL_US    (40 * 1000)
/* Listing yields the CPU to the main thread, not to the decoders (10). */
#define LISTING_NICENESS     5
/* Monitor events are gathered this long, so that storms cost one query. */
#define MONITOR_DELAY_MS     50

struct _LbFolderListing
{
  gatomicrefcount           ref_count;
  LbFolderListingCallbacks  callbacks;
  gpointer                  user_data;
  GDestroyNotify            user_data_free;
  GFile                    *folder;
  GStrv                     names;        /* NULL: enumerate the whole folder */
  GCancellable             *cancellable;
  GMainContext             *context;
  int                       sort_spec;    /* atomic */
  int                       showing;      /* atomic */
  GPtrArray                *sorted;       /* worker only: everything listed so far */
  int                       sorted_spec;

  GMutex                    lock;
  GQueue                    inbox;        /* LbListingMessage */
  gboolean                  drain_scheduled;
  int                       posted_all;   /* atomic: DONE is in the inbox */

  /* Monitor events not yet reported: main context only */
  GHashTable               *pending_queries;   /* name set */
  GHashTable               *pending_removals;  /* name set */
  guint                     events_source;
};

G_DEFINE_BOXED_TYPE (LbFolderListing, lb_folder_listing, lb_folder_listing_ref, lb_folder_listing_unref)

LbListingMessage *
lb_listing_message_new (LbListingMessageType type)
{
  LbListingMessage *message = g_new0 (LbListingMessage, 1);

  message->type = type;

  return message;
}

void
lb_listing_message_free (LbListingMessage *message)
{
  if (message->full != NULL)
    lb_file_items_release (g_steal_pointer (&message->full));
  g_clear_pointer (&message->items, g_ptr_array_unref);
  g_clear_object (&message->monitor);
  g_clear_error (&message->error);
  g_free (message);
}

LbFolderListing *
lb_folder_listing_ref (LbFolderListing *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
lb_folder_listing_unref (LbFolderListing *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_queue_clear_full (&self->inbox, (GDestroyNotify) lb_listing_message_free);
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->pending_queries);
  g_hash_table_unref (self->pending_removals);
  if (self->user_data_free != NULL)
    self->user_data_free (self->user_data);
  g_object_unref (self->folder);
  g_strfreev (self->names);
  g_object_unref (self->cancellable);
  g_main_context_unref (self->context);
  g_free (self);
}

gboolean
lb_folder_listing_is_cancelled (LbFolderListing *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return g_cancellable_is_cancelled (self->cancellable);
}

void
lb_folder_listing_set_sort_spec (LbFolderListing *self,
                                 int              sort_spec)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->sort_spec, sort_spec);
}

void
lb_folder_listing_set_showing (LbFolderListing *self,
                               gboolean         showing)
{
  g_return_if_fail (self != NULL);

  g_atomic_int_set (&self->showing, !!showing);
}

/* --- the inbox ----------------------------------------------------------- */

static void listing_schedule_drain (LbFolderListing *self);

void
lb_folder_listing_take_messages (LbFolderListing *self,
                                 GQueue          *messages)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (messages != NULL);

  g_mutex_lock (&self->lock);
  *messages = self->inbox;
  g_queue_init (&self->inbox);
  self->drain_scheduled = FALSE;
  g_mutex_unlock (&self->lock);
}

void
lb_folder_listing_requeue (LbFolderListing *self,
                           GQueue          *messages)
{
  LbListingMessage *message;

  g_return_if_fail (self != NULL);
  g_return_if_fail (messages != NULL);

  g_mutex_lock (&self->lock);
  while ((message = g_queue_pop_tail (messages)) != NULL)
    g_queue_push_head (&self->inbox, message);
  g_mutex_unlock (&self->lock);

  listing_schedule_drain (self);
}

static gboolean
listing_drain (gpointer user_data)
{
  LbFolderListing *self = user_data;
  gboolean before_redraw = g_source_get_priority (g_main_current_source ()) < G_PRIORITY_DEFAULT_IDLE;
  GQueue dropped;

  if (!g_cancellable_is_cancelled (self->cancellable))
    {
      self->callbacks.messages_ready (self, before_redraw, self->user_data);
      return G_SOURCE_REMOVE;
    }

  lb_folder_listing_take_messages (self, &dropped);
  g_queue_clear_full (&dropped, (GDestroyNotify) lb_listing_message_free);

  return G_SOURCE_REMOVE;
}

/* From any thread. */
static void
listing_schedule_drain (LbFolderListing *self)
{
  g_autoptr(GSource) source = NULL;
  gboolean schedule;

  g_mutex_lock (&self->lock);
  schedule = !self->drain_scheduled && !g_queue_is_empty (&self->inbox);
  if (schedule)
    self->drain_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (!schedule)
    return;

  /* Below redrawing, so that a flood of batches never starves it; but
   * the very first files go in before the window's first frame. */
  source = g_idle_source_new ();
  g_source_set_priority (source, g_atomic_int_get (&self->showing) ? G_PRIORITY_DEFAULT_IDLE
                                                                   : G_PRIORITY_DEFAULT);
  g_source_set_callback (source, listing_drain, lb_folder_listing_ref (self),
                         (GDestroyNotify) lb_folder_listing_unref);
  g_source_set_static_name (source, "[lightbox] folder batches");
  g_source_attach (source, self->context);
}

static void
listing_post (LbFolderListing  *self,
              LbListingMessage *message)
{
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->inbox, message);
  g_mutex_unlock (&self->lock);

  listing_schedule_drain (self);
}

/* --- the monitor's events, on the default main context ----------------- */

static gboolean
listing_flush_events (gpointer user_data)
{
  LbFolderListing *self = user_data;
  g_autoptr(GHashTable) removals = g_steal_pointer (&self->pending_removals);
  g_autoptr(GHashTable) queries = g_steal_pointer (&self->pending_queries);
  g_autofree const char **removed_names = NULL;
  g_autofree const char **changed_names = NULL;

  /* New events may come while the consumer acts on these. */
  self->events_source = 0;
  self->pending_removals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    return G_SOURCE_REMOVE;

  removed_names = (const char **) g_hash_table_get_keys_as_array (removals, NULL);
  changed_names = (const char **) g_hash_table_get_keys_as_array (queries, NULL);
  self->callbacks.files_changed (self, removed_names, changed_names, self->user_data);

  return G_SOURCE_REMOVE;
}

static void
listing_queue_event (LbFolderListing *self,
                     GFile           *file,
                     gboolean         removal)
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

  if (self->events_source == 0)
    self->events_source = g_timeout_add_full (G_PRIORITY_DEFAULT, MONITOR_DELAY_MS,
                                              listing_flush_events, lb_folder_listing_ref (self),
                                              (GDestroyNotify) lb_folder_listing_unref);
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  LbFolderListing *self = user_data;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (g_file_equal (file, self->folder))
    {
      if (event == G_FILE_MONITOR_EVENT_DELETED ||
          event == G_FILE_MONITOR_EVENT_MOVED_OUT ||
          event == G_FILE_MONITOR_EVENT_RENAMED ||
          event == G_FILE_MONITOR_EVENT_UNMOUNTED)
        self->callbacks.folder_lost (self, self->user_data);
      return;
    }

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      listing_queue_event (self, file, FALSE);
      break;

    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      listing_queue_event (self, file, TRUE);
      break;

    case G_FILE_MONITOR_EVENT_RENAMED:
      listing_queue_event (self, file, TRUE);
      if (other_file != NULL)
        listing_queue_event (self, other_file, FALSE);
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

/* --- the worker ---------------------------------------------------------- */

static void
listing_post_batch (LbFolderListing *self,
                    GPtrArray       *items)
{
  LbListingMessage *message = lb_listing_message_new (LB_LISTING_MESSAGE_BATCH);

  message->spec = g_atomic_int_get (&self->sort_spec);
  if (LB_SORT_SPEC_KEY (message->spec) == LB_SORT_KEY_DATE_TAKEN)
    lb_file_items_read_dates_taken (items, self->cancellable);
  lb_file_items_sort (items, message->spec);
  message->items = items;

  /* An enumeration also merges here, off the main thread, into the list
   * of all it found so far: the consumer then only swaps it in. */
  if (self->names == NULL)
    {
      if (self->sorted == NULL)
        self->sorted = g_ptr_array_new_with_free_func (g_object_unref);
      else if (self->sorted_spec != message->spec)
        lb_file_items_sort (self->sorted, message->spec);
      self->sorted_spec = message->spec;
      self->sorted = lb_file_items_merge_owned (self->sorted, lb_file_items_copy (items),
                                                message->spec);
      message->full = lb_file_items_copy (self->sorted);
    }

  listing_post (self, message);
}

static void
listing_closure_unref (gpointer  data,
                       GClosure *closure)
{
  lb_folder_listing_unref (data);
}

static void
listing_watch (LbFolderListing *self)
{
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor;
  LbListingMessage *message;

  /* Created here, not on the main thread: for GVfs locations this is a
   * blocking call to the daemon. Reports on the default main context.
   * Connected here too, so that no event falls between two threads. */
  monitor = g_file_monitor_directory (self->folder, G_FILE_MONITOR_WATCH_MOVES,
                                      self->cancellable, &error);
  if (monitor == NULL)
    g_debug ("Not watching the folder: %s", error->message);
  else
    g_signal_connect_data (monitor, "changed", G_CALLBACK (on_monitor_changed),
                           lb_folder_listing_ref (self), listing_closure_unref, 0);

  message = lb_listing_message_new (LB_LISTING_MESSAGE_MONITOR);
  message->monitor = monitor;
  message->refused = lb_folder_watch_is_refused (self->folder, monitor);
  listing_post (self, message);
}

typedef struct {
  LbFolderListing *listing;
  GPtrArray       *batch;
  guint            batch_size;
  gint64           last_post;
} Enumeration;

static void
enumeration_add (GFile     *child,
                 GFileInfo *info,
                 gpointer   user_data)
{
  Enumeration *enumeration = user_data;

  g_ptr_array_add (enumeration->batch, lb_file_item_new (child, info));

  if (enumeration->batch->len >= enumeration->batch_size ||
      g_get_monotonic_time () - enumeration->last_post >= BATCH_INTERVAL_US)
    {
      listing_post_batch (enumeration->listing, g_steal_pointer (&enumeration->batch));
      enumeration->batch = g_ptr_array_new_with_free_func (g_object_unref);
      enumeration->batch_size = MIN (enumeration->batch_size * 2, MAX_BATCH_SIZE);
      enumeration->last_post = g_get_monotonic_time ();
    }
}

static void
listing_enumerate (LbFolderListing  *self,
                   GError          **error)
{
  Enumeration enumeration = { self, g_ptr_array_new_with_free_func (g_object_unref),
                              FIRST_BATCH_SIZE, g_get_monotonic_time () };

  if (lb_folder_enumerate (self->folder, LB_FILE_ITEM_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                           self->cancellable, enumeration_add, &enumeration, error) &&
      enumeration.batch->len > 0)
    listing_post_batch (self, g_steal_pointer (&enumeration.batch));
  g_clear_pointer (&enumeration.batch, g_ptr_array_unref);
}

static void
listing_query (LbFolderListing *self)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; self->names[i] != NULL; i++)
    {
      g_autoptr(GFile) child = g_file_get_child (self->folder, self->names[i]);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      info = g_file_query_info (child, LB_FILE_ITEM_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                                self->cancellable, &error);
      /* Gone already: its removal event follows. */
      if (info != NULL)
        g_ptr_array_add (batch, lb_file_item_new (child, info));
      else
        g_debug ("Cannot query %s: %s", self->names[i], error->message);
    }

  listing_post_batch (self, batch);
}

static gpointer
listing_thread (gpointer data)
{
  LbFolderListing *self = data;
  LbListingMessage *done = lb_listing_message_new (LB_LISTING_MESSAGE_DONE);

  /* Below the main thread, which on two cores would otherwise wait for
   * the CPU as long as it works on a batch: above the decoders. Its own
   * thread, since a thread cannot take its priority back. */
  lb_background_thread_enter (LISTING_NICENESS);

  if (self->names != NULL)
    {
      listing_query (self);
    }
  else
    {
      listing_watch (self);
      listing_enumerate (self, &done->error);
      /* Here: dropping 100,000 references takes a while. */
      g_clear_pointer (&self->sorted, g_ptr_array_unref);
    }
  listing_post (self, done);
  g_atomic_int_set (&self->posted_all, TRUE);
  lb_folder_listing_unref (self);

  return NULL;
}

LbFolderListing *
lb_folder_listing_start (GFile                          *folder,
                         GStrv                           names,
                         int                             sort_spec,
                         GCancellable                   *cancellable,
                         const LbFolderListingCallbacks *callbacks,
                         gpointer                        user_data,
                         GDestroyNotify                  user_data_free)
{
  LbFolderListing *self;

  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (callbacks != NULL && callbacks->messages_ready != NULL &&
                        callbacks->files_changed != NULL && callbacks->folder_lost != NULL, NULL);

  self = g_new0 (LbFolderListing, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->user_data_free = user_data_free;
  self->folder = g_object_ref (folder);
  self->names = names;
  self->cancellable = g_object_ref (cancellable);
  self->context = g_main_context_ref_thread_default ();
  self->sort_spec = sort_spec;
  g_mutex_init (&self->lock);
  g_queue_init (&self->inbox);
  self->pending_queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_removals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_thread_unref (g_thread_new ("lightbox-list", listing_thread, lb_folder_listing_ref (self)));

  return self;
}

gboolean
lb_folder_listing_get_posted_all (LbFolderListing *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return g_atomic_int_get (&self->posted_all);
}
