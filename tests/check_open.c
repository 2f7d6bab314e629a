/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/open.c: valid OPENs decoded to exact JSON (ours and
 * ExaBGP's), every RFC 4271 §6.2 / RFC 5492 / RFC 9072 / capability length
 * error with its NOTIFICATION, truncation, byte-range narration,
 * open_encode() round trips and open_negotiate().
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "open.h"
#include "testutil.h"

#define MARKER "ffffffffffffffffffffffffffffffff"
#define MAXMSG 8192
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define OK_VERDICT                                                             \
	"\"verdict\":{\"action\":\"ok\",\"code\":0,\"subcode\":0,"             \
	"\"reason\":\"\"}"
#define CAPA(code, name) "{\"code\":" #code ",\"name\":\"" name "\""
#define MP(afi, safi)                                                          \
	CAPA(1, "multiprotocol") ",\"afi\":\"" afi "\",\"safi\":\"" safi "\"}"

/* Whole OPEN messages and their exact decode. */
static const struct open_vec {
	const char *name;
	const char *hex;
	const char *json;
} open_vecs[] = {
	{ "minimal", MARKER "001d01 04fde900b40a00000100",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":29,\"version\":4,"
	    "\"my_as\":65001,\"hold_time\":180,\"bgp_id\":\"10.0.0.1\","
	    "\"peer_as\":65001,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[]," OK_VERDICT "}" },
	{ "every capability in one parameter",
	    MARKER "007101"
	           "045ba0005ac000020154025201040001000101040002000102008000"
	           "46004104fa56ea00450800010103000201014006c078000101800600"
	           "0506000100010002090103490c04727472310665782e6e6574470700"
	           "010100000e10c802abcd",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":113,\"version\":4,"
	    "\"my_as\":23456,\"hold_time\":90,\"bgp_id\":\"192.0.2.1\","
	    "\"peer_as\":4200000000,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" MP("ipv4", "unicast") "," MP(
	        "ipv6", "unicast") "," CAPA(2, "route-refresh") "}," CAPA(5,
	        "extended-next-hop") ",\"families\":[{\"nlri_afi\":"
	                             "\"ipv4\",\"nlri_safi\":\"unicast\","
	                             "\"nexthop_afi\":\"ipv6\"}]}," CAPA(
	                                 6, "extended-message") "}," CAPA(9,
	                                 "role") ",\"role\":"
	                                         "\"customer\"}," CAPA(64,
	                                             "graceful-restart") ",\"re"
	                                                                 "start"
	                                                                 "_time"
	                                                                 "\":"
	                                                                 "120,"
	                                                                 "\"res"
	                                                                 "tarte"
	                                                                 "d\":"
	                                                                 "true,"
	                                                                 "\"not"
	                                                                 "ifica"
	                                                                 "tion"
	                                                                 "\":"
	                                                                 "true,"
	                                                                 "\"fam"
	                                                                 "ilies"
	                                                                 "\":"
	                                                                 "[{"
	                                                                 "\"afi"
	                                                                 "\":"
	                                                                 "\"ipv"
	                                                                 "4\","
	                                                                 "\"saf"
	                                                                 "i\":"
	                                                                 "\"uni"
	                                                                 "cast"
	                                                                 "\","
	                                                                 "\"for"
	                                                                 "wardi"
	                                                                 "ng\":"
	                                                                 "true}"
	                                                                 "]}"
	                                                                 "," CAPA(
	                                                                     65,
	                                                                     "f"
	                                                                     "o"
	                                                                     "u"
	                                                                     "r"
	                                                                     "-"
	                                                                     "o"
	                                                                     "c"
	                                                                     "t"
	                                                                     "e"
	                                                                     "t"
	                                                                     "-"
	                                                                     "a"
	                                                                     "s") ",\"as\":4200000000}," CAPA(69,
	                                                                     "a"
	                                                                     "d"
	                                                                     "d"
	                                                                     "-"
	                                                                     "p"
	                                                                     "a"
	                                                                     "t"
	                                                                     "h") ",\"families\":[{\"afi\":\"ipv4\",\"safi\":"
	                                                                          "\"unicast\",\"mode\":\"send-receive\"},{\"afi\":\"ipv6\","
	                                                                          "\"safi\":\"unicast\",\"mode\":\"receive\"}]}," CAPA(
	                                                                              70,
	                                                                              "enhanced-route-refresh") "}," CAPA(71,
	                                                                              "long-lived-graceful-restart") ",\"value\":"
	                                                                                                             "\"00010100000e10\"}," CAPA(
	                                                                                                                 73,
	                                                                                                                 "fqdn") ",\"hostname\":\"rtr1\","
	                                                                                                                         "\"domain\":\"ex.net\"}," CAPA(
	                                                                                                                             128,
	                                                                                                                             "route-refresh-cisco") "},"
	                                                                                                                                                    "{\"code\":200,\"name\":null,\"value\":\"abcd\"}]," OK_VERDICT
	                                                                                                                                                    "}" },
	{ "one capability per parameter, hold time 0",
	    MARKER "003501"
	           "04fde900000a00000218020601040001000102020200020641040000"
	           "fde902020600",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":53,\"version\":4,"
	    "\"my_as\":65001,\"hold_time\":0,\"bgp_id\":\"10.0.0.2\","
	    "\"peer_as\":65001,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" MP("ipv4", "unicast") "," CAPA(2,
	        "route-refresh") "}," CAPA(6, "extended-message") "}," CAPA(65,
	        "four-octet-as") ",\"as\":65001}]," OK_VERDICT "}" },
	{ "numbers for unnamed families and roles",
	    MARKER "003e01"
	           "04fde900b40a00000321021f01040063006345040019460205060001"
	           "010000024006000500636300090107",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":62,\"version\":4,"
	    "\"my_as\":65001,\"hold_time\":180,\"bgp_id\":\"10.0.0.3\","
	    "\"peer_as\":65001,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" CAPA(1,
	        "multiprotocol") ",\"afi\":99,"
	                         "\"safi\":99}," CAPA(5,
	                             "extended-next-hop") ",\"families\":"
	                                                  "[{\"nlri_afi\":"
	                                                  "\"ipv4\",\"nlri_"
	                                                  "safi\":256,"
	                                                  "\"nexthop_afi\":"
	                                                  "\"ipv6\"}]}," CAPA(9, "role") ",\"role\":7}," CAPA(
	                                                      64,
	                                                      "graceful-"
	                                                      "restart") ",\"re"
	                                                                 "start"
	                                                                 "_time"
	                                                                 "\":5,"
	                                                                 "\"res"
	                                                                 "tarte"
	                                                                 "d\":"
	                                                                 "false"
	                                                                 ",\"no"
	                                                                 "tific"
	                                                                 "ation"
	                                                                 "\":"
	                                                                 "false"
	                                                                 ",\"fa"
	                                                                 "milie"
	                                                                 "s\":["
	                                                                 "{\"af"
	                                                                 "i\":"
	                                                                 "99,"
	                                                                 "\"saf"
	                                                                 "i\":"
	                                                                 "99,"
	                                                                 "\"for"
	                                                                 "wardi"
	                                                                 "ng\":"
	                                                                 "false"
	                                                                 "}]}"
	                                                                 "," CAPA(
	                                                                     69,
	                                                                     "a"
	                                                                     "d"
	                                                                     "d"
	                                                                     "-"
	                                                                     "p"
	                                                                     "a"
	                                                                     "t"
	                                                                     "h") ",\"families\":"
	                                                                          "[{\"afi\":\"l2vpn\",\"safi\":\"evpn\",\"mode\":\"send\"}]}]," OK_VERDICT
	                                                                          "}" },
	{ "ADD-PATH with Send/Receive 7 is ignored",
	    MARKER "002f01"
	           "04fde900b40a00000412021041040000fde945080001010700020101",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":47,\"version\":4,"
	    "\"my_as\":65001,\"hold_time\":180,\"bgp_id\":\"10.0.0.4\","
	    "\"peer_as\":65001,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" CAPA(
	        65, "four-octet-as") ",\"as\":65001}," CAPA(69,
	        "add-path") ",\"value\":\"0001010700020101\",\"note\":"
	                    "\"Send/Receive value outside 1..3: capability "
	                    "ignored (RFC 7911 "
	                    "section 4)\"}]," OK_VERDICT "}" },
	{ "empty parameter, empty lists, repeated role, hold time 3",
	    MARKER "003901"
	           "04fde900030a0000051c020002044500050002030901040203090104"
	           "02084906047274723100",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":57,\"version\":4,"
	    "\"my_as\":65001,\"hold_time\":3,\"bgp_id\":\"10.0.0.5\","
	    "\"peer_as\":65001,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" CAPA(5,
	        "extended-next-hop") ",\"families\":"
	                             "[]}," CAPA(9,
	                                 "role") ",\"role\":\"peer\"}," CAPA(69,
	                                 "add-path") ",\"families\":[]}," CAPA(73,
	                                 "fqdn") ",\"hostname\":\"rtr1\","
	                                         "\"domain\":\"\"}]," OK_VERDICT
	                                         "}" },
	{ "RFC 9072 extended optional parameters",
	    MARKER "003801"
	           "04fde900b40a000006ffff001802000c01040001000141040000fde9"
	           "020006800040020000",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":56,\"version\":4,"
	    "\"my_as\":65001,\"hold_time\":180,\"bgp_id\":\"10.0.0.6\","
	    "\"peer_as\":65001,\"extended_optional_parameters\":true,"
	    "\"capabilities\":[" MP("ipv4", "unicast") "," CAPA(64,
	        "graceful-restart") ",\"restart_time\":0,\"restarted\":"
	                            "false,\"notification\":false,\"families\":"
	                            "[]}," CAPA(65,
	                                "four-octet-as") ",\"as\":65001}," CAPA(128,
	                                "route-refresh-cisco") "}]," OK_VERDICT
	                                                       "}" },
	/*
	 * ExaBGP QA suite, Exa-Networks/exabgp @4460078e, BSD-3-Clause:
	 * qa/decoding/bgp-open-sofware-version,
	 * qa/encoding/conf-cap-software-version.ci#1 and
	 * qa/encoding/conf-hostname.ci#1 (the OPENs ExaBGP sends).
	 */
	{ "exabgp bgp-open-sofware-version",
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00510104FFFD00B40A00000234020601"
	    "0400010001020641040000FFFD02224B201F4578614247502F6D61696E2D6332"
	    "61326561386562642D3230323430373135",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":81,\"version\":4,"
	    "\"my_as\":65533,\"hold_time\":180,\"bgp_id\":\"10.0.0.2\","
	    "\"peer_as\":65533,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" MP("ipv4", "unicast") "," CAPA(
	        65, "four-octet-as") ",\"as\":65533}," CAPA(75,
	        "software-version") ",\"value\":\"1f4578614247502f6d6169"
	                            "6e2d633261326561386562642d3230323430373135"
	                            "\"}]," OK_VERDICT "}" },
	{ "exabgp conf-cap-software-version.ci#1",
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00490104FFFD00B40A0000022C020601"
	    "0400010001020641040000FFFD0202060002164B14134578614247502F352E30"
	    "2E302D302B74657374",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":73,\"version\":4,"
	    "\"my_as\":65533,\"hold_time\":180,\"bgp_id\":\"10.0.0.2\","
	    "\"peer_as\":65533,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" MP("ipv4", "unicast") "," CAPA(
	        6, "extended-message") "}," CAPA(65,
	        "four-octet-as") ",\"as\":65533}," CAPA(75,
	        "software-version") ",\"value\":"
	                            "\"134578614247502f352e302e302d302b74657374"
	                            "\"}]," OK_VERDICT "}" },
	{ "exabgp conf-hostname.ci#1",
	    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00550104FFFD00B40A00000238020601"
	    "0400010001020641040000FFFD02020600022249200C6D792D686F73742D6E61"
	    "6D65126D792D646F6D61696E2D6E616D652E636F6D",
	    "{\"type\":\"OPEN\",\"type_code\":1,\"length\":85,\"version\":4,"
	    "\"my_as\":65533,\"hold_time\":180,\"bgp_id\":\"10.0.0.2\","
	    "\"peer_as\":65533,\"extended_optional_parameters\":false,"
	    "\"capabilities\":[" MP("ipv4", "unicast") "," CAPA(
	        6, "extended-message") "}," CAPA(65,
	        "four-octet-as") ",\"as\":65533}," CAPA(73,
	        "fqdn") ",\"hostname\":"
	                "\"my-host-name\",\"domain\":\"my-domain-name.com\"}]"
	                "," OK_VERDICT "}" },
};

START_TEST(test_open_json)
{
	const struct open_vec *t = &open_vecs[_i];
	uint8_t msg[MAXMSG];
	size_t n = testutil_unhex(t->hex, msg, sizeof(msg));
	const char *out = testutil_decode_str(msg, n, NULL, NULL);

	ck_assert_msg(strcmp(out, t->json) == 0, "%s:\n got %s\nwant %s",
	    t->name, out, t->json);
}
END_TEST

/* Every byte of a valid OPEN is narrated, nested ranges tiling. */
START_TEST(test_open_explain)
{
	uint8_t msg[MAXMSG];
	size_t n = testutil_unhex(open_vecs[_i].hex, msg, sizeof(msg));

	ck_assert_int_eq(
	    testutil_decode_covered(msg, n, NULL, true, NULL), VERDICT_OK);
}
END_TEST

/* Every proper prefix of a valid OPEN fails, as body and as message. */
START_TEST(test_open_truncated)
{
	uint8_t msg[MAXMSG];
	size_t n = testutil_unhex(open_vecs[_i].hex, msg, sizeof(msg)), k;
	struct open_msg o;
	struct verdict v;
	struct rbuf r;

	for (k = BGP_HDR_LEN; k < n; k++) {
		rbuf_init(&r, msg + BGP_HDR_LEN, k - BGP_HDR_LEN);
		ck_assert_msg(open_parse(&r, &o, &v, NULL) == -1, "body %zu",
		    k - BGP_HDR_LEN);
		ck_assert_int_eq(v.action, VERDICT_SESSION_RESET);
	}
	for (k = 0; k < n; k++) {
		ck_assert_int_eq(
		    testutil_decode_covered(msg, k, NULL, false, &v),
		    VERDICT_SESSION_RESET);
		ck_assert_msg(v.code == 1 && v.subcode == 2, "prefix %zu", k);
	}
}
END_TEST

/* Invalid OPEN bodies (after the header) and their NOTIFICATION. */
#define FIXED "04 fde9 00b4 0a000001 "
static const struct bad_vec {
	const char *name;
	const char *hex;
	uint8_t code, subcode;
	const char *reason; /* a substring of the verdict's reason */
	const char *data; /* verdict data (hex), NULL for none */
} bad_vecs[] = {
	{ "version 3", "03 fde9 00b4 0a000001 00", 2, 1,
	    "unsupported version 3", "0004" },
	{ "version 5 with hold time 1: version first",
	    "05 fde9 0001 0a000001 00", 2, 1, "version 5", "0004" },
	{ "my AS 0", "04 0000 00b4 0a000001 00", 2, 2, "RFC 7607", NULL },
	{ "hold time 1", "04 fde9 0001 0a000001 00", 2, 6, "hold time 1",
	    NULL },
	{ "hold time 2", "04 fde9 0002 0a000001 00", 2, 6, "hold time 2",
	    NULL },
	{ "hold time 2 with BGP identifier 0: hold time first",
	    "04 fde9 0002 00000000 00", 2, 6, "hold time", NULL },
	{ "BGP identifier 0", "04 fde9 00b4 00000000 00", 2, 3,
	    "BGP identifier", NULL },
	{ "nine octets", "04 fde9 00b4 0a0000 01", 1, 2, "fixed fields", NULL },
	{ "parameters length too large", FIXED "05 020141", 2, 0,
	    "optional parameters length 5, but 3 octets follow", NULL },
	{ "parameters length too small", FIXED "02 0200 0200", 2, 0,
	    "optional parameters length 2, but 4 octets follow", NULL },
	{ "parameters missing", FIXED "02", 2, 0,
	    "optional parameters length 2, but 0", NULL },
	{ "authentication parameter (type 1)", FIXED "03 01 01 00", 2, 4,
	    "optional parameter type 1", NULL },
	{ "unknown parameter type 3", FIXED "02 03 00", 2, 4,
	    "optional parameter type 3", NULL },
	{ "type 255 without length 255 is not RFC 9072", FIXED "02 ff 00", 2, 4,
	    "optional parameter type 255", NULL },
	{ "parameter overruns", FIXED "04 02 05 0200", 2, 0,
	    "optional parameter length 5 overruns the 2 octets left", NULL },
	{ "parameter header cut", FIXED "01 02", 2, 0,
	    "truncated optional parameter header", NULL },
	{ "capability overruns its parameter", FIXED "04 02 02 4104", 2, 0,
	    "capability 65 length 4 overruns the 0 octets left", NULL },
	{ "capability header cut", FIXED "03 02 01 41", 2, 0,
	    "truncated capability", NULL },
	{ "multiprotocol length 3", FIXED "07 02 05 0103 000100", 2, 0,
	    "capability 1 (multiprotocol) has length 3, expected 4", NULL },
	{ "multiprotocol length 5", FIXED "09 02 07 0105 0001000100", 2, 0,
	    "(multiprotocol) has length 5, expected 4", NULL },
	{ "route refresh length 1", FIXED "05 02 03 0201 00", 2, 0,
	    "capability 2 (route-refresh) has length 1, expected 0", NULL },
	{ "enhanced route refresh length 2", FIXED "06 02 04 4602 0000", 2, 0,
	    "(enhanced-route-refresh) has length 2, expected 0", NULL },
	{ "extended message length 1", FIXED "05 02 03 0601 00", 2, 0,
	    "(extended-message) has length 1, expected 0", NULL },
	{ "Cisco route refresh length 1", FIXED "05 02 03 8001 00", 2, 0,
	    "(route-refresh-cisco) has length 1, expected 0", NULL },
	{ "four-octet AS length 2", FIXED "06 02 04 4102 fde9", 2, 0,
	    "(four-octet-as) has length 2, expected 4", NULL },
	{ "four-octet AS 0", FIXED "08 02 06 4104 00000000", 2, 2, "AS 0",
	    NULL },
	{ "ADD-PATH length 3", FIXED "07 02 05 4503 000101", 2, 0,
	    "(add-path) has length 3, expected a multiple of 4", NULL },
	{ "ADD-PATH length 5", FIXED "09 02 07 4505 0001010300", 2, 0,
	    "(add-path) has length 5", NULL },
	{ "graceful restart length 1", FIXED "05 02 03 4001 00", 2, 0,
	    "(graceful-restart) has length 1, expected 2 plus a multiple of 4",
	    NULL },
	{ "graceful restart length 4", FIXED "08 02 06 4004 0078 0001", 2, 0,
	    "(graceful-restart) has length 4", NULL },
	{ "extended next hop length 4", FIXED "08 02 06 0504 00010001", 2, 0,
	    "(extended-next-hop) has length 4, expected a multiple of 6",
	    NULL },
	{ "role length 0", FIXED "04 02 02 0900", 2, 0,
	    "(role) has length 0, expected 1", NULL },
	{ "role length 2", FIXED "06 02 04 0902 0303", 2, 0,
	    "(role) has length 2, expected 1", NULL },
	{ "two different roles", FIXED "08 02 06 090103 090101", 2, 11,
	    "roles 3 and 1", NULL },
	{ "two different roles in two parameters",
	    FIXED "0a 02 03 090100 02 03 090104", 2, 11, "roles 0 and 4",
	    NULL },
	{ "FQDN length 0", FIXED "04 02 02 4900", 2, 0, "(fqdn) has length 0",
	    NULL },
	{ "FQDN host name overruns", FIXED "07 02 05 4903 05 6162", 2, 0,
	    "(fqdn) has length 3", NULL },
	{ "FQDN domain length missing", FIXED "07 02 05 4903 02 6162", 2, 0,
	    "(fqdn) has length 3", NULL },
	{ "FQDN domain overruns", FIXED "09 02 07 4905 01 61 03 6263", 2, 0,
	    "(fqdn) has length 5", NULL },
	{ "FQDN trailing octet", FIXED "09 02 07 4905 01 61 01 62 00", 2, 0,
	    "(fqdn) has length 5", NULL },
	{ "RFC 9072 length cut", FIXED "ff ff 00", 2, 0,
	    "truncated extended optional parameters length", NULL },
	{ "RFC 9072 length mismatch", FIXED "ff ff 0005 02 0000", 2, 0,
	    "optional parameters length 5, but 3 octets follow", NULL },
	{ "RFC 9072 parameter overruns", FIXED "ff ff 0003 02 0005", 2, 0,
	    "optional parameter length 5 overruns", NULL },
	{ "RFC 9072 parameter header cut", FIXED "ff ff 0002 02 00", 2, 0,
	    "truncated optional parameter header", NULL },
	{ "RFC 9072 capability overruns", FIXED "ff ff 0005 02 0002 4104", 2, 0,
	    "capability 65 length 4 overruns", NULL },
	{ "error after valid capabilities",
	    FIXED "0e 02 0c 01040001000102004102fde9", 2, 0,
	    "(four-octet-as) has length 2", NULL },
};

START_TEST(test_open_bad)
{
	const struct bad_vec *t = &bad_vecs[_i];
	uint8_t msg[MAXMSG];
	size_t n = testutil_unhex(
	    t->hex, msg + BGP_HDR_LEN, sizeof(msg) - BGP_HDR_LEN);
	struct open_msg o;
	struct verdict v;
	struct rbuf r;

	memset(&v, 0xa5, sizeof(v));
	rbuf_init(&r, msg + BGP_HDR_LEN, n);
	ck_assert_msg(open_parse(&r, &o, &v, NULL) == -1, "%s", t->name);
	ck_assert_int_eq(v.action, VERDICT_SESSION_RESET);
	ck_assert_msg(v.code == t->code && v.subcode == t->subcode,
	    "%s: %u/%u (%s)", t->name, v.code, v.subcode, v.reason);
	ck_assert_msg(strstr(v.reason, t->reason) != NULL, "%s: \"%s\"",
	    t->name, v.reason);
	if (t->data == NULL)
		ck_assert_uint_eq(v.datalen, 0);
	else
		ck_assert_str_eq(testutil_tohex(v.data, v.datalen), t->data);
	if (n < 10)
		return; /* the header check stops that one first */
	/* The same verdict through msg_decode_json(), narrated. */
	memset(msg, 0xff, BGP_MARKER_LEN);
	msg[16] = (uint8_t)((BGP_HDR_LEN + n) >> 8);
	msg[17] = (uint8_t)(BGP_HDR_LEN + n);
	msg[18] = BGP_MSG_OPEN;
	ck_assert_int_eq(
	    testutil_decode_covered(msg, BGP_HDR_LEN + n, NULL, false, &v),
	    VERDICT_SESSION_RESET);
	ck_assert_msg(
	    v.code == t->code && v.subcode == t->subcode, "%s", t->name);
}
END_TEST

/*
 * RFC 9072 §2: only a parameter type of 255 makes a length of 255 mean
 * "extended"; 255 octets of ordinary parameters are just that.
 */
START_TEST(test_open_255_not_extended)
{
	uint8_t body[10 + 255];
	struct open_msg o;
	struct verdict v;
	struct rbuf r;

	testutil_unhex(FIXED "ff 02fd 410400000001 c8f5", body, sizeof(body));
	memset(body + 20, 0, sizeof(body) - 20);
	rbuf_init(&r, body, sizeof(body));
	ck_assert_int_eq(open_parse(&r, &o, &v, NULL), 0);
	ck_assert(!o.ext_params);
	ck_assert(o.has_as4 && o.as4 == 1);
	ck_assert_uint_eq(o.n_unknown, 1);
	ck_assert_uint_eq(o.unknown[0].code, 200);
	ck_assert_uint_eq(o.unknown[0].len, 245);
}
END_TEST

/* More families or unknown capabilities than fit: kept, flagged. */
START_TEST(test_open_overflow)
{
	uint8_t buf[MAXMSG];
	struct open_msg o;
	struct verdict v;
	struct rbuf r;
	struct wbuf w;
	struct json j;
	size_t i;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, "\x04\xfd\xe9\x00\xb4\x0a\x00\x00\x01", 9);
	wbuf_put_bytes(&w, "\xff\xff", 2); /* RFC 9072 */
	wbuf_put_u16(&w, 3 + 70 * 6 + 40 * 2);
	wbuf_put_u8(&w, OPT_PARAM_CAPA);
	wbuf_put_u16(&w, 70 * 6 + 40 * 2);
	for (i = 0; i < 70; i++) {
		wbuf_put_bytes(&w, "\x01\x04", 2);
		wbuf_put_u16(&w, (uint16_t)(100 + i));
		wbuf_put_bytes(&w, "\x00\x01", 2);
	}
	for (i = 0; i < 40; i++)
		wbuf_put_bytes(&w, "\xf0\x00", 2);
	ck_assert(!wbuf_error(&w));
	rbuf_init(&r, wbuf_data(&w), wbuf_len(&w));
	ck_assert_int_eq(open_parse(&r, &o, &v, NULL), 0);
	ck_assert(o.truncated);
	ck_assert_uint_eq(o.n_mp, OPEN_MAX_FAMILIES);
	ck_assert_uint_eq(
	    o.mp[OPEN_MAX_FAMILIES - 1].afi, 100 + OPEN_MAX_FAMILIES - 1);
	ck_assert_uint_eq(o.n_unknown, OPEN_MAX_UNKNOWN);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	open_json(&o, &j);
	json_obj_close(&j);
	ck_assert_int_eq(json_finish(&j), 0);
	wbuf_put_u8(&w, 0);
	ck_assert_ptr_nonnull(strstr(
	    (const char *)wbuf_data(&w), "],\"capabilities_truncated\":true}"));
}
END_TEST

