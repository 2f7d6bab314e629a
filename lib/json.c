/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Compact JSON writer with a sticky error; see json.h for the contract.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

void
json_init(struct json *j, struct wbuf *w)
{
	memset(j, 0, sizeof(*j));
	j->w = w;
	j->depth = 0;
	j->first[0] = true;
}

bool
json_error(const struct json *j)
{
	return j->err || wbuf_error(j->w);
}

static void json_put_string(struct wbuf *, const uint8_t *, size_t);

/* Write the separator and key for a new value; false on misuse. */
static bool
json_begin(struct json *j, const char *key)
{
	if (j->err)
		return false;
	if (j->depth == 0) {
		/* Only one top-level value per document. */
		if (!j->first[0] || key != NULL)
			goto misuse;
		j->first[0] = false;
		return true;
	}
	if (j->is_obj[j->depth] != (key != NULL))
		goto misuse;
	if (!j->first[j->depth])
		wbuf_put_u8(j->w, ',');
	j->first[j->depth] = false;
	if (key != NULL) {
		json_put_string(j->w, (const uint8_t *)key, strlen(key));
		wbuf_put_u8(j->w, ':');
	}
	return true;
misuse:
	j->err = true;
	return false;
}

static void
json_open(struct json *j, const char *key, bool obj)
{
	if (!json_begin(j, key))
		return;
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->err = true;
		return;
	}
	j->depth++;
	j->first[j->depth] = true;
	j->is_obj[j->depth] = obj;
	wbuf_put_u8(j->w, obj ? '{' : '[');
}

static void
json_close(struct json *j, bool obj)
{
	if (j->err)
		return;
	if (j->depth == 0 || j->is_obj[j->depth] != obj) {
		j->err = true;
		return;
	}
	j->depth--;
	wbuf_put_u8(j->w, obj ? '}' : ']');
}

void
json_obj_open(struct json *j, const char *key)
{
	json_open(j, key, true);
}

void
json_obj_close(struct json *j)
{
	json_close(j, true);
}

void
json_arr_open(struct json *j, const char *key)
{
	json_open(j, key, false);
}

void
json_arr_close(struct json *j)
{
	json_close(j, false);
}

/* True for octets that go into a JSON string as they are. */
static inline bool
json_plain(uint8_t c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Write the escaped string body with quotes, no separator. */
static void
json_put_string(struct wbuf *w, const uint8_t *s, size_t len)
{
	size_t i, run, n;

	wbuf_put_u8(w, '"');
	for (i = 0; i < len; i += n) {
		/* Copy the longest run of printable ASCII at once. */
		for (run = 0; i + run < len && json_plain(s[i + run]); run++)
			;
		if (run > 0) {
			wbuf_put_bytes(w, s + i, run);
			n = run;
			continue;
		}
		n = 1;
		switch (s[i]) {
		case '"':
			wbuf_put_bytes(w, "\\\"", 2);
			continue;
		case '\\':
			wbuf_put_bytes(w, "\\\\", 2);
			continue;
		case '\n':
			wbuf_put_bytes(w, "\\n", 2);
			continue;
		case '\r':
			wbuf_put_bytes(w, "\\r", 2);
			continue;
		case '\t':
			wbuf_put_bytes(w, "\\t", 2);
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			static const char hex[] = "0123456789abcdef";
			char esc[6] = { '\\', 'u', '0', '0', hex[s[i] >> 4],
				hex[s[i] & 0xf] };

			wbuf_put_bytes(w, esc, sizeof(esc));
			continue;
		}
		n = utf8_seq_len(s + i, len - i);
		if (n == 0) {
			wbuf_put_bytes(w, "\\ufffd", 6);
			n = 1;
			continue;
		}
		wbuf_put_bytes(w, s + i, n);
	}
	wbuf_put_u8(w, '"');
}

/* Decimal digits of v, without printf: numbers are most of our output. */
static void
json_put_u64(struct wbuf *w, uint64_t v, bool neg)
{
	if (neg)
		wbuf_put_u8(w, '-');
	wbuf_put_dec(w, v);
}
void
json_strn(struct json *j, const char *key, const void *val, size_t len)
{
	if (!json_begin(j, key))
		return;
	json_put_string(j->w, val, len);
}

void
json_str(struct json *j, const char *key, const char *val)
{
	if (val == NULL) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, val, strlen(val));
}

void
json_uint(struct json *j, const char *key, uint64_t val)
{
	if (json_begin(j, key))
		json_put_u64(j->w, val, false);
}

void
json_int(struct json *j, const char *key, int64_t val)
{
	if (!json_begin(j, key))
		return;
	/* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
	if (val < 0)
		json_put_u64(j->w, 0 - (uint64_t)val, true);
	else
		json_put_u64(j->w, (uint64_t)val, false);
}

void
json_double(struct json *j, const char *key, double val, int prec)
{
	if (!isfinite(val)) {
		json_null(j, key);
		return;
	}
	if (json_begin(j, key))
		wbuf_printf(j->w, "%.*f", prec, val);
}

void
json_bool(struct json *j, const char *key, bool val)
{
	if (json_begin(j, key))
		wbuf_put_bytes(j->w, val ? "true" : "false", val ? 4 : 5);
}

void
json_null(struct json *j, const char *key)
{
	if (json_begin(j, key))
		wbuf_put_bytes(j->w, "null", 4);
}

void
json_hex(struct json *j, const char *key, const void *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = p;
	size_t i;

	if (!json_begin(j, key))
		return;
	wbuf_put_u8(j->w, '"');
	for (i = 0; i < len; i++) {
		wbuf_put_u8(j->w, hex[b[i] >> 4]);
		wbuf_put_u8(j->w, hex[b[i] & 0xf]);
	}
	wbuf_put_u8(j->w, '"');
}

void
json_raw(struct json *j, const char *key, const char *text, size_t len)
{
	if (json_begin(j, key))
		wbuf_put_bytes(j->w, text, len);
}

int
json_finish(struct json *j)
{
	if (j->depth != 0 || j->first[0])
		j->err = true;
	return json_error(j) ? -1 : 0;
}
