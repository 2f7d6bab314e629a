/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Daemon logging to stderr or syslog, and the rate limiter; see log.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static bool log_foreground = true;
static int log_verbose;

void
log_init(bool foreground, int verbose)
{
	log_foreground = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog("bgpwatchd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

static const char *
log_prio_name(int prio)
{
	switch (prio) {
	case LOG_CRIT:
		return "fatal";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_DEBUG:
		return "debug";
	default:
		return "info";
	}
}

/* One line: "2026-01-02T03:04:05.678Z warning: text" on stderr. */
static void
log_stderr(int prio, const char *msg)
{
	struct timeval tv;
	struct tm tm;
	char ts[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s: %s\n", ts, (long)tv.tv_usec / 1000,
	    log_prio_name(prio), msg);
	fflush(stderr);
}

static void log_vwrite(int prio, const char *fmt, va_list ap,
    const char *suffix) __attribute__((format(printf, 2, 0)));

static void
log_vwrite(int prio, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (suffix != NULL) {
		n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, ": %s", suffix);
	}
	if (log_foreground)
		log_stderr(prio, msg);
	else
		syslog(prio, "%s", msg);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_NOTICE, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose <= 0)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

bool
log_rate_allow(struct log_rate *lr)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (lr->start == 0 || now.tv_sec - lr->start >= lr->interval) {
		lr->start = now.tv_sec;
		lr->used = 0;
	}
	if (lr->used >= lr->burst) {
		lr->dropped++;
		return false;
	}
	lr->used++;
	return true;
}

void
log_rate_warnx(struct log_rate *lr, const char *fmt, ...)
{
	va_list ap;
	char note[64];

	if (!log_rate_allow(lr))
		return;
	note[0] = '\0';
	if (lr->dropped > 0)
		snprintf(note, sizeof(note), "%u similar messages suppressed",
		    lr->dropped);
	lr->dropped = 0;
	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, note[0] != '\0' ? note : NULL);
	va_end(ap);
}

char *
log_hex(const void *p, size_t len, char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	size_t i, n, o = 0;

	if (size < 4) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	n = len;
	if (n * 2 + 1 > size) /* keep room for ".." and the NUL */
		n = (size - 3) / 2;
	for (i = 0; i < n; i++) {
		buf[o++] = digits[b[i] >> 4];
		buf[o++] = digits[b[i] & 0xf];
	}
	if (n < len) {
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return buf;
}
