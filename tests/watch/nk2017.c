/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The 2017 North Korea case (/work/shared/corpora/nk2017.md) replayed
 * through the real pipeline: UPDATE bodies encoded here, decoded by
 * update_parse(), made canonical by update_attrs_canon(), interned and
 * stored in one struct rib per peer, whose deltas feed lib/watch. The
 * events are written one JSON line each (watch_event_json() and
 * watch_event_message() in a small envelope, stamped with the scenario
 * clock) and compared with tests/golden/watch/nk2017.jsonl; the state at
 * the end (watch_show_text()) with nk2017-show.txt. The counts that make
 * the case are asserted on their own, so a wrong behaviour fails even if
 * the golden file were regenerated from it.
 *
 * usage: nk2017 GOLDEN_DIR            compare
 *        nk2017 --update GOLDEN_DIR   rewrite the golden files
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rib.h"
#include "update.h"
#include "watch.h"

/*
 * Two collector peers [synthetic]: AS2914 (NTT, the upstream of the peer
 * in the corpus' 2015 path) and AS1299 (Telia, seen in front of AS20485 by
 * RIS peers). Both reach Star JV (AS131279) through China Unicom (AS4837);
 * from 2017-10-01 09:07:51 UTC the AS2914 peer prefers TransTeleCom
 * (AS20485) for three of the four /24s.
 */
#define NPEERS 2

static const struct {
	const char *ip;
	uint32_t as;
	const char *descr;
} peers[NPEERS] = {
	{ "192.0.2.1", 2914, "collector-ntt" },
	{ "192.0.2.2", 1299, "collector-telia" },
};

static const char *const nets[4] = { "175.45.176.0/24", "175.45.177.0/24",
	"175.45.178.0/24", "175.45.179.0/24" };

enum op {
	OP_END,
	OP_UP, /* session established: watch_peer_up() */
	OP_EOR, /* End-of-RIB */
	OP_ANN, /* announce nets in mask with path */
	OP_WDR, /* withdraw nets in mask */
};

/* Prefix masks over nets[]. */
#define N176 0x1
#define N177 0x2
#define N178 0x4
#define N179 0x8
#define NALL 0xf
#define NTTK (N176 | N178 | N179)

#define CU "4837 131279" /* via China Unicom */
#define TTK "20485 131279" /* via TransTeleCom */

struct step {
	int64_t t; /* UTC seconds */
	enum op op;
	int peer;
	unsigned nets;
	const char *path; /* after the peer's own AS */
};

/* 2017-10-01T00:00:00Z */
#define D0 1506816000LL

/* One total-withdrawal window: both peers lose all four, then get them back. */
#define OUTAGE(from, to)                                                       \
	{ from, OP_WDR, 0, NALL, NULL }, { from + 1, OP_WDR, 1, NALL, NULL },  \
	    { to, OP_ANN, 1, NALL, CU },                                       \
	{                                                                      \
		to + 2, OP_ANN, 0, NALL, CU                                    \
	}

