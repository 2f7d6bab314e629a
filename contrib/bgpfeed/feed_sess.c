/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpfeed's one BGP session over libevent: connect or accept, the OPEN
 * exchange and the RFC 4271 §8 states up to Established, KEEPALIVEs and
 * the hold timer, message framing, and the output pump: whenever the
 * output buffer drains below its low watermark the route source appends
 * the next batch of UPDATEs, so the table is never whole in memory. Also
 * the sink (accept, negotiate, count and discard), the shutdown with an
 * RFC 9003 Cease, and the send-rate statistics.
 *
 * Public: feed_sess_run(), feed_log(), feed_warnx(), feed_now().
 */
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "feed.h"
#include "msg.h"
#include "rbuf.h"
#include "update.h"

/* Output pump: refill below LOWAT, each fill adds about BUDGET octets. */
#define SESS_LOWAT (256 * 1024)
#define SESS_HIWAT (1024 * 1024)
#define SESS_BUDGET (128 * 1024)
#define SESS_OPEN_HOLD 240 /* RFC 4271 §8.2.2: "large" hold in OpenSent */
#define SESS_LINGER 3 /* seconds to wait for the peer after our Cease */
#define SESS_STATS_EVERY 5

enum sess_state {
	SESS_IDLE,
	SESS_CONNECT,
	SESS_OPENSENT,
	SESS_OPENCONFIRM,
	SESS_ESTABLISHED,
	SESS_CLOSING,
};

enum sess_phase {
	PHASE_ANNOUNCE,
	PHASE_WITHDRAW,
};

struct sess {
	const struct feed_opts *o;
	struct feed_source *src;
	struct event_base *base;
	struct bufferevent *bev;
	struct evconnlistener *lst;
	struct event *ev_hold, *ev_ka, *ev_pace, *ev_stats, *ev_linger;
	struct event *ev_term, *ev_int;
	enum sess_state state;
	enum sess_phase phase;
	struct feed_open ours;
	struct feed_neg neg;
	struct bgp_sess rx;
	struct updenc *enc;
	struct wbuf w;
	struct feed_out out;
	struct feed_stats st;
	char peer[INET6_ADDRSTRLEN + 8];
	double t_est, t_done;
	bool src_done, waiting, stopping;
	int rc;
	/* received (the sink counts everything, a feeder only messages) */
	uint64_t rx_updates, rx_announced, rx_withdrawn, rx_bytes;
	unsigned rx_eor;
	double t_rx_done;
};

static void sess_pump(struct sess *);
static void sess_close(struct sess *, int rc);
static void sess_stop(struct sess *, const char *text);

static int feed_verbose;

