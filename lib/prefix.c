/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Prefix decoding, formatting and comparison; see prefix.h.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"
#include "wbuf.h"

static unsigned
prefix_maxlen(uint16_t afi)
{
	return afi == AFI_IPV4 ? 32 : afi == AFI_IPV6 ? 128 : 0;
}

void
prefix_mask(struct prefix *p)
{
	unsigned i, bytes = (p->len + 7) / 8;

	if (p->len % 8 != 0)
		p->addr[bytes - 1] &= (uint8_t)(0xff << (8 - p->len % 8));
	for (i = bytes; i < sizeof(p->addr); i++)
		p->addr[i] = 0;
}

int
prefix_decode(struct rbuf *r, uint16_t afi, struct prefix *p)
{
	struct rbuf t = *r;
	struct prefix np;
	uint8_t plen;
	unsigned max = prefix_maxlen(afi);

	if (max == 0 || rbuf_get_u8(&t, &plen) == -1 || plen > max)
		return -1;
	memset(&np, 0, sizeof(np));
	np.afi = (uint8_t)afi;
	np.len = plen;
	if (rbuf_get_bytes(&t, np.addr, (plen + 7) / 8) == -1)
		return -1;
	prefix_mask(&np);
	*p = np;
	*r = t;
	return 0;
}

/* "0" to "255" with their lengths: the octets of dotted quads. */
#define PREFIX_O1(a)                                                           \
	{                                                                      \
		{ '0' + (a), 0, 0 }, 1                                         \
	}
#define PREFIX_O2(a, b)                                                        \
	{                                                                      \
		{ '0' + (a), '0' + (b), 0 }, 2                                 \
	}
#define PREFIX_O3(a, b, c)                                                     \
	{                                                                      \
		{ '0' + (a), '0' + (b), '0' + (c) }, 3                         \
	}
#define PREFIX_ROW2(a)                                                         \
	PREFIX_O2(a, 0), PREFIX_O2(a, 1), PREFIX_O2(a, 2), PREFIX_O2(a, 3),    \
	    PREFIX_O2(a, 4), PREFIX_O2(a, 5), PREFIX_O2(a, 6),                 \
	    PREFIX_O2(a, 7), PREFIX_O2(a, 8), PREFIX_O2(a, 9)
#define PREFIX_ROW3(a, b)                                                      \
	PREFIX_O3(a, b, 0), PREFIX_O3(a, b, 1), PREFIX_O3(a, b, 2),            \
	    PREFIX_O3(a, b, 3), PREFIX_O3(a, b, 4), PREFIX_O3(a, b, 5),        \
	    PREFIX_O3(a, b, 6), PREFIX_O3(a, b, 7), PREFIX_O3(a, b, 8),        \
	    PREFIX_O3(a, b, 9)

static const struct {
	char s[3];
	uint8_t len;
} prefix_octets[256] = {
	PREFIX_O1(0),
	PREFIX_O1(1),
	PREFIX_O1(2),
	PREFIX_O1(3),
	PREFIX_O1(4),
	PREFIX_O1(5),
	PREFIX_O1(6),
	PREFIX_O1(7),
	PREFIX_O1(8),
	PREFIX_O1(9),
	PREFIX_ROW2(1),
	PREFIX_ROW2(2),
	PREFIX_ROW2(3),
	PREFIX_ROW2(4),
	PREFIX_ROW2(5),
	PREFIX_ROW2(6),
	PREFIX_ROW2(7),
	PREFIX_ROW2(8),
	PREFIX_ROW2(9),
	PREFIX_ROW3(1, 0),
	PREFIX_ROW3(1, 1),
	PREFIX_ROW3(1, 2),
	PREFIX_ROW3(1, 3),
	PREFIX_ROW3(1, 4),
	PREFIX_ROW3(1, 5),
	PREFIX_ROW3(1, 6),
	PREFIX_ROW3(1, 7),
	PREFIX_ROW3(1, 8),
	PREFIX_ROW3(1, 9),
	PREFIX_ROW3(2, 0),
	PREFIX_ROW3(2, 1),
	PREFIX_ROW3(2, 2),
	PREFIX_ROW3(2, 3),
	PREFIX_ROW3(2, 4),
	PREFIX_O3(2, 5, 0),
	PREFIX_O3(2, 5, 1),
	PREFIX_O3(2, 5, 2),
	PREFIX_O3(2, 5, 3),
	PREFIX_O3(2, 5, 4),
	PREFIX_O3(2, 5, 5),
};

/*
 * One octet in decimal at t: its length, 1 to 3. Three octets are always
 * copied, so t needs two to spare beyond the text (ADDR_STRLEN has).
 */
static inline size_t
prefix_octet(uint8_t v, char *t)
{
	memcpy(t, prefix_octets[v].s, 3);
	return prefix_octets[v].len;
}

