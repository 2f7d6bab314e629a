/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The event lines: one compact JSON object per line in the Elastic Common
 * Schema envelope (@timestamp, log.level, message, ecs, event, observer,
 * source, network, related) with BGP specifics under "bgpwatch"
 * (contrib/schema/events.schema.json describes every line). Pure: no
 * clock, no randomness, no I/O; the caller passes the event time and the
 * run identity, and gets whole lines appended to a wbuf.
 *
 * Public: event_ctx_init(), event_ctx_set_hostname(), event_time_fmt(),
 *         event_ms_from_timespec(), event_level_name(), event_write(),
 *         event_watch(), event_session_established(),
 *         event_session_closed(), event_peer_stats(),
 *         event_collector_started(), event_config_reloaded(),
 *         event_output_gap().
 */
#ifndef BGPWATCH_EVENT_H
#define BGPWATCH_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "json.h"
#include "open.h"
#include "watch.h"
#include "wbuf.h"

#define EVENT_ECS_VERSION "8.11.0"
#define EVENT_SCHEMA_VERSION 1
#define EVENT_DATASET "bgpwatch.events"
#define EVENT_RUN_ID_LEN 24 /* hex digits */
#define EVENT_TIME_STRLEN 25 /* "2017-10-01T09:07:51.000Z" and NUL */
#define EVENT_MSG_MAX 4096 /* longest human message, bytes */

/* ECS log.level; the names are those of syslog(3). */
enum event_level {
	EVENT_LEVEL_INFO,
	EVENT_LEVEL_NOTICE,
	EVENT_LEVEL_WARNING,
	EVENT_LEVEL_ERROR,
};

/*
 * The writer's state for one daemon run: who writes (observer.*) and the
 * sequence counter. event.sequence counts from 1 and grows by one per line
 * written; event.id is "RUNID-SEQUENCE" with RUNID 24 hex digits: 12 of the
 * start time in milliseconds and 12 of caller-supplied randomness, so ids
 * are unique across runs and collectors and sort by run start.
 */
struct event_ctx {
	char hostname[256];
	char version[32];
	char run_id[EVENT_RUN_ID_LEN + 1];
	uint64_t seq; /* the last sequence number given out; 0: none yet */
	/* "observer" rendered once (again when the hostname changes). */
	char observer[400];
	size_t observer_len;
	struct watch_jmemo jmemo; /* "attributes" of recent sets */
};

/* A neighbor as the lines show it (bgpwatch.peer, source.*). */
struct event_peer {
	const char *ip; /* text form */
	uint32_t as;
	const char *bgp_id; /* dotted quad; NULL or "" while unknown */
	const char *description; /* NULL or "" for none */
};

/* The envelope of one line; see event_write(). */
struct event_hdr {
	int64_t time; /* event clock, milliseconds since the epoch */
	const char *kind; /* event.kind: "event", "alert", "state", "metric" */
	const char *category; /* event.category (one value) */
	const char *type[2]; /* event.type, one or two values (NULL: none) */
	const char *action; /* event.action */
	const char *outcome; /* event.outcome or NULL */
	const char *reason; /* event.reason or NULL */
	enum event_level level;
	const struct event_peer *peer; /* NULL: the line is not about one */
	const char *related[2]; /* more related.ip beside the peer's */
	bool network; /* network.protocol "bgp" */
};

/* Writes the human message (no NUL needed) for event_write(). */
typedef void (*event_msg_cb)(void *arg, struct wbuf *msg);
/* Writes the family's keys into the open "bgpwatch" object. */
typedef void (*event_body_cb)(void *arg, struct json *j);

/* session-established: the negotiated session and the peer's OPEN. */
struct event_session_established {
	int64_t time;
	struct event_peer peer;
	const char *previous_state; /* "OpenConfirm" (RFC 4271 §8.2.2) */
	const struct open_msg *open; /* what the peer sent, or NULL */
	uint16_t hold_time; /* negotiated; 0: no hold timer */
	uint16_t keepalive;
	uint32_t families; /* negotiated, bits 1 << enum sess_family */
	uint32_t addpath_rx; /* families with RFC 7911 path ids */
	bool as4; /* RFC 6793 */
	bool ext_msg; /* RFC 8654 */
	bool route_refresh; /* RFC 2918 */
	bool enhanced_rr; /* RFC 7313 */
	bool graceful_restart; /* RFC 4724 helper mode applies */
	const char *local_ip; /* our end of the connection, or NULL */
	uint16_t local_port;
	uint16_t remote_port;
};

/* session-closed: why a session left Established (or never got there). */
struct event_session_closed {
	int64_t time;
	struct event_peer peer;
	const char *state; /* the state now, normally "Idle" */
	const char *previous_state;
	const char *fsm_event; /* RFC 4271 §8.1 event name, or NULL */
	const char *reason; /* one-line summary: event.reason */
	bool notification; /* a NOTIFICATION was sent or received */
	bool sent; /* ... by us */
	uint8_t code;
	uint8_t subcode;
	const char *shutdown; /* RFC 9003 communication, or NULL */
	int64_t uptime; /* seconds established, -1: was not */
	bool stale_kept; /* RFC 4724: routes kept as stale */
	uint64_t routes; /* routes held when it closed */
};

