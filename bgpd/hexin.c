/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Hex text and binary stream input for `bgpwatchctl decode`; see hexin.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexin.h"
#include "rbuf.h"

/* Value of hex digit c, or -1. */
static int
hexin_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
hexin_is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f' || c == ':';
}

static int hexin_fail(struct hexin_err *, const char *, size_t, size_t,
    const char *, ...) __attribute__((format(printf, 5, 6)));

/* Fill *err for the token or character at text[at]; returns -1. */
static int
hexin_fail(struct hexin_err *err, const char *text, size_t at, size_t offset,
    const char *fmt, ...)
{
	va_list ap;
	size_t i;

	err->line = 1;
	err->column = 1;
	for (i = 0; i < at; i++) {
		if (text[i] == '\n') {
			err->line++;
			err->column = 1;
		} else
			err->column++;
	}
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Complain about text[at], which is neither hex digit nor separator. */
static int
hexin_bad_char(
    struct hexin_err *err, const char *text, size_t at, size_t offset)
{
	unsigned char c = (unsigned char)text[at];

	if (c > 0x20 && c < 0x7f)
		return hexin_fail(err, text, at, offset,
		    "invalid character '%c' in hex input", c);
	return hexin_fail(
	    err, text, at, offset, "invalid byte 0x%02x in hex input", c);
}

/*
 * Decode the token at text[*at]: an optional "0x", then pairs of hex digits
 * up to a separator, a comment or the end. Advances *at past it.
 */
static int
hexin_token(const char *text, size_t len, size_t *at, struct wbuf *out,
    struct hexin_err *err)
{
	size_t start = *at, i = *at, ndig = 0;
	size_t offset = wbuf_len(out);

	if (len - i >= 2 && text[i] == '0' &&
	    (text[i + 1] == 'x' || text[i + 1] == 'X'))
		i += 2;
	while (i + ndig < len && hexin_digit(text[i + ndig]) >= 0)
		ndig++;
	if (i + ndig < len && !hexin_is_sep(text[i + ndig]) &&
	    text[i + ndig] != '#')
		return hexin_bad_char(err, text, i + ndig, offset);
	if (ndig == 0)
		return hexin_fail(
		    err, text, start, offset, "\"0x\" without hex digits");
	if (ndig % 2 != 0)
		return hexin_fail(err, text, start, offset,
		    "odd number of hex digits (%zu) in a token", ndig);
	for (; ndig > 0; ndig -= 2, i += 2)
		wbuf_put_u8(out,
		    (uint8_t)(hexin_digit(text[i]) << 4 |
		        hexin_digit(text[i + 1])));
	*at = i;
	return 0;
}

int
hexin_parse(
    const char *text, size_t len, struct wbuf *out, struct hexin_err *err)
{
	size_t i = 0;

	while (i < len) {
		if (hexin_is_sep(text[i]))
			i++;
		else if (text[i] == '#')
			while (i < len && text[i] != '\n')
				i++;
		else if (hexin_token(text, len, &i, out, err) == -1)
			return -1;
		if (wbuf_error(out))
			return hexin_fail(
			    err, text, i, wbuf_len(out), "out of memory");
	}
	return 0;
}

enum hexin_frame_res
hexin_frame(const uint8_t *p, size_t avail, size_t maxlen, size_t *msglen)
{
	struct rbuf r;
	uint8_t b;
	uint16_t len;
	size_t i;

	/* RFC 4271 §4.1: the marker is sixteen octets of all ones. */
	rbuf_init(&r, p, avail);
	for (i = 0; i < BGP_MARKER_LEN; i++) {
		if (rbuf_get_u8(&r, &b) == -1)
			goto short_hdr;
		if (b != 0xff)
			goto bad;
	}
	if (rbuf_get_u16(&r, &len) == -1 || rbuf_left(&r) < 1)
		goto short_hdr;
	/* RFC 4271 §4.1 and RFC 8654 §4: 19 to 4096 (65535) octets. */
	if (len < BGP_HDR_LEN || len > maxlen)
		goto bad;
	*msglen = len;
	return avail < len ? HEXIN_FRAME_SHORT : HEXIN_FRAME_OK;
short_hdr:
	*msglen = BGP_HDR_LEN;
	return HEXIN_FRAME_SHORT;
bad:
	*msglen = avail < BGP_HDR_LEN ? avail : BGP_HDR_LEN;
	return HEXIN_FRAME_BAD;
}

void
hexin_open(struct hexin *h, FILE *fp, bool binary, size_t maxlen)
{
	memset(h, 0, sizeof(*h));
	h->fp = fp;
	h->binary = binary;
	h->maxlen = maxlen;
	wbuf_init_dyn(&h->data, 0);
}

/* Cut the message that starts at p[0..avail); see hexin_next(). */
static enum hexin_res
hexin_cut(struct hexin *h, const uint8_t *p, size_t avail, size_t *len)
{
	size_t msglen;

	switch (hexin_frame(p, avail, h->maxlen, &msglen)) {
	case HEXIN_FRAME_OK:
		*len = msglen;
		return HEXIN_MSG;
	case HEXIN_FRAME_BAD:
		*len = msglen;
		h->done = true;
		return HEXIN_BADHDR;
	case HEXIN_FRAME_SHORT:
		break;
	}
	*len = avail;
	h->need = msglen;
	h->done = true;
	return HEXIN_TRUNC;
}

/* Read the whole of fp as hex text into h->data; -1 with h->err set. */
static int
hexin_load_hex(struct hexin *h)
{
	struct wbuf text;
	char chunk[8192];
	size_t n;
	int rc = 0;

	wbuf_init_dyn(&text, HEXIN_MAX_TEXT);
	while ((n = fread(chunk, 1, sizeof(chunk), h->fp)) > 0)
		wbuf_put_bytes(&text, chunk, n);
	if (ferror(h->fp)) {
		snprintf(h->err.msg, sizeof(h->err.msg), "read error: %s",
		    strerror(errno));
		rc = -1;
	} else if (wbuf_error(&text)) {
		snprintf(h->err.msg, sizeof(h->err.msg),
		    "hex input larger than %u octets", HEXIN_MAX_TEXT);
		rc = -1;
	} else
		rc = hexin_parse((const char *)wbuf_data(&text),
		    wbuf_len(&text), &h->data, &h->err);
	wbuf_free(&text);
	return rc;
}

static enum hexin_res
hexin_next_hex(struct hexin *h, const uint8_t **msg, size_t *len)
{
	enum hexin_res res;

	if (h->fp != NULL) {
		/* First call: read and check the whole text. */
		if (hexin_load_hex(h) == -1) {
			h->done = true;
			return HEXIN_ERR;
		}
		h->fp = NULL;
	}
	if (h->pos == wbuf_len(&h->data)) {
		h->done = true;
		return HEXIN_EOF;
	}
	h->off = h->pos;
	*msg = wbuf_data(&h->data) + h->pos;
	res = hexin_cut(h, *msg, wbuf_len(&h->data) - h->pos, len);
	h->pos += *len;
	return res;
}

/* Read until h->buf holds want octets or the input ends; -1 on error. */
static int
hexin_fill(struct hexin *h, size_t want)
{
	size_t n;

	if (h->buflen >= want)
		return 0;
	n = fread(h->buf + h->buflen, 1, want - h->buflen, h->fp);
	h->buflen += n;
	if (h->buflen < want && ferror(h->fp)) {
		snprintf(h->err.msg, sizeof(h->err.msg), "read error: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static enum hexin_res
hexin_next_binary(struct hexin *h, const uint8_t **msg, size_t *len)
{
	size_t msglen;

	if (h->buf == NULL && (h->buf = malloc(h->maxlen)) == NULL) {
		snprintf(h->err.msg, sizeof(h->err.msg), "out of memory");
		goto fail;
	}
	h->off += h->buflen;
	h->err.offset = h->off;
	h->buflen = 0;
	if (hexin_fill(h, BGP_HDR_LEN) == -1)
		goto fail;
	if (h->buflen == 0) {
		h->done = true;
		return HEXIN_EOF;
	}
	/* The body is read only once a sound header has said how long. */
	if (h->buflen == BGP_HDR_LEN &&
	    hexin_frame(h->buf, h->buflen, h->maxlen, &msglen) ==
	        HEXIN_FRAME_SHORT &&
	    hexin_fill(h, msglen) == -1)
		goto fail;
	*msg = h->buf;
	return hexin_cut(h, h->buf, h->buflen, len);
fail:
	h->done = true;
	return HEXIN_ERR;
}

enum hexin_res
hexin_next(struct hexin *h, const uint8_t **msg, size_t *len)
{
	*msg = NULL;
	*len = 0;
	if (h->done)
		return HEXIN_EOF;
	if (h->binary)
		return hexin_next_binary(h, msg, len);
	return hexin_next_hex(h, msg, len);
}

void
hexin_close(struct hexin *h)
{
	wbuf_free(&h->data);
	free(h->buf);
	h->buf = NULL;
}
