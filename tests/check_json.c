/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/json.c: string escaping (RFC 8259 §7) and the
 * replacement of bytes that are not UTF-8 (RFC 3629), the sticky error on
 * misuse, nesting limits, numbers, hex and doubles.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define FFFD "\\ufffd"

/* Raw bytes in, the JSON string literal out. */
static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *out;
} strings[] = {
	{ "plain", "abc", 3, "\"abc\"" },
	{ "empty", "", 0, "\"\"" },
	{ "quote", "a\"b", 3, "\"a\\\"b\"" },
	{ "backslash", "a\\b", 3, "\"a\\\\b\"" },
	{ "slash is not escaped", "a/b", 3, "\"a/b\"" },
	{ "newline, return, tab", "\n\r\t", 3, "\"\\n\\r\\t\"" },
	{ "other C0 controls", "\x01\x08\x0c\x1f", 4,
	    "\"\\u0001\\u0008\\u000c\\u001f\"" },
	{ "NUL inside", "a\0b", 3, "\"a\\u0000b\"" },
	{ "DEL", "\x7f", 1, "\"\\u007f\"" },
	{ "space and tilde", " ~", 2, "\" ~\"" },
	{ "2-octet UTF-8", "\xc3\xa9", 2, "\"\xc3\xa9\"" },
	{ "smallest 2-octet", "\xc2\x80", 2, "\"\xc2\x80\"" },
	{ "3-octet UTF-8", "\xe2\x82\xac", 3, "\"\xe2\x82\xac\"" },
	{ "smallest 3-octet", "\xe0\xa0\x80", 3, "\"\xe0\xa0\x80\"" },
	{ "last before surrogates", "\xed\x9f\xbf", 3, "\"\xed\x9f\xbf\"" },
	{ "first after surrogates", "\xee\x80\x80", 3, "\"\xee\x80\x80\"" },
	{ "4-octet UTF-8", "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
	{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"" },
	{ "lone continuation", "a\x80z", 3, "\"a" FFFD "z\"" },
	{ "0xff", "\xff", 1, "\"" FFFD "\"" },
	{ "0xfe, 0xf8", "\xfe\xf8", 2, "\"" FFFD FFFD "\"" },
	{ "overlong 2-octet slash", "\xc0\xaf", 2, "\"" FFFD FFFD "\"" },
	{ "overlong 2-octet c1", "\xc1\xbf", 2, "\"" FFFD FFFD "\"" },
	{ "overlong 3-octet", "\xe0\x80\xaf", 3, "\"" FFFD FFFD FFFD "\"" },
	{ "overlong 3-octet max", "\xe0\x9f\xbf", 3, "\"" FFFD FFFD FFFD "\"" },
	{ "overlong 4-octet", "\xf0\x80\x80\xaf", 4,
	    "\"" FFFD FFFD FFFD FFFD "\"" },
	{ "high surrogate", "\xed\xa0\x80", 3, "\"" FFFD FFFD FFFD "\"" },
	{ "low surrogate", "\xed\xbf\xbf", 3, "\"" FFFD FFFD FFFD "\"" },
	{ "surrogate pair as CESU-8", "\xed\xa0\xbd\xed\xb8\x80", 6,
	    "\"" FFFD FFFD FFFD FFFD FFFD FFFD "\"" },
	{ "past U+10FFFF", "\xf4\x90\x80\x80", 4,
	    "\"" FFFD FFFD FFFD FFFD "\"" },
	{ "5-octet form", "\xf8\x88\x80\x80\x80", 5,
	    "\"" FFFD FFFD FFFD FFFD FFFD "\"" },
	{ "sequence cut by the end", "ok\xe2\x82", 4, "\"ok" FFFD FFFD "\"" },
	{ "sequence cut by ASCII", "\xe2\x82x", 3, "\"" FFFD FFFD "x\"" },
	{ "sequence cut by a quote", "\xc3\"", 2, "\"" FFFD "\\\"\"" },
	{ "valid after invalid", "\x80\xc3\xa9", 3, "\"" FFFD "\xc3\xa9\"" },
};

static void
doc_text(struct wbuf *w, char *out, size_t size)
{
	size_t n = wbuf_len(w) < size - 1 ? wbuf_len(w) : size - 1;

	if (n > 0)
		memcpy(out, wbuf_data(w), n);
	out[n] = '\0';
}

/* As an array element and as an object member (the key is escaped too). */
START_TEST(test_strings)
{
	struct wbuf w;
	struct json j;
	char got[512], want[512];

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	json_arr_open(&j, NULL);
	json_strn(&j, NULL, strings[_i].in, strings[_i].len);
	json_arr_close(&j);
	ck_assert_int_eq(json_finish(&j), 0);
	doc_text(&w, got, sizeof(got));
	snprintf(want, sizeof(want), "[%s]", strings[_i].out);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got %s want %s",
	    strings[_i].name, got, want);

	wbuf_reset(&w);
	if (memchr(strings[_i].in, '\0', strings[_i].len) == NULL) {
		json_init(&j, &w);
		json_obj_open(&j, NULL);
		json_str(&j, strings[_i].in, "v");
		json_obj_close(&j);
		ck_assert_int_eq(json_finish(&j), 0);
		doc_text(&w, got, sizeof(got));
		snprintf(want, sizeof(want), "{%s:\"v\"}", strings[_i].out);
		ck_assert_msg(strcmp(got, want) == 0, "%s key: got %s",
		    strings[_i].name, got);
	}
	wbuf_free(&w);
}
END_TEST

