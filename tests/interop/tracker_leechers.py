#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Our seeder -> aria2c and transmission-cli leechers that learn our address from opentracker.
Run by trackers_interop.py inside a network namespace it creates, with <address> on that
namespace's loopback device (Transmission ignores 127.0.0.0/8 peers). Every byte is compared.
Transmission also keeps one peer per IP address, so it runs on a second address, <address2>.
Usage: tracker_leechers.py <libtorrentxt.so> <address> <address2>. Prints "leechers: N passed, N failed"."""
import os, subprocess, sys, tempfile
import libtorrent as lt
from btxpy import Btx, Tally, wait, free_port, stop_process, make_torrent, write_files, same_tree

LIB, ADDR, ADDR2 = sys.argv[1], sys.argv[2], sys.argv[3]
btx = Btx(LIB)
T = Tally("leechers")
check = T.check

def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        files = ["content/a.bin", "content/sub/b.bin", "content/c.txt"]
        src = os.path.join(tmp, "src")
        write_files(src, dict(zip(files, (1_300_000, 400_003, 11))), 9)
        otport = free_port(ADDR)
        url = f"http://{ADDR}:{otport}/announce"
        data = make_torrent(os.path.join(src, "content"), 32768, trackers=[url])
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
                                  "--enable-peer-exchange=false", "--seed-time=0", "--listen-port", str(free_port(ADDR)),
                                  "--follow-torrent=false", "--bt-stop-timeout=60", "--summary-interval=0",
                                  "--console-log-level=warn", tfile], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
            procs.append(p)
            try: out = p.communicate(timeout=90)[0].decode(errors="replace")
            except subprocess.TimeoutExpired: stop_process(p); out = "(timed out)"
            check(p.returncode == 0 and same_tree(src, dest, files),
                  f"aria2c downloads every byte from us via opentracker (rc {p.returncode}){'' if p.returncode == 0 else ': ' + out[-400:]}")
            # transmission-cli (it runs until stopped; it keeps partial files as *.part until complete)
            dest = tempfile.mkdtemp(dir=tmp)
            cfg = tempfile.mkdtemp(dir=tmp)
            with open(os.path.join(cfg, "settings.json"), "w") as f:
                f.write('{"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,'
                        ' "port-forwarding-enabled": false, "rpc-enabled": false, "encryption": 0, "bind-address-ipv4": "%s"}' % ADDR2)
            debug = dict(os.environ, TR_DEBUG_FD="2") if os.environ.get("TRACKERS_DEBUG") else None
            p = subprocess.Popen(["transmission-cli", "-w", dest, "-g", cfg, "-p", str(free_port(ADDR2)), "-M", tfile],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, env=debug)
            procs.append(p)
            ok = wait(lambda: same_tree(src, dest, files), 90, 0.5)
            stop_process(p)
            out = p.stdout.read().decode(errors="replace")
            if debug: open("/tmp/trk-transmission.log", "w").write(out)
            lines = [l for l in out.replace("\r", "\n").splitlines() if "Progress" not in l and "round-robin" not in l]
            check(ok, "transmission-cli downloads every byte from us via opentracker" + ("" if ok else ": " + " / ".join(lines)[-1200:]))
        finally:
            btx.btx_session_free(s)
            for p in procs: stop_process(p)
    return T.finish()

if __name__ == "__main__":
    sys.exit(main())
