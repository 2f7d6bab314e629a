/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Fuzz target for the control socket's JSON parser (bgpd/ctljson.c): the
 * input is one request line as a client could send it.
 *
 * Invariants: a refused input leaves nothing behind and its error names an
 * offset within the input; an accepted one has a tree whose counts match
 * its lists, whose strings are NUL-free, and which, written back with the
 * JSON writer of lib/json, is valid JSON (fuzz_json_valid()) that parses
 * into the same tree.
 *
 * Public: LLVMFuzzerTestOneInput().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctljson.h"
#include "fuzz_check.h"
#include "json.h"
#include "wbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write v back (key: its member name, NULL in arrays); its depth. */
static int
fuzz_write(const struct ctljson_val *v, struct json *j, const char *key)
{
	const char *sign = v->negative ? "-" : "";
	const struct ctljson_val *c;
	int d, deepest = 0;
	char num[32];
	size_t n;

	switch (v->type) {
	case CTLJSON_NULL:
		json_null(j, key);
		return 0;
	case CTLJSON_BOOL:
		json_bool(j, key, v->b);
		return 0;
	case CTLJSON_NUMBER:
		/* The text of a real is not kept: any real will do. */
		if (!v->integer)
			snprintf(num, sizeof(num), "%s0.5", sign);
		else if (v->overflow)
			snprintf(
			    num, sizeof(num), "%s99999999999999999999", sign);
		else
			snprintf(num, sizeof(num), "%s%llu", sign,
			    (unsigned long long)v->mag);
		json_raw(j, key, num, strlen(num));
		return 0;
	case CTLJSON_STRING:
		fuzz_require(strlen(v->str) == v->len, "string length");
		json_str(j, key, v->str);
		return 0;
	case CTLJSON_ARRAY:
	case CTLJSON_OBJECT:
		break;
	}
	if (v->type == CTLJSON_OBJECT)
		json_obj_open(j, key);
	else
		json_arr_open(j, key);
	for (c = v->child, n = 0; c != NULL; c = c->next, n++) {
		fuzz_require((c->key != NULL) == (v->type == CTLJSON_OBJECT),
		    "member names exactly in objects");
		if ((d = fuzz_write(c, j, c->key)) > deepest)
			deepest = d;
	}
	fuzz_require(n == v->len, "element count");
	if (v->type == CTLJSON_OBJECT)
		json_obj_close(j);
	else
		json_arr_close(j);
	return deepest + 1;
}

/* The same tree (reals compared by kind only). */
static bool
fuzz_same(const struct ctljson_val *a, const struct ctljson_val *b)
{
	const struct ctljson_val *x, *y;

	if (a->type != b->type || a->len != b->len ||
	    (a->key == NULL) != (b->key == NULL) ||
	    (a->key != NULL && strcmp(a->key, b->key) != 0))
		return false;
	switch (a->type) {
	case CTLJSON_NULL:
		return true;
	case CTLJSON_BOOL:
		return a->b == b->b;
	case CTLJSON_NUMBER:
		return a->integer == b->integer && a->negative == b->negative &&
		    a->overflow == b->overflow && a->mag == b->mag;
	case CTLJSON_STRING:
		return strcmp(a->str, b->str) == 0;
	case CTLJSON_ARRAY:
	case CTLJSON_OBJECT:
		break;
	}
	for (x = a->child, y = b->child; x != NULL && y != NULL;
	     x = x->next, y = y->next)
		if (!fuzz_same(x, y))
			return false;
	return x == NULL && y == NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctljson_doc d, again;
	unsigned long off;
	char err[160];
	struct wbuf w;
	struct json j;
	int depth;

	if (ctljson_parse(&d, (const char *)data, size, err, sizeof(err)) ==
	    -1) {
		fuzz_require(d.root == NULL && d.vals == NULL && d.text == NULL,
		    "nothing kept after an error");
		fuzz_require(
		    sscanf(err, "offset %lu:", &off) == 1 && off <= size,
		    "the error names an offset inside the input");
		return 0;
	}
	fuzz_require(d.root != NULL && d.root->key == NULL, "a root value");
	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	depth = fuzz_write(d.root, &j, NULL);
	/* lib/json nests 31 deep, the parser 32: the deepest cannot go back. */
	if (depth < JSON_MAX_DEPTH) {
		fuzz_require(json_finish(&j) == 0, "written back");
		fuzz_require(fuzz_json_valid(wbuf_data(&w), wbuf_len(&w)),
		    "written back as valid JSON");
		fuzz_require(ctljson_parse(&again, (const char *)wbuf_data(&w),
		                 wbuf_len(&w), err, sizeof(err)) == 0,
		    "what was written back parses");
		fuzz_require(fuzz_same(d.root, again.root), "the same tree");
		ctljson_free(&again);
	}
	wbuf_free(&w);
	ctljson_free(&d);
	return 0;
}
