#!/usr/bin/env python3
"""What dechaff and its peers keep and remove, scored by the corpus's own assertions.

Usage: python3 bench/peers.py [--dechaff target/release/dechaff] [--install] [TREE ...]
       (default trees: tests/corpus-unknown and tests/corpus)

Every document of a tree is cleaned to plain text by
- dechaff (`--to text`; on tests/corpus also `--outlet none`, the outlet rules off, as for
  an outlet no file knows),
- trafilatura (`extract`, its defaults), readability-lxml (`Document.summary`, its text) and
  resiliparse (`extract_plain_text(main_content=True)`).
The peers read HTML: a mirror's Markdown document is rendered to HTML first (Python-Markdown,
front matter dropped, its title put in `<title>`), as a user would hand it to them; an HTML
document is given as it is.

Each output is scored against the `expect.toml` of the document's site and family, the
assertions `cargo test` holds dechaff to:
- article text kept: the `keep` snippets (the lead, dateline, a caption, a subheading, the
  last paragraph) found in the text, whitespace folded on both sides. A snippet is read as
  plain text would show it (tags and Markdown escapes dropped); one that names media or an
  address (an image's file name, a video's link), or is written as markup (`&#x…;`,
  `value="…"`), or occurs only inside tags (an image's alt text), is not scored: no plain
  text shows it. Nor is a metadata line (a source
  line, a feed's date header, a translation link, a short URL, a reprint notice): dechaff
  moves those out of the body into fields by design (its `metadata` rules' hits, read from
  `--to json`, name them), so they are counted apart, for every tool alike.
- documents free of chaff: none of the `absent` patterns (the site's chaff: pitches,
  notices, related lists, follow bars) matches the text. Patterns written for markup (a
  generator's comment, a link's address) cannot match any tool's plain text and count for
  none. `present` patterns speak of the source format and are not scored.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tomllib

import regex  # the expectations are Rust regexes: `\p{Han}` and friends need this module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = ["trafilatura", "readability-lxml", "resiliparse"]
FRONT = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)
MEDIA = re.compile(r"\.(?:png|jpe?g|gif|webp|svg)$|^[\w.-]+\.\w+/\S*$", re.I)
MARKUP = re.compile(r"&#?x?[0-9a-z]+;|=\"", re.I)


def documents(tree):
    out = []
    for d, _, files in os.walk(tree):
        for f in files:
            if f.endswith((".md", ".html")) and f not in ("SOURCES.md", "README.md"):
                out.append(os.path.join(d, f))
    return sorted(out)


def rust_regex(pattern):
    """A Rust `regex` pattern compiled by Python's `regex` module (`\\z` is its `\\Z`,
    `\\x{80}` its `\\x80`)."""
    pattern = re.sub(r"\\x\{([0-9A-Fa-f]{1,6})\}", lambda m: "\\U%08x" % int(m[1], 16), pattern)
    return regex.compile(pattern.replace("\\z", "\\Z"))


def expectations(tree, doc):
    """The absent regexes and keep snippets that hold for `doc` (its site's and family's)."""
    absent, keep = [], []
    d = os.path.dirname(doc)
    while True:
        path = os.path.join(d, "expect.toml")
        if os.path.exists(path):
            with open(path, "rb") as f:
                table = tomllib.load(f)
            absent += [rust_regex(p) for p in table.get("absent", [])]
            if not keep:
                keep = table.get("keep", {}).get(os.path.basename(doc), [])
        if os.path.samefile(d, tree):
            break
        d = os.path.dirname(d)
    return absent, keep


def fold(text):
    return " ".join(text.split())


def as_text(snippet):
    """A keep snippet as plain text shows it, or None when plain text cannot show it."""
    s = snippet.strip()
    if MEDIA.search(s) or MARKUP.search(s):
        return None
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"\\(.)", r"\1", s)
    if len(s) > 4 and s.startswith("**") and s.endswith("**"):
        s = s[2:-2]
    return fold(s) or None


def only_in_tags(snippet, source):
    """Whether `snippet` occurs in the source only inside tags (an image's alt text, a
    class name): plain text never shows it."""
    at = [m.start() for m in re.finditer(re.escape(snippet), source)]
    return bool(at) and all(source.rfind("<", 0, i) > source.rfind(">", 0, i) for i in at)


def metadata_lines(binary, path):
    """What dechaff's metadata rules read on `path` (folded previews; `…` ends a shortened one)."""
    out = subprocess.run([binary, "-q", "--to", "json", path], capture_output=True)
    try:
        rules = json.loads(out.stdout).get("rules", [])
    except ValueError:
        return []
    return [fold(p).rstrip("…") for r in rules if r.get("action") == "metadata" for p in r.get("previews", [])]


