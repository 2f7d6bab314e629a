/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Path attribute parsing with RFC 7606 error handling, JSON output and the
 * canonical blob; see attr.h for the contracts. Every type code with a
 * meaning to us has one entry in attr_descs[]: expected flags, length
 * rule, RFC 7606 approach, checker/narrator and JSON writer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attr.h"
#include "prefix.h"

/* Parser state for one attribute. */
struct attr_ctx {
	const struct bgp_sess *s;
	struct attr_set *a;
	struct verdict *v;
	struct explain *ex; /* NULL while checking, set while narrating */
	struct explain *nex; /* the caller's explain */
	size_t nlri_len; /* octets in the UPDATE's NLRI field */
	const struct attr_desc *d;
	uint8_t flags, type;
	const uint8_t *hdr; /* the whole attribute: verdict data */
	size_t hdrlen;
	const uint8_t *vp; /* the value */
	uint16_t vlen;
	/* Set by a checker that fails. */
	enum verdict_action act;
	uint8_t sub;
	const char *cite;
	char why[128];
};

struct attr_desc {
	const char *name; /* IANA name, in reasons and narration */
	uint8_t flags; /* expected Optional and Transitive bits */
	int16_t fixed; /* exact value length, or -1 */
	uint8_t unit; /* variable: a non-zero multiple of unit (0: any) */
	enum verdict_action act; /* approach for a malformed value */
	const char *cite; /* where that approach is specified */
	int (*check)(struct attr_ctx *, struct rbuf *);
	void (*json)(const struct attr_set *, struct json *);
};

/* RFC 5701, not in bgp.h */
#define ATTR_IPV6_EXT_COMM 25

#define F_WK ATTR_F_TRANSITIVE /* well-known */
#define F_OT (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE) /* optional transitive */
#define F_ON ATTR_F_OPTIONAL /* optional non-trans. */

static int attr_chk_origin(struct attr_ctx *, struct rbuf *);
static int attr_chk_aspath(struct attr_ctx *, struct rbuf *);
static int attr_chk_nexthop(struct attr_ctx *, struct rbuf *);
static int attr_chk_u32(struct attr_ctx *, struct rbuf *);
static int attr_chk_empty(struct attr_ctx *, struct rbuf *);
static int attr_chk_aggr(struct attr_ctx *, struct rbuf *);
static int attr_chk_comm(struct attr_ctx *, struct rbuf *);
static int attr_chk_addr(struct attr_ctx *, struct rbuf *);
static int attr_chk_clist(struct attr_ctx *, struct rbuf *);
static int attr_chk_reach(struct attr_ctx *, struct rbuf *);
static int attr_chk_unreach(struct attr_ctx *, struct rbuf *);
static int attr_chk_ext(struct attr_ctx *, struct rbuf *);
static int attr_chk_as4path(struct attr_ctx *, struct rbuf *);
static int attr_chk_ext6(struct attr_ctx *, struct rbuf *);
static int attr_chk_large(struct attr_ctx *, struct rbuf *);

static void attr_js_origin(const struct attr_set *, struct json *);
static void attr_js_aspath(const struct attr_set *, struct json *);
static void attr_js_nexthop(const struct attr_set *, struct json *);
static void attr_js_med(const struct attr_set *, struct json *);
static void attr_js_lpref(const struct attr_set *, struct json *);
static void attr_js_atomic(const struct attr_set *, struct json *);
static void attr_js_aggr(const struct attr_set *, struct json *);
static void attr_js_comm(const struct attr_set *, struct json *);
static void attr_js_origid(const struct attr_set *, struct json *);
static void attr_js_clist(const struct attr_set *, struct json *);
static void attr_js_reach(const struct attr_set *, struct json *);
static void attr_js_unreach(const struct attr_set *, struct json *);
static void attr_js_ext(const struct attr_set *, struct json *);
static void attr_js_as4path(const struct attr_set *, struct json *);
static void attr_js_as4aggr(const struct attr_set *, struct json *);
static void attr_js_ext6(const struct attr_set *, struct json *);
static void attr_js_large(const struct attr_set *, struct json *);
static void attr_js_otc(const struct attr_set *, struct json *);

#define TAW VERDICT_TREAT_AS_WITHDRAW
#define DISCARD VERDICT_ATTR_DISCARD

/* The descriptor table (after BIRD's bgp_attr_table), by type code. */
static const struct attr_desc attr_descs[ATTR_TABLE_SIZE] = {
	[ATTR_ORIGIN] = { "ORIGIN", F_WK, 1, 0, TAW, "RFC 7606 §7.1",
	    attr_chk_origin, attr_js_origin },
	[ATTR_AS_PATH] = { "AS_PATH", F_WK, -1, 0, TAW, "RFC 7606 §7.2",
	    attr_chk_aspath, attr_js_aspath },
	[ATTR_NEXT_HOP] = { "NEXT_HOP", F_WK, 4, 0, TAW, "RFC 7606 §7.3",
	    attr_chk_nexthop, attr_js_nexthop },
	[ATTR_MED] = { "MULTI_EXIT_DISC", F_ON, 4, 0, TAW, "RFC 7606 §7.4",
	    attr_chk_u32, attr_js_med },
	/*
	 * RFC 7606 §7.5: from an external peer LOCAL_PREF is disregarded;
	 * the decoder does not know the peer's kind, so a malformed one is
	 * treat-as-withdraw, the rule for internal peers.
	 */
	[ATTR_LOCAL_PREF] = { "LOCAL_PREF", F_WK, 4, 0, TAW, "RFC 7606 §7.5",
	    attr_chk_u32, attr_js_lpref },
	[ATTR_ATOMIC_AGGREGATE] = { "ATOMIC_AGGREGATE", F_WK, 0, 0, DISCARD,
	    "RFC 7606 §7.6", attr_chk_empty, attr_js_atomic },
	[ATTR_AGGREGATOR] = { "AGGREGATOR", F_OT, -1, 0, DISCARD,
	    "RFC 7606 §7.7", attr_chk_aggr, attr_js_aggr },
	[ATTR_COMMUNITIES] = { "COMMUNITIES", F_OT, -1, 4, TAW, "RFC 7606 §7.8",
	    attr_chk_comm, attr_js_comm },
	[ATTR_ORIGINATOR_ID] = { "ORIGINATOR_ID", F_ON, 4, 0, TAW,
	    "RFC 7606 §7.9", attr_chk_addr, attr_js_origid },
	[ATTR_CLUSTER_LIST] = { "CLUSTER_LIST", F_ON, -1, 4, TAW,
	    "RFC 7606 §7.10", attr_chk_clist, attr_js_clist },
	[ATTR_MP_REACH_NLRI] = { "MP_REACH_NLRI", F_ON, -1, 0,
	    VERDICT_AFI_SAFI_DISABLE, "RFC 7606 §7.11", attr_chk_reach,
	    attr_js_reach },
	[ATTR_MP_UNREACH_NLRI] = { "MP_UNREACH_NLRI", F_ON, -1, 0,
	    VERDICT_AFI_SAFI_DISABLE, "RFC 7606 §7.11", attr_chk_unreach,
	    attr_js_unreach },
	[ATTR_EXT_COMMUNITIES] = { "EXTENDED_COMMUNITIES", F_OT, -1, 8, TAW,
	    "RFC 7606 §7.14", attr_chk_ext, attr_js_ext },
	[ATTR_AS4_PATH] = { "AS4_PATH", F_OT, -1, 0, DISCARD, "RFC 6793 §6",
	    attr_chk_as4path, attr_js_as4path },
	[ATTR_AS4_AGGREGATOR] = { "AS4_AGGREGATOR", F_OT, 8, 0, DISCARD,
	    "RFC 6793 §6", attr_chk_aggr, attr_js_as4aggr },
	[ATTR_IPV6_EXT_COMM] = { "IPV6_EXTENDED_COMMUNITIES", F_OT, -1, 20, TAW,
	    "RFC 7606 §7.13", attr_chk_ext6, attr_js_ext6 },
	[ATTR_LARGE_COMMUNITIES] = { "LARGE_COMMUNITY", F_OT, -1, 12, TAW,
	    "RFC 8092 §6", attr_chk_large, attr_js_large },
	[ATTR_OTC] = { "OTC", F_OT, 4, 0, TAW, "RFC 9234 §5", attr_chk_u32,
	    attr_js_otc },
};

/* RFC 4271 §6.3: the type code of a missing attribute is the data. */
static const uint8_t attr_codes[ATTR_TABLE_SIZE] = { 0, 1, 2, 3, 4, 5, 6, 7, 8,
	9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
	27, 28, 29, 30, 31, 32, 33, 34, 35 };

static const struct attr_desc *
attr_desc(uint8_t type)
{
	if (type >= ATTR_TABLE_SIZE || attr_descs[type].check == NULL)
		return NULL;
	return &attr_descs[type];
}

const uint8_t *
attr_type_octet(uint8_t type)
{
	return type < ATTR_TABLE_SIZE ? &attr_codes[type] : NULL;
}

