#!/usr/bin/env python3
"""How far rules learned from a site's pages get toward its hand-written outlet rules.

Usage: python3 bench/learning.py [DIR] [--dechaff PATH] [--lost]

Cleans the tree (default: tests/corpus) three times with `--to source`:
  none    outlet rules switched off (`--outlet none`): the common and family rules alone;
  outlet  the built-in rules, outlet rules included;
  learned outlet rules switched off, rules learned from the tree on (`--outlet none --learn`).
Then, per site directory, counts the bytes of text (outside tags, whitespace aside) that
the outlet rules remove from `none`, that learning removes, that both remove, and that
learning removes although the outlet rules keep them: text possibly lost, which must be 0.
`--lost` lists that text.
"""
import argparse, collections, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = re.compile(r"<[^>]*>|\s+|[^<\s]+")


def words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return [w for w in WORD.findall(text) if not w.startswith("<") and not w.isspace()]


def kept(before, after):
    """For each word of `before`, whether `after` still has it. Cleaning only removes (and
    rewrites tags, which are not counted), so what is left is found in order."""
    keep = [False] * len(before)
    i = j = 0
    while i < len(before) and j < len(after):
        if before[i] == after[j]:
            keep[i] = True
            i += 1
            j += 1
            continue
        try:
            i = before.index(after[j], i, i + 4000)
        except ValueError:
            j += 1  # a word the rules made (an unwrapped or rewritten element's)
    return keep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=os.path.join(ROOT, "tests", "corpus"))
    ap.add_argument("--dechaff", default=os.path.join(ROOT, "target", "release", "dechaff"))
    ap.add_argument("--lost", action="store_true")
    args = ap.parse_args()
    runs = {"none": ["--outlet", "none"], "outlet": [], "learned": ["--outlet", "none", "--learn"]}
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in runs.items():
            subprocess.run(
                [args.dechaff, args.dir, "-o", os.path.join(tmp, name), "--to", "source", "-q", *extra],
                check=True,
            )
        sites = collections.OrderedDict()
        lost = []
        base = os.path.join(tmp, "none")
        for dirpath, _, files in sorted(os.walk(base)):
            for name in sorted(files):
                rel = os.path.relpath(os.path.join(dirpath, name), base)
                before = words(os.path.join(base, rel))
                by_outlet = kept(before, words(os.path.join(tmp, "outlet", rel)))
                by_learning = kept(before, words(os.path.join(tmp, "learned", rel)))
                c = sites.setdefault(os.path.dirname(rel), collections.Counter())
                for w, o, l in zip(before, by_outlet, by_learning):
                    n = len(w.encode())
                    c["outlet"] += 0 if o else n
                    c["learned"] += 0 if l else n
                    c["both"] += 0 if o or l else n
                    if o and not l:
                        c["lost"] += n
                        lost.append((rel, w))
    print("| site | outlet rules remove | learning removes | both | share | learning removes, outlet rules keep |")
    print("|---|---:|---:|---:|---:|---:|")
    total = collections.Counter()
    for site, c in list(sites.items()) + [("all", None)]:
        if c is None:
            c = total
        else:
            total.update(c)
        share = f"{100 * c['both'] / c['outlet']:.0f} %" if c["outlet"] else "-"
        print(f"| {site} | {c['outlet']} | {c['learned']} | {c['both']} | {share} | {c['lost']} |")
    for rel, w in lost if args.lost else []:
        print(f"lost: {rel}: {w}", file=sys.stderr)


if __name__ == "__main__":
    main()
