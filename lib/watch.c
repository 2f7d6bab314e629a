/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The watch engine; see watch.h for the definitions it implements.
 *
 * One trie (wtrie.h) indexes every configured line and every prefix with
 * state: a route delta costs one walk down it; only a match allocates.
 * Each (watch, prefix) keeps its routes as a small array sorted by (peer,
 * ghost, path id) of what the attribute set says (origin, upstream), so
 * views are computed from a few dozen entries at most and the attribute
 * blobs are read only when an event is formatted. Hold-downs sit in a
 * binary heap and are skipped when stale instead of being removed.
 * Peer sync, down, ghost expiry and arming are rare and walk every state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch_int.h"

/* How an evaluation may speak. */
enum wmode {
	WE_ALERT, /* a change in the alert view: alert it */
	WE_ARM_INITIAL, /* first arming: baseline violations are alerted */
	WE_SILENT, /* adopt the view as it is (reload, peer removal) */
};

/* Why an evaluation runs: the peer and delta behind it, if any. */
struct wcause {
	struct watch_peer *peer;
	const struct rib_delta *d;
	const char *reason;
	enum wmode mode;
};

/* The alert view of one prefix (arrays in the engine's scratch). */
struct wview {
	uint32_t peers;
	const uint32_t *orig;
	size_t norig;
	bool ounknown;
	const uint32_t *ups;
	size_t nups;
};

static const struct watch_params watch_defaults = {
	.sync_idle = 60,
	.sync_max = 900,
	.peer_grace = 300,
	.arm_wait = 120,
};

static void
wpfx_eval(struct watch *, struct wpfx *, int64_t, const struct wcause *);
static void wheap_push(struct watch *, const struct wup *, struct wpfx *);

/* Helpers. */

void
watch_fatal(const char *fn, const char *what)
{
	fprintf(stderr, "%s: %s\n", fn, what);
	abort();
}

void
watch_grow(void *arr, size_t *cap, size_t need, size_t elsize)
{
	void **p = arr, *np;
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap == 0 ? 4 : *cap;
	while (ncap < need)
		ncap *= 2;
	if ((np = reallocarray(*p, ncap, elsize)) == NULL)
		watch_fatal(__func__, "out of memory");
	*p = np;
	*cap = ncap;
}

bool
watch_asset_has(const uint32_t *a, size_t n, uint32_t as)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] == as)
			return true;
		if (a[mid] < as)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Insert as into the sorted set a[0..n) (room for one more); new n. */
static size_t
wset_add(uint32_t *a, size_t n, uint32_t as)
{
	size_t i = n;

	while (i > 0 && a[i - 1] > as)
		i--;
	if (i > 0 && a[i - 1] == as)
		return n;
	memmove(a + i + 1, a + i, (n - i) * sizeof(*a));
	a[i] = as;
	return n + 1;
}

/* a - b for sorted sets into out; returns the count. */
static size_t
wset_minus(
    const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *out)
{
	size_t i, k = 0;

	for (i = 0; i < na; i++)
		if (!watch_asset_has(b, nb, a[i]))
			out[k++] = a[i];
	return k;
}

static bool
wset_equal(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

/* The bit of enum sess_family for unicast routes of afi. */
static uint32_t
wfam_bit(uint8_t afi)
{
	return afi == AFI_IPV6 ? 1u << FAM_IPV6_UNICAST
	                       : 1u << FAM_IPV4_UNICAST;
}

int
watch_blob_aspath(const uint8_t *blob, size_t len, struct aspath_view *v)
{
	struct rbuf r, val;
	struct aspath a;
	uint8_t flags, type, l8;
	uint16_t l;
	char why[64];

	rbuf_init(&r, blob, len);
	while (rbuf_left(&r) > 0) {
		if (rbuf_get_u8(&r, &flags) == -1 ||
		    rbuf_get_u8(&r, &type) == -1)
			return -1;
		if (flags & ATTR_F_EXTLEN) {
			if (rbuf_get_u16(&r, &l) == -1)
				return -1;
		} else {
			if (rbuf_get_u8(&r, &l8) == -1)
				return -1;
			l = l8;
		}
		if (rbuf_get_sub(&r, l, &val) == -1)
			return -1;
		/* Canonical blobs are sorted by type code (update.h). */
		if (type < ATTR_AS_PATH)
			continue;
		if (type > ATTR_AS_PATH)
			return -1;
		if (aspath_verify(rbuf_ptr(&val), l, 4, true, why, sizeof(why),
		        NULL) == -1)
			return -1;
		aspath_init(&a, rbuf_ptr(&val), l, 4);
		aspath_view_init(v, &a);
		return 0;
	}
	return -1;
}

void
watch_route_info(const uint8_t *blob, size_t len, struct wrinfo *ri)
{
	struct aspath_view v;

	memset(ri, 0, sizeof(*ri));
	if (watch_blob_aspath(blob, len, &v) == -1)
		return;
	if (aspath_origin(&v, &ri->origin))
		ri->flags |= WR_ORIGIN;
	else if (aspath_length(&v) > 0)
		ri->flags |= WR_ASSET;
	if (aspath_upstream(&v, &ri->upstream))
		ri->flags |= WR_UPSTREAM;
}

/* Make the n arrays at arrs (sharing capacity *cap) hold need each. */
static void
wscratch_grow(uint32_t **arrs[], size_t n, size_t *cap, size_t need)
{
	size_t i, c = *cap;

	if (need <= *cap)
		return;
	for (i = 0; i < n; i++) {
		c = *cap;
		watch_grow(arrs[i], &c, need, sizeof(uint32_t));
	}
	*cap = c;
}

/* Room for the sets of a view of a prefix with n routes. */
static void
wscratch_view(struct watch *w, size_t n)
{
	uint32_t **arrs[] = { &w->s_orig, &w->s_ups };

	wscratch_grow(arrs, 2, &w->s_vcap, n);
}

/* Room for the sets of events: none may be larger than n. */
static void
wscratch_ev(struct watch *w, size_t n)
{
	uint32_t **arrs[] = { &w->s_add, &w->s_rem, &w->s_unexp, &w->s_prev,
		&w->s_flap };

	wscratch_grow(arrs, 5, &w->s_ecap, n);
}

/* Watch-wide route counts per AS. */
static void
wagg_count(struct wagg **arr, size_t *n, size_t *cap, uint32_t as, int sign,
    int64_t now)
{
	size_t lo = 0, hi = *n, mid;
	struct wagg *a;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((*arr)[mid].as < as)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == *n || (*arr)[lo].as != as) {
		if (sign < 0)
			watch_fatal(__func__, "count of an unknown AS");
		watch_grow(arr, cap, *n + 1, sizeof(**arr));
		memmove(*arr + lo + 1, *arr + lo, (*n - lo) * sizeof(**arr));
		(*n)++;
		a = &(*arr)[lo];
		memset(a, 0, sizeof(*a));
		a->as = as;
		a->first_seen = now;
		a->last_seen = -1;
	}
	a = &(*arr)[lo];
	if (sign < 0) {
		if (a->routes == 0)
			watch_fatal(__func__, "count underflow");
		if (--a->routes == 0)
			a->last_seen = now;
	} else
		a->routes++;
}

/* Add (sign 1) or remove (-1) a live route from its watch's counts. */
static void
wwatch_count(struct wwatch *ww, const struct wroute *r, int sign, int64_t now)
{
	if (r->flags & WR_GHOST)
		return;
	ww->nroutes += (uint64_t)(int64_t)sign;
	if (r->flags & WR_UPSTREAM)
		wagg_count(
		    &ww->ups, &ww->nups, &ww->upscap, r->upstream, sign, now);
	if (r->flags & WR_ORIGIN)
		wagg_count(&ww->origins, &ww->norigins, &ww->origcap, r->origin,
		    sign, now);
}

static bool
wwatch_ignores(const struct wwatch *ww, const struct watch_peer *p)
{
	size_t i, alen = p->info.afi == AFI_IPV4 ? 4 : 16;

	for (i = 0; i < ww->conf.nignore; i++)
		if (ww->conf.ignore[i].afi == p->info.afi &&
		    memcmp(ww->conf.ignore[i].addr, p->info.addr, alen) == 0)
			return true;
	return false;
}

/* Recount the peers that can carry each family for ww. */
static void
wwatch_eligible(struct watch *w, struct wwatch *ww)
{
	struct watch_peer *p;
	uint32_t fams;
	size_t i;

	ww->eligible[0] = ww->eligible[1] = 0;
	for (i = 0; i < w->npeers; i++) {
		if ((p = w->peers[i]) == NULL || wwatch_ignores(ww, p))
			continue;
		fams = p->synced_fams | p->ghost_fams;
		if (fams & wfam_bit(AFI_IPV4))
			ww->eligible[0]++;
		if (fams & wfam_bit(AFI_IPV6))
			ww->eligible[1]++;
	}
}

static void
watch_eligible_all(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->nwatches; i++)
		wwatch_eligible(w, w->watches[i]);
}

/* The visibility threshold of ww for afi: 0 when nobody could carry it. */
static uint32_t
wwatch_threshold(const struct wwatch *ww, uint8_t afi)
{
	uint32_t e = ww->eligible[afi == AFI_IPV6];

	return e < ww->conf.min_peers ? e : ww->conf.min_peers;
}

