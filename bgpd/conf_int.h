/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Helpers shared by the configuration parser (conf.c) and its printer and
 * comparisons (conf_print.c); not for use outside those two files.
 *
 * Internal: conf_oom(), conf_sa_fmt(), conf_sa_port(), conf_sa_set_port(),
 *           conf_sa_addr_equal(), conf_sa_equal(), conf_size_fmt().
 */
#ifndef BGPWATCH_CONF_INT_H
#define BGPWATCH_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Out of memory in fn: say so on stderr and exit(1) (error tier 3). */
void conf_oom(const char *fn) __attribute__((noreturn));
/*
 * The address of sa (AF_INET or AF_INET6) as text, IPv6 link-local ones
 * with "%INTERFACE" (or "%INDEX" when the interface has no name); no port.
 * Returns buf.
 */
char *conf_sa_fmt(const struct sockaddr *sa, char *buf, size_t size);
/* The port of sa in host order. */
uint16_t conf_sa_port(const struct sockaddr *sa);
/* Set the port of sa (host order). */
void conf_sa_set_port(struct sockaddr *sa, uint16_t port);
/* Same family, address and IPv6 scope; ports are not compared. */
bool conf_sa_addr_equal(const struct sockaddr *a, const struct sockaddr *b);
/* conf_sa_addr_equal() and the same port. */
bool conf_sa_equal(const struct sockaddr *a, const struct sockaddr *b);
/*
 * A size as the file writes it: with the largest of K, M, G, T that
 * divides it (powers of 1024), else in bytes. Returns buf.
 */
char *conf_size_fmt(uint64_t v, char *buf, size_t size);
/* asdot "HI.LO" (RFC 5396 §1), each part 0..65535: 0, or -1 if not that. */
int conf_asdot(const char *a, uint32_t *as);

#endif
