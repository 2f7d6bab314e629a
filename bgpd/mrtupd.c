/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT update dumps: BGP4MP_ET records (RFC 6396 §4.4) of the messages and
 * state changes of every session, handed to a writer thread through a
 * bounded queue of files, each written as NAME.XXXXXX.tmp and renamed to
 * NAME when its period is over. See mrtupd.h.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/tree.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf.h"
#include "log.h"
#include "mrt.h"
#include "mrtrec.h"
#include "mrtupd.h"
#include "mrtw.h"
#include "output_int.h"
#include "session.h"
#include "wbuf.h"

#define MRTUPD_QUEUE_MAX (64u << 20) /* octets waiting for the disk */
#define MRTUPD_WAKE (256u << 10) /* wake the writer at once from here */
#define MRTUPD_TICK_SEC 1 /* rotation of idle files, drop reports */
#define MRTUPD_DROP_LOG_SEC 10 /* drop reports at most this often */
#define MRTUPD_STOP_MS 10000 /* shutdown: the time the disk gets */
#define MRTUPD_ALT_MAX 99 /* NAME.1 ... when NAME is taken */

enum mrtupd_mode {
	MRTUPD_OFF,
	MRTUPD_UPDATES, /* `dump updates`: UPDATEs and state changes */
	MRTUPD_ALL, /* `dump all`: every message and state changes */
};

/* One file: the records the writer puts in it, in order, then renames. */
struct mrtupd_file {
	TAILQ_ENTRY(mrtupd_file) entry;
	char name[CONF_PATH_MAX]; /* final name, set before it is queued */
	struct output_buf buf; /* records not yet taken (mtx) */
	bool closed; /* no more records: rename once written (mtx) */
};
TAILQ_HEAD(mrtupd_files, mrtupd_file);

/*
 * The writer thread and what it shares with the loop, under mtx: the
 * files in order (all closed but the last) and the octets they and the
 * batch being written hold. The mutex is never held across a system
 * call that may block: the loop waits for a memcpy at most.
 */
struct mrtupd_writer {
	pthread_t thread;
	pthread_mutex_t mtx;
	pthread_cond_t cv;
	struct mrtupd_files files;
	size_t queued;
	bool quit;
	/* The thread's own: the file being written. */
	struct output_buf batch;
	int fd; /* -1: not created (yet) */
	char tmp[CONF_PATH_MAX + 16];
	uint64_t good; /* octets of whole records in tmp */
	uint64_t lost; /* octets of records of this file not written */
	bool failed; /* write no more into this file */
};

/* The addresses of a peer's session as last seen (the loop's). */
struct mrtupd_addr {
	RB_ENTRY(mrtupd_addr) entry;
	const struct peer *p;
	char name[64]; /* p->name: a new peer at a freed one's address */
	int fd; /* the socket local_ip is of; -1: ask the next one */
	uint16_t afi;
	uint8_t peer_ip[16];
	uint8_t local_ip[16];
};
RB_HEAD(mrtupd_addrs, mrtupd_addr);

static struct {
	enum mrtupd_mode mode;
	char pattern[CONF_PATH_MAX];
	uint32_t interval;
	struct mrtupd_writer *w; /* started by the first dump, kept */
	struct mrtupd_file *cur; /* being filled; NULL: none this period */
	int64_t end; /* of cur's period */
	uint64_t dropped; /* records of cur dropped */
	uint64_t dropped_told; /* ... and reported so far */
	time_t drop_time; /* of the last report */
	struct event *tick;
	struct event *kick;
	bool kick_pending;
	struct wbuf rec; /* the record being encoded */
	struct mrtupd_addrs addrs;
	struct log_rate rl_name;
} mrtupd = {
	.addrs = RB_INITIALIZER(&mrtupd.addrs),
	.rl_name = { .burst = 1, .interval = 60 },
};

