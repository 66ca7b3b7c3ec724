"""Report pages: lock the data, run the report on a lock, read and download it.
Statisticians (and administrators) only; views parse, call one service, render."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, cast

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from exonc.platform import access
from exonc.platform.accounts.models import Role
from exonc.platform.reports import exchange, services
from exonc.platform.reports.models import DataLock, PlanRun, ReportRun
from exonc.platform.trial.models import Centre
from exonc.platform.web import date_field, page, refusals, user_of
from exonc.reports import load_plan, read_folder
from exonc.reports.monitoring import monitoring_html
from exonc.reports.pdf import html_to_pdf
from exonc.reports.planning import plan_outcomes

#: The reports are self-contained documents: no scripts, nothing fetched.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


class LockForm(forms.Form):
    cut_off = date_field(required=False, label=gettext_lazy("Cut-off date (empty: everything)"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


def _lock_row(lock: DataLock) -> dict[str, Any]:
    return {
        "id": lock.pk,
        "locked_at": lock.locked_at.isoformat(timespec="seconds"),
        "locked_by": lock.locked_by.username,
        "cut_off": lock.cut_off.isoformat() if lock.cut_off else None,
        "reason": lock.reason,
        "manifest_sha256": lock.manifest_sha256,
        "tables": lock.tables,
        "runs": [_run_row(r) for r in lock.runs.select_related("job", "started_by")],
        "plans": [_plan_row(p) for p in lock.plans.select_related("job", "started_by")],
    }


def _run_row(run: ReportRun) -> dict[str, Any]:
    job = run.job
    return {
        "id": run.pk,
        "plan": run.plan,
        "started_by": run.started_by.username,
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "state": job.state if job else None,
        "progress": job.progress if job else 0.0,
        "message": job.message if job else "",
        "error": job.error if job else "",
        "job_id": str(job.pk) if job else None,
        "ready": (services.reports_folder(run) / "report.json").is_file(),
    }


@refusals
def index(request: HttpRequest) -> HttpResponse:
    """The locks, newest first, and the form to make one."""
    services.require_statistician(user_of(request))
    locks = [_lock_row(lock) for lock in DataLock.objects.select_related("locked_by")]
    return page(request, "reports/index.html", {"locks": locks}, form=LockForm())


@require_POST
@refusals
def lock(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    services.require_statistician(user)
    form = LockForm(request.POST)
    if not form.is_valid():
        locks = [_lock_row(lock) for lock in DataLock.objects.select_related("locked_by")]
        return page(request, "reports/index.html", {"locks": locks}, form=form)
    cut_off: dt.date | None = form.cleaned_data["cut_off"]
    job = services.request_lock(user, cut_off=cut_off, reason=form.cleaned_data["reason"])
    return redirect("jobs:detail", job_id=str(job.pk))


@refusals
def lock_detail(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_statistician(user_of(request))
    found = get_object_or_404(DataLock.objects.select_related("locked_by"), pk=pk)
    return page(request, "reports/lock.html", _lock_row(found))


@require_POST
@refusals
def run(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    services.require_statistician(user)
    found = get_object_or_404(DataLock, pk=pk)
    report = services.request_report(user, found)
    return redirect("reports:run-detail", pk=report.pk)


@refusals
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_statistician(user_of(request))
    found = get_object_or_404(ReportRun.objects.select_related("job", "lock"), pk=pk)
    return page(request, "reports/run.html", {"lock_id": found.lock_id, **_run_row(found)})


@refusals
def run_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    services.require_statistician(user_of(request))
    found = get_object_or_404(ReportRun, pk=pk)
    path = services.report_file(user_of(request), found, name)
    attachment = request.GET.get("download") == "1" or name != "report.html"
    response = HttpResponse(path.read_bytes(), content_type=services.REPORT_FILES[name])
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="report-{found.pk}{path.suffix}"'
    if name == "report.html":
        # the report is a self-contained document: no scripts, nothing fetched
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        )
    return response


@refusals
def dataset(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_statistician(user_of(request))
    found = get_object_or_404(DataLock, pk=pk)
    body = services.dataset_zip(user_of(request), found)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="lock-{found.pk}.zip"'
    return response


# ------------------------------------------------------------------ planning

PLAN = "preferable-effect"
MAX_SIMS = 2000
MAX_SIZES = 25
MIN_N, MAX_N = 4, 5000
RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s+step\s+(\d+)\s*$")


def parse_sizes(text: str) -> list[int]:
    """``"50, 100, 150"`` or ``"50-250 step 25"`` as a sorted list of n per arm."""
    found = RANGE.match(text)
    if found:
        low, high, step = (int(g) for g in found.groups())
        if step < 1 or high < low:
            raise forms.ValidationError(
                gettext("Write a range as low-high step s, with low ≤ high and s ≥ 1.")
            )
        sizes = list(range(low, high + 1, step))
    else:
        parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
        if not parts:
            raise forms.ValidationError(gettext("Give at least one number of participants."))
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(
                gettext(
                    "Give whole numbers separated by commas, e.g. 50, 100, 150, or a range "
                    "such as 50-250 step 25."
                )
            )
        sizes = sorted({int(p) for p in parts})
    if len(sizes) > MAX_SIZES:
        raise forms.ValidationError(
            gettext("At most %(max)d sample sizes at once.") % {"max": MAX_SIZES}
        )
    if sizes[0] < MIN_N or sizes[-1] > MAX_N:
        raise forms.ValidationError(
            gettext("Each n per arm must lie between %(low)d and %(high)d.")
            % {"low": MIN_N, "high": MAX_N}
        )
    return sizes


class PlanForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"))
    effect = forms.FloatField(
        label=gettext_lazy("Effect to detect at the last visit (exercise minus control)")
    )
    alpha = forms.FloatField(
        label=gettext_lazy("Alpha (two-sided)"), initial=0.05, min_value=0.0001, max_value=0.5
    )
    n_per_arm = forms.CharField(
        label=gettext_lazy("Participants per arm (list, or a range such as 50-250 step 25)"),
        initial="50-250 step 25",
        max_length=200,
    )
    sims = forms.IntegerField(
        label=gettext_lazy("Simulations per sample size"),
        initial=200,
        min_value=1,
        max_value=MAX_SIMS,
    )
    seed = forms.IntegerField(label=gettext_lazy("Seed"), initial=20260101, min_value=0)

    def __init__(self, *args: Any, outcomes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = outcomes

    def clean_n_per_arm(self) -> list[int]:
        return parse_sizes(self.cleaned_data["n_per_arm"])


def _outcome_choices(lock: DataLock) -> list[tuple[str, str]]:
    folder = Path(lock.folder)
    if not folder.is_dir():
        return []
    plan = load_plan(PLAN).plan
    return [(o.name, o.label) for o in plan_outcomes(plan, read_folder(folder))]


def _plan_row(run: PlanRun) -> dict[str, Any]:
    job = run.job
    return {
        "id": run.pk,
        "lock_id": run.lock_id,
        "plan": run.plan,
        "params": run.params,
        "started_by": run.started_by.username,
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "state": job.state if job else None,
        "progress": job.progress if job else 0.0,
        "message": job.message if job else "",
        "error": job.error if job else "",
        "job_id": str(job.pk) if job else None,
    }


@refusals
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The "plan the next trial" form on a lock; a valid form queues the power curve."""
    user = user_of(request)
    services.require_statistician(user)
    found = get_object_or_404(DataLock, pk=pk)
    choices = _outcome_choices(found)
    form = PlanForm(request.POST if request.method == "POST" else None, outcomes=choices)
    if request.method == "POST" and form.is_valid():
        params = dict(form.cleaned_data)
        run = services.request_plan(user, found, params)
        return redirect("reports:plan-detail", pk=run.pk)
    data = {"lock_id": found.pk, "outcomes": [c[0] for c in choices]}
    status = 400 if request.method == "POST" else 200
    response = page(request, "reports/plan_form.html", data, form=form)
    response.status_code = status
    return response


