/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/attr.c: every attribute valid and malformed with the
 * RFC 7606 approach, code and subcode; extended community typing; RFC 6793
 * reconciliation; the canonical blob (ordering, AS4 folding, Partial bit,
 * summary, JSON round trip); byte-complete narration; truncation.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "testutil.h"

/* Attributes used to build sections (flags, type, length, value). */
#define ORIGIN "40010100"
#define ASPATH4 "40020e02030000fbf4000012e5000200cf" /* 64500 4837 131279 */
#define ASPATH2 "4002080203fbf412e55ba0" /* 64500 4837 23456 */
#define NEXTHOP "400304c0000201" /* 192.0.2.1 */
#define MED "80040400000064"
#define LPREF "400504000000c8"
#define ATOMIC "400600"
#define AGGR4 "c007080000fbf4c0000201"
#define AGGR2 "c00706fbf4c0000201"
#define COMM "c00808fde80064ffffff01"
#define ORIGID "800904c0000202"
#define CLIST "800a08c0000203c0000204"
#define EXTC "c010080002fde800000064"
#define AS4PATH "c0110a0202fa56ea01000200cf" /* 4200000001 131279 */
#define AS4AGGR "c01208fa56ea01c0000209"
#define LARGE "c0200c0000fbf40000000100000002"
#define OTC "c023040000fbf4"
#define UNK_OT "c06303aabbcc" /* type 99, optional transitive */
#define UNK_ON "80c80100" /* type 200, optional non-transitive */
#define REACH6                                                                 \
	"800e2a00020120"                                                       \
	"20010db8000000000000000000000001"                                     \
	"fe800000000000000000000000000001"                                     \
	"00"                                                                   \
	"2020010db8"

#define PATH_JSON                                                              \
	"\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":[64500,"   \
	"4837,131279]}],\"flat\":[64500,4837,131279],\"length\":3,"            \
	"\"origin_as\":131279,\"upstream_as\":4837,"                           \
	"\"text\":\"64500 4837 131279\"}"

#define FULL_JSON                                                              \
	"{\"origin\":\"igp\"," PATH_JSON ",\"next_hop\":\"192.0.2.1\","        \
	"\"med\":100,\"local_pref\":200,\"atomic_aggregate\":true,"            \
	"\"aggregator\":{\"as\":64500,\"address\":\"192.0.2.1\"},"             \
	"\"communities\":[\"65000:100\",\"65535:65281\"],"                     \
	"\"originator_id\":\"192.0.2.2\","                                     \
	"\"cluster_list\":[\"192.0.2.3\",\"192.0.2.4\"],"                      \
	"\"extended_communities\":[{\"type\":0,\"subtype\":2,"                 \
	"\"name\":\"target\",\"value\":\"65000:100\","                         \
	"\"text\":\"target:65000:100\"}],"                                     \
	"\"large_communities\":[\"64500:1:2\"],\"otc\":64500"

/* Parse a section; returns attr_parse()'s result. */
static int
parse(const uint8_t *p, size_t n, bool as4, size_t nlri, struct attr_set *a,
    struct verdict *v, struct explain *ex)
{
	struct bgp_sess s = { .as4 = as4 };
	struct rbuf r;

	verdict_clear(v);
	rbuf_init(&r, p, n);
	return attr_parse(&r, &s, nlri, a, v, ex);
}

