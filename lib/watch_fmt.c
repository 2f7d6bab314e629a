/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Watch events as text: the bgpwatch.* JSON body of an event, the peer
 * object, the one-line human message, and the names of actions, kinds,
 * severities and match kinds. See watch.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "watch_int.h"

const char *
watch_action_name(enum watch_action a)
{
	static const char *const names[] = {
		[WATCH_ROUTE_ANNOUNCED] = "route-announced",
		[WATCH_ROUTE_REPLACED] = "route-replaced",
		[WATCH_ROUTE_WITHDRAWN] = "route-withdrawn",
		[WATCH_ROUTE_TREAT_AS_WITHDRAW] = "route-treat-as-withdraw",
		[WATCH_ORIGIN_CHANGED] = "origin-changed",
		[WATCH_UPSTREAM_ADDED] = "upstream-added",
		[WATCH_UPSTREAM_REMOVED] = "upstream-removed",
		[WATCH_EXPECTED_UPSTREAM_MISSING] = "expected-upstream-missing",
		[WATCH_MORE_SPECIFIC_SEEN] = "more-specific-seen",
		[WATCH_VISIBILITY_LOST] = "visibility-lost",
		[WATCH_VISIBILITY_RESTORED] = "visibility-restored",
		[WATCH_BASELINE_LEARNED] = "baseline-learned",
		[WATCH_RIB_SYNCED] = "rib-synced",
	};

	if ((size_t)a >= sizeof(names) / sizeof(names[0]) || names[a] == NULL)
		return "unknown";
	return names[a];
}

const char *
watch_kind_name(enum watch_kind k)
{
	switch (k) {
	case WATCH_KIND_EVENT:
		return "event";
	case WATCH_KIND_ALERT:
		return "alert";
	case WATCH_KIND_STATE:
		return "state";
	}
	return "unknown";
}

const char *
watch_severity_name(enum watch_severity s)
{
	switch (s) {
	case WATCH_SEV_INFO:
		return "info";
	case WATCH_SEV_NOTICE:
		return "notice";
	case WATCH_SEV_WARNING:
		return "warning";
	case WATCH_SEV_ERROR:
		return "error";
	}
	return "unknown";
}

const char *
watch_match_name(enum watch_match m)
{
	switch (m) {
	case WATCH_MATCH_EXACT:
		return "exact";
	case WATCH_MATCH_OR_LONGER:
		return "or-longer";
	case WATCH_MATCH_ORIGIN_AS:
		return "origin-as";
	}
	return "unknown";
}

void
watch_fmt_time(int64_t ms, char *buf, size_t size)
{
	struct tm tm;
	time_t s;
	int64_t frac;

	frac = ms % 1000;
	if (frac < 0)
		frac += 1000;
	s = (time_t)((ms - frac) / 1000);
	if (gmtime_r(&s, &tm) == NULL) {
		snprintf(buf, size, "invalid");
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)frac);
}

void
watch_line_fmt(const struct watch_conf_prefix *l, char *buf, size_t size)
{
	char p[PREFIX_STRLEN];

	snprintf(buf, size, "%s %s", prefix_fmt(&l->prefix, p, sizeof(p)),
	    watch_match_name(l->match));
}

size_t
watch_attr_aspath(const uint8_t *blob, size_t len, uint32_t *out, size_t max)
{
	struct aspath_view v;
	struct aspath_iter it;
	struct aspath_seg seg;
	size_t n = 0;
	unsigned i;

	if (watch_blob_aspath(blob, len, &v) == -1)
		return 0;
	aspath_iter_init(&it, &v);
	while (aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++, n++)
			if (n < max)
				out[n] = aspath_seg_asn(&seg, i);
	return n;
}

/* JSON. */

static void
wjson_asset(struct json *j, const char *key, const struct watch_asset *s)
{
	size_t i;

	json_arr_open(j, key);
	for (i = 0; i < s->n; i++)
		json_uint(j, NULL, s->as[i]);
	json_arr_close(j);
}

