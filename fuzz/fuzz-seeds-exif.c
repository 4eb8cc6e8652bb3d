/* fuzz-seeds-exif.c: seeds of the metadata harness (fuzz-image-info.c)
 *
 * JPEGs whose EXIF (APP1), XMP (APP1) and MPF (APP2) segments are put
 * together byte by byte: EXIF as cameras write it (both byte orders, a
 * GPS IFD, an interoperability IFD, maker notes that are IFDs of their
 * own), then damaged on purpose (IFD chains that loop, offsets past the
 * end, counts that overflow, cut short); XMP as darktable and Lightroom
 * write it; and images of other formats that libvips wrote with EXIF
 * and XMP fields. Single threaded, inside a check test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-seeds.h"

/* --- TIFF structures, as EXIF is made of -------------------------------- */

enum {
  TYPE_BYTE = 1,
  TYPE_ASCII = 2,
  TYPE_SHORT = 3,
  TYPE_LONG = 4,
  TYPE_RATIONAL = 5,
  TYPE_UNDEFINED = 7,
};

/* An IFD entry: @numbers (a numerator and a denominator each for
 * rationals), @blob (ASCII with its NUL, UNDEFINED), or neither, and
 * then @raw is written as the value field whatever @count says: for
 * offsets that point anywhere and for sub-IFD pointers patched later. */
typedef struct {
  guint16        tag;
  guint16        type;
  guint32        count;
  const guint32 *numbers;
  const void    *blob;
  guint32        raw;
} Entry;

#define NUMBERS_OF(...) ((const guint32[]) { __VA_ARGS__ })
#define N_NUMBERS(...) G_N_ELEMENTS (NUMBERS_OF (__VA_ARGS__))
#define BYTES(tag, ...) { (tag), TYPE_BYTE, N_NUMBERS (__VA_ARGS__), NUMBERS_OF (__VA_ARGS__), NULL, 0 }
#define SHORTS(tag, ...) { (tag), TYPE_SHORT, N_NUMBERS (__VA_ARGS__), NUMBERS_OF (__VA_ARGS__), NULL, 0 }
#define LONGS(tag, ...) { (tag), TYPE_LONG, N_NUMBERS (__VA_ARGS__), NUMBERS_OF (__VA_ARGS__), NULL, 0 }
#define RATIONALS(tag, ...) \
  { (tag), TYPE_RATIONAL, N_NUMBERS (__VA_ARGS__) / 2, NUMBERS_OF (__VA_ARGS__), NULL, 0 }
#define ASCII(tag, text) { (tag), TYPE_ASCII, sizeof (text), NULL, (text), 0 }
#define UNDEFINED(tag, data, size) { (tag), TYPE_UNDEFINED, (size), NULL, (data), 0 }
#define RAW(tag, type, count, value) { (tag), (type), (count), NULL, NULL, (value) }
/* A LONG offset to an IFD, set with tiff_point() once that is written. */
#define POINTER(tag) RAW ((tag), TYPE_LONG, 1, 0)