void
feed_log(const char *fmt, ...)
{
	va_list ap;

	fputs("bgpfeed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
feed_warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("bgpfeed: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

double
feed_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sess_timer(struct event *ev, double sec)
{
	struct timeval tv;

	if (sec < 0)
		sec = 0;
	tv.tv_sec = (time_t)sec;
	tv.tv_usec = (suseconds_t)((sec - (double)tv.tv_sec) * 1e6);
	evtimer_add(ev, &tv);
}

/* Append w's messages to the output and count them. */
static void
sess_flush(struct sess *s, struct wbuf *w)
{
	if (wbuf_error(w)) {
		feed_warnx("out of memory building messages");
		sess_close(s, 1);
		return;
	}
	if (wbuf_len(w) == 0 || s->bev == NULL)
		return;
	if (evbuffer_add(bufferevent_get_output(s->bev), wbuf_data(w),
	        wbuf_len(w)) == -1) {
		feed_warnx("out of memory queueing messages");
		sess_close(s, 1);
		return;
	}
	s->st.bytes += wbuf_len(w);
}

/* Queue one small message (OPEN, KEEPALIVE, NOTIFICATION). */
static void
sess_send_small(struct sess *s, struct wbuf *w)
{
	s->st.messages++;
	sess_flush(s, w);
}

static void
sess_send_keepalive(struct sess *s)
{
	uint8_t buf[BGP_KEEPALIVE_LEN];
	struct wbuf w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	msg_encode_keepalive(&w);
	sess_send_small(s, &w);
}

static void
sess_hold_restart(struct sess *s)
{
	uint16_t hold =
	    s->state == SESS_OPENSENT ? SESS_OPEN_HOLD : s->neg.hold;

	if (hold > 0)
		sess_timer(s->ev_hold, hold);
	else
		evtimer_del(s->ev_hold);
}

/*
 * Queue a NOTIFICATION (RFC 4271 §6; Cease 2 with an RFC 9003 text) and
 * close once it is written.
 */
static void
sess_notify(struct sess *s, uint8_t code, uint8_t subcode, const void *data,
    size_t len, const char *text)
{
	uint8_t buf[BGP_MAX_LEN];
	struct wbuf w;

	if (s->bev == NULL || s->state == SESS_CLOSING)
		return;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	msg_encode_notification(&w, code, subcode, data, len, text);
	sess_send_small(s, &w);
	feed_log("sent NOTIFICATION %u/%u (%s)%s%s%s", code, subcode,
	    notif_name(code, subcode), text != NULL ? ", \"" : "",
	    text != NULL ? text : "", text != NULL ? "\"" : "");
	s->state = SESS_CLOSING;
	evtimer_del(s->ev_ka);
	evtimer_del(s->ev_hold);
	evtimer_del(s->ev_pace);
	bufferevent_setwatermark(s->bev, EV_WRITE, 0, 0);
	sess_timer(s->ev_linger, SESS_LINGER);
}

static void
sess_print_stats(struct sess *s, bool final)
{
	double now = feed_now(), el;
	double end = s->t_done > 0 ? s->t_done : now;
	struct rusage ru;

	if (s->t_est == 0)
		return;
	if (s->o->sink) {
		end = s->t_rx_done > 0 ? s->t_rx_done : now;
		el = end - s->t_est;
		feed_log("received %llu prefixes (%llu announced, %llu "
		         "withdrawn) in %llu UPDATEs, %llu octets, %.3f s: "
		         "%.0f prefixes/s",
		    (unsigned long long)(s->rx_announced + s->rx_withdrawn),
		    (unsigned long long)s->rx_announced,
		    (unsigned long long)s->rx_withdrawn,
		    (unsigned long long)s->rx_updates,
		    (unsigned long long)s->rx_bytes, el,
		    el > 0 ? (double)(s->rx_announced + s->rx_withdrawn) / el
		           : 0);
	} else {
		el = end - s->t_est;
		feed_log("%s %llu prefixes (%llu announced, %llu withdrawn) "
		         "in %llu UPDATEs, %llu octets, %.3f s: %.0f "
		         "prefixes/s, %.0f messages/s, %.1f MB/s",
		    final ? "sent" : "sending",
		    (unsigned long long)(s->st.announced + s->st.withdrawn),
		    (unsigned long long)s->st.announced,
		    (unsigned long long)s->st.withdrawn,
		    (unsigned long long)s->st.updates,
		    (unsigned long long)s->st.bytes, el,
		    el > 0 ? (double)(s->st.announced + s->st.withdrawn) / el
		           : 0,
		    el > 0 ? (double)(s->st.updates + s->st.messages) / el : 0,
		    el > 0 ? (double)s->st.bytes / el / 1e6 : 0);
		if (s->out.skipped > 0)
			feed_log("%llu prefixes were not sent (families not "
			         "negotiated, attributes not encodable)",
			    (unsigned long long)s->out.skipped);
	}
	if (final && getrusage(RUSAGE_SELF, &ru) == 0)
		feed_log("cpu %.2f s user, %.2f s system; max rss %ld KiB",
		    (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
		    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
		    ru.ru_maxrss);
}

/* End the session now; the event loop ends with it. */
static void
sess_close(struct sess *s, int rc)
{
	if (s->bev != NULL) {
		bufferevent_free(s->bev);
		s->bev = NULL;
	}
	if (s->rc == 0)
		s->rc = rc;
	if (s->t_est > 0 && (s->o->stats || s->o->sink))
		sess_print_stats(s, true);
	s->t_est = 0;
	event_base_loopexit(s->base, NULL);
}

/* Nothing queued any more after the source finished: note the time. */
static void
sess_drained(struct sess *s)
{
	if (s->t_done == 0) {
		s->t_done = feed_now();
		feed_log("%s sent in %.3f s after Established",
		    s->phase == PHASE_WITHDRAW ? "withdrawals" : "routes",
		    s->t_done - s->t_est);
	}
	if (s->phase == PHASE_WITHDRAW)
		sess_stop(s, NULL);
	else if (s->o->exit_when_done)
		sess_stop(s, NULL);
}

static void
sess_pump(struct sess *s)
{
	struct evbuffer *out;
	enum feed_fill r;
	double due = 0;

	if (s->src == NULL || s->bev == NULL || s->state != SESS_ESTABLISHED)
		return;
	out = bufferevent_get_output(s->bev);
	while (!s->src_done && !s->waiting && s->bev != NULL &&
	    s->state == SESS_ESTABLISHED &&
	    evbuffer_get_length(out) < SESS_HIWAT) {
		wbuf_reset(&s->w);
		r = s->src->fill(s->src->arg, &s->out, SESS_BUDGET,
		    feed_now() - s->t_est, &due);
		sess_flush(s, &s->w);
		switch (r) {
		case FEED_MORE:
			break;
		case FEED_WAIT:
			s->waiting = true;
			sess_timer(s->ev_pace, s->t_est + due - feed_now());
			break;
		case FEED_DONE:
			s->src_done = true;
			break;
		case FEED_STOP:
			sess_stop(s,
			    s->src->stop_text != NULL
			        ? s->src->stop_text(s->src->arg)
			        : NULL);
			return;
		case FEED_ERROR:
			sess_notify(s, BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN,
			    NULL, 0, "bgpfeed: input error");
			s->rc = 1;
			return;
		}
	}
	if (s->src_done && s->bev != NULL) {
		/* Be told when the last octet has left. */
		bufferevent_setwatermark(s->bev, EV_WRITE, 0, 0);
		if (evbuffer_get_length(out) == 0)
			sess_drained(s);
	}
}

/*
 * Stop on a signal, a script's "stop" or when done: first withdraw what
 * was announced when asked to, then Cease / Administrative Shutdown with
 * the RFC 9003 text. A second stop request skips the withdrawals.
 */
static void
sess_stop(struct sess *s, const char *text)
{
	const char *t = text != NULL ? text : s->o->shutdown_text;

	if (s->state == SESS_CLOSING)
		return;
	if (s->state != SESS_ESTABLISHED) {
		if (s->state >= SESS_OPENSENT)
			sess_notify(
			    s, BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN, NULL, 0, t);
		else
			sess_close(s, s->rc);
		return;
	}
	if (!s->stopping && s->o->withdraw_on_exit && s->src != NULL &&
	    s->src->withdraw_all != NULL && s->phase == PHASE_ANNOUNCE) {
		s->stopping = true;
		s->phase = PHASE_WITHDRAW;
		s->src->withdraw_all(s->src->arg);
		s->src_done = s->waiting = false;
		s->t_done = 0;
		evtimer_del(s->ev_pace);
		bufferevent_setwatermark(s->bev, EV_WRITE, SESS_LOWAT, 0);
		feed_log("withdrawing what was announced");
		sess_pump(s);
		return;
	}
	s->stopping = true;
	if (s->o->stats)
		sess_print_stats(s, true);
	s->t_est = 0; /* printed */
	sess_notify(s, BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN, NULL, 0, t);
}

static void
sess_established(struct sess *s)
{
	static const char *fams[] = { " none", " ipv4", " ipv6", " ipv4 ipv6" };

	s->state = SESS_ESTABLISHED;
	s->t_est = feed_now();
	feed_log("session with %s AS %u established: families%s, %s AS, "
	         "extended messages %s, ADD-PATH send%s, receive%s, hold %u",
	    s->peer, s->neg.peer_as,
	    fams[(s->neg.v4 ? 1 : 0) + (s->neg.v6 ? 2 : 0)],
	    s->neg.tx.as4 ? "4-octet" : "2-octet",
	    s->neg.tx.ext_msg ? "yes" : "no",
	    fams[(s->neg.tx.addpath_tx & 1 ? 1 : 0) +
	        (s->neg.tx.addpath_tx & 2 ? 2 : 0)],
	    fams[(s->neg.rx.addpath_rx & 1 ? 1 : 0) +
	        (s->neg.rx.addpath_rx & 2 ? 2 : 0)],
	    s->neg.hold);
	if (s->neg.hold > 0)
		sess_timer(s->ev_ka, s->neg.hold / 3.0);
	if (feed_verbose > 0)
		sess_timer(s->ev_stats, SESS_STATS_EVERY);
	updenc_init(s->enc, &s->neg.tx);
	s->out.w = &s->w;
	s->out.enc = s->enc;
	s->out.sess = s->neg.tx;
	s->out.fam_v4 = s->neg.v4;
	s->out.fam_v6 = s->neg.v6;
	s->out.ebgp = s->neg.peer_as != s->o->local_as;
	s->out.st = &s->st;
	bufferevent_setwatermark(s->bev, EV_WRITE, SESS_LOWAT, 0);
	sess_pump(s);
}

/* RFC 4271 §6.2 checks that depend on us, then negotiate. */
static void
sess_recv_open(struct sess *s, const uint8_t *body, size_t len)
{
	struct open_msg om;
	struct verdict v;
	struct rbuf r;
	uint8_t data[2];

	rbuf_init(&r, body, len);
	if (open_parse(&r, &om, &v, NULL) == -1) {
		feed_warnx("bad OPEN from %s: %s", s->peer, v.reason);
		sess_notify(s, v.code, v.subcode, v.data, v.datalen, NULL);
		s->rc = 1;
		return;
	}
	feed_open_negotiate(&s->ours, &om, &s->neg);
	/* RFC 6286 §2.1: the identifiers must differ within an AS. */
	if (om.bgp_id == s->ours.bgp_id && s->neg.peer_as == s->o->local_as) {
		feed_warnx("%s has our BGP identifier", s->peer);
		sess_notify(s, BGP_ERR_OPEN, BGP_ERR_OPEN_BGPID, NULL, 0, NULL);
		s->rc = 1;
		return;
	}
	if (!s->o->peer_as_any && s->neg.peer_as != s->o->peer_as) {
		feed_warnx("%s is AS %u, not AS %u", s->peer, s->neg.peer_as,
		    s->o->peer_as);
		data[0] = (uint8_t)(om.my_as >> 8);
		data[1] = (uint8_t)om.my_as;
		sess_notify(s, BGP_ERR_OPEN, BGP_ERR_OPEN_AS, data, 2, NULL);
		s->rc = 1;
		return;
	}
	if (!s->neg.v4 && !s->neg.v6)
		feed_warnx("%s takes neither IPv4 nor IPv6 unicast", s->peer);
	s->rx = s->neg.rx;
	sess_send_keepalive(s);
	s->state = SESS_OPENCONFIRM;
	sess_hold_restart(s);
}

static void
sess_recv_notification(struct sess *s, const uint8_t *body, size_t len)
{
	char text[NOTIF_SHUTDOWN_MAX + 1] = "";
	struct notif n;
	struct rbuf r;
	size_t i;

	rbuf_init(&r, body, len);
	if (notif_parse(&r, &n, NULL) == -1) {
		feed_log("received a malformed NOTIFICATION from %s", s->peer);
		n.code = 0;
	} else {
		for (i = 0; n.has_shutdown && i < n.shutdown_len; i++)
			text[i] = n.shutdown[i] >= 0x20 && n.shutdown[i] != 0x7f
			    ? (char)n.shutdown[i]
			    : '?';
		feed_log("received NOTIFICATION %u/%u (%s)%s%s%s from %s",
		    n.code, n.subcode, notif_name(n.code, n.subcode),
		    n.has_shutdown ? ", shutdown communication \"" : "", text,
		    n.has_shutdown ? "\"" : "", s->peer);
	}
	/* RFC 4271 §6.4: never answered; the sink ends normally on Cease. */
	sess_close(s, s->o->sink && n.code == BGP_ERR_CEASE ? 0 : 1);
}

/* The sink: decode and count, note the End-of-RIBs. */
static void
sess_sink_update(struct sess *s, const uint8_t *body, size_t len)
{
	struct update u;
	struct update_iter it;
	struct prefix p;
	uint32_t id;
	uint8_t safi;
	unsigned want = (s->neg.v4 ? 1u : 0u) + (s->neg.v6 ? 1u : 0u);
	uint64_t na = 0, nw = 0;

	if (update_parse(body, len, &s->rx, &u, NULL) == -1) {
		feed_warnx("bad UPDATE: %s", u.verdict.reason);
		sess_notify(s, u.verdict.code, u.verdict.subcode,
		    u.verdict.data, u.verdict.datalen, NULL);
		s->rc = 1;
		return;
	}
	update_iter_init(&it, &u, UPDATE_WITHDRAWN);
	while (update_iter_next(&it, &p, &id, &safi))
		nw++;
	update_iter_init(&it, &u, UPDATE_ANNOUNCED);
	while (update_iter_next(&it, &p, &id, &safi))
		na++;
	s->rx_withdrawn += nw;
	s->rx_announced += na;
	if (feed_verbose > 1) /* for tests: what came when */
		feed_log("+%.3f UPDATE %llu announced %llu withdrawn%s",
		    feed_now() - s->t_est, (unsigned long long)na,
		    (unsigned long long)nw, u.eor ? " End-of-RIB" : "");
	if (u.eor) {
		feed_log("End-of-RIB %s after %llu prefixes, %.3f s",
		    afi_name(u.eor_afi),
		    (unsigned long long)(s->rx_announced + s->rx_withdrawn),
		    feed_now() - s->t_est);
		if (++s->rx_eor == want) {
			s->t_rx_done = feed_now();
			feed_log("table complete");
			sess_print_stats(s, false);
		}
	}
}

static void
sess_dispatch(struct sess *s, uint8_t type, const uint8_t *body, size_t len)
{
	if (type == BGP_MSG_NOTIFICATION) {
		sess_recv_notification(s, body, len);
		return;
	}
	if (s->state == SESS_CLOSING)
		return;
	if (type == BGP_MSG_OPEN && s->state == SESS_OPENSENT) {
		sess_recv_open(s, body, len);
		return;
	}
	if (type == BGP_MSG_KEEPALIVE && s->state == SESS_OPENCONFIRM) {
		sess_hold_restart(s);
		sess_established(s);
		return;
	}
	if (s->state != SESS_ESTABLISHED || type == BGP_MSG_OPEN) {
		/* RFC 4271 §6.6, RFC 6608 §4: unexpected in this state. */
		feed_warnx(
		    "unexpected %s from %s", msg_type_name(type), s->peer);
		sess_notify(s, BGP_ERR_FSM, 0, NULL, 0, NULL);
		s->rc = 1;
		return;
	}
	sess_hold_restart(s);
	if (type == BGP_MSG_UPDATE) {
		s->rx_updates++;
		s->rx_bytes += len + BGP_HDR_LEN;
		if (s->o->sink)
			sess_sink_update(s, body, len);
	}
	/* KEEPALIVE: the hold timer was restarted; ROUTE-REFRESH: ignored. */
}

static void
sess_read_cb(struct bufferevent *bev, void *arg)
{
	struct sess *s = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	uint8_t hdr[BGP_HDR_LEN];
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;
	const uint8_t *m;

	while (s->bev != NULL) {
		if (evbuffer_get_length(in) < BGP_HDR_LEN) {
			bufferevent_setwatermark(bev, EV_READ, BGP_HDR_LEN, 0);
			return;
		}
		evbuffer_copyout(in, hdr, BGP_HDR_LEN);
		rbuf_init(&r, hdr, sizeof(hdr));
		if (msg_hdr_parse(&r, &s->rx, &h, &v, NULL) == -1) {
			feed_warnx("bad message header from %s: %s", s->peer,
			    v.reason);
			evbuffer_drain(in, evbuffer_get_length(in));
			sess_notify(
			    s, v.code, v.subcode, v.data, v.datalen, NULL);
			s->rc = 1;
			return;
		}
		if (evbuffer_get_length(in) < h.len) {
			bufferevent_setwatermark(bev, EV_READ, h.len, 0);
			return;
		}
		m = evbuffer_pullup(in, h.len);
		sess_dispatch(s, h.type, m + BGP_HDR_LEN, h.len - BGP_HDR_LEN);
		if (s->bev == NULL)
			return;
		evbuffer_drain(in, h.len);
	}
}

static void
sess_write_cb(struct bufferevent *bev, void *arg)
{
	struct sess *s = arg;
	size_t left = evbuffer_get_length(bufferevent_get_output(bev));

	if (s->state == SESS_CLOSING) {
		if (left == 0) /* the NOTIFICATION is out: half-close */
			shutdown(bufferevent_getfd(bev), SHUT_WR);
		return;
	}
	if (s->src_done) {
		if (left == 0)
			sess_drained(s);
		return;
	}
	sess_pump(s);
}

static void sess_event_cb(struct bufferevent *bev, short what, void *arg);

/* TCP is up: send our OPEN (RFC 4271 §8.2.2, Connect -> OpenSent). */
static void
sess_connected(struct sess *s)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	uint8_t buf[BGP_MAX_LEN];
	struct wbuf w;
	int one = 1, fd = bufferevent_getfd(s->bev);

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET) {
			const struct sockaddr_in *a = (void *)&ss;

			if (!s->o->nh4_set)
				memcpy(s->out.self4, &a->sin_addr, 4);
			if (!s->o->nh6_set) { /* IPv4-mapped, as FRR does */
				memset(s->out.self6, 0, 16);
				s->out.self6[10] = s->out.self6[11] = 0xff;
				memcpy(s->out.self6 + 12, &a->sin_addr, 4);
			}
			if (s->ours.bgp_id == 0)
				s->ours.bgp_id = ntohl(a->sin_addr.s_addr);
		} else if (ss.ss_family == AF_INET6 && !s->o->nh6_set) {
			const struct sockaddr_in6 *a = (void *)&ss;

			memcpy(s->out.self6, &a->sin6_addr, 16);
		}
	}
	if (s->ours.bgp_id == 0) {
		feed_warnx("no IPv4 address for a BGP identifier: "
		           "use --router-id");
		sess_close(s, 1);
		return;
	}
	bufferevent_setcb(
	    s->bev, sess_read_cb, sess_write_cb, sess_event_cb, s);
	bufferevent_setwatermark(s->bev, EV_READ, BGP_HDR_LEN, 0);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	feed_open_encode(&w, &s->ours);
	s->state = SESS_OPENSENT;
	sess_send_small(s, &w);
	sess_hold_restart(s);
	feed_log("connected to %s, OPEN sent", s->peer);
}

static void
sess_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct sess *s = arg;

	if (what & BEV_EVENT_CONNECTED) {
		sess_connected(s);
		return;
	}
	if (s->state == SESS_CLOSING) {
		sess_close(s, s->rc);
		return;
	}
	if (what & BEV_EVENT_EOF)
		feed_log("%s closed the connection", s->peer);
	else
		feed_log("connection with %s: %s", s->peer,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	sess_close(s, s->o->sink && s->state == SESS_ESTABLISHED ? 0 : 1);
}

static void
sess_hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess *s = arg;

	feed_warnx("hold timer expired");
	sess_notify(s, BGP_ERR_HOLD, 0, NULL, 0, NULL);
	s->rc = 1;
}

