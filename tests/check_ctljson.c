/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of bgpd/ctljson.c, the control socket's JSON parser: valid
 * documents (re-serialised and compared), malformed ones with their error
 * offsets, every truncation of a request, byte mutations, nesting limits
 * and the accessors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctljson.h"

/* Valid JSON in; the tree written back compactly. */
static const struct {
	const char *in;
	const char *out;
} goods[] = {
	{ "{}", "{}" },
	{ "[]", "[]" },
	{ " \t\r\n{ } \n", "{}" },
	{ "{\"command\":\"show rib\",\"args\":{\"prefix\":\"10.0.0.0/8\"}}",
	    "{\"command\":\"show rib\",\"args\":{\"prefix\":\"10.0.0.0/8\"}}" },
	{ "[1, -2, 0, -0, 18446744073709551615]",
	    "[1,-2,0,-0,18446744073709551615]" },
	{ "[18446744073709551616, 1.5, 1e3, -2.5E-3, 0.0]",
	    "[big,real,real,real,real]" },
	{ "[true,false,null]", "[true,false,null]" },
	{ "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
	    "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"" },
	{ "\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"",
	    "\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"" },
	{ "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"" },
	{ "{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":2}" },
	{ "{\"\":{\"\":[]}}", "{\"\":{\"\":[]}}" },
	{ "[[[[[]]]],{}]", "[[[[[]]]],{}]" },
	{ "7", "7" },
	{ "\"\"", "\"\"" },
};

/* Malformed JSON in; the error message expected. */
static const struct {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *err;
} bads[] = {
	{ "", 0, "offset 0: unexpected end of input" },
	{ "   ", 0, "offset 3: unexpected end of input" },
	{ "{", 0, "offset 1: member name expected" },
	{ "{\"a\"", 0, "offset 4: ':' expected after a name" },
	{ "{\"a\":", 0, "offset 5: unexpected end of input" },
	{ "{\"a\":1", 0, "offset 6: ',' or '}' expected" },
	{ "{\"a\":1,}", 0, "offset 7: member name expected" },
	{ "{a:1}", 0, "offset 1: member name expected" },
	{ "{'a':1}", 0, "offset 1: member name expected" },
	{ "[1,]", 0, "offset 3: unexpected character ']'" },
	{ "[1 2]", 0, "offset 3: ',' or ']' expected" },
	{ "{} {}", 0, "offset 3: trailing characters after the value" },
	{ "01", 0, "offset 1: leading zero in a number" },
	{ "-", 0, "offset 1: digit expected" },
	{ "1.", 0, "offset 2: digit expected after '.'" },
	{ "1e", 0, "offset 2: digit expected in exponent" },
	{ "+1", 0, "offset 0: unexpected character '+'" },
	{ "tru", 0, "offset 0: unknown literal" },
	{ "nulL", 0, "offset 0: unknown literal" },
	{ "\"abc", 0, "offset 4: unterminated string" },
	{ "\"a\tb\"", 0, "offset 3: control character 0x09 in a string" },
	{ "\"a\0b\"", 5, "offset 3: control character 0x00 in a string" },
	{ "\"\\x\"", 0, "offset 3: bad escape \\x" },
	{ "\"\\u12G4\"", 0, "offset 6: bad hex digit in \\u escape" },
	{ "\"\\u0000\"", 0, "offset 7: U+0000 in a string" },
	{ "\"\\udc00\"", 0, "offset 7: lone low surrogate \\udc00" },
	{ "\"\\ud800\"", 0, "offset 7: lone high surrogate \\ud800" },
	{ "\"\\ud800\\u0041\"", 0,
	    "offset 13: high surrogate \\ud800 not followed by a low one" },
	{ "\"\xc3\"", 0, "offset 2: truncated UTF-8 sequence" },
	{ "\"\xc0\xaf\"", 0, "offset 2: invalid UTF-8 byte 0xc0" },
	{ "\"\xe0\x80\xaf\"", 0, "offset 4: invalid UTF-8 sequence" },
	{ "\"\xed\xa0\x80\"", 0, "offset 4: invalid UTF-8 sequence" },
	{ "\"\xf4\x90\x80\x80\"", 0, "offset 5: invalid UTF-8 sequence" },
	{ "\"\xff\"", 0, "offset 2: invalid UTF-8 byte 0xff" },
	{ "\xef\xbb\xbf{}", 0, "offset 0: unexpected byte 0xef" },
	{ "{\"a\":1}\n\0", 9, "offset 8: trailing characters after the value" },
	{ "/* c */ {}", 0, "offset 0: unexpected character '/'" },
};

/* The tree written back, compactly; numbers as digits, "big" or "real". */
static void
dump(const struct ctljson_val *v, char *buf, size_t size, size_t *off)
{
	const struct ctljson_val *c;
	const char *p;

#define PUT(...)                                                               \
	(*off += (size_t)snprintf(buf + *off, size - *off, __VA_ARGS__))
	ck_assert_uint_lt(*off, size);
	switch (v->type) {
	case CTLJSON_NULL:
		PUT("null");
		break;
	case CTLJSON_BOOL:
		PUT("%s", v->b ? "true" : "false");
		break;
	case CTLJSON_NUMBER:
		if (!v->integer)
			PUT("real");
		else if (v->overflow)
			PUT("big");
		else
			PUT("%s%llu", v->negative ? "-" : "",
			    (unsigned long long)v->mag);
		break;
	case CTLJSON_STRING:
		ck_assert_uint_eq(strlen(v->str), v->len);
		PUT("\"");
		for (p = v->str; *p != '\0'; p++) {
			const char *e = strchr("\"\\\b\f\n\r\t", *p);
			if (e != NULL)
				PUT("\\%c", "\"\\bfnrt"[e - "\"\\\b\f\n\r\t"]);
			else
				PUT("%c", *p);
		}
		PUT("\"");
		break;
	case CTLJSON_ARRAY:
	case CTLJSON_OBJECT: {
		size_t n = 0;

		PUT(v->type == CTLJSON_ARRAY ? "[" : "{");
		for (c = v->child; c != NULL; c = c->next, n++) {
			if (c != v->child)
				PUT(",");
			if (v->type == CTLJSON_OBJECT)
				PUT("\"%s\":", c->key);
			else
				ck_assert_ptr_null(c->key);
			dump(c, buf, size, off);
		}
		ck_assert_uint_eq(n, v->len);
		PUT(v->type == CTLJSON_ARRAY ? "]" : "}");
		break;
	}
	}
#undef PUT
}

START_TEST(test_good)
{
	struct ctljson_doc d;
	char err[128], out[512];
	size_t off = 0;

	ck_assert_msg(ctljson_parse(&d, goods[_i].in, strlen(goods[_i].in), err,
	                  sizeof(err)) == 0,
	    "%s: %s", goods[_i].in, err);
	dump(d.root, out, sizeof(out), &off);
	ck_assert_str_eq(out, goods[_i].out);
	ctljson_free(&d);
}
END_TEST

START_TEST(test_bad)
{
	struct ctljson_doc d;
	char err[128];
	size_t len = bads[_i].len ? bads[_i].len : strlen(bads[_i].in);

	memset(&d, 0xa5, sizeof(d));
	ck_assert_msg(
	    ctljson_parse(&d, bads[_i].in, len, err, sizeof(err)) == -1,
	    "accepted: %s", bads[_i].in);
	ck_assert_str_eq(err, bads[_i].err);
	/* Nothing to free; freeing the zeroed doc is harmless. */
	ck_assert_ptr_null(d.vals);
	ctljson_free(&d);
}
END_TEST

/* A request with every kind of value; its proper prefixes all fail. */
static const char request[] =
    "{\"command\":\"neighbor down\",\"args\":{\"neighbor\":\"192.0.2.1\","
    "\"text\":\"maint \\u00e9 \xe2\x82\xac \\ud83d\\ude00\",\"soft\":true,"
    "\"origin_as\":4200000000,\"x\":[null,false,-1.5e-3,[]],\"y\":{}}}";

START_TEST(test_truncated)
{
	struct ctljson_doc d;
	char err[128];

	if ((size_t)_i == sizeof(request) - 1) {
		ck_assert_int_eq(
		    ctljson_parse(&d, request, (size_t)_i, err, sizeof(err)),
		    0);
		ctljson_free(&d);
		return;
	}
	ck_assert_msg(
	    ctljson_parse(&d, request, (size_t)_i, err, sizeof(err)) == -1,
	    "prefix of %d octets accepted", _i);
	ck_assert_ptr_null(d.root);
	ck_assert(strncmp(err, "offset ", 7) == 0);
}
END_TEST

/* Every octet replaced by a few others: no crash, no leak, no over-read. */
START_TEST(test_mutations)
{
	static const uint8_t with[] = { 0x00, '"', '\\', '{', ']', 0xc3, 0xff,
		'9' };
	struct ctljson_doc d;
	char err[128], *buf;
	size_t len = sizeof(request) - 1, i;

	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < sizeof(with); i++) {
		memcpy(buf, request, len);
		buf[_i] = (char)with[i];
		if (ctljson_parse(&d, buf, len, err, sizeof(err)) == 0) {
			ck_assert_ptr_nonnull(d.root);
			ctljson_free(&d);
		} else
			ck_assert_ptr_null(d.root);
	}
	free(buf);
}
END_TEST

START_TEST(test_depth)
{
	char buf[2 * CTLJSON_MAX_DEPTH + 4], err[128];
	struct ctljson_doc d;
	int n;

	for (n = CTLJSON_MAX_DEPTH; n <= CTLJSON_MAX_DEPTH + 1; n++) {
		memset(buf, '[', (size_t)n);
		memset(buf + n, ']', (size_t)n);
		if (n == CTLJSON_MAX_DEPTH) {
			ck_assert_int_eq(ctljson_parse(&d, buf, (size_t)(2 * n),
			                     err, sizeof(err)),
			    0);
			ctljson_free(&d);
		} else {
			ck_assert_int_eq(ctljson_parse(&d, buf, (size_t)(2 * n),
			                     err, sizeof(err)),
			    -1);
			ck_assert_str_eq(
			    err, "offset 32: nested deeper than 32");
		}
	}
}
END_TEST

START_TEST(test_accessors)
{
	static const char in[] =
	    "{\"s\":\"x\",\"n\":65535,\"neg\":-1,\"mz\":-0,\"r\":1.0,"
	    "\"big\":99999999999999999999,\"t\":true,\"f\":false,"
	    "\"z\":null,\"s\":\"second\"}";
	const struct ctljson_val *r;
	struct ctljson_doc d;
	char err[128];
	uint64_t u = 7;
	bool b = false;

	ck_assert_int_eq(
	    ctljson_parse(&d, in, strlen(in), err, sizeof(err)), 0);
	r = d.root;
	ck_assert_uint_eq(r->len, 10);
	ck_assert_str_eq(ctljson_str(ctljson_get(r, "s")), "x"); /* first */
	ck_assert_ptr_null(ctljson_str(ctljson_get(r, "n")));
	ck_assert_ptr_null(ctljson_get(r, "missing"));
	ck_assert_ptr_null(ctljson_get(ctljson_get(r, "s"), "s"));
	ck_assert_ptr_null(ctljson_get(NULL, "s"));
	ck_assert_int_eq(ctljson_uint(ctljson_get(r, "n"), 65535, &u), 0);
	ck_assert_uint_eq(u, 65535);
	ck_assert_int_eq(ctljson_uint(ctljson_get(r, "n"), 65534, &u), -1);
	ck_assert_uint_eq(u, 65535); /* unchanged on failure */
	ck_assert_int_eq(ctljson_uint(ctljson_get(r, "neg"), 10, &u), -1);
	ck_assert_int_eq(ctljson_uint(ctljson_get(r, "mz"), 10, &u), 0);
	ck_assert_uint_eq(u, 0);
	ck_assert_int_eq(ctljson_uint(ctljson_get(r, "r"), 10, &u), -1);
	ck_assert_int_eq(
	    ctljson_uint(ctljson_get(r, "big"), UINT64_MAX, &u), -1);
	ck_assert_int_eq(ctljson_uint(ctljson_get(r, "s"), 10, &u), -1);
	ck_assert_int_eq(ctljson_uint(NULL, 10, &u), -1);
	ck_assert_int_eq(ctljson_bool(ctljson_get(r, "t"), &b), 0);
	ck_assert(b);
	ck_assert_int_eq(ctljson_bool(ctljson_get(r, "f"), &b), 0);
	ck_assert(!b);
	ck_assert_int_eq(ctljson_bool(ctljson_get(r, "z"), &b), -1);
	ck_assert_int_eq(ctljson_get(r, "z")->type, CTLJSON_NULL);
	ck_assert_str_eq(ctljson_type_name(CTLJSON_OBJECT), "object");
	ck_assert_str_eq(ctljson_type_name(CTLJSON_NUMBER), "number");
	ctljson_free(&d);
}
END_TEST

/* A big array: storage grows while parsing and the links stay right. */
START_TEST(test_large)
{
	size_t n = 100000, i, len = 0;
	const struct ctljson_val *e;
	struct ctljson_doc d;
	char err[128], *buf;

	buf = malloc(n * 8 + 2);
	ck_assert_ptr_nonnull(buf);
	buf[len++] = '[';
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "%s\"%zu\"", i ? "," : "", i);
	buf[len++] = ']';
	ck_assert_int_eq(ctljson_parse(&d, buf, len, err, sizeof(err)), 0);
	ck_assert_uint_eq(d.root->len, n);
	for (i = 0, e = d.root->child; e != NULL; e = e->next, i++)
		ck_assert_uint_eq(strtoul(e->str, NULL, 10), i);
	ck_assert_uint_eq(i, n);
	ctljson_free(&d);
	free(buf);
}
END_TEST

static Suite *
ctljson_suite(void)
{
	Suite *s = suite_create("ctljson");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
	    tc, test_good, 0, (int)(sizeof(goods) / sizeof(goods[0])));
	tcase_add_loop_test(
	    tc, test_bad, 0, (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_loop_test(tc, test_truncated, 0, (int)sizeof(request));
	tcase_add_loop_test(tc, test_mutations, 0, (int)sizeof(request) - 1);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_accessors);
	tcase_add_test(tc, test_large);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ctljson_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
