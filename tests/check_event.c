/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/event.c: RFC 3339 timestamps (milliseconds, rounding
 * down, year and era boundaries, clamping), whole lines of each family
 * compared byte for byte, escaping of peer-supplied text, sequence and
 * id, and that a line that does not fit leaves the buffer and the
 * sequence as they were, for every buffer size short of the line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "prefix.h"
#include "rib.h"

#define RUN "015ed73112580123456789ab"
#define T0 1506848871000LL /* 2017-10-01T09:07:51.000Z */

static const struct {
	int64_t ms;
	const char *text;
} times[] = {
	{ 0, "1970-01-01T00:00:00.000Z" },
	{ 1, "1970-01-01T00:00:00.001Z" },
	{ -1, "1969-12-31T23:59:59.999Z" },
	{ -1000, "1969-12-31T23:59:59.000Z" },
	{ -1001, "1969-12-31T23:59:58.999Z" },
	{ T0, "2017-10-01T09:07:51.000Z" },
	{ T0 + 999, "2017-10-01T09:07:51.999Z" },
	{ 1483228799999LL, "2016-12-31T23:59:59.999Z" },
	{ 1483228800000LL, "2017-01-01T00:00:00.000Z" },
	{ 951782400000LL, "2000-02-29T00:00:00.000Z" },
	{ 1456747200000LL, "2016-02-29T12:00:00.000Z" },
	{ 2147483648000LL, "2038-01-19T03:14:08.000Z" },
	{ 4102444799999LL, "2099-12-31T23:59:59.999Z" },
	{ -2203891200000LL, "1900-03-01T00:00:00.000Z" },
	{ -62167219200000LL, "0000-01-01T00:00:00.000Z" },
	{ -62167219200001LL, "0000-01-01T00:00:00.000Z" },
	{ INT64_MIN, "0000-01-01T00:00:00.000Z" },
	{ 253402300799999LL, "9999-12-31T23:59:59.999Z" },
	{ 253402300800000LL, "9999-12-31T23:59:59.999Z" },
	{ INT64_MAX, "9999-12-31T23:59:59.999Z" },
};

START_TEST(test_time)
{
	char buf[EVENT_TIME_STRLEN];

	ck_assert_str_eq(event_time_fmt(times[_i].ms, buf), times[_i].text);
	ck_assert_uint_eq(strlen(buf), EVENT_TIME_STRLEN - 1);
}
END_TEST

/* Nanoseconds are cut, never rounded up into the next second or year. */
static const struct {
	struct timespec ts;
	int64_t ms;
	const char *text;
} stamps[] = {
	{ { 0, 0 }, 0, "1970-01-01T00:00:00.000Z" },
	{ { 0, 999999 }, 0, "1970-01-01T00:00:00.000Z" },
	{ { 0, 1000000 }, 1, "1970-01-01T00:00:00.001Z" },
	{ { 1483228799, 999999999 }, 1483228799999LL,
	    "2016-12-31T23:59:59.999Z" },
	{ { 1483228799, 999500000 }, 1483228799999LL,
	    "2016-12-31T23:59:59.999Z" },
	{ { 1506848871, 123456789 }, T0 + 123, "2017-10-01T09:07:51.123Z" },
	{ { -1, 500000000 }, -500, "1969-12-31T23:59:59.500Z" },
	{ { -1, 999999999 }, -1, "1969-12-31T23:59:59.999Z" },
};

START_TEST(test_timespec)
{
	char buf[EVENT_TIME_STRLEN];
	int64_t ms = event_ms_from_timespec(&stamps[_i].ts);

	ck_assert_int_eq(ms, stamps[_i].ms);
	ck_assert_str_eq(event_time_fmt(ms, buf), stamps[_i].text);
}
END_TEST

static void
ctx_make(struct event_ctx *ctx)
{
	event_ctx_init(ctx, "lab-collector", "0.1.0", T0, 0x0123456789abULL);
}

