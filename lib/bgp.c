/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The shared verdict and session helpers declared in bgp.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bgp.h"
#include "json.h"

enum verdict_action
verdict_set(struct verdict *v, enum verdict_action action, uint8_t code,
    uint8_t subcode, const uint8_t *data, size_t datalen, const char *fmt, ...)
{
	va_list ap;

	/* RFC 7606 §3: the most severe approach found wins. */
	if (action <= v->action)
		return v->action;
	v->action = action;
	v->code = code;
	v->subcode = subcode;
	v->data = data;
	v->datalen = datalen;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
	return v->action;
}

void
verdict_clear(struct verdict *v)
{
	/* Per message and per RIB entry: the fields, not the whole reason. */
	v->action = VERDICT_OK;
	v->code = 0;
	v->subcode = 0;
	v->data = NULL;
	v->datalen = 0;
	v->reason[0] = '\0';
}

const char *
verdict_action_name(enum verdict_action action)
{
	switch (action) {
	case VERDICT_OK:
		return "ok";
	case VERDICT_ATTR_DISCARD:
		return "attribute-discard";
	case VERDICT_TREAT_AS_WITHDRAW:
		return "treat-as-withdraw";
	case VERDICT_AFI_SAFI_DISABLE:
		return "afi-safi-disable";
	case VERDICT_SESSION_RESET:
		return "session-reset";
	}
	return "unknown";
}

void
verdict_json_fields(const struct verdict *v, struct json *j)
{
	json_str(j, "action", verdict_action_name(v->action));
	json_uint(j, "code", v->code);
	json_uint(j, "subcode", v->subcode);
	json_str(j, "reason", v->reason);
	if (v->data != NULL && v->datalen > 0)
		json_hex(j, "data", v->data, v->datalen);
}

int
sess_family(uint16_t afi, uint8_t safi)
{
	if (afi == AFI_IPV4 && safi == SAFI_UNICAST)
		return FAM_IPV4_UNICAST;
	if (afi == AFI_IPV6 && safi == SAFI_UNICAST)
		return FAM_IPV6_UNICAST;
	if (afi == AFI_IPV4 && safi == SAFI_MULTICAST)
		return FAM_IPV4_MULTICAST;
	if (afi == AFI_IPV6 && safi == SAFI_MULTICAST)
		return FAM_IPV6_MULTICAST;
	return -1;
}

bool
sess_addpath(const struct bgp_sess *s, uint16_t afi, uint8_t safi)
{
	int fam = sess_family(afi, safi);

	if (s == NULL || fam < 0)
		return false;
	return (s->addpath_rx & (1u << fam)) != 0;
}

const char *
afi_name(uint16_t afi)
{
	switch (afi) {
	case AFI_IPV4:
		return "ipv4";
	case AFI_IPV6:
		return "ipv6";
	case AFI_L2VPN:
		return "l2vpn";
	case AFI_BGPLS:
		return "bgp-ls";
	}
	return NULL;
}

const char *
safi_name(uint8_t safi)
{
	switch (safi) {
	case SAFI_UNICAST:
		return "unicast";
	case SAFI_MULTICAST:
		return "multicast";
	case SAFI_MPLS_LABEL:
		return "labeled-unicast";
	case SAFI_MCAST_VPN:
		return "mcast-vpn";
	case SAFI_VPLS:
		return "vpls";
	case 66:
		return "mdt"; /* RFC 6037 */
	case 67:
		return "4over6"; /* RFC 5747 */
	case 68:
		return "6over4";
	case 69:
		return "l1vpn-auto-discovery"; /* RFC 5195 */
	case SAFI_EVPN:
		return "evpn";
	case SAFI_BGPLS:
		return "bgp-ls";
	case 72:
		return "bgp-ls-vpn"; /* RFC 9552 */
	case 73:
		return "sr-te-policy"; /* RFC 9830 */
	case 74:
		return "sd-wan-capabilities";
	case 76:
		return "classful-transport"; /* RFC 9832 */
	case 77:
		return "tunneled-traffic-flowspec";
	case 78:
		return "mcast-tree";
	case 79:
		return "bgp-dps";
	case 80:
		return "bgp-ls-spf";
	case 83:
		return "bgp-car";
	case 84:
		return "bgp-vpn-car";
	case 85:
		return "bgp-mup";
	case SAFI_MPLS_VPN:
		return "mpls-vpn";
	case SAFI_VPN_MCAST:
		return "mpls-vpn-multicast";
	case SAFI_RTC:
		return "rtc";
	case SAFI_FLOWSPEC:
		return "flowspec";
	case SAFI_FLOWSPEC_VPN:
		return "flowspec-vpn";
	case 140:
		return "vpn-auto-discovery";
	}
	return NULL;
}
