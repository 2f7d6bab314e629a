#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Golden tests of bgpwatchctl's control commands, without a daemon: a
# stand-in listens on a Unix socket, checks the request line bgpwatchctl
# sends (PROTOCOL in bgpwatchctl(8)) and answers with recorded answer lines
# from tests/data/control/. The human tables must equal
# tests/golden/control/NAME.txt; -j must copy the data lines unchanged;
# error answers, truncated answers (no end marker) and bad lines must fail
# with exit status 1; usage errors exit 2 without connecting. TAP output.
#
# usage: golden_show.py [--update] PATH/TO/bgpwatchctl SOURCE_ROOT
# --update rewrites the .txt files from the current output, for review
# with `git diff` (tests/golden/update.sh does this).

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

END = b'{"end":true}\n'

# (name, arguments, expected request, answer file or bytes, exit status,
#  stderr, golden stdout: "txt" (NAME.txt), "data" (the answer's data
#  lines), "" (nothing) or None (not compared))
CASES = [
    ("summary", ["show", "summary"],
     {"command": "show summary", "args": {}}, "summary.jsonl", 0, "",
     "txt"),
    ("summary-json", ["-j", "show", "summary"],
     {"command": "show summary", "args": {}}, "summary.jsonl", 0, "",
     "data"),
    ("neighbor", ["show", "neighbor"],
     {"command": "show neighbor", "args": {}}, "neighbor.jsonl", 0, "",
     "txt"),
    ("neighbor-json", ["-j", "show", "neighbor", "127.0.0.3"],
     {"command": "show neighbor", "args": {"neighbor": "127.0.0.3"}},
     "neighbor.jsonl", 0, "", "data"),
    ("rib", ["show", "rib"], {"command": "show rib", "args": {}},
     "rib.jsonl", 0, "", "txt"),
    ("rib-json", ["-j", "show", "rib"], {"command": "show rib", "args": {}},
     "rib.jsonl", 0, "", "data"),
    ("rib-filters", ["show", "rib", "10.0.0.0/8", "or-longer", "neighbor",
                     "127.0.0.2", "origin-as", "65010", "transit-as",
                     "4200000000", "family", "ipv4"],
     {"command": "show rib", "args": {
         "prefix": "10.0.0.0/8", "match": "or-longer",
         "neighbor": "127.0.0.2", "origin_as": 65010,
         "transit_as": 4200000000, "family": "ipv4"}},
     b'{"end":true,"routes":0}\n', 0, "", "txt"),
    ("rib-shorter", ["show", "rib", "2001:db8::1", "or-shorter"],
     {"command": "show rib", "args": {"prefix": "2001:db8::1",
                                      "match": "or-shorter"}},
     b'{"end":true,"routes":0}\n', 0, "", None),
    ("reload", ["reload"], {"command": "reload", "args": {}}, END, 0, "",
     ""),
    ("reload-failed", ["reload"], {"command": "reload", "args": {}},
     b'{"error":"reload failed; the running configuration stays",'
     b'"details":["/etc/bgpwatch.conf:3: remote-as: missing AS number",'
     b'"/etc/bgpwatch.conf:9: unknown keyword \\"neighbour\\""]}\n', 1,
     "bgpwatchctl: reload failed; the running configuration stays\n"
     "  /etc/bgpwatch.conf:3: remote-as: missing AS number\n"
     "  /etc/bgpwatch.conf:9: unknown keyword \"neighbour\"\n", ""),
    ("clear", ["clear", "neighbor", "192.0.2.1"],
     {"command": "clear neighbor", "args": {"neighbor": "192.0.2.1",
                                            "soft": False}}, END, 0, "", ""),
    ("clear-soft", ["clear", "neighbor", "2001:db8::1", "soft"],
     {"command": "clear neighbor", "args": {"neighbor": "2001:db8::1",
                                            "soft": True}}, END, 0, "", ""),
    ("clear-unknown", ["clear", "neighbor", "192.0.2.99"],
     {"command": "clear neighbor", "args": {"neighbor": "192.0.2.99",
                                            "soft": False}},
     b'{"error":"unknown neighbor 192.0.2.99"}\n', 1,
     "bgpwatchctl: unknown neighbor 192.0.2.99\n", ""),
    ("down", ["neighbor", "192.0.2.1", "down", "maintenance \u2014 14:00"],
     {"command": "neighbor down", "args": {
         "neighbor": "192.0.2.1", "text": "maintenance \u2014 14:00"}},
     END, 0, "", ""),
    ("down-no-text", ["neighbor", "192.0.2.1", "down"],
     {"command": "neighbor down", "args": {"neighbor": "192.0.2.1"}}, END,
     0, "", ""),
    ("up", ["neighbor", "192.0.2.1", "up"],
     {"command": "neighbor up", "args": {"neighbor": "192.0.2.1"}}, END, 0,
     "", ""),
    ("truncated", ["show", "rib"], {"command": "show rib", "args": {}},
     "rib.jsonl:-1", 1, "bgpwatchctl: answer truncated: the connection "
     "closed before its end\n", None),
    ("truncated-json", ["-j", "show", "rib"],
     {"command": "show rib", "args": {}}, "rib.jsonl:-1", 1,
     "bgpwatchctl: answer truncated: the connection closed before its "
     "end\n", None),
    ("empty-answer", ["show", "summary"],
     {"command": "show summary", "args": {}}, b"", 1,
     "bgpwatchctl: answer truncated: the connection closed before its "
     "end\n", None),
    ("bad-line", ["show", "summary"],
     {"command": "show summary", "args": {}}, b"{\"neighbors\":[\n", 1,
     "bgpwatchctl: bad answer line: offset 14: unexpected end of input\n",
     None),
    ("error-table", ["show", "rib", "neighbor", "192.0.2.99"],
     {"command": "show rib", "args": {"neighbor": "192.0.2.99"}},
     b'{"error":"unknown neighbor 192.0.2.99"}\n', 1,
     "bgpwatchctl: unknown neighbor 192.0.2.99\n", ""),
    ("error-json", ["-j", "show", "rib", "neighbor", "192.0.2.99"],
     {"command": "show rib", "args": {"neighbor": "192.0.2.99"}},
     b'{"error":"unknown neighbor 192.0.2.99"}\n', 1,
     "bgpwatchctl: unknown neighbor 192.0.2.99\n", ""),
]

