"""Allocation fixtures: a hand-written allocation list, loaded lists, ready participants."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator

import pytest

from exonc.platform.accounts.models import User
from exonc.platform.allocation import sequences
from exonc.platform.allocation.design import trial_design
from exonc.platform.allocation.models import AllocationSequence
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Centre, Participant
from exonc.randomisation import AllocationList, generate_list, read_list_csv
from tests.platform.conftest import ELIGIBLE, TODAY

NOW = dt.datetime(2024, 5, 2, 10, 30, tzinfo=dt.UTC)
SEED = 20240501

#: A list written by hand in canonical form (strata in code point order, then position),
#: so its SHA-256 is that of these bytes (``sha256sum``), computed below with hashlib.
HAND_LIST = """\
stratum,position,block,block_size,arm,centre,line_of_treatment
centre=DE-HEI|line_of_treatment=1st/2nd,1,1,2,exercise,DE-HEI,1st/2nd
centre=DE-HEI|line_of_treatment=1st/2nd,2,1,2,control,DE-HEI,1st/2nd
centre=NL-UTR|line_of_treatment=1st/2nd,1,1,2,control,NL-UTR,1st/2nd
centre=NL-UTR|line_of_treatment=1st/2nd,2,1,2,exercise,NL-UTR,1st/2nd
centre=NL-UTR|line_of_treatment=1st/2nd,3,2,4,exercise,NL-UTR,1st/2nd
centre=NL-UTR|line_of_treatment=1st/2nd,4,2,4,exercise,NL-UTR,1st/2nd
centre=NL-UTR|line_of_treatment=1st/2nd,5,2,4,control,NL-UTR,1st/2nd
centre=NL-UTR|line_of_treatment=1st/2nd,6,2,4,control,NL-UTR,1st/2nd
centre=NL-UTR|line_of_treatment=3rd+,1,1,2,exercise,NL-UTR,3rd+
centre=NL-UTR|line_of_treatment=3rd+,2,1,2,control,NL-UTR,3rd+
"""
HAND_SHA256 = hashlib.sha256(HAND_LIST.encode("utf-8")).hexdigest()
#: The arms of the NL-UTR 1st/2nd stratum in position order, read off the list above.
UTR_FIRST_LINE = ["control", "exercise", "exercise", "exercise", "control", "control"]

MakeReady = Callable[..., Participant]


@pytest.fixture(autouse=True)
def _fresh_verification() -> Iterator[None]:
    """Each test verifies its lists afresh (row ids repeat across rolled-back tests)."""
    sequences.forget_verified()
    yield
    sequences.forget_verified()


def hand_list(purpose: str = "live") -> AllocationList:
    return read_list_csv(HAND_LIST, design=trial_design(), purpose=purpose)  # type: ignore[arg-type]


@pytest.fixture
def hand_sequence(statistician: User) -> AllocationSequence:
    """The hand-written list, loaded as the live list by the statistician."""
    return sequences.load_list(statistician, hand_list(), origin="hand-written", now=NOW)


@pytest.fixture
def long_sequence(statistician: User) -> AllocationList:
    """A generated live list with 60 positions in every stratum."""
    made = generate_list(trial_design(), SEED, per_stratum=60)
    sequences.load_list(statistician, made, origin="generated in a test", now=NOW)
    return made


@pytest.fixture
def make_ready(centres: dict[str, Centre], coordinator: User) -> MakeReady:
    """Enrol, screen and consent a participant (by a coordinator of her centre)."""

    def _make(
        study_id: str, centre: str = "NL-UTR", line: str = "1st/2nd", by: User | None = None
    ) -> Participant:
        user = by or coordinator
        data = trial_services.Enrolment(
            study_id=study_id, centre=centre, birth_year=1970, line_of_treatment=line
        )
        participant = trial_services.enrol(user, data, today=TODAY)
        trial_services.screen(user, participant, ELIGIBLE, screened_on=TODAY)
        trial_services.record_consent(user, participant, consented_on=TODAY)
        return participant

    return _make
