/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT record framing with resynchronisation, and the record body
 * decoders; see mrt.h for the contracts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrt.h"

/* Smallest read handed to the callback, and the first buffer size. */
#define MRT_CHUNK (256u * 1024)

/*
 * Per-type framing rules (RFC 6396 §4 and Appendix B), indexed by type:
 * an entry without a name is a type we do not know.
 */
struct mrt_type_rule {
	uint16_t sub_min;
	uint16_t sub_max;
	uint16_t min_len;
	const char *name;
};

static const struct mrt_type_rule mrt_rules[] = {
	[MRT_START] = { 0, 255, 0, "START" },
	[MRT_DIE] = { 0, 255, 0, "DIE" },
	[MRT_I_AM_DEAD] = { 0, 255, 0, "I_AM_DEAD" },
	[MRT_PEER_DOWN] = { 0, 255, 0, "PEER_DOWN" },
	[MRT_BGP] = { 0, 7, 0, "BGP" },
	[MRT_RIP] = { 0, 255, 0, "RIP" },
	[MRT_IDRP] = { 0, 255, 0, "IDRP" },
	[MRT_RIPNG] = { 0, 255, 0, "RIPNG" },
	[MRT_BGP4PLUS] = { 0, 7, 0, "BGP4PLUS" },
	[MRT_BGP4PLUS_01] = { 0, 7, 0, "BGP4PLUS_01" },
	[MRT_OSPFV2] = { 0, 255, 0, "OSPFv2" },
	/* §4.2: view, seq, prefix, length, status, time, peer, AS, attrlen */
	[MRT_TABLE_DUMP] = { 1, 2, 22, "TABLE_DUMP" },
	[MRT_TABLE_DUMP_V2] = { 1, 12, 4, "TABLE_DUMP_V2" },
	/* §4.4: two AS numbers and two state octets at least (Zebra) */
	[MRT_BGP4MP] = { 0, 11, 8, "BGP4MP" },
	[MRT_BGP4MP_ET] = { 0, 11, 12, "BGP4MP_ET" },
	[MRT_ISIS] = { 0, 255, 0, "ISIS" },
	[MRT_ISIS_ET] = { 0, 255, 4, "ISIS_ET" },
	[MRT_OSPFV3] = { 0, 255, 0, "OSPFv3" },
	[MRT_OSPFV3_ET] = { 0, 255, 4, "OSPFv3_ET" },
};

static const struct mrt_type_rule *
mrt_rule(uint16_t type)
{
	if (type >= sizeof(mrt_rules) / sizeof(mrt_rules[0]) ||
	    mrt_rules[type].name == NULL)
		return NULL;
	return &mrt_rules[type];
}

const char *
mrt_type_name(uint16_t type)
{
	const struct mrt_type_rule *rule = mrt_rule(type);

	return rule == NULL ? NULL : rule->name;
}

static bool
mrt_type_has_usec(uint16_t type)
{
	/* RFC 6396 §3: Extended Timestamp types. */
	return type == MRT_BGP4MP_ET || type == MRT_ISIS_ET ||
	    type == MRT_OSPFV3_ET;
}

/* Decode the 12 header octets at p (the caller made sure they exist). */
static void
mrt_hdr_fields(const uint8_t *p, uint32_t *ts, uint16_t *type,
    uint16_t *subtype, uint32_t *len)
{
	struct rbuf r;

	rbuf_init(&r, p, MRT_HDR_LEN);
	if (rbuf_get_u32(&r, ts) == -1 || rbuf_get_u16(&r, type) == -1 ||
	    rbuf_get_u16(&r, subtype) == -1 || rbuf_get_u32(&r, len) == -1)
		abort(); /* unreachable: 12 octets were handed in */
}

bool
mrt_hdr_plausible(const uint8_t *p)
{
	const struct mrt_type_rule *rule;
	uint32_t ts, len;
	uint16_t type, subtype;

	mrt_hdr_fields(p, &ts, &type, &subtype, &len);
	if ((rule = mrt_rule(type)) == NULL)
		return false;
	return subtype >= rule->sub_min && subtype <= rule->sub_max &&
	    len >= rule->min_len && len <= MRT_MAX_LEN;
}

