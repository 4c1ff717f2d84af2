#!/usr/bin/env bash
# Runs transcript.py against the real app on a private, headless desktop: its own X server
# (xvfb-run) and its own D-Bus session (dbus-run-session), on which the AT-SPI bus is started on
# demand (at-spi2-core), with every file of the app in a temporary directory.
# Usage: run-atspi-test.sh path/to/qalam
# Exits 77 (ctest: skipped) with a "MISSING TOOL:" line when a tool it needs is not installed.
set -euo pipefail

app=$1
here=$(cd "$(dirname "$0")" && pwd)

skip() {
    echo "MISSING TOOL: $1" >&2
    exit 77
}

# pyatspi is a Debian package for the system's Python, not for one on PATH (pyenv, venv).
python=${QALAM_PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=$(command -v python3 || true)
[ -n "$python" ] || skip "python3 (Debian: python3)"
command -v dbus-run-session >/dev/null || skip "dbus-run-session (Debian: dbus-bin, dbus-daemon)"
command -v xvfb-run >/dev/null || skip "xvfb-run (Debian: xvfb, xauth)"
"$python" -c "import pyatspi" 2>/dev/null || skip "pyatspi for $python (Debian: python3-pyatspi)"
launcher=""
for candidate in /usr/libexec/at-spi-bus-launcher /usr/lib/at-spi2-core/at-spi-bus-launcher; do
    [ -x "$candidate" ] && launcher=$candidate
done
[ -n "$launcher" ] || skip "at-spi-bus-launcher (Debian: at-spi2-core)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
# No desktop session: nothing to inherit from the caller's.
unset DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
# Qt's AT-SPI bridge asks the session bus whether a screen reader runs; always on instead.
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_ACCESSIBILITY=1 NO_AT_BRIDGE=0

xvfb-run -a -s "-screen 0 1200x800x24" \
    dbus-run-session -- "$python" "$here/transcript.py" "$app" "$scratch"
