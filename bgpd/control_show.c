/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The answers of the control socket's `show` commands: the summary and
 * neighbor documents from the sessions' state, and the `show rib` walk,
 * which goes neighbor by neighbor and family by family through resumable
 * RIB cursors and writes one JSON line per route.
 *
 * Public: control_summary_json(), control_neighbor_json(),
 *         control_rib_new(), control_rib_fill(), control_rib_count(),
 *         control_rib_free().
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "aspath.h"
#include "attr.h"
#include "conf.h"
#include "control_int.h"
#include "ctljson.h"
#include "json.h"
#include "log.h"
#include "msg.h"
#include "open.h"
#include "prefix.h"
#include "rde.h"
#include "rib.h"
#include "session.h"
#include "wbuf.h"

/* Family names of the protocol, by enum sess_family. */
static const char *const control_fam_names[FAM_COUNT] = {
	[FAM_IPV4_UNICAST] = "ipv4",
	[FAM_IPV6_UNICAST] = "ipv6",
	[FAM_IPV4_MULTICAST] = "ipv4-multicast",
	[FAM_IPV6_MULTICAST] = "ipv6-multicast",
};

#define CONTROL_FAMS_V4 ((1u << FAM_IPV4_UNICAST) | (1u << FAM_IPV4_MULTICAST))
#define CONTROL_FAMS_V6 ((1u << FAM_IPV6_UNICAST) | (1u << FAM_IPV6_MULTICAST))
#define CONTROL_FAMS_ALL (CONTROL_FAMS_V4 | CONTROL_FAMS_V6)

/* A `show rib` walk; see control_rib_new(). */
struct control_rib {
	char (*peers)[64]; /* neighbor names to walk, in order */
	size_t npeers, ipeer;
	int fam; /* current family of the current neighbor */
	bool started; /* cur belongs to (ipeer, fam) */
	uint32_t fams; /* families to walk, 1 << enum sess_family */
	enum rib_match match;
	struct prefix filter;
	bool has_origin, has_transit;
	uint32_t origin_as, transit_as;
	struct rib_cursor cur;
	uint64_t count;

	/* Valid during one control_rib_fill() only. */
	struct evbuffer *out;
	const char *peer;
	const struct rib_attr *cache; /* the set the fields below are for */
	bool cache_ok; /* its blob decoded */
	bool cache_transit; /* it matches transit_as */
	bool cache_json; /* attrs holds its "attributes" object */
	struct attr_summary sum;
	struct wbuf attrs;
	struct wbuf line;
};

static time_t
control_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Seconds since wall-clock time t, or null when t is 0 (never). */
static void
control_age(struct json *j, const char *key, time_t t)
{
	time_t now = time(NULL);

	if (t == 0)
		json_null(j, key);
	else
		json_uint(j, key, now > t ? (uint64_t)(now - t) : 0);
}

/* A timer's seconds left, or null when it is not running. */
static void
control_timer(
    struct json *j, const char *key, const struct peer *p, enum session_timer t)
{
	long left = session_timer_left(p, t);

	if (left < 0)
		json_null(j, key);
	else
		json_uint(j, key, (uint64_t)left);
}

/* {"ipv4": N, "ipv6": N}: prefixes (or paths) over both SAFIs. */
static void
control_counts(
    struct json *j, const char *key, const struct peer *p, bool paths)
{
	uint64_t n[2] = { 0, 0 };
	struct rib_stats st;
	int fam;

	for (fam = 0; fam < FAM_COUNT && p->rib != NULL; fam++)
		if (rib_stats(
		        p->rib, rde_fam_afi(fam), rde_fam_safi(fam), &st) == 0)
			n[rde_fam_afi(fam) == AFI_IPV6] +=
			    paths ? st.paths : st.prefixes;
	json_obj_open(j, key);
	json_uint(j, "ipv4", n[0]);
	json_uint(j, "ipv6", n[1]);
	json_obj_close(j);
}