/* Tags of IFD0 and of the EXIF, GPS, interoperability and MPF IFDs. */
enum {
  TAG_MAKE = 0x010F,
  TAG_MODEL = 0x0110,
  TAG_ORIENTATION = 0x0112,
  TAG_X_RESOLUTION = 0x011A,
  TAG_Y_RESOLUTION = 0x011B,
  TAG_RESOLUTION_UNIT = 0x0128,
  TAG_DATE_TIME = 0x0132,
  TAG_COMPRESSION = 0x0103,
  TAG_THUMBNAIL_OFFSET = 0x0201,
  TAG_THUMBNAIL_LENGTH = 0x0202,
  TAG_EXIF_IFD = 0x8769,
  TAG_GPS_IFD = 0x8825,
  TAG_EXPOSURE_TIME = 0x829A,
  TAG_F_NUMBER = 0x829D,
  TAG_ISO = 0x8827,
  TAG_EXIF_VERSION = 0x9000,
  TAG_DATE_TIME_ORIGINAL = 0x9003,
  TAG_DATE_TIME_DIGITIZED = 0x9004,
  TAG_OFFSET_TIME_ORIGINAL = 0x9011,
  TAG_FOCAL_LENGTH = 0x920A,
  TAG_MAKER_NOTE = 0x927C,
  TAG_INTEROP_IFD = 0xA005,
  TAG_FOCAL_LENGTH_35MM = 0xA405,
  TAG_LENS_MODEL = 0xA434,
  TAG_GPS_VERSION = 0x0000,
  TAG_GPS_LATITUDE_REF = 0x0001,
  TAG_GPS_LATITUDE = 0x0002,
  TAG_GPS_LONGITUDE_REF = 0x0003,
  TAG_GPS_LONGITUDE = 0x0004,
  TAG_GPS_ALTITUDE_REF = 0x0005,
  TAG_GPS_ALTITUDE = 0x0006,
  TAG_INTEROP_INDEX = 0x0001,
  TAG_INTEROP_VERSION = 0x0002,
  TAG_MP_VERSION = 0xB000,
  TAG_MP_NUMBER_OF_IMAGES = 0xB001,
  TAG_MP_ENTRY = 0xB002,
};

typedef struct {
  GByteArray *bytes;
  gboolean    big_endian;
} Tiff;

static void
tiff_put (Tiff    *tiff,
          guint32  value,
          guint    size)
{
  for (guint i = 0; i < size; i++)
    {
      guint shift = 8 * (tiff->big_endian ? size - 1 - i : i);
      guint8 byte = value >> shift;

      g_byte_array_append (tiff->bytes, &byte, 1);
    }
}

static guint32
tiff_get (Tiff  *tiff,
          gsize  at,
          guint  size)
{
  guint32 value = 0;

  for (guint i = 0; i < size; i++)
    value |= (guint32) tiff->bytes->data[at + i] << 8 * (tiff->big_endian ? size - 1 - i : i);

  return value;
}

static void
tiff_set32 (Tiff    *tiff,
            gsize    at,
            guint32  value)
{
  for (guint i = 0; i < 4; i++)
    tiff->bytes->data[at + i] = value >> 8 * (tiff->big_endian ? 3 - i : i);
}

/* A TIFF header whose IFD0 comes right after it, at 8. */
static Tiff
tiff_new (gboolean big_endian)
{
  Tiff tiff = { g_byte_array_new (), big_endian };

  g_byte_array_append (tiff.bytes, (const guint8 *) (big_endian ? "MM" : "II"), 2);
  tiff_put (&tiff, 42, 2);
  tiff_put (&tiff, 8, 4);

  return tiff;
}

static guint
type_size (guint16 type)
{
  switch (type)
    {
    case TYPE_SHORT:
      return 2;
    case TYPE_LONG:
      return 4;
    case TYPE_RATIONAL:
      return 8;
    default:
      return 1;
    }
}

static void
tiff_put_value (Tiff        *tiff,
                const Entry *entry)
{
  if (entry->blob != NULL)
    {
      g_byte_array_append (tiff->bytes, entry->blob, entry->count);
      return;
    }

  for (guint i = 0; i < entry->count * (entry->type == TYPE_RATIONAL ? 2 : 1); i++)
    tiff_put (tiff, entry->numbers[i], entry->type == TYPE_RATIONAL ? 4 : type_size (entry->type));
}

/* Appends an IFD of @n_entries, then the values that do not fit in their
 * entries; offsets count from the start of @tiff. Returns the IFD's. */
