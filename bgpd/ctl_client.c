/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpwatchctl's control socket client; see ctl_client.h. Blocking I/O:
 * one request written, the answer read line by line with getline(3) so a
 * streamed `show rib` is printed as it arrives, in constant memory.
 *
 * Public: ctl_req_init(), ctl_req_run(), ctl_table_init(), ctl_table_add(),
 *         ctl_table_print(), ctl_table_free(), ctl_fmt_age(), ctl_get_str(),
 *         ctl_get_uint(), ctl_get_bool().
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgpwatchctl.h"
#include "conf.h"
#include "ctl_client.h"

const char *ctl_socket_path;
bool ctl_json_output;

void
ctl_req_init(struct ctl_req *r, const char *command)
{
	wbuf_init_dyn(&r->w, 0);
	json_init(&r->j, &r->w);
	json_obj_open(&r->j, NULL);
	json_str(&r->j, "command", command);
	json_obj_open(&r->j, "args");
}

/* Connect to the socket; -1 with the reason printed. */
static int
ctl_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(
		    stderr, "bgpwatchctl: %s: socket path too long\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "bgpwatchctl: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "bgpwatchctl: cannot connect to %s: %s\n", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Write all of p; -1 with errno. MSG_NOSIGNAL: no SIGPIPE, but EPIPE. */
static int
ctl_write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* An {"error": ...} line: the message and its details on stderr. */
static void
ctl_print_error(const struct ctljson_val *obj)
{
	const struct ctljson_val *d, *e;

	fprintf(stderr, "bgpwatchctl: %s\n", ctl_get_str(obj, "error", "?"));
	d = ctljson_get(obj, "details");
	if (d != NULL && d->type == CTLJSON_ARRAY)
		for (e = d->child; e != NULL; e = e->next)
			if (ctljson_str(e) != NULL)
				fprintf(stderr, "  %s\n", e->str);
}

/*
 * One line of the answer. Returns 1 to read on, 0 at the end marker,
 * -1 on an error answer or a line that is not a JSON object.
 */
static int
ctl_line(const char *line, size_t len, ctl_render_fn render, void *arg)
{
	struct ctljson_doc doc;
	char err[128];
	int rv = 1;

	/* The end marker and errors have "end" or "error" first. */
	if (ctl_json_output && strncmp(line, "{\"end\"", 6) != 0 &&
	    strncmp(line, "{\"error\"", 8) != 0) {
		fwrite(line, 1, len, stdout);
		putchar('\n');
		return 1;
	}
	if (ctljson_parse(&doc, line, len, err, sizeof(err)) == -1) {
		fprintf(stderr, "bgpwatchctl: bad answer line: %s\n", err);
		return -1;
	}
	if (doc.root->type != CTLJSON_OBJECT) {
		fprintf(stderr, "bgpwatchctl: answer line not an object\n");
		rv = -1;
	} else if (ctljson_get(doc.root, "error") != NULL) {
		ctl_print_error(doc.root);
		rv = -1;
	} else if (ctljson_get(doc.root, "end") != NULL)
		rv = 0;
	else if (render != NULL && render(arg, doc.root) == -1)
		rv = -1;
	ctljson_free(&doc);
	return rv;
}

/* Read lines until the end marker; the exit status. */
static int
ctl_answer(int fd, ctl_render_fn render, void (*done)(void *), void *arg)
{
	FILE *in;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rv = 1, st;

	if ((in = fdopen(fd, "r")) == NULL) {
		fprintf(stderr, "bgpwatchctl: fdopen: %s\n", strerror(errno));
		close(fd);
		return CTL_EXIT_FAIL;
	}
	while (rv == 1 && (n = getline(&line, &cap, in)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		rv = ctl_line(line, (size_t)n, render, arg);
	}
	if (rv == 1) {
		/* No end marker: the answer is incomplete. */
		if (ferror(in))
			fprintf(stderr, "bgpwatchctl: reading the answer: %s\n",
			    strerror(errno));
		else
			fprintf(stderr,
			    "bgpwatchctl: answer truncated: the "
			    "connection closed before its end\n");
		rv = -1;
	}
	free(line);
	fclose(in);
	if (rv == 0 && done != NULL && !ctl_json_output)
		done(arg);
	st = fflush(stdout) == 0 && !ferror(stdout) ? CTL_EXIT_OK
	                                            : CTL_EXIT_FAIL;
	return rv == 0 ? st : CTL_EXIT_FAIL;
}

int
ctl_req_run(
    struct ctl_req *r, ctl_render_fn render, void (*done)(void *), void *arg)
{
	const char *path =
	    ctl_socket_path != NULL ? ctl_socket_path : CONF_DEFAULT_CONTROL;
	int fd;

	json_obj_close(&r->j);
	json_obj_close(&r->j);
	wbuf_put_u8(&r->w, '\n');
	if (json_finish(&r->j) == -1 || wbuf_error(&r->w)) {
		fprintf(stderr, "bgpwatchctl: cannot build the request\n");
		wbuf_free(&r->w);
		return CTL_EXIT_FAIL;
	}
	if ((fd = ctl_connect(path)) == -1) {
		wbuf_free(&r->w);
		return CTL_EXIT_FAIL;
	}
	/*
	 * A daemon that refuses us (permissions, too many clients) writes
	 * why and hangs up, maybe before the request is out: read that.
	 */
	if (ctl_write_all(fd, wbuf_data(&r->w), wbuf_len(&r->w)) == -1 &&
	    errno != EPIPE && errno != ECONNRESET) {
		fprintf(stderr, "bgpwatchctl: sending the request: %s\n",
		    strerror(errno));
		wbuf_free(&r->w);
		close(fd);
		return CTL_EXIT_FAIL;
	}
	wbuf_free(&r->w);
	return ctl_answer(fd, render, done, arg);
}

/* Tables ------------------------------------------------------------ */

void
ctl_table_init(
    struct ctl_table *t, size_t ncols, const char *const *heads, uint32_t right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->heads = heads;
	t->right = right;
}

void
ctl_table_add(struct ctl_table *t, const char *const *cells)
{
	size_t i;

	if (t->nrows == t->caprows) {
		t->caprows = t->caprows == 0 ? 16 : t->caprows * 2;
		t->cells = reallocarray(
		    t->cells, t->caprows * t->ncols, sizeof(*t->cells));
		if (t->cells == NULL) {
			fprintf(stderr, "bgpwatchctl: out of memory\n");
			exit(CTL_EXIT_FAIL);
		}
	}
	for (i = 0; i < t->ncols; i++)
		if ((t->cells[t->nrows * t->ncols + i] = strdup(cells[i])) ==
		    NULL) {
			fprintf(stderr, "bgpwatchctl: out of memory\n");
			exit(CTL_EXIT_FAIL);
		}
	t->nrows++;
}

static void
ctl_table_row(const struct ctl_table *t, const char *const *cells,
    const size_t *width, FILE *out)
{
	size_t i;
	int w;

	for (i = 0; i < t->ncols; i++) {
		w = (int)width[i];
		if (t->right & (1u << i))
			fprintf(out, "%*s", w, cells[i]);
		else if (i + 1 == t->ncols)
			fputs(cells[i], out);
		else
			fprintf(out, "%-*s", w, cells[i]);
		fputs(i + 1 == t->ncols ? "\n" : "  ", out);
	}
}

void
ctl_table_print(const struct ctl_table *t, FILE *out)
{
	size_t width[32], i, r, n;

	if (t->ncols > 32)
		return;
	for (i = 0; i < t->ncols; i++)
		width[i] = strlen(t->heads[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			n = strlen(t->cells[r * t->ncols + i]);
			if (n > width[i])
				width[i] = n;
		}
	ctl_table_row(t, t->heads, width, out);
	for (r = 0; r < t->nrows; r++)
		ctl_table_row(t, (const char *const *)&t->cells[r * t->ncols],
		    width, out);
}

void
ctl_table_free(struct ctl_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* Members ----------------------------------------------------------- */

char *
ctl_fmt_age(const struct ctljson_val *v, char *buf, size_t size)
{
	uint64_t s;

	if (ctljson_uint(v, UINT64_MAX, &s) == -1)
		snprintf(buf, size, "Never");
	else if (s < 86400)
		snprintf(buf, size, "%02u:%02u:%02u", (unsigned int)(s / 3600),
		    (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
	else if (s < 7 * 86400)
		snprintf(buf, size, "%ud%02uh%02um", (unsigned int)(s / 86400),
		    (unsigned int)(s / 3600 % 24), (unsigned int)(s / 60 % 60));
	else
		snprintf(buf, size, "%02luw%01ud%02uh",
		    (unsigned long)(s / (7 * 86400)),
		    (unsigned int)(s / 86400 % 7),
		    (unsigned int)(s / 3600 % 24));
	return buf;
}

const char *
ctl_get_str(const struct ctljson_val *obj, const char *key, const char *dflt)
{
	const char *s = ctljson_str(ctljson_get(obj, key));

	return s != NULL ? s : dflt;
}

bool
ctl_get_uint(const struct ctljson_val *obj, const char *key, uint64_t *out)
{
	return ctljson_uint(ctljson_get(obj, key), UINT64_MAX, out) == 0;
}

bool
ctl_get_bool(const struct ctljson_val *obj, const char *key)
{
	bool b = false;

	return ctljson_bool(ctljson_get(obj, key), &b) == 0 && b;
}