/* Events. */

static void
wev_init(struct watch_event *ev, enum watch_action a, enum watch_kind k,
    enum watch_severity s, int64_t t)
{
	memset(ev, 0, sizeof(*ev));
	ev->action = a;
	ev->kind = k;
	ev->severity = s;
	ev->time = t;
}

static void
wev_emit(struct watch *w, struct wwatch *ww, const struct watch_event *ev)
{
	w->events++;
	if (ev->kind == WATCH_KIND_ALERT) {
		w->alerts++;
		if (ww != NULL)
			ww->alerts++;
	}
	if (w->cb != NULL)
		w->cb(w->arg, ev);
}

static void
wev_summary(const struct rib_attr *a, struct attr_summary *sum)
{
	if (a == NULL || attr_canon_summary(a->bytes, a->len, sum) == -1)
		memset(sum, 0, sizeof(*sum));
}

/*
 * The common part of an event about pf: watch, line, prefix, and the
 * route behind it when the cause is a delta of that prefix.
 */
static void
wev_prefix(struct watch *w, struct watch_event *ev, const struct wpfx *pf,
    const struct wcause *c)
{
	ev->watch.name = pf->ww->conf.name;
	ev->watch.has_prefix = true;
	ev->watch.prefix = pf->line.prefix;
	ev->watch.match = pf->line.match;
	ev->has_route = true;
	ev->route.prefix = pf->p;
	if (c == NULL)
		return;
	if (c->peer != NULL)
		ev->peer = &c->peer->info;
	ev->reason = c->reason;
	if (c->d == NULL || prefix_cmp(c->d->prefix, &pf->p) != 0)
		return;
	ev->route.path_id = c->d->path_id;
	ev->route.has_path_id = true;
	ev->route.attr = c->d->attr;
	ev->route.prev = c->d->prev;
	/* Every event of one delta shares its summaries: parse them once. */
	if (!w->sums_valid) {
		wev_summary(c->d->attr, &w->sum);
		wev_summary(c->d->prev, &w->prev_sum);
		w->sums_valid = true;
	}
	ev->route.sum = w->sum;
	ev->route.prev_sum = w->prev_sum;
}

static int
wshare_by_routes(const void *a, const void *b)
{
	const struct watch_share *x = a, *y = b;

	if (x->routes != y->routes)
		return x->routes > y->routes ? -1 : 1;
	return x->as < y->as ? -1 : x->as > y->as;
}

static int
wshare_by_as(const void *a, const void *b)
{
	const struct watch_share *x = a, *y = b;

	return x->as < y->as ? -1 : x->as > y->as;
}

/*
 * The share of the upstreams over the watch's routes, in scratch: the
 * WATCH_SHARE_MAX largest (keep, if not 0, among them), the rest summed.
 */
static void
wev_share(struct watch *w, struct watch_event *ev, const struct wwatch *ww,
    uint32_t keep)
{
	struct watch_share *sh;
	size_t i, k = 0;
	double other = 0.0;

	watch_grow(
	    &w->s_share, &w->s_sharecap, ww->nups + 1, sizeof(*w->s_share));
	sh = w->s_share;
	for (i = 0; i < ww->nups; i++) {
		if (ww->ups[i].routes == 0)
			continue;
		sh[k].as = ww->ups[i].as;
		sh[k].routes = ww->ups[i].routes;
		sh[k].ratio = (double)ww->ups[i].routes / (double)ww->nroutes;
		k++;
	}
	if (k > WATCH_SHARE_MAX) {
		struct watch_share t;

		qsort(sh, k, sizeof(*sh), wshare_by_routes);
		for (i = WATCH_SHARE_MAX; i < k && sh[i].as != keep; i++)
			;
		if (keep != 0 && i < k) { /* keep it listed */
			t = sh[WATCH_SHARE_MAX - 1];
			sh[WATCH_SHARE_MAX - 1] = sh[i];
			sh[i] = t;
		}
		for (i = WATCH_SHARE_MAX; i < k; i++)
			other += sh[i].ratio;
		k = WATCH_SHARE_MAX;
		qsort(sh, k, sizeof(*sh), wshare_by_as);
	}
	ev->upstreams.share = sh;
	ev->upstreams.nshare = k;
	ev->upstreams.share_other = other;
}

/*
 * The upstreams part of an event about e's AS (NULL: none) on prefix pf
 * with view v.
 */
static void
wev_upstreams(struct watch *w, struct watch_event *ev, const struct wpfx *pf,
    const struct wview *v, const struct wup *e)
{
	const struct wwatch *ww = pf->ww;
	size_t i, nf = 0;

	for (i = 0; i < pf->nup; i++)
		if (pf->up[i].flapping)
			w->s_flap[nf++] = pf->up[i].as;
	ev->upstreams.flapping_set.as = w->s_flap;
	ev->upstreams.flapping_set.n = nf;
	ev->upstreams.present = true;
	ev->upstreams.has_as = e != NULL;
	if (e != NULL) {
		ev->upstreams.as = e->as;
		ev->upstreams.flapping = e->flapping;
		ev->upstreams.flaps = e->flaps;
	}
	ev->upstreams.baseline_source =
	    ww->baseline_configured ? "configured" : "learned";
	ev->upstreams.baseline.as = ww->baseline;
	ev->upstreams.baseline.n = ww->nbaseline;
	ev->upstreams.current.as = v->ups;
	ev->upstreams.current.n = v->nups;
	ev->upstreams.added.as = w->s_add;
	ev->upstreams.added.n =
	    wset_minus(v->ups, v->nups, ww->baseline, ww->nbaseline, w->s_add);
	ev->upstreams.removed.as = w->s_rem;
	ev->upstreams.removed.n =
	    wset_minus(ww->baseline, ww->nbaseline, v->ups, v->nups, w->s_rem);
	ev->upstreams.hold_down = ww->conf.hold_down;
	wev_share(w, ev, ww, e != NULL ? e->as : 0);
}

/* The origins part: current from v, previous from pf's reference. */
static void
wev_origins(struct watch *w, struct watch_event *ev, const struct wpfx *pf,
    const struct wview *v)
{
	const struct watch_conf *cf = &pf->ww->conf;

	ev->origins.present = true;
	if (pf->noref > 0)
		memcpy(w->s_prev, pf->oref, pf->noref * sizeof(uint32_t));
	ev->origins.previous.as = w->s_prev;
	ev->origins.previous.n = pf->noref;
	ev->origins.previous_unknown = pf->oref_unknown;
	ev->origins.current.as = v->orig;
	ev->origins.current.n = v->norig;
	ev->origins.current_unknown = v->ounknown;
	ev->origins.moas = v->norig > 1;
	ev->origins.expected.as = cf->expect_origin;
	ev->origins.expected.n = cf->nexpect_origin;
	ev->origins.unexpected.as = w->s_unexp;
	if (cf->nexpect_origin > 0)
		ev->origins.unexpected.n = wset_minus(v->orig, v->norig,
		    cf->expect_origin, cf->nexpect_origin, w->s_unexp);
}

static void
wev_visibility(
    struct watch_event *ev, const struct wpfx *pf, const struct wview *v)
{
	ev->visibility.present = true;
	ev->visibility.peers = v->peers;
	ev->visibility.min_peers = wwatch_threshold(pf->ww, pf->p.afi);
	ev->visibility.eligible = pf->ww->eligible[pf->p.afi == AFI_IPV6];
}

/* Prefix states. */

static struct wnode *
wnode_get(struct watch *w, const struct prefix *p, bool create)
{
	struct wnode **slot, *n;

	if (!create)
		return wtrie_get(&w->trie, p);
	slot = (struct wnode **)wtrie_insert(&w->trie, p);
	if ((n = *slot) == NULL) {
		if ((n = calloc(1, sizeof(*n))) == NULL)
			watch_fatal(__func__, "out of memory");
		n->p = *p;
		*slot = n;
	}
	return n;
}

static void
wnode_free(void *v)
{
	struct wnode *n = v;
	struct wspec *s;

	while ((s = n->specs) != NULL) {
		n->specs = s->next;
		free(s);
	}
	free(n);
}

static void
wnode_add_spec(struct wnode *n, struct wwatch *ww, enum watch_match m)
{
	struct wspec *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		watch_fatal(__func__, "out of memory");
	s->ww = ww;
	s->match = m;
	s->next = n->specs;
	n->specs = s;
}

/*
 * The most specific line of ww covering p: what an event names as the
 * watch prefix. False when none does.
 */
static bool
wwatch_line(struct watch *w, const struct wwatch *ww, const struct prefix *p,
    struct watch_conf_prefix *line)
{
	void *vals[WTRIE_MAXMATCH];
	struct wnode *n;
	struct wspec *s;
	size_t i;

	i = wtrie_match(&w->trie, p, vals, WTRIE_MAXMATCH);
	while (i-- > 0) {
		n = vals[i];
		for (s = n->specs; s != NULL; s = s->next) {
			if (s->ww != ww ||
			    (s->match != WATCH_MATCH_OR_LONGER &&
			        n->p.len != p->len))
				continue;
			line->prefix = n->p;
			line->match = s->match;
			return true;
		}
	}
	return false;
}

