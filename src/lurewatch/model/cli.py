"""`lurewatch model train` and `lurewatch model eval` (a typer sub-app mounted by the main CLI)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from lurewatch.model.artifacts import ARTIFACT_DIR, ArtifactError, load_model, save_model
from lurewatch.model.corpus import KINDS, CorpusError, load_files
from lurewatch.model.datacard import write as write_datacard
from lurewatch.model.evaluate import breakdown, format_table
from lurewatch.model.features import signal_features
from lurewatch.model.train import CONFIGS, train_kind

app = typer.Typer(help="Train and evaluate the text classifiers.", no_args_is_help=True)

DEFAULT_DATA = Path(os.environ.get("LUREWATCH_DATA", "../shared/data"))


@app.command()
def train(
    data_dir: Annotated[Path, typer.Option(help="Folder holding corpus/*.jsonl.")] = DEFAULT_DATA,
    out: Annotated[Path, typer.Option(help="Where to write the artifacts.")] = ARTIFACT_DIR,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds.")] = None,
    folds: Annotated[int, typer.Option(min=2, max=10)] = 5,
    seed: Annotated[int, typer.Option()] = 0,
    signals: Annotated[
        bool, typer.Option(help="Add fired-signal category scores as features.")
    ] = False,
) -> None:
    """Rebuild the shipped models (deterministic for a given seed) and the data card."""
    kinds = kind or list(KINDS)
    bad = [k for k in kinds if k not in CONFIGS]
    if bad:
        raise typer.BadParameter(f"unknown kind(s) {bad}; choose from {list(CONFIGS)}")
    extra = signal_features() if signals else None
    if signals and extra is None:
        raise typer.BadParameter("--signals needs lurewatch.signals, which is not importable")
    reports: dict[str, Any] = {}
    for k in KINDS:
        if k in kinds:
            try:
                result = train_kind(data_dir, CONFIGS[k], folds=folds, seed=seed, extra=extra)
            except (CorpusError, OSError) as exc:
                raise typer.Exit(_fail(str(exc))) from None
            for path in save_model(result.model, out):
                typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
            reports[k] = result.cv_report
            typer.echo(format_table(result.cv_report["risk"]))  # type: ignore[arg-type]
        else:
            try:
                reports[k] = load_model(k, out).metadata["cv"]
            except (ArtifactError, KeyError):
                continue
    card = write_datacard(out / "DATA_CARD.md", reports)
    typer.echo(f"wrote {card}")


def _fail(message: str) -> int:
    typer.echo(f"error: {message}", err=True)
    return 2


@app.command("eval")
def evaluate(
    input: Annotated[Path, typer.Option("--input", help="Labelled JSONL (corpus schema).")],
    models: Annotated[Path, typer.Option(help="Artifact folder.")] = ARTIFACT_DIR,
    threshold: Annotated[float | None, typer.Option(help="Override the shipped threshold.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Precision, recall, F1, ROC-AUC and confusion matrix overall, per language and dataset."""
    try:
        examples = load_files([input])
    except (CorpusError, OSError) as exc:
        raise typer.Exit(_fail(str(exc))) from None
    if not examples:
        raise typer.Exit(_fail(f"{input}: no rows"))
    out: dict[str, Any] = {}
    for kind in sorted({e.kind for e in examples}):
        rows = [e for e in examples if e.kind == kind]
        try:
            model = load_model(kind, models)
        except ArtifactError as exc:
            raise typer.Exit(_fail(str(exc))) from None
        prob = model.risk_many([e.text for e in rows])
        if threshold is None:
            t: float | np.ndarray = model.thresholds([e.detected for e in rows])
        else:
            t = threshold
        out[kind] = {
            "threshold": model.threshold if threshold is None else threshold,
            "language_thresholds": model.language_thresholds if threshold is None else {},
            "report": breakdown(rows, np.asarray(prob), t),
        }
    if as_json:
        typer.echo(json.dumps(out, indent=1))
        return
    for kind, res in out.items():
        extra = res["language_thresholds"]
        typer.echo(f"== {kind} (threshold {res['threshold']:.4f}; by language {extra}) ==")
        typer.echo(format_table(res["report"]))
