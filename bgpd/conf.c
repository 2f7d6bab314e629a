/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The bgpwatch.conf parser: a lexer cuts the text into words, strings,
 * braces and statement ends; conf_stmt_read() gathers one statement's
 * words; keyword tables check and store each setting. Errors go out as
 * `FILE:LINE: message` and parsing goes on to report the next one.
 * Printing and comparing configurations live in conf_print.c.
 *
 * Public (see conf.h): conf_parse_file(), conf_parse_buf(), conf_free().
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_int.h"
#include "conf_watch.h"

/* No statement needs more; a longer one is an error, not memory. */
#define CONF_MAX_WORDS 32

enum conf_tok_type {
	TOK_WORD,
	TOK_STRING,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_EOS, /* newline or ';' */
	TOK_EOF,
	TOK_ERROR, /* already reported */
};

struct conf_tok {
	enum conf_tok_type type;
	int line;
	char *text; /* TOK_WORD, TOK_STRING: heap, owned by the holder */
};

/* One file being read; includes stack them through conf_parse.f. */
struct conf_file {
	const char *path; /* owned by conf_parse.paths */
	const char *buf;
	size_t len;
	size_t pos;
	int line;
	int depth; /* include nesting, main file 0 */
	bool peeked;
	struct conf_tok peek;
};

enum conf_term {
	TERM_EOS,
	TERM_LBRACE,
	TERM_RBRACE,
	TERM_EOF,
};

struct conf_word {
	char *s;
	bool quoted;
};

struct conf_kw;

/* One statement: its words up to the terminator. */
struct conf_stmt {
	struct conf_word *w;
	size_t n;
	size_t cap;
	size_t pos; /* next argument for conf_arg() */
	int line; /* of the first word */
	int term_line;
	bool bad; /* a lexer error inside, already reported */
	const struct conf_kw *kw;
};

enum conf_ctx {
	CTX_TOP,
	CTX_GROUP,
	CTX_NEIGHBOR,
	CTX_WATCH,
};

/* Global settings that may appear once. */
enum conf_gset {
	GS_LOCAL_AS,
	GS_ROUTER_ID,
	GS_CONTROL,
	GS_HOLDTIME,
	GS_CONNECT_RETRY,
	GS_USER,
	GS_HOSTNAME,
	GS_LOG,
	GS_SPOOL,
	GS_OBSERVER_NAME,
	GS_STATS_INTERVAL,
	GS_DUMP_TABLE,
	GS_DUMP_UPDATES, /* dump updates or dump all */
	GS_COUNT,
	GS_REPEAT = -1, /* listen, include: may repeat */
};

/* Neighbor (and group) settings that may appear once per block. */
enum conf_nset {
	NS_REMOTE_AS,
	NS_DESCR,
	NS_MODE, /* passive or connect */
	NS_PORT,
	NS_LOCAL_ADDR,
	NS_MD5,
	NS_TTLSEC,
	NS_ADDPATH,
	NS_MAXPREFIX,
	NS_GR,
	NS_HOLDTIME,
	NS_FAMILY, /* may repeat, once per family */
	NS_EXTMSG,
	NS_RREFRESH,
	NS_ROLE,
	NS_FIRSTAS,
	NS_DOWN,
	NS_COUNT,
};

/* Where a setting was first given, for "duplicate" messages. */
struct conf_seen {
	const char *kw;
	const char *file;
	int line;
};

/* A neighbor or group block being parsed. */
struct conf_nctx {
	struct conf_neighbor n;
	struct conf_seen seen[NS_COUNT];
	int fam_line[2]; /* per CONF_FAM_* bit, in this block */
	uint16_t port;
	bool hold_set; /* hold-time given here or in the group */
	bool remote_as_given; /* even if invalid: no "missing" message */
	int first_neighbor; /* group: line of its first neighbor */
	const char *file; /* where the block starts */
	int line;
};

struct conf_group {
	char name[64];
	const char *file;
	int line;
	struct conf_nctx tmpl; /* defaults for the group's neighbors */
};

/* Where a listen or neighbor came from; hold_set for neighbors. */
struct conf_origin {
	const void *obj;
	struct conf_neighbor *nbr; /* NULL for a listen */
	const char *file;
	int line;
	bool hold_set;
};

struct conf_parse {
	struct conf *c;
	FILE *err;
	int errors;
	struct conf_file *f; /* innermost file */
	char **paths; /* every file name seen, freed at the end */
	size_t npaths;
	struct conf_seen gseen[GS_COUNT];
	struct conf_origin *orig;
	size_t norig;
	struct conf_group **groups;
	size_t ngroups;
	struct conf_output **inherit; /* network outputs without "spool" */
	size_t ninherit;
};

struct conf_kw {
	const char *name;
	int set; /* enum conf_gset / conf_nset slot, GS_REPEAT */
	const char *usage;
	void (*global)(struct conf_parse *, struct conf_stmt *);
	void (*nbr)(
	    struct conf_parse *, struct conf_nctx *, struct conf_stmt *);
};

static void
conf_block(struct conf_parse *, enum conf_ctx, struct conf_nctx *, int);
static bool
conf_seen_check(struct conf_parse *, struct conf_seen *, struct conf_stmt *);

void
conf_oom(const char *fn)
{
	fprintf(stderr, "%s: out of memory\n", fn);
	exit(1);
}

static void *
conf_realloc(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		conf_oom(__func__);
	if ((p = realloc(p, n * size)) == NULL)
		conf_oom(__func__);
	return p;
}

static char *
conf_strdup(const char *s)
{
	char *d;

	if ((d = strdup(s)) == NULL)
		conf_oom(__func__);
	return d;
}

static void conf_err(struct conf_parse *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Report `file:line: message` for the file being read. */
static void
conf_err(struct conf_parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(p->err, "%s:%d: ", p->f->path, line);
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
	p->errors++;
}

/* Keep a copy of path for messages and error prefixes; returns it. */
static const char *
conf_path_intern(struct conf_parse *p, const char *path)
{
	p->paths = conf_realloc(p->paths, p->npaths + 1, sizeof(*p->paths));
	p->paths[p->npaths] = conf_strdup(path);
	return p->paths[p->npaths++];
}

/* "first at line N" or "first at FILE:N" into buf; returns buf. */
static const char *
conf_first_at(
    struct conf_parse *p, const char *file, int line, char *buf, size_t size)
{
	if (strcmp(file, p->f->path) == 0)
		snprintf(buf, size, "first at line %d", line);
	else
		snprintf(buf, size, "first at %s:%d", file, line);
	return buf;
}

/*
 * The lexer. Words are runs of printable ASCII other than { } ; # " \;
 * strings are double-quoted with \" and \\ as the only escapes; '#' starts
 * a comment to the end of the line; a backslash before a newline joins
 * lines; newline and ';' end a statement.
 */
static int
conf_lex_c(const struct conf_file *f, size_t ahead)
{
	if (f->pos + ahead >= f->len)
		return -1;
	return (unsigned char)f->buf[f->pos + ahead];
}

/* The line a message about the end of f should carry. */
static int
conf_lex_eof_line(const struct conf_file *f)
{
	if (f->len > 0 && f->buf[f->len - 1] == '\n' && f->line > 1)
		return f->line - 1;
	return f->line;
}

static bool
conf_lex_wordc(int c)
{
	return c > 0x20 && c < 0x7f && strchr("{};#\"\\", c) == NULL;
}

static void
conf_lex_skip(struct conf_file *f)
{
	int c;

	for (;;) {
		c = conf_lex_c(f, 0);
		if (c == ' ' || c == '\t' || c == '\r')
			f->pos++;
		else if (c == '\\' && conf_lex_c(f, 1) == '\n') {
			f->pos += 2;
			f->line++;
		} else if (c == '#') {
			while ((c = conf_lex_c(f, 0)) != -1 && c != '\n')
				f->pos++;
		} else
			return;
	}
}

/* Append c to the token text of *len bytes (room for the limit + NUL). */
static void
conf_lex_add(char *text, size_t *len, int c)
{
	text[(*len)++] = (char)c;
	text[*len] = '\0';
}

static void
conf_lex_word(struct conf_parse *p, struct conf_tok *t)
{
	struct conf_file *f = p->f;
	size_t len = 0;
	bool toolong = false;
	int c;

	t->type = TOK_WORD;
	t->text = conf_realloc(NULL, CONF_MAX_TOKEN + 1, 1);
	t->text[0] = '\0';
	while ((c = conf_lex_c(f, 0)) != -1 && conf_lex_wordc(c)) {
		if (len == CONF_MAX_TOKEN)
			toolong = true;
		else
			conf_lex_add(t->text, &len, c);
		f->pos++;
	}
	if (toolong) {
		conf_err(p, t->line, "word longer than %d characters",
		    CONF_MAX_TOKEN);
		t->type = TOK_ERROR;
	}
}

/* One character of a string after a backslash; false when invalid. */
static bool
conf_lex_escape(struct conf_parse *p, int *c)
{
	struct conf_file *f = p->f;
	int e = conf_lex_c(f, 0);

	if (e == '\n') {
		f->pos++;
		f->line++;
		*c = -1; /* line continuation: nothing to add */
		return true;
	}
	if (e == '"' || e == '\\') {
		f->pos++;
		*c = e;
		return true;
	}
	if (e > 0x20 && e < 0x7f) {
		f->pos++;
		conf_err(p, f->line, "invalid escape \\%c in string", e);
	} else
		conf_err(p, f->line, "invalid escape in string");
	return false;
}

static void
conf_lex_string(struct conf_parse *p, struct conf_tok *t)
{
	struct conf_file *f = p->f;
	size_t len = 0;
	bool bad = false;
	int c;

	t->type = TOK_STRING;
	t->text = conf_realloc(NULL, CONF_MAX_TOKEN + 1, 1);
	t->text[0] = '\0';
	f->pos++; /* opening quote */
	for (;;) {
		c = conf_lex_c(f, 0);
		if (c == -1 || c == '\n') {
			conf_err(p, t->line, "unterminated string");
			t->type = TOK_ERROR;
			return;
		}
		f->pos++;
		if (c == '"')
			break;
		if (bad)
			continue;
		if (c == '\\') {
			if (!conf_lex_escape(p, &c))
				bad = true;
			if (bad || c == -1)
				continue;
		} else if (c < 0x20 || c == 0x7f) {
			conf_err(p, f->line,
			    "control character 0x%02x in string", c);
			bad = true;
			continue;
		}
		if (len == CONF_MAX_TOKEN) {
			conf_err(p, t->line, "string longer than %d characters",
			    CONF_MAX_TOKEN);
			bad = true;
			continue;
		}
		conf_lex_add(t->text, &len, c);
	}
	if (bad)
		t->type = TOK_ERROR;
}

/*
 * A character no token starts with: report it and skip the run of
 * characters up to the next blank or punctuation, so braces survive.
 */
static void
conf_lex_invalid(struct conf_parse *p, struct conf_tok *t, int c)
{
	struct conf_file *f = p->f;

	if (c > 0x20 && c < 0x7f)
		conf_err(p, t->line, "unexpected character '%c'", c);
	else
		conf_err(p, t->line, "invalid character 0x%02x", c);
	do
		f->pos++;
	while ((c = conf_lex_c(f, 0)) != -1 && c != ' ' && c != '\t' &&
	    c != '\r' && c != '\n' && strchr("{};#\"", c) == NULL);
	t->type = TOK_ERROR;
}

/* The next token of the current file into *t. */
static void
conf_lex(struct conf_parse *p, struct conf_tok *t)
{
	struct conf_file *f = p->f;
	int c;

	if (f->peeked) {
		*t = f->peek;
		f->peeked = false;
		return;
	}
	conf_lex_skip(f);
	t->text = NULL;
	t->line = f->line;
	c = conf_lex_c(f, 0);
	if (c == -1) {
		t->type = TOK_EOF;
		t->line = conf_lex_eof_line(f);
		return;
	}
	if (c == '"') {
		conf_lex_string(p, t);
		return;
	}
	if (conf_lex_wordc(c)) {
		conf_lex_word(p, t);
		return;
	}
	if (c != '\n' && c != ';' && c != '{' && c != '}') {
		conf_lex_invalid(p, t, c);
		return;
	}
	f->pos++;
	if (c == '\n')
		f->line++;
	t->type = c == '{' ? TOK_LBRACE : c == '}' ? TOK_RBRACE : TOK_EOS;
}

static void
conf_lex_unget(struct conf_parse *p, const struct conf_tok *t)
{
	p->f->peek = *t;
	p->f->peeked = true;
}

static void
conf_stmt_clear(struct conf_stmt *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->w[i].s);
	s->n = 0;
	s->pos = 1;
	s->line = 0;
	s->term_line = 0;
	s->bad = false;
	s->kw = NULL;
}

