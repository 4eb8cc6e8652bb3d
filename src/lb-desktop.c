/* lb-desktop.c
 *
 * The file dialog and the launching of files, as GTask pairs over the
 * API of the GTK at hand: GtkFileDialog and GtkFileLauncher from 4.10,
 * GtkFileChooserNative and gtk_show_uri_full() before. A dialog the user
 * dismissed is a cancellation, so that callers only report real errors.
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-desktop"

#include <glib/gi18n.h>

#include "lb-desktop.h"

/* Turns "the user said no" into G_IO_ERROR_CANCELLED. */
static void
lb_desktop_return_error (GTask  *task,
                         GError *error)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) ||
      g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
      g_error_free (error);
      return;
    }
#endif
  g_task_return_error (task, error);
}

/* --- choosing a folder ------------------------------------------------- */

#if GTK_CHECK_VERSION (4, 10, 0)
static void
folder_selected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GFile *folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, &error);

  if (folder != NULL)
    g_task_return_pointer (task, folder, g_object_unref);
  else
    lb_desktop_return_error (task, error);
}
#else
static void
folder_chooser_response_cb (GtkNativeDialog *chooser,
                            int              response,
                            GTask           *task)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (folder != NULL)
    g_task_return_pointer (task, g_steal_pointer (&folder), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "No folder chosen");

  g_object_unref (chooser);
  g_object_unref (task);
}
#endif

void
lb_desktop_choose_folder (GtkWindow           *parent,
                          GFile               *initial,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (initial == NULL || G_IS_FILE (initial));

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_desktop_choose_folder);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Open Folder"));
    if (initial != NULL)
      gtk_file_dialog_set_initial_folder (dialog, initial);
    gtk_file_dialog_select_folder (dialog, parent, cancellable, folder_selected_cb, task);
  }
#else
  {
    GtkFileChooserNative *chooser;

    chooser = gtk_file_chooser_native_new (_("Open Folder"), parent,
                                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                           _("_Open"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    if (initial != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), initial, NULL);
    g_signal_connect (chooser, "response", G_CALLBACK (folder_chooser_response_cb), task);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

GFile *
lb_desktop_choose_folder_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_desktop_choose_folder, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- launching a file -------------------------------------------------- */

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean launched;

#if GTK_CHECK_VERSION (4, 10, 0)
  launched = gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error);
#else
  launched = gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error);
#endif

  if (launched)
    g_task_return_boolean (task, TRUE);
  else
    lb_desktop_return_error (task, error);
}

void
lb_desktop_launch (GtkWindow           *parent,
                   GFile               *file,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_desktop_launch);

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

    gtk_file_launcher_launch (launcher, parent, cancellable, launched_cb, task);
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (file);

    gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, cancellable, launched_cb, task);
  }
#endif
}

gboolean
lb_desktop_launch_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_desktop_launch, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
