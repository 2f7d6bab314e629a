/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The control socket: listening, SO_PEERCRED checks, line framing of
 * requests, the command table, the actions (reload, clear, neighbor
 * down/up) and the back-pressured streaming of `show rib` answers; the
 * show documents themselves are built in control_show.c.
 *
 * Public: control_init(), control_shutdown().
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "bgpwatchd.h"
#include "conf.h"
#include "control.h"
#include "control_int.h"
#include "ctljson.h"
#include "json.h"
#include "log.h"
#include "msg.h"
#include "session.h"
#include "wbuf.h"

#define CTL_MAX_LINE 65536 /* longest request line, newline excluded */
#define CTL_MAX_CONNS 64 /* clients at the same time */
#define CTL_IDLE_SEC 60 /* to send a (next) request */
#define CTL_FLUSH_SEC 10 /* to read the last answer of a closing client */
#define CTL_WLOWAT (32 * 1024) /* refill a stream below this much output */
#define CTL_CHUNK 256 /* routes looked at per refill */
#define CTL_BACKLOG 16
#define CTL_MAX_GROUPS 256 /* SO_PEERGROUPS entries looked at */

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn) entry;
	struct bufferevent *bev;
	struct event *more; /* zero-timeout timer: refill on the next turn */
	struct control_rib *rib; /* `show rib` in progress */
	size_t scanned; /* input searched for a newline so far */
	unsigned int id;
	uid_t uid;
	bool eof; /* the client sent everything it will send */
	bool closing; /* close once the output is written */
};
TAILQ_HEAD(ctl_conn_list, ctl_conn);

/* A request argument: its name and JSON type. */
struct ctl_arg {
	const char *name;
	enum ctljson_type type;
};

struct ctl_command {
	const char *name;
	const struct ctl_arg *args; /* ends with a NULL name */
	bool action; /* changes something: logged at info level */
	void (*run)(struct ctl_conn *, const struct ctljson_val *);
};

static struct event_base *ctl_base;
static struct evconnlistener *ctl_listener;
static struct event *ctl_resume_ev; /* accept again after EMFILE */
static struct ctl_conn_list ctl_conns = TAILQ_HEAD_INITIALIZER(ctl_conns);
static unsigned int ctl_nconns, ctl_next_id;
static char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static dev_t ctl_dev;
static ino_t ctl_ino;
static gid_t ctl_gid; /* the socket file's group */
static struct log_rate ctl_rl_perm = { .burst = 5, .interval = 60 };
static struct log_rate ctl_rl_busy = { .burst = 5, .interval = 60 };

static void ctl_process(struct ctl_conn *);

/* Output ------------------------------------------------------------- */

/* Queue the document in w as one line. */
static void
ctl_send(struct ctl_conn *c, struct wbuf *w)
{
	wbuf_put_u8(w, '\n');
	if (wbuf_error(w)) {
		log_warnx(
		    "control: client %u: answer could not be built", c->id);
		return;
	}
	if (bufferevent_write(c->bev, wbuf_data(w), wbuf_len(w)) == -1)
		log_warnx(
		    "control: client %u: bufferevent_write failed", c->id);
}

/*
 * End an answer with {"error":"..."} and, when details is not NULL, its
 * lines as "details" (reload errors).
 */
static void __attribute__((format(printf, 3, 4)))
ctl_error(struct ctl_conn *c, const char *details, const char *fmt, ...)
{
	char msg[CONTROL_ERRLEN + 64], *copy, *line, *save = NULL;
	struct wbuf w;
	struct json j;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	json_str(&j, "error", msg);
	if (details != NULL && (copy = strdup(details)) != NULL) {
		json_arr_open(&j, "details");
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			json_str(&j, NULL, line);
		json_arr_close(&j);
		free(copy);
	}
	json_obj_close(&j);
	if (json_finish(&j) == 0)
		ctl_send(c, &w);
	wbuf_free(&w);
}

/* End an answer with {"end":true}, plus "routes" when routes >= 0. */
static void
ctl_end(struct ctl_conn *c, int64_t routes)
{
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	json_bool(&j, "end", true);
	if (routes >= 0)
		json_uint(&j, "routes", (uint64_t)routes);
	json_obj_close(&j);
	if (json_finish(&j) == 0)
		ctl_send(c, &w);
	wbuf_free(&w);
}

