/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/wtrie.c and lib/watch*.c: the prefix trie against a
 * brute-force model, AS path extraction with truncation, and the
 * detection rules as a table of scenarios: each a configuration, a script
 * of sessions, routes (through real struct rib instances) and clock
 * ticks, and the exact alerts it must raise, in order.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch.h"
#include "wtrie.h"

/* Checks in loops stay quiet unless they fail (see check_rib.c). */
#define T(c)                                                                   \
	do {                                                                   \
		if (!(c))                                                      \
			ck_abort_msg("failed: %s", #c);                        \
	} while (0)
#define T_EQ(a, b)                                                             \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			ck_abort_msg(                                          \
			    "failed: %s == %s (%lld, %lld)", #a, #b, a_, b_);  \
	} while (0)

#define BASE_S 1506800000LL /* 2017-09-30T19:33:20Z: the test clock origin */
#define NPEER 4

static struct prefix
pfx(const char *s)
{
	struct prefix p;

	ck_assert_msg(prefix_parse(s, &p) == 0, "bad prefix %s", s);
	return p;
}

/*
 * Canonical attribute blobs as update_attrs_canon() makes them: ORIGIN
 * IGP, AS_PATH with 4-octet AS numbers ("1 2 {3,4}": a sequence then a
 * set), then NEXT_HOP (IPv4) or MP_REACH_NLRI with the next hop (IPv6).
 */
static size_t
blob_make(uint8_t *b, size_t size, const char *path, uint8_t afi)
{
	uint8_t seg[512];
	size_t n = 0, s = 0, cnt = 0, hdr = 0;
	const char *p = path;
	char *end;
	unsigned long as;
	int inset = 0;

	while (*p != '\0') {
		if (*p == ' ' || *p == ',') {
			p++;
			continue;
		}
		if (*p == '{' || *p == '}') {
			inset = *p == '{';
			cnt = 0;
			p++;
			continue;
		}
		as = strtoul(p, &end, 10);
		T(end != p);
		p = end;
		if (cnt == 0) {
			hdr = s;
			seg[s++] = inset ? 1 : 2;
			seg[s++] = 0;
		}
		seg[hdr + 1] = (uint8_t)++cnt;
		seg[s++] = (uint8_t)(as >> 24);
		seg[s++] = (uint8_t)(as >> 16);
		seg[s++] = (uint8_t)(as >> 8);
		seg[s++] = (uint8_t)as;
	}
	T(s < 256 && size > s + 48);
	b[n++] = 0x40, b[n++] = 1, b[n++] = 1, b[n++] = 0;
	b[n++] = 0x40, b[n++] = 2, b[n++] = (uint8_t)s;
	memcpy(b + n, seg, s);
	n += s;
	if (afi == AFI_IPV4) {
		static const uint8_t nh[] = { 0x40, 3, 4, 192, 0, 2, 1 };

		memcpy(b + n, nh, sizeof(nh));
		return n + sizeof(nh);
	}
	static const uint8_t mp[] = { 0x80, 14, 21, 0, 2, 1, 16, 0x20, 0x01,
		0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	memcpy(b + n, mp, sizeof(mp));
	return n + sizeof(mp);
}

/* The trie. */

static const struct {
	const char *stored[8];
	const char *query;
	const char *want[8]; /* matches, shortest first */
} trievec[] = {
	{ { "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24" }, "10.1.2.0/24",
	    { "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24" } },
	{ { "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24" }, "10.1.3.0/24",
	    { "10.0.0.0/8", "10.1.0.0/16" } },
	{ { "10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8" }, "10.2.0.0/16",
	    { "10.0.0.0/8" } },
	{ { "10.1.2.0/24" }, "10.1.0.0/16", { NULL } },
	{ { "0.0.0.0/0", "192.0.2.0/25", "192.0.2.128/25" }, "192.0.2.200/32",
	    { "0.0.0.0/0", "192.0.2.128/25" } },
	{ { "192.0.2.0/25", "192.0.2.128/25" }, "192.0.2.0/24", { NULL } },
	{ { "175.45.176.0/22" }, "175.45.179.0/24", { "175.45.176.0/22" } },
	{ { "175.45.176.0/22" }, "175.45.180.0/24", { NULL } },
	{ { "2001:db8::/32", "2001:db8:1::/48", "10.0.0.0/8" },
	    "2001:db8:1:2::/64", { "2001:db8::/32", "2001:db8:1::/48" } },
	{ { "2001:db8::/32", "::/0" }, "2001:db9::/32", { "::/0" } },
	{ { "2001:db8::/32" }, "10.0.0.0/8", { NULL } },
	{ { "::/0", "0.0.0.0/0" }, "2001:db8::1/128", { "::/0" } },
	{ { "2001:db8::/127", "2001:db8::1/128" }, "2001:db8::1/128",
	    { "2001:db8::/127", "2001:db8::1/128" } },
};

START_TEST(test_trie_vectors)
{
	struct wtrie t;
	struct prefix p[8], q;
	void *vals[WTRIE_MAXMATCH], **slot;
	size_t i, n, k;

	wtrie_init(&t);
	for (n = 0; n < 8 && trievec[_i].stored[n] != NULL; n++) {
		p[n] = pfx(trievec[_i].stored[n]);
		slot = wtrie_insert(&t, &p[n]);
		T(*slot == NULL);
		*slot = &p[n];
	}
	for (i = 0; i < n; i++) {
		T(wtrie_get(&t, &p[i]) == &p[i]);
		T(*wtrie_insert(&t, &p[i]) == &p[i]); /* no duplicate */
	}
	T_EQ(wtrie_count(&t), n);
	q = pfx(trievec[_i].query);
	k = wtrie_match(&t, &q, vals, WTRIE_MAXMATCH);
	for (i = 0; i < 8 && trievec[_i].want[i] != NULL; i++) {
		struct prefix w = pfx(trievec[_i].want[i]);

		T(i < k);
		T(prefix_cmp(vals[i], &w) == 0);
	}
	T_EQ(k, i);
	wtrie_free(&t, NULL);
	T_EQ(t.nodes, 0);
}
END_TEST

static uint32_t rnd_state = 12345;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A random prefix of afi, clustered so that nesting is common. */
static struct prefix
rnd_prefix(uint8_t afi)
{
	struct prefix p;
	unsigned i;

	memset(&p, 0, sizeof(p));
	p.afi = afi;
	for (i = 0; i < 16; i++)
		p.addr[i] = (uint8_t)(rnd() & (i < 2 ? 0x3 : 0xff));
	p.len = (uint8_t)(afi == AFI_IPV4 ? 8 + rnd() % 25 : 16 + rnd() % 113);
	prefix_mask(&p);
	return p;
}

static int
walk_check(void *arg, const struct prefix *p, void *val)
{
	struct prefix *last = arg;

	T(prefix_cmp(p, val) == 0);
	T(last->afi == 0 || prefix_cmp(last, p) < 0);
	*last = *p;
	return 0;
}

/* Many prefixes: every lookup equals a brute-force scan. */
START_TEST(test_trie_model)
{
	enum { N = 20000, Q = 20000 };
	uint8_t afi = _i == 0 ? AFI_IPV4 : AFI_IPV6;
	struct prefix *p = calloc(N, sizeof(*p)), q, last;
	void *vals[WTRIE_MAXMATCH], **slot;
	struct wtrie t;
	size_t i, k, n, distinct = 0;

	T(p != NULL);
	wtrie_init(&t);
	for (i = 0; i < N; i++) {
		p[i] = rnd_prefix(afi);
		slot = wtrie_insert(&t, &p[i]);
		if (*slot == NULL) {
			*slot = &p[i];
			distinct++;
		}
	}
	T_EQ(wtrie_count(&t), distinct);
	for (i = 0; i < Q; i++) {
		q = i % 2 ? rnd_prefix(afi) : p[rnd() % N];
		k = wtrie_match(&t, &q, vals, WTRIE_MAXMATCH);
		for (n = 0; n < k; n++) {
			T(prefix_contains(vals[n], &q));
			T(n == 0 ||
			    ((struct prefix *)vals[n - 1])->len <
			        ((struct prefix *)vals[n])->len);
			T(wtrie_get(&t, vals[n]) == vals[n]);
		}
		/* Every stored prefix covering q was found. */
		for (n = 0; n < N; n++)
			if (prefix_contains(&p[n], &q)) {
				void *v = wtrie_get(&t, &p[n]);
				size_t m;

				for (m = 0; m < k && vals[m] != v; m++)
					;
				T(m < k);
			}
		if (i > 200)
			i += 99; /* the full scans are slow: sample */
	}
	memset(&last, 0, sizeof(last));
	T_EQ(wtrie_walk(&t, afi, walk_check, &last), distinct);
	T(wtrie_mem(&t) > 0);
	wtrie_free(&t, NULL);
	free(p);
}
END_TEST

/* AS path extraction, and every truncation of a blob failing cleanly. */
START_TEST(test_aspath_truncation)
{
	static const char *paths[] = { "64500 4837 131279", "1 2 {3,4}", "",
		"65001 65001 65001 7" };
	uint8_t b[256], *cut;
	uint32_t as[16], want[16];
	size_t len, n, i, nwant, pathend;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		len = blob_make(
		    b, sizeof(b), paths[i], i % 2 ? AFI_IPV6 : AFI_IPV4);
		nwant = watch_attr_aspath(b, len, want, 16);
		pathend = 4 + 3 + b[6];
		for (n = 0; n <= len; n++) {
			cut =
			    malloc(n + 1); /* exact size: ASan sees overreads */
			T(cut != NULL);
			memcpy(cut, b, n);
			if (n < pathend)
				T_EQ(watch_attr_aspath(cut, n, as, 16), 0);
			else {
				T_EQ(watch_attr_aspath(cut, n, as, 16), nwant);
				T(memcmp(as, want, nwant * 4) == 0);
			}
			free(cut);
		}
	}
	len = blob_make(b, sizeof(b), "64500 4837 131279", AFI_IPV4);
	T_EQ(watch_attr_aspath(b, len, as, 2), 3); /* count beyond max */
	T_EQ(as[0], 64500);
	T_EQ(as[1], 4837);
}
END_TEST

