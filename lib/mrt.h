/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT (RFC 6396) record reading: framing of a byte stream into records with
 * resynchronisation after damage, and decoders for the record bodies that
 * carry BGP: TABLE_DUMP (§4.2), TABLE_DUMP_V2 (§4.3, RFC 8050 ADD-PATH),
 * BGP4MP and BGP4MP_ET (§4.4, §3), and the deprecated BGP type (§B.2.1).
 * No files here: bytes come from a caller-supplied read callback.
 *
 * Public: mrt_reader_init(), mrt_reader_init_mem(), mrt_reader_free(),
 *         mrt_next(), mrt_type_name(), mrt_hdr_plausible(),
 *         mrt_bgp4mp_parse(), mrt_bgp_parse(), mrt_peers_parse(),
 *         mrt_peers_free(), mrt_rib_parse(), mrt_rib_next(),
 *         mrt_td_init(), mrt_td_next().
 */
#ifndef BGPWATCH_MRT_H
#define BGPWATCH_MRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bgp.h"
#include "prefix.h"
#include "rbuf.h"

/* RFC 6396 §2: timestamp, type, subtype, length. */
#define MRT_HDR_LEN 12
/* Largest record we believe in: a framing plausibility bound, not RFC. */
#define MRT_MAX_LEN (16u * 1024 * 1024)
/* Timestamps of a resync candidate must lie this close to those seen. */
#define MRT_RESYNC_SLACK 86400u

/* RFC 6396 §4 and Appendix B (deprecated types). */
enum mrt_type {
	MRT_START = 1,
	MRT_DIE = 2,
	MRT_I_AM_DEAD = 3,
	MRT_PEER_DOWN = 4,
	MRT_BGP = 5,
	MRT_RIP = 6,
	MRT_IDRP = 7,
	MRT_RIPNG = 8,
	MRT_BGP4PLUS = 9,
	MRT_BGP4PLUS_01 = 10,
	MRT_OSPFV2 = 11,
	MRT_TABLE_DUMP = 12,
	MRT_TABLE_DUMP_V2 = 13,
	MRT_BGP4MP = 16,
	MRT_BGP4MP_ET = 17,
	MRT_ISIS = 32,
	MRT_ISIS_ET = 33,
	MRT_OSPFV3 = 48,
	MRT_OSPFV3_ET = 49,
	MRT_TYPE_MAX = 64 /* size of per-type counters */
};

/* TABLE_DUMP subtypes (§4.2). */
enum mrt_td_subtype {
	MRT_TD_AFI_IPV4 = 1,
	MRT_TD_AFI_IPV6 = 2,
};

/* TABLE_DUMP_V2 subtypes (§4.3, RFC 6397, RFC 8050 §4). */
enum mrt_td2_subtype {
	MRT_TD2_PEER_INDEX_TABLE = 1,
	MRT_TD2_RIB_IPV4_UNICAST = 2,
	MRT_TD2_RIB_IPV4_MULTICAST = 3,
	MRT_TD2_RIB_IPV6_UNICAST = 4,
	MRT_TD2_RIB_IPV6_MULTICAST = 5,
	MRT_TD2_RIB_GENERIC = 6,
	MRT_TD2_GEO_PEER_TABLE = 7,
	MRT_TD2_RIB_IPV4_UNICAST_ADDPATH = 8,
	MRT_TD2_RIB_IPV4_MULTICAST_ADDPATH = 9,
	MRT_TD2_RIB_IPV6_UNICAST_ADDPATH = 10,
	MRT_TD2_RIB_IPV6_MULTICAST_ADDPATH = 11,
	MRT_TD2_RIB_GENERIC_ADDPATH = 12,
};

/* BGP4MP and BGP4MP_ET subtypes (§4.4, RFC 8050 §3). */
enum mrt_bgp4mp_subtype {
	MRT_BGP4MP_STATE_CHANGE = 0,
	MRT_BGP4MP_MESSAGE = 1,
	MRT_BGP4MP_ENTRY = 2, /* deprecated, not decoded */
	MRT_BGP4MP_SNAPSHOT = 3, /* deprecated, not decoded */
	MRT_BGP4MP_MESSAGE_AS4 = 4,
	MRT_BGP4MP_STATE_CHANGE_AS4 = 5,
	MRT_BGP4MP_MESSAGE_LOCAL = 6,
	MRT_BGP4MP_MESSAGE_AS4_LOCAL = 7,
	MRT_BGP4MP_MESSAGE_ADDPATH = 8,
	MRT_BGP4MP_MESSAGE_AS4_ADDPATH = 9,
	MRT_BGP4MP_MESSAGE_LOCAL_ADDPATH = 10,
	MRT_BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH = 11,
};

