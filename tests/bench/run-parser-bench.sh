#!/usr/bin/env bash
# SSE parser benchmark: builds bench_sse_parser in Release, writes its generated stream to a
# temporary file, runs the C++ and the JavaScript parsers on those same bytes and prints one
# table. See docs/benchmarks.md ("SSE parser") for what each row measures.
#
#   tests/bench/run-parser-bench.sh [--reps N]
#
# Environment: BUILD_DIR (default: build-bench in the source tree), SKIP_JS=1 to run C++ only.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
reps=7
while [[ $# -gt 0 ]]; do
    case "$1" in
    --reps) reps="$2"; shift 2 ;;
    *) echo "usage: $0 [--reps N]" >&2; exit 2 ;;
    esac
done

# Benchmarks only mean something with optimisation on, whatever the tree's default is.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQALAM_BUILD_BENCHMARKS=ON \
    >/dev/null
cmake --build "$build" --target bench_sse_parser >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stream="$work/stream.sse"

"$build/tests/bench/bench_sse_parser" --reps "$reps" --write "$stream" | tee "$work/cpp.txt"
echo

if [[ "${SKIP_JS:-0}" != 1 ]]; then
    if [[ ! -d "$here/js/node_modules" ]]; then
        (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    # --expose-gc lets the script collect between runs, so one run's garbage does not land in the
    # next one's time.
    node --expose-gc "$here/js/bench.mjs" "$stream" --reps "$reps" | tee "$work/js.txt"
    echo
fi

echo "Combined (same bytes, 16 KiB chunks, MiB/s with 1 MiB = 1048576 bytes):"
head_rows() { grep -m2 '^|' "$work/cpp.txt"; }
body_rows() { grep '^|' "$1" | tail -n +3; }
head_rows
body_rows "$work/cpp.txt"
[[ -f "$work/js.txt" ]] && body_rows "$work/js.txt"
exit 0
