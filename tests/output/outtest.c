/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * outtest: drives bgpd/output.c the way bgpwatchd does, for the scripted
 * tests of tests/output/. It starts the outputs of a bgpwatch.conf, emits
 * real event lines (lib/event) at a given rate from the event loop,
 * measures how late a periodic timer fires (the loop must never stall,
 * whatever the outputs suffer), waits for the outputs to drain, shuts them
 * down and prints a JSON summary with every output's counters.
 *
 * usage: outtest -c CONF [-n LINES] [-r RATE] [-t TICK_MS] [-d DRAIN_MS]
 *                [-S SHUTDOWN_MS]
 *   -n  lines to emit (default 1000); -r lines per second (0: as fast
 *       as the loop goes, 500 per turn); -t liveness timer period (10 ms);
 *   -d  how long to wait for the outputs to drain after the last line
 *       (30000 ms); -S output_shutdown() timeout (5000 ms).
 * Signals: SIGHUP reopens files (output_reopen()), SIGUSR1 reads CONF again
 * and applies its outputs (output_reconf()), SIGTERM stops emitting.
 *
 * Public: main().
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"

#include "conf.h"
#include "event.h"
#include "json.h"
#include "log.h"
#include "output.h"

#define OT_MAX_OUTPUTS 16
#define OT_BATCH 500 /* lines per loop turn at full speed */

struct ot {
	struct event_base *base;
	struct event_ctx ctx;
	struct wbuf line;
	uint64_t want; /* lines to emit */
	uint64_t emitted;
	double rate; /* lines per second, 0: full speed */
	double credit; /* lines due and not emitted yet */
	int tick_ms;
	int drain_ms;
	struct timespec start; /* monotonic */
	struct timespec last_tick;
	int64_t max_late_ms;
	uint64_t ticks;
	int64_t drain_start;
	bool stopping;
	struct event *emit_ev;
	struct event *tick_ev;
	struct event *drain_ev;
	struct output_stats st[OT_MAX_OUTPUTS];
	size_t nst;
	const char *conf_path;
	unsigned reloads; /* output_reconf() calls that succeeded */
	unsigned reload_failures;
};

static int64_t
ot_ms(const struct timespec *a, const struct timespec *b)
{
	return (int64_t)(a->tv_sec - b->tv_sec) * 1000 +
	    (a->tv_nsec - b->tv_nsec) / 1000000;
}

static int64_t
ot_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return event_ms_from_timespec(&ts);
}

/* One event line, alternating families; text that needs escaping. */
static void
ot_line(struct ot *ot)
{
	static const char *const descr[] = { "lab-rs1", "r\xc3\xa9seau \"A\"",
		"tab\there" };
	struct event_peer peer = { "192.0.2.1", 64500, "192.0.2.1", NULL };
	struct event_peer_stats ps;
	struct event_session_closed sc;
	uint64_t n = ot->emitted;

	peer.description = descr[n % 3];
	wbuf_reset(&ot->line);
	if (n % 2 == 0) {
		memset(&ps, 0, sizeof(ps));
		ps.time = ot_wall();
		ps.peer = peer;
		ps.state = "Established";
		ps.state_age = (int64_t)n;
		ps.prefixes_ipv4 = 900000 + n;
		ps.prefixes_ipv6 = 200000 + n;
		ps.updates = n * 7;
		ps.last_update_age = n % 5 == 0 ? -1 : (int64_t)(n % 60);
		ps.interval = 60;
		(void)event_peer_stats(&ot->ctx, &ps, &ot->line);
		return;
	}
	memset(&sc, 0, sizeof(sc));
	sc.time = ot_wall();
	sc.peer = peer;
	sc.state = "Idle";
	sc.previous_state = "Established";
	sc.reason = "hold timer expired";
	sc.notification = true;
	sc.sent = true;
	sc.code = 4;
	sc.shutdown = "outtest line padding padding padding padding";
	sc.uptime = (int64_t)n;
	(void)event_session_closed(&ot->ctx, &sc, &ot->line);
}

static void
ot_emit_one(struct ot *ot)
{
	ot_line(ot);
	if (wbuf_len(&ot->line) == 0)
		fatalx("outtest: event line not written");
	output_emit(wbuf_data(&ot->line), wbuf_len(&ot->line), ot->ctx.seq);
	ot->emitted++;
}

