"""The linter: every shipped pack file is clean, and each kind of mistake is caught."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from lurewatch.signals.cli import app
from lurewatch.signals.lint import lint
from lurewatch.signals.loader import BUILTIN_PACK_DIR
from tests.signals.conftest import PACK_FILES


@pytest.mark.parametrize("path", PACK_FILES, ids=[p.stem for p in PACK_FILES])
def test_pack_file_is_clean(path: Path) -> None:
    """Schema, names, references, example counts; examples themselves run in test_pack_examples."""
    report = lint([path], run_examples=False)
    assert report.ok, "\n".join(map(str, report.errors))


def test_no_duplicate_ids_across_shipped_packs() -> None:
    report = lint([BUILTIN_PACK_DIR], run_examples=False)
    assert not [i for i in report.errors if "duplicate id" in i.message]


def good_rule(**overrides: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": "en.phishing.parcel_held",
        "title": "Parcel held",
        "title_local": "Parcel held",
        "description": "Fake delivery notices.",
        "category": "phishing",
        "stage": None,
        "weight": 0.4,
        "patterns": [r"parcel\s+(?:is\s+)?(?:held|on hold)"],
        "references": ["FTC consumer alert"],
        "examples": {
            "positive": ["Your parcel is held at the depot", "parcel on hold, pay fee"],
            "negative": ["I held the parcel for you", "Parcel delivered today"],
        },
    }
    rule.update(overrides)
    return rule


def write_pack(
    tmp: Path, rules: list[dict[str, Any]], name: str = "en_phishing", **top: Any
) -> Path:
    lang, theme = name.split("_", 1)
    data = {"pack": name, "language": lang, "theme": theme, "rules": rules, **top}
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def messages(tmp: Path) -> str:
    return "\n".join(str(i) for i in lint([tmp]).errors)


def test_good_pack_passes(tmp_path: Path) -> None:
    write_pack(tmp_path, [good_rule()])
    report = lint([tmp_path])
    assert report.ok, report.issues


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"patterns": [r"(?=parcel)held"]}, "RE2 cannot compile"),
        ({"patterns": [r"(parcel)\1"]}, "RE2 cannot compile"),
        ({"patterns": [r"(?:parcel)?"]}, "matches the empty string"),
        ({"patterns": ["a" * 500]}, "limit 400"),
        ({"category": "crime"}, "category"),
        ({"stage": "greeting"}, "stage"),
        ({"weight": 0}, "weight"),
        ({"weight": 1.5}, "weight"),
        ({"references": []}, "no references"),
        ({"examples": {"positive": ["parcel is held"], "negative": ["x", "y"]}}, ">= 2 positive"),
        ({"examples": {"positive": ["parcel held", "parcel on hold"]}}, ">= 2 negative"),
        ({"id": "th.phishing.parcel_held"}, "must start with 'en.phishing.'"),
        ({"id": "Bad Id"}, "id"),
        ({"patterns": [r"\bพัสดุ"]}, "non-ASCII"),
        ({"patterns": [], "keywords": []}, "neither patterns nor keywords"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_mistakes_are_reported(tmp_path: Path, override: dict[str, Any], expected: str) -> None:
    write_pack(tmp_path, [good_rule(**override)])
    assert expected in messages(tmp_path)


def test_examples_are_run(tmp_path: Path) -> None:
    rule = good_rule(
        examples={
            "positive": ["parcel is held", "nothing relevant here"],
            "negative": ["parcel on hold", "fine"],
        }
    )
    write_pack(tmp_path, [rule])
    out = messages(tmp_path)
    assert "positive example does not fire: 'nothing relevant here'" in out
    assert "negative example fires: 'parcel on hold'" in out


def test_duplicate_ids_and_name_mismatch(tmp_path: Path) -> None:
    write_pack(tmp_path, [good_rule(), good_rule()])
    path = write_pack(tmp_path, [good_rule()], name="en_phishing")
    path.rename(tmp_path / "en_other.yaml")
    write_pack(tmp_path, [good_rule()])
    out = messages(tmp_path)
    assert "duplicate id" in out
    assert "file name should be en_phishing.yaml" in out


def test_language_mismatch(tmp_path: Path) -> None:
    write_pack(tmp_path, [good_rule()], name="en_phishing", language="vi")
    assert "should be 'vi_phishing'" in messages(tmp_path)


def test_broken_yaml_is_an_issue_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "en_phishing.yaml").write_text("rules: [\n  - id: x\n", encoding="utf-8")
    (tmp_path / "en_task_scam.yaml").write_text("- just a list\n", encoding="utf-8")
    out = messages(tmp_path)
    assert "not valid YAML" in out and "must be a mapping" in out


def test_cli_rules_check(tmp_path: Path) -> None:
    runner = CliRunner()
    write_pack(tmp_path, [good_rule()])
    ok = runner.invoke(app, ["rules", "check", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert "1 packs, 1 rules: 0 errors" in ok.output
    write_pack(tmp_path, [good_rule(weight=2)])
    bad = runner.invoke(app, ["rules", "check", str(tmp_path)])
    assert bad.exit_code == 1
    assert "en.phishing.parcel_held" in bad.output or "rules.0.weight" in bad.output
    missing = runner.invoke(app, ["rules", "check", str(tmp_path / "nope")])
    assert missing.exit_code == 2
