#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: web seeds (BEP 19) served by nginx on 127.0.0.1, every byte verified.

1. Web seed only: a multi-file torrent whose url-list is nginx's folder URL, and a single-file
   torrent whose url-list names the file itself; no peers at all.
2. Web seed plus a libtorrent peer: a magnet with x.pe (metadata from the peer) and ws=.
3. A broken web seed (HTTP 404) next to a working one: the download completes.
4. A web seed whose URL answers every request with a redirect (HTTP 302) to the real files.
Prints "webseeds: N passed, N failed".
"""
import os, subprocess, sys, tempfile, time, urllib.parse
import libtorrent as lt
from btxpy import (Btx, Tally, wait, free_port, listening, stop_process, lt_session, make_torrent, magnet, write_files,
                   same_tree)

btx, T = Btx(sys.argv[1]), Tally("webseeds")
check = T.check

def download(label, data, files, src, tmp, uri=None):
    s = btx.session()
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_magnet(s, uri.encode(), dest.encode()) if uri else btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    check(t > 0, f"{label}: added ({btx.last_error()})")
    start = time.time()
    ok = wait(lambda: btx.status(t).get(2) == "5", 60)
    check(ok, f"{label}: completes (state {btx.status(t).get(2)}, done {btx.status(t).get(6)}, {time.time() - start:.1f} s)")
    check(same_tree(src, dest, files), f"{label}: every byte matches")
    btx.btx_session_free(s)

def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        src = os.path.join(tmp, "www")
        files = ["content/a.bin", "content/sub/b b.bin", "content/c.txt", "single.bin"]
        write_files(src, dict(zip(files, (1_200_000, 333_333, 17, 700_001))), 19)
        port = free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""daemon off; user root; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{ access_log off; sendfile on; client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
        uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
        server {{ listen 127.0.0.1:{port}; root {src};
                  location /moved/ {{ rewrite ^/moved/(.*)$ /$1 redirect; }} }} }}
""")
        nginx = subprocess.Popen(["nginx", "-p", tmp, "-c", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            check(wait(lambda: listening(port), 10), f"nginx serves {src} on 127.0.0.1:{port}")
            base = f"http://127.0.0.1:{port}/"
            multi = make_torrent(os.path.join(src, "content"), 32768, url_seeds=[base])
            download("multi-file, web seed only", multi, files[:3], src, tmp)
            single = make_torrent(os.path.join(src, "single.bin"), 32768, url_seeds=[base + "single.bin"])
            download("single file, web seed only", single, files[3:], src, tmp)
            both = make_torrent(os.path.join(src, "content"), 32768, url_seeds=[base + "missing/", base])
            download("a 404 web seed beside a working one", both, files[:3], src, tmp)
            moved = make_torrent(os.path.join(src, "content"), 32768, url_seeds=[base + "moved/"])
            download("a web seed that redirects (302) every request", moved, files[:3], src, tmp)
            ses = lt_session()
            ti = lt.torrent_info(lt.bdecode(multi))
            h = ses.add_torrent({"ti": ti, "save_path": src})
            check(wait(lambda: h.status().state == lt.torrent_status.seeding, 20), "libtorrent seeds the same torrent")
            uri = magnet(ti, ses.listen_port(), name=None) + "&ws=" + urllib.parse.quote(base, safe="")
            download("magnet: libtorrent peer plus web seed", None, files[:3], src, tmp, uri)
            del ses
        finally:
            stop_process(nginx)
    return T.finish()

if __name__ == "__main__":
    sys.exit(main())
