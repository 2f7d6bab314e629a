/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT (RFC 6396) record writing: TABLE_DUMP_V2 PEER_INDEX_TABLE and
 * RIB_IPV4/IPV6_UNICAST records (§4.3, RFC 8050 §4 ADD-PATH subtypes) and
 * BGP4MP_ET messages and state changes (§4.4, RFC 8050 §3). Pure encoding
 * into a wbuf: no files, no clocks. The reader is lib/mrt.h.
 *
 * Public: mrtw_peer_index(), mrtw_rib_begin(), mrtw_rib_entry(),
 *         mrtw_rib_end(), mrtw_bgp4mp(), mrtw_attrs_len().
 */
#ifndef BGPWATCH_MRTW_H
#define BGPWATCH_MRTW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "mrt.h"
#include "prefix.h"
#include "wbuf.h"

/* A RIB_* record being built: opened by mrtw_rib_begin(). */
struct mrtw_rib {
	size_t start; /* offset of the MRT header in the wbuf */
	size_t count_off; /* offset of the entry count */
	uint16_t count;
	bool addpath;
};

/*
 * Append a TABLE_DUMP_V2 PEER_INDEX_TABLE record (RFC 6396 §4.3.1) of the
 * t->count peers of t, timestamped ts, with t->view as view name. Peer
 * entries always carry 4-octet AS numbers (peer type bit 1). Errors are
 * left in w (wbuf_error()); a view name over 65535 octets sets it too.
 */
void mrtw_peer_index(struct wbuf *w, uint32_t ts, const struct mrt_peers *t);

/*
 * Open a RIB_IPV4_UNICAST or RIB_IPV6_UNICAST record (RFC 6396 §4.3.2),
 * or its _ADDPATH twin when addpath (RFC 8050 §4), for prefix p with
 * sequence number seq, and no entries yet. Add entries with
 * mrtw_rib_entry() and close it with mrtw_rib_end().
 */
void mrtw_rib_begin(struct wbuf *w, struct mrtw_rib *rib, uint32_t ts,
    uint32_t seq, const struct prefix *p, bool addpath);

/*
 * Append one RIB entry to the open record rib: the route of peer number
 * peer_index (in the PEER_INDEX_TABLE) received at originated, with
 * path_id (written only in an ADD-PATH record) and the canonical
 * attribute blob attrs/attrlen of update_attrs_canon(). Its reduced
 * MP_REACH_NLRI (AFI, SAFI, next hop, reserved) is written as RFC 6396
 * §4.3.4 wants it: next-hop length and next hop only. Returns 0, or -1
 * with nothing written when the blob does not parse as attributes or the
 * record already has 65535 entries.
 */
int mrtw_rib_entry(struct wbuf *w, struct mrtw_rib *rib, uint16_t peer_index,
    uint32_t originated, uint32_t path_id, const uint8_t *attrs,
    size_t attrlen) WUR;

/* Close rib: fill in its entry count and the record length. */
void mrtw_rib_end(struct wbuf *w, const struct mrtw_rib *rib);

/*
 * Append a BGP4MP_ET record (RFC 6396 §3, §4.4) at ts.usec from the
 * fields of m that mrt_bgp4mp_parse() fills: a STATE_CHANGE_AS4 of
 * old_state/new_state when m->is_state, else a MESSAGE_AS4 (or
 * MESSAGE_AS4_ADDPATH when m->addpath, RFC 8050 §3) holding the whole BGP
 * message m->msg/m->msglen with its header. Addresses are m->afi's
 * (AFI_IPV4: 4 octets, AFI_IPV6: 16). m->as4 false (a session without
 * 4-octet AS numbers, RFC 6793) makes a message a MESSAGE or
 * MESSAGE_ADDPATH record with 2-octet AS fields (AS_TRANS for wider
 * ones), since readers take a MESSAGE_AS4's AS_PATH as 4-octet; state
 * changes are always STATE_CHANGE_AS4. m->local is ignored (always
 * received).
 */
void mrtw_bgp4mp(
    struct wbuf *w, uint32_t ts, uint32_t usec, const struct mrt_bgp4mp *m);

/*
 * Length of the canonical blob attrs/len once converted for a RIB entry
 * (see mrtw_rib_entry()), or -1 when it does not parse as attributes.
 */
long mrtw_attrs_len(const uint8_t *attrs, size_t len);

#endif
