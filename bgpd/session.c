/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * BGP sessions; see session.h. Each TCP connection runs its own RFC 4271
 * §8 FSM (struct conn); a peer has a main connection and, during a §6.8
 * collision, a second one. A connection that ends is detached from its
 * peer at once and lingers only to flush a NOTIFICATION; it is freed from
 * a deferred event, never inside one of its own callbacks. Sessions that
 * come up or go down are written as event lines through bgpd/emit.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "conf.h"
#include "emit.h"
#include "listen.h"
#include "log.h"
#include "mrtdump.h"
#include "mrtupd.h"
#include "rde.h"
#include "session.h"
#include "update.h"
#include "wbuf.h"

/* RFC 4271 §8: "a large value" for the hold timer in OpenSent. */
#define SESSION_OPENSENT_HOLD 240
/* Connect back-off never waits longer than this (unless the base does). */
#define SESSION_RETRY_MAX 300
/* RFC 4724 §4.2 allows an upper bound on keeping stale routes. */
#define SESSION_STALE_TIME 360
/* How long a closed connection may take to flush its NOTIFICATION. */
#define SESSION_LINGER_SEC 3
/*
 * Octets an Established session may buffer unread, and read in one go: a
 * full table arrives in large reads (fewer wakeups, window updates and
 * ACKs), and a peer can never make us hold more than this.
 */
#define SESSION_READ_BUF (256 * 1024)
/* We send OPEN, KEEPALIVE, NOTIFICATION and EoR only: this is plenty. */
#define SESSION_OUTBUF_MAX (64 * 1024)

/* How a connection ended, which decides graceful restart (RFC 4724). */
enum conn_end {
	END_TCP, /* transport lost, no NOTIFICATION */
	END_NOTIF_RCVD, /* the peer sent a NOTIFICATION */
	END_NOTIF_SENT, /* we sent one because of an error */
	END_STOP, /* stopped on purpose (admin, config): no GR */
	END_MAX_PREFIX, /* RFC 4486 prefix limit: no GR */
	END_COLLISION, /* lost a §6.8 collision: the other one goes on */
};

struct conn {
	TAILQ_ENTRY(conn) entry; /* conns or conns_dead */
	struct peer *peer; /* NULL once detached */
	struct bufferevent *bev;
	enum session_state state;
	bool outgoing;
	bool dead;
	bool wr_shut;
	bool notified; /* we sent a NOTIFICATION on it */
	unsigned int id;
	uint16_t port;
	size_t rlowat; /* read low-watermark last set */
	struct event *hold_timer;
	struct event *ka_timer;
	struct event *linger_timer;
	uint16_t holdtime;
	uint16_t keepalive;
	struct bgp_sess sess;
	uint8_t rcvd_code; /* NOTIFICATION received, for EV_NOTIF_MSG */
	uint8_t rcvd_subcode;
	char why[400]; /* reason carried by the event being handled */
	struct open_msg open; /* the peer's OPEN on this connection */
	uint8_t *open_buf; /* open points into this copy */
	bool has_open;
};
TAILQ_HEAD(conn_list, conn);

static struct event_base *session_base;
static const struct conf *session_cf;
static struct peer_list peers = TAILQ_HEAD_INITIALIZER(peers);
static struct conn_list conns = TAILQ_HEAD_INITIALIZER(conns);
static struct conn_list conns_dead = TAILQ_HEAD_INITIALIZER(conns_dead);
static struct event *session_reaper;
static unsigned int conn_next_id;
static unsigned int session_opensent_hold = SESSION_OPENSENT_HOLD;
static bool session_quitting;

static void
conn_close(struct conn *, enum conn_end, uint8_t, uint8_t, const char *);
static void fsm_event(struct conn *, enum session_event);
static void peer_start(struct peer *, const char *);

/* Names ------------------------------------------------------------- */

const char *
session_state_name(enum session_state s)
{
	switch (s) {
	case ST_IDLE:
		return "Idle";
	case ST_CONNECT:
		return "Connect";
	case ST_ACTIVE:
		return "Active";
	case ST_OPENSENT:
		return "OpenSent";
	case ST_OPENCONFIRM:
		return "OpenConfirm";
	case ST_ESTABLISHED:
		return "Established";
	}
	return "unknown";
}

const char *
session_event_name(enum session_event e)
{
	switch (e) {
	case EV_MANUAL_START:
		return "ManualStart";
	case EV_MANUAL_STOP:
		return "ManualStop";
	case EV_AUTOMATIC_START:
		return "AutomaticStart";
	case EV_CONNECT_RETRY_TIMER_EXPIRES:
		return "ConnectRetryTimer_Expires";
	case EV_HOLD_TIMER_EXPIRES:
		return "HoldTimer_Expires";
	case EV_KEEPALIVE_TIMER_EXPIRES:
		return "KeepaliveTimer_Expires";
	case EV_TCP_CR_ACKED:
		return "Tcp_CR_Acked";
	case EV_TCP_CONNECTION_CONFIRMED:
		return "TcpConnectionConfirmed";
	case EV_TCP_CONNECTION_FAILS:
		return "TcpConnectionFails";
	case EV_BGP_OPEN:
		return "BGPOpen";
	case EV_BGP_HEADER_ERR:
		return "BGPHeaderErr";
	case EV_BGP_OPEN_MSG_ERR:
		return "BGPOpenMsgErr";
	case EV_OPEN_COLLISION_DUMP:
		return "OpenCollisionDump";
	case EV_NOTIF_MSG_VER_ERR:
		return "NotifMsgVerErr";
	case EV_NOTIF_MSG:
		return "NotifMsg";
	case EV_KEEPALIVE_MSG:
		return "KeepAliveMsg";
	case EV_UPDATE_MSG:
		return "UpdateMsg";
	case EV_UPDATE_MSG_ERR:
		return "UpdateMsgErr";
	}
	return "unknown";
}

const char *
session_family_name(int fam)
{
	switch (fam) {
	case FAM_IPV4_UNICAST:
		return "ipv4 unicast";
	case FAM_IPV6_UNICAST:
		return "ipv6 unicast";
	case FAM_IPV4_MULTICAST:
		return "ipv4 multicast";
	case FAM_IPV6_MULTICAST:
		return "ipv6 multicast";
	}
	return "unknown family";
}

/* Small helpers ----------------------------------------------------- */

static time_t
session_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* RFC 4271 §10: timers are jittered by a factor in [0.75, 1.0]. */
static struct timeval
session_jitter(unsigned int sec)
{
	uint64_t ms = (uint64_t)sec * 1000;
	struct timeval tv;

	ms = ms * (750 + arc4random_uniform(251)) / 1000;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	return tv;
}

static void
session_timer_set(struct event *ev, unsigned int sec)
{
	struct timeval tv = { (time_t)sec, 0 };

	if (evtimer_add(ev, &tv) == -1)
		fatalx("%s: evtimer_add failed", __func__);
}

