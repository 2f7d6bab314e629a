/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Adj-RIB-In benchmark (not a test): a synthetic full table (1,000,000
 * IPv4 + 200,000 IPv6 prefixes by default, with a DFZ-like length mix) in
 * UPDATE-sized groups sharing one attribute blob of about 60 bytes (so
 * about one distinct set per 3 prefixes), arriving in random order. Prints
 * ns per insert, heap bytes per route (mallinfo2) and RSS growth, the
 * cost of withdrawing everything and of a session-down flush, then loads
 * the same table from more peers sharing the interned sets and prints the
 * memory of each extra peer.
 *
 * Usage: bench_rib [-4 nv4] [-6 nv6] [-p peers] [-s seed] [-d] [-o]
 *   -d: every peer sends its own attribute sets (nothing shared).
 *   -o: prefixes arrive in prefix order (as from a table walk), not random.
 *
 * Times are CPU time of the process (the lab machine is shared).
 *
 * Public: main().
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgp.h"
#include "prefix.h"
#include "rib.h"

struct bench_group {
	uint32_t first; /* index of its first prefix */
	uint16_t n; /* prefixes in this UPDATE */
	uint16_t len; /* blob length */
	uint32_t off; /* blob offset in the arena */
};

struct bench_table {
	struct prefix *pfx;
	struct prefix *wd; /* the same, shuffled: withdrawal order */
	size_t npfx;
	size_t nv4;
	struct bench_group *grp;
	size_t ngrp;
	uint8_t *arena;
	size_t arenalen;
};

static uint64_t bench_seed = 0x6b657973;