/* The families of a mask as an array of names. */
static void
control_fams(struct json *j, const char *key, uint32_t mask)
{
	int fam;

	json_arr_open(j, key);
	for (fam = 0; fam < FAM_COUNT; fam++)
		if (mask & (1u << fam))
			json_str(j, NULL, control_fam_names[fam]);
	json_arr_close(j);
}

static void
control_id(struct json *j, const char *key, uint32_t id)
{
	uint8_t b[4] = { id >> 24, id >> 16, id >> 8, id };
	char buf[ADDR_STRLEN];

	json_str(j, key, addr_fmt(AFI_IPV4, b, buf, sizeof(buf)));
}

/* The AS of the neighbor: configured, else learnt from its OPEN. */
static void
control_peer_as(struct json *j, const char *key, const struct peer *p)
{
	if (!p->conf->remote_as_any)
		json_uint(j, key, p->conf->remote_as);
	else if (p->has_open)
		json_uint(j, key, p->remote_as);
	else
		json_null(j, key);
}

static uint64_t
control_msgs(const uint64_t *by_type)
{
	uint64_t n = 0;
	int t;

	for (t = BGP_MSG_OPEN; t <= BGP_MSG_ROUTE_REFRESH; t++)
		n += by_type[t];
	return n;
}

/* Seconds in the current state, and since Established (or null). */
static void
control_state(struct json *j, const struct peer *p)
{
	time_t now = control_mono();
	uint64_t age =
	    now > p->state_since ? (uint64_t)(now - p->state_since) : 0;

	json_str(j, "state", session_state_name(p->state));
	json_uint(j, "state_age", age);
	if (p->state == ST_ESTABLISHED)
		json_uint(j, "uptime", age);
	else
		json_null(j, "uptime");
}

static void
control_summary_peer(struct json *j, const struct peer *p)
{
	json_obj_open(j, NULL);
	json_str(j, "address", p->name);
	control_peer_as(j, "as", p);
	json_str(j, "description", p->conf->descr);
	control_state(j, p);
	json_bool(j, "admin_down", p->admin_down);
	control_counts(j, "prefixes", p, false);
	control_counts(j, "paths", p, true);
	json_uint(j, "messages_received", control_msgs(p->stats.msg_in));
	json_uint(j, "messages_sent", control_msgs(p->stats.msg_out));
	json_uint(j, "updates_received", p->stats.msg_in[BGP_MSG_UPDATE]);
	control_age(j, "last_update", p->stats.last_update);
	json_obj_close(j);
}

void
control_summary_json(struct json *j)
{
	const struct conf *c = session_conf();
	struct peer *p;

	json_obj_open(j, NULL);
	json_uint(j, "local_as", c->local_as);
	control_id(j, "router_id", c->router_id);
	json_arr_open(j, "neighbors");
	TAILQ_FOREACH(p, session_peers(), entry)
	control_summary_peer(j, p);
	json_arr_close(j);
	json_obj_close(j);
}

/* What the last (or current) session negotiated; null before any. */
static void
control_nego(struct json *j, const struct peer *p)
{
	const struct peer_nego *n = &p->nego;

	if (!p->has_open) {
		json_null(j, "negotiated");
		return;
	}
	json_obj_open(j, "negotiated");
	control_fams(j, "families", n->families);
	json_bool(j, "four_octet_as", n->sess.as4);
	json_bool(j, "extended_message", n->sess.ext_msg);
	control_fams(j, "add_path_receive", n->sess.addpath_rx);
	json_bool(j, "route_refresh", n->route_refresh);
	json_bool(j, "enhanced_route_refresh", n->enhanced_rr);
	json_bool(j, "graceful_restart", n->graceful);
	json_bool(j, "graceful_notification", n->gr_notification);
	control_fams(j, "disabled", n->disabled);
	control_fams(j, "end_of_rib", n->eor);
	json_obj_close(j);
}

