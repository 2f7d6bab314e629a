#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Behaviour tests of `bgpwatchctl decode` (TAP output for meson): input
# syntax, framing, binary streams, session options, --explain coverage,
# exit statuses and usage errors. Python 3 standard library only.
#
# usage: test_decode.py PATH/TO/bgpwatchctl SOURCE_ROOT

import json
import os
import re
import subprocess
import sys
import tempfile

CTL = sys.argv[1]
SRC = sys.argv[2]
DATA = os.path.join(SRC, "tests", "data", "decode")
EXAMPLE = os.path.join(SRC, "contrib", "examples", "update-nk2015.hex")
GOBGP = "/work/shared/corpora/vectors/gobgp.jsonl"

MARKER = "ff" * 16
KEEPALIVE = MARKER + "001304"


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def run(args, stdin=b""):
    """Run bgpwatchctl; return (exit status, stdout, stderr)."""
    p = subprocess.run([CTL] + args, input=stdin, capture_output=True,
                       timeout=60)
    check(p.returncode >= 0, f"{args}: killed by signal {-p.returncode}: "
          f"{p.stderr.decode(errors='replace')}")
    return p.returncode, p.stdout, p.stderr


def jsonl(out):
    """Parse stdout as JSON lines; every line whole and newline-ended."""
    check(out == b"" or out.endswith(b"\n"), f"output not newline-ended: "
          f"{out[-80:]!r}")
    objs = []
    for line in out.decode("utf-8").splitlines():
        try:
            objs.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise Fail(f"not a JSON line ({e}): {line[:200]}")
        check(isinstance(objs[-1], dict), f"not an object: {line[:200]}")
    return objs


def hex_octets(path):
    """The octets of a .hex test file (comments, spaces, colons dropped)."""
    text = open(path, encoding="ascii").read()
    text = re.sub(r"#[^\n]*", "", text)
    text = re.sub(r"0[xX]|[\s:]", "", text)
    return bytes.fromhex(text)


def data(name):
    return os.path.join(DATA, name)


def decode_ok(objs):
    return all(o.get("verdict", {}).get("action") == "ok" and
               "error" not in o for o in objs)


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def hexfile(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".hex", delete=False)
    f.write(text)
    f.close()
    return f.name


# --- hex input syntax ------------------------------------------------------

@test
def hex_formats():
    """Whitespace, colons, 0x, comments and CRLF give the same message."""
    ka = bytes.fromhex(KEEPALIVE)
    forms = [
        KEEPALIVE,
        ":".join(f"{b:02x}" for b in ka),
        " ".join(f"0x{b:02X}" for b in ka),
        "# a KEEPALIVE\n" + MARKER + "  # marker\n0013\t04 # length, type",
        "0x" + KEEPALIVE.upper() + "\r\n",
    ]
    rc, out, err = run(["decode"], "\n".join(forms).encode() + b"\n")
    objs = jsonl(out)
    check(rc == 0, f"exit {rc}: {err!r}")
    check(len(objs) == len(forms), f"{len(objs)} lines for {len(forms)}")
    first = out.splitlines()[0]
    check(all(line == first for line in out.splitlines()),
          "the forms decode differently")
    check(objs[0]["type"] == "KEEPALIVE" and objs[0]["length"] == 19 and
          objs[0]["verdict"]["action"] == "ok", f"{objs[0]}")


@test
def hex_odd_digits():
    """An odd token is an error naming line, column and offset; exit 1."""
    text = f"{KEEPALIVE}\n# next\n{MARKER} 0013 4\n"
    rc, out, err = run(["decode"], text.encode())
    objs = jsonl(out)
    check(rc == 1, f"exit {rc}")
    check(len(objs) == 1, f"{len(objs)} lines: the error comes alone")
    e = objs[0]
    check("line 3, column 39" in e["error"] and "odd number" in e["error"],
          e["error"])
    check(e["offset"] == 19 + 18, f"offset {e['offset']}")
    check("verdict" not in e and e["type"] is None, f"{e}")


@test
def hex_bad_character():
    rc, out, _ = run(["decode"], f"{KEEPALIVE} zz\n".encode())
    objs = jsonl(out)
    check(rc == 1 and len(objs) == 1, f"exit {rc}, {len(objs)} lines")
    check("invalid character 'z'" in objs[0]["error"] and
          "line 1, column 40" in objs[0]["error"], objs[0]["error"])