/* The per-upstream entry of pf for as, created absent when missing. */
static struct wup *
wup_get(struct wpfx *pf, uint32_t as, int64_t now)
{
	size_t i;

	for (i = 0; i < pf->nup && pf->up[i].as < as; i++)
		;
	if (i < pf->nup && pf->up[i].as == as)
		return &pf->up[i];
	watch_grow(&pf->up, &pf->upcap, pf->nup + 1, sizeof(*pf->up));
	memmove(pf->up + i + 1, pf->up + i, (pf->nup - i) * sizeof(*pf->up));
	pf->nup++;
	memset(&pf->up[i], 0, sizeof(pf->up[i]));
	pf->up[i].as = as;
	pf->up[i].state = WU_ABSENT;
	pf->up[i].first_seen = now;
	pf->up[i].last_flap = -1;
	return &pf->up[i];
}

static struct wpfx *
wpfx_find(struct watch *w, const struct wwatch *ww, const struct prefix *p)
{
	struct wnode *n;
	struct wpfx *pf;

	if ((n = wnode_get(w, p, false)) == NULL)
		return NULL;
	for (pf = n->pfx; pf != NULL; pf = pf->next)
		if (pf->ww == ww)
			return pf;
	return NULL;
}

/* Link pf to its trie node (created if needed). */
static void
wpfx_link(struct watch *w, struct wpfx *pf)
{
	struct wnode *n = wnode_get(w, &pf->p, true);

	pf->next = n->pfx;
	n->pfx = pf;
}

/*
 * A new state of ww for p, which some line of ww (or a learned spec)
 * covers. Expected upstreams start as reported: a prefix that lacks one
 * will have it missing after a hold-down.
 */
static struct wpfx *
wpfx_new(
    struct watch *w, struct wwatch *ww, const struct prefix *p, int64_t now)
{
	struct wpfx *pf;
	size_t i;

	if ((pf = calloc(1, sizeof(*pf))) == NULL)
		watch_fatal(__func__, "out of memory");
	pf->ww = ww;
	pf->p = *p;
	if (!wwatch_line(w, ww, p, &pf->line))
		watch_fatal(__func__, "prefix not covered by its watch");
	pf->learned = pf->line.match == WATCH_MATCH_ORIGIN_AS;
	pf->known = !ww->armed;
	pf->first_seen = -1;
	pf->last_change = now;
	for (i = 0; i < ww->conf.nexpect_upstream; i++)
		wup_get(pf, ww->conf.expect_upstream[i], now)->reported = true;
	watch_grow(&ww->pfx, &ww->pfxcap, ww->npfx + 1, sizeof(*ww->pfx));
	ww->pfx[ww->npfx++] = pf;
	wpfx_link(w, pf);
	return pf;
}

static void
wpfx_free(struct wpfx *pf)
{
	free(pf->r);
	free(pf->up);
	free(pf->oref);
	free(pf);
}

/* Index of the live route (peer, path_id) of pf, or -1. */
static long
wroute_find(const struct wpfx *pf, uint32_t peer, uint32_t path_id)
{
	size_t i;

	for (i = 0; i < pf->nr; i++)
		if (pf->r[i].peer == peer && pf->r[i].path_id == path_id &&
		    !(pf->r[i].flags & WR_GHOST))
			return (long)i;
	return -1;
}

static int
wroute_cmp(const struct wroute *a, const struct wroute *b)
{
	if (a->peer != b->peer)
		return a->peer < b->peer ? -1 : 1;
	if ((a->flags & WR_GHOST) != (b->flags & WR_GHOST))
		return (a->flags & WR_GHOST) ? 1 : -1;
	if (a->path_id != b->path_id)
		return a->path_id < b->path_id ? -1 : 1;
	return 0;
}

static void
wroute_insert(struct wpfx *pf, const struct wroute *r)
{
	size_t i = pf->nr;

	watch_grow(&pf->r, &pf->rcap, pf->nr + 1, sizeof(*pf->r));
	while (i > 0 && wroute_cmp(&pf->r[i - 1], r) > 0)
		i--;
	memmove(pf->r + i + 1, pf->r + i, (pf->nr - i) * sizeof(*pf->r));
	pf->r[i] = *r;
	pf->nr++;
	if (!(r->flags & WR_GHOST))
		pf->nlive++;
}

static void
wroute_remove(struct wpfx *pf, size_t i)
{
	if (!(pf->r[i].flags & WR_GHOST))
		pf->nlive--;
	memmove(pf->r + i, pf->r + i + 1, (pf->nr - i - 1) * sizeof(*pf->r));
	pf->nr--;
}

/* Store (or replace) the live route of peer/path_id in pf. */
static void
wpfx_route_set(struct wpfx *pf, uint32_t peer, uint32_t path_id,
    const struct wrinfo *ri, int64_t now)
{
	struct wroute r;
	long i = wroute_find(pf, peer, path_id);

	memset(&r, 0, sizeof(r));
	r.peer = peer;
	r.path_id = path_id;
	r.flags = ri->flags & (WR_ORIGIN | WR_UPSTREAM | WR_ASSET);
	r.origin = ri->origin;
	r.upstream = ri->upstream;
	if (i >= 0) {
		wwatch_count(pf->ww, &pf->r[i], -1, now);
		pf->r[i] = r;
	} else
		wroute_insert(pf, &r);
	wwatch_count(pf->ww, &r, 1, now);
	if (pf->first_seen < 0)
		pf->first_seen = now;
	pf->last_change = now;
}

/* Remove the live route peer/path_id of pf; false when it was not there. */
static bool
wpfx_route_del(struct wpfx *pf, uint32_t peer, uint32_t path_id, int64_t now)
{
	long i = wroute_find(pf, peer, path_id);

	if (i < 0)
		return false;
	wwatch_count(pf->ww, &pf->r[i], -1, now);
	wroute_remove(pf, (size_t)i);
	pf->last_change = now;
	return true;
}

/* Views and detection. */

static bool
wroute_in_view(
    const struct watch *w, const struct wpfx *pf, const struct wroute *r)
{
	if (r->flags & WR_GHOST)
		return true;
	return (w->peers[r->peer]->synced_fams & wfam_bit(pf->p.afi)) != 0;
}

/* The alert view of pf into *v (arrays in scratch until the next view). */
static void
wview_compute(struct watch *w, const struct wpfx *pf, struct wview *v)
{
	const struct wroute *r;
	uint32_t last = UINT32_MAX;
	size_t i;

	wscratch_view(w, pf->nr + 1);
	memset(v, 0, sizeof(*v));
	for (i = 0; i < pf->nr; i++) {
		r = &pf->r[i];
		if (!wroute_in_view(w, pf, r))
			continue;
		if (r->peer != last)
			v->peers++;
		last = r->peer;
		if (r->flags & WR_ORIGIN)
			v->norig = wset_add(w->s_orig, v->norig, r->origin);
		else
			v->ounknown = true;
		if (r->flags & WR_UPSTREAM)
			v->nups = wset_add(w->s_ups, v->nups, r->upstream);
	}
	v->orig = w->s_orig;
	v->ups = w->s_ups;
	/* Event sets: added <= ups, removed <= baseline, ... */
	wscratch_ev(w,
	    1 + pf->nr + pf->noref + pf->nup + pf->ww->nbaseline +
	        pf->ww->conf.nexpect_origin);
}

/* Visibility against the threshold; see watch.h. */
static void
wpfx_eval_vis(struct watch *w, struct wpfx *pf, const struct wview *v,
    int64_t now, const struct wcause *c)
{
	struct watch_event ev;
	uint32_t t = wwatch_threshold(pf->ww, pf->p.afi);
	bool up = v->peers >= t;

	if (t == 0)
		return; /* nobody could carry it: nothing to judge */
	if (pf->vis == WV_UNKNOWN) {
		if (v->peers > 0)
			pf->vis = up ? WV_UP : WV_DOWN;
		return;
	}
	if ((pf->vis == WV_UP) == up)
		return;
	pf->vis = up ? WV_UP : WV_DOWN;
	if (c->mode != WE_ALERT)
		return;
	if (up)
		wev_init(&ev, WATCH_VISIBILITY_RESTORED, WATCH_KIND_ALERT,
		    WATCH_SEV_INFO, now);
	else
		wev_init(&ev, WATCH_VISIBILITY_LOST, WATCH_KIND_ALERT,
		    v->peers == 0 ? WATCH_SEV_ERROR : WATCH_SEV_WARNING, now);
	wev_prefix(w, &ev, pf, c);
	wev_visibility(&ev, pf, v);
	wev_origins(w, &ev, pf, v);
	wev_emit(w, pf->ww, &ev);
}

/* A prefix seen for the first time since arming. */
static void
wpfx_eval_new(struct watch *w, struct wpfx *pf, const struct wview *v,
    int64_t now, const struct wcause *c)
{
	struct watch_event ev;

	pf->known = true;
	if (c->mode != WE_ALERT || pf->line.match != WATCH_MATCH_OR_LONGER ||
	    pf->p.len <= pf->line.prefix.len)
		return;
	wev_init(&ev, WATCH_MORE_SPECIFIC_SEEN, WATCH_KIND_ALERT,
	    WATCH_SEV_WARNING, now);
	wev_prefix(w, &ev, pf, c);
	wev_origins(w, &ev, pf, v);
	if (ev.origins.unexpected.n > 0)
		ev.severity = WATCH_SEV_ERROR;
	wev_upstreams(w, &ev, pf, v, NULL);
	wev_visibility(&ev, pf, v);
	wev_emit(w, pf->ww, &ev);
}

