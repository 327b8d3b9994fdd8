"""TLP 2.0 marking definitions as FIRST and OASIS publish them for STIX 2.1.

stix2 ships only the TLP 1.0 constants; TLP 2.0 markings are the objects published in
oasis-open/cti-stix-common-objects (extension-definition-specifications/tlp-2.0): fixed ids, a
fixed `created`, and the property extension `extension-definition--60a3c5c5-...` holding the
level. Exporters reference these ids so every consumer recognises the level; importers read
the level back from the id (or from the TLP 1.0 ids stix2 knows, which partners still send).
"""

from __future__ import annotations

from typing import Any, Final

TLP2_EXTENSION: Final = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED: Final = "2022-10-01T00:00:00.000Z"

TLP2_IDS: Final[dict[str, str]] = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_LEVELS: Final = tuple(TLP2_IDS)

TLP1_IDS: Final[dict[str, str]] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "clear",  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
}

LEVEL_BY_ID: Final[dict[str, str]] = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}

ONWARD: Final[dict[str, int]] = {"clear": 0, "green": 1, "amber": 2, "amber+strict": 3, "red": 4}
"""How far a level lets information travel; higher is narrower."""


def tlp_marking(level: str) -> dict[str, Any]:
    """The published marking-definition object of a TLP 2.0 level."""
    if level not in TLP2_IDS:
        raise ValueError(f"unknown TLP level {level!r}; choose from {', '.join(TLP_LEVELS)}")
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[level],
        "created": TLP2_CREATED,
        "name": f"TLP:{level.upper()}",
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}},
    }


def strictest(levels: list[str]) -> str | None:
    """The narrowest of several TLP levels (an object marked twice obeys the stricter)."""
    known = [lv for lv in levels if lv in ONWARD]
    return max(known, key=ONWARD.__getitem__) if known else None


def level_of(marking_refs: list[str]) -> str | None:
    """The TLP level of an object's `object_marking_refs` (None when it has none)."""
    return strictest([LEVEL_BY_ID[r] for r in marking_refs if r in LEVEL_BY_ID])


def may_pass_on(level: str | None, audience_level: str) -> bool:
    """May a partner's object marked `level` be handed on to an audience at `audience_level`?

    TLP:CLEAR goes anywhere; TLP:GREEN to community groups (not to an audience we mark clear,
    which may publish); AMBER, AMBER+STRICT and RED were given to us and our clients only, and
    unmarked objects are treated as AMBER.
    """
    level = level or "amber"
    if level == "clear":
        return True
    if level == "green":
        return audience_level != "clear"
    return False
