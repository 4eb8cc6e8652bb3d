/* lb-thumbnail-scheduler.c
 *
 * All bookkeeping happens on one private thread, the "I/O thread", which
 * runs its own GMainContext: the queues, the limits and the asynchronous
 * GIO reads whose callbacks land there. Other threads talk to it through
 * an inbox of messages. Blocking work runs in two pools: lookups (stat
 * and cache check) and decodes (libvips). Pools are only ever handed as
 * many jobs as they have threads, so every queued job stays in our own
 * priority queues, where its priority can still change and where a
 * cancelled job is dropped before it is read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lightbox-scheduler"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lb-background-thread.h"
#include "lb-thumbnail-read.h"
#include "lb-thumbnail-png.h"
#include "lb-thumbnail-render.h"
#include "lb-vips.h"
#include "lb-thumbnail-scheduler.h"

#define DEFAULT_MAX_READS       8
#define DEFAULT_MAX_READ_BYTES  (32 * 1024 * 1024)
/* Lookups mostly wait for stat() and small PNG reads, so more of them
 * than cores pays off on slow storage. */
#define MIN_LOOKUP_THREADS      4
/* Decoding yields the CPU to whoever else wants it, above all to the
 * thread that draws the window: on two cores, two decoders at the
 * same priority would make every frame wait. The threads libvips starts
 * from a decoder inherit it. */
#define DECODE_NICENESS         10

#define LOOKUP_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," \
  G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED

typedef enum {
  STAGE_LOOKUP_QUEUED,
  STAGE_LOOKING_UP,
  STAGE_READ_QUEUED,
  STAGE_READING,
  STAGE_DECODE_QUEUED,
  STAGE_DECODING,
} JobStage;

/* One thumbnail to make, shared by every request for the same file,
 * size and flags. Owned by the I/O thread; while a pool thread works
 * on it, only that thread touches its result fields. A job whose last
 * waiter left while it was being worked on is taken out of the table
 * (so that a new request starts afresh) and freed when the work ends. */
typedef struct {
  char             *key;
  GFile            *file;
  char             *uri;
  LbThumbnailSize   size;
  LbThumbnailFlags  flags;
  int               priority;
  guint64           sequence;
  JobStage          stage;
  GSequenceIter    *queue_iter;    /* in the queue of its stage, if queued */
  GPtrArray        *waiters;       /* Waiter */
  GCancellable     *cancellable;   /* fires once every waiter is gone */

  /* From the lookup */
  gboolean          described;     /* mtime is known: the cache may keep it */
  gint64            mtime;
  goffset           file_size;
  char             *mime_type;
  /* Read, not yet decoded */
  GBytes           *data;
  /* The outcome */
  LbThumbnail      *thumbnail;
  GError           *error;
} Job;

/* One request: a GTask waiting for a job. */
typedef struct {
  LbThumbnailScheduler *scheduler;  /* alive while the task is */
  guint64           id;
  GTask            *task;
  GCancellable     *cancellable;
  gulong            cancelled_id;
  GFile            *file;
  LbThumbnailSize   size;
  LbThumbnailFlags  flags;
  int               priority;
  Job              *job;
} Waiter;

typedef enum {
  MESSAGE_SUBMIT,
  MESSAGE_SET_PRIORITY,
  MESSAGE_CANCEL_WAITER,
  MESSAGE_LOOKUP_DONE,
  MESSAGE_DECODE_DONE,
  MESSAGE_CONFIGURE,
  MESSAGE_SHUTDOWN,
} MessageType;

typedef struct {
  MessageType       type;
  Job              *job;        /* LOOKUP_DONE, DECODE_DONE */
  Waiter           *waiter;     /* SUBMIT */
  guint64           waiter_id;  /* CANCEL_WAITER */
  char             *uri;        /* SET_PRIORITY */
  LbThumbnailSize   size;
  LbThumbnailFlags  flags;
  int               priority;
} Message;

struct _LbThumbnailScheduler
{
  GObject           parent_instance;

  LbThumbnailCache *cache;
  guint             n_workers;
  guint             n_lookup_threads;

  /* Settings; written under the inbox lock, read by the I/O thread. */
  guint             max_reads;
  gsize             max_read_bytes;
  goffset           max_file_size;
  guint64           max_pixels;
  gboolean          serial;

  /* The inbox, under its lock */
  GMutex            lock;
  GQueue            inbox;
  gboolean          inbox_scheduled;
  guint64           next_waiter_id;

  /* The I/O thread */
  GThread          *io_thread;
  GMainContext     *io_context;
  GMainLoop        *io_loop;
  GThreadPool      *lookup_pool;
  GThreadPool      *decode_pool;
  GMainContext     *owner_context;

  /* Everything below belongs to the I/O thread. */
  GHashTable       *jobs;          /* key → Job, not owning */
  GHashTable       *waiters;       /* id → Waiter */
  GSequence        *lookup_queue;
  GSequence        *read_queue;
  GSequence        *decode_queue;
  guint64           next_sequence;
  guint             n_looking_up;
  guint             n_reading;
  guint             n_decoding;
  gsize             bytes_ahead;   /* being read, or read and waiting for a decoder */
  guint             n_decoded_since_trim;
  gboolean          shutting_down;
  /* Copies of the settings, taken when the inbox is drained */
  guint             io_max_reads;
  gsize             io_max_read_bytes;
  gboolean          io_serial;

