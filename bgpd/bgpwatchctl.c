/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpwatchctl: the offline tools and (later) the control client of
 * bgpwatchd. main() picks a command from one table and hands it the rest
 * of the command line; each command lives in its own file.
 *
 * Public: main().
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "bgpwatchctl.h"
#include "ctl_client.h"

/* args: the SYNOPSIS of bgpwatchctl(8); a newline starts another form. */
static const struct ctl_cmd ctl_cmds[] = {
	{ "decode",
	    "[--as2] [--add-path families] [--ext-msg] [--explain] [--binary]\n"
	    "    [file | -]",
	    "decode BGP messages (hex or binary) into JSON lines", decode_cmd },
	{ "mrt", "[-j] file ...",
	    "print MRT files as bgpdump -m lines or JSON lines", mrt_cmd },
	{ "replay", "[-v] [-f conf] [-o file] [--all-routes] file ...",
	    "run MRT files through the watches into event lines", replay_cmd },
	{ "show",
	    "summary\n"
	    "neighbor [address]\n"
	    "rib [prefix [or-longer | or-shorter]] [neighbor address]\n"
	    "    [origin-as as] [transit-as as] [family family]\n"
	    "watch [name] [detail]",
	    "show sessions, routes and watches of the running bgpwatchd",
	    show_cmd },
	{ "reload", "", "make bgpwatchd re-read its configuration",
	    reload_cmd },
	{ "clear", "neighbor address [soft]",
	    "reset a session, or ask for its routes again (soft)", clear_cmd },
	{ "neighbor", "address down [text]\naddress up",
	    "shut a session down (RFC 9003 text) or start it again",
	    neighbor_cmd },
	{ "dump", "table [path]",
	    "write every Adj-RIB-In as an MRT TABLE_DUMP_V2 file", dump_cmd },
};

/* Each form of a command's arguments on a line, then its help. */
static void
ctl_usage_cmd(FILE *fp, const struct ctl_cmd *c)
{
	const char *a = c->args;
	int pad = 9 - (int)strlen(c->name); /* to the arguments' column */
	size_t n;

	fprintf(fp, "  %s", c->name);
	if (*a == '\0')
		fputc('\n', fp);
	for (; *a != '\0'; a += n + (a[n] == '\n')) {
		n = strcspn(a, "\n");
		fprintf(fp, "%*s%.*s\n", pad, "", (int)n, a);
		pad = 11;
	}
	fprintf(fp, "  %-8s %s\n", "", c->help);
}

static void
ctl_usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: bgpwatchctl [-hjV] [-s socket] command [argument ...]\n"
	    "commands:\n");
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		ctl_usage_cmd(fp, &ctl_cmds[i]);
	fprintf(fp, "See bgpwatchctl(8).\n");
}

static const struct ctl_cmd *
ctl_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(ctl_cmds[i].name, name) == 0)
			return &ctl_cmds[i];
	return NULL;
}

int
main(int argc, char *argv[])
{
	const struct ctl_cmd *cmd;
	int ch;

	/* "+": stop at the command; its options are its own. */
	while ((ch = getopt(argc, argv, "+hjs:V")) != -1) {
		switch (ch) {
		case 'j': /* control commands: JSON lines */
			ctl_json_output = true;
			break;
		case 's': /* control commands: the socket */
			ctl_socket_path = optarg;
			break;
		case 'h':
			ctl_usage(stdout);
			return CTL_EXIT_OK;
		case 'V':
			printf("bgpwatchctl %s\n", BGPWATCH_VERSION);
			return CTL_EXIT_OK;
		default:
			ctl_usage(stderr);
			return CTL_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		ctl_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if ((cmd = ctl_lookup(argv[0])) == NULL) {
		fprintf(stderr, "bgpwatchctl: unknown command: %s\n", argv[0]);
		ctl_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	/* Make getopt start afresh on the command's arguments (glibc, BSD). */
	optind = 0;
	return cmd->run(argc, argv);
}
