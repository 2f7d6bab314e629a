/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpfeed: an active BGP speaker for labs, tests and benchmarks (see
 * bgpfeed(1)). This file reads the command line, picks the route source
 * and hands both to the session.
 *
 * Public: main().
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "feed.h"

enum {
	OPT_LOCAL_AS = 256,
	OPT_PEER_AS,
	OPT_ROUTER_ID,
	OPT_LOCAL_ADDR,
	OPT_LISTEN,
	OPT_HOLD,
	OPT_ADDPATH,
	OPT_EXTMSG,
	OPT_MD5,
	OPT_AS2,
	OPT_STATS,
	OPT_SYNTH,
	OPT_SEED,
	OPT_MRT_RIB,
	OPT_PEER,
	OPT_MRT_UPD,
	OPT_PACE,
	OPT_SCRIPT,
	OPT_WITHDRAW,
	OPT_EXIT,
	OPT_PREPEND,
	OPT_KEEP_NH,
	OPT_NH4,
	OPT_NH6,
	OPT_SHUTDOWN,
	OPT_SINK,
	OPT_PRINT,
	OPT_VERSION,
};

static const struct option feed_longopts[] = {
	{ "local-as", required_argument, NULL, OPT_LOCAL_AS },
	{ "peer-as", required_argument, NULL, OPT_PEER_AS },
	{ "router-id", required_argument, NULL, OPT_ROUTER_ID },
	{ "local-addr", required_argument, NULL, OPT_LOCAL_ADDR },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "add-path-send", no_argument, NULL, OPT_ADDPATH },
	{ "ext-msg", no_argument, NULL, OPT_EXTMSG },
	{ "md5", required_argument, NULL, OPT_MD5 },
	{ "as2", no_argument, NULL, OPT_AS2 },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "synthetic", required_argument, NULL, OPT_SYNTH },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "mrt-rib", required_argument, NULL, OPT_MRT_RIB },
	{ "peer", required_argument, NULL, OPT_PEER },
	{ "mrt-updates", required_argument, NULL, OPT_MRT_UPD },
	{ "pace", required_argument, NULL, OPT_PACE },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "withdraw-on-exit", no_argument, NULL, OPT_WITHDRAW },
	{ "exit-when-done", no_argument, NULL, OPT_EXIT },
	{ "prepend", no_argument, NULL, OPT_PREPEND },
	{ "keep-nexthop", no_argument, NULL, OPT_KEEP_NH },
	{ "nexthop", required_argument, NULL, OPT_NH4 },
	{ "nexthop6", required_argument, NULL, OPT_NH6 },
	{ "shutdown-text", required_argument, NULL, OPT_SHUTDOWN },
	{ "sink", no_argument, NULL, OPT_SINK },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void
feed_usage(void)
{
	fprintf(stderr,
	    "usage: bgpfeed [-v] --local-as AS [--peer-as AS|any] "
	    "[--router-id A.B.C.D]\n"
	    "           [--local-addr ADDR] [--hold SEC] [--add-path-send] "
	    "[--ext-msg]\n"
	    "           [--md5 KEY] [--as2] [--stats] [--withdraw-on-exit] "
	    "[--exit-when-done]\n"
	    "           [--prepend] [--nexthop A.B.C.D] [--nexthop6 X:X::X] "
	    "[--keep-nexthop]\n"
	    "           [--shutdown-text TEXT] [--pace FACTOR]\n"
	    "           (--synthetic N4,N6 [--seed S] | --mrt-rib FILE "
	    "[--peer ADDR|INDEX] |\n"
	    "            --mrt-updates FILE... [--peer ADDR] | --script FILE)\n"
	    "           (HOST[:PORT] | --listen ADDR[:PORT])\n"
	    "       bgpfeed --sink [-v] [--local-as AS] [--ext-msg] [--hold "
	    "SEC] --listen ADDR[:PORT]\n"
	    "       bgpfeed --print --synthetic N4,N6 [--seed S] "
	    "[--local-as AS]\n");
	exit(2);
}

