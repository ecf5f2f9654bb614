# SPDX-License-Identifier: MIT
"""Shared helpers for the interop scripts: libtorrentxt.so through ctypes (every btx_* function
declared once, as in include/btx_abi.h), decoders for its records (include/btx_record.h),
libtorrent sessions on loopback only, generated content, bounded waits and a pass/fail tally."""
import ctypes, filecmp, os, random, socket, subprocess, time
import libtorrent as lt

# ---- the C ABI: one row a function, in the order of include/btx_abi.h ------------------------------
# C types map to ctypes one for one: `const char *` -> c_char_p (bytes or None), `char *out` ->
# POINTER(c_char) (a create_string_buffer), `void *` / `const void *` -> c_void_p (a buffer or bytes).
_I, _S, _O, _V = ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char), ctypes.c_void_p
SIGNATURES = {  # name: (restype, argtypes)
    "btx_abi_version": (_I, []),
    "btx_session_new": (_I, []),
    "btx_session_free": (None, [_I]),
    "btx_last_error": (_I, [_O, _I]),
    "btx_clear_error": (None, []),
    "btx_set_int": (_I, [_I, _S, _S]),  # the value is a decimal string, so 64-bit values pass intact
    "btx_set_bool": (_I, [_I, _S, _I]),
    "btx_set_str": (_I, [_I, _S, _S]),
    "btx_get_setting": (_I, [_I, _S, _O, _I]),
    "btx_set_encryption_policy": (_I, [_I, _I, _I, _I]),
    "btx_session_pause": (_I, [_I]),
    "btx_session_resume": (_I, [_I]),
    "btx_session_is_paused": (_I, [_I]),
    "btx_listen_port": (_I, [_I]),
    "btx_find_torrent": (_I, [_I, _S]),
    "btx_dht_announce": (_I, [_I, _S, _I]),
    "btx_ip_filter_add": (_I, [_I, _S, _S, _I]),
    "btx_ip_filter_clear": (_I, [_I]),
    "btx_set_piece_deadline": (_I, [_I, _I, _I]),
    "btx_clear_piece_deadlines": (_I, [_I]),
    "btx_add_magnet": (_I, [_I, _S, _S]),
    "btx_add_torrent_file": (_I, [_I, _V, _I, _S]),
    "btx_add_with_resume": (_I, [_I, _V, _I, _S]),
    "btx_add_magnet_ex": (_I, [_I, _S, _S, _S, _S]),
    "btx_add_torrent_file_ex": (_I, [_I, _V, _I, _S, _S, _S]),
    "btx_remove": (_I, [_I, _I, _I]),
    "btx_pause": (_I, [_I]),
    "btx_resume": (_I, [_I]),
    "btx_force_recheck": (_I, [_I]),
    "btx_force_reannounce": (_I, [_I]),
    "btx_set_file_priority": (_I, [_I, _I, _I]),
    "btx_set_file_priorities": (_I, [_I, _V, _I]),
    "btx_set_piece_priority": (_I, [_I, _I, _I]),
    "btx_set_torrent_limits": (_I, [_I, _S, _S]),
    "btx_set_torrent_flags": (_I, [_I, _S, _S]),
    "btx_unset_torrent_flags": (_I, [_I, _S]),
    "btx_set_max_connections": (_I, [_I, _I]),
    "btx_set_max_uploads": (_I, [_I, _I]),
    "btx_torrent_clear_error": (_I, [_I]),
    "btx_scrape_tracker": (_I, [_I]),
    "btx_move_storage": (_I, [_I, _S]),
    "btx_queue_position": (_I, [_I]),
    "btx_queue_move": (_I, [_I, _I]),
    "btx_torrent_status": (_I, [_I, _V, _I]),
    "btx_torrent_count": (_I, [_I]),
    "btx_torrent_handle_at": (_I, [_I, _I]),
    "btx_info_hash_hex": (_I, [_I, _O, _I]),
    "btx_piece_bitfield": (_I, [_I, _V, _I]),
    "btx_peer_list": (_I, [_I, _V, _I]),
    "btx_file_list": (_I, [_I, _V, _I]),
    "btx_piece_availability": (_I, [_I, _V, _I]),
    "btx_trackers": (_I, [_I, _V, _I]),
    "btx_add_tracker": (_I, [_I, _S, _I]),
    "btx_add_url_seed": (_I, [_I, _S]),
    "btx_remove_url_seed": (_I, [_I, _S]),
    "btx_url_seeds": (_I, [_I, _V, _I]),
    "btx_pop_alerts": (_I, [_I, _V, _I]),
    "btx_dht_add_bootstrap": (_I, [_I, _S, _I]),
    "btx_dht_state": (_I, [_I, _V, _I]),
    "btx_dht_save_state": (_I, [_I, _V, _I]),
    "btx_dht_load_state": (_I, [_I, _V, _I]),
    "btx_dht_keypair": (_I, [_S, _V, _I]),
    "btx_dht_put_immutable": (_I, [_I, _V, _I, _O, _I]),
    "btx_dht_get_immutable": (_I, [_I, _S]),
    "btx_dht_put_mutable": (_I, [_I, _S, _S, _S, _V, _I]),
    "btx_dht_get_mutable": (_I, [_I, _S, _S]),
    "btx_save_resume": (_I, [_I]),
    "btx_create_torrent": (_I, [_S, _I, _I, _S, _V, _I]),
}