static int
mrtupd_addr_cmp(const struct mrtupd_addr *a, const struct mrtupd_addr *b)
{
	uintptr_t x = (uintptr_t)a->p, y = (uintptr_t)b->p;

	return x < y ? -1 : x > y;
}
/* Not _STATIC: libbsd leaves the __unused that needs undefined. */
RB_PROTOTYPE(mrtupd_addrs, mrtupd_addr, entry, mrtupd_addr_cmp)
RB_GENERATE(mrtupd_addrs, mrtupd_addr, entry, mrtupd_addr_cmp)

/* The writer thread ---------------------------------------------------- */

/* Leave the mutex for a system call that may block (or be cancelled). */
static void
mrtupd_leave(struct mrtupd_writer *w)
{
	pthread_mutex_unlock(&w->mtx);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
}

static void
mrtupd_enter(struct mrtupd_writer *w)
{
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_mutex_lock(&w->mtx);
}

/* Create the temporary file of name; on failure its records are lost. */
static void
mrtupd_create(struct mrtupd_writer *w, const char *name)
{
	char buf[128];
	int e;

	if (mrtrec_tmp(name, w->tmp, sizeof(w->tmp)) == -1) {
		snprintf(w->tmp, sizeof(w->tmp), "%s", name);
		e = ENAMETOOLONG;
	} else if ((w->fd = mkostemps(w->tmp, (int)strlen(MRTREC_TMP_SUFFIX),
	                O_CLOEXEC)) == -1)
		e = errno;
	/* mkostemps() makes 0600; a dump is for others' tools to read. */
	else if (fchmod(w->fd, 0644) == -1) {
		e = errno;
		(void)close(w->fd);
		(void)unlink(w->tmp);
		w->fd = -1;
	} else
		return;
	w->failed = true;
	log_warnx("dump updates %s: cannot create %s: %s; the records of "
	          "this file are lost, the next file will be tried",
	    name, w->tmp, strerror_r(e, buf, sizeof(buf)));
}

/*
 * A write failed (a full disk, an I/O error) after done octets of the
 * batch b: cut the file back to the last whole record in it, since MRT
 * readers cannot skip a torn one, and give the rest of the file up. What
 * made it to the disk stays: on a full disk that is everything up to the
 * moment it filled.
 */
static void
mrtupd_write_failed(struct mrtupd_writer *w, const char *name,
    const struct output_buf *b, size_t done, int e)
{
	char buf[128];
	size_t keep =
	    mrtrec_whole((const uint8_t *)b->buf + b->off, b->len, done);

	w->failed = true;
	if (ftruncate(w->fd, (off_t)(w->good + keep)) == -1)
		log_warnx("dump updates %s: ftruncate: %s", w->tmp,
		    strerror_r(errno, buf, sizeof(buf)));
	else
		w->good += keep;
	w->lost += b->len - keep;
	log_warnx("dump updates %s: write: %s; the rest of this file is "
	          "lost, the next file will be tried",
	    name, strerror_r(e, buf, sizeof(buf)));
}

/* Append the batch b (whole records) to the file of name; empty b. */
static void
mrtupd_write(struct mrtupd_writer *w, const char *name, struct output_buf *b)
{
	size_t done = 0;
	ssize_t n;

	if (w->fd == -1 && !w->failed)
		mrtupd_create(w, name);
	if (w->failed)
		w->lost += b->len;
	while (!w->failed && done < b->len) {
		n = write(w->fd, b->buf + b->off + done, b->len - done);
		if (n > 0)
			done += (size_t)n;
		else if (n == -1 && errno == EINTR)
			continue;
		else
			mrtupd_write_failed(
			    w, name, b, done, n == 0 ? EIO : errno);
	}
	if (!w->failed)
		w->good += b->len;
	output_buf_drop(b, b->len);
}

/*
 * The first free name among name, name.1, ... into dst: a file of the
 * same period may be there already (a restart, a reload).
 */
