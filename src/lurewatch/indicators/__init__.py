"""Indicator extraction: one entry point over a registry of per-family extractors."""

from lurewatch.indicators.registry import extract

__all__ = ["extract"]
