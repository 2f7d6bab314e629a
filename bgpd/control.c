/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The control socket: listening, SO_PEERCRED checks, line framing of
 * requests, the command table (`show watch` answers from lib/watch),
 * the actions (reload, clear, neighbor
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
#include <limits.h>
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
#include "mrtdump.h"
#include "rde.h"
#include "session.h"
#include "watch.h"
#include "wbuf.h"

#define CONTROL_MAX_LINE 65536 /* longest request line, newline excluded */
#define CONTROL_MAX_CONNS 64 /* clients at the same time */
#define CONTROL_IDLE_SEC 60 /* to send a (next) request */
#define CONTROL_FLUSH_SEC 10 /* to read the last answer of a closing client */
#define CONTROL_WLOWAT (32 * 1024) /* refill a stream below this much output */
#define CONTROL_CHUNK 256 /* routes looked at per refill */
#define CONTROL_BACKLOG 16
#define CONTROL_MAX_GROUPS 256 /* SO_PEERGROUPS entries looked at */

struct control_conn {
	TAILQ_ENTRY(control_conn) entry;
	struct bufferevent *bev;
	struct event *more; /* zero-timeout timer: refill on the next turn */
	struct control_rib *rib; /* `show rib` in progress */
	size_t scanned; /* input searched for a newline so far */
	unsigned int id;
	uid_t uid;
	bool eof; /* the client sent everything it will send */
	bool closing; /* close once the output is written */
	bool dumping; /* `dump table` in progress: answer when it ends */
};
TAILQ_HEAD(control_conn_list, control_conn);

/* A request argument: its name and JSON type. */
struct control_arg {
	const char *name;
	enum ctljson_type type;
};

struct control_command {
	const char *name;
	const struct control_arg *args; /* ends with a NULL name */
	bool action; /* changes something: logged at info level */
	void (*run)(struct control_conn *, const struct ctljson_val *);
};

static struct event_base *control_base;
static struct evconnlistener *control_listener;
static struct event *control_resume_ev; /* accept again after EMFILE */
static struct control_conn_list control_conns =
    TAILQ_HEAD_INITIALIZER(control_conns);
static unsigned int control_nconns, control_next_id;
static char control_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static dev_t control_dev;
static ino_t control_ino;
static gid_t control_gid; /* the socket file's group */
static struct log_rate control_rl_perm = { .burst = 5, .interval = 60 };
static struct log_rate control_rl_busy = { .burst = 5, .interval = 60 };

static void control_process(struct control_conn *);

/* Output ------------------------------------------------------------- */

/* Queue the document in w as one line. */
static void
control_send(struct control_conn *c, struct wbuf *w)
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
control_error(struct control_conn *c, const char *details, const char *fmt, ...)
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
		control_send(c, &w);
	wbuf_free(&w);
}

/* End an answer with {"end":true}, plus "routes" when routes >= 0. */
static void
control_end(struct control_conn *c, int64_t routes)
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
		control_send(c, &w);
	wbuf_free(&w);
}

/* Clients ------------------------------------------------------------ */

static void
control_free(struct control_conn *c)
{
	TAILQ_REMOVE(&control_conns, c, entry);
	control_nconns--;
	control_rib_free(c->rib);
	if (c->dumping)
		mrtdump_forget(c);
	event_free(c->more);
	bufferevent_free(c->bev);
	log_debug("control: client %u closed", c->id);
	free(c);
}

/*
 * Stop reading and close once the output has been written (or after
 * CONTROL_FLUSH_SEC). May free c at once: callers must not use it afterwards.
 */
static void
control_close(struct control_conn *c)
{
	struct timeval tv = { CONTROL_FLUSH_SEC, 0 };

	c->closing = true;
	control_rib_free(c->rib);
	c->rib = NULL;
	evtimer_del(c->more);
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		control_free(c);
		return;
	}
	bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
	bufferevent_set_timeouts(c->bev, NULL, &tv);
}