  /* Set once, from a decode thread */
  GError           *cache_error;
};

G_DEFINE_FINAL_TYPE (LbThumbnailScheduler, lb_thumbnail_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CACHE,
  PROP_N_WORKERS,
  PROP_MAX_READS,
  PROP_MAX_READ_BYTES,
  PROP_MAX_FILE_SIZE,
  PROP_MAX_PIXELS,
  PROP_SERIAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CACHE_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void dispatch (LbThumbnailScheduler *self);

/* --- jobs ---------------------------------------------------------------- */

static char *
make_key (const char       *uri,
          LbThumbnailSize   size,
          LbThumbnailFlags  flags)
{
  return g_strdup_printf ("%u:%u:%s", size, flags, uri);
}

static void
job_free (Job *job)
{
  g_assert (job->waiters->len == 0);
  g_assert (job->queue_iter == NULL);

  g_free (job->key);
  g_object_unref (job->file);
  g_free (job->uri);
  g_ptr_array_unref (job->waiters);
  g_object_unref (job->cancellable);
  g_free (job->mime_type);
  g_clear_pointer (&job->data, g_bytes_unref);
  g_clear_object (&job->thumbnail);
  g_clear_error (&job->error);
  g_free (job);
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Job *job_a = a;
  const Job *job_b = b;

  if (job_a->priority != job_b->priority)
    return job_a->priority < job_b->priority ? -1 : 1;

  return job_a->sequence < job_b->sequence ? -1 : job_a->sequence > job_b->sequence;
}

static GSequence *
get_queue (LbThumbnailScheduler *self,
           JobStage              stage)
{
  switch (stage)
    {
    case STAGE_LOOKUP_QUEUED:
      return self->lookup_queue;
    case STAGE_READ_QUEUED:
      return self->read_queue;
    case STAGE_DECODE_QUEUED:
      return self->decode_queue;
    case STAGE_LOOKING_UP:
    case STAGE_READING:
    case STAGE_DECODING:
    default:
      return NULL;
    }
}

static void
job_enqueue (LbThumbnailScheduler *self,
             Job                  *job,
             JobStage              stage)
{
  job->stage = stage;
  job->queue_iter = g_sequence_insert_sorted (get_queue (self, stage), job,
                                              compare_jobs, NULL);
}

static void
job_dequeue (Job *job)
{
  if (job->queue_iter != NULL)
    {
      g_sequence_remove (job->queue_iter);
      job->queue_iter = NULL;
    }
}

static Job *
queue_pop (GSequence *queue)
{
  GSequenceIter *iter = g_sequence_get_begin_iter (queue);
  Job *job;

  if (g_sequence_iter_is_end (iter))
    return NULL;

  job = g_sequence_get (iter);
  job_dequeue (job);

  return job;
}

static void
waiter_free (Waiter *waiter)
{
  g_clear_object (&waiter->task);
  g_clear_object (&waiter->cancellable);
  g_clear_object (&waiter->file);
  g_free (waiter);
}

typedef struct {
  GTask       *task;
  LbThumbnail *thumbnail;
  GError      *error;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_object_unref (delivery->task);
  g_free (delivery);
}

static gboolean
deliver (gpointer user_data)
{
  Delivery *delivery = user_data;

  if (delivery->thumbnail != NULL)
    g_task_return_pointer (delivery->task, delivery->thumbnail, g_object_unref);
  else
    g_task_return_error (delivery->task, delivery->error);

  return G_SOURCE_REMOVE;
}

/* Hands @job's outcome to one waiter and forgets the waiter. */
static void
waiter_complete (LbThumbnailScheduler *self,
                 Waiter               *waiter,
                 LbThumbnail          *thumbnail,
                 const GError         *error)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  /* Blocks until a running handler is done; it only posts a message. */
  if (waiter->cancelled_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
  waiter->cancelled_id = 0;

  delivery->task = g_steal_pointer (&waiter->task);
  if (thumbnail != NULL)
    delivery->thumbnail = g_object_ref (thumbnail);
  else if (error != NULL)
    delivery->error = g_error_copy (error);
  else
    delivery->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("Operation was cancelled"));

  /* Returned on the caller's context, so that the task, and with it the
   * scheduler, is never released last on the I/O thread. */
  g_main_context_invoke_full (g_task_get_context (delivery->task),
                              g_task_get_priority (delivery->task),
                              deliver, delivery, (GDestroyNotify) delivery_free);

  g_hash_table_remove (self->waiters, &waiter->id);
}

/* Delivers the outcome stored in @job to all its waiters and drops it. */
static void
job_finish (LbThumbnailScheduler *self,
            Job                  *job)
{
  job_dequeue (job);

  for (guint i = 0; i < job->waiters->len; i++)
    waiter_complete (self, g_ptr_array_index (job->waiters, i),
                     job->thumbnail, job->error);
  g_ptr_array_set_size (job->waiters, 0);

  if (job->data != NULL && job->stage != STAGE_DECODING)
    self->bytes_ahead -= g_bytes_get_size (job->data);

  if (g_hash_table_lookup (self->jobs, job->key) == job)
    g_hash_table_remove (self->jobs, job->key);
  job_free (job);
}