static struct event *
session_timer_new(event_callback_fn cb, void *arg)
{
	struct event *ev;

	if ((ev = evtimer_new(session_base, cb, arg)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
	return ev;
}

/* Copy a peer-supplied string for logging: printable ASCII or '?'. */
static void
session_sanitise(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t i, n = len < size - 1 ? len : size - 1;

	for (i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
}

static bool
peer_is_down(const struct peer *p)
{
	return p->admin_down || p->prefix_down || p->conf->shutdown ||
	    session_quitting;
}

static uint16_t
peer_holdtime(const struct peer *p)
{
	/*
	 * The parser folds the global hold-time into every neighbor, so 0
	 * here is an explicit "hold-time 0": no KEEPALIVEs (RFC 4271 §4.2).
	 */
	return p->conf->holdtime;
}

/* State ------------------------------------------------------------- */

static void
peer_set_state(struct peer *p, enum session_state st, const char *why)
{
	if (p->state == st)
		return;
	log_info("neighbor %s: %s -> %s: %s", p->name,
	    session_state_name(p->state), session_state_name(st), why);
	mrtupd_state(
	    p, p->conn != NULL ? bufferevent_getfd(p->conn->bev) : -1, st);
	p->prev_state = p->state;
	p->state = st;
	p->state_since = session_mono();
	p->state_since_wall = time(NULL);
}

/* A connection's state; the peer's follows its main connection. */
static void
conn_set_state(struct conn *c, enum session_state st, const char *why)
{
	struct peer *p = c->peer;

	if (c == p->conn) {
		c->state = st;
		peer_set_state(p, st, why);
		return;
	}
	log_info("neighbor %s: second connection (%s port %u): %s -> %s: %s",
	    p->name, c->outgoing ? "outgoing" : "incoming", c->port,
	    session_state_name(c->state), session_state_name(st), why);
	c->state = st;
}

/* What we put in our OPEN, from the configuration. */
static void
peer_params(struct peer *p)
{
	const struct conf_neighbor *n = p->conf;
	struct open_params *o = &p->ours;

	memset(o, 0, sizeof(*o));
	o->local_as = session_cf->local_as;
	o->bgp_id = session_cf->router_id;
	o->holdtime = peer_holdtime(p);
	o->ipv4_unicast = (n->families & CONF_FAM_IPV4_UNICAST) != 0;
	o->ipv6_unicast = (n->families & CONF_FAM_IPV6_UNICAST) != 0;
	o->addpath_recv = n->addpath_recv;
	o->ext_msg = n->ext_msg;
	o->route_refresh = n->route_refresh;
	o->graceful_restart = n->graceful_restart;
	o->gr_time = n->gr_restart_time;
	/* RFC 8950: IPv4 routes with IPv6 next hops are stored as sent. */
	o->extended_nexthop = o->ipv4_unicast;
	o->has_role = n->has_role;
	o->role = n->role;
	o->hostname =
	    session_cf->hostname[0] != '\0' ? session_cf->hostname : NULL;
}

/* Connections: creation, sending, teardown ---------------------------- */

static void conn_read_cb(struct bufferevent *, void *);
static void conn_event_cb(struct bufferevent *, short, void *);
static void conn_hold_cb(evutil_socket_t, short, void *);
static void conn_ka_cb(evutil_socket_t, short, void *);

static uint16_t
conn_sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static struct conn *
conn_new(struct peer *p, int fd, bool outgoing, uint16_t port)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->peer = p;
	c->outgoing = outgoing;
	c->port = port;
	c->id = ++conn_next_id;
	c->state = outgoing ? ST_CONNECT : ST_ACTIVE;
	c->bev = bufferevent_socket_new(
	    session_base, fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (c->bev == NULL)
		fatalx("%s: bufferevent_socket_new failed", __func__);
	c->hold_timer = session_timer_new(conn_hold_cb, c);
	c->ka_timer = session_timer_new(conn_ka_cb, c);
	bufferevent_setcb(c->bev, conn_read_cb, NULL, conn_event_cb, c);
	/*
	 * Until Established, read at most one message beyond what is
	 * buffered (RFC 4271 §4.1); conn_established() widens it.
	 */
	c->rlowat = BGP_HDR_LEN;
	bufferevent_setwatermark(c->bev, EV_READ, BGP_HDR_LEN, BGP_MAX_LEN);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	return c;
}

static void
session_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c;

	while ((c = TAILQ_FIRST(&conns_dead)) != NULL) {
		TAILQ_REMOVE(&conns_dead, c, entry);
		bufferevent_free(c->bev); /* closes the socket */
		event_free(c->hold_timer);
		event_free(c->ka_timer);
		if (c->linger_timer != NULL)
			event_free(c->linger_timer);
		free(c->open_buf);
		free(c);
	}
}

/* Free c soon, from the event loop (never inside its own callback). */
static void
conn_reap(struct conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	bufferevent_disable(c->bev, EV_READ | EV_WRITE);
	TAILQ_REMOVE(&conns, c, entry);
	TAILQ_INSERT_TAIL(&conns_dead, c, entry);
	event_active(session_reaper, EV_TIMEOUT, 0);
}

static void
conn_linger_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);

	evbuffer_drain(in, evbuffer_get_length(in));
}

/* Our NOTIFICATION is out: half-close, wait for the peer's FIN. */
static void
conn_linger_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (c->wr_shut || evbuffer_get_length(bufferevent_get_output(bev)) > 0)
		return;
	c->wr_shut = true;
	shutdown(bufferevent_getfd(bev), SHUT_WR);
}

static void
conn_linger_event_cb(struct bufferevent *bev, short what, void *arg)
{
	conn_reap(arg);
}

static void
conn_linger_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	conn_reap(arg);
}

/*
 * Detached connection: flush what is queued (a NOTIFICATION), then close
 * after the peer's FIN or SESSION_LINGER_SEC. Reading on until the FIN
 * keeps the kernel from answering unread data with a RST that could
 * destroy the NOTIFICATION in flight.
 */
static void
conn_linger(struct conn *c, bool flush)
{
	evtimer_del(c->hold_timer);
	evtimer_del(c->ka_timer);
	if (!flush) {
		conn_reap(c);
		return;
	}
	c->linger_timer = session_timer_new(conn_linger_timeout_cb, c);
	session_timer_set(c->linger_timer, SESSION_LINGER_SEC);
	bufferevent_setcb(c->bev, conn_linger_read_cb, conn_linger_write_cb,
	    conn_linger_event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, BGP_MAX_LEN);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	conn_linger_write_cb(c->bev, c);
}

/* Remove c from its peer's slots (timers stop; no state change). */
static void
conn_detach(struct conn *c)
{
	struct peer *p = c->peer;

	if (p == NULL)
		return;
	if (p->conn == c)
		p->conn = NULL;
	if (p->alt == c)
		p->alt = NULL;
	c->peer = NULL;
	evtimer_del(c->hold_timer);
	evtimer_del(c->ka_timer);
}

/* Queue one encoded message; false when the output is over its bound. */
static bool
conn_send(struct conn *c, struct wbuf *w, uint8_t type)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	if (wbuf_error(w))
		fatalx("%s: cannot encode a %s message", __func__,
		    msg_type_name(type));
	if (bufferevent_write(c->bev, wbuf_data(w), wbuf_len(w)) == -1)
		fatalx("%s: bufferevent_write failed", __func__);
	if (c->peer != NULL)
		c->peer->stats.msg_out[type]++;
	return evbuffer_get_length(out) <= SESSION_OUTBUF_MAX;
}

static void
conn_send_open(struct conn *c)
{
	uint8_t buf[BGP_MAX_LEN];
	struct wbuf w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	open_encode(&w, &c->peer->ours);
	conn_send(c, &w, BGP_MSG_OPEN);
}

static bool
conn_send_keepalive(struct conn *c)
{
	uint8_t buf[BGP_KEEPALIVE_LEN];
	struct wbuf w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	msg_encode_keepalive(&w);
	return conn_send(c, &w, BGP_MSG_KEEPALIVE);
}

/* Remember the NOTIFICATION for `show neighbor`. */
static void
peer_note_error(struct peer *p, bool sent, uint8_t code, uint8_t subcode,
    const char *shutdown, const char *reason)
{
	struct peer_error *e = &p->last_error;

	memset(e, 0, sizeof(*e));
	e->when = time(NULL);
	e->sent = sent;
	e->notification = true;
	e->code = code;
	e->subcode = subcode;
	if (shutdown != NULL)
		session_sanitise(e->shutdown, sizeof(e->shutdown),
		    (const uint8_t *)shutdown, strlen(shutdown));
	snprintf(e->reason, sizeof(e->reason), "%s", reason);
}

/*
 * Send a NOTIFICATION (RFC 4271 §6) on c and close it: code/subcode, data,
 * and for Cease 2/4 the RFC 9003 shutdown text. reason is for the log.
 */
static void
conn_notify(struct conn *c, uint8_t code, uint8_t subcode, const void *data,
    size_t datalen, const char *text, const char *reason, enum conn_end end)
{
	struct peer *p = c->peer;
	uint8_t buf[BGP_MAX_LEN];
	char hex[64];
	struct wbuf w;

	if (p == NULL)
		return;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	msg_encode_notification(&w, code, subcode, data, datalen, text);
	conn_send(c, &w, BGP_MSG_NOTIFICATION);
	c->notified = true;
	log_warnx("neighbor %s: sent NOTIFICATION %u/%u (%s)%s%s%s%s: %s",
	    p->name, code, subcode, notif_name(code, subcode),
	    datalen > 0 ? " data " : "",
	    datalen > 0 ? log_hex(data, datalen, hex, sizeof(hex)) : "",
	    text != NULL && *text != '\0' ? ", shutdown communication: " : "",
	    text != NULL ? text : "", reason);
	if (c == p->conn)
		peer_note_error(p, true, code, subcode, text, reason);
	conn_close(c, end, code, subcode, reason);
}

/* RFC 6608: an unexpected message in OpenSent, OpenConfirm, Established. */
static void
conn_fsm_error(struct conn *c, uint8_t type)
{
	uint8_t sub, data = type;
	char why[96];

	sub = c->state == ST_OPENSENT ? 1 : c->state == ST_OPENCONFIRM ? 2 : 3;
	snprintf(why, sizeof(why), "unexpected %s in %s",
	    msg_type_name(type) != NULL ? msg_type_name(type) : "message",
	    session_state_name(c->state));
	conn_notify(c, BGP_ERR_FSM, sub, &data, 1, NULL, why, END_NOTIF_SENT);
}

static void
conn_hold_restart(struct conn *c)
{
	if (c->holdtime == 0) /* RFC 4271 §4.2: no hold timer */
		evtimer_del(c->hold_timer);
	else
		session_timer_set(c->hold_timer, c->holdtime);
}