static const struct step script[] = {
	/* Initial transfer: four /24s via AS4837 from both peers. */
	{ D0, OP_UP, 0, 0, NULL }, { D0, OP_UP, 1, 0, NULL },
	{ D0, OP_ANN, 0, NALL, CU }, { D0 + 1, OP_ANN, 1, NALL, CU },
	{ D0 + 2, OP_EOR, 0, 0, NULL }, { D0 + 2, OP_EOR, 1, 0, NULL },
	/* 09:07:51: TTK transit for .176, .178, .179; not for .177 (A). */
	{ 1506848871, OP_ANN, 0, NTTK, TTK },
	/* 10:14:45: TTK gone (A); removed only after the hold-down. */
	{ 1506852885, OP_ANN, 0, NTTK, CU },
	/*
	 * 10:47-12:26 instability (A) with four total-withdrawal windows
	 * [synthetic times within the window the source gives].
	 */
	OUTAGE(1506854820, 1506854950), /* 10:47:00-10:49:10 */
	{ 1506855300, OP_WDR, 0, N177, NULL }, /* one peer only */
	{ 1506855330, OP_ANN, 0, N177, CU },
	OUTAGE(1506856530, 1506856575), /* 11:15:30-11:16:15 */
	{ 1506857000, OP_ANN, 1, N176, "4837 4837 131279" }, /* prepends */
	{ 1506857060, OP_ANN, 1, N176, CU },
	OUTAGE(1506857460, 1506857680), /* 11:31:00-11:34:40 */
	OUTAGE(1506859330, 1506859380), /* 12:02:10-12:03:00 */
	/* 12:21:55: TTK back for the same three routes (A). */
	{ 1506860515, OP_ANN, 0, NTTK, TTK },
	/* 12:40-12:43:30: TTK flaps on .178 within the hold-down [synthetic]. */
	{ 1506861600, OP_ANN, 0, N178, CU },
	{ 1506861660, OP_ANN, 0, N178, TTK },
	{ 1506861720, OP_ANN, 0, N178, CU },
	{ 1506861810, OP_ANN, 0, N178, TTK },
	{ 1506861840, OP_ANN, 0, N178, CU },
	{ 1506861900, OP_ANN, 0, N178, TTK },
	/* 2017-10-02 07:56:39: .176 stops getting TTK transit (A). */
	{ 1506930999, OP_ANN, 0, N176, CU },
	/* 09:10:29: .179 too; only .178 keeps "... 20485 131279" (A). */
	{ 1506935429, OP_ANN, 0, N179, CU },
	{ 1506945600, OP_END, 0, 0, NULL }, /* 2017-10-02T12:00:00Z */
};

struct ctx {
	struct rib_attrtab *tab;
	struct watch *w;
	struct rib *rib[NPEERS];
	struct watch_peer *wp[NPEERS];
	int64_t now;
	FILE *out;
	struct wbuf line;
	/* counts per action, and per action and prefix index */
	unsigned count[WATCH_RIB_SYNCED + 1];
	unsigned per[WATCH_RIB_SYNCED + 1][4];
	int64_t first_removed; /* time of the first upstream-removed */
	unsigned late_178; /* alerts about .178 after the flaps began */
	int failed;
};

struct dctx {
	struct ctx *c;
	int peer;
};

static struct dctx dctxs[NPEERS];

static void __attribute__((format(printf, 2, 3)))
fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nk2017: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	c->failed = 1;
}

static int
net_index(const struct prefix *p)
{
	struct prefix q;
	int i;

	for (i = 0; i < 4; i++)
		if (prefix_parse(nets[i], &q) == 0 && prefix_cmp(&q, p) == 0)
			return i;
	return -1;
}

/* RFC 3339 UTC with milliseconds. */
static void
fmt_time(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)(ms % 1000));
}

/* One event: a JSON line in a minimal envelope, and the counts. */
static void
on_event(void *arg, const struct watch_event *ev)
{
	struct ctx *c = arg;
	char ts[64];
	struct wbuf msg;
	struct json j;
	int i;

	c->count[ev->action]++;
	i = ev->has_route ? net_index(&ev->route.prefix) : -1;
	if (i >= 0)
		c->per[ev->action][i]++;
	if (ev->action == WATCH_UPSTREAM_REMOVED && c->first_removed == 0)
		c->first_removed = ev->time;
	if (i == 2 && ev->kind == WATCH_KIND_ALERT &&
	    ev->time >= 1506861600000LL)
		c->late_178++;
	wbuf_reset(&c->line);
	wbuf_init_dyn(&msg, 0);
	watch_event_message(ev, &msg);
	json_init(&j, &c->line);
	json_obj_open(&j, NULL);
	fmt_time(ev->time, ts, sizeof(ts));
	json_str(&j, "@timestamp", ts);
	json_obj_open(&j, "log");
	json_str(&j, "level", watch_severity_name(ev->severity));
	json_obj_close(&j);
	json_strn(&j, "message", wbuf_data(&msg), wbuf_len(&msg));
	json_obj_open(&j, "event");
	json_str(&j, "kind", watch_kind_name(ev->kind));
	json_str(&j, "action", watch_action_name(ev->action));
	if (ev->reason != NULL)
		json_str(&j, "reason", ev->reason);
	json_obj_close(&j);
	json_obj_open(&j, "bgpwatch");
	watch_peer_json(ev->peer, &j);
	watch_event_json(ev, &j);
	json_obj_close(&j);
	json_obj_close(&j);
	if (json_finish(&j) == -1 || wbuf_error(&msg))
		fail(c, "%s: bad JSON", watch_action_name(ev->action));
	wbuf_put_u8(&c->line, '\n');
	fwrite(wbuf_data(&c->line), 1, wbuf_len(&c->line), c->out);
	wbuf_free(&msg);
}

