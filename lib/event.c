/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The event lines: the ECS envelope around every line, the run identity
 * and sequence, RFC 3339 timestamps, and the session and collector
 * families (watch events get their body from lib/watch). See event.h and
 * contrib/schema/events.schema.json.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "msg.h"
#include "prefix.h"

/* RFC 3339 §5.6 has four-digit years: 0000-01-01 .. 9999-12-31. */
#define EVENT_MS_MIN (-62167219200000LL)
#define EVENT_MS_MAX (253402300799999LL)

static void event_observer_render(struct event_ctx *);

void
event_ctx_init(struct event_ctx *ctx, const char *hostname, const char *version,
    int64_t start_ms, uint64_t rnd)
{
	memset(ctx, 0, sizeof(*ctx));
	snprintf(ctx->hostname, sizeof(ctx->hostname), "%s",
	    hostname != NULL ? hostname : "");
	snprintf(ctx->version, sizeof(ctx->version), "%s",
	    version != NULL ? version : "");
	snprintf(ctx->run_id, sizeof(ctx->run_id), "%012llx%012llx",
	    (unsigned long long)((uint64_t)start_ms & 0xffffffffffffULL),
	    (unsigned long long)(rnd & 0xffffffffffffULL));
	ctx->seq = 0;
	event_observer_render(ctx);
}

void
event_ctx_set_hostname(struct event_ctx *ctx, const char *hostname)
{
	snprintf(ctx->hostname, sizeof(ctx->hostname), "%s",
	    hostname != NULL ? hostname : "");
	event_observer_render(ctx);
}

/*
 * The "YYYY-MM-DDTHH:MM:SS" part of the second s (19 octets, no NUL):
 * events come many to a second, so it is formatted once per second and
 * per thread, and each line only adds its milliseconds.
 */
