/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpwatchctl's side of the control socket: building a request, sending
 * it, reading the answer's JSON lines up to the end marker (a missing one
 * is a truncated answer), and the helpers the human renderers share
 * (aligned tables, durations, member lookups).
 *
 * Public: ctl_req_init(), ctl_req_run(), ctl_table_init(), ctl_table_add(),
 *         ctl_table_print(), ctl_table_free(), ctl_fmt_age(), ctl_get_str(),
 *         ctl_get_uint(), ctl_get_bool().
 */
#ifndef BGPWATCH_CTL_CLIENT_H
#define BGPWATCH_CTL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ctljson.h"
#include "json.h"
#include "wbuf.h"

/* Global options (bgpwatchctl -s, -j); set by main(). */
extern const char *ctl_socket_path; /* NULL: CONF_DEFAULT_CONTROL */
extern bool ctl_json_output;

/* A request being built: add arguments to j with the json_*() calls. */
struct ctl_req {
	struct wbuf w;
	struct json j; /* inside the "args" object */
};

/*
 * Render one data line of an answer for humans (called without -j).
 * Returns 0, or -1 to fail the command (after printing why).
 */
typedef int (*ctl_render_fn)(void *arg, const struct ctljson_val *obj);

/* Start {"command": command, "args": {...}}. */
void ctl_req_init(struct ctl_req *r, const char *command);
/*
 * Finish r, send it on a new connection to the control socket and read
 * the answer: with -j every data line is copied to stdout as it comes;
 * otherwise each is parsed and handed to render (then done, if non-NULL,
 * is called once at the end marker to print what was collected). An
 * error line is printed to stderr. Frees r. Returns the exit status:
 * CTL_EXIT_OK, or CTL_EXIT_FAIL on an error answer, a truncated answer
 * (no end marker), an unreadable line or an I/O problem.
 */
int ctl_req_run(
    struct ctl_req *r, ctl_render_fn render, void (*done)(void *), void *arg);

/* A table with aligned columns, printed once all rows are in. */
struct ctl_table {
	size_t ncols;
	const char *const *heads;
	uint32_t right; /* bit per column: align right */
	char **cells; /* nrows * ncols, owned */
	size_t nrows, caprows;
};

void ctl_table_init(struct ctl_table *t, size_t ncols, const char *const *heads,
    uint32_t right);
/* Add a row of t->ncols cells (copied). */
void ctl_table_add(struct ctl_table *t, const char *const *cells);
/*
 * Print the header and the rows, columns two spaces apart, each as wide
 * as its widest cell (the last column is not padded).
 */
void ctl_table_print(const struct ctl_table *t, FILE *out);
void ctl_table_free(struct ctl_table *t);

/*
 * A duration like bgpctl: "01:02:03" under a day, "1d02h03m" under a
 * week, "02w3d04h" beyond; "Never" for a null or missing v.
 */
char *ctl_fmt_age(const struct ctljson_val *v, char *buf, size_t size);
/* Member key of obj as a string, or dflt when absent or not a string. */
const char *
ctl_get_str(const struct ctljson_val *obj, const char *key, const char *dflt);
/* Member key of obj as an unsigned integer; false when it is not one. */
bool
ctl_get_uint(const struct ctljson_val *obj, const char *key, uint64_t *out);
/* Member key of obj as a boolean; false when absent or not one. */
bool ctl_get_bool(const struct ctljson_val *obj, const char *key);

#endif
