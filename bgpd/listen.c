/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Listening sockets, accept, and the MD5/GTSM socket options; see listen.h.
 * An accepted connection is handed to session_accept(); one from an address
 * that is not a configured neighbor is closed before anything is read.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "conf.h"
#include "listen.h"
#include "log.h"
#include "rbuf.h"
#include "session.h"

#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT 73 /* Linux <linux/in6.h> */
#endif

#define LISTEN_BACKLOG 64
#define LISTEN_PAUSE_SEC 1 /* after EMFILE and friends */

struct listener {
	TAILQ_ENTRY(listener) entry;
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd;
	struct evconnlistener *evl;
	struct event *resume; /* re-enable after running out of fds */
	char name[64];
};
TAILQ_HEAD(listener_list, listener);

/* A peer address whose MD5 key is installed on the listeners. */
struct listen_key {
	TAILQ_ENTRY(listen_key) entry;
	struct sockaddr_storage ss;
};
TAILQ_HEAD(listen_key_list, listen_key);

static struct listener_list listeners = TAILQ_HEAD_INITIALIZER(listeners);
static struct listen_key_list listen_keys = TAILQ_HEAD_INITIALIZER(listen_keys);
static struct log_rate listen_reject_rate = { .burst = 10, .interval = 60 };
static struct log_rate listen_error_rate = { .burst = 5, .interval = 60 };

char *
listen_sa_fmt(const struct sockaddr *sa, char *buf, size_t size)
{
	const void *a;

	if (sa->sa_family == AF_INET)
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	else
		a = NULL;
	if (a == NULL || inet_ntop(sa->sa_family, a, buf, size) == NULL)
		snprintf(buf, size, "(af %d)", sa->sa_family);
	return buf;
}

static uint16_t
listen_sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

