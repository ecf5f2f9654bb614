#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: a peer sending corrupt data is found out and banned; the download still completes.

A hostile peer (this script, speaking the wire protocol on 127.0.0.1) claims every piece, unchokes
and answers every request with random bytes. libtorrent 2.0 seeds the real data, upload limited to
1 MB/s (a torrent limit) so that the hostile peer gets plenty of requests. Our session joins from a magnet naming
both. Checks: the download completes and every byte matches, the hostile peer served at least one
block, our session closed its connection, and never came back (banned). Prints "hashfail: N passed, N failed".
"""
import os, socket, struct, sys, tempfile, threading, time
from btxpy import Btx, Tally, wait, lt_session, write_file, make_torrent, lt_seed, magnet, recv_exact, same_tree

btx = Btx(sys.argv[1])
T = Tally("hashfail")

class Hostile:
    def __init__(self, info_hash, pieces):
        self.info_hash, self.pieces = info_hash, pieces
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = self.blocks = 0
        self.open = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try: c, _ = self.sock.accept()
            except OSError: return
            self.connections += 1
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        self.open += 1
        try:
            hs = recv_exact(c, 68)
            if hs[28:48] != self.info_hash: return
            c.sendall(b"\x13BitTorrent protocol" + bytes(8) + self.info_hash + b"-HX0001-" + os.urandom(12))
            bits = bytearray((self.pieces + 7) // 8)
            for i in range(self.pieces): bits[i >> 3] |= 0x80 >> (i & 7)
            c.sendall(struct.pack(">IB", 1 + len(bits), 5) + bits + struct.pack(">IB", 1, 1))
            while True:
                n = struct.unpack(">I", recv_exact(c, 4))[0]
                if n == 0: continue
                msg = recv_exact(c, n)
                if msg[0] == 6 and n == 13:
                    index, begin, length = struct.unpack(">III", msg[1:])
                    c.sendall(struct.pack(">IBII", 9 + length, 7, index, begin) + os.urandom(length))
                    self.blocks += 1
        except (ConnectionError, OSError):
            pass
        finally:
            self.open -= 1
            c.close()

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    write_file(os.path.join(src, "content", "data.bin"), 6 << 20, 8)
    data = make_torrent(os.path.join(src, "content"), piece_size=64 << 10)
    ses = lt_session()
    h, ti, ok = lt_seed(ses, data, src)
    T.check(ok, "libtorrent seeds")
    # A torrent limit (a session limit would not apply: loopback peers are in libtorrent's
    # unlimited local peer class): otherwise libtorrent delivers everything before the hostile
    # peer is asked for anything.
    h.set_upload_limit(1_000_000)
    hostile = Hostile(bytes.fromhex(str(ti.info_hashes().v1)), ti.num_pieces())
    s = btx.session()
    dest = tempfile.mkdtemp(dir=tmp)
    uri = magnet(ti, ses.listen_port(), hostile.port)
    t = btx.btx_add_magnet(s, uri.encode(), dest.encode())
    T.check(t > 0, f"added ({btx.last_error()})")
    T.check(wait(lambda: btx.status(t).get(2) == "5", 60), "the download completes despite the corrupt peer")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "every byte matches")
    T.check(hostile.blocks > 0, f"the hostile peer served {hostile.blocks} corrupt blocks")
    T.check(wait(lambda: hostile.open == 0, 5), "we closed the hostile peer's connection")
    seen = hostile.connections
    time.sleep(12)  # longer than our 10 s redial interval
    T.check(hostile.connections == seen and seen >= 1, f"the hostile peer was not dialled again (connections {seen} -> {hostile.connections})")
    btx.btx_session_free(s)
    ses.remove_torrent(h)
sys.exit(T.finish())
