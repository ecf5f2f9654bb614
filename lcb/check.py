#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Static checker for the OpenXTalk binding: lcb/torrent.lcb and lcb/torrent-helpers.livecodescript.

There is no headless LiveCode Builder compiler, so this is the binding's compile step: it
checks the binding against the library and the specification it must follow.

    python3 lcb/check.py                        check the repository's binding
    python3 lcb/check.py --lcb F --helpers F    check other files (the self-tests do this)
    python3 lcb/check.py --symbols FILE         exported symbols from a file (one per line)
                                                instead of nm -D on the library

Rules (each FAIL line names its rule):
  foreign.symbol     every foreign handler's btx_* symbol is exported by libtorrentxt.so (nm -D)
  foreign.binding    binds to "c:torrentxt>btx_<name>!cdecl", handler named _btx_<name>, private;
                     the only other foreign handlers are the 5 engine builtins
  foreign.types      parameter and return types correspond to the prototype in btx_abi.h:
                     CInt<->int, ZStringUTF8<->const char *, Pointer<->void */const void */char *,
                     returns nothing<->void; parameters are "in"
  foreign.coverage   all 68 btx_* functions bound exactly once; 73 foreign handlers in all
  public.seed        every public bt* handler of seed-api-reference.txt exists, with the documented
                     parameters (names, count, order, types, return type) where the reference has
                     a signature line, and with the argument count its usage examples pass
  public.abi         each public handler reaches (directly or through other handlers) the ABI
                     functions the contract's Appendix B names for it
  helpers            the helper stack is named as the seed reference's 'start using stack "..."'
                     says, and defines btStartPolling, btStopPolling, btTorrentPollOnce,
                     btFormatBytes, btStateName with the documented parameters
  consts.record      every kField*/kAlert*/kType*/kFlag* constant and kABIVersion equals
                     btx_record.h / btx_abi.h; every BTX_F_*, BTX_A_*, BTX_T_* has its constant
  consts.order       constants declared once, before any use; no undeclared k* constant is used
  keys               every script key of the field registry and every alert name is present, and a
                     kField/kAlert constant paired with a key string gets the right one
  blocks             handler/end handler, if/end if, repeat/end repeat, unsafe/end unsafe balance
  unsafe             foreign (and unsafe) handlers are called only from unsafe context
  arity              calls to handlers of the file pass as many arguments as they declare
  ascii              no smart quotes or other non-ASCII characters in code or string literals
  reserved           no identifier is spelled like an LCB or xTalk reserved word (any case)
  vars               LCB variables declared at the top of their handler before any use; every
                     t*/p*/r*/x*/s* name used is a declared variable, parameter or module variable
Ends with "lcb: N passed, N failed"; exit status 1 on any failure. Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # no __pycache__ left in lcb/
sys.path.insert(0, HERE)

import refdata  # noqa: E402
from lcbmodel import LcbModel, ScriptModel, calls_in  # noqa: E402
from lcbsource import lex  # noqa: E402
from reserved import is_reserved  # noqa: E402

ROOT = os.path.dirname(HERE)
ENGINE_BUILTINS = ("MCStringDecode", "MCMemoryAllocate", "MCMemoryDeallocate", "MCDataCreateWithBytes",
                   "MCDataGetBytePtr")
LCB_TO_C = {"cint": {"int"}, "zstringutf8": {"const char *"}, "pointer": {"void *", "const void *", "char *"}}
LCB_RET_TO_C = {"cint": "int", "nothing": "void"}
BINDING_RE = re.compile(r"c:torrentxt>(btx_\w+)!cdecl")


def default_shared():
    for cand in (os.environ.get("BTX_SHARED", ""), os.path.join(os.path.dirname(ROOT), "shared"),
                 "/work/shared"):
        if cand and os.path.isfile(os.path.join(cand, "abi-contract.md")):
            return cand
    return os.path.join(os.path.dirname(ROOT), "shared")


class Report:
    def __init__(self):
        self.passed = 0
        self.failures = []          # (rule, path, line, message)

    def check(self, ok, rule, path, line, message):
        if ok:
            self.passed += 1
        else:
            self.failures.append((rule, path, line, message))
        return ok

    def rules_failed(self):
        return {f[0] for f in self.failures}