# ---- records (include/btx_record.h): every u16 big-endian -----------------------------------------
T_RAW = 3  # the one field type kept as bytes; int, real, utf8 and hex are text

def _u16(data, pos):
    return int.from_bytes(data[pos:pos + 2], "big")

def decode_record(data, pos=0):
    """A kvrecord at pos -> {field id: str, or bytes for raw fields}."""
    out = {}
    count, pos = _u16(data, pos), pos + 2
    for _ in range(count):
        fid, ftype, ln = data[pos], data[pos + 1], _u16(data, pos + 2)
        raw = data[pos + 4:pos + 4 + ln]
        out[fid] = raw if ftype == T_RAW else raw.decode(errors="replace")
        pos += 4 + ln
    return out

def decode_list(data):
    """A list (peers, files, trackers, web seeds) -> [record, ...]."""
    out, pos = [], 2
    for _ in range(_u16(data, 0) if data else 0):
        body = _u16(data, pos)
        out.append(decode_record(data, pos + 2))
        pos += 2 + body
    return out

def decode_alerts(data):
    """An alert drain -> [(alert code, record), ...]."""
    out, pos = [], 2
    for _ in range(_u16(data, 0) if data else 0):
        code, body = _u16(data, pos), _u16(data, pos + 2)
        out.append((code, decode_record(data, pos + 4)))
        pos += 4 + body
    return out

# ---- the library -----------------------------------------------------------------------------------
class Btx:
    """libtorrentxt.so with every function declared; btx.btx_* calls straight through."""
    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        for name, (restype, argtypes) in SIGNATURES.items():
            fn = getattr(self.lib, name)
            fn.restype, fn.argtypes = restype, argtypes

    def __getattr__(self, name):
        return getattr(self.lib, name)

    def fetch(self, fn, *args, cap=1 << 16):
        """The bytes fn(*args, out, cap) writes; b"" when it reports none or fails."""
        buf = ctypes.create_string_buffer(cap)
        n = fn(*args, buf, cap)
        return buf.raw[:n] if n > 0 else b""

    def last_error(self):
        return self.fetch(self.lib.btx_last_error, cap=4096).decode()

    def set(self, s, key, value):
        """One setting, by the type of value (bool before int: a bool is an int in Python)."""
        if isinstance(value, bool): return self.lib.btx_set_bool(s, key.encode(), int(value))
        if isinstance(value, int): return self.lib.btx_set_int(s, key.encode(), str(value).encode())
        return self.lib.btx_set_str(s, key.encode(), value.encode())

    def session(self, **settings):
        """A session on 127.0.0.1 only, DHT/LSD/UPnP/NAT-PMP off unless settings say otherwise;
        returns once it listens (or after 10 s). The DHT (on in a new session) goes off first and,
        when asked for, on last: it then starts with the caller's bootstrap nodes and limits, not
        with the default bootstrap node."""
        s = self.lib.btx_session_new()
        settings = dict(settings)
        dht = settings.pop("enable_dht", False)
        merged = {"enable_dht": False, "listen_interfaces": "127.0.0.1:0", "enable_lsd": False,
                  "enable_upnp": False, "enable_natpmp": False}
        merged.update(settings)
        for key, value in merged.items(): self.set(s, key, value)
        if dht: self.set(s, "enable_dht", True)
        wait(lambda: self.lib.btx_listen_port(s) > 0, 10)
        return s

    def status(self, t):
        return decode_record(self.fetch(self.lib.btx_torrent_status, t))

    def stat_int(self, t, field):
        return int(self.status(t).get(field, "0") or 0)

    def peers(self, t):
        return decode_list(self.fetch(self.lib.btx_peer_list, t))

    def trackers(self, t):
        return decode_list(self.fetch(self.lib.btx_trackers, t))

    def have(self, t):
        """Our pieces as a list of booleans."""
        bits = self.fetch(self.lib.btx_piece_bitfield, t)
        return [(i >> 3) < len(bits) and bool(bits[i >> 3] & (0x80 >> (i & 7))) for i in range(self.stat_int(t, 13))]

    def alerts(self, s):
        # Unlike the other getters, a drain returns its record count, not a byte count: the
        # records' own lengths bound what is read.
        buf = ctypes.create_string_buffer(1 << 20)
        n = self.lib.btx_pop_alerts(s, buf, 1 << 20)
        return decode_alerts(buf.raw) if n > 0 else []

    def dht_state(self, s):
        return decode_record(self.fetch(self.lib.btx_dht_state, s))

    def dht_keypair(self, seed_hex):
        return decode_record(self.fetch(self.lib.btx_dht_keypair, seed_hex.encode()))

