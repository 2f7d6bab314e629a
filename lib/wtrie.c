/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The watch prefix trie; see wtrie.h.
 *
 * A node stores its whole (masked) prefix, so a lookup compares the bits
 * of each node on the way down once and never backtracks: at most one
 * node per prefix length, hence O(length). Where two stored prefixes
 * diverge a glue node (no value) holds their common part. Prefixes are
 * only ever added; a reload builds a new trie.
 *
 * A lookup of a random route in a trie of 100,000 prefixes visits some
 * twenty nodes, each a cache miss. Beyond WTRIE_TOP_MIN IPv4 nodes a
 * table of the 65,536 /16s records where the walk of a prefix of at least
 * 16 bits would first reach a node of 16 bits or more, unless a value
 * sits above it: then the walk starts at the root as before.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wtrie.h"

#define WTRIE_TOP_MIN 1024
#define WTRIE_TOP_SLOTS 65536

struct wtrie_node {
	struct wtrie_node *child[2];
	void *val;
	struct prefix p;
	bool glue; /* made for a divergence, not asked for */
};

static void
wtrie_fatal(const char *fn, const char *what)
{
	fprintf(stderr, "%s: %s\n", fn, what);
	abort();
}

/* Bit i of addr, counting from the most significant bit of addr[0]. */
static unsigned
wtrie_bit(const uint8_t *addr, unsigned i)
{
	return (addr[i >> 3] >> (7 - (i & 7))) & 1;
}

/* True when n's prefix covers p (same family checked by the caller). */
static int
wtrie_covers(const struct wtrie_node *n, const struct prefix *p)
{
	unsigned full = n->p.len >> 3, rest = n->p.len & 7, i;

	if (n->p.len > p->len)
		return 0;
	for (i = 0; i < full; i++) /* short: a loop beats a call */
		if (n->p.addr[i] != p->addr[i])
			return 0;
	return rest == 0 ||
	    ((n->p.addr[full] ^ p->addr[full]) & (0xff << (8 - rest))) == 0;
}

/* Length of the common leading bits of a and b, at most max. */
static unsigned
wtrie_common(const uint8_t *a, const uint8_t *b, unsigned max)
{
	unsigned i = 0;

	while (
	    i < max && (i & 7) == 0 && i + 8 <= max && a[i >> 3] == b[i >> 3])
		i += 8;
	while (i < max && wtrie_bit(a, i) == wtrie_bit(b, i))
		i++;
	return i;
}

static struct wtrie_node *
wtrie_node_new(struct wtrie *t, const struct prefix *p, unsigned len)
{
	struct wtrie_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		wtrie_fatal(__func__, "out of memory");
	n->p = *p;
	n->p.len = (uint8_t)len;
	prefix_mask(&n->p);
	t->nodes++;
	if (p->afi == AFI_IPV4)
		t->nodes4++;
	return n;
}

static struct wtrie_node **
wtrie_rootp(const struct wtrie *t, uint8_t afi)
{
	if (afi != AFI_IPV4 && afi != AFI_IPV6)
		wtrie_fatal(__func__, "unknown address family");
	return (struct wtrie_node **)&t->root[afi == AFI_IPV6];
}

void
wtrie_init(struct wtrie *t)
{
	memset(t, 0, sizeof(*t));
}

/* The /16 slot of an IPv4 prefix of at least 16 bits. */
static unsigned
wtrie_slot(const struct prefix *p)
{
	return (unsigned)p->addr[0] << 8 | p->addr[1];
}

/* Recompute where lookups in /16 slot start. */
static void
wtrie_top_set(struct wtrie *t, unsigned slot)
{
	struct wtrie_node *n = t->root[0];
	struct prefix q;
	uint8_t anc = 0;

	memset(&q, 0, sizeof(q));
	q.afi = AFI_IPV4;
	q.len = 16;
	q.addr[0] = (uint8_t)(slot >> 8);
	q.addr[1] = (uint8_t)slot;
	while (n != NULL && n->p.len < 16) {
		if (!wtrie_covers(n, &q)) {
			n = NULL;
			break;
		}
		if (!n->glue) /* it holds, or is about to hold, a value */
			anc = 1;
		n = n->child[wtrie_bit(q.addr, n->p.len)];
	}
	t->top[slot] = n;
	t->topanc[slot] = anc;
}

/* Keep the table right after p was inserted (or build it). */
static void
wtrie_top_update(struct wtrie *t, const struct prefix *p)
{
	unsigned first, n, i;

	if (t->top == NULL) {
		if (t->nodes4 < WTRIE_TOP_MIN)
			return;
		if ((t->top = calloc(WTRIE_TOP_SLOTS, sizeof(*t->top))) ==
		        NULL ||
		    (t->topanc = calloc(WTRIE_TOP_SLOTS, 1)) == NULL)
			wtrie_fatal(__func__, "out of memory");
		for (i = 0; i < WTRIE_TOP_SLOTS; i++)
			wtrie_top_set(t, i);
		return;
	}
	if (p->len >= 16) {
		wtrie_top_set(t, wtrie_slot(p));
		return;
	}
	first = (unsigned)p->addr[0] << 8 | p->addr[1];
	n = 1u << (16 - p->len);
	for (i = 0; i < n; i++)
		wtrie_top_set(t, first + i);
}

