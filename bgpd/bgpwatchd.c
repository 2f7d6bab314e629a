/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpwatchd: a passive BGP-4 speaker that keeps an Adj-RIB-In per peer.
 * main() reads the configuration, binds the listeners, starts the
 * outputs of the event lines, drops privileges, starts the sessions and
 * runs the event loop; signals are events. peer-stats lines leave every
 * stats-interval seconds.
 *
 * Public: main(), daemon_reload().
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"

#include "bgpwatchd.h"
#include "conf.h"
#include "control.h"
#include "emit.h"
#include "listen.h"
#include "log.h"
#include "mrtupd.h"
#include "output.h"
#include "rde.h"
#include "session.h"
#include "watch.h"

/* How long shutdown waits for NOTIFICATIONs to leave. */
#define DAEMON_QUIT_MS 3000
#define DAEMON_QUIT_POLL_MS 50
/* How long output_shutdown() may take to drain the network outputs. */
#define DAEMON_OUTPUT_DRAIN_MS 2000

static struct event_base *daemon_base;
static struct conf *daemon_cf;
static const char *daemon_conf_path = BGPWATCH_SYSCONFDIR "/bgpwatch.conf";
static struct event *daemon_quit_ev;
static unsigned int daemon_quit_waited;
static struct event *daemon_stats_ev;
static uint32_t daemon_stats_interval; /* of the armed timer, 0: off */

static void daemon_stats_arm(const struct conf *);

static void __attribute__((noreturn)) daemon_usage(void)
{
	fprintf(stderr, "usage: bgpwatchd [-dnv] [-f file]\n");
	exit(1);
}

/* Give up root after binding (`user`); MD5 keys need no privilege. */
static void
daemon_privdrop(const struct conf *c)
{
	struct passwd *pw;

	if (c->user[0] == '\0')
		return;
	if ((pw = getpwnam(c->user)) == NULL)
		fatalx("user %s: no such user", c->user);
	if (geteuid() == pw->pw_uid)
		return;
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("cannot switch to user %s", c->user);
	log_info("running as user %s", c->user);
}

/* Log each line of text; hand it to the caller or free it. */
static void
daemon_reload_report(char *text, char **errors)
{
	char *line, *save = NULL, *copy;

	if (text != NULL && *text == '\0') {
		free(text);
		text = NULL;
	}
	if (text != NULL && (copy = strdup(text)) != NULL) {
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			log_warnx("reload: %s", line);
		free(copy);
	}
	if (errors != NULL)
		*errors = text;
	else
		free(text);
}

/* The watch blocks of c as lib/watch takes them. */
static void
daemon_watches(const struct conf *c, const struct watch_conf **w, size_t *n)
{
	*w = c->watches;
	*n = c->nwatches;
}

/*
 * What may still fail once the new file parsed: starting new outputs,
 * binding listeners, the watches. All or nothing: what was applied
 * before a failure is put back to the running configuration.
 */
static int
daemon_reload_prepare(struct conf *nc, FILE *err)
{
	const struct watch_conf *w;
	const char *why = NULL;
	size_t n;

	/* The parser takes it from `listen on` or insists (RFC 6286). */
	if (nc->router_id == 0)
		fatalx("%s: the parser left router-id 0", __func__);
	if (output_reconf(nc) == -1) {
		fprintf(err, "%s: cannot start the outputs (see the log)\n",
		    daemon_conf_path);
		return -1;
	}
	if (listen_apply(daemon_base, nc) == -1) {
		fprintf(err, "%s: cannot bind the listeners (see the log)\n",
		    daemon_conf_path);
		goto undo_outputs;
	}
	daemon_watches(nc, &w, &n);
	if (rde_watch_conf(w, n, &why) == -1) {
		fprintf(err, "%s: watches: %s\n", daemon_conf_path, why);
		if (listen_apply(daemon_base, daemon_cf) == -1)
			log_warnx("reload: the old listeners could not be "
			          "bound again");
		goto undo_outputs;
	}
	return 0;
undo_outputs:
	if (output_reconf(daemon_cf) == -1)
		log_warnx("reload: the old outputs could not be restarted");
	return -1;
}