/*
 * The scenario harness: peers 192.0.2.(i+1) AS 64500+i, each with its own
 * struct rib whose deltas go to watch_route_delta(); alerts and a few
 * events are recorded as one compact line each, stamped with the seconds
 * since BASE_S.
 */

struct hpeer {
	struct harness *h;
	int i;
	struct rib *rib;
	struct watch_peer *wp;
};

struct harness {
	struct rib_attrtab *tab;
	struct watch *w;
	struct hpeer peer[NPEER];
	int64_t now;
	char lines[64][160];
	size_t nlines;
	size_t routes; /* route-announced/-replaced/-withdrawn events */
	size_t events;
	struct wbuf json;
	watch_event_cb tap; /* also sees every event, if set */
	void *taparg;
};

static void
h_set(char *buf, size_t size, const struct watch_asset *s, bool unknown)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n; i++)
		n += (size_t)snprintf(
		    buf + n, size - n, "%s%u", i > 0 ? "," : "", s->as[i]);
	if (unknown)
		snprintf(buf + n, size - n, "%s?", n > 0 ? "," : "");
	if (buf[0] == '\0')
		snprintf(buf, size, "-");
}

/* Every event must format: a balanced JSON document and a message. */
static void
h_format(struct harness *h, const struct watch_event *ev)
{
	struct json j;
	struct wbuf msg;

	wbuf_reset(&h->json);
	json_init(&j, &h->json);
	json_obj_open(&j, NULL);
	json_str(&j, "action", watch_action_name(ev->action));
	json_obj_open(&j, "bgpwatch");
	watch_peer_json(ev->peer, &j);
	watch_event_json(ev, &j);
	json_obj_close(&j);
	json_obj_close(&j);
	T(json_finish(&j) == 0);
	wbuf_init_dyn(&msg, 0);
	watch_event_message(ev, &msg);
	T(wbuf_len(&msg) > 10 && !wbuf_error(&msg));
	wbuf_free(&msg);
}

static void
h_line(struct harness *h, const struct watch_event *ev)
{
	char p[PREFIX_STRLEN], a[128], b[128], *l;
	long long t = ev->time / 1000 - BASE_S;
	int n;

	T(h->nlines < 64);
	l = h->lines[h->nlines++];
	prefix_fmt(&ev->route.prefix, p, sizeof(p));
	n = snprintf(l, 160, "t=%lld %s %s ", t,
	    ev->watch.name != NULL ? ev->watch.name : "-",
	    watch_action_name(ev->action));
	switch (ev->action) {
	case WATCH_UPSTREAM_ADDED:
	case WATCH_UPSTREAM_REMOVED:
	case WATCH_EXPECTED_UPSTREAM_MISSING:
		h_set(a, sizeof(a), &ev->upstreams.current, false);
		n += snprintf(l + n, 160 - (size_t)n, "%s as=%u now=%s", p,
		    ev->upstreams.as, a);
		if (ev->upstreams.flapping)
			snprintf(l + n, 160 - (size_t)n, " flapping=%u",
			    ev->upstreams.flaps);
		break;
	case WATCH_ORIGIN_CHANGED:
		h_set(a, sizeof(a), &ev->origins.previous,
		    ev->origins.previous_unknown);
		h_set(b, sizeof(b), &ev->origins.current,
		    ev->origins.current_unknown);
		snprintf(l + n, 160 - (size_t)n, "%s %s>%s %s", p, a, b,
		    watch_severity_name(ev->severity));
		break;
	case WATCH_MORE_SPECIFIC_SEEN:
		h_set(a, sizeof(a), &ev->origins.current, false);
		prefix_fmt(&ev->watch.prefix, b, sizeof(b));
		snprintf(
		    l + n, 160 - (size_t)n, "%s of %s origins=%s", p, b, a);
		break;
	case WATCH_VISIBILITY_LOST:
	case WATCH_VISIBILITY_RESTORED:
		snprintf(l + n, 160 - (size_t)n, "%s %u/%u %s", p,
		    ev->visibility.peers, ev->visibility.min_peers,
		    watch_severity_name(ev->severity));
		break;
	case WATCH_BASELINE_LEARNED:
		h_set(a, sizeof(a), &ev->upstreams.baseline, false);
		snprintf(l + n, 160 - (size_t)n, "%s=%s visible=%llu/%llu %s",
		    ev->upstreams.baseline_source, a,
		    (unsigned long long)ev->visibility.visible,
		    (unsigned long long)ev->visibility.prefixes, ev->reason);
		break;
	case WATCH_ROUTE_TREAT_AS_WITHDRAW:
		T(ev->taw.len < 40);
		for (size_t i = 0; i < ev->taw.len; i++)
			snprintf(a + 2 * i, 3, "%02x", ev->taw.attr[i]);
		a[2 * ev->taw.len] = '\0';
		snprintf(l + n, 160 - (size_t)n, "%s attr=%s prev=%s", p, a,
		    ev->route.prev != NULL ? "yes" : "no");
		break;
	default: /* rib-synced */
		snprintf(l + n, 160 - (size_t)n, "%s %s %s", ev->peer->ip,
		    afi_name(ev->sync.afi), ev->sync.trigger);
		break;
	}
}

static void
h_event(void *arg, const struct watch_event *ev)
{
	struct harness *h = arg;

	h->events++;
	h_format(h, ev);
	if (h->tap != NULL)
		h->tap(h->taparg, ev);
	switch (ev->action) {
	case WATCH_ROUTE_ANNOUNCED:
	case WATCH_ROUTE_REPLACED:
	case WATCH_ROUTE_WITHDRAWN:
		T(ev->peer != NULL && ev->has_route && ev->route.has_path_id);
		h->routes++;
		return;
	case WATCH_RIB_SYNCED:
		if (strcmp(ev->sync.trigger, "timeout") != 0)
			return;
		break;
	default:
		break;
	}
	h_line(h, ev);
}

static void
h_delta(void *arg, const struct rib_delta *d)
{
	struct hpeer *hp = arg;

	watch_route_delta(hp->h->w, hp->wp, d, hp->h->now);
}

/*
 * Parse a test configuration: watches separated by '|', each "name:"
 * then ';'-separated bgpwatch.conf lines.
 */
