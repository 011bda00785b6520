#!/usr/bin/env python3
"""The Python package against trafilatura, in one Python process, on the same documents.

Usage: pip install ./python && python3 bench/python.py [--trafilatura] [--rounds N]

Every corpus document (read as str, as a corpus builder holds it) is cleaned, round after
round, by:
- trafilatura.extract(text), one call per document (its default: text output);
- dechaff.clean(text), one call per document (Markdown content and every field);
- Cleaner.clean_many(texts) on one thread and on every core (the GIL released);
- trafilatura on a process pool of as many processes as cores: it has no batch call, and
  the GIL keeps Python threads from running it in parallel.
Each figure is the fastest round (interference only adds time); the ratios are taken
from the same run. trafilatura gives up early, returning None, on documents it finds no
article in (the Jekyll mirrors' Markdown), which makes it fast there, so the ratios are
also given on the documents it does extract.
"""
import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "corpus")


def documents(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith((".md", ".html")) and f != "SOURCES.md":
                out.append(os.path.join(d, f))
    return sorted(out)


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def extract(text):
    import trafilatura

    return trafilatura.extract(text)


def timed(work):
    """Wall-clock and CPU seconds of this process (CPU excludes pool workers)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--trafilatura", action="store_true", help="pip install trafilatura if missing")
    args = ap.parse_args()

    try:
        import trafilatura  # noqa: F401
    except ImportError:
        if not args.trafilatura:
            sys.exit("trafilatura is not installed (run with --trafilatura to install it)")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "trafilatura", "lxml_html_clean"], check=True)
        import trafilatura  # noqa: F401
    import dechaff

    texts = [read(p) for p in documents(CORPUS)]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    cores = os.cpu_count() or 1
    cleaner = dechaff.Cleaner()
    extracted = [t for t in texts if extract(t) is not None]
    print(f"dechaff {dechaff.__version__}, trafilatura {trafilatura.__version__}, Python {sys.version.split()[0]}, {cores} cores")
    print(f"{len(texts)} documents, {mb:.1f} MB; trafilatura extracts text from {len(extracted)} of them\n")

    pool = ProcessPoolExecutor(cores)
    list(pool.map(extract, texts[:cores]))  # the workers start and import trafilatura once
    runs = {
        "trafilatura.extract, one call each": lambda docs: [extract(t) for t in docs],
        f"trafilatura.extract, {cores} processes": lambda docs: list(pool.map(extract, docs, chunksize=8)),
        "dechaff.clean, one call each": lambda docs: [cleaner.clean(t) for t in docs],
        "Cleaner.clean_many, 1 thread": lambda docs: cleaner.clean_many(docs, threads=1),
        f"Cleaner.clean_many, {cores} threads": lambda docs: cleaner.clean_many(docs),
    }
    best = {}
    for _ in range(args.rounds):
        for subset, docs in [("all", texts), ("extracted", extracted)]:
            for label, run in runs.items():
                wall, cpu = timed(lambda: run(docs))
                old = best.get((subset, label), (float("inf"), float("inf")))
                best[(subset, label)] = (min(old[0], wall), min(old[1], cpu))
    pool.shutdown()

    for subset, docs in [("all", texts), ("extracted", extracted)]:
        print(f"{'documents: ' + subset + f' ({len(docs)})':42} {'docs/s':>9} {'CPU s':>8}")
        for label in runs:
            wall, cpu = best[(subset, label)]
            shown_cpu = f"{cpu:8.2f}" if "processes" not in label else "       -"
            print(f"  {label:40} {len(docs) / wall:9.0f} {shown_cpu}")
        wall = {label: best[(subset, label)][0] for label in runs}
        cpu = {label: best[(subset, label)][1] for label in runs}
        traf, pooled = "trafilatura.extract, one call each", f"trafilatura.extract, {cores} processes"
        one, many = "dechaff.clean, one call each", f"Cleaner.clean_many, {cores} threads"
        print(f"  single call, dechaff.clean / trafilatura.extract: {wall[traf] / wall[one]:5.1f} x in time, "
              f"{cpu[traf] / cpu[one]:5.1f} x in CPU time (target 50)")
        print(f"  batch, clean_many on {cores} threads / the same loop:   {wall[traf] / wall[many]:5.1f} x in time")
        print(f"  batch, clean_many on {cores} threads / {cores} processes:    {wall[pooled] / wall[many]:5.1f} x in time\n")
    print("CPU time is this process's (a pool's workers are not counted): steadier than wall-clock")
    print("time on a shared machine, and the same for one thread.")

if __name__ == "__main__":
    main()
