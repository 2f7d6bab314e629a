/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Benchmark of the watch stage: a synthetic full table (1.2M IPv4 routes)
 * through struct rib into lib/watch with 100,000 watched prefixes, first
 * without and then with the watch attached (the difference is the cost of
 * the lookup on unwatched routes); then 200,000 changes of watched routes,
 * each timed from rib_update() to the last byte of its events' JSON lines
 * (latency percentiles and events per second).
 *
 * usage: bench_watch [ROUTES [WATCHED]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rib.h"
#include "watch.h"

struct bench {
	struct rib_attrtab *tab;
	struct watch *w;
	struct watch_peer *wp;
	struct rib *rib;
	int64_t now;
	struct wbuf line, msg;
	uint64_t events, bytes;
};

static uint32_t rstate = 2463534242u;

static uint32_t
rnd(void)
{
	rstate ^= rstate << 13;
	rstate ^= rstate >> 17;
	rstate ^= rstate << 5;
	return rstate;
}

/*
 * Seconds of CPU time of this process: on a shared (loaded) machine wall
 * time measures the neighbours; the latency loop reports both.
 */
static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Each event becomes a JSON line, as the output module would write it. */
static void
on_event(void *arg, const struct watch_event *ev)
{
	struct bench *b = arg;
	struct json j;

	wbuf_reset(&b->line);
	wbuf_reset(&b->msg);
	watch_event_message(ev, &b->msg);
	json_init(&j, &b->line);
	json_obj_open(&j, NULL);
	json_str(&j, "action", watch_action_name(ev->action));
	json_strn(&j, "message", wbuf_data(&b->msg), wbuf_len(&b->msg));
	json_obj_open(&j, "bgpwatch");
	watch_peer_json(ev->peer, &j);
	watch_event_json(ev, &j);
	json_obj_close(&j);
	json_obj_close(&j);
	wbuf_put_u8(&b->line, '\n');
	b->events++;
	b->bytes += wbuf_len(&b->line);
}

static void
on_delta(void *arg, const struct rib_delta *d)
{
	struct bench *b = arg;

	if (b->w != NULL)
		watch_route_delta(b->w, b->wp, d, b->now);
}

/* ORIGIN, AS_PATH 64500 up origin, NEXT_HOP: a canonical blob. */
static struct rib_attr *
path(struct bench *b, uint32_t up, uint32_t origin)
{
	uint8_t v[32] = { 0x40, 1, 1, 0, 0x40, 2, 14, 2, 3 };
	uint32_t as[3] = { 64500, up, origin };
	size_t n = 9, i;

	for (i = 0; i < 3; i++) {
		v[n++] = (uint8_t)(as[i] >> 24);
		v[n++] = (uint8_t)(as[i] >> 16);
		v[n++] = (uint8_t)(as[i] >> 8);
		v[n++] = (uint8_t)as[i];
	}
	memcpy(v + n, "\x40\x03\x04\xc0\x00\x02\x01", 7);
	return rib_attr_intern(b->tab, v, n + 7);
}

static struct prefix
table_prefix(size_t i)
{
	struct prefix p;
	uint32_t a = (uint32_t)(i * 2654435761u) ^ rnd();

	memset(&p, 0, sizeof(p));
	p.afi = AFI_IPV4;
	p.len = (uint8_t)(rnd() % 10 < 6 ? 24 : 16 + rnd() % 8);
	p.addr[0] = (uint8_t)(1 + (a >> 24) % 223);
	p.addr[1] = (uint8_t)(a >> 16);
	p.addr[2] = (uint8_t)(a >> 8);
	prefix_mask(&p);
	return p;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Push the table: returns the seconds it took. */
static double
load(struct bench *b, struct prefix *tbl, size_t n, struct rib_attr **paths)
{
	double t0 = cpu();
	size_t i;

	for (i = 0; i < n; i++)
		(void)rib_update(
		    b->rib, SAFI_UNICAST, &tbl[i], 0, paths[i % 64]);
	return cpu() - t0;
}

int
main(int argc, char *argv[])
{
	size_t nroutes = argc > 1 ? strtoul(argv[1], NULL, 10) : 1200000;
	size_t nwatch = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	struct prefix *tbl = calloc(nroutes, sizeof(*tbl));
	struct rib_attr *paths[64], *alt[2];
	struct watch_peer_info info;
	struct watch_conf conf;
	struct watch_stats st;
	struct bench b;
	double t_rib, t_watch, t0, w0, *lat, *clat;
	size_t i, k, nlat = 200000;
	uint64_t ev0;

	if (tbl == NULL || nwatch > nroutes)
		return 2;
	memset(&b, 0, sizeof(b));
	b.tab = rib_attrtab_new();
	for (i = 0; i < 64; i++)
		paths[i] = path(&b, 100 + (uint32_t)i, 65000 + (uint32_t)i);
	alt[0] = path(&b, 4837, 131279);
	alt[1] = path(&b, 20485, 131279);
	for (i = 0; i < nroutes; i++)
		tbl[i] = table_prefix(i);

	/* 1. The RIB alone. */
	b.rib = rib_new(b.tab);
	rib_set_delta_cb(b.rib, on_delta, &b);
	t_rib = load(&b, tbl, nroutes, paths);
	rib_free(b.rib);

	/* 2. The same with the watch; every nroutes/nwatch-th is watched. */
	b.w = watch_new(NULL, on_event, &b);
	wbuf_init_dyn(&b.line, 0);
	wbuf_init_dyn(&b.msg, 0);
	watch_conf_init(&conf, "big");
	for (i = 0; i < nwatch; i++)
		(void)watch_conf_add_prefix(
		    &conf, &tbl[i * (nroutes / nwatch)], WATCH_MATCH_EXACT);
	if (watch_reconf(b.w, &conf, 1, 0, NULL) == -1)
		return 1;
	watch_conf_free(&conf);
	b.rib = rib_new(b.tab);
	rib_set_delta_cb(b.rib, on_delta, &b);
	memset(&info, 0, sizeof(info));
	info.afi = AFI_IPV4;
	info.addr[0] = 192, info.addr[2] = 2, info.addr[3] = 1;
	info.as = 64500;
	b.wp = watch_peer_add(b.w, &info, b.rib);
	b.now = 1000;
	watch_peer_up(b.w, b.wp, 0, b.now);
	t_watch = load(&b, tbl, nroutes, paths);
	watch_peer_synced(b.w, b.wp, AFI_IPV4, SAFI_UNICAST, b.now);
	watch_stats(b.w, &st);
	printf("table: %zu routes, %zu watched prefixes (%zu states)\n",
	    nroutes, nwatch, st.prefixes);
	printf("  rib only       %.3f s CPU (%.0f ns/route)\n", t_rib,
	    1e9 * t_rib / (double)nroutes);
	printf("  rib + watch    %.3f s CPU (%.0f ns/route, +%.0f ns)\n",
	    t_watch, 1e9 * t_watch / (double)nroutes,
	    1e9 * (t_watch - t_rib) / (double)nroutes);
	printf("  watch memory   %zu bytes (%zu trie nodes)\n", st.mem,
	    st.trie_nodes);

	/* 3. Changes of watched routes, each timed to its last JSON byte. */
	if ((lat = calloc(nlat, sizeof(*lat))) == NULL ||
	    (clat = calloc(nlat, sizeof(*clat))) == NULL)
		return 2;
	ev0 = b.events;
	b.bytes = 0;
	t0 = cpu();
	w0 = wall();
	for (i = 0; i < nlat; i++) {
		double s = wall(), c = cpu();

		k = (rnd() % nwatch) * (nroutes / nwatch);
		b.now += 1;
		(void)rib_update(b.rib, SAFI_UNICAST, &tbl[k], 0, alt[i & 1]);
		clat[i] = cpu() - c;
		lat[i] = wall() - s;
	}
	t0 = cpu() - t0;
	w0 = wall() - w0;
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	qsort(clat, nlat, sizeof(*clat), cmp_double);
	printf("watched changes: %zu, %llu events, %.3f s CPU (%.3f s wall): "
	       "%.0f events/s, %.0f MB/s of JSON\n",
	    nlat, (unsigned long long)(b.events - ev0), t0, w0,
	    (double)(b.events - ev0) / t0, (double)b.bytes / t0 / 1e6);
	printf("  rib_update -> JSON, CPU:  p50 %.1f us, p99 %.1f us, "
	       "max %.1f us\n",
	    1e6 * clat[nlat / 2], 1e6 * clat[nlat * 99 / 100],
	    1e6 * clat[nlat - 1]);
	printf("  rib_update -> JSON, wall: p50 %.1f us, p99 %.1f us, "
	       "max %.1f us\n",
	    1e6 * lat[nlat / 2], 1e6 * lat[nlat * 99 / 100],
	    1e6 * lat[nlat - 1]);
	watch_free(b.w);
	rib_free(b.rib);
	for (i = 0; i < 64; i++)
		rib_attr_unref(b.tab, paths[i]);
	rib_attr_unref(b.tab, alt[0]);
	rib_attr_unref(b.tab, alt[1]);
	rib_attrtab_free(b.tab);
	wbuf_free(&b.line);
	wbuf_free(&b.msg);
	free(lat);
	free(clat);
	free(tbl);
	return 0;
}
