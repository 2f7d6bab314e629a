/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/rib.c: deltas for every kind of change, ADD-PATH path
 * ids, interning and exact reference counts, graceful restart, ordered and
 * filtered walks, resumable cursors under concurrent change, and a long
 * randomized run against a sorted-array model of the Adj-RIB-In.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib.h"

/*
 * Check logs every passing ck_assert (a write per check), which costs
 * seconds over the millions of checks of the loops below; they check
 * quietly and call Check only on failure.
 */
#define T(c)                                                                   \
	do {                                                                   \
		if (!(c))                                                      \
			ck_abort_msg("failed: %s", #c);                        \
	} while (0)
#define T_CMP(a, op, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (!(a_ op b_))                                               \
			ck_abort_msg("failed: %s %s %s (%lld, %lld)", #a, #op, \
			    #b, a_, b_);                                       \
	} while (0)
#define T_EQ(a, b) T_CMP(a, ==, b)
#define T_PEQ(a, b) T((a) == (b))
#define T_LT(a, b) T_CMP(a, <, b)
#define T_LE(a, b) T_CMP(a, <=, b)
#define T_GT(a, b) T_CMP(a, >, b)
#define T_GE(a, b) T_CMP(a, >=, b)
#define T_NULL(a) T((a) == NULL)
#define T_NONNULL(a) T((a) != NULL)

/* The RIB's own invariant check must hold after every test step. */
static void
rib_ok(const struct rib *rib)
{
	const char *why = NULL;

	if (rib_check(rib, &why) != 0)
		ck_abort_msg("rib_check: %s", why);
}

/*
 * Fixtures: attribute blobs (canonical-looking bytes; the RIB never looks
 * inside) and a recorder of deltas.
 */

/* ORIGIN IGP, AS_PATH {64500, asn}, NEXT_HOP nh: what a peer sent. */
static size_t
blob_make(uint8_t *b, uint32_t asn, const uint8_t nh[4])
{
	static const uint8_t head[] = { 0x40, 0x01, 0x01, 0x00, 0x40, 0x02,
		0x0a, 0x02, 0x02, 0x00, 0x00, 0xfb, 0xf4 };
	size_t n = sizeof(head);

	memcpy(b, head, n);
	b[n++] = (uint8_t)(asn >> 24);
	b[n++] = (uint8_t)(asn >> 16);
	b[n++] = (uint8_t)(asn >> 8);
	b[n++] = (uint8_t)asn;
	b[n++] = 0x40;
	b[n++] = 0x03;
	b[n++] = 0x04;
	memcpy(b + n, nh, 4);
	return n + 4;
}

static struct rib_attr *
blob_intern(struct rib_attrtab *tab, uint32_t asn)
{
	static const uint8_t nh[4] = { 192, 0, 2, 1 };
	uint8_t b[64];

	return rib_attr_intern(tab, b, blob_make(b, asn, nh));
}

struct rec_delta {
	enum rib_delta_kind kind;
	enum rib_reason reason;
	uint8_t safi;
	struct prefix prefix;
	uint32_t path_id;
	struct rib_attr *attr;
	struct rib_attr *prev;
};

struct rec {
	struct rec_delta *d;
	size_t n;
	size_t cap;
};

static void
rec_cb(void *arg, const struct rib_delta *d)
{
	struct rec *r = arg;

	/* Both sets must still be alive while the delta is delivered. */
	T(d->attr == NULL || d->attr->refcnt > 0);
	T(d->prev == NULL || d->prev->refcnt > 0);
	T(d->kind != RIB_ANNOUNCED || (d->attr != NULL && d->prev == NULL));
	T(d->kind != RIB_REPLACED ||
	    (d->attr != NULL && d->prev != NULL && d->attr != d->prev));
	T(d->kind != RIB_WITHDRAWN || (d->attr == NULL && d->prev != NULL));
	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 64 : r->cap * 2;
		r->d = realloc(r->d, r->cap * sizeof(*r->d));
		T_NONNULL(r->d);
	}
	r->d[r->n].kind = d->kind;
	r->d[r->n].reason = d->reason;
	r->d[r->n].safi = d->safi;
	r->d[r->n].prefix = *d->prefix;
	r->d[r->n].path_id = d->path_id;
	r->d[r->n].attr = d->attr;
	r->d[r->n].prev = d->prev;
	r->n++;
}

static struct prefix
pfx(const char *s)
{
	struct prefix p;

	ck_assert_msg(prefix_parse(s, &p) == 0, "bad prefix %s", s);
	return p;
}

static void
route_str(const struct prefix *p, uint32_t pid, char *buf, size_t size)
{
	char a[PREFIX_STRLEN];

	snprintf(buf, size, "%s#%u", prefix_fmt(p, a, sizeof(a)), pid);
}

/*
 * Deltas: each vector is a sequence of changes with the return value and
 * the single delta (or none) each must produce.
 */

#define NBLOB 3 /* blobs A, B, C; -1 is "none" */

struct step {
	char op; /* 'U' update, 'W' withdraw, 'T' treat-as-withdraw */
	const char *prefix;
	uint32_t path_id;
	int blob; /* what U stores */
	int ret;
	int prev; /* expected previous blob in the delta */
};

static const struct {
	const char *name;
	struct step s[8];
	uint64_t prefixes, paths; /* IPv4 + IPv6 unicast at the end */
} dvec[] = {
	{ "announce", { { 'U', "192.0.2.0/24", 0, 0, RIB_ANNOUNCED, -1 } }, 1,
	    1 },
	{ "replace",
	    { { 'U', "192.0.2.0/24", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "192.0.2.0/24", 0, 1, RIB_REPLACED, 0 },
	        { 'U', "192.0.2.0/24", 0, 2, RIB_REPLACED, 1 } },
	    1, 1 },
	{ "unchanged",
	    { { 'U', "192.0.2.0/24", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "192.0.2.0/24", 0, 0, RIB_NONE, -1 } },
	    1, 1 },
	{ "unmasked input is the same route",
	    { { 'U', "192.0.2.0/24", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "192.0.2.77/24", 0, 0, RIB_NONE, -1 },
	        { 'W', "192.0.2.255/24", 0, -1, RIB_WITHDRAWN, 0 } },
	    0, 0 },
	{ "withdraw",
	    { { 'U', "198.51.100.0/24", 0, 1, RIB_ANNOUNCED, -1 },
	        { 'W', "198.51.100.0/24", 0, -1, RIB_WITHDRAWN, 1 },
	        { 'W', "198.51.100.0/24", 0, -1, RIB_NONE, -1 } },
	    0, 0 },
	{ "absent withdraw",
	    { { 'U', "10.0.0.0/8", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'W', "10.0.0.0/16", 0, -1, RIB_NONE, -1 },
	        { 'W', "10.0.0.0/8", 7, -1, RIB_NONE, -1 },
	        { 'W', "2001:db8::/32", 0, -1, RIB_NONE, -1 } },
	    1, 1 },
	{ "lengths are distinct routes",
	    { { 'U', "10.0.0.0/8", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "10.0.0.0/16", 0, 1, RIB_ANNOUNCED, -1 },
	        { 'U', "10.0.0.0/24", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'W', "10.0.0.0/16", 0, -1, RIB_WITHDRAWN, 1 } },
	    2, 2 },
	{ "add-path ids are distinct routes",
	    { { 'U', "203.0.113.0/24", 1, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "203.0.113.0/24", 2, 1, RIB_ANNOUNCED, -1 },
	        { 'U', "203.0.113.0/24", 0xffffffff, 2, RIB_ANNOUNCED, -1 },
	        { 'U', "203.0.113.0/24", 2, 0, RIB_REPLACED, 1 },
	        { 'W', "203.0.113.0/24", 1, -1, RIB_WITHDRAWN, 0 } },
	    1, 2 },
	{ "treat-as-withdraw",
	    { { 'U', "192.0.2.0/25", 0, 2, RIB_ANNOUNCED, -1 },
	        { 'T', "192.0.2.0/25", 0, -1, RIB_WITHDRAWN, 2 } },
	    0, 0 },
	{ "ipv6",
	    { { 'U', "2001:db8::/32", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "2001:db8::/48", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "2001:db8::/32", 0, 1, RIB_REPLACED, 0 },
	        { 'U', "2001:db8::/32", 9, 1, RIB_ANNOUNCED, -1 },
	        { 'W', "2001:db8::/48", 0, -1, RIB_WITHDRAWN, 0 } },
	    1, 2 },
	{ "extremes",
	    { { 'U', "0.0.0.0/0", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "255.255.255.255/32", 0, 1, RIB_ANNOUNCED, -1 },
	        { 'U', "::/0", 0, 0, RIB_ANNOUNCED, -1 },
	        { 'U', "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 0, 2,
	            RIB_ANNOUNCED, -1 },
	        { 'U', "::/0", 0xffffffff, 2, RIB_ANNOUNCED, -1 } },
	    4, 5 },
};