static uint64_t
feed_num(const char *opt, const char *s, uint64_t max)
{
	char *e;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &e, 10);
	if (s[0] < '0' || s[0] > '9' || *e != '\0' || errno != 0 || v > max) {
		fprintf(stderr, "bgpfeed: %s: bad number \"%s\"\n", opt, s);
		exit(2);
	}
	return v;
}

static void
feed_addr(const char *opt, const char *s, uint8_t want, uint8_t *out)
{
	uint8_t afi, a[16];

	if (addr_parse(s, &afi, a) == -1 || afi != want) {
		fprintf(stderr, "bgpfeed: %s: bad %s address \"%s\"\n", opt,
		    want == AFI_IPV4 ? "IPv4" : "IPv6", s);
		exit(2);
	}
	memcpy(out, a, want == AFI_IPV4 ? 4 : 16);
}

static void
feed_synth_arg(struct feed_opts *o, const char *s)
{
	char buf[64], *c;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((c = strchr(buf, ',')) == NULL) {
		fprintf(stderr, "bgpfeed: --synthetic wants N4,N6\n");
		exit(2);
	}
	*c = '\0';
	o->n4 = feed_num("--synthetic", buf, 100000000);
	o->n6 = feed_num("--synthetic", c + 1, 100000000);
	o->synthetic = true;
}

/* The options of the session itself; false when ch is not one. */
static bool
feed_sess_option(struct feed_opts *o, int ch, const char *arg)
{
	uint8_t id[4];

	switch (ch) {
	case OPT_LOCAL_AS:
		o->local_as = (uint32_t)feed_num("--local-as", arg, UINT32_MAX);
		break;
	case OPT_PEER_AS:
		o->peer_as_any = strcmp(arg, "any") == 0;
		if (!o->peer_as_any)
			o->peer_as =
			    (uint32_t)feed_num("--peer-as", arg, UINT32_MAX);
		break;
	case OPT_ROUTER_ID:
		feed_addr("--router-id", arg, AFI_IPV4, id);
		o->router_id = (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 |
		    (uint32_t)id[2] << 8 | id[3];
		break;
	case OPT_LOCAL_ADDR:
		o->local_addr = arg;
		break;
	case OPT_LISTEN:
		o->listen = arg;
		break;
	case OPT_HOLD:
		o->hold = (uint16_t)feed_num("--hold", arg, 65535);
		if (o->hold == 1 || o->hold == 2) { /* RFC 4271 §4.2 */
			fprintf(stderr, "bgpfeed: --hold is 0 or 3..65535\n");
			exit(2);
		}
		break;
	case OPT_ADDPATH:
		o->addpath_send = true;
		break;
	case OPT_EXTMSG:
		o->ext_msg = true;
		break;
	case OPT_MD5:
		o->md5 = arg;
		break;
	case OPT_AS2:
		o->as2 = true;
		break;
	case OPT_SINK:
		o->sink = true;
		break;
	default:
		return false;
	}
	return true;
}

/* What to send and how; false when ch is not one of these. */
static bool
feed_src_option(struct feed_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case OPT_SYNTH:
		feed_synth_arg(o, arg);
		break;
	case OPT_SEED:
		o->seed = feed_num("--seed", arg, UINT64_MAX);
		break;
	case OPT_MRT_RIB:
		o->mrt_rib = arg;
		break;
	case OPT_PEER:
		o->mrt_peer = arg;
		break;
	case OPT_PACE:
		o->pace = strtod(arg, NULL);
		o->pace_set = true;
		if (!(o->pace > 0)) {
			fprintf(stderr, "bgpfeed: --pace wants a factor > 0\n");
			exit(2);
		}
		break;
	case OPT_SCRIPT:
		o->script = arg;
		break;
	case OPT_PREPEND:
		o->prepend = true;
		break;
	case OPT_KEEP_NH:
		o->keep_nexthop = true;
		break;
	case OPT_NH4:
		feed_addr("--nexthop", arg, AFI_IPV4, o->nh4);
		o->nh4_set = true;
		break;
	case OPT_NH6:
		feed_addr("--nexthop6", arg, AFI_IPV6, o->nh6);
		o->nh6_set = true;
		break;
	case OPT_PRINT:
		o->print = true;
		break;
	default:
		return false;
	}
	return true;
}