const char *
attr_name(uint8_t type)
{
	const struct attr_desc *d = attr_desc(type);

	if (d != NULL)
		return d->name;
	switch (type) { /* registered, kept raw */
	case 11:
		return "DPA";
	case 12:
		return "ADVERTISER";
	case 13:
		return "RCID_PATH";
	case 19:
		return "SAFI_SPECIFIC";
	case 20:
		return "CONNECTOR";
	case 21:
		return "AS_PATHLIMIT";
	case ATTR_PMSI_TUNNEL:
		return "PMSI_TUNNEL";
	case ATTR_TUNNEL_ENCAP:
		return "TUNNEL_ENCAPSULATION";
	case 24:
		return "TRAFFIC_ENGINEERING";
	case ATTR_AIGP:
		return "AIGP";
	case 27:
		return "PE_DISTINGUISHER_LABELS";
	case 29:
		return "BGP_LS";
	case 33:
		return "BGPSEC_PATH";
	case 34:
		return "D_PATH";
	case 37:
		return "SFP";
	case 38:
		return "BFD_DISCRIMINATOR";
	case 40:
		return "PREFIX_SID";
	case ATTR_ATTR_SET:
		return "ATTR_SET";
	}
	return NULL;
}

static bool
attr_bit(const uint32_t *map, uint8_t t)
{
	return (map[t >> 5] & (1u << (t & 31))) != 0;
}

static void
attr_setbit(uint32_t *map, uint8_t t)
{
	map[t >> 5] |= 1u << (t & 31);
}

static uint32_t
attr_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
attr_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A checker's failure: fill in the error and return -1. */
static int attr_err(struct attr_ctx *c, enum verdict_action act, uint8_t sub,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
attr_err(struct attr_ctx *c, enum verdict_action act, uint8_t sub,
    const char *fmt, ...)
{
	va_list ap;

	c->act = act;
	c->sub = sub;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -1;
}

/* Record c's error in the verdict. */
static void
attr_fail(struct attr_ctx *c)
{
	verdict_set(c->v, c->act, BGP_ERR_UPDATE, c->sub, c->hdr, c->hdrlen,
	    "%s: %s (%s)", c->d->name, c->why, c->cite);
	if (c->act == VERDICT_TREAT_AS_WITHDRAW)
		c->a->withdraw = true;
}

/* Longest text of one community or extended community, NUL included. */
#define ATTR_TEXT_MAX 96
/* Longest value part of an extended community (after its name). */
#define ATTR_VAL_MAX 64

enum attr_ext_fmt {
	EXT_AS2, /* 2-octet AS : 4-octet number (RFC 4360 §3.1) */
	EXT_IP4, /* IPv4 address : 2-octet number (RFC 4360 §3.2) */
	EXT_AS4, /* 4-octet AS : 2-octet number (RFC 5668) */
	EXT_BW, /* AS : IEEE float bytes/s (link bandwidth) */
	EXT_RATE, /* AS : IEEE float (RFC 8955 §7.3 traffic-rate) */
	EXT_ACTION, /* RFC 8955 §7.4 traffic-action flags */
	EXT_MARK, /* RFC 8955 §7.7 DSCP */
	EXT_ENCAP, /* RFC 9012 §4.1 tunnel type */
	EXT_COLOR, /* RFC 9012 §4.3 */
	EXT_OV, /* RFC 8097 §2 origin validation state */
	EXT_MAC, /* RFC 7432 §7.6, §7.9: a MAC address */
	EXT_MACMOB, /* RFC 7432 §7.7 MAC mobility sequence */
	EXT_LABEL, /* RFC 7432 §7.5 ESI label */
	EXT_NONE, /* nothing beyond the name */
};

struct attr_ext_kind {
	uint8_t type, subtype;
	const char *name;
	enum attr_ext_fmt fmt;
};

/* Extended community types we name (IANA "BGP Extended Communities"). */
static const struct attr_ext_kind attr_ext_kinds[] = {
	{ 0x00, 0x02, "target", EXT_AS2 },
	{ 0x00, 0x03, "origin", EXT_AS2 },
	{ 0x00, 0x04, "link-bandwidth", EXT_BW },
	{ 0x00, 0x05, "ospf-domain-id", EXT_AS2 },
	{ 0x00, 0x08, "bgp-data-collection", EXT_AS2 },
	{ 0x00, 0x09, "source-as", EXT_AS2 },
	{ 0x00, 0x0a, "l2vpn-id", EXT_AS2 },
	{ 0x01, 0x02, "target", EXT_IP4 },
	{ 0x01, 0x03, "origin", EXT_IP4 },
	{ 0x01, 0x05, "ospf-domain-id", EXT_IP4 },
	{ 0x01, 0x07, "ospf-router-id", EXT_IP4 },
	{ 0x01, 0x0a, "l2vpn-id", EXT_IP4 },
	{ 0x01, 0x0b, "vrf-import", EXT_IP4 },
	{ 0x02, 0x02, "target", EXT_AS4 },
	{ 0x02, 0x03, "origin", EXT_AS4 },
	{ 0x02, 0x05, "ospf-domain-id", EXT_AS4 },
	{ 0x02, 0x09, "source-as", EXT_AS4 },
	{ 0x03, 0x0b, "color", EXT_COLOR },
	{ 0x03, 0x0c, "encapsulation", EXT_ENCAP },
	{ 0x03, 0x0d, "default-gateway", EXT_NONE },
	{ 0x06, 0x00, "mac-mobility", EXT_MACMOB },
	{ 0x06, 0x01, "esi-label", EXT_LABEL },
	{ 0x06, 0x02, "es-import", EXT_MAC },
	{ 0x06, 0x03, "router-mac", EXT_MAC },
	{ 0x40, 0x04, "link-bandwidth", EXT_BW },
	{ 0x43, 0x00, "origin-validation", EXT_OV },
	{ 0x80, 0x06, "traffic-rate", EXT_RATE },
	{ 0x80, 0x07, "traffic-action", EXT_ACTION },
	{ 0x80, 0x08, "redirect", EXT_AS2 },
	{ 0x80, 0x09, "traffic-marking", EXT_MARK },
	{ 0x80, 0x0c, "traffic-rate-packets", EXT_RATE },
	{ 0x81, 0x08, "redirect", EXT_IP4 },
	{ 0x82, 0x08, "redirect", EXT_AS4 },
};

/* An IEEE 754 single as text: integral values without exponent. */
static void
attr_fmt_float(uint32_t bits, char *buf, size_t size)
{
	float f;

	memcpy(&f, &bits, sizeof(f));
	if (f >= 0 && f < 1e15f && (float)(uint64_t)f == f)
		snprintf(buf, size, "%llu", (unsigned long long)f);
	else
		snprintf(buf, size, "%g", (double)f);
}

static const char *
attr_tunnel_name(uint16_t t)
{
	switch (
	    t) { /* IANA "BGP Tunnel Encapsulation Attribute Tunnel Types" */
	case 1:
		return "l2tpv3";
	case 2:
		return "gre";
	case 7:
		return "ip-in-ip";
	case 8:
		return "vxlan";
	case 9:
		return "nvgre";
	case 10:
		return "mpls";
	case 11:
		return "mpls-in-gre";
	case 12:
		return "vxlan-gpe";
	case 13:
		return "mpls-in-udp";
	case 15:
		return "sr-policy";
	case 19:
		return "geneve";
	}
	return NULL;
}

static void
attr_ext_flowspec(
    const uint8_t *p, enum attr_ext_fmt fmt, char *buf, size_t size)
{
	char f[32];

	switch (fmt) {
	case EXT_RATE:
	case EXT_BW:
		attr_fmt_float(attr_get32(p + 4), f, sizeof(f));
		snprintf(buf, size, "%u:%s", attr_get16(p + 2), f);
		break;
	case EXT_ACTION: /* RFC 8955 §7.4: S is bit 46, T bit 47 */
		snprintf(buf, size, "%s%s%s", p[7] & 0x02 ? "sample" : "",
		    (p[7] & 0x03) == 0x03 ? "," : "",
		    p[7] & 0x01         ? "terminal"
		        : (p[7] & 0x02) ? ""
		                        : "none");
		break;
	default: /* EXT_MARK */
		snprintf(buf, size, "%u", p[7] & 0x3f);
	}
}

static void
attr_ext_format(const uint8_t *p, enum attr_ext_fmt fmt, char *buf, size_t size)
{
	static const char *ov[] = { "valid", "not-found", "invalid" };
	char a[ADDR_STRLEN];
	const char *t;

	switch (fmt) {
	case EXT_AS2:
		snprintf(
		    buf, size, "%u:%u", attr_get16(p + 2), attr_get32(p + 4));
		break;
	case EXT_IP4:
		snprintf(buf, size, "%s:%u",
		    addr_fmt(AFI_IPV4, p + 2, a, sizeof(a)), attr_get16(p + 6));
		break;
	case EXT_AS4:
		snprintf(
		    buf, size, "%u:%u", attr_get32(p + 2), attr_get16(p + 6));
		break;
	case EXT_ENCAP:
		t = attr_tunnel_name(attr_get16(p + 6));
		if (t != NULL)
			snprintf(buf, size, "%s", t);
		else
			snprintf(buf, size, "%u", attr_get16(p + 6));
		break;
	case EXT_COLOR:
		snprintf(buf, size, "%u", attr_get32(p + 4));
		break;
	case EXT_OV:
		if (p[7] <= 2)
			snprintf(buf, size, "%s", ov[p[7]]);
		else
			snprintf(buf, size, "%u", p[7]);
		break;
	case EXT_MAC:
		snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", p[2], p[3],
		    p[4], p[5], p[6], p[7]);
		break;
	case EXT_MACMOB:
		snprintf(buf, size, "%u%s", attr_get32(p + 4),
		    p[2] & 0x01 ? ",sticky" : "");
		break;
	case EXT_LABEL:
		snprintf(buf, size, "%u",
		    (uint32_t)p[5] << 12 | (uint32_t)p[6] << 4 | p[7] >> 4);
		break;
	case EXT_NONE:
		buf[0] = '\0';
		break;
	default:
		attr_ext_flowspec(p, fmt, buf, size);
	}
}

