/* lb-image-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-image-info"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "lb-image-file.h"
#include "lb-image-info.h"
#include "lb-thumbnail.h"

/* The XMP namespaces of the properties read here; each URI ends with the
 * separator, so URI + local name is the property's full name. */
#define NS_EXIF      "http://ns.adobe.com/exif/1.0/"
#define NS_EXIF_AUX  "http://ns.adobe.com/exif/1.0/aux/"
#define NS_EXIF_EX   "http://cipa.jp/exif/1.0/"
#define NS_TIFF      "http://ns.adobe.com/tiff/1.0/"
#define NS_XMP       "http://ns.adobe.com/xap/1.0/"
#define NS_PHOTOSHOP "http://ns.adobe.com/photoshop/1.0/"
#define NS_RDF       "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

struct _LbImageInfo
{
  GObject    parent_instance;

  int        width;
  int        height;
  char      *format;
  int        n_pages;
  gboolean   is_animated;
  int        orientation;

  GDateTime *date_taken;
  char      *camera_make;
  char      *camera_model;
  char      *lens;
  double     exposure_time;
  double     f_number;
  int        iso;
  double     focal_length;
  int        focal_length_35mm;
  gboolean   has_location;
  double     latitude;
  double     longitude;
};

G_DEFINE_FINAL_TYPE (LbImageInfo, lb_image_info, G_TYPE_OBJECT)

static void
lb_image_info_finalize (GObject *object)
{
  LbImageInfo *self = LB_IMAGE_INFO (object);

  g_clear_pointer (&self->format, g_free);
  g_clear_pointer (&self->date_taken, g_date_time_unref);
  g_clear_pointer (&self->camera_make, g_free);
  g_clear_pointer (&self->camera_model, g_free);
  g_clear_pointer (&self->lens, g_free);

  G_OBJECT_CLASS (lb_image_info_parent_class)->finalize (object);
}

static void
lb_image_info_class_init (LbImageInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lb_image_info_finalize;
}

static void
lb_image_info_init (LbImageInfo *self)
{
  self->orientation = 1;
  self->n_pages = 1;
}

/* --- EXIF, as libvips keeps it ------------------------------------------
 *
 * libvips stores each entry as a string field "exif-ifdN-Name" of the form
 * "VALUE (DESCRIPTION, FORMAT, N components, M bytes)": VALUE is "n/d n/d…"
 * for rationals, "n n…" for integers and the text itself for ASCII. */

static const char *
exif_get_string (VipsImage  *image,
                 const char *name)
{
  const char *value = NULL;

  if (vips_image_get_typeof (image, name) == 0 ||
      vips_image_get_string (image, name, &value) != 0)
    return NULL;

  return value;
}

/* For ASCII, DESCRIPTION repeats VALUE, which may itself hold " (" or
 * ", ": so VALUE is the first half of what comes before the last
 * ", ASCII, ". */
static char *
exif_dup_ascii (VipsImage  *image,
                const char *name)
{
  const char *field = exif_get_string (image, name);
  const char *tail;
  gsize both;
  gsize length;
  char *value;

  if (field == NULL || (tail = g_strrstr (field, ", ASCII, ")) == NULL)
    return NULL;

  both = tail - field;
  if (both < 2 || (both - 2) % 2 != 0)
    return NULL;
  length = (both - 2) / 2;
  if (strncmp (field + length, " (", 2) != 0)
    return NULL;

  value = g_strstrip (g_strndup (field, length));
  if (value[0] == '\0' || !g_utf8_validate (value, -1, NULL))
    g_clear_pointer (&value, g_free);

  return value;
}

/* "n/d" or a decimal number, in the C locale; FALSE for anything else,
 * a zero denominator included. */
static gboolean
parse_number (const char  *text,
              const char **end,
              double      *value)
{
  char *after = NULL;
  double numerator = g_ascii_strtod (text, &after);

  if (after == text)
    return FALSE;

  if (*after == '/')
    {
      const char *denominator_text = after + 1;
      double denominator = g_ascii_strtod (denominator_text, &after);

      if (after == denominator_text || denominator == 0)
        return FALSE;
      numerator /= denominator;
    }

  if (!isfinite (numerator))
    return FALSE;

  *value = numerator;
  if (end != NULL)
    *end = after;

  return TRUE;
}

