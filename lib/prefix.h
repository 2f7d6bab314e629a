/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * IPv4 and IPv6 prefixes: decoding the RFC 4271 §4.3 / RFC 4760 §5
 * <length, prefix> encoding (with trailing bits masked), text conversion,
 * comparison and containment.
 *
 * Public: prefix_decode(), prefix_fmt(), prefix_parse(), prefix_cmp(),
 *         prefix_contains(), prefix_mask(), addr_fmt(), addr_text(),
 *         addr_parse().
 */
#ifndef BGPWATCH_PREFIX_H
#define BGPWATCH_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rbuf.h"

/* Enough for "ffff:...:ffff/128" and "a.b.c.d/nn" plus NUL. */
#define PREFIX_STRLEN 50
#define ADDR_STRLEN 46

struct prefix {
	uint8_t afi; /* AFI_IPV4 or AFI_IPV6 */
	uint8_t len; /* prefix length in bits */
	uint8_t addr[16];
};

/*
 * Read one <length, prefix> from r for afi (AFI_IPV4 or AFI_IPV6).
 * Returns 0 with *p filled and bits beyond the length cleared
 * (RFC 4271 §4.3: trailing bits are irrelevant), or -1 with r unchanged
 * when the length octet exceeds the family's width or the bytes run out.
 */
int prefix_decode(struct rbuf *r, uint16_t afi, struct prefix *p) WUR;
/* Clear bits of p->addr beyond p->len. */
void prefix_mask(struct prefix *p);
/* "192.0.2.0/24" or "2001:db8::/32" into buf (PREFIX_STRLEN bytes). */
char *prefix_fmt(const struct prefix *p, char *buf, size_t size);
/* Parse "a.b.c.d/n" or "x::/n" (a bare address is a host prefix). */
int prefix_parse(const char *s, struct prefix *p) WUR;
/* Total order: family, then address bytes, then length. */
int prefix_cmp(const struct prefix *a, const struct prefix *b);
/* True when inner lies inside outer (same family, longer or equal). */
bool prefix_contains(const struct prefix *outer, const struct prefix *inner);
/* Text form of a 4- or 16-byte address of afi into buf (ADDR_STRLEN). */
char *addr_fmt(uint16_t afi, const uint8_t *addr, char *buf, size_t size);
/*
 * The same text written at t, which has room for ADDR_STRLEN octets, with
 * no NUL: its length, or 0 for an afi other than IPv4 and IPv6. For text
 * built in place, a line at a time.
 */
size_t addr_text(uint16_t afi, const uint8_t *addr, char *t);
/* Parse an IPv4 or IPv6 address; sets *afi; 0 or -1. */
int addr_parse(const char *s, uint8_t *afi, uint8_t addr[16]) WUR;

#endif
