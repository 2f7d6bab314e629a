/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/mrt.c: header plausibility, framing and
 * resynchronisation (torn headers, garbage, cut input, the short
 * TABLE_DUMP length of early RIS files, records over 64 KiB), and the body
 * decoders of every subtype, each with a truncation test: every proper
 * prefix of a valid body must be refused.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mrt.h"
#include "testutil.h"
#include "wbuf.h"

/* A keepalive after the RFC 6396 §4.4.3 fields of MESSAGE_AS4 (39). */
#define KA_MSG "ffffffffffffffffffffffffffffffff 0013 04"
#define KA_AS4 "0000fde8 0000fde9 0000 0001 c0000201 c0000202 " KA_MSG
#define KA_REC(ts) ts " 0010 0004 00000027 " KA_AS4
#define R1 KA_REC("5e0be100")
#define R2 KA_REC("5e0be101")
#define R3 KA_REC("5e0be102")
#define R_LEN 51 /* 12 + 39 */
/* TABLE_DUMP whose length says 22 though 26 octets follow. */
#define TD_SHORT                                                               \
	"5e0be100 000c 0001 00000016 0000 0001 c0000200 18 01 5e0be100 "       \
	"c0000201 fde8 0004 40010100"

/* Header plausibility (RFC 6396 §2, §4 and Appendix B). */
static const struct {
	const char *name;
	const char *hex;
	bool plausible;
} hdrs[] = {
	{ "BGP4MP MESSAGE_AS4", "5e0be100 0010 0004 00000027", true },
	{ "BGP4MP_ET", "5e0be100 0011 0004 0000002b", true },
	{ "BGP4MP subtype 12", "5e0be100 0010 000c 00000027", false },
	{ "BGP4MP shorter than 8", "5e0be100 0010 0000 00000007", false },
	{ "BGP4MP_ET shorter than 12", "5e0be100 0011 0001 0000000b", false },
	{ "TABLE_DUMP_V2 RIB", "5e0be100 000d 0002 00000100", true },
	{ "TABLE_DUMP_V2 subtype 0", "5e0be100 000d 0000 00000100", false },
	{ "TABLE_DUMP_V2 subtype 13", "5e0be100 000d 000d 00000100", false },
	{ "TABLE_DUMP AFI 2", "5e0be100 000c 0002 00000100", true },
	{ "TABLE_DUMP AFI 3", "5e0be100 000c 0003 00000100", false },
	{ "BGP type 5", "38dc3667 0005 0001 00000018", true },
	{ "BGP type 5 subtype 8", "38dc3667 0005 0008 00000018", false },
	{ "OSPFv2", "5e0be100 000b 0000 00000010", true },
	{ "ISIS_ET", "5e0be100 0021 0000 00000010", true },
	{ "type 0", "5e0be100 0000 0000 00000000", false },
	{ "type 14", "5e0be100 000e 0001 00000010", false },
	{ "torn, RIS 2000.03", "38dc3a31 c8bc 8038 dc36b900", false },
	{ "length too large", "5e0be100 000d 0002 01000001", false },
	{ "length at the bound", "5e0be100 000d 0002 01000000", true },
};

START_TEST(test_hdr)
{
	uint8_t p[MRT_HDR_LEN];

	ck_assert_uint_eq(
	    testutil_unhex(hdrs[_i].hex, p, sizeof(p)), MRT_HDR_LEN);
	ck_assert_msg(
	    mrt_hdr_plausible(p) == hdrs[_i].plausible, "%s", hdrs[_i].name);
}
END_TEST