static size_t
h_conf(const char *text, struct watch_conf *c, size_t max)
{
	char buf[1024], *w, *line, *sw, *sl, *name;
	struct prefix p;
	uint8_t addr[16], afi;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, "|", &sw); w != NULL;
	     w = strtok_r(NULL, "|", &sw)) {
		T(n < max);
		name = w + strspn(w, " ");
		line = strchr(name, ':');
		T(line != NULL);
		*line++ = '\0';
		watch_conf_init(&c[n], name);
		for (line = strtok_r(line, ";", &sl); line != NULL;
		     line = strtok_r(NULL, ";", &sl)) {
			char k1[32] = "", k2[64] = "", k3[32] = "";

			sscanf(line, "%31s %63s %31s", k1, k2, k3);
			if (strcmp(k1, "prefix") == 0) {
				T(prefix_parse(k2, &p) == 0);
				T(watch_conf_add_prefix(&c[n], &p,
				      strcmp(k3, "exact") == 0
				          ? WATCH_MATCH_EXACT
				          : WATCH_MATCH_OR_LONGER) == 0);
			} else if (strcmp(k1, "origin-as") == 0)
				watch_conf_add_origin_as(
				    &c[n], (uint32_t)strtoul(k2, NULL, 10));
			else if (strcmp(k1, "expect") == 0 &&
			    strcmp(k2, "origin") == 0)
				watch_conf_add_expect_origin(
				    &c[n], (uint32_t)strtoul(k3, NULL, 10));
			else if (strcmp(k1, "expect") == 0)
				watch_conf_add_expect_upstream(
				    &c[n], (uint32_t)strtoul(k3, NULL, 10));
			else if (strcmp(k1, "hold-down") == 0)
				c[n].hold_down =
				    (uint32_t)strtoul(k2, NULL, 10);
			else if (strcmp(k1, "min-peers") == 0)
				c[n].min_peers =
				    (uint32_t)strtoul(k2, NULL, 10);
			else if (strcmp(k1, "ignore") == 0) {
				T(addr_parse(k3, &afi, addr) == 0);
				watch_conf_add_ignore(&c[n], afi, addr);
			} else
				ck_abort_msg("bad test config line %s", line);
		}
		n++;
	}
	return n;
}

static void
h_reconf(struct harness *h, const char *text)
{
	struct watch_conf c[8];
	const char *err = NULL;
	size_t i, n = h_conf(text, c, 8);

	ck_assert_msg(watch_reconf(h->w, c, n, h->now, &err) == 0, "%s", err);
	for (i = 0; i < n; i++)
		watch_conf_free(&c[i]);
}

static void
h_init(struct harness *h, const char *conf, const struct watch_params *pp)
{
	memset(h, 0, sizeof(*h));
	h->tab = rib_attrtab_new();
	h->w = watch_new(pp, h_event, h);
	h->now = BASE_S * 1000;
	wbuf_init_dyn(&h->json, 0);
	h_reconf(h, conf);
}

/* Peer i, registered with the engine on first use. */
static struct hpeer *
h_peer(struct harness *h, int i)
{
	struct hpeer *hp = &h->peer[i];
	struct watch_peer_info info;

	if (hp->wp != NULL)
		return hp;
	memset(&info, 0, sizeof(info));
	T(addr_parse(i == 0 ? "192.0.2.1"
	          : i == 1  ? "192.0.2.2"
	          : i == 2  ? "192.0.2.3"
	                    : "2001:db8::4",
	      &info.afi, info.addr) == 0);
	info.as = 64500 + (uint32_t)i;
	info.bgp_id = 0xc0000201 + (uint32_t)i;
	snprintf(info.descr, sizeof(info.descr), "peer%d", i);
	hp->h = h;
	hp->i = i;
	hp->rib = rib_new(h->tab);
	rib_set_delta_cb(hp->rib, h_delta, hp);
	hp->wp = watch_peer_add(h->w, &info, hp->rib);
	T(strcmp(watch_peer_info(hp->wp)->bgp_id_str,
	      i == 0       ? "192.0.2.1"
	          : i == 1 ? "192.0.2.2"
	          : i == 2 ? "192.0.2.3"
	                   : "192.0.2.4") == 0);
	return hp;
}

static void
h_free(struct harness *h)
{
	int i;

	watch_free(h->w);
	for (i = 0; i < NPEER; i++)
		rib_free(h->peer[i].rib);
	rib_attrtab_free(h->tab);
	wbuf_free(&h->json);
}

static void
h_ann(
    struct harness *h, int i, const char *prefix, const char *path, uint32_t id)
{
	struct prefix p = pfx(prefix);
	struct rib_attr *a;
	uint8_t b[300];

	a = rib_attr_intern(h->tab, b, blob_make(b, sizeof(b), path, p.afi));
	T(rib_update(h_peer(h, i)->rib, SAFI_UNICAST, &p, id, a) >= 0);
	rib_attr_unref(h->tab, a);
}

enum sop {
	S_END,
	S_REG, /* register the peer only */
	S_UP, /* a: "4", "6" or "46" */
	S_EOR, /* a: "4" or "6" */
	S_DOWN, /* watch_peer_down(), then the flush */
	S_FLUSH, /* the flush only (session-down deltas) */
	S_GR, /* graceful restart: down, routes kept stale */
	S_FLUSHSTALE, /* End-of-RIB after restart: stale flush + synced */
	S_ANN, /* a prefix, b path, id path id */
	S_WDR,
	S_TAW,
	S_TICK,
	S_RECONF, /* a: configuration */
	S_DEL, /* flush and forget the peer */
};

struct sstep {
	enum sop op;
	int t; /* seconds since BASE_S */
	int peer;
	const char *a;
	const char *b;
	uint32_t id;
};

static void
h_step(struct harness *h, const struct sstep *s)
{
	static const uint8_t bad[] = { 0xc0, 0x08, 0x03, 1, 2, 3 };
	struct hpeer *hp = NULL;
	struct prefix p;

	h->now = (BASE_S + s->t) * 1000;
	watch_tick(h->w, h->now);
	if (s->op != S_TICK && s->op != S_END && s->op != S_RECONF)
		hp = h_peer(h, s->peer);
	switch (s->op) {
	case S_REG:
	case S_TICK:
	case S_END:
		break;
	case S_UP:
		watch_peer_up(h->w, hp->wp,
		    (strchr(s->a, '4') ? 1u << FAM_IPV4_UNICAST : 0) |
		        (strchr(s->a, '6') ? 1u << FAM_IPV6_UNICAST : 0),
		    h->now);
		break;
	case S_EOR:
		watch_peer_synced(h->w, hp->wp,
		    s->a[0] == '6' ? AFI_IPV6 : AFI_IPV4, SAFI_UNICAST, h->now);
		break;
	case S_DOWN:
		watch_peer_down(h->w, hp->wp, h->now);
		rib_flush(hp->rib, RIB_R_SESSION_DOWN);
		break;
	case S_FLUSH:
		rib_flush(hp->rib, RIB_R_SESSION_DOWN);
		break;
	case S_GR:
		watch_peer_down(h->w, hp->wp, h->now);
		rib_mark_stale(hp->rib, AFI_IPV4, SAFI_UNICAST);
		break;
	case S_FLUSHSTALE:
		rib_flush_stale(hp->rib, AFI_IPV4, SAFI_UNICAST);
		watch_peer_synced(h->w, hp->wp, AFI_IPV4, SAFI_UNICAST, h->now);
		break;
	case S_ANN:
		h_ann(h, s->peer, s->a, s->b, s->id);
		break;
	case S_WDR:
		p = pfx(s->a);
		T(rib_withdraw(
		      hp->rib, SAFI_UNICAST, &p, s->id, RIB_R_UPDATE) >= 0);
		break;
	case S_TAW:
		p = pfx(s->a);
		watch_treat_as_withdraw(h->w, hp->wp, SAFI_UNICAST, &p, s->id,
		    bad, sizeof(bad), "RFC 7606 §7.8: COMMUNITIES length",
		    h->now);
		T(rib_withdraw(hp->rib, SAFI_UNICAST, &p, s->id,
		      RIB_R_TREAT_AS_WITHDRAW) >= 0);
		break;
	case S_RECONF:
		h_reconf(h, s->a);
		break;
	case S_DEL:
		rib_flush(hp->rib, RIB_R_SESSION_DOWN);
		watch_peer_del(h->w, hp->wp, h->now);
		hp->wp = NULL;
		rib_free(hp->rib);
		hp->rib = NULL;
		break;
	}
}