/* Up to @max numbers of VALUE; returns how many were read. */
static int
exif_get_numbers (VipsImage  *image,
                  const char *name,
                  double     *values,
                  int         max)
{
  const char *p = exif_get_string (image, name);
  int n = 0;

  if (p == NULL)
    return 0;

  while (n < max)
    {
      while (*p == ' ')
        p++;
      if (*p == '(' || !parse_number (p, &p, &values[n]))
        break;
      n++;
    }

  return n;
}

static double
exif_get_number (VipsImage  *image,
                 const char *name)
{
  double value = 0;

  return exif_get_numbers (image, name, &value, 1) == 1 ? value : 0;
}

/* "YYYY:MM:DD HH:MM:SS", in the zone of @offset ("+02:00") when there is
 * one, else in local time as cameras keep it. */
static GDateTime *
parse_exif_date (const char *text,
                 const char *offset)
{
  g_autoptr(GTimeZone) zone = NULL;
  int year, month, day, hour, minute, second;

  if (text == NULL ||
      sscanf (text, "%4d:%2d:%2d %2d:%2d:%2d",
              &year, &month, &day, &hour, &minute, &second) != 6)
    return NULL;

  if (offset != NULL)
    zone = g_time_zone_new_identifier (offset);
  if (zone == NULL)
    zone = g_time_zone_new_local ();

  /* NULL for the zeros some cameras write when their clock is unset. */
  return g_date_time_new (zone, year, month, day, hour, minute, second);
}

/* Degrees, minutes, seconds (rationals) and a reference letter. */
static gboolean
exif_get_coordinate (VipsImage  *image,
                     const char *name,
                     const char *ref_name,
                     const char *negative,
                     double     *value)
{
  g_autofree char *ref = exif_dup_ascii (image, ref_name);
  double parts[3] = { 0, 0, 0 };
  int n = exif_get_numbers (image, name, parts, 3);

  if (n == 0 || ref == NULL)
    return FALSE;

  *value = parts[0] + parts[1] / 60 + parts[2] / 3600;
  if (g_ascii_strncasecmp (ref, negative, 1) == 0)
    *value = -*value;

  return TRUE;
}

static void
read_exif (LbImageInfo *self,
           VipsImage   *image)
{
  g_autofree char *date = NULL;
  g_autofree char *offset = NULL;
  double latitude, longitude;

  date = exif_dup_ascii (image, "exif-ifd2-DateTimeOriginal");
  offset = exif_dup_ascii (image, "exif-ifd2-OffsetTimeOriginal");
  if (date == NULL)
    {
      g_clear_pointer (&offset, g_free);
      date = exif_dup_ascii (image, "exif-ifd2-DateTimeDigitized");
      offset = exif_dup_ascii (image, "exif-ifd2-OffsetTimeDigitized");
    }
  self->date_taken = parse_exif_date (date, offset);

  self->camera_make = exif_dup_ascii (image, "exif-ifd0-Make");
  self->camera_model = exif_dup_ascii (image, "exif-ifd0-Model");
  self->lens = exif_dup_ascii (image, "exif-ifd2-LensModel");
  self->exposure_time = exif_get_number (image, "exif-ifd2-ExposureTime");
  self->f_number = exif_get_number (image, "exif-ifd2-FNumber");
  self->focal_length = exif_get_number (image, "exif-ifd2-FocalLength");
  self->focal_length_35mm = (int) exif_get_number (image, "exif-ifd2-FocalLengthIn35mmFilm");
  /* EXIF 2.3 renamed the tag; libexif uses either name by version. */
  self->iso = (int) exif_get_number (image, "exif-ifd2-ISOSpeedRatings");
  if (self->iso == 0)
    self->iso = (int) exif_get_number (image, "exif-ifd2-PhotographicSensitivity");

  if (exif_get_coordinate (image, "exif-ifd3-GPSLatitude", "exif-ifd3-GPSLatitudeRef",
                           "S", &latitude) &&
      exif_get_coordinate (image, "exif-ifd3-GPSLongitude", "exif-ifd3-GPSLongitudeRef",
                           "W", &longitude))
    {
      self->has_location = TRUE;
      self->latitude = latitude;
      self->longitude = longitude;
    }
}

