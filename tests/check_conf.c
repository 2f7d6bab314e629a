/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of bgpd/conf.c and conf_print.c beyond the golden files:
 * the reload comparisons (conf_neighbor_equal, conf_neighbor_needs_reset,
 * conf_global_needs_reset, conf_equal) as tables of before/after configs,
 * conf_neighbor_find, file errors, and every prefix of a valid file
 * failing or parsing cleanly.
 *
 * Public: main().
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

#define GLOBALS "local-as 64512\nrouter-id 192.0.2.10\n"

/* Parse text; errors into *errbuf (caller frees) when errbuf is set. */
static struct conf *
parse(const char *text, char **errbuf)
{
	struct conf *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *err;

	err = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(err);
	c = conf_parse_buf("test.conf", text, strlen(text), err);
	ck_assert_int_eq(fclose(err), 0);
	if (errbuf != NULL)
		*errbuf = buf;
	else {
		ck_assert_msg(c != NULL, "parse failed:\n%s\n%s", text, buf);
		free(buf);
	}
	return c;
}

/* The base neighbor every reload vector starts from. */
#define BASE_NBR                                                               \
	"neighbor 192.0.2.1 {\n remote-as 65001\n descr \"a\"\n"               \
	" max-prefix 100\n}\n"

static const struct reload_vec {
	const char *name;
	const char *after; /* whole config; neighbor 192.0.2.1 in it */
	bool equal;
	bool reset;
} reload_vecs[] = {
	{ "same", GLOBALS BASE_NBR, true, false },
	{ "same, reordered and spelled out",
	    GLOBALS "neighbor 192.0.2.1 { max-prefix 100; passive\n"
	            " port 179; descr a; remote-as 0.65001\n"
	            " family ipv6 unicast; family ipv4 unicast }\n",
	    true, false },
	{ "descr",
	    GLOBALS "neighbor 192.0.2.1 {\n remote-as 65001\n"
	            " descr \"b\"\n max-prefix 100\n}\n",
	    false, false },
	{ "no descr",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; max-prefix 100 }\n",
	    false, false },
	{ "max-prefix number",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 200 }\n",
	    false, false },
	{ "max-prefix removed",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a }\n", false,
	    false },
	{ "max-prefix warn-only",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100 warn-only }\n",
	    false, false },
	{ "max-prefix restart",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100 restart 5 }\n",
	    false, false },
	{ "connect",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; connect }\n",
	    false, false },
	{ "port",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; port 1179 }\n",
	    false, false },
	{ "into a group",
	    GLOBALS "group g { neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100 } }\n",
	    false, false },
	{ "remote-as",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65002; descr a\n"
	            " max-prefix 100 }\n",
	    false, true },
	{ "remote-as any",
	    GLOBALS "neighbor 192.0.2.1 { remote-as any; descr a\n"
	            " max-prefix 100 }\n",
	    false, true },
	{ "local-address",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; local-address 192.0.2.10 }\n",
	    false, true },
	{ "md5",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; md5 k }\n",
	    false, true },
	{ "ttl-security",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; ttl-security yes }\n",
	    false, true },
	{ "add-path",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; add-path receive }\n",
	    false, true },
	{ "graceful-restart no",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; graceful-restart no }\n",
	    false, true },
	{ "restart-time",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; graceful-restart yes restart-time 60 }\n",
	    false, true },
	{ "hold-time",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; hold-time 30 }\n",
	    false, true },
	{ "global hold-time, inherited",
	    GLOBALS "hold-time 30\nneighbor 192.0.2.1 { remote-as 65001\n"
	            " descr a; max-prefix 100 }\n",
	    false, true },
	{ "family",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; family ipv4 unicast }\n",
	    false, true },
	{ "extended-message",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; extended-message no }\n",
	    false, true },
	{ "route-refresh",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; route-refresh no }\n",
	    false, true },
	{ "role",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; role peer }\n",
	    false, true },
	{ "enforce-first-as",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; enforce-first-as yes }\n",
	    false, true },
	{ "down",
	    GLOBALS "neighbor 192.0.2.1 { remote-as 65001; descr a\n"
	            " max-prefix 100; down }\n",
	    false, true },
};

