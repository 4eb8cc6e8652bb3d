/* lb-folder-listing.h: one run of the folder lister, on a thread of its own
 *
 * A listing either enumerates a folder (and, first, watches it), or
 * queries the named files of a folder after a monitor saw them change.
 * Its worker thread makes the file items, reads their dates taken when
 * the order asks for them, sorts each batch and, for an enumeration,
 * merges it into the sorted list of everything found so far. What it
 * produces waits in a thread-safe inbox of messages; the consumer (the
 * folder model) is told on the main context of the thread that started
 * the listing, and takes them out there. An enumeration also gathers its
 * monitor's events for a moment, so that a storm of them costs the
 * consumer one query, and reports the names that changed.
 *
 * Threading rules:
 *  - Call every function on the thread that started the listing, except
 *    ref/unref, which any thread may call.
 *  - The callbacks run on a main context: messages_ready on the one of
 *    the thread that started the listing, the monitor's on the global
 *    default one (where GFileMonitor reports); none runs once
 *    @cancellable is cancelled. The consumer cancels before it goes away:
 *    then @user_data is never used again, only freed.
 *  - @user_data_free runs when the last reference goes, on any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lb-file-item.h"

G_BEGIN_DECLS

typedef enum {
  LB_LISTING_MESSAGE_MONITOR,  /* the enumeration's folder monitor */
  LB_LISTING_MESSAGE_BATCH,    /* file items */
  LB_LISTING_MESSAGE_DONE,     /* the last message of a listing */
} LbListingMessageType;

typedef struct {
  LbListingMessageType  type;
  GPtrArray            *items;    /* BATCH: LbFileItem, sorted by spec */
  GPtrArray            *full;     /* BATCH of an enumeration: all it listed so far, sorted */
  gboolean              rest;     /* BATCH: set by the consumer on what a turn left of one */
  int                   spec;     /* BATCH: the LB_SORT_SPEC of items and full */
  GFileMonitor         *monitor;  /* MONITOR, or NULL when the folder cannot be watched */
  gboolean              refused;  /* MONITOR: the kernel would not watch the folder */
  GError               *error;    /* DONE: why the enumeration failed, or NULL */
} LbListingMessage;

LbListingMessage *lb_listing_message_new  (LbListingMessageType  type);
void              lb_listing_message_free (LbListingMessage     *message);

typedef struct _LbFolderListing LbFolderListing;

typedef struct {
  /* Messages wait in the inbox: take them all with
   * lb_folder_listing_take_messages() (some may go back with
   * lb_folder_listing_requeue()). @before_redraw: this turn was scheduled
   * above redrawing, as the consumer showed nothing yet. */
  void (*messages_ready) (LbFolderListing    *listing,
                          gboolean            before_redraw,
                          gpointer            user_data);
  /* The enumeration's monitor saw files of the folder go (@removed_names)
   * and come or change (@changed_names): both NULL-terminated, maybe
   * empty, borrowed. A name removed then made again is in both; act on
   * the removals first. */
  void (*files_changed)  (LbFolderListing    *listing,
                          const char * const *removed_names,
                          const char * const *changed_names,
                          gpointer            user_data);
  /* The folder itself was deleted, moved away or unmounted. */
  void (*folder_lost)    (LbFolderListing    *listing,
                          gpointer            user_data);
} LbFolderListingCallbacks;

#define LB_TYPE_FOLDER_LISTING (lb_folder_listing_get_type ())
GType lb_folder_listing_get_type (void);

/* Starts listing @folder: all of it when @names is NULL, else the files
 * it names (a NULL-terminated array, taken). Batches come sorted by
 * @sort_spec (see lb_folder_listing_set_sort_spec()). */
LbFolderListing *lb_folder_listing_start         (GFile                          *folder,
                                                  GStrv                           names,
                                                  int                             sort_spec,
                                                  GCancellable                   *cancellable,
                                                  const LbFolderListingCallbacks *callbacks,
                                                  gpointer                        user_data,
                                                  GDestroyNotify                  user_data_free);
LbFolderListing *lb_folder_listing_ref           (LbFolderListing *self);
void             lb_folder_listing_unref         (LbFolderListing *self);

gboolean         lb_folder_listing_is_cancelled  (LbFolderListing *self);
/* The order of the batches the worker sends from now on. */
void             lb_folder_listing_set_sort_spec (LbFolderListing *self,
                                                  int              sort_spec);
/* Whether the consumer shows anything yet: until it does, messages are
 * delivered above redrawing, so that the first files go in before the
 * first frame; then below it, so that a flood of batches never starves it. */
void             lb_folder_listing_set_showing   (LbFolderListing *self,
                                                  gboolean         showing);
/* Moves every waiting message into @messages (initialized here). */
void             lb_folder_listing_take_messages (LbFolderListing *self,
                                                  GQueue          *messages);
/* Puts @messages back in front of what came meanwhile, for another turn. */
void             lb_folder_listing_requeue       (LbFolderListing *self,
                                                  GQueue          *messages);

/* TRUE once the worker has put its last message in the inbox, which
 * the consumer may not have taken yet. Any thread. */
gboolean         lb_folder_listing_get_posted_all (LbFolderListing *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LbFolderListing, lb_folder_listing_unref)

G_END_DECLS