/*
 * Name and value text of the 8-octet extended community at p, or NULL
 * (and an empty value) when the type is not one we name.
 */
static const char *
attr_ext_decode(const uint8_t *p, char *val, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(attr_ext_kinds) / sizeof(attr_ext_kinds[0]);
	     i++) {
		if (attr_ext_kinds[i].type != p[0] ||
		    attr_ext_kinds[i].subtype != p[1])
			continue;
		attr_ext_format(p, attr_ext_kinds[i].fmt, val, size);
		return attr_ext_kinds[i].name;
	}
	val[0] = '\0';
	return NULL;
}

/* "target:65000:100", or "0xTT/0xSS:hex" for unnamed types. */
static void
attr_ext_text(const uint8_t *p, char *buf, size_t size)
{
	char val[ATTR_VAL_MAX];
	const char *name = attr_ext_decode(p, val, sizeof(val));

	if (name == NULL)
		snprintf(buf, size, "0x%02x/0x%02x:%02x%02x%02x%02x%02x%02x",
		    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
	else if (val[0] == '\0')
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%s:%s", name, val);
}

/* RFC 5701 §3: route target and origin carry an IPv6 address. */
static const char *
attr_ext6_decode(const uint8_t *p, char *val, size_t size)
{
	char a[ADDR_STRLEN];

	if (p[0] != 0x00 || (p[1] != 0x02 && p[1] != 0x03)) {
		val[0] = '\0';
		return NULL;
	}
	snprintf(val, size, "[%s]:%u", addr_fmt(AFI_IPV6, p + 2, a, sizeof(a)),
	    attr_get16(p + 18));
	return p[1] == 0x02 ? "target" : "origin";
}

static void
attr_ext6_text(const uint8_t *p, char *buf, size_t size)
{
	char val[ATTR_VAL_MAX];
	const char *name = attr_ext6_decode(p, val, sizeof(val));

	if (name != NULL)
		snprintf(buf, size, "%s:%s", name, val);
	else
		snprintf(buf, size, "0x%02x/0x%02x", p[0], p[1]);
}

static const char *
attr_origin_name(uint8_t o)
{
	static const char *names[] = { "igp", "egp", "incomplete" };

	return o <= ORIGIN_INCOMPLETE ? names[o] : "undefined";
}

/* RFC 7606 §7.1: an undefined ORIGIN value is malformed. */
static int
attr_chk_origin(struct attr_ctx *c, struct rbuf *val)
{
	uint8_t o;

	if (rbuf_get_u8(val, &o) == -1)
		return attr_err(c, c->act, BGP_ERR_UPD_LENGTH, "no value");
	if (o > ORIGIN_INCOMPLETE)
		return attr_err(
		    c, c->act, BGP_ERR_UPD_ORIGIN, "undefined value %u", o);
	explain_add(c->ex, c->vp, 1, "ORIGIN %s (%u)", attr_origin_name(o), o);
	return 0;
}

/* RFC 7606 §7.2, RFC 7607 §2; 2- or 4-octet AS numbers per session. */
static int
attr_chk_aspath(struct attr_ctx *c, struct rbuf *val)
{
	uint8_t asw = c->s->as4 ? 4 : 2;
	char why[96];

	explain_add(
	    c->ex, c->vp, c->vlen, "AS_PATH value, %u-octet AS numbers", asw);
	explain_push(c->ex);
	if (aspath_verify(c->vp, c->vlen, asw, true, why, sizeof(why), c->ex) ==
	    -1) {
		explain_pop(c->ex);
		return attr_err(c, c->act, BGP_ERR_UPD_ASPATH, "%s", why);
	}
	explain_pop(c->ex);
	aspath_init(&c->a->as_path, c->vp, c->vlen, asw);
	return 0;
}

/*
 * RFC 4271 §6.3: NEXT_HOP must be a valid IP host address; 0/8 and
 * 224/3 (multicast, reserved, broadcast) are not. A syntax error in
 * NEXT_HOP is treat-as-withdraw (RFC 7606 §3(e), §7.3), but when the
 * UPDATE has no NLRI field the attribute is ignored (RFC 4760 §3), so
 * it is only discarded then.
 */
static int
attr_chk_nexthop(struct attr_ctx *c, struct rbuf *val)
{
	char a[ADDR_STRLEN];

	if (c->vp[0] == 0 || c->vp[0] >= 224) {
		c->cite = "RFC 4271 §6.3, RFC 7606 §3(e)";
		return attr_err(c,
		    c->nlri_len > 0 ? c->act : VERDICT_ATTR_DISCARD,
		    BGP_ERR_UPD_NEXTHOP, "%s is not a valid host address",
		    addr_fmt(AFI_IPV4, c->vp, a, sizeof(a)));
	}
	if (c->ex != NULL)
		explain_add(c->ex, c->vp, 4, "NEXT_HOP %s",
		    addr_fmt(AFI_IPV4, c->vp, a, sizeof(a)));
	return 0;
}

/* MULTI_EXIT_DISC, LOCAL_PREF, OTC: one 32-bit number. */
static int
attr_chk_u32(struct attr_ctx *c, struct rbuf *val)
{
	uint32_t n;

	if (rbuf_get_u32(val, &n) == -1)
		return attr_err(c, c->act, BGP_ERR_UPD_LENGTH, "no value");
	explain_add(c->ex, c->vp, 4, "%s %u", c->d->name, n);
	return 0;
}

static int
attr_chk_empty(struct attr_ctx *c, struct rbuf *val)
{
	return 0; /* ATOMIC_AGGREGATE: the length rule is all there is */
}

/*
 * AGGREGATOR (RFC 4271 §5.1.7: 6 octets, RFC 6793 §3: 8 on a 4-octet
 * session) and AS4_AGGREGATOR (8 octets). RFC 7607 §2: AS 0 is
 * malformed. Both are attribute-discard (RFC 7606 §7.7, RFC 6793 §6).
 */
static int
attr_chk_aggr(struct attr_ctx *c, struct rbuf *val)
{
	unsigned asw = c->type == ATTR_AGGREGATOR && !c->s->as4 ? 2 : 4;
	uint32_t as;
	char a[ADDR_STRLEN];

	if (c->vlen != asw + 4)
		return attr_err(c, c->act, BGP_ERR_UPD_LENGTH,
		    "length %u, expected %u", c->vlen, asw + 4);
	as = asw == 2 ? attr_get16(c->vp) : attr_get32(c->vp);
	if (as == 0) {
		c->cite = "RFC 7607 §2";
		return attr_err(c, c->act, BGP_ERR_UPD_OPTATTR, "AS 0");
	}
	if (c->ex != NULL) {
		explain_add(c->ex, c->vp, c->vlen, "%s value", c->d->name);
		explain_push(c->ex);
		explain_add(c->ex, c->vp, asw, "aggregating AS%u", as);
		explain_add(c->ex, c->vp + asw, 4, "aggregator %s",
		    addr_fmt(AFI_IPV4, c->vp + asw, a, sizeof(a)));
		explain_pop(c->ex);
	}
	return 0;
}

/* RFC 1997 well-known communities, for narration. */
static const char *
attr_comm_name(uint32_t comm)
{
	switch (comm) {
	case 0xffff0000:
		return " GRACEFUL_SHUTDOWN";
	case 0xffff0001:
		return " ACCEPT_OWN";
	case 0xffff029a:
		return " BLACKHOLE";
	case 0xffffff01:
		return " NO_EXPORT";
	case 0xffffff02:
		return " NO_ADVERTISE";
	case 0xffffff03:
		return " NO_EXPORT_SUBCONFED";
	case 0xffffff04:
		return " NOPEER";
	}
	return "";
}

/* Narrate a list of unit-octet items; the value's length is checked. */
static void
attr_explain_list(struct attr_ctx *c, unsigned unit, const char *what)
{
	char text[ATTR_TEXT_MAX];
	unsigned i;
	uint32_t n;

	if (c->ex == NULL)
		return;
	explain_add(c->ex, c->vp, c->vlen, "%u %s%s", c->vlen / unit, what,
	    c->vlen / unit == 1 ? "" : "s");
	explain_push(c->ex);
	for (i = 0; i + unit <= c->vlen; i += unit) {
		switch (c->type) {
		case ATTR_COMMUNITIES:
			n = attr_get32(c->vp + i);
			explain_add(c->ex, c->vp + i, unit, "community %u:%u%s",
			    n >> 16, n & 0xffff, attr_comm_name(n));
			break;
		case ATTR_CLUSTER_LIST:
			explain_add(c->ex, c->vp + i, unit, "cluster id %s",
			    addr_fmt(AFI_IPV4, c->vp + i, text, sizeof(text)));
			break;
		case ATTR_EXT_COMMUNITIES:
			attr_ext_text(c->vp + i, text, sizeof(text));
			explain_add(c->ex, c->vp + i, unit,
			    "extended community %s", text);
			break;
		case ATTR_IPV6_EXT_COMM:
			attr_ext6_text(c->vp + i, text, sizeof(text));
			explain_add(c->ex, c->vp + i, unit,
			    "IPv6 extended community %s", text);
			break;
		default:
			explain_add(c->ex, c->vp + i, unit,
			    "large community %u:%u:%u", attr_get32(c->vp + i),
			    attr_get32(c->vp + i + 4),
			    attr_get32(c->vp + i + 8));
		}
	}
	explain_pop(c->ex);
}

static int
attr_chk_comm(struct attr_ctx *c, struct rbuf *val)
{
	attr_explain_list(c, 4, "community");
	return 0;
}

static int
attr_chk_clist(struct attr_ctx *c, struct rbuf *val)
{
	attr_explain_list(c, 4, "cluster id");
	return 0;
}

static int
attr_chk_ext(struct attr_ctx *c, struct rbuf *val)
{
	attr_explain_list(c, 8, "extended community");
	return 0;
}

static int
attr_chk_ext6(struct attr_ctx *c, struct rbuf *val)
{
	attr_explain_list(c, 20, "IPv6 extended community");
	return 0;
}

static int
attr_chk_large(struct attr_ctx *c, struct rbuf *val)
{
	attr_explain_list(c, 12, "large community");
	return 0;
}

/* ORIGINATOR_ID: a router id. */
static int
attr_chk_addr(struct attr_ctx *c, struct rbuf *val)
{
	char a[ADDR_STRLEN];

	if (c->ex != NULL)
		explain_add(c->ex, c->vp, 4, "%s %s", c->d->name,
		    addr_fmt(AFI_IPV4, c->vp, a, sizeof(a)));
	return 0;
}

/*
 * AS4_PATH: 4-octet AS numbers, no confederation segments; malformed
 * means attribute-discard (RFC 6793 §6).
 */
static int
attr_chk_as4path(struct attr_ctx *c, struct rbuf *val)
{
	char why[96];

	explain_add(c->ex, c->vp, c->vlen, "AS4_PATH value");
	explain_push(c->ex);
	if (aspath_verify(c->vp, c->vlen, 4, false, why, sizeof(why), c->ex) ==
	    -1) {
		explain_pop(c->ex);
		return attr_err(c, c->act, BGP_ERR_UPD_ASPATH, "%s", why);
	}
	explain_pop(c->ex);
	aspath_init(&c->a->as4_path, c->vp, c->vlen, 4);
	return 0;
}

/* One <path id, length, prefix> of a verified field, narrated. */
static void
attr_nlri_explain(const uint8_t *start, size_t len, uint16_t afi, bool addpath,
    struct explain *ex)
{
	struct rbuf r;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	uint32_t id = 0;
	size_t off = addpath ? 4 : 0;

	rbuf_init(&r, start, len);
	if ((addpath && rbuf_get_u32(&r, &id) == -1) ||
	    prefix_decode(&r, afi, &p) == -1)
		return;
	prefix_fmt(&p, buf, sizeof(buf));
	if (addpath)
		explain_add(ex, start, len, "prefix %s, path id %u", buf, id);
	else
		explain_add(ex, start, len, "prefix %s", buf);
	explain_push(ex);
	if (addpath)
		explain_add(ex, start, 4, "path identifier %u (RFC 7911)", id);
	explain_add(ex, start + off, 1, "prefix length %u", p.len);
	if (len > off + 1)
		explain_add(ex, start + off + 1, len - off - 1,
		    "prefix octets (%zu)", len - off - 1);
	explain_pop(ex);
}

static long attr_nlri_bad(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static long
attr_nlri_bad(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

long
attr_nlri_verify(const struct rbuf *field, uint16_t afi, bool addpath,
    char *why, size_t whylen, struct explain *ex)
{
	struct rbuf r = *field;
	const uint8_t *start;
	unsigned max = afi == AFI_IPV4 ? 32 : 128;
	uint32_t id;
	uint8_t plen;
	long n = 0;

	while (rbuf_left(&r) > 0) {
		start = rbuf_ptr(&r);
		if (addpath && rbuf_get_u32(&r, &id) == -1)
			return attr_nlri_bad(why, whylen,
			    "path identifier cut short (%zu octets left)",
			    rbuf_left(&r));
		if (rbuf_get_u8(&r, &plen) == -1)
			return attr_nlri_bad(why, whylen,
			    "prefix length missing after path identifier");
		if (plen > max)
			return attr_nlri_bad(why, whylen,
			    "prefix length %u exceeds %u", plen, max);
		if (rbuf_skip(&r, (plen + 7u) / 8) == -1)
			return attr_nlri_bad(why, whylen,
			    "prefix of length %u needs %u octets, %zu left",
			    plen, (plen + 7u) / 8, rbuf_left(&r));
		if (ex != NULL)
			attr_nlri_explain(start, (size_t)(rbuf_ptr(&r) - start),
			    afi, addpath, ex);
		n++;
	}
	return n;
}

/* IPv4/IPv6 unicast and multicast are walked; other families are not. */
static bool
attr_mp_decodable(uint16_t afi, uint8_t safi)
{
	return sess_family(afi, safi) >= 0;
}

static const char *
attr_afi_text(uint16_t afi, char *buf, size_t size)
{
	const char *n = afi_name(afi);

	if (n == NULL)
		snprintf(buf, size, "%u", afi);
	return n != NULL ? n : buf;
}

static const char *
attr_safi_text(uint8_t safi, char *buf, size_t size)
{
	const char *n = safi_name(safi);

	if (n == NULL)
		snprintf(buf, size, "%u", safi);
	return n != NULL ? n : buf;
}

/* RFC 7606 §7.11: without AFI/SAFI only a session reset is left. */
static int
attr_mp_family(struct attr_ctx *c, struct rbuf *val, struct attr_mp *mp)
{
	memset(mp, 0, sizeof(*mp));
	if (rbuf_get_u16(val, &mp->afi) == -1 ||
	    rbuf_get_u8(val, &mp->safi) == -1)
		return attr_err(c, VERDICT_SESSION_RESET, BGP_ERR_UPD_OPTATTR,
		    "length %u too short for AFI/SAFI", c->vlen);
	mp->present = true;
	return 0;
}

/* A malformed MP attribute of a known family: disable that family. */
static int
attr_mp_err(struct attr_ctx *c, const struct attr_mp *mp, const char *what,
    const char *why)
{
	char a[16], s[16];

	c->a->disable_afi = mp->afi;
	c->a->disable_safi = mp->safi;
	return attr_err(c, VERDICT_AFI_SAFI_DISABLE, BGP_ERR_UPD_OPTATTR,
	    "%s/%s %s%s", attr_afi_text(mp->afi, a, sizeof(a)),
	    attr_safi_text(mp->safi, s, sizeof(s)), what, why);
}

/* Narrate AFI, SAFI (3 octets from p). */
static void
attr_mp_explain_family(struct attr_ctx *c, const struct attr_mp *mp)
{
	char a[16], s[16];

	explain_add(c->ex, c->vp, 2, "AFI %u (%s)", mp->afi,
	    attr_afi_text(mp->afi, a, sizeof(a)));
	explain_add(c->ex, c->vp + 2, 1, "SAFI %u (%s)", mp->safi,
	    attr_safi_text(mp->safi, s, sizeof(s)));
}

static void
attr_mp_explain_nlri(
    struct attr_ctx *c, const struct attr_mp *mp, const char *what)
{
	char why[8];
	long n;

	if (rbuf_left(&mp->nlri) == 0)
		return;
	explain_add(c->ex, rbuf_ptr(&mp->nlri), rbuf_left(&mp->nlri),
	    "%s, %zu octets%s", what, rbuf_left(&mp->nlri),
	    mp->decoded ? "" : " (family not decoded)");
	if (!mp->decoded)
		return;
	explain_push(c->ex);
	/* Verified before narration: the count is of no interest here. */
	n = attr_nlri_verify(&mp->nlri, mp->afi,
	    sess_addpath(c->s, mp->afi, mp->safi), why, sizeof(why), c->ex);
	explain_pop(c->ex);
	(void)n;
}

/* RFC 4760 §3 / RFC 8950 §3: next hop lengths of the decoded families. */
static bool
attr_mp_nhlen_ok(uint16_t afi, uint8_t nhlen)
{
	if (afi == AFI_IPV4)
		return nhlen == 4 || nhlen == 16 || nhlen == 32;
	return nhlen == 16 || nhlen == 32;
}

static void
attr_reach_explain(struct attr_ctx *c, const struct attr_mp *mp)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	uint16_t nhafi = mp->nhlen == 4 ? AFI_IPV4 : AFI_IPV6;

	explain_add(c->ex, c->vp, c->vlen, "MP_REACH_NLRI value%s",
	    mp->abbreviated ? " (RFC 6396 §4.3.4 RIB entry form: the "
	                      "family is the RIB's, no NLRI)"
	                    : "");
	explain_push(c->ex);
	if (!mp->abbreviated)
		attr_mp_explain_family(c, mp);
	explain_add(c->ex, mp->nh - 1, 1, "next hop length %u", mp->nhlen);
	if (mp->nhlen > 0 && !mp->decoded)
		explain_add(c->ex, mp->nh, mp->nhlen, "next hop (not decoded)");
	else if (mp->nhlen == 32) {
		explain_add(c->ex, mp->nh, 32, "next hop %s, link-local %s",
		    addr_fmt(AFI_IPV6, mp->nh, a, sizeof(a)),
		    addr_fmt(AFI_IPV6, mp->nh + 16, b, sizeof(b)));
		explain_push(c->ex);
		explain_add(c->ex, mp->nh, 16, "global next hop %s", a);
		explain_add(
		    c->ex, mp->nh + 16, 16, "link-local next hop %s", b);
		explain_pop(c->ex);
	} else if (mp->nhlen > 0)
		explain_add(c->ex, mp->nh, mp->nhlen, "next hop %s",
		    addr_fmt(nhafi, mp->nh, a, sizeof(a)));
	if (!mp->abbreviated)
		explain_add(c->ex, mp->nh + mp->nhlen, 1,
		    "reserved octet %u (RFC 4760 §3: ignored)",
		    mp->nh[mp->nhlen]);
	attr_mp_explain_nlri(c, mp, "NLRI");
	explain_pop(c->ex);
}

/*
 * RFC 6396 §4.3.4: in an MRT RIB entry MP_REACH_NLRI may be only the next
 * hop length and the next hop, its family the RIB's. The RFC 4760 §3 form
 * cannot look like that: it starts with a 2-octet AFI whose first octet
 * is 0 for every decoded family, and is at least 5 octets long.
 */
static bool
attr_reach_abbreviated(const struct attr_ctx *c, const struct rbuf *val)
{
	uint8_t nhlen;

	return c->s->rib_afi != 0 && rbuf_peek_u8(val, &nhlen) == 0 &&
	    rbuf_left(val) == 1u + nhlen;
}

static int
attr_chk_reach(struct attr_ctx *c, struct rbuf *val)
{
	struct attr_mp *mp = &c->a->reach;
	struct rbuf nh;
	uint8_t nhlen, res;
	char why[96];

	if (attr_reach_abbreviated(c, val)) {
		memset(mp, 0, sizeof(*mp));
		mp->present = mp->abbreviated = true;
		mp->afi = c->s->rib_afi;
		mp->safi = c->s->rib_safi;
	} else if (attr_mp_family(c, val, mp) == -1)
		return -1;
	if (rbuf_get_u8(val, &nhlen) == -1 ||
	    rbuf_get_sub(val, nhlen, &nh) == -1 ||
	    (!mp->abbreviated && rbuf_get_u8(val, &res) == -1))
		return attr_mp_err(
		    c, mp, "next hop length ", "overruns the attribute");
	mp->nh = rbuf_ptr(&nh);
	mp->nhlen = nhlen;
	mp->nlri = *val;
	if (attr_mp_decodable(mp->afi, mp->safi)) {
		if (!attr_mp_nhlen_ok(mp->afi, nhlen)) {
			snprintf(why, sizeof(why), "%u invalid", nhlen);
			return attr_mp_err(c, mp, "next hop length ", why);
		}
		if (attr_nlri_verify(&mp->nlri, mp->afi,
		        sess_addpath(c->s, mp->afi, mp->safi), why, sizeof(why),
		        NULL) == -1)
			return attr_mp_err(c, mp, "NLRI: ", why);
		mp->decoded = true;
	}
	if (c->ex != NULL)
		attr_reach_explain(c, mp);
	return 0;
}

static int
attr_chk_unreach(struct attr_ctx *c, struct rbuf *val)
{
	struct attr_mp *mp = &c->a->unreach;
	char why[96];

	if (attr_mp_family(c, val, mp) == -1)
		return -1;
	mp->nlri = *val;
	if (attr_mp_decodable(mp->afi, mp->safi)) {
		if (attr_nlri_verify(&mp->nlri, mp->afi,
		        sess_addpath(c->s, mp->afi, mp->safi), why, sizeof(why),
		        NULL) == -1)
			return attr_mp_err(c, mp, "withdrawn routes: ", why);
		mp->decoded = true;
	}
	if (c->ex != NULL) {
		explain_add(c->ex, c->vp, c->vlen, "MP_UNREACH_NLRI value");
		explain_push(c->ex);
		attr_mp_explain_family(c, mp);
		attr_mp_explain_nlri(c, mp, "withdrawn routes");
		explain_pop(c->ex);
	}
	return 0;
}

/* Narrate flags, type and length of the attribute at c->hdr. */
static void
attr_explain_header(struct attr_ctx *c, const char *name)
{
	uint8_t f = c->flags;
	size_t lenlen = f & ATTR_F_EXTLEN ? 2 : 1;

	if (name != NULL)
		explain_add(c->ex, c->hdr, c->hdrlen, "%s attribute (type %u)",
		    name, c->type);
	else
		explain_add(c->ex, c->hdr, c->hdrlen,
		    "unrecognised attribute type %u", c->type);
	explain_push(c->ex);
	explain_add(c->ex, c->hdr, 1, "flags 0x%02x: %s, %s, %s, %s length", f,
	    f & ATTR_F_OPTIONAL ? "optional" : "well-known",
	    f & ATTR_F_TRANSITIVE ? "transitive" : "non-transitive",
	    f & ATTR_F_PARTIAL ? "partial" : "complete",
	    f & ATTR_F_EXTLEN ? "2-octet" : "1-octet");
	explain_add(c->ex, c->hdr + 1, 1, "type code %u", c->type);
	explain_add(c->ex, c->hdr + 2, lenlen, "attribute length %u", c->vlen);
}

/*
 * Narrate the value: the checker does it for a value it accepted, a
 * generic line covers the rest. status: 0 accepted, else the reason.
 */
static void
attr_explain(struct attr_ctx *c, const char *name, const char *status)
{
	struct rbuf val;

	c->ex = c->nex;
	attr_explain_header(c, name);
	if (status == NULL && c->d != NULL) {
		rbuf_init(&val, c->vp, c->vlen);
		if (c->d->check(c, &val) == -1)
			status = "malformed";
	} else if (c->vlen > 0)
		explain_add(c->ex, c->vp, c->vlen, "value (%u octets)%s%s",
		    c->vlen, status != NULL ? ": " : "",
		    status != NULL ? status : "");
	explain_pop(c->ex);
	c->ex = NULL;
}

/* RFC 7606 §3(g): a repeated attribute. */
static int
attr_dup(struct attr_ctx *c)
{
	const char *name = attr_name(c->type);

	if (c->type == ATTR_MP_REACH_NLRI || c->type == ATTR_MP_UNREACH_NLRI) {
		verdict_set(c->v, VERDICT_SESSION_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTRLIST, c->hdr, c->hdrlen,
		    "%s: appears more than once (RFC 7606 §3(g))", name);
		return -1;
	}
	if (name != NULL)
		verdict_set(c->v, VERDICT_ATTR_DISCARD, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTRLIST, c->hdr, c->hdrlen,
		    "%s: repeated, all but the first discarded "
		    "(RFC 7606 §3(g))",
		    name);
	else
		verdict_set(c->v, VERDICT_ATTR_DISCARD, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTRLIST, c->hdr, c->hdrlen,
		    "attribute type %u: repeated, all but the first discarded "
		    "(RFC 7606 §3(g))",
		    c->type);
	if (c->nex != NULL)
		attr_explain(c, name, "repeated, discarded (RFC 7606 §3(g))");
	return 0;
}

/*
 * An attribute without a descriptor: optional ones are kept raw
 * (RFC 4271 §5), a well-known one is an error that RFC 7606 leaves a
 * session reset (RFC 4271 §6.3: Unrecognized Well-known Attribute).
 */
static int
attr_unknown(struct attr_ctx *c)
{
	if ((c->flags & ATTR_F_OPTIONAL) == 0) {
		verdict_set(c->v, VERDICT_SESSION_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_UNKNWN_WK, c->hdr, c->hdrlen,
		    "attribute type %u: unrecognized well-known attribute "
		    "(RFC 4271 §6.3)",
		    c->type);
		return -1;
	}
	c->a->n_unknown++;
	if (c->nex != NULL)
		attr_explain(c, attr_name(c->type),
		    c->flags & ATTR_F_TRANSITIVE
		        ? "kept (optional transitive, RFC 4271 §5)"
		        : "ignored (optional non-transitive, RFC 4271 §5)");
	return 0;
}

/* The table's length rule: 0 when met, else -1 with the reason in c. */
static int
attr_check_len(struct attr_ctx *c)
{
	const struct attr_desc *d = c->d;

	if (d->fixed >= 0 && c->vlen != d->fixed)
		return attr_err(c, d->act, BGP_ERR_UPD_LENGTH,
		    "length %u, expected %d", c->vlen, d->fixed);
	if (d->unit > 0 && (c->vlen == 0 || c->vlen % d->unit != 0))
		return attr_err(c, d->act, BGP_ERR_UPD_LENGTH,
		    "length %u, expected a non-zero multiple of %u", c->vlen,
		    d->unit);
	return 0;
}

/* RFC 7606 §3(c): Optional/Transitive bits that contradict the type. */
static void
attr_check_flags(struct attr_ctx *c)
{
	uint8_t got = c->flags & (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE);

	if (got == c->d->flags)
		return;
	verdict_set(c->v, VERDICT_TREAT_AS_WITHDRAW, BGP_ERR_UPDATE,
	    BGP_ERR_UPD_FLAGS, c->hdr, c->hdrlen,
	    "%s: flags 0x%02x, expected 0x%02x (RFC 7606 §3(c))", c->d->name,
	    c->flags, c->d->flags);
	c->a->withdraw = true;
}

/* One attribute whose header and value were carved; -1: session reset. */
static int
attr_one(struct attr_ctx *c)
{
	struct rbuf val;
	int rc;

	c->d = NULL;
	if (c->type != ATTR_MP_UNREACH_NLRI)
		c->a->non_unreach = true;
	if (attr_bit(c->a->seen, c->type))
		return attr_dup(c);
	attr_setbit(c->a->seen, c->type);
	if ((c->d = attr_desc(c->type)) == NULL)
		return attr_unknown(c);
	attr_check_flags(c);
	c->cite = c->d->cite;
	c->act = c->d->act;
	rbuf_init(&val, c->vp, c->vlen);
	rc = attr_check_len(c);
	if (rc == 0)
		rc = c->d->check(c, &val);
	if (rc == 0) {
		attr_setbit(c->a->have, c->type);
		c->a->val[c->type] = c->vp;
		c->a->len[c->type] = c->vlen;
		c->a->flags[c->type] = c->flags;
	} else
		attr_fail(c);
	if (c->nex != NULL)
		attr_explain(c, c->d->name, rc == 0 ? NULL : c->why);
	return c->v->action == VERDICT_SESSION_RESET ? -1 : 0;
}

/*
 * RFC 7606 §4: an attribute header cut short, or a length that runs past
 * the attribute field, is treat-as-withdraw and ends the walk; the NLRI
 * field is still found through the Total Path Attribute Length. For
 * MP_REACH/MP_UNREACH the routes of the attribute cannot be found, which
 * treat-as-withdraw needs (RFC 7606 §3(j)): session reset.
 */
static int
attr_cut(struct attr_ctx *c, const uint8_t *hdr, size_t left, int type,
    uint8_t sub, const char *what)
{
	const char *name = type >= 0 ? attr_name((uint8_t)type) : NULL;

	if (type >= 0 && type != ATTR_MP_UNREACH_NLRI)
		c->a->non_unreach = true;
	if (type == ATTR_MP_REACH_NLRI || type == ATTR_MP_UNREACH_NLRI) {
		verdict_set(c->v, VERDICT_SESSION_RESET, BGP_ERR_UPDATE, sub,
		    hdr, left,
		    "%s: %s; its NLRI cannot be located "
		    "(RFC 7606 §4, §3(j))",
		    name, what);
		return -1;
	}
	verdict_set(c->v, VERDICT_TREAT_AS_WITHDRAW, BGP_ERR_UPDATE, sub, hdr,
	    left, "%s%s%s (RFC 7606 §4)", name != NULL ? name : "",
	    name != NULL ? ": " : "", what);
	c->a->withdraw = true;
	c->a->truncated = true;
	explain_add(
	    c->nex, hdr, left, "%zu octets: %s (RFC 7606 §4)", left, what);
	return 1;
}

/* Carve the next attribute: 0, 1 when the walk must stop, -1 reset. */
static int
attr_next(struct attr_ctx *c, struct rbuf *r)
{
	const uint8_t *hdr = rbuf_ptr(r);
	size_t left = rbuf_left(r);
	struct rbuf val;
	uint16_t len16;
	uint8_t len8;
	int rc;

	if (rbuf_get_u8(r, &c->flags) == -1 || rbuf_get_u8(r, &c->type) == -1)
		return attr_cut(c, hdr, left, -1, BGP_ERR_UPD_ATTRLIST,
		    "attribute header cut short");
	if (c->flags & ATTR_F_EXTLEN) {
		rc = rbuf_get_u16(r, &len16);
	} else {
		rc = rbuf_get_u8(r, &len8);
		len16 = len8;
	}
	if (rc == -1)
		return attr_cut(c, hdr, left, c->type, BGP_ERR_UPD_ATTRLIST,
		    "attribute header cut short");
	if (rbuf_get_sub(r, len16, &val) == -1)
		return attr_cut(c, hdr, left, c->type, BGP_ERR_UPD_LENGTH,
		    "attribute length overruns the path attributes");
	c->hdr = hdr;
	c->hdrlen = (size_t)(rbuf_ptr(r) - hdr);
	c->vp = rbuf_ptr(&val);
	c->vlen = len16;
	return attr_one(c);
}

static uint32_t
attr_aggr_as(const struct attr_set *a)
{
	const uint8_t *p = a->val[ATTR_AGGREGATOR];

	return a->as4 ? attr_get32(p) : attr_get16(p);
}

/*
 * RFC 6793 §4.2.3, only on a 2-octet session (a 4-octet speaker ignores
 * AS4_PATH and AS4_AGGREGATOR, RFC 6793 §4.2.1): an AGGREGATOR other than
 * AS_TRANS means both AS4 attributes are ignored; otherwise AS4_AGGREGATOR
 * stands for AGGREGATOR and AS4_PATH is merged into AS_PATH.
 */
static void
attr_reconcile(struct attr_set *a)
{
	struct aspath empty;

	aspath_init(&empty, NULL, 0, a->as4 ? 4 : 2);
	aspath_view_init(
	    &a->path, attr_has(a, ATTR_AS_PATH) ? &a->as_path : &empty);
	if (a->as4)
		return;
	if (attr_has(a, ATTR_AGGREGATOR) && attr_aggr_as(a) != BGP_AS_TRANS)
		return;
	if (attr_has(a, ATTR_AS_PATH) && attr_has(a, ATTR_AS4_PATH))
		a->as4_used = aspath_merge(&a->path, &a->as_path, &a->as4_path);
	a->as4_aggr_used =
	    attr_has(a, ATTR_AGGREGATOR) && attr_has(a, ATTR_AS4_AGGREGATOR);
}

int
attr_parse(struct rbuf *r, const struct bgp_sess *s, size_t nlri_len,
    struct attr_set *a, struct verdict *v, struct explain *ex)
{
	struct attr_ctx c;
	struct rbuf walk = *r;
	const uint8_t *end;
	int rc = 0;

	memset(a->seen, 0, sizeof(a->seen));
	memset(a->have, 0, sizeof(a->have));
	memset(&a->reach, 0, sizeof(a->reach));
	memset(&a->unreach, 0, sizeof(a->unreach));
	a->as4 = s->as4;
	a->as4_used = a->as4_aggr_used = false;
	a->disable_afi = 0;
	a->disable_safi = 0;
	a->n_unknown = 0;
	a->truncated = a->withdraw = a->non_unreach = false;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.a = a;
	c.v = v;
	c.nex = ex;
	c.nlri_len = nlri_len;
	end = rbuf_ptr(&walk);
	while (rc == 0 && rbuf_left(&walk) > 0) {
		rc = attr_next(&c, &walk);
		if (rc == 0)
			end = rbuf_ptr(&walk);
	}
	/* Only whole attributes stay in the section (for the raw walks). */
	rbuf_init(&a->section, rbuf_ptr(r), (size_t)(end - rbuf_ptr(r)));
	attr_reconcile(a);
	return rc == -1 ? -1 : 0;
}

int
attr_hdr_next(struct rbuf *r, uint8_t *flags, uint8_t *type, struct rbuf *val)
{
	struct rbuf t = *r;
	uint16_t len;
	uint8_t l8;

	if (rbuf_get_u8(&t, flags) == -1 || rbuf_get_u8(&t, type) == -1)
		return -1;
	if (*flags & ATTR_F_EXTLEN) {
		if (rbuf_get_u16(&t, &len) == -1)
			return -1;
	} else {
		if (rbuf_get_u8(&t, &l8) == -1)
			return -1;
		len = l8;
	}
	if (rbuf_get_sub(&t, len, val) == -1)
		return -1;
	*r = t;
	return 0;
}

/* Walk a verified section: 1 with the next attribute, 0 at the end. */
static int
attr_raw_next(struct rbuf *r, uint8_t *flags, uint8_t *type,
    const uint8_t **val, uint16_t *len)
{
	struct rbuf v;

	if (attr_hdr_next(r, flags, type, &v) == -1)
		return 0;
	*val = rbuf_ptr(&v);
	*len = (uint16_t)rbuf_left(&v);
	return 1;
}

/*
 * First occurrence of each optional attribute that has no descriptor
 * (RFC 7606 §3(g): later ones were discarded). Returns how many.
 */
static unsigned
attr_unknowns(const struct attr_set *a, const uint8_t *hdr[256])
{
	struct rbuf r = a->section;
	const uint8_t *p = rbuf_ptr(&r), *val;
	uint8_t flags, type;
	uint16_t len;
	unsigned n = 0;

	memset(hdr, 0, 256 * sizeof(hdr[0]));
	while (attr_raw_next(&r, &flags, &type, &val, &len)) {
		if (attr_desc(type) == NULL && hdr[type] == NULL &&
		    (flags & ATTR_F_OPTIONAL)) {
			hdr[type] = p;
			n++;
		}
		p = rbuf_ptr(&r);
	}
	return n;
}

bool
attr_aggregator(const struct attr_set *a, uint32_t *as, uint8_t id[4])
{
	const uint8_t *p;

	if (!attr_has(a, ATTR_AGGREGATOR))
		return false;
	if (a->as4_aggr_used) {
		p = a->val[ATTR_AS4_AGGREGATOR];
		*as = attr_get32(p);
		memcpy(id, p + 4, 4);
		return true;
	}
	p = a->val[ATTR_AGGREGATOR];
	*as = attr_aggr_as(a);
	memcpy(id, p + (a->as4 ? 4 : 2), 4);
	return true;
}

static void
attr_js_addr(struct json *j, const char *key, uint16_t afi, const uint8_t *p)
{
	char a[ADDR_STRLEN];

	json_str(j, key, addr_fmt(afi, p, a, sizeof(a)));
}

static void
attr_js_origin(const struct attr_set *a, struct json *j)
{
	json_str(j, "origin", attr_origin_name(a->val[ATTR_ORIGIN][0]));
}

static void
attr_js_aspath(const struct attr_set *a, struct json *j)
{
	json_obj_open(j, "as_path");
	aspath_json(&a->path, j);
	json_obj_close(j);
}

static void
attr_js_nexthop(const struct attr_set *a, struct json *j)
{
	attr_js_addr(j, "next_hop", AFI_IPV4, a->val[ATTR_NEXT_HOP]);
}

static void
attr_js_med(const struct attr_set *a, struct json *j)
{
	json_uint(j, "med", attr_get32(a->val[ATTR_MED]));
}

static void
attr_js_lpref(const struct attr_set *a, struct json *j)
{
	json_uint(j, "local_pref", attr_get32(a->val[ATTR_LOCAL_PREF]));
}

static void
attr_js_atomic(const struct attr_set *a, struct json *j)
{
	json_bool(j, "atomic_aggregate", true);
}

static void
attr_js_aggregator(
    struct json *j, const char *key, uint32_t as, const uint8_t *id)
{
	json_obj_open(j, key);
	json_uint(j, "as", as);
	attr_js_addr(j, "address", AFI_IPV4, id);
	json_obj_close(j);
}

static void
attr_js_aggr(const struct attr_set *a, struct json *j)
{
	uint32_t as;
	uint8_t id[4];

	if (attr_aggregator(a, &as, id))
		attr_js_aggregator(j, "aggregator", as, id);
}

static void
attr_js_as4aggr(const struct attr_set *a, struct json *j)
{
	const uint8_t *p = a->val[ATTR_AS4_AGGREGATOR];

	attr_js_aggregator(j, "as4_aggregator", attr_get32(p), p + 4);
}

static void
attr_js_comm(const struct attr_set *a, struct json *j)
{
	const uint8_t *p = a->val[ATTR_COMMUNITIES];
	char buf[ATTR_TEXT_MAX];
	unsigned i;

	json_arr_open(j, "communities");
	for (i = 0; i + 4 <= a->len[ATTR_COMMUNITIES]; i += 4) {
		snprintf(buf, sizeof(buf), "%u:%u", attr_get16(p + i),
		    attr_get16(p + i + 2));
		json_str(j, NULL, buf);
	}
	json_arr_close(j);
}

static void
attr_js_large(const struct attr_set *a, struct json *j)
{
	const uint8_t *p = a->val[ATTR_LARGE_COMMUNITIES];
	char buf[ATTR_TEXT_MAX];
	unsigned i;

	json_arr_open(j, "large_communities");
	for (i = 0; i + 12 <= a->len[ATTR_LARGE_COMMUNITIES]; i += 12) {
		snprintf(buf, sizeof(buf), "%u:%u:%u", attr_get32(p + i),
		    attr_get32(p + i + 4), attr_get32(p + i + 8));
		json_str(j, NULL, buf);
	}
	json_arr_close(j);
}

static void
attr_js_origid(const struct attr_set *a, struct json *j)
{
	attr_js_addr(j, "originator_id", AFI_IPV4, a->val[ATTR_ORIGINATOR_ID]);
}

static void
attr_js_clist(const struct attr_set *a, struct json *j)
{
	const uint8_t *p = a->val[ATTR_CLUSTER_LIST];
	unsigned i;

	json_arr_open(j, "cluster_list");
	for (i = 0; i + 4 <= a->len[ATTR_CLUSTER_LIST]; i += 4)
		attr_js_addr(j, NULL, AFI_IPV4, p + i);
	json_arr_close(j);
}

static void
attr_js_otc(const struct attr_set *a, struct json *j)
{
	json_uint(j, "otc", attr_get32(a->val[ATTR_OTC]));
}

/* {"type","subtype","name","value","text"} or {"type","subtype","hex"} */
static void
attr_js_ext_one(struct json *j, const uint8_t *p, size_t len, const char *name,
    const char *val, const char *text)
{
	json_obj_open(j, NULL);
	json_uint(j, "type", p[0]);
	json_uint(j, "subtype", p[1]);
	if (name != NULL) {
		json_str(j, "name", name);
		json_str(j, "value", val);
		json_str(j, "text", text);
	} else
		json_hex(j, "hex", p, len);
	json_obj_close(j);
}

static void
attr_js_ext(const struct attr_set *a, struct json *j)
{
	const uint8_t *p = a->val[ATTR_EXT_COMMUNITIES];
	char val[ATTR_VAL_MAX], text[ATTR_TEXT_MAX];
	const char *name;
	unsigned i;

	json_arr_open(j, "extended_communities");
	for (i = 0; i + 8 <= a->len[ATTR_EXT_COMMUNITIES]; i += 8) {
		name = attr_ext_decode(p + i, val, sizeof(val));
		attr_ext_text(p + i, text, sizeof(text));
		attr_js_ext_one(j, p + i, 8, name, val, text);
	}
	json_arr_close(j);
}

static void
attr_js_ext6(const struct attr_set *a, struct json *j)
{
	const uint8_t *p = a->val[ATTR_IPV6_EXT_COMM];
	char val[ATTR_VAL_MAX], text[ATTR_TEXT_MAX];
	const char *name;
	unsigned i;

	json_arr_open(j, "ipv6_extended_communities");
	for (i = 0; i + 20 <= a->len[ATTR_IPV6_EXT_COMM]; i += 20) {
		name = attr_ext6_decode(p + i, val, sizeof(val));
		attr_ext6_text(p + i, text, sizeof(text));
		attr_js_ext_one(j, p + i, 20, name, val, text);
	}
	json_arr_close(j);
}

static void
attr_js_as4path(const struct attr_set *a, struct json *j)
{
	struct aspath_view v;

	aspath_view_init(&v, &a->as4_path);
	json_obj_open(j, "as4_path");
	aspath_json(&v, j);
	json_bool(j, "merged", a->as4_used);
	json_obj_close(j);
}

static void
attr_js_family(const struct attr_mp *mp, struct json *j)
{
	char a[16], s[16];

	json_str(j, "afi", attr_afi_text(mp->afi, a, sizeof(a)));
	json_str(j, "safi", attr_safi_text(mp->safi, s, sizeof(s)));
}

static void
attr_js_reach(const struct attr_set *a, struct json *j)
{
	const struct attr_mp *mp = &a->reach;
	uint16_t nhafi = mp->nhlen == 4 ? AFI_IPV4 : AFI_IPV6;

	json_obj_open(j, "mp_reach");
	attr_js_family(mp, j);
	if (mp->decoded) {
		json_arr_open(j, "next_hop");
		attr_js_addr(j, NULL, nhafi, mp->nh);
		if (mp->nhlen == 32)
			attr_js_addr(j, NULL, AFI_IPV6, mp->nh + 16);
		json_arr_close(j);
	} else if (mp->nhlen > 0)
		json_hex(j, "next_hop_hex", mp->nh, mp->nhlen);
	json_bool(j, "decoded", mp->decoded);
	json_obj_close(j);
}

static void
attr_js_unreach(const struct attr_set *a, struct json *j)
{
	json_obj_open(j, "mp_unreach");
	attr_js_family(&a->unreach, j);
	json_bool(j, "decoded", a->unreach.decoded);
	json_obj_close(j);
}

static void
attr_js_unknown(const struct attr_set *a, struct json *j)
{
	const uint8_t *hdr[256];
	struct rbuf r;
	const uint8_t *val;
	uint8_t flags, type;
	uint16_t len;
	unsigned t;

	if (a->n_unknown == 0 || attr_unknowns(a, hdr) == 0)
		return;
	json_arr_open(j, "unknown");
	for (t = 0; t < 256; t++) {
		if (hdr[t] == NULL)
			continue;
		rbuf_init(&r, hdr[t],
		    (size_t)(rbuf_ptr(&a->section) + rbuf_left(&a->section) -
		        hdr[t]));
		if (!attr_raw_next(&r, &flags, &type, &val, &len))
			continue;
		json_obj_open(j, NULL);
		json_uint(j, "type", type);
		if (attr_name(type) != NULL)
			json_str(j, "name", attr_name(type));
		json_uint(j, "flags", flags);
		json_hex(j, "value", val, len);
		json_obj_close(j);
	}
	json_arr_close(j);
}

void
attr_json(const struct attr_set *a, struct json *j, const char *key)
{
	unsigned t;

	json_obj_open(j, key);
	for (t = 0; t < ATTR_TABLE_SIZE; t++) {
		if (attr_descs[t].json == NULL)
			continue;
		if (t == ATTR_MP_REACH_NLRI         ? a->reach.present
		        : t == ATTR_MP_UNREACH_NLRI ? a->unreach.present
		                                    : attr_has(a, (uint8_t)t))
			attr_descs[t].json(a, j);
	}
	attr_js_unknown(a, j);
	json_obj_close(j);
}

void
attr_put(
    struct wbuf *w, uint8_t flags, uint8_t type, const void *val, size_t len)
{
	flags &= (uint8_t)~ATTR_F_EXTLEN;
	if (len > 255)
		flags |= ATTR_F_EXTLEN;
	wbuf_put_u8(w, flags);
	wbuf_put_u8(w, type);
	if (len > 255)
		wbuf_put_u16(w, (uint16_t)len);
	else
		wbuf_put_u8(w, (uint8_t)len);
	wbuf_put_bytes(w, val, len);
}

/* Canonical flags: the table's O/T bits, the Partial bit as received. */
static uint8_t
attr_canon_flags(const struct attr_set *a, uint8_t t)
{
	uint8_t f = attr_descs[t].flags;

	if (f == (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE))
		f |= a->flags[t] & ATTR_F_PARTIAL;
	return f;
}

/* AS_PATH after RFC 6793 §4.2.3, with 4-octet AS numbers. */
static void
attr_canon_aspath(const struct attr_set *a, struct wbuf *out)
{
	struct aspath_iter it;
	struct aspath_seg seg;
	size_t len = 0;

	aspath_iter_init(&it, &a->path);
	while (aspath_iter_next(&it, &seg))
		len += 2 + (size_t)seg.count * 4;
	wbuf_put_u8(out,
	    len > 255 ? ATTR_F_TRANSITIVE | ATTR_F_EXTLEN : ATTR_F_TRANSITIVE);
	wbuf_put_u8(out, ATTR_AS_PATH);
	if (len > 255)
		wbuf_put_u16(out, (uint16_t)len);
	else
		wbuf_put_u8(out, (uint8_t)len);
	aspath_encode(&a->path, out, 4);
}

/* MP_REACH_NLRI reduced to family and next hop (RFC 4760 §3 layout). */
static void
attr_canon_reach(const struct attr_set *a, struct wbuf *out)
{
	uint8_t v[5 + 255];
	const struct attr_mp *mp = &a->reach;

	v[0] = (uint8_t)(mp->afi >> 8);
	v[1] = (uint8_t)mp->afi;
	v[2] = mp->safi;
	v[3] = mp->nhlen;
	memcpy(v + 4, mp->nh, mp->nhlen);
	v[4 + mp->nhlen] = 0;
	attr_put(out, ATTR_F_OPTIONAL, ATTR_MP_REACH_NLRI, v, 5u + mp->nhlen);
}

/* One type with a descriptor: its canonical form, if any. */
static void
attr_canon_known(
    const struct attr_set *a, uint8_t t, uint16_t afi, struct wbuf *out)
{
	uint8_t v[8];
	uint32_t as;

	switch (t) {
	case ATTR_AS_PATH:
		if (attr_has(a, t))
			attr_canon_aspath(a, out);
		return;
	case ATTR_NEXT_HOP: /* only IPv4 NLRI-field routes use it */
		if (afi != AFI_IPV4)
			return;
		break;
	case ATTR_AGGREGATOR:
		if (!attr_aggregator(a, &as, v + 4))
			return;
		v[0] = (uint8_t)(as >> 24);
		v[1] = (uint8_t)(as >> 16);
		v[2] = (uint8_t)(as >> 8);
		v[3] = (uint8_t)as;
		attr_put(out, attr_canon_flags(a, t), t, v, 8);
		return;
	case ATTR_MP_REACH_NLRI:
		if (a->reach.decoded && a->reach.afi == afi)
			attr_canon_reach(a, out);
		return;
	case ATTR_MP_UNREACH_NLRI:
	case ATTR_AS4_PATH:
	case ATTR_AS4_AGGREGATOR:
		return; /* folded into the others or not part of a path */
	}
	if (attr_has(a, t))
		attr_put(out, attr_canon_flags(a, t), t, a->val[t], a->len[t]);
}

/*
 * RFC 4271 §5: an unrecognised optional transitive attribute is passed on
 * with the Partial bit set; a non-transitive one is not passed on.
 */
static void
attr_canon_unknown(
    const struct attr_set *a, const uint8_t *hdr, struct wbuf *out)
{
	struct rbuf r;
	const uint8_t *val;
	uint8_t flags, type;
	uint16_t len;

	rbuf_init(&r, hdr,
	    (size_t)(rbuf_ptr(&a->section) + rbuf_left(&a->section) - hdr));
	if (attr_raw_next(&r, &flags, &type, &val, &len) &&
	    (flags & ATTR_F_TRANSITIVE))
		attr_put(out, flags | ATTR_F_PARTIAL, type, val, len);
}

void
attr_canon(const struct attr_set *a, uint16_t afi, struct wbuf *out)
{
	const uint8_t *hdr[256];
	uint32_t bits;
	unsigned t, w, n = 0;

	if (a->n_unknown > 0)
		n = attr_unknowns(a, hdr);
	/*
	 * Only types that occurred can be written, so walk the set bits of
	 * a->seen in ascending order rather than all 256 codes: this runs
	 * once per UPDATE of a full table.
	 */
	for (w = 0; w < 8; w++) {
		for (bits = a->seen[w]; bits != 0; bits &= bits - 1) {
			t = w * 32 + (unsigned)__builtin_ctz(bits);
			if (attr_desc((uint8_t)t) != NULL)
				attr_canon_known(a, (uint8_t)t, afi, out);
			else if (n > 0 && hdr[t] != NULL)
				attr_canon_unknown(a, hdr[t], out);
		}
	}
}

/* Parse a blob of attr_canon() (a 4-octet AS encoding). */
static int
attr_canon_parse(const uint8_t *canon, size_t len, struct attr_set *a)
{
	static const struct bgp_sess as4 = { .as4 = true };
	struct verdict v;
	struct rbuf r;

	verdict_clear(&v);
	rbuf_init(&r, canon, len);
	if (attr_parse(&r, &as4, 0, a, &v, NULL) == -1 ||
	    v.action != VERDICT_OK)
		return -1;
	return 0;
}

int
attr_canon_json(
    const uint8_t *canon, size_t len, struct json *j, const char *key)
{
	struct attr_set a;

	if (attr_canon_parse(canon, len, &a) == -1)
		return -1;
	attr_json(&a, j, key);
	return 0;
}

int
attr_canon_summary(const uint8_t *canon, size_t len, struct attr_summary *sum)
{
	struct attr_set a;

	memset(sum, 0, sizeof(*sum));
	if (attr_canon_parse(canon, len, &a) == -1)
		return -1;
	sum->has_origin_as = aspath_origin(&a.path, &sum->origin_as);
	sum->has_upstream_as = aspath_upstream(&a.path, &sum->upstream_as);
	sum->path_len = aspath_length(&a.path);
	if (a.reach.decoded) {
		sum->nhlen = a.reach.nhlen;
		sum->nh_afi = a.reach.nhlen == 4 ? AFI_IPV4 : AFI_IPV6;
		memcpy(sum->nh, a.reach.nh, a.reach.nhlen);
	} else if (attr_has(&a, ATTR_NEXT_HOP)) {
		sum->nhlen = 4;
		sum->nh_afi = AFI_IPV4;
		memcpy(sum->nh, a.val[ATTR_NEXT_HOP], 4);
	}
	return 0;
}
