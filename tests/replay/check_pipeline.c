/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Check tests of bgpd/pipeline.c: scripted sessions (UPDATE bodies built
 * here, decoded by update_parse()) through pipeline_update(),
 * pipeline_route(), pipeline_eor(), pipeline_peer_down() and
 * pipeline_mark_stale(), asserting the watch events, the per-UPDATE
 * results and the routes left in the Adj-RIB-In after each step.
 *
 * Public: main().
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "update.h"
#include "wbuf.h"

#define V4 (1u << FAM_IPV4_UNICAST)
#define V6 (1u << FAM_IPV6_UNICAST)
#define MAXEV 16

enum op {
	OP_END,
	OP_UP, /* pipeline_peer_up(arg fams) */
	OP_ANN, /* announce pfx with path */
	OP_BAD, /* announce pfx with a malformed ORIGIN: treat-as-withdraw */
	OP_FIRSTAS, /* announce pfx, caller's treat-as-withdraw reason */
	OP_WDR, /* withdraw pfx */
	OP_RIB, /* pipeline_route() with the blob of an announcement */
	OP_EOR, /* End-of-RIB IPv4 unicast, as an UPDATE */
	OP_DOWN, /* pipeline_peer_down(arg stale families) */
	OP_STALE, /* pipeline_mark_stale(arg families) */
};

struct step {
	enum op op;
	const char *pfx;
	uint32_t arg; /* fams, or the upstream AS of the path */
	const char *events; /* actions, space-separated, in order */
	uint32_t ann, wdr, ign; /* pipeline_result of an UPDATE */
	uint64_t routes; /* in the Adj-RIB-In afterwards */
};

struct scenario {
	const char *name;
	struct step steps[10];
};

#define ANN(p, as, ev, n)                                                      \
	{                                                                      \
		OP_ANN, p, as, ev, 1, 0, 0, n                                  \
	}
#define EOR(ev, n)                                                             \
	{                                                                      \
		OP_EOR, NULL, 0, ev, 0, 0, 0, n                                \
	}

static const struct scenario scenarios[] = {
	{ "transfer, End-of-RIB, baseline",
	    { { OP_UP, NULL, V4, "", 0, 0, 0, 0 },
	        ANN("10.1.0.0/16", 65002, "route-announced", 1),
	        ANN("192.0.2.0/24", 65002, "", 2),
	        EOR("rib-synced baseline-learned", 2),
	        ANN("10.1.0.0/16", 65003, "route-replaced upstream-added", 2),
	        { OP_WDR, "10.1.0.0/16", 0, "route-withdrawn visibility-lost",
	            0, 1, 0, 1 } } },
	{ "treat-as-withdraw (RFC 7606 §7.1 ORIGIN)",
	    { { OP_UP, NULL, V4, "", 0, 0, 0, 0 },
	        ANN("10.1.0.0/16", 65002, "route-announced", 1),
	        ANN("10.2.0.0/16", 65002, "route-announced", 2),
	        EOR("rib-synced baseline-learned", 2),
	        { OP_BAD, "10.1.0.0/16", 65002,
	            "route-treat-as-withdraw route-withdrawn visibility-lost",
	            0, 1, 0, 1 },
	        { OP_BAD, "10.9.0.0/16", 65002, "route-treat-as-withdraw", 0, 1,
	            0, 1 } } },
	{ "caller's treat-as-withdraw (first AS)",
	    { { OP_UP, NULL, V4, "", 0, 0, 0, 0 },
	        ANN("10.1.0.0/16", 65002, "route-announced", 1),
	        { OP_FIRSTAS, "10.1.0.0/16", 65002,
	            "route-treat-as-withdraw route-withdrawn", 0, 1, 0, 0 } } },
	{ "families not carried are skipped",
	    { { OP_UP, NULL, V6, "", 0, 0, 0, 0 },
	        { OP_ANN, "10.1.0.0/16", 65002, "", 0, 0, 1, 0 },
	        { OP_WDR, "10.1.0.0/16", 0, "", 0, 0, 1, 0 } } },
	{ "session down withdraws everything",
	    { { OP_UP, NULL, V4, "", 0, 0, 0, 0 },
	        ANN("10.1.0.0/16", 65002, "route-announced", 1),
	        EOR("rib-synced baseline-learned", 1),
	        { OP_DOWN, NULL, 0, "route-withdrawn", 0, 0, 0, 0 },
	        { OP_ANN, "10.1.0.0/16", 65002, "", 0, 0, 1, 0 } } },
	{ "graceful restart: stale kept, flushed at End-of-RIB",
	    { { OP_UP, NULL, V4, "", 0, 0, 0, 0 },
	        ANN("10.1.0.0/16", 65002, "route-announced", 1),
	        ANN("10.2.0.0/16", 65002, "route-announced", 2),
	        EOR("rib-synced baseline-learned", 2),
	        { OP_DOWN, NULL, V4, "", 0, 0, 0, 2 },
	        { OP_UP, NULL, V4, "", 0, 0, 0, 2 },
	        ANN("10.1.0.0/16", 65002, "", 2),
	        EOR("route-withdrawn rib-synced visibility-lost", 1) } },
	{ "refresh: stale marks, RIB entries, End-of-RIB",
	    { { OP_UP, NULL, V4, "", 0, 0, 0, 0 },
	        { OP_RIB, "10.1.0.0/16", 65002, "route-announced", 0, 0, 0, 1 },
	        { OP_RIB, "10.2.0.0/16", 65002, "route-announced", 0, 0, 0, 2 },
	        EOR("rib-synced baseline-learned", 2),
	        { OP_STALE, NULL, V4 | V6, "", 0, 0, 0, 2 },
	        { OP_RIB, "10.2.0.0/16", 65002, "", 0, 0, 0, 2 },
	        EOR("route-withdrawn visibility-lost rib-synced", 1) } },
};