/* The attributes object of a parsed set, as a NUL-terminated string. */
static char *
attrs_json(const struct attr_set *a)
{
	struct wbuf w;
	struct json j;

	testutil_json_start(&w, &j);
	attr_json(a, &j, NULL);
	return testutil_json_end(&w, &j);
}
/* Valid sections and the exact attributes JSON. */
static const struct {
	const char *name;
	bool as4;
	const char *hex;
	const char *json;
} good[] = {
	{ "every attribute", true,
	    ORIGIN ASPATH4 NEXTHOP MED LPREF ATOMIC AGGR4 COMM ORIGID CLIST EXTC
	        LARGE OTC UNK_OT,
	    FULL_JSON ",\"unknown\":[{\"type\":99,\"flags\":192,"
	              "\"value\":\"aabbcc\"}]}" },
	{ "every attribute, reversed order", true,
	    UNK_OT OTC LARGE EXTC CLIST ORIGID COMM AGGR4 ATOMIC LPREF MED
	        NEXTHOP ASPATH4 ORIGIN,
	    FULL_JSON ",\"unknown\":[{\"type\":99,\"flags\":192,"
	              "\"value\":\"aabbcc\"}]}" },
	{ "empty section", false, "", "{}" },
	{ "extended length flag on a short attribute", true,
	    "5001000102" ASPATH4, "{\"origin\":\"incomplete\"," PATH_JSON "}" },
	{ "partial bit on a well-known attribute is not a flag error", true,
	    "60010101", "{\"origin\":\"egp\"}" },
	{ "2-octet AS_PATH and AGGREGATOR", false, ASPATH2 AGGR2,
	    "{\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[64500,4837,23456]}],\"flat\":[64500,4837,23456],\"length\":3,"
	    "\"origin_as\":23456,\"upstream_as\":4837,"
	    "\"text\":\"64500 4837 23456\"},"
	    "\"aggregator\":{\"as\":64500,\"address\":\"192.0.2.1\"}}" },
	{ "RFC 6793 merge, AGGREGATOR is AS_TRANS", false,
	    ASPATH2 "c007065ba0c0000201" AS4PATH AS4AGGR,
	    "{\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[64500]},{\"type\":\"sequence\",\"asns\":[4200000001,131279]}],"
	    "\"flat\":[64500,4200000001,131279],\"length\":3,"
	    "\"origin_as\":131279,\"upstream_as\":4200000001,"
	    "\"text\":\"64500 4200000001 131279\"},"
	    "\"aggregator\":{\"as\":4200000001,\"address\":\"192.0.2.9\"},"
	    "\"as4_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[4200000001,131279]}],\"flat\":[4200000001,131279],\"length\":2,"
	    "\"origin_as\":131279,\"upstream_as\":4200000001,"
	    "\"text\":\"4200000001 131279\",\"merged\":true},"
	    "\"as4_aggregator\":{\"as\":4200000001,\"address\":\"192.0.2.9\"}"
	    "}" },
	{ "RFC 6793: AGGREGATOR not AS_TRANS, AS4 attributes ignored", false,
	    "4002040201fbf4" AGGR2 "c011060201fa56ea01" AS4AGGR,
	    "{\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[64500]}],\"flat\":[64500],\"length\":1,\"origin_as\":64500,"
	    "\"upstream_as\":null,\"text\":\"64500\"},"
	    "\"aggregator\":{\"as\":64500,\"address\":\"192.0.2.1\"},"
	    "\"as4_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[4200000001]}],\"flat\":[4200000001],\"length\":1,"
	    "\"origin_as\":4200000001,\"upstream_as\":null,"
	    "\"text\":\"4200000001\",\"merged\":false},"
	    "\"as4_aggregator\":{\"as\":4200000001,\"address\":\"192.0.2.9\"}"
	    "}" },
	{ "RFC 6793: 4-octet session ignores AS4_PATH", true,
	    "4002060201fa56ea01"
	    "c011060201fa56ea02",
	    "{\"as_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[4200000001]}],\"flat\":[4200000001],\"length\":1,"
	    "\"origin_as\":4200000001,\"upstream_as\":null,"
	    "\"text\":\"4200000001\"},"
	    "\"as4_path\":{\"segments\":[{\"type\":\"sequence\",\"asns\":"
	    "[4200000002]}],\"flat\":[4200000002],\"length\":1,"
	    "\"origin_as\":4200000002,\"upstream_as\":null,"
	    "\"text\":\"4200000002\",\"merged\":false}}" },
	{ "MP_REACH IPv6 with link-local next hop", true, REACH6,
	    "{\"mp_reach\":{\"afi\":\"ipv6\",\"safi\":\"unicast\","
	    "\"next_hop\":[\"2001:db8::1\",\"fe80::1\"],\"decoded\":true}}" },
	{ "MP_REACH IPv4 with an IPv6 next hop (RFC 8950)", true,
	    "800e1d00010110"
	    "20010db8000000000000000000000001"
	    "00"
	    "18c00002"
	    "18c00003",
	    "{\"mp_reach\":{\"afi\":\"ipv4\",\"safi\":\"unicast\","
	    "\"next_hop\":[\"2001:db8::1\"],\"decoded\":true}}" },
	{ "MP_REACH L2VPN EVPN kept undecoded", true,
	    "800e0e0019460400000001"
	    "00"
	    "0203aabbcc",
	    "{\"mp_reach\":{\"afi\":\"l2vpn\",\"safi\":\"evpn\","
	    "\"next_hop_hex\":\"00000001\",\"decoded\":false}}" },
	{ "MP_REACH of an unnamed family", true,
	    "800e0a0063fa0400000001"
	    "00"
	    "aa",
	    "{\"mp_reach\":{\"afi\":\"99\",\"safi\":\"250\","
	    "\"next_hop_hex\":\"00000001\",\"decoded\":false}}" },
	{ "MP_UNREACH IPv6 multicast", true,
	    "800f090002022020010db8"
	    "00",
	    "{\"mp_unreach\":{\"afi\":\"ipv6\",\"safi\":\"multicast\","
	    "\"decoded\":true}}" },
	{ "unknown optional attributes kept raw, by type", true,
	    UNK_ON "e0630101"
	           "801601ff",
	    "{\"unknown\":[{\"type\":22,\"name\":\"PMSI_TUNNEL\",\"flags\":128,"
	    "\"value\":\"ff\"},{\"type\":99,\"flags\":224,\"value\":\"01\"},"
	    "{\"type\":200,\"flags\":128,\"value\":\"00\"}]}" },
	{ "IPv6 address specific extended community (RFC 5701)", true,
	    "c019140002"
	    "20010db8000000000000000000000001"
	    "0064",
	    "{\"ipv6_extended_communities\":[{\"type\":0,\"subtype\":2,"
	    "\"name\":\"target\",\"value\":\"[2001:db8::1]:100\","
	    "\"text\":\"target:[2001:db8::1]:100\"}]}" },
	{ "AS_PATH with confederation segments", true,
	    "40021403020000fde90000fdea02020000fbf4000200cf",
	    "{\"as_path\":{\"segments\":[{\"type\":\"confed-sequence\","
	    "\"asns\":[65001,65002]},{\"type\":\"sequence\",\"asns\":[64500,"
	    "131279]}],\"flat\":[65001,65002,64500,131279],\"length\":2,"
	    "\"origin_as\":131279,\"upstream_as\":64500,"
	    "\"text\":\"(65001 65002) 64500 131279\"}}" },
};

START_TEST(test_good)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(good[_i].hex, buf, sizeof(buf));
	struct attr_set a;
	struct verdict v;
	struct explain ex;
	char *js;

	explain_init(&ex, buf);
	ck_assert_int_eq(parse(buf, n, good[_i].as4, 1, &a, &v, &ex), 0);
	ck_assert_msg(
	    v.action == VERDICT_OK, "%s: %s", good[_i].name, v.reason);
	js = attrs_json(&a);
	ck_assert_str_eq(js, good[_i].json);
	free(js);
	/* Every octet narrated, nested ranges tiling their parents. */
	ck_assert_int_eq(ex.err, 0);
	ck_assert_uint_eq(testutil_tile(&ex, 0, 0, 0, n, true), ex.n);
	explain_free(&ex);
}
END_TEST

/*
 * Every proper prefix of a valid section parses without reading past it
 * (ASan) and never as cleanly as the whole: a cut attribute is reported
 * per RFC 7606 §4 unless the cut falls between attributes.
 */
START_TEST(test_truncation)
{
	uint8_t buf[512], *copy;
	size_t n = testutil_unhex(good[_i].hex, buf, sizeof(buf)), cut;
	struct attr_set a;
	struct verdict v;

	for (cut = 0; cut < n; cut++) {
		copy = malloc(cut + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, cut);
		if (parse(copy, cut, good[_i].as4, 1, &a, &v, NULL) == 0 &&
		    a.truncated)
			ck_assert_int_eq(v.action, VERDICT_TREAT_AS_WITHDRAW);
		if (v.action == VERDICT_OK)
			ck_assert(!a.truncated);
		free(copy);
	}
}
END_TEST

