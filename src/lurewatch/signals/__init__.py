"""Red-flag signals: rules kept as YAML packs per language and theme, matched with RE2.

`match_signals(normalize(text))` lists the rules that fire (with spans in the original text);
`score_signals(hits)` turns them into a score, a category and a flag. See `schema.py` for the
pack format and `lint.py` / `lurewatch rules check` for validating packs.
"""

from lurewatch.signals.engine import (
    EngineError,
    SignalEngine,
    default_engine,
    engine_for_dirs,
    match_signals,
)
from lurewatch.signals.loader import PackError, active_packs, add_pack_dir, reset_pack_dirs
from lurewatch.signals.schema import CATEGORIES, STAGES, THEMES, Pack, Rule
from lurewatch.signals.scoring import SignalHit, SignalScore, SignalSpan, score_signals

__all__ = [
    "CATEGORIES",
    "STAGES",
    "THEMES",
    "EngineError",
    "Pack",
    "PackError",
    "Rule",
    "SignalEngine",
    "SignalHit",
    "SignalScore",
    "SignalSpan",
    "active_packs",
    "add_pack_dir",
    "default_engine",
    "engine_for_dirs",
    "match_signals",
    "reset_pack_dirs",
    "score_signals",
]