/*
 * One refill of a `show rib` answer: at most CONTROL_CHUNK routes, and only
 * while less than CONTROL_WLOWAT octets wait to be written, so a slow reader
 * holds at most about that much of the daemon's memory. The next refill
 * comes from the write callback (the output drained) or, when this one
 * wrote little, from a zero timeout: timers run after polling, so the
 * sessions' sockets and timers get their turn between chunks.
 */
static void
control_stream(struct control_conn *c)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	struct timeval now = { 0, 0 };

	if (c->rib == NULL || evbuffer_get_length(out) > CONTROL_WLOWAT)
		return;
	if (!control_rib_fill(c->rib, out, CONTROL_CHUNK)) {
		if (evbuffer_get_length(out) <= CONTROL_WLOWAT)
			evtimer_add(c->more, &now);
		return;
	}
	control_end(c, (int64_t)control_rib_count(c->rib));
	control_rib_free(c->rib);
	c->rib = NULL;
	control_process(c); /* requests that came meanwhile, or EOF */
}

static void
control_more_cb(evutil_socket_t fd, short what, void *arg)
{
	control_stream(arg);
}

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	control_process(arg);
}

static void
control_write_cb(struct bufferevent *bev, void *arg)
{
	struct control_conn *c = arg;

	if (c->closing) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			control_free(c);
		return;
	}
	control_stream(c);
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct control_conn *c = arg;

	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_WRITING) &&
	    !c->closing) {
		/* Half-close (`socat`, shutdown(2)): answer, then close. */
		c->eof = true;
		control_process(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("control: client %u: timed out", c->id);
	else if (what & BEV_EVENT_ERROR)
		log_debug("control: client %u: %s", c->id,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	control_free(c); /* gone mid-answer: drop the walk and the buffers */
}

/* Requests ---------------------------------------------------------- */

/* Check args against the command's list: names, types, no repeats. */
static int
control_check_args(struct control_conn *c, const struct control_command *cmd,
    const struct ctljson_val *args)
{
	const struct ctljson_val *m, *o;
	const struct control_arg *a;

	if (args == NULL)
		return 0;
	if (args->type != CTLJSON_OBJECT) {
		control_error(c, NULL, "\"args\" must be an object");
		return -1;
	}
	for (m = args->child; m != NULL; m = m->next) {
		for (a = cmd->args; a->name != NULL; a++)
			if (strcmp(a->name, m->key) == 0)
				break;
		if (a->name == NULL) {
			control_error(c, NULL, "%s: unknown argument \"%.64s\"",
			    cmd->name, m->key);
			return -1;
		}
		if (m->type != a->type) {
			control_error(c, NULL,
			    "%s: argument \"%s\" must be %s %s", cmd->name,
			    a->name, a->type == CTLJSON_OBJECT ? "an" : "a",
			    ctljson_type_name(a->type));
			return -1;
		}
		for (o = args->child; o != m; o = o->next)
			if (strcmp(o->key, m->key) == 0) {
				control_error(c, NULL,
				    "%s: argument \"%s\" given twice",
				    cmd->name, a->name);
				return -1;
			}
	}
	return 0;
}

static const struct control_command *control_command_find(const char *);

/* The request object: {"command": "...", "args": {...}}. */
static void
control_dispatch(struct control_conn *c, const struct ctljson_val *req)
{
	const struct ctljson_val *m, *cmdv = NULL, *args = NULL;
	const struct control_command *cmd;

	if (req->type != CTLJSON_OBJECT) {
		control_error(c, NULL, "a request must be a JSON object");
		return;
	}
	for (m = req->child; m != NULL; m = m->next) {
		if (strcmp(m->key, "command") != 0 &&
		    strcmp(m->key, "args") != 0) {
			control_error(c, NULL,
			    "unexpected member \"%.64s\" in the request",
			    m->key);
			return;
		}
		if ((m->key[0] == 'c' ? cmdv : args) != NULL) {
			control_error(
			    c, NULL, "member \"%s\" given twice", m->key);
			return;
		}
		*(m->key[0] == 'c' ? &cmdv : &args) = m;
	}
	if (ctljson_str(cmdv) == NULL) {
		control_error(c, NULL, "the request has no \"command\" string");
		return;
	}
	if ((cmd = control_command_find(cmdv->str)) == NULL) {
		control_error(c, NULL, "unknown command \"%.64s\"", cmdv->str);
		return;
	}
	if (control_check_args(c, cmd, args) == -1)
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
control_request(struct control_conn *c, const char *line, size_t len)
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
		control_error(c, NULL, "invalid JSON: %s", err);
		return;
	}
	control_dispatch(c, doc.root);
	ctljson_free(&doc);
}

/*
 * Answer every complete request line in the input, one at a time: while
 * a `show rib` answer streams, reading stops and later requests wait.
 * May free c.
 */
static void
control_process(struct control_conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer_ptr from, eol;
	size_t n, eol_len, len;
	const char *line;

	while (!c->closing && c->rib == NULL && !c->dumping) {
		len = evbuffer_get_length(in);
		evbuffer_ptr_set(in, &from, c->scanned, EVBUFFER_PTR_SET);
		eol = evbuffer_search_eol(in, &from, &eol_len, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			c->scanned = len;
			if (len > CONTROL_MAX_LINE)
				goto too_long;
			if (!c->eof || len == 0)
				break;
			n = len; /* a last line without a newline */
			eol_len = 0;
		} else
			n = (size_t)eol.pos;
		if (n > CONTROL_MAX_LINE)
			goto too_long;
		line = (const char *)evbuffer_pullup(
		    in, (ev_ssize_t)(n + eol_len));
		if (line == NULL)
			fatalx("%s: evbuffer_pullup failed", __func__);
		control_request(
		    c, line, n > 0 && line[n - 1] == '\r' ? n - 1 : n);
		evbuffer_drain(in, n + eol_len);
		c->scanned = 0;
	}
	if (c->closing)
		return;
	if (c->rib != NULL || c->dumping)
		bufferevent_disable(c->bev, EV_READ);
	else if (c->eof)
		control_close(c);
	else
		bufferevent_enable(c->bev, EV_READ);
	return;
too_long:
	/* The framing is lost: say why and hang up. */
	control_error(
	    c, NULL, "request line longer than %d octets", CONTROL_MAX_LINE);
	control_close(c);
}

/* Commands ---------------------------------------------------------- */

/* The neighbor named by args; NULL with the error sent. */
static struct peer *
control_peer(
    struct control_conn *c, const struct ctljson_val *args, bool required)
{
	const char *addr = ctljson_str(ctljson_get(args, "neighbor"));
	struct peer *p;

	if (addr == NULL) {
		if (required)
			control_error(c, NULL,
			    "argument \"neighbor\" is "
			    "required");
		return NULL;
	}
	if ((p = session_peer_find_str(addr)) == NULL)
		control_error(c, NULL, "unknown neighbor %.64s", addr);
	return p;
}

static void
control_cmd_summary(struct control_conn *c, const struct ctljson_val *args)
{
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 0);
	json_init(&j, &w);
	control_summary_json(&j);
	if (json_finish(&j) == 0) {
		control_send(c, &w);
		control_end(c, -1);
	} else
		control_error(c, NULL, "internal error building the summary");
	wbuf_free(&w);
}

