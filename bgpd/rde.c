/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Decoded UPDATE -> Adj-RIB-In -> watches, through bgpd/pipeline (the
 * glue `bgpwatchctl replay` shares); see rde.h. `log updates` logs each
 * UPDATE; every RIB change is logged with -v by rde_delta_cb() after the
 * watch engine saw it, and the engine's events become lines through
 * bgpd/emit. One libevent timer drives the engine's hold-downs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "aspath.h"
#include "attr.h"
#include "conf.h"
#include "emit.h"
#include "log.h"
#include "pipeline.h"
#include "prefix.h"
#include "rde.h"
#include "session.h"
#include "update.h"
#include "watch.h"
#include "wbuf.h"

/* RFC 4724 §3: Forwarding State bit of an AFI/SAFI in the GR capability. */
#define RDE_GR_F_BIT 0x80
/* `log updates` lists prefixes up to about this many characters. */
#define RDE_LOG_ROOM 600

static struct pipeline *rde_pl;
static uint8_t rde_maxpfx_data[7];
static struct event *rde_wtimer;
static int64_t rde_warmed = -1; /* deadline the timer is set for */

/* Run the engine's timers due now; returns the event clock. */
static int64_t
rde_tick(void)
{
	int64_t now = emit_now();

	pipeline_tick(rde_pl, now);
	return now;
}

/* Keep the one timer at the engine's next deadline. */
static void
rde_arm(void)
{
	int64_t when = pipeline_next_deadline(rde_pl), wait;
	struct timeval tv;

	if (when == rde_warmed)
		return;
	rde_warmed = when;
	if (when < 0) {
		evtimer_del(rde_wtimer);
		return;
	}
	wait = when - emit_now();
	if (wait < 0)
		wait = 0;
	tv.tv_sec = (time_t)(wait / 1000);
	tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	if (evtimer_add(rde_wtimer, &tv) == -1)
		fatalx("%s: evtimer_add failed", __func__);
}

static void
rde_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	rde_warmed = -1;
	rde_tick();
	rde_arm();
}