static void
job_finish_with_error (LbThumbnailScheduler *self,
                       Job                  *job,
                       GError               *error)
{
  g_clear_error (&job->error);
  job->error = error;
  job_finish (self, job);
}

/* --- the inbox ----------------------------------------------------------- */

static gboolean drain_inbox (gpointer user_data);

static void
post (LbThumbnailScheduler *self,
      Message              *message)
{
  gboolean schedule;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->inbox, message);
  schedule = !self->inbox_scheduled;
  self->inbox_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, drain_inbox, self, NULL);
      g_source_set_static_name (source, "[lightbox] scheduler inbox");
      g_source_attach (source, self->io_context);
    }
}

static Message *
message_new (MessageType type)
{
  Message *message = g_new0 (Message, 1);

  message->type = type;

  return message;
}

static void
post_job (LbThumbnailScheduler *self,
          MessageType           type,
          Job                  *job)
{
  Message *message = message_new (type);

  message->job = job;
  post (self, message);
}

static void
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  LbThumbnailScheduler *self = waiter->scheduler;
  Message *message = message_new (MESSAGE_CANCEL_WAITER);

  /* Runs in whatever thread cancels; the waiter stays alive until this
   * returns, since disconnecting waits for running handlers. */

  /* By id: the waiter may be completed before the message is read. */
  message->waiter_id = waiter->id;
  post (self, message);
}

static void
handle_submit (LbThumbnailScheduler *self,
               Waiter               *waiter)
{
  g_autofree char *uri = lb_thumbnail_cache_get_uri (waiter->file);
  g_autofree char *key = make_key (uri, waiter->size, waiter->flags);
  int priority = waiter->priority;
  Job *job;

  g_hash_table_insert (self->waiters, &waiter->id, waiter);

  if (self->shutting_down)
    {
      waiter_complete (self, waiter, NULL, NULL);
      return;
    }

  job = g_hash_table_lookup (self->jobs, key);
  if (job == NULL)
    {
      job = g_new0 (Job, 1);
      job->key = g_steal_pointer (&key);
      job->file = g_object_ref (waiter->file);
      job->uri = g_steal_pointer (&uri);
      job->size = waiter->size;
      job->flags = waiter->flags;
      job->priority = priority;
      job->sequence = self->next_sequence++;
      job->waiters = g_ptr_array_new ();
      job->cancellable = g_cancellable_new ();
      job->file_size = -1;
      g_hash_table_insert (self->jobs, job->key, job);
      job_enqueue (self, job, STAGE_LOOKUP_QUEUED);
    }
  else if (priority < job->priority)
    {
      /* The more urgent request wins. */
      job->priority = priority;
      if (job->queue_iter != NULL)
        g_sequence_sort_changed (job->queue_iter, compare_jobs, NULL);
    }

  waiter->job = job;
  g_ptr_array_add (job->waiters, waiter);

  if (waiter->cancellable != NULL)
    waiter->cancelled_id = g_cancellable_connect (waiter->cancellable,
                                                  G_CALLBACK (on_waiter_cancelled),
                                                  waiter, NULL);
}

static void
handle_set_priority (LbThumbnailScheduler *self,
                     const char           *uri,
                     LbThumbnailSize       size,
                     int                   priority)
{
  /* Every flag combination shares the file and the size. */
  static const LbThumbnailFlags all_flags[] = {
    LB_THUMBNAIL_FLAGS_NONE,
    LB_THUMBNAIL_FLAGS_FORCE,
    LB_THUMBNAIL_FLAGS_NO_PIXELS,
    LB_THUMBNAIL_FLAGS_FORCE | LB_THUMBNAIL_FLAGS_NO_PIXELS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (all_flags); i++)
    {
      g_autofree char *key = make_key (uri, size, all_flags[i]);
      Job *job = g_hash_table_lookup (self->jobs, key);

      if (job == NULL || job->priority == priority)
        continue;

      job->priority = priority;
      if (job->queue_iter != NULL)
        g_sequence_sort_changed (job->queue_iter, compare_jobs, NULL);
    }
}

static void
handle_cancel_waiter (LbThumbnailScheduler *self,
                      guint64               id)
{
  Waiter *waiter = g_hash_table_lookup (self->waiters, &id);
  Job *job;

  if (waiter == NULL)
    return;

  job = waiter->job;
  g_ptr_array_remove_fast (job->waiters, waiter);
  waiter_complete (self, waiter, NULL, NULL);

  if (job->waiters->len > 0)
    return;

  /* Nobody wants it any more: drop it unread, or stop its read or
   * decode and let a new request start afresh. */
  g_cancellable_cancel (job->cancellable);
  if (job->queue_iter != NULL)
    job_finish (self, job);
  else
    g_hash_table_remove (self->jobs, job->key);
}

/* --- lookup: stat, checks and the cache, on a lookup thread -------------- */

