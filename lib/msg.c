/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * BGP message framing and the small messages (header, KEEPALIVE,
 * NOTIFICATION, ROUTE-REFRESH), their encoders, and the one-message JSON
 * decoder behind `bgpwatchctl decode`; see msg.h for the contracts.
 */
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "open.h"
#include "update.h"
#include "utf8.h"

/* s, or alt when s is NULL (names of unassigned values). */
static const char *
msg_or(const char *s, const char *alt)
{
	return s != NULL ? s : alt;
}

const char *
msg_type_name(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return "OPEN";
	case BGP_MSG_UPDATE:
		return "UPDATE";
	case BGP_MSG_NOTIFICATION:
		return "NOTIFICATION";
	case BGP_MSG_KEEPALIVE:
		return "KEEPALIVE";
	case BGP_MSG_ROUTE_REFRESH:
		return "ROUTE-REFRESH";
	}
	return NULL;
}

/*
 * The length rule of a known type (RFC 4271 §6.1, RFC 2918 §3) as text, or
 * NULL when len satisfies it. RFC 8654 §4: OPEN and KEEPALIVE never grow
 * past 4096, whatever was negotiated; max is the session's limit.
 */
static const char *
msg_len_rule(uint8_t type, uint16_t len, uint16_t max)
{
	switch (type) {
	case BGP_MSG_OPEN:
		if (len < BGP_OPEN_MIN_LEN || len > BGP_MAX_LEN)
			return "an OPEN is 29 to 4096 octets";
		break;
	case BGP_MSG_UPDATE:
		if (len < BGP_UPDATE_MIN_LEN || len > max)
			return "an UPDATE is at least 23 octets";
		break;
	case BGP_MSG_NOTIFICATION:
		if (len < BGP_NOTIFICATION_MIN_LEN || len > max)
			return "a NOTIFICATION is at least 21 octets";
		break;
	case BGP_MSG_KEEPALIVE:
		if (len != BGP_KEEPALIVE_LEN)
			return "a KEEPALIVE is exactly 19 octets";
		break;
	case BGP_MSG_ROUTE_REFRESH:
		if (len < BGP_RREFRESH_LEN || len > max)
			return "a ROUTE-REFRESH is at least 23 octets";
		break;
	}
	return NULL;
}

/*
 * The checks of RFC 4271 §6.1 in its order, on a header already read;
 * lenp locates the length field in the message for the verdict data.
 */
static int
msg_hdr_check(const uint8_t marker[BGP_MARKER_LEN], uint16_t len, uint8_t type,
    const uint8_t *lenp, const struct bgp_sess *s, struct verdict *v)
{
	uint16_t max = s != NULL && s->ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
	const char *rule;
	size_t i;

	for (i = 0; i < BGP_MARKER_LEN; i++) {
		if (marker[i] != 0xff) {
			verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
			    BGP_ERR_HDR_SYNC, NULL, 0,
			    "marker octet %zu is 0x%02x, not all ones", i,
			    marker[i]);
			return -1;
		}
	}
	if (len < BGP_MIN_LEN || len > max) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, lenp, 2,
		    "bad message length %u: must be 19 to %u", len, max);
		return -1;
	}
	if (msg_type_name(type) == NULL) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_TYPE, lenp + 2, 1, "unknown message type %u",
		    type);
		return -1;
	}
	if ((rule = msg_len_rule(type, len, max)) != NULL) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, lenp, 2, "bad length %u for %s: %s", len,
		    msg_type_name(type), rule);
		return -1;
	}
	return 0;
}

int
msg_hdr_parse(struct rbuf *r, const struct bgp_sess *s, struct msg_hdr *h,
    struct verdict *v, struct explain *ex)
{
	uint8_t marker[BGP_MARKER_LEN], type;
	struct rbuf c = *r, hr;
	const uint8_t *p;
	uint16_t len;

