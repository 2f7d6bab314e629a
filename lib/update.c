/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The UPDATE message: framing into fenced sub-buffers (after OpenBGPD's
 * rde_update_dispatch), RFC 7606 decisions that need the whole message,
 * prefix iteration, JSON and the canonical attribute blob; see update.h.
 */
#include <stdio.h>
#include <string.h>

#include "update.h"

/* Reset *u to an empty update of body[0..len). */
static void
update_init(
    struct update *u, const uint8_t *body, size_t len, const struct bgp_sess *s)
{
	u->body = body;
	u->len = len;
	u->sess = *s;
	rbuf_init(&u->withdrawn, NULL, 0);
	rbuf_init(&u->nlri, NULL, 0);
	memset(&u->reach, 0, sizeof(u->reach));
	memset(&u->unreach, 0, sizeof(u->unreach));
	/* What attr_json() reads if the framing fails before attr_parse(). */
	memset(u->attrs.seen, 0, sizeof(u->attrs.seen));
	memset(u->attrs.have, 0, sizeof(u->attrs.have));
	u->attrs.reach.present = u->attrs.unreach.present = false;
	u->attrs.n_unknown = 0;
	rbuf_init(&u->attrs.section, NULL, 0);
	u->eor = false;
	u->eor_afi = 0;
	u->eor_safi = 0;
	u->treat_as_withdraw = false;
	u->disable_afi = 0;
	u->disable_safi = 0;
	verdict_clear(&u->verdict);
}

/*
 * RFC 4271 §6.3: Withdrawn Routes Length and Total Path Attribute Length
 * must fit the message, else nothing can be located: Malformed
 * Attribute List, a session reset under RFC 7606 too (§3(j)).
 */
static int
update_frame(
    struct update *u, struct rbuf *r, struct rbuf *attrs, struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(r);
	uint16_t wlen, alen;

	if (rbuf_get_u16(r, &wlen) == -1 ||
	    rbuf_get_sub(r, wlen, &u->withdrawn) == -1) {
		verdict_set(&u->verdict, VERDICT_SESSION_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTRLIST, NULL, 0,
		    "Withdrawn Routes Length does not fit the %zu octets of "
		    "the message (RFC 4271 §6.3)",
		    u->len);
		return -1;
	}
	explain_add(ex, p, 2, "withdrawn routes length %u", wlen);
	if (rbuf_get_u16(r, &alen) == -1 ||
	    rbuf_get_sub(r, alen, attrs) == -1) {
		verdict_set(&u->verdict, VERDICT_SESSION_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_ATTRLIST, NULL, 0,
		    "Total Path Attribute Length does not fit the message "
		    "(RFC 4271 §6.3)");
		return -1;
	}
	u->nlri = *r;
	return 0;
}

/*
 * Withdrawn Routes or NLRI (IPv4 unicast, RFC 4271 §4.3): a field that
 * does not parse cannot be treated as withdrawn, so it is a session
 * reset, Invalid Network Field (RFC 7606 §5.3, §3(j)).
 */
static int
update_field(struct update *u, const struct rbuf *field, const char *what,
    struct explain *ex)
{
	char why[96];
	bool addpath = sess_addpath(&u->sess, AFI_IPV4, SAFI_UNICAST);

	if (rbuf_left(field) == 0)
		return 0;
	explain_add(ex, rbuf_ptr(field), rbuf_left(field), "%s, %zu octets",
	    what, rbuf_left(field));
	explain_push(ex);
	if (attr_nlri_verify(field, AFI_IPV4, addpath, why, sizeof(why), ex) ==
	    -1) {
		explain_pop(ex);
		verdict_set(&u->verdict, VERDICT_SESSION_RESET, BGP_ERR_UPDATE,
		    BGP_ERR_UPD_NETWORK, NULL, 0, "%s: %s (RFC 7606 §5.3)",
		    what, why);
		return -1;
	}
	explain_pop(ex);
	return 0;
}

