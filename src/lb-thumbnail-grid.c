/* lb-thumbnail-grid.c
 *
 * The browser's grid: a GtkGridView of LbThumbnailCell in a scrolled
 * window, zoomed with Ctrl+scroll or by its "zoom" property, with as
 * many columns as fit, a context menu and dragging out of files. It
 * knows nothing of folders: the window gives it a selection model, the
 * loader of the cells' thumbnails and the file actions to act with.
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-grid"

#include "lb-thumbnail-cell.h"
#include "lb-thumbnail-grid.h"

/* The zoom steps of Ctrl+plus and Ctrl+minus, in logical pixels. */
static const int zoom_steps[] = { 96, 128, 160, 192, 256, 320, 384, 448, 512 };

/* What a cell takes besides its thumbnail (style.css: the grid's
 * children), and the grid's own padding. */
#define CELL_EXTRA_WIDTH  22
#define GRID_PADDING      12

/* Frames to wait for the grid to make the cell to focus. */
#define FOCUS_MAX_FRAMES  30

struct _LbThumbnailGrid
{
  AdwBin              parent_instance;

  /* Template widgets; the scroller is the bin's child, which AdwBin
   * lets go of itself (a bound direct child would be unparented twice). */
  GtkScrolledWindow  *scroller;
  GtkGridView        *grid_view;

  LbThumbnailLoader  *loader;
  LbFileActions      *file_actions;

  int                 zoom;
  double              scroll_delta;
  guint               columns_source;

#if !GTK_CHECK_VERSION (4, 12, 0)
  /* The grid item to move the keyboard focus to, once it has a cell. */
  guint               focus_position;
  guint               focus_tick;
  guint               focus_frames;
#endif
};

G_DEFINE_FINAL_TYPE (LbThumbnailGrid, lb_thumbnail_grid, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ZOOM,
  N_PROPS
};

enum {
  ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Cells remember their list item: its position follows the model. */
#define CELL_LIST_ITEM_KEY "lb-list-item"

static GtkSelectionModel *
lb_thumbnail_grid_get_model (LbThumbnailGrid *self)
{
  return gtk_grid_view_get_model (self->grid_view);
}

/* --- zoom ---------------------------------------------------------------- */

/* GtkGridView keeps up to 30 rows of widgets of max-columns each, bound
 * and thumbnailed: allowing just the columns that fit keeps that to a
 * few screens' worth instead of thousands. */
static gboolean
lb_thumbnail_grid_update_columns_cb (gpointer user_data)
{
  LbThumbnailGrid *self = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid_view));
  double width = adjustment != NULL ? gtk_adjustment_get_page_size (adjustment) : 0;
  guint columns;

  self->columns_source = 0;

  /* Not allocated yet: the next change of the adjustment comes back. */
  if (width <= GRID_PADDING || self->zoom == 0)
    return G_SOURCE_REMOVE;

  columns = MAX (1, (guint) ((width - GRID_PADDING) / (self->zoom + CELL_EXTRA_WIDTH)));
  if (gtk_grid_view_get_max_columns (self->grid_view) != columns)
    gtk_grid_view_set_max_columns (self->grid_view, columns);

  return G_SOURCE_REMOVE;
}

/* Not while the grid is being allocated, which changed the adjustment. */
static void
lb_thumbnail_grid_update_columns (LbThumbnailGrid *self)
{
  if (self->columns_source == 0)
    self->columns_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, lb_thumbnail_grid_update_columns_cb,
                                            self, NULL);
}

int
lb_thumbnail_grid_get_zoom (LbThumbnailGrid *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_GRID (self), 0);

  return self->zoom;
}

void
lb_thumbnail_grid_set_zoom (LbThumbnailGrid *self,
                            int              zoom)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));

  zoom = CLAMP (zoom, LB_THUMBNAIL_GRID_ZOOM_MIN, LB_THUMBNAIL_GRID_ZOOM_MAX);
  if (self->zoom == zoom)
    return;

  self->zoom = zoom;
  lb_thumbnail_grid_update_columns (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
lb_thumbnail_grid_zoom_step (LbThumbnailGrid *self,
                             int              direction)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));

  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_steps); i++)
        if (zoom_steps[i] > self->zoom)
          {
            lb_thumbnail_grid_set_zoom (self, zoom_steps[i]);
            return;
          }
    }
  else
    {
      for (guint i = G_N_ELEMENTS (zoom_steps); i > 0; i--)
        if (zoom_steps[i - 1] < self->zoom)
          {
            lb_thumbnail_grid_set_zoom (self, zoom_steps[i - 1]);
            return;
          }
    }
}

