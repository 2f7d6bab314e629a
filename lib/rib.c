/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The Adj-RIB-In and its attribute interning table; see rib.h.
 *
 * Design, chosen for a full table from 20 peers in little memory:
 *
 * - Attribute sets are interned by content in one open-addressing hash
 *   table per daemon (linear probing, backward-shift deletion, load <= 0.8).
 *   A slot is 8 bytes: the 32-bit hash next to the set's id, so a probe
 *   rejects a mismatch without touching the set. Each set has a small
 *   integer id; routes store the 4-byte id instead of an 8-byte pointer,
 *   and the top bit of that word is the RFC 4724 stale mark.
 *
 * - Each AFI/SAFI of a peer is a B+tree keyed by (address, length, path
 *   id) as 64-bit words: IPv4 uses 2 words, IPv6 3. A leaf is one 1 KiB
 *   allocation holding 49 IPv4 or 35 IPv6 routes as parallel arrays of
 *   keys and ids, so a route costs 20 (IPv4) or 28 (IPv6) bytes divided by
 *   the fill factor, and no allocation of its own. Leaves are chained, so
 *   walks are sequential; the key order is prefix_cmp() order, which keeps
 *   "or-longer" ranges contiguous. A hash would make a random insert a
 *   little cheaper but needs a sort for every ordered query; a radix trie
 *   costs two pointers per node and one node per prefix, more than a whole
 *   leaf slot here.
 *
 * - Fill: a full leaf first hands routes to a sibling with room (as in a
 *   B*-tree), which keeps randomly ordered tables about 80% full; splits at
 *   either end of a node are biased so tables that arrive in order pack
 *   their leaves. Nodes under a third full are merged with or refilled from
 *   a sibling, so withdrawals give memory back.
 *
 * - Speed: an insert is bound by cache misses, so the descent prefetches
 *   the whole next node before searching it.
 *
 * - Cursors hold the last key, never a pointer, and reseek on every call:
 *   O(log n) per chunk, safe against any change between chunks.
 *
 * tests/bench/bench_rib.c, 1,000,000 IPv4 + 200,000 IPv6 prefixes with a
 * DFZ length mix and one ~60-byte set per 3 prefixes, random arrival: the
 * trees take 25 bytes per IPv4 and 36 per IPv6 route (21 and 30 in prefix
 * order); a set takes 96 bytes with its index share (plus malloc's
 * overhead); the heap grows by 74 MiB, 65 bytes a route all told, and
 * each further peer sharing the sets adds 27.5 bytes a route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib.h"

#define RIB_NODE_BYTES 1016 /* with malloc's header: one 1 KiB chunk */
#define RIB_MAXDEPTH 16
#define RIB_KW_MAX 3
#define RIB_STALE 0x80000000u /* stale mark in a stored id */
#define RIB_ID_MASK 0x7fffffffu
#define RIB_TAB_MIN 1024 /* hash slots, a power of two */

struct rib_attrtab {
	uint64_t *slot; /* hash << 32 | (id + 1); 0 is an empty slot */
	uint32_t mask; /* slots - 1 */
	uint32_t count;
	struct rib_attr **byid; /* NULL for a free id */
	uint32_t *freeid; /* stack of ids free for reuse */
	uint32_t nid; /* ids handed out since the table was empty */
	uint32_t idcap;
	uint32_t nfree;
	uint32_t freecap;
	size_t bytes; /* sets: headers and blobs */
};

/*
 * A B+tree node. Leaves: n keys of kw words, then n stored ids (uint32_t),
 * chained by prev/next in key order. Inner nodes: n separator keys, then
 * n + 1 children; child i holds the keys k with sep[i-1] <= k < sep[i].
 */
struct rib_node {
	struct rib_node *prev;
	struct rib_node *next;
	uint16_t n;
	uint16_t leaf;
	uint64_t k[];
};

struct rib_tree {
	struct rib_node *root;
	unsigned depth; /* levels; 0 when empty */
	unsigned kw; /* key words: 2 for IPv4, 3 for IPv6 */
	unsigned lcap; /* routes per leaf */
	unsigned icap; /* separators per inner node */
	size_t lpay; /* offset of the ids in a leaf */
	size_t ipay; /* offset of the children in an inner node */
	size_t lsize;
	size_t isize;
	size_t mem;
	uint64_t prefixes;
	uint64_t paths;
	uint64_t stale;
	uint16_t afi;
	uint8_t safi;
};

struct rib {
	struct rib_attrtab *tab;
	rib_delta_cb cb;
	void *arg;
	int busy; /* inside a callback: changes are a bug */
	struct rib_tree t[FAM_COUNT];
};

/*
 * A descent from the root: the child taken at each inner level, and the
 * position in the leaf at the last level.
 */
struct rib_path {
	struct rib_node *node[RIB_MAXDEPTH];
	unsigned idx[RIB_MAXDEPTH];
	unsigned depth;
};

static void __attribute__((noreturn))
rib_fatal(const char *fn, const char *what)
{
	fprintf(stderr, "%s: %s\n", fn, what);
	abort();
}

static void *
rib_alloc(size_t size, const char *fn)
{
	void *p;

	if ((p = calloc(1, size)) == NULL)
		rib_fatal(fn, "out of memory");
	return p;
}

static void *
rib_grow(void *p, size_t nmemb, size_t size, const char *fn)
{
	if ((p = reallocarray(p, nmemb, size)) == NULL)
		rib_fatal(fn, "out of memory");
	return p;
}

/*
 * Attribute interning.
 */

/* 64-bit multiply/xor-shift mix over 8-byte words, folded to 32 bits. */
uint32_t
rib_attr_hash(const void *bytes, size_t len)
{
	const uint8_t *p = bytes;
	const uint64_t m = 0x9e3779b97f4a7c15ULL;
	uint64_t h = (len + 1) * m, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		h = (h ^ w) * m;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

struct rib_attrtab *
rib_attrtab_new(void)
{
	struct rib_attrtab *tab = rib_alloc(sizeof(*tab), __func__);

	tab->slot = rib_alloc(RIB_TAB_MIN * sizeof(*tab->slot), __func__);
	tab->mask = RIB_TAB_MIN - 1;
	return tab;
}

void
rib_attrtab_free(struct rib_attrtab *tab)
{
	uint32_t i;

	if (tab == NULL)
		return;
	for (i = 0; i <= tab->mask; i++)
		if (tab->slot[i] != 0)
			free(tab->byid[(uint32_t)tab->slot[i] - 1]);
	free(tab->slot);
	free(tab->byid);
	free(tab->freeid);
	free(tab);
}

size_t
rib_attrtab_count(const struct rib_attrtab *tab)
{
	return tab->count;
}

size_t
rib_attrtab_bytes(const struct rib_attrtab *tab)
{
	return tab->bytes + ((size_t)tab->mask + 1) * sizeof(*tab->slot) +
	    (size_t)tab->idcap * sizeof(*tab->byid) +
	    (size_t)tab->freecap * sizeof(*tab->freeid);
}

/* Rehash into nslots slots (a power of two above the count). */
static void
rib_tab_resize(struct rib_attrtab *tab, uint32_t nslots)
{
	uint64_t *old = tab->slot;
	uint32_t i, j, oldn = tab->mask + 1;

	tab->slot = rib_alloc((size_t)nslots * sizeof(*tab->slot), __func__);
	tab->mask = nslots - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i] == 0)
			continue;
		j = (uint32_t)(old[i] >> 32) & tab->mask;
		while (tab->slot[j] != 0)
			j = (j + 1) & tab->mask;
		tab->slot[j] = old[i];
	}
	free(old);
}