static const char *
event_time_secs(time_t s)
{
	static _Thread_local struct {
		bool ok;
		time_t s;
		char text[64]; /* room for any int: the compiler sees no cut */
	} c;
	struct tm tm;

	if (c.ok && c.s == s)
		return c.text;
	memset(&tm, 0, sizeof(tm));
	if (gmtime_r(&s, &tm) == NULL) /* not with a 64-bit time_t */
		memset(&tm, 0, sizeof(tm));
	snprintf(c.text, sizeof(c.text), "%04d-%02d-%02dT%02d:%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	c.s = s;
	c.ok = true;
	return c.text;
}

char *
event_time_fmt(int64_t ms, char *buf)
{
	time_t s;
	int64_t frac;

	if (ms < EVENT_MS_MIN)
		ms = EVENT_MS_MIN;
	if (ms > EVENT_MS_MAX)
		ms = EVENT_MS_MAX;
	frac = ms % 1000;
	if (frac < 0)
		frac += 1000;
	s = (time_t)((ms - frac) / 1000);
	/* RFC 3339 §5.6 date-time with three digits of time-secfrac. */
	memcpy(buf, event_time_secs(s), 19);
	buf[19] = '.';
	buf[20] = (char)('0' + frac / 100);
	buf[21] = (char)('0' + frac / 10 % 10);
	buf[22] = (char)('0' + frac % 10);
	buf[23] = 'Z';
	buf[EVENT_TIME_STRLEN - 1] = '\0';
	return buf;
}

int64_t
event_ms_from_timespec(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + (int64_t)(ts->tv_nsec / 1000000);
}

const char *
event_level_name(enum event_level l)
{
	switch (l) {
	case EVENT_LEVEL_INFO:
		return "info";
	case EVENT_LEVEL_NOTICE:
		return "notice";
	case EVENT_LEVEL_WARNING:
		return "warning";
	case EVENT_LEVEL_ERROR:
		return "error";
	}
	return "info";
}

static bool
event_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* The peer object: ip, as, bgp_id (once known), description. */
static void
event_peer_json(struct json *j, const struct event_peer *p)
{
	json_obj_open(j, "peer");
	json_str(j, "ip", p->ip);
	json_uint(j, "as", p->as);
	if (event_set(p->bgp_id))
		json_str(j, "bgp_id", p->bgp_id);
	json_str(
	    j, "description", p->description != NULL ? p->description : "");
	json_obj_close(j);
}

/* related.ip: the peer's address and the extra ones, each once. */
static void
event_related(struct json *j, const struct event_hdr *h)
{
	const char *ip[3];
	size_t n = 0, i, k;

	if (h->peer != NULL && event_set(h->peer->ip))
		ip[n++] = h->peer->ip;
	for (i = 0; i < 2; i++) {
		if (!event_set(h->related[i]))
			continue;
		for (k = 0; k < n && strcmp(ip[k], h->related[i]) != 0; k++)
			;
		if (k == n)
			ip[n++] = h->related[i];
	}
	if (n == 0)
		return;
	json_obj_open(j, "related");
	json_arr_open(j, "ip");
	for (i = 0; i < n; i++)
		json_str(j, NULL, ip[i]);
	json_arr_close(j);
	json_obj_close(j);
}

/* event.*: the ECS categorisation fields, sequence and id. */
static void
event_ecs_event(struct json *j, const struct event_ctx *ctx, uint64_t seq,
    const struct event_hdr *h)
{
	char id[EVENT_RUN_ID_LEN + 24];
	size_t i, n;

	/* "<run_id>-<seq>" */
	n = strnlen(ctx->run_id, EVENT_RUN_ID_LEN);
	memcpy(id, ctx->run_id, n);
	id[n++] = '-';
	n += wbuf_dec(id + n, seq);
	json_obj_open(j, "event");
	json_str(j, "kind", h->kind);
	json_arr_open(j, "category");
	json_str(j, NULL, h->category);
	json_arr_close(j);
	json_arr_open(j, "type");
	for (i = 0; i < 2; i++)
		if (h->type[i] != NULL)
			json_str(j, NULL, h->type[i]);
	json_arr_close(j);
	json_str(j, "action", h->action);
	json_str(j, "dataset", EVENT_DATASET);
	json_uint(j, "sequence", seq);
	json_strn(j, "id", id, n);
	if (h->outcome != NULL)
		json_str(j, "outcome", h->outcome);
	if (event_set(h->reason))
		json_str(j, "reason", h->reason);
	json_obj_close(j);
}

/* observer.*: who wrote the line. */
static void
event_observer(struct json *j, const struct event_ctx *ctx, const char *key)
{
	json_obj_open(j, key);
	json_str(j, "type", "sensor");
	json_str(j, "product", "bgpwatch");
	if (event_set(ctx->hostname))
		json_str(j, "hostname", ctx->hostname);
	if (event_set(ctx->version))
		json_str(j, "version", ctx->version);
	json_obj_close(j);
}

/*
 * The constant "observer" object, rendered once into ctx; when it cannot
 * be (it cannot with the field sizes above) each line renders it.
 */
static void
event_observer_render(struct event_ctx *ctx)
{
	struct wbuf w;
	struct json j;

	wbuf_init_fixed(&w, ctx->observer, sizeof(ctx->observer));
	json_init(&j, &w);
	event_observer(&j, ctx, NULL);
	ctx->observer_len = json_finish(&j) == 0 ? wbuf_len(&w) : 0;
}

/* Everything up to "bgpwatch", in the order of DESIGN.md's example. */
static void
event_envelope(struct json *j, const struct event_ctx *ctx, uint64_t seq,
    const struct event_hdr *h, const struct wbuf *msg)
{
	char ts[EVENT_TIME_STRLEN];

	json_str(j, "@timestamp", event_time_fmt(h->time, ts));
	json_obj_open(j, "log");
	json_str(j, "level", event_level_name(h->level));
	json_obj_close(j);
	json_strn(j, "message", wbuf_data(msg), wbuf_len(msg));
	json_obj_open(j, "ecs");
	json_str(j, "version", EVENT_ECS_VERSION);
	json_obj_close(j);
	event_ecs_event(j, ctx, seq, h);
	if (ctx->observer_len > 0)
		json_raw(j, "observer", ctx->observer, ctx->observer_len);
	else
		event_observer(j, ctx, "observer");
	if (h->peer != NULL) {
		json_obj_open(j, "source");
		json_str(j, "ip", h->peer->ip);
		json_obj_open(j, "as");
		json_uint(j, "number", h->peer->as);
		json_obj_close(j);
		json_obj_close(j);
	}
	if (h->network) {
		json_obj_open(j, "network");
		json_str(j, "protocol", "bgp");
		json_obj_close(j);
	}
	event_related(j, h);
}

/*
 * The message into m, over storage of EVENT_MSG_MAX octets (no heap per
 * line): the callback's text, or the action.
 */
static void
event_message(struct wbuf *m, char *storage, const struct event_hdr *h,
    event_msg_cb msg, void *arg)
{
	wbuf_init_fixed(m, storage, EVENT_MSG_MAX);
	if (msg != NULL)
		msg(arg, m);
	else if (h->action != NULL)
		wbuf_put_bytes(m, h->action, strlen(h->action));
	else
		wbuf_put_bytes(m, "(null)", 6);
	/* Cut at the limit: what was written stays, marked as cut. */
	if (wbuf_error(m)) {
		m->err = false;
		if (m->len + 3 > EVENT_MSG_MAX)
			m->len = EVENT_MSG_MAX - 3;
		wbuf_put_bytes(m, "...", 3);
	}
}

uint64_t
event_write(struct event_ctx *ctx, const struct event_hdr *h, event_msg_cb msg,
    event_body_cb body, void *arg, struct wbuf *out)
{
	char mbuf[EVENT_MSG_MAX];
	struct json j;
	struct wbuf m;
	size_t start = out->len;
	bool err = out->err;
	uint64_t seq = ctx->seq + 1;

	if (err)
		return 0;
	event_message(&m, mbuf, h, msg, arg);
	json_init(&j, out);
	json_obj_open(&j, NULL);
	event_envelope(&j, ctx, seq, h, &m);
	json_obj_open(&j, "bgpwatch");
	json_uint(&j, "schema_version", EVENT_SCHEMA_VERSION);
	if (h->peer != NULL)
		event_peer_json(&j, h->peer);
	if (body != NULL)
		body(arg, &j);
	json_obj_close(&j);
	json_obj_close(&j);
	wbuf_free(&m);
	if (json_finish(&j) == -1 || (wbuf_put_u8(out, '\n'), out->err)) {
		out->len = start;
		out->err = false;
		return 0;
	}
	ctx->seq = seq;
	return seq;
}

/* Watch events. */

struct event_watch_arg {
	const struct watch_event *ev;
	struct watch_jmemo *memo;
};

static void
event_watch_msg(void *arg, struct wbuf *m)
{
	const struct event_watch_arg *a = arg;

	watch_event_message(a->ev, m);
}

static void
event_watch_body(void *arg, struct json *j)
{
	const struct event_watch_arg *a = arg;

	watch_event_json_memo(a->ev, j, a->memo);
}

static enum event_level
event_watch_level(enum watch_severity s)
{
	switch (s) {
	case WATCH_SEV_INFO:
		return EVENT_LEVEL_INFO;
	case WATCH_SEV_NOTICE:
		return EVENT_LEVEL_NOTICE;
	case WATCH_SEV_WARNING:
		return EVENT_LEVEL_WARNING;
	case WATCH_SEV_ERROR:
		return EVENT_LEVEL_ERROR;
	}
	return EVENT_LEVEL_INFO;
}

uint64_t
event_watch(
    struct event_ctx *ctx, const struct watch_event *ev, struct wbuf *out)
{
	struct event_watch_arg a = { ev, &ctx->jmemo };
	struct event_peer peer;
	struct event_hdr h;
	char nh[ADDR_STRLEN];

	memset(&h, 0, sizeof(h));
	h.time = ev->time;
	h.kind = watch_kind_name(ev->kind);
	h.category = "network";
	h.type[0] =
	    ev->kind == WATCH_KIND_STATE || ev->action == WATCH_RIB_SYNCED
	    ? "info"
	    : "protocol";
	h.action = watch_action_name(ev->action);
	h.reason = ev->reason;
	h.level = event_watch_level(ev->severity);
	h.network = true;
	if (ev->peer != NULL) {
		peer.ip = ev->peer->ip;
		peer.as = ev->peer->as;
		peer.bgp_id =
		    ev->peer->bgp_id != 0 ? ev->peer->bgp_id_str : NULL;
		peer.description = ev->peer->descr;
		h.peer = &peer;
	}
	if (ev->has_route && ev->route.attr != NULL && ev->route.sum.nhlen >= 4)
		h.related[0] = addr_fmt(
		    ev->route.sum.nh_afi, ev->route.sum.nh, nh, sizeof(nh));
	return event_write(ctx, &h, event_watch_msg, event_watch_body, &a, out);
}

/* Sessions. */

static const struct {
	uint16_t afi;
	uint8_t safi;
} event_fams[FAM_COUNT] = {
	[FAM_IPV4_UNICAST] = { AFI_IPV4, SAFI_UNICAST },
	[FAM_IPV6_UNICAST] = { AFI_IPV6, SAFI_UNICAST },
	[FAM_IPV4_MULTICAST] = { AFI_IPV4, SAFI_MULTICAST },
	[FAM_IPV6_MULTICAST] = { AFI_IPV6, SAFI_MULTICAST },
};

/* "ipv4-unicast", or numbers for what bgp.h has no name for. */
static void
event_family(struct json *j, uint16_t afi, uint8_t safi)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%s-%s",
	    afi_name(afi) != NULL ? afi_name(afi) : "afi",
	    safi_name(safi) != NULL ? safi_name(safi) : "safi");
	if (afi_name(afi) == NULL || safi_name(safi) == NULL)
		snprintf(buf, sizeof(buf), "%u-%u", afi, safi);
	json_str(j, NULL, buf);
}

