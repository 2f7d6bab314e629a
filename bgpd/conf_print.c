/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The normalised printer behind `bgpwatchd -n`, the comparisons SIGHUP
 * reload uses, the neighbor lookup by address, and the socket address
 * helpers the parser shares (conf_int.h).
 *
 * Public (see conf.h): conf_print(), conf_equal(), conf_global_needs_reset(),
 *         conf_neighbor_find(), conf_neighbor_equal(),
 *         conf_neighbor_needs_reset(), conf_role_name(),
 *         conf_output_equal(), conf_output_name(), conf_output_type_name().
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <string.h>

#include "conf.h"
#include "conf_int.h"
#include "conf_watch.h"

char *
conf_sa_fmt(const struct sockaddr *sa, char *buf, size_t size)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
	char a[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE];
	const void *addr;

	if (sa->sa_family == AF_INET)
		addr = &((const struct sockaddr_in *)sa)->sin_addr;
	else
		addr = &sin6->sin6_addr;
	if (inet_ntop(sa->sa_family, addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	if (sa->sa_family != AF_INET6 || sin6->sin6_scope_id == 0)
		snprintf(buf, size, "%s", a);
	else if (if_indextoname(sin6->sin6_scope_id, ifname) != NULL)
		snprintf(buf, size, "%s%%%s", a, ifname);
	else
		snprintf(buf, size, "%s%%%u", a, (unsigned)sin6->sin6_scope_id);
	return buf;
}

uint16_t
conf_sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

void
conf_sa_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

bool
conf_sa_addr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)b;

	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0 &&
	    a6->sin6_scope_id == b6->sin6_scope_id;
}

bool
conf_sa_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	return conf_sa_addr_equal(a, b) && conf_sa_port(a) == conf_sa_port(b);
}

const char *
conf_role_name(uint8_t role)
{
	static const char *const names[] = {
		[CONF_ROLE_PROVIDER] = "provider",
		[CONF_ROLE_RS] = "rs",
		[CONF_ROLE_RS_CLIENT] = "rs-client",
		[CONF_ROLE_CUSTOMER] = "customer",
		[CONF_ROLE_PEER] = "peer",
	};

	return role < sizeof(names) / sizeof(names[0]) ? names[role] : "?";
}

char *
conf_size_fmt(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		if (v != 0 && v % (1ull << (10 * (i + 1))) == 0) {
			snprintf(buf, size, "%llu%c",
			    (unsigned long long)(v >> (10 * (i + 1))),
			    units[i]);
			return buf;
		}
	}
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

const char *
conf_output_type_name(enum conf_output_type t)
{
	switch (t) {
	case CONF_OUT_FILE:
		return "file";
	case CONF_OUT_STDOUT:
		return "stdout";
	case CONF_OUT_TCP:
		return "tcp";
	case CONF_OUT_TLS:
		return "tls";
	}
	return "?";
}

char *
conf_output_name(const struct conf_output *o, char *buf, size_t size)
{
	const char *t = conf_output_type_name(o->type);

	if (o->type == CONF_OUT_FILE)
		snprintf(buf, size, "file:%s", o->path);
	else if (o->type == CONF_OUT_STDOUT)
		snprintf(buf, size, "stdout");
	else if (strchr(o->host, ':') != NULL)
		snprintf(buf, size, "%s:[%s]:%u", t, o->host, o->port);
	else
		snprintf(buf, size, "%s:%s:%u", t, o->host, o->port);
	return buf;
}

bool
conf_output_equal(const struct conf_output *a, const struct conf_output *b)
{
	return a->type == b->type && strcmp(a->path, b->path) == 0 &&
	    strcmp(a->host, b->host) == 0 && a->port == b->port &&
	    strcmp(a->ca, b->ca) == 0 && strcmp(a->cert, b->cert) == 0 &&
	    strcmp(a->key, b->key) == 0 &&
	    strcmp(a->server_name, b->server_name) == 0 &&
	    strcmp(a->spool, b->spool) == 0 && a->spool_max == b->spool_max &&
	    a->queue == b->queue && a->resend == b->resend;
}

/* s in double quotes, with '"' and '\' escaped so it reads back. */
static void
conf_print_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* "KEYWORD "VALUE"" or, for an empty value, "# KEYWORD: none (why)". */
static void
conf_print_opt(FILE *out, const char *ind, const char *kw, const char *val,
    const char *none)
{
	if (val[0] == '\0') {
		fprintf(out, "%s# %s: none (%s)\n", ind, kw, none);
		return;
	}
	fprintf(out, "%s%s ", ind, kw);
	conf_print_str(out, val);
	fputc('\n', out);
}

