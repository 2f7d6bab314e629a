/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The OPEN message: decoder with one descriptor per capability code, the
 * JSON writer, our OPEN encoder and capability negotiation; see open.h.
 */
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "open.h"

/* RFC 4271 §6.2: the data of 2/1 is the largest version we support. */
static const uint8_t open_version_data[2] = { 0, BGP_VERSION };

const char *
capa_name(uint8_t code)
{
	switch (code) {
	case CAPA_MP:
		return "multiprotocol";
	case CAPA_ROUTE_REFRESH:
		return "route-refresh";
	case CAPA_ORF:
		return "outbound-route-filtering";
	case CAPA_EXT_NEXTHOP:
		return "extended-next-hop";
	case CAPA_EXT_MSG:
		return "extended-message";
	case 7:
		return "bgpsec"; /* RFC 8205 */
	case 8:
		return "multiple-labels"; /* RFC 8277 */
	case CAPA_ROLE:
		return "role";
	case CAPA_GRACEFUL:
		return "graceful-restart";
	case CAPA_AS4:
		return "four-octet-as";
	case CAPA_ADD_PATH:
		return "add-path";
	case CAPA_ENHANCED_RR:
		return "enhanced-route-refresh";
	case CAPA_LLGR:
		return "long-lived-graceful-restart";
	case CAPA_FQDN:
		return "fqdn";
	case 75:
		return "software-version"; /* draft-abraitis */
	case CAPA_ROUTE_REFRESH_CISCO:
		return "route-refresh-cisco";
	}
	return NULL;
}

const char *
role_name(uint8_t role)
{
	/* RFC 9234 §4.1 */
	static const char *const names[] = { "provider", "rs", "rs-client",
		"customer", "peer" };

	return role < sizeof(names) / sizeof(names[0]) ? names[role] : NULL;
}

static const char *
open_afi_str(uint16_t afi)
{
	return afi_name(afi) != NULL ? afi_name(afi) : "unknown";
}

static const char *
open_safi_str(uint16_t safi)
{
	return safi <= 0xff && safi_name((uint8_t)safi) != NULL
	    ? safi_name((uint8_t)safi)
	    : "unknown";
}

static const char *
open_addpath_mode(uint8_t mode)
{
	switch (mode) {
	case ADDPATH_RECV:
		return "receive";
	case ADDPATH_SEND:
		return "send";
	case ADDPATH_RECV | ADDPATH_SEND:
		return "send-receive";
	}
	return NULL;
}

/* 2/0 for a capability whose length is wrong for its code. */
static int
capa_badlen(struct verdict *v, uint8_t code, size_t len, const char *want)
{
	verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0, NULL, 0,
	    "capability %u (%s) has length %zu, expected %s", code,
	    capa_name(code), len, want);
	return -1;
}

static void
open_family_add(struct open_msg *o, struct open_family *list, size_t *n,
    uint16_t afi, uint8_t safi, uint8_t flags)
{
	if (*n == OPEN_MAX_FAMILIES) {
		o->truncated = true;
		return;
	}
	list[*n].afi = afi;
	list[*n].safi = safi;
	list[*n].flags = flags;
	(*n)++;
}

/* Keep a capability as code, length and value, with a note or NULL. */
static void
capa_keep(
    struct open_msg *o, uint8_t code, const struct rbuf *val, const char *note)
{
	if (o->n_unknown == OPEN_MAX_UNKNOWN) {
		o->truncated = true;
		return;
	}
	o->unknown[o->n_unknown].code = code;
	o->unknown[o->n_unknown].len = (uint8_t)rbuf_left(val);
	o->unknown[o->n_unknown].val = rbuf_ptr(val);
	o->unknown[o->n_unknown].note = note;
	o->n_unknown++;
}

/* A capability bgpwatch does not decode (RFC 5492 §3: not an error). */
static int
capa_raw(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	if (rbuf_left(val) > 0)
		explain_add(ex, rbuf_ptr(val), rbuf_left(val),
		    "value (%zu octets)", rbuf_left(val));
	capa_keep(o, code, val, NULL);
	return 0;
}