/*
 * A ratio in [0, 1] with four decimals, trailing zeros dropped but one
 * kept, so that the value always reads as a double ("1.0", "0.4",
 * "0.3333"). Integer arithmetic: this runs for every share of every
 * upstream alert.
 */
static void
wjson_ratio(struct json *j, const char *key, double r)
{
	char buf[8] = "0.0000";
	unsigned v = (unsigned)(r * 10000.0 + 0.5), i;
	size_t n = 6;

	if (!(r >= 0.0) || v >= 10000) {
		json_raw(j, key, v >= 10000 ? "1.0" : "0.0", 3);
		return;
	}
	for (i = 5; i >= 2; i--, v /= 10)
		buf[i] = (char)('0' + v % 10);
	while (n > 3 && buf[n - 1] == '0')
		n--;
	json_raw(j, key, buf, n);
}

static void
wjson_aspath(struct json *j, const struct rib_attr *a)
{
	struct aspath_view v;
	struct aspath_iter it;
	struct aspath_seg seg;
	unsigned i;

	json_arr_open(j, "as_path");
	if (watch_blob_aspath(a->bytes, a->len, &v) == 0) {
		aspath_iter_init(&it, &v);
		while (aspath_iter_next(&it, &seg))
			for (i = 0; i < seg.count; i++)
				json_uint(j, NULL, aspath_seg_asn(&seg, i));
	}
	json_arr_close(j);
}

/* next_hop, as_path, origin_as, origin_as_set, upstream_as of a set. */
static void
wjson_path(
    struct json *j, const struct rib_attr *a, const struct attr_summary *s)
{
	char buf[ADDR_STRLEN];

	if (s->nhlen >= 4) {
		json_str(j, "next_hop",
		    addr_fmt(s->nh_afi, s->nh, buf, sizeof(buf)));
		if (s->nhlen == 32)
			json_str(j, "next_hop_link_local",
			    addr_fmt(AFI_IPV6, s->nh + 16, buf, sizeof(buf)));
	}
	wjson_aspath(j, a);
	if (s->has_origin_as)
		json_uint(j, "origin_as", s->origin_as);
	else
		json_null(j, "origin_as");
	json_bool(j, "origin_as_set", !s->has_origin_as && s->path_len > 0);
	if (s->has_upstream_as)
		json_uint(j, "upstream_as", s->upstream_as);
	else
		json_null(j, "upstream_as");
}

/*
 * "attributes": the rendering of the set, from memo when it holds the
 * same canonical blob, else rendered and kept there when it fits.
 */
static void
wjson_attrs(const struct rib_attr *a, struct json *j, struct watch_jmemo *memo)
{
	char text[WATCH_JMEMO_JSON];
	struct wbuf w;
	struct json sub;
	size_t i;

	if (memo == NULL || a->len > WATCH_JMEMO_CANON) {
		if (attr_canon_json(a->bytes, a->len, j, "attributes") == -1)
			json_null(j, "attributes");
		return;
	}
	i = a->hash & (WATCH_JMEMO_SLOTS - 1);
	if (memo->slot[i].used && memo->slot[i].canonlen == a->len &&
	    memcmp(memo->slot[i].canon, a->bytes, a->len) == 0) {
		memo->hits++;
		json_raw(
		    j, "attributes", memo->slot[i].json, memo->slot[i].jsonlen);
		return;
	}
	memo->misses++;
	wbuf_init_fixed(&w, text, sizeof(text));
	json_init(&sub, &w);
	if (attr_canon_json(a->bytes, a->len, &sub, NULL) == -1 ||
	    json_finish(&sub) == -1) {
		/* Too long for a slot, or not a set: render it in place. */
		if (attr_canon_json(a->bytes, a->len, j, "attributes") == -1)
			json_null(j, "attributes");
		return;
	}
	memo->slot[i].used = true;
	memo->slot[i].canonlen = a->len;
	memcpy(memo->slot[i].canon, a->bytes, a->len);
	memo->slot[i].jsonlen = (uint32_t)wbuf_len(&w);
	memcpy(memo->slot[i].json, wbuf_data(&w), wbuf_len(&w));
	json_raw(j, "attributes", memo->slot[i].json, memo->slot[i].jsonlen);
}