/*
 * Documents built by a script of calls: the exact text, or NULL when the
 * document must be reported bad by json_finish().
 */
typedef void (*doc_fn)(struct json *);

static void
doc_scalars(struct json *j)
{
	json_obj_open(j, NULL);
	json_str(j, "s", "x");
	json_uint(j, "u", 0);
	json_uint(j, "umax", UINT64_MAX);
	json_int(j, "i", -5);
	json_int(j, "imin", INT64_MIN);
	json_int(j, "imax", INT64_MAX);
	json_bool(j, "t", true);
	json_bool(j, "f", false);
	json_null(j, "n");
	json_str(j, "null_str", NULL);
	json_obj_close(j);
}

static void
doc_nested(struct json *j)
{
	json_obj_open(j, NULL);
	json_arr_open(j, "a");
	json_uint(j, NULL, 1);
	json_arr_open(j, NULL);
	json_arr_close(j);
	json_obj_open(j, NULL);
	json_obj_close(j);
	json_obj_open(j, NULL);
	json_uint(j, "k", 2);
	json_obj_close(j);
	json_arr_close(j);
	json_obj_open(j, "o");
	json_arr_open(j, "e");
	json_arr_close(j);
	json_obj_close(j);
	json_obj_close(j);
}

static void
doc_top_scalar(struct json *j)
{
	json_uint(j, NULL, 42);
}

static void
doc_hex(struct json *j)
{
	static const uint8_t b[] = { 0x00, 0x0f, 0xab, 0xff };

	json_arr_open(j, NULL);
	json_hex(j, NULL, b, sizeof(b));
	json_hex(j, NULL, b, 0);
	json_arr_close(j);
}

static void
doc_doubles(struct json *j)
{
	json_arr_open(j, NULL);
	json_double(j, NULL, 1.5, 2);
	json_double(j, NULL, -0.25, 3);
	json_double(j, NULL, 0.6, 1);
	json_double(j, NULL, 2.0 / 3.0, 4);
	json_double(j, NULL, 7, 0);
	json_double(j, NULL, NAN, 2);
	json_double(j, NULL, INFINITY, 2);
	json_double(j, NULL, -INFINITY, 2);
	json_arr_close(j);
}

static void
doc_double_nan_key(struct json *j)
{
	json_obj_open(j, NULL);
	json_double(j, "ratio", NAN, 3);
	json_obj_close(j);
}

static void
doc_raw(struct json *j)
{
	json_obj_open(j, NULL);
	json_raw(j, "r", "[1,2]", 5);
	json_obj_close(j);
}

static void
doc_key_in_array(struct json *j)
{
	json_arr_open(j, NULL);
	json_uint(j, "k", 1);
	json_arr_close(j);
}

static void
doc_no_key_in_object(struct json *j)
{
	json_obj_open(j, NULL);
	json_uint(j, NULL, 1);
	json_obj_close(j);
}

static void
doc_key_at_top(struct json *j)
{
	json_obj_open(j, "k");
	json_obj_close(j);
}

static void
doc_two_top_values(struct json *j)
{
	json_obj_open(j, NULL);
	json_obj_close(j);
	json_obj_open(j, NULL);
	json_obj_close(j);
}

static void
doc_close_unopened(struct json *j)
{
	json_obj_close(j);
}

static void
doc_close_wrong_kind(struct json *j)
{
	json_obj_open(j, NULL);
	json_arr_close(j);
}

static void
doc_close_wrong_kind2(struct json *j)
{
	json_arr_open(j, NULL);
	json_obj_close(j);
}

static void
doc_unbalanced(struct json *j)
{
	json_obj_open(j, NULL);
	json_arr_open(j, "a");
	json_arr_close(j);
}

static void
doc_too_many_closes(struct json *j)
{
	json_arr_open(j, NULL);
	json_arr_close(j);
	json_arr_close(j);
}

static void
doc_empty(struct json *j)
{
	(void)j;
}