/*
 * MRT RIB entries (RFC 6396 §4.3.4): MP_REACH_NLRI as next hop length and
 * next hop only, the family the RIB's; the RFC 4760 §3 form still works.
 */
#define NH6 "20010db8000000000000000000000001"
#define LL6 "fe800000000000000000000000000001"
static const struct {
	const char *name;
	uint16_t rib_afi; /* 0: not a RIB entry */
	uint8_t rib_safi;
	const char *hex;
	enum verdict_action act;
	bool abbreviated, decoded;
	uint16_t afi;
	uint8_t nhlen;
} ribs[] = {
	{ "IPv6 next hop", AFI_IPV6, SAFI_UNICAST, "40010100800e1110" NH6,
	    VERDICT_OK, true, true, AFI_IPV6, 16 },
	{ "IPv6 global and link-local", AFI_IPV6, SAFI_UNICAST,
	    "40010100800e2120" NH6 LL6, VERDICT_OK, true, true, AFI_IPV6, 32 },
	{ "IPv4 next hop", AFI_IPV4, SAFI_UNICAST, "40010100800e0504c0000201",
	    VERDICT_OK, true, true, AFI_IPV4, 4 },
	{ "IPv6 multicast", AFI_IPV6, SAFI_MULTICAST, "800e1110" NH6,
	    VERDICT_OK, true, true, AFI_IPV6, 16 },
	{ "RFC 4760 form in a RIB entry", AFI_IPV6, SAFI_UNICAST,
	    "40010100800e1500020110" NH6 "00", VERDICT_OK, false, true,
	    AFI_IPV6, 16 },
	{ "IPv4 next hop for an IPv6 RIB", AFI_IPV6, SAFI_UNICAST,
	    "800e0504c0000201", VERDICT_AFI_SAFI_DISABLE, true, false, AFI_IPV6,
	    0 },
	/* Read as AFI 0x1020, SAFI 1, next hop length 13: no reserved octet. */
	{ "abbreviated outside a RIB entry", 0, 0, "800e1110" NH6,
	    VERDICT_AFI_SAFI_DISABLE, false, false, 0x1020, 0 },
};

START_TEST(test_rib_entry)
{
	struct bgp_sess s = { .as4 = true,
		.rib_afi = ribs[_i].rib_afi,
		.rib_safi = ribs[_i].rib_safi };
	uint8_t buf[512];
	size_t n = testutil_unhex(ribs[_i].hex, buf, sizeof(buf));
	struct attr_set a;
	struct verdict v;
	struct explain ex;
	struct rbuf r;

	explain_init(&ex, buf);
	verdict_clear(&v);
	rbuf_init(&r, buf, n);
	ck_assert_int_eq(attr_parse(&r, &s, 0, &a, &v, &ex), 0);
	ck_assert_msg(
	    v.action == ribs[_i].act, "%s: %s", ribs[_i].name, v.reason);
	ck_assert(a.reach.present);
	ck_assert_int_eq(a.reach.abbreviated, ribs[_i].abbreviated);
	ck_assert_int_eq(a.reach.decoded, ribs[_i].decoded);
	ck_assert_uint_eq(a.reach.afi, ribs[_i].afi);
	if (ribs[_i].rib_afi != 0)
		ck_assert_uint_eq(a.reach.safi, ribs[_i].rib_safi);
	if (ribs[_i].act == VERDICT_OK) {
		ck_assert_uint_eq(a.reach.nhlen, ribs[_i].nhlen);
		ck_assert_uint_eq(rbuf_left(&a.reach.nlri), 0);
		/* Every octet narrated, the abbreviated form included. */
		ck_assert_int_eq(ex.err, 0);
		ck_assert_uint_eq(testutil_tile(&ex, 0, 0, 0, n, true), ex.n);
	}
	explain_free(&ex);
}
END_TEST

/* attr_hdr_next(): one attribute at a time, or nothing when it is cut. */
static const struct {
	const char *hex;
	int rc;
	uint8_t flags, type;
	size_t vlen, left; /* value octets; octets left after it */
} hdrs[] = {
	{ "40010100", 0, 0x40, 1, 1, 0 },
	{ "4001010040020000", 0, 0x40, 1, 1, 4 },
	{ "c00804fde80001", 0, 0xc0, 8, 4, 0 },
	{ "d0080004fde80001", 0, 0xd0, 8, 4, 0 }, /* extended length */
	{ "d008000000", 0, 0xd0, 8, 0, 1 },
	{ "", -1, 0, 0, 0, 0 },
	{ "40", -1, 0, 0, 0, 0 },
	{ "4001", -1, 0, 0, 0, 0 },
	{ "400102", -1, 0, 0, 0, 0 },
	{ "40010200", -1, 0, 0, 0, 0 },
	{ "d00800", -1, 0, 0, 0, 0 },
	{ "d0080005fde80001", -1, 0, 0, 0, 0 },
};

START_TEST(test_hdr_next)
{
	uint8_t buf[32], flags = 0, type = 0;
	size_t n = testutil_unhex(hdrs[_i].hex, buf, sizeof(buf));
	struct rbuf r, v;

	rbuf_init(&r, buf, n);
	ck_assert_int_eq(attr_hdr_next(&r, &flags, &type, &v), hdrs[_i].rc);
	if (hdrs[_i].rc == -1) {
		/* Cut: the reader has not moved. */
		ck_assert_ptr_eq(rbuf_ptr(&r), buf);
		ck_assert_uint_eq(rbuf_left(&r), n);
		return;
	}
	ck_assert_uint_eq(flags, hdrs[_i].flags);
	ck_assert_uint_eq(type, hdrs[_i].type);
	ck_assert_uint_eq(rbuf_left(&v), hdrs[_i].vlen);
	ck_assert_uint_eq(rbuf_left(&r), hdrs[_i].left);
	ck_assert_ptr_eq(rbuf_ptr(&v) + rbuf_left(&v), rbuf_ptr(&r));
}
END_TEST

