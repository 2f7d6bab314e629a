# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Real BGP implementations as ACTIVE peers that announce a routes file:
# BIRD 2, FRR bgpd (without zebra), GoBGP, OpenBGPD and ExaBGP. Each class
# writes its daemon's configuration into a private directory, starts it
# (lab.Proc), and knows how to withdraw routes, stop the session with a
# NOTIFICATION, count the ROUTE-REFRESH messages it received, and what a
# receiver sees of a route: the next hop and MED quirks of README.md.
# Loopback (127/8) sessions use eBGP multihop; nothing touches a FIB.
#
# Public: PEERS (name -> class), Peer (the interface), BirdPeer,
#         FrrPeer, GobgpPeer, OpenbgpdPeer, ExabgpPeer, run().

import ipaddress
import json
import os
import re
import shutil
import subprocess
import time

import lab
import routes as rt

HERE = os.path.dirname(os.path.abspath(__file__))
CMD_TIMEOUT = 30  # seconds for one CLI command


def run(argv, timeout=CMD_TIMEOUT, check=True, netns=None):
    """Run a CLI command; returns stdout, or raises lab.Fail with stderr."""
    argv = lab.in_netns(netns, argv)
    try:
        r = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise lab.Fail(f"{' '.join(argv)}: no answer in {timeout} s")
    if check and r.returncode != 0:
        raise lab.Fail(f"{' '.join(argv)}: exit {r.returncode}: "
                       f"{(r.stderr or r.stdout).strip()[-500:]}")
    return r.stdout


def _loopback(ip):
    return ipaddress.ip_address(ip).is_loopback


class Peer:
    """
    The interface every implementation offers. work: a directory of its
    own; local_ip: the session's source (and, for BIRD and OpenBGPD,
    listening) address; peer_ip:port: bgpwatchd; routes: [routes.Route].
    Options: local_as, peer_as, hold, md5 (key), addpath (send), gr
    (announce graceful restart with restart time gr_time), extmsg
    (extended messages), nh6 (IPv6 next hop, where the implementation lets
    us choose one), netns, multihop (eBGP multihop; default: on loopback,
    where the peers are not directly connected), debug (log the messages;
    off for full tables).
    """

    NAME = "?"
    PROGRAMS = ()  # executables that must be installed
    # What the implementation does not do: feature -> reason (exit 77).
    LACKS = {}
    MULTIPATH = False  # sends more than one path per prefix with ADD-PATH
    # Closes without NOTIFICATION when graceful restart was negotiated.
    GR_SILENT_CLOSE = False
    RECONNECTS = False  # comes back at once after shutdown()
    # How a ROUTE-REFRESH goes wrong, as (kind, why), kind "ignored" (no
    # routes resent) or "reset" (the session is reset); None: it works.
    REFRESH_QUIRK = None

    def __init__(self, work, local_ip, peer_ip, port, routes, *,
                 local_as=4200000001, peer_as=65000, hold=90, md5=None,
                 addpath=False, gr=True, gr_time=120, extmsg=False,
                 nh6=None, netns=None, multihop=None, debug=True):
        self.work = work
        os.makedirs(work, exist_ok=True)
        os.chmod(work, 0o755)
        self.local_ip, self.peer_ip, self.port = local_ip, peer_ip, port
        self.routes = list(routes)
        self.local_as, self.peer_as, self.hold = local_as, peer_as, hold
        self.md5, self.addpath, self.gr = md5, addpath, gr
        self.gr_time, self.extmsg = gr_time, extmsg
        self.netns, self.debug = netns, debug
        self.multihop = _loopback(peer_ip) if multihop is None else multihop
        self.start_timeout = 20  # seconds until its control socket answers
        self.nh6 = nh6 or "2001:db8:ffff::1"
        self.proc = None

    @classmethod
    def missing(cls):
        """The first required program that is not installed, or None."""
        for p in cls.PROGRAMS:
            if not (shutil.which(p) or os.access(p, os.X_OK)):
                return p
        return None

    # ---- what a receiver sees (README.md, "quirks")
    def expected_next_hop(self, r):
        return self.local_ip if r.af == 4 else self.nh6

    def expected_med(self, r):
        return r.med

    def expected(self, r):
        """The route as bgpwatchd must store it (see interop.normalise)."""
        comm = sorted("%d:%d" % c for c in r.comm)
        lcomm = sorted("%d:%d:%d" % c for c in r.lcomm)
        return (str(r.prefix), tuple([self.local_as] + r.path), r.origin,
                self.expected_next_hop(r), self.expected_med(r),
                tuple(comm), tuple(lcomm))

    # ---- life cycle
    def start(self):
        raise NotImplementedError

    def restart(self, routes=None):
        """Start again after kill9() (or stop), announcing routes."""
        if routes is not None:
            self.routes = list(routes)
        self.start()

    def kill9(self):
        self.proc.kill9()

    def close(self):
        if self.proc:
            self.proc.stop()

    def alive(self):
        return self.proc is not None and self.proc.alive()

    def log_tail(self, n=25):
        return self.proc.tail(n) if self.proc else []

    # ---- operations
    def withdraw(self, gone):
        """Withdraw the routes gone (a subset of self.routes) at run time."""
        raise NotImplementedError

    def announce(self, new):
        """
        Announce the routes new at run time. A prefix announced before
        gets the new path in its place: one UPDATE, the old path
        implicitly withdrawn (RFC 4271 §3.1). Without ADD-PATH only.
        """
        raise NotImplementedError

    def _merge(self, new):
        """self.routes with the routes of new in place of their prefix."""
        by = {r.prefix: r for r in new}
        self.routes = [by.pop(r.prefix, r) for r in self.routes] + \
            list(by.values())

    def shutdown(self, text):
        """
        End the session with Cease / Administrative Shutdown (6/2) carrying
        text (RFC 9003) where the implementation can. Returns the
        (code, subcode, text or None) bgpwatchd must record.
        """
        raise NotImplementedError

    def refreshes_received(self):
        """ROUTE-REFRESH messages received so far (RFC 2918)."""
        raise NotImplementedError