static void
on_delta(void *arg, const struct rib_delta *d)
{
	struct dctx *dc = arg;

	watch_route_delta(dc->c->w, dc->c->wp[dc->peer], d, dc->c->now);
}

/* An UPDATE body (no header) for nets in mask, announced or withdrawn. */
static void
encode_update(struct wbuf *b, int peer, unsigned mask, const char *path)
{
	uint32_t as[16];
	size_t n = 0, i, off;
	struct prefix p;
	const char *s;
	char *end;

	wbuf_put_u16(b, 0);
	if (path == NULL) { /* withdrawn routes, no attributes */
		off = wbuf_reserve(b, 0);
		for (i = 0; i < 4; i++)
			if ((mask & (1u << i)) &&
			    prefix_parse(nets[i], &p) == 0) {
				wbuf_put_u8(b, p.len);
				wbuf_put_bytes(b, p.addr, 3);
			}
		wbuf_set_u16(b, 0, (uint16_t)(wbuf_len(b) - off));
		wbuf_put_u16(b, 0);
		return;
	}
	as[n++] = peers[peer].as;
	for (s = path; *s != '\0' && n < 16; s = end) {
		as[n++] = (uint32_t)strtoul(s, &end, 10);
		while (*end == ' ')
			end++;
	}
	off = wbuf_reserve(b, 2);
	wbuf_put_bytes(b, "\x40\x01\x01\x02", 4); /* ORIGIN INCOMPLETE */
	wbuf_put_u8(b, 0x40);
	wbuf_put_u8(b, ATTR_AS_PATH);
	wbuf_put_u8(b, (uint8_t)(2 + 4 * n));
	wbuf_put_u8(b, AS_SEQUENCE);
	wbuf_put_u8(b, (uint8_t)n);
	for (i = 0; i < n; i++)
		wbuf_put_u32(b, as[i]);
	wbuf_put_bytes(b, "\x40\x03\x04\xc0\x00\x02", 6); /* NEXT_HOP */
	wbuf_put_u8(b, (uint8_t)(peer + 1));
	wbuf_put_bytes(b, "\x80\x04\x04\x00\x00\x00\x00", 7); /* MED 0 */
	wbuf_put_bytes(b, "\xc0\x08\x04", 3); /* COMMUNITIES */
	wbuf_put_u16(b, (uint16_t)peers[peer].as);
	wbuf_put_u16(b, 50800);
	wbuf_set_u16(b, off, (uint16_t)(wbuf_len(b) - off - 2));
	for (i = 0; i < 4; i++)
		if ((mask & (1u << i)) && prefix_parse(nets[i], &p) == 0) {
			wbuf_put_u8(b, p.len);
			wbuf_put_bytes(b, p.addr, 3);
		}
}

/* What a minimal RDE does with one decoded UPDATE of peer. */
static void
apply_update(struct ctx *c, int peer, const uint8_t *body, size_t len)
{
	static const struct bgp_sess sess = { .as4 = true };
	struct update_iter it;
	struct rib_attr *a = NULL;
	struct update u;
	struct prefix p;
	struct wbuf canon;
	uint32_t pid;
	uint8_t safi;

	if (update_parse(body, len, &sess, &u, NULL) == -1 ||
	    u.verdict.action != VERDICT_OK) {
		fail(c, "update does not decode: %s", u.verdict.reason);
		return;
	}
	if (u.eor) {
		watch_peer_synced(
		    c->w, c->wp[peer], u.eor_afi, u.eor_safi, c->now);
		return;
	}
	update_iter_init(&it, &u, UPDATE_WITHDRAWN);
	while (update_iter_next(&it, &p, &pid, &safi))
		(void)rib_withdraw(c->rib[peer], safi, &p, pid, RIB_R_UPDATE);
	wbuf_init_dyn(&canon, 0);
	update_iter_init(&it, &u, UPDATE_ANNOUNCED);
	while (update_iter_next(&it, &p, &pid, &safi)) {
		if (a == NULL) {
			if (update_attrs_canon(&u, p.afi, &canon) == -1)
				fail(c, "update_attrs_canon failed");
			a = rib_attr_intern(
			    c->tab, wbuf_data(&canon), wbuf_len(&canon));
		}
		(void)rib_update(c->rib[peer], safi, &p, pid, a);
	}
	if (a != NULL)
		rib_attr_unref(c->tab, a);
	wbuf_free(&canon);
}