static void
sess_ka_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess *s = arg;

	if (s->state != SESS_ESTABLISHED)
		return;
	sess_send_keepalive(s);
	sess_timer(s->ev_ka, s->neg.hold / 3.0);
}

static void
sess_pace_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess *s = arg;

	s->waiting = false;
	sess_pump(s);
}

static void
sess_stats_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess *s = arg;

	if (s->state != SESS_ESTABLISHED)
		return;
	sess_print_stats(s, false);
	sess_timer(s->ev_stats, SESS_STATS_EVERY);
}

static void
sess_linger_cb(evutil_socket_t fd, short what, void *arg)
{
	sess_close(arg, ((struct sess *)arg)->rc);
}

static void
sess_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sess *s = arg;

	feed_log("%s: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	if (s->stopping && s->phase == PHASE_WITHDRAW) {
		s->phase = PHASE_ANNOUNCE; /* a second signal: Cease now */
		s->src_done = true;
	}
	sess_stop(s, NULL);
}

/* "HOST", "HOST:PORT", "[V6]:PORT" into a socket address. */
static int
sess_resolve(
    const char *spec, int passive, struct sockaddr_storage *ss, socklen_t *sl)
{
	char host[256], port[16] = "179";
	const char *c;
	struct addrinfo hints, *res;
	int e;

	if (spec[0] == '[' && (c = strchr(spec, ']')) != NULL) {
		snprintf(
		    host, sizeof(host), "%.*s", (int)(c - spec - 1), spec + 1);
		if (c[1] == ':')
			snprintf(port, sizeof(port), "%s", c + 2);
	} else if ((c = strrchr(spec, ':')) != NULL && strchr(spec, ':') == c) {
		snprintf(host, sizeof(host), "%.*s", (int)(c - spec), spec);
		snprintf(port, sizeof(port), "%s", c + 1);
	} else {
		snprintf(host, sizeof(host), "%s", spec);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = passive ? AI_PASSIVE : 0;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		feed_warnx("%s: %s", spec, gai_strerror(e));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void
sess_addr_name(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
		    a, sizeof(a));
	else if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)ss)->sin6_addr, a,
		    sizeof(a));
	snprintf(buf, size, "%s", a);
}