static void
control_timers(struct json *j, const struct peer *p)
{
	json_obj_open(j, "timers");
	json_uint(j, "configured_hold_time", p->ours.holdtime);
	if (p->has_open) {
		json_uint(j, "hold_time", p->nego.holdtime);
		json_uint(j, "keepalive_interval", p->nego.keepalive);
	} else {
		json_null(j, "hold_time");
		json_null(j, "keepalive_interval");
	}
	control_timer(j, "hold", p, TIMER_HOLD);
	control_timer(j, "keepalive", p, TIMER_KEEPALIVE);
	control_timer(j, "connect_retry", p, TIMER_CONNECT_RETRY);
	control_timer(j, "idle", p, TIMER_IDLE);
	control_timer(j, "graceful_restart", p, TIMER_GR_RESTART);
	control_timer(j, "stale", p, TIMER_GR_STALE);
	json_obj_close(j);
}

/* Messages by type, as an object. */
static void
control_msg_counts(struct json *j, const char *key, const uint64_t *by_type)
{
	json_obj_open(j, key);
	json_uint(j, "open", by_type[BGP_MSG_OPEN]);
	json_uint(j, "update", by_type[BGP_MSG_UPDATE]);
	json_uint(j, "notification", by_type[BGP_MSG_NOTIFICATION]);
	json_uint(j, "keepalive", by_type[BGP_MSG_KEEPALIVE]);
	json_uint(j, "route_refresh", by_type[BGP_MSG_ROUTE_REFRESH]);
	json_uint(j, "total", control_msgs(by_type));
	json_obj_close(j);
}

static void
control_counters(struct json *j, const struct peer *p)
{
	const struct peer_stats *s = &p->stats;

	json_obj_open(j, "counters");
	control_msg_counts(j, "messages_received", s->msg_in);
	control_msg_counts(j, "messages_sent", s->msg_out);
	json_uint(j, "prefixes_announced", s->prefixes_announced);
	json_uint(j, "prefixes_withdrawn", s->prefixes_withdrawn);
	json_uint(j, "treat_as_withdraw", s->treat_as_withdraw);
	json_uint(j, "attribute_discard", s->attr_discard);
	json_uint(j, "afi_safi_disable", s->afi_safi_disable);
	json_uint(j, "ignored_family", s->ignored_family);
	json_uint(j, "established", s->established);
	json_uint(j, "drops", s->drops);
	json_obj_close(j);
}

static void
control_last_error(struct json *j, const struct peer *p)
{
	const struct peer_error *e = &p->last_error;

	if (e->when == 0) {
		json_null(j, "last_error");
		return;
	}
	json_obj_open(j, "last_error");
	control_age(j, "age", e->when);
	json_bool(j, "sent", e->sent);
	json_bool(j, "notification", e->notification);
	if (e->notification) {
		json_uint(j, "code", e->code);
		json_uint(j, "subcode", e->subcode);
		json_str(j, "name", notif_name(e->code, e->subcode));
		if (e->shutdown[0] != '\0')
			json_str(j, "shutdown_communication", e->shutdown);
	}
	json_str(j, "reason", e->reason);
	json_obj_close(j);
}

/* Who the neighbor is and what state it is in. */
static void
control_neighbor_head(struct json *j, const struct peer *p)
{
	json_str(j, "address", p->name);
	control_peer_as(j, "as", p);
	json_str(j, "description", p->conf->descr);
	json_str(j, "group", p->conf->group);
	json_bool(j, "passive", p->conf->passive);
	control_state(j, p);
	json_str(j, "previous_state", session_state_name(p->prev_state));
	json_bool(j, "admin_down", p->admin_down);
	if (p->admin_down)
		json_str(j, "admin_text", p->admin_text);
	json_bool(j, "max_prefix_down", p->prefix_down);
	if (p->has_open) {
		json_uint(j, "remote_as", p->remote_as);
		control_id(j, "bgp_id", p->remote_id);
	} else {
		json_null(j, "remote_as");
		json_null(j, "bgp_id");
	}
}

