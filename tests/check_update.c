/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/update.c: framing into withdrawn / attributes / NLRI,
 * the RFC 7606 decisions that need the whole message (§3(d), §3(j), §4,
 * §5.2, §5.3), ADD-PATH, End-of-RIB, the exact decode JSON, iteration,
 * the canonical blob round trip, byte-complete narration and truncation.
 * The osrg/gobgp vectors (@b7d523b6, Apache-2.0) come from
 * pkg/packet/bgp/bgp_test.go via /work/shared/corpora/vectors/gobgp.jsonl.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "update.h"

#define AS4 1 /* session flags of the tables */
#define AP4 2 /* ADD-PATH IPv4 unicast */
#define AP6 4 /* ADD-PATH IPv6 unicast */

#define PATH_JSON                                                              \
	"\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":[64500,"   \
	"4837,131279]}],\"flat\":[64500,4837,131279],\"length\":3,"            \
	"\"origin_as\":131279,\"upstream_as\":4837,"                           \
	"\"text\":\"64500 4837 131279\"}"
#define OK_JSON                                                                \
	"\"verdict\":{\"action\":\"ok\",\"code\":0,\"subcode\":0,\"reason\":"  \
	"\"\"}"
#define NOEOR "\"end_of_rib\":null,"
#define V6NH "\"next_hop\":\"2001:db8::1\""
#define V6LL "\"next_hop_link_local\":\"fe80::1\""
/* Bad MED, an MP_REACH with a 15-octet IPv6 next hop, IPv4 NLRI. */
#define COMBO                                                                  \
	"000000444001010040020e02030000fbf4000012e5000200cf400304c00002"       \
	"018004050000000064800e1d0002010f00000000000000000000ffff0a0000"       \
	"004020010db80001000018c00002"

static struct bgp_sess
sess(int flags)
{
	struct bgp_sess s = { .as4 = (flags & AS4) != 0 };

	if (flags & AP4)
		s.addpath_rx |= 1u << FAM_IPV4_UNICAST;
	if (flags & AP6)
		s.addpath_rx |= 1u << FAM_IPV6_UNICAST;
	return s;
}

