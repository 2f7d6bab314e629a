/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of bgpd/hexin.c: hex text syntax and its error positions,
 * framing by the RFC 4271 §4.1 header, and the message source over hex
 * text and binary streams, including every truncation of a stream.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexin.h"

/* Hex text in; the octets (as plain hex) or where and why it fails. */
static const struct {
	const char *in;
	size_t inlen; /* 0: strlen(in) */
	const char *out; /* NULL: must fail */
	size_t line, column, offset;
	const char *msg;
} texts[] = {
	{ "ff ff", 0, "ffff", 0, 0, 0, NULL },
	{ "0xff 0x00", 0, "ff00", 0, 0, 0, NULL },
	{ "0XAB:cd", 0, "abcd", 0, 0, 0, NULL },
	{ "ff:ff::ff:", 0, "ffffff", 0, 0, 0, NULL },
	{ "0x0102\n# comment 0xzz odd f\n03", 0, "010203", 0, 0, 0, NULL },
	{ "ab#comment", 0, "ab", 0, 0, 0, NULL },
	{ "ab #c\r\ncd # x\r\n", 0, "abcd", 0, 0, 0, NULL },
	{ "DeadBeef", 0, "deadbeef", 0, 0, 0, NULL },
	{ "\t\v\f\r\n ", 0, "", 0, 0, 0, NULL },
	{ "", 0, "", 0, 0, 0, NULL },
	{ "# only a comment", 0, "", 0, 0, 0, NULL },
	{ "fff", 0, NULL, 1, 1, 0, "odd number of hex digits (3) in a token" },
	{ "ff\n  abc", 0, NULL, 2, 3, 1,
	    "odd number of hex digits (3) in a token" },
	{ "0xf", 0, NULL, 1, 1, 0, "odd number of hex digits (1) in a token" },
	{ "ff f ff", 0, NULL, 1, 4, 1,
	    "odd number of hex digits (1) in a token" },
	{ "ff g", 0, NULL, 1, 4, 1, "invalid character 'g' in hex input" },
	{ "ffg", 0, NULL, 1, 3, 0, "invalid character 'g' in hex input" },
	{ "00x1", 0, NULL, 1, 3, 0, "invalid character 'x' in hex input" },
	{ "0x0x01", 0, NULL, 1, 4, 0, "invalid character 'x' in hex input" },
	{ "ff,ff", 0, NULL, 1, 3, 0, "invalid character ',' in hex input" },
	{ "aabb\n-ff", 0, NULL, 2, 1, 2, "invalid character '-' in hex input" },
	{ "0x", 0, NULL, 1, 1, 0, "\"0x\" without hex digits" },
	{ "ff 0x#", 0, NULL, 1, 4, 1, "\"0x\" without hex digits" },
	{ "ff\0", 3, NULL, 1, 3, 0, "invalid byte 0x00 in hex input" },
	{ "ff \xc3\xa9", 0, NULL, 1, 4, 1, "invalid byte 0xc3 in hex input" },
};

static void
to_hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

START_TEST(test_parse)
{
	struct hexin_err err;
	struct wbuf w;
	char got[64];
	size_t len = texts[_i].inlen ? texts[_i].inlen : strlen(texts[_i].in);
	int rc;

	memset(&err, 0, sizeof(err));
	wbuf_init_dyn(&w, 0);
	rc = hexin_parse(texts[_i].in, len, &w, &err);
	if (texts[_i].out != NULL) {
		ck_assert_msg(rc == 0, "\"%s\": %s", texts[_i].in, err.msg);
		to_hex(wbuf_data(&w), wbuf_len(&w), got);
		ck_assert_str_eq(got, texts[_i].out);
	} else {
		ck_assert_msg(rc == -1, "\"%s\" accepted", texts[_i].in);
		ck_assert_str_eq(err.msg, texts[_i].msg);
		ck_assert_uint_eq(err.line, texts[_i].line);
		ck_assert_uint_eq(err.column, texts[_i].column);
		ck_assert_uint_eq(err.offset, texts[_i].offset);
	}
	wbuf_free(&w);
}
END_TEST

/* A KEEPALIVE, and a header with room for variations. */
static const uint8_t keepalive[19] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13,
	0x04 };

enum hdr_kind { H_KA, H_LEN, H_BADMARK };

