/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Decoded UPDATE -> Adj-RIB-In -> watch -> events; see pipeline.h. Each
 * peer's RIB reports its deltas to pipeline_delta(), which stamps them
 * with the pipeline's clock (the `now` of the latest call) and hands them
 * to the watch engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "wbuf.h"

struct pipeline {
	struct rib_attrtab *tab;
	struct watch *w;
	struct wbuf canon; /* reused for every UPDATE */
	int64_t now; /* the event clock */
};

struct pipeline_peer {
	struct pipeline *pl;
	struct rib *rib;
	struct watch_peer *wp;
	uint32_t fams; /* carried now, bits 1 << enum sess_family */
	rib_delta_cb delta;
	void *delta_arg;
};

/* Tier 3 (STYLE.md): an impossible state or no memory. */
static void __attribute__((noreturn))
pipeline_fatal(const char *fn, const char *what)
{
	fprintf(stderr, "%s: %s\n", fn, what);
	abort();
}

/* AFI and SAFI of an enum sess_family. */
static uint16_t
pipeline_fam_afi(int fam)
{
	return fam == FAM_IPV6_UNICAST || fam == FAM_IPV6_MULTICAST ? AFI_IPV6
	                                                            : AFI_IPV4;
}

static uint8_t
pipeline_fam_safi(int fam)
{
	return fam == FAM_IPV4_MULTICAST || fam == FAM_IPV6_MULTICAST
	    ? SAFI_MULTICAST
	    : SAFI_UNICAST;
}

static void
pipeline_clock(struct pipeline *pl, int64_t now)
{
	if (now > pl->now)
		pl->now = now;
}

struct pipeline *
pipeline_new(const struct watch_params *params, watch_event_cb cb, void *arg)
{
	struct pipeline *pl;

	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		pipeline_fatal(__func__, "out of memory");
	pl->tab = rib_attrtab_new();
	pl->w = watch_new(params, cb, arg);
	wbuf_init_dyn(&pl->canon, 0);
	pl->now = INT64_MIN;
	return pl;
}

void
pipeline_free(struct pipeline *pl)
{
	if (pl == NULL)
		return;
	watch_free(pl->w);
	rib_attrtab_free(pl->tab);
	wbuf_free(&pl->canon);
	free(pl);
}

int
pipeline_reconf(struct pipeline *pl, const struct watch_conf *confs, size_t n,
    int64_t now, const char **err)
{
	pipeline_clock(pl, now);
	return watch_reconf(pl->w, confs, n, pl->now, err);
}

struct watch *
pipeline_watch(struct pipeline *pl)
{
	return pl->w;
}

struct rib_attrtab *
pipeline_attrtab(struct pipeline *pl)
{
	return pl->tab;
}

void
pipeline_tick(struct pipeline *pl, int64_t now)
{
	pipeline_clock(pl, now);
	watch_tick(pl->w, pl->now);
}

int64_t
pipeline_next_deadline(struct pipeline *pl)
{
	return watch_next_deadline(pl->w);
}

/* Every delta of a peer's RIB: the watch first, then the caller's hook. */
static void
pipeline_delta(void *arg, const struct rib_delta *d)
{
	struct pipeline_peer *pp = arg;

	watch_route_delta(pp->pl->w, pp->wp, d, pp->pl->now);
	if (pp->delta != NULL)
		pp->delta(pp->delta_arg, d);
}

struct pipeline_peer *
pipeline_peer_new(struct pipeline *pl, const struct watch_peer_info *info)
{
	struct pipeline_peer *pp;

	if ((pp = calloc(1, sizeof(*pp))) == NULL)
		pipeline_fatal(__func__, "out of memory");
	pp->pl = pl;
	pp->rib = rib_new(pl->tab);
	pp->wp = watch_peer_add(pl->w, info, pp->rib);
	rib_set_delta_cb(pp->rib, pipeline_delta, pp);
	return pp;
}

void
pipeline_peer_free(struct pipeline_peer *pp, int64_t now)
{
	if (pp == NULL)
		return;
	pipeline_clock(pp->pl, now);
	watch_peer_del(pp->pl->w, pp->wp, pp->pl->now);
	rib_free(pp->rib);
	free(pp);
}

void
pipeline_peer_set_delta_cb(struct pipeline_peer *pp, rib_delta_cb cb, void *arg)
{
	pp->delta = cb;
	pp->delta_arg = arg;
}

