/* lb-window-test-utils.h: looking at and driving the real window in tests
 *
 * For the UI tests under Xvfb: open a window on a folder, find its
 * widgets, and the conditions (for lb_test_wait_for()) that say what it
 * shows. Failures inside these helpers fail the running check test.
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lb-application.h"
#include "lb-thumbnail-cell.h"
#include "lb-thumbnail-picture.h"
#include "lb-window.h"

G_BEGIN_DECLS

/* What a condition waits for: a window, and a name or a count. */
typedef struct {
  LbWindow   *window;
  const char *name;
  guint       n;
} LbTestExpect;

void lb_test_write_photo (const char *folder,
                          const char *name,
                          int         width,
                          int         height);
LbApplication *lb_test_start_application (void);
LbWindow *lb_test_open_window (LbApplication *app,
                               const char    *path);
GListModel *lb_test_window_items (LbWindow *window);
void lb_test_collect_widgets (GtkWidget *root,
                              GType      type,
                              GPtrArray *found);
GtkWidget *lb_test_grid_of (LbWindow *window);
/* The cell showing @name, if one is bound to it. */
LbThumbnailCell *lb_test_cell_named (LbWindow   *window,
                                     const char *name);
LbThumbnailPicture *lb_test_picture_of (LbThumbnailCell *cell);
/* The number of cells that show a thumbnail made for the size shown. */
guint lb_test_count_thumbnails (LbWindow *window);
/* Conditions: the window (data) is listed, or idle and shown. */
gboolean lb_test_window_is_listed (gpointer data);
gboolean lb_test_window_is_idle (gpointer data);
const char *lb_test_visible_page (LbWindow *window);
gboolean lb_test_shows_status (gpointer data);
const char *lb_test_status_title (LbWindow *window);
char *lb_test_name_at (LbWindow *window,
                       guint     position);
/* Conditions on an LbTestExpect (data). */
gboolean lb_test_has_n_thumbnails (gpointer data);
gboolean lb_test_has_n_items (gpointer data);
gboolean lb_test_focus_in_grid (gpointer data);
gboolean lb_test_shows_name (gpointer data);
gboolean lb_test_lacks_name (gpointer data);
gboolean lb_test_has_cell (gpointer data);
gboolean lb_test_shows_folder_named (gpointer data);
/* The header bar's widget of @type whose string @property is @value. */
GtkWidget *lb_test_header_widget (LbWindow   *window,
                                  GType       type,
                                  const char *property,
                                  const char *value);
/* The header bar button that triggers @action. */
GtkWidget *lb_test_button_for (LbWindow   *window,
                               const char *action);
void lb_test_activate (LbWindow   *window,
                       const char *action);

G_END_DECLS