#define OBSERVER                                                               \
	"\"observer\":{\"type\":\"sensor\",\"product\":\"bgpwatch\","          \
	"\"hostname\":\"lab-collector\",\"version\":\"0.1.0\"}"
#define PEER_ECS                                                               \
	"\"source\":{\"ip\":\"192.0.2.1\",\"as\":{\"number\":64500}},"         \
	"\"network\":{\"protocol\":\"bgp\"},"                                  \
	"\"related\":{\"ip\":[\"192.0.2.1\"]}"
#define PEER_BGPWATCH                                                          \
	"\"peer\":{\"ip\":\"192.0.2.1\",\"as\":64500,\"bgp_id\":\"192.0.2."    \
	"1\","                                                                 \
	"\"description\":\"lab-rs1\"}"

static const struct event_peer peer1 = { "192.0.2.1", 64500, "192.0.2.1",
	"lab-rs1" };

static uint64_t
line_started(struct event_ctx *ctx, struct wbuf *w)
{
	struct event_collector e = { T0, "/etc/bgpwatch.conf", 65000,
		"198.18.0.1", 6, 2, 1, 4242 };

	return event_collector_started(ctx, &e, w);
}

static uint64_t
line_closed(struct event_ctx *ctx, struct wbuf *w)
{
	struct event_session_closed e;

	memset(&e, 0, sizeof(e));
	e.time = T0 + 500;
	e.peer = peer1;
	e.state = "Idle";
	e.previous_state = "Established";
	e.fsm_event = "NotifMsg";
	e.reason = "peer sent Cease / Administrative Shutdown";
	e.notification = true;
	e.code = 6;
	e.subcode = 2;
	e.shutdown = "maintenance until 10:00";
	e.uptime = 3600;
	return event_session_closed(ctx, &e, w);
}

static uint64_t
line_gap(struct event_ctx *ctx, struct wbuf *w)
{
	struct event_output_gap e = { T0 + 1000, "tls:192.0.2.9:5044", "tls",
		"spool-full", 3, 10, 12, T0, T0 + 2 };

	return event_output_gap(ctx, &e, w);
}

static uint64_t
line_stats(struct event_ctx *ctx, struct wbuf *w)
{
	struct event_peer_stats e;

	memset(&e, 0, sizeof(e));
	e.time = T0;
	e.peer = peer1;
	e.peer.bgp_id = NULL; /* not known yet: left out */
	e.state = "Active";
	e.state_age = 12;
	e.last_update_age = -1;
	e.interval = 300;
	return event_peer_stats(ctx, &e, w);
}

static uint64_t
line_reload_failed(struct event_ctx *ctx, struct wbuf *w)
{
	struct event_reload e;

	memset(&e, 0, sizeof(e));
	e.time = T0;
	e.config = "/etc/bgpwatch.conf";
	e.error = "/etc/bgpwatch.conf:20: hold-time 2: must be 0 or 3..65535";
	e.neighbors = 6;
	e.watches = 2;
	return event_config_reloaded(ctx, &e, w);
}

/* A watch-wide alert built by hand: no peer, no route attributes. */
static uint64_t
line_watch(struct event_ctx *ctx, struct wbuf *w)
{
	struct watch_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.action = WATCH_VISIBILITY_LOST;
	ev.kind = WATCH_KIND_ALERT;
	ev.severity = WATCH_SEV_ERROR;
	ev.time = T0;
	ev.has_route = true;
	ck_assert_int_eq(prefix_parse("175.45.178.0/24", &ev.route.prefix), 0);
	ev.watch.name = "star-jv";
	ev.watch.has_prefix = true;
	ck_assert_int_eq(prefix_parse("175.45.176.0/22", &ev.watch.prefix), 0);
	ev.watch.match = WATCH_MATCH_OR_LONGER;
	ev.visibility.present = true;
	ev.visibility.min_peers = 2;
	ev.visibility.eligible = 3;
	return event_watch(ctx, &ev, w);
}

