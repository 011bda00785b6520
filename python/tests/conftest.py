"""Shared fixtures: the repository's corpus, and the dechaff CLI the package must agree with.

Run from the repository root after `pip install ./python`:  python3 -m pytest python/tests
The CLI is `target/debug/dechaff` (built if missing), or the binary named by DECHAFF_BIN.
"""
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "corpus")
SEEDS = os.path.join(CORPUS, "seeds")


def documents(root=CORPUS):
    """Every document under `root`, sorted: `.md` and `.html` files but the notes about them."""
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith((".md", ".html")) and f != "SOURCES.md":
                out.append(os.path.join(d, f))
    return sorted(out)


def input_of(path):
    """The input format the CLI gives a file by its extension."""
    return "html" if path.endswith((".html", ".htm")) else "markdown"


def read(path):
    # newline="": the text as the file has it (the CLI reads bytes; "\r\n" stays "\r\n").
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


@pytest.fixture(scope="session")
def cli():
    """A function running the dechaff CLI: cli(*args, stdin=None) -> stdout as str."""
    binary = os.environ.get("DECHAFF_BIN")
    if not binary:
        meta = json.loads(
            subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT)
        )
        binary = os.path.join(meta["target_directory"], "debug", "dechaff")
        if not os.path.exists(binary):
            subprocess.run(["cargo", "build", "--quiet", "--bin", "dechaff"], cwd=ROOT, check=True)

    def run(*args, stdin=None):
        done = subprocess.run(
            [binary, *args], input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=ROOT
        )
        assert done.returncode == 0, f"dechaff {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
        return done.stdout

    return run