START_TEST(test_reload)
{
	const struct reload_vec *v = &reload_vecs[_i];
	struct conf *a, *b;
	struct conf_neighbor *na, *nb;

	a = parse(GLOBALS BASE_NBR, NULL);
	b = parse(v->after, NULL);
	na = STAILQ_FIRST(&a->neighbors);
	nb = STAILQ_FIRST(&b->neighbors);
	ck_assert_ptr_nonnull(na);
	ck_assert_ptr_nonnull(nb);
	ck_assert_msg(
	    conf_neighbor_equal(na, nb) == v->equal, "%s: equal", v->name);
	ck_assert_msg(conf_neighbor_equal(nb, na) == v->equal,
	    "%s: equal, reversed", v->name);
	ck_assert_msg(conf_neighbor_needs_reset(na, nb) == v->reset,
	    "%s: needs_reset", v->name);
	ck_assert_msg(conf_neighbor_needs_reset(nb, na) == v->reset,
	    "%s: needs_reset, reversed", v->name);
	ck_assert(conf_neighbor_equal(nb, nb));
	ck_assert(!conf_neighbor_needs_reset(nb, nb));
	/* An unchanged neighbor list and globals: conf_equal follows. */
	ck_assert_msg(conf_equal(a, b) == v->equal, "%s: conf_equal", v->name);
	conf_free(a);
	conf_free(b);
}
END_TEST

static const struct global_vec {
	const char *name;
	const char *after;
	bool equal;
	bool reset;
} global_vecs[] = {
	{ "same", GLOBALS, true, false },
	{ "same, asdot and defaults spelled out",
	    "router-id 192.0.2.10; local-as 0.64512; hold-time 90\n"
	    "connect-retry 30; control \"/var/run/bgpwatch.sock\"\n",
	    true, false },
	{ "local-as", "local-as 64513\nrouter-id 192.0.2.10\n", false, true },
	{ "router-id", "local-as 64512\nrouter-id 192.0.2.11\n", false, true },
	{ "hostname", GLOBALS "hostname h.example\n", false, true },
	{ "hold-time", GLOBALS "hold-time 30\n", false, false },
	{ "connect-retry", GLOBALS "connect-retry 5\n", false, false },
	{ "control", GLOBALS "control /tmp/s\n", false, false },
	{ "user", GLOBALS "user nobody\n", false, false },
	{ "log updates", GLOBALS "log updates\n", false, false },
	{ "dump updates", GLOBALS "dump updates \"/tmp/u\" 300\n", false,
	    false },
	{ "dump all", GLOBALS "dump all \"/tmp/u\" 300\n", false, false },
	{ "listen", GLOBALS "listen on 127.0.0.1\n", false, false },
	{ "a neighbor more", GLOBALS "neighbor 192.0.2.1 { remote-as 65001 }\n",
	    false, false },
};

START_TEST(test_global)
{
	const struct global_vec *v = &global_vecs[_i];
	struct conf *a, *b;

	a = parse(GLOBALS, NULL);
	b = parse(v->after, NULL);
	ck_assert_msg(conf_equal(a, b) == v->equal, "%s: equal", v->name);
	ck_assert_msg(
	    conf_equal(b, a) == v->equal, "%s: equal, reversed", v->name);
	ck_assert_msg(conf_global_needs_reset(a, b) == v->reset,
	    "%s: needs_reset", v->name);
	ck_assert(conf_equal(b, b));
	conf_free(a);
	conf_free(b);
}
END_TEST

/* The listen order matters to conf_equal, and so does the port. */
START_TEST(test_listen_equal)
{
	struct conf *a, *b, *c;

	a = parse(GLOBALS "listen on 127.0.0.1\nlisten on ::1\n", NULL);
	b = parse(GLOBALS "listen on ::1\nlisten on 127.0.0.1\n", NULL);
	c = parse(
	    GLOBALS "listen on 127.0.0.1 port 1179\nlisten on ::1\n", NULL);
	ck_assert(!conf_equal(a, b));
	ck_assert(!conf_equal(a, c));
	ck_assert(conf_equal(a, a));
	conf_free(a);
	conf_free(b);
	conf_free(c);
}
END_TEST