static void
delta_step(
    struct rib *rib, struct rec *rec, struct rib_attr **b, const struct step *s)
{
	struct prefix p = pfx(s->prefix), m = p;
	int ret;

	prefix_mask(&m);
	rec->n = 0;
	if (s->op == 'U')
		ret = rib_update(rib, SAFI_UNICAST, &p, s->path_id, b[s->blob]);
	else
		ret = rib_withdraw(rib, SAFI_UNICAST, &p, s->path_id,
		    s->op == 'T' ? RIB_R_TREAT_AS_WITHDRAW : RIB_R_UPDATE);
	ck_assert_int_eq(ret, s->ret);
	ck_assert_uint_eq(rec->n, s->ret == RIB_NONE ? 0 : 1);
	if (rec->n == 0)
		return;
	ck_assert_int_eq(rec->d[0].kind, s->ret);
	ck_assert_int_eq(rec->d[0].reason,
	    s->op == 'T' ? RIB_R_TREAT_AS_WITHDRAW : RIB_R_UPDATE);
	ck_assert_int_eq(rec->d[0].safi, SAFI_UNICAST);
	ck_assert_int_eq(prefix_cmp(&rec->d[0].prefix, &m), 0);
	ck_assert_uint_eq(rec->d[0].path_id, s->path_id);
	ck_assert_ptr_eq(rec->d[0].attr, s->op == 'U' ? b[s->blob] : NULL);
	ck_assert_ptr_eq(rec->d[0].prev, s->prev < 0 ? NULL : b[s->prev]);
	ck_assert_ptr_eq(rib_get(rib, SAFI_UNICAST, &p, s->path_id),
	    s->op == 'U' ? b[s->blob] : NULL);
}

START_TEST(test_deltas)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *b[NBLOB];
	struct rib_stats s4, s6;
	struct rec rec = { 0 };
	size_t i;

	for (i = 0; i < NBLOB; i++)
		b[i] = blob_intern(tab, 64501 + (uint32_t)i);
	rib_set_delta_cb(rib, rec_cb, &rec);
	for (i = 0; i < 8 && dvec[_i].s[i].op != 0; i++) {
		delta_step(rib, &rec, b, &dvec[_i].s[i]);
		rib_ok(rib);
	}
	ck_assert_int_eq(rib_stats(rib, AFI_IPV4, SAFI_UNICAST, &s4), 0);
	ck_assert_int_eq(rib_stats(rib, AFI_IPV6, SAFI_UNICAST, &s6), 0);
	ck_assert_uint_eq(s4.prefixes + s6.prefixes, dvec[_i].prefixes);
	ck_assert_uint_eq(s4.paths + s6.paths, dvec[_i].paths);
	rec.n = 0;
	ck_assert_uint_eq(rib_flush(rib, RIB_R_SESSION_DOWN), dvec[_i].paths);
	ck_assert_uint_eq(rec.n, dvec[_i].paths);
	for (i = 0; i < NBLOB; i++) {
		ck_assert_uint_eq(b[i]->refcnt, 1);
		rib_attr_unref(tab, b[i]);
	}
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_free(rib);
	rib_attrtab_free(tab);
	free(rec.d);
}
END_TEST

/* Inputs the RIB refuses: families it does not carry, impossible lengths. */
static const struct {
	const char *name;
	uint8_t afi;
	uint8_t len;
	uint8_t safi;
} badvec[] = {
	{ "ipv4 /33", AFI_IPV4, 33, SAFI_UNICAST },
	{ "ipv6 /129", AFI_IPV6, 129, SAFI_UNICAST },
	{ "ipv4 /255", AFI_IPV4, 255, SAFI_MULTICAST },
	{ "flowspec", AFI_IPV4, 24, SAFI_FLOWSPEC },
	{ "mpls-vpn", AFI_IPV6, 64, SAFI_MPLS_VPN },
	{ "afi 0", 0, 8, SAFI_UNICAST },
	{ "afi l2vpn", 25, 8, SAFI_UNICAST },
};

START_TEST(test_refused)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1);
	struct rib_route out[1];
	struct rec rec = { 0 };
	struct prefix p;

	memset(&p, 0, sizeof(p));
	p.afi = badvec[_i].afi;
	p.len = badvec[_i].len;
	rib_set_delta_cb(rib, rec_cb, &rec);
	ck_assert_int_eq(rib_update(rib, badvec[_i].safi, &p, 0, a), -1);
	ck_assert_int_eq(
	    rib_withdraw(rib, badvec[_i].safi, &p, 0, RIB_R_UPDATE), -1);
	ck_assert_ptr_null(rib_get(rib, badvec[_i].safi, &p, 0));
	ck_assert_uint_eq(rib_lookup(rib, badvec[_i].safi, &p, out, 1), 0);
	ck_assert_uint_eq(rib_mark_stale(rib, p.afi, badvec[_i].safi), 0);
	ck_assert_uint_eq(rib_flush_stale(rib, p.afi, badvec[_i].safi), 0);
	ck_assert_uint_eq(rec.n, 0);
	ck_assert_uint_eq(a->refcnt, 1);
	rib_attr_unref(tab, a);
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_free(rib);
	rib_attrtab_free(tab);
}
END_TEST

/*
 * A monitor installs nothing: martian and unreachable next hops are stored
 * and reported exactly as received.
 */
static const struct {
	const char *name;
	const char *prefix;
	uint8_t nh[4];
	uint8_t nh6[16];
} martvec[] = {
	{ "loopback 127.0.0.1", "192.0.2.0/24", { 127, 0, 0, 1 }, { 0 } },
	{ "127.0.0.255", "198.51.100.0/24", { 127, 0, 0, 255 }, { 0 } },
	{ "0.0.0.0", "203.0.113.0/24", { 0, 0, 0, 0 }, { 0 } },
	{ "class E", "10.0.0.0/8", { 240, 0, 0, 1 }, { 0 } },
	{ "ipv6 ::1", "2001:db8::/32", { 0 },
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
	{ "ipv4-mapped", "2001:db8:1::/48", { 0 },
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1 } },
	{ "unspecified ::", "::/0", { 0 }, { 0 } },
};

START_TEST(test_martian_nexthop)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct prefix p = pfx(martvec[_i].prefix);
	struct rib_attr *a, *got;
	uint8_t b[96];
	size_t n;

	n = blob_make(b, 64511, martvec[_i].nh);
	if (p.afi == AFI_IPV6) {
		/* MP_REACH_NLRI reduced to AFI/SAFI + next hop. */
		static const uint8_t mp[] = { 0x80, 0x0e, 0x14, 0x00, 0x02,
			0x01, 0x10 };
		memcpy(b + n, mp, sizeof(mp));
		memcpy(b + n + sizeof(mp), martvec[_i].nh6, 16);
		b[n + sizeof(mp) + 16] = 0; /* reserved */
		n += sizeof(mp) + 17;
	}
	a = rib_attr_intern(tab, b, n);
	ck_assert_int_eq(
	    rib_update(rib, SAFI_UNICAST, &p, 0, a), RIB_ANNOUNCED);
	rib_attr_unref(tab, a);
	got = rib_get(rib, SAFI_UNICAST, &p, 0);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->len, n);
	ck_assert_mem_eq(got->bytes, b, n);
	ck_assert_uint_eq(got->refcnt, 1);
	rib_free(rib);
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_attrtab_free(tab);
}
END_TEST

/*
 * Interning: 1000 routes over 3 distinct sets make 3 table entries with
 * exact reference counts, all gone after a flush.
 */
