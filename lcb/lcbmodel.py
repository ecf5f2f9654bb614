# SPDX-License-Identifier: MIT
"""Structure of the two binding files as the checker sees it: definitions (foreign handlers,
handlers, constants, variables), handler bodies with their block depth and unsafe context, and
the block-balance problems found on the way. Built from lcbsource.lex() output.
Standard library only.
"""

import re

from lcbsource import IDENT_RE, matching_paren, split_top_level


class Param:
    def __init__(self, mode, name, type_):
        self.mode = mode            # in / out / inout (script handlers: "in")
        self.name = name
        self.type = type_           # "" when not given


class BodyStmt:
    def __init__(self, stmt, depth, unsafe):
        self.stmt = stmt
        self.depth = depth          # block depth inside the handler (0 = top level)
        self.unsafe = unsafe        # inside an unsafe block or an unsafe handler


class Handler:
    def __init__(self, name, params, ret, line, public, unsafe, kind="handler"):
        self.name = name
        self.params = params
        self.ret = ret
        self.line = line
        self.public = public
        self.unsafe = unsafe
        self.kind = kind            # handler (LCB) / on, function, command ... (script)
        self.body = []              # [BodyStmt]
        self.end_line = None


class Foreign:
    def __init__(self, name, params, ret, binding, line, visibility, raw):
        self.name = name
        self.params = params
        self.ret = ret              # "" when the returns clause is missing
        self.binding = binding      # the binds-to string, None if missing
        self.line = line
        self.visibility = visibility
        self.raw = raw


class Const:
    def __init__(self, name, expr, value, line):
        self.name = name
        self.expr = expr
        self.value = value          # int, str or None
        self.line = line


class Problem:
    def __init__(self, rule, line, message):
        self.rule = rule
        self.line = line
        self.message = message


def parse_params(text, script=False):
    """LCB: "in pA as CInt, out rB" -> [Param]. Script: "pA, @pB" -> [Param]. None if malformed."""
    params = []
    for p in split_top_level(text):
        p = p.strip()
        if not p:
            return None
        if script:
            m = re.fullmatch(r"@?([A-Za-z_]\w*)", p)
            if not m:
                return None
            params.append(Param("in", m.group(1), ""))
            continue
        m = re.fullmatch(r"(in|out|inout)\s+([A-Za-z_][\w.]*)(?:\s+as\s+(.+))?", p)
        if not m:
            return None
        params.append(Param(m.group(1), m.group(2), (m.group(3) or "").strip()))
    return params


def literal_value(stmt, expr):
    """The value of a constant's expression: int for numbers (also "16" strings of digits),
    str for other strings, None when it is not a plain literal."""
    expr = expr.strip()
    s = stmt.string_at(expr)
    if s is not None:
        return int(s) if re.fullmatch(r"-?\d+", s) else s
    if re.fullmatch(r"-?(0x[0-9A-Fa-f]+|0b[01]+|\d+)", expr):
        neg = expr.startswith("-")
        v = int(expr.lstrip("-"), 0)
        return -v if neg else v
    return None


# ---- LiveCode Builder -----------------------------------------------------------------------

LCB_BLOCKS = ("handler", "if", "repeat", "unsafe", "library", "module", "widget")