	verdict_clear(v);
	if (rbuf_get_sub(&c, BGP_HDR_LEN, &hr) == -1) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, NULL, 0,
		    "truncated: %zu octets, a header is 19", rbuf_left(r));
		return -1;
	}
	p = rbuf_ptr(&hr);
	if (rbuf_get_bytes(&hr, marker, sizeof(marker)) == -1 ||
	    rbuf_get_u16(&hr, &len) == -1 || rbuf_get_u8(&hr, &type) == -1)
		return -1; /* not reached: hr holds exactly a header */
	explain_add(ex, p, BGP_MARKER_LEN, "marker");
	explain_add(ex, p + BGP_MARKER_LEN, 2, "length %u", len);
	explain_add(ex, p + BGP_MARKER_LEN + 2, 1, "type %u (%s)", type,
	    msg_or(msg_type_name(type), "unknown"));
	if (msg_hdr_check(marker, len, type, p + BGP_MARKER_LEN, s, v) == -1)
		return -1;
	h->len = len;
	h->type = type;
	*r = c;
	return 0;
}

/*
 * NOTIFICATION codes and subcodes: RFC 4271 §4.5, RFC 4486 and RFC 9003
 * (Cease), RFC 5492 (2/7), RFC 6608 (FSM), RFC 7313 (7), RFC 8538 (6/9),
 * RFC 9234 (2/11), RFC 9384 (6/10), RFC 9687 (8). Subcode 0 is
 * "Unspecific" where a code has subcodes. The subcode name is the part
 * after " / ".
 */
static const struct {
	uint8_t code;
	uint8_t subcode;
	const char *name;
} notif_names[] = {
	{ 1, 0, "Message Header Error / Unspecific" },
	{ 1, 1, "Message Header Error / Connection Not Synchronized" },
	{ 1, 2, "Message Header Error / Bad Message Length" },
	{ 1, 3, "Message Header Error / Bad Message Type" },
	{ 2, 0, "OPEN Message Error / Unspecific" },
	{ 2, 1, "OPEN Message Error / Unsupported Version Number" },
	{ 2, 2, "OPEN Message Error / Bad Peer AS" },
	{ 2, 3, "OPEN Message Error / Bad BGP Identifier" },
	{ 2, 4, "OPEN Message Error / Unsupported Optional Parameter" },
	{ 2, 5, "OPEN Message Error / Authentication Failure (deprecated)" },
	{ 2, 6, "OPEN Message Error / Unacceptable Hold Time" },
	{ 2, 7, "OPEN Message Error / Unsupported Capability" },
	{ 2, 8, "OPEN Message Error / Deprecated (8)" },
	{ 2, 9, "OPEN Message Error / Deprecated (9)" },
	{ 2, 10, "OPEN Message Error / Deprecated (10)" },
	{ 2, 11, "OPEN Message Error / Role Mismatch" },
	{ 3, 0, "UPDATE Message Error / Unspecific" },
	{ 3, 1, "UPDATE Message Error / Malformed Attribute List" },
	{ 3, 2, "UPDATE Message Error / Unrecognized Well-known Attribute" },
	{ 3, 3, "UPDATE Message Error / Missing Well-known Attribute" },
	{ 3, 4, "UPDATE Message Error / Attribute Flags Error" },
	{ 3, 5, "UPDATE Message Error / Attribute Length Error" },
	{ 3, 6, "UPDATE Message Error / Invalid ORIGIN Attribute" },
	{ 3, 7, "UPDATE Message Error / AS Routing Loop (deprecated)" },
	{ 3, 8, "UPDATE Message Error / Invalid NEXT_HOP Attribute" },
	{ 3, 9, "UPDATE Message Error / Optional Attribute Error" },
	{ 3, 10, "UPDATE Message Error / Invalid Network Field" },
	{ 3, 11, "UPDATE Message Error / Malformed AS_PATH" },
	{ 4, 0, "Hold Timer Expired" },
	{ 5, 0, "Finite State Machine Error / Unspecified Error" },
	{ 5, 1,
	    "Finite State Machine Error / "
	    "Receive Unexpected Message in OpenSent State" },
	{ 5, 2,
	    "Finite State Machine Error / "
	    "Receive Unexpected Message in OpenConfirm State" },
	{ 5, 3,
	    "Finite State Machine Error / "
	    "Receive Unexpected Message in Established State" },
	{ 6, 0, "Cease / Unspecific" },
	{ 6, 1, "Cease / Maximum Number of Prefixes Reached" },
	{ 6, 2, "Cease / Administrative Shutdown" },
	{ 6, 3, "Cease / Peer De-configured" },
	{ 6, 4, "Cease / Administrative Reset" },
	{ 6, 5, "Cease / Connection Rejected" },
	{ 6, 6, "Cease / Other Configuration Change" },
	{ 6, 7, "Cease / Connection Collision Resolution" },
	{ 6, 8, "Cease / Out of Resources" },
	{ 6, 9, "Cease / Hard Reset" },
	{ 6, 10, "Cease / BFD Down" },
	{ 7, 0, "ROUTE-REFRESH Message Error / Reserved" },
	{ 7, 1, "ROUTE-REFRESH Message Error / Invalid Message Length" },
	{ 8, 0, "Send Hold Timer Expired" },
};