/* Same family, address and (when port is true) port. */
static bool
listen_sa_equal(const struct sockaddr *a, const struct sockaddr *b, bool port)
{
	const struct sockaddr_in *a4, *b4;
	const struct sockaddr_in6 *a6, *b6;

	if (a->sa_family != b->sa_family)
		return false;
	if (port && listen_sa_port(a) != listen_sa_port(b))
		return false;
	if (a->sa_family == AF_INET) {
		a4 = (const struct sockaddr_in *)a;
		b4 = (const struct sockaddr_in *)b;
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	if (a->sa_family == AF_INET6) {
		a6 = (const struct sockaddr_in6 *)a;
		b6 = (const struct sockaddr_in6 *)b;
		return memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0;
	}
	return false;
}

static socklen_t
listen_sa_len(int af)
{
	return af == AF_INET6 ? sizeof(struct sockaddr_in6)
	                      : sizeof(struct sockaddr_in);
}

int
listen_set_md5(int fd, const struct sockaddr *sa, const char *key)
{
	struct tcp_md5sig md5;
	size_t klen = key == NULL ? 0 : strlen(key);

	/* RFC 2385 keys are at most TCP_MD5SIG_MAXKEYLEN (80) octets. */
	if (klen > TCP_MD5SIG_MAXKEYLEN) {
		errno = EINVAL;
		return -1;
	}
	memset(&md5, 0, sizeof(md5));
	memcpy(&md5.tcpm_addr, sa, listen_sa_len(sa->sa_family));
	md5.tcpm_keylen = (uint16_t)klen; /* 0 deletes the key */
	memcpy(md5.tcpm_key, key == NULL ? "" : key, klen);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

/* Outgoing TTL / hop limit; -1 is the system default. */
static int
listen_set_ttl(int fd, int af, int ttl)
{
	if (af == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	return setsockopt(
	    fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
}

int
listen_set_gtsm(int fd, int af, bool on)
{
	int minttl = on ? 254 : 0; /* RFC 5082 §3: one hop away */

	if (listen_set_ttl(fd, af, on ? 255 : -1) == -1)
		return -1;
	if (af == AF_INET)
		return setsockopt(
		    fd, IPPROTO_IP, IP_MINTTL, &minttl, sizeof(minttl));
	return setsockopt(
	    fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &minttl, sizeof(minttl));
}

int
listen_syn_ttl(int fd)
{
	uint8_t hdr[128], vihl, ttl;
	socklen_t len = sizeof(hdr);
	struct rbuf r;

	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, hdr, &len) == -1)
		return -1;
	rbuf_init(&r, hdr, len);
	if (rbuf_peek_u8(&r, &vihl) == -1)
		return -1;
	/* IPv4: TTL at octet 8; IPv6: Hop Limit at octet 7. */
	if (vihl >> 4 == 4 && rbuf_skip(&r, 8) == 0 &&
	    rbuf_get_u8(&r, &ttl) == 0)
		return ttl;
	if (vihl >> 4 == 6 && rbuf_skip(&r, 7) == 0 &&
	    rbuf_get_u8(&r, &ttl) == 0)
		return ttl;
	return -1;
}

int
listen_set_defaults(int fd, int af)
{
	int on = 1, tos = 0xc0; /* CS6 */

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1)
		return -1;
	if (af == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
}

static void
listen_accept_cb(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener *l = arg;
	char addr[INET6_ADDRSTRLEN];

	if (session_accept(fd, sa, (socklen_t)salen) == 0)
		return;
	/* Not a configured neighbor: close before reading a byte. */
	close(fd);
	log_rate_warnx(&listen_reject_rate,
	    "listener %s: connection from %s port %u refused: "
	    "not a configured neighbor",
	    l->name, listen_sa_fmt(sa, addr, sizeof(addr)), listen_sa_port(sa));
}

static void
listen_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;

	evconnlistener_enable(l->evl);
}

/* accept(2) failed (EMFILE, ENOBUFS...): back off instead of spinning. */
static void
listen_error_cb(struct evconnlistener *evl, void *arg)
{
	struct listener *l = arg;
	struct timeval tv = { LISTEN_PAUSE_SEC, 0 };
	int err = EVUTIL_SOCKET_ERROR();

	log_rate_warnx(&listen_error_rate, "listener %s: accept: %s", l->name,
	    strerror(err));
	evconnlistener_disable(evl);
	evtimer_add(l->resume, &tv);
}

static int
listen_socket(const struct sockaddr *sa, socklen_t salen)
{
	int fd, on = 1;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_TCP);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	/* One listener per family: :: must not take IPv4 as mapped. */
	if (sa->sa_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1)
		goto fail;
	/*
	 * GTSM (RFC 5082): our SYN-ACK must reach a neighbor's IP_MINTTL,
	 * and the TTL of its SYN is checked after accept().
	 */
	if (listen_set_ttl(fd, sa->sa_family, 255) == -1 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_SAVE_SYN, &on, sizeof(on)) == -1)
		goto fail;
	if (bind(fd, sa, salen) == -1 || listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* Bind one listener; NULL with the error logged. */
static struct listener *
listen_open(struct event_base *base, const struct sockaddr *sa, socklen_t salen,
    bool quiet)
{
	struct listener *l;
	char addr[INET6_ADDRSTRLEN];

	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("%s", __func__);
	memcpy(&l->ss, sa, salen);
	l->sslen = salen;
	snprintf(l->name, sizeof(l->name), "%s port %u",
	    listen_sa_fmt(sa, addr, sizeof(addr)), listen_sa_port(sa));
	if ((l->fd = listen_socket(sa, salen)) == -1) {
		if (quiet)
			log_info("not listening on %s: %s", l->name,
			    strerror(errno));
		else
			log_warn("listen on %s", l->name);
		free(l);
		return NULL;
	}
	/* Backlog 0: the socket already listens. */
	l->evl = evconnlistener_new(base, listen_accept_cb, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, l->fd);
	l->resume = evtimer_new(base, listen_resume_cb, l);
	if (l->evl == NULL || l->resume == NULL)
		fatalx("%s: libevent failed", __func__);
	evconnlistener_set_error_cb(l->evl, listen_error_cb);
	return l;
}

static void
listen_free(struct listener *l)
{
	log_info("listener %s closed", l->name);
	evconnlistener_free(l->evl); /* closes l->fd */
	event_free(l->resume);
	free(l);
}

/* The default listen addresses: 0.0.0.0 and :: port 179. */
static void
listen_defaults(struct sockaddr_in *sin, struct sockaddr_in6 *sin6)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(CONF_DEFAULT_PORT);
	sin->sin_addr.s_addr = htonl(INADDR_ANY);
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(CONF_DEFAULT_PORT);
	sin6->sin6_addr = in6addr_any;
}

static bool
listen_wanted(const struct conf *c, const struct sockaddr *sa)
{
	struct conf_listen *cl;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (STAILQ_EMPTY(&c->listens)) {
		listen_defaults(&sin, &sin6);
		return listen_sa_equal(sa, (struct sockaddr *)&sin, true) ||
		    listen_sa_equal(sa, (struct sockaddr *)&sin6, true);
	}
	STAILQ_FOREACH(cl, &c->listens, entry)
	if (listen_sa_equal(sa, (struct sockaddr *)&cl->ss, true))
		return true;
	return false;
}

static struct listener *
listen_find(const struct sockaddr *sa)
{
	struct listener *l;

	TAILQ_FOREACH(l, &listeners, entry)
	if (listen_sa_equal(sa, (struct sockaddr *)&l->ss, true))
		return l;
	return NULL;
}

