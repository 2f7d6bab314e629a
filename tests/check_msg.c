/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/msg.c: the RFC 4271 §6.1 header checks, NOTIFICATION
 * names and RFC 9003 shutdown communications, ROUTE-REFRESH (RFC 7313 §5),
 * the encoders (round trips), msg_decode_json() output and its byte-range
 * narration, truncation of every message, and ExaBGP's vectors.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"
#define MAXMSG 8192

/* msg_decode_json() of hex into a NUL-terminated static string. */
static const char *
decode_str(const char *hex, const struct bgp_sess *s, struct verdict *v)
{
	uint8_t msg[MAXMSG];
	size_t len = testutil_unhex(hex, msg, sizeof(msg));

	return testutil_decode_str(msg, len, s, v);
}

/* RFC 4271 §6.1 and RFC 8654 §4, in the order the checks apply. */
static const struct hdr_vec {
	const char *name;
	const char *hex;
	bool ext; /* extended messages negotiated */
	int ret;
	uint8_t code, subcode;
	const char *data; /* verdict data (hex); NULL for none */
	uint16_t len;
	uint8_t type;
} hdr_vecs[] = {
	{ "keepalive", MARKER "0013 04", false, 0, 0, 0, NULL, 19, 4 },
	{ "open 29", MARKER "001d 01", false, 0, 0, 0, NULL, 29, 1 },
	{ "open 4096", MARKER "1000 01", false, 0, 0, 0, NULL, 4096, 1 },
	{ "update 23", MARKER "0017 02", false, 0, 0, 0, NULL, 23, 2 },
	{ "update 4096", MARKER "1000 02", false, 0, 0, 0, NULL, 4096, 2 },
	{ "notification 21", MARKER "0015 03", false, 0, 0, 0, NULL, 21, 3 },
	{ "route-refresh 23", MARKER "0017 05", false, 0, 0, 0, NULL, 23, 5 },
	{ "route-refresh 24 (7/1 is the body's)", MARKER "0018 05", false, 0, 0,
	    0, NULL, 24, 5 },
	{ "update 4097 ext", MARKER "1001 02", true, 0, 0, 0, NULL, 4097, 2 },
	{ "update 65535 ext", MARKER "ffff 02", true, 0, 0, 0, NULL, 65535, 2 },
	{ "notification 5000 ext", MARKER "1388 03", true, 0, 0, 0, NULL, 5000,
	    3 },
	{ "route-refresh 4097 ext", MARKER "1001 05", true, 0, 0, 0, NULL, 4097,
	    5 },
	{ "update 4097", MARKER "1001 02", false, -1, 1, 2, "1001", 0, 0 },
	{ "notification 4097", MARKER "1001 03", false, -1, 1, 2, "1001", 0,
	    0 },
	{ "update 65535", MARKER "ffff 02", false, -1, 1, 2, "ffff", 0, 0 },
	{ "open 4097 ext", MARKER "1001 01", true, -1, 1, 2, "1001", 0, 0 },
	{ "keepalive 4097 ext", MARKER "1001 04", true, -1, 1, 2, "1001", 0,
	    0 },
	{ "open 28", MARKER "001c 01", false, -1, 1, 2, "001c", 0, 0 },
	{ "update 22", MARKER "0016 02", false, -1, 1, 2, "0016", 0, 0 },
	{ "notification 20", MARKER "0014 03", false, -1, 1, 2, "0014", 0, 0 },
	{ "keepalive 20", MARKER "0014 04", false, -1, 1, 2, "0014", 0, 0 },
	{ "route-refresh 22", MARKER "0016 05", false, -1, 1, 2, "0016", 0, 0 },
	{ "length 18", MARKER "0012 04", false, -1, 1, 2, "0012", 0, 0 },
	{ "length 0", MARKER "0000 02", true, -1, 1, 2, "0000", 0, 0 },
	{ "type 0", MARKER "0013 00", false, -1, 1, 3, "00", 0, 0 },
	{ "type 6", MARKER "0013 06", false, -1, 1, 3, "06", 0, 0 },
	{ "type 255", MARKER "0017 ff", false, -1, 1, 3, "ff", 0, 0 },
	{ "length before type", MARKER "1001 06", false, -1, 1, 2, "1001", 0,
	    0 },
	{ "type before type length", MARKER "0001 09", false, -1, 1, 2, "0001",
	    0, 0 },
	{ "marker first octet", "00ffffffffffffffffffffffffffffff 0013 04",
	    false, -1, 1, 1, NULL, 0, 0 },
	{ "marker last octet", "fffffffffffffffffffffffffffffffe 0013 04",
	    false, -1, 1, 1, NULL, 0, 0 },
	{ "marker before length", "7fffffffffffffffffffffffffffffff 0000 09",
	    false, -1, 1, 1, NULL, 0, 0 },
	{ "empty buffer", "", false, -1, 1, 2, NULL, 0, 0 },
	{ "18 octets", MARKER "0013", false, -1, 1, 2, NULL, 0, 0 },
};

START_TEST(test_hdr)
{
	const struct hdr_vec *t = &hdr_vecs[_i];
	struct bgp_sess s = { .ext_msg = t->ext };
	uint8_t buf[64];
	size_t n = testutil_unhex(t->hex, buf, sizeof(buf));
	struct msg_hdr h = { 0, 0 };
	struct verdict v;
	struct rbuf r;

	memset(&v, 0xa5, sizeof(v));
	rbuf_init(&r, buf, n);
	ck_assert_msg(
	    msg_hdr_parse(&r, &s, &h, &v, NULL) == t->ret, "%s", t->name);
	if (t->ret == 0) {
		ck_assert_int_eq(v.action, VERDICT_OK);
		ck_assert_uint_eq(h.len, t->len);
		ck_assert_uint_eq(h.type, t->type);
		ck_assert_uint_eq(rbuf_left(&r), n - BGP_HDR_LEN);
		return;
	}
	ck_assert_int_eq(v.action, VERDICT_SESSION_RESET);
	ck_assert_msg(v.code == t->code && v.subcode == t->subcode,
	    "%s: %u/%u (%s)", t->name, v.code, v.subcode, v.reason);
	ck_assert_str_ne(v.reason, "");
	ck_assert_uint_eq(rbuf_left(&r), n); /* untouched */
	if (t->data == NULL)
		ck_assert_uint_eq(v.datalen, 0);
	else
		ck_assert_str_eq(testutil_tohex(v.data, v.datalen), t->data);
}
END_TEST