/* Origins against the last non-empty set and "expect origin". */
static void
wpfx_eval_origin(struct watch *w, struct wpfx *pf, const struct wview *v,
    bool was_known, int64_t now, const struct wcause *c)
{
	struct watch_event ev;
	bool had = pf->noref > 0 || pf->oref_unknown, alert;

	if (wset_equal(v->orig, v->norig, pf->oref, pf->noref) &&
	    v->ounknown == pf->oref_unknown)
		return;
	wev_init(&ev, WATCH_ORIGIN_CHANGED, WATCH_KIND_ALERT, WATCH_SEV_WARNING,
	    now);
	wev_prefix(w, &ev, pf, c);
	wev_origins(w, &ev, pf, v);
	if (ev.origins.unexpected.n > 0)
		ev.severity = WATCH_SEV_ERROR;
	switch (c->mode) {
	case WE_ALERT:
		alert = had || (was_known && ev.origins.unexpected.n > 0);
		break;
	case WE_ARM_INITIAL:
		alert = ev.origins.unexpected.n > 0;
		break;
	default:
		alert = false;
	}
	if (alert) {
		wev_visibility(&ev, pf, v);
		wev_emit(w, pf->ww, &ev);
	}
	watch_grow(&pf->oref, &pf->orefcap, v->norig, sizeof(*pf->oref));
	if (v->norig > 0)
		memcpy(pf->oref, v->orig, v->norig * sizeof(*pf->oref));
	pf->noref = v->norig;
	pf->oref_unknown = v->ounknown;
}

static void
wup_alert(struct watch *w, struct wpfx *pf, const struct wview *v,
    const struct wup *e, enum watch_action a, int64_t t, const struct wcause *c)
{
	struct watch_event ev;

	wev_init(&ev, a, WATCH_KIND_ALERT, WATCH_SEV_WARNING, t);
	wev_prefix(w, &ev, pf, c);
	if (a != WATCH_UPSTREAM_ADDED)
		ev.reason = "hold-down-expired";
	wev_upstreams(w, &ev, pf, v, e);
	wev_origins(w, &ev, pf, v);
	wev_emit(w, pf->ww, &ev);
}

/* Start the hold-down of e (absent from a visible prefix). */
static void
wup_hold(struct watch *w, struct wpfx *pf, struct wup *e, int64_t now)
{
	e->state = WU_HOLD;
	e->deadline = now + (int64_t)pf->ww->conf.hold_down * 1000;
	e->seq = w->heapseq++;
	pf->nholds++;
	wheap_push(w, e, pf);
}

/* Upstreams of a visible prefix: the machine of watch.h. */
static void
wpfx_eval_up(struct watch *w, struct wpfx *pf, const struct wview *v,
    int64_t now, const struct wcause *c)
{
	const struct wwatch *ww = pf->ww;
	struct wup *e;
	bool alert;
	size_t i;

	for (i = 0; i < v->nups; i++) {
		e = wup_get(pf, v->ups[i], now);
		if (e->state == WU_HOLD) {
			/* Back within the hold-down: a flap, not an alert. */
			e->flaps++;
			e->flapping = true;
			e->last_flap = now;
			pf->nholds--;
		}
		e->state = WU_PRESENT;
		if (e->reported)
			continue;
		alert = c->mode != WE_SILENT &&
		    (e->gone ||
		        !watch_asset_has(ww->baseline, ww->nbaseline, e->as));
		e->reported = true;
		e->gone = false;
		if (alert)
			wup_alert(w, pf, v, e, WATCH_UPSTREAM_ADDED, now, c);
	}
	for (i = 0; i < pf->nup; i++) {
		e = &pf->up[i];
		if (watch_asset_has(v->ups, v->nups, e->as))
			continue;
		if (e->state == WU_PRESENT ||
		    (e->state == WU_ABSENT && e->reported))
			wup_hold(w, pf, e, now);
	}
}

/* The prefix is not visible: hold-downs wait until it is back. */
static void
wpfx_freeze(struct wpfx *pf)
{
	size_t i;

	for (i = 0; i < pf->nup; i++)
		if (pf->up[i].state == WU_HOLD)
			pf->up[i].state = WU_PRESENT;
	pf->nholds = 0;
}

/*
 * Compare the alert view of pf with what was reported and act per c's
 * mode. Only armed watches are evaluated.
 */
static void
wpfx_eval(struct watch *w, struct wpfx *pf, int64_t now, const struct wcause *c)
{
	struct wview v;
	bool was_known = pf->known;

	if (!pf->ww->armed)
		return;
	wview_compute(w, pf, &v);
	wpfx_eval_vis(w, pf, &v, now, c);
	if (v.peers == 0) {
		wpfx_freeze(pf);
		return;
	}
	if (!pf->known)
		wpfx_eval_new(w, pf, &v, now, c);
	wpfx_eval_origin(w, pf, &v, was_known, now, c);
	wpfx_eval_up(w, pf, &v, now, c);
}

/* Evaluate every prefix of every armed watch. */
static void
watch_eval_all(struct watch *w, int64_t now, const struct wcause *c)
{
	struct wwatch *ww;
	size_t i, k;

	for (i = 0; i < w->nwatches; i++) {
		ww = w->watches[i];
		for (k = 0; ww->armed && k < ww->npfx; k++)
			wpfx_eval(w, ww->pfx[k], now, c);
	}
}

/* Hold-down timers: a binary min-heap on the deadline. */

/* Whether timer a expires before b. */
static bool
wheap_less(const struct wtimer *a, const struct wtimer *b)
{
	return a->deadline < b->deadline ||
	    (a->deadline == b->deadline && a->seq < b->seq);
}

static void
wheap_swap(struct watch *w, size_t a, size_t b)
{
	struct wtimer t = w->heap[a];

	w->heap[a] = w->heap[b];
	w->heap[b] = t;
}

/* Queue the hold-down of e (of pf). */
static void
wheap_push(struct watch *w, const struct wup *e, struct wpfx *pf)
{
	size_t i = w->nheap, up;

	watch_grow(&w->heap, &w->heapcap, w->nheap + 1, sizeof(*w->heap));
	w->heap[i].deadline = e->deadline;
	w->heap[i].pf = pf;
	w->heap[i].as = e->as;
	w->heap[i].seq = e->seq;
	w->nheap++;
	while (i > 0) {
		up = (i - 1) / 2;
		if (!wheap_less(&w->heap[i], &w->heap[up]))
			break;
		wheap_swap(w, i, up);
		i = up;
	}
}

static void
wheap_pop(struct watch *w)
{
	size_t i = 0, l, m;

	w->heap[0] = w->heap[--w->nheap];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < w->nheap && wheap_less(&w->heap[l], &w->heap[m]))
			m = l;
		if (l + 1 < w->nheap &&
		    wheap_less(&w->heap[l + 1], &w->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		wheap_swap(w, i, m);
		i = m;
	}
}

/* The entry a timer refers to, or NULL when the timer is stale. */
static struct wup *
wtimer_entry(const struct wtimer *t)
{
	struct wpfx *pf = t->pf;
	size_t i;

	for (i = 0; i < pf->nup; i++)
		if (pf->up[i].as == t->as)
			return pf->up[i].state == WU_HOLD &&
			        pf->up[i].deadline == t->deadline
			    ? &pf->up[i]
			    : NULL;
	return NULL;
}

/* Drop stale timers from the top; the earliest live deadline or -1. */
static int64_t
wheap_top(struct watch *w)
{
	while (w->nheap > 0 && wtimer_entry(&w->heap[0]) == NULL)
		wheap_pop(w);
	return w->nheap > 0 ? w->heap[0].deadline : -1;
}

/* The hold-down at the top of the heap expired (at its deadline). */
static void
wheap_expire(struct watch *w)
{
	struct wtimer t = w->heap[0];
	struct wup *e = wtimer_entry(&t);
	struct wcause c = { NULL, NULL, NULL, WE_ALERT };
	struct wpfx *pf = t.pf;
	struct wview v;
	bool expected;

	wheap_pop(w);
	if (e == NULL)
		return;
	e->state = WU_ABSENT;
	pf->nholds--;
	expected = watch_asset_has(
	    pf->ww->conf.expect_upstream, pf->ww->conf.nexpect_upstream, e->as);
	wview_compute(w, pf, &v);
	wup_alert(w, pf, &v, e,
	    expected ? WATCH_EXPECTED_UPSTREAM_MISSING : WATCH_UPSTREAM_REMOVED,
	    t.deadline, &c);
	e->reported = false;
	e->gone = true;
	e->flaps = 0;
	e->flapping = false;
}

/* Rebuild the heap from the states' running hold-downs. */
static void
wheap_rebuild(struct watch *w)
{
	struct wwatch *ww;
	struct wpfx *pf;
	size_t i, k, u;

	w->nheap = 0;
	for (i = 0; i < w->nwatches; i++) {
		ww = w->watches[i];
		for (k = 0; k < ww->npfx; k++) {
			pf = ww->pfx[k];
			for (u = 0; u < pf->nup; u++)
				if (pf->up[u].state == WU_HOLD)
					wheap_push(w, &pf->up[u], pf);
		}
	}
}