/*
 * RFC 2385 TCP MD5 for the peer at ss, or, on a listening socket (ss
 * NULL), for any peer of the family (a zero-length prefix).
 */
static int
sess_md5(int fd, int family, const struct sockaddr_storage *ss, const char *key)
{
	struct tcp_md5sig m;
	size_t len = strlen(key);

	if (len > TCP_MD5SIG_MAXKEYLEN) {
		feed_warnx(
		    "MD5 key longer than %d octets", TCP_MD5SIG_MAXKEYLEN);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	if (ss != NULL) {
		memcpy(&m.tcpm_addr, ss, sizeof(*ss));
	} else {
		m.tcpm_addr.ss_family = (sa_family_t)family;
		m.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
		m.tcpm_prefixlen = 0;
	}
	m.tcpm_keylen = (uint16_t)len;
	memcpy(m.tcpm_key, key, len);
	if (setsockopt(fd, IPPROTO_TCP,
	        ss != NULL ? TCP_MD5SIG : TCP_MD5SIG_EXT, &m,
	        sizeof(m)) == -1) {
		feed_warnx("TCP MD5: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
sess_bind_local(struct sess *s, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	if (s->o->local_addr == NULL)
		return 0;
	if (sess_resolve(s->o->local_addr, 1, &ss, &sl) == -1)
		return -1;
	((struct sockaddr_in *)&ss)->sin_port = 0;
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
		feed_warnx("bind %s: %s", s->o->local_addr, strerror(errno));
		return -1;
	}
	return 0;
}

static int
sess_connect(struct sess *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	if (sess_resolve(s->o->connect, 0, &ss, &sl) == -1)
		return -1;
	sess_addr_name(&ss, s->peer, sizeof(s->peer));
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1) {
		feed_warnx("socket: %s", strerror(errno));
		return -1;
	}
	if ((s->o->md5 != NULL && sess_md5(fd, 0, &ss, s->o->md5) == -1) ||
	    sess_bind_local(s, fd) == -1 ||
	    evutil_make_socket_nonblocking(fd)) {
		close(fd);
		return -1;
	}
	s->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		close(fd);
		return -1;
	}
	bufferevent_setcb(s->bev, NULL, NULL, sess_event_cb, s);
	s->state = SESS_CONNECT;
	if (bufferevent_socket_connect(s->bev, (struct sockaddr *)&ss, sl)) {
		feed_warnx("connect %s: %s", s->o->connect, strerror(errno));
		return -1;
	}
	return 0;
}

static void
sess_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int len, void *arg)
{
	struct sess *s = arg;
	struct sockaddr_storage ss;

	if (s->bev != NULL) {
		/* One session at a time: a second peer is turned away. */
		close(fd);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, sa, (size_t)len < sizeof(ss) ? (size_t)len : sizeof(ss));
	sess_addr_name(&ss, s->peer, sizeof(s->peer));
	evutil_make_socket_nonblocking(fd);
	s->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		close(fd);
		return;
	}
	evconnlistener_disable(l);
	sess_connected(s);
}