/* RFC 4760 §8: AFI, Reserved, SAFI. */
static int
capa_mp(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(val);
	uint16_t afi;
	uint8_t res, safi;

	if (rbuf_left(val) != 4 || rbuf_get_u16(val, &afi) == -1 ||
	    rbuf_get_u8(val, &res) == -1 || rbuf_get_u8(val, &safi) == -1)
		return capa_badlen(v, code, rbuf_left(val), "4");
	explain_add(ex, p, 2, "AFI %u (%s)", afi, open_afi_str(afi));
	explain_add(ex, p + 2, 1, "reserved");
	explain_add(ex, p + 3, 1, "SAFI %u (%s)", safi, open_safi_str(safi));
	open_family_add(o, o->mp, &o->n_mp, afi, safi, 0);
	return 0;
}

/* Capabilities that are only present or absent (value of 0 octets). */
static int
capa_flag(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	if (rbuf_left(val) != 0)
		return capa_badlen(v, code, rbuf_left(val), "0");
	switch (code) {
	case CAPA_ROUTE_REFRESH: /* RFC 2918 §2 */
		o->route_refresh = true;
		break;
	case CAPA_ROUTE_REFRESH_CISCO:
		o->route_refresh_cisco = true;
		break;
	case CAPA_ENHANCED_RR: /* RFC 7313 §3 */
		o->enhanced_rr = true;
		break;
	case CAPA_EXT_MSG: /* RFC 8654 §3 */
		o->ext_msg = true;
		break;
	}
	return 0;
}

/* RFC 6793 §3; AS 0 is RFC 7607 §2's Bad Peer AS. */
static int
capa_as4(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(val);
	uint32_t as;

	if (rbuf_left(val) != 4 || rbuf_get_u32(val, &as) == -1)
		return capa_badlen(v, code, rbuf_left(val), "4");
	explain_add(ex, p, 4, "AS %u", as);
	if (as == 0) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_AS, NULL, 0,
		    "four-octet AS capability carries AS 0 (RFC 7607 "
		    "section 2)");
		return -1;
	}
	o->has_as4 = true;
	o->as4 = as;
	return 0;
}

/* One ADD-PATH tuple (RFC 7911 §4) as a range with its three fields. */
static void
capa_addpath_explain(struct explain *ex, const uint8_t *p, uint16_t afi,
    uint8_t safi, uint8_t mode)
{
	const char *m = open_addpath_mode(mode);

	explain_add(ex, p, 4, "family %s %s: %s", open_afi_str(afi),
	    open_safi_str(safi), m != NULL ? m : "invalid");
	explain_push(ex);
	explain_add(ex, p, 2, "AFI %u (%s)", afi, open_afi_str(afi));
	explain_add(ex, p + 2, 1, "SAFI %u (%s)", safi, open_safi_str(safi));
	explain_add(ex, p + 3, 1, "Send/Receive %u (%s)", mode,
	    m != NULL ? m : "invalid");
	explain_pop(ex);
}

/*
 * RFC 7911 §4: AFI, SAFI, Send/Receive tuples. Any Send/Receive value but
 * 1..3 makes the capability "not understood and ignored": kept raw.
 */
static int
capa_addpath(uint8_t code, struct rbuf *val, struct open_msg *o,
    struct verdict *v, struct explain *ex)
{
	struct rbuf r = *val;
	const uint8_t *p;
	uint16_t afi;
	uint8_t safi, mode;
	bool bad = false;

	if (rbuf_left(val) % 4 != 0)
		return capa_badlen(v, code, rbuf_left(val), "a multiple of 4");
	while (p = rbuf_ptr(&r), rbuf_left(&r) > 0) {
		if (rbuf_get_u16(&r, &afi) == -1 ||
		    rbuf_get_u8(&r, &safi) == -1 ||
		    rbuf_get_u8(&r, &mode) == -1)
			return capa_badlen(
			    v, code, rbuf_left(val), "a multiple of 4");
		capa_addpath_explain(ex, p, afi, safi, mode);
		if (open_addpath_mode(mode) == NULL)
			bad = true;
	}
	if (bad) {
		capa_keep(o, code, val,
		    "Send/Receive value outside 1..3: capability ignored "
		    "(RFC 7911 section 4)");
		return 0;
	}
	o->has_addpath = true;
	while (rbuf_left(val) > 0) {
		if (rbuf_get_u16(val, &afi) == -1 ||
		    rbuf_get_u8(val, &safi) == -1 ||
		    rbuf_get_u8(val, &mode) == -1)
			return -1; /* not reached: checked above */
		open_family_add(o, o->addpath, &o->n_addpath, afi, safi, mode);
	}
	return 0;
}