@test
def hex_non_ascii():
    rc, out, _ = run(["decode"], "ff\u00e9\n".encode())
    objs = jsonl(out)
    check(rc == 1 and "invalid byte 0xc3" in objs[0]["error"], f"{objs}")


@test
def empty_input():
    """No messages: no output, exit 0 (hex and binary)."""
    for args in (["decode"], ["decode", "--binary"]):
        rc, out, err = run(args, b"# nothing here\n" if len(args) == 1
                           else b"")
        check(rc == 0 and out == b"" and err == b"", f"{args}: {rc} {out!r}")


# --- framing ---------------------------------------------------------------

def stream_files():
    return [data(n) for n in ("open-hostname.hex", "notification.hex",
                              "rrefresh-eorr.hex")]


@test
def several_messages():
    """Messages in one input come out one line each, in order."""
    text = "".join(open(f).read() for f in stream_files()) + KEEPALIVE
    rc, out, err = run(["decode"], text.encode())
    objs = jsonl(out)
    check([o["type"] for o in objs] ==
          ["OPEN", "NOTIFICATION", "ROUTE-REFRESH", "KEEPALIVE"],
          f"{[o['type'] for o in objs]}")
    check(rc == (0 if decode_ok(objs) else 1), f"exit {rc}")


@test
def file_stdin_dash():
    """FILE, - and stdin give the same output."""
    f = data("open-hostname.hex")
    r1 = run(["decode", f])
    r2 = run(["decode", "-"], open(f, "rb").read())
    r3 = run(["decode"], open(f, "rb").read())
    check(r1 == r2 == r3, "outputs differ")
    check(len(jsonl(r1[1])) == 1, "one message")


@test
def binary_equals_hex():
    """--binary on the raw octets gives exactly what hex gives."""
    octets = b"".join(hex_octets(f) for f in stream_files())
    text = "".join(open(f).read() for f in stream_files())
    rh = run(["decode"], text.encode())
    rb = run(["decode", "--binary"], octets)
    check(rh == rb, f"hex {rh[:2]} binary {rb[:2]}")
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(octets)
        f.flush()
        check(run(["decode", "--binary", f.name]) == rh, "binary file")


@test
def binary_long_stream():
    """A long binary stream is decoded message by message."""
    n = 5000
    rc, out, err = run(["decode", "--binary"], bytes.fromhex(KEEPALIVE) * n)
    lines = out.splitlines()
    check(rc == 0 and len(lines) == n, f"exit {rc}, {len(lines)} lines")
    check(len(set(lines)) == 1, "lines differ")


@test
def bad_marker_stops():
    """A bad marker cannot be resynchronised: error line, stop, exit 1."""
    bad = "ffffffffffffffffffffffffffff00ff" + "001304"
    for binary in (False, True):
        payload = KEEPALIVE + bad + KEEPALIVE
        args = ["decode"] + (["--binary"] if binary else [])
        rc, out, _ = run(args, bytes.fromhex(payload) if binary
                         else payload.encode())
        objs = jsonl(out)
        check(rc == 1 and len(objs) == 2, f"exit {rc}, {len(objs)} lines")
        v = objs[1]["verdict"]
        check(v["action"] == "session-reset" and v["code"] == 1 and
              v["subcode"] == 1 and "error" in objs[1], f"{objs[1]}")


@test
def bad_length_stops():
    """A length field below 19 cannot be framed: 1/2, stop, exit 1."""
    payload = KEEPALIVE + MARKER + "001204" + KEEPALIVE
    rc, out, _ = run(["decode"], payload.encode())
    objs = jsonl(out)
    check(rc == 1 and len(objs) == 2, f"exit {rc}, {len(objs)} lines")
    v = objs[1]["verdict"]
    check((v["code"], v["subcode"]) == (1, 2) and objs[1]["length"] == 18,
          f"{objs[1]}")


@test
def bad_type_continues():
    """An unknown type is 1/3 but the length still frames the stream."""
    payload = MARKER + "001309" + KEEPALIVE
    rc, out, _ = run(["decode"], payload.encode())
    objs = jsonl(out)
    check(rc == 1 and len(objs) == 2, f"exit {rc}, {len(objs)} lines")
    check((objs[0]["verdict"]["code"], objs[0]["verdict"]["subcode"]) ==
          (1, 3) and objs[1]["type"] == "KEEPALIVE", f"{objs}")