/* --- XMP -----------------------------------------------------------------
 *
 * RDF/XML with properties either as attributes of rdf:Description or as
 * its child elements, whose value may sit in an rdf:Seq or rdf:Alt (the
 * first rdf:li is kept). Names are resolved through the xmlns
 * declarations. */

typedef struct
{
  GHashTable *namespaces;  /* prefix → URI */
  GHashTable *values;      /* URI + local name → first value */
  char       *property;    /* the element property being read */
  int         property_depth;
  int         description_depth;  /* of the rdf:Description we are in, or 0 */
  int         depth;
  int         n_items;     /* rdf:li seen in the property */
  GString    *text;
} XmpParser;

/* "prefix:local" → URI + local, or NULL for an undeclared prefix. */
static char *
xmp_resolve (XmpParser  *parser,
             const char *qualified_name)
{
  const char *colon = strchr (qualified_name, ':');
  g_autofree char *prefix = NULL;
  const char *uri;

  if (colon == NULL)
    return NULL;

  prefix = g_strndup (qualified_name, colon - qualified_name);
  uri = g_hash_table_lookup (parser->namespaces, prefix);

  return uri != NULL ? g_strconcat (uri, colon + 1, NULL) : NULL;
}

static void
xmp_set_value (XmpParser  *parser,
               const char *name,
               const char *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value));

  if (stripped[0] != '\0' && !g_hash_table_contains (parser->values, name))
    g_hash_table_insert (parser->values, g_strdup (name), g_steal_pointer (&stripped));
}

static void
xmp_start_element (GMarkupParseContext  *context,
                   const char           *element_name,
                   const char          **attribute_names,
                   const char          **attribute_values,
                   gpointer              user_data,
                   GError              **error)
{
  XmpParser *parser = user_data;
  g_autofree char *name = NULL;

  parser->depth++;

  for (int i = 0; attribute_names[i] != NULL; i++)
    if (g_str_has_prefix (attribute_names[i], "xmlns:"))
      g_hash_table_replace (parser->namespaces,
                            g_strdup (attribute_names[i] + strlen ("xmlns:")),
                            g_strdup (attribute_values[i]));

  for (int i = 0; attribute_names[i] != NULL; i++)
    {
      g_autofree char *attribute = xmp_resolve (parser, attribute_names[i]);

      if (attribute != NULL && !g_str_has_prefix (attribute, NS_RDF))
        xmp_set_value (parser, attribute, attribute_values[i]);
    }

  name = xmp_resolve (parser, element_name);
  if (name == NULL)
    return;

  if (parser->property != NULL)
    {
      if (g_str_equal (name, NS_RDF "li"))
        parser->n_items++;
    }
  else if (g_str_equal (name, NS_RDF "Description"))
    {
      parser->description_depth = parser->depth;
    }
  else if (parser->description_depth > 0 &&
           parser->depth == parser->description_depth + 1)
    {
      parser->property = g_steal_pointer (&name);
      parser->property_depth = parser->depth;
      parser->n_items = 0;
      g_string_truncate (parser->text, 0);
    }
}

static void
xmp_end_element (GMarkupParseContext  *context,
                 const char           *element_name,
                 gpointer              user_data,
                 GError              **error)
{
  XmpParser *parser = user_data;

  if (parser->property != NULL && parser->depth == parser->property_depth)
    {
      xmp_set_value (parser, parser->property, parser->text->str);
      g_clear_pointer (&parser->property, g_free);
    }
  else if (parser->depth == parser->description_depth)
    {
      parser->description_depth = 0;
    }

  parser->depth--;
}

static void
xmp_text (GMarkupParseContext  *context,
          const char           *text,
          gsize                 text_len,
          gpointer              user_data,
          GError              **error)
{
  XmpParser *parser = user_data;

  /* Only the first item of a list. */
  if (parser->property != NULL && parser->n_items <= 1)
    g_string_append_len (parser->text, text, text_len);
}

static const GMarkupParser xmp_markup_parser = {
  .start_element = xmp_start_element,
  .end_element = xmp_end_element,
  .text = xmp_text,
};

/* "52,31.2057N" or "52,31,12.34N": degrees, minutes (and seconds), then
 * the reference letter. */
