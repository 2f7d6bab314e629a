/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpfeed, an active BGP speaker for labs, tests and benchmarks: what its
 * modules share. The session (feed_sess.c) pulls UPDATEs from one route
 * source (synthetic table, MRT RIB, MRT updates, script) whenever its
 * output buffer drains; sources describe routes as struct feed_attrs or
 * canonical blobs and append messages through feed_announce() and
 * feed_withdraw(), which count what was sent.
 *
 * Public: feed_attrs_init(), feed_attrs_canon(), feed_attrs_print(),
 *         feed_canon_edit(), feed_announce(), feed_withdraw(), feed_eor(),
 *         feed_warnx(), feed_log(), feed_now(), feed_open_encode(),
 *         feed_open_negotiate(), synth_new(), synth_print(), mrtrib_new(),
 *         mrtupd_new(), script_load(), script_new(), feed_sess_run().
 */
#ifndef BGPFEED_FEED_H
#define BGPFEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bgp.h"
#include "open.h"
#include "prefix.h"
#include "updenc.h"
#include "wbuf.h"

#define FEED_MAX_ASNS 64
#define FEED_MAX_SEGS 16
#define FEED_MAX_COMM 64
#define FEED_MAX_LCOMM 32
#define FEED_SHUTDOWN_DEFAULT "bgpfeed shutting down"

/* Path attributes as a person writes them (a script line, a generator). */
struct feed_attrs {
	uint8_t origin; /* ORIGIN_IGP .. ORIGIN_INCOMPLETE */
	size_t nseg;
	struct {
		uint8_t type; /* AS_SEQUENCE, AS_SET, ... */
		uint8_t count;
	} seg[FEED_MAX_SEGS];
	size_t nasn;
	uint32_t asn[FEED_MAX_ASNS];
	bool nh_set; /* false: "self" */
	uint8_t nh_afi;
	uint8_t nh[16];
	bool has_med;
	uint32_t med;
	bool has_lp;
	uint32_t lp;
	bool atomic;
	bool has_aggr;
	uint32_t aggr_as;
	uint8_t aggr_id[4];
	size_t ncomm;
	uint32_t comm[FEED_MAX_COMM];
	size_t nlcomm;
	uint32_t lcomm[FEED_MAX_LCOMM][3];
};

/* Everything the command line says. */
struct feed_opts {
	const char *connect; /* HOST[:PORT], or NULL */
	const char *listen; /* ADDR:PORT, or NULL */
	bool sink;
	uint32_t local_as;
	bool peer_as_any;
	uint32_t peer_as;
	uint32_t router_id; /* host order, 0: from the local address */
	const char *local_addr;
	uint16_t hold;
	bool addpath_send;
	bool ext_msg;
	const char *md5;
	bool as2;
	int verbose;
	bool stats;
	/* sources */
	bool synthetic;
	uint64_t n4, n6;
	uint64_t seed;
	const char *mrt_rib;
	const char *mrt_peer;
	const char **mrt_updates;
	size_t n_mrt_updates;
	const char *script;
	double pace; /* 0: as fast as possible */
	bool pace_set;
	bool withdraw_on_exit;
	bool exit_when_done;
	bool prepend;
	bool keep_nexthop;
	bool nh4_set, nh6_set;
	uint8_t nh4[4];
	uint8_t nh6[16];
	const char *shutdown_text;
	bool print; /* synthetic: write the table as a script */
};

/* What the session tells a source and counts of what it sent. */
struct feed_stats {
	uint64_t announced;
	uint64_t withdrawn;
	uint64_t updates;
	uint64_t messages;
	uint64_t bytes;
};

/* The session as a source sees it while filling the output. */
struct feed_out {
	struct wbuf *w;
	struct updenc *enc;
	struct updenc_sess sess;
	bool fam_v4, fam_v6; /* unicast families negotiated */
	uint32_t local_as;
	bool ebgp;
	bool prepend; /* put local_as in front of every path */
	uint8_t self4[4]; /* our next hops */
	uint8_t self6[16];
	struct feed_stats *st;
	uint64_t skipped; /* routes not sent (family, attributes) */
	uint64_t unsendable; /* attribute sets that did not encode */
};

enum feed_fill {
	FEED_MORE, /* call again when the output drains */
	FEED_WAIT, /* call again at *due (seconds since Established) */
	FEED_DONE, /* nothing more to send */
	FEED_STOP, /* the source wants the session closed (script "stop") */
	FEED_ERROR, /* a fatal error was reported */
};