static void
conn_ka_start(struct conn *c)
{
	struct timeval tv;

	if (c->keepalive == 0) {
		evtimer_del(c->ka_timer);
		return;
	}
	tv = session_jitter(c->keepalive);
	if (evtimer_add(c->ka_timer, &tv) == -1)
		fatalx("%s: evtimer_add failed", __func__);
}

/* Session end, graceful restart, restarts ----------------------------- */

/*
 * How the established session of p ends. RFC 4724 §4.2: when the peer
 * advertised Graceful Restart and the transport simply went away, its
 * routes stay, marked stale, for the restart time it advertised. After a
 * NOTIFICATION that holds only with the RFC 8538 N bit on both sides (and
 * never for Cease/Hard Reset, §3); a stop we chose always withdraws.
 */
static bool
peer_end_graceful(const struct peer *p, enum conn_end end, uint8_t code,
    uint8_t subcode, enum rib_reason *reason)
{
	*reason = RIB_R_SESSION_DOWN;
	switch (end) {
	case END_TCP:
	case END_COLLISION:
		return p->nego.graceful;
	case END_NOTIF_RCVD:
	case END_NOTIF_SENT:
		return p->nego.graceful && p->nego.gr_notification &&
		    !(code == BGP_ERR_CEASE && subcode == BGP_CEASE_HARD_RESET);
	case END_MAX_PREFIX:
		*reason = RIB_R_MAX_PREFIX;
		return false;
	case END_STOP:
		break;
	}
	return false;
}

/*
 * The routes of the established session of p, which ended as
 * peer_end_graceful() said: kept as stale for the restart time (none
 * when it is 0), or withdrawn with reason.
 */
static void
peer_session_ended(struct peer *p, bool graceful, enum rib_reason reason)
{
	p->stats.drops++;
	if (session_quitting)
		return; /* the RIB goes with the process */
	evtimer_del(p->stale_timer);
	rde_session_down(p, graceful, reason);
	if (p->stale == 0)
		return;
	if (p->open.gr_time == 0) {
		rde_flush_stale(p, p->stale, "restart time 0 (RFC 4724 §4.2)");
		return;
	}
	session_timer_set(p->gr_timer, p->open.gr_time);
	log_info("neighbor %s: graceful restart: stale routes kept for up "
	         "to %u s (RFC 4724 §4.2)",
	    p->name, p->open.gr_time);
}

static void
peer_retry_schedule(struct peer *p)
{
	unsigned int base = session_cf->connect_retry, cap, sec;
	unsigned int shift = p->retry_count < 5 ? p->retry_count : 5;
	struct timeval tv;

	/* Exponential back-off from the connect-retry time, capped. */
	cap = base > SESSION_RETRY_MAX ? base : SESSION_RETRY_MAX;
	sec = base << shift;
	if (sec > cap)
		sec = cap;
	p->retry_count++;
	tv = session_jitter(sec);
	if (evtimer_add(p->retry_timer, &tv) == -1)
		fatalx("%s: evtimer_add failed", __func__);
	log_debug("neighbor %s: next connection attempt in %ld s", p->name,
	    (long)tv.tv_sec);
}

/* Wait for the peer (Active) and, unless passive, dial it later. */
static void
peer_wait(struct peer *p, const char *why)
{
	if (peer_is_down(p)) {
		peer_set_state(p, ST_IDLE, why);
		return;
	}
	peer_set_state(p, ST_ACTIVE, why);
	if (!p->conf->passive && !evtimer_pending(p->retry_timer, NULL))
		peer_retry_schedule(p);
}

/*
 * session-closed: the main connection of p, in state cst, ended for why;
 * p->last_error holds the NOTIFICATION, if any, and kept routes stay as
 * stale (RFC 4724 §4.2). It comes before the withdrawals it causes.
 */
static void
peer_emit_closed(struct peer *p, enum session_state cst, const char *why,
    bool stale, uint64_t routes)
{
	struct event_session_closed e;
	const struct peer_error *le = &p->last_error;
	char id[EMIT_ID_STRLEN];

	memset(&e, 0, sizeof(e));
	e.time = emit_now();
	emit_peer(p, &e.peer, id);
	if (p->alt != NULL && !peer_is_down(p))
		e.state = session_state_name(p->alt->state);
	else
		e.state =
		    session_state_name(peer_is_down(p) ? ST_IDLE : ST_ACTIVE);
	e.previous_state = session_state_name(cst);
	e.reason = why;
	e.notification = le->notification;
	e.sent = le->sent;
	e.code = le->code;
	e.subcode = le->subcode;
	e.shutdown = le->shutdown[0] != '\0' ? le->shutdown : NULL;
	e.uptime = cst == ST_ESTABLISHED
	    ? (int64_t)(session_mono() - p->state_since)
	    : -1;
	e.stale_kept = stale;
	e.routes = routes;
	emit_session_closed(&e);
}

/*
 * c, a connection of p, ended: detach it, end the session if it was the
 * established one, and let a second connection take over or wait.
 */
static void
peer_conn_lost(struct peer *p, struct conn *c, enum conn_end end, uint8_t code,
    uint8_t subcode, const char *why)
{
	bool was_main = c == p->conn;
	bool was_established = c->state == ST_ESTABLISHED;
	enum session_state cst = c->state;
	enum rib_reason reason;
	uint64_t kept;
	bool graceful;
	bool notified = c->notified || end == END_NOTIF_RCVD;

	conn_detach(c);
	if (!was_main) {
		log_info("neighbor %s: second connection (%s port %u) closed: "
		         "%s",
		    p->name, c->outgoing ? "outgoing" : "incoming", c->port,
		    why);
		return;
	}
	if (!c->notified && end != END_NOTIF_RCVD) { /* no NOTIFICATION */
		memset(&p->last_error, 0, sizeof(p->last_error));
		p->last_error.when = time(NULL);
		snprintf(p->last_error.reason, sizeof(p->last_error.reason),
		    "%s", why);
	}
	if (was_established) {
		graceful = peer_end_graceful(p, end, code, subcode, &reason);
		if (session_quitting) /* nothing is withdrawn */
			peer_emit_closed(
			    p, cst, why, p->stale != 0, rde_paths(p));
		else {
			kept = graceful && p->open.gr_time != 0
			    ? rde_session_kept(p, true)
			    : 0;
			peer_emit_closed(p, cst, why, kept > 0, kept);
		}
		peer_session_ended(p, graceful, reason);
	} else if (notified) /* stale routes of an earlier session stay */
		peer_emit_closed(p, cst, why, p->stale != 0, rde_paths(p));
	if (p->alt != NULL && !peer_is_down(p)) {
		p->conn = p->alt;
		p->alt = NULL;
		peer_set_state(p, p->conn->state, "second connection goes on");
		return;
	}
	if (p->alt != NULL) /* peer_stop() closes it first; never leak it */
		conn_close(p->alt, END_STOP, 0, 0, why);
	peer_wait(p, why);
}

static void
conn_close(struct conn *c, enum conn_end end, uint8_t code, uint8_t subcode,
    const char *why)
{
	struct peer *p = c->peer;

	if (p == NULL)
		return;
	peer_conn_lost(p, c, end, code, subcode, why);
	conn_linger(c, evbuffer_get_length(bufferevent_get_output(c->bev)) > 0);
}

/* Stop one connection of a peer being stopped: Cease if BGP runs on it. */
static void
conn_stop(struct conn *c, uint8_t subcode, const void *data, size_t datalen,
    const char *text, const char *why, enum conn_end end)
{
	if (c->state == ST_CONNECT || c->state == ST_ACTIVE)
		conn_close(c, end, 0, 0, why);
	else
		conn_notify(
		    c, BGP_ERR_CEASE, subcode, data, datalen, text, why, end);
}

/*
 * Stop p's connections with Cease subcode (RFC 4486) and withdraw its
 * routes, stale ones included. The peer ends Idle when it is down (admin,
 * max-prefix, shutdown), else Active, ready to be started again.
 */
static void
peer_stop(struct peer *p, uint8_t subcode, const void *data, size_t datalen,
    const char *text, const char *why, enum conn_end end)
{
	evtimer_del(p->retry_timer);
	if (p->alt != NULL)
		conn_stop(p->alt, subcode, NULL, 0, text, why, end);
	if (p->conn != NULL)
		conn_stop(p->conn, subcode, data, datalen, text, why, end);
	evtimer_del(p->gr_timer);
	evtimer_del(p->stale_timer);
	if (!session_quitting)
		rde_flush(p,
		    end == END_MAX_PREFIX ? RIB_R_MAX_PREFIX
		                          : RIB_R_SESSION_DOWN);
	p->stale = 0;
	if (peer_is_down(p))
		peer_set_state(p, ST_IDLE, why);
}

/* Sockets ------------------------------------------------------------- */

