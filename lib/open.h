/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The OPEN message (RFC 4271 §4.2) with RFC 5492 optional parameters and
 * RFC 9072 extended optional parameters, and every capability bgpwatch
 * understands: MP (RFC 4760), route refresh (2918) and enhanced (7313),
 * 4-octet AS (6793), ADD-PATH (7911), extended messages (8654), graceful
 * restart (4724), extended next hop (8950), BGP role (9234), FQDN; unknown
 * ones are kept raw. Also the OPEN encoder and capability negotiation.
 *
 * Public: open_parse(), open_json(), open_encode(), open_negotiate(),
 *         capa_name(), role_name().
 */
#ifndef BGPWATCH_OPEN_H
#define BGPWATCH_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "explain.h"
#include "json.h"
#include "rbuf.h"
#include "wbuf.h"

/*
 * Room per list. A router announcing every family it knows (VPN, EVPN,
 * flowspec, labelled, multicast, BGP-LS, ... for two AFIs) exceeds 16, and
 * a family dropped from the ADD-PATH list would mis-decode every UPDATE.
 * Beyond these, entries are dropped and open_msg.truncated is set.
 */
#define OPEN_MAX_FAMILIES 64
#define OPEN_MAX_UNKNOWN 32

/* ADD-PATH send/receive flags, RFC 7911 §4. */
#define ADDPATH_RECV 1
#define ADDPATH_SEND 2

struct open_family {
	uint16_t afi;
	uint8_t safi;
	uint8_t flags; /* ADD-PATH: ADDPATH_*; GR: forwarding-state bit */
};

struct open_extnh {
	uint16_t nlri_afi;
	uint16_t nlri_safi;
	uint16_t nh_afi;
};

/*
 * Everything an OPEN said. Pointers (fqdn, unknown capability values)
 * point into the message and live as long as it does.
 */
struct open_msg {
	uint8_t version;
	uint16_t my_as; /* the 2-octet field (AS_TRANS with a 4-octet AS) */
	uint16_t holdtime; /* seconds; 0 or >= 3 */
	uint32_t bgp_id; /* host order */
	bool ext_params; /* RFC 9072 encoding was used */

	bool has_as4;
	uint32_t as4; /* RFC 6793 capability value */
	size_t n_mp;
	struct open_family mp[OPEN_MAX_FAMILIES];
	bool route_refresh;
	bool route_refresh_cisco;
	bool enhanced_rr;
	bool ext_msg;
	bool has_addpath; /* also with no tuples */
	size_t n_addpath;
	struct open_family addpath[OPEN_MAX_FAMILIES];
	bool has_gr;
	bool gr_restarted; /* R bit */
	bool gr_notification; /* N bit, RFC 8538 */
	uint16_t gr_time; /* restart time, seconds */
	size_t n_gr;
	struct open_family gr[OPEN_MAX_FAMILIES]; /* flags: 0x80 forwarding */
	bool has_extnh; /* also with no tuples */
	size_t n_extnh;
	struct open_extnh extnh[OPEN_MAX_FAMILIES];
	bool has_role;
	uint8_t role; /* RFC 9234 §4.1 */
	bool has_fqdn;
	const uint8_t *hostname;
	size_t hostname_len;
	const uint8_t *domainname;
	size_t domainname_len;
	size_t n_unknown;
	struct {
		uint8_t code;
		uint8_t len;
		const uint8_t *val;
		/* why a known code is kept raw (ignored), else NULL */
		const char *note;
	} unknown[OPEN_MAX_UNKNOWN];
	bool truncated; /* some list overflowed; entries were dropped */
};

/*
 * Decode an OPEN body (after the header). Returns 0 with *o filled, or -1
 * with *v the NOTIFICATION (RFC 4271 §6.2: 2/1 version with our version as
 * data, 2/2 bad peer AS left to the session, 2/3 BGP identifier 0,
 * 2/4 unsupported optional parameter, 2/6 hold time 1 or 2; 1/2 or 2/0 for
 * lengths that do not add up). A malformed capability is 2/0 with a
 * reason. Session-specific checks (peer AS, collisions) are the caller's.
 * In detail: *v is reset first. AS 0 in My AS or the 4-octet AS capability
 * is 2/2 whatever the session (RFC 7607 §2). A body under the 10 fixed
 * octets is 1/2 (without data: the header is not in view); an Optional
 * Parameters Length (or RFC 9072 extended length) that disagrees with the
 * octets present, and a parameter or capability overrunning its container,
 * are 2/0 as in OpenBGPD. Two BGP Role capabilities with different values
 * are 2/11 (RFC 9234 §4.2). An ADD-PATH capability with a Send/Receive
 * value outside 1..3 is not understood and ignored (RFC 7911 §4): it is
 * kept raw with a note.
 */
int open_parse(struct rbuf *body, struct open_msg *o, struct verdict *v,
    struct explain *ex) WUR;

/* Write the OPEN's fields (not the enclosing object) to j. */
void open_json(const struct open_msg *o, struct json *j);

/* What bgpwatch advertises in its own OPEN. */
struct open_params {
	uint32_t local_as;
	uint32_t bgp_id; /* host order */
	uint16_t holdtime;
	bool ipv4_unicast;
	bool ipv6_unicast;
	bool addpath_recv; /* ADD-PATH receive for every family above */
	bool ext_msg;
	bool route_refresh; /* also enhanced route refresh */
	bool graceful_restart;
	uint16_t gr_time; /* 12 bits: larger values are sent as 4095 */
	bool gr_restarted; /* R bit, RFC 4724 §3: set only when asked */
	bool extended_nexthop; /* IPv4 NLRI over IPv6 next hop, RFC 8950 */
	bool has_role;
	uint8_t role;
	const char *hostname; /* FQDN capability, NULL for none */
};

/*
 * Append our whole OPEN message (header included) to w; check
 * wbuf_error() once. My AS is AS_TRANS when local_as needs 4 octets
 * (RFC 6793 §4.1); the 4-octet AS capability is always sent. One
 * Capabilities parameter holds every capability; only when the optional
 * parameters would exceed 255 octets is the RFC 9072 extended encoding
 * used. The FQDN hostname is split at its first dot into host name and
 * domain name, cut to fit the 255-octet capability.
 */
void open_encode(struct wbuf *w, const struct open_params *p);

/*
 * Derive the decoding state of a session from what we sent and what the
 * peer sent (RFC 5492 §3: a capability is in effect only when both sides
 * advertised it): 4-octet AS, extended messages, ADD-PATH receive.
 * ADD-PATH (RFC 7911 §4): path ids arrive for a family when we advertised
 * receive for it (addpath_recv and the family enabled) and the peer
 * advertised send; the peer's last tuple for a family counts. *s is
 * overwritten.
 */
void open_negotiate(const struct open_params *ours,
    const struct open_msg *theirs, struct bgp_sess *s);

/* "multiprotocol", "route-refresh", ... or NULL when unknown. */
const char *capa_name(uint8_t code);
/* "provider", "rs", "rs-client", "customer", "peer" or NULL. */
const char *role_name(uint8_t role);

#endif