static guint32
tiff_append_ifd (Tiff        *tiff,
                 const Entry *entries,
                 guint        n_entries)
{
  Tiff values = { g_byte_array_new (), tiff->big_endian };
  guint32 ifd;
  guint32 values_start;

  if (tiff->bytes->len % 2 != 0)
    tiff_put (tiff, 0, 1);
  ifd = tiff->bytes->len;
  values_start = ifd + 2 + 12 * n_entries + 4;

  tiff_put (tiff, n_entries, 2);
  for (guint i = 0; i < n_entries; i++)
    {
      const Entry *entry = &entries[i];
      gsize before = tiff->bytes->len;

      tiff_put (tiff, entry->tag, 2);
      tiff_put (tiff, entry->type, 2);
      tiff_put (tiff, entry->count, 4);
      if (entry->numbers == NULL && entry->blob == NULL)
        tiff_put (tiff, entry->raw, 4);
      else if ((gsize) entry->count * type_size (entry->type) <= 4)
        tiff_put_value (tiff, entry);
      else
        {
          tiff_put (tiff, values_start + values.bytes->len, 4);
          tiff_put_value (&values, entry);
          if (values.bytes->len % 2 != 0)
            tiff_put (&values, 0, 1);
        }
      /* Short values sit left-aligned in their 4 bytes. */
      while (tiff->bytes->len < before + 12)
        tiff_put (tiff, 0, 1);
    }
  tiff_put (tiff, 0, 4);  /* no next IFD */

  g_byte_array_append (tiff->bytes, values.bytes->data, values.bytes->len);
  g_byte_array_unref (values.bytes);

  return ifd;
}

#define NEXT_IFD 0xFFFF

/* Sets the value of the entry @tag of the IFD at @ifd, or its next-IFD
 * offset when @tag is NEXT_IFD. */
static void
tiff_point (Tiff    *tiff,
            guint32  ifd,
            guint16  tag,
            guint32  target)
{
  guint n_entries = tiff_get (tiff, ifd, 2);

  if (tag == NEXT_IFD)
    {
      tiff_set32 (tiff, ifd + 2 + 12 * n_entries, target);
      return;
    }

  for (guint i = 0; i < n_entries; i++)
    if (tiff_get (tiff, ifd + 2 + 12 * i, 2) == tag)
      {
        tiff_set32 (tiff, ifd + 2 + 12 * i + 8, target);
        return;
      }

  g_assert_not_reached ();
}

static GBytes *
tiff_free_to_bytes (Tiff *tiff)
{
  return g_byte_array_free_to_bytes (g_steal_pointer (&tiff->bytes));
}

/* --- EXIF as cameras write it -------------------------------------------- */

/* Canon's maker note: an IFD whose offsets count from the TIFF header of
 * the EXIF around it; every value here fits in its entry. */
static GBytes *
make_canon_maker_note (gboolean big_endian)
{
  const Entry entries[] = {
    SHORTS (0x0001, 0, 2),     /* camera settings */
    ASCII (0x0006, "EOS"),     /* image type */
    LONGS (0x0010, 0x80000218), /* model ID */
  };
  Tiff note = { g_byte_array_new (), big_endian };

  tiff_append_ifd (&note, entries, G_N_ELEMENTS (entries));

  return tiff_free_to_bytes (&note);
}

/* Nikon's (type 3): a signature, then a TIFF of its own, whose offsets
 * count from its own header. */
static GBytes *
make_nikon_maker_note (gboolean big_endian)
{
  const Entry entries[] = {
    UNDEFINED (0x0001, "0210", 4),    /* version */
    SHORTS (0x0002, 0, 200),          /* ISO */
    ASCII (0x0004, "FINE   "),        /* quality */
    ASCII (0x0084, "AF-S 50mm f/1.8G"), /* lens */
  };
  Tiff tiff = tiff_new (big_endian);
  g_autoptr(GBytes) embedded = NULL;
  GByteArray *note = g_byte_array_new ();
  gsize len;
  const guint8 *data;

  tiff_append_ifd (&tiff, entries, G_N_ELEMENTS (entries));
  embedded = tiff_free_to_bytes (&tiff);
  data = g_bytes_get_data (embedded, &len);
  g_byte_array_append (note, (const guint8 *) "Nikon\0\x02\x10\0\0", 10);
  g_byte_array_append (note, data, len);

  return g_byte_array_free_to_bytes (note);
}

