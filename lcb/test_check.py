#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-tests of lcb/check.py: a complete good binding passes with no failure, and each rule
fails on a small bad variation of it, so the checker cannot pass silently.

The good binding is built from the same references the checker reads (btx_abi.h, btx_record.h,
the seed reference, the contract's Appendix B and tables) plus the hand-written
testdata/fragment.lcb and testdata/sample-helpers.livecodescript. Exported symbols come from a
generated list (no library needed); one test also runs nm -D on dist/ when the library is there.

    python3 lcb/test_check.py          ends with "lcb-selftest: N passed, N failed"
Standard library only.
"""

import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # no __pycache__ left in lcb/
sys.path.insert(0, HERE)

import check  # noqa: E402
import refdata  # noqa: E402

ROOT = os.path.dirname(HERE)
TESTDATA = os.path.join(HERE, "testdata")
SHARED = check.default_shared()

C_TO_LCB = {"int": "CInt", "const char *": "ZStringUTF8", "void *": "Pointer", "const void *": "Pointer",
            "char *": "Pointer"}
BUILTINS = [
    'private foreign handler MCStringDecode(in pValue as Data, in pEncoding as CInt, in pIsExternalRep as CBool, '
    'out rString as String) returns CBool binds to "<builtin>"',
    'private foreign handler MCMemoryAllocate(in pSize as UIntSize, out rBlock as Pointer) returns CBool '
    'binds to "<builtin>"',
    'private foreign handler MCMemoryDeallocate(in pBlock as Pointer) returns nothing binds to "<builtin>"',
    'private foreign handler MCDataCreateWithBytes(in pBytes as Pointer, in pCount as UIntSize, out rData as Data) '
    'returns CBool binds to "<builtin>"',
    'private foreign handler MCDataGetBytePtr(in pData as Data) returns Pointer binds to "<builtin>"',
]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class Refs:
    """The reference facts, loaded once."""

    def __init__(self):
        self.protos, self.version = refdata.parse_abi_header(read(os.path.join(ROOT, "include", "btx_abi.h")))
        self.rec = refdata.parse_record_header(read(os.path.join(ROOT, "include", "btx_record.h")))
        self.seed = refdata.Seed(read(os.path.join(SHARED, "seed-api-reference.txt")))
        self.contract = refdata.Contract(read(os.path.join(SHARED, "abi-contract.md")))


REFS = Refs()


def good_lcb():
    """A complete binding that follows every rule."""
    r = REFS
    out = ["-- SPDX-License-Identifier: MIT", "library org.openxtalk.library.torrent", "",
           "use com.livecode.foreign", "", 'metadata title is "TorrentXT"', "",
           "constant kABIVersion is %d" % r.version]
    for table, prefix in (("T", "kType"), ("F", "kField"), ("A", "kAlert")):
        for name, value in sorted(r.rec[table].items(), key=lambda kv: kv[1]):
            out.append("constant %s%s is %d" % (prefix, refdata.camel(name), value))
    for name in ("SEED_MODE", "PAUSED", "AUTO_MANAGED", "SEQUENTIAL_DOWNLOAD"):
        out.append('constant kFlag%s is "%d"' % (refdata.camel(name), r.rec["TF"][name]))
    out.append("")
    for sym in sorted(r.protos):
        p = r.protos[sym]
        params = ", ".join("in %s as %s" % (param_name(n), C_TO_LCB[t]) for t, n in p.params)
        ret = "CInt" if p.ret == "int" else "nothing"
        out.append('private foreign handler _%s(%s) returns %s binds to "c:torrentxt>%s!cdecl"'
                   % (sym, params, ret, sym))
    out += BUILTINS + [""]
    fragment = read(os.path.join(TESTDATA, "fragment.lcb"))
    out.append(fragment)
    defined = set(re.findall(r"handler\s+(\w+)\s*\(", fragment))
    out += field_key_handler() + alert_name_handler()
    funcs_of = {}
    for h, funcs in r.contract.appendix_b:
        funcs_of.setdefault(h, []).extend(funcs)
    for name in r.seed.library_names:
        if name in defined:
            continue
        out += public_handler(name, funcs_of.get(name, []))
    out.append("end library")
    return "\n".join(out) + "\n"


def param_name(c_name):
    """t -> pT; op -> pOpCode (pOp would spell the reserved word "pop")."""
    name = "p" + c_name[:1].upper() + c_name[1:]
    return name + "Code" if check.is_reserved(name) else name


def field_key_handler():
    lines = ["private handler _fieldKey(in pId as Integer) returns String"]
    first = True
    for fid, (fname, _t, key) in sorted(REFS.contract.fields.items()):
        lines.append("   %s pId is kField%s then" % ("if" if first else "else if", refdata.camel(fname[2:])))
        lines.append('      return "%s"' % key)
        first = False
    lines += ["   end if", '   return ""', "end handler", ""]
    return lines


def alert_name_handler():
    code_to_rec = {v: k for k, v in REFS.rec["A"].items()}
    lines = ["private handler _alertName(in pCode as Integer) returns String"]
    for code, name in sorted(REFS.contract.alerts.items()):
        lines += ["   if pCode is kAlert%s then" % refdata.camel(code_to_rec[code]), '      return "%s"' % name,
                  "   end if"]
    lines += ['   return "torrentEvent"', "end handler", ""]
    return lines


def public_handler(name, funcs):
    r = REFS
    sig = r.seed.sigs.get(name)
    if sig is not None:
        params = [(p[1], p[2]) for p in sig.params]
        ret = sig.ret or "Integer"
    else:
        count = min(r.seed.usage_counts.get(name, {0: 0}))
        params = [("pArg%d" % i, "any") for i in range(1, count + 1)]
        ret = "Integer"
    lines = ["public handler %s(%s) returns %s" % (name, ", ".join("in %s as %s" % p for p in params), ret),
             "   variable tResult as Integer", "   unsafe"]
    for f in funcs:
        n = len(r.protos[f].params)
        args = [p[0] for p in params[:n]] + ["0"] * max(0, n - len(params))
        lines.append("      put _%s(%s) into tResult" % (f, ", ".join(args)))
    lines += ["   end unsafe", "   return tResult", "end handler", ""]
    return lines


def good_helpers():
    return read(os.path.join(TESTDATA, "sample-helpers.livecodescript"))


class CheckerCase(unittest.TestCase):
    """Writes a sample to a temporary folder and runs the checker on it."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="lcb-check-")
        self.addCleanup(self.tmp.cleanup)

    def run_checker(self, lcb=None, helpers=None, symbols=None, extra=()):
        lcb = good_lcb() if lcb is None else lcb
        helpers = good_helpers() if helpers is None else helpers
        if symbols is None:
            symbols = sorted(REFS.protos)
        paths = {}
        for name, text in (("torrent.lcb", lcb), ("torrent-helpers.livecodescript", helpers),
                           ("symbols.txt", "\n".join(symbols) + "\n")):
            paths[name] = os.path.join(self.tmp.name, name)
            with open(paths[name], "w", encoding="utf-8") as f:
                f.write(text)
        argv = ["--lcb", paths["torrent.lcb"], "--helpers", paths["torrent-helpers.livecodescript"],
                "--symbols", paths["symbols.txt"], "--shared", SHARED] + list(extra)
        return check.run(argv)

    def assert_clean(self, report):
        self.assertEqual(report.failures, [], "\n".join("%s %d %s" % (f[0], f[2], f[3]) for f in report.failures))

    def assert_fails(self, rule, report, text=None):
        failed = report.rules_failed()
        self.assertIn(rule, failed, "rule %s did not fail; failures: %r" % (rule, report.failures[:5]))
        if text is not None:
            msgs = [f[3] for f in report.failures if f[0] == rule]
            self.assertTrue(any(text in m for m in msgs), "no %s failure mentions %r: %r" % (rule, text, msgs))


def sub1(text, old, new):
    """Replaces exactly one occurrence (the sample must contain it)."""
    assert text.count(old) >= 1, "sample lacks %r" % old
    return text.replace(old, new, 1)


class GoodSample(CheckerCase):
    def test_good_binding_passes(self):
        report = self.run_checker()
        self.assert_clean(report)
        self.assertGreater(report.passed, 500)

    def test_real_library_exports_pass(self):
        lib = os.path.join(ROOT, "dist", "linux-x64", "libtorrentxt.so")
        if not os.path.isfile(lib):
            self.skipTest("dist/linux-x64/libtorrentxt.so not built")
        tmp = self.tmp.name
        for name, text in (("torrent.lcb", good_lcb()), ("h.livecodescript", good_helpers())):
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        report = check.run(["--lcb", os.path.join(tmp, "torrent.lcb"), "--helpers", os.path.join(tmp, "h.livecodescript"),
                            "--lib", lib, "--shared", SHARED])
        self.assert_clean(report)

    def test_reference_parsing(self):
        self.assertEqual(len(REFS.protos), 68)
        self.assertEqual(len(REFS.seed.library_names), 75)
        self.assertEqual(len(REFS.seed.helpers), 5)
        sig = REFS.seed.sigs["btSetEncryption"]
        self.assertEqual([p[1] for p in sig.params], ["pSession", "pIn", "pOut", "pLevel"])
        self.assertEqual([p[1] for p in REFS.seed.sigs["btQueueDown"].params], ["pTorrent"])
        self.assertEqual(REFS.seed.usage_counts["btDhtPutMutable"], {5: 352})
        self.assertNotIn("btStartSessionthenput", REFS.seed.names)
        self.assertEqual(REFS.contract.fields[4][2], "downloadRate")
        self.assertEqual(REFS.contract.alerts[24], "dhtPut")


class ForeignRules(CheckerCase):
    def test_symbol_not_exported(self):
        syms = [s for s in REFS.protos if s != "btx_pause"]
        self.assert_fails("foreign.symbol", self.run_checker(symbols=syms), "btx_pause")

    def test_binding_string_without_cdecl(self):
        lcb = sub1(good_lcb(), '"c:torrentxt>btx_pause!cdecl"', '"c:torrentxt>btx_pause"')
        self.assert_fails("foreign.binding", self.run_checker(lcb))

    def test_binding_to_wrong_library(self):
        lcb = sub1(good_lcb(), '"c:torrentxt>btx_pause!cdecl"', '"c:libtorrentxt>btx_pause!cdecl"')
        self.assert_fails("foreign.binding", self.run_checker(lcb))

    def test_handler_name_differs_from_symbol(self):
        lcb = sub1(good_lcb(), '_btx_pause(in pT as CInt) returns CInt binds to "c:torrentxt>btx_pause!cdecl"',
                   '_btx_pause(in pT as CInt) returns CInt binds to "c:torrentxt>btx_resume!cdecl"')
        report = self.run_checker(lcb)
        self.assert_fails("foreign.binding", report, "its name must be _btx_resume")
        self.assert_fails("foreign.coverage", report, "btx_resume is bound 2 times")

    def test_public_foreign_handler(self):
        lcb = sub1(good_lcb(), "private foreign handler _btx_pause", "public foreign handler _btx_pause")
        self.assert_fails("foreign.binding", self.run_checker(lcb), "must be private")

    def test_wrong_parameter_type(self):
        lcb = sub1(good_lcb(), "_btx_pause(in pT as CInt)", "_btx_pause(in pT as ZStringUTF8)")
        self.assert_fails("foreign.types", self.run_checker(lcb), "does not correspond to C 'int t'")

    def test_string_passed_as_pointer(self):
        lcb = sub1(good_lcb(), "_btx_add_magnet(in pS as CInt, in pUri as ZStringUTF8",
                   "_btx_add_magnet(in pS as CInt, in pUri as Pointer")
        self.assert_fails("foreign.types", self.run_checker(lcb))

    def test_wrong_return_type(self):
        lcb = sub1(good_lcb(), "_btx_session_free(in pS as CInt) returns nothing",
                   "_btx_session_free(in pS as CInt) returns CInt")
        self.assert_fails("foreign.types", self.run_checker(lcb), "returns CInt; btx_abi.h returns void")

    def test_missing_returns_clause(self):
        lcb = sub1(good_lcb(), "_btx_clear_error() returns nothing binds", "_btx_clear_error() binds")
        self.assert_fails("foreign.types", self.run_checker(lcb))

    def test_out_mode_parameter(self):
        lcb = sub1(good_lcb(), "_btx_last_error(in pOut as Pointer", "_btx_last_error(out pOut as Pointer")
        self.assert_fails("foreign.types", self.run_checker(lcb), "passed by value")

    def test_parameter_count(self):
        lcb = sub1(good_lcb(), "_btx_queue_move(in pT as CInt, in pOpCode as CInt)", "_btx_queue_move(in pT as CInt)")
        self.assert_fails("foreign.types", self.run_checker(lcb), "declares 1 parameters; btx_abi.h has 2")

    def test_function_bound_twice(self):
        text = good_lcb()
        line = next(ln for ln in text.split("\n") if "_btx_resume(" in ln and "foreign" in ln)
        lcb = text.replace(line, line + "\n" + line.replace("_btx_resume(", "_btx_resume2(", 1), 1)
        self.assert_fails("foreign.coverage", self.run_checker(lcb), "btx_resume is bound 2 times")

    def test_function_not_bound(self):
        text = good_lcb()
        line = next(ln for ln in text.split("\n") if "_btx_torrent_count(" in ln and "foreign" in ln)
        lcb = text.replace(line + "\n", "", 1)
        self.assert_fails("foreign.coverage", self.run_checker(lcb), "btx_torrent_count is bound 0 times")

    def test_unknown_builtin(self):
        lcb = sub1(good_lcb(), "MCDataGetBytePtr(in pData as Data) returns Pointer binds",
                   "MCDataGetBytes(in pData as Data) returns Pointer binds")
        self.assert_fails("foreign.binding", self.run_checker(lcb), "MCDataGetBytes")


class PublicRules(CheckerCase):
    def test_missing_public_handler(self):
        lcb = sub1(good_lcb(), "public handler btClearPieceDeadlines(", "private handler btClearPieceDeadlines(")
        self.assert_fails("public.seed", self.run_checker(lcb), "btClearPieceDeadlines")

    def test_renamed_parameter(self):
        lcb = sub1(good_lcb(), "in pIn as Integer, in pOut as Integer", "in pInPolicy as Integer, in pOut as Integer")
        self.assert_fails("public.seed", self.run_checker(lcb), "btSetEncryption")

    def test_swapped_parameters(self):
        lcb = sub1(good_lcb(), "in pIn as Integer, in pOut as Integer", "in pOut as Integer, in pIn as Integer")
        self.assert_fails("public.seed", self.run_checker(lcb), "btSetEncryption")

    def test_wrong_parameter_type(self):
        lcb = sub1(good_lcb(), "in pBlock as Boolean", "in pBlock as Integer")
        self.assert_fails("public.seed", self.run_checker(lcb), "btIpFilterAdd")

    def test_wrong_return_type(self):
        lcb = sub1(good_lcb(), "in pTrackers as String) returns Data", "in pTrackers as String) returns String")
        self.assert_fails("public.seed", self.run_checker(lcb), "btCreateTorrent")

    def test_usage_argument_count(self):
        lcb = sub1(good_lcb(), "public handler btGetSetting(in pArg1 as any, in pArg2 as any)",
                   "public handler btGetSetting(in pArg1 as any)")
        self.assert_fails("public.seed", self.run_checker(lcb), "usage example")

    def test_undocumented_public_handler(self):
        lcb = sub1(good_lcb(), "private handler _u16(", "public handler _u16(")
        self.assert_fails("public.seed", self.run_checker(lcb), "_u16 is not in the seed reference")

    def test_handler_calls_wrong_abi_function(self):
        lcb = sub1(good_lcb(), "put _btx_pause(pArg1) into tResult", "put _btx_resume(pArg1) into tResult")
        self.assert_fails("public.abi", self.run_checker(lcb), "btPause never calls btx_pause")

    def test_reached_through_another_handler_is_fine(self):
        # btSetSequentialDownload may delegate to btSetTorrentFlags / btUnsetTorrentFlags
        text = good_lcb()
        start = text.index("public handler btSetSequentialDownload(")
        end = text.index("end handler", start)
        body = ("public handler btSetSequentialDownload(in pArg1 as any, in pArg2 as any) returns Integer\n"
                "   if pArg2 then\n      return btSetTorrentFlags(pArg1, \"512\", \"512\")\n   end if\n"
                "   return btUnsetTorrentFlags(pArg1, \"512\")\n")
        self.assert_clean(self.run_checker(text[:start] + body + text[end:]))


class HelperRules(CheckerCase):
    def test_missing_helper(self):
        helpers = sub1(good_helpers(), "function btStateName pState", "function btStateLabel pState")
        helpers = helpers.replace("end btStateName", "end btStateLabel")
        self.assert_fails("helpers", self.run_checker(helpers=helpers), "btStateName is missing")

    def test_helper_parameters(self):
        helpers = sub1(good_helpers(), "on btStartPolling pSession, pTarget, pIntervalMs",
                       "on btStartPolling pSession, pIntervalMs")
        self.assert_fails("helpers", self.run_checker(helpers=helpers), "btStartPolling")

    def test_stack_name(self):
        helpers = sub1(good_helpers(), 'script "torrentHelpers"', 'script "torrent-helpers"')
        self.assert_fails("helpers", self.run_checker(helpers=helpers), 'start using stack "torrentHelpers"')

    def test_helper_kind(self):
        helpers = sub1(good_helpers(), "function btFormatBytes pBytes", "on btFormatBytes pBytes")
        self.assert_fails("helpers", self.run_checker(helpers=helpers), "function handler")


class ConstantRules(CheckerCase):
    def test_field_id_differs(self):
        lcb = sub1(good_lcb(), "constant kFieldDownloadRate is 4", "constant kFieldDownloadRate is 5")
        self.assert_fails("consts.record", self.run_checker(lcb), "BTX_F_DOWNLOAD_RATE is 4")

    def test_alert_code_differs(self):
        lcb = sub1(good_lcb(), "constant kAlertDhtPut is 24", "constant kAlertDhtPut is 25")
        self.assert_fails("consts.record", self.run_checker(lcb), "BTX_A_DHT_PUT is 24")

    def test_type_differs(self):
        lcb = sub1(good_lcb(), "constant kTypeRaw is 3", "constant kTypeRaw is 4")
        self.assert_fails("consts.record", self.run_checker(lcb))

    def test_flag_differs(self):
        lcb = sub1(good_lcb(), 'constant kFlagPaused is "16"', 'constant kFlagPaused is "32"')
        self.assert_fails("consts.record", self.run_checker(lcb), "BTX_TF_PAUSED")

    def test_abi_version_differs(self):
        lcb = sub1(good_lcb(), "constant kABIVersion is 8", "constant kABIVersion is 7")
        self.assert_fails("consts.record", self.run_checker(lcb), "kABIVersion")

    def test_unknown_field_constant(self):
        lcb = sub1(good_lcb(), "constant kFieldEta is 24", "constant kFieldEtaSeconds is 24")
        report = self.run_checker(lcb)
        self.assert_fails("consts.record", report, "kFieldEtaSeconds names no field id")
        self.assert_fails("consts.record", report, "no constant kFieldEta for BTX_F_ETA")

    def test_constant_used_before_declaration(self):
        text = good_lcb()
        lcb = sub1(text, "constant kPollBufferSize is 65536\n", "")
        lcb = lcb.replace("end library", "constant kPollBufferSize is 65536\nend library")
        self.assert_fails("consts.order", self.run_checker(lcb), "before its declaration")

    def test_undeclared_constant(self):
        lcb = sub1(good_lcb(), "_ensureBuffer(kStatusBufferSize)", "_ensureBuffer(kStatusBufSize)")
        self.assert_fails("consts.order", self.run_checker(lcb), "kStatusBufSize is used but never declared")

    def test_constant_declared_twice(self):
        lcb = sub1(good_lcb(), "constant kPollBufferSize is 65536",
                   "constant kPollBufferSize is 65536\nconstant kPollBufferSize is 1024")
        self.assert_fails("consts.order", self.run_checker(lcb), "declared again")

    def test_script_constant_undeclared(self):
        helpers = sub1(good_helpers(), "constant kDefaultInterval = 250\n", "")
        self.assert_fails("consts.order", self.run_checker(helpers=helpers), "kDefaultInterval")


class KeyRules(CheckerCase):
    def test_missing_script_key(self):
        lcb = sub1(good_lcb(), 'return "downloadRate"', 'return "downRateTotal"')
        self.assert_fails("keys", self.run_checker(lcb), '"downloadRate"')

    def test_key_paired_with_wrong_constant(self):
        lcb = sub1(good_lcb(), 'return "numSeeds"', 'return "numPeers"')
        self.assert_fails("keys", self.run_checker(lcb), 'kFieldNumSeeds is paired with "numPeers"')

    def test_missing_alert_name(self):
        lcb = sub1(good_lcb(), 'return "fastresumeRejected"', 'return "fastResumeRejected"')
        self.assert_fails("keys", self.run_checker(lcb), "fastresumeRejected")

    def test_abi_mismatch_text(self):
        lcb = sub1(good_lcb(), "rebuild and repackage the native library.", "rebuild the native library.")
        self.assert_fails("keys", self.run_checker(lcb), "ABI-mismatch")


class BlockRules(CheckerCase):
    def test_missing_end_if(self):
        lcb = sub1(good_lcb(), "         put the empty data into tValue\n      end if\n",
                   "         put the empty data into tValue\n")
        self.assert_fails("blocks", self.run_checker(lcb))

    def test_end_repeat_closes_if(self):
        lcb = sub1(good_lcb(), "      push tEvent onto tEvents\n      put tPos + 4 + tBody into tPos\n   end repeat",
                   "      push tEvent onto tEvents\n      put tPos + 4 + tBody into tPos\n   end if")
        self.assert_fails("blocks", self.run_checker(lcb), "'end if' closes the repeat")

    def test_missing_end_unsafe(self):
        lcb = sub1(good_lcb(), "      put _btx_session_new() into tSession\n   end unsafe\n",
                   "      put _btx_session_new() into tSession\n")
        self.assert_fails("blocks", self.run_checker(lcb))

    def test_missing_end_handler(self):
        lcb = sub1(good_lcb(), "   return tHi * 256 + tLo\nend handler\n", "   return tHi * 256 + tLo\n")
        self.assert_fails("blocks", self.run_checker(lcb), "starts inside handler _u16")

    def test_single_line_if(self):
        lcb = sub1(good_lcb(), "   if pSize <= sBufferSize then\n      return\n   end if\n",
                   "   if pSize <= sBufferSize then return\n")
        self.assert_fails("blocks", self.run_checker(lcb), "single-line if")

    def test_else_outside_if(self):
        lcb = sub1(good_lcb(), "   put the empty array into tRec\n", "   put the empty array into tRec\n   else\n")
        self.assert_fails("blocks", self.run_checker(lcb), "'else' outside an if block")

    def test_script_missing_end_repeat(self):
        helpers = sub1(good_helpers(), "      add 1 to tIndex\n   end repeat\n", "      add 1 to tIndex\n")
        self.assert_fails("blocks", self.run_checker(helpers=helpers))

    def test_script_missing_end_handler(self):
        helpers = sub1(good_helpers(), "end btStopPolling\n", "")
        self.assert_fails("blocks", self.run_checker(helpers=helpers))

    def test_script_single_line_if_else_is_fine(self):
        self.assert_clean(self.run_checker())


class BodyRules(CheckerCase):
    def test_foreign_call_outside_unsafe(self):
        lcb = sub1(good_lcb(), "   unsafe\n      put _btx_abi_version() into tVersion\n",
                   "   put _btx_abi_version() into tVersion\n   unsafe\n")
        self.assert_fails("unsafe", self.run_checker(lcb), "_btx_abi_version outside an unsafe block")

    def test_unsafe_handler_call_outside_unsafe(self):
        lcb = sub1(good_lcb(), "   return _drain(tData)\n", "   _ensureBuffer(1)\n   return _drain(tData)\n")
        self.assert_fails("unsafe", self.run_checker(lcb), "_ensureBuffer")

    def test_wrong_argument_count(self):
        lcb = sub1(good_lcb(), "put _btx_torrent_status(pTorrent, sBuffer, sBufferSize) into tLen",
                   "put _btx_torrent_status(pTorrent, sBuffer) into tLen")
        self.assert_fails("arity", self.run_checker(lcb), "_btx_torrent_status(...) is called with 2 arguments")

    def test_variable_declared_late(self):
        lcb = sub1(good_lcb(), "   variable tLo as Integer\n   put the code of byte pPos of pData into tHi\n",
                   "   put the code of byte pPos of pData into tHi\n   variable tLo as Integer\n")
        self.assert_fails("vars", self.run_checker(lcb), "declared after other statements")

    def test_variable_declared_in_block(self):
        lcb = sub1(good_lcb(), "            unsafe\n               MCStringDecode(",
                   "            unsafe\n               variable tOther as String\n               MCStringDecode(")
        self.assert_fails("vars", self.run_checker(lcb), "tOther")

    def test_undeclared_variable(self):
        lcb = sub1(good_lcb(), "   variable tLo as Integer\n", "")
        self.assert_fails("vars", self.run_checker(lcb), "tLo in _u16 is not a declared variable")

    def test_undeclared_assignment_target(self):
        lcb = sub1(good_lcb(), "   put 3 into tPos\n", "   put 3 into position\n")
        self.assert_fails("vars", self.run_checker(lcb), "position in _drain is assigned but never declared")

    def test_variable_declared_twice(self):
        lcb = sub1(good_lcb(), "   variable tLo as Integer\n", "   variable tLo as Integer\n   variable tLO as Real\n")
        self.assert_fails("vars", self.run_checker(lcb), "declared twice")


class LexicalRules(CheckerCase):
    def test_smart_quote_in_string(self):
        lcb = sub1(good_lcb(), 'return "downloadRate"', 'return "downloadRate\u201d')
        self.assert_fails("ascii", self.run_checker(lcb), "U+201D")

    def test_non_ascii_in_code(self):
        lcb = sub1(good_lcb(), "return tHi * 256 + tLo", "return tHi \u00d7 256 + tLo")
        self.assert_fails("ascii", self.run_checker(lcb), "U+00D7")

    def test_non_ascii_in_script(self):
        helpers = sub1(good_helpers(), 'return "seeding"', 'return \u201cseeding\u201d')
        self.assert_fails("ascii", self.run_checker(helpers=helpers))

    def test_non_ascii_in_comment_is_fine(self):
        lcb = sub1(good_lcb(), "-- Reads the big-endian u16", "-- Reads the big\u2013endian u16")
        self.assert_clean(self.run_checker(lcb))

    def test_reserved_variable(self):
        lcb = sub1(good_lcb(), "variable tText as String", "variable tExt as String")
        lcb = lcb.replace("tText", "tExt")
        self.assert_fails("reserved", self.run_checker(lcb), "tExt")

    def test_reserved_parameter(self):
        lcb = sub1(good_lcb(), "private handler _u16(in pData as Data, in pPos as Integer)",
                   "private handler _u16(in pData as Data, in pUt as Integer)")
        lcb = sub1(lcb, "byte pPos of pData into tHi", "byte pUt of pData into tHi")
        lcb = sub1(lcb, "byte (pPos + 1) of pData into tLo", "byte (pUt + 1) of pData into tLo")
        self.assert_fails("reserved", self.run_checker(lcb), "pUt")

    def test_reserved_constant(self):
        lcb = sub1(good_lcb(), "constant kPollBufferSize is 65536", "constant kPollBufferSize is 65536\nconstant kEy is 1")
        self.assert_fails("reserved", self.run_checker(lcb), "kEy")

    def test_reserved_script_variable(self):
        helpers = sub1(good_helpers(), "local tUnits, tIndex", "local tUnits, tIndex, tOp")
        helpers = sub1(helpers, "   put 1 into tIndex\n", "   put 1 into tIndex\n   put 0 into tOp\n")
        self.assert_fails("reserved", self.run_checker(helpers=helpers), "tOp")

    def test_reserved_script_put_target(self):
        helpers = sub1(good_helpers(), "   put 1 into tIndex\n", "   put 1 into tIndex\n   put 2 into iTem\n")
        self.assert_fails("reserved", self.run_checker(helpers=helpers), "iTem")

    def test_unterminated_string(self):
        lcb = sub1(good_lcb(), 'return "downloadRate"', 'return "downloadRate')
        self.assert_fails("syntax", self.run_checker(lcb))

    def test_missing_files(self):
        report = check.run(["--lcb", os.path.join(self.tmp.name, "nope.lcb"), "--shared", SHARED])
        self.assert_fails("files", report)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=1 if "-v" not in sys.argv else 2, stream=sys.stderr).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print("lcb-selftest: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