/* Failures of the file itself, to be remembered until it changes; not
 * those of the moment (cancellation, a vanished file, the network). */
static gboolean
is_recorded_failure (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == LB_THUMBNAIL_ERROR)
    return error->code != LB_THUMBNAIL_ERROR_IN_CACHE &&
           error->code != LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
}

static void
record_failure (LbThumbnailScheduler *self,
                Job                  *job)
{
  g_autoptr(GError) error = NULL;
  LbThumbnailMeta meta = {
    .uri = job->uri,
    .mtime = job->mtime,
    .size = job->file_size,
    .mime_type = job->mime_type,
  };

  /* A failure is recorded against the file's mtime. */
  if (!job->described || !is_recorded_failure (job->error))
    return;

  if (!lb_thumbnail_cache_save_failure (self->cache, &meta, &error))
    g_debug ("Could not record the failure of %s: %s", job->uri, error->message);
}

/* Why @file, which GLib could not describe, cannot be reached. */
static void
set_error_unreachable (GFile   *file,
                       GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  GStatBuf st;
  int saved_errno = ENOENT;

  if (path != NULL && g_stat (path, &st) != 0)
    saved_errno = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("The file cannot be reached: %s"), g_strerror (saved_errno));
}

static gboolean
lookup_file (LbThumbnailScheduler *self,
             Job                  *job,
             goffset               max_file_size,
             GError              **error)
{
  g_autoptr(GFileInfo) info = NULL;
  const char *content_type;
  gboolean force = (job->flags & LB_THUMBNAIL_FLAGS_FORCE) != 0;
  gboolean with_pixels = (job->flags & LB_THUMBNAIL_FLAGS_NO_PIXELS) == 0;

  if (lb_thumbnail_cache_contains (self->cache, job->file))
    {
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_IN_CACHE,
                           _("Files of the thumbnail cache are not thumbnailed"));
      return FALSE;
    }

  /* Follows links: a link to an image shows the image. */
  info = g_file_query_info (job->file, LOOKUP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE,
                            job->cancellable, error);
  if (info == NULL)
    return FALSE;

  /* GLib answers for a dangling link or a looping one with the link
   * itself, and for a local file it cannot reach (a folder without x)
   * with no attributes at all: there is no file to describe, so nothing
   * to record; if it comes into reach, it is looked at afresh. */
  if (!g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_TYPE) ||
      (!g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) &&
       g_file_is_native (job->file)) ||
      g_file_info_get_file_type (info) == G_FILE_TYPE_SYMBOLIC_LINK)
    {
      set_error_unreachable (job->file, error);
      return FALSE;
    }

  /* Some locations have no modification time (resource://, some GVfs
   * backends): a thumbnail or a failure of theirs could never be checked
   * for validity (Thumb::MTime), so they are made every time and none is
   * kept. */
  job->described = g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  job->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  job->file_size = g_file_info_get_size (info);
  content_type = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_STANDARD_FAST_CONTENT_TYPE);
  if (content_type != NULL)
    job->mime_type = g_content_type_get_mime_type (content_type);

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_NOT_REGULAR,
                           _("Not a regular file"));
      return FALSE;
    }

  if (job->file_size > max_file_size)
    {
      g_autofree char *limit = g_format_size (max_file_size);

      g_set_error (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_TOO_LARGE,
                   _("The file is larger than %s"), limit);
      return FALSE;
    }

  if (force || !job->described)
    return TRUE;

  /* Without pixels, a valid header is all the caller needs. */
  job->thumbnail = lb_thumbnail_cache_load (self->cache, job->file, job->uri, job->mtime, job->size,
                                            with_pixels, NULL);
  if (job->thumbnail != NULL)
    return TRUE;

  if (lb_thumbnail_cache_has_failed (self->cache, job->uri, job->mtime))
    {
      g_set_error_literal (error, LB_THUMBNAIL_ERROR, LB_THUMBNAIL_ERROR_PREVIOUSLY_FAILED,
                           _("Thumbnailing this file failed before"));
      return FALSE;
    }

  return TRUE;
}

static void
lookup_thread (gpointer data,
               gpointer user_data)
{
  Job *job = data;
  LbThumbnailScheduler *self = user_data;
  goffset max_file_size;

  lb_background_thread_enter (0);
  g_mutex_lock (&self->lock);
  max_file_size = self->max_file_size;
  g_mutex_unlock (&self->lock);

  if (!lookup_file (self, job, max_file_size, &job->error))
    record_failure (self, job);

  post_job (self, MESSAGE_LOOKUP_DONE, job);
}

static void
handle_lookup_done (LbThumbnailScheduler *self,
                    Job                  *job)
{
  self->n_looking_up--;

  if (job->thumbnail != NULL || job->error != NULL)
    job_finish (self, job);
  else if (g_cancellable_is_cancelled (job->cancellable))
    job_finish (self, job);
  else
    job_enqueue (self, job, STAGE_READ_QUEUED);
}

/* --- reading: asynchronous, its completions on the I/O thread ---------- */