static gboolean
parse_xmp_coordinate (const char *text,
                      double     *value)
{
  g_auto(GStrv) parts = NULL;
  double scale = 1;
  double sum = 0;
  gsize length;
  char ref;

  if (text == NULL || (length = strlen (text)) < 2)
    return FALSE;

  ref = g_ascii_toupper (text[length - 1]);
  if (ref != 'N' && ref != 'S' && ref != 'E' && ref != 'W')
    return FALSE;

  parts = g_strsplit (text, ",", 3);
  for (int i = 0; parts[i] != NULL; i++, scale *= 60)
    {
      double part;

      if (!parse_number (parts[i], NULL, &part))
        return FALSE;
      sum += part / scale;
    }

  *value = (ref == 'S' || ref == 'W') ? -sum : sum;

  return TRUE;
}

/* ISO 8601, with or without a time or a zone. */
static GDateTime *
parse_xmp_date (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *full = NULL;

  if (text == NULL)
    return NULL;

  if (strchr (text, 'T') == NULL)
    text = full = g_strconcat (text, "T00:00:00", NULL);

  return g_date_time_new_from_iso8601 (text, local);
}

static void
read_xmp (LbImageInfo *self,
          VipsImage   *image)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GHashTable) namespaces = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GString) text = NULL;
  XmpParser parser = { 0 };
  const void *data;
  size_t length;
  const char *value;
  double number;

  if (vips_image_get_typeof (image, VIPS_META_XMP_NAME) == 0 ||
      vips_image_get_blob (image, VIPS_META_XMP_NAME, &data, &length) != 0)
    return;

  namespaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  text = g_string_new (NULL);
  parser.namespaces = namespaces;
  parser.values = values;
  parser.text = text;

  /* Whatever came before a syntax error is still good. */
  context = g_markup_parse_context_new (&xmp_markup_parser, 0, &parser, NULL);
  if (!g_markup_parse_context_parse (context, data, length, NULL))
    g_debug ("Malformed XMP packet");
  g_clear_pointer (&parser.property, g_free);

  /* EXIF wins: XMP only fills what it left out. */
  if (self->date_taken == NULL)
    {
      self->date_taken = parse_xmp_date (g_hash_table_lookup (values, NS_EXIF "DateTimeOriginal"));
      if (self->date_taken == NULL)
        self->date_taken = parse_xmp_date (g_hash_table_lookup (values, NS_PHOTOSHOP "DateCreated"));
      if (self->date_taken == NULL)
        self->date_taken = parse_xmp_date (g_hash_table_lookup (values, NS_XMP "CreateDate"));
    }

  if (self->camera_make == NULL)
    self->camera_make = g_strdup (g_hash_table_lookup (values, NS_TIFF "Make"));
  if (self->camera_model == NULL)
    self->camera_model = g_strdup (g_hash_table_lookup (values, NS_TIFF "Model"));
  if (self->lens == NULL)
    self->lens = g_strdup (g_hash_table_lookup (values, NS_EXIF_EX "LensModel"));
  if (self->lens == NULL)
    self->lens = g_strdup (g_hash_table_lookup (values, NS_EXIF_AUX "Lens"));

  if (self->exposure_time == 0 &&
      (value = g_hash_table_lookup (values, NS_EXIF "ExposureTime")) != NULL &&
      parse_number (value, NULL, &number))
    self->exposure_time = number;
  if (self->f_number == 0 &&
      (value = g_hash_table_lookup (values, NS_EXIF "FNumber")) != NULL &&
      parse_number (value, NULL, &number))
    self->f_number = number;
  if (self->focal_length == 0 &&
      (value = g_hash_table_lookup (values, NS_EXIF "FocalLength")) != NULL &&
      parse_number (value, NULL, &number))
    self->focal_length = number;
  if (self->focal_length_35mm == 0 &&
      (value = g_hash_table_lookup (values, NS_EXIF "FocalLengthIn35mmFilm")) != NULL &&
      parse_number (value, NULL, &number))
    self->focal_length_35mm = (int) number;
  if (self->iso == 0 &&
      ((value = g_hash_table_lookup (values, NS_EXIF "ISOSpeedRatings")) != NULL ||
       (value = g_hash_table_lookup (values, NS_EXIF_EX "PhotographicSensitivity")) != NULL) &&
      parse_number (value, NULL, &number))
    self->iso = (int) number;

  if (!self->has_location &&
      parse_xmp_coordinate (g_hash_table_lookup (values, NS_EXIF "GPSLatitude"), &self->latitude) &&
      parse_xmp_coordinate (g_hash_table_lookup (values, NS_EXIF "GPSLongitude"), &self->longitude))
    self->has_location = TRUE;
}

