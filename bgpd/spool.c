/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The on-disk spool: numbered segment files in a locked directory, written
 * at the tail and read (then unlinked) at the head. See spool.h.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_PATH_MAX 4096
/* Numbers of new spools start here, leaving room below for prepends. */
#define SPOOL_NO_BASE (1ull << 40)

struct spool_seg {
	uint64_t no;
	uint64_t start; /* bytes at the front consumed before a prepend */
	uint64_t size; /* bytes in the file */
};

struct spool {
	char dir[SPOOL_PATH_MAX];
	int lockfd;
	uint64_t max;
	size_t segsize;
	struct spool_seg *segs; /* oldest first */
	size_t nsegs;
	size_t cap;
	uint64_t next_no; /* number of the next new segment */
	uint64_t coff; /* consume cursor: offset in segs[0] */
	size_t ridx; /* read cursor: segment index ... */
	uint64_t roff; /* ... and offset in it */
	int rfd; /* the read cursor's segment, or -1 */
	uint64_t rno; /* its number */
	int wfd; /* newest segment open for appending, or -1 */
	bool dirty; /* appended since the last sync */
	bool ready; /* opened and locked: close saves the starts */
	uint64_t total; /* bytes not consumed */
	uint64_t unread; /* bytes after the read cursor */
};

static void
spool_path(const struct spool *sp, uint64_t no, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%016" PRIx64 ".seg", sp->dir, no);
}

/* "0123456789abcdef.seg" into *no; -1 for any other name. */
static int
spool_name_no(const char *name, uint64_t *no)
{
	char *end;

	if (strlen(name) != 20 || strcmp(name + 16, ".seg") != 0 ||
	    strspn(name, "0123456789abcdef") != 16)
		return -1;
	*no = strtoull(name, &end, 16);
	return 0;
}

static int
spool_seg_cmp(const void *a, const void *b)
{
	const struct spool_seg *x = a, *y = b;

	return x->no < y->no ? -1 : x->no > y->no;
}

/* Room for one more segment entry. */
static void
spool_seg_room(struct spool *sp)
{
	struct spool_seg *n;

	if (sp->nsegs == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 16;
		if ((n = reallocarray(sp->segs, sp->cap, sizeof(*n))) == NULL) {
			fprintf(stderr, "%s: out of memory\n", __func__);
			exit(1);
		}
		sp->segs = n;
	}
}

static void
spool_seg_push(struct spool *sp, uint64_t no, uint64_t size)
{
	spool_seg_room(sp);
	sp->segs[sp->nsegs].no = no;
	sp->segs[sp->nsegs].start = 0;
	sp->segs[sp->nsegs].size = size;
	sp->nsegs++;
}

/*
 * Cut a line left unfinished by a crash off the end of segment fd (size
 * bytes): everything after the last newline goes. Returns the new size.
 */
static uint64_t
spool_trim_tail(int fd, uint64_t size)
{
	char buf[4096];
	uint64_t end = size;
	size_t n;

	while (end > 0) {
		n = end < sizeof(buf) ? (size_t)end : sizeof(buf);
		if (pread(fd, buf, n, (off_t)(end - n)) != (ssize_t)n)
			return size;
		for (; n > 0 && buf[n - 1] != '\n'; n--)
			end--;
		if (n > 0)
			break; /* the byte before end is a newline */
	}
	if (end != size && ftruncate(fd, (off_t)end) == -1)
		return size;
	return end;
}