static int
mrtupd_free_name(const char *name, char *dst, size_t len)
{
	struct stat st;
	unsigned int n;

	for (n = 0; n <= MRTUPD_ALT_MAX; n++) {
		if (mrtrec_alt(name, n, dst, len) == -1)
			return -1;
		if (lstat(dst, &st) == -1 && errno == ENOENT)
			return 0;
	}
	return -1;
}

/* Close the temporary file of name and rename it into place. */
static void
mrtupd_rename(struct mrtupd_writer *w, const char *name)
{
	char final[CONF_PATH_MAX + 16], buf[128];

	if (close(w->fd) == -1) /* NFS may tell only now */
		log_warnx("dump updates %s: close: %s", w->tmp,
		    strerror_r(errno, buf, sizeof(buf)));
	if (w->good == 0) {
		(void)unlink(w->tmp); /* not one record made it */
		return;
	}
	if (mrtupd_free_name(name, final, sizeof(final)) == -1) {
		log_warnx("dump updates %s: %s.1 to .%u exist too: the file "
		          "stays %s",
		    name, name, MRTUPD_ALT_MAX, w->tmp);
		return;
	}
	if (rename(w->tmp, final) == -1) {
		log_warnx("dump updates %s: rename %s: %s", name, w->tmp,
		    strerror_r(errno, buf, sizeof(buf)));
		return;
	}
	log_info("dump updates %s: %ju octets%s", final, (uintmax_t)w->good,
	    strcmp(final, name) != 0 ? " (the name was taken)" : "");
}

/* The file of name is complete: rename it, report what was lost. */
static void
mrtupd_finish(struct mrtupd_writer *w, const char *name)
{
	if (w->fd != -1)
		mrtupd_rename(w, name);
	if (w->lost > 0)
		log_warnx("dump updates %s: incomplete, %ju octets of records "
		          "were not written",
		    name, (uintmax_t)w->lost);
	w->fd = -1;
	w->good = w->lost = 0;
	w->failed = false;
}

static void *
mrtupd_writer_main(void *arg)
{
	struct mrtupd_writer *w = arg;
	struct mrtupd_file *f;
	size_t n;

	mrtupd_enter(w);
	for (;;) {
		if ((f = TAILQ_FIRST(&w->files)) == NULL) {
			if (w->quit)
				break;
			pthread_cond_wait(&w->cv, &w->mtx);
		} else if (f->buf.len > 0) {
			/* Everything queued for f so far, in one write(2). */
			output_buf_swap(&w->batch, &f->buf);
			n = w->batch.len;
			mrtupd_leave(w);
			mrtupd_write(w, f->name, &w->batch);
			mrtupd_enter(w);
			w->queued -= n;
		} else if (f->closed || w->quit) {
			TAILQ_REMOVE(&w->files, f, entry);
			mrtupd_leave(w);
			mrtupd_finish(w, f->name);
			output_buf_free(&f->buf);
			free(f);
			mrtupd_enter(w);
		} else
			pthread_cond_wait(&w->cv, &w->mtx);
	}
	pthread_mutex_unlock(&w->mtx);
	return NULL;
}

/* Start the writer with every signal blocked: they are the loop's. */
static struct mrtupd_writer *
mrtupd_writer_start(void)
{
	struct mrtupd_writer *w;
	sigset_t all, old;
	int rv;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatalx("%s: out of memory", __func__);
	TAILQ_INIT(&w->files);
	w->fd = -1;
	pthread_mutex_init(&w->mtx, NULL);
	pthread_cond_init(&w->cv, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rv = pthread_create(&w->thread, NULL, mrtupd_writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rv == 0)
		return w;
	errno = rv;
	log_warn("dump updates: cannot start the writer thread");
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mtx);
	free(w);
	return NULL;
}

/*
 * Let the writer finish every file, waiting at most MRTUPD_STOP_MS (the
 * loop is over: nothing else waits), then cancel it. Frees w.
 */
