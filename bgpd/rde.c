/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Decoded UPDATE -> Adj-RIB-In; see rde.h. The attribute set of an UPDATE
 * is made canonical and interned once per address family, then every
 * announced prefix points at it. `log updates` logs each UPDATE; every
 * RIB change comes back through rde_delta_cb() (logged with -v) and goes
 * on to the watch engine (lib/watch), whose events become lines through
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

static struct rib_attrtab *rde_tab;
static struct wbuf rde_canon; /* reused for every UPDATE */
static uint8_t rde_maxpfx_data[7];
static struct watch *rde_w;
static struct event *rde_wtimer;
static int64_t rde_warmed = -1; /* deadline the timer is set for */

static void rde_watch_arm(void);

/* Run the engine's timers due now; returns the event clock. */
static int64_t
rde_watch_tick(void)
{
	int64_t now = emit_now();

	watch_tick(rde_w, now);
	return now;
}

static void
rde_watch_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	rde_warmed = -1;
	rde_watch_tick();
	rde_watch_arm();
}

/* Keep the one timer at watch_next_deadline(). */
static void
rde_watch_arm(void)
{
	int64_t when = watch_next_deadline(rde_w), wait;
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

void
rde_init(struct event_base *base)
{
	rde_tab = rib_attrtab_new();
	wbuf_init_dyn(&rde_canon, 0);
	rde_w = watch_new(NULL, emit_watch, NULL);
	if ((rde_wtimer = evtimer_new(base, rde_watch_timer_cb, NULL)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
}

void
rde_shutdown(void)
{
	watch_free(rde_w);
	rde_w = NULL;
	if (rde_wtimer != NULL)
		event_free(rde_wtimer);
	rde_wtimer = NULL;
	rib_attrtab_free(rde_tab);
	rde_tab = NULL;
	wbuf_free(&rde_canon);
}

struct watch *
rde_watch(void)
{
	return rde_w;
}

int
rde_watch_conf(const struct watch_conf *confs, size_t n, const char **err)
{
	int rv = watch_reconf(rde_w, confs, n, rde_watch_tick(), err);

	rde_watch_arm();
	return rv;
}

struct rib_attrtab *
rde_attrtab(void)
{
	return rde_tab;
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

	if (p->wpeer != NULL)
		watch_route_delta(rde_w, p->wpeer, d, emit_now());
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
		memcpy(wi->addr,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else {
		wi->afi = AFI_IPV4;
		memcpy(wi->addr, &((const struct sockaddr_in *)sa)->sin_addr,
		    4);
	}
	wi->as = p->remote_as != 0 ? p->remote_as : p->conf->remote_as;
	wi->bgp_id = p->remote_id;
	snprintf(wi->descr, sizeof(wi->descr), "%s", p->conf->descr);
}

void
rde_peer_init(struct peer *p)
{
	struct watch_peer_info wi;

	p->rib = rib_new(rde_tab);
	rib_set_delta_cb(p->rib, rde_delta_cb, p);
	rde_peer_info(p, &wi);
	p->wpeer = watch_peer_add(rde_w, &wi, p->rib);
}

void
rde_peer_free(struct peer *p)
{
	/* Routes leave the watches silently: the peer is gone. */
	watch_peer_del(rde_w, p->wpeer, rde_watch_tick());
	p->wpeer = NULL;
	rib_free(p->rib);
	p->rib = NULL;
	rde_watch_arm();
}

void
rde_peer_reconf(struct peer *p)
{
	struct watch_peer_info wi;

	rde_peer_info(p, &wi);
	watch_peer_set_info(p->wpeer, &wi);
}

uint64_t
rde_paths(const struct peer *p)
{
	struct rib_stats st;
	uint64_t n = 0;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++)
		if (rib_stats(
		        p->rib, rde_fam_afi(fam), rde_fam_safi(fam), &st) == 0)
			n += st.paths;
	return n;
}

size_t
rde_flush(struct peer *p, enum rib_reason reason)
{
	size_t n;

	/* lib/watch: the routes become ghosts before they go. */
	watch_peer_down(rde_w, p->wpeer, rde_watch_tick());
	n = rib_flush(p->rib, reason);
	rde_watch_arm();

	p->stale = 0;
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
	size_t n = 0;
	int fam;

	mask &= p->stale;
	if (mask == 0)
		return 0;
	for (fam = 0; fam < FAM_COUNT; fam++)
		if (mask & (1u << fam))
			n += rib_flush_stale(
			    p->rib, rde_fam_afi(fam), rde_fam_safi(fam));
	p->stale &= ~mask;
	log_info(
	    "neighbor %s: %zu stale routes withdrawn: %s", p->name, n, why);
	return n;
}

/* Is fam in the peer's Graceful Restart capability (with F bit)? */
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

void
rde_session_down(struct peer *p, bool graceful, enum rib_reason reason)
{
	size_t n = 0;
	int fam;

	if (!graceful) {
		rde_flush(p, reason);
		return;
	}
	watch_peer_down(rde_w, p->wpeer, rde_watch_tick());
	/* RFC 4724 §4.2: keep the families the peer listed, as stale. */
	for (fam = 0; fam < FAM_COUNT; fam++) {
		if (rde_gr_listed(&p->open, fam, false)) {
			n += rib_mark_stale(
			    p->rib, rde_fam_afi(fam), rde_fam_safi(fam));
			p->stale |= 1u << fam;
		} else {
			rib_flush_family(p->rib, rde_fam_afi(fam),
			    rde_fam_safi(fam), reason);
			p->stale &= ~(1u << fam);
		}
	}
	log_info("neighbor %s: graceful restart: %zu routes marked stale",
	    p->name, n);
	rde_watch_arm();
}

void
rde_session_up(struct peer *p)
{
	struct watch_peer_info wi;
	int64_t now = rde_watch_tick();
	int fam;

	rde_peer_info(p, &wi);
	watch_peer_set_info(p->wpeer, &wi);
	watch_peer_up(rde_w, p->wpeer, p->nego.families, now);
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
	rde_watch_arm();
}

/*
 * A family we may store for p: negotiated and not disabled. Others are
 * counted and (rate-limited) logged.
 */
static bool
rde_family_ok(struct peer *p, uint16_t afi, uint8_t safi)
{
	int fam = sess_family(afi, safi);

	if (fam >= 0 && (p->nego.families & (1u << fam)) != 0 &&
	    (p->nego.disabled & (1u << fam)) == 0)
		return true;
	p->stats.ignored_family++;
	log_rate_warnx(&p->rl_update,
	    "neighbor %s: prefix of %s %s ignored: family not negotiated or "
	    "disabled",
	    p->name, afi_name(afi) != NULL ? afi_name(afi) : "?",
	    safi_name(safi) != NULL ? safi_name(safi) : "?");
	return false;
}

/* RFC 7606 soft errors: count, log (rate-limited), disable a family. */
static void
rde_verdict(struct peer *p, const struct update *u)
{
	const struct verdict *v = &u->verdict;
	char hex[256];
	size_t n;
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
	p->nego.disabled |= 1u << fam;
	p->stale &= ~(1u << fam);
	n = rib_flush_family(
	    p->rib, u->disable_afi, u->disable_safi, RIB_R_AFI_SAFI_DISABLE);
	log_warnx("neighbor %s: %s disabled for this session (RFC 7606 §2): "
	          "%s; attribute %s; %zu routes withdrawn",
	    p->name, session_family_name(fam), v->reason,
	    hex[0] != '\0' ? hex : "-", n);
}

static void
rde_withdrawn(struct peer *p, const struct update *u)
{
	struct update_iter it;
	struct prefix pfx;
	uint32_t path_id;
	uint8_t safi;

	update_iter_init(&it, u, UPDATE_WITHDRAWN);
	while (update_iter_next(&it, &pfx, &path_id, &safi) == 1) {
		if (!rde_family_ok(p, pfx.afi, safi))
			continue;
		p->stats.prefixes_withdrawn++;
		if (rib_withdraw(p->rib, safi, &pfx, path_id, RIB_R_UPDATE) ==
		    -1)
			fatalx("%s: verified prefix refused", __func__);
	}
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

/* The interned set for routes of afi in u, made once per UPDATE. */
static struct rib_attr *
rde_intern(const struct update *u, uint16_t afi, struct rib_attr **slot)
{
	if (*slot != NULL)
		return *slot;
	wbuf_reset(&rde_canon);
	if (update_attrs_canon(u, afi, &rde_canon) == -1)
		fatalx("%s: canonical attributes failed", __func__);
	*slot = rib_attr_intern(
	    rde_tab, wbuf_data(&rde_canon), wbuf_len(&rde_canon));
	return *slot;
}

/* Store the announced prefixes; returns the family of the last one. */
static int
rde_announced(struct peer *p, const struct update *u)
{
	struct rib_attr *attr[2] = { NULL, NULL }; /* IPv4, IPv6 */
	struct update_iter it;
	struct prefix pfx;
	uint32_t path_id;
	uint8_t safi;
	bool withdraw = u->treat_as_withdraw;
	int last = -1;

	if (!withdraw && !rde_first_as_ok(p, u)) {
		p->stats.treat_as_withdraw++;
		log_rate_warnx(&p->rl_update,
		    "neighbor %s: UPDATE treat-as-withdraw: first AS of the "
		    "path is not the peer's (enforce first-as, RFC 4271 §6.3)",
		    p->name);
		withdraw = true;
	}
	update_iter_init(&it, u, UPDATE_ANNOUNCED);
	while (update_iter_next(&it, &pfx, &path_id, &safi) == 1) {
		if (!rde_family_ok(p, pfx.afi, safi))
			continue;
		p->stats.prefixes_announced++;
		if (withdraw) {
			if (rib_withdraw(p->rib, safi, &pfx, path_id,
			        RIB_R_TREAT_AS_WITHDRAW) == -1)
				fatalx("%s: verified prefix refused", __func__);
			continue;
		}
		if (rib_update(p->rib, safi, &pfx, path_id,
		        rde_intern(u, pfx.afi, &attr[pfx.afi == AFI_IPV6])) ==
		    -1)
			fatalx("%s: verified prefix refused", __func__);
		last = sess_family(pfx.afi, safi);
	}
	if (attr[0] != NULL)
		rib_attr_unref(rde_tab, attr[0]);
	if (attr[1] != NULL)
		rib_attr_unref(rde_tab, attr[1]);
	return last;
}

/* End-of-RIB (RFC 4724 §2): the family is synced; stale routes go. */
static void
rde_eor(struct peer *p, uint16_t afi, uint8_t safi)
{
	struct rib_stats st;
	int fam = sess_family(afi, safi);

	if (fam < 0 || (p->nego.families & (1u << fam)) == 0) {
		log_debug("neighbor %s: End-of-RIB for AFI %u SAFI %u ignored",
		    p->name, afi, safi);
		return;
	}
	p->nego.eor |= 1u << fam;
	rde_flush_stale(p, 1u << fam, "End-of-RIB (RFC 4724 §4.2)");
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

int
rde_update(struct peer *p, const uint8_t *body, size_t len, struct verdict *v)
{
	struct update u;
	int fam;

	if (update_parse(body, len, &p->nego.sess, &u, NULL) == -1) {
		*v = u.verdict;
		return -1;
	}
	rde_verdict(p, &u);
	if (session_conf()->log_updates)
		rde_log_update(p, &u);
	if (u.eor) {
		rde_eor(p, u.eor_afi, u.eor_safi);
		return 0;
	}
	rde_withdrawn(p, &u);
	fam = rde_announced(p, &u);
	return rde_max_prefix(p, fam, v);
}
