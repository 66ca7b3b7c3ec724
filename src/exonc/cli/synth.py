"""``exonc synth``: write the synthetic trial as tidy CSV files."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from exonc._csv import write_frame
from exonc.cli._app import console
from exonc.synthetic import DEFAULT_SEED, SyntheticTrial, generate_trial


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)


def synth(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the CSV files into.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same bytes.")] = (
        DEFAULT_SEED
    ),
    participants: Annotated[
        int | None, typer.Option(help="Number of participants (default 357, as randomised).")
    ] = None,
) -> None:
    """Generate a synthetic PREFERABLE-EFFECT trial and write one CSV per table."""
    with console.status("generating the synthetic trial"):
        trial = generate_trial(seed=seed, participants_n=participants)
    write_trial(trial, out)
    for name, frame in trial.tables.items():
        console.print(f"{name + '.csv':<22} {len(frame):>8} rows")
    console.print(f"wrote {len(trial.tables)} tables and truth.json to {out}")


def write_trial(trial: SyntheticTrial, out: Path) -> None:
    """Write every table to *out*; files appear only once all of them are complete."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".partial-") as tmp:
        staging = Path(tmp)
        for name, frame in trial.tables.items():
            write_frame(staging / f"{name}.csv", frame)
        truth = {"seed": trial.seed, **trial.truth}
        (staging / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
        for path in sorted(staging.iterdir()):
            shutil.move(path, out / path.name)
