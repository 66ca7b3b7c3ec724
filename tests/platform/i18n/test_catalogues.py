"""The translation catalogues are complete, compile with format checks, ship compiled, and
hold exactly what ``make messages`` would extract (docs/translations.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.platform.i18n.catalogues import LANGUAGES, LOCALE, catalogue, missing, read_po

SOURCE = LOCALE.parents[1]  # src/exonc: what make messages scans
needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="GNU gettext (msgfmt, xgettext) is not installed",
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    gaps = missing(language)
    assert not gaps, (
        f"{len(gaps)} entries of {catalogue(language)} are untranslated or fuzzy; translate "
        "them (docs/translations.md):\n" + "\n".join(f"  {msgid!r}" for msgid in gaps)
    )


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_compiles_with_format_checks_to_the_shipped_mo_file(
    language: str, tmp_path: Path
) -> None:
    """``msgfmt -c`` checks that every %(name)s placeholder survived translation; the .mo
    file in the package is the compiled current catalogue (make messages compiles it)."""
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "-c", "-o", str(compiled), str(catalogue(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shipped = catalogue(language).with_suffix(".mo")
    assert shipped.read_bytes() == compiled.read_bytes(), f"run make messages: {shipped} is stale"


def test_the_package_ships_the_compiled_catalogues() -> None:
    """hatch puts every file under src/exonc in the wheel; nothing may ignore the .mo files."""
    ignored = subprocess.run(
        ["git", "check-ignore", *(str(catalogue(lang).with_suffix(".mo")) for lang in LANGUAGES)],
        capture_output=True,
        text=True,
        check=False,
        cwd=SOURCE,
    )
    assert ignored.stdout == ""


@needs_gettext
def test_make_messages_would_not_change_the_catalogues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """makemessages into an empty folder extracts exactly the msgids the catalogues hold: a
    text marked (or changed) since the last ``make messages`` fails here."""
    copy = tmp_path / "locale"
    for language in LANGUAGES:  # empty catalogues: every msgid must come from the code
        (copy / language / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.chdir(SOURCE)
    with override_settings(LOCALE_PATHS=[copy]):
        call_command(
            "makemessages",
            locale=list(LANGUAGES),
            no_obsolete=True,
            no_wrap=True,
            add_location="file",
            ignore_patterns=["static", "synthetic", "locale"],
            verbosity=0,
        )
    for language in LANGUAGES:
        fresh = {e.key for e in read_po(copy / language / "LC_MESSAGES" / "django.po")}
        kept = {e.key for e in read_po(catalogue(language))}
        assert fresh - kept == set(), f"new texts to translate ({language}): run make messages"
        assert kept - fresh == set(), f"texts no longer in the code ({language}): make messages"