static const char *const notif_codes[] = {
	NULL,
	"Message Header Error",
	"OPEN Message Error",
	"UPDATE Message Error",
	"Hold Timer Expired",
	"Finite State Machine Error",
	"Cease",
	"ROUTE-REFRESH Message Error",
	"Send Hold Timer Expired",
};

static const char *
notif_lookup(uint8_t code, uint8_t subcode)
{
	size_t i;

	for (i = 0; i < sizeof(notif_names) / sizeof(notif_names[0]); i++)
		if (notif_names[i].code == code &&
		    notif_names[i].subcode == subcode)
			return notif_names[i].name;
	return NULL;
}

const char *
notif_code_name(uint8_t code)
{
	if (code < sizeof(notif_codes) / sizeof(notif_codes[0]) &&
	    notif_codes[code] != NULL)
		return notif_codes[code];
	return "unknown code";
}

const char *
notif_subcode_name(uint8_t code, uint8_t subcode)
{
	const char *name = notif_lookup(code, subcode), *sep;

	if (name == NULL || (sep = strstr(name, " / ")) == NULL)
		return NULL;
	return sep + 3;
}

const char *
notif_name(uint8_t code, uint8_t subcode)
{
	static _Thread_local char buf[64];
	const char *name = notif_lookup(code, subcode);

	if (name != NULL)
		return name;
	if (code < sizeof(notif_codes) / sizeof(notif_codes[0]) &&
	    notif_codes[code] != NULL)
		snprintf(buf, sizeof(buf), "%s / subcode %u", notif_codes[code],
		    subcode);
	else
		snprintf(
		    buf, sizeof(buf), "code %u / subcode %u", code, subcode);
	return buf;
}

/* RFC 9003 §2: Length octet, then that many octets of UTF-8. */
static void
notif_shutdown(struct rbuf *data, struct notif *n, struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(data);
	uint8_t len;

	if (rbuf_get_u8(data, &len) == -1)
		return;
	n->has_shutdown = true;
	if (len > rbuf_left(data)) {
		explain_add(ex, p, 1,
		    "shutdown communication length %u, but only %zu octets "
		    "follow",
		    len, rbuf_left(data));
		n->shutdown_error = "length exceeds the NOTIFICATION data";
		n->shutdown = rbuf_ptr(data);
		n->shutdown_len = rbuf_left(data);
		if (n->shutdown_len > 0)
			explain_add(ex, n->shutdown, n->shutdown_len,
			    "truncated shutdown communication");
		return;
	}
	explain_add(ex, p, 1, "shutdown communication length %u", len);
	n->shutdown = rbuf_ptr(data);
	n->shutdown_len = len;
	n->shutdown_trailing = rbuf_left(data) - len;
	n->shutdown_valid = utf8_valid(n->shutdown, len);
	if (!n->shutdown_valid)
		n->shutdown_error = "not valid UTF-8";
	if (len > 0)
		explain_add(ex, n->shutdown, len, "shutdown communication (%s)",
		    n->shutdown_valid ? "UTF-8" : "not valid UTF-8");
	if (n->shutdown_trailing > 0)
		explain_add(ex, n->shutdown + len, n->shutdown_trailing,
		    "%zu octets after the shutdown communication",
		    n->shutdown_trailing);
}

