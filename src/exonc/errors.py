"""Exceptions and warnings raised by exonc.

Every error a user can cause is an :class:`ExoncError`; the command line turns one into a
single line on stderr and exit code 2. Messages say what went wrong and what to do next.

Hierarchy::

    ExoncError
    ├── InputError                  bad input data: names file, row, column and value
    │   ├── ProtocolError           a protocol file that does not validate
    │   ├── ScoringError            questionnaire answers that cannot be scored
    │   ├── InstrumentDataError     a definition, value set or text pack that does not validate
    │   ├── ImportFormatError       a tracker export that cannot be read
    │   ├── AnalysisInputError      data or a specification an analysis cannot use
    │   ├── DesignInputError        a trial design (for power) or a cluster exonc cannot use
    │   ├── ExerciseInputError      a fitness test, lesion, override or session log exonc cannot use
    │   │   └── NeedsConfirmation   a value far from the previous one: confirm it with a reason
    │   ├── RandomisationInputError a randomisation design or allocation list that cannot be used
    │   ├── EconomicsInputError     costs, utilities or draws that cannot be analysed
    │   ├── InterchangeError        a REDCap project, ODM file, FHIR resource or mapping file
    │   ├── GuideDataError          an exercise-guide file, level or lesion site exonc cannot use
    │   └── UnsafePath              a file path built from data that would leave its folder
    ├── TrialStateError             an action the trial's state does not allow
    │   ├── NotEligible             participant not (yet) eligible or consented
    │   ├── DuplicateStudyId        study ID already in use
    │   ├── UnknownCentre           centre code not in the protocol or database
    │   └── AlreadyImported         the same files were imported for the participant before
    ├── RandomisationError
    │   ├── AlreadyRandomised
    │   ├── ListExhausted
    │   ├── ListIntegrityError      allocation list does not match its checksum
    │   └── NoAllocationSequence    no usable allocation list or minimisation seed is loaded
    ├── SafetyRuleViolation         a prescription would break a bone-metastasis rule
    ├── ClusterError                a Dask cluster that could not finish the work
    └── AccessDenied                user's role or centre does not allow the action

    ExoncWarning (UserWarning)
    ├── ConvergenceWarning
    └── DataQualityWarning
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "AccessDenied",
    "AlreadyImported",
    "AlreadyRandomised",
    "AnalysisInputError",
    "ClusterError",
    "ConvergenceWarning",
    "DataQualityWarning",
    "DesignInputError",
    "DuplicateStudyId",
    "EconomicsInputError",
    "ExerciseInputError",
    "ExoncError",
    "ExoncWarning",
    "GuideDataError",
    "ImportFormatError",
    "InputError",
    "InstrumentDataError",
    "InterchangeError",
    "ListExhausted",
    "ListIntegrityError",
    "NeedsConfirmation",
    "NoAllocationSequence",
    "NotEligible",
    "ProtocolError",
    "RandomisationError",
    "RandomisationInputError",
    "SafetyRuleViolation",
    "ScoringError",
    "TrialStateError",
    "UnknownCentre",
    "UnsafePath",
]


class ExoncError(Exception):
    """Base class of every error exonc raises on purpose."""


class InputError(ExoncError):
    """Input that cannot be used, located as precisely as possible.

    The message reads as one line: ``file, row 12, column q5: value '7': problem; hint``
    (``key`` locates a setting in a TOML file instead of a row and column).
    Rows are 1-based data rows (the header is not counted), as a spreadsheet user counts them
    after the header.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.key = key
        self.value = value
        self.hint = hint
        super().__init__(self._compose())

    def _where(self) -> list[str | None]:
        """The parts of the location, in the order the message names them."""
        return [
            self.file,
            f"row {self.row}" if self.row is not None else None,
            f"column {self.column}" if self.column is not None else None,
            f"key {self.key}" if self.key is not None else None,
        ]

    def _compose(self) -> str:
        text = ", ".join(part for part in self._where() if part)
        if self.value is not None:
            text = f"{text}: value {self.value!r}" if text else f"value {self.value!r}"
        text = f"{text}: {self.problem}" if text else self.problem
        if self.hint:
            text = f"{text}; {self.hint}"
        return text

    def located(self, file: str) -> InputError:
        """Return the same error with the file name filled in (for callers that read files)."""
        if self.file is not None:
            return self
        found = copy.copy(self)
        found.file = file
        found.args = (found._compose(),)
        return found