struct rib *
pipeline_peer_rib(struct pipeline_peer *pp)
{
	return pp->rib;
}

struct watch_peer *
pipeline_peer_watch(struct pipeline_peer *pp)
{
	return pp->wp;
}

const struct watch_peer_info *
pipeline_peer_info(const struct pipeline_peer *pp)
{
	return watch_peer_info(pp->wp);
}

void
pipeline_peer_set_info(
    struct pipeline_peer *pp, const struct watch_peer_info *info)
{
	watch_peer_set_info(pp->wp, info);
}

uint32_t
pipeline_peer_fams(const struct pipeline_peer *pp)
{
	return pp->fams;
}

uint64_t
pipeline_routes(const struct pipeline_peer *pp)
{
	struct rib_stats st;
	uint64_t n = 0;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++)
		if (rib_stats(pp->rib, pipeline_fam_afi(fam),
		        pipeline_fam_safi(fam), &st) == 0)
			n += st.paths;
	return n;
}

void
pipeline_peer_up(struct pipeline_peer *pp, uint32_t fams, int64_t now)
{
	pipeline_clock(pp->pl, now);
	/* RFC 4760 §8: without Multiprotocol capabilities, IPv4 unicast. */
	pp->fams = (fams & PIPELINE_FAMS_ALL) != 0 ? fams & PIPELINE_FAMS_ALL
	                                           : 1u << FAM_IPV4_UNICAST;
	watch_peer_up(pp->pl->w, pp->wp, pp->fams, pp->pl->now);
}

size_t
pipeline_peer_down(struct pipeline_peer *pp, uint32_t stale_fams,
    enum rib_reason reason, int64_t now)
{
	size_t n = 0;
	int fam;

	pipeline_clock(pp->pl, now);
	watch_peer_down(pp->pl->w, pp->wp, pp->pl->now);
	for (fam = 0; fam < FAM_COUNT; fam++) {
		if (stale_fams & (1u << fam))
			(void)rib_mark_stale(pp->rib, pipeline_fam_afi(fam),
			    pipeline_fam_safi(fam));
		else
			n += rib_flush_family(pp->rib, pipeline_fam_afi(fam),
			    pipeline_fam_safi(fam), reason);
	}
	pp->fams = 0;
	return n;
}

/* May pp store a prefix of (afi, safi)? */
static bool
pipeline_carries(const struct pipeline_peer *pp, uint16_t afi, uint8_t safi)
{
	int fam = sess_family(afi, safi);

	return fam >= 0 && (pp->fams & (1u << fam)) != 0;
}

/* RFC 7606 §2 AFI/SAFI disable: the family's routes go, and it stays off. */
static size_t
pipeline_disable(struct pipeline_peer *pp, const struct update *u)
{
	int fam = sess_family(u->disable_afi, u->disable_safi);

	if (fam < 0 || (pp->fams & (1u << fam)) == 0)
		return 0;
	pp->fams &= ~(1u << fam);
	return rib_flush_family(
	    pp->rib, u->disable_afi, u->disable_safi, RIB_R_AFI_SAFI_DISABLE);
}

static void
pipeline_withdrawn(struct pipeline_peer *pp, const struct update *u,
    struct pipeline_result *res)
{
	struct update_iter it;
	struct prefix p;
	uint32_t path_id;
	uint8_t safi;

	update_iter_init(&it, u, UPDATE_WITHDRAWN);
	while (update_iter_next(&it, &p, &path_id, &safi) == 1) {
		if (!pipeline_carries(pp, p.afi, safi)) {
			res->ignored++;
			continue;
		}
		res->withdrawn++;
		if (rib_withdraw(pp->rib, safi, &p, path_id, RIB_R_UPDATE) ==
		    -1)
			pipeline_fatal(__func__, "verified prefix refused");
	}
}

/* The interned set for routes of afi in u, made once per UPDATE. */
static struct rib_attr *
pipeline_intern(struct pipeline *pl, const struct update *u, uint16_t afi,
    struct rib_attr **slot)
{
	if (*slot != NULL)
		return *slot;
	wbuf_reset(&pl->canon);
	if (update_attrs_canon(u, afi, &pl->canon) == -1)
		pipeline_fatal(__func__, "canonical attributes failed");
	*slot = rib_attr_intern(
	    pl->tab, wbuf_data(&pl->canon), wbuf_len(&pl->canon));
	return *slot;
}