static void
control_cmd_neighbor(struct control_conn *c, const struct ctljson_val *args)
{
	struct peer *p, *only = NULL;
	struct wbuf w;
	struct json j;

	if (ctljson_get(args, "neighbor") != NULL &&
	    (only = control_peer(c, args, true)) == NULL)
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
			control_send(c, &w);
	}
	wbuf_free(&w);
	control_end(c, -1);
}

/*
 * `show watch [NAME]`: {"watches": [...]} from watch_show_json(), or with
 * "text" the table of watch_show_text() as {"text": "..."}.
 */
static void
control_cmd_watch(struct control_conn *c, const struct ctljson_val *args)
{
	const char *name = ctljson_str(ctljson_get(args, "watch"));
	bool detail = false, text = false;
	struct wbuf w, t;
	struct json j;
	size_t n;

	if ((ctljson_get(args, "detail") != NULL &&
	        ctljson_bool(ctljson_get(args, "detail"), &detail) == -1) ||
	    (ctljson_get(args, "text") != NULL &&
	        ctljson_bool(ctljson_get(args, "text"), &text) == -1))
		return; /* the table of arguments checked the types */
	wbuf_init_dyn(&w, 0);
	wbuf_init_dyn(&t, 0);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	if (text) {
		n = watch_show_text(rde_watch(), name, detail, &t);
		json_strn(&j, "text", wbuf_data(&t), wbuf_len(&t));
	} else {
		json_arr_open(&j, "watches");
		n = watch_show_json(rde_watch(), name, detail, &j);
		json_arr_close(&j);
	}
	json_obj_close(&j);
	if (name != NULL && n == 0)
		control_error(c, NULL, "unknown watch %.64s", name);
	else if (json_finish(&j) == 0) {
		control_send(c, &w);
		control_end(c, -1);
	} else
		control_error(c, NULL, "internal error building the answer");
	wbuf_free(&t);
	wbuf_free(&w);
}