/* update_json() in an object, as a string (the caller frees). */
static char *
decode_json(const struct update *u)
{
	struct wbuf w;
	struct json j;

	testutil_json_start(&w, &j);
	json_obj_open(&j, NULL);
	update_json(u, &j);
	json_obj_close(&j);
	return testutil_json_end(&w, &j);
}
/* Valid UPDATE bodies and their exact decode JSON. */
static const struct {
	const char *name;
	int flags;
	const char *hex;
	const char *json;
	uint16_t canon_afi; /* 0: no canon round trip */
} good[] = {
	{ "IPv4: withdrawn, attributes, NLRI with trailing bits", AS4,
	    "0002080a001c4001010040020e02030000fbf4000012e5000200cf400304c0"
	    "00020118af2db217af2db119c0000280",
	    "{\"withdrawn\":[{\"prefix\":\"10.0.0.0/8\"}],\"announced\":["
	    "{\"prefix\":\"175.45.178.0/24\",\"next_hop\":\"192.0.2.1\"},"
	    "{\"prefix\":\"175.45.176.0/23\",\"next_hop\":\"192.0.2.1\"},"
	    "{\"prefix\":\"192.0.2.128/25\",\"next_hop\":\"192.0.2.1\"}],"
	    "\"attributes\":{\"origin\":\"igp\"," PATH_JSON
	    ",\"next_hop\":\"192.0.2.1\"}," NOEOR OK_JSON "}",
	    AFI_IPV4 },
	{ "IPv6: MP_REACH with link-local, MP_UNREACH", AS4,
	    "000000604001010040020e02030000fbf4000012e5000200cf800e3d000201"
	    "2020010db8000000000000000000000001fe80000000000000000000000000"
	    "0001003020010db800018020010db800000000000000000000000280"
	    "0f080002012020010db9",
	    "{\"withdrawn\":[{\"prefix\":\"2001:db9::/32\"}],\"announced\":["
	    "{\"prefix\":\"2001:db8:1::/48\"," V6NH "," V6LL "},"
	    "{\"prefix\":\"2001:db8::2/128\"," V6NH "," V6LL "}],"
	    "\"attributes\":{\"origin\":\"igp\"," PATH_JSON ",\"mp_reach\":{"
	    "\"afi\":\"ipv6\",\"safi\":\"unicast\",\"next_hop\":["
	    "\"2001:db8::1\",\"fe80::1\"],\"decoded\":true},\"mp_unreach\":{"
	    "\"afi\":\"ipv6\",\"safi\":\"unicast\",\"decoded\":true}}," NOEOR
	        OK_JSON "}",
	    0 },
	{ "ADD-PATH IPv4", AS4 | AP4,
	    "000600000001080a001c4001010040020e02030000fbf4000012e5000200cf"
	    "400304c00002010000000718af2db20000000818af2db2",
	    "{\"withdrawn\":[{\"prefix\":\"10.0.0.0/8\",\"path_id\":1}],"
	    "\"announced\":[{\"prefix\":\"175.45.178.0/24\",\"path_id\":7,"
	    "\"next_hop\":\"192.0.2.1\"},{\"prefix\":\"175.45.178.0/24\","
	    "\"path_id\":8,\"next_hop\":\"192.0.2.1\"}],\"attributes\":{"
	    "\"origin\":\"igp\"," PATH_JSON
	    ",\"next_hop\":\"192.0.2.1\"}," NOEOR OK_JSON "}",
	    AFI_IPV4 },
	{ "ADD-PATH IPv6 only", AS4 | AP6,
	    "000000454001010040020e02030000fbf4000012e5000200cf800e1e000201"
	    "1020010db800000000000000000000000100000000052020010db8800f0c00"
	    "0201000000062020010db9",
	    "{\"withdrawn\":[{\"prefix\":\"2001:db9::/32\",\"path_id\":6}],"
	    "\"announced\":[{\"prefix\":\"2001:db8::/32\",\"path_id\":5," V6NH
	    "}],\"attributes\":{\"origin\":\"igp\"," PATH_JSON
	    ",\"mp_reach\":{\"afi\":\"ipv6\",\"safi\":\"unicast\","
	    "\"next_hop\":[\"2001:db8::1\"],\"decoded\":true},\"mp_unreach\":"
	    "{\"afi\":\"ipv6\",\"safi\":\"unicast\",\"decoded\":true}}," NOEOR
	        OK_JSON "}",
	    0 },
	{ "withdrawals only", 0, "0005080a10c0a80000",
	    "{\"withdrawn\":[{\"prefix\":\"10.0.0.0/8\"},{\"prefix\":"
	    "\"192.168.0.0/16\"}],\"announced\":[],\"attributes\":{}," NOEOR
	        OK_JSON "}",
	    0 },
	{ "2-octet session: AS4_PATH merged", 0,
	    "00000023400101004002080203fbf412e55ba0400304c0000201c0110a0202"
	    "fa56ea01000200cf18af2db2",
	    "{\"withdrawn\":[],\"announced\":[{\"prefix\":\"175.45.178.0/24\","
	    "\"next_hop\":\"192.0.2.1\"}],\"attributes\":{\"origin\":\"igp\","
	    "\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[64500]},{\"type\":\"sequence\",\"asns\":[4200000001,131279]}],"
	    "\"flat\":[64500,4200000001,131279],\"length\":3,"
	    "\"origin_as\":131279,\"upstream_as\":4200000001,"
	    "\"text\":\"64500 4200000001 131279\"},\"next_hop\":\"192.0.2.1\","
	    "\"as4_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[4200000001,131279]}],\"flat\":[4200000001,131279],\"length\":2,"
	    "\"origin_as\":131279,\"upstream_as\":4200000001,"
	    "\"text\":\"4200000001 131279\",\"merged\":true}}," NOEOR OK_JSON
	    "}",
	    0 },
	{ "IPv4 multicast in MP_REACH", AS4,
	    "000000254001010040020e02030000fbf4000012e5000200cf800e0d000102"
	    "04c00002010018e80000",
	    "{\"withdrawn\":[],\"announced\":[{\"prefix\":\"232.0.0.0/24\","
	    "\"next_hop\":\"192.0.2.1\",\"safi\":\"multicast\"}],"
	    "\"attributes\":{\"origin\":\"igp\"," PATH_JSON ",\"mp_reach\":{"
	    "\"afi\":\"ipv4\",\"safi\":\"multicast\",\"next_hop\":["
	    "\"192.0.2.1\"],\"decoded\":true}}," NOEOR OK_JSON "}",
	    AFI_IPV4 },
	{ "IPv4 NLRI with an IPv6 next hop (RFC 8950)", AS4,
	    "000000324001010040020e02030000fbf4000012e5000200cf800e1a000101"
	    "1020010db80000000000000000000000010018c6336400",
	    "{\"withdrawn\":[],\"announced\":[{\"prefix\":\"198.51.100.0/"
	    "24\"," V6NH "},{\"prefix\":\"0.0.0.0/0\"," V6NH
	    "}],\"attributes\":{"
	    "\"origin\":\"igp\"," PATH_JSON ",\"mp_reach\":{\"afi\":\"ipv4\","
	    "\"safi\":\"unicast\",\"next_hop\":[\"2001:db8::1\"],"
	    "\"decoded\":true}}," NOEOR OK_JSON "}",
	    AFI_IPV4 },
	{ "End-of-RIB IPv4 (RFC 4724 §2)", 0, "00000000",
	    "{\"withdrawn\":[],\"announced\":[],\"attributes\":{},"
	    "\"end_of_rib\":{\"afi\":\"ipv4\",\"safi\":\"unicast\"}," OK_JSON
	    "}",
	    0 },
	{ "End-of-RIB IPv6", AS4, "00000006800f03000201",
	    "{\"withdrawn\":[],\"announced\":[],\"attributes\":{\"mp_unreach\":"
	    "{\"afi\":\"ipv6\",\"safi\":\"unicast\",\"decoded\":true}},"
	    "\"end_of_rib\":{\"afi\":\"ipv6\",\"safi\":\"unicast\"}," OK_JSON
	    "}",
	    0 },
	{ "End-of-RIB L2VPN EVPN", AS4, "00000006800f03001946",
	    "{\"withdrawn\":[],\"announced\":[],\"attributes\":{\"mp_unreach\":"
	    "{\"afi\":\"l2vpn\",\"safi\":\"evpn\",\"decoded\":false}},"
	    "\"end_of_rib\":{\"afi\":\"l2vpn\",\"safi\":\"evpn\"}," OK_JSON "}",
	    0 },
	{ "NEXT_HOP 0.0.0.0 in an MP-only UPDATE is ignored", AS4,
	    "000000394001010040020e02030000fbf4000012e5000200cf400304000000"
	    "00800e1a0002011020010db8000000000000000000000001002020010db8",
	    "{\"withdrawn\":[],\"announced\":[{\"prefix\":\"2001:db8::/"
	    "32\"," V6NH "}],\"attributes\":{\"origin\":\"igp\"," PATH_JSON
	    ",\"mp_reach\":{\"afi\":\"ipv6\",\"safi\":\"unicast\","
	    "\"next_hop\":[\"2001:db8::1\"],\"decoded\":true}}," NOEOR
	    "\"verdict\":{\"action\":\"attribute-discard\",\"code\":3,"
	    "\"subcode\":8,\"reason\":\"NEXT_HOP: 0.0.0.0 is not a valid host "
	    "address (RFC 4271 §6.3, RFC 7606 §3(e))\","
	    "\"data\":\"40030400000000\"}}",
	    AFI_IPV6 },
	/* osrg/gobgp @b7d523b6: Test_MalformedUpdateMsg/0 (AS_PATH length
	 * 0x17 past the attributes): RFC 7606 §4, treat-as-withdraw, and the
	 * Total Path Attribute Length still finds the NLRI. */
	{ "gobgp Test_MalformedUpdateMsg/0", 0,
	    "0000001640010100400304c0a801644002170203fde8fde8fde8080a",
	    "{\"withdrawn\":[],\"announced\":[{\"prefix\":\"10.0.0.0/8\","
	    "\"next_hop\":\"192.168.1.100\"}],\"attributes\":{\"origin\":"
	    "\"igp\",\"next_hop\":\"192.168.1.100\"}," NOEOR
	    "\"verdict\":{\"action\":\"treat-as-withdraw\",\"code\":3,"
	    "\"subcode\":5,\"reason\":\"AS_PATH: attribute length overruns "
	    "the path attributes (RFC 7606 §4)\","
	    "\"data\":\"4002170203fde8fde8fde8\"}}",
	    0 },
};

