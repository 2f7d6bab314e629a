/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT table dumps: TABLE_DUMP_V2 (RFC 6396 §4.3) of every peer's Adj-RIB-In,
 * MRTDUMP_CHUNK routes per event-loop turn so sessions never stall.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <event2/event.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "mrtw.h"
#include "mrtdump.h"
#include "pipeline.h"
#include "rib.h"
#include "session.h"

#define MRTDUMP_CHUNK 512 /* routes per event-loop turn */

struct mrtdump_job {
	char path[PATH_MAX];
	char tmp[PATH_MAX + 8];
	FILE *f;
	struct event *ev;
	struct wbuf w;
	uint32_t ts;
	uint32_t seq;
	uint16_t npeers;
	char (*names)[64]; /* peer index -> neighbor address */
	uint16_t peer; /* peer index being walked */
	int fam; /* 0: IPv4 unicast, 1: IPv6 unicast, 2: next peer */
	bool walking; /* cur is initialised for fam */
	bool addpath;
	bool open; /* rib holds an unfinished record */
	struct mrtw_rib rib;
	struct prefix last;
	struct rib_cursor cur;
	uint64_t routes;
	const char *err;
	mrtdump_done_cb done;
	void *arg;
};

static struct mrtdump_job *mrtdump_job;
static struct event *mrtdump_timer; /* `dump table PATH SECONDS` */
static uint32_t mrtdump_interval;

/* End the job: report, close, remove or rename, free. */
static void
mrtdump_end(struct mrtdump_job *j)
{
	if (j->err == NULL && fclose(j->f) != 0)
		j->err = "write error";
	else if (j->err != NULL)
		(void)fclose(j->f);
	if (j->err == NULL && rename(j->tmp, j->path) == -1)
		j->err = "rename failed";
	if (j->err != NULL) {
		log_warnx("dump table %s: %s", j->path, j->err);
		(void)unlink(j->tmp);
	} else
		log_info(
		    "dump table %s: %ju routes", j->path, (uintmax_t)j->routes);
	if (j->done != NULL)
		j->done(j->arg, j->err, j->routes);
	event_free(j->ev);
	wbuf_free(&j->w);
	free(j->names);
	free(j);
	mrtdump_job = NULL;
}

/* Write what w holds to the file. */
static void
mrtdump_flush(struct mrtdump_job *j)
{
	if (j->open)
		mrtw_rib_end(&j->w, &j->rib);
	j->open = false;
	if (wbuf_error(&j->w))
		j->err = "out of memory";
	else if (wbuf_len(&j->w) > 0 &&
	    fwrite(wbuf_data(&j->w), wbuf_len(&j->w), 1, j->f) != 1)
		j->err = "write error";
	wbuf_reset(&j->w);
}

/*
 * One route: RFC 6396 §4.3.2 groups the entries of one prefix in one
 * record; routes of a prefix come together (the cursor walks in prefix,
 * then path id, order). Entries carry the dump time as originated time:
 * the RIB keeps no reception time.
 */
static int
mrtdump_route(void *arg, const struct rib_route *r)
{
	struct mrtdump_job *j = arg;

	if (j->open && prefix_cmp(&j->last, &r->prefix) != 0) {
		mrtw_rib_end(&j->w, &j->rib);
		j->open = false;
	}
	if (!j->open) {
		mrtw_rib_begin(
		    &j->w, &j->rib, j->ts, j->seq++, &r->prefix, j->addpath);
		j->last = r->prefix;
		j->open = true;
	}
	if (mrtw_rib_entry(&j->w, &j->rib, j->peer, j->ts, r->path_id,
	        r->attr->bytes, r->attr->len) == -1)
		log_warnx("dump table: %s: unusable attributes, skipped",
		    j->names[j->peer]);
	else
		j->routes++;
	return 0;
}

/* The peer to walk now, moving past gone ones; NULL when all are done. */
static struct peer *
mrtdump_advance(struct mrtdump_job *j)
{
	struct peer *p;

	for (;; j->fam = 0, j->peer++) {
		if (j->peer >= j->npeers)
			return NULL;
		if (j->fam == 2)
			continue;
		p = session_peer_find_str(j->names[j->peer]);
		if (p != NULL && p->rib != NULL)
			return p;
	}
}

static void
mrtdump_turn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mrtdump_job *j = arg;
	struct timeval now = { 0, 0 };
	struct peer *p;
	uint16_t afi;

	if ((p = mrtdump_advance(j)) == NULL) {
		mrtdump_flush(j);
		mrtdump_end(j);
		return;
	}
	if (!j->walking) {
		afi = j->fam == 0 ? AFI_IPV4 : AFI_IPV6;
		rib_cursor_init(
		    &j->cur, afi, SAFI_UNICAST, RIB_MATCH_ALL, NULL);
		/* RFC 8050 §4: _ADDPATH subtypes when path ids are sent. */
		j->addpath = sess_addpath(&p->nego.sess, afi, SAFI_UNICAST);
		j->walking = true;
	}
	(void)rib_cursor_next(p->rib, &j->cur, mrtdump_route, j, MRTDUMP_CHUNK);
	if (j->cur.done) {
		j->walking = false;
		j->fam++;
	}
	mrtdump_flush(j);
	if (j->err != NULL) {
		mrtdump_end(j);
		return;
	}
	evtimer_add(j->ev, &now);
}

