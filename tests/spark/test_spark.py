#!/usr/bin/env python3
"""The Spark example, run for real: PySpark in local mode (local[2]) over the development
corpus, checked document by document against dechaff run directly on the same lines.

    python3 tests/spark/test_spark.py [path/to/dechaff]

Needs pyspark and a Java runtime (.ci/run installs them). Prints `N passed, N failed`.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "corpus")
JOB = os.path.join(ROOT, "examples", "spark", "clean_with_spark.py")

passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok      {name}")
    else:
        failed += 1
        print(f"FAILED  {name}: {detail}")


def binary():
    if len(sys.argv) > 1:
        return os.path.abspath(sys.argv[1])
    meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT))
    return os.path.join(meta["target_directory"], "debug", "dechaff")


def corpus_lines():
    lines = []
    for d, _, files in sorted(os.walk(CORPUS)):
        for f in sorted(files):
            if f.endswith((".md", ".html")) and f != "SOURCES.md":
                path = os.path.join(d, f)
                with open(path, encoding="utf-8") as fh:
                    rel = os.path.relpath(path, CORPUS)
                    lines.append(json.dumps({"id": rel, "content": fh.read()}, ensure_ascii=False))
    return lines


def peak_rss_kb(cmd, stdin_bytes):
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], input=stdin_bytes, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return int(proc.stderr.decode().split()[-1])


def main():
    dechaff = binary()
    work = tempfile.mkdtemp(prefix="dechaff-spark-")
    try:
        lines = corpus_lines()
        bad_json = "{this is not json"
        no_content = json.dumps({"id": "no-content", "text": "x"})
        # The bad lines sit among the documents, not at the ends.
        lines = lines[:100] + [bad_json] + lines[100:400] + [no_content] + lines[400:]
        input_path = os.path.join(work, "input.jsonl")
        with open(input_path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")

        direct = subprocess.run([dechaff, "--from", "jsonl", "--to", "jsonl", "-q"], stdin=open(input_path, "rb"), capture_output=True, check=True)
        expected = [json.loads(l) for l in direct.stdout.decode().splitlines()]
        check("dechaff answers every line directly", len(expected) == len(lines), f"{len(expected)} of {len(lines)}")

        out = os.path.join(work, "out")
        env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
        started = time.perf_counter()
        job = subprocess.run(
            ["spark-submit", "--master", "local[2]", "--conf", "spark.ui.enabled=false", JOB,
             "--input", input_path, "--output", out, "--binary", dechaff, "--partitions", "4"],
            capture_output=True, env=env,
        )
        seconds = time.perf_counter() - started
        check("the Spark job succeeds", job.returncode == 0, job.stderr.decode()[-3000:])
        got = []
        if os.path.isdir(out):
            for part in sorted(os.listdir(out)):
                if part.startswith("part-"):
                    with open(os.path.join(out, part), encoding="utf-8") as fh:
                        got.extend(json.loads(l) for l in fh if l.strip())
        check("Spark answers every line", len(got) == len(lines), f"{len(got)} of {len(lines)}")

        by_id = {}
        for record in got:
            by_id.setdefault(json.dumps(record.get("id")), []).append(record)
        documents = [r for r in expected if r.get("id") is not None and "error" not in r]
        missing = [r["id"] for r in documents if json.dumps(r["id"]) not in by_id]
        doubled = [k for k, v in by_id.items() if len(v) > 1 and k != "null"]
        differ = [r["id"] for r in documents if json.dumps(r["id"]) in by_id and by_id[json.dumps(r["id"])][0] != r]
        check(f"every one of {len(documents)} documents comes back once", not missing and not doubled, f"missing {missing[:5]}, doubled {doubled[:5]}")
        check("each document's record equals dechaff's own, field by field", not differ, f"{len(differ)} differ, e.g. {differ[:3]}")
        errors = [r for r in got if "error" in r]
        check("the line that is not JSON is an error record", any(r.get("id") is None and r["error"].startswith("not JSON") for r in errors), errors)
        check("the line without content is an error record with its id", any(r.get("id") == "no-content" and "content" in r["error"] for r in errors), errors)
        check("no document became an error", len(errors) == 2, f"{len(errors)} errors")

        # Parquet, with the error column, read back with Spark.
        small_input = os.path.join(work, "small.jsonl")
        with open(small_input, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": "a", "content": "<p>Hello</p><script>x()</script>"}) + "\n{broken\n")
        parquet = os.path.join(work, "parquet")
        job = subprocess.run(
            ["spark-submit", "--master", "local[2]", "--conf", "spark.ui.enabled=false", JOB,
             "--input", small_input, "--output", parquet, "--binary", dechaff, "--format", "parquet"],
            capture_output=True, env=env,
        )
        reader = os.path.join(work, "read_parquet.py")
        with open(reader, "w") as fh:
            fh.write(
                "import json, sys\n"
                "from pyspark.sql import SparkSession\n"
                "s = SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false').getOrCreate()\n"
                "rows = s.read.parquet(sys.argv[1]).select('id', 'error', 'content').collect()\n"
                "print(json.dumps(sorted([r.asDict() for r in rows], key=lambda r: str(r['id']))))\n"
                "s.stop()\n"
            )
        read = subprocess.run(["spark-submit", reader, parquet], capture_output=True, env=env)
        rows = json.loads(read.stdout.decode().strip().splitlines()[-1]) if read.returncode == 0 and read.stdout.strip() else []
        check(
            "Parquet output carries the documents and an error column",
            job.returncode == 0 and len(rows) == 2
            and {"id": "a", "error": None, "content": "Hello\n"} in rows
            and any(r["id"] is None and (r["error"] or "").startswith("not JSON") for r in rows),
            (job.stderr.decode()[-2000:], rows),
        )

        mb = sum(len(l.encode()) for l in lines) / 1e6
        print(f"local[2]: {len(lines)} documents, {mb:.1f} MB in {seconds:.1f} s with Spark's start ({mb / seconds:.2f} MB/s)")

        # Memory is bounded by the largest line, not by the partition.
        small = json.dumps({"id": 0, "content": "<p>short text</p><div class=banner-ads>ad</div>"}) + "\n"
        rss_1k = peak_rss_kb([dechaff, "--from", "jsonl", "-q"], (small * 1_000).encode())
        rss_100k = peak_rss_kb([dechaff, "--from", "jsonl", "-q"], (small * 100_000).encode())
        check(f"100,000 lines in one partition do not grow memory ({rss_1k} KB for 1,000, {rss_100k} KB for 100,000)", rss_100k - rss_1k < 4096, f"{rss_100k - rss_1k} KB more")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