/* RFC 7606 §2: an announced prefix treated as withdrawn, and told so. */
static void
pipeline_taw(struct pipeline_peer *pp, const struct update *u, const char *why,
    uint8_t safi, const struct prefix *p, uint32_t path_id)
{
	const uint8_t *attr = NULL;
	size_t len = 0;

	if (u->treat_as_withdraw) {
		attr = u->verdict.data;
		len = u->verdict.datalen;
		why = u->verdict.reason;
	}
	watch_treat_as_withdraw(
	    pp->pl->w, pp->wp, safi, p, path_id, attr, len, why, pp->pl->now);
	if (rib_withdraw(pp->rib, safi, p, path_id, RIB_R_TREAT_AS_WITHDRAW) ==
	    -1)
		pipeline_fatal(__func__, "verified prefix refused");
}

static void
pipeline_announced(struct pipeline_peer *pp, const struct update *u,
    const char *taw_why, struct pipeline_result *res)
{
	struct rib_attr *attr[2] = { NULL, NULL }; /* IPv4, IPv6 */
	struct update_iter it;
	struct prefix p;
	uint32_t path_id;
	uint8_t safi;
	bool taw = u->treat_as_withdraw || taw_why != NULL;

	update_iter_init(&it, u, UPDATE_ANNOUNCED);
	while (update_iter_next(&it, &p, &path_id, &safi) == 1) {
		if (!pipeline_carries(pp, p.afi, safi)) {
			res->ignored++;
			continue;
		}
		if (taw) {
			res->withdrawn++;
			pipeline_taw(pp, u, taw_why, safi, &p, path_id);
			continue;
		}
		res->announced++;
		if (rib_update(pp->rib, safi, &p, path_id,
		        pipeline_intern(
		            pp->pl, u, p.afi, &attr[p.afi == AFI_IPV6])) == -1)
			pipeline_fatal(__func__, "verified prefix refused");
		res->last_fam = sess_family(p.afi, safi);
	}
	if (attr[0] != NULL)
		rib_attr_unref(pp->pl->tab, attr[0]);
	if (attr[1] != NULL)
		rib_attr_unref(pp->pl->tab, attr[1]);
}

int
pipeline_update(struct pipeline_peer *pp, const struct update *u,
    const char *taw_why, int64_t now, struct pipeline_result *res)
{
	struct pipeline_result dummy;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	res->last_fam = -1;
	if (u->verdict.action == VERDICT_SESSION_RESET)
		return -1;
	pipeline_clock(pp->pl, now);
	if (u->eor) {
		(void)pipeline_eor(pp, u->eor_afi, u->eor_safi, now);
		return 0;
	}
	if (u->verdict.action == VERDICT_AFI_SAFI_DISABLE)
		res->disabled = pipeline_disable(pp, u);
	pipeline_withdrawn(pp, u, res);
	pipeline_announced(pp, u, taw_why, res);
	return 0;
}

int
pipeline_route(struct pipeline_peer *pp, uint8_t safi, const struct prefix *p,
    uint32_t path_id, const uint8_t *canon, size_t len, int64_t now)
{
	struct rib_attr *a;
	int r;

	if (!pipeline_carries(pp, p->afi, safi))
		return -1;
	pipeline_clock(pp->pl, now);
	a = rib_attr_intern(pp->pl->tab, canon, len);
	r = rib_update(pp->rib, safi, p, path_id, a);
	rib_attr_unref(pp->pl->tab, a);
	return r;
}

size_t
pipeline_eor(struct pipeline_peer *pp, uint16_t afi, uint8_t safi, int64_t now)
{
	size_t n;

	pipeline_clock(pp->pl, now);
	n = rib_flush_stale(pp->rib, afi, safi);
	watch_peer_synced(pp->pl->w, pp->wp, afi, safi, pp->pl->now);
	return n;
}

size_t
pipeline_mark_stale(struct pipeline_peer *pp, uint32_t fams)
{
	size_t n = 0;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++)
		if (fams & pp->fams & (1u << fam))
			n += rib_mark_stale(pp->rib, pipeline_fam_afi(fam),
			    pipeline_fam_safi(fam));
	return n;
}

size_t
pipeline_flush_stale(
    struct pipeline_peer *pp, uint16_t afi, uint8_t safi, int64_t now)
{
	pipeline_clock(pp->pl, now);
	return rib_flush_stale(pp->rib, afi, safi);
}
