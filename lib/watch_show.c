/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * `show watch [NAME]`: the state of each watch as JSON objects and as a
 * human table. Counts shown per prefix are of the routes the RIBs hold
 * now; visibility is the alert state. See watch.h.
 */
#include <stdlib.h>
#include <string.h>

#include "watch_int.h"

static const char *
wshow_vis(uint8_t vis)
{
	switch (vis) {
	case WV_UP:
		return "up";
	case WV_DOWN:
		return "down";
	}
	return "unknown";
}

static const char *
wshow_upstate(uint8_t st)
{
	switch (st) {
	case WU_PRESENT:
		return "present";
	case WU_HOLD:
		return "hold-down";
	}
	return "absent";
}

static void
wshow_time(struct json *j, const char *key, int64_t ms)
{
	char buf[40];

	if (ms < 0) {
		json_null(j, key);
		return;
	}
	watch_fmt_time(ms, buf, sizeof(buf));
	json_str(j, key, buf);
}

/* Distinct peers and origins (into tmp, sorted) of pf's live routes. */
static uint32_t
wshow_live(const struct wpfx *pf, uint32_t *tmp, size_t *norig, bool *unk)
{
	uint32_t peers = 0, last = UINT32_MAX;
	size_t i, k, n = 0;

	*unk = false;
	for (i = 0; i < pf->nr; i++) {
		if (pf->r[i].flags & WR_GHOST)
			continue;
		if (pf->r[i].peer != last)
			peers++;
		last = pf->r[i].peer;
		if (!(pf->r[i].flags & WR_ORIGIN)) {
			*unk = true;
			continue;
		}
		for (k = 0; k < n && tmp[k] < pf->r[i].origin; k++)
			;
		if (k < n && tmp[k] == pf->r[i].origin)
			continue;
		memmove(tmp + k + 1, tmp + k, (n - k) * sizeof(*tmp));
		tmp[k] = pf->r[i].origin;
		n++;
	}
	*norig = n;
	return peers;
}

static int
wshow_pfx_cmp(const void *a, const void *b)
{
	const struct wpfx *const *x = a, *const *y = b;

	return prefix_cmp(&(*x)->p, &(*y)->p);
}

/* ww's states sorted by prefix (caller frees); NULL when there are none. */
static struct wpfx **
wshow_sorted(const struct wwatch *ww)
{
	struct wpfx **v;

	if (ww->npfx == 0)
		return NULL;
	if ((v = calloc(ww->npfx, sizeof(*v))) == NULL)
		watch_fatal(__func__, "out of memory");
	memcpy(v, ww->pfx, ww->npfx * sizeof(*v));
	qsort(v, ww->npfx, sizeof(*v), wshow_pfx_cmp);
	return v;
}

static size_t
wshow_maxroutes(const struct wwatch *ww)
{
	size_t i, m = 1;

	for (i = 0; i < ww->npfx; i++)
		if (ww->pfx[i]->nr > m)
			m = ww->pfx[i]->nr;
	return m;
}

/* JSON. */

static void
wshow_json_as(struct json *j, const char *key, const uint32_t *a, size_t n)
{
	size_t i;

	json_arr_open(j, key);
	for (i = 0; i < n; i++)
		json_uint(j, NULL, a[i]);
	json_arr_close(j);
}

static void
wshow_json_conf(const struct watch_conf *c, struct json *j)
{
	char buf[PREFIX_STRLEN];
	size_t i;

	json_obj_open(j, "config");
	json_arr_open(j, "prefixes");
	for (i = 0; i < c->nprefixes; i++) {
		json_obj_open(j, NULL);
		json_str(j, "prefix",
		    prefix_fmt(&c->prefixes[i].prefix, buf, sizeof(buf)));
		json_str(j, "match", watch_match_name(c->prefixes[i].match));
		json_obj_close(j);
	}
	json_arr_close(j);
	json_str(j, "prefix_file", c->prefix_file);
	wshow_json_as(j, "origin_as", c->origin_as, c->norigin_as);
	wshow_json_as(j, "expect_origin", c->expect_origin, c->nexpect_origin);
	wshow_json_as(
	    j, "expect_upstream", c->expect_upstream, c->nexpect_upstream);
	json_uint(j, "hold_down", c->hold_down);
	json_uint(j, "min_peers", c->min_peers);
	json_arr_open(j, "ignore_neighbors");
	for (i = 0; i < c->nignore; i++)
		json_str(j, NULL,
		    addr_fmt(
		        c->ignore[i].afi, c->ignore[i].addr, buf, sizeof(buf)));
	json_arr_close(j);
	json_obj_close(j);
}

