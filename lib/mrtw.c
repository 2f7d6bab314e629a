/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT (RFC 6396) record writing: TABLE_DUMP_V2 and BGP4MP_ET records built
 * in a wbuf. See mrtw.h for the contracts.
 */
#include <string.h>

#include "attr.h"
#include "mrtw.h"
#include "rbuf.h"

/* RFC 6396 §4.3.1: Peer Type bits. */
#define MRTW_PEER_IPV6 0x01
#define MRTW_PEER_AS4 0x02

/* Append an MRT header (§2) with a zero length; return its offset. */
static size_t
mrtw_hdr(struct wbuf *w, uint32_t ts, uint16_t type, uint16_t subtype)
{
	size_t off = wbuf_len(w);

	wbuf_put_u32(w, ts);
	wbuf_put_u16(w, type);
	wbuf_put_u16(w, subtype);
	wbuf_put_u32(w, 0);
	return off;
}

/* Fill in the length of the record whose header is at start. */
static void
mrtw_finish(struct wbuf *w, size_t start)
{
	size_t len;

	if (wbuf_error(w))
		return;
	len = wbuf_len(w) - start - MRT_HDR_LEN;
	wbuf_set_u16(w, start + 8, (uint16_t)(len >> 16));
	wbuf_set_u16(w, start + 10, (uint16_t)len);
}

static size_t
mrtw_addr_len(uint16_t afi)
{
	return afi == AFI_IPV6 ? 16 : 4;
}

void
mrtw_peer_index(struct wbuf *w, uint32_t ts, const struct mrt_peers *t)
{
	size_t start, vlen = strlen(t->view);
	const struct mrt_peer *p;
	uint16_t i;

	start = mrtw_hdr(w, ts, MRT_TABLE_DUMP_V2, MRT_TD2_PEER_INDEX_TABLE);
	wbuf_put_u32(w, t->collector_id);
	wbuf_put_u16(w, (uint16_t)vlen);
	wbuf_put_bytes(w, t->view, vlen);
	wbuf_put_u16(w, t->count);
	for (i = 0; i < t->count; i++) {
		p = &t->peer[i];
		wbuf_put_u8(w,
		    MRTW_PEER_AS4 | (p->afi == AFI_IPV6 ? MRTW_PEER_IPV6 : 0));
		wbuf_put_u32(w, p->bgp_id);
		wbuf_put_bytes(w, p->ip, mrtw_addr_len(p->afi));
		wbuf_put_u32(w, p->as);
	}
	mrtw_finish(w, start);
}

void
mrtw_rib_begin(struct wbuf *w, struct mrtw_rib *rib, uint32_t ts, uint32_t seq,
    const struct prefix *p, bool addpath)
{
	uint16_t sub;

	if (p->afi == AFI_IPV6)
		sub = addpath ? MRT_TD2_RIB_IPV6_UNICAST_ADDPATH
		              : MRT_TD2_RIB_IPV6_UNICAST;
	else
		sub = addpath ? MRT_TD2_RIB_IPV4_UNICAST_ADDPATH
		              : MRT_TD2_RIB_IPV4_UNICAST;
	rib->start = mrtw_hdr(w, ts, MRT_TABLE_DUMP_V2, sub);
	rib->addpath = addpath;
	rib->count = 0;
	wbuf_put_u32(w, seq);
	wbuf_put_u8(w, p->len);
	wbuf_put_bytes(w, p->addr, (p->len + 7u) / 8u);
	rib->count_off = wbuf_reserve(w, 2);
}

/*
 * The reduced MP_REACH_NLRI value v (AFI, SAFI, next-hop length, next hop,
 * reserved) as RFC 6396 §4.3.4 wants it (next-hop length, next hop):
 * appended to w when w is not NULL. Returns the attribute's length.
 */
static long
mrtw_reach(struct rbuf *v, uint8_t flags, struct wbuf *w)
{
	uint8_t val[1 + 255], safi, nhlen;
	uint16_t afi;

	if (rbuf_get_u16(v, &afi) == -1 || rbuf_get_u8(v, &safi) == -1 ||
	    rbuf_get_u8(v, &nhlen) == -1 ||
	    rbuf_get_bytes(v, val + 1, nhlen) == -1)
		return -1;
	val[0] = nhlen;
	if (w != NULL)
		attr_put(w, flags, ATTR_MP_REACH_NLRI, val, 1u + nhlen);
	return 3 + 1 + nhlen;
}

