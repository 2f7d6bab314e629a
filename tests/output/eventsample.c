/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * eventsample: one stream with a line of every event family, on a fixed
 * clock and run id, for tests/output/test_schema.py (JSON Schema, golden
 * file tests/golden/events/sample.jsonl) and test_mapping.py. Watch events
 * come from the real engine: canonical attribute blobs with every
 * attribute the JSON knows, interned into a struct rib per peer whose
 * deltas feed lib/watch, a script of sessions, routes and clock ticks.
 *
 * usage: eventsample > sample.jsonl
 *
 * Public: main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "rib.h"
#include "watch.h"

#define T0 1506816000000LL /* 2017-10-01T00:00:00Z */
#define NPEER 3

struct sample {
	struct event_ctx ctx;
	struct wbuf line;
	struct rib_attrtab *tab;
	struct watch *w;
	struct rib *rib[NPEER];
	struct watch_peer *wp[NPEER];
	int64_t now;
};

struct sample_peer {
	struct sample *s;
	int i;
};

static struct sample_peer sample_peers[NPEER];

static const struct {
	uint8_t afi;
	uint8_t addr[16];
	uint32_t as;
	uint32_t id;
	const char *descr;
} peer_def[NPEER] = {
	{ AFI_IPV4, { 192, 0, 2, 1 }, 2914, 0xc0000201, "collector-ntt" },
	{ AFI_IPV4, { 192, 0, 2, 2 }, 1299, 0xc0000202, "collector \"telia\"" },
	{ AFI_IPV6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 3 }, 6939, 0xc0000203,
	    "he-v6" },
};

static void
sample_flush(struct sample *s)
{
	fwrite(wbuf_data(&s->line), 1, wbuf_len(&s->line), stdout);
	wbuf_reset(&s->line);
}

static void
sample_on_event(void *arg, const struct watch_event *ev)
{
	struct sample *s = arg;

	if (event_watch(&s->ctx, ev, &s->line) == 0) {
		fprintf(stderr, "eventsample: %s not written\n",
		    watch_action_name(ev->action));
		exit(1);
	}
	sample_flush(s);
}

static void
sample_on_delta(void *arg, const struct rib_delta *d)
{
	struct sample_peer *p = arg;

	watch_route_delta(p->s->w, p->s->wp[p->i], d, p->s->now);
}

/* Append one attribute (type, flags, value) to a canonical blob. */
static void
sample_blob_attr(
    struct wbuf *b, uint8_t flags, uint8_t type, const void *v, size_t len)
{
	wbuf_put_u8(b, len > 255 ? flags | ATTR_F_EXTLEN : flags);
	wbuf_put_u8(b, type);
	if (len > 255)
		wbuf_put_u16(b, (uint16_t)len);
	else
		wbuf_put_u8(b, (uint8_t)len);
	wbuf_put_bytes(b, v, len);
}

/* AS_PATH: the sequence path[0..n), then an AS_SET of set[0..m). */
static void
sample_blob_aspath(struct wbuf *b, const uint32_t *path, size_t n,
    const uint32_t *set, size_t m)
{
	struct wbuf v;
	size_t i;

	wbuf_init_dyn(&v, 0);
	wbuf_put_u8(&v, AS_SEQUENCE);
	wbuf_put_u8(&v, (uint8_t)n);
	for (i = 0; i < n; i++)
		wbuf_put_u32(&v, path[i]);
	if (m > 0) {
		wbuf_put_u8(&v, AS_SET);
		wbuf_put_u8(&v, (uint8_t)m);
		for (i = 0; i < m; i++)
			wbuf_put_u32(&v, set[i]);
	}
	sample_blob_attr(
	    b, ATTR_F_TRANSITIVE, ATTR_AS_PATH, wbuf_data(&v), wbuf_len(&v));
	wbuf_free(&v);
}

/*
 * The optional attributes every route carries here, in type order after
 * NEXT_HOP: MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES,
 * ORIGINATOR_ID, CLUSTER_LIST.
 */
