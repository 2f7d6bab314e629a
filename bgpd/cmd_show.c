/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The control commands of bgpwatchctl: `show summary|neighbor|rib|watch`,
 * `reload`, `clear neighbor` and `neighbor ADDR down|up`. Each turns its
 * command line into one request (see PROTOCOL in bgpwatchctl(8)) and, for
 * humans, renders the answer as bgpctl-style tables.
 *
 * Public: show_cmd(), reload_cmd(), clear_cmd(), neighbor_cmd().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgpwatchctl.h"
#include "ctl_client.h"

#define SHOW_RIB_FMT "%-1s %-15s %-18s %6s %-15s %10s %10s %-20s %s\n"

static int
show_usage(void)
{
	fprintf(stderr,
	    "usage: bgpwatchctl [-j] [-s socket] show summary\n"
	    "       bgpwatchctl [-j] [-s socket] show neighbor [address]\n"
	    "       bgpwatchctl [-j] [-s socket] show watch [name] [detail]\n"
	    "       bgpwatchctl [-j] [-s socket] show rib [prefix "
	    "[or-longer | or-shorter]]\n"
	    "           [neighbor address] [origin-as as] [transit-as as] "
	    "[family family]\n");
	return CTL_EXIT_USAGE;
}

/* show summary ------------------------------------------------------ */

static const char *const show_summary_heads[] = { "Neighbor", "AS", "State",
	"Up/Down", "PfxV4", "PfxV6", "Updates", "LastUpdate" };

static void
show_num(const struct ctljson_val *obj, const char *key, char *buf, size_t size)
{
	uint64_t v;

	if (ctl_get_uint(obj, key, &v))
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else
		snprintf(buf, size, "-");
}

static int
show_summary_render(void *arg, const struct ctljson_val *doc)
{
	const struct ctljson_val *n, *list = ctljson_get(doc, "neighbors");
	const struct ctljson_val *pfx;
	struct ctl_table *t = arg;
	char as[24], age[32], v4[24], v6[24], upd[24], last[32], state[40];
	const char *cells[8];

	if (list == NULL || list->type != CTLJSON_ARRAY)
		return 0;
	for (n = list->child; n != NULL; n = n->next) {
		pfx = ctljson_get(n, "prefixes");
		show_num(n, "as", as, sizeof(as));
		show_num(pfx, "ipv4", v4, sizeof(v4));
		show_num(pfx, "ipv6", v6, sizeof(v6));
		show_num(n, "updates_received", upd, sizeof(upd));
		snprintf(state, sizeof(state), "%s%s",
		    ctl_get_str(n, "state", "?"),
		    ctl_get_bool(n, "admin_down") ? " (down)" : "");
		cells[0] = ctl_get_str(n, "address", "?");
		cells[1] = as;
		cells[2] = state;
		cells[3] =
		    ctl_fmt_age(ctljson_get(n, "state_age"), age, sizeof(age));
		cells[4] = v4;
		cells[5] = v6;
		cells[6] = upd;
		cells[7] = ctl_fmt_age(
		    ctljson_get(n, "last_update"), last, sizeof(last));
		ctl_table_add(t, cells);
	}
	return 0;
}

static void
show_summary_done(void *arg)
{
	ctl_table_print(arg, stdout);
}

static int
show_summary(int argc, char **argv)
{
	struct ctl_table t;
	struct ctl_req r;
	int rv;

	if (argc != 2)
		return show_usage();
	/* Right-align AS and the counts. */
	ctl_table_init(&t, 8, show_summary_heads,
	    (1u << 1) | (1u << 4) | (1u << 5) | (1u << 6));
	ctl_req_init(&r, "show summary");
	rv = ctl_req_run(&r, show_summary_render, show_summary_done, &t);
	ctl_table_free(&t);
	return rv;
}

/* show neighbor ----------------------------------------------------- */

/* A string element of an array, or "?". */
static const char *
show_elem(const struct ctljson_val *e)
{
	return ctljson_str(e) != NULL ? e->str : "?";
}

/* The elements of a string array joined by spaces, or "none". */
static const char *
show_list(const struct ctljson_val *arr, char *buf, size_t size)
{
	const struct ctljson_val *e;
	size_t off = 0;

	buf[0] = '\0';
	if (arr != NULL && arr->type == CTLJSON_ARRAY)
		for (e = arr->child; e != NULL && off < size; e = e->next)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
			    off > 0 ? " " : "", show_elem(e));
	return buf[0] != '\0' ? buf : "none";
}

