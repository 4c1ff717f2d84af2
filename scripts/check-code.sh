#!/usr/bin/env bash
# The code gate scripts/test.sh runs before the tests (docs/testing.md, "Code gate"):
#   - clang-format: every C++ source in lib/, app/ and tests/ is formatted as .clang-format says
#     (fix with: clang-format -i FILE);
#   - clang-tidy: the agreed check set of .clang-tidy (bugs, needless copies, the static
#     analyzer) over lib/ and app/, every finding an error.
# Needs a configured build directory for compile_commands.json (QALAM_BUILD_DIR, default build).
# Skip with QALAM_SKIP_CODE_GATE=1 (a quick local test run); CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${QALAM_BUILD_DIR:-build}"
status=0

echo "=== clang-format ==="
mapfile -t sources < <(git ls-files 'lib/*.cpp' 'lib/*.h' 'app/*.cpp' 'app/*.h' 'tests/*.cpp' 'tests/*.h')
if clang-format --dry-run --Werror "${sources[@]}"; then
    echo "clang-format: ${#sources[@]} files formatted"
else
    echo "clang-format: the files above drift from .clang-format (clang-format -i FILE)" >&2
    status=1
fi

echo "=== clang-tidy ==="
mapfile -t units < <(git ls-files 'lib/*.cpp' 'app/*.cpp')
# Each unit on its own, in parallel; xargs fails if any clang-tidy did.
if printf '%s\n' "${units[@]}" |
    xargs -P "$(nproc)" -n 2 clang-tidy -p "$build_dir" --quiet --warnings-as-errors='*'; then
    echo "clang-tidy: ${#units[@]} files, no findings"
else
    echo "clang-tidy: findings above (checks in .clang-tidy)" >&2
    status=1
fi
exit $status