/* Ctrl+scroll zooms; plain scrolling scrolls. */
static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           LbThumbnailGrid          *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0)
    return FALSE;

  /* Touchpads scroll in small steps: one zoom step per notch's worth. */
  self->scroll_delta += dy;
  while (self->scroll_delta <= -1.0)
    {
      lb_thumbnail_grid_zoom_step (self, 1);
      self->scroll_delta += 1.0;
    }
  while (self->scroll_delta >= 1.0)
    {
      lb_thumbnail_grid_zoom_step (self, -1);
      self->scroll_delta -= 1.0;
    }

  return TRUE;
}

/* --- focus ---------------------------------------------------------------- */

#if !GTK_CHECK_VERSION (4, 12, 0)
/* The grid's child showing the item at @position, once it is made. */
static GtkWidget *
lb_thumbnail_grid_find_cell_widget (LbThumbnailGrid *self,
                                    guint            position)
{
  g_autoptr(LbFileItem) item = g_list_model_get_item (G_LIST_MODEL (lb_thumbnail_grid_get_model (self)),
                                                      position);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *cell = gtk_widget_get_first_child (child);

      if (item != NULL && LB_IS_THUMBNAIL_CELL (cell) &&
          lb_thumbnail_cell_get_item (LB_THUMBNAIL_CELL (cell)) == item)
        return child;
    }

  return NULL;
}

static gboolean
lb_thumbnail_grid_focus_cell (LbThumbnailGrid *self)
{
  GtkWidget *cell = lb_thumbnail_grid_find_cell_widget (self, self->focus_position);

  if (cell == NULL || !gtk_widget_get_mapped (cell))
    return FALSE;

  gtk_widget_grab_focus (cell);
  self->focus_position = GTK_INVALID_LIST_POSITION;

  return TRUE;
}

static gboolean
focus_cell_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  LbThumbnailGrid *self = LB_THUMBNAIL_GRID (user_data);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Given up once the focus went elsewhere, or after a few frames. */
  if (self->focus_position == GTK_INVALID_LIST_POSITION ||
      focus == NULL || (focus != widget && !gtk_widget_is_ancestor (focus, widget)) ||
      lb_thumbnail_grid_focus_cell (self) || ++self->focus_frames > FOCUS_MAX_FRAMES)
    {
      self->focus_position = GTK_INVALID_LIST_POSITION;
      self->focus_tick = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}
#endif

void
lb_thumbnail_grid_focus_position (LbThumbnailGrid *self,
                                  guint            position)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));

#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_grid_view_scroll_to (self->grid_view, position,
                           GTK_LIST_SCROLL_FOCUS | GTK_LIST_SCROLL_SELECT, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
#else
  gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", position);
  gtk_selection_model_select_item (lb_thumbnail_grid_get_model (self), position, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));

  /* GTK 4.8 has no way to move the grid's focus to an item: focusing
   * its cell does, once the scrolled grid has made that cell. Until
   * then, the keys would go on from the cell focused before. */
  self->focus_position = position;
  self->focus_frames = 0;
  if (!lb_thumbnail_grid_focus_cell (self) && self->focus_tick == 0)
    self->focus_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->grid_view),
                                                     focus_cell_tick_cb, self, NULL);
#endif
}

void
lb_thumbnail_grid_grab_focus (LbThumbnailGrid *self)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
}

/* --- what is in view ------------------------------------------------------- */

guint
lb_thumbnail_grid_count_cells_in_view (LbThumbnailGrid *self,
                                       guint           *n_incomplete)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  guint n_in_view = 0;

  g_return_val_if_fail (LB_IS_THUMBNAIL_GRID (self), 0);
  g_return_val_if_fail (n_incomplete != NULL, 0);

  *n_incomplete = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *cell = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;

      if (!LB_IS_THUMBNAIL_CELL (cell) || !gtk_widget_get_mapped (cell) ||
          !gtk_widget_compute_bounds (cell, GTK_WIDGET (self->scroller), &bounds) ||
          bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;

      n_in_view++;
      if (!lb_thumbnail_cell_get_complete (LB_THUMBNAIL_CELL (cell)))
        (*n_incomplete)++;
    }

  return n_in_view;
}

gboolean
lb_thumbnail_grid_is_at_top (LbThumbnailGrid *self)
{
  GtkAdjustment *adjustment;

  g_return_val_if_fail (LB_IS_THUMBNAIL_GRID (self), FALSE);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->grid_view));

  return adjustment != NULL && gtk_adjustment_get_value (adjustment) == 0;
}

/* --- the files acted on ------------------------------------------------------ */

