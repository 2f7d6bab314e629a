/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * `bgpwatchctl replay [-v] [-f CONF] [-o FILE] [--all-routes] FILE...`:
 * MRT records (RFC 6396) run through the daemon's pipeline (pipeline.h:
 * decode, Adj-RIB-In, watch) with the records' timestamps as the event
 * clock, writing the event lines a live bgpwatchd would; see
 * bgpwatchctl(8) for how RIB dumps, state changes and updates map to
 * sessions.
 *
 * Public: replay_cmd() (see bgpwatchctl.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>

#include "config.h"

#include "attr.h"
#include "bgpwatchctl.h"
#include "conf.h"
#include "event.h"
#include "msg.h"
#include "mrt.h"
#include "mrtfile.h"
#include "open.h"
#include "pipeline.h"
#include "update.h"
#include "wbuf.h"

/* Warnings shown per file; the rest are only counted. */
/* Event lines are written out in pieces of about this size. */
#define REPLAY_FLUSH (256 * 1024)
/* The implicit watch of --all-routes. */
#define REPLAY_ALL_ROUTES "all-routes"
/* RFC 6396 §4.4.1 state numbers (Quagga adds 7 Clearing, 8 Deleted). */
#define REPLAY_ST_ESTABLISHED 6
/* Families of a peer whose OPEN was not seen: any it could carry. */
#define REPLAY_FAMS_UNKNOWN PIPELINE_FAMS_ALL

/* The last NOTIFICATION of a session, for session-closed. */
struct replay_notif {
	bool present;
	bool sent; /* recorded as a _LOCAL message: the collector sent it */
	uint8_t code;
	uint8_t subcode;
	bool has_shutdown;
	char shutdown[NOTIF_SHUTDOWN_MAX * 4 + 1];
};

/* A BGP neighbor of the collector, as the records name it. */
struct replay_peer {
	struct pipeline_peer *pp;
	uint16_t afi;
	uint8_t ip[16];
	uint32_t as;
	bool up; /* its session is established (seen or implied) */
	bool in_rib; /* got entries from the RIB dump being read */
	int64_t up_time; /* ms, when it came up */
	uint8_t *open; /* the body of the peer's last OPEN, or NULL */
	size_t openlen;
	uint16_t local_hold; /* hold time of the collector's OPEN */
	bool has_local_hold;
	struct replay_notif notif;
};

struct replay {
	struct conf *conf;
	struct watch_conf *watches; /* the config's, plus --all-routes */
	size_t nwatches;
	bool all_routes; /* watches[nwatches - 1] is ours to free */
	struct pipeline *pl;
	struct event_ctx ectx;
	char hostname[256];
	bool started; /* the first record set the clock and run id */
	int64_t now;
	FILE *out;
	bool write_failed;
	struct wbuf outbuf; /* whole lines waiting to be written */
	struct replay_peer **peers;
	size_t npeers;
	struct replay_peer **index; /* PEER_INDEX_TABLE entry -> peer */
	struct mrt_peers ptab;
	struct wbuf canon; /* canonical attributes of a RIB entry */
	struct mrtfile_warn warn; /* about the file being read */
	bool verbose;
	struct {
		uint64_t records, updates, rib_entries, lines;
		uint64_t taw, discard, disable, skipped;
	} n;
};

/* Write the lines gathered so far (always whole lines). */
static void
replay_flush(struct replay *rp)
{
	size_t n = wbuf_len(&rp->outbuf);

	if (n > 0 && !rp->write_failed &&
	    fwrite(wbuf_data(&rp->outbuf), 1, n, rp->out) != n) {
		fprintf(stderr, "bgpwatchctl: replay: write: %s\n",
		    strerror(errno));
		rp->write_failed = true;
	}
	wbuf_reset(&rp->outbuf);
}

/* A line was appended to outbuf (seq 0: it could not be formatted). */
static void
replay_line(struct replay *rp, uint64_t seq, const char *what)
{
	if (seq == 0) {
		fprintf(stderr,
		    "bgpwatchctl: replay: cannot format a %s line\n", what);
		rp->write_failed = true;
		return;
	}
	rp->n.lines++;
	if (wbuf_len(&rp->outbuf) >= REPLAY_FLUSH)
		replay_flush(rp);
}

/* The watch engine's events, as the daemon writes them. */
static void
replay_watch_event(void *arg, const struct watch_event *ev)
{
	struct replay *rp = arg;

	replay_line(rp, event_watch(&rp->ectx, ev, &rp->outbuf),
	    watch_action_name(ev->action));
}

/* The RFC 4271 §8.2.2 name of an RFC 6396 §4.4.1 state number. */
static const char *
replay_state_name(uint16_t st)
{
	static const char *const names[] = { NULL, "Idle", "Connect", "Active",
		"OpenSent", "OpenConfirm", "Established" };

	if (st < sizeof(names) / sizeof(names[0]) && names[st] != NULL)
		return names[st];
	return "Idle"; /* Quagga's Clearing (7) and Deleted (8) */
}

/* The peer as lines show it; valid while the peer's info is unchanged. */
static void
replay_event_peer(const struct replay_peer *p, struct event_peer *ep)
{
	const struct watch_peer_info *info = pipeline_peer_info(p->pp);

	memset(ep, 0, sizeof(*ep));
	ep->ip = info->ip;
	ep->as = info->as;
	ep->bgp_id = info->bgp_id != 0 ? info->bgp_id_str : NULL;
	ep->description = info->descr;
}

/* The description of a configured neighbor at this address, if any. */
static void
replay_descr(const struct replay *rp, uint16_t afi, const uint8_t *ip,
    char *descr, size_t size)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	const struct conf_neighbor *n;

	if (rp->conf == NULL)
		return;
	memset(&ss, 0, sizeof(ss));
	if (afi == AFI_IPV4) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, ip, 4);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, ip, 16);
	}
	if ((n = conf_neighbor_find(rp->conf, (struct sockaddr *)&ss)) != NULL)
		snprintf(descr, size, "%s", n->descr);
}