static uint64_t
bench_rand(void)
{
	bench_seed ^= bench_seed >> 12;
	bench_seed ^= bench_seed << 25;
	bench_seed ^= bench_seed >> 27;
	return bench_seed * 0x2545f4914f6cdd1dULL;
}

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bytes of heap in use: arena chunks plus mmapped ones. */
static size_t
bench_heap(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static size_t
bench_rss(void)
{
	unsigned long size = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%lu %lu", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (size_t)sysconf(_SC_PAGESIZE);
}

static void *
bench_alloc(size_t n)
{
	void *p = calloc(1, n);

	if (p == NULL) {
		fprintf(stderr, "bench_rib: out of memory\n");
		exit(1);
	}
	return p;
}

/* Prefix lengths by share of the table (per mille), after a 2024 DFZ. */
static const struct {
	uint8_t len;
	uint16_t permille;
} bench_len4[] = { { 24, 600 }, { 23, 95 }, { 22, 120 }, { 21, 50 }, { 20, 40 },
	{ 19, 30 }, { 18, 15 }, { 17, 10 }, { 16, 25 }, { 15, 4 }, { 14, 4 },
	{ 13, 3 }, { 12, 2 }, { 11, 1 }, { 10, 1 } },
  bench_len6[] = { { 48, 480 }, { 44, 80 }, { 47, 30 }, { 46, 30 }, { 40, 60 },
	  { 36, 30 }, { 32, 170 }, { 29, 40 }, { 33, 20 }, { 34, 15 },
	  { 35, 10 }, { 28, 10 }, { 42, 15 }, { 56, 5 }, { 64, 5 } };

static uint8_t
bench_pick_len(uint16_t afi)
{
	unsigned r = (unsigned)(bench_rand() % 1000), i, n, acc = 0;

	n = afi == AFI_IPV4 ? sizeof(bench_len4) / sizeof(bench_len4[0])
	                    : sizeof(bench_len6) / sizeof(bench_len6[0]);
	for (i = 0; i < n; i++) {
		acc += afi == AFI_IPV4 ? bench_len4[i].permille
		                       : bench_len6[i].permille;
		if (r < acc)
			return afi == AFI_IPV4 ? bench_len4[i].len
			                       : bench_len6[i].len;
	}
	return afi == AFI_IPV4 ? 24 : 48;
}

static void
bench_random_prefix(uint16_t afi, struct prefix *p)
{
	uint64_t a = bench_rand(), b = bench_rand();
	unsigned i;

	memset(p, 0, sizeof(*p));
	p->afi = (uint8_t)afi;
	p->len = bench_pick_len(afi);
	for (i = 0; i < 8; i++) {
		p->addr[i] = (uint8_t)(a >> (8 * i));
		p->addr[8 + i] = (uint8_t)(b >> (8 * i));
	}
	if (afi == AFI_IPV4) {
		/* Unicast space only: 1.0.0.0 - 223.255.255.255. */
		p->addr[0] = (uint8_t)(1 + p->addr[0] % 223);
	} else {
		p->addr[0] =
		    (uint8_t)(0x20 | (p->addr[0] & 0x1f)); /* 2000::/3 */
	}
	prefix_mask(p);
}

static int
bench_pfx_cmp(const void *a, const void *b)
{
	return prefix_cmp(a, b);
}

/* n distinct random prefixes of afi appended at t->pfx + t->npfx. */
static void
bench_gen_family(struct bench_table *t, uint16_t afi, size_t n)
{
	struct prefix *p = t->pfx + t->npfx;
	size_t have = 0, i, j;

	while (have < n) {
		for (i = have; i < n; i++)
			bench_random_prefix(afi, &p[i]);
		qsort(p, n, sizeof(*p), bench_pfx_cmp);
		for (i = j = 0; i < n; i++)
			if (j == 0 || prefix_cmp(&p[j - 1], &p[i]) != 0)
				p[j++] = p[i];
		have = j;
	}
	t->npfx += n;
}

/* Shuffle the prefixes of [from, to): arrival order is not key order. */
static void
bench_shuffle(struct prefix *p, size_t from, size_t to)
{
	struct prefix tmp;
	size_t i, j;

	for (i = to - 1; i > from; i--) {
		j = from + (size_t)(bench_rand() % (i - from + 1));
		tmp = p[i];
		p[i] = p[j];
		p[j] = tmp;
	}
}

static size_t
bench_put(uint8_t *b, size_t n, const void *p, size_t len)
{
	memcpy(b + n, p, len);
	return n + len;
}

static size_t
bench_put32(uint8_t *b, size_t n, uint32_t v)
{
	b[n] = (uint8_t)(v >> 24);
	b[n + 1] = (uint8_t)(v >> 16);
	b[n + 2] = (uint8_t)(v >> 8);
	b[n + 3] = (uint8_t)v;
	return n + 4;
}

/*
 * The attribute blob of UPDATE number g from peer, in the canonical form
 * (4-octet AS): ORIGIN, AS_PATH of 3-8 ASes, NEXT_HOP, MED on half,
 * COMMUNITIES on two thirds, LARGE_COMMUNITY on a third. About 60 bytes;
 * distinct for distinct (g, peer).
 */
static size_t
bench_blob(uint8_t *b, uint32_t g, uint32_t peer)
{
	uint32_t hops = 3 + g % 6, i, as;
	const uint8_t origin[] = { 0x40, 1, 1, (uint8_t)(g % 3) };
	const uint8_t aspath[] = { 0x40, 2, (uint8_t)(2 + 4 * hops), 2,
		(uint8_t)hops };
	const uint8_t nexthop[] = { 0x40, 3, 4, 192, 0, 2, (uint8_t)peer };
	const uint8_t med[] = { 0x80, 4, 4 };
	const uint8_t comm[] = { 0xc0, 8, 16 };
	const uint8_t large[] = { 0xc0, 32, 12 };
	size_t n;

	n = bench_put(b, 0, origin, sizeof(origin));
	n = bench_put(b, n, aspath, sizeof(aspath));
	for (i = 0; i < hops; i++) {
		as = i == 0         ? 64500 + peer
		    : i + 1 == hops ? 131072 + g
		                    : 3356 + i;
		n = bench_put32(b, n, as);
	}
	n = bench_put(b, n, nexthop, sizeof(nexthop));
	if (g % 2 == 0) {
		n = bench_put(b, n, med, sizeof(med));
		n = bench_put32(b, n, g % 1000);
	}
	if (g % 3 != 2) {
		n = bench_put(b, n, comm, sizeof(comm));
		for (i = 0; i < 4; i++)
			n = bench_put32(b, n, (3356u << 16) + (g + i) % 50);
	}
	if (g % 3 == 0) {
		n = bench_put(b, n, large, sizeof(large));
		n = bench_put32(b, n, 64500 + peer);
		n = bench_put32(b, n, 1);
		n = bench_put32(b, n, g % 10);
	}
	return n;
}

/* Cut the table into UPDATEs of 1-5 prefixes (3 on average). */
static void
bench_gen_groups(struct bench_table *t)
{
	size_t i = 0, cap = t->npfx / 2 + 16;
	uint8_t blob[128];
	uint32_t n;

	t->grp = bench_alloc(cap * sizeof(*t->grp));
	t->arena = bench_alloc(cap * sizeof(blob));
	while (i < t->npfx) {
		n = 1 + (uint32_t)(bench_rand() % 5);
		/* An UPDATE carries one family. */
		if (i < t->nv4 && i + n > t->nv4)
			n = (uint32_t)(t->nv4 - i);
		if (i + n > t->npfx)
			n = (uint32_t)(t->npfx - i);
		t->grp[t->ngrp].first = (uint32_t)i;
		t->grp[t->ngrp].n = (uint16_t)n;
		t->grp[t->ngrp].off = (uint32_t)t->arenalen;
		t->grp[t->ngrp].len =
		    (uint16_t)bench_blob(blob, (uint32_t)t->ngrp, 0);
		memcpy(t->arena + t->arenalen, blob, t->grp[t->ngrp].len);
		t->arenalen += t->grp[t->ngrp].len;
		t->ngrp++;
		i += n;
	}
}

static size_t bench_deltas;

static void
bench_delta_cb(void *arg, const struct rib_delta *d)
{
	bench_deltas++;
}

/* Send the whole table to rib as peer; returns seconds taken. */
static double
bench_load(struct rib *rib, struct rib_attrtab *tab,
    const struct bench_table *t, uint32_t peer, bool distinct)
{
	const struct bench_group *g;
	struct rib_attr *a;
	uint8_t blob[128];
	double t0 = bench_now();
	size_t i, j;

	for (i = 0; i < t->ngrp; i++) {
		g = &t->grp[i];
		if (distinct)
			a = rib_attr_intern(
			    tab, blob, bench_blob(blob, (uint32_t)i, peer));
		else
			a = rib_attr_intern(tab, t->arena + g->off, g->len);
		for (j = 0; j < g->n; j++)
			if (rib_update(rib, SAFI_UNICAST, &t->pfx[g->first + j],
			        0, a) != RIB_ANNOUNCED) {
				fprintf(stderr, "bench_rib: insert failed\n");
				exit(1);
			}
		rib_attr_unref(tab, a);
	}
	return bench_now() - t0;
}

static void
bench_usage(void)
{
	fprintf(stderr,
	    "usage: bench_rib [-4 nv4] [-6 nv6] [-p peers] [-s seed] [-d] "
	    "[-o]\n");
	exit(2);
}

struct bench_opts {
	size_t nv4, nv6;
	unsigned peers;
	bool distinct;
	bool ordered;
};

static void
bench_report_load(struct rib *rib, struct rib_attrtab *tab,
    const struct bench_table *t, double secs, size_t heap, size_t rss)
{
	struct rib_stats s4, s6;

	if (rib_stats(rib, AFI_IPV4, SAFI_UNICAST, &s4) == -1 ||
	    rib_stats(rib, AFI_IPV6, SAFI_UNICAST, &s6) == -1)
		exit(1);
	printf("load: %zu routes (%zu IPv4, %zu IPv6) in %zu UPDATEs, "
	       "%.3f s, %.0f ns/route (intern + insert + delta)\n",
	    t->npfx, t->nv4, t->npfx - t->nv4, t->ngrp, secs,
	    secs * 1e9 / (double)t->npfx);
	printf("  attribute sets: %zu (1 per %.2f routes), %zu bytes "
	       "(%.1f bytes/set incl. index), blob avg %.1f bytes\n",
	    rib_attrtab_count(tab),
	    (double)t->npfx / (double)rib_attrtab_count(tab),
	    rib_attrtab_bytes(tab),
	    (double)rib_attrtab_bytes(tab) / (double)rib_attrtab_count(tab),
	    (double)t->arenalen / (double)t->ngrp);
	printf("  tree: IPv4 %.1f bytes/route, IPv6 %.1f bytes/route, "
	       "all %.1f bytes/route\n",
	    (double)s4.mem / (double)(s4.paths ? s4.paths : 1),
	    (double)s6.mem / (double)(s6.paths ? s6.paths : 1),
	    (double)rib_mem(rib) / (double)t->npfx);
	printf("  heap (mallinfo2): %.1f MiB = %.1f bytes/route all "
	       "included; RSS +%.1f MiB\n",
	    (double)heap / 1048576, (double)heap / (double)t->npfx,
	    (double)rss / 1048576);
}

/* Withdraw the table in another random order. */
static double
bench_withdraw_all(struct rib *rib, const struct bench_table *t)
{
	double t0;
	size_t i;

	t0 = bench_now();
	for (i = 0; i < t->npfx; i++)
		if (rib_withdraw(rib, SAFI_UNICAST, &t->wd[i], 0,
		        RIB_R_UPDATE) != RIB_WITHDRAWN) {
			fprintf(stderr, "bench_rib: withdraw failed\n");
			exit(1);
		}
	return bench_now() - t0;
}

static void
bench_peers(struct rib_attrtab *tab, struct rib *first,
    const struct bench_table *t, const struct bench_opts *o)
{
	struct rib **ribs = bench_alloc(o->peers * sizeof(*ribs));
	size_t heap0 = bench_heap(), rss0 = bench_rss(), heap;
	double secs = 0;
	unsigned i;

	ribs[0] = first;
	for (i = 1; i < o->peers; i++) {
		ribs[i] = rib_new(tab);
		rib_set_delta_cb(ribs[i], bench_delta_cb, NULL);
		secs += bench_load(ribs[i], tab, t, i, o->distinct);
	}
	heap = bench_heap() - heap0;
	printf("peers: %u peers%s, %.0f ns/route for the extra ones; "
	       "each extra peer %.1f MiB heap (%.1f bytes/route), "
	       "sets now %zu; RSS total %.1f MiB (+%.1f MiB)\n",
	    o->peers, o->distinct ? " with their own sets" : " sharing sets",
	    secs * 1e9 / (double)(t->npfx * (o->peers - 1)),
	    (double)heap / (o->peers - 1) / 1048576,
	    (double)heap / (o->peers - 1) / (double)t->npfx,
	    rib_attrtab_count(tab), (double)bench_rss() / 1048576,
	    (double)(bench_rss() - rss0) / 1048576);
	for (i = 1; i < o->peers; i++) {
		rib_flush(ribs[i], RIB_R_SESSION_DOWN);
		rib_free(ribs[i]);
	}
	free(ribs);
}

static void
bench_opts(int argc, char **argv, struct bench_opts *o)
{
	int ch;

	o->nv4 = 1000000;
	o->nv6 = 200000;
	o->peers = 20;
	o->distinct = false;
	o->ordered = false;
	while ((ch = getopt(argc, argv, "4:6:p:s:do")) != -1) {
		switch (ch) {
		case '4':
			o->nv4 = strtoul(optarg, NULL, 10);
			break;
		case '6':
			o->nv6 = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			o->peers = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			bench_seed = strtoull(optarg, NULL, 0) | 1;
			break;
		case 'd':
			o->distinct = true;
			break;
		case 'o':
			o->ordered = true;
			break;
		default:
			bench_usage();
		}
	}
	if (o->nv4 + o->nv6 == 0 || o->peers == 0)
		bench_usage();
}

int
main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_table t;
	struct rib_attrtab *tab;
	struct rib *rib;
	size_t heap0, rss0, n;
	double secs;

	bench_opts(argc, argv, &o);
	memset(&t, 0, sizeof(t));
	t.pfx = bench_alloc((o.nv4 + o.nv6) * sizeof(*t.pfx));
	bench_gen_family(&t, AFI_IPV4, o.nv4);
	t.nv4 = t.npfx;
	bench_gen_family(&t, AFI_IPV6, o.nv6);
	if (!o.ordered) {
		bench_shuffle(t.pfx, 0, t.nv4);
		bench_shuffle(t.pfx, t.nv4, t.npfx);
	}
	bench_gen_groups(&t);
	t.wd = bench_alloc(t.npfx * sizeof(*t.wd));
	memcpy(t.wd, t.pfx, t.npfx * sizeof(*t.wd));
	bench_shuffle(t.wd, 0, t.npfx);

	heap0 = bench_heap();
	rss0 = bench_rss();
	tab = rib_attrtab_new();
	rib = rib_new(tab);
	rib_set_delta_cb(rib, bench_delta_cb, NULL);
	secs = bench_load(rib, tab, &t, 0, false);
	bench_report_load(
	    rib, tab, &t, secs, bench_heap() - heap0, bench_rss() - rss0);

	secs = bench_withdraw_all(rib, &t);
	printf("withdraw all: %.3f s, %.0f ns/route; heap left %.1f KiB "
	       "(tree %zu bytes, sets %zu)\n",
	    secs, secs * 1e9 / (double)t.npfx,
	    (double)(bench_heap() - heap0) / 1024, rib_mem(rib),
	    rib_attrtab_count(tab));

	secs = bench_load(rib, tab, &t, 0, false);
	printf("reload: %.0f ns/route\n", secs * 1e9 / (double)t.npfx);
	if (o.peers > 1)
		bench_peers(tab, rib, &t, &o);
	secs = bench_now();
	n = rib_flush(rib, RIB_R_SESSION_DOWN);
	secs = bench_now() - secs;
	printf("flush (session down): %zu routes, %.3f s, %.0f ns/route; "
	       "sets left %zu, deltas %zu\n",
	    n, secs, secs * 1e9 / (double)n, rib_attrtab_count(tab),
	    bench_deltas);
	rib_free(rib);
	rib_attrtab_free(tab);
	free(t.pfx);
	free(t.wd);
	free(t.grp);
	free(t.arena);
	return 0;
}
