/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Watch blocks of bgpwatch.conf: each statement checked and stored into a
 * struct watch_conf (lib/watch.h), prefix files read at parse time, the
 * normalised printing and the comparison reload uses. See conf_watch.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_int.h"
#include "conf_watch.h"
#include "prefix.h"
#include "watch.h"

#define CONF_WATCH_HOLD_MAX 86400 /* hold-down, seconds */
#define CONF_WATCH_PEERS_MAX 65535 /* min-peers */
#define CONF_WATCH_FILE_ERRORS 10 /* messages shown per prefix file */

/* Where something was first given, for "listed twice" messages. */
struct conf_wlines {
	int *line;
	size_t n;
};

/* One prefix with where it was written, for the duplicate check. */
struct conf_wref {
	struct prefix p;
	size_t ord; /* order of appearance: inline first, then the file */
	int line; /* in the block's file, or in the prefix file */
	bool in_file;
};

struct conf_wblock {
	struct conf *c;
	FILE *err;
	int *errors;
	int errors_at_start;
	const char *file;
	int line;
	bool named; /* the name was valid */
	struct watch_conf wc; /* inline prefixes, lists, settings */
	struct conf_wlines pline; /* per inline prefix */
	struct watch_conf fc; /* prefixes of the prefix file */
	struct conf_wlines fline; /* per file prefix: its line there */
	struct conf_wlines as_line[3]; /* origin-as, expect origin/upstream */
	struct conf_wlines ign_line;
	int seen_hold, seen_peers, seen_file; /* lines, 0: not given */
	int file_stmt; /* line of the prefix-file statement */
	int file_errors; /* messages about the prefix file */
};

