/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * `bgpwatchctl mrt [-j] FILE...`: MRT files (RFC 6396) read by lib/mrt.c
 * and decoded by the codec (update_parse(), attr_parse()), printed one
 * line per route or event in the layout of `bgpdump -m`, or with -j as
 * JSON lines; see bgpwatchctl(8).
 *
 * Public: mrt_cmd() (see bgpwatchctl.h).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "bgpwatchctl.h"
#include "json.h"
#include "msg.h"
#include "mrt.h"
#include "mrtfile.h"
#include "prefix.h"
#include "rib.h"
#include "update.h"
#include "wbuf.h"

/* Output is written in pieces of about this size. */
#define MRTCMD_FLUSH (256 * 1024)
/*
 * Text lines are built in a buffer of this size and written from it: a
 * record's lines (a RIB record can have hundreds) usually fit in what is
 * left over MRTCMD_FLUSH, so the text is not copied on its way out.
 */
#define MRTCMD_TEXT_BUF (MRTCMD_FLUSH + 64 * 1024)
/* bgpdump prints this for a route without a next hop (INADDR_NONE). */
#define MRTCMD_NO_NH "255.255.255.255"
/* The memo of RIB entry texts: slots (a power of two) and their sizes. */
#define MRTCMD_MEMO_SLOTS 4096
#define MRTCMD_MEMO_ATTRS 256
#define MRTCMD_MEMO_TEXT 512

/* RFC 1997 well-known communities, bgpdump's names. */
#define COMMUNITY_NO_EXPORT 0xffffff01u
#define COMMUNITY_NO_ADVERTISE 0xffffff02u
#define COMMUNITY_NO_EXPORT_SUBCONFED 0xffffff03u

/*
 * Text being built: written from buf at a flush, or handed to w when a
 * record's text outgrows buf (see mrtcmd_mem()).
 */
struct mrtcmd_text {
	struct wbuf *w;
	size_t n;
	char *buf; /* MRTCMD_TEXT_BUF octets */
};

/* The "peer|as|" text of one PEER_INDEX_TABLE entry, made when needed. */
struct mrtcmd_peertext {
	size_t len;
	char s[64];
};

struct mrtcmd {
	bool json;
	FILE *out;
	struct wbuf outbuf; /* lines waiting to be written */
	struct mrtcmd_text text; /* text lines on their way to outbuf */
	struct wbuf attrbuf; /* the shared attribute text of an UPDATE */
	struct mrtcmd_text attrtext;
	struct wbuf scratch; /* synthesised message headers */
	struct wbuf jbuf; /* one JSON line */
	struct wbuf mbuf; /* the "message" object of a JSON line */
	struct mrt_peers peers;
	struct mrtcmd_peertext *ptext; /* "peer|as|" per peer index */
	struct mrtcmd_memo *memo; /* MRTCMD_MEMO_SLOTS, text lines only */
	struct mrtfile_warn warn; /* about the file being read */
	uint64_t skipped[MRT_TYPE_MAX];
	bool write_failed;
};

/*
 * One remembered RIB entry text (everything after the prefix), for the
 * attribute octets it was made from, read as family afi/safi with 2- or
 * 4-octet AS numbers (all of which the text depends on, and nothing else).
 */
struct mrtcmd_memo {
	bool used;
	bool as4;
	uint8_t safi;
	uint16_t afi;
	uint16_t attrlen;
	uint16_t textlen;
	uint8_t attrs[MRTCMD_MEMO_ATTRS];
	char text[MRTCMD_MEMO_TEXT];
};

/* A next hop to print: afi 0 for none. */
struct mrtcmd_nh {
	uint16_t afi;
	const uint8_t *addr;
};

/* What a route line needs besides the attributes. */
struct mrtcmd_route {
	const char *kind; /* first field: TABLE_DUMP2, BGP4MP_ET, ... */
	const struct mrt_record *rec;
	uint16_t peer_afi;
	const uint8_t *peer_ip;
	uint32_t peer_as;
	char head[40]; /* "kind|time|", made once per record */
	size_t headlen;
	const char *peer; /* "peer|as|", made once per peer */
	size_t peerlen;
	char peerbuf[64];
	const struct prefix *prefix;
	uint8_t safi;
	bool addpath;
	uint32_t path_id;
	bool legacy; /* type BGP: bgpdump's layout has no communities field */
};

/* Hand the text built so far to the output buffer: buf is full. */
static void
mrtcmd_text_flush(struct mrtcmd_text *t)
{
	wbuf_put_bytes(t->w, t->buf, t->n);
	t->n = 0;
}

static void
mrtcmd_write(struct mrtcmd *c, const void *p, size_t n)
{
	if (n > 0 && !c->write_failed && fwrite(p, 1, n, c->out) != n) {
		fprintf(
		    stderr, "bgpwatchctl: mrt: write: %s\n", strerror(errno));
		c->write_failed = true;
	}
}

/*
 * Write out the pending lines (always whole lines): the output buffer,
 * then the text built after it.
 */
static void
mrtcmd_flush(struct mrtcmd *c)
{
	if (wbuf_error(&c->outbuf)) {
		fprintf(stderr, "bgpwatchctl: mrt: out of memory\n");
		c->write_failed = true;
	} else
		mrtcmd_write(c, wbuf_data(&c->outbuf), wbuf_len(&c->outbuf));
	mrtcmd_write(c, c->text.buf, c->text.n);
	c->text.n = 0;
	wbuf_reset(&c->outbuf);
}

/*
 * Text appenders: lines are built in c->text and handed to c->outbuf in
 * large pieces, as a RIB holds millions of lines of a dozen fields each.
 */

static void
mrtcmd_mem(struct mrtcmd_text *t, const void *p, size_t len)
{
	if (len == 0)
		return;
	if (t->n + len > MRTCMD_TEXT_BUF) {
		mrtcmd_text_flush(t);
		if (len > MRTCMD_TEXT_BUF) {
			wbuf_put_bytes(t->w, p, len);
			return;
		}
	}
	memcpy(t->buf + t->n, p, len);
	t->n += len;
}

