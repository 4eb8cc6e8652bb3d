/* lb-file-item.h: one file of a folder, as the browser lists it
 *
 * GTK-free (GIO only). Items are made on the lister's worker thread
 * (lb-folder-listing.c), then only ever touched on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  LB_THUMBNAIL_STATE_NONE,     /* not asked for yet, or its file changed */
  LB_THUMBNAIL_STATE_LOADING,
  LB_THUMBNAIL_STATE_READY,    /* in the cache at the size the window shows */
  LB_THUMBNAIL_STATE_FAILED,   /* no thumbnail can be made: a broken image */
} LbThumbnailState;

#define LB_TYPE_THUMBNAIL_STATE (lb_thumbnail_state_get_type ())
GType lb_thumbnail_state_get_type (void);

/* The attributes an item is made from; ask for them when enumerating. */
#define LB_FILE_ITEM_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN "," \
  G_FILE_ATTRIBUTE_STANDARD_IS_BACKUP "," \
  G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED

/* What items sort by (see lb-file-item-sort.h), gathered so that a snapshot of it can
 * be sorted on another thread. The strings belong to the item (the
 * content type is interned) and never change during its life. */
typedef struct {
  const char *name;
  const char *collate_key;
  const char *content_type;
  gint64      modified;
  guint64     size;
  gboolean    is_folder;
  gint64      date_taken;  /* seconds since 1970; 0 when unknown or not read */
} LbFileItemSortKeys;

#define LB_TYPE_FILE_ITEM (lb_file_item_get_type ())

G_DECLARE_FINAL_TYPE (LbFileItem, lb_file_item, LB, FILE_ITEM, GObject)

/* Blocks on nothing: @info must carry LB_FILE_ITEM_ATTRIBUTES. Computes
 * the collation and search keys, so call it off the main thread for
 * big folders. */
LbFileItem       *lb_file_item_new             (GFile       *file,
                                                GFileInfo   *info);

GFile            *lb_file_item_get_file        (LbFileItem  *self);
const char       *lb_file_item_get_name        (LbFileItem  *self);
const char       *lb_file_item_get_display_name (LbFileItem *self);
guint64           lb_file_item_get_size        (LbFileItem  *self);
gint64            lb_file_item_get_modified    (LbFileItem  *self);
const char       *lb_file_item_get_content_type (LbFileItem *self);
gboolean          lb_file_item_get_is_folder   (LbFileItem  *self);
gboolean          lb_file_item_get_is_image    (LbFileItem  *self);
gboolean          lb_file_item_get_is_hidden   (LbFileItem  *self);
LbThumbnailState  lb_file_item_get_thumbnail_state (LbFileItem *self);
/* When the photo was taken, as its metadata says: read (a header per
 * image) only when sorting by it, so FALSE until then. */
gboolean          lb_file_item_get_has_date_taken  (LbFileItem *self);
void              lb_file_item_set_date_taken      (LbFileItem *self,
                                                    gint64      date_taken);
void              lb_file_item_set_thumbnail_state (LbFileItem       *self,
                                                    LbThumbnailState  state);

/* Case- and accent-insensitive form of the display name, for filtering;
 * lb_file_item_fold_text() folds a query the same way. */
const char       *lb_file_item_get_search_key  (LbFileItem  *self);
char             *lb_file_item_fold_text       (const char  *text);

const LbFileItemSortKeys *lb_file_item_get_sort_keys (LbFileItem *self);

/* Takes size, time and type from @newer, the same file listed again
 * after it changed on disk. When they differ, the thumbnail state goes
 * back to NONE, so that views make a new thumbnail, and TRUE is
 * returned. */
gboolean          lb_file_item_update          (LbFileItem  *self,
                                                LbFileItem  *newer);
/* Whether lb_file_item_update() would change anything. */
gboolean          lb_file_item_differs         (LbFileItem  *self,
                                                LbFileItem  *newer);

G_END_DECLS