START_TEST(test_good)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(good[_i].hex, buf, sizeof(buf));
	struct bgp_sess s = sess(good[_i].flags);
	struct update u;
	struct explain ex;
	char *js;

	explain_init(&ex, buf);
	ck_assert_int_eq(update_parse(buf, n, &s, &u, &ex), 0);
	js = decode_json(&u);
	ck_assert_str_eq(js, good[_i].json);
	free(js);
	/* Every octet of the body narrated, nested ranges tiling. */
	ck_assert_int_eq(ex.err, 0);
	ck_assert_uint_eq(testutil_tile(&ex, 0, 0, 0, n, true), ex.n);
	explain_free(&ex);
	/* Without explain the result is the same. */
	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
	js = decode_json(&u);
	ck_assert_str_eq(js, good[_i].json);
	free(js);
}
END_TEST

/*
 * Every proper prefix of a valid body: a cut before the end of the path
 * attributes is a session reset (the lengths do not fit, RFC 4271 §6.3);
 * a cut inside the NLRI either ends on a prefix boundary or is an
 * Invalid Network Field (or, with an error already found and no NLRI
 * left, the RFC 7606 §5.2 reset). Never a read past the copy (ASan).
 */
START_TEST(test_truncation)
{
	uint8_t buf[512], *copy;
	size_t n = testutil_unhex(good[_i].hex, buf, sizeof(buf)), cut,
	       nlri_off;
	struct bgp_sess s = sess(good[_i].flags);
	struct update u;
	int rc;

	nlri_off = 4 + (size_t)(buf[0] << 8 | buf[1]);
	nlri_off += (size_t)(buf[nlri_off - 2] << 8 | buf[nlri_off - 1]);
	for (cut = 0; cut < n; cut++) {
		copy = malloc(cut + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, cut);
		rc = update_parse(copy, cut, &s, &u, NULL);
		free(decode_json(&u));
		if (cut < nlri_off) {
			ck_assert_int_eq(rc, -1);
			ck_assert_int_eq(
			    u.verdict.action, VERDICT_SESSION_RESET);
			ck_assert_uint_eq(
			    u.verdict.subcode, BGP_ERR_UPD_ATTRLIST);
		} else if (rc == -1 && u.verdict.subcode != BGP_ERR_UPD_NETWORK)
			/* Cut down to no NLRI: RFC 7606 §5.2 escalation. */
			ck_assert(strstr(u.verdict.reason, "§5.2") != NULL);
		free(copy);
	}
}
END_TEST

