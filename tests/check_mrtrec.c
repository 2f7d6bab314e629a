/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/mrtrec.c: rotation periods and their boundaries, the
 * file names of a period (strftime in UTC, temporary and alternative
 * names), and the family of an UPDATE that picks the RFC 8050 subtype,
 * with a truncation test; where a torn write is cut back to whole records.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp.h"
#include "mrtrec.h"
#include "testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* 2023-11-14 22:15:00 UTC, a multiple of 300 and of 900. */
#define T0 1700000100

static const struct {
	int64_t now;
	uint32_t interval;
	int64_t start;
} periods[] = {
	{ T0, 300, T0 }, /* on the boundary: a new period */
	{ T0 + 23, 300, T0 },
	{ T0 + 299, 300, T0 },
	{ T0 + 300, 300, T0 + 300 },
	{ T0 - 1, 300, T0 - 300 },
	{ T0 + 899, 900, T0 }, /* 22:15 to 22:30 */
	{ T0 - 1, 900, T0 - 900 },
	{ T0 + 23, 3600, T0 - 900 }, /* 22:00 */
	{ T0 + 23, 86400, 1699920000 }, /* midnight */
	{ T0 + 23, 60, T0 },
	{ T0 + 23, 7, T0 + 23 - (T0 + 23) % 7 }, /* not dividing a day */
	{ 0, 300, 0 },
	{ 1, 300, 0 },
	{ -1, 300, -300 }, /* before the epoch: rounded down */
	{ -300, 300, -300 },
	{ 4102444799, 604800, 4102444799 - 4102444799 % 604800 },
};

START_TEST(test_period)
{
	int64_t s, e;

	s = mrtrec_period(periods[_i].now, periods[_i].interval);
	e = s + periods[_i].interval;
	ck_assert_int_eq(s, periods[_i].start);
	ck_assert_int_eq(s % periods[_i].interval, 0);
	ck_assert(s <= periods[_i].now && periods[_i].now < e);
	/* The boundaries: the last second is in, the next one starts anew. */
	ck_assert_int_eq(mrtrec_period(e - 1, periods[_i].interval), s);
	ck_assert_int_eq(mrtrec_period(e, periods[_i].interval), e);
	ck_assert_int_eq(mrtrec_period(s - 1, periods[_i].interval),
	    s - periods[_i].interval);
}
END_TEST

static const struct {
	const char *pattern;
	int64_t start;
	size_t len;
	int rv;
	const char *name;
} names[] = {
	{ "/var/db/upd-%Y%m%d-%H%M.mrt", T0, 64, 0,
	    "/var/db/upd-20231114-2215.mrt" },
	{ "/var/db/upd-%Y%m%d-%H%M.mrt", T0 + 300, 64, 0,
	    "/var/db/upd-20231114-2220.mrt" },
	{ "/var/db/upd-%Y%m%d-%H%M.mrt", T0 - 300, 64, 0,
	    "/var/db/upd-20231114-2210.mrt" },
	{ "/d/%Y/%m/updates.%Y%m%d.%H%M", 1709251200, 64, 0,
	    "/d/2024/03/updates.20240301.0000" }, /* a leap year's March */
	{ "/d/u-%s", T0, 64, 0, "/d/u-1700000100" },
	{ "/d/u-%F-%T", 0, 64, 0, "/d/u-1970-01-01-00:00:00" },
	{ "/d/u-%H%M", -300, 64, 0, "/d/u-2355" },
	{ "/d/fixed.mrt", T0, 64, 0, "/d/fixed.mrt" },
	{ "/d/100%%.mrt", T0, 64, 0, "/d/100%.mrt" },
	{ "/d/u-%H%M", T0, 10, 0, "/d/u-2215" }, /* just fits */
	{ "/d/u-%H%M", T0, 9, -1, "" }, /* one short */
	{ "", T0, 64, -1, "" }, /* expands to nothing */
	{ "/d/u", T0, 0, -1, NULL }, /* no room at all */
};

START_TEST(test_name)
{
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(
	    mrtrec_name(names[_i].pattern, names[_i].start, buf, names[_i].len),
	    names[_i].rv);
	if (names[_i].name != NULL)
		ck_assert_str_eq(buf, names[_i].name);
	else
		ck_assert_int_eq(buf[0], 'x'); /* nothing written */
}
END_TEST

/*
 * A day of records every 37 seconds through 300-second periods: the
 * name changes exactly when the period does, and exactly 288 times.
 */
