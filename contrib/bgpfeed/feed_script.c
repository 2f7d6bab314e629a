/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * bgpfeed scripts: timed announcements, withdrawals, End-of-RIB markers
 * and a closing Cease, one per line (grammar in bgpfeed(1)). The whole
 * file is checked when loaded, with "file:line: message" errors, then
 * read again line by line as the session plays it, so a script may be
 * as long as a full table.
 *
 * Public: script_load(), script_new().
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

#define SCRIPT_MAX_TOK 4096
#define SCRIPT_TEXT_MAX 256

enum script_op {
	OP_NONE, /* blank or comment line */
	OP_ANNOUNCE,
	OP_WITHDRAW,
	OP_EOR,
	OP_WAIT,
	OP_STOP,
};

/* One parsed line. */
struct script_cmd {
	enum script_op op;
	double at;
	size_t n4, n6;
	struct updenc_pfx *v4, *v6; /* prefixes by family */
	struct feed_attrs attrs;
	bool path_given;
	uint32_t path_id;
	bool eor_v4, eor_v6;
	char text[SCRIPT_TEXT_MAX]; /* stop: the shutdown communication */
};

struct script {
	char *path;
	FILE *f;
	unsigned lineno;
	char *line;
	size_t linecap;
	struct script_cmd cmd;
	size_t cap4, cap6;
	char *tok[SCRIPT_MAX_TOK];
	size_t ntok;
	char tokbuf[2 * 65536];
	double last_at;
	/* playing */
	double pace;
	bool pending; /* cmd holds a line not yet played */
	bool withdrawing;
	unsigned played; /* lines played (withdraw_all replays them) */
	unsigned wd_line;
	char stop[SCRIPT_TEXT_MAX];
	uint8_t canon[4096];
};