/* Defaults, RFC 2385 key and RFC 5082 GTSM on a session socket. */
static int
session_sockopts(struct peer *p, int fd, bool outgoing)
{
	const struct conf_neighbor *n = p->conf;
	const struct sockaddr *sa = (const struct sockaddr *)&n->addr;

	if (listen_set_defaults(fd, sa->sa_family) == -1)
		log_warn("neighbor %s: TCP_NODELAY or DSCP", p->name);
	/* Accepted sockets inherit the key from the listener. */
	if (outgoing && n->md5[0] != '\0' &&
	    listen_set_md5(fd, sa, n->md5) == -1) {
		log_warn("neighbor %s: TCP MD5 key", p->name);
		return -1;
	}
	/* Accepted sockets inherit TTL 255 from the listener: reset it. */
	if ((n->ttl_security || !outgoing) &&
	    listen_set_gtsm(fd, sa->sa_family, n->ttl_security) == -1) {
		log_warn("neighbor %s: GTSM (ttl-security)", p->name);
		return -1;
	}
	return 0;
}

/* Dial p (RFC 4271 §8.2.2 Connect state). */
static void
session_connect(struct peer *p)
{
	const struct conf_neighbor *n = p->conf;
	const struct sockaddr *sa = (const struct sockaddr *)&n->addr;
	struct conn *c;
	int fd;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1) {
		log_warn("neighbor %s: socket", p->name);
		peer_retry_schedule(p);
		return;
	}
	if (session_sockopts(p, fd, true) == -1 ||
	    (n->has_local_addr &&
	        bind(fd, (const struct sockaddr *)&n->local_addr,
	            n->local_addrlen) == -1)) {
		if (n->has_local_addr)
			log_warn("neighbor %s: local-address", p->name);
		close(fd);
		peer_retry_schedule(p);
		return;
	}
	c = conn_new(p, fd, true, conn_sa_port(sa));
	p->conn = c;
	peer_set_state(p, ST_CONNECT, "connecting");
	/* The ConnectRetryTimer bounds the TCP handshake (RFC 4271 §8.2.2). */
	session_timer_set(c->hold_timer, session_cf->connect_retry);
	if (bufferevent_socket_connect(c->bev, sa, (int)n->addrlen) == -1) {
		snprintf(c->why, sizeof(c->why), "connect: %s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		conn_close(c, END_TCP, 0, 0, c->why);
	}
}

static void
peer_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;

	if (p->conn != NULL || peer_is_down(p) || p->conf->passive)
		return;
	session_connect(p);
}

/* Begin (again): Idle when down, else Active and, unless passive, dial. */
static void
peer_start(struct peer *p, const char *why)
{
	struct timeval tv;

	if (p->conn != NULL)
		return;
	if (peer_is_down(p)) {
		peer_set_state(p, ST_IDLE, why);
		return;
	}
	peer_set_state(p, ST_ACTIVE, why);
	if (p->conf->passive)
		return;
	p->retry_count = 0;
	tv = session_jitter(1);
	if (evtimer_add(p->retry_timer, &tv) == -1)
		fatalx("%s: evtimer_add failed", __func__);
}

/* Timers -------------------------------------------------------------- */

static void
conn_hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	fsm_event(c,
	    c->state == ST_CONNECT ? EV_CONNECT_RETRY_TIMER_EXPIRES
	                           : EV_HOLD_TIMER_EXPIRES);
}

static void
conn_ka_cb(evutil_socket_t fd, short what, void *arg)
{
	fsm_event(arg, EV_KEEPALIVE_TIMER_EXPIRES);
}

static void
peer_idle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;

	p->prefix_down = false;
	peer_start(p, "max-prefix restart time over");
}

static void
peer_gr_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;

	rde_flush_stale(p, p->stale, "restart time expired (RFC 4724 §4.2)");
}

static void
peer_stale_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peer *p = arg;

	rde_flush_stale(p, p->stale, "stale routes timer expired");
}

/* The FSM ------------------------------------------------------------- */

static void
conn_open_sent(struct conn *c, const char *why)
{
	conn_send_open(c);
	session_timer_set(c->hold_timer, session_opensent_hold);
	conn_set_state(c, ST_OPENSENT, why);
}

/* Events every state from OpenSent on handles alike. */
static bool
fsm_common(struct conn *c, enum session_event ev)
{
	switch (ev) {
	case EV_TCP_CONNECTION_FAILS:
		conn_close(c, END_TCP, 0, 0, c->why);
		return true;
	case EV_NOTIF_MSG:
	case EV_NOTIF_MSG_VER_ERR:
		conn_close(
		    c, END_NOTIF_RCVD, c->rcvd_code, c->rcvd_subcode, c->why);
		return true;
	case EV_HOLD_TIMER_EXPIRES:
		conn_notify(c, BGP_ERR_HOLD, 0, NULL, 0, NULL,
		    "hold timer expired", END_NOTIF_SENT);
		return true;
	case EV_KEEPALIVE_TIMER_EXPIRES:
		if (conn_send_keepalive(c)) {
			conn_ka_start(c);
			return true;
		}
		conn_close(c, END_TCP, 0, 0,
		    "output buffer full: the peer does not read");
		return true;
	case EV_OPEN_COLLISION_DUMP:
		conn_notify(c, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0,
		    NULL, c->why, END_COLLISION);
		return true;
	default:
		return false;
	}
}

static void
fsm_connect(struct conn *c, enum session_event ev)
{
	switch (ev) {
	case EV_TCP_CR_ACKED:
		conn_open_sent(c, "connection established");
		break;
	case EV_CONNECT_RETRY_TIMER_EXPIRES:
		conn_close(c, END_TCP, 0, 0, "connect timed out");
		break;
	case EV_TCP_CONNECTION_FAILS:
		conn_close(c, END_TCP, 0, 0, c->why);
		break;
	default:
		fatalx("%s: %s in Connect", __func__, session_event_name(ev));
	}
}

static void
fsm_active(struct conn *c, enum session_event ev)
{
	char why[64];

	if (ev != EV_TCP_CONNECTION_CONFIRMED)
		fatalx("%s: %s in Active", __func__, session_event_name(ev));
	snprintf(why, sizeof(why), "connection from port %u accepted", c->port);
	conn_open_sent(c, why);
}

static void conn_open_received(struct conn *);
static void conn_established(struct conn *);

static void
fsm_opensent(struct conn *c, enum session_event ev)
{
	if (fsm_common(c, ev))
		return;
	switch (ev) {
	case EV_BGP_OPEN:
		conn_open_received(c);
		break;
	case EV_KEEPALIVE_MSG:
		conn_fsm_error(c, BGP_MSG_KEEPALIVE);
		break;
	case EV_UPDATE_MSG:
		conn_fsm_error(c, BGP_MSG_UPDATE);
		break;
	default:
		fatalx("%s: %s in OpenSent", __func__, session_event_name(ev));
	}
}

static void
fsm_openconfirm(struct conn *c, enum session_event ev)
{
	if (fsm_common(c, ev))
		return;
	switch (ev) {
	case EV_KEEPALIVE_MSG:
		conn_established(c);
		break;
	case EV_BGP_OPEN:
		conn_fsm_error(c, BGP_MSG_OPEN);
		break;
	case EV_UPDATE_MSG:
		conn_fsm_error(c, BGP_MSG_UPDATE);
		break;
	default:
		fatalx(
		    "%s: %s in OpenConfirm", __func__, session_event_name(ev));
	}
}

static void
fsm_established(struct conn *c, enum session_event ev)
{
	if (fsm_common(c, ev))
		return;
	switch (ev) {
	case EV_KEEPALIVE_MSG:
	case EV_UPDATE_MSG:
		break; /* the hold timer was restarted on receipt */
	case EV_BGP_OPEN:
		conn_fsm_error(c, BGP_MSG_OPEN);
		break;
	default:
		fatalx(
		    "%s: %s in Established", __func__, session_event_name(ev));
	}
}

/* Feed event ev to the FSM of connection c (RFC 4271 §8.2.2). */
static void
fsm_event(struct conn *c, enum session_event ev)
{
	if (c->peer == NULL)
		return; /* detached: nothing is left to decide */
	log_debug("neighbor %s: connection %u: %s in %s", c->peer->name, c->id,
	    session_event_name(ev), session_state_name(c->state));
	switch (c->state) {
	case ST_CONNECT:
		fsm_connect(c, ev);
		break;
	case ST_ACTIVE:
		fsm_active(c, ev);
		break;
	case ST_OPENSENT:
		fsm_opensent(c, ev);
		break;
	case ST_OPENCONFIRM:
		fsm_openconfirm(c, ev);
		break;
	case ST_ESTABLISHED:
		fsm_established(c, ev);
		break;
	case ST_IDLE:
		fatalx("%s: connection in Idle", __func__);
	}
}

/* OPEN ---------------------------------------------------------------- */