/* Deprecated BGP type subtypes (§B.2.1). */
enum mrt_bgp_subtype {
	MRT_BGP_NULL = 0,
	MRT_BGP_UPDATE = 1,
	MRT_BGP_PREF_UPDATE = 2,
	MRT_BGP_STATE_CHANGE = 3,
	MRT_BGP_SYNC = 4,
	MRT_BGP_OPEN = 5,
	MRT_BGP_NOTIFY = 6,
	MRT_BGP_KEEPALIVE = 7,
};

/*
 * One record. body points into the reader's buffer and is valid until the
 * next mrt_next(). For the _ET types usec holds the microseconds and body
 * starts after them (RFC 6396 §3: they count in the length field).
 */
struct mrt_record {
	uint64_t off; /* of the header, in the (uncompressed) stream */
	uint32_t ts;
	uint32_t usec;
	uint16_t type;
	uint16_t subtype;
	const uint8_t *body;
	size_t len;
};

/* Fill buf with up to len bytes: count, 0 at the end, -1 on error. */
typedef ssize_t (*mrt_read_fn)(void *arg, void *buf, size_t len);
/*
 * Told of every damage found, with its offset in the stream. A read error
 * is told as exactly MRT_INPUT_ERROR (the caller knows the cause).
 */
typedef void (*mrt_warn_fn)(void *arg, uint64_t off, const char *msg);
#define MRT_INPUT_ERROR "input error"

struct mrt_stats {
	uint64_t records; /* returned by mrt_next() */
	uint64_t resyncs; /* damaged headers skipped over */
	uint64_t skipped; /* bytes skipped by resynchronisation */
	uint64_t truncated; /* records cut short by the end of input */
	uint64_t warnings; /* calls of the warn callback */
	uint64_t by_type[MRT_TYPE_MAX];
};

struct mrt_reader {
	mrt_read_fn read;
	void *arg;
	mrt_warn_fn warn;
	void *warn_arg;
	uint8_t *buf;
	size_t cap;
	size_t start; /* first unconsumed byte */
	size_t end; /* one past the last valid byte */
	uint64_t base; /* stream offset of buf[0] */
	bool eof;
	bool have_ts;
	uint32_t ts_min;
	uint32_t ts_max;
	struct {
		const uint8_t *p;
		size_t len;
		size_t off;
	} mem;
	struct mrt_stats stats;
};

/*
 * Read records from fn(arg, ...). warn (may be NULL) is called for each
 * damage found. Release with mrt_reader_free().
 */
void mrt_reader_init(struct mrt_reader *rd, mrt_read_fn fn, void *arg,
    mrt_warn_fn warn, void *warn_arg);
/* The same over the len bytes at p, which must outlive the reader. */
void mrt_reader_init_mem(struct mrt_reader *rd, const void *p, size_t len,
    mrt_warn_fn warn, void *warn_arg);
void mrt_reader_free(struct mrt_reader *rd);

/*
 * The next record: 1 with *rec filled, 0 at the end of the input. Damage
 * never stops the reader early if it can go on. A header is implausible
 * when mrt_hdr_plausible() says so, and also when its record is followed
 * by an implausible header, or runs past the end of input, while a
 * believable record starts inside it (a torn write cut its length
 * field). A believable record has a plausible header, a timestamp within
 * MRT_RESYNC_SLACK of those seen so far, and is followed by another
 * plausible header or the end of input. From an implausible header the
 * reader skips to the next believable record; skipped octets are warned
 * about and counted. A TABLE_DUMP record followed by exactly 4 stray
 * octets is taken to include them (historical producers left the view
 * and sequence fields out of the length). A record cut by the end of
 * input is warned about and dropped, and so is a read error. Returns -1
 * only when out of memory.
 */
int mrt_next(struct mrt_reader *rd, struct mrt_record *rec) WUR;

/* "TABLE_DUMP_V2", "BGP4MP", ... or NULL for a type RFC 6396 lacks. */
const char *mrt_type_name(uint16_t type);
/*
 * True when the 12 header bytes at p could start a record: a type of
 * RFC 6396 (Appendix B types included), a subtype defined for it (for
 * the types decoded here), a length within MRT_MAX_LEN and long enough
 * for the fixed part of the body.
 */
bool mrt_hdr_plausible(const uint8_t *p);

/*
 * A BGP4MP(_ET) record (§4.4) or a deprecated BGP record (§B.2.1).
 * Addresses are 4 (AFI_IPV4) or 16 octets. For messages, msg/msglen is
 * the BGP message: whole with its header for BGP4MP, and the body after
 * the header for type BGP (whose subtype gives msgtype). For LOCAL
 * subtypes the record was sent by the collector; peer_* still names the
 * remote side (the "Peer" fields of RFC 6396).
 */