static void
wjson_route(
    const struct watch_event *ev, struct json *j, struct watch_jmemo *memo)
{
	const struct watch_ev_route *r = &ev->route;
	char buf[PREFIX_STRLEN];

	json_obj_open(j, "route");
	json_str(j, "prefix", prefix_fmt(&r->prefix, buf, sizeof(buf)));
	json_str(j, "afi", afi_name(r->prefix.afi));
	if (r->has_path_id)
		json_uint(j, "path_id", r->path_id);
	if (r->attr != NULL)
		wjson_path(j, r->attr, &r->sum);
	if (r->prev != NULL) {
		json_obj_open(j, "previous");
		wjson_path(j, r->prev, &r->prev_sum);
		json_obj_close(j);
	}
	if (r->attr != NULL && ev->kind == WATCH_KIND_EVENT)
		wjson_attrs(r->attr, j, memo);
	json_obj_close(j);
}

static void
wjson_watch(const struct watch_event *ev, struct json *j)
{
	char buf[PREFIX_STRLEN];

	json_obj_open(j, "watch");
	json_str(j, "name", ev->watch.name);
	if (ev->watch.has_prefix) {
		json_str(j, "prefix",
		    prefix_fmt(&ev->watch.prefix, buf, sizeof(buf)));
		json_str(j, "match", watch_match_name(ev->watch.match));
	}
	json_obj_close(j);
}

static void
wjson_upstreams(const struct watch_event *ev, struct json *j)
{
	size_t i;

	json_obj_open(j, "upstreams");
	wjson_asset(j, "baseline", &ev->upstreams.baseline);
	wjson_asset(j, "current", &ev->upstreams.current);
	wjson_asset(j, "added", &ev->upstreams.added);
	wjson_asset(j, "removed", &ev->upstreams.removed);
	json_arr_open(j, "share");
	for (i = 0; i < ev->upstreams.nshare; i++) {
		json_obj_open(j, NULL);
		json_uint(j, "as", ev->upstreams.share[i].as);
		wjson_ratio(j, "ratio", ev->upstreams.share[i].ratio);
		json_uint(j, "routes", ev->upstreams.share[i].routes);
		json_obj_close(j);
	}
	json_arr_close(j);
	if (ev->upstreams.share_other > 0.0)
		wjson_ratio(j, "share_other", ev->upstreams.share_other);
	if (ev->upstreams.has_as) {
		json_uint(j, "as", ev->upstreams.as);
		json_bool(j, "flapping", ev->upstreams.flapping);
		json_uint(j, "flaps", ev->upstreams.flaps);
	}
	wjson_asset(j, "flapping_upstreams", &ev->upstreams.flapping_set);
	json_str(j, "baseline_source", ev->upstreams.baseline_source);
	json_uint(j, "hold_down", ev->upstreams.hold_down);
	json_obj_close(j);
}

static void
wjson_origins(const struct watch_event *ev, struct json *j)
{
	json_obj_open(j, "origins");
	/* What was known before: for a change, or what an outage hides. */
	if (ev->action == WATCH_ORIGIN_CHANGED ||
	    ev->action == WATCH_VISIBILITY_LOST ||
	    ev->action == WATCH_VISIBILITY_RESTORED) {
		wjson_asset(j, "previous", &ev->origins.previous);
		json_bool(j, "previous_unknown", ev->origins.previous_unknown);
	}
	wjson_asset(j, "current", &ev->origins.current);
	json_bool(j, "current_unknown", ev->origins.current_unknown);
	json_bool(j, "moas", ev->origins.moas);
	if (ev->origins.expected.n > 0) {
		wjson_asset(j, "expected", &ev->origins.expected);
		wjson_asset(j, "unexpected", &ev->origins.unexpected);
	}
	json_obj_close(j);
}

