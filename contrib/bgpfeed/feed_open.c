/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpfeed's OPEN: unlike bgpwatchd's open_encode() it can leave out the
 * 4-octet AS capability (to play a 2-octet speaker) and offers ADD-PATH
 * send; and the negotiation of what the session runs with.
 *
 * Public: feed_open_encode(), feed_open_negotiate().
 */
#include <string.h>

#include "feed.h"
#include "msg.h"

/* One capability (RFC 5492 §4): code, length, value. */
static void
feed_capa(struct wbuf *w, uint8_t code, const void *val, uint8_t len)
{
	wbuf_put_u8(w, code);
	wbuf_put_u8(w, len);
	wbuf_put_bytes(w, val, len);
}

/* The capabilities of p, without the parameter header. */
static void
feed_open_capas(struct wbuf *w, const struct feed_open *p)
{
	static const uint8_t mp4[4] = { 0, AFI_IPV4, 0, SAFI_UNICAST };
	static const uint8_t mp6[4] = { 0, AFI_IPV6, 0, SAFI_UNICAST };
	uint8_t v[8];

	feed_capa(w, CAPA_MP, mp4, 4); /* RFC 4760 §8 */
	feed_capa(w, CAPA_MP, mp6, 4);
	if (p->ext_msg)
		feed_capa(w, CAPA_EXT_MSG, NULL, 0); /* RFC 8654 §3 */
	if (p->as4) { /* RFC 6793 §3 */
		v[0] = (uint8_t)(p->local_as >> 24);
		v[1] = (uint8_t)(p->local_as >> 16);
		v[2] = (uint8_t)(p->local_as >> 8);
		v[3] = (uint8_t)p->local_as;
		feed_capa(w, CAPA_AS4, v, 4);
	}
	if (p->addpath != 0) { /* RFC 7911 §4: AFI, SAFI, Send/Receive */
		v[0] = 0;
		v[1] = AFI_IPV4;
		v[2] = SAFI_UNICAST;
		v[3] = p->addpath;
		v[4] = 0;
		v[5] = AFI_IPV6;
		v[6] = SAFI_UNICAST;
		v[7] = p->addpath;
		feed_capa(w, CAPA_ADD_PATH, v, 8);
	}
}

void
feed_open_encode(struct wbuf *w, const struct feed_open *p)
{
	size_t hdr, plen_off, capa_off;

	hdr = msg_encode_header(w, BGP_MSG_OPEN);
	wbuf_put_u8(w, BGP_VERSION);
	/* RFC 6793 §4.1: AS_TRANS when the AS needs four octets. */
	wbuf_put_u16(
	    w, p->local_as > 0xffff ? BGP_AS_TRANS : (uint16_t)p->local_as);
	wbuf_put_u16(w, p->hold);
	wbuf_put_u32(w, p->bgp_id);
	plen_off = wbuf_reserve(w, 1);
	wbuf_put_u8(w, OPT_PARAM_CAPA);
	capa_off = wbuf_reserve(w, 1);
	feed_open_capas(w, p);
	if (!wbuf_error(w)) {
		w->buf[capa_off] = (uint8_t)(wbuf_len(w) - capa_off - 1);
		w->buf[plen_off] = (uint8_t)(wbuf_len(w) - plen_off - 1);
	}
	msg_encode_finish(w, hdr);
}

/* Did they announce (afi, SAFI_UNICAST) in an MP capability? */
static bool
feed_open_has_mp(const struct open_msg *o, uint16_t afi)
{
	size_t i;

	if (o->n_mp == 0) /* RFC 4760 §8: IPv4 unicast is implied */
		return afi == AFI_IPV4;
	for (i = 0; i < o->n_mp; i++)
		if (o->mp[i].afi == afi && o->mp[i].safi == SAFI_UNICAST)
			return true;
	return false;
}

/* Their ADD-PATH flags for (afi, unicast): the last tuple counts. */
static uint8_t
feed_open_addpath(const struct open_msg *o, uint16_t afi)
{
	uint8_t f = 0;
	size_t i;

	for (i = 0; i < o->n_addpath; i++)
		if (o->addpath[i].afi == afi &&
		    o->addpath[i].safi == SAFI_UNICAST)
			f = o->addpath[i].flags;
	return f;
}

void
feed_open_negotiate(const struct feed_open *ours, const struct open_msg *theirs,
    struct feed_neg *n)
{
	static const struct {
		uint16_t afi;
		int fam;
	} fams[] = { { AFI_IPV4, FAM_IPV4_UNICAST },
		{ AFI_IPV6, FAM_IPV6_UNICAST } };
	uint8_t f;
	size_t i;

	memset(n, 0, sizeof(*n));
	n->v4 = feed_open_has_mp(theirs, AFI_IPV4);
	n->v6 = feed_open_has_mp(theirs, AFI_IPV6);
	n->tx.as4 = n->rx.as4 = ours->as4 && theirs->has_as4;
	n->tx.ext_msg = n->rx.ext_msg = ours->ext_msg && theirs->ext_msg;
	for (i = 0; i < 2; i++) {
		f = feed_open_addpath(theirs, fams[i].afi);
		if ((ours->addpath & ADDPATH_SEND) && (f & ADDPATH_RECV))
			n->tx.addpath_tx |= 1u << fams[i].fam;
		if ((ours->addpath & ADDPATH_RECV) && (f & ADDPATH_SEND))
			n->rx.addpath_rx |= 1u << fams[i].fam;
	}
	n->hold = theirs->holdtime < ours->hold ? theirs->holdtime : ours->hold;
	n->peer_as = theirs->has_as4 ? theirs->as4 : theirs->my_as;
}
