/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Wire constants of BGP-4 (RFC 4271 and its extensions), defined once, and
 * the types every decoder shares: the RFC 7606 verdict and the negotiated
 * session state that says how a message is to be decoded.
 *
 * Public: verdict_set(), verdict_action_name(), verdict_json_fields(),
 *         sess_addpath(), afi_name(), safi_name().
 */
#ifndef BGPWATCH_BGP_H
#define BGPWATCH_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WUR __attribute__((warn_unused_result))

/* RFC 4271 §4.1: header; RFC 8654: extended messages. */
#define BGP_MARKER_LEN 16
#define BGP_HDR_LEN 19
#define BGP_MIN_LEN 19
#define BGP_MAX_LEN 4096
#define BGP_EXT_MAX_LEN 65535
#define BGP_OPEN_MIN_LEN 29
#define BGP_UPDATE_MIN_LEN 23
#define BGP_KEEPALIVE_LEN 19
#define BGP_NOTIFICATION_MIN_LEN 21
#define BGP_RREFRESH_LEN 23
#define BGP_VERSION 4
#define BGP_AS_TRANS 23456 /* RFC 6793 §9 */

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5, /* RFC 2918 */
};

/* RFC 4271 §4.5 error codes; subcodes below per code. */
enum bgp_err_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_RREFRESH = 7, /* RFC 7313 §5 */
};

enum bgp_err_header {
	BGP_ERR_HDR_SYNC = 1,
	BGP_ERR_HDR_LEN = 2,
	BGP_ERR_HDR_TYPE = 3,
};

enum bgp_err_open {
	BGP_ERR_OPEN_VERSION = 1,
	BGP_ERR_OPEN_AS = 2,
	BGP_ERR_OPEN_BGPID = 3,
	BGP_ERR_OPEN_OPT = 4,
	BGP_ERR_OPEN_AUTH = 5, /* deprecated */
	BGP_ERR_OPEN_HOLD = 6,
	BGP_ERR_OPEN_CAPA = 7, /* RFC 5492 */
	BGP_ERR_OPEN_ROLE = 11, /* RFC 9234 */
};

enum bgp_err_update {
	BGP_ERR_UPD_ATTRLIST = 1,
	BGP_ERR_UPD_UNKNWN_WK = 2,
	BGP_ERR_UPD_MISSING = 3,
	BGP_ERR_UPD_FLAGS = 4,
	BGP_ERR_UPD_LENGTH = 5,
	BGP_ERR_UPD_ORIGIN = 6,
	BGP_ERR_UPD_LOOP = 7, /* deprecated */
	BGP_ERR_UPD_NEXTHOP = 8,
	BGP_ERR_UPD_OPTATTR = 9,
	BGP_ERR_UPD_NETWORK = 10,
	BGP_ERR_UPD_ASPATH = 11,
};

enum bgp_err_cease { /* RFC 4486, RFC 9003 */
	BGP_CEASE_MAX_PREFIX = 1,
	BGP_CEASE_ADMIN_DOWN = 2,
	BGP_CEASE_PEER_UNCONF = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONN_REJECT = 5,
	BGP_CEASE_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9, /* RFC 8538 */
	BGP_CEASE_BFD_DOWN = 10, /* RFC 9384 */
};

/* RFC 4271 §5 and IANA "BGP Path Attributes". */
enum bgp_attr_type {
	ATTR_ORIGIN = 1,
	ATTR_AS_PATH = 2,
	ATTR_NEXT_HOP = 3,
	ATTR_MED = 4,
	ATTR_LOCAL_PREF = 5,
	ATTR_ATOMIC_AGGREGATE = 6,
	ATTR_AGGREGATOR = 7,
	ATTR_COMMUNITIES = 8, /* RFC 1997 */
	ATTR_ORIGINATOR_ID = 9, /* RFC 4456 */
	ATTR_CLUSTER_LIST = 10, /* RFC 4456 */
	ATTR_MP_REACH_NLRI = 14, /* RFC 4760 */
	ATTR_MP_UNREACH_NLRI = 15,
	ATTR_EXT_COMMUNITIES = 16, /* RFC 4360 */
	ATTR_AS4_PATH = 17, /* RFC 6793 */
	ATTR_AS4_AGGREGATOR = 18,
	ATTR_PMSI_TUNNEL = 22,
	ATTR_TUNNEL_ENCAP = 23,
	ATTR_AIGP = 26,
	ATTR_LARGE_COMMUNITIES = 32, /* RFC 8092 */
	ATTR_OTC = 35, /* RFC 9234 */
	ATTR_ATTR_SET = 128,
};

/* RFC 4271 §4.3 attribute flags. */
#define ATTR_F_OPTIONAL 0x80
#define ATTR_F_TRANSITIVE 0x40
#define ATTR_F_PARTIAL 0x20
#define ATTR_F_EXTLEN 0x10

enum bgp_origin {
	ORIGIN_IGP = 0,
	ORIGIN_EGP = 1,
	ORIGIN_INCOMPLETE = 2,
};

/* AS_PATH segment types, RFC 4271 §4.3 and RFC 5065 §3. */
enum bgp_aspath_seg {
	AS_SET = 1,
	AS_SEQUENCE = 2,
	AS_CONFED_SEQUENCE = 3,
	AS_CONFED_SET = 4,
};

