/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * conftest: what `bgpwatchd -n -f FILE` does, without the daemon. Prints
 * the normalised configuration, or the parse errors on stderr and exits 1.
 * With -R it also parses its own output again and fails (exit 2) unless
 * the result is conf_equal() and prints the same text: a fixed point.
 *
 * Public: main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

/* conf_print() of c into a heap string (*len bytes); exits on failure. */
static char *
conftest_print(const struct conf *c, size_t *len)
{
	char *buf = NULL;
	FILE *fp;

	if ((fp = open_memstream(&buf, len)) == NULL) {
		perror("open_memstream");
		exit(1);
	}
	conf_print(c, fp);
	if (fclose(fp) != 0) {
		perror("conftest_print");
		exit(1);
	}
	return buf;
}

/* Parse the printed text of c again; 0 when it is a fixed point. */
static int
conftest_roundtrip(const struct conf *c, const char *text, size_t len)
{
	struct conf *c2;
	char *text2;
	size_t len2;
	int rc = 0;

	if ((c2 = conf_parse_buf("<printed>", text, len, stderr)) == NULL) {
		fprintf(stderr, "conftest: printed config does not parse\n");
		return 2;
	}
	text2 = conftest_print(c2, &len2);
	if (!conf_equal(c, c2)) {
		fprintf(stderr,
		    "conftest: printed config parses to a "
		    "different config\n");
		rc = 2;
	} else if (len != len2 || memcmp(text, text2, len) != 0) {
		fprintf(stderr, "conftest: printing is not a fixed point\n");
		rc = 2;
	}
	free(text2);
	conf_free(c2);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct conf *c;
	char *text;
	size_t len;
	int ch, rc = 0, roundtrip = 0;

	while ((ch = getopt(argc, argv, "R")) != -1) {
		if (ch != 'R')
			goto usage;
		roundtrip = 1;
	}
	if (optind != argc - 1)
		goto usage;
	if ((c = conf_parse_file(argv[optind], stderr)) == NULL)
		return 1;
	text = conftest_print(c, &len);
	fwrite(text, 1, len, stdout);
	if (roundtrip)
		rc = conftest_roundtrip(c, text, len);
	free(text);
	conf_free(c);
	return rc;
usage:
	fprintf(stderr, "usage: conftest [-R] file\n");
	return 1;
}
