/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * A small JSON parser (RFC 8259) for the control socket: requests in the
 * daemon, answers in bgpwatchctl. One document is parsed into a tree of
 * values owned by a struct ctljson_doc; input is read through the rbuf
 * reader, strings are checked UTF-8 and unescaped, nesting is bounded.
 *
 * Public: ctljson_parse(), ctljson_free(), ctljson_get(), ctljson_str(),
 *         ctljson_uint(), ctljson_bool(), ctljson_type_name().
 */
#ifndef BGPWATCH_CTLJSON_H
#define BGPWATCH_CTLJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"

/* Arrays and objects nest at most this deep. */
#define CTLJSON_MAX_DEPTH 32

enum ctljson_type {
	CTLJSON_NULL,
	CTLJSON_BOOL,
	CTLJSON_NUMBER,
	CTLJSON_STRING,
	CTLJSON_ARRAY,
	CTLJSON_OBJECT,
};

/*
 * One value. Read-only for users. Members of an object and elements of an
 * array are a list from child through next, in input order; a member has
 * its name in key. Strings (and keys) are NUL-terminated; JSON that
 * contains U+0000 is refused, so strlen() is their length.
 */
struct ctljson_val {
	enum ctljson_type type;
	bool b; /* CTLJSON_BOOL */
	bool integer; /* CTLJSON_NUMBER without fraction or exponent */
	bool negative;
	bool overflow; /* integer beyond 2^64 - 1 in magnitude */
	uint64_t mag; /* magnitude of an integer that fits, else 0 */
	const char *str; /* CTLJSON_STRING */
	size_t len; /* of str; elements or members of an array or object */
	const char *key; /* name, when this is a member of an object */
	const struct ctljson_val *child; /* first element or member */
	const struct ctljson_val *next; /* next sibling */
};

/* A parsed document; its storage is freed by ctljson_free(). */
struct ctljson_doc {
	const struct ctljson_val *root;
	struct ctljson_val *vals; /* every value, root first */
	size_t nvals;
	char *text; /* every string and key, NUL-terminated */
};

/*
 * Parse the len bytes at text as one JSON value (RFC 8259 §2), optionally
 * surrounded by whitespace, into *d. Returns 0 with d->root set, or -1
 * with "offset N: what is wrong" in err[0..errlen) and nothing to free.
 * Refused: anything that is not RFC 8259 JSON (trailing commas, comments,
 * single quotes, leading zeros, control characters in strings, invalid
 * UTF-8, lone surrogate escapes), U+0000 in strings, and nesting deeper
 * than CTLJSON_MAX_DEPTH. Duplicate member names are kept (RFC 8259 §4
 * allows them); ctljson_get() finds the first. Out of memory ends the
 * process.
 */
int ctljson_parse(struct ctljson_doc *d, const char *text, size_t len,
    char *err, size_t errlen) WUR;
/* Free what ctljson_parse() stored in d; a zeroed d is fine. */
void ctljson_free(struct ctljson_doc *d);
/*
 * The first member of object obj named key, or NULL when obj is NULL, not
 * an object, or has no such member.
 */
const struct ctljson_val *
ctljson_get(const struct ctljson_val *obj, const char *key);
/* The text of a string value; NULL when v is NULL or not a string. */
const char *ctljson_str(const struct ctljson_val *v);
/*
 * Store a non-negative integer value that fits in max in *out and return
 * 0; -1 (with *out unchanged) for anything else, NULL included.
 */
int ctljson_uint(const struct ctljson_val *v, uint64_t max, uint64_t *out) WUR;
/* Store a boolean value in *out and return 0; -1 otherwise. */
int ctljson_bool(const struct ctljson_val *v, bool *out) WUR;
/* "null", "boolean", "number", "string", "array" or "object". */
const char *ctljson_type_name(enum ctljson_type t);

#endif