static const struct {
	const char *name;
	uint64_t (*make)(struct event_ctx *, struct wbuf *);
	const char *line;
} lines[] = {
	{ "collector-started", line_started,
	    "{\"@timestamp\":\"2017-10-01T09:07:51.000Z\","
	    "\"log\":{\"level\":\"notice\"},"
	    "\"message\":\"bgpwatch collector started: AS65000, neighbors 6, "
	    "watches 2, outputs 1\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"state\",\"category\":[\"process\"],"
	    "\"type\":[\"start\"],\"action\":\"collector-started\","
	    "\"dataset\":\"bgpwatch.events\",\"sequence\":1,"
	    "\"id\":\"" RUN "-1\"}," OBSERVER ","
	    "\"bgpwatch\":{\"schema_version\":1,"
	    "\"collector\":{\"config\":\"/etc/bgpwatch.conf\","
	    "\"local_as\":65000,\"router_id\":\"198.18.0.1\","
	    "\"neighbors\":6,\"watches\":2,\"outputs\":1,\"pid\":4242}}}\n" },
	{ "session-closed", line_closed,
	    "{\"@timestamp\":\"2017-10-01T09:07:51.500Z\","
	    "\"log\":{\"level\":\"warning\"},"
	    "\"message\":\"session with 192.0.2.1 (AS64500, lab-rs1) closed "
	    "(was Established): NOTIFICATION received Cease / Administrative "
	    "Shutdown \\\"maintenance until 10:00\\\"\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"event\",\"category\":[\"network\"],"
	    "\"type\":[\"connection\",\"end\"],\"action\":\"session-closed\","
	    "\"dataset\":\"bgpwatch.events\",\"sequence\":1,"
	    "\"id\":\"" RUN "-1\","
	    "\"reason\":\"peer sent Cease / Administrative "
	    "Shutdown\"}," OBSERVER "," PEER_ECS ","
	    "\"bgpwatch\":{\"schema_version\":1," PEER_BGPWATCH ","
	    "\"session\":{\"state\":\"Idle\",\"previous_state\":"
	    "\"Established\",\"fsm_event\":\"NotifMsg\",\"uptime\":3600,"
	    "\"stale_kept\":false,\"routes\":0,"
	    "\"notification\":{\"direction\":\"received\",\"code\":6,"
	    "\"subcode\":2,\"name\":\"Cease / Administrative Shutdown\","
	    "\"code_name\":\"Cease\","
	    "\"subcode_name\":\"Administrative Shutdown\","
	    "\"shutdown_communication\":\"maintenance until 10:00\"}}}}\n" },
	{ "output-gap", line_gap,
	    "{\"@timestamp\":\"2017-10-01T09:07:52.000Z\","
	    "\"log\":{\"level\":\"error\"},"
	    "\"message\":\"output tls:192.0.2.9:5044 dropped 3 events "
	    "(sequence 10-12): spool-full\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"state\",\"category\":[\"process\"],"
	    "\"type\":[\"info\"],\"action\":\"output-gap\","
	    "\"dataset\":\"bgpwatch.events\",\"sequence\":1,"
	    "\"id\":\"" RUN "-1\",\"reason\":\"spool-full\"}," OBSERVER ","
	    "\"bgpwatch\":{\"schema_version\":1,"
	    "\"output\":{\"name\":\"tls:192.0.2.9:5044\",\"type\":\"tls\","
	    "\"dropped\":3,\"first_sequence\":10,\"last_sequence\":12,"
	    "\"first_time\":\"2017-10-01T09:07:51.000Z\","
	    "\"last_time\":\"2017-10-01T09:07:51.002Z\"}}}\n" },
	{ "peer-stats", line_stats,
	    "{\"@timestamp\":\"2017-10-01T09:07:51.000Z\","
	    "\"log\":{\"level\":\"info\"},"
	    "\"message\":\"192.0.2.1 (AS64500, lab-rs1) Active: 0 IPv4 and 0 "
	    "IPv6 routes, 0 updates, no update yet\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"metric\",\"category\":[\"network\"],"
	    "\"type\":[\"info\"],\"action\":\"peer-stats\","
	    "\"dataset\":\"bgpwatch.events\",\"sequence\":1,"
	    "\"id\":\"" RUN "-1\"}," OBSERVER "," PEER_ECS ","
	    "\"bgpwatch\":{\"schema_version\":1,"
	    "\"peer\":{\"ip\":\"192.0.2.1\",\"as\":64500,"
	    "\"description\":\"lab-rs1\"},"
	    "\"stats\":{\"state\":\"Active\",\"state_age\":12,"
	    "\"prefixes\":{\"ipv4_unicast\":0,\"ipv6_unicast\":0,\"total\":0},"
	    "\"updates\":0,\"announced\":0,\"withdrawn\":0,"
	    "\"treat_as_withdraw\":0,\"attr_discard\":0,\"established\":0,"
	    "\"last_update_age\":null,\"interval\":300}}}\n" },
	{ "config-reloaded failure", line_reload_failed,
	    "{\"@timestamp\":\"2017-10-01T09:07:51.000Z\","
	    "\"log\":{\"level\":\"error\"},"
	    "\"message\":\"configuration /etc/bgpwatch.conf not reloaded, the "
	    "running one stays: /etc/bgpwatch.conf:20: hold-time 2: must be 0 "
	    "or 3..65535\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"state\",\"category\":[\"configuration\"],"
	    "\"type\":[\"change\"],\"action\":\"config-reloaded\","
	    "\"dataset\":\"bgpwatch.events\",\"sequence\":1,"
	    "\"id\":\"" RUN "-1\",\"outcome\":\"failure\","
	    "\"reason\":\"/etc/bgpwatch.conf:20: hold-time 2: must be 0 or "
	    "3..65535\"}," OBSERVER ","
	    "\"bgpwatch\":{\"schema_version\":1,"
	    "\"reload\":{\"config\":\"/etc/bgpwatch.conf\",\"ok\":false,"
	    "\"error\":\"/etc/bgpwatch.conf:20: hold-time 2: must be 0 or "
	    "3..65535\",\"neighbors\":6,\"added\":0,\"removed\":0,"
	    "\"reset\":0,\"watches\":2}}}\n" },
	{ "visibility-lost", line_watch,
	    "{\"@timestamp\":\"2017-10-01T09:07:51.000Z\","
	    "\"log\":{\"level\":\"error\"},"
	    "\"message\":\"175.45.178.0/24 lost visibility: seen by 0 of 3 "
	    "peers, below min-peers 2\","
	    "\"ecs\":{\"version\":\"8.11.0\"},"
	    "\"event\":{\"kind\":\"alert\",\"category\":[\"network\"],"
	    "\"type\":[\"protocol\"],\"action\":\"visibility-lost\","
	    "\"dataset\":\"bgpwatch.events\",\"sequence\":1,"
	    "\"id\":\"" RUN "-1\"}," OBSERVER ","
	    "\"network\":{\"protocol\":\"bgp\"},"
	    "\"bgpwatch\":{\"schema_version\":1,"
	    "\"route\":{\"prefix\":\"175.45.178.0/24\",\"afi\":\"ipv4\"},"
	    "\"watch\":{\"name\":\"star-jv\",\"prefix\":\"175.45.176.0/22\","
	    "\"match\":\"or-longer\"},"
	    "\"visibility\":{\"peers\":0,\"min_peers\":2,\"eligible\":3}}}\n" },
};