int
notif_parse(struct rbuf *body, struct notif *n, struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(body);
	struct rbuf data;

	memset(n, 0, sizeof(*n));
	if (rbuf_get_u8(body, &n->code) == -1 ||
	    rbuf_get_u8(body, &n->subcode) == -1)
		return -1;
	explain_add(
	    ex, p, 1, "error code %u (%s)", n->code, notif_code_name(n->code));
	explain_add(ex, p + 1, 1, "error subcode %u (%s)", n->subcode,
	    msg_or(notif_subcode_name(n->code, n->subcode), "unassigned"));
	n->data = rbuf_ptr(body);
	n->datalen = rbuf_left(body);
	if (rbuf_get_sub(body, n->datalen, &data) == -1)
		return -1;
	if (n->datalen == 0)
		return 0;
	explain_add(ex, n->data, n->datalen, "data (%zu octets)", n->datalen);
	/* RFC 9003 §2: only these two subcodes carry a communication. */
	if (n->code == BGP_ERR_CEASE &&
	    (n->subcode == BGP_CEASE_ADMIN_DOWN ||
	        n->subcode == BGP_CEASE_ADMIN_RESET)) {
		explain_push(ex);
		notif_shutdown(&data, n, ex);
		explain_pop(ex);
	}
	return 0;
}

const char *
rrefresh_subtype_name(uint8_t subtype)
{
	switch (subtype) {
	case RR_NORMAL:
		return "normal";
	case RR_BORR:
		return "borr";
	case RR_EORR:
		return "eorr";
	}
	return NULL;
}

int
rrefresh_parse(struct rbuf *body, struct rrefresh *rr, struct verdict *v,
    struct explain *ex)
{
	const uint8_t *p = rbuf_ptr(body);
	size_t len = rbuf_left(body);

	verdict_clear(v);
	memset(rr, 0, sizeof(*rr));
	if (rbuf_get_u16(body, &rr->afi) == -1 ||
	    rbuf_get_u8(body, &rr->subtype) == -1 ||
	    rbuf_get_u8(body, &rr->safi) == -1)
		goto bad_len;
	explain_add(ex, p, 2, "AFI %u (%s)", rr->afi,
	    msg_or(afi_name(rr->afi), "unknown"));
	explain_add(ex, p + 2, 1, "subtype %u (%s)", rr->subtype,
	    msg_or(rrefresh_subtype_name(rr->subtype), "unknown"));
	explain_add(ex, p + 3, 1, "SAFI %u (%s)", rr->safi,
	    msg_or(safi_name(rr->safi), "unknown"));
	if (rr->subtype > RR_EORR) {
		/* RFC 7313 §5: MUST ignore, whatever its length. */
		if (len > 4)
			explain_add(ex, p + 4, len - 4, "%zu octets (ignored)",
			    len - 4);
		snprintf(v->reason, sizeof(v->reason),
		    "unknown ROUTE-REFRESH subtype %u: message ignored "
		    "(RFC 7313 section 5)",
		    rr->subtype);
		return 0;
	}
	if (len != 4) {
		explain_add(
		    ex, p + 4, len - 4, "%zu unexpected octets", len - 4);
		goto bad_len;
	}
	return 0;
bad_len:
	verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_RREFRESH, 1, p, len,
	    "ROUTE-REFRESH body of %zu octets, must be 4 (RFC 7313 "
	    "section 5)",
	    len);
	return -1;
}

size_t
msg_encode_header(struct wbuf *w, uint8_t type)
{
	static const uint8_t marker[BGP_MARKER_LEN] = { 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff };
	size_t off = wbuf_len(w);

	wbuf_put_bytes(w, marker, sizeof(marker));
	wbuf_put_u16(w, 0);
	wbuf_put_u8(w, type);
	return off;
}

void
msg_encode_finish(struct wbuf *w, size_t hdr_off)
{
	size_t len;

	if (wbuf_error(w))
		return;
	len = wbuf_len(w) - hdr_off;
	if (hdr_off > wbuf_len(w) || len < BGP_HDR_LEN ||
	    len > BGP_EXT_MAX_LEN) {
		w->err = true; /* no setter in wbuf.h; the flag is public */
		return;
	}
	wbuf_set_u16(w, hdr_off + BGP_MARKER_LEN, (uint16_t)len);
}

void
msg_encode_keepalive(struct wbuf *w)
{
	msg_encode_finish(w, msg_encode_header(w, BGP_MSG_KEEPALIVE));
}

