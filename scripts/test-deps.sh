#!/usr/bin/env bash
# System packages the test suite needs beyond Python (a JRE for Spark's local mode, Debian's
# Chromium for the browser tests, ...). Each need is one script in scripts/test-deps.d/ that
# checks first and installs only what is missing, so a prepared machine pays nothing.
set -euo pipefail
cd "$(dirname "$0")"
for step in test-deps.d/*.sh; do
  [ -e "$step" ] || continue
  bash "$step"
done