/*
 * The peer with this address and AS, registered on first sight (a
 * collector has one session per address and AS; bgp_id 0: not known).
 */
static struct replay_peer *
replay_peer_get(struct replay *rp, uint16_t afi, const uint8_t *ip, uint32_t as,
    uint32_t bgp_id)
{
	size_t alen = afi == AFI_IPV4 ? 4 : 16, i;
	struct watch_peer_info info;
	struct replay_peer *p;

	for (i = rp->npeers; i-- > 0;) {
		p = rp->peers[i];
		if (p->afi == afi && p->as == as &&
		    memcmp(p->ip, ip, alen) == 0)
			return p;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (rp->peers = reallocarray(
	         rp->peers, rp->npeers + 1, sizeof(*rp->peers))) == NULL) {
		fprintf(stderr, "bgpwatchctl: replay: out of memory\n");
		exit(CTL_EXIT_FAIL);
	}
	rp->peers[rp->npeers++] = p;
	p->afi = afi;
	memcpy(p->ip, ip, alen);
	p->as = as;
	memset(&info, 0, sizeof(info));
	info.afi = (uint8_t)afi;
	memcpy(info.addr, ip, alen);
	info.as = as;
	info.bgp_id = bgp_id;
	replay_descr(rp, afi, ip, info.descr, sizeof(info.descr));
	p->pp = pipeline_peer_new(rp->pl, &info);
	return p;
}

static void
replay_peer_free(struct replay *rp, struct replay_peer *p)
{
	pipeline_peer_free(p->pp, rp->now);
	free(p->open);
	free(p);
}

/* The peer's last OPEN, parsed into *o; false when there is none. */
static bool
replay_open(const struct replay_peer *p, struct open_msg *o)
{
	struct verdict v;
	struct rbuf r;

	if (p->open == NULL)
		return false;
	rbuf_init(&r, p->open, p->openlen);
	return open_parse(&r, o, &v, NULL) == 0;
}

/* The families an OPEN offers (RFC 4760 §8: none listed, IPv4 unicast). */
static uint32_t
replay_open_fams(const struct open_msg *o)
{
	uint32_t fams = 0;
	size_t i;
	int fam;

	for (i = 0; i < o->n_mp; i++)
		if ((fam = sess_family(o->mp[i].afi, o->mp[i].safi)) >= 0)
			fams |= 1u << fam;
	return o->n_mp == 0 ? 1u << FAM_IPV4_UNICAST : fams;
}

/* The families the peer's session carries, as far as the input tells. */
static uint32_t
replay_fams(const struct replay_peer *p)
{
	struct open_msg o;

	return replay_open(p, &o) ? replay_open_fams(&o) : REPLAY_FAMS_UNKNOWN;
}

/* Bring a peer up without a recorded state change (its transfer starts). */
static void
replay_implicit_up(struct replay *rp, struct replay_peer *p)
{
	if (p->up)
		return;
	p->up = true;
	p->up_time = rp->now;
	memset(&p->notif, 0, sizeof(p->notif));
	pipeline_peer_up(p->pp, replay_fams(p), rp->now);
}