/* What we announce, decoded back; ext: RFC 9072 encoding expected. */
static const struct enc_vec {
	const char *name;
	struct open_params p;
	bool ext;
	const char *host, *domain; /* FQDN as split; NULL: none */
} enc_vecs[] = {
	{ "IPv4 only",
	    { .local_as = 65001,
	        .bgp_id = 0x0a000001,
	        .holdtime = 180,
	        .ipv4_unicast = true },
	    false, NULL, NULL },
	{ "everything",
	    { .local_as = 4200000000u,
	        .bgp_id = 0xc0000201,
	        .holdtime = 90,
	        .ipv4_unicast = true,
	        .ipv6_unicast = true,
	        .addpath_recv = true,
	        .ext_msg = true,
	        .route_refresh = true,
	        .graceful_restart = true,
	        .gr_time = 120,
	        .extended_nexthop = true,
	        .has_role = true,
	        .role = 2,
	        .hostname = "collector.example.net" },
	    false, "collector", "example.net" },
	{ "IPv6 only, restarted, restart time clamped",
	    { .local_as = 65535,
	        .bgp_id = 1,
	        .holdtime = 0,
	        .ipv6_unicast = true,
	        .addpath_recv = true,
	        .graceful_restart = true,
	        .gr_time = 5000,
	        .gr_restarted = true },
	    false, NULL, NULL },
	{ "AS 65536 needs AS_TRANS",
	    { .local_as = 65536,
	        .bgp_id = 2,
	        .holdtime = 3,
	        .ipv4_unicast = true,
	        .has_role = true,
	        .role = 0 },
	    false, NULL, NULL },
	{ "ADD-PATH without families sends none",
	    { .local_as = 64512,
	        .bgp_id = 3,
	        .holdtime = 30,
	        .addpath_recv = true,
	        .graceful_restart = true,
	        .gr_time = 60 },
	    false, NULL, NULL },
	{ "host name without a dot",
	    { .local_as = 64512,
	        .bgp_id = 4,
	        .holdtime = 30,
	        .hostname = "lab" },
	    false, "lab", "" },
	{ "253 octets of capabilities: ordinary encoding",
	    { .local_as = 64512,
	        .bgp_id = 5,
	        .holdtime = 30,
	        .hostname = "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh" },
	    false, NULL, "" },
	{ "254 octets of capabilities: RFC 9072",
	    { .local_as = 64512,
	        .bgp_id = 6,
	        .holdtime = 30,
	        .hostname = "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	                    "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh" },
	    true, NULL, "" },
	{ "long FQDN cut to fit, RFC 9072",
	    { .local_as = 64512,
	        .bgp_id = 7,
	        .holdtime = 30,
	        .ipv4_unicast = true,
	        .ipv6_unicast = true,
	        .route_refresh = true,
	        .hostname =
	            "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	            "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	            "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	            "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh."
	            "dddddddddddddddddddddddddddddddddddddddddddddddddd"
	            "dddddddddddddddddddddddddddddddddddddddddddddddddd" },
	    true, NULL, NULL },
};

static void
check_families(const struct open_family *f, size_t n, const uint16_t *afi,
    size_t nfam, uint8_t flags)
{
	size_t i;

	ck_assert_uint_eq(n, nfam);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(f[i].afi, afi[i]);
		ck_assert_uint_eq(f[i].safi, SAFI_UNICAST);
		ck_assert_uint_eq(f[i].flags, flags);
	}
}

