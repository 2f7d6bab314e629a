/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * BGP sessions: one struct peer per configured neighbor, the RFC 4271 §8
 * finite state machine per TCP connection (with §6.8 collision detection),
 * framing, timers, NOTIFICATIONs, RFC 4724 graceful restart as receiving
 * speaker and max-prefix (RFC 4486). This header is also the seam for the
 * control socket: peers, their state, timers, counters and operations.
 *
 * Public: session_init(), session_reconf(), session_shutdown(),
 *         session_quiet(), session_free_all(), session_peers(),
 *         session_peer_find(), session_peer_find_str(), session_accept(),
 *         session_admin_down(), session_admin_up(), session_clear(),
 *         session_timer_left(), session_state_name(), session_event_name(),
 *         session_family_name(), session_conf().
 */
#ifndef BGPWATCH_SESSION_H
#define BGPWATCH_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>

#include "bgp.h"
#include "log.h"
#include "msg.h"
#include "open.h"

struct conf;
struct conf_neighbor;
struct conn;
struct event;
struct event_base;
struct rib;
struct pipeline_peer;

/* RFC 4271 §8.2.2 states. */
enum session_state {
	ST_IDLE = 1,
	ST_CONNECT,
	ST_ACTIVE,
	ST_OPENSENT,
	ST_OPENCONFIRM,
	ST_ESTABLISHED,
};

/* RFC 4271 §8.1 events bgpwatchd generates, numbered as in the RFC. */
enum session_event {
	EV_MANUAL_START = 1,
	EV_MANUAL_STOP = 2,
	EV_AUTOMATIC_START = 3,
	EV_CONNECT_RETRY_TIMER_EXPIRES = 9,
	EV_HOLD_TIMER_EXPIRES = 10,
	EV_KEEPALIVE_TIMER_EXPIRES = 11,
	EV_TCP_CR_ACKED = 16,
	EV_TCP_CONNECTION_CONFIRMED = 17,
	EV_TCP_CONNECTION_FAILS = 18,
	EV_BGP_OPEN = 19,
	EV_BGP_HEADER_ERR = 21,
	EV_BGP_OPEN_MSG_ERR = 22,
	EV_OPEN_COLLISION_DUMP = 23,
	EV_NOTIF_MSG_VER_ERR = 24,
	EV_NOTIF_MSG = 25,
	EV_KEEPALIVE_MSG = 26,
	EV_UPDATE_MSG = 27,
	EV_UPDATE_MSG_ERR = 28,
};

/* Timers a control client can show (session_timer_left()). */
enum session_timer {
	TIMER_HOLD, /* current connection's hold timer */
	TIMER_KEEPALIVE, /* next KEEPALIVE we send */
	TIMER_CONNECT_RETRY, /* next outgoing connection attempt */
	TIMER_IDLE, /* max-prefix restart (neighbor stays Idle) */
	TIMER_GR_RESTART, /* RFC 4724 §4.2 restart time of the peer */
	TIMER_GR_STALE, /* upper bound on keeping stale routes */
};

/* Counters since the daemon started (not reset by session flaps). */
struct peer_stats {
	uint64_t msg_in[BGP_MSG_ROUTE_REFRESH + 1]; /* by type; [0] unused */
	uint64_t msg_out[BGP_MSG_ROUTE_REFRESH + 1];
	uint64_t prefixes_announced; /* NLRI received, path by path */
	uint64_t prefixes_withdrawn;
	uint64_t treat_as_withdraw; /* UPDATEs, RFC 7606 §2 */
	uint64_t attr_discard; /* UPDATEs, RFC 7606 §2 */
	uint64_t afi_safi_disable; /* UPDATEs, RFC 7606 §2 */
	uint64_t ignored_family; /* NLRI of a family not negotiated */
	uint64_t established; /* transitions into Established */
	uint64_t drops; /* transitions out of Established */
	time_t last_update; /* wall clock of the last UPDATE */
	time_t last_read; /* wall clock of the last message */
};

/* The last NOTIFICATION sent or received, or why the session ended. */
struct peer_error {
	time_t when; /* wall clock; 0: nothing yet */
	bool sent; /* we sent it (else the peer did, or no NOTIFICATION) */
	bool notification;
	uint8_t code;
	uint8_t subcode;
	char shutdown[NOTIF_SHUTDOWN_MAX + 1]; /* RFC 9003 text, sanitised */
	char reason[256]; /* human-readable summary */
};

/*
 * What the established session negotiated (valid while Established and,
 * for the last session, afterwards). families etc. are bit masks of
 * 1 << enum sess_family.
 */
struct peer_nego {
	struct bgp_sess sess; /* as4, ext_msg, addpath_rx */
	uint32_t families; /* both sides advertised (RFC 4760) */
	uint32_t disabled; /* RFC 7606 §2 AFI/SAFI disable this session */
	uint32_t eor; /* End-of-RIB received (RFC 4724 §2) */
	uint16_t holdtime; /* min of both, 0: no hold timer */
	uint16_t keepalive; /* holdtime / 3 */
	bool route_refresh; /* RFC 2918 (peer advertised, so did we) */
	bool enhanced_rr; /* RFC 7313 */
	bool graceful; /* RFC 4724 receiving-speaker helper applies */
	bool gr_notification; /* RFC 8538 N bit on both sides */
};