/* Framing: a stream in, what the reader makes of it. */
static const struct {
	const char *name;
	const char *hex;
	unsigned records;
	uint64_t resyncs;
	uint64_t skipped;
	uint64_t truncated;
	uint64_t first_len; /* body length of the first record */
	uint64_t last_off; /* offset of the last record */
} frames[] = {
	{ "empty", "", 0, 0, 0, 0, 0, 0 },
	{ "three records", R1 R2 R3, 3, 0, 0, 0, 39, 2 * R_LEN },
	{ "garbage between", R1 "deadbeef00" R2, 2, 1, 5, 0, 39, R_LEN + 5 },
	{ "garbage first", "0000000000" R1 R2, 2, 1, 5, 0, 39, 5 + R_LEN },
	/* A torn write: a header cut after 2 length octets, RIS 2000.03. */
	{ "torn header", R1 "5e0be101 0010 0004 0000" R2 R3, 3, 1, 10, 0, 39,
	    2 * R_LEN + 10 },
	{ "torn header, long length", R1 "5e0be101 0010 0004 ffff" R2 R3, 3, 1,
	    10, 0, 39, 2 * R_LEN + 10 },
	{ "header cut", R1 "5e0be1", 1, 0, 0, 1, 39, 0 },
	{ "body cut", R1 "5e0be101 0010 0004 00000027 0000fde8", 1, 0, 0, 1, 39,
	    0 },
	{ "nothing plausible after", R1 "0000000000990000ffffffff", 1, 1, 12, 0,
	    39, 0 },
	/* A believable header must have a timestamp near those seen. */
	{ "far timestamp refused", R1 "00" KA_REC("10000000") R2, 2, 1,
	    1 + R_LEN, 0, 39, 2 * R_LEN + 1 },
	{ "TABLE_DUMP 4 octets short", TD_SHORT R1, 2, 0, 0, 0, 26, 38 },
	{ "TABLE_DUMP 4 short at the end", TD_SHORT, 1, 0, 0, 0, 26, 0 },
	{ "ET microseconds", "5e0be100 0011 0004 0000002b 0007a120 " KA_AS4, 1,
	    0, 0, 0, 39, 0 },
};

START_TEST(test_frame)
{
	static uint8_t buf[1024];
	struct mrt_reader rd;
	struct mrt_record rec;
	size_t len = testutil_unhex(frames[_i].hex, buf, sizeof(buf));
	unsigned n = 0;
	uint64_t first_len = 0, last_off = 0;
	int r;

	mrt_reader_init_mem(&rd, buf, len, NULL, NULL);
	while ((r = mrt_next(&rd, &rec)) == 1) {
		if (n++ == 0)
			first_len = rec.len;
		last_off = rec.off;
		ck_assert_ptr_nonnull(rec.body);
	}
	ck_assert_int_eq(r, 0);
	ck_assert_msg(
	    n == frames[_i].records, "%s: %u records", frames[_i].name, n);
	ck_assert_uint_eq(rd.stats.resyncs, frames[_i].resyncs);
	ck_assert_uint_eq(rd.stats.skipped, frames[_i].skipped);
	ck_assert_uint_eq(rd.stats.truncated, frames[_i].truncated);
	if (n > 0) {
		ck_assert_uint_eq(first_len, frames[_i].first_len);
		ck_assert_uint_eq(last_off, frames[_i].last_off);
	}
	mrt_reader_free(&rd);
}
END_TEST

START_TEST(test_frame_et)
{
	static uint8_t buf[128];
	size_t len = testutil_unhex(frames[12].hex, buf, sizeof(buf));
	struct mrt_reader rd;
	struct mrt_record rec;

	mrt_reader_init_mem(&rd, buf, len, NULL, NULL);
	ck_assert_int_eq(mrt_next(&rd, &rec), 1);
	ck_assert_uint_eq(rec.type, MRT_BGP4MP_ET);
	ck_assert_uint_eq(rec.usec, 500000);
	ck_assert_uint_eq(rec.ts, 0x5e0be100);
	ck_assert_ptr_eq(rec.body, rd.buf + MRT_HDR_LEN + 4);
	mrt_reader_free(&rd);
}
END_TEST

/*
 * Every cut of a clean stream: the records wholly before the cut come
 * out, the cut one is counted as truncated, nothing is resynchronised.
 */
START_TEST(test_frame_cut)
{
	static uint8_t buf[256];
	size_t len = testutil_unhex(R1 R2 R3, buf, sizeof(buf));
	size_t cut = (size_t)_i;
	struct mrt_reader rd;
	struct mrt_record rec;
	unsigned n = 0;

	ck_assert_uint_eq(len, 3 * R_LEN);
	mrt_reader_init_mem(&rd, buf, cut, NULL, NULL);
	while (mrt_next(&rd, &rec) == 1)
		n++;
	ck_assert_uint_eq(n, cut / R_LEN);
	ck_assert_uint_eq(rd.stats.truncated, cut % R_LEN != 0);
	ck_assert_uint_eq(rd.stats.resyncs, 0);
	mrt_reader_free(&rd);
}
END_TEST

static size_t big_read_off;

/* A reader callback handing out a stream in 1000-octet pieces. */
static ssize_t
big_read(void *arg, void *buf, size_t len)
{
	const struct wbuf *w = arg;
	size_t n = wbuf_len(w) - big_read_off;

	if (n > len)
		n = len;
	if (n > 1000)
		n = 1000;
	memcpy(buf, wbuf_data(w) + big_read_off, n);
	big_read_off += n;
	return (ssize_t)n;
}