/* ADD-PATH receive families: those the peer's OPEN offers to send. */
static uint32_t
replay_open_addpath(const struct open_msg *o)
{
	uint32_t fams = 0;
	size_t i;
	int fam;

	for (i = 0; i < o->n_addpath; i++)
		if ((o->addpath[i].flags & ADDPATH_SEND) &&
		    (fam = sess_family(
		         o->addpath[i].afi, o->addpath[i].safi)) >= 0)
			fams |= 1u << fam;
	return fams;
}

/* session-established with what the records tell of the session. */
static void
replay_established(struct replay *rp, struct replay_peer *p, uint16_t old)
{
	struct event_session_established e;
	struct open_msg o;
	bool have = replay_open(p, &o);

	memset(&e, 0, sizeof(e));
	e.time = rp->now;
	replay_event_peer(p, &e.peer);
	e.previous_state = replay_state_name(old);
	e.families = pipeline_peer_fams(p->pp);
	if (have) {
		e.open = &o;
		/* RFC 4271 §4.2: the smaller of the two hold times. */
		e.hold_time = p->has_local_hold && p->local_hold < o.holdtime
		    ? p->local_hold
		    : o.holdtime;
		e.keepalive = e.hold_time / 3;
		e.addpath_rx = replay_open_addpath(&o);
		e.as4 = o.has_as4;
		e.ext_msg = o.ext_msg;
		e.route_refresh = o.route_refresh || o.route_refresh_cisco;
		e.enhanced_rr = o.enhanced_rr;
		e.graceful_restart = o.has_gr;
	}
	replay_line(rp, event_session_established(&rp->ectx, &e, &rp->outbuf),
	    "session-established");
}

/* session-closed, then the routes go (as the daemon does it). */
static void
replay_closed(struct replay *rp, struct replay_peer *p, uint16_t new)
{
	struct event_session_closed e;

	memset(&e, 0, sizeof(e));
	e.time = rp->now;
	replay_event_peer(p, &e.peer);
	e.state = replay_state_name(new);
	e.previous_state = "Established";
	e.reason = "state change recorded in the MRT input";
	if (p->notif.present) {
		e.notification = true;
		e.sent = p->notif.sent;
		e.code = p->notif.code;
		e.subcode = p->notif.subcode;
		e.shutdown = p->notif.has_shutdown ? p->notif.shutdown : NULL;
	}
	e.uptime = (rp->now - p->up_time) / 1000;
	e.routes = pipeline_routes(p->pp);
	replay_line(rp, event_session_closed(&rp->ectx, &e, &rp->outbuf),
	    "session-closed");
	(void)pipeline_peer_down(p->pp, 0, RIB_R_SESSION_DOWN, rp->now);
	p->up = false;
}

/* A BGP4MP STATE_CHANGE (RFC 6396 §4.4.1). */
static void
replay_state(
    struct replay *rp, struct replay_peer *p, uint16_t old, uint16_t new)
{
	if (new == REPLAY_ST_ESTABLISHED) {
		if (p->up) /* its end was not recorded */
			(void)pipeline_peer_down(
			    p->pp, 0, RIB_R_SESSION_DOWN, rp->now);
		p->up = true;
		p->up_time = rp->now;
		memset(&p->notif, 0, sizeof(p->notif));
		pipeline_peer_up(p->pp, replay_fams(p), rp->now);
		replay_established(rp, p, old);
	} else if (p->up && old == REPLAY_ST_ESTABLISHED)
		replay_closed(rp, p, new);
}

/* The session a BGP4MP subtype implies (RFC 6396 §4.4, RFC 8050 §3). */
static void
replay_sess(const struct mrt_bgp4mp *m, struct bgp_sess *s)
{
	memset(s, 0, sizeof(*s));
	s->as4 = m->as4;
	s->ext_msg = true; /* RFC 8654 messages may be recorded */
	s->addpath_rx = m->addpath ? (1u << FAM_COUNT) - 1 : 0;
}

/*
 * The body of the recorded message after its header (RFC 4271 §4.1),
 * checked; type BGP records hold no header. 0, or -1 after a warning.
 */