START_TEST(test_interning)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a[3], *again;
	struct rec rec = { 0 };
	struct prefix p;
	size_t bytes0 = rib_attrtab_bytes(tab), mem0 = rib_mem(rib), bytes1;
	uint32_t i, used[3] = { 0 };

	for (i = 0; i < 1000; i++) {
		struct rib_attr *x = blob_intern(tab, 65000 + i % 3);

		memset(&p, 0, sizeof(p));
		p.afi = i % 2 == 0 ? AFI_IPV4 : AFI_IPV6;
		p.len = 24;
		p.addr[0] = (uint8_t)(i >> 8);
		p.addr[1] = (uint8_t)i;
		ck_assert_int_eq(
		    rib_update(rib, SAFI_UNICAST, &p, i % 2, x), RIB_ANNOUNCED);
		used[i % 3]++;
		rib_attr_unref(tab, x);
	}
	ck_assert_uint_eq(rib_attrtab_count(tab), 3);
	ck_assert_uint_gt(rib_attrtab_bytes(tab), bytes0);
	bytes1 = rib_attrtab_bytes(tab);
	for (i = 0; i < 3; i++) {
		a[i] = blob_intern(tab, 65000 + i);
		again = blob_intern(tab, 65000 + i);
		ck_assert_ptr_eq(a[i], again);
		rib_attr_unref(tab, again);
		ck_assert_uint_eq(a[i]->refcnt, used[i] + 1);
	}
	ck_assert_ptr_ne(a[0], a[1]);
	ck_assert_ptr_ne(a[1], a[2]);
	rib_set_delta_cb(rib, rec_cb, &rec);
	ck_assert_uint_eq(rib_flush(rib, RIB_R_MAX_PREFIX), 1000);
	ck_assert_uint_eq(rec.n, 1000);
	for (i = 0; i < rec.n; i++)
		ck_assert_int_eq(rec.d[i].reason, RIB_R_MAX_PREFIX);
	/* Our own references keep the sets alive through the flush. */
	ck_assert_uint_eq(rib_attrtab_bytes(tab), bytes1);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(a[i]->refcnt, 1);
		rib_attr_unref(tab, a[i]);
	}
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	ck_assert_uint_eq(rib_attrtab_bytes(tab), bytes0);
	ck_assert_uint_eq(rib_mem(rib), mem0);
	rib_free(rib);
	rib_attrtab_free(tab);
	free(rec.d);
}
END_TEST

/* A small deterministic generator (xorshift64*), fixed seeds. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/*
 * Many distinct sets interned and dropped in a scrambled order: the table
 * grows, shrinks and keeps finding every live set.
 */
START_TEST(test_intern_churn)
{
	enum { N = 40000 };
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib_attr **a = calloc(N, sizeof(*a)), *x;
	uint32_t *perm = calloc(N, sizeof(*perm)), i, j, t;
	size_t bytes0 = rib_attrtab_bytes(tab);
	uint64_t seed = 0x5eed1;
	uint8_t b[48];

	T_NONNULL(a);
	T_NONNULL(perm);
	for (i = 0; i < N; i++) {
		memset(b, (int)(i % 251), sizeof(b));
		memcpy(b, &i, sizeof(i));
		a[i] = rib_attr_intern(tab, b, 4 + i % 40);
		T_EQ(a[i]->refcnt, 1);
		perm[i] = i;
	}
	T_EQ(rib_attrtab_count(tab), N);
	for (i = N - 1; i > 0; i--) {
		j = (uint32_t)(rng_next(&seed) % (i + 1));
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < N; i++) {
		if (i % 7 == 0 && i + 1 < N) {
			/* A live set is still found, by content. */
			j = perm[N - 1 - (i / 7) % (N - i - 1)];
			memset(b, (int)(j % 251), sizeof(b));
			memcpy(b, &j, sizeof(j));
			x = rib_attr_intern(tab, b, 4 + j % 40);
			T_PEQ(x, a[j]);
			T_EQ(x->refcnt, 2);
			rib_attr_unref(tab, x);
		}
		rib_attr_unref(tab, a[perm[i]]);
		T_EQ(rib_attrtab_count(tab), N - 1 - i);
	}
	/* The empty set is a set like any other. */
	a[0] = rib_attr_intern(tab, NULL, 0);
	T_PEQ(rib_attr_intern(tab, "", 0), a[0]);
	T_EQ(a[0]->refcnt, 2);
	rib_attr_unref(tab, a[0]);
	rib_attr_unref(tab, a[0]);
	T_EQ(rib_attrtab_count(tab), 0);
	T_EQ(rib_attrtab_bytes(tab), bytes0);
	rib_attrtab_free(tab);
	free(a);
	free(perm);
}
END_TEST

/* Blob number i of a small table: contents distinct for distinct i. */
static struct rib_attr *
small_intern(struct rib_attrtab *tab, uint32_t i)
{
	uint8_t b[12];

	memset(b, 0x5a, sizeof(b));
	memcpy(b, &i, sizeof(i));
	return rib_attr_intern(tab, b, 5 + i % 7);
}

/*
 * A table that never grows (700 sets in 1024 slots): after every removal,
 * in a scrambled order, every other set is still found, including clusters
 * that wrap around the end of the slots; freed ids are reused.
 */
START_TEST(test_intern_small)
{
	enum { N = 700 };
	struct rib_attr *a[N], *x;
	uint32_t perm[N], i, j, k, t, round;
	uint64_t seed = 99;
	struct rib_attrtab *tab;

	for (round = 0; round < 6; round++) {
		tab = rib_attrtab_new();
		for (i = 0; i < N; i++) {
			a[i] = small_intern(tab, round * N + i);
			perm[i] = i;
		}
		for (i = N - 1; i > 0; i--) {
			j = (uint32_t)(rng_next(&seed) % (i + 1));
			t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		for (k = 0; k < N; k++) {
			rib_attr_unref(tab, a[perm[k]]);
			for (i = k + 1; i < N; i++) {
				x = small_intern(tab, round * N + perm[i]);
				T_PEQ(x, a[perm[i]]);
				rib_attr_unref(tab, x);
			}
			T_EQ(rib_attrtab_count(tab), N - 1 - k);
			if (k != N / 2)
				continue;
			/* Refill: the new sets take the freed ids. */
			for (i = 0; i <= k; i++) {
				a[perm[i]] = small_intern(tab, 100000 + i);
				T_LT(a[perm[i]]->id, N);
			}
			for (i = 0; i <= k; i++)
				rib_attr_unref(tab, a[perm[i]]);
		}
		T_EQ(rib_attrtab_count(tab), 0);
		rib_attrtab_free(tab);
	}
}
END_TEST

/* The table frees what is still in it (no leak under ASan). */
START_TEST(test_attrtab_free_live)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	uint32_t i;

	for (i = 0; i < 2000; i++)
		(void)small_intern(tab, i);
	ck_assert_uint_eq(rib_attrtab_count(tab), 2000);
	rib_attrtab_free(tab);
	rib_attrtab_free(NULL);
	rib_free(NULL);
}
END_TEST

static const struct {
	enum rib_reason reason;
	const char *name;
} reasonvec[] = {
	{ RIB_R_UPDATE, "update" },
	{ RIB_R_TREAT_AS_WITHDRAW, "treat-as-withdraw" },
	{ RIB_R_SESSION_DOWN, "session-down" },
	{ RIB_R_MAX_PREFIX, "max-prefix" },
	{ RIB_R_AFI_SAFI_DISABLE, "afi-safi-disable" },
	{ RIB_R_STALE_FLUSH, "stale-flush" },
	{ (enum rib_reason)77, "unknown" },
};

START_TEST(test_reason_name)
{
	ck_assert_str_eq(
	    rib_reason_name(reasonvec[_i].reason), reasonvec[_i].name);
}
END_TEST

/*
 * Tripwires: misuse that would corrupt the RIB ends the process (SIGABRT)
 * with a message naming the function.
 */
START_TEST(test_trip_foreign_set)
{
	struct rib_attrtab *tab = rib_attrtab_new(), *other = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(other, 1);
	struct prefix p = pfx("192.0.2.0/24");

	(void)blob_intern(tab, 2);
	(void)rib_update(rib, SAFI_UNICAST, &p, 0, a);
}
END_TEST

static void
change_cb(void *arg, const struct rib_delta *d)
{
	struct rib *rib = arg;

	(void)rib_withdraw(rib, d->safi, d->prefix, d->path_id, 0);
}

START_TEST(test_trip_change_in_callback)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1);
	struct prefix p = pfx("192.0.2.0/24");

	rib_set_delta_cb(rib, change_cb, rib);
	(void)rib_update(rib, SAFI_UNICAST, &p, 0, a);
}
END_TEST