/* The path attributes, narrated as one field of the body. */
static int
update_attrs(struct update *u, struct rbuf *attrs, struct explain *ex)
{
	int rc;

	if (ex != NULL && rbuf_left(attrs) > 0) {
		explain_add(ex, rbuf_ptr(attrs), rbuf_left(attrs),
		    "path attributes, %zu octets", rbuf_left(attrs));
		explain_push(ex);
	}
	rc = attr_parse(
	    attrs, &u->sess, rbuf_left(&u->nlri), &u->attrs, &u->verdict, ex);
	if (ex != NULL && rbuf_left(attrs) > 0)
		explain_pop(ex);
	return rc;
}

/* Does the UPDATE announce anything (RFC 7606 §5.2)? */
static bool
update_reachable(const struct update *u)
{
	const struct attr_mp *mp = &u->attrs.reach;

	if (rbuf_left(&u->nlri) > 0)
		return true;
	/* An MP_REACH_NLRI whose NLRI could not be located counts too. */
	return mp->present && (mp->nh == NULL || rbuf_left(&mp->nlri) > 0);
}

/*
 * RFC 4271 §5 and RFC 7606 §3(d): ORIGIN and AS_PATH are needed when
 * the UPDATE announces routes, NEXT_HOP when it has an NLRI field (RFC
 * 4760 §3); a missing one is treat-as-withdraw, 3/3 with the type code.
 */
static void
update_mandatory(struct update *u)
{
	static const uint8_t need[] = { ATTR_ORIGIN, ATTR_AS_PATH,
		ATTR_NEXT_HOP };
	const struct attr_set *a = &u->attrs;
	unsigned i, n;

	if (!update_reachable(u))
		return;
	n = rbuf_left(&u->nlri) > 0 ? 3 : 2;
	for (i = 0; i < n; i++) {
		if (a->seen[0] & (1u << need[i]))
			continue;
		verdict_set(&u->verdict, VERDICT_TREAT_AS_WITHDRAW,
		    BGP_ERR_UPDATE, BGP_ERR_UPD_MISSING,
		    attr_type_octet(need[i]), 1,
		    "missing well-known attribute %s (RFC 7606 §3(d))",
		    attr_name(need[i]));
		u->attrs.withdraw = true;
	}
}

/*
 * RFC 7606 §5.2: attributes other than MP_UNREACH_NLRI but no reachable
 * NLRI mean the NLRI may have been misparsed; any error calling for more
 * than attribute-discard becomes a session reset.
 */
static void
update_no_nlri(struct update *u)
{
	struct verdict *v = &u->verdict;
	char why[sizeof(v->reason)];

	if (v->action < VERDICT_TREAT_AS_WITHDRAW ||
	    v->action == VERDICT_SESSION_RESET || !u->attrs.non_unreach ||
	    update_reachable(u))
		return;
	memcpy(why, v->reason, sizeof(why));
	verdict_set(v, VERDICT_SESSION_RESET, v->code, v->subcode, v->data,
	    v->datalen, "no reachable NLRI (RFC 7606 §5.2): %s", why);
}

/* RFC 4724 §2: the two End-of-RIB encodings. */
static void
update_eor(struct update *u, size_t attrlen)
{
	const struct attr_set *a = &u->attrs;

	if (rbuf_left(&u->withdrawn) > 0 || rbuf_left(&u->nlri) > 0 ||
	    u->verdict.action != VERDICT_OK)
		return;
	if (attrlen == 0) {
		u->eor = true;
		u->eor_afi = AFI_IPV4;
		u->eor_safi = SAFI_UNICAST;
	} else if (!a->non_unreach && a->unreach.present &&
	    rbuf_left(&a->unreach.nlri) == 0) {
		u->eor = true;
		u->eor_afi = a->unreach.afi;
		u->eor_safi = a->unreach.safi;
	}
}

static void
update_copy_mp(struct update_mp *dst, const struct attr_mp *src)
{
	dst->present = src->present;
	dst->decoded = src->decoded;
	dst->afi = src->afi;
	dst->safi = src->safi;
	dst->nh = src->nh;
	dst->nhlen = src->nhlen;
	dst->nlri = src->nlri;
}