/*
 * Bind sa unless already bound; add it to fresh. Returns -1 on a failure
 * that must abort the change (optional: a failure that is only logged).
 */
static int
listen_add(struct event_base *base, struct listener_list *fresh,
    const struct sockaddr *sa, socklen_t salen, bool optional)
{
	struct listener *l;

	if (listen_find(sa) != NULL)
		return 0;
	TAILQ_FOREACH(l, fresh, entry)
	if (listen_sa_equal(sa, (struct sockaddr *)&l->ss, true))
		return 0;
	if ((l = listen_open(base, sa, salen, optional)) == NULL)
		return optional ? 0 : -1;
	TAILQ_INSERT_TAIL(fresh, l, entry);
	return 0;
}

int
listen_apply(struct event_base *base, const struct conf *c)
{
	struct listener_list fresh = TAILQ_HEAD_INITIALIZER(fresh);
	struct listener *l, *tmp;
	struct conf_listen *cl;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	int rv = 0;

	if (STAILQ_EMPTY(&c->listens)) {
		listen_defaults(&sin, &sin6);
		rv |= listen_add(
		    base, &fresh, (struct sockaddr *)&sin, sizeof(sin), false);
		rv |= listen_add(
		    base, &fresh, (struct sockaddr *)&sin6, sizeof(sin6), true);
	}
	STAILQ_FOREACH(cl, &c->listens, entry)
	rv |= listen_add(
	    base, &fresh, (struct sockaddr *)&cl->ss, cl->sslen, false);
	if (rv != 0) {
		while ((l = TAILQ_FIRST(&fresh)) != NULL) {
			TAILQ_REMOVE(&fresh, l, entry);
			listen_free(l);
		}
		return -1;
	}
	TAILQ_FOREACH_SAFE(l, &listeners, entry, tmp)
	{
		if (!listen_wanted(c, (struct sockaddr *)&l->ss)) {
			TAILQ_REMOVE(&listeners, l, entry);
			listen_free(l);
		}
	}
	while ((l = TAILQ_FIRST(&fresh)) != NULL) {
		TAILQ_REMOVE(&fresh, l, entry);
		TAILQ_INSERT_TAIL(&listeners, l, entry);
		log_info("listening on %s", l->name);
	}
	listen_md5_sync(c);
	return 0;
}

void
listen_close_all(void)
{
	struct listener *l;
	struct listen_key *k;

	while ((l = TAILQ_FIRST(&listeners)) != NULL) {
		TAILQ_REMOVE(&listeners, l, entry);
		listen_free(l);
	}
	while ((k = TAILQ_FIRST(&listen_keys)) != NULL) {
		TAILQ_REMOVE(&listen_keys, k, entry);
		free(k);
	}
}

/* Set or delete the key for sa on every listener of its family. */
static void
listen_md5_all(const struct sockaddr *sa, const char *key)
{
	struct listener *l;
	char addr[INET6_ADDRSTRLEN];

	TAILQ_FOREACH(l, &listeners, entry)
	{
		if (l->ss.ss_family != sa->sa_family)
			continue;
		if (listen_set_md5(l->fd, sa, key) == -1)
			log_warn("listener %s: TCP MD5 key for %s", l->name,
			    listen_sa_fmt(sa, addr, sizeof(addr)));
	}
}

void
listen_md5_sync(const struct conf *c)
{
	struct listen_key *k, *tmp;
	struct conf_neighbor *n;
	bool known;

	TAILQ_FOREACH_SAFE(k, &listen_keys, entry, tmp)
	{
		n = conf_neighbor_find(c, (struct sockaddr *)&k->ss);
		if (n != NULL && n->md5[0] != '\0')
			continue;
		listen_md5_all((struct sockaddr *)&k->ss, NULL);
		TAILQ_REMOVE(&listen_keys, k, entry);
		free(k);
	}
	STAILQ_FOREACH(n, &c->neighbors, entry)
	{
		if (n->md5[0] == '\0')
			continue;
		listen_md5_all((struct sockaddr *)&n->addr, n->md5);
		known = false;
		TAILQ_FOREACH(k, &listen_keys, entry)
		if (listen_sa_equal((struct sockaddr *)&k->ss,
		        (struct sockaddr *)&n->addr, false))
			known = true;
		if (known)
			continue;
		if ((k = calloc(1, sizeof(*k))) == NULL)
			fatal("%s", __func__);
		memcpy(&k->ss, &n->addr, sizeof(k->ss));
		TAILQ_INSERT_TAIL(&listen_keys, k, entry);
	}
}