static int
sess_listen(struct sess *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	if (sess_resolve(s->o->listen, 1, &ss, &sl) == -1)
		return -1;
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if ((s->o->md5 != NULL &&
	        sess_md5(fd, ss.ss_family, NULL, s->o->md5) == -1) ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 || listen(fd, 8) == -1 ||
	    evutil_make_socket_nonblocking(fd) == -1) {
		feed_warnx("listen on %s: %s", s->o->listen, strerror(errno));
		close(fd);
		return -1;
	}
	s->lst = evconnlistener_new(
	    s->base, sess_accept_cb, s, LEV_OPT_CLOSE_ON_FREE, 0, fd);
	if (s->lst == NULL) {
		close(fd);
		return -1;
	}
	feed_log("listening on %s", s->o->listen);
	return 0;
}

static int
sess_setup(struct sess *s)
{
	s->base = event_base_new();
	if (s->base == NULL)
		return -1;
	s->ev_hold = evtimer_new(s->base, sess_hold_cb, s);
	s->ev_ka = evtimer_new(s->base, sess_ka_cb, s);
	s->ev_pace = evtimer_new(s->base, sess_pace_cb, s);
	s->ev_stats = evtimer_new(s->base, sess_stats_cb, s);
	s->ev_linger = evtimer_new(s->base, sess_linger_cb, s);
	s->ev_term = evsignal_new(s->base, SIGTERM, sess_signal_cb, s);
	s->ev_int = evsignal_new(s->base, SIGINT, sess_signal_cb, s);
	s->enc = malloc(sizeof(*s->enc));
	if (s->ev_hold == NULL || s->ev_ka == NULL || s->ev_pace == NULL ||
	    s->ev_stats == NULL || s->ev_linger == NULL || s->ev_term == NULL ||
	    s->ev_int == NULL || s->enc == NULL)
		return -1;
	evsignal_add(s->ev_term, NULL);
	evsignal_add(s->ev_int, NULL);
	wbuf_init_dyn(&s->w, 0);
	return 0;
}

