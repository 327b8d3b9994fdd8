"""Shared fixtures: one engine over every built-in pack file that loads.

Each pack file is parsed on its own, so one engineer's broken file fails its own test
(`test_lint.py::test_pack_file_is_clean`) instead of every other language's tests.
"""

from __future__ import annotations

from pathlib import Path

from lurewatch.signals.engine import SignalEngine
from lurewatch.signals.lint import load_for_lint
from lurewatch.signals.loader import BUILTIN_PACK_DIR
from lurewatch.signals.schema import Pack

PACK_FILES: list[Path] = sorted(BUILTIN_PACK_DIR.glob("*.yaml"))
_LOADED = load_for_lint([BUILTIN_PACK_DIR])
PACKS: list[Pack] = [pack for _, pack in _LOADED.packs]
ENGINE = SignalEngine(PACKS)
