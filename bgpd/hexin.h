/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Input framing for `bgpwatchctl decode`: hex text (whitespace, colons,
 * "0x" prefixes and "#" comments allowed) turned into bytes, and a byte
 * stream (decoded hex held in memory, or raw binary read one message at a
 * time) cut into BGP messages by the RFC 4271 §4.1 header length field.
 *
 * Public: hexin_parse(), hexin_frame(), hexin_open(), hexin_next(),
 *         hexin_close().
 */
#ifndef BGPWATCH_HEXIN_H
#define BGPWATCH_HEXIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bgp.h"
#include "wbuf.h"

/* Hex text larger than this is refused rather than read into memory. */
#define HEXIN_MAX_TEXT (256u * 1024 * 1024)

/* Where and why hex text could not be read. */
struct hexin_err {
	size_t line; /* 1-based */
	size_t column; /* 1-based, counted in bytes */
	size_t offset; /* decoded octets before the offending token */
	char msg[96];
};

/*
 * Append the octets written as hex in text[0..len) to out. Octets are pairs
 * of hex digits; a token (a run of digits, optionally led by "0x" or "0X")
 * must hold an even number of them, so no octet straddles a separator.
 * Tokens are separated by whitespace or colons; "#" starts a comment that
 * runs to the end of the line. Returns 0, or -1 with *err saying where the
 * first bad token or character is (out then holds the octets before it).
 * An out that reports wbuf_error() is -1 with msg "out of memory".
 */
int hexin_parse(
    const char *text, size_t len, struct wbuf *out, struct hexin_err *err);

enum hexin_frame_res {
	HEXIN_FRAME_OK, /* a whole message of *msglen octets */
	HEXIN_FRAME_SHORT, /* *msglen octets are needed, fewer are there */
	HEXIN_FRAME_BAD, /* marker or length wrong: cannot resynchronise */
};

/*
 * Look at the stream bytes p[0..avail) and say how long the message that
 * starts there is. The marker must be all ones and the length field within
 * BGP_HDR_LEN..maxlen (RFC 4271 §4.1, RFC 8654 §4); otherwise the stream
 * cannot be cut any further and the result is HEXIN_FRAME_BAD with *msglen
 * the octets that make up the bad header. With fewer than BGP_HDR_LEN
 * octets whose marker bytes are all ones, or fewer than the length field
 * asks for, it is HEXIN_FRAME_SHORT with *msglen the octets needed.
 */
enum hexin_frame_res
hexin_frame(const uint8_t *p, size_t avail, size_t maxlen, size_t *msglen);

/* A source of BGP messages: decoded hex text, or a binary stream. */
struct hexin {
	FILE *fp;
	bool binary;
	bool done;
	size_t maxlen; /* BGP_MAX_LEN or BGP_EXT_MAX_LEN */
	struct wbuf data; /* hex: the decoded octets of the whole input */
	size_t pos; /* hex: where the next message starts in data */
	uint8_t *buf; /* binary: the current message, maxlen octets */
	size_t buflen; /* binary: octets of it read */
	size_t off; /* stream offset of the item last returned */
	size_t need; /* HEXIN_TRUNC: octets the message needs */
	struct hexin_err err; /* HEXIN_ERR: what went wrong */
};

enum hexin_res {
	HEXIN_EOF, /* no more input */
	HEXIN_MSG, /* a whole message */
	HEXIN_BADHDR, /* a header that cannot be framed; the last item */
	HEXIN_TRUNC, /* the stream ends inside a message; the last item */
	HEXIN_ERR, /* unreadable input (hex syntax, I/O); the last item */
};

/*
 * Start reading messages from fp, as hex text or (binary) raw octets, with
 * messages of up to maxlen octets. Hex text is read and checked as a whole
 * here, so a syntax error is reported by the first hexin_next(), before any
 * message; binary input is read one message at a time by hexin_next().
 * The caller keeps fp open and closes it after hexin_close().
 */
void hexin_open(struct hexin *h, FILE *fp, bool binary, size_t maxlen);

/*
 * Return the next item of the stream with *msg and *len the octets concerned
 * (valid until the next call), h->off their offset in the stream, and for
 * HEXIN_TRUNC h->need the length the message should have had. HEXIN_BADHDR,
 * HEXIN_TRUNC and HEXIN_ERR end the stream: every later call is HEXIN_EOF.
 * HEXIN_ERR leaves *msg NULL and explains itself in h->err.
 */
enum hexin_res hexin_next(struct hexin *h, const uint8_t **msg, size_t *len);

/* Free what hexin_open() and hexin_next() allocated. */
void hexin_close(struct hexin *h);

#endif
