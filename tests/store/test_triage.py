"""Victim-in-danger triage: every language's examples are urgent, its warnings and ads are not."""

from __future__ import annotations

import time

import pytest

from lurewatch.store.triage import CUE_KINDS, cue_data, triage

LANGS = cue_data()["languages"]
URGENT = [(lang, ex) for lang, c in LANGS.items() for ex in c["examples"]]
CALM = [(lang, ex) for lang, c in LANGS.items() for ex in c["not_urgent"]]
SCREENING_LANGUAGES = {"en", "id", "ja", "km", "ko", "lo", "ms", "my", "th", "tl", "vi", "zh"}


def test_every_screening_language_has_cues_and_examples() -> None:
    assert set(LANGS) == SCREENING_LANGUAGES
    for lang, cues in LANGS.items():
        for kind in CUE_KINDS:
            assert cues.get(kind), f"{lang} has no {kind} cues"
        assert len(cues["examples"]) >= 2 and cues["not_urgent"], lang


@pytest.mark.parametrize(("lang", "text"), URGENT)
def test_examples_are_urgent_with_evidence(lang: str, text: str) -> None:
    t = triage(text)
    assert t.urgent, (lang, text)
    for cue in t.evidence:
        assert text[cue.start : cue.end] == cue.text


@pytest.mark.parametrize(("lang", "text"), CALM)
def test_ads_and_warnings_are_not_urgent(lang: str, text: str) -> None:
    assert not triage(text).urgent, (lang, text)


def test_forced_to_scam_is_a_possible_victim() -> None:
    t = triage("He is in KK Park and they forced him... he is forced to scam Americans")
    assert t.possible_victim and t.urgent
    assert not triage("They are forced to scam people, says the news").urgent


def test_obfuscated_cues_still_found() -> None:
    # zero-width space inside the phrase and a Cyrillic о in "passport"
    t = triage("they t\u200book his pаssp\u043ert and he c\u0430nnot leave")
    assert t.urgent
    assert {c.kind for c in t.evidence} >= {"passport_taken", "cannot_leave"}


def test_no_word_fragments_in_latin_scripts() -> None:
    assert not triage("The unbeatenx team won; ransomware news").urgent


def test_linear_time_on_hostile_input() -> None:
    def cpu(n: int) -> float:
        text = ("passpor " * n)[: n * 8] + "ran" * n
        t0 = time.process_time()
        triage(text)
        return time.process_time() - t0

    small, big = cpu(2_500), cpu(25_000)
    assert big < small * 10 * 3 + 0.05