/* Peers. */

static void
wpeer_fmt(struct watch_peer *p)
{
	uint8_t id[4];

	if (addr_fmt(p->info.afi, p->info.addr, p->info.ip,
	        sizeof(p->info.ip)) == NULL)
		p->info.ip[0] = '\0';
	id[0] = (uint8_t)(p->info.bgp_id >> 24);
	id[1] = (uint8_t)(p->info.bgp_id >> 16);
	id[2] = (uint8_t)(p->info.bgp_id >> 8);
	id[3] = (uint8_t)p->info.bgp_id;
	snprintf(p->info.bgp_id_str, sizeof(p->info.bgp_id_str), "%u.%u.%u.%u",
	    id[0], id[1], id[2], id[3]);
	p->info.descr[sizeof(p->info.descr) - 1] = '\0';
}

struct watch_peer *
watch_peer_add(
    struct watch *w, const struct watch_peer_info *info, struct rib *rib)
{
	struct watch_peer *p;
	size_t i;

	for (i = 0; i < w->npeers && w->peers[i] != NULL; i++)
		;
	if (i == w->npeers) {
		watch_grow(
		    &w->peers, &w->peercap, w->npeers + 1, sizeof(*w->peers));
		w->npeers++;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		watch_fatal(__func__, "out of memory");
	p->info = *info;
	wpeer_fmt(p);
	p->rib = rib;
	p->idx = (uint32_t)i;
	p->state = WP_DOWN;
	p->ghost_until = -1;
	w->peers[i] = p;
	return p;
}

const struct watch_peer_info *
watch_peer_info(const struct watch_peer *p)
{
	return &p->info;
}

void
watch_peer_set_info(struct watch_peer *p, const struct watch_peer_info *info)
{
	p->info = *info;
	wpeer_fmt(p);
}

/*
 * Apply fn to every state of every watch that holds a route of p (live or
 * ghost), i.e. every state: routes carry only a peer index.
 */
static void
wpeer_each(struct watch *w,
    void (*fn)(
        struct watch *, struct wpfx *, struct watch_peer *, uint32_t, int64_t),
    struct watch_peer *p, uint32_t fams, int64_t now)
{
	struct wwatch *ww;
	size_t i, k;

	for (i = 0; i < w->nwatches; i++) {
		ww = w->watches[i];
		for (k = 0; k < ww->npfx; k++)
			fn(w, ww->pfx[k], p, fams, now);
	}
}

/* Copy p's live routes of pf (families fams) as ghosts. */
static void
wpfx_ghost(struct watch *w, struct wpfx *pf, struct watch_peer *p,
    uint32_t fams, int64_t now)
{
	struct wroute r;
	size_t i;

	if (!(fams & wfam_bit(pf->p.afi)))
		return;
	for (i = 0; i < pf->nr; i++) {
		if (pf->r[i].peer != p->idx || (pf->r[i].flags & WR_GHOST))
			continue;
		r = pf->r[i];
		r.flags |= WR_GHOST;
		wroute_insert(pf, &r);
		p->nghosts++;
	}
}

/* Drop p's ghosts of pf (families fams). */
static void
wpfx_unghost(struct watch *w, struct wpfx *pf, struct watch_peer *p,
    uint32_t fams, int64_t now)
{
	size_t i = 0;

	if (!(fams & wfam_bit(pf->p.afi)))
		return;
	while (i < pf->nr) {
		if (pf->r[i].peer == p->idx && (pf->r[i].flags & WR_GHOST)) {
			wroute_remove(pf, i);
			p->nghosts--;
		} else
			i++;
	}
}

/* Drop every route of p from pf, silently. */
static void
wpfx_purge(struct watch *w, struct wpfx *pf, struct watch_peer *p,
    uint32_t fams, int64_t now)
{
	size_t i = 0;

	while (i < pf->nr) {
		if (pf->r[i].peer != p->idx) {
			i++;
			continue;
		}
		if (pf->r[i].flags & WR_GHOST)
			p->nghosts--;
		wwatch_count(pf->ww, &pf->r[i], -1, now);
		wroute_remove(pf, i);
	}
}

static void
wpeer_unghost(struct watch *w, struct watch_peer *p, uint32_t fams)
{
	if (p->nghosts > 0 && (p->ghost_fams & fams))
		wpeer_each(w, wpfx_unghost, p, fams, 0);
	p->ghost_fams &= ~fams;
	if (p->ghost_fams == 0)
		p->ghost_until = -1;
}

/*
 * p no longer feeds families fams: its routes there that were in the
 * alert view stay as ghosts for peer_grace seconds.
 */
static void
wpeer_fams_down(
    struct watch *w, struct watch_peer *p, uint32_t fams, int64_t now)
{
	uint32_t g = p->synced_fams & fams;

