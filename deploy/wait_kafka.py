#!/usr/bin/env python3
"""Probe a Kafka broker with real protocol requests (stdlib only).

Sends ApiVersions v0, then a Metadata request (v4, or the lowest version in 1..8
the broker accepts) and checks the reply lists at least one broker and a controller.
Exit 0 if the broker answered, 1 otherwise (reason on stderr). One probe per run;
deploy/services.sh loops over it.

    python3 deploy/wait_kafka.py [--host 127.0.0.1] [--port 9092] [--timeout 5] [-v]
"""

import argparse
import socket
import struct
import sys

API_METADATA = 3
API_VERSIONS = 18
CLIENT_ID = b"ocsea-wait"


class Reader:
    def __init__(self, buf):
        self.buf, self.pos = buf, 0

    def take(self, fmt):
        (v,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.buf[self.pos : self.pos + n].decode("utf-8")
        self.pos += n
        return s


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        out += chunk
    return out


def call(sock, api_key, api_version, corr, body=b""):
    header = struct.pack(">hhih", api_key, api_version, corr, len(CLIENT_ID)) + CLIENT_ID
    msg = header + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    r = Reader(recv_exact(sock, size))
    got = r.take(">i")
    if got != corr:
        raise ValueError(f"correlation id mismatch: sent {corr}, got {got}")
    return r


def probe(host, port, timeout):
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.settimeout(timeout)
        # ApiVersions v0: empty body; reply: error_code, [api_key, min, max]
        r = call(s, API_VERSIONS, 0, 1)
        err = r.take(">h")
        if err != 0:
            raise ValueError(f"ApiVersions error_code={err}")
        apis = {}
        for _ in range(r.take(">i")):
            k, lo, hi = r.take(">h"), r.take(">h"), r.take(">h")
            apis[k] = (lo, hi)
        if API_METADATA not in apis:
            raise ValueError("broker does not list the Metadata API")
        lo, hi = apis[API_METADATA]
        candidates = [v for v in (4, 1, 2, 3, 5, 6, 7, 8) if lo <= v <= hi]
        if not candidates:
            raise ValueError(f"no non-flexible Metadata version in broker range {lo}..{hi}")
        v = candidates[0]
        body = struct.pack(">i", -1)  # topics = null -> all topics (v1+)
        if v >= 4:
            body += b"\x00"  # allow_auto_topic_creation = false
        if v >= 8:
            body += b"\x00\x00"  # include cluster/topic authorized operations = false
        r = call(s, API_METADATA, v, 2, body)
        if v >= 3:
            r.take(">i")  # throttle_time_ms
        brokers = []
        for _ in range(r.take(">i")):
            node, bhost, bport = r.take(">i"), r.string(), r.take(">i")
            r.string()  # rack
            brokers.append((node, bhost, bport))
        cluster_id = r.string() if v >= 2 else None
        controller = r.take(">i")
        if not brokers:
            raise ValueError("metadata lists no broker yet")
        if controller < 0:
            raise ValueError("metadata has no active controller yet")
        return v, brokers, cluster_id, controller, apis


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9092)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    try:
        v, brokers, cluster_id, controller, apis = probe(a.host, a.port, a.timeout)
    except (OSError, ValueError, struct.error, UnicodeDecodeError) as e:
        print(f"kafka {a.host}:{a.port} not ready: {e}", file=sys.stderr)
        return 1
    if a.verbose:
        print(
            f"kafka {a.host}:{a.port} ok: metadata v{v} brokers={brokers} "
            f"cluster_id={cluster_id} controller={controller} apis={len(apis)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
