#!/usr/bin/env bash
# Renders the README screenshots into docs/screenshots (or the directory given): the main window
# in English and Arabic, light and dark, each with a finished demo answer (headings, a code block,
# a table, mixed directions), and an answer that failed (a profile pointing at a closed port) so
# the error card shows.
#
# Each picture is taken by the app itself (`qalam --screenshot FILE`) once the answer to --ask
# has ended: no fixed waits, and exactly the window (no desktop around it). Runs on the real X11
# platform under a virtual X server when xvfb-run is there, else on the offscreen platform.
# Needs a build (scripts/setup.sh). Every run uses a fresh, temporary profile directory.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${QALAM_BUILD_DIR:-build}"
app="$build_dir/app/desktop/qalam"
out="${1:-docs/screenshots}"
mkdir -p "$out"
[ -x "$app" ] || { echo "screenshots: build first ($app is missing)" >&2; exit 1; }

themes=(light dark)
if ! QT_QPA_PLATFORM=offscreen "$app" --help 2>/dev/null | grep -q -- "--theme"; then
    themes=("") # a build without themes: the platform's look only
fi

# shoot FILE LANG THEME QUESTION [qalam options...]
shoot() {
    local file=$1 lang=$2 theme=$3 question=$4
    shift 4
    local home
    home=$(mktemp -d)
    local args=(--lang "$lang" --demo-rate 4000 --settings "$home/qalam.ini"
        --database "$home/qalam.sqlite3" --ask "$question" --screenshot "$file" "$@")
    [ -n "$theme" ] && args+=(--theme "$theme")
    if command -v xvfb-run >/dev/null; then
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
            xvfb-run -a -s "-screen 0 1200x800x24" env QT_QPA_PLATFORM=xcb "$app" "${args[@]}"
    else
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
            QT_QPA_PLATFORM=offscreen "$app" "${args[@]}"
    fi
    rm -rf "$home"
    echo "screenshots: wrote $file"
}

# A profile whose server is not there: port 9 (discard) on loopback refuses connections.
broken_profile() {
    cat >"$1" <<'INI'
[General]
formatVersion=1

[profiles]
broken\name=Local server
broken\baseUrl=http://127.0.0.1:9/v1
broken\protocol=openai
broken\model=llama3
INI
}

for theme in "${themes[@]}"; do
    suffix=${theme:+-$theme}
    shoot "$out/qalam-en$suffix.png" en "$theme" "Show me a sample answer with a table and code" --demo
    shoot "$out/qalam-ar$suffix.png" ar "$theme" "أرني مثالًا فيه جدول وشيفرة" --demo
done

# The error card, in the first theme: the settings file must exist before the app starts.
home=$(mktemp -d)
broken_profile "$home/qalam.ini"
args=(--lang en --settings "$home/qalam.ini" --database "$home/qalam.sqlite3" --profile "Local server"
    --ask "Why is the disk full? Check /var/log's size" --screenshot "$out/qalam-error.png")
[ -n "${themes[0]}" ] && args+=(--theme "${themes[0]}")
XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" QT_QPA_PLATFORM=offscreen "$app" "${args[@]}"
rm -rf "$home"
echo "screenshots: wrote $out/qalam-error.png"