START_TEST(test_rotation_day)
{
	char cur[64], name[64];
	int64_t t, s, last = -1;
	unsigned int files = 0;

	cur[0] = '\0';
	for (t = 1699920000; t < 1699920000 + 86400; t += 37) {
		s = mrtrec_period(t, 300);
		ck_assert_int_eq(
		    mrtrec_name("/d/upd-%H%M.mrt", s, name, sizeof(name)), 0);
		if (strcmp(name, cur) != 0) {
			ck_assert(s != last);
			ck_assert_int_eq(s % 300, 0);
			snprintf(cur, sizeof(cur), "%s", name);
			files++;
		} else
			ck_assert(s == last);
		last = s;
	}
	ck_assert_uint_eq(files, 288);
	ck_assert_str_eq(cur, "/d/upd-2355.mrt");
}
END_TEST

static const struct {
	const char *name;
	unsigned int n;
	size_t len;
	int rv_alt;
	const char *alt;
	int rv_tmp;
	const char *tmp;
} alts[] = {
	{ "/d/u.mrt", 0, 64, 0, "/d/u.mrt", 0, "/d/u.mrt.XXXXXX.tmp" },
	{ "/d/u.mrt", 1, 64, 0, "/d/u.mrt.1", 0, "/d/u.mrt.XXXXXX.tmp" },
	{ "/d/u.mrt", 99, 64, 0, "/d/u.mrt.99", 0, "/d/u.mrt.XXXXXX.tmp" },
	{ "/d/u.mrt", 12, 12, 0, "/d/u.mrt.12", -1, NULL },
	{ "/d/u.mrt", 12, 11, -1, NULL, -1, NULL },
	{ "/d/u", 0, 16, 0, "/d/u", 0, "/d/u.XXXXXX.tmp" },
	{ "/d/u", 0, 15, 0, "/d/u", -1, NULL },
};

START_TEST(test_alt_tmp)
{
	char buf[64];

	ck_assert_int_eq(
	    mrtrec_alt(alts[_i].name, alts[_i].n, buf, alts[_i].len),
	    alts[_i].rv_alt);
	if (alts[_i].alt != NULL)
		ck_assert_str_eq(buf, alts[_i].alt);
	ck_assert_int_eq(
	    mrtrec_tmp(alts[_i].name, buf, alts[_i].len), alts[_i].rv_tmp);
	if (alts[_i].tmp != NULL) {
		ck_assert_str_eq(buf, alts[_i].tmp);
		/* mkstemps(3): six X right before the suffix. */
		ck_assert(strlen(buf) >= 6 + strlen(MRTREC_TMP_SUFFIX));
		ck_assert(
		    strncmp(buf + strlen(buf) - 6 - strlen(MRTREC_TMP_SUFFIX),
		        "XXXXXX", 6) == 0);
	}
}
END_TEST

#define ORIGIN "40010100"
#define ASPATH "40020a 0202 0000fde8 0000fde9"
#define NH4 "400304c0000201"
#define NH6 "20010db8000000000000000000000001"

/*
 * UPDATE bodies (after the header). whole: the body ends with the Path
 * Attributes field, so every proper prefix must fail.
 */
static const struct {
	const char *name;
	const char *body;
	int rv;
	uint16_t afi;
	uint8_t safi;
	bool whole;
} families[] = {
	{ "ipv4 End-of-RIB", "0000 0000", 0, AFI_IPV4, SAFI_UNICAST, true },
	{ "ipv4 announce", "0000 0018" ORIGIN ASPATH NH4 "18c00002", 0,
	    AFI_IPV4, SAFI_UNICAST, false },
	{ "ipv4 withdraw", "0004 18c00002 0000", 0, AFI_IPV4, SAFI_UNICAST,
	    true },
	{ "ipv6 announce",
	    "0000 002e" ORIGIN ASPATH "800e1a 0002 01 10" NH6 "00 20 20010db8",
	    0, AFI_IPV6, SAFI_UNICAST, true },
	{ "ipv6 End-of-RIB", "0000 0006 800f03 0002 01", 0, AFI_IPV6,
	    SAFI_UNICAST, true },
	{ "ipv6 withdraw, extended length",
	    "0000 000c 900f0008 000201 20"
	    "20010db8",
	    0, AFI_IPV6, SAFI_UNICAST, true },
	{ "ipv4 multicast", "0000 0006 800f03 0001 02", 0, AFI_IPV4,
	    SAFI_MULTICAST, true },
	{ "first MP attribute wins",
	    "0000 0012 800f03 0002 01 800e09 0001 02"
	    "04c0000201 00",
	    0, AFI_IPV6, SAFI_UNICAST, true },
	{ "MP_UNREACH too short for SAFI", "0000 0005 800f02 0002", 0, AFI_IPV4,
	    SAFI_UNICAST, true },
	{ "attributes field overruns", "0000 0010" ORIGIN, -1, AFI_IPV4,
	    SAFI_UNICAST, false },
	{ "attribute overruns its field", "0000 0006 800f04 0002 01", -1,
	    AFI_IPV4, SAFI_UNICAST, false },
	{ "withdrawn field overruns", "0009 18c00002 0000", -1, AFI_IPV4,
	    SAFI_UNICAST, false },
	{ "empty", "", -1, AFI_IPV4, SAFI_UNICAST, false },
};

