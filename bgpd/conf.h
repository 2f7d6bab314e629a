/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpwatch.conf: the parsed configuration (see bgpwatch.conf(5)), its
 * parser with `file:line: message` errors, the normalised printer used by
 * `bgpwatchd -n`, and the comparisons that SIGHUP reload uses to decide
 * which neighbors to start, stop or reset.
 *
 * Public: conf_parse_file(), conf_parse_buf(), conf_free(), conf_print(),
 *         conf_equal(), conf_global_needs_reset(), conf_neighbor_find(),
 *         conf_neighbor_equal(), conf_neighbor_needs_reset(),
 *         conf_role_name(), conf_output_equal(), conf_output_name(),
 *         conf_output_type_name().
 */
#ifndef BGPWATCH_CONF_H
#define BGPWATCH_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/queue.h>

#define CONF_DEFAULT_PORT 179
#define CONF_DEFAULT_HOLDTIME 90
#define CONF_DEFAULT_CONNECT_RETRY 30
#define CONF_DEFAULT_GR_RESTART_TIME 120
#define CONF_DEFAULT_CONTROL "/var/run/bgpwatch.sock"
#define CONF_DEFAULT_STATS_INTERVAL 300 /* seconds between peer-stats */
#define CONF_STATS_INTERVAL_MIN 10 /* ... unless 0: none */
#define CONF_STATS_INTERVAL_MAX 86400
#define CONF_DUMP_INTERVAL_MIN 60 /* dump table, updates: seconds */
#define CONF_DUMP_INTERVAL_MAX 604800
#define CONF_MD5_MAXLEN 80 /* TCP_MD5SIG_MAXKEYLEN (RFC 2385) */
#define CONF_GR_MAX_RESTART_TIME 4095 /* 12-bit field, RFC 4724 §3 */
#define CONF_INCLUDE_DEPTH 8 /* nested includes beyond this fail */
#define CONF_MAX_TOKEN 1024 /* longest word or string in a file */
#define CONF_MAX_FILE (16u << 20) /* longest file read, in octets */
#define CONF_PATH_MAX 1024 /* output files, spool directories, TLS files */
#define CONF_OUT_QUEUE_DEFAULT (16u << 20) /* memory queue per output */
#define CONF_OUT_RESEND_DEFAULT (8u << 20) /* TCP/TLS resend window */
#define CONF_SPOOL_MAX_DEFAULT (512ull << 20)

struct conf_listen {
	STAILQ_ENTRY(conf_listen) entry;
	struct sockaddr_storage ss; /* address and port */
	socklen_t sslen;
	int line;
};

enum conf_family {
	CONF_FAM_IPV4_UNICAST = 0x1,
	CONF_FAM_IPV6_UNICAST = 0x2,
};

/* BGP Role values, RFC 9234 §4.1 (the local role on the session). */
enum conf_role {
	CONF_ROLE_PROVIDER = 0,
	CONF_ROLE_RS = 1,
	CONF_ROLE_RS_CLIENT = 2,
	CONF_ROLE_CUSTOMER = 3,
	CONF_ROLE_PEER = 4,
};

enum conf_output_type {
	CONF_OUT_FILE,
	CONF_OUT_STDOUT,
	CONF_OUT_TCP,
	CONF_OUT_TLS,
};

/*
 * One "output" statement, resolved: a network output without its own
 * spool has the global spool directory's subdirectory for it (or none).
 */
struct conf_output {
	STAILQ_ENTRY(conf_output) entry;
	enum conf_output_type type;
	char path[CONF_PATH_MAX]; /* file */
	char host[256]; /* tcp, tls: name or address, no brackets */
	uint16_t port;
	char ca[CONF_PATH_MAX]; /* tls: CA certificates (PEM) */
	char cert[CONF_PATH_MAX]; /* tls: client certificate, empty: none */
	char key[CONF_PATH_MAX]; /* tls: its private key */
	char server_name[256]; /* tls: name to verify, empty: host */
	char spool[CONF_PATH_MAX]; /* tcp, tls: directory, empty: none */
	uint64_t spool_max; /* bytes of unsent events in the spool */
	uint64_t queue; /* bytes of events in memory */
	uint64_t resend; /* tcp, tls: bytes sent again after a reconnect */
	int line;
};

/*
 * One neighbor, every setting resolved: group defaults and the global
 * hold-time are already folded in, so the session needs no fallback logic.
 */
struct conf_neighbor {
	STAILQ_ENTRY(conf_neighbor) entry;
	struct sockaddr_storage addr; /* port = remote port (default 179) */
	socklen_t addrlen;
	char addr_str[64]; /* normalised text form, no port */
	char group[64]; /* enclosing group "NAME", empty: none */
	bool remote_as_any; /* "remote-as any" */
	uint32_t remote_as; /* 0 iff remote_as_any */
	char descr[128]; /* empty: none */
	bool passive; /* default true; "connect" clears it */
	bool has_local_addr; /* "local-address" for active open */
	struct sockaddr_storage local_addr; /* port 0 */
	socklen_t local_addrlen;
	char md5[CONF_MD5_MAXLEN + 1]; /* RFC 2385 key, empty: none */
	bool ttl_security; /* RFC 5082 GTSM */
	bool addpath_recv; /* "add-path receive" (RFC 7911) */
	bool has_max_prefix;
	uint32_t max_prefix;
	bool max_prefix_warn_only;
	uint32_t max_prefix_restart; /* minutes; 0: stay down */
	bool graceful_restart; /* default true (RFC 4724 receiving speaker) */
	uint16_t gr_restart_time; /* advertised Restart Time, seconds */
	uint16_t holdtime; /* effective; 0: no KEEPALIVEs (RFC 4271 §4.4) */
	uint32_t families; /* CONF_FAM_* ; default both */
	bool ext_msg; /* advertise RFC 8654, default true */
	bool route_refresh; /* default true */
	bool has_role; /* RFC 9234 */
	uint8_t role; /* enum conf_role, 0 unless has_role */
	bool enforce_first_as; /* default false (route servers) */
	bool shutdown; /* "down": configured but not started */
	int line; /* where it was defined, for messages */
};