static void script_err(struct script *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
script_err(struct script *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", s->path, s->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Split the line into tokens: words, "quoted strings" (kept with their
 * opening quote to tell them apart) and the one-character tokens of AS
 * path segments: { } ( ) [ ] and commas. "#" starts a comment.
 */
static int
script_tokenize(struct script *s, const char *l)
{
	char *d = s->tokbuf, *end = s->tokbuf + sizeof(s->tokbuf) - 2;

	s->ntok = 0;
	while (*l != '\0' && *l != '#') {
		if (*l == ' ' || *l == '\t' || *l == '\r' || *l == '\n') {
			l++;
			continue;
		}
		if (s->ntok == SCRIPT_MAX_TOK || d >= end) {
			script_err(s, "line too long");
			return -1;
		}
		s->tok[s->ntok++] = d;
		if (strchr("{}()[],", *l) != NULL) {
			*d++ = *l++;
		} else if (*l == '"') {
			*d++ = *l++;
			while (*l != '"' && *l != '\0' && d < end) {
				if (*l == '\\' && (l[1] == '"' || l[1] == '\\'))
					l++;
				*d++ = *l++;
			}
			if (*l != '"') {
				script_err(s, "unterminated string");
				return -1;
			}
			l++;
		} else {
			while (*l != '\0' &&
			    strchr(" \t\r\n#{}()[],\"", *l) == NULL && d < end)
				*d++ = *l++;
		}
		*d++ = '\0';
	}
	return 0;
}

static int
script_u32(struct script *s, const char *t, const char *what, uint32_t *v)
{
	char *e;
	unsigned long long x;

	errno = 0;
	x = strtoull(t, &e, 10);
	if (t[0] < '0' || t[0] > '9' || *e != '\0' || errno != 0 ||
	    x > UINT32_MAX) {
		script_err(s, "bad %s \"%s\"", what, t);
		return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

static bool
script_is_keyword(const char *t)
{
	static const char *kw[] = { "path", "origin", "nexthop", "med",
		"localpref", "community", "large-community", "path-id",
		"atomic-aggregate", "aggregator", NULL };
	size_t i;

	for (i = 0; kw[i] != NULL; i++)
		if (strcmp(t, kw[i]) == 0)
			return true;
	return false;
}

/* Prefixes from token *i on, up to the first keyword. */
static int
script_prefixes(struct script *s, size_t *i)
{
	struct script_cmd *c = &s->cmd;
	struct updenc_pfx **list, *np;
	size_t *n, *cap;
	struct prefix p;

	for (; *i < s->ntok && !script_is_keyword(s->tok[*i]); (*i)++) {
		if (strchr(s->tok[*i], '/') == NULL ||
		    prefix_parse(s->tok[*i], &p) == -1) {
			script_err(s, "bad prefix \"%s\"", s->tok[*i]);
			return -1;
		}
		list = p.afi == AFI_IPV4 ? &c->v4 : &c->v6;
		n = p.afi == AFI_IPV4 ? &c->n4 : &c->n6;
		cap = p.afi == AFI_IPV4 ? &s->cap4 : &s->cap6;
		if (*n == *cap) {
			np = reallocarray(*list, *cap * 2 + 16, sizeof(*np));
			if (np == NULL) {
				script_err(s, "out of memory");
				return -1;
			}
			*list = np;
			*cap = *cap * 2 + 16;
		}
		memset(&(*list)[*n], 0, sizeof(**list));
		(*list)[(*n)++].p = p;
	}
	if (c->n4 + c->n6 == 0) {
		script_err(s, "no prefix");
		return -1;
	}
	return 0;
}

/* One AS number or bracketed segment of "path". */
static int
script_path_seg(struct script *s, size_t *i, struct feed_attrs *a)
{
	static const char *open = "{([", *close = "})]";
	static const uint8_t types[] = { AS_SET, AS_CONFED_SEQUENCE,
		AS_CONFED_SET };
	const char *t = s->tok[*i], *o = strchr(open, t[0]);
	uint8_t type =
	    o != NULL && t[1] == '\0' ? types[o - open] : AS_SEQUENCE;
	uint32_t as;
	size_t cnt = 0;

	if (type != AS_SEQUENCE)
		(*i)++;
	if (a->nseg == FEED_MAX_SEGS) {
		script_err(s, "more than %d path segments", FEED_MAX_SEGS);
		return -1;
	}
	/* consecutive plain AS numbers join the last AS_SEQUENCE */
	if (type == AS_SEQUENCE && a->nseg > 0 &&
	    a->seg[a->nseg - 1].type == AS_SEQUENCE &&
	    a->seg[a->nseg - 1].count < 255)
		a->nseg--;
	else
		a->seg[a->nseg].count = 0;
	a->seg[a->nseg].type = type;
	for (; *i < s->ntok; (*i)++) {
		t = s->tok[*i];
		if (type != AS_SEQUENCE && t[0] == close[o - open] && t[1] == 0)
			break;
		if (type != AS_SEQUENCE && t[0] == ',' && t[1] == '\0')
			continue;
		if (a->nasn == FEED_MAX_ASNS) {
			script_err(s, "more than %d AS numbers", FEED_MAX_ASNS);
			return -1;
		}
		if (script_u32(s, t, "AS number", &as) == -1)
			return -1;
		a->asn[a->nasn++] = as;
		a->seg[a->nseg].count++;
		cnt++;
		if (type == AS_SEQUENCE)
			break;
	}
	if (type != AS_SEQUENCE && (*i == s->ntok || cnt == 0)) {
		script_err(s, "unclosed or empty path segment");
		return -1;
	}
	a->nseg++;
	(*i)++;
	return 0;
}

static int
script_path(struct script *s, size_t *i, struct feed_attrs *a)
{
	while (*i < s->ntok && !script_is_keyword(s->tok[*i]))
		if (script_path_seg(s, i, a) == -1)
			return -1;
	return 0;
}

/* "A:B" or a well-known name (RFC 1997, RFC 7999, RFC 8326). */
static int
script_comm(struct script *s, const char *t, uint32_t *v)
{
	static const struct {
		const char *name;
		uint32_t v;
	} wk[] = { { "no-export", 0xffffff01 }, { "no-advertise", 0xffffff02 },
		{ "no-export-subconfed", 0xffffff03 },
		{ "blackhole", 0xffff029a },
		{ "graceful-shutdown", 0xffff0000 } };
	unsigned a, b;
	char tail;
	size_t k;

	for (k = 0; k < sizeof(wk) / sizeof(wk[0]); k++) {
		if (strcmp(t, wk[k].name) == 0) {
			*v = wk[k].v;
			return 0;
		}
	}
	if (sscanf(t, "%u:%u%c", &a, &b, &tail) != 2 || a > 0xffff ||
	    b > 0xffff) {
		script_err(s, "bad community \"%s\"", t);
		return -1;
	}
	*v = a << 16 | b;
	return 0;
}

static int
script_lcomm(struct script *s, const char *t, uint32_t v[3])
{
	unsigned long long a, b, c;
	char tail;

	if (sscanf(t, "%llu:%llu:%llu%c", &a, &b, &c, &tail) != 3 ||
	    a > UINT32_MAX || b > UINT32_MAX || c > UINT32_MAX) {
		script_err(s, "bad large community \"%s\"", t);
		return -1;
	}
	v[0] = (uint32_t)a;
	v[1] = (uint32_t)b;
	v[2] = (uint32_t)c;
	return 0;
}

static int
script_nexthop(struct script *s, const char *t, struct feed_attrs *a)
{
	if (strcmp(t, "self") == 0) {
		a->nh_set = false;
		return 0;
	}
	if (addr_parse(t, &a->nh_afi, a->nh) == -1) {
		script_err(s, "bad next hop \"%s\"", t);
		return -1;
	}
	a->nh_set = true;
	return 0;
}

static int
script_aggregator(struct script *s, const char *t, struct feed_attrs *a)
{
	char as[16];
	const char *c = strchr(t, ':');
	uint8_t afi;
	uint8_t addr[16];

	if (c == NULL || (size_t)(c - t) >= sizeof(as))
		goto bad;
	memcpy(as, t, (size_t)(c - t));
	as[c - t] = '\0';
	if (script_u32(s, as, "aggregator AS", &a->aggr_as) == -1)
		return -1;
	if (addr_parse(c + 1, &afi, addr) == -1 || afi != AFI_IPV4)
		goto bad;
	memcpy(a->aggr_id, addr, 4);
	a->has_aggr = true;
	return 0;
bad:
	script_err(s, "bad aggregator \"%s\" (want AS:a.b.c.d)", t);
	return -1;
}

/* The value list of community/large-community, up to the next keyword. */
static int
script_comms(struct script *s, size_t *i, bool large, struct feed_attrs *a)
{
	size_t start = *i;

	for (; *i < s->ntok && !script_is_keyword(s->tok[*i]); (*i)++) {
		if (large) {
			if (a->nlcomm == FEED_MAX_LCOMM) {
				script_err(s, "more than %d large communities",
				    FEED_MAX_LCOMM);
				return -1;
			}
			if (script_lcomm(s, s->tok[*i], a->lcomm[a->nlcomm++]))
				return -1;
		} else {
			if (a->ncomm == FEED_MAX_COMM) {
				script_err(s, "more than %d communities",
				    FEED_MAX_COMM);
				return -1;
			}
			if (script_comm(s, s->tok[*i], &a->comm[a->ncomm++]))
				return -1;
		}
	}
	if (*i == start) {
		script_err(s, "%s needs a value",
		    large ? "large-community" : "community");
		return -1;
	}
	return 0;
}

/* A keyword that takes exactly one value: the value token, or NULL. */
static const char *
script_value(struct script *s, size_t *i)
{
	const char *kw = s->tok[*i];

	if (*i + 1 >= s->ntok || script_is_keyword(s->tok[*i + 1])) {
		script_err(s, "%s needs a value", kw);
		return NULL;
	}
	*i += 2;
	return s->tok[*i - 1];
}

static int
script_origin(struct script *s, const char *t, struct feed_attrs *a)
{
	if (strcmp(t, "igp") == 0)
		a->origin = ORIGIN_IGP;
	else if (strcmp(t, "egp") == 0)
		a->origin = ORIGIN_EGP;
	else if (strcmp(t, "incomplete") == 0)
		a->origin = ORIGIN_INCOMPLETE;
	else {
		script_err(s, "bad origin \"%s\" (igp, egp or incomplete)", t);
		return -1;
	}
	return 0;
}

/* One attribute keyword and its value(s) at token *i. */
static int
script_attr(struct script *s, size_t *i)
{
	struct script_cmd *c = &s->cmd;
	struct feed_attrs *a = &c->attrs;
	const char *kw = s->tok[*i], *v;

	if (strcmp(kw, "path") == 0) {
		(*i)++;
		c->path_given = true;
		return script_path(s, i, a);
	}
	if (strcmp(kw, "community") == 0 ||
	    strcmp(kw, "large-community") == 0) {
		(*i)++;
		return script_comms(s, i, kw[0] == 'l', a);
	}
	if (strcmp(kw, "atomic-aggregate") == 0) {
		(*i)++;
		a->atomic = true;
		return 0;
	}
	if ((v = script_value(s, i)) == NULL)
		return -1;
	if (strcmp(kw, "origin") == 0)
		return script_origin(s, v, a);
	if (strcmp(kw, "nexthop") == 0)
		return script_nexthop(s, v, a);
	if (strcmp(kw, "aggregator") == 0)
		return script_aggregator(s, v, a);
	if (strcmp(kw, "med") == 0) {
		a->has_med = true;
		return script_u32(s, v, "MED", &a->med);
	}
	if (strcmp(kw, "localpref") == 0) {
		a->has_lp = true;
		return script_u32(s, v, "LOCAL_PREF", &a->lp);
	}
	return script_u32(s, v, "path id", &c->path_id); /* "path-id" */
}

static int
script_announce(struct script *s, size_t i, bool withdraw)
{
	struct script_cmd *c = &s->cmd;
	size_t k;

	if (script_prefixes(s, &i) == -1)
		return -1;
	while (i < s->ntok) {
		if (withdraw && strcmp(s->tok[i], "path-id") != 0) {
			script_err(
			    s, "withdraw takes prefixes and path-id only");
			return -1;
		}
		if (script_attr(s, &i) == -1)
			return -1;
	}
	if (!withdraw && c->n4 > 0 && c->attrs.nh_set &&
	    c->attrs.nh_afi != AFI_IPV4) {
		script_err(s, "IPv4 prefixes need an IPv4 next hop");
		return -1;
	}
	for (k = 0; k < c->n4; k++)
		c->v4[k].path_id = c->path_id;
	for (k = 0; k < c->n6; k++)
		c->v6[k].path_id = c->path_id;
	return 0;
}

static int
script_eor(struct script *s, size_t i)
{
	struct script_cmd *c = &s->cmd;

	if (i == s->ntok) {
		c->eor_v4 = c->eor_v6 = true;
		return 0;
	}
	for (; i < s->ntok; i++) {
		if (strcmp(s->tok[i], "ipv4") == 0)
			c->eor_v4 = true;
		else if (strcmp(s->tok[i], "ipv6") == 0)
			c->eor_v6 = true;
		else {
			script_err(s, "eor takes ipv4 and/or ipv6, not \"%s\"",
			    s->tok[i]);
			return -1;
		}
	}
	return 0;
}

static int
script_stop(struct script *s, size_t i)
{
	if (i == s->ntok)
		return 0;
	if (s->tok[i][0] != '"' || i + 1 != s->ntok) {
		script_err(
		    s, "stop takes one \"quoted\" shutdown communication");
		return -1;
	}
	if (strlen(s->tok[i] + 1) > 255) {
		script_err(s,
		    "shutdown communication over 255 octets "
		    "(RFC 9003 §2)");
		return -1;
	}
	snprintf(s->cmd.text, sizeof(s->cmd.text), "%s", s->tok[i] + 1);
	return 0;
}

/* "at +SECONDS", checked against the line before. */
static int
script_time(struct script *s)
{
	char *e;
	double t;

	if (s->ntok < 3 || strcmp(s->tok[0], "at") != 0 ||
	    s->tok[1][0] != '+') {
		script_err(s, "expected \"at +SECONDS ACTION ...\"");
		return -1;
	}
	errno = 0;
	t = strtod(s->tok[1] + 1, &e);
	if (*e != '\0' || errno != 0 || !(t >= 0) || t > 1e9 ||
	    s->tok[1][1] == '\0') {
		script_err(s, "bad time \"%s\"", s->tok[1]);
		return -1;
	}
	if (t < s->last_at) {
		script_err(s, "time %s before the %g of an earlier line",
		    s->tok[1], s->last_at);
		return -1;
	}
	s->last_at = s->cmd.at = t;
	return 0;
}

/* Parse the next line into s->cmd; 1, 0 at the end, -1 on an error. */
static int
script_next(struct script *s)
{
	struct script_cmd *c = &s->cmd;
	const char *act;

	if (getline(&s->line, &s->linecap, s->f) == -1)
		return 0;
	s->lineno++;
	c->op = OP_NONE;
	c->n4 = c->n6 = 0;
	c->path_given = false;
	c->path_id = 0;
	c->eor_v4 = c->eor_v6 = false;
	c->text[0] = '\0';
	feed_attrs_init(&c->attrs);
	if (script_tokenize(s, s->line) == -1)
		return -1;
	if (s->ntok == 0)
		return 1;
	if (script_time(s) == -1)
		return -1;
	act = s->tok[2];
	if (strcmp(act, "announce") == 0) {
		c->op = OP_ANNOUNCE;
		return script_announce(s, 3, false) == -1 ? -1 : 1;
	}
	if (strcmp(act, "withdraw") == 0) {
		c->op = OP_WITHDRAW;
		return script_announce(s, 3, true) == -1 ? -1 : 1;
	}
	if (strcmp(act, "eor") == 0) {
		c->op = OP_EOR;
		return script_eor(s, 3) == -1 ? -1 : 1;
	}
	if (strcmp(act, "stop") == 0) {
		c->op = OP_STOP;
		return script_stop(s, 3) == -1 ? -1 : 1;
	}
	if (strcmp(act, "wait") == 0 && s->ntok == 3) {
		c->op = OP_WAIT;
		return 1;
	}
	script_err(s,
	    "unknown action \"%s\" (announce, withdraw, eor, wait, "
	    "stop)",
	    act);
	return -1;
}

static void
script_rewind(struct script *s)
{
	rewind(s->f);
	s->lineno = 0;
	s->last_at = 0;
}

static void
script_free(void *arg)
{
	struct script *s = arg;

	if (s->f != NULL)
		fclose(s->f);
	free(s->path);
	free(s->line);
	free(s->cmd.v4);
	free(s->cmd.v6);
	free(s);
}

struct script *
script_load(const char *path)
{
	struct script *s = calloc(1, sizeof(*s));
	int r;

	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		fprintf(stderr, "%s: out of memory\n", path);
		return NULL;
	}
	if ((s->f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		script_free(s);
		return NULL;
	}
	while ((r = script_next(s)) == 1)
		;
	if (r == -1 || ferror(s->f)) {
		if (r != -1)
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
		script_free(s);
		return NULL;
	}
	script_rewind(s);
	return s;
}

/* Announce the current line's prefixes, family by family. */
static int
script_play_announce(struct script *s, struct feed_out *o)
{
	struct script_cmd *c = &s->cmd;
	struct feed_attrs *a = &c->attrs;
	struct wbuf w;
	int fam;

	if (!c->path_given && o->ebgp && !o->prepend) {
		/* a router's own routes: its AS alone on eBGP, none on iBGP */
		a->nseg = 1;
		a->seg[0].type = AS_SEQUENCE;
		a->seg[0].count = 1;
		a->asn[0] = o->local_as;
		a->nasn = 1;
	}
	for (fam = 0; fam < 2; fam++) {
		uint16_t afi = fam == 0 ? AFI_IPV4 : AFI_IPV6;
		size_t n = fam == 0 ? c->n4 : c->n6;

		if (n == 0)
			continue;
		wbuf_init_fixed(&w, s->canon, sizeof(s->canon));
		if (feed_attrs_canon(a, afi, o, &w) == -1) {
			feed_warnx("%s:%u: attributes do not encode", s->path,
			    s->lineno);
			return -1;
		}
		if (feed_announce(o, afi, s->canon, wbuf_len(&w),
		        fam == 0 ? c->v4 : c->v6, n) == -1)
			return -1;
	}
	return 0;
}

/* Play the parsed line; FEED_MORE, or FEED_STOP/FEED_ERROR. */
static enum feed_fill
script_play(struct script *s, struct feed_out *o)
{
	struct script_cmd *c = &s->cmd;

	s->played = s->lineno;
	switch (c->op) {
	case OP_ANNOUNCE:
		if (script_play_announce(s, o) == -1)
			return FEED_ERROR;
		break;
	case OP_WITHDRAW:
		feed_withdraw(o, AFI_IPV4, c->v4, c->n4);
		feed_withdraw(o, AFI_IPV6, c->v6, c->n6);
		break;
	case OP_EOR:
		if (c->eor_v4)
			feed_eor(o, AFI_IPV4);
		if (c->eor_v6)
			feed_eor(o, AFI_IPV6);
		break;
	case OP_STOP:
		snprintf(s->stop, sizeof(s->stop), "%s", c->text);
		return FEED_STOP;
	case OP_NONE:
	case OP_WAIT:
		break;
	}
	return FEED_MORE;
}

/* Replay the lines played so far, withdrawing what they announced. */
static enum feed_fill
script_fill_withdraw(struct script *s, struct feed_out *o, size_t budget)
{
	struct script_cmd *c = &s->cmd;

	while (wbuf_len(o->w) < budget) {
		if (s->lineno >= s->played || script_next(s) != 1)
			return FEED_DONE;
		if (c->op == OP_ANNOUNCE) {
			feed_withdraw(o, AFI_IPV4, c->v4, c->n4);
			feed_withdraw(o, AFI_IPV6, c->v6, c->n6);
		}
	}
	return FEED_MORE;
}

static enum feed_fill
script_fill(
    void *arg, struct feed_out *o, size_t budget, double now, double *due)
{
	struct script *s = arg;
	enum feed_fill r;
	int n;

	if (s->withdrawing)
		return script_fill_withdraw(s, o, budget);
	while (wbuf_len(o->w) < budget) {
		if (!s->pending) {
			if ((n = script_next(s)) == 0)
				return FEED_DONE;
			if (n == -1) /* the file changed since it was checked */
				return FEED_ERROR;
			s->pending = true;
		}
		if (s->cmd.op != OP_NONE && s->cmd.at / s->pace > now) {
			*due = s->cmd.at / s->pace;
			return FEED_WAIT;
		}
		s->pending = false;
		if ((r = script_play(s, o)) != FEED_MORE)
			return r;
	}
	return FEED_MORE;
}

static void
script_withdraw_all(void *arg)
{
	struct script *s = arg;

	s->withdrawing = true;
	script_rewind(s);
}

static const char *
script_stop_text(void *arg)
{
	struct script *s = arg;

	return s->stop[0] != '\0' ? s->stop : NULL;
}

struct feed_source *
script_new(struct script *s, const struct feed_opts *o)
{
	struct feed_source *src = calloc(1, sizeof(*src));

	if (src == NULL) {
		script_free(s);
		return NULL;
	}
	s->pace = o->pace_set && o->pace > 0 ? o->pace : 1.0;
	src->name = "script";
	src->fill = script_fill;
	src->withdraw_all = script_withdraw_all;
	src->stop_text = script_stop_text;
	src->free = script_free;
	src->arg = s;
	return src;
}