/* Canon blob round trip: attr_canon_json() of the blob is the same. */
static void
canon_roundtrip(int i)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(good[i].hex, buf, sizeof(buf));
	struct bgp_sess s = sess(good[i].flags);
	struct update u;
	struct wbuf blob, w1, w2;
	struct json j1, j2;

	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
	wbuf_init_dyn(&blob, 0);
	ck_assert_int_eq(update_attrs_canon(&u, good[i].canon_afi, &blob), 0);
	wbuf_init_dyn(&w1, 0);
	wbuf_init_dyn(&w2, 0);
	json_init(&j1, &w1);
	json_init(&j2, &w2);
	attr_json(&u.attrs, &j1, NULL);
	ck_assert_int_eq(
	    attr_canon_json(wbuf_data(&blob), wbuf_len(&blob), &j2, NULL), 0);
	ck_assert_int_eq(json_finish(&j1), 0);
	ck_assert_int_eq(json_finish(&j2), 0);
	wbuf_put_u8(&w1, 0);
	wbuf_put_u8(&w2, 0);
	ck_assert_str_eq(
	    (const char *)wbuf_data(&w2), (const char *)wbuf_data(&w1));
	wbuf_free(&blob);
	wbuf_free(&w1);
	wbuf_free(&w2);
}

START_TEST(test_canon_roundtrip)
{
	int i, done = 0;

	for (i = 0; i < (int)(sizeof(good) / sizeof(good[0])); i++) {
		if (good[i].canon_afi == 0)
			continue;
		canon_roundtrip(i);
		done++;
	}
	ck_assert_int_ge(done, 5);
}
END_TEST