def exported_symbols(lib, symbols_file):
    if symbols_file:
        with open(symbols_file) as f:
            return {ln.strip() for ln in f if ln.strip()}, None
    if not os.path.isfile(lib):
        return None, "library not found: %s" % lib
    try:
        out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return None, "nm -D failed on %s: %s" % (lib, e)
    syms = set()
    for ln in out.splitlines():
        parts = ln.split()
        if len(parts) >= 3 and parts[1] in "TtWi":
            syms.add(parts[2].split("@")[0])
    return syms, None


class Checker:
    def __init__(self, args):
        self.a = args
        self.r = Report()
        shared = args.shared
        with open(os.path.join(args.include, "btx_abi.h")) as f:
            self.protos, self.abi_version = refdata.parse_abi_header(f.read())
        with open(os.path.join(args.include, "btx_record.h")) as f:
            self.rec = refdata.parse_record_header(f.read())
        with open(args.seed or os.path.join(shared, "seed-api-reference.txt"), encoding="utf-8") as f:
            self.seed = refdata.Seed(f.read())
        with open(args.contract or os.path.join(shared, "abi-contract.md"), encoding="utf-8") as f:
            self.contract = refdata.Contract(f.read())

    def ck(self, ok, rule, path, line, msg):
        return self.r.check(ok, rule, path, line, msg)

    # ---- entry ---------------------------------------------------------------------------------

    def run(self):
        lcb_path, helpers_path = self.a.lcb, self.a.helpers
        if not self.ck(os.path.isfile(lcb_path), "files", lcb_path, 0, "the binding file is missing"):
            return self.r
        with open(lcb_path, encoding="utf-8", errors="replace") as f:
            lcb_lexed = lex(f.read(), "lcb", lcb_path)
        lcb = LcbModel(lcb_lexed)
        script = None
        if self.ck(os.path.isfile(helpers_path), "files", helpers_path, 0, "the helper stack file is missing"):
            with open(helpers_path, encoding="utf-8", errors="replace") as f:
                script = ScriptModel(lex(f.read(), "script", helpers_path))
        self.lcb_path, self.helpers_path = lcb_path, helpers_path
        self.lexical(lcb_lexed, lcb.problems)
        if script is not None:
            self.lexical(script.lexed, script.problems)
        self.foreign(lcb)
        self.public(lcb)
        self.appendix_b(lcb)
        self.constants(lcb)
        self.keys(lcb)
        self.handler_bodies(lcb)
        self.reserved_lcb(lcb)
        if script is not None:
            self.helpers(script)
            self.script_rules(script)
        return self.r

    # ---- lexical, blocks -------------------------------------------------------------------------

    def lexical(self, lexed, problems):
        path = lexed.path
        for line, col, ch in lexed.non_ascii:
            self.ck(False, "ascii", path, line, "non-ASCII character U+%04X %r at column %d" % (ord(ch), ch, col + 1))
        self.ck(not lexed.non_ascii, "ascii", path, 0, "the file is plain ASCII outside comments")
        for line in lexed.unterminated:
            self.ck(False, "syntax", path, line, "string literal not closed on its line")
        for p in problems:
            self.ck(False, p.rule, path, p.line, p.message)
        self.ck(not any(p.rule == "blocks" for p in problems), "blocks", path, 0, "every block is balanced")

    # ---- foreign handlers ------------------------------------------------------------------------

    def foreign(self, lcb):
        path = self.lcb_path
        syms, err = exported_symbols(self.a.lib, self.a.symbols)
        self.ck(syms is not None, "foreign.symbol", path, 0, err or "")
        bound = {}
        builtins = []
        for fh in lcb.foreign:
            b = fh.binding or ""
            bm = BINDING_RE.fullmatch(b)
            if not bm:
                if fh.name in ENGINE_BUILTINS and "torrentxt" not in b:
                    builtins.append(fh)
                    self.ck(fh.visibility == "private", "foreign.binding", path, fh.line,
                            "foreign handler %s must be private" % fh.name)
                    continue
                self.ck(False, "foreign.binding", path, fh.line,
                        "foreign handler %s binds to %r: expected \"c:torrentxt>btx_<name>!cdecl\" "
                        "(or one of the engine builtins %s)" % (fh.name, b, ", ".join(ENGINE_BUILTINS)))
                continue
            sym = bm.group(1)
            bound.setdefault(sym, []).append(fh)
            self.ck(fh.name == "_" + sym, "foreign.binding", path, fh.line,
                    "foreign handler %s binds %s: its name must be _%s" % (fh.name, sym, sym))
            self.ck(fh.visibility == "private", "foreign.binding", path, fh.line,
                    "foreign handler %s must be private" % fh.name)
            if syms is not None:
                self.ck(sym in syms, "foreign.symbol", path, fh.line,
                        "%s is not exported by %s" % (sym, self.a.symbols or self.a.lib))
            proto = self.protos.get(sym)
            if not self.ck(proto is not None, "foreign.coverage", path, fh.line,
                           "%s is not declared in include/btx_abi.h" % sym):
                continue
            self.types(fh, proto)
        for sym in sorted(self.protos):
            n = len(bound.get(sym, []))
            lines = ", ".join(str(fh.line) for fh in bound.get(sym, []))
            self.ck(n == 1, "foreign.coverage", path, bound[sym][0].line if n else 0,
                    "%s is bound %d times%s (must be exactly once)" % (sym, n, " (lines %s)" % lines if n else ""))
        names = [b.name for b in builtins]
        for b in ENGINE_BUILTINS:
            self.ck(names.count(b) == 1, "foreign.coverage", path, 0,
                    "engine builtin %s declared %d times (expected once)" % (b, names.count(b)))
        self.ck(len(lcb.foreign) == len(self.protos) + len(ENGINE_BUILTINS), "foreign.coverage", path, 0,
                "%d foreign handlers; expected %d (one per btx_* function) + %d engine builtins"
                % (len(lcb.foreign), len(self.protos), len(ENGINE_BUILTINS)))

    def types(self, fh, proto):
        path = self.lcb_path
        ok = self.ck(len(fh.params) == len(proto.params), "foreign.types", path, fh.line,
                     "%s declares %d parameters; btx_abi.h has %d" % (fh.name, len(fh.params), len(proto.params)))
        if ok:
            for i, (p, (ctype, cname)) in enumerate(zip(fh.params, proto.params), 1):
                lt = re.sub(r"^optional\s+", "", p.type).lower()
                self.ck(p.mode == "in", "foreign.types", path, fh.line,
                        "%s parameter %d (%s) is '%s'; every ABI parameter is passed by value ('in')"
                        % (fh.name, i, p.name, p.mode))
                self.ck(ctype in LCB_TO_C.get(lt, set()), "foreign.types", path, fh.line,
                        "%s parameter %d (%s as %s) does not correspond to C '%s %s'"
                        % (fh.name, i, p.name, p.type or "<no type>", ctype, cname))
        want = proto.ret
        got = LCB_RET_TO_C.get(fh.ret.lower()) if fh.ret else None
        self.ck(got == want, "foreign.types", path, fh.line,
                "%s returns %s; btx_abi.h returns %s (expected 'returns %s')"
                % (fh.name, fh.ret or "<no returns clause>", want, "CInt" if want == "int" else "nothing"))

    # ---- public handlers -------------------------------------------------------------------------

    def public(self, lcb):
        path = self.lcb_path
        pub = {h.name.lower(): h for h in lcb.handlers if h.public}
        for name in self.seed.library_names:
            h = pub.get(name.lower())
            if not self.ck(h is not None, "public.seed", path, 0,
                           "public handler %s (seed reference line %d) is missing"
                           % (name, self.seed.first_line.get(name, 0))):
                continue
            self.ck(h.name == name, "public.seed", path, h.line, "handler %s is spelled %s in the seed reference"
                    % (h.name, name))
            sig = self.seed.sigs.get(name)
            if sig is not None:
                want = [(p[1], p[2]) for p in sig.params]
                got = [(p.name, p.type) for p in h.params]
                same = len(want) == len(got) and all(
                    w[0].lower() == g[0].lower() and w[1].lower() == g[1].lower() for w, g in zip(want, got))
                self.ck(same, "public.seed", path, h.line,
                        "%s(%s): the seed reference (line %d) documents (%s)"
                        % (name, ", ".join("%s as %s" % (g[0], g[1] or "?") for g in got), sig.line,
                           ", ".join("%s as %s" % w for w in want)))
                self.ck(all(p.mode == "in" for p in h.params), "public.seed", path, h.line,
                        "%s: every documented parameter is 'in'" % name)
                if sig.ret:
                    self.ck(h.ret.lower() == sig.ret.lower(), "public.seed", path, h.line,
                            "%s returns %s; the seed reference documents %s" % (name, h.ret or "nothing", sig.ret))
            for count, line in sorted(self.seed.usage_counts.get(name, {}).items()):
                self.ck(len(h.params) == count, "public.seed", path, h.line,
                        "%s takes %d parameters; the seed reference's usage example (line %d) passes %d"
                        % (name, len(h.params), line, count))
        documented = {n.lower() for n in self.seed.library_names}
        extra = [h for h in pub.values() if h.name.lower() not in documented]
        for h in extra:
            self.ck(False, "public.seed", path, h.line,
                    "public handler %s is not in the seed reference (make it private or document it)" % h.name)
        self.ck(not extra, "public.seed", path, 0, "no undocumented public handlers")

    def appendix_b(self, lcb):
        path = self.lcb_path
        by_name = {h.name.lower(): h for h in lcb.handlers}
        sym_of = {}
        for fh in lcb.foreign:
            bm = BINDING_RE.fullmatch(fh.binding or "")
            if bm:
                sym_of[fh.name.lower()] = bm.group(1)
        callable_names = set(by_name) | set(sym_of)
        edges = {}
        for h in lcb.handlers:
            out = set()
            for bs in h.body:
                for ident, _ in bs.stmt.idents():
                    if ident.lower() in callable_names:
                        out.add(ident.lower())
            edges[h.name.lower()] = out

        def reach(start):
            seen, todo, syms = set(), [start], set()
            while todo:
                n = todo.pop()
                if n in seen:
                    continue
                seen.add(n)
                if n in sym_of:
                    syms.add(sym_of[n])
                todo.extend(edges.get(n, ()))
            return syms

        for handler, funcs in self.contract.appendix_b:
            h = by_name.get(handler.lower())
            if h is None:
                continue        # reported by public.seed
            got = reach(h.name.lower())
            missing = [f for f in funcs if f not in got]
            self.ck(not missing, "public.abi", path, h.line,
                    "%s never calls %s (the contract's Appendix B maps it there)" % (h.name, ", ".join(missing)))

    # ---- constants and keys ------------------------------------------------------------------------

    def constants(self, lcb):
        path = self.lcb_path
        decl = {}
        for c in lcb.consts:
            prev = decl.get(c.name.lower())
            self.ck(prev is None, "consts.order", path, c.line,
                    "constant %s declared again (first on line %d)" % (c.name, prev.line if prev else 0))
            decl.setdefault(c.name.lower(), c)
        # uses anywhere in the file
        first_use = {}
        for st in lcb.lexed.stmts:
            is_decl = re.match(r"((public|private)\s+)?constant\s+([A-Za-z_][\w.]*)", st.code)
            own = is_decl.group(3).lower() if is_decl else None
            for ident, _ in st.idents():
                if re.match(r"k[A-Z]", ident) and ident.lower() != own:
                    first_use.setdefault(ident.lower(), (ident, st.line))
        for key, (ident, line) in sorted(first_use.items(), key=lambda kv: kv[1][1]):
            c = decl.get(key)
            if not self.ck(c is not None, "consts.order", path, line, "constant %s is used but never declared" % ident):
                continue
            self.ck(c.line < line, "consts.order", path, line,
                    "constant %s is used before its declaration on line %d" % (ident, c.line))
        # values against the headers
        tables = (("kfield", "F", "field id"), ("kalert", "A", "alert code"), ("ktype", "T", "value type"),
                  ("kflag", "TF", "torrent flag"))
        have = {"F": set(), "A": set(), "T": set()}
        for c in lcb.consts:
            low = c.name.lower()
            if low == "kabiversion":
                self.ck(c.value == self.abi_version, "consts.record", path, c.line,
                        "kABIVersion is %r; BTX_ABI_VERSION is %d" % (c.value, self.abi_version))
                continue
            for prefix, table, what in tables:
                if not low.startswith(prefix):
                    continue
                suffix = low[len(prefix):].replace("_", "")
                match = [k for k in self.rec[table] if refdata.camel(k).lower() == suffix]
                if not self.ck(bool(match), "consts.record", path, c.line,
                               "%s names no %s in btx_record.h (expected k%s + the CamelCased BTX_%s_* name)"
                               % (c.name, what, prefix[1:].title(), table)):
                    break
                want = self.rec[table][match[0]]
                self.ck(c.value == want, "consts.record", path, c.line,
                        "%s is %s; BTX_%s_%s is %d" % (c.name, c.expr, table, match[0], want))
                if table in have:
                    have[table].add(match[0])
                break
        for table, prefix in (("F", "kField"), ("A", "kAlert"), ("T", "kType")):
            for name in sorted(self.rec[table], key=lambda k: self.rec[table][k]):
                self.ck(name in have[table], "consts.record", path, 0,
                        "no constant %s%s for BTX_%s_%s (%d)" % (prefix, refdata.camel(name), table, name,
                                                                 self.rec[table][name]))
        self.ck("kabiversion" in decl, "consts.record", path, 0, "no constant kABIVersion")

    def keys(self, lcb):
        path = self.lcb_path
        literals = set()
        for st in lcb.lexed.stmts:
            literals.update(st.strings)
        for fid, (fname, _t, key) in sorted(self.contract.fields.items()):
            self.ck(key in literals, "keys", path, 0,
                    "script key \"%s\" of field %d (%s) never appears as a string literal" % (key, fid, fname))
        for code, name in sorted(self.contract.alerts.items()):
            self.ck(name in literals, "keys", path, 0,
                    "alert name \"%s\" (code %d) never appears as a string literal" % (name, code))
        self.ck("torrentEvent" in literals, "keys", path, 0,
                "the name \"torrentEvent\" for unknown alert codes never appears")
        if self.contract.abi_mismatch_text:
            self.ck(self.contract.abi_mismatch_text in literals, "keys", path, 0,
                    "the ABI-mismatch error text of the contract (section 0) is not used verbatim")
        # pairings: a kField/kAlert constant and a key string on one line, or a constant on an
        # "if" line and the string on the next line
        key_of_field = {}
        for fid, (fname, _t, key) in self.contract.fields.items():
            key_of_field["kfield" + refdata.camel(fname[2:]).lower()] = key
        name_of_alert = {}
        code_to_rec = {v: k for k, v in self.rec["A"].items()}
        for code, name in self.contract.alerts.items():
            if code in code_to_rec:
                name_of_alert["kalert" + refdata.camel(code_to_rec[code]).lower()] = name
        expected = dict(key_of_field)
        expected.update(name_of_alert)
        known = set(expected.values())
        stmts = lcb.lexed.stmts
        for i, st in enumerate(stmts):
            consts = [c for c, _ in st.idents() if c.lower() in expected]
            if len(consts) != 1:
                continue
            strs = [s for s in st.strings if s in known]
            src = st
            if not strs and st.code.startswith(("if ", "else if ")) and i + 1 < len(stmts):
                src = stmts[i + 1]
                strs = [s for s in src.strings if s in known]
            if len(strs) != 1:
                continue
            want = expected[consts[0].lower()]
            self.ck(strs[0] == want, "keys", path, src.line,
                    "%s is paired with \"%s\"; the contract's key for it is \"%s\"" % (consts[0], strs[0], want))

    # ---- handler bodies ----------------------------------------------------------------------------

    def handler_bodies(self, lcb):
        path = self.lcb_path
        all_handlers = {h.name.lower(): h for h in lcb.handlers}
        foreign = {f.name.lower(): f for f in lcb.foreign}
        module_vars = lcb.module_vars
        consts = {c.name.lower() for c in lcb.consts}
        for h in lcb.handlers:
            params = {p.name.lower() for p in h.params}
            local = {}
            started = False
            for bs in h.body:
                st = bs.stmt
                code = st.code
                vm = re.match(r"variable\s+([A-Za-z_][\w.]*)", code)
                if vm:
                    name = vm.group(1)
                    self.ck(not started and bs.depth == 0, "vars", path, st.line,
                            "variable %s in %s is declared after other statements; declare every variable "
                            "at the top of the handler" % (name, h.name))
                    self.ck(name.lower() not in local and name.lower() not in params, "vars", path, st.line,
                            "variable %s declared twice in %s" % (name, h.name))
                    self.ck(not is_reserved(name), "reserved", path, st.line,
                            "variable %s is spelled like the reserved word '%s'" % (name, name.lower()))
                    local[name.lower()] = st.line
                    continue
                if not code.startswith("end ") and code not in ("unsafe",):
                    started = True
                known = set(local) | params | set(module_vars) | consts
                for ident, _ in st.idents():
                    low = ident.lower()
                    if re.match(r"[tprxsm][A-Z]", ident) and low not in all_handlers and low not in foreign:
                        self.ck(low in known, "vars", path, st.line,
                                "%s in %s is not a declared variable, parameter or module variable"
                                % (ident, h.name))
                for target in self._assigned(code):
                    low = target.lower()
                    self.ck(low in known or low in ("it", "the"), "vars", path, st.line,
                            "%s in %s is assigned but never declared" % (target, h.name))
                for name, args in calls_in(st):
                    low = name.lower()
                    callee = foreign.get(low) or all_handlers.get(low)
                    if callee is None:
                        continue
                    unsafe_callee = low in foreign or getattr(callee, "unsafe", False)
                    if unsafe_callee:
                        self.ck(bs.unsafe, "unsafe", path, st.line,
                                "%s calls %s outside an unsafe block (foreign handlers are unsafe)"
                                % (h.name, name))
                    self.ck(len(args) == len(callee.params), "arity", path, st.line,
                            "%s(...) is called with %d arguments; it declares %d"
                            % (name, len(args), len(callee.params)))

    @staticmethod
    def _assigned(code):
        out = []
        m = re.search(r"\binto\s+([A-Za-z_]\w*)\s*(\[|$)", code)
        if m:
            out.append(m.group(1))
        m = re.match(r"repeat\s+for\s+each\s+\w+\s+([A-Za-z_]\w*)\s+in\b", code)
        if m:
            out.append(m.group(1))
        m = re.match(r"repeat\s+with\s+([A-Za-z_]\w*)\s*(from\b|=)", code)
        if m:
            out.append(m.group(1))
        m = re.match(r"catch\s+([A-Za-z_]\w*)$", code)
        if m:
            out.append(m.group(1))
        return out

    def reserved_lcb(self, lcb):
        path = self.lcb_path
        names = []
        for h in lcb.handlers:
            names.append((h.name, h.line, "handler"))
            names += [(p.name, h.line, "parameter of %s" % h.name) for p in h.params]
        for f in lcb.foreign:
            names.append((f.name, f.line, "foreign handler"))
            names += [(p.name, f.line, "parameter of %s" % f.name) for p in f.params]
        names += [(c.name, c.line, "constant") for c in lcb.consts]
        names += [(n, line, "module variable") for n, line in lcb.module_vars.values()]
        for name, line, what in names:
            self.ck(not is_reserved(name), "reserved", path, line,
                    "%s %s is spelled like the reserved word '%s'" % (what, name, name.lower()))

    # ---- the helper stack --------------------------------------------------------------------------

    def helpers(self, script):
        path = self.helpers_path
        self.ck(script.stack_name is not None, "helpers", path, 1,
                "the helper stack does not start with script \"<name>\"")
        if script.stack_name is not None and self.seed.helper_stack_names:
            self.ck(script.stack_name in self.seed.helper_stack_names, "helpers", path, script.stack_line,
                    "the stack is named \"%s\", but the seed reference tells apps to %s"
                    % (script.stack_name, " / ".join('start using stack "%s"' % n for n in self.seed.helper_stack_names)))
        by_name = {h.name.lower(): h for h in script.handlers}
        for name in self.seed.helpers:
            kind, params = self.seed.helper_sigs.get(name, (None, None))
            h = by_name.get(name.lower())
            if not self.ck(h is not None, "helpers", path, 0, "helper %s is missing" % name):
                continue
            if kind == "function":
                self.ck(h.kind == "function", "helpers", path, h.line, "%s must be a function handler" % name)
            elif kind == "command":
                self.ck(h.kind in ("on", "command"), "helpers", path, h.line, "%s must be a command (on) handler" % name)
            if params is not None:
                got = [p.name for p in h.params]
                self.ck([g.lower() for g in got] == [p.lower() for p in params], "helpers", path, h.line,
                        "%s takes (%s); the seed reference documents (%s)" % (name, ", ".join(got), ", ".join(params)))

    def script_rules(self, script):
        path = self.helpers_path
        decl_consts = {}
        for c in script.consts:
            prev = decl_consts.get(c.name.lower())
            self.ck(prev is None, "consts.order", path, c.line, "constant %s declared again" % c.name)
            decl_consts.setdefault(c.name.lower(), c)
            self.ck(not is_reserved(c.name), "reserved", path, c.line, "constant %s is spelled like a reserved word"
                    % c.name)
        for name, line in script.locals:
            self.ck(not is_reserved(name), "reserved", path, line,
                    "variable %s is spelled like the reserved word '%s'" % (name, name.lower()))
        for st in script.lexed.stmts:
            own = None
            m = re.match(r"constant\s+([A-Za-z_]\w*)", st.code, re.I)
            if m:
                own = m.group(1).lower()
            for ident, _ in st.idents():
                if re.match(r"k[A-Z]", ident) and ident.lower() != own:
                    c = decl_consts.get(ident.lower())
                    if self.ck(c is not None, "consts.order", path, st.line,
                               "constant %s is used but not declared in the helper stack (LCB constants are not "
                               "visible to script; an undeclared name is a literal string)" % ident):
                        self.ck(c.line < st.line, "consts.order", path, st.line,
                                "constant %s is used before its declaration on line %d" % (ident, c.line))
        for h in script.handlers:
            self.ck(not is_reserved(h.name), "reserved", path, h.line, "handler %s is a reserved word" % h.name)
            for p in h.params:
                self.ck(not is_reserved(p.name), "reserved", path, h.line,
                        "parameter %s of %s is spelled like the reserved word '%s'" % (p.name, h.name, p.name.lower()))
            for bs in h.body:
                code = bs.stmt.code
                for target in self._assigned(code):
                    self.ck(not is_reserved(target), "reserved", path, bs.stmt.line,
                            "variable %s in %s is spelled like the reserved word '%s'" % (target, h.name, target.lower()))
                m = re.match(r"(local|global)\s+(.+)$", code, re.I)
                if m:
                    for part in m.group(2).split(","):
                        nm = re.match(r"\s*([A-Za-z_]\w*)", part)
                        if nm:
                            self.ck(not is_reserved(nm.group(1)), "reserved", path, bs.stmt.line,
                                    "variable %s in %s is spelled like the reserved word '%s'"
                                    % (nm.group(1), h.name, nm.group(1).lower()))


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lcb", default=os.path.join(HERE, "torrent.lcb"))
    ap.add_argument("--helpers", default=os.path.join(HERE, "torrent-helpers.livecodescript"))
    ap.add_argument("--lib", default=os.path.join(ROOT, "dist", "linux-x64", "libtorrentxt.so"))
    ap.add_argument("--symbols", default=None, help="file of exported symbol names (instead of nm -D --lib)")
    ap.add_argument("--include", default=os.path.join(ROOT, "include"))
    ap.add_argument("--shared", default=default_shared(), help="folder with abi-contract.md and seed-api-reference.txt")
    ap.add_argument("--seed", default=None)
    ap.add_argument("--contract", default=None)
    ap.add_argument("--quiet", action="store_true", help="print only the summary line")
    ap.add_argument("--label", default="lcb", help="the summary line's prefix (default: lcb)")
    return ap.parse_args(argv)


def run(argv):
    """Runs every rule; returns the Report (the self-tests call this)."""
    return Checker(parse_args(argv)).run()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    report = Checker(args).run()
    if not args.quiet:
        for rule, path, line, msg in report.failures:
            print("FAIL [%s] %s:%d: %s" % (rule, os.path.relpath(path, ROOT) if os.path.isabs(path) else path,
                                           line, msg))
    print("%s: %d passed, %d failed" % (args.label, report.passed, len(report.failures)))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
