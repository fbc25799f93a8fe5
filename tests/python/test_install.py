"""`pip install ./python` offline: the package builds from its
pyproject.toml with the setuptools already installed (no download, no
compiler) and the installed copy finds the library and works. Skipped
where this Python has no pip, setuptools or wheel (Debian: python3-pip
brings all three)."""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from support import ROOT

HAVE = all(importlib.util.find_spec(m) for m in ("pip", "setuptools",
                                                  "wheel"))


@unittest.skipUnless(HAVE, "%s has no pip, setuptools or wheel: the "
                     "offline install is not checked" % sys.executable)
class Install(unittest.TestCase):
    def test_pip_installs_the_package_offline(self):
        with tempfile.TemporaryDirectory(prefix="svl-py-") as tmp:
            src, target = Path(tmp, "python"), Path(tmp, "site")
            shutil.copytree(ROOT / "python", src)  # builds leave files
            out = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-index",
                 "--no-build-isolation", "--no-deps", "--no-cache-dir",
                 "--disable-pip-version-check", "--target", str(target),
                 str(src)], capture_output=True, text=True, timeout=300)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            env = dict(os.environ, PYTHONPATH=str(target))
            out = subprocess.run(
                [sys.executable, "-c", "import svcledger; "
                 "print(svcledger.__file__); print(svcledger.version())"],
                capture_output=True, text=True, timeout=60, cwd=tmp,
                env=env)
            self.assertEqual(out.returncode, 0, out.stderr)
            where, version = out.stdout.split()
            self.assertTrue(where.startswith(str(target)), where)
            self.assertEqual(version.split(".")[0], "1")


if __name__ == "__main__":
    unittest.main()
