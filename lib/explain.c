/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Byte-range narration for teaching; see explain.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

void
explain_init(struct explain *ex, const uint8_t *base)
{
	memset(ex, 0, sizeof(*ex));
	ex->base = base;
}

void
explain_free(struct explain *ex)
{
	free(ex->items);
	ex->items = NULL;
	ex->n = ex->cap = 0;
}

void
explain_addf(
    struct explain *ex, const uint8_t *p, size_t len, const char *fmt, ...)
{
	struct explain_item *it;
	va_list ap;

	if (ex == NULL || ex->err)
		return;
	if (ex->n == ex->cap) {
		size_t ncap = ex->cap ? ex->cap * 2 : 64;

		it = reallocarray(ex->items, ncap, sizeof(*it));
		if (it == NULL) {
			ex->err = 1;
			return;
		}
		ex->items = it;
		ex->cap = ncap;
	}
	it = &ex->items[ex->n++];
	it->off = (size_t)(p - ex->base);
	it->len = len;
	it->depth = ex->depth;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof(it->text), fmt, ap);
	va_end(ap);
}

void
explain_push(struct explain *ex)
{
	if (ex != NULL)
		ex->depth++;
}

void
explain_pop(struct explain *ex)
{
	if (ex != NULL && ex->depth > 0)
		ex->depth--;
}
