#!/usr/bin/env python3
"""Probe a Neo4j Bolt listener (stdlib only): TCP connect + Bolt handshake.

Sends the Bolt magic 0x6060B017 and four proposed versions (5.8..5.0 range, 5.0, 4.4..4.2
range, 4.1), and requires a non-zero agreed version back. Exit 0 if the handshake
completed, 1 otherwise. deploy/services.sh additionally waits for Neo4jServer's
"NEO4J READY" line, printed after an embedded `RETURN 1` succeeded.

    python3 deploy/wait_neo4j.py [--host 127.0.0.1] [--port 7687] [--timeout 5] [-v]
"""

import argparse
import socket
import struct
import sys

MAGIC = bytes.fromhex("6060B017")
# Each proposal: 00 <range> <minor> <major>; range = how many minor versions below also OK.
PROPOSALS = [0x00080805, 0x00000005, 0x00020404, 0x00000104]


def handshake(host, port, timeout):
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.settimeout(timeout)
        s.sendall(MAGIC + struct.pack(">4I", *PROPOSALS))
        reply = b""
        while len(reply) < 4:
            chunk = s.recv(4 - len(reply))
            if not chunk:
                raise ConnectionError("connection closed during Bolt handshake")
            reply += chunk
    (agreed,) = struct.unpack(">I", reply)
    if agreed == 0:
        raise ValueError("server accepted none of the proposed Bolt versions")
    return agreed & 0xFF, (agreed >> 8) & 0xFF


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7687)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    try:
        major, minor = handshake(a.host, a.port, a.timeout)
    except (OSError, ValueError) as e:
        print(f"neo4j bolt {a.host}:{a.port} not ready: {e}", file=sys.stderr)
        return 1
    if a.verbose:
        print(f"neo4j bolt {a.host}:{a.port} ok: Bolt {major}.{minor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