typedef struct {
  LbThumbnailScheduler *self;
  Job                  *job;
  gsize                 reserved;  /* counted in bytes_ahead */
} ReadOperation;

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReadOperation *op = user_data;
  LbThumbnailScheduler *self = op->self;
  Job *job = op->job;
  GError *error = NULL;
  GBytes *data = lb_thumbnail_read_finish (G_FILE (object), result, &error);

  self->n_reading--;
  self->bytes_ahead -= op->reserved;
  g_free (op);

  if (is_recorded_failure (error))
    {
      /* The decode pool records it: no blocking I/O on this thread. */
      job->error = error;
      job_enqueue (self, job, STAGE_DECODE_QUEUED);
    }
  else if (error != NULL)
    {
      job_finish_with_error (self, job, error);
    }
  else
    {
      /* Counted until a decoder takes it. */
      job->data = data;
      self->bytes_ahead += g_bytes_get_size (data);
      job_enqueue (self, job, STAGE_DECODE_QUEUED);
    }

  dispatch (self);
}

static void
start_read (LbThumbnailScheduler *self,
            Job                  *job)
{
  ReadOperation *op = g_new0 (ReadOperation, 1);

  job->stage = STAGE_READING;
  self->n_reading++;

  op->self = self;
  op->job = job;
  op->reserved = job->file_size;
  self->bytes_ahead += op->reserved;

  lb_thumbnail_read_async (job->file, job->file_size, job->priority, job->cancellable,
                           on_read, op);
}

/* --- decoding, on a decode thread --------------------------------------- */

static gboolean
emit_cache_error (gpointer user_data)
{
  LbThumbnailScheduler *self = user_data;

  g_signal_emit (self, signals[SIGNAL_CACHE_ERROR], 0, self->cache_error);

  return G_SOURCE_REMOVE;
}

static void
report_cache_error (LbThumbnailScheduler *self,
                    const GError         *error)
{
  gboolean first;

  g_mutex_lock (&self->lock);
  first = self->cache_error == NULL;
  if (first)
    self->cache_error = g_error_copy (error);
  g_mutex_unlock (&self->lock);

  /* Said once, on the context that made the scheduler. */
  if (first)
    g_main_context_invoke_full (self->owner_context, G_PRIORITY_DEFAULT,
                                emit_cache_error, g_object_ref (self),
                                g_object_unref);
}

static void
decode_thread (gpointer data,
               gpointer user_data)
{
  Job *job = data;
  LbThumbnailScheduler *self = user_data;
  g_autoptr(VipsImage) image = NULL;
  g_autoptr(GError) save_error = NULL;
  gboolean with_pixels = (job->flags & LB_THUMBNAIL_FLAGS_NO_PIXELS) == 0;
  guint64 max_pixels;
  LbThumbnailMeta meta = {
    .uri = job->uri,
    .mtime = job->mtime,
    .size = job->file_size,
    .mime_type = job->mime_type,
  };

  lb_background_thread_enter (DECODE_NICENESS);
  lb_vips_init (NULL);

  g_mutex_lock (&self->lock);
  max_pixels = self->max_pixels;
  g_mutex_unlock (&self->lock);

  /* Reading failed; only the failure is left to record. */
  if (job->error != NULL)
    {
      record_failure (self, job);
      post_job (self, MESSAGE_DECODE_DONE, job);
      return;
    }

  image = lb_thumbnail_render (job->data, lb_thumbnail_size_get_pixels (job->size),
                               max_pixels, &meta.image_width, &meta.image_height,
                               job->cancellable, &job->error);
  if (image == NULL)
    {
      record_failure (self, job);
      post_job (self, MESSAGE_DECODE_DONE, job);
      return;
    }

  if (job->described &&
      !lb_thumbnail_cache_save (self->cache, image, &meta, job->size, &save_error) &&
      !g_cancellable_is_cancelled (job->cancellable))
    {
      g_debug ("Could not save the thumbnail of %s: %s", job->uri, save_error->message);
      report_cache_error (self, save_error);
    }

  job->thumbnail = lb_thumbnail_new_from_image (job->file, job->size,
                                                LB_THUMBNAIL_ORIGIN_GENERATED,
                                                image, with_pixels, &job->error);
  post_job (self, MESSAGE_DECODE_DONE, job);
}

static void
handle_decode_done (LbThumbnailScheduler *self,
                    Job                  *job)
{
  self->n_decoding--;
  self->n_decoded_since_trim++;
  job_finish (self, job);
}

/* --- dispatching --------------------------------------------------------- */

/* Drops jobs nobody waits for any more from the front of @queue. */
static Job *
pop_wanted (LbThumbnailScheduler *self,
            GSequence            *queue)
{
  Job *job;

  while ((job = queue_pop (queue)) != NULL)
    {
      if (!g_cancellable_is_cancelled (job->cancellable))
        return job;
      job_finish (self, job);
    }

  return NULL;
}

static gsize
peek_read_size (GSequence *queue)
{
  GSequenceIter *iter = g_sequence_get_begin_iter (queue);

  return g_sequence_iter_is_end (iter) ? 0 : (gsize) ((Job *) g_sequence_get (iter))->file_size;
}

/* A file being decoded no longer counts against the read-ahead budget:
 * the decoders need it in memory anyway, and counting it would keep the
 * next file from being read while they work, so that a decoder would
 * wait for it when done. */
