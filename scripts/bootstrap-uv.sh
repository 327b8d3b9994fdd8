#!/usr/bin/env bash
# Install uv into ./.tools when it is not on PATH. A fresh machine has Python 3.11+ and make,
# and reaches PyPI; uv is published there, so a private virtualenv + pip is enough.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v uv >/dev/null 2>&1; then exit 0; fi
py=$(command -v python3.13 || command -v python3.12 || command -v python3.11 || command -v python3)
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "lurewatch needs Python 3.11+")'
if "$py" -m venv .tools 2>/dev/null; then
  .tools/bin/python -m pip install --quiet uv
else
  # Debian without python3-venv: fall back to a user install of uv itself.
  "$py" -m pip install --quiet --target .tools/lib uv
  mkdir -p .tools/bin && ln -sf ../lib/bin/uv .tools/bin/uv
fi
.tools/bin/uv --version