#define REG(t, p)                                                              \
	{                                                                      \
		S_REG, t, p, NULL, NULL, 0                                     \
	}
#define UP(t, p)                                                               \
	{                                                                      \
		S_UP, t, p, "4", NULL, 0                                       \
	}
#define UP46(t, p)                                                             \
	{                                                                      \
		S_UP, t, p, "46", NULL, 0                                      \
	}
#define EOR(t, p)                                                              \
	{                                                                      \
		S_EOR, t, p, "4", NULL, 0                                      \
	}
#define EOR6(t, p)                                                             \
	{                                                                      \
		S_EOR, t, p, "6", NULL, 0                                      \
	}
#define ANN(t, p, x, path)                                                     \
	{                                                                      \
		S_ANN, t, p, x, path, 0                                        \
	}
#define ANNID(t, p, x, path, id)                                               \
	{                                                                      \
		S_ANN, t, p, x, path, id                                       \
	}
#define WDR(t, p, x)                                                           \
	{                                                                      \
		S_WDR, t, p, x, NULL, 0                                        \
	}
#define WDRID(t, p, x, id)                                                     \
	{                                                                      \
		S_WDR, t, p, x, NULL, id                                       \
	}
#define TAW(t, p, x)                                                           \
	{                                                                      \
		S_TAW, t, p, x, NULL, 0                                        \
	}
#define DOWN(t, p)                                                             \
	{                                                                      \
		S_DOWN, t, p, NULL, NULL, 0                                    \
	}
#define FLUSH(t, p)                                                            \
	{                                                                      \
		S_FLUSH, t, p, NULL, NULL, 0                                   \
	}
#define GR(t, p)                                                               \
	{                                                                      \
		S_GR, t, p, NULL, NULL, 0                                      \
	}
#define FLUSHSTALE(t, p)                                                       \
	{                                                                      \
		S_FLUSHSTALE, t, p, NULL, NULL, 0                              \
	}
#define DEL(t, p)                                                              \
	{                                                                      \
		S_DEL, t, p, NULL, NULL, 0                                     \
	}
#define TICK(t)                                                                \
	{                                                                      \
		S_TICK, t, 0, NULL, NULL, 0                                    \
	}
#define RECONF(t, c)                                                           \
	{                                                                      \
		S_RECONF, t, 0, c, NULL, 0                                     \
	}

#define P1 "10.0.1.0/24"
#define P2 "10.0.2.0/24"
#define OR16 "w: prefix 10.0.0.0/16 or-longer; hold-down 60"