/* A NULL session is "nothing negotiated": 4096 is the limit. */
START_TEST(test_hdr_null_sess)
{
	uint8_t buf[19];
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;

	testutil_unhex(MARKER "1001 02", buf, sizeof(buf));
	rbuf_init(&r, buf, sizeof(buf));
	ck_assert_int_eq(msg_hdr_parse(&r, NULL, &h, &v, NULL), -1);
	ck_assert_uint_eq(v.subcode, BGP_ERR_HDR_LEN);
	testutil_unhex(MARKER "1000 02", buf, sizeof(buf));
	rbuf_init(&r, buf, sizeof(buf));
	ck_assert_int_eq(msg_hdr_parse(&r, NULL, &h, &v, NULL), 0);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(msg_type_name(1), "OPEN");
	ck_assert_str_eq(msg_type_name(2), "UPDATE");
	ck_assert_str_eq(msg_type_name(3), "NOTIFICATION");
	ck_assert_str_eq(msg_type_name(4), "KEEPALIVE");
	ck_assert_str_eq(msg_type_name(5), "ROUTE-REFRESH");
	ck_assert_ptr_null(msg_type_name(0));
	ck_assert_ptr_null(msg_type_name(6));
	ck_assert_ptr_null(msg_type_name(255));
}
END_TEST

/* Every assigned code and subcode, and the fallbacks. */
static const struct name_vec {
	uint8_t code, subcode;
	const char *name;
	const char *subname; /* NULL: notif_subcode_name() says unknown */
} name_vecs[] = {
	{ 1, 0, "Message Header Error / Unspecific", "Unspecific" },
	{ 1, 1, "Message Header Error / Connection Not Synchronized",
	    "Connection Not Synchronized" },
	{ 1, 2, "Message Header Error / Bad Message Length",
	    "Bad Message Length" },
	{ 1, 3, "Message Header Error / Bad Message Type", "Bad Message Type" },
	{ 2, 0, "OPEN Message Error / Unspecific", "Unspecific" },
	{ 2, 1, "OPEN Message Error / Unsupported Version Number",
	    "Unsupported Version Number" },
	{ 2, 2, "OPEN Message Error / Bad Peer AS", "Bad Peer AS" },
	{ 2, 3, "OPEN Message Error / Bad BGP Identifier",
	    "Bad BGP Identifier" },
	{ 2, 4, "OPEN Message Error / Unsupported Optional Parameter",
	    "Unsupported Optional Parameter" },
	{ 2, 5, "OPEN Message Error / Authentication Failure (deprecated)",
	    "Authentication Failure (deprecated)" },
	{ 2, 6, "OPEN Message Error / Unacceptable Hold Time",
	    "Unacceptable Hold Time" },
	{ 2, 7, "OPEN Message Error / Unsupported Capability",
	    "Unsupported Capability" },
	{ 2, 8, "OPEN Message Error / Deprecated (8)", "Deprecated (8)" },
	{ 2, 9, "OPEN Message Error / Deprecated (9)", "Deprecated (9)" },
	{ 2, 10, "OPEN Message Error / Deprecated (10)", "Deprecated (10)" },
	{ 2, 11, "OPEN Message Error / Role Mismatch", "Role Mismatch" },
	{ 3, 0, "UPDATE Message Error / Unspecific", "Unspecific" },
	{ 3, 1, "UPDATE Message Error / Malformed Attribute List",
	    "Malformed Attribute List" },
	{ 3, 2, "UPDATE Message Error / Unrecognized Well-known Attribute",
	    "Unrecognized Well-known Attribute" },
	{ 3, 3, "UPDATE Message Error / Missing Well-known Attribute",
	    "Missing Well-known Attribute" },
	{ 3, 4, "UPDATE Message Error / Attribute Flags Error",
	    "Attribute Flags Error" },
	{ 3, 5, "UPDATE Message Error / Attribute Length Error",
	    "Attribute Length Error" },
	{ 3, 6, "UPDATE Message Error / Invalid ORIGIN Attribute",
	    "Invalid ORIGIN Attribute" },
	{ 3, 7, "UPDATE Message Error / AS Routing Loop (deprecated)",
	    "AS Routing Loop (deprecated)" },
	{ 3, 8, "UPDATE Message Error / Invalid NEXT_HOP Attribute",
	    "Invalid NEXT_HOP Attribute" },
	{ 3, 9, "UPDATE Message Error / Optional Attribute Error",
	    "Optional Attribute Error" },
	{ 3, 10, "UPDATE Message Error / Invalid Network Field",
	    "Invalid Network Field" },
	{ 3, 11, "UPDATE Message Error / Malformed AS_PATH",
	    "Malformed AS_PATH" },
	{ 4, 0, "Hold Timer Expired", NULL },
	{ 5, 0, "Finite State Machine Error / Unspecified Error",
	    "Unspecified Error" },
	{ 5, 1,
	    "Finite State Machine Error / Receive Unexpected Message in "
	    "OpenSent State",
	    "Receive Unexpected Message in OpenSent State" },
	{ 5, 2,
	    "Finite State Machine Error / Receive Unexpected Message in "
	    "OpenConfirm State",
	    "Receive Unexpected Message in OpenConfirm State" },
	{ 5, 3,
	    "Finite State Machine Error / Receive Unexpected Message in "
	    "Established State",
	    "Receive Unexpected Message in Established State" },
	{ 6, 0, "Cease / Unspecific", "Unspecific" },
	{ 6, 1, "Cease / Maximum Number of Prefixes Reached",
	    "Maximum Number of Prefixes Reached" },
	{ 6, 2, "Cease / Administrative Shutdown", "Administrative Shutdown" },
	{ 6, 3, "Cease / Peer De-configured", "Peer De-configured" },
	{ 6, 4, "Cease / Administrative Reset", "Administrative Reset" },
	{ 6, 5, "Cease / Connection Rejected", "Connection Rejected" },
	{ 6, 6, "Cease / Other Configuration Change",
	    "Other Configuration Change" },
	{ 6, 7, "Cease / Connection Collision Resolution",
	    "Connection Collision Resolution" },
	{ 6, 8, "Cease / Out of Resources", "Out of Resources" },
	{ 6, 9, "Cease / Hard Reset", "Hard Reset" },
	{ 6, 10, "Cease / BFD Down", "BFD Down" },
	{ 7, 0, "ROUTE-REFRESH Message Error / Reserved", "Reserved" },
	{ 7, 1, "ROUTE-REFRESH Message Error / Invalid Message Length",
	    "Invalid Message Length" },
	{ 8, 0, "Send Hold Timer Expired", NULL },
	/* unassigned */
	{ 1, 4, "Message Header Error / subcode 4", NULL },
	{ 2, 12, "OPEN Message Error / subcode 12", NULL },
	{ 3, 12, "UPDATE Message Error / subcode 12", NULL },
	{ 4, 1, "Hold Timer Expired / subcode 1", NULL },
	{ 5, 4, "Finite State Machine Error / subcode 4", NULL },
	{ 6, 42, "Cease / subcode 42", NULL },
	{ 6, 255, "Cease / subcode 255", NULL },
	{ 7, 2, "ROUTE-REFRESH Message Error / subcode 2", NULL },
	{ 0, 0, "code 0 / subcode 0", NULL },
	{ 9, 1, "code 9 / subcode 1", NULL },
	{ 255, 255, "code 255 / subcode 255", NULL },
};