/* config-reloaded, either way. */
static void
daemon_emit_reload(const struct session_reload *sr, const char *error)
{
	struct event_reload e;
	const struct watch_conf *w;
	size_t n;

	memset(&e, 0, sizeof(e));
	e.time = emit_now();
	e.config = daemon_conf_path;
	e.ok = error == NULL;
	e.error = error;
	e.neighbors = sr->neighbors;
	e.added = sr->added;
	e.removed = sr->removed;
	e.reset = sr->reset;
	daemon_watches(daemon_cf, &w, &n);
	e.watches = (uint32_t)n;
	emit_config_reloaded(&e);
}

int
daemon_reload(char **errors)
{
	struct session_reload sr;
	struct conf *nc;
	char *text = NULL, first[256];
	size_t len = 0;
	FILE *err;
	int rv = -1;

	if (errors != NULL)
		*errors = NULL;
	if ((err = open_memstream(&text, &len)) == NULL)
		fatal("%s: open_memstream", __func__);
	if ((nc = conf_parse_file(daemon_conf_path, err)) != NULL)
		rv = daemon_reload_prepare(nc, err);
	fclose(err);
	/* The first problem, one line, for the config-reloaded event. */
	snprintf(first, sizeof(first), "%.*s",
	    text != NULL ? (int)strcspn(text, "\n") : 0,
	    text != NULL ? text : "");
	daemon_reload_report(text, errors);
	if (rv == -1) {
		conf_free(nc);
		log_warnx("reload: %s: keeping the running configuration",
		    daemon_conf_path);
		memset(&sr, 0, sizeof(sr));
		daemon_emit_reload(
		    &sr, first[0] != '\0' ? first : "reload failed");
		return -1;
	}
	if (strcmp(nc->user, daemon_cf->user) != 0)
		log_warnx(
		    "reload: a new `user` takes effect at the next start");
	if (strcmp(nc->observer_name, daemon_cf->observer_name) != 0)
		emit_observer(nc->observer_name);
	mrtupd_reconf(daemon_base, nc);
	session_reconf(nc, &sr);
	conf_free(daemon_cf);
	daemon_cf = nc;
	daemon_stats_arm(daemon_cf);
	log_info("reload: %s applied", daemon_conf_path);
	daemon_emit_reload(&sr, NULL);
	return 0;
}

/* peer-stats: one metric line per neighbor. */
static void
daemon_peer_stats(const struct peer *p, int64_t now)
{
	struct event_peer_stats e;
	struct rib_stats st;
	char id[EMIT_ID_STRLEN];
	time_t wall = time(NULL);

	memset(&e, 0, sizeof(e));
	e.time = now;
	emit_peer(p, &e.peer, id);
	e.state = session_state_name(p->state);
	e.state_age = (int64_t)(wall - p->state_since_wall);
	if (rib_stats(p->rib, AFI_IPV4, SAFI_UNICAST, &st) == 0)
		e.prefixes_ipv4 = st.paths;
	if (rib_stats(p->rib, AFI_IPV6, SAFI_UNICAST, &st) == 0)
		e.prefixes_ipv6 = st.paths;
	e.updates = p->stats.msg_in[BGP_MSG_UPDATE];
	e.announced = p->stats.prefixes_announced;
	e.withdrawn = p->stats.prefixes_withdrawn;
	e.treat_as_withdraw = p->stats.treat_as_withdraw;
	e.attr_discard = p->stats.attr_discard;
	e.established = p->stats.established;
	e.last_update_age = p->stats.last_update != 0
	    ? (int64_t)(wall - p->stats.last_update)
	    : -1;
	e.interval = daemon_stats_interval;
	emit_peer_stats(&e);
}

static void
daemon_stats_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval tv = { (time_t)daemon_stats_interval, 0 };
	int64_t now = emit_now();
	struct peer *p;

	TAILQ_FOREACH(p, session_peers(), entry)
	daemon_peer_stats(p, now);
	evtimer_add(daemon_stats_ev, &tv);
}