static void
sess_teardown(struct sess *s)
{
	struct event *evs[] = { s->ev_hold, s->ev_ka, s->ev_pace, s->ev_stats,
		s->ev_linger, s->ev_term, s->ev_int };
	size_t i;

	if (s->bev != NULL)
		bufferevent_free(s->bev);
	if (s->lst != NULL)
		evconnlistener_free(s->lst);
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (evs[i] != NULL)
			event_free(evs[i]);
	if (s->src != NULL && s->src->free != NULL)
		s->src->free(s->src->arg);
	free(s->src);
	free(s->enc);
	wbuf_free(&s->w);
	if (s->base != NULL)
		event_base_free(s->base);
}

int
feed_sess_run(const struct feed_opts *o, struct feed_source *src)
{
	struct sess s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.src = src;
	feed_verbose = o->verbose;
	s.ours.local_as = o->local_as;
	s.ours.bgp_id = o->router_id;
	s.ours.hold = o->hold;
	s.ours.as4 = !o->as2;
	s.ours.ext_msg = o->ext_msg;
	s.ours.addpath =
	    o->sink ? ADDPATH_RECV : (o->addpath_send ? ADDPATH_SEND : 0);
	s.out.local_as = o->local_as;
	s.out.prepend = o->prepend;
	memcpy(s.out.self4, o->nh4, 4);
	memcpy(s.out.self6, o->nh6, 16);
	signal(SIGPIPE, SIG_IGN);
	if (sess_setup(&s) == -1) {
		feed_warnx("out of memory");
		sess_teardown(&s);
		return 1;
	}
	if ((o->listen != NULL ? sess_listen(&s) : sess_connect(&s)) == -1) {
		sess_teardown(&s);
		return 1;
	}
	event_base_dispatch(s.base);
	rc = s.rc;
	sess_teardown(&s);
	return rc;
}