/* Malformed UPDATEs: RFC 7606 approach, code/subcode, reason. */
static const struct {
	const char *name;
	int flags;
	const char *hex;
	enum verdict_action act;
	uint8_t subcode;
	const char *why;
	const char *data; /* hex of the NOTIFICATION data, NULL: none */
} bad[] = {
	{ "empty body", 0, "", VERDICT_SESSION_RESET, 1,
	    "Withdrawn Routes Length", NULL },
	{ "one octet", 0, "00", VERDICT_SESSION_RESET, 1, "RFC 4271 §6.3",
	    NULL },
	{ "Withdrawn Routes Length too large", 0, "00050000",
	    VERDICT_SESSION_RESET, 1, "Withdrawn Routes Length", NULL },
	{ "Total Path Attribute Length missing", 0, "0000",
	    VERDICT_SESSION_RESET, 1, "Total Path Attribute Length", NULL },
	{ "Total Path Attribute Length too large", 0, "000000054001",
	    VERDICT_SESSION_RESET, 1, "Total Path Attribute Length", NULL },
	{ "withdrawn prefix length 33", 0, "0006210a000000000000",
	    VERDICT_SESSION_RESET, 10,
	    "withdrawn routes: prefix length 33 exceeds 32 (RFC 7606 §5.3)",
	    NULL },
	{ "withdrawn prefix overruns the field", 0, "0003180a000000",
	    VERDICT_SESSION_RESET, 10, "needs 3 octets, 2 left", NULL },
	{ "withdrawn path identifier cut short (ADD-PATH)", AP4,
	    "00030000010000", VERDICT_SESSION_RESET, 10,
	    "path identifier cut short", NULL },
	{ "NLRI overruns", AS4,
	    "0000001c4001010040020e02030000fbf4000012e5000200cf400304c00002"
	    "01180a00",
	    VERDICT_SESSION_RESET, 10, "NLRI: prefix of length 24", NULL },
	{ "NLRI prefix length 33", AS4,
	    "0000001c4001010040020e02030000fbf4000012e5000200cf400304c00002"
	    "01210a00000000",
	    VERDICT_SESSION_RESET, 10, "prefix length 33 exceeds 32", NULL },
	{ "NLRI without ADD-PATH identifier room", AS4 | AP4,
	    "0000001c4001010040020e02030000fbf4000012e5000200cf400304c00002"
	    "01000001",
	    VERDICT_SESSION_RESET, 10, "path identifier cut short", NULL },
	{ "NLRI and no attributes", 0, "0000000018c00002",
	    VERDICT_TREAT_AS_WITHDRAW, 3,
	    "missing well-known attribute ORIGIN (RFC 7606 §3(d))", "01" },
	{ "NLRI without NEXT_HOP", AS4,
	    "000000154001010040020e02030000fbf4000012e5000200cf18c00002",
	    VERDICT_TREAT_AS_WITHDRAW, 3, "attribute NEXT_HOP", "03" },
	{ "MP_REACH without AS_PATH", AS4,
	    "0000002140010100800e1a0002011020010db8000000000000000000000001"
	    "002020010db8",
	    VERDICT_TREAT_AS_WITHDRAW, 3, "attribute AS_PATH", "02" },
	{ "unrecognized well-known attribute", AS4,
	    "000000204001010040020e02030000fbf4000012e5000200cf400304c00002"
	    "014063010018c00002",
	    VERDICT_SESSION_RESET, 2, "unrecognized well-known", "40630100" },
	/* osrg/gobgp @b7d523b6: Test_MalformedUpdateMsg/1. No NLRI, but
	 * attribute-discard is exempt from RFC 7606 §5.2. */
	{ "gobgp Test_MalformedUpdateMsg/1", 0,
	    "00000016c00705000000640040010100400304c0a80164400200",
	    VERDICT_ATTR_DISCARD, 5, "AGGREGATOR: length 5, expected 6",
	    "c007050000006400" },
	{ "gobgp Test_MalformedUpdateMsg/2", 0,
	    "00000027800e1d0002010f00000000000000000000ffff0a0000004020010d"
	    "b80001000040010100400200",
	    VERDICT_AFI_SAFI_DISABLE, 9, "next hop length 15 invalid",
	    "800e1d0002010f00000000000000000000ffff0a0000004020010db8000100"
	    "00" },
	/*
	 * osrg/gobgp @b7d523b6: Test_MalformedUpdateMsg/3. GoBGP answers
	 * treat-as-withdraw; the UPDATE has attributes but no NLRI, and
	 * RFC 7606 §5.2 makes any error beyond attribute-discard a reset.
	 */
	{ "gobgp Test_MalformedUpdateMsg/3 (RFC 7606 §5.2)", 0,
	    "0000000ec0010100400304c0a80164400200", VERDICT_SESSION_RESET, 4,
	    "no reachable NLRI (RFC 7606 §5.2): ORIGIN: flags 0xc0",
	    "c0010100" },
	/* osrg/gobgp @b7d523b6: Test_MalformedUpdateMsg/4: the most severe
	 * of attribute-discard and treat-as-withdraw (RFC 7606 §3(h)). */
	{ "gobgp Test_MalformedUpdateMsg/4", 0,
	    "0000001ec007050000006400800405000000006440010100400200400304c0"
	    "a8016420c8c8c8c8",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "MULTI_EXIT_DISC: length 5",
	    "8004050000000064" },
	{ "bad MED, no NLRI: RFC 7606 §5.2", AS4,
	    "000000244001010040020e02030000fbf4000012e5000200cf400304c00002"
	    "018004050000000064",
	    VERDICT_SESSION_RESET, 5, "no reachable NLRI", "8004050000000064" },
	{ "bad MED with MP_REACH: treat-as-withdraw", AS4,
	    "0000003a4001010040020e02030000fbf4000012e5000200cf800405000000"
	    "0064800e1a0002011020010db8000000000000000000000001002020010db8",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "MULTI_EXIT_DISC",
	    "8004050000000064" },
	{ "bad MP_UNREACH alone: afi-safi-disable, no §5.2", AS4,
	    "00000009800f06000201302001", VERDICT_AFI_SAFI_DISABLE, 9,
	    "withdrawn routes: prefix of length 48", "800f06000201302001" },
	{ "bad MED and bad MP_REACH next hop", AS4, COMBO,
	    VERDICT_AFI_SAFI_DISABLE, 9, "next hop length 15",
	    "800e1d0002010f00000000000000000000ffff0a0000004020010db8000100"
	    "00" },
	{ "repeated MP_REACH_NLRI", AS4,
	    "0000001c800e0b00010104c0000201000801800e0b00010104c00002010008"
	    "01",
	    VERDICT_SESSION_RESET, 1, "appears more than once",
	    "800e0b00010104c0000201000801" },
};

