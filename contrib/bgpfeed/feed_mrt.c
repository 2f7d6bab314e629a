/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT inputs of bgpfeed (RFC 6396), read as a stream: the routes one peer
 * of a RIB dump (TABLE_DUMP_V2 or TABLE_DUMP) had, packed by attribute set
 * within a window of consecutive routes; and the UPDATEs of BGP4MP(_ET)
 * update files, re-encoded for this session, as fast as possible or paced
 * by their timestamps.
 *
 * Public: mrtrib_new(), mrtupd_new().
 */
#include <stdlib.h>
#include <string.h>

#include "../../bgpd/mrtfile.h"
#include "feed.h"
#include "mrt.h"
#include "rbuf.h"
#include "update.h"

#define RIB_WIN 2048 /* routes grouped by attribute set at a time */
#define RIB_ARENA (1024 * 1024)
#define RIB_HASH (2 * RIB_WIN)
#define UPD_MAXPFX 65536

/* An MRT file being read. */
struct mrt_in {
	char *path;
	struct mrtfile *f;
	struct mrt_reader rd;
	bool open;
};

static void
mrt_in_close(struct mrt_in *in)
{
	if (!in->open)
		return;
	mrt_reader_free(&in->rd);
	mrtfile_close(in->f);
	in->open = false;
}

static void
mrt_in_warn(void *arg, uint64_t off, const char *msg)
{
	struct mrt_in *in = arg;

	if (strcmp(msg, MRT_INPUT_ERROR) == 0)
		msg = mrtfile_error(in->f) != NULL ? mrtfile_error(in->f) : msg;
	feed_warnx(
	    "%s: offset %llu: %s", in->path, (unsigned long long)off, msg);
}

static int
mrt_in_open(struct mrt_in *in, const char *path)
{
	char err[256];

	mrt_in_close(in);
	in->path = (char *)path;
	if ((in->f = mrtfile_open(path, err, sizeof(err))) == NULL) {
		feed_warnx("%s: %s", path, err);
		return -1;
	}
	mrt_reader_init(&in->rd, mrtfile_read, in->f, mrt_in_warn, in);
	in->open = true;
	return 0;
}

/* The next record: 1, 0 at the end, -1 out of memory. */
static int
mrt_in_next(struct mrt_in *in, struct mrt_record *rec)
{
	int r = mrt_next(&in->rd, rec);

	if (r == -1)
		feed_warnx("%s: out of memory", in->path);
	return r;
}

/*
 * An MP_REACH_NLRI for IPv6 prefix p from the value v of a RIB entry's
 * (RFC 6396 §4.3.4: only next hop length and next hop, or the whole
 * RFC 4760 §3 form): AFI, SAFI, next hop, Reserved and p as NLRI.
 */
static int
mrt_reach(struct rbuf v, const struct prefix *p, struct wbuf *w)
{
	struct rbuf nh = v;
	uint8_t nhlen;
	uint16_t afi;
	size_t nb = ((size_t)p->len + 7) / 8;

	if (rbuf_get_u8(&nh, &nhlen) == -1 || rbuf_left(&nh) != nhlen) {
		nh = v;
		if (rbuf_get_u16(&nh, &afi) == -1 || rbuf_skip(&nh, 1) == -1 ||
		    rbuf_get_u8(&nh, &nhlen) == -1 || rbuf_left(&nh) < nhlen)
			return -1;
	}
	wbuf_put_u8(w, ATTR_F_OPTIONAL | ATTR_F_EXTLEN);
	wbuf_put_u8(w, ATTR_MP_REACH_NLRI);
	wbuf_put_u16(w, (uint16_t)(5 + nhlen + 1 + nb));
	wbuf_put_u16(w, AFI_IPV6);
	wbuf_put_u8(w, SAFI_UNICAST);
	wbuf_put_u8(w, nhlen);
	wbuf_put_bytes(w, rbuf_ptr(&nh), nhlen);
	wbuf_put_u8(w, 0);
	wbuf_put_u8(w, p->len);
	wbuf_put_bytes(w, p->addr, nb);
	return 0;
}