/* Append the word or string t to s (which takes its text). */
static void
conf_stmt_push(struct conf_stmt *s, struct conf_tok *t)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->w = conf_realloc(s->w, s->cap, sizeof(*s->w));
	}
	if (s->n == 0)
		s->line = t->line;
	s->w[s->n].s = conf_realloc(t->text, strlen(t->text) + 1, 1);
	s->w[s->n].quoted = t->type == TOK_STRING;
	s->n++;
	t->text = NULL;
}

/*
 * Read the words of one statement into s (cleared first) and return what
 * ended it. Lexer errors mark s bad; the words are still collected so
 * that braces stay balanced.
 */
static enum conf_term
conf_stmt_read(struct conf_parse *p, struct conf_stmt *s)
{
	struct conf_tok t;

	conf_stmt_clear(s);
	for (;;) {
		conf_lex(p, &t);
		s->term_line = t.line;
		switch (t.type) {
		case TOK_WORD:
		case TOK_STRING:
			if (s->n < CONF_MAX_WORDS) {
				conf_stmt_push(s, &t);
				break;
			}
			if (!s->bad)
				conf_err(p, t.line,
				    "statement longer than %d words",
				    CONF_MAX_WORDS);
			s->bad = true;
			free(t.text);
			break;
		case TOK_ERROR:
			free(t.text);
			if (s->n == 0 && !s->bad)
				s->line = t.line;
			s->bad = true;
			break;
		case TOK_EOS:
			return TERM_EOS;
		case TOK_LBRACE:
			return TERM_LBRACE;
		case TOK_RBRACE:
			return TERM_RBRACE;
		case TOK_EOF:
			return TERM_EOF;
		}
	}
}

/*
 * A block statement (neighbor, group) wants '{' on its line or, after
 * newlines, on a following one. True when it was there (and is consumed).
 */
static bool
conf_block_open(struct conf_parse *p, struct conf_stmt *s, enum conf_term term)
{
	struct conf_tok t;

	if (term == TERM_LBRACE)
		return true;
	if (term == TERM_EOS) {
		do
			conf_lex(p, &t);
		while (t.type == TOK_EOS);
		if (t.type == TOK_LBRACE)
			return true;
		conf_lex_unget(p, &t);
	}
	conf_err(p, s->line, "%s: expected '{'", s->w[0].s);
	return false;
}

/*
 * Skip the body of a block already reported as wrong, up to its '}' (the
 * one matching the '{' at line open): nested braces are counted, not
 * recursed into, so no input can exhaust the stack.
 */
static void
conf_block_skip(struct conf_parse *p, int open)
{
	struct conf_stmt s;
	enum conf_term term;
	unsigned depth = 1;

	memset(&s, 0, sizeof(s));
	while (depth > 0) {
		term = conf_stmt_read(p, &s);
		if (term == TERM_LBRACE)
			depth++;
		else if (term == TERM_RBRACE)
			depth--;
		else if (term == TERM_EOF) {
			conf_err(p, s.term_line,
			    "missing '}' at end of file (block opened at line "
			    "%d)",
			    open);
			break;
		}
	}
	conf_stmt_clear(&s);
	free(s.w);
}

/* The next argument, or NULL after reporting that it is missing. */
static const char *
conf_arg(struct conf_parse *p, struct conf_stmt *s)
{
	if (s->pos < s->n)
		return s->w[s->pos++].s;
	conf_err(p, s->line, "%s: missing argument (usage: %s)", s->w[0].s,
	    s->kw->usage);
	return NULL;
}

/* The next argument if there is one; no message. */
static const char *
conf_arg_opt(struct conf_stmt *s)
{
	return s->pos < s->n ? s->w[s->pos++].s : NULL;
}

/* True when every argument was used; otherwise reports the first extra. */
static bool
conf_args_done(struct conf_parse *p, struct conf_stmt *s)
{
	if (s->pos >= s->n)
		return true;
	conf_err(p, s->line, "%s: unexpected \"%s\" (usage: %s)", s->w[0].s,
	    s->w[s->pos].s, s->kw->usage);
	return false;
}

/* conf_arg() that also wants it to be the last one. */
static const char *
conf_arg_last(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg(p, s)) == NULL || !conf_args_done(p, s))
		return NULL;
	return a;
}

/*
 * The decimal number a into *v (saturating at UINT64_MAX). -1 when a is
 * not only digits.
 */
static int
conf_digits(const char *a, uint64_t *v)
{
	uint64_t x = 0;
	const char *c;

	for (c = a; *c >= '0' && *c <= '9'; c++)
		x = x > (UINT64_MAX - 9) / 10 ? UINT64_MAX
		                              : x * 10 + (uint64_t)(*c - '0');
	if (c == a || *c != '\0')
		return -1;
	*v = x;
	return 0;
}

/* Report "LABEL A: not a number", showing an empty a as "". */
static void
conf_nan(
    struct conf_parse *p, struct conf_stmt *s, const char *label, const char *a)
{
	conf_err(p, s->line, "%s %s: not a number", label,
	    a[0] != '\0' ? a : "\"\"");
}

/*
 * Decimal a in [min, max] into *v. Reports "LABEL A: not a number" or
 * "LABEL A: must be MIN..MAX" and returns -1 otherwise.
 */