static void
run_step(struct ctx *c, const struct step *s)
{
	struct wbuf b;

	c->now = s->t * 1000;
	watch_tick(c->w, c->now);
	wbuf_init_dyn(&b, 0);
	switch (s->op) {
	case OP_UP:
		watch_peer_up(
		    c->w, c->wp[s->peer], 1u << FAM_IPV4_UNICAST, c->now);
		break;
	case OP_EOR:
		update_encode_eor(&b, AFI_IPV4, SAFI_UNICAST);
		apply_update(c, s->peer, wbuf_data(&b) + BGP_HDR_LEN,
		    wbuf_len(&b) - BGP_HDR_LEN);
		break;
	case OP_ANN:
	case OP_WDR:
		encode_update(&b, s->peer, s->nets, s->path);
		apply_update(c, s->peer, wbuf_data(&b), wbuf_len(&b));
		break;
	case OP_END:
		break;
	}
	wbuf_free(&b);
}

static void
check_eq(struct ctx *c, const char *what, long long got, long long want)
{
	if (got != want)
		fail(c, "%s: got %lld, want %lld", what, got, want);
}

/* The behaviour the case is about, independent of the golden bytes. */
static void
check_counts(struct ctx *c)
{
	unsigned *ua = c->per[WATCH_UPSTREAM_ADDED];
	unsigned *ur = c->per[WATCH_UPSTREAM_REMOVED];

	check_eq(c, "baseline-learned", c->count[WATCH_BASELINE_LEARNED], 1);
	/* 09:07:51 and 12:21:55: .176, .178, .179 each; never .177. */
	check_eq(c, "upstream-added", c->count[WATCH_UPSTREAM_ADDED], 6);
	check_eq(c, "upstream-added .176", ua[0], 2);
	check_eq(c, "upstream-added .177", ua[1], 0);
	check_eq(c, "upstream-added .178", ua[2], 2);
	check_eq(c, "upstream-added .179", ua[3], 2);
	/* 10:19:45 (three), 10-02 08:01:39 (.176), 09:15:29 (.179). */
	check_eq(c, "upstream-removed", c->count[WATCH_UPSTREAM_REMOVED], 5);
	check_eq(c, "upstream-removed .177", ur[1], 0);
	check_eq(c, "upstream-removed .178", ur[2], 1);
	check_eq(c, "first upstream-removed after the hold-down",
	    c->first_removed, (1506852885LL + 300) * 1000);
	check_eq(c, "origin-changed", c->count[WATCH_ORIGIN_CHANGED], 0);
	check_eq(
	    c, "more-specific-seen", c->count[WATCH_MORE_SPECIFIC_SEEN], 0);
	check_eq(c, "expected-upstream-missing",
	    c->count[WATCH_EXPECTED_UPSTREAM_MISSING], 0);
	/* Four windows, four prefixes each. */
	check_eq(c, "visibility-lost", c->count[WATCH_VISIBILITY_LOST], 16);
	check_eq(
	    c, "visibility-restored", c->count[WATCH_VISIBILITY_RESTORED], 16);
	/* The flaps of .178 raise nothing: a marker in the state only. */
	check_eq(c, "alerts about .178 after 12:40", c->late_178, 0);
	check_eq(c, "rib-synced", c->count[WATCH_RIB_SYNCED], 2);
}