START_TEST(test_notif_names)
{
	const struct name_vec *t = &name_vecs[_i];
	const char *sub = notif_subcode_name(t->code, t->subcode);

	ck_assert_str_eq(notif_name(t->code, t->subcode), t->name);
	if (t->subname == NULL)
		ck_assert_ptr_null(sub);
	else
		ck_assert_str_eq(sub, t->subname);
}
END_TEST

START_TEST(test_notif_code_names)
{
	static const char *const want[] = { "unknown code",
		"Message Header Error", "OPEN Message Error",
		"UPDATE Message Error", "Hold Timer Expired",
		"Finite State Machine Error", "Cease",
		"ROUTE-REFRESH Message Error", "Send Hold Timer Expired",
		"unknown code" };
	unsigned int c;

	for (c = 0; c < sizeof(want) / sizeof(want[0]); c++)
		ck_assert_str_eq(notif_code_name((uint8_t)c), want[c]);
	ck_assert_str_eq(notif_code_name(255), "unknown code");
}
END_TEST

/* NOTIFICATION bodies (after the header). */
static const struct notif_vec {
	const char *name;
	const char *hex;
	int ret;
	uint8_t code, subcode;
	size_t datalen;
	bool has_shutdown, valid;
	const char *text; /* the communication's octets (hex) */
	size_t trailing;
} notif_vecs[] = {
	{ "shutdown with text", "0602 0b 6d61696e74656e616e6365", 0, 6, 2, 12,
	    true, true, "6d61696e74656e616e6365", 0 },
	{ "reset with empty communication", "0604 00", 0, 6, 4, 1, true, true,
	    "", 0 },
	{ "shutdown without data", "0602", 0, 6, 2, 0, false, false, NULL, 0 },
	{ "shutdown length overruns", "0602 05 6162", 0, 6, 2, 3, true, false,
	    "6162", 0 },
	{ "shutdown length overruns, nothing follows", "0604 01", 0, 6, 4, 1,
	    true, false, "", 0 },
	{ "shutdown invalid UTF-8", "0602 02 c328", 0, 6, 2, 3, true, false,
	    "c328", 0 },
	{ "shutdown overlong UTF-8", "0602 02 c0af", 0, 6, 2, 3, true, false,
	    "c0af", 0 },
	{ "shutdown surrogate", "0602 03 eda080", 0, 6, 2, 4, true, false,
	    "eda080", 0 },
	{ "shutdown beyond U+10FFFF", "0602 04 f4908080", 0, 6, 2, 5, true,
	    false, "f4908080", 0 },
	{ "shutdown cut inside a character", "0602 02 41e2", 0, 6, 2, 3, true,
	    false, "41e2", 0 },
	{ "shutdown multibyte", "0602 07 e282acf09f9880", 0, 6, 2, 8, true,
	    true, "e282acf09f9880", 0 },
	{ "shutdown with trailing octets", "0602 02 6f6b eeff", 0, 6, 2, 5,
	    true, true, "6f6b", 2 },
	{ "peer de-configured: data is not a communication",
	    "0603 0568656c6c6f", 0, 6, 3, 6, false, false, NULL, 0 },
	{ "hard reset: no communication", "0609 0602 00", 0, 6, 9, 3, false,
	    false, NULL, 0 },
	{ "hold timer expired", "0400", 0, 4, 0, 0, false, false, NULL, 0 },
	{ "bad length with data", "0102 0fff", 0, 1, 2, 2, false, false, NULL,
	    0 },
	{ "unknown code", "2a07 01", 0, 42, 7, 1, false, false, NULL, 0 },
	{ "one octet", "06", -1, 0, 0, 0, false, false, NULL, 0 },
	{ "empty", "", -1, 0, 0, 0, false, false, NULL, 0 },
};