/* Clients ------------------------------------------------------------ */

static void
ctl_free(struct ctl_conn *c)
{
	TAILQ_REMOVE(&ctl_conns, c, entry);
	ctl_nconns--;
	control_rib_free(c->rib);
	event_free(c->more);
	bufferevent_free(c->bev);
	log_debug("control: client %u closed", c->id);
	free(c);
}

/*
 * Stop reading and close once the output has been written (or after
 * CTL_FLUSH_SEC). May free c at once: callers must not use it afterwards.
 */
static void
ctl_close(struct ctl_conn *c)
{
	struct timeval tv = { CTL_FLUSH_SEC, 0 };

	c->closing = true;
	control_rib_free(c->rib);
	c->rib = NULL;
	evtimer_del(c->more);
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		ctl_free(c);
		return;
	}
	bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
	bufferevent_set_timeouts(c->bev, NULL, &tv);
}

/*
 * One refill of a `show rib` answer: at most CTL_CHUNK routes, and only
 * while less than CTL_WLOWAT octets wait to be written, so a slow reader
 * holds at most about that much of the daemon's memory. The next refill
 * comes from the write callback (the output drained) or, when this one
 * wrote little, from a zero timeout: timers run after polling, so the
 * sessions' sockets and timers get their turn between chunks.
 */
static void
ctl_stream(struct ctl_conn *c)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	struct timeval now = { 0, 0 };

	if (c->rib == NULL)
		return;
	if (!control_rib_fill(c->rib, out, 0)) {
		if (evbuffer_get_length(out) <= CTL_WLOWAT)
			evtimer_add(c->more, &now);
		return;
	}
	ctl_end(c, (int64_t)control_rib_count(c->rib));
	control_rib_free(c->rib);
	c->rib = NULL;
	ctl_process(c); /* requests that came meanwhile, or EOF */
}

static void
ctl_more_cb(evutil_socket_t fd, short what, void *arg)
{
	ctl_stream(arg);
}

static void
ctl_read_cb(struct bufferevent *bev, void *arg)
{
	ctl_process(arg);
}

static void
ctl_write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;

	if (c->closing) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			ctl_free(c);
		return;
	}
	ctl_stream(c);
}