static void
control_cmd_rib(struct control_conn *c, const struct ctljson_val *args)
{
	struct timeval now = { 0, 0 };
	char err[CONTROL_ERRLEN];

	if ((c->rib = control_rib_new(args, err)) == NULL) {
		control_error(c, NULL, "%s", err);
		return;
	}
	evtimer_add(c->more, &now);
}

static void
control_cmd_reload(struct control_conn *c, const struct ctljson_val *args)
{
	char *errors = NULL;

	if (daemon_reload(&errors) == -1)
		control_error(c, errors,
		    "reload failed; the running configuration stays");
	else
		control_end(c, -1);
	free(errors);
}

static void
control_cmd_clear(struct control_conn *c, const struct ctljson_val *args)
{
	struct peer *p;
	bool soft = false;

	if ((p = control_peer(c, args, true)) == NULL)
		return;
	if (ctljson_get(args, "soft") != NULL &&
	    ctljson_bool(ctljson_get(args, "soft"), &soft) == -1)
		return; /* cannot happen: the type was checked */
	if (session_clear(p, soft) == 0) {
		control_end(c, -1);
		return;
	}
	if (p->state != ST_ESTABLISHED)
		control_error(c, NULL, "neighbor %s: not established", p->name);
	else
		control_error(c, NULL,
		    "neighbor %s: route refresh was not "
		    "negotiated (RFC 2918)",
		    p->name);
}

static void
control_cmd_down(struct control_conn *c, const struct ctljson_val *args)
{
	const char *text = ctljson_str(ctljson_get(args, "text"));
	struct peer *p;

	if ((p = control_peer(c, args, true)) == NULL)
		return;
	/* RFC 9003 §2: the length octet allows at most 255 octets. */
	if (text != NULL && strlen(text) > NOTIF_SHUTDOWN_MAX) {
		control_error(c, NULL,
		    "shutdown communication longer than %d "
		    "octets (RFC 9003)",
		    NOTIF_SHUTDOWN_MAX);
		return;
	}
	session_admin_down(p, text);
	control_end(c, -1);
}

static void
control_cmd_up(struct control_conn *c, const struct ctljson_val *args)
{
	struct peer *p;

	if ((p = control_peer(c, args, true)) == NULL)
		return;
	if (p->conf->shutdown) {
		control_error(c, NULL,
		    "neighbor %s is down in the configuration", p->name);
		return;
	}
	session_admin_up(p);
	control_end(c, -1);
}

/* A table dump ended: answer the client that asked for it. */
static void
control_dump_done(void *arg, const char *err, uint64_t routes)
{
	struct control_conn *c = arg;

	c->dumping = false;
	if (err != NULL)
		control_error(c, NULL, "dump table: %s", err);
	else
		control_end(c, (int64_t)routes);
	control_process(c);
}