/* Compare file path with the bytes in buf[0..len); report the first diff. */
static int
compare(const char *path, const char *buf, size_t len)
{
	char *want;
	size_t wlen, i, line = 1;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	want = malloc(len + 2);
	wlen = fread(want, 1, len + 1, f);
	fclose(f);
	for (i = 0; i < len && i < wlen && buf[i] == want[i]; i++)
		line += buf[i] == '\n';
	free(want);
	if (i == len && wlen == len)
		return 0;
	fprintf(stderr,
	    "nk2017: %s differs at line %zu (run update.sh and "
	    "review the diff)\n",
	    path, line);
	return -1;
}

static void
setup(struct ctx *c)
{
	struct watch_peer_info info;
	struct watch_conf conf;
	struct prefix p;
	const char *err = NULL;
	int i;

	c->tab = rib_attrtab_new();
	c->w = watch_new(NULL, on_event, c);
	wbuf_init_dyn(&c->line, 0);
	for (i = 0; i < NPEERS; i++) {
		memset(&info, 0, sizeof(info));
		if (addr_parse(peers[i].ip, &info.afi, info.addr) == -1)
			abort();
		info.as = peers[i].as;
		info.bgp_id = 0xc0000201u + (uint32_t)i;
		snprintf(info.descr, sizeof(info.descr), "%s", peers[i].descr);
		c->rib[i] = rib_new(c->tab);
		dctxs[i].c = c;
		dctxs[i].peer = i;
		rib_set_delta_cb(c->rib[i], on_delta, &dctxs[i]);
		c->wp[i] = watch_peer_add(c->w, &info, c->rib[i]);
	}
	/* watch "star-jv" { prefix 175.45.176.0/22 or-longer; ... } */
	watch_conf_init(&conf, "star-jv");
	if (prefix_parse("175.45.176.0/22", &p) == -1 ||
	    watch_conf_add_prefix(&conf, &p, WATCH_MATCH_OR_LONGER) == -1)
		abort();
	watch_conf_add_origin_as(&conf, 131279);
	watch_conf_add_expect_origin(&conf, 131279);
	if (watch_reconf(c->w, &conf, 1, D0 * 1000, &err) == -1) {
		fprintf(stderr, "nk2017: %s\n", err);
		abort();
	}
	watch_conf_free(&conf);
}

int
main(int argc, char *argv[])
{
	char path[4096];
	struct ctx c;
	struct wbuf show;
	char *buf = NULL;
	size_t len = 0, i;
	bool update = argc == 3 && strcmp(argv[1], "--update") == 0;
	FILE *f;

	if (argc != 2 && !update) {
		fprintf(stderr, "usage: nk2017 [--update] GOLDEN_DIR\n");
		return 2;
	}
	memset(&c, 0, sizeof(c));
	if ((c.out = open_memstream(&buf, &len)) == NULL)
		abort();
	setup(&c);
	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++)
		run_step(&c, &script[i]);
	fclose(c.out);
	check_counts(&c);
	wbuf_init_dyn(&show, 0);
	watch_show_text(c.w, "star-jv", true, &show);
	if (update) {
		snprintf(path, sizeof(path), "%s/nk2017.jsonl", argv[2]);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(buf, 1, len, f) != len || fclose(f) != 0)
			return 2;
		snprintf(path, sizeof(path), "%s/nk2017-show.txt", argv[2]);
		if ((f = fopen(path, "wb")) == NULL ||
		    fwrite(wbuf_data(&show), 1, wbuf_len(&show), f) !=
		        wbuf_len(&show) ||
		    fclose(f) != 0)
			return 2;
	} else {
		snprintf(path, sizeof(path), "%s/nk2017.jsonl", argv[1]);
		c.failed |= compare(path, buf, len) != 0;
		snprintf(path, sizeof(path), "%s/nk2017-show.txt", argv[1]);
		c.failed |= compare(path, (const char *)wbuf_data(&show),
		                wbuf_len(&show)) != 0;
	}
	watch_free(c.w);
	for (i = 0; i < NPEERS; i++)
		rib_free(c.rib[i]);
	rib_attrtab_free(c.tab);
	wbuf_free(&c.line);
	wbuf_free(&show);
	free(buf);
	return c.failed ? 1 : 0;
}
