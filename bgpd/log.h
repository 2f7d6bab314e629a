/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Daemon logging: to stderr with a timestamp in the foreground (-d), to
 * syslog(3) (LOG_DAEMON) otherwise. Messages a peer can provoke at will go
 * through a rate limiter so a hostile or broken peer cannot fill the disk.
 *
 * Public: log_init(), log_setverbose(), log_getverbose(), log_info(),
 *         log_notice(), log_debug(), log_warnx(), log_warn(), fatal(),
 *         fatalx(), log_rate_allow(), log_rate_warnx(), log_hex().
 */
#ifndef BGPWATCH_LOG_H
#define BGPWATCH_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/*
 * Start logging: foreground true writes to stderr, false opens syslog with
 * ident "bgpwatchd". verbose > 0 enables log_debug().
 */
void log_init(bool foreground, int verbose);
void log_setverbose(int verbose);
int log_getverbose(void);

/* Informational and notable events (syslog LOG_INFO / LOG_NOTICE). */
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_notice(const char *fmt, ...) LOG_PRINTF(1, 2);
/* Only when verbose (-v). */
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
/* A warning; log_warn() appends ": strerror(errno)". */
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
/*
 * Log at LOG_CRIT and exit(1): tier 3 and 4 errors (impossible states, out
 * of memory, startup). fatal() appends strerror(errno). Never return.
 */
void fatal(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));

/*
 * A token bucket per message source: at most burst messages per interval
 * seconds; the rest are counted and reported once the next message gets
 * through. Initialise with { .burst = N, .interval = S } and nothing else.
 */
struct log_rate {
	unsigned int burst;
	time_t interval;
	time_t start;
	unsigned int used;
	unsigned int dropped;
};

/*
 * True when one more message may be logged now. A caller that logs after
 * true should mention lr->dropped (messages suppressed so far); it is reset
 * by the next successful log_rate_warnx() or by the caller.
 */
bool log_rate_allow(struct log_rate *lr);
/* log_warnx() through the limiter, with a suppressed-count suffix. */
void log_rate_warnx(struct log_rate *lr, const char *fmt, ...) LOG_PRINTF(2, 3);
/*
 * Lower-case hex of p[0..len) into buf (size bytes, NUL-terminated); longer
 * input is cut and ends in "..". Returns buf.
 */
char *log_hex(const void *p, size_t len, char *buf, size_t size);

#endif