/* RFC 9234 §4.2 Table 2: the role pairs that may peer. */
static bool
session_roles_match(uint8_t ours, uint8_t theirs)
{
	enum { PROVIDER, RS, RS_CLIENT, CUSTOMER, PEER };

	switch (ours) {
	case PROVIDER:
		return theirs == CUSTOMER;
	case RS:
		return theirs == RS_CLIENT;
	case RS_CLIENT:
		return theirs == RS;
	case CUSTOMER:
		return theirs == PROVIDER;
	case PEER:
		return theirs == PEER;
	}
	return false;
}

static const char *
session_id_fmt(uint32_t id, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", id >> 24, id >> 16 & 0xff,
	    id >> 8 & 0xff, id & 0xff);
	return buf;
}

/*
 * The checks RFC 4271 §6.2 leaves to the session: the peer's AS (2/2),
 * its BGP Identifier against ours inside one AS (RFC 6286 §2.2, 2/3) and
 * the BGP Role pair (RFC 9234 §4.2, 2/11). -1 with *v set when one fails.
 */
static int
conn_open_check(struct conn *c, struct verdict *v)
{
	const struct open_msg *o = &c->open;
	const struct conf_neighbor *n = c->peer->conf;
	uint32_t as = o->has_as4 ? o->as4 : o->my_as;
	char id[16];

	verdict_clear(v);
	if (!n->remote_as_any && as != n->remote_as) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_AS, NULL, 0, "bad peer AS %u, expected %u", as,
		    n->remote_as);
		return -1;
	}
	if (as == session_cf->local_as && o->bgp_id == session_cf->router_id) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_BGPID, NULL, 0,
		    "BGP identifier %s is our own (RFC 6286 §2.2)",
		    session_id_fmt(o->bgp_id, id, sizeof(id)));
		return -1;
	}
	if (n->has_role && o->has_role && as != session_cf->local_as &&
	    !session_roles_match(n->role, o->role)) {
		verdict_set(v, VERDICT_SESSION_RESET, BGP_ERR_OPEN,
		    BGP_ERR_OPEN_ROLE, NULL, 0,
		    "role mismatch: we are %s, the peer says %s (RFC 9234)",
		    role_name(n->role) != NULL ? role_name(n->role) : "?",
		    role_name(o->role) != NULL ? role_name(o->role) : "?");
		return -1;
	}
	return 0;
}

static void
conn_recv_open(struct conn *c, const uint8_t *body, size_t len)
{
	struct verdict v;
	struct rbuf r;

	if (c->state != ST_OPENSENT) {
		conn_fsm_error(c, BGP_MSG_OPEN);
		return;
	}
	/* Keep the bytes: the decoded OPEN points into them. */
	free(c->open_buf);
	if ((c->open_buf = malloc(len > 0 ? len : 1)) == NULL)
		fatal("%s", __func__);
	memcpy(c->open_buf, body, len);
	rbuf_init(&r, c->open_buf, len);
	if (open_parse(&r, &c->open, &v, NULL) == -1 ||
	    conn_open_check(c, &v) == -1) {
		/* EV_BGP_OPEN_MSG_ERR */
		conn_notify(c, v.code, v.subcode, v.data, v.datalen, NULL,
		    v.reason, END_NOTIF_SENT);
		return;
	}
	c->has_open = true;
	fsm_event(c, EV_BGP_OPEN);
}

/*
 * RFC 4271 §6.8 and RFC 6286 §2.3: of two connections in collision, the
 * one initiated by the side with the higher BGP Identifier (equal
 * identifiers: the larger AS) survives. Two incoming connections are
 * resolved as §6.8 words it: the existing one goes when the remote
 * identifier is higher.
 */
static struct conn *
conn_collision_loser(struct conn *c, struct conn *o)
{
	uint32_t local = session_cf->router_id, remote = c->open.bgp_id;
	uint32_t as = c->open.has_as4 ? c->open.as4 : c->open.my_as;
	bool keep_incoming;

	if (local != remote)
		keep_incoming = local < remote;
	else
		keep_incoming = as > session_cf->local_as;
	if (c->outgoing != o->outgoing)
		return c->outgoing == keep_incoming ? c : o;
	return keep_incoming ? o : c;
}

/*
 * An OPEN arrived on c: resolve a collision with the peer's other
 * connection. Returns true when c itself was closed.
 */
static bool
conn_collision(struct conn *c)
{
	struct peer *p = c->peer;
	struct conn *o = c == p->conn ? p->alt : p->conn, *loser;

	if (o == NULL || o->state < ST_OPENCONFIRM)
		return false; /* o compares when its own OPEN comes */
	if (o->state == ST_ESTABLISHED && p->nego.graceful) {
		/* RFC 4724 §4.2: the peer restarted; its old session is gone. */
		snprintf(o->why, sizeof(o->why),
		    "the peer restarted: new OPEN "
		    "while established (RFC 4724 §4.2)");
		fsm_event(o, EV_OPEN_COLLISION_DUMP);
		return false;
	}
	if (o->state == ST_ESTABLISHED) {
		snprintf(c->why, sizeof(c->why),
		    "connection collision: a "
		    "session is established (RFC 4271 §6.8)");
		fsm_event(c, EV_OPEN_COLLISION_DUMP);
		return true;
	}
	loser = conn_collision_loser(c, o);
	snprintf(loser->why, sizeof(loser->why),
	    "connection collision resolution (RFC 4271 §6.8)");
	fsm_event(loser, EV_OPEN_COLLISION_DUMP);
	return loser == c;
}

/* EV_BGP_OPEN in OpenSent: negotiate, KEEPALIVE, OpenConfirm. */
static void
conn_open_received(struct conn *c)
{
	struct peer *p = c->peer;
	const struct open_msg *o = &c->open;
	char why[96], id[16];

	if (conn_collision(c))
		return;
	open_negotiate(&p->ours, o, &c->sess);
	/* RFC 4271 §4.2: the smaller hold time; keepalive a third of it. */
	c->holdtime =
	    o->holdtime < p->ours.holdtime ? o->holdtime : p->ours.holdtime;
	c->keepalive = c->holdtime / 3;
	/* RFC 8654: from now on messages may be up to 65535 octets. */
	c->rlowat = BGP_HDR_LEN;
	bufferevent_setwatermark(c->bev, EV_READ, BGP_HDR_LEN,
	    c->sess.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN);
	conn_send_keepalive(c);
	conn_ka_start(c);
	conn_hold_restart(c);
	snprintf(why, sizeof(why), "OPEN received (AS %u, BGP ID %s)",
	    o->has_as4 ? o->as4 : o->my_as,
	    session_id_fmt(o->bgp_id, id, sizeof(id)));
	conn_set_state(c, ST_OPENCONFIRM, why);
}

/* Families as a bit mask of 1 << enum sess_family. */
static uint32_t
peer_families_theirs(const struct open_msg *o)
{
	uint32_t m = 0;
	size_t i;
	int fam;

	/* RFC 4760 §8: without MP capabilities, IPv4 unicast only. */
	if (o->n_mp == 0)
		return 1u << FAM_IPV4_UNICAST;
	for (i = 0; i < o->n_mp; i++)
		if ((fam = sess_family(o->mp[i].afi, o->mp[i].safi)) >= 0)
			m |= 1u << fam;
	return m;
}

static void
peer_negotiated(struct peer *p, const struct conn *c)
{
	const struct open_msg *o = &p->open;
	struct peer_nego *g = &p->nego;
	uint32_t ours = 0;

	if (p->ours.ipv4_unicast)
		ours |= 1u << FAM_IPV4_UNICAST;
	if (p->ours.ipv6_unicast)
		ours |= 1u << FAM_IPV6_UNICAST;
	memset(g, 0, sizeof(*g));
	g->sess = c->sess;
	g->holdtime = c->holdtime;
	g->keepalive = c->keepalive;
	g->families = ours & peer_families_theirs(o);
	g->route_refresh = p->ours.route_refresh &&
	    (o->route_refresh || o->route_refresh_cisco);
	g->enhanced_rr = p->ours.route_refresh && o->enhanced_rr;
	g->graceful = p->ours.graceful_restart && o->has_gr;
	/*
	 * RFC 8538 needs the N bit from both sides; open_encode() does not
	 * send it, so a NOTIFICATION always ends graceful restart.
	 */
	g->gr_notification = false;
}

/* The connection's OPEN becomes the peer's (for queries and GR). */
static void
peer_adopt_open(struct peer *p, struct conn *c)
{
	free(p->open_buf);
	p->open_buf = c->open_buf;
	p->open = c->open;
	c->open_buf = NULL;
	p->has_open = true;
	p->remote_as = p->open.has_as4 ? p->open.as4 : p->open.my_as;
	p->remote_id = p->open.bgp_id;
}

