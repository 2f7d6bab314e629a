/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/prefix.c: <length, prefix> decoding with trailing bits
 * masked (RFC 4271 §4.3), lengths past the family width, truncation, text
 * parsing and formatting, ordering and containment.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"
#include "testutil.h"

/* Wire <length, prefix> in, text out (NULL: must be rejected). */
static const struct {
	const char *name;
	uint16_t afi;
	uint8_t in[20];
	size_t len;
	const char *out;
	size_t used; /* octets consumed */
} wire[] = {
	{ "v4 /24", AFI_IPV4, { 24, 192, 0, 2 }, 4, "192.0.2.0/24", 4 },
	{ "v4 /0", AFI_IPV4, { 0 }, 1, "0.0.0.0/0", 1 },
	{ "v4 /32", AFI_IPV4, { 32, 10, 1, 2, 3 }, 5, "10.1.2.3/32", 5 },
	{ "v4 /1", AFI_IPV4, { 1, 0xff }, 2, "128.0.0.0/1", 2 },
	{ "v4 /25 uses 4 octets", AFI_IPV4, { 25, 10, 0, 0, 0x80 }, 5,
	    "10.0.0.128/25", 5 },
	/* bgpdump 1.6.2 printed 11.13.0.0/13 for this NLRI; RFC 4271 §4.3
	 * says the trailing bits are irrelevant, so it is 11.8.0.0/13. */
	{ "v4 trailing bits /13", AFI_IPV4, { 13, 11, 13 }, 3, "11.8.0.0/13",
	    3 },
	{ "v4 trailing bits /23", AFI_IPV4, { 23, 175, 45, 177 }, 4,
	    "175.45.176.0/23", 4 },
	{ "v4 trailing bits /31", AFI_IPV4, { 31, 192, 0, 2, 0xff }, 5,
	    "192.0.2.254/31", 5 },
	{ "v4 followed by more", AFI_IPV4, { 16, 10, 20, 24, 1, 2, 3 }, 7,
	    "10.20.0.0/16", 3 },
	{ "v4 /33", AFI_IPV4, { 33, 1, 2, 3, 4, 5 }, 6, NULL, 0 },
	{ "v4 /255", AFI_IPV4, { 255 }, 1, NULL, 0 },
	{ "v4 short", AFI_IPV4, { 24, 192, 0 }, 3, NULL, 0 },
	{ "v4 empty", AFI_IPV4, { 0 }, 0, NULL, 0 },
	{ "v6 /32", AFI_IPV6, { 32, 0x20, 0x01, 0x0d, 0xb8 }, 5,
	    "2001:db8::/32", 5 },
	{ "v6 /0", AFI_IPV6, { 0 }, 1, "::/0", 1 },
	{ "v6 /128", AFI_IPV6,
	    { 128, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	    17, "2001:db8::1/128", 17 },
	{ "v6 trailing bits /33", AFI_IPV6,
	    { 33, 0x20, 0x01, 0x0d, 0xb8, 0xff }, 6, "2001:db8:8000::/33", 6 },
	{ "v6 trailing bits /127", AFI_IPV6,
	    { 127, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	        0xff },
	    17, "2001:db8::fe/127", 17 },
	{ "v6 /129", AFI_IPV6,
	    { 129, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	        0 },
	    18, NULL, 0 },
	{ "v6 short", AFI_IPV6, { 64, 0x20, 0x01, 0x0d, 0xb8 }, 5, NULL, 0 },
	{ "unknown family", 25, { 8, 10 }, 2, NULL, 0 },
};

static void
prefix_sentinel(struct prefix *p)
{
	memset(p, 0x5a, sizeof(*p));
}

START_TEST(test_decode)
{
	struct prefix p, s;
	struct rbuf r;
	char buf[PREFIX_STRLEN];
	int rc;

	rbuf_init(&r, wire[_i].in, wire[_i].len);
	prefix_sentinel(&p);
	prefix_sentinel(&s);
	rc = prefix_decode(&r, wire[_i].afi, &p);
	if (wire[_i].out == NULL) {
		ck_assert_msg(rc == -1, "%s decoded", wire[_i].name);
		ck_assert_uint_eq(rbuf_left(&r), wire[_i].len);
		ck_assert_mem_eq(&p, &s, sizeof(p));
		return;
	}
	ck_assert_msg(rc == 0, "%s rejected", wire[_i].name);
	ck_assert_uint_eq(rbuf_left(&r), wire[_i].len - wire[_i].used);
	ck_assert_ptr_eq(rbuf_ptr(&r), wire[_i].in + wire[_i].used);
	ck_assert_uint_eq(p.afi, wire[_i].afi);
	ck_assert_str_eq(prefix_fmt(&p, buf, sizeof(buf)), wire[_i].out);
}
END_TEST

/* Every proper prefix of a valid encoding fails and changes nothing. */
START_TEST(test_decode_truncated)
{
	struct prefix p, s;
	struct rbuf r;
	size_t cut;

	if (wire[_i].out == NULL)
		return;
	for (cut = 0; cut < wire[_i].used; cut++) {
		uint8_t *copy = malloc(cut + 1);

		ck_assert_ptr_nonnull(copy);
		/* An exact-size heap copy: ASan sees any over-read. */
		memcpy(copy, wire[_i].in, cut);
		rbuf_init(&r, copy, cut);
		prefix_sentinel(&p);
		prefix_sentinel(&s);
		ck_assert_int_eq(prefix_decode(&r, wire[_i].afi, &p), -1);
		ck_assert_uint_eq(rbuf_left(&r), cut);
		ck_assert_mem_eq(&p, &s, sizeof(p));
		free(copy);
	}
}
END_TEST

/* Text in, canonical text out (NULL: must be rejected). */
static const struct {
	const char *in;
	const char *out;
	uint8_t afi;
} texts[] = {
	{ "192.0.2.0/24", "192.0.2.0/24", AFI_IPV4 },
	{ "192.0.2.77/24", "192.0.2.0/24", AFI_IPV4 },
	{ "11.13.0.0/13", "11.8.0.0/13", AFI_IPV4 },
	{ "10.0.0.1", "10.0.0.1/32", AFI_IPV4 },
	{ "0.0.0.0/0", "0.0.0.0/0", AFI_IPV4 },
	{ "255.255.255.255/32", "255.255.255.255/32", AFI_IPV4 },
	{ "175.45.176.0/22", "175.45.176.0/22", AFI_IPV4 },
	{ "2001:db8::/32", "2001:db8::/32", AFI_IPV6 },
	{ "2001:DB8::1", "2001:db8::1/128", AFI_IPV6 },
	{ "2001:db8:0:0::1:0/112", "2001:db8::1:0/112", AFI_IPV6 },
	{ "2001:db8:ffff::/33", "2001:db8:8000::/33", AFI_IPV6 },
	{ "::/0", "::/0", AFI_IPV6 },
	{ "::ffff:192.0.2.1/128", "::ffff:192.0.2.1/128", AFI_IPV6 },
	{ "192.0.2.0/33", NULL, 0 },
	{ "192.0.2.0/", NULL, 0 },
	{ "192.0.2.0/a", NULL, 0 },
	{ "192.0.2.0/-1", NULL, 0 },
	{ "192.0.2.0/+8", NULL, 0 },
	{ "192.0.2.0/ 8", NULL, 0 },
	{ "192.0.2.0/24x", NULL, 0 },
	{ "192.0.2.0/24/8", NULL, 0 },
	{ "192.0.2/24", NULL, 0 },
	{ "300.0.0.0/8", NULL, 0 },
	{ "/24", NULL, 0 },
	{ "", NULL, 0 },
	{ "2001:db8::/129", NULL, 0 },
	{ "2001:db8:::/32", NULL, 0 },
	{ "192.0.2.0/99999999999999999999", NULL, 0 },
	{ "1111:2222:3333:4444:5555:6666:7777:8888/128xxxxxxxxxxxxxx", NULL,
	    0 },
};

START_TEST(test_parse_fmt)
{
	struct prefix p, s, q;
	char buf[PREFIX_STRLEN];

	prefix_sentinel(&p);
	prefix_sentinel(&s);
	if (texts[_i].out == NULL) {
		ck_assert_msg(prefix_parse(texts[_i].in, &p) == -1,
		    "\"%s\" parsed", texts[_i].in);
		ck_assert_mem_eq(&p, &s, sizeof(p));
		return;
	}
	ck_assert_msg(prefix_parse(texts[_i].in, &p) == 0, "\"%s\" rejected",
	    texts[_i].in);
	ck_assert_uint_eq(p.afi, texts[_i].afi);
	ck_assert_str_eq(prefix_fmt(&p, buf, sizeof(buf)), texts[_i].out);
	/* The canonical form parses back to the same prefix. */
	ck_assert_int_eq(prefix_parse(buf, &q), 0);
	ck_assert_int_eq(prefix_cmp(&p, &q), 0);
	ck_assert_mem_eq(&p, &q, sizeof(p));
}
END_TEST

/* Decoding and parsing agree on the same prefixes. */
START_TEST(test_decode_parse_agree)
{
	struct prefix p, q;
	struct rbuf r;
	char buf[PREFIX_STRLEN];

	if (wire[_i].out == NULL)
		return;
	rbuf_init(&r, wire[_i].in, wire[_i].len);
	ck_assert_int_eq(prefix_decode(&r, wire[_i].afi, &p), 0);
	ck_assert_int_eq(prefix_parse(wire[_i].out, &q), 0);
	ck_assert_mem_eq(&p, &q, sizeof(p));
	ck_assert_str_eq(prefix_fmt(&q, buf, sizeof(buf)), wire[_i].out);
}
END_TEST

/* Sign of prefix_cmp(a, b). */
static const struct {
	const char *a, *b;
	int sign;
} cmps[] = {
	{ "10.0.0.0/8", "10.0.0.0/8", 0 },
	{ "10.0.0.0/8", "10.0.0.0/16", -1 },
	{ "10.0.0.0/16", "10.0.0.0/8", 1 },
	{ "10.0.0.0/8", "11.0.0.0/8", -1 },
	{ "11.0.0.0/8", "10.0.0.0/24", 1 },
	{ "10.1.0.0/16", "10.0.0.0/24", 1 },
	{ "255.0.0.0/8", "::/0", -1 },
	{ "::/0", "0.0.0.0/0", 1 },
	{ "2001:db8::/32", "2001:db8::/48", -1 },
	{ "2001:db9::/32", "2001:db8::/48", 1 },
};

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

START_TEST(test_cmp)
{
	struct prefix a, b;

	ck_assert_int_eq(prefix_parse(cmps[_i].a, &a), 0);
	ck_assert_int_eq(prefix_parse(cmps[_i].b, &b), 0);
	ck_assert_msg(sign(prefix_cmp(&a, &b)) == cmps[_i].sign, "%s vs %s",
	    cmps[_i].a, cmps[_i].b);
	ck_assert_int_eq(sign(prefix_cmp(&b, &a)), -cmps[_i].sign);
}
END_TEST

static const struct {
	const char *outer, *inner;
	bool in;
} contains[] = {
	{ "10.0.0.0/8", "10.1.0.0/16", true },
	{ "10.0.0.0/8", "10.0.0.0/8", true },
	{ "10.0.0.0/8", "10.255.255.255/32", true },
	{ "10.1.0.0/16", "10.0.0.0/8", false },
	{ "10.0.0.0/8", "11.0.0.0/16", false },
	{ "0.0.0.0/0", "203.0.113.7/32", true },
	{ "0.0.0.0/0", "::/0", false },
	{ "::/0", "0.0.0.0/0", false },
	{ "::/0", "2001:db8::/32", true },
	{ "175.45.176.0/22", "175.45.179.0/24", true },
	{ "175.45.176.0/22", "175.45.180.0/24", false },
	{ "175.45.176.0/22", "175.45.176.0/21", false },
	{ "10.0.0.0/9", "10.128.0.0/16", false },
	{ "10.128.0.0/9", "10.200.0.0/16", true },
	{ "192.0.2.0/31", "192.0.2.1/32", true },
	{ "192.0.2.0/31", "192.0.2.2/32", false },
	{ "2001:db8::/32", "2001:db8:ffff::/48", true },
	{ "2001:db8::/33", "2001:db8:8000::/48", false },
	{ "2001:db8::1/128", "2001:db8::1/128", true },
	{ "2001:db8::1/128", "2001:db8::/127", false },
};

START_TEST(test_contains)
{
	struct prefix o, i;

	ck_assert_int_eq(prefix_parse(contains[_i].outer, &o), 0);
	ck_assert_int_eq(prefix_parse(contains[_i].inner, &i), 0);
	ck_assert_msg(prefix_contains(&o, &i) == contains[_i].in,
	    "%s contains %s", contains[_i].outer, contains[_i].inner);
}
END_TEST

/* Addresses: parse, format, family. */
static const struct {
	const char *in, *out;
	uint8_t afi;
} addrs[] = {
	{ "192.0.2.1", "192.0.2.1", AFI_IPV4 },
	{ "0.0.0.0", "0.0.0.0", AFI_IPV4 },
	{ "2001:DB8:0::1", "2001:db8::1", AFI_IPV6 },
	{ "fe80::1", "fe80::1", AFI_IPV6 },
	{ "192.0.2", NULL, 0 },
	{ "192.0.2.1/32", NULL, 0 },
	{ "1.2.3.4.5", NULL, 0 },
	{ "::g", NULL, 0 },
	{ "", NULL, 0 },
};

START_TEST(test_addr)
{
	uint8_t a[16], s[16], afi = 99;
	char buf[ADDR_STRLEN];

	memset(a, 0x5a, sizeof(a));
	memcpy(s, a, sizeof(s));
	if (addrs[_i].out == NULL) {
		ck_assert_int_eq(addr_parse(addrs[_i].in, &afi, a), -1);
		ck_assert_uint_eq(afi, 99);
		ck_assert_mem_eq(a, s, sizeof(a));
		return;
	}
	ck_assert_int_eq(addr_parse(addrs[_i].in, &afi, a), 0);
	ck_assert_uint_eq(afi, addrs[_i].afi);
	ck_assert_str_eq(addr_fmt(afi, a, buf, sizeof(buf)), addrs[_i].out);
}
END_TEST

/* RFC 5952 text forms, written out. */
static const struct {
	const char *hex; /* 16 octets */
	const char *out;
} v6texts[] = {
	{ "20010db8000000000000000000000001", "2001:db8::1" }, /* §4.2.1 */
	{ "20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1" },
	{ "20010db8000000000001000000000001",
	    "2001:db8::1:0:0:1" }, /* §4.2.3 */
	{ "20010db8000000010000000000000001", "2001:db8:0:1::1" },
	{ "20010db8aaaabbbbccccddddeeeeffff",
	    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff" }, /* §4.3 */
	{ "00000000000000000000000000000000", "::" },
	{ "00000000000000000000000000000001", "::1" },
	{ "fe800000000000000000000000000000", "fe80::" },
	{ "00000000000000000000ffffc0000201", "::ffff:192.0.2.1" }, /* §5 */
	{ "000000000000000000000000c0000201", "::192.0.2.1" },
	{ "00000000000000000001ffffc0000201", "::1:ffff:c000:201" },
	{ "000100000000000000000000c0000201", "1::c000:201" },
	{ "00000000000000000000ffff00000000", "::ffff:0.0.0.0" },
	{ "00010000000100000001000000010000", "1:0:1:0:1:0:1:0" },
	{ "0a0b00c00d000000000000000000000e", "a0b:c0:d00::e" },
};

START_TEST(test_v6_text)
{
	uint8_t a[16];
	char buf[ADDR_STRLEN];

	ck_assert_uint_eq(testutil_unhex(v6texts[_i].hex, a, sizeof(a)), 16);
	ck_assert_str_eq(
	    addr_fmt(AFI_IPV6, a, buf, sizeof(buf)), v6texts[_i].out);
}
END_TEST

/*
 * addr_fmt() writes what inet_ntop(3) writes (bgpdump's output is
 * compared line by line): every pattern of zero groups, with group values
 * of one to four digits, IPv4-mapped and -compatible tails, and random
 * IPv4 addresses.
 */
START_TEST(test_ntop_equal)
{
	static const unsigned vals[] = { 0x1, 0xab, 0xf00, 0xffff, 0x10 };
	char got[ADDR_STRLEN], want[ADDR_STRLEN];
	uint8_t a[16];
	unsigned mask, v, i, seed = 1;

	for (mask = 0; mask < 256; mask++) {
		for (v = 0; v < 5; v++) {
			for (i = 0; i < 8; i++) {
				unsigned w =
				    (mask & (1u << i)) ? vals[(v + i) % 5] : 0;

				if (v == 4 && i == 5 && (mask & 0x20))
					w = 0xffff;
				a[2 * i] = (uint8_t)(w >> 8);
				a[2 * i + 1] = (uint8_t)w;
			}
			ck_assert_ptr_nonnull(
			    inet_ntop(AF_INET6, a, want, sizeof(want)));
			ck_assert_str_eq(
			    addr_fmt(AFI_IPV6, a, got, sizeof(got)), want);
		}
	}
	for (i = 0; i < 100000; i++) {
		seed = seed * 1103515245u + 12345u;
		memcpy(a, &seed, 4);
		ck_assert_ptr_nonnull(
		    inet_ntop(AF_INET, a, want, sizeof(want)));
		ck_assert_str_eq(addr_fmt(AFI_IPV4, a, got, sizeof(got)), want);
	}
}
END_TEST

/* Too small a buffer gets "?" (or nothing at all), never a cut address. */
START_TEST(test_fmt_small)
{
	uint8_t a[16] = { 192, 0, 2, 1 };
	struct prefix p;
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(addr_fmt(AFI_IPV4, a, buf, 12), "192.0.2.1");
	ck_assert_str_eq(addr_fmt(AFI_IPV4, a, buf, 9), "?");
	ck_assert_str_eq(addr_fmt(AFI_IPV4, a, buf, 10), "192.0.2.1");
	ck_assert_str_eq(addr_fmt(99, a, buf, sizeof(buf)), "?");
	ck_assert_int_eq(prefix_parse("192.0.2.0/24", &p), 0);
	ck_assert_str_eq(prefix_fmt(&p, buf, 12), "?");
	ck_assert_str_eq(prefix_fmt(&p, buf, 13), "192.0.2.0/24");
}
END_TEST

/* prefix_mask clears exactly the bits beyond the length. */
START_TEST(test_mask)
{
	struct prefix p;
	unsigned len = (unsigned)_i, bit;

	memset(&p, 0, sizeof(p));
	p.afi = AFI_IPV6;
	p.len = (uint8_t)len;
	memset(p.addr, 0xff, sizeof(p.addr));
	prefix_mask(&p);
	for (bit = 0; bit < 128; bit++)
		ck_assert_uint_eq(
		    (p.addr[bit / 8] >> (7 - bit % 8)) & 1, bit < len);
}
END_TEST

static Suite *
prefix_suite(void)
{
	Suite *s = suite_create("prefix");
	TCase *tc = tcase_create("core");
	int nwire = (int)(sizeof(wire) / sizeof(wire[0]));

	tcase_add_loop_test(tc, test_decode, 0, nwire);
	tcase_add_loop_test(tc, test_decode_truncated, 0, nwire);
	tcase_add_loop_test(tc, test_decode_parse_agree, 0, nwire);
	tcase_add_loop_test(
	    tc, test_parse_fmt, 0, (int)(sizeof(texts) / sizeof(texts[0])));
	tcase_add_loop_test(
	    tc, test_v6_text, 0, (int)(sizeof(v6texts) / sizeof(v6texts[0])));
	tcase_add_test(tc, test_ntop_equal);
	tcase_add_test(tc, test_fmt_small);
	tcase_add_loop_test(
	    tc, test_cmp, 0, (int)(sizeof(cmps) / sizeof(cmps[0])));
	tcase_add_loop_test(tc, test_contains, 0,
	    (int)(sizeof(contains) / sizeof(contains[0])));
	tcase_add_loop_test(
	    tc, test_addr, 0, (int)(sizeof(addrs) / sizeof(addrs[0])));
	tcase_add_loop_test(tc, test_mask, 0, 129);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(prefix_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
