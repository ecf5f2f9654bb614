#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Interop: a request left unanswered is given up after request_timeout and asked again.

A stingy seeder (this script, speaking the wire protocol to our listen port on 127.0.0.1) serves
the right data for every request except the first request of each block of piece 0, which it
ignores, while it keeps answering everything else (so it is never snubbed). It is our only peer.
With request_timeout = 2 s, the download completes only because we drop the unanswered requests
and send them again. Checks: completion within 10 s, every byte, and that the stingy peer did see
repeated requests for piece 0. Prints "reqtimeout: N passed, N failed".
"""
import os, socket, struct, sys, tempfile, threading
from btxpy import Btx, Tally, wait, write_file, make_torrent, recv_exact, same_tree
import libtorrent as lt

btx = Btx(sys.argv[1])
T = Tally("reqtimeout")
PIECE = 64 << 10

def stingy(port, info_hash, payload, pieces, seen):
    c = socket.create_connection(("127.0.0.1", port))
    try:
        c.sendall(b"\x13BitTorrent protocol" + bytes(8) + info_hash + b"-ST0001-" + os.urandom(12))
        recv_exact(c, 68)
        bits = bytearray((pieces + 7) // 8)
        for i in range(pieces): bits[i >> 3] |= 0x80 >> (i & 7)
        c.sendall(struct.pack(">IB", 1 + len(bits), 5) + bits + struct.pack(">IB", 1, 1))
        while True:
            n = struct.unpack(">I", recv_exact(c, 4))[0]
            if n == 0: continue
            msg = recv_exact(c, n)
            if msg[0] != 6 or n != 13: continue
            index, begin, length = struct.unpack(">III", msg[1:])
            key = (index, begin)
            seen[key] = seen.get(key, 0) + 1
            if index == 0 and seen[key] == 1: continue  # ignore the first request of each block of piece 0
            at = index * PIECE + begin
            c.sendall(struct.pack(">IBII", 9 + length, 7, index, begin) + payload[at:at + length])
    except (ConnectionError, OSError):
        pass
    finally:
        c.close()

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "src")
    path = os.path.join(src, "content", "data.bin")
    write_file(path, 2 << 20, 6)
    payload = open(path, "rb").read()
    data = make_torrent(os.path.join(src, "content"), piece_size=PIECE)
    ti = lt.torrent_info(lt.bdecode(data))
    s = btx.session()
    btx.btx_set_int(s, b"request_timeout", b"2")
    dest = tempfile.mkdtemp(dir=tmp)
    t = btx.btx_add_torrent_file(s, data, len(data), dest.encode())
    T.check(wait(lambda: btx.status(t).get(2) in ("3", "4"), 10), "our torrent is ready for peers")
    seen = {}
    threading.Thread(target=stingy, args=(btx.btx_listen_port(s), bytes.fromhex(str(ti.info_hashes().v1)), payload, ti.num_pieces(), seen), daemon=True).start()
    T.check(wait(lambda: btx.status(t).get(2) == "5", 10), "the download completes within 10 s (before piece_timeout, 20 s, could snub the peer) although piece 0's first requests were ignored")
    T.check(same_tree(os.path.join(src, "content"), os.path.join(dest, "content")), "every byte matches")
    again = sum(1 for (i, _), n in seen.items() if i == 0 and n >= 2)
    T.check(again == PIECE // 16384, f"every block of piece 0 was requested again after the timeout ({again} of {PIECE // 16384})")
    btx.btx_session_free(s)
sys.exit(T.finish())