static void
mrtupd_writer_stop(struct mrtupd_writer *w)
{
	struct mrtupd_file *f;
	struct timespec ts;

	pthread_mutex_lock(&w->mtx);
	w->quit = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mtx);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += MRTUPD_STOP_MS / 1000;
	if (pthread_timedjoin_np(w->thread, NULL, &ts) != 0) {
		pthread_cancel(w->thread);
		pthread_join(w->thread, NULL);
		log_warnx("dump updates: the disk did not take %zu octets of "
		          "records in %d s: given up%s%s",
		    w->queued, MRTUPD_STOP_MS / 1000,
		    w->fd != -1 ? ", left in " : "", w->fd != -1 ? w->tmp : "");
	}
	while ((f = TAILQ_FIRST(&w->files)) != NULL) {
		TAILQ_REMOVE(&w->files, f, entry);
		output_buf_free(&f->buf);
		free(f);
	}
	if (w->fd != -1)
		(void)close(w->fd);
	output_buf_free(&w->batch);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mtx);
	free(w);
}

/* The loop's side: files and the queue -------------------------------- */

/* Close the file being filled: the writer renames it once written. */
static void
mrtupd_close(void)
{
	struct mrtupd_file *f = mrtupd.cur;

	if (f == NULL)
		return;
	if (mrtupd.dropped > 0)
		log_warnx("dump updates %s: %ju records dropped in all, the "
		          "queue (%u MiB) being full",
		    f->name, (uintmax_t)mrtupd.dropped, MRTUPD_QUEUE_MAX >> 20);
	mrtupd.cur = NULL;
	mrtupd.dropped = mrtupd.dropped_told = 0;
	/* From here on f is the writer's: it may be gone at once. */
	pthread_mutex_lock(&mrtupd.w->mtx);
	f->closed = true;
	pthread_cond_signal(&mrtupd.w->cv);
	pthread_mutex_unlock(&mrtupd.w->mtx);
}

/* Start the file of the period of now; -1 when the name will not do. */
static int
mrtupd_open(int64_t now)
{
	int64_t start = mrtrec_period(now, mrtupd.interval);
	struct mrtupd_file *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		fatalx("%s: out of memory", __func__);
	if (mrtrec_name(mrtupd.pattern, start, f->name, sizeof(f->name)) ==
	    -1) {
		free(f);
		log_rate_warnx(&mrtupd.rl_name,
		    "dump updates %s: expands to nothing or too long; "
		    "records dropped",
		    mrtupd.pattern);
		return -1;
	}
	mrtupd.end = start + mrtupd.interval;
	mrtupd.cur = f;
	pthread_mutex_lock(&mrtupd.w->mtx);
	TAILQ_INSERT_TAIL(&mrtupd.w->files, f, entry);
	pthread_mutex_unlock(&mrtupd.w->mtx);
	return 0;
}

/* A record did not fit in the queue: count it, say so now and then. */
static void
mrtupd_drop(void)
{
	if (mrtupd.dropped++ > 0)
		return; /* the tick reports the rest */
	log_warnx("dump updates %s: %u MiB of records wait for the disk: "
	          "dropping records",
	    mrtupd.cur->name, MRTUPD_QUEUE_MAX >> 20);
	mrtupd.dropped_told = 1;
	mrtupd.drop_time = time(NULL);
}

/*
 * Queue the record in mrtupd.rec, stamped now, for the file of its
 * period (starting it, and closing the one before, when due). The
 * writer is woken once per loop pass (the kick), or at once when much
 * is waiting: a futex wake per message would cost more than the record.
 */