/* JSON_MAX_DEPTH - 1 levels are allowed, one more is an error. */
static void
doc_deep_ok(struct json *j)
{
	int i;

	for (i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_arr_open(j, NULL);
	for (i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_arr_close(j);
}

static void
doc_too_deep(struct json *j)
{
	int i;

	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_open(j, NULL);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_close(j);
}

/* After an error nothing more is written (the error is sticky). */
static void
doc_sticky(struct json *j)
{
	json_arr_open(j, NULL);
	json_uint(j, "bad", 1);
	json_uint(j, NULL, 2);
	json_arr_close(j);
}

static const struct {
	const char *name;
	doc_fn fn;
	const char *out; /* NULL: json_finish() must fail */
	const char *partial; /* with out NULL: what was written anyway */
} docs[] = {
	{ "scalars", doc_scalars,
	    "{\"s\":\"x\",\"u\":0,\"umax\":18446744073709551615,\"i\":-5,"
	    "\"imin\":-9223372036854775808,\"imax\":9223372036854775807,"
	    "\"t\":true,\"f\":false,\"n\":null,\"null_str\":null}",
	    NULL },
	{ "nested", doc_nested, "{\"a\":[1,[],{},{\"k\":2}],\"o\":{\"e\":[]}}",
	    NULL },
	{ "top-level scalar", doc_top_scalar, "42", NULL },
	{ "hex", doc_hex, "[\"000fabff\",\"\"]", NULL },
	{ "doubles", doc_doubles, "[1.50,-0.250,0.6,0.6667,7,null,null,null]",
	    NULL },
	{ "double NaN with key", doc_double_nan_key, "{\"ratio\":null}", NULL },
	{ "raw", doc_raw, "{\"r\":[1,2]}", NULL },
	{ "key in array", doc_key_in_array, NULL, "[" },
	{ "no key in object", doc_no_key_in_object, NULL, "{" },
	{ "key at top level", doc_key_at_top, NULL, "" },
	{ "two top-level values", doc_two_top_values, NULL, "{}" },
	{ "close unopened", doc_close_unopened, NULL, "" },
	{ "close object as array", doc_close_wrong_kind, NULL, "{" },
	{ "close array as object", doc_close_wrong_kind2, NULL, "[" },
	{ "unbalanced", doc_unbalanced, NULL, "{\"a\":[]" },
	{ "too many closes", doc_too_many_closes, NULL, "[]" },
	{ "empty document", doc_empty, NULL, "" },
	{ "depth limit reached", doc_deep_ok,
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	    NULL },
	{ "depth limit passed", doc_too_deep, NULL,
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" },
	{ "sticky error", doc_sticky, NULL, "[" },
};

START_TEST(test_docs)
{
	struct wbuf w;
	struct json j;
	char got[512];
	int rc;

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	docs[_i].fn(&j);
	rc = json_finish(&j);
	doc_text(&w, got, sizeof(got));
	if (docs[_i].out != NULL) {
		ck_assert_msg(rc == 0, "%s: finish failed", docs[_i].name);
		ck_assert_msg(!json_error(&j), "%s", docs[_i].name);
		ck_assert_msg(strcmp(got, docs[_i].out) == 0, "%s: got %s",
		    docs[_i].name, got);
	} else {
		ck_assert_msg(
		    rc == -1, "%s: finish succeeded: %s", docs[_i].name, got);
		ck_assert_msg(json_error(&j), "%s", docs[_i].name);
		ck_assert_msg(strcmp(got, docs[_i].partial) == 0,
		    "%s: wrote %s", docs[_i].name, got);
	}
	wbuf_free(&w);
}
END_TEST

/* json_init appends to what the wbuf already holds. */
START_TEST(test_appends)
{
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 0);
	wbuf_printf(&w, "prefix ");
	json_init(&j, &w);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	ck_assert_int_eq(json_finish(&j), 0);
	ck_assert_uint_eq(wbuf_len(&w), 9);
	ck_assert_mem_eq(wbuf_data(&w), "prefix []", 9);
	wbuf_free(&w);
}
END_TEST

/* A full buffer makes the document bad even if the calls were right. */
START_TEST(test_buffer_full)
{
	uint8_t storage[8];
	struct wbuf w;
	struct json j;

	wbuf_init_fixed(&w, storage, sizeof(storage));
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	json_str(&j, "key", "a long value");
	json_obj_close(&j);
	ck_assert(json_error(&j));
	ck_assert_int_eq(json_finish(&j), -1);
	ck_assert_uint_le(wbuf_len(&w), sizeof(storage));
}
END_TEST

/* Every escaped string round-trips: each output byte is printable ASCII
 * or part of valid UTF-8, for all single bytes 0x00..0xff. */
START_TEST(test_all_bytes)
{
	struct wbuf w;
	struct json j;
	uint8_t b = (uint8_t)_i;
	const uint8_t *p;
	size_t i;

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	json_strn(&j, NULL, &b, 1);
	ck_assert_int_eq(json_finish(&j), 0);
	p = wbuf_data(&w);
	for (i = 0; i < wbuf_len(&w); i++)
		ck_assert_msg(p[i] >= 0x20 && p[i] < 0x7f,
		    "byte 0x%02x gives 0x%02x", b, p[i]);
	if (b >= 0x80)
		ck_assert_mem_eq(p, "\"" FFFD "\"", 8);
	wbuf_free(&w);
}
END_TEST

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
	    tc, test_strings, 0, (int)(sizeof(strings) / sizeof(strings[0])));
	tcase_add_loop_test(
	    tc, test_docs, 0, (int)(sizeof(docs) / sizeof(docs[0])));
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_buffer_full);
	tcase_add_loop_test(tc, test_all_bytes, 0, 256);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(json_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