@refusals
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's progress, then its design, power table and curve (``?format=json``)."""
    user = user_of(request)
    services.require_statistician(user)
    found = get_object_or_404(PlanRun.objects.select_related("job", "started_by"), pk=pk)
    data = _plan_row(found) | {"result": services.plan_result(user, found)}
    return page(request, "reports/plan.html", data)


@refusals
def plan_figure(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    services.require_statistician(user)
    found = get_object_or_404(PlanRun, pk=pk)
    body = services.plan_file(user, found).read_bytes()
    return HttpResponse(body, content_type="image/svg+xml")


@refusals
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The lock as a REDCap project, a CDISC ODM file or FHIR NDJSON (made on request)."""
    services.require_statistician(user_of(request))
    found = get_object_or_404(DataLock, pk=pk)
    made = exchange.export_lock(user_of(request), found, kind)
    response = FileResponse(
        made.file, as_attachment=True, filename=made.filename, content_type=made.content_type
    )
    return cast(HttpResponse, response)  # streamed; the page decorators type views as HttpResponse


# ------------------------------------------------------------------ monitoring


@refusals
def monitoring_index(request: HttpRequest) -> HttpResponse:
    """The centres whose monitoring report the user may read."""
    user = user_of(request)
    access.require_role(user, Role.COORDINATOR, Role.STATISTICIAN)
    centres = [{"code": c.code, "name": c.name} for c in access.visible_centres(user)]
    return page(request, "reports/monitoring_index.html", {"centres": centres})


@refusals
def monitoring(request: HttpRequest, code: str) -> HttpResponse:
    """One centre's monitoring report: HTML, ``?format=pdf`` or ``?format=json``."""
    user = user_of(request)
    access.require_role(user, Role.COORDINATOR, Role.STATISTICIAN)
    centre = get_object_or_404(Centre, code=code)
    report = services.monitoring(user, centre, today=timezone.localdate())
    if request.GET.get("format") == "json":
        return page(request, "", report.data)
    if request.GET.get("format") == "pdf":
        body = html_to_pdf(monitoring_html(report, for_print=True))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="monitoring-{centre.code}.pdf"'
        return response
    response = HttpResponse(monitoring_html(report))
    response["Content-Security-Policy"] = CSP
    return response