static void
prefix_nth(struct prefix *p, uint8_t afi, uint32_t i, uint8_t len)
{
	memset(p, 0, sizeof(*p));
	p->afi = afi;
	p->len = len;
	if (afi == AFI_IPV4) {
		p->addr[0] = 10;
		p->addr[1] = (uint8_t)(i >> 8);
		p->addr[2] = (uint8_t)i;
	} else {
		p->addr[0] = 0x20;
		p->addr[1] = 0x01;
		p->addr[2] = 0x0d;
		p->addr[3] = 0xb8;
		p->addr[4] = (uint8_t)(i >> 8);
		p->addr[5] = (uint8_t)i;
	}
}

static int
stale_cb(void *arg, const struct rib_route *r)
{
	size_t *n = arg;

	*n += r->stale;
	return 0;
}

static uint64_t
stale_of(struct rib *rib, uint16_t afi, uint8_t safi)
{
	struct rib_stats st;

	ck_assert_int_eq(rib_stats(rib, afi, safi, &st), 0);
	return st.stale;
}

/* 300 IPv4 and 50 IPv6 unicast routes, 20 IPv4 multicast, all with a. */
static void
gr_load(struct rib *rib, struct rib_attr *a)
{
	struct prefix p;
	uint32_t i;

	for (i = 0; i < 300; i++) {
		prefix_nth(&p, AFI_IPV4, i, 24);
		ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &p, 0, a), 1);
		if (i < 20)
			ck_assert_int_eq(
			    rib_update(rib, SAFI_MULTICAST, &p, 0, a), 1);
		if (i < 50) {
			prefix_nth(&p, AFI_IPV6, i, 48);
			ck_assert_int_eq(
			    rib_update(rib, SAFI_UNICAST, &p, 0, a), 1);
		}
	}
}

/* The restarted peer re-sends two thirds (one of them changed) and more. */
static void
gr_refresh(
    struct rib *rib, struct rec *rec, struct rib_attr *a, struct rib_attr *b)
{
	struct prefix p;
	uint32_t i;

	rec->n = 0;
	for (i = 0; i < 300; i++) {
		prefix_nth(&p, AFI_IPV4, i, 24);
		if (i % 3 == 0)
			ck_assert_int_eq(
			    rib_update(rib, SAFI_UNICAST, &p, 0, a), RIB_NONE);
		else if (i % 3 == 1)
			ck_assert_int_eq(
			    rib_update(rib, SAFI_UNICAST, &p, 0, b),
			    RIB_REPLACED);
	}
	for (i = 300; i < 350; i++) {
		prefix_nth(&p, AFI_IPV4, i, 24);
		ck_assert_int_eq(
		    rib_update(rib, SAFI_UNICAST, &p, 0, b), RIB_ANNOUNCED);
	}
	ck_assert_uint_eq(rec->n, 150);
	ck_assert_uint_eq(stale_of(rib, AFI_IPV4, SAFI_UNICAST), 100);
}

/* End-of-RIB: the 100 not refreshed go, in prefix order. */
static void
gr_eor(struct rib *rib, struct rec *rec, struct rib_attr *a)
{
	struct rib_stats st;
	struct prefix p;
	uint32_t i;

	rec->n = 0;
	ck_assert_uint_eq(rib_flush_stale(rib, AFI_IPV4, SAFI_UNICAST), 100);
	ck_assert_uint_eq(rec->n, 100);
	for (i = 0; i < 100; i++) {
		prefix_nth(&p, AFI_IPV4, i * 3 + 2, 24);
		ck_assert_int_eq(rec->d[i].kind, RIB_WITHDRAWN);
		ck_assert_int_eq(rec->d[i].reason, RIB_R_STALE_FLUSH);
		ck_assert_int_eq(prefix_cmp(&rec->d[i].prefix, &p), 0);
		ck_assert_ptr_eq(rec->d[i].prev, a);
	}
	ck_assert_int_eq(rib_stats(rib, AFI_IPV4, SAFI_UNICAST, &st), 0);
	ck_assert_uint_eq(st.stale, 0);
	ck_assert_uint_eq(st.paths, 250);
	ck_assert_uint_eq(st.prefixes, 250);
	ck_assert_uint_eq(rib_flush_stale(rib, AFI_IPV4, SAFI_UNICAST), 0);
	rib_ok(rib);
}

/* Restart timer expiry with nothing refreshed: the whole family goes. */
static void
gr_expire(struct rib *rib, struct rec *rec)
{
	struct rib_stats st;

	ck_assert_uint_eq(rib_mark_stale(rib, AFI_IPV6, SAFI_UNICAST), 50);
	rec->n = 0;
	ck_assert_uint_eq(rib_flush_stale(rib, AFI_IPV6, SAFI_UNICAST), 50);
	ck_assert_uint_eq(rec->n, 50);
	ck_assert_int_eq(rec->d[49].reason, RIB_R_STALE_FLUSH);
	ck_assert_int_eq(rib_stats(rib, AFI_IPV6, SAFI_UNICAST, &st), 0);
	ck_assert_uint_eq(st.paths + st.prefixes + st.stale, 0);
	ck_assert_int_eq(rib_stats(rib, AFI_IPV4, SAFI_MULTICAST, &st), 0);
	ck_assert_uint_eq(st.paths, 20);
}

/* RFC 4724 §4.2: mark, refresh part of the table, flush the rest. */
START_TEST(test_graceful_restart)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1), *b = blob_intern(tab, 2);
	struct rec rec = { 0 };
	size_t walked = 0;

	gr_load(rib, a);
	ck_assert_uint_eq(rib_mark_stale(rib, AFI_IPV4, SAFI_UNICAST), 300);
	ck_assert_uint_eq(stale_of(rib, AFI_IPV4, SAFI_UNICAST), 300);
	ck_assert_uint_eq(stale_of(rib, AFI_IPV6, SAFI_UNICAST), 0);
	ck_assert_uint_eq(stale_of(rib, AFI_IPV4, SAFI_MULTICAST), 0);
	rib_walk(rib, AFI_IPV4, SAFI_UNICAST, RIB_MATCH_ALL, NULL, stale_cb,
	    &walked);
	ck_assert_uint_eq(walked, 300);
	rib_set_delta_cb(rib, rec_cb, &rec);
	gr_refresh(rib, &rec, a, b);
	gr_eor(rib, &rec, a);
	gr_expire(rib, &rec);
	/* A second loss before End-of-RIB, then a plain session down. */
	ck_assert_uint_eq(rib_mark_stale(rib, AFI_IPV4, SAFI_UNICAST), 250);
	ck_assert_uint_eq(rib_mark_stale(rib, AFI_IPV4, SAFI_UNICAST), 250);
	ck_assert_uint_eq(rib_flush(rib, RIB_R_SESSION_DOWN), 270);
	ck_assert_uint_eq(stale_of(rib, AFI_IPV4, SAFI_UNICAST), 0);
	ck_assert_uint_eq(a->refcnt, 1);
	ck_assert_uint_eq(b->refcnt, 1);
	rib_attr_unref(tab, a);
	rib_attr_unref(tab, b);
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_free(rib);
	rib_attrtab_free(tab);
	free(rec.d);
}
END_TEST

/* RFC 7606 AFI/SAFI disable drops one family and leaves the others. */
START_TEST(test_flush_family)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1);
	struct rec rec = { 0 };
	struct rib_stats st;
	struct prefix p = pfx("192.0.2.0/24"), q = pfx("2001:db8::/32");

	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &p, 0, a), 1);
	ck_assert_int_eq(rib_update(rib, SAFI_MULTICAST, &p, 0, a), 1);
	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &q, 0, a), 1);
	ck_assert_int_eq(rib_update(rib, SAFI_MULTICAST, &q, 0, a), 1);
	rib_set_delta_cb(rib, rec_cb, &rec);
	ck_assert_uint_eq(rib_flush_family(rib, AFI_IPV4, SAFI_MULTICAST,
	                      RIB_R_AFI_SAFI_DISABLE),
	    1);
	ck_assert_uint_eq(rec.n, 1);
	ck_assert_int_eq(rec.d[0].safi, SAFI_MULTICAST);
	ck_assert_int_eq(rec.d[0].reason, RIB_R_AFI_SAFI_DISABLE);
	ck_assert_ptr_null(rib_get(rib, SAFI_MULTICAST, &p, 0));
	ck_assert_ptr_eq(rib_get(rib, SAFI_UNICAST, &p, 0), a);
	ck_assert_ptr_eq(rib_get(rib, SAFI_MULTICAST, &q, 0), a);
	ck_assert_uint_eq(rib_flush_family(rib, AFI_IPV4, SAFI_FLOWSPEC,
	                      RIB_R_AFI_SAFI_DISABLE),
	    0);
	ck_assert_int_eq(rib_stats(rib, AFI_IPV4, SAFI_FLOWSPEC, &st), -1);
	ck_assert_uint_eq(a->refcnt, 4);
	rib_free(rib);
	ck_assert_uint_eq(a->refcnt, 1);
	rib_attr_unref(tab, a);
	rib_attrtab_free(tab);
	free(rec.d);
}
END_TEST