/* The FQDN as announced: split at the first dot, cut to 255 octets. */
static void
check_fqdn(const struct enc_vec *t, const struct open_msg *o)
{
	const char *h = t->p.hostname, *dot = strchr(h, '.');
	size_t hlen = dot != NULL ? (size_t)(dot - h) : strlen(h);

	ck_assert(o->has_fqdn);
	ck_assert_uint_le(2 + o->hostname_len + o->domainname_len, 255);
	ck_assert_uint_eq(o->hostname_len, hlen > 253 ? 253 : hlen);
	ck_assert_int_eq(memcmp(o->hostname, h, o->hostname_len), 0);
	if (t->host != NULL)
		ck_assert_int_eq(strncmp(t->host, (const char *)o->hostname,
		                     o->hostname_len),
		    0);
	if (t->domain != NULL) {
		ck_assert_uint_eq(o->domainname_len, strlen(t->domain));
		ck_assert_int_eq(
		    memcmp(o->domainname, t->domain, o->domainname_len), 0);
	} else
		ck_assert_int_eq(
		    memcmp(o->domainname, dot + 1, o->domainname_len), 0);
}

START_TEST(test_open_encode)
{
	const struct enc_vec *t = &enc_vecs[_i];
	const struct open_params *p = &t->p;
	uint16_t afi[2];
	size_t nfam = 0;
	struct open_msg o;
	struct bgp_sess s;
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;
	struct wbuf w;

	if (p->ipv4_unicast)
		afi[nfam++] = AFI_IPV4;
	if (p->ipv6_unicast)
		afi[nfam++] = AFI_IPV6;
	wbuf_init_dyn(&w, 0);
	open_encode(&w, p);
	ck_assert(!wbuf_error(&w));
	ck_assert_int_eq(testutil_decode_covered(
	                     wbuf_data(&w), wbuf_len(&w), NULL, true, NULL),
	    VERDICT_OK);
	rbuf_init(&r, wbuf_data(&w), wbuf_len(&w));
	ck_assert_int_eq(msg_hdr_parse(&r, NULL, &h, &v, NULL), 0);
	ck_assert_uint_eq(h.type, BGP_MSG_OPEN);
	ck_assert_uint_eq(h.len, wbuf_len(&w));
	ck_assert_int_eq(open_parse(&r, &o, &v, NULL), 0);
	ck_assert_uint_eq(o.version, 4);
	ck_assert_uint_eq(
	    o.my_as, p->local_as > 65535 ? BGP_AS_TRANS : p->local_as);
	ck_assert_uint_eq(o.holdtime, p->holdtime);
	ck_assert_uint_eq(o.bgp_id, p->bgp_id);
	ck_assert(o.ext_params == t->ext);
	ck_assert(o.has_as4 && o.as4 == p->local_as);
	check_families(o.mp, o.n_mp, afi, nfam, 0);
	ck_assert(o.route_refresh == p->route_refresh);
	ck_assert(o.enhanced_rr == p->route_refresh);
	ck_assert(!o.route_refresh_cisco);
	ck_assert(o.ext_msg == p->ext_msg);
	ck_assert(o.has_addpath == (p->addpath_recv && nfam > 0));
	check_families(o.addpath, o.n_addpath, afi, p->addpath_recv ? nfam : 0,
	    ADDPATH_RECV);
	ck_assert(o.has_gr == p->graceful_restart);
	if (o.has_gr) {
		ck_assert_uint_eq(
		    o.gr_time, p->gr_time > 4095 ? 4095 : p->gr_time);
		ck_assert(o.gr_restarted == p->gr_restarted);
		ck_assert(!o.gr_notification);
		/* A receiving speaker: no forwarding state kept. */
		check_families(o.gr, o.n_gr, afi, nfam, 0);
	}
	ck_assert(o.has_extnh == p->extended_nexthop);
	if (o.has_extnh) {
		ck_assert_uint_eq(o.n_extnh, 1);
		ck_assert(o.extnh[0].nlri_afi == AFI_IPV4 &&
		    o.extnh[0].nlri_safi == SAFI_UNICAST &&
		    o.extnh[0].nh_afi == AFI_IPV6);
	}
	ck_assert(o.has_role == p->has_role);
	ck_assert(!o.has_role || o.role == p->role);
	if (p->hostname != NULL)
		check_fqdn(t, &o);
	else
		ck_assert(!o.has_fqdn);
	ck_assert_uint_eq(o.n_unknown, 0);
	ck_assert(!o.truncated);
	/* Talking to ourselves: we receive ADD-PATH but never send it. */
	open_negotiate(p, &o, &s);
	ck_assert(s.as4);
	ck_assert(s.ext_msg == p->ext_msg);
	ck_assert_uint_eq(s.addpath_rx, 0);
	wbuf_free(&w);
}
END_TEST

