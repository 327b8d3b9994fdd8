"""PSI over files: for partners who exchange files (encrypted e-mail, a shared drive) instead of
opening an API to each other, and for tests.

Messages are JSON: `{"protocol", "stage", "type", ...}` with points as one base64 string of
32-byte encodings. State files hold a side's secret scalar and its values: they never leave
that side, are written with mode 0600 and replaced atomically.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from lurewatch.psi import group
from lurewatch.psi.protocol import Initiator, ProtocolError, Responder

MAX_MESSAGE_BYTES = 256 << 20


def _b64(points: list[bytes]) -> str:
    return base64.b64encode(group.pack(points)).decode("ascii")


def _points(doc: dict[str, Any], key: str) -> list[bytes]:
    raw = doc.get(key)
    if not isinstance(raw, str):
        raise ProtocolError(f"'{key}' must be a base64 string of points")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError(f"'{key}' is not valid base64") from None
    try:
        return group.unpack(data)
    except group.PointError as exc:
        raise ProtocolError(f"'{key}': {exc}") from None


def write_private(path: Path, doc: dict[str, Any], *, secret: bool = False) -> None:
    """Write `doc` as JSON atomically (temp file + rename); mode 0600 for secrets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        if secret:
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_message(path: Path, stage: str) -> dict[str, Any]:
    """A message or state file of `stage`; ProtocolError with the reason when it is not one."""
    if path.stat().st_size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"{path} is over {MAX_MESSAGE_BYTES:,} bytes")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"{path} is not a JSON document: {exc}") from None
    if not isinstance(doc, dict) or doc.get("protocol") != group.PROTOCOL:
        raise ProtocolError(f"{path} is not a {group.PROTOCOL} message")
    if doc.get("stage") != stage:
        raise ProtocolError(f"{path} is a '{doc.get('stage')}' message, expected '{stage}'")
    if not isinstance(doc.get("type"), str):
        raise ProtocolError(f"{path} names no indicator type")
    return doc


def _header(stage: str, indicator_type: str) -> dict[str, Any]:
    return {"protocol": group.PROTOCOL, "stage": stage, "type": indicator_type}


def offer_message(side: Initiator) -> dict[str, Any]:
    points = side.offer()
    return _header("offer", side.indicator_type) | {"count": len(points), "points": _b64(points)}


def initiator_state(side: Initiator) -> dict[str, Any]:
    return _header("initiator-state", side.indicator_type) | {
        "scalar": base64.b64encode(side.scalar).decode("ascii"),
        "values": side.values,
    }


def load_initiator(doc: dict[str, Any]) -> Initiator:
    side = Initiator(doc["type"], [], scalar=base64.b64decode(doc["scalar"]))
    side.values = list(doc["values"])  # keep the order the offer was sent in
    return side


def respond(side: Responder, offer: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(reply message, responder state) for an offer message."""
    if offer["type"] != side.indicator_type:
        raise ProtocolError(f"the offer is for '{offer['type']}', not '{side.indicator_type}'")
    doubled = side.answer(_points(offer, "points"))
    own = side.own_points()
    reply = _header("reply", side.indicator_type) | {
        "count": len(own),
        "doubled": _b64(doubled),
        "points": _b64(own),
    }
    state = _header("responder-state", side.indicator_type) | {
        "values": side.values,
        "doubled": _b64(doubled),
    }
    return reply, state


def finish(side: Initiator, reply: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """(shared values, confirm message) from the reply."""
    if reply["type"] != side.indicator_type:
        raise ProtocolError(f"the reply is for '{reply['type']}', not '{side.indicator_type}'")
    shared, theirs = side.finish(_points(reply, "doubled"), _points(reply, "points"))
    confirm = _header("confirm", side.indicator_type) | {"count": len(theirs)}
    return shared, confirm | {"points": _b64(theirs)}


def confirm(state: dict[str, Any], message: dict[str, Any]) -> list[str]:
    """The responder's shared values from its state and the initiator's confirm message."""
    if message["type"] != state["type"]:
        raise ProtocolError(f"the confirmation is for '{message['type']}', not '{state['type']}'")
    side = Responder(state["type"], [])
    side.values = list(state["values"])
    side.answer_known(_points(state, "doubled"))
    return side.confirm(_points(message, "points"))
