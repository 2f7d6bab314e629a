/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/rbuf.c: every getter either consumes exactly what it
 * was asked for, or fails and changes nothing (reader and out-parameter);
 * sub-slices are fenced.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rbuf.h"

enum rbuf_op {
	OP_U8,
	OP_U16,
	OP_U32,
	OP_BYTES,
	OP_SUB,
	OP_SKIP,
	OP_PEEK8,
	OP_PEEK16,
};

/* Octets a getter needs; whether it moves the reader. */
static const struct {
	enum rbuf_op op;
	const char *name;
	size_t arg; /* length argument of bytes/sub/skip */
	size_t need;
	bool consumes;
} ops[] = {
	{ OP_U8, "u8", 0, 1, true },
	{ OP_U16, "u16", 0, 2, true },
	{ OP_U32, "u32", 0, 4, true },
	{ OP_BYTES, "bytes(0)", 0, 0, true },
	{ OP_BYTES, "bytes(3)", 3, 3, true },
	{ OP_BYTES, "bytes(7)", 7, 7, true },
	{ OP_SUB, "sub(0)", 0, 0, true },
	{ OP_SUB, "sub(5)", 5, 5, true },
	{ OP_SKIP, "skip(0)", 0, 0, true },
	{ OP_SKIP, "skip(6)", 6, 6, true },
	{ OP_PEEK8, "peek8", 0, 1, false },
	{ OP_PEEK16, "peek16", 0, 2, false },
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))
/* Each getter is tried on every buffer length 0..MAXLEN. */
#define MAXLEN 9

static const uint8_t data[MAXLEN] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde,
	0xf0, 0x0f };

/* Sentinel-filled out-parameters for every kind of getter. */
struct outs {
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint8_t bytes[MAXLEN];
	struct rbuf sub;
};

static void
outs_fill(struct outs *o)
{
	memset(o, 0xa5, sizeof(*o));
}

static int
run_op(int i, struct rbuf *r, struct outs *o)
{
	switch (ops[i].op) {
	case OP_U8:
		return rbuf_get_u8(r, &o->u8);
	case OP_U16:
		return rbuf_get_u16(r, &o->u16);
	case OP_U32:
		return rbuf_get_u32(r, &o->u32);
	case OP_BYTES:
		return rbuf_get_bytes(r, o->bytes, ops[i].arg);
	case OP_SUB:
		return rbuf_get_sub(r, ops[i].arg, &o->sub);
	case OP_SKIP:
		return rbuf_skip(r, ops[i].arg);
	case OP_PEEK8:
		return rbuf_peek_u8(r, &o->u8);
	case OP_PEEK16:
		return rbuf_peek_u16(r, &o->u16);
	}
	return -2;
}

/* What a successful getter must have stored, from the data pattern. */
static void
check_value(int i, const struct outs *o)
{
	struct outs sentinel;

	outs_fill(&sentinel);
	switch (ops[i].op) {
	case OP_U8:
	case OP_PEEK8:
		ck_assert_uint_eq(o->u8, 0x12);
		break;
	case OP_U16:
	case OP_PEEK16:
		ck_assert_uint_eq(o->u16, 0x1234);
		break;
	case OP_U32:
		ck_assert_uint_eq(o->u32, 0x12345678);
		break;
	case OP_BYTES:
		ck_assert(ops[i].arg <= MAXLEN);
		ck_assert(memcmp(o->bytes, data, ops[i].arg) == 0);
		ck_assert(
		    memcmp(o->bytes + ops[i].arg, sentinel.bytes + ops[i].arg,
		        MAXLEN - ops[i].arg) == 0);
		break;
	case OP_SUB:
		ck_assert_ptr_eq(o->sub.pos, data);
		ck_assert_uint_eq(o->sub.left, ops[i].arg);
		break;
	case OP_SKIP:
		break;
	}
}

/* Loop index: getter (i / (MAXLEN + 1)) on a buffer of (i % ...) octets. */
START_TEST(test_getter_exact_or_nothing)
{
	int op = _i / (MAXLEN + 1);
	size_t len = (size_t)(_i % (MAXLEN + 1));
	struct rbuf r;
	struct outs o, sentinel;
	int rc;

	rbuf_init(&r, data, len);
	outs_fill(&o);
	outs_fill(&sentinel);
	rc = run_op(op, &r, &o);
	if (len >= ops[op].need) {
		ck_assert_msg(
		    rc == 0, "%s on %zu octets failed", ops[op].name, len);
		check_value(op, &o);
		size_t used = ops[op].consumes ? ops[op].need : 0;
		ck_assert_ptr_eq(rbuf_ptr(&r), data + used);
		ck_assert_uint_eq(rbuf_left(&r), len - used);
	} else {
		ck_assert_msg(
		    rc == -1, "%s on %zu octets: %d", ops[op].name, len, rc);
		ck_assert_ptr_eq(rbuf_ptr(&r), data);
		ck_assert_uint_eq(rbuf_left(&r), len);
		ck_assert_mem_eq(&o, &sentinel, sizeof(o));
	}
}
END_TEST