static void
sample_blob_optional(struct wbuf *b)
{
	static const uint8_t med[] = { 0, 0, 0, 10 }, lp[] = { 0, 0, 0, 100 };
	static const uint8_t aggr[] = { 0, 2, 0x00, 0x21, 10, 0, 0, 1 };
	static const uint8_t comm[] = { 0x0b, 0x62, 0xc6, 0x70, 0xff, 0xff,
		0xff, 0x01 };
	static const uint8_t orig[] = { 10, 0, 0, 9 };
	static const uint8_t clist[] = { 10, 0, 0, 1, 10, 0, 0, 2 };

	sample_blob_attr(b, ATTR_F_OPTIONAL, ATTR_MED, med, 4);
	sample_blob_attr(b, ATTR_F_TRANSITIVE, ATTR_LOCAL_PREF, lp, 4);
	sample_blob_attr(b, ATTR_F_TRANSITIVE, ATTR_ATOMIC_AGGREGATE, NULL, 0);
	sample_blob_attr(b, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
	    ATTR_AGGREGATOR, aggr, sizeof(aggr));
	sample_blob_attr(b, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
	    ATTR_COMMUNITIES, comm, sizeof(comm));
	sample_blob_attr(b, ATTR_F_OPTIONAL, ATTR_ORIGINATOR_ID, orig, 4);
	sample_blob_attr(
	    b, ATTR_F_OPTIONAL, ATTR_CLUSTER_LIST, clist, sizeof(clist));
}

/*
 * The rest after MP_REACH: EXTENDED_COMMUNITIES (a route target and an
 * unknown type), LARGE_COMMUNITY, OTC, and an unknown transitive
 * attribute (type 99, kept with the Partial bit, RFC 4271 §5).
 */
static void
sample_blob_tail(struct wbuf *b, uint32_t otc)
{
	static const uint8_t ext[] = { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 42,
		0x47, 0x11, 1, 2, 3, 4, 5, 6 };
	static const uint8_t large[] = { 0, 0, 0x0b, 0x62, 0, 0, 0, 1, 0, 0, 0,
		2 };
	static const uint8_t unk[] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t o[4] = { otc >> 24, otc >> 16, otc >> 8, otc };

	sample_blob_attr(b, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
	    ATTR_EXT_COMMUNITIES, ext, sizeof(ext));
	sample_blob_attr(b, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
	    ATTR_LARGE_COMMUNITIES, large, sizeof(large));
	sample_blob_attr(
	    b, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, ATTR_OTC, o, 4);
	sample_blob_attr(b,
	    ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE | ATTR_F_PARTIAL, 99, unk,
	    sizeof(unk));
}

/* A canonical blob for peer i with path "peer-as path..." [+ AS_SET]. */
static struct rib_attr *
sample_blob_make(struct sample *s, int i, const uint32_t *path, size_t n,
    const uint32_t *set, size_t m)
{
	uint32_t full[16];
	uint8_t mp[5 + 32] = { 0, AFI_IPV6, SAFI_UNICAST, 32 };
	struct rib_attr *a;
	struct wbuf b;

	full[0] = peer_def[i].as;
	memcpy(full + 1, path, n * sizeof(*path));
	wbuf_init_dyn(&b, 0);
	sample_blob_attr(&b, ATTR_F_TRANSITIVE, ATTR_ORIGIN, "\0", 1);
	sample_blob_aspath(&b, full, n + 1, set, m);
	if (peer_def[i].afi == AFI_IPV4)
		sample_blob_attr(
		    &b, ATTR_F_TRANSITIVE, ATTR_NEXT_HOP, peer_def[i].addr, 4);
	sample_blob_optional(&b);
	if (peer_def[i].afi == AFI_IPV6) {
		memcpy(mp + 4, peer_def[i].addr, 16);
		mp[20] = 0xfe;
		mp[21] = 0x80;
		mp[35] = 3; /* fe80::3, the link-local next hop */
		sample_blob_attr(
		    &b, ATTR_F_OPTIONAL, ATTR_MP_REACH_NLRI, mp, sizeof(mp));
	}
	sample_blob_tail(&b, peer_def[i].as);
	if (wbuf_error(&b))
		exit(1);
	a = rib_attr_intern(s->tab, wbuf_data(&b), wbuf_len(&b));
	wbuf_free(&b);
	return a;
}

