/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpwatchd: a passive BGP-4 speaker that keeps an Adj-RIB-In per peer.
 * main() reads the configuration, binds the listeners, drops privileges,
 * starts the sessions and runs the event loop; signals are events.
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
#include "listen.h"
#include "log.h"
#include "rde.h"
#include "session.h"

/* How long shutdown waits for NOTIFICATIONs to leave. */
#define DAEMON_QUIT_MS 3000
#define DAEMON_QUIT_POLL_MS 50

static struct event_base *daemon_base;
static struct conf *daemon_cf;
static const char *daemon_conf_path = BGPWATCH_SYSCONFDIR "/bgpwatch.conf";
static struct event *daemon_quit_ev;
static unsigned int daemon_quit_waited;

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

/* What may still fail once the new file parsed: binding listeners. */
static int
daemon_reload_prepare(struct conf *nc, FILE *err)
{
	/* The parser takes it from `listen on` or insists (RFC 6286). */
	if (nc->router_id == 0)
		fatalx("%s: the parser left router-id 0", __func__);
	if (listen_apply(daemon_base, nc) == -1) {
		fprintf(err, "%s: cannot bind the listeners (see the log)\n",
		    daemon_conf_path);
		return -1;
	}
	return 0;
}

int
daemon_reload(char **errors)
{
	struct conf *nc;
	char *text = NULL;
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
	daemon_reload_report(text, errors);
	if (rv == -1) {
		conf_free(nc);
		log_warnx("reload: %s: keeping the running configuration",
		    daemon_conf_path);
		return -1;
	}
	if (strcmp(nc->user, daemon_cf->user) != 0)
		log_warnx(
		    "reload: a new `user` takes effect at the next start");
	session_reconf(nc);
	conf_free(daemon_cf);
	daemon_cf = nc;
	log_info("reload: %s applied", daemon_conf_path);
	return 0;
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
	if (!foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		if (event_reinit(daemon_base) == -1)
			fatalx("event_reinit failed");
	}
	daemon_privdrop(daemon_cf);
	rde_init();
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
	listen_close_all();
	rde_shutdown();
	conf_free(daemon_cf);
	for (i = 0; i < 3; i++)
		event_free(sigev[i]);
	if (daemon_quit_ev != NULL)
		event_free(daemon_quit_ev);
	event_base_free(daemon_base);
	free(abspath);
	return 0;
}
