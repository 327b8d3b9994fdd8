"""Reading pack files: the built-in packs, plus directories a user registers.

Pack files are YAML read with `safe_load` (no object construction from hostile files) and a
size cap; every problem is raised as `PackError` naming the file, never a bare traceback from
yaml or pydantic. Built-in packs are parsed once per process (the screening path must not
touch the disk per message); `add_pack_dir` adds user directories and drops the cache so the
next engine sees them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from lurewatch.signals.schema import Pack

BUILTIN_PACK_DIR = Path(__file__).parent / "packs"
MAX_PACK_BYTES = 2_000_000
"""A pack file larger than this is refused: packs are hand-written rule lists, not data dumps."""

_user_dirs: list[Path] = []


class PackError(ValueError):
    """A pack file that cannot be read or does not follow the schema."""


def _format_validation(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors()[:20]:
        where = ".".join(str(p) for p in err["loc"])
        lines.append(f"  {where}: {err['msg']}")
    if exc.error_count() > 20:
        lines.append(f"  ... and {exc.error_count() - 20} more")
    return "\n".join(lines)


def parse_pack(data: object, source: str) -> Pack:
    """Validate already-parsed YAML data as a pack; `source` names it in errors."""
    if not isinstance(data, dict):
        raise PackError(f"{source}: a pack must be a mapping, got {type(data).__name__}")
    try:
        return Pack.model_validate(data)
    except ValidationError as exc:
        raise PackError(f"{source}: invalid pack\n{_format_validation(exc)}") from None


def read_pack_data(path: Path) -> object:
    """The raw YAML content of a pack file (size-capped, safe_load)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PackError(f"{path}: cannot read ({exc.strerror})") from None
    if size > MAX_PACK_BYTES:
        raise PackError(f"{path}: {size:,} bytes is over the {MAX_PACK_BYTES:,}-byte limit")
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: not valid YAML/UTF-8: {exc}") from None


def load_pack_file(path: Path) -> Pack:
    """Load and validate one pack file."""
    return parse_pack(read_pack_data(path), str(path))


def pack_files(directory: Path) -> list[Path]:
    """The pack files in `directory`, in a stable order."""
    if not directory.is_dir():
        raise PackError(f"{directory}: not a directory")
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_pack_dirs(directories: Iterable[Path]) -> list[Pack]:
    """Load every pack in the given directories (in order, files sorted by name)."""
    return [load_pack_file(f) for d in directories for f in pack_files(Path(d))]


@lru_cache(maxsize=1)
def _cached_packs(dirs: tuple[Path, ...]) -> tuple[Pack, ...]:
    return tuple(load_pack_dirs(dirs))


def pack_dirs() -> tuple[Path, ...]:
    """The built-in pack directory followed by the user directories registered so far."""
    return (BUILTIN_PACK_DIR, *_user_dirs)


def active_packs() -> tuple[Pack, ...]:
    """Built-in packs plus those of registered user directories, parsed once and cached."""
    return _cached_packs(pack_dirs())


def add_pack_dir(directory: Path | str) -> None:
    """Register a directory of user packs; they are validated now, so errors surface here."""
    path = Path(directory).resolve()
    load_pack_dirs([path])  # raise PackError now rather than on the next message
    if path not in _user_dirs:
        _user_dirs.append(path)
    _cached_packs.cache_clear()


def reset_pack_dirs(directories: Sequence[Path] = ()) -> None:
    """Forget registered user directories (and register `directories` instead)."""
    _user_dirs.clear()
    _user_dirs.extend(Path(d).resolve() for d in directories)
    _cached_packs.cache_clear()
