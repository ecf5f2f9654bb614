# SPDX-License-Identifier: MIT
"""Shared helpers for the interop scripts: our library through ctypes, libtorrent sessions on
127.0.0.1 only, generated content, bounded waits and a pass/fail tally."""
import ctypes, os, random, time, filecmp
import libtorrent as lt

class Btx:
    def __init__(self, path):
        b = self.lib = ctypes.CDLL(path)
        b.btx_add_torrent_file.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        b.btx_add_magnet.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
        b.btx_torrent_status.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        b.btx_peer_list.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        b.btx_piece_bitfield.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        b.btx_last_error.argtypes = [ctypes.c_void_p, ctypes.c_int]
        b.btx_set_str.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
        b.btx_set_int.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
        b.btx_set_bool.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        b.btx_set_torrent_limits.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
        b.btx_set_torrent_flags.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p]
        b.btx_unset_torrent_flags.argtypes = [ctypes.c_int, ctypes.c_char_p]
        b.btx_set_piece_deadline.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]

    def __getattr__(self, name):
        return getattr(self.lib, name)

    def session(self):
        """A session listening on 127.0.0.1 only, DHT/LSD/UPnP/NAT-PMP off."""
        s = self.lib.btx_session_new()
        self.lib.btx_set_str(s, b"listen_interfaces", b"127.0.0.1:0")
        for key in (b"enable_dht", b"enable_lsd", b"enable_upnp", b"enable_natpmp"):
            self.lib.btx_set_bool(s, key, 0)
        wait(lambda: self.lib.btx_listen_port(s) > 0, 10)
        return s

    def last_error(self):
        buf = ctypes.create_string_buffer(4096)
        n = self.lib.btx_last_error(buf, 4096)
        return buf.raw[:max(n, 0)].decode()

    def _records(self, fn, t, cap=1 << 16):
        buf = ctypes.create_string_buffer(cap)
        n = fn(t, buf, cap)
        data = buf.raw[:max(n, 0)]
        return data if n > 0 else b""

    def status(self, t):
        data = self._records(self.lib.btx_torrent_status, t)
        out = {}
        if not data: return out
        count, pos = int.from_bytes(data[0:2], "big"), 2
        for _ in range(count):
            fid, ln = data[pos], int.from_bytes(data[pos + 2:pos + 4], "big")
            out[fid] = data[pos + 4:pos + 4 + ln].decode(errors="replace"); pos += 4 + ln
        return out

    def stat_int(self, t, field):
        return int(self.status(t).get(field, "0") or 0)

    def peers(self, t):
        """One dict per connected peer (fields 40..45)."""
        data = self._records(self.lib.btx_peer_list, t)
        if not data: return []
        n, pos, out = int.from_bytes(data[0:2], "big"), 2, []
        for _ in range(n):
            body = int.from_bytes(data[pos:pos + 2], "big"); pos += 2
            rec, at = {}, pos + 2
            for _ in range(int.from_bytes(data[pos:pos + 2], "big")):
                fid, ln = data[at], int.from_bytes(data[at + 2:at + 4], "big")
                rec[fid] = data[at + 4:at + 4 + ln].decode(errors="replace"); at += 4 + ln
            pos += body
            out.append(rec)
        return out

    def have(self, t):
        """Our pieces as a list of booleans."""
        bits = self._records(self.lib.btx_piece_bitfield, t)
        n = self.stat_int(t, 13)
        return [bool(bits[i >> 3] & (0x80 >> (i & 7))) if (i >> 3) < len(bits) else False for i in range(n)]

class Tally:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
            print("ok:", what, flush=True)
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)
        return cond

    def finish(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0

def wait(pred, seconds, step=0.05):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if pred(): return True
        time.sleep(step)
    return pred()

def lt_session(**extra):
    settings = {"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                "enable_upnp": False, "enable_natpmp": False, "enable_outgoing_utp": False,
                "enable_incoming_utp": False, "alert_mask": 0, "allow_multiple_connections_per_ip": True}
    settings.update(extra)
    return lt.session(settings)

def write_file(path, size, seed):
    rnd = random.Random(seed)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        for at in range(0, size, 1 << 20):
            f.write(rnd.randbytes(min(1 << 20, size - at)))

def make_torrent(content, piece_size=65536, v1_only=True):
    fs = lt.file_storage()
    lt.add_files(fs, content)
    ct = lt.create_torrent(fs, piece_size, flags=lt.create_torrent.v1_only if v1_only else 0)
    lt.set_piece_hashes(ct, os.path.dirname(content))
    return lt.bencode(ct.generate())

def lt_seed(ses, data, save_path, seconds=60):
    ti = lt.torrent_info(lt.bdecode(data))
    h = ses.add_torrent({"ti": ti, "save_path": save_path})
    ok = wait(lambda: h.status().state == lt.torrent_status.seeding, seconds)
    return h, ti, ok

def same_tree(a, b):
    """Every file under a exists under b with the same bytes."""
    for root, _, files in os.walk(a):
        for name in files:
            pa = os.path.join(root, name)
            pb = os.path.join(b, os.path.relpath(pa, a))
            if not os.path.exists(pb) or not filecmp.cmp(pa, pb, shallow=False): return False
    return True

def magnet(ti, port, name="content"):
    ih = ti.info_hashes()
    uri = "magnet:?xt=urn:btih:" + str(ih.v1)
    if ih.has_v2(): uri += "&xt=urn:btmh:1220" + str(ih.v2)
    return uri + "&dn=%s&x.pe=127.0.0.1:%d" % (name, port)