static const struct {
	const char *name;
	const char *conf;
	struct sstep s[24];
	const char *want[12];
	long routes; /* route events expected, -1: not checked */
} svec[] = {
	{ "learned baseline, upstream added, removed after hold-down", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0),
	        ANN(10, 0, P1, "9 200 65000"), TICK(100) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w upstream-added 10.0.1.0/24 as=200 now=200",
	        "t=70 w upstream-removed 10.0.1.0/24 as=100 now=200" },
	    2 },
	{ "flaps within the hold-down: one alert, then a marker", OR16,
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 100 65000"), EOR(1, 0), EOR(1, 1),
	        ANN(10, 1, P1, "8 200 65000"), ANN(20, 1, P1, "8 100 65000"),
	        ANN(30, 1, P1, "8 200 65000"), ANN(40, 1, P1, "8 100 65000"),
	        ANN(50, 1, P1, "8 200 65000"), ANN(60, 1, P1, "8 100 65000"),
	        TICK(200), ANN(300, 1, P1, "8 200 65000") },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w upstream-added 10.0.1.0/24 as=200 now=100,200",
	        "t=120 w upstream-removed 10.0.1.0/24 as=200 now=100 "
	        "flapping=2",
	        "t=300 w upstream-added 10.0.1.0/24 as=200 now=100,200" },
	    9 },
	{ "nothing is alerted during the initial transfer", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"),
	        ANN(5, 0, P1, "9 200 65000"), WDR(6, 0, P1),
	        ANN(7, 0, P1, "9 300 65000"), ANN(7, 0, P2, "9 300 65001"),
	        EOR(8, 0) },
	    { "t=8 w baseline-learned learned=300 visible=2/2 "
	      "all-peers-synced" },
	    5 },
	{ "a later peer's transfer is judged at its End-of-RIB", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0), UP(10, 1),
	        ANN(11, 1, P1, "8 200 65000"), EOR(12, 1) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=12 w upstream-added 10.0.1.0/24 as=200 now=100,200" },
	    2 },
	{ "ignore neighbor",
	    "w: prefix 10.0.0.0/16 or-longer; ignore neighbor 192.0.2.2",
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 666 65000"), EOR(1, 0), EOR(1, 1),
	        ANN(10, 1, P1, "8 667 666"), WDR(20, 1, P1) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 "
	      "all-peers-synced" },
	    1 },
	{ "min-peers: visibility lost and restored",
	    "w: prefix 10.0.1.0/24 exact; min-peers 2",
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 100 65000"), EOR(1, 0), EOR(1, 1),
	        WDR(10, 1, P1), ANN(20, 1, P1, "8 100 65000") },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w visibility-lost 10.0.1.0/24 1/2 warning",
	        "t=20 w visibility-restored 10.0.1.0/24 2/2 info" },
	    4 },
	{ "outage: upstreams freeze, no removal, no flap",
	    "w: prefix 10.0.1.0/24 exact; hold-down 60",
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0), WDR(10, 0, P1),
	        TICK(100), ANN(200, 0, P1, "9 100 65000"), TICK(400) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w visibility-lost 10.0.1.0/24 0/1 error",
	        "t=200 w visibility-restored 10.0.1.0/24 1/1 info" },
	    3 },
	{ "outage ends on another upstream",
	    "w: prefix 10.0.1.0/24 exact; hold-down 60",
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0), WDR(10, 0, P1),
	        ANN(200, 0, P1, "9 200 65000"), TICK(400) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w visibility-lost 10.0.1.0/24 0/1 error",
	        "t=200 w visibility-restored 10.0.1.0/24 1/1 info",
	        "t=200 w upstream-added 10.0.1.0/24 as=200 now=200",
	        "t=260 w upstream-removed 10.0.1.0/24 as=100 now=200" },
	    3 },
	{ "MOAS appears and resolves", OR16,
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 100 65000"), EOR(1, 0), EOR(1, 1),
	        ANN(10, 1, P1, "8 101 65001"), ANN(20, 0, P1, "9 101 65001"),
	        TICK(100) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w origin-changed 10.0.1.0/24 65000>65000,65001 warning",
	        "t=10 w upstream-added 10.0.1.0/24 as=101 now=100,101",
	        "t=20 w origin-changed 10.0.1.0/24 65000,65001>65001 warning",
	        "t=80 w upstream-removed 10.0.1.0/24 as=100 now=101" },
	    4 },
	{ "expect origin: an unexpected origin is an error",
	    "w: prefix 10.0.1.0/24 exact; expect origin 65000",
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 100 65000"), EOR(1, 0), EOR(1, 1),
	        ANN(10, 1, P1, "8 100 666") },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w origin-changed 10.0.1.0/24 65000>666,65000 error" },
	    3 },
	{ "AS_SET tail: origin and upstream unknown", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0),
	        ANN(10, 0, P1, "9 100 {65000,65001}"), TICK(100) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w origin-changed 10.0.1.0/24 65000>? warning",
	        "t=70 w upstream-removed 10.0.1.0/24 as=100 now=-" },
	    2 },
	{ "more-specific seen after arming only",
	    "w: prefix 10.0.0.0/16 or-longer; prefix 10.1.0.0/24 exact",
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 0, "10.0.2.0/25", "9 100 65000"), EOR(1, 0),
	        ANN(10, 0, "10.0.3.0/25", "9 100 666"),
	        ANN(20, 0, "10.1.0.0/25", "9 100 65000"),
	        ANN(30, 0, "10.0.0.0/16", "9 100 65000") },
	    { "t=1 w baseline-learned learned=100 visible=2/3 all-peers-synced",
	        "t=10 w more-specific-seen 10.0.3.0/25 of 10.0.0.0/16 "
	        "origins=666" },
	    4 },
	{ "origin-as learns prefixes and sees their origin change",
	    "w: origin-as 65000",
	    { UP(0, 0), UP(0, 1), ANN(0, 0, "10.9.0.0/24", "9 100 65000"),
	        ANN(0, 1, "10.9.0.0/24", "8 100 65000"),
	        ANN(0, 0, "10.8.0.0/24", "9 100 777"), EOR(1, 0), EOR(1, 1),
	        ANN(10, 1, "10.9.0.0/24", "8 100 666"),
	        ANN(20, 0, "10.8.0.0/24", "9 200 777"),
	        ANN(30, 0, "10.7.0.0/24", "9 100 65000") },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w origin-changed 10.9.0.0/24 65000>666,65000 warning" },
	    4 },
	{ "a collector session reset raises nothing", OR16,
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 200 65000"), EOR(1, 0), EOR(1, 1),
	        FLUSH(10, 1), UP(20, 1), ANN(20, 1, P1, "8 200 65000"),
	        EOR(25, 1), DOWN(30, 0), UP(40, 0),
	        ANN(41, 0, P1, "9 100 65000"), EOR(42, 0), TICK(900) },
	    { "t=1 w baseline-learned learned=100,200 visible=1/1 "
	      "all-peers-synced" },
	    6 },
	{ "a peer gone for good is judged after its grace", OR16,
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P2, "8 200 65000"), EOR(1, 0), EOR(1, 1), DOWN(10, 1),
	        TICK(400) },
	    { "t=1 w baseline-learned learned=100,200 visible=2/2 "
	      "all-peers-synced",
	        "t=310 w visibility-lost 10.0.2.0/24 0/1 error" },
	    3 },
	{ "transfer fallback without End-of-RIB", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"),
	        ANN(5, 0, P2, "9 100 65000"), TICK(100) },
	    { "t=65 - rib-synced 192.0.2.1 ipv4 timeout",
	        "t=65 w baseline-learned learned=100 visible=2/2 "
	        "all-peers-synced" },
	    2 },
	{ "arm-wait for a neighbor that never comes up", OR16,
	    { REG(0, 1), UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0),
	        ANN(10, 0, P1, "9 200 65000"), TICK(200) },
	    { "t=120 w baseline-learned learned=200 visible=1/1 "
	      "arm-wait-expired" },
	    2 },
	{ "configured baseline: violations at arming, expected missing",
	    "w: prefix 10.0.0.0/16 or-longer; expect upstream 100; "
	    "hold-down 60",
	    { UP(0, 0), ANN(0, 0, P1, "9 200 65000"),
	        ANN(0, 0, P2, "9 100 65000"), EOR(1, 0),
	        ANN(100, 0, P1, "9 100 65000"), TICK(300) },
	    { "t=1 w baseline-learned configured=100 visible=2/2 "
	      "all-peers-synced",
	        "t=1 w upstream-added 10.0.1.0/24 as=200 now=200",
	        "t=61 w expected-upstream-missing 10.0.1.0/24 as=100 now=200",
	        "t=100 w upstream-added 10.0.1.0/24 as=100 now=100",
	        "t=160 w upstream-removed 10.0.1.0/24 as=200 now=100" },
	    3 },
	{ "reload: a new watch adopts the routes, a kept one its state",
	    "a: prefix 10.0.0.0/16 or-longer; hold-down 60",
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P1, "8 100 65000"), EOR(1, 0), EOR(1, 1),
	        ANN(10, 1, P1, "8 200 65000"), ANN(20, 1, P1, "8 100 65000"),
	        RECONF(30,
	            "a: prefix 10.0.0.0/16 or-longer; hold-down 60 | b: "
	            "prefix 10.0.1.0/24 exact; hold-down 60"),
	        ANN(40, 1, P1, "8 200 65000"), ANN(50, 1, P1, "8 100 65000"),
	        TICK(200) },
	    { "t=1 a baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 a upstream-added 10.0.1.0/24 as=200 now=100,200",
	        "t=30 b baseline-learned learned=100 visible=1/1 reconfigured",
	        "t=40 b upstream-added 10.0.1.0/24 as=200 now=100,200",
	        "t=110 b upstream-removed 10.0.1.0/24 as=200 now=100",
	        "t=110 a upstream-removed 10.0.1.0/24 as=200 now=100 "
	        "flapping=1" },
	    8 },
	{ "reload: a changed watch is rebuilt without alerts", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0),
	        RECONF(10, OR16 "; expect upstream 200"), TICK(100) },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w baseline-learned configured=200 visible=1/1 "
	        "reconfigured",
	        "t=70 w expected-upstream-missing 10.0.1.0/24 as=200 now=100" },
	    1 },
	{ "treat-as-withdraw carries the attribute", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"), EOR(1, 0), TAW(10, 0, P1),
	        TAW(11, 0, P2), TAW(12, 0, "10.1.0.0/24") },
	    { "t=1 w baseline-learned learned=100 visible=1/1 all-peers-synced",
	        "t=10 w route-treat-as-withdraw 10.0.1.0/24 attr=c00803010203 "
	        "prev=yes",
	        "t=10 w visibility-lost 10.0.1.0/24 0/1 error",
	        "t=11 w route-treat-as-withdraw 10.0.2.0/24 attr=c00803010203 "
	        "prev=no" },
	    2 },
	{ "IPv6 with ADD-PATH",
	    "w: prefix 2001:db8::/32 or-longer; hold-down 60",
	    { UP46(0, 0), ANNID(0, 0, "2001:db8:1::/48", "9 100 65000", 1),
	        ANNID(0, 0, "2001:db8:1::/48", "9 200 65000", 2), EOR(1, 0),
	        EOR6(2, 0), WDRID(10, 0, "2001:db8:1::/48", 2), TICK(100) },
	    { "t=2 w baseline-learned learned=100,200 visible=1/1 "
	      "all-peers-synced",
	        "t=70 w upstream-removed 2001:db8:1::/48 as=200 now=100" },
	    3 },
	{ "graceful restart: a route not refreshed is judged at sync", OR16,
	    { UP(0, 0), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 0, P2, "9 100 65000"), EOR(1, 0), GR(10, 0), UP(20, 0),
	        ANN(21, 0, P1, "9 100 65000"), FLUSHSTALE(22, 0) },
	    { "t=1 w baseline-learned learned=100 visible=2/2 all-peers-synced",
	        "t=22 w visibility-lost 10.0.2.0/24 0/1 error" },
	    3 },
	{ "reload: an origin-as watch learns its prefixes from the RIBs",
	    "a: prefix 192.0.2.0/24 exact",
	    { UP(0, 0), ANN(0, 0, "10.9.0.0/24", "9 100 65000"),
	        ANN(0, 0, "10.8.0.0/24", "9 100 777"), EOR(1, 0),
	        RECONF(10, "a: prefix 192.0.2.0/24 exact | o: origin-as 65000"),
	        UP(20, 1), ANN(20, 1, "10.9.0.0/24", "8 100 666"),
	        ANN(20, 1, "10.8.0.0/24", "8 100 666"), EOR(21, 1) },
	    { "t=1 a baseline-learned learned=- visible=0/1 all-peers-synced",
	        "t=10 o baseline-learned learned=100 visible=1/1 "
	        "reconfigured",
	        "t=21 o origin-changed 10.9.0.0/24 65000>666,65000 warning" },
	    1 },
	{ "removing a peer is silent", OR16,
	    { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
	        ANN(0, 1, P2, "8 200 65000"), EOR(1, 0), EOR(1, 1), DEL(10, 1),
	        TICK(900) },
	    { "t=1 w baseline-learned learned=100,200 visible=2/2 "
	      "all-peers-synced" },
	    3 },
};