@test
def truncated_stream():
    """A stream ending inside a message: "truncated: need N, have M"."""
    octets = hex_octets(data("open-hostname.hex"))
    cut = octets[:60]
    for binary in (False, True):
        args = ["decode"] + (["--binary"] if binary else [])
        payload = bytes.fromhex(KEEPALIVE) + cut
        rc, out, _ = run(args, payload if binary else payload.hex().encode())
        objs = jsonl(out)
        check(rc == 1 and len(objs) == 2, f"exit {rc}, {len(objs)} lines")
        e = objs[1]
        check(e["error"] == f"truncated: need {len(octets)} octets, have 60",
              e["error"])
        check(e["offset"] == 19 and e["type"] == "OPEN" and
              e["length"] == len(octets), f"{e}")
        check(e["verdict"]["action"] == "session-reset" and
              (e["verdict"]["code"], e["verdict"]["subcode"]) == (1, 2),
              f"{e}")


@test
def truncated_header():
    rc, out, _ = run(["decode"], (KEEPALIVE + "ffff").encode())
    objs = jsonl(out)
    check(rc == 1 and objs[-1]["error"] ==
          "truncated: need 19 octets, have 2", f"{objs}")
    check(objs[-1]["length"] is None and objs[-1]["type"] is None,
          f"{objs[-1]}")


@test
def every_cut_of_a_stream():
    """Every proper prefix of a stream: whole lines, never a crash."""
    octets = b"".join(hex_octets(f) for f in stream_files())
    ends = []
    pos = 0
    while pos < len(octets):
        pos += int.from_bytes(octets[pos + 16:pos + 18], "big")
        ends.append(pos)
    for cut in range(len(octets)):
        rc, out, _ = run(["decode", "--binary"], octets[:cut])
        objs = jsonl(out)
        whole = sum(1 for e in ends if e <= cut)
        if cut in ends or cut == 0:
            check(len(objs) == whole, f"cut {cut}: {len(objs)} lines")
        else:
            check(len(objs) == whole + 1 and
                  objs[-1]["error"].startswith("truncated: need"),
                  f"cut {cut}: {objs[-1:]}")
            check(rc == 1, f"cut {cut}: exit {rc}")


@test
def gobgp_fuzz_streams():
    """GoBGP's fuzzer-found byte streams: whole JSON lines, exit 0 or 1."""
    rows = [json.loads(line) for line in open(GOBGP)]
    streams = [r for r in rows if r["kind"] == "message_stream"]
    check(len(streams) > 0, "no vectors")
    for r in streams:
        for args in (["decode", "--binary"], ["decode", "--binary",
                                              "--ext-msg", "--as2"]):
            rc, out, err = run(args, bytes.fromhex(r["hex"]))
            objs = jsonl(out)
            check(rc in (0, 1) and len(objs) >= 1, f"{r['name']}: {rc}")
            check(rc == (0 if decode_ok(objs) else 1), f"{r['name']}")


# --- session options -------------------------------------------------------

def ext_update(nlri_count):
    """A synthetic UPDATE: ORIGIN, AS_PATH (4-octet AS 65001), NEXT_HOP and
    nlri_count /24s from 10.0.0.0 on, plus one /32 to reach the length."""
    attrs = bytes.fromhex("40010100" "400206020100 00fde9".replace(" ", "") +
                          "400304c0000201")
    nlri = b"".join(bytes([24, 10, i >> 8, i & 0xff])
                    for i in range(nlri_count)) + bytes([32, 192, 0, 2, 9])
    body = b"\x00\x00" + len(attrs).to_bytes(2, "big") + attrs + nlri
    return bytes.fromhex(MARKER) + (19 + len(body)).to_bytes(2, "big") + \
        b"\x02" + body


