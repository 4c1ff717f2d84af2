#!/usr/bin/env bash
# Renders the committed PNG icons from qalam.svg. The PNGs are committed so that building and
# packaging need no SVG renderer; run this again after editing the SVG.
# Needs rsvg-convert (Debian package librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 32 48 64 128 256 512; do
    rsvg-convert --width "$size" --height "$size" --output "qalam-$size.png" qalam.svg
done
