#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and launches Qalam in offline demo mode: the desktop app
# with its embedded demo server. Without a display (a server, a container), it runs the headless
# demo instead: `qalam-cli serve` plus `qalam-cli chat` streaming an English and an Arabic answer.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
build_dir="${QALAM_BUILD_DIR:-build}"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$build_dir/app/desktop/qalam" --demo "$@"
fi

echo "demo: no display found; running the headless demo (qalam-cli)."
cli="$build_dir/app/cli/qalam-cli"
log=$(mktemp)
"$cli" serve --port 0 >"$log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$log" | head -n1)
[ -n "$base" ] || { echo "demo: the demo server did not start" >&2; exit 1; }

for prompt in "What can Qalam do?" "ما الذي يستطيع قلم فعله؟"; do
    printf '\n\033[1m> %s\033[0m\n' "$prompt"
    "$cli" chat --url "$base/api/v1/stream/chat" --protocol admin --metrics "$prompt"
    echo
done
