/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Recording BGP4MP update dumps (RFC 6396 §4.4): the pure parts of
 * `dump updates` that need no clock, file or socket. The rotation period
 * of a moment, the names of a period's file (final, temporary, and the
 * alternative when the name is taken), and the address family of an
 * UPDATE, which picks the RFC 8050 ADD-PATH subtype of its record.
 *
 * Public: mrtrec_period(), mrtrec_name(), mrtrec_tmp(), mrtrec_alt(),
 *         mrtrec_update_family(), mrtrec_whole().
 */
#ifndef BGPWATCH_MRTREC_H
#define BGPWATCH_MRTREC_H

#include <stddef.h>
#include <stdint.h>

/* Suffix of a file being written: "NAME.XXXXXX.tmp" (mkstemps(3)). */
#define MRTREC_TMP_SUFFIX ".tmp"
#define MRTREC_TMP_XS ".XXXXXX"

/*
 * The start of the rotation period of interval seconds (> 0) that holds
 * the moment now (seconds since the epoch): the largest multiple of
 * interval not after now. Periods are aligned on the epoch, so an
 * interval that divides a day starts its files at the same UTC times
 * every day (300: :00, :05, ...). The period ends at start + interval.
 */
int64_t mrtrec_period(int64_t now, uint32_t interval);

/*
 * The file name of the period starting at start: the strftime(3) pattern
 * expanded for start in UTC, into dst[len]. Returns 0, or -1 with dst
 * empty when the expansion is empty or does not fit.
 */
int mrtrec_name(const char *pattern, int64_t start, char *dst, size_t len);

/*
 * The mkstemps(3) template of the temporary file of name into dst[len]:
 * name MRTREC_TMP_XS MRTREC_TMP_SUFFIX; the template ends in
 * strlen(MRTREC_TMP_SUFFIX) suffix octets. 0, or -1 when it does not fit.
 */
int mrtrec_tmp(const char *name, char *dst, size_t len);

/*
 * The n-th name a complete file may take when name is taken (the daemon
 * was restarted or reloaded within the period): name itself for n 0,
 * "name.n" after. 0, or -1 when it does not fit in dst[len].
 */
int mrtrec_alt(const char *name, unsigned int n, char *dst, size_t len);

/*
 * The address family of the UPDATE body[0..len) (after the 19-octet
 * header), for RFC 8050 §3: a record is MESSAGE_AS4_ADDPATH when ADD-PATH
 * was negotiated for it. That is the family of the first MP_REACH_NLRI or
 * MP_UNREACH_NLRI attribute (RFC 4760 §3, §4), else IPv4 unicast (the
 * fields of RFC 4271 §4.3). Returns 0 when the Withdrawn Routes and Path
 * Attributes fields frame, -1 when they do not (*afi and *safi are then
 * IPv4 unicast). The NLRI field after them is not looked at.
 */
int mrtrec_update_family(
    const uint8_t *body, size_t len, uint16_t *afi, uint8_t *safi);

/*
 * Of the records p[0..len), whole and back to back, the octets of those
 * that lie entirely within the first written octets: where to cut a file
 * that a write(2) left torn, so that it ends on a record boundary. A
 * record is its 12-octet common header plus the Length it gives (RFC 6396
 * §2; the _ET microseconds are inside Length, §3). A header that does not
 * fit in len ends the walk.
 */
size_t mrtrec_whole(const uint8_t *p, size_t len, size_t written);

#endif