static int
replay_body(struct replay *rp, const struct mrt_record *rec,
    const struct mrt_bgp4mp *m, const uint8_t **body, size_t *len)
{
	struct bgp_sess s;
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;

	*body = m->msg;
	*len = m->msglen;
	if (!m->has_hdr)
		return 0;
	replay_sess(m, &s);
	rbuf_init(&r, m->msg, m->msglen);
	if (msg_hdr_parse(&r, &s, &h, &v, NULL) == -1) {
		mrtfile_warn(&rp->warn, rec->off, "BGP header: %s", v.reason);
		return -1;
	}
	if (rbuf_left(&r) < (size_t)h.len - BGP_HDR_LEN) {
		mrtfile_warn(&rp->warn, rec->off,
		    "BGP message cut short: %zu of %u octets", m->msglen,
		    h.len);
		return -1;
	}
	*body = rbuf_ptr(&r);
	*len = (size_t)h.len - BGP_HDR_LEN;
	return 0;
}

/* Keep the peer's OPEN (for its families and session-established). */
static void
replay_msg_open(struct replay *rp, struct replay_peer *p,
    const struct mrt_bgp4mp *m, const uint8_t *body, size_t len)
{
	struct open_msg o;
	struct verdict v;
	struct rbuf r;

	rbuf_init(&r, body, len);
	if (m->local) { /* the collector's own: only its hold time counts */
		if (open_parse(&r, &o, &v, NULL) == 0) {
			p->local_hold = o.holdtime;
			p->has_local_hold = true;
		}
		return;
	}
	free(p->open);
	p->open = NULL;
	if (len == 0 || (p->open = malloc(len)) == NULL)
		return;
	memcpy(p->open, body, len);
	p->openlen = len;
	if (replay_open(p, &o) && o.bgp_id != 0) {
		struct watch_peer_info info = *pipeline_peer_info(p->pp);

		info.bgp_id = o.bgp_id;
		pipeline_peer_set_info(p->pp, &info);
	}
}

/* Remember a NOTIFICATION for the session-closed line that follows. */
static void
replay_msg_notif(struct replay_peer *p, const struct mrt_bgp4mp *m,
    const uint8_t *body, size_t len)
{
	struct replay_notif *rn = &p->notif;
	struct notif n;
	struct rbuf r;

	rbuf_init(&r, body, len);
	if (notif_parse(&r, &n, NULL) == -1)
		return;
	memset(rn, 0, sizeof(*rn));
	rn->present = true;
	rn->sent = m->local;
	rn->code = n.code;
	rn->subcode = n.subcode;
	if (n.has_shutdown && n.shutdown_valid &&
	    n.shutdown_len < sizeof(rn->shutdown)) {
		rn->has_shutdown = true;
		memcpy(rn->shutdown, n.shutdown, n.shutdown_len);
		rn->shutdown[n.shutdown_len] = '\0';
	}
}

/* RFC 7606 outcomes are the peer's doing, handled as the daemon does. */
static void
replay_verdict_count(struct replay *rp, const struct update *u)
{
	switch (u->verdict.action) {
	case VERDICT_ATTR_DISCARD:
		rp->n.discard++;
		break;
	case VERDICT_TREAT_AS_WITHDRAW:
		rp->n.taw++;
		break;
	case VERDICT_AFI_SAFI_DISABLE:
		rp->n.disable++;
		break;
	default:
		break;
	}
}

/* An UPDATE received from the peer. */
static void
replay_msg_update(struct replay *rp, const struct mrt_record *rec,
    struct replay_peer *p, const struct mrt_bgp4mp *m, const uint8_t *body,
    size_t len)
{
	struct bgp_sess s;
	struct update u;

	replay_sess(m, &s);
	rp->n.updates++;
	if (update_parse(body, len, &s, &u, NULL) == -1) {
		/* A live session would be reset; the collector's was not. */
		mrtfile_warn(&rp->warn, rec->off, "UPDATE: %s: %s (ignored)",
		    verdict_action_name(u.verdict.action), u.verdict.reason);
		return;
	}
	replay_verdict_count(rp, &u);
	replay_implicit_up(rp, p);
	(void)pipeline_update(p->pp, &u, NULL, rp->now, NULL);
}

/* Whether a BGP4MP record that did not parse is one we skip quietly. */
static bool
replay_bgp4mp_skip(const struct mrt_record *rec)
{
	if (rec->type == MRT_BGP)
		return rec->subtype == MRT_BGP_NULL ||
		    rec->subtype == MRT_BGP_PREF_UPDATE ||
		    rec->subtype == MRT_BGP_SYNC;
	return rec->subtype == MRT_BGP4MP_ENTRY ||
	    rec->subtype == MRT_BGP4MP_SNAPSHOT;
}

