#!/usr/bin/env bash
# Installs what Qalam needs to build and test on Debian 12 / Ubuntu 24.04, then configures and
# builds it in ./build. Safe to run again: installed packages and an existing build are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev
    # the window's icons: SVGs drawn in the theme's colours (app/desktop/ThemeIconEngine)
    qt6-svg-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libqt6sql6-sqlite qtkeychain-qt6-dev libgl-dev
    # lib/ui highlights code blocks with GNU Source-highlight (its lang files come with it)
    libsource-highlight-dev
    fonts-noto-core fonts-noto-color-emoji fonts-dejavu-core xvfb xauth
    # Arabic in the interface: Noto Sans Arabic UI (fonts-noto-core has Noto Naskh Arabic for
    # messages and Noto Sans Arabic); app/desktop/ArabicFonts, tests/desktop/tst_arabicinterface
    fonts-noto-ui-core
    # tests/desktop/atspi reads the running app the way a screen reader does: pyatspi over the
    # AT-SPI bus (at-spi2-core), on a private D-Bus session (dbus-run-session, in dbus)
    python3-pyatspi at-spi2-core dbus
    # tests/nginx starts its own nginx on a free loopback port; the system service is not used
    nginx
    # tests/package: dpkg-shlibdeps for the .deb's Depends, and the desktop/AppStream validators
    dpkg-dev file binutils appstream desktop-file-utils
    # tests/reliability/tst_security makes a self-signed TLS certificate with the openssl CLI
    openssl
    # tests/sse/tst_transportlimits takes a real certificate from the system CA bundle
    ca-certificates
    # scripts/test.sh's fuzz stage: clang with libFuzzer (tests/fuzz)
    clang
    # scripts/check-code.sh, the code gate of scripts/test.sh
    clang-format clang-tidy
)
# libFuzzer's runtime is a separate package on Debian 12 (part of clang elsewhere); which one
# exists is only known after `apt-get update` on a fresh machine.
fuzzer_runtimes=(libclang-rt-dev libclang-rt-14-dev)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
have_runtime=0
for p in "${fuzzer_runtimes[@]}"; do installed "$p" && have_runtime=1; done

if ((${#missing[@]})) || ((!have_runtime)); then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    if ((!have_runtime)); then
        for p in "${fuzzer_runtimes[@]}"; do
            if apt-cache show "$p" >/dev/null 2>&1; then
                missing+=("$p")
                break
            fi
        done
    fi
    if ((${#missing[@]})); then
        echo "setup: installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
fi

build_dir="${QALAM_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${QALAM_BUILD_TYPE:-RelWithDebInfo}" \
    ${QALAM_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$(nproc)"
