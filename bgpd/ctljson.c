/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The control socket's JSON parser; see ctljson.h for the contract. A
 * recursive descent over an rbuf builds nodes that refer to each other by
 * index (the arrays grow while parsing); once the document is complete
 * the indexes become the pointers of struct ctljson_val.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctljson.h"
#include "rbuf.h"
#include "utf8.h"

/* A value while parsing: links are indexes into the node array. */
struct ctljson_node {
	enum ctljson_type type;
	bool b, integer, negative, overflow;
	uint64_t mag;
	size_t str; /* offset into the text, or NONE */
	size_t key;
	size_t len;
	size_t child; /* 0: none (the root is never anybody's child) */
	size_t next;
};

#define CTLJSON_NONE ((size_t)-1)

struct ctljson_parser {
	struct rbuf r;
	const uint8_t *start;
	struct ctljson_node *nodes;
	size_t nnodes, capnodes;
	char *text;
	size_t ntext, captext;
	char *err;
	size_t errlen;
	bool failed;
};

static int ctljson_value(struct ctljson_parser *, unsigned, size_t *);

/* Record the first error with the offset where reading stopped. */
static int __attribute__((format(printf, 2, 3)))
ctljson_fail(struct ctljson_parser *p, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "offset %zu: %s",
	    (size_t)(rbuf_ptr(&p->r) - p->start), msg);
	return -1;
}

/* Double *cap until n more elements of size fit; out of memory is fatal. */
static void *
ctljson_grow(void *arr, size_t *cap, size_t used, size_t n, size_t size)
{
	size_t want = *cap == 0 ? 64 : *cap;
	void *na;

	while (want - used < n)
		want *= 2;
	if (want == *cap)
		return arr;
	if ((na = reallocarray(arr, want, size)) == NULL) {
		fprintf(stderr, "ctljson_grow: out of memory\n");
		abort();
	}
	*cap = want;
	return na;
}

static size_t
ctljson_node_new(struct ctljson_parser *p, enum ctljson_type type)
{
	struct ctljson_node *n;

	p->nodes = ctljson_grow(
	    p->nodes, &p->capnodes, p->nnodes, 1, sizeof(*p->nodes));
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->str = n->key = CTLJSON_NONE;
	return p->nnodes++;
}

static void
ctljson_text_put(struct ctljson_parser *p, const void *bytes, size_t n)
{
	p->text = ctljson_grow(p->text, &p->captext, p->ntext, n, 1);
	memcpy(p->text + p->ntext, bytes, n);
	p->ntext += n;
}