static void
feed_option(struct feed_opts *o, int ch, const char *arg)
{
	if (feed_sess_option(o, ch, arg) || feed_src_option(o, ch, arg))
		return;
	switch (ch) {
	case OPT_STATS:
		o->stats = true;
		break;
	case OPT_WITHDRAW:
		o->withdraw_on_exit = true;
		break;
	case OPT_EXIT:
		o->exit_when_done = true;
		break;
	case OPT_SHUTDOWN:
		o->shutdown_text = arg;
		break;
	case 'v':
		o->verbose++;
		break;
	case OPT_VERSION:
		printf("bgpfeed %s\n", BGPWATCH_VERSION);
		exit(0);
	default:
		feed_usage();
	}
}

/* Options that only make sense together. */
static void
feed_check(struct feed_opts *o)
{
	int nsrc = (o->synthetic ? 1 : 0) + (o->mrt_rib != NULL ? 1 : 0) +
	    (o->n_mrt_updates > 0 ? 1 : 0) + (o->script != NULL ? 1 : 0);
	const char *why = NULL;

	if (o->print && !o->synthetic)
		why = "--print goes with --synthetic";
	else if (!o->print && o->sink && (nsrc > 0 || o->listen == NULL))
		why = "--sink takes --listen and no route source";
	else if (!o->print && !o->sink && nsrc != 1)
		why = "give exactly one of --synthetic, --mrt-rib, "
		      "--mrt-updates, --script";
	else if (!o->print && (o->connect == NULL) == (o->listen == NULL))
		why = "give either HOST[:PORT] or --listen ADDR[:PORT]";
	else if (!o->sink && o->local_as == 0)
		why = "--local-as is required";
	else if (o->as2 && o->local_as > 0xffff)
		why = "--as2 needs a 2-octet --local-as (RFC 6793 §4.1)";
	if (why != NULL) {
		fprintf(stderr, "bgpfeed: %s\n", why);
		feed_usage();
	}
	if (o->sink && o->local_as == 0)
		o->local_as = 65000;
}

static struct feed_source *
feed_source(const struct feed_opts *o)
{
	struct script *s;

	if (o->synthetic)
		return synth_new(o);
	if (o->mrt_rib != NULL)
		return mrtrib_new(o);
	if (o->n_mrt_updates > 0)
		return mrtupd_new(o);
	if ((s = script_load(o->script)) == NULL)
		return NULL;
	return script_new(s, o);
}

int
main(int argc, char *argv[])
{
	static const char *upd[256];
	struct feed_opts o;
	struct feed_source *src = NULL;
	int ch, i;

	memset(&o, 0, sizeof(o));
	o.peer_as_any = true;
	o.hold = 90;
	o.seed = 1;
	o.shutdown_text = FEED_SHUTDOWN_DEFAULT;
	o.mrt_updates = upd;
	while ((ch = getopt_long(argc, argv, "v", feed_longopts, NULL)) != -1) {
		if (ch == OPT_MRT_UPD) {
			if (o.n_mrt_updates == 256) {
				fprintf(stderr, "bgpfeed: too many files\n");
				return 2;
			}
			upd[o.n_mrt_updates++] = optarg;
			continue;
		}
		feed_option(&o, ch, optarg);
	}
	/* The last operand is the peer; more update files may precede it. */
	if (optind < argc && o.listen == NULL && !o.sink && !o.print)
		o.connect = argv[--argc];
	for (i = optind; i < argc; i++) {
		if (o.n_mrt_updates == 0 || o.n_mrt_updates == 256)
			feed_usage();
		upd[o.n_mrt_updates++] = argv[i];
	}
	feed_check(&o);
	if (o.print)
		return synth_print(&o, stdout) == -1 ? 1 : 0;
	if (!o.sink && (src = feed_source(&o)) == NULL)
		return 1;
	return feed_sess_run(&o, src);
}
