/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The outputs: the list of them, handing each line to each one, the gap
 * accounting and output-gap lines, file and standard output, reload and
 * shutdown. TCP and TLS live in output_net.c, the I/O thread in
 * output_io.c. See output.h.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>

#include "event.h"
#include "log.h"
#include "output_int.h"

#define OUTPUT_TICK_MS 1000 /* gap and error checks */
#define OUTPUT_GAP_ROOM 4096 /* room a gap line needs, about */
/*
 * How long a reload may wait, in all, for the outputs it removes to write
 * what they hold: the event loop stands still meanwhile.
 */
#define OUTPUT_RECONF_MS 1000

static struct output_list output_list = TAILQ_HEAD_INITIALIZER(output_list);
static struct event_base *output_base;
static struct event_ctx *output_ctx;
static struct evdns_base *output_dns;
static struct event *output_tick_ev;

int64_t
output_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void
output_error(struct output *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->st.error, sizeof(o->st.error), fmt, ap);
	va_end(ap);
	o->st.error_time = output_now();
	log_warnx("output %s: %s", o->name, o->st.error);
}

void
output_accept(struct output *o)
{
	o->st.lines++;
	if (o->gap.n > 0)
		o->gap.ready = true;
}

void
output_drop(struct output *o, uint64_t seq, const char *why)
{
	int64_t now = output_now();

	if (o->gap.n == 0) {
		o->gap.first = seq;
		o->gap.t0 = now;
		o->gap.reason = why;
		log_warnx("output %s: %s, dropping events from sequence %llu",
		    o->name, why, (unsigned long long)seq);
	}
	o->gap.n++;
	o->gap.last = seq;
	o->gap.t1 = now;
	o->st.dropped++;
}

/* Files and standard output: into the I/O thread's bounded queue. */
static void
output_file_emit(
    struct output *o, const void *line, size_t len, uint64_t seq, bool force)
{
	if (!force && output_io_queued(o->io) + len > o->conf.queue) {
		output_drop(o, seq, "queue-full");
		return;
	}
	output_io_push(o->io, line, len);
	output_accept(o);
}

/* Give one line to o; force: the output-gap line that closes its gap. */
static void
output_push(
    struct output *o, const void *line, size_t len, uint64_t seq, bool force)
{
	if (o->conf.type == CONF_OUT_FILE || o->conf.type == CONF_OUT_STDOUT)
		output_file_emit(o, line, len, seq, force);
	else
		output_net_emit(o, line, len, seq, force);
}

/* Room for a line again, so a pending gap can be closed. */
static bool
output_room(struct output *o)
{
	const char *why;

	if (o->conf.type == CONF_OUT_FILE || o->conf.type == CONF_OUT_STDOUT)
		return output_io_queued(o->io) + OUTPUT_GAP_ROOM <=
		    o->conf.queue;
	return output_net_room(o, OUTPUT_GAP_ROOM, &why);
}

/*
 * The output-gap line of o, numbered after every line so far: it goes to
 * every output (to o even over its bound) so that each stream says what
 * it lacks and none has a hole in event.sequence but where it says so.
 */
static void
output_gap_write(struct output *o)
{
	struct event_output_gap e;
	struct output *x;
	struct wbuf w;
	uint64_t seq;

	memset(&e, 0, sizeof(e));
	e.time = output_now();
	e.output = o->name;
	e.type = conf_output_type_name(o->conf.type);
	e.reason = o->gap.reason;
	e.dropped = o->gap.n;
	e.first_seq = o->gap.first;
	e.last_seq = o->gap.last;
	e.first_time = o->gap.t0;
	e.last_time = o->gap.t1;
	memset(&o->gap, 0, sizeof(o->gap));
	wbuf_init_dyn(&w, 0);
	if ((seq = event_output_gap(output_ctx, &e, &w)) == 0)
		fatalx("%s: cannot format an output-gap line", __func__);
	log_warnx("output %s: %llu events were dropped (sequence %llu-%llu, "
	          "%s); output-gap line %llu",
	    o->name, (unsigned long long)e.dropped,
	    (unsigned long long)e.first_seq, (unsigned long long)e.last_seq,
	    e.reason, (unsigned long long)seq);
	o->st.gaps++;
	TAILQ_FOREACH(x, &output_list, entry)
	output_push(x, wbuf_data(&w), wbuf_len(&w), seq, x == o);
	wbuf_free(&w);
}

/* Write the output-gap lines that are due (each may make another due). */
static void
output_gaps(void)
{
	struct output *o;
	bool again = true;

	while (again) {
		again = false;
		TAILQ_FOREACH(o, &output_list, entry)
		{
			if (o->gap.ready) {
				output_gap_write(o);
				again = true;
				break;
			}
		}
	}
}

void
output_emit(const void *line, size_t len, uint64_t seq)
{
	struct output *o;

	TAILQ_FOREACH(o, &output_list, entry)
	output_push(o, line, len, seq, false);
	output_gaps();
}

