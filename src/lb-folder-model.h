/* lb-folder-model.h: the files of one folder as a sorted, filtered GListModel
 *
 * Listing runs on the lister's worker thread (lb-folder-listing.h) and
 * arrives in growing batches, sorted there; the main thread only merges
 * sorted runs. A GFileMonitor keeps the list live. Folders always come
 * first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lb-file-item.h"
#include "lb-file-item-sort.h"

G_BEGIN_DECLS

#define LB_TYPE_FOLDER_MODEL (lb_folder_model_get_type ())

G_DECLARE_FINAL_TYPE (LbFolderModel, lb_folder_model, LB, FOLDER_MODEL, GObject)

LbFolderModel *lb_folder_model_new                 (void);

/* Starts listing @folder (NULL: empty), dropping everything of the
 * previous one. Use the model from the thread that owns the default
 * main context: the monitor reports there. */
void           lb_folder_model_set_folder          (LbFolderModel *self,
                                                    GFile         *folder);
GFile         *lb_folder_model_get_folder          (LbFolderModel *self);
void           lb_folder_model_reload              (LbFolderModel *self);

gboolean       lb_folder_model_get_loading         (LbFolderModel *self);
/* TRUE once the worker has sent the whole listing, which the main loop
 * may not have taken in yet: a test can hold the loop back until then. */
gboolean       lb_folder_model_get_listed          (LbFolderModel *self);
/* How many of the first items are where they stay: nothing the listing
 * still has to add sorts before them (a file created meanwhile may).
 * All of them once the listing is complete. */
guint          lb_folder_model_get_n_settled       (LbFolderModel *self);
/* FALSE when the kernel refused to watch the folder (inotify instances or
 * watches used up): the list then goes stale until it is reloaded. */
gboolean       lb_folder_model_get_watched         (LbFolderModel *self);
/* Why listing failed (G_IO_ERROR_NOT_FOUND, _PERMISSION_DENIED…), or NULL. */
const GError  *lb_folder_model_get_error           (LbFolderModel *self);
/* Every listed file, before filtering. */
guint          lb_folder_model_get_n_unfiltered    (LbFolderModel *self);

LbSortKey      lb_folder_model_get_sort_key        (LbFolderModel *self);
void           lb_folder_model_set_sort_key        (LbFolderModel *self,
                                                    LbSortKey      sort_key);
gboolean       lb_folder_model_get_sort_descending (LbFolderModel *self);
void           lb_folder_model_set_sort_descending (LbFolderModel *self,
                                                    gboolean       descending);
/* TRUE until a re-sort that runs on a worker thread has landed. */
gboolean       lb_folder_model_get_sorting         (LbFolderModel *self);

gboolean       lb_folder_model_get_show_hidden     (LbFolderModel *self);
void           lb_folder_model_set_show_hidden     (LbFolderModel *self,
                                                    gboolean       show_hidden);
/* Folders stay, so that one can still go into them. */
gboolean       lb_folder_model_get_images_only     (LbFolderModel *self);
void           lb_folder_model_set_images_only     (LbFolderModel *self,
                                                    gboolean       images_only);
/* Keeps the files whose display name contains @text, ignoring case and
 * accents; NULL or "" keeps all. */
const char    *lb_folder_model_get_filter_text     (LbFolderModel *self);
void           lb_folder_model_set_filter_text     (LbFolderModel *self,
                                                    const char    *text);

/* The position of the shown file called @name. */
gboolean       lb_folder_model_find                (LbFolderModel *self,
                                                    const char    *name,
                                                    guint         *position);

G_END_DECLS
