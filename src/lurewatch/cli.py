"""Command line: `lurewatch ...` (placeholder until the CLI module lands)."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("lurewatch CLI is being built")