static const char *
conf_yn(bool v)
{
	return v ? "yes" : "no";
}

static void
conf_print_global(const struct conf *c, FILE *out)
{
	const struct conf_listen *l;
	struct in_addr id;
	char a[64];

	id.s_addr = htonl(c->router_id);
	fprintf(out, "local-as %u\n", c->local_as);
	fprintf(out, "router-id %s\n", inet_ntop(AF_INET, &id, a, sizeof(a)));
	STAILQ_FOREACH(l, &c->listens, entry)
	fprintf(out, "listen on %s port %u\n",
	    conf_sa_fmt((const struct sockaddr *)&l->ss, a, sizeof(a)),
	    conf_sa_port((const struct sockaddr *)&l->ss));
	if (STAILQ_EMPTY(&c->listens))
		fprintf(out,
		    "# listen on 0.0.0.0 port %d (default)\n"
		    "# listen on :: port %d (default)\n",
		    CONF_DEFAULT_PORT, CONF_DEFAULT_PORT);
	conf_print_opt(out, "", "control", c->control, "");
	fprintf(out, "hold-time %u\n", c->holdtime);
	fprintf(out, "connect-retry %u\n", c->connect_retry);
	conf_print_opt(out, "", "user", c->user, "privileges are not dropped");
	conf_print_opt(out, "", "hostname", c->hostname, "no FQDN capability");
	conf_print_opt(
	    out, "", "observer-name", c->observer_name, "the host's name");
	if (c->log_updates)
		fprintf(out, "log updates\n");
	else
		fprintf(out, "# log updates: off\n");
	fprintf(out, "stats-interval %u\n", c->stats_interval);
	if (c->dump_table[0] == '\0')
		fprintf(out, "# dump table: none\n");
	else {
		fprintf(out, "dump table ");
		conf_print_str(out, c->dump_table);
		if (c->dump_table_interval != 0)
			fprintf(out, " %u", c->dump_table_interval);
		fputc('\n', out);
	}
	if (c->dump_updates[0] == '\0') {
		fprintf(out, "# dump updates: none\n");
		return;
	}
	fprintf(out, "dump %s ", c->dump_updates_all ? "all" : "updates");
	conf_print_str(out, c->dump_updates);
	fprintf(out, " %u\n", c->dump_updates_interval);
}

/* " KEYWORD "VALUE"" when the value is set. */
static void
conf_print_kv(FILE *out, const char *kw, const char *val)
{
	if (val[0] == '\0')
		return;
	fprintf(out, " %s ", kw);
	conf_print_str(out, val);
}

/* One output statement, every option spelled out. */
static void
conf_print_output(const struct conf_output *o, FILE *out)
{
	char a[300], sz[24];

	fprintf(out, "output %s", conf_output_type_name(o->type));
	if (o->type == CONF_OUT_FILE) {
		fputc(' ', out);
		conf_print_str(out, o->path);
	} else if (o->type != CONF_OUT_STDOUT) {
		snprintf(a, sizeof(a),
		    strchr(o->host, ':') != NULL ? "[%s]:%u" : "%s:%u", o->host,
		    o->port);
		fputc(' ', out);
		conf_print_str(out, a);
	}
	conf_print_kv(out, "ca", o->ca);
	conf_print_kv(out, "cert", o->cert);
	conf_print_kv(out, "key", o->key);
	conf_print_kv(out, "server-name", o->server_name);
	if (o->type == CONF_OUT_TCP || o->type == CONF_OUT_TLS) {
		if (o->spool[0] == '\0')
			fprintf(out, " spool none");
		conf_print_kv(out, "spool", o->spool);
		if (o->spool[0] != '\0')
			fprintf(out, " max %s",
			    conf_size_fmt(o->spool_max, sz, sizeof(sz)));
		fprintf(out, " resend %s",
		    conf_size_fmt(o->resend, sz, sizeof(sz)));
	}
	fprintf(out, " queue %s\n", conf_size_fmt(o->queue, sz, sizeof(sz)));
}

/* The global spool and the outputs, after the other global settings. */
static void
conf_print_outputs(const struct conf *c, FILE *out)
{
	const struct conf_output *o;
	char sz[24];

	if (c->spool[0] != '\0') {
		fprintf(out, "spool ");
		conf_print_str(out, c->spool);
		fprintf(out, " max %s\n",
		    conf_size_fmt(c->spool_max, sz, sizeof(sz)));
	} else
		fprintf(out, "# spool: none (no default spool directory)\n");
	STAILQ_FOREACH(o, &c->outputs, entry)
	conf_print_output(o, out);
	if (STAILQ_EMPTY(&c->outputs))
		fprintf(out, "# output: none (no events are written)\n");
}

