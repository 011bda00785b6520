#!/usr/bin/env python3
"""Whole-process benchmark of dechaff, with its baselines measured in the same run.

Usage: python3 bench/run.py [--copies N] [--repeat N] [--stream-gb G] [--trafilatura]
                            [--binary BINARY] [--baseline BINARY]
                            [--latency [--latency-only] [--latency-every N]
                                       [--latency-also BINARY]...]

- a plain copy of the tree, and a bare lol_html pass with the same selectors
  (examples/bare_pass.rs) are the baselines; the bare pass is also run side by side with
  dechaff's cleaning in one process (`--alternate`), for the ratio on a drifting machine;
- dechaff on one core (--to source, --to markdown) and on all cores (--to source);
- a stream of G GB of HTML through `dechaff --to source`, for its peak memory;
- trafilatura on the same documents, when it is installed (--trafilatura installs it);
- with --baseline, another dechaff binary (an earlier build) on the same trees, run in turn
  with this one, and the ratios of the two;
- with --latency, one process per document (a filter's use): the median and 99th
  percentile wall-clock time over the corpus, and a tiny document through standard input,
  for dechaff (and the baseline) and for trafilatura's command line on the same documents,
  run in turn on each document; with the CPU time each process took, which a loaded
  machine does not inflate. --latency-only runs that alone; --latency-also adds more
  dechaff binaries (earlier builds) to the turn.

--binary runs a given dechaff instead of building this checkout's.

Prints each figure and the ratios the targets in BENCHMARKS.md are stated in.
"""
import argparse, json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "corpus")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd, repeat):
    """Median wall-clock seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_pair(a, b, repeat):
    """Median wall-clock seconds of `a` and of `b`, run in turn `repeat` times each."""
    ta, tb = [], []
    for _ in range(repeat):
        for cmd, times in ((a, ta), (b, tb)):
            start = time.perf_counter()
            run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def wall(cmd, stdin_path):
    """Wall-clock and CPU seconds (user + system) of one process reading `stdin_path` on
    its standard input."""
    with open(stdin_path, "rb") as f:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        secs = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return secs, cpu


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def latency(commands, docs, tiny, runs=21):
    """One process per document for each command (the commands in turn on each document),
    and a tiny document through standard input `runs` times. For each command, in ms:
    (median, p99, tiny median) of wall-clock time, and the same of CPU time."""
    per = {name: [] for name, _ in commands}
    for path in docs:
        for name, cmd in commands:
            per[name].append(wall(cmd, path))
    tiny_times = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            tiny_times[name].append(wall(cmd, tiny))

    def figures(times, tiny):
        return (statistics.median(times) * 1e3, percentile(times, 0.99) * 1e3,
                statistics.median(tiny) * 1e3)

    return {
        name: (figures([w for w, _ in per[name]], [w for w, _ in tiny_times[name]]),
               figures([c for _, c in per[name]], [c for _, c in tiny_times[name]]))
        for name, _ in commands
    }


def print_latency(args, dechaff, work):
    sample = documents(CORPUS)[:: max(1, args.latency_every)]
    tiny = os.path.join(work, "tiny.html")
    with open(tiny, "w") as f:
        f.write("<p>x</p>\n")
    commands = [("dechaff", [dechaff, "-q"])]
    if args.baseline:
        commands.append(("baseline", [args.baseline, "-q"]))
    for other in args.latency_also or []:
        commands.append((os.path.basename(other), [other, "-q"]))
    traf = shutil.which("trafilatura")
    if traf:
        commands.append(("trafilatura", [traf]))
    else:
        print("trafilatura: its command line is not installed (pip install trafilatura)")
    figures = latency(commands, sample, tiny)
    print(f"\none process per document ({len(sample)} documents, standard input to standard output, default format):")
    for name, ((median, p99, tiny_ms), (cpu_median, cpu_p99, cpu_tiny)) in figures.items():
        print(f"    {name:16} wall median {median:7.1f} ms   p99 {p99:7.1f} ms   '<p>x</p>' {tiny_ms:6.1f} ms")
        print(f"    {'':16}  CPU median {cpu_median:7.1f} ms   p99 {cpu_p99:7.1f} ms   '<p>x</p>' {cpu_tiny:6.1f} ms")
    for other in figures:
        if other != "dechaff":
            for kind, i in (("wall", 0), ("CPU", 1)):
                d, t = figures["dechaff"][i], figures[other][i]
                print(f"    {other} / dechaff, {kind:4}: median {t[0] / d[0]:5.1f} x, p99 {t[1] / d[1]:5.1f} x, tiny {t[2] / d[2]:5.1f} x")
    print("    (target: the tiny document in <= 5 ms)")


def documents(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith((".md", ".html")) and not f[:-3].isupper() and f != "SOURCES.md":
                out.append(os.path.join(d, f))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=4, help="corpus copies in the workload")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stream-gb", type=float, default=1.0)
    ap.add_argument("--trafilatura", action="store_true", help="pip install trafilatura if missing")
    ap.add_argument("--work-dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None,
                    help="where the workload and outputs go (default: /dev/shm, in memory, so that "
                         "the disk does not bound the figures; give a disk path to include it)")
    ap.add_argument("--binary", help="the dechaff binary to measure (default: build this checkout's)")
    ap.add_argument("--baseline", help="another dechaff binary to run in turn with this one, for ratios")
    ap.add_argument("--latency", action="store_true", help="one process per document: median and p99")
    ap.add_argument("--latency-only", action="store_true", help="only the per-document latency")
    ap.add_argument("--latency-also", action="append", metavar="BINARY",
                    help="with --latency, more dechaff binaries (earlier builds) run in turn on each document")
    ap.add_argument("--latency-every", type=int, default=1,
                    help="with --latency, every Nth corpus document (trafilatura's start-up is ~0.5 s)")
    args = ap.parse_args()

    build = ["cargo", "build", "--release", "--quiet", "--example", "bare_pass"]
    if not args.binary:
        build += ["--bin", "dechaff"]
    if not (args.latency_only and args.binary):
        run(build, cwd=ROOT)
    target = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT))["target_directory"]
    dechaff = os.path.abspath(args.binary) if args.binary else os.path.join(target, "release", "dechaff")
    bare = os.path.join(target, "release", "examples", "bare_pass")

    work = tempfile.mkdtemp(prefix="dechaff-bench-", dir=args.work_dir)
    if args.latency_only:
        print_latency(args, dechaff, work)
        shutil.rmtree(work, ignore_errors=True)
        return
    tree = os.path.join(work, "in")
    for i in range(args.copies):
        shutil.copytree(CORPUS, os.path.join(tree, f"copy{i}"))
    docs = documents(tree)
    size = sum(os.path.getsize(p) for p in docs)
    mb = size / 1e6
    print(f"workload: {len(docs)} documents, {mb:.1f} MB ({args.copies} copies of the corpus) in {work}; median of {args.repeat} runs; {os.cpu_count()} cores\n")

    results = {}
    results["copy (cp -r)"] = timed(["cp", "-r", tree, os.path.join(work, "copy-out")], 1)
    bare_runs = []
    for _ in range(args.repeat):
        secs, _, _ = subprocess.check_output([bare, tree]).split()
        bare_runs.append(float(secs))
    results["bare lol_html pass, same selectors"] = statistics.median(bare_runs)
    baseline_ratios = []
    for label, extra in [
        ("dechaff -j 1 --to source", ["-j", "1", "--to", "source"]),
        ("dechaff -j 1 --to markdown", ["-j", "1", "--to", "markdown"]),
        ("dechaff -j 2 --to source", ["-j", "2", "--to", "source"]),
        ("dechaff -j 2 --to markdown", ["-j", "2", "--to", "markdown"]),
    ]:
        out = os.path.join(work, "out-" + "-".join(extra))
        cmd = [dechaff, "-q", *extra, tree, "-o", out]
        if args.baseline:
            base_cmd = [args.baseline, "-q", *extra, tree, "-o", out + "-baseline"]
            results[label], base = timed_pair(cmd, base_cmd, args.repeat)
            results["baseline " + label[len("dechaff "):]] = base
            baseline_ratios.append((label, base / results[label]))
            shutil.rmtree(out + "-baseline", ignore_errors=True)
        else:
            results[label] = timed(cmd, args.repeat)
        shutil.rmtree(out, ignore_errors=True)

    for label, secs in results.items():
        print(f"{label:40} {secs:7.3f} s  {mb / secs:8.1f} MB/s  {len(docs) / secs:9.0f} docs/s")

    print()
    for label, ratio in baseline_ratios:
        print(f"{label + ', throughput vs baseline:':50} {ratio:6.2f} x   (target 1.5 on one core)")
    src1 = results["dechaff -j 1 --to source"]
    print(f"source, one core:                 {mb / src1:6.1f} MB/s  (target 150)")
    print(f"source vs bare lol_html pass:     {results['bare lol_html pass, same selectors'] / src1:6.2f} x   (target 0.7; the bare figure excludes process start and file I/O)")
    # The same ratio in memory, the two passes measured side by side, round after round:
    # steadier than whole runs minutes apart on a machine whose speed drifts.
    side_by_side = subprocess.check_output([bare, CORPUS, "--alternate", str(max(args.repeat, 5))], text=True)
    lines = side_by_side.strip().splitlines()
    median = lines[-1].split()[-1]
    best = next(l for l in lines if l.startswith("best-times ratio")).split()[-1]
    print(f"source vs bare pass, side by side: {float(median):6.2f} x   (in memory, median of the rounds' ratios)")
    print(f"                                   {float(best):6.2f} x   (in memory, each side's fastest round)")
    for line in side_by_side.splitlines():
        if line.startswith("family "):
            print(f"    {line}")
    print(f"markdown, one core:               {mb / results['dechaff -j 1 --to markdown']:6.1f} MB/s  (target 60)")
    print(f"two cores vs one (source):        {src1 / results['dechaff -j 2 --to source']:6.2f} x   (target 1.8)")
    print(f"two cores vs one (markdown):      {results['dechaff -j 1 --to markdown'] / results['dechaff -j 2 --to markdown']:6.2f} x")

    if args.stream_gb > 0 and os.path.exists("/usr/bin/time"):
        seed = open(os.path.join(CORPUS, "seeds", "bannedbook-soundofhope-2024.html"), "rb").read()
        n = int(args.stream_gb * (1 << 30)) // len(seed) + 1
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %e", dechaff, "-q", "--input", "html", "--to", "source"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        proc.stdin.write(b"<!DOCTYPE html><html><body>")
        for _ in range(n):
            proc.stdin.write(seed)
        proc.stdin.write(b"</body></html>")
        proc.stdin.close()
        err = proc.stderr.read().decode().split()
        proc.wait()
        rss_kb, secs = int(err[-2]), float(err[-1])
        print(f"stream {args.stream_gb:g} GB of HTML:           {rss_kb / 1024:6.1f} MB peak RSS (target 16), {n * len(seed) / secs / 1e6:.0f} MB/s")

    try:
        import trafilatura  # noqa: F401
    except ImportError:
        if args.trafilatura:
            run([sys.executable, "-m", "pip", "install", "--quiet", "trafilatura", "lxml_html_clean"])
            import importlib, site
            importlib.invalidate_caches()
            sys.path.extend(p for p in site.getsitepackages() if p not in sys.path)
    try:
        import trafilatura
        sample = documents(CORPUS)[:: max(1, len(documents(CORPUS)) // 200)]
        texts = [open(p, encoding="utf-8").read() for p in sample]
        start = time.perf_counter()
        for t in texts:
            trafilatura.extract(t)
        traf = len(texts) / (time.perf_counter() - start)
        ours = len(docs) / results["dechaff -j 1 --to markdown"]
        print(f"trafilatura, one core:            {traf:6.0f} docs/s on {len(texts)} of the same documents; dechaff --to markdown {ours:.0f} docs/s: {ours / traf:.0f} x (target 100)")
    except ImportError:
        print("trafilatura: not installed (run with --trafilatura to compare)")
    if args.latency:
        print_latency(args, dechaff, work)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