/* The bits of an enum sess_family mask as family strings. */
static void
event_families(struct json *j, const char *key, uint32_t fams)
{
	int i;

	json_arr_open(j, key);
	for (i = 0; i < FAM_COUNT; i++)
		if (fams & (1u << i))
			event_family(j, event_fams[i].afi, event_fams[i].safi);
	json_arr_close(j);
}

static void
event_capa(struct json *j, uint8_t code)
{
	json_obj_open(j, NULL);
	json_uint(j, "code", code);
	if (capa_name(code) != NULL)
		json_str(j, "name", capa_name(code));
	json_obj_close(j);
}

/* Every capability the OPEN carried, known ones in code order. */
static void
event_open_capas(struct json *j, const struct open_msg *o)
{
	size_t i;

	json_arr_open(j, "capabilities");
	if (o->n_mp > 0)
		event_capa(j, CAPA_MP);
	if (o->route_refresh)
		event_capa(j, CAPA_ROUTE_REFRESH);
	if (o->has_extnh)
		event_capa(j, CAPA_EXT_NEXTHOP);
	if (o->ext_msg)
		event_capa(j, CAPA_EXT_MSG);
	if (o->has_role)
		event_capa(j, CAPA_ROLE);
	if (o->has_gr)
		event_capa(j, CAPA_GRACEFUL);
	if (o->has_as4)
		event_capa(j, CAPA_AS4);
	if (o->has_addpath)
		event_capa(j, CAPA_ADD_PATH);
	if (o->enhanced_rr)
		event_capa(j, CAPA_ENHANCED_RR);
	if (o->has_fqdn)
		event_capa(j, CAPA_FQDN);
	if (o->route_refresh_cisco)
		event_capa(j, CAPA_ROUTE_REFRESH_CISCO);
	for (i = 0; i < o->n_unknown; i++)
		event_capa(j, o->unknown[i].code);
	json_arr_close(j);
}