static void
ctl_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn *c = arg;

	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_WRITING) &&
	    !c->closing) {
		/* Half-close (`socat`, shutdown(2)): answer, then close. */
		c->eof = true;
		ctl_process(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("control: client %u: timed out", c->id);
	else if (what & BEV_EVENT_ERROR)
		log_debug("control: client %u: %s", c->id,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	ctl_free(c); /* gone mid-answer: drop the walk and the buffers */
}

/* Requests ---------------------------------------------------------- */

/* Check args against the command's list: names, types, no repeats. */
static int
ctl_check_args(struct ctl_conn *c, const struct ctl_command *cmd,
    const struct ctljson_val *args)
{
	const struct ctljson_val *m, *o;
	const struct ctl_arg *a;

	if (args == NULL)
		return 0;
	if (args->type != CTLJSON_OBJECT) {
		ctl_error(c, NULL, "\"args\" must be an object");
		return -1;
	}
	for (m = args->child; m != NULL; m = m->next) {
		for (a = cmd->args; a->name != NULL; a++)
			if (strcmp(a->name, m->key) == 0)
				break;
		if (a->name == NULL) {
			ctl_error(c, NULL, "%s: unknown argument \"%.64s\"",
			    cmd->name, m->key);
			return -1;
		}
		if (m->type != a->type) {
			ctl_error(c, NULL, "%s: argument \"%s\" must be %s %s",
			    cmd->name, a->name,
			    a->type == CTLJSON_OBJECT ? "an" : "a",
			    ctljson_type_name(a->type));
			return -1;
		}
		for (o = args->child; o != m; o = o->next)
			if (strcmp(o->key, m->key) == 0) {
				ctl_error(c, NULL,
				    "%s: argument \"%s\" given twice",
				    cmd->name, a->name);
				return -1;
			}
	}
	return 0;
}

static const struct ctl_command *ctl_command_find(const char *);

/* The request object: {"command": "...", "args": {...}}. */
static void
ctl_dispatch(struct ctl_conn *c, const struct ctljson_val *req)
{
	const struct ctljson_val *m, *cmdv = NULL, *args = NULL;
	const struct ctl_command *cmd;

	if (req->type != CTLJSON_OBJECT) {
		ctl_error(c, NULL, "a request must be a JSON object");
		return;
	}
	for (m = req->child; m != NULL; m = m->next) {
		if (strcmp(m->key, "command") != 0 &&
		    strcmp(m->key, "args") != 0) {
			ctl_error(c, NULL,
			    "unexpected member \"%.64s\" in the request",
			    m->key);
			return;
		}
		if ((m->key[0] == 'c' ? cmdv : args) != NULL) {
			ctl_error(c, NULL, "member \"%s\" given twice", m->key);
			return;
		}
		*(m->key[0] == 'c' ? &cmdv : &args) = m;
	}
	if (ctljson_str(cmdv) == NULL) {
		ctl_error(c, NULL, "the request has no \"command\" string");
		return;
	}
	if ((cmd = ctl_command_find(cmdv->str)) == NULL) {
		ctl_error(c, NULL, "unknown command \"%.64s\"", cmdv->str);
		return;
	}
	if (ctl_check_args(c, cmd, args) == -1)
		return;
	if (cmd->action)
		log_info("control: client %u (uid %u): %s", c->id,
		    (unsigned int)c->uid, cmd->name);
	else
		log_debug("control: client %u: %s", c->id, cmd->name);
	cmd->run(c, args);
}

/* One request line (newline and trailing CR removed). */
static void
ctl_request(struct ctl_conn *c, const char *line, size_t len)
{
	struct ctljson_doc doc;
	char err[CONTROL_ERRLEN];
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t')
			break;
	if (i == len)
		return; /* blank lines are ignored */
	if (ctljson_parse(&doc, line, len, err, sizeof(err)) == -1) {
		ctl_error(c, NULL, "invalid JSON: %s", err);
		return;
	}
	ctl_dispatch(c, doc.root);
	ctljson_free(&doc);
}

/*
 * Answer every complete request line in the input, one at a time: while
 * a `show rib` answer streams, reading stops and later requests wait.
 * May free c.
 */
static void
ctl_process(struct ctl_conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer_ptr from, eol;
	size_t n, eol_len, len;
	const char *line;

	while (!c->closing && c->rib == NULL) {
		len = evbuffer_get_length(in);
		evbuffer_ptr_set(in, &from, c->scanned, EVBUFFER_PTR_SET);
		eol = evbuffer_search_eol(in, &from, &eol_len, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			c->scanned = len;
			if (len > CTL_MAX_LINE)
				goto too_long;
			if (!c->eof || len == 0)
				break;
			n = len; /* a last line without a newline */
			eol_len = 0;
		} else
			n = (size_t)eol.pos;
		if (n > CTL_MAX_LINE)
			goto too_long;
		line = (const char *)evbuffer_pullup(
		    in, (ev_ssize_t)(n + eol_len));
		if (line == NULL)
			fatalx("%s: evbuffer_pullup failed", __func__);
		ctl_request(c, line, n > 0 && line[n - 1] == '\r' ? n - 1 : n);
		evbuffer_drain(in, n + eol_len);
		c->scanned = 0;
	}
	if (c->closing)
		return;
	if (c->rib != NULL)
		bufferevent_disable(c->bev, EV_READ);
	else if (c->eof)
		ctl_close(c);
	else
		bufferevent_enable(c->bev, EV_READ);
	return;
too_long:
	/* The framing is lost: say why and hang up. */
	ctl_error(c, NULL, "request line longer than %d octets", CTL_MAX_LINE);
	ctl_close(c);
}

/* Commands ---------------------------------------------------------- */

/* The neighbor named by args; NULL with the error sent. */
static struct peer *
ctl_peer(struct ctl_conn *c, const struct ctljson_val *args, bool required)
{
	const char *addr = ctljson_str(ctljson_get(args, "neighbor"));
	struct peer *p;

	if (addr == NULL) {
		if (required)
			ctl_error(c, NULL,
			    "argument \"neighbor\" is "
			    "required");
		return NULL;
	}
	if ((p = session_peer_find_str(addr)) == NULL)
		ctl_error(c, NULL, "unknown neighbor %.64s", addr);
	return p;
}

static void
ctl_cmd_summary(struct ctl_conn *c, const struct ctljson_val *args)
{
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	control_summary_json(&j);
	if (json_finish(&j) == 0) {
		ctl_send(c, &w);
		ctl_end(c, -1);
	} else
		ctl_error(c, NULL, "internal error building the summary");
	wbuf_free(&w);
}

static void
ctl_cmd_neighbor(struct ctl_conn *c, const struct ctljson_val *args)
{
	struct peer *p, *only = NULL;
	struct wbuf w;
	struct json j;

	if (ctljson_get(args, "neighbor") != NULL &&
	    (only = ctl_peer(c, args, true)) == NULL)
		return;
	wbuf_init_dyn(&w, 0);
	TAILQ_FOREACH(p, session_peers(), entry)
	{
		if (only != NULL && p != only)
			continue;
		wbuf_reset(&w);
		json_init(&j, &w);
		control_neighbor_json(p, &j);
		if (json_finish(&j) == 0)
			ctl_send(c, &w);
	}
	wbuf_free(&w);
	ctl_end(c, -1);
}

static void
ctl_cmd_rib(struct ctl_conn *c, const struct ctljson_val *args)
{
	struct timeval now = { 0, 0 };
	char err[CONTROL_ERRLEN];

	if ((c->rib = control_rib_new(args, err)) == NULL) {
		ctl_error(c, NULL, "%s", err);
		return;
	}
	evtimer_add(c->more, &now);
}

static void
ctl_cmd_reload(struct ctl_conn *c, const struct ctljson_val *args)
{
	char *errors = NULL;

	if (daemon_reload(&errors) == -1)
		ctl_error(c, errors,
		    "reload failed; the running configuration stays");
	else
		ctl_end(c, -1);
	free(errors);
}

static void
ctl_cmd_clear(struct ctl_conn *c, const struct ctljson_val *args)
{
	struct peer *p;
	bool soft = false;

	if ((p = ctl_peer(c, args, true)) == NULL)
		return;
	if (ctljson_get(args, "soft") != NULL &&
	    ctljson_bool(ctljson_get(args, "soft"), &soft) == -1)
		return; /* cannot happen: the type was checked */
	if (session_clear(p, soft) == 0) {
		ctl_end(c, -1);
		return;
	}
	if (p->state != ST_ESTABLISHED)
		ctl_error(c, NULL, "neighbor %s: not established", p->name);
	else
		ctl_error(c, NULL,
		    "neighbor %s: route refresh was not "
		    "negotiated (RFC 2918)",
		    p->name);
}

static void
ctl_cmd_down(struct ctl_conn *c, const struct ctljson_val *args)
{
	const char *text = ctljson_str(ctljson_get(args, "text"));
	struct peer *p;

	if ((p = ctl_peer(c, args, true)) == NULL)
		return;
	/* RFC 9003 §2: the length octet allows at most 255 octets. */
	if (text != NULL && strlen(text) > NOTIF_SHUTDOWN_MAX) {
		ctl_error(c, NULL,
		    "shutdown communication longer than %d "
		    "octets (RFC 9003)",
		    NOTIF_SHUTDOWN_MAX);
		return;
	}
	session_admin_down(p, text);
	ctl_end(c, -1);
}

static void
ctl_cmd_up(struct ctl_conn *c, const struct ctljson_val *args)
{
	struct peer *p;

	if ((p = ctl_peer(c, args, true)) == NULL)
		return;
	if (p->conf->shutdown) {
		ctl_error(c, NULL, "neighbor %s is down in the configuration",
		    p->name);
		return;
	}
	session_admin_up(p);
	ctl_end(c, -1);
}

static const struct ctl_arg ctl_args_none[] = { { NULL, 0 } };
static const struct ctl_arg ctl_args_neighbor[] = {
	{ "neighbor", CTLJSON_STRING },
	{ NULL, 0 },
};
static const struct ctl_arg ctl_args_rib[] = {
	{ "prefix", CTLJSON_STRING },
	{ "match", CTLJSON_STRING },
	{ "neighbor", CTLJSON_STRING },
	{ "family", CTLJSON_STRING },
	{ "origin_as", CTLJSON_NUMBER },
	{ "transit_as", CTLJSON_NUMBER },
	{ NULL, 0 },
};
static const struct ctl_arg ctl_args_clear[] = {
	{ "neighbor", CTLJSON_STRING },
	{ "soft", CTLJSON_BOOL },
	{ NULL, 0 },
};
static const struct ctl_arg ctl_args_down[] = {
	{ "neighbor", CTLJSON_STRING },
	{ "text", CTLJSON_STRING },
	{ NULL, 0 },
};

static const struct ctl_command ctl_commands[] = {
	{ "show summary", ctl_args_none, false, ctl_cmd_summary },
	{ "show neighbor", ctl_args_neighbor, false, ctl_cmd_neighbor },
	{ "show rib", ctl_args_rib, false, ctl_cmd_rib },
	{ "reload", ctl_args_none, true, ctl_cmd_reload },
	{ "clear neighbor", ctl_args_clear, true, ctl_cmd_clear },
	{ "neighbor down", ctl_args_down, true, ctl_cmd_down },
	{ "neighbor up", ctl_args_neighbor, true, ctl_cmd_up },
};

static const struct ctl_command *
ctl_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ctl_commands) / sizeof(ctl_commands[0]); i++)
		if (strcmp(ctl_commands[i].name, name) == 0)
			return &ctl_commands[i];
	return NULL;
}