static void
sample_announce(struct sample *s, int i, const char *pfx, const uint32_t *path,
    size_t n, const uint32_t *set, size_t m)
{
	struct rib_attr *a = sample_blob_make(s, i, path, n, set, m);
	struct prefix p;

	if (prefix_parse(pfx, &p) == -1 ||
	    rib_update(s->rib[i], SAFI_UNICAST, &p, 0, a) == -1)
		exit(1);
	rib_attr_unref(s->tab, a);
}

static void
sample_withdraw(struct sample *s, int i, const char *pfx)
{
	struct prefix p;

	if (prefix_parse(pfx, &p) == -1)
		exit(1);
	(void)rib_withdraw(s->rib[i], SAFI_UNICAST, &p, 0, RIB_R_UPDATE);
}

/* Two watches: one or-longer learned, one exact with expectations. */
static void
sample_watches(struct sample *s)
{
	struct watch_conf wc[2];
	struct prefix p;
	const char *err = NULL;

	watch_conf_init(&wc[0], "star-jv");
	if (prefix_parse("175.45.176.0/22", &p) == -1 ||
	    watch_conf_add_prefix(&wc[0], &p, WATCH_MATCH_OR_LONGER) == -1)
		exit(1);
	wc[0].min_peers = 2;
	watch_conf_init(&wc[1], "docs-v6");
	if (prefix_parse("2001:db8:100::/48", &p) == -1 ||
	    watch_conf_add_prefix(&wc[1], &p, WATCH_MATCH_EXACT) == -1)
		exit(1);
	watch_conf_add_expect_upstream(&wc[1], 174);
	watch_conf_add_expect_origin(&wc[1], 64496);
	if (watch_reconf(s->w, wc, 2, s->now, &err) == -1) {
		fprintf(stderr, "eventsample: %s\n", err);
		exit(1);
	}
	watch_conf_free(&wc[0]);
	watch_conf_free(&wc[1]);
}

static void
sample_peers_up(struct sample *s)
{
	struct watch_peer_info info;
	int i;

	for (i = 0; i < NPEER; i++) {
		memset(&info, 0, sizeof(info));
		info.afi = peer_def[i].afi;
		memcpy(info.addr, peer_def[i].addr, 16);
		info.as = peer_def[i].as;
		info.bgp_id = peer_def[i].id;
		snprintf(
		    info.descr, sizeof(info.descr), "%s", peer_def[i].descr);
		s->rib[i] = rib_new(s->tab);
		sample_peers[i].s = s;
		sample_peers[i].i = i;
		rib_set_delta_cb(s->rib[i], sample_on_delta, &sample_peers[i]);
		s->wp[i] = watch_peer_add(s->w, &info, s->rib[i]);
		watch_peer_up(s->w, s->wp[i],
		    1u << (i < 2 ? FAM_IPV4_UNICAST : FAM_IPV6_UNICAST),
		    s->now);
	}
}

static void
sample_at(struct sample *s, int64_t seconds)
{
	s->now = T0 + seconds * 1000;
	watch_tick(s->w, s->now);
}