static void
mrtupd_queue(int64_t now)
{
	struct mrtupd_writer *w = mrtupd.w;
	size_t len = wbuf_len(&mrtupd.rec), was;

	if (mrtupd.cur != NULL && now >= mrtupd.end)
		mrtupd_close();
	if (mrtupd.cur == NULL && mrtupd_open(now) == -1)
		return;
	pthread_mutex_lock(&w->mtx);
	was = w->queued;
	if (was + len > MRTUPD_QUEUE_MAX) {
		pthread_mutex_unlock(&w->mtx);
		mrtupd_drop();
		return;
	}
	output_buf_add(&mrtupd.cur->buf, wbuf_data(&mrtupd.rec), len);
	w->queued += len;
	if (was < MRTUPD_WAKE && w->queued >= MRTUPD_WAKE)
		pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mtx);
	/* The writer waits only when it has written everything. */
	if (was == 0 && !mrtupd.kick_pending) {
		mrtupd.kick_pending = true;
		event_active(mrtupd.kick, EV_TIMEOUT, 1);
	}
}

/* The loop has finished its pass: the writer takes what was queued. */
static void
mrtupd_kick_cb(evutil_socket_t fd, short what, void *arg)
{
	mrtupd.kick_pending = false;
	pthread_mutex_lock(&mrtupd.w->mtx);
	if (mrtupd.w->queued > 0)
		pthread_cond_signal(&mrtupd.w->cv);
	pthread_mutex_unlock(&mrtupd.w->mtx);
}

/* Every second: close a file whose period is over, report drops. */
static void
mrtupd_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	time_t now = time(NULL);

	if (mrtupd.cur != NULL && now >= mrtupd.end)
		mrtupd_close();
	if (mrtupd.cur == NULL || mrtupd.dropped == mrtupd.dropped_told ||
	    now - mrtupd.drop_time < MRTUPD_DROP_LOG_SEC)
		return;
	log_warnx("dump updates %s: %ju records dropped so far, the queue "
	          "being full",
	    mrtupd.cur->name, (uintmax_t)mrtupd.dropped);
	mrtupd.dropped_told = mrtupd.dropped;
	mrtupd.drop_time = now;
}

/* Records ----------------------------------------------------------- */

/* The address of ss as an AFI and 16 octets; IPv4-mapped as IPv4. */
static uint16_t
mrtupd_sa(const struct sockaddr_storage *ss, uint8_t ip[16])
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	memset(ip, 0, 16);
	if (ss->ss_family == AF_INET) {
		memcpy(ip, &sin->sin_addr, 4);
		return AFI_IPV4;
	}
	if (ss->ss_family != AF_INET6)
		return 0;
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
		memcpy(ip, &sin6->sin6_addr.s6_addr[12], 4);
		return AFI_IPV4;
	}
	memcpy(ip, &sin6->sin6_addr, 16);
	return AFI_IPV6;
}

/* The addresses of p: its entry, made from its configuration if new. */
static struct mrtupd_addr *
mrtupd_addr_get(const struct peer *p)
{
	struct mrtupd_addr key, *a;
	uint8_t ip[16];

	key.p = p;
	a = RB_FIND(mrtupd_addrs, &mrtupd.addrs, &key);
	if (a != NULL && strcmp(a->name, p->name) == 0)
		return a;
	if (a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			fatalx("%s: out of memory", __func__);
		a->p = p;
		RB_INSERT(mrtupd_addrs, &mrtupd.addrs, a);
	}
	snprintf(a->name, sizeof(a->name), "%s", p->name);
	a->fd = -1;
	a->afi = mrtupd_sa(&p->conf->addr, a->peer_ip);
	memset(a->local_ip, 0, sizeof(a->local_ip));
	if (p->conf->has_local_addr &&
	    mrtupd_sa(&p->conf->local_addr, ip) == a->afi)
		memcpy(a->local_ip, ip, sizeof(ip));
	return a;
}

/*
 * The local address of the socket fd, asked once per socket. An unbound
 * one (an outgoing connection not yet made) is asked again next time;
 * meanwhile the last session's address stands.
 */