/* Deltas are delivered after the change: the callback sees the new state. */
struct post {
	struct rib *rib;
	int calls;
};

static void
post_cb(void *arg, const struct rib_delta *d)
{
	struct post *ps = arg;
	struct rib_stats st;

	ps->calls++;
	ck_assert_ptr_eq(
	    rib_get(ps->rib, d->safi, d->prefix, d->path_id), d->attr);
	ck_assert_int_eq(rib_stats(ps->rib, d->prefix->afi, d->safi, &st), 0);
	ck_assert_uint_eq(st.paths, d->kind == RIB_WITHDRAWN ? 0 : 1);
}

START_TEST(test_delta_after_change)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1), *b = blob_intern(tab, 2);
	struct post ps = { rib, 0 };
	struct prefix p = pfx("2001:db8::/32");

	rib_set_delta_cb(rib, post_cb, &ps);
	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &p, 0, a), 1);
	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &p, 0, b), 2);
	ck_assert_int_eq(rib_withdraw(rib, SAFI_UNICAST, &p, 0, 0), 3);
	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &p, 0, a), 1);
	ck_assert_uint_eq(rib_flush(rib, RIB_R_SESSION_DOWN), 1);
	ck_assert_int_eq(ps.calls, 5);
	rib_set_delta_cb(rib, NULL, NULL);
	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &p, 0, a), 1);
	ck_assert_int_eq(ps.calls, 5);
	rib_free(rib);
	rib_attr_unref(tab, a);
	rib_attr_unref(tab, b);
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_attrtab_free(tab);
}
END_TEST

/* rib_lookup(): every path id of one prefix, ascending, and the count. */
START_TEST(test_lookup)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a[5];
	struct rib_route out[3];
	struct prefix p = pfx("198.51.100.0/24"), q = pfx("198.51.100.0/25");
	static const uint32_t ids[5] = { 40, 3, 0xffffffff, 0, 17 };
	static const uint32_t sorted[3] = { 0, 3, 17 };
	uint32_t i;

	for (i = 0; i < 5; i++) {
		a[i] = blob_intern(tab, 100 + ids[i]);
		ck_assert_int_eq(
		    rib_update(rib, SAFI_UNICAST, &p, ids[i], a[i]),
		    RIB_ANNOUNCED);
	}
	ck_assert_int_eq(rib_update(rib, SAFI_UNICAST, &q, 0, a[0]), 1);
	ck_assert_uint_eq(rib_lookup(rib, SAFI_UNICAST, &p, out, 3), 5);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(out[i].path_id, sorted[i]);
		ck_assert_int_eq(prefix_cmp(&out[i].prefix, &p), 0);
		ck_assert_int_eq(out[i].safi, SAFI_UNICAST);
		ck_assert(!out[i].stale);
	}
	ck_assert_ptr_eq(out[0].attr, a[3]);
	ck_assert_ptr_eq(out[2].attr, a[4]);
	ck_assert_uint_eq(rib_lookup(rib, SAFI_UNICAST, &q, out, 3), 1);
	ck_assert_uint_eq(rib_lookup(rib, SAFI_MULTICAST, &q, out, 3), 0);
	q = pfx("198.51.100.0/23");
	ck_assert_uint_eq(rib_lookup(rib, SAFI_UNICAST, &q, NULL, 0), 0);
	rib_free(rib);
	for (i = 0; i < 5; i++)
		rib_attr_unref(tab, a[i]);
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_attrtab_free(tab);
}
END_TEST

/*
 * Walks: a fixed set of routes inserted out of order, read back in prefix
 * order through every kind of filter, whole and in chunks.
 */
static const char *const walkset[] = {
	"192.0.2.0/24#2", "10.1.2.128/25#0", "0.0.0.0/0#0", "10.0.0.0/16#0",
	"11.0.0.0/8#0", "10.0.1.0/24#0", "192.0.2.0/24#0", "10.0.0.0/8#0",
	"10.1.0.0/16#0", "255.255.255.255/32#0", "10.0.0.0/24#0",
	"192.0.2.1/32#0", "10.1.2.0/24#0", "192.0.2.0/24#1", "10.0.0.0/8#5",
	"2001:db8:1::1/128#0", "::/0#0", "2001:db8::/32#0", "::1/128#0",
	"2001:db8:1::/48#0", "2001:db8::/48#0", "::ffff:127.0.0.1/128#0",
	"m:10.0.0.0/8#0", /* multicast */
};

#define V4ALL                                                                  \
	"0.0.0.0/0#0 10.0.0.0/8#0 10.0.0.0/8#5 10.0.0.0/16#0 10.0.0.0/24#0 "   \
	"10.0.1.0/24#0 10.1.0.0/16#0 10.1.2.0/24#0 10.1.2.128/25#0 "           \
	"11.0.0.0/8#0 192.0.2.0/24#0 192.0.2.0/24#1 192.0.2.0/24#2 "           \
	"192.0.2.1/32#0 255.255.255.255/32#0 "

static const struct {
	const char *name;
	uint16_t afi;
	uint8_t safi;
	enum rib_match match;
	const char *filter;
	const char *want; /* routes, each followed by a space */
} wvec[] = {
	{ "v4 all", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_ALL, NULL, V4ALL },
	{ "v6 all", AFI_IPV6, SAFI_UNICAST, RIB_MATCH_ALL, NULL,
	    "::/0#0 ::1/128#0 ::ffff:127.0.0.1/128#0 2001:db8::/32#0 "
	    "2001:db8::/48#0 2001:db8:1::/48#0 2001:db8:1::1/128#0 " },
	{ "v4 multicast", AFI_IPV4, SAFI_MULTICAST, RIB_MATCH_ALL, NULL,
	    "10.0.0.0/8#0 " },
	{ "v6 multicast empty", AFI_IPV6, SAFI_MULTICAST, RIB_MATCH_ALL, NULL,
	    "" },
	{ "exact with path ids", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_EXACT,
	    "10.0.0.0/8", "10.0.0.0/8#0 10.0.0.0/8#5 " },
	{ "exact three paths", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_EXACT,
	    "192.0.2.0/24", "192.0.2.0/24#0 192.0.2.0/24#1 192.0.2.0/24#2 " },
	{ "exact absent", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_EXACT,
	    "10.0.0.0/12", "" },
	{ "exact v6 host", AFI_IPV6, SAFI_UNICAST, RIB_MATCH_EXACT, "::1",
	    "::1/128#0 " },
	{ "or-longer /8", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "10.0.0.0/8",
	    "10.0.0.0/8#0 10.0.0.0/8#5 10.0.0.0/16#0 10.0.0.0/24#0 "
	    "10.0.1.0/24#0 10.1.0.0/16#0 10.1.2.0/24#0 10.1.2.128/25#0 " },
	{ "or-longer /15", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "10.0.0.0/15",
	    "10.0.0.0/16#0 10.0.0.0/24#0 10.0.1.0/24#0 10.1.0.0/16#0 "
	    "10.1.2.0/24#0 10.1.2.128/25#0 " },
	{ "or-longer /24", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "10.1.2.0/24", "10.1.2.0/24#0 10.1.2.128/25#0 " },
	{ "or-longer unmasked filter", AFI_IPV4, SAFI_UNICAST,
	    RIB_MATCH_OR_LONGER, "10.1.2.99/24",
	    "10.1.2.0/24#0 10.1.2.128/25#0 " },
	{ "or-longer default", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "0.0.0.0/0", V4ALL },
	{ "or-longer /31", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "192.0.2.0/31", "192.0.2.1/32#0 " },
	{ "or-longer nothing", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "12.0.0.0/8", "" },
	{ "or-longer top", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "255.0.0.0/8", "255.255.255.255/32#0 " },
	{ "or-longer v6", AFI_IPV6, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "2001:db8::/32",
	    "2001:db8::/32#0 2001:db8::/48#0 2001:db8:1::/48#0 "
	    "2001:db8:1::1/128#0 " },
	{ "or-longer v6 ::/8", AFI_IPV6, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "::/8", "::1/128#0 ::ffff:127.0.0.1/128#0 " },
	{ "or-shorter host", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_SHORTER,
	    "10.1.2.200",
	    "0.0.0.0/0#0 10.0.0.0/8#0 10.0.0.0/8#5 10.1.0.0/16#0 "
	    "10.1.2.0/24#0 10.1.2.128/25#0 " },
	{ "or-shorter /24", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_SHORTER,
	    "192.0.2.0/24",
	    "0.0.0.0/0#0 192.0.2.0/24#0 192.0.2.0/24#1 192.0.2.0/24#2 " },
	{ "or-shorter v6", AFI_IPV6, SAFI_UNICAST, RIB_MATCH_OR_SHORTER,
	    "2001:db8:1::1",
	    "::/0#0 2001:db8::/32#0 2001:db8:1::/48#0 "
	    "2001:db8:1::1/128#0 " },
	{ "family mismatch", AFI_IPV4, SAFI_UNICAST, RIB_MATCH_OR_LONGER,
	    "2001:db8::/32", "" },
	{ "family not carried", AFI_IPV4, SAFI_FLOWSPEC, RIB_MATCH_ALL, NULL,
	    "" },
};