/* Malformed attributes: RFC 7606 approach, RFC 4271 §6.3 subcode. */
static const struct {
	const char *name;
	bool as4;
	size_t nlri; /* octets in the NLRI field */
	const char *hex;
	enum verdict_action act;
	uint8_t subcode;
	const char *why; /* in the reason */
	int data; /* octets of data, -1: the whole section */
} bad[] = {
	{ "ORIGIN undefined value", true, 1, "40010103",
	    VERDICT_TREAT_AS_WITHDRAW, 6, "undefined value 3 (RFC 7606 §7.1)",
	    -1 },
	{ "ORIGIN length 2", true, 1, "4001020000", VERDICT_TREAT_AS_WITHDRAW,
	    5, "ORIGIN: length 2, expected 1", -1 },
	/* osrg/gobgp @b7d523b6 (Apache-2.0): Test_MalformedUpdateMsg/3. */
	{ "ORIGIN optional bit", true, 1, "c0010100", VERDICT_TREAT_AS_WITHDRAW,
	    4, "flags 0xc0, expected 0x40", -1 },
	{ "AS_PATH unknown segment type", true, 1, "40020605010000fbf4",
	    VERDICT_TREAT_AS_WITHDRAW, 11, "segment type 5", -1 },
	{ "AS_PATH zero-length segment", true, 1, "4002020200",
	    VERDICT_TREAT_AS_WITHDRAW, 11, "length zero", -1 },
	{ "AS_PATH AS 0", false, 1, "40020402010000", VERDICT_TREAT_AS_WITHDRAW,
	    11, "RFC 7607", -1 },
	{ "AS_PATH 4-octet value on a 2-octet session", false, 1,
	    "40020602010000fbf4", VERDICT_TREAT_AS_WITHDRAW, 11, "AS_PATH",
	    -1 },
	/* osrg/gobgp @b7d523b6 (Apache-2.0):
	 * Test_PathAttributeNextHop_InvalidLength, expecting 3/5. */
	{ "NEXT_HOP length 0", true, 1, "400300", VERDICT_TREAT_AS_WITHDRAW, 5,
	    "length 0, expected 4 (RFC 7606 §7.3)", -1 },
	{ "NEXT_HOP length 1", true, 1, "400301c0", VERDICT_TREAT_AS_WITHDRAW,
	    5, "length 1", -1 },
	{ "NEXT_HOP length 2", true, 1, "400302c000", VERDICT_TREAT_AS_WITHDRAW,
	    5, "length 2", -1 },
	{ "NEXT_HOP length 3", true, 1, "400303c00002",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "length 3", -1 },
	{ "NEXT_HOP length 5", true, 1, "400305c000020100",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "length 5", -1 },
	{ "NEXT_HOP header says 4, data is 2", true, 1, "400304c000",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "overruns", -1 },
	/* GoBGP accepts a 16-octet NEXT_HOP; RFC 4271 §5.1.3 / RFC 7606 §7.3
	 * say 4 octets (IPv6 next hops go in MP_REACH_NLRI). */
	{ "NEXT_HOP of 16 octets", true, 1,
	    "40031020010db8000000000000000000000068", VERDICT_TREAT_AS_WITHDRAW,
	    5, "length 16", -1 },
	{ "NEXT_HOP 0.0.0.0", true, 1, "40030400000000",
	    VERDICT_TREAT_AS_WITHDRAW, 8, "0.0.0.0 is not a valid host", -1 },
	{ "NEXT_HOP multicast", true, 1, "400304e0000001",
	    VERDICT_TREAT_AS_WITHDRAW, 8, "RFC 4271 §6.3", -1 },
	{ "NEXT_HOP 0.0.0.0 without NLRI field: ignored", true, 0,
	    "40030400000000", VERDICT_ATTR_DISCARD, 8, "not a valid host", -1 },
	{ "MED length 5", true, 1, "8004050000000064",
	    VERDICT_TREAT_AS_WITHDRAW, 5,
	    "MULTI_EXIT_DISC: length 5, expected 4 (RFC 7606 §7.4)", -1 },
	{ "MED as well-known", true, 1, "40040400000064",
	    VERDICT_TREAT_AS_WITHDRAW, 4, "flags 0x40, expected 0x80", -1 },
	{ "LOCAL_PREF length 3", true, 1, "400503000064",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "RFC 7606 §7.5", -1 },
	{ "ATOMIC_AGGREGATE length 1", true, 1, "40060100",
	    VERDICT_ATTR_DISCARD, 5, "RFC 7606 §7.6", -1 },
	/* Flags errors are treat-as-withdraw for every attribute (§3(c)). */
	{ "ATOMIC_AGGREGATE optional", true, 1, "c00600",
	    VERDICT_TREAT_AS_WITHDRAW, 4, "RFC 7606 §3(c)", -1 },
	/* osrg/gobgp @b7d523b6 (Apache-2.0): Test_MalformedUpdateMsg/1. */
	{ "AGGREGATOR length 5", false, 1, "c007050000006400",
	    VERDICT_ATTR_DISCARD, 5, "length 5, expected 6 (RFC 7606 §7.7)",
	    -1 },
	{ "AGGREGATOR of 8 on a 2-octet session", false, 1, AGGR4,
	    VERDICT_ATTR_DISCARD, 5, "expected 6", -1 },
	{ "AGGREGATOR of 6 on a 4-octet session", true, 1, AGGR2,
	    VERDICT_ATTR_DISCARD, 5, "expected 8", -1 },
	{ "AGGREGATOR AS 0", true, 1, "c0070800000000c0000201",
	    VERDICT_ATTR_DISCARD, 9, "AS 0 (RFC 7607 §2)", -1 },
	{ "COMMUNITIES empty", true, 1, "c00800", VERDICT_TREAT_AS_WITHDRAW, 5,
	    "non-zero multiple of 4 (RFC 7606 §7.8)", -1 },
	{ "COMMUNITIES length 5", true, 1, "c00805fde8006400",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "length 5", -1 },
	{ "ORIGINATOR_ID length 3", true, 1, "800903c00002",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "RFC 7606 §7.9", -1 },
	{ "CLUSTER_LIST length 6", true, 1, "800a06c0000203c000",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "RFC 7606 §7.10", -1 },
	{ "EXTENDED_COMMUNITIES length 7", true, 1, "c010070002fde8000000",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "RFC 7606 §7.14", -1 },
	{ "IPV6_EXTENDED_COMMUNITIES length 19", true, 1,
	    "c019130002"
	    "20010db8000000000000000000000001"
	    "00",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "RFC 7606 §7.13", -1 },
	{ "AS4_PATH with a confederation segment", false, 1,
	    "c0110603010000fde9", VERDICT_ATTR_DISCARD, 11,
	    "not allowed here (RFC 6793 §6)", -1 },
	{ "AS4_PATH with AS 0", false, 1,
	    "c011060201"
	    "00000000",
	    VERDICT_ATTR_DISCARD, 11, "RFC 7607", -1 },
	{ "LARGE_COMMUNITY length 13", true, 1,
	    "c0200d0000fbf4000000010000000200", VERDICT_TREAT_AS_WITHDRAW, 5,
	    "RFC 8092 §6", -1 },
	{ "OTC length 5", true, 1, "c023050000fbf400",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "RFC 9234 §5", -1 },
	{ "OTC optional non-transitive", true, 1, "80230400000001",
	    VERDICT_TREAT_AS_WITHDRAW, 4, "flags 0x80, expected 0xc0", -1 },
	{ "unrecognized well-known attribute", true, 1, "40630100",
	    VERDICT_SESSION_RESET, 2, "unrecognized well-known", -1 },
	{ "unrecognized well-known type 0", true, 1, "000000",
	    VERDICT_SESSION_RESET, 2, "type 0", -1 },
	{ "repeated ORIGIN: first kept", true, 1,
	    "40010100"
	    "40010101",
	    VERDICT_ATTR_DISCARD, 1, "repeated, all but the first", 4 },
	{ "repeated unknown optional attribute", true, 1, UNK_OT UNK_OT,
	    VERDICT_ATTR_DISCARD, 1, "type 99: repeated", 6 },
	{ "repeated MP_UNREACH_NLRI", true, 1,
	    "800f03000201"
	    "800f03000201",
	    VERDICT_SESSION_RESET, 1,
	    "MP_UNREACH_NLRI: appears more than once (RFC 7606 §3(g))", 6 },
	{ "repeated MP_REACH_NLRI", true, 1, REACH6 REACH6,
	    VERDICT_SESSION_RESET, 1, "MP_REACH_NLRI: appears more", 45 },
	{ "attribute header cut short", true, 1, ORIGIN "40",
	    VERDICT_TREAT_AS_WITHDRAW, 1, "header cut short (RFC 7606 §4)", 1 },
	{ "extended length header cut short", true, 1, ORIGIN "500202",
	    VERDICT_TREAT_AS_WITHDRAW, 1, "AS_PATH: attribute header cut", 3 },
	{ "attribute overruns the section", true, 1, ORIGIN "4002060201",
	    VERDICT_TREAT_AS_WITHDRAW, 5, "AS_PATH: attribute length overruns",
	    5 },
	{ "MP_REACH_NLRI overruns the section", true, 1, "800e100002",
	    VERDICT_SESSION_RESET, 5, "NLRI cannot be located", -1 },
	{ "MP_REACH_NLRI too short for AFI/SAFI", true, 1, "800e020002",
	    VERDICT_SESSION_RESET, 9, "too short for AFI/SAFI", -1 },
	{ "MP_UNREACH_NLRI too short for AFI/SAFI", true, 1, "800f020002",
	    VERDICT_SESSION_RESET, 9, "too short", -1 },
	/* osrg/gobgp @b7d523b6 (Apache-2.0): Test_MalformedUpdateMsg/2. */
	{ "MP_REACH_NLRI IPv6 next hop of 15", true, 1,
	    "800e1d0002010f00000000000000000000ffff0a0000004020010db800010000",
	    VERDICT_AFI_SAFI_DISABLE, 9,
	    "ipv6/unicast next hop length 15 "
	    "invalid (RFC 7606 §7.11)",
	    -1 },
	{ "MP_REACH_NLRI IPv4 next hop of 5", true, 1,
	    "800e0a000101050a000001ff00", VERDICT_AFI_SAFI_DISABLE, 9,
	    "ipv4/unicast next hop length 5", -1 },
	{ "MP_REACH_NLRI next hop length overruns", true, 1,
	    "800e0600020120aabb", VERDICT_AFI_SAFI_DISABLE, 9,
	    "next hop length overruns", -1 },
	{ "MP_REACH_NLRI prefix length 129", true, 1,
	    "800e1600020110"
	    "20010db8000000000000000000000001"
	    "00"
	    "81",
	    VERDICT_AFI_SAFI_DISABLE, 9, "prefix length 129 exceeds 128", -1 },
	{ "MP_UNREACH_NLRI prefix overrun", true, 1, "800f06000201302001",
	    VERDICT_AFI_SAFI_DISABLE, 9,
	    "withdrawn routes: prefix of length "
	    "48 needs 6 octets",
	    -1 },
	{ "MP_UNREACH_NLRI as well-known", true, 1, "400f03000201",
	    VERDICT_TREAT_AS_WITHDRAW, 4, "flags 0x40, expected 0x80", -1 },
};