START_TEST(test_scenarios)
{
	struct harness h;
	const struct sstep *s;
	size_t i, n;

	h_init(&h, svec[_i].conf, NULL);
	for (s = svec[_i].s;
	     s < svec[_i].s + 24 && (s == svec[_i].s || s->op != S_END); s++)
		h_step(&h, s);
	for (n = 0; n < 12 && svec[_i].want[n] != NULL; n++)
		;
	for (i = 0; i < h.nlines || i < n; i++)
		ck_assert_msg(i < h.nlines && i < n &&
		        strcmp(h.lines[i], svec[_i].want[i]) == 0,
		    "%s: line %zu: got \"%s\", want \"%s\"", svec[_i].name, i,
		    i < h.nlines ? h.lines[i] : "(none)",
		    i < n ? svec[_i].want[i] : "(none)");
	if (svec[_i].routes >= 0)
		ck_assert_msg(h.routes == (size_t)svec[_i].routes,
		    "%s: %zu route events, want %ld", svec[_i].name, h.routes,
		    svec[_i].routes);
	h_free(&h);
}
END_TEST

/* The DESIGN.md example event, field by field. */

struct capture {
	struct wbuf json;
	struct wbuf msg;
	enum watch_action action;
	struct prefix prefix;
	int hits;
};

static void
cap_event(void *arg, const struct watch_event *ev)
{
	struct capture *c = arg;
	struct json j;

	if (ev->action != c->action ||
	    prefix_cmp(&ev->route.prefix, &c->prefix) != 0)
		return;
	c->hits++;
	wbuf_reset(&c->json);
	wbuf_reset(&c->msg);
	json_init(&j, &c->json);
	json_obj_open(&j, NULL);
	watch_peer_json(ev->peer, &j);
	watch_event_json(ev, &j);
	json_obj_close(&j);
	T(json_finish(&j) == 0);
	wbuf_put_u8(&c->json, 0);
	watch_event_message(ev, &c->msg);
	wbuf_put_u8(&c->msg, 0);
	T_EQ(ev->kind, WATCH_KIND_ALERT);
	T_EQ(ev->severity, WATCH_SEV_WARNING);
}

START_TEST(test_example_event)
{
	static const char *route =
	    "\"route\":{\"prefix\":\"175.45.178.0/24\",\"afi\":\"ipv4\","
	    "\"path_id\":0,\"next_hop\":\"192.0.2.1\",\"as_path\":[64500,"
	    "20485,131279],\"origin_as\":131279,\"origin_as_set\":false,"
	    "\"upstream_as\":20485,\"previous\":{\"next_hop\":\"192.0.2.1\","
	    "\"as_path\":[64500,4837,131279],\"origin_as\":131279,"
	    "\"origin_as_set\":false,\"upstream_as\":4837}}";
	static const char *watchobj =
	    "\"watch\":{\"name\":\"star-jv\",\"prefix\":\"175.45.176.0/22\","
	    "\"match\":\"or-longer\"}";
	static const char *ups =
	    "\"upstreams\":{\"baseline\":[4837],\"current\":[4837,20485],"
	    "\"added\":[20485],\"removed\":[],\"share\":[{\"as\":4837,"
	    "\"ratio\":0.4,\"routes\":2},{\"as\":20485,\"ratio\":0.6,"
	    "\"routes\":3}],\"as\":20485,\"flapping\":false,\"flaps\":0,"
	    "\"flapping_upstreams\":[],\"baseline_source\":\"learned\","
	    "\"hold_down\":300}";
	static const char *peer =
	    "\"peer\":{\"ip\":\"192.0.2.1\",\"as\":64500,\"bgp_id\":"
	    "\"192.0.2.1\",\"description\":\"peer0\"}";
	struct sstep s[] = { UP(0, 0), UP(0, 1),
		ANN(0, 0, "175.45.176.0/24", "64500 4837 131279"),
		ANN(0, 0, "175.45.177.0/24", "64500 4837 131279"),
		ANN(0, 0, "175.45.178.0/24", "64500 4837 131279"),
		ANN(0, 0, "175.45.179.0/24", "64500 4837 131279"),
		ANN(0, 1, "175.45.178.0/24", "64501 4837 131279"), EOR(0, 0),
		EOR(0, 1), ANN(5, 0, "175.45.176.0/24", "64500 20485 131279"),
		ANN(6, 0, "175.45.179.0/24", "64500 20485 131279"),
		ANN(7, 0, "175.45.178.0/24", "64500 20485 131279") };
	struct capture c;
	struct harness h;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.action = WATCH_UPSTREAM_ADDED;
	c.prefix = pfx("175.45.178.0/24");
	wbuf_init_dyn(&c.json, 0);
	wbuf_init_dyn(&c.msg, 0);
	h_init(&h, "star-jv: prefix 175.45.176.0/22 or-longer", NULL);
	h.tap = cap_event;
	h.taparg = &c;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		h_step(&h, &s[i]);
	T_EQ(c.hits, 1);
	T_EQ(h.nlines, 4); /* baseline and three upstream-added */
	ck_assert_msg(
	    strstr((char *)c.json.buf, route) != NULL, "%s", c.json.buf);
	ck_assert_msg(
	    strstr((char *)c.json.buf, watchobj) != NULL, "%s", c.json.buf);
	ck_assert_msg(
	    strstr((char *)c.json.buf, ups) != NULL, "%s", c.json.buf);
	ck_assert_msg(
	    strstr((char *)c.json.buf, peer) != NULL, "%s", c.json.buf);
	ck_assert_str_eq((char *)c.msg.buf,
	    "AS131279 gained upstream AS20485 on 175.45.178.0/24; upstreams "
	    "now 4837,20485");
	h_free(&h);
	wbuf_free(&c.json);
	wbuf_free(&c.msg);
}
END_TEST

/* Why a route went: the reason of route-withdrawn, per RIB reason. */
static const struct {
	enum rib_reason reason;
	const char *name;
} whyvec[] = {
	{ RIB_R_UPDATE, "update" },
	{ RIB_R_TREAT_AS_WITHDRAW, "treat-as-withdraw" },
	{ RIB_R_SESSION_DOWN, "session-down" },
	{ RIB_R_MAX_PREFIX, "max-prefix" },
	{ RIB_R_AFI_SAFI_DISABLE, "afi-safi-disable" },
	{ RIB_R_STALE_FLUSH, "stale-flush" },
};

struct why_capture {
	char reason[32];
	char route[512];
	int withdrawn;
};

static void
why_event(void *arg, const struct watch_event *ev)
{
	struct why_capture *c = arg;
	struct wbuf b;
	struct json j;

	if (ev->action == WATCH_ROUTE_ANNOUNCED) {
		wbuf_init_fixed(&b, c->route, sizeof(c->route) - 1);
		json_init(&j, &b);
		json_obj_open(&j, NULL);
		watch_event_json(ev, &j);
		json_obj_close(&j);
		T(json_finish(&j) == 0);
		c->route[wbuf_len(&b)] = '\0';
	}
	if (ev->action != WATCH_ROUTE_WITHDRAWN)
		return;
	c->withdrawn++;
	snprintf(c->reason, sizeof(c->reason), "%s", ev->reason);
	T(ev->route.attr == NULL && ev->route.prev != NULL);
}

START_TEST(test_withdraw_reasons)
{
	struct why_capture c;
	struct harness h;
	struct hpeer *hp;
	struct prefix p = pfx(P1);

	memset(&c, 0, sizeof(c));
	h_init(&h, OR16, NULL);
	h.tap = why_event;
	h.taparg = &c;
	hp = h_peer(&h, 0);
	watch_peer_up(h.w, hp->wp, 0, h.now);
	/* An AS_SET tail: origin and upstream null, flagged. */
	h_ann(&h, 0, P1, "9 100 {65000,65001}", 0);
	ck_assert_msg(strstr(c.route,
	                  "\"as_path\":[9,100,65000,65001],"
	                  "\"origin_as\":null,\"origin_as_set\":"
	                  "true,\"upstream_as\":null,") != NULL,
	    "%s", c.route);
	switch (whyvec[_i].reason) {
	case RIB_R_UPDATE:
	case RIB_R_TREAT_AS_WITHDRAW:
		T(rib_withdraw(hp->rib, SAFI_UNICAST, &p, 0,
		      whyvec[_i].reason) == RIB_WITHDRAWN);
		break;
	case RIB_R_AFI_SAFI_DISABLE:
		T(rib_flush_family(
		      hp->rib, AFI_IPV4, SAFI_UNICAST, whyvec[_i].reason) == 1);
		break;
	case RIB_R_STALE_FLUSH:
		T(rib_mark_stale(hp->rib, AFI_IPV4, SAFI_UNICAST) == 1);
		T(rib_flush_stale(hp->rib, AFI_IPV4, SAFI_UNICAST) == 1);
		break;
	default:
		T(rib_flush(hp->rib, whyvec[_i].reason) == 1);
		break;
	}
	T_EQ(c.withdrawn, 1);
	ck_assert_str_eq(c.reason, whyvec[_i].name);
	h_free(&h);
}
END_TEST