# ---------------------------------------------------------------- BIRD 2


class BirdPeer(Peer):
    """
    BIRD 2.0.12: routes in static protocols with attribute filters; MED is
    only sent on eBGP when the export filter sets it. With `multihop`
    (needed over loopback) it sends only the global IPv6 next hop, on a
    direct session the global and its link-local one (32 octets).
    """

    NAME = "bird"
    PROGRAMS = ("bird", "birdc")
    MULTIPATH = True

    def _write_conf(self):
        with open(os.path.join(self.work, "routes.conf"), "w") as f:
            f.write(rt.bird_config(self.routes))
        ch = ("import none; export filter { if defined(bgp_med) then "
              "bgp_med = bgp_med; accept; };")
        ch4, ch6 = ch, ch + f" next hop address {self.nh6};"
        if self.addpath:
            ch4 += " add paths tx;"
            ch6 += " add paths tx;"
        opts = []
        if self.multihop:
            opts.append("multihop 2;")
        if self.md5:
            opts.append(f'password "{self.md5}";')
        if self.gr:
            opts.append(f"graceful restart on; graceful restart time "
                        f"{self.gr_time};")
        else:
            opts.append("graceful restart off;")
        if self.extmsg:
            opts.append("enable extended messages;")
        if self.debug:
            opts.append("debug { states, events, packets };")
        conf = f"""router id {self.local_ip if ':' not in self.local_ip
                             else '192.0.2.1'};
log "{self.work}/bird.log" all;
protocol device {{ }}
include "{self.work}/routes.conf";
protocol bgp lab {{
  local {self.local_ip} as {self.local_as};
  neighbor {self.peer_ip} port {self.port} as {self.peer_as};
  strict bind yes;
  hold time {self.hold};
  connect delay time 1;
  connect retry time 3;
  {' '.join(opts)}
  ipv4 {{ {ch4} }};
  ipv6 {{ {ch6} }};
}}
"""
        with open(os.path.join(self.work, "bird.conf"), "w") as f:
            f.write(conf)

    def birdc(self, *args, timeout=CMD_TIMEOUT):
        return run(["birdc", "-s", os.path.join(self.work, "bird.ctl")] +
                   list(args), timeout=timeout, netns=self.netns)

    def start(self):
        self._write_conf()
        self.proc = lab.Proc(
            "bird", ["bird", "-f", "-c", os.path.join(self.work, "bird.conf"),
                     "-s", os.path.join(self.work, "bird.ctl")],
            os.path.join(self.work, "stdout.log"), netns=self.netns)
        lab.wait_until("bird control socket", self._up, self.start_timeout)

    def _up(self):
        if not self.proc.alive():
            raise lab.Abort("bird exited: " + "".join(self.proc.tail(5)))
        try:
            return "BIRD" in self.birdc("show", "status", timeout=5)
        except lab.Fail:
            return False

    def loaded(self, n):
        """True when BIRD holds all n routes in its tables."""
        out = self.birdc("show", "route", "count", timeout=60)
        # one line per table, then "Total: X of Y routes ..." for all
        m = re.search(r"Total: (\d+) of (\d+) routes", out)
        return bool(m) and int(m.group(2)) >= n

    def withdraw(self, gone):
        drop = {id(r) for r in gone}
        self.routes = [r for r in self.routes if id(r) not in drop]
        self._reconfigure()

    def announce(self, new):
        self._merge(new)
        self._reconfigure()

    def _reconfigure(self):
        """The static routes rewritten; BIRD sends what changed."""
        self._write_conf()
        out = self.birdc("configure")
        if "Reconfigured" not in out and "Reconfiguration" not in out:
            raise lab.Fail(f"birdc configure: {out.strip()}")

    def shutdown(self, text):
        self.birdc("disable", "lab", f'"{text}"')
        return (6, 2, text)

    def refreshes_received(self):
        with open(os.path.join(self.work, "bird.log"), errors="replace") as f:
            return sum(1 for ln in f if "Got ROUTE-REFRESH" in ln)