class LcbModel:
    def __init__(self, lexed):
        self.lexed = lexed
        self.foreign = []
        self.handlers = []
        self.consts = []
        self.module_vars = {}       # lower name -> (name, line)
        self.problems = []          # block balance and syntax shape
        self._build()

    def _problem(self, rule, line, msg):
        self.problems.append(Problem(rule, line, msg))

    def _build(self):
        stack = []                  # [(kind, line)]
        cur = None                  # the open Handler
        for st in self.lexed.stmts:
            code = st.code
            words = code.split()
            bare = re.sub(r"^(public|private)\s+", "", code)

            m = re.match(r"foreign\s+handler\s+([A-Za-z_][\w.]*)\s*\(", bare)
            if m:
                self._foreign(st, bare, m, code)
                continue
            m = re.match(r"(unsafe\s+)?handler\s+([A-Za-z_][\w.]*)\s*\(", bare)
            if m and not bare.startswith("handler type"):
                if any(k == "handler" for k, _ in stack):
                    self._problem("blocks", st.line, "handler %s starts inside handler %s (line %d) that has no "
                                  "'end handler'" % (m.group(2), cur.name if cur else "?", cur.line if cur else 0))
                close = matching_paren(bare, m.end() - 1)
                params = parse_params(bare[m.end():close]) if close > 0 else None
                if params is None:
                    self._problem("syntax", st.line, "cannot parse the parameter list of handler %s" % m.group(2))
                    params = []
                rm = re.match(r"\s*returns\s+(.+)$", bare[close + 1:]) if close > 0 else None
                cur = Handler(m.group(2), params, rm.group(1).strip() if rm else "", st.line,
                              code.startswith("public"), bool(m.group(1)))
                self.handlers.append(cur)
                stack.append(("handler", st.line))
                continue
            m = re.match(r"constant\s+([A-Za-z_][\w.]*)\s+is\s+(.+)$", bare)
            if m and cur is None:
                self.consts.append(Const(m.group(1), m.group(2), literal_value(st, m.group(2)), st.line))
                continue
            m = re.match(r"variable\s+([A-Za-z_][\w.]*)(\s+as\s+.+)?$", bare)
            if m and cur is None:
                self.module_vars.setdefault(m.group(1).lower(), (m.group(1), st.line))
                continue

            if words and words[0] == "end":
                what = words[1] if len(words) > 1 else ""
                if not stack:
                    self._problem("blocks", st.line, "'end %s' without an open block" % what)
                    continue
                kind, opened = stack[-1]
                if what != kind:
                    self._problem("blocks", st.line, "'end %s' closes the %s opened on line %d" % (what, kind, opened))
                    # recover: pop up to a matching opener if there is one
                    if any(k == what for k, _ in stack):
                        while stack and stack[-1][0] != what:
                            stack.pop()
                        stack.pop()
                else:
                    stack.pop()
                if cur is not None and not any(k == "handler" for k, _ in stack):
                    cur.end_line = st.line
                    cur = None
                continue

            if cur is not None:
                depth = sum(1 for k, _ in stack if k in ("if", "repeat", "unsafe"))
                unsafe = cur.unsafe or any(k == "unsafe" for k, _ in stack)
                cur.body.append(BodyStmt(st, depth, unsafe))

            first = words[0] if words else ""
            if first == "if":
                stack.append(("if", st.line))
                if not re.search(r"\bthen$", code):
                    self._problem("blocks", st.line, "LCB has no single-line if: 'then' must end the line "
                                  "and the block needs 'end if'")
            elif first == "else":
                if not stack or stack[-1][0] != "if":
                    self._problem("blocks", st.line, "'else' outside an if block")
                elif len(words) > 1 and words[1] == "if" and not re.search(r"\bthen$", code):
                    self._problem("blocks", st.line, "'else if' must end with 'then'")
                elif len(words) > 1 and words[1] != "if":
                    self._problem("blocks", st.line, "LCB has no single-line else: put the statement on its own line")
            elif first == "repeat":
                stack.append(("repeat", st.line))
            elif first == "unsafe" and len(words) == 1:
                stack.append(("unsafe", st.line))
            elif first in ("library", "module", "widget") and len(words) == 2:
                stack.append((first, st.line))
        for kind, opened in stack:
            self._problem("blocks", opened, "'%s' opened here is never closed with 'end %s'" % (kind, kind))

    def _foreign(self, st, bare, m, code):
        close = matching_paren(bare, m.end() - 1)
        params = parse_params(bare[m.end():close]) if close > 0 else None
        tail = bare[close + 1:] if close > 0 else ""
        rm = re.match(r"\s*(?:returns\s+(.+?))?\s*binds\s+to\s+(\"#\d+\")\s*$", tail)
        if params is None or not rm:
            self._problem("syntax", st.line, "cannot parse foreign handler %s" % m.group(1))
        ret = (rm.group(1) or "").strip() if rm else ""
        binding = st.string_at(rm.group(2)) if rm else None
        vis = code.split()[0] if code.split()[0] in ("public", "private") else ""
        self.foreign.append(Foreign(m.group(1), params or [], ret, binding, st.line, vis, code))


# ---- LiveCode Script ------------------------------------------------------------------------

SCRIPT_HANDLER_RE = re.compile(r"(?:private\s+)?(on|function|command|getprop|setprop|before|after)\s+([A-Za-z_]\w*)\s*(.*)$",
                               re.I)


