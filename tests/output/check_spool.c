/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of bgpd/spool.c against a model (a byte string): random
 * appends, reads and consumes with segment rollover must give back exactly
 * the bytes in order; the bound; what survives close and reopen (nothing
 * consumed is lost, a line cut by a crash is cut off); prepend; and the
 * directory lock.
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

static char tmpl[] = "/tmp/check_spool.XXXXXX";
static char dir[64];

static void
rmtree(const char *d)
{
	char path[512];
	struct dirent *de;
	DIR *dp;

	if ((dp = opendir(d)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", d, de->d_name);
		unlink(path);
	}
	closedir(dp);
	rmdir(d);
}

static void
setup(void)
{
	char *t = strdup(tmpl);

	ck_assert_ptr_nonnull(mkdtemp(t));
	snprintf(dir, sizeof(dir), "%s/spool", t);
	free(t);
}

static void
teardown(void)
{
	char parent[64];

	rmtree(dir);
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	rmdir(parent);
}

static struct spool *
open_ok(uint64_t max)
{
	char err[256];
	struct spool *sp = spool_open(dir, max, err, sizeof(err));

	ck_assert_msg(sp != NULL, "spool_open: %s", err);
	return sp;
}

/* A line of n bytes (the last a newline) with its number in it. */
static size_t
mkline(char *buf, size_t n, unsigned k)
{
	size_t i;

	snprintf(buf, n, "%08u", k);
	for (i = 8; i + 1 < n; i++)
		buf[i] = (char)('a' + (k + i) % 26);
	buf[n - 1] = '\n';
	return n;
}

/* Read everything the cursor can reach, consuming as it goes. */
static size_t
drain(struct spool *sp, char *out, size_t size)
{
	size_t got = 0;
	ssize_t n;

	while ((n = spool_read(sp, out + got, size - got)) > 0) {
		spool_consume(sp, (uint64_t)n);
		got += (size_t)n;
	}
	ck_assert_int_eq(n, 0);
	return got;
}

/* Seeded random operations against the model, for several seeds. */
START_TEST(test_model)
{
	static char model[1 << 20], got[1 << 20];
	char line[300], buf[1000];
	size_t mlen = 0, rpos = 0, cpos = 0, n;
	struct spool *sp;
	unsigned k = 0, op;
	ssize_t r;

	srandom((unsigned)_i + 1);
	sp = open_ok(1 << 20);
	ck_assert_uint_eq(spool_segment_size(sp), SPOOL_SEG_MIN * 32);
	for (op = 0; op < 3000; op++) {
		switch (random() % 3) {
		case 0:
			n = mkline(line, 20 + (size_t)(random() % 280), k++);
			if (mlen - cpos + n > (1 << 20))
				break;
			ck_assert_int_eq(spool_append(sp, line, n), 0);
			memcpy(model + mlen, line, n);
			mlen += n;
			break;
		case 1:
			r = spool_read(sp, buf, 1 + (size_t)(random() % 999));
			ck_assert_int_ge(r, 0);
			ck_assert(rpos + (size_t)r <= mlen);
			ck_assert(memcmp(buf, model + rpos, (size_t)r) == 0);
			rpos += (size_t)r;
			break;
		default:
			n = (size_t)random() % (rpos - cpos + 1);
			spool_consume(sp, n);
			cpos += n;
		}
		ck_assert_uint_eq(spool_bytes(sp), mlen - cpos);
		ck_assert_uint_eq(spool_unread(sp), mlen - rpos);
	}
	/* Unconsumed bytes survive a close: read from cpos again. */
	spool_close(sp);
	sp = open_ok(1 << 20);
	ck_assert_uint_eq(spool_bytes(sp), mlen - cpos);
	n = drain(sp, got, sizeof(got));
	ck_assert_uint_eq(n, mlen - cpos);
	ck_assert(memcmp(got, model + cpos, n) == 0);
	ck_assert_uint_eq(spool_segments(sp), 0);
	spool_close(sp);
}
END_TEST

START_TEST(test_bound)
{
	char line[1000];
	struct spool *sp = open_ok(64 << 10);
	unsigned k;

	for (k = 0; k < 65; k++)
		ck_assert_int_eq(
		    spool_append(sp, line, mkline(line, 1000, k)), 0);
	errno = 0;
	ck_assert_int_eq(spool_append(sp, line, 1000), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_uint_eq(spool_bytes(sp), 65000);
	/* Reading alone frees nothing; consuming does. */
	ck_assert_int_eq(spool_read(sp, line, 1000), 1000);
	ck_assert_int_eq(spool_append(sp, line, 1000), -1);
	spool_consume(sp, 1000);
	ck_assert_int_eq(spool_append(sp, line, 1000), 0);
	spool_close(sp);
}
END_TEST

/* Append junk (a line cut short) to the k-th segment file of the spool. */
static void
cut_line_into(int k)
{
	struct dirent **names;
	char path[512];
	int n, i, fd, seg = 0;

	n = scandir(dir, &names, NULL, alphasort);
	ck_assert_int_gt(n, 0);
	path[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strstr(names[i]->d_name, ".seg") != NULL && seg++ == k)
			snprintf(
			    path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	ck_assert_int_ne(fd = open(path, O_WRONLY | O_APPEND), -1);
	ck_assert_int_eq(write(fd, "{\"torn", 6), 6);
	close(fd);
}

/*
 * A crash in the middle of a line (at the end of the newest segment), or
 * a prepend cut short (at the end of the oldest): the partial line is cut
 * off, every whole line is kept, in order.
 */
START_TEST(test_torn_tail)
{
	char line[100], got[20000], want[20000];
	struct spool *sp = open_ok(64 << 10);
	unsigned k;

	for (k = 0; k < 100; k++) {
		mkline(want + 100 * k, 100, k);
		ck_assert_int_eq(spool_append(sp, want + 100 * k, 100), 0);
	}
	ck_assert_uint_eq(spool_segments(sp), 2);
	spool_close(sp);
	cut_line_into(0);
	cut_line_into(1);
	sp = open_ok(64 << 10);
	ck_assert_uint_eq(spool_bytes(sp), 10000);
	ck_assert_uint_eq(drain(sp, got, sizeof(got)), 10000);
	ck_assert(memcmp(got, want, 10000) == 0);
	ck_assert_int_eq(spool_append(sp, line, mkline(line, 100, 7)), 0);
	ck_assert_uint_eq(drain(sp, got, sizeof(got)), 100);
	spool_close(sp);
}
END_TEST

/* Prepend puts bytes before the unconsumed rest and rewinds the cursor. */
START_TEST(test_prepend)
{
	char a[100], b[100], c[100], got[1000];
	struct spool *sp = open_ok(64 << 10);

	mkline(a, 100, 1);
	mkline(b, 100, 2);
	mkline(c, 100, 3);
	ck_assert_int_eq(spool_prepend(sp, a, 100), 0); /* empty: appends */
	ck_assert_int_eq(spool_append(sp, b, 100), 0);
	ck_assert_int_eq(spool_append(sp, c, 100), 0);
	ck_assert_int_eq(spool_read(sp, got, 150), 150);
	spool_consume(sp, 100); /* a is gone, half of b was read */
	ck_assert_int_eq(spool_prepend(sp, a, 100), 0);
	ck_assert_uint_eq(spool_bytes(sp), 300);
	spool_close(sp);
	sp = open_ok(64 << 10); /* and it survives a restart */
	ck_assert_uint_eq(drain(sp, got, sizeof(got)), 300);
	ck_assert(memcmp(got, a, 100) == 0);
	ck_assert(memcmp(got + 100, b, 100) == 0);
	ck_assert(memcmp(got + 200, c, 100) == 0);
	spool_close(sp);
}
END_TEST

START_TEST(test_lock)
{
	char err[256];
	struct spool *sp = open_ok(64 << 10), *sp2;

	sp2 = spool_open(dir, 64 << 10, err, sizeof(err));
	ck_assert_ptr_null(sp2);
	ck_assert_ptr_nonnull(strstr(err, "in use by another process"));
	spool_close(sp);
	sp2 = open_ok(64 << 10);
	spool_close(sp2);
}
END_TEST

static Suite *
spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("spool");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_model, 0, 8);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_torn_tail);
	tcase_add_test(tc, test_prepend);
	tcase_add_test(tc, test_lock);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(spool_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