static void
peer_log_caps(const struct peer *p)
{
	const struct open_msg *o = &p->open;
	const struct peer_nego *g = &p->nego;
	char fams[96] = "", unk[96] = "", id[16], host[64] = "";
	size_t i, n;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++)
		if (g->families & (1u << fam)) {
			n = strlen(fams);
			snprintf(fams + n, sizeof(fams) - n, "%s%s",
			    n > 0 ? ", " : "", session_family_name(fam));
		}
	for (i = 0; i < o->n_unknown; i++) {
		n = strlen(unk);
		snprintf(unk + n, sizeof(unk) - n, " %u", o->unknown[i].code);
	}
	if (o->has_fqdn)
		session_sanitise(
		    host, sizeof(host), o->hostname, o->hostname_len);
	log_info("neighbor %s: session established: AS %u, BGP ID %s, hold "
	         "time %u s, families: %s; as4 %s, ext-msg %s, route-refresh "
	         "%s%s, graceful-restart %s (restart time %u s%s), add-path rx "
	         "0x%x, role %s, hostname %s, unknown capabilities:%s",
	    p->name, p->remote_as, session_id_fmt(p->remote_id, id, sizeof(id)),
	    g->holdtime, fams[0] != '\0' ? fams : "none",
	    g->sess.as4 ? "yes" : "no", g->sess.ext_msg ? "yes" : "no",
	    g->route_refresh ? "yes" : "no",
	    g->enhanced_rr ? " (enhanced)" : "", g->graceful ? "yes" : "no",
	    o->gr_time, o->gr_restarted ? ", restarted" : "",
	    g->sess.addpath_rx,
	    o->has_role && role_name(o->role) ? role_name(o->role) : "none",
	    host[0] != '\0' ? host : "none", unk[0] != '\0' ? unk : " none");
}

/* RFC 4724 §4: End-of-RIB for every family, as GR peers expect. */
static void
conn_send_eors(struct conn *c)
{
	const struct peer *p = c->peer;
	uint8_t buf[64];
	struct wbuf w;
	int fam;

	for (fam = 0; fam < FAM_COUNT; fam++) {
		if ((p->nego.families & (1u << fam)) == 0)
			continue;
		wbuf_init_fixed(&w, buf, sizeof(buf));
		update_encode_eor(&w, rde_fam_afi(fam), rde_fam_safi(fam));
		conn_send(c, &w, BGP_MSG_UPDATE);
	}
}

/* session-established: what c, now the peer's session, negotiated. */
static void
conn_emit_established(struct conn *c)
{
	const struct peer *p = c->peer;
	const struct peer_nego *g = &p->nego;
	struct event_session_established e;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char id[EMIT_ID_STRLEN], local[64] = "";

	memset(&e, 0, sizeof(e));
	e.time = emit_now();
	emit_peer(p, &e.peer, id);
	e.previous_state = session_state_name(ST_OPENCONFIRM);
	e.open = &p->open;
	e.hold_time = g->holdtime;
	e.keepalive = g->keepalive;
	e.families = g->families;
	e.addpath_rx = g->sess.addpath_rx;
	e.as4 = g->sess.as4;
	e.ext_msg = g->sess.ext_msg;
	e.route_refresh = g->route_refresh;
	e.enhanced_rr = g->enhanced_rr;
	e.graceful_restart = g->graceful;
	e.remote_port = c->port;
	if (getsockname(bufferevent_getfd(c->bev), (struct sockaddr *)&ss,
	        &sslen) == 0) {
		listen_sa_fmt(
		    (const struct sockaddr *)&ss, local, sizeof(local));
		e.local_ip = local;
		e.local_port = conn_sa_port((const struct sockaddr *)&ss);
	}
	emit_session_established(&e);
}

/* KEEPALIVE in OpenConfirm: the session is up. */
static void
conn_established(struct conn *c)
{
	struct peer *p = c->peer;

	if (c != p->conn) { /* the second connection got there first */
		p->alt = p->conn;
		p->conn = c;
	}
	/*
	 * RFC 4271 §6.8: a second connection that sent its OPEN loses to the
	 * established one; one still in OpenSent is judged when its OPEN
	 * comes, as the established session may be gone by then.
	 */
	if (p->alt != NULL && p->alt->state == ST_CONNECT)
		conn_close(p->alt, END_COLLISION, 0, 0,
		    "the other connection is established");
	else if (p->alt != NULL && p->alt->state == ST_OPENCONFIRM) {
		snprintf(p->alt->why, sizeof(p->alt->why),
		    "connection collision: the other connection is "
		    "established (RFC 4271 §6.8)");
		fsm_event(p->alt, EV_OPEN_COLLISION_DUMP);
	}
	peer_adopt_open(p, c);
	peer_negotiated(p, c);
	c->state = ST_ESTABLISHED;
	peer_set_state(p, ST_ESTABLISHED, "KEEPALIVE received");
	p->stats.established++;
	p->retry_count = 0;
	p->prefix_warned = false;
	peer_log_caps(p);
	c->rlowat = BGP_HDR_LEN;
	bufferevent_setwatermark(
	    c->bev, EV_READ, BGP_HDR_LEN, SESSION_READ_BUF);
	if (bufferevent_set_max_single_read(c->bev, SESSION_READ_BUF) == -1)
		log_warnx("neighbor %s: cannot raise the read size", p->name);
	evtimer_del(p->gr_timer); /* back within the restart time */
	rde_session_up(p);
	if (p->stale != 0)
		session_timer_set(p->stale_timer, SESSION_STALE_TIME);
	conn_send_eors(c);
	conn_emit_established(c);
}

/* Receiving ------------------------------------------------------------ */

static void
conn_recv_notification(struct conn *c, const uint8_t *body, size_t len)
{
	struct peer *p = c->peer;
	char text[NOTIF_SHUTDOWN_MAX + 1] = "", hex[64] = "";
	struct notif n;
	struct rbuf r;

	rbuf_init(&r, body, len);
	if (notif_parse(&r, &n, NULL) == -1) {
		/* RFC 4271 §6.4: never answer a NOTIFICATION. */
		snprintf(
		    c->why, sizeof(c->why), "malformed NOTIFICATION received");
		c->rcvd_code = c->rcvd_subcode = 0;
		fsm_event(c, EV_NOTIF_MSG);
		return;
	}
	if (n.has_shutdown)
		session_sanitise(
		    text, sizeof(text), n.shutdown, n.shutdown_len);
	else if (n.datalen > 0)
		log_hex(n.data, n.datalen, hex, sizeof(hex));
	snprintf(c->why, sizeof(c->why),
	    "received NOTIFICATION %u/%u (%s)%s%s%s%s%s%s", n.code, n.subcode,
	    notif_name(n.code, n.subcode), hex[0] != '\0' ? " data " : "", hex,
	    n.has_shutdown ? ", shutdown communication \"" : "", text,
	    n.has_shutdown ? "\"" : "",
	    n.has_shutdown && !n.shutdown_valid ? " (invalid)" : "");
	log_warnx("neighbor %s: %s", p->name, c->why);
	if (c == p->conn)
		peer_note_error(p, false, n.code, n.subcode,
		    n.has_shutdown ? text : NULL, c->why);
	c->rcvd_code = n.code;
	c->rcvd_subcode = n.subcode;
	fsm_event(c,
	    n.code == BGP_ERR_OPEN && n.subcode == BGP_ERR_OPEN_VERSION
	        ? EV_NOTIF_MSG_VER_ERR
	        : EV_NOTIF_MSG);
}

/* RFC 4486: over the prefix limit; stay Idle for the restart time. */
static void
conn_max_prefix(struct conn *c, const struct verdict *v)
{
	struct peer *p = c->peer;
	uint32_t minutes = p->conf->max_prefix_restart;

	p->prefix_down = true;
	peer_stop(p, BGP_CEASE_MAX_PREFIX, v->data, v->datalen, NULL, v->reason,
	    END_MAX_PREFIX);
	if (minutes > 0) {
		session_timer_set(p->idle_timer, minutes * 60);
		log_warnx("neighbor %s: max-prefix: staying Idle for %u "
		          "minute%s",
		    p->name, minutes, minutes == 1 ? "" : "s");
	} else
		log_warnx("neighbor %s: max-prefix: staying Idle until "
		          "cleared",
		    p->name);
}

static void
conn_recv_update(struct conn *c, const uint8_t *body, size_t len)
{
	struct peer *p = c->peer;
	struct verdict v;

	if (c->state != ST_ESTABLISHED) {
		conn_fsm_error(c, BGP_MSG_UPDATE);
		return;
	}
	p->stats.last_update = time(NULL);
	if (rde_update(p, body, len, &v) == 0) {
		if (p->stale == 0)
			evtimer_del(p->stale_timer);
		fsm_event(c, EV_UPDATE_MSG);
	} else if (v.code == BGP_ERR_CEASE && v.subcode == BGP_CEASE_MAX_PREFIX)
		conn_max_prefix(c, &v);
	else /* EV_UPDATE_MSG_ERR */
		conn_notify(c, v.code, v.subcode, v.data, v.datalen, NULL,
		    v.reason, END_NOTIF_SENT);
}