/* IFD0 with the EXIF, GPS and interoperability IFDs and a thumbnail IFD
 * (IFD1) pointing at a few bytes. */
static GBytes *
make_camera_exif (gboolean    big_endian,
                  const char *make,
                  const char *model,
                  GBytes     *maker_note,
                  int         orientation)
{
  const Entry ifd0_entries[] = {
    { TAG_MAKE, TYPE_ASCII, strlen (make) + 1, NULL, make, 0 },
    { TAG_MODEL, TYPE_ASCII, strlen (model) + 1, NULL, model, 0 },
    SHORTS (TAG_ORIENTATION, orientation),
    RATIONALS (TAG_X_RESOLUTION, 72, 1),
    RATIONALS (TAG_Y_RESOLUTION, 72, 1),
    SHORTS (TAG_RESOLUTION_UNIT, 2),
    ASCII (TAG_DATE_TIME, "2021:07:14 16:31:00"),
    POINTER (TAG_EXIF_IFD),
    POINTER (TAG_GPS_IFD),
  };
  const Entry exif_entries[] = {
    RATIONALS (TAG_EXPOSURE_TIME, 1, 250),
    RATIONALS (TAG_F_NUMBER, 28, 10),
    SHORTS (TAG_ISO, 400),
    UNDEFINED (TAG_EXIF_VERSION, "0232", 4),
    ASCII (TAG_DATE_TIME_ORIGINAL, "2021:07:14 16:30:05"),
    ASCII (TAG_DATE_TIME_DIGITIZED, "2021:07:14 16:30:05"),
    ASCII (TAG_OFFSET_TIME_ORIGINAL, "+02:00"),
    RATIONALS (TAG_FOCAL_LENGTH, 50, 1),
    UNDEFINED (TAG_MAKER_NOTE, g_bytes_get_data (maker_note, NULL), g_bytes_get_size (maker_note)),
    POINTER (TAG_INTEROP_IFD),
    SHORTS (TAG_FOCAL_LENGTH_35MM, 75),
    ASCII (TAG_LENS_MODEL, "EF 50mm f/1.4 USM"),
  };
  const Entry gps_entries[] = {
    BYTES (TAG_GPS_VERSION, 2, 3, 0, 0),
    ASCII (TAG_GPS_LATITUDE_REF, "N"),
    RATIONALS (TAG_GPS_LATITUDE, 52, 1, 31, 1, 1234, 100),
    ASCII (TAG_GPS_LONGITUDE_REF, "W"),
    RATIONALS (TAG_GPS_LONGITUDE, 13, 1, 24, 1, 0, 1),
    BYTES (TAG_GPS_ALTITUDE_REF, 0),
    RATIONALS (TAG_GPS_ALTITUDE, 3400, 100),
  };
  const Entry interop_entries[] = {
    ASCII (TAG_INTEROP_INDEX, "R98"),
    UNDEFINED (TAG_INTEROP_VERSION, "0100", 4),
  };
  const Entry ifd1_entries[] = {
    SHORTS (TAG_COMPRESSION, 6),
    POINTER (TAG_THUMBNAIL_OFFSET),
    LONGS (TAG_THUMBNAIL_LENGTH, 4),
  };
  Tiff tiff = tiff_new (big_endian);
  guint32 ifd0 = tiff_append_ifd (&tiff, ifd0_entries, G_N_ELEMENTS (ifd0_entries));
  guint32 exif = tiff_append_ifd (&tiff, exif_entries, G_N_ELEMENTS (exif_entries));
  guint32 gps = tiff_append_ifd (&tiff, gps_entries, G_N_ELEMENTS (gps_entries));
  guint32 interop = tiff_append_ifd (&tiff, interop_entries, G_N_ELEMENTS (interop_entries));
  guint32 ifd1 = tiff_append_ifd (&tiff, ifd1_entries, G_N_ELEMENTS (ifd1_entries));

  tiff_point (&tiff, ifd0, TAG_EXIF_IFD, exif);
  tiff_point (&tiff, ifd0, TAG_GPS_IFD, gps);
  tiff_point (&tiff, exif, TAG_INTEROP_IFD, interop);
  tiff_point (&tiff, ifd0, NEXT_IFD, ifd1);
  tiff_point (&tiff, ifd1, TAG_THUMBNAIL_OFFSET, tiff.bytes->len);
  g_byte_array_append (tiff.bytes, (const guint8 *) "\xFF\xD8\xFF\xD9", 4);

  return tiff_free_to_bytes (&tiff);
}

