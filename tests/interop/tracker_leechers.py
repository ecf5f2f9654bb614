#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Our seeder -> aria2c and transmission-cli leechers that learn our address from opentracker.
Run by trackers_interop.py inside a network namespace it creates, with <address> on that
namespace's loopback device (Transmission ignores 127.0.0.0/8 peers). Every byte is compared.
Transmission also keeps one peer per IP address, so it runs on a second address, <address2>.
Usage: tracker_leechers.py <libtorrentxt.so> <address> <address2>. Prints "leechers: N passed, N failed"."""
import os, random, signal, subprocess, sys, tempfile, time
import libtorrent as lt
from btx_ctypes import Btx, Checks, wait, free_port, same_tree

LIB, ADDR, ADDR2 = sys.argv[1], sys.argv[2], sys.argv[3]
btx = Btx(LIB)
check = Checks("leechers")

def stop(p):
    if p.poll() is None:
        p.terminate()
        try: p.wait(5)
        except subprocess.TimeoutExpired: p.kill(); p.wait(5)

def port_on(addr):
    import socket
    while True:
        with socket.socket() as a:
            a.bind((addr, 0)); port = a.getsockname()[1]
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b: b.bind((addr, port))
            return port
        except OSError: pass

def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        rnd = random.Random(9)
        files = ["content/a.bin", "content/sub/b.bin", "content/c.txt"]
        for rel, size in zip(files, (1_300_000, 400_003, 11)):
            os.makedirs(os.path.dirname(os.path.join(tmp, "src", rel)), exist_ok=True)
            with open(os.path.join(tmp, "src", rel), "wb") as f: f.write(rnd.randbytes(size))
        src = os.path.join(tmp, "src")
        otport = port_on(ADDR)
        url = f"http://{ADDR}:{otport}/announce"
        fs = lt.file_storage(); lt.add_files(fs, os.path.join(src, "content"))
        ct = lt.create_torrent(fs, 32768, flags=lt.create_torrent.v1_only)
        ct.add_tracker(url, 0)
        lt.set_piece_hashes(ct, src)
        data = lt.bencode(ct.generate())
        ih = str(lt.torrent_info(lt.bdecode(data)).info_hashes().v1)
        tfile = os.path.join(tmp, "seeded.torrent")
        with open(tfile, "wb") as f: f.write(data)
        otdir = os.path.join(tmp, "ot"); os.makedirs(otdir); os.chmod(otdir, 0o755)
        with open(os.path.join(otdir, "whitelist"), "w") as f: f.write(ih + "\n")
        os.chmod(os.path.join(otdir, "whitelist"), 0o644)
        ot = subprocess.Popen(["opentracker", "-i", ADDR, "-p", str(otport), "-P", str(otport), "-d", otdir, "-w", "/whitelist"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        procs = [ot]
        s = btx.session(listen_interfaces=f"{ADDR}:0")
        try:
            t = btx.btx_add_torrent_file(s, data, len(data), src.encode())
            check(t > 0 and wait(lambda: btx.status(t).get(2) == "5", 30), "our seeder checks its data")
            check(wait(lambda: any(x.get(132) == "1" for x in btx.trackers(t)), 20), "our seeder's announce to opentracker is answered")
            # aria2c
            dest = tempfile.mkdtemp(dir=tmp)
            p = subprocess.Popen(["aria2c", "--dir", dest, "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                                  "--enable-peer-exchange=false", "--seed-time=0", "--listen-port", str(port_on(ADDR)),
                                  "--follow-torrent=false", "--bt-stop-timeout=60", "--summary-interval=0",
                                  "--console-log-level=warn", tfile], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
            procs.append(p)
            try: out = p.communicate(timeout=90)[0].decode(errors="replace")
            except subprocess.TimeoutExpired: stop(p); out = "(timed out)"
            check(p.returncode == 0 and same_tree(src, dest, files),
                  f"aria2c downloads every byte from us via opentracker (rc {p.returncode}){'' if p.returncode == 0 else ': ' + out[-400:]}")
            # transmission-cli (it runs until stopped; it keeps partial files as *.part until complete)
            dest = tempfile.mkdtemp(dir=tmp)
            cfg = tempfile.mkdtemp(dir=tmp)
            with open(os.path.join(cfg, "settings.json"), "w") as f:
                f.write('{"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,'
                        ' "port-forwarding-enabled": false, "rpc-enabled": false, "encryption": 0, "bind-address-ipv4": "%s"}' % ADDR2)
            debug = dict(os.environ, TR_DEBUG_FD="2") if os.environ.get("TRACKERS_DEBUG") else None
            p = subprocess.Popen(["transmission-cli", "-w", dest, "-g", cfg, "-p", str(port_on(ADDR2)), "-M", tfile],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=debug)
            procs.append(p)
            ok = wait(lambda: same_tree(src, dest, files), 90, 0.5)
            stop(p)
            out = p.stdout.read().decode(errors="replace")
            if debug: open("/tmp/trk-transmission.log", "w").write(out)
            lines = [l for l in out.replace("\r", "\n").splitlines() if "Progress" not in l and "round-robin" not in l]
            check(ok, "transmission-cli downloads every byte from us via opentracker" + ("" if ok else ": " + " / ".join(lines)[-1200:]))
        finally:
            btx.btx_session_free(s)
            for p in procs: stop(p)
    return check.finish()

if __name__ == "__main__":
    sys.exit(main())