/* --- the header ---------------------------------------------------------- */

/* @loader: a nickname such as "jpegload_source". */
static char *
format_from_loader (VipsImage  *header,
                    const char *loader)
{
  static const struct {
    const char *prefix;
    const char *format;
  } formats[] = {
    { "jpegload", "JPEG" },
    { "pngload", "PNG" },
    { "webpload", "WebP" },
    { "gifload", "GIF" },
    { "tiffload", "TIFF" },
    { "jxlload", "JPEG XL" },
    { "jp2kload", "JPEG 2000" },
    { "svgload", "SVG" },
    { "pdfload", "PDF" },
  };
  const char *compression = NULL;

  if (loader == NULL)
    return NULL;

  /* One loader reads both HEIC and AVIF. */
  if (g_str_has_prefix (loader, "heifload"))
    {
      if (vips_image_get_typeof (header, "heif-compression") != 0 &&
          vips_image_get_string (header, "heif-compression", &compression) != 0)
        compression = NULL;
      return g_strdup (g_strcmp0 (compression, "av1") == 0 ? "AVIF" : "HEIC");
    }

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_has_prefix (loader, formats[i].prefix))
      return g_strdup (formats[i].format);

  return NULL;
}

LbImageInfo *
lb_image_info_new_from_header (VipsImage  *header,
                               const char *loader)
{
  LbImageInfo *self;
  int width;
  int height;

  g_return_val_if_fail (VIPS_IS_IMAGE (header), NULL);

  self = g_object_new (LB_TYPE_IMAGE_INFO, NULL);

  width = vips_image_get_width (header);
  height = vips_image_get_page_height (header);
  self->orientation = CLAMP (vips_image_get_orientation (header), 1, 8);
  self->width = self->orientation > 4 ? height : width;
  self->height = self->orientation > 4 ? width : height;
  self->n_pages = MAX (vips_image_get_n_pages (header), 1);
  self->is_animated = self->n_pages > 1 && vips_image_get_typeof (header, "delay") != 0;
  self->format = format_from_loader (header, loader);

  read_exif (self, header);
  read_xmp (self, header);

  return self;
}

LbImageInfo *
lb_image_info_new_for_file (GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(VipsSource) source = NULL;
  g_autoptr(VipsImage) header = NULL;
  const char *loader = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = lb_image_file_open_source (file, cancellable, error);
  if (source == NULL)
    return NULL;

  header = lb_image_file_load_header (source, &loader, error);
  if (header == NULL)
    return NULL;

  return lb_image_info_new_from_header (header, loader);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  LbImageInfo *info = lb_image_info_new_for_file (task_data, cancellable, &error);

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, g_object_unref);
}

void
lb_image_info_load_async (GFile               *file,
                          int                  io_priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lb_image_info_load_async);
  g_task_set_priority (task, io_priority);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

LbImageInfo *
lb_image_info_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_image_info_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- getters ------------------------------------------------------------- */

int
lb_image_info_get_width (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->width;
}

int
lb_image_info_get_height (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->height;
}

const char *
lb_image_info_get_format (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  return self->format;
}

int
lb_image_info_get_n_pages (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 1);

  return self->n_pages;
}

gboolean
lb_image_info_get_is_animated (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), FALSE);

  return self->is_animated;
}

int
lb_image_info_get_orientation (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 1);

  return self->orientation;
}

GDateTime *
lb_image_info_get_date_taken (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  return self->date_taken;
}

const char *
lb_image_info_get_camera_make (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  return self->camera_make;
}

const char *
lb_image_info_get_camera_model (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  return self->camera_model;
}

const char *
lb_image_info_get_lens (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  return self->lens;
}

double
lb_image_info_get_exposure_time (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->exposure_time;
}

double
lb_image_info_get_f_number (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->f_number;
}

int
lb_image_info_get_iso (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->iso;
}

double
lb_image_info_get_focal_length (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->focal_length;
}

int
lb_image_info_get_focal_length_35mm (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), 0);

  return self->focal_length_35mm;
}