START_TEST(test_notif)
{
	const struct notif_vec *t = &notif_vecs[_i];
	uint8_t buf[300];
	size_t n = testutil_unhex(t->hex, buf, sizeof(buf));
	struct notif nt;
	struct rbuf r;

	rbuf_init(&r, buf, n);
	ck_assert_msg(notif_parse(&r, &nt, NULL) == t->ret, "%s", t->name);
	if (t->ret == -1)
		return;
	ck_assert_uint_eq(rbuf_left(&r), 0);
	ck_assert_uint_eq(nt.code, t->code);
	ck_assert_uint_eq(nt.subcode, t->subcode);
	ck_assert_uint_eq(nt.datalen, t->datalen);
	ck_assert_ptr_eq(nt.data, buf + 2);
	ck_assert_msg(nt.has_shutdown == t->has_shutdown, "%s", t->name);
	ck_assert_msg(nt.shutdown_valid == t->valid, "%s", t->name);
	ck_assert_msg(
	    (nt.shutdown_error == NULL) == (t->valid || !t->has_shutdown), "%s",
	    t->name);
	if (t->text != NULL)
		ck_assert_str_eq(
		    testutil_tohex(nt.shutdown, nt.shutdown_len), t->text);
	ck_assert_uint_eq(nt.shutdown_trailing, t->trailing);
}
END_TEST

/* RFC 9003 §2 allows 255 octets; 255 + 1 length octet + code/subcode. */
START_TEST(test_notif_max_shutdown)
{
	uint8_t buf[2 + 1 + 255];
	struct notif nt;
	struct rbuf r;

	buf[0] = 6;
	buf[1] = 4;
	buf[2] = 255;
	memset(buf + 3, 'x', 255);
	rbuf_init(&r, buf, sizeof(buf));
	ck_assert_int_eq(notif_parse(&r, &nt, NULL), 0);
	ck_assert(nt.has_shutdown && nt.shutdown_valid);
	ck_assert_uint_eq(nt.shutdown_len, 255);
}
END_TEST

/* Every proper prefix of a NOTIFICATION body fails or is marked bad. */
START_TEST(test_notif_truncated)
{
	uint8_t buf[64];
	size_t n =
	    testutil_unhex("0602 0b 6d61696e74656e616e6365", buf, sizeof(buf));
	struct notif nt;
	struct rbuf r;
	size_t k;

	for (k = 0; k < n; k++) {
		rbuf_init(&r, buf, k);
		if (k < 2) {
			ck_assert_int_eq(notif_parse(&r, &nt, NULL), -1);
			continue;
		}
		ck_assert_int_eq(notif_parse(&r, &nt, NULL), 0);
		ck_assert_uint_eq(nt.datalen, k - 2);
		/* k == 2: no data, hence no communication at all. */
		ck_assert(nt.has_shutdown == (k > 2));
		ck_assert(!nt.shutdown_valid);
	}
}
END_TEST

/* ROUTE-REFRESH bodies, RFC 2918 §3 and RFC 7313 §3, §5. */
static const struct rr_vec {
	const char *name;
	const char *hex;
	int ret;
	uint16_t afi;
	uint8_t subtype, safi;
	bool ignored;
} rr_vecs[] = {
	{ "normal ipv4 unicast", "0001 00 01", 0, 1, 0, 1, false },
	{ "borr ipv6 unicast", "0002 01 01", 0, 2, 1, 1, false },
	{ "eorr ipv4 flowspec", "0001 02 85", 0, 1, 2, 133, false },
	{ "unknown afi/safi", "4000 00 fe", 0, 0x4000, 0, 254, false },
	{ "subtype 3 ignored", "0001 03 01", 0, 1, 3, 1, true },
	{ "subtype 255 ignored whatever its length", "0001 ff 01 aabb", 0, 1,
	    255, 1, true },
	{ "borr too long", "0001 01 01 00", -1, 0, 0, 0, false },
	{ "eorr too short", "0001 02", -1, 0, 0, 0, false },
	{ "normal with ORF entries", "0001 00 01 01 00 02", -1, 0, 0, 0,
	    false },
	{ "one octet", "00", -1, 0, 0, 0, false },
	{ "empty", "", -1, 0, 0, 0, false },
};

START_TEST(test_rrefresh)
{
	const struct rr_vec *t = &rr_vecs[_i];
	uint8_t buf[32];
	size_t n = testutil_unhex(t->hex, buf, sizeof(buf));
	struct rrefresh rr;
	struct verdict v;
	struct rbuf r;

	memset(&v, 0xa5, sizeof(v));
	rbuf_init(&r, buf, n);
	ck_assert_msg(
	    rrefresh_parse(&r, &rr, &v, NULL) == t->ret, "%s", t->name);
	if (t->ret == -1) {
		ck_assert_int_eq(v.action, VERDICT_SESSION_RESET);
		ck_assert_uint_eq(v.code, BGP_ERR_RREFRESH);
		ck_assert_uint_eq(v.subcode, 1);
		ck_assert_ptr_eq(v.data, buf);
		ck_assert_uint_eq(v.datalen, n);
		return;
	}
	ck_assert_int_eq(v.action, VERDICT_OK);
	ck_assert_uint_eq(rr.afi, t->afi);
	ck_assert_uint_eq(rr.subtype, t->subtype);
	ck_assert_uint_eq(rr.safi, t->safi);
	if (t->ignored)
		ck_assert_ptr_nonnull(strstr(v.reason, "ignored"));
	else
		ck_assert_str_eq(v.reason, "");
}
END_TEST

START_TEST(test_rrefresh_truncated)
{
	uint8_t buf[4] = { 0, 1, 1, 1 };
	struct rrefresh rr;
	struct verdict v;
	struct rbuf r;
	size_t k;

	for (k = 0; k < sizeof(buf); k++) {
		rbuf_init(&r, buf, k);
		ck_assert_int_eq(rrefresh_parse(&r, &rr, &v, NULL), -1);
		ck_assert_uint_eq(v.code, BGP_ERR_RREFRESH);
	}
	ck_assert_str_eq(rrefresh_subtype_name(0), "normal");
	ck_assert_str_eq(rrefresh_subtype_name(1), "borr");
	ck_assert_str_eq(rrefresh_subtype_name(2), "eorr");
	ck_assert_ptr_null(rrefresh_subtype_name(3));
}
END_TEST