/*
 * Seconds between two rounds of peer-stats: c's stats-interval, 0 for
 * none. BGPWATCHD_STATS_INTERVAL replaces a nonzero one: a test aid, as
 * in bgpwatchd(8).
 */
static uint32_t
daemon_stats_want(const struct conf *c)
{
	const char *s;
	long v;

	if (c->stats_interval != 0 &&
	    (s = getenv("BGPWATCHD_STATS_INTERVAL")) != NULL &&
	    (v = strtol(s, NULL, 10)) > 0 && v <= CONF_STATS_INTERVAL_MAX)
		return (uint32_t)v;
	return c->stats_interval;
}

/*
 * Start the peer-stats timer, or restart it when a reload changed the
 * interval (an unchanged one keeps its phase); stop it for 0.
 */
static void
daemon_stats_arm(const struct conf *c)
{
	struct timeval tv = { 0, 0 };
	uint32_t want = daemon_stats_want(c);

	if (daemon_stats_ev == NULL &&
	    (daemon_stats_ev =
	            evtimer_new(daemon_base, daemon_stats_cb, NULL)) == NULL)
		fatalx("%s: evtimer_new failed", __func__);
	if (want == daemon_stats_interval &&
	    (want == 0 || evtimer_pending(daemon_stats_ev, NULL)))
		return;
	evtimer_del(daemon_stats_ev);
	daemon_stats_interval = want;
	if (want == 0) {
		log_info("peer-stats: off");
		return;
	}
	log_info("peer-stats: every %u seconds", want);
	tv.tv_sec = (time_t)want;
	evtimer_add(daemon_stats_ev, &tv);
}

/* collector-started, and the peer-stats timer. */
static void
daemon_announce(void)
{
	struct event_collector e;
	const struct watch_conf *w;
	struct conf_neighbor *n;
	size_t nw;
	char id[16];

	memset(&e, 0, sizeof(e));
	e.time = emit_now();
	e.config = daemon_conf_path;
	e.local_as = daemon_cf->local_as;
	snprintf(id, sizeof(id), "%u.%u.%u.%u", daemon_cf->router_id >> 24,
	    (daemon_cf->router_id >> 16) & 0xff,
	    (daemon_cf->router_id >> 8) & 0xff, daemon_cf->router_id & 0xff);
	e.router_id = id;
	STAILQ_FOREACH(n, &daemon_cf->neighbors, entry)
	e.neighbors++;
	daemon_watches(daemon_cf, &w, &nw);
	e.watches = (uint32_t)nw;
	e.outputs = (uint32_t)output_count();
	e.pid = (int64_t)getpid();
	emit_collector_started(&e);
	daemon_stats_arm(daemon_cf);
}

static void
daemon_quit_poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval tv = { 0, DAEMON_QUIT_POLL_MS * 1000 };

	daemon_quit_waited += DAEMON_QUIT_POLL_MS;
	if (session_quiet() || daemon_quit_waited >= DAEMON_QUIT_MS) {
		event_base_loopexit(daemon_base, NULL);
		return;
	}
	evtimer_add(daemon_quit_ev, &tv);
}

static void
daemon_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct timeval tv = { 0, 0 };

	switch (sig) {
	case SIGHUP:
		log_info("SIGHUP: reloading %s", daemon_conf_path);
		/* logrotate renamed the files: config-reloaded goes anew. */
		output_reopen();
		daemon_reload(NULL);
		break;
	case SIGTERM:
	case SIGINT:
		if (daemon_quit_ev != NULL) { /* second signal: now */
			event_base_loopexit(daemon_base, NULL);
			break;
		}
		log_info("%s: shutting down", strsignal((int)sig));
		/* RFC 9003: tell the peers why. */
		session_shutdown("bgpwatchd shutting down");
		listen_close_all();
		daemon_quit_ev =
		    evtimer_new(daemon_base, daemon_quit_poll_cb, NULL);
		if (daemon_quit_ev == NULL)
			fatalx("%s: evtimer_new failed", __func__);
		evtimer_add(daemon_quit_ev, &tv);
		break;
	}
}