/* Copy the attributes of an MRT entry for p into an UPDATE being built. */
static int
mrt_attrs(
    const struct prefix *p, const uint8_t *attrs, size_t alen, struct wbuf *w)
{
	uint8_t flags, type;
	struct rbuf r, v;

	rbuf_init(&r, attrs, alen);
	while (rbuf_left(&r) > 0) {
		if (attr_hdr_next(&r, &flags, &type, &v) == -1)
			return -1;
		if (type != ATTR_MP_REACH_NLRI)
			attr_put(w, flags, type, rbuf_ptr(&v), rbuf_left(&v));
		else if (p->afi == AFI_IPV6 && mrt_reach(v, p, w) == -1)
			return -1; /* IPv4 routes use NEXT_HOP */
	}
	return 0;
}

/*
 * A canonical blob from the attributes of an MRT entry for prefix p: an
 * UPDATE body is put together and run through update_parse() like any
 * received UPDATE.
 */
static int
mrt_canon(const struct prefix *p, const uint8_t *attrs, size_t alen, bool as4,
    uint8_t *body, size_t cap, struct wbuf *out)
{
	struct bgp_sess s = { .as4 = as4 };
	struct update u;
	struct wbuf w;
	size_t alen_off;

	wbuf_init_fixed(&w, body, cap);
	wbuf_put_u16(&w, 0);
	alen_off = wbuf_reserve(&w, 2);
	if (mrt_attrs(p, attrs, alen, &w) == -1 || wbuf_error(&w))
		return -1;
	wbuf_set_u16(&w, alen_off, (uint16_t)(wbuf_len(&w) - 4));
	if (p->afi == AFI_IPV4) {
		wbuf_put_u8(&w, p->len);
		wbuf_put_bytes(&w, p->addr, ((size_t)p->len + 7) / 8);
	}
	if (wbuf_error(&w) ||
	    update_parse(body, wbuf_len(&w), &s, &u, NULL) == -1 ||
	    u.verdict.action > VERDICT_ATTR_DISCARD)
		return -1;
	return update_attrs_canon(&u, p->afi, out);
}

/* The RIB source ------------------------------------------------------ */

struct rib_route {
	struct updenc_pfx p;
	int32_t next; /* next route of the same group */
};

struct rib_group {
	uint32_t off, len; /* canonical blob in the arena */
	uint16_t afi;
	uint64_t hash;
	int32_t first, last;
};

struct mrtrib {
	const struct feed_opts *o;
	struct mrt_in in;
	bool td1; /* TABLE_DUMP: peers by address */
	int32_t sel; /* peer index of TABLE_DUMP_V2 */
	uint8_t sel_addr[16];
	uint8_t sel_afi;
	bool pending; /* rec read but not processed */
	struct mrt_record rec;
	uint64_t recs, recs_limit; /* records processed; limit when replaying */
	bool eof, withdrawing;
	int stage; /* after the input: 0 flush, 1 EoR v4, 2 EoR v6, 3 done */
	uint64_t bad;
	size_t nroutes, ngroups, arena_len;
	struct rib_route routes[RIB_WIN];
	struct rib_group groups[RIB_WIN];
	int32_t hash[RIB_HASH];
	uint8_t arena[RIB_ARENA];
	uint8_t body[BGP_EXT_MAX_LEN];
	uint8_t canon[BGP_EXT_MAX_LEN], edited[BGP_EXT_MAX_LEN];
	struct updenc_pfx pfx[RIB_WIN];
	struct updenc_pfx wd4[RIB_WIN], wd6[RIB_WIN];
	size_t nwd4, nwd6;
};

