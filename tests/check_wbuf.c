/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/wbuf.c: the sticky error, fixed buffers that overflow,
 * the growth limit of heap buffers, reserve/set_u16, printf and decimals.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbuf.h"

enum step_op {
	S_END,
	S_U8,
	S_U16,
	S_U32,
	S_BYTES, /* n octets 0xb0, 0xb1, ... */
	S_RESERVE, /* n zero octets; must return offset v */
	S_SET16, /* v at offset n */
	S_STR, /* wbuf_printf("%s", s) */
	S_RESET,
};

struct step {
	enum step_op op;
	uint32_t v;
	size_t n;
	const char *s;
};

/*
 * A script of writes into a fixed buffer of cap octets (dyn false) or a
 * heap buffer limited to cap octets (dyn true), and what must come out.
 */
static const struct {
	const char *name;
	bool dyn;
	size_t cap;
	struct step steps[6];
	const char *hex; /* the contents afterwards */
	bool err;
} scripts[] = {
	{ "fixed: all integer widths", false, 8,
	    { { S_U8, 1, 0, NULL }, { S_U16, 0x0203, 0, NULL },
	        { S_U32, 0x04050607, 0, NULL } },
	    "01020304050607", false },
	{ "fixed: exactly full", false, 4, { { S_U32, 0xdeadbeef, 0, NULL } },
	    "deadbeef", false },
	{ "fixed: one octet too many", false, 4,
	    { { S_U32, 0x01020304, 0, NULL }, { S_U8, 5, 0, NULL } },
	    "01020304", true },
	{ "fixed: u16 does not half-fit", false, 3,
	    { { S_U16, 0x0102, 0, NULL }, { S_U16, 0x0304, 0, NULL } }, "0102",
	    true },
	{ "fixed: u32 does not partly fit", false, 5,
	    { { S_U16, 0xaaaa, 0, NULL }, { S_U32, 0x01020304, 0, NULL } },
	    "aaaa", true },
	{ "fixed: bytes do not partly fit", false, 4,
	    { { S_U8, 0x11, 0, NULL }, { S_BYTES, 0, 4, NULL } }, "11", true },
	{ "sticky: later writes that would fit are dropped", false, 8,
	    { { S_U32, 1, 0, NULL }, { S_BYTES, 0, 8, NULL },
	        { S_U8, 9, 0, NULL }, { S_STR, 0, 0, "x" } },
	    "00000001", true },
	{ "reset clears the error", false, 2,
	    { { S_U32, 1, 0, NULL }, { S_RESET, 0, 0, NULL },
	        { S_U16, 0x0102, 0, NULL } },
	    "0102", false },
	{ "dyn: within the limit", true, 3,
	    { { S_U16, 0x0102, 0, NULL }, { S_U8, 3, 0, NULL } }, "010203",
	    false },
	{ "dyn: past the limit", true, 3,
	    { { S_U16, 0x0102, 0, NULL }, { S_U16, 0x0304, 0, NULL },
	        { S_U8, 5, 0, NULL } },
	    "0102", true },
	{ "reserve then set_u16", false, 8,
	    { { S_U8, 0x41, 0, NULL }, { S_RESERVE, 1, 2, NULL },
	        { S_U8, 0x78, 0, NULL }, { S_SET16, 0x0203, 1, NULL } },
	    "41020378", false },
	{ "set_u16 on the last two octets", true, 0,
	    { { S_U32, 0, 0, NULL }, { S_SET16, 0xbeef, 2, NULL } }, "0000beef",
	    false },
	{ "set_u16 half past the end", false, 8,
	    { { S_U8, 1, 0, NULL }, { S_SET16, 0x0203, 0, NULL } }, "01",
	    true },
	{ "set_u16 past the end", false, 8,
	    { { S_U16, 0x0102, 0, NULL }, { S_SET16, 0x0304, 5, NULL } },
	    "0102", true },
	{ "set_u16 at SIZE_MAX", false, 8,
	    { { S_U16, 0x0102, 0, NULL }, { S_SET16, 0x0304, SIZE_MAX, NULL } },
	    "0102", true },
	{ "reserve overflow", false, 3,
	    { { S_U8, 7, 0, NULL }, { S_RESERVE, 0, 3, NULL } }, "07", true },
	{ "printf", false, 16,
	    { { S_STR, 0, 0, "ab" }, { S_STR, 0, 0, "" },
	        { S_STR, 0, 0, "cd" } },
	    "61626364", false },
	{ "printf exactly fills a fixed buffer", false, 5,
	    { { S_STR, 0, 0, "hello" } }, "68656c6c6f", false },
	{ "printf exactly reaches the growth limit", true, 5,
	    { { S_U8, 0x21, 0, NULL }, { S_STR, 0, 0, "four" } }, "21666f7572",
	    false },
	{ "printf overflow writes nothing", false, 4,
	    { { S_U8, 0x21, 0, NULL }, { S_STR, 0, 0, "four" } }, "21", true },
	{ "empty writes on a full buffer", false, 1,
	    { { S_U8, 0x21, 0, NULL }, { S_STR, 0, 0, "" },
	        { S_BYTES, 0, 0, NULL }, { S_RESERVE, 1, 0, NULL } },
	    "21", false },
};