START_TEST(test_bad)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(bad[_i].hex, buf, sizeof(buf));
	struct attr_set a;
	struct verdict v;
	struct explain ex;
	int rc;

	explain_init(&ex, buf);
	rc = parse(buf, n, bad[_i].as4, bad[_i].nlri, &a, &v, &ex);
	ck_assert_int_eq(rc, bad[_i].act == VERDICT_SESSION_RESET ? -1 : 0);
	ck_assert_msg(v.action == bad[_i].act, "%s: got %s (%s)", bad[_i].name,
	    verdict_action_name(v.action), v.reason);
	ck_assert_uint_eq(v.code, BGP_ERR_UPDATE);
	ck_assert_uint_eq(v.subcode, bad[_i].subcode);
	ck_assert_msg(strstr(v.reason, bad[_i].why) != NULL, "%s: reason '%s'",
	    bad[_i].name, v.reason);
	/* RFC 4271 §6.3: the data is the erroneous attribute. */
	ck_assert_ptr_nonnull(v.data);
	ck_assert_uint_eq(
	    v.datalen, bad[_i].data < 0 ? n : (size_t)bad[_i].data);
	ck_assert(v.data >= buf && v.data + v.datalen <= buf + n);
	if (rc == 0) { /* the walk finished: every octet is narrated */
		ck_assert_uint_eq(testutil_tile(&ex, 0, 0, 0, n, true), ex.n);
		free(attrs_json(&a));
	}
	explain_free(&ex);
}
END_TEST