static const struct find_vec {
	const char *name;
	int af;
	const char *addr;
	unsigned scope; /* 1: the loopback interface */
	const char *found; /* addr_str of the neighbor, or NULL */
} find_vecs[] = {
	{ "IPv4", AF_INET, "192.0.2.1", 0, "192.0.2.1" },
	{ "IPv4, other", AF_INET, "192.0.2.2", 0, NULL },
	{ "IPv4-mapped", AF_INET6, "::ffff:192.0.2.1", 0, "192.0.2.1" },
	{ "IPv4-mapped, other", AF_INET6, "::ffff:192.0.2.3", 0, NULL },
	{ "IPv6", AF_INET6, "2001:db8::1", 0, "2001:db8::1" },
	{ "IPv6, other", AF_INET6, "2001:db8::2", 0, NULL },
	{ "link-local with its scope", AF_INET6, "fe80::1", 1, "fe80::1%lo" },
	{ "link-local without scope", AF_INET6, "fe80::1", 0, NULL },
	{ "not IP", AF_UNIX, NULL, 0, NULL },
};

START_TEST(test_find)
{
	const struct find_vec *v = &find_vecs[_i];
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct conf *c;
	struct conf_neighbor *n;

	c = parse(GLOBALS "neighbor 192.0.2.1 { remote-as 1; port 1179 }\n"
	                  "neighbor 2001:db8::1 { remote-as 2 }\n"
	                  "neighbor fe80::1%lo { remote-as 3 }\n",
	    NULL);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)v->af;
	if (v->af == AF_INET) {
		ck_assert_int_eq(
		    inet_pton(AF_INET, v->addr, &sin->sin_addr), 1);
		sin->sin_port = htons(40000); /* ports are not compared */
	} else if (v->af == AF_INET6) {
		ck_assert_int_eq(
		    inet_pton(AF_INET6, v->addr, &sin6->sin6_addr), 1);
		sin6->sin6_scope_id = v->scope != 0 ? if_nametoindex("lo") : 0;
	}
	n = conf_neighbor_find(c, (struct sockaddr *)&ss);
	if (v->found == NULL)
		ck_assert_msg(n == NULL, "%s: found %s", v->name, n->addr_str);
	else {
		ck_assert_msg(n != NULL, "%s: not found", v->name);
		ck_assert_str_eq(n->addr_str, v->found);
	}
	conf_free(c);
}
END_TEST

/* Resolved values a caller relies on, beyond what printing shows. */
START_TEST(test_resolved)
{
	struct conf *c;
	struct conf_neighbor *n;
	struct sockaddr_in *sin;

	c = parse("local-as 1.1\nlisten on 127.0.0.1 port 1179\n"
	          "group g { remote-as any; hold-time 0; port 1179\n"
	          " neighbor 192.0.2.1 { } }\n"
	          "neighbor 192.0.2.2 { remote-as 2; role rs-client }\n"
	          "hold-time 45\n",
	    NULL);
	ck_assert_uint_eq(c->local_as, 65537);
	ck_assert_uint_eq(c->router_id, 0x7f000001); /* from listen on */
	n = STAILQ_FIRST(&c->neighbors);
	ck_assert(n->remote_as_any);
	ck_assert_uint_eq(n->remote_as, 0);
	ck_assert_uint_eq(n->holdtime, 0); /* the group's, not the global */
	ck_assert_str_eq(n->group, "g");
	sin = (struct sockaddr_in *)&n->addr;
	ck_assert_uint_eq(ntohs(sin->sin_port), 1179);
	ck_assert_int_eq(n->addrlen, sizeof(*sin));
	n = STAILQ_NEXT(n, entry);
	ck_assert_uint_eq(n->holdtime, 45); /* global, given after it */
	ck_assert_uint_eq(n->role, CONF_ROLE_RS_CLIENT);
	ck_assert_str_eq(conf_role_name(n->role), "rs-client");
	ck_assert_str_eq(conf_role_name(5), "?");
	ck_assert_uint_eq(n->line, 5);
	ck_assert_ptr_null(STAILQ_NEXT(n, entry));
	conf_free(c);
}
END_TEST

