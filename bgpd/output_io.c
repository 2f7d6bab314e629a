/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The I/O thread of an output: everything that may block on a disk (or a
 * pipe nobody reads) happens here, never in the event loop. File mode
 * writes batches of whole lines to a file or standard output, reopening
 * on request; spool mode appends to the output's spool and reads ahead
 * from it. The mutex is never held across a system call that may block,
 * so the event loop only ever waits for a memcpy. See output_int.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "log.h"
#include "output_int.h"
#include "spool.h"

void
output_buf_add(struct output_buf *b, const void *p, size_t len)
{
	size_t cap;
	char *n;

	if (len == 0)
		return;
	if (b->off + b->len + len > b->cap && b->off > 0) {
		memmove(b->buf, b->buf + b->off, b->len);
		b->off = 0;
	}
	if (b->len + len > b->cap) {
		for (cap = b->cap ? b->cap : 4096; cap < b->len + len; cap *= 2)
			;
		if ((n = realloc(b->buf, cap)) == NULL)
			fatalx("%s: out of memory", __func__);
		b->buf = n;
		b->cap = cap;
	}
	memcpy(b->buf + b->off + b->len, p, len);
	b->len += len;
}

void
output_buf_drop(struct output_buf *b, size_t len)
{
	if (len > b->len)
		len = b->len;
	b->off += len;
	b->len -= len;
	if (b->len == 0)
		b->off = 0;
}

void
output_buf_swap(struct output_buf *a, struct output_buf *b)
{
	struct output_buf t = *a;

	*a = *b;
	*b = t;
}

