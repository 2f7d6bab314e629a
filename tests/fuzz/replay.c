/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * A main for the fuzz targets without libFuzzer: every file named on the
 * command line, and every regular file in a directory named there, is
 * passed once to LLVMFuzzerTestOneInput(), so the corpora run as ordinary
 * tests on every build. A broken invariant aborts; an empty corpus fails.
 *
 * Public: main().
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define REPLAY_MAX_INPUT (1u << 20)

/* Run one file through the target. 0, or -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	static unsigned char buf[REPLAY_MAX_INPUT];
	unsigned char *copy;
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "replay: %s: read error or over %u octets\n",
		    path, REPLAY_MAX_INPUT);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* A copy of exactly n octets, so ASan sees any over-read. */
	if ((copy = malloc(n > 0 ? n : 1)) == NULL) {
		fprintf(stderr, "replay: out of memory\n");
		return -1;
	}
	memcpy(copy, buf, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	return 0;
}

/* Run every regular file of dir in name order; returns the count or -1. */
static long
replay_dir(const char *dir)
{
	struct dirent **ents;
	struct stat st;
	char path[4096];
	long count = 0;
	int n, i;

	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    ents[i]->d_name[0] != '.') {
			if (replay_file(path) == -1)
				count = -1;
			else if (count >= 0)
				count++;
		}
		free(ents[i]);
	}
	free(ents);
	return count;
}

int
main(int argc, char **argv)
{
	struct stat st;
	long n, total = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			n = replay_dir(argv[i]);
		else
			n = replay_file(argv[i]) == 0 ? 1 : -1;
		if (n < 0)
			return 1;
		printf("replay: %ld inputs from %s\n", n, argv[i]);
		total += n;
	}
	if (total == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	return 0;
}