/* RFC 4724 §3 (and RFC 8538 §2 for the N bit). */
static int
capa_gr(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(val);
	uint16_t ft, afi;
	uint8_t safi, flags;

	if (rbuf_left(val) < 2 || (rbuf_left(val) - 2) % 4 != 0 ||
	    rbuf_get_u16(val, &ft) == -1)
		return capa_badlen(
		    v, code, rbuf_left(val), "2 plus a multiple of 4");
	o->has_gr = true;
	o->gr_restarted = (ft & 0x8000) != 0;
	o->gr_notification = (ft & 0x4000) != 0;
	o->gr_time = ft & 0x0fff;
	explain_add(ex, p, 2, "restart flags R=%d N=%d, restart time %u s",
	    o->gr_restarted, o->gr_notification, o->gr_time);
	while (p = rbuf_ptr(val), rbuf_left(val) > 0) {
		if (rbuf_get_u16(val, &afi) == -1 ||
		    rbuf_get_u8(val, &safi) == -1 ||
		    rbuf_get_u8(val, &flags) == -1)
			return -1; /* not reached: length checked */
		explain_add(ex, p, 4, "family %s %s", open_afi_str(afi),
		    open_safi_str(safi));
		explain_push(ex);
		explain_add(ex, p, 2, "AFI %u (%s)", afi, open_afi_str(afi));
		explain_add(
		    ex, p + 2, 1, "SAFI %u (%s)", safi, open_safi_str(safi));
		explain_add(ex, p + 3, 1, "flags 0x%02x (forwarding state %s)",
		    flags, flags & 0x80 ? "preserved" : "not preserved");
		explain_pop(ex);
		open_family_add(o, o->gr, &o->n_gr, afi, safi, flags & 0x80);
	}
	return 0;
}

/* RFC 8950: NLRI AFI, NLRI SAFI (2 octets), Nexthop AFI. */
static int
capa_extnh(uint8_t code, struct rbuf *val, struct open_msg *o,
    struct verdict *v, struct explain *ex)
{
	struct open_extnh e;
	const uint8_t *p;

	if (rbuf_left(val) % 6 != 0)
		return capa_badlen(v, code, rbuf_left(val), "a multiple of 6");
	o->has_extnh = true;
	while (p = rbuf_ptr(val), rbuf_left(val) > 0) {
		if (rbuf_get_u16(val, &e.nlri_afi) == -1 ||
		    rbuf_get_u16(val, &e.nlri_safi) == -1 ||
		    rbuf_get_u16(val, &e.nh_afi) == -1)
			return -1; /* not reached: length checked */
		explain_add(ex, p, 6, "%s %s over %s next hops",
		    open_afi_str(e.nlri_afi), open_safi_str(e.nlri_safi),
		    open_afi_str(e.nh_afi));
		explain_push(ex);
		explain_add(ex, p, 2, "NLRI AFI %u", e.nlri_afi);
		explain_add(ex, p + 2, 2, "NLRI SAFI %u", e.nlri_safi);
		explain_add(ex, p + 4, 2, "next hop AFI %u", e.nh_afi);
		explain_pop(ex);
		if (o->n_extnh == OPEN_MAX_FAMILIES)
			o->truncated = true;
		else
			o->extnh[o->n_extnh++] = e;
	}
	return 0;
}

/* RFC 9234 §4.1; §4.2: differing repeats are a Role Mismatch. */
static int
capa_role(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(val);
	uint8_t role;

	if (rbuf_left(val) != 1 || rbuf_get_u8(val, &role) == -1)
		return capa_badlen(v, code, rbuf_left(val), "1");
	explain_add(ex, p, 1, "role %u (%s)", role,
	    role_name(role) != NULL ? role_name(role) : "unassigned");
	if (o->has_role && o->role != role) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_ROLE, NULL, 0,
		    "two BGP Role capabilities, roles %u and %u (RFC 9234 "
		    "section 4.2)",
		    o->role, role);
		return -1;
	}
	o->has_role = true;
	o->role = role;
	return 0;
}