/*
 * OpenBGPD's regress, openbsd/src regress/usr.sbin/bgpd/integrationtests/
 * exabgp.attr.in @a96576c0 and exabgp.attr.ok @4b59c9cb (ISC): one
 * malformed optional attribute (flags 0xc0, length 1, value 02) added to a
 * valid eBGP UPDATE, and OpenBGPD's verdict.
 */
static const struct {
	const char *extra;
	enum verdict_action act;
} obgpd[] = {
	{ "c0070102", VERDICT_ATTR_DISCARD }, /* AGGREGATOR */
	{ "c0080102", VERDICT_TREAT_AS_WITHDRAW }, /* COMMUNITIES */
	{ "c0100102", VERDICT_TREAT_AS_WITHDRAW }, /* EXT_COMMUNITIES */
	{ "c0110102", VERDICT_ATTR_DISCARD }, /* AS4_PATH */
	{ "c0120102", VERDICT_ATTR_DISCARD }, /* AS4_AGGREGATOR */
	{ "c0200102", VERDICT_TREAT_AS_WITHDRAW }, /* LARGE_COMMUNITY */
	{ "c0230102", VERDICT_TREAT_AS_WITHDRAW }, /* OTC */
};

START_TEST(test_openbgpd)
{
	char section[128];
	uint8_t buf[128];
	size_t n;
	struct attr_set a;
	struct verdict v;

	/* ORIGIN igp, AS_PATH 64502, NEXT_HOP 10.12.57.3, MED 0. */
	snprintf(section, sizeof(section), "%s%s",
	    "400101004002040201fbf64003040a0c390380040400000000",
	    obgpd[_i].extra);
	n = testutil_unhex(section, buf, sizeof(buf));
	ck_assert_int_eq(parse(buf, n, false, 4, &a, &v, NULL), 0);
	ck_assert_int_eq(v.action, obgpd[_i].act);
	/* The other attributes stand. */
	ck_assert(attr_has(&a, ATTR_ORIGIN) && attr_has(&a, ATTR_AS_PATH) &&
	    attr_has(&a, ATTR_NEXT_HOP) && attr_has(&a, ATTR_MED));
	ck_assert(!attr_has(&a, buf[n - 3]));
}
END_TEST

/* Extended communities: 8 octets in, the JSON object out. */
static const struct {
	const char *hex;
	const char *json;
} exts[] = {
	{ "0002fde800000064",
	    "{\"type\":0,\"subtype\":2,\"name\":\"target\","
	    "\"value\":\"65000:100\","
	    "\"text\":\"target:65000:100\"}" },
	{ "0102c000020100c8",
	    "{\"type\":1,\"subtype\":2,\"name\":\"target\","
	    "\"value\":\"192.0.2.1:200\","
	    "\"text\":\"target:192.0.2.1:200\"}" },
	{ "0202fa56ea010064",
	    "{\"type\":2,\"subtype\":2,\"name\":\"target\","
	    "\"value\":\"4200000001:100\","
	    "\"text\":\"target:4200000001:100\"}" },
	{ "0003fde800000001",
	    "{\"type\":0,\"subtype\":3,\"name\":\"origin\","
	    "\"value\":\"65000:1\","
	    "\"text\":\"origin:65000:1\"}" },
	{ "0103c00002010001",
	    "{\"type\":1,\"subtype\":3,\"name\":\"origin\","
	    "\"value\":\"192.0.2.1:1\","
	    "\"text\":\"origin:192.0.2.1:1\"}" },
	{ "4004fde84b3ebc20",
	    "{\"type\":64,\"subtype\":4,"
	    "\"name\":\"link-bandwidth\","
	    "\"value\":\"65000:12500000\","
	    "\"text\":\"link-bandwidth:65000:12500000\"}" },
	{ "030c000000000008",
	    "{\"type\":3,\"subtype\":12,"
	    "\"name\":\"encapsulation\",\"value\":\"vxlan\","
	    "\"text\":\"encapsulation:vxlan\"}" },
	{ "030c0000000000fe",
	    "{\"type\":3,\"subtype\":12,"
	    "\"name\":\"encapsulation\",\"value\":\"254\","
	    "\"text\":\"encapsulation:254\"}" },
	{ "030b00000000000a",
	    "{\"type\":3,\"subtype\":11,\"name\":\"color\","
	    "\"value\":\"10\",\"text\":\"color:10\"}" },
	{ "4300000000000000",
	    "{\"type\":67,\"subtype\":0,"
	    "\"name\":\"origin-validation\","
	    "\"value\":\"valid\","
	    "\"text\":\"origin-validation:valid\"}" },
	{ "4300000000000002",
	    "{\"type\":67,\"subtype\":0,"
	    "\"name\":\"origin-validation\","
	    "\"value\":\"invalid\","
	    "\"text\":\"origin-validation:invalid\"}" },
	{ "8006000000000000",
	    "{\"type\":128,\"subtype\":6,"
	    "\"name\":\"traffic-rate\",\"value\":\"0:0\","
	    "\"text\":\"traffic-rate:0:0\"}" },
	{ "8006fde83fc00000",
	    "{\"type\":128,\"subtype\":6,"
	    "\"name\":\"traffic-rate\","
	    "\"value\":\"65000:1.5\","
	    "\"text\":\"traffic-rate:65000:1.5\"}" },
	{ "8007000000000003",
	    "{\"type\":128,\"subtype\":7,"
	    "\"name\":\"traffic-action\","
	    "\"value\":\"sample,terminal\","
	    "\"text\":\"traffic-action:sample,terminal\"}" },
	{ "8007000000000000",
	    "{\"type\":128,\"subtype\":7,"
	    "\"name\":\"traffic-action\","
	    "\"value\":\"none\","
	    "\"text\":\"traffic-action:none\"}" },
	{ "8008fde800000064",
	    "{\"type\":128,\"subtype\":8,"
	    "\"name\":\"redirect\",\"value\":\"65000:100\","
	    "\"text\":\"redirect:65000:100\"}" },
	{ "8009000000000012",
	    "{\"type\":128,\"subtype\":9,"
	    "\"name\":\"traffic-marking\",\"value\":\"18\","
	    "\"text\":\"traffic-marking:18\"}" },
	{ "0603001122334455",
	    "{\"type\":6,\"subtype\":3,"
	    "\"name\":\"router-mac\","
	    "\"value\":\"00:11:22:33:44:55\","
	    "\"text\":\"router-mac:00:11:22:33:44:55\"}" },
	{ "0600010000000005",
	    "{\"type\":6,\"subtype\":0,"
	    "\"name\":\"mac-mobility\","
	    "\"value\":\"5,sticky\","
	    "\"text\":\"mac-mobility:5,sticky\"}" },
	{ "ffff000000000001",
	    "{\"type\":255,\"subtype\":255,"
	    "\"hex\":\"ffff000000000001\"}" },
};