static void
check_data(const struct verdict *v, const char *want)
{
	uint8_t buf[128];
	size_t n;

	if (want == NULL) {
		ck_assert_uint_eq(v->datalen, 0);
		return;
	}
	n = testutil_unhex(want, buf, sizeof(buf));
	ck_assert_uint_eq(v->datalen, n);
	ck_assert(memcmp(v->data, buf, n) == 0);
}

START_TEST(test_bad)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(bad[_i].hex, buf, sizeof(buf));
	struct bgp_sess s = sess(bad[_i].flags);
	struct update_iter it;
	struct update u;
	struct prefix p;
	uint32_t id;
	uint8_t safi;
	int rc;

	rc = update_parse(buf, n, &s, &u, NULL);
	ck_assert_msg(u.verdict.action == bad[_i].act, "%s: got %s (%s)",
	    bad[_i].name, verdict_action_name(u.verdict.action),
	    u.verdict.reason);
	ck_assert_int_eq(rc, bad[_i].act == VERDICT_SESSION_RESET ? -1 : 0);
	ck_assert_uint_eq(u.verdict.code, BGP_ERR_UPDATE);
	ck_assert_uint_eq(u.verdict.subcode, bad[_i].subcode);
	ck_assert_msg(strstr(u.verdict.reason, bad[_i].why) != NULL,
	    "%s: reason '%s'", bad[_i].name, u.verdict.reason);
	check_data(&u.verdict, bad[_i].data);
	if (rc == -1) { /* nothing is walked after a session reset */
		update_iter_init(&it, &u, UPDATE_ANNOUNCED);
		ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);
		update_iter_init(&it, &u, UPDATE_WITHDRAWN);
		ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);
	}
	if (u.verdict.action == VERDICT_TREAT_AS_WITHDRAW)
		ck_assert(u.treat_as_withdraw);
	free(decode_json(&u));
}
END_TEST

/* An afi-safi-disable that won over a treat-as-withdraw says so. */
START_TEST(test_disable_and_withdraw)
{
	uint8_t buf[256];
	size_t n = testutil_unhex(COMBO, buf, sizeof(buf));
	struct bgp_sess s = sess(AS4);
	struct update_iter it;
	struct update u;
	struct prefix p;
	uint32_t id;
	uint8_t safi;
	char *js;

	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
	ck_assert_int_eq(u.verdict.action, VERDICT_AFI_SAFI_DISABLE);
	ck_assert(u.treat_as_withdraw);
	ck_assert_uint_eq(u.disable_afi, AFI_IPV6);
	ck_assert_uint_eq(u.disable_safi, SAFI_UNICAST);
	/* The IPv4 NLRI is walked, the disabled family is not. */
	update_iter_init(&it, &u, UPDATE_ANNOUNCED);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 1);
	ck_assert_uint_eq(p.afi, AFI_IPV4);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);
	js = decode_json(&u);
	ck_assert(strstr(js,
	              "\"disabled\":{\"afi\":\"ipv6\",\"safi\":"
	              "\"unicast\"},\"treat_as_withdraw\":true") != NULL);
	free(js);
}
END_TEST