void
msg_encode_notification(struct wbuf *w, uint8_t code, uint8_t subcode,
    const void *data, size_t datalen, const char *shutdown)
{
	size_t off = msg_encode_header(w, BGP_MSG_NOTIFICATION), n;

	wbuf_put_u8(w, code);
	wbuf_put_u8(w, subcode);
	if (shutdown != NULL && code == BGP_ERR_CEASE &&
	    (subcode == BGP_CEASE_ADMIN_DOWN ||
	        subcode == BGP_CEASE_ADMIN_RESET)) {
		n = utf8_prefix(shutdown, strlen(shutdown), NOTIF_SHUTDOWN_MAX);
		wbuf_put_u8(w, (uint8_t)n);
		wbuf_put_bytes(w, shutdown, n);
	} else if (data != NULL) {
		if (datalen > BGP_MAX_LEN - BGP_NOTIFICATION_MIN_LEN)
			datalen = BGP_MAX_LEN - BGP_NOTIFICATION_MIN_LEN;
		wbuf_put_bytes(w, data, datalen);
	}
	msg_encode_finish(w, off);
}

void
msg_encode_rrefresh(struct wbuf *w, uint16_t afi, uint8_t safi, uint8_t subtype)
{
	size_t off = msg_encode_header(w, BGP_MSG_ROUTE_REFRESH);

	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, subtype);
	wbuf_put_u8(w, safi);
	msg_encode_finish(w, off);
}

void
msg_verdict_json(const struct verdict *v, struct json *j)
{
	json_obj_open(j, "verdict");
	verdict_json_fields(v, j);
	json_obj_close(j);
}

/* An AFI or SAFI by name, or by number when it has none. */
static void
msg_json_family(struct json *j, uint16_t afi, uint8_t safi)
{
	if (afi_name(afi) != NULL)
		json_str(j, "afi", afi_name(afi));
	else
		json_uint(j, "afi", afi);
	if (safi_name(safi) != NULL)
		json_str(j, "safi", safi_name(safi));
	else
		json_uint(j, "safi", safi);
}

static void
msg_json_notif(struct rbuf *body, struct json *j, struct explain *ex)
{
	struct notif n;

	if (notif_parse(body, &n, ex) == -1)
		return; /* not reached: the header check keeps 2 octets */
	json_uint(j, "code", n.code);
	json_uint(j, "subcode", n.subcode);
	json_str(j, "name", notif_name(n.code, n.subcode));
	if (n.datalen > 0)
		json_hex(j, "data", n.data, n.datalen);
	if (n.has_shutdown && n.shutdown_valid) {
		json_strn(
		    j, "shutdown_communication", n.shutdown, n.shutdown_len);
		if (n.shutdown_trailing > 0)
			json_uint(j, "shutdown_communication_trailing",
			    n.shutdown_trailing);
	} else if (n.has_shutdown)
		json_str(j, "shutdown_communication_error", n.shutdown_error);
}

static void
msg_json_rrefresh(const uint8_t *msg, const struct msg_hdr *h,
    struct rbuf *body, struct json *j, struct verdict *v, struct explain *ex)
{
	struct rrefresh rr;

	if (rrefresh_parse(body, &rr, v, ex) == -1) {
		/* RFC 7313 §5: the data is the complete message. */
		v->data = msg;
		v->datalen = h->len;
		return;
	}
	msg_json_family(j, rr.afi, rr.safi);
	if (rrefresh_subtype_name(rr.subtype) != NULL)
		json_str(j, "subtype", rrefresh_subtype_name(rr.subtype));
	else
		json_uint(j, "subtype", rr.subtype);
}

static void
msg_json_open(
    struct rbuf *body, struct json *j, struct verdict *v, struct explain *ex)
{
	struct open_msg o;

	if (open_parse(body, &o, v, ex) == 0)
		open_json(&o, j);
}

/* The body of a message whose header passed; writes fields and verdict. */
static void
msg_json_body(const uint8_t *msg, const struct msg_hdr *h, struct rbuf *body,
    const struct bgp_sess *s, struct json *j, struct verdict *v,
    struct explain *ex)
{
	struct update u;