/* The message of a route event shows the path as text, long ones cut. */
static void
msg_event(void *arg, const struct watch_event *ev)
{
	struct wbuf *m = arg;

	if (ev->action != WATCH_ROUTE_ANNOUNCED)
		return;
	wbuf_reset(m);
	watch_event_message(ev, m);
	wbuf_put_u8(m, 0);
}

START_TEST(test_message_path)
{
	char path[1024], *s;
	const char *msg, *ell;
	struct harness h;
	struct wbuf m;
	size_t n = 0;
	int i;

	wbuf_init_dyn(&m, 0);
	h_init(&h, OR16, NULL);
	h.tap = msg_event;
	h.taparg = &m;
	watch_peer_up(h.w, h_peer(&h, 0)->wp, 0, h.now);
	h_ann(&h, 0, P1, "9 100 {65000,65001}", 0);
	msg = (const char *)wbuf_data(&m);
	ck_assert_msg(strstr(msg, "with AS path 9 100 {65000,65001} (watch w)"),
	    "%s", msg);
	/* 60 ASes of 10 digits: 659 octets of text, cut at 400. */
	for (i = 0; i < 60; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "%s%u",
		    i > 0 ? " " : "", 4200000000u + (unsigned)i);
	h_ann(&h, 0, P2, path, 0);
	msg = (const char *)wbuf_data(&m);
	s = strstr(msg, "with AS path ");
	ell = strstr(msg, " ... (watch w)");
	ck_assert_msg(s != NULL && ell != NULL, "%s", msg);
	s += strlen("with AS path ");
	T((size_t)(ell - s) <= 400 && (size_t)(ell - s) > 380);
	/* Whole AS numbers only: the cut is at a space. */
	T((size_t)(ell - s) % 11 == 10);
	T(strncmp(s, path, (size_t)(ell - s)) == 0);
	h_free(&h);
	wbuf_free(&m);
}
END_TEST

/* rib-synced counts the routes of its own family's transfer. */
struct sync_capture {
	uint64_t routes[2]; /* by the family of the event: IPv4, IPv6 */
	int n;
};

static void
sync_event(void *arg, const struct watch_event *ev)
{
	struct sync_capture *c = arg;

	if (ev->action != WATCH_RIB_SYNCED)
		return;
	c->routes[ev->sync.afi == AFI_IPV6] = ev->sync.routes;
	c->n++;
}

START_TEST(test_sync_routes)
{
	struct sync_capture c;
	struct harness h;
	struct hpeer *hp;

	memset(&c, 0, sizeof(c));
	h_init(&h,
	    "w: prefix 10.0.0.0/8 or-longer|v6: prefix 2001:db8::/32 "
	    "or-longer",
	    NULL);
	h.tap = sync_event;
	h.taparg = &c;
	hp = h_peer(&h, 0);
	watch_peer_up(h.w, hp->wp,
	    1u << FAM_IPV4_UNICAST | 1u << FAM_IPV6_UNICAST, h.now);
	h_ann(&h, 0, P1, "9 100 65000", 0);
	h_ann(&h, 0, P2, "9 100 65000", 0);
	h_ann(&h, 0, "192.0.2.0/24", "9 100 65000", 0); /* not watched */
	h_ann(&h, 0, "2001:db8:1::/48", "9 100 65000", 0);
	watch_peer_synced(h.w, hp->wp, AFI_IPV6, SAFI_UNICAST, h.now);
	watch_peer_synced(h.w, hp->wp, AFI_IPV4, SAFI_UNICAST, h.now);
	T_EQ(c.n, 2);
	T_EQ(c.routes[0], 3);
	T_EQ(c.routes[1], 1);
	h_free(&h);
}
END_TEST

/* show watch: JSON objects and the table. */
START_TEST(test_show)
{
	struct sstep s[] = { UP(0, 0), UP(0, 1), ANN(0, 0, P1, "9 100 65000"),
		ANN(0, 1, P1, "8 100 65000"), ANN(0, 0, P2, "9 100 65000"),
		EOR(1, 0), EOR(1, 1), ANN(10, 1, P1, "8 200 65000"),
		ANN(20, 1, P1, "8 100 65000"), ANN(30, 1, P1, "8 200 65000"),
		ANN(40, 1, P1, "8 100 65000") };
	struct harness h;
	struct wbuf out;
	struct json j;
	struct watch_stats st;
	char *txt;
	size_t i;

	h_init(&h, OR16 " | x: prefix 192.0.2.0/24 exact", NULL);
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		h_step(&h, &s[i]);
	wbuf_init_dyn(&out, 0);
	json_init(&j, &out);
	json_arr_open(&j, NULL);
	T_EQ(watch_show_json(h.w, NULL, false, &j), 2);
	T_EQ(watch_show_json(h.w, "w", true, &j), 1);
	T_EQ(watch_show_json(h.w, "nope", true, &j), 0);
	json_arr_close(&j);
	T(json_finish(&j) == 0);
	wbuf_put_u8(&out, 0);
	txt = (char *)out.buf;
	T(strstr(txt, "{\"name\":\"w\",\"armed\":true,") == txt + 1);
	T(strstr(txt,
	      "\"baseline\":{\"source\":\"learned\",\"upstreams\":[100]}") !=
	    NULL);
	T(strstr(txt,
	      "\"upstreams\":[{\"as\":100,\"routes\":3,\"ratio\":1.0000,"
	      "\"in_baseline\":true,") != NULL);
	T(strstr(txt,
	      "{\"as\":200,\"routes\":0,\"ratio\":0.0000,"
	      "\"in_baseline\":false,") != NULL);
	T(strstr(txt,
	      "\"prefix_states\":[{\"prefix\":\"10.0.1.0/24\",\"line\":"
	      "\"10.0.0.0/16\",\"match\":\"or-longer\",\"peers\":2,"
	      "\"routes\":2,\"visibility\":\"up\",\"origins\":[65000]") !=
	    NULL);
	ck_assert_msg(
	    strstr(txt,
	        "{\"as\":200,\"state\":\"hold-down\","
	        "\"flapping\":true,\"flaps\":1,"
	        "\"last_flap\":\"2017-09-30T19:33:50.000Z\","
	        "\"hold_until\":\"2017-09-30T19:35:00.000Z\"") != NULL,
	    "%s", txt);
	T(strstr(txt, "\"name\":\"x\",\"armed\":true") != NULL);
	wbuf_reset(&out);
	T_EQ(watch_show_text(h.w, "w", true, &out), 1);
	wbuf_put_u8(&out, 0);
	txt = (char *)out.buf;
	ck_assert_msg(strstr(txt,
	                  "watch w: armed 2017-09-30T19:33:21.000Z, "
	                  "baseline learned 100\n") == txt,
	    "%s", txt);
	T(strstr(txt,
	      "  10.0.1.0/24                  2 up       65000 "
	      "100,200~*1\n") != NULL);
	T(strstr(txt,
	      "  10.0.2.0/24                  1 up       65000 100\n") != NULL);
	watch_stats(h.w, &st);
	T_EQ(st.watches, 2);
	T_EQ(st.peers, 2);
	T_EQ(st.prefixes, 3); /* two of w, the exact one of x */
	T_EQ(st.routes, 3);
	T_EQ(st.holddowns, 1);
	wbuf_free(&out);
	h_free(&h);
}
END_TEST

/*
 * A full table's worth of unwatched routes: no state, no event, no trie
 * growth; only the watched ones are looked at.
 */