START_TEST(test_lines)
{
	struct event_ctx ctx;
	struct wbuf w;

	ctx_make(&ctx);
	wbuf_init_dyn(&w, 0);
	ck_assert_uint_eq(lines[_i].make(&ctx, &w), 1);
	ck_assert_uint_eq(ctx.seq, 1);
	wbuf_put_u8(&w, '\0');
	ck_assert_msg(strcmp((const char *)wbuf_data(&w), lines[_i].line) == 0,
	    "%s:\n got  %s want %s", lines[_i].name,
	    (const char *)wbuf_data(&w), lines[_i].line);
	wbuf_free(&w);
}
END_TEST

/*
 * Every buffer too small by at least one byte fails, leaves what the
 * buffer held before and uses no sequence number; the exact size works.
 */
START_TEST(test_no_room)
{
	struct event_ctx ctx;
	struct wbuf w;
	uint8_t *store;
	size_t len = strlen(lines[_i].line), cap;

	store = malloc(len + 1);
	ck_assert_ptr_nonnull(store);
	ctx_make(&ctx);
	for (cap = 1; cap <= len; cap++) {
		wbuf_init_fixed(&w, store, cap);
		wbuf_put_u8(&w, 'X');
		if (lines[_i].make(&ctx, &w) != 0)
			ck_abort_msg("%s: fits in %zu of %zu", lines[_i].name,
			    cap, len + 1);
		if (wbuf_len(&w) != 1 || wbuf_error(&w) || store[0] != 'X' ||
		    ctx.seq != 0)
			ck_abort_msg(
			    "%s: not rolled back at %zu", lines[_i].name, cap);
	}
	wbuf_init_fixed(&w, store, len + 1);
	wbuf_put_u8(&w, 'X');
	ck_assert_uint_eq(lines[_i].make(&ctx, &w), 1);
	ck_assert_uint_eq(wbuf_len(&w), len + 1);
	ck_assert_int_eq(memcmp(store + 1, lines[_i].line, len), 0);
	free(store);
}
END_TEST

