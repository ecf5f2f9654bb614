# SPDX-License-Identifier: MIT
"""The reference facts the binding is checked against, parsed from the project's own sources
so the checker never carries a second copy that could drift:

  include/btx_abi.h              the 68 prototypes (return and parameter C types), BTX_ABI_VERSION
  include/btx_record.h           field ids (BTX_F_*), alert codes (BTX_A_*), value types
                                 (BTX_T_*), torrent flags (BTX_TF_*)
  seed-api-reference.txt         the public bt* handlers: signature lines, usage examples, the
                                 helper-stack table
  abi-contract.md                Appendix B (script handler -> ABI functions), the field
                                 registry (id -> script key), the alert table (code -> name),
                                 the ABI-mismatch error text
Standard library only.
"""

import re

from lcbsource import matching_paren, split_top_level


class RefError(Exception):
    """A reference file does not have the shape the checker relies on."""


def norm_ctype(t):
    """'const  char*' -> 'const char *'."""
    t = re.sub(r"\s*\*\s*", " * ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t


def camel(upper_snake):
    """DOWNLOAD_RATE -> DownloadRate; INFO_HASH_V1 -> InfoHashV1."""
    return "".join(p[:1].upper() + p[1:].lower() for p in upper_snake.split("_") if p)


# ---- include/btx_abi.h -----------------------------------------------------------------------

class Proto:
    def __init__(self, name, ret, params):
        self.name = name
        self.ret = ret              # normalised C type
        self.params = params        # [(ctype, name)]


def parse_abi_header(text):
    protos = {}
    for m in re.finditer(r"BTX_API\s+([^;{}]+?)\s+BTX_CALL\s+(btx_\w+)\s*\(([^)]*)\)\s*;", text, re.S):
        ret = norm_ctype(m.group(1))
        plist = " ".join(m.group(3).split())
        params = []
        if plist not in ("", "void"):
            for p in plist.split(","):
                pm = re.match(r"(.*?)([A-Za-z_]\w*)\s*$", p.strip())
                if not pm:
                    raise RefError("cannot parse parameter %r of %s" % (p, m.group(2)))
                params.append((norm_ctype(pm.group(1)), pm.group(2)))
        protos[m.group(2)] = Proto(m.group(2), ret, params)
    vm = re.search(r"#define\s+BTX_ABI_VERSION\s+(\d+)", text)
    if not protos or not vm:
        raise RefError("btx_abi.h: no prototypes or no BTX_ABI_VERSION")
    return protos, int(vm.group(1))


# ---- include/btx_record.h --------------------------------------------------------------------

def parse_record_header(text):
    """{'F': {'DOWNLOAD_RATE': 4, ...}, 'A': {...}, 'T': {...}, 'TF': {...}}"""
    out = {"F": {}, "A": {}, "T": {}, "TF": {}}
    for m in re.finditer(r"^#define\s+BTX_(F|A|T|TF)_(\w+)\s+(0x[0-9A-Fa-f]+|\d+)L?\b", text, re.M):
        out[m.group(1)][m.group(2)] = int(m.group(3), 0)
    if len(out["F"]) < 10 or len(out["A"]) < 10 or len(out["T"]) != 5:
        raise RefError("btx_record.h: field/alert/type tables not found")
    return out


# ---- seed-api-reference.txt ----------------------------------------------------------------

class SeedSig:
    def __init__(self, name, params, ret, line):
        self.name = name
        self.params = params        # [(mode, name, type)]
        self.ret = ret
        self.line = line


HELPER_HANDLERS = ("btStartPolling", "btStopPolling", "btTorrentPollOnce", "btFormatBytes", "btStateName")


def _parse_params(s):
    out = []
    for p in split_top_level(s):
        pm = re.match(r"(in|out|inout)\s+(\w+)(?:\s+as\s+(.+))?$", p.strip())
        if not pm:
            return None
        out.append((pm.group(1), pm.group(2), (pm.group(3) or "").strip()))
    return out


class Seed:
    def __init__(self, text):
        lines = text.split("\n")
        tokens = set(re.findall(r"\bbt[A-Z]\w*", text))
        # The reference is flattened HTML: some names are glued to the next word
        # ("btStartSessionthenput"). A token that is another token plus a lower-case tail is glue.
        self.glue = {}
        for t in tokens:
            for other in tokens:
                if other != t and t.startswith(other) and re.fullmatch(r"[a-z]+", t[len(other):]):
                    if len(other) > len(self.glue.get(t, "")):
                        self.glue[t] = other
        self.names = sorted(t for t in tokens if t not in self.glue)
        self.helpers = [h for h in HELPER_HANDLERS if h in self.names]
        self.library_names = [t for t in self.names if t not in HELPER_HANDLERS]
        self.first_line = {}
        for no, ln in enumerate(lines, 1):
            for t in re.findall(r"\bbt[A-Z]\w*", ln):
                self.first_line.setdefault(self.glue.get(t, t), no)
        self.sigs = self._signatures(lines)
        self.usage_counts = self._usages(lines)
        self.helper_sigs = self._helper_table(lines)
        # the stack name apps are told to put on the message path
        self.helper_stack_names = sorted(set(re.findall(r'start using stack "([^"]+)"', text)))

    def _signatures(self, lines):
        sigs = {}
        for no, ln in enumerate(lines, 1):
            if not re.match(r"bt[A-Z]\w*\(", ln):
                continue
            first = None
            for piece in ln.split("\u00b7"):
                piece = piece.strip()
                m = re.match(r"(bt[A-Z]\w*)\((.*?)\)(?:\s+returns\s+(\w+))?\s*$", piece)
                if not m:
                    continue
                name, plist, ret = m.group(1), m.group(2), m.group(3)
                if plist.strip() == "..." and first is not None:
                    sigs[name] = SeedSig(name, first.params, first.ret, no)
                    continue
                params = _parse_params(plist)
                if params is None:
                    continue
                sig = SeedSig(name, params, ret, no)
                sigs[name] = sig
                if first is None:
                    first = sig
        return sigs

    def _usages(self, lines):
        """name -> {arg count: first line} from the "Usage:" examples that follow each entry."""
        counts = {}
        for no, ln in enumerate(lines, 1):
            if no < 2 or "Usage:" not in lines[no - 2]:
                continue
            m = re.search(r"bt[A-Z]\w*", ln)
            if not m:
                continue
            tok = m.group(0)
            name = self.glue.get(tok, tok)
            if name in HELPER_HANDLERS:
                continue
            rest = tok[len(name):] + ln[m.end():]
            if rest.startswith("("):
                close = matching_paren(rest, 0)
                if close < 0:
                    continue
                args = split_top_level(rest[1:close])
            else:
                # command form: the arguments end at "then" (glued or not), a "(" aside, or the end
                cut = len(rest)
                for stop in ("then", "("):
                    k = rest.find(stop)
                    if k >= 0:
                        cut = min(cut, k)
                arg_text = rest[:cut].strip().rstrip(".").strip()
                args = [a for a in split_top_level(arg_text) if a]
            counts.setdefault(name, {}).setdefault(len(args), no)
        return counts

    def _helper_table(self, lines):
        """name -> (kind, [param names]) or (kind, None) when the table says "(internal)"."""
        out = {}
        for no, ln in enumerate(lines):
            m = re.match(r"(bt[A-Z]\w*) \|$", ln.strip())
            if not m or m.group(1) not in HELPER_HANDLERS or no + 1 >= len(lines):
                continue
            cells = [c.strip() for c in lines[no + 1].split("|")]
            if len(cells) < 2 or cells[0] not in ("command", "function"):
                continue
            sig = cells[1]
            if sig == "(internal)":
                out[m.group(1)] = (cells[0], None)
                continue
            sm = re.match(r"(bt[A-Z]\w*)\s*\(?([^)]*)\)?$", sig)
            if not sm:
                continue
            params = [p.strip() for p in sm.group(2).split(",") if p.strip()]
            out[m.group(1)] = (cells[0], params)
        return out


# ---- abi-contract.md -------------------------------------------------------------------------

class Contract:
    def __init__(self, text):
        self.appendix_b = self._appendix_b(text)
        self.fields = self._fields(text)        # id -> (F_NAME, type, key)
        self.alerts = self._alerts(text)        # code -> script name
        m = re.search(r"error text is `(TorrentXT native library ABI[^`]+)`", text.replace("\n  ", " "))
        self.abi_mismatch_text = m.group(1) if m else None
        if not self.appendix_b or not self.fields or not self.alerts:
            raise RefError("abi-contract.md: Appendix B, field registry or alert table not found")

    @staticmethod
    def _section(text, start_pat, end_pat):
        m = re.search(start_pat, text, re.M)
        if not m:
            return ""
        e = re.search(end_pat, text[m.end():], re.M)
        return text[m.end(): m.end() + e.start()] if e else text[m.end():]

    def _appendix_b(self, text):
        sec = self._section(text, r"^## Appendix B", r"^## Appendix C")
        rules = []      # (handler, [abi functions it must reach])
        for ln in sec.split("\n"):
            cells = [c.strip() for c in ln.strip().strip("|").split("|")]
            if len(cells) != 2 or not cells[0].startswith("bt"):
                continue
            handlers = [h.strip() for h in cells[0].split(",")]
            funcs = re.findall(r"btx_\w+", cells[1])
            if len(handlers) == len(funcs) and len(handlers) > 1:
                rules += [(h, [f]) for h, f in zip(handlers, funcs)]
            else:
                rules += [(h, list(dict.fromkeys(funcs))) for h in handlers]
        return rules

    def _fields(self, text):
        sec = self._section(text, r"^### 3\.7 ", r"^---|^## ")
        out = {}
        for m in re.finditer(r"^\| (\d+) \| (F_\w+) \| (\w+) \| (\w+) \|", sec, re.M):
            out[int(m.group(1))] = (m.group(2), m.group(3), m.group(4))
        return out

    def _alerts(self, text):
        sec = self._section(text, r"^## 5\. Alerts", r"^## 6\.")
        out = {}
        for m in re.finditer(r"^\| (\d+) \| (\w+) \|", sec, re.M):
            out[int(m.group(1))] = m.group(2)
        return out