/* The iterator: order, families, path ids, SAFI. */
START_TEST(test_iter)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(good[3].hex, buf, sizeof(buf));
	struct bgp_sess s = sess(AS4 | AP6);
	struct update_iter it;
	struct update u;
	struct prefix p, want;
	uint32_t id;
	uint8_t safi;

	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
	update_iter_init(&it, &u, UPDATE_ANNOUNCED);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 1);
	ck_assert_int_eq(prefix_parse("2001:db8::/32", &want), 0);
	ck_assert_int_eq(prefix_cmp(&p, &want), 0);
	ck_assert_uint_eq(id, 5);
	ck_assert_uint_eq(safi, SAFI_UNICAST);
	ck_assert_int_eq(it.stage, 1);
	ck_assert(it.addpath);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);

	n = testutil_unhex(good[0].hex, buf, sizeof(buf));
	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
	update_iter_init(&it, &u, UPDATE_ANNOUNCED);
	for (n = 0; update_iter_next(&it, &p, &id, &safi); n++) {
		ck_assert_uint_eq(id, 0);
		ck_assert_int_eq(it.stage, 0);
	}
	ck_assert_uint_eq(n, 3);
	update_iter_init(&it, &u, UPDATE_WITHDRAWN);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 1);
	ck_assert_int_eq(prefix_parse("10.0.0.0/8", &want), 0);
	ck_assert_int_eq(prefix_cmp(&p, &want), 0);
	ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);
}
END_TEST

/* update_encode_eor() makes what update_parse() calls End-of-RIB. */
static const struct {
	uint16_t afi;
	uint8_t safi;
	const char *hex;
} eors[] = {
	{ AFI_IPV4, SAFI_UNICAST,
	    "ffffffffffffffffffffffffffffffff0017020000"
	    "0000" },
	{ AFI_IPV6, SAFI_UNICAST,
	    "ffffffffffffffffffffffffffffffff001d020000"
	    "0006800f03000201" },
	{ AFI_IPV4, SAFI_MULTICAST,
	    "ffffffffffffffffffffffffffffffff001d02"
	    "00000006800f03000102" },
	{ AFI_L2VPN, SAFI_EVPN,
	    "ffffffffffffffffffffffffffffffff001d020000"
	    "0006800f03001946" },
};

START_TEST(test_eor)
{
	uint8_t want[64];
	size_t n = testutil_unhex(eors[_i].hex, want, sizeof(want));
	struct bgp_sess s = sess(AS4);
	struct update u;
	struct wbuf w;

	wbuf_init_dyn(&w, 0);
	update_encode_eor(&w, eors[_i].afi, eors[_i].safi);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), n);
	ck_assert(memcmp(wbuf_data(&w), want, n) == 0);
	ck_assert_int_eq(update_parse(wbuf_data(&w) + BGP_HDR_LEN,
	                     n - BGP_HDR_LEN, &s, &u, NULL),
	    0);
	ck_assert(u.eor);
	ck_assert_uint_eq(u.eor_afi, eors[_i].afi);
	ck_assert_uint_eq(u.eor_safi, eors[_i].safi);
	ck_assert_int_eq(u.verdict.action, VERDICT_OK);
	wbuf_free(&w);
}
END_TEST

/* Not End-of-RIB: withdrawals, or MP_UNREACH with routes or company. */
START_TEST(test_not_eor)
{
	static const char *bodies[] = {
		"0005080a10c0a80000",
		"00000008800f050002012000",
		"0000000a800f0300020140010100",
		"0000000a40010100800f03000201",
	};
	struct bgp_sess s = sess(AS4);
	struct update u;
	uint8_t buf[64];
	size_t i, n;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		n = testutil_unhex(bodies[i], buf, sizeof(buf));
		ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
		ck_assert_msg(!u.eor, "body %zu", i);
	}
}
END_TEST