static void
mrtcmd_chr(struct mrtcmd_text *t, char ch)
{
	if (t->n == MRTCMD_TEXT_BUF)
		mrtcmd_text_flush(t);
	t->buf[t->n++] = ch;
}

static void
mrtcmd_str(struct mrtcmd_text *t, const char *s)
{
	for (; *s != '\0'; s++)
		mrtcmd_chr(t, *s);
}

/* An address at dst (ADDR_STRLEN octets of room) as addr_fmt() writes it. */
static size_t
mrtcmd_addrtext(char *dst, uint16_t afi, const uint8_t *addr)
{
	size_t n = addr_text(afi, addr, dst);

	if (n == 0)
		dst[n++] = '?';
	return n;
}

static void
mrtcmd_u32(struct mrtcmd_text *t, uint32_t v)
{
	if (t->n + 10 > MRTCMD_TEXT_BUF)
		mrtcmd_text_flush(t);
	t->n += wbuf_dec(t->buf + t->n, v);
}

static void
mrtcmd_addr(struct mrtcmd_text *t, uint16_t afi, const uint8_t *addr)
{
	if (t->n + ADDR_STRLEN > MRTCMD_TEXT_BUF)
		mrtcmd_text_flush(t);
	t->n += mrtcmd_addrtext(t->buf + t->n, afi, addr);
}

/* A prefix as prefix_fmt() writes it. */
static void
mrtcmd_prefix(struct mrtcmd_text *w, const struct prefix *p)
{
	mrtcmd_addr(w, p->afi, p->addr);
	mrtcmd_chr(w, '/');
	mrtcmd_u32(w, p->len);
}

/*
 * The AS path in bgpdump's form, which is aspath_fmt()'s: written straight
 * to the text's buffer after the pending text (aspath_fmt() is printf-free,
 * as a RIB has millions of paths).
 */