static void
mrtupd_addr_sock(struct mrtupd_addr *a, int fd)
{
	static const uint8_t any[16];
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	uint8_t ip[16];

	if (fd == -1 || fd == a->fd)
		return;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    mrtupd_sa(&ss, ip) != a->afi || memcmp(ip, any, sizeof(ip)) == 0)
		return;
	memcpy(a->local_ip, ip, sizeof(ip));
	a->fd = fd;
}

/* Forget the peers that are gone (their memory may be reused). */
static void
mrtupd_addr_prune(bool all)
{
	struct mrtupd_addr *a, *next;
	struct peer *p;

	RB_FOREACH_SAFE(a, mrtupd_addrs, &mrtupd.addrs, next)
	{
		TAILQ_FOREACH(p, session_peers(), entry)
		if (p == a->p && !all)
			break;
		if (p != NULL)
			continue;
		RB_REMOVE(mrtupd_addrs, &mrtupd.addrs, a);
		free(a);
	}
}

/*
 * The common fields of a record of p on socket fd (RFC 6396 §4.4.2):
 * 4-octet AS numbers, the session's addresses, interface index 0.
 */
static struct mrtupd_addr *
mrtupd_head(struct mrt_bgp4mp *m, const struct peer *p, int fd)
{
	struct mrtupd_addr *a = mrtupd_addr_get(p);

	mrtupd_addr_sock(a, fd);
	memset(m, 0, sizeof(*m));
	m->as4 = true;
	/* Before the first OPEN of a `remote-as any` peer: 0. */
	m->peer_as = p->conf->remote_as_any ? p->remote_as : p->conf->remote_as;
	m->local_as = session_conf()->local_as;
	m->afi = a->afi;
	memcpy(m->peer_ip, a->peer_ip, sizeof(m->peer_ip));
	memcpy(m->local_ip, a->local_ip, sizeof(m->local_ip));
	return a;
}

/* Encode m stamped tv and queue it. */
static void
mrtupd_record(const struct timeval *tv, const struct mrt_bgp4mp *m)
{
	wbuf_reset(&mrtupd.rec);
	mrtw_bgp4mp(
	    &mrtupd.rec, (uint32_t)tv->tv_sec, (uint32_t)tv->tv_usec, m);
	if (wbuf_error(&mrtupd.rec))
		fatalx("%s: out of memory", __func__);
	mrtupd_queue((int64_t)tv->tv_sec);
}

void
mrtupd_message(const struct peer *p, const struct bgp_sess *s, int fd,
    uint8_t type, const uint8_t *msg, size_t len)
{
	struct mrt_bgp4mp m;
	struct timeval tv;
	uint16_t afi;
	uint8_t safi;

	if (mrtupd.mode == MRTUPD_OFF || len < BGP_HDR_LEN ||
	    (mrtupd.mode == MRTUPD_UPDATES && type != BGP_MSG_UPDATE))
		return;
	gettimeofday(&tv, NULL);
	(void)mrtupd_head(&m, p, fd);
	if (type == BGP_MSG_UPDATE) {
		/*
		 * RFC 8050 §3: the _ADDPATH subtype when the message holds
		 * path identifiers, as negotiated for its family (RFC 7911).
		 * One that does not frame keeps IPv4 unicast's.
		 */
		(void)mrtrec_update_family(
		    msg + BGP_HDR_LEN, len - BGP_HDR_LEN, &afi, &safi);
		m.addpath = sess_addpath(s, afi, safi);
		/* RFC 6396 §4.4.3: AS_PATH as the session encodes it. */
		m.as4 = s->as4;
	}
	m.has_hdr = true;
	m.msgtype = type;
	m.msg = msg;
	m.msglen = len;
	mrtupd_record(&tv, &m);
}

