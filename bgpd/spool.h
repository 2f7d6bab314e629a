/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The on-disk spool of a network output: a FIFO of bytes (whole event
 * lines go in, in order) kept in a directory as numbered segment files
 * "%016x.seg". Appends go to the newest segment; reads take from a read
 * cursor, and what the caller has passed on is released with
 * spool_consume(), which unlinks used-up segments. What is not consumed
 * survives a restart and is read first by the next run; data taken back
 * from memory at shutdown goes in front with spool_prepend(). Plain
 * blocking file I/O for one thread: bgpd/output.c runs it in the
 * output's I/O thread, never in the event loop.
 *
 * Public: spool_open(), spool_close(), spool_append(), spool_prepend(),
 *         spool_read(), spool_consume(), spool_sync(), spool_bytes(),
 *         spool_unread(), spool_segments(), spool_segment_size().
 */
#ifndef BGPWATCH_SPOOL_H
#define BGPWATCH_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SPOOL_SEG_MIN (4u << 10)
#define SPOOL_SEG_MAX (64u << 20)

struct spool;

/*
 * Open the spool in directory dir (created with mode 0700 if missing; its
 * parent must exist) for at most max unread bytes, and lock it (flock on
 * DIR/lock) so that no other process uses it. Segments left by an earlier
 * run are kept, in order, to be read first; a line cut short by a crash
 * at the end of the newest one is cut off. Returns NULL with errno set and
 * a message in err (errlen bytes) on failure.
 */
struct spool *
spool_open(const char *dir, uint64_t max, char *err, size_t errlen);
/* Sync and close the segments (their data stays) and free sp. */
void spool_close(struct spool *sp);
/*
 * Append len bytes (whole lines) at the end. Either all of them are
 * appended and 0 is returned, or none (a partial write is truncated
 * away) and -1 with errno: ENOSPC also when the unconsumed bytes would
 * exceed max. A new segment is started when the newest one reached the
 * segment size; the full one is fdatasync(2)ed first.
 */
int spool_append(struct spool *sp, const void *data, size_t len);
/*
 * Put len bytes in front of everything not yet consumed, as a segment of
 * its own (written and synced at once), and move the read cursor back to
 * the front. The bound does not apply: these bytes were accounted for
 * before. 0, or -1 with errno and nothing changed.
 */
int spool_prepend(struct spool *sp, const void *data, size_t len);
/*
 * Copy up to size bytes at the read cursor into buf and advance it; the
 * bytes stay in the spool until consumed. Returns the number of bytes (0:
 * nothing left to read), or -1 with errno.
 */
ssize_t spool_read(struct spool *sp, void *buf, size_t size);
/*
 * Release the first n bytes (at most what was read): segments wholly
 * consumed are unlinked.
 */
void spool_consume(struct spool *sp, uint64_t n);
/* fdatasync(2) the newest segment if anything was appended since. */
int spool_sync(struct spool *sp);
/* Bytes not yet consumed (what the bound applies to). */
uint64_t spool_bytes(const struct spool *sp);
/* Bytes after the read cursor. */
uint64_t spool_unread(const struct spool *sp);
/* Segment files present. */
size_t spool_segments(const struct spool *sp);
/* The size at which a segment is closed and a new one started. */
size_t spool_segment_size(const struct spool *sp);

#endif
