/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * TCP and TLS outputs: a Logstash tcp input with the json_lines codec on
 * the other end. Lines go straight to the non-blocking bufferevent while
 * it is connected, caught up and below OUTPUT_NET_HIWAT; otherwise into
 * the backlog (the spool through the I/O thread, or a memory queue), and
 * from there, in order, when the connection has room. What a connection
 * took is kept in a resend window: when it breaks, that is sent first on
 * the next one (at least once; event.id makes duplicates harmless).
 * Reconnects back off exponentially from 1 to 60 seconds.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>

#include "config.h"

#if HAVE_TLS
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#endif

#include "log.h"
#include "output_int.h"
#include "spool.h"

#define OUTPUT_TRIM_SLACK (256u << 10) /* window overshoot before a trim */
#define OUTPUT_DOWN_LOG_MS 60000 /* "still down" at most this often */

static struct event_base *output_net_base;
static struct evdns_base *output_net_dns;

static void output_net_connect(struct output *);

/*
 * Keep the resend window at resend bytes (or at least what the socket has
 * not taken yet), cut at a line boundary so that it always starts with a
 * whole line. Amortised: only once it is OUTPUT_TRIM_SLACK over.
 */
static void
output_net_trim(struct output *o)
{
	struct evbuffer_ptr p;
	size_t len = evbuffer_get_length(o->window), keep = o->conf.resend;
	size_t out = 0, from;

	if (o->bev != NULL)
		out = evbuffer_get_length(bufferevent_get_output(o->bev));
	if (keep < out)
		keep = out;
	if (len <= keep + OUTPUT_TRIM_SLACK)
		return;
	from = len - keep - OUTPUT_TRIM_SLACK / 2;
	if (evbuffer_ptr_set(o->window, &p, from, EVBUFFER_PTR_SET) == -1)
		return;
	p = evbuffer_search(o->window, "\n", 1, &p);
	if (p.pos == -1 || (size_t)p.pos + 1 > len - keep)
		return; /* one line longer than the slack: next time */
	evbuffer_drain(o->window, (size_t)p.pos + 1);
}

/* Hand n bytes to the connection, keeping them in the resend window. */
static void
output_net_send(struct output *o, const void *p, size_t n)
{
	evbuffer_add(bufferevent_get_output(o->bev), p, n);
	evbuffer_add(o->window, p, n);
	o->st.bytes += n;
	output_net_trim(o);
}

void
output_net_fill(struct output *o)
{
	static char buf[OUTPUT_CHUNK];
	struct evbuffer *out;
	size_t n;

	if (o->state != OUTPUT_NET_UP)
		return;
	out = bufferevent_get_output(o->bev);
	while (evbuffer_get_length(out) < OUTPUT_NET_HIWAT) {
		if (evbuffer_get_length(o->replay) > 0) {
			n = (size_t)evbuffer_remove(
			    o->replay, buf, sizeof(buf));
			o->st.resent += n;
		} else if (o->backlog == 0)
			break;
		else {
			n = o->io != NULL
			    ? output_io_take(o->io, buf, sizeof(buf))
			    : (size_t)evbuffer_remove(
			          o->memq, buf, sizeof(buf));
			if (n == 0)
				break; /* the I/O thread is reading ahead */
			o->backlog -= n;
		}
		output_net_send(o, buf, n);
	}
}

bool
output_net_room(struct output *o, size_t len, const char **why)
{
	if (o->io != NULL && o->backlog + len > o->conf.spool_max) {
		*why = "spool-full";
		return false;
	}
	if ((o->io != NULL ? output_io_queued(o->io) : o->backlog) + len >
	    o->conf.queue) {
		*why = "queue-full";
		return false;
	}
	return true;
}

void
output_net_emit(
    struct output *o, const void *line, size_t len, uint64_t seq, bool force)
{
	const char *why;

	if (o->state == OUTPUT_NET_UP && o->backlog == 0 &&
	    evbuffer_get_length(o->replay) == 0 &&
	    evbuffer_get_length(bufferevent_get_output(o->bev)) <
	        OUTPUT_NET_HIWAT) {
		output_net_send(o, line, len);
		output_accept(o);
		return;
	}
	if (!force && !output_net_room(o, len, &why)) {
		output_drop(o, seq, why);
		return;
	}
	if (o->io != NULL)
		output_io_push(o->io, line, len);
	else
		evbuffer_add(o->memq, line, len);
	o->backlog += len;
	o->st.spooled++;
	output_accept(o);
}

bool
output_net_flushed(struct output *o)
{
	return o->state == OUTPUT_NET_UP && o->backlog == 0 &&
	    evbuffer_get_length(o->replay) == 0 &&
	    evbuffer_get_length(bufferevent_get_output(o->bev)) == 0;
}

