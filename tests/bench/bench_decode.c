/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Decode benchmark (not a test): every UPDATE of the BGP4MP records of the
 * MRT files given (RFC 6396 §4.4; plain or gzip) is loaded into memory
 * first; then update_parse() plus a walk of every prefix, and separately
 * the same plus update_json(), run over all of them for N rounds on one
 * thread. Prints messages/s, prefixes/s and ns/prefix for each, in CPU
 * time.
 *
 * Usage: bench_decode [-n rounds] [-m walk|json] file ...
 * (-m runs only that measurement, for profiling one of them.)
 *
 * Public: main().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "bgp.h"
#include "json.h"
#include "mrt.h"
#include "msg.h"
#include "prefix.h"
#include "rbuf.h"
#include "update.h"
#include "wbuf.h"

#define BENCH_ROUNDS 20

struct bench_msg {
	size_t off; /* of the message in the arena */
	size_t len;
	struct bgp_sess sess;
};

struct bench_set {
	struct wbuf arena; /* every UPDATE, header included, back to back */
	struct bench_msg *msgs;
	size_t n, cap;
	size_t prefixes; /* per round */
};

/* Read a whole (gzip or plain) file into *w. 0 or -1. */
static int
bench_slurp(const char *path, struct wbuf *w)
{
	uint8_t buf[65536];
	gzFile f;
	int n;

	if ((f = gzopen(path, "rb")) == NULL) {
		fprintf(
		    stderr, "bench_decode: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = gzread(f, buf, sizeof(buf))) > 0)
		wbuf_put_bytes(w, buf, (size_t)n);
	gzclose(f);
	if (n < 0 || wbuf_error(w)) {
		fprintf(stderr, "bench_decode: %s: read failed\n", path);
		return -1;
	}
	return 0;
}

static void
bench_add(struct bench_set *set, const struct mrt_bgp4mp *m)
{
	struct bench_msg *bm;

	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 4096;
		set->msgs = realloc(set->msgs, set->cap * sizeof(*set->msgs));
		if (set->msgs == NULL) {
			fprintf(stderr, "bench_decode: out of memory\n");
			exit(1);
		}
	}
	bm = &set->msgs[set->n++];
	bm->off = wbuf_len(&set->arena);
	bm->len = m->msglen;
	memset(&bm->sess, 0, sizeof(bm->sess));
	bm->sess.as4 = m->as4;
	/* RFC 8654: a longer message means extended messages were agreed. */
	bm->sess.ext_msg = m->msglen > BGP_MAX_LEN;
	bm->sess.addpath_rx = m->addpath ? (1u << FAM_COUNT) - 1 : 0;
	wbuf_put_bytes(&set->arena, m->msg, m->msglen);
}

/* Keep a BGP4MP message record if it holds an UPDATE with a good header. */
static void
bench_record(struct bench_set *set, const struct mrt_record *rec)
{
	struct mrt_bgp4mp m;
	struct msg_hdr h;
	struct verdict v;
	struct bgp_sess s = { .as4 = true, .ext_msg = true };
	struct rbuf r;
	const char *why;

	if (rec->type != MRT_BGP4MP && rec->type != MRT_BGP4MP_ET)
		return;
	if (mrt_bgp4mp_parse(rec, &m, &why) != 0 || m.is_state || !m.has_hdr)
		return;
	rbuf_init(&r, m.msg, m.msglen);
	if (msg_hdr_parse(&r, &s, &h, &v, NULL) != 0 ||
	    h.type != BGP_MSG_UPDATE || h.len != m.msglen)
		return;
	bench_add(set, &m);
}

static int
bench_load(const char *path, struct bench_set *set)
{
	struct mrt_reader rd;
	struct mrt_record rec;
	struct wbuf file;
	int rc;

	wbuf_init_dyn(&file, 0);
	if (bench_slurp(path, &file) == -1) {
		wbuf_free(&file);
		return -1;
	}
	mrt_reader_init_mem(&rd, wbuf_data(&file), wbuf_len(&file), NULL, NULL);
	while ((rc = mrt_next(&rd, &rec)) == 1)
		bench_record(set, &rec);
	mrt_reader_free(&rd);
	wbuf_free(&file);
	if (rc < 0 || wbuf_error(&set->arena)) {
		fprintf(stderr, "bench_decode: %s: out of memory\n", path);
		return -1;
	}
	return 0;
}

/* Walk one part; fold every prefix into *sink so none is optimised out. */
static size_t
bench_walk(const struct update *u, enum update_part part, uint64_t *sink)
{
	struct update_iter it;
	struct prefix p;
	uint32_t path_id;
	uint8_t safi;
	size_t n = 0;

	update_iter_init(&it, u, part);
	while (update_iter_next(&it, &p, &path_id, &safi)) {
		*sink += p.len + p.addr[0] + path_id;
		n++;
	}
	return n;
}

/* One pass over every message; returns the prefixes walked. */
static size_t
bench_round(const struct bench_set *set, struct wbuf *out, uint64_t *sink)
{
	const uint8_t *base = wbuf_data(&set->arena);
	const struct bench_msg *m;
	struct update u;
	struct json j;
	size_t i, n = 0;

	for (i = 0; i < set->n; i++) {
		m = &set->msgs[i];
		if (update_parse(base + m->off + BGP_HDR_LEN,
		        m->len - BGP_HDR_LEN, &m->sess, &u, NULL) != 0)
			continue;
		n += bench_walk(&u, UPDATE_WITHDRAWN, sink);
		n += bench_walk(&u, UPDATE_ANNOUNCED, sink);
		if (out == NULL)
			continue;
		wbuf_reset(out);
		json_init(&j, out);
		json_obj_open(&j, NULL);
		update_json(&u, &j);
		json_obj_close(&j);
		*sink += wbuf_len(out);
	}
	return n;
}

/*
 * CPU time of this (single-threaded) process: on a shared machine the
 * figures then do not depend on how often the scheduler ran others.
 */
static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bench_time(const char *label, const struct bench_set *set, int rounds,
    struct wbuf *out)
{
	uint64_t sink = 0;
	size_t prefixes = 0;
	double t0, dt;
	int i;

	(void)bench_round(set, out, &sink); /* warm the caches */
	t0 = bench_now();
	for (i = 0; i < rounds; i++)
		prefixes += bench_round(set, out, &sink);
	dt = bench_now() - t0;
	printf("%-18s %12.0f msgs/s %12.0f prefixes/s %8.1f ns/prefix "
	       "(%.3f s CPU, sink %llu)\n",
	    label, (double)set->n * rounds / dt, (double)prefixes / dt,
	    dt * 1e9 / (double)prefixes, dt, (unsigned long long)(sink & 0xff));
}

int
main(int argc, char **argv)
{
	struct bench_set set;
	struct wbuf out;
	uint64_t sink = 0;
	const char *mode = "";
	int ch, rounds = BENCH_ROUNDS, i;

	while ((ch = getopt(argc, argv, "m:n:")) != -1) {
		if (ch == 'm')
			mode = optarg;
		else if (ch != 'n' || (rounds = atoi(optarg)) < 1) {
			fprintf(stderr,
			    "usage: bench_decode [-n rounds] "
			    "[-m walk|json] file ...\n");
			return 2;
		}
	}
	memset(&set, 0, sizeof(set));
	wbuf_init_dyn(&set.arena, 0);
	for (i = optind; i < argc; i++)
		if (bench_load(argv[i], &set) == -1)
			return 1;
	if (set.n == 0) {
		fprintf(stderr, "bench_decode: no UPDATE messages\n");
		return 1;
	}
	set.prefixes = bench_round(&set, NULL, &sink);
	printf("bench_decode: %zu UPDATEs (%zu octets), %zu prefixes per "
	       "round, %d rounds\n",
	    set.n, wbuf_len(&set.arena), set.prefixes, rounds);
	wbuf_init_dyn(&out, 0);
	if (strcmp(mode, "json") != 0)
		bench_time("parse+walk", &set, rounds, NULL);
	if (strcmp(mode, "walk") != 0)
		bench_time("parse+walk+json", &set, rounds, &out);
	wbuf_free(&out);
	wbuf_free(&set.arena);
	free(set.msgs);
	return 0;
}