/* Records over 64 KiB (bgpdump's bview.64k_stream_overflow), in pieces. */
START_TEST(test_frame_big)
{
	const size_t sizes[] = { 70000, 100, 1 << 20, 65536 };
	struct mrt_reader rd;
	struct mrt_record rec;
	struct wbuf w;
	size_t i, j;

	wbuf_init_dyn(&w, 0);
	for (i = 0; i < 4; i++) {
		wbuf_put_u32(&w, 0x5e0be100);
		wbuf_put_u16(&w, MRT_TABLE_DUMP_V2);
		wbuf_put_u16(&w, MRT_TD2_RIB_IPV6_UNICAST);
		wbuf_put_u32(&w, (uint32_t)sizes[i]);
		for (j = 0; j < sizes[i]; j++)
			wbuf_put_u8(&w, (uint8_t)(i + j));
	}
	ck_assert(!wbuf_error(&w));
	big_read_off = 0;
	mrt_reader_init(&rd, big_read, &w, NULL, NULL);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(mrt_next(&rd, &rec), 1);
		ck_assert_uint_eq(rec.len, sizes[i]);
		ck_assert_uint_eq(
		    rec.body[sizes[i] - 1], (uint8_t)(i + sizes[i] - 1));
	}
	ck_assert_int_eq(mrt_next(&rd, &rec), 0);
	ck_assert_uint_eq(rd.stats.warnings, 0);
	mrt_reader_free(&rd);
	wbuf_free(&w);
}
END_TEST

/*
 * Garbage between two records: a few octets, a search window less one,
 * and 3 MiB of octets that never look like a header (more than the buffer
 * the reader starts with, which must not grow for it): skipped and
 * counted in one resynchronisation, both records found.
 */
START_TEST(test_frame_long_garbage)
{
	static const size_t glen[] = { 3u << 20, 5, 256 * 1024 - 1 };
	uint8_t rec[R_LEN];
	struct mrt_reader rd;
	struct mrt_record r;
	struct wbuf w;
	size_t i = (size_t)_i, j;
	uint32_t x = 12345;

	ck_assert_uint_eq(testutil_unhex(R1, rec, sizeof(rec)), R_LEN);
	wbuf_init_dyn(&w, 0);
	wbuf_put_bytes(&w, rec, R_LEN);
	for (j = 0; j < glen[i]; j++) {
		x = x * 1103515245u + 12345u; /* deterministic garbage */
		wbuf_put_u8(&w, i == 0 ? 0xff : (uint8_t)(x >> 24));
	}
	ck_assert_uint_eq(testutil_unhex(R2, rec, sizeof(rec)), R_LEN);
	wbuf_put_bytes(&w, rec, R_LEN);
	ck_assert(!wbuf_error(&w));
	big_read_off = 0;
	mrt_reader_init(&rd, big_read, &w, NULL, NULL);
	ck_assert_int_eq(mrt_next(&rd, &r), 1);
	ck_assert_uint_eq(r.off, 0);
	ck_assert_int_eq(mrt_next(&rd, &r), 1);
	ck_assert_uint_eq(r.off, R_LEN + glen[i]);
	ck_assert_int_eq(mrt_next(&rd, &r), 0);
	ck_assert_uint_eq(rd.stats.skipped, glen[i]);
	ck_assert_uint_eq(rd.stats.resyncs, 1);
	/* Lookahead for a wild length may grow it, but only so far. */
	ck_assert_uint_le(rd.cap, i == 0 ? 2u << 20 : 2 * MRT_MAX_LEN);
	mrt_reader_free(&rd);
	wbuf_free(&w);
}
END_TEST

/*
 * Every stream made by flipping, zeroing or cutting octets of a valid one
 * is read to its end; records handed out lie inside the input and every
 * octet is either in a record, skipped or cut off.
 */
START_TEST(test_frame_mutated)
{
	static uint8_t good[512], buf[512];
	size_t glen = testutil_unhex(R1 TD_SHORT R2 R3, good, sizeof(good)),
	       len, k;
	struct mrt_reader rd;
	struct mrt_record rec;
	uint64_t used;
	uint32_t x = (uint32_t)_i * 2654435761u + 1;
	int m;

	for (m = 0; m < 8; m++) { /* 8 mutants per run: fewer forks */
		memcpy(buf, good, glen);
		len = glen;
		for (k = 0; k < 4; k++) {
			x = x * 1103515245u + 12345u;
			buf[(x >> 8) % len] ^= (uint8_t)(1u << (x % 8));
		}
		if (m % 3 == 0)
			len -= (x >> 4) % len;
		mrt_reader_init_mem(&rd, buf, len, NULL, NULL);
		used = 0;
		while (mrt_next(&rd, &rec) == 1) {
			ck_assert(rec.body >= rd.buf &&
			    rec.body + rec.len <= rd.buf + rd.end);
			used +=
			    rec.body + rec.len - (rd.buf + (rec.off - rd.base));
		}
		ck_assert_uint_eq(rd.start, rd.end);
		ck_assert_uint_le(used + rd.stats.skipped, len);
		mrt_reader_free(&rd);
	}
}
END_TEST