/* draft-walton-bgp-hostname-capability: length + host, length + domain. */
static int
capa_fqdn(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(val);
	size_t len = rbuf_left(val);
	struct rbuf host, dom;
	uint8_t hlen, dlen;

	if (rbuf_get_u8(val, &hlen) == -1 ||
	    rbuf_get_sub(val, hlen, &host) == -1 ||
	    rbuf_get_u8(val, &dlen) == -1 ||
	    rbuf_get_sub(val, dlen, &dom) == -1 || rbuf_left(val) != 0)
		return capa_badlen(v, code, len,
		    "host name length + host name + domain name length + "
		    "domain name");
	explain_add(ex, p, 1, "host name length %u", hlen);
	if (hlen > 0)
		explain_add(ex, p + 1, hlen, "host name");
	explain_add(ex, p + 1 + hlen, 1, "domain name length %u", dlen);
	if (dlen > 0)
		explain_add(ex, p + 2 + hlen, dlen, "domain name");
	o->has_fqdn = true;
	o->hostname = rbuf_ptr(&host);
	o->hostname_len = hlen;
	o->domainname = rbuf_ptr(&dom);
	o->domainname_len = dlen;
	return 0;
}

/* One decoder per capability code bgpwatch understands. */
static const struct capa_desc {
	uint8_t code;
	int (*decode)(uint8_t, struct rbuf *, struct open_msg *,
	    struct verdict *, struct explain *);
} capa_descs[] = {
	{ CAPA_MP, capa_mp },
	{ CAPA_ROUTE_REFRESH, capa_flag },
	{ CAPA_EXT_NEXTHOP, capa_extnh },
	{ CAPA_EXT_MSG, capa_flag },
	{ CAPA_ROLE, capa_role },
	{ CAPA_GRACEFUL, capa_gr },
	{ CAPA_AS4, capa_as4 },
	{ CAPA_ADD_PATH, capa_addpath },
	{ CAPA_ENHANCED_RR, capa_flag },
	{ CAPA_FQDN, capa_fqdn },
	{ CAPA_ROUTE_REFRESH_CISCO, capa_flag },
};

static int
open_capa(uint8_t code, struct rbuf *val, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	size_t i;

	for (i = 0; i < sizeof(capa_descs) / sizeof(capa_descs[0]); i++)
		if (capa_descs[i].code == code)
			return capa_descs[i].decode(code, val, o, v, ex);
	return capa_raw(code, val, o, v, ex);
}

/* RFC 5492 §4: a Capabilities parameter holds one or more capabilities. */
static int
open_capas(struct rbuf *caps, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p;
	struct rbuf val;
	uint8_t code, len;
	int rc;

	while (p = rbuf_ptr(caps), rbuf_left(caps) > 0) {
		if (rbuf_get_u8(caps, &code) == -1 ||
		    rbuf_get_u8(caps, &len) == -1) {
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0,
			    NULL, 0,
			    "truncated capability: 1 octet left in its "
			    "parameter");
			return -1;
		}
		if (rbuf_get_sub(caps, len, &val) == -1) {
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0,
			    NULL, 0,
			    "capability %u length %u overruns the %zu octets "
			    "left in its parameter",
			    code, len, rbuf_left(caps));
			return -1;
		}
		explain_add(ex, p, 2 + (size_t)len, "capability %u (%s)", code,
		    capa_name(code) != NULL ? capa_name(code) : "unknown");
		explain_push(ex);
		explain_add(ex, p, 1, "capability code %u", code);
		explain_add(ex, p + 1, 1, "capability length %u", len);
		rc = open_capa(code, &val, o, v, ex);
		explain_pop(ex);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* RFC 5492 §4 and RFC 9072 §2: type, 1- or 2-octet length, value. */
static int
open_params(struct rbuf *params, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	size_t hl = o->ext_params ? 3 : 2;
	const uint8_t *p;
	struct rbuf val;
	uint16_t len;
	uint8_t type, len8;
	int rc;

	while (p = rbuf_ptr(params), rbuf_left(params) > 0) {
		if (rbuf_get_u8(params, &type) == -1 ||
		    (o->ext_params ? rbuf_get_u16(params, &len)
		                   : rbuf_get_u8(params, &len8)) == -1) {
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0,
			    NULL, 0, "truncated optional parameter header");
			return -1;
		}
		if (!o->ext_params)
			len = len8;
		if (rbuf_get_sub(params, len, &val) == -1) {
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0,
			    NULL, 0,
			    "optional parameter length %u overruns the %zu "
			    "octets left",
			    len, rbuf_left(params));
			return -1;
		}
		explain_add(ex, p, hl + len, "optional parameter type %u (%s)",
		    type, type == OPT_PARAM_CAPA ? "capabilities" : "unknown");
		explain_push(ex);
		explain_add(ex, p, 1, "parameter type %u", type);
		explain_add(ex, p + 1, hl - 1, "parameter length %u", len);
		if (type == OPT_PARAM_CAPA)
			rc = open_capas(&val, o, v, ex);
		else {
			/* RFC 4271 §6.2; RFC 5492 deprecated type 1. */
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
			    BGP_ERR_OPEN_OPT, NULL, 0,
			    "unsupported optional parameter type %u", type);
			rc = -1;
		}
		explain_pop(ex);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* RFC 4271 §4.2 fixed fields, checked in the order of §6.2. */
