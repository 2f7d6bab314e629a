# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Helpers for the output tests: run outtest, TLS certificates made with
the openssl command, receivers (openssl s_server, a plain TCP one), and
checks of received event streams with validate.py. TAP output."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate  # noqa: E402

HEAD = 'local-as 65000\nrouter-id 192.0.2.254\n'
# A loaded 2-core machine still fires a 10 ms timer within this.
MAX_LATE_MS = 250
# What ASan, LSan and UBSan say when they find something.
SANITIZER = re.compile(r'runtime error:|ERROR: (Address|Leak)Sanitizer')


class Tap:
    """Minimal TAP producer; exit status 1 if anything failed."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, diag=None):
        self.n += 1
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.n, what))
        if not cond:
            self.failed += 1
            if diag:
                for line in str(diag).splitlines():
                    print('# ' + line)
        sys.stdout.flush()
        return cond

    def done(self):
        print('1..%d' % self.n)
        sys.exit(1 if self.failed else 0)


def tmpdir():
    d = tempfile.mkdtemp(prefix='bgpwatch-out.')
    return d


def cleanup(d):
    shutil.rmtree(d, ignore_errors=True)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_conf(d, text):
    path = os.path.join(d, 'bgpwatch.conf')
    with open(path, 'w') as f:
        f.write(HEAD + text)
    return path


def start_outtest(outtest, conf, *args):
    """outtest running with its summary on a pipe."""
    return subprocess.Popen([outtest, '-c', conf] + [str(a) for a in args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish_outtest(p, timeout=100):
    """Wait for outtest; (summary dict or None, stderr text)."""
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, 'TIMEOUT\n' + err
    if p.returncode != 0 or SANITIZER.search(err):
        return None, 'exit %s\n%s' % (p.returncode, err)
    try:
        return json.loads(out), err
    except ValueError:
        return None, 'exit %s, stdout %r\n%s' % (p.returncode, out, err)


def openssl(*args, cwd):
    subprocess.run(['openssl'] + list(args), cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_pki(d):
    """A CA, a server certificate for 127.0.0.1, a client certificate."""
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt',
            'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
            '-subj', '/CN=bgpwatch test CA', '-keyout', 'ca.key',
            '-out', 'ca.pem', cwd=d)
    for name, ext in (('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'),
                      ('client', 'extendedKeyUsage=clientAuth')):
        openssl('req', '-newkey', 'ec', '-pkeyopt',
                'ec_paramgen_curve:prime256v1', '-nodes',
                '-subj', '/CN=' + name, '-keyout', name + '.key',
                '-out', name + '.csr', cwd=d)
        with open(os.path.join(d, name + '.ext'), 'w') as f:
            f.write(ext + '\n')
        openssl('x509', '-req', '-in', name + '.csr', '-CA', 'ca.pem',
                '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
                '-extfile', name + '.ext', '-out', name + '.pem', cwd=d)
    return {k: os.path.join(d, k) for k in
            ('ca.pem', 'server.pem', 'server.key', 'client.pem',
             'client.key')}


class SServer:
    """openssl s_server on 127.0.0.1:port writing what it gets to out."""

    def __init__(self, pki, port, out, verify_client=True):
        args = ['openssl', 's_server', '-quiet', '-accept',
                '127.0.0.1:%d' % port, '-cert', pki['server.pem'],
                '-key', pki['server.key'], '-CAfile', pki['ca.pem']]
        if verify_client:
            args += ['-Verify', '1', '-verify_return_error']
        self.f = open(out, 'wb')
        # stdin stays open (a pipe never written): EOF would end it.
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=self.f,
                                  stderr=subprocess.DEVNULL)
        wait_listen(port)

    def kill(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()
        self.p.stdin.close()
        self.f.close()


def wait_listen(port, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(('127.0.0.1', port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('nothing listens on port %d' % port)


class TcpReceiver:
    """A plain TCP receiver: each connection's bytes into its own file
    (prefix.N); read=False accepts and then never reads."""

    def __init__(self, port, prefix, read=True):
        self.prefix = prefix
        self.files = []
        self.read = threading.Event()
        if read:
            self.read.set()
        self.stop = threading.Event()
        self.s = socket.socket()
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.bind(('127.0.0.1', port))
        self.s.listen(4)
        self.s.settimeout(0.1)
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                c, _ = self.s.accept()
            except OSError:
                continue
            path = '%s.%d' % (self.prefix, len(self.files))
            self.files.append(path)
            t = threading.Thread(target=self._conn, args=(c, path),
                                 daemon=True)
            self.threads.append(t)
            t.start()

    def _conn(self, c, path):
        with open(path, 'wb') as f:
            c.settimeout(0.1)
            while not self.stop.is_set():
                if not self.read.is_set():
                    time.sleep(0.05)
                    continue
                try:
                    b = c.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    break
                if not b:
                    break
                f.write(b)
        c.close()

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        self.s.close()


def read_streams(v, files, torn_tail=True):
    """Parse received files (each one connection or one rotation); every
    line must be valid, only a file's last line may be cut (a receiver
    killed mid-line). Returns a list of line lists."""
    out = []
    for path in files:
        out.append(v.check_file(path, monotonic=True, torn_tail=torn_tail))
    return out


def seqs(lines):
    return [o['event']['sequence'] for o in lines]


def gap_lines(lines, output=None):
    return [o for o in lines if o['event']['action'] == 'output-gap' and
            (output is None or o['bgpwatch']['output']['name'] == output)]


def summary_output(summary, prefix):
    for o in summary['outputs']:
        if o['name'].startswith(prefix):
            return o
    return None