/* Read the directory: existing segments, oldest first. */
static int
spool_scan(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32];
	struct dirent *de;
	struct stat st;
	uint64_t no;
	DIR *d;

	if ((d = opendir(sp->dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (spool_name_no(de->d_name, &no) == -1)
			continue;
		spool_path(sp, no, path, sizeof(path));
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		spool_seg_push(sp, no, (uint64_t)st.st_size);
	}
	closedir(d);
	if (sp->nsegs > 0)
		qsort(sp->segs, sp->nsegs, sizeof(*sp->segs), spool_seg_cmp);
	return 0;
}

/*
 * Make every segment end in a whole line (a crash, or a prepend cut short,
 * may have left part of one at its end) and count what is unread.
 */
static void
spool_recover(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32], c;
	struct spool_seg *seg;
	size_t i;
	int fd;

	sp->total = 0;
	sp->next_no = SPOOL_NO_BASE;
	for (i = 0; i < sp->nsegs; i++) {
		seg = &sp->segs[i];
		spool_path(sp, seg->no, path, sizeof(path));
		if (seg->size > 0 &&
		    (fd = open(path, O_RDWR | O_CLOEXEC)) != -1) {
			if (pread(fd, &c, 1, (off_t)seg->size - 1) != 1 ||
			    c != '\n')
				seg->size = spool_trim_tail(fd, seg->size);
			close(fd);
		}
		sp->total += seg->size;
		sp->next_no = seg->no + 1;
	}
	sp->unread = sp->total;
}

/*
 * DIR/start records, per segment, the bytes at its front that were
 * consumed (the oldest one's consume cursor, and any segment's skip after
 * a prepend): "NUMBER OFFSET" lines, written at close through a rename.
 * Without it (a crash) those bytes are only sent again, never lost.
 */
static void
spool_starts_save(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32], tmp[SPOOL_PATH_MAX + 32];
	uint64_t start;
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/start", sp->dir);
	snprintf(tmp, sizeof(tmp), "%s/start.tmp", sp->dir);
	if ((f = fopen(tmp, "we")) == NULL)
		return;
	for (i = 0; i < sp->nsegs; i++) {
		start = sp->segs[i].start;
		if (i == 0 && sp->coff > start)
			start = sp->coff;
		if (start > 0)
			fprintf(f, "%016" PRIx64 " %" PRIu64 "\n",
			    sp->segs[i].no, start);
	}
	if (fflush(f) != 0 || fdatasync(fileno(f)) == -1) {
		fclose(f);
		(void)unlink(tmp);
		return;
	}
	fclose(f);
	(void)rename(tmp, path);
}

/* Apply DIR/start to the segments found (then it has done its job). */
static void
spool_starts_load(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32];
	uint64_t no, start;
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/start", sp->dir);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fscanf(f, "%" SCNx64 " %" SCNu64, &no, &start) == 2)
		for (i = 0; i < sp->nsegs; i++)
			if (sp->segs[i].no == no && start <= sp->segs[i].size) {
				sp->segs[i].start = start;
				sp->total -= start;
			}
	fclose(f);
	(void)unlink(path);
	sp->unread = sp->total;
	if (sp->nsegs > 0)
		sp->coff = sp->segs[0].start;
}

