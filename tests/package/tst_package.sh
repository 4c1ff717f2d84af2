#!/usr/bin/env bash
# tst_package: builds the Debian package with CPack, unpacks it into a temporary root (no
# system-wide install, no root needed) and checks what a user would get: the files, the
# declared dependencies, binaries free of build-tree paths, valid desktop and AppStream files,
# and a qalam-cli from the package that serves and chats.
#
# Usage: tst_package.sh CPACK CPACK_CONFIG PROJECT_VERSION
#   CPACK         the cpack executable of the CMake that configured the build
#   CPACK_CONFIG  <build dir>/CPackConfig.cmake
# Set QALAM_KEEP_PACKAGE_TMP=1 to keep the temporary directory for inspection.
set -euo pipefail

cpack=$1
cpack_config=$2
version=$3

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }
# A missing tool skips the whole test: exit code 77, which tests/package/CMakeLists.txt declares
# as SKIP_RETURN_CODE, so ctest reports it as skipped (and CI, which installs every tool, fails:
# scripts/test.sh). The "MISSING TOOL: " line is what test.sh shows for a skip.
need() { command -v "$1" >/dev/null || { echo "MISSING TOOL: $1 not found; install the Debian package $2 (scripts/setup.sh does)"; exit 77; }; }

need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need readelf binutils
need desktop-file-validate desktop-file-utils
need appstreamcli appstream
need timeout coreutils

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tst_package.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    if [ "${QALAM_KEEP_PACKAGE_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# ---- Build the package ---------------------------------------------------------------------
# -B keeps the .deb and CPack's staging tree out of the build directory, so a package the
# developer made there is left alone. CPack re-runs the install rules (and first brings the
# build up to date, which is a no-op when ctest runs after a build).
echo "== cpack"
(cd "$(dirname "$cpack_config")" && "$cpack" --config "$cpack_config" -G DEB -B "$tmp/cpack") >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
debs=("$tmp"/cpack/*.deb)
if [ "${#debs[@]}" -ne 1 ] || [ ! -f "${debs[0]}" ]; then
    cat "$tmp/cpack.log" >&2
    echo "FAIL: expected exactly one .deb, got: ${debs[*]}" >&2
    exit 1
fi
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "qalam_${version}_${arch}.deb" ] && pass "package file $(basename "$deb")" ||
    fail "package file is $(basename "$deb"), expected qalam_${version}_${arch}.deb"

# ---- Control data --------------------------------------------------------------------------
echo "== dpkg-deb -I"
dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = qalam ] && pass "Package: qalam" || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] && pass "Version: $version" || fail "Version is '$(field Version)', project is $version"
[ "$(field Section)" = net ] && pass "Section: net" || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] && pass "Maintainer set" || fail "no Maintainer"
[ -n "$(field Description)" ] && pass "Description set" || fail "no Description"

# Each Depends entry, without version constraints, one per line ("a | b" stays one entry).
depends=$(field Depends | tr ',' '\n' | sed -E 's/\([^)]*\)//g; s/^ +//; s/ +$//')
# has_dep NAME [SUFFIX-REGEX]: an entry is NAME (regex characters in it taken literally).
has_dep() { grep -qxE "$(sed 's/[+.]/\\&/g' <<<"$1")${2:-}" <<<"$depends"; }
# From dpkg-shlibdeps (so these prove it ran) ...
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6sql6 \
           libqt6keychain1 libsource-highlight libstdc++6 libc6; do
    # Other Debian releases rename some library packages (a t64 suffix, for instance).
    has_dep "$lib" '[a-z0-9]*' && pass "Depends on $lib" || fail "Depends lacks $lib: $(field Depends)"
done
# ... and the explicit ones for what is loaded at run time.
for pkg in libqt6sql6-sqlite fonts-noto-core; do
    has_dep "$pkg" && pass "Depends on $pkg" || fail "Depends lacks $pkg: $(field Depends)"
done
recommends=$(field Recommends)
for pkg in fonts-noto-color-emoji gnome-keyring libsecret-1-0; do
    grep -qw -- "$pkg" <<<"$recommends" && pass "Recommends $pkg" || fail "Recommends lacks $pkg: $recommends"
done

# ---- Contents ------------------------------------------------------------------------------
echo "== dpkg-deb -c"
dpkg-deb -c "$deb"
root=$tmp/root
dpkg-deb -x "$deb" "$root"

expected=(
    usr/bin/qalam
    usr/bin/qalam-cli
    usr/share/applications/qalam.desktop
    usr/share/metainfo/io.github.qalam.Qalam.metainfo.xml
    usr/share/icons/hicolor/scalable/apps/qalam.svg
    usr/share/doc/qalam/copyright
)
for size in 16 32 48 64 128 256 512; do
    expected+=("usr/share/icons/hicolor/${size}x${size}/apps/qalam.png")
done
for f in "${expected[@]}"; do
    [ -f "$root/$f" ] && pass "installs /$f" || fail "missing /$f"
done
for f in usr/bin/qalam usr/bin/qalam-cli; do
    [ -x "$root/$f" ] || fail "/$f is not executable"
done
for size in 16 32 48 64 128 256 512; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/qalam.png
    # The PNG header's width and height (big-endian, bytes 16-23) match the directory.
    [ -f "$png" ] || continue
    dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $3*256+$4 "x" $7*256+$8}')
    [ "$dims" = "${size}x${size}" ] || fail "qalam.png in ${size}x${size} is $dims"
done
# Translations are compiled into the app (:/i18n); any .qm the package ships must be Qalam's.
while IFS= read -r qm; do
    case "$qm" in */qalam_*.qm) pass "installs ${qm#"$root"}" ;; *) fail "unexpected ${qm#"$root"}" ;; esac
