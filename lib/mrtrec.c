/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Recording BGP4MP update dumps: rotation periods, file names and the
 * family of an UPDATE (see mrtrec.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bgp.h"
#include "mrt.h"
#include "mrtrec.h"
#include "rbuf.h"

int64_t
mrtrec_period(int64_t now, uint32_t interval)
{
	int64_t r = now % (int64_t)interval;

	/* C rounds towards zero: before the epoch, go down a period. */
	return r < 0 ? now - r - (int64_t)interval : now - r;
}

/* The pattern is the administrator's, like a date(1) format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int
mrtrec_name(const char *pattern, int64_t start, char *dst, size_t len)
{
	time_t t = (time_t)start;
	struct tm tm;

	if (len == 0)
		return -1;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(dst, len, pattern, &tm) == 0) {
		dst[0] = '\0';
		return -1;
	}
	return 0;
}
#pragma GCC diagnostic pop

int
mrtrec_tmp(const char *name, char *dst, size_t len)
{
	int n;

	n = snprintf(dst, len, "%s" MRTREC_TMP_XS MRTREC_TMP_SUFFIX, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
mrtrec_alt(const char *name, unsigned int n, char *dst, size_t len)
{
	int w;

	if (n == 0)
		w = snprintf(dst, len, "%s", name);
	else
		w = snprintf(dst, len, "%s.%u", name, n);
	return w < 0 || (size_t)w >= len ? -1 : 0;
}

/*
 * One path attribute of the fenced field r (RFC 4271 §4.3: flags, type,
 * one or, with Extended Length, two octets of length): 1 with the AFI and
 * SAFI of an MP_REACH_NLRI or MP_UNREACH_NLRI, 0 for another attribute,
 * -1 when it does not frame.
 */
static int
mrtrec_attr(struct rbuf *r, uint16_t *afi, uint8_t *safi)
{
	uint8_t flags, type, len8, sa;
	uint16_t len, af;
	struct rbuf val;

	if (rbuf_get_u8(r, &flags) == -1 || rbuf_get_u8(r, &type) == -1)
		return -1;
	if (flags & ATTR_F_EXTLEN) {
		if (rbuf_get_u16(r, &len) == -1)
			return -1;
	} else {
		if (rbuf_get_u8(r, &len8) == -1)
			return -1;
		len = len8;
	}
	if (rbuf_get_sub(r, len, &val) == -1)
		return -1;
	if (type != ATTR_MP_REACH_NLRI && type != ATTR_MP_UNREACH_NLRI)
		return 0;
	/* RFC 4760 §3, §4: both start with AFI (2 octets), SAFI (1). */
	if (rbuf_get_u16(&val, &af) == -1 || rbuf_get_u8(&val, &sa) == -1)
		return 0;
	*afi = af;
	*safi = sa;
	return 1;
}

int
mrtrec_update_family(
    const uint8_t *body, size_t len, uint16_t *afi, uint8_t *safi)
{
	struct rbuf r, wd, attrs;
	uint16_t wlen, alen, af = AFI_IPV4, a;
	uint8_t sa = SAFI_UNICAST, s;
	bool found = false;
	int rv;

	*afi = AFI_IPV4;
	*safi = SAFI_UNICAST;
	rbuf_init(&r, body, len);
	if (rbuf_get_u16(&r, &wlen) == -1 ||
	    rbuf_get_sub(&r, wlen, &wd) == -1 ||
	    rbuf_get_u16(&r, &alen) == -1 ||
	    rbuf_get_sub(&r, alen, &attrs) == -1)
		return -1;
	/* Walk them all: a field that does not frame says so. */
	while (rbuf_left(&attrs) > 0) {
		if ((rv = mrtrec_attr(&attrs, &a, &s)) == -1)
			return -1;
		if (rv == 1 && !found) {
			af = a;
			sa = s;
			found = true;
		}
	}
	*afi = af;
	*safi = sa;
	return 0;
}

size_t
mrtrec_whole(const uint8_t *p, size_t len, size_t written)
{
	struct rbuf r;
	size_t whole = 0;
	uint32_t rlen;

	/* Timestamp, Type and Subtype, then Length (RFC 6396 §2). */
	rbuf_init(&r, p, len < written ? len : written);
	while (rbuf_skip(&r, MRT_HDR_LEN - 4) == 0 &&
	    rbuf_get_u32(&r, &rlen) == 0 && rbuf_skip(&r, rlen) == 0)
		whole += MRT_HDR_LEN + (size_t)rlen;
	return whole;
}
