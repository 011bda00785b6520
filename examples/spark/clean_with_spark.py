#!/usr/bin/env python3
"""Clean documents with dechaff inside Apache Spark.

Each partition is piped through `dechaff --from jsonl --to jsonl`, one document per line,
so Spark distributes the work and dechaff stays a plain filter. The binary travels to the
executors with `--files` (or `--binary`, which ships it the same way) and is found there
with SparkFiles. A bad document becomes a record with an `error` field; the job goes on.

    spark-submit --master 'local[2]' examples/spark/clean_with_spark.py \\
        --binary target/release/dechaff --docs tests/corpus --output /tmp/cleaned

Input: `--input` JSON Lines of {"id": ..., "content": ..., "url": ...} (files or a
directory), or `--docs` a directory of documents (each becomes {"id": path, "content":
text}). Output: JSON Lines (default) or Parquet (`--format parquet`), one row per input
line, with dechaff's fields (title, date, author, outlet, family, url, images, content,
warnings, rules) and `error` for the documents that could not be cleaned.
"""
import argparse
import json
import os
import subprocess
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession

BINARY = "dechaff"


def clean_partition(lines, extra_args):
    """Pipes one partition's JSON Lines through dechaff; yields its JSON Lines answers."""
    binary = SparkFiles.get(BINARY)
    if not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    proc = subprocess.Popen(
        [binary, "--from", "jsonl", "--to", "jsonl", "-q", *extra_args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.write(b"\n")
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for answer in proc.stdout:
        yield answer.decode("utf-8").rstrip("\n")
    writer.join()
    if proc.wait() != 0:
        raise RuntimeError(f"dechaff exited with {proc.returncode}")


def document_lines(spark, directory):
    """A directory of documents as JSON Lines, one per file, its path as the id."""
    files = spark.sparkContext.wholeTextFiles(os.path.join(directory, "*", "*", "*.md"))
    root = os.path.abspath(directory)

    def as_line(item):
        path, content = item
        local = path.split(":", 1)[1] if path.startswith("file:") else path
        return json.dumps({"id": os.path.relpath(local, root), "content": content}, ensure_ascii=False)

    return files.map(as_line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", help="JSON Lines files or a directory of them")
    source.add_argument("--docs", help="a directory of documents <family>/<site>/*.md")
    ap.add_argument("--output", required=True, help="the output directory")
    ap.add_argument("--format", choices=["json", "parquet"], default="json")
    ap.add_argument("--binary", help="a local dechaff binary to ship (else one given with spark-submit --files)")
    ap.add_argument("--partitions", type=int, help="repartition the input to this many partitions")
    ap.add_argument("--dechaff-args", default="", help="more arguments for dechaff, e.g. '--to text'")
    args = ap.parse_args()

    spark = SparkSession.builder.appName("dechaff").getOrCreate()
    sc = spark.sparkContext
    if args.binary:
        sc.addFile(os.path.abspath(args.binary))
    lines = sc.textFile(args.input) if args.input else document_lines(spark, args.docs)
    if args.partitions:
        lines = lines.repartition(args.partitions)
    extra = args.dechaff_args.split()
    cleaned = lines.mapPartitions(lambda part: clean_partition(part, extra))
    if args.format == "json":
        cleaned.saveAsTextFile(args.output)
    else:
        spark.read.json(cleaned).write.mode("overwrite").parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