void
rde_init(struct event_base *base)
{
	rde_pl = pipeline_new(NULL, emit_watch, NULL);
	if ((rde_wtimer = evtimer_new(base, rde_timer_cb, NULL)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
}

void
rde_shutdown(void)
{
	pipeline_free(rde_pl);
	rde_pl = NULL;
	if (rde_wtimer != NULL)
		event_free(rde_wtimer);
	rde_wtimer = NULL;
}

struct rib_attrtab *
rde_attrtab(void)
{
	return pipeline_attrtab(rde_pl);
}

struct watch *
rde_watch(void)
{
	return pipeline_watch(rde_pl);
}

int
rde_watch_conf(const struct watch_conf *confs, size_t n, const char **err)
{
	int rv = pipeline_reconf(rde_pl, confs, n, rde_tick(), err);

	rde_arm();
	return rv;
}

uint16_t
rde_fam_afi(int fam)
{
	return fam == FAM_IPV6_UNICAST || fam == FAM_IPV6_MULTICAST ? AFI_IPV6
	                                                            : AFI_IPV4;
}

uint8_t
rde_fam_safi(int fam)
{
	return fam == FAM_IPV4_MULTICAST || fam == FAM_IPV6_MULTICAST
	    ? SAFI_MULTICAST
	    : SAFI_UNICAST;
}

/* With -v: one line per route change, whatever caused it. */
static void
rde_delta_cb(void *arg, const struct rib_delta *d)
{
	const struct peer *p = arg;
	char pfx[PREFIX_STRLEN];
	const char *kind = d->kind == RIB_ANNOUNCED ? "announced"
	    : d->kind == RIB_REPLACED               ? "replaced"
	                                            : "withdrawn";

	if (log_getverbose() == 0)
		return;
	log_debug("neighbor %s: route %s %s path-id %" PRIu32 " (%s)", p->name,
	    kind, prefix_fmt(d->prefix, pfx, sizeof(pfx)), d->path_id,
	    rib_reason_name(d->reason));
}

/* Prefixes of one part of u, cut after RDE_LOG_ROOM characters. */
static void
rde_log_part(struct wbuf *w, const struct update *u, enum update_part part,
    const char *what)
{
	struct update_iter it;
	struct prefix pfx;
	char buf[PREFIX_STRLEN];
	uint32_t path_id;
	uint8_t safi;
	size_t n = 0, shown = 0;

	update_iter_init(&it, u, part);
	while (update_iter_next(&it, &pfx, &path_id, &safi) == 1) {
		if (n++ == 0)
			wbuf_printf(w, " %s", what);
		if (wbuf_len(w) >= RDE_LOG_ROOM)
			continue;
		wbuf_printf(w, " %s", prefix_fmt(&pfx, buf, sizeof(buf)));
		if (it.addpath)
			wbuf_printf(w, "#%" PRIu32, path_id);
		shown++;
	}
	if (n > shown)
		wbuf_printf(w, " (+%zu more)", n - shown);
	if (n > 0)
		wbuf_printf(w, ";");
}

/* Origin, upstream and next hop of the first announced family. */
static void
rde_log_path(struct wbuf *w, const struct update *u)
{
	struct update_iter it;
	struct attr_summary sum;
	struct prefix pfx;
	struct wbuf c;
	uint32_t path_id;
	uint8_t safi;
	char nh[ADDR_STRLEN] = "-";

	update_iter_init(&it, u, UPDATE_ANNOUNCED);
	if (update_iter_next(&it, &pfx, &path_id, &safi) != 1)
		return;
	wbuf_init_dyn(&c, 0);
	if (update_attrs_canon(u, pfx.afi, &c) == 0 &&
	    attr_canon_summary(wbuf_data(&c), wbuf_len(&c), &sum) == 0) {
		if (sum.nh_afi != 0)
			addr_fmt(sum.nh_afi, sum.nh, nh, sizeof(nh));
		wbuf_printf(w, " path-length %" PRIu32, sum.path_len);
		if (sum.has_origin_as)
			wbuf_printf(w, " origin-as %" PRIu32, sum.origin_as);
		if (sum.has_upstream_as)
			wbuf_printf(
			    w, " upstream-as %" PRIu32, sum.upstream_as);
		wbuf_printf(w, " next-hop %s;", nh);
	}
	wbuf_free(&c);
}

/* `log updates`: one line per UPDATE message. */
static void
rde_log_update(const struct peer *p, const struct update *u)
{
	char line[RDE_LOG_ROOM + 200];
	struct wbuf w;
	int fam;

	if (u->eor) {
		fam = sess_family(u->eor_afi, u->eor_safi);
		log_info("neighbor %s: UPDATE End-of-RIB %s", p->name,
		    session_family_name(fam));
		return;
	}
	wbuf_init_fixed(&w, line, sizeof(line) - 1);
	rde_log_part(&w, u, UPDATE_WITHDRAWN, "withdrawn");
	rde_log_part(&w, u, UPDATE_ANNOUNCED, "announced");
	rde_log_path(&w, u);
	if (u->verdict.action != VERDICT_OK)
		wbuf_printf(
		    &w, " verdict %s;", verdict_action_name(u->verdict.action));
	line[wbuf_len(&w)] = '\0';
	log_info("neighbor %s: UPDATE%s", p->name,
	    wbuf_len(&w) > 0 ? line : " (nothing)");
}

/* The neighbor as watch events show it. */
static void
rde_peer_info(const struct peer *p, struct watch_peer_info *wi)
{
	const struct sockaddr *sa = (const struct sockaddr *)&p->conf->addr;

	memset(wi, 0, sizeof(*wi));
	if (sa->sa_family == AF_INET6) {
		wi->afi = AFI_IPV6;
		memcpy(wi->addr, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		    16);
	} else {
		wi->afi = AFI_IPV4;
		memcpy(
		    wi->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	}
	wi->as = p->remote_as != 0 ? p->remote_as : p->conf->remote_as;
	wi->bgp_id = p->remote_id;
	snprintf(wi->descr, sizeof(wi->descr), "%s", p->conf->descr);
}

void
rde_peer_init(struct peer *p)
{
	struct watch_peer_info wi;

	rde_peer_info(p, &wi);
	p->pp = pipeline_peer_new(rde_pl, &wi);
	p->rib = pipeline_peer_rib(p->pp);
	pipeline_peer_set_delta_cb(p->pp, rde_delta_cb, p);
}

void
rde_peer_free(struct peer *p)
{
	/* Routes leave the watches silently: the peer is gone. */
	pipeline_peer_free(p->pp, rde_tick());
	p->pp = NULL;
	p->rib = NULL;
	rde_arm();
}

void
rde_peer_reconf(struct peer *p)
{
	struct watch_peer_info wi;

	rde_peer_info(p, &wi);
	pipeline_peer_set_info(p->pp, &wi);
}

uint64_t
rde_paths(const struct peer *p)
{
	return pipeline_routes(p->pp);
}

size_t
rde_flush(struct peer *p, enum rib_reason reason)
{
	/* lib/watch: the routes become ghosts before they go. */
	size_t n = pipeline_peer_down(p->pp, 0, reason, rde_tick());

	p->stale = 0;
	rde_arm();
	if (n > 0)
		log_info("neighbor %s: %zu routes withdrawn (%s)", p->name, n,
		    rib_reason_name(reason));
	return n;
}

void
rde_mark_stale(struct peer *p, uint32_t mask)
{
	size_t n = 0;
	int fam;

	/* RFC 7313 §4: no deltas; the EoRR flushes what was not resent. */
	for (fam = 0; fam < FAM_COUNT; fam++) {
		if ((mask & (1u << fam)) == 0)
			continue;
		n +=
		    rib_mark_stale(p->rib, rde_fam_afi(fam), rde_fam_safi(fam));
		p->stale |= 1u << fam;
	}
	log_info("neighbor %s: %zu routes marked stale", p->name, n);
}

size_t
rde_flush_stale(struct peer *p, uint32_t mask, const char *why)
{
	int64_t now = rde_tick();
	size_t n = 0;
	int fam;

	mask &= p->stale;
	if (mask == 0)
		return 0;
	for (fam = 0; fam < FAM_COUNT; fam++)
		if (mask & (1u << fam))
			n += pipeline_flush_stale(
			    p->pp, rde_fam_afi(fam), rde_fam_safi(fam), now);
	p->stale &= ~mask;
	rde_arm();
	log_info(
	    "neighbor %s: %zu stale routes withdrawn: %s", p->name, n, why);
	return n;
}

static bool
rde_gr_listed(const struct open_msg *o, int fam, bool need_f)
{
	size_t i;

	for (i = 0; i < o->n_gr; i++)
		if (sess_family(o->gr[i].afi, o->gr[i].safi) == fam &&
		    (!need_f || (o->gr[i].flags & RDE_GR_F_BIT) != 0))
			return true;
	return false;
}

/* RFC 4724 §4.2: the families kept as stale, those the peer listed. */
static uint32_t
rde_gr_keep(const struct peer *p)
{
	uint32_t keep = 0;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++)
		if (rde_gr_listed(&p->open, fam, false))
			keep |= 1u << fam;
	return keep;
}

uint64_t
rde_session_kept(const struct peer *p, bool graceful)
{
	struct rib_stats st;
	uint32_t keep = graceful ? rde_gr_keep(p) : 0;
	uint64_t n = 0;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++)
		if ((keep & 1u << fam) != 0 &&
		    rib_stats(
		        p->rib, rde_fam_afi(fam), rde_fam_safi(fam), &st) == 0)
			n += st.paths;
	return n;
}

void
rde_session_down(struct peer *p, bool graceful, enum rib_reason reason)
{
	uint32_t keep;

	if (!graceful) {
		rde_flush(p, reason);
		return;
	}
	keep = rde_gr_keep(p);
	pipeline_peer_down(p->pp, keep, reason, rde_tick());
	p->stale = keep;
	rde_arm();
	log_info("neighbor %s: graceful restart: %" PRIu64
	         " routes marked stale",
	    p->name, rde_paths(p));
}

void
rde_session_up(struct peer *p)
{
	struct watch_peer_info wi;
	int fam;

	rde_peer_info(p, &wi);
	pipeline_peer_set_info(p->pp, &wi);
	/* The initial transfer starts: no alerts until End-of-RIB. */
	pipeline_peer_up(p->pp, p->nego.families, rde_tick());
	for (fam = 0; fam < FAM_COUNT; fam++) {
		if ((p->stale & (1u << fam)) == 0)
			continue;
		/* RFC 4724 §4.2: not preserved, so not to be waited for. */
		if (!p->nego.graceful ||
		    (p->nego.families & (1u << fam)) == 0 ||
		    !rde_gr_listed(&p->open, fam, true))
			rde_flush_stale(p, 1u << fam,
			    "the new session does not preserve the family "
			    "(RFC 4724 §4.2)");
	}
	rde_arm();
}

/* RFC 7606 soft errors: count and log (rate-limited). */
static void
rde_verdict(struct peer *p, const struct update *u)
{
	const struct verdict *v = &u->verdict;
	char hex[256];
	int fam;

	if (v->action == VERDICT_OK)
		return;
	log_hex(v->data, v->datalen, hex, sizeof(hex));
	if (v->action == VERDICT_ATTR_DISCARD)
		p->stats.attr_discard++;
	else if (v->action == VERDICT_TREAT_AS_WITHDRAW)
		p->stats.treat_as_withdraw++;
	if (v->action != VERDICT_AFI_SAFI_DISABLE) {
		log_rate_warnx(&p->rl_update,
		    "neighbor %s: UPDATE %s (RFC 7606 §2): %s; attribute %s",
		    p->name, verdict_action_name(v->action), v->reason,
		    hex[0] != '\0' ? hex : "-");
		return;
	}
	p->stats.afi_safi_disable++;
	fam = sess_family(u->disable_afi, u->disable_safi);
	if (fam < 0 || (p->nego.disabled & (1u << fam)) != 0)
		return;
	/* pipeline_update() flushes the family. */
	p->nego.disabled |= 1u << fam;
	p->stale &= ~(1u << fam);
	log_warnx("neighbor %s: %s disabled for this session (RFC 7606 §2): "
	          "%s; attribute %s",
	    p->name, session_family_name(fam), v->reason,
	    hex[0] != '\0' ? hex : "-");
}

/*
 * RFC 4271 §6.3 (`enforce first-as`): on an eBGP session the leftmost AS
 * of the path must be the peer's. False when it is not.
 */
static bool
rde_first_as_ok(const struct peer *p, const struct update *u)
{
	struct aspath_iter it;
	struct aspath_seg seg;

	if (!p->conf->enforce_first_as ||
	    p->remote_as == session_conf()->local_as)
		return true;
	aspath_iter_init(&it, &u->attrs.path);
	if (aspath_iter_next(&it, &seg) != 1 || seg.type != AS_SEQUENCE ||
	    seg.count == 0)
		return false;
	return aspath_seg_asn(&seg, 0) == p->remote_as;
}

/* End-of-RIB (RFC 4724 §2): the family is synced; stale routes go. */
static void
rde_eor(struct peer *p, uint16_t afi, uint8_t safi, int64_t now)
{
	struct rib_stats st;
	size_t n;
	int fam = sess_family(afi, safi);

	if (fam < 0 || (p->nego.families & (1u << fam)) == 0) {
		log_debug("neighbor %s: End-of-RIB for AFI %u SAFI %u ignored",
		    p->name, afi, safi);
		return;
	}
	p->nego.eor |= 1u << fam;
	/* Stale routes go first, then lib/watch emits rib-synced. */
	n = pipeline_eor(p->pp, afi, safi, now);
	if ((p->stale & (1u << fam)) != 0)
		log_info("neighbor %s: %zu stale routes withdrawn: End-of-RIB "
		         "(RFC 4724 §4.2)",
		    p->name, n);
	p->stale &= ~(1u << fam);
	if (rib_stats(p->rib, afi, safi, &st) == -1)
		memset(&st, 0, sizeof(st));
	log_info("neighbor %s: End-of-RIB for %s: %" PRIu64 " paths, %" PRIu64
	         " prefixes",
	    p->name, session_family_name(fam), st.paths, st.prefixes);
}

/*
 * RFC 4486 §4: over the limit, Cease 1 with AFI, SAFI and the limit as
 * data, unless only warning (logged once until back under the limit).
 */
static int
rde_max_prefix(struct peer *p, int fam, struct verdict *v)
{
	const struct conf_neighbor *n = p->conf;
	uint64_t paths;
	uint16_t afi;
	uint8_t safi;

	if (!n->has_max_prefix)
		return 0;
	if ((paths = rde_paths(p)) <= n->max_prefix) {
		p->prefix_warned = false;
		return 0;
	}
	if (n->max_prefix_warn_only) {
		if (!p->prefix_warned)
			log_warnx("neighbor %s: %" PRIu64 " paths exceed "
			          "max-prefix %" PRIu32 " (warning only)",
			    p->name, paths, n->max_prefix);
		p->prefix_warned = true;
		return 0;
	}
	afi = rde_fam_afi(fam >= 0 ? fam : FAM_IPV4_UNICAST);
	safi = rde_fam_safi(fam >= 0 ? fam : FAM_IPV4_UNICAST);
	rde_maxpfx_data[0] = (uint8_t)(afi >> 8);
	rde_maxpfx_data[1] = (uint8_t)afi;
	rde_maxpfx_data[2] = safi;
	rde_maxpfx_data[3] = (uint8_t)(n->max_prefix >> 24);
	rde_maxpfx_data[4] = (uint8_t)(n->max_prefix >> 16);
	rde_maxpfx_data[5] = (uint8_t)(n->max_prefix >> 8);
	rde_maxpfx_data[6] = (uint8_t)n->max_prefix;
	verdict_clear(v);
	verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_CEASE,
	    BGP_CEASE_MAX_PREFIX, rde_maxpfx_data, sizeof(rde_maxpfx_data),
	    "max-prefix %" PRIu32 " exceeded (%" PRIu64 " paths)",
	    n->max_prefix, paths);
	return -1;
}

