/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The synthetic table: N4 IPv4 + N6 IPv6 prefixes with the shape of
 * today's Internet table (prefix lengths, 2-8 hop AS paths through 15
 * tier-1, 400 tier-2 and 5000 tier-3 ASes, heavy-tailed prefixes per
 * origin, origin prepends, communities, large communities, MED), drawn
 * from a seed and generated as it is sent: prefixes walk up the address
 * space, and runs of consecutive prefixes share one attribute set (about
 * three prefixes per set), which is how a router packs its UPDATEs.
 *
 * Public: synth_new(), synth_print().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

#define SYNTH_T2 400
#define SYNTH_T3 5000
#define SYNTH_MAX_HOPS 7 /* behind the feeder */
#define SYNTH_GROUP_MAX 128
#define SYNTH_GEO_P 0.95 /* groups with an ingress community */
#define SYNTH_TAG_P 0.05 /* groups with a large community of their own */
#define SYNTH_WD_BATCH 1024

static const uint32_t synth_t1[] = { 174, 701, 1273, 1299, 2914, 3257, 3320,
	3356, 3491, 5511, 6453, 6461, 6762, 6830, 7018 };
#define SYNTH_T1 (sizeof(synth_t1) / sizeof(synth_t1[0]))

struct synth_len {
	uint8_t len;
	double w;
};

/* Share of each prefix length in today's tables (IPv4 ~60 % /24). */
static const struct synth_len synth_v4len[] = { { 24, 600 }, { 23, 95 },
	{ 22, 125 }, { 21, 55 }, { 20, 55 }, { 19, 22 }, { 18, 12 }, { 17, 8 },
	{ 16, 6 }, { 15, 0.5 }, { 14, 0.2 }, { 13, 0.1 }, { 12, 0.05 } };
/* IPv6 ~50 % /48; lengths up to /64 only (the walker counts in /64s). */
static const struct synth_len synth_v6len[] = { { 48, 500 }, { 32, 110 },
	{ 44, 80 }, { 40, 80 }, { 36, 40 }, { 29, 30 }, { 46, 30 }, { 47, 20 },
	{ 33, 20 }, { 34, 15 }, { 42, 15 }, { 45, 15 }, { 38, 10 }, { 28, 10 },
	{ 56, 15 }, { 64, 10 } };

static const uint16_t synth_commvals[] = { 100, 200, 300, 1000, 1100, 2000,
	2100, 3000, 3100, 4000, 5000, 20000, 20100, 21000, 666 };

struct synth_rng {
	uint64_t s;
};

