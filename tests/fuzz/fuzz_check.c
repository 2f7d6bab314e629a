/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Invariant checks for the fuzz targets; see fuzz_check.h. The JSON
 * validator is a recursive descent over the RFC 8259 grammar that reads
 * only through a cursor bounded by the document.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_check.h"

#define FUZZ_JSON_DEPTH 64

struct fuzz_cur {
	const uint8_t *p;
	const uint8_t *end;
};

static bool fuzz_json_value(struct fuzz_cur *c, int depth);

void
fuzz_require(bool ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "invariant broken: %s\n", what);
	abort();
}

static int
fuzz_peek(const struct fuzz_cur *c)
{
	return c->p < c->end ? *c->p : -1;
}

static bool
fuzz_lit(struct fuzz_cur *c, const char *word)
{
	for (; *word != '\0'; word++, c->p++)
		if (fuzz_peek(c) != (uint8_t)*word)
			return false;
	return true;
}

/* One UTF-8 sequence in shortest form, no surrogates (RFC 3629 §3, §4). */
static bool
fuzz_utf8(struct fuzz_cur *c)
{
	uint8_t b = *c->p++;
	uint32_t cp, min;
	int n, i;

	if (b < 0x80)
		return true;
	if ((b & 0xe0) == 0xc0) {
		n = 1;
		cp = b & 0x1f;
		min = 0x80;
	} else if ((b & 0xf0) == 0xe0) {
		n = 2;
		cp = b & 0x0f;
		min = 0x800;
	} else if ((b & 0xf8) == 0xf0) {
		n = 3;
		cp = b & 0x07;
		min = 0x10000;
	} else
		return false;
	for (i = 0; i < n; i++) {
		if (c->p >= c->end || (*c->p & 0xc0) != 0x80)
			return false;
		cp = cp << 6 | (*c->p++ & 0x3f);
	}
	return cp >= min && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}

static bool
fuzz_escape(struct fuzz_cur *c)
{
	int ch = fuzz_peek(c), i;

	if (ch < 0)
		return false;
	c->p++;
	switch (ch) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't':
		return true;
	case 'u':
		for (i = 0; i < 4; i++, c->p++) {
			ch = fuzz_peek(c);
			if (!((ch >= '0' && ch <= '9') ||
			        (ch >= 'a' && ch <= 'f') ||
			        (ch >= 'A' && ch <= 'F')))
				return false;
		}
		return true;
	}
	return false;
}

static bool
fuzz_string(struct fuzz_cur *c)
{
	int ch;

	if (fuzz_peek(c) != '"')
		return false;
	c->p++;
	while ((ch = fuzz_peek(c)) != '"') {
		if (ch < 0x20) /* end of input or a raw control character */
			return false;
		if (ch == '\\') {
			c->p++;
			if (!fuzz_escape(c))
				return false;
		} else if (!fuzz_utf8(c))
			return false;
	}
	c->p++;
	return true;
}

static bool
fuzz_digits(struct fuzz_cur *c)
{
	const uint8_t *start = c->p;

	while (fuzz_peek(c) >= '0' && fuzz_peek(c) <= '9')
		c->p++;
	return c->p > start;
}

/* RFC 8259 §6: -? int frac? exp?, no leading zeros. */
static bool
fuzz_number(struct fuzz_cur *c)
{
	if (fuzz_peek(c) == '-')
		c->p++;
	if (fuzz_peek(c) == '0')
		c->p++;
	else if (!fuzz_digits(c))
		return false;
	if (fuzz_peek(c) == '.') {
		c->p++;
		if (!fuzz_digits(c))
			return false;
	}
	if (fuzz_peek(c) == 'e' || fuzz_peek(c) == 'E') {
		c->p++;
		if (fuzz_peek(c) == '+' || fuzz_peek(c) == '-')
			c->p++;
		if (!fuzz_digits(c))
			return false;
	}
	return true;
}

/* Members or elements up to close; c->p is past the opening bracket. */
static bool
fuzz_container(struct fuzz_cur *c, int close, int depth)
{
	if (depth > FUZZ_JSON_DEPTH)
		return false;
	if (fuzz_peek(c) == close) {
		c->p++;
		return true;
	}
	for (;;) {
		if (close == '}') {
			if (!fuzz_string(c) || fuzz_peek(c) != ':')
				return false;
			c->p++;
		}
		if (!fuzz_json_value(c, depth))
			return false;
		if (fuzz_peek(c) == close) {
			c->p++;
			return true;
		}
		if (fuzz_peek(c) != ',')
			return false;
		c->p++;
	}
}

static bool
fuzz_json_value(struct fuzz_cur *c, int depth)
{
	switch (fuzz_peek(c)) {
	case '{':
		c->p++;
		return fuzz_container(c, '}', depth + 1);
	case '[':
		c->p++;
		return fuzz_container(c, ']', depth + 1);
	case '"':
		return fuzz_string(c);
	case 't':
		return fuzz_lit(c, "true");
	case 'f':
		return fuzz_lit(c, "false");
	case 'n':
		return fuzz_lit(c, "null");
	}
	return fuzz_number(c);
}

bool
fuzz_json_valid(const uint8_t *p, size_t len)
{
	struct fuzz_cur c = { p, p + len };

	return fuzz_json_value(&c, 0) && c.p == c.end;
}
