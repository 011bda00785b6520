#!/usr/bin/env bash
# Instruction counts (callgrind) of the figures BENCHMARKS.md states start-up and
# throughput targets in, for a dechaff binary and, optionally, an earlier build of it:
#
#   tiny       a one-paragraph page through standard input (`<p>x</p>`, default format)
#   source     tests/corpus, one thread, to source      (`-q -j 1 --to source DIR -o OUT`)
#   markdown   tests/corpus, one thread, to Markdown
#
# and the ratios: Markdown / source for each binary, baseline / this for each figure
# (a throughput ratio: 1.5 means this binary runs a third fewer instructions).
#
# usage: bench/instructions.sh [BINARY [BASELINE_BINARY...]] [-- TREE]
#   BINARY            default: target/release/dechaff (built if missing)
#   BASELINE_BINARY   earlier builds to compare with, all measured in the same run (e.g. a
#                     `git worktree` of an old commit, built with `cargo build --release`)
#   TREE              the documents (default: tests/corpus)
# Needs valgrind. Counts are the same run after run, so the ratios need no repetition.
set -euo pipefail
cd "$(dirname "$0")/.."

bins=()
tree=tests/corpus
while [ $# -gt 0 ]; do
  case $1 in
    --) tree=${2:?a tree after --}; shift 2 ;;
    *) bins+=("$(readlink -f "$1")"); shift ;;
  esac
done
if [ ${#bins[@]} -eq 0 ]; then
  cargo build --release --quiet --bin dechaff
  bins=("$(readlink -f target/release/dechaff)")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '<p>x</p>\n' >"$work/tiny.html"

count() { # the instructions of a command line, all threads
  # The profile goes to a file of the work directory rather than to /dev/null: nothing
  # this script runs writes to a device path then.
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p'
}

declare -A n
for i in "${!bins[@]}"; do
  bin=${bins[$i]}
  n[$i,tiny]=$(count "$bin" -q <"$work/tiny.html")
  for to in source markdown; do
    rm -rf "$work/out"
    n[$i,$to]=$(count "$bin" -q -j 1 --to "$to" "$tree" -o "$work/out")
  done
done

ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }
for i in "${!bins[@]}"; do
  label=$([ "$i" = 0 ] && echo this || echo "baseline $i")
  printf '%-9s %s\n' "$label" "${bins[$i]}"
  for f in tiny source markdown; do
    printf '  %-9s %15s instructions\n' "$f" "$(printf "%'d" "${n[$i,$f]}")"
  done
  printf '  markdown / source: %s (target <= 1.25)\n' "$(ratio "${n[$i,markdown]}" "${n[$i,source]}")"
done
for ((i = 1; i < ${#bins[@]}; i++)); do
  echo "baseline $i / this (throughput ratio; target >= 1.5 for source and markdown):"
  for f in tiny source markdown; do
    printf '  %-9s %s\n' "$f" "$(ratio "${n[$i,$f]}" "${n[0,$f]}")"
  done
done
echo "tiny document: $(python3 -c "print(f'{${n[0,tiny]} / 1e6:.1f}')") M instructions (target <= 15 M)"
