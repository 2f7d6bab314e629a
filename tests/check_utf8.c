/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/utf8.c (RFC 3629): boundary code points, overlong
 * forms, surrogates, values past U+10FFFF, bad and missing continuation
 * octets, every truncation of every valid sequence, prefixes that never
 * split a character, and every Unicode scalar value against an encoder.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "utf8.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Octets in; the length of the first sequence (0: invalid), whole valid. */
static const struct {
	const char *name;
	const char *hex;
	size_t seq;
	bool valid;
} vecs[] = {
	{ "ASCII", "41", 1, true },
	{ "U+0000", "00", 1, true },
	{ "U+007F", "7f", 1, true },
	{ "U+0080, smallest 2-octet", "c280", 2, true },
	{ "U+00E9", "c3a9", 2, true },
	{ "U+07FF, largest 2-octet", "dfbf", 2, true },
	{ "U+0800, smallest 3-octet", "e0a080", 3, true },
	{ "U+D7FF, below the surrogates", "ed9fbf", 3, true },
	{ "U+E000, above the surrogates", "ee8080", 3, true },
	{ "U+FFFF, largest 3-octet", "efbfbf", 3, true },
	{ "U+10000, smallest 4-octet", "f0908080", 4, true },
	{ "U+10FFFF, largest scalar", "f48fbfbf", 4, true },
	{ "mixed widths", "61c3a9e282acf09f9880", 1, true },
	{ "empty", "", 0, true },
	{ "overlong '/' (c0 af)", "c0af", 0, false },
	{ "overlong U+0000 (c0 80)", "c080", 0, false },
	{ "overlong U+007F (c1 bf)", "c1bf", 0, false },
	{ "overlong U+0000 in 3", "e08080", 0, false },
	{ "overlong U+07FF in 3", "e09fbf", 0, false },
	{ "overlong U+0000 in 4", "f0808080", 0, false },
	{ "overlong U+FFFF in 4", "f08fbfbf", 0, false },
	{ "surrogate U+D800", "eda080", 0, false },
	{ "surrogate U+DBFF", "edafbf", 0, false },
	{ "surrogate U+DC00", "edb080", 0, false },
	{ "surrogate U+DFFF", "edbfbf", 0, false },
	{ "U+110000", "f4908080", 0, false },
	{ "U+13FFFF (f4 bf)", "f4bfbfbf", 0, false },
	{ "lead f5", "f5808080", 0, false },
	{ "lead f8, 5-octet form", "f888808080", 0, false },
	{ "lead fe", "fe", 0, false },
	{ "lead ff", "ff", 0, false },
	{ "lone continuation", "80", 0, false },
	{ "continuation 0xbf alone", "bf", 0, false },
	{ "ASCII instead of continuation", "c341", 0, false },
	{ "lead instead of continuation", "c3c3a9", 0, false },
	{ "bad third octet", "e282 41", 0, false },
	{ "bad fourth octet", "f09f98 41", 0, false },
	{ "truncated 2-octet", "c3", 0, false },
	{ "truncated 3-octet", "e282", 0, false },
	{ "truncated 4-octet", "f09f98", 0, false },
	{ "valid then overlong", "61 c0af", 1, false },
	{ "valid then surrogate", "c3a9 eda080", 2, false },
	{ "valid then truncated", "e282ac f09f98", 3, false },
};

START_TEST(test_seq)
{
	uint8_t buf[16];
	size_t n = testutil_unhex(vecs[_i].hex, buf, sizeof(buf));

	ck_assert_msg(utf8_seq_len(buf, n) == vecs[_i].seq, "%s: got %zu",
	    vecs[_i].name, utf8_seq_len(buf, n));
	ck_assert_msg(
	    utf8_valid(buf, n) == vecs[_i].valid, "%s", vecs[_i].name);
	ck_assert_uint_eq(utf8_prefix(buf, n, n) == n, vecs[_i].valid);
	if (vecs[_i].seq > 0)
		ck_assert_uint_eq(utf8_lead_len(buf[0]), vecs[_i].seq);
}
END_TEST