/* Dotted quad (RFC 4001 §3) of a[0..3] at t; its length, at most 15. */
static size_t
prefix_v4_text(const uint8_t *a, char *t)
{
	size_t n = prefix_octet(a[0], t);

	t[n++] = '.';
	n += prefix_octet(a[1], t + n);
	t[n++] = '.';
	n += prefix_octet(a[2], t + n);
	t[n++] = '.';
	return n + prefix_octet(a[3], t + n);
}

/* A 16-bit group: lowercase hex, no leading zeros (RFC 5952 §4.1, §4.3). */
static size_t
prefix_hex16(unsigned v, char *t)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int shift = 12;

	while (shift > 0 && (v >> shift) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		t[n++] = hex[(v >> shift) & 0xf];
	return n;
}

/*
 * RFC 5952 §4: the first longest run of two or more zero groups is "::".
 * As inet_ntop(3) writes them (and so bgpdump), an IPv4-compatible
 * (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d, RFC 5952 §5) address ends in
 * a dotted quad. Its length, at most 45.
 */
static size_t
prefix_v6_text(const uint8_t *a, char *t)
{
	unsigned w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0;
	size_t n = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] != 0) {
			cur = -1;
			continue;
		}
		if (cur == -1) {
			cur = i;
			curlen = 0;
		}
		if (++curlen > bestlen) {
			best = cur;
			bestlen = curlen;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best != -1 && i >= best && i < best + bestlen) {
			if (i == best)
				t[n++] = ':';
			continue;
		}
		if (i > 0)
			t[n++] = ':';
		if (i == 6 && best == 0 &&
		    (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff)))
			return n + prefix_v4_text(a + 12, t + n);
		n += prefix_hex16(w[i], t + n);
	}
	if (best != -1 && best + bestlen == 8)
		t[n++] = ':';
	return n;
}

size_t
addr_text(uint16_t afi, const uint8_t *addr, char *t)
{
	if (afi == AFI_IPV4)
		return prefix_v4_text(addr, t);
	if (afi == AFI_IPV6)
		return prefix_v6_text(addr, t);
	return 0;
}

/* Copy the n octets of t into buf of size octets, or "?" if they do not fit. */
static char *
prefix_text_out(const char *t, size_t n, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	if (n == 0 || n >= size) {
		/* As inet_ntop(3) refusing: a marker, never a cut address. */
		snprintf(buf, size, "?");
		return buf;
	}
	memcpy(buf, t, n);
	buf[n] = '\0';
	return buf;
}

char *
addr_fmt(uint16_t afi, const uint8_t *addr, char *buf, size_t size)
{
	char t[ADDR_STRLEN];

	return prefix_text_out(t, addr_text(afi, addr, t), buf, size);
}

char *
prefix_fmt(const struct prefix *p, char *buf, size_t size)
{
	char t[PREFIX_STRLEN];
	size_t n = addr_text(p->afi, p->addr, t);

	if (n > 0) {
		t[n++] = '/';
		n += wbuf_dec(t + n, p->len);
	}
	return prefix_text_out(t, n, buf, size);
}

int
addr_parse(const char *s, uint8_t *afi, uint8_t addr[16])
{
	uint8_t a[16];

	memset(a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a) == 1)
		*afi = AFI_IPV4;
	else if (inet_pton(AF_INET6, s, a) == 1)
		*afi = AFI_IPV6;
	else
		return -1;
	memcpy(addr, a, 16);
	return 0;
}

int
prefix_parse(const char *s, struct prefix *p)
{
	char buf[PREFIX_STRLEN], *slash, *end;
	struct prefix np;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	memset(&np, 0, sizeof(np));
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (addr_parse(buf, &np.afi, np.addr) == -1)
		return -1;
	len = prefix_maxlen(np.afi);
	if (slash != NULL) {
		if (*slash < '0' || *slash > '9')
			return -1;
		len = strtoul(slash, &end, 10);
		if (*end != '\0' || len > prefix_maxlen(np.afi))
			return -1;
	}
	np.len = (uint8_t)len;
	prefix_mask(&np);
	*p = np;
	return 0;
}

int
prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	int c;

	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool
prefix_contains(const struct prefix *outer, const struct prefix *inner)
{
	unsigned i, full, rest;

	if (outer->afi != inner->afi || outer->len > inner->len)
		return false;
	full = outer->len / 8;
	rest = outer->len % 8;
	for (i = 0; i < full; i++)
		if (outer->addr[i] != inner->addr[i])
			return false;
	if (rest != 0 &&
	    ((outer->addr[full] ^ inner->addr[full]) &
	        (uint8_t)(0xff << (8 - rest))) != 0)
		return false;
	return true;
}