static const char *
show_yes(const struct ctljson_val *obj, const char *key)
{
	return ctl_get_bool(obj, key) ? "yes" : "no";
}

static void
show_neighbor_nego(const struct ctljson_val *n)
{
	const struct ctljson_val *g = ctljson_get(n, "negotiated");
	char buf[256];

	if (g == NULL || g->type != CTLJSON_OBJECT)
		return;
	printf("\n  Negotiated capabilities:\n");
	printf("    Families: %s\n",
	    show_list(ctljson_get(g, "families"), buf, sizeof(buf)));
	printf("    4-octet AS numbers: %s\n", show_yes(g, "four_octet_as"));
	printf("    Extended messages: %s\n", show_yes(g, "extended_message"));
	printf("    ADD-PATH receive: %s\n",
	    show_list(ctljson_get(g, "add_path_receive"), buf, sizeof(buf)));
	printf("    Route refresh: %s (enhanced: %s)\n",
	    show_yes(g, "route_refresh"),
	    show_yes(g, "enhanced_route_refresh"));
	printf("    Graceful restart: %s (notification: %s)\n",
	    show_yes(g, "graceful_restart"),
	    show_yes(g, "graceful_notification"));
	printf("    End-of-RIB received: %s\n",
	    show_list(ctljson_get(g, "end_of_rib"), buf, sizeof(buf)));
	printf("    Disabled (RFC 7606): %s\n",
	    show_list(ctljson_get(g, "disabled"), buf, sizeof(buf)));
}

static void
show_neighbor_timers(const struct ctljson_val *n)
{
	const struct ctljson_val *t = ctljson_get(n, "timers");
	static const struct {
		const char *key, *name;
	} running[] = { { "hold", "hold" }, { "keepalive", "keepalive" },
		{ "connect_retry", "connect-retry" }, { "idle", "idle" },
		{ "graceful_restart", "restart" }, { "stale", "stale" } };
	char hold[24], ka[24], conf[24];
	size_t i;
	uint64_t v;
	bool any = false;

	show_num(t, "hold_time", hold, sizeof(hold));
	show_num(t, "keepalive_interval", ka, sizeof(ka));
	show_num(t, "configured_hold_time", conf, sizeof(conf));
	printf("  Hold time %ss, keepalive interval %ss (configured hold "
	       "time %ss)\n",
	    hold, ka, conf);
	printf("  Timers running:");
	for (i = 0; i < sizeof(running) / sizeof(running[0]); i++)
		if (ctl_get_uint(t, running[i].key, &v)) {
			printf("%s %s %llus", any ? "," : "", running[i].name,
			    (unsigned long long)v);
			any = true;
		}
	printf("%s\n", any ? "" : " none");
}

static void
show_neighbor_msgs(const struct ctljson_val *n)
{
	static const struct {
		const char *key, *name;
	} rows[] = { { "open", "Opens" }, { "notification", "Notifications" },
		{ "update", "Updates" }, { "keepalive", "Keepalives" },
		{ "route_refresh", "Route Refresh" }, { "total", "Total" } };
	const struct ctljson_val *c = ctljson_get(n, "counters");
	const struct ctljson_val *in = ctljson_get(c, "messages_received");
	const struct ctljson_val *out = ctljson_get(c, "messages_sent");
	char s[24], r[24];
	size_t i;

	printf("\n  Message statistics:\n");
	printf("  %-15s %10s %10s\n", "", "Sent", "Received");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		show_num(out, rows[i].key, s, sizeof(s));
		show_num(in, rows[i].key, r, sizeof(r));
		printf("  %-15s %10s %10s\n", rows[i].name, s, r);
	}
}