/* RFC 7313 §4: we send no routes, so a refresh is an empty BoRR/EoRR. */
static void
conn_answer_refresh(struct conn *c, uint16_t afi, uint8_t safi)
{
	uint8_t buf[BGP_RREFRESH_LEN];
	struct wbuf w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	msg_encode_rrefresh(&w, afi, safi, RR_BORR);
	conn_send(c, &w, BGP_MSG_ROUTE_REFRESH);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	msg_encode_rrefresh(&w, afi, safi, RR_EORR);
	conn_send(c, &w, BGP_MSG_ROUTE_REFRESH);
}

static void
conn_recv_rrefresh(struct conn *c, const uint8_t *body, size_t len)
{
	struct peer *p = c->peer;
	struct rrefresh rr;
	struct verdict v;
	struct rbuf r;
	int fam;

	if (c->state != ST_ESTABLISHED) {
		conn_fsm_error(c, BGP_MSG_ROUTE_REFRESH);
		return;
	}
	rbuf_init(&r, body, len);
	if (rrefresh_parse(&r, &rr, &v, NULL) == -1) {
		/* RFC 7313 §5: the data is the whole message. */
		conn_notify(c, v.code, v.subcode, body - BGP_HDR_LEN,
		    len + BGP_HDR_LEN, NULL, v.reason, END_NOTIF_SENT);
		return;
	}
	fam = sess_family(rr.afi, rr.safi);
	if (rr.subtype > RR_EORR || fam < 0 ||
	    (p->nego.families & (1u << fam)) == 0) {
		log_debug("neighbor %s: ROUTE-REFRESH %u/%u subtype %u ignored",
		    p->name, rr.afi, rr.safi, rr.subtype);
		return;
	}
	if (!p->nego.enhanced_rr)
		return; /* RFC 2918: our Adj-RIB-Out is empty */
	if (rr.subtype == RR_NORMAL)
		conn_answer_refresh(c, rr.afi, rr.safi);
	else if (rr.subtype == RR_BORR) {
		rde_mark_stale(p, 1u << fam);
		session_timer_set(p->stale_timer, SESSION_STALE_TIME);
	} else
		rde_flush_stale(p, 1u << fam, "EoRR (RFC 7313 §4)");
}

static void
conn_dispatch(struct conn *c, uint8_t type, const uint8_t *body, size_t len)
{
	struct peer *p = c->peer;

	p->stats.msg_in[type]++;
	p->stats.last_read = time(NULL);
	/* Any message proves the peer alive (RFC 4271 §8.2.2). */
	if (c->state == ST_OPENCONFIRM || c->state == ST_ESTABLISHED)
		conn_hold_restart(c);
	switch (type) {
	case BGP_MSG_OPEN:
		conn_recv_open(c, body, len);
		break;
	case BGP_MSG_UPDATE:
		conn_recv_update(c, body, len);
		break;
	case BGP_MSG_NOTIFICATION:
		conn_recv_notification(c, body, len);
		break;
	case BGP_MSG_KEEPALIVE:
		fsm_event(c, EV_KEEPALIVE_MSG);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		conn_recv_rrefresh(c, body, len);
		break;
	default:
		fatalx("%s: message type %u passed the header check", __func__,
		    type);
	}
}

/*
 * Set the read low-watermark to what the next message needs; the high
 * one is a message before Established, SESSION_READ_BUF after.
 */
static void
conn_want(struct conn *c, size_t len)
{
	size_t hi = c->sess.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;

	if (len == c->rlowat)
		return;
	c->rlowat = len;
	if (c->state == ST_ESTABLISHED)
		hi = SESSION_READ_BUF;
	bufferevent_setwatermark(c->bev, EV_READ, len, hi);
}

/*
 * Framing (libevent's watermark idiom): peek at the header; when the
 * whole message is not there yet, wait for exactly that much; otherwise
 * pull it up, decode it, drain it, and go on.
 */
static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t hdr[BGP_HDR_LEN];
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;
	uint8_t *msg;
	size_t have;

	while (c->peer != NULL) {
		have = evbuffer_get_length(in);
		if (have < BGP_HDR_LEN) {
			conn_want(c, BGP_HDR_LEN);
			return;
		}
		if (evbuffer_copyout(in, hdr, sizeof(hdr)) != sizeof(hdr))
			fatalx("%s: evbuffer_copyout failed", __func__);
		rbuf_init(&r, hdr, sizeof(hdr));
		if (msg_hdr_parse(&r, &c->sess, &h, &v, NULL) == -1) {
			/* EV_BGP_HEADER_ERR (RFC 4271 §6.1) */
			conn_notify(c, v.code, v.subcode, v.data, v.datalen,
			    NULL, v.reason, END_NOTIF_SENT);
			return;
		}
		if (have < h.len) {
			conn_want(c, h.len);
			return;
		}
		if ((msg = evbuffer_pullup(in, h.len)) == NULL)
			fatalx("%s: evbuffer_pullup failed", __func__);
		mrtupd_message(c->peer, &c->sess, bufferevent_getfd(bev),
		    h.type, msg, h.len);
		conn_dispatch(
		    c, h.type, msg + BGP_HDR_LEN, h.len - BGP_HDR_LEN);
		evbuffer_drain(in, h.len);
	}
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	int err = EVUTIL_SOCKET_ERROR();

	if (c->peer == NULL)
		return;
	if (what & BEV_EVENT_CONNECTED) {
		fsm_event(c, EV_TCP_CR_ACKED);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(c->why, sizeof(c->why), "connection closed by peer");
	else
		snprintf(c->why, sizeof(c->why), "%s: %s",
		    c->state == ST_CONNECT ? "connect" : "connection",
		    evutil_socket_error_to_string(err));
	fsm_event(c, EV_TCP_CONNECTION_FAILS);
}

/* Peers ---------------------------------------------------------------- */

static struct peer *
peer_new(const struct conf_neighbor *n)
{
	struct peer *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	p->conf = n;
	listen_sa_fmt(
	    (const struct sockaddr *)&n->addr, p->name, sizeof(p->name));
	p->state = p->prev_state = ST_IDLE;
	p->state_since = session_mono();
	p->state_since_wall = time(NULL);
	p->retry_timer = session_timer_new(peer_retry_cb, p);
	p->idle_timer = session_timer_new(peer_idle_cb, p);
	p->gr_timer = session_timer_new(peer_gr_cb, p);
	p->stale_timer = session_timer_new(peer_stale_cb, p);
	p->rl_update.burst = 10;
	p->rl_update.interval = 60;
	p->rl_refuse.burst = 5;
	p->rl_refuse.interval = 60;
	peer_params(p);
	rde_peer_init(p);
	TAILQ_INSERT_TAIL(&peers, p, entry);
	return p;
}

/* Free a peer whose connections are gone (peer_stop() first). */
static void
peer_free(struct peer *p)
{
	if (p->alt != NULL)
		conn_detach(p->alt);
	if (p->conn != NULL)
		conn_detach(p->conn);
	TAILQ_REMOVE(&peers, p, entry);
	event_free(p->retry_timer);
	event_free(p->idle_timer);
	event_free(p->gr_timer);
	event_free(p->stale_timer);
	rde_peer_free(p);
	free(p->open_buf);
	free(p);
}

void
session_init(struct event_base *base, const struct conf *c)
{
	struct conf_neighbor *n;
	const char *s;
	long v;

	session_base = base;
	session_cf = c;
	session_reaper = event_new(base, -1, 0, session_reap_cb, NULL);
	if (session_reaper == NULL)
		fatalx("%s: event_new failed", __func__);
	/* A test aid, documented in bgpwatchd(8). */
	if ((s = getenv("BGPWATCHD_OPENSENT_HOLD")) != NULL &&
	    (v = strtol(s, NULL, 10)) > 0 && v <= SESSION_OPENSENT_HOLD)
		session_opensent_hold = (unsigned int)v;
	STAILQ_FOREACH(n, &c->neighbors, entry)
	peer_start(peer_new(n), "started");
	mrtdump_reconf(base, c);
}

const struct conf *
session_conf(void)
{
	return session_cf;
}

struct peer_list *
session_peers(void)
{
	return &peers;
}

struct peer *
session_peer_find(const struct sockaddr *sa)
{
	const struct conf_neighbor *n;
	struct peer *p;

	if ((n = conf_neighbor_find(session_cf, sa)) == NULL)
		return NULL;
	TAILQ_FOREACH(p, &peers, entry)
	if (p->conf == n)
		return p;
	return NULL;
}

struct peer *
session_peer_find_str(const char *addr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		sin->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		sin6->sin6_family = AF_INET6;
	else
		return NULL;
	return session_peer_find((struct sockaddr *)&ss);
}