void
control_neighbor_json(const struct peer *p, struct json *j)
{
	json_obj_open(j, NULL);
	control_neighbor_head(j, p);
	control_timers(j, p);
	control_nego(j, p);
	control_fams(j, "stale_families", p->stale);
	if (p->has_open) {
		json_obj_open(j, "open");
		open_json(&p->open, j);
		json_obj_close(j);
	} else
		json_null(j, "open");
	control_counts(j, "prefixes", p, false);
	control_counts(j, "paths", p, true);
	control_counters(j, p);
	control_age(j, "last_update", p->stats.last_update);
	control_age(j, "last_read", p->stats.last_read);
	control_last_error(j, p);
	json_obj_close(j);
}

/* show rib ---------------------------------------------------------- */

/*
 * transit-as, as `bgpctl show rib transit-as`: the AS appears anywhere
 * in the path (sets and confederation segments included) except in the
 * rightmost position, the origin. An origin that prepends itself thus
 * also counts as its own transit, as in OpenBGPD.
 */
static bool
control_transit(const uint8_t *canon, size_t len, uint32_t as)
{
	static const struct bgp_sess as4 = { .as4 = true };
	struct aspath_iter it;
	struct aspath_seg seg;
	struct attr_set a;
	struct verdict v;
	struct rbuf r;
	bool found = false, pending = false;
	unsigned int i;

	verdict_clear(&v);
	rbuf_init(&r, canon, len);
	if (attr_parse(&r, &as4, 0, &a, &v, NULL) == -1 ||
	    v.action != VERDICT_OK)
		return false;
	aspath_iter_init(&it, &a.path);
	while (aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++) {
			found = found || pending; /* an AS follows the match */
			pending = aspath_seg_asn(&seg, i) == as;
		}
	return found;
}

/* Decode what the filters and the line need from a set, once per fill. */
static void
control_rib_cache(struct control_rib *q, const struct rib_attr *a)
{
	q->cache = a;
	q->cache_json = false;
	q->cache_ok = attr_canon_summary(a->bytes, a->len, &q->sum) == 0;
	if (!q->cache_ok)
		log_warnx("control: attribute set %u does not decode", a->id);
	q->cache_transit =
	    q->has_transit && control_transit(a->bytes, a->len, q->transit_as);
}

static bool
control_rib_match(const struct control_rib *q)
{
	if (q->has_origin &&
	    !(q->cache_ok && q->sum.has_origin_as &&
	        q->sum.origin_as == q->origin_as))
		return false;
	if (q->has_transit && !q->cache_transit)
		return false;
	return true;
}

/* The "attributes" member, rendered once per set and fill. */
static void
control_rib_attrs(struct control_rib *q, struct json *j)
{
	struct json ja;

	if (!q->cache_json) {
		wbuf_reset(&q->attrs);
		json_init(&ja, &q->attrs);
		q->cache_json = q->cache_ok &&
		    attr_canon_json(
		        q->cache->bytes, q->cache->len, &ja, NULL) == 0 &&
		    json_finish(&ja) == 0;
	}
	if (q->cache_json)
		json_raw(j, "attributes", (const char *)wbuf_data(&q->attrs),
		    wbuf_len(&q->attrs));
	else
		json_null(j, "attributes");
}

static void
control_rib_summary(struct control_rib *q, struct json *j)
{
	const struct attr_summary *s = &q->sum;
	char buf[ADDR_STRLEN];

	if (q->cache_ok && s->has_origin_as)
		json_uint(j, "origin_as", s->origin_as);
	else
		json_null(j, "origin_as");
	if (q->cache_ok && s->has_upstream_as)
		json_uint(j, "upstream_as", s->upstream_as);
	else
		json_null(j, "upstream_as");
	/* RFC 2545 §3: of a global and a link-local next hop, the global. */
	if (q->cache_ok && (s->nhlen == 4 || s->nhlen >= 16))
		json_str(j, "next_hop",
		    addr_fmt(s->nhlen == 4 ? AFI_IPV4 : AFI_IPV6, s->nh, buf,
		        sizeof(buf)));
	else
		json_null(j, "next_hop");
}

