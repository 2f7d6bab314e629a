/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * What the parts of the output module share (output.c: registry, lines,
 * gaps, files; output_io.c: the I/O thread; output_net.c: TCP and TLS);
 * not for use outside them, but for the byte FIFOs (output_buf_*), which
 * bgpd/mrtupd.c's writer thread uses too.
 *
 * Internal: output_buf_add(), output_buf_drop(), output_buf_swap(),
 *           output_buf_free(), output_io_start(), output_io_stop(),
 *           output_io_push(), output_io_queued(), output_io_take(),
 *           output_io_reopen(), output_io_prepend(), output_io_error(),
 *           output_io_written(),
 *           output_net_new(), output_net_free(), output_net_emit(),
 *           output_net_room(), output_net_flushed(), output_net_fill(),
 *           output_accept(), output_drop(), output_error(), output_now().
 */
#ifndef BGPWATCH_OUTPUT_INT_H
#define BGPWATCH_OUTPUT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "conf.h"
#include "output.h"

struct bufferevent;
struct evbuffer;
struct event;
struct event_base;
struct evdns_base;
struct spool;

#define OUTPUT_CHUNK (64u << 10) /* bytes moved at a time */
#define OUTPUT_NET_HIWAT (1u << 20) /* socket buffer: beyond, backlog */
#define OUTPUT_NET_LOWAT (256u << 10) /* refill below this */
#define OUTPUT_READAHEAD (256u << 10) /* spool bytes read ahead */
#define OUTPUT_BACKOFF_MIN 1 /* seconds before the first reconnect */
#define OUTPUT_BACKOFF_MAX 60
#define OUTPUT_IO_RETRY_MS 1000 /* wait after a failed write or append */
#define OUTPUT_SYNC_MS 1000 /* spool fdatasync(2) interval */

/* A byte FIFO: len bytes at buf + off. */
struct output_buf {
	char *buf;
	size_t off;
	size_t len;
	size_t cap;
};

enum output_io_mode {
	OUTPUT_IO_FILE, /* write() to a file or standard output */
	OUTPUT_IO_SPOOL, /* append to and read ahead from a spool */
};

/*
 * The I/O thread of an output and what it shares with the event loop
 * (under mtx). The loop pushes bytes into in; the thread takes them in
 * batches (inflight while it works on them) and writes or spools them;
 * in spool mode it reads ahead into rd for the loop, which tells it how
 * much it took (consumed) so the spool can let go of it. The thread
 * writes a byte into the pipe to wake the loop: rd filled, an error.
 */
struct output_io {
	enum output_io_mode mode;
	struct output *o;
	pthread_t thread;
	bool running;
	pthread_mutex_t mtx;
	pthread_cond_t cv;
	int pipe[2];
	struct event *ev;
	/* The loop's own: wake the thread once per loop pass, not per line. */
	struct event *kick;
	bool kick_pending;
	size_t wake_at; /* bytes in: wake the thread at once */
	/* Shared, under mtx. */
	struct output_buf in;
	struct output_buf batch; /* taken from in, being written */
	size_t inflight; /* bytes of batch not written yet */
	struct output_buf rd;
	uint64_t consumed; /* taken from rd, not yet spool_consume()d */
	struct output_buf front; /* to spool_prepend() when quitting */
	bool quit;
	bool reopen;
	bool notified;
	uint64_t written; /* bytes written (file mode) */
	int err; /* errno of the last failure, 0 after a success */
	char errmsg[256];
	bool err_new; /* errmsg not logged yet */
	/* The thread's own. */
	int fd; /* file mode */
	char path[CONF_PATH_MAX]; /* "" for standard output */
	struct spool *sp; /* spool mode */
	char *tmp; /* spool mode: OUTPUT_CHUNK bytes to read into */
	struct timespec synced; /* spool mode: last fdatasync(2) */
};

/* The lines an output dropped since its last output-gap line. */
struct output_gap {
	uint64_t n;
	uint64_t first;
	uint64_t last;
	int64_t t0;
	int64_t t1;
	const char *reason;
	bool ready; /* lines flow again: write the output-gap line */
};

