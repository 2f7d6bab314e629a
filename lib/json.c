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

static void json_put_key(struct wbuf *, const char *);

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
	if (key != NULL)
		json_put_key(j->w, key);
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

/*
 * Octets that go into a JSON string as they are (RFC 8259 §7: not the
 * quote, not the backslash, no control character; DEL is escaped too,
 * and octets from 0x80 up are checked as UTF-8 one sequence at a time).
 */
static inline bool
json_plain(uint8_t c)
{
	return (uint8_t)(c - 0x20) < 0x5f && c != '"' && c != '\\';
}

/* Length of the run of plain octets at the start of s. */
static inline size_t
json_plain_run(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len && json_plain(s[i]))
		i++;
	return i;
}

/* Write one octet (or UTF-8 sequence) that is not plain; its length. */
static size_t
json_put_escape(struct wbuf *w, const uint8_t *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n;

	switch (s[0]) {
	case '"':
		wbuf_put_bytes(w, "\\\"", 2);
		return 1;
	case '\\':
		wbuf_put_bytes(w, "\\\\", 2);
		return 1;
	case '\n':
		wbuf_put_bytes(w, "\\n", 2);
		return 1;
	case '\r':
		wbuf_put_bytes(w, "\\r", 2);
		return 1;
	case '\t':
		wbuf_put_bytes(w, "\\t", 2);
		return 1;
	}
	if (s[0] < 0x20 || s[0] == 0x7f) {
		char esc[6] = { '\\', 'u', '0', '0', hex[s[0] >> 4],
			hex[s[0] & 0xf] };

		wbuf_put_bytes(w, esc, sizeof(esc));
		return 1;
	}
	if ((n = utf8_seq_len(s, len)) == 0) {
		wbuf_put_bytes(w, "\\ufffd", 6);
		return 1;
	}
	wbuf_put_bytes(w, s, n);
	return n;
}

/* Write the escaped string body with quotes, no separator. */
static void
json_put_string(struct wbuf *w, const uint8_t *s, size_t len)
{
	size_t i, run;

	wbuf_put_u8(w, '"');
	for (i = 0; i < len;) {
		/* Copy the longest run of printable ASCII at once. */
		if ((run = json_plain_run(s + i, len - i)) > 0) {
			wbuf_put_bytes(w, s + i, run);
			i += run;
		} else
			i += json_put_escape(w, s + i, len - i);
	}
	wbuf_put_u8(w, '"');
}

/*
 * A key and its colon: keys are short constants that need no escaping,
 * so the common case is a copy between quotes, with no escape walk.
 */
static void
json_put_key(struct wbuf *w, const char *key)
{
	size_t len;

	/* One pass: the length, as long as every octet is plain. */
	for (len = 0; key[len] != '\0' && json_plain((uint8_t)key[len]); len++)
		;
	if (key[len] == '\0') {
		wbuf_put_u8(w, '"');
		wbuf_put_bytes(w, key, len);
		wbuf_put_bytes(w, "\":", 2);
		return;
	}
	json_put_string(w, (const uint8_t *)key, len + strlen(key + len));
	wbuf_put_u8(w, ':');
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