static int
spool_lock(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/lock", sp->dir);
	sp->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (sp->lockfd == -1)
		return -1;
	if (flock(sp->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			errno = EBUSY;
		return -1;
	}
	return 0;
}

struct spool *
spool_open(const char *dir, uint64_t max, char *err, size_t errlen)
{
	struct spool *sp;
	int e;

	if (strlen(dir) >= SPOOL_PATH_MAX - 32) {
		errno = ENAMETOOLONG;
		snprintf(err, errlen, "spool %s: %s", dir, strerror(errno));
		return NULL;
	}
	if ((sp = calloc(1, sizeof(*sp))) == NULL) {
		snprintf(err, errlen, "spool %s: out of memory", dir);
		return NULL;
	}
	snprintf(sp->dir, sizeof(sp->dir), "%s", dir);
	sp->max = max;
	sp->segsize = max / 8 < SPOOL_SEG_MIN ? SPOOL_SEG_MIN
	    : max / 8 > SPOOL_SEG_MAX         ? SPOOL_SEG_MAX
	                                      : (size_t)(max / 8);
	sp->rfd = sp->wfd = sp->lockfd = -1;
	if ((mkdir(dir, 0700) == -1 && errno != EEXIST) ||
	    spool_lock(sp) == -1 || spool_scan(sp) == -1) {
		e = errno;
		snprintf(err, errlen, "spool %s: %s%s", dir, strerror(e),
		    e == EBUSY ? " (in use by another process)" : "");
		spool_close(sp);
		errno = e;
		return NULL;
	}
	spool_recover(sp);
	spool_starts_load(sp);
	sp->ready = true;
	return sp;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	(void)spool_sync(sp);
	if (sp->ready)
		spool_starts_save(sp);
	if (sp->wfd != -1)
		close(sp->wfd);
	if (sp->rfd != -1)
		close(sp->rfd);
	if (sp->lockfd != -1)
		close(sp->lockfd);
	free(sp->segs);
	free(sp);
}

int
spool_sync(struct spool *sp)
{
	if (sp->wfd == -1 || !sp->dirty)
		return 0;
	sp->dirty = false;
	return fdatasync(sp->wfd);
}

/* Close the tail for writing (synced) so the next append starts anew. */
static void
spool_tail_close(struct spool *sp)
{
	if (sp->wfd == -1)
		return;
	(void)spool_sync(sp);
	close(sp->wfd);
	sp->wfd = -1;
}

/* The segment appends go to: the newest if it has room, else a new one. */
static int
spool_tail(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32];
	struct spool_seg *last;

	last = sp->nsegs > 0 ? &sp->segs[sp->nsegs - 1] : NULL;
	if (last != NULL && last->size >= sp->segsize)
		spool_tail_close(sp);
	else if (last != NULL && sp->wfd != -1)
		return 0;
	if (last == NULL || last->size >= sp->segsize) {
		spool_seg_push(sp, sp->next_no++, 0);
		last = &sp->segs[sp->nsegs - 1];
	}
	spool_path(sp, last->no, path, sizeof(path));
	sp->wfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	return sp->wfd == -1 ? -1 : 0;
}