/* --- EXIF damaged on purpose ---------------------------------------------- */

/* IFD0 is its own next IFD, its EXIF IFD and the GPS IFD's parent. */
static GBytes *
make_looping_exif (void)
{
  const Entry entries[] = {
    ASCII (TAG_MAKE, "Loop"),
    POINTER (TAG_EXIF_IFD),
    POINTER (TAG_GPS_IFD),
  };
  const Entry exif_entries[] = {
    RATIONALS (TAG_EXPOSURE_TIME, 1, 60),
    POINTER (TAG_INTEROP_IFD),
  };
  Tiff tiff = tiff_new (FALSE);
  guint32 ifd0 = tiff_append_ifd (&tiff, entries, G_N_ELEMENTS (entries));
  guint32 exif = tiff_append_ifd (&tiff, exif_entries, G_N_ELEMENTS (exif_entries));

  tiff_point (&tiff, ifd0, TAG_EXIF_IFD, ifd0);
  tiff_point (&tiff, ifd0, TAG_GPS_IFD, exif);
  tiff_point (&tiff, ifd0, NEXT_IFD, ifd0);
  tiff_point (&tiff, exif, TAG_INTEROP_IFD, exif);
  tiff_point (&tiff, exif, NEXT_IFD, ifd0);

  return tiff_free_to_bytes (&tiff);
}

/* Offsets past the end or into the header, counts whose size overflows
 * 32 bits, values no reader expects. */
static GBytes *
make_outside_exif (void)
{
  const Entry entries[] = {
    RAW (TAG_MAKE, TYPE_ASCII, 0x10000, 0x7FFFFFF0),
    RAW (TAG_MODEL, TYPE_ASCII, 16, 3),
    SHORTS (TAG_ORIENTATION, 9),
    RAW (TAG_X_RESOLUTION, TYPE_RATIONAL, 0x20000001, 8),
    RAW (TAG_EXIF_IFD, TYPE_LONG, 1, 0xFFFFFFF0),
    RAW (TAG_GPS_IFD, TYPE_LONG, 1, 5),
  };
  Tiff tiff = tiff_new (TRUE);

  tiff_append_ifd (&tiff, entries, G_N_ELEMENTS (entries));

  return tiff_free_to_bytes (&tiff);
}

/* Values the parsers must turn down: a zeroed date, an impossible zone,
 * a zero denominator, a reference that is no compass point. */
static GBytes *
make_odd_values_exif (void)
{
  const Entry entries[] = {
    POINTER (TAG_EXIF_IFD),
    POINTER (TAG_GPS_IFD),
  };
  const Entry exif_entries[] = {
    RATIONALS (TAG_EXPOSURE_TIME, 0, 0),
    RATIONALS (TAG_F_NUMBER, 0xFFFFFFFF, 1),
    LONGS (TAG_ISO, 0xFFFFFFFF),
    ASCII (TAG_DATE_TIME_ORIGINAL, "0000:00:00 00:00:00"),
    ASCII (TAG_DATE_TIME_DIGITIZED, "2024:02:30 25:61:61"),
    ASCII (TAG_OFFSET_TIME_ORIGINAL, "+99:99"),
    RATIONALS (TAG_FOCAL_LENGTH, 1, 0),
    ASCII (TAG_LENS_MODEL, "\xff\xfe not UTF-8 (x, ASCII, y)"),
  };
  const Entry gps_entries[] = {
    ASCII (TAG_GPS_LATITUDE_REF, "X"),
    RATIONALS (TAG_GPS_LATITUDE, 91, 0, 61, 1),
    ASCII (TAG_GPS_LONGITUDE_REF, ""),
    RATIONALS (TAG_GPS_LONGITUDE, 0xFFFFFFFF, 1, 0xFFFFFFFF, 1, 0xFFFFFFFF, 1),
  };
  Tiff tiff = tiff_new (FALSE);
  guint32 ifd0 = tiff_append_ifd (&tiff, entries, G_N_ELEMENTS (entries));
  guint32 exif = tiff_append_ifd (&tiff, exif_entries, G_N_ELEMENTS (exif_entries));
  guint32 gps = tiff_append_ifd (&tiff, gps_entries, G_N_ELEMENTS (gps_entries));

  tiff_point (&tiff, ifd0, TAG_EXIF_IFD, exif);
  tiff_point (&tiff, ifd0, TAG_GPS_IFD, gps);

  return tiff_free_to_bytes (&tiff);
}