static int
conf_num(struct conf_parse *p, struct conf_stmt *s, const char *label,
    const char *a, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t x;

	if (conf_digits(a, &x) == -1) {
		conf_nan(p, s, label, a);
		return -1;
	}
	if (x < min || x > max) {
		conf_err(p, s->line, "%s %s: must be %llu..%llu", label, a,
		    (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*v = x;
	return 0;
}

/* A hold time, RFC 4271 §4.2: zero or at least three seconds. */
static int
conf_holdtime(
    struct conf_parse *p, struct conf_stmt *s, const char *a, uint16_t *v)
{
	uint64_t x;

	if (conf_digits(a, &x) == -1) {
		conf_nan(p, s, s->w[0].s, a);
		return -1;
	}
	if (x == 1 || x == 2 || x > 65535) {
		conf_err(
		    p, s->line, "%s %s: must be 0 or 3..65535", s->w[0].s, a);
		return -1;
	}
	*v = (uint16_t)x;
	return 0;
}

int
conf_asdot(const char *a, uint32_t *as)
{
	unsigned long hi, lo;
	char *end;

	if (a[0] < '0' || a[0] > '9')
		return -1;
	hi = strtoul(a, &end, 10);
	if (*end != '.' || hi > 65535 || end[1] < '0' || end[1] > '9')
		return -1;
	lo = strtoul(end + 1, &end, 10);
	if (*end != '\0' || lo > 65535)
		return -1;
	*as = (uint32_t)(hi << 16 | lo);
	return 0;
}

/*
 * An AS number in asplain ("65536") or asdot ("1.0"). AS 0 (RFC 7607)
 * and AS_TRANS (RFC 6793 §9) are no one's AS and are refused.
 */
static int
conf_asnum(
    struct conf_parse *p, struct conf_stmt *s, const char *a, uint32_t *as)
{
	const char *label = s->w[0].s;
	uint64_t v;

	if (strchr(a, '.') != NULL) {
		if (conf_asdot(a, as) == -1) {
			conf_err(p, s->line,
			    "%s %s: not an AS number (asplain or asdot)", label,
			    a);
			return -1;
		}
		v = *as;
	} else if (conf_num(p, s, label, a, 1, UINT32_MAX, &v) == -1)
		return -1;
	if (v == 0 || v == 23456) {
		conf_err(p, s->line, "%s %s: %s is reserved (%s)", label, a,
		    v == 0 ? "AS 0" : "AS_TRANS",
		    v == 0 ? "RFC 7607" : "RFC 6793");
		return -1;
	}
	*as = (uint32_t)v;
	return 0;
}

/* "yes" or "no" into *v; -1 after a message otherwise. */
static int
conf_yesno(struct conf_parse *p, struct conf_stmt *s, bool *v)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return -1;
	if (strcmp(a, "yes") == 0 || strcmp(a, "no") == 0) {
		*v = a[0] == 'y';
		return 0;
	}
	conf_err(p, s->line, "%s %s: expected yes or no", s->w[0].s, a);
	return -1;
}

/* Copy a string argument into dst of size bytes, or report it too long. */
static int
conf_strcpy(struct conf_parse *p, struct conf_stmt *s, const char *a, char *dst,
    size_t size)
{
	if (strlen(a) >= size) {
		conf_err(p, s->line, "%s: longer than %zu characters",
		    s->w[0].s, size - 1);
		return -1;
	}
	memcpy(dst, a, strlen(a) + 1);
	return 0;
}

/* Report a that is not what s expects at this place. */
static void
conf_arg_bad(struct conf_parse *p, struct conf_stmt *s, const char *a)
{
	conf_err(p, s->line, "%s: unexpected \"%s\" (usage: %s)", s->w[0].s, a,
	    s->kw->usage);
}

/* An interface index from "%NAME" or "%INDEX"; 0 when there is none. */
static unsigned
conf_scope(const char *name)
{
	char *end;
	unsigned long i;

	if (name[0] >= '1' && name[0] <= '9') {
		i = strtoul(name, &end, 10);
		return *end == '\0' && i <= UINT32_MAX ? (unsigned)i : 0;
	}
	return if_nametoindex(name);
}

/* Why the IPv4 address in a cannot be a peer or a local address. */
static const char *
conf_addr4_why(const struct in_addr *in, bool wildcard)
{
	uint32_t a = ntohl(in->s_addr);

	if (a == INADDR_ANY && !wildcard)
		return "unspecified address";
	if (IN_MULTICAST(a))
		return "multicast address";
	if (a == INADDR_BROADCAST)
		return "broadcast address";
	return NULL;
}

/* Why the IPv6 address in a (scope as given) is not acceptable. */
static const char *
conf_addr6_why(const struct in6_addr *in6, bool wildcard, bool scoped)
{
	if (IN6_IS_ADDR_V4MAPPED(in6))
		return "IPv4-mapped address, write it as IPv4";
	if (IN6_IS_ADDR_UNSPECIFIED(in6) && !wildcard)
		return "unspecified address";
	if (IN6_IS_ADDR_MULTICAST(in6))
		return "multicast address";
	if (IN6_IS_ADDR_LINKLOCAL(in6) && !scoped)
		return "link-local address needs a scope (ADDRESS%INTERFACE)";
	if (!IN6_IS_ADDR_LINKLOCAL(in6) && scoped)
		return "a scope is only allowed on link-local addresses";
	return NULL;
}

/*
 * A numeric IPv4 or IPv6 address (link-local IPv6 with %SCOPE) into ss,
 * port 0. Refuses prefixes, IPv4-mapped IPv6 (sessions over IPv4 show up
 * as IPv4, so the neighbor is written that way), multicast, the limited
 * broadcast and, unless wildcard, the unspecified address.
 */
static int
conf_addr(struct conf_parse *p, struct conf_stmt *s, const char *label,
    const char *a, bool wildcard, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN];
	const char *pct = strchr(a, '%'), *why = NULL;
	size_t alen = pct != NULL ? (size_t)(pct - a) : strlen(a);

	memset(ss, 0, sizeof(*ss));
	if (strchr(a, '/') != NULL)
		why = "not a host address (no prefix length)";
	else if (alen >= sizeof(buf))
		why = "not an IPv4 or IPv6 address";
	if (why == NULL) {
		memcpy(buf, a, alen);
		buf[alen] = '\0';
		if (inet_pton(AF_INET, buf, &sin->sin_addr) == 1) {
			sin->sin_family = AF_INET;
			*len = sizeof(*sin);
			why = pct != NULL
			    ? "a scope is only allowed on link-local "
			      "addresses"
			    : conf_addr4_why(&sin->sin_addr, wildcard);
		} else if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1) {
			sin6->sin6_family = AF_INET6;
			*len = sizeof(*sin6);
			why = conf_addr6_why(
			    &sin6->sin6_addr, wildcard, pct != NULL);
			if (why == NULL && pct != NULL &&
			    (sin6->sin6_scope_id = conf_scope(pct + 1)) == 0)
				why = "unknown interface";
		} else
			why = "not an IPv4 or IPv6 address";
	}
	if (why == NULL)
		return 0;
	conf_err(p, s->line, "%s %s: %s", label, a, why);
	return -1;
}

static void
conf_origin_add(struct conf_parse *p, const void *obj, struct conf_neighbor *n,
    int line, bool hold_set)
{
	struct conf_origin *o;

	p->orig = conf_realloc(p->orig, p->norig + 1, sizeof(*p->orig));
	o = &p->orig[p->norig++];
	o->obj = obj;
	o->nbr = n;
	o->file = p->f->path;
	o->line = line;
	o->hold_set = hold_set;
}

/* " (first at ...)" text for an object recorded by conf_origin_add(). */
static const char *
conf_origin_at(struct conf_parse *p, const void *obj, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < p->norig; i++)
		if (p->orig[i].obj == obj)
			return conf_first_at(
			    p, p->orig[i].file, p->orig[i].line, buf, size);
	snprintf(buf, size, "first earlier");
	return buf;
}

/*
 * Global settings. Each handler gets a statement whose keyword matched;
 * s->pos points at its first argument.
 */
static void
conf_g_local_as(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) != NULL)
		(void)conf_asnum(p, s, a, &p->c->local_as);
}

/* RFC 6286 §2.1: a four-octet, non-zero BGP Identifier. */
static void
conf_g_router_id(struct conf_parse *p, struct conf_stmt *s)
{
	struct in_addr in;
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (inet_pton(AF_INET, a, &in) != 1)
		conf_err(p, s->line, "router-id %s: not an IPv4 address", a);
	else if (in.s_addr == 0)
		conf_err(
		    p, s->line, "router-id %s: must not be zero (RFC 6286)", a);
	else
		p->c->router_id = ntohl(in.s_addr);
}

/* The optional "port PORT" of a listen statement labelled by addr. */
static int
conf_listen_port(
    struct conf_parse *p, struct conf_stmt *s, const char *addr, uint16_t *port)
{
	const char *a;
	char label[128];
	uint64_t v;

	if ((a = conf_arg_opt(s)) == NULL)
		return 0;
	if (strcmp(a, "port") != 0) {
		conf_arg_bad(p, s, a);
		return -1;
	}
	snprintf(label, sizeof(label), "listen on %s port", addr);
	if ((a = conf_arg_last(p, s)) == NULL ||
	    conf_num(p, s, label, a, 1, 65535, &v) == -1)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static void
conf_g_listen(struct conf_parse *p, struct conf_stmt *s)
{
	struct conf_listen *l, *o;
	const char *a;
	char at[256];
	uint16_t port = CONF_DEFAULT_PORT;

	if ((a = conf_arg(p, s)) == NULL)
		return;
	if (strcmp(a, "on") != 0) {
		conf_arg_bad(p, s, a);
		return;
	}
	if ((a = conf_arg(p, s)) == NULL)
		return;
	l = conf_realloc(NULL, 1, sizeof(*l));
	memset(l, 0, sizeof(*l));
	if (conf_addr(p, s, "listen on", a, true, &l->ss, &l->sslen) == -1 ||
	    conf_listen_port(p, s, a, &port) == -1 || !conf_args_done(p, s)) {
		free(l);
		return;
	}
	conf_sa_set_port((struct sockaddr *)&l->ss, port);
	l->line = s->line;
	STAILQ_FOREACH(o, &p->c->listens, entry)
	{
		if (conf_sa_equal(
		        (struct sockaddr *)&o->ss, (struct sockaddr *)&l->ss)) {
			conf_err(p, s->line,
			    "duplicate listen on %s port %u (%s)", a, port,
			    conf_origin_at(p, o, at, sizeof(at)));
			free(l);
			return;
		}
	}
	STAILQ_INSERT_TAIL(&p->c->listens, l, entry);
	conf_origin_add(p, l, NULL, s->line, false);
}

static void
conf_g_control(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (a[0] != '/')
		conf_err(p, s->line, "control %s: not an absolute path", a);
	else
		(void)conf_strcpy(
		    p, s, a, p->c->control, sizeof(p->c->control));
}

static void
conf_g_holdtime(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) != NULL)
		(void)conf_holdtime(p, s, a, &p->c->holdtime);
}

static void
conf_g_connect_retry(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;
	uint64_t v;

	if ((a = conf_arg_last(p, s)) != NULL &&
	    conf_num(p, s, s->w[0].s, a, 1, 65535, &v) == 0)
		p->c->connect_retry = (uint16_t)v;
}

static void
conf_g_user(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (a[0] == '\0')
		conf_err(p, s->line, "user: empty name");
	else
		(void)conf_strcpy(p, s, a, p->c->user, sizeof(p->c->user));
}