int
spool_append(struct spool *sp, const void *data, size_t len)
{
	struct spool_seg *last;
	const char *p = data;
	size_t done = 0;
	ssize_t n;
	int e;

	if (sp->total + len > sp->max) {
		errno = ENOSPC;
		return -1;
	}
	if (spool_tail(sp) == -1)
		return -1;
	last = &sp->segs[sp->nsegs - 1];
	while (done < len) {
		if ((n = write(sp->wfd, p + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			/*
			 * Nothing or all: take a partial write back. Should
			 * even that fail, the segment is closed at its old
			 * size (reads stop there) and a new one begins.
			 */
			if (done > 0 &&
			    ftruncate(sp->wfd, (off_t)last->size) == -1) {
				spool_tail_close(sp);
				spool_seg_push(sp, sp->next_no++, 0);
			}
			errno = e;
			return -1;
		}
		done += (size_t)n;
	}
	last->size += len;
	sp->total += len;
	sp->unread += len;
	sp->dirty = true;
	return 0;
}

/* Close the read cursor's file. */
static void
spool_rclose(struct spool *sp)
{
	if (sp->rfd != -1)
		close(sp->rfd);
	sp->rfd = -1;
}

/* The oldest segment is consumed: unlink it. */
static void
spool_head_done(struct spool *sp)
{
	char path[SPOOL_PATH_MAX + 32];

	if (sp->rfd != -1 && sp->rno == sp->segs[0].no)
		spool_rclose(sp);
	if (sp->nsegs == 1)
		spool_tail_close(sp);
	spool_path(sp, sp->segs[0].no, path, sizeof(path));
	(void)unlink(path);
	memmove(sp->segs, sp->segs + 1, (sp->nsegs - 1) * sizeof(*sp->segs));
	sp->nsegs--;
	sp->coff = 0;
	if (sp->ridx > 0)
		sp->ridx--;
	else
		sp->roff = 0;
}

/* Move the read cursor to the next byte to read; false at the end. */
static bool
spool_rnext(struct spool *sp)
{
	for (;;) {
		if (sp->ridx >= sp->nsegs)
			return false;
		if (sp->roff < sp->segs[sp->ridx].start)
			sp->roff = sp->segs[sp->ridx].start;
		if (sp->roff < sp->segs[sp->ridx].size)
			return true;
		if (sp->ridx + 1 >= sp->nsegs)
			return false; /* at the end of the newest: wait */
		sp->ridx++;
		sp->roff = 0;
	}
}

ssize_t
spool_read(struct spool *sp, void *buf, size_t size)
{
	char path[SPOOL_PATH_MAX + 32];
	struct spool_seg *seg;
	ssize_t n;

	if (size == 0 || !spool_rnext(sp))
		return 0;
	seg = &sp->segs[sp->ridx];
	if (sp->rfd != -1 && sp->rno != seg->no)
		spool_rclose(sp);
	if (sp->rfd == -1) {
		spool_path(sp, seg->no, path, sizeof(path));
		if ((sp->rfd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return -1;
		sp->rno = seg->no;
	}
	if (size > seg->size - sp->roff)
		size = (size_t)(seg->size - sp->roff);
	do
		n = pread(sp->rfd, buf, size, (off_t)sp->roff);
	while (n == -1 && errno == EINTR);
	if (n <= 0) {
		if (n == 0) /* shorter than it was: someone cut it */
			errno = EIO;
		return -1;
	}
	sp->roff += (uint64_t)n;
	sp->unread -= (uint64_t)n;
	return n;
}

void
spool_consume(struct spool *sp, uint64_t n)
{
	struct spool_seg *seg;
	uint64_t take;

	while (n > 0 && sp->nsegs > 0) {
		seg = &sp->segs[0];
		if (sp->coff < seg->start)
			sp->coff = seg->start;
		take = seg->size - sp->coff < n ? seg->size - sp->coff : n;
		sp->coff += take;
		sp->total -= take;
		n -= take;
		if (sp->coff < seg->size)
			break;
		/* Only what was read can be consumed: never past the cursor. */
		if (sp->ridx == 0 && sp->roff < seg->size)
			break;
		spool_head_done(sp);
	}
}

/* Write all of data to fd; -1 with errno otherwise. */
static int
spool_write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, data, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
spool_prepend(struct spool *sp, const void *data, size_t len)
{
	char path[SPOOL_PATH_MAX + 32];
	uint64_t no, max = sp->max;
	int fd, e, rv;

	if (len == 0)
		return 0;
	if (sp->nsegs == 0) { /* nothing in front: an append, unbounded */
		sp->max = UINT64_MAX;
		rv = spool_append(sp, data, len);
		sp->max = max;
		return rv;
	}
	if ((no = sp->segs[0].no) == 0) {
		errno = ENOSPC;
		return -1;
	}
	spool_path(sp, no - 1, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if (spool_write_all(fd, data, len) == -1 || fdatasync(fd) == -1) {
		e = errno;
		close(fd);
		(void)unlink(path);
		errno = e;
		return -1;
	}
	close(fd);
	sp->segs[0].start = sp->coff;
	spool_seg_room(sp);
	memmove(sp->segs + 1, sp->segs, sp->nsegs * sizeof(*sp->segs));
	sp->nsegs++;
	sp->segs[0].no = no - 1;
	sp->segs[0].start = 0;
	sp->segs[0].size = len;
	sp->coff = 0;
	sp->ridx = 0;
	sp->roff = 0;
	spool_rclose(sp);
	sp->total += len;
	sp->unread = sp->total;
	return 0;
}

uint64_t
spool_bytes(const struct spool *sp)
{
	return sp->total;
}

uint64_t
spool_unread(const struct spool *sp)
{
	return sp->unread;
}

size_t
spool_segments(const struct spool *sp)
{
	return sp->nsegs;
}

size_t
spool_segment_size(const struct spool *sp)
{
	return sp->segsize;
}
