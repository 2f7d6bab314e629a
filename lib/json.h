/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * A compact JSON writer used by every JSON output of bgpwatch. It appends to
 * a wbuf and keeps a sticky error: misuse (unbalanced nesting, a key inside
 * an array, too deep) or a full buffer marks the document bad, and
 * json_finish() reports it once. Strings are escaped per RFC 8259 §7;
 * bytes that are not valid UTF-8 become U+FFFD, so output is always valid.
 * A NULL key means "array element"; inside objects a key is required.
 *
 * Public: json_init(), json_obj_open(), json_obj_close(), json_arr_open(),
 *         json_arr_close(), json_str(), json_strn(), json_uint(), json_int(),
 *         json_double(), json_bool(), json_null(), json_hex(), json_raw(),
 *         json_finish(), json_error().
 */
#ifndef BGPWATCH_JSON_H
#define BGPWATCH_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wbuf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct wbuf *w;
	int depth;
	bool err;
	bool first[JSON_MAX_DEPTH];
	bool is_obj[JSON_MAX_DEPTH];
};

/* Start a document appended to w (w keeps what it held before). */
void json_init(struct json *j, struct wbuf *w);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
/* A string of len bytes that need not be NUL-terminated nor valid UTF-8. */
void json_strn(struct json *j, const char *key, const void *val, size_t len);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_int(struct json *j, const char *key, int64_t val);
/* A finite number with up to prec digits after the point (NaN: null). */
void json_double(struct json *j, const char *key, double val, int prec);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* Bytes as a lower-case hex string. */
void json_hex(struct json *j, const char *key, const void *p, size_t len);
/* A value that is already valid JSON text (caller's responsibility). */
void json_raw(struct json *j, const char *key, const char *text, size_t len);
/* 0 when the document is complete and balanced, -1 otherwise. */
int json_finish(struct json *j);
/* True once anything went wrong. */
bool json_error(const struct json *j);

#endif