/* The exact bytes of a typical OPEN of ours. */
START_TEST(test_open_encode_bytes)
{
	struct open_params p = { .local_as = 65001,
		.bgp_id = 0x0a000001,
		.holdtime = 90,
		.ipv4_unicast = true,
		.ipv6_unicast = true,
		.addpath_recv = true,
		.route_refresh = true };
	struct wbuf w;

	wbuf_init_dyn(&w, 0);
	open_encode(&w, &p);
	ck_assert(!wbuf_error(&w));
	ck_assert_str_eq(testutil_tohex(wbuf_data(&w), wbuf_len(&w)),
	    MARKER "003f01"
	           "04fde9005a0a000001"
	           "220220"
	           "010400010001"
	           "010400020001"
	           "0200"
	           "4600"
	           "41040000fde9"
	           "45080001010100020101");
	wbuf_free(&w);
}
END_TEST

/* Negotiation: RFC 5492 §3, RFC 6793, RFC 8654, RFC 7911 §4. */
static const struct neg_vec {
	const char *name;
	struct open_params ours;
	bool as4, ext_msg;
	size_t n;
	struct open_family addpath[3];
	struct bgp_sess want;
} neg_vecs[] = {
	{ "nothing", { .ipv4_unicast = true }, false, false, 0, { { 0 } },
	    { .as4 = false, .ext_msg = false, .addpath_rx = 0 } },
	{ "four-octet AS", { .ipv4_unicast = true }, true, false, 0, { { 0 } },
	    { .as4 = true, .ext_msg = false, .addpath_rx = 0 } },
	{ "extended messages both", { .ext_msg = true }, false, true, 0,
	    { { 0 } }, { .as4 = false, .ext_msg = true, .addpath_rx = 0 } },
	{ "extended messages only ours", { .ext_msg = true }, false, false, 0,
	    { { 0 } }, { .as4 = false, .ext_msg = false, .addpath_rx = 0 } },
	{ "extended messages only theirs", { .ipv4_unicast = true }, false,
	    true, 0, { { 0 } },
	    { .as4 = false, .ext_msg = false, .addpath_rx = 0 } },
	{ "ADD-PATH IPv4 send",
	    { .ipv4_unicast = true,
	        .ipv6_unicast = true,
	        .addpath_recv = true },
	    true, false, 1, { { 1, 1, ADDPATH_SEND } },
	    { .as4 = true,
	        .ext_msg = false,
	        .addpath_rx = 1u << FAM_IPV4_UNICAST } },
	{ "ADD-PATH IPv6 send-receive",
	    { .ipv4_unicast = true,
	        .ipv6_unicast = true,
	        .addpath_recv = true },
	    true, false, 1, { { 2, 1, ADDPATH_SEND | ADDPATH_RECV } },
	    { .as4 = true,
	        .ext_msg = false,
	        .addpath_rx = 1u << FAM_IPV6_UNICAST } },
	{ "ADD-PATH both families",
	    { .ipv4_unicast = true,
	        .ipv6_unicast = true,
	        .addpath_recv = true },
	    true, false, 2, { { 1, 1, ADDPATH_SEND }, { 2, 1, 3 } },
	    { .as4 = true,
	        .ext_msg = false,
	        .addpath_rx =
	            1u << FAM_IPV4_UNICAST | 1u << FAM_IPV6_UNICAST } },
	{ "ADD-PATH theirs receive only",
	    { .ipv4_unicast = true, .addpath_recv = true }, true, false, 1,
	    { { 1, 1, ADDPATH_RECV } },
	    { .as4 = true, .ext_msg = false, .addpath_rx = 0 } },
	{ "ADD-PATH we did not offer receive", { .ipv4_unicast = true }, true,
	    false, 1, { { 1, 1, ADDPATH_SEND } },
	    { .as4 = true, .ext_msg = false, .addpath_rx = 0 } },
	{ "ADD-PATH for a family we do not carry",
	    { .ipv4_unicast = true, .addpath_recv = true }, true, false, 1,
	    { { 2, 1, ADDPATH_SEND } },
	    { .as4 = true, .ext_msg = false, .addpath_rx = 0 } },
	{ "ADD-PATH multicast is never offered",
	    { .ipv4_unicast = true, .addpath_recv = true }, true, false, 1,
	    { { 1, 2, ADDPATH_SEND } },
	    { .as4 = true, .ext_msg = false, .addpath_rx = 0 } },
	{ "ADD-PATH last tuple of a family counts",
	    { .ipv4_unicast = true, .addpath_recv = true }, true, false, 2,
	    { { 1, 1, ADDPATH_SEND }, { 1, 1, ADDPATH_RECV } },
	    { .as4 = true, .ext_msg = false, .addpath_rx = 0 } },
	{ "ADD-PATH unknown family ignored",
	    { .ipv4_unicast = true, .addpath_recv = true }, true, false, 3,
	    { { 25, 70, 3 }, { 1, 1, ADDPATH_SEND }, { 99, 1, 3 } },
	    { .as4 = true,
	        .ext_msg = false,
	        .addpath_rx = 1u << FAM_IPV4_UNICAST } },
};