enum output_net_state {
	OUTPUT_NET_DOWN, /* waiting to reconnect */
	OUTPUT_NET_CONNECTING, /* TCP connect or TLS handshake running */
	OUTPUT_NET_UP,
};

struct output {
	TAILQ_ENTRY(output) entry;
	struct conf_output conf;
	char name[CONF_PATH_MAX + 16];
	struct output_stats st;
	struct output_gap gap;
	struct output_io *io; /* file, stdout; tcp and tls with a spool */
	/* tcp, tls */
	void *ssl_ctx; /* SSL_CTX, tls only */
	struct bufferevent *bev;
	enum output_net_state state;
	struct event *retry;
	unsigned backoff; /* seconds of the next wait */
	struct evbuffer *replay; /* to send first when connected */
	struct evbuffer *window; /* sent on this connection (resend window) */
	struct evbuffer *memq; /* backlog without a spool */
	uint64_t backlog; /* bytes waiting: memq, or in the I/O thread */
	int64_t last_log; /* ms, rate limit of connection messages */
};
TAILQ_HEAD(output_list, output);

/* Byte FIFOs. Out of memory ends the process (error tier 3). */
void output_buf_add(struct output_buf *b, const void *p, size_t len);
void output_buf_drop(struct output_buf *b, size_t len);
void output_buf_swap(struct output_buf *a, struct output_buf *b);
void output_buf_free(struct output_buf *b);

/*
 * Start the I/O thread of o in mode: file mode writes to fd (owned
 * from now on; path "" for standard output, which is never reopened),
 * spool mode runs sp (owned). Returns NULL after logging why.
 */
struct output_io *output_io_start(struct output *o, struct event_base *base,
    enum output_io_mode mode, int fd, const char *path, struct spool *sp);
/*
 * Stop the thread: it writes (or spools) what it holds first, waiting at
 * most timeout_ms, then is cancelled; in spool mode front is prepended.
 * Frees io. Returns the bytes given up.
 */
uint64_t output_io_stop(struct output_io *io, int timeout_ms);
/* Queue bytes for the thread. */
void output_io_push(struct output_io *io, const void *p, size_t len);
/* Bytes pushed and not yet written or spooled. */
size_t output_io_queued(struct output_io *io);
/* Spool mode: move up to max read-ahead bytes into buf; returns how many. */
size_t output_io_take(struct output_io *io, void *buf, size_t max);
/* File mode: reopen the file before the next batch. */
void output_io_reopen(struct output_io *io);
/* Spool mode: bytes to put in front of the spool when stopping. */
void output_io_prepend(struct output_io *io, struct evbuffer *b);
/*
 * The thread's last error not yet reported, into buf; false if none.
 */
bool output_io_error(struct output_io *io, char *buf, size_t size);
/* File mode: bytes written so far. */
uint64_t output_io_written(struct output_io *io);

/* tcp, tls: set up o (SSL context, spool, timers) and start connecting. */
int output_net_new(
    struct output *o, struct event_base *base, struct evdns_base *dns);
/* Close the connection, hand what is unsent to the spool, free. */
void output_net_free(struct output *o, int timeout_ms);
/* Take a line: straight to the socket, or into the backlog. */
void output_net_emit(
    struct output *o, const void *line, size_t len, uint64_t seq, bool force);
/* True when everything was handed to the socket and it was flushed. */
bool output_net_flushed(struct output *o);
/* The spool or memory queue has room for len more bytes; why not. */
bool output_net_room(struct output *o, size_t len, const char **why);
/* New read-ahead from the I/O thread: keep sending. */
void output_net_fill(struct output *o);

/* A line was taken by o; a pending gap can be closed. */
void output_accept(struct output *o);
/* o dropped the line seq because of why ("queue-full", "spool-full"). */
void output_drop(struct output *o, uint64_t seq, const char *why);
/* Record and log (rate limited) an error of o. */
void output_error(struct output *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Wall clock, milliseconds since the epoch. */
int64_t output_now(void);

#endif