	switch (h->type) {
	case BGP_MSG_UPDATE:
		/*
		 * update_json() writes the verdict itself, and what was
		 * decoded also when update_parse() failed.
		 */
		if (update_parse(rbuf_ptr(body), rbuf_left(body), s, &u, ex) ==
		        -1 &&
		    u.verdict.action != VERDICT_SESSION_RESET)
			verdict_set(&u.verdict, VERDICT_SESSION_RESET,
			    BGP_ERR_UPDATE, 0, NULL, 0, "UPDATE not decoded");
		update_json(&u, j);
		*v = u.verdict;
		return;
	case BGP_MSG_OPEN:
		msg_json_open(body, j, v, ex);
		break;
	case BGP_MSG_NOTIFICATION:
		/* Never answered (RFC 4271 §6.4): the verdict stays ok. */
		msg_json_notif(body, j, ex);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		msg_json_rrefresh(msg, h, body, j, v, ex);
		break;
	case BGP_MSG_KEEPALIVE:
		break;
	}
	msg_verdict_json(v, j);
}

/* "type", "type_code" and "length" from whatever header octets exist. */
static void
msg_json_head(const uint8_t *msg, size_t len, struct json *j)
{
	struct rbuf r;
	uint16_t mlen;
	uint8_t type;

	rbuf_init(&r, msg, len);
	if (rbuf_skip(&r, BGP_MARKER_LEN) == -1 ||
	    rbuf_get_u16(&r, &mlen) == -1) {
		json_null(j, "type");
		json_null(j, "type_code");
		json_null(j, "length");
		return;
	}
	if (rbuf_get_u8(&r, &type) == -1) {
		json_null(j, "type");
		json_null(j, "type_code");
	} else {
		json_str(j, "type", msg_type_name(type));
		json_uint(j, "type_code", type);
	}
	json_uint(j, "length", mlen);
}

/*
 * Narrate msg[0..len) past the last range at depth recorded since item n0,
 * which a decoder that stopped early left out; a decoder that stopped
 * inside nested ranges may also have left the depth behind.
 */
static void
msg_explain_rest(
    struct explain *ex, size_t n0, int depth, const uint8_t *msg, size_t len)
{
	size_t i, end = 0, base;

	if (ex == NULL)
		return;
	ex->depth = depth;
	base = (size_t)(msg - ex->base);
	for (i = n0; i < ex->n; i++)
		if (ex->items[i].depth == depth &&
		    ex->items[i].off + ex->items[i].len > end)
			end = ex->items[i].off + ex->items[i].len;
	end = end > base ? end - base : 0;
	if (end < len)
		explain_add(ex, msg + end, len - end,
		    "not decoded (%zu octets)", len - end);
}

/* Octets after the message the length field delimits: reported. */
static void
msg_json_trailing(struct rbuf *r, struct json *j, struct explain *ex)
{
	explain_add(ex, rbuf_ptr(r), rbuf_left(r),
	    "after the end of the message: %zu octets", rbuf_left(r));
	json_str(j, "error", "octets after the end of the message");
	json_hex(j, "trailing", rbuf_ptr(r), rbuf_left(r));
}

enum verdict_action
msg_decode_json(const uint8_t *msg, size_t len, const struct bgp_sess *s,
    struct json *j, struct verdict *vout, struct explain *ex)
{
	static const struct bgp_sess none;
	size_t n0 = ex != NULL ? ex->n : 0;
	int depth = ex != NULL ? ex->depth : 0;
	struct rbuf r, body;
	struct msg_hdr h;
	struct verdict v;

	if (s == NULL)
		s = &none;
	rbuf_init(&r, msg, len);
	json_obj_open(j, NULL);
	msg_json_head(msg, len, j);
	if (msg_hdr_parse(&r, s, &h, &v, ex) == -1) {
		json_str(j, "error", v.reason);
		msg_verdict_json(&v, j);
	} else if (rbuf_get_sub(&r, h.len - BGP_HDR_LEN, &body) == -1) {
		verdict_set(&v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, msg + BGP_MARKER_LEN, 2,
		    "truncated: the length field says %u octets, %zu present",
		    h.len, len);
		json_str(j, "error", v.reason);
		msg_verdict_json(&v, j);
	} else {
		msg_json_body(msg, &h, &body, s, j, &v, ex);
		msg_explain_rest(ex, n0, depth, msg, h.len);
		if (rbuf_left(&r) > 0)
			msg_json_trailing(&r, j, ex);
	}
	json_obj_close(j);
	msg_explain_rest(ex, n0, depth, msg, len);
	if (vout != NULL)
		*vout = v;
	return v.action;
}