/* MPF (CIPA DC-007): the index of the images a camera stored one after
 * the other, the second one pointing past the end of the file. */
static GBytes *
make_mpf (void)
{
  const Entry entries[] = {
    UNDEFINED (TAG_MP_VERSION, "0100", 4),
    LONGS (TAG_MP_NUMBER_OF_IMAGES, 2),
    UNDEFINED (TAG_MP_ENTRY,
               "\x20\x03\x00\x00" "\x00\x00\x10\x00" "\x00\x00\x00\x00" "\x00\x00" "\x00\x00"
               "\x00\x01\x00\x02" "\x00\x01\x00\x00" "\x7F\xFF\xFF\x00" "\x00\x00" "\x00\x00",
               32),
  };
  Tiff tiff = tiff_new (TRUE);

  tiff_append_ifd (&tiff, entries, G_N_ELEMENTS (entries));

  return tiff_free_to_bytes (&tiff);
}

/* --- XMP as editors write it ---------------------------------------------- */

/* darktable's sidecar layout, as it also embeds it on export. */
static const char xmp_darktable[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"XMP Core 4.4.0-Exiv2\">\n"
  " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
  "  <rdf:Description rdf:about=\"\"\n"
  "    xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n"
  "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
  "    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n"
  "    xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"\n"
  "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
  "    xmlns:darktable=\"http://darktable.sf.net/\"\n"
  "   exif:DateTimeOriginal=\"2023:08:12 18:04:51.000\"\n"
  "   xmp:Rating=\"3\"\n"
  "   xmp:CreateDate=\"2023-08-12T18:04:51+02:00\"\n"
  "   xmpMM:DerivedFrom=\"IMG_1234.CR3\"\n"
  "   tiff:Make=\"Canon\"\n"
  "   tiff:Model=\"Canon EOS R6\"\n"
  "   exif:FNumber=\"4/1\"\n"
  "   exif:ExposureTime=\"1/320\"\n"
  "   exif:FocalLength=\"85/1\"\n"
  "   exif:GPSLatitude=\"45,49.5N\"\n"
  "   exif:GPSLongitude=\"6,51.9E\"\n"
  "   darktable:xmp_version=\"5\"\n"
  "   darktable:raw_params=\"0\"\n"
  "   darktable:auto_presets_applied=\"1\"\n"
  "   darktable:history_end=\"2\">\n"
  "   <dc:subject>\n"
  "    <rdf:Bag>\n"
  "     <rdf:li>holiday</rdf:li>\n"
  "     <rdf:li>mountains &amp; lakes</rdf:li>\n"
  "    </rdf:Bag>\n"
  "   </dc:subject>\n"
  "   <darktable:history>\n"
  "    <rdf:Seq>\n"
  "     <rdf:li darktable:num=\"0\" darktable:operation=\"exposure\" darktable:enabled=\"1\"\n"
  "      darktable:modversion=\"6\" darktable:params=\"00000000cdcccc3e\"/>\n"
  "     <rdf:li darktable:num=\"1\" darktable:operation=\"filmicrgb\" darktable:enabled=\"1\"\n"
  "      darktable:modversion=\"6\" darktable:params=\"gz12eJxjYBgFo2AUEAMAAP8AAQ==\"/>\n"
  "    </rdf:Seq>\n"
  "   </darktable:history>\n"
  "  </rdf:Description>\n"
  " </rdf:RDF>\n"
  "</x:xmpmeta>\n";

/* Lightroom's: a packet wrapper, values as elements and in lists. */
static const char xmp_lightroom[] =
  "<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
  " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
  "  <rdf:Description rdf:about=\"\" xmlns:exifEX=\"http://cipa.jp/exif/1.0/\"\n"
  "    xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n"
  "    xmlns:aux=\"http://ns.adobe.com/exif/1.0/aux/\"\n"
  "    photoshop:DateCreated=\"2019-03-02\">\n"
  "   <exifEX:LensModel>XF18-55mmF2.8-4 R LM OIS</exifEX:LensModel>\n"
  "   <exifEX:PhotographicSensitivity><rdf:Seq><rdf:li>800</rdf:li>"
  "<rdf:li>1600</rdf:li></rdf:Seq></exifEX:PhotographicSensitivity>\n"
  "   <aux:Lens><![CDATA[XF18-55mm]]></aux:Lens>\n"
  "  </rdf:Description>\n"
  "  <rdf:Description rdf:about=\"\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\">\n"
  "   <exif:FocalLengthIn35mmFilm>27</exif:FocalLengthIn35mmFilm>\n"
  "   <exif:ISOSpeedRatings><rdf:Seq><rdf:li>200</rdf:li></rdf:Seq></exif:ISOSpeedRatings>\n"
  "  </rdf:Description>\n"
  " </rdf:RDF>\n"
  "</x:xmpmeta>\n"
  "<?xpacket end=\"w\"?>";

/* A prefix declared twice, an undeclared one, and no end. */
static const char xmp_broken[] =
  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/"
  "02/22-rdf-syntax-ns#\"><rdf:Description xmlns:t=\"http://ns.adobe.com/tiff/1.0/\" "
  "t:Make=\"A\"><t:Model xmlns:t=\"http://ns.adobe.com/exif/1.0/\">B</t:Model>"
  "<u:Lens>C</u:Lens><rdf:Description><t:Model>D";

/* --- files ---------------------------------------------------------------- */

static void
append_segment (GByteArray *jpeg,
                guint8      marker,
                const char *signature,
                gsize       signature_len,
                const void *payload,
                gsize       payload_len)
{
  gsize length = 2 + signature_len + payload_len;
  const guint8 header[] = { 0xFF, marker, length >> 8, length & 0xFF };

  g_assert (length <= G_MAXUINT16);
  g_byte_array_append (jpeg, header, sizeof header);
  g_byte_array_append (jpeg, (const guint8 *) signature, signature_len);
  g_byte_array_append (jpeg, payload, payload_len);
}

#define APP1 0xE1
#define APP2 0xE2
#define EXIF_SIGNATURE "Exif\0\0"
#define XMP_SIGNATURE "http://ns.adobe.com/xap/1.0/\0"
#define MPF_SIGNATURE "MPF\0"

/* A small JPEG with an EXIF segment of the first @exif_len bytes of
 * @exif (all of it for -1), an XMP packet and an MPF index, each when
 * given. */
static void
write_jpeg (const char *dir,
            const char *name,
            GBytes     *exif,
            gssize      exif_len,
            const char *xmp,
            GBytes     *mpf)
{
  g_autoptr(GBytes) base = fuzz_seeds_make_jpeg (LB_TEST_FORMAT_PNG, 16, 16, "strip");
  g_autoptr(GByteArray) jpeg = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  gsize base_len;
  const guint8 *base_data = g_bytes_get_data (base, &base_len);

  g_byte_array_append (jpeg, base_data, 2);
  if (exif != NULL)
    append_segment (jpeg, APP1, EXIF_SIGNATURE, sizeof EXIF_SIGNATURE - 1,
                    g_bytes_get_data (exif, NULL),
                    exif_len < 0 ? g_bytes_get_size (exif) : (gsize) exif_len);
  if (xmp != NULL)
    append_segment (jpeg, APP1, XMP_SIGNATURE, sizeof XMP_SIGNATURE - 1, xmp, strlen (xmp));
  if (mpf != NULL)
    append_segment (jpeg, APP2, MPF_SIGNATURE, sizeof MPF_SIGNATURE - 1,
                    g_bytes_get_data (mpf, NULL), g_bytes_get_size (mpf));
  g_byte_array_append (jpeg, base_data + 2, base_len - 2);

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&jpeg));
  g_free (lb_test_write_bytes (dir, name, bytes));
}