/*
 * The PEER_INDEX_TABLE (RFC 6396 §4.3.1): every configured neighbor in
 * configuration order, its index being the peer index of RIB entries.
 */
static void
mrtdump_peers(struct mrtdump_job *j)
{
	struct mrt_peers t;
	struct peer *p;
	uint16_t n = 0;
	uint8_t afi;

	TAILQ_FOREACH(p, session_peers(), entry)
	if (n < UINT16_MAX)
		n++;
	memset(&t, 0, sizeof(t));
	t.collector_id = session_conf()->router_id;
	t.peer = calloc(n > 0 ? n : 1, sizeof(*t.peer));
	j->names = calloc(n > 0 ? n : 1, sizeof(*j->names));
	if (t.peer == NULL || j->names == NULL)
		fatal("%s", __func__);
	n = 0;
	TAILQ_FOREACH(p, session_peers(), entry)
	{
		if (n == UINT16_MAX)
			break;
		if (addr_parse(p->name, &afi, t.peer[n].ip) == -1)
			afi = AFI_IPV4; /* not reached: names are addresses */
		t.peer[n].afi = afi;
		t.peer[n].bgp_id = p->remote_id;
		t.peer[n].as = p->remote_as;
		snprintf(j->names[n], sizeof(j->names[n]), "%s", p->name);
		n++;
	}
	t.count = j->npeers = n;
	mrtw_peer_index(&j->w, j->ts, &t);
	free(t.peer);
}

int
mrtdump_table(struct event_base *base, const char *path, mrtdump_done_cb done,
    void *arg, char *err, size_t errlen)
{
	struct mrtdump_job *j;
	struct timeval now = { 0, 0 };
	int fd;

	if (mrtdump_job != NULL) {
		snprintf(err, errlen, "a table dump to %s is running",
		    mrtdump_job->path);
		return -1;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		fatal("%s", __func__);
	if (snprintf(j->path, sizeof(j->path), "%s", path) >=
	    (int)sizeof(j->path)) {
		snprintf(err, errlen, "%s: path too long", path);
		free(j);
		return -1;
	}
	snprintf(j->tmp, sizeof(j->tmp), "%s.XXXXXX", path);
	/* mkstemp() makes 0600; a dump is for others' tools to read. */
	if ((fd = mkstemp(j->tmp)) == -1 || fchmod(fd, 0644) == -1 ||
	    (j->f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", j->tmp, strerror(errno));
		if (fd != -1) {
			(void)close(fd);
			(void)unlink(j->tmp);
		}
		free(j);
		return -1;
	}
	if ((j->ev = evtimer_new(base, mrtdump_turn_cb, j)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
	wbuf_init_dyn(&j->w, 0);
	j->ts = (uint32_t)time(NULL);
	j->done = done;
	j->arg = arg;
	mrtdump_peers(j);
	mrtdump_job = j;
	evtimer_add(j->ev, &now);
	return 0;
}

void
mrtdump_forget(void *arg)
{
	if (mrtdump_job != NULL && mrtdump_job->arg == arg)
		mrtdump_job->done = NULL;
}

/*
 * The configured pattern expanded for now (UTC); -1 when too long. The
 * pattern is the administrator's, like a date(1) format.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
mrtdump_expand(const char *pattern, char *dst, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(dst, len, pattern, &tm) == 0)
		return -1;
	return 0;
}
#pragma GCC diagnostic pop

int
mrtdump_conf_path(char *dst, size_t len)
{
	const char *pat = session_conf()->dump_table;

	if (pat[0] == '\0' || mrtdump_expand(pat, dst, len) == -1)
		return -1;
	return 0;
}

static void
mrtdump_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct event_base *base = arg;
	struct timeval tv = { mrtdump_interval, 0 };
	char path[PATH_MAX], err[256];

	evtimer_add(mrtdump_timer, &tv);
	if (mrtdump_conf_path(path, sizeof(path)) == -1)
		log_warnx("dump table: %s: expands to nothing or too long",
		    session_conf()->dump_table);
	else if (mrtdump_table(base, path, NULL, NULL, err, sizeof(err)) == -1)
		log_warnx("dump table: %s", err);
}

void
mrtdump_reconf(struct event_base *base, const struct conf *c)
{
	struct timeval tv = { c->dump_table_interval, 0 };

	if (mrtdump_timer != NULL && c->dump_table_interval == mrtdump_interval)
		return; /* keep the phase across a reload */
	if (mrtdump_timer != NULL)
		event_free(mrtdump_timer);
	mrtdump_timer = NULL;
	mrtdump_interval = c->dump_table_interval;
	if (c->dump_table[0] == '\0' || mrtdump_interval == 0)
		return;
	if ((mrtdump_timer = evtimer_new(base, mrtdump_timer_cb, base)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
	evtimer_add(mrtdump_timer, &tv);
}

void
mrtdump_shutdown(void)
{
	if (mrtdump_timer != NULL)
		event_free(mrtdump_timer);
	mrtdump_timer = NULL;
	if (mrtdump_job == NULL)
		return;
	mrtdump_job->err = "daemon shutting down";
	mrtdump_job->done = NULL;
	mrtdump_end(mrtdump_job);
}
