/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The configuration of a watch (struct watch_conf): building it line by
 * line, the normalised copy the engine keeps (lists sorted, duplicates
 * folded), and the comparison a reload uses. See watch.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watch_int.h"

void
watch_conf_init(struct watch_conf *c, const char *name)
{
	memset(c, 0, sizeof(*c));
	if (name != NULL)
		strlcpy(c->name, name, sizeof(c->name));
	c->hold_down = WATCH_HOLD_DOWN_DEFAULT;
	c->min_peers = WATCH_MIN_PEERS_DEFAULT;
}

void
watch_conf_free(struct watch_conf *c)
{
	free(c->prefixes);
	free(c->origin_as);
	free(c->expect_origin);
	free(c->expect_upstream);
	free(c->ignore);
	free(c->prefix_file);
	c->prefixes = NULL;
	c->origin_as = c->expect_origin = c->expect_upstream = NULL;
	c->ignore = NULL;
	c->prefix_file = NULL;
	c->nprefixes = c->norigin_as = c->nexpect_origin = 0;
	c->nexpect_upstream = c->nignore = 0;
}

/*
 * The capacity of a list of n elements grown only by watch_grow(): 0, or
 * the smallest power of two from 4 up that holds n.
 */
static size_t
watch_conf_cap(size_t n)
{
	size_t cap = 4;

	if (n == 0)
		return 0;
	while (cap < n)
		cap *= 2;
	return cap;
}

static void
watch_conf_add_as(uint32_t **list, size_t *n, uint32_t as)
{
	size_t cap = watch_conf_cap(*n);

	watch_grow(list, &cap, *n + 1, sizeof(**list));
	(*list)[(*n)++] = as;
}

int
watch_conf_add_prefix(
    struct watch_conf *c, const struct prefix *p, enum watch_match match)
{
	size_t cap = watch_conf_cap(c->nprefixes);

	if ((match != WATCH_MATCH_EXACT && match != WATCH_MATCH_OR_LONGER) ||
	    (p->afi != AFI_IPV4 && p->afi != AFI_IPV6) ||
	    p->len > (p->afi == AFI_IPV4 ? 32 : 128))
		return -1;
	watch_grow(&c->prefixes, &cap, c->nprefixes + 1, sizeof(*c->prefixes));
	c->prefixes[c->nprefixes].prefix = *p;
	prefix_mask(&c->prefixes[c->nprefixes].prefix);
	c->prefixes[c->nprefixes].match = match;
	c->nprefixes++;
	return 0;
}

void
watch_conf_add_origin_as(struct watch_conf *c, uint32_t as)
{
	watch_conf_add_as(&c->origin_as, &c->norigin_as, as);
}

void
watch_conf_add_expect_origin(struct watch_conf *c, uint32_t as)
{
	watch_conf_add_as(&c->expect_origin, &c->nexpect_origin, as);
}

void
watch_conf_add_expect_upstream(struct watch_conf *c, uint32_t as)
{
	watch_conf_add_as(&c->expect_upstream, &c->nexpect_upstream, as);
}

void
watch_conf_add_ignore(struct watch_conf *c, uint8_t afi, const uint8_t *addr)
{
	size_t cap = watch_conf_cap(c->nignore);

	watch_grow(&c->ignore, &cap, c->nignore + 1, sizeof(*c->ignore));
	memset(&c->ignore[c->nignore], 0, sizeof(c->ignore[0]));
	c->ignore[c->nignore].afi = afi;
	memcpy(c->ignore[c->nignore].addr, addr, afi == AFI_IPV4 ? 4 : 16);
	c->nignore++;
}

static int
watch_conf_as_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Order by prefix, or-longer before exact, so folding keeps or-longer. */
static int
watch_conf_line_cmp(const void *a, const void *b)
{
	const struct watch_conf_prefix *x = a, *y = b;
	int c;

	if ((c = prefix_cmp(&x->prefix, &y->prefix)) != 0)
		return c;
	return x->match == y->match             ? 0
	    : x->match == WATCH_MATCH_OR_LONGER ? -1
	                                        : 1;
}