/* RFC 7911 §4 Send/Receive of each ADD-PATH tuple. */
static void
event_open_addpath(struct json *j, const struct open_msg *o)
{
	static const char *const mode[] = { "none", "receive", "send",
		"send-receive" };
	size_t i;

	json_arr_open(j, "add_path");
	for (i = 0; i < o->n_addpath; i++) {
		json_obj_open(j, NULL);
		json_arr_open(j, "family");
		event_family(j, o->addpath[i].afi, o->addpath[i].safi);
		json_arr_close(j);
		json_str(j, "mode", mode[o->addpath[i].flags & 3]);
		json_obj_close(j);
	}
	json_arr_close(j);
}

/* RFC 4724 §3 as the peer announced it. */
static void
event_open_gr(struct json *j, const struct open_msg *o)
{
	size_t i;

	json_obj_open(j, "graceful_restart");
	json_uint(j, "restart_time", o->gr_time);
	json_bool(j, "restarted", o->gr_restarted);
	json_bool(j, "notification", o->gr_notification);
	json_arr_open(j, "families");
	for (i = 0; i < o->n_gr; i++)
		event_family(j, o->gr[i].afi, o->gr[i].safi);
	json_arr_close(j);
	json_obj_close(j);
}

/* The peer's OPEN: what it offered, before negotiation. */
static void
event_open(struct json *j, const struct open_msg *o)
{
	char id[16];
	size_t i;

	json_obj_open(j, "open");
	json_uint(j, "version", o->version);
	json_uint(j, "as", o->has_as4 ? o->as4 : o->my_as);
	json_uint(j, "hold_time", o->holdtime);
	snprintf(id, sizeof(id), "%u.%u.%u.%u", o->bgp_id >> 24,
	    (o->bgp_id >> 16) & 0xff, (o->bgp_id >> 8) & 0xff,
	    o->bgp_id & 0xff);
	json_str(j, "bgp_id", id);
	event_open_capas(j, o);
	json_arr_open(j, "families");
	for (i = 0; i < o->n_mp; i++)
		event_family(j, o->mp[i].afi, o->mp[i].safi);
	json_arr_close(j);
	if (o->has_addpath)
		event_open_addpath(j, o);
	if (o->has_gr)
		event_open_gr(j, o);
	if (o->has_role && role_name(o->role) != NULL)
		json_str(j, "role", role_name(o->role));
	if (o->has_fqdn) {
		json_strn(j, "hostname", o->hostname, o->hostname_len);
		json_strn(j, "domain", o->domainname, o->domainname_len);
	}
	json_obj_close(j);
}

