"""The root command group that imports an area's module only when one of its commands runs.

``exonc --help`` lists every command from a small table (:data:`exonc.cli.COMMANDS`): each
entry names the command, the modules whose ``register(app)`` adds it, and its help line.
Running ``exonc analyse mmrm …`` imports ``exonc.cli.analysis`` alone; pandas, polars,
DuckDB, scipy, Django and the synthetic generator load only in the commands that use them.
Tools that walk every command (``typer exonc.cli utils docs``, the tests) load them all
through :meth:`LazyGroup.get_command`, so they see exactly what a user runs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer import _click


@dataclass(frozen=True)
class Lazy:
    """One command under ``exonc``: its name, the modules that register it, its help.

    *help* is the first paragraph of the command's own help (a test checks they agree);
    *modules* each have a ``register(app: typer.Typer)`` function. Several commands may
    share a module, and several modules may add to one command (``exonc export`` gathers
    subcommands from every area that writes data for other systems).
    """

    name: str
    modules: str | tuple[str, ...]
    help: str

    @property
    def imports(self) -> tuple[str, ...]:
        return (self.modules,) if isinstance(self.modules, str) else self.modules


class _Registry:
    """The areas' ``register`` functions run once each, on one staging application that
    has the root's display settings, so a loaded command looks exactly as it would have."""

    def __init__(self) -> None:
        self._registered: set[str] = set()
        self._loaded: dict[str, _click.Command] = {}
        self._staging: typer.Typer | None = None

    def staging(self) -> typer.Typer:
        if self._staging is None:
            from exonc.cli._groups import export_app, import_app

            staging = typer.Typer(
                add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
            )
            staging.add_typer(export_app)
            staging.add_typer(import_app)
            self._staging = staging
        return self._staging

    def load(self, entry: Lazy) -> _click.Command | None:
        """The click command for *entry*, importing and registering its modules first."""
        if entry.name in self._loaded:
            return self._loaded[entry.name]
        staging = self.staging()
        for module in entry.imports:
            if module not in self._registered:
                importlib.import_module(module).register(staging)
                self._registered.add(module)
        command = typer.main.get_group(staging).commands.get(entry.name)
        if command is not None:
            self._loaded[entry.name] = command
        return command

    def loaded(self, name: str) -> _click.Command | None:
        return self._loaded.get(name)


REGISTRY = _Registry()


class LazyGroup(TyperGroup):
    """A Typer group whose subcommands come from the table :data:`exonc.cli.COMMANDS`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Placeholders carry the names and help lines: click's "did you mean" suggestions
        # read ``commands``; get_command replaces a placeholder by the real command.
        for entry in self._table():
            self.commands.setdefault(entry.name, TyperCommand(entry.name, help=entry.help))

    @staticmethod
    def _table() -> tuple[Lazy, ...]:
        from exonc.cli import COMMANDS  # the table lives with the package's documentation

        return COMMANDS

    def _entry(self, name: str) -> Lazy | None:
        return next((entry for entry in self._table() if entry.name == name), None)

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        entry = self._entry(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        return REGISTRY.load(entry)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """List the commands from the table without importing them (``exonc --help``)."""
        rows = []
        for name in self.list_commands(ctx):
            command = REGISTRY.loaded(name) or self.commands[name]
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])