static void
show_neighbor_updates(const struct ctljson_val *n)
{
	static const struct {
		const char *key, *name;
	} rows[] = { { "prefixes_announced", "Announced" },
		{ "prefixes_withdrawn", "Withdrawn" },
		{ "treat_as_withdraw", "Treat-as-withdraw" },
		{ "attribute_discard", "Attribute discard" },
		{ "afi_safi_disable", "AFI/SAFI disable" },
		{ "ignored_family", "Ignored family" } };
	const struct ctljson_val *c = ctljson_get(n, "counters");
	const struct ctljson_val *pfx = ctljson_get(n, "prefixes");
	const struct ctljson_val *paths = ctljson_get(n, "paths");
	char a[24], b[24], d[24], e[24];
	size_t i;

	show_num(pfx, "ipv4", a, sizeof(a));
	show_num(pfx, "ipv6", b, sizeof(b));
	show_num(paths, "ipv4", d, sizeof(d));
	show_num(paths, "ipv6", e, sizeof(e));
	printf("\n  Update statistics:\n");
	printf("  %-19s IPv4 %s, IPv6 %s (paths: IPv4 %s, IPv6 %s)\n",
	    "Prefixes", a, b, d, e);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		show_num(c, rows[i].key, a, sizeof(a));
		printf("  %-19s %s\n", rows[i].name, a);
	}
	show_num(c, "established", a, sizeof(a));
	show_num(c, "drops", b, sizeof(b));
	printf("\n  Sessions established %s, dropped %s\n", a, b);
}

static void
show_neighbor_error(const struct ctljson_val *n)
{
	const struct ctljson_val *e = ctljson_get(n, "last_error");
	const char *text;
	char age[32];

	if (e == NULL || e->type != CTLJSON_OBJECT)
		return;
	ctl_fmt_age(ctljson_get(e, "age"), age, sizeof(age));
	if (ctl_get_bool(e, "notification")) {
		text = ctl_get_str(e, "shutdown_communication", NULL);
		printf("  Last error: %s NOTIFICATION %s%s%s%s, %s ago\n",
		    ctl_get_bool(e, "sent") ? "sent" : "received",
		    ctl_get_str(e, "name", "?"), text != NULL ? " \"" : "",
		    text != NULL ? text : "", text != NULL ? "\"" : "", age);
	} else
		printf("  Last error: %s ago\n", age);
	printf("    %s\n", ctl_get_str(e, "reason", ""));
}

static void
show_neighbor_head(const struct ctljson_val *n)
{
	const char *descr = ctl_get_str(n, "description", "");
	const char *group = ctl_get_str(n, "group", "");
	char as[24], age[32], ras[24];

	show_num(n, "as", as, sizeof(as));
	printf("BGP neighbor is %s, remote AS %s\n",
	    ctl_get_str(n, "address", "?"), as);
	if (*descr != '\0')
		printf(" Description: %s\n", descr);
	if (*group != '\0')
		printf(" Group: %s\n", group);
	ctl_fmt_age(ctljson_get(n, "state_age"), age, sizeof(age));
	printf("  BGP state = %s, %s for %s\n", ctl_get_str(n, "state", "?"),
	    strcmp(ctl_get_str(n, "state", ""), "Established") == 0 ? "up"
	                                                            : "down",
	    age);
	if (ctl_get_bool(n, "admin_down"))
		printf("  Administratively down: \"%s\"\n",
		    ctl_get_str(n, "admin_text", ""));
	if (ctl_get_bool(n, "max_prefix_down"))
		printf("  Idle after reaching max-prefix\n");
	show_num(n, "remote_as", ras, sizeof(ras));
	printf("  Remote AS %s, BGP identifier %s\n", ras,
	    ctl_get_str(n, "bgp_id", "-"));
	printf("  Last read %s",
	    ctl_fmt_age(ctljson_get(n, "last_read"), age, sizeof(age)));
	printf(", last update %s\n",
	    ctl_fmt_age(ctljson_get(n, "last_update"), age, sizeof(age)));
}

static int
show_neighbor_render(void *arg, const struct ctljson_val *n)
{
	int *count = arg;

	if ((*count)++ > 0)
		printf("\n");
	show_neighbor_head(n);
	show_neighbor_timers(n);
	show_neighbor_nego(n);
	show_neighbor_msgs(n);
	show_neighbor_updates(n);
	show_neighbor_error(n);
	return 0;
}

static int
show_neighbor(int argc, char **argv)
{
	struct ctl_req r;
	int count = 0;

	if (argc > 3)
		return show_usage();
	ctl_req_init(&r, "show neighbor");
	if (argc == 3)
		json_str(&r.j, "neighbor", argv[2]);
	return ctl_req_run(&r, show_neighbor_render, NULL, &count);
}

/* show rib ---------------------------------------------------------- */