static void
hex_of(const struct wbuf *w, char *out, size_t size)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < wbuf_len(w) && 2 * i + 2 < size; i++)
		snprintf(out + 2 * i, 3, "%02x", wbuf_data(w)[i]);
}

static void
run_step(struct wbuf *w, const struct step *st)
{
	uint8_t b[16];
	size_t i, off;

	switch (st->op) {
	case S_END:
		break;
	case S_U8:
		wbuf_put_u8(w, (uint8_t)st->v);
		break;
	case S_U16:
		wbuf_put_u16(w, (uint16_t)st->v);
		break;
	case S_U32:
		wbuf_put_u32(w, st->v);
		break;
	case S_BYTES:
		for (i = 0; i < sizeof(b); i++)
			b[i] = (uint8_t)(0xb0 + i);
		wbuf_put_bytes(w, b, st->n);
		break;
	case S_RESERVE:
		off = wbuf_reserve(w, st->n);
		if (!wbuf_error(w))
			ck_assert_uint_eq(off, st->v);
		else
			ck_assert_uint_eq(off, 0);
		break;
	case S_SET16:
		wbuf_set_u16(w, st->n, (uint16_t)st->v);
		break;
	case S_STR:
		wbuf_printf(w, "%s", st->s);
		break;
	case S_RESET:
		wbuf_reset(w);
		break;
	}
}

START_TEST(test_scripts)
{
	uint8_t storage[64];
	struct wbuf w;
	char hex[160];
	size_t k;

	memset(storage, 0xee, sizeof(storage));
	if (scripts[_i].dyn)
		wbuf_init_dyn(&w, scripts[_i].cap);
	else
		wbuf_init_fixed(&w, storage, scripts[_i].cap);
	for (k = 0; k < 6 && scripts[_i].steps[k].op != S_END; k++)
		run_step(&w, &scripts[_i].steps[k]);
	hex_of(&w, hex, sizeof(hex));
	ck_assert_msg(strcmp(hex, scripts[_i].hex) == 0, "%s: got %s",
	    scripts[_i].name, hex);
	ck_assert_msg(wbuf_error(&w) == scripts[_i].err, "%s: error %d",
	    scripts[_i].name, wbuf_error(&w));
	/* A fixed buffer never writes past its capacity. */
	if (!scripts[_i].dyn)
		ck_assert_uint_eq(storage[scripts[_i].cap], 0xee);
	wbuf_free(&w);
}
END_TEST

/* Formatting with arguments; the length never counts the NUL. */
START_TEST(test_printf_formats)
{
	struct wbuf w;

	wbuf_init_dyn(&w, 0);
	wbuf_printf(&w, "%u:%s:%04x:%c", 65000u, "as", 0xbeefu, 'z');
	ck_assert_uint_eq(wbuf_len(&w), strlen("65000:as:beef:z"));
	ck_assert_mem_eq(wbuf_data(&w), "65000:as:beef:z", wbuf_len(&w));
	wbuf_printf(&w, "%d", -7);
	ck_assert_uint_eq(wbuf_len(&w), strlen("65000:as:beef:z-7"));
	ck_assert_mem_eq(wbuf_data(&w), "65000:as:beef:z-7", wbuf_len(&w));
	ck_assert(!wbuf_error(&w));
	wbuf_free(&w);
}
END_TEST

/* A long printf into a growing buffer. */
START_TEST(test_printf_long)
{
	struct wbuf w;
	char *s = malloc(10001);
	size_t i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 10000; i++)
		s[i] = (char)('a' + i % 26);
	s[10000] = '\0';
	wbuf_init_dyn(&w, 0);
	wbuf_put_u8(&w, '<');
	wbuf_printf(&w, "%s>", s);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), 10002);
	ck_assert_mem_eq(wbuf_data(&w) + 1, s, 10000);
	ck_assert_uint_eq(wbuf_data(&w)[10001], '>');
	wbuf_free(&w);
	free(s);
}
END_TEST

/* Unlimited growth keeps every octet, in order. */
START_TEST(test_dyn_growth)
{
	struct wbuf w;
	size_t i;

	wbuf_init_dyn(&w, 0);
	for (i = 0; i < 100000; i++)
		wbuf_put_u8(&w, (uint8_t)(i * 7));
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), 100000);
	for (i = 0; i < 100000; i++)
		ck_assert_uint_eq(wbuf_data(&w)[i], (uint8_t)(i * 7));
	wbuf_free(&w);
	ck_assert_ptr_null(wbuf_data(&w));
	ck_assert_uint_eq(wbuf_len(&w), 0);
}
END_TEST