@test
def ext_msg():
    """A 5000-octet UPDATE: 1/2 without --ext-msg, decoded with it."""
    msg = ext_update(1238)
    check(len(msg) == 5000, f"built {len(msg)} octets")
    for binary in (False, True):
        extra = ["--binary"] if binary else []
        payload = msg if binary else msg.hex().encode()
        rc, out, _ = run(["decode"] + extra, payload)
        objs = jsonl(out)
        check(rc == 1 and len(objs) == 1, f"exit {rc}, {len(objs)} lines")
        v = objs[0]["verdict"]
        check((v["action"], v["code"], v["subcode"]) ==
              ("session-reset", 1, 2) and objs[0]["length"] == 5000,
              f"{objs[0]}")
        rc, out, err = run(["decode", "--ext-msg"] + extra, payload)
        objs = jsonl(out)
        check(len(objs) == 1 and objs[0]["type"] == "UPDATE" and
              objs[0]["length"] == 5000, f"{out[:300]!r}")
        check(rc == 0 and objs[0]["verdict"]["action"] == "ok",
              f"exit {rc}: {objs[0]['verdict']}")
        check(len(objs[0]["announced"]) == 1239,
              f"{len(objs[0]['announced'])} announced")


@test
def ext_msg_keepalive_limit():
    """RFC 8654 §4: a KEEPALIVE stays 19 octets even with --ext-msg."""
    msg = MARKER + "001404" + "00"
    rc, out, _ = run(["decode", "--ext-msg"], msg.encode())
    objs = jsonl(out)
    check(rc == 1 and objs[0]["verdict"]["subcode"] == 2, f"{objs}")


@test
def as2_versus_default():
    """A 2-octet AS_PATH: right with --as2, an error by default."""
    f = data("update-as2.hex")
    rc, out, err = run(["decode", "--as2", f])
    objs = jsonl(out)
    check(rc == 0 and decode_ok(objs), f"--as2: exit {rc} {objs}")
    ap = objs[0]["attributes"]["as_path"]
    check(ap["flat"] == [1853, 1239, 701, 22024] and
          ap["origin_as"] == 22024 and ap["upstream_as"] == 701, f"{ap}")
    check([a["prefix"] for a in objs[0]["announced"]] == ["65.209.117.0/24"],
          f"{objs[0]['announced']}")
    rc, out, err = run(["decode", f])
    objs = jsonl(out)
    check(rc == 1 and objs[0]["verdict"]["action"] != "ok",
          f"default: exit {rc} {objs[0].get('verdict')}")


@test
def add_path():
    """ADD-PATH path identifiers are read only when --add-path says so."""
    f = data("update-addpath-ipv4.hex")
    for fams in ("ipv4", "ipv4-unicast", "all", "ipv6,ipv4"):
        rc, out, err = run(["decode", "--add-path", fams, f])
        objs = jsonl(out)
        check(rc == 0, f"--add-path {fams}: exit {rc} {objs}")
        ann = objs[0]["announced"]
        check([(a["prefix"], a["path_id"]) for a in ann] ==
              [("10.0.0.10/32", 1)], f"--add-path {fams}: {ann}")
    for args in ([], ["--add-path", "ipv6"], ["--add-path",
                                               "ipv4-multicast"]):
        rc, out, err = run(["decode"] + args + [f])
        objs = jsonl(out)
        got = [(a["prefix"], a.get("path_id")) for a in
               objs[0].get("announced", [])]
        check(got != [("10.0.0.10/32", 1)], f"{args}: read a path id")
        check(rc == (0 if decode_ok(objs) else 1), f"{args}: exit {rc}")


# --- --explain -------------------------------------------------------------

ROW = re.compile(r"^(\d{4,5})(?:-(\d{4,5}))?\s{2,}")


def explain_rows(out):
    """Split --explain output into (json object, [(start, end)]) pairs."""
    blocks = []
    for line in out.decode("utf-8").split("\n"):
        if line.startswith("{"):
            blocks.append((json.loads(line), []))
        elif line == "":
            continue
        else:
            check(blocks, f"table before JSON: {line}")
            m = ROW.match(line)
            if m is None:
                check(line.startswith(" ") and
                      (re.fullmatch(r" +([0-9a-f]{2} ?)+", line) or
                       re.fullmatch(r" +\u2026\(\d+ octets\)", line)),
                      f"bad table line: {line!r}")
                continue
            start = int(m.group(1))
            end = int(m.group(2)) if m.group(2) else start - 1
            blocks[-1][1].append((start, end))
    return blocks