/* Canon per family: v4 keeps NEXT_HOP, v6 keeps the reduced MP_REACH. */
START_TEST(test_canon_family)
{
	uint8_t buf[512];
	struct bgp_sess s = sess(AS4);
	struct attr_summary sum;
	struct update u;
	struct wbuf w;
	size_t n;

	/* NLRI 192.0.2.0/24 and MP_REACH IPv6 in one UPDATE. */
	n = testutil_unhex(
	    "000000494001010040020e02030000fbf4000012e5000200cf400304c000"
	    "0201800e2a0002012020010db8000000000000000000000001fe800000"
	    "000000000000000000000001002020010db818c00002",
	    buf, sizeof(buf));
	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), 0);
	ck_assert_int_eq(u.verdict.action, VERDICT_OK);
	wbuf_init_dyn(&w, 0);
	ck_assert_int_eq(update_attrs_canon(&u, AFI_IPV4, &w), 0);
	ck_assert_int_eq(
	    attr_canon_summary(wbuf_data(&w), wbuf_len(&w), &sum), 0);
	ck_assert_uint_eq(sum.nh_afi, AFI_IPV4);
	ck_assert(memcmp(sum.nh, "\xc0\x00\x02\x01", 4) == 0);
	wbuf_reset(&w);
	ck_assert_int_eq(update_attrs_canon(&u, AFI_IPV6, &w), 0);
	ck_assert_int_eq(
	    attr_canon_summary(wbuf_data(&w), wbuf_len(&w), &sum), 0);
	ck_assert_uint_eq(sum.nh_afi, AFI_IPV6);
	ck_assert_uint_eq(sum.nhlen, 32);
	ck_assert(sum.has_origin_as && sum.origin_as == 131279);
	wbuf_free(&w);
	/* No blob for an UPDATE that reset the session. */
	n = testutil_unhex("00050000", buf, sizeof(buf));
	ck_assert_int_eq(update_parse(buf, n, &s, &u, NULL), -1);
	wbuf_init_dyn(&w, 0);
	ck_assert_int_eq(update_attrs_canon(&u, AFI_IPV4, &w), -1);
	wbuf_free(&w);
}
END_TEST

/*
 * osrg/gobgp @b7d523b6 fuzzer-found messages (bad-len/...): the UPDATE
 * bodies of those whose header type is 2 must decode without a crash.
 */
static const char *fuzz[] = {
	/* 147a924d9a4a4d9960f8bb49e3ec782ee93f82a7 */
	"30303030303030303030303030303030001f0200000003800f0500194603003030",
	/* 27f19d6959e9cbecfcd09b28c3aec493a4b6f18d */
	"303030303030303030303030303030300040020000000330303030903000133030"
	"303030303030303030303030303030303030303030003030800f0400018030",
	/* 3765bb2392d48ca8edaf0b5e39209eb2d1b87c53 */
	"303030303030303030303030303030300030020000000330303030e02809300000"
	"30303030303030303030303030303030303030303030303030303030303030",
	/* 3dce7e046d709b142092e15b78e9ad20ee5144fa */
	"30303030303030303030303030303030001f0200000003800f0500194602000000"
	"30303030",
	/* 4d4dc736bc89bf41363774d282b8a7641c3e7a98 */
	"30303030303030303030303030303030001f0200000003801a053000023030",
	/* 66e6aab4f34c9c5783c18f90b2d987e5dad241e0 */
	"30303030303030303030303030303030001f0200000003800f050019460100",
	/* a8ecedce17e2e28a466cf9fb3bfaf2d8554fef42 */
	"30303030303030303030303030303030001f0200000003800f050019460400",
	/* b7ed0646a97127bf424da480a53a84a0cb9c9565 */
	"30303030303030303030303030303030001f0200000003800f05000186303030"
	"303030",
};

START_TEST(test_fuzz)
{
	uint8_t buf[256];
	size_t n = testutil_unhex(fuzz[_i], buf, sizeof(buf)), off;
	struct bgp_sess s = sess(0);
	struct update u;
	struct explain ex;

	ck_assert_uint_eq(buf[18], BGP_MSG_UPDATE);
	/* Every suffix of the body, with and without narration. */
	for (off = BGP_HDR_LEN; off <= n; off++) {
		explain_init(&ex, buf + off);
		if (update_parse(buf + off, n - off, &s, &u, &ex) == 0)
			ck_assert_int_ne(
			    u.verdict.action, VERDICT_SESSION_RESET);
		free(decode_json(&u));
		explain_free(&ex);
	}
}
END_TEST

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
update_suite(void)
{
	Suite *s = suite_create("update");
	TCase *tc = tcase_create("update");

	tcase_add_loop_test(tc, test_good, 0, NELEM(good));
	tcase_add_loop_test(tc, test_truncation, 0, NELEM(good));
	tcase_add_test(tc, test_canon_roundtrip);
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad));
	tcase_add_test(tc, test_disable_and_withdraw);
	tcase_add_test(tc, test_iter);
	tcase_add_loop_test(tc, test_eor, 0, NELEM(eors));
	tcase_add_test(tc, test_not_eor);
	tcase_add_test(tc, test_canon_family);
	tcase_add_loop_test(tc, test_fuzz, 0, NELEM(fuzz));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(update_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