# ---------------------------------------------------------------- FRR


class FrrPeer(Peer):
    """
    FRR 8.4 bgpd with -Z (no zebra) and -p 0 (no listener): routes are
    `network` statements with a route-map per attribute set. Without zebra
    it knows no IPv6 address of its own, so over an IPv4 session IPv6
    routes carry the IPv4-mapped next hop ::ffff:<local>; MED 0 is sent
    when none is set. One path per prefix.
    """

    NAME = "frr"
    BGPD = "/usr/lib/frr/bgpd"
    PROGRAMS = (BGPD, "vtysh")
    LACKS = {
        "linklocal": "FRR without zebra knows no address of its interface: "
                     "over an IPv4 session it sends an IPv4-mapped IPv6 next "
                     "hop, never a link-local one",
    }

    def expected_next_hop(self, r):
        return self.local_ip if r.af == 4 else f"::ffff:{self.local_ip}"

    def expected_med(self, r):
        return 0 if r.med is None else r.med

    def _write_conf(self):
        maps, nets = rt.frr_config(self.routes)
        n = f"neighbor {self.peer_ip}"
        c = ["frr defaults traditional", "hostname interop-frr",
             "log file " + os.path.join(self.work, "bgpd.log") +
             (" debugging" if self.debug else " informational"), "!"]
        if self.debug:
            c += ["debug bgp neighbor-events", "debug bgp updates in",
                  "!"]
        c += [f"router bgp {self.local_as}",
              f" bgp router-id {self.local_ip}",
              " no bgp ebgp-requires-policy",
              " no bgp network import-check"]
        if self.gr:
            c += [" bgp graceful-restart",
                  " bgp graceful-restart preserve-fw-state",
                  f" bgp graceful-restart restart-time {self.gr_time}"]
        c += [f" {n} remote-as {self.peer_as}", f" {n} port {self.port}",
              f" {n} update-source {self.local_ip}",
              f" {n} timers {max(self.hold // 3, 1)} {self.hold}",
              f" {n} timers connect 3"]
        if self.multihop:
            c.append(f" {n} disable-connected-check")
        if self.md5:
            c.append(f" {n} password {self.md5}")
        for af in (4, 6):
            c += [f" address-family ipv{af} unicast", f"  {n} activate"]
            if self.addpath:
                c.append(f"  {n} addpath-tx-all-paths")
            c += ["  " + x for x in nets[af]]
            c.append(" exit-address-family")
        c.append("exit")
        # Route-maps first, so that the networks have their attributes
        # from the start: defined later, they are applied by the route-map
        # timer, after FRR sent its End-of-RIB on a new session. (For big
        # tables the other order is faster; the tests use small ones.)
        with open(os.path.join(self.work, "bgpd.conf"), "w") as f:
            f.write(maps + "\n".join(c) + "\n")

    def vtysh(self, *cmds):
        argv = ["vtysh", "--vty_socket", self.work, "-d", "bgpd"]
        for c in cmds:
            argv += ["-c", c]
        return run(argv, netns=self.netns)

    def start(self):
        self._write_conf()
        self.proc = lab.Proc(
            "frr-bgpd",
            [self.BGPD, "-S", "-Z", "-n", "-P", "0", "-p", "0",
             "-f", os.path.join(self.work, "bgpd.conf"),
             "-i", os.path.join(self.work, "bgpd.pid"),
             "--vty_socket", self.work],
            os.path.join(self.work, "stdout.log"), netns=self.netns)
        lab.wait_until("FRR vty socket", self._up, 20)

    def _up(self):
        if not self.proc.alive():
            raise lab.Abort("bgpd exited: " + "".join(self.proc.tail(5)))
        try:
            self.vtysh("show bgp summary")
            return True
        except lab.Fail:
            return False

    def neighbor_json(self):
        d = json.loads(self.vtysh(f"show bgp neighbors {self.peer_ip} json"))
        return d.get(self.peer_ip, {})

    def withdraw(self, gone):
        names = {}
        for r in self.routes:  # the route-map each network was given
            names.setdefault(r.attr_key(), f"LAB{len(names)}")
        cmds = ["configure terminal", f"router bgp {self.local_as}"]
        for r in gone:
            cmds += [f"address-family ipv{r.af} unicast",
                     f"no network {r.prefix} route-map "
                     f"{names[r.attr_key()]}",
                     "exit-address-family"]
        self.vtysh(*cmds)
        drop = {id(r) for r in gone}
        self.routes = [r for r in self.routes if id(r) not in drop]

    def shutdown(self, text):
        self.vtysh("configure terminal", f"router bgp {self.local_as}",
                   f"neighbor {self.peer_ip} shutdown message {text}")
        return (6, 2, text)

    def refreshes_received(self):
        st = self.neighbor_json().get("messageStats", {})
        return int(st.get("routeRefreshRecv", 0))