/* Communities and large communities, space separated; "-" for none. */
static const char *
show_rib_comms(const struct ctljson_val *attrs, char *buf, size_t size)
{
	static const char *const keys[] = { "communities",
		"large_communities" };
	const struct ctljson_val *e;
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < 2; i++) {
		e = ctljson_get(attrs, keys[i]);
		if (e == NULL || e->type != CTLJSON_ARRAY)
			continue;
		for (e = e->child; e != NULL && off < size; e = e->next)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
			    off > 0 ? " " : "", show_elem(e));
	}
	return buf[0] != '\0' ? buf : "-";
}

/* The legend and column heads, once, before the first route. */
static void
show_rib_header(void *arg)
{
	bool *printed = arg;

	if (*printed)
		return;
	*printed = true;
	printf("flags: s = stale; path origin: i = IGP, e = EGP, "
	       "? = incomplete\n");
	printf(SHOW_RIB_FMT, "F", "Neighbor", "Prefix", "PathID", "Nexthop",
	    "Origin", "Upstream", "AS path", "Communities");
}

static int
show_rib_render(void *arg, const struct ctljson_val *rt)
{
	const struct ctljson_val *attrs = ctljson_get(rt, "attributes");
	const struct ctljson_val *asp = ctljson_get(attrs, "as_path");
	const char *origin = ctl_get_str(attrs, "origin", "");
	char pid[24], oas[24], uas[24], path[1024], comms[4096];

	show_rib_header(arg);
	show_num(rt, "path_id", pid, sizeof(pid));
	show_num(rt, "origin_as", oas, sizeof(oas));
	show_num(rt, "upstream_as", uas, sizeof(uas));
	/* bgpctl's origin letters: i(gp), e(gp), ?(incomplete). */
	snprintf(path, sizeof(path), "%s%s%s", ctl_get_str(asp, "text", ""),
	    *ctl_get_str(asp, "text", "") != '\0' ? " " : "",
	    strcmp(origin, "igp") == 0       ? "i"
	        : strcmp(origin, "egp") == 0 ? "e"
	                                     : "?");
	printf(SHOW_RIB_FMT, ctl_get_bool(rt, "stale") ? "s" : "",
	    ctl_get_str(rt, "neighbor", "?"), ctl_get_str(rt, "prefix", "?"),
	    pid, ctl_get_str(rt, "next_hop", "-"), oas, uas, path,
	    show_rib_comms(attrs, comms, sizeof(comms)));
	return 0;
}

/* An AS number argument: 0 to 4294967295, decimal. */
static int
show_asn(const char *s, uint64_t *as)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	*as = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' || *as > UINT32_MAX ? -1 : 0;
}

/* One keyword of `show rib` and its value at argv[*i]. */
static int
show_rib_arg(struct ctl_req *r, int argc, char **argv, int *i, bool *pfx)
{
	const char *kw = argv[*i];
	uint64_t as;

	if (strcmp(kw, "or-longer") == 0 || strcmp(kw, "or-shorter") == 0) {
		if (!*pfx)
			return -1;
		json_str(&r->j, "match", kw);
		return 0;
	}
	if (strcmp(kw, "neighbor") != 0 && strcmp(kw, "origin-as") != 0 &&
	    strcmp(kw, "transit-as") != 0 && strcmp(kw, "family") != 0) {
		if (*pfx)
			return -1;
		json_str(&r->j, "prefix", kw);
		*pfx = true;
		return 0;
	}
	if (++*i >= argc)
		return -1;
	if (strcmp(kw, "neighbor") == 0 || strcmp(kw, "family") == 0) {
		json_str(&r->j, kw, argv[*i]);
		return 0;
	}
	if (show_asn(argv[*i], &as) == -1) {
		fprintf(stderr, "bgpwatchctl: %s: bad AS number %s\n", kw,
		    argv[*i]);
		return -1;
	}
	json_uint(&r->j, kw[0] == 'o' ? "origin_as" : "transit_as", as);
	return 0;
}

static int
show_rib(int argc, char **argv)
{
	struct ctl_req r;
	bool pfx = false, header = false;
	int i;

	ctl_req_init(&r, "show rib");
	for (i = 2; i < argc; i++)
		if (show_rib_arg(&r, argc, argv, &i, &pfx) == -1) {
			wbuf_free(&r.w);
			return show_usage();
		}
	/* The header also heads an empty table, but not an error. */
	return ctl_req_run(&r, show_rib_render, show_rib_header, &header);
}

/* show watch -------------------------------------------------------- */