/* RFC 6396 §4.4.1 numbers the states as RFC 4271 §8.2.2 lists them. */
static uint16_t
mrtupd_state_num(enum session_state st)
{
	switch (st) {
	case ST_IDLE:
		return 1;
	case ST_CONNECT:
		return 2;
	case ST_ACTIVE:
		return 3;
	case ST_OPENSENT:
		return 4;
	case ST_OPENCONFIRM:
		return 5;
	case ST_ESTABLISHED:
		return 6;
	}
	fatalx("%s: state %d", __func__, (int)st);
}

void
mrtupd_state(const struct peer *p, int fd, enum session_state st)
{
	struct mrtupd_addr *a;
	struct mrt_bgp4mp m;
	struct timeval tv;

	if (mrtupd.mode == MRTUPD_OFF)
		return;
	gettimeofday(&tv, NULL);
	a = mrtupd_head(&m, p, fd);
	if (fd == -1)
		a->fd = -1; /* the session is gone: its socket number too */
	m.is_state = true;
	m.old_state = mrtupd_state_num(p->state);
	m.new_state = mrtupd_state_num(st);
	mrtupd_record(&tv, &m);
}

/* Configuration and shutdown ------------------------------------------ */

/* The writer, the events and the record buffer; -1 when they fail. */
static int
mrtupd_start(struct event_base *base)
{
	if ((mrtupd.w = mrtupd_writer_start()) == NULL)
		return -1;
	mrtupd.kick = event_new(base, -1, 0, mrtupd_kick_cb, NULL);
	mrtupd.tick = event_new(base, -1, EV_PERSIST, mrtupd_tick_cb, NULL);
	if (mrtupd.kick == NULL || mrtupd.tick == NULL)
		fatalx("%s: event_new failed", __func__);
	wbuf_init_dyn(&mrtupd.rec, 0);
	return 0;
}

void
mrtupd_reconf(struct event_base *base, const struct conf *c)
{
	struct timeval tv = { MRTUPD_TICK_SEC, 0 };
	enum mrtupd_mode mode = c->dump_updates[0] == '\0' ? MRTUPD_OFF
	    : c->dump_updates_all                          ? MRTUPD_ALL
	                                                   : MRTUPD_UPDATES;
	const char *kind = mode == MRTUPD_ALL ? "all" : "updates";

	mrtupd_addr_prune(mode == MRTUPD_OFF);
	if (mode == mrtupd.mode &&
	    (mode == MRTUPD_OFF ||
	        (strcmp(c->dump_updates, mrtupd.pattern) == 0 &&
	            c->dump_updates_interval == mrtupd.interval)))
		return; /* the file being written goes on */
	mrtupd_close();
	if (mode != MRTUPD_OFF && mrtupd.w == NULL && mrtupd_start(base) == -1)
		mode = MRTUPD_OFF;
	if (mode == MRTUPD_OFF && mrtupd.mode != MRTUPD_OFF)
		log_info("dump updates: off");
	mrtupd.mode = mode;
	snprintf(mrtupd.pattern, sizeof(mrtupd.pattern), "%s", c->dump_updates);
	mrtupd.interval = c->dump_updates_interval;
	if (mode == MRTUPD_OFF) {
		if (mrtupd.tick != NULL)
			evtimer_del(mrtupd.tick);
		return;
	}
	evtimer_add(mrtupd.tick, &tv);
	log_info("dump %s %s, a new file every %u s", kind, mrtupd.pattern,
	    mrtupd.interval);
}

void
mrtupd_shutdown(void)
{
	if (mrtupd.w == NULL)
		return;
	mrtupd_close();
	mrtupd_writer_stop(mrtupd.w);
	mrtupd.w = NULL;
	mrtupd.mode = MRTUPD_OFF;
	mrtupd_addr_prune(true);
	event_free(mrtupd.kick);
	event_free(mrtupd.tick);
	mrtupd.kick = mrtupd.tick = NULL;
	wbuf_free(&mrtupd.rec);
}