def is_metadata(text, lines):
    return any(line and (line in text or text in line) for line in lines)


def as_html(path, text):
    if path.endswith(".html"):
        return text
    import markdown

    title = ""
    m = FRONT.match(text)
    if m:
        t = re.search(r"(?m)^title:\s*\"?(.*?)\"?\s*$", m.group(1))
        title = t.group(1) if t else ""
        text = text[m.end():]
    return f"<html><head><title>{title}</title></head><body>{markdown.markdown(text)}</body></html>"


def trafilatura_text(_path, html):
    import trafilatura

    return trafilatura.extract(html) or ""


def readability_text(_path, html):
    import lxml.html
    from readability import Document

    summary = Document(html).summary()
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def resiliparse_text(_path, html):
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True)


def dechaff(binary, args):
    def clean(path, _html):
        out = subprocess.run([binary, "-q", "--to", "text", *args, path], capture_output=True)
        return out.stdout.decode("utf-8", "replace")

    return clean


def score(tree, docs, tool, reads_html, binary):
    kept = snippets = meta = clean = empty = matches = 0
    for path in docs:
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            text = f.read()
        absent, keep = expectations(tree, path)
        try:
            out = tool(path, as_html(path, text) if reads_html else None)
        except ImportError as e:  # a missing module is no page's failure: stop and say so
            sys.exit(f"peers.py: {e}; `--install` installs the peers and their modules")
        except Exception:  # a peer that fails on a page keeps nothing of it
            out = ""
        empty += not out.strip()
        folded = fold(out)
        texts = [as_text(k) for k in keep if not only_in_tags(k, text)]
        texts = [t for t in texts if t]
        lines = metadata_lines(binary, path) if texts else []
        article = [t for t in texts if not is_metadata(t, lines)]
        meta += len(texts) - len(article)
        snippets += len(article)
        kept += sum(t in folded for t in article)
        hits = sum(1 for r in absent if r.search(out))
        matches += hits
        clean += hits == 0
    return kept, snippets, meta, clean, len(docs), matches, empty


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trees", nargs="*", default=["tests/corpus-unknown", "tests/corpus"])
    ap.add_argument("--dechaff", default=os.path.join(ROOT, "target", "release", "dechaff"))
    ap.add_argument("--install", action="store_true", help="pip install the peers if missing")
    args = ap.parse_args()
    if args.install:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "markdown", "regex", *PEERS], check=True)
    print("| tree | tool | article text kept (keep snippets) | documents free of chaff | chaff matches | empty outputs |")
    print("|---|---|---:|---:|---:|---:|")
    for tree in args.trees:
        tree = os.path.abspath(os.path.join(ROOT, tree))
        docs = documents(tree)
        tools = [("dechaff", dechaff(args.dechaff, []), False)]
        if os.path.basename(tree) == "corpus":
            tools.append(("dechaff `--outlet none`", dechaff(args.dechaff, ["--outlet", "none"]), False))
        tools += [
            ("trafilatura", trafilatura_text, True),
            ("readability-lxml", readability_text, True),
            ("resiliparse", resiliparse_text, True),
        ]
        name = os.path.relpath(tree, ROOT)
        for label, tool, reads_html in tools:
            kept, snippets, meta, clean, n, matches, empty = score(tree, docs, tool, reads_html, args.dechaff)
            print(
                f"| {name} | {label} | {kept} / {snippets} ({100 * kept / max(snippets, 1):.1f} %) "
                f"| {clean} / {n} | {matches} | {empty} |",
                flush=True,
            )
        print(f"\n({name}: {meta // len(tools)} metadata-line snippets not scored)\n", flush=True)


if __name__ == "__main__":
    main()