/* BGP4MP, BGP4MP_ET (§4.4) and the deprecated BGP type (§B.2.1). */
static void
replay_bgp4mp(struct replay *rp, const struct mrt_record *rec)
{
	struct replay_peer *p;
	struct mrt_bgp4mp m;
	const uint8_t *body;
	const char *why;
	size_t len;
	int r;

	r = rec->type == MRT_BGP ? mrt_bgp_parse(rec, &m, &why)
	                         : mrt_bgp4mp_parse(rec, &m, &why);
	if (r == -1) {
		if (replay_bgp4mp_skip(rec))
			rp->n.skipped++;
		else
			mrtfile_warn(&rp->warn, rec->off, "%s: %s",
			    mrt_type_name(rec->type), why);
		return;
	}
	if (m.no_addr) { /* Zebra defect: no peer to give it to */
		rp->n.skipped++;
		return;
	}
	p = replay_peer_get(rp, m.afi, m.peer_ip, m.peer_as, 0);
	if (m.is_state) {
		replay_state(rp, p, m.old_state, m.new_state);
		return;
	}
	if (replay_body(rp, rec, &m, &body, &len) == -1)
		return;
	if (m.msgtype == BGP_MSG_OPEN)
		replay_msg_open(rp, p, &m, body, len);
	else if (m.msgtype == BGP_MSG_NOTIFICATION)
		replay_msg_notif(p, &m, body, len);
	else if (m.msgtype == BGP_MSG_UPDATE && !m.local)
		replay_msg_update(rp, rec, p, &m, body, len);
}

/*
 * A RIB dump entry: its first one of this dump starts the peer's transfer
 * or, for a peer already up, marks its routes stale so that the dump
 * replaces them (stale ones left at the end are withdrawn).
 */
static void
replay_rib_peer(struct replay *rp, struct replay_peer *p)
{
	if (p->in_rib)
		return;
	p->in_rib = true;
	if (p->up) {
		(void)pipeline_mark_stale(p->pp, PIPELINE_FAMS_ALL);
		return;
	}
	p->up = true;
	p->up_time = rp->now;
	pipeline_peer_up(p->pp, PIPELINE_FAMS_ALL, rp->now);
}

/* Store one RIB entry: attributes parsed as received, then canonical. */
static void
replay_rib_route(struct replay *rp, const struct mrt_record *rec,
    struct replay_peer *p, uint8_t safi, const struct prefix *pfx,
    uint32_t path_id, const uint8_t *attrs, size_t attrlen, bool as4)
{
	/* RFC 6396 §4.3.4: MP_REACH_NLRI may be abbreviated. */
	struct bgp_sess s = { .as4 = as4,
		.ext_msg = true,
		.rib_afi = pfx->afi,
		.rib_safi = safi };
	struct attr_set a;
	struct verdict v;
	struct rbuf r;

	rp->n.rib_entries++;
	replay_rib_peer(rp, p);
	rbuf_init(&r, attrs, attrlen);
	verdict_clear(&v);
	/* An IPv4 entry stands for an NLRI that NEXT_HOP applies to. */
	if (attr_parse(&r, &s, pfx->afi == AFI_IPV4 ? 1 : 0, &a, &v, NULL) ==
	    -1) {
		mrtfile_warn(&rp->warn, rec->off, "RIB entry: %s: %s (ignored)",
		    verdict_action_name(v.action), v.reason);
		return;
	}
	if (a.withdraw || v.action >= VERDICT_TREAT_AS_WITHDRAW) {
		rp->n.taw++; /* RFC 7606 §2: not a route to keep */
		return;
	}
	if (v.action == VERDICT_ATTR_DISCARD)
		rp->n.discard++;
	wbuf_reset(&rp->canon);
	attr_canon(&a, pfx->afi, &rp->canon);
	if (wbuf_error(&rp->canon)) {
		mrtfile_warn(
		    &rp->warn, rec->off, "RIB entry: attributes too long");
		return;
	}
	(void)pipeline_route(p->pp, safi, pfx, path_id, wbuf_data(&rp->canon),
	    wbuf_len(&rp->canon), rp->now);
}