# ---------------------------------------------------------------- GoBGP


class GobgpPeer(Peer):
    """
    GoBGP 3.10 (gobgpd, no listener, API on a unix socket): routes added
    with `gobgp global rib add`; the IPv4 next hop is self, the IPv6 one
    what we give. ADD-PATH path identifiers are ours (`identifier`).
    """

    NAME = "gobgp"
    PROGRAMS = ("gobgpd", "gobgp")
    MULTIPATH = True
    LACKS = {
        "extmsg": "GoBGP 3.10 does not implement extended messages "
                  "(RFC 8654): it never announces the capability",
        "linklocal": "GoBGP sends the one IPv6 next hop it is given, "
                     "never a link-local one",
    }

    def _write_conf(self):
        afs = ""
        for af in ("ipv4-unicast", "ipv6-unicast"):
            afs += f"""
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "{af}"
"""
            if self.addpath:
                afs += """    [neighbors.afi-safis.add-paths.config]
      send-max = 8
"""
            if self.gr:
                afs += """    [neighbors.afi-safis.mp-graceful-restart.config]
      enabled = true
"""
        opt = ""
        if self.md5:
            opt += f'    auth-password = "{self.md5}"\n'
        extra = ""
        if self.gr:
            extra += f"""  [neighbors.graceful-restart.config]
    enabled = true
    restart-time = {self.gr_time}
"""
        if self.multihop:
            extra += """  [neighbors.ebgp-multihop.config]
    enabled = true
    multihop-ttl = 2
"""
        conf = f"""[global.config]
  as = {self.local_as}
  router-id = "{self.local_ip}"
  port = -1
[[neighbors]]
  [neighbors.config]
    neighbor-address = "{self.peer_ip}"
    peer-as = {self.peer_as}
{opt}  [neighbors.timers.config]
    hold-time = {self.hold}
    connect-retry = 3
  [neighbors.transport.config]
    remote-port = {self.port}
    local-address = "{self.local_ip}"
{extra}{afs}"""
        with open(os.path.join(self.work, "gobgpd.toml"), "w") as f:
            f.write(conf)

    def gobgp(self, *args):
        return run(["gobgp", "--target",
                    "unix://" + os.path.join(self.work, "gobgp.sock")] +
                   list(args), netns=self.netns)

    def start(self):
        self._write_conf()
        try:  # left behind by kill9()
            os.unlink(os.path.join(self.work, "gobgp.sock"))
        except FileNotFoundError:
            pass
        self.proc = lab.Proc(
            "gobgpd",
            ["gobgpd", "-f", os.path.join(self.work, "gobgpd.toml"), "-t",
             "toml", "-p", "--pprof-disable", "--api-hosts",
             "unix://" + os.path.join(self.work, "gobgp.sock")] +
            (["--log-level", "debug"] if self.debug else []),
            os.path.join(self.work, "stdout.log"), netns=self.netns)
        lab.wait_until("gobgpd API", self._up, 20)
        for r in self.routes:
            self.gobgp("global", "rib", "add",
                       *rt.gobgp_args(r, self.nh6, self.addpath))

    def _up(self):
        if not self.proc.alive():
            raise lab.Abort("gobgpd exited: " + "".join(self.proc.tail(5)))
        try:
            self.gobgp("global")
            return True
        except lab.Fail:
            return False

    def withdraw(self, gone):
        for r in gone:
            a = ["global", "rib", "del", "-a", f"ipv{r.af}", str(r.prefix)]
            if self.addpath:
                a += ["identifier", str(r.seq)]
            self.gobgp(*a)
        drop = {id(r) for r in gone}
        self.routes = [r for r in self.routes if id(r) not in drop]

    def announce(self, new):
        # A local path added again for its prefix replaces the old one.
        for r in new:
            self.gobgp("global", "rib", "add",
                       *rt.gobgp_args(r, self.nh6, self.addpath))
        self._merge(new)

    def shutdown(self, text):
        # `disable --reason` sends the Cease without the text (3.10); the
        # deprecated `shutdown --reason` carries it (RFC 9003).
        self.gobgp("neighbor", self.peer_ip, "shutdown", "--reason", text)
        return (6, 2, text)

    def refreshes_received(self):
        d = json.loads(self.gobgp("-j", "neighbor", self.peer_ip))
        msgs = d.get("state", {}).get("messages", {}).get("received", {})
        return int(msgs.get("refresh", 0) or 0)