static void
start_decode (LbThumbnailScheduler *self,
              Job                  *job)
{
  job->stage = STAGE_DECODING;
  self->n_decoding++;
  if (job->data != NULL)
    self->bytes_ahead -= g_bytes_get_size (job->data);
  g_thread_pool_push (self->decode_pool, job, NULL);
}

static void
dispatch_serial (LbThumbnailScheduler *self)
{
  Job *job;

  /* One file at a time, read then decoded: the baseline. */
  if (self->n_looking_up + self->n_reading + self->n_decoding > 0)
    return;

  if ((job = pop_wanted (self, self->decode_queue)) != NULL)
    start_decode (self, job);
  else if ((job = pop_wanted (self, self->read_queue)) != NULL)
    {
      start_read (self, job);
    }
  else if ((job = pop_wanted (self, self->lookup_queue)) != NULL)
    {
      job->stage = STAGE_LOOKING_UP;
      self->n_looking_up++;
      g_thread_pool_push (self->lookup_pool, job, NULL);
    }
}

static void
dispatch (LbThumbnailScheduler *self)
{
  Job *job;

  if (self->io_serial)
    {
      dispatch_serial (self);
      return;
    }

  while (self->n_decoding < self->n_workers &&
         (job = pop_wanted (self, self->decode_queue)) != NULL)
    start_decode (self, job);

  /* Reads run ahead of the decoders, within the byte budget; a file
   * bigger than the whole budget is read when nothing else is ahead. */
  while (self->n_reading < self->io_max_reads &&
         g_sequence_get_length (self->read_queue) > 0 &&
         (self->bytes_ahead == 0 ||
          self->bytes_ahead + peek_read_size (self->read_queue) <= self->io_max_read_bytes) &&
         (job = pop_wanted (self, self->read_queue)) != NULL)
    start_read (self, job);

  while (self->n_looking_up < self->n_lookup_threads &&
         (job = pop_wanted (self, self->lookup_queue)) != NULL)
    {
      job->stage = STAGE_LOOKING_UP;
      self->n_looking_up++;
      g_thread_pool_push (self->lookup_pool, job, NULL);
    }
}

static gboolean
is_idle (LbThumbnailScheduler *self)
{
  return self->n_looking_up + self->n_reading + self->n_decoding == 0;
}

static gboolean
is_drained (LbThumbnailScheduler *self)
{
  return g_sequence_get_length (self->lookup_queue) == 0 &&
         g_sequence_get_length (self->read_queue) == 0 &&
         g_sequence_get_length (self->decode_queue) == 0;
}

/* Decodes leave glibc's heap full of free memory it keeps for the next
 * ones (see lb_vips_init()): in a long session the resident size would
 * creep up although nothing leaks (see the Soak section of
 * docs/benchmarks.md). Once a burst of work is over, it goes back to the
 * system. */