/* Host name syntax (RFC 1123 §2.1): dot-separated labels of 1..63. */
static bool
conf_hostname_ok(const char *a)
{
	size_t label = 0;

	if (a[0] == '\0' || a[0] == '.' || a[0] == '-' || strlen(a) > 255)
		return false;
	for (; *a != '\0'; a++) {
		if (*a == '.') {
			if (label == 0 || a[-1] == '-' || a[1] == '-')
				return false;
			label = 0;
		} else if ((*a >= 'a' && *a <= 'z') ||
		    (*a >= 'A' && *a <= 'Z') || (*a >= '0' && *a <= '9') ||
		    *a == '-') {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return label != 0 && a[-1] != '-';
}

static void
conf_g_hostname(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (!conf_hostname_ok(a))
		conf_err(p, s->line, "hostname %s: not a valid host name", a);
	else
		(void)conf_strcpy(
		    p, s, a, p->c->hostname, sizeof(p->c->hostname));
}

static void
conf_g_log(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (strcmp(a, "updates") != 0)
		conf_arg_bad(p, s, a);
	else
		p->c->log_updates = true;
}

/* Seconds between two rounds of peer-stats lines: 0 (none) or 10..86400. */
static void
conf_g_stats_interval(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;
	uint64_t x;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (conf_digits(a, &x) == -1) {
		conf_nan(p, s, s->w[0].s, a);
		return;
	}
	if ((x != 0 && x < CONF_STATS_INTERVAL_MIN) ||
	    x > CONF_STATS_INTERVAL_MAX) {
		conf_err(p, s->line, "%s %s: must be 0 or %u..%u", s->w[0].s, a,
		    CONF_STATS_INTERVAL_MIN, CONF_STATS_INTERVAL_MAX);
		return;
	}
	p->c->stats_interval = (uint32_t)x;
}

/*
 * Outputs (bgpwatch.conf(5) OUTPUTS): where the event lines go, and the
 * spool that keeps them while a network output is away.
 */

/* Output types an option applies to (bits 1 << enum conf_output_type). */
#define CONF_OT_ALL 0xf
#define CONF_OT_NET (1u << CONF_OUT_TCP | 1u << CONF_OUT_TLS)
#define CONF_OT_TLS (1u << CONF_OUT_TLS)

enum conf_oopt {
	OO_QUEUE,
	OO_RESEND,
	OO_SPOOL,
	OO_CA,
	OO_CERT,
	OO_KEY,
	OO_SERVER_NAME,
	OO_COUNT,
};

static const struct {
	const char *name;
	unsigned types;
	const char *only; /* for the message when misplaced */
} conf_oopts[OO_COUNT] = {
	[OO_QUEUE] = { "queue", CONF_OT_ALL, "" },
	[OO_RESEND] = { "resend", CONF_OT_NET, "tcp and tls" },
	[OO_SPOOL] = { "spool", CONF_OT_NET, "tcp and tls" },
	[OO_CA] = { "ca", CONF_OT_TLS, "tls" },
	[OO_CERT] = { "cert", CONF_OT_TLS, "tls" },
	[OO_KEY] = { "key", CONF_OT_TLS, "tls" },
	[OO_SERVER_NAME] = { "server-name", CONF_OT_TLS, "tls" },
};

/*
 * A size into *v: bytes, or a number with K, M, G or T (powers of 1024),
 * within [min, max]; -1 after a message otherwise.
 */
static int
conf_size(struct conf_parse *p, struct conf_stmt *s, const char *label,
    const char *a, uint64_t min, uint64_t max, uint64_t *v)
{
	static const char units[] = "KMGTkmgt";
	char num[24], lo[24], hi[24];
	size_t n = strlen(a);
	uint64_t x, mul = 1;
	const char *u;

	if (n > 0 && (u = strchr(units, a[n - 1])) != NULL) {
		mul = 1ull << (10 * ((u - units) % 4 + 1));
		n--;
	}
	if (n == 0 || n >= sizeof(num))
		goto bad;
	memcpy(num, a, n);
	num[n] = '\0';
	if (conf_digits(num, &x) == -1)
		goto bad;
	x = x > UINT64_MAX / mul ? UINT64_MAX : x * mul;
	if (x < min || x > max) {
		conf_err(p, s->line, "%s %s: must be %s..%s", label, a,
		    conf_size_fmt(min, lo, sizeof(lo)),
		    conf_size_fmt(max, hi, sizeof(hi)));
		return -1;
	}
	*v = x;
	return 0;
bad:
	conf_err(p, s->line,
	    "%s %s: not a size (bytes, or a number with K, M, G or T)", label,
	    a[0] != '\0' ? a : "\"\"");
	return -1;
}

/* An absolute path of less than CONF_PATH_MAX characters into dst. */
static int
conf_path(struct conf_parse *p, struct conf_stmt *s, const char *label,
    const char *a, char *dst)
{
	if (a[0] != '/') {
		conf_err(p, s->line, "%s %s: not an absolute path", label,
		    a[0] != '\0' ? a : "\"\"");
		return -1;
	}
	if (strlen(a) >= CONF_PATH_MAX) {
		conf_err(p, s->line, "%s: longer than %d characters", label,
		    CONF_PATH_MAX - 1);
		return -1;
	}
	memcpy(dst, a, strlen(a) + 1);
	return 0;
}

/* A host name or an address, the latter in canonical form, into dst. */
static const char *
conf_host(const char *h, bool v6, char *dst, size_t size)
{
	struct in6_addr in6;
	struct in_addr in;

	if (v6) {
		if (inet_pton(AF_INET6, h, &in6) != 1)
			return "not an IPv6 address";
		inet_ntop(AF_INET6, &in6, dst, (socklen_t)size);
	} else if (inet_pton(AF_INET, h, &in) == 1)
		inet_ntop(AF_INET, &in, dst, (socklen_t)size);
	else if (!conf_hostname_ok(h))
		return "not a host name or address";
	else
		snprintf(dst, size, "%s", h);
	return NULL;
}

/* "HOST:PORT" or "[IPV6]:PORT" of a tcp or tls output into o. */
static int
conf_hostport(struct conf_parse *p, struct conf_stmt *s, const char *a,
    struct conf_output *o)
{
	const char *h = a, *colon, *why = "expected HOST:PORT";
	char host[256], label[300];
	size_t hlen = 0;
	uint64_t v;

	if (a[0] == '[') {
		h = a + 1;
		colon = strchr(a, ']');
		if (colon != NULL) {
			hlen = (size_t)(colon - h);
			colon = colon[1] == ':' ? colon + 1 : NULL;
		}
	} else if ((colon = strrchr(a, ':')) != NULL) {
		hlen = (size_t)(colon - a);
		if (memchr(a, ':', hlen) != NULL)
			why =
			    "an IPv6 address goes in brackets, [ADDRESS]:PORT";
		if (memchr(a, ':', hlen) != NULL)
			colon = NULL;
	}
	if (colon != NULL && hlen > 0 && hlen < sizeof(host)) {
		memcpy(host, h, hlen);
		host[hlen] = '\0';
		why = conf_host(host, a[0] == '[', o->host, sizeof(o->host));
	}
	if (colon == NULL || hlen == 0 || hlen >= sizeof(host) || why != NULL) {
		conf_err(p, s->line, "output %s %s: %s", s->w[1].s, a, why);
		return -1;
	}
	snprintf(label, sizeof(label), "output %s %s port", s->w[1].s, a);
	if (conf_num(p, s, label, colon + 1, 1, 65535, &v) == -1)
		return -1;
	o->port = (uint16_t)v;
	return 0;
}

/* "spool DIRECTORY [max SIZE]" or "spool none" of one output. */
static int
conf_output_spool(struct conf_parse *p, struct conf_stmt *s,
    struct conf_output *o, const char *a, bool *inherit)
{
	*inherit = false;
	if (strcmp(a, "none") == 0)
		return 0;
	if (conf_path(p, s, "spool", a, o->spool) == -1)
		return -1;
	if (s->pos >= s->n || strcmp(s->w[s->pos].s, "max") != 0)
		return 0;
	s->pos++;
	if ((a = conf_arg(p, s)) == NULL)
		return -1;
	return conf_size(
	    p, s, "spool max", a, 64 << 10, 1ull << 50, &o->spool_max);
}

/* The value of option i (its name already taken) into o. */
static int
conf_output_optval(struct conf_parse *p, struct conf_stmt *s,
    struct conf_output *o, enum conf_oopt i, bool *inherit)
{
	const char *a, *why;

	if ((a = conf_arg(p, s)) == NULL)
		return -1;
	switch (i) {
	case OO_QUEUE:
		return conf_size(
		    p, s, "queue", a, 4 << 10, 1ull << 32, &o->queue);
	case OO_RESEND:
		return conf_size(p, s, "resend", a, 0, 1ull << 30, &o->resend);
	case OO_SPOOL:
		return conf_output_spool(p, s, o, a, inherit);
	case OO_CA:
		return conf_path(p, s, "ca", a, o->ca);
	case OO_CERT:
		return conf_path(p, s, "cert", a, o->cert);
	case OO_KEY:
		return conf_path(p, s, "key", a, o->key);
	default:
		break;
	}
	if ((why = conf_host(a, strchr(a, ':') != NULL, o->server_name,
	         sizeof(o->server_name))) == NULL)
		return 0;
	conf_err(p, s->line, "server-name %s: %s", a, why);
	return -1;
}

/* The options after the target, each once and only where it applies. */
static int
conf_output_opts(struct conf_parse *p, struct conf_stmt *s,
    struct conf_output *o, bool *inherit)
{
	bool seen[OO_COUNT] = { false };
	const char *a;
	int i;

	while ((a = conf_arg_opt(s)) != NULL) {
		for (i = 0; i < OO_COUNT; i++)
			if (strcmp(a, conf_oopts[i].name) == 0)
				break;
		if (i == OO_COUNT) {
			conf_arg_bad(p, s, a);
			return -1;
		}
		if (!(conf_oopts[i].types & (1u << o->type))) {
			conf_err(p, s->line,
			    "output %s: %s is only for %s "
			    "outputs",
			    s->w[1].s, a, conf_oopts[i].only);
			return -1;
		}
		if (seen[i]) {
			conf_err(p, s->line, "output %s: duplicate %s",
			    s->w[1].s, a);
			return -1;
		}
		seen[i] = true;
		if (conf_output_optval(p, s, o, i, inherit) == -1)
			return -1;
	}
	return 0;
}

/* The target after "output": the type and its file or HOST:PORT. */
static int
conf_output_target(
    struct conf_parse *p, struct conf_stmt *s, struct conf_output *o)
{
	static const char *const types[] = { "file", "stdout", "tcp", "tls" };
	const char *a;

	if ((a = conf_arg(p, s)) == NULL)
		return -1;
	for (o->type = CONF_OUT_FILE; o->type <= CONF_OUT_TLS; o->type++)
		if (strcmp(a, types[o->type]) == 0)
			break;
	if (o->type > CONF_OUT_TLS) {
		conf_err(p, s->line,
		    "output %s: unknown output (file, stdout, tcp or tls)", a);
		return -1;
	}
	if (o->type == CONF_OUT_STDOUT)
		return 0;
	if ((a = conf_arg(p, s)) == NULL)
		return -1;
	if (o->type == CONF_OUT_FILE)
		return conf_path(p, s, "output file", a, o->path);
	return conf_hostport(p, s, a, o);
}

/* The same destination: one file, stdout, or one HOST:PORT per type. */
static bool
conf_output_same(const struct conf_output *a, const struct conf_output *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == CONF_OUT_FILE)
		return strcmp(a->path, b->path) == 0;
	return strcmp(a->host, b->host) == 0 && a->port == b->port;
}

/* Settings that only make sense together, and duplicates. */
static int
conf_output_check(
    struct conf_parse *p, struct conf_stmt *s, struct conf_output *o)
{
	const struct conf_output *x;
	char name[CONF_PATH_MAX + 16], at[256];

	conf_output_name(o, name, sizeof(name));
	if (o->type == CONF_OUT_TLS && o->ca[0] == '\0') {
		conf_err(p, s->line, "output %s: ca FILE missing", name);
		return -1;
	}
	if ((o->cert[0] == '\0') != (o->key[0] == '\0')) {
		conf_err(
		    p, s->line, "output %s: cert and key go together", name);
		return -1;
	}
	STAILQ_FOREACH(x, &p->c->outputs, entry)
	{
		if (conf_output_same(x, o)) {
			conf_err(p, s->line, "duplicate output %s (%s)", name,
			    conf_origin_at(p, x, at, sizeof(at)));
			return -1;
		}
	}
	return 0;
}

static void
conf_g_output(struct conf_parse *p, struct conf_stmt *s)
{
	struct conf_output *o;
	bool inherit;

	o = conf_realloc(NULL, 1, sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->queue = CONF_OUT_QUEUE_DEFAULT;
	o->resend = CONF_OUT_RESEND_DEFAULT;
	o->line = s->line;
	inherit = true;
	if (conf_output_target(p, s, o) == -1 ||
	    conf_output_opts(p, s, o, &inherit) == -1 ||
	    conf_output_check(p, s, o) == -1) {
		free(o);
		return;
	}
	STAILQ_INSERT_TAIL(&p->c->outputs, o, entry);
	conf_origin_add(p, o, NULL, s->line, false);
	if (inherit && (o->type == CONF_OUT_TCP || o->type == CONF_OUT_TLS)) {
		p->inherit = conf_realloc(
		    p->inherit, p->ninherit + 1, sizeof(*p->inherit));
		p->inherit[p->ninherit++] = o;
	}
}

static void
conf_g_spool(struct conf_parse *p, struct conf_stmt *s)
{
	char dir[CONF_PATH_MAX];
	uint64_t max = CONF_SPOOL_MAX_DEFAULT;
	const char *a;

	if ((a = conf_arg(p, s)) == NULL ||
	    conf_path(p, s, "spool", a, dir) == -1)
		return;
	if ((a = conf_arg_opt(s)) != NULL) {
		if (strcmp(a, "max") != 0) {
			conf_arg_bad(p, s, a);
			return;
		}
		if ((a = conf_arg_last(p, s)) == NULL ||
		    conf_size(
		        p, s, "spool max", a, 64 << 10, 1ull << 50, &max) == -1)
			return;
	}
	memcpy(p->c->spool, dir, sizeof(dir));
	p->c->spool_max = max;
}

/*
 * `dump table PATH [SECONDS]`: the MRT TABLE_DUMP_V2 file (RFC 6396 §4.3)
 * of `bgpwatchctl dump table`, and every SECONDS when given.
 */
static void
conf_dump_table(struct conf_parse *p, struct conf_stmt *s)
{
	char path[CONF_PATH_MAX];
	const char *a;
	uint64_t v = 0;

	if ((a = conf_arg(p, s)) == NULL ||
	    conf_path(p, s, "dump table", a, path) == -1)
		return;
	if ((a = conf_arg_opt(s)) != NULL &&
	    (!conf_args_done(p, s) ||
	        conf_num(p, s, "dump table", a, CONF_DUMP_INTERVAL_MIN,
	            CONF_DUMP_INTERVAL_MAX, &v) == -1))
		return;
	memcpy(p->c->dump_table, path, sizeof(path));
	p->c->dump_table_interval = (uint32_t)v;
}

/*
 * `dump updates|all PATH SECONDS`: BGP4MP_ET records (RFC 6396 §4.4) of
 * every UPDATE (all: every message) received and every session state
 * change, in a new file every SECONDS.
 */
static void
conf_dump_updates(struct conf_parse *p, struct conf_stmt *s, bool all)
{
	const char *label = all ? "dump all" : "dump updates";
	char path[CONF_PATH_MAX];
	const char *a;
	uint64_t v;

	if ((a = conf_arg(p, s)) == NULL ||
	    conf_path(p, s, label, a, path) == -1 ||
	    (a = conf_arg_last(p, s)) == NULL ||
	    conf_num(p, s, label, a, CONF_DUMP_INTERVAL_MIN,
	        CONF_DUMP_INTERVAL_MAX, &v) == -1)
		return;
	memcpy(p->c->dump_updates, path, sizeof(path));
	p->c->dump_updates_interval = (uint32_t)v;
	p->c->dump_updates_all = all;
}

/*
 * `dump table ...` and `dump updates|all ...`; PATH is a strftime(3)
 * pattern. A table dump and an update dump may be given once each.
 */
static void
conf_g_dump(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;
	bool table;

	if ((a = conf_arg(p, s)) == NULL)
		return;
	if (strcmp(a, "table") != 0 && strcmp(a, "updates") != 0 &&
	    strcmp(a, "all") != 0) {
		conf_arg_bad(p, s, a);
		return;
	}
	table = strcmp(a, "table") == 0;
	if (!conf_seen_check(
	        p, &p->gseen[table ? GS_DUMP_TABLE : GS_DUMP_UPDATES], s))
		return;
	if (table)
		conf_dump_table(p, s);
	else
		conf_dump_updates(p, s, strcmp(a, "all") == 0);
}

/*
 * After the whole file: network outputs without their own spool get
 * SPOOL/TYPE-HOST-PORT of the global one; no two outputs share a spool.
 */
static void
conf_outputs_finish(struct conf_parse *p, int eof)
{
	struct conf_output *o, *x;
	char sub[320], path[CONF_PATH_MAX + 320], *c;
	size_t i;

	for (i = 0; i < p->ninherit && p->c->spool[0] != '\0'; i++) {
		o = p->inherit[i];
		snprintf(sub, sizeof(sub), "%s-%s-%u",
		    conf_output_type_name(o->type), o->host, o->port);
		for (c = sub; *c != '\0'; c++)
			if (strchr(
			        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR"
			        "STUVWXYZ0123456789.-",
			        *c) == NULL)
				*c = '_';
		snprintf(path, sizeof(path), "%s/%s", p->c->spool, sub);
		if (strlen(path) >= CONF_PATH_MAX)
			conf_err(p, eof,
			    "spool: longer than %d characters with %s",
			    CONF_PATH_MAX - 1, sub);
		else
			memcpy(o->spool, path, strlen(path) + 1);
		o->spool_max = p->c->spool_max;
	}
	STAILQ_FOREACH(o, &p->c->outputs, entry)
	{
		if (o->spool[0] == '\0') {
			o->spool_max = 0;
			continue;
		}
		if (o->spool_max == 0)
			o->spool_max = CONF_SPOOL_MAX_DEFAULT;
		for (x = STAILQ_NEXT(o, entry); x != NULL;
		     x = STAILQ_NEXT(x, entry))
			if (strcmp(x->spool, o->spool) == 0)
				conf_err(p, eof,
				    "spool %s: used by the outputs of lines %d "
				    "and %d",
				    o->spool, o->line, x->line);
	}
}

/*
 * Read the whole file at path into a heap buffer; -1 with errno. Files
 * beyond CONF_MAX_FILE fail with EFBIG (an include of /dev/zero, say).
 */
static int
conf_file_load(const char *path, char **buf, size_t *len)
{
	FILE *fp;
	char *b = NULL;
	size_t n = 0, cap = 0, r;
	int e;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			b = conf_realloc(b, cap, 1);
		}
		r = fread(b + n, 1, cap - n, fp);
		n += r;
	} while (r > 0 && n <= CONF_MAX_FILE);
	e = ferror(fp) ? errno : n > CONF_MAX_FILE ? EFBIG : 0;
	fclose(fp);
	if (e != 0) {
		free(b);
		errno = e;
		return -1;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* name as seen from the file at from: relative to from's directory. */
static char *
conf_include_path(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	size_t dlen;
	char *path;

	if (name[0] == '/' || slash == NULL)
		return conf_strdup(name);
	dlen = (size_t)(slash - from) + 1;
	path = conf_realloc(NULL, dlen + strlen(name) + 1, 1);
	memcpy(path, from, dlen);
	memcpy(path + dlen, name, strlen(name) + 1);
	return path;
}

/* Parse the len bytes at buf as the top level of file path. */
static void
conf_file_run(struct conf_parse *p, const char *path, const char *buf,
    size_t len, int depth)
{
	struct conf_file f, *saved = p->f;

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.buf = buf;
	f.len = len;
	f.line = 1;
	f.depth = depth;
	p->f = &f;
	conf_block(p, CTX_TOP, NULL, 0);
	if (f.peeked)
		free(f.peek.text);
	p->f = saved;
}

static void
conf_g_include(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;
	char *path, *buf;
	size_t len;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (a[0] == '\0') {
		conf_err(p, s->line, "include: empty file name");
		return;
	}
	if (p->f->depth >= CONF_INCLUDE_DEPTH) {
		conf_err(p, s->line, "include depth exceeded (limit %d)",
		    CONF_INCLUDE_DEPTH);
		return;
	}
	path = conf_include_path(p->f->path, a);
	if (conf_file_load(path, &buf, &len) == -1)
		conf_err(
		    p, s->line, "include \"%s\": %s", path, strerror(errno));
	else {
		conf_file_run(
		    p, conf_path_intern(p, path), buf, len, p->f->depth + 1);
		free(buf);
	}
	free(path);
}

/*
 * Neighbor settings, also valid in a group block (then as defaults for
 * the group's neighbors).
 */
static void
conf_n_remote_as(
    struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;
	uint32_t as;

	nc->remote_as_given = true;
	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (strcmp(a, "any") == 0) {
		nc->n.remote_as_any = true;
		nc->n.remote_as = 0;
	} else if (conf_asnum(p, s, a, &as) == 0) {
		nc->n.remote_as_any = false;
		nc->n.remote_as = as;
	}
}

static void
conf_n_descr(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) != NULL)
		(void)conf_strcpy(p, s, a, nc->n.descr, sizeof(nc->n.descr));
}