static void
conf_print_maxprefix(const struct conf_neighbor *n, const char *ind, FILE *out)
{
	if (!n->has_max_prefix) {
		fprintf(out, "%s# max-prefix: none (no limit)\n", ind);
		return;
	}
	fprintf(out, "%smax-prefix %u", ind, n->max_prefix);
	if (n->max_prefix_warn_only)
		fprintf(out, " warn-only");
	if (n->max_prefix_restart != 0)
		fprintf(out, " restart %u", n->max_prefix_restart);
	fputc('\n', out);
}

/* The settings of the transport: how and where the session connects. */
static void
conf_print_transport(const struct conf_neighbor *n, const char *ind, FILE *out)
{
	char a[64];

	fprintf(out, "%s%s\n", ind, n->passive ? "passive" : "connect");
	fprintf(out, "%sport %u\n", ind,
	    conf_sa_port((const struct sockaddr *)&n->addr));
	if (n->has_local_addr)
		fprintf(out, "%slocal-address %s\n", ind,
		    conf_sa_fmt(
		        (const struct sockaddr *)&n->local_addr, a, sizeof(a)));
	else
		fprintf(out, "%s# local-address: none (chosen by the kernel)\n",
		    ind);
	conf_print_opt(out, ind, "md5", n->md5, "no TCP MD5 signature");
	fprintf(out, "%sttl-security %s\n", ind, conf_yn(n->ttl_security));
}

/* The settings announced in the OPEN or applied to received routes. */
static void
conf_print_session(const struct conf_neighbor *n, const char *ind, FILE *out)
{
	fprintf(
	    out, "%sadd-path %s\n", ind, n->addpath_recv ? "receive" : "no");
	conf_print_maxprefix(n, ind, out);
	if (n->graceful_restart)
		fprintf(out, "%sgraceful-restart yes restart-time %u\n", ind,
		    n->gr_restart_time);
	else
		fprintf(out, "%sgraceful-restart no\n", ind);
	fprintf(out, "%shold-time %u\n", ind, n->holdtime);
	if (n->families & CONF_FAM_IPV4_UNICAST)
		fprintf(out, "%sfamily ipv4 unicast\n", ind);
	if (n->families & CONF_FAM_IPV6_UNICAST)
		fprintf(out, "%sfamily ipv6 unicast\n", ind);
	fprintf(out, "%sextended-message %s\n", ind, conf_yn(n->ext_msg));
	fprintf(out, "%sroute-refresh %s\n", ind, conf_yn(n->route_refresh));
	if (n->has_role)
		fprintf(out, "%srole %s\n", ind, conf_role_name(n->role));
	else
		fprintf(out, "%s# role: none (no BGP Role capability)\n", ind);
	fprintf(
	    out, "%senforce-first-as %s\n", ind, conf_yn(n->enforce_first_as));
}

static void
conf_print_neighbor(const struct conf_neighbor *n, const char *ind, FILE *out)
{
	char in[8];

	snprintf(in, sizeof(in), "%s\t", ind);
	fprintf(out, "%sneighbor %s {\n", ind, n->addr_str);
	if (n->remote_as_any)
		fprintf(out, "%sremote-as any\n", in);
	else
		fprintf(out, "%sremote-as %u\n", in, n->remote_as);
	conf_print_opt(out, in, "descr", n->descr, "no description");
	conf_print_transport(n, in, out);
	conf_print_session(n, in, out);
	if (n->shutdown)
		fprintf(out, "%sdown\n", in);
	fprintf(out, "%s}\n", ind);
}

void
conf_print(const struct conf *c, FILE *out)
{
	const struct conf_neighbor *n;
	const char *group = "";
	bool first;

	conf_print_global(c, out);
	conf_print_outputs(c, out);
	STAILQ_FOREACH(n, &c->neighbors, entry)
	{
		first = false;
		if (strcmp(n->group, group) != 0) {
			if (group[0] != '\0')
				fprintf(out, "}\n");
			group = n->group;
			if (group[0] != '\0') {
				fprintf(out, "\ngroup ");
				conf_print_str(out, group);
				fprintf(out, " {\n");
				first = true;
			}
		}
		if (!first)
			fputc('\n', out);
		conf_print_neighbor(n, group[0] != '\0' ? "\t" : "", out);
	}
	if (group[0] != '\0')
		fprintf(out, "}\n");
	conf_watch_print(c, out);
}