/*
 * Every proper prefix of a valid first sequence is refused, read from an
 * exact-size heap copy so that ASan sees any read past it.
 */
START_TEST(test_truncation)
{
	uint8_t buf[16], *copy;
	size_t n = testutil_unhex(vecs[_i].hex, buf, sizeof(buf)), cut;

	for (cut = 0; cut < vecs[_i].seq; cut++) {
		copy = malloc(cut + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, cut);
		ck_assert_msg(utf8_seq_len(copy, cut) == 0, "%s cut at %zu",
		    vecs[_i].name, cut);
		ck_assert(cut == 0 || !utf8_valid(copy, cut));
		free(copy);
	}
	ck_assert(vecs[_i].seq == 0 || n >= vecs[_i].seq);
}
END_TEST

/* utf8_prefix(): the longest valid prefix, never splitting a character. */
static const struct {
	const char *hex;
	size_t max, want;
} prefixes[] = {
	{ "61c3a962", 4, 4 },
	{ "61c3a962", 3, 3 },
	{ "61c3a962", 2, 1 },
	{ "61c3a962", 1, 1 },
	{ "61c3a962", 0, 0 },
	{ "f09f9880f09f9880", 7, 4 },
	{ "f09f9880f09f9880", 100, 8 },
	{ "6162ff6364", 100, 2 },
	{ "61 eda080 62", 100, 1 },
	{ "c3a9 e282", 100, 2 },
	{ "", 10, 0 },
};

START_TEST(test_prefix)
{
	uint8_t buf[16];
	size_t n = testutil_unhex(prefixes[_i].hex, buf, sizeof(buf));

	ck_assert_uint_eq(
	    utf8_prefix(buf, n, prefixes[_i].max), prefixes[_i].want);
}
END_TEST

/* Encode cp in width octets (1-4), overlong if width is too large. */
static void
enc(uint32_t cp, size_t width, uint8_t *out)
{
	static const uint8_t lead[] = { 0, 0x00, 0xc0, 0xe0, 0xf0 };
	size_t i;

	for (i = width - 1; i > 0; i--, cp >>= 6)
		out[i] = 0x80 | (cp & 0x3f);
	out[0] = lead[width] | (uint8_t)cp;
}

/*
 * Every code point below 0x200000 in its shortest form is valid exactly
 * when it is a Unicode scalar value; in any longer form it is invalid.
 */
START_TEST(test_all_code_points)
{
	uint8_t b[4];
	uint32_t cp;
	size_t w, shortest;
	bool scalar;

	/* Plain tests, not ck_assert: each of those costs a pipe write. */
	for (cp = 0; cp < 0x200000; cp++) {
		shortest = cp < 0x80 ? 1
		    : cp < 0x800     ? 2
		    : cp < 0x10000   ? 3
		                     : 4;
		scalar = cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
		enc(cp, shortest, b);
		if (utf8_seq_len(b, shortest) != (scalar ? shortest : 0))
			ck_abort_msg("U+%04X: got %zu", (unsigned)cp,
			    utf8_seq_len(b, shortest));
		if (scalar && utf8_lead_len(b[0]) != shortest)
			ck_abort_msg("U+%04X: lead length", (unsigned)cp);
		for (w = shortest + 1; w <= 4 && cp < 0x10000; w++) {
			enc(cp, w, b);
			if (utf8_seq_len(b, w) != 0)
				ck_abort_msg("U+%04X overlong in %zu accepted",
				    (unsigned)cp, w);
		}
	}
}
END_TEST

/* Continuation octets never start a sequence. */
START_TEST(test_lead_continuation)
{
	unsigned b;

	for (b = 0x80; b <= 0xbf; b++)
		ck_assert_uint_eq(utf8_lead_len((uint8_t)b), 0);
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_seq, 0, NELEM(vecs));
	tcase_add_loop_test(tc, test_truncation, 0, NELEM(vecs));
	tcase_add_loop_test(tc, test_prefix, 0, NELEM(prefixes));
	tcase_add_test(tc, test_all_code_points);
	tcase_add_test(tc, test_lead_continuation);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(utf8_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