/* Why the connection failed, from errno, the resolver or OpenSSL. */
static void
output_net_why(struct output *o, short what, char *buf, size_t size)
{
	int dns = bufferevent_socket_get_dns_error(o->bev);
#if HAVE_TLS
	unsigned long e;
	long vr;
	SSL *ssl;
#endif

	if (dns != 0) {
		snprintf(buf, size, "%.128s: %.64s", o->conf.host,
		    evutil_gai_strerror(dns));
		return;
	}
#if HAVE_TLS
	if (o->conf.type == CONF_OUT_TLS) {
		ssl = bufferevent_openssl_get_ssl(o->bev);
		vr = ssl != NULL ? SSL_get_verify_result(ssl) : X509_V_OK;
		if ((e = bufferevent_get_openssl_error(o->bev)) != 0) {
			if (vr != X509_V_OK)
				snprintf(buf, size, "TLS: certificate: %s",
				    X509_verify_cert_error_string(vr));
			else {
				snprintf(buf, size, "TLS: ");
				ERR_error_string_n(
				    e, buf + strlen(buf), size - strlen(buf));
			}
			while (bufferevent_get_openssl_error(o->bev) != 0)
				;
			return;
		}
	}
#endif
	if (what & BEV_EVENT_EOF)
		snprintf(buf, size, "connection closed by the receiver");
	else
		snprintf(buf, size, "%s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
}

/* Lost or never made: keep what it took for the next one, retry later. */
static void
output_net_down(struct output *o, const char *why)
{
	struct timeval tv = { o->backoff, 0 };
	int64_t now = output_now();
	bool was_up = o->state == OUTPUT_NET_UP;

	evbuffer_prepend_buffer(o->replay, o->window);
	bufferevent_free(o->bev);
	o->bev = NULL;
	o->state = OUTPUT_NET_DOWN;
	snprintf(o->st.error, sizeof(o->st.error), "%s", why);
	o->st.error_time = now;
	if (was_up || now - o->last_log >= OUTPUT_DOWN_LOG_MS) {
		log_warnx("output %s: %s%s; events wait in the %s, %zu bytes "
		          "will be sent again",
		    o->name, was_up ? "connection lost: " : "", why,
		    o->io != NULL ? "spool" : "memory queue",
		    evbuffer_get_length(o->replay));
		o->last_log = now;
	}
	evtimer_add(o->retry, &tv);
	o->backoff = o->backoff * 2 > OUTPUT_BACKOFF_MAX ? OUTPUT_BACKOFF_MAX
	                                                 : o->backoff * 2;
}

static void
output_net_up(struct output *o)
{
	o->state = OUTPUT_NET_UP;
	o->backoff = OUTPUT_BACKOFF_MIN;
	o->st.connects++;
	o->st.error[0] = '\0';
	log_info("output %s: connected; %zu bytes to send again, %llu "
	         "waiting",
	    o->name, evbuffer_get_length(o->replay),
	    (unsigned long long)o->backlog);
	output_net_fill(o);
}

static void
output_net_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct output *o = arg;
	char why[256];

	if (what & BEV_EVENT_CONNECTED) {
		output_net_up(o);
		return;
	}
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		output_net_why(o, what, why, sizeof(why));
		output_net_down(o, why);
	}
}

/* The receiver has nothing to say; whatever it sends is dropped. */
static void
output_net_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);

	evbuffer_drain(in, evbuffer_get_length(in));
}

static void
output_net_write_cb(struct bufferevent *bev, void *arg)
{
	output_net_fill(arg);
}

static void
output_net_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	output_net_connect(arg);
}

#if HAVE_TLS
/* The OpenSSL error queue as one line (and emptied). */
static void
output_tls_err(char *buf, size_t size)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, size, "unknown error");
	else
		ERR_error_string_n(e, buf, size);
	ERR_clear_error();
}

/*
 * The client context: TLS 1.2 or later, the server certificate verified
 * against ca (RFC 5280 path validation by OpenSSL), a client certificate
 * if configured. Host names are checked per connection.
 */
static SSL_CTX *
output_tls_ctx(struct output *o)
{
	const char *what = "TLS context";
	char err[256];
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	what = o->conf.ca;
	if (SSL_CTX_load_verify_locations(ctx, o->conf.ca, NULL) != 1)
		goto fail;
	if (o->conf.cert[0] == '\0')
		return ctx;
	what = o->conf.cert;
	if (SSL_CTX_use_certificate_chain_file(ctx, o->conf.cert) != 1)
		goto fail;
	what = o->conf.key;
	if (SSL_CTX_use_PrivateKey_file(ctx, o->conf.key, SSL_FILETYPE_PEM) !=
	        1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		goto fail;
	return ctx;
fail:
	output_tls_err(err, sizeof(err));
	log_warnx("output %s: %s: %s", o->name, what, err);
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * One connection's TLS state: SNI and RFC 6125 host name checks for a
 * name, an IP address SAN check for an address.
 */
static SSL *
output_tls_ssl(struct output *o)
{
	const char *name =
	    o->conf.server_name[0] != '\0' ? o->conf.server_name : o->conf.host;
	struct in6_addr a;
	SSL *ssl;

	if ((ssl = SSL_new(o->ssl_ctx)) == NULL)
		return NULL;
	if (inet_pton(AF_INET, name, &a) == 1 ||
	    inet_pton(AF_INET6, name, &a) == 1) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) ==
		    1)
			return ssl;
	} else if (SSL_set_tlsext_host_name(ssl, name) == 1 &&
	    SSL_set1_host(ssl, name) == 1) {
		SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		return ssl;
	}
	SSL_free(ssl);
	return NULL;
}
#endif