/* One route as one line. */
static int
control_rib_route(void *arg, const struct rib_route *r)
{
	struct control_rib *q = arg;
	char pfx[PREFIX_STRLEN];
	struct json j;

	if (r->attr != q->cache)
		control_rib_cache(q, r->attr);
	if (!control_rib_match(q))
		return 0;
	wbuf_reset(&q->line);
	json_init(&j, &q->line);
	json_obj_open(&j, NULL);
	json_str(&j, "neighbor", q->peer);
	json_str(&j, "family", control_fam_names[q->fam]);
	json_str(&j, "prefix", prefix_fmt(&r->prefix, pfx, sizeof(pfx)));
	json_uint(&j, "path_id", r->path_id);
	json_bool(&j, "stale", r->stale);
	control_rib_summary(q, &j);
	control_rib_attrs(q, &j);
	json_obj_close(&j);
	wbuf_put_u8(&q->line, '\n');
	if (json_finish(&j) == 0 && !wbuf_error(&q->line) &&
	    evbuffer_add(q->out, wbuf_data(&q->line), wbuf_len(&q->line)) == 0)
		q->count++;
	return 0;
}

static struct peer *
control_peer_named(const char *name)
{
	struct peer *p;

	TAILQ_FOREACH(p, session_peers(), entry)
	if (strcmp(p->name, name) == 0)
		return p;
	return NULL;
}

bool
control_rib_fill(struct control_rib *q, struct evbuffer *out, size_t max)
{
	struct peer *p;
	size_t n;

	q->out = out;
	q->cache = NULL; /* sets may have been freed since the last fill */
	while (max > 0 && q->ipeer < q->npeers) {
		p = control_peer_named(q->peers[q->ipeer]);
		if (p == NULL || p->rib == NULL || q->fam >= FAM_COUNT) {
			q->ipeer++; /* gone by a reload, or finished */
			q->fam = 0;
			q->started = false;
			continue;
		}
		if (!(q->fams & (1u << q->fam))) {
			q->fam++;
			continue;
		}
		if (!q->started) {
			rib_cursor_init(&q->cur, rde_fam_afi(q->fam),
			    rde_fam_safi(q->fam), q->match, &q->filter);
			q->started = true;
		}
		q->peer = q->peers[q->ipeer];
		n = rib_cursor_next(p->rib, &q->cur, control_rib_route, q, max);
		max -= n < max ? n : max;
		if (q->cur.done) {
			q->fam++;
			q->started = false;
		}
	}
	q->out = NULL;
	q->cache = NULL;
	return q->ipeer >= q->npeers;
}

/* The families named by "family" as a mask; 0 when unknown. */
static uint32_t
control_family_mask(const char *name)
{
	int fam;

	if (strcmp(name, "ipv4-unicast") == 0)
		return 1u << FAM_IPV4_UNICAST;
	if (strcmp(name, "ipv6-unicast") == 0)
		return 1u << FAM_IPV6_UNICAST;
	for (fam = 0; fam < FAM_COUNT; fam++)
		if (strcmp(name, control_fam_names[fam]) == 0)
			return 1u << fam;
	return 0;
}

/* prefix, match and family. */
static int
control_rib_where(
    struct control_rib *q, const struct ctljson_val *args, char *err)
{
	const char *pfx = ctljson_str(ctljson_get(args, "prefix"));
	const char *match = ctljson_str(ctljson_get(args, "match"));
	const char *fam = ctljson_str(ctljson_get(args, "family"));

