/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Bounds-checked reader over a byte slice; see rbuf.h for the contract.
 */
#include <string.h>

#include "rbuf.h"

void
rbuf_init(struct rbuf *r, const void *p, size_t len)
{
	/* Never NULL: even "pos += 0" on a null pointer is undefined. */
	static const uint8_t empty[1];

	r->pos = p == NULL ? empty : p;
	r->left = p == NULL ? 0 : len;
}

int
rbuf_get_u8(struct rbuf *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->pos[0];
	r->pos++;
	r->left--;
	return 0;
}

int
rbuf_get_u16(struct rbuf *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = (uint16_t)(r->pos[0] << 8 | r->pos[1]);
	r->pos += 2;
	r->left -= 2;
	return 0;
}

int
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

int
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

int
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

int
rbuf_skip(struct rbuf *r, size_t len)
{
	if (r->left < len)
		return -1;
	r->pos += len;
	r->left -= len;
	return 0;
}

int
rbuf_peek_u8(const struct rbuf *r, uint8_t *v)
{
	if (r->left < 1)
		return -1;
	*v = r->pos[0];
	return 0;
}

int
rbuf_peek_u16(const struct rbuf *r, uint16_t *v)
{
	if (r->left < 2)
		return -1;
	*v = (uint16_t)(r->pos[0] << 8 | r->pos[1]);
	return 0;
}