/* A route source; the session owns it and calls free at the end. */
struct feed_source {
	const char *name;
	/*
	 * Append messages to o->w until wbuf_len(o->w) reaches budget or
	 * nothing is due before *due (now: seconds since Established).
	 */
	enum feed_fill (*fill)(void *arg, struct feed_out *o, size_t budget,
	    double now, double *due);
	/* From now on fill() withdraws what was announced. */
	void (*withdraw_all)(void *arg);
	/* The text of a script's "stop", or NULL. */
	const char *(*stop_text)(void *arg);
	void (*free)(void *arg);
	void *arg;
};

/* feed_attrs.c */
void feed_attrs_init(struct feed_attrs *a);
/*
 * Append the canonical blob (update_attrs_canon() form, see update.h) of
 * a for routes of afi to w, with o's next hop where a says "self" and
 * o->local_as prepended when o->prepend. Returns 0, or -1 when the next
 * hop is of the wrong family or the path too long.
 */
int feed_attrs_canon(const struct feed_attrs *a, uint16_t afi,
    const struct feed_out *o, struct wbuf *w) WUR;
/* Write a's script form ("path 1 2 origin igp ...") to f. */
void feed_attrs_print(const struct feed_attrs *a, FILE *f);
/*
 * Copy the canonical blob in[0..len) of afi to w, replacing the next hop
 * by o's own unless keep_nh, and prepending o->local_as to AS_PATH when
 * o->prepend. Returns 0, or -1 when the blob is malformed.
 */
int feed_canon_edit(const uint8_t *in, size_t len, uint16_t afi,
    const struct feed_out *o, bool keep_nh, struct wbuf *w) WUR;
/*
 * Announce p[0..n) (all of afi) with the canonical blob canon, counting;
 * prefixes of a family not negotiated, or whose attributes do not make
 * an UPDATE of this session (the first time is reported), are counted
 * in o->skipped. Returns 0; -1 is kept for errors the session must end
 * on.
 */
int feed_announce(struct feed_out *o, uint16_t afi, const uint8_t *canon,
    size_t clen, const struct updenc_pfx *p, size_t n);
/* Withdraw p[0..n) (all of afi), counting. */
void feed_withdraw(
    struct feed_out *o, uint16_t afi, const struct updenc_pfx *p, size_t n);
/* End-of-RIB (RFC 4724 §2) for afi when its family was negotiated. */
void feed_eor(struct feed_out *o, uint16_t afi);

/* feed_sess.c */
/* A line "bgpfeed: ..." on standard error: what happened. */
void feed_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A line "bgpfeed: warning: ..." on standard error: what went wrong. */
void feed_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Monotonic seconds. */
double feed_now(void);
/* Run the session (or sink) the options describe; the exit status. */
int feed_sess_run(const struct feed_opts *opts, struct feed_source *src);

/* feed_open.c */
struct feed_open {
	uint32_t local_as;
	uint32_t bgp_id; /* host order */
	uint16_t hold;
	bool as4;
	bool ext_msg;
	uint8_t addpath; /* ADDPATH_SEND and/or ADDPATH_RECV, v4 and v6 */
};
/* Append our OPEN (RFC 4271 §4.2, capabilities RFC 5492) to w. */
void feed_open_encode(struct wbuf *w, const struct feed_open *p);
/*
 * What the session runs with, from our OPEN and theirs: families both
 * sides named (IPv4 unicast when they sent no MP capability, RFC 4760
 * §8), 4-octet AS, extended messages, ADD-PATH per direction (RFC 7911
 * §4), the hold time (RFC 4271 §4.2: the smaller one).
 */
struct feed_neg {
	bool v4, v6;
	struct updenc_sess tx;
	struct bgp_sess rx;
	uint16_t hold;
	uint32_t peer_as;
};
void feed_open_negotiate(const struct feed_open *ours,
    const struct open_msg *theirs, struct feed_neg *n);

/* feed_synth.c */
/* The synthetic table of n4 + n6 prefixes from seed; NULL on error. */
struct feed_source *synth_new(const struct feed_opts *o);
/* Write the synthetic table to f as a script; 0 or -1. */
int synth_print(const struct feed_opts *o, FILE *f);

/* feed_mrt.c */
/* Routes of one peer of an MRT RIB dump; NULL (reported) on error. */
struct feed_source *mrtrib_new(const struct feed_opts *o);
/* The UPDATEs of MRT update files; NULL (reported) on error. */
struct feed_source *mrtupd_new(const struct feed_opts *o);

/* feed_script.c */
struct script;
/* Parse path; NULL with "file:line: message" errors reported. */
struct script *script_load(const char *path);
/* The source that plays s (and frees it). */
struct feed_source *script_new(struct script *s, const struct feed_opts *o);

#endif