/* Whole messages decoded by msg_decode_json(), compared exactly. */
#define OK_VERDICT                                                             \
	"\"verdict\":{\"action\":\"ok\",\"code\":0,\"subcode\":0,"             \
	"\"reason\":\"\"}"
static const struct json_vec {
	const char *name;
	const char *hex;
	bool ext;
	enum verdict_action action;
	const char *json;
} json_vecs[] = {
	{ "keepalive", MARKER "0013 04", false, VERDICT_OK,
	    "{\"type\":\"KEEPALIVE\",\"type_code\":4,\"length\":19," OK_VERDICT
	    "}" },
	{ "shutdown communication",
	    MARKER "0021 03 0602 0b 6d61696e74656e616e6365", false, VERDICT_OK,
	    "{\"type\":\"NOTIFICATION\",\"type_code\":3,\"length\":33,"
	    "\"code\":6,\"subcode\":2,\"name\":\"Cease / Administrative "
	    "Shutdown\",\"data\":\"0b6d61696e74656e616e6365\","
	    "\"shutdown_communication\":\"maintenance\"," OK_VERDICT "}" },
	{ "shutdown communication with trailing octets",
	    MARKER "001a 03 0604 02 6f6b ee ff", false, VERDICT_OK,
	    "{\"type\":\"NOTIFICATION\",\"type_code\":3,\"length\":26,"
	    "\"code\":6,\"subcode\":4,\"name\":\"Cease / Administrative "
	    "Reset\",\"data\":\"026f6beeff\",\"shutdown_communication\":"
	    "\"ok\",\"shutdown_communication_trailing\":2," OK_VERDICT "}" },
	{ "invalid shutdown communication", MARKER "0018 03 0602 02 c328",
	    false, VERDICT_OK,
	    "{\"type\":\"NOTIFICATION\",\"type_code\":3,\"length\":24,"
	    "\"code\":6,\"subcode\":2,\"name\":\"Cease / Administrative "
	    "Shutdown\",\"data\":\"02c328\",\"shutdown_communication_error\":"
	    "\"not valid UTF-8\"," OK_VERDICT "}" },
	{ "overrunning shutdown communication", MARKER "0018 03 0602 09 41 42",
	    false, VERDICT_OK,
	    "{\"type\":\"NOTIFICATION\",\"type_code\":3,\"length\":24,"
	    "\"code\":6,\"subcode\":2,\"name\":\"Cease / Administrative "
	    "Shutdown\",\"data\":\"094142\",\"shutdown_communication_error\":"
	    "\"length exceeds the NOTIFICATION data\"," OK_VERDICT "}" },
	{ "hold timer expired", MARKER "0015 03 0400", false, VERDICT_OK,
	    "{\"type\":\"NOTIFICATION\",\"type_code\":3,\"length\":21,"
	    "\"code\":4,\"subcode\":0,\"name\":\"Hold Timer "
	    "Expired\"," OK_VERDICT "}" },
	{ "route refresh borr", MARKER "0017 05 0002 01 01", false, VERDICT_OK,
	    "{\"type\":\"ROUTE-REFRESH\",\"type_code\":5,\"length\":23,"
	    "\"afi\":\"ipv6\",\"safi\":\"unicast\",\"subtype\":"
	    "\"borr\"," OK_VERDICT "}" },
	{ "route refresh unknown family and subtype",
	    MARKER "0017 05 0063 07 63", false, VERDICT_OK,
	    "{\"type\":\"ROUTE-REFRESH\",\"type_code\":5,\"length\":23,"
	    "\"afi\":99,\"safi\":99,\"subtype\":7,\"verdict\":{\"action\":"
	    "\"ok\",\"code\":0,\"subcode\":0,\"reason\":\"unknown "
	    "ROUTE-REFRESH subtype 7: message ignored (RFC 7313 section "
	    "5)\"}}" },
	{ "route refresh too long: data is the whole message",
	    MARKER "0018 05 0001 02 01 00", false, VERDICT_SESSION_RESET,
	    "{\"type\":\"ROUTE-REFRESH\",\"type_code\":5,\"length\":24,"
	    "\"verdict\":{\"action\":\"session-reset\",\"code\":7,"
	    "\"subcode\":1,\"reason\":\"ROUTE-REFRESH body of 5 octets, "
	    "must be 4 (RFC 7313 section 5)\",\"data\":\"" MARKER
	    "0018050001020100\"}}" },
	{ "unknown type", MARKER "0013 09", false, VERDICT_SESSION_RESET,
	    "{\"type\":null,\"type_code\":9,\"length\":19,\"error\":"
	    "\"unknown message type 9\",\"verdict\":{\"action\":"
	    "\"session-reset\",\"code\":1,\"subcode\":3,\"reason\":"
	    "\"unknown message type 9\",\"data\":\"09\"}}" },
	{ "bad keepalive length", MARKER "0014 04 00", false,
	    VERDICT_SESSION_RESET,
	    "{\"type\":\"KEEPALIVE\",\"type_code\":4,\"length\":20,\"error\":"
	    "\"bad length 20 for KEEPALIVE: a KEEPALIVE is exactly 19 "
	    "octets\",\"verdict\":{\"action\":\"session-reset\",\"code\":1,"
	    "\"subcode\":2,\"reason\":\"bad length 20 for KEEPALIVE: a "
	    "KEEPALIVE is exactly 19 octets\",\"data\":\"0014\"}}" },
	{ "bad marker", "ffffffffffffffff00ffffffffffffff 0013 04", false,
	    VERDICT_SESSION_RESET,
	    "{\"type\":\"KEEPALIVE\",\"type_code\":4,\"length\":19,\"error\":"
	    "\"marker octet 8 is 0x00, not all ones\",\"verdict\":"
	    "{\"action\":\"session-reset\",\"code\":1,\"subcode\":1,"
	    "\"reason\":\"marker octet 8 is 0x00, not all ones\"}}" },
	{ "five octets", "ffffffffff", false, VERDICT_SESSION_RESET,
	    "{\"type\":null,\"type_code\":null,\"length\":null,\"error\":"
	    "\"truncated: 5 octets, a header is 19\",\"verdict\":{\"action\":"
	    "\"session-reset\",\"code\":1,\"subcode\":2,\"reason\":"
	    "\"truncated: 5 octets, a header is 19\"}}" },
	{ "buffer shorter than the length field", MARKER "0017 05 0001 00",
	    false, VERDICT_SESSION_RESET,
	    "{\"type\":\"ROUTE-REFRESH\",\"type_code\":5,\"length\":23,"
	    "\"error\":\"truncated: the length field says 23 octets, 22 "
	    "present\",\"verdict\":{\"action\":\"session-reset\",\"code\":1,"
	    "\"subcode\":2,\"reason\":\"truncated: the length field says 23 "
	    "octets, 22 present\",\"data\":\"0017\"}}" },
	{ "octets after the message", MARKER "0013 04 abcd", false, VERDICT_OK,
	    "{\"type\":\"KEEPALIVE\",\"type_code\":4,\"length\":19," OK_VERDICT
	    ",\"error\":\"octets after the end of the message\","
	    "\"trailing\":\"abcd\"}" },
	{ "extended update length needs the session", MARKER "1001 02", false,
	    VERDICT_SESSION_RESET,
	    "{\"type\":\"UPDATE\",\"type_code\":2,\"length\":4097,\"error\":"
	    "\"bad message length 4097: must be 19 to 4096\",\"verdict\":"
	    "{\"action\":\"session-reset\",\"code\":1,\"subcode\":2,"
	    "\"reason\":\"bad message length 4097: must be 19 to 4096\","
	    "\"data\":\"1001\"}}" },
	/* ExaBGP QA suite, Exa-Networks/exabgp @4460078e, BSD-3-Clause:
	 * qa/encoding/unknown-message.ci#1 (an ExaBGP NOTIFICATION with
	 * free text as data). */
	{ "exabgp unknown-message.ci#1",
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004003010063616E206E6F74206465"
	    "636F646520757064617465206D657373616765206F66207479706520223235"
	    "3522",
	    false, VERDICT_OK,
	    "{\"type\":\"NOTIFICATION\",\"type_code\":3,\"length\":64,"
	    "\"code\":1,\"subcode\":0,\"name\":\"Message Header Error / "
	    "Unspecific\",\"data\":\"63616e206e6f74206465636f6465207570"
	    "64617465206d657373616765206f662074797065202232353522\"," OK_VERDICT
	    "}" },
	/* ExaBGP QA suite, Exa-Networks/exabgp @4460078e, BSD-3-Clause:
	 * qa/encoding/api-rr-rib.ci#9, #11 (#15 repeats #9). */
	{ "exabgp api-rr-rib.ci#9",
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010201", false, VERDICT_OK,
	    "{\"type\":\"ROUTE-REFRESH\",\"type_code\":5,\"length\":23,"
	    "\"afi\":\"ipv4\",\"safi\":\"unicast\",\"subtype\":"
	    "\"eorr\"," OK_VERDICT "}" },
	{ "exabgp api-rr-rib.ci#11",
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010101", false, VERDICT_OK,
	    "{\"type\":\"ROUTE-REFRESH\",\"type_code\":5,\"length\":23,"
	    "\"afi\":\"ipv4\",\"safi\":\"unicast\",\"subtype\":"
	    "\"borr\"," OK_VERDICT "}" },
};

