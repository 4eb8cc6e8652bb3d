/* lb-ui-types.c: preloaded into gtk4-builder-tool by validate-ui.py.
 *
 * Linked with the whole app library (and so with libadwaita), this module
 * puts every <type>_get_type() function a .ui file may need into the tool's
 * process, where GtkBuilder finds the types of <object class="…"> by their
 * names. A <template> is different: gtk4-builder-tool 4.8 looks its class and
 * parent up only among the types already registered, so this registers the
 * types named in LB_UI_TYPES (space-separated) when the module is loaded.
 */

#include <gmodule.h>
#include <glib-object.h>

/* "AdwApplicationWindow" → "adw_application_window_get_type" */
static char *
get_type_function_name (const char *type_name)
{
  GString *name = g_string_new (NULL);
  const char *p;

  for (p = type_name; *p != '\0'; p++)
    {
      if (g_ascii_isupper (*p) && p > type_name && !g_ascii_isupper (p[-1]))
        g_string_append_c (name, '_');
      g_string_append_c (name, g_ascii_tolower (*p));
    }
  g_string_append (name, "_get_type");

  return g_string_free (name, FALSE);
}

__attribute__ ((constructor)) static void
lb_ui_types_register (void)
{
  const char *types = g_getenv ("LB_UI_TYPES");
  g_auto(GStrv) names = NULL;
  GModule *self;
  guint i;

  if (types == NULL)
    return;

  self = g_module_open (NULL, 0);
  names = g_strsplit (types, " ", -1);
  for (i = 0; names[i] != NULL; i++)
    {
      g_autofree char *function_name = get_type_function_name (names[i]);
      GType (*get_type) (void);

      /* A type that is not there stays unknown, and the tool says so. */
      if (names[i][0] != '\0' &&
          g_module_symbol (self, function_name, (gpointer *) &get_type))
        get_type ();
    }
  g_module_close (self);
}