/* Accepting --------------------------------------------------------- */

/* True when the client's groups (SO_PEERGROUPS) include gid. */
static bool
ctl_in_group(int fd, gid_t gid)
{
#ifdef SO_PEERGROUPS
	gid_t groups[CTL_MAX_GROUPS];
	socklen_t len = sizeof(groups);
	size_t i;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == -1)
		return false; /* ERANGE: more groups than we look at */
	for (i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid)
			return true;
#endif
	return false;
}

/*
 * Who may talk to the daemon: root, the user bgpwatchd runs as, and the
 * socket's group (effective or supplementary), the same set mode 0660
 * lets through, so a socket whose mode was widened stays closed.
 */
static bool
ctl_allowed(int fd, const struct ucred *cr)
{
	return cr->uid == 0 || cr->uid == geteuid() || cr->gid == ctl_gid ||
	    ctl_in_group(fd, ctl_gid);
}

/* Turn a client away with one error line (best effort) and close. */
static void
ctl_refuse(int fd, const char *why)
{
	char line[128];
	int n;

	n = snprintf(line, sizeof(line), "{\"error\":\"%s\"}\n", why);
	if (n > 0 && write(fd, line, (size_t)n) == -1)
		log_debug("control: refusal not written: %s", strerror(errno));
	close(fd);
}