	q->fams = CONTROL_FAMS_ALL;
	if (fam != NULL && (q->fams = control_family_mask(fam)) == 0) {
		snprintf(err, CONTROL_ERRLEN, "unknown family %.64s", fam);
		return -1;
	}
	if (pfx == NULL) {
		if (match == NULL)
			return 0;
		snprintf(err, CONTROL_ERRLEN, "\"match\" needs a prefix");
		return -1;
	}
	if (prefix_parse(pfx, &q->filter) == -1) {
		snprintf(err, CONTROL_ERRLEN, "bad prefix %.64s", pfx);
		return -1;
	}
	q->fams &=
	    q->filter.afi == AFI_IPV4 ? CONTROL_FAMS_V4 : CONTROL_FAMS_V6;
	if (q->fams == 0) {
		snprintf(err, CONTROL_ERRLEN,
		    "prefix %.64s is not in family %s", pfx, fam);
		return -1;
	}
	if (match == NULL || strcmp(match, "exact") == 0)
		q->match = RIB_MATCH_EXACT;
	else if (strcmp(match, "or-longer") == 0)
		q->match = RIB_MATCH_OR_LONGER;
	else if (strcmp(match, "or-shorter") == 0)
		q->match = RIB_MATCH_OR_SHORTER;
	else {
		snprintf(err, CONTROL_ERRLEN, "unknown match %.64s", match);
		return -1;
	}
	return 0;
}

/* origin_as and transit_as. */
static int
control_rib_as(struct control_rib *q, const struct ctljson_val *args, char *err)
{
	const struct ctljson_val *o = ctljson_get(args, "origin_as");
	const struct ctljson_val *t = ctljson_get(args, "transit_as");
	uint64_t v;

	if (o != NULL) {
		if (ctljson_uint(o, UINT32_MAX, &v) == -1)
			goto bad;
		q->has_origin = true;
		q->origin_as = (uint32_t)v;
	}
	if (t != NULL) {
		if (ctljson_uint(t, UINT32_MAX, &v) == -1)
			goto bad;
		q->has_transit = true;
		q->transit_as = (uint32_t)v;
	}
	return 0;
bad:
	snprintf(err, CONTROL_ERRLEN,
	    "an AS number is an integer from 0 to 4294967295");
	return -1;
}

/* The neighbors to walk: the one named, or all of them now. */
static int
control_rib_peers(
    struct control_rib *q, const struct ctljson_val *args, char *err)
{
	const char *addr = ctljson_str(ctljson_get(args, "neighbor"));
	struct peer *p, *only = NULL;
	size_t n = 0;

	if (addr != NULL && (only = session_peer_find_str(addr)) == NULL) {
		snprintf(err, CONTROL_ERRLEN, "unknown neighbor %.64s", addr);
		return -1;
	}
	TAILQ_FOREACH(p, session_peers(), entry)
	n++;
	if ((q->peers = calloc(n + 1, sizeof(*q->peers))) == NULL)
		fatal("%s", __func__);
	TAILQ_FOREACH(p, session_peers(), entry)
	if (only == NULL || p == only)
		snprintf(
		    q->peers[q->npeers++], sizeof(q->peers[0]), "%s", p->name);
	return 0;
}

struct control_rib *
control_rib_new(const struct ctljson_val *args, char *err)
{
	struct control_rib *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		fatal("%s", __func__);
	q->match = RIB_MATCH_ALL;
	wbuf_init_dyn(&q->attrs, 0);
	wbuf_init_dyn(&q->line, 0);
	if (control_rib_where(q, args, err) == -1 ||
	    control_rib_as(q, args, err) == -1 ||
	    control_rib_peers(q, args, err) == -1) {
		control_rib_free(q);
		return NULL;
	}
	return q;
}

uint64_t
control_rib_count(const struct control_rib *q)
{
	return q->count;
}

void
control_rib_free(struct control_rib *q)
{
	if (q == NULL)
		return;
	wbuf_free(&q->attrs);
	wbuf_free(&q->line);
	free(q->peers);
	free(q);
}