static void
wjson_visibility(const struct watch_event *ev, struct json *j)
{
	json_obj_open(j, "visibility");
	if (ev->action == WATCH_BASELINE_LEARNED) {
		json_uint(j, "prefixes", ev->visibility.prefixes);
		json_uint(j, "visible", ev->visibility.visible);
	} else {
		json_uint(j, "peers", ev->visibility.peers);
		json_uint(j, "min_peers", ev->visibility.min_peers);
		json_uint(j, "eligible", ev->visibility.eligible);
	}
	json_obj_close(j);
}

void
watch_event_json(const struct watch_event *ev, struct json *j)
{
	watch_event_json_memo(ev, j, NULL);
}

void
watch_event_json_memo(
    const struct watch_event *ev, struct json *j, struct watch_jmemo *memo)
{
	if (ev->has_route)
		wjson_route(ev, j, memo);
	if (ev->watch.name != NULL)
		wjson_watch(ev, j);
	if (ev->upstreams.present)
		wjson_upstreams(ev, j);
	if (ev->origins.present)
		wjson_origins(ev, j);
	if (ev->visibility.present)
		wjson_visibility(ev, j);
	if (ev->taw.present) {
		json_obj_open(j, "treat_as_withdraw");
		json_hex(j, "attribute", ev->taw.attr, ev->taw.len);
		json_str(j, "reason", ev->taw.why);
		json_obj_close(j);
	}
	if (ev->sync.present) {
		json_obj_open(j, "sync");
		json_str(j, "afi", afi_name(ev->sync.afi));
		json_str(j, "safi", safi_name(ev->sync.safi));
		json_str(j, "trigger", ev->sync.trigger);
		json_bool(j, "complete", ev->sync.complete);
		json_uint(j, "routes", ev->sync.routes);
		json_obj_close(j);
	}
}

void
watch_peer_json(const struct watch_peer_info *peer, struct json *j)
{
	if (peer == NULL)
		return;
	json_obj_open(j, "peer");
	json_str(j, "ip", peer->ip);
	json_uint(j, "as", peer->as);
	json_str(j, "bgp_id", peer->bgp_id_str);
	json_str(j, "description", peer->descr);
	json_obj_close(j);
}

/* Messages. */

/*
 * Messages are built without printf(3): a piece that wbuf_printf() would
 * have written at once is either written whole or, when the message
 * reaches its limit, not at all (wmsg_end() takes back what part of it
 * went in), so a message cut at EVENT_MSG_MAX ends where it always did.
 */
static void
wmsg_end(struct wbuf *out, size_t start)
{
	if (wbuf_error(out))
		out->len = start;
}

/* n strings, one piece; NULL reads "(null)", as printf's %s has it. */
static void
wmsg_cat(struct wbuf *out, int n, ...)
{
	size_t start = wbuf_len(out);
	const char *s;
	va_list ap;

	va_start(ap, n);
	while (n-- > 0) {
		if ((s = va_arg(ap, const char *)) == NULL)
			s = "(null)";
		wbuf_put_bytes(out, s, strlen(s));
	}
	va_end(ap);
	wmsg_end(out, start);
}

/* pre, v in decimal, post: one piece. */
static void
wmsg_num(struct wbuf *out, const char *pre, uint64_t v, const char *post)
{
	size_t start = wbuf_len(out);

	wbuf_put_bytes(out, pre, strlen(pre));
	wbuf_put_dec(out, v);
	wbuf_put_bytes(out, post, strlen(post));
	wmsg_end(out, start);
}

static void
wmsg_set(struct wbuf *out, const struct watch_asset *s)
{
	size_t i;

	if (s->n == 0) {
		wmsg_cat(out, 1, "none");
		return;
	}
	for (i = 0; i < s->n; i++)
		wmsg_num(out, i > 0 ? "," : "", s->as[i], "");
}