static void
ctl_conn_new(int fd, const struct ucred *cr)
{
	struct timeval idle = { CTL_IDLE_SEC, 0 };
	struct ctl_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->id = ++ctl_next_id;
	c->uid = cr->uid;
	c->bev = bufferevent_socket_new(ctl_base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->more = evtimer_new(ctl_base, ctl_more_cb, c);
	if (c->bev == NULL || c->more == NULL)
		fatalx("%s: cannot set up client", __func__);
	bufferevent_setcb(c->bev, ctl_read_cb, ctl_write_cb, ctl_event_cb, c);
	/* Stop reading once a line is too long to be a request. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTL_MAX_LINE + 2);
	bufferevent_setwatermark(c->bev, EV_WRITE, CTL_WLOWAT, 0);
	bufferevent_set_timeouts(c->bev, &idle, NULL);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	ctl_nconns++;
	log_debug("control: client %u (uid %u pid %ld) connected", c->id,
	    (unsigned int)cr->uid, (long)cr->pid);
}

static void
ctl_accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1) {
		log_warn("control: SO_PEERCRED");
		close(fd);
		return;
	}
	if (!ctl_allowed(fd, &cr)) {
		log_rate_warnx(&ctl_rl_perm,
		    "control: refused uid %u gid %u (pid %ld)",
		    (unsigned int)cr.uid, (unsigned int)cr.gid, (long)cr.pid);
		ctl_refuse(fd, "permission denied");
		return;
	}
	if (ctl_nconns >= CTL_MAX_CONNS) {
		log_rate_warnx(&ctl_rl_busy,
		    "control: refused pid %ld: %d clients already",
		    (long)cr.pid, CTL_MAX_CONNS);
		ctl_refuse(fd, "too many control connections");
		return;
	}
	ctl_conn_new(fd, &cr);
}

static void
ctl_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	if (ctl_listener != NULL)
		evconnlistener_enable(ctl_listener);
}

/* accept(2) failed (EMFILE, ENFILE, ...): pause a second. */
static void
ctl_accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct timeval tv = { 1, 0 };

	log_rate_warnx(&ctl_rl_busy, "control: accept: %s",
	    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	evconnlistener_disable(l);
	evtimer_add(ctl_resume_ev, &tv);
}

/* Socket setup ------------------------------------------------------ */

/*
 * A file at path from an earlier run: remove it only when it is a socket
 * that refuses connections, i.e. nobody listens on it any more.
 */
static int
ctl_stale(const struct sockaddr_un *sun)
{
	const char *path = sun->sun_path;
	struct stat st;
	int fd, rv, e;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("control socket %s", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx(
		    "control socket %s: exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	         0)) == -1) {
		log_warn("control socket: socket");
		return -1;
	}
	rv = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	e = errno;
	close(fd);
	if (rv == 0 || e == EAGAIN || e == EINPROGRESS) {
		log_warnx("control socket %s: in use (is another bgpwatchd "
		          "running?)",
		    path);
		return -1;
	}
	if (e != ECONNREFUSED) {
		log_warnx("control socket %s: cannot check it: %s", path,
		    strerror(e));
		return -1;
	}
	if (unlink(path) == -1) {
		log_warn("control socket %s: unlink", path);
		return -1;
	}
	log_info("control socket %s: removed the stale socket of an "
	         "earlier run",
	    path);
	return 0;
}

/* Bind with mode 0660 (the umask alone could leave it wider or tighter). */
static int
ctl_bind(int fd, const struct sockaddr_un *sun, const struct passwd *pw)
{
	const char *path = sun->sun_path;
	struct stat st;
	mode_t old;
	int rv;

	old = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	rv = bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old);
	if (rv == -1) {
		log_warn("control socket %s: bind", path);
		return -1;
	}
	if (chmod(path, 0660) == -1 ||
	    (pw != NULL && chown(path, pw->pw_uid, pw->pw_gid) == -1) ||
	    stat(path, &st) == -1) {
		log_warn("control socket %s", path);
		unlink(path);
		return -1;
	}
	ctl_dev = st.st_dev;
	ctl_ino = st.st_ino;
	ctl_gid = st.st_gid;
	return 0;
}

int
control_init(struct event_base *base, const char *path, const char *user)
{
	struct sockaddr_un sun;
	struct passwd *pw = NULL;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket %s: path too long", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (user != NULL && *user != '\0' && (pw = getpwnam(user)) == NULL) {
		log_warnx("control socket: user %s: no such user", user);
		return -1;
	}
	if (ctl_stale(&sun) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("control socket: socket");
		return -1;
	}
	if (ctl_bind(fd, &sun, pw) == -1) {
		close(fd);
		return -1;
	}
	snprintf(ctl_path, sizeof(ctl_path), "%s", path);
	ctl_base = base;
	if (listen(fd, CTL_BACKLOG) == -1) {
		log_warn("control socket %s: listen", path);
		close(fd);
		control_shutdown();
		return -1;
	}
	ctl_listener = evconnlistener_new(base, ctl_accept_cb, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	ctl_resume_ev = evtimer_new(base, ctl_resume_cb, NULL);
	if (ctl_listener == NULL || ctl_resume_ev == NULL)
		fatalx("%s: cannot listen on the control socket", __func__);
	evconnlistener_set_error_cb(ctl_listener, ctl_accept_error_cb);
	log_info("control socket %s", path);
	return 0;
}

void
control_shutdown(void)
{
	struct ctl_conn *c;
	struct stat st;

	while ((c = TAILQ_FIRST(&ctl_conns)) != NULL)
		ctl_free(c);
	if (ctl_listener != NULL)
		evconnlistener_free(ctl_listener);
	ctl_listener = NULL;
	if (ctl_resume_ev != NULL)
		event_free(ctl_resume_ev);
	ctl_resume_ev = NULL;
	if (ctl_path[0] != '\0' && stat(ctl_path, &st) == 0 &&
	    st.st_dev == ctl_dev && st.st_ino == ctl_ino &&
	    unlink(ctl_path) == -1)
		log_debug(
		    "control socket %s: unlink: %s", ctl_path, strerror(errno));
	ctl_path[0] = '\0';
}