/* The watch script: every route event and alert the engine has. */
static void
sample_routes(struct sample *s)
{
	static const uint32_t cu[] = { 4837, 131279 },
	                      ttk[] = { 20485, 131279 };
	static const uint32_t cu_set[] = { 4837 }, set[] = { 65001, 131279 };
	static const uint32_t bad[] = { 4837, 666 }, he[] = { 174, 64496 };
	static const uint32_t lvl3[] = { 3356, 64496 }, hij[] = { 174, 64511 };
	static const uint8_t taw[] = { 0x40, 0x02, 0x03, 0x02, 0x05, 0x00 };
	struct prefix p;

	sample_announce(s, 0, "175.45.176.0/24", cu, 2, NULL, 0);
	sample_announce(s, 0, "175.45.178.0/24", cu, 2, NULL, 0);
	sample_announce(s, 1, "175.45.176.0/24", cu, 2, NULL, 0);
	sample_announce(s, 1, "175.45.178.0/24", cu, 2, NULL, 0);
	sample_announce(s, 2, "2001:db8:100::/48", he, 2, NULL, 0);
	sample_at(s, 1);
	watch_peer_synced(s->w, s->wp[0], AFI_IPV4, SAFI_UNICAST, s->now);
	watch_peer_synced(s->w, s->wp[1], AFI_IPV4, SAFI_UNICAST, s->now);
	watch_peer_synced(s->w, s->wp[2], AFI_IPV6, SAFI_UNICAST, s->now);
	sample_at(s, 200);
	sample_announce(s, 0, "175.45.178.0/24", ttk, 2, NULL, 0);
	sample_at(s, 260);
	sample_announce(s, 0, "175.45.178.0/24", cu, 2, NULL, 0);
	sample_at(s, 900);
	sample_announce(s, 1, "175.45.178.0/24", cu_set, 1, set, 2);
	sample_at(s, 1000);
	sample_announce(s, 0, "175.45.177.128/25", bad, 2, NULL, 0);
	sample_at(s, 1100);
	sample_withdraw(s, 0, "175.45.176.0/24");
	sample_withdraw(s, 1, "175.45.176.0/24");
	sample_at(s, 1200);
	sample_announce(s, 1, "175.45.176.0/24", cu, 2, NULL, 0);
	sample_announce(s, 0, "175.45.176.0/24", cu, 2, NULL, 0);
	sample_at(s, 1300);
	sample_announce(s, 2, "2001:db8:100::/48", lvl3, 2, NULL, 0);
	sample_at(s, 1400);
	if (prefix_parse("175.45.176.0/24", &p) == -1)
		exit(1);
	watch_treat_as_withdraw(s->w, s->wp[0], SAFI_UNICAST, &p, 0, taw,
	    sizeof(taw), "AS_PATH segment overruns the attribute", s->now);
	(void)rib_withdraw(
	    s->rib[0], SAFI_UNICAST, &p, 0, RIB_R_TREAT_AS_WITHDRAW);
	sample_at(s, 2000);
	sample_announce(s, 2, "2001:db8:100::/48", hij, 2, NULL, 0);
	sample_at(s, 2600);
}

static void
sample_check(uint64_t seq, const char *what)
{
	if (seq == 0) {
		fprintf(stderr, "eventsample: %s not written\n", what);
		exit(1);
	}
}

/* The OPEN a BIRD with everything on would send. */
static void
sample_open(struct open_msg *o)
{
	static const uint8_t unk[] = { 1, 2 };

	memset(o, 0, sizeof(*o));
	o->version = 4;
	o->my_as = BGP_AS_TRANS;
	o->holdtime = 240;
	o->bgp_id = 0xc0000201;
	o->has_as4 = true;
	o->as4 = 4200000001u;
	o->n_mp = 2;
	o->mp[0] = (struct open_family){ AFI_IPV4, SAFI_UNICAST, 0 };
	o->mp[1] = (struct open_family){ AFI_IPV6, SAFI_UNICAST, 0 };
	o->route_refresh = o->enhanced_rr = o->ext_msg = true;
	o->has_addpath = true;
	o->n_addpath = 2;
	o->addpath[0] = (struct open_family){ AFI_IPV4, SAFI_UNICAST, 3 };
	o->addpath[1] = (struct open_family){ AFI_IPV6, SAFI_UNICAST, 2 };
	o->has_gr = true;
	o->gr_time = 120;
	o->n_gr = 1;
	o->gr[0] = (struct open_family){ AFI_IPV4, SAFI_UNICAST, 0x80 };
	o->has_extnh = true;
	o->has_role = true;
	o->role = 2;
	o->has_fqdn = true;
	o->hostname = (const uint8_t *)"bird1";
	o->hostname_len = 5;
	o->domainname = (const uint8_t *)"lab.example";
	o->domainname_len = 11;
	o->n_unknown = 1;
	o->unknown[0].code = 200;
	o->unknown[0].len = 2;
	o->unknown[0].val = unk;
}