	if (g != 0) {
		wpeer_unghost(w, p, g); /* at most one generation */
		wpeer_each(w, wpfx_ghost, p, g, now);
		/* Even without routes it still counts as a carrier. */
		p->ghost_fams |= g;
		p->ghost_until = now + (int64_t)w->params.peer_grace * 1000;
	}
	p->synced_fams &= ~fams;
	p->fams &= ~fams;
	watch_eligible_all(w);
}

/* Transfers, sync and arming. */

static void
wev_synced(struct watch *w, struct watch_peer *p, uint16_t afi, uint8_t safi,
    const char *trigger, bool complete, int64_t t)
{
	struct watch_event ev;

	wev_init(&ev, WATCH_RIB_SYNCED, WATCH_KIND_EVENT, WATCH_SEV_INFO, t);
	ev.peer = &p->info;
	ev.reason = trigger;
	ev.sync.present = true;
	ev.sync.afi = afi;
	ev.sync.safi = safi;
	ev.sync.trigger = trigger;
	ev.sync.complete = complete;
	/* Unicast only is counted (the families of the alert view). */
	ev.sync.routes =
	    safi == SAFI_UNICAST ? p->xfer_routes[afi == AFI_IPV6] : 0;
	wev_emit(w, NULL, &ev);
}

/* The watch-wide sets of a baseline-learned event, in event scratch. */
static void
wev_watchwide(struct watch *w, struct watch_event *ev, struct wwatch *ww)
{
	size_t i, nu = 0, no = 0;

	wscratch_ev(w, ww->nups + ww->norigins + ww->nbaseline + 1);
	for (i = 0; i < ww->nups; i++)
		if (ww->ups[i].routes > 0)
			w->s_unexp[nu++] = ww->ups[i].as;
	for (i = 0; i < ww->norigins; i++)
		if (ww->origins[i].routes > 0)
			w->s_prev[no++] = ww->origins[i].as;
	ev->watch.name = ww->conf.name;
	ev->upstreams.present = true;
	ev->upstreams.baseline_source =
	    ww->baseline_configured ? "configured" : "learned";
	ev->upstreams.baseline.as = ww->baseline;
	ev->upstreams.baseline.n = ww->nbaseline;
	ev->upstreams.current.as = w->s_unexp;
	ev->upstreams.current.n = nu;
	ev->upstreams.added.as = w->s_add;
	ev->upstreams.added.n =
	    wset_minus(w->s_unexp, nu, ww->baseline, ww->nbaseline, w->s_add);
	ev->upstreams.removed.as = w->s_rem;
	ev->upstreams.removed.n =
	    wset_minus(ww->baseline, ww->nbaseline, w->s_unexp, nu, w->s_rem);
	ev->upstreams.hold_down = ww->conf.hold_down;
	wev_share(w, ev, ww, 0);
	ev->origins.present = true;
	ev->origins.current.as = w->s_prev;
	ev->origins.current.n = no;
	ev->origins.moas = no > 1;
	ev->origins.expected.as = ww->conf.expect_origin;
	ev->origins.expected.n = ww->conf.nexpect_origin;
}

/* The learned baseline: every upstream in the alert view of ww. */
static void
wwatch_learn(struct watch *w, struct wwatch *ww)
{
	struct wview v;
	size_t i, k, cap = 0;
	uint32_t *b = NULL;
	size_t n = 0;

	for (i = 0; i < ww->npfx; i++) {
		wview_compute(w, ww->pfx[i], &v);
		watch_grow(&b, &cap, n + v.nups + 1, sizeof(*b));
		for (k = 0; k < v.nups; k++)
			n = wset_add(b, n, v.ups[k]);
	}
	free(ww->baseline);
	ww->baseline = b;
	ww->nbaseline = n;
}

/*
 * Fix the baseline of ww, report it, and adopt (WE_SILENT) or judge
 * (WE_ARM_INITIAL) what its prefixes look like now.
 */
static void
wwatch_arm(struct watch *w, struct wwatch *ww, int64_t now, enum wmode mode,
    const char *reason)
{
	struct wcause c = { NULL, NULL, reason, mode };
	struct watch_event ev;
	struct wview v;
	uint64_t visible = 0;
	size_t i;

	if (ww->baseline_configured) {
		free(ww->baseline);
		ww->nbaseline = ww->conf.nexpect_upstream;
		if ((ww->baseline = calloc(
		         ww->nbaseline + 1, sizeof(*ww->baseline))) == NULL)
			watch_fatal(__func__, "out of memory");
		memcpy(ww->baseline, ww->conf.expect_upstream,
		    ww->nbaseline * sizeof(*ww->baseline));
	} else
		wwatch_learn(w, ww);
	ww->armed = true;
	ww->armed_time = now;
	for (i = 0; i < ww->npfx; i++) {
		ww->pfx[i]->known = true;
		wview_compute(w, ww->pfx[i], &v);
		if (v.peers > 0 &&
		    v.peers >= wwatch_threshold(ww, ww->pfx[i]->p.afi))
			visible++;
	}
	wev_init(
	    &ev, WATCH_BASELINE_LEARNED, WATCH_KIND_STATE, WATCH_SEV_INFO, now);
	ev.reason = reason;
	wev_watchwide(w, &ev, ww);
	ev.visibility.present = true;
	ev.visibility.prefixes = ww->npfx;
	ev.visibility.visible = visible;
	wev_emit(w, ww, &ev);
	for (i = 0; i < ww->npfx; i++)
		wpfx_eval(w, ww->pfx[i], now, &c);
}

/*
 * Whether the unarmed watches can be armed at now: no peer in transfer,
 * one synced, and all synced or arm_wait over. *when gets the time it
 * will be possible by the clock alone (-1: not by the clock).
 */
static bool
watch_arm_ready(const struct watch *w, int64_t now, int64_t *when)
{
	const struct watch_peer *p;
	bool any = false, all = true;
	size_t i;

	*when = -1;
	for (i = 0; i < w->npeers; i++) {
		if ((p = w->peers[i]) == NULL)
			continue;
		if (p->state == WP_TRANSFER)
			return false;
		if (p->state == WP_SYNCED)
			any = true;
		else
			all = false;
	}
	if (!any)
		return false;
	if (all)
		return true;
	*when = w->first_up + (int64_t)w->params.arm_wait * 1000;
	return now >= *when;
}

static bool
watch_all_armed(const struct watch *w)
{
	size_t i;

	for (i = 0; i < w->nwatches; i++)
		if (!w->watches[i]->armed)
			return false;
	return true;
}

static void
watch_try_arm(struct watch *w, int64_t now)
{
	int64_t when;
	size_t i;

	if (watch_all_armed(w) || !watch_arm_ready(w, now, &when))
		return;
	for (i = 0; i < w->nwatches; i++)
		if (!w->watches[i]->armed)
			wwatch_arm(w, w->watches[i], now,
			    w->armed_once ? WE_SILENT : WE_ARM_INITIAL,
			    when < 0 ? "all-peers-synced" : "arm-wait-expired");
	w->armed_once = true;
}

/*
 * Families bits of p are synced: its routes there join the alert view,
 * its ghosts there go, and everything is judged again.
 */
static void
wpeer_sync(struct watch *w, struct watch_peer *p, uint32_t bits, int64_t now)
{
	struct wcause c = { p, NULL, "rib-synced", WE_ALERT };

	p->synced_fams |= bits;
	if (p->state == WP_TRANSFER && (p->fams & ~p->synced_fams) == 0) {
		p->state = WP_SYNCED;
		p->ever_synced = true;
		bits |= WFAM_ALL;
		p->synced_fams = WFAM_ALL;
	}
	wpeer_unghost(w, p, bits);
	watch_eligible_all(w);
	watch_eval_all(w, now, &c);
	watch_try_arm(w, now);
}

void
watch_peer_up(struct watch *w, struct watch_peer *p, uint32_t fams, int64_t now)
{
	if (p->state != WP_DOWN)
		wpeer_fams_down(w, p, WFAM_ALL, now);
	fams &= WFAM_ALL;
	p->state = WP_TRANSFER;
	p->fams = fams != 0 ? fams : wfam_bit(AFI_IPV4);
	p->synced_fams = 0;
	p->up_time = p->last_rx = now;
	memset(p->xfer_routes, 0, sizeof(p->xfer_routes));
	if (w->first_up < 0)
		w->first_up = now;
}

void
watch_peer_synced(struct watch *w, struct watch_peer *p, uint16_t afi,
    uint8_t safi, int64_t now)
{
	uint32_t bit = wfam_bit((uint8_t)afi);
	bool unicast =
	    safi == SAFI_UNICAST && (afi == AFI_IPV4 || afi == AFI_IPV6);

	if (!unicast || p->state != WP_TRANSFER) {
		wev_synced(
		    w, p, afi, safi, "end-of-rib", p->state == WP_SYNCED, now);
		return;
	}
	wev_synced(w, p, afi, safi, "end-of-rib",
	    (p->fams & ~(p->synced_fams | bit)) == 0, now);
	wpeer_sync(w, p, bit, now);
}

/* The transfer fallback of p fired at t: what is pending counts synced. */
static void
wpeer_sync_timeout(struct watch *w, struct watch_peer *p, int64_t t)
{
	uint32_t pending = p->fams & ~p->synced_fams;

	if (pending & wfam_bit(AFI_IPV4))
		wev_synced(w, p, AFI_IPV4, SAFI_UNICAST, "timeout",
		    !(pending & wfam_bit(AFI_IPV6)), t);
	if (pending & wfam_bit(AFI_IPV6))
		wev_synced(w, p, AFI_IPV6, SAFI_UNICAST, "timeout", true, t);
	wpeer_sync(w, p, pending, t);
}

void
watch_peer_down(struct watch *w, struct watch_peer *p, int64_t now)
{
	if (p->state == WP_DOWN)
		return;
	wpeer_fams_down(w, p, WFAM_ALL, now);
	p->state = WP_DOWN;
	watch_try_arm(w, now);
}

/* The grace of p's ghosts is over at t: the change is judged now. */
static void
wpeer_grace_over(struct watch *w, struct watch_peer *p, int64_t t)
{
	struct wcause c = { p, NULL, "peer-grace-expired", WE_ALERT };

	wpeer_unghost(w, p, WFAM_ALL);
	watch_eligible_all(w);
	watch_eval_all(w, t, &c);
}

void
watch_peer_del(struct watch *w, struct watch_peer *p, int64_t now)
{
	struct wcause c = { NULL, NULL, "peer-removed", WE_SILENT };

	wpeer_each(w, wpfx_purge, p, WFAM_ALL, now);
	w->peers[p->idx] = NULL;
	free(p);
	watch_eligible_all(w);
	watch_eval_all(w, now, &c);
	watch_try_arm(w, now);
}

/* Route deltas. */

/*
 * What a delta says about p's session: a flush after a session ended
 * (the first one takes the peer down if the caller has not), a family
 * disabled (RFC 7606 §2), a route while down (an implicit session start),
 * or transfer progress.
 */
static void
wpeer_note_delta(struct watch *w, struct watch_peer *p,
    const struct rib_delta *d, int64_t now)
{
	uint32_t bit = wfam_bit(d->prefix->afi);

	switch (d->reason) {
	case RIB_R_SESSION_DOWN:
	case RIB_R_MAX_PREFIX:
		watch_peer_down(w, p, now);
		return;
	case RIB_R_AFI_SAFI_DISABLE:
		if ((p->fams | p->synced_fams) & bit)
			wpeer_fams_down(w, p, bit, now);
		return;
	default:
		break;
	}
	if (p->state == WP_DOWN && d->kind != RIB_WITHDRAWN)
		watch_peer_up(w, p, bit, now);
	if (p->state != WP_TRANSFER)
		return;
	p->last_rx = now;
	if (d->kind == RIB_ANNOUNCED)
		p->xfer_routes[d->prefix->afi == AFI_IPV6]++;
}

/* Whether ww already has a line or learned spec among the matches. */
static bool
wwatch_covers(
    const struct wwatch *ww, void **vals, size_t n, const struct prefix *p)
{
	const struct wnode *node;
	const struct wspec *s;
	size_t i;

	for (i = 0; i < n; i++) {
		node = vals[i];
		for (s = node->specs; s != NULL; s = s->next)
			if (s->ww == ww &&
			    (s->match == WATCH_MATCH_OR_LONGER ||
			        node->p.len == p->len))
				return true;
	}
	return false;
}

/*
 * origin-as: a route originated by a watched AS makes its prefix watched
 * by that watch from now on. Returns the (possibly new) matches.
 */
static size_t
wmatch_origin(struct watch *w, const struct prefix *p, const struct wrinfo *ri,
    void **vals, size_t n)
{
	size_t lo = 0, hi = w->noidx, mid;
	bool added = false;

	if (!(ri->flags & WR_ORIGIN))
		return n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->oidx[mid].as < ri->origin)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < w->noidx && w->oidx[lo].as == ri->origin; lo++) {
		if (wwatch_covers(w->oidx[lo].ww, vals, n, p))
			continue;
		wnode_add_spec(wnode_get(w, p, true), w->oidx[lo].ww,
		    WATCH_MATCH_ORIGIN_AS);
		added = true;
	}
	return added ? wtrie_match(&w->trie, p, vals, WTRIE_MAXMATCH) : n;
}

static void
wroute_event(struct watch *w, struct wpfx *pf, struct watch_peer *p,
    const struct rib_delta *d, int64_t now)
{
	struct wcause c = { p, d, NULL, WE_ALERT };
	struct watch_event ev;
	enum watch_action a;

	if (d->kind == RIB_WITHDRAWN) {
		a = WATCH_ROUTE_WITHDRAWN;
		c.reason = rib_reason_name(d->reason);
	} else
		a = d->kind == RIB_REPLACED ? WATCH_ROUTE_REPLACED
		                            : WATCH_ROUTE_ANNOUNCED;
	wev_init(&ev, a, WATCH_KIND_EVENT, WATCH_SEV_INFO, now);
	wev_prefix(w, &ev, pf, &c);
	wev_emit(w, pf->ww, &ev);
}

