/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Event lines of the daemon; see emit.h. Every line is formatted by
 * lib/event into one buffer and given to output_emit() whole, so lines
 * are never torn and their sequence numbers leave in order.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "conf.h"
#include "emit.h"
#include "log.h"
#include "output.h"
#include "session.h"
#include "wbuf.h"

static struct event_ctx emit_ectx;
static struct wbuf emit_line;
static bool emit_ready;

int64_t
emit_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		fatal("%s: clock_gettime", __func__);
	return event_ms_from_timespec(&ts);
}

/* observer.hostname: observer-name, else the host's name. */
static void
emit_hostname(const char *observer, char *host, size_t len)
{
	if (observer != NULL && observer[0] != '\0')
		snprintf(host, len, "%s", observer);
	else if (gethostname(host, len) == -1)
		snprintf(host, len, "localhost");
	host[len - 1] = '\0';
}

void
emit_init(const char *observer)
{
	char host[256];
	uint64_t rnd;

	emit_hostname(observer, host, sizeof(host));
	rnd = (uint64_t)arc4random() << 32 | arc4random();
	event_ctx_init(&emit_ectx, host, BGPWATCH_VERSION, emit_now(), rnd);
	wbuf_init_dyn(&emit_line, 0);
	emit_ready = true;
}

void
emit_observer(const char *observer)
{
	char host[256];

	emit_hostname(observer, host, sizeof(host));
	event_ctx_set_hostname(&emit_ectx, host);
}

struct event_ctx *
emit_ctx(void)
{
	return &emit_ectx;
}

void
emit_free(void)
{
	if (emit_ready)
		wbuf_free(&emit_line);
	emit_ready = false;
}

void
emit_peer(const struct peer *p, struct event_peer *ep, char *id)
{
	struct in_addr a;

	id[0] = '\0';
	if (p->remote_id != 0) {
		a.s_addr = htonl(p->remote_id);
		if (inet_ntop(AF_INET, &a, id, EMIT_ID_STRLEN) == NULL)
			id[0] = '\0';
	}
	memset(ep, 0, sizeof(*ep));
	ep->ip = p->name;
	ep->as = p->remote_as != 0 ? p->remote_as : p->conf->remote_as;
	ep->bgp_id = id;
	ep->description = p->conf->descr;
}

/* Hand the line just formatted (sequence seq, 0: failed) to the outputs. */
static void
emit_flush(uint64_t seq, const char *what)
{
	if (seq == 0) {
		log_warnx("%s: cannot format a %s line", __func__, what);
		return;
	}
	output_emit(wbuf_data(&emit_line), wbuf_len(&emit_line), seq);
}

void
emit_watch(void *arg, const struct watch_event *ev)
{
	if (!emit_ready)
		return;
	wbuf_reset(&emit_line);
	emit_flush(event_watch(&emit_ectx, ev, &emit_line),
	    watch_action_name(ev->action));
}

void
emit_session_established(const struct event_session_established *e)
{
	wbuf_reset(&emit_line);
	emit_flush(event_session_established(&emit_ectx, e, &emit_line),
	    "session-established");
}

void
emit_session_closed(const struct event_session_closed *e)
{
	wbuf_reset(&emit_line);
	emit_flush(
	    event_session_closed(&emit_ectx, e, &emit_line), "session-closed");
}

void
emit_peer_stats(const struct event_peer_stats *e)
{
	wbuf_reset(&emit_line);
	emit_flush(event_peer_stats(&emit_ectx, e, &emit_line), "peer-stats");
}

void
emit_collector_started(const struct event_collector *e)
{
	wbuf_reset(&emit_line);
	emit_flush(event_collector_started(&emit_ectx, e, &emit_line),
	    "collector-started");
}

void
emit_config_reloaded(const struct event_reload *e)
{
	wbuf_reset(&emit_line);
	emit_flush(event_config_reloaded(&emit_ectx, e, &emit_line),
	    "config-reloaded");
}
