# SPDX-License-Identifier: MIT
"""ctypes access to libtorrentxt.so for the interop scripts: records, alert drains, settings."""
import ctypes

class Btx:
    def __init__(self, path):
        b = self.lib = ctypes.CDLL(path)
        P, I, C = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p
        for name, args in {
            "btx_set_str": [I, C, C], "btx_set_bool": [I, C, I], "btx_set_int": [I, C, C],
            "btx_pop_alerts": [I, P, I], "btx_dht_state": [I, P, I], "btx_dht_save_state": [I, P, I],
            "btx_dht_load_state": [I, C, I], "btx_dht_announce": [I, C, I], "btx_dht_add_bootstrap": [I, C, I],
            "btx_dht_put_immutable": [I, C, I, P, I], "btx_dht_get_immutable": [I, C],
            "btx_dht_put_mutable": [I, C, C, C, C, I], "btx_dht_get_mutable": [I, C, C],
            "btx_dht_keypair": [C, P, I], "btx_add_magnet": [I, C, C], "btx_torrent_status": [I, P, I],
            "btx_last_error": [P, I], "btx_listen_port": [I],
        }.items():
            getattr(b, name).argtypes = args

    def __getattr__(self, name):
        return getattr(self.lib, name)

    def buffer(self, fn, *args, cap=65536):
        buf = ctypes.create_string_buffer(cap)
        n = fn(*args, buf, cap)
        return buf.raw[:n] if n > 0 else b""

    @staticmethod
    def record(data, pos=0):
        count, pos = int.from_bytes(data[pos:pos + 2], "big"), pos + 2
        out = {}
        for _ in range(count):
            fid, ftype, ln = data[pos], data[pos + 1], int.from_bytes(data[pos + 2:pos + 4], "big")
            raw = data[pos + 4:pos + 4 + ln]
            out[fid] = raw if ftype == 3 else raw.decode(errors="replace")
            pos += 4 + ln
        return out

    def alerts(self, s):
        buf = ctypes.create_string_buffer(1 << 20)
        n = self.lib.btx_pop_alerts(s, buf, 1 << 20)  # a drain returns the record count
        out = []
        if n <= 0: return out
        data = buf.raw
        count, pos = int.from_bytes(data[0:2], "big"), 2
        for _ in range(count):
            code, ln = int.from_bytes(data[pos:pos + 2], "big"), int.from_bytes(data[pos + 2:pos + 4], "big")
            out.append((code, self.record(data, pos + 4)))
            pos += 4 + ln
        return out

    def last_error(self):
        return self.buffer(self.lib.btx_last_error).decode()