/* TABLE_DUMP (RFC 6396 §4.2): 2-octet AS numbers, IPv4/IPv6 unicast. */
static void
replay_td(struct replay *rp, const struct mrt_record *rec)
{
	struct replay_peer *p;
	struct mrt_td_entry e;
	struct mrt_td td;
	const char *why;
	int r;

	if (mrt_td_init(rec, &td, &why) == -1) {
		mrtfile_warn(&rp->warn, rec->off, "TABLE_DUMP: %s", why);
		return;
	}
	while ((r = mrt_td_next(&td, &e, &why)) == 1) {
		p = replay_peer_get(rp, td.afi, e.peer_ip, e.peer_as, 0);
		replay_rib_route(rp, rec, p, SAFI_UNICAST, &e.prefix, 0,
		    e.attrs, e.attrlen, false);
	}
	if (r == -1)
		mrtfile_warn(&rp->warn, rec->off, "TABLE_DUMP: %s", why);
}

/* The peer of PEER_INDEX_TABLE entry i, registered on its first route. */
static struct replay_peer *
replay_index_peer(struct replay *rp, uint16_t i)
{
	const struct mrt_peer *mp = &rp->ptab.peer[i];

	if (rp->index[i] == NULL)
		rp->index[i] =
		    replay_peer_get(rp, mp->afi, mp->ip, mp->as, mp->bgp_id);
	return rp->index[i];
}

/* A RIB_* record of TABLE_DUMP_V2 (§4.3.2; RFC 8050 §4). */
static void
replay_rib(struct replay *rp, const struct mrt_record *rec)
{
	struct mrt_rib_entry e;
	struct mrt_rib rib;

	switch (mrtfile_rib_open(&rp->warn, rec, &rp->ptab, &rib)) {
	case 0:
		rp->n.skipped++;
		return;
	case -1:
		return;
	}
	while (mrtfile_rib_next(&rp->warn, rec, &rp->ptab, &rib, &e) == 1) {
		/* No index: out of memory, told at the PEER_INDEX_TABLE. */
		if (!rib.decoded || rp->index == NULL)
			continue;
		replay_rib_route(rp, rec, replay_index_peer(rp, e.peer_index),
		    rib.safi, &rib.prefix, e.path_id, e.attrs, e.attrlen, true);
	}
}

static void
replay_td2(struct replay *rp, const struct mrt_record *rec)
{
	const char *why;

	switch (rec->subtype) {
	case MRT_TD2_PEER_INDEX_TABLE:
		free(rp->index);
		rp->index = NULL;
		if (mrt_peers_parse(rec, &rp->ptab, &why) == -1)
			mrtfile_warn(
			    &rp->warn, rec->off, "TABLE_DUMP_V2: %s", why);
		else if (rp->ptab.count > 0 &&
		    (rp->index = calloc(rp->ptab.count, sizeof(*rp->index))) ==
		        NULL)
			mrtfile_warn(&rp->warn, rec->off, "out of memory");
		break;
	case MRT_TD2_GEO_PEER_TABLE:
		rp->n.skipped++;
		break;
	default:
		replay_rib(rp, rec);
		break;
	}
}

/*
 * The end of a file that held a RIB dump: End-of-RIB (RFC 4724 §2) for
 * every unicast family of each peer it carried; routes still stale from
 * an earlier view are withdrawn.
 */
static void
replay_rib_end(struct replay *rp)
{
	struct replay_peer *p;
	uint32_t fams;
	size_t i;

	for (i = 0; i < rp->npeers; i++) {
		p = rp->peers[i];
		if (!p->in_rib)
			continue;
		p->in_rib = false;
		fams = pipeline_peer_fams(p->pp);
		if (fams & (1u << FAM_IPV4_UNICAST))
			(void)pipeline_eor(
			    p->pp, AFI_IPV4, SAFI_UNICAST, rp->now);
		if (fams & (1u << FAM_IPV6_UNICAST))
			(void)pipeline_eor(
			    p->pp, AFI_IPV6, SAFI_UNICAST, rp->now);
		if (fams & (1u << FAM_IPV4_MULTICAST))
			(void)pipeline_flush_stale(
			    p->pp, AFI_IPV4, SAFI_MULTICAST, rp->now);
		if (fams & (1u << FAM_IPV6_MULTICAST))
			(void)pipeline_flush_stale(
			    p->pp, AFI_IPV6, SAFI_MULTICAST, rp->now);
	}
}

/* The event clock of a record: its time in milliseconds. */
static int64_t
replay_time(const struct mrt_record *rec)
{
	int64_t t = (int64_t)rec->ts * 1000;

	if (rec->type == MRT_BGP4MP_ET)
		t += (rec->usec % 1000000) / 1000;
	return t;
}

/*
 * The first record starts the run: the run id is made of its time and a
 * hash (FNV-1a) of its octets, so replaying the same input gives the same
 * event.id values.
 */
