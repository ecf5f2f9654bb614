# SPDX-License-Identifier: MIT
"""ctypes access to libtorrentxt.so for the tracker, LSD and web seed interop scripts:
status and list records, the alert drain, a pass/fail counter and bounded waits."""
import ctypes, filecmp, os, socket, time

class Btx:
    def __init__(self, path):
        lib = ctypes.CDLL(path)
        sig = {
            "btx_add_torrent_file": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p],
            "btx_add_magnet": [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p],
            "btx_torrent_status": [ctypes.c_int, ctypes.c_void_p, ctypes.c_int],
            "btx_trackers": [ctypes.c_int, ctypes.c_void_p, ctypes.c_int],
            "btx_pop_alerts": [ctypes.c_int, ctypes.c_void_p, ctypes.c_int],
            "btx_last_error": [ctypes.c_void_p, ctypes.c_int],
            "btx_set_str": [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p],
            "btx_set_int": [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p],
            "btx_set_bool": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int],
            "btx_add_tracker": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int],
            "btx_add_url_seed": [ctypes.c_int, ctypes.c_char_p],
        }
        for name, args in sig.items():
            getattr(lib, name).argtypes = args
        self.lib = lib

    def __getattr__(self, name):
        return getattr(self.lib, name)

    def last_error(self):
        buf = ctypes.create_string_buffer(4096)
        n = self.lib.btx_last_error(buf, 4096)
        return buf.raw[:max(n, 0)].decode()

    def session(self, **settings):
        s = self.lib.btx_session_new()
        self.lib.btx_set_str(s, b"listen_interfaces", b"127.0.0.1:0")
        for key in ("enable_dht", "enable_lsd", "enable_upnp", "enable_natpmp"):
            self.lib.btx_set_bool(s, key.encode(), 0)
        for key, value in settings.items():
            if isinstance(value, bool): self.lib.btx_set_bool(s, key.encode(), int(value))
            elif isinstance(value, int): self.lib.btx_set_int(s, key.encode(), str(value).encode())
            else: self.lib.btx_set_str(s, key.encode(), value.encode())
        return s

    def status(self, t):
        buf = ctypes.create_string_buffer(16384)
        n = self.lib.btx_torrent_status(t, buf, 16384)
        return parse_record(buf.raw[:max(n, 0)], 0)[0] if n > 0 else {}

    def trackers(self, t):
        buf = ctypes.create_string_buffer(65536)
        n = self.lib.btx_trackers(t, buf, 65536)
        return parse_list(buf.raw[:max(n, 0)], alerts=False) if n > 0 else []

    def pop_alerts(self, s):
        buf = ctypes.create_string_buffer(1 << 20)
        n = self.lib.btx_pop_alerts(s, buf, 1 << 20)
        return parse_list(buf.raw, alerts=True) if n > 0 else []

def parse_record(data, pos):
    out = {}
    count, pos = int.from_bytes(data[pos:pos + 2], "big"), pos + 2
    for _ in range(count):
        fid, ftype, ln = data[pos], data[pos + 1], int.from_bytes(data[pos + 2:pos + 4], "big")
        raw = data[pos + 4:pos + 4 + ln]
        out[fid] = raw if ftype == 3 else raw.decode(errors="replace")
        pos += 4 + ln
    return out, pos

def parse_list(data, alerts):
    items, pos = [], 2
    for _ in range(int.from_bytes(data[0:2], "big")):
        kind = None
        if alerts:
            kind, pos = int.from_bytes(data[pos:pos + 2], "big"), pos + 2
        ln = int.from_bytes(data[pos:pos + 2], "big")
        rec, _ = parse_record(data, pos + 2)
        pos += 2 + ln
        items.append((kind, rec) if alerts else rec)
    return items

class Checks:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def __call__(self, cond, what):
        if cond: self.passed += 1; print("ok:", what, flush=True)
        else: self.failed += 1; print("FAIL:", what, flush=True)
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

def free_port(kind=socket.SOCK_STREAM):
    """A port free for both TCP and UDP on 127.0.0.1 (checked, not reserved)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as a:
            a.bind(("127.0.0.1", 0)); port = a.getsockname()[1]
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as b: b.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue

def same_tree(a_root, b_root, files):
    return all(os.path.exists(os.path.join(b_root, r)) and filecmp.cmp(os.path.join(a_root, r), os.path.join(b_root, r), shallow=False)
               for r in files)