static uint32_t
rib_tab_newid(struct rib_attrtab *tab)
{
	if (tab->nfree > 0)
		return tab->freeid[--tab->nfree];
	if (tab->nid == tab->idcap) {
		if (tab->idcap >= RIB_ID_MASK / 2)
			rib_fatal(__func__, "too many attribute sets");
		tab->idcap = tab->idcap == 0 ? 1024 : tab->idcap * 2;
		tab->byid = rib_grow(
		    tab->byid, tab->idcap, sizeof(*tab->byid), __func__);
	}
	return tab->nid++;
}

/* Give id back; an empty table forgets its ids and their arrays. */
static void
rib_tab_freeid(struct rib_attrtab *tab, uint32_t id)
{
	tab->byid[id] = NULL;
	if (tab->count == 0) {
		free(tab->byid);
		free(tab->freeid);
		tab->byid = NULL;
		tab->freeid = NULL;
		tab->nid = tab->idcap = tab->nfree = tab->freecap = 0;
		return;
	}
	if (tab->nfree == tab->freecap) {
		tab->freecap = tab->freecap == 0 ? 256 : tab->freecap * 2;
		tab->freeid = rib_grow(
		    tab->freeid, tab->freecap, sizeof(*tab->freeid), __func__);
	}
	tab->freeid[tab->nfree++] = id;
}

struct rib_attr *
rib_attr_intern(struct rib_attrtab *tab, const void *bytes, size_t len)
{
	struct rib_attr *a;
	uint32_t h, i;

	if (len > UINT32_MAX - sizeof(*a))
		rib_fatal(__func__, "attribute set too long");
	h = rib_attr_hash(bytes, len);
	for (i = h & tab->mask; tab->slot[i] != 0; i = (i + 1) & tab->mask) {
		if ((uint32_t)(tab->slot[i] >> 32) != h)
			continue;
		a = tab->byid[(uint32_t)tab->slot[i] - 1];
		if (a->len == len &&
		    (len == 0 || memcmp(a->bytes, bytes, len) == 0)) {
			rib_attr_ref(a);
			return a;
		}
	}
	if ((a = malloc(sizeof(*a) + len)) == NULL)
		rib_fatal(__func__, "out of memory");
	a->refcnt = 1;
	a->hash = h;
	a->len = (uint32_t)len;
	if (len > 0)
		memcpy(a->bytes, bytes, len);
	a->id = rib_tab_newid(tab);
	tab->byid[a->id] = a;
	tab->slot[i] = (uint64_t)h << 32 | (a->id + 1);
	tab->count++;
	tab->bytes += sizeof(*a) + len;
	if ((uint64_t)tab->count * 5 > ((uint64_t)tab->mask + 1) * 4)
		rib_tab_resize(tab, (tab->mask + 1) * 2);
	return a;
}

void
rib_attr_ref(struct rib_attr *a)
{
	if (a->refcnt == 0 || a->refcnt == UINT32_MAX)
		rib_fatal(__func__, "reference count out of range");
	a->refcnt++;
}

/* Empty slot i, moving later entries of its cluster back (no tombstones). */
static void
rib_tab_remove_slot(struct rib_attrtab *tab, uint32_t i)
{
	uint32_t j = i, home;

	for (;;) {
		tab->slot[i] = 0;
		for (;;) {
			j = (j + 1) & tab->mask;
			if (tab->slot[j] == 0)
				return;
			home = (uint32_t)(tab->slot[j] >> 32) & tab->mask;
			/* j may stay if its home is cyclically in (i, j]. */
			if (i <= j ? (i < home && home <= j)
			           : (i < home || home <= j))
				continue;
			break;
		}
		tab->slot[i] = tab->slot[j];
		i = j;
	}
}

void
rib_attr_unref(struct rib_attrtab *tab, struct rib_attr *a)
{
	uint32_t i;

	if (a->refcnt == 0)
		rib_fatal(__func__, "reference count underflow");
	if (--a->refcnt > 0)
		return;
	for (i = a->hash & tab->mask; (uint32_t)tab->slot[i] != a->id + 1;
	     i = (i + 1) & tab->mask)
		if (tab->slot[i] == 0)
			rib_fatal(__func__, "set not in its table");
	rib_tab_remove_slot(tab, i);
	tab->count--;
	tab->bytes -= sizeof(*a) + a->len;
	rib_tab_freeid(tab, a->id);
	free(a);
	if (tab->mask + 1 > RIB_TAB_MIN && tab->count < (tab->mask + 1) / 8)
		rib_tab_resize(tab, (tab->mask + 1) / 2);
}

/* Tripwire: a must be a live set of tab. */
static void
rib_attr_check(const struct rib_attrtab *tab, const struct rib_attr *a)
{
	if (a == NULL || a->id >= tab->nid || tab->byid[a->id] != a)
		rib_fatal(__func__, "attribute set not from this table");
}

/*
 * Keys: IPv4 {addr << 8 | len, path id}; IPv6 {addr[0..8), addr[8..16),
 * len << 32 | path id}. Compared word by word they give prefix_cmp()
 * order, then path id.
 */