static void
replay_start(struct replay *rp, const struct mrt_record *rec)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < rec->len && i < 4096; i++)
		h = (h ^ rec->body[i]) * 0x100000001b3ULL;
	h = (h ^ rec->type ^ (uint64_t)rec->subtype << 16) * 0x100000001b3ULL;
	event_ctx_init(
	    &rp->ectx, rp->hostname, BGPWATCH_VERSION, replay_time(rec), h);
	rp->started = true;
	rp->now = replay_time(rec);
}

/* One record: the clock moves to its time first (timers due run). */
static void
replay_record(struct replay *rp, const struct mrt_record *rec)
{
	int64_t t = replay_time(rec);

	rp->n.records++;
	if (t > rp->now)
		rp->now = t;
	pipeline_tick(rp->pl, rp->now);
	switch (rec->type) {
	case MRT_TABLE_DUMP:
		replay_td(rp, rec);
		break;
	case MRT_TABLE_DUMP_V2:
		replay_td2(rp, rec);
		break;
	case MRT_BGP:
	case MRT_BGP4MP:
	case MRT_BGP4MP_ET:
		replay_bgp4mp(rp, rec);
		break;
	default:
		rp->n.skipped++;
		break;
	}
}

/* Read one file through the pipeline; 0 when it was clean, else 1. */
static int
replay_file(struct replay *rp, const char *path)
{
	struct mrt_reader rd;
	struct mrt_record rec;
	struct mrtfile *f;
	char err[200];
	bool failed;
	int r;

	memset(&rp->warn, 0, sizeof(rp->warn));
	rp->warn.cmd = "replay";
	rp->warn.path = path;
	if ((f = mrtfile_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bgpwatchctl: replay: %s: %s\n", path, err);
		return 1;
	}
	rp->warn.file = f;
	mrt_reader_init(&rd, mrtfile_read, f, mrtfile_reader_warn, &rp->warn);
	while ((r = mrt_next(&rd, &rec)) == 1) {
		if (!rp->started)
			replay_start(rp, &rec);
		replay_record(rp, &rec);
	}
	if (r == -1)
		mrtfile_warn(&rp->warn, rd.base + rd.start, "out of memory");
	replay_rib_end(rp);
	replay_flush(rp);
	failed = mrtfile_error(f) != NULL;
	mrtfile_warn_end(&rp->warn);
	mrt_reader_free(&rd);
	mrtfile_close(f);
	rp->warn.file = NULL;
	mrt_peers_free(&rp->ptab);
	free(rp->index);
	rp->index = NULL;
	return rp->warn.count > 0 || failed;
}

/* The catch-all watch of --all-routes: every unicast route of any peer. */
static int
replay_all_routes(struct replay *rp)
{
	static const char *const all[] = { "0.0.0.0/0", "::/0" };
	struct watch_conf *wc;
	struct prefix p;
	size_t i;

	for (i = 0; i < rp->nwatches; i++)
		if (strcmp(rp->watches[i].name, REPLAY_ALL_ROUTES) == 0) {
			fprintf(stderr,
			    "bgpwatchctl: replay: --all-routes: the "
			    "configuration has a watch \"%s\" already\n",
			    REPLAY_ALL_ROUTES);
			return -1;
		}
	wc = &rp->watches[rp->nwatches++];
	watch_conf_init(wc, REPLAY_ALL_ROUTES);
	rp->all_routes = true;
	for (i = 0; i < 2; i++)
		if (prefix_parse(all[i], &p) == -1 ||
		    watch_conf_add_prefix(wc, &p, WATCH_MATCH_OR_LONGER) == -1)
			return -1;
	return 0;
}

/*
 * The watches of the configuration (copied, so --all-routes can join
 * them) and observer.hostname: its observer-name, else this host's name.
 */
static int
replay_setup(struct replay *rp, const char *confpath, bool all_routes)
{
	const char *err = NULL;
	size_t n = 0, i;

	if (confpath != NULL &&
	    (rp->conf = conf_parse_file(confpath, stderr)) == NULL)
		return -1;
	if (rp->conf != NULL)
		n = rp->conf->nwatches;
	if ((rp->watches = calloc(n + 1, sizeof(*rp->watches))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		rp->watches[rp->nwatches++] = rp->conf->watches[i];
	if (all_routes && replay_all_routes(rp) == -1)
		return -1;
	if (rp->conf != NULL && rp->conf->observer_name[0] != '\0')
		snprintf(rp->hostname, sizeof(rp->hostname), "%s",
		    rp->conf->observer_name);
	else if (gethostname(rp->hostname, sizeof(rp->hostname)) == -1)
		snprintf(rp->hostname, sizeof(rp->hostname), "localhost");
	rp->hostname[sizeof(rp->hostname) - 1] = '\0';
	rp->pl = pipeline_new(NULL, replay_watch_event, rp);
	if (pipeline_reconf(rp->pl, rp->watches, rp->nwatches, 0, &err) == -1) {
		fprintf(stderr, "bgpwatchctl: replay: watches: %s\n", err);
		return -1;
	}
	if (rp->nwatches == 0)
		fprintf(stderr,
		    "bgpwatchctl: replay: no watches (-f CONF or "
		    "--all-routes): only session and rib-synced lines\n");
	return 0;
}

/* Everything but the copied watch configurations (the conf owns them). */
static void
replay_teardown(struct replay *rp)
{
	size_t i;

	for (i = 0; i < rp->npeers; i++)
		replay_peer_free(rp, rp->peers[i]);
	free(rp->peers);
	pipeline_free(rp->pl);
	if (rp->all_routes)
		watch_conf_free(&rp->watches[rp->nwatches - 1]);
	free(rp->watches);
	conf_free(rp->conf);
	wbuf_free(&rp->outbuf);
	wbuf_free(&rp->canon);
}

/* -v: what was read and how fast, on stderr. */
static void
replay_summary(const struct replay *rp, const struct timespec *t0)
{
	struct timespec t1;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	fprintf(stderr,
	    "bgpwatchctl: replay: %" PRIu64 " records (%" PRIu64
	    " UPDATEs, %" PRIu64 " RIB entries), %zu peers, %" PRIu64
	    " lines in %.2f s: %.0f records/s, %.0f routes/s\n",
	    rp->n.records, rp->n.updates, rp->n.rib_entries, rp->npeers,
	    rp->n.lines, s, s > 0 ? (double)rp->n.records / s : 0,
	    s > 0 ? (double)(rp->n.updates + rp->n.rib_entries) / s : 0);
}

/* RFC 7606 outcomes and records not replayed: notes, not warnings. */
static void
replay_notes(const struct replay *rp)
{
	if (rp->n.taw + rp->n.discard + rp->n.disable > 0)
		fprintf(stderr,
		    "bgpwatchctl: replay: RFC 7606: %" PRIu64
		    " treat-as-withdraw, %" PRIu64
		    " attribute-discard, %" PRIu64 " AFI/SAFI disable\n",
		    rp->n.taw, rp->n.discard, rp->n.disable);
	if (rp->n.skipped > 0)
		fprintf(stderr,
		    "bgpwatchctl: replay: %" PRIu64
		    " records of types not replayed\n",
		    rp->n.skipped);
}

static int
replay_usage(void)
{
	fprintf(stderr,
	    "usage: bgpwatchctl replay [-v] [-f conf] [-o file] "
	    "[--all-routes] file ...\n");
	return CTL_EXIT_USAGE;
}

int
replay_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all-routes", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	const char *confpath = NULL, *outpath = NULL;
	struct replay rp;
	struct timespec t0;
	bool all_routes = false;
	int ch, i, status = CTL_EXIT_OK;

	memset(&rp, 0, sizeof(rp));
	while ((ch = getopt_long(argc, argv, "f:o:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			confpath = optarg;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'v':
			rp.verbose = true;
			break;
		case 'A':
			all_routes = true;
			break;
		default:
			return replay_usage();
		}
	}
	if (optind >= argc)
		return replay_usage();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wbuf_init_dyn(&rp.outbuf, 0);
	wbuf_init_dyn(&rp.canon, 0);
	rp.out = stdout;
	if (replay_setup(&rp, confpath, all_routes) == -1) {
		replay_teardown(&rp);
		return CTL_EXIT_FAIL;
	}
	if (outpath != NULL && (rp.out = fopen(outpath, "w")) == NULL) {
		fprintf(stderr, "bgpwatchctl: replay: %s: %s\n", outpath,
		    strerror(errno));
		replay_teardown(&rp);
		return CTL_EXIT_FAIL;
	}
	for (i = optind; i < argc; i++)
		if (replay_file(&rp, argv[i]) != 0)
			status = CTL_EXIT_FAIL;
	replay_notes(&rp);
	if (rp.verbose)
		replay_summary(&rp, &t0);
	replay_teardown(&rp);
	if ((outpath != NULL ? fclose(rp.out) : fflush(rp.out)) == EOF ||
	    rp.write_failed)
		status = CTL_EXIT_FAIL;
	return status;
}
