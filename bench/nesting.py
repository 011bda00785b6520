#!/usr/bin/env python3
"""Time and peak memory of dechaff on pathologically nested HTML, in every output format.

Usage: python3 bench/nesting.py [--tags div,span,section,li,p] [--depths 100000,400000,3200000]
                                [--binary PATH]

Each document is one tag opened DEPTH times and never closed (`<div>` x DEPTH), as in a
hostile page. Prints CPU seconds and peak RSS per run, and for each tag and format the CPU
time per million elements at each depth: time is linear in the input when that figure
stays flat as the depth grows eightfold. The deepest documents are past the 16 MiB
`--max-document` bound of the formats that read the whole article: it is raised to 64 MiB.
`--binary` runs an older build instead of this tree's.
"""
import argparse, json, os, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = ["source", "markdown", "html", "text", "json"]


def measured(cmd, path):
    """CPU seconds (user + system) and peak RSS in MB of one run of `cmd` on `path`."""
    with open(path, "rb") as stdin:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} < {path}: exit {status}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tags", default="div,span,section,li,p")
    ap.add_argument("--depths", default="100000,400000,3200000")
    ap.add_argument("--binary")
    args = ap.parse_args()
    if args.binary:
        dechaff = args.binary
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "dechaff"], cwd=ROOT, check=True)
        target = json.loads(subprocess.check_output(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT))["target_directory"]
        dechaff = os.path.join(target, "release", "dechaff")
    depths = [int(d) for d in args.depths.split(",")]
    with tempfile.TemporaryDirectory(prefix="dechaff-nesting-") as work:
        for tag in args.tags.split(","):
            per_million = {f: [] for f in FORMATS}
            for depth in depths:
                path = os.path.join(work, f"{tag}-{depth}.html")
                with open(path, "w") as f:
                    f.write(f"<{tag}>" * depth + "\n")
                for fmt in FORMATS:
                    cpu, rss = measured([dechaff, "-q", "--max-document", "64M", "--from", "html", "--to", fmt], path)
                    per_million[fmt].append(cpu / depth * 1e6)
                    print(f"{tag:8} {depth:>9} {fmt:9} {cpu:7.2f} s {rss:8.1f} MB", flush=True)
                os.remove(path)
            for fmt in FORMATS:
                figures = " ".join(f"{x:.2f}" for x in per_million[fmt])
                print(f"{tag:8} {fmt:9} s per million elements at each depth: {figures}")


if __name__ == "__main__":
    main()