static void
event_established_body(void *arg, struct json *j)
{
	const struct event_session_established *e = arg;

	json_obj_open(j, "session");
	json_str(j, "state", "Established");
	if (event_set(e->previous_state))
		json_str(j, "previous_state", e->previous_state);
	json_uint(j, "hold_time", e->hold_time);
	json_uint(j, "keepalive", e->keepalive);
	event_families(j, "families", e->families);
	event_families(j, "add_path_receive", e->addpath_rx);
	json_bool(j, "four_octet_as", e->as4);
	json_bool(j, "extended_message", e->ext_msg);
	json_bool(j, "route_refresh", e->route_refresh);
	json_bool(j, "enhanced_route_refresh", e->enhanced_rr);
	json_bool(j, "graceful_restart", e->graceful_restart);
	if (event_set(e->local_ip)) {
		json_str(j, "local_ip", e->local_ip);
		json_uint(j, "local_port", e->local_port);
	}
	if (e->remote_port != 0)
		json_uint(j, "remote_port", e->remote_port);
	if (e->open != NULL)
		event_open(j, e->open);
	json_obj_close(j);
}

/* "192.0.2.1 (AS64500, lab-rs1)" */
static void
event_msg_peer(struct wbuf *m, const struct event_peer *p)
{
	wbuf_printf(m, "%s (AS%u", p->ip, p->as);
	if (event_set(p->description))
		wbuf_printf(m, ", %s", p->description);
	wbuf_printf(m, ")");
}