# Command lines that must be refused before connecting (exit status 2).
USAGE = [
    ["show"],
    ["show", "routes"],
    ["show", "summary", "extra"],
    ["show", "neighbor", "192.0.2.1", "extra"],
    ["show", "rib", "10.0.0.0/8", "10.1.0.0/16"],
    ["show", "rib", "or-longer"],
    ["show", "rib", "neighbor"],
    ["show", "rib", "origin-as", "AS65001"],
    ["show", "rib", "transit-as", "4294967296"],
    ["reload", "now"],
    ["clear", "neighbor"],
    ["clear", "neighbor", "192.0.2.1", "hard"],
    ["clear", "session", "192.0.2.1"],
    ["neighbor", "192.0.2.1"],
    ["neighbor", "192.0.2.1", "sideways"],
    ["neighbor", "192.0.2.1", "up", "text"],
    ["neighbor", "192.0.2.1", "down", "a", "b"],
]


class StandIn:
    """Accept connections; record each request line, send the answer."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)
        self.answer = b""
        self.requests = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            conn, _ = self.sock.accept()
            buf = b""
            while not buf.endswith(b"\n"):
                d = conn.recv(65536)
                if not d:
                    break
                buf += d
            self.requests.append(buf)
            conn.sendall(self.answer)
            conn.close()


def answer_bytes(data_dir, spec):
    if isinstance(spec, bytes):
        return spec
    name, _, cut = spec.partition(":")
    with open(os.path.join(data_dir, name), "rb") as f:
        lines = f.read().splitlines(keepends=True)
    if cut:
        lines = lines[:int(cut)]
    return b"".join(lines)


def data_lines(answer):
    return b"".join(x for x in answer.splitlines(keepends=True)
                    if not x.startswith((b'{"end"', b'{"error"')))


def run_case(ctl, sock, stand, src, update, case):
    name, args, req, spec, status, stderr, golden = case
    data_dir = os.path.join(src, "tests", "data", "control")
    stand.answer = answer_bytes(data_dir, spec)
    stand.requests.clear()
    p = subprocess.run([ctl, "-s", sock] + args, capture_output=True,
                       timeout=30)
    out, err = p.stdout, p.stderr.decode()
    problems = []
    if len(stand.requests) != 1:
        problems.append(f"{len(stand.requests)} requests")
    else:
        line = stand.requests[0]
        if not line.endswith(b"\n") or line.count(b"\n") != 1:
            problems.append(f"request not one line: {line!r}")
        elif json.loads(line) != req:
            problems.append(f"request {line!r}, want {json.dumps(req)}")
    if p.returncode != status:
        problems.append(f"exit status {p.returncode}, want {status}")
    if err != stderr:
        problems.append(f"stderr {err!r}, want {stderr!r}")
    if golden == "txt":
        gp = os.path.join(src, "tests", "golden", "control", name + ".txt")
        if update:
            with open(gp, "wb") as f:
                f.write(out)
        with open(gp, "rb") as f:
            want = f.read()
        if out != want:
            problems.append(f"stdout differs from {gp}:\n" +
                            out.decode(errors="replace"))
    elif golden == "data":
        if out != data_lines(stand.answer):
            problems.append(f"-j output differs: {out[:300]!r}")
    elif golden == "" and out != b"":
        problems.append(f"unexpected stdout {out[:200]!r}")
    return problems


def run_usage(ctl, sock, stand, args):
    stand.requests.clear()
    p = subprocess.run([ctl, "-s", sock] + args, capture_output=True,
                       timeout=30)
    problems = []
    if p.returncode != 2:
        problems.append(f"exit status {p.returncode}, want 2")
    if not p.stderr.startswith(b"usage:") and b"usage:" not in p.stderr:
        problems.append(f"no usage message: {p.stderr!r}")
    if stand.requests:
        problems.append("connected anyway")
    return problems


def main():
    argv = sys.argv[1:]
    update = argv[:1] == ["--update"]
    if update:
        argv = argv[1:]
    ctl, src = argv
    tmp = tempfile.mkdtemp(prefix="bgpwatch-golden-")
    sock = os.path.join(tmp, "stand-in.sock")
    stand = StandIn(sock)
    total = len(CASES) + len(USAGE)
    print(f"1..{total}")
    failed = 0
    n = 0
    for case in CASES:
        n += 1
        problems = run_case(ctl, sock, stand, src, update, case)
        failed += bool(problems)
        print(f"{'not ok' if problems else 'ok'} {n} - {case[0]}")
        for pr in problems:
            for line in pr.splitlines():
                print(f"# {line}")
    for args in USAGE:
        n += 1
        problems = run_usage(ctl, sock, stand, args)
        failed += bool(problems)
        print(f"{'not ok' if problems else 'ok'} {n} - usage: "
              f"{' '.join(args)}")
        for pr in problems:
            print(f"# {pr}")
    os.unlink(sock)
    os.rmdir(tmp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
