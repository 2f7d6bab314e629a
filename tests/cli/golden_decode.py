#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Golden tests of `bgpwatchctl decode`: each case decodes one input with
# given options and compares stdout with tests/golden/decode/NAME.jsonl
# (NAME.txt for --explain). The exit status must be 0 exactly when every
# JSON line has verdict "ok" and no "error". TAP output for meson.
#
# usage: golden_decode.py [--update] PATH/TO/bgpwatchctl SOURCE_ROOT
# --update rewrites the golden files from the current output, for review
# with `git diff` (tests/golden/update.sh does this).

import difflib
import json
import os
import subprocess
import sys

# (name, input relative to the source root, options)
CASES = [
    ("nk2015", "contrib/examples/update-nk2015.hex", []),
    ("nk2015-explain", "contrib/examples/update-nk2015.hex", ["--explain"]),
    ("open-hostname", "tests/data/decode/open-hostname.hex", []),
    ("open-hostname-explain", "tests/data/decode/open-hostname.hex",
     ["--explain"]),
    ("open-software-version", "tests/data/decode/open-software-version.hex",
     []),
    ("notification", "tests/data/decode/notification.hex", []),
    ("rrefresh-eorr", "tests/data/decode/rrefresh-eorr.hex", []),
    ("update-as2", "tests/data/decode/update-as2.hex", ["--as2"]),
    ("update-as2-explain", "tests/data/decode/update-as2.hex",
     ["--as2", "--explain"]),
    ("update-as2-read-as4", "tests/data/decode/update-as2.hex", []),
    ("update-addpath-ipv4", "tests/data/decode/update-addpath-ipv4.hex",
     ["--add-path", "ipv4"]),
    ("update-addpath-extcomm", "tests/data/decode/update-addpath-extcomm.hex",
     ["--add-path", "ipv4"]),
    ("stream-truncated", "tests/data/decode/stream-truncated.hex", []),
]


def golden_path(src, name, opts):
    ext = ".txt" if "--explain" in opts else ".jsonl"
    return os.path.join(src, "tests", "golden", "decode", name + ext)


def verdicts_ok(out, explain):
    for line in out.decode("utf-8").split("\n"):
        if explain and not line.startswith("{"):
            continue
        if line == "":
            continue
        o = json.loads(line)
        if "error" in o or o.get("verdict", {}).get("action") != "ok":
            return False
    return True


def main():
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    if update:
        args = args[1:]
    ctl, src = args
    print(f"1..{len(CASES)}")
    failed = 0
    for i, (name, inp, opts) in enumerate(CASES, 1):
        p = subprocess.run([ctl, "decode"] + opts + [os.path.join(src, inp)],
                           capture_output=True, timeout=60)
        gp = golden_path(src, name, opts)
        problems = []
        if p.returncode != (0 if verdicts_ok(p.stdout, "--explain" in opts)
                            else 1):
            problems.append(f"exit status {p.returncode} does not match "
                            "the verdicts")
        if p.stderr:
            problems.append("stderr: " + p.stderr.decode(errors="replace"))
        if update:
            with open(gp, "wb") as f:
                f.write(p.stdout)
        else:
            try:
                want = open(gp, "rb").read()
            except OSError as e:
                want = b""
                problems.append(f"{e}")
            if want != p.stdout:
                diff = difflib.unified_diff(
                    want.decode(errors="replace").splitlines(),
                    p.stdout.decode(errors="replace").splitlines(),
                    gp, "bgpwatchctl output", lineterm="")
                problems.append("\n".join(list(diff)[:60]))
        if problems:
            failed += 1
            print(f"not ok {i} - {name}")
            for line in "\n".join(problems).splitlines():
                print(f"# {line}")
        else:
            print(f"ok {i} - {name}{' (updated)' if update else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
