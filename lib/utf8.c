/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * UTF-8 validation (RFC 3629 §3-4); see utf8.h.
 *
 * Public: utf8_lead_len(), utf8_seq_len(), utf8_valid(), utf8_prefix().
 */
#include "rbuf.h"
#include "utf8.h"

size_t
utf8_lead_len(uint8_t b)
{
	/* RFC 3629 §4: 0xc0/0xc1 only start overlong forms, 0xf5+ > U+10FFFF. */
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

size_t
utf8_seq_len(const uint8_t *p, size_t left)
{
	static const uint8_t lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	struct rbuf r;
	size_t n, i;
	uint32_t cp;
	uint8_t b;

	rbuf_init(&r, p, left);
	if (rbuf_get_u8(&r, &b) == -1 || (n = utf8_lead_len(b)) == 0)
		return 0;
	cp = b & lead_mask[n];
	for (i = 1; i < n; i++) {
		if (rbuf_get_u8(&r, &b) == -1 || (b & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (b & 0x3f);
	}
	/* RFC 3629 §3: shortest form, no surrogates, nothing past U+10FFFF. */
	if (cp < min[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

bool
utf8_valid(const void *p, size_t len)
{
	return utf8_prefix(p, len, len) == len;
}

size_t
utf8_prefix(const void *p, size_t len, size_t max)
{
	const uint8_t *s = p;
	size_t off = 0, n;

	while (off < len && (n = utf8_seq_len(s + off, len - off)) > 0 &&
	    off + n <= max)
		off += n;
	return off;
}