@test
def explain_coverage():
    """Every octet of every message is in some row, rows fit the message,
    the JSON line is the same as without --explain, no warnings."""
    files = sorted(os.path.join(DATA, n) for n in os.listdir(DATA)
                   if n.endswith(".hex")) + [EXAMPLE]
    for f in files:
        for opts in ([], ["--as2"], ["--add-path", "all"]):
            rc, out, err = run(["decode", "--explain"] + opts + [f])
            plain = run(["decode"] + opts + [f])
            check(rc == plain[0], f"{f}: exit {rc} vs {plain[0]}")
            blocks = explain_rows(out)
            check([json.dumps(b[0]) for b in blocks] ==
                  [json.dumps(o) for o in jsonl(plain[1])],
                  f"{f}: JSON lines differ")
            for obj, rows in blocks:
                n = obj["length"]
                m = re.match(r"truncated: need \d+ octets, have (\d+)$",
                             obj.get("error", ""))
                if m:
                    n = int(m.group(1))
                cov = [False] * n
                for s, e in rows:
                    check(0 <= s and e < n, f"{f}: row {s}-{e} outside {n}")
                    for i in range(s, e + 1):
                        cov[i] = True
                check(all(cov), f"{f} {opts}: octets "
                      f"{[i for i, c in enumerate(cov) if not c][:10]} "
                      "not explained")
            check(b"not explained" not in err and b"decoder bug" not in err,
                  f"{f}: {err.decode()}")


@test
def explain_format():
    """The documented row layout, on a KEEPALIVE: offsets, octets padded
    to 47 columns, two spaces, the text; a blank line ends the table."""
    rc, out, _ = run(["decode", "--explain"], KEEPALIVE.encode())
    lines = out.decode().split("\n")
    check(rc == 0 and lines[0].startswith("{") and len(lines) == 6,
          f"{lines}")
    want = [("0000-0015", " ".join(["ff"] * 16)), ("0016-0017", "00 13"),
            ("0018-0018", "04")]
    for line, (rng, octets) in zip(lines[1:4], want):
        head = rng + "  " + octets.ljust(47) + "  "
        check(line.startswith(head) and len(line) > len(head) and
              line[len(head)] != " ", repr(line))
    check(lines[4] == "" and lines[5] == "", f"{lines[4:]}")


# --- command line ----------------------------------------------------------

@test
def usage_errors():
    """Bad command lines exit 2 with a usage message on stderr."""
    for args in ([], ["nosuch"], ["-x"], ["decode", "--nosuch"],
                 ["decode", "--add-path"], ["decode", "--add-path", "ipv5"],
                 ["decode", "--add-path", ""], ["decode", "--add-path",
                                                "ipv4,"],
                 ["decode", "--add-path", ",ipv4"], ["decode", "a", "b"]):
        rc, out, err = run(args, KEEPALIVE.encode())
        check(rc == 2, f"{args}: exit {rc}")
        check(out == b"" and b"usage:" in err, f"{args}: {out!r} {err!r}")


@test
def help_and_version():
    rc, out, err = run(["-h"])
    check(rc == 0 and b"usage: bgpwatchctl" in out and b"decode" in out,
          f"-h: {rc} {out!r}")
    rc, out, err = run(["decode", "-h"])
    check(rc == 0 and b"--add-path" in out, f"decode -h: {rc} {out!r}")
    rc, out, err = run(["-V"])
    check(rc == 0 and re.fullmatch(rb"bgpwatchctl \d+\.\d+\.\d+\n", out),
          f"-V: {out!r}")


@test
def missing_file():
    rc, out, err = run(["decode", "/nonexistent/x.hex"])
    check(rc == 1 and out == b"" and b"/nonexistent/x.hex" in err,
          f"{rc} {err!r}")


@test
def exit_status_follows_verdicts():
    """Exit 0 only when every line has verdict ok and no error."""
    good = KEEPALIVE
    bad = MARKER + "001309"  # unknown type: 1/3
    for payload, want in ((good * 3, 0), (good + bad + good, 1),
                          (bad + good, 1)):
        rc, out, _ = run(["decode"], payload.encode())
        check(rc == want and rc == (0 if decode_ok(jsonl(out)) else 1),
              f"exit {rc}, want {want}")


def main():
    print(f"1..{len(TESTS)}")
    failed = 0
    for i, fn in enumerate(TESTS, 1):
        try:
            fn()
            print(f"ok {i} - {fn.__name__}")
        except Fail as e:
            failed += 1
            print(f"not ok {i} - {fn.__name__}")
            for line in str(e).splitlines():
                print(f"# {line}")
        except Exception as e:  # a test bug is a failure too
            failed += 1
            print(f"not ok {i} - {fn.__name__}: {type(e).__name__}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
