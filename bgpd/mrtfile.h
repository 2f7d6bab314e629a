/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT file input for the offline tools: plain, gzip (RFC 1952, several
 * members allowed) or bzip2 (several streams allowed), told apart by their
 * magic octets and decompressed as a stream, never whole in memory.
 *
 * Public: mrtfile_open(), mrtfile_read(), mrtfile_error(),
 *         mrtfile_format(), mrtfile_close(), mrtfile_warn(),
 *         mrtfile_reader_warn(), mrtfile_warn_end(), mrtfile_rib_open(),
 *         mrtfile_rib_next().
 */
#ifndef BGPWATCH_MRTFILE_H
#define BGPWATCH_MRTFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MRTFILE_WARN_MAX 100 /* warnings shown per file */

struct mrtfile;

/*
 * Open path ("-" for standard input) and look at its first octets to pick
 * the decompressor. Returns the handle, or NULL with the reason in
 * err[errlen]. Close with mrtfile_close().
 */
struct mrtfile *mrtfile_open(const char *path, char *err, size_t errlen);

/*
 * Read up to len decompressed octets: the count, 0 at the end, -1 on an
 * error (a damaged or cut compressed stream, an I/O error), after which
 * mrtfile_error() says what happened and every read returns -1. Octets
 * decoded before the damage are returned first. Has the mrt_read_fn
 * signature of lib/mrt.h (arg is the struct mrtfile).
 */
ssize_t mrtfile_read(void *arg, void *buf, size_t len);

/* The reason of the last read error, or NULL. */
const char *mrtfile_error(const struct mrtfile *f);
/* "plain", "gzip" or "bzip2". */
const char *mrtfile_format(const struct mrtfile *f);
/* Close the file (standard input is left open) and free the handle. */
void mrtfile_close(struct mrtfile *f);

/*
 * The warnings about one input file of a command, each on standard error
 * as "bgpwatchctl: CMD: PATH: offset N: text"; after MRTFILE_WARN_MAX of
 * them one line says the rest are not shown, and mrtfile_warn_end() gives
 * their number. Zero it, then set cmd, path and (while it is open) file.
 */
struct mrtfile_warn {
	const char *cmd; /* "mrt", "replay" */
	const char *path;
	struct mrtfile *file; /* says why reading failed; may be NULL */
	uint64_t count; /* warnings, shown or not */
};

/* One warning about the record at offset off. */
void mrtfile_warn(struct mrtfile_warn *w, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * The warning callback of lib/mrt.h's reader (arg: a struct
 * mrtfile_warn), adding the file's reason to an input error.
 */
void mrtfile_reader_warn(void *arg, uint64_t off, const char *msg);
/* At the end of a file: the total when some were not shown. */
void mrtfile_warn_end(const struct mrtfile_warn *w);

struct mrt_record;
struct mrt_peers;
struct mrt_rib;
struct mrt_rib_entry;

/*
 * The RIB_* record rec of TABLE_DUMP_V2 (RFC 6396 §4.3.2; RFC 8050 §4)
 * into rib, its entries to be read against the PEER_INDEX_TABLE ptab:
 * 1 to go on with mrtfile_rib_next(); 0 for a RIB_GENERIC record whose
 * NLRI is not decoded (the caller counts it as skipped); -1 when the
 * record does not parse or no PEER_INDEX_TABLE came before it, warned
 * about on w.
 */
int mrtfile_rib_open(struct mrtfile_warn *w, const struct mrt_record *rec,
    const struct mrt_peers *ptab, struct mrt_rib *rib);

/*
 * The next entry of rib whose peer index ptab holds: 1 with *e set, 0
 * at the end. An entry of a peer ptab does not have is skipped, and a
 * record that ends inside an entry stops the walk, each with a warning
 * on w.
 */
int mrtfile_rib_next(struct mrtfile_warn *w, const struct mrt_record *rec,
    const struct mrt_peers *ptab, struct mrt_rib *rib, struct mrt_rib_entry *e);

#endif
