#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# ExaBGP API process for the interop tests. ExaBGP starts it (`process`
# with `encoder json`), writes its JSON events to our stdin and reads API
# commands from our stdout. We write to the state directory DIR:
#   exa.state    "up" or "down", the last neighbor state seen
#   exa.refresh  the number of ROUTE-REFRESH messages received
#   exa.eor      families whose End-of-RIB arrived
# and pass on to ExaBGP the commands of every file DIR/cmd/*.cmd (written
# elsewhere and renamed into place), in name order, deleting each; the
# optional FILE is sent first. We exit when ExaBGP closes our stdin.
#
# usage: exabgp_api.py DIR [FILE]

import json
import os
import queue
import select
import sys
import threading


def writer(q):
    """Commands to ExaBGP, in a thread: a full pipe must not stop reading."""
    out = sys.stdout
    while True:
        text = q.get()
        try:
            out.write(text if text.endswith("\n") else text + "\n")
            out.flush()
        except (BrokenPipeError, OSError):
            return


def save(d, name, value):
    tmp = os.path.join(d, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(f"{value}\n")
    os.replace(tmp, os.path.join(d, name))


class Events:
    def __init__(self, d):
        self.dir = d
        self.state = "down"
        self.refresh = 0
        self.eor = set()
        self.flush()

    def flush(self):
        save(self.dir, "exa.state", self.state)
        save(self.dir, "exa.refresh", self.refresh)
        save(self.dir, "exa.eor", " ".join(sorted(self.eor)))

    def handle(self, line):
        try:
            msg = json.loads(line)
        except ValueError:
            # 4.2.21 writes ROUTE-REFRESH events as invalid JSON
            # ("afi": ""ipv4""): recognise those by their type alone.
            if '"type": "refresh"' in line:
                self.refresh += 1
                self.flush()
            return
        t = msg.get("type")
        nb = msg.get("neighbor", {})
        if t == "state":
            self.state = nb.get("state", self.state)
        elif t == "refresh":
            self.refresh += 1
        elif t == "update":
            eor = nb.get("message", {}).get("eor")
            if eor:
                self.eor.add(f"{eor.get('afi')} {eor.get('safi')}")
        self.flush()


def spool(cmd_dir, q):
    """Queue the commands of the finished files in cmd_dir."""
    try:
        names = sorted(n for n in os.listdir(cmd_dir) if n.endswith(".cmd"))
    except FileNotFoundError:
        return
    for n in names:
        p = os.path.join(cmd_dir, n)
        with open(p) as f:
            for line in f:
                if line.strip():
                    q.put(line)
        os.unlink(p)


def main():
    d = sys.argv[1]
    cmd_dir = os.path.join(d, "cmd")
    os.makedirs(cmd_dir, exist_ok=True)
    q = queue.Queue()
    threading.Thread(target=writer, args=(q,), daemon=True).start()
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            for line in f:
                if line.strip():
                    q.put(line)
    ev = Events(d)
    fd = sys.stdin.fileno()
    buf = b""
    while True:
        spool(cmd_dir, q)
        r, _, _ = select.select([fd], [], [], 0.1)
        if not r:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            if line.strip():
                ev.handle(line.decode("utf-8", "replace"))
    ev.state = "down"
    ev.flush()


if __name__ == "__main__":
    main()