/* Lines accumulate in one buffer; sequence and id go up by one each. */
START_TEST(test_sequence)
{
	struct event_ctx ctx;
	struct wbuf w;
	char want[64];
	const char *p;
	size_t i;

	ctx_make(&ctx);
	ck_assert_str_eq(ctx.run_id, RUN);
	wbuf_init_dyn(&w, 0);
	for (i = 1; i <= 5; i++)
		ck_assert_uint_eq(line_gap(&ctx, &w), i);
	wbuf_put_u8(&w, '\0');
	p = (const char *)wbuf_data(&w);
	for (i = 1; i <= 5; i++) {
		snprintf(want, sizeof(want),
		    "\"sequence\":%zu,\"id\":\"%s-%zu\"", i, RUN, i);
		p = strstr(p, want);
		ck_assert_msg(p != NULL, "line %zu missing or out of order", i);
		p = strchr(p, '\n');
		ck_assert_ptr_nonnull(p);
	}
	ck_assert_str_eq(p, "\n");
	wbuf_free(&w);
}
END_TEST

/*
 * A new observer-name mid-run: the next line carries it, the run id and
 * the sequence go on.
 */
START_TEST(test_rename)
{
	struct event_ctx ctx;
	struct wbuf w;
	char want[64];
	const char *first, *second;

	ctx_make(&ctx);
	wbuf_init_dyn(&w, 0);
	ck_assert_uint_eq(line_gap(&ctx, &w), 1);
	event_ctx_set_hostname(&ctx, "collector-2");
	ck_assert_uint_eq(line_gap(&ctx, &w), 2);
	wbuf_put_u8(&w, '\0');
	first = (const char *)wbuf_data(&w);
	second = strchr(first, '\n') + 1;
	ck_assert_ptr_nonnull(strstr(first, OBSERVER));
	ck_assert_ptr_null(strstr(second, OBSERVER));
	ck_assert_ptr_nonnull(strstr(second,
	    "\"observer\":{\"type\":\"sensor\",\"product\":\"bgpwatch\","
	    "\"hostname\":\"collector-2\",\"version\":\"0.1.0\"}"));
	snprintf(want, sizeof(want), "\"sequence\":2,\"id\":\"%s-2\"", RUN);
	ck_assert_ptr_nonnull(strstr(second, want));
	wbuf_free(&w);
}
END_TEST