static void
rec_make(struct mrt_record *rec, uint16_t type, uint16_t subtype,
    const uint8_t *body, size_t len)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = type;
	rec->subtype = subtype;
	rec->body = body;
	rec->len = len;
}

#define V6A "20010db8000000000000000000000001"
#define V6B "20010db8000000000000000000000002"

/* BGP4MP / BGP4MP_ET / BGP (type 5) bodies: every subtype. */
static const struct {
	const char *name;
	uint16_t type;
	uint16_t subtype;
	const char *hex;
	bool is_state, as4, local, addpath, no_addr;
	uint16_t afi;
	uint32_t peer_as, local_as;
	const char *peer_ip;
	uint16_t old_state, new_state;
	uint8_t msgtype;
} msgs[] = {
	{ "STATE_CHANGE", 16, 0,
	    "fde8 fde9 0000 0001 c0000201 c0000202 0001 0002", true, false,
	    false, false, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 1, 2, 0 },
	{ "STATE_CHANGE_AS4 IPv6", 16, 5,
	    "0001fbd0 0000fde9 0000 0002 " V6A V6B " 0006 0001", true, true,
	    false, false, false, AFI_IPV6, 130000, 65001, "2001:db8::1", 6, 1,
	    0 },
	{ "STATE_CHANGE Zebra 8 octets", 16, 0, "0d05 3071 0003 0004", true,
	    false, false, false, true, AFI_IPV4, 3333, 12401, "0.0.0.0", 3, 4,
	    0 },
	{ "STATE_CHANGE Quagga Clearing", 17, 0,
	    "fde8 fde9 0000 0001 c0000201 c0000202 0007 0001", true, false,
	    false, false, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 7, 1, 0 },
	{ "MESSAGE", 16, 1, "fde8 fde9 0000 0001 c0000201 c0000202 " KA_MSG,
	    false, false, false, false, false, AFI_IPV4, 65000, 65001,
	    "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_AS4", 16, 4, KA_AS4, false, true, false, false, false,
	    AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_AS4 IPv6", 17, 4,
	    "0000fde8 0000fde9 0000 0002 " V6A V6B " " KA_MSG, false, true,
	    false, false, false, AFI_IPV6, 65000, 65001, "2001:db8::1", 0, 0,
	    4 },
	{ "MESSAGE_LOCAL", 16, 6,
	    "fde8 fde9 0000 0001 c0000201 c0000202 " KA_MSG, false, false, true,
	    false, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_AS4_LOCAL", 16, 7, KA_AS4, false, true, true, false, false,
	    AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_ADDPATH", 16, 8,
	    "fde8 fde9 0000 0001 c0000201 c0000202 " KA_MSG, false, false,
	    false, true, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_AS4_ADDPATH", 16, 9, KA_AS4, false, true, false, true, false,
	    AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_LOCAL_ADDPATH", 16, 10,
	    "fde8 fde9 0000 0001 c0000201 c0000202 " KA_MSG, false, false, true,
	    true, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "MESSAGE_AS4_LOCAL_ADDPATH", 17, 11, KA_AS4, false, true, true, true,
	    false, AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	/* Zebra wrote OPENs without ifindex, AFI and addresses. */
	{ "MESSAGE Zebra OPEN", 16, 1,
	    "0000 0000 ffff ffff ffffffffffffffffffffffff 001d 01 04 3066 00b4 "
	    "d432a1c7 00",
	    false, false, false, false, true, AFI_IPV4, 0, 0, "0.0.0.0", 0, 0,
	    1 },
	{ "BGP UPDATE", 5, 1, "fde8 c0000201 fde9 c0000202 0000 0000", false,
	    false, false, false, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 0,
	    0, 2 },
	{ "BGP KEEPALIVE", 5, 7, "fde8 c0000201 fde9 c0000202", false, false,
	    false, false, false, AFI_IPV4, 65000, 65001, "192.0.2.1", 0, 0, 4 },
	{ "BGP STATE_CHANGE", 5, 3, "fde8 c0000201 0005 0006", true, false,
	    false, false, false, AFI_IPV4, 65000, 0, "192.0.2.1", 5, 6, 0 },
};

static int
msg_parse(uint16_t type, uint16_t subtype, const uint8_t *p, size_t len,
    struct mrt_bgp4mp *m)
{
	struct mrt_record rec;
	const char *why = NULL;
	int r;

	rec_make(&rec, type, subtype, p, len);
	r = type == MRT_BGP ? mrt_bgp_parse(&rec, m, &why)
	                    : mrt_bgp4mp_parse(&rec, m, &why);
	if (r == -1)
		ck_assert_ptr_nonnull(why);
	return r;
}

START_TEST(test_msg)
{
	uint8_t p[256], want[16];
	size_t len = testutil_unhex(msgs[_i].hex, p, sizeof(p));
	struct mrt_bgp4mp m;
	uint8_t afi;

	ck_assert_msg(
	    msg_parse(msgs[_i].type, msgs[_i].subtype, p, len, &m) == 0, "%s",
	    msgs[_i].name);
	ck_assert(m.is_state == msgs[_i].is_state);
	ck_assert(m.as4 == msgs[_i].as4);
	ck_assert(m.local == msgs[_i].local);
	ck_assert(m.addpath == msgs[_i].addpath);
	ck_assert(m.no_addr == msgs[_i].no_addr);
	ck_assert_uint_eq(m.afi, msgs[_i].afi);
	ck_assert_uint_eq(m.peer_as, msgs[_i].peer_as);
	ck_assert_uint_eq(m.local_as, msgs[_i].local_as);
	ck_assert_int_eq(addr_parse(msgs[_i].peer_ip, &afi, want), 0);
	ck_assert_uint_eq(afi, m.afi);
	ck_assert_mem_eq(m.peer_ip, want, 16);
	if (m.is_state) {
		ck_assert_uint_eq(m.old_state, msgs[_i].old_state);
		ck_assert_uint_eq(m.new_state, msgs[_i].new_state);
		return;
	}
	ck_assert_uint_eq(m.msgtype, msgs[_i].msgtype);
	ck_assert(m.has_hdr == (msgs[_i].type != MRT_BGP));
	ck_assert_ptr_nonnull(m.msg);
	ck_assert(m.msg >= p && m.msg + m.msglen == p + len);
}
END_TEST

START_TEST(test_msg_truncated)
{
	uint8_t p[256], q[256];
	size_t len = testutil_unhex(msgs[_i].hex, p, sizeof(p)), k, fixed;
	struct mrt_bgp4mp m;

	/* Type BGP messages carry no length: only the fixed part counts. */
	fixed = msgs[_i].type == MRT_BGP && !msgs[_i].is_state ? 12 : len;
	for (k = 0; k < fixed; k++) {
		/* 8 octets of STATE_CHANGE are the Zebra form, not a cut. */
		if (msgs[_i].is_state && !msgs[_i].as4 && k == 8 &&
		    msgs[_i].type != MRT_BGP)
			continue;
		/* A copy of exactly k octets: ASan sees any over-read. */
		memcpy(q, p, k);
		ck_assert_msg(
		    msg_parse(msgs[_i].type, msgs[_i].subtype, q, k, &m) == -1,
		    "%s: prefix of %zu octets accepted", msgs[_i].name, k);
	}
}
END_TEST

/* Bodies every BGP4MP decoder must refuse. */
static const struct {
	const char *name;
	uint16_t type;
	uint16_t subtype;
	const char *hex;
} bad_msgs[] = {
	{ "ENTRY", 16, 2, "fde8 fde9 0000 0001 c0000201 c0000202 0001 0002" },
	{ "SNAPSHOT", 16, 3, "fde8 fde9 0000 0001 c0000201 c0000202 0001" },
	{ "subtype 12", 16, 12, KA_AS4 },
	{ "AFI 3", 16, 1, "fde8 fde9 0000 0003 c0000201 c0000202 " KA_MSG },
	{ "state with extra octets", 16, 0,
	    "fde8 fde9 0000 0001 c0000201 c0000202 0001 0002 00" },
	{ "message length past the record", 16, 4,
	    "0000fde8 0000fde9 0000 0001 c0000201 c0000202 "
	    "ffffffffffffffffffffffffffffffff 0014 04" },
	{ "BGP PREF_UPDATE", 5, 2, "fde8 c0000201 fde9 c0000202" },
	{ "BGP SYNC", 5, 4, "fde8 c0000201 fde9 c0000202" },
	{ "wrong type", 13, 1, KA_AS4 },
};

START_TEST(test_msg_bad)
{
	uint8_t p[256];
	size_t len = testutil_unhex(bad_msgs[_i].hex, p, sizeof(p));
	struct mrt_bgp4mp m;

	ck_assert_msg(msg_parse(bad_msgs[_i].type, bad_msgs[_i].subtype, p, len,
	                  &m) == -1,
	    "%s", bad_msgs[_i].name);
}
END_TEST

#define PEERS                                                                  \
	"c0000201 0004 74657374 0002 "                                         \
	"00 c0000201 c0000201 fde8 "                                           \
	"03 c0000202 " V6B " 0001fbd0"

START_TEST(test_peers)
{
	uint8_t p[128], want[16];
	size_t len = testutil_unhex(PEERS, p, sizeof(p)), k;
	struct mrt_peers t;
	struct mrt_record rec;
	const char *why;
	uint8_t afi;

	memset(&t, 0, sizeof(t));
	rec_make(&rec, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE, p, len);
	ck_assert_int_eq(mrt_peers_parse(&rec, &t, &why), 0);
	ck_assert(t.valid);
	ck_assert_str_eq(t.view, "test");
	ck_assert_uint_eq(t.collector_id, 0xc0000201);
	ck_assert_uint_eq(t.count, 2);
	ck_assert_uint_eq(t.peer[0].afi, AFI_IPV4);
	ck_assert_uint_eq(t.peer[0].as, 65000);
	ck_assert_uint_eq(t.peer[1].afi, AFI_IPV6);
	ck_assert_uint_eq(t.peer[1].as, 130000);
	ck_assert_uint_eq(t.peer[1].bgp_id, 0xc0000202);
	ck_assert_int_eq(addr_parse("2001:db8::2", &afi, want), 0);
	ck_assert_mem_eq(t.peer[1].ip, want, 16);
	/* Truncation: every proper prefix is refused, the table invalid. */
	for (k = 0; k < len; k++) {
		rec_make(
		    &rec, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE, p, k);
		ck_assert_int_eq(mrt_peers_parse(&rec, &t, &why), -1);
		ck_assert(!t.valid);
		ck_assert_uint_eq(t.count, 0);
	}
	mrt_peers_free(&t);
}
END_TEST

#define ENTRY(pathid) "0001 5e0be100 " pathid "0004 40010100"

/* TABLE_DUMP_V2 RIB records of every subtype (§4.3, RFC 8050 §4). */
static const struct {
	const char *name;
	uint16_t subtype;
	const char *hex;
	uint16_t afi;
	uint8_t safi;
	bool addpath;
	const char *prefix;
	unsigned entries;
	uint32_t path_id; /* of the last entry */
} ribs[] = {
	{ "RIB_IPV4_UNICAST", 2, "00000001 18 c00002 0001 " ENTRY(""), AFI_IPV4,
	    SAFI_UNICAST, false, "192.0.2.0/24", 1, 0 },
	{ "RIB_IPV4_MULTICAST", 3,
	    "00000001 18 c00002 0002 " ENTRY("") ENTRY(""), AFI_IPV4,
	    SAFI_MULTICAST, false, "192.0.2.0/24", 2, 0 },
	{ "RIB_IPV6_UNICAST", 4, "00000002 20 20010db8 0001 " ENTRY(""),
	    AFI_IPV6, SAFI_UNICAST, false, "2001:db8::/32", 1, 0 },
	{ "RIB_IPV6_MULTICAST", 5, "00000002 20 20010db8 0001 " ENTRY(""),
	    AFI_IPV6, SAFI_MULTICAST, false, "2001:db8::/32", 1, 0 },
	{ "RIB_GENERIC IPv4", 6, "00000003 0001 01 18 c00002 0001 " ENTRY(""),
	    AFI_IPV4, SAFI_UNICAST, false, "192.0.2.0/24", 1, 0 },
	{ "RIB_IPV4_UNICAST_ADDPATH", 8,
	    "00000001 18 c00002 0002 " ENTRY("00000001 ") ENTRY("0000002a "),
	    AFI_IPV4, SAFI_UNICAST, true, "192.0.2.0/24", 2, 42 },
	{ "RIB_IPV4_MULTICAST_ADDPATH", 9,
	    "00000001 18 c00002 0001 " ENTRY("00000007 "), AFI_IPV4,
	    SAFI_MULTICAST, true, "192.0.2.0/24", 1, 7 },
	{ "RIB_IPV6_UNICAST_ADDPATH", 10,
	    "00000002 30 20010db80028 0001 " ENTRY("0000003b "), AFI_IPV6,
	    SAFI_UNICAST, true, "2001:db8:28::/48", 1, 59 },
	{ "RIB_IPV6_MULTICAST_ADDPATH", 11,
	    "00000002 20 20010db8 0001 " ENTRY("00000001 "), AFI_IPV6,
	    SAFI_MULTICAST, true, "2001:db8::/32", 1, 1 },
	{ "RIB_GENERIC_ADDPATH IPv6", 12,
	    "00000003 0002 01 20 20010db8 0001 " ENTRY("00000009 "), AFI_IPV6,
	    SAFI_UNICAST, true, "2001:db8::/32", 1, 9 },
	{ "no entries", 2, "00000001 18 c00002 0000", AFI_IPV4, SAFI_UNICAST,
	    false, "192.0.2.0/24", 0, 0 },
};

/* Walk a RIB body: entries, or -1 when refused anywhere. */
static int
rib_walk(uint16_t subtype, const uint8_t *p, size_t len, struct mrt_rib *rib,
    uint32_t *path_id)
{
	struct mrt_record rec;
	struct mrt_rib_entry e;
	const char *why;
	int n = 0, r;

	rec_make(&rec, MRT_TABLE_DUMP_V2, subtype, p, len);
	if (mrt_rib_parse(&rec, rib, &why) == -1)
		return -1;
	while ((r = mrt_rib_next(rib, &e, &why)) == 1) {
		ck_assert_uint_eq(e.peer_index, 1);
		ck_assert_uint_eq(e.originated, 0x5e0be100);
		ck_assert_uint_eq(e.attrlen, 4);
		ck_assert(e.attrs >= p && e.attrs + e.attrlen <= p + len);
		*path_id = e.path_id;
		n++;
	}
	return r == -1 ? -1 : n;
}

START_TEST(test_rib)
{
	uint8_t p[256];
	size_t len = testutil_unhex(ribs[_i].hex, p, sizeof(p));
	char buf[PREFIX_STRLEN];
	struct mrt_rib rib;
	uint32_t path_id = 0;

	ck_assert_int_eq(rib_walk(ribs[_i].subtype, p, len, &rib, &path_id),
	    (int)ribs[_i].entries);
	ck_assert_uint_eq(rib.afi, ribs[_i].afi);
	ck_assert_uint_eq(rib.safi, ribs[_i].safi);
	ck_assert(rib.addpath == ribs[_i].addpath);
	ck_assert(rib.decoded);
	ck_assert_str_eq(
	    prefix_fmt(&rib.prefix, buf, sizeof(buf)), ribs[_i].prefix);
	ck_assert_uint_eq(path_id, ribs[_i].path_id);
}
END_TEST

START_TEST(test_rib_truncated)
{
	uint8_t p[256], q[256];
	size_t len = testutil_unhex(ribs[_i].hex, p, sizeof(p)), k;
	struct mrt_rib rib;
	uint32_t path_id;

	for (k = 0; k < len; k++) {
		memcpy(q, p, k);
		ck_assert_msg(
		    rib_walk(ribs[_i].subtype, q, k, &rib, &path_id) == -1,
		    "%s: prefix of %zu octets accepted", ribs[_i].name, k);
	}
}
END_TEST

/* RIB bodies to refuse. */
static const struct {
	const char *name;
	uint16_t subtype;
	const char *hex;
} bad_ribs[] = {
	{ "PEER_INDEX_TABLE is no RIB", 1, "00000001 18 c00002 0000" },
	{ "GEO_PEER_TABLE is no RIB", 7, "00000001 18 c00002 0000" },
	{ "subtype 13", 13, "00000001 18 c00002 0000" },
	{ "prefix /33", 2, "00000001 21 c0000201ff 0000" },
	{ "GENERIC L2VPN", 6, "00000001 0019 46 18 c00002 0000" },
	{ "octets after the entries", 2,
	    "00000001 18 c00002 0001 " ENTRY("") "00" },
	{ "attributes past the end", 2,
	    "00000001 18 c00002 0001 0001 5e0be100 0005 40010100" },
};

START_TEST(test_rib_bad)
{
	uint8_t p[256];
	size_t len = testutil_unhex(bad_ribs[_i].hex, p, sizeof(p));
	struct mrt_rib rib;
	uint32_t path_id;

	ck_assert_msg(
	    rib_walk(bad_ribs[_i].subtype, p, len, &rib, &path_id) == -1, "%s",
	    bad_ribs[_i].name);
}
END_TEST

#define TD4(pfx, peer) pfx " 18 01 5e0be100 " peer " fde8 0004 40010100"

/* TABLE_DUMP (§4.2), with the batched entries of early RIS files. */
static const struct {
	const char *name;
	uint16_t subtype;
	const char *hex;
	unsigned entries;
	const char *prefix; /* of the last entry */
	const char *peer;
} tds[] = {
	{ "AFI_IPv4", 1, "0000 0001 " TD4("c0000200", "c0000201"), 1,
	    "192.0.2.0/24", "192.0.2.1" },
	{ "AFI_IPv6", 2,
	    "0000 0001 20010db8000000000000000000000000 20 01 5e0be100 " V6A
	    " fde8 0004 40010100",
	    1, "2001:db8::/32", "2001:db8::1" },
	{ "batched, RIS 2000.01", 1,
	    "0000 0000 " TD4("c0000200", "c0000201")
	        TD4("c6336400", "c0000202"),
	    2, "198.51.100.0/24", "192.0.2.2" },
};

static int
td_walk(
    uint16_t subtype, const uint8_t *p, size_t len, struct mrt_td_entry *last)
{
	struct mrt_record rec;
	struct mrt_td td;
	const char *why;
	int n = 0, r;

	rec_make(&rec, MRT_TABLE_DUMP, subtype, p, len);
	if (mrt_td_init(&rec, &td, &why) == -1)
		return -1;
	while ((r = mrt_td_next(&td, last, &why)) == 1) {
		ck_assert_uint_eq(last->peer_as, 65000);
		ck_assert_uint_eq(last->status, 1);
		ck_assert_uint_eq(last->attrlen, 4);
		n++;
	}
	return r == -1 ? -1 : n;
}

START_TEST(test_td)
{
	uint8_t p[256], want[16];
	size_t len = testutil_unhex(tds[_i].hex, p, sizeof(p));
	char buf[PREFIX_STRLEN];
	struct mrt_td_entry e;
	uint8_t afi;

	ck_assert_int_eq(
	    td_walk(tds[_i].subtype, p, len, &e), (int)tds[_i].entries);
	ck_assert_str_eq(
	    prefix_fmt(&e.prefix, buf, sizeof(buf)), tds[_i].prefix);
	ck_assert_int_eq(addr_parse(tds[_i].peer, &afi, want), 0);
	ck_assert_mem_eq(e.peer_ip, want, 16);
}
END_TEST

START_TEST(test_td_truncated)
{
	uint8_t p[256], q[256];
	size_t len = testutil_unhex(tds[_i].hex, p, sizeof(p)), k;
	struct mrt_td_entry e;
	int n;

	for (k = 0; k < len; k++) {
		memcpy(q, p, k);
		n = td_walk(tds[_i].subtype, q, k, &e);
		/* A batched record cut between entries is a shorter one. */
		ck_assert_msg(n == -1 || (unsigned)n < tds[_i].entries,
		    "%s: prefix of %zu octets accepted", tds[_i].name, k);
		if (tds[_i].entries == 1)
			ck_assert_int_eq(n, -1);
	}
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(mrt_type_name(MRT_TABLE_DUMP_V2), "TABLE_DUMP_V2");
	ck_assert_str_eq(mrt_type_name(MRT_BGP4MP_ET), "BGP4MP_ET");
	ck_assert_str_eq(mrt_type_name(MRT_BGP), "BGP");
	ck_assert_str_eq(mrt_type_name(MRT_OSPFV2), "OSPFv2");
	ck_assert_ptr_null(mrt_type_name(14));
	ck_assert_ptr_null(mrt_type_name(0));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
mrt_suite(void)
{
	Suite *s = suite_create("mrt");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60); /* megabytes of garbage under ASan */

	tcase_add_loop_test(tc, test_hdr, 0, N(hdrs));
	tcase_add_loop_test(tc, test_frame, 0, N(frames));
	tcase_add_test(tc, test_frame_et);
	tcase_add_loop_test(tc, test_frame_cut, 0, 3 * R_LEN + 1);
	tcase_add_test(tc, test_frame_big);
	tcase_add_loop_test(tc, test_frame_long_garbage, 0, 3);
	tcase_add_loop_test(tc, test_frame_mutated, 0, 40);
	tcase_add_loop_test(tc, test_msg, 0, N(msgs));
	tcase_add_loop_test(tc, test_msg_truncated, 0, N(msgs));
	tcase_add_loop_test(tc, test_msg_bad, 0, N(bad_msgs));
	tcase_add_test(tc, test_peers);
	tcase_add_loop_test(tc, test_rib, 0, N(ribs));
	tcase_add_loop_test(tc, test_rib_truncated, 0, N(ribs));
	tcase_add_loop_test(tc, test_rib_bad, 0, N(bad_ribs));
	tcase_add_loop_test(tc, test_td, 0, N(tds));
	tcase_add_loop_test(tc, test_td_truncated, 0, N(tds));
	tcase_add_test(tc, test_type_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mrt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
