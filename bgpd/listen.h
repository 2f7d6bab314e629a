/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Listening sockets for `listen on` (default 0.0.0.0 and :: port 179),
 * accept with rejection of unconfigured sources before a byte is read, and
 * the TCP socket options every BGP socket needs: RFC 2385 MD5 keys (also
 * installed on the listeners, per neighbor) and RFC 5082 GTSM (listeners
 * send with TTL 255 and save SYN headers so the TTL of a SYN can be
 * checked).
 *
 * Public: listen_apply(), listen_close_all(), listen_md5_sync(),
 *         listen_set_md5(), listen_set_gtsm(), listen_syn_ttl(),
 *         listen_set_defaults(), listen_sa_fmt().
 */
#ifndef BGPWATCH_LISTEN_H
#define BGPWATCH_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>

struct conf;
struct event_base;

/*
 * Make the set of listeners match c (atomically): bind every `listen on`
 * not yet bound (SO_REUSEADDR; IPV6_V6ONLY on IPv6), then close those c no
 * longer names, then install the neighbors' MD5 keys. With no `listen on`
 * in c, listens on 0.0.0.0 and :: port 179 (an IPv6 failure there is only
 * a warning). Returns 0, or -1 with every error logged and the previous
 * set of listeners left as it was.
 */
int listen_apply(struct event_base *base, const struct conf *c);
/* Close every listener (shutdown, or before exec). */
void listen_close_all(void);
/*
 * Install on every listener the RFC 2385 keys of c's neighbors of the same
 * address family and remove keys of neighbors that are gone or lost their
 * key. Failures are logged (a missing key means the peer cannot connect).
 */
void listen_md5_sync(const struct conf *c);
/*
 * Set (key non-empty) or delete (key NULL or "") the TCP MD5 signature key
 * for peer address sa on socket fd (Linux TCP_MD5SIG). 0 or -1 (errno).
 */
int listen_set_md5(int fd, const struct sockaddr *sa, const char *key);
/*
 * RFC 5082 GTSM on a connected or connecting socket of family af. With on:
 * send with TTL / hop limit 255 and drop segments that arrive with less
 * than 254 (IP_MINTTL / IPV6_MINHOPCOUNT); without: back to the system's
 * TTL and no minimum (accepted sockets inherit the listener's 255).
 * 0 or -1 (errno).
 */
int listen_set_gtsm(int fd, int af, bool on);
/*
 * The TTL (IPv4) or hop limit (IPv6) of the SYN that opened the accepted
 * connection fd, from TCP_SAVE_SYN on the listener; -1 when unknown. The
 * kernel saw data segments before accept() too late to apply IP_MINTTL, so
 * GTSM must look at the SYN (RFC 5082 §3).
 */
int listen_syn_ttl(int fd);
/*
 * Options every session socket of family af gets: TCP_NODELAY (messages
 * are written whole, and a NOTIFICATION must not wait behind Nagle for an
 * ACK) and the DSCP class CS6 (network control, RFC 4594). 0 or -1.
 */
int listen_set_defaults(int fd, int af);
/* "192.0.2.1" or "2001:db8::1" (port not shown); returns buf. */
char *listen_sa_fmt(const struct sockaddr *sa, char *buf, size_t size);

#endif
