"""The trial's randomisation design, read from the protocol, and a participant's factor levels.

The protocol file says which method the platform uses (``[randomisation]``: method, the
factors with their levels, block sizes, minimisation probability) and the arms with their
ratio. A factor's code names what is stratified on: ``centre`` is the participant's centre
code; any other code is the participant field of that name (``line_of_treatment``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from exonc.errors import RandomisationInputError
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol
from exonc.protocol import Protocol
from exonc.randomisation import UNSTRATIFIED, RandomisationDesign, Stratum


@cache
def _design(protocol: Protocol) -> RandomisationDesign:
    settings = protocol.randomisation
    blocks = settings.method == "blocks"
    return RandomisationDesign.create(
        method=str(settings.method),
        ratio={arm.code: arm.ratio for arm in protocol.arms},
        factors={f.code: f.levels for f in settings.factors},
        block_sizes=settings.block_sizes if blocks else (),
        probability=settings.minimisation_probability,
    )


def trial_design(protocol: Protocol | None = None) -> RandomisationDesign:
    """The design of *protocol* (the active one by default)."""
    return _design(protocol or active_protocol())


@dataclass(frozen=True)
class FactorLevel:
    """One stratification factor as shown before randomising: code, name and level."""

    code: str
    name: str
    level: str


def participant_levels(participant: Participant, design: RandomisationDesign) -> dict[str, str]:
    """The participant's level of each factor (empty text when it is not recorded)."""
    levels = {}
    for name in design.factor_names:
        if name == "centre":
            value = participant.centre.code
        elif hasattr(participant, name):
            value = getattr(participant, name)
        else:
            raise RandomisationInputError(
                "is a stratification factor that participants have no field for",
                column=name,
                hint="name factors after participant fields (centre, line_of_treatment)",
            )
        levels[name] = "" if value is None else str(value)
    return levels


def participant_stratum(participant: Participant, design: RandomisationDesign) -> Stratum:
    """The participant's stratum; refuses missing or unknown levels, naming the factor."""
    return design.stratum_of(participant_levels(participant, design))


def factor_levels(stratum: Stratum, protocol: Protocol | None = None) -> list[FactorLevel]:
    names = {f.code: f.name for f in (protocol or active_protocol()).randomisation.factors}
    return [FactorLevel(code, names.get(code, code), level) for code, level in stratum.levels]


def stratum_from_label(label: str) -> Stratum:
    """The stratum a label names (``centre=NL-UTR|line_of_treatment=3rd+``; ``all``).

    Factor names are identifiers and levels hold no ``|``, so the label splits cleanly.
    """
    if label == UNSTRATIFIED:
        return Stratum(())
    pairs = [pair.partition("=") for pair in label.split("|")]
    return Stratum(tuple((name, level) for name, _, level in pairs))