/* `dump table`: TABLE_DUMP_V2 of every Adj-RIB-In (RFC 6396 §4.3). */
static void
control_cmd_dump(struct control_conn *c, const struct ctljson_val *args)
{
	const char *path = ctljson_str(ctljson_get(args, "path"));
	char err[CONTROL_ERRLEN], conf_path[PATH_MAX];

	if (path == NULL &&
	    mrtdump_conf_path(conf_path, sizeof(conf_path)) == 0)
		path = conf_path;
	if (path == NULL || path[0] != '/') {
		control_error(c, NULL,
		    "dump table: no absolute path given and no "
		    "`dump table` in the configuration");
		return;
	}
	if (mrtdump_table(control_base, path, control_dump_done, c, err,
	        sizeof(err)) == -1) {
		control_error(c, NULL, "dump table: %s", err);
		return;
	}
	c->dumping = true;
}

static const struct control_arg control_args_none[] = { { NULL, 0 } };
static const struct control_arg control_args_neighbor[] = {
	{ "neighbor", CTLJSON_STRING },
	{ NULL, 0 },
};
static const struct control_arg control_args_rib[] = {
	{ "prefix", CTLJSON_STRING },
	{ "match", CTLJSON_STRING },
	{ "neighbor", CTLJSON_STRING },
	{ "family", CTLJSON_STRING },
	{ "origin_as", CTLJSON_NUMBER },
	{ "transit_as", CTLJSON_NUMBER },
	{ NULL, 0 },
};
static const struct control_arg control_args_watch[] = {
	{ "watch", CTLJSON_STRING },
	{ "detail", CTLJSON_BOOL },
	{ "text", CTLJSON_BOOL },
	{ NULL, 0 },
};
static const struct control_arg control_args_clear[] = {
	{ "neighbor", CTLJSON_STRING },
	{ "soft", CTLJSON_BOOL },
	{ NULL, 0 },
};
static const struct control_arg control_args_dump[] = {
	{ "path", CTLJSON_STRING },
	{ NULL, 0 },
};
static const struct control_arg control_args_down[] = {
	{ "neighbor", CTLJSON_STRING },
	{ "text", CTLJSON_STRING },
	{ NULL, 0 },
};

static const struct control_command control_commands[] = {
	{ "show summary", control_args_none, false, control_cmd_summary },
	{ "show neighbor", control_args_neighbor, false, control_cmd_neighbor },
	{ "show rib", control_args_rib, false, control_cmd_rib },
	{ "show watch", control_args_watch, false, control_cmd_watch },
	{ "reload", control_args_none, true, control_cmd_reload },
	{ "clear neighbor", control_args_clear, true, control_cmd_clear },
	{ "neighbor down", control_args_down, true, control_cmd_down },
	{ "neighbor up", control_args_neighbor, true, control_cmd_up },
	{ "dump table", control_args_dump, true, control_cmd_dump },
};

static const struct control_command *
control_command_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(control_commands) / sizeof(control_commands[0]);
	     i++)
		if (strcmp(control_commands[i].name, name) == 0)
			return &control_commands[i];
	return NULL;
}

/* Accepting --------------------------------------------------------- */