/* Why an accepted connection of p must be closed at once, or NULL. */
static const char *
session_refusal(struct peer *p, int fd, char *buf, size_t size)
{
	int ttl;

	if (p->admin_down)
		return "administratively down";
	if (p->prefix_down)
		return "max-prefix limit, Idle";
	if (p->conf->shutdown)
		return "shut down in the configuration";
	if (session_quitting)
		return "shutting down";
	/* RFC 5082 §3: a SYN from further than one hop away. */
	if (p->conf->ttl_security && (ttl = listen_syn_ttl(fd)) >= 0 &&
	    ttl < 254) {
		snprintf(buf, size, "SYN with TTL %d (ttl-security)", ttl);
		return buf;
	}
	return NULL;
}

int
session_accept(int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct peer *p;
	struct conn *c, *old;
	const char *why;
	char buf[64];

	if ((p = session_peer_find(sa)) == NULL)
		return -1;
	if ((why = session_refusal(p, fd, buf, sizeof(buf))) != NULL ||
	    session_sockopts(p, fd, false) == -1) {
		if (why != NULL)
			log_rate_warnx(&p->rl_refuse,
			    "neighbor %s: connection refused: %s", p->name,
			    why);
		close(fd);
		return 0;
	}
	c = conn_new(p, fd, false, conn_sa_port(sa));
	if (p->conn == NULL)
		p->conn = c;
	else if (p->conn->state == ST_CONNECT) {
		/* Our own dial is not through yet: take theirs instead. */
		old = p->conn;
		conn_detach(old);
		conn_linger(old, false);
		p->conn = c;
	} else {
		if (p->alt != NULL)
			conn_close(p->alt, END_COLLISION, 0, 0,
			    "replaced by a newer connection");
		p->alt = c;
	}
	fsm_event(c, EV_TCP_CONNECTION_CONFIRMED);
	return 0;
}

void
session_admin_down(struct peer *p, const char *text)
{
	p->admin_down = true;
	snprintf(p->admin_text, sizeof(p->admin_text), "%s",
	    text != NULL ? text : "");
	log_info("neighbor %s: administratively down%s%s", p->name,
	    p->admin_text[0] != '\0' ? ": " : "", p->admin_text);
	/* RFC 9003: Cease 2 with the shutdown communication. */
	peer_stop(p, BGP_CEASE_ADMIN_DOWN, NULL, 0, p->admin_text,
	    "administratively down", END_STOP);
}

void
session_admin_up(struct peer *p)
{
	p->admin_down = false;
	p->admin_text[0] = '\0';
	p->prefix_down = false;
	evtimer_del(p->idle_timer);
	peer_start(p, "administratively up");
}

int
session_clear(struct peer *p, bool soft)
{
	uint8_t buf[BGP_RREFRESH_LEN];
	struct wbuf w;
	int fam;

	if (soft) {
		if (p->state != ST_ESTABLISHED || !p->nego.route_refresh)
			return -1;
		for (fam = 0; fam < FAM_COUNT; fam++) {
			if ((p->nego.families & (1u << fam)) == 0)
				continue;
			wbuf_init_fixed(&w, buf, sizeof(buf));
			msg_encode_rrefresh(
			    &w, rde_fam_afi(fam), rde_fam_safi(fam), RR_NORMAL);
			conn_send(p->conn, &w, BGP_MSG_ROUTE_REFRESH);
		}
		log_info("neighbor %s: route refresh requested", p->name);
		return 0;
	}
	p->prefix_down = false;
	evtimer_del(p->idle_timer);
	peer_stop(p, BGP_CEASE_ADMIN_RESET, NULL, 0, NULL, "cleared", END_STOP);
	peer_start(p, "cleared");
	return 0;
}

/* Anything in our OPEN that differs, which needs a new session. */
static bool
session_open_changed(const struct peer *p, const struct conf_neighbor *prev,
    const struct conf *oldc, const struct conf *newc)
{
	const struct conf_neighbor *n = p->conf;

	return oldc->local_as != newc->local_as ||
	    oldc->router_id != newc->router_id ||
	    strcmp(oldc->hostname, newc->hostname) != 0 ||
	    (prev->holdtime != 0 ? prev->holdtime : oldc->holdtime) !=
	    (n->holdtime != 0 ? n->holdtime : newc->holdtime);
}

/* One surviving neighbor on reload; prev is its old block. */
static void
session_reconf_peer(struct peer *p, const struct conf_neighbor *prev,
    const struct conf *oldc, struct session_reload *st)
{
	const struct conf_neighbor *n = p->conf;

	if (n->shutdown) {
		if (!prev->shutdown)
			peer_stop(p, BGP_CEASE_ADMIN_DOWN, NULL, 0,
			    "shut down by configuration",
			    "shut down by configuration", END_STOP);
		peer_params(p);
		return;
	}
	if (prev->shutdown) {
		peer_params(p);
		peer_start(p, "enabled by configuration");
		return;
	}
	if (conf_neighbor_needs_reset(prev, n) ||
	    session_open_changed(p, prev, oldc, session_cf)) {
		if (p->state == ST_ESTABLISHED)
			st->reset++;
		peer_stop(p, BGP_CEASE_CONFIG_CHANGE, NULL, 0, NULL,
		    "configuration changed", END_STOP);
		peer_params(p);
		peer_start(p, "configuration changed");
		return;
	}
	peer_params(p); /* same OPEN; refreshes pointers into the config */
	rde_peer_reconf(p);
	if (prev->passive && !n->passive && p->conn == NULL)
		peer_start(p, "connect enabled by configuration");
}

void
session_reconf(const struct conf *c, struct session_reload *st)
{
	const struct conf *oldc = session_cf;
	const struct conf_neighbor *prev;
	struct conf_neighbor *n;
	struct peer *p, *tmp;
	struct session_reload dummy;

	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	session_cf = c;
	mrtdump_reconf(session_base, c);
	TAILQ_FOREACH_SAFE(p, &peers, entry, tmp)
	{
		prev = p->conf;
		n = conf_neighbor_find(c, (const struct sockaddr *)&prev->addr);
		if (n == NULL) {
			/* RFC 4486: Cease 3, Peer De-configured. */
			peer_stop(p, BGP_CEASE_PEER_UNCONF, NULL, 0, NULL,
			    "neighbor removed from the configuration",
			    END_STOP);
			log_info("neighbor %s: removed", p->name);
			peer_free(p);
			st->removed++;
			continue;
		}
		p->conf = n;
		session_reconf_peer(p, prev, oldc, st);
	}
	STAILQ_FOREACH(n, &c->neighbors, entry)
	{
		st->neighbors++;
		if (session_peer_find((const struct sockaddr *)&n->addr) ==
		    NULL) {
			peer_start(peer_new(n), "added by reload");
			st->added++;
		}
	}
}

void
session_shutdown(const char *text)
{
	struct peer *p;

	session_quitting = true;
	TAILQ_FOREACH(p, &peers, entry)
	peer_stop(p, BGP_CEASE_ADMIN_DOWN, NULL, 0, text,
	    "bgpwatchd shutting down", END_STOP);
}

bool
session_quiet(void)
{
	return TAILQ_EMPTY(&conns) && TAILQ_EMPTY(&conns_dead);
}

void
session_free_all(void)
{
	struct conn *c;
	struct peer *p;

	while ((p = TAILQ_FIRST(&peers)) != NULL)
		peer_free(p);
	while ((c = TAILQ_FIRST(&conns)) != NULL) {
		c->peer = NULL;
		conn_reap(c);
	}
	session_reap_cb(-1, 0, NULL);
	if (session_reaper != NULL)
		event_free(session_reaper);
	session_reaper = NULL;
}

long
session_timer_left(const struct peer *p, enum session_timer t)
{
	struct timeval when, now, d;
	struct event *ev = NULL;
	struct conn *c = p->conn;

	switch (t) {
	case TIMER_HOLD:
		if (c != NULL && c->state != ST_CONNECT)
			ev = c->hold_timer;
		break;
	case TIMER_KEEPALIVE:
		ev = c != NULL ? c->ka_timer : NULL;
		break;
	case TIMER_CONNECT_RETRY:
		ev = c != NULL && c->state == ST_CONNECT ? c->hold_timer
		                                         : p->retry_timer;
		break;
	case TIMER_IDLE:
		ev = p->idle_timer;
		break;
	case TIMER_GR_RESTART:
		ev = p->gr_timer;
		break;
	case TIMER_GR_STALE:
		ev = p->stale_timer;
		break;
	}
	if (ev == NULL || !evtimer_pending(ev, &when))
		return -1;
	evutil_gettimeofday(&now, NULL);
	if (!timercmp(&when, &now, >))
		return 0;
	timersub(&when, &now, &d);
	return (long)d.tv_sec + (d.tv_usec > 0 ? 1 : 0);
}
