#!/usr/bin/env bash
# qalam-cli against its Node peers: `events` against the npm eventsource package and
# `chat --protocol openai` against the official openai SDK, on the same 64 MiB over loopback.
# Builds qalam-cli and bench_sse_parser in Release, writes the stream (and its one-answer
# variant) to a temporary directory, and runs js/cli-bench.mjs, which serves them, runs every
# client alternately and checks that all print the same bytes. See docs/benchmarks.md
# ("Command-line client").
#
#   tests/bench/run-cli-bench.sh [--reps N] [--only events|chat]
#
# Environment: BUILD_DIR (default: build-bench in the source tree); BEFORE_CLI=PATH adds another
# qalam-cli binary (e.g. one built from an older commit) as a row, for before/after figures.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
reps=5
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --only) extra+=(--only "$2"); shift 2 ;;
    *) echo "usage: $0 [--reps N] [--only events|chat]" >&2; exit 2 ;;
    esac
done

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQALAM_BUILD_BENCHMARKS=ON \
    >/dev/null
cmake --build "$build" --target qalam-cli bench_sse_parser >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/tests/bench/bench_sse_parser" --reps 1 --only memchr --write "$work/stream.sse" \
    --write-answer "$work/answer.sse" >/dev/null

if [[ ! -d "$here/js/node_modules/openai" || ! -d "$here/js/node_modules/eventsource" ]]; then
    (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error)
fi

clis=(--cli "this tree=$build/app/cli/qalam-cli")
[[ -n "${BEFORE_CLI:-}" ]] && clis=(--cli "before=$BEFORE_CLI" "${clis[@]}")
echo "machine:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) logical CPUs"
echo "load:       $(cut -d' ' -f1-3 /proc/loadavg) at the start"
node "$here/js/cli-bench.mjs" --stream "$work/stream.sse" --answer "$work/answer.sse" \
    "${clis[@]}" --reps "$reps" "${extra[@]}"