struct strbuf {
	char s[2048];
	size_t n;
	size_t stop_after; /* cb asks to stop after this many (0: never) */
	size_t seen;
};

static int
str_cb(void *arg, const struct rib_route *r)
{
	struct strbuf *sb = arg;
	char one[80];

	route_str(&r->prefix, r->path_id, one, sizeof(one));
	ck_assert_uint_lt(sb->n + strlen(one) + 2, sizeof(sb->s));
	sb->n +=
	    (size_t)snprintf(sb->s + sb->n, sizeof(sb->s) - sb->n, "%s ", one);
	sb->seen++;
	return sb->stop_after != 0 && sb->seen % sb->stop_after == 0;
}

static void
walk_load(struct rib *rib, struct rib_attr *a)
{
	char buf[64], *hash;
	struct prefix p;
	uint8_t safi;
	size_t i;

	for (i = 0; i < sizeof(walkset) / sizeof(walkset[0]); i++) {
		safi = strncmp(walkset[i], "m:", 2) == 0 ? SAFI_MULTICAST
		                                         : SAFI_UNICAST;
		strcpy(buf, walkset[i] + (safi == SAFI_MULTICAST ? 2 : 0));
		hash = strchr(buf, '#');
		*hash = '\0';
		p = pfx(buf);
		ck_assert_int_eq(rib_update(rib, safi, &p,
		                     (uint32_t)strtoul(hash + 1, NULL, 10), a),
		    RIB_ANNOUNCED);
	}
}

START_TEST(test_walk)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1);
	struct prefix f, *fp = NULL;
	struct rib_cursor c;
	struct strbuf whole, chunk, stop;
	size_t max, n, calls;

	walk_load(rib, a);
	if (wvec[_i].filter != NULL) {
		f = pfx(wvec[_i].filter);
		fp = &f;
	}
	memset(&whole, 0, sizeof(whole));
	n = rib_walk(rib, wvec[_i].afi, wvec[_i].safi, wvec[_i].match, fp,
	    str_cb, &whole);
	ck_assert_str_eq(whole.s, wvec[_i].want);
	ck_assert_uint_eq(n, whole.seen);
	/* In chunks of every size, and stopped by the callback. */
	for (max = 1; max <= 4; max++) {
		memset(&chunk, 0, sizeof(chunk));
		memset(&stop, 0, sizeof(stop));
		stop.stop_after = max;
		rib_cursor_init(
		    &c, wvec[_i].afi, wvec[_i].safi, wvec[_i].match, fp);
		for (calls = 0; !c.done; calls++) {
			n = rib_cursor_next(rib, &c, str_cb, &chunk, max);
			ck_assert_uint_le(n, max);
			ck_assert(calls <= whole.seen / max + 1);
		}
		ck_assert_str_eq(chunk.s, wvec[_i].want);
		rib_cursor_init(
		    &c, wvec[_i].afi, wvec[_i].safi, wvec[_i].match, fp);
		while (!c.done)
			ck_assert_uint_le(
			    rib_cursor_next(rib, &c, str_cb, &stop, 0), max);
		ck_assert_str_eq(stop.s, wvec[_i].want);
	}
	rib_free(rib);
	rib_attr_unref(tab, a);
	ck_assert_uint_eq(rib_attrtab_count(tab), 0);
	rib_attrtab_free(tab);
}
END_TEST

/*
 * Resumable cursor under concurrent change: between chunks routes come and
 * go. Routes present throughout must each be handed exactly once, and the
 * sequence must be strictly increasing (no duplicates, no going back).
 */
struct seen {
	struct prefix last;
	uint32_t last_pid;
	bool any;
	uint8_t *hit; /* per keeper index */
	uint32_t nkeep;
	size_t n;
};

static int
seen_cb(void *arg, const struct rib_route *r)
{
	struct seen *sn = arg;
	int c;

	if (sn->any) {
		c = prefix_cmp(&sn->last, &r->prefix);
		T(c < 0 || (c == 0 && sn->last_pid < r->path_id));
	}
	sn->any = true;
	sn->last = r->prefix;
	sn->last_pid = r->path_id;
	if (r->path_id < sn->nkeep)
		sn->hit[r->path_id]++;
	sn->n++;
	return 0;
}

/* Route i of the universe: keepers have path id i, churners a large one. */
static void
churn_route(
    uint16_t afi, uint32_t i, uint32_t nkeep, struct prefix *p, uint32_t *pid)
{
	uint32_t h = i * 2654435761u;

	prefix_nth(p, afi, h >> 16, afi == AFI_IPV4 ? 24 : 48);
	if (i % 5 == 0)
		p->len = afi == AFI_IPV4 ? 23 : 40;
	prefix_mask(p);
	*pid = i < nkeep ? i : 0x80000000u + i;
}

static void
cursor_churn(uint16_t afi, enum rib_match match, const char *filter)
{
	enum { NKEEP = 3000, NALL = 9000, CHUNK = 11 };
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1), *b = blob_intern(tab, 2);
	struct seen sn = { 0 };
	struct rib_cursor c;
	struct prefix p, f = pfx(filter);
	uint64_t seed = 42;
	uint32_t i, pid, j;

	sn.hit = calloc(NKEEP, 1);
	sn.nkeep = NKEEP;
	for (i = 0; i < NALL; i += 2) {
		churn_route(afi, i, NKEEP, &p, &pid);
		rib_update(rib, SAFI_UNICAST, &p, pid, a);
	}
	for (i = 1; i < NKEEP; i += 2) {
		churn_route(afi, i, NKEEP, &p, &pid);
		rib_update(rib, SAFI_UNICAST, &p, pid, b);
	}
	rib_cursor_init(&c, afi, SAFI_UNICAST, match, &f);
	while (!c.done) {
		rib_cursor_next(rib, &c, seen_cb, &sn, CHUNK);
		for (j = 0; j < 40; j++) {
			i = NKEEP +
			    (uint32_t)(rng_next(&seed) % (NALL - NKEEP));
			churn_route(afi, i, NKEEP, &p, &pid);
			if (rng_next(&seed) % 2)
				rib_update(rib, SAFI_UNICAST, &p, pid, a);
			else
				rib_withdraw(rib, SAFI_UNICAST, &p, pid, 0);
			/* Keepers change attributes but stay. */
			churn_route(afi, j * 73 % NKEEP, NKEEP, &p, &pid);
			rib_update(rib, SAFI_UNICAST, &p, pid, j % 2 ? a : b);
		}
	}
	for (i = 0; i < NKEEP; i++) {
		churn_route(afi, i, NKEEP, &p, &pid);
		T_EQ(sn.hit[i],
		    match == RIB_MATCH_ALL || prefix_contains(&f, &p) ? 1 : 0);
	}
	T_GT(sn.n, 0);
	rib_ok(rib);
	rib_free(rib);
	rib_attr_unref(tab, a);
	rib_attr_unref(tab, b);
	T_EQ(rib_attrtab_count(tab), 0);
	rib_attrtab_free(tab);
	free(sn.hit);
}

START_TEST(test_cursor_churn_v4)
{
	cursor_churn(AFI_IPV4, RIB_MATCH_ALL, "0.0.0.0/0");
	cursor_churn(AFI_IPV4, RIB_MATCH_OR_LONGER, "10.64.0.0/10");
}
END_TEST