/* What libvips itself writes from its EXIF fields, in every format that
 * keeps them. */
static void
write_vips_metadata_seeds (const char *dir)
{
  static const char * const fields[] = {
    "exif-ifd0-Make", "NIKON CORPORATION",
    "exif-ifd0-Model", "NIKON D750",
    "exif-ifd2-DateTimeOriginal", "2020:01:02 03:04:05",
    "exif-ifd2-ExposureTime", "4/10",
    "exif-ifd2-FNumber", "8/1",
    "exif-ifd2-FocalLength", "35/2",
    "exif-ifd3-GPSLatitudeRef", "S",
    "exif-ifd3-GPSLatitude", "33/1 51/1 3540/100",
    "exif-ifd3-GPSLongitudeRef", "E",
    "exif-ifd3-GPSLongitude", "151/1 12/1 4000/100",
    "xmp-data", xmp_lightroom,
    NULL
  };
  static const LbTestFormat formats[] = {
    LB_TEST_FORMAT_JPEG, LB_TEST_FORMAT_PNG, LB_TEST_FORMAT_WEBP, LB_TEST_FORMAT_TIFF,
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *name = g_strdup_printf ("vips-%s", lb_test_format_get_name (formats[i]));

      g_free (lb_test_write_image_with_fields (dir, name, formats[i], 24, 16, fields));
    }
}

