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

char *
addr_fmt(uint16_t afi, const uint8_t *addr, char *buf, size_t size)
{
	if (inet_ntop(afi == AFI_IPV4 ? AF_INET : AF_INET6, addr, buf,
	        (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
	return buf;
}

char *
prefix_fmt(const struct prefix *p, char *buf, size_t size)
{
	char a[ADDR_STRLEN];

	snprintf(buf, size, "%s/%u", addr_fmt(p->afi, p->addr, a, sizeof(a)),
	    p->len);
	return buf;
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