static void ot_drain_cb(evutil_socket_t, short, void *);

/* Done emitting: wait for the outputs to drain. */
static void
ot_done(struct ot *ot)
{
	struct timeval tv = { 0, 10000 };

	event_del(ot->emit_ev);
	ot->drain_start = ot_wall();
	evtimer_add(ot->drain_ev, &tv);
}

/* Every 10 ms (rate mode) or every loop turn (full speed). */
static void
ot_emit_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ot *ot = arg;
	struct timespec now;
	double due;
	int n = 0;

	if (ot->rate > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		due = ot->rate * (double)ot_ms(&now, &ot->start) / 1000.0;
		ot->credit = due - (double)ot->emitted;
	} else
		ot->credit = OT_BATCH;
	while (ot->credit >= 1.0 && ot->emitted < ot->want && !ot->stopping) {
		ot_emit_one(ot);
		ot->credit -= 1.0;
		if (++n == 4 * OT_BATCH)
			break; /* let the loop breathe even when behind */
	}
	if (ot->emitted >= ot->want || ot->stopping) {
		ot_done(ot);
		return;
	}
	if (ot->rate <= 0)
		event_active(ot->emit_ev, EV_TIMEOUT, 0);
}

/* The liveness probe: how much later than its period does it fire? */
static void
ot_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ot *ot = arg;
	struct timespec now;
	int64_t late;

	clock_gettime(CLOCK_MONOTONIC, &now);
	late = ot_ms(&now, &ot->last_tick) - ot->tick_ms;
	if (ot->ticks > 0 && late > ot->max_late_ms)
		ot->max_late_ms = late;
	ot->last_tick = now;
	ot->ticks++;
}

static bool
ot_drained(struct ot *ot)
{
	size_t i;

	ot->nst = output_stats(ot->st, OT_MAX_OUTPUTS);
	for (i = 0; i < ot->nst; i++)
		if (ot->st[i].queued != 0 || ot->st[i].spool != 0 ||
		    ot->st[i].dropping != 0)
			return false;
	return true;
}

static void
ot_drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ot *ot = arg;
	struct timeval tv = { 0, 10000 };

	if (ot_drained(ot) || ot->stopping ||
	    ot_wall() - ot->drain_start >= ot->drain_ms) {
		event_base_loopexit(ot->base, NULL);
		return;
	}
	evtimer_add(ot->drain_ev, &tv);
}

/* What bgpwatchd's reload does for the outputs. */
static void
ot_reload(struct ot *ot)
{
	struct conf *c;

	if ((c = conf_parse_file(ot->conf_path, stderr)) == NULL ||
	    output_reconf(c) == -1) {
		log_warnx("outtest: reload failed, outputs unchanged");
		ot->reload_failures++;
	} else
		ot->reloads++;
	conf_free(c);
}

static void
ot_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct ot *ot = arg;

	if (sig == SIGHUP)
		output_reopen();
	else if (sig == SIGUSR1)
		ot_reload(ot);
	else
		ot->stopping = true;
}

static void
ot_summary_output(struct json *j, const struct output_stats *s)
{
	json_obj_open(j, NULL);
	json_str(j, "name", s->name);
	json_str(j, "type", s->type);
	json_bool(j, "up", s->up);
	json_uint(j, "lines", s->lines);
	json_uint(j, "bytes", s->bytes);
	json_uint(j, "spooled", s->spooled);
	json_uint(j, "dropped", s->dropped);
	json_uint(j, "dropping", s->dropping);
	json_uint(j, "gaps", s->gaps);
	json_uint(j, "connects", s->connects);
	json_uint(j, "resent", s->resent);
	json_uint(j, "queued", s->queued);
	json_uint(j, "spool", s->spool);
	json_str(j, "error", s->error);
	json_obj_close(j);
}

/* The JSON summary on standard output. */
static void
ot_summary(struct ot *ot, bool drained)
{
	struct timespec now;
	struct json j;
	struct wbuf w;
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	json_uint(&j, "emitted", ot->emitted);
	json_uint(&j, "last_sequence", ot->ctx.seq);
	json_str(&j, "run_id", ot->ctx.run_id);
	json_uint(&j, "ticks", ot->ticks);
	json_int(&j, "max_late_ms", ot->max_late_ms);
	json_int(&j, "elapsed_ms", ot_ms(&now, &ot->start));
	json_bool(&j, "drained", drained);
	json_uint(&j, "reloads", ot->reloads);
	json_uint(&j, "reload_failures", ot->reload_failures);
	json_arr_open(&j, "outputs");
	for (i = 0; i < ot->nst; i++)
		ot_summary_output(&j, &ot->st[i]);
	json_arr_close(&j);
	json_obj_close(&j);
	if (json_finish(&j) == -1)
		fatalx("outtest: summary not written");
	printf("%.*s\n", (int)wbuf_len(&w), (const char *)wbuf_data(&w));
	fflush(stdout);
	wbuf_free(&w);
}

