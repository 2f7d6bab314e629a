/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * BGP message framing and the small messages: the RFC 4271 §4.1 header
 * check, KEEPALIVE, NOTIFICATION (with every code/subcode name and the
 * RFC 9003 shutdown communication), ROUTE-REFRESH (RFC 2918, RFC 7313),
 * their encoders, and msg_decode_json(), which decodes any whole message
 * into the JSON shape of `bgpwatchctl decode`.
 *
 * Public: msg_hdr_parse(), msg_type_name(), notif_parse(), notif_name(),
 *         notif_code_name(), notif_subcode_name(), rrefresh_parse(),
 *         rrefresh_subtype_name(), msg_encode_header(), msg_encode_finish(),
 *         msg_encode_keepalive(), msg_encode_notification(),
 *         msg_encode_rrefresh(), msg_verdict_json(), msg_decode_json().
 */
#ifndef BGPWATCH_MSG_H
#define BGPWATCH_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "explain.h"
#include "json.h"
#include "rbuf.h"
#include "wbuf.h"

/* RFC 9003 §2: the shutdown communication is at most 255 octets. */
#define NOTIF_SHUTDOWN_MAX 255

struct msg_hdr {
	uint16_t len; /* whole message, header included */
	uint8_t type;
};

/*
 * Check the 19-octet header at r (RFC 4271 §6.1): marker all ones, length
 * within 19..4096 (65535 when s->ext_msg, RFC 8654 §4), type known, and the
 * length allowed for that type. Returns 0 with *h filled and r past the
 * header, or -1 with *v the NOTIFICATION to send: 1/1 bad marker, 1/2 bad
 * length (data: the length field), 1/3 bad type (data: the type octet).
 * A short buffer (fewer than 19 octets) is -1 with reason "truncated" and
 * code 1/2. *v is reset first; r is left alone on failure; s may be NULL
 * (nothing negotiated). Only the header is read: r need not hold the body.
 * Per-type lengths: OPEN 29..4096 and KEEPALIVE 19 even with extended
 * messages (RFC 8654 §4), UPDATE >= 23, NOTIFICATION >= 21, ROUTE-REFRESH
 * >= 23 (its exact length is rrefresh_parse()'s 7/1, RFC 7313 §5).
 */
int msg_hdr_parse(struct rbuf *r, const struct bgp_sess *s, struct msg_hdr *h,
    struct verdict *v, struct explain *ex) WUR;
/* "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH" or NULL. */
const char *msg_type_name(uint8_t type);

struct notif {
	uint8_t code;
	uint8_t subcode;
	const uint8_t *data; /* points into the message */
	size_t datalen;
	/* RFC 9003 shutdown communication (Cease 2 or 4), when present. */
	bool has_shutdown;
	bool shutdown_valid; /* length fits and text is valid UTF-8 */
	const uint8_t *shutdown;
	size_t shutdown_len;
	size_t shutdown_trailing; /* octets after the communication */
	const char *shutdown_error; /* why not valid; NULL when valid */
};

/*
 * Decode a NOTIFICATION body (after the header): code, subcode and the
 * rest as data. For Cease 2 and 4 with data, the first data octet is the
 * RFC 9003 §2 length of the shutdown communication that follows: the
 * communication is valid when it fits in the data and is UTF-8 in shortest
 * form (§2, §6); when the length overruns the data, the octets that are
 * there are recorded (shutdown_valid false). RFC 9003 defines nothing after
 * the communication; octets there are counted in shutdown_trailing and do
 * not invalidate it. Returns 0, or -1 when the body is shorter than the 2
 * octets of code and subcode. A NOTIFICATION is never answered with
 * another one (RFC 4271 §6.4), so there is no verdict.
 */
int notif_parse(struct rbuf *body, struct notif *n, struct explain *ex) WUR;
/*
 * "Cease / Administrative Shutdown", "Hold Timer Expired", ...; never NULL.
 * Unknown values read "Cease / subcode 42" or "code 9 / subcode 1": those
 * are formatted into a per-thread buffer overwritten by the next such call.
 */
const char *notif_name(uint8_t code, uint8_t subcode);
/* "Cease", "UPDATE Message Error", ...; never NULL ("unknown code"). */
const char *notif_code_name(uint8_t code);
/*
 * "Administrative Shutdown", "Unspecific" (subcode 0), ...; NULL when the
 * subcode is not assigned for code, or code has no subcodes (4, 8).
 */