/*
 * Apply delta d of p to ww's state of its prefix (at trie node exact, or
 * NULL when there is none yet); judge it if it counts.
 */
static void
wroute_apply(struct watch *w, struct wwatch *ww, struct wnode *exact,
    struct watch_peer *p, const struct rib_delta *d, const struct wrinfo *ri,
    int64_t now)
{
	struct wcause c = { p, d, rib_reason_name(d->reason), WE_ALERT };
	struct wpfx *pf = NULL;

	if (exact != NULL)
		for (pf = exact->pfx; pf != NULL && pf->ww != ww; pf = pf->next)
			;
	if (d->kind == RIB_WITHDRAWN) {
		if (pf == NULL || !wpfx_route_del(pf, p->idx, d->path_id, now))
			return;
	} else {
		if (pf == NULL)
			pf = wpfx_new(w, ww, d->prefix, now);
		wpfx_route_set(pf, p->idx, d->path_id, ri, now);
	}
	wroute_event(w, pf, p, d, now);
	if (p->synced_fams & wfam_bit(d->prefix->afi))
		wpfx_eval(w, pf, now, &c);
}

void
watch_route_delta(struct watch *w, struct watch_peer *p,
    const struct rib_delta *d, int64_t now)
{
	void *vals[WTRIE_MAXMATCH];
	struct wrinfo ri;
	struct wnode *node, *exact;
	struct wspec *s;
	uint64_t epoch;
	size_t i, n;

	w->deltas++;
	w->sums_valid = false;
	if (d->safi != SAFI_UNICAST ||
	    (d->prefix->afi != AFI_IPV4 && d->prefix->afi != AFI_IPV6))
		return;
	wpeer_note_delta(w, p, d, now);
	n = wtrie_match(&w->trie, d->prefix, vals, WTRIE_MAXMATCH);
	if (n == 0 && w->noidx == 0)
		return;
	memset(&ri, 0, sizeof(ri));
	if (d->attr != NULL)
		watch_route_info(d->attr->bytes, d->attr->len, &ri);
	if (w->noidx > 0)
		n = wmatch_origin(w, d->prefix, &ri, vals, n);
	if (n == 0)
		return;
	w->matched++;
	/* Longest line first, so each watch is applied once. */
	exact = ((struct wnode *)vals[n - 1])->p.len == d->prefix->len
	    ? vals[n - 1]
	    : NULL;
	epoch = ++w->epoch;
	for (i = n; i-- > 0;) {
		node = vals[i];
		for (s = node->specs; s != NULL; s = s->next) {
			if ((s->match != WATCH_MATCH_OR_LONGER &&
			        node != exact) ||
			    s->ww->mark == epoch)
				continue;
			s->ww->mark = epoch;
			if (wwatch_ignores(s->ww, p))
				continue;
			wroute_apply(w, s->ww, exact, p, d, &ri, now);
			if (exact == NULL) /* the first watch made it */
				exact = wnode_get(w, d->prefix, false);
		}
	}
}

void
watch_treat_as_withdraw(struct watch *w, struct watch_peer *p, uint8_t safi,
    const struct prefix *prefix, uint32_t path_id, const uint8_t *attr,
    size_t len, const char *why, int64_t now)
{
	void *vals[WTRIE_MAXMATCH];
	struct watch_event ev;
	struct wnode *node;
	struct wspec *s;
	uint64_t epoch;
	size_t i, n;

	if (safi != SAFI_UNICAST ||
	    (prefix->afi != AFI_IPV4 && prefix->afi != AFI_IPV6) ||
	    (n = wtrie_match(&w->trie, prefix, vals, WTRIE_MAXMATCH)) == 0)
		return;
	/* The same event for every watch but for its name and line. */
	wev_init(&ev, WATCH_ROUTE_TREAT_AS_WITHDRAW, WATCH_KIND_EVENT,
	    WATCH_SEV_NOTICE, now);
	ev.peer = &p->info;
	ev.reason = "treat-as-withdraw";
	ev.has_route = true;
	ev.route.prefix = *prefix;
	ev.route.path_id = path_id;
	ev.route.has_path_id = true;
	if (p->rib != NULL) /* still there: called before rib_withdraw() */
		ev.route.prev = rib_get(p->rib, safi, prefix, path_id);
	wev_summary(ev.route.prev, &ev.route.prev_sum);
	ev.taw.present = true;
	ev.taw.attr = attr;
	ev.taw.len = len;
	ev.taw.why = why;
	ev.watch.has_prefix = true;
	epoch = ++w->epoch;
	for (i = n; i-- > 0;) {
		node = vals[i];
		for (s = node->specs; s != NULL; s = s->next) {
			if ((s->match != WATCH_MATCH_OR_LONGER &&
			        node->p.len != prefix->len) ||
			    s->ww->mark == epoch || wwatch_ignores(s->ww, p))
				continue;
			s->ww->mark = epoch;
			ev.watch.name = s->ww->conf.name;
			ev.watch.prefix = node->p;
			ev.watch.match = s->match;
			wev_emit(w, s->ww, &ev);
		}
	}
}

/* Timers. */

/* The earliest timer of the engine; *what says which (see watch_tick). */
enum wdue {
	WD_NONE,
	WD_HOLD,
	WD_SYNC,
	WD_GHOST,
	WD_ARM,
};

static int64_t
watch_due(struct watch *w, enum wdue *what, struct watch_peer **who)
{
	struct watch_peer *p;
	int64_t best = wheap_top(w), t;
	size_t i;

	*what = best >= 0 ? WD_HOLD : WD_NONE;
	*who = NULL;
	for (i = 0; i < w->npeers; i++) {
		if ((p = w->peers[i]) == NULL)
			continue;
		if (p->state == WP_TRANSFER) {
			t = p->last_rx + (int64_t)w->params.sync_idle * 1000;
			if (p->up_time + (int64_t)w->params.sync_max * 1000 < t)
				t = p->up_time +
				    (int64_t)w->params.sync_max * 1000;
			if (best < 0 || t < best) {
				best = t;
				*what = WD_SYNC;
				*who = p;
			}
		}
		if (p->ghost_until >= 0 &&
		    (best < 0 || p->ghost_until < best)) {
			best = p->ghost_until;
			*what = WD_GHOST;
			*who = p;
		}
	}
	if (!watch_all_armed(w) && !watch_arm_ready(w, 0, &t) && t >= 0 &&
	    (best < 0 || t < best)) {
		best = t;
		*what = WD_ARM;
	}
	return best;
}

void
watch_tick(struct watch *w, int64_t now)
{
	struct watch_peer *p;
	enum wdue what;
	int64_t t;

	while ((t = watch_due(w, &what, &p)) >= 0 && t <= now) {
		switch (what) {
		case WD_HOLD:
			wheap_expire(w);
			break;
		case WD_SYNC:
			wpeer_sync_timeout(w, p, t);
			break;
		case WD_GHOST:
			wpeer_grace_over(w, p, t);
			break;
		case WD_ARM:
			watch_try_arm(w, t);
			break;
		case WD_NONE:
			return;
		}
	}
}

int64_t
watch_next_deadline(struct watch *w)
{
	enum wdue what;
	struct watch_peer *p;

	return watch_due(w, &what, &p);
}

/* The engine. */

struct watch *
watch_new(const struct watch_params *params, watch_event_cb cb, void *arg)
{
	struct watch *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		watch_fatal(__func__, "out of memory");
	w->params = params != NULL ? *params : watch_defaults;
	w->cb = cb;
	w->arg = arg;
	w->first_up = -1;
	wtrie_init(&w->trie);
	return w;
}

static void
wwatch_free(struct wwatch *ww)
{
	size_t i;

	for (i = 0; i < ww->npfx; i++)
		wpfx_free(ww->pfx[i]);
	free(ww->pfx);
	free(ww->ups);
	free(ww->origins);
	free(ww->baseline);
	watch_conf_free(&ww->conf);
	free(ww);
}

void
watch_free(struct watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	wtrie_free(&w->trie, wnode_free);
	for (i = 0; i < w->nwatches; i++)
		wwatch_free(w->watches[i]);
	for (i = 0; i < w->npeers; i++)
		free(w->peers[i]);
	free(w->watches);
	free(w->peers);
	free(w->heap);
	free(w->oidx);
	free(w->s_orig);
	free(w->s_ups);
	free(w->s_add);
	free(w->s_rem);
	free(w->s_unexp);
	free(w->s_prev);
	free(w->s_flap);
	free(w->s_share);
	free(w);
}