class ScriptModel:
    def __init__(self, lexed):
        self.lexed = lexed
        self.handlers = []
        self.consts = []
        self.locals = []            # [(name, line)] script-level local/global declarations
        self.stack_name = None      # from the first line: script "<name>"
        self.stack_line = 0
        self.problems = []
        self._build()

    def _problem(self, rule, line, msg):
        self.problems.append(Problem(rule, line, msg))

    def _build(self):
        stack = []
        cur = None
        last_single_if = False
        for st in self.lexed.stmts:
            code = st.code
            low = code.lower()
            words = low.split()
            first = words[0] if words else ""
            single_if_now = False

            sm = re.match(r'script\s+("#\d+")$', code, re.I)
            if sm and self.stack_name is None and cur is None:
                self.stack_name = st.string_at(sm.group(1))
                self.stack_line = st.line
                continue
            m = SCRIPT_HANDLER_RE.match(code)
            if m and cur is None:
                params = parse_params(m.group(3), script=True) if m.group(3).strip() else []
                if params is None:
                    self._problem("syntax", st.line, "cannot parse the parameters of %s" % m.group(2))
                    params = []
                cur = Handler(m.group(2), params, "", st.line, not low.startswith("private"), False,
                              kind=m.group(1).lower())
                self.handlers.append(cur)
                stack = [("handler:" + m.group(2).lower(), st.line)]
                continue
            if m and cur is not None and first in ("on", "function", "command", "getprop", "setprop"):
                self._problem("blocks", st.line, "handler %s starts inside %s (line %d) that has no 'end %s'"
                              % (m.group(2), cur.name, cur.line, cur.name))
                continue
            cm = re.match(r"constant\s+(.+)$", code, re.I)
            if cm:
                for part in split_top_level(cm.group(1)):
                    pm = re.match(r"([A-Za-z_]\w*)\s*(?:=|\bis\b)\s*(.+)$", part)
                    if pm:
                        self.consts.append(Const(pm.group(1), pm.group(2), literal_value(st, pm.group(2)), st.line))
                if cur is None:
                    continue
            dm = re.match(r"(local|global)\s+(.+)$", code, re.I)
            if dm and cur is None:
                for part in split_top_level(dm.group(2)):
                    nm = re.match(r"([A-Za-z_]\w*)", part)
                    if nm:
                        self.locals.append((nm.group(1), st.line))
                continue

            if cur is not None:
                cur.body.append(BodyStmt(st, len(stack) - 1, False))

            if first == "end":
                what = words[1] if len(words) > 1 else ""
                if not stack:
                    self._problem("blocks", st.line, "'end %s' outside a handler" % what)
                    continue
                kind, opened = stack[-1]
                want = kind.split(":", 1)[1] if kind.startswith("handler:") else kind
                if what != want:
                    self._problem("blocks", st.line, "'end %s' closes the %s opened on line %d" % (what, want, opened))
                    if any((k.split(":", 1)[-1]) == what for k, _ in stack):
                        while stack and stack[-1][0].split(":", 1)[-1] != what:
                            stack.pop()
                        if stack:
                            stack.pop()
                else:
                    stack.pop()
                if cur is not None and not stack:
                    cur.end_line = st.line
                    cur = None
            elif first == "if":
                if re.search(r"\bthen$", low):
                    stack.append(("if", st.line))
                else:
                    single_if_now = True
            elif first == "else":
                rest = low[4:].strip()
                block_head = rest == "" or (rest.startswith("if") and re.search(r"\bthen$", rest))
                if stack and stack[-1][0] == "if":
                    pass            # an else branch of the open block
                elif last_single_if:
                    if block_head:
                        stack.append(("if", st.line))
                    else:
                        single_if_now = True
                else:
                    self._problem("blocks", st.line, "'else' without an if")
            elif first == "repeat":
                stack.append(("repeat", st.line))
            elif first == "switch":
                stack.append(("switch", st.line))
            elif first == "try" and len(words) == 1:
                stack.append(("try", st.line))
            last_single_if = single_if_now
        for kind, opened in stack:
            want = kind.split(":", 1)[-1]
            self._problem("blocks", opened, "'%s' opened here is never closed with 'end %s'" % (want, want))


def calls_in(stmt):
    """[(name, [args])] for every Name( ... ) call in a statement."""
    bare = stmt.code
    out = []
    for m in IDENT_RE.finditer(bare):
        end = m.end()
        if end < len(bare) and bare[end] == "(":
            if m.start() > 0 and (bare[m.start() - 1].isdigit() or bare[m.start() - 1] == "."):
                continue
            close = matching_paren(bare, end)
            if close < 0:
                continue
            out.append((m.group(0), [a for a in split_top_level(bare[end + 1:close])]))
    return out
