#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeds vector torrents from a real libtorrent 2.0.8 session, for TorrentXT's peer-wire interop tests.

    /usr/bin/python3 lt_wire_probe.py <vectors_dir> <work_dir> <torrent_id> [<torrent_id> ...]

Writes each torrent's payload with the vectors' payload.py, adds it to a session listening on
127.0.0.1 only (DHT, LSD, UPnP, NAT-PMP and uTP off) and waits until every torrent seeds. Then
prints "PORT <n>" and serves commands read from stdin, one per line:

    PEERS  -> one JSON line: the session's peer connections as libtorrent sees them
              [{"torrent": id, "pid": hex, "client": str, "ip": "a:p"}]
    QUIT   -> exits

The test side (C#) connects its own socket and does all the talking with TorrentXT's codec; this
script only provides the real peer and reports what libtorrent made of us. Every wait is bounded,
and the script exits by itself after 120 s.

    /usr/bin/python3 lt_wire_probe.py identify

reads 20-byte peer ids as hex, one per line, and prints lt.identify_client() of each as a JSON
string per line (null when libtorrent's answer is not valid UTF-8, which the binding cannot return).
"""
import json
import os
import select
import subprocess
import sys
import time

import libtorrent as lt

LIFETIME = 120


def fail(msg):
    print("ERROR " + msg, flush=True)
    sys.exit(1)


def identify():
    for line in sys.stdin:
        pid = bytes.fromhex(line.strip())
        try:
            name = lt.identify_client(lt.sha1_hash(pid))
        except UnicodeDecodeError:
            name = None
        print(json.dumps(name), flush=False)
    sys.stdout.flush()


def main():
    if sys.argv[1:2] == ["identify"]:
        identify()
        return
    if len(sys.argv) < 4:
        fail("usage: lt_wire_probe.py <vectors_dir> <work_dir> <torrent_id>...")
    vectors, work, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
    deadline = time.monotonic() + LIFETIME

    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        # several test connections come from 127.0.0.1, possibly overlapping
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.error_notification,
    })
    handles = {}
    for tid in ids:
        save = os.path.join(work, tid)
        subprocess.run([sys.executable, os.path.join(vectors, "payload.py"), tid, save], check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        ti = lt.torrent_info(os.path.join(vectors, "torrents", tid + ".torrent"))
        handles[tid] = ses.add_torrent({"ti": ti, "save_path": save})

    while not all(h.status().is_seeding for h in handles.values()):
        if time.monotonic() > deadline - 60:
            fail("torrents did not reach seeding: " + ", ".join(
                f"{t}={h.status().state}" for t, h in handles.items()))
        time.sleep(0.05)

    port = ses.listen_port()
    if port <= 0:
        fail("no listen port")
    print(f"PORT {port}", flush=True)

    while time.monotonic() < deadline:
        ready, _, _ = select.select([sys.stdin], [], [], 0.5)
        if not ready:
            continue
        line = sys.stdin.readline()
        if not line or line.strip() == "QUIT":
            break
        if line.strip() == "PEERS":
            peers = []
            for tid, h in handles.items():
                for p in h.get_peer_info():
                    peers.append({"torrent": tid, "pid": bytes(p.pid.to_bytes()).hex(),
                                  "client": p.client.decode("utf-8", "replace") if isinstance(p.client, bytes) else p.client,
                                  "ip": f"{p.ip[0]}:{p.ip[1]}"})
            print(json.dumps(peers), flush=True)


if __name__ == "__main__":
    main()
