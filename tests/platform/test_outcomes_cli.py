"""``exonc outcomes rescore`` on the platform database (in-process, the test database)."""

from __future__ import annotations

import json
import sys

import pytest

from exonc.cli import main
from exonc.platform.accounts.models import User
from exonc.platform.outcomes import services
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY
from tests.platform.outcomes_setup import HADS_ONES, NOW, RANDOMISED, visit

pytestmark = pytest.mark.django_db


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["exonc", *args])
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def hads(ready: Participant, coordinator: User) -> QuestionnaireResponse:
    trial_services.schedule_visits(coordinator, ready, randomised_on=RANDOMISED)
    return services.enter_paper_form(
        coordinator, visit(ready, "m3"), "hads", HADS_ONES, answered_on=TODAY, now=NOW
    )


def test_rescore_reports_identical_scores(monkeypatch, capsys, hads) -> None:
    code, out, err = run(
        monkeypatch, capsys, "outcomes", "rescore", "--user", "coord-utr", "--reason", "check"
    )
    assert (code, err) == (0, "")
    assert out.strip() == (
        "1 submitted responses rescored with the stored scoring versions: 1 unchanged, 0 changed"
    )


def test_rescore_writes_changes_with_the_reason(monkeypatch, capsys, hads) -> None:
    QuestionnaireResponse.objects.update(scores={"ANXIETY": 0.0, "DEPRESSION": 7.0})
    code, out, _ = run(
        monkeypatch,
        capsys,
        "outcomes",
        "rescore",
        "--user",
        "coord-utr",
        "--reason",
        "restore",
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    assert (report["examined"], report["changed"], report["unchanged"]) == (1, 1, 0)
    assert report["changes"][0]["scores"] == {"ANXIETY": [0.0, 7.0]}
    fixed = QuestionnaireResponse.objects.get()
    assert fixed.scores == {"ANXIETY": 7.0, "DEPRESSION": 7.0}
    assert fixed.history.latest("history_id").history_change_reason == "restore"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody", "--reason", "x"], "error: --user 'nobody' is not an active user"),
        (["--user", "coord-utr"], "error: --reason is required; say why the scores are recomputed"),
        (["--user", "physio-utr", "--reason", "x"], "error: only a trial coordinator may do this"),
        (
            ["--user", "coord-utr", "--reason", "x", "--centre", "DE-HEI"],
            "does not work at centre DE-HEI",
        ),
    ],
)
def test_rescore_refusals_exit_2_with_one_line(
    monkeypatch, capsys, hads, physio, args, message
) -> None:
    code, out, err = run(monkeypatch, capsys, "outcomes", "rescore", *args)
    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1