/* Limits that are and are not powers of two: exactly max octets fit. */
static const size_t limits[] = { 1, 255, 256, 257, 1000, 4096, 65535 };

START_TEST(test_dyn_limit)
{
	size_t max = limits[_i], i;
	struct wbuf w;

	wbuf_init_dyn(&w, max);
	for (i = 0; i < max; i++)
		wbuf_put_u8(&w, (uint8_t)i);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), max);
	ck_assert_uint_le(w.cap, max);
	wbuf_put_u8(&w, 0);
	ck_assert(wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), max);
	for (i = 0; i < max; i++)
		ck_assert_uint_eq(wbuf_data(&w)[i], (uint8_t)i);
	/* After a reset the storage is reused up to the same limit. */
	wbuf_reset(&w);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), 0);
	wbuf_put_bytes(&w, wbuf_data(&w), 0);
	ck_assert(!wbuf_error(&w));
	wbuf_free(&w);
}
END_TEST

/* Lengths near SIZE_MAX fail cleanly instead of wrapping. */
START_TEST(test_huge_lengths)
{
	struct wbuf w;
	uint8_t b = 1;
	/* volatile: gcc warns about an inlined memcpy of SIZE_MAX octets. */
	volatile size_t huge = SIZE_MAX;

	wbuf_init_dyn(&w, 0);
	wbuf_put_u8(&w, b);
	wbuf_put_bytes(&w, &b, huge);
	ck_assert(wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), 1);
	wbuf_reset(&w);
	ck_assert_uint_eq(wbuf_reserve(&w, SIZE_MAX - 1), 0);
	ck_assert(wbuf_error(&w));
	wbuf_free(&w);
}
END_TEST

/* A fixed buffer without storage takes nothing. */
START_TEST(test_fixed_empty)
{
	struct wbuf w;

	wbuf_init_fixed(&w, NULL, 0);
	wbuf_put_bytes(&w, "", 0);
	ck_assert(!wbuf_error(&w));
	wbuf_put_u8(&w, 1);
	ck_assert(wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), 0);
	wbuf_free(&w);
}
END_TEST

/* Decimals: digit-count boundaries, each against printf's "%ju". */
static const uint64_t decs[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000,
	65535, 65536, 4294967295u, 4294967296u, 9999999999999999999u,
	10000000000000000000u, UINT64_MAX };

START_TEST(test_dec)
{
	char want[32], got[WBUF_DEC_MAX];
	uint8_t fixed[WBUF_DEC_MAX], big[WBUF_DEC_MAX + 1];
	struct wbuf w;
	size_t n;

	snprintf(want, sizeof(want), "%ju", (uintmax_t)decs[_i]);
	n = wbuf_dec(got, decs[_i]);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(got, want, n);
	wbuf_init_dyn(&w, 0);
	wbuf_put_u8(&w, '<');
	wbuf_put_dec(&w, decs[_i]);
	ck_assert_uint_eq(wbuf_len(&w), n + 1);
	ck_assert_mem_eq(wbuf_data(&w) + 1, want, n);
	wbuf_free(&w);
	/* Room for any number: written in place. */
	wbuf_init_fixed(&w, big, sizeof(big));
	wbuf_put_u8(&w, '<');
	wbuf_put_dec(&w, decs[_i]);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), n + 1);
	ck_assert_mem_eq(big + 1, want, n);
	/* One octet short of room: the sticky error, nothing written. */
	wbuf_init_fixed(&w, fixed, n - 1);
	wbuf_put_dec(&w, decs[_i]);
	ck_assert(wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), 0);
}
END_TEST

/* Every power of ten, one below and one above: the digit count. */
START_TEST(test_dec_pow10)
{
	char want[32], got[WBUF_DEC_MAX];
	uint64_t p = 1, v;
	int k, d;

	for (k = 0; k < _i; k++)
		p *= 10;
	for (d = -1; d <= 1; d++) {
		v = p + (uint64_t)(int64_t)d;
		snprintf(want, sizeof(want), "%ju", (uintmax_t)v);
		ck_assert_uint_eq(wbuf_dec(got, v), strlen(want));
		ck_assert_mem_eq(got, want, strlen(want));
	}
}
END_TEST

static Suite *
wbuf_suite(void)
{
	Suite *s = suite_create("wbuf");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
	    tc, test_scripts, 0, (int)(sizeof(scripts) / sizeof(scripts[0])));
	tcase_add_test(tc, test_printf_formats);
	tcase_add_test(tc, test_printf_long);
	tcase_add_test(tc, test_dyn_growth);
	tcase_add_loop_test(
	    tc, test_dyn_limit, 0, (int)(sizeof(limits) / sizeof(limits[0])));
	tcase_add_test(tc, test_huge_lengths);
	tcase_add_test(tc, test_fixed_empty);
	tcase_add_loop_test(
	    tc, test_dec, 0, (int)(sizeof(decs) / sizeof(decs[0])));
	tcase_add_loop_test(tc, test_dec_pow10, 0, 20);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(wbuf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