/* Convert attrs into w (or only measure, w NULL): length or -1. */
static long
mrtw_attrs(const uint8_t *attrs, size_t len, struct wbuf *w)
{
	struct rbuf r, v;
	uint8_t flags, type;
	long n, total = 0;
	size_t vlen;

	rbuf_init(&r, attrs, len);
	while (rbuf_left(&r) > 0) {
		if (attr_hdr_next(&r, &flags, &type, &v) == -1)
			return -1;
		if (type == ATTR_MP_REACH_NLRI) {
			if ((n = mrtw_reach(&v, flags, w)) == -1)
				return -1;
			total += n;
			continue;
		}
		vlen = rbuf_left(&v);
		if (w != NULL)
			attr_put(w, flags, type, rbuf_ptr(&v), vlen);
		total += (long)(vlen + (vlen > 255 ? 4 : 3));
	}
	return total;
}

long
mrtw_attrs_len(const uint8_t *attrs, size_t len)
{
	return mrtw_attrs(attrs, len, NULL);
}

int
mrtw_rib_entry(struct wbuf *w, struct mrtw_rib *rib, uint16_t peer_index,
    uint32_t originated, uint32_t path_id, const uint8_t *attrs, size_t attrlen)
{
	long n;

	n = mrtw_attrs(attrs, attrlen, NULL);
	if (n < 0 || n > UINT16_MAX || rib->count == UINT16_MAX)
		return -1;
	wbuf_put_u16(w, peer_index);
	wbuf_put_u32(w, originated);
	if (rib->addpath)
		wbuf_put_u32(w, path_id); /* RFC 8050 §4 */
	wbuf_put_u16(w, (uint16_t)n);
	if (mrtw_attrs(attrs, attrlen, w) != n)
		return -1; /* not reached: the first pass checked */
	rib->count++;
	return 0;
}

void
mrtw_rib_end(struct wbuf *w, const struct mrtw_rib *rib)
{
	if (wbuf_error(w))
		return;
	wbuf_set_u16(w, rib->count_off, rib->count);
	mrtw_finish(w, rib->start);
}

/* A 2-octet AS field: the number, or AS_TRANS (RFC 6793 §9). */
static uint16_t
mrtw_as2(uint32_t as)
{
	return as > 0xffff ? BGP_AS_TRANS : (uint16_t)as;
}

void
mrtw_bgp4mp(
    struct wbuf *w, uint32_t ts, uint32_t usec, const struct mrt_bgp4mp *m)
{
	uint16_t sub;
	size_t start, alen = mrtw_addr_len(m->afi);
	/*
	 * §4.4.3: readers take the AS_PATH of a MESSAGE_AS4 record as 4-octet
	 * AS numbers, so a message of a 2-octet session is a MESSAGE record.
	 */
	bool as4 = m->is_state || m->as4;

	if (m->is_state)
		sub = MRT_BGP4MP_STATE_CHANGE_AS4;
	else if (m->addpath)
		sub = as4 ? MRT_BGP4MP_MESSAGE_AS4_ADDPATH
		          : MRT_BGP4MP_MESSAGE_ADDPATH;
	else
		sub = as4 ? MRT_BGP4MP_MESSAGE_AS4 : MRT_BGP4MP_MESSAGE;
	/* §3: the microseconds count in the length field. */
	start = mrtw_hdr(w, ts, MRT_BGP4MP_ET, sub);
	wbuf_put_u32(w, usec);
	if (as4) {
		wbuf_put_u32(w, m->peer_as);
		wbuf_put_u32(w, m->local_as);
	} else {
		/* §4.4.2; RFC 6793 §4.2.2: AS_TRANS stands for a wide one. */
		wbuf_put_u16(w, mrtw_as2(m->peer_as));
		wbuf_put_u16(w, mrtw_as2(m->local_as));
	}
	wbuf_put_u16(w, m->ifindex);
	wbuf_put_u16(w, m->afi == AFI_IPV6 ? AFI_IPV6 : AFI_IPV4);
	wbuf_put_bytes(w, m->peer_ip, alen);
	wbuf_put_bytes(w, m->local_ip, alen);
	if (m->is_state) {
		wbuf_put_u16(w, m->old_state);
		wbuf_put_u16(w, m->new_state);
	} else
		wbuf_put_bytes(w, m->msg, m->msglen);
	mrtw_finish(w, start);
}