/* The position of the cell at @x, @y of the grid view, or FALSE. */
static gboolean
lb_thumbnail_grid_pick_position (LbThumbnailGrid *self,
                                 double           x,
                                 double           y,
                                 guint           *position)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->grid_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *cell = picked != NULL ? gtk_widget_get_ancestor (picked, LB_TYPE_THUMBNAIL_CELL) : NULL;
  GtkListItem *list_item;

  /* The padding around a cell belongs to the cell too. */
  if (cell == NULL && picked != NULL && LB_IS_THUMBNAIL_CELL (gtk_widget_get_first_child (picked)))
    cell = gtk_widget_get_first_child (picked);
  if (cell == NULL || (list_item = g_object_get_data (G_OBJECT (cell), CELL_LIST_ITEM_KEY)) == NULL)
    return FALSE;

  *position = gtk_list_item_get_position (list_item);

  return *position != GTK_INVALID_LIST_POSITION;
}

/* What the file actions act on: the file clicked, and the other selected
 * files if it is one of them. */
static void
lb_thumbnail_grid_select_for_action (LbThumbnailGrid *self,
                                     guint            position)
{
  GtkSelectionModel *model = lb_thumbnail_grid_get_model (self);

  if (!gtk_selection_model_is_selected (model, position))
    gtk_selection_model_select_item (model, position, TRUE);
}

static void
grid_context_menu_cb (GtkGesture      *gesture,
                      double           x,
                      double           y,
                      LbThumbnailGrid *self)
{
  guint position;

  if (self->file_actions == NULL || !lb_thumbnail_grid_pick_position (self, x, y, &position))
    return;

  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  lb_thumbnail_grid_select_for_action (self, position);
  lb_file_actions_popup_menu (self->file_actions, GTK_WIDGET (self->grid_view), x, y);
}

static void
grid_right_click_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     LbThumbnailGrid *self)
{
  grid_context_menu_cb (GTK_GESTURE (gesture), x, y, self);
}

void
lb_thumbnail_grid_popup_menu (LbThumbnailGrid *self)
{
  GtkWidget *grid;
  GtkRoot *root;
  GtkWidget *focus;
  graphene_rect_t bounds;
  guint position;

  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));

  grid = GTK_WIDGET (self->grid_view);
  root = gtk_widget_get_root (grid);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Not laid out yet: nowhere to point at. */
  if (self->file_actions == NULL || gtk_widget_get_width (grid) == 0)
    return;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, grid) ||
      !gtk_widget_compute_bounds (focus, grid, &bounds))
    graphene_rect_init (&bounds, 0, 0, gtk_widget_get_width (grid), gtk_widget_get_height (grid));

  if (lb_thumbnail_grid_pick_position (self, bounds.origin.x + bounds.size.width / 2,
                                       bounds.origin.y + bounds.size.height / 2, &position))
    lb_thumbnail_grid_select_for_action (self, position);

  if (lb_file_actions_get_files (self->file_actions)->len > 0)
    lb_file_actions_popup_menu (self->file_actions, grid,
                                bounds.origin.x + bounds.size.width / 2,
                                bounds.origin.y + bounds.size.height / 2);
}

/* Dragging a file out drags it with the rest of the selection. */
static GdkContentProvider *
cell_drag_prepare_cb (GtkDragSource   *source,
                      double           x,
                      double           y,
                      LbThumbnailCell *cell)
{
  LbThumbnailGrid *self = LB_THUMBNAIL_GRID (gtk_widget_get_ancestor (GTK_WIDGET (cell),
                                                                      LB_TYPE_THUMBNAIL_GRID));
  GtkListItem *list_item = g_object_get_data (G_OBJECT (cell), CELL_LIST_ITEM_KEY);
  g_autoptr(GdkPaintable) icon = NULL;
  guint position;

  if (self == NULL || self->file_actions == NULL || list_item == NULL ||
      (position = gtk_list_item_get_position (list_item)) == GTK_INVALID_LIST_POSITION)
    return NULL;

  lb_thumbnail_grid_select_for_action (self, position);
  icon = gtk_widget_paintable_new (GTK_WIDGET (cell));
  gtk_drag_source_set_icon (source, icon, x, y);

  return lb_file_actions_create_content (self->file_actions);
}