done < <(find "$root" -name '*.qm')
# Nothing but the app's own files: no headers, static libraries or test programs.
unexpected=$(cd "$root" && find . -type f | sed 's|^\./||' |
    grep -vE '^usr/bin/qalam(-cli)?$|^usr/share/(applications|metainfo|icons/hicolor|doc/qalam|qalam)/' || true)
[ -z "$unexpected" ] && pass "no unexpected files" || fail "unexpected files: $unexpected"

# ---- Binaries ------------------------------------------------------------------------------
build_dir=$(dirname "$cpack_config")
for exe in qalam qalam-cli; do
    # Qt comes from the system: no RPATH/RUNPATH at all, so none into the build tree either.
    rpath=$(readelf -d "$root/usr/bin/$exe" | grep -E '\((RPATH|RUNPATH)\)' || true)
    [ -z "$rpath" ] && pass "$exe has no RPATH/RUNPATH" || fail "$exe has $rpath"
    grep -qF "$build_dir" "$root/usr/bin/$exe" && fail "$exe contains the build directory path $build_dir" ||
        pass "$exe does not mention the build directory"
    missing=$(ldd "$root/usr/bin/$exe" | grep 'not found' || true)
    [ -z "$missing" ] && pass "$exe resolves all its libraries" || fail "$exe: $missing"
done

# ---- Desktop integration files -------------------------------------------------------------
desktop=$root/usr/share/applications/qalam.desktop
metainfo=$root/usr/share/metainfo/io.github.qalam.Qalam.metainfo.xml
desktop-file-validate "$desktop" && pass "desktop file valid" || fail "desktop-file-validate"
for key in 'Name\[ar\]=' 'Comment\[ar\]=' 'Categories=Network;Chat;' 'StartupWMClass=qalam' 'Icon=qalam' 'Exec=qalam'; do
    grep -qE "^$key" "$desktop" && pass "desktop file has ${key//\\/}" || fail "desktop file lacks ${key//\\/}"
done
appstreamcli validate --no-net "$metainfo" && pass "metainfo valid" || fail "appstreamcli validate"
grep -q '<launchable type="desktop-id">qalam.desktop</launchable>' "$metainfo" &&
    pass "metainfo launches qalam.desktop" || fail "metainfo does not name qalam.desktop"
newest=$(grep -oE '<release version="[^"]+"' "$metainfo" | head -1 | cut -d'"' -f2)
[ "$newest" = "$version" ] && pass "metainfo's newest release is $version" ||
    fail "metainfo's newest release is '$newest', project version is $version: add a <release>"

# ---- Run the installed programs ------------------------------------------------------------
cli=$root/usr/bin/qalam-cli
out=$(timeout 20 "$cli" --version) && [ "$out" = "qalam-cli $version" ] && pass "qalam-cli --version: $out" ||
    fail "qalam-cli --version printed '$out'"
# The window app, too, starts from the package (the offscreen platform needs no display).
out=$(QT_QPA_PLATFORM=offscreen timeout 20 "$root/usr/bin/qalam" --version 2>"$tmp/qalam.err") && grep -qF "$version" <<<"$out" &&
    pass "qalam --version: $out" || fail "qalam --version printed '$out', stderr: $(cat "$tmp/qalam.err")"

# Fast answers: the point is the round trip, not the pacing.
"$cli" serve --port 0 --rate 500 --first-token-ms 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
url=""
for _ in $(seq 1 200); do
    url=$(sed -nE 's|^listening on (http://[^ ]+)$|\1|p' "$tmp/serve.out" | head -1)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    fail "qalam-cli serve did not print 'listening on http://...': $(cat "$tmp/serve.out" "$tmp/serve.err")"
else
    pass "qalam-cli serve: listening on $url"
    url=${url%/}
    status=0
    timeout 60 "$cli" chat --url "$url/api/v1/stream/chat" --protocol admin "hello" \
        >"$tmp/chat.out" 2>"$tmp/chat.err" || status=$?
    if [ "$status" -eq 0 ] && [ -s "$tmp/chat.out" ]; then
        pass "qalam-cli chat answered $(wc -c <"$tmp/chat.out") bytes: $(head -c 80 "$tmp/chat.out")..."
    else
        fail "qalam-cli chat exited $status with $(wc -c <"$tmp/chat.out") bytes; stderr: $(cat "$tmp/chat.err")"
    fi
fi

if [ "$failures" -ne 0 ]; then
    echo "tst_package: $failures check(s) failed" >&2
    exit 1
fi
echo "tst_package: all checks passed"