START_TEST(test_json)
{
	const struct json_vec *t = &json_vecs[_i];
	struct bgp_sess s = { .ext_msg = t->ext };
	struct verdict v;
	const char *out = decode_str(t->hex, &s, &v);

	ck_assert_msg(strcmp(out, t->json) == 0, "%s:\n got %s\nwant %s",
	    t->name, out, t->json);
	ck_assert_int_eq(v.action, t->action);
}
END_TEST

/* The ranges of every vector, valid or not, span the whole buffer. */
START_TEST(test_explain_json_vecs)
{
	const struct json_vec *t = &json_vecs[_i];
	struct bgp_sess s = { .ext_msg = t->ext };
	uint8_t msg[MAXMSG];
	size_t n = testutil_unhex(t->hex, msg, sizeof(msg));

	/* Valid messages tile at every depth; others at depth 0. */
	testutil_decode_covered(msg, n, &s, t->action == VERDICT_OK, NULL);
}
END_TEST

/* Valid messages whose every proper prefix must be rejected. */
static const char *const whole_msgs[] = {
	MARKER "0013 04",
	MARKER "0021 03 0602 0b 6d61696e74656e616e6365",
	MARKER "0015 03 0400",
	MARKER "0017 05 0002 01 01",
	MARKER "0017 05 0001 07 01",
	"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010201",
};

START_TEST(test_msg_truncated)
{
	uint8_t msg[MAXMSG];
	size_t n = testutil_unhex(whole_msgs[_i], msg, sizeof(msg)), k;
	struct wbuf w;
	struct json j;
	struct verdict v;

	ck_assert_int_eq(
	    testutil_decode_covered(msg, n, NULL, true, NULL), VERDICT_OK);
	for (k = 0; k < n; k++) {
		wbuf_init_dyn(&w, 0);
		json_init(&j, &w);
		ck_assert_int_eq(msg_decode_json(msg, k, NULL, &j, &v, NULL),
		    VERDICT_SESSION_RESET);
		ck_assert_int_eq(json_finish(&j), 0);
		ck_assert_msg(v.code == 1 && v.subcode == 2, "prefix %zu", k);
		wbuf_free(&w);
		testutil_decode_covered(msg, k, NULL, false, NULL);
	}
}
END_TEST

/*
 * UPDATEs go to update_parse()/update_json() (lib/update.c, tested in
 * check_update): here only the dispatch, one verdict per object, the
 * framing around it and depth-0 coverage of the narration.
 */
