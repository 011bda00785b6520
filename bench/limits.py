#!/usr/bin/env python3
"""What the bounds of issue 19 cost and save: CPU seconds and peak RSS of hostile inputs and
rule sets, for this build and, with --base, an older binary side by side.

Usage: python3 bench/limits.py [--base OLD_BINARY] [--only replace,rules,fragments,whole,windows,stream]

- replace: a `replace` rule `[a-z]+Z|a` on one line of N letters (each search for `a`
  first looks to the end of the line for a `Z`: quadratic without a bound).
- rules: 2,000 rules each near the 1 MiB bound of one regex (`\\w{20}N`), loaded to clean
  one small page.
- fragments: a 110 KB rule file that names a 100 KB fragment 2,000 times (200 MB written
  out unbounded), and one of 40 fragments each naming the one before twice: refused at the
  4 MiB bound on what fragments write out; and 45,000 fragments in a chain, each naming
  the next (found by name, not by a search of the list: quadratic before); and a pattern of
  450,000 `{{` with no `}}` (each was followed to the string's end: quadratic before).
- whole: `--to markdown` of generated pages (HTML paragraphs of words; short linked
  paragraphs, the worst case measured; Markdown paragraphs of words) below the 16 MiB
  bound, and of one past it (refused).
- windows: `--to markdown` of a 200 MB page of HTML paragraphs and one of Markdown
  paragraphs, past the 16 MiB bound: cleaned in windows (refused before they were), peak
  RSS against the input's size.
- stream: `--to source` of `<ok>x` repeated 8 and 32 million times (past the rewriter's
  memory bound, the rest passes through).

Prints CPU seconds, peak RSS in MB, the exit status and what each run said (a rule not
applied, a document larger than the bound, regexes past the rule set's bound, the
rewriter's memory bound). Cases that take minutes unbounded run on the base only where
they are short.
"""
import argparse, json, os, random, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measured(cmd, stdin_path=None):
    """CPU seconds, peak RSS (MB), exit status and standard error of one run of `cmd`."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if stdin_path:
        stdin.close()
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def report(label, binaries, cmd_of, stdin_path=None, base=True, per=None):
    """One line a binary: CPU, peak RSS (and, given `per`, the input's size, RSS against
    it), the exit status, what it said."""
    for name, binary in binaries:
        if name == "base" and not base:
            continue
        cpu, rss, code, stderr = measured(cmd_of(binary), stdin_path)
        said = sorted({w for w in ("not applied", "larger than", "would take more than", "memory bound", "windows") if w in stderr})
        ratio = f" ({rss * 2**20 / per:.3f} x the input)" if per else ""
        print(f"{label:44} {name:5} {cpu:8.2f} s {rss:9.1f} MB{ratio}  exit {code}  {', '.join(said)}", flush=True)


def rule_file(path, rules):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for i, (pattern, with_) in enumerate(rules):
            f.write(f"[[rule]]\nid = \"r{i}\"\naction = \"replace\"\npattern = '{pattern}'\nwith = \"{with_}\"\nnote = \"n\"\n\n")


def pages(work, size, kinds=("words", "links", "markdown")):
    """A page of paragraphs of words, one of short linked paragraphs, and a Markdown
    document of paragraphs of words, of about `size` bytes. Written as they are made: this
    process stays small, and a child's peak RSS counts what it was before it became
    dechaff."""
    random.seed(1)
    words = "news article government report said the of and to in a economy people city".split()
    out = []
    for kind in kinds:
        markdown = kind == "markdown"
        path = os.path.join(work, f"{kind}-{size >> 20}M.{'md' if markdown else 'html'}")
        with open(path, "w") as f:
            f.write("# Big\n\n" if markdown else "<!doctype html><html><body><article><h1>Big</h1>\n")
            n, i = 0, 0
            while n < size:
                if kind == "words":
                    p = "<p>" + " ".join(random.choice(words) for _ in range(60)) + " 中文字符测试。</p>\n"
                elif markdown:
                    p = " ".join(random.choice(words) for _ in range(60)) + " 中文字符测试。\n\n"
                else:
                    p = f'<p>Short <a href="https://example.com/a{i}">link</a> and <b>bold</b> <i>it</i> x.</p>\n'
                f.write(p)
                n += len(p.encode())
                i += 1
            if not markdown:
                f.write("</article></body></html>\n")
        out.append((kind, path))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", help="an older dechaff binary to run side by side")
    ap.add_argument("--only", default="replace,rules,fragments,whole,windows,stream")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "dechaff"], cwd=ROOT, check=True)
    target = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT))["target_directory"]
    binaries = [("new", os.path.join(target, "release", "dechaff"))]
    if args.base:
        binaries.insert(0, ("base", args.base))
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="dechaff-limits-") as work:
        if "replace" in only:
            rules = os.path.join(work, "replace")
            rule_file(os.path.join(rules, "common.toml"), [("[a-z]+Z|a", "b")])
            for n in (25_000, 100_000, 400_000):
                page = os.path.join(work, f"letters-{n}.md")
                with open(page, "w") as f:
                    f.write("a" * n + "\n")
                # Unbounded, 400,000 letters take minutes: the base runs the smaller two.
                report(f"replace [a-z]+Z|a, one line of {n:,}", binaries,
                       lambda b: [b, "--rules", rules, "--to", "source", page], base=n <= 100_000)
        if "rules" in only:
            rules = os.path.join(work, "regexes")
            rule_file(os.path.join(rules, "common.toml"), [(f"\\w{{20}}x{i}", "") for i in range(2000)])
            page = os.path.join(work, "tiny.html")
            with open(page, "w") as f:
                f.write("<p>hello</p>\n")
            report("2,000 rules of \\w{20}: load, clean a page", binaries,
                   lambda b: [b, "-q", "--rules", rules, page])
        if "fragments" in only:
            page = os.path.join(work, "tiny-fragments.html")
            with open(page, "w") as f:
                f.write("<p>hello</p>\n")
            many = os.path.join(work, "fragments-many")
            os.makedirs(many)
            with open(os.path.join(many, "common.toml"), "w") as f:
                f.write('[[rule]]\nid = "r"\naction = "drop-lines"\npattern = \'' + "{{x}}" * 2000
                        + '\'\nnote = "n"\n\n[fragments]\nx = \'' + "a" * 100_000 + "'\n")
            # Unbounded, it takes minutes and about 20 GB: the base does not run it.
            report("a 100 KB fragment named 2,000 times", binaries,
                   lambda b: [b, "-q", "--rules", many, page], base=False)
            nested = os.path.join(work, "fragments-nested")
            os.makedirs(nested)
            levels = ["l0 = 'xxxxxxxxxxxxxxxx'"] + [
                f"l{i} = '{{{{l{i - 1}}}}}{{{{l{i - 1}}}}}'" for i in range(1, 40)]
            with open(os.path.join(nested, "common.toml"), "w") as f:
                f.write('[[rule]]\nid = "r"\naction = "drop-lines"\npattern = \'^{{l39}}$\'\n'
                        'note = "n"\n\n[fragments]\n' + "\n".join(levels) + "\n")
            report("40 fragments, each naming the one before twice", binaries,
                   lambda b: [b, "-q", "--rules", nested, page], base=False)
            chain = os.path.join(work, "fragments-chain")
            os.makedirs(chain)
            n = 45_000
            links = [f"f{i} = '{{{{f{i + 1}}}}}'" for i in range(n)] + [f"f{n} = 'x'"]
            with open(os.path.join(chain, "common.toml"), "w") as f:
                f.write('[[rule]]\nid = "r"\naction = "drop-lines"\npattern = \'^{{f0}}$\'\n'
                        'note = "n"\n\n[fragments]\n' + "\n".join(links) + "\n")
            report("45,000 fragments in a chain", binaries,
                   lambda b: [b, "-q", "--rules", chain, page])
            braces = os.path.join(work, "fragments-braces")
            os.makedirs(braces)
            with open(os.path.join(braces, "common.toml"), "w") as f:
                f.write('[[rule]]\nid = "r"\naction = "drop-lines"\npattern = \'' + "{{" * 450_000
                        + '\'\nnote = "n"\n')
            # Quadratic before, over a minute: the base does not run it.
            report("450,000 {{ without }}", binaries,
                   lambda b: [b, "-q", "--rules", braces, page], base=False)
        if "whole" in only:
            for size in (4 << 20, 15 << 20, 64 << 20):
                for kind, page in pages(work, size):
                    # Unbounded, 64 MiB of links take minutes and gigabytes: the base runs
                    # the pages of words only.
                    report(f"--to markdown, {kind} page of {size >> 20} MiB", binaries,
                           lambda b: [b, "-q", "--to", "markdown", page],
                           base=size < (16 << 20) or kind != "links")
                    os.remove(page)
        if "windows" in only:
            size = 200 * 1000 * 1000
            for kind, page in pages(work, size, ("words", "markdown")):
                report(f"--to markdown, {kind} page of 200 MB", binaries,
                       lambda b: [b, "-q", "--to", "markdown", page], per=os.path.getsize(page))
                os.remove(page)
        if "stream" in only:
            for n in (8_000_000, 32_000_000):
                page = os.path.join(work, f"ok-{n}.html")
                with open(page, "w") as f:
                    for _ in range(n // 1_000_000):
                        f.write("<ok>x" * 1_000_000)
                report(f"--to source, <ok>x x {n:,}", binaries,
                       lambda b: [b, "--to", "source", page])
                os.remove(page)


if __name__ == "__main__":
    main()