gboolean
lb_image_info_get_location (LbImageInfo *self,
                            double      *latitude,
                            double      *longitude)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), FALSE);

  if (!self->has_location)
    return FALSE;

  if (latitude != NULL)
    *latitude = self->latitude;
  if (longitude != NULL)
    *longitude = self->longitude;

  return TRUE;
}

/* --- texts --------------------------------------------------------------- */

/* "Canon" and "Canon EOS 400D" make "Canon EOS 400D"; "NIKON CORPORATION"
 * and "NIKON D750" make "NIKON D750": the model mostly names the make. */
char *
lb_image_info_dup_camera_text (LbImageInfo *self)
{
  const char *make;
  const char *model;
  gsize first_word;

  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  make = self->camera_make;
  model = self->camera_model;
  if (make == NULL || model == NULL)
    return g_strdup (model != NULL ? model : make);

  first_word = strcspn (make, " ");
  if (g_ascii_strncasecmp (model, make, first_word) == 0)
    return g_strdup (model);

  return g_strdup_printf ("%s %s", make, model);
}

char *
lb_image_info_dup_exposure_text (LbImageInfo *self)
{
  double reciprocal;

  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  if (self->exposure_time <= 0)
    return NULL;

  /* Photographers know short exposures as fractions: "1/250 s", but
   * 0.4 s is no fraction of a whole second. */
  reciprocal = 1 / self->exposure_time;
  if (reciprocal >= 2 && fabs (reciprocal - round (reciprocal)) < 0.05 * reciprocal)
    /* Translators: an exposure time, as a fraction of a second */
    return g_strdup_printf (_("1/%.0f s"), round (reciprocal));

  /* Translators: an exposure time in seconds */
  return g_strdup_printf (_("%g s"), round (self->exposure_time * 10) / 10);
}

char *
lb_image_info_dup_aperture_text (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  if (self->f_number <= 0)
    return NULL;

  /* Translators: an aperture (f-number), such as ƒ/2.8 */
  return g_strdup_printf (_("ƒ/%g"), round (self->f_number * 10) / 10);
}

char *
lb_image_info_dup_focal_length_text (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  if (self->focal_length <= 0)
    return NULL;

  if (self->focal_length_35mm > 0)
    /* Translators: a focal length, then its equivalent on 35 mm film */
    return g_strdup_printf (_("%g mm (%d mm in 35 mm terms)"),
                            round (self->focal_length * 10) / 10,
                            self->focal_length_35mm);

  /* Translators: a focal length in millimetres */
  return g_strdup_printf (_("%g mm"), round (self->focal_length * 10) / 10);
}

char *
lb_image_info_dup_location_text (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  if (!self->has_location)
    return NULL;

  /* Translators: a GPS position: latitude, North or South, longitude,
   * East or West, as in 52.52000° N, 13.40500° E */
  return g_strdup_printf (_("%.5f° %s, %.5f° %s"),
                          fabs (self->latitude),
                          self->latitude >= 0 ? C_("compass", "N") : C_("compass", "S"),
                          fabs (self->longitude),
                          self->longitude >= 0 ? C_("compass", "E") : C_("compass", "W"));
}

char *
lb_image_info_dup_location_uri (LbImageInfo *self)
{
  char latitude[G_ASCII_DTOSTR_BUF_SIZE];
  char longitude[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  if (!self->has_location)
    return NULL;

  /* Always a dot for the decimals, whatever the locale. */
  g_ascii_formatd (latitude, sizeof latitude, "%.6f", self->latitude);
  g_ascii_formatd (longitude, sizeof longitude, "%.6f", self->longitude);

  return g_strdup_printf ("geo:%s,%s", latitude, longitude);
}

const char *
lb_image_info_get_orientation_text (LbImageInfo *self)
{
  g_return_val_if_fail (LB_IS_IMAGE_INFO (self), NULL);

  /* What it takes to show the stored pixels upright. */
  switch (self->orientation)
    {
    case 2:
      return _("Mirrored horizontally");
    case 3:
      return _("Rotated 180°");
    case 4:
      return _("Mirrored vertically");
    case 5:
      return _("Mirrored horizontally, rotated 90° counter-clockwise");
    case 6:
      return _("Rotated 90° clockwise");
    case 7:
      return _("Mirrored horizontally, rotated 90° clockwise");
    case 8:
      return _("Rotated 90° counter-clockwise");
    default:
      return NULL;
    }
}
