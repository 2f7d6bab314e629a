/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * `bgpwatchctl decode`: option parsing, the per-message JSON lines and the
 * --explain table; see decode.h and bgpwatchctl(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpwatchctl.h"
#include "decode.h"
#include "hexin.h"
#include "json.h"
#include "msg.h"
#include "rbuf.h"

#define DECODE_ROW_OCTETS 16 /* octets shown per table line */
#define DECODE_WRAP_MAX 32 /* longer ranges are abbreviated */
#define DECODE_NOT_DECODED "(not decoded)"

static const struct {
	const char *name;
	uint32_t mask;
} decode_families[] = {
	{ "ipv4", 1u << FAM_IPV4_UNICAST },
	{ "ipv6", 1u << FAM_IPV6_UNICAST },
	{ "ipv4-unicast", 1u << FAM_IPV4_UNICAST },
	{ "ipv6-unicast", 1u << FAM_IPV6_UNICAST },
	{ "ipv4-multicast", 1u << FAM_IPV4_MULTICAST },
	{ "ipv6-multicast", 1u << FAM_IPV6_MULTICAST },
	{ "all", (1u << FAM_COUNT) - 1 },
};

int
decode_addpath_parse(const char *list, uint32_t *mask)
{
	const char *p = list, *end;
	uint32_t m = 0;
	size_t i, n;

	for (;;) {
		end = strchr(p, ',');
		n = end == NULL ? strlen(p) : (size_t)(end - p);
		for (i = 0;
		     i < sizeof(decode_families) / sizeof(decode_families[0]);
		     i++)
			if (strlen(decode_families[i].name) == n &&
			    strncmp(decode_families[i].name, p, n) == 0)
				break;
		if (i == sizeof(decode_families) / sizeof(decode_families[0]))
			return -1;
		m |= decode_families[i].mask;
		if (end == NULL)
			break;
		p = end + 1;
	}
	*mask |= m;
	return 0;
}

/* Write wbuf w to out in one piece: a line is never torn. */
static int
decode_emit(FILE *out, const struct wbuf *w)
{
	if (wbuf_error(w)) {
		fprintf(stderr, "bgpwatchctl: decode: out of memory\n");
		return -1;
	}
	if (fwrite(wbuf_data(w), 1, wbuf_len(w), out) != wbuf_len(w)) {
		fprintf(stderr, "bgpwatchctl: decode: write: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The JSON line for input that is not a whole message, in the shape of
 * msg_decode_json(): "type", "type_code" and "length" from whatever header
 * octets there are, "offset" in the stream, "error", and for a message cut
 * short the verdict a session would reach (RFC 4271 §6.1: 1/2, data the
 * length field). Input that is not octets at all has no verdict.
 */
static void
decode_error_json(struct wbuf *w, const uint8_t *msg, size_t len, size_t off,
    const char *error, bool truncated)
{
	struct verdict v;
	struct json j;
	struct rbuf r;
	uint16_t hlen = 0;
	uint8_t type = 0;
	bool has_len, has_type;

	rbuf_init(&r, msg, len);
	has_len =
	    rbuf_skip(&r, BGP_MARKER_LEN) == 0 && rbuf_get_u16(&r, &hlen) == 0;
	has_type = has_len && rbuf_get_u8(&r, &type) == 0;
	wbuf_reset(w);
	json_init(&j, w);
	json_obj_open(&j, NULL);
	json_str(&j, "type", has_type ? msg_type_name(type) : NULL);
	if (has_type)
		json_uint(&j, "type_code", type);
	else
		json_null(&j, "type_code");
	if (has_len)
		json_uint(&j, "length", hlen);
	else
		json_null(&j, "length");
	json_uint(&j, "offset", off);
	json_str(&j, "error", error);
	if (truncated) {
		verdict_clear(&v);
		verdict_set(&v, VERDICT_SESSION_RESET, BGP_ERR_HEADER,
		    BGP_ERR_HDR_LEN, has_len ? msg + BGP_MARKER_LEN : NULL,
		    has_len ? 2 : 0, "%s", error);
		msg_verdict_json(&v, &j);
	}
	json_obj_close(&j);
	if (json_finish(&j) == 0)
		wbuf_put_u8(w, '\n');
}

/* Per-message state of decode_stream(). */
struct decode_ctx {
	const struct decode_opts *o;
	FILE *out;
	struct wbuf line;
	struct wbuf table;
	size_t msgno; /* 1-based index of the current item */
};

static void
decode_warn_cover(const struct decode_ctx *c, size_t off,
    const struct decode_cover *cov, enum verdict_action act)
{
	/* A message that resets the session may stop decoding early. */
	if (cov->unexplained > 0 && act != VERDICT_SESSION_RESET)
		fprintf(stderr,
		    "bgpwatchctl: decode: message %zu (offset %zu): %zu "
		    "octets not explained, the first at %zu (a decoder bug)\n",
		    c->msgno, off, cov->unexplained, cov->first_gap);
	if (cov->outside > 0)
		fprintf(stderr,
		    "bgpwatchctl: decode: message %zu (offset %zu): %zu "
		    "explain items beyond the message (a decoder bug)\n",
		    c->msgno, off, cov->outside);
}

/*
 * Write the line for one whole message (or a header that cannot be
 * framed), and its table with --explain. *act is the verdict; -1 when the
 * output cannot be written.
 */
static int
decode_one(struct decode_ctx *c, const uint8_t *msg, size_t len, size_t off,
    enum verdict_action *act)
{
	struct explain ex;
	struct decode_cover cov;
	struct json j;
	int rc;

	explain_init(&ex, msg);
	wbuf_reset(&c->line);
	json_init(&j, &c->line);
	*act = msg_decode_json(
	    msg, len, &c->o->sess, &j, NULL, c->o->explain ? &ex : NULL);
	if (json_finish(&j) == 0)
		wbuf_put_u8(&c->line, '\n');
	else {
		decode_error_json(&c->line, msg, len, off,
		    "internal error: the decoder wrote incomplete JSON", false);
		*act = VERDICT_SESSION_RESET;
	}
	rc = decode_emit(c->out, &c->line);
	if (c->o->explain && rc == 0) {
		if (ex.err)
			fprintf(stderr,
			    "bgpwatchctl: decode: message %zu: "
			    "explain list incomplete (out of memory)\n",
			    c->msgno);
		wbuf_reset(&c->table);
		decode_explain_table(&c->table, msg, len, &ex, &cov);
		decode_warn_cover(c, off, &cov, *act);
		rc = decode_emit(c->out, &c->table);
	}
	explain_free(&ex);
	return rc;
}

/*
 * The JSON line for a HEXIN_TRUNC or HEXIN_ERR item; with --explain, the
 * octets of a truncated message follow as one "(not decoded)" row.
 */
static int
decode_bad_input(struct decode_ctx *c, enum hexin_res res,
    const struct hexin *h, const uint8_t *msg, size_t len)
{
	struct decode_cover cov;
	struct explain none;
	char error[192];

	if (res == HEXIN_TRUNC)
		snprintf(error, sizeof(error),
		    "truncated: need %zu octets, have %zu", h->need, len);
	else if (h->err.line > 0)
		snprintf(error, sizeof(error),
		    "hex input line %zu, column %zu: %s", h->err.line,
		    h->err.column, h->err.msg);
	else
		snprintf(error, sizeof(error), "%s", h->err.msg);
	decode_error_json(&c->line, msg, len,
	    res == HEXIN_TRUNC ? h->off : h->err.offset, error,
	    res == HEXIN_TRUNC);
	if (decode_emit(c->out, &c->line) == -1)
		return -1;
	if (!c->o->explain || res != HEXIN_TRUNC)
		return 0;
	explain_init(&none, msg);
	wbuf_reset(&c->table);
	decode_explain_table(&c->table, msg, len, &none, &cov);
	return decode_emit(c->out, &c->table);
}

int
decode_stream(FILE *in, FILE *out, const struct decode_opts *o)
{
	struct decode_ctx c;
	struct hexin h;
	const uint8_t *msg;
	size_t len;
	enum hexin_res res;
	enum verdict_action act;
	int status = CTL_EXIT_OK, werr = 0;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.out = out;
	wbuf_init_dyn(&c.line, 0);
	wbuf_init_dyn(&c.table, 0);
	hexin_open(
	    &h, in, o->binary, o->sess.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN);
	while (werr == 0 && (res = hexin_next(&h, &msg, &len)) != HEXIN_EOF) {
		c.msgno++;
		if (res == HEXIN_MSG || res == HEXIN_BADHDR) {
			werr = decode_one(&c, msg, len, h.off, &act);
			/* A bad header fails even if the decoder disagreed. */
			if (act != VERDICT_OK || res == HEXIN_BADHDR)
				status = CTL_EXIT_FAIL;
		} else {
			werr = decode_bad_input(&c, res, &h, msg, len);
			status = CTL_EXIT_FAIL;
		}
	}
	if (werr == 0 && fflush(out) == EOF) {
		fprintf(stderr, "bgpwatchctl: decode: write: %s\n",
		    strerror(errno));
		werr = -1;
	}
	hexin_close(&h);
	wbuf_free(&c.line);
	wbuf_free(&c.table);
	return werr == 0 ? status : CTL_EXIT_FAIL;
}

/* One row of the --explain table: an explain item or a gap between them. */
struct decode_row {
	size_t off, len;
	int depth;
	const char *text;
	size_t seq; /* keeps the decoder's order among equals */
};

/* Offset order; a range before the shorter ranges that start with it. */
static int
decode_row_cmp(const void *a, const void *b)
{
	const struct decode_row *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Append octets p[0..n) as "xx xx ...", padded to pad columns. */
static void
decode_put_octets(struct wbuf *w, const uint8_t *p, size_t n, size_t pad)
{
	size_t i, col = 0;

	for (i = 0; i < n; i++) {
		wbuf_printf(w, "%s%02x", i == 0 ? "" : " ", p[i]);
		col += i == 0 ? 2 : 3;
	}
	for (; col < pad; col++)
		wbuf_put_u8(w, ' ');
}

/*
 * One table row: "SSSS-EEEE  xx xx ... xx  <indent>text". Ranges of up to
 * DECODE_ROW_OCTETS octets take one line, up to DECODE_WRAP_MAX two; longer
 * ones show their first DECODE_ROW_OCTETS octets and "…(N octets)".
 */
static void
decode_put_row(
    struct wbuf *w, int width, const uint8_t *msg, const struct decode_row *row)
{
	const size_t octcol = DECODE_ROW_OCTETS * 3 - 1;
	size_t first =
	    row->len < DECODE_ROW_OCTETS ? row->len : DECODE_ROW_OCTETS;

	if (row->len == 0)
		wbuf_printf(w, "%0*zu%*s", width, row->off, width + 1, "");
	else
		wbuf_printf(w, "%0*zu-%0*zu", width, row->off, width,
		    row->off + row->len - 1);
	wbuf_put_bytes(w, "  ", 2);
	decode_put_octets(w, msg + row->off, first, octcol);
	wbuf_printf(w, "  %*s%s\n", row->depth * 2, "", row->text);
	if (row->len <= DECODE_ROW_OCTETS)
		return;
	wbuf_printf(w, "%*s", width * 2 + 3, "");
	if (row->len <= DECODE_WRAP_MAX) {
		decode_put_octets(
		    w, msg + row->off + first, row->len - first, 0);
		wbuf_put_u8(w, '\n');
	} else
		wbuf_printf(w, "\xe2\x80\xa6(%zu octets)\n", row->len);
}

/*
 * Mark what the items of ex cover in cov[0..len) (one byte per octet),
 * copy the items that lie inside the message to rows, and count those that
 * do not. Returns the number of rows.
 */
static size_t
decode_rows_items(const struct explain *ex, size_t len, uint8_t *covered,
    struct decode_row *rows, struct decode_cover *cov)
{
	size_t i, n = 0;

	for (i = 0; i < ex->n; i++) {
		const struct explain_item *it = &ex->items[i];

		if (it->off > len || it->len > len - it->off) {
			cov->outside++;
			continue;
		}
		memset(covered + it->off, 1, it->len);
		rows[n].off = it->off;
		rows[n].len = it->len;
		rows[n].depth = it->depth;
		rows[n].text = it->text;
		rows[n].seq = n;
		n++;
	}
	return n;
}

/* Add a "(not decoded)" row for each uncovered range; returns the count. */
static size_t
decode_rows_gaps(const uint8_t *covered, size_t len, struct decode_row *rows,
    size_t n, struct decode_cover *cov)
{
	size_t i = 0, start;

	while (i < len) {
		if (covered[i]) {
			i++;
			continue;
		}
		for (start = i; i < len && !covered[i]; i++)
			;
		if (cov->unexplained == 0)
			cov->first_gap = start;
		cov->unexplained += i - start;
		rows[n].off = start;
		rows[n].len = i - start;
		rows[n].depth = 0;
		rows[n].text = DECODE_NOT_DECODED;
		rows[n].seq = n;
		n++;
	}
	return n;
}

void
decode_explain_table(struct wbuf *w, const uint8_t *msg, size_t len,
    const struct explain *ex, struct decode_cover *cov)
{
	struct decode_row *rows;
	uint8_t *covered;
	size_t i, n, max;
	int width = len > 10000 ? 5 : 4;

	memset(cov, 0, sizeof(*cov));
	/* At most one gap before, between and after the items. */
	max = ex->n + len / 2 + 1;
	covered = calloc(len + 1, 1);
	rows = calloc(max, sizeof(*rows));
	if (covered == NULL || rows == NULL) {
		wbuf_printf(w, "(explain table: out of memory)\n\n");
		goto done;
	}
	n = decode_rows_items(ex, len, covered, rows, cov);
	n = decode_rows_gaps(covered, len, rows, n, cov);
	qsort(rows, n, sizeof(*rows), decode_row_cmp);
	for (i = 0; i < n; i++)
		decode_put_row(w, width, msg, &rows[i]);
	wbuf_put_u8(w, '\n');
done:
	free(rows);
	free(covered);
}

static void
decode_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: bgpwatchctl decode [--as2] [--add-path families] "
	    "[--ext-msg] [--explain]\n"
	    "                          [--binary] [file | -]\n"
	    "families: comma-separated ipv4 (or ipv4-unicast), ipv6 (or "
	    "ipv6-unicast),\n"
	    "          ipv4-multicast, ipv6-multicast, all\n");
}

enum {
	DECODE_OPT_AS2 = 256,
	DECODE_OPT_ADDPATH,
	DECODE_OPT_EXTMSG,
	DECODE_OPT_EXPLAIN,
	DECODE_OPT_BINARY,
};

static const struct option decode_longopts[] = {
	{ "as2", no_argument, NULL, DECODE_OPT_AS2 },
	{ "add-path", required_argument, NULL, DECODE_OPT_ADDPATH },
	{ "ext-msg", no_argument, NULL, DECODE_OPT_EXTMSG },
	{ "explain", no_argument, NULL, DECODE_OPT_EXPLAIN },
	{ "binary", no_argument, NULL, DECODE_OPT_BINARY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Fill *o from the command line; -1 after a usage message, 1 for -h. */
static int
decode_getopt(int argc, char **argv, struct decode_opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->sess.as4 = true; /* RFC 6793 is the norm; --as2 says otherwise */
	while (
	    (ch = getopt_long(argc, argv, "h", decode_longopts, NULL)) != -1) {
		switch (ch) {
		case DECODE_OPT_AS2:
			o->sess.as4 = false;
			break;
		case DECODE_OPT_ADDPATH:
			if (decode_addpath_parse(optarg, &o->sess.addpath_rx) ==
			    0)
				break;
			fprintf(stderr,
			    "bgpwatchctl: decode: --add-path: "
			    "bad family list: %s\n",
			    optarg);
			goto usage;
		case DECODE_OPT_EXTMSG:
			o->sess.ext_msg = true;
			break;
		case DECODE_OPT_EXPLAIN:
			o->explain = true;
			break;
		case DECODE_OPT_BINARY:
			o->binary = true;
			break;
		case 'h':
			decode_usage(stdout);
			return 1;
		default:
			goto usage;
		}
	}
	if (argc - optind <= 1)
		return 0;
	fprintf(stderr, "bgpwatchctl: decode: more than one input file\n");
usage:
	decode_usage(stderr);
	return -1;
}

int
decode_cmd(int argc, char **argv)
{
	struct decode_opts o;
	const char *path;
	FILE *in = stdin;
	int rc;

	if ((rc = decode_getopt(argc, argv, &o)) != 0)
		return rc > 0 ? CTL_EXIT_OK : CTL_EXIT_USAGE;
	path = optind < argc ? argv[optind] : "-";
	if (strcmp(path, "-") != 0 &&
	    (in = fopen(path, o.binary ? "rb" : "r")) == NULL) {
		fprintf(stderr, "bgpwatchctl: decode: %s: %s\n", path,
		    strerror(errno));
		return CTL_EXIT_FAIL;
	}
	rc = decode_stream(in, stdout, &o);
	if (in != stdin)
		fclose(in);
	return rc;
}