/* peer-stats: a periodic metric line per neighbor. */
struct event_peer_stats {
	int64_t time;
	struct event_peer peer;
	const char *state; /* "Established", "Idle", ... */
	int64_t state_age; /* seconds in that state, -1: unknown */
	uint64_t prefixes_ipv4; /* Adj-RIB-In routes, path by path */
	uint64_t prefixes_ipv6;
	uint64_t updates; /* UPDATE messages received since start */
	uint64_t announced; /* NLRI announced */
	uint64_t withdrawn; /* NLRI withdrawn */
	uint64_t treat_as_withdraw; /* UPDATEs, RFC 7606 §2 */
	uint64_t attr_discard; /* UPDATEs, RFC 7606 §2 */
	uint64_t established; /* transitions into Established */
	int64_t last_update_age; /* seconds since the last UPDATE, -1: none */
	uint32_t interval; /* seconds between two peer-stats lines */
};

/* collector-started. */
struct event_collector {
	int64_t time;
	const char *config; /* path of the configuration file */
	uint32_t local_as;
	const char *router_id;
	uint32_t neighbors;
	uint32_t watches;
	uint32_t outputs;
	int64_t pid;
};

/* config-reloaded, successful or not (event.outcome). */
struct event_reload {
	int64_t time;
	const char *config;
	bool ok;
	const char *error; /* the first problem when !ok, else NULL */
	uint32_t neighbors; /* configured after the reload */
	uint32_t added;
	uint32_t removed;
	uint32_t reset; /* sessions reset by the change */
	uint32_t watches;
};

/* output-gap: an output dropped events (sequence first_seq..last_seq). */
struct event_output_gap {
	int64_t time;
	const char *output; /* its name, e.g. "tls:logstash.example:5044" */
	const char *type; /* "file", "stdout", "tcp" or "tls" */
	const char *reason; /* "queue-full" or "spool-full" */
	uint64_t dropped;
	uint64_t first_seq;
	uint64_t last_seq;
	int64_t first_time; /* ms, when the first one was dropped */
	int64_t last_time;
};

/*
 * Set up ctx for a run that started at start_ms (milliseconds since the
 * epoch) with rnd from a random source (arc4random(3), say): hostname
 * and version are copied (truncated to fit), the run id is formed and the
 * sequence starts over.
 */
void event_ctx_init(struct event_ctx *ctx, const char *hostname,
    const char *version, int64_t start_ms, uint64_t rnd);

/*
 * The observer.hostname of the lines written from now on (a reload of
 * observer-name); the run id and the sequence go on.
 */
void event_ctx_set_hostname(struct event_ctx *ctx, const char *hostname);

/*
 * Format ms (milliseconds since the epoch, may be negative) as RFC 3339
 * UTC with exactly three fraction digits into buf (EVENT_TIME_STRLEN
 * bytes): "2017-10-01T09:07:51.000Z". Times before year 0 or after 9999,
 * which RFC 3339 cannot write, are clamped to its first or last
 * millisecond. Returns buf.
 */
char *event_time_fmt(int64_t ms, char *buf);
/*
 * A timespec as milliseconds since the epoch, rounded down (toward the
 * past), so a line never carries a time later than the event.
 */
int64_t event_ms_from_timespec(const struct timespec *ts);
/* "info", "notice", "warning", "error". */
const char *event_level_name(enum event_level l);

/*
 * Append one line (the object and '\n') to out: the envelope from h and
 * ctx with the next sequence number, message from msg(arg, ...) (NULL:
 * the action), then "bgpwatch" with schema_version, the peer when
 * h->peer is set, and whatever body(arg, ...) writes (NULL: nothing).
 * Returns the sequence number given to the line, or 0 when the line could
 * not be written (out full, misuse by body): then out holds what it held
 * before and no sequence number was used.
 */
uint64_t event_write(struct event_ctx *ctx, const struct event_hdr *h,
    event_msg_cb msg, event_body_cb body, void *arg, struct wbuf *out);

/*
 * A watch event (route change, alert, baseline, rib-synced) as a line:
 * kind, action, level, reason, message and bgpwatch.* from lib/watch. As
 * event_write().
 */
uint64_t event_watch(
    struct event_ctx *ctx, const struct watch_event *ev, struct wbuf *out);
/* The session-level lines, as event_write(). */
uint64_t event_session_established(struct event_ctx *ctx,
    const struct event_session_established *e, struct wbuf *out);
uint64_t event_session_closed(struct event_ctx *ctx,
    const struct event_session_closed *e, struct wbuf *out);
uint64_t event_peer_stats(
    struct event_ctx *ctx, const struct event_peer_stats *e, struct wbuf *out);
/* The collector-level lines, as event_write(). */
uint64_t event_collector_started(
    struct event_ctx *ctx, const struct event_collector *e, struct wbuf *out);
uint64_t event_config_reloaded(
    struct event_ctx *ctx, const struct event_reload *e, struct wbuf *out);
uint64_t event_output_gap(
    struct event_ctx *ctx, const struct event_output_gap *e, struct wbuf *out);

#endif