START_TEST(test_unwatched)
{
	struct harness h;
	struct watch_stats st0, st;
	struct rib_attr *a;
	struct prefix p;
	uint8_t b[64];
	struct hpeer *hp;
	uint32_t i;

	h_init(&h,
	    "w: prefix 175.45.176.0/22 or-longer | v: prefix "
	    "2001:db8::/32 or-longer",
	    NULL);
	hp = h_peer(&h, 0);
	watch_peer_up(h.w, hp->wp, 0, h.now);
	watch_stats(h.w, &st0);
	a = rib_attr_intern(
	    h.tab, b, blob_make(b, sizeof(b), "9 100 65000", AFI_IPV4));
	memset(&p, 0, sizeof(p));
	p.afi = AFI_IPV4;
	p.len = 24;
	for (i = 0; i < 200000; i++) {
		p.addr[0] = (uint8_t)(1 + i % 170); /* never 175 */
		p.addr[1] = (uint8_t)(i >> 8);
		p.addr[2] = (uint8_t)i;
		T(rib_update(hp->rib, SAFI_UNICAST, &p, 0, a) >= 0);
	}
	rib_attr_unref(h.tab, a);
	watch_stats(h.w, &st);
	T_EQ(st.deltas, 200000);
	T_EQ(st.matched, 0);
	T_EQ(st.prefixes, st0.prefixes);
	T_EQ(st.trie_nodes, st0.trie_nodes);
	T_EQ(st.mem, st0.mem);
	T_EQ(h.events, 0);
	h_ann(&h, 0, "175.45.178.0/24", "9 100 131279", 0);
	watch_stats(h.w, &st);
	T_EQ(st.matched, 1);
	T_EQ(st.prefixes, 1);
	T_EQ(h.routes, 1);
	h_free(&h);
}
END_TEST

/* Configuration helpers, comparison and the reload checks. */
START_TEST(test_conf)
{
	struct watch_conf a, b, bad[2];
	struct prefix p = pfx("10.0.0.0/8"), q = pfx("2001:db8::/32");
	struct watch *w = watch_new(NULL, NULL, NULL);
	const char *err = NULL;
	uint8_t addr[16] = { 192, 0, 2, 9 };

	watch_conf_init(&a, "star-jv");
	watch_conf_init(&b, "star-jv");
	T_EQ(a.hold_down, 300);
	T_EQ(a.min_peers, 1);
	T(watch_conf_add_prefix(&a, &p, WATCH_MATCH_OR_LONGER) == 0);
	T(watch_conf_add_prefix(&a, &q, WATCH_MATCH_EXACT) == 0);
	T(watch_conf_add_prefix(&a, &p, WATCH_MATCH_ORIGIN_AS) == -1);
	watch_conf_add_expect_upstream(&a, 20485);
	watch_conf_add_expect_upstream(&a, 4837);
	watch_conf_add_ignore(&a, AFI_IPV4, addr);
	/* b: the same lines in another order, with duplicates. */
	T(watch_conf_add_prefix(&b, &q, WATCH_MATCH_EXACT) == 0);
	T(watch_conf_add_prefix(&b, &p, WATCH_MATCH_EXACT) == 0);
	T(watch_conf_add_prefix(&b, &p, WATCH_MATCH_OR_LONGER) == 0);
	watch_conf_add_expect_upstream(&b, 4837);
	watch_conf_add_expect_upstream(&b, 20485);
	watch_conf_add_expect_upstream(&b, 4837);
	watch_conf_add_ignore(&b, AFI_IPV4, addr);
	T(watch_conf_equal(&a, &b));
	b.hold_down = 30;
	T(!watch_conf_equal(&a, &b));
	b.hold_down = 300;
	watch_conf_add_origin_as(&b, 131279);
	T(!watch_conf_equal(&a, &b));
	for (int i = 0; i < 100; i++)
		watch_conf_add_expect_origin(&b, (uint32_t)i);
	T_EQ(b.nexpect_origin, 100);
	T_EQ(b.expect_origin[99], 99);
	/* Reload refusals leave the engine as it was. */
	bad[0] = a;
	bad[1] = a;
	T(watch_reconf(w, bad, 2, 0, &err) == -1 && strstr(err, "twice"));
	bad[1].min_peers = 0;
	strcpy(bad[1].name, "other");
	T(watch_reconf(w, bad, 2, 0, &err) == -1 && strstr(err, "min-peers"));
	bad[1] = b;
	bad[1].nprefixes = 0;
	bad[1].norigin_as = 0;
	strcpy(bad[1].name, "other");
	T(watch_reconf(w, bad, 2, 0, &err) == -1 && strstr(err, "prefix"));
	bad[1].name[0] = '\0';
	T(watch_reconf(w, bad, 2, 0, &err) == -1 && strstr(err, "name"));
	T(watch_reconf(w, &a, 1, 0, &err) == 0);
	T(watch_reconf(w, NULL, 0, 0, &err) == 0);
	watch_conf_free(&a);
	watch_conf_free(&b);
	T(a.prefixes == NULL && a.nprefixes == 0);
	watch_free(w);
}
END_TEST

/* watch_next_deadline() tells the daemon when to call watch_tick(). */
START_TEST(test_deadlines)
{
	struct watch_params pp = { .sync_idle = 10,
		.sync_max = 30,
		.peer_grace = 50,
		.arm_wait = 20 };
	struct harness h;
	struct hpeer *hp;
	int64_t b = BASE_S * 1000;

	h_init(&h, OR16, &pp);
	T_EQ(watch_next_deadline(h.w), -1);
	hp = h_peer(&h, 0);
	watch_peer_up(h.w, hp->wp, 0, b);
	T_EQ(watch_next_deadline(h.w), b + 10000); /* idle fallback */
	h.now = b + 8000;
	h_ann(&h, 0, P1, "9 100 65000", 0);
	T_EQ(watch_next_deadline(h.w), b + 18000);
	h.now = b + 17000;
	h_ann(&h, 0, P2, "9 100 65000", 0);
	T_EQ(watch_next_deadline(h.w), b + 27000);
	h.now = b + 25000;
	h_ann(&h, 0, P2, "9 100 65001", 0);
	T_EQ(watch_next_deadline(h.w), b + 30000); /* sync_max */
	watch_tick(h.w, b + 29999);
	T_EQ(h.nlines, 0);
	watch_tick(h.w, b + 30000);
	T_EQ(h.nlines, 2); /* rib-synced (timeout), baseline-learned */
	T_EQ(watch_next_deadline(h.w), -1);
	h.now = b + 31000;
	h_ann(&h, 0, P1, "9 200 65000", 0); /* 100 held down for 60 s */
	T_EQ(watch_next_deadline(h.w), b + 91000);
	h.now = b + 32000;
	h_ann(&h, 0, P1, "9 100 65000", 0); /* back: the timer is stale */
	T_EQ(watch_next_deadline(h.w), b + 92000); /* 200 held now */
	watch_peer_down(h.w, hp->wp, b + 40000);
	T_EQ(watch_next_deadline(h.w), b + 90000); /* ghosts' grace */
	watch_tick(h.w, b + 200000);
	T_EQ(watch_next_deadline(h.w), -1);
	T_EQ(watch_action_name(WATCH_RIB_SYNCED)[0], 'r');
	T(strcmp(watch_action_name((enum watch_action)99), "unknown") == 0);
	T(strcmp(watch_kind_name(WATCH_KIND_STATE), "state") == 0);
	T(strcmp(watch_severity_name(WATCH_SEV_NOTICE), "notice") == 0);
	T(strcmp(watch_match_name(WATCH_MATCH_ORIGIN_AS), "origin-as") == 0);
	h_free(&h);
}
END_TEST

static Suite *
watch_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(
	    tc, test_trie_vectors, 0, sizeof(trievec) / sizeof(trievec[0]));
	tcase_add_loop_test(tc, test_trie_model, 0, 2);
	tcase_add_test(tc, test_aspath_truncation);
	tcase_add_loop_test(
	    tc, test_scenarios, 0, sizeof(svec) / sizeof(svec[0]));
	tcase_add_test(tc, test_example_event);
	tcase_add_loop_test(
	    tc, test_withdraw_reasons, 0, sizeof(whyvec) / sizeof(whyvec[0]));
	tcase_add_test(tc, test_sync_routes);
	tcase_add_test(tc, test_message_path);
	tcase_add_test(tc, test_show);
	tcase_add_test(tc, test_unwatched);
	tcase_add_test(tc, test_conf);
	tcase_add_test(tc, test_deadlines);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(watch_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