static uint64_t
rib_be64(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
rib_put_be(uint8_t *p, uint64_t v, unsigned n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static void
rib_key_make(
    const struct rib_tree *t, const struct prefix *p, uint32_t pid, uint64_t *k)
{
	struct prefix m = *p;

	prefix_mask(&m);
	if (t->kw == 2) {
		k[0] = rib_be64(m.addr, 4) << 8 | m.len;
		k[1] = pid;
	} else {
		k[0] = rib_be64(m.addr, 8);
		k[1] = rib_be64(m.addr + 8, 8);
		k[2] = (uint64_t)m.len << 32 | pid;
	}
}

static void
rib_key_prefix(const struct rib_tree *t, const uint64_t *k, struct prefix *p,
    uint32_t *pid)
{
	memset(p, 0, sizeof(*p));
	p->afi = (uint8_t)t->afi;
	if (t->kw == 2) {
		rib_put_be(p->addr, k[0] >> 8, 4);
		p->len = (uint8_t)k[0];
		*pid = (uint32_t)k[1];
	} else {
		rib_put_be(p->addr, k[0], 8);
		rib_put_be(p->addr + 8, k[1], 8);
		p->len = (uint8_t)(k[2] >> 32);
		*pid = (uint32_t)k[2];
	}
}

static inline int
rib_kcmp(const uint64_t *a, const uint64_t *b, unsigned kw)
{
	unsigned i;

	for (i = 0; i < kw; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Same prefix, any path id: the path id is the low half of the last word. */
static bool
rib_same_prefix(const struct rib_tree *t, const uint64_t *a, const uint64_t *b)
{
	unsigned i;

	for (i = 0; i + 1 < t->kw; i++)
		if (a[i] != b[i])
			return false;
	return a[i] >> 32 == b[i] >> 32;
}

/*
 * B+tree nodes.
 */

static inline uint64_t *
rib_key(const struct rib_tree *t, struct rib_node *n, unsigned i)
{
	return n->k + (size_t)i * t->kw;
}

static inline uint32_t *
rib_ids(const struct rib_tree *t, struct rib_node *n)
{
	return (uint32_t *)(void *)((char *)n + t->lpay);
}

static inline struct rib_node **
rib_kids(const struct rib_tree *t, struct rib_node *n)
{
	return (struct rib_node **)(void *)((char *)n + t->ipay);
}

static void
rib_tree_init(struct rib_tree *t, uint16_t afi, uint8_t safi)
{
	size_t hdr = sizeof(struct rib_node);

	memset(t, 0, sizeof(*t));
	t->afi = afi;
	t->safi = safi;
	t->kw = afi == AFI_IPV4 ? 2 : 3;
	t->lcap = (unsigned)((RIB_NODE_BYTES - hdr) / (t->kw * 8 + 4));
	t->icap = (unsigned)((RIB_NODE_BYTES - hdr - 8) / (t->kw * 8 + 8));
	t->lpay = hdr + (size_t)t->lcap * t->kw * 8;
	t->ipay = hdr + (size_t)t->icap * t->kw * 8;
	t->lsize = t->lpay + (size_t)t->lcap * sizeof(uint32_t);
	t->isize = t->ipay + ((size_t)t->icap + 1) * sizeof(struct rib_node *);
}

static struct rib_node *
rib_node_new(struct rib_tree *t, bool leaf)
{
	size_t size = leaf ? t->lsize : t->isize;
	struct rib_node *n;

	if ((n = malloc(size)) == NULL)
		rib_fatal(__func__, "out of memory");
	n->prev = n->next = NULL;
	n->n = 0;
	n->leaf = leaf;
	t->mem += size;
	return n;
}

static void
rib_node_free(struct rib_tree *t, struct rib_node *n)
{
	t->mem -= n->leaf ? t->lsize : t->isize;
	free(n);
}

/* Free n and everything below it. */
static void
rib_subtree_free(struct rib_tree *t, struct rib_node *n)
{
	unsigned i;

	if (!n->leaf)
		for (i = 0; i <= n->n; i++)
			rib_subtree_free(t, rib_kids(t, n)[i]);
	rib_node_free(t, n);
}

/* First position whose key is >= k (n->n if none). */
static unsigned
rib_lbound(const struct rib_tree *t, struct rib_node *n, const uint64_t *k)
{
	unsigned lo = 0, hi = n->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (rib_kcmp(rib_key(t, n, mid), k, t->kw) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The child of inner node n to descend into for k. */
static unsigned
rib_child(const struct rib_tree *t, struct rib_node *n, const uint64_t *k)
{
	unsigned lo = 0, hi = n->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (rib_kcmp(rib_key(t, n, mid), k, t->kw) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Ask for every cache line of the node about to be searched at once: a
 * binary search over a cold 1 KiB node otherwise waits for one miss after
 * another, which dominates the cost of an insert into a large table.
 */
static inline void
rib_prefetch(const struct rib_tree *t, const struct rib_node *n, bool leaf)
{
	const char *p = (const char *)n;
	size_t off, len = leaf ? t->lpay : t->isize;

	for (off = 0; off < len; off += 64)
		__builtin_prefetch(p + off);
}

/* Descend to k in a non-empty tree; true when the key is stored. */
static bool
rib_descend(const struct rib_tree *t, const uint64_t *k, struct rib_path *pa)
{
	struct rib_node *n = t->root;
	unsigned d = 0, i;

	while (!n->leaf) {
		i = rib_child(t, n, k);
		pa->node[d] = n;
		pa->idx[d++] = i;
		n = rib_kids(t, n)[i];
		rib_prefetch(t, n, d + 1 == t->depth);
	}
	i = rib_lbound(t, n, k);
	pa->node[d] = n;
	pa->idx[d] = i;
	pa->depth = d + 1;
	return i < n->n && rib_kcmp(rib_key(t, n, i), k, t->kw) == 0;
}

/* The leaf and position of the first key >= k, or NULL past the end. */
static struct rib_node *
rib_seek(const struct rib_tree *t, const uint64_t *k, unsigned *pos)
{
	struct rib_node *n = t->root;
	unsigned d;

	if (n == NULL)
		return NULL;
	for (d = 1; !n->leaf; d++) {
		n = rib_kids(t, n)[rib_child(t, n, k)];
		rib_prefetch(t, n, d + 1 == t->depth);
	}
	*pos = rib_lbound(t, n, k);
	while (n != NULL && *pos >= n->n) {
		n = n->next;
		*pos = 0;
	}
	return n;
}

/* The key stored just before position pos of leaf n, or NULL. */
static const uint64_t *
rib_pred(const struct rib_tree *t, struct rib_node *n, unsigned pos)
{
	if (pos > 0)
		return rib_key(t, n, pos - 1);
	if (n->prev != NULL && n->prev->n > 0)
		return rib_key(t, n->prev, n->prev->n - 1);
	return NULL;
}

/* The key at position pos of leaf n or, past its end, the next leaf's. */
static const uint64_t *
rib_succ(const struct rib_tree *t, struct rib_node *n, unsigned pos)
{
	if (pos < n->n)
		return rib_key(t, n, pos);
	if (n->next != NULL && n->next->n > 0)
		return rib_key(t, n->next, 0);
	return NULL;
}

/* True when a neighbour (pred or succ) carries the same prefix as k. */
static bool
rib_prefix_shared(const struct rib_tree *t, const uint64_t *pred,
    const uint64_t *succ, const uint64_t *k)
{
	return (pred != NULL && rib_same_prefix(t, pred, k)) ||
	    (succ != NULL && rib_same_prefix(t, succ, k));
}

/*
 * Insertion.
 */

static void
rib_leaf_put(const struct rib_tree *t, struct rib_node *n, unsigned pos,
    const uint64_t *k, uint32_t id)
{
	uint32_t *ids = rib_ids(t, n);
	size_t move = n->n - pos;

	memmove(rib_key(t, n, pos + 1), rib_key(t, n, pos),
	    move * t->kw * sizeof(uint64_t));
	memmove(ids + pos + 1, ids + pos, move * sizeof(*ids));
	memcpy(rib_key(t, n, pos), k, t->kw * sizeof(uint64_t));
	ids[pos] = id;
	n->n++;
}

static void
rib_inner_put(const struct rib_tree *t, struct rib_node *n, unsigned ci,
    const uint64_t *k, struct rib_node *right)
{
	struct rib_node **kids = rib_kids(t, n);

	memmove(rib_key(t, n, ci + 1), rib_key(t, n, ci),
	    (size_t)(n->n - ci) * t->kw * sizeof(uint64_t));
	memmove(
	    kids + ci + 2, kids + ci + 1, (size_t)(n->n - ci) * sizeof(*kids));
	memcpy(rib_key(t, n, ci), k, t->kw * sizeof(uint64_t));
	kids[ci + 1] = right;
	n->n++;
}

/*
 * Where to split a full node of n entries that must take one at pos:
 * an insertion at either end leaves the old node full, so tables that
 * arrive in order pack their leaves.
 */
static unsigned
rib_split_at(unsigned n, unsigned pos)
{
	if (pos == n)
		return n;
	if (pos == 0)
		return 0;
	return n / 2;
}

/* Split full leaf l around the insertion of (k, id) at pos; new right. */
static struct rib_node *
rib_leaf_split(struct rib_tree *t, struct rib_node *l, unsigned pos,
    const uint64_t *k, uint32_t id)
{
	struct rib_node *r = rib_node_new(t, true);
	unsigned s = rib_split_at(l->n, pos);

	r->n = (uint16_t)(l->n - s);
	memcpy(rib_key(t, r, 0), rib_key(t, l, s),
	    (size_t)r->n * t->kw * sizeof(uint64_t));
	memcpy(rib_ids(t, r), rib_ids(t, l) + s, r->n * sizeof(uint32_t));
	l->n = (uint16_t)s;
	r->prev = l;
	r->next = l->next;
	if (l->next != NULL)
		l->next->prev = r;
	l->next = r;
	if (pos <= s && l->n < t->lcap)
		rib_leaf_put(t, l, pos, k, id);
	else
		rib_leaf_put(t, r, pos - s, k, id);
	return r;
}

/*
 * Split full inner node l that must take (*k, right) after child ci.
 * Returns the new right node; *k becomes the separator to push up.
 */
static struct rib_node *
rib_inner_split(struct rib_tree *t, struct rib_node *l, unsigned ci,
    uint64_t *k, struct rib_node *right)
{
	struct rib_node *r = rib_node_new(t, false);
	unsigned n = l->n, m = rib_split_at(n, ci);
	uint64_t ins[RIB_KW_MAX];

	if (m == n)
		m = n - 1;
	memcpy(ins, k, t->kw * sizeof(uint64_t));
	memcpy(k, rib_key(t, l, m), t->kw * sizeof(uint64_t));
	r->n = (uint16_t)(n - m - 1);
	memcpy(rib_key(t, r, 0), rib_key(t, l, m + 1),
	    (size_t)r->n * t->kw * sizeof(uint64_t));
	memcpy(rib_kids(t, r), rib_kids(t, l) + m + 1,
	    ((size_t)r->n + 1) * sizeof(struct rib_node *));
	l->n = (uint16_t)m;
	if (ci <= m)
		rib_inner_put(t, l, ci, ins, right);
	else
		rib_inner_put(t, r, ci - m - 1, ins, right);
	return r;
}

/* Hang right (first key sep) beside the node at level d of the path. */
static void
rib_insert_up(struct rib_tree *t, struct rib_path *pa, unsigned d,
    const uint64_t *sep, struct rib_node *right)
{
	uint64_t up[RIB_KW_MAX];
	struct rib_node *p, *root;

	memcpy(up, sep, t->kw * sizeof(uint64_t));
	for (; d > 0; d--) {
		p = pa->node[d - 1];
		if (p->n < t->icap) {
			rib_inner_put(t, p, pa->idx[d - 1], up, right);
			return;
		}
		right = rib_inner_split(t, p, pa->idx[d - 1], up, right);
	}
	if (t->depth == RIB_MAXDEPTH)
		rib_fatal(__func__, "tree too deep");
	root = rib_node_new(t, false);
	root->n = 1;
	memcpy(rib_key(t, root, 0), up, t->kw * sizeof(uint64_t));
	rib_kids(t, root)[0] = t->root;
	rib_kids(t, root)[1] = right;
	t->root = root;
	t->depth++;
}

/* Move cnt routes from position from of leaf s to position to of leaf d. */
static void
rib_leaf_move(const struct rib_tree *t, struct rib_node *d, unsigned to,
    struct rib_node *s, unsigned from, unsigned cnt)
{
	uint32_t *dids = rib_ids(t, d), *sids = rib_ids(t, s);

	memmove(rib_key(t, d, to + cnt), rib_key(t, d, to),
	    (size_t)(d->n - to) * t->kw * sizeof(uint64_t));
	memmove(dids + to + cnt, dids + to, (size_t)(d->n - to) * 4);
	memcpy(rib_key(t, d, to), rib_key(t, s, from),
	    (size_t)cnt * t->kw * sizeof(uint64_t));
	memcpy(dids + to, sids + from, (size_t)cnt * 4);
	d->n = (uint16_t)(d->n + cnt);
	memmove(rib_key(t, s, from), rib_key(t, s, from + cnt),
	    (size_t)(s->n - from - cnt) * t->kw * sizeof(uint64_t));
	memmove(
	    sids + from, sids + from + cnt, (size_t)(s->n - from - cnt) * 4);
	s->n = (uint16_t)(s->n - cnt);
}

/*
 * A full leaf (level d of pa) hands routes to a sibling with room rather
 * than split (as a B*-tree does), then takes (k, id) at pos. This lifts
 * the fill of randomly ordered tables from about 2/3 towards 4/5. Returns
 * false when neither sibling has room.
 */
static bool
rib_leaf_shift(struct rib_tree *t, struct rib_path *pa, unsigned d,
    unsigned pos, const uint64_t *k, uint32_t id)
{
	struct rib_node *l = pa->node[d], *p = pa->node[d - 1], *s;
	unsigned ci = pa->idx[d - 1], cnt;
	size_t kb = t->kw * sizeof(uint64_t);

	if (ci < p->n && t->lcap - (s = rib_kids(t, p)[ci + 1])->n >= 2) {
		cnt = (t->lcap - s->n + 1) / 2;
		rib_leaf_move(t, s, 0, l, l->n - cnt, cnt);
		if (pos <= l->n)
			rib_leaf_put(t, l, pos, k, id);
		else
			rib_leaf_put(t, s, pos - l->n, k, id);
		memcpy(rib_key(t, p, ci), rib_key(t, s, 0), kb);
		return true;
	}
	if (ci > 0 && t->lcap - (s = rib_kids(t, p)[ci - 1])->n >= 2) {
		cnt = (t->lcap - s->n + 1) / 2;
		rib_leaf_move(t, s, s->n, l, 0, cnt);
		if (pos >= cnt)
			rib_leaf_put(t, l, pos - cnt, k, id);
		else
			rib_leaf_put(t, s, s->n - cnt + pos, k, id);
		memcpy(rib_key(t, p, ci - 1), rib_key(t, l, 0), kb);
		return true;
	}
	return false;
}

/* Store new key k with id where the descent pa ended (any tree). */
static void
rib_insert(
    struct rib_tree *t, struct rib_path *pa, const uint64_t *k, uint32_t id)
{
	struct rib_node *l, *r;
	unsigned d, pos;

	t->paths++;
	if (t->root == NULL) {
		t->root = rib_node_new(t, true);
		t->depth = 1;
		t->prefixes++;
		rib_leaf_put(t, t->root, 0, k, id);
		return;
	}
	d = pa->depth - 1;
	l = pa->node[d];
	pos = pa->idx[d];
	if (!rib_prefix_shared(t, rib_pred(t, l, pos), rib_succ(t, l, pos), k))
		t->prefixes++;
	if (l->n < t->lcap) {
		rib_leaf_put(t, l, pos, k, id);
		return;
	}
	if (d > 0 && rib_leaf_shift(t, pa, d, pos, k, id))
		return;
	r = rib_leaf_split(t, l, pos, k, id);
	rib_insert_up(t, pa, d, rib_key(t, r, 0), r);
}

/*
 * Deletion.
 */

static void
rib_leaf_cut(const struct rib_tree *t, struct rib_node *n, unsigned pos)
{
	uint32_t *ids = rib_ids(t, n);
	size_t move = n->n - pos - 1;

	memmove(rib_key(t, n, pos), rib_key(t, n, pos + 1),
	    move * t->kw * sizeof(uint64_t));
	memmove(ids + pos, ids + pos + 1, move * sizeof(*ids));
	n->n--;
}

/* Remove separator si and child si + 1 from inner node p. */
static void
rib_inner_cut(const struct rib_tree *t, struct rib_node *p, unsigned si)
{
	struct rib_node **kids = rib_kids(t, p);

	memmove(rib_key(t, p, si), rib_key(t, p, si + 1),
	    (size_t)(p->n - si - 1) * t->kw * sizeof(uint64_t));
	memmove(kids + si + 1, kids + si + 2,
	    (size_t)(p->n - si - 1) * sizeof(*kids));
	p->n--;
}

/*
 * Leaves l and r (separator si of p) hold too few routes: merge r into l
 * and return true, or share the routes evenly and return false.
 */
static bool
rib_leaf_fix(struct rib_tree *t, struct rib_node *p, unsigned si,
    struct rib_node *l, struct rib_node *r)
{
	unsigned want = (l->n + r->n) / 2;

	if ((unsigned)l->n + r->n <= t->lcap) {
		rib_leaf_move(t, l, l->n, r, 0, r->n);
		l->next = r->next;
		if (r->next != NULL)
			r->next->prev = l;
		rib_node_free(t, r);
		rib_inner_cut(t, p, si);
		return true;
	}
	if (l->n < want)
		rib_leaf_move(t, l, l->n, r, 0, want - l->n);
	else
		rib_leaf_move(t, r, 0, l, want, l->n - want);
	memcpy(rib_key(t, p, si), rib_key(t, r, 0), t->kw * sizeof(uint64_t));
	return false;
}

/* Move one child from inner node r to the end of l through separator si. */
static void
rib_rotate_left(const struct rib_tree *t, struct rib_node *p, unsigned si,
    struct rib_node *l, struct rib_node *r)
{
	struct rib_node **rk = rib_kids(t, r);
	size_t kb = t->kw * sizeof(uint64_t);

	memcpy(rib_key(t, l, l->n), rib_key(t, p, si), kb);
	rib_kids(t, l)[l->n + 1] = rk[0];
	l->n++;
	memcpy(rib_key(t, p, si), rib_key(t, r, 0), kb);
	memmove(rib_key(t, r, 0), rib_key(t, r, 1), (size_t)(r->n - 1) * kb);
	memmove(rk, rk + 1, (size_t)r->n * sizeof(*rk));
	r->n--;
}

/* Move the last child of inner node l to the front of r. */
static void
rib_rotate_right(const struct rib_tree *t, struct rib_node *p, unsigned si,
    struct rib_node *l, struct rib_node *r)
{
	struct rib_node **rk = rib_kids(t, r);
	size_t kb = t->kw * sizeof(uint64_t);

	memmove(rib_key(t, r, 1), rib_key(t, r, 0), (size_t)r->n * kb);
	memmove(rk + 1, rk, ((size_t)r->n + 1) * sizeof(*rk));
	memcpy(rib_key(t, r, 0), rib_key(t, p, si), kb);
	rk[0] = rib_kids(t, l)[l->n];
	r->n++;
	memcpy(rib_key(t, p, si), rib_key(t, l, l->n - 1), kb);
	l->n--;
}

/* As rib_leaf_fix() for inner nodes: separators pass through the parent. */
static bool
rib_inner_fix(struct rib_tree *t, struct rib_node *p, unsigned si,
    struct rib_node *l, struct rib_node *r)
{
	size_t kb = t->kw * sizeof(uint64_t);

	if ((unsigned)l->n + r->n + 1 <= t->icap) {
		memcpy(rib_key(t, l, l->n), rib_key(t, p, si), kb);
		memcpy(rib_key(t, l, l->n + 1), rib_key(t, r, 0), r->n * kb);
		memcpy(rib_kids(t, l) + l->n + 1, rib_kids(t, r),
		    ((size_t)r->n + 1) * sizeof(struct rib_node *));
		l->n = (uint16_t)(l->n + r->n + 1);
		rib_node_free(t, r);
		rib_inner_cut(t, p, si);
		return true;
	}
	while (l->n + 1 < r->n)
		rib_rotate_left(t, p, si, l, r);
	while (r->n + 1 < l->n)
		rib_rotate_right(t, p, si, l, r);
	return false;
}

/* An empty root leaf goes; a root with one child hands over to it. */
static void
rib_root_fix(struct rib_tree *t)
{
	struct rib_node *root = t->root;

	if (root->leaf && root->n == 0) {
		rib_node_free(t, root);
		t->root = NULL;
		t->depth = 0;
	} else if (!root->leaf && root->n == 0) {
		t->root = rib_kids(t, root)[0];
		rib_node_free(t, root);
		t->depth--;
	}
}

/* Restore the fill of the nodes on path pa, from level d upwards. */
static void
rib_rebalance(struct rib_tree *t, struct rib_path *pa, unsigned d)
{
	struct rib_node *n, *p, *l, *r;
	unsigned si;
	bool merged;

	for (; d > 0; d--) {
		n = pa->node[d];
		if (n->n >= (n->leaf ? t->lcap : t->icap) / 3)
			return;
		p = pa->node[d - 1];
		if (p->n == 0)
			rib_fatal(__func__, "inner node without separator");
		si = pa->idx[d - 1] > 0 ? pa->idx[d - 1] - 1 : 0;
		l = rib_kids(t, p)[si];
		r = rib_kids(t, p)[si + 1];
		if (n->leaf)
			merged = rib_leaf_fix(t, p, si, l, r);
		else
			merged = rib_inner_fix(t, p, si, l, r);
		if (!merged)
			return;
	}
	rib_root_fix(t);
}

/* Drop the route where the descent pa found it. */
static void
rib_delete(struct rib_tree *t, struct rib_path *pa)
{
	unsigned d = pa->depth - 1;
	struct rib_node *l = pa->node[d];
	unsigned pos = pa->idx[d];

	if (!rib_prefix_shared(t, rib_pred(t, l, pos), rib_succ(t, l, pos + 1),
	        rib_key(t, l, pos)))
		t->prefixes--;
	if (rib_ids(t, l)[pos] & RIB_STALE)
		t->stale--;
	t->paths--;
	rib_leaf_cut(t, l, pos);
	if (d == 0)
		rib_root_fix(t);
	else
		rib_rebalance(t, pa, d);
}

/*
 * The RIB.
 */

static const uint8_t rib_fam_safi[FAM_COUNT] = {
	[FAM_IPV4_UNICAST] = SAFI_UNICAST,
	[FAM_IPV6_UNICAST] = SAFI_UNICAST,
	[FAM_IPV4_MULTICAST] = SAFI_MULTICAST,
	[FAM_IPV6_MULTICAST] = SAFI_MULTICAST,
};

static const uint16_t rib_fam_afi[FAM_COUNT] = {
	[FAM_IPV4_UNICAST] = AFI_IPV4,
	[FAM_IPV6_UNICAST] = AFI_IPV6,
	[FAM_IPV4_MULTICAST] = AFI_IPV4,
	[FAM_IPV6_MULTICAST] = AFI_IPV6,
};

struct rib *
rib_new(struct rib_attrtab *tab)
{
	struct rib *rib = rib_alloc(sizeof(*rib), __func__);
	int f;

	rib->tab = tab;
	for (f = 0; f < FAM_COUNT; f++)
		rib_tree_init(&rib->t[f], rib_fam_afi[f], rib_fam_safi[f]);
	return rib;
}

static struct rib_node *
rib_first_leaf(const struct rib_tree *t, struct rib_node *n)
{
	while (n != NULL && !n->leaf)
		n = rib_kids(t, n)[0];
	return n;
}

/* Drop the references held by the leaves of root, then free it. */
static void
rib_subtree_release(struct rib *rib, struct rib_tree *t, struct rib_node *root)
{
	struct rib_node *l;
	unsigned i;

	for (l = rib_first_leaf(t, root); l != NULL; l = l->next)
		for (i = 0; i < l->n; i++)
			rib_attr_unref(rib->tab,
			    rib->tab->byid[rib_ids(t, l)[i] & RIB_ID_MASK]);
	rib_subtree_free(t, root);
}

void
rib_free(struct rib *rib)
{
	int f;

	if (rib == NULL)
		return;
	if (rib->busy)
		rib_fatal(__func__, "called from a callback");
	for (f = 0; f < FAM_COUNT; f++)
		if (rib->t[f].root != NULL)
			rib_subtree_release(rib, &rib->t[f], rib->t[f].root);
	free(rib);
}

void
rib_set_delta_cb(struct rib *rib, rib_delta_cb cb, void *arg)
{
	rib->cb = cb;
	rib->arg = arg;
}

static struct rib_tree *
rib_tree(struct rib *rib, uint16_t afi, uint8_t safi)
{
	int f = sess_family(afi, safi);

	return f < 0 ? NULL : &rib->t[f];
}

/* The tree for (safi, p), or NULL when p cannot be stored there. */
static struct rib_tree *
rib_tree_of(struct rib *rib, uint8_t safi, const struct prefix *p)
{
	if (p->len > (p->afi == AFI_IPV4 ? 32 : 128))
		return NULL;
	return rib_tree(rib, p->afi, safi);
}

/* The tree for a change to (safi, p), or NULL when p cannot be stored. */
static struct rib_tree *
rib_tree_change(
    struct rib *rib, uint8_t safi, const struct prefix *p, const char *fn)
{
	if (rib->busy)
		rib_fatal(fn, "RIB changed from a callback");
	return rib_tree_of(rib, safi, p);
}

static void
rib_emit(struct rib *rib, const struct rib_tree *t, enum rib_delta_kind kind,
    enum rib_reason reason, const uint64_t *k, struct rib_attr *attr,
    struct rib_attr *prev)
{
	struct rib_delta d;
	struct prefix p;

	if (rib->cb == NULL)
		return;
	memset(&d, 0, sizeof(d));
	rib_key_prefix(t, k, &p, &d.path_id);
	d.kind = kind;
	d.reason = reason;
	d.safi = t->safi;
	d.prefix = &p;
	d.attr = attr;
	d.prev = prev;
	rib->busy++;
	rib->cb(rib->arg, &d);
	rib->busy--;
}

int
rib_update(struct rib *rib, uint8_t safi, const struct prefix *p,
    uint32_t path_id, struct rib_attr *attr)
{
	struct rib_tree *t;
	struct rib_path pa;
	struct rib_attr *prev;
	uint64_t k[RIB_KW_MAX];
	uint32_t *id;

	if ((t = rib_tree_change(rib, safi, p, __func__)) == NULL)
		return -1;
	rib_attr_check(rib->tab, attr);
	rib_key_make(t, p, path_id, k);
	if (t->root == NULL || !rib_descend(t, k, &pa)) {
		rib_attr_ref(attr);
		rib_insert(t, &pa, k, attr->id);
		rib_emit(rib, t, RIB_ANNOUNCED, RIB_R_UPDATE, k, attr, NULL);
		return RIB_ANNOUNCED;
	}
	id = &rib_ids(t, pa.node[pa.depth - 1])[pa.idx[pa.depth - 1]];
	if (*id & RIB_STALE) {
		/* RFC 4724 §4.2: an update replaces the stale route. */
		*id &= RIB_ID_MASK;
		t->stale--;
	}
	if (*id == attr->id)
		return RIB_NONE;
	prev = rib->tab->byid[*id];
	rib_attr_ref(attr);
	*id = attr->id;
	rib_emit(rib, t, RIB_REPLACED, RIB_R_UPDATE, k, attr, prev);
	rib_attr_unref(rib->tab, prev);
	return RIB_REPLACED;
}

/* Remove the route found by pa (key k) and report it. */
static void
rib_remove(struct rib *rib, struct rib_tree *t, struct rib_path *pa,
    const uint64_t *k, enum rib_reason reason)
{
	unsigned d = pa->depth - 1;
	uint32_t id = rib_ids(t, pa->node[d])[pa->idx[d]] & RIB_ID_MASK;
	struct rib_attr *prev = rib->tab->byid[id];

	rib_delete(t, pa);
	rib_emit(rib, t, RIB_WITHDRAWN, reason, k, NULL, prev);
	rib_attr_unref(rib->tab, prev);
}

int
rib_withdraw(struct rib *rib, uint8_t safi, const struct prefix *p,
    uint32_t path_id, enum rib_reason reason)
{
	struct rib_tree *t;
	struct rib_path pa;
	uint64_t k[RIB_KW_MAX];

	if ((t = rib_tree_change(rib, safi, p, __func__)) == NULL)
		return -1;
	rib_key_make(t, p, path_id, k);
	if (t->root == NULL || !rib_descend(t, k, &pa))
		return RIB_NONE;
	rib_remove(rib, t, &pa, k, reason);
	return RIB_WITHDRAWN;
}

/*
 * Empty a whole tree: detach it first, so lookups from the callback see
 * the RIB without these routes, then report and release every route.
 */
static size_t
rib_tree_flush(struct rib *rib, struct rib_tree *t, enum rib_reason reason)
{
	struct rib_node *root = t->root, *l;
	struct rib_attr *prev;
	size_t n = 0, mem = t->mem;
	unsigned i;

	if (rib->busy)
		rib_fatal(__func__, "RIB changed from a callback");
	if (root == NULL)
		return 0;
	t->root = NULL;
	t->depth = 0;
	t->prefixes = t->paths = t->stale = 0;
	t->mem = 0;
	for (l = rib_first_leaf(t, root); l != NULL; l = l->next) {
		for (i = 0; i < l->n; i++, n++) {
			prev = rib->tab->byid[rib_ids(t, l)[i] & RIB_ID_MASK];
			rib_emit(rib, t, RIB_WITHDRAWN, reason,
			    rib_key(t, l, i), NULL, prev);
			rib_attr_unref(rib->tab, prev);
		}
	}
	t->mem = mem; /* rib_subtree_free() takes it back to 0 */
	rib_subtree_free(t, root);
	return n;
}

size_t
rib_flush(struct rib *rib, enum rib_reason reason)
{
	size_t n = 0;
	int f;

	for (f = 0; f < FAM_COUNT; f++)
		n += rib_tree_flush(rib, &rib->t[f], reason);
	return n;
}

size_t
rib_flush_family(
    struct rib *rib, uint16_t afi, uint8_t safi, enum rib_reason reason)
{
	struct rib_tree *t = rib_tree(rib, afi, safi);

	return t == NULL ? 0 : rib_tree_flush(rib, t, reason);
}

size_t
rib_mark_stale(struct rib *rib, uint16_t afi, uint8_t safi)
{
	struct rib_tree *t = rib_tree(rib, afi, safi);
	struct rib_node *l;
	unsigned i;

	if (t == NULL)
		return 0;
	if (rib->busy)
		rib_fatal(__func__, "RIB changed from a callback");
	for (l = rib_first_leaf(t, t->root); l != NULL; l = l->next)
		for (i = 0; i < l->n; i++)
			rib_ids(t, l)[i] |= RIB_STALE;
	t->stale = t->paths;
	return (size_t)t->paths;
}

/* The first stale route at or after (l, pos); its key is copied to k. */
static bool
rib_next_stale(
    const struct rib_tree *t, struct rib_node *l, unsigned pos, uint64_t *k)
{
	for (; l != NULL; l = l->next, pos = 0) {
		for (; pos < l->n; pos++) {
			if (rib_ids(t, l)[pos] & RIB_STALE) {
				memcpy(k, rib_key(t, l, pos),
				    t->kw * sizeof(uint64_t));
				return true;
			}
		}
	}
	return false;
}

size_t
rib_flush_stale(struct rib *rib, uint16_t afi, uint8_t safi)
{
	struct rib_tree *t = rib_tree(rib, afi, safi);
	struct rib_node *l;
	struct rib_path pa;
	uint64_t k[RIB_KW_MAX];
	unsigned pos = 0;
	size_t n = 0;

	if (t == NULL || t->stale == 0)
		return 0;
	/* The restart timer expired with nothing refreshed: all at once. */
	if (t->stale == t->paths)
		return rib_tree_flush(rib, t, RIB_R_STALE_FLUSH);
	if (rib->busy)
		rib_fatal(__func__, "RIB changed from a callback");
	l = rib_first_leaf(t, t->root);
	while (t->stale > 0 && rib_next_stale(t, l, pos, k)) {
		if (!rib_descend(t, k, &pa))
			rib_fatal(__func__, "stale route vanished");
		rib_remove(rib, t, &pa, k, RIB_R_STALE_FLUSH);
		n++;
		l = rib_seek(t, k, &pos);
	}
	return n;
}

/*
 * Queries.
 */

struct rib_attr *
rib_get(struct rib *rib, uint8_t safi, const struct prefix *p, uint32_t path_id)
{
	struct rib_tree *t = rib_tree_of(rib, safi, p);
	struct rib_path pa;
	uint64_t k[RIB_KW_MAX];
	unsigned d;

	if (t == NULL || t->root == NULL)
		return NULL;
	rib_key_make(t, p, path_id, k);
	if (!rib_descend(t, k, &pa))
		return NULL;
	d = pa.depth - 1;
	return rib->tab->byid[rib_ids(t, pa.node[d])[pa.idx[d]] & RIB_ID_MASK];
}

static void
rib_route_fill(const struct rib *rib, const struct rib_tree *t,
    struct rib_node *l, unsigned pos, struct rib_route *r)
{
	uint32_t id = rib_ids(t, l)[pos];

	rib_key_prefix(t, rib_key(t, l, pos), &r->prefix, &r->path_id);
	r->safi = t->safi;
	r->stale = (id & RIB_STALE) != 0;
	r->attr = rib->tab->byid[id & RIB_ID_MASK];
}

size_t
rib_lookup(struct rib *rib, uint8_t safi, const struct prefix *p,
    struct rib_route *out, size_t max)
{
	struct rib_tree *t = rib_tree_of(rib, safi, p);
	struct rib_node *l;
	uint64_t k[RIB_KW_MAX];
	unsigned pos;
	size_t n = 0;

	if (t == NULL)
		return 0;
	rib_key_make(t, p, 0, k);
	for (l = rib_seek(t, k, &pos); l != NULL; l = l->next, pos = 0) {
		for (; pos < l->n; pos++, n++) {
			if (!rib_same_prefix(t, rib_key(t, l, pos), k))
				return n;
			if (n < max)
				rib_route_fill(rib, t, l, pos, &out[n]);
		}
	}
	return n;
}

int
rib_stats(
    const struct rib *rib, uint16_t afi, uint8_t safi, struct rib_stats *st)
{
	int f = sess_family(afi, safi);

	if (f < 0)
		return -1;
	st->prefixes = rib->t[f].prefixes;
	st->paths = rib->t[f].paths;
	st->stale = rib->t[f].stale;
	st->mem = rib->t[f].mem;
	return 0;
}

size_t
rib_mem(const struct rib *rib)
{
	size_t mem = sizeof(*rib);
	int f;

	for (f = 0; f < FAM_COUNT; f++)
		mem += rib->t[f].mem;
	return mem;
}

/*
 * Self-check, for tests and fuzzers.
 */

struct rib_chk {
	const struct rib_attrtab *tab;
	struct rib_node *prev; /* last leaf seen, in order */
	const uint64_t *last; /* last key seen */
	uint64_t paths;
	uint64_t prefixes;
	uint64_t stale;
	size_t mem;
};

static const char *
rib_check_leaf(const struct rib_tree *t, struct rib_node *n, struct rib_chk *c)
{
	uint32_t id;
	unsigned i;

	if (n->n == 0 || n->n > t->lcap)
		return "leaf count out of range";
	if (n->prev != c->prev || (c->prev != NULL && c->prev->next != n))
		return "leaf chain broken";
	for (i = 0; i < n->n; i++) {
		if (c->last != NULL &&
		    rib_kcmp(c->last, rib_key(t, n, i), t->kw) >= 0)
			return "keys out of order";
		if (c->last == NULL ||
		    !rib_same_prefix(t, c->last, rib_key(t, n, i)))
			c->prefixes++;
		c->last = rib_key(t, n, i);
		id = rib_ids(t, n)[i];
		c->stale += (id & RIB_STALE) != 0;
		id &= RIB_ID_MASK;
		if (id >= c->tab->nid || c->tab->byid[id] == NULL ||
		    c->tab->byid[id]->refcnt == 0)
			return "route refers to a dead set";
	}
	c->paths += n->n;
	c->prev = n;
	return NULL;
}

/* Check subtree n at level d, whose keys must lie in [lo, hi). */
static const char *
rib_check_node(const struct rib_tree *t, struct rib_node *n, unsigned d,
    const uint64_t *lo, const uint64_t *hi, struct rib_chk *c)
{
	const uint64_t *clo, *chi;
	const char *why;
	unsigned i;

	c->mem += n->leaf ? t->lsize : t->isize;
	if ((d + 1 == t->depth) != (n->leaf != 0))
		return "leaves at different depths";
	if (n->leaf) {
		if (lo != NULL && rib_kcmp(rib_key(t, n, 0), lo, t->kw) < 0)
			return "key below its separator";
		if (hi != NULL &&
		    rib_kcmp(rib_key(t, n, n->n - 1), hi, t->kw) >= 0)
			return "key above its separator";
		return rib_check_leaf(t, n, c);
	}
	if (n->n == 0 || n->n > t->icap)
		return "inner count out of range";
	for (i = 0; i <= n->n; i++) {
		clo = i == 0 ? lo : rib_key(t, n, i - 1);
		chi = i == n->n ? hi : rib_key(t, n, i);
		if (clo != NULL && chi != NULL &&
		    rib_kcmp(clo, chi, t->kw) >= 0)
			return "separators out of order";
		why = rib_check_node(t, rib_kids(t, n)[i], d + 1, clo, chi, c);
		if (why != NULL)
			return why;
	}
	return NULL;
}

int
rib_check(const struct rib *rib, const char **why)
{
	const struct rib_tree *t;
	struct rib_chk c;
	int f;

	for (f = 0; f < FAM_COUNT; f++) {
		t = &rib->t[f];
		memset(&c, 0, sizeof(c));
		c.tab = rib->tab;
		*why = NULL;
		if (t->root != NULL)
			*why = rib_check_node(t, t->root, 0, NULL, NULL, &c);
		else if (t->depth != 0)
			*why = "empty tree with a depth";
		if (*why == NULL && c.prev != NULL && c.prev->next != NULL)
			*why = "leaf chain runs past the last leaf";
		if (*why == NULL &&
		    (c.paths != t->paths || c.prefixes != t->prefixes ||
		        c.stale != t->stale || c.mem != t->mem))
			*why = "counters disagree with the tree";
		if (*why != NULL)
			return -1;
	}
	return 0;
}

/*
 * Cursors.
 */

void
rib_cursor_init(struct rib_cursor *c, uint16_t afi, uint8_t safi,
    enum rib_match match, const struct prefix *filter)
{
	memset(c, 0, sizeof(*c));
	c->afi = afi;
	c->safi = safi;
	c->match = match;
	if (match == RIB_MATCH_ALL)
		return;
	if (filter == NULL || filter->afi != afi ||
	    filter->len > (afi == AFI_IPV4 ? 32 : 128)) {
		c->done = true;
		return;
	}
	c->filter = *filter;
	prefix_mask(&c->filter);
}

/* Does route prefix p belong to the run selected by m and q? */
static bool
rib_run_match(enum rib_match m, const struct prefix *q, const struct prefix *p)
{
	switch (m) {
	case RIB_MATCH_ALL:
		return true;
	case RIB_MATCH_OR_LONGER:
		return prefix_contains(q, p);
	default:
		return prefix_cmp(q, p) == 0;
	}
}

/*
 * Hand over the routes from key k on (strictly after it when after is
 * set) for as long as they match (m, q), at most *left of them. Returns
 * true when the run was cut short by cb or *left, false when it ended.
 */
static bool
rib_run(struct rib *rib, const struct rib_tree *t, struct rib_cursor *c,
    const uint64_t *k, bool after, enum rib_match m, const struct prefix *q,
    rib_walk_cb cb, void *arg, size_t *left, size_t *n)
{
	struct rib_route r;
	struct rib_node *l;
	unsigned pos;

	l = rib_seek(t, k, &pos);
	if (after && l != NULL && rib_kcmp(rib_key(t, l, pos), k, t->kw) == 0)
		if (++pos >= l->n) {
			l = l->next;
			pos = 0;
		}
	for (; l != NULL; l = l->next, pos = 0) {
		for (; pos < l->n; pos++) {
			rib_route_fill(rib, t, l, pos, &r);
			if (!rib_run_match(m, q, &r.prefix))
				return false;
			c->started = true;
			c->last = r.prefix;
			c->last_path_id = r.path_id;
			(*n)++;
			if (cb(arg, &r) != 0 || --*left == 0)
				return true;
		}
	}
	return false;
}

/* RIB_MATCH_OR_SHORTER: one exact run per covering length, in order. */
static bool
rib_run_shorter(struct rib *rib, const struct rib_tree *t, struct rib_cursor *c,
    rib_walk_cb cb, void *arg, size_t *left, size_t *n)
{
	struct prefix q;
	uint64_t k[RIB_KW_MAX];
	unsigned len;
	bool after;

	for (len = c->started ? c->last.len : 0; len <= c->filter.len; len++) {
		q = c->filter;
		q.len = (uint8_t)len;
		prefix_mask(&q);
		after = c->started && c->last.len == len;
		rib_key_make(t, &q, after ? c->last_path_id : 0, k);
		if (rib_run(rib, t, c, k, after, RIB_MATCH_EXACT, &q, cb, arg,
		        left, n))
			return true;
	}
	return false;
}

size_t
rib_cursor_next(struct rib *rib, struct rib_cursor *c, rib_walk_cb cb,
    void *arg, size_t max)
{
	struct rib_tree *t = rib_tree(rib, c->afi, c->safi);
	uint64_t k[RIB_KW_MAX] = { 0 };
	size_t n = 0, left = max == 0 ? SIZE_MAX : max;
	bool more;

	if (t == NULL || c->done) {
		c->done = true;
		return 0;
	}
	rib->busy++;
	if (c->match == RIB_MATCH_OR_SHORTER)
		more = rib_run_shorter(rib, t, c, cb, arg, &left, &n);
	else {
		if (c->started)
			rib_key_make(t, &c->last, c->last_path_id, k);
		else if (c->match != RIB_MATCH_ALL)
			rib_key_make(t, &c->filter, 0, k);
		more = rib_run(rib, t, c, k, c->started, c->match, &c->filter,
		    cb, arg, &left, &n);
	}
	rib->busy--;
	c->done = !more;
	return n;
}

size_t
rib_walk(struct rib *rib, uint16_t afi, uint8_t safi, enum rib_match match,
    const struct prefix *filter, rib_walk_cb cb, void *arg)
{
	struct rib_cursor c;

	rib_cursor_init(&c, afi, safi, match, filter);
	return rib_cursor_next(rib, &c, cb, arg, 0);
}

const char *
rib_reason_name(enum rib_reason reason)
{
	switch (reason) {
	case RIB_R_UPDATE:
		return "update";
	case RIB_R_TREAT_AS_WITHDRAW:
		return "treat-as-withdraw";
	case RIB_R_SESSION_DOWN:
		return "session-down";
	case RIB_R_MAX_PREFIX:
		return "max-prefix";
	case RIB_R_AFI_SAFI_DISABLE:
		return "afi-safi-disable";
	case RIB_R_STALE_FLUSH:
		return "stale-flush";
	}
	return "unknown";
}