static void
mrtcmd_aspath(struct mrtcmd_text *t, const struct aspath_view *v)
{
	mrtcmd_text_flush(t);
	aspath_fmt(v, t->w);
}
static uint32_t
mrtcmd_val32(const struct attr_set *a, uint8_t type)
{
	const uint8_t *p = a->val[type];

	if (!attr_has(a, type) || a->len[type] != 4)
		return 0; /* bgpdump prints 0 for an absent MED/LOCAL_PREF */
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* RFC 1997 communities, space-separated, bgpdump's names. */
static void
mrtcmd_communities(struct mrtcmd_text *w, const struct attr_set *a)
{
	const uint8_t *p = a->val[ATTR_COMMUNITIES];
	uint16_t i, n = a->len[ATTR_COMMUNITIES] / 4;
	uint32_t c;

	if (!attr_has(a, ATTR_COMMUNITIES))
		return;
	for (i = 0; i < n; i++, p += 4) {
		c = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
		if (i > 0)
			mrtcmd_chr(w, ' ');
		if (c == COMMUNITY_NO_EXPORT)
			mrtcmd_str(w, "no-export");
		else if (c == COMMUNITY_NO_ADVERTISE)
			mrtcmd_str(w, "no-advertise");
		else if (c == COMMUNITY_NO_EXPORT_SUBCONFED)
			mrtcmd_str(w, "local-AS");
		else {
			mrtcmd_u32(w, c >> 16);
			mrtcmd_chr(w, ':');
			mrtcmd_u32(w, c & 0xffff);
		}
	}
}

static const char *
mrtcmd_origin(const struct attr_set *a)
{
	if (attr_has(a, ATTR_ORIGIN) && a->len[ATTR_ORIGIN] == 1) {
		if (a->val[ATTR_ORIGIN][0] == ORIGIN_IGP)
			return "IGP";
		if (a->val[ATTR_ORIGIN][0] == ORIGIN_EGP)
			return "EGP";
	}
	return "INCOMPLETE"; /* bgpdump's word for absent, too */
}

/*
 * The attribute fields of an announcement or RIB line are
 * as_path|origin|next_hop|local_pref|med|communities|AG/NAG|aggregator|
 * (the type BGP layout has no communities field), written in three
 * parts so the prefixes of one UPDATE can share the first and the last.
 */
static void
mrtcmd_attrs_pre(struct mrtcmd_text *w, const struct attr_set *a)
{
	if (attr_has(a, ATTR_AS_PATH))
		mrtcmd_aspath(w, &a->path);
	mrtcmd_chr(w, '|');
	mrtcmd_str(w, mrtcmd_origin(a));
	mrtcmd_chr(w, '|');
}

static void
mrtcmd_attrs_nh(struct mrtcmd_text *w, const struct mrtcmd_nh *nh)
{
	if (nh->afi != 0)
		mrtcmd_addr(w, nh->afi, nh->addr);
	else
		mrtcmd_str(w, MRTCMD_NO_NH);
}

static void
mrtcmd_attrs_post(struct mrtcmd_text *w, const struct attr_set *a, bool legacy)
{
	uint32_t aggr_as;
	uint8_t aggr_id[4];

	mrtcmd_chr(w, '|');
	mrtcmd_u32(w, mrtcmd_val32(a, ATTR_LOCAL_PREF));
	mrtcmd_chr(w, '|');
	mrtcmd_u32(w, mrtcmd_val32(a, ATTR_MED));
	mrtcmd_chr(w, '|');
	if (!legacy) {
		mrtcmd_communities(w, a);
		mrtcmd_chr(w, '|');
	}
	mrtcmd_str(w, attr_has(a, ATTR_ATOMIC_AGGREGATE) ? "AG" : "NAG");
	mrtcmd_chr(w, '|');
	if (attr_aggregator(a, &aggr_as, aggr_id)) {
		mrtcmd_u32(w, aggr_as);
		mrtcmd_chr(w, ' ');
		mrtcmd_addr(w, AFI_IPV4, aggr_id);
	}
	mrtcmd_str(w, "|\n");
}

static void
mrtcmd_attrs(struct mrtcmd_text *w, const struct attr_set *a,
    const struct mrtcmd_nh *nh, bool legacy)
{
	mrtcmd_attrs_pre(w, a);
	mrtcmd_attrs_nh(w, nh);
	mrtcmd_attrs_post(w, a, legacy);
}

/* The shared parts of the lines of one UPDATE's announcements. */
struct mrtcmd_shared {
	const uint8_t *pre;
	size_t prelen;
	const uint8_t *post;
	size_t postlen;
};

/* Write the shared parts of a's lines once, into c->attrbuf. */
static void
mrtcmd_attrs_share(struct mrtcmd *c, const struct attr_set *a, bool legacy,
    struct mrtcmd_shared *sh)
{
	struct mrtcmd_text *t = &c->attrtext;

	wbuf_reset(&c->attrbuf);
	t->w = &c->attrbuf;
	t->n = 0;
	mrtcmd_attrs_pre(t, a);
	mrtcmd_text_flush(t);
	sh->prelen = wbuf_len(&c->attrbuf);
	mrtcmd_attrs_post(t, a, legacy);
	mrtcmd_text_flush(t);
	sh->pre = wbuf_data(&c->attrbuf);
	sh->post = sh->pre + sh->prelen;
	sh->postlen = wbuf_len(&c->attrbuf) - sh->prelen;
}

/* Make rt->head: "kind|time|" (time with ".microseconds" for _ET). */
static void
mrtcmd_route_kind(
    struct mrtcmd_route *rt, const char *kind, const struct mrt_record *rec)
{
	size_t n = strlen(kind), i;
	uint32_t usec = rec->usec % 1000000;

	rt->kind = kind;
	rt->rec = rec;
	if (n > sizeof(rt->head) - 20)
		n = sizeof(rt->head) - 20;
	memcpy(rt->head, kind, n);
	rt->head[n++] = '|';
	n += wbuf_dec(rt->head + n, rec->ts);
	if (rec->type == MRT_BGP4MP_ET) {
		rt->head[n++] = '.';
		for (i = 6; i > 0; i--, usec /= 10)
			rt->head[n + i - 1] = (char)('0' + usec % 10);
		n += 6;
	}
	rt->head[n++] = '|';
	rt->headlen = n;
}

/* Make rt->peer: "address|as|". */
static void
mrtcmd_route_peer(
    struct mrtcmd_route *rt, uint16_t afi, const uint8_t *ip, uint32_t as)
{
	size_t n;

	rt->peer_afi = afi;
	rt->peer_ip = ip;
	rt->peer_as = as;
	n = mrtcmd_addrtext(rt->peerbuf, afi, ip);
	rt->peerbuf[n++] = '|';
	n += wbuf_dec(rt->peerbuf + n, as);
	rt->peerbuf[n++] = '|';
	rt->peer = rt->peerbuf;
	rt->peerlen = n;
}

/* "kind|time|what|peer|as|prefix" and, with ADD-PATH, "|path_id". */
static void
mrtcmd_route_head(
    struct mrtcmd_text *w, const struct mrtcmd_route *rt, const char *what)
{
	mrtcmd_mem(w, rt->head, rt->headlen);
	mrtcmd_str(w, what);
	mrtcmd_chr(w, '|');
	mrtcmd_mem(w, rt->peer, rt->peerlen);
	mrtcmd_prefix(w, rt->prefix);
	if (rt->addpath) {
		mrtcmd_chr(w, '|');
		mrtcmd_u32(w, rt->path_id);
	}
}

/* NEXT_HOP (RFC 4271 §5.1.3), if there is one. */
static struct mrtcmd_nh
mrtcmd_ipv4_nh(const struct attr_set *a)
{
	struct mrtcmd_nh nh = { 0, NULL };

	if (attr_has(a, ATTR_NEXT_HOP) && a->len[ATTR_NEXT_HOP] == 4) {
		nh.afi = AFI_IPV4;
		nh.addr = a->val[ATTR_NEXT_HOP];
	}
	return nh;
}

/*
 * The next hop bgpdump shows for a RIB entry: the IPv6 global address of
 * an MP_REACH_NLRI, else NEXT_HOP, else 255.255.255.255.
 */
static struct mrtcmd_nh
mrtcmd_rib_nh(const struct attr_set *a)
{
	struct mrtcmd_nh nh = { 0, NULL };

	if (a->reach.present && a->reach.nhlen >= 16) {
		nh.afi = AFI_IPV6;
		nh.addr = a->reach.nh;
	} else
		nh = mrtcmd_ipv4_nh(a);
	return nh;
}

/* JSON: "type", "timestamp" ("microseconds") and the "peer" object. */
static void
mrtcmd_json_head(struct json *j, const char *kind, const struct mrt_record *rec,
    uint16_t afi, const uint8_t *ip, uint32_t as)
{
	char buf[ADDR_STRLEN];

	json_str(j, "type", kind);
	json_uint(j, "timestamp", rec->ts);
	if (rec->type == MRT_BGP4MP_ET)
		json_uint(j, "microseconds", rec->usec);
	json_obj_open(j, "peer");
	json_str(j, "ip", addr_fmt(afi, ip, buf, sizeof(buf)));
	json_uint(j, "as", as);
	json_obj_close(j);
}

/* Start a JSON line in c->jbuf. */
static void
mrtcmd_json_start(struct mrtcmd *c, struct json *j)
{
	wbuf_reset(&c->jbuf);
	json_init(j, &c->jbuf);
}

/* End a JSON line: append it to the output if it came out whole. */
static void
mrtcmd_json_end(struct mrtcmd *c, struct json *j, const struct mrt_record *rec)
{
	if (json_finish(j) == -1 || wbuf_error(&c->jbuf)) {
		mrtfile_warn(
		    &c->warn, rec->off, "could not write the JSON line");
		return;
	}
	wbuf_put_bytes(&c->outbuf, wbuf_data(&c->jbuf), wbuf_len(&c->jbuf));
	wbuf_put_u8(&c->outbuf, '\n');
}

/* A RIB route as one JSON line. */
static void
mrtcmd_rib_json(struct mrtcmd *c, const struct mrtcmd_route *rt,
    uint32_t originated, const struct attr_set *a)
{
	char buf[PREFIX_STRLEN];
	struct json j;

	mrtcmd_json_start(c, &j);
	json_obj_open(&j, NULL);
	mrtcmd_json_head(
	    &j, rt->kind, rt->rec, rt->peer_afi, rt->peer_ip, rt->peer_as);
	json_str(&j, "afi", afi_name(rt->prefix->afi));
	json_str(&j, "safi", safi_name(rt->safi));
	json_str(&j, "prefix", prefix_fmt(rt->prefix, buf, sizeof(buf)));
	json_uint(&j, "path_id", rt->path_id);
	json_uint(&j, "originated", originated);
	attr_json(a, &j, "attributes");
	json_obj_close(&j);
	mrtcmd_json_end(c, &j, rt->rec);
}

/*
 * Parse the attributes of a RIB entry (4-octet AS for TABLE_DUMP_V2,
 * 2-octet for TABLE_DUMP). Returns 0, 1 when they are shown after a
 * warning, or -1 after a warning when they are not.
 */
static int
mrtcmd_rib_attrs(struct mrtcmd *c, const struct mrt_record *rec,
    const uint8_t *p, size_t len, bool as4, uint16_t afi, uint8_t safi,
    struct attr_set *a)
{
	/* RFC 6396 §4.3.4: MP_REACH_NLRI may be abbreviated. */
	struct bgp_sess s = {
		.as4 = as4, .ext_msg = true, .rib_afi = afi, .rib_safi = safi
	};
	struct verdict v;
	struct rbuf r;

	rbuf_init(&r, p, len);
	verdict_clear(&v);
	/* An IPv4 entry stands for an NLRI that NEXT_HOP applies to. */
	if (attr_parse(&r, &s, afi == AFI_IPV4 ? 1 : 0, a, &v, NULL) == -1 ||
	    a->withdraw || v.action >= VERDICT_TREAT_AS_WITHDRAW) {
		/* Not a route bgpwatch would keep (RFC 7606 §2). */
		mrtfile_warn(&c->warn, rec->off, "RIB entry not shown: %s: %s",
		    verdict_action_name(v.action), v.reason);
		return -1;
	}
	if (v.action != VERDICT_OK) {
		mrtfile_warn(&c->warn, rec->off, "RIB entry: %s: %s",
		    verdict_action_name(v.action), v.reason);
		return 1;
	}
	return 0;
}

/*
 * The memo slot for a RIB entry's attributes: a dump lists a peer's
 * routes in prefix order, and neighbouring prefixes often share a path,
 * so about 60% of a RIS dump's entries repeat an attribute set seen
 * shortly before. The RIB's interning hash picks the slot.
 */
static struct mrtcmd_memo *
mrtcmd_memo_slot(struct mrtcmd *c, const uint8_t *attrs, size_t len)
{
	return &c->memo[rib_attr_hash(attrs, len) & (MRTCMD_MEMO_SLOTS - 1)];
}

static bool
mrtcmd_memo_match(const struct mrtcmd_memo *m, const uint8_t *attrs, size_t len,
    bool as4, uint16_t afi, uint8_t safi)
{
	return m->used && m->attrlen == len && m->as4 == as4 && m->afi == afi &&
	    m->safi == safi && memcmp(m->attrs, attrs, len) == 0;
}

/*
 * One RIB entry as a line, its text after the prefix from the memo when
 * the same attributes were shown before without a warning; otherwise
 * made in c->attrbuf, written, and remembered if it fits.
 */
static void
mrtcmd_rib_text(struct mrtcmd *c, struct mrtcmd_route *rt, const uint8_t *attrs,
    size_t attrlen, bool as4, uint8_t safi)
{
	struct mrtcmd_memo *m = mrtcmd_memo_slot(c, attrs, attrlen);
	struct mrtcmd_text *t = &c->attrtext;
	uint16_t afi = rt->prefix->afi;
	struct attr_set a;
	struct mrtcmd_nh nh;
	const void *text = m->text;
	size_t len = m->textlen;
	int rc;

	if (!mrtcmd_memo_match(m, attrs, attrlen, as4, afi, safi)) {
		if ((rc = mrtcmd_rib_attrs(
		         c, rt->rec, attrs, attrlen, as4, afi, safi, &a)) == -1)
			return;
		nh = mrtcmd_rib_nh(&a);
		wbuf_reset(&c->attrbuf);
		t->w = &c->attrbuf;
		t->n = 0;
		mrtcmd_attrs(t, &a, &nh, false);
		mrtcmd_text_flush(t);
		text = wbuf_data(&c->attrbuf);
		len = wbuf_len(&c->attrbuf);
		/* Not one shown with a warning: that is repeated each time. */
		m->used = rc == 0 && attrlen <= MRTCMD_MEMO_ATTRS &&
		    len <= MRTCMD_MEMO_TEXT && !wbuf_error(&c->attrbuf);
		if (m->used) {
			m->as4 = as4;
			m->afi = afi;
			m->safi = safi;
			m->attrlen = (uint16_t)attrlen;
			memcpy(m->attrs, attrs, attrlen);
			m->textlen = (uint16_t)len;
			memcpy(m->text, text, len);
		}
	}
	mrtcmd_route_head(&c->text, rt, "B");
	mrtcmd_chr(&c->text, '|');
	mrtcmd_mem(&c->text, text, len);
}

/* One RIB entry, as a line or JSON. */
static void
mrtcmd_rib_entry(struct mrtcmd *c, struct mrtcmd_route *rt, uint32_t originated,
    const uint8_t *attrs, size_t attrlen, bool as4, uint8_t safi)
{
	struct attr_set a;

	if (!c->json) {
		mrtcmd_rib_text(c, rt, attrs, attrlen, as4, safi);
		return;
	}
	if (mrtcmd_rib_attrs(c, rt->rec, attrs, attrlen, as4, rt->prefix->afi,
	        safi, &a) == -1)
		return;
	mrtcmd_rib_json(c, rt, originated, &a);
}

/* TABLE_DUMP (RFC 6396 §4.2): 2-octet AS numbers. */
static void
mrtcmd_td(struct mrtcmd *c, const struct mrt_record *rec)
{
	struct mrtcmd_route rt = { .safi = SAFI_UNICAST };
	struct mrt_td_entry e;
	struct mrt_td td;
	const char *why;
	int r;

	if (mrt_td_init(rec, &td, &why) == -1) {
		mrtfile_warn(&c->warn, rec->off, "TABLE_DUMP: %s", why);
		return;
	}
	mrtcmd_route_kind(&rt, "TABLE_DUMP", rec);
	while ((r = mrt_td_next(&td, &e, &why)) == 1) {
		mrtcmd_route_peer(&rt, td.afi, e.peer_ip, e.peer_as);
		rt.prefix = &e.prefix;
		mrtcmd_rib_entry(c, &rt, e.originated, e.attrs, e.attrlen,
		    false, SAFI_UNICAST);
	}
	if (r == -1)
		mrtfile_warn(&c->warn, rec->off, "TABLE_DUMP: %s", why);
}

/* Point rt at peer i of the PEER_INDEX_TABLE, its text made once. */
static void
mrtcmd_rib_peer(struct mrtcmd *c, struct mrtcmd_route *rt, uint16_t i)
{
	const struct mrt_peer *peer = &c->peers.peer[i];
	struct mrtcmd_peertext *pt;

	if (c->ptext == NULL) {
		mrtcmd_route_peer(rt, peer->afi, peer->ip, peer->as);
		return;
	}
	pt = &c->ptext[i];
	rt->peer_afi = peer->afi;
	rt->peer_ip = peer->ip;
	rt->peer_as = peer->as;
	if (pt->len == 0) {
		mrtcmd_route_peer(rt, peer->afi, peer->ip, peer->as);
		memcpy(pt->s, rt->peerbuf, sizeof(pt->s));
		pt->len = rt->peerlen;
	}
	rt->peer = pt->s;
	rt->peerlen = pt->len;
}

/* A RIB_* record of TABLE_DUMP_V2 (§4.3.2; RFC 8050 §4). */
static void
mrtcmd_rib(struct mrtcmd *c, const struct mrt_record *rec)
{
	struct mrtcmd_route rt;
	struct mrt_rib_entry e;
	struct mrt_rib rib;

	switch (mrtfile_rib_open(&c->warn, rec, &c->peers, &rib)) {
	case 0:
		c->skipped[rec->type]++;
		return;
	case -1:
		return;
	}
	memset(&rt, 0, sizeof(rt));
	mrtcmd_route_kind(
	    &rt, rib.addpath ? "TABLE_DUMP2_AP" : "TABLE_DUMP2", rec);
	rt.prefix = &rib.prefix;
	rt.safi = rib.safi;
	rt.addpath = rib.addpath;
	while (mrtfile_rib_next(&c->warn, rec, &c->peers, &rib, &e) == 1) {
		mrtcmd_rib_peer(c, &rt, e.peer_index);
		rt.path_id = e.path_id;
		mrtcmd_rib_entry(
		    c, &rt, e.originated, e.attrs, e.attrlen, true, rib.safi);
	}
}

static void
mrtcmd_td2(struct mrtcmd *c, const struct mrt_record *rec)
{
	const char *why;

	switch (rec->subtype) {
	case MRT_TD2_PEER_INDEX_TABLE:
		free(c->ptext);
		c->ptext = NULL;
		if (mrt_peers_parse(rec, &c->peers, &why) == -1)
			mrtfile_warn(
			    &c->warn, rec->off, "TABLE_DUMP_V2: %s", why);
		else if (c->peers.count > 0)
			c->ptext = calloc(c->peers.count, sizeof(*c->ptext));
		break;
	case MRT_TD2_GEO_PEER_TABLE:
		c->skipped[rec->type]++;
		break;
	default:
		mrtcmd_rib(c, rec);
		break;
	}
}

/*
 * The first field bgpdump gives BGP4MP lines: BGP4MP or BGP4MP_ET, with
 * _LOCAL for messages the collector sent and _AP for ADD-PATH ones.
 */
static const char *
mrtcmd_bgp4mp_kind(const struct mrt_record *rec, const struct mrt_bgp4mp *m)
{
	static const char *kinds[2][2][2] = {
		{ { "BGP4MP", "BGP4MP_AP" },
		    { "BGP4MP_LOCAL", "BGP4MP_LOCAL_AP" } },
		{ { "BGP4MP_ET", "BGP4MP_ET_AP" },
		    { "BGP4MP_ET_LOCAL", "BGP4MP_ET_LOCAL_AP" } },
	};

	if (rec->type == MRT_BGP)
		return "BGP";
	return kinds[rec->type == MRT_BGP4MP_ET][m->local][m->addpath];
}

/* A state change: "KIND|ts|STATE|peer|as|old|new" (RFC 6396 §4.4.1). */
static void
mrtcmd_state(
    struct mrtcmd *c, const struct mrt_record *rec, const struct mrt_bgp4mp *m)
{
	struct mrtcmd_text *w = &c->text;
	struct mrtcmd_route rt;
	const char *kind;
	struct json j;

	kind = rec->type == MRT_BGP      ? "BGP"
	    : rec->type == MRT_BGP4MP_ET ? "BGP4MP_ET"
	                                 : "BGP4MP";
	if (c->json) {
		mrtcmd_json_start(c, &j);
		json_obj_open(&j, NULL);
		mrtcmd_json_head(&j, kind, rec, m->afi, m->peer_ip, m->peer_as);
		json_obj_open(&j, "state");
		json_uint(&j, "old", m->old_state);
		json_uint(&j, "new", m->new_state);
		json_obj_close(&j);
		json_obj_close(&j);
		mrtcmd_json_end(c, &j, rec);
		return;
	}
	mrtcmd_route_kind(&rt, kind, rec);
	mrtcmd_route_peer(&rt, m->afi, m->peer_ip, m->peer_as);
	mrtcmd_mem(w, rt.head, rt.headlen);
	mrtcmd_str(w, "STATE|");
	mrtcmd_mem(w, rt.peer, rt.peerlen);
	mrtcmd_u32(w, m->old_state);
	mrtcmd_chr(w, '|');
	mrtcmd_u32(w, m->new_state);
	mrtcmd_chr(w, '\n');
}

/* The session a BGP4MP subtype implies (RFC 6396 §4.4, RFC 8050 §3). */
static void
mrtcmd_sess(const struct mrt_bgp4mp *m, struct bgp_sess *s)
{
	memset(s, 0, sizeof(*s));
	s->as4 = m->as4;
	s->ext_msg = true; /* RFC 8654 messages may be recorded */
	s->addpath_rx = m->addpath ? (1u << FAM_COUNT) - 1 : 0;
}

/*
 * The whole message of m: in place for BGP4MP, with a header made up in
 * c->scratch for the headerless messages of type BGP. 0 or -1 (memory).
 */
static int
mrtcmd_whole(struct mrtcmd *c, const struct mrt_bgp4mp *m, const uint8_t **msg,
    size_t *len)
{
	uint8_t marker[BGP_MARKER_LEN];

	if (m->has_hdr) {
		*msg = m->msg;
		*len = m->msglen;
		return 0;
	}
	memset(marker, 0xff, sizeof(marker));
	wbuf_reset(&c->scratch);
	wbuf_put_bytes(&c->scratch, marker, sizeof(marker));
	wbuf_put_u16(&c->scratch, (uint16_t)(BGP_HDR_LEN + m->msglen));
	wbuf_put_u8(&c->scratch, m->msgtype);
	wbuf_put_bytes(&c->scratch, m->msg, m->msglen);
	if (wbuf_error(&c->scratch) || m->msglen > 0xffff - BGP_HDR_LEN)
		return -1;
	*msg = wbuf_data(&c->scratch);
	*len = wbuf_len(&c->scratch);
	return 0;
}

/* A BGP message record as one JSON line, message decoded as by decode. */
static void
mrtcmd_msg_json(struct mrtcmd *c, const struct mrt_record *rec,
    const struct mrt_bgp4mp *m, const char *kind)
{
	struct bgp_sess s;
	struct verdict v;
	struct json j, jm;
	const uint8_t *msg;
	char buf[ADDR_STRLEN];
	size_t len;

	if (mrtcmd_whole(c, m, &msg, &len) == -1) {
		mrtfile_warn(&c->warn, rec->off, "message too long");
		return;
	}
	mrtcmd_sess(m, &s);
	wbuf_reset(&c->mbuf);
	json_init(&jm, &c->mbuf);
	verdict_clear(&v);
	if (msg_decode_json(msg, len, &s, &jm, &v, NULL) != VERDICT_OK)
		mrtfile_warn(&c->warn, rec->off, "%s: %s: %s",
		    msg_type_name(m->msgtype) != NULL
		        ? msg_type_name(m->msgtype)
		        : "message",
		    verdict_action_name(v.action), v.reason);
	mrtcmd_json_start(c, &j);
	json_obj_open(&j, NULL);
	mrtcmd_json_head(&j, kind, rec, m->afi, m->peer_ip, m->peer_as);
	json_obj_open(&j, "local");
	json_str(&j, "ip", addr_fmt(m->afi, m->local_ip, buf, sizeof(buf)));
	json_uint(&j, "as", m->local_as);
	json_obj_close(&j);
	if (json_finish(&jm) == 0 && !wbuf_error(&c->mbuf))
		json_raw(&j, "message", (const char *)wbuf_data(&c->mbuf),
		    wbuf_len(&c->mbuf));
	else
		json_null(&j, "message");
	json_obj_close(&j);
	mrtcmd_json_end(c, &j, rec);
}

/*
 * The next hop of an announced prefix as bgpdump shows it: NEXT_HOP for
 * the IPv4 NLRI field, else the MP_REACH_NLRI next hop (its first, global
 * address), else 255.255.255.255.
 */
static struct mrtcmd_nh
mrtcmd_update_nh(const struct update *u, const struct update_iter *it,
    const struct prefix *p)
{
	struct mrtcmd_nh nh = { 0, NULL };

	if (it->stage == 0)
		return mrtcmd_ipv4_nh(&u->attrs);
	if (u->reach.nhlen >= (p->afi == AFI_IPV4 ? 4 : 16)) {
		nh.afi = p->afi;
		nh.addr = u->reach.nh;
	}
	return nh;
}

/* A W line, or an A line with the attribute text of sh and next hop nh. */
static void
mrtcmd_route(struct mrtcmd *c, const struct mrtcmd_route *rt, bool announce,
    const struct mrtcmd_shared *sh, const struct mrtcmd_nh *nh)
{
	mrtcmd_route_head(&c->text, rt, announce ? "A" : "W");
	if (!announce) {
		mrtcmd_chr(&c->text, '\n');
		return;
	}
	mrtcmd_chr(&c->text, '|');
	mrtcmd_mem(&c->text, sh->pre, sh->prelen);
	mrtcmd_attrs_nh(&c->text, nh);
	mrtcmd_mem(&c->text, sh->post, sh->postlen);
}

/*
 * The W and A lines of an UPDATE: withdrawals first, as bgpdump does.
 * Under a treat-as-withdraw verdict (RFC 7606 §2) the announced prefixes
 * are withdrawals too.
 */
static void
mrtcmd_update_lines(
    struct mrtcmd *c, struct mrtcmd_route *rt, const struct update *u)
{
	struct mrtcmd_shared sh;
	struct update_iter it;
	struct mrtcmd_nh nh;
	struct prefix p;
	bool shared = false;
	uint8_t safi;

	rt->prefix = &p;
	update_iter_init(&it, u, UPDATE_WITHDRAWN);
	while (update_iter_next(&it, &p, &rt->path_id, &safi) == 1)
		mrtcmd_route(c, rt, false, NULL, NULL);
	update_iter_init(&it, u, UPDATE_ANNOUNCED);
	while (update_iter_next(&it, &p, &rt->path_id, &safi) == 1) {
		if (!shared) {
			mrtcmd_attrs_share(c, &u->attrs, rt->legacy, &sh);
			shared = true;
		}
		nh = mrtcmd_update_nh(u, &it, &p);
		mrtcmd_route(c, rt, !u->treat_as_withdraw, &sh, &nh);
	}
}

/*
 * SALVAGE, until update_parse() keeps the fields it verified walkable
 * after a session reset: a recorded UPDATE refused for an Invalid Network
 * Field (RFC 7606 §5.3) still shows, as bgpdump shows them, the prefixes
 * of its IPv4 Withdrawn Routes and NLRI fields up to the damage. Only the
 * RFC 4271 §4.3 field lengths are read here; prefixes go through
 * prefix_decode() (trailing bits masked) and the attributes are those
 * update_parse() kept. Not for ADD-PATH, nor for MP_REACH/MP_UNREACH.
 */
static void
mrtcmd_salvage(
    struct mrtcmd *c, struct mrtcmd_route *rt, const struct update *u)
{
	const struct attr_set *a = &u->attrs;
	struct mrtcmd_nh nh = mrtcmd_ipv4_nh(a);
	struct mrtcmd_shared sh;
	struct rbuf r, wd, attrs;
	struct prefix p;
	uint16_t wlen, alen;

	if (u->verdict.code != BGP_ERR_UPDATE ||
	    u->verdict.subcode != BGP_ERR_UPD_NETWORK || rt->addpath)
		return;
	rbuf_init(&r, u->body, u->len);
	if (rbuf_get_u16(&r, &wlen) == -1 ||
	    rbuf_get_sub(&r, wlen, &wd) == -1 ||
	    rbuf_get_u16(&r, &alen) == -1 ||
	    rbuf_get_sub(&r, alen, &attrs) == -1)
		return;
	rt->prefix = &p;
	rt->path_id = 0;
	while (prefix_decode(&wd, AFI_IPV4, &p) == 0)
		mrtcmd_route(c, rt, false, NULL, NULL);
	if (rbuf_left(&wd) != 0)
		return; /* the damage was there: attributes not parsed */
	mrtcmd_attrs_share(c, a, rt->legacy, &sh);
	while (prefix_decode(&r, AFI_IPV4, &p) == 0)
		mrtcmd_route(c, rt, true, &sh, &nh);
}

/* Decode the UPDATE of m and print its lines. */
static void
mrtcmd_update(struct mrtcmd *c, const struct mrt_record *rec,
    const struct mrt_bgp4mp *m, const char *kind)
{
	struct mrtcmd_route rt;
	const uint8_t *body = m->msg;
	size_t len = m->msglen;
	struct msg_hdr h;
	struct verdict v;
	struct bgp_sess s;
	struct update u;
	struct rbuf r;

	mrtcmd_sess(m, &s);
	if (m->has_hdr) {
		rbuf_init(&r, m->msg, m->msglen);
		verdict_clear(&v);
		if (msg_hdr_parse(&r, &s, &h, &v, NULL) == -1) {
			mrtfile_warn(
			    &c->warn, rec->off, "BGP header: %s", v.reason);
			return;
		}
		if (rbuf_left(&r) < (size_t)h.len - BGP_HDR_LEN) {
			mrtfile_warn(&c->warn, rec->off,
			    "BGP message cut short: %zu of %u octets",
			    m->msglen, h.len);
			return;
		}
		body = rbuf_ptr(&r);
		len = (size_t)h.len - BGP_HDR_LEN;
	}
	memset(&rt, 0, sizeof(rt));
	mrtcmd_route_kind(&rt, kind, rec);
	mrtcmd_route_peer(&rt, m->afi, m->peer_ip, m->peer_as);
	rt.addpath = m->addpath;
	rt.legacy = rec->type == MRT_BGP;
	if (update_parse(body, len, &s, &u, NULL) == -1) {
		mrtfile_warn(&c->warn, rec->off, "UPDATE: %s: %s",
		    verdict_action_name(u.verdict.action), u.verdict.reason);
		mrtcmd_salvage(c, &rt, &u);
		return;
	}
	if (u.verdict.action != VERDICT_OK)
		mrtfile_warn(&c->warn, rec->off, "UPDATE: %s: %s",
		    verdict_action_name(u.verdict.action), u.verdict.reason);
	mrtcmd_update_lines(c, &rt, &u);
}

/* BGP4MP, BGP4MP_ET (§4.4) and the deprecated BGP type (§B.2.1). */
static void
mrtcmd_bgp4mp(struct mrtcmd *c, const struct mrt_record *rec)
{
	struct mrt_bgp4mp m;
	const char *why, *kind;
	int r;

	if (rec->type == MRT_BGP)
		r = mrt_bgp_parse(rec, &m, &why);
	else
		r = mrt_bgp4mp_parse(rec, &m, &why);
	if (r == -1) {
		if ((rec->type == MRT_BGP &&
		        (rec->subtype == MRT_BGP_NULL ||
		            rec->subtype == MRT_BGP_PREF_UPDATE ||
		            rec->subtype == MRT_BGP_SYNC)) ||
		    (rec->type != MRT_BGP &&
		        (rec->subtype == MRT_BGP4MP_ENTRY ||
		            rec->subtype == MRT_BGP4MP_SNAPSHOT)))
			c->skipped[rec->type]++;
		else
			mrtfile_warn(&c->warn, rec->off, "%s: %s",
			    mrt_type_name(rec->type), why);
		return;
	}
	if (m.is_state) {
		mrtcmd_state(c, rec, &m);
		return;
	}
	kind = mrtcmd_bgp4mp_kind(rec, &m);
	if (c->json)
		mrtcmd_msg_json(c, rec, &m, kind);
	else if (m.msgtype == BGP_MSG_UPDATE)
		mrtcmd_update(c, rec, &m, kind);
}

static void
mrtcmd_record(struct mrtcmd *c, const struct mrt_record *rec)
{
	switch (rec->type) {
	case MRT_TABLE_DUMP:
		mrtcmd_td(c, rec);
		break;
	case MRT_TABLE_DUMP_V2:
		mrtcmd_td2(c, rec);
		break;
	case MRT_BGP:
	case MRT_BGP4MP:
	case MRT_BGP4MP_ET:
		mrtcmd_bgp4mp(c, rec);
		break;
	default:
		c->skipped[rec->type]++;
		break;
	}
	if (wbuf_len(&c->outbuf) + c->text.n >= MRTCMD_FLUSH)
		mrtcmd_flush(c);
}

/* Tell what was recognised but not decoded (not a warning). */
static void
mrtcmd_skipped(const struct mrtcmd *c)
{
	const char *name;
	unsigned t;

	for (t = 0; t < MRT_TYPE_MAX; t++) {
		if (c->skipped[t] == 0)
			continue;
		name = mrt_type_name((uint16_t)t);
		fprintf(stderr,
		    "bgpwatchctl: mrt: %s: %" PRIu64 " %s record%s not "
		    "decoded\n",
		    c->warn.path, c->skipped[t], name != NULL ? name : "?",
		    c->skipped[t] == 1 ? "" : "s");
	}
}

/* Read one file; 0 when it was clean, 1 otherwise. */
static int
mrtcmd_file(struct mrtcmd *c, const char *path)
{
	struct mrt_reader rd;
	struct mrt_record rec;
	struct mrtfile *f;
	char err[200];
	bool failed;
	int r;

	memset(&c->warn, 0, sizeof(c->warn));
	c->warn.cmd = "mrt";
	c->warn.path = path;
	memset(c->skipped, 0, sizeof(c->skipped));
	mrt_peers_free(&c->peers);
	if ((f = mrtfile_open(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bgpwatchctl: mrt: %s: %s\n", path, err);
		return 1;
	}
	c->warn.file = f;
	mrt_reader_init(&rd, mrtfile_read, f, mrtfile_reader_warn, &c->warn);
	while ((r = mrt_next(&rd, &rec)) == 1)
		mrtcmd_record(c, &rec);
	if (r == -1)
		mrtfile_warn(&c->warn, rd.base + rd.start, "out of memory");
	failed = mrtfile_error(f) != NULL;
	mrtcmd_flush(c);
	mrtfile_warn_end(&c->warn);
	mrtcmd_skipped(c);
	mrt_reader_free(&rd);
	mrtfile_close(f);
	c->warn.file = NULL;
	mrt_peers_free(&c->peers);
	free(c->ptext);
	c->ptext = NULL;
	return c->warn.count > 0 || failed;
}

int
mrt_cmd(int argc, char **argv)
{
	struct mrtcmd c;
	int ch, i, status = CTL_EXIT_OK;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt(argc, argv, "j")) != -1) {
		switch (ch) {
		case 'j':
			c.json = true;
			break;
		default:
			fprintf(
			    stderr, "usage: bgpwatchctl mrt [-j] file ...\n");
			return CTL_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fprintf(stderr, "usage: bgpwatchctl mrt [-j] file ...\n");
		return CTL_EXIT_USAGE;
	}
	c.out = stdout;
	c.text.buf = malloc(MRTCMD_TEXT_BUF);
	c.attrtext.buf = malloc(MRTCMD_TEXT_BUF);
	if (!c.json)
		c.memo = calloc(MRTCMD_MEMO_SLOTS, sizeof(*c.memo));
	if (c.text.buf == NULL || c.attrtext.buf == NULL ||
	    (!c.json && c.memo == NULL)) {
		free(c.text.buf);
		free(c.attrtext.buf);
		free(c.memo);
		fprintf(stderr, "bgpwatchctl: mrt: out of memory\n");
		return CTL_EXIT_FAIL;
	}
	wbuf_init_dyn(&c.outbuf, 0);
	wbuf_init_dyn(&c.attrbuf, 0);
	c.text.w = &c.outbuf;
	wbuf_init_dyn(&c.scratch, 0);
	wbuf_init_dyn(&c.jbuf, 0);
	wbuf_init_dyn(&c.mbuf, 0);
	for (i = 0; i < argc; i++)
		if (mrtcmd_file(&c, argv[i]) != 0)
			status = CTL_EXIT_FAIL;
	if (fflush(c.out) == EOF || c.write_failed)
		status = CTL_EXIT_FAIL;
	wbuf_free(&c.outbuf);
	wbuf_free(&c.attrbuf);
	wbuf_free(&c.scratch);
	wbuf_free(&c.jbuf);
	wbuf_free(&c.mbuf);
	free(c.memo);
	free(c.text.buf);
	free(c.attrtext.buf);
	return status;
}