/* "AS131279 " when the prefix has one known origin, else nothing. */
static void
wmsg_origin(struct wbuf *out, const struct watch_event *ev)
{
	if (ev->route.attr != NULL && ev->route.sum.has_origin_as)
		wmsg_num(out, "AS", ev->route.sum.origin_as, " ");
	else if (ev->origins.present && ev->origins.current.n == 1 &&
	    !ev->origins.current_unknown)
		wmsg_num(out, "AS", ev->origins.current.as[0], " ");
}

/*
 * The AS path as text (aspath_fmt(): AS_SETs in braces, confederation
 * segments marked), cut after WMSG_PATH_MAX octets at an AS boundary so
 * that a path of a thousand prepends does not fill the message.
 */
#define WMSG_PATH_MAX 400

static void
wmsg_aspath(struct wbuf *out, const struct rib_attr *a)
{
	struct aspath_view v;
	size_t start = wbuf_len(out), cut;

	if (watch_blob_aspath(a->bytes, a->len, &v) == 0)
		aspath_fmt(&v, out);
	if (wbuf_error(out))
		return;
	if (wbuf_len(out) == start) {
		wmsg_cat(out, 1, "(empty)");
		return;
	}
	if (wbuf_len(out) - start <= WMSG_PATH_MAX)
		return;
	cut = start + WMSG_PATH_MAX;
	while (cut > start && out->buf[cut] != ' ')
		cut--;
	out->len = cut;
	wmsg_cat(out, 1, " ...");
}

static void
wmsg_route(const struct watch_event *ev, const char *pfx, struct wbuf *out)
{
	const char *who = ev->peer != NULL ? ev->peer->ip : "?";

	switch (ev->action) {
	case WATCH_ROUTE_ANNOUNCED:
		wmsg_cat(out, 4, who, " announced ", pfx, " with AS path ");
		wmsg_aspath(out, ev->route.attr);
		break;
	case WATCH_ROUTE_REPLACED:
		wmsg_cat(out, 4, who, " replaced ", pfx, ": AS path ");
		wmsg_aspath(out, ev->route.attr);
		wmsg_cat(out, 1, ", was ");
		wmsg_aspath(out, ev->route.prev);
		break;
	case WATCH_ROUTE_WITHDRAWN:
		wmsg_cat(out, 6, who, " withdrew ", pfx, " (", ev->reason, ")");
		break;
	default:
		wmsg_cat(out, 5, who, " sent a malformed UPDATE for ", pfx,
		    ", treated as withdraw: ",
		    ev->taw.why != NULL ? ev->taw.why : "");
		break;
	}
	wmsg_cat(out, 3, " (watch ", ev->watch.name, ")");
}

/* "<pre>AS<as> on <pfx><post>": one piece. */
static void
wmsg_as_on(struct wbuf *out, const char *pre, uint32_t as, const char *pfx)
{
	size_t start = wbuf_len(out);

	wbuf_put_bytes(out, pre, strlen(pre));
	wmsg_num(out, "AS", as, " on ");
	wbuf_put_bytes(out, pfx, strlen(pfx));
	wmsg_end(out, start);
}

static void
wmsg_upstream(const struct watch_event *ev, const char *pfx, struct wbuf *out)
{
	size_t start;

	switch (ev->action) {
	case WATCH_UPSTREAM_ADDED:
		wmsg_origin(out, ev);
		wmsg_as_on(out, "gained upstream ", ev->upstreams.as, pfx);
		break;
	case WATCH_UPSTREAM_REMOVED:
		wmsg_origin(out, ev);
		start = wbuf_len(out);
		wmsg_as_on(out, "lost upstream ", ev->upstreams.as, pfx);
		wmsg_num(out, " (gone for ", ev->upstreams.hold_down, " s)");
		wmsg_end(out, start);
		break;
	default:
		start = wbuf_len(out);
		wmsg_num(out, "expected upstream AS", ev->upstreams.as,
		    " missing on ");
		wmsg_cat(out, 1, pfx);
		wmsg_num(out, " for ", ev->upstreams.hold_down, " s");
		wmsg_end(out, start);
		break;
	}
	wmsg_cat(out, 1, "; upstreams now ");
	wmsg_set(out, &ev->upstreams.current);
	if (ev->upstreams.flapping)
		wmsg_num(out, " (flapping, ", ev->upstreams.flaps, " flaps)");
}