class ProtocolError(InputError):
    """A protocol file is malformed or inconsistent."""


class ScoringError(InputError):
    """Questionnaire answers are missing, non-numeric or outside an item's range."""


class InstrumentDataError(InputError):
    """An instrument definition, EQ-5D value set or text pack is malformed or inconsistent."""


class ImportFormatError(InputError):
    """A tracker export has the wrong columns, values or structure."""


class AnalysisInputError(InputError):
    """Data or a model specification that an analysis cannot use."""


class DesignInputError(InputError):
    """A trial design for a power calculation, or a cluster to run it on, that cannot be used."""


class ExerciseInputError(InputError):
    """A fitness test, lesion, override, participant file or session log that cannot be used."""


class NeedsConfirmation(ExerciseInputError):
    """A value so far from the previous one that it is stored only when confirmed with a reason."""


class RandomisationInputError(InputError):
    """A randomisation design, stratification data or allocation list that cannot be used."""


class EconomicsInputError(InputError):
    """Costs, utilities or draws that a cost-effectiveness analysis cannot use."""


class InterchangeError(InputError):
    """A REDCap project, CDISC ODM file, FHIR resource or mapping file that cannot be used.

    Besides file, row and column it can name the *record* (a participant's ID, with its
    REDCap event) or the XML/JSON *element* at fault, so that one line says where to look.
    """

    def __init__(
        self,
        problem: str,
        *,
        record: str | None = None,
        element: str | None = None,
        **where: Any,
    ) -> None:
        self.record = record
        self.element = element
        super().__init__(problem, **where)

    def _where(self) -> list[str | None]:
        file, *rest = super()._where()
        record = f"record {self.record}" if self.record is not None else None
        element = f"element {self.element}" if self.element is not None else None
        return [file, record, element, *rest]


class GuideDataError(InputError):
    """An exercise-guide file with a missing field or an unknown value, or an unknown level
    or lesion site asked of the guide library."""


class UnsafePath(InputError):
    """A file path built from data (a study ID, a file name, a slug) that would lead outside
    the folder it belongs in: ``..``, an absolute path, a link out, or a NUL byte."""


class TrialStateError(ExoncError):
    """An action that the participant's or the trial's current state does not allow."""


class NotEligible(TrialStateError):
    """The participant is not eligible, has not consented, or has withdrawn consent."""


class DuplicateStudyId(TrialStateError):
    """A study ID is already in use."""


class UnknownCentre(TrialStateError):
    """A centre code that the protocol or database does not know."""


class AlreadyImported(TrialStateError):
    """Every file of an import was imported for the same participant before: nothing is
    stored again and no new import is recorded. ``earlier`` names that import."""

    def __init__(self, message: str, *, earlier: Any = None) -> None:
        self.earlier = earlier
        super().__init__(message)


class RandomisationError(ExoncError):
    """Allocation cannot be given."""


class AlreadyRandomised(RandomisationError):
    """The participant already has an allocation; allocations are final."""


class ListExhausted(RandomisationError):
    """The allocation list has no unused position left in the participant's stratum."""


class ListIntegrityError(RandomisationError):
    """The allocation list does not match its recorded checksum."""


class NoAllocationSequence(RandomisationError):
    """No allocation list or minimisation seed of the kind the protocol needs is loaded."""


class SafetyRuleViolation(ExoncError):
    """A prescription or session would load a restricted movement without a clinician's override."""


class ClusterError(ExoncError):
    """A Dask cluster lost the work (workers died repeatedly); say what to check."""

    def __init__(self, problem: str, *, hint: str | None = None) -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}; {hint}" if hint else problem)


class AccessDenied(ExoncError):
    """The user's role or centre membership does not allow the action."""


class ExoncWarning(UserWarning):
    """Base class of exonc's warnings."""


class ConvergenceWarning(ExoncWarning):
    """An iterative fit did not meet its convergence criteria."""


class DataQualityWarning(ExoncWarning):
    """Data were usable but something about them needs a human look."""