void
output_buf_free(struct output_buf *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

/* Wake the event loop (mtx held); one byte in the pipe is enough. */
static void
output_io_notify(struct output_io *io)
{
	if (io->notified)
		return;
	io->notified = true;
	if (write(io->pipe[1], "", 1) == -1 && errno != EAGAIN)
		io->notified = false;
}

/* Record a failure for the loop to log (mtx held); repeats stay quiet. */
static void
output_io_fail(struct output_io *io, int e, const char *what)
{
	char buf[128];

	if (io->err == e)
		return;
	io->err = e;
	snprintf(io->errmsg, sizeof(io->errmsg), "%s: %s", what,
	    strerror_r(e, buf, sizeof(buf)));
	io->err_new = true;
	output_io_notify(io);
}

/* Sleep ms or until signalled (mtx held). */
static void
output_io_wait(struct output_io *io, int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	(void)pthread_cond_timedwait(&io->cv, &io->mtx, &ts);
}

/* Leave the mutex for a system call that may block (or be cancelled). */
static void
output_io_leave(struct output_io *io)
{
	pthread_mutex_unlock(&io->mtx);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
}

static void
output_io_enter(struct output_io *io)
{
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_mutex_lock(&io->mtx);
}

/*
 * Open the file again by name (logrotate renamed it): on success later
 * batches go to the new file, on failure the old one stays (mtx held).
 */
static void
output_io_do_reopen(struct output_io *io)
{
	int fd, e;

	io->reopen = false;
	if (io->path[0] == '\0')
		return;
	output_io_leave(io);
	fd = open(io->path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
	e = errno;
	if (fd != -1 && fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) == -1) {
		e = errno;
		close(fd);
		fd = -1;
	}
	if (fd != -1) {
		close(io->fd);
		io->fd = fd;
	}
	output_io_enter(io);
	if (fd == -1)
		output_io_fail(io, e, "reopen");
}

/*
 * Write the whole batch (mtx held on entry and exit, not while writing).
 * A failure is retried every OUTPUT_IO_RETRY_MS (a full disk may get room,
 * a reopen may help); when quitting the rest is given up.
 */
static void
output_io_write(struct output_io *io, struct output_buf *b)
{
	ssize_t n;
	int e;

	while (b->len > 0) {
		output_io_leave(io);
		n = write(io->fd, b->buf + b->off, b->len);
		e = errno;
		output_io_enter(io);
		if (n > 0) {
			output_buf_drop(b, (size_t)n);
			io->inflight -= (size_t)n;
			io->written += (uint64_t)n;
			io->err = 0;
			continue;
		}
		if (n == -1 && e == EINTR)
			continue;
		output_io_fail(io, n == 0 ? EIO : e, "write");
		if (io->quit)
			return;
		output_io_wait(io, OUTPUT_IO_RETRY_MS);
		if (io->reopen)
			output_io_do_reopen(io);
	}
}

static void *
output_io_file_main(void *arg)
{
	struct output_io *io = arg;
	struct output_buf *batch = &io->batch;

	output_io_enter(io);
	for (;;) {
		if (io->reopen) {
			output_io_do_reopen(io);
			continue;
		}
		if (io->in.len == 0) {
			if (io->quit)
				break;
			pthread_cond_wait(&io->cv, &io->mtx);
			continue;
		}
		/*
		 * Everything pushed so far goes in one write(2); the loop
		 * is not woken for it (only errors concern it in file
		 * mode), so a busy stream costs no pipe round trip.
		 */
		output_buf_swap(batch, &io->in);
		io->inflight = batch->len;
		output_io_write(io, batch);
		if (batch->len > 0) /* given up while quitting */
			break;
	}
	pthread_mutex_unlock(&io->mtx);
	return NULL;
}

/* Let the spool go of what the loop took (mtx held). */
static void
output_io_consume(struct output_io *io)
{
	uint64_t n = io->consumed;

	if (n == 0)
		return;
	io->consumed = 0;
	output_io_leave(io);
	spool_consume(io->sp, n);
	output_io_enter(io);
}

/* Append the batch to the spool, or keep it and wait (mtx held). */
static void
output_io_append(struct output_io *io)
{
	int rv, e;

	if (io->batch.len == 0)
		output_buf_swap(&io->batch, &io->in);
	else { /* after a failure: the new bytes go behind */
		output_buf_add(&io->batch, io->in.buf + io->in.off, io->in.len);
		output_buf_drop(&io->in, io->in.len);
	}
	io->inflight = io->batch.len;
	output_io_leave(io);
	rv = spool_append(io->sp, io->batch.buf + io->batch.off, io->batch.len);
	e = errno;
	output_io_enter(io);
	if (rv == 0) {
		output_buf_drop(&io->batch, io->batch.len);
		io->inflight = 0;
		io->err = 0;
		return;
	}
	output_io_fail(io, e, "spool append");
	if (!io->quit)
		output_io_wait(io, OUTPUT_IO_RETRY_MS);
}

/* Read ahead for the loop (mtx held); false when there is nothing. */
static bool
output_io_readahead(struct output_io *io)
{
	size_t want;
	ssize_t n;
	int e;

	if (io->rd.len >= OUTPUT_READAHEAD || spool_unread(io->sp) == 0)
		return false;
	want = OUTPUT_READAHEAD - io->rd.len;
	if (want > OUTPUT_CHUNK)
		want = OUTPUT_CHUNK;
	output_io_leave(io);
	n = spool_read(io->sp, io->tmp, want);
	e = errno;
	output_io_enter(io);
	if (n > 0) {
		output_buf_add(&io->rd, io->tmp, (size_t)n);
		output_io_notify(io);
		return true;
	}
	if (n == -1) {
		output_io_fail(io, e, "spool read");
		output_io_wait(io, OUTPUT_IO_RETRY_MS);
	}
	return false;
}

/* fdatasync(2) the spool at most every OUTPUT_SYNC_MS (mtx held). */
static void
output_io_sync(struct output_io *io)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(now.tv_sec - io->synced.tv_sec) * 1000 +
	    (now.tv_nsec - io->synced.tv_nsec) / 1000000;
	if (ms < OUTPUT_SYNC_MS)
		return;
	io->synced = now;
	output_io_leave(io);
	(void)spool_sync(io->sp);
	output_io_enter(io);
}

static void *
output_io_spool_main(void *arg)
{
	struct output_io *io = arg;

	output_io_enter(io);
	for (;;) {
		output_io_consume(io);
		if (io->in.len > 0 || io->batch.len > 0) {
			output_io_append(io);
			if (io->quit && io->batch.len > 0)
				break; /* cannot spool it: given up */
			continue;
		}
		if (io->quit)
			break;
		if (output_io_readahead(io))
			continue;
		output_io_sync(io);
		/*
		 * The loop signals only a push into an empty queue: one
		 * made while the mutex was left (read-ahead, fdatasync)
		 * found nobody waiting, so look again before sleeping.
		 */
		if (io->in.len == 0)
			output_io_wait(io, OUTPUT_SYNC_MS);
	}
	if (io->front.len > 0) {
		output_io_leave(io);
		if (spool_prepend(io->sp, io->front.buf + io->front.off,
		        io->front.len) == 0)
			io->front.len = 0;
		output_io_enter(io);
	}
	pthread_mutex_unlock(&io->mtx);
	return NULL;
}