/* Peer-supplied text is escaped in both the message and the peer. */
START_TEST(test_escape)
{
	struct event_session_closed e;
	struct event_ctx ctx;
	struct wbuf w;
	const char *s;

	memset(&e, 0, sizeof(e));
	e.peer = peer1;
	e.peer.description = "a \"b\"\\\n\x01\xff";
	e.previous_state = "OpenSent";
	e.notification = true;
	e.sent = true;
	e.code = 6;
	e.subcode = 4;
	e.shutdown = "line1\nline2\t\xc3\xa9";
	e.uptime = -1;
	ctx_make(&ctx);
	wbuf_init_dyn(&w, 0);
	ck_assert_uint_eq(event_session_closed(&ctx, &e, &w), 1);
	wbuf_put_u8(&w, '\0');
	s = (const char *)wbuf_data(&w);
	ck_assert_ptr_nonnull(
	    strstr(s, "\"description\":\"a \\\"b\\\"\\\\\\n\\u0001\\ufffd\"}"));
	ck_assert_ptr_nonnull(strstr(s,
	    "(AS64500, a \\\"b\\\"\\\\\\n\\u0001"
	    "\\ufffd) closed (was OpenSent)"));
	ck_assert_ptr_nonnull(strstr(s,
	    "\"shutdown_communication\":"
	    "\"line1\\nline2\\t\xc3\xa9\""));
	/* We sent an administrative reset: a notice, not a warning. */
	ck_assert_ptr_nonnull(strstr(s, "\"level\":\"notice\""));
	ck_assert_ptr_null(strstr(s, "\"uptime\""));
	/* One line: the only raw newline is the last byte. */
	ck_assert_ptr_eq(strchr(s, '\n'), s + strlen(s) - 1);
	wbuf_free(&w);
}
END_TEST

/*
 * Canonical attribute sets for the memo test (RFC 4271 §4.3, 4-octet AS
 * numbers): ORIGIN, AS_PATH 4837 ORIGIN_AS, NEXT_HOP, and ncomm
 * COMMUNITIES (RFC 1997), with an extended length past 255 octets.
 */
static size_t
memo_set(uint8_t *b, uint32_t origin_as, size_t ncomm)
{
	static const uint8_t head[] = { 0x40, 1, 1, 0, 0x40, 2, 10, 2, 2, 0, 0,
		0x12, 0xe5 };
	size_t n = sizeof(head), i, len = ncomm * 4;

	memcpy(b, head, n);
	for (i = 0; i < 4; i++)
		b[n++] = (uint8_t)(origin_as >> (24 - 8 * i));
	memcpy(b + n, "\x40\x03\x04\xc0\x00\x02\x01", 7);
	n += 7;
	if (ncomm == 0)
		return n;
	b[n++] = len > 255 ? 0xd0 : 0xc0;
	b[n++] = 8;
	if (len > 255)
		b[n++] = (uint8_t)(len >> 8);
	b[n++] = (uint8_t)len;
	for (i = 0; i < ncomm; i++) {
		b[n++] = 0xfd;
		b[n++] = 0xe8;
		b[n++] = (uint8_t)(i >> 8);
		b[n++] = (uint8_t)i;
	}
	return n;
}

static const struct {
	uint32_t origin_as;
	size_t ncomm;
	bool kept; /* small enough for a memo slot */
} memo_sets[] = {
	{ 131279, 0, true }, { 131279, 2, true }, { 4837, 0, true },
	{ 20485, 40, true },
	{ 20485, 200, false }, /* 800 octets of communities */
};
#define MEMO_NSETS (sizeof(memo_sets) / sizeof(memo_sets[0]))