START_TEST(test_cursor_churn_v6)
{
	cursor_churn(AFI_IPV6, RIB_MATCH_ALL, "::/0");
	cursor_churn(AFI_IPV6, RIB_MATCH_OR_LONGER, "2001:db8:8000::/33");
}
END_TEST

/*
 * A long randomized run against a model: a sorted array of routes. Every
 * return value and delta is predicted from the model, and the RIB's walks,
 * lookups and counters are compared with it at intervals.
 */
#define MBLOB 16

struct mroute {
	struct prefix p;
	uint32_t pid;
	int blob;
	bool stale;
};

struct model {
	struct mroute *r;
	size_t n;
	size_t cap;
	struct rib_attr *blob[MBLOB];
};

static int
mroute_cmp(const struct mroute *m, const struct prefix *p, uint32_t pid)
{
	int c = prefix_cmp(&m->p, p);

	if (c != 0)
		return c;
	return m->pid < pid ? -1 : m->pid > pid;
}

/* Position of (p, pid) or where it would go; true when present. */
static bool
model_find(
    const struct model *m, const struct prefix *p, uint32_t pid, size_t *pos)
{
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (mroute_cmp(&m->r[mid], p, pid) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < m->n && mroute_cmp(&m->r[lo], p, pid) == 0;
}

static void
model_stats(const struct model *m, uint16_t afi, struct rib_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < m->n; i++) {
		if (m->r[i].p.afi != afi)
			continue;
		st->paths++;
		st->stale += m->r[i].stale;
		if (i == 0 || prefix_cmp(&m->r[i - 1].p, &m->r[i].p) != 0)
			st->prefixes++;
	}
}

struct mwalk {
	const struct model *m;
	size_t i;
};

static int
mwalk_cb(void *arg, const struct rib_route *r)
{
	struct mwalk *w = arg;
	const struct mroute *e;

	while (w->i < w->m->n && w->m->r[w->i].p.afi != r->prefix.afi)
		w->i++;
	T_LT(w->i, w->m->n);
	e = &w->m->r[w->i++];
	T_EQ(mroute_cmp(e, &r->prefix, r->path_id), 0);
	T_PEQ(r->attr, w->m->blob[e->blob]);
	T_EQ(r->stale, e->stale);
	return 0;
}

static void
model_check(struct rib *rib, const struct model *m)
{
	static const uint16_t afis[2] = { AFI_IPV4, AFI_IPV6 };
	struct rib_stats want, got;
	struct mwalk w;
	size_t k, i, n;

	rib_ok(rib);
	for (k = 0; k < 2; k++) {
		memset(&w, 0, sizeof(w));
		w.m = m;
		model_stats(m, afis[k], &want);
		n = rib_walk(rib, afis[k], SAFI_UNICAST, RIB_MATCH_ALL, NULL,
		    mwalk_cb, &w);
		T_EQ(n, want.paths);
		T_EQ(rib_stats(rib, afis[k], SAFI_UNICAST, &got), 0);
		T_EQ(got.paths, want.paths);
		T_EQ(got.prefixes, want.prefixes);
		T_EQ(got.stale, want.stale);
	}
	for (i = 0; i < MBLOB; i++) {
		size_t refs = 1;

		for (k = 0; k < m->n; k++)
			refs += m->r[k].blob == (int)i;
		T_EQ(m->blob[i]->refcnt, refs);
	}
}

/* The universe: a few thousand prefixes per family, lengths mixed. */
static void
model_prefix(uint64_t *seed, struct prefix *p, uint32_t *pid)
{
	static const uint8_t len4[] = { 8, 16, 19, 20, 22, 23, 24, 24, 24, 32 };
	static const uint8_t len6[] = { 0, 29, 32, 36, 40, 44, 48, 48, 64,
		128 };
	uint64_t r = rng_next(seed);

	memset(p, 0, sizeof(*p));
	p->afi = r % 4 == 0 ? AFI_IPV6 : AFI_IPV4;
	r >>= 2;
	p->len = (p->afi == AFI_IPV4 ? len4 : len6)[r % 10];
	r >>= 4;
	/* Few distinct high bits so lengths nest and collide. */
	p->addr[0] = p->afi == AFI_IPV4 ? 10 : 0x20;
	p->addr[1] = (uint8_t)(r % 4);
	p->addr[2] = (uint8_t)(r >> 2);
	p->addr[3] = (uint8_t)(r >> 10 & 0x3f);
	p->addr[4] = (uint8_t)(r >> 16);
	p->addr[15] = (uint8_t)(r >> 24);
	prefix_mask(p);
	*pid = (r >> 32) % 8 == 0 ? (uint32_t)(r >> 35) % 4 : 0;
}

static void
model_update(struct rib *rib, struct model *m, struct rec *rec,
    const struct prefix *p, uint32_t pid, int b)
{
	size_t pos;
	int want = RIB_ANNOUNCED, prev = -1;

	if (model_find(m, p, pid, &pos)) {
		prev = m->r[pos].blob;
		want = prev == b ? RIB_NONE : RIB_REPLACED;
		m->r[pos].blob = b;
		m->r[pos].stale = false;
	} else {
		if (m->n == m->cap) {
			m->cap = m->cap == 0 ? 1024 : m->cap * 2;
			m->r = realloc(m->r, m->cap * sizeof(*m->r));
			T_NONNULL(m->r);
		}
		memmove(
		    m->r + pos + 1, m->r + pos, (m->n - pos) * sizeof(*m->r));
		m->r[pos].p = *p;
		m->r[pos].pid = pid;
		m->r[pos].blob = b;
		m->r[pos].stale = false;
		m->n++;
	}
	rec->n = 0;
	T_EQ(rib_update(rib, SAFI_UNICAST, p, pid, m->blob[b]), want);
	T_EQ(rec->n, want == RIB_NONE ? 0 : 1);
	if (want != RIB_NONE)
		T_PEQ(rec->d[0].prev, prev < 0 ? NULL : m->blob[prev]);
}

static void
model_withdraw(struct rib *rib, struct model *m, struct rec *rec,
    const struct prefix *p, uint32_t pid)
{
	size_t pos;
	bool found = model_find(m, p, pid, &pos);

	rec->n = 0;
	T_EQ(rib_withdraw(rib, SAFI_UNICAST, p, pid, RIB_R_UPDATE),
	    found ? RIB_WITHDRAWN : RIB_NONE);
	T_EQ(rec->n, found);
	if (!found)
		return;
	T_PEQ(rec->d[0].prev, m->blob[m->r[pos].blob]);
	memmove(m->r + pos, m->r + pos + 1, (m->n - pos - 1) * sizeof(*m->r));
	m->n--;
}

/* GR mark or flush of one family, predicted from the model. */
static void
model_gr(
    struct rib *rib, struct model *m, struct rec *rec, uint16_t afi, bool flush)
{
	size_t i, j = 0, k = 0;

	if (!flush) {
		for (i = 0; i < m->n; i++) {
			if (m->r[i].p.afi == afi) {
				m->r[i].stale = true;
				k++;
			}
		}
		T_EQ(rib_mark_stale(rib, afi, SAFI_UNICAST), k);
		return;
	}
	rec->n = 0;
	k = rib_flush_stale(rib, afi, SAFI_UNICAST);
	for (i = 0; i < m->n; i++) {
		if (m->r[i].p.afi == afi && m->r[i].stale) {
			T_LT(j, rec->n);
			T_EQ(mroute_cmp(&m->r[i], &rec->d[j].prefix,
			         rec->d[j].path_id),
			    0);
			T_EQ(rec->d[j].reason, RIB_R_STALE_FLUSH);
			j++;
		} else
			m->r[i - j] = m->r[i];
	}
	T_EQ(j, k);
	T_EQ(rec->n, k);
	m->n -= j;
}