/* The loop's side of the pipe: the thread has news. */
static void
output_io_cb(int fd, short what, void *arg)
{
	struct output_io *io = arg;
	char buf[64], msg[256];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&io->mtx);
	io->notified = false;
	pthread_mutex_unlock(&io->mtx);
	if (output_io_error(io, msg, sizeof(msg)))
		output_error(io->o, "%s", msg);
	if (io->mode == OUTPUT_IO_SPOOL)
		output_net_fill(io->o);
}

/* The loop has finished its pass: the thread takes what was pushed. */
static void
output_io_kick_cb(int fd, short what, void *arg)
{
	struct output_io *io = arg;

	io->kick_pending = false;
	pthread_mutex_lock(&io->mtx);
	if (io->in.len > 0)
		pthread_cond_signal(&io->cv);
	pthread_mutex_unlock(&io->mtx);
}

/* Mutex, condition (on the monotonic clock), pipe and the events. */
static int
output_io_sync_init(struct output_io *io, struct event_base *base)
{
	pthread_condattr_t ca;

	io->pipe[0] = io->pipe[1] = -1;
	pthread_mutex_init(&io->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&io->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pipe2(io->pipe, O_NONBLOCK | O_CLOEXEC) == -1)
		return -1;
	io->ev = event_new(
	    base, io->pipe[0], EV_READ | EV_PERSIST, output_io_cb, io);
	if (io->ev == NULL || event_add(io->ev, NULL) == -1)
		fatalx("%s: event_new failed", __func__);
	if ((io->kick = event_new(base, -1, 0, output_io_kick_cb, io)) == NULL)
		fatalx("%s: event_new failed", __func__);
	return 0;
}

/* Start the thread with every signal blocked: they are the loop's. */
static int
output_io_spawn(struct output_io *io)
{
	sigset_t all, old;
	int rv;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rv = pthread_create(&io->thread, NULL,
	    io->mode == OUTPUT_IO_FILE ? output_io_file_main
	                               : output_io_spool_main,
	    io);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rv != 0) {
		errno = rv;
		return -1;
	}
	io->running = true;
	return 0;
}

struct output_io *
output_io_start(struct output *o, struct event_base *base,
    enum output_io_mode mode, int fd, const char *path, struct spool *sp)
{
	struct output_io *io;

	if ((io = calloc(1, sizeof(*io))) == NULL)
		fatalx("%s: out of memory", __func__);
	io->mode = mode;
	io->o = o;
	io->fd = fd;
	io->sp = sp;
	snprintf(io->path, sizeof(io->path), "%s", path != NULL ? path : "");
	if (mode == OUTPUT_IO_SPOOL && (io->tmp = malloc(OUTPUT_CHUNK)) == NULL)
		fatalx("%s: out of memory", __func__);
	clock_gettime(CLOCK_MONOTONIC, &io->synced);
	/* Wake the thread early enough that a pass never fills the queue. */
	io->wake_at = OUTPUT_CHUNK;
	if (o->conf.queue / 4 < io->wake_at)
		io->wake_at =
		    o->conf.queue >= 4 ? (size_t)(o->conf.queue / 4) : 1;
	if (output_io_sync_init(io, base) == -1 || output_io_spawn(io) == -1) {
		log_warn("output %s: cannot start its I/O thread", o->name);
		output_io_stop(io, 0);
		return NULL;
	}
	return io;
}

/* Wait for the thread to finish, cancelling it after timeout_ms. */
static void
output_io_join(struct output_io *io, int timeout_ms)
{
	struct timespec ts;

	pthread_mutex_lock(&io->mtx);
	io->quit = true;
	pthread_cond_signal(&io->cv);
	pthread_mutex_unlock(&io->mtx);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	if (pthread_timedjoin_np(io->thread, NULL, &ts) != 0) {
		pthread_cancel(io->thread);
		pthread_join(io->thread, NULL);
	}
	io->running = false;
}