# ---------------------------------------------------------------- OpenBGPD


class OpenbgpdPeer(Peer):
    """
    OpenBGPD 7.7 (portable): routes imported with their attributes from an
    MRT file (`bgpctl network mrt`); it prepends its AS on eBGP. Over an
    IPv4 session its IPv6 routes carry the next hop ::1, and it sends no
    MED on eBGP. One path per prefix.
    """

    NAME = "openbgpd"
    PROGRAMS = ("bgpd", "bgpctl")
    LACKS = {
        "extmsg": "OpenBGPD 7.7 does not implement extended messages "
                  "(RFC 8654): no such capability in bgpd.conf(5)",
        "linklocal": "OpenBGPD 7.7 sends ::1 as the IPv6 next hop over an "
                     "IPv4 session, never a link-local one",
        "gr": "OpenBGPD 7.7 announces graceful restart for End-of-RIB "
              "only, with no address families and restart time 0: there "
              "are no routes to retain (RFC 4724 §3)",
    }

    # Seen with bgpwatchd and with BIRD (`birdc reload in`) as requesters.
    REFRESH_QUIRK = ("ignored", "OpenBGPD 7.7 logs 'route refresh: AID ... "
                     "not negotiated' for a negotiated family and resends "
                     "nothing")

    def expected_next_hop(self, r):
        return self.local_ip if r.af == 4 else "::1"

    def expected_med(self, r):
        return None

    def _write_conf(self):
        sock = os.path.join(self.work, "bgpd.sock")
        opts = []
        if self.addpath:
            opts.append("announce add-path send all")
        if self.multihop:
            opts.append("multihop 2")
        if self.md5:
            opts.append(f'tcp md5sig password "{self.md5}"')
        conf = f"""AS {self.local_as}
router-id {self.local_ip}
socket "{sock}"
fib-update no
listen on {self.local_ip}
holdtime {self.hold}
connect-retry 3
neighbor {self.peer_ip} {{
  remote-as {self.peer_as}
  descr "bgpwatchd"
  port {self.port}
  local-address {self.local_ip}
  announce IPv4 unicast
  announce IPv6 unicast
  announce refresh yes
  announce restart {'yes' if self.gr else 'no'}
{''.join(f"  {o}{chr(10)}" for o in opts)}}}
allow to any
deny from any
"""
        with open(os.path.join(self.work, "bgpd.conf"), "w") as f:
            f.write(conf)
        with open(os.path.join(self.work, "routes.mrt"), "wb") as f:
            f.write(rt.mrt_table(self.routes, self.local_as))

    def bgpctl(self, *args):
        return run(["bgpctl", "-s", os.path.join(self.work, "bgpd.sock")] +
                   list(args), netns=self.netns)

    def start(self):
        # The session engine chroots to _openbgpd's home.
        os.makedirs("/run/openbgpd", exist_ok=True)
        self._write_conf()
        run(["bgpd", "-n", "-f", os.path.join(self.work, "bgpd.conf")])
        self.proc = lab.Proc(
            "openbgpd",
            ["bgpd", "-d"] + (["-v"] if self.debug else []) +
            ["-f", os.path.join(self.work, "bgpd.conf")],
            os.path.join(self.work, "stdout.log"), netns=self.netns)
        lab.wait_until("bgpctl socket", self._up, 20)
        self.bgpctl("network", "mrt", "file",
                    os.path.join(self.work, "routes.mrt"))

    def _up(self):
        if not self.proc.alive():
            raise lab.Abort("bgpd exited: " + "".join(self.proc.tail(5)))
        try:
            self.bgpctl("show", "summary")
            return True
        except lab.Fail:
            return False

    def withdraw(self, gone):
        for r in gone:
            self.bgpctl("network", "delete", str(r.prefix))
        drop = {id(r) for r in gone}
        self.routes = [r for r in self.routes if id(r) not in drop]

    def shutdown(self, text):
        self.bgpctl("neighbor", self.peer_ip, "down", text)
        return (6, 2, text)

    def refresh_quirk_logged(self):
        """OpenBGPD's log says why it ignored the ROUTE-REFRESH."""
        with open(self.proc.log, errors="replace") as f:
            return "route refresh: AID" in f.read()

    def refreshes_received(self):
        out = self.bgpctl("show", "neighbor", self.peer_ip)
        # "Message statistics:" table: "  Route Refresh   <sent> <rcvd>"
        m = re.search(r"^\s*Route Refresh\s+(\d+)\s+(\d+)", out, re.M)
        if not m:
            raise lab.Fail(f"no Route Refresh line in bgpctl output:\n{out}")
        return int(m.group(2))


