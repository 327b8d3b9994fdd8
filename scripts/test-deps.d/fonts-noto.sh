#!/usr/bin/env bash
# Fonts for the awareness posters (PDF): Thai, Khmer, Myanmar and CJK glyphs. WeasyPrint draws
# with the system's fonts, and DejaVu (the Debian default) has none of these scripts.
set -euo pipefail
if fc-list : family 2>/dev/null | grep -q "Noto Sans Khmer" \
  && fc-list : family 2>/dev/null | grep -q "Noto Sans CJK"; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends fonts-noto-core fonts-noto-cjk