/* Capability codes (IANA "Capability Codes"). */
enum bgp_capa {
	CAPA_MP = 1, /* RFC 4760 */
	CAPA_ROUTE_REFRESH = 2, /* RFC 2918 */
	CAPA_ORF = 3, /* RFC 5291 */
	CAPA_EXT_NEXTHOP = 5, /* RFC 8950 */
	CAPA_EXT_MSG = 6, /* RFC 8654 */
	CAPA_ROLE = 9, /* RFC 9234 */
	CAPA_GRACEFUL = 64, /* RFC 4724 */
	CAPA_AS4 = 65, /* RFC 6793 */
	CAPA_ADD_PATH = 69, /* RFC 7911 */
	CAPA_ENHANCED_RR = 70, /* RFC 7313 */
	CAPA_LLGR = 71, /* RFC 9494 */
	CAPA_FQDN = 73, /* draft-walton-bgp-hostname-capability */
	CAPA_ROUTE_REFRESH_CISCO = 128,
};

/* Optional parameter types, RFC 5492 and RFC 9072. */
#define OPT_PARAM_CAPA 2
#define OPT_PARAM_EXT_LEN 255

enum bgp_afi {
	AFI_IPV4 = 1,
	AFI_IPV6 = 2,
	AFI_L2VPN = 25,
	AFI_BGPLS = 16388,
};

enum bgp_safi {
	SAFI_UNICAST = 1,
	SAFI_MULTICAST = 2,
	SAFI_MPLS_LABEL = 4,
	SAFI_MCAST_VPN = 5,
	SAFI_VPLS = 65,
	SAFI_EVPN = 70,
	SAFI_BGPLS = 71,
	SAFI_MPLS_VPN = 128,
	SAFI_VPN_MCAST = 129,
	SAFI_RTC = 132,
	SAFI_FLOWSPEC = 133,
	SAFI_FLOWSPEC_VPN = 134,
};

/* ROUTE-REFRESH message subtypes, RFC 7313 §3. */
enum bgp_rr_subtype {
	RR_NORMAL = 0,
	RR_BORR = 1,
	RR_EORR = 2,
};

/*
 * RFC 7606 §2 approaches to a malformed UPDATE, from least to most severe.
 * A decoder always reports the most severe one it found.
 */
enum verdict_action {
	VERDICT_OK = 0,
	VERDICT_ATTR_DISCARD,
	VERDICT_TREAT_AS_WITHDRAW,
	VERDICT_AFI_SAFI_DISABLE,
	VERDICT_SESSION_RESET,
};

/*
 * The outcome of decoding one message. For VERDICT_SESSION_RESET, code,
 * subcode and data are the NOTIFICATION to send (RFC 4271 §6); data points
 * into the decoded message and lives as long as it does.
 */
struct verdict {
	enum verdict_action action;
	uint8_t code;
	uint8_t subcode;
	const uint8_t *data;
	size_t datalen;
	char reason[192];
};

/*
 * Set *v to action with code/subcode/data and a printf-style reason, but
 * only if action is more severe than what *v already holds (RFC 7606 §3:
 * the most severe approach wins). Returns the action now in *v.
 */
enum verdict_action verdict_set(struct verdict *v, enum verdict_action action,
    uint8_t code, uint8_t subcode, const uint8_t *data, size_t datalen,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Reset *v to VERDICT_OK with an empty reason. */
void verdict_clear(struct verdict *v);
/* "ok", "attribute-discard", "treat-as-withdraw", ... */
const char *verdict_action_name(enum verdict_action action);
struct json;
/*
 * Write the keys of v into the JSON object the caller has open: "action",
 * "code", "subcode", "reason" and, when the verdict carries data, "data" in
 * hex (the data of the NOTIFICATION it calls for, RFC 4271 §6).
 */
void verdict_json_fields(const struct verdict *v, struct json *j);

/* Address families a session can carry ADD-PATH for (bit numbers). */
enum sess_family {
	FAM_IPV4_UNICAST = 0,
	FAM_IPV6_UNICAST = 1,
	FAM_IPV4_MULTICAST = 2,
	FAM_IPV6_MULTICAST = 3,
	FAM_COUNT
};

/*
 * What was negotiated on a session, as far as decoding depends on it.
 * as4: RFC 6793 four-octet AS numbers in AS_PATH/AGGREGATOR.
 * ext_msg: RFC 8654, messages up to 65535 octets.
 * addpath_rx: bit (1 << FAM_x) set when the peer sends RFC 7911 path ids.
 */
struct bgp_sess {
	bool as4;
	bool ext_msg;
	uint32_t addpath_rx;
	/*
	 * Non-zero: the attributes are those of an MRT RIB entry of this
	 * family (RFC 6396 §4.3.4), whose MP_REACH_NLRI may hold only the
	 * next hop length and the next hop. Zero for BGP sessions.
	 */
	uint16_t rib_afi;
	uint8_t rib_safi;
};

/* Map (afi, safi) to an enum sess_family; -1 when not one of them. */
int sess_family(uint16_t afi, uint8_t safi);
/* True when path identifiers are present for (afi, safi) on session s. */
bool sess_addpath(const struct bgp_sess *s, uint16_t afi, uint8_t safi);

/* "ipv4", "ipv6", "l2vpn", ... or NULL when unknown. */
const char *afi_name(uint16_t afi);
/* "unicast", "multicast", "flowspec", ... or NULL when unknown. */
const char *safi_name(uint8_t safi);

#endif
