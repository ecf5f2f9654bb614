#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: Local Service Discovery (BEP 14) between our engine and libtorrent 2.0.

Runs itself inside a network namespace it creates (only its loopback device, up), so the
multicast announces on 239.192.152.143:6771 reach nobody else on the machine.
1. libtorrent seeds; our session adds a magnet with no peers and no trackers and downloads every
   byte from the peer LSD finds; libtorrent reports an lsd_peer for us (it heard our announce).
2. We seed; a libtorrent magnet with no peers downloads every byte from us.
Prints "lsd: N passed, N failed". Needs root (ip netns).
"""
import os, random, subprocess, sys, tempfile
import libtorrent as lt
from btx_ctypes import Btx, Checks, wait, same_tree

LIB = sys.argv[1]

def in_namespace():
    ns = f"btx-lsd-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", ns]).returncode != 0:
        print("FAIL: cannot create a network namespace (needs root and iproute2)\nlsd: 0 passed, 1 failed")
        return 1
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True)
        return subprocess.run(["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__), LIB, "--inside"], timeout=240).returncode
    finally:
        subprocess.run(["ip", "netns", "del", ns])

def lt_session():
    return lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": True, "enable_upnp": False,
                       "enable_natpmp": False, "local_service_announce_interval": 1, "enable_outgoing_utp": False,
                       "enable_incoming_utp": False, "alert_mask": lt.alert.category_t.peer_notification})

def main():
    btx, check = Btx(LIB), Checks("lsd")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        files = ["content/a.bin", "content/b/c.bin"]
        rnd = random.Random(14)
        for rel, size in zip(files, (900_000, 123_457)):
            os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
            with open(os.path.join(src, rel), "wb") as f: f.write(rnd.randbytes(size))
        fs = lt.file_storage(); lt.add_files(fs, os.path.join(src, "content"))
        ct = lt.create_torrent(fs, 32768, flags=lt.create_torrent.v1_only)
        lt.set_piece_hashes(ct, src)
        data = lt.bencode(ct.generate())
        ti = lt.torrent_info(lt.bdecode(data))
        magnet = f"magnet:?xt=urn:btih:{ti.info_hashes().v1}"

        # 1. libtorrent seeds, we find it by LSD alone.
        ses = lt_session()
        h = ses.add_torrent({"ti": ti, "save_path": src})
        check(wait(lambda: h.status().state == lt.torrent_status.seeding, 20), "libtorrent seeds")
        s = btx.session(enable_lsd=True, local_service_announce_interval=1)
        dest = tempfile.mkdtemp(dir=tmp)
        t = btx.btx_add_magnet(s, magnet.encode(), dest.encode())
        check(wait(lambda: btx.status(t).get(2) == "5", 60), f"our magnet without peers completes from LSD (state {btx.status(t).get(2)})")
        check(same_tree(src, dest, files), "every byte matches")
        heard = [a for a in ses.pop_alerts() if a.what() == "lsd_peer"]
        check(bool(heard), f"libtorrent received our LSD announce ({len(heard)} lsd_peer alerts)")
        btx.btx_session_free(s)
        ses.remove_torrent(h)
        del ses

        # 2. We seed, libtorrent finds us by LSD alone.
        s = btx.session(enable_lsd=True, local_service_announce_interval=1)
        t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
        check(wait(lambda: btx.status(t).get(2) == "5", 30), "our seeder checks its data")
        ses = lt_session()
        dest = tempfile.mkdtemp(dir=tmp)
        p = lt.parse_magnet_uri(magnet); p.save_path = dest
        h = ses.add_torrent(p)
        check(wait(lambda: h.status().state == lt.torrent_status.seeding, 60), f"libtorrent's magnet completes from us via LSD (state {h.status().state})")
        check(same_tree(src, dest, files), "every byte matches")
        btx.btx_session_free(s)
        del ses
    return check.finish()

if __name__ == "__main__":
    sys.exit(main() if "--inside" in sys.argv else in_namespace())