static uint64_t
rib_hash(uint16_t afi, const uint8_t *p, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ afi; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* Announce the window's routes, one attribute set at a time. */
static int
rib_flush(struct mrtrib *m, struct feed_out *o)
{
	struct rib_group *g;
	size_t i, n;
	int32_t k;

	for (i = 0; i < m->ngroups; i++) {
		g = &m->groups[i];
		for (n = 0, k = g->first; k != -1; k = m->routes[k].next)
			m->pfx[n++] = m->routes[k].p;
		if (feed_announce(
		        o, g->afi, m->arena + g->off, g->len, m->pfx, n) == -1)
			return -1;
	}
	m->nroutes = m->ngroups = m->arena_len = 0;
	memset(m->hash, 0xff, sizeof(m->hash));
	return 0;
}

/* Add one route to the window (which has room). */
static void
rib_add(struct mrtrib *m, uint16_t afi, const struct updenc_pfx *p,
    const uint8_t *canon, size_t len)
{
	uint64_t h = rib_hash(afi, canon, len);
	size_t i = (size_t)h % RIB_HASH;
	struct rib_group *g;
	int32_t r = (int32_t)m->nroutes++;

	while (m->hash[i] != -1) {
		g = &m->groups[m->hash[i]];
		if (g->hash == h && g->afi == afi && g->len == len &&
		    memcmp(m->arena + g->off, canon, len) == 0)
			break;
		i = (i + 1) % RIB_HASH;
	}
	if (m->hash[i] == -1) {
		m->hash[i] = (int32_t)m->ngroups;
		g = &m->groups[m->ngroups++];
		g->off = (uint32_t)m->arena_len;
		g->len = (uint32_t)len;
		g->afi = afi;
		g->hash = h;
		g->first = -1;
		memcpy(m->arena + m->arena_len, canon, len);
		m->arena_len += len;
	}
	g = &m->groups[m->hash[i]];
	m->routes[r].p = *p;
	m->routes[r].next = -1;
	if (g->first == -1)
		g->first = r;
	else
		m->routes[g->last].next = r;
	g->last = r;
}

/* One route of the chosen peer: into the window, or to withdraw. */
static int
rib_route(struct mrtrib *m, struct feed_out *o, const struct prefix *p,
    uint32_t path_id, const uint8_t *attrs, size_t alen, bool as4)
{
	struct updenc_pfx up = { .p = *p, .path_id = path_id };
	struct wbuf c, e;

	if (m->withdrawing) {
		if (p->afi == AFI_IPV4)
			m->wd4[m->nwd4++] = up;
		else
			m->wd6[m->nwd6++] = up;
		if (m->nwd4 == RIB_WIN || m->nwd6 == RIB_WIN) {
			feed_withdraw(o, AFI_IPV4, m->wd4, m->nwd4);
			feed_withdraw(o, AFI_IPV6, m->wd6, m->nwd6);
			m->nwd4 = m->nwd6 = 0;
		}
		return 0;
	}
	wbuf_init_fixed(&c, m->canon, sizeof(m->canon));
	wbuf_init_fixed(&e, m->edited, sizeof(m->edited));
	if (mrt_canon(p, attrs, alen, as4, m->body, sizeof(m->body), &c) ==
	        -1 ||
	    feed_canon_edit(m->canon, wbuf_len(&c), p->afi, o,
	        m->o->keep_nexthop, &e) == -1) {
		m->bad++;
		return 0;
	}
	if (m->nroutes == RIB_WIN || m->arena_len + wbuf_len(&e) > RIB_ARENA)
		if (rib_flush(m, o) == -1)
			return -1;
	rib_add(m, p->afi, &up, m->edited, wbuf_len(&e));
	return 0;
}

static int
rib_td2(struct mrtrib *m, struct feed_out *o, const struct mrt_record *rec)
{
	struct mrt_rib rib;
	struct mrt_rib_entry e;
	const char *why;
	int r;

	switch (rec->subtype) {
	case MRT_TD2_RIB_IPV4_UNICAST:
	case MRT_TD2_RIB_IPV6_UNICAST:
	case MRT_TD2_RIB_IPV4_UNICAST_ADDPATH:
	case MRT_TD2_RIB_IPV6_UNICAST_ADDPATH:
		break;
	default:
		return 0;
	}
	if (mrt_rib_parse(rec, &rib, &why) == -1) {
		m->bad++;
		return 0;
	}
	while ((r = mrt_rib_next(&rib, &e, &why)) == 1)
		if (e.peer_index == m->sel &&
		    rib_route(m, o, &rib.prefix, e.path_id, e.attrs, e.attrlen,
		        true) == -1)
			return -1;
	if (r == -1)
		m->bad++;
	return 0;
}

static int
rib_td1(struct mrtrib *m, struct feed_out *o, const struct mrt_record *rec)
{
	struct mrt_td td;
	struct mrt_td_entry e;
	const char *why;
	size_t alen = m->sel_afi == AFI_IPV4 ? 4 : 16;
	int r;

	if (mrt_td_init(rec, &td, &why) == -1) {
		m->bad++;
		return 0;
	}
	while ((r = mrt_td_next(&td, &e, &why)) == 1)
		if (td.afi == m->sel_afi &&
		    memcmp(e.peer_ip, m->sel_addr, alen) == 0 &&
		    rib_route(m, o, &e.prefix, 0, e.attrs, e.attrlen, false) ==
		        -1)
			return -1;
	if (r == -1)
		m->bad++;
	return 0;
}

static int
rib_record(struct mrtrib *m, struct feed_out *o, const struct mrt_record *rec)
{
	m->recs++;
	if (rec->type == MRT_TABLE_DUMP_V2 && !m->td1)
		return rib_td2(m, o, rec);
	if (rec->type == MRT_TABLE_DUMP && m->td1)
		return rib_td1(m, o, rec);
	return 0;
}

/* After the input: what is left in the window, then End-of-RIB. */
static enum feed_fill
rib_finish(struct mrtrib *m, struct feed_out *o)
{
	if (m->withdrawing) {
		feed_withdraw(o, AFI_IPV4, m->wd4, m->nwd4);
		feed_withdraw(o, AFI_IPV6, m->wd6, m->nwd6);
		m->nwd4 = m->nwd6 = 0;
		return FEED_DONE;
	}
	if (m->stage == 0) {
		if (rib_flush(m, o) == -1)
			return FEED_ERROR;
		if (m->bad > 0)
			feed_warnx("%s: %llu routes or records not usable",
			    m->in.path, (unsigned long long)m->bad);
	} else if (m->stage == 1) {
		feed_eor(o, AFI_IPV4);
	} else if (m->stage == 2) {
		feed_eor(o, AFI_IPV6);
	} else {
		return FEED_DONE;
	}
	m->stage++;
	return FEED_MORE;
}

static enum feed_fill
rib_fill(void *arg, struct feed_out *o, size_t budget, double now, double *due)
{
	struct mrtrib *m = arg;
	enum feed_fill r;
	int n;

	while (wbuf_len(o->w) < budget) {
		if (m->eof || (m->withdrawing && m->recs >= m->recs_limit)) {
			if ((r = rib_finish(m, o)) != FEED_MORE)
				return r;
			continue;
		}
		if (!m->pending) {
			if ((n = mrt_in_next(&m->in, &m->rec)) == -1)
				return FEED_ERROR;
			if (n == 0) {
				m->eof = true;
				continue;
			}
		}
		m->pending = false;
		if (rib_record(m, o, &m->rec) == -1)
			return FEED_ERROR;
	}
	return FEED_MORE;
}

static void
rib_withdraw_all(void *arg)
{
	struct mrtrib *m = arg;

	m->withdrawing = true;
	m->recs_limit = m->recs;
	m->recs = 0;
	m->eof = m->pending = false;
	m->nwd4 = m->nwd6 = 0;
	if (mrt_in_open(&m->in, m->o->mrt_rib) == -1)
		m->eof = true;
}

static void
rib_free(void *arg)
{
	struct mrtrib *m = arg;

	mrt_in_close(&m->in);
	free(m);
}

/* Find the chosen peer in a PEER_INDEX_TABLE (RFC 6396 §4.3.1). */
static int
rib_select(struct mrtrib *m, const struct mrt_record *rec)
{
	struct mrt_peers t = { 0 };
	const char *why, *sel = m->o->mrt_peer;
	char buf[ADDR_STRLEN], *end;
	unsigned long idx;
	uint16_t i;

	if (mrt_peers_parse(rec, &t, &why) == -1) {
		feed_warnx("%s: PEER_INDEX_TABLE: %s", m->in.path, why);
		return -1;
	}
	m->sel = -1;
	idx = sel != NULL ? strtoul(sel, &end, 10) : 0;
	if (sel != NULL && *end == '\0' && idx < t.count)
		m->sel = (int32_t)idx;
	for (i = 0; sel != NULL && m->sel == -1 && i < t.count; i++)
		if (t.peer[i].afi == m->sel_afi &&
		    memcmp(t.peer[i].ip, m->sel_addr,
		        m->sel_afi == AFI_IPV4 ? 4 : 16) == 0)
			m->sel = i;
	if (sel == NULL && t.count == 1)
		m->sel = 0;
	if (m->sel == -1) {
		feed_warnx("%s: %s; its %u peers are:", m->in.path,
		    sel == NULL ? "choose a peer with --peer ADDR|INDEX"
		                : "no such peer",
		    t.count);
		for (i = 0; i < t.count; i++)
			fprintf(stderr, "  %u %s AS %u\n", i,
			    addr_fmt(
			        t.peer[i].afi, t.peer[i].ip, buf, sizeof(buf)),
			    t.peer[i].as);
	}
	mrt_peers_free(&t);
	return m->sel == -1 ? -1 : 0;
}

/* Read up to the PEER_INDEX_TABLE (or the first TABLE_DUMP record). */
static int
rib_start(struct mrtrib *m)
{
	int n;

	while ((n = mrt_in_next(&m->in, &m->rec)) == 1) {
		if (m->rec.type == MRT_TABLE_DUMP_V2 &&
		    m->rec.subtype == MRT_TD2_PEER_INDEX_TABLE)
			return rib_select(m, &m->rec);
		if (m->rec.type == MRT_TABLE_DUMP) {
			if (m->o->mrt_peer == NULL || m->sel_afi == 0) {
				feed_warnx("%s: TABLE_DUMP has no peer "
				           "index: give --peer ADDR",
				    m->in.path);
				return -1;
			}
			m->td1 = true;
			m->pending = true;
			return 0;
		}
	}
	feed_warnx("%s: no PEER_INDEX_TABLE or TABLE_DUMP record", m->in.path);
	return -1;
}

struct feed_source *
mrtrib_new(const struct feed_opts *o)
{
	struct feed_source *src = calloc(1, sizeof(*src));
	struct mrtrib *m = calloc(1, sizeof(*m));

	if (src == NULL || m == NULL) {
		feed_warnx("out of memory");
		goto fail;
	}
	m->o = o;
	memset(m->hash, 0xff, sizeof(m->hash));
	if (o->mrt_peer != NULL &&
	    addr_parse(o->mrt_peer, &m->sel_afi, m->sel_addr) == -1)
		m->sel_afi = 0;
	if (mrt_in_open(&m->in, o->mrt_rib) == -1 || rib_start(m) == -1)
		goto fail;
	src->name = "mrt-rib";
	src->fill = rib_fill;
	src->withdraw_all = rib_withdraw_all;
	src->free = rib_free;
	src->arg = m;
	return src;
fail:
	if (m != NULL)
		rib_free(m);
	free(src);
	return NULL;
}

/* The update-file source -------------------------------------------- */

struct mrtupd {
	const struct feed_opts *o;
	struct mrt_in in;
	size_t fi; /* file being read */
	uint64_t recs; /* records read from it */
	size_t lim_fi; /* withdraw_all: replay up to here */
	uint64_t lim_recs;
	bool pending, withdrawing, done;
	struct mrt_record rec;
	bool have_t0;
	double t0;
	uint8_t filt_afi;
	uint8_t filt_addr[16];
	int stage; /* after the input: 0 EoR v4, 1 EoR v6, 2 done */
	uint64_t bad;
	uint8_t canon[BGP_EXT_MAX_LEN], edited[BGP_EXT_MAX_LEN];
	struct updenc_pfx p4[UPD_MAXPFX], p6[UPD_MAXPFX];
};

/* The prefixes of one part of u, by family (unicast only). */
static void
upd_collect(struct mrtupd *m, const struct update *u, enum update_part part,
    size_t *n4, size_t *n6)
{
	struct update_iter it;
	struct prefix p;
	uint32_t id;
	uint8_t safi;

	*n4 = *n6 = 0;
	update_iter_init(&it, u, part);
	while (update_iter_next(&it, &p, &id, &safi)) {
		if (safi != SAFI_UNICAST)
			continue;
		if (p.afi == AFI_IPV4 && *n4 < UPD_MAXPFX) {
			m->p4[*n4].p = p;
			m->p4[(*n4)++].path_id = id;
		} else if (p.afi == AFI_IPV6 && *n6 < UPD_MAXPFX) {
			m->p6[*n6].p = p;
			m->p6[(*n6)++].path_id = id;
		}
	}
}

static int
upd_announce(struct mrtupd *m, struct feed_out *o, const struct update *u,
    uint16_t afi, const struct updenc_pfx *p, size_t n)
{
	struct wbuf c, e;

	if (n == 0)
		return 0;
	wbuf_init_fixed(&c, m->canon, sizeof(m->canon));
	wbuf_init_fixed(&e, m->edited, sizeof(m->edited));
	if (update_attrs_canon(u, afi, &c) == -1 ||
	    feed_canon_edit(
	        m->canon, wbuf_len(&c), afi, o, m->o->keep_nexthop, &e) == -1) {
		m->bad++;
		return 0;
	}
	return feed_announce(o, afi, m->edited, wbuf_len(&e), p, n);
}

/* One UPDATE of the stream, re-encoded for this session. */
static int
upd_message(struct mrtupd *m, struct feed_out *o, const struct mrt_bgp4mp *b)
{
	struct bgp_sess s = { .as4 = b->as4,
		.addpath_rx = b->addpath ? 0xf : 0 };
	const uint8_t *body = b->msg;
	size_t len = b->msglen, n4, n6;
	struct update u;

	if (b->has_hdr) {
		if (len < BGP_HDR_LEN)
			return 0;
		body += BGP_HDR_LEN;
		len -= BGP_HDR_LEN;
	}
	if (update_parse(body, len, &s, &u, NULL) == -1) {
		m->bad++;
		return 0;
	}
	if (!m->withdrawing) {
		upd_collect(m, &u, UPDATE_WITHDRAWN, &n4, &n6);
		feed_withdraw(o, AFI_IPV4, m->p4, n4);
		feed_withdraw(o, AFI_IPV6, m->p6, n6);
	}
	upd_collect(m, &u, UPDATE_ANNOUNCED, &n4, &n6);
	if (m->withdrawing || u.treat_as_withdraw) {
		feed_withdraw(o, AFI_IPV4, m->p4, n4);
		feed_withdraw(o, AFI_IPV6, m->p6, n6);
		return 0;
	}
	if (upd_announce(m, o, &u, AFI_IPV4, m->p4, n4) == -1 ||
	    upd_announce(m, o, &u, AFI_IPV6, m->p6, n6) == -1)
		return -1;
	return 0;
}

/* A BGP4MP(_ET) or BGP record carrying an UPDATE from the peer, or NULL. */
static bool
upd_record(struct mrtupd *m, const struct mrt_record *rec, struct mrt_bgp4mp *b)
{
	const char *why;

	if (rec->type == MRT_BGP4MP || rec->type == MRT_BGP4MP_ET) {
		if (mrt_bgp4mp_parse(rec, b, &why) == -1)
			return false;
	} else if (rec->type == MRT_BGP) {
		if (mrt_bgp_parse(rec, b, &why) == -1)
			return false;
	} else {
		return false;
	}
	if (b->is_state || b->local || b->msgtype != BGP_MSG_UPDATE)
		return false;
	if (m->filt_afi != 0 &&
	    (b->afi != m->filt_afi ||
	        memcmp(b->peer_ip, m->filt_addr,
	            m->filt_afi == AFI_IPV4 ? 4 : 16) != 0))
		return false;
	return true;
}

/* Next record of the stream across files: 1, 0 at the end, -1. */
static int
upd_next(struct mrtupd *m)
{
	int n;

	for (;;) {
		if (m->withdrawing &&
		    (m->fi > m->lim_fi ||
		        (m->fi == m->lim_fi && m->recs >= m->lim_recs)))
			return 0;
		if (!m->in.open) {
			if (m->fi >= m->o->n_mrt_updates)
				return 0;
			if (mrt_in_open(&m->in, m->o->mrt_updates[m->fi]) == -1)
				return -1;
			m->recs = 0;
		}
		if ((n = mrt_in_next(&m->in, &m->rec)) != 0) {
			m->recs += n == 1;
			return n;
		}
		mrt_in_close(&m->in);
		m->fi++;
	}
}

static enum feed_fill
upd_fill(void *arg, struct feed_out *o, size_t budget, double now, double *due)
{
	struct mrtupd *m = arg;
	struct mrt_bgp4mp b;
	double t;
	int n;

	while (wbuf_len(o->w) < budget) {
		if (m->done) {
			if (m->withdrawing || m->stage == 2)
				return FEED_DONE;
			feed_eor(o, m->stage++ == 0 ? AFI_IPV4 : AFI_IPV6);
			continue;
		}
		if (!m->pending) {
			if ((n = upd_next(m)) == -1)
				return FEED_ERROR;
			if (n == 0) {
				m->done = true;
				if (m->bad > 0)
					feed_warnx("%llu UPDATEs not usable",
					    (unsigned long long)m->bad);
				continue;
			}
			if (!upd_record(m, &m->rec, &b))
				continue;
			m->pending = true;
		} else if (!upd_record(m, &m->rec, &b)) {
			m->pending = false;
			continue;
		}
		/* RFC 6396 §3: the _ET types add microseconds. */
		t = (double)m->rec.ts + (double)m->rec.usec / 1e6;
		if (!m->have_t0) {
			m->t0 = t;
			m->have_t0 = true;
		}
		if (!m->withdrawing && m->o->pace > 0 &&
		    (t - m->t0) / m->o->pace > now) {
			*due = (t - m->t0) / m->o->pace;
			return FEED_WAIT;
		}
		m->pending = false;
		if (upd_message(m, o, &b) == -1)
			return FEED_ERROR;
	}
	return FEED_MORE;
}

static void
upd_withdraw_all(void *arg)
{
	struct mrtupd *m = arg;

	m->withdrawing = true;
	m->lim_fi = m->fi;
	m->lim_recs = m->recs - (m->pending ? 1 : 0);
	m->pending = m->done = false;
	mrt_in_close(&m->in);
	m->fi = 0;
	m->recs = 0;
}

static void
upd_free(void *arg)
{
	struct mrtupd *m = arg;

	mrt_in_close(&m->in);
	free(m);
}

struct feed_source *
mrtupd_new(const struct feed_opts *o)
{
	struct feed_source *src = calloc(1, sizeof(*src));
	struct mrtupd *m = calloc(1, sizeof(*m));
	size_t i;

	if (src == NULL || m == NULL) {
		feed_warnx("out of memory");
		free(src);
		free(m);
		return NULL;
	}
	m->o = o;
	if (o->mrt_peer != NULL &&
	    addr_parse(o->mrt_peer, &m->filt_afi, m->filt_addr) == -1) {
		feed_warnx("--peer with update files takes an address");
		upd_free(m);
		free(src);
		return NULL;
	}
	/* Fail early on a file that does not open. */
	for (i = 0; i < o->n_mrt_updates; i++) {
		if (mrt_in_open(&m->in, o->mrt_updates[i]) == -1) {
			upd_free(m);
			free(src);
			return NULL;
		}
		mrt_in_close(&m->in);
	}
	src->name = "mrt-updates";
	src->fill = upd_fill;
	src->withdraw_all = upd_withdraw_all;
	src->free = upd_free;
	src->arg = m;
	return src;
}