/* splitmix64: small, fast and good enough for shapes. */
static inline uint64_t
synth_next(struct synth_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline double
synth_unit(struct synth_rng *r)
{
	return (double)(synth_next(r) >> 11) * 0x1.0p-53;
}

static inline uint32_t
synth_below(struct synth_rng *r, uint32_t n)
{
	return (uint32_t)(((synth_next(r) >> 32) * n) >> 32);
}

static uint64_t
synth_mix(uint64_t a, uint64_t b)
{
	struct synth_rng r = { a ^ (b * 0xd6e8feb86659fd93ull) };

	return synth_next(&r);
}

/* Index drawn by weights w[0..n). */
static size_t
synth_pick(struct synth_rng *r, const double *w, size_t n)
{
	double t = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		t += w[i];
	x = synth_unit(r) * t;
	for (i = 0; i + 1 < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* The prefixes of one family, walking up the address space. */
struct synth_walk {
	uint16_t afi;
	struct synth_rng r;
	uint64_t cur, end; /* IPv4: addresses; IPv6: units of /64 */
	uint64_t n, count;
	double avg; /* mean prefix size, in walker units */
	uint8_t width; /* 32 or 64 */
	const struct synth_len *lens;
	size_t nlens;
	double lw[16];
	/* de-aggregated more-specifics of the last covering prefix */
	uint64_t sub[4];
	uint8_t sublen;
	int nsub, isub;
	bool exhausted;
};

struct synth {
	uint64_t seed;
	uint32_t local_as;
	bool print_local; /* print: the local AS heads every path */
	uint32_t t2[SYNTH_T2], up2[SYNTH_T2][3];
	uint8_t n_up2[SYNTH_T2];
	uint32_t t3[SYNTH_T3];
	uint16_t up3[SYNTH_T3][2];
	uint8_t n_up3[SYNTH_T3];
	uint32_t *origins;
	double *cum;
	size_t n_origins;
	struct synth_rng grp;
	struct synth_walk w4, w6;
	uint64_t n4, n6;
	int stage; /* 0: IPv4, 1: EoR v4, 2: IPv6, 3: EoR v6, 4: done */
	bool withdrawing;
	uint64_t sent4, sent6; /* prefixes taken from each walker */
	uint8_t canon[4096];
	struct updenc_pfx pfx[SYNTH_WD_BATCH];
};

/* A set of used AS numbers while drawing the pools. */
struct synth_used {
	uint32_t *slot;
	size_t mask;
};

static bool
synth_used_add(struct synth_used *u, uint32_t as)
{
	size_t i = (size_t)synth_mix(as, 1) & u->mask;

	while (u->slot[i] != 0) {
		if (u->slot[i] == as)
			return false;
		i = (i + 1) & u->mask;
	}
	u->slot[i] = as;
	return true;
}

/* n distinct AS numbers, about a third of them 4-octet ones. */
static void
synth_asns(struct synth_rng *r, struct synth_used *u, uint32_t *out, size_t n)
{
	size_t k = 0;
	uint32_t a;

	while (k < n) {
		if (synth_unit(r) < 0.35)
			a = 131072 + synth_below(r, 4199999999u - 131072);
		else
			a = 1 + synth_below(r, 64495);
		if (a != BGP_AS_TRANS && synth_used_add(u, a))
			out[k++] = a;
	}
}

static int
synth_topology(struct synth *sy)
{
	struct synth_rng r = { synth_mix(sy->seed, 0x7090) };
	struct synth_used u;
	size_t i, j, size = 1;
	double acc = 0;

	while (size < 4 * (SYNTH_T1 + SYNTH_T2 + SYNTH_T3 + sy->n_origins))
		size <<= 1;
	u.slot = calloc(size, sizeof(*u.slot));
	sy->origins = calloc(sy->n_origins, sizeof(*sy->origins));
	sy->cum = calloc(sy->n_origins, sizeof(*sy->cum));
	if (u.slot == NULL || sy->origins == NULL || sy->cum == NULL) {
		free(u.slot);
		return -1;
	}
	u.mask = size - 1;
	for (i = 0; i < SYNTH_T1; i++)
		synth_used_add(&u, synth_t1[i]);
	synth_asns(&r, &u, sy->t2, SYNTH_T2);
	synth_asns(&r, &u, sy->t3, SYNTH_T3);
	synth_asns(&r, &u, sy->origins, sy->n_origins);
	free(u.slot);
	/* tier 2 below 1-3 tier 1s, tier 3 below 1-2 tier 2s */
	for (i = 0; i < SYNTH_T2; i++) {
		sy->n_up2[i] = (uint8_t)(1 + synth_below(&r, 3));
		for (j = 0; j < sy->n_up2[i]; j++)
			sy->up2[i][j] = synth_t1[synth_below(&r, SYNTH_T1)];
	}
	for (i = 0; i < SYNTH_T3; i++) {
		sy->n_up3[i] = (uint8_t)(1 + synth_below(&r, 2));
		for (j = 0; j < sy->n_up3[i]; j++)
			sy->up3[i][j] = (uint16_t)synth_below(&r, SYNTH_T2);
	}
	/* Heavy-tailed prefixes per origin: Pareto(1.1) weights. */
	for (i = 0; i < sy->n_origins; i++) {
		acc += pow(1.0 - synth_unit(&r), -1.0 / 1.1);
		sy->cum[i] = acc;
	}
	return 0;
}

static size_t
synth_origin(struct synth *sy)
{
	double x = synth_unit(&sy->grp) * sy->cum[sy->n_origins - 1];
	size_t lo = 0, hi = sy->n_origins - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (sy->cum[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One upstream chain of origin oi (chain c), origin last. */
static size_t
synth_chain(const struct synth *sy, size_t oi, unsigned c, uint32_t *path)
{
	static const double depth_w[] = { 4, 8, 30, 33, 15, 7, 3 };
	struct synth_rng r = { synth_mix(synth_mix(sy->seed, oi), 100 + c) };
	int depth = (int)synth_pick(&r, depth_w, 7) - 1;
	size_t n = 0, t3, t2;
	uint32_t mid[3];

	if (depth == 0) {
		path[n++] = synth_t1[synth_below(&r, SYNTH_T1)];
	} else if (depth > 0) {
		t3 = synth_below(&r, SYNTH_T3);
		t2 = sy->up3[t3][synth_below(&r, sy->n_up3[t3])];
		mid[0] = sy->up2[t2][synth_below(&r, sy->n_up2[t2])];
		mid[1] = sy->t2[t2];
		mid[2] = sy->t3[t3];
		for (n = 0; n < (size_t)depth && n < 3; n++)
			path[n] = mid[n];
		while (n < (size_t)depth) /* long tails: regional hops */
			path[n++] = sy->t3[synth_below(&r, SYNTH_T3)];
	}
	if (n >= SYNTH_MAX_HOPS)
		n = SYNTH_MAX_HOPS - 1;
	path[n++] = sy->origins[oi];
	return n;
}

/* The communities of a variant: 0-5 values tagged by the first AS. */
static void
synth_comms(struct synth_rng *r, const uint32_t *path, struct feed_attrs *a)
{
	static const double nc_w[] = { 25, 20, 20, 15, 12, 8 };
	size_t nc = synth_pick(r, nc_w, 6), i, k = 0;
	uint32_t tag = path[0] < 65536 ? path[0] : 64496;
	bool take[15] = { false };

	while (k < nc) {
		i = synth_below(r, 15);
		if (!take[i]) {
			take[i] = true;
			k++;
		}
	}
	/* in ascending order of value, as routers keep them */
	for (k = 0; k < nc; k++) {
		size_t best = 15;

		for (i = 0; i < 15; i++)
			if (take[i] &&
			    (best == 15 ||
			        synth_commvals[i] < synth_commvals[best]))
				best = i;
		take[best] = false;
		a->comm[a->ncomm++] = tag << 16 | synth_commvals[best];
	}
}

/* Attribute set j of chain c of origin oi. */
static void
synth_variant(const struct synth *sy, size_t oi, unsigned c, unsigned j,
    struct feed_attrs *a)
{
	static const uint32_t meds[] = { 0, 10, 50, 100, 200, 1000 };
	struct synth_rng r = { synth_mix(
	    synth_mix(sy->seed, oi), 200 + c * 2 + j) };
	uint32_t path[SYNTH_MAX_HOPS + 3];
	size_t n = synth_chain(sy, oi, c, path), i, k;

	feed_attrs_init(a);
	if (synth_unit(&r) < 0.08 && n < SYNTH_MAX_HOPS) {
		k = 1 + synth_below(&r, 3); /* origin prepending */
		for (i = 0; i < k && n < SYNTH_MAX_HOPS; i++, n++)
			path[n] = path[n - 1];
	}
	if (sy->print_local)
		a->asn[a->nasn++] = sy->local_as;
	for (i = 0; i < n; i++)
		a->asn[a->nasn++] = path[i];
	a->nseg = 1;
	a->seg[0].type = AS_SEQUENCE;
	a->seg[0].count = (uint8_t)a->nasn;
	synth_comms(&r, path, a);
	if (synth_unit(&r) < 0.15) {
		k = 1 + synth_below(&r, 3);
		for (i = 0; i < k; i++) {
			a->lcomm[a->nlcomm][0] = path[n - 1];
			a->lcomm[a->nlcomm][1] = 1 + synth_below(&r, 9);
			a->lcomm[a->nlcomm++][2] = 1 + synth_below(&r, 999);
		}
	}
	if (synth_unit(&r) < 0.20) {
		a->has_med = true;
		a->med = meds[synth_below(&r, 6)];
	}
	if (synth_unit(&r) < 0.03)
		a->origin = ORIGIN_INCOMPLETE;
}

/*
 * The attributes of the next group: an origin, one of its 1-3 upstream
 * chains with 1-2 attribute sets each, and sometimes a tag of its own.
 */
static void
synth_group_attrs(struct synth *sy, struct feed_attrs *a)
{
	static const double nch_w[] = { 55, 35, 10 };
	size_t oi = synth_origin(sy);
	struct synth_rng r = { synth_mix(sy->seed ^ 0x5eed, oi) };
	unsigned nch = 1 + (unsigned)synth_pick(&r, nch_w, 3), sets[3], tot = 0;
	unsigned c, v;
	uint32_t first;

	for (c = 0; c < nch; c++)
		tot += sets[c] = synth_below(&r, 3) == 0 ? 2 : 1;
	v = synth_below(&sy->grp, tot);
	for (c = 0; v >= sets[c]; c++)
		v -= sets[c];
	synth_variant(sy, oi, c, v, a);
	/*
	 * Where the route entered the first transit AS (an ingress
	 * community, 3000 places): what makes most groups' sets distinct.
	 */
	first = a->asn[sy->print_local ? 1 : 0];
	if (synth_unit(&sy->grp) < SYNTH_GEO_P && a->ncomm < FEED_MAX_COMM)
		a->comm[a->ncomm++] = (first < 65536 ? first : 64496) << 16 |
		    (30000 + synth_below(&sy->grp, 3000));
	/* a few prefix-specific tags, as gen_table.py has them */
	if (synth_unit(&sy->grp) < SYNTH_TAG_P && a->nlcomm < FEED_MAX_LCOMM) {
		a->lcomm[a->nlcomm][0] = 64496;
		a->lcomm[a->nlcomm][1] = 7;
		a->lcomm[a->nlcomm++][2] = 1 + synth_below(&sy->grp, 50000);
	}
}

/* Prefixes per attribute set: mostly 1-2, a tail up to 128 (mean ~3). */
static size_t
synth_group_size(struct synth *sy)
{
	static const double w[] = { 55, 20, 9, 5, 7, 3.5, 0.5 };
	static const size_t lo[] = { 1, 2, 3, 4, 5, 9, 33 };
	static const size_t hi[] = { 1, 2, 3, 4, 8, 32, 128 };
	size_t i = synth_pick(&sy->grp, w, 7);

	return lo[i] + synth_below(&sy->grp, (uint32_t)(hi[i] - lo[i] + 1));
}

static void
synth_walk_init(struct synth_walk *w, uint16_t afi, uint64_t seed, uint64_t n)
{
	size_t i;
	double tot = 0, acc = 0;

	memset(w, 0, sizeof(*w));
	w->afi = afi;
	w->r.s = synth_mix(seed, afi);
	w->n = n;
	if (afi == AFI_IPV4) {
		w->lens = synth_v4len;
		w->nlens = sizeof(synth_v4len) / sizeof(synth_v4len[0]);
		w->width = 32;
		w->cur = 0x01000000; /* 1.0.0.0 */
		w->end = 0xe0000000; /* 224.0.0.0: no multicast, no class E */
	} else {
		w->lens = synth_v6len;
		w->nlens = sizeof(synth_v6len) / sizeof(synth_v6len[0]);
		w->width = 64;
		w->cur = 0x2001000000000000ull; /* 2001::/64 */
		w->end = 0x2c0fffff00000000ull;
	}
	for (i = 0; i < w->nlens; i++) {
		w->lw[i] = w->lens[i].w;
		tot += w->lens[i].w;
		acc += ldexp(w->lens[i].w, w->width - w->lens[i].len);
	}
	w->avg = acc / tot;
}

/* RFC 6890 ranges the table never holds: 0/8, 10/8, 127/8, 198.18/15. */
static bool
synth_v4_reserved(uint64_t a, uint64_t size)
{
	static const uint64_t r[][2] = { { 0x00000000, 0x01000000 },
		{ 0x0a000000, 0x0b000000 }, { 0x7f000000, 0x80000000 },
		{ 0xc6120000, 0xc6140000 } };
	size_t i;

	for (i = 0; i < 4; i++)
		if (a < r[i][1] && a + size > r[i][0])
			return true;
	return false;
}

static void
synth_walk_emit(
    const struct synth_walk *w, uint64_t at, uint8_t len, struct updenc_pfx *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->p.afi = (uint8_t)w->afi;
	p->p.len = len;
	for (i = 0; i < w->width / 8; i++)
		p->p.addr[i] = (uint8_t)(at >> (w->width - 8 - 8 * i));
}

/* Queue 1-4 more-specifics of a covering prefix (30 % of <= /22). */
static void
synth_walk_subs(struct synth_walk *w, uint64_t at, uint8_t len)
{
	uint8_t nl = len >= 16 ? 24 : (uint8_t)(len + 8);
	uint32_t total = 1u << (nl - len), idx[4];
	int k = 1 + (int)synth_below(&w->r, 4), i, j;

	if ((uint32_t)k > total)
		k = (int)total;
	for (i = 0; i < k;) {
		idx[i] = synth_below(&w->r, total);
		for (j = 0; j < i && idx[j] != idx[i]; j++)
			;
		if (j == i)
			i++;
	}
	for (i = 1; i < k; i++) /* sorted: the walk goes up */
		for (j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
			uint32_t t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	for (i = 0; i < k; i++)
		w->sub[i] = at + ((uint64_t)idx[i] << (w->width - nl));
	w->sublen = nl;
	w->nsub = k;
	w->isub = 0;
}

/* The next prefix of the walk; false when n are done or space ran out. */
static bool
synth_walk_next(struct synth_walk *w, struct updenc_pfx *p)
{
	double gap, d, room;
	uint64_t size, at;
	uint8_t len;

	if (w->count >= w->n || w->exhausted)
		return false;
	if (w->isub < w->nsub) {
		synth_walk_emit(w, w->sub[w->isub++], w->sublen, p);
		w->count++;
		return true;
	}
	for (;;) {
		gap = (double)(w->end - w->cur) / (double)(w->n - w->count) -
		    (w->afi == AFI_IPV4 ? 2.2 : 3.0) * w->avg;
		len = w->lens[synth_pick(&w->r, w->lw, w->nlens)].len;
		size = 1ull << (w->width - len);
		at = (w->cur + size - 1) / size * size;
		if (at + size > w->end || at < w->cur) {
			feed_warnx("synthetic %s space exhausted after %llu "
			           "prefixes",
			    afi_name(w->afi), (unsigned long long)w->count);
			w->exhausted = true;
			return false;
		}
		w->cur = at + size;
		if (w->afi == AFI_IPV4 && synth_v4_reserved(at, size))
			continue;
		break;
	}
	synth_walk_emit(w, at, len, p);
	w->count++;
	if (w->afi == AFI_IPV4 && len <= 22 && synth_unit(&w->r) < 0.30)
		synth_walk_subs(w, at, len);
	if (gap > 0) {
		/*
		 * An exponential gap, cut at twice its mean and at what the
		 * prefixes still to come need, so the walk ends in its space.
		 */
		d = -log(1.0 - synth_unit(&w->r)) * gap;
		room = (double)(w->end - w->cur) -
		    (double)(w->n - w->count) * 2.2 * w->avg;
		if (d > 2 * gap)
			d = 2 * gap;
		if (d > room)
			d = room > 0 ? room : 0;
		w->cur += (uint64_t)d;
	}
	return true;
}

/* The next group of family w: prefixes into p, attributes into a. */
static size_t
synth_group(struct synth *sy, struct synth_walk *w, struct updenc_pfx *p,
    struct feed_attrs *a)
{
	size_t g = synth_group_size(sy), n = 0;

	synth_group_attrs(sy, a);
	while (n < g && synth_walk_next(w, &p[n]))
		n++;
	return n;
}

static struct synth *
synth_create(const struct feed_opts *o)
{
	struct synth *sy = calloc(1, sizeof(*sy));
	uint64_t total = o->n4 + o->n6;

	if (sy == NULL)
		return NULL;
	sy->seed = o->seed;
	sy->local_as = o->local_as;
	sy->n4 = o->n4;
	sy->n6 = o->n6;
	sy->n_origins = total / 16;
	if (sy->n_origins < 64)
		sy->n_origins = 64;
	if (sy->n_origins > 75000)
		sy->n_origins = 75000;
	sy->grp.s = synth_mix(o->seed, 0x67);
	synth_walk_init(&sy->w4, AFI_IPV4, o->seed, o->n4);
	synth_walk_init(&sy->w6, AFI_IPV6, o->seed, o->n6);
	if (synth_topology(sy) == -1) {
		free(sy->origins);
		free(sy->cum);
		free(sy);
		return NULL;
	}
	return sy;
}

static void
synth_free(void *arg)
{
	struct synth *sy = arg;

	free(sy->origins);
	free(sy->cum);
	free(sy);
}

/* Up to a batch of the first limit prefixes of walk w, replayed. */
static size_t
synth_wd_batch(struct synth_walk *w, uint64_t limit, struct updenc_pfx *p)
{
	size_t n = 0;

	while (
	    n < SYNTH_WD_BATCH && w->count < limit && synth_walk_next(w, &p[n]))
		n++;
	return n;
}

/* Withdraw what the walkers handed out, replaying them from the seed. */
static enum feed_fill
synth_fill_withdraw(struct synth *sy, struct feed_out *o, size_t budget)
{
	size_t n;

	while (wbuf_len(o->w) < budget) {
		if ((n = synth_wd_batch(&sy->w4, sy->sent4, sy->pfx)) > 0) {
			feed_withdraw(o, AFI_IPV4, sy->pfx, n);
			continue;
		}
		if ((n = synth_wd_batch(&sy->w6, sy->sent6, sy->pfx)) == 0)
			return FEED_DONE;
		feed_withdraw(o, AFI_IPV6, sy->pfx, n);
	}
	return FEED_MORE;
}

static enum feed_fill
synth_fill(
    void *arg, struct feed_out *o, size_t budget, double now, double *due)
{
	struct synth *sy = arg;
	struct feed_attrs a;
	struct wbuf cw;
	struct synth_walk *w;
	size_t n;

	if (sy->withdrawing)
		return synth_fill_withdraw(sy, o, budget);
	o->prepend = o->ebgp || o->prepend;
	while (wbuf_len(o->w) < budget) {
		if (sy->stage == 1 || sy->stage == 3) {
			feed_eor(o, sy->stage == 1 ? AFI_IPV4 : AFI_IPV6);
			sy->stage++;
			continue;
		}
		if (sy->stage == 4)
			return FEED_DONE;
		w = sy->stage == 0 ? &sy->w4 : &sy->w6;
		if ((w->afi == AFI_IPV4 && !o->fam_v4) ||
		    (w->afi == AFI_IPV6 && !o->fam_v6)) {
			o->skipped += w->n;
			sy->stage++;
			continue;
		}
		if ((n = synth_group(sy, w, sy->pfx, &a)) == 0) {
			sy->stage++;
			continue;
		}
		*(w->afi == AFI_IPV4 ? &sy->sent4 : &sy->sent6) += n;
		wbuf_init_fixed(&cw, sy->canon, sizeof(sy->canon));
		if (feed_attrs_canon(&a, w->afi, o, &cw) == -1 ||
		    feed_announce(
		        o, w->afi, sy->canon, wbuf_len(&cw), sy->pfx, n) == -1)
			return FEED_ERROR;
	}
	return FEED_MORE;
}

static void
synth_withdraw_all(void *arg)
{
	struct synth *sy = arg;

	sy->withdrawing = true;
	synth_walk_init(&sy->w4, AFI_IPV4, sy->seed, sy->n4);
	synth_walk_init(&sy->w6, AFI_IPV6, sy->seed, sy->n6);
}

struct feed_source *
synth_new(const struct feed_opts *o)
{
	struct feed_source *src = calloc(1, sizeof(*src));
	struct synth *sy = synth_create(o);

	if (src == NULL || sy == NULL) {
		free(src);
		if (sy != NULL)
			synth_free(sy);
		return NULL;
	}
	src->name = "synthetic";
	src->fill = synth_fill;
	src->withdraw_all = synth_withdraw_all;
	src->free = synth_free;
	src->arg = sy;
	return src;
}

int
synth_print(const struct feed_opts *o, FILE *f)
{
	struct synth *sy = synth_create(o);
	struct feed_attrs a;
	struct synth_walk *w;
	char buf[PREFIX_STRLEN];
	size_t n, i;
	int fam;

	if (sy == NULL)
		return -1;
	sy->print_local = o->peer_as_any || o->peer_as != o->local_as;
	fprintf(f,
	    "# bgpfeed --synthetic %llu,%llu --seed %llu "
	    "--local-as %u\n",
	    (unsigned long long)o->n4, (unsigned long long)o->n6,
	    (unsigned long long)o->seed, o->local_as);
	for (fam = 0; fam < 2; fam++) {
		w = fam == 0 ? &sy->w4 : &sy->w6;
		while ((n = synth_group(sy, w, sy->pfx, &a)) > 0) {
			fputs("at +0 announce", f);
			for (i = 0; i < n; i++)
				fprintf(f, " %s",
				    prefix_fmt(
				        &sy->pfx[i].p, buf, sizeof(buf)));
			feed_attrs_print(&a, f);
			fputc('\n', f);
		}
		fprintf(f, "at +0 eor %s\n", fam == 0 ? "ipv4" : "ipv6");
	}
	synth_free(sy);
	return ferror(f) ? -1 : 0;
}
