"""docs/examples/dms_python.py, the example docs/embedding.md shows in
"From Python": it runs, does what the doc says, and the doc shows it as
it is (the file's opening comment aside)."""
import os
import re
import subprocess
import sys
import tempfile
import unittest

from support import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "dms_python.py"


def example_code():
    """The example without its opening comment lines."""
    lines = EXAMPLE.read_text().splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)


class Example(unittest.TestCase):
    def test_the_doc_shows_the_example(self):
        doc = (ROOT / "docs" / "embedding.md").read_text()
        section = doc.split("\n## ")
        [python] = [s for s in section
                    if re.match(r"(\d+\. )?From Python\n", s)]
        blocks = re.findall(r"```python\n(.*?)```", python, re.S)
        self.assertIn(example_code(), blocks)
        self.assertIn("docs/examples/dms_python.py", python)

    def test_the_example_runs(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT / "python")] + ([env["PYTHONPATH"]]
                                      if env.get("PYTHONPATH") else []))
        with tempfile.TemporaryDirectory(prefix="svl-py-") as tmp:
            out = subprocess.run(
                [sys.executable, str(EXAMPLE), os.path.join(tmp, "ledger")],
                capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[:2], ["refused by R-ROLE-2 on line 1",
                                     "WO-1001 is booked"])
        self.assertEqual([ln.split()[:3] for ln in lines[2:]],
                         [["1", "staff_role_assigned", "staff-E001"],
                          ["2", "staff_role_assigned", "staff-E013"],
                          ["3", "booking_requested", "wo-WO-1001"]])


if __name__ == "__main__":
    unittest.main()