START_TEST(test_open_negotiate)
{
	const struct neg_vec *t = &neg_vecs[_i];
	struct open_msg o;
	struct bgp_sess s;
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(&s, 0xa5, sizeof(s));
	o.has_as4 = t->as4;
	o.as4 = 65001;
	o.ext_msg = t->ext_msg;
	o.has_addpath = t->n > 0;
	o.n_addpath = t->n;
	for (i = 0; i < t->n; i++)
		o.addpath[i] = t->addpath[i];
	open_negotiate(&t->ours, &o, &s);
	ck_assert_msg(s.as4 == t->want.as4, "%s", t->name);
	ck_assert_msg(s.ext_msg == t->want.ext_msg, "%s", t->name);
	ck_assert_msg(s.addpath_rx == t->want.addpath_rx, "%s: %x", t->name,
	    s.addpath_rx);
}
END_TEST

START_TEST(test_names)
{
	static const struct {
		uint8_t code;
		const char *name;
	} capas[] = { { 1, "multiprotocol" }, { 2, "route-refresh" },
		{ 3, "outbound-route-filtering" }, { 5, "extended-next-hop" },
		{ 6, "extended-message" }, { 9, "role" },
		{ 64, "graceful-restart" }, { 65, "four-octet-as" },
		{ 69, "add-path" }, { 70, "enhanced-route-refresh" },
		{ 71, "long-lived-graceful-restart" }, { 73, "fqdn" },
		{ 128, "route-refresh-cisco" }, { 0, NULL }, { 4, NULL },
		{ 66, NULL }, { 200, NULL }, { 255, NULL } };
	static const char *const roles[] = { "provider", "rs", "rs-client",
		"customer", "peer" };
	size_t i;

	for (i = 0; i < sizeof(capas) / sizeof(capas[0]); i++) {
		if (capas[i].name == NULL)
			ck_assert_ptr_null(capa_name(capas[i].code));
		else
			ck_assert_str_eq(
			    capa_name(capas[i].code), capas[i].name);
	}
	for (i = 0; i < 5; i++)
		ck_assert_str_eq(role_name((uint8_t)i), roles[i]);
	ck_assert_ptr_null(role_name(5));
	ck_assert_ptr_null(role_name(255));
}
END_TEST

static Suite *
open_suite(void)
{
	Suite *s = suite_create("open");
	TCase *tc = tcase_create("decode");
	TCase *te = tcase_create("encode");

	tcase_add_loop_test(tc, test_open_json, 0, NELEM(open_vecs));
	tcase_add_loop_test(tc, test_open_explain, 0, NELEM(open_vecs));
	tcase_add_loop_test(tc, test_open_truncated, 0, NELEM(open_vecs));
	tcase_add_loop_test(tc, test_open_bad, 0, NELEM(bad_vecs));
	tcase_add_test(tc, test_open_255_not_extended);
	tcase_add_test(tc, test_open_overflow);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(te, test_open_encode, 0, NELEM(enc_vecs));
	tcase_add_test(te, test_open_encode_bytes);
	tcase_add_loop_test(te, test_open_negotiate, 0, NELEM(neg_vecs));
	suite_add_tcase(s, te);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(open_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
