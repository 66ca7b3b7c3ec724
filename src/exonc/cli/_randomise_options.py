"""Parsing the design options shared by the ``exonc randomise`` commands.

``--strata FACTOR=LEVEL,…``, ``--arms``, ``--ratio`` and ``--blocks`` become a
:class:`~exonc.randomisation.RandomisationDesign`; a problem becomes one line naming the
option, the value and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from exonc.errors import InputError, RandomisationInputError
from exonc.randomisation import RandomisationDesign

T = TypeVar("T")

OPTION_NAMES = {
    "ratio": "--ratio",
    "block_sizes": "--blocks",
    "factors": "--strata",
    "probability": "--probability",
    "weights": "--weight",
    "measure": "--measure",
    "method": "--method",
    "per_stratum": "--per-stratum",
    "seed": "--seed",
    "dag_factor": "--dag-factor",
    "code": "--code",
    "prevalence": "--prevalence",
    "participants": "--participants",
    "trials": "--trials",
}


def design(
    strata: Sequence[str] | None,
    arms: str,
    ratio: str,
    blocks: str | None,
    *,
    need_blocks: bool = True,
    method: str = "blocks",
    probability: float = 0.8,
    weights: dict[str, float] | None = None,
    measure: str = "range",
) -> RandomisationDesign:
    names = split(arms, "--arms")
    shares = [whole(part, "--ratio") for part in ratio.split(":")]
    if len(shares) != len(names):
        option_error(
            "--ratio",
            ratio,
            f"gives {len(shares)} shares for {len(names)} arms",
            f"name the arms with --arms (now {arms})",
        )
    sizes: list[int] = []
    if method == "blocks":
        if blocks is None and need_blocks:
            option_error(
                "--blocks",
                None,
                "give the block sizes the list was made with",
                "e.g. --blocks 2,4,6",
            )
        sizes = (
            [whole(part, "--blocks") for part in split(blocks, "--blocks")]
            if blocks
            else [sum(shares)]
        )
    factors = {name: levels for name, levels in pairs(strata, "--strata", split)}
    return checked(
        lambda: RandomisationDesign.create(
            method=method,
            ratio=dict(zip(names, shares, strict=True)),
            factors=factors,
            block_sizes=sizes,
            probability=probability,
            weights=weights,
            measure=measure,
        )
    )


def checked(make: Callable[[], T]) -> T:
    """Call *make*; turn a design error into a one-line message naming the CLI option."""
    try:
        return make()
    except RandomisationInputError as error:
        option = OPTION_NAMES.get(error.column or "", error.column)
        option_error(option, error.value, error.problem, error.hint)


def option_error(option: str | None, value: object, problem: str, hint: str | None) -> NoReturn:
    where = f"{option}: " if option else ""
    shown = f"value {value!r}: " if value is not None else ""
    raise InputError(f"{where}{shown}{problem}", hint=hint)


PAIR_FORMS = {
    "--strata": "FACTOR=LEVEL,LEVEL,…",
    "--prevalence": "FACTOR=SHARE,SHARE,…",
    "--weight": "FACTOR=WEIGHT",
}


def pairs(values: Sequence[str] | None, option: str, parse: Any) -> list[tuple[str, Any]]:
    pairs = []
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            option_error(option, value, f"must look like {PAIR_FORMS[option]}", None)
        pairs.append((name, parse(rest, option)))
    return pairs


def split(text: str, option: str) -> list[str]:
    parts = text.split(",")
    if any(not p for p in parts):
        option_error(option, text, "has an empty item", "separate items with single commas")
    return parts


def whole(text: str, option: str) -> int:
    if not text.isdigit():
        option_error(option, text, "must be whole numbers", None)
    return int(text)


def number(text: str, option: str) -> float:
    try:
        return float(text)
    except ValueError:
        option_error(option, text, "must be a number", None)


def numbers(text: str, option: str) -> list[float]:
    return [number(part, option) for part in split(text, option)]


def codes(values: Sequence[str] | None) -> dict[str, dict[str, str]]:
    codes: dict[str, dict[str, str]] = {}
    for value in values or []:
        name, sep, rest = value.partition(":")
        label, eq, code = rest.rpartition("=")
        if not sep or not eq or not name or not label or not code:
            option_error(
                "--code", value, "must look like NAME:LABEL=CODE", "e.g. --code arm:exercise=1"
            )
        codes.setdefault(name, {})[label] = code
    return codes


def seed(seed: int | None, seed_file: Path | None) -> int:
    if (seed is None) == (seed_file is None):
        option_error(
            "--seed",
            None,
            "give exactly one of --seed and --seed-file",
            "make a seed with `exonc randomise seed`",
        )
    if seed is not None:
        return seed
    text = read_text(seed_file).strip() if seed_file is not None else ""
    if not text.isdigit():
        raise InputError(
            "must hold one non-negative whole number",
            file=str(seed_file),
            hint="make one with `exonc randomise seed -o FILE`",
        )
    return int(text)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path), hint="check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot be read ({error})", file=str(path)) from None