/* The verdict is final: fill in what consumers look at. */
static int
update_finish(struct update *u)
{
	if (u->verdict.action == VERDICT_SESSION_RESET) {
		rbuf_init(&u->withdrawn, NULL, 0);
		rbuf_init(&u->nlri, NULL, 0);
		memset(&u->reach, 0, sizeof(u->reach));
		memset(&u->unreach, 0, sizeof(u->unreach));
		u->treat_as_withdraw = false;
		return -1;
	}
	update_copy_mp(&u->reach, &u->attrs.reach);
	update_copy_mp(&u->unreach, &u->attrs.unreach);
	u->treat_as_withdraw =
	    u->verdict.action == VERDICT_TREAT_AS_WITHDRAW || u->attrs.withdraw;
	if (u->verdict.action == VERDICT_AFI_SAFI_DISABLE) {
		u->disable_afi = u->attrs.disable_afi;
		u->disable_safi = u->attrs.disable_safi;
	}
	return 0;
}

int
update_parse(const uint8_t *body, size_t len, const struct bgp_sess *s,
    struct update *u, struct explain *ex)
{
	struct rbuf r, attrs;

	update_init(u, body, len, s);
	rbuf_init(&r, body, len);
	if (update_frame(u, &r, &attrs, ex) == -1)
		return update_finish(u);
	if (update_field(u, &u->withdrawn, "withdrawn routes", ex) == -1)
		return update_finish(u);
	explain_add(ex, rbuf_ptr(&attrs) - 2, 2,
	    "total path attribute length %zu", rbuf_left(&attrs));
	if (update_attrs(u, &attrs, ex) == -1)
		return update_finish(u);
	if (update_field(u, &u->nlri, "NLRI", ex) == -1)
		return update_finish(u);
	update_mandatory(u);
	update_no_nlri(u);
	update_eor(u, rbuf_left(&attrs));
	return update_finish(u);
}

void
update_iter_init(
    struct update_iter *it, const struct update *u, enum update_part part)
{
	it->u = u;
	it->part = part;
	it->stage = 0;
	it->r = part == UPDATE_WITHDRAWN ? u->withdrawn : u->nlri;
	it->afi = AFI_IPV4;
	it->safi = SAFI_UNICAST;
	it->addpath = sess_addpath(&u->sess, AFI_IPV4, SAFI_UNICAST);
}

/* Move to the MP attribute of the walk, or to the end. */
static void
update_iter_stage(struct update_iter *it)
{
	const struct update_mp *mp;

	if (it->stage++ != 0)
		return;
	mp = it->part == UPDATE_WITHDRAWN ? &it->u->unreach : &it->u->reach;
	if (!mp->present || !mp->decoded) {
		it->stage = 2;
		return;
	}
	it->r = mp->nlri;
	it->afi = mp->afi;
	it->safi = mp->safi;
	it->addpath = sess_addpath(&it->u->sess, mp->afi, mp->safi);
}

int
update_iter_next(
    struct update_iter *it, struct prefix *p, uint32_t *path_id, uint8_t *safi)
{
	uint32_t id = 0;

	while (it->stage < 2) {
		if (rbuf_left(&it->r) == 0) {
			update_iter_stage(it);
			continue;
		}
		/* Verified by update_parse(): a failure ends the walk. */
		if ((it->addpath && rbuf_get_u32(&it->r, &id) == -1) ||
		    prefix_decode(&it->r, it->afi, p) == -1) {
			it->stage = 2;
			return 0;
		}
		*path_id = id;
		*safi = it->safi;
		return 1;
	}
	return 0;
}

static void
update_json_addr(struct json *j, const char *key, const uint8_t *a, size_t len)
{
	char buf[ADDR_STRLEN];

	json_str(j, key,
	    addr_fmt(len == 4 ? AFI_IPV4 : AFI_IPV6, a, buf, sizeof(buf)));
}

/* The next hop of a prefix from stage it->stage of the announced walk. */
static void
update_json_nexthop(
    const struct update *u, const struct update_iter *it, struct json *j)
{
	if (it->stage == 0) {
		if (attr_has(&u->attrs, ATTR_NEXT_HOP))
			update_json_addr(
			    j, "next_hop", u->attrs.val[ATTR_NEXT_HOP], 4);
		return;
	}
	update_json_addr(
	    j, "next_hop", u->reach.nh, u->reach.nhlen == 4 ? 4 : 16);
	if (u->reach.nhlen == 32)
		update_json_addr(
		    j, "next_hop_link_local", u->reach.nh + 16, 16);
}