static const struct upd_vec {
	const char *name;
	const char *hex;
	enum verdict_action action;
	uint8_t code;
	const char *tail; /* the object ends with this */
} upd_vecs[] = {
	{ "End-of-RIB", MARKER "0017 02 0000 0000", VERDICT_OK, 0, "}" },
	{ "withdrawn length overruns", MARKER "0017 02 0005 0000",
	    VERDICT_SESSION_RESET, BGP_ERR_UPDATE, "}" },
	{ "octets after an UPDATE", MARKER "0017 02 0000 0000 ab", VERDICT_OK,
	    0,
	    "\"error\":\"octets after the end of the message\","
	    "\"trailing\":\"ab\"}" },
};

START_TEST(test_update_dispatch)
{
	const struct upd_vec *t = &upd_vecs[_i];
	static const char head[] =
	    "{\"type\":\"UPDATE\",\"type_code\":2,\"length\":23,";
	uint8_t msg[64];
	size_t n = testutil_unhex(t->hex, msg, sizeof(msg));
	struct verdict v;
	const char *out = decode_str(t->hex, NULL, &v), *p;

	ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "%s", out);
	ck_assert_uint_ge(strlen(out), strlen(t->tail));
	ck_assert_str_eq(out + strlen(out) - strlen(t->tail), t->tail);
	p = strstr(out, "\"verdict\":");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(strstr(p + 1, "\"verdict\":"));
	ck_assert_int_eq(v.action, t->action);
	ck_assert_uint_eq(v.code, t->code);
	ck_assert_int_eq(
	    testutil_decode_covered(msg, n, NULL, false, NULL), t->action);
}
END_TEST

START_TEST(test_encode_keepalive)
{
	struct wbuf w;

	wbuf_init_dyn(&w, 0);
	msg_encode_keepalive(&w);
	ck_assert(!wbuf_error(&w));
	ck_assert_str_eq(
	    testutil_tohex(wbuf_data(&w), wbuf_len(&w)), MARKER "001304");
	ck_assert_str_eq(decode_str(MARKER "001304", NULL, NULL),
	    "{\"type\":\"KEEPALIVE\",\"type_code\":4,\"length\":19," OK_VERDICT
	    "}");
	wbuf_free(&w);
}
END_TEST

/* A header written after other data is framed at its own offset. */
START_TEST(test_encode_header_finish)
{
	struct wbuf w;
	size_t off;

	wbuf_init_dyn(&w, 0);
	wbuf_put_bytes(&w, "xyz", 3);
	off = msg_encode_header(&w, BGP_MSG_UPDATE);
	ck_assert_uint_eq(off, 3);
	wbuf_put_u32(&w, 0);
	msg_encode_finish(&w, off);
	ck_assert(!wbuf_error(&w));
	ck_assert_str_eq(testutil_tohex(wbuf_data(&w) + 3, wbuf_len(&w) - 3),
	    MARKER "00170200000000");
	/* Past 65535 octets a message cannot be framed. */
	wbuf_reset(&w);
	off = msg_encode_header(&w, BGP_MSG_UPDATE);
	wbuf_reserve(&w, BGP_EXT_MAX_LEN - BGP_HDR_LEN + 1);
	msg_encode_finish(&w, off);
	ck_assert(wbuf_error(&w));
	wbuf_free(&w);
}
END_TEST

static const struct notif_enc_vec {
	const char *name;
	uint8_t code, subcode;
	const char *data; /* hex */
	const char *shutdown;
	size_t repeat; /* shutdown: that text repeated */
	const char *want; /* data sent (hex), NULL: see want_len */
	size_t want_len;
} notif_enc_vecs[] = {
	{ "plain", 2, 1, "0004", NULL, 0, "0004", 0 },
	{ "no data", 4, 0, NULL, NULL, 0, "", 0 },
	{ "shutdown", 6, 2, "ffff", "maintenance", 1,
	    "0b6d61696e74656e616e6365", 0 },
	{ "reset, empty text", 6, 4, NULL, "", 1, "00", 0 },
	{ "shutdown text ignored for 6/3", 6, 3, "01", "ignored", 1, "01", 0 },
	{ "text cut to 255", 6, 2, NULL, "a", 300, NULL, 256 },
	/* 127 x "é" is 254 octets; a 128th would make 256: cut at 254. */
	{ "cut at a character boundary", 6, 4, NULL, "\xc3\xa9", 128, NULL,
	    255 },
	{ "cut before invalid UTF-8", 6, 2, NULL,
	    "ab\xff"
	    "cd",
	    1, "026162", 0 },
	{ "cut before a truncated character", 6, 2, NULL, "ab\xe2\x82", 1,
	    "026162", 0 },
};

START_TEST(test_encode_notification)
{
	const struct notif_enc_vec *t = &notif_enc_vecs[_i];
	char text[1024] = "";
	uint8_t data[64];
	size_t dlen =
	    t->data != NULL ? testutil_unhex(t->data, data, sizeof(data)) : 0;
	size_t i;
	struct notif nt;
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;
	struct wbuf w;

	for (i = 0; i < t->repeat; i++)
		strlcat(text, t->shutdown, sizeof(text));
	wbuf_init_dyn(&w, 0);
	msg_encode_notification(&w, t->code, t->subcode,
	    t->data != NULL ? data : NULL, dlen,
	    t->shutdown != NULL ? text : NULL);
	ck_assert(!wbuf_error(&w));
	rbuf_init(&r, wbuf_data(&w), wbuf_len(&w));
	ck_assert_int_eq(msg_hdr_parse(&r, NULL, &h, &v, NULL), 0);
	ck_assert_uint_eq(h.type, BGP_MSG_NOTIFICATION);
	ck_assert_uint_eq(h.len, wbuf_len(&w));
	ck_assert_int_eq(notif_parse(&r, &nt, NULL), 0);
	ck_assert_uint_eq(nt.code, t->code);
	ck_assert_uint_eq(nt.subcode, t->subcode);
	if (t->want != NULL)
		ck_assert_str_eq(testutil_tohex(nt.data, nt.datalen), t->want);
	else
		ck_assert_uint_eq(nt.datalen, t->want_len);
	if (nt.has_shutdown) {
		ck_assert(nt.shutdown_valid);
		ck_assert_uint_eq(nt.shutdown_trailing, 0);
		ck_assert_int_eq(memcmp(nt.shutdown, text, nt.shutdown_len), 0);
	}
	wbuf_free(&w);
}
END_TEST

