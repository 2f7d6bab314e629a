# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# `dump updates` on a full disk (TAP for meson): the dump directory is a
# 64 KiB tmpfs this test mounts, and a bgpfeed peer sends about a
# megabyte of UPDATEs. The write that fails is logged with its errno
# text and the loss; the file keeps only whole records (bgpdump -m reads
# it with no complaint); the session and the RIB do not notice (all
# routes stored, the peer still Established); and after SIGTERM no
# temporary file is left. Needs root and a working mount(8); otherwise
# the test says so and is skipped. Only what it started is signalled,
# by PID, and the tmpfs is unmounted at the end.
#
# usage: test_dumpfull.py bgpwatchd bgpwatchctl bgpfeed

import json
import os
import subprocess
import sys
import time

import dumplib

DAEMON, CTL, FEED = sys.argv[1:4]
PORT = 11953
D, A = "127.53.0.1", "127.53.0.2"
N4, N6 = 8000, 1000

if os.geteuid() != 0:
    print("1..0 # SKIP needs root to mount a small tmpfs", flush=True)
    sys.exit(0)

R = dumplib.Run(CTL, "bgpwatch-dumpfull-")
DUMP = os.path.join(R.tmp, "full")
os.mkdir(DUMP)
MNT = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k",
                      "bgpwatch-test", DUMP], capture_output=True, text=True)
if MNT.returncode != 0:
    print("1..0 # SKIP cannot mount a tmpfs: " + MNT.stderr.strip(),
          flush=True)
    os.rmdir(DUMP)
    os.rmdir(R.tmp)
    sys.exit(0)


def summary():
    rc, out, _ = R.ctl("-j", "show", "summary")
    if rc != 0:
        return None
    for n in json.loads(out.splitlines()[0]).get("neighbors", []):
        if n["address"] == A:
            return n
    return None


def stored():
    for _ in range(600):
        n = summary()
        if n and n.get("prefixes", {}).get("ipv4") == N4 and \
                n["prefixes"].get("ipv6") == N6:
            return n
        time.sleep(0.1)
    return summary()


def log():
    with open(os.path.join(R.tmp, "d.log")) as f:
        return f.read()


def main():
    conf = os.path.join(R.tmp, "bgpwatch.conf")
    with open(conf, "w") as f:
        f.write(f"""local-as 65000
router-id {D}
listen on {D} port {PORT}
control "{R.sock}"
dump updates "{DUMP}/upd-%Y%m%d-%H%M.mrt" 300
neighbor {A} {{ remote-as 65001 }}
""")
    daemon = R.start([DAEMON, "-d", "-f", conf], "d.log")
    for _ in range(100):
        if os.path.exists(R.sock):
            break
        time.sleep(0.05)
    R.start([FEED, "--local-as", "65001", "--local-addr", A, "--synthetic",
             f"{N4},{N6}", "--seed", "3", f"{D}:{PORT}"], "a.log")
    n = stored()
    R.ok(n is not None and n.get("state") == "Established" and
         n["prefixes"].get("ipv4") == N4 and n["prefixes"].get("ipv6") == N6,
         f"all {N4 + N6} routes stored, the session up: {n}")
    for _ in range(100):
        if "dump updates" in log() and "write: " in log():
            break
        time.sleep(0.1)
    text = log()
    R.ok("No space left on device" in text and
         "the rest of this file is lost" in text,
         "the failed write is logged with its reason")
    daemon.send_signal(15)
    daemon.wait(timeout=30)
    text = log()
    R.ok("incomplete," in text and "octets of records were not written"
         in text, "the loss is told when the file is closed")
    names = os.listdir(DUMP)
    R.ok(len(names) == 1 and not names[0].endswith(".tmp"),
         f"one file, renamed: {names}")
    if len(names) == 1:
        path = os.path.join(DUMP, names[0])
        size = os.path.getsize(path)
        rc, warn, lines = dumplib.bgpdump(path)
        # Everything that reached the disk stays, cut at the last record
        # boundary: the state changes up to Established, then UPDATEs
        # until the 64 KiB were full (less the inode's and the
        # directory's share), whatever the batches were.
        upd = sum(1 for x in lines if "|A|" in x or "|W|" in x)
        R.ok(rc == 0 and warn == [] and
             any(f"|STATE|{A}|65001|5|6" in x for x in lines) and
             upd > 0,
             f"whole records only: bgpdump -m reads it cleanly "
             f"(status {rc}, {warn}, {len(lines)} lines, {upd} routes)")
        R.ok(size >= 32768,
             f"what reached the disk before it filled is kept: {size} "
             f"octets")
        m = subprocess.run([CTL, "mrt", path], capture_output=True,
                           text=True, timeout=60)
        R.ok(m.returncode == 0 and m.stderr == "",
             "bgpwatchctl mrt reads it with no warning")


try:
    main()
finally:
    status = R.finish("d.log")
    if os.path.ismount(DUMP):
        subprocess.run(["umount", DUMP])
    if os.path.isdir(DUMP) and not os.path.ismount(DUMP):
        try:
            os.rmdir(DUMP)
        except OSError:
            pass
sys.exit(status)