static int
watch_conf_addr_cmp(const void *a, const void *b)
{
	const struct watch_conf_addr *x = a, *y = b;

	if (x->afi != y->afi)
		return x->afi < y->afi ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* Lines are the same watch line when their prefixes are equal. */
static int
watch_conf_line_same(const void *a, const void *b)
{
	const struct watch_conf_prefix *x = a, *y = b;

	return prefix_cmp(&x->prefix, &y->prefix);
}

/*
 * Copy n elements of src sorted by cmp, keeping the first of each run
 * that same calls equal (0); returns how many were kept.
 */
static size_t
watch_conf_sorted(void **dst, const void *src, size_t n, size_t size,
    int (*cmp)(const void *, const void *),
    int (*same)(const void *, const void *))
{
	uint8_t *d;
	size_t i, k = 0;

	*dst = NULL;
	if (n == 0)
		return 0;
	if ((d = malloc(n * size)) == NULL)
		watch_fatal(__func__, "out of memory");
	memcpy(d, src, n * size);
	qsort(d, n, size, cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && same(d + (k - 1) * size, d + i * size) == 0)
			continue;
		if (k != i)
			memcpy(d + k * size, d + i * size, size);
		k++;
	}
	*dst = d;
	return k;
}

void
watch_conf_norm(struct watch_conf *dst, const struct watch_conf *src)
{
	void *v;

	watch_conf_init(dst, src->name);
	dst->hold_down = src->hold_down;
	dst->min_peers = src->min_peers;
	if (src->prefix_file != NULL &&
	    (dst->prefix_file = strdup(src->prefix_file)) == NULL)
		watch_fatal(__func__, "out of memory");
	dst->nprefixes = watch_conf_sorted(&v, src->prefixes, src->nprefixes,
	    sizeof(*src->prefixes), watch_conf_line_cmp, watch_conf_line_same);
	dst->prefixes = v;
	dst->norigin_as = watch_conf_sorted(&v, src->origin_as, src->norigin_as,
	    sizeof(uint32_t), watch_conf_as_cmp, watch_conf_as_cmp);
	dst->origin_as = v;
	dst->nexpect_origin =
	    watch_conf_sorted(&v, src->expect_origin, src->nexpect_origin,
	        sizeof(uint32_t), watch_conf_as_cmp, watch_conf_as_cmp);
	dst->expect_origin = v;
	dst->nexpect_upstream =
	    watch_conf_sorted(&v, src->expect_upstream, src->nexpect_upstream,
	        sizeof(uint32_t), watch_conf_as_cmp, watch_conf_as_cmp);
	dst->expect_upstream = v;
	dst->nignore = watch_conf_sorted(&v, src->ignore, src->nignore,
	    sizeof(*src->ignore), watch_conf_addr_cmp, watch_conf_addr_cmp);
	dst->ignore = v;
}

bool
watch_conf_same(const struct watch_conf *a, const struct watch_conf *b)
{
	size_t i;

	if (strcmp(a->name, b->name) != 0 || a->hold_down != b->hold_down ||
	    a->min_peers != b->min_peers || a->nprefixes != b->nprefixes ||
	    a->norigin_as != b->norigin_as ||
	    a->nexpect_origin != b->nexpect_origin ||
	    a->nexpect_upstream != b->nexpect_upstream ||
	    a->nignore != b->nignore)
		return false;
	for (i = 0; i < a->nprefixes; i++)
		if (watch_conf_line_cmp(&a->prefixes[i], &b->prefixes[i]) != 0)
			return false;
	return (a->norigin_as == 0 ||
	           memcmp(a->origin_as, b->origin_as,
	               a->norigin_as * sizeof(uint32_t)) == 0) &&
	    (a->nexpect_origin == 0 ||
	        memcmp(a->expect_origin, b->expect_origin,
	            a->nexpect_origin * sizeof(uint32_t)) == 0) &&
	    (a->nexpect_upstream == 0 ||
	        memcmp(a->expect_upstream, b->expect_upstream,
	            a->nexpect_upstream * sizeof(uint32_t)) == 0) &&
	    (a->nignore == 0 ||
	        memcmp(a->ignore, b->ignore, a->nignore * sizeof(*a->ignore)) ==
	            0);
}

bool
watch_conf_equal(const struct watch_conf *a, const struct watch_conf *b)
{
	struct watch_conf na, nb;
	bool eq;

	watch_conf_norm(&na, a);
	watch_conf_norm(&nb, b);
	eq = watch_conf_same(&na, &nb);
	watch_conf_free(&na);
	watch_conf_free(&nb);
	return eq;
}