static void
give_back_memory (LbThumbnailScheduler *self)
{
  self->n_decoded_since_trim = 0;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

static void
handle_shutdown (LbThumbnailScheduler *self)
{
  GHashTableIter iter;
  Job *job;

  self->shutting_down = TRUE;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    g_cancellable_cancel (job->cancellable);

  while ((job = queue_pop (self->lookup_queue)) != NULL ||
         (job = queue_pop (self->read_queue)) != NULL ||
         (job = queue_pop (self->decode_queue)) != NULL)
    job_finish (self, job);
}

static gboolean
drain_inbox (gpointer user_data)
{
  LbThumbnailScheduler *self = user_data;
  GQueue messages = G_QUEUE_INIT;
  Message *message;

  g_mutex_lock (&self->lock);
  messages = self->inbox;
  g_queue_init (&self->inbox);
  self->inbox_scheduled = FALSE;
  self->io_max_reads = self->max_reads;
  self->io_max_read_bytes = self->max_read_bytes;
  self->io_serial = self->serial;
  g_mutex_unlock (&self->lock);

  while ((message = g_queue_pop_head (&messages)) != NULL)
    {
      switch (message->type)
        {
        case MESSAGE_SUBMIT:
          handle_submit (self, message->waiter);
          break;
        case MESSAGE_SET_PRIORITY:
          handle_set_priority (self, message->uri, message->size, message->priority);
          break;
        case MESSAGE_CANCEL_WAITER:
          handle_cancel_waiter (self, message->waiter_id);
          break;
        case MESSAGE_LOOKUP_DONE:
          handle_lookup_done (self, message->job);
          break;
        case MESSAGE_DECODE_DONE:
          handle_decode_done (self, message->job);
          break;
        case MESSAGE_CONFIGURE:
          break;
        case MESSAGE_SHUTDOWN:
          handle_shutdown (self);
          break;
        default:
          g_assert_not_reached ();
        }

      g_free (message->uri);
      g_free (message);
    }

  dispatch (self);

  if (self->shutting_down && is_idle (self))
    g_main_loop_quit (self->io_loop);
  else if (self->n_decoded_since_trim > 0 && is_idle (self) && is_drained (self))
    give_back_memory (self);

  return G_SOURCE_REMOVE;
}

static gpointer
io_thread_main (gpointer user_data)
{
  LbThumbnailScheduler *self = user_data;

  /* Woken by every message the window sends: see lb-background-thread.h. */
  lb_background_thread_enter (0);
  g_main_context_push_thread_default (self->io_context);
  g_main_loop_run (self->io_loop);
  g_main_context_pop_thread_default (self->io_context);

  return NULL;
}

/* --- the object ---------------------------------------------------------- */

static void
lb_thumbnail_scheduler_constructed (GObject *object)
{
  LbThumbnailScheduler *self = LB_THUMBNAIL_SCHEDULER (object);

  G_OBJECT_CLASS (lb_thumbnail_scheduler_parent_class)->constructed (object);

  if (self->cache == NULL)
    self->cache = lb_thumbnail_cache_new (NULL);
  if (self->n_workers == 0)
    self->n_workers = g_get_num_processors ();
  self->n_lookup_threads = MAX (MIN_LOOKUP_THREADS, self->n_workers);

  self->owner_context = g_main_context_ref_thread_default ();
  self->io_context = g_main_context_new ();
  self->io_loop = g_main_loop_new (self->io_context, FALSE);

  /* Exclusive threads, so that a slow lookup never waits for a decode. */
  self->lookup_pool = g_thread_pool_new (lookup_thread, self, self->n_lookup_threads, TRUE, NULL);
  self->decode_pool = g_thread_pool_new (decode_thread, self, self->n_workers, TRUE, NULL);
  self->io_thread = g_thread_new ("lightbox-io", io_thread_main, self);
}

static void
thread_pool_free_and_wait (GThreadPool *pool)
{
  g_thread_pool_free (pool, FALSE, TRUE);
}

/* In dispose rather than finalize: a decode thread that is finishing may
 * still take a reference to report a cache error. */
static void
lb_thumbnail_scheduler_dispose (GObject *object)
{
  LbThumbnailScheduler *self = LB_THUMBNAIL_SCHEDULER (object);

  if (self->io_thread != NULL)
    {
      /* Every request holds a reference, so nothing waits any more; jobs
       * that were cancelled may still be reading or decoding. */
      post (self, message_new (MESSAGE_SHUTDOWN));
      g_clear_pointer (&self->io_thread, g_thread_join);
      g_clear_pointer (&self->lookup_pool, thread_pool_free_and_wait);
      g_clear_pointer (&self->decode_pool, thread_pool_free_and_wait);
    }

  G_OBJECT_CLASS (lb_thumbnail_scheduler_parent_class)->dispose (object);
}

static void
lb_thumbnail_scheduler_finalize (GObject *object)
{
  LbThumbnailScheduler *self = LB_THUMBNAIL_SCHEDULER (object);

  g_clear_pointer (&self->io_loop, g_main_loop_unref);
  g_clear_pointer (&self->io_context, g_main_context_unref);
  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_pointer (&self->lookup_queue, g_sequence_free);
  g_clear_pointer (&self->read_queue, g_sequence_free);
  g_clear_pointer (&self->decode_queue, g_sequence_free);
  g_clear_error (&self->cache_error);
  g_clear_object (&self->cache);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lb_thumbnail_scheduler_parent_class)->finalize (object);
}

static void
lb_thumbnail_scheduler_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LbThumbnailScheduler *self = LB_THUMBNAIL_SCHEDULER (object);

  g_mutex_lock (&self->lock);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;
    case PROP_N_WORKERS:
      g_value_set_uint (value, self->n_workers);
      break;
    case PROP_MAX_READS:
      g_value_set_uint (value, self->max_reads);
      break;
    case PROP_MAX_READ_BYTES:
      g_value_set_uint64 (value, self->max_read_bytes);
      break;
    case PROP_MAX_FILE_SIZE:
      g_value_set_int64 (value, self->max_file_size);
      break;
    case PROP_MAX_PIXELS:
      g_value_set_uint64 (value, self->max_pixels);
      break;
    case PROP_SERIAL:
      g_value_set_boolean (value, self->serial);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }

  g_mutex_unlock (&self->lock);
}

static void
lb_thumbnail_scheduler_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  LbThumbnailScheduler *self = LB_THUMBNAIL_SCHEDULER (object);

  g_mutex_lock (&self->lock);

  switch (prop_id)
    {
    case PROP_CACHE:
      self->cache = g_value_dup_object (value);
      break;
    case PROP_N_WORKERS:
      self->n_workers = g_value_get_uint (value);
      break;
    case PROP_MAX_READS:
      self->max_reads = g_value_get_uint (value);
      break;
    case PROP_MAX_READ_BYTES:
      self->max_read_bytes = g_value_get_uint64 (value);
      break;
    case PROP_MAX_FILE_SIZE:
      self->max_file_size = g_value_get_int64 (value);
      break;
    case PROP_MAX_PIXELS:
      self->max_pixels = g_value_get_uint64 (value);
      break;
    case PROP_SERIAL:
      self->serial = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }

  g_mutex_unlock (&self->lock);

  /* Wake the I/O thread so that the new limits take effect at once. */
  if (self->io_thread != NULL)
    post (self, message_new (MESSAGE_CONFIGURE));
}