static void
event_established_msg(void *arg, struct wbuf *m)
{
	const struct event_session_established *e = arg;
	int i;

	wbuf_printf(m, "session with ");
	event_msg_peer(m, &e->peer);
	wbuf_printf(m, " established, hold time %u s", e->hold_time);
	for (i = 0; i < FAM_COUNT; i++)
		if (e->families & (1u << i))
			wbuf_printf(m, ", %s %s%s", afi_name(event_fams[i].afi),
			    safi_name(event_fams[i].safi),
			    e->addpath_rx & (1u << i) ? " with add-path" : "");
}

uint64_t
event_session_established(struct event_ctx *ctx,
    const struct event_session_established *e, struct wbuf *out)
{
	const struct event_hdr h = {
		.time = e->time,
		.kind = "event",
		.category = "network",
		.type = { "connection", "start" },
		.action = "session-established",
		.level = EVENT_LEVEL_NOTICE,
		.peer = &e->peer,
		.related = { e->local_ip },
		.network = true,
	};

	return event_write(ctx, &h, event_established_msg,
	    event_established_body, (void *)(uintptr_t)e, out);
}

/* RFC 4271 §4.5 code/subcode with names, RFC 9003 text. */
static void
event_notification(struct json *j, const struct event_session_closed *e)
{
	const char *sub = notif_subcode_name(e->code, e->subcode);

	json_obj_open(j, "notification");
	json_str(j, "direction", e->sent ? "sent" : "received");
	json_uint(j, "code", e->code);
	json_uint(j, "subcode", e->subcode);
	json_str(j, "name", notif_name(e->code, e->subcode));
	json_str(j, "code_name", notif_code_name(e->code));
	if (sub != NULL)
		json_str(j, "subcode_name", sub);
	if (e->shutdown != NULL)
		json_str(j, "shutdown_communication", e->shutdown);
	json_obj_close(j);
}

static void
event_closed_body(void *arg, struct json *j)
{
	const struct event_session_closed *e = arg;

	json_obj_open(j, "session");
	json_str(j, "state", event_set(e->state) ? e->state : "Idle");
	if (event_set(e->previous_state))
		json_str(j, "previous_state", e->previous_state);
	if (event_set(e->fsm_event))
		json_str(j, "fsm_event", e->fsm_event);
	if (e->uptime >= 0)
		json_uint(j, "uptime", (uint64_t)e->uptime);
	json_bool(j, "stale_kept", e->stale_kept);
	json_uint(j, "routes", e->routes);
	if (e->notification)
		event_notification(j, e);
	json_obj_close(j);
}

static void
event_closed_msg(void *arg, struct wbuf *m)
{
	const struct event_session_closed *e = arg;

	wbuf_printf(m, "session with ");
	event_msg_peer(m, &e->peer);
	wbuf_printf(m, " closed");
	if (event_set(e->previous_state))
		wbuf_printf(m, " (was %s)", e->previous_state);
	if (e->notification) {
		wbuf_printf(m, ": NOTIFICATION %s %s",
		    e->sent ? "sent" : "received",
		    notif_name(e->code, e->subcode));
		if (event_set(e->shutdown))
			wbuf_printf(m, " \"%s\"", e->shutdown);
	} else if (event_set(e->reason))
		wbuf_printf(m, ": %s", e->reason);
	if (e->stale_kept)
		wbuf_printf(m, "; %llu routes kept as stale",
		    (unsigned long long)e->routes);
}

/*
 * A session we ended on purpose (administrative Cease, RFC 4486 §4) is a
 * notice; everything else that drops a session is a warning.
 */