/* Where a watch block was written (parallel to struct conf's watches). */
struct conf_watch_src {
	char *file;
	int line;
	size_t ninline; /* prefixes[0..ninline) inline, then the file's */
};

struct watch_conf;

struct conf {
	char *path;
	uint32_t local_as;
	uint32_t router_id; /* host order; never 0 after a successful parse */
	uint16_t holdtime;
	uint16_t connect_retry;
	char control[108]; /* control socket path */
	char user[64]; /* privilege drop target, empty: none */
	char hostname[256]; /* FQDN capability, empty: none */
	bool log_updates;
	uint32_t stats_interval; /* seconds between peer-stats, 0: none */
	char spool[CONF_PATH_MAX]; /* global spool directory, empty: none */
	uint64_t spool_max;
	/* `dump table`: strftime(3) pattern (UTC), empty: none; 0: on demand. */
	char dump_table[CONF_PATH_MAX];
	uint32_t dump_table_interval;
	/*
	 * `dump updates|all PATH SECONDS`: BGP4MP_ET files (RFC 6396 §4.4),
	 * a strftime(3) pattern (UTC), empty: none; a new file every
	 * SECONDS; all: every message received, not only UPDATEs.
	 */
	char dump_updates[CONF_PATH_MAX];
	uint32_t dump_updates_interval;
	bool dump_updates_all;
	/* Empty when no "listen on" was given: 0.0.0.0 and :: port 179. */
	STAILQ_HEAD(, conf_listen) listens;
	STAILQ_HEAD(, conf_neighbor) neighbors;
	STAILQ_HEAD(, conf_output) outputs;
	char observer_name[256]; /* ECS observer.hostname, empty: the host's */
	struct watch_conf *watches; /* watch blocks in file order (watch.h) */
	struct conf_watch_src *watch_src; /* parallel to watches */
	size_t nwatches;
};

/*
 * Parse the file at path into a new struct conf, following includes
 * (relative names are taken from the including file's directory). On
 * error, print every problem found as `FILE:LINE: message` (only
 * `path: strerror` when path itself cannot be read) to err and return
 * NULL; nothing is left to free. The caller frees the result with
 * conf_free().
 */
struct conf *conf_parse_file(const char *path, FILE *err);
/*
 * As conf_parse_file(), but the main file's text is the len bytes at buf
 * and name is what error messages and relative includes use.
 */
struct conf *
conf_parse_buf(const char *name, const char *buf, size_t len, FILE *err);
/* Free a configuration from conf_parse_*(); NULL is fine. */
void conf_free(struct conf *c);
/*
 * Print c normalised: a fixed order, every default spelled out (settings
 * that are off or absent as comments), neighbors with every setting
 * resolved. The output parses back into a configuration conf_equal() to c.
 */
void conf_print(const struct conf *c, FILE *out);
/* True when a and b are the same in every setting (source lines aside). */
bool conf_equal(const struct conf *a, const struct conf *b);
/*
 * True when going from a to b changes something every session announces
 * in its OPEN (local-as, router-id, hostname): all sessions need a reset.
 */
bool conf_global_needs_reset(const struct conf *a, const struct conf *b);
/*
 * The neighbor whose address equals sa (port ignored; an IPv4-mapped IPv6
 * address matches the IPv4 neighbor; a link-local neighbor also needs the
 * same scope), or NULL.
 */
struct conf_neighbor *
conf_neighbor_find(const struct conf *c, const struct sockaddr *sa);
/* True when two neighbor blocks are the same in every setting. */
bool conf_neighbor_equal(
    const struct conf_neighbor *a, const struct conf_neighbor *b);
/*
 * True when going from a to b needs the session reset: anything sent in
 * the OPEN, checked on received routes, or affecting the transport
 * changed, or "down" was toggled (the caller then looks at b->shutdown).
 * descr, group, max-prefix, passive/connect and port apply in place.
 */
bool conf_neighbor_needs_reset(
    const struct conf_neighbor *a, const struct conf_neighbor *b);
/* "provider", "rs", "rs-client", "customer", "peer"; "?" otherwise. */
const char *conf_role_name(uint8_t role);
/* True when two output statements are the same in every setting. */
bool
conf_output_equal(const struct conf_output *a, const struct conf_output *b);
/*
 * The name of an output in logs, stats and output-gap events into buf:
 * "file:PATH", "stdout", "tcp:HOST:PORT", "tls:HOST:PORT" (an IPv6 host
 * in brackets). Returns buf.
 */
char *conf_output_name(const struct conf_output *o, char *buf, size_t size);
/* "file", "stdout", "tcp", "tls". */
const char *conf_output_type_name(enum conf_output_type t);

#endif
