/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Fuzz target for the OPEN body decoder (open_parse(), open_json(),
 * open_negotiate()). The input is an OPEN body as it follows the header.
 *
 * Invariants: a rejected OPEN is a session reset with a header (1) or
 * OPEN (2) error code; an accepted one gives valid JSON, lists within
 * their bounds, and a negotiation against an OPEN advertising everything
 * that follows the peer's capabilities (RFC 5492 §3) and sets ADD-PATH
 * only for families bgpwatch asked for.
 *
 * Public: LLVMFuzzerTestOneInput().
 */
#include <string.h>

#include "bgp.h"
#include "fuzz_check.h"
#include "json.h"
#include "open.h"
#include "rbuf.h"
#include "wbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_open_json(const struct open_msg *o)
{
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 1u << 20);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	open_json(o, &j);
	json_obj_close(&j);
	fuzz_require(
	    json_finish(&j) == 0 && !wbuf_error(&w), "OPEN JSON complete");
	fuzz_require(memchr(wbuf_data(&w), '\n', wbuf_len(&w)) == NULL,
	    "no newline in the OPEN JSON");
	fuzz_require(
	    fuzz_json_valid(wbuf_data(&w), wbuf_len(&w)), "OPEN JSON valid");
	wbuf_free(&w);
}

static void
fuzz_open_negotiate(const struct open_msg *o)
{
	struct open_params ours;
	struct bgp_sess s;

	memset(&ours, 0, sizeof(ours));
	ours.local_as = 65000;
	ours.bgp_id = 0xc0000201;
	ours.holdtime = 90;
	ours.ipv4_unicast = true;
	ours.ipv6_unicast = true;
	ours.addpath_recv = true;
	ours.ext_msg = true;
	ours.route_refresh = true;
	open_negotiate(&ours, o, &s);
	fuzz_require(s.as4 == o->has_as4, "4-octet AS follows the peer");
	fuzz_require(s.ext_msg == o->ext_msg, "extended messages follow");
	fuzz_require(
	    (s.addpath_rx &
	        ~((1u << FAM_IPV4_UNICAST) | (1u << FAM_IPV6_UNICAST))) == 0,
	    "ADD-PATH only for the unicast families we asked for");
	fuzz_require(s.addpath_rx == 0 || o->has_addpath,
	    "ADD-PATH only when the peer sent the capability");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct open_msg o;
	struct verdict v;
	struct rbuf r;

	rbuf_init(&r, data, size);
	if (open_parse(&r, &o, &v, NULL) != 0) {
		fuzz_require(v.action == VERDICT_SESSION_RESET &&
		        (v.code == BGP_ERR_HEADER || v.code == BGP_ERR_OPEN),
		    "a rejected OPEN is a NOTIFICATION 1/x or 2/x");
		return 0;
	}
	fuzz_require(o.n_mp <= OPEN_MAX_FAMILIES &&
	        o.n_addpath <= OPEN_MAX_FAMILIES &&
	        o.n_gr <= OPEN_MAX_FAMILIES && o.n_extnh <= OPEN_MAX_FAMILIES &&
	        o.n_unknown <= OPEN_MAX_UNKNOWN,
	    "capability lists within bounds");
	fuzz_require(o.holdtime == 0 || o.holdtime >= 3,
	    "hold time 0 or at least 3 (RFC 4271 §6.2)");
	fuzz_open_json(&o);
	fuzz_open_negotiate(&o);
	return 0;
}