START_TEST(test_ext)
{
	char section[64], want[512];
	uint8_t buf[64];
	size_t n;
	struct attr_set a;
	struct verdict v;
	char *js;

	snprintf(section, sizeof(section), "c01008%s", exts[_i].hex);
	n = testutil_unhex(section, buf, sizeof(buf));
	ck_assert_int_eq(parse(buf, n, true, 1, &a, &v, NULL), 0);
	ck_assert_int_eq(v.action, VERDICT_OK);
	snprintf(want, sizeof(want), "{\"extended_communities\":[%s]}",
	    exts[_i].json);
	js = attrs_json(&a);
	ck_assert_str_eq(js, want);
	free(js);
}
END_TEST

/* Canonical blob of a section for afi. */
static size_t
canon(const char *section, bool as4, uint16_t afi, uint8_t *out, size_t size)
{
	uint8_t buf[512];
	size_t n = testutil_unhex(section, buf, sizeof(buf));
	struct attr_set a;
	struct verdict v;
	struct wbuf w;

	ck_assert_int_eq(parse(buf, n, as4, 1, &a, &v, NULL), 0);
	ck_assert_int_lt(v.action, VERDICT_TREAT_AS_WITHDRAW);
	wbuf_init_fixed(&w, out, size);
	attr_canon(&a, afi, &w);
	ck_assert(!wbuf_error(&w));
	return wbuf_len(&w);
}

/* Sorted by type, AS_PATH/AGGREGATOR 4-octet, the others as received. */
START_TEST(test_canon_bytes)
{
	uint8_t got[256], want[256];
	size_t n, m;

	n = canon(MED ASPATH2
	    "c007065ba0c0000201" ORIGIN AS4PATH AS4AGGR NEXTHOP,
	    false, AFI_IPV4, got, sizeof(got));
	m = testutil_unhex(ORIGIN "400210"
	                          "02010000fbf4"
	                          "0202fa56ea01000200cf" NEXTHOP MED
	                          "c00708fa56ea01c0000209",
	    want, sizeof(want));
	ck_assert_uint_eq(n, m);
	ck_assert(memcmp(got, want, n) == 0);
}
END_TEST

/* Equal paths give equal bytes, however they were received. */
START_TEST(test_canon_equal)
{
	uint8_t a[256], b[256];
	size_t n, m;

	n = canon(ORIGIN "4002080203fbf412e5"
	                 "ffff" NEXTHOP COMM,
	    false, AFI_IPV4, a, sizeof(a));
	m = canon(COMM NEXTHOP "40020e02030000fbf4000012e50000ffff" ORIGIN,
	    true, AFI_IPV4, b, sizeof(b));
	ck_assert_uint_eq(n, m);
	ck_assert(memcmp(a, b, n) == 0);
}
END_TEST

/*
 * RFC 4271 §5: unrecognised optional transitive attributes are kept with
 * the Partial bit set, non-transitive ones dropped; MP_UNREACH dropped;
 * MP_REACH reduced to family and next hop, only for its own family, and
 * NEXT_HOP only for IPv4.
 */
START_TEST(test_canon_forwarding)
{
	uint8_t got[256], want[256];
	size_t n, m;

	n = canon(UNK_ON UNK_OT ORIGIN NEXTHOP REACH6 "800f03000201", true,
	    AFI_IPV6, got, sizeof(got));
	m = testutil_unhex(ORIGIN
	    "800e250002012020010db8000000000000000000000001"
	    "fe80000000000000000000000000000100"
	    "e06303aabbcc",
	    want, sizeof(want));
	ck_assert_uint_eq(n, m);
	ck_assert(memcmp(got, want, n) == 0);
	n = canon(ORIGIN NEXTHOP REACH6, true, AFI_IPV4, got, sizeof(got));
	m = testutil_unhex(ORIGIN NEXTHOP, want, sizeof(want));
	ck_assert_uint_eq(n, m);
	ck_assert(memcmp(got, want, n) == 0);
}
END_TEST

/* A long path in a blob uses the extended length. */
START_TEST(test_canon_extlen)
{
	char section[1200];
	uint8_t got[1024];
	size_t n, i, off;

	off = (size_t)snprintf(
	    section, sizeof(section), "5002%04x02%02x", 2 + 100 * 4, 100);
	for (i = 0; i < 100; i++)
		off += (size_t)snprintf(
		    section + off, sizeof(section) - off, "%08zx", 64512 + i);
	n = canon(section, true, AFI_IPV4, got, sizeof(got));
	ck_assert_uint_eq(n, 4 + 2 + 400);
	ck_assert_uint_eq(got[0], ATTR_F_TRANSITIVE | ATTR_F_EXTLEN);
	ck_assert_uint_eq(got[2] << 8 | got[3], 402);
	/* A short one does not. */
	n = canon("5001000100", true, AFI_IPV4, got, sizeof(got));
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(got[0], ATTR_F_TRANSITIVE);
}
END_TEST

