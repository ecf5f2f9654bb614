# SPDX-License-Identifier: MIT
"""Lexing for the static checker (check.py): LiveCode Builder (.lcb) and LiveCode Script
(.livecodescript) source turned into logical lines with comments removed and string literals
set aside, so the rules can look at code without being fooled by text inside strings or
comments.

The two dialects differ only in lexing details:
  * LCB: comments are -- and //, and /* */; a string runs to the next double quote on the same
    line ("[^\\n\\r"]*", backslash escapes are decoded later and cannot hide a quote); a
    backslash followed only by blanks continues the line.
  * Script: comments are --, # and //, and /* */; strings have no escapes; the same continuation.
Standard library only.
"""

import re

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
# A string literal inside Stmt.code: "#<index into Stmt.strings>"
STRING_TOKEN_RE = re.compile(r'"#(\d+)"')


class Stmt:
    """One logical line. code has comments removed, continuations joined and every string
    literal replaced by "#n" (n indexes strings); line is the 1-based line it starts on."""

    __slots__ = ("line", "code", "strings")

    def __init__(self, line, code, strings):
        self.line = line
        self.code = code
        self.strings = strings

    def text_without_strings(self):
        return STRING_TOKEN_RE.sub('""', self.code)

    def idents(self):
        """(identifier, column) pairs outside string literals; numbers are not identifiers."""
        bare = STRING_TOKEN_RE.sub(lambda m: " " * len(m.group(0)), self.code)
        out = []
        for m in IDENT_RE.finditer(bare):
            start = m.start()
            # "1.5e3" or "0x1F": the identifier regex would see "e3" or "x1F" after a digit
            if start > 0 and (bare[start - 1].isdigit() or bare[start - 1] == "."):
                continue
            out.append((m.group(0).rstrip("."), start))
        return out

    def string_at(self, token):
        m = STRING_TOKEN_RE.fullmatch(token.strip())
        return self.strings[int(m.group(1))] if m else None

    def __repr__(self):
        return "Stmt(%d, %r)" % (self.line, self.code)


class Lexed:
    """The result of lexing one file: statements plus problems found while lexing."""

    def __init__(self, path, stmts, non_ascii, unterminated):
        self.path = path
        self.stmts = stmts
        self.non_ascii = non_ascii          # [(line, column, char)] in code or strings
        self.unterminated = unterminated    # [line] of strings left open at the end of a line


def lex(text, dialect, path="<source>"):
    """dialect is "lcb" or "script"."""
    hash_comments = dialect == "script"
    stmts = []
    non_ascii = []
    unterminated = []
    cur = []            # characters of the current logical line
    strings = []        # literals of the current logical line
    start_line = 1
    line = 1
    col = 0
    i = 0
    n = len(text)

    def flush():
        nonlocal cur, strings, start_line
        code = "".join(cur).strip()
        if code:
            stmts.append(Stmt(start_line, code, strings))
        cur = []
        strings = []
        start_line = line

    def note_char(ch, ln, c):
        if ord(ch) > 127:
            non_ascii.append((ln, c, ch))

    while i < n:
        ch = text[i]
        if ch == "\r":
            i += 1
            continue
        if ch == "\n":
            line += 1
            col = 0
            i += 1
            flush()
            continue
        two = text[i:i + 2]
        # line comment: skip to the end of the line (the newline itself ends the statement)
        if two in ("--", "//") or (hash_comments and ch == "#"):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if two == "/*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            spanned = text.count("\n", i, end)
            i = end
            if spanned:
                line += spanned
                col = 0
                # a block comment spanning lines terminates the line of code it begins on
                flush()
            continue
        # continuation: backslash, optional blanks, newline
        if ch == "\\":
            m = re.match(r"\\[ \t]*(\r\n|\n|\r)", text[i:])
            if m:
                i += m.end()
                line += 1
                col = 0
                cur.append(" ")
                continue
        if ch == '"':
            j = i + 1
            lit = []
            closed = False
            while j < n and text[j] not in "\n\r":
                if text[j] == '"':
                    closed = True
                    break
                note_char(text[j], line, col + (j - i))
                lit.append(text[j])
                j += 1
            if not closed:
                unterminated.append(line)
            strings.append("".join(lit))
            cur.append('"#%d"' % (len(strings) - 1))
            col += (j - i) + 1
            i = j + 1 if closed else j
            continue
        note_char(ch, line, col)
        cur.append(ch)
        col += 1
        i += 1
    flush()
    return Lexed(path, stmts, non_ascii, unterminated)


def split_top_level(s, sep=","):
    """Splits s on sep outside (), [] and {}; strings are already tokens. Empty input gives []."""
    parts = []
    depth = 0
    cur = []
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    tail = "".join(cur).strip()
    if tail or parts:
        parts.append(tail)
    return parts


def matching_paren(s, open_index):
    """Index of the ) closing the ( at open_index, or -1."""
    depth = 0
    for k in range(open_index, len(s)):
        if s[k] == "(":
            depth += 1
        elif s[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return -1