/* A new bufferevent: plain, or TLS in client mode. */
static struct bufferevent *
output_net_bev(struct output *o)
{
	int opt = BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS;
#if HAVE_TLS
	struct bufferevent *bev;
	SSL *ssl;

	if (o->conf.type == CONF_OUT_TLS) {
		if ((ssl = output_tls_ssl(o)) == NULL)
			return NULL;
		bev = bufferevent_openssl_socket_new(
		    output_net_base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, opt);
		if (bev == NULL) {
			SSL_free(ssl);
			return NULL;
		}
		/* We never read: a receiver going away is no error. */
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
		return bev;
	}
#endif
	return bufferevent_socket_new(output_net_base, -1, opt);
}

/*
 * Resolve (evdns, never blocking) and connect. Callbacks are deferred, so
 * none runs before this returns.
 */
static void
output_net_connect(struct output *o)
{
	o->state = OUTPUT_NET_CONNECTING;
	if ((o->bev = output_net_bev(o)) == NULL)
		fatalx("%s: cannot create a bufferevent", __func__);
	bufferevent_setcb(o->bev, output_net_read_cb, output_net_write_cb,
	    output_net_event_cb, o);
	bufferevent_setwatermark(o->bev, EV_WRITE, OUTPUT_NET_LOWAT, 0);
	bufferevent_enable(o->bev, EV_READ | EV_WRITE);
	if (bufferevent_socket_connect_hostname(o->bev, output_net_dns,
	        AF_UNSPEC, o->conf.host, o->conf.port) == -1)
		output_net_down(o, "cannot start connecting");
}

/* The spool and its I/O thread; what an earlier run left goes first. */
static int
output_net_spool(struct output *o)
{
	char err[512];
	struct spool *sp;

	sp = spool_open(o->conf.spool, o->conf.spool_max + 4 * OUTPUT_READAHEAD,
	    err, sizeof(err));
	if (sp == NULL) {
		log_warnx("output %s: %s", o->name, err);
		return -1;
	}
	o->backlog = spool_bytes(sp);
	if (o->backlog > 0)
		log_info("output %s: %llu bytes of events left in the spool "
		         "by an earlier run go first",
		    o->name, (unsigned long long)o->backlog);
	o->io =
	    output_io_start(o, output_net_base, OUTPUT_IO_SPOOL, -1, NULL, sp);
	return o->io == NULL ? -1 : 0;
}

int
output_net_new(
    struct output *o, struct event_base *base, struct evdns_base *dns)
{
	output_net_base = base;
	output_net_dns = dns;
	o->replay = evbuffer_new();
	o->window = evbuffer_new();
	o->memq = evbuffer_new();
	o->retry = evtimer_new(base, output_net_retry_cb, o);
	if (o->replay == NULL || o->window == NULL || o->memq == NULL ||
	    o->retry == NULL)
		fatalx("%s: out of memory", __func__);
	o->backoff = OUTPUT_BACKOFF_MIN;
	if (o->conf.type == CONF_OUT_TLS) {
#if HAVE_TLS
		if ((o->ssl_ctx = output_tls_ctx(o)) == NULL)
			goto fail;
#else
		log_warnx("output %s: built without TLS support", o->name);
		goto fail;
#endif
	}
	if (o->conf.spool[0] != '\0' && output_net_spool(o) == -1)
		goto fail;
	output_net_connect(o);
	return 0;
fail:
	output_net_free(o, 0);
	return -1;
}

void
output_net_free(struct output *o, int timeout_ms)
{
	uint64_t lost = 0;

	if (o->bev != NULL) {
		/* Flushed: delivered as far as TCP can tell. */
		if (evbuffer_get_length(bufferevent_get_output(o->bev)) == 0)
			evbuffer_drain(
			    o->window, evbuffer_get_length(o->window));
		evbuffer_prepend_buffer(o->replay, o->window);
		bufferevent_free(o->bev);
		o->bev = NULL;
	}
	if (o->io != NULL) {
		output_io_prepend(o->io, o->replay);
		lost = output_io_stop(o->io, timeout_ms);
		o->io = NULL;
	} else if (o->memq != NULL)
		lost = evbuffer_get_length(o->memq) +
		    evbuffer_get_length(o->replay);
	if (lost > 0)
		log_warnx("output %s: %llu bytes of events lost", o->name,
		    (unsigned long long)lost);
	if (o->retry != NULL)
		event_free(o->retry);
#if HAVE_TLS
	SSL_CTX_free(o->ssl_ctx);
#endif
	if (o->replay != NULL)
		evbuffer_free(o->replay);
	if (o->window != NULL)
		evbuffer_free(o->window);
	if (o->memq != NULL)
		evbuffer_free(o->memq);
	o->retry = NULL;
	o->replay = o->window = o->memq = NULL;
	o->ssl_ctx = NULL;
}