/* The routes of u into the pipeline; returns the last family stored. */
static int
rde_apply(struct peer *p, const struct update *u, int64_t now)
{
	struct pipeline_result res;
	const char *taw_why = NULL;

	if (!u->treat_as_withdraw && !rde_first_as_ok(p, u)) {
		p->stats.treat_as_withdraw++;
		taw_why = "first AS of the path is not the peer's (enforce "
		          "first-as, RFC 4271 §6.3)";
		log_rate_warnx(&p->rl_update,
		    "neighbor %s: UPDATE treat-as-withdraw: %s", p->name,
		    taw_why);
	}
	if (pipeline_update(p->pp, u, taw_why, now, &res) == -1)
		fatalx("%s: session-reset verdict applied", __func__);
	/* Treat-as-withdraw prefixes count as withdrawn (RFC 7606 §2). */
	p->stats.prefixes_withdrawn += res.withdrawn;
	p->stats.prefixes_announced += res.announced;
	if (res.ignored > 0) {
		p->stats.ignored_family += res.ignored;
		log_rate_warnx(&p->rl_update,
		    "neighbor %s: %" PRIu32 " prefixes ignored: family not "
		    "negotiated or disabled",
		    p->name, res.ignored);
	}
	if (res.disabled > 0)
		log_warnx("neighbor %s: %zu routes withdrawn (AFI/SAFI "
		          "disable)",
		    p->name, res.disabled);
	return res.last_fam;
}

int
rde_update(struct peer *p, const uint8_t *body, size_t len, struct verdict *v)
{
	struct update u;
	int64_t now;
	int fam, rv = 0;

	if (update_parse(body, len, &p->nego.sess, &u, NULL) == -1) {
		*v = u.verdict;
		return -1;
	}
	/* Timers due before this message fire first (watch.h). */
	now = rde_tick();
	rde_verdict(p, &u);
	if (session_conf()->log_updates)
		rde_log_update(p, &u);
	if (u.eor)
		rde_eor(p, u.eor_afi, u.eor_safi, now);
	else {
		fam = rde_apply(p, &u, now);
		rv = rde_max_prefix(p, fam, v);
	}
	rde_arm();
	return rv;
}