class AlertLog:
    """Our session's alerts, drained as they come: take() hands each matching alert out once,
    seen lists every alert drained so far."""
    def __init__(self, btx, s):
        self.btx, self.s, self.seen, self.pending = btx, s, [], []

    def drain(self):
        new = self.btx.alerts(self.s)
        self.seen.extend(new)
        self.pending.extend(new)
        return self.seen

    def take(self, code, pred, seconds):
        """The first not yet taken alert of code whose record satisfies pred, or None after seconds."""
        deadline = time.time() + seconds
        while True:
            self.drain()
            for i, (c, rec) in enumerate(self.pending):
                if c == code and pred(rec):
                    del self.pending[i]
                    return rec
            if time.time() >= deadline: return None
            time.sleep(0.1)

# ---- tally and waits -------------------------------------------------------------------------------
class Tally:
    """check(cond, what) prints "ok: what" or "FAIL: what"; finish() prints the closing
    "<name>: N passed, N failed" line that run.sh and CI read, and gives the exit code."""
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
    """pred's first truthy value within seconds (polled every step), else its last value."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        v = pred()
        if v: return v
        time.sleep(step)
    return pred()

# ---- loopback helpers ------------------------------------------------------------------------------
def free_port(addr="127.0.0.1"):
    """A port free for both TCP and UDP on addr (checked, not reserved)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as a:
            a.bind((addr, 0)); port = a.getsockname()[1]
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b: b.bind((addr, port))
            return port
        except OSError:
            continue

def listening(port, addr="127.0.0.1"):
    try:
        socket.create_connection((addr, port), 1).close()
        return True
    except OSError:
        return False

def recv_exact(sock, n):
    """Exactly n bytes from sock; ConnectionError when the peer closes first."""
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk: raise ConnectionError("closed")
        data += chunk
    return data

def stop_process(p):
    """Terminates a child process, killing it if it has not gone within 5 s."""
    if p.poll() is None:
        p.terminate()
        try: p.wait(5)
        except subprocess.TimeoutExpired: p.kill(); p.wait(5)

# ---- libtorrent ------------------------------------------------------------------------------------
def lt_session(**extra):
    settings = {"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                "enable_upnp": False, "enable_natpmp": False, "enable_outgoing_utp": False,
                "enable_incoming_utp": False, "alert_mask": 0, "allow_multiple_connections_per_ip": True}
    settings.update(extra)
    return lt.session(settings)

def make_torrent(content, piece_size=65536, v1_only=True, v2_only=False, trackers=(), url_seeds=()):
    """A .torrent (bencoded) of the file or folder content; hybrid unless v1_only or v2_only."""
    fs = lt.file_storage()
    lt.add_files(fs, content)
    flags = lt.create_torrent.v1_only if v1_only else lt.create_torrent.v2_only if v2_only else 0
    ct = lt.create_torrent(fs, piece_size, flags=flags)
    for tier, url in enumerate(trackers): ct.add_tracker(url, tier)
    for url in url_seeds: ct.add_url_seed(url)
    lt.set_piece_hashes(ct, os.path.dirname(content))
    return lt.bencode(ct.generate())

def lt_seed(ses, data, save_path, seconds=60):
    ti = lt.torrent_info(lt.bdecode(data))
    h = ses.add_torrent({"ti": ti, "save_path": save_path})
    ok = wait(lambda: h.status().state == lt.torrent_status.seeding, seconds)
    return h, ti, ok

def magnet(ti, *ports, name="content"):
    """btih and/or btmh by what ti has, dn=name (unless None), one x.pe=127.0.0.1:port a port."""
    ih = ti.info_hashes()
    xts = []
    if ih.has_v1(): xts.append("xt=urn:btih:" + str(ih.v1))
    if ih.has_v2(): xts.append("xt=urn:btmh:1220" + str(ih.v2))
    uri = "magnet:?" + "&".join(xts)
    if name is not None: uri += "&dn=" + name
    return uri + "".join("&x.pe=127.0.0.1:%d" % port for port in ports)

# ---- content ---------------------------------------------------------------------------------------
def write_files(root, sizes, seed):
    """Files of random bytes under root, {relative path: size}, from one generator seeded with seed."""
    rnd = random.Random(seed)
    for rel, size in sizes.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            for at in range(0, size, 1 << 20):
                f.write(rnd.randbytes(min(1 << 20, size - at)))

def write_file(path, size, seed):
    write_files(os.path.dirname(path), {os.path.basename(path): size}, seed)

def same_tree(a, b, files=None):
    """Each of files (paths relative to a; by default every file under a) exists under b with the same bytes."""
    if files is None:
        files = [os.path.relpath(os.path.join(root, name), a) for root, _, names in os.walk(a) for name in names]
    return all(os.path.exists(os.path.join(b, rel)) and filecmp.cmp(os.path.join(a, rel), os.path.join(b, rel), shallow=False)
               for rel in files)
