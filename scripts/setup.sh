#!/usr/bin/env bash
# Installs what Qalam needs to build and test on Debian 12 / Ubuntu 22.04+, then configures and
# builds it in ./build. Safe to run again: installed packages and an existing build are reused.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libqt6sql6-sqlite qtkeychain-qt6-dev libgl-dev
    fonts-noto-core fonts-noto-color-emoji xvfb xauth
    # tests/nginx starts its own nginx on a free loopback port; the system service is not used
    nginx
    # tests/package: dpkg-shlibdeps for the .deb's Depends, and the desktop/AppStream validators
    dpkg-dev file binutils appstream desktop-file-utils
    # tests/reliability/tst_security makes a self-signed TLS certificate with the openssl CLI
    openssl
    # scripts/test.sh's fuzz stage: clang with libFuzzer (tests/fuzz)
    clang
)
# libFuzzer's runtime is a separate package on Debian 12 (part of clang elsewhere).
if apt-cache show libclang-rt-dev >/dev/null 2>&1; then
    packages+=(libclang-rt-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build_dir="${QALAM_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${QALAM_BUILD_TYPE:-RelWithDebInfo}" \
    ${QALAM_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$(nproc)"