struct ctx {
	struct pipeline *pl;
	struct pipeline_peer *pp;
	char events[512];
};

static void
on_event(void *arg, const struct watch_event *ev)
{
	struct ctx *c = arg;
	size_t n = strlen(c->events);

	snprintf(c->events + n, sizeof(c->events) - n, "%s%s", n ? " " : "",
	    watch_action_name(ev->action));
}

/* An IPv4 UPDATE body: withdraw pfx, or announce it via 65001 arg 64500. */
static void
build(struct wbuf *b, const struct step *s)
{
	struct prefix p;
	uint8_t origin = s->op == OP_BAD ? 5 : 0; /* 5: no such ORIGIN */
	size_t off;

	wbuf_reset(b);
	if (s->op == OP_EOR) {
		wbuf_put_u16(b, 0);
		wbuf_put_u16(b, 0);
		return;
	}
	ck_assert_int_eq(prefix_parse(s->pfx, &p), 0);
	wbuf_put_u16(b, s->op == OP_WDR ? (uint16_t)(1 + (p.len + 7) / 8) : 0);
	if (s->op == OP_WDR) {
		wbuf_put_u8(b, p.len);
		wbuf_put_bytes(b, p.addr, (p.len + 7) / 8);
		wbuf_put_u16(b, 0);
		return;
	}
	off = wbuf_reserve(b, 2);
	wbuf_put_bytes(b, "\x40\x01\x01", 3); /* ORIGIN */
	wbuf_put_u8(b, origin);
	wbuf_put_bytes(b, "\x40\x02\x0e\x02\x03", 5); /* AS_PATH, 3 ASes */
	wbuf_put_u32(b, 65001);
	wbuf_put_u32(b, s->arg); /* the upstream */
	wbuf_put_u32(b, 64500); /* the origin */
	wbuf_put_bytes(b, "\x40\x03\x04\xc0\x00\x02\x01", 7); /* NEXT_HOP */
	wbuf_set_u16(b, off, (uint16_t)(wbuf_len(b) - off - 2));
	wbuf_put_u8(b, p.len);
	wbuf_put_bytes(b, p.addr, (p.len + 7) / 8);
}

/* OP_RIB: the canonical blob of the announcement, as a RIB dump entry. */
static void
run_rib(struct ctx *c, const struct step *s, struct wbuf *b, int64_t t)
{
	static const struct bgp_sess sess = { .as4 = true };
	struct step ann = *s;
	struct update u;
	struct prefix p;
	struct wbuf canon;

	ann.op = OP_ANN;
	build(b, &ann);
	ck_assert_int_eq(
	    update_parse(wbuf_data(b), wbuf_len(b), &sess, &u, NULL), 0);
	wbuf_init_dyn(&canon, 0);
	ck_assert_int_eq(update_attrs_canon(&u, AFI_IPV4, &canon), 0);
	ck_assert_int_eq(prefix_parse(s->pfx, &p), 0);
	ck_assert_int_ge(pipeline_route(c->pp, SAFI_UNICAST, &p, 0,
	                     wbuf_data(&canon), wbuf_len(&canon), t),
	    0);
	wbuf_free(&canon);
}