/* RFC 4271 §4.1: whatever the data, the NOTIFICATION fits in 4096. */
START_TEST(test_encode_notification_fits)
{
	static uint8_t data[5000];
	struct wbuf w;
	struct notif nt;
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;

	memset(data, 0x5a, sizeof(data));
	wbuf_init_dyn(&w, 0);
	msg_encode_notification(&w, 3, 1, data, sizeof(data), NULL);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), BGP_MAX_LEN);
	rbuf_init(&r, wbuf_data(&w), wbuf_len(&w));
	ck_assert_int_eq(msg_hdr_parse(&r, NULL, &h, &v, NULL), 0);
	ck_assert_int_eq(notif_parse(&r, &nt, NULL), 0);
	ck_assert_uint_eq(nt.datalen, BGP_MAX_LEN - 21);
	ck_assert_int_eq(memcmp(nt.data, data, nt.datalen), 0);
	wbuf_free(&w);
}
END_TEST

static const struct rr_enc_vec {
	uint16_t afi;
	uint8_t safi, subtype;
	const char *hex;
} rr_enc_vecs[] = {
	{ 1, 1, 0, MARKER "0017 05 0001 00 01" },
	{ 2, 1, 1, MARKER "0017 05 0002 01 01" },
	{ 1, 133, 2, MARKER "0017 05 0001 02 85" },
	{ 25, 70, 0, MARKER "0017 05 0019 00 46" },
};

START_TEST(test_encode_rrefresh)
{
	const struct rr_enc_vec *t = &rr_enc_vecs[_i];
	uint8_t want[32];
	size_t n = testutil_unhex(t->hex, want, sizeof(want));
	struct rrefresh rr;
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;
	struct wbuf w;

	wbuf_init_dyn(&w, 0);
	msg_encode_rrefresh(&w, t->afi, t->safi, t->subtype);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), n);
	ck_assert_int_eq(memcmp(wbuf_data(&w), want, n), 0);
	rbuf_init(&r, wbuf_data(&w), wbuf_len(&w));
	ck_assert_int_eq(msg_hdr_parse(&r, NULL, &h, &v, NULL), 0);
	ck_assert_int_eq(rrefresh_parse(&r, &rr, &v, NULL), 0);
	ck_assert_uint_eq(rr.afi, t->afi);
	ck_assert_uint_eq(rr.safi, t->safi);
	ck_assert_uint_eq(rr.subtype, t->subtype);
	wbuf_free(&w);
}
END_TEST

/* An encoder into a full fixed buffer reports the error. */
START_TEST(test_encode_overflow)
{
	uint8_t store[20];
	struct wbuf w;

	wbuf_init_fixed(&w, store, sizeof(store));
	msg_encode_rrefresh(&w, 1, 1, 0);
	ck_assert(wbuf_error(&w));
	wbuf_init_fixed(&w, store, sizeof(store));
	msg_encode_keepalive(&w);
	ck_assert(!wbuf_error(&w));
}
END_TEST

START_TEST(test_verdict_json)
{
	static const uint8_t d[2] = { 0x10, 0x01 };
	struct verdict v;
	struct wbuf w;
	struct json j;

	verdict_clear(&v);
	verdict_set(&v, VERDICT_SESSION_RESET, 1, 2, d, 2, "x \"%d\"", 1);
	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	msg_verdict_json(&v, &j);
	json_obj_close(&j);
	ck_assert_int_eq(json_finish(&j), 0);
	wbuf_put_u8(&w, 0);
	ck_assert_str_eq((const char *)wbuf_data(&w),
	    "{\"verdict\":{\"action\":\"session-reset\",\"code\":1,"
	    "\"subcode\":2,\"reason\":\"x \\\"1\\\"\",\"data\":\"1001\"}}");
	wbuf_free(&w);
}
END_TEST

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("decode");
	TCase *te = tcase_create("encode");

	tcase_add_loop_test(tc, test_hdr, 0, NELEM(hdr_vecs));
	tcase_add_test(tc, test_hdr_null_sess);
	tcase_add_test(tc, test_type_names);
	tcase_add_loop_test(tc, test_notif_names, 0, NELEM(name_vecs));
	tcase_add_test(tc, test_notif_code_names);
	tcase_add_loop_test(tc, test_notif, 0, NELEM(notif_vecs));
	tcase_add_test(tc, test_notif_max_shutdown);
	tcase_add_test(tc, test_notif_truncated);
	tcase_add_loop_test(tc, test_rrefresh, 0, NELEM(rr_vecs));
	tcase_add_test(tc, test_rrefresh_truncated);
	tcase_add_loop_test(tc, test_json, 0, NELEM(json_vecs));
	tcase_add_loop_test(tc, test_explain_json_vecs, 0, NELEM(json_vecs));
	tcase_add_loop_test(tc, test_msg_truncated, 0, NELEM(whole_msgs));
	tcase_add_test(tc, test_verdict_json);
	tcase_add_loop_test(tc, test_update_dispatch, 0, NELEM(upd_vecs));
	suite_add_tcase(s, tc);
	tcase_add_test(te, test_encode_keepalive);
	tcase_add_test(te, test_encode_header_finish);
	tcase_add_loop_test(
	    te, test_encode_notification, 0, NELEM(notif_enc_vecs));
	tcase_add_test(te, test_encode_notification_fits);
	tcase_add_loop_test(te, test_encode_rrefresh, 0, NELEM(rr_enc_vecs));
	tcase_add_test(te, test_encode_overflow);
	suite_add_tcase(s, te);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
