"""``exonc allocation``: the platform's concealed allocation sequence, on the server.

For the trial statistician or an administrator with access to the server: load a list
made offline (``exonc randomise list`` output or a REDCap allocation table), generate one
on the server from a secret seed, store a minimisation seed, show what is stored (never
the list itself) and verify it against a recorded checksum. Each command starts Django
with the platform's settings (``EXONC_DATABASE_URL``, ``EXONC_PROTOCOL``…).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from exonc.cli import _randomise_options as options
from exonc.cli._app import console, start_django
from exonc.cli._io import read_table, write_json
from exonc.errors import InputError, ListIntegrityError
from exonc.randomisation import (
    AllocationList,
    RedcapCodes,
    from_redcap,
    read_list_csv,
    verify_list,
)

if TYPE_CHECKING:
    from exonc.platform.accounts.models import User
    from exonc.platform.allocation.models import AllocationSequence

allocation = typer.Typer(
    name="allocation",
    help="The platform's concealed allocation list or minimisation seed: load, generate, verify.",
    no_args_is_help=True,
)

Purpose = Annotated[
    Literal["live", "test"],
    typer.Option("--purpose", help="'live' list (the trial) or 'test' (dummy) list."),
]
UserName = Annotated[
    str,
    typer.Option("--user", help="Your username: a statistician or administrator of the platform."),
]
Seed = Annotated[int | None, typer.Option("--seed", help="The secret seed.")]
SeedFile = Annotated[
    Path | None, typer.Option("--seed-file", help="File holding the secret seed (safer).")
]
Format = Annotated[
    Literal["text", "json"], typer.Option("--format", help="Output on stdout: text or json.")
]


def register(app: typer.Typer) -> None:
    """Add ``exonc allocation …`` to the root application."""
    app.add_typer(allocation)


@allocation.command("load")
def load_command(
    path: Annotated[Path, typer.Argument(help="The list (exonc layout) or REDCap table.")],
    user: UserName,
    purpose: Purpose = "live",
    layout: Annotated[
        Literal["exonc", "redcap"], typer.Option("--layout", help="Layout of the file.")
    ] = "exonc",
    sha256: Annotated[
        str | None,
        typer.Option("--sha256", help="Refuse unless the list matches the checksum you recorded."),
    ] = None,
    code: Annotated[
        list[str] | None,
        typer.Option("--code", help="REDCap: a code other than 1, 2, …, as NAME:LABEL=CODE."),
    ] = None,
    dag_factor: Annotated[
        str | None,
        typer.Option("--dag-factor", help="REDCap: the factor held as data access group."),
    ] = None,
    fmt: Format = "text",
) -> None:
    """Store an allocation list made offline, checked against the protocol's design."""
    start_django()
    from exonc.platform.allocation import sequences
    from exonc.platform.allocation.design import trial_design

    design = trial_design()
    if layout == "redcap":
        codes = options.checked(lambda: RedcapCodes.create(design, options.codes(code), dag_factor))
        made = from_redcap(read_table(path), design, codes, file=str(path), purpose=purpose)
    else:
        made = read_list_csv(
            options.read_text(path), design=design, file=str(path), purpose=purpose
        )
    if sha256 is not None:
        _verify(made, sha256, str(path))
    origin = f"{'REDCap allocation table' if layout == 'redcap' else 'list file'} {path.name}"
    stored = sequences.load_list(_user(user), made, origin=origin, now=_now())
    _report(stored, fmt)


@allocation.command("generate")
def generate_command(
    user: UserName,
    per_stratum: Annotated[
        int, typer.Option("--per-stratum", help="Positions per stratum (whole blocks).")
    ],
    seed: Seed = None,
    seed_file: SeedFile = None,
    purpose: Purpose = "live",
    fmt: Format = "text",
) -> None:
    """Generate the protocol's list on the server from your secret seed (the seed is not kept)."""
    start_django()
    from exonc.platform.allocation import sequences

    secret = options.seed(seed, seed_file)
    stored = sequences.generate_on_server(
        _user(user), seed=secret, per_stratum=per_stratum, purpose=purpose, now=_now()
    )
    _report(stored, fmt)