static void
wmsg_origins(const struct watch_event *ev, const char *pfx, struct wbuf *out)
{
	char l[PREFIX_STRLEN];

	if (ev->action == WATCH_MORE_SPECIFIC_SEEN)
		wmsg_cat(out, 5, "more-specific ", pfx, " of ",
		    prefix_fmt(&ev->watch.prefix, l, sizeof(l)),
		    " seen, origin ");
	else {
		wmsg_cat(out, 3, "origin of ", pfx, " changed from ");
		wmsg_set(out, &ev->origins.previous);
		wmsg_cat(out, 1, " to ");
	}
	wmsg_set(out, &ev->origins.current);
	if (ev->origins.current_unknown)
		wmsg_cat(out, 1, " (and an AS_SET)");
	if (ev->origins.moas)
		wmsg_cat(out, 1, "; MOAS");
	if (ev->origins.unexpected.n > 0) {
		wmsg_cat(out, 1, "; unexpected origin ");
		wmsg_set(out, &ev->origins.unexpected);
	}
}

static void
wmsg_state(const struct watch_event *ev, struct wbuf *out)
{
	if (ev->action == WATCH_RIB_SYNCED) {
		wbuf_printf(out,
		    "%s finished its initial %s %s transfer (%s, %llu route%s)",
		    ev->peer != NULL ? ev->peer->ip : "?",
		    afi_name(ev->sync.afi) != NULL ? afi_name(ev->sync.afi)
		                                   : "?",
		    safi_name(ev->sync.safi) != NULL ? safi_name(ev->sync.safi)
		                                     : "?",
		    ev->sync.trigger, (unsigned long long)ev->sync.routes,
		    ev->sync.routes == 1 ? "" : "s");
		return;
	}
	wbuf_printf(out, "watch %s baseline %s: upstreams ", ev->watch.name,
	    ev->upstreams.baseline_source);
	wmsg_set(out, &ev->upstreams.baseline);
	wbuf_printf(out, "; origins ");
	wmsg_set(out, &ev->origins.current);
	wbuf_printf(out, "; %llu of %llu prefixes visible",
	    (unsigned long long)ev->visibility.visible,
	    (unsigned long long)ev->visibility.prefixes);
}

void
watch_event_message(const struct watch_event *ev, struct wbuf *out)
{
	char pfx[PREFIX_STRLEN];

	prefix_fmt(&ev->route.prefix, pfx, sizeof(pfx));
	switch (ev->action) {
	case WATCH_ROUTE_ANNOUNCED:
	case WATCH_ROUTE_REPLACED:
	case WATCH_ROUTE_WITHDRAWN:
	case WATCH_ROUTE_TREAT_AS_WITHDRAW:
		wmsg_route(ev, pfx, out);
		break;
	case WATCH_UPSTREAM_ADDED:
	case WATCH_UPSTREAM_REMOVED:
	case WATCH_EXPECTED_UPSTREAM_MISSING:
		wmsg_upstream(ev, pfx, out);
		break;
	case WATCH_ORIGIN_CHANGED:
	case WATCH_MORE_SPECIFIC_SEEN:
		wmsg_origins(ev, pfx, out);
		break;
	case WATCH_VISIBILITY_LOST:
		wbuf_printf(out,
		    "%s lost visibility: seen by %u of %u peers, "
		    "below min-peers %u",
		    pfx, ev->visibility.peers, ev->visibility.eligible,
		    ev->visibility.min_peers);
		break;
	case WATCH_VISIBILITY_RESTORED:
		wbuf_printf(out, "%s visible again: seen by %u of %u peers",
		    pfx, ev->visibility.peers, ev->visibility.eligible);
		break;
	case WATCH_BASELINE_LEARNED:
	case WATCH_RIB_SYNCED:
		wmsg_state(ev, out);
		break;
	}
}
