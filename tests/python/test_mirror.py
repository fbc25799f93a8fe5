"""The binding's mirror of the C API against the C API itself: every
mirrored struct's size and every field's offset as the C compiler lays
them out (a probe generated from the mirror, compiled against include/),
the sizes against the checked-in ABI baseline (no compiler needed), and
every constant and error code against the headers."""
import ctypes
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

import support
from support import ROOT

from svcledger import _structs, errors
from svcledger._lib import CONSTANTS

HEADERS = ["svl_error.h", "svl_log.h", "svl_rules.h", "svl_events.h",
           "svl_ledger.h", "svl_stock.h", "svl_work_orders.h",
           "svl_metrics.h", "svl_documents.h", "svl_report.h"]


def probe_source():
    """A C program printing "size T n", "offset T.f n", "width T.f n"
    and "const N v"
    for everything the binding mirrors."""
    out = ["#include <stddef.h>", "#include <stdio.h>"]
    out += ['#include "%s"' % h for h in HEADERS]
    out += ["int main(void)", "{"]
    for s in _structs.MIRRORED:
        t = s._cname_
        out.append('\tprintf("size %s %%zu\\n", sizeof(%s));' % (t, t))
        for name, _ in s._fields_:
            out.append('\tprintf("offset %s.%s %%zu\\n", offsetof(%s, %s));'
                       % (t, name, t, name))
            out.append('\tprintf("width %s.%s %%zu\\n", '
                       'sizeof(((%s *)0)->%s));' % (t, name, t, name))
    for name in list(CONSTANTS) + ["SVL_" + n for n in constants()]:
        out.append('\tprintf("const %s %%lld\\n", (long long)(%s));'
                   % (name, name))
    out += ["\treturn 0;", "}"]
    return "\n".join(out) + "\n"


def constants():
    """errors' codes by their C names without the SVL_ prefix."""
    return {n: v for n, v in vars(errors).items()
            if n.isupper() and isinstance(v, int)}


def mirror():
    """What ctypes says: the same three kinds of lines, as a dict."""
    got = {}
    for s in _structs.MIRRORED:
        got["size " + s._cname_] = ctypes.sizeof(s)
        for name, _ in s._fields_:
            field = getattr(s, name)
            got["offset %s.%s" % (s._cname_, name)] = field.offset
            got["width %s.%s" % (s._cname_, name)] = field.size
    for name, value in CONSTANTS.items():
        got["const " + name] = value
    for name, value in constants().items():
        got["const SVL_" + name] = value
    return got


class Mirror(unittest.TestCase):
    @unittest.skipUnless(support.compiler(), "no C compiler: the offsets "
                         "are not checked (sizes are, against the baseline)")
    def test_layouts_and_constants_are_the_c_compilers(self):
        with tempfile.TemporaryDirectory(prefix="svl-py-") as tmp:
            src, exe = Path(tmp, "probe.c"), Path(tmp, "probe")
            src.write_text(probe_source())
            subprocess.run(support.compiler() + ["-std=c11",
                            "-I" + str(ROOT / "include"),
                            "-I" + str(ROOT / "catalog"), "-o", str(exe),
                            str(src)], check=True)
            lines = subprocess.run([str(exe)], check=True, text=True,
                                   capture_output=True).stdout.splitlines()
        c = {k: int(v) for k, v in (ln.rsplit(" ", 1) for ln in lines)}
        ours = mirror()
        self.assertEqual(set(c), set(ours))
        for key in sorted(c):
            with self.subTest(key):
                self.assertEqual(ours[key], c[key])

    def test_sizes_are_the_abi_baselines(self):
        text = (ROOT / "tests" / "abi" / "baseline.txt").read_text()
        self.assertIn("major %d" % support.svcledger.MAJOR,
                      text.splitlines())
        base = dict(re.findall(r"^struct (\w+) (\d+)$", text, re.M))
        for s in _structs.MIRRORED:
            with self.subTest(s._cname_):
                self.assertIn(s._cname_, base)
                self.assertEqual(ctypes.sizeof(s), int(base[s._cname_]))

    def test_error_codes_are_svl_error_hs(self):
        text = (ROOT / "include" / "svl_error.h").read_text()
        header = {n: int(v) for n, v in
                  re.findall(r"^\s*SVL_(\w+) = (-?\d+),", text, re.M)}
        self.assertEqual(constants(), header)
        for code, name in errors.NAMES.items():
            self.assertEqual(header[name[len("SVL_"):]], code)


if __name__ == "__main__":
    unittest.main()
