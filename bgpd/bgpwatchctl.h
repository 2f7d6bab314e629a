/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The commands of bgpwatchctl. Each command is one function that gets the
 * arguments from its own name on (argv[0] is the command) and returns the
 * exit status; adding a command is one entry in the table in bgpwatchctl.c.
 *
 * Public: decode_cmd(), mrt_cmd(), replay_cmd(), show_cmd(), reload_cmd(),
 *         clear_cmd(), neighbor_cmd(), dump_cmd().
 */
#ifndef BGPWATCH_BGPWATCHCTL_H
#define BGPWATCH_BGPWATCHCTL_H

/* Exit statuses shared by every command. */
#define CTL_EXIT_OK 0
#define CTL_EXIT_FAIL 1 /* bad input, a verdict other than ok, I/O */
#define CTL_EXIT_USAGE 2 /* bad command line */

struct ctl_cmd {
	const char *name;
	const char *args; /* synopsis after the name, for usage */
	const char *help; /* one line */
	int (*run)(int argc, char **argv);
};

/*
 * `bgpwatchctl decode [options] [FILE|-]`: decode BGP messages (hex text or
 * binary) into one JSON line each; see bgpwatchctl(8). Returns CTL_EXIT_*.
 */
int decode_cmd(int argc, char **argv);
/*
 * `bgpwatchctl mrt [-j] FILE...`: MRT files as `bgpdump -m` lines or JSON
 * lines (bgpd/cmd_mrt.c); see bgpwatchctl(8). Returns CTL_EXIT_*.
 */
int mrt_cmd(int argc, char **argv);
/*
 * `bgpwatchctl replay [-v] [-f CONF] [-o FILE] [--all-routes] FILE...`:
 * MRT records through decode, Adj-RIB-In and the watches of CONF
 * (bgpd/cmd_replay.c, bgpd/pipeline.c) into the event lines bgpwatchd
 * would write; see bgpwatchctl(8). Returns CTL_EXIT_*.
 */
int replay_cmd(int argc, char **argv);
/*
 * The control commands (bgpd/cmd_show.c, over bgpd/ctl_client.c): `show
 * summary|neighbor|rib`, `reload`, `clear neighbor ADDR [soft]` and
 * `neighbor ADDR down [TEXT]|up`, sent to bgpwatchd's control socket; see
 * bgpwatchctl(8). Return CTL_EXIT_*.
 */
int show_cmd(int argc, char **argv);
int reload_cmd(int argc, char **argv);
int clear_cmd(int argc, char **argv);
/* `bgpwatchctl dump table path`: a TABLE_DUMP_V2 file of the Adj-RIBs-In. */
int dump_cmd(int argc, char **argv);
int neighbor_cmd(int argc, char **argv);

#endif
