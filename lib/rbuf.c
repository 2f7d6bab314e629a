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