static void
wshow_json_aggs(const struct wwatch *ww, struct json *j)
{
	const struct wagg *a;
	size_t i;

	json_arr_open(j, "origins");
	for (i = 0; i < ww->norigins; i++) {
		a = &ww->origins[i];
		json_obj_open(j, NULL);
		json_uint(j, "as", a->as);
		json_uint(j, "routes", a->routes);
		wshow_time(j, "first_seen", a->first_seen);
		wshow_time(j, "last_seen", a->routes > 0 ? -1 : a->last_seen);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "upstreams");
	for (i = 0; i < ww->nups; i++) {
		a = &ww->ups[i];
		json_obj_open(j, NULL);
		json_uint(j, "as", a->as);
		json_uint(j, "routes", a->routes);
		json_double(j, "ratio",
		    ww->nroutes == 0 ? 0.0
		                     : (double)a->routes / (double)ww->nroutes,
		    4);
		json_bool(j, "in_baseline",
		    watch_asset_has(ww->baseline, ww->nbaseline, a->as));
		wshow_time(j, "first_seen", a->first_seen);
		wshow_time(j, "last_seen", a->routes > 0 ? -1 : a->last_seen);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void
wshow_json_pfx(const struct wpfx *pf, uint32_t *tmp, struct json *j)
{
	char buf[PREFIX_STRLEN];
	const struct wup *e;
	size_t i, norig;
	uint32_t peers;
	bool unk;

	peers = wshow_live(pf, tmp, &norig, &unk);
	json_obj_open(j, NULL);
	json_str(j, "prefix", prefix_fmt(&pf->p, buf, sizeof(buf)));
	json_str(j, "line", prefix_fmt(&pf->line.prefix, buf, sizeof(buf)));
	json_str(j, "match", watch_match_name(pf->line.match));
	json_uint(j, "peers", peers);
	json_uint(j, "routes", pf->nlive);
	json_str(j, "visibility", wshow_vis(pf->vis));
	wshow_json_as(j, "origins", tmp, norig);
	json_bool(j, "origin_unknown", unk);
	wshow_time(j, "first_seen", pf->first_seen);
	wshow_time(j, "last_change", pf->last_change);
	json_arr_open(j, "upstreams");
	for (i = 0; i < pf->nup; i++) {
		e = &pf->up[i];
		json_obj_open(j, NULL);
		json_uint(j, "as", e->as);
		json_str(j, "state", wshow_upstate(e->state));
		json_bool(j, "flapping", e->flapping);
		json_uint(j, "flaps", e->flaps);
		wshow_time(j, "last_flap", e->last_flap);
		wshow_time(
		    j, "hold_until", e->state == WU_HOLD ? e->deadline : -1);
		wshow_time(j, "first_seen", e->first_seen);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static void
wshow_json_one(const struct wwatch *ww, bool detail, struct json *j)
{
	struct wpfx **v;
	uint32_t *tmp;
	size_t i, seen = 0, visible = 0;

	for (i = 0; i < ww->npfx; i++) {
		seen += ww->pfx[i]->first_seen >= 0;
		visible += ww->pfx[i]->vis == WV_UP;
	}
	json_obj_open(j, NULL);
	json_str(j, "name", ww->conf.name);
	json_bool(j, "armed", ww->armed);
	wshow_time(j, "armed_at", ww->armed ? ww->armed_time : -1);
	wshow_json_conf(&ww->conf, j);
	json_obj_open(j, "baseline");
	json_str(
	    j, "source", ww->baseline_configured ? "configured" : "learned");
	wshow_json_as(j, "upstreams", ww->baseline, ww->nbaseline);
	json_obj_close(j);
	json_uint(j, "routes", ww->nroutes);
	json_uint(j, "prefixes", ww->npfx);
	json_uint(j, "prefixes_seen", seen);
	json_uint(j, "prefixes_visible", visible);
	json_uint(j, "alerts", ww->alerts);
	wshow_json_aggs(ww, j);
	if (detail) {
		if ((tmp = calloc(wshow_maxroutes(ww), sizeof(*tmp))) == NULL)
			watch_fatal(__func__, "out of memory");
		v = wshow_sorted(ww);
		json_arr_open(j, "prefix_states");
		for (i = 0; i < ww->npfx; i++)
			wshow_json_pfx(v[i], tmp, j);
		json_arr_close(j);
		free(v);
		free(tmp);
	}
	json_obj_close(j);
}

size_t
watch_show_json(
    const struct watch *w, const char *name, bool detail, struct json *j)
{
	size_t i, n = 0;

	for (i = 0; i < w->nwatches; i++) {
		if (name != NULL && strcmp(w->watches[i]->conf.name, name) != 0)
			continue;
		wshow_json_one(w->watches[i], detail, j);
		n++;
	}
	return n;
}

/* Text. */

static void
wshow_text_set(struct wbuf *out, const uint32_t *a, size_t n)
{
	size_t i;

	if (n == 0)
		wbuf_printf(out, "-");
	for (i = 0; i < n; i++)
		wbuf_printf(out, "%s%u", i > 0 ? "," : "", a[i]);
}

static void
wshow_text_head(const struct wwatch *ww, struct wbuf *out)
{
	char buf[64];
	size_t i;

	wbuf_printf(out, "watch %s: ", ww->conf.name);
	if (ww->armed) {
		watch_fmt_time(ww->armed_time, buf, sizeof(buf));
		wbuf_printf(out, "armed %s, ", buf);
	} else
		wbuf_printf(out, "not armed (initial transfer), ");
	wbuf_printf(out, "baseline %s ",
	    ww->baseline_configured ? "configured" : "learned");
	wshow_text_set(out, ww->baseline, ww->nbaseline);
	wbuf_printf(out, "\n  lines:");
	for (i = 0; i < ww->conf.nprefixes; i++) {
		watch_line_fmt(&ww->conf.prefixes[i], buf, sizeof(buf));
		wbuf_printf(out, "%s %s", i > 0 ? "," : "", buf);
	}
	if (ww->conf.norigin_as > 0) {
		wbuf_printf(
		    out, "%s origin-as ", ww->conf.nprefixes ? "," : "");
		wshow_text_set(out, ww->conf.origin_as, ww->conf.norigin_as);
	}
	wbuf_printf(out, "; hold-down %u s; min-peers %u\n", ww->conf.hold_down,
	    ww->conf.min_peers);
	wbuf_printf(out, "  %llu routes on %zu prefixes; %llu alerts\n",
	    (unsigned long long)ww->nroutes, ww->npfx,
	    (unsigned long long)ww->alerts);
}

static void
wshow_text_aggs(const struct wwatch *ww, struct wbuf *out)
{
	char buf[40];
	size_t i;

	wbuf_printf(out, "  %-10s %8s\n", "origin", "routes");
	for (i = 0; i < ww->norigins; i++)
		wbuf_printf(out, "  %-10u %8llu\n", ww->origins[i].as,
		    (unsigned long long)ww->origins[i].routes);
	wbuf_printf(out, "  %-10s %8s %7s %-8s %s\n", "upstream", "routes",
	    "share", "baseline", "first seen");
	for (i = 0; i < ww->nups; i++) {
		watch_fmt_time(ww->ups[i].first_seen, buf, sizeof(buf));
		wbuf_printf(out, "  %-10u %8llu %6.1f%% %-8s %s\n",
		    ww->ups[i].as, (unsigned long long)ww->ups[i].routes,
		    ww->nroutes == 0 ? 0.0
		                     : 100.0 * (double)ww->ups[i].routes /
		            (double)ww->nroutes,
		    watch_asset_has(ww->baseline, ww->nbaseline, ww->ups[i].as)
		        ? "yes"
		        : "no",
		    buf);
	}
}

/* One prefix line: upstreams as AS, "AS~" in hold-down, "AS*N" flapping. */
static void
wshow_text_pfx(const struct wpfx *pf, uint32_t *tmp, struct wbuf *out)
{
	char buf[PREFIX_STRLEN];
	size_t i, norig, k = 0;
	uint32_t peers;
	bool unk;

	peers = wshow_live(pf, tmp, &norig, &unk);
	wbuf_printf(out, "  %-24s %5u %-8s ",
	    prefix_fmt(&pf->p, buf, sizeof(buf)), peers, wshow_vis(pf->vis));
	wshow_text_set(out, tmp, norig);
	wbuf_printf(out, "%s ", unk ? ",?" : "");
	for (i = 0; i < pf->nup; i++) {
		if (pf->up[i].state == WU_ABSENT && !pf->up[i].flapping)
			continue;
		wbuf_printf(out, "%s%u%s", k++ > 0 ? "," : "", pf->up[i].as,
		    pf->up[i].state == WU_HOLD ? "~" : "");
		if (pf->up[i].flapping)
			wbuf_printf(out, "*%u", pf->up[i].flaps);
	}
	if (k == 0)
		wbuf_printf(out, "-");
	wbuf_printf(out, "\n");
}

size_t
watch_show_text(
    const struct watch *w, const char *name, bool detail, struct wbuf *out)
{
	const struct wwatch *ww;
	struct wpfx **v;
	uint32_t *tmp;
	size_t i, k, n = 0;

	for (i = 0; i < w->nwatches; i++) {
		ww = w->watches[i];
		if (name != NULL && strcmp(ww->conf.name, name) != 0)
			continue;
		wshow_text_head(ww, out);
		wshow_text_aggs(ww, out);
		if (detail && ww->npfx > 0) {
			if ((tmp = calloc(wshow_maxroutes(ww), sizeof(*tmp))) ==
			    NULL)
				watch_fatal(__func__, "out of memory");
			v = wshow_sorted(ww);
			wbuf_printf(out, "  %-24s %5s %-8s %s\n", "prefix",
			    "peers", "visible", "origins upstreams");
			for (k = 0; k < ww->npfx; k++)
				wshow_text_pfx(v[k], tmp, out);
			free(v);
			free(tmp);
		}
		n++;
	}
	return n;
}
