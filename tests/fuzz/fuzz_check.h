/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Invariant checks shared by the fuzz targets: a strict RFC 8259 JSON
 * validator (one value, valid UTF-8, no raw control characters, so no
 * newline either) and an abort that names the broken invariant.
 *
 * Public: fuzz_json_valid(), fuzz_require().
 */
#ifndef BGPWATCH_FUZZ_CHECK_H
#define BGPWATCH_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * True when p[0..len) is exactly one JSON value (RFC 8259 §2), with no
 * whitespace outside strings, nested at most 64 deep, strings valid UTF-8
 * in shortest form (RFC 3629 §3) with no unescaped control characters.
 */
bool fuzz_json_valid(const uint8_t *p, size_t len);

/*
 * Abort with "invariant broken: what" on stderr when ok is false, so the
 * fuzzer records the input as a crash.
 */
void fuzz_require(bool ok, const char *what);

#endif
