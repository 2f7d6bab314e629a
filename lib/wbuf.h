/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * A writer with a sticky error: builders append without checking each step
 * and look at wbuf_error() once at the end. A wbuf either grows on the heap
 * (wbuf_init_dyn) up to a limit, or fills caller-supplied storage
 * (wbuf_init_fixed). Running out of room or memory sets the error and turns
 * every later write into a no-op.
 *
 * Public: wbuf_init_dyn(), wbuf_init_fixed(), wbuf_free(), wbuf_reset(),
 *         wbuf_put_u8(), wbuf_put_u16(), wbuf_put_u32(), wbuf_put_bytes(),
 *         wbuf_reserve(), wbuf_set_u16(), wbuf_printf(), wbuf_put_dec(),
 *         wbuf_dec(), wbuf_data(), wbuf_len(), wbuf_error().
 */
#ifndef BGPWATCH_WBUF_H
#define BGPWATCH_WBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wbuf {
	uint8_t *buf;
	size_t len;
	size_t cap;
	size_t max; /* growth limit for dynamic buffers */
	bool dyn;
	bool err;
};

/* A heap buffer that grows up to max bytes (0: no limit). */
void wbuf_init_dyn(struct wbuf *w, size_t max);
/* A buffer over caller storage of cap bytes; never allocates. */
void wbuf_init_fixed(struct wbuf *w, void *storage, size_t cap);
/* Free heap storage (no-op for fixed buffers). */
void wbuf_free(struct wbuf *w);
/* Forget the contents and the error, keep the storage. */
void wbuf_reset(struct wbuf *w);

void wbuf_put_u16(struct wbuf *w, uint16_t v);
void wbuf_put_u32(struct wbuf *w, uint32_t v);
/* The slow paths of the inline writers below: grow, or set the error. */
void wbuf_put_u8_slow(struct wbuf *w, uint8_t v);
void wbuf_put_bytes_slow(struct wbuf *w, const void *p, size_t len);

/*
 * Inline fast paths: JSON output appends a few octets at a time, so the
 * common case (room left, no error) must not cost a function call.
 */
static inline void
wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	if (!w->err && w->len < w->cap)
		w->buf[w->len++] = v;
	else
		wbuf_put_u8_slow(w, v);
}

static inline void
wbuf_put_bytes(struct wbuf *w, const void *p, size_t len)
{
	if (!w->err && len > 0 && w->cap - w->len >= len) {
		memcpy(w->buf + w->len, p, len);
		w->len += len;
	} else
		wbuf_put_bytes_slow(w, p, len);
}
/*
 * Append len zero bytes and return their offset, to be filled in later
 * (a length field, say); returns 0 with the error set on failure.
 */
size_t wbuf_reserve(struct wbuf *w, size_t len);
/* Overwrite two bytes at off with v (network order). */
void wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v);
/* Append formatted text (no terminating NUL is kept in the length). */
void wbuf_printf(struct wbuf *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Append v in decimal, as printf's "%ju" would, without printf: AS numbers
 * and counters are most of the text bgpwatch writes.
 */
void wbuf_put_dec(struct wbuf *w, uint64_t v);
/* Octets wbuf_dec() may write: UINT64_MAX has 20 digits. */
#define WBUF_DEC_MAX 20
/*
 * Write v in decimal at dst, with no NUL, and return the digit count; dst
 * needs room for the digits of v (WBUF_DEC_MAX octets always do, 10 any
 * uint32_t). For text built outside a wbuf.
 */
size_t wbuf_dec(char *dst, uint64_t v);

static inline const uint8_t *
wbuf_data(const struct wbuf *w)
{
	return w->buf;
}

static inline size_t
wbuf_len(const struct wbuf *w)
{
	return w->len;
}

/* True once any write failed; the contents are then incomplete. */
static inline bool
wbuf_error(const struct wbuf *w)
{
	return w->err;
}

#endif
