"""Screening: one text in, one explained verdict out."""

from lurewatch.screening.assessment import DEFAULT_THRESHOLD, Assessment
from lurewatch.screening.screen import screen, screen_many

__all__ = ["DEFAULT_THRESHOLD", "Assessment", "screen", "screen_many"]