/* True when the client's groups (SO_PEERGROUPS) include gid. */
static bool
control_in_group(int fd, gid_t gid)
{
#ifdef SO_PEERGROUPS
	gid_t groups[CONTROL_MAX_GROUPS];
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
control_allowed(int fd, const struct ucred *cr)
{
	return cr->uid == 0 || cr->uid == geteuid() || cr->gid == control_gid ||
	    control_in_group(fd, control_gid);
}

/* Turn a client away with one error line (best effort) and close. */
static void
control_refuse(int fd, const char *why)
{
	char line[128];
	int n;

	n = snprintf(line, sizeof(line), "{\"error\":\"%s\"}\n", why);
	if (n > 0 && write(fd, line, (size_t)n) == -1)
		log_debug("control: refusal not written: %s", strerror(errno));
	close(fd);
}

static void
control_conn_new(int fd, const struct ucred *cr)
{
	struct timeval idle = { CONTROL_IDLE_SEC, 0 };
	struct control_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->id = ++control_next_id;
	c->uid = cr->uid;
	c->bev =
	    bufferevent_socket_new(control_base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->more = evtimer_new(control_base, control_more_cb, c);
	if (c->bev == NULL || c->more == NULL)
		fatalx("%s: cannot set up client", __func__);
	bufferevent_setcb(
	    c->bev, control_read_cb, control_write_cb, control_event_cb, c);
	/* Stop reading once a line is too long to be a request. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, CONTROL_MAX_LINE + 2);
	bufferevent_setwatermark(c->bev, EV_WRITE, CONTROL_WLOWAT, 0);
	bufferevent_set_timeouts(c->bev, &idle, NULL);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&control_conns, c, entry);
	control_nconns++;
	log_debug("control: client %u (uid %u pid %ld) connected", c->id,
	    (unsigned int)cr->uid, (long)cr->pid);
}

static void
control_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1) {
		log_warn("control: SO_PEERCRED");
		close(fd);
		return;
	}
	if (!control_allowed(fd, &cr)) {
		log_rate_warnx(&control_rl_perm,
		    "control: refused uid %u gid %u (pid %ld)",
		    (unsigned int)cr.uid, (unsigned int)cr.gid, (long)cr.pid);
		control_refuse(fd, "permission denied");
		return;
	}
	if (control_nconns >= CONTROL_MAX_CONNS) {
		log_rate_warnx(&control_rl_busy,
		    "control: refused pid %ld: %d clients already",
		    (long)cr.pid, CONTROL_MAX_CONNS);
		control_refuse(fd, "too many control connections");
		return;
	}
	control_conn_new(fd, &cr);
}

static void
control_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	if (control_listener != NULL)
		evconnlistener_enable(control_listener);
}

/* accept(2) failed (EMFILE, ENFILE, ...): pause a second. */
static void
control_accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct timeval tv = { 1, 0 };

	log_rate_warnx(&control_rl_busy, "control: accept: %s",
	    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	evconnlistener_disable(l);
	evtimer_add(control_resume_ev, &tv);
}

/* Socket setup ------------------------------------------------------ */

/*
 * A file at path from an earlier run: remove it only when it is a socket
 * that refuses connections, i.e. nobody listens on it any more.
 */
static int
control_stale(const struct sockaddr_un *sun)
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
control_bind(int fd, const struct sockaddr_un *sun, const struct passwd *pw)
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
	control_dev = st.st_dev;
	control_ino = st.st_ino;
	control_gid = st.st_gid;
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
	if (control_stale(&sun) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("control socket: socket");
		return -1;
	}
	if (control_bind(fd, &sun, pw) == -1) {
		close(fd);
		return -1;
	}
	snprintf(control_path, sizeof(control_path), "%s", path);
	control_base = base;
	if (listen(fd, CONTROL_BACKLOG) == -1) {
		log_warn("control socket %s: listen", path);
		close(fd);
		control_shutdown();
		return -1;
	}
	control_listener = evconnlistener_new(base, control_accept_cb, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	control_resume_ev = evtimer_new(base, control_resume_cb, NULL);
	if (control_listener == NULL || control_resume_ev == NULL)
		fatalx("%s: cannot listen on the control socket", __func__);
	evconnlistener_set_error_cb(control_listener, control_accept_error_cb);
	log_info("control socket %s", path);
	return 0;
}

void
control_shutdown(void)
{
	struct control_conn *c;
	struct stat st;

	while ((c = TAILQ_FIRST(&control_conns)) != NULL)
		control_free(c);
	mrtdump_shutdown();
	if (control_listener != NULL)
		evconnlistener_free(control_listener);
	control_listener = NULL;
	if (control_resume_ev != NULL)
		event_free(control_resume_ev);
	control_resume_ev = NULL;
	if (control_path[0] != '\0' && stat(control_path, &st) == 0 &&
	    st.st_dev == control_dev && st.st_ino == control_ino &&
	    unlink(control_path) == -1)
		log_debug("control socket %s: unlink: %s", control_path,
		    strerror(errno));
	control_path[0] = '\0';
}