static void __attribute__((noreturn)) ot_usage(void)
{
	fprintf(stderr,
	    "usage: outtest -c conf [-n lines] [-r rate] [-t tick_ms] "
	    "[-d drain_ms] [-S shutdown_ms]\n");
	exit(2);
}

/* The loop's events: emitting, the liveness timer, draining, signals. */
static void
ot_events(struct ot *ot, struct event **sig)
{
	static const int sigs[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
	struct timeval tick = { ot->tick_ms / 1000,
		(ot->tick_ms % 1000) * 1000 };
	struct timeval step = { 0, 10000 };
	size_t i;

	ot->emit_ev = event_new(
	    ot->base, -1, ot->rate > 0 ? EV_PERSIST : 0, ot_emit_cb, ot);
	ot->tick_ev = event_new(ot->base, -1, EV_PERSIST, ot_tick_cb, ot);
	ot->drain_ev = evtimer_new(ot->base, ot_drain_cb, ot);
	if (ot->emit_ev == NULL || ot->tick_ev == NULL || ot->drain_ev == NULL)
		fatalx("outtest: event_new failed");
	if (ot->rate > 0)
		event_add(ot->emit_ev, &step);
	else
		event_active(ot->emit_ev, EV_TIMEOUT, 0);
	event_add(ot->tick_ev, &tick);
	for (i = 0; i < 4; i++) {
		sig[i] = evsignal_new(ot->base, sigs[i], ot_signal_cb, ot);
		if (sig[i] == NULL || evsignal_add(sig[i], NULL) == -1)
			fatalx("outtest: signal %d", sigs[i]);
	}
}

int
main(int argc, char *argv[])
{
	struct ot ot;
	struct conf *c;
	struct event *sig[4];
	const char *cf = NULL;
	int ch, shutdown_ms = 5000;
	bool drained;
	size_t i;

	memset(&ot, 0, sizeof(ot));
	ot.want = 1000;
	ot.tick_ms = 10;
	ot.drain_ms = 30000;
	while ((ch = getopt(argc, argv, "c:n:r:t:d:S:")) != -1) {
		switch (ch) {
		case 'c':
			cf = optarg;
			break;
		case 'n':
			ot.want = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			ot.rate = strtod(optarg, NULL);
			break;
		case 't':
			ot.tick_ms = atoi(optarg) > 0 ? atoi(optarg) : 10;
			break;
		case 'd':
			ot.drain_ms = atoi(optarg);
			break;
		case 'S':
			shutdown_ms = atoi(optarg);
			break;
		default:
			ot_usage();
		}
	}
	if (cf == NULL || optind != argc)
		ot_usage();
	ot.conf_path = cf;
	log_init(true, 0);
	signal(SIGPIPE, SIG_IGN);
	if ((c = conf_parse_file(cf, stderr)) == NULL)
		return 1;
	if ((ot.base = event_base_new()) == NULL)
		fatalx("outtest: event_base_new failed");
	event_ctx_init(&ot.ctx, "outtest", BGPWATCH_VERSION, ot_wall(),
	    (uint64_t)random() << 31 ^ (uint64_t)getpid());
	wbuf_init_dyn(&ot.line, 0);
	if (output_init(ot.base, c, &ot.ctx) == -1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &ot.start);
	ot.last_tick = ot.start;
	ot_events(&ot, sig);
	event_base_dispatch(ot.base);
	drained = ot_drained(&ot);
	output_shutdown(shutdown_ms);
	ot_summary(&ot, drained);
	for (i = 0; i < 4; i++)
		event_free(sig[i]);
	event_free(ot.emit_ev);
	event_free(ot.tick_ev);
	event_free(ot.drain_ev);
	event_base_free(ot.base);
	wbuf_free(&ot.line);
	conf_free(c);
	return 0;
}