static int
open_fixed(struct rbuf *body, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(body);

	if (rbuf_left(body) < 10 || rbuf_get_u8(body, &o->version) == -1 ||
	    rbuf_get_u16(body, &o->my_as) == -1 ||
	    rbuf_get_u16(body, &o->holdtime) == -1 ||
	    rbuf_get_u32(body, &o->bgp_id) == -1) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, NULL, 0,
		    "OPEN body of %zu octets, the fixed fields take 10",
		    rbuf_left(body));
		return -1;
	}
	explain_add(ex, p, 1, "version %u", o->version);
	explain_add(ex, p + 1, 2, "my AS %u%s", o->my_as,
	    o->my_as == BGP_AS_TRANS ? " (AS_TRANS)" : "");
	explain_add(ex, p + 3, 2, "hold time %u s", o->holdtime);
	explain_add(ex, p + 5, 4, "BGP identifier %u.%u.%u.%u", o->bgp_id >> 24,
	    o->bgp_id >> 16 & 0xff, o->bgp_id >> 8 & 0xff, o->bgp_id & 0xff);
	if (o->version != BGP_VERSION)
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_VERSION, open_version_data,
		    sizeof(open_version_data), "unsupported version %u",
		    o->version);
	else if (o->my_as == 0)
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_AS, NULL, 0,
		    "My Autonomous System is 0 (RFC 7607 section 2)");
	else if (o->holdtime == 1 || o->holdtime == 2)
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_HOLD, NULL, 0,
		    "hold time %u s: must be 0 or at least 3", o->holdtime);
	else if (o->bgp_id == 0) /* RFC 6286: any non-zero value */
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_BGPID, NULL, 0, "BGP identifier is 0");
	return v->action == VERDICT_SESSION_RESET ? -1 : 0;
}

/*
 * The Optional Parameters Length and the parameters. RFC 9072 §2: a
 * length of 255 followed by a parameter type of 255 announces a 2-octet
 * length and 2-octet parameter lengths.
 */
static int
open_optional(struct rbuf *body, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(body);
	struct rbuf params;
	uint16_t plen;
	uint8_t len8, t;

	if (rbuf_get_u8(body, &len8) == -1)
		return -1; /* not reached: open_fixed() saw 10 octets */
	plen = len8;
	if (len8 == 255 && rbuf_peek_u8(body, &t) == 0 && t == 255) {
		o->ext_params = true;
		explain_add(ex, p, 1,
		    "non-extended optional parameters "
		    "length 255");
		explain_add(ex, p + 1, 1,
		    "non-extended parameter type 255: extended lengths "
		    "(RFC 9072)");
		if (rbuf_skip(body, 1) == -1 ||
		    rbuf_get_u16(body, &plen) == -1) {
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0,
			    NULL, 0,
			    "truncated extended optional parameters length");
			return -1;
		}
		explain_add(ex, p + 2, 2,
		    "extended optional parameters length %u", plen);
	} else
		explain_add(ex, p, 1, "optional parameters length %u", plen);
	if (plen != rbuf_left(body) ||
	    rbuf_get_sub(body, plen, &params) == -1) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN, 0, NULL, 0,
		    "optional parameters length %u, but %zu octets follow",
		    plen, rbuf_left(body));
		return -1;
	}
	if (plen == 0)
		return 0;
	explain_add(ex, rbuf_ptr(&params), plen,
	    "optional parameters (%u octets)", plen);
	explain_push(ex);
	if (open_params(&params, o, v, ex) == -1) {
		explain_pop(ex);
		return -1;
	}
	explain_pop(ex);
	return 0;
}

int
open_parse(struct rbuf *body, struct open_msg *o, struct verdict *v,
    struct explain *ex)
{
	memset(o, 0, sizeof(*o));
	verdict_clear(v);
	if (open_fixed(body, o, v, ex) == -1 ||
	    open_optional(body, o, v, ex) == -1)
		return -1;
	return 0;
}

/* An AFI or SAFI by name, or by number when it has none. */
static void
open_json_afi(struct json *j, const char *key, uint16_t afi)
{
	if (afi_name(afi) != NULL)
		json_str(j, key, afi_name(afi));
	else
		json_uint(j, key, afi);
}

