/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Streaming MRT file input through zlib's inflate() and libbz2's
 * BZ2_bzDecompress(); see mrtfile.h.
 */
#include <bzlib.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mrt.h"
#include "mrtfile.h"

#define MRTFILE_INBUF (64 * 1024)
#define MRTFILE_MAGIC 3
/* Largest single request (inflate and BZ2_bzDecompress count in int). */
#define MRTFILE_MAXREQ (1024 * 1024)

enum mrtfile_fmt {
	MRTFILE_PLAIN,
	MRTFILE_GZIP,
	MRTFILE_BZIP2,
};

struct mrtfile {
	FILE *fp;
	bool is_stdin;
	enum mrtfile_fmt fmt;
	uint8_t magic[MRTFILE_MAGIC]; /* octets read to detect the format */
	size_t nmagic;
	size_t magic_off; /* plain: how many were handed out */
	bool done;
	bool failed;
	char err[160];
	z_stream z;
	bool z_live; /* inflateInit2 done */
	bool in_member; /* inside a gzip member or bzip2 stream */
	bz_stream bzs;
	bool bz_live; /* BZ2_bzDecompressInit done */
	uint8_t in[MRTFILE_INBUF];
	size_t inlen;
};

/* Latch the first error: "what: detail". */
static void
mrtfile_fail(struct mrtfile *f, const char *what, const char *detail)
{
	if (f->failed)
		return;
	f->failed = true;
	snprintf(f->err, sizeof(f->err), "%s: %s", what, detail);
}

/* Refill f->in; false at the end of the file or on error. */
static bool
mrtfile_input(struct mrtfile *f)
{
	size_t n;

	if (f->nmagic > 0) { /* the detection octets come first */
		memcpy(f->in, f->magic, f->nmagic);
		n = f->nmagic;
		f->nmagic = 0;
	} else
		n = fread(f->in, 1, sizeof(f->in), f->fp);
	if (n == 0) {
		if (ferror(f->fp))
			mrtfile_fail(f, "read error", strerror(errno));
		return false;
	}
	f->inlen = n;
	return true;
}

static void
mrtfile_gz_step(struct mrtfile *f)
{
	int rc;

	if (f->z.avail_in == 0) {
		if (!mrtfile_input(f)) {
			if (f->in_member)
				mrtfile_fail(
				    f, "gzip", "compressed stream cut short");
			f->done = true;
			return;
		}
		f->z.next_in = f->in;
		f->z.avail_in = (uInt)f->inlen;
	}
	if (!f->in_member) { /* RFC 1952 §2.2: members may follow */
		if (inflateReset(&f->z) != Z_OK) {
			mrtfile_fail(f, "gzip", "inflateReset failed");
			return;
		}
		f->in_member = true;
	}
	rc = inflate(&f->z, Z_NO_FLUSH);
	if (rc == Z_STREAM_END)
		f->in_member = false;
	else if (rc != Z_OK && rc != Z_BUF_ERROR)
		mrtfile_fail(
		    f, "gzip", f->z.msg != NULL ? f->z.msg : "data error");
}

static ssize_t
mrtfile_gz_read(struct mrtfile *f, void *buf, size_t len)
{
	f->z.next_out = buf;
	f->z.avail_out = (uInt)len;
	while (f->z.avail_out > 0 && !f->done && !f->failed)
		mrtfile_gz_step(f);
	return (ssize_t)(len - f->z.avail_out);
}

/*
 * One step of bzip2 decompression. BZ2_bzDecompress() rather than
 * BZ2_bzRead(): the latter discards what it decoded in a call that meets
 * the end of a cut stream, and we want every octet before the cut.
 */
static void
mrtfile_bz_step(struct mrtfile *f)
{
	int rc;

	if (f->bzs.avail_in == 0) {
		if (!mrtfile_input(f)) {
			if (f->in_member)
				mrtfile_fail(
				    f, "bzip2", "compressed stream cut short");
			f->done = true;
			return;
		}
		f->bzs.next_in = (char *)f->in;
		f->bzs.avail_in = (unsigned)f->inlen;
	}
	if (!f->in_member) { /* several streams may follow one another */
		if (f->bz_live)
			BZ2_bzDecompressEnd(&f->bzs);
		f->bz_live = BZ2_bzDecompressInit(&f->bzs, 0, 0) == BZ_OK;
		if (!f->bz_live) {
			mrtfile_fail(f, "bzip2", "cannot initialise");
			return;
		}
		f->in_member = true;
	}
	rc = BZ2_bzDecompress(&f->bzs);
	if (rc == BZ_STREAM_END)
		f->in_member = false;
	else if (rc != BZ_OK)
		mrtfile_fail(f, "bzip2", "data error");
}

static ssize_t
mrtfile_bz_read(struct mrtfile *f, void *buf, size_t len)
{
	f->bzs.next_out = buf;
	f->bzs.avail_out = (unsigned)len;
	while (f->bzs.avail_out > 0 && !f->done && !f->failed)
		mrtfile_bz_step(f);
	return (ssize_t)(len - f->bzs.avail_out);
}

static ssize_t
mrtfile_plain_read(struct mrtfile *f, void *buf, size_t len)
{
	size_t n = 0;

	if (f->magic_off < f->nmagic) {
		n = f->nmagic - f->magic_off;
		if (n > len)
			n = len;
		memcpy(buf, f->magic + f->magic_off, n);
		f->magic_off += n;
		return (ssize_t)n;
	}
	n = fread(buf, 1, len, f->fp);
	if (n == 0) {
		if (ferror(f->fp))
			mrtfile_fail(f, "read error", strerror(errno));
		f->done = true;
	}
	return (ssize_t)n;
}