static const struct {
	const char *name;
	enum hdr_kind kind;
	uint16_t len; /* H_LEN: length field */
	size_t avail;
	size_t maxlen;
	enum hexin_frame_res res;
	size_t msglen;
} frames[] = {
	{ "keepalive", H_KA, 0, 19, 4096, HEXIN_FRAME_OK, 19 },
	{ "keepalive and more", H_KA, 0, 40, 4096, HEXIN_FRAME_OK, 19 },
	{ "18 octets", H_KA, 0, 18, 4096, HEXIN_FRAME_SHORT, 19 },
	{ "marker only", H_KA, 0, 16, 4096, HEXIN_FRAME_SHORT, 19 },
	{ "nothing", H_KA, 0, 0, 4096, HEXIN_FRAME_SHORT, 19 },
	{ "bad marker, partial", H_BADMARK, 0, 10, 4096, HEXIN_FRAME_BAD, 10 },
	{ "bad marker, whole", H_BADMARK, 0, 40, 4096, HEXIN_FRAME_BAD, 19 },
	{ "length 18", H_LEN, 18, 40, 4096, HEXIN_FRAME_BAD, 19 },
	{ "length 0", H_LEN, 0, 40, 4096, HEXIN_FRAME_BAD, 19 },
	{ "length 4096, header only", H_LEN, 4096, 19, 4096, HEXIN_FRAME_SHORT,
	    4096 },
	{ "length 4097", H_LEN, 4097, 19, 4096, HEXIN_FRAME_BAD, 19 },
	{ "length 4097 extended", H_LEN, 4097, 19, 65535, HEXIN_FRAME_SHORT,
	    4097 },
	{ "length 65535 extended", H_LEN, 65535, 19, 65535, HEXIN_FRAME_SHORT,
	    65535 },
	{ "length 30, 29 there", H_LEN, 30, 29, 4096, HEXIN_FRAME_SHORT, 30 },
	{ "length 30, 30 there", H_LEN, 30, 30, 4096, HEXIN_FRAME_OK, 30 },
};

START_TEST(test_frame)
{
	uint8_t *buf = calloc(1, frames[_i].avail + 1);
	size_t msglen = 12345;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, keepalive,
	    frames[_i].avail < 19 ? frames[_i].avail : sizeof(keepalive));
	if (frames[_i].kind == H_BADMARK)
		buf[5] = 0xfe;
	if (frames[_i].kind == H_LEN && frames[_i].avail >= 18) {
		buf[16] = (uint8_t)(frames[_i].len >> 8);
		buf[17] = (uint8_t)frames[_i].len;
	}
	/* An exact-size heap copy: ASan sees any over-read. */
	buf = realloc(buf, frames[_i].avail ? frames[_i].avail : 1);
	ck_assert_int_eq(
	    hexin_frame(buf, frames[_i].avail, frames[_i].maxlen, &msglen),
	    frames[_i].res);
	ck_assert_uint_eq(msglen, frames[_i].msglen);
	free(buf);
}
END_TEST

/* A 23-octet ROUTE-REFRESH after a KEEPALIVE: a two-message stream. */
static uint8_t stream[42];

static void
stream_init(void)
{
	memcpy(stream, keepalive, 19);
	memcpy(stream + 19, keepalive, 16);
	stream[35] = 0;
	stream[36] = 23;
	stream[37] = 5;
	stream[38] = 0;
	stream[39] = 1;
	stream[40] = 0;
	stream[41] = 1;
}

/* Open a hexin over len octets of stream, as binary or as hex text. */
static FILE *
stream_open(size_t len, bool binary, char **text)
{
	size_t i;

	*text = malloc(3 * len + 2);
	ck_assert_ptr_nonnull(*text);
	if (binary) {
		memcpy(*text, stream, len);
	} else {
		for (i = 0; i < len; i++)
			sprintf(*text + 3 * i, "%02x%c", stream[i],
			    i % 8 == 7 ? '\n' : ':');
		len *= 3;
	}
	/* fmemopen() refuses empty buffers; an extra comment is harmless. */
	if (len == 0 && !binary) {
		strcpy(*text, "#");
		len = 1;
	}
	if (len == 0)
		return fopen("/dev/null", "r");
	return fmemopen(*text, len, "r");
}

/*
 * Every cut of the stream (loop index: cut * 2 + binary) gives the whole
 * messages before the cut, then HEXIN_TRUNC with what is left, or EOF when
 * the cut falls between messages.
 */
