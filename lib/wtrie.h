/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * A path-compressed binary trie of IPv4 and IPv6 prefixes, each holding
 * one user pointer: the index lib/watch uses to find, for any route, every
 * watched prefix that covers it in O(prefix length) without allocating.
 * A large IPv4 trie gets a direct table of its /16s to skip the top.
 *
 * Public: wtrie_init(), wtrie_free(), wtrie_insert(), wtrie_get(),
 *         wtrie_match(), wtrie_walk(), wtrie_count(), wtrie_mem().
 */
#ifndef BGPWATCH_WTRIE_H
#define BGPWATCH_WTRIE_H

#include <stddef.h>
#include <stdint.h>

#include "prefix.h"

/* Most values wtrie_match() can return: one per length 0..128. */
#define WTRIE_MAXMATCH 129

struct wtrie_node;

struct wtrie {
	struct wtrie_node *root[2]; /* IPv4, IPv6 */
	size_t nodes; /* including glue nodes (no value of their own) */
	size_t nodes4; /* ... of them IPv4 */
	/*
	 * Once the IPv4 trie is large: per /16, where a lookup of a prefix
	 * of 16 bits or more starts (skipping the top levels, each a cache
	 * miss), and whether values above it force a walk from the root.
	 */
	struct wtrie_node **top;
	uint8_t *topanc;
};

typedef void (*wtrie_free_cb)(void *val);
/* Return 0 to go on, anything else to stop the walk. */
typedef int (*wtrie_walk_cb)(void *arg, const struct prefix *p, void *val);

/* Make t an empty trie. */
void wtrie_init(struct wtrie *t);
/*
 * Free every node of t, calling freeval (if not NULL) on each non-NULL
 * value first; t is empty afterwards and may be reused.
 */
void wtrie_free(struct wtrie *t, wtrie_free_cb freeval);
/*
 * The value slot of p (which must be masked and of AFI_IPV4 or AFI_IPV6),
 * creating the node if needed; a new slot holds NULL. The caller stores
 * its pointer there; the slot stays valid until wtrie_free(). Nodes are
 * never removed one by one. Never returns NULL (out of memory ends the
 * process).
 */
void **wtrie_insert(struct wtrie *t, const struct prefix *p);
/* The value stored at exactly p, or NULL. */
void *wtrie_get(const struct wtrie *t, const struct prefix *p);
/*
 * Store into vals[0..] the non-NULL values of every prefix that covers p
 * (p itself included), shortest first, and return how many. max must be
 * at least WTRIE_MAXMATCH to be sure of every match. No allocation.
 */
size_t wtrie_match(
    const struct wtrie *t, const struct prefix *p, void **vals, size_t max);
/*
 * Hand every non-NULL value of family afi to cb(arg, prefix, value) in
 * prefix_cmp() order. cb must not insert. Returns the number handed over.
 */
size_t
wtrie_walk(const struct wtrie *t, uint8_t afi, wtrie_walk_cb cb, void *arg);
/* Number of nodes holding a non-NULL value (counted by a walk). */
size_t wtrie_count(const struct wtrie *t);
/* Bytes held by the nodes. */
size_t wtrie_mem(const struct wtrie *t);

#endif
