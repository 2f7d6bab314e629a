# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Shared helpers for the external-vector harnesses (python3, stdlib only):
# building BGP messages around the bytes a vector gives (RFC 4271 §4.1,
# §4.3), running `bgpwatchctl decode` on them and reading its JSON lines.
#
# Public: unhex(), header(), wrap_body(), attr(), update(), as_path_attr(),
#         crashed(), Decoder, Report.

import json
import subprocess
import sys

MARKER = b"\xff" * 16
MSG_UPDATE = 2

# RFC 4271 §4.3 attribute flags
F_OPTIONAL = 0x80
F_TRANSITIVE = 0x40
F_EXTLEN = 0x10


def unhex(text):
    """Bytes of a hex string that may contain whitespace."""
    return bytes.fromhex("".join(text.split()))


def header(body_len, msg_type):
    """The 19-octet header for a body of body_len octets (RFC 4271 §4.1)."""
    return MARKER + (19 + body_len).to_bytes(2, "big") + bytes([msg_type])


def wrap_body(body, msg_type=MSG_UPDATE):
    """A whole message around a body that starts after the header."""
    return header(len(body), msg_type) + body


def attr(flags, code, value):
    """One path attribute; the extended-length bit is set when needed."""
    if len(value) > 255 or flags & F_EXTLEN:
        return (bytes([flags | F_EXTLEN, code]) +
                len(value).to_bytes(2, "big") + value)
    return bytes([flags, code, len(value)]) + value


def as_path_attr(asns, as4=True):
    """AS_PATH with one AS_SEQUENCE of asns (empty list: empty path)."""
    if not asns:
        return attr(F_TRANSITIVE, 2, b"")
    width = 4 if as4 else 2
    seg = bytes([2, len(asns)]) + b"".join(
        a.to_bytes(width, "big") for a in asns)
    return attr(F_TRANSITIVE, 2, seg)


def update(attrs=b"", nlri=b"", withdrawn=b""):
    """A whole UPDATE message from already-encoded fields (RFC 4271 §4.3)."""
    body = (len(withdrawn).to_bytes(2, "big") + withdrawn +
            len(attrs).to_bytes(2, "big") + attrs + nlri)
    return wrap_body(body)


def crashed(rc, err):
    """
    True when the decoder died rather than answered: killed by a signal
    (meson's sanitizer options abort on error), an exit status other than
    0 (all ok) or 1 (some verdict not ok), or a sanitizer report.
    """
    return (rc not in (0, 1) or "Sanitizer" in err or
            "runtime error:" in err)


class Decoder:
    """Runs `bgpwatchctl decode` and parses its JSON lines."""

    def __init__(self, ctl):
        self.ctl = ctl

    def run(self, data, as2=False, addpath=(), binary=False, label=None,
            ext_msg=False):
        """
        Decode data (bytes). Returned: (exit status, list of parsed JSON
        objects, list of raw lines that did not parse, stderr text).
        Hex mode feeds the bytes as commented, colon-separated hex so the
        input parser is exercised as well.
        """
        args = [self.ctl, "decode"]
        if as2:
            args.append("--as2")
        if ext_msg:
            args.append("--ext-msg")
        if addpath:
            args += ["--add-path", ",".join(addpath)]
        if binary:
            args.append("--binary")
            stdin = data
        else:
            text = "# %s\n" % (label or "vector")
            text += ":".join("%02x" % b for b in data) + "\n"
            stdin = text.encode()
        args.append("-")
        p = subprocess.run(args, input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        objs, bad = [], []
        for line in p.stdout.decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            try:
                objs.append(json.loads(line))
            except ValueError:
                bad.append(line)
        return p.returncode, objs, bad, p.stderr.decode("utf-8", "replace")


class Report:
    """Collects per-case outcomes and prints the failures."""

    def __init__(self, title):
        self.title = title
        self.failures = []

    def fail(self, name, why):
        self.failures.append((name, why))

    def dump(self, out=sys.stdout):
        for name, why in self.failures:
            print("FAIL %s: %s" % (name, why), file=out)