static void
run_update(struct ctx *c, const struct step *s, struct wbuf *b, int64_t t)
{
	static const struct bgp_sess sess = { .as4 = true };
	struct pipeline_result res;
	struct update u;

	build(b, s);
	ck_assert_int_eq(
	    update_parse(wbuf_data(b), wbuf_len(b), &sess, &u, NULL), 0);
	ck_assert_int_eq(pipeline_update(c->pp, &u,
	                     s->op == OP_FIRSTAS ? "first AS" : NULL, t, &res),
	    0);
	ck_assert_uint_eq(res.announced, s->ann);
	ck_assert_uint_eq(res.withdrawn, s->wdr);
	ck_assert_uint_eq(res.ignored, s->ign);
}

static void
run_step(struct ctx *c, const struct step *s, struct wbuf *b, int64_t t)
{
	c->events[0] = '\0';
	pipeline_tick(c->pl, t);
	switch (s->op) {
	case OP_UP:
		pipeline_peer_up(c->pp, s->arg, t);
		break;
	case OP_DOWN:
		(void)pipeline_peer_down(c->pp, s->arg, RIB_R_SESSION_DOWN, t);
		break;
	case OP_STALE:
		(void)pipeline_mark_stale(c->pp, s->arg);
		break;
	case OP_RIB:
		run_rib(c, s, b, t);
		break;
	default:
		run_update(c, s, b, t);
		break;
	}
	ck_assert_str_eq(c->events, s->events);
	ck_assert_uint_eq(pipeline_routes(c->pp), s->routes);
}

START_TEST(test_scenario)
{
	const struct scenario *sc = &scenarios[_i];
	struct watch_peer_info info;
	struct watch_conf wc;
	struct prefix p;
	struct ctx c;
	struct wbuf b;
	const char *err;
	size_t i;

	memset(&c, 0, sizeof(c));
	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(addr_parse("192.0.2.1", &info.afi, info.addr), 0);
	info.as = 65001;
	c.pl = pipeline_new(NULL, on_event, &c);
	watch_conf_init(&wc, "w");
	ck_assert_int_eq(prefix_parse("10.0.0.0/8", &p), 0);
	ck_assert_int_eq(
	    watch_conf_add_prefix(&wc, &p, WATCH_MATCH_OR_LONGER), 0);
	ck_assert_int_eq(pipeline_reconf(c.pl, &wc, 1, 0, &err), 0);
	watch_conf_free(&wc);
	c.pp = pipeline_peer_new(c.pl, &info);
	wbuf_init_dyn(&b, 0);
	for (i = 0; sc->steps[i].op != OP_END; i++)
		run_step(&c, &sc->steps[i], &b, 1000 * (int64_t)(i + 1));
	wbuf_free(&b);
	pipeline_peer_free(c.pp, 100000);
	pipeline_free(c.pl);
}
END_TEST

START_TEST(test_bad_verdict)
{
	/* A session-reset UPDATE changes nothing: pipeline_update() -1. */
	static const uint8_t body[] = { 0, 1, 33, 0, 0 }; /* bad withdrawn */
	static const struct bgp_sess sess = { .as4 = true };
	struct watch_peer_info info;
	struct pipeline_result res;
	struct pipeline *pl;
	struct pipeline_peer *pp;
	struct update u;

	memset(&info, 0, sizeof(info));
	info.afi = AFI_IPV4;
	pl = pipeline_new(NULL, NULL, NULL);
	pp = pipeline_peer_new(pl, &info);
	pipeline_peer_up(pp, 0, 1);
	ck_assert_uint_eq(pipeline_peer_fams(pp), V4); /* RFC 4760 §8 */
	ck_assert_int_eq(update_parse(body, sizeof(body), &sess, &u, NULL), -1);
	ck_assert_int_eq(pipeline_update(pp, &u, NULL, 2, &res), -1);
	ck_assert_uint_eq(pipeline_routes(pp), 0);
	pipeline_peer_free(pp, 3);
	pipeline_free(pl);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_scenario, 0,
	    (int)(sizeof(scenarios) / sizeof(scenarios[0])));
	tcase_add_test(tc, test_bad_verdict);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
