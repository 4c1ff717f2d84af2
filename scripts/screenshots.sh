#!/usr/bin/env bash
# Renders the main window in English and in Arabic, each with a streamed demo answer on screen,
# under a virtual X server: docs/screenshots/qalam-en.png and qalam-ar.png (used by the README).
# Needs a build (scripts/setup.sh) and the xvfb and imagemagick packages.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${QALAM_BUILD_DIR:-build}"
app="$build_dir/app/desktop/qalam"
out="${1:-docs/screenshots}"
mkdir -p "$out"
command -v import >/dev/null || { echo "screenshots: install imagemagick" >&2; exit 1; }

shoot() {
    local lang=$1 question=$2 file=$3
    local home
    home=$(mktemp -d)
    XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" xvfb-run -a -s "-screen 0 1200x800x24" \
        bash -c "'$app' --demo --lang $lang --ask '$question' & app=\$!; sleep \${QALAM_SHOT_DELAY:-9}; import -window root '$file'; kill \$app" 
    rm -rf "$home"
    echo "screenshots: wrote $file"
}

shoot en "Give me a tour of what Qalam can do" "$out/qalam-en.png"
shoot ar "ما الذي يستطيع قلم فعله؟" "$out/qalam-ar.png"