static void
open_json_safi(struct json *j, const char *key, uint16_t safi)
{
	if (safi <= 0xff && safi_name((uint8_t)safi) != NULL)
		json_str(j, key, safi_name((uint8_t)safi));
	else
		json_uint(j, key, safi);
}

/* Open one capability object with its code and name. */
static void
open_json_capa(struct json *j, uint8_t code)
{
	json_obj_open(j, NULL);
	json_uint(j, "code", code);
	json_str(j, "name", capa_name(code));
}

static void
open_json_mp(const struct open_msg *o, struct json *j)
{
	size_t i;

	for (i = 0; i < o->n_mp; i++) {
		open_json_capa(j, CAPA_MP);
		open_json_afi(j, "afi", o->mp[i].afi);
		open_json_safi(j, "safi", o->mp[i].safi);
		json_obj_close(j);
	}
}

static void
open_json_extnh(const struct open_msg *o, struct json *j)
{
	size_t i;

	open_json_capa(j, CAPA_EXT_NEXTHOP);
	json_arr_open(j, "families");
	for (i = 0; i < o->n_extnh; i++) {
		json_obj_open(j, NULL);
		open_json_afi(j, "nlri_afi", o->extnh[i].nlri_afi);
		open_json_safi(j, "nlri_safi", o->extnh[i].nlri_safi);
		open_json_afi(j, "nexthop_afi", o->extnh[i].nh_afi);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void
open_json_gr(const struct open_msg *o, struct json *j)
{
	size_t i;

	open_json_capa(j, CAPA_GRACEFUL);
	json_uint(j, "restart_time", o->gr_time);
	json_bool(j, "restarted", o->gr_restarted);
	json_bool(j, "notification", o->gr_notification);
	json_arr_open(j, "families");
	for (i = 0; i < o->n_gr; i++) {
		json_obj_open(j, NULL);
		open_json_afi(j, "afi", o->gr[i].afi);
		open_json_safi(j, "safi", o->gr[i].safi);
		json_bool(j, "forwarding", (o->gr[i].flags & 0x80) != 0);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void
open_json_addpath(const struct open_msg *o, struct json *j)
{
	size_t i;

	open_json_capa(j, CAPA_ADD_PATH);
	json_arr_open(j, "families");
	for (i = 0; i < o->n_addpath; i++) {
		json_obj_open(j, NULL);
		open_json_afi(j, "afi", o->addpath[i].afi);
		open_json_safi(j, "safi", o->addpath[i].safi);
		json_str(j, "mode", open_addpath_mode(o->addpath[i].flags));
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

/* Capabilities without a value: whether the OPEN had this one. */
static bool
open_has_flag(const struct open_msg *o, uint8_t code)
{
	switch (code) {
	case CAPA_ROUTE_REFRESH:
		return o->route_refresh;
	case CAPA_EXT_MSG:
		return o->ext_msg;
	case CAPA_ENHANCED_RR:
		return o->enhanced_rr;
	case CAPA_ROUTE_REFRESH_CISCO:
		return o->route_refresh_cisco;
	}
	return false;
}

/* The one-value capabilities: role, four-octet AS, FQDN. */
static void
open_json_value(const struct open_msg *o, uint8_t code, struct json *j)
{
	open_json_capa(j, code);
	if (code == CAPA_ROLE && role_name(o->role) != NULL)
		json_str(j, "role", role_name(o->role));
	else if (code == CAPA_ROLE)
		json_uint(j, "role", o->role);
	else if (code == CAPA_AS4)
		json_uint(j, "as", o->as4);
	else if (code == CAPA_FQDN) {
		json_strn(j, "hostname", o->hostname, o->hostname_len);
		json_strn(j, "domain", o->domainname, o->domainname_len);
	}
	json_obj_close(j);
}

/* Write the decoded capability with this code, if the OPEN had it. */
static void
open_json_known(const struct open_msg *o, uint8_t code, struct json *j)
{
	switch (code) {
	case CAPA_MP:
		open_json_mp(o, j);
		return;
	case CAPA_EXT_NEXTHOP:
		if (o->has_extnh)
			open_json_extnh(o, j);
		return;
	case CAPA_GRACEFUL:
		if (o->has_gr)
			open_json_gr(o, j);
		return;
	case CAPA_ADD_PATH:
		if (o->has_addpath)
			open_json_addpath(o, j);
		return;
	case CAPA_ROLE:
	case CAPA_AS4:
	case CAPA_FQDN:
		if ((code == CAPA_ROLE && o->has_role) ||
		    (code == CAPA_AS4 && o->has_as4) ||
		    (code == CAPA_FQDN && o->has_fqdn))
			open_json_value(o, code, j);
		return;
	}
	if (open_has_flag(o, code)) {
		open_json_capa(j, code);
		json_obj_close(j);
	}
}

void
open_json(const struct open_msg *o, struct json *j)
{
	char id[16];
	size_t i;
	int code;

	snprintf(id, sizeof(id), "%u.%u.%u.%u", o->bgp_id >> 24,
	    o->bgp_id >> 16 & 0xff, o->bgp_id >> 8 & 0xff, o->bgp_id & 0xff);
	json_uint(j, "version", o->version);
	json_uint(j, "my_as", o->my_as);
	json_uint(j, "hold_time", o->holdtime);
	json_str(j, "bgp_id", id);
	json_uint(j, "peer_as", o->has_as4 ? o->as4 : o->my_as);
	json_bool(j, "extended_optional_parameters", o->ext_params);
	/* By code; capabilities kept raw in the order they came. */
	json_arr_open(j, "capabilities");
	for (code = 0; code <= 0xff; code++) {
		open_json_known(o, (uint8_t)code, j);
		for (i = 0; i < o->n_unknown; i++) {
			if (o->unknown[i].code != code)
				continue;
			open_json_capa(j, o->unknown[i].code);
			json_hex(
			    j, "value", o->unknown[i].val, o->unknown[i].len);
			if (o->unknown[i].note != NULL)
				json_str(j, "note", o->unknown[i].note);
			json_obj_close(j);
		}
	}
	json_arr_close(j);
	if (o->truncated)
		json_bool(j, "capabilities_truncated", true);
}

/* Families we carry, in the order we announce them. */
static size_t
open_our_families(const struct open_params *p, uint16_t afi[2])
{
	size_t n = 0;

	if (p->ipv4_unicast)
		afi[n++] = AFI_IPV4;
	if (p->ipv6_unicast)
		afi[n++] = AFI_IPV6;
	return n;
}

/* RFC 4724 §3: restart flags and time, then our families (F bit 0). */
static void
open_put_gr(struct wbuf *c, const struct open_params *p, const uint16_t *afi,
    size_t nfam)
{
	uint16_t t = p->gr_time > 0x0fff ? 0x0fff : p->gr_time;
	size_t i;

	wbuf_put_u8(c, CAPA_GRACEFUL);
	wbuf_put_u8(c, (uint8_t)(2 + 4 * nfam));
	wbuf_put_u16(c, (uint16_t)((p->gr_restarted ? 0x8000 : 0) | t));
	for (i = 0; i < nfam; i++) {
		wbuf_put_u16(c, afi[i]);
		wbuf_put_u8(c, SAFI_UNICAST);
		wbuf_put_u8(c, 0);
	}
}

/* The FQDN capability: host name up to the first dot, domain after it. */
static void
open_put_fqdn(struct wbuf *c, const char *fqdn)
{
	const char *dot = strchr(fqdn, '.');
	size_t hlen = dot != NULL ? (size_t)(dot - fqdn) : strlen(fqdn);
	const char *dom = dot != NULL ? dot + 1 : "";
	size_t dlen = strlen(dom);

	/* The value is at most 255 octets: 1 + host + 1 + domain. */
	if (hlen > 253)
		hlen = 253;
	if (dlen > 253 - hlen)
		dlen = 253 - hlen;
	wbuf_put_u8(c, CAPA_FQDN);
	wbuf_put_u8(c, (uint8_t)(2 + hlen + dlen));
	wbuf_put_u8(c, (uint8_t)hlen);
	wbuf_put_bytes(c, fqdn, hlen);
	wbuf_put_u8(c, (uint8_t)dlen);
	wbuf_put_bytes(c, dom, dlen);
}

static void
open_put_capas(struct wbuf *c, const struct open_params *p)
{
	uint16_t afi[2];
	size_t i, nfam = open_our_families(p, afi);

	for (i = 0; i < nfam; i++) { /* RFC 4760 §8 */
		wbuf_put_u8(c, CAPA_MP);
		wbuf_put_u8(c, 4);
		wbuf_put_u16(c, afi[i]);
		wbuf_put_u8(c, 0);
		wbuf_put_u8(c, SAFI_UNICAST);
	}
	if (p->route_refresh) {
		wbuf_put_bytes(c, "\x02\x00", 2);
		wbuf_put_bytes(c, "\x46\x00", 2); /* RFC 7313 §3 */
	}
	if (p->extended_nexthop) { /* RFC 8950: IPv4 unicast, IPv6 NH */
		wbuf_put_bytes(c, "\x05\x06", 2);
		wbuf_put_u16(c, AFI_IPV4);
		wbuf_put_u16(c, SAFI_UNICAST);
		wbuf_put_u16(c, AFI_IPV6);
	}
	if (p->ext_msg)
		wbuf_put_bytes(c, "\x06\x00", 2);
	if (p->has_role) {
		wbuf_put_bytes(c, "\x09\x01", 2);
		wbuf_put_u8(c, p->role);
	}
	if (p->graceful_restart)
		open_put_gr(c, p, afi, nfam);
	wbuf_put_bytes(c, "\x41\x04", 2); /* RFC 6793 §3 */
	wbuf_put_u32(c, p->local_as);
	if (p->addpath_recv && nfam > 0) { /* RFC 7911 §4 */
		wbuf_put_u8(c, CAPA_ADD_PATH);
		wbuf_put_u8(c, (uint8_t)(4 * nfam));
		for (i = 0; i < nfam; i++) {
			wbuf_put_u16(c, afi[i]);
			wbuf_put_u8(c, SAFI_UNICAST);
			wbuf_put_u8(c, ADDPATH_RECV);
		}
	}
	if (p->hostname != NULL)
		open_put_fqdn(c, p->hostname);
}

void
open_encode(struct wbuf *w, const struct open_params *p)
{
	uint8_t store[BGP_MAX_LEN];
	struct wbuf caps;
	size_t off, n;

	wbuf_init_fixed(&caps, store, sizeof(store));
	open_put_capas(&caps, p);
	n = wbuf_len(&caps);
	off = msg_encode_header(w, BGP_MSG_OPEN);
	wbuf_put_u8(w, BGP_VERSION);
	/* RFC 6793 §4.1: AS_TRANS when our AS needs 4 octets. */
	wbuf_put_u16(
	    w, p->local_as > 0xffff ? BGP_AS_TRANS : (uint16_t)p->local_as);
	wbuf_put_u16(w, p->holdtime);
	wbuf_put_u32(w, p->bgp_id);
	if (2 + n <= 255) {
		wbuf_put_u8(w, (uint8_t)(2 + n));
		wbuf_put_u8(w, OPT_PARAM_CAPA);
		wbuf_put_u8(w, (uint8_t)n);
	} else { /* RFC 9072 §2 */
		wbuf_put_u8(w, 255);
		wbuf_put_u8(w, OPT_PARAM_EXT_LEN);
		wbuf_put_u16(w, (uint16_t)(3 + n));
		wbuf_put_u8(w, OPT_PARAM_CAPA);
		wbuf_put_u16(w, (uint16_t)n);
	}
	wbuf_put_bytes(w, store, n);
	/* RFC 8654 §4: an OPEN never exceeds 4096 octets. */
	if (wbuf_error(&caps) || wbuf_len(w) - off > BGP_MAX_LEN)
		w->err = true;
	msg_encode_finish(w, off);
}

/* Whether we announced ADD-PATH receive for session family fam. */
static bool
open_addpath_ours(const struct open_params *p, int fam)
{
	if (!p->addpath_recv)
		return false;
	return (fam == FAM_IPV4_UNICAST && p->ipv4_unicast) ||
	    (fam == FAM_IPV6_UNICAST && p->ipv6_unicast);
}

void
open_negotiate(const struct open_params *ours, const struct open_msg *theirs,
    struct bgp_sess *s)
{
	size_t i;
	int fam;

	memset(s, 0, sizeof(*s));
	s->as4 = theirs->has_as4; /* open_encode() always announces it */
	s->ext_msg = ours->ext_msg && theirs->ext_msg;
	for (i = 0; i < theirs->n_addpath; i++) {
		fam = sess_family(
		    theirs->addpath[i].afi, theirs->addpath[i].safi);
		if (fam < 0 || !open_addpath_ours(ours, fam))
			continue;
		if (theirs->addpath[i].flags & ADDPATH_SEND)
			s->addpath_rx |= 1u << fam;
		else
			s->addpath_rx &= ~(1u << fam);
	}
}