void
fuzz_seeds_image_info (const char *dir)
{
  g_autoptr(GBytes) canon_note = make_canon_maker_note (FALSE);
  g_autoptr(GBytes) nikon_note = make_nikon_maker_note (TRUE);
  g_autoptr(GBytes) canon = make_camera_exif (FALSE, "Canon", "Canon EOS 5D Mark II",
                                                   canon_note, 6);
  g_autoptr(GBytes) nikon = make_camera_exif (TRUE, "NIKON CORPORATION", "NIKON D750",
                                                   nikon_note, 8);
  g_autoptr(GBytes) looping = make_looping_exif ();
  g_autoptr(GBytes) outside = make_outside_exif ();
  g_autoptr(GBytes) odd_values = make_odd_values_exif ();
  g_autoptr(GBytes) mpf = make_mpf ();

  write_jpeg (dir, "exif-canon", canon, -1, NULL, NULL);
  write_jpeg (dir, "exif-nikon-xmp-mpf", nikon, -1, xmp_darktable, mpf);
  write_jpeg (dir, "exif-loop", looping, -1, NULL, NULL);
  write_jpeg (dir, "exif-outside", outside, -1, NULL, NULL);
  write_jpeg (dir, "exif-odd-values", odd_values, -1, NULL, NULL);
  write_jpeg (dir, "exif-truncated-ifd0", canon, 40, NULL, NULL);
  write_jpeg (dir, "exif-truncated-values", nikon, g_bytes_get_size (nikon) * 2 / 3,
              NULL, NULL);
  write_jpeg (dir, "xmp-darktable", NULL, -1, xmp_darktable, NULL);
  write_jpeg (dir, "xmp-lightroom", NULL, -1, xmp_lightroom, NULL);
  write_jpeg (dir, "xmp-broken", odd_values, -1, xmp_broken, NULL);
  write_vips_metadata_seeds (dir);
}
