/* lb-file-item-sort.h: the orders of a folder's items, and sorted arrays of them
 *
 * GTK-free (GIO only). Shared by the lister, which sorts and merges each
 * batch on its worker thread, and the folder model, which merges on the
 * main thread. The array helpers touch no item's state, so they run on
 * any thread that holds the arrays; lb_file_items_sort_async() sorts a
 * snapshot on a thread of GLib's pool and hands the result back to the
 * thread that asked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lb-file-item.h"

G_BEGIN_DECLS

typedef enum {
  LB_SORT_KEY_NAME,
  LB_SORT_KEY_MODIFIED,
  LB_SORT_KEY_SIZE,
  LB_SORT_KEY_TYPE,
  LB_SORT_KEY_DATE_TAKEN,  /* of photos; the modification date for others */
} LbSortKey;

#define LB_TYPE_SORT_KEY (lb_sort_key_get_type ())
GType lb_sort_key_get_type (void);

/* A sort order (key and direction) packed in an int, so that a worker can
 * read it atomically. Folders always come first. */
#define LB_SORT_SPEC(key, descending) ((int) (key) | ((descending) ? 0x100 : 0))
#define LB_SORT_SPEC_KEY(spec)        ((LbSortKey) ((spec) & 0xff))
#define LB_SORT_SPEC_DESCENDING(spec) (((spec) & 0x100) != 0)

int         lb_file_item_compare       (LbFileItem   *a,
                                        LbFileItem   *b,
                                        int           spec);

/* An image whose date taken has not been read yet. */
gboolean    lb_file_item_needs_date_taken (LbFileItem *item);
/* Whether any item of @items needs its date taken read. */
gboolean    lb_file_items_need_dates_taken (GPtrArray *items);
/* Reads the date of each item of @items that needs it (a header per
 * image): only on a worker thread, and only for items no other thread
 * sees yet. */
void        lb_file_items_read_dates_taken (GPtrArray    *items,
                                            GCancellable *cancellable);

void        lb_file_items_sort         (GPtrArray    *items,
                                        int           spec);
/* A copy of @items that owns them. */
GPtrArray  *lb_file_items_copy         (GPtrArray    *items);
/* The first position of @array (sorted by @spec), from @start on, not
 * before @item. */
guint       lb_file_items_lower_bound  (GPtrArray    *array,
                                        LbFileItem   *item,
                                        int           spec,
                                        guint         start);
/* A new array with the items of the sorted arrays @a and @b, in order,
 * borrowed: callers that own items move references over themselves. */
GPtrArray  *lb_file_items_merge        (GPtrArray    *a,
                                        GPtrArray    *b,
                                        int           spec);
/* Merges @b into @a, both owning their items and both consumed, into one
 * that owns them all, without touching a reference: 100,000 add up. */
GPtrArray  *lb_file_items_merge_owned  (GPtrArray    *a,
                                        GPtrArray    *b,
                                        int           spec);
/* Drops @items; a big array is finalized on a thread of GLib's pool, as
 * finalizing 100,000 items takes a good part of a second. */
void        lb_file_items_release      (GPtrArray    *items);

/* Sorts a snapshot of the keys of @items by @spec on a thread of GLib's
 * pool, reading the dates taken of the images that need them first when
 * @read_dates (@cancellable stops that reading). @items may change
 * meanwhile; the items themselves are only touched by the finish call,
 * made on the thread that owns them (the one that called this). */
void        lb_file_items_sort_async   (GObject             *source_object,
                                        GPtrArray           *items,
                                        int                  spec,
                                        gboolean             read_dates,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* The items of the snapshot in the new order, owned; sets the dates taken
 * that were read on the items. Call it once per result. */
GPtrArray  *lb_file_items_sort_finish  (GAsyncResult        *result);

G_END_DECLS