/* "passive" and "connect": one setting, the way the session opens. */
static void
conf_n_mode(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	if (conf_args_done(p, s))
		nc->n.passive = strcmp(s->w[0].s, "passive") == 0;
}

static void
conf_n_port(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;
	uint64_t v;

	if ((a = conf_arg_last(p, s)) != NULL &&
	    conf_num(p, s, s->w[0].s, a, 1, 65535, &v) == 0)
		nc->port = (uint16_t)v;
}

static void
conf_n_local_addr(
    struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) != NULL &&
	    conf_addr(p, s, s->w[0].s, a, false, &nc->n.local_addr,
	        &nc->n.local_addrlen) == 0)
		nc->n.has_local_addr = true;
}

/* RFC 2385 key; Linux takes at most TCP_MD5SIG_MAXKEYLEN octets. */
static void
conf_n_md5(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (a[0] == '\0')
		conf_err(p, s->line, "md5 key is empty");
	else if (strlen(a) > CONF_MD5_MAXLEN)
		conf_err(p, s->line, "md5 key longer than %d characters",
		    CONF_MD5_MAXLEN);
	else
		memcpy(nc->n.md5, a, strlen(a) + 1);
}

static void
conf_n_ttlsec(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	(void)conf_yesno(p, s, &nc->n.ttl_security);
}