START_TEST(test_stream_cuts)
{
	size_t cut = (size_t)_i / 2, len;
	bool binary = _i % 2;
	const uint8_t *msg;
	struct hexin h;
	char *text;
	FILE *fp;

	stream_init();
	fp = stream_open(cut, binary, &text);
	ck_assert_ptr_nonnull(fp);
	hexin_open(&h, fp, binary, BGP_MAX_LEN);
	if (cut >= 19) {
		ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_MSG);
		ck_assert_uint_eq(h.off, 0);
		ck_assert_uint_eq(len, 19);
		ck_assert_mem_eq(msg, keepalive, 19);
	}
	if (cut == 42) {
		ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_MSG);
		ck_assert_uint_eq(h.off, 19);
		ck_assert_uint_eq(len, 23);
		ck_assert_mem_eq(msg, stream + 19, 23);
	} else if (cut != 0 && cut != 19) {
		ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_TRUNC);
		ck_assert_uint_eq(h.off, cut < 19 ? 0 : 19);
		ck_assert_uint_eq(len, cut < 19 ? cut : cut - 19);
		ck_assert_uint_eq(h.need, cut < 38 ? 19 : 23);
		ck_assert_mem_eq(msg, stream + h.off, len);
	}
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_EOF);
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_EOF);
	hexin_close(&h);
	fclose(fp);
	free(text);
}
END_TEST

/* A bad header ends the stream, also when valid messages follow it. */
START_TEST(test_stream_bad_header)
{
	bool binary = _i;
	const uint8_t *msg;
	struct hexin h;
	char *text;
	size_t len;
	FILE *fp;

	stream_init();
	stream[19 + 3] = 0x00; /* second message: bad marker */
	fp = stream_open(sizeof(stream), binary, &text);
	ck_assert_ptr_nonnull(fp);
	hexin_open(&h, fp, binary, BGP_MAX_LEN);
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_MSG);
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_BADHDR);
	ck_assert_uint_eq(h.off, 19);
	ck_assert_uint_eq(len, 19);
	ck_assert_mem_eq(msg, stream + 19, 19);
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_EOF);
	hexin_close(&h);
	fclose(fp);
	free(text);
}
END_TEST

/* The length limit follows maxlen (RFC 8654 extended messages). */
START_TEST(test_stream_maxlen)
{
	static const size_t mlen = 5000;
	size_t maxlen = _i ? BGP_EXT_MAX_LEN : BGP_MAX_LEN, len;
	uint8_t *buf = calloc(1, mlen);
	const uint8_t *msg;
	struct hexin h;
	FILE *fp;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, keepalive, 19);
	buf[16] = mlen >> 8;
	buf[17] = mlen & 0xff;
	buf[18] = 2;
	fp = fmemopen(buf, mlen, "r");
	ck_assert_ptr_nonnull(fp);
	hexin_open(&h, fp, true, maxlen);
	if (maxlen == BGP_MAX_LEN) {
		ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_BADHDR);
		ck_assert_uint_eq(len, 19);
	} else {
		ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_MSG);
		ck_assert_uint_eq(len, mlen);
		ck_assert_mem_eq(msg, buf, mlen);
	}
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_EOF);
	hexin_close(&h);
	fclose(fp);
	free(buf);
}
END_TEST

/* A hex syntax error is reported before any message. */
START_TEST(test_stream_hex_error)
{
	static char text[] = "ffffffffffffffffffffffffffffffff 0013 04\n"
	                     "ffffffffffffffffffffffffffffffff 0013 4\n";
	const uint8_t *msg;
	struct hexin h;
	size_t len;
	FILE *fp;

	fp = fmemopen(text, strlen(text), "r");
	ck_assert_ptr_nonnull(fp);
	hexin_open(&h, fp, false, BGP_MAX_LEN);
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_ERR);
	ck_assert_ptr_null(msg);
	ck_assert_uint_eq(h.err.line, 2);
	ck_assert_uint_eq(h.err.column, 39);
	ck_assert_uint_eq(h.err.offset, 37);
	ck_assert_int_eq(hexin_next(&h, &msg, &len), HEXIN_EOF);
	hexin_close(&h);
	fclose(fp);
}
END_TEST

static Suite *
hexin_suite(void)
{
	Suite *s = suite_create("hexin");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(
	    tc, test_parse, 0, (int)(sizeof(texts) / sizeof(texts[0])));
	tcase_add_loop_test(
	    tc, test_frame, 0, (int)(sizeof(frames) / sizeof(frames[0])));
	tcase_add_loop_test(
	    tc, test_stream_cuts, 0, (int)(2 * (sizeof(stream) + 1)));
	tcase_add_loop_test(tc, test_stream_bad_header, 0, 2);
	tcase_add_loop_test(tc, test_stream_maxlen, 0, 2);
	tcase_add_test(tc, test_stream_hex_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hexin_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