bool
conf_neighbor_needs_reset(
    const struct conf_neighbor *a, const struct conf_neighbor *b)
{
	return a->remote_as_any != b->remote_as_any ||
	    a->remote_as != b->remote_as ||
	    a->has_local_addr != b->has_local_addr ||
	    (a->has_local_addr &&
	        !conf_sa_addr_equal((const struct sockaddr *)&a->local_addr,
	            (const struct sockaddr *)&b->local_addr)) ||
	    strcmp(a->md5, b->md5) != 0 || a->ttl_security != b->ttl_security ||
	    a->addpath_recv != b->addpath_recv ||
	    a->graceful_restart != b->graceful_restart ||
	    a->gr_restart_time != b->gr_restart_time ||
	    a->holdtime != b->holdtime || a->families != b->families ||
	    a->ext_msg != b->ext_msg || a->route_refresh != b->route_refresh ||
	    a->has_role != b->has_role || a->role != b->role ||
	    a->enforce_first_as != b->enforce_first_as ||
	    a->shutdown != b->shutdown;
}

bool
conf_neighbor_equal(
    const struct conf_neighbor *a, const struct conf_neighbor *b)
{
	return conf_sa_equal((const struct sockaddr *)&a->addr,
	           (const struct sockaddr *)&b->addr) &&
	    strcmp(a->addr_str, b->addr_str) == 0 &&
	    strcmp(a->group, b->group) == 0 &&
	    strcmp(a->descr, b->descr) == 0 && a->passive == b->passive &&
	    a->has_max_prefix == b->has_max_prefix &&
	    a->max_prefix == b->max_prefix &&
	    a->max_prefix_warn_only == b->max_prefix_warn_only &&
	    a->max_prefix_restart == b->max_prefix_restart &&
	    !conf_neighbor_needs_reset(a, b);
}

bool
conf_global_needs_reset(const struct conf *a, const struct conf *b)
{
	return a->local_as != b->local_as || a->router_id != b->router_id ||
	    strcmp(a->hostname, b->hostname) != 0;
}

static bool
conf_listens_equal(const struct conf *a, const struct conf *b)
{
	const struct conf_listen *la, *lb;

	lb = STAILQ_FIRST(&b->listens);
	STAILQ_FOREACH(la, &a->listens, entry)
	{
		if (lb == NULL ||
		    !conf_sa_equal((const struct sockaddr *)&la->ss,
		        (const struct sockaddr *)&lb->ss))
			return false;
		lb = STAILQ_NEXT(lb, entry);
	}
	return lb == NULL;
}

static bool
conf_outputs_equal(const struct conf *a, const struct conf *b)
{
	const struct conf_output *oa, *ob;

	if (strcmp(a->spool, b->spool) != 0 || a->spool_max != b->spool_max)
		return false;
	ob = STAILQ_FIRST(&b->outputs);
	STAILQ_FOREACH(oa, &a->outputs, entry)
	{
		if (ob == NULL || !conf_output_equal(oa, ob))
			return false;
		ob = STAILQ_NEXT(ob, entry);
	}
	return ob == NULL;
}

bool
conf_equal(const struct conf *a, const struct conf *b)
{
	const struct conf_neighbor *na, *nb;

	if (conf_global_needs_reset(a, b) || a->holdtime != b->holdtime ||
	    a->connect_retry != b->connect_retry ||
	    strcmp(a->control, b->control) != 0 ||
	    strcmp(a->user, b->user) != 0 || a->log_updates != b->log_updates ||
	    a->stats_interval != b->stats_interval ||
	    strcmp(a->dump_table, b->dump_table) != 0 ||
	    a->dump_table_interval != b->dump_table_interval ||
	    strcmp(a->dump_updates, b->dump_updates) != 0 ||
	    a->dump_updates_interval != b->dump_updates_interval ||
	    a->dump_updates_all != b->dump_updates_all ||
	    strcmp(a->observer_name, b->observer_name) != 0 ||
	    !conf_watches_equal(a, b) || !conf_listens_equal(a, b) ||
	    !conf_outputs_equal(a, b))
		return false;
	nb = STAILQ_FIRST(&b->neighbors);
	STAILQ_FOREACH(na, &a->neighbors, entry)
	{
		if (nb == NULL || !conf_neighbor_equal(na, nb))
			return false;
		nb = STAILQ_NEXT(nb, entry);
	}
	return nb == NULL;
}

struct conf_neighbor *
conf_neighbor_find(const struct conf *c, const struct sockaddr *sa)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
	struct sockaddr_in sin;
	struct conf_neighbor *n;

	if (sa->sa_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, &sin6->sin6_addr.s6_addr[12], 4);
		sa = (const struct sockaddr *)&sin;
	}
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return NULL;
	STAILQ_FOREACH(n, &c->neighbors, entry)
	if (conf_sa_addr_equal((const struct sockaddr *)&n->addr, sa))
		return n;
	return NULL;
}
