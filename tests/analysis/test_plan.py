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
    # every QLQ-C30 scale (tests/reference/domain.md §6.1) is secondary
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
            "key model.covariance: value 'spline': not a known value; use one of us, cs",
        ),
        (
            ('visit = "m6"\n[[', 'visit = "m12"\n[['),
            "key primary.visit: value 'm12': must be one of m3, m6",
        ),
        (('role = "primary"', 'role = "main"'), r"key outcomes\[1\].role: value 'main'"),
        (('subject = "id"\n', ""), "key data.subject: missing key"),
        (('"qlq-c30" = "c30.csv"', '"qlq-fa12" = "fa.csv"'), "has no table under"),
        (("[model]", "[model"), "not valid TOML"),
        (('role = "primary"', 'role = "secondary"'), "at least one outcome"),
        (('visits = ["m3", "m6"]', 'visits = "m3, m6"'), "key data.visits: .*list of text"),
    ],
)
def test_broken_plans_name_file_and_key(change: tuple[str, str], message: str) -> None:
    with pytest.raises(AnalysisInputError, match=f"^plan.toml.*{message}"):
        parse_plan(MINIMAL.replace(*change), source="plan.toml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # each of these fell back silently to a default before (issue 18)
        (
            ("[model]", '[model]\ncovarance = "ar1"'),
            "key model.covarance: unknown key; did you mean 'covariance'?",
        ),
        (
            ("[primary]", '[primary]\nmultiplicty = "bonferroni"'),  # codespell:ignore
            "key primary.multiplicty",  # codespell:ignore
        ),
        (
            ("[model]", "[sensitivty]\nimputations = 5\n[model]"),  # codespell:ignore
            "key sensitivty: unknown",  # codespell:ignore
        ),
        (("[model]", "[sensitivity]\nimputation = 5\n[model]"), "key sensitivity.imputation"),
        (("[model]", "[model]\nvisit_order = []"), "key model.visit_order: unknown key"),
        (('scale = "C30_SUMMARY"', 'scael = "PF"\nscale = "PF"'), r"key outcomes\[1\].scael"),
        (
            ("[data]", 'titel = "x"\n[data]'),  # codespell:ignore
            "key titel: unknown key; did you mean 'title'?",  # codespell:ignore
        ),
        (
            (
                "[primary]",
                '[[subgroups]]\nname = "a"\ncolumn = "age"\nbelwo = 50\n[primary]',
            ),  # codespell:ignore
            r"key subgroups\[1\].belwo: unknown key",  # codespell:ignore
        ),
    ],
)
def test_misspelt_keys_stop_with_file_and_key(change: tuple[str, str], message: str) -> None:
    with pytest.raises(AnalysisInputError, match=f"^plan.toml, {message}"):
        parse_plan(MINIMAL.replace(*change, 1), source="plan.toml")


def test_unknown_shipped_plan() -> None:
    with pytest.raises(AnalysisInputError, match="no shipped analysis plan 'effect'"):
        shipped_plan("effect")