# ---------------------------------------------------------------- ExaBGP


class ExabgpPeer(Peer):
    """
    ExaBGP 4.2: routes are in a `static` block, so that they precede its
    End-of-RIB on every session; our API process (exabgp_api.py) passes on
    withdrawals at run time and counts ROUTE-REFRESH messages. ExaBGP does
    not prepend its own AS, so the routes carry it; the next hops and
    ADD-PATH path identifiers (path-information) are ours. A static IPv6
    route of /32 or shorter on an IPv4 session fails ExaBGP's config check
    ("can only use ip ranges for the peer address with passive
    neighbors"); such routes go through the API instead.
    """

    NAME = "exabgp"
    PROGRAMS = ("exabgp",)
    LACKS = {
        "linklocal": "ExaBGP sends the next hop it is given: no link-local "
                     "one of its own",
    }
    MULTIPATH = True
    GR_SILENT_CLOSE = True
    RECONNECTS = True
    REFRESH_QUIRK = ("reset", "ExaBGP 4.2.21 fails on a ROUTE-REFRESH under "
                     "enhanced route refresh (TypeError: 'RouteRefresh' "
                     "object is not iterable, Exa-Networks/exabgp#1237) "
                     "and resets the session; it always announces enhanced "
                     "route refresh with route refresh")

    def _cmds(self, routes, verb):
        return rt.exabgp_commands(routes, verb, self.local_as, self.local_ip,
                                  self.nh6, self.addpath)

    def _write_conf(self):
        api_only = [r for r in self.routes
                    if r.af == 6 and r.prefix.prefixlen <= 32]
        static = [r for r in self.routes if r not in api_only]
        with open(os.path.join(self.work, "routes.api"), "w") as f:
            f.write("\n".join(self._cmds(api_only, "announce")) + "\n")
        routes = "".join(f"    {c[len('announce '):]};\n"
                         for c in self._cmds(static, "announce"))
        caps = ["route-refresh;"]
        if self.gr:
            caps.append(f"graceful-restart {self.gr_time};")
        if self.addpath:
            caps.append("add-path send;")
        caps.append("extended-message %s;" %
                    ("enable" if self.extmsg else "disable"))
        md5 = f'md5-password "{self.md5}";' if self.md5 else ""
        api = os.path.join(HERE, "exabgp_api.py")
        conf = f"""process interop-api {{
  run python3 {api} {self.work} {self.work}/routes.api;
  encoder json;
}}
neighbor {self.peer_ip} {{
  api {{
    processes [ interop-api ];
    neighbor-changes;
    receive {{ parsed; refresh; }}
  }}
  router-id {self.local_ip};
  local-address {self.local_ip};
  local-as {self.local_as};
  peer-as {self.peer_as};
  connect {self.port};
  hold-time {self.hold};
  {md5}
  capability {{ {' '.join(caps)} }}
  family {{ ipv4 unicast; ipv6 unicast; }}
  static {{
{routes}  }}
}}
"""
        with open(os.path.join(self.work, "exabgp.conf"), "w") as f:
            f.write(conf)

    def start(self):
        self._write_conf()
        for name in ("exa.state", "exa.refresh", "exa.eor"):
            try:
                os.unlink(os.path.join(self.work, name))
            except FileNotFoundError:
                pass
        env = {"exabgp.api.cli": "false", "exabgp.daemon.drop": "false",
               "exabgp.daemon.daemonize": "false",
               "exabgp.log.destination": "stdout", "exabgp.tcp.bind": "",
               "exabgp.api.ack": "false", "exabgp.api.respawn": "false",
               # DEBUG: also the traceback of an internal error
               "exabgp.log.level": "DEBUG" if self.debug else "INFO",
               "exabgp.log.packets": "true" if self.debug else "false",
               "exabgp.log.message": "true" if self.debug else "false"}
        self.proc = lab.Proc(
            "exabgp", ["exabgp", os.path.join(self.work, "exabgp.conf")],
            os.path.join(self.work, "stdout.log"), netns=self.netns, env=env)
        lab.wait_until("ExaBGP API process",
                       lambda: self._read("exa.state") is not None, 30)

    def _read(self, name):
        if not self.proc.alive():
            raise lab.Abort("exabgp exited: " + "".join(self.proc.tail(5)))
        try:
            with open(os.path.join(self.work, name)) as f:
                return f.read().strip()
        except FileNotFoundError:
            return None

    def command(self, lines):
        """Hand API commands to exabgp_api.py (picked up within 0.1 s)."""
        d = os.path.join(self.work, "cmd")
        name = f"{time.monotonic_ns()}.cmd"
        tmp = os.path.join(d, name + ".tmp")
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.rename(tmp, os.path.join(d, name))

    def withdraw(self, gone):
        self.command(self._cmds(gone, "withdraw"))
        drop = {id(r) for r in gone}
        self.routes = [r for r in self.routes if id(r) not in drop]

    def announce(self, new):
        self.command(self._cmds(new, "announce"))
        self._merge(new)

    def shutdown(self, text):
        # `teardown <subcode>` sends Cease with that subcode, and then
        # reconnects; our text cannot be given: ExaBGP sends the subcode's
        # name as the RFC 9003 communication. With graceful restart
        # negotiated it closes the connection without a NOTIFICATION.
        self.command([f"neighbor {self.peer_ip} teardown 2"])
        return (6, 2, "Administrative Shutdown")

    def refresh_quirk_logged(self):
        with open(self.proc.log, errors="replace") as f:
            return "'RouteRefresh' object is not iterable" in f.read()

    def refreshes_received(self):
        v = self._read("exa.refresh")
        return int(v) if v else 0


PEERS = {c.NAME: c for c in (BirdPeer, FrrPeer, GobgpPeer, OpenbgpdPeer,
                             ExabgpPeer)}
