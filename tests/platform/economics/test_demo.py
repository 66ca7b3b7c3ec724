"""The demo loader: the synthetic trial's resource use and delivery as platform records."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.economics import resource_items
from exonc.platform.accounts.models import User
from exonc.platform.demo import COUNTED, counts, load_demo
from exonc.platform.economics import analysis
from exonc.platform.economics.models import DeliveryRecord, ResourceUseReport
from exonc.synthetic import as_of, generate_trial

pytestmark = pytest.mark.django_db


def test_the_demo_loads_resource_use_and_delivery() -> None:
    trial = as_of(
        generate_trial(participants_n=40, start=dt.date(2022, 1, 10)), dt.date(2025, 3, 1)
    )
    load_demo(trial)
    table = trial.tables["resource_use"]
    keys = set(zip(table["participant_id"], table["visit"], strict=True))
    assert ResourceUseReport.objects.count() == len(keys)
    sample = table.iloc[0]
    report = ResourceUseReport.objects.select_related("visit__participant__centre").get(
        visit__participant__study_id=sample["participant_id"], visit__code=sample["visit"]
    )
    assert report.quantities[sample["item"]] == sample["quantity"]
    country = report.visit.participant.centre.country
    assert set(report.quantities) == {i.code for i in resource_items(country)}
    assert (report.source, report.paid_work, report.country) == ("import", None, country)
    row = report.history.get()
    assert (row.history_user.username, row.history_change_reason) == (
        "demo-loader",
        "synthetic demo data",
    )
    sessions = trial.tables["sessions"]
    attended = sessions[(sessions["kind"] == "supervised") & (sessions["attended"] == 1)]
    assert DeliveryRecord.objects.count() == len(attended)
    assert set(DeliveryRecord.objects.values_list("group_size", flat=True)) == {1}
    assert {"resource-use reports", "delivery records"} <= {name for name, _ in COUNTED}
    assert counts()["delivery records"] == len(attended)

    result = analysis.health_economics(
        User.objects.get(username="statistician"),
        today=dt.date(2025, 3, 1),
        options=analysis.Options(bootstrap=200),
    )
    assert set(result.base_case["n"]) == {"exercise", "control"}
    assert any("questions on paid work" in w for w in result.warnings)