const char *notif_subcode_name(uint8_t code, uint8_t subcode);

struct rrefresh {
	uint16_t afi;
	uint8_t subtype; /* RR_NORMAL, RR_BORR, RR_EORR (RFC 7313 §3) */
	uint8_t safi;
};

/*
 * Decode a ROUTE-REFRESH body (RFC 2918 §3, RFC 7313 §3). *v is reset
 * first. Returns 0 with *rr filled, or -1 with *v 7/1 "Invalid Message
 * Length" when the body is not exactly 4 octets (RFC 7313 §5; bgpwatch
 * never negotiates ORF, RFC 5291, so a longer subtype-0 message is equally
 * wrong). RFC 7313 §5 wants the complete message as the NOTIFICATION data,
 * but this decoder only sees the body: v->data is the body, and a caller
 * holding the whole message (msg_decode_json does) widens it. A subtype
 * other than 0, 1 or 2 MUST be ignored (RFC 7313 §5): 0 with the verdict
 * still ok but a reason saying so; the caller drops such a message (check
 * rr->subtype > RR_EORR).
 */
int rrefresh_parse(struct rbuf *body, struct rrefresh *rr, struct verdict *v,
    struct explain *ex) WUR;
/* "normal", "borr", "eorr" (RFC 7313 §3) or NULL. */
const char *rrefresh_subtype_name(uint8_t subtype);

/*
 * Encoders append one whole message to w; check wbuf_error() once.
 * msg_encode_header() writes a header with a zero length and returns its
 * offset; msg_encode_finish() fills in the length (a message past 65535
 * octets cannot be framed and sets w's error; keeping within 4096, or the
 * negotiated RFC 8654 limit, is the caller's business).
 */
size_t msg_encode_header(struct wbuf *w, uint8_t type);
void msg_encode_finish(struct wbuf *w, size_t hdr_off);
void msg_encode_keepalive(struct wbuf *w);
/*
 * NOTIFICATION with code/subcode and data; for Cease 2/4 with a non-NULL
 * shutdown text, the RFC 9003 length-prefixed communication (truncated at
 * a UTF-8 boundary to 255 octets) is the data.
 * The shutdown text replaces data; it is cut before the first octet that is
 * not valid UTF-8, since RFC 9003 §2 allows nothing else. Data is cut so
 * that the message fits in 4096 octets (RFC 4271 §4.1), which any peer
 * accepts whatever was negotiated.
 */
void msg_encode_notification(struct wbuf *w, uint8_t code, uint8_t subcode,
    const void *data, size_t datalen, const char *shutdown);
void msg_encode_rrefresh(
    struct wbuf *w, uint16_t afi, uint8_t safi, uint8_t subtype);

/*
 * Write v as the member "verdict" of the open object in j:
 * {"action":"ok","code":0,"subcode":0,"reason":""} plus "data" (hex) when
 * the verdict carries data.
 */
void msg_verdict_json(const struct verdict *v, struct json *j);

/*
 * Decode one whole message msg[0..len) (header included) as negotiated in s
 * and write one JSON object for it to j: "type", "length", the decoded
 * fields, and "verdict" (see README, "bgpwatchctl decode"). On a header
 * error the object has "type":null/"error" and the verdict. Returns the
 * verdict action; *v (if non-NULL) receives the full verdict. With ex
 * non-NULL every byte range is narrated.
 * Every object has "type" (name, or null for an unknown type octet or a
 * buffer too short for one), "type_code" (null likewise) and "length" (the
 * header's length field, null when too short). A buffer shorter than the
 * length field says is a 1/2 error; octets after the message are reported
 * as "error" and "trailing" (hex) and narrated, leaving the message's own
 * verdict alone. s may be NULL (nothing negotiated). ex, if non-NULL, must
 * have been started on msg; bytes no decoder narrated (after an error) are
 * covered by one "not decoded" range, so the ranges always span the buffer.
 */
enum verdict_action
msg_decode_json(const uint8_t *msg, size_t len, const struct bgp_sess *s,
    struct json *j, struct verdict *v, struct explain *ex);

#endif