void
watch_stats(const struct watch *w, struct watch_stats *st)
{
	const struct wwatch *ww;
	const struct wpfx *pf;
	size_t i, k;

	memset(st, 0, sizeof(*st));
	st->watches = w->nwatches;
	for (i = 0; i < w->npeers; i++)
		if (w->peers[i] != NULL) {
			st->peers++;
			st->ghosts += w->peers[i]->nghosts;
		}
	st->mem =
	    sizeof(*w) + wtrie_mem(&w->trie) + w->heapcap * sizeof(*w->heap);
	for (i = 0; i < w->nwatches; i++) {
		ww = w->watches[i];
		st->prefixes += ww->npfx;
		st->mem += sizeof(*ww) + ww->pfxcap * sizeof(*ww->pfx) +
		    (ww->upscap + ww->origcap) * sizeof(struct wagg);
		for (k = 0; k < ww->npfx; k++) {
			pf = ww->pfx[k];
			st->routes += pf->nlive;
			st->holddowns += pf->nholds;
			st->mem += sizeof(*pf) + pf->rcap * sizeof(*pf->r) +
			    pf->upcap * sizeof(*pf->up) +
			    pf->orefcap * sizeof(*pf->oref);
		}
	}
	st->trie_nodes = w->trie.nodes;
	st->deltas = w->deltas;
	st->matched = w->matched;
	st->events = w->events;
	st->alerts = w->alerts;
}

/* Reconfiguration. */

static const char *
watch_conf_check(const struct watch_conf *confs, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (confs[i].name[0] == '\0')
			return "watch without a name";
		if (confs[i].min_peers == 0)
			return "min-peers must be at least 1";
		if (confs[i].nprefixes == 0 && confs[i].norigin_as == 0)
			return "watch without prefix or origin-as";
		for (k = 0; k < i; k++)
			if (strcmp(confs[i].name, confs[k].name) == 0)
				return "watch name used twice";
	}
	return NULL;
}

static int
watch_oidx_cmp(const void *a, const void *b)
{
	const struct worigin_idx *x = a, *y = b;

	return x->as < y->as ? -1 : x->as > y->as;
}

/* Index every line, learned spec and state of the watches in the trie. */
static void
watch_index(struct watch *w)
{
	struct wwatch *ww;
	struct wpfx *pf;
	size_t i, k;

	wtrie_free(&w->trie, wnode_free);
	w->noidx = 0;
	for (i = 0; i < w->nwatches; i++) {
		ww = w->watches[i];
		for (k = 0; k < ww->conf.nprefixes; k++)
			wnode_add_spec(
			    wnode_get(w, &ww->conf.prefixes[k].prefix, true),
			    ww, ww->conf.prefixes[k].match);
		for (k = 0; k < ww->npfx; k++) {
			pf = ww->pfx[k];
			if (pf->learned)
				wnode_add_spec(wnode_get(w, &pf->p, true), ww,
				    WATCH_MATCH_ORIGIN_AS);
			wpfx_link(w, pf);
		}
		for (k = 0; k < ww->conf.norigin_as; k++) {
			watch_grow(&w->oidx, &w->noidxcap, w->noidx + 1,
			    sizeof(*w->oidx));
			w->oidx[w->noidx].as = ww->conf.origin_as[k];
			w->oidx[w->noidx++].ww = ww;
		}
	}
	if (w->noidx > 0)
		qsort(w->oidx, w->noidx, sizeof(*w->oidx), watch_oidx_cmp);
}

struct wseed {
	struct watch *w;
	struct wwatch *ww;
	struct watch_peer *p;
	int64_t now;
	struct prefix *learned; /* origin-as: prefixes found */
	size_t nlearned, learnedcap;
};

/* A route already in a RIB joins ww's state, silently. */
static int
wseed_route(void *arg, const struct rib_route *r)
{
	struct wseed *s = arg;
	struct wrinfo ri;
	struct wpfx *pf;

	if ((pf = wpfx_find(s->w, s->ww, &r->prefix)) == NULL)
		pf = wpfx_new(s->w, s->ww, &r->prefix, s->now);
	if (wroute_find(pf, s->p->idx, r->path_id) >= 0)
		return 0;
	watch_route_info(r->attr->bytes, r->attr->len, &ri);
	wpfx_route_set(pf, s->p->idx, r->path_id, &ri, s->now);
	return 0;
}

/* origin-as: a route originated by a watched AS marks its prefix. */
static int
wseed_origin(void *arg, const struct rib_route *r)
{
	void *vals[WTRIE_MAXMATCH];
	struct wseed *s = arg;
	struct wrinfo ri;
	size_t n;

	watch_route_info(r->attr->bytes, r->attr->len, &ri);
	if (!(ri.flags & WR_ORIGIN) ||
	    !watch_asset_has(
	        s->ww->conf.origin_as, s->ww->conf.norigin_as, ri.origin))
		return 0;
	n = wtrie_match(&s->w->trie, &r->prefix, vals, WTRIE_MAXMATCH);
	if (wwatch_covers(s->ww, vals, n, &r->prefix))
		return 0;
	wnode_add_spec(
	    wnode_get(s->w, &r->prefix, true), s->ww, WATCH_MATCH_ORIGIN_AS);
	watch_grow(
	    &s->learned, &s->learnedcap, s->nlearned + 1, sizeof(*s->learned));
	s->learned[s->nlearned++] = r->prefix;
	return 0;
}

static void
wseed_walk(struct wseed *s, const struct prefix *p, enum rib_match m)
{
	size_t i;

	for (i = 0; i < s->w->npeers; i++) {
		if ((s->p = s->w->peers[i]) == NULL || s->p->rib == NULL)
			continue;
		rib_walk(s->p->rib, p->afi, SAFI_UNICAST, m, p, wseed_route, s);
	}
}

/* Fill a new watch from the RIBs: configured states, lines, origin-as. */
static void
wwatch_seed(struct watch *w, struct wwatch *ww, int64_t now)
{
	struct wseed s = { w, ww, NULL, now, NULL, 0, 0 };
	const struct watch_conf_prefix *l;
	struct wpfx *pf;
	size_t i;

	for (i = 0; i < ww->conf.nprefixes; i++) {
		l = &ww->conf.prefixes[i];
		if (l->match == WATCH_MATCH_EXACT) {
			if ((pf = wpfx_find(w, ww, &l->prefix)) == NULL)
				pf = wpfx_new(w, ww, &l->prefix, now);
			pf->configured = true;
			pf->known = true;
		}
		wseed_walk(&s, &l->prefix,
		    l->match == WATCH_MATCH_EXACT ? RIB_MATCH_EXACT
		                                  : RIB_MATCH_OR_LONGER);
	}
	if (ww->conf.norigin_as == 0)
		return;
	for (i = 0; i < w->npeers; i++) {
		if ((s.p = w->peers[i]) == NULL || s.p->rib == NULL)
			continue;
		rib_walk(s.p->rib, AFI_IPV4, SAFI_UNICAST, RIB_MATCH_ALL, NULL,
		    wseed_origin, &s);
		rib_walk(s.p->rib, AFI_IPV6, SAFI_UNICAST, RIB_MATCH_ALL, NULL,
		    wseed_origin, &s);
	}
	for (i = 0; i < s.nlearned; i++)
		wseed_walk(&s, &s.learned[i], RIB_MATCH_EXACT);
	free(s.learned);
}

static struct wwatch *
wwatch_alloc(struct watch_conf *c)
{
	struct wwatch *ww;

	if ((ww = calloc(1, sizeof(*ww))) == NULL)
		watch_fatal(__func__, "out of memory");
	ww->conf = *c; /* takes the arrays */
	ww->baseline_configured = c->nexpect_upstream > 0;
	return ww;
}

/* The old watch called name whose configuration is c, taken out of w. */
static struct wwatch *
watch_take_same(struct watch *w, const struct watch_conf *c)
{
	struct wwatch *ww;
	size_t i;

	for (i = 0; i < w->nwatches; i++) {
		if ((ww = w->watches[i]) == NULL ||
		    strcmp(ww->conf.name, c->name) != 0)
			continue;
		if (!watch_conf_same(&ww->conf, c))
			return NULL;
		w->watches[i] = NULL;
		return ww;
	}
	return NULL;
}

int
watch_reconf(struct watch *w, const struct watch_conf *confs, size_t n,
    int64_t now, const char **err)
{
	struct wwatch **nw;
	struct watch_conf c;
	bool *fresh;
	const char *why;
	size_t i;

	if ((why = watch_conf_check(confs, n)) != NULL) {
		if (err != NULL)
			*err = why;
		return -1;
	}
	if ((nw = calloc(n + 1, sizeof(*nw))) == NULL ||
	    (fresh = calloc(n + 1, sizeof(*fresh))) == NULL)
		watch_fatal(__func__, "out of memory");
	for (i = 0; i < n; i++) {
		watch_conf_norm(&c, &confs[i]);
		if ((nw[i] = watch_take_same(w, &c)) != NULL) {
			watch_conf_free(&c);
			continue;
		}
		nw[i] = wwatch_alloc(&c);
		fresh[i] = true;
	}
	for (i = 0; i < w->nwatches; i++)
		if (w->watches[i] != NULL)
			wwatch_free(w->watches[i]);
	free(w->watches);
	w->watches = nw;
	w->nwatches = n;
	watch_index(w);
	wheap_rebuild(w);
	for (i = 0; i < n; i++)
		if (fresh[i])
			wwatch_seed(w, nw[i], now);
	watch_eligible_all(w);
	for (i = 0; i < n && w->armed_once; i++)
		if (fresh[i])
			wwatch_arm(w, nw[i], now, WE_SILENT, "reconfigured");
	watch_try_arm(w, now);
	free(fresh);
	return 0;
}