/* Big-endian decoding of specific values. */
static const struct {
	uint8_t in[4];
	uint16_t u16;
	uint32_t u32;
} values[] = {
	{ { 0x00, 0x00, 0x00, 0x00 }, 0x0000, 0x00000000 },
	{ { 0xff, 0xff, 0xff, 0xff }, 0xffff, 0xffffffff },
	{ { 0xde, 0xad, 0xbe, 0xef }, 0xdead, 0xdeadbeef },
	{ { 0x80, 0x01, 0x00, 0x7f }, 0x8001, 0x8001007f },
	{ { 0x00, 0x02, 0x00, 0x00 }, 0x0002, 0x00020000 },
};

START_TEST(test_values)
{
	struct rbuf r;
	uint16_t u16;
	uint32_t u32;
	uint8_t u8;

	rbuf_init(&r, values[_i].in, 4);
	ck_assert_int_eq(rbuf_peek_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, values[_i].u16);
	ck_assert_int_eq(rbuf_peek_u8(&r, &u8), 0);
	ck_assert_uint_eq(u8, values[_i].in[0]);
	ck_assert_int_eq(rbuf_get_u32(&r, &u32), 0);
	ck_assert_uint_eq(u32, values[_i].u32);
	ck_assert_uint_eq(rbuf_left(&r), 0);
	rbuf_init(&r, values[_i].in, 4);
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, values[_i].u16);
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, (uint16_t)(values[_i].u32 & 0xffff));
}
END_TEST

/* A slice cannot be read past its end; the parent has moved past it. */
START_TEST(test_sub_fenced)
{
	struct rbuf r, sub, inner;
	uint32_t u32 = 7;
	uint16_t u16;
	uint8_t u8, buf[4];

	rbuf_init(&r, data, 8);
	ck_assert_int_eq(rbuf_get_sub(&r, 5, &sub), 0);
	ck_assert_uint_eq(rbuf_left(&r), 3);
	ck_assert_ptr_eq(rbuf_ptr(&r), data + 5);
	ck_assert_int_eq(rbuf_get_u8(&sub, &u8), 0);
	ck_assert_uint_eq(u8, 0x12);
	/* 4 left in sub: a nested slice of 3, then only 1. */
	ck_assert_int_eq(rbuf_get_sub(&sub, 3, &inner), 0);
	ck_assert_int_eq(rbuf_get_u32(&inner, &u32), -1);
	ck_assert_uint_eq(u32, 7);
	ck_assert_int_eq(rbuf_get_u16(&inner, &u16), 0);
	ck_assert_uint_eq(u16, 0x3456);
	ck_assert_int_eq(rbuf_get_u16(&inner, &u16), -1);
	ck_assert_int_eq(rbuf_get_u8(&inner, &u8), 0);
	ck_assert_uint_eq(u8, 0x78);
	ck_assert_int_eq(rbuf_get_u8(&inner, &u8), -1);
	ck_assert_uint_eq(u8, 0x78);
	/* sub still has its last octet; it cannot give two. */
	ck_assert_uint_eq(rbuf_left(&sub), 1);
	ck_assert_int_eq(rbuf_get_bytes(&sub, buf, 2), -1);
	ck_assert_int_eq(rbuf_skip(&sub, 2), -1);
	ck_assert_int_eq(rbuf_get_sub(&sub, 2, &inner), -1);
	ck_assert_int_eq(rbuf_get_u8(&sub, &u8), 0);
	ck_assert_uint_eq(u8, 0x9a);
	ck_assert_uint_eq(rbuf_left(&sub), 0);
	/* The parent continues after the slice. */
	ck_assert_int_eq(rbuf_get_u16(&r, &u16), 0);
	ck_assert_uint_eq(u16, 0xbcde);
}
END_TEST

