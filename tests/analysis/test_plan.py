"""Analysis plans as TOML: the shipped plan and the messages for broken ones."""

from __future__ import annotations

import pytest

from exonc.analysis.plan import parse_plan, shipped_plan
from exonc.errors import AnalysisInputError

MINIMAL = """
name = "mini"
[data]
participants = "p.csv"
subject = "id"
arm = "arm"
reference = "control"
visit = "visit"
baseline = "baseline"
visits = ["m3", "m6"]
[data.instruments]
"qlq-c30" = "c30.csv"
[model]
covariates = ["centre"]
[primary]
visit = "m6"
[[outcomes]]
name = "summary"
instrument = "qlq-c30"
scale = "C30_SUMMARY"
role = "primary"
"""


def test_preferable_effect_plan() -> None:
    plan = shipped_plan("preferable-effect")
    assert [o.scale for o in plan.primaries] == ["PHYSICAL", "C30_SUMMARY"]
    secondary = [o.scale for o in plan.outcomes if o.role == "secondary"]
    # every QLQ-C30 scale (domain.md §6.1) is secondary
    assert secondary == [
        *("QL", "PF", "RF", "EF", "CF", "SF", "FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI")
    ]
    assert plan.covariates == ("line_of_treatment", "centre")
    assert (plan.primary_visit, plan.multiplicity) == ("m6", "holm")
    names = [s.name for s in plan.subgroups]
    assert names == ["age", "pain at baseline", "bone metastases", "line of treatment"]
    assert plan.subgroups[0].below == 50
    assert plan.per_protocol == "per_protocol"


def test_minimal_plan_takes_defaults() -> None:
    plan = parse_plan(MINIMAL)
    assert (plan.covariance, plan.df, plan.alpha, plan.imputations) == (
        "us",
        "kenward-roger",
        0.05,
        20,
    )
    assert plan.subgroups == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('covariates = ["centre"]', 'covariance = "spline"'),
            "key model.covariance: value 'spline': must be one of us",
        ),
        (
            ('visit = "m6"\n[[', 'visit = "m12"\n[['),
            "key primary.visit: value 'm12': must be one of m3, m6",
        ),
        (('role = "primary"', 'role = "main"'), "key outcomes\\[0\\].role"),
        (('subject = "id"\n', ""), "key data.subject: is missing"),
        (('"qlq-c30" = "c30.csv"', '"qlq-fa12" = "fa.csv"'), "has no table under"),
        (("[model]", "[model"), "is not valid TOML"),
        (('role = "primary"', 'role = "secondary"'), "at least one outcome"),
    ],
)
def test_broken_plans_name_file_and_key(change: tuple[str, str], message: str) -> None:
    with pytest.raises(AnalysisInputError, match=f"^plan.toml.*{message}"):
        parse_plan(MINIMAL.replace(*change), source="plan.toml")


def test_unknown_shipped_plan() -> None:
    with pytest.raises(AnalysisInputError, match="no shipped analysis plan 'effect'"):
        shipped_plan("effect")
