#!/usr/bin/env python3
"""How far rules learned from a site's pages get toward its hand-written outlet rules.

Usage: python3 bench/learning.py [DIR] [--dechaff PATH] [--lost] [--missed N]

Cleans the tree (default: tests/corpus) three times with `--to source`:
  none    outlet rules switched off (`--outlet none`): the common, generic and family rules;
  outlet  the built-in rules, outlet rules included;
  learned outlet rules switched off, rules learned from the tree on (`--outlet none --learn`).
Then, per site directory, counts the bytes of text (outside tags, whitespace aside) that
the outlet rules remove from `none`, that learning removes, that both remove, and that
learning removes although the outlet rules keep them: text possibly lost, which must be 0.
Text is compared token by token (a run of Latin letters and digits, or any other single
character), so that a rule that unwraps an element and joins its text to the words around
it removes nothing. `--lost` lists the text learning removes and the outlet rules keep;
`--missed N` lists, per site, the N largest pieces the outlet rules remove and learning
keeps (digits shown as #), with the pages they are on.

`--generic off` switches the generic layer (rules/generic.toml, and the platforms recognised
by their own signals when no outlet is) off in all three runs: what learning does alone.
`--generic learned` switches it off in `none` and `outlet` only: what the generic layer and
learning together do of what the outlet rules do. `--generic alone` switches it off in
`none` and `outlet`, and the third run is the generic layer without learning (`--outlet
none`): what the generic layer does of what the outlet rules do, and the text it removes
that they keep (README's figure).
"""

import argparse, collections, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = re.compile(r"<[^>]*>")
TOKEN = re.compile(r"[A-Za-z0-9_]+|\S")
# Tokens that must agree for an alignment to pick up again after a removal.
SYNC = 6


def words(path):
    """The tokens of a document's text outside tags."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return TOKEN.findall(TAG.sub(" ", text))


def kept(before, after):
    """For each token of `before`, whether `after` still has it. Cleaning only removes (and
    rewrites tags, which are not counted), so what is left is found in order: where the two
    part, `before` picks up again at the next place where the next few tokens of `after`
    follow one another."""
    keep = [False] * len(before)
    at = {}
    for k, w in enumerate(before):
        at.setdefault(w, []).append(k)
    i = j = 0
    while i < len(before) and j < len(after):
        if before[i] == after[j]:
            keep[i] = True
            i += 1
            j += 1
            continue
        want = after[j : j + SYNC]
        found = None
        for k in at.get(after[j], []):
            if k < i:
                continue
            if before[k : k + len(want)] == want:
                found = k
                break
        if found is None:
            j += 1  # a token the rules made (an unwrapped or rewritten element's)
        else:
            i = found
    return keep


def shown(tokens):
    """Tokens as text: a space only between two runs of Latin letters or digits."""
    out = ""
    for t in tokens:
        if out and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=os.path.join(ROOT, "tests", "corpus"))
    ap.add_argument("--dechaff", default=os.path.join(ROOT, "target", "release", "dechaff"))
    ap.add_argument("--lost", action="store_true")
    ap.add_argument("--missed", type=int, default=0, metavar="N")
    ap.add_argument("--generic", choices=["on", "off", "learned", "alone"], default="on")
    args = ap.parse_args()
    runs = {"none": ["--outlet", "none"], "outlet": [], "learned": ["--outlet", "none", "--learn"]}
    # What the third run is, in the table and the lists.
    third = "learning"
    if args.generic == "alone":
        runs["learned"] = ["--outlet", "none"]
        third = "the generic layer"
    with tempfile.TemporaryDirectory() as tmp:
        if args.generic != "on":
            # A rules directory whose generic.toml has no rules replaces the built-in one,
            # and whose platforms/ files, the same rules without `[detect]`, are never
            # recognised on their own (outlets still extend them).
            empty = os.path.join(tmp, "no-generic")
            os.makedirs(os.path.join(empty, "platforms"))
            with open(os.path.join(empty, "generic.toml"), "w") as f:
                f.write('description = "The generic layer switched off."\n')
            platforms = os.path.join(ROOT, "rules", "platforms")
            for name in os.listdir(platforms):
                with open(os.path.join(platforms, name), encoding="utf-8") as f:
                    text = f.read()
                # Up to the next rule or fragments table, or the end of the file: signals
                # stand after the rules as often as not.
                end = r"(?=^\[\[rule\]\]|^\[fragments\]|\Z)"
                text = re.sub(r"(?ms)^\[detect\].*?" + end, "", text)
                text = re.sub(r"(?ms)^\[\[detect\.signal\]\].*?" + end, "", text)
                with open(os.path.join(empty, "platforms", name), "w", encoding="utf-8") as f:
                    f.write(text)
            for name in runs if args.generic == "off" else ["none", "outlet"]:
                runs[name] += ["--rules", empty]
        for name, extra in runs.items():
            subprocess.run(
                [args.dechaff, args.dir, "-o", os.path.join(tmp, name), "--to", "source", "-q", *extra],
                check=True,
            )
        sites = collections.OrderedDict()
        lost = []
        missed = collections.defaultdict(collections.Counter)
        missed_pages = collections.defaultdict(lambda: collections.defaultdict(set))
        base = os.path.join(tmp, "none")
        for dirpath, _, files in sorted(os.walk(base)):
            for name in sorted(files):
                rel = os.path.relpath(os.path.join(dirpath, name), base)
                before = words(os.path.join(base, rel))
                by_outlet = kept(before, words(os.path.join(tmp, "outlet", rel)))
                by_learning = kept(before, words(os.path.join(tmp, "learned", rel)))
                c = sites.setdefault(os.path.dirname(rel), collections.Counter())
                run = []
                for w, o, l in zip(before + [""], by_outlet + [True], by_learning + [True]):
                    n = len(w.encode())
                    c["outlet"] += 0 if o else n
                    c["learned"] += 0 if l else n
                    c["both"] += 0 if o or l else n
                    if o and not l:
                        c["lost"] += n
                        lost.append((rel, w))
                    if not o and l:
                        run.append(w)
                    elif run:
                        piece = re.sub(r"\d+", "#", shown(run))[:100]
                        missed[os.path.dirname(rel)][piece] += len("".join(run).encode())
                        missed_pages[os.path.dirname(rel)][piece].add(os.path.basename(rel))
                        run = []
    print(f"| site | outlet rules remove | {third} removes | both | share | {third} removes, outlet rules keep |")
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
    for site, pieces in sorted(missed.items()) if args.missed else []:
        print(f"\nmissed on {site}: {sum(pieces.values())} bytes")
        for piece, n in pieces.most_common(args.missed):
            print(f"  {n:7d} bytes on {len(missed_pages[site][piece]):2d} pages: {piece}")


if __name__ == "__main__":
    main()