static void conf_werr(struct conf_wblock *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* `FILE:LINE: message` about the block's own file. */
static void
conf_werr(struct conf_wblock *b, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(b->err, "%s:%d: ", b->file, line);
	va_start(ap, fmt);
	vfprintf(b->err, fmt, ap);
	va_end(ap);
	fputc('\n', b->err);
	(*b->errors)++;
}

static void conf_wferr(struct conf_wblock *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* `PREFIXFILE:LINE: message; in prefix-file at CONF:LINE`, capped. */
static void
conf_wferr(struct conf_wblock *b, int line, const char *fmt, ...)
{
	va_list ap;

	(*b->errors)++;
	if (++b->file_errors > CONF_WATCH_FILE_ERRORS)
		return;
	fprintf(b->err, "%s:%d: ", b->wc.prefix_file, line);
	va_start(ap, fmt);
	vfprintf(b->err, fmt, ap);
	va_end(ap);
	fprintf(b->err, "; in prefix-file at %s:%d\n", b->file, b->file_stmt);
	if (b->file_errors == CONF_WATCH_FILE_ERRORS)
		fprintf(b->err, "%s: further errors not shown\n",
		    b->wc.prefix_file);
}

static void *
conf_wrealloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		conf_oom(__func__);
	if ((p = realloc(p, n * size)) == NULL)
		conf_oom(__func__);
	return p;
}

static void
conf_wlines_push(struct conf_wlines *l, int line)
{
	l->line = conf_wrealloc(l->line, l->n + 1, sizeof(*l->line));
	l->line[l->n++] = line;
}

/* "first at line N" (the block's file) into buf; returns buf. */
static const char *
conf_wfirst(int line, char *buf, size_t size)
{
	snprintf(buf, size, "first at line %d", line);
	return buf;
}

/* The watch of c called name, or NULL. */
static size_t
conf_watch_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nwatches; i++)
		if (strcmp(c->watches[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

struct conf_wblock *
conf_watch_begin(struct conf *c, const char *name, const char *file, int line,
    FILE *err, int *errors)
{
	struct conf_wblock *b;
	size_t i;

	b = conf_wrealloc(NULL, 1, sizeof(*b));
	memset(b, 0, sizeof(*b));
	b->c = c;
	b->err = err;
	b->errors = errors;
	b->errors_at_start = *errors;
	b->file = file;
	b->line = line;
	watch_conf_init(&b->wc, NULL);
	watch_conf_init(&b->fc, NULL);
	if (name == NULL)
		return b;
	if (name[0] == '\0')
		conf_werr(b, line, "watch: empty name");
	else if (strlen(name) >= WATCH_NAME_MAX)
		conf_werr(b, line, "watch: longer than %d characters",
		    WATCH_NAME_MAX - 1);
	else if ((i = conf_watch_find(c, name)) != SIZE_MAX) {
		if (strcmp(c->watch_src[i].file, file) == 0)
			conf_werr(b, line,
			    "duplicate watch \"%s\" (first at "
			    "line %d)",
			    name, c->watch_src[i].line);
		else
			conf_werr(b, line,
			    "duplicate watch \"%s\" (first at "
			    "%s:%d)",
			    name, c->watch_src[i].file, c->watch_src[i].line);
	} else {
		snprintf(b->wc.name, sizeof(b->wc.name), "%s", name);
		b->named = true;
	}
	return b;
}

/* Report a missing argument of argv[0]. */
static void
conf_wmissing(
    struct conf_wblock *b, const char *kw, const char *usage, int line)
{
	conf_werr(b, line, "%s: missing argument (usage: %s)", kw, usage);
}

/* Report argv[i], an argument too many or out of place. */
static void
conf_wextra(struct conf_wblock *b, const char *kw, const char *a,
    const char *usage, int line)
{
	conf_werr(b, line, "%s: unexpected \"%s\" (usage: %s)", kw, a, usage);
}

/*
 * Decimal a within [min, max] into *v; -1 after "LABEL A: not a number"
 * or "LABEL A: must be MIN..MAX".
 */
static int
conf_wnum(struct conf_wblock *b, const char *label, const char *a, uint64_t min,
    uint64_t max, int line, uint64_t *v)
{
	uint64_t x = 0;
	const char *c;

	for (c = a; *c >= '0' && *c <= '9'; c++)
		x = x > (UINT64_MAX - 9) / 10 ? UINT64_MAX
		                              : x * 10 + (uint64_t)(*c - '0');
	if (c == a || *c != '\0') {
		conf_werr(b, line, "%s %s: not a number", label,
		    a[0] != '\0' ? a : "\"\"");
		return -1;
	}
	if (x < min || x > max) {
		conf_werr(b, line, "%s %s: must be %llu..%llu", label, a,
		    (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*v = x;
	return 0;
}

/*
 * An AS number, asplain or asdot, as everywhere in bgpwatch.conf(5); AS 0
 * (RFC 7607) and AS_TRANS (RFC 6793 §9) are no one's AS and are refused.
 */
static int
conf_wasnum(struct conf_wblock *b, const char *label, const char *a, int line,
    uint32_t *as)
{
	uint64_t v;
	uint32_t dot;

	if (strchr(a, '.') != NULL) {
		if (conf_asdot(a, &dot) == -1) {
			conf_werr(b, line,
			    "%s %s: not an AS number (asplain or asdot)", label,
			    a);
			return -1;
		}
		v = dot;
	} else if (conf_wnum(b, label, a, 1, UINT32_MAX, line, &v) == -1)
		return -1;
	if (v == 0 || v == 23456) {
		conf_werr(b, line, "%s %s: %s is reserved (%s)", label, a,
		    v == 0 ? "AS 0" : "AS_TRANS",
		    v == 0 ? "RFC 7607" : "RFC 6793");
		return -1;
	}
	*as = (uint32_t)v;
	return 0;
}

/*
 * "ADDRESS/LENGTH" and an optional "exact" or "or-longer" into *p and
 * *m; -1 with why otherwise. Host bits must be clear: a typo in a watched
 * prefix should not silently watch something else.
 */
static int
conf_wprefix(const char *a, const char *match, struct prefix *p,
    enum watch_match *m, char *why, size_t size)
{
	const char *slash = strchr(a, '/');
	char buf[PREFIX_STRLEN];
	uint8_t afi, addr[16];

	if (slash == NULL || prefix_parse(a, p) == -1) {
		snprintf(why, size, "not a prefix (ADDRESS/LENGTH)");
		return -1;
	}
	/* prefix_parse() masks: compare with the address as written. */
	memset(addr, 0, sizeof(addr));
	memcpy(buf, a, (size_t)(slash - a)); /* shorter than a: it parsed */
	buf[slash - a] = '\0';
	if (addr_parse(buf, &afi, addr) == 0 &&
	    memcmp(addr, p->addr, sizeof(addr)) != 0) {
		snprintf(why, size, "host bits set (did you mean %s?)",
		    prefix_fmt(p, buf, sizeof(buf)));
		return -1;
	}
	*m = WATCH_MATCH_EXACT;
	if (match == NULL || strcmp(match, "exact") == 0)
		return 0;
	if (strcmp(match, "or-longer") == 0) {
		*m = WATCH_MATCH_OR_LONGER;
		return 0;
	}
	snprintf(why, size, "unexpected \"%.64s\" (exact or or-longer)", match);
	return -1;
}

static void
conf_w_prefix(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	static const char usage[] = "prefix PREFIX [exact | or-longer]";
	enum watch_match m;
	struct prefix p;
	char why[128];

	if (argc < 2) {
		conf_wmissing(b, argv[0], usage, line);
		return;
	}
	if (argc > 3) {
		conf_wextra(b, argv[0], argv[3], usage, line);
		return;
	}
	if (conf_wprefix(argv[1], argc == 3 ? argv[2] : NULL, &p, &m, why,
	        sizeof(why)) == -1) {
		conf_werr(b, line, "prefix %s: %s", argv[1], why);
		return;
	}
	(void)watch_conf_add_prefix(&b->wc, &p, m); /* p checked above */
	conf_wlines_push(&b->pline, line);
}

/* name as seen from the file at from: relative to from's directory. */
static char *
conf_wpath(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	size_t dlen = 0;
	char *path;

	if (name[0] != '/' && slash != NULL)
		dlen = (size_t)(slash - from) + 1;
	path = conf_wrealloc(NULL, dlen + strlen(name) + 1, 1);
	memcpy(path, from, dlen);
	memcpy(path + dlen, name, strlen(name) + 1);
	return path;
}

/* One line of a prefix file: "PREFIX [exact | or-longer]", # comments. */
static void
conf_wfile_line(struct conf_wblock *b, char *text, int line)
{
	char *tok[3], *save = NULL, *hash, *t, why[128];
	enum watch_match m;
	struct prefix p;
	size_t n = 0;

	if ((hash = strchr(text, '#')) != NULL)
		*hash = '\0';
	for (t = strtok_r(text, " \t\r\n", &save); t != NULL && n < 3;
	     t = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = t;
	if (n == 0)
		return;
	if (n == 3) {
		conf_wferr(b, line, "prefix %.64s: unexpected \"%.64s\"",
		    tok[0], tok[2]);
		return;
	}
	if (conf_wprefix(tok[0], n == 2 ? tok[1] : NULL, &p, &m, why,
	        sizeof(why)) == -1) {
		conf_wferr(b, line, "prefix %.64s: %s", tok[0], why);
		return;
	}
	(void)watch_conf_add_prefix(&b->fc, &p, m);
	conf_wlines_push(&b->fline, line);
}

/* Read the prefix file b->wc.prefix_file (at most CONF_MAX_FILE octets). */
static void
conf_wfile_read(struct conf_wblock *b, int line)
{
	size_t cap = 0, total = 0;
	char *text = NULL;
	ssize_t len;
	int lineno = 0;
	FILE *fp;

	if ((fp = fopen(b->wc.prefix_file, "r")) == NULL) {
		conf_werr(b, line, "prefix-file \"%s\": %s", b->wc.prefix_file,
		    strerror(errno));
		return;
	}
	while ((len = getline(&text, &cap, fp)) != -1) {
		if ((total += (size_t)len) > CONF_MAX_FILE) {
			conf_werr(b, line, "prefix-file \"%s\": %s",
			    b->wc.prefix_file, strerror(EFBIG));
			break;
		}
		conf_wfile_line(b, text, ++lineno);
	}
	if (ferror(fp))
		conf_werr(b, line, "prefix-file \"%s\": %s", b->wc.prefix_file,
		    strerror(errno));
	free(text);
	fclose(fp);
}

static void
conf_w_prefix_file(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	static const char usage[] = "prefix-file FILE";

	if (argc < 2) {
		conf_wmissing(b, argv[0], usage, line);
		return;
	}
	if (argc > 2) {
		conf_wextra(b, argv[0], argv[2], usage, line);
		return;
	}
	if (b->seen_file != 0) {
		conf_werr(b, line, "duplicate prefix-file (first at line %d)",
		    b->seen_file);
		return;
	}
	b->seen_file = line;
	if (argv[1][0] == '\0') {
		conf_werr(b, line, "prefix-file: empty file name");
		return;
	}
	if (strlen(argv[1]) >= CONF_PATH_MAX) {
		conf_werr(b, line, "prefix-file: longer than %d characters",
		    CONF_PATH_MAX - 1);
		return;
	}
	b->wc.prefix_file = conf_wpath(b->file, argv[1]);
	b->file_stmt = line;
	conf_wfile_read(b, line);
}

/* Append as to one of the AS lists (0 origin-as, 1, 2 expect ...). */
static void
conf_wadd_as(struct conf_wblock *b, int list, const char *label, uint32_t as,
    const char *a, int line)
{
	uint32_t *have[3] = { b->wc.origin_as, b->wc.expect_origin,
		b->wc.expect_upstream };
	size_t n[3] = { b->wc.norigin_as, b->wc.nexpect_origin,
		b->wc.nexpect_upstream };
	char at[64];
	size_t i;

	for (i = 0; i < n[list]; i++)
		if (have[list][i] == as) {
			conf_werr(b, line, "%s %s: listed twice (%s)", label, a,
			    conf_wfirst(
			        b->as_line[list].line[i], at, sizeof(at)));
			return;
		}
	if (list == 0)
		watch_conf_add_origin_as(&b->wc, as);
	else if (list == 1)
		watch_conf_add_expect_origin(&b->wc, as);
	else
		watch_conf_add_expect_upstream(&b->wc, as);
	conf_wlines_push(&b->as_line[list], line);
}

/* "LABEL AS ..." from argv[first] on into list. */
static void
conf_was_list(struct conf_wblock *b, int list, const char *label,
    const char *const *argv, size_t argc, size_t first, int line)
{
	uint32_t as;
	size_t i;

	for (i = first; i < argc; i++)
		if (conf_wasnum(b, label, argv[i], line, &as) == 0)
			conf_wadd_as(b, list, label, as, argv[i], line);
}

static void
conf_w_origin_as(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	if (argc < 2)
		conf_wmissing(b, argv[0], "origin-as AS ...", line);
	else
		conf_was_list(b, 0, "origin-as", argv, argc, 1, line);
}

static void
conf_w_expect(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	static const char usage[] = "expect origin | upstream AS ...";

	if (argc < 3) {
		conf_wmissing(b, argv[0], usage, line);
		return;
	}
	if (strcmp(argv[1], "origin") == 0)
		conf_was_list(b, 1, "expect origin", argv, argc, 2, line);
	else if (strcmp(argv[1], "upstream") == 0)
		conf_was_list(b, 2, "expect upstream", argv, argc, 2, line);
	else
		conf_wextra(b, argv[0], argv[1], usage, line);
}

/* "KEYWORD NUMBER" given once per block: hold-down, min-peers. */
static void
conf_w_number(struct conf_wblock *b, const char *const *argv, size_t argc,
    int line, uint64_t min, uint64_t max, int *seen, uint32_t *v)
{
	uint64_t x;

	if (argc != 2) {
		if (argc < 2)
			conf_werr(b, line,
			    "%s: missing argument (usage: %s "
			    "%s)",
			    argv[0], argv[0],
			    seen == &b->seen_hold ? "SECONDS" : "NUMBER");
		else
			conf_werr(
			    b, line, "%s: unexpected \"%s\"", argv[0], argv[2]);
		return;
	}
	if (*seen != 0) {
		conf_werr(
		    b, line, "duplicate %s (first at line %d)", argv[0], *seen);
		return;
	}
	*seen = line;
	if (conf_wnum(b, argv[0], argv[1], min, max, line, &x) == 0)
		*v = (uint32_t)x;
}

static void
conf_w_hold_down(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	conf_w_number(b, argv, argc, line, 0, CONF_WATCH_HOLD_MAX,
	    &b->seen_hold, &b->wc.hold_down);
}

static void
conf_w_min_peers(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	conf_w_number(b, argv, argc, line, 1, CONF_WATCH_PEERS_MAX,
	    &b->seen_peers, &b->wc.min_peers);
}

static void
conf_w_ignore(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	static const char usage[] = "ignore neighbor ADDRESS";
	uint8_t afi, addr[16];
	char at[64];
	size_t i;

	if (argc > 1 && strcmp(argv[1], "neighbor") != 0) {
		conf_wextra(b, argv[0], argv[1], usage, line);
		return;
	}
	if (argc != 3) {
		if (argc < 3)
			conf_wmissing(b, argv[0], usage, line);
		else
			conf_wextra(b, argv[0], argv[3], usage, line);
		return;
	}
	memset(addr, 0, sizeof(addr));
	if (addr_parse(argv[2], &afi, addr) == -1) {
		conf_werr(b, line,
		    "ignore neighbor %s: not an IPv4 or IPv6 address", argv[2]);
		return;
	}
	for (i = 0; i < b->wc.nignore; i++)
		if (b->wc.ignore[i].afi == afi &&
		    memcmp(b->wc.ignore[i].addr, addr, 16) == 0) {
			conf_werr(b, line,
			    "ignore neighbor %s: listed twice (%s)", argv[2],
			    conf_wfirst(b->ign_line.line[i], at, sizeof(at)));
			return;
		}
	watch_conf_add_ignore(&b->wc, afi, addr);
	conf_wlines_push(&b->ign_line, line);
}

typedef void conf_wfn(struct conf_wblock *, const char *const *, size_t, int);

static const struct {
	const char *name;
	conf_wfn *fn;
} conf_wkws[] = {
	{ "prefix", conf_w_prefix },
	{ "prefix-file", conf_w_prefix_file },
	{ "origin-as", conf_w_origin_as },
	{ "expect", conf_w_expect },
	{ "hold-down", conf_w_hold_down },
	{ "min-peers", conf_w_min_peers },
	{ "ignore", conf_w_ignore },
};

/* The handler of a watch statement, or NULL. */
static conf_wfn *
conf_wkw_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(conf_wkws) / sizeof(conf_wkws[0]); i++)
		if (strcmp(conf_wkws[i].name, name) == 0)
			return conf_wkws[i].fn;
	return NULL;
}

bool
conf_watch_keyword(const char *name)
{
	return conf_wkw_find(name) != NULL;
}

int
conf_watch_stmt(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line)
{
	conf_wfn *fn;

	if ((fn = conf_wkw_find(argv[0])) == NULL)
		return -1;
	fn(b, argv, argc, line);
	return 0;
}

static int
conf_wref_cmp(const void *x, const void *y)
{
	const struct conf_wref *a = x, *b = y;
	int c;

	if ((c = prefix_cmp(&a->p, &b->p)) != 0)
		return c;
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

/* "first at ..." for r, as seen from a message about dup. */
static const char *
conf_wref_at(const struct conf_wblock *b, const struct conf_wref *r,
    const struct conf_wref *dup, char *buf, size_t size)
{
	if (r->in_file)
		snprintf(
		    buf, size, "first at %s:%d", b->wc.prefix_file, r->line);
	else if (dup->in_file)
		snprintf(buf, size, "first at %s:%d", b->file, r->line);
	else
		snprintf(buf, size, "first at line %d", r->line);
	return buf;
}

/* Every prefix once per watch, whether written inline or in the file. */
static void
conf_wdups(struct conf_wblock *b)
{
	size_t ni = b->wc.nprefixes, n = ni + b->fc.nprefixes, i, first = 0;
	char pfx[PREFIX_STRLEN], at[CONF_PATH_MAX + 32];
	struct conf_wref *r;

	if (n < 2)
		return;
	r = conf_wrealloc(NULL, n, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].ord = i;
		r[i].in_file = i >= ni;
		r[i].p = i < ni ? b->wc.prefixes[i].prefix
		                : b->fc.prefixes[i - ni].prefix;
		r[i].line = i < ni ? b->pline.line[i] : b->fline.line[i - ni];
	}
	qsort(r, n, sizeof(*r), conf_wref_cmp);
	for (i = 1; i < n; i++) {
		if (prefix_cmp(&r[i].p, &r[first].p) != 0) {
			first = i;
			continue;
		}
		prefix_fmt(&r[i].p, pfx, sizeof(pfx));
		conf_wref_at(b, &r[first], &r[i], at, sizeof(at));
		if (r[i].in_file)
			conf_wferr(b, r[i].line, "prefix %s: listed twice (%s)",
			    pfx, at);
		else
			conf_werr(b, r[i].line, "prefix %s: listed twice (%s)",
			    pfx, at);
	}
	free(r);
}

/* Move the finished watch into the configuration. */
static void
conf_wadd(struct conf_wblock *b)
{
	struct conf *c = b->c;
	struct conf_watch_src *src;
	size_t i;

	c->watches =
	    conf_wrealloc(c->watches, c->nwatches + 1, sizeof(*c->watches));
	c->watch_src =
	    conf_wrealloc(c->watch_src, c->nwatches + 1, sizeof(*c->watch_src));
	src = &c->watch_src[c->nwatches];
	src->ninline = b->wc.nprefixes;
	src->line = b->line;
	if ((src->file = strdup(b->file)) == NULL)
		conf_oom(__func__);
	for (i = 0; i < b->fc.nprefixes; i++)
		(void)watch_conf_add_prefix(
		    &b->wc, &b->fc.prefixes[i].prefix, b->fc.prefixes[i].match);
	c->watches[c->nwatches++] = b->wc;
	memset(&b->wc, 0, sizeof(b->wc)); /* now the configuration's */
}

void
conf_watch_end(struct conf_wblock *b)
{
	size_t i;

	if (b->named) {
		if (*b->errors == b->errors_at_start &&
		    b->wc.nprefixes + b->fc.nprefixes + b->wc.norigin_as == 0)
			conf_werr(b, b->line,
			    "watch \"%s\": nothing to watch (no prefix, "
			    "prefix-file entry or origin-as)",
			    b->wc.name);
		conf_wdups(b);
		if (*b->errors == b->errors_at_start)
			conf_wadd(b);
	}
	watch_conf_free(&b->wc);
	watch_conf_free(&b->fc);
	free(b->pline.line);
	free(b->fline.line);
	for (i = 0; i < 3; i++)
		free(b->as_line[i].line);
	free(b->ign_line.line);
	free(b);
}

/* s in double quotes, with '"' and '\' escaped so it reads back. */
static void
conf_wprint_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* "\tKEYWORD AS" per AS, or a comment saying what none means. */
static void
conf_wprint_as(
    FILE *out, const char *kw, const uint32_t *as, size_t n, const char *none)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "\t%s %u\n", kw, as[i]);
	if (n == 0)
		fprintf(out, "\t# %s: none (%s)\n", kw, none);
}

static void
conf_wprint_one(
    const struct watch_conf *w, const struct conf_watch_src *src, FILE *out)
{
	char buf[PREFIX_STRLEN];
	size_t i;

	fprintf(out, "\nwatch ");
	conf_wprint_str(out, w->name);
	fprintf(out, " {\n");
	for (i = 0; i < src->ninline; i++)
		fprintf(out, "\tprefix %s %s\n",
		    prefix_fmt(&w->prefixes[i].prefix, buf, sizeof(buf)),
		    watch_match_name(w->prefixes[i].match));
	if (w->prefix_file != NULL) {
		fprintf(out, "\tprefix-file ");
		conf_wprint_str(out, w->prefix_file);
		fprintf(out, " # %zu prefixes\n", w->nprefixes - src->ninline);
	}
	conf_wprint_as(out, "origin-as", w->origin_as, w->norigin_as,
	    "only the prefixes listed");
	conf_wprint_as(out, "expect origin", w->expect_origin,
	    w->nexpect_origin, "any origin; changes are alerted");
	conf_wprint_as(out, "expect upstream", w->expect_upstream,
	    w->nexpect_upstream, "baseline learned");
	fprintf(out, "\thold-down %u\n", w->hold_down);
	fprintf(out, "\tmin-peers %u\n", w->min_peers);
	for (i = 0; i < w->nignore; i++)
		fprintf(out, "\tignore neighbor %s\n",
		    addr_fmt(
		        w->ignore[i].afi, w->ignore[i].addr, buf, sizeof(buf)));
	if (w->nignore == 0)
		fprintf(out, "\t# ignore neighbor: none\n");
	fprintf(out, "}\n");
}

void
conf_watch_print(const struct conf *c, FILE *out)
{
	size_t i;

	for (i = 0; i < c->nwatches; i++)
		conf_wprint_one(&c->watches[i], &c->watch_src[i], out);
}

bool
conf_watches_equal(const struct conf *a, const struct conf *b)
{
	const struct watch_conf *x, *y;
	size_t i;

	if (a->nwatches != b->nwatches)
		return false;
	for (i = 0; i < a->nwatches; i++) {
		x = &a->watches[i];
		y = &b->watches[i];
		if (!watch_conf_equal(x, y) ||
		    a->watch_src[i].ninline != b->watch_src[i].ninline ||
		    (x->prefix_file == NULL) != (y->prefix_file == NULL) ||
		    (x->prefix_file != NULL &&
		        strcmp(x->prefix_file, y->prefix_file) != 0))
			return false;
	}
	return true;
}

void
conf_watches_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->nwatches; i++) {
		watch_conf_free(&c->watches[i]);
		free(c->watch_src[i].file);
	}
	free(c->watches);
	free(c->watch_src);
	c->watches = NULL;
	c->watch_src = NULL;
	c->nwatches = 0;
}