static void
sample_sessions(struct sample *s)
{
	struct event_session_established up;
	struct event_session_closed down;
	struct event_peer_stats st;
	struct open_msg o;
	const struct event_peer peer = { "192.0.2.1", 4200000001u, "192.0.2.1",
		"bird1" };

	sample_open(&o);
	memset(&up, 0, sizeof(up));
	up.time = T0 + 3000000;
	up.peer = peer;
	up.previous_state = "OpenConfirm";
	up.open = &o;
	up.hold_time = 90;
	up.keepalive = 30;
	up.families = 1u << FAM_IPV4_UNICAST | 1u << FAM_IPV6_UNICAST;
	up.addpath_rx = 1u << FAM_IPV4_UNICAST | 1u << FAM_IPV6_UNICAST;
	up.as4 = up.ext_msg = up.route_refresh = up.enhanced_rr = true;
	up.graceful_restart = true;
	up.local_ip = "192.0.2.254";
	up.local_port = 179;
	up.remote_port = 50123;
	sample_check(event_session_established(&s->ctx, &up, &s->line),
	    "session-established");
	memset(&down, 0, sizeof(down));
	down.time = T0 + 3600000;
	down.peer = peer;
	down.state = "Idle";
	down.previous_state = "Established";
	down.fsm_event = "HoldTimer_Expires";
	down.reason = "hold timer expired";
	down.notification = down.sent = true;
	down.code = BGP_ERR_HOLD;
	down.uptime = 600;
	down.stale_kept = true;
	down.routes = 912345;
	sample_check(
	    event_session_closed(&s->ctx, &down, &s->line), "session-closed");
	memset(&st, 0, sizeof(st));
	st.time = T0 + 3660000;
	st.peer = peer;
	st.state = "Established";
	st.state_age = 60;
	st.prefixes_ipv4 = 912345;
	st.prefixes_ipv6 = 201234;
	st.updates = 123456;
	st.announced = 1200000;
	st.withdrawn = 98765;
	st.treat_as_withdraw = 2;
	st.attr_discard = 1;
	st.established = 3;
	st.last_update_age = 4;
	st.interval = 300;
	sample_check(event_peer_stats(&s->ctx, &st, &s->line), "peer-stats");
	sample_flush(s);
}

static void
sample_collector(struct sample *s)
{
	struct event_collector c = { T0 - 5000, "/etc/bgpwatch.conf", 65000,
		"198.18.0.1", 7, 2, 2, 4242 };
	struct event_reload ok = { T0 + 4000000, "/etc/bgpwatch.conf", true,
		NULL, 8, 1, 0, 0, 2 };
	struct event_reload bad = { T0 + 4100000, "/etc/bgpwatch.conf", false,
		"/etc/bgpwatch.conf:20: hold-time 2: must be 0 or 3..65535", 8,
		0, 0, 0, 2 };
	struct event_output_gap gap = { T0 + 4200000,
		"tls:logstash.lab.example:5044", "tls", "spool-full", 1042,
		20001, 21042, T0 + 4190000, T0 + 4199999 };

	sample_check(event_collector_started(&s->ctx, &c, &s->line),
	    "collector-started");
	sample_flush(s);
	sample_watches(s);
	sample_peers_up(s);
	sample_routes(s);
	sample_sessions(s);
	sample_check(
	    event_config_reloaded(&s->ctx, &ok, &s->line), "config-reloaded");
	sample_check(
	    event_config_reloaded(&s->ctx, &bad, &s->line), "config-reloaded");
	sample_check(event_output_gap(&s->ctx, &gap, &s->line), "output-gap");
	sample_flush(s);
}

int
main(void)
{
	struct sample s;
	int i;

	memset(&s, 0, sizeof(s));
	event_ctx_init(
	    &s.ctx, "lab-collector", "0.1.0", T0 - 5000, 0x5a5a5a5a5a5aULL);
	wbuf_init_dyn(&s.line, 0);
	s.now = T0;
	s.tab = rib_attrtab_new();
	s.w = watch_new(NULL, sample_on_event, &s);
	sample_collector(&s);
	watch_free(s.w);
	for (i = 0; i < NPEER; i++)
		rib_free(s.rib[i]);
	rib_attrtab_free(s.tab);
	wbuf_free(&s.line);
	return fflush(stdout) == 0 ? 0 : 1;
}