START_TEST(test_random_model)
{
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct model m = { 0 };
	struct rec rec = { 0 };
	struct rib_route out[8];
	struct prefix p;
	uint64_t seed = 0x0b9b1a7c, r;
	uint32_t pid, op;
	size_t i, pos, mem0 = rib_mem(rib);
	int b;

	for (b = 0; b < MBLOB; b++)
		m.blob[b] = blob_intern(tab, 70000 + (uint32_t)b);
	rib_set_delta_cb(rib, rec_cb, &rec);
	for (op = 0; op < 100000; op++) {
		model_prefix(&seed, &p, &pid);
		r = rng_next(&seed) % 10000;
		if (r < 5600)
			model_update(rib, &m, &rec, &p, pid,
			    (int)(rng_next(&seed) % MBLOB));
		else if (r < 9970)
			model_withdraw(rib, &m, &rec, &p, pid);
		else if (r < 9972)
			model_gr(rib, &m, &rec, p.afi, false);
		else if (r < 9976)
			model_gr(rib, &m, &rec, p.afi, true);
		else {
			/* Exact lookup: all path ids of p. */
			model_find(&m, &p, 0, &pos);
			for (i = 0; pos + i < m.n &&
			     prefix_cmp(&m.r[pos + i].p, &p) == 0;
			     i++)
				;
			T_EQ(rib_lookup(rib, SAFI_UNICAST, &p, out, 8), i);
		}
		if (op % 5000 == 4999)
			model_check(rib, &m);
	}
	model_check(rib, &m);
	T_GT(m.n, 1000);
	rec.n = 0;
	T_EQ(rib_flush(rib, RIB_R_SESSION_DOWN), m.n);
	T_EQ(rec.n, m.n);
	for (b = 0; b < MBLOB; b++) {
		T_EQ(m.blob[b]->refcnt, 1);
		rib_attr_unref(tab, m.blob[b]);
	}
	T_EQ(rib_attrtab_count(tab), 0);
	T_EQ(rib_mem(rib), mem0);
	rib_free(rib);
	rib_attrtab_free(tab);
	free(m.r);
	free(rec.d);
}
END_TEST

/*
 * Deep trees: 150,000 distinct routes inserted in random, ascending and
 * descending order, then all withdrawn in another random order, checking
 * order, counters and lookups on the way and that the memory comes back.
 * Ordered arrival must pack the leaves (the biased split).
 */
struct order {
	bool any;
	struct prefix last;
	uint32_t last_pid;
	size_t n;
};

static int
order_cb(void *arg, const struct rib_route *r)
{
	struct order *o = arg;
	int c;

	if (o->any) {
		c = prefix_cmp(&o->last, &r->prefix);
		T(c < 0 || (c == 0 && o->last_pid < r->path_id));
	}
	o->any = true;
	o->last = r->prefix;
	o->last_pid = r->path_id;
	o->n++;
	return 0;
}

static void
order_check(struct rib *rib, uint16_t afi, size_t want)
{
	struct order o = { 0 };

	T_EQ(
	    rib_walk(rib, afi, SAFI_UNICAST, RIB_MATCH_ALL, NULL, order_cb, &o),
	    want);
	T_EQ(o.n, want);
}

/* A bijection on 32 bits (xor-shifts, odd multipliers) that scatters. */
static uint32_t
bulk_mix(uint32_t v)
{
	v ^= v >> 15;
	v *= 0x7feb352du;
	v ^= v >> 13;
	v *= 0x9e3779b1u;
	v ^= v >> 16;
	return v;
}

/* Route number i: distinct for distinct i. */
static void
bulk_route(
    uint16_t afi, uint32_t i, bool scramble, struct prefix *p, uint32_t *pid)
{
	uint32_t v = scramble ? bulk_mix(i) : i << 8;

	memset(p, 0, sizeof(*p));
	p->afi = (uint8_t)afi;
	p->len = afi == AFI_IPV4 ? 32 : 64;
	p->addr[0] = (uint8_t)(v >> 24);
	p->addr[1] = (uint8_t)(v >> 16);
	p->addr[2] = (uint8_t)(v >> 8);
	p->addr[3] = (uint8_t)v;
	*pid = i % 4 == 0 ? 7 : 0;
}

static void
bulk_run(uint16_t afi, int order)
{
	enum { N = 150000 };
	struct rib_attrtab *tab = rib_attrtab_new();
	struct rib *rib = rib_new(tab);
	struct rib_attr *a = blob_intern(tab, 1);
	uint32_t *perm = calloc(N, sizeof(*perm)), i, j, t, pid;
	size_t mem0 = rib_mem(rib), per = afi == AFI_IPV4 ? 20 : 28;
	uint64_t seed = 7;
	struct rib_stats st;
	struct prefix p;

	T_NONNULL(perm);
	for (i = 0; i < N; i++) {
		bulk_route(
		    afi, order < 0 ? N - 1 - i : i, order == 0, &p, &pid);
		T_EQ(rib_update(rib, SAFI_UNICAST, &p, pid, a), RIB_ANNOUNCED);
		perm[i] = i;
	}
	T_EQ(rib_stats(rib, afi, SAFI_UNICAST, &st), 0);
	T_EQ(st.paths, N);
	T_EQ(st.prefixes, N);
	order_check(rib, afi, N);
	rib_ok(rib);
	/* Random order fills leaves to ~ln 2; ordered arrival nearly full. */
	T_LE(st.mem, N * per * (order == 0 ? 16 : 11) / 10);
	for (i = N - 1; i > 0; i--) {
		j = (uint32_t)(rng_next(&seed) % (i + 1));
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < N; i++) {
		bulk_route(afi, perm[i], order == 0, &p, &pid);
		T_EQ(rib_withdraw(rib, SAFI_UNICAST, &p, pid, RIB_R_UPDATE),
		    RIB_WITHDRAWN);
		if (i % 15000 != 0)
			continue;
		order_check(rib, afi, N - 1 - i);
		rib_ok(rib);
		T_NULL(rib_get(rib, SAFI_UNICAST, &p, pid));
		bulk_route(afi, perm[N - 1], order == 0, &p, &pid);
		T_PEQ(rib_get(rib, SAFI_UNICAST, &p, pid), a);
		T_EQ(rib_stats(rib, afi, SAFI_UNICAST, &st), 0);
		/* Withdrawals give memory back: nodes stay a third full. */
		T_LE(st.mem, (N - i) * per * 3 + 4096);
	}
	T_EQ(rib_mem(rib), mem0);
	T_EQ(a->refcnt, 1);
	rib_attr_unref(tab, a);
	T_EQ(rib_attrtab_count(tab), 0);
	rib_free(rib);
	rib_attrtab_free(tab);
	free(perm);
}

static const struct {
	const char *name;
	uint16_t afi;
	int order; /* 0 random, 1 ascending, -1 descending */
} bulkvec[] = {
	{ "ipv4 random", AFI_IPV4, 0 },
	{ "ipv4 ascending", AFI_IPV4, 1 },
	{ "ipv4 descending", AFI_IPV4, -1 },
	{ "ipv6 random", AFI_IPV6, 0 },
	{ "ipv6 ascending", AFI_IPV6, 1 },
};

START_TEST(test_bulk)
{
	bulk_run(bulkvec[_i].afi, bulkvec[_i].order);
}
END_TEST

static Suite *
rib_suite(void)
{
	Suite *s = suite_create("rib");
	TCase *tc = tcase_create("rib");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_deltas, 0, sizeof(dvec) / sizeof(dvec[0]));
	tcase_add_loop_test(
	    tc, test_refused, 0, sizeof(badvec) / sizeof(badvec[0]));
	tcase_add_loop_test(
	    tc, test_martian_nexthop, 0, sizeof(martvec) / sizeof(martvec[0]));
	tcase_add_loop_test(tc, test_walk, 0, sizeof(wvec) / sizeof(wvec[0]));
	tcase_add_test(tc, test_interning);
	tcase_add_test(tc, test_intern_churn);
	tcase_add_test(tc, test_intern_small);
	tcase_add_test(tc, test_attrtab_free_live);
	tcase_add_loop_test(
	    tc, test_reason_name, 0, sizeof(reasonvec) / sizeof(reasonvec[0]));
	tcase_add_test(tc, test_graceful_restart);
	tcase_add_test(tc, test_flush_family);
	tcase_add_test(tc, test_delta_after_change);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_cursor_churn_v4);
	tcase_add_test(tc, test_cursor_churn_v6);
	tcase_add_test(tc, test_random_model);
	tcase_add_loop_test(
	    tc, test_bulk, 0, sizeof(bulkvec) / sizeof(bulkvec[0]));
	suite_add_tcase(s, tc);
	/* Apart, so CK_FORK=no CK_RUN_CASE=rib runs the rest in-process. */
	tc = tcase_create("tripwire");
	tcase_add_test_raise_signal(tc, test_trip_foreign_set, SIGABRT);
	tcase_add_test_raise_signal(tc, test_trip_change_in_callback, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rib_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