/* The daemon formats the table (watch_show_text()); print it as is. */
static int
show_watch_render(void *arg, const struct ctljson_val *doc)
{
	const char *text = ctljson_str(ctljson_get(doc, "text"));

	if (text == NULL) {
		fprintf(stderr,
		    "bgpwatchctl: show watch: no table in the "
		    "answer\n");
		return -1;
	}
	fputs(text, stdout);
	return 0;
}

static int
show_watch(int argc, char **argv)
{
	struct ctl_req r;
	bool detail = argc > 2 && strcmp(argv[argc - 1], "detail") == 0;
	int nargs = argc - (detail ? 1 : 0);

	if (nargs > 3)
		return show_usage();
	ctl_req_init(&r, "show watch");
	if (nargs == 3)
		json_str(&r.j, "watch", argv[2]);
	if (detail)
		json_bool(&r.j, "detail", true);
	if (!ctl_json_output)
		json_bool(&r.j, "text", true);
	return ctl_req_run(&r, show_watch_render, NULL, NULL);
}

int
show_cmd(int argc, char **argv)
{
	if (argc < 2)
		return show_usage();
	if (strcmp(argv[1], "summary") == 0)
		return show_summary(argc, argv);
	if (strcmp(argv[1], "neighbor") == 0)
		return show_neighbor(argc, argv);
	if (strcmp(argv[1], "rib") == 0)
		return show_rib(argc, argv);
	if (strcmp(argv[1], "watch") == 0)
		return show_watch(argc, argv);
	return show_usage();
}

/* Actions ----------------------------------------------------------- */

int
reload_cmd(int argc, char **argv)
{
	struct ctl_req r;

	if (argc != 1) {
		fprintf(stderr, "usage: bgpwatchctl reload\n");
		return CTL_EXIT_USAGE;
	}
	ctl_req_init(&r, "reload");
	return ctl_req_run(&r, NULL, NULL, NULL);
}

int
dump_cmd(int argc, char **argv)
{
	struct ctl_req r;
	char *abs;
	int rc;

	if (argc < 2 || argc > 3 || strcmp(argv[1], "table") != 0) {
		fprintf(stderr, "usage: bgpwatchctl dump table [path]\n");
		return CTL_EXIT_USAGE;
	}
	if (argc == 2) { /* the configured `dump table` path */
		ctl_req_init(&r, "dump table");
		return ctl_req_run(&r, NULL, NULL, NULL);
	}
	/* The daemon runs elsewhere: hand it an absolute path. */
	if (argv[2][0] == '/')
		abs = strdup(argv[2]);
	else if ((abs = getcwd(NULL, 0)) != NULL) {
		char *cwd = abs;

		if (asprintf(&abs, "%s/%s", cwd, argv[2]) == -1)
			abs = NULL;
		free(cwd);
	}
	if (abs == NULL) {
		fprintf(
		    stderr, "bgpwatchctl: %s: %s\n", argv[2], strerror(errno));
		return CTL_EXIT_USAGE;
	}
	ctl_req_init(&r, "dump table");
	json_str(&r.j, "path", abs);
	rc = ctl_req_run(&r, NULL, NULL, NULL);
	free(abs);
	return rc;
}

int
clear_cmd(int argc, char **argv)
{
	struct ctl_req r;

	if (argc < 3 || argc > 4 || strcmp(argv[1], "neighbor") != 0 ||
	    (argc == 4 && strcmp(argv[3], "soft") != 0)) {
		fprintf(stderr,
		    "usage: bgpwatchctl clear neighbor address [soft]\n");
		return CTL_EXIT_USAGE;
	}
	ctl_req_init(&r, "clear neighbor");
	json_str(&r.j, "neighbor", argv[2]);
	json_bool(&r.j, "soft", argc == 4);
	return ctl_req_run(&r, NULL, NULL, NULL);
}

int
neighbor_cmd(int argc, char **argv)
{
	struct ctl_req r;
	bool down = argc >= 3 && strcmp(argv[2], "down") == 0;

	if (!(down && argc <= 4) &&
	    !(argc == 3 && strcmp(argv[2], "up") == 0)) {
		fprintf(stderr,
		    "usage: bgpwatchctl neighbor address down "
		    "[text]\n"
		    "       bgpwatchctl neighbor address up\n");
		return CTL_EXIT_USAGE;
	}
	ctl_req_init(&r, down ? "neighbor down" : "neighbor up");
	json_str(&r.j, "neighbor", argv[1]);
	if (argc == 4)
		json_str(&r.j, "text", argv[3]);
	return ctl_req_run(&r, NULL, NULL, NULL);
}