static enum event_level
event_closed_level(const struct event_session_closed *e)
{
	if (e->notification && e->sent && e->code == BGP_ERR_CEASE &&
	    (e->subcode == BGP_CEASE_ADMIN_DOWN ||
	        e->subcode == BGP_CEASE_PEER_UNCONF ||
	        e->subcode == BGP_CEASE_ADMIN_RESET ||
	        e->subcode == BGP_CEASE_CONFIG_CHANGE))
		return EVENT_LEVEL_NOTICE;
	return EVENT_LEVEL_WARNING;
}

uint64_t
event_session_closed(struct event_ctx *ctx,
    const struct event_session_closed *e, struct wbuf *out)
{
	const struct event_hdr h = {
		.time = e->time,
		.kind = "event",
		.category = "network",
		.type = { "connection", "end" },
		.action = "session-closed",
		.reason = e->reason,
		.level = event_closed_level(e),
		.peer = &e->peer,
		.network = true,
	};

	return event_write(ctx, &h, event_closed_msg, event_closed_body,
	    (void *)(uintptr_t)e, out);
}

/* Metrics. */

static void
event_stats_body(void *arg, struct json *j)
{
	const struct event_peer_stats *e = arg;

	json_obj_open(j, "stats");
	json_str(j, "state", event_set(e->state) ? e->state : "Idle");
	if (e->state_age >= 0)
		json_uint(j, "state_age", (uint64_t)e->state_age);
	json_obj_open(j, "prefixes");
	json_uint(j, "ipv4_unicast", e->prefixes_ipv4);
	json_uint(j, "ipv6_unicast", e->prefixes_ipv6);
	json_uint(j, "total", e->prefixes_ipv4 + e->prefixes_ipv6);
	json_obj_close(j);
	json_uint(j, "updates", e->updates);
	json_uint(j, "announced", e->announced);
	json_uint(j, "withdrawn", e->withdrawn);
	json_uint(j, "treat_as_withdraw", e->treat_as_withdraw);
	json_uint(j, "attr_discard", e->attr_discard);
	json_uint(j, "established", e->established);
	if (e->last_update_age >= 0)
		json_uint(j, "last_update_age", (uint64_t)e->last_update_age);
	else
		json_null(j, "last_update_age");
	json_uint(j, "interval", e->interval);
	json_obj_close(j);
}

static void
event_stats_msg(void *arg, struct wbuf *m)
{
	const struct event_peer_stats *e = arg;

	event_msg_peer(m, &e->peer);
	wbuf_printf(m, " %s: %llu IPv4 and %llu IPv6 routes, %llu updates",
	    event_set(e->state) ? e->state : "Idle",
	    (unsigned long long)e->prefixes_ipv4,
	    (unsigned long long)e->prefixes_ipv6,
	    (unsigned long long)e->updates);
	if (e->last_update_age >= 0)
		wbuf_printf(m, ", last update %lld s ago",
		    (long long)e->last_update_age);
	else
		wbuf_printf(m, ", no update yet");
}

uint64_t
event_peer_stats(
    struct event_ctx *ctx, const struct event_peer_stats *e, struct wbuf *out)
{
	const struct event_hdr h = {
		.time = e->time,
		.kind = "metric",
		.category = "network",
		.type = { "info" },
		.action = "peer-stats",
		.level = EVENT_LEVEL_INFO,
		.peer = &e->peer,
		.network = true,
	};

	return event_write(ctx, &h, event_stats_msg, event_stats_body,
	    (void *)(uintptr_t)e, out);
}

/* The collector. */

static void
event_started_body(void *arg, struct json *j)
{
	const struct event_collector *e = arg;

	json_obj_open(j, "collector");
	json_str(j, "config", e->config != NULL ? e->config : "");
	json_uint(j, "local_as", e->local_as);
	if (event_set(e->router_id))
		json_str(j, "router_id", e->router_id);
	json_uint(j, "neighbors", e->neighbors);
	json_uint(j, "watches", e->watches);
	json_uint(j, "outputs", e->outputs);
	json_int(j, "pid", e->pid);
	json_obj_close(j);
}

