"""The trial protocol as validated data: arms, centres, strata, visits, eligibility."""

from exonc.protocol.eligibility import Answer, EligibilityVerdict, assess_eligibility
from exonc.protocol.loader import default_protocol_path, load_protocol, parse_protocol
from exonc.protocol.model import (
    Arm,
    Centre,
    Criterion,
    CriterionKind,
    Factor,
    GuideAccess,
    Protocol,
    RandomisationMethod,
    RandomisationSettings,
    VisitDefinition,
)
from exonc.protocol.schedule import (
    VisitStatus,
    VisitWindow,
    add_months,
    schedule,
    visit_status,
    visit_window,
)

__all__ = [
    "Answer",
    "Arm",
    "Centre",
    "Criterion",
    "CriterionKind",
    "EligibilityVerdict",
    "Factor",
    "GuideAccess",
    "Protocol",
    "RandomisationMethod",
    "RandomisationSettings",
    "VisitDefinition",
    "VisitStatus",
    "VisitWindow",
    "add_months",
    "assess_eligibility",
    "default_protocol_path",
    "load_protocol",
    "parse_protocol",
    "schedule",
    "visit_status",
    "visit_window",
]
