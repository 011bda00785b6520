"""The type stubs (`dechaff/_dechaff.pyi`) describe the module as it is: mypy's stubtest
compares every name, signature and class in them with the compiled extension."""
import subprocess
import sys

import pytest


def test_the_stubs_match_the_module(tmp_path):
    pytest.importorskip("mypy")
    # From an empty directory: stubtest reads modules from the working directory first.
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "dechaff", "--mypy-config-file", "/dev/null"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