static void
update_json_prefixes(const struct update *u, struct json *j,
    enum update_part part, const char *key)
{
	struct update_iter it;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	uint32_t id;
	uint8_t safi;

	json_arr_open(j, key);
	update_iter_init(&it, u, part);
	while (update_iter_next(&it, &p, &id, &safi)) {
		json_obj_open(j, NULL);
		json_str(j, "prefix", prefix_fmt(&p, buf, sizeof(buf)));
		if (it.addpath)
			json_uint(j, "path_id", id);
		if (part == UPDATE_ANNOUNCED)
			update_json_nexthop(u, &it, j);
		if (safi == SAFI_MULTICAST)
			json_str(j, "safi", "multicast");
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void
update_json_family(struct json *j, const char *key, uint16_t afi, uint8_t safi)
{
	char buf[16];

	json_obj_open(j, key);
	if (afi_name(afi) != NULL)
		json_str(j, "afi", afi_name(afi));
	else {
		snprintf(buf, sizeof(buf), "%u", afi);
		json_str(j, "afi", buf);
	}
	if (safi_name(safi) != NULL)
		json_str(j, "safi", safi_name(safi));
	else {
		snprintf(buf, sizeof(buf), "%u", safi);
		json_str(j, "safi", buf);
	}
	json_obj_close(j);
}

static void
update_json_verdict(const struct update *u, struct json *j)
{
	json_obj_open(j, "verdict");
	verdict_json_fields(&u->verdict, j);
	if (u->verdict.action == VERDICT_AFI_SAFI_DISABLE) {
		update_json_family(
		    j, "disabled", u->disable_afi, u->disable_safi);
		json_bool(j, "treat_as_withdraw", u->treat_as_withdraw);
	}
	json_obj_close(j);
}

void
update_json(const struct update *u, struct json *j)
{
	if (u->verdict.action == VERDICT_SESSION_RESET) {
		json_arr_open(j, "withdrawn");
		json_arr_close(j);
		json_arr_open(j, "announced");
		json_arr_close(j);
		json_obj_open(j, "attributes");
		json_obj_close(j);
		json_null(j, "end_of_rib");
	} else {
		update_json_prefixes(u, j, UPDATE_WITHDRAWN, "withdrawn");
		update_json_prefixes(u, j, UPDATE_ANNOUNCED, "announced");
		attr_json(&u->attrs, j, "attributes");
		if (u->eor)
			update_json_family(
			    j, "end_of_rib", u->eor_afi, u->eor_safi);
		else
			json_null(j, "end_of_rib");
	}
	update_json_verdict(u, j);
}

int
update_attrs_canon(const struct update *u, uint16_t afi, struct wbuf *out)
{
	if (u->verdict.action == VERDICT_SESSION_RESET)
		return -1;
	attr_canon(&u->attrs, afi, out);
	return wbuf_error(out) ? -1 : 0;
}

void
update_encode_eor(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	static const uint8_t marker[BGP_MARKER_LEN] = { 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff };
	bool v4 = afi == AFI_IPV4 && safi == SAFI_UNICAST;

	/* RFC 4271 §4.1 header, then the RFC 4724 §2 body. */
	wbuf_put_bytes(w, marker, sizeof(marker));
	wbuf_put_u16(w, v4 ? BGP_UPDATE_MIN_LEN : BGP_UPDATE_MIN_LEN + 6);
	wbuf_put_u8(w, BGP_MSG_UPDATE);
	wbuf_put_u16(w, 0); /* no withdrawn routes */
	if (v4) {
		wbuf_put_u16(w, 0);
		return;
	}
	wbuf_put_u16(w, 6);
	wbuf_put_u8(w, ATTR_F_OPTIONAL);
	wbuf_put_u8(w, ATTR_MP_UNREACH_NLRI);
	wbuf_put_u8(w, 3);
	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, safi);
}