static void mrt_warn(struct mrt_reader *rd, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
mrt_warn(struct mrt_reader *rd, uint64_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	rd->stats.warnings++;
	if (rd->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->warn(rd->warn_arg, off, msg);
}

static ssize_t
mrt_mem_read(void *arg, void *buf, size_t len)
{
	struct mrt_reader *rd = arg;
	size_t n = rd->mem.len - rd->mem.off;

	if (n > len)
		n = len;
	memcpy(buf, rd->mem.p + rd->mem.off, n);
	rd->mem.off += n;
	return (ssize_t)n;
}

void
mrt_reader_init(struct mrt_reader *rd, mrt_read_fn fn, void *arg,
    mrt_warn_fn warn, void *warn_arg)
{
	memset(rd, 0, sizeof(*rd));
	rd->read = fn;
	rd->arg = arg;
	rd->warn = warn;
	rd->warn_arg = warn_arg;
}

void
mrt_reader_init_mem(struct mrt_reader *rd, const void *p, size_t len,
    mrt_warn_fn warn, void *warn_arg)
{
	mrt_reader_init(rd, mrt_mem_read, rd, warn, warn_arg);
	rd->mem.p = p;
	rd->mem.len = p == NULL ? 0 : len;
}

void
mrt_reader_free(struct mrt_reader *rd)
{
	free(rd->buf);
	rd->buf = NULL;
	rd->cap = rd->start = rd->end = 0;
}

/* Make room for need octets from buf[start]: compact, then grow. */
static int
mrt_room(struct mrt_reader *rd, size_t need)
{
	size_t ncap;
	uint8_t *nbuf;

	if (rd->start > 0 && rd->cap - rd->start < need + MRT_CHUNK) {
		memmove(rd->buf, rd->buf + rd->start, rd->end - rd->start);
		rd->base += rd->start;
		rd->end -= rd->start;
		rd->start = 0;
	}
	if (rd->cap >= need + MRT_CHUNK)
		return 0;
	ncap = rd->cap == 0 ? 4 * MRT_CHUNK : rd->cap;
	while (ncap < need + MRT_CHUNK)
		ncap *= 2;
	if ((nbuf = realloc(rd->buf, ncap)) == NULL)
		return -1;
	rd->buf = nbuf;
	rd->cap = ncap;
	return 0;
}

/*
 * Make need octets available from buf[start]. Returns 1 when they are,
 * 0 when the input ended first, -1 when out of memory.
 */
static int
mrt_fill(struct mrt_reader *rd, size_t need)
{
	ssize_t n;

	while (rd->end - rd->start < need && !rd->eof) {
		if (mrt_room(rd, need) == -1)
			return -1;
		n = rd->read(rd->arg, rd->buf + rd->end, rd->cap - rd->end);
		if (n < 0) {
			mrt_warn(rd, rd->base + rd->end, MRT_INPUT_ERROR);
			rd->eof = true;
		} else if (n == 0)
			rd->eof = true;
		else
			rd->end += (size_t)n;
	}
	return rd->end - rd->start >= need ? 1 : 0;
}

static bool
mrt_ts_near(const struct mrt_reader *rd, const uint8_t *p)
{
	uint32_t ts, len;
	uint16_t type, subtype;

	if (!rd->have_ts)
		return true;
	mrt_hdr_fields(p, &ts, &type, &subtype, &len);
	if (rd->ts_min > MRT_RESYNC_SLACK && ts < rd->ts_min - MRT_RESYNC_SLACK)
		return false;
	return ts <= rd->ts_max || ts - rd->ts_max <= MRT_RESYNC_SLACK;
}

/*
 * Is there a believable record at buf[start + at]? 1 yes, 0 no, -1 out
 * of memory. Believable: plausible header, timestamp near those seen,
 * and the end of input or another such header right after it.
 */
static int
mrt_candidate(struct mrt_reader *rd, size_t at)
{
	const uint8_t *p = rd->buf + rd->start + at;
	uint32_t ts, len;
	uint16_t type, subtype;
	size_t next;
	int r;

	if (!mrt_hdr_plausible(p) || !mrt_ts_near(rd, p))
		return 0;
	mrt_hdr_fields(p, &ts, &type, &subtype, &len);
	next = at + MRT_HDR_LEN + len;
	if ((r = mrt_fill(rd, next + MRT_HDR_LEN)) == -1)
		return -1;
	if (r == 0)
		return rd->end - rd->start == next;
	p = rd->buf + rd->start + next;
	return mrt_hdr_plausible(p) && mrt_ts_near(rd, p);
}

/*
 * Find the first offset in [from, to) from buf[start] at which a
 * believable record starts: 1 with *at set, 0 when there is none before
 * to or the end of input, -1 when out of memory.
 */
static int
mrt_scan(struct mrt_reader *rd, size_t from, size_t to, size_t *at)
{
	size_t skip;
	int r;

	for (skip = from; skip < to; skip++) {
		if ((r = mrt_fill(rd, skip + MRT_HDR_LEN)) != 1)
			return r;
		if ((r = mrt_candidate(rd, skip)) != 0) {
			*at = skip;
			return r;
		}
	}
	return 0;
}

/* Skip n octets of damage found at buf[start]. */
static void
mrt_skip(struct mrt_reader *rd, size_t n, const char *what)
{
	mrt_warn(rd, rd->base + rd->start,
	    "%s; skipped %zu octets to the next plausible record header", what,
	    n);
	rd->stats.resyncs++;
	rd->stats.skipped += n;
	rd->start += n;
}

/*
 * The header at buf[start] is implausible: skip to the next believable
 * record, or to the end of input. The search goes in windows of
 * MRT_CHUNK octets, dropping each one searched, so a long stretch of
 * garbage is never held in memory. Returns 0, or -1 when out of memory.
 */
static int
mrt_resync(struct mrt_reader *rd)
{
	uint64_t off = rd->base + rd->start;
	size_t at, total = 0;
	int r;

	for (;;) {
		if ((r = mrt_scan(rd, 1, MRT_CHUNK, &at)) == -1)
			return -1;
		if (r == 1) {
			rd->start += at;
			total += at;
			mrt_warn(rd, off,
			    "implausible record header; skipped %zu octets "
			    "to the next plausible record header",
			    total);
			rd->stats.resyncs++;
			rd->stats.skipped += total;
			return 0;
		}
		if (rd->eof && rd->end - rd->start < MRT_CHUNK + MRT_HDR_LEN)
			break; /* the search met the end of input */
		rd->start += MRT_CHUNK - 1;
		total += MRT_CHUNK - 1;
	}
	total += rd->end - rd->start;
	mrt_warn(rd, off,
	    "implausible record header and no plausible one after it; "
	    "skipped the last %zu octets",
	    total);
	rd->stats.resyncs++;
	rd->stats.skipped += total;
	rd->start = rd->end;
	return 0;
}

/*
 * mrt_scan() for a record starting inside the one at buf[start], up to
 * to. Before the first record the timestamps seen are those of this
 * header, so its bytes are not taken for headers of any time at all.
 */
static int
mrt_scan_inside(struct mrt_reader *rd, size_t to, size_t *at)
{
	uint32_t ts, len;
	uint16_t type, subtype;
	bool had = rd->have_ts;
	int r;

	if (!had) {
		mrt_hdr_fields(rd->buf + rd->start, &ts, &type, &subtype, &len);
		rd->ts_min = rd->ts_max = ts;
		rd->have_ts = true;
	}
	r = mrt_scan(rd, 1, to, at);
	rd->have_ts = had;
	return r;
}

/*
 * The record of len body octets at buf[start] is followed by an
 * implausible header. If a believable record starts inside it, its own
 * header is the damaged one (a torn write cut its length field): 1 with
 * *at set. 0 keeps the record, -1 when out of memory.
 */
static int
mrt_torn(struct mrt_reader *rd, size_t len, size_t *at)
{
	size_t end = MRT_HDR_LEN + len;
	int r;

	if ((r = mrt_fill(rd, end + MRT_HDR_LEN)) != 1)
		return r;
	if (mrt_hdr_plausible(rd->buf + rd->start + end))
		return 0;
	return mrt_scan_inside(rd, end, at);
}

/*
 * TABLE_DUMP records of early RIPE RIS files are 4 octets longer than
 * their length field says. Returns the number of octets to add (0 or 4)
 * to the record of len body octets at buf[start], -1 when out of memory.
 */
static int
mrt_td_short(struct mrt_reader *rd, size_t len)
{
	size_t end = MRT_HDR_LEN + len;
	const uint8_t *p;
	int r;

	if ((r = mrt_fill(rd, end + 4 + MRT_HDR_LEN)) == -1)
		return -1;
	if (rd->end - rd->start == end + 4)
		return 4; /* the input ends 4 octets after the record */
	if (r == 0)
		return 0;
	p = rd->buf + rd->start + end;
	if (mrt_hdr_plausible(p) || !mrt_hdr_plausible(p + 4))
		return 0;
	return mrt_ts_near(rd, p + 4) ? 4 : 0;
}

/* Hand out the record of len body octets at buf[start]. */
static void
mrt_emit(struct mrt_reader *rd, struct mrt_record *rec, size_t len)
{
	const uint8_t *p = rd->buf + rd->start;
	uint32_t ts, hlen;
	struct rbuf r;

	memset(rec, 0, sizeof(*rec));
	mrt_hdr_fields(p, &ts, &rec->type, &rec->subtype, &hlen);
	rec->off = rd->base + rd->start;
	rec->ts = ts;
	rbuf_init(&r, p + MRT_HDR_LEN, len);
	if (mrt_type_has_usec(rec->type) && rbuf_get_u32(&r, &rec->usec) == -1)
		abort(); /* unreachable: min_len covers it */
	rec->body = rbuf_ptr(&r);
	rec->len = rbuf_left(&r);
	if (!rd->have_ts || ts < rd->ts_min)
		rd->ts_min = ts;
	if (!rd->have_ts || ts > rd->ts_max)
		rd->ts_max = ts;
	rd->have_ts = true;
	rd->stats.records++;
	if (rec->type < MRT_TYPE_MAX)
		rd->stats.by_type[rec->type]++;
	rd->start += MRT_HDR_LEN + len;
}

/* End of input inside a record or header: warn and drop what is left. */
static int
mrt_cut(struct mrt_reader *rd, size_t want)
{
	size_t have = rd->end - rd->start;

	mrt_warn(rd, rd->base + rd->start,
	    "input ends inside a record: %zu of %zu octets present", have,
	    want);
	rd->stats.truncated++;
	rd->start = rd->end;
	return 0;
}

int
mrt_next(struct mrt_reader *rd, struct mrt_record *rec)
{
	uint32_t ts, len;
	uint16_t type, subtype;
	size_t at;
	int r, extra;

	for (;;) {
		if ((r = mrt_fill(rd, MRT_HDR_LEN)) == -1)
			return -1;
		if (r == 0)
			return rd->start == rd->end ? 0
			                            : mrt_cut(rd, MRT_HDR_LEN);
		if (!mrt_hdr_plausible(rd->buf + rd->start)) {
			if (mrt_resync(rd) == -1)
				return -1;
			continue;
		}
		mrt_hdr_fields(rd->buf + rd->start, &ts, &type, &subtype, &len);
		if ((r = mrt_fill(rd, MRT_HDR_LEN + (size_t)len)) == -1)
			return -1;
		if (r == 0) {
			/* Cut by the end, or a torn length field? */
			r = mrt_scan_inside(rd, rd->end - rd->start, &at);
			if (r == -1)
				return -1;
			if (r == 0)
				return mrt_cut(rd, MRT_HDR_LEN + (size_t)len);
			mrt_skip(rd, at, "damaged record header");
			continue;
		}
		extra = 0;
		if (type == MRT_TABLE_DUMP &&
		    (extra = mrt_td_short(rd, len)) == -1)
			return -1;
		if (extra > 0)
			mrt_warn(rd, rd->base + rd->start,
			    "TABLE_DUMP record length is %d octets short; "
			    "taking them in",
			    extra);
		else if ((r = mrt_torn(rd, len, &at)) == -1)
			return -1;
		else if (r == 1) {
			mrt_skip(rd, at, "damaged record header");
			continue;
		}
		mrt_emit(rd, rec, (size_t)len + (size_t)extra);
		return 1;
	}
}

/* Read an AS number of 2 or 4 octets. */
static int
mrt_get_as(struct rbuf *r, bool as4, uint32_t *as)
{
	uint16_t as2;

	if (as4)
		return rbuf_get_u32(r, as);
	if (rbuf_get_u16(r, &as2) == -1)
		return -1;
	*as = as2;
	return 0;
}

/* Read an address of afi into addr[16] (zero-filled). */
static int
mrt_get_addr(struct rbuf *r, uint16_t afi, uint8_t *addr)
{
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	if (rbuf_get_bytes(r, a, afi == AFI_IPV4 ? 4 : 16) == -1)
		return -1;
	memcpy(addr, a, sizeof(a));
	return 0;
}

/* Subtype flags of BGP4MP (RFC 6396 §4.4, RFC 8050 §3). */
static int
mrt_bgp4mp_kind(uint16_t subtype, struct mrt_bgp4mp *m)
{
	switch (subtype) {
	case MRT_BGP4MP_STATE_CHANGE_AS4:
		m->as4 = true;
		/* FALLTHROUGH */
	case MRT_BGP4MP_STATE_CHANGE:
		m->is_state = true;
		return 0;
	case MRT_BGP4MP_MESSAGE:
		return 0;
	case MRT_BGP4MP_MESSAGE_AS4:
		m->as4 = true;
		return 0;
	case MRT_BGP4MP_MESSAGE_LOCAL:
		m->local = true;
		return 0;
	case MRT_BGP4MP_MESSAGE_AS4_LOCAL:
		m->as4 = m->local = true;
		return 0;
	case MRT_BGP4MP_MESSAGE_ADDPATH:
		m->addpath = true;
		return 0;
	case MRT_BGP4MP_MESSAGE_AS4_ADDPATH:
		m->as4 = m->addpath = true;
		return 0;
	case MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH:
		m->local = m->addpath = true;
		return 0;
	case MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH:
		m->as4 = m->local = m->addpath = true;
		return 0;
	default:
		return -1;
	}
}

/*
 * Point m at the BGP message of a BGP4MP record: the header's length field
 * (RFC 4271 §4.1) must fit in the record; octets after it are left for
 * the message decoder to report.
 */
static int
mrt_msg_set(
    struct mrt_bgp4mp *m, const uint8_t *p, size_t len, const char **why)
{
	struct rbuf r;
	uint16_t mlen;

	rbuf_init(&r, p, len);
	if (rbuf_skip(&r, BGP_MARKER_LEN) == -1 ||
	    rbuf_get_u16(&r, &mlen) == -1 ||
	    rbuf_get_u8(&r, &m->msgtype) == -1) {
		*why = "BGP message shorter than its header";
		return -1;
	}
	if (mlen > len) {
		*why = "BGP message cut short";
		return -1;
	}
	m->has_hdr = true;
	m->msg = p;
	m->msglen = len;
	return 0;
}

/* The part after the AS numbers, ifindex and AFI of a BGP4MP record. */
static int
mrt_bgp4mp_rest(struct rbuf *r, struct mrt_bgp4mp *m, const char **why)
{
	if (m->afi != AFI_IPV4 && m->afi != AFI_IPV6) {
		*why = "unknown address family";
		return -1;
	}
	if (mrt_get_addr(r, m->afi, m->peer_ip) == -1 ||
	    mrt_get_addr(r, m->afi, m->local_ip) == -1)
		goto short_rec;
	if (m->is_state) {
		if (rbuf_get_u16(r, &m->old_state) == -1 ||
		    rbuf_get_u16(r, &m->new_state) == -1)
			goto short_rec;
		if (rbuf_left(r) != 0) {
			*why = "octets after the state change";
			return -1;
		}
		return 0;
	}
	return mrt_msg_set(m, rbuf_ptr(r), rbuf_left(r), why);
short_rec:
	*why = "record too short";
	return -1;
}

int
mrt_bgp4mp_parse(
    const struct mrt_record *rec, struct mrt_bgp4mp *m, const char **why)
{
	struct rbuf r;

	memset(m, 0, sizeof(*m));
	if ((rec->type != MRT_BGP4MP && rec->type != MRT_BGP4MP_ET) ||
	    mrt_bgp4mp_kind(rec->subtype, m) == -1) {
		*why = "not a BGP4MP message or state change";
		return -1;
	}
	rbuf_init(&r, rec->body, rec->len);
	if (mrt_get_as(&r, m->as4, &m->peer_as) == -1 ||
	    mrt_get_as(&r, m->as4, &m->local_as) == -1) {
		*why = "record too short";
		return -1;
	}
	if (m->is_state && !m->as4 && rec->len == 8) {
		/* Zebra wrote no ifindex, AFI or addresses. */
		m->no_addr = true;
		m->afi = AFI_IPV4;
		if (rbuf_get_u16(&r, &m->old_state) == -1 ||
		    rbuf_get_u16(&r, &m->new_state) == -1)
			abort(); /* unreachable: 4 octets are left */
		return 0;
	}
	if (rbuf_get_u16(&r, &m->ifindex) == -1 ||
	    rbuf_get_u16(&r, &m->afi) == -1) {
		*why = "record too short";
		return -1;
	}
	if (!m->is_state && m->ifindex == 0xffff && m->afi == 0xffff &&
	    rbuf_left(&r) >= BGP_HDR_LEN - 4) {
		/*
		 * Zebra wrote an OPEN without ifindex, AFI and addresses:
		 * what we took for them are the first 4 marker octets.
		 */
		m->no_addr = true;
		m->afi = AFI_IPV4;
		m->ifindex = 0;
		return mrt_msg_set(m, rbuf_ptr(&r) - 4, rbuf_left(&r) + 4, why);
	}
	return mrt_bgp4mp_rest(&r, m, why);
}

int
mrt_bgp_parse(
    const struct mrt_record *rec, struct mrt_bgp4mp *m, const char **why)
{
	static const uint8_t msgtype[] = {
		[MRT_BGP_UPDATE] = BGP_MSG_UPDATE,
		[MRT_BGP_OPEN] = BGP_MSG_OPEN,
		[MRT_BGP_NOTIFY] = BGP_MSG_NOTIFICATION,
		[MRT_BGP_KEEPALIVE] = BGP_MSG_KEEPALIVE,
	};
	struct rbuf r;

	memset(m, 0, sizeof(*m));
	if (rec->type != MRT_BGP || rec->subtype >= sizeof(msgtype) ||
	    (rec->subtype != MRT_BGP_STATE_CHANGE &&
	        msgtype[rec->subtype] == 0)) {
		*why = "not a BGP message or state change";
		return -1;
	}
	rbuf_init(&r, rec->body, rec->len);
	m->afi = AFI_IPV4;
	if (mrt_get_as(&r, false, &m->peer_as) == -1 ||
	    mrt_get_addr(&r, AFI_IPV4, m->peer_ip) == -1)
		goto short_rec;
	if (rec->subtype == MRT_BGP_STATE_CHANGE) {
		m->is_state = true;
		if (rbuf_get_u16(&r, &m->old_state) == -1 ||
		    rbuf_get_u16(&r, &m->new_state) == -1)
			goto short_rec;
		return 0;
	}
	if (mrt_get_as(&r, false, &m->local_as) == -1 ||
	    mrt_get_addr(&r, AFI_IPV4, m->local_ip) == -1)
		goto short_rec;
	m->msgtype = msgtype[rec->subtype];
	m->msg = rbuf_ptr(&r);
	m->msglen = rbuf_left(&r);
	return 0;
short_rec:
	*why = "record too short";
	return -1;
}

void
mrt_peers_free(struct mrt_peers *t)
{
	free(t->peer);
	memset(t, 0, sizeof(*t));
}

/* One PEER_INDEX_TABLE entry (§4.3.1): type, BGP ID, address, AS. */
static int
mrt_peer_get(struct rbuf *r, struct mrt_peer *p)
{
	uint8_t type;

	memset(p, 0, sizeof(*p));
	if (rbuf_get_u8(r, &type) == -1 || rbuf_get_u32(r, &p->bgp_id) == -1)
		return -1;
	p->afi = (type & 0x01) ? AFI_IPV6 : AFI_IPV4;
	if (mrt_get_addr(r, p->afi, p->ip) == -1)
		return -1;
	return mrt_get_as(r, (type & 0x02) != 0, &p->as);
}

int
mrt_peers_parse(
    const struct mrt_record *rec, struct mrt_peers *t, const char **why)
{
	struct rbuf r, name;
	uint16_t namelen, i;

	mrt_peers_free(t);
	if (rec->type != MRT_TABLE_DUMP_V2 ||
	    rec->subtype != MRT_TD2_PEER_INDEX_TABLE) {
		*why = "not a PEER_INDEX_TABLE";
		return -1;
	}
	rbuf_init(&r, rec->body, rec->len);
	if (rbuf_get_u32(&r, &t->collector_id) == -1 ||
	    rbuf_get_u16(&r, &namelen) == -1 ||
	    rbuf_get_sub(&r, namelen, &name) == -1 ||
	    rbuf_get_u16(&r, &t->count) == -1)
		goto bad;
	if (namelen >= sizeof(t->view))
		namelen = sizeof(t->view) - 1;
	if (rbuf_get_bytes(&name, t->view, namelen) == -1)
		abort(); /* unreachable: the slice holds them */
	if (t->count > 0 &&
	    (t->peer = calloc(t->count, sizeof(*t->peer))) == NULL) {
		*why = "out of memory";
		t->count = 0;
		return -1;
	}
	for (i = 0; i < t->count; i++)
		if (mrt_peer_get(&r, &t->peer[i]) == -1)
			goto bad;
	t->valid = true;
	return 0;
bad:
	mrt_peers_free(t);
	*why = "PEER_INDEX_TABLE cut short";
	return -1;
}

/* (AFI, SAFI, ADD-PATH) of a RIB subtype; -1 when not a RIB. */
static int
mrt_rib_kind(uint16_t subtype, struct mrt_rib *rib)
{
	static const struct {
		uint16_t afi;
		uint8_t safi;
	} fam[] = {
		{ AFI_IPV4, SAFI_UNICAST }, { AFI_IPV4, SAFI_MULTICAST },
		{ AFI_IPV6, SAFI_UNICAST }, { AFI_IPV6, SAFI_MULTICAST },
		{ 0, 0 }, /* RIB_GENERIC: in the record */
	};
	unsigned i;

	if (subtype >= MRT_TD2_RIB_IPV4_UNICAST &&
	    subtype <= MRT_TD2_RIB_GENERIC)
		i = subtype - MRT_TD2_RIB_IPV4_UNICAST;
	else if (subtype >= MRT_TD2_RIB_IPV4_UNICAST_ADDPATH &&
	    subtype <= MRT_TD2_RIB_GENERIC_ADDPATH) {
		i = subtype - MRT_TD2_RIB_IPV4_UNICAST_ADDPATH;
		rib->addpath = true;
	} else
		return -1;
	rib->afi = fam[i].afi;
	rib->safi = fam[i].safi;
	return 0;
}

int
mrt_rib_parse(
    const struct mrt_record *rec, struct mrt_rib *rib, const char **why)
{
	struct rbuf r;

	memset(rib, 0, sizeof(*rib));
	if (rec->type != MRT_TABLE_DUMP_V2 ||
	    mrt_rib_kind(rec->subtype, rib) == -1) {
		*why = "not a TABLE_DUMP_V2 RIB record";
		return -1;
	}
	rbuf_init(&r, rec->body, rec->len);
	if (rbuf_get_u32(&r, &rib->seq) == -1)
		goto short_rec;
	if (rib->afi == 0 &&
	    (rbuf_get_u16(&r, &rib->afi) == -1 ||
	        rbuf_get_u8(&r, &rib->safi) == -1))
		goto short_rec;
	if (sess_family(rib->afi, rib->safi) == -1) {
		/* §4.3.3: an NLRI we cannot measure without its codec. */
		*why = "RIB_GENERIC of an address family not decoded";
		return -1;
	}
	rib->nlri = rbuf_ptr(&r);
	if (prefix_decode(&r, rib->afi, &rib->prefix) == -1) {
		*why = "bad prefix";
		return -1;
	}
	rib->decoded = true;
	rib->nlrilen = (size_t)(rbuf_ptr(&r) - rib->nlri);
	if (rbuf_get_u16(&r, &rib->count) == -1)
		goto short_rec;
	rib->entries = r;
	return 0;
short_rec:
	*why = "record too short";
	return -1;
}

int
mrt_rib_next(struct mrt_rib *rib, struct mrt_rib_entry *e, const char **why)
{
	struct rbuf *r = &rib->entries;
	uint16_t attrlen;

	if (rib->done == rib->count) {
		if (rbuf_left(r) == 0)
			return 0;
		*why = "octets after the last RIB entry";
		return -1;
	}
	memset(e, 0, sizeof(*e));
	if (rbuf_get_u16(r, &e->peer_index) == -1 ||
	    rbuf_get_u32(r, &e->originated) == -1 ||
	    (rib->addpath && rbuf_get_u32(r, &e->path_id) == -1) ||
	    rbuf_get_u16(r, &attrlen) == -1 || rbuf_left(r) < attrlen) {
		*why = "RIB entry cut short";
		rib->done = rib->count;
		rbuf_init(r, NULL, 0);
		return -1;
	}
	e->attrs = rbuf_ptr(r);
	e->attrlen = attrlen;
	if (rbuf_skip(r, attrlen) == -1)
		abort(); /* unreachable: checked above */
	rib->done++;
	return 1;
}

int
mrt_td_init(const struct mrt_record *rec, struct mrt_td *td, const char **why)
{
	memset(td, 0, sizeof(*td));
	if (rec->type != MRT_TABLE_DUMP ||
	    (rec->subtype != MRT_TD_AFI_IPV4 &&
	        rec->subtype != MRT_TD_AFI_IPV6)) {
		*why = "not a TABLE_DUMP record of a known AFI";
		return -1;
	}
	td->afi = rec->subtype == MRT_TD_AFI_IPV4 ? AFI_IPV4 : AFI_IPV6;
	rbuf_init(&td->r, rec->body, rec->len);
	if (rbuf_get_u16(&td->r, &td->view) == -1 ||
	    rbuf_get_u16(&td->r, &td->seq) == -1) {
		*why = "record too short";
		return -1;
	}
	return 0;
}

int
mrt_td_next(struct mrt_td *td, struct mrt_td_entry *e, const char **why)
{
	struct rbuf *r = &td->r;
	uint16_t attrlen;

	if (rbuf_left(r) == 0) {
		if (td->n > 0)
			return 0;
		*why = "record without an entry";
		return -1;
	}
	memset(e, 0, sizeof(*e));
	e->prefix.afi = (uint8_t)td->afi;
	if (mrt_get_addr(r, td->afi, e->prefix.addr) == -1 ||
	    rbuf_get_u8(r, &e->prefix.len) == -1 ||
	    rbuf_get_u8(r, &e->status) == -1 ||
	    rbuf_get_u32(r, &e->originated) == -1 ||
	    mrt_get_addr(r, td->afi, e->peer_ip) == -1 ||
	    rbuf_get_u16(r, &e->peer_as) == -1 ||
	    rbuf_get_u16(r, &attrlen) == -1 || rbuf_left(r) < attrlen)
		goto cut;
	if (e->prefix.len > (td->afi == AFI_IPV4 ? 32 : 128)) {
		*why = "prefix length too long";
		goto fail;
	}
	e->attrs = rbuf_ptr(r);
	e->attrlen = attrlen;
	if (rbuf_skip(r, attrlen) == -1)
		abort(); /* unreachable: checked above */
	td->n++;
	return 1;
cut:
	*why = "TABLE_DUMP entry cut short";
fail:
	rbuf_init(r, NULL, 0);
	return -1;
}
