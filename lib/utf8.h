/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * UTF-8 validation (RFC 3629 §3-4): shortest form only, no surrogates,
 * nothing past U+10FFFF. One implementation for the JSON writer, the RFC
 * 9003 shutdown communication and the control socket's JSON reader.
 *
 * Public: utf8_lead_len(), utf8_seq_len(), utf8_valid(), utf8_prefix().
 */
#ifndef BGPWATCH_UTF8_H
#define BGPWATCH_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The length of the sequence that lead octet b starts: 1 for ASCII, 2 to 4
 * for the lead octets RFC 3629 §4 allows, 0 for an octet that cannot start
 * a sequence (a continuation octet, 0xc0, 0xc1, 0xf5-0xff). Saying nothing
 * of the octets that follow, it is a first test, not a validation.
 */
size_t utf8_lead_len(uint8_t b);

/*
 * The length (1 to 4) of the valid UTF-8 sequence at p, of which left
 * octets may be read, or 0 when there is none: left is 0, the lead octet is
 * invalid, the sequence is cut short or has a bad continuation octet, or it
 * encodes an overlong form, a surrogate or a value past U+10FFFF. U+0000 is
 * valid (one octet).
 */
size_t utf8_seq_len(const uint8_t *p, size_t left);

/* True when all of p[0..len) is valid UTF-8 (an empty string is). */
bool utf8_valid(const void *p, size_t len);

/*
 * The length of the longest prefix of p[0..len) that is valid UTF-8 and at
 * most max octets long: it ends at the first invalid sequence, and never
 * splits a character.
 */
size_t utf8_prefix(const void *p, size_t len, size_t max);

#endif /* BGPWATCH_UTF8_H */