static void
event_started_msg(void *arg, struct wbuf *m)
{
	const struct event_collector *e = arg;

	wbuf_printf(m,
	    "bgpwatch collector started: AS%u, neighbors %u, watches %u, "
	    "outputs %u",
	    e->local_as, e->neighbors, e->watches, e->outputs);
}

uint64_t
event_collector_started(
    struct event_ctx *ctx, const struct event_collector *e, struct wbuf *out)
{
	const struct event_hdr h = {
		.time = e->time,
		.kind = "state",
		.category = "process",
		.type = { "start" },
		.action = "collector-started",
		.level = EVENT_LEVEL_NOTICE,
	};

	return event_write(ctx, &h, event_started_msg, event_started_body,
	    (void *)(uintptr_t)e, out);
}

static void
event_reload_body(void *arg, struct json *j)
{
	const struct event_reload *e = arg;

	json_obj_open(j, "reload");
	json_str(j, "config", e->config != NULL ? e->config : "");
	json_bool(j, "ok", e->ok);
	if (!e->ok && event_set(e->error))
		json_str(j, "error", e->error);
	json_uint(j, "neighbors", e->neighbors);
	json_uint(j, "added", e->added);
	json_uint(j, "removed", e->removed);
	json_uint(j, "reset", e->reset);
	json_uint(j, "watches", e->watches);
	json_obj_close(j);
}

static void
event_reload_msg(void *arg, struct wbuf *m)
{
	const struct event_reload *e = arg;

	if (!e->ok) {
		wbuf_printf(m,
		    "configuration %s not reloaded, the running one stays",
		    e->config != NULL ? e->config : "");
		if (event_set(e->error))
			wbuf_printf(m, ": %s", e->error);
		return;
	}
	wbuf_printf(m,
	    "configuration %s reloaded: neighbors %u (added %u, removed %u, "
	    "reset %u), watches %u",
	    e->config != NULL ? e->config : "", e->neighbors, e->added,
	    e->removed, e->reset, e->watches);
}

uint64_t
event_config_reloaded(
    struct event_ctx *ctx, const struct event_reload *e, struct wbuf *out)
{
	const struct event_hdr h = {
		.time = e->time,
		.kind = "state",
		.category = "configuration",
		.type = { "change" },
		.action = "config-reloaded",
		.outcome = e->ok ? "success" : "failure",
		.reason = e->ok ? NULL : e->error,
		.level = e->ok ? EVENT_LEVEL_NOTICE : EVENT_LEVEL_ERROR,
	};

	return event_write(ctx, &h, event_reload_msg, event_reload_body,
	    (void *)(uintptr_t)e, out);
}

static void
event_gap_body(void *arg, struct json *j)
{
	const struct event_output_gap *e = arg;
	char ts[EVENT_TIME_STRLEN];

	json_obj_open(j, "output");
	json_str(j, "name", e->output);
	json_str(j, "type", e->type);
	json_uint(j, "dropped", e->dropped);
	json_uint(j, "first_sequence", e->first_seq);
	json_uint(j, "last_sequence", e->last_seq);
	json_str(j, "first_time", event_time_fmt(e->first_time, ts));
	json_str(j, "last_time", event_time_fmt(e->last_time, ts));
	json_obj_close(j);
}

static void
event_gap_msg(void *arg, struct wbuf *m)
{
	const struct event_output_gap *e = arg;

	wbuf_printf(m, "output %s dropped %llu events (sequence %llu-%llu): %s",
	    e->output, (unsigned long long)e->dropped,
	    (unsigned long long)e->first_seq, (unsigned long long)e->last_seq,
	    e->reason);
}

uint64_t
event_output_gap(
    struct event_ctx *ctx, const struct event_output_gap *e, struct wbuf *out)
{
	const struct event_hdr h = {
		.time = e->time,
		.kind = "state",
		.category = "process",
		.type = { "info" },
		.action = "output-gap",
		.reason = e->reason,
		.level = EVENT_LEVEL_ERROR,
	};

	return event_write(
	    ctx, &h, event_gap_msg, event_gap_body, (void *)(uintptr_t)e, out);
}