@allocation.command("extend")
def extend_command(
    user: UserName,
    per_stratum: Annotated[
        int, typer.Option("--per-stratum", help="Positions to add to every stratum.")
    ],
    seed: Seed = None,
    seed_file: SeedFile = None,
    purpose: Purpose = "live",
    fmt: Format = "text",
) -> None:
    """Add positions to every stratum of the list in use, from a NEW secret seed."""
    start_django()
    from exonc.platform.allocation import sequences

    secret = options.seed(seed, seed_file)
    stored = sequences.extend_on_server(
        _user(user), seed=secret, per_stratum=per_stratum, purpose=purpose, now=_now()
    )
    _report(stored, fmt)


@allocation.command("seed")
def seed_command(
    user: UserName,
    seed: Seed = None,
    seed_file: SeedFile = None,
    purpose: Purpose = "live",
    fmt: Format = "text",
) -> None:
    """Store the secret seed a minimised trial draws its decisions from."""
    start_django()
    from exonc.platform.allocation import sequences

    secret = options.seed(seed, seed_file)
    stored = sequences.store_seed(_user(user), seed=secret, purpose=purpose, now=_now())
    _report(stored, fmt)


@allocation.command("status")
def status_command(fmt: Format = "text") -> None:
    """What is stored (purpose, kind, size, SHA-256, who loaded it when, positions used)."""
    start_django()
    from exonc.platform.allocation import sequences

    found = sequences.summaries()
    if fmt == "json":
        write_json(found)
        return
    if not found:
        console.print("no allocation list or seed is stored")
    for s in found:
        mark = "current" if s.current else "superseded"
        console.print(
            f"{s.purpose} {s.kind} ({mark}): {s.strata} strata, {s.positions} positions, "
            f"{s.used} used; sha256 {s.sha256}; loaded by {s.loaded_by} on "
            f"{s.loaded_at:%Y-%m-%d %H:%M} UTC from {s.origin}",
            markup=False,
        )


@allocation.command("verify")
def verify_command(
    sha256: Annotated[
        str | None,
        typer.Option("--sha256", help="The checksum you recorded for the current list."),
    ] = None,
    purpose: Purpose = "live",
    fmt: Format = "text",
) -> None:
    """Verify the stored sequences (and, with --sha256, that the current one is yours)."""
    start_django()
    from exonc.platform.allocation import sequences

    problems = sequences.verify_current()
    if problems:
        raise ListIntegrityError("; ".join(problems))
    stored = sequences.current(purpose)
    if sha256 is not None and sha256.strip().lower() != stored.sha256:
        raise ListIntegrityError(
            f"the stored {purpose} sequence has SHA-256 {stored.sha256}, not the recorded "
            f"{sha256.strip().lower()}; do not allocate until the trial statistician reloads it"
        )
    if fmt == "json":
        write_json({"purpose": purpose, "sha256": stored.sha256, "matches": True})
        return
    console.print(f"ok: the stored {purpose} {stored.kind} matches sha256 {stored.sha256}")


def _verify(made: AllocationList, sha256: str, file: str) -> None:
    try:
        verify_list(made, sha256)
    except ListIntegrityError as error:
        raise ListIntegrityError(f"{file}: {error}") from None


def _user(username: str) -> User:
    from exonc.platform.accounts.models import User

    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise InputError(
            "is not an active user of the platform",
            column="--user",
            value=username,
            hint="give your own username (a statistician or administrator)",
        )
    return found


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _report(stored: AllocationSequence, fmt: Format) -> None:
    data = {
        "purpose": stored.purpose,
        "kind": stored.kind,
        "strata": stored.strata,
        "positions": stored.positions,
        "sha256": stored.sha256,
        "origin": stored.origin,
        "loaded_by": stored.loaded_by.username,
        "loaded_at": stored.loaded_at,
    }
    if fmt == "json":
        write_json(data)
        return
    what = f"{stored.strata} strata, {stored.positions} positions; " if stored.positions else ""
    console.print(
        f"stored the {stored.purpose} {stored.get_kind_display().lower()}: {what}"
        f"sha256 {stored.sha256} — record it to verify the list later",
        markup=False,
    )