ssize_t
mrtfile_read(void *arg, void *buf, size_t len)
{
	struct mrtfile *f = arg;
	ssize_t n;

	if (len > MRTFILE_MAXREQ)
		len = MRTFILE_MAXREQ;
	if (len == 0)
		return 0;
	switch (f->fmt) {
	case MRTFILE_GZIP:
		n = mrtfile_gz_read(f, buf, len);
		break;
	case MRTFILE_BZIP2:
		n = mrtfile_bz_read(f, buf, len);
		break;
	default:
		n = mrtfile_plain_read(f, buf, len);
		break;
	}
	if (n > 0)
		return n;
	return f->failed ? -1 : 0;
}

/* Pick the decompressor from the magic octets and set it up. */
static int
mrtfile_start(struct mrtfile *f, char *err, size_t errlen)
{
	f->nmagic = fread(f->magic, 1, sizeof(f->magic), f->fp);
	if (f->nmagic >= 2 && f->magic[0] == 0x1f && f->magic[1] == 0x8b)
		f->fmt = MRTFILE_GZIP; /* RFC 1952 §2.3.1 ID1 ID2 */
	else if (f->nmagic == 3 && memcmp(f->magic, "BZh", 3) == 0)
		f->fmt = MRTFILE_BZIP2;
	else
		f->fmt = MRTFILE_PLAIN;
	if (f->fmt == MRTFILE_GZIP) {
		/* windowBits 15 + 16: gzip wrapper only. */
		if (inflateInit2(&f->z, 15 + 16) != Z_OK) {
			snprintf(err, errlen, "zlib: cannot initialise");
			return -1;
		}
		f->z_live = true;
	}
	return 0;
}

struct mrtfile *
mrtfile_open(const char *path, char *err, size_t errlen)
{
	struct mrtfile *f;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		f->fp = stdin;
		f->is_stdin = true;
	} else if ((f->fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(f);
		return NULL;
	}
	if (mrtfile_start(f, err, errlen) == -1) {
		mrtfile_close(f);
		return NULL;
	}
	return f;
}

const char *
mrtfile_error(const struct mrtfile *f)
{
	return f->failed ? f->err : NULL;
}

const char *
mrtfile_format(const struct mrtfile *f)
{
	switch (f->fmt) {
	case MRTFILE_GZIP:
		return "gzip";
	case MRTFILE_BZIP2:
		return "bzip2";
	default:
		return "plain";
	}
}

void
mrtfile_close(struct mrtfile *f)
{
	if (f == NULL)
		return;
	if (f->z_live)
		inflateEnd(&f->z);
	if (f->bz_live)
		BZ2_bzDecompressEnd(&f->bzs);
	if (!f->is_stdin && f->fp != NULL)
		fclose(f->fp);
	free(f);
}

void
mrtfile_warn(struct mrtfile_warn *w, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	if (++w->count > MRTFILE_WARN_MAX)
		return;
	fprintf(stderr, "bgpwatchctl: %s: %s: offset %" PRIu64 ": ", w->cmd,
	    w->path, off);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (w->count == MRTFILE_WARN_MAX)
		fprintf(stderr,
		    "bgpwatchctl: %s: %s: further warnings not shown\n", w->cmd,
		    w->path);
}

void
mrtfile_reader_warn(void *arg, uint64_t off, const char *msg)
{
	struct mrtfile_warn *w = arg;

	/* The reader knows that reading failed; the file knows why. */
	if (strcmp(msg, MRT_INPUT_ERROR) == 0 && w->file != NULL &&
	    mrtfile_error(w->file) != NULL)
		mrtfile_warn(w, off, "%s: %s", msg, mrtfile_error(w->file));
	else
		mrtfile_warn(w, off, "%s", msg);
}

void
mrtfile_warn_end(const struct mrtfile_warn *w)
{
	if (w->count > MRTFILE_WARN_MAX)
		fprintf(stderr, "bgpwatchctl: %s: %s: %" PRIu64 " warnings\n",
		    w->cmd, w->path, w->count);
}

int
mrtfile_rib_open(struct mrtfile_warn *w, const struct mrt_record *rec,
    const struct mrt_peers *ptab, struct mrt_rib *rib)
{
	const char *why;

	if (mrt_rib_parse(rec, rib, &why) == -1) {
		if (rec->subtype == MRT_TD2_RIB_GENERIC ||
		    rec->subtype == MRT_TD2_RIB_GENERIC_ADDPATH)
			return 0;
		mrtfile_warn(w, rec->off, "TABLE_DUMP_V2: %s", why);
		return -1;
	}
	if (!ptab->valid) {
		mrtfile_warn(w, rec->off,
		    "TABLE_DUMP_V2 RIB record without a PEER_INDEX_TABLE");
		return -1;
	}
	return 1;
}

int
mrtfile_rib_next(struct mrtfile_warn *w, const struct mrt_record *rec,
    const struct mrt_peers *ptab, struct mrt_rib *rib, struct mrt_rib_entry *e)
{
	const char *why;
	int r;

	while ((r = mrt_rib_next(rib, e, &why)) == 1) {
		if (e->peer_index < ptab->count)
			return 1;
		mrtfile_warn(w, rec->off,
		    "RIB entry of peer %u: the PEER_INDEX_TABLE has %u peers",
		    e->peer_index, ptab->count);
	}
	if (r == -1)
		mrtfile_warn(w, rec->off, "TABLE_DUMP_V2: %s", why);
	return 0;
}