START_TEST(test_family)
{
	uint8_t body[512];
	size_t len;
	uint16_t afi = 0;
	uint8_t safi = 0;

	len = testutil_unhex(families[_i].body, body, sizeof(body));
	ck_assert_int_eq(
	    mrtrec_update_family(body, len, &afi, &safi), families[_i].rv);
	ck_assert_uint_eq(afi, families[_i].afi);
	ck_assert_uint_eq(safi, families[_i].safi);
}
END_TEST

/* Every proper prefix of a whole body fails, as IPv4 unicast. */
START_TEST(test_family_truncated)
{
	uint8_t body[512], *cut;
	size_t len, n;
	uint16_t afi;
	uint8_t safi;

	if (!families[_i].whole)
		return;
	len = testutil_unhex(families[_i].body, body, sizeof(body));
	for (n = 0; n < len; n++) {
		/* An exact-size copy, so that ASan sees any over-read. */
		if ((cut = malloc(n > 0 ? n : 1)) == NULL)
			ck_abort_msg("out of memory");
		memcpy(cut, body, n);
		afi = 0;
		safi = 0;
		ck_assert_int_eq(mrtrec_update_family(cut, n, &afi, &safi), -1);
		ck_assert_uint_eq(afi, AFI_IPV4);
		ck_assert_uint_eq(safi, SAFI_UNICAST);
		free(cut);
	}
}
END_TEST

/*
 * Three records back to back: lengths 0, 5 and 300, at offsets 0, 12
 * and 29; 341 octets in all. The cut for a write that stopped at
 * written octets is the end of the last record it covered.
 */
static const struct {
	size_t len; /* of the buffer the walk is given */
	size_t written;
	size_t whole;
} wholes[] = {
	{ 341, 341, 341 }, /* all written */
	{ 341, 100000, 341 }, /* more than there is */
	{ 341, 0, 0 },
	{ 341, 11, 0 }, /* inside the first header */
	{ 341, 12, 12 }, /* the empty record */
	{ 341, 28, 12 }, /* one short of the second */
	{ 341, 29, 29 },
	{ 341, 40, 29 }, /* inside the third header */
	{ 341, 340, 29 }, /* one short of the end */
	{ 200, 341, 29 }, /* a buffer cut inside the third record */
	{ 20, 341, 12 },
};

START_TEST(test_whole)
{
	uint8_t buf[341];

	memset(buf, 0xee, sizeof(buf));
	/* Timestamp, type 16 (BGP4MP), subtype 4, then Length. */
	memcpy(buf, "\x5f\x00\x00\x00\x00\x10\x00\x04\x00\x00\x00\x00", 12);
	memcpy(
	    buf + 12, "\x5f\x00\x00\x00\x00\x10\x00\x04\x00\x00\x00\x05", 12);
	memcpy(
	    buf + 29, "\x5f\x00\x00\x00\x00\x11\x00\x04\x00\x00\x01\x2c", 12);
	ck_assert_uint_eq(mrtrec_whole(buf, wholes[_i].len, wholes[_i].written),
	    wholes[_i].whole);
}
END_TEST

static Suite *
mrtrec_suite(void)
{
	Suite *s = suite_create("mrtrec");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_period, 0, N(periods));
	tcase_add_loop_test(tc, test_name, 0, N(names));
	tcase_add_test(tc, test_rotation_day);
	tcase_add_loop_test(tc, test_alt_tmp, 0, N(alts));
	tcase_add_loop_test(tc, test_family, 0, N(families));
	tcase_add_loop_test(tc, test_family_truncated, 0, N(families));
	tcase_add_loop_test(tc, test_whole, 0, N(wholes));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mrtrec_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