struct mrt_bgp4mp {
	bool is_state;
	bool as4;
	bool local;
	bool addpath;
	bool has_hdr; /* msg starts with the 19-octet BGP header */
	bool no_addr; /* Zebra quirk: addresses were not written */
	uint32_t peer_as;
	uint32_t local_as;
	uint16_t ifindex;
	uint16_t afi;
	uint8_t peer_ip[16];
	uint8_t local_ip[16];
	uint16_t old_state;
	uint16_t new_state;
	uint8_t msgtype;
	const uint8_t *msg;
	size_t msglen;
};

/*
 * Decode a BGP4MP or BGP4MP_ET record of a message or state-change
 * subtype. Returns 0, or -1 with *why set to a static reason (unknown
 * subtype or AFI, too short, a BGP message whose header says it is
 * longer than the record holds, octets after a state change). Tolerates two historical Zebra defects: an
 * 8-octet STATE_CHANGE (2-octet AS) without ifindex, AFI and addresses, and an OPEN
 * written without ifindex, AFI and addresses (ifindex and AFI read
 * 0xffff, which are the first marker octets); both set no_addr.
 */
int mrt_bgp4mp_parse(
    const struct mrt_record *rec, struct mrt_bgp4mp *m, const char **why) WUR;
/*
 * Decode a deprecated BGP record (type 5): UPDATE, OPEN, NOTIFY and
 * KEEPALIVE (2-octet AS numbers, IPv4 addresses, a message without its
 * BGP header) and STATE_CHANGE. 0 or -1 with *why as above.
 */
int mrt_bgp_parse(
    const struct mrt_record *rec, struct mrt_bgp4mp *m, const char **why) WUR;

/* One peer of a PEER_INDEX_TABLE (§4.3.1). */
struct mrt_peer {
	uint16_t afi; /* AFI_IPV4 or AFI_IPV6 */
	uint32_t bgp_id;
	uint32_t as;
	uint8_t ip[16];
};

struct mrt_peers {
	bool valid;
	uint32_t collector_id;
	uint16_t count;
	struct mrt_peer *peer; /* count entries, malloc'ed */
	char view[256]; /* NUL-terminated copy of the view name */
};

/*
 * Decode a PEER_INDEX_TABLE record into *t, replacing what it held.
 * Returns 0, or -1 with *why and *t left invalid (no peers).
 */
int mrt_peers_parse(
    const struct mrt_record *rec, struct mrt_peers *t, const char **why) WUR;
void mrt_peers_free(struct mrt_peers *t);

/* A RIB_* record of TABLE_DUMP_V2 (§4.3.2, §4.3.3; RFC 8050 §4). */
struct mrt_rib {
	uint32_t seq;
	uint16_t afi;
	uint8_t safi;
	bool addpath;
	bool decoded; /* prefix holds the NLRI (IPv4/IPv6 families) */
	struct prefix prefix;
	const uint8_t *nlri; /* RIB_GENERIC: the raw NLRI */
	size_t nlrilen;
	uint16_t count; /* entries announced */
	uint16_t done; /* entries returned so far */
	struct rbuf entries;
};

struct mrt_rib_entry {
	uint16_t peer_index;
	uint32_t originated;
	uint32_t path_id; /* 0 without ADD-PATH */
	const uint8_t *attrs;
	size_t attrlen;
};

/*
 * Start walking a RIB_* record. Returns 0, or -1 with *why (a subtype
 * that is not a RIB, bad prefix, short record). For RIB_GENERIC the NLRI
 * is decoded only for IPv4/IPv6 unicast and multicast (decoded true).
 */
int mrt_rib_parse(
    const struct mrt_record *rec, struct mrt_rib *rib, const char **why) WUR;
/*
 * The next RIB entry: 1 with *e set, 0 after the last one (and no bytes
 * left over), -1 with *why when the record ends inside an entry or holds
 * bytes after the announced entries.
 */
int mrt_rib_next(
    struct mrt_rib *rib, struct mrt_rib_entry *e, const char **why) WUR;

/*
 * A TABLE_DUMP record (§4.2): one entry, or, as early RIPE RIS files have
 * them, several entries of the same view after one view/sequence pair.
 * Peer AS numbers and AS_PATH are 2-octet.
 */
struct mrt_td {
	uint16_t afi;
	uint16_t view;
	uint16_t seq;
	struct rbuf r;
	unsigned n; /* entries returned so far */
};

struct mrt_td_entry {
	struct prefix prefix;
	uint8_t status;
	uint32_t originated;
	uint8_t peer_ip[16];
	uint16_t peer_as;
	const uint8_t *attrs;
	size_t attrlen;
};

/* Start walking a TABLE_DUMP record: 0, or -1 with *why. */
int mrt_td_init(
    const struct mrt_record *rec, struct mrt_td *td, const char **why) WUR;
/* Next entry: 1, 0 when none is left, -1 with *why on a cut entry. */
int
mrt_td_next(struct mrt_td *td, struct mrt_td_entry *e, const char **why) WUR;

#endif