/* Blob JSON equals the update's, but for the forwarded unknown's flags. */
START_TEST(test_canon_json)
{
	uint8_t blob[512];
	size_t n = canon(ORIGIN ASPATH4 NEXTHOP MED LPREF ATOMIC AGGR4 COMM
	                     ORIGID CLIST EXTC LARGE OTC UNK_OT,
	    true, AFI_IPV4, blob, sizeof(blob));
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	ck_assert_int_eq(attr_canon_json(blob, n, &j, NULL), 0);
	ck_assert_int_eq(json_finish(&j), 0);
	wbuf_put_u8(&w, 0);
	ck_assert_str_eq((const char *)wbuf_data(&w),
	    FULL_JSON ",\"unknown\":[{\"type\":99,\"flags\":224,"
	              "\"value\":\"aabbcc\"}]}");
	/* Not a blob: a bad one is refused. */
	wbuf_reset(&w);
	json_init(&j, &w);
	ck_assert_int_eq(
	    attr_canon_json((const uint8_t *)"\x40\x01\x01\x07", 4, &j, NULL),
	    -1);
	wbuf_free(&w);
}
END_TEST

START_TEST(test_canon_summary)
{
	uint8_t blob[512];
	struct attr_summary sum;
	size_t n;

	n = canon(ORIGIN ASPATH4 NEXTHOP, true, AFI_IPV4, blob, sizeof(blob));
	ck_assert_int_eq(attr_canon_summary(blob, n, &sum), 0);
	ck_assert(sum.has_origin_as && sum.origin_as == 131279);
	ck_assert(sum.has_upstream_as && sum.upstream_as == 4837);
	ck_assert_uint_eq(sum.path_len, 3);
	ck_assert_uint_eq(sum.nh_afi, AFI_IPV4);
	ck_assert_uint_eq(sum.nhlen, 4);
	ck_assert(memcmp(sum.nh, "\xc0\x00\x02\x01", 4) == 0);

	n = canon(ORIGIN "40020a0202000186a000030d40"
	                 "c01f00" REACH6,
	    true, AFI_IPV6, blob, sizeof(blob));
	ck_assert_int_eq(attr_canon_summary(blob, n, &sum), 0);
	ck_assert(sum.has_origin_as && sum.origin_as == 200000);
	ck_assert(sum.has_upstream_as && sum.upstream_as == 100000);
	ck_assert_uint_eq(sum.nh_afi, AFI_IPV6);
	ck_assert_uint_eq(sum.nhlen, 32);

	/* Ends in a set: no origin, no upstream; a bare set counts 1. */
	n = canon("40020a010200000001"
	          "00000002",
	    true, AFI_IPV4, blob, sizeof(blob));
	ck_assert_int_eq(attr_canon_summary(blob, n, &sum), 0);
	ck_assert(!sum.has_origin_as && !sum.has_upstream_as);
	ck_assert_uint_eq(sum.path_len, 1);
	ck_assert_uint_eq(sum.nh_afi, 0);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(attr_name(ATTR_ORIGIN), "ORIGIN");
	ck_assert_str_eq(attr_name(ATTR_MED), "MULTI_EXIT_DISC");
	ck_assert_str_eq(attr_name(ATTR_LARGE_COMMUNITIES), "LARGE_COMMUNITY");
	ck_assert_str_eq(attr_name(ATTR_OTC), "OTC");
	ck_assert_str_eq(attr_name(ATTR_ATTR_SET), "ATTR_SET");
	ck_assert_ptr_null(attr_name(0));
	ck_assert_ptr_null(attr_name(250));
	ck_assert_uint_eq(*attr_type_octet(ATTR_NEXT_HOP), ATTR_NEXT_HOP);
	ck_assert_ptr_null(attr_type_octet(200));
}
END_TEST

/* NLRI fields: prefix counts, limits, ADD-PATH. */
static const struct {
	const char *hex;
	uint16_t afi;
	bool addpath;
	long n;
} nlris[] = {
	{ "", AFI_IPV4, false, 0 },
	{ "18c0000200", AFI_IPV4, false, 2 },
	{ "20c0000201", AFI_IPV4, false, 1 },
	{ "21c000020100", AFI_IPV4, false, -1 },
	{ "18c000", AFI_IPV4, false, -1 },
	{ "0000000118c00002", AFI_IPV4, true, 1 },
	{ "00000001", AFI_IPV4, true, -1 },
	{ "000000", AFI_IPV4, true, -1 },
	{ "8020010db8000000000000000000000001", AFI_IPV6, false, 1 },
	{ "8120010db800000000000000000000000100", AFI_IPV6, false, -1 },
};

START_TEST(test_nlri)
{
	uint8_t buf[64];
	size_t n = testutil_unhex(nlris[_i].hex, buf, sizeof(buf));
	struct rbuf r;
	char why[96];

	rbuf_init(&r, buf, n);
	ck_assert_int_eq(attr_nlri_verify(&r, nlris[_i].afi, nlris[_i].addpath,
	                     why, sizeof(why), NULL),
	    nlris[_i].n);
	ck_assert_uint_eq(rbuf_left(&r), n); /* the field is not consumed */
}
END_TEST

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
attr_suite(void)
{
	Suite *s = suite_create("attr");
	TCase *tc = tcase_create("attr");

	tcase_add_loop_test(tc, test_good, 0, NELEM(good));
	tcase_add_loop_test(tc, test_truncation, 0, NELEM(good));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad));
	tcase_add_loop_test(tc, test_openbgpd, 0, NELEM(obgpd));
	tcase_add_loop_test(tc, test_ext, 0, NELEM(exts));
	tcase_add_loop_test(tc, test_nlri, 0, NELEM(nlris));
	tcase_add_loop_test(tc, test_rib_entry, 0, NELEM(ribs));
	tcase_add_loop_test(tc, test_hdr_next, 0, NELEM(hdrs));
	tcase_add_test(tc, test_canon_bytes);
	tcase_add_test(tc, test_canon_equal);
	tcase_add_test(tc, test_canon_forwarding);
	tcase_add_test(tc, test_canon_extlen);
	tcase_add_test(tc, test_canon_json);
	tcase_add_test(tc, test_canon_summary);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(attr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
