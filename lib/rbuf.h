/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The bounds-checked reader: the only code in bgpwatch that touches raw wire
 * bytes. Every getter either consumes exactly what it was asked for and
 * returns 0, or returns -1 and changes nothing, not even its out-parameter.
 *
 * Public: rbuf_init(), rbuf_left(), rbuf_ptr(), rbuf_get_u8(),
 *         rbuf_get_u16(), rbuf_get_u32(), rbuf_get_bytes(), rbuf_get_sub(),
 *         rbuf_skip(), rbuf_peek_u8(), rbuf_peek_u16().
 */
#ifndef BGPWATCH_RBUF_H
#define BGPWATCH_RBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp.h"

struct rbuf {
	const uint8_t *pos;
	size_t left;
};

/* Make r read the len bytes at p. */
void rbuf_init(struct rbuf *r, const void *p, size_t len);

/* Bytes not yet consumed. */
static inline size_t
rbuf_left(const struct rbuf *r)
{
	return r->left;
}

/* Where the next byte would be read (for offsets and verdict data). */
static inline const uint8_t *
rbuf_ptr(const struct rbuf *r)
{
	return r->pos;
}

/*
 * The getters are inline: they are the innermost loop of every decoder.
 * Network-order getters: 0 and consumed, or -1 and nothing changed.
 */
static inline int WUR
rbuf_get_u8(struct rbuf *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->pos[0];
	r->pos++;
	r->left--;
	return 0;
}

static inline int WUR
rbuf_get_u16(struct rbuf *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = (uint16_t)(r->pos[0] << 8 | r->pos[1]);
	r->pos += 2;
	r->left -= 2;
	return 0;
}

static inline int WUR
rbuf_get_u32(struct rbuf *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = (uint32_t)r->pos[0] << 24 | (uint32_t)r->pos[1] << 16 |
	    (uint32_t)r->pos[2] << 8 | (uint32_t)r->pos[3];
	r->pos += 4;
	r->left -= 4;
	return 0;
}

/* Copy len bytes into dst. */
static inline int WUR
rbuf_get_bytes(struct rbuf *r, void *dst, size_t len)
{
	if (r->left < len)
		return -1;
	if (len > 0)
		memcpy(dst, r->pos, len);
	r->pos += len;
	r->left -= len;
	return 0;
}

/*
 * Carve a fenced slice: sub reads the next len bytes and r moves past them.
 * A decoder handed sub cannot reach beyond it.
 */
static inline int WUR
rbuf_get_sub(struct rbuf *r, size_t len, struct rbuf *sub)
{
	if (r->left < len)
		return -1;
	sub->pos = r->pos;
	sub->left = len;
	r->pos += len;
	r->left -= len;
	return 0;
}

/* Consume len bytes without reading them. */
static inline int WUR
rbuf_skip(struct rbuf *r, size_t len)
{
	if (r->left < len)
		return -1;
	r->pos += len;
	r->left -= len;
	return 0;
}

/* Look at the next value without consuming it. */
static inline int WUR
rbuf_peek_u8(const struct rbuf *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->pos[0];
	return 0;
}

static inline int WUR
rbuf_peek_u16(const struct rbuf *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = (uint16_t)(r->pos[0] << 8 | r->pos[1]);
	return 0;
}

#endif