/*
 * One configured neighbor. Owned by the session module; read-only for
 * everybody else. conf points into the running configuration and is
 * replaced on reload.
 */
struct peer {
	TAILQ_ENTRY(peer) entry;
	const struct conf_neighbor *conf;
	char name[64]; /* the neighbor address as text */

	enum session_state state; /* of the main connection */
	enum session_state prev_state;
	time_t state_since; /* monotonic seconds */
	time_t state_since_wall;
	struct conn *conn; /* main connection, NULL when none */
	struct conn *alt; /* second connection during §6.8 collision */

	struct rib *rib; /* Adj-RIB-In, owned by pp */
	struct pipeline_peer *pp; /* owns rib; the watch engine's view */
	struct peer_nego nego;
	struct open_params ours; /* the OPEN we send */
	struct open_msg open; /* last OPEN of an established session */
	bool has_open; /* open is valid */
	uint8_t *open_buf; /* open points into this copy */
	uint32_t remote_as; /* from that OPEN */
	uint32_t remote_id; /* host order */

	uint32_t stale; /* families with stale routes */
	bool admin_down; /* session_admin_down() */
	char admin_text[NOTIF_SHUTDOWN_MAX + 1];
	bool prefix_down; /* Idle after max-prefix (RFC 4486) */
	bool prefix_warned; /* warn-only limit logged */
	unsigned int retry_count; /* connect back-off exponent */

	struct event *retry_timer; /* connect retry / delayed start */
	struct event *idle_timer; /* max-prefix restart */
	struct event *gr_timer; /* RFC 4724 restart time */
	struct event *stale_timer; /* stale routes upper bound */

	struct peer_stats stats;
	struct peer_error last_error;
	struct log_rate rl_update; /* malformed UPDATE messages */
	struct log_rate rl_refuse; /* refused connections */
};
TAILQ_HEAD(peer_list, peer);

/*
 * Create a peer for every neighbor of c and start those not shut down.
 * c (with conf->router_id already decided) must outlive the sessions or be
 * replaced through session_reconf(). Call after rde_init().
 */
void session_init(struct event_base *base, const struct conf *c);
/* What session_reconf() did, for the config-reloaded event. */
struct session_reload {
	uint32_t neighbors; /* configured now */
	uint32_t added;
	uint32_t removed;
	uint32_t reset; /* established sessions reset by the change */
};

/*
 * Apply a new configuration (SIGHUP, control `reload`): start new
 * neighbors, stop removed ones (Cease 3, RFC 4486), reset changed ones when
 * conf_neighbor_needs_reset() says so or the OPEN would change (Cease 6),
 * update the rest in place. The caller frees the old configuration
 * afterwards; c must stay valid until the next reconf. What changed is
 * counted into *st (NULL: not wanted).
 */
void session_reconf(const struct conf *c, struct session_reload *st);
/* The configuration the sessions run with. */
const struct conf *session_conf(void);
/*
 * Stop every session for shutdown with Cease 2 and the RFC 9003 text,
 * without graceful restart. Connections linger to flush; poll
 * session_quiet() before leaving the event loop.
 */
void session_shutdown(const char *text);
/* True when no connection is open or still flushing. */
bool session_quiet(void);
/* Free every peer, connection and timer (after the loop ended). */
void session_free_all(void);

/* All peers, in configuration order. */
struct peer_list *session_peers(void);
/* The peer whose neighbor address is sa's address (port ignored). */
struct peer *session_peer_find(const struct sockaddr *sa);
/* The same from text ("192.0.2.1", "2001:db8::1"); NULL when unknown. */
struct peer *session_peer_find_str(const char *addr);

/*
 * Take an accepted TCP connection (non-blocking fd) from the listener.
 * Returns -1 when sa is no configured neighbor (the caller closes fd and
 * logs); otherwise 0 and fd is owned by the session, which may itself
 * refuse it (neighbor down), logging why.
 */
int session_accept(int fd, const struct sockaddr *sa, socklen_t salen);

/*
 * `neighbor X down "text"`: send Cease 2 (Administrative Shutdown) with the
 * RFC 9003 communication text (NULL or "" for none) on every connection,
 * withdraw the peer's routes and keep it Idle, refusing connections, until
 * session_admin_up().
 */
void session_admin_down(struct peer *p, const char *text);
/* Leave admin-down or max-prefix Idle and start the session again. */
void session_admin_up(struct peer *p);
/*
 * `clear neighbor X [soft]`. Soft: ask the peer to resend its routes with
 * ROUTE-REFRESH for every negotiated family (RFC 2918; RFC 7313 when
 * enhanced) and return 0, or -1 when not Established or the peer did not
 * advertise route refresh. Hard: Cease 4 (Administrative Reset), routes
 * withdrawn, max-prefix Idle ended, session restarted; returns 0.
 */
int session_clear(struct peer *p, bool soft);

/*
 * Seconds until timer t of p fires (rounded up), or -1 when it is not
 * running.
 */
long session_timer_left(const struct peer *p, enum session_timer t);
/* "Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established". */
const char *session_state_name(enum session_state s);
/* "ManualStart", "HoldTimer_Expires", ... (RFC 4271 §8.1 names). */
const char *session_event_name(enum session_event e);
/* "ipv4 unicast", "ipv6 unicast", ... for an enum sess_family. */
const char *session_family_name(int fam);

#endif