/* Check a configuration and print it normalised (-n). */
static int
daemon_check(void)
{
	struct conf *c;

	if ((c = conf_parse_file(daemon_conf_path, stderr)) == NULL)
		return 1;
	conf_print(c, stdout);
	conf_free(c);
	return 0;
}

/* Start-up: everything that may fail happens before the loop runs. */
static void
daemon_start(bool foreground)
{
	const struct watch_conf *w;
	const char *why = NULL;
	size_t n;

	if ((daemon_cf = conf_parse_file(daemon_conf_path, stderr)) == NULL)
		fatalx("%s: configuration not loaded", daemon_conf_path);
	if (daemon_cf->router_id == 0)
		fatalx("%s: the parser left router-id 0", __func__);
	if ((daemon_base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (listen_apply(daemon_base, daemon_cf) == -1)
		fatalx("cannot bind the listeners");
	if (control_init(daemon_base, daemon_cf->control, daemon_cf->user) ==
	    -1)
		fatalx("cannot open the control socket %s", daemon_cf->control);
	rde_init(daemon_base);
	daemon_watches(daemon_cf, &w, &n);
	if (rde_watch_conf(w, n, &why) == -1)
		fatalx("%s: watches: %s", daemon_conf_path, why);
	if (!foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		if (event_reinit(daemon_base) == -1)
			fatalx("event_reinit failed");
	}
	/* Output threads must be started after daemon(3) forked. */
	emit_init(daemon_cf->observer_name);
	if (output_init(daemon_base, daemon_cf, emit_ctx()) == -1)
		fatalx("cannot start the outputs");
	/* Before the sessions start: their first state changes count. */
	mrtupd_reconf(daemon_base, daemon_cf);
	daemon_privdrop(daemon_cf);
	daemon_announce();
	session_init(daemon_base, daemon_cf);
}

int
main(int argc, char *argv[])
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct event *sigev[3];
	bool foreground = false, check = false;
	char *abspath;
	int ch, verbose = 0;
	size_t i;

	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			foreground = true;
			break;
		case 'f':
			daemon_conf_path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'v':
			verbose++;
			break;
		default:
			daemon_usage();
		}
	}
	if (optind != argc)
		daemon_usage();
	if (check)
		return daemon_check();

	/* daemon(3) moves to "/": SIGHUP must still find the file. */
	abspath = foreground ? NULL : realpath(daemon_conf_path, NULL);
	if (abspath != NULL)
		daemon_conf_path = abspath;
	log_init(foreground, verbose);
	signal(SIGPIPE, SIG_IGN);
	daemon_start(foreground);
	for (i = 0; i < 3; i++) {
		sigev[i] =
		    evsignal_new(daemon_base, sigs[i], daemon_signal_cb, NULL);
		if (sigev[i] == NULL || evsignal_add(sigev[i], NULL) == -1)
			fatalx("cannot handle signal %d", sigs[i]);
	}
	log_info("bgpwatchd %s started (AS %u, %s)", BGPWATCH_VERSION,
	    daemon_cf->local_as, daemon_conf_path);
	if (event_base_dispatch(daemon_base) == -1)
		fatalx("event_base_dispatch failed");

	log_info("bgpwatchd stopped");
	control_shutdown();
	session_free_all();
	mrtupd_shutdown();
	listen_close_all();
	rde_shutdown();
	if (daemon_stats_ev != NULL)
		event_free(daemon_stats_ev);
	output_shutdown(DAEMON_OUTPUT_DRAIN_MS);
	emit_free();
	conf_free(daemon_cf);
	for (i = 0; i < 3; i++)
		event_free(sigev[i]);
	if (daemon_quit_ev != NULL)
		event_free(daemon_quit_ev);
	event_base_free(daemon_base);
	free(abspath);
	return 0;
}