static void
conf_n_addpath(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (strcmp(a, "receive") == 0 || strcmp(a, "no") == 0)
		nc->n.addpath_recv = a[0] == 'r';
	else
		conf_err(p, s->line, "add-path %s: expected receive or no", a);
}

/* The options after "max-prefix NUMBER"; -1 after a message. */
static int
conf_maxprefix_opts(
    struct conf_parse *p, struct conf_stmt *s, bool *warn, uint32_t *restart)
{
	const char *a;
	uint64_t v;

	while ((a = conf_arg_opt(s)) != NULL) {
		if (strcmp(a, "warn-only") == 0 && !*warn)
			*warn = true;
		else if (strcmp(a, "restart") == 0 && *restart == 0) {
			if ((a = conf_arg(p, s)) == NULL ||
			    conf_num(p, s, "max-prefix restart", a, 1, 65535,
			        &v) == -1)
				return -1;
			*restart = (uint32_t)v;
		} else {
			conf_arg_bad(p, s, a);
			return -1;
		}
	}
	if (*warn && *restart != 0) {
		conf_err(p, s->line,
		    "max-prefix: warn-only and restart exclude each other");
		return -1;
	}
	return 0;
}

static void
conf_n_maxprefix(
    struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;
	uint64_t v;
	uint32_t restart = 0;
	bool warn = false;

	if ((a = conf_arg(p, s)) == NULL ||
	    conf_num(p, s, s->w[0].s, a, 1, UINT32_MAX, &v) == -1 ||
	    conf_maxprefix_opts(p, s, &warn, &restart) == -1)
		return;
	nc->n.has_max_prefix = true;
	nc->n.max_prefix = (uint32_t)v;
	nc->n.max_prefix_warn_only = warn;
	nc->n.max_prefix_restart = restart;
}

/* RFC 4724: we are a receiving speaker; restart-time is what we announce. */
static void
conf_n_gr(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;
	uint64_t v = CONF_DEFAULT_GR_RESTART_TIME;

	if ((a = conf_arg(p, s)) == NULL)
		return;
	if (strcmp(a, "yes") != 0 && strcmp(a, "no") != 0) {
		conf_err(
		    p, s->line, "graceful-restart %s: expected yes or no", a);
		return;
	}
	if (a[0] == 'y' && (a = conf_arg_opt(s)) != NULL) {
		if (strcmp(a, "restart-time") != 0) {
			conf_arg_bad(p, s, a);
			return;
		}
		if ((a = conf_arg(p, s)) == NULL ||
		    conf_num(p, s, "graceful-restart restart-time", a, 0,
		        CONF_GR_MAX_RESTART_TIME, &v) == -1)
			return;
	}
	if (!conf_args_done(p, s))
		return;
	nc->n.graceful_restart = strcmp(s->w[1].s, "yes") == 0;
	nc->n.gr_restart_time = (uint16_t)v;
}

static void
conf_n_holdtime(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) != NULL &&
	    conf_holdtime(p, s, a, &nc->n.holdtime) == 0)
		nc->hold_set = true;
}

/*
 * "family AFI SAFI" (RFC 4760 multiprotocol capability): the first one in
 * a block replaces the default set (or the group's); more add to it.
 */
static void
conf_n_family(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *afi, *safi;
	char at[256];
	int i;

	if (nc->seen[NS_FAMILY].line == 0)
		nc->n.families = 0;
	if ((afi = conf_arg(p, s)) == NULL ||
	    (safi = conf_arg_last(p, s)) == NULL)
		return;
	if (strcmp(afi, "ipv4") != 0 && strcmp(afi, "ipv6") != 0) {
		conf_err(p, s->line,
		    "family %s: unknown address family (ipv4 or ipv6)", afi);
		return;
	}
	if (strcmp(safi, "unicast") != 0) {
		conf_err(p, s->line, "family %s %s: only unicast is supported",
		    afi, safi);
		return;
	}
	i = afi[3] == '4' ? 0 : 1;
	if (nc->fam_line[i] != 0) {
		conf_err(p, s->line, "duplicate family %s unicast (%s)", afi,
		    conf_first_at(
		        p, p->f->path, nc->fam_line[i], at, sizeof(at)));
		return;
	}
	nc->fam_line[i] = s->line;
	nc->n.families |=
	    i == 0 ? CONF_FAM_IPV4_UNICAST : CONF_FAM_IPV6_UNICAST;
}

static void
conf_n_extmsg(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	(void)conf_yesno(p, s, &nc->n.ext_msg);
}

static void
conf_n_rrefresh(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	(void)conf_yesno(p, s, &nc->n.route_refresh);
}

/* RFC 9234 §4.1: the local role, sent in our BGP Role capability. */
static void
conf_n_role(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	const char *a;
	uint8_t r;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	for (r = CONF_ROLE_PROVIDER; r <= CONF_ROLE_PEER; r++) {
		if (strcmp(a, conf_role_name(r)) == 0) {
			nc->n.has_role = true;
			nc->n.role = r;
			return;
		}
	}
	conf_err(p, s->line,
	    "role %s: expected provider, rs, rs-client, customer or peer", a);
}

static void
conf_n_firstas(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	(void)conf_yesno(p, s, &nc->n.enforce_first_as);
}

static void
conf_n_down(struct conf_parse *p, struct conf_nctx *nc, struct conf_stmt *s)
{
	if (conf_args_done(p, s))
		nc->n.shutdown = true;
}

/* ECS observer.hostname of every event line; default: the host's name. */
static void
conf_g_observer_name(struct conf_parse *p, struct conf_stmt *s)
{
	const char *a;

	if ((a = conf_arg_last(p, s)) == NULL)
		return;
	if (!conf_hostname_ok(a))
		conf_err(
		    p, s->line, "observer-name %s: not a valid host name", a);
	else
		(void)conf_strcpy(
		    p, s, a, p->c->observer_name, sizeof(p->c->observer_name));
}