/* RFC 8259 §2: insignificant whitespace. */
static void
ctljson_ws(struct ctljson_parser *p)
{
	uint8_t c;

	while (rbuf_peek_u8(&p->r, &c) == 0 &&
	    (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
		if (rbuf_skip(&p->r, 1) == -1)
			break;
}

/* Consume c if it is next; 0, or -1 with nothing consumed. */
static int
ctljson_accept(struct ctljson_parser *p, uint8_t c)
{
	uint8_t v;

	if (rbuf_peek_u8(&p->r, &v) == -1 || v != c)
		return -1;
	return rbuf_skip(&p->r, 1);
}

/* Four hex digits of a \u escape (RFC 8259 §7). */
static int
ctljson_hex4(struct ctljson_parser *p, uint32_t *cp)
{
	uint8_t c;
	int i;

	*cp = 0;
	for (i = 0; i < 4; i++) {
		if (rbuf_get_u8(&p->r, &c) == -1)
			return ctljson_fail(p, "unexpected end in \\u escape");
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return ctljson_fail(p, "bad hex digit in \\u escape");
		*cp = *cp << 4 | c;
	}
	return 0;
}

/* Append code point cp (not a surrogate, not 0) as UTF-8. */
static void
ctljson_put_utf8(struct ctljson_parser *p, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	ctljson_text_put(p, b, n);
}

/* \uXXXX, with a UTF-16 surrogate pair joined (RFC 8259 §7). */
static int
ctljson_escape_u(struct ctljson_parser *p)
{
	uint32_t cp, lo;

	if (ctljson_hex4(p, &cp) == -1)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return ctljson_fail(p, "lone low surrogate \\u%04x", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ctljson_accept(p, '\\') == -1 ||
		    ctljson_accept(p, 'u') == -1)
			return ctljson_fail(
			    p, "lone high surrogate \\u%04x", cp);
		if (ctljson_hex4(p, &lo) == -1)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return ctljson_fail(p,
			    "high surrogate \\u%04x not "
			    "followed by a low one",
			    cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return ctljson_fail(p, "U+0000 in a string");
	ctljson_put_utf8(p, cp);
	return 0;
}

static int
ctljson_escape(struct ctljson_parser *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	uint8_t c;

	if (rbuf_get_u8(&p->r, &c) == -1)
		return ctljson_fail(p, "unexpected end in an escape");
	if (c == 'u')
		return ctljson_escape_u(p);
	if (c == '\0' || (e = strchr(from, c)) == NULL)
		return ctljson_fail(p, "bad escape \\%c", c < 0x20 ? '?' : c);
	ctljson_text_put(p, &to[e - from], 1);
	return 0;
}

/*
 * One UTF-8 sequence led by c >= 0x80 (RFC 3629 §4): no overlong forms,
 * no surrogates, nothing past U+10FFFF.
 */
static int
ctljson_utf8(struct ctljson_parser *p, uint8_t c)
{
	uint8_t seq[4], b;
	size_t n, i;

	if ((n = utf8_lead_len(c)) < 2)
		return ctljson_fail(p, "invalid UTF-8 byte 0x%02x", c);
	seq[0] = c;
	for (i = 1; i < n; i++) {
		if (rbuf_peek_u8(&p->r, &b) == -1 || (b & 0xc0) != 0x80 ||
		    rbuf_skip(&p->r, 1) == -1)
			return ctljson_fail(p, "truncated UTF-8 sequence");
		seq[i] = b;
	}
	/* The framing is right; the code point may still be out of range. */
	if (utf8_seq_len(seq, n) != n)
		return ctljson_fail(p, "invalid UTF-8 sequence");
	ctljson_text_put(p, seq, n);
	return 0;
}

/* A string after its opening quote; *off is where its text starts. */
static int
ctljson_string(struct ctljson_parser *p, size_t *off, size_t *len)
{
	uint8_t c;

	*off = p->ntext;
	for (;;) {
		if (rbuf_get_u8(&p->r, &c) == -1)
			return ctljson_fail(p, "unterminated string");
		if (c == '"')
			break;
		if (c == '\\') {
			if (ctljson_escape(p) == -1)
				return -1;
		} else if (c < 0x20)
			return ctljson_fail(
			    p, "control character 0x%02x in a string", c);
		else if (c >= 0x80) {
			if (ctljson_utf8(p, c) == -1)
				return -1;
		} else
			ctljson_text_put(p, &c, 1);
	}
	*len = p->ntext - *off;
	ctljson_text_put(p, "", 1);
	return 0;
}

/* Consume a run of digits; returns how many, folding them into *mag. */
static size_t
ctljson_digits(struct ctljson_parser *p, uint64_t *mag, bool *overflow)
{
	size_t n = 0;
	uint8_t c;

	while (rbuf_peek_u8(&p->r, &c) == 0 && c >= '0' && c <= '9') {
		if (rbuf_skip(&p->r, 1) == -1)
			break;
		if (*mag > (UINT64_MAX - (c - '0')) / 10)
			*overflow = true;
		else
			*mag = *mag * 10 + (c - '0');
		n++;
	}
	return n;
}

/* RFC 8259 §6: -? int frac? exp? */
static int
ctljson_number(struct ctljson_parser *p, struct ctljson_node *n)
{
	uint64_t scratch = 0;
	bool ovf = false;
	uint8_t c;

	n->integer = true;
	n->negative = ctljson_accept(p, '-') == 0;
	if (ctljson_accept(p, '0') == 0) {
		if (rbuf_peek_u8(&p->r, &c) == 0 && c >= '0' && c <= '9')
			return ctljson_fail(p, "leading zero in a number");
	} else if (ctljson_digits(p, &n->mag, &n->overflow) == 0)
		return ctljson_fail(p, "digit expected");
	if (ctljson_accept(p, '.') == 0) {
		n->integer = false;
		if (ctljson_digits(p, &scratch, &ovf) == 0)
			return ctljson_fail(p, "digit expected after '.'");
	}
	if (ctljson_accept(p, 'e') == 0 || ctljson_accept(p, 'E') == 0) {
		n->integer = false;
		if (ctljson_accept(p, '+') == -1)
			(void)ctljson_accept(p, '-');
		if (ctljson_digits(p, &scratch, &ovf) == 0)
			return ctljson_fail(p, "digit expected in exponent");
	}
	if (!n->integer)
		n->overflow = false;
	if (!n->integer || n->overflow)
		n->mag = 0; /* only an integer that fits has a magnitude */
	return 0;
}

/* true, false or null; the first letter has been seen, not consumed. */
static int
ctljson_literal(struct ctljson_parser *p, size_t idx)
{
	static const struct {
		const char *word;
		enum ctljson_type type;
		bool b;
	} lit[] = {
		{ "true", CTLJSON_BOOL, true },
		{ "false", CTLJSON_BOOL, false },
		{ "null", CTLJSON_NULL, false },
	};
	struct rbuf save = p->r;
	uint8_t buf[5];
	size_t i, n;

	for (i = 0; i < sizeof(lit) / sizeof(lit[0]); i++) {
		n = strlen(lit[i].word);
		p->r = save;
		if (rbuf_get_bytes(&p->r, buf, n) == 0 &&
		    memcmp(buf, lit[i].word, n) == 0) {
			p->nodes[idx].type = lit[i].type;
			p->nodes[idx].b = lit[i].b;
			return 0;
		}
	}
	p->r = save;
	return ctljson_fail(p, "unknown literal");
}

/* Append node child to the members of container idx after *last (0: none). */
static void
ctljson_link(struct ctljson_parser *p, size_t idx, size_t *last, size_t child)
{
	if (*last == 0)
		p->nodes[idx].child = child;
	else
		p->nodes[*last].next = child;
	*last = child;
	p->nodes[idx].len++;
}

/* Members after '{' (which is consumed). */
static int
ctljson_object(struct ctljson_parser *p, unsigned depth, size_t idx)
{
	size_t last = 0, child, key, klen;

	ctljson_ws(p);
	if (ctljson_accept(p, '}') == 0)
		return 0;
	for (;;) {
		if (ctljson_accept(p, '"') == -1)
			return ctljson_fail(p, "member name expected");
		if (ctljson_string(p, &key, &klen) == -1)
			return -1;
		ctljson_ws(p);
		if (ctljson_accept(p, ':') == -1)
			return ctljson_fail(p, "':' expected after a name");
		if (ctljson_value(p, depth + 1, &child) == -1)
			return -1;
		p->nodes[child].key = key;
		ctljson_link(p, idx, &last, child);
		ctljson_ws(p);
		if (ctljson_accept(p, '}') == 0)
			return 0;
		if (ctljson_accept(p, ',') == -1)
			return ctljson_fail(p, "',' or '}' expected");
		ctljson_ws(p);
	}
}

/* Elements after '[' (which is consumed). */
static int
ctljson_array(struct ctljson_parser *p, unsigned depth, size_t idx)
{
	size_t last = 0, child;

	ctljson_ws(p);
	if (ctljson_accept(p, ']') == 0)
		return 0;
	for (;;) {
		if (ctljson_value(p, depth + 1, &child) == -1)
			return -1;
		ctljson_link(p, idx, &last, child);
		ctljson_ws(p);
		if (ctljson_accept(p, ']') == 0)
			return 0;
		if (ctljson_accept(p, ',') == -1)
			return ctljson_fail(p, "',' or ']' expected");
	}
}

/* Any value at nesting depth; *idx is its node. */
static int
ctljson_value(struct ctljson_parser *p, unsigned depth, size_t *idx)
{
	uint8_t c;

	ctljson_ws(p);
	if (rbuf_peek_u8(&p->r, &c) == -1)
		return ctljson_fail(p, "unexpected end of input");
	*idx = ctljson_node_new(p, CTLJSON_NULL);
	if (c == '{' || c == '[') {
		if (depth >= CTLJSON_MAX_DEPTH)
			return ctljson_fail(
			    p, "nested deeper than %d", CTLJSON_MAX_DEPTH);
		if (rbuf_skip(&p->r, 1) == -1)
			return -1;
		p->nodes[*idx].type = c == '{' ? CTLJSON_OBJECT : CTLJSON_ARRAY;
		return c == '{' ? ctljson_object(p, depth, *idx)
		                : ctljson_array(p, depth, *idx);
	}
	if (c == '"') {
		p->nodes[*idx].type = CTLJSON_STRING;
		if (rbuf_skip(&p->r, 1) == -1)
			return -1;
		return ctljson_string(
		    p, &p->nodes[*idx].str, &p->nodes[*idx].len);
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		p->nodes[*idx].type = CTLJSON_NUMBER;
		return ctljson_number(p, &p->nodes[*idx]);
	}
	if (c == 't' || c == 'f' || c == 'n')
		return ctljson_literal(p, *idx);
	if (c >= 0x20 && c < 0x7f)
		return ctljson_fail(p, "unexpected character '%c'", c);
	return ctljson_fail(p, "unexpected byte 0x%02x", c);
}

/* Turn the finished node array into the public values of d. */
static void
ctljson_publish(struct ctljson_parser *p, struct ctljson_doc *d)
{
	const struct ctljson_node *n;
	struct ctljson_val *v;
	size_t i;

	d->vals = calloc(p->nnodes, sizeof(*d->vals));
	if (d->vals == NULL) {
		fprintf(stderr, "ctljson_publish: out of memory\n");
		abort();
	}
	d->nvals = p->nnodes;
	d->text = p->text;
	p->text = NULL;
	for (i = 0; i < p->nnodes; i++) {
		n = &p->nodes[i];
		v = &d->vals[i];
		v->type = n->type;
		v->b = n->b;
		v->integer = n->integer;
		v->negative = n->negative;
		v->overflow = n->overflow;
		v->mag = n->mag;
		v->len = n->len;
		v->str = n->str == CTLJSON_NONE ? NULL : d->text + n->str;
		v->key = n->key == CTLJSON_NONE ? NULL : d->text + n->key;
		v->child = n->child == 0 ? NULL : &d->vals[n->child];
		v->next = n->next == 0 ? NULL : &d->vals[n->next];
	}
	d->root = &d->vals[0];
}

int
ctljson_parse(struct ctljson_doc *d, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct ctljson_parser p;
	size_t root;
	int rv = -1;

	memset(d, 0, sizeof(*d));
	memset(&p, 0, sizeof(p));
	rbuf_init(&p.r, text, len);
	p.start = (const uint8_t *)text;
	p.err = err;
	p.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	if (ctljson_value(&p, 0, &root) == 0) {
		ctljson_ws(&p);
		if (rbuf_left(&p.r) != 0)
			ctljson_fail(&p, "trailing characters after the value");
		else {
			ctljson_publish(&p, d);
			rv = 0;
		}
	}
	free(p.nodes);
	free(p.text);
	return rv;
}

void
ctljson_free(struct ctljson_doc *d)
{
	free(d->vals);
	free(d->text);
	memset(d, 0, sizeof(*d));
}

const struct ctljson_val *
ctljson_get(const struct ctljson_val *obj, const char *key)
{
	const struct ctljson_val *m;

	if (obj == NULL || obj->type != CTLJSON_OBJECT)
		return NULL;
	for (m = obj->child; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *
ctljson_str(const struct ctljson_val *v)
{
	return v != NULL && v->type == CTLJSON_STRING ? v->str : NULL;
}

int
ctljson_uint(const struct ctljson_val *v, uint64_t max, uint64_t *out)
{
	if (v == NULL || v->type != CTLJSON_NUMBER || !v->integer ||
	    v->overflow || (v->negative && v->mag != 0) || v->mag > max)
		return -1;
	*out = v->mag;
	return 0;
}

int
ctljson_bool(const struct ctljson_val *v, bool *out)
{
	if (v == NULL || v->type != CTLJSON_BOOL)
		return -1;
	*out = v->b;
	return 0;
}

const char *
ctljson_type_name(enum ctljson_type t)
{
	switch (t) {
	case CTLJSON_NULL:
		return "null";
	case CTLJSON_BOOL:
		return "boolean";
	case CTLJSON_NUMBER:
		return "number";
	case CTLJSON_STRING:
		return "string";
	case CTLJSON_ARRAY:
		return "array";
	case CTLJSON_OBJECT:
		return "object";
	}
	return "unknown";
}