/* The bgpwatch body of a route-announced event for a, memo or not. */
static void
memo_render(struct rib_attr *a, struct watch_jmemo *memo, struct wbuf *w)
{
	struct watch_event ev;
	struct json j;

	memset(&ev, 0, sizeof(ev));
	ev.action = WATCH_ROUTE_ANNOUNCED;
	ev.kind = WATCH_KIND_EVENT;
	ev.time = T0;
	ev.has_route = true;
	ck_assert_int_eq(prefix_parse("175.45.176.0/24", &ev.route.prefix), 0);
	ev.route.attr = a;
	wbuf_reset(w);
	json_init(&j, w);
	json_obj_open(&j, NULL);
	watch_event_json_memo(&ev, &j, memo);
	json_obj_close(&j);
	ck_assert_int_eq(json_finish(&j), 0);
	wbuf_put_u8(w, '\0');
}

/*
 * The "attributes" memo changes no octet of any line: every set, in
 * rotating order (so slots are reused and replaced), renders the same
 * with and without it; a set rendered twice in a row is a hit the
 * second time; a set too large for a slot is never kept.
 */
START_TEST(test_attr_memo)
{
	static struct watch_jmemo memo;
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib_attr *a[MEMO_NSETS];
	struct wbuf plain, memoed;
	uint8_t blob[1024];
	uint64_t hits;
	size_t i, round, n;

	memset(&memo, 0, sizeof(memo));
	wbuf_init_dyn(&plain, 0);
	wbuf_init_dyn(&memoed, 0);
	for (i = 0; i < MEMO_NSETS; i++) {
		n = memo_set(blob, memo_sets[i].origin_as, memo_sets[i].ncomm);
		ck_assert_uint_eq(n <= WATCH_JMEMO_CANON, memo_sets[i].kept);
		a[i] = rib_attr_intern(tab, blob, n);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < MEMO_NSETS; i++) {
			memo_render(a[i], NULL, &plain);
			ck_assert_ptr_nonnull(
			    strstr((const char *)wbuf_data(&plain),
			        "\"attributes\":{\"origin\":\"igp\""));
			memo_render(a[i], &memo, &memoed);
			ck_assert_str_eq((const char *)wbuf_data(&memoed),
			    (const char *)wbuf_data(&plain));
			hits = memo.hits;
			memo_render(a[i], &memo, &memoed);
			ck_assert_str_eq((const char *)wbuf_data(&memoed),
			    (const char *)wbuf_data(&plain));
			ck_assert_uint_eq(
			    memo.hits, hits + (memo_sets[i].kept ? 1 : 0));
		}
	}
	for (i = 0; i < WATCH_JMEMO_SLOTS; i++)
		ck_assert(!memo.slot[i].used ||
		    memo.slot[i].canonlen <= WATCH_JMEMO_CANON);
	ck_assert_uint_gt(memo.misses, 0);
	for (i = 0; i < MEMO_NSETS; i++)
		rib_attr_unref(tab, a[i]);
	rib_attrtab_free(tab);
	wbuf_free(&plain);
	wbuf_free(&memoed);
}
END_TEST

static Suite *
event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("event");

	tcase_add_loop_test(
	    tc, test_time, 0, (int)(sizeof(times) / sizeof(times[0])));
	tcase_add_loop_test(
	    tc, test_timespec, 0, (int)(sizeof(stamps) / sizeof(stamps[0])));
	tcase_add_loop_test(
	    tc, test_lines, 0, (int)(sizeof(lines) / sizeof(lines[0])));
	tcase_add_loop_test(
	    tc, test_no_room, 0, (int)(sizeof(lines) / sizeof(lines[0])));
	tcase_add_test(tc, test_sequence);
	tcase_add_test(tc, test_rename);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_attr_memo);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(event_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