/* A slice at the very end and one beyond it. */
START_TEST(test_sub_whole_and_beyond)
{
	struct rbuf r, sub, before;

	rbuf_init(&r, data, 4);
	memset(&sub, 0x5a, sizeof(sub));
	before = sub;
	ck_assert_int_eq(rbuf_get_sub(&r, 5, &sub), -1);
	ck_assert_mem_eq(&sub, &before, sizeof(sub));
	ck_assert_uint_eq(rbuf_left(&r), 4);
	ck_assert_int_eq(rbuf_get_sub(&r, 4, &sub), 0);
	ck_assert_uint_eq(rbuf_left(&r), 0);
	ck_assert_uint_eq(rbuf_left(&sub), 4);
	ck_assert_int_eq(rbuf_get_sub(&r, 1, &sub), -1);
	ck_assert_uint_eq(rbuf_left(&sub), 4);
}
END_TEST

START_TEST(test_init_null)
{
	struct rbuf r, sub;
	uint8_t u8 = 3;

	rbuf_init(&r, NULL, 10);
	ck_assert_uint_eq(rbuf_left(&r), 0);
	ck_assert_int_eq(rbuf_get_u8(&r, &u8), -1);
	ck_assert_uint_eq(u8, 3);
	/* Empty reads of an empty reader succeed and stay empty. */
	ck_assert_int_eq(rbuf_get_sub(&r, 0, &sub), 0);
	ck_assert_uint_eq(rbuf_left(&sub), 0);
	ck_assert_int_eq(rbuf_skip(&r, 0), 0);
	ck_assert_int_eq(rbuf_get_bytes(&r, &u8, 0), 0);
	ck_assert_uint_eq(u8, 3);
	ck_assert_uint_eq(rbuf_left(&r), 0);
}
END_TEST

/* Huge lengths must not wrap around. */
START_TEST(test_huge_len)
{
	struct rbuf r, sub;
	uint8_t buf[1];
	/*
	 * volatile: with the getters inline, gcc would otherwise warn about
	 * the (never executed) memcpy of SIZE_MAX octets.
	 */
	volatile size_t huge = SIZE_MAX;

	rbuf_init(&r, data, 4);
	ck_assert_int_eq(rbuf_skip(&r, huge), -1);
	ck_assert_int_eq(rbuf_get_sub(&r, huge, &sub), -1);
	ck_assert_int_eq(rbuf_get_bytes(&r, buf, huge), -1);
	ck_assert_uint_eq(rbuf_left(&r), 4);
	ck_assert_ptr_eq(rbuf_ptr(&r), data);
}
END_TEST

/*
 * A fixed sequence u8, u16, u32, bytes(2) over every proper prefix of its
 * 9 octets: reading stops at the first getter that does not fit, and that
 * getter leaves everything as it was.
 */
START_TEST(test_sequence_prefixes)
{
	static const size_t need[] = { 1, 2, 4, 2 };
	size_t len = (size_t)_i, used = 0, k;
	struct rbuf r;
	uint8_t u8 = 0xee, b[2] = { 0xee, 0xee };
	uint16_t u16 = 0xeeee;
	uint32_t u32 = 0xeeeeeeee;
	int rc = 0;

	rbuf_init(&r, data, len);
	for (k = 0; k < 4 && rc == 0; k++) {
		switch (k) {
		case 0:
			rc = rbuf_get_u8(&r, &u8);
			break;
		case 1:
			rc = rbuf_get_u16(&r, &u16);
			break;
		case 2:
			rc = rbuf_get_u32(&r, &u32);
			break;
		case 3:
			rc = rbuf_get_bytes(&r, b, 2);
			break;
		}
		if (rc == 0)
			used += need[k];
	}
	ck_assert_int_eq(rc, len == 9 ? 0 : -1);
	ck_assert_uint_eq(rbuf_left(&r), len - used);
	ck_assert_uint_eq(u8, used >= 1 ? 0x12 : 0xee);
	ck_assert_uint_eq(u16, used >= 3 ? 0x3456 : 0xeeee);
	ck_assert_uint_eq(u32, used >= 7 ? 0x789abcde : 0xeeeeeeee);
	ck_assert_uint_eq(b[0], used == 9 ? 0xf0 : 0xee);
}
END_TEST

static Suite *
rbuf_suite(void)
{
	Suite *s = suite_create("rbuf");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
	    tc, test_getter_exact_or_nothing, 0, (int)(NOPS * (MAXLEN + 1)));
	tcase_add_loop_test(
	    tc, test_values, 0, (int)(sizeof(values) / sizeof(values[0])));
	tcase_add_test(tc, test_sub_fenced);
	tcase_add_test(tc, test_sub_whole_and_beyond);
	tcase_add_test(tc, test_init_null);
	tcase_add_test(tc, test_huge_len);
	tcase_add_loop_test(tc, test_sequence_prefixes, 0, 10);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rbuf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