/* --- cells --------------------------------------------------------------- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               LbThumbnailGrid          *self)
{
  GtkWidget *cell = lb_thumbnail_cell_new (self->loader);
  GtkDragSource *drag = gtk_drag_source_new ();

  g_object_set_data (G_OBJECT (cell), CELL_LIST_ITEM_KEY, list_item);
  g_object_bind_property (self, "zoom", cell, "size", G_BINDING_SYNC_CREATE);
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (cell_drag_prepare_cb), cell);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (drag));
  gtk_list_item_set_child (list_item, cell);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              LbThumbnailGrid          *self)
{
  LbFileItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *cell = gtk_list_item_get_child (list_item);

  lb_thumbnail_cell_set_item (LB_THUMBNAIL_CELL (cell), item);

  /* The grid cell that gets the focus is what a screen reader names. */
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_list_item_set_accessible_label (list_item, lb_file_item_get_display_name (item));
#else
  if (gtk_widget_get_parent (cell) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (cell)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    lb_file_item_get_display_name (item),
                                    -1);
#endif
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                LbThumbnailGrid          *self)
{
  lb_thumbnail_cell_set_item (LB_THUMBNAIL_CELL (gtk_list_item_get_child (list_item)), NULL);
}

static void
grid_activate_cb (LbThumbnailGrid *self,
                  guint            position)
{
  g_signal_emit (self, signals[ACTIVATE], 0, position);
}

/* --- the object ------------------------------------------------------------ */

GtkWidget *
lb_thumbnail_grid_new (void)
{
  return g_object_new (LB_TYPE_THUMBNAIL_GRID, NULL);
}

void
lb_thumbnail_grid_set_model (LbThumbnailGrid   *self,
                             GtkSelectionModel *model)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));
  g_return_if_fail (model == NULL || GTK_IS_SELECTION_MODEL (model));

  gtk_grid_view_set_model (self->grid_view, model);
}

void
lb_thumbnail_grid_set_loader (LbThumbnailGrid   *self,
                              LbThumbnailLoader *loader)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));
  g_return_if_fail (loader == NULL || LB_IS_THUMBNAIL_LOADER (loader));

  g_set_object (&self->loader, loader);
}

void
lb_thumbnail_grid_set_file_actions (LbThumbnailGrid *self,
                                    LbFileActions   *actions)
{
  g_return_if_fail (LB_IS_THUMBNAIL_GRID (self));
  g_return_if_fail (actions == NULL || LB_IS_FILE_ACTIONS (actions));

  g_set_object (&self->file_actions, actions);
}

static void
lb_thumbnail_grid_dispose (GObject *object)
{
  LbThumbnailGrid *self = LB_THUMBNAIL_GRID (object);

  g_clear_handle_id (&self->columns_source, g_source_remove);
#if !GTK_CHECK_VERSION (4, 12, 0)
  if (self->focus_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->grid_view), self->focus_tick);
  self->focus_tick = 0;
#endif
  if (self->grid_view != NULL)
    gtk_grid_view_set_model (self->grid_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), LB_TYPE_THUMBNAIL_GRID);

  g_clear_object (&self->file_actions);
  g_clear_object (&self->loader);

  G_OBJECT_CLASS (lb_thumbnail_grid_parent_class)->dispose (object);
}

static void
lb_thumbnail_grid_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LbThumbnailGrid *self = LB_THUMBNAIL_GRID (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_int (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_grid_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LbThumbnailGrid *self = LB_THUMBNAIL_GRID (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      lb_thumbnail_grid_set_zoom (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lb_thumbnail_grid_class_init (LbThumbnailGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lb_thumbnail_grid_dispose;
  object_class->get_property = lb_thumbnail_grid_get_property;
  object_class->set_property = lb_thumbnail_grid_set_property;

  properties[PROP_ZOOM] =
    g_param_spec_int ("zoom", NULL, NULL, LB_THUMBNAIL_GRID_ZOOM_MIN, LB_THUMBNAIL_GRID_ZOOM_MAX, 192,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Enter or a double click on the item at a position. */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/lightbox/Lightbox/lb-thumbnail-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, LbThumbnailGrid, grid_view);
}

static void
lb_thumbnail_grid_init (LbThumbnailGrid *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *scroll;
  GtkGesture *right_click;
  GtkGesture *long_press;

  self->zoom = 192;
#if !GTK_CHECK_VERSION (4, 12, 0)
  self->focus_position = GTK_INVALID_LIST_POSITION;
#endif

  gtk_widget_init_template (GTK_WIDGET (self));
  self->scroller = GTK_SCROLLED_WINDOW (adw_bin_get_child (ADW_BIN (self)));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_signal_connect_swapped (self->grid_view, "activate", G_CALLBACK (grid_activate_cb), self);

  right_click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (right_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (right_click, "pressed", G_CALLBACK (grid_right_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), GTK_EVENT_CONTROLLER (right_click));
  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (grid_context_menu_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->grid_view), GTK_EVENT_CONTROLLER (long_press));

  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid_view)), "changed",
                           G_CALLBACK (lb_thumbnail_grid_update_columns), self, G_CONNECT_SWAPPED);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), scroll);
}