static void
wtrie_free_node(struct wtrie_node *n, wtrie_free_cb freeval)
{
	if (n == NULL)
		return;
	wtrie_free_node(n->child[0], freeval);
	wtrie_free_node(n->child[1], freeval);
	if (n->val != NULL && freeval != NULL)
		freeval(n->val);
	free(n);
}

void
wtrie_free(struct wtrie *t, wtrie_free_cb freeval)
{
	wtrie_free_node(t->root[0], freeval);
	wtrie_free_node(t->root[1], freeval);
	free(t->top);
	free(t->topanc);
	wtrie_init(t);
}

/* The node of p, created (with glue) if needed; *fresh when it was. */
static struct wtrie_node *
wtrie_insert_node(struct wtrie *t, const struct prefix *p, bool *fresh)
{
	struct wtrie_node **link = wtrie_rootp(t, p->afi), *n, *m, *g;
	unsigned common, max;

	*fresh = true;
	while ((n = *link) != NULL) {
		if (wtrie_covers(n, p)) {
			if (n->p.len == p->len) {
				*fresh = n->glue;
				n->glue = false;
				return n;
			}
			link = &n->child[wtrie_bit(p->addr, n->p.len)];
			continue;
		}
		max = n->p.len < p->len ? n->p.len : p->len;
		common = wtrie_common(n->p.addr, p->addr, max);
		m = wtrie_node_new(t, p, p->len);
		if (common == p->len) {
			/* p covers n: p goes in between. */
			m->child[wtrie_bit(n->p.addr, p->len)] = n;
			*link = m;
			return m;
		}
		g = wtrie_node_new(t, p, common);
		g->glue = true;
		g->child[wtrie_bit(p->addr, common)] = m;
		g->child[wtrie_bit(n->p.addr, common)] = n;
		*link = g;
		return m;
	}
	*link = wtrie_node_new(t, p, p->len);
	return *link;
}

void **
wtrie_insert(struct wtrie *t, const struct prefix *p)
{
	struct wtrie_node *n;
	bool fresh;

	n = wtrie_insert_node(t, p, &fresh);
	/*
	 * A new node (or a glue node now asked for) changes starts and is
	 * about to hold a value: recompute its slots.
	 */
	if (p->afi == AFI_IPV4 && fresh)
		wtrie_top_update(t, p);
	return &n->val;
}

void *
wtrie_get(const struct wtrie *t, const struct prefix *p)
{
	const struct wtrie_node *n = *wtrie_rootp(t, p->afi);

	/* Whatever lies above the /16, p is below the start. */
	if (t->top != NULL && p->afi == AFI_IPV4 && p->len >= 16)
		n = t->top[wtrie_slot(p)];
	while (n != NULL && wtrie_covers(n, p)) {
		if (n->p.len == p->len)
			return n->val;
		n = n->child[wtrie_bit(p->addr, n->p.len)];
	}
	return NULL;
}

size_t
wtrie_match(
    const struct wtrie *t, const struct prefix *p, void **vals, size_t max)
{
	const struct wtrie_node *n = *wtrie_rootp(t, p->afi);
	size_t k = 0;

	if (t->top != NULL && p->afi == AFI_IPV4 && p->len >= 16 &&
	    !t->topanc[wtrie_slot(p)])
		n = t->top[wtrie_slot(p)];
	while (n != NULL && wtrie_covers(n, p)) {
		if (n->val != NULL && k < max)
			vals[k++] = n->val;
		if (n->p.len == p->len)
			break;
		n = n->child[wtrie_bit(p->addr, n->p.len)];
	}
	return k;
}

struct wtrie_walk {
	wtrie_walk_cb cb;
	void *arg;
	size_t n;
	int stop;
};

/* Pre-order: a node sorts before everything below it (prefix_cmp()). */
static void
wtrie_walk_node(const struct wtrie_node *n, struct wtrie_walk *ww)
{
	if (n == NULL || ww->stop)
		return;
	if (n->val != NULL) {
		ww->n++;
		if (ww->cb != NULL && ww->cb(ww->arg, &n->p, n->val) != 0) {
			ww->stop = 1;
			return;
		}
	}
	wtrie_walk_node(n->child[0], ww);
	wtrie_walk_node(n->child[1], ww);
}

size_t
wtrie_walk(const struct wtrie *t, uint8_t afi, wtrie_walk_cb cb, void *arg)
{
	struct wtrie_walk ww = { cb, arg, 0, 0 };

	wtrie_walk_node(*wtrie_rootp(t, afi), &ww);
	return ww.n;
}

size_t
wtrie_count(const struct wtrie *t)
{
	return wtrie_walk(t, AFI_IPV4, NULL, NULL) +
	    wtrie_walk(t, AFI_IPV6, NULL, NULL);
}

size_t
wtrie_mem(const struct wtrie *t)
{
	return t->nodes * sizeof(struct wtrie_node) +
	    (t->top != NULL ? WTRIE_TOP_SLOTS * (sizeof(*t->top) + 1) : 0);
}