static void
lb_thumbnail_scheduler_class_init (LbThumbnailSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lb_thumbnail_scheduler_constructed;
  object_class->dispose = lb_thumbnail_scheduler_dispose;
  object_class->finalize = lb_thumbnail_scheduler_finalize;
  object_class->get_property = lb_thumbnail_scheduler_get_property;
  object_class->set_property = lb_thumbnail_scheduler_set_property;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, LB_TYPE_THUMBNAIL_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_WORKERS] =
    g_param_spec_uint ("n-workers", NULL, NULL, 0, 256, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_READS] =
    g_param_spec_uint ("max-reads", NULL, NULL, 1, 1024, DEFAULT_MAX_READS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_READ_BYTES] =
    g_param_spec_uint64 ("max-read-bytes", NULL, NULL, 1, G_MAXUINT64, DEFAULT_MAX_READ_BYTES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_FILE_SIZE] =
    g_param_spec_int64 ("max-file-size", NULL, NULL, 0, G_MAXINT64,
                        LB_THUMBNAIL_DEFAULT_MAX_FILE_SIZE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_PIXELS] =
    g_param_spec_uint64 ("max-pixels", NULL, NULL, 1, G_MAXUINT64,
                         LB_THUMBNAIL_DEFAULT_MAX_PIXELS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERIAL] =
    g_param_spec_boolean ("serial", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LbThumbnailScheduler::cache-error:
   * @error: why the first thumbnail could not be written
   *
   * Emitted once, on the context that created the scheduler, when the
   * cache cannot be written (read-only, missing, full). Thumbnails are
   * still made and delivered, only not kept.
   */
  signals[SIGNAL_CACHE_ERROR] =
    g_signal_new ("cache-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
lb_thumbnail_scheduler_init (LbThumbnailScheduler *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->inbox);
  self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  self->waiters = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) waiter_free);
  self->lookup_queue = g_sequence_new (NULL);
  self->read_queue = g_sequence_new (NULL);
  self->decode_queue = g_sequence_new (NULL);
}

LbThumbnailScheduler *
lb_thumbnail_scheduler_new (LbThumbnailCache *cache,
                            guint             n_workers)
{
  g_return_val_if_fail (cache == NULL || LB_IS_THUMBNAIL_CACHE (cache), NULL);

  return g_object_new (LB_TYPE_THUMBNAIL_SCHEDULER,
                       "cache", cache,
                       "n-workers", n_workers,
                       NULL);
}

LbThumbnailCache *
lb_thumbnail_scheduler_get_cache (LbThumbnailScheduler *self)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self), NULL);

  return self->cache;
}

void
lb_thumbnail_scheduler_load_async (LbThumbnailScheduler *self,
                                   GFile                *file,
                                   LbThumbnailSize       size,
                                   LbThumbnailFlags      flags,
                                   int                   priority,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  Waiter *waiter;
  Message *message;

  g_return_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (size < LB_THUMBNAIL_N_SIZES);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  waiter = g_new0 (Waiter, 1);
  waiter->scheduler = self;
  waiter->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter->task, lb_thumbnail_scheduler_load_async);
  g_task_set_name (waiter->task, "[lightbox] load thumbnail");
  g_task_set_priority (waiter->task, priority);
  waiter->file = g_object_ref (file);
  waiter->size = size;
  waiter->flags = flags;
  waiter->priority = priority;
  if (cancellable != NULL)
    waiter->cancellable = g_object_ref (cancellable);

  g_mutex_lock (&self->lock);
  waiter->id = self->next_waiter_id++;
  g_mutex_unlock (&self->lock);

  message = message_new (MESSAGE_SUBMIT);
  message->waiter = waiter;
  post (self, message);
}

LbThumbnail *
lb_thumbnail_scheduler_load_finish (LbThumbnailScheduler  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lb_thumbnail_scheduler_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lb_thumbnail_scheduler_set_priority (LbThumbnailScheduler *self,
                                     GFile                *file,
                                     LbThumbnailSize       size,
                                     int                   priority)
{
  Message *message;

  g_return_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (size < LB_THUMBNAIL_N_SIZES);

  message = message_new (MESSAGE_SET_PRIORITY);
  message->uri = lb_thumbnail_cache_get_uri (file);
  message->size = size;
  message->priority = priority;
  post (self, message);
}

void
lb_thumbnail_scheduler_set_serial (LbThumbnailScheduler *self,
                                   gboolean              serial)
{
  g_return_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self));

  g_object_set (self, "serial", serial, NULL);
}

void
lb_thumbnail_scheduler_set_max_file_size (LbThumbnailScheduler *self,
                                          goffset               max_file_size)
{
  g_return_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self));

  g_object_set (self, "max-file-size", (gint64) max_file_size, NULL);
}

void
lb_thumbnail_scheduler_set_max_pixels (LbThumbnailScheduler *self,
                                       guint64               max_pixels)
{
  g_return_if_fail (LB_IS_THUMBNAIL_SCHEDULER (self));

  g_object_set (self, "max-pixels", max_pixels, NULL);
}