/* Files that cannot be read: `path: strerror`, no line number. */
START_TEST(test_file_errors)
{
	char dir[] = "/tmp/check_conf.XXXXXX", path[64], want[128];
	char *buf = NULL;
	size_t len = 0;
	FILE *err, *fp;
	struct conf *c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	err = open_memstream(&buf, &len);
	ck_assert_ptr_null(conf_parse_file(path, err));
	ck_assert_ptr_null(conf_parse_file(dir, err));
	ck_assert_int_eq(fclose(err), 0);
	snprintf(want, sizeof(want),
	    "%s: No such file or directory\n%s: Is a directory\n", path, dir);
	ck_assert_str_eq(buf, want);
	free(buf);

	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(GLOBALS, fp);
	ck_assert_int_eq(fclose(fp), 0);
	c = conf_parse_file(path, stderr);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->path, path);
	conf_free(c);
	conf_free(NULL);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A config that uses most of the grammar, cut at every byte below. */
static const char full_text[] =
    "# comment\nlocal-as 64512 ; router-id 192.0.2.10\n"
    "listen on ::1 port 1179\ncontrol \"/tmp/x\\\"y\"\n"
    "hostname a.example\nuser u\nlog updates\nhold-time \\\n 30\n"
    "group \"g\" {\n remote-as any\n neighbor 192.0.2.1 { descr d }\n}\n"
    "neighbor 2001:db8::1\n{\n remote-as 1.2; connect; port 1179\n"
    " local-address 2001:db8::2; md5 \"k k\"; ttl-security yes\n"
    " add-path receive; max-prefix 10 warn-only\n"
    " graceful-restart yes restart-time 5; hold-time 0\n"
    " family ipv6 unicast; extended-message no; route-refresh no\n"
    " role peer; enforce-first-as yes; down\n}\n";

/*
 * Every proper prefix of full_text parses or fails cleanly: NULL comes
 * with at least one `test.conf:LINE: ` message and a config with none.
 */
START_TEST(test_truncated)
{
	struct conf *c;
	char *buf, *text;
	size_t len = 0, n, ok = 0;
	FILE *err;

	for (n = 0; n < sizeof(full_text) - 1; n++) {
		text = malloc(n); /* exactly n bytes: ASan sees any over-read */
		ck_assert(n == 0 || text != NULL);
		memcpy(text, full_text, n);
		buf = NULL;
		err = open_memstream(&buf, &len);
		c = conf_parse_buf("test.conf", text, n, err);
		ck_assert_int_eq(fclose(err), 0);
		if (c == NULL)
			ck_assert_msg(strncmp(buf, "test.conf:", 10) == 0,
			    "prefix %zu: no message", n);
		else {
			ck_assert_msg(len == 0, "prefix %zu: %s", n, buf);
			ok++;
		}
		conf_free(c);
		free(buf);
		free(text);
	}
	/* Cuts between complete statements parse, e.g. after "log updates". */
	ck_assert_uint_ge(ok, 8);
	c = parse(full_text, NULL);
	ck_assert_uint_eq(c->holdtime, 30);
	conf_free(c);
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("conf");

	tcase_add_loop_test(
	    tc, test_reload, 0, sizeof(reload_vecs) / sizeof(reload_vecs[0]));
	tcase_add_loop_test(
	    tc, test_global, 0, sizeof(global_vecs) / sizeof(global_vecs[0]));
	tcase_add_loop_test(
	    tc, test_find, 0, sizeof(find_vecs) / sizeof(find_vecs[0]));
	tcase_add_test(tc, test_listen_equal);
	tcase_add_test(tc, test_resolved);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_truncated);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