static const struct conf_kw conf_kw_global[] = {
	{ "local-as", GS_LOCAL_AS, "local-as AS", conf_g_local_as, NULL },
	{ "router-id", GS_ROUTER_ID, "router-id ADDRESS", conf_g_router_id,
	    NULL },
	{ "listen", GS_REPEAT, "listen on ADDRESS [port PORT]", conf_g_listen,
	    NULL },
	{ "control", GS_CONTROL, "control PATH", conf_g_control, NULL },
	{ "hold-time", GS_HOLDTIME, "hold-time SECONDS", conf_g_holdtime,
	    NULL },
	{ "connect-retry", GS_CONNECT_RETRY, "connect-retry SECONDS",
	    conf_g_connect_retry, NULL },
	{ "user", GS_USER, "user NAME", conf_g_user, NULL },
	{ "hostname", GS_HOSTNAME, "hostname NAME", conf_g_hostname, NULL },
	{ "log", GS_LOG, "log updates", conf_g_log, NULL },
	{ "stats-interval", GS_STATS_INTERVAL, "stats-interval SECONDS",
	    conf_g_stats_interval, NULL },
	{ "spool", GS_SPOOL, "spool DIRECTORY [max SIZE]", conf_g_spool, NULL },
	{ "output", GS_REPEAT,
	    "output file PATH | stdout | tcp HOST:PORT | tls HOST:PORT ca FILE "
	    "[options]",
	    conf_g_output, NULL },
	{ "include", GS_REPEAT, "include FILE", conf_g_include, NULL },
	{ "observer-name", GS_OBSERVER_NAME, "observer-name NAME",
	    conf_g_observer_name, NULL },
	{ "dump", GS_REPEAT,
	    "dump table PATH [SECONDS] | dump updates PATH SECONDS | "
	    "dump all PATH SECONDS",
	    conf_g_dump, NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct conf_kw conf_kw_neighbor[] = {
	{ "remote-as", NS_REMOTE_AS, "remote-as AS | any", NULL,
	    conf_n_remote_as },
	{ "descr", NS_DESCR, "descr TEXT", NULL, conf_n_descr },
	{ "passive", NS_MODE, "passive", NULL, conf_n_mode },
	{ "connect", NS_MODE, "connect", NULL, conf_n_mode },
	{ "port", NS_PORT, "port PORT", NULL, conf_n_port },
	{ "local-address", NS_LOCAL_ADDR, "local-address ADDRESS", NULL,
	    conf_n_local_addr },
	{ "md5", NS_MD5, "md5 KEY", NULL, conf_n_md5 },
	{ "ttl-security", NS_TTLSEC, "ttl-security yes | no", NULL,
	    conf_n_ttlsec },
	{ "add-path", NS_ADDPATH, "add-path receive | no", NULL,
	    conf_n_addpath },
	{ "max-prefix", NS_MAXPREFIX,
	    "max-prefix NUMBER [warn-only] [restart MINUTES]", NULL,
	    conf_n_maxprefix },
	{ "graceful-restart", NS_GR,
	    "graceful-restart yes [restart-time SECONDS] | no", NULL,
	    conf_n_gr },
	{ "hold-time", NS_HOLDTIME, "hold-time SECONDS", NULL,
	    conf_n_holdtime },
	{ "family", NS_FAMILY, "family ipv4 | ipv6 unicast", NULL,
	    conf_n_family },
	{ "extended-message", NS_EXTMSG, "extended-message yes | no", NULL,
	    conf_n_extmsg },
	{ "route-refresh", NS_RREFRESH, "route-refresh yes | no", NULL,
	    conf_n_rrefresh },
	{ "role", NS_ROLE, "role provider | rs | rs-client | customer | peer",
	    NULL, conf_n_role },
	{ "enforce-first-as", NS_FIRSTAS, "enforce-first-as yes | no", NULL,
	    conf_n_firstas },
	{ "down", NS_DOWN, "down", NULL, conf_n_down },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct conf_kw conf_kw_blocks[] = {
	{ "neighbor", GS_REPEAT, "neighbor ADDRESS { ... }", NULL, NULL },
	{ "group", GS_REPEAT, "group NAME { ... }", NULL, NULL },
	{ "watch", GS_REPEAT, "watch NAME { ... }", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL },
};

static const char *const conf_ctx_where[] = {
	[CTX_TOP] = "at top level",
	[CTX_GROUP] = "in a group block",
	[CTX_NEIGHBOR] = "in a neighbor block",
	[CTX_WATCH] = "in a watch block",
};

static const struct conf_kw *
conf_kw_find(const struct conf_kw *t, const char *name)
{
	for (; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/*
 * Record where a once-only setting is first given, or report the second
 * one (or "connect" after "passive"). True when s may go ahead.
 */
static bool
conf_seen_check(
    struct conf_parse *p, struct conf_seen *seen, struct conf_stmt *s)
{
	char at[256];

	if (seen->line == 0) {
		seen->kw = s->kw->name;
		seen->file = p->f->path;
		seen->line = s->line;
		return true;
	}
	conf_first_at(p, seen->file, seen->line, at, sizeof(at));
	if (strcmp(seen->kw, s->kw->name) == 0)
		conf_err(p, s->line, "duplicate %s (%s)", s->kw->name, at);
	else
		conf_err(p, s->line, "%s conflicts with %s (%s)", s->kw->name,
		    seen->kw, at);
	return false;
}

/* Run the handler of a setting statement (s->kw set) in ctx. */
static void
conf_kw_run(struct conf_parse *p, enum conf_ctx ctx, struct conf_nctx *nc,
    struct conf_stmt *s)
{
	const struct conf_kw *kw = s->kw;
	struct conf_seen *seen;

	if (ctx == CTX_TOP) {
		if (kw->set == GS_REPEAT ||
		    conf_seen_check(p, &p->gseen[kw->set], s))
			kw->global(p, s);
		return;
	}
	if (ctx == CTX_GROUP && nc->first_neighbor != 0) {
		conf_err(p, s->line,
		    "%s: group settings must come before the group's first "
		    "neighbor (line %d)",
		    kw->name, nc->first_neighbor);
		return;
	}
	seen = &nc->seen[kw->set];
	if (kw->set == NS_FAMILY) {
		kw->nbr(p, nc, s);
		if (seen->line == 0)
			(void)conf_seen_check(p, seen, s);
	} else if (conf_seen_check(p, seen, s))
		kw->nbr(p, nc, s);
}

/* A keyword that is not valid in ctx: say where it belongs, if anywhere. */
static void
conf_kw_misplaced(struct conf_parse *p, enum conf_ctx ctx, struct conf_stmt *s)
{
	const char *name = s->w[0].s;

	if (conf_kw_find(conf_kw_global, name) != NULL ||
	    conf_kw_find(conf_kw_neighbor, name) != NULL ||
	    conf_kw_find(conf_kw_blocks, name) != NULL ||
	    conf_watch_keyword(name))
		conf_err(p, s->line, "%s is not allowed %s", name,
		    conf_ctx_where[ctx]);
	else
		conf_err(p, s->line, "unknown keyword \"%s\"", name);
}

/* Start a neighbor's settings: the group's, or the defaults. */
static void
conf_nctx_init(struct conf_parse *p, struct conf_nctx *nc,
    const struct conf_nctx *group, int line)
{
	if (group != NULL) {
		*nc = *group;
		memset(nc->seen, 0, sizeof(nc->seen));
		memset(nc->fam_line, 0, sizeof(nc->fam_line));
		nc->first_neighbor = 0;
	} else {
		memset(nc, 0, sizeof(*nc));
		nc->n.passive = true;
		nc->n.graceful_restart = true;
		nc->n.gr_restart_time = CONF_DEFAULT_GR_RESTART_TIME;
		nc->n.families = CONF_FAM_IPV4_UNICAST | CONF_FAM_IPV6_UNICAST;
		nc->n.ext_msg = true;
		nc->n.route_refresh = true;
		nc->port = CONF_DEFAULT_PORT;
	}
	nc->file = p->f->path;
	nc->line = line;
	nc->n.line = line;
}

/* Check a parsed neighbor block and add it to the configuration. */
static void
conf_neighbor_finish(struct conf_parse *p, struct conf_nctx *nc)
{
	struct conf_neighbor *n = &nc->n, *o;
	char at[256], la[64];
	int line;

	conf_sa_fmt(
	    (struct sockaddr *)&n->addr, n->addr_str, sizeof(n->addr_str));
	conf_sa_set_port((struct sockaddr *)&n->addr, nc->port);
	if (!nc->remote_as_given)
		conf_err(
		    p, nc->line, "neighbor %s: remote-as missing", n->addr_str);
	if (n->has_local_addr && n->local_addr.ss_family != n->addr.ss_family) {
		line = nc->seen[NS_LOCAL_ADDR].line;
		conf_err(p, line != 0 ? line : nc->line,
		    "neighbor %s: local-address %s is not an %s address",
		    n->addr_str,
		    conf_sa_fmt(
		        (struct sockaddr *)&n->local_addr, la, sizeof(la)),
		    n->addr.ss_family == AF_INET ? "IPv4" : "IPv6");
	}
	STAILQ_FOREACH(o, &p->c->neighbors, entry)
	{
		if (conf_sa_addr_equal((struct sockaddr *)&o->addr,
		        (struct sockaddr *)&n->addr)) {
			conf_err(p, nc->line, "duplicate neighbor %s (%s)",
			    n->addr_str, conf_origin_at(p, o, at, sizeof(at)));
			return;
		}
	}
	o = conf_realloc(NULL, 1, sizeof(*o));
	*o = *n;
	STAILQ_INSERT_TAIL(&p->c->neighbors, o, entry);
	conf_origin_add(p, o, o, nc->line, nc->hold_set);
}

/* "neighbor ADDRESS { ... }" at top level or in group (then non-NULL). */
static void
conf_neighbor_stmt(struct conf_parse *p, struct conf_nctx *group,
    struct conf_stmt *s, enum conf_term term)
{
	struct conf_nctx nc;
	const char *a;
	bool ok;

	conf_nctx_init(p, &nc, group, s->line);
	ok = (a = conf_arg_last(p, s)) != NULL &&
	    conf_addr(p, s, "neighbor", a, false, &nc.n.addr, &nc.n.addrlen) ==
	        0;
	if (!conf_block_open(p, s, term))
		return;
	if (group != NULL && group->first_neighbor == 0)
		group->first_neighbor = s->line;
	conf_block(p, CTX_NEIGHBOR, &nc, s->line);
	if (ok)
		conf_neighbor_finish(p, &nc);
}

/* A group's name: not empty, fits, not used before. */
static bool
conf_group_name(struct conf_parse *p, struct conf_stmt *s, const char *a)
{
	char at[256];
	size_t i;

	if (a[0] == '\0') {
		conf_err(p, s->line, "group: empty name");
		return false;
	}
	if (strlen(a) >= sizeof(((struct conf_group *)0)->name)) {
		conf_err(p, s->line, "group: longer than %zu characters",
		    sizeof(((struct conf_group *)0)->name) - 1);
		return false;
	}
	for (i = 0; i < p->ngroups; i++) {
		if (strcmp(p->groups[i]->name, a) == 0) {
			conf_err(p, s->line, "duplicate group \"%s\" (%s)", a,
			    conf_first_at(p, p->groups[i]->file,
			        p->groups[i]->line, at, sizeof(at)));
			return false;
		}
	}
	return true;
}

/* "group NAME { settings... neighbor ADDRESS { ... } ... }". */
static void
conf_group_stmt(struct conf_parse *p, struct conf_stmt *s, enum conf_term term)
{
	struct conf_group *g;
	const char *a;
	bool ok;

	ok = (a = conf_arg_last(p, s)) != NULL && conf_group_name(p, s, a);
	if (!conf_block_open(p, s, term))
		return;
	g = conf_realloc(NULL, 1, sizeof(*g));
	memset(g, 0, sizeof(*g));
	conf_nctx_init(p, &g->tmpl, NULL, s->line);
	g->file = p->f->path;
	g->line = s->line;
	if (ok) {
		memcpy(g->name, a, strlen(a) + 1);
		memcpy(g->tmpl.n.group, a, strlen(a) + 1);
	}
	conf_block(p, CTX_GROUP, &g->tmpl, s->line);
	if (!ok) {
		free(g);
		return;
	}
	p->groups = conf_realloc(p->groups, p->ngroups + 1, sizeof(*p->groups));
	p->groups[p->ngroups++] = g;
}

/* One statement of a watch block: conf_watch.c runs the watch keywords. */
static void
conf_watch_exec(struct conf_parse *p, struct conf_wblock *b,
    struct conf_stmt *s, enum conf_term term)
{
	const char *argv[CONF_MAX_WORDS];
	size_t i;

	if (s->bad || s->n == 0) {
		if (!s->bad && term == TERM_LBRACE)
			conf_err(p, s->term_line, "unexpected '{'");
	} else if (s->w[0].quoted)
		conf_err(p, s->line, "\"%s\": a keyword must not be quoted",
		    s->w[0].s);
	else if (conf_kw_find(conf_kw_blocks, s->w[0].s) != NULL)
		conf_err(p, s->line, "%s is not allowed %s", s->w[0].s,
		    conf_ctx_where[CTX_WATCH]);
	else if (term == TERM_LBRACE)
		conf_err(p, s->term_line, "%s: unexpected '{'", s->w[0].s);
	else {
		for (i = 0; i < s->n; i++)
			argv[i] = s->w[i].s;
		if (conf_watch_stmt(b, argv, s->n, s->line) == -1)
			conf_kw_misplaced(p, CTX_WATCH, s);
		return;
	}
	if (term == TERM_LBRACE)
		conf_block_skip(p, s->term_line);
}

/* "watch NAME { statements... }" (bgpwatch.conf(5) WATCHES). */
static void
conf_watch_block(struct conf_parse *p, struct conf_stmt *s, enum conf_term term)
{
	struct conf_wblock *b;
	struct conf_stmt in;
	const char *name;
	enum conf_term t;

	name = conf_arg_last(p, s);
	if (!conf_block_open(p, s, term))
		return;
	b = conf_watch_begin(
	    p->c, name, p->f->path, s->line, p->err, &p->errors);
	memset(&in, 0, sizeof(in));
	do {
		t = conf_stmt_read(p, &in);
		conf_watch_exec(p, b, &in, t);
		if (t == TERM_EOF)
			conf_err(p, in.term_line,
			    "missing '}' at end of file (block opened at line "
			    "%d)",
			    s->line);
	} while (t != TERM_RBRACE && t != TERM_EOF);
	conf_watch_end(b);
	conf_stmt_clear(&in);
	free(in.w);
}

/* neighbor or group: check where it stands, then parse it. */
static void
conf_block_stmt(struct conf_parse *p, enum conf_ctx ctx, struct conf_nctx *nc,
    struct conf_stmt *s, enum conf_term term)
{
	bool nbr = strcmp(s->w[0].s, "neighbor") == 0;

	s->kw = conf_kw_find(conf_kw_blocks, s->w[0].s);
	if ((nbr && ctx == CTX_NEIGHBOR) || (!nbr && ctx != CTX_TOP)) {
		conf_err(p, s->line, "%s is not allowed %s", s->w[0].s,
		    conf_ctx_where[ctx]);
		if (term == TERM_LBRACE)
			conf_block_skip(p, s->term_line);
	} else if (nbr)
		conf_neighbor_stmt(p, ctx == CTX_GROUP ? nc : NULL, s, term);
	else if (strcmp(s->w[0].s, "watch") == 0)
		conf_watch_block(p, s, term);
	else
		conf_group_stmt(p, s, term);
}

/* One statement read by conf_stmt_read(), in context ctx. */
static void
conf_stmt_exec(struct conf_parse *p, enum conf_ctx ctx, struct conf_nctx *nc,
    struct conf_stmt *s, enum conf_term term)
{
	const struct conf_kw *kw;

	if (s->bad || s->n == 0) {
		if (!s->bad && term == TERM_LBRACE)
			conf_err(p, s->term_line, "unexpected '{'");
	} else if (s->w[0].quoted)
		conf_err(p, s->line, "\"%s\": a keyword must not be quoted",
		    s->w[0].s);
	else if (conf_kw_find(conf_kw_blocks, s->w[0].s) != NULL) {
		conf_block_stmt(p, ctx, nc, s, term);
		return;
	} else if ((kw = conf_kw_find(
	                ctx == CTX_TOP ? conf_kw_global : conf_kw_neighbor,
	                s->w[0].s)) == NULL)
		conf_kw_misplaced(p, ctx, s);
	else if (term == TERM_LBRACE)
		conf_err(p, s->term_line, "%s: unexpected '{'", s->w[0].s);
	else {
		s->kw = kw;
		conf_kw_run(p, ctx, nc, s);
		return;
	}
	if (term == TERM_LBRACE)
		conf_block_skip(p, s->term_line);
}

/*
 * Read and run statements until the '}' that closes the block opened at
 * line open, or for CTX_TOP until the end of the file.
 */
static void
conf_block(
    struct conf_parse *p, enum conf_ctx ctx, struct conf_nctx *nc, int open)
{
	struct conf_stmt s;
	enum conf_term term;

	memset(&s, 0, sizeof(s));
	for (;;) {
		term = conf_stmt_read(p, &s);
		conf_stmt_exec(p, ctx, nc, &s, term);
		if (term == TERM_EOF && ctx != CTX_TOP)
			conf_err(p, s.term_line,
			    "missing '}' at end of file (block opened at line "
			    "%d)",
			    open);
		if (term == TERM_RBRACE && ctx == CTX_TOP)
			conf_err(p, s.term_line, "unexpected '}'");
		else if (term == TERM_RBRACE || term == TERM_EOF)
			break;
	}
	conf_stmt_clear(&s);
	free(s.w);
}

/*
 * Without router-id, take the first IPv4 "listen on" address other than
 * 0.0.0.0; without one, there is nothing sensible to use.
 */
static void
conf_router_id_derive(struct conf_parse *p, int eof)
{
	const struct conf_listen *l;
	const struct sockaddr_in *sin;

	STAILQ_FOREACH(l, &p->c->listens, entry)
	{
		sin = (const struct sockaddr_in *)&l->ss;
		if (sin->sin_family == AF_INET && sin->sin_addr.s_addr != 0) {
			p->c->router_id = ntohl(sin->sin_addr.s_addr);
			return;
		}
	}
	conf_err(p, eof,
	    "router-id missing and no IPv4 listen address to derive it from");
}

/* Checks and defaults that need the whole file. */
static void
conf_finish(struct conf_parse *p, int eof)
{
	size_t i;

	if (p->gseen[GS_LOCAL_AS].line == 0)
		conf_err(p, eof, "local-as missing");
	if (p->gseen[GS_ROUTER_ID].line == 0)
		conf_router_id_derive(p, eof);
	conf_outputs_finish(p, eof);
	for (i = 0; i < p->norig; i++)
		if (p->orig[i].nbr != NULL && !p->orig[i].hold_set)
			p->orig[i].nbr->holdtime = p->c->holdtime;
}

static struct conf *
conf_new(const char *path)
{
	struct conf *c;

	c = conf_realloc(NULL, 1, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->path = conf_strdup(path);
	c->holdtime = CONF_DEFAULT_HOLDTIME;
	c->connect_retry = CONF_DEFAULT_CONNECT_RETRY;
	c->stats_interval = CONF_DEFAULT_STATS_INTERVAL;
	snprintf(c->control, sizeof(c->control), "%s", CONF_DEFAULT_CONTROL);
	c->spool_max = CONF_SPOOL_MAX_DEFAULT;
	STAILQ_INIT(&c->listens);
	STAILQ_INIT(&c->neighbors);
	STAILQ_INIT(&c->outputs);
	return c;
}

struct conf *
conf_parse_buf(const char *name, const char *buf, size_t len, FILE *err)
{
	struct conf_parse p;
	struct conf_file f;
	size_t i;

	memset(&p, 0, sizeof(p));
	memset(&f, 0, sizeof(f));
	p.err = err;
	p.c = conf_new(name);
	f.path = conf_path_intern(&p, name);
	f.buf = buf;
	f.len = len;
	f.line = 1;
	p.f = &f;
	conf_block(&p, CTX_TOP, NULL, 0);
	conf_finish(&p, conf_lex_eof_line(&f));
	for (i = 0; i < p.npaths; i++)
		free(p.paths[i]);
	for (i = 0; i < p.ngroups; i++)
		free(p.groups[i]);
	free(p.paths);
	free(p.groups);
	free(p.orig);
	free(p.inherit);
	if (p.errors == 0)
		return p.c;
	conf_free(p.c);
	return NULL;
}

struct conf *
conf_parse_file(const char *path, FILE *err)
{
	struct conf *c;
	char *buf;
	size_t len;

	if (conf_file_load(path, &buf, &len) == -1) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	c = conf_parse_buf(path, buf, len, err);
	free(buf);
	return c;
}

void
conf_free(struct conf *c)
{
	struct conf_listen *l;
	struct conf_neighbor *n;
	struct conf_output *o;

	if (c == NULL)
		return;
	conf_watches_free(c);
	while ((o = STAILQ_FIRST(&c->outputs)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->outputs, entry);
		free(o);
	}
	while ((l = STAILQ_FIRST(&c->listens)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->listens, entry);
		free(l);
	}
	while ((n = STAILQ_FIRST(&c->neighbors)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->neighbors, entry);
		free(n);
	}
	free(c->path);
	free(c);
}