uint64_t
output_io_stop(struct output_io *io, int timeout_ms)
{
	uint64_t lost;

	if (io->running)
		output_io_join(io, timeout_ms);
	lost = io->in.len + io->batch.len + io->front.len;
	if (io->sp != NULL)
		spool_close(io->sp);
	if (io->fd != -1)
		close(io->fd);
	if (io->ev != NULL)
		event_free(io->ev);
	if (io->kick != NULL)
		event_free(io->kick);
	if (io->pipe[0] != -1)
		close(io->pipe[0]);
	if (io->pipe[1] != -1)
		close(io->pipe[1]);
	pthread_cond_destroy(&io->cv);
	pthread_mutex_destroy(&io->mtx);
	output_buf_free(&io->in);
	output_buf_free(&io->batch);
	output_buf_free(&io->rd);
	output_buf_free(&io->front);
	free(io->tmp);
	free(io);
	return lost;
}

/*
 * Lines are appended under the mutex; the thread is woken once per batch,
 * not per line (a futex wake and a task switch cost more than formatting
 * the line). A push into an empty queue makes the kick active: it runs
 * when the loop has done what it is doing (an UPDATE of 800 routes is
 * 800 lines) and signals the thread, which takes everything queued so
 * far as one batch. A queue grown to wake_at bytes wakes it at once, so
 * a long pass is written while it runs and the bound is not reached
 * just because the thread slept. The thread looks at in, under the
 * mutex, before it waits: nothing queued is ever left behind.
 */
void
output_io_push(struct output_io *io, const void *p, size_t len)
{
	size_t was;

	pthread_mutex_lock(&io->mtx);
	was = io->in.len;
	output_buf_add(&io->in, p, len);
	if (was < io->wake_at && io->in.len >= io->wake_at)
		pthread_cond_signal(&io->cv);
	pthread_mutex_unlock(&io->mtx);
	if (was == 0 && !io->kick_pending) {
		io->kick_pending = true;
		event_active(io->kick, EV_TIMEOUT, 1);
	}
}

size_t
output_io_queued(struct output_io *io)
{
	size_t n;

	pthread_mutex_lock(&io->mtx);
	n = io->in.len + io->inflight;
	pthread_mutex_unlock(&io->mtx);
	return n;
}

size_t
output_io_take(struct output_io *io, void *buf, size_t max)
{
	size_t n;

	pthread_mutex_lock(&io->mtx);
	n = io->rd.len < max ? io->rd.len : max;
	if (n > 0)
		memcpy(buf, io->rd.buf + io->rd.off, n);
	output_buf_drop(&io->rd, n);
	io->consumed += n;
	if (n > 0 && io->rd.len < OUTPUT_READAHEAD / 2)
		pthread_cond_signal(&io->cv);
	pthread_mutex_unlock(&io->mtx);
	return n;
}

void
output_io_reopen(struct output_io *io)
{
	pthread_mutex_lock(&io->mtx);
	io->reopen = true;
	pthread_cond_signal(&io->cv);
	pthread_mutex_unlock(&io->mtx);
}

void
output_io_prepend(struct output_io *io, struct evbuffer *b)
{
	char buf[OUTPUT_CHUNK];
	int n;

	pthread_mutex_lock(&io->mtx);
	while ((n = evbuffer_remove(b, buf, sizeof(buf))) > 0)
		output_buf_add(&io->front, buf, (size_t)n);
	pthread_mutex_unlock(&io->mtx);
}

bool
output_io_error(struct output_io *io, char *buf, size_t size)
{
	bool rv;

	pthread_mutex_lock(&io->mtx);
	rv = io->err_new;
	if (rv)
		snprintf(buf, size, "%s", io->errmsg);
	io->err_new = false;
	pthread_mutex_unlock(&io->mtx);
	return rv;
}

uint64_t
output_io_written(struct output_io *io)
{
	uint64_t n;

	pthread_mutex_lock(&io->mtx);
	n = io->written;
	pthread_mutex_unlock(&io->mtx);
	return n;
}
