/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Sticky-error writer; see wbuf.h for the contract.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbuf.h"

void
wbuf_init_dyn(struct wbuf *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->dyn = true;
	w->max = max;
}

void
wbuf_init_fixed(struct wbuf *w, void *storage, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = storage;
	w->cap = cap;
}

void
wbuf_free(struct wbuf *w)
{
	if (w->dyn)
		free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

void
wbuf_reset(struct wbuf *w)
{
	w->len = 0;
	w->err = false;
}

/* Make room for need more bytes; false (and the error set) if impossible. */
static bool
wbuf_grow(struct wbuf *w, size_t need)
{
	size_t ncap;
	uint8_t *nbuf;

	if (w->err)
		return false;
	if (need <= w->cap - w->len)
		return true;
	if (!w->dyn || need > SIZE_MAX / 2 - w->len)
		goto fail;
	ncap = w->cap < 256 ? 256 : w->cap;
	while (ncap - w->len < need)
		ncap *= 2;
	if (w->max != 0 && ncap > w->max) {
		if (w->len + need > w->max)
			goto fail;
		ncap = w->max;
	}
	if ((nbuf = realloc(w->buf, ncap)) == NULL)
		goto fail;
	w->buf = nbuf;
	w->cap = ncap;
	return true;
fail:
	w->err = true;
	return false;
}

void
wbuf_put_u8_slow(struct wbuf *w, uint8_t v)
{
	if (wbuf_grow(w, 1))
		w->buf[w->len++] = v;
}

void
wbuf_put_u16(struct wbuf *w, uint16_t v)
{
	if (!wbuf_grow(w, 2))
		return;
	w->buf[w->len++] = v >> 8;
	w->buf[w->len++] = v & 0xff;
}

void
wbuf_put_u32(struct wbuf *w, uint32_t v)
{
	if (!wbuf_grow(w, 4))
		return;
	w->buf[w->len++] = v >> 24;
	w->buf[w->len++] = (v >> 16) & 0xff;
	w->buf[w->len++] = (v >> 8) & 0xff;
	w->buf[w->len++] = v & 0xff;
}

void
wbuf_put_bytes_slow(struct wbuf *w, const void *p, size_t len)
{
	if (len == 0 || !wbuf_grow(w, len))
		return;
	memcpy(w->buf + w->len, p, len);
	w->len += len;
}

size_t
wbuf_reserve(struct wbuf *w, size_t len)
{
	size_t off;

	if (!wbuf_grow(w, len))
		return 0;
	off = w->len;
	memset(w->buf + off, 0, len);
	w->len += len;
	return off;
}

void
wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	if (w->err)
		return;
	if (off > w->len || w->len - off < 2) {
		w->err = true;
		return;
	}
	w->buf[off] = v >> 8;
	w->buf[off + 1] = v & 0xff;
}

void
wbuf_printf(struct wbuf *w, const char *fmt, ...)
{
	va_list ap;
	char *tmp;
	int n;

	if (w->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->err = true;
		return;
	}
	if (n == 0 || !wbuf_grow(w, (size_t)n))
		return;
	va_start(ap, fmt);
	if (w->cap - w->len > (size_t)n)
		vsnprintf((char *)w->buf + w->len, (size_t)n + 1, fmt, ap);
	else if ((tmp = malloc((size_t)n + 1)) != NULL) {
		/* Exactly n octets of room: the NUL vsnprintf adds won't fit. */
		vsnprintf(tmp, (size_t)n + 1, fmt, ap);
		memcpy(w->buf + w->len, tmp, (size_t)n);
		free(tmp);
	} else
		w->err = true;
	va_end(ap);
	if (!w->err)
		w->len += (size_t)n;
}

/* Decimal digits of v: 1 to 20. */
static inline size_t
wbuf_ndigits(uint64_t v)
{
	uint64_t p = 10;
	size_t n = 1;

	while (n < WBUF_DEC_MAX && v >= p) {
		n++;
		p *= 10;
	}
	return n;
}

size_t
wbuf_dec(char *dst, uint64_t v)
{
	/* Two digits per division, from a table of "00" to "99". */
	static const char pairs[] = "00010203040506070809"
	                            "10111213141516171819"
	                            "20212223242526272829"
	                            "30313233343536373839"
	                            "40414243444546474849"
	                            "50515253545556575859"
	                            "60616263646566676869"
	                            "70717273747576777879"
	                            "80818283848586878889"
	                            "90919293949596979899";
	size_t n = wbuf_ndigits(v), i = n;

	/* Written in place from the last digit back: no copy. */
	while (v >= 100) {
		i -= 2;
		memcpy(dst + i, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(dst + i - 2, pairs + 2 * v, 2);
	else
		dst[i - 1] = (char)('0' + v);
	return n;
}

void
wbuf_put_dec(struct wbuf *w, uint64_t v)
{
	char buf[WBUF_DEC_MAX];

	if (!w->err && w->cap - w->len >= WBUF_DEC_MAX) {
		w->len += wbuf_dec((char *)w->buf + w->len, v);
		return;
	}
	wbuf_put_bytes(w, buf, wbuf_dec(buf, v));
}