/* Once a second: close gaps of outputs that have room but no new line. */
static void
output_tick(evutil_socket_t fd, short what, void *arg)
{
	struct output *o;

	TAILQ_FOREACH(o, &output_list, entry)
	if (o->gap.n > 0 && output_room(o))
		o->gap.ready = true;
	output_gaps();
}

/*
 * Open a file output: appending, created 0640 if missing. O_NONBLOCK only
 * for the open itself, so that a FIFO without a reader fails instead of
 * hanging; writes block, in the I/O thread.
 */
static int
output_file_open(const char *path)
{
	int fd;

	fd = open(
	    path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
	if (fd == -1)
		return -1;
	if (fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
output_file_new(struct output *o)
{
	int fd;

	if (o->conf.type == CONF_OUT_STDOUT)
		fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	else
		fd = output_file_open(o->conf.path);
	if (fd == -1) {
		log_warn("output %s", o->name);
		return -1;
	}
	o->io = output_io_start(o, output_base, OUTPUT_IO_FILE, fd,
	    o->conf.type == CONF_OUT_FILE ? o->conf.path : NULL, NULL);
	return o->io == NULL ? -1 : 0;
}

/* A new output for co, started; NULL after logging why. */
static struct output *
output_new(const struct conf_output *co)
{
	struct output *o;
	int rv;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		fatalx("%s: out of memory", __func__);
	o->conf = *co;
	conf_output_name(co, o->name, sizeof(o->name));
	snprintf(o->st.name, sizeof(o->st.name), "%s", o->name);
	o->st.type = conf_output_type_name(co->type);
	if (co->type == CONF_OUT_FILE || co->type == CONF_OUT_STDOUT)
		rv = output_file_new(o);
	else {
		if (output_dns == NULL &&
		    (output_dns = evdns_base_new(output_base,
		         EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL &&
		    (output_dns = evdns_base_new(output_base, 0)) == NULL)
			fatalx("%s: evdns_base_new failed", __func__);
		rv = output_net_new(o, output_base, output_dns);
	}
	if (rv == -1) {
		if (o->io != NULL)
			output_io_stop(o->io, 0);
		free(o);
		return NULL;
	}
	return o;
}

/* Stop o, give it timeout_ms to write what it holds, free it. */
static void
output_free(struct output *o, int timeout_ms)
{
	uint64_t lost = 0;

	if (o->conf.type == CONF_OUT_FILE || o->conf.type == CONF_OUT_STDOUT)
		lost = output_io_stop(o->io, timeout_ms);
	else
		output_net_free(o, timeout_ms);
	if (lost > 0)
		log_warnx("output %s: %llu bytes of events not written",
		    o->name, (unsigned long long)lost);
	free(o);
}

int
output_init(
    struct event_base *base, const struct conf *c, struct event_ctx *ctx)
{
	struct timeval tv = { OUTPUT_TICK_MS / 1000,
		(OUTPUT_TICK_MS % 1000) * 1000 };

	output_base = base;
	output_ctx = ctx;
	output_tick_ev = event_new(base, -1, EV_PERSIST, output_tick, NULL);
	if (output_tick_ev == NULL || event_add(output_tick_ev, &tv) == -1)
		fatalx("%s: event_new failed", __func__);
	if (output_reconf(c) == -1) {
		output_shutdown(0);
		return -1;
	}
	return 0;
}

void
output_reopen(void)
{
	struct output *o;

	TAILQ_FOREACH(o, &output_list, entry)
	if (o->conf.type == CONF_OUT_FILE)
		output_io_reopen(o->io);
}

/* Two outputs that cannot run side by side: one file, stdout, spool. */
static bool
output_conflict(const struct conf_output *a, const struct conf_output *b)
{
	if (a->type == CONF_OUT_STDOUT && b->type == CONF_OUT_STDOUT)
		return true;
	if (a->type == CONF_OUT_FILE && b->type == CONF_OUT_FILE)
		return strcmp(a->path, b->path) == 0;
	return a->spool[0] != '\0' && strcmp(a->spool, b->spool) == 0;
}

/* A running output configured as co and not yet taken by now[0..n). */
static struct output *
output_find_equal(
    const struct conf_output *co, struct output *const *now, size_t n)
{
	struct output *o;
	size_t i;

	TAILQ_FOREACH(o, &output_list, entry)
	{
		for (i = 0; i < n && now[i] != o; i++)
			;
		if (i == n && conf_output_equal(&o->conf, co))
			return o;
	}
	return NULL;
}

/* co writes where a running output that is about to go writes. */
static bool
output_clash(const struct conf_output *co)
{
	struct output *o;

	TAILQ_FOREACH(o, &output_list, entry)
	if (output_conflict(&o->conf, co) && !conf_output_equal(&o->conf, co))
		return true;
	return false;
}

/* Stop the running outputs that are not in now[0..n). */
static void
output_drop_old(struct output *const *now, size_t n)
{
	struct output *o, *next;
	int64_t end = output_now() + OUTPUT_RECONF_MS, left;
	size_t i;

	for (o = TAILQ_FIRST(&output_list); o != NULL; o = next) {
		next = TAILQ_NEXT(o, entry);
		for (i = 0; i < n && now[i] != o; i++)
			;
		if (i < n)
			continue;
		TAILQ_REMOVE(&output_list, o, entry);
		log_info("output %s: stopped (reload)", o->name);
		left = end - output_now();
		output_free(o, left > 50 ? (int)left : 50);
	}
}

/*
 * Outputs for the first n statements of c: kept, new, or (when they
 * write where an output that goes writes) deferred. -1 when one cannot
 * start; then the new ones are gone again.
 */
static int
output_reconf_new(
    const struct conf *c, struct output **now, bool *fresh, bool *deferred)
{
	const struct conf_output *co;
	size_t i = 0, k;

	STAILQ_FOREACH(co, &c->outputs, entry)
	{
		now[i] = output_find_equal(co, now, i);
		if (now[i] == NULL && output_clash(co))
			deferred[i] = true;
		else if (now[i] == NULL) {
			if ((now[i] = output_new(co)) == NULL)
				goto fail;
			fresh[i] = true;
		}
		i++;
	}
	return 0;
fail:
	for (k = 0; k < i; k++)
		if (fresh[k])
			output_free(now[k], 0);
	return -1;
}

int
output_reconf(const struct conf *c)
{
	const struct conf_output *co;
	struct output **now;
	bool *fresh, *deferred;
	size_t n = 0, i;

	STAILQ_FOREACH(co, &c->outputs, entry)
	n++;
	now = calloc(n + 1, sizeof(*now));
	fresh = calloc(n + 1, sizeof(*fresh));
	deferred = calloc(n + 1, sizeof(*deferred));
	if (now == NULL || fresh == NULL || deferred == NULL)
		fatalx("%s: out of memory", __func__);
	if (output_reconf_new(c, now, fresh, deferred) == -1) {
		free(now);
		free(fresh);
		free(deferred);
		return -1;
	}
	output_drop_old(now, n);
	i = 0;
	STAILQ_FOREACH(co, &c->outputs, entry)
	{
		if (deferred[i] && (now[i] = output_new(co)) == NULL)
			log_warnx("output statement of line %d: not restarted, "
			          "off until the next reload",
			    co->line);
		if (now[i] != NULL && (fresh[i] || deferred[i]))
			log_info("output %s: started", now[i]->name);
		i++;
	}
	TAILQ_INIT(&output_list);
	for (i = 0; i < n; i++)
		if (now[i] != NULL)
			TAILQ_INSERT_TAIL(&output_list, now[i], entry);
	free(now);
	free(fresh);
	free(deferred);
	return 0;
}

/* Stop the loop at the shutdown deadline. */
static void
output_deadline(evutil_socket_t fd, short what, void *arg)
{
	*(bool *)arg = true;
}

/* Run the event loop until connected outputs have flushed, or timeout. */
static void
output_drain(int timeout_ms)
{
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	struct event *ev;
	struct output *o;
	bool late = false, busy;

	if ((ev = evtimer_new(output_base, output_deadline, &late)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
	evtimer_add(ev, &tv);
	while (!late) {
		busy = false;
		TAILQ_FOREACH(o, &output_list, entry)
		if (o->state == OUTPUT_NET_UP && !output_net_flushed(o))
			busy = true;
		if (!busy)
			break;
		event_base_loop(output_base, EVLOOP_ONCE);
	}
	event_free(ev);
}

void
output_shutdown(int timeout_ms)
{
	struct output *o;
	int64_t end = output_now() + timeout_ms, left;

	if (output_base == NULL)
		return;
	output_gaps();
	output_drain(timeout_ms);
	while ((o = TAILQ_FIRST(&output_list)) != NULL) {
		TAILQ_REMOVE(&output_list, o, entry);
		left = end - output_now();
		output_free(o, left > 100 ? (int)left : 100);
	}
	if (output_dns != NULL)
		evdns_base_free(output_dns, 0);
	output_dns = NULL;
	if (output_tick_ev != NULL)
		event_free(output_tick_ev);
	output_tick_ev = NULL;
	output_base = NULL;
}

size_t
output_stats(struct output_stats *st, size_t max)
{
	struct output *o;
	size_t n = 0;

	TAILQ_FOREACH(o, &output_list, entry)
	{
		if (n == max)
			break;
		st[n] = o->st;
		st[n].dropping = o->gap.n;
		if (o->conf.type == CONF_OUT_FILE ||
		    o->conf.type == CONF_OUT_STDOUT) {
			st[n].bytes = output_io_written(o->io);
			st[n].queued = output_io_queued(o->io);
			st[n].up = true;
		} else {
			st[n].up = o->state == OUTPUT_NET_UP;
			st[n].queued = evbuffer_get_length(o->replay) +
			    (o->bev != NULL
			            ? evbuffer_get_length(
			                  bufferevent_get_output(o->bev))
			            : 0) +
			    (o->io != NULL ? 0 : o->backlog);
			st[n].spool = o->io != NULL ? o->backlog : 0;
		}
		n++;
	}
	return n;
}

size_t
output_count(void)
{
	struct output *o;
	size_t n = 0;

	TAILQ_FOREACH(o, &output_list, entry)
	n++;
	return n;
}
